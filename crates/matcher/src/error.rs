//! Parse errors: what is wrong, and at which byte.

use std::fmt;

use crate::partition::PartitionList;

/// Why an ARN, a principal ARN or a principal pattern was rejected, and where.
///
/// `offset` is the byte offset in the input where the problem starts, so a caller can point at it.
/// Messages are lowercase and name no Rust type.
///
/// ```
/// use portcullis_matcher::{ArnErrorKind, ArnPart, PrincipalPattern};
///
/// let err = PrincipalPattern::parse("arn:aws:iam:::*/ResourceName").unwrap_err();
/// assert_eq!(err.kind(), ArnErrorKind::Wildcard { part: ArnPart::ResourceType });
/// assert_eq!(err.offset(), 14);
/// assert_eq!(
///     err.to_string(),
///     "wildcards are allowed only in the resource path and name, found one in the resource type at byte 14"
/// );
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ArnError {
    kind: ArnErrorKind,
    offset: usize,
}

/// What is wrong with an ARN.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ArnErrorKind {
    /// The input does not start with `arn:`.
    MissingPrefix,
    /// The input ends before the partition's colon.
    MissingPartition,
    /// The input ends before the service's colon.
    MissingService,
    /// The input ends before the region's colon.
    MissingRegion,
    /// The input ends before the account id's colon.
    MissingAccount,
    /// The partition is empty.
    EmptyPartition,
    /// The service is empty.
    EmptyService,
    /// Nothing follows the account id.
    EmptyResource,
    /// The partition is not one of AWS's partitions ([`crate::Partition`]).
    UnknownPartition,
    /// The service is not `iam`.
    NotIam,
    /// An IAM ARN has a region; IAM is global.
    RegionNotEmpty,
    /// The account id is not 12 digits.
    InvalidAccount,
    /// A principal pattern has an account id; patterns name principals in every account.
    AccountNotAllowed,
    /// The resource type is not `user`, `group` or `role`.
    UnknownResourceType,
    /// The resource type is not followed by `/` and a resource id.
    MissingResourceId,
    /// A character outside printable ASCII (U+0021–U+007E) in a path or resource id.
    InvalidCharacter,
    /// The path is longer than 512 characters.
    PathTooLong,
    /// A character outside `[A-Za-z0-9+=,.@_-]` in a principal name.
    InvalidNameCharacter,
    /// The principal name is empty or longer than its type allows.
    InvalidNameLength {
        /// The longest name the type allows: 64 for users and roles, 128 for groups.
        max: usize,
    },
    /// A principal pattern has a `*` or `?` outside its resource id.
    Wildcard {
        /// The part that holds it: never [`ArnPart::ResourceId`].
        part: ArnPart,
    },
    /// A fully defined principal ARN has a `*` or `?`.
    WildcardInPrincipal {
        /// The part that holds the first one.
        part: ArnPart,
    },
}

/// A part of an IAM ARN, `arn:{partition}:{service}:{region}:{account}:{resource type}/{resource
/// id}`, as errors name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ArnPart {
    /// `aws`, `aws-cn`, ...
    Partition,
    /// `iam`, ...
    Service,
    /// Empty for IAM.
    Region,
    /// The 12-digit account id; empty in a principal pattern.
    Account,
    /// `user`, `group` or `role`.
    ResourceType,
    /// The path and name after the resource type's `/`.
    ResourceId,
}

impl ArnPart {
    /// Every part, in the order they are written.
    pub const ALL: [ArnPart; 6] = [
        ArnPart::Partition,
        ArnPart::Service,
        ArnPart::Region,
        ArnPart::Account,
        ArnPart::ResourceType,
        ArnPart::ResourceId,
    ];

    /// The part's name in messages: `partition`, `service`, `region`, `account id`,
    /// `resource type` or `resource id`.
    pub fn as_str(self) -> &'static str {
        match self {
            ArnPart::Partition => "partition",
            ArnPart::Service => "service",
            ArnPart::Region => "region",
            ArnPart::Account => "account id",
            ArnPart::ResourceType => "resource type",
            ArnPart::ResourceId => "resource id",
        }
    }
}

impl fmt::Display for ArnPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl ArnError {
    pub(crate) fn new(kind: ArnErrorKind, offset: usize) -> ArnError {
        ArnError { kind, offset }
    }

    /// What is wrong.
    pub fn kind(&self) -> ArnErrorKind {
        self.kind
    }

    /// The byte offset in the input where the problem starts.
    pub fn offset(&self) -> usize {
        self.offset
    }
}

impl fmt::Display for ArnErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArnErrorKind::MissingPrefix => f.write_str("an ARN must start with `arn:`"),
            ArnErrorKind::MissingPartition => f.write_str("the ARN ends before its partition"),
            ArnErrorKind::MissingService => f.write_str("the ARN ends before its service"),
            ArnErrorKind::MissingRegion => f.write_str("the ARN ends before its region"),
            ArnErrorKind::MissingAccount => f.write_str("the ARN ends before its account id"),
            ArnErrorKind::EmptyPartition => f.write_str("the partition is empty"),
            ArnErrorKind::EmptyService => f.write_str("the service is empty"),
            ArnErrorKind::EmptyResource => f.write_str("the resource is empty"),
            ArnErrorKind::UnknownPartition => {
                write!(f, "the partition must be one of {PartitionList}")
            }
            ArnErrorKind::NotIam => f.write_str("the service must be `iam`"),
            ArnErrorKind::RegionNotEmpty => f.write_str("the region must be empty for IAM"),
            ArnErrorKind::InvalidAccount => f.write_str("the account id must be 12 digits"),
            ArnErrorKind::AccountNotAllowed => f.write_str("a principal pattern must not have an account id"),
            ArnErrorKind::UnknownResourceType => {
                f.write_str("the resource type must be `user`, `group` or `role`")
            }
            ArnErrorKind::MissingResourceId => {
                f.write_str("the resource type must be followed by `/` and a resource id")
            }
            ArnErrorKind::InvalidCharacter => {
                f.write_str("paths and resource ids allow only printable ASCII (U+0021 to U+007E)")
            }
            ArnErrorKind::PathTooLong => f.write_str("the path is longer than 512 characters"),
            ArnErrorKind::InvalidNameCharacter => {
                f.write_str("a principal name allows only letters, digits and `+=,.@_-`")
            }
            ArnErrorKind::InvalidNameLength { max } => {
                write!(f, "a principal name must be 1 to {max} characters long")
            }
            ArnErrorKind::WildcardInPrincipal { .. } => f.write_str(
                "a fully defined principal ARN has no `*` or `?` (use the IAM_PATTERN type for patterns)",
            ),
            ArnErrorKind::Wildcard { part } => {
                write!(f, "wildcards are allowed only in the resource path and name, found one in the {part}")
            }
        }
    }
}

impl fmt::Display for ArnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}", self.kind, self.offset)
    }
}

impl std::error::Error for ArnError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcard_messages_name_the_part_in_words() {
        let names = ArnPart::ALL.map(ArnPart::as_str);
        assert_eq!(
            names,
            [
                "partition",
                "service",
                "region",
                "account id",
                "resource type",
                "resource id"
            ]
        );
        for part in ArnPart::ALL {
            let message = ArnError::new(ArnErrorKind::Wildcard { part }, 7).to_string();
            assert!(
                message.ends_with(&format!("in the {part} at byte 7")),
                "{message}"
            );
            let message = ArnError::new(ArnErrorKind::WildcardInPrincipal { part }, 7).to_string();
            assert!(
                message.starts_with("a fully defined principal ARN has no"),
                "{message}"
            );
        }
    }

    #[test]
    fn the_unknown_partition_message_lists_every_partition() {
        let message = ArnErrorKind::UnknownPartition.to_string();
        for partition in crate::Partition::ALL {
            assert!(message.contains(&format!("`{partition}`")), "{message}");
        }
    }
}
