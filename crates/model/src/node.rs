//! Organization nodes: what a portfolio can be shared with, and the parents of the organization
//! tree.

use std::fmt;

use crate::{AccountId, OrganizationId, OrganizationNodeType, OuId, ParseError, RootId};

/// The parsed `Value` of an `OrganizationNode` (SPEC §3): an organization, an organizational unit
/// or a member account.
///
/// The ARN forms AWS accepts (`arn:aws:organizations::<management account>:organization/o-...`
/// and `arn:aws:organizations::<management account>:ou/o-.../ou-...`) are reduced to the id they
/// name; their other components are checked for form only.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OrganizationNodeValue {
    /// `ORGANIZATION`
    Organization(OrganizationId),
    /// `ORGANIZATIONAL_UNIT`
    OrganizationalUnit(OuId),
    /// `ACCOUNT`
    Account(AccountId),
}

impl OrganizationNodeValue {
    /// Parses `value` as a node of type `node_type`: an id of that type, or for organizations
    /// and OUs also its ARN.
    pub fn parse(
        node_type: OrganizationNodeType,
        value: &str,
    ) -> Result<OrganizationNodeValue, ParseError> {
        match node_type {
            OrganizationNodeType::Organization => match organization_in_arn(value) {
                Some(org) => Ok(OrganizationNodeValue::Organization(org)),
                None => OrganizationId::parse(value)
                    .map(OrganizationNodeValue::Organization)
                    .map_err(|_| {
                        ParseError::new(
                            "organization node",
                            value,
                            "must be an organization id `o-...` or its ARN \
                             `arn:aws:organizations::<account>:organization/o-...`",
                        )
                    }),
            },
            OrganizationNodeType::OrganizationalUnit => match ou_in_arn(value) {
                Some(ou) => Ok(OrganizationNodeValue::OrganizationalUnit(ou)),
                None => OuId::parse(value)
                    .map(OrganizationNodeValue::OrganizationalUnit)
                    .map_err(|_| {
                        ParseError::new(
                            "organization node",
                            value,
                            "must be an organizational unit id `ou-...-...` or its ARN \
                             `arn:aws:organizations::<account>:ou/o-.../ou-...-...`",
                        )
                    }),
            },
            OrganizationNodeType::Account => AccountId::parse(value)
                .map(OrganizationNodeValue::Account)
                .map_err(|_| ParseError::new("organization node", value, "must be 12 digits")),
        }
    }

    /// The node's type.
    pub fn node_type(&self) -> OrganizationNodeType {
        match self {
            OrganizationNodeValue::Organization(_) => OrganizationNodeType::Organization,
            OrganizationNodeValue::OrganizationalUnit(_) => {
                OrganizationNodeType::OrganizationalUnit
            }
            OrganizationNodeValue::Account(_) => OrganizationNodeType::Account,
        }
    }

    /// The node's id (never an ARN).
    pub fn as_str(&self) -> &str {
        match self {
            OrganizationNodeValue::Organization(id) => id.as_str(),
            OrganizationNodeValue::OrganizationalUnit(id) => id.as_str(),
            OrganizationNodeValue::Account(id) => id.as_str(),
        }
    }
}

impl fmt::Display for OrganizationNodeValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `arn:aws:organizations::<12 digits>:<rest>` -> `rest`.
fn organizations_arn_resource(s: &str) -> Option<&str> {
    let rest = s.strip_prefix("arn:aws:organizations::")?;
    let (account, resource) = rest.split_once(':')?;
    AccountId::parse(account).ok()?;
    Some(resource)
}

fn organization_in_arn(s: &str) -> Option<OrganizationId> {
    let org = organizations_arn_resource(s)?.strip_prefix("organization/")?;
    OrganizationId::parse(org).ok()
}

fn ou_in_arn(s: &str) -> Option<OuId> {
    let rest = organizations_arn_resource(s)?.strip_prefix("ou/")?;
    let (org, ou) = rest.split_once('/')?;
    OrganizationId::parse(org).ok()?;
    OuId::parse(ou).ok()
}

/// A node that can hold OUs and accounts in an organization tree (Organizations' `ParentId`):
/// the root or an organizational unit.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ParentId {
    /// The organization's root.
    Root(RootId),
    /// An organizational unit.
    OrganizationalUnit(OuId),
}

impl ParentId {
    /// Parses a root id (`r-...`) or an OU id (`ou-...-...`).
    pub fn parse(s: &str) -> Result<ParentId, ParseError> {
        if let Ok(root) = RootId::parse(s) {
            Ok(ParentId::Root(root))
        } else if let Ok(ou) = OuId::parse(s) {
            Ok(ParentId::OrganizationalUnit(ou))
        } else {
            Err(ParseError::new(
                "parent id",
                s,
                "must be a root id `r-...` or an organizational unit id `ou-...-...`",
            ))
        }
    }

    /// The id.
    pub fn as_str(&self) -> &str {
        match self {
            ParentId::Root(id) => id.as_str(),
            ParentId::OrganizationalUnit(id) => id.as_str(),
        }
    }
}

impl fmt::Display for ParentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for ParentId {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<ParentId, ParseError> {
        ParentId::parse(s)
    }
}

impl From<RootId> for ParentId {
    fn from(id: RootId) -> ParentId {
        ParentId::Root(id)
    }
}

impl From<OuId> for ParentId {
    fn from(id: OuId) -> ParentId {
        ParentId::OrganizationalUnit(id)
    }
}

impl serde::Serialize for ParentId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for ParentId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<ParentId, D::Error> {
        let s = String::deserialize(d)?;
        ParentId::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use OrganizationNodeType::{Account, Organization, OrganizationalUnit};

    fn parse(t: OrganizationNodeType, v: &str) -> Result<OrganizationNodeValue, ParseError> {
        OrganizationNodeValue::parse(t, v)
    }

    #[test]
    fn organization_node_accepts_organization_id_or_its_arn() {
        let org = OrganizationId::parse("o-abcdefghij").unwrap();
        assert_eq!(
            parse(Organization, "o-abcdefghij").unwrap(),
            OrganizationNodeValue::Organization(org.clone())
        );
        assert_eq!(
            parse(
                Organization,
                "arn:aws:organizations::123456789012:organization/o-abcdefghij"
            )
            .unwrap(),
            OrganizationNodeValue::Organization(org)
        );
        for bad in [
            "o-short",
            "arn:aws:organizations::12345678901:organization/o-abcdefghij",
            "arn:aws:organizations::123456789012:organization/o-abcdefghij/x",
            "arn:aws:organizations:us-east-1:123456789012:organization/o-abcdefghij",
            "arn:aws-cn:organizations::123456789012:organization/o-abcdefghij",
            "ou-ab12-abcdefgh",
            "123456789012",
        ] {
            assert!(parse(Organization, bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn organization_node_accepts_ou_id_or_its_arn() {
        let ou = OuId::parse("ou-ab12-abcdefgh").unwrap();
        assert_eq!(
            parse(OrganizationalUnit, "ou-ab12-abcdefgh").unwrap(),
            OrganizationNodeValue::OrganizationalUnit(ou.clone())
        );
        let v = parse(
            OrganizationalUnit,
            "arn:aws:organizations::123456789012:ou/o-abcdefghij/ou-ab12-abcdefgh",
        )
        .unwrap();
        assert_eq!(v, OrganizationNodeValue::OrganizationalUnit(ou));
        assert_eq!(v.as_str(), "ou-ab12-abcdefgh");
        for bad in [
            "ou-ab1-abcdefgh",
            "arn:aws:organizations::123456789012:ou/ou-ab12-abcdefgh",
            "arn:aws:organizations::123456789012:ou/o-abcdefghij/ou-ab12-abcdefgh/x",
            "o-abcdefghij",
        ] {
            assert!(parse(OrganizationalUnit, bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn organization_node_account_is_12_digits() {
        assert_eq!(
            parse(Account, "123456789012").unwrap().node_type(),
            OrganizationNodeType::Account
        );
        for bad in [
            "12345678901",
            "o-abcdefghij",
            "arn:aws:iam::123456789012:root",
        ] {
            assert!(parse(Account, bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn organization_node_value_must_match_its_type() {
        let e = parse(Organization, "ou-ab12-abcdefgh").unwrap_err();
        assert!(e.for_field("OrganizationNode.Value").message().contains(
            "invalid value `ou-ab12-abcdefgh` for `OrganizationNode.Value`: must be an organization id"
        ));
        assert!(parse(Account, "ou-ab12-abcdefgh").is_err());
    }

    #[test]
    fn parent_id_is_a_root_or_an_ou() {
        assert!(matches!(
            ParentId::parse("r-ab12").unwrap(),
            ParentId::Root(_)
        ));
        assert!(matches!(
            ParentId::parse("ou-ab12-abcdefgh").unwrap(),
            ParentId::OrganizationalUnit(_)
        ));
        for bad in ["", "o-abcdefghij", "r-a", "123456789012"] {
            assert!(ParentId::parse(bad).is_err(), "{bad}");
        }
        let p: ParentId = serde_json::from_str("\"r-ab12\"").unwrap();
        assert_eq!(serde_json::to_string(&p).unwrap(), "\"r-ab12\"");
    }
}
