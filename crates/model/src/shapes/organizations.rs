//! The AWS Organizations subset (API version 2016-11-28, SPEC §8), with AWS's member names.

use serde::{Deserialize, Serialize};

use crate::{
    AccountId, AccountJoinedMethod, AccountState, AccountStatus, CreateAccountFailureReason,
    CreateAccountRequestId, CreateAccountState, OrganizationFeatureSet, OrganizationId, OuId,
    RootId, Timestamp,
};

use super::catalog::TagInput;

/// A policy type and its status in an organization or root (`PolicyTypeSummary`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PolicyTypeSummary {
    /// `Type`, for example `SERVICE_CONTROL_POLICY`.
    #[serde(rename = "Type")]
    pub policy_type: String,
    /// `Status`: `ENABLED`, `PENDING_ENABLE` or `PENDING_DISABLE`.
    pub status: String,
}

/// An organization (`Organization`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Organization {
    /// `Id`
    pub id: OrganizationId,
    /// `Arn`
    pub arn: String,
    /// `FeatureSet`
    pub feature_set: OrganizationFeatureSet,
    /// `MasterAccountArn`
    pub master_account_arn: String,
    /// `MasterAccountId`
    pub master_account_id: AccountId,
    /// `MasterAccountEmail`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub master_account_email: Option<String>,
    /// `AvailablePolicyTypes`
    pub available_policy_types: Vec<PolicyTypeSummary>,
}

/// `CreateOrganization` request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateOrganizationRequest {
    /// `FeatureSet`: `ALL` (default) or `CONSOLIDATED_BILLING`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feature_set: Option<String>,
}

/// `CreateOrganization` response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateOrganizationResponse {
    /// `Organization`
    pub organization: Organization,
}

/// `DescribeOrganization` request: `{}` (AWS's model has no input shape).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DescribeOrganizationRequest {}

/// `DescribeOrganization` response.
pub type DescribeOrganizationResponse = CreateOrganizationResponse;

/// `ListRoots` request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListRootsRequest {
    /// `NextToken`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    /// `MaxResults`: 1–20.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i64>,
}

/// An organization's root (`Root`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Root {
    /// `Id`
    pub id: RootId,
    /// `Arn`
    pub arn: String,
    /// `Name`
    pub name: String,
    /// `PolicyTypes`
    pub policy_types: Vec<PolicyTypeSummary>,
}

/// `ListRoots` response.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListRootsResponse {
    /// `Roots`
    pub roots: Vec<Root>,
    /// `NextToken`: absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// An organizational unit (`OrganizationalUnit`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct OrganizationalUnit {
    /// `Id`
    pub id: OuId,
    /// `Arn`
    pub arn: String,
    /// `Name`
    pub name: String,
}

/// `CreateOrganizationalUnit` request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateOrganizationalUnitRequest {
    /// `ParentId` (required): a root or OU id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<String>,
    /// `Name` (required): 1–128 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `Tags`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<TagInput>>,
}

/// `CreateOrganizationalUnit` response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateOrganizationalUnitResponse {
    /// `OrganizationalUnit`
    pub organizational_unit: OrganizationalUnit,
}

/// `ListOrganizationalUnitsForParent` request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListOrganizationalUnitsForParentRequest {
    /// `ParentId` (required)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<String>,
    /// `NextToken`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    /// `MaxResults`: 1–20.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i64>,
}

/// `ListOrganizationalUnitsForParent` response.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListOrganizationalUnitsForParentResponse {
    /// `OrganizationalUnits`
    pub organizational_units: Vec<OrganizationalUnit>,
    /// `NextToken`: absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// `CreateAccount` request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateAccountRequest {
    /// `Email` (required)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// `AccountName` (required): 1–50 printable ASCII characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_name: Option<String>,
    /// `RoleName`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role_name: Option<String>,
    /// `IamUserAccessToBilling`: `ALLOW` or `DENY`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iam_user_access_to_billing: Option<String>,
    /// `Tags`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<TagInput>>,
}

/// The status of a `CreateAccount` request (`CreateAccountStatus`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateAccountStatus {
    /// `Id`
    pub id: CreateAccountRequestId,
    /// `AccountName`
    pub account_name: String,
    /// `State`
    pub state: CreateAccountState,
    /// `RequestedTimestamp`
    pub requested_timestamp: Timestamp,
    /// `CompletedTimestamp`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completed_timestamp: Option<Timestamp>,
    /// `AccountId`: the new account, once it exists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_id: Option<AccountId>,
    /// `FailureReason`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure_reason: Option<CreateAccountFailureReason>,
}

/// `CreateAccount` response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateAccountResponse {
    /// `CreateAccountStatus`
    pub create_account_status: CreateAccountStatus,
}

/// `DescribeCreateAccountStatus` request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeCreateAccountStatusRequest {
    /// `CreateAccountRequestId` (required)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub create_account_request_id: Option<String>,
}

/// `DescribeCreateAccountStatus` response.
pub type DescribeCreateAccountStatusResponse = CreateAccountResponse;

/// A member account (`Account`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Account {
    /// `Id`
    pub id: AccountId,
    /// `Arn`
    pub arn: String,
    /// `Email`
    pub email: String,
    /// `Name`
    pub name: String,
    /// `Status`
    pub status: AccountStatus,
    /// `State`: the same as `Status` (accounts here are never pending activation or closed).
    pub state: AccountState,
    /// `JoinedMethod`
    pub joined_method: AccountJoinedMethod,
    /// `JoinedTimestamp`
    pub joined_timestamp: Timestamp,
}

/// `ListAccounts` request.
pub type ListAccountsRequest = ListRootsRequest;

/// `ListAccounts` response.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListAccountsResponse {
    /// `Accounts`
    pub accounts: Vec<Account>,
    /// `NextToken`: absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// `MoveAccount` request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MoveAccountRequest {
    /// `AccountId` (required)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// `SourceParentId` (required)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_parent_id: Option<String>,
    /// `DestinationParentId` (required)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destination_parent_id: Option<String>,
}

/// `MoveAccount` response: `{}` (AWS's model has no output shape).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoveAccountResponse {}

/// `RegisterDelegatedAdministrator` request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RegisterDelegatedAdministratorRequest {
    /// `AccountId` (required)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// `ServicePrincipal` (required)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_principal: Option<String>,
}

/// `RegisterDelegatedAdministrator` response: `{}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterDelegatedAdministratorResponse {}

/// `DeregisterDelegatedAdministrator` request.
pub type DeregisterDelegatedAdministratorRequest = RegisterDelegatedAdministratorRequest;

/// `DeregisterDelegatedAdministrator` response: `{}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeregisterDelegatedAdministratorResponse {}

/// `ListDelegatedAdministrators` request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListDelegatedAdministratorsRequest {
    /// `ServicePrincipal`: only administrators for this service.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_principal: Option<String>,
    /// `NextToken`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    /// `MaxResults`: 1–20.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i64>,
}

/// A delegated administrator (`DelegatedAdministrator`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DelegatedAdministrator {
    /// `Id`
    pub id: AccountId,
    /// `Arn`
    pub arn: String,
    /// `Email`
    pub email: String,
    /// `Name`
    pub name: String,
    /// `Status`
    pub status: AccountStatus,
    /// `State`: the same as `Status` (accounts here are never pending activation or closed).
    pub state: AccountState,
    /// `JoinedMethod`
    pub joined_method: AccountJoinedMethod,
    /// `JoinedTimestamp`
    pub joined_timestamp: Timestamp,
    /// `DelegationEnabledDate`
    pub delegation_enabled_date: Timestamp,
}

/// `ListDelegatedAdministrators` response.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListDelegatedAdministratorsResponse {
    /// `DelegatedAdministrators`
    pub delegated_administrators: Vec<DelegatedAdministrator>,
    /// `NextToken`: absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}
