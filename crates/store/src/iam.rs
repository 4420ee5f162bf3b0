//! IAM principals as the store keeps them (SPEC §4.4): users, groups and roles with unique ids
//! that are never reused. Who may create what and how names and paths are checked is the
//! service's; the store keeps names unique per account and type, and ids unique forever.

use portcullis_matcher::ResourceType;
use portcullis_model::{AccountId, PrincipalId, Timestamp};
use serde::{Deserialize, Serialize};

/// The unique-id prefix of a principal type: `AIDA` for users, `AGPA` for groups, `AROA` for
/// roles.
pub fn principal_id_prefix(principal_type: ResourceType) -> &'static str {
    match principal_type {
        ResourceType::User => "AIDA",
        ResourceType::Group => "AGPA",
        ResourceType::Role => "AROA",
    }
}

/// What only a role has.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleDetails {
    /// `AssumeRolePolicyDocument`, as given.
    pub assume_role_policy_document: String,
    /// `Description`
    pub description: Option<String>,
    /// `MaxSessionDuration`, seconds.
    pub max_session_duration: i64,
}

/// What `create_principal` needs: everything but the unique id, which the store draws.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewPrincipal {
    /// The account it lives in.
    pub account: AccountId,
    /// User, group or role.
    pub principal_type: ResourceType,
    /// `/` or `/…/`.
    pub path: String,
    /// The name, unique (ignoring case) among the account's principals of this type.
    pub name: String,
    /// Its ARN.
    pub arn: String,
    /// When it is created.
    pub created: Timestamp,
    /// A role's details; `None` for users and groups.
    pub role: Option<RoleDetails>,
}

/// A principal as stored; a deleted one is kept (with `deleted` set) so that its id is never
/// handed out again and associations bound to it can still say whom they were bound to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrincipalRecord {
    /// The unique id.
    pub id: PrincipalId,
    /// The account it lives in.
    pub account: AccountId,
    /// User, group or role.
    pub principal_type: ResourceType,
    /// `/` or `/…/`.
    pub path: String,
    /// The name.
    pub name: String,
    /// Its ARN.
    pub arn: String,
    /// When it was created.
    pub created: Timestamp,
    /// A role's details.
    pub role: Option<RoleDetails>,
    /// When it was deleted; `None` while it exists.
    pub deleted: Option<Timestamp>,
}

impl PrincipalRecord {
    /// Whether the principal exists (was not deleted).
    pub fn exists(&self) -> bool {
        self.deleted.is_none()
    }
}

/// The key under which names are unique: IAM compares names ignoring case.
pub fn name_key(name: &str) -> String {
    name.to_ascii_lowercase()
}
