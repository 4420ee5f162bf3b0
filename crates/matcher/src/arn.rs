//! The generic ARN: `arn:partition:service:region:account-id:resource`.

use std::fmt;

use nom::{
    IResult, Parser,
    bytes::complete::{tag, take_till},
    character::complete::char,
};

use crate::error::{ArnError, ArnErrorKind};

/// A zero-copy view of an Amazon Resource Name, `arn:partition:service:region:account-id:resource`.
///
/// Parsing checks the structure only: the `arn` prefix, six colon-separated parts, a non-empty
/// partition, service and resource. The resource is everything after the fifth colon and may
/// itself hold colons and slashes. What the parts must contain depends on the service; see
/// [`crate::PrincipalArn`] and [`crate::PrincipalPattern`] for IAM principals.
///
/// ```
/// use portcullis_matcher::Arn;
///
/// let arn = Arn::parse("arn:aws:iam::123456789012:role/ops/Deployer")?;
/// assert_eq!(arn.partition(), "aws");
/// assert_eq!(arn.service(), "iam");
/// assert_eq!(arn.region(), "");
/// assert_eq!(arn.account(), "123456789012");
/// assert_eq!(arn.resource(), "role/ops/Deployer");
/// assert_eq!(arn.to_string(), "arn:aws:iam::123456789012:role/ops/Deployer");
///
/// let err = Arn::parse("arn:aws:iam::123456789012").unwrap_err();
/// assert_eq!(err.offset(), 13); // the account id is not followed by `:`
/// # Ok::<(), portcullis_matcher::ArnError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Arn<'a> {
    input: &'a str,
    partition: &'a str,
    service: &'a str,
    region: &'a str,
    account: &'a str,
    resource: &'a str,
}

/// One colon-terminated field.
fn field(input: &str) -> IResult<&str, &str> {
    let (rest, value) = take_till(|c| c == ':')(input)?;
    let (rest, _) = char(':').parse(rest)?;
    Ok((rest, value))
}

impl<'a> Arn<'a> {
    /// Parses an ARN. The error says what is wrong and at which byte.
    pub fn parse(input: &'a str) -> Result<Arn<'a>, ArnError> {
        let at = |rest: &str| input.len() - rest.len();
        let fail = |kind, rest: &str| ArnError::new(kind, at(rest));

        let (rest, _) = tag::<_, _, nom::error::Error<&str>>("arn:")
            .parse(input)
            .map_err(|_| fail(ArnErrorKind::MissingPrefix, input))?;
        let mut parts = [""; 4];
        let mut rest = rest;
        for (slot, missing) in parts.iter_mut().zip([
            ArnErrorKind::MissingPartition,
            ArnErrorKind::MissingService,
            ArnErrorKind::MissingRegion,
            ArnErrorKind::MissingAccount,
        ]) {
            let (next, value) = field(rest).map_err(|_| fail(missing, rest))?;
            *slot = value;
            rest = next;
        }
        let [partition, service, region, account] = parts;
        if partition.is_empty() {
            return Err(ArnError::new(ArnErrorKind::EmptyPartition, 4));
        }
        if service.is_empty() {
            return Err(ArnError::new(
                ArnErrorKind::EmptyService,
                5 + partition.len(),
            ));
        }
        if rest.is_empty() {
            return Err(fail(ArnErrorKind::EmptyResource, rest));
        }
        Ok(Arn {
            input,
            partition,
            service,
            region,
            account,
            resource: rest,
        })
    }

    /// The whole ARN, as parsed.
    pub fn as_str(&self) -> &'a str {
        self.input
    }

    /// The partition (`aws`, `aws-cn`, ...).
    pub fn partition(&self) -> &'a str {
        self.partition
    }

    /// The service namespace (`iam`, `catalog`, ...).
    pub fn service(&self) -> &'a str {
        self.service
    }

    /// The region; empty for global services such as IAM.
    pub fn region(&self) -> &'a str {
        self.region
    }

    /// The account id; empty where the resource belongs to no account.
    pub fn account(&self) -> &'a str {
        self.account
    }

    /// Everything after the fifth colon.
    pub fn resource(&self) -> &'a str {
        self.resource
    }

    /// Byte offset of the resource part in the input.
    pub(crate) fn resource_offset(&self) -> usize {
        self.input.len() - self.resource.len()
    }

    /// Byte offset of the account part in the input.
    pub(crate) fn account_offset(&self) -> usize {
        self.resource_offset() - 1 - self.account.len()
    }

    /// Byte offset of the region part in the input.
    pub(crate) fn region_offset(&self) -> usize {
        self.account_offset() - 1 - self.region.len()
    }

    /// Byte offset of the service part in the input.
    pub(crate) fn service_offset(&self) -> usize {
        5 + self.partition.len()
    }
}

impl fmt::Display for Arn<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.input)
    }
}

impl fmt::Debug for Arn<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Arn").field(&self.input).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(input: &str) -> (ArnErrorKind, usize) {
        let err = Arn::parse(input).unwrap_err();
        (err.kind(), err.offset())
    }

    #[test]
    fn parses_every_part_and_keeps_colons_in_the_resource() {
        let arn = Arn::parse("arn:aws:logs:us-east-1:123456789012:log-group:/aws/x:*").unwrap();
        assert_eq!(arn.partition(), "aws");
        assert_eq!(arn.service(), "logs");
        assert_eq!(arn.region(), "us-east-1");
        assert_eq!(arn.account(), "123456789012");
        assert_eq!(arn.resource(), "log-group:/aws/x:*");
        assert_eq!(arn.service_offset(), 8);
        assert_eq!(arn.region_offset(), 13);
        assert_eq!(arn.account_offset(), 23);
        assert_eq!(arn.resource_offset(), 36);
    }

    #[test]
    fn errors_name_the_problem_and_the_byte() {
        assert_eq!(error(""), (ArnErrorKind::MissingPrefix, 0));
        assert_eq!(error("urn:aws:iam::1:x"), (ArnErrorKind::MissingPrefix, 0));
        assert_eq!(error("arn:aws"), (ArnErrorKind::MissingPartition, 4));
        assert_eq!(error("arn:aws:iam"), (ArnErrorKind::MissingService, 8));
        assert_eq!(error("arn:aws:iam:"), (ArnErrorKind::MissingRegion, 12));
        assert_eq!(
            error("arn:aws:iam::123"),
            (ArnErrorKind::MissingAccount, 13)
        );
        assert_eq!(
            error("arn:aws:iam::123:"),
            (ArnErrorKind::EmptyResource, 17)
        );
        assert_eq!(error("arn::iam::123:x"), (ArnErrorKind::EmptyPartition, 4));
        assert_eq!(error("arn:aws:::123:x"), (ArnErrorKind::EmptyService, 8));
    }
}
