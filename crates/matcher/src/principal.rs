//! IAM principal ARNs (`IAM`) and principal name patterns (`IAM_PATTERN`).

use std::fmt;
use std::ops::Range;

use crate::arn::Arn;
use crate::error::{ArnError, ArnErrorKind, ArnPart};
use crate::partition::Partition;
use crate::pattern::Pattern;

/// The longest IAM path, `/` included.
pub const MAX_PATH_LEN: usize = 512;

/// The kind of IAM principal an ARN names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ResourceType {
    /// `user`
    User,
    /// `group`
    Group,
    /// `role`
    Role,
}

impl ResourceType {
    /// Every resource type.
    pub const ALL: [ResourceType; 3] =
        [ResourceType::User, ResourceType::Group, ResourceType::Role];

    /// The type as written in an ARN.
    pub fn as_str(self) -> &'static str {
        match self {
            ResourceType::User => "user",
            ResourceType::Group => "group",
            ResourceType::Role => "role",
        }
    }

    /// The longest principal name of this type.
    pub fn max_name_len(self) -> usize {
        match self {
            ResourceType::Group => 128,
            ResourceType::User | ResourceType::Role => 64,
        }
    }

    /// The type written `s` in an ARN (`user`, `group` or `role`).
    pub fn parse(s: &str) -> Option<ResourceType> {
        ResourceType::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for ResourceType {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for ResourceType {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<ResourceType, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        ResourceType::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!("`{s}` is not `user`, `group` or `role`"))
        })
    }
}

impl fmt::Display for ResourceType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

fn is_wildcard(c: char) -> bool {
    c == '*' || c == '?'
}

fn is_printable_ascii(b: u8) -> bool {
    (0x21..=0x7e).contains(&b)
}

fn is_name_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b)
}

/// Offset range of `part` inside `whole`; `part` must be a sub-slice of `whole`.
fn range_in(whole: &str, part: &str) -> Range<usize> {
    let start = (part.as_ptr() as usize).saturating_sub(whole.as_ptr() as usize);
    start..start + part.len()
}

/// Checks the parts before the resource that IAM principals and patterns share, after
/// `wildcard_part` on each of them: a known partition, which it returns, the `iam` service and an
/// empty region, in that order.
fn check_common(
    arn: &Arn<'_>,
    wildcard_part: impl Fn(ArnPart, usize) -> Result<(), ArnError>,
) -> Result<Partition, ArnError> {
    for (part, value, offset) in [
        (ArnPart::Partition, arn.partition(), 4),
        (ArnPart::Service, arn.service(), arn.service_offset()),
        (ArnPart::Region, arn.region(), arn.region_offset()),
        (ArnPart::Account, arn.account(), arn.account_offset()),
    ] {
        if let Some(i) = value.find(is_wildcard) {
            wildcard_part(part, offset + i)?;
        }
    }
    let partition = Partition::parse(arn.partition())
        .map_err(|_| ArnError::new(ArnErrorKind::UnknownPartition, 4))?;
    if arn.service() != "iam" {
        return Err(ArnError::new(ArnErrorKind::NotIam, arn.service_offset()));
    }
    if !arn.region().is_empty() {
        return Err(ArnError::new(
            ArnErrorKind::RegionNotEmpty,
            arn.region_offset(),
        ));
    }
    Ok(partition)
}

/// The part of `arn` that holds byte `at`, which lies after its `arn:` prefix.
fn part_at(arn: &Arn<'_>, at: usize) -> ArnPart {
    if at < arn.service_offset() {
        ArnPart::Partition
    } else if at < arn.region_offset() {
        ArnPart::Service
    } else if at < arn.account_offset() {
        ArnPart::Region
    } else if at < arn.resource_offset() {
        ArnPart::Account
    } else if arn
        .as_str()
        .get(arn.resource_offset()..at)
        .is_some_and(|before| before.contains('/'))
    {
        ArnPart::ResourceId
    } else {
        ArnPart::ResourceType
    }
}

/// Splits `type/resource-id` and checks the type; returns the type and the resource id.
fn split_resource<'a>(arn: &Arn<'a>) -> Result<(ResourceType, &'a str), ArnError> {
    let resource = arn.resource();
    let at = arn.resource_offset();
    let (kind, id) = match resource.split_once('/') {
        Some((kind, id)) => (kind, Some(id)),
        None => (resource, None),
    };
    if let Some(i) = kind.find(is_wildcard) {
        return Err(ArnError::new(
            ArnErrorKind::Wildcard {
                part: ArnPart::ResourceType,
            },
            at + i,
        ));
    }
    let kind =
        ResourceType::parse(kind).ok_or(ArnError::new(ArnErrorKind::UnknownResourceType, at))?;
    match id {
        Some(id) if !id.is_empty() => Ok((kind, id)),
        _ => Err(ArnError::new(
            ArnErrorKind::MissingResourceId,
            arn.as_str().len(),
        )),
    }
}

/// A fully defined IAM principal ARN: `arn:{partition}:iam::{account}:{user|group|role}/{path}{name}`.
///
/// The rules (SPEC §4.1): a known partition, service `iam`, an empty region, a 12-digit account
/// id, a path that is `/` or `/segment/.../` of printable ASCII and at most 512 characters, a name
/// of `[A-Za-z0-9+=,.@_-]` that is 1–64 characters long (1–128 for groups), and no `*` or `?`
/// anywhere.
///
/// ```
/// use portcullis_matcher::{Partition, PrincipalArn, ResourceType};
///
/// let arn = PrincipalArn::parse("arn:aws:iam::111122223333:role/pathA/pathB/ResourceName_1")?;
/// assert_eq!(arn.partition(), Partition::Aws);
/// assert_eq!(arn.account(), "111122223333");
/// assert_eq!(arn.resource_type(), ResourceType::Role);
/// assert_eq!(arn.path(), "/pathA/pathB/");
/// assert_eq!(arn.name(), "ResourceName_1");
/// assert_eq!(arn.to_string(), "arn:aws:iam::111122223333:role/pathA/pathB/ResourceName_1");
/// # Ok::<(), portcullis_matcher::ArnError>(())
/// ```
#[derive(Clone)]
pub struct PrincipalArn {
    text: Box<str>,
    resource_type: ResourceType,
    partition: Partition,
    account: Range<usize>,
    /// The path, from the `/` after the type to the last `/`.
    path: Range<usize>,
    name: Range<usize>,
}

impl PrincipalArn {
    /// Parses and validates a fully defined principal ARN.
    pub fn parse(input: &str) -> Result<PrincipalArn, ArnError> {
        let arn = Arn::parse(input)?;
        if let Some(i) = input.find(is_wildcard) {
            return Err(ArnError::new(
                ArnErrorKind::WildcardInPrincipal {
                    part: part_at(&arn, i),
                },
                i,
            ));
        }
        let partition = check_common(&arn, |_, _| Ok(()))?;
        let account = arn.account();
        if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ArnError::new(
                ArnErrorKind::InvalidAccount,
                arn.account_offset(),
            ));
        }
        let (resource_type, id) = split_resource(&arn)?;
        let id_range = range_in(input, id);
        // The path runs from the `/` before the resource id through the id's last `/`.
        let name_start = id.rfind('/').map_or(0, |i| i + 1);
        let path = id_range.start - 1..id_range.start + name_start;
        let name = id_range.start + name_start..input.len();
        let path_text = input.get(path.clone()).unwrap_or_default();
        if let Some(i) = path_text.bytes().position(|b| !is_printable_ascii(b)) {
            return Err(ArnError::new(
                ArnErrorKind::InvalidCharacter,
                path.start + i,
            ));
        }
        if path_text.len() > MAX_PATH_LEN {
            return Err(ArnError::new(ArnErrorKind::PathTooLong, path.start));
        }
        let name_text = input.get(name.clone()).unwrap_or_default();
        if let Some(i) = name_text.bytes().position(|b| !is_name_char(b)) {
            return Err(ArnError::new(
                ArnErrorKind::InvalidNameCharacter,
                name.start + i,
            ));
        }
        let max = resource_type.max_name_len();
        if name_text.is_empty() || name_text.len() > max {
            return Err(ArnError::new(
                ArnErrorKind::InvalidNameLength { max },
                name.start,
            ));
        }
        Ok(PrincipalArn {
            resource_type,
            partition,
            account: range_in(input, account),
            path,
            name,
            text: input.into(),
        })
    }

    fn part(&self, range: &Range<usize>) -> &str {
        self.text.get(range.clone()).unwrap_or_default()
    }

    /// The whole ARN.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The partition.
    pub fn partition(&self) -> Partition {
        self.partition
    }

    /// The 12-digit account id.
    pub fn account(&self) -> &str {
        self.part(&self.account)
    }

    /// `user`, `group` or `role`.
    pub fn resource_type(&self) -> ResourceType {
        self.resource_type
    }

    /// The path: `/`, or `/segment/.../`.
    pub fn path(&self) -> &str {
        self.part(&self.path)
    }

    /// The principal's name.
    pub fn name(&self) -> &str {
        self.part(&self.name)
    }

    /// The resource id: the path without its leading `/`, then the name. This is the text a
    /// [`PrincipalPattern`]'s wildcards are matched against.
    pub fn resource_id(&self) -> &str {
        self.text.get(self.path.start + 1..).unwrap_or_default()
    }
}

impl fmt::Display for PrincipalArn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for PrincipalArn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("PrincipalArn").field(&self.text).finish()
    }
}

impl std::str::FromStr for PrincipalArn {
    type Err = ArnError;
    fn from_str(s: &str) -> Result<PrincipalArn, ArnError> {
        PrincipalArn::parse(s)
    }
}

/// An `IAM_PATTERN`: `arn:{partition}:iam:::{user|group|role}/{resource-id}`, where the resource
/// id (path and name) may hold any number of `*` (any run of characters, `/` included) and `?`
/// (zero or one character).
///
/// The rules (SPEC §4.2): a known partition, service `iam`, empty region, no account id, a
/// literal resource type, and a non-empty resource id of printable ASCII. Wildcards anywhere but
/// the resource id are rejected. A pattern matches a [`PrincipalArn`] of the same partition and
/// type, in any account, whose [`PrincipalArn::resource_id`] matches the resource id (SPEC §4.3).
///
/// ```
/// use portcullis_matcher::{PrincipalArn, PrincipalPattern};
///
/// let pattern = PrincipalPattern::parse("arn:aws:iam:::role/*/ResourceName_?")?;
/// let arn = |s| PrincipalArn::parse(s).unwrap();
/// assert!(pattern.matches(&arn("arn:aws:iam::111122223333:role/pathA/pathB/ResourceName_1")));
/// assert!(pattern.matches(&arn("arn:aws:iam::111122223333:role/pathA/ResourceName_")));
/// assert!(!pattern.matches(&arn("arn:aws:iam::111122223333:role/ResourceName_1")));
/// # Ok::<(), portcullis_matcher::ArnError>(())
/// ```
#[derive(Clone)]
pub struct PrincipalPattern {
    text: Box<str>,
    resource_type: ResourceType,
    partition: Partition,
    resource_id: Range<usize>,
    pattern: Pattern,
}

impl PrincipalPattern {
    /// Parses, validates and compiles a principal pattern.
    pub fn parse(input: &str) -> Result<PrincipalPattern, ArnError> {
        let arn = Arn::parse(input)?;
        let partition = check_common(&arn, |part, offset| {
            Err(ArnError::new(ArnErrorKind::Wildcard { part }, offset))
        })?;
        if !arn.account().is_empty() {
            return Err(ArnError::new(
                ArnErrorKind::AccountNotAllowed,
                arn.account_offset(),
            ));
        }
        let (resource_type, id) = split_resource(&arn)?;
        let resource_id = range_in(input, id);
        if let Some(i) = id.bytes().position(|b| !is_printable_ascii(b)) {
            return Err(ArnError::new(
                ArnErrorKind::InvalidCharacter,
                resource_id.start + i,
            ));
        }
        Ok(PrincipalPattern {
            resource_type,
            partition,
            resource_id,
            pattern: Pattern::new(id),
            text: input.into(),
        })
    }

    /// The whole pattern ARN.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The partition.
    pub fn partition(&self) -> Partition {
        self.partition
    }

    /// `user`, `group` or `role`.
    pub fn resource_type(&self) -> ResourceType {
        self.resource_type
    }

    /// The resource id with its wildcards, everything after `{type}/`.
    pub fn resource_id(&self) -> &str {
        self.text.get(self.resource_id.clone()).unwrap_or_default()
    }

    /// The compiled wildcard pattern of the resource id.
    pub fn pattern(&self) -> &Pattern {
        &self.pattern
    }

    /// Whether the pattern has any `*` or `?`; one without names the same principal name in
    /// every account.
    pub fn has_wildcards(&self) -> bool {
        self.resource_id().contains(is_wildcard)
    }

    /// Whether this pattern matches `principal` (SPEC §4.3): same partition, same type, and the
    /// resource id matches. The principal's account is not compared.
    #[inline]
    pub fn matches(&self, principal: &PrincipalArn) -> bool {
        self.resource_type == principal.resource_type()
            && self.partition == principal.partition()
            && self.pattern.is_match(principal.resource_id())
    }
}

impl fmt::Display for PrincipalPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for PrincipalPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("PrincipalPattern").field(&self.text).finish()
    }
}

/// The compiled resource id pattern, so that a [`crate::WildcardSet`] can hold principal patterns.
impl AsRef<Pattern> for PrincipalPattern {
    fn as_ref(&self) -> &Pattern {
        &self.pattern
    }
}

impl std::str::FromStr for PrincipalPattern {
    type Err = ArnError;
    fn from_str(s: &str) -> Result<PrincipalPattern, ArnError> {
        PrincipalPattern::parse(s)
    }
}

/// Equality, ordering and hashing of the parsed types are those of their text.
macro_rules! by_text {
    ($t:ty) => {
        impl PartialEq for $t {
            fn eq(&self, other: &Self) -> bool {
                self.text == other.text
            }
        }
        impl Eq for $t {}
        impl std::hash::Hash for $t {
            fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
                self.text.hash(state);
            }
        }
        impl PartialOrd for $t {
            fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
                Some(self.cmp(other))
            }
        }
        impl Ord for $t {
            fn cmp(&self, other: &Self) -> std::cmp::Ordering {
                self.text.cmp(&other.text)
            }
        }
    };
}

by_text!(PrincipalArn);
by_text!(PrincipalPattern);
