//! Parse errors: what is wrong, and at which byte.

use std::fmt;

/// Why an ARN, a principal ARN or a principal pattern was rejected, and where.
///
/// `offset` is the byte offset in the input where the problem starts, so a caller can point at it.
/// Messages are lowercase and name no Rust type.
///
/// ```
/// use portcullis_matcher::{ArnErrorKind, PrincipalPattern};
///
/// let err = PrincipalPattern::parse("arn:aws:iam:::*/ResourceName").unwrap_err();
/// assert_eq!(err.kind(), ArnErrorKind::Wildcard { part: "resource type" });
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
    /// The partition is not one of AWS's partitions.
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
    /// A `*` or `?` where none is allowed.
    Wildcard {
        /// The part of the ARN that holds it: `partition`, `service`, `region`, `account id`,
        /// `resource type`, or `principal ARN` for a fully defined principal.
        part: &'static str,
    },
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
            ArnErrorKind::UnknownPartition => f.write_str(
                "the partition must be one of `aws`, `aws-cn`, `aws-us-gov`, `aws-iso`, `aws-iso-b`, \
                 `aws-iso-e`, `aws-iso-f`, `aws-eusc`",
            ),
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
            ArnErrorKind::Wildcard { part: "principal ARN" } => f.write_str(
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
