//! The IAM subset (API version 2010-05-08) and STS `GetCallerIdentity` (2011-06-15), served over
//! the AWS Query protocol (SPEC §1, §4.4).
//!
//! Requests are form fields (`UserName=…&Path=…`): every member is kept as its raw text, and the
//! service validates it (IAM answers `ValidationError`). Responses serialize as the members of
//! the Query protocol's `<{Operation}Result>` element: lists as `<member>` elements, timestamps
//! in ISO 8601.

use serde::{Deserialize, Serialize};

use crate::{AccountId, PrincipalId, Timestamp};

/// A list as the AWS Query protocol writes it: one `<member>` element per item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Members<T> {
    /// The items.
    pub member: Vec<T>,
}

impl<T> From<Vec<T>> for Members<T> {
    fn from(member: Vec<T>) -> Members<T> {
        Members { member }
    }
}

/// An IAM user (`User`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct User {
    /// `Path`
    pub path: String,
    /// `UserName`
    pub user_name: String,
    /// `UserId`: the unique id, `AIDA…`.
    pub user_id: PrincipalId,
    /// `Arn`
    pub arn: String,
    /// `CreateDate`
    #[serde(serialize_with = "crate::time::serialize_iso8601")]
    pub create_date: Timestamp,
}

/// An IAM group (`Group`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Group {
    /// `Path`
    pub path: String,
    /// `GroupName`
    pub group_name: String,
    /// `GroupId`: the unique id, `AGPA…`.
    pub group_id: PrincipalId,
    /// `Arn`
    pub arn: String,
    /// `CreateDate`
    #[serde(serialize_with = "crate::time::serialize_iso8601")]
    pub create_date: Timestamp,
}

/// An IAM role (`Role`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Role {
    /// `Path`
    pub path: String,
    /// `RoleName`
    pub role_name: String,
    /// `RoleId`: the unique id, `AROA…`.
    pub role_id: PrincipalId,
    /// `Arn`
    pub arn: String,
    /// `CreateDate`
    #[serde(serialize_with = "crate::time::serialize_iso8601")]
    pub create_date: Timestamp,
    /// `AssumeRolePolicyDocument`, as given (IAM answers it URL-encoded; botocore decodes it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assume_role_policy_document: Option<String>,
    /// `Description`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `MaxSessionDuration` in seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_session_duration: Option<i64>,
}

/// `CreateUser` request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateUserInput {
    /// `Path` (default `/`).
    pub path: Option<String>,
    /// `UserName` (required).
    pub user_name: Option<String>,
}

/// `GetUser` and `DeleteUser` requests.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserNameInput {
    /// `UserName`
    pub user_name: Option<String>,
}

/// `CreateUser` and `GetUser` responses.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserOutput {
    /// `User`
    pub user: User,
}

/// `CreateRole` request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateRoleInput {
    /// `Path` (default `/`).
    pub path: Option<String>,
    /// `RoleName` (required).
    pub role_name: Option<String>,
    /// `AssumeRolePolicyDocument` (required).
    pub assume_role_policy_document: Option<String>,
    /// `Description`
    pub description: Option<String>,
    /// `MaxSessionDuration`: 3600–43200 seconds (default 3600).
    pub max_session_duration: Option<String>,
}

/// `GetRole` and `DeleteRole` requests.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RoleNameInput {
    /// `RoleName` (required).
    pub role_name: Option<String>,
}

/// `CreateRole` and `GetRole` responses.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RoleOutput {
    /// `Role`
    pub role: Role,
}

/// `CreateGroup` request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateGroupInput {
    /// `Path` (default `/`).
    pub path: Option<String>,
    /// `GroupName` (required).
    pub group_name: Option<String>,
}

/// `DeleteGroup` request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GroupNameInput {
    /// `GroupName` (required).
    pub group_name: Option<String>,
}

/// `CreateGroup` response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GroupOutput {
    /// `Group`
    pub group: Group,
}

/// `GetGroup` request: the group and a page of its users.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetGroupInput {
    /// `GroupName` (required).
    pub group_name: Option<String>,
    /// `Marker`
    pub marker: Option<String>,
    /// `MaxItems`: 1–1000.
    pub max_items: Option<String>,
}

/// `GetGroup` response. Group membership is not modelled: `Users` is always empty.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetGroupOutput {
    /// `Group`
    pub group: Group,
    /// `Users`
    pub users: Members<User>,
    /// `IsTruncated`
    pub is_truncated: bool,
}

/// `ListUsers`, `ListRoles` and `ListGroups` requests.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListPrincipalsInput {
    /// `PathPrefix` (default `/`: everything).
    pub path_prefix: Option<String>,
    /// `Marker`: where the previous page stopped.
    pub marker: Option<String>,
    /// `MaxItems`: 1–1000 (default 100).
    pub max_items: Option<String>,
}

/// `ListUsers` response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListUsersOutput {
    /// `Users`
    pub users: Members<User>,
    /// `IsTruncated`
    pub is_truncated: bool,
    /// `Marker`: present when truncated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marker: Option<String>,
}

/// `ListRoles` response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListRolesOutput {
    /// `Roles`
    pub roles: Members<Role>,
    /// `IsTruncated`
    pub is_truncated: bool,
    /// `Marker`: present when truncated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marker: Option<String>,
}

/// `ListGroups` response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListGroupsOutput {
    /// `Groups`
    pub groups: Members<Group>,
    /// `IsTruncated`
    pub is_truncated: bool,
    /// `Marker`: present when truncated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marker: Option<String>,
}

/// The response of an operation that answers nothing but its request id (`DeleteUser`, …).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct EmptyOutput {}

/// STS `GetCallerIdentity` request (no members).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct GetCallerIdentityInput {}

/// STS `GetCallerIdentity` response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetCallerIdentityOutput {
    /// `UserId`
    pub user_id: String,
    /// `Account`
    pub account: AccountId,
    /// `Arn`
    pub arn: String,
}
