//! Service Catalog's request and response shapes (API version 2015-12-10), with AWS's member
//! names.

use serde::{Deserialize, Serialize};

use crate::{
    AccessStatus, AccountId, DescribePortfolioShareType, OrganizationNodeType, PageToken,
    PortfolioId, PortfolioShareToken, PrincipalType, ShareStatus, Timestamp,
};

// ---- shared structures -------------------------------------------------------------------------

/// A tag as sent in a request (`Tag`): both members raw, both required.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "PascalCase")]
pub struct TagInput {
    /// `Key`: 1–128 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// `Value`: 1–256 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

map_only_structure!(TagInput);

/// A tag in a response (`Tag`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Tag {
    /// `Key`
    pub key: String,
    /// `Value`
    pub value: String,
}

/// An organization node as sent in a request (`OrganizationNode`): both members raw.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "PascalCase")]
pub struct OrganizationNodeInput {
    /// `Type`: `ORGANIZATION`, `ORGANIZATIONAL_UNIT` or `ACCOUNT`.
    #[serde(rename = "Type", skip_serializing_if = "Option::is_none")]
    pub node_type: Option<String>,
    /// `Value`: the node's id (or, for organizations and OUs, its ARN).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

map_only_structure!(OrganizationNodeInput);

/// An organization node in a response (`OrganizationNode`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct OrganizationNode {
    /// `Type`
    #[serde(rename = "Type")]
    pub node_type: OrganizationNodeType,
    /// `Value`: the node's id.
    pub value: String,
}

/// A portfolio as responses describe it (`PortfolioDetail`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PortfolioDetail {
    /// `Id`
    pub id: PortfolioId,
    /// `ARN`: `arn:{partition}:catalog:{region}:{owner}:portfolio/{id}`.
    #[serde(rename = "ARN")]
    pub arn: String,
    /// `DisplayName`
    pub display_name: String,
    /// `Description`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `CreatedTime`: epoch seconds.
    pub created_time: Timestamp,
    /// `ProviderName`
    pub provider_name: String,
}

/// A principal associated with a portfolio (`Principal`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Principal {
    /// `PrincipalARN`
    #[serde(rename = "PrincipalARN")]
    pub principal_arn: String,
    /// `PrincipalType`
    pub principal_type: PrincipalType,
}

/// One share of a portfolio seen by its owner (`PortfolioShareDetail`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PortfolioShareDetail {
    /// `PrincipalId`: the recipient account, OU or organization id.
    pub principal_id: String,
    /// `Type`
    #[serde(rename = "Type")]
    pub share_type: DescribePortfolioShareType,
    /// `Accepted`: whether the recipient imported the share (always true for organization
    /// nodes).
    pub accepted: bool,
    /// `ShareTagOptions`
    pub share_tag_options: bool,
    /// `SharePrincipals`
    pub share_principals: bool,
}

/// An error of a share operation (`ShareError`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ShareError {
    /// `Accounts`: the accounts the error concerns.
    pub accounts: Vec<AccountId>,
    /// `Message`
    pub message: String,
    /// `Error`: the error type.
    pub error: String,
}

/// The outcome of a share operation per account (`ShareDetails`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ShareDetails {
    /// `SuccessfulShares`: the accounts the operation reached.
    pub successful_shares: Vec<AccountId>,
    /// `ShareErrors`
    pub share_errors: Vec<ShareError>,
}

// ---- core operations ---------------------------------------------------------------------------

/// `AssociatePrincipalWithPortfolio` request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AssociatePrincipalWithPortfolioInput {
    /// `AcceptLanguage`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accept_language: Option<String>,
    /// `PortfolioId` (required)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub portfolio_id: Option<String>,
    /// `PrincipalARN` (required)
    #[serde(rename = "PrincipalARN", skip_serializing_if = "Option::is_none")]
    pub principal_arn: Option<String>,
    /// `PrincipalType` (required)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub principal_type: Option<String>,
}

/// `AssociatePrincipalWithPortfolio` response: `{}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssociatePrincipalWithPortfolioOutput {}

/// `DisassociatePrincipalFromPortfolio` request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DisassociatePrincipalFromPortfolioInput {
    /// `AcceptLanguage`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accept_language: Option<String>,
    /// `PortfolioId` (required)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub portfolio_id: Option<String>,
    /// `PrincipalARN` (required)
    #[serde(rename = "PrincipalARN", skip_serializing_if = "Option::is_none")]
    pub principal_arn: Option<String>,
    /// `PrincipalType`: `IAM` when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub principal_type: Option<String>,
}

/// `DisassociatePrincipalFromPortfolio` response: `{}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisassociatePrincipalFromPortfolioOutput {}

/// `CreatePortfolioShare` request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreatePortfolioShareInput {
    /// `AcceptLanguage`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accept_language: Option<String>,
    /// `PortfolioId` (required)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub portfolio_id: Option<String>,
    /// `AccountId`: exactly one of this and `OrganizationNode`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// `OrganizationNode`: exactly one of this and `AccountId`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_node: Option<OrganizationNodeInput>,
    /// `ShareTagOptions`: false when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share_tag_options: Option<bool>,
    /// `SharePrincipals`: false when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share_principals: Option<bool>,
}

/// `CreatePortfolioShare` response.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreatePortfolioShareOutput {
    /// `PortfolioShareToken`: only for organization-node shares.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub portfolio_share_token: Option<PortfolioShareToken>,
}

// ---- portfolios --------------------------------------------------------------------------------

/// `CreatePortfolio` request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreatePortfolioInput {
    /// `AcceptLanguage`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accept_language: Option<String>,
    /// `DisplayName` (required): 1–100 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// `Description`: at most 2,000 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `ProviderName` (required): 1–50 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider_name: Option<String>,
    /// `Tags`: at most 20.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<TagInput>>,
    /// `IdempotencyToken` (required by AWS; SDKs fill it in): 1–128 characters of
    /// `[a-zA-Z0-9][a-zA-Z0-9_-]*`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub idempotency_token: Option<String>,
}

/// `CreatePortfolio` response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreatePortfolioOutput {
    /// `PortfolioDetail`
    pub portfolio_detail: PortfolioDetail,
    /// `Tags`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
}

/// `DescribePortfolio` request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribePortfolioInput {
    /// `AcceptLanguage`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accept_language: Option<String>,
    /// `Id` (required): the portfolio id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

/// `DescribePortfolio` response (without `TagOptions` and `Budgets`, which this project does not
/// model).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribePortfolioOutput {
    /// `PortfolioDetail`
    pub portfolio_detail: PortfolioDetail,
    /// `Tags`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    /// `TagOptions`: always present, as AWS answers it; empty, as portcullis keeps no TagOptions.
    #[serde(default)]
    pub tag_options: Vec<TagOptionDetail>,
}

/// A TagOption (`TagOptionDetail`). portcullis keeps none; the shape is here so that
/// `DescribePortfolio` answers the member as AWS does.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TagOptionDetail {
    /// `Key`
    pub key: String,
    /// `Value`
    pub value: String,
    /// `Active`
    pub active: bool,
    /// `Id`
    pub id: String,
    /// `Owner`
    pub owner: String,
}

/// `UpdatePortfolio` request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdatePortfolioInput {
    /// `AcceptLanguage`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accept_language: Option<String>,
    /// `Id` (required): the portfolio id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `DisplayName`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// `Description`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `ProviderName`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider_name: Option<String>,
    /// `AddTags`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub add_tags: Option<Vec<TagInput>>,
    /// `RemoveTags`: tag keys.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remove_tags: Option<Vec<String>>,
}

/// `UpdatePortfolio` response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdatePortfolioOutput {
    /// `PortfolioDetail`
    pub portfolio_detail: PortfolioDetail,
    /// `Tags`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
}

/// `DeletePortfolio` request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeletePortfolioInput {
    /// `AcceptLanguage`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accept_language: Option<String>,
    /// `Id` (required): the portfolio id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

/// `DeletePortfolio` response: `{}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeletePortfolioOutput {}

/// `ListPortfolios` request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListPortfoliosInput {
    /// `AcceptLanguage`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accept_language: Option<String>,
    /// `PageToken`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_token: Option<String>,
    /// `PageSize`: 0–100.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_size: Option<i64>,
}

/// A page of portfolios: the response of `ListPortfolios`, `ListAcceptedPortfolioShares` and
/// `ListPortfoliosForPrincipal`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PortfolioDetailsPage {
    /// `PortfolioDetails`
    pub portfolio_details: Vec<PortfolioDetail>,
    /// `NextPageToken`: absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_page_token: Option<PageToken>,
}

/// `ListPortfolios` response.
pub type ListPortfoliosOutput = PortfolioDetailsPage;

// ---- principals --------------------------------------------------------------------------------

/// `ListPrincipalsForPortfolio` request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListPrincipalsForPortfolioInput {
    /// `AcceptLanguage`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accept_language: Option<String>,
    /// `PortfolioId` (required)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub portfolio_id: Option<String>,
    /// `PageSize`: 0–100.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_size: Option<i64>,
    /// `PageToken`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_token: Option<String>,
}

/// `ListPrincipalsForPortfolio` response.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListPrincipalsForPortfolioOutput {
    /// `Principals`
    pub principals: Vec<Principal>,
    /// `NextPageToken`: absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_page_token: Option<PageToken>,
}

// ---- shares ------------------------------------------------------------------------------------

/// `DescribePortfolioShares` request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribePortfolioSharesInput {
    /// `PortfolioId` (required)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub portfolio_id: Option<String>,
    /// `Type` (required): `ACCOUNT`, `ORGANIZATION`, `ORGANIZATIONAL_UNIT` or
    /// `ORGANIZATION_MEMBER_ACCOUNT`.
    #[serde(rename = "Type", skip_serializing_if = "Option::is_none")]
    pub share_type: Option<String>,
    /// `PageToken`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_token: Option<String>,
    /// `PageSize`: 0–100.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_size: Option<i64>,
}

/// `DescribePortfolioShares` response.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribePortfolioSharesOutput {
    /// `NextPageToken`: absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_page_token: Option<PageToken>,
    /// `PortfolioShareDetails`
    pub portfolio_share_details: Vec<PortfolioShareDetail>,
}

/// `DescribePortfolioShareStatus` request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribePortfolioShareStatusInput {
    /// `PortfolioShareToken` (required)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub portfolio_share_token: Option<String>,
}

/// `DescribePortfolioShareStatus` response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribePortfolioShareStatusOutput {
    /// `PortfolioShareToken`
    pub portfolio_share_token: PortfolioShareToken,
    /// `PortfolioId`
    pub portfolio_id: PortfolioId,
    /// `OrganizationNodeValue`: the node's id.
    pub organization_node_value: String,
    /// `Status`
    pub status: ShareStatus,
    /// `ShareDetails`
    pub share_details: ShareDetails,
}

/// `UpdatePortfolioShare` request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdatePortfolioShareInput {
    /// `AcceptLanguage`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accept_language: Option<String>,
    /// `PortfolioId` (required)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub portfolio_id: Option<String>,
    /// `AccountId`: exactly one of this and `OrganizationNode`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// `OrganizationNode`: exactly one of this and `AccountId`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_node: Option<OrganizationNodeInput>,
    /// `ShareTagOptions`: unchanged when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share_tag_options: Option<bool>,
    /// `SharePrincipals`: unchanged when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share_principals: Option<bool>,
}

/// `UpdatePortfolioShare` response.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdatePortfolioShareOutput {
    /// `PortfolioShareToken`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub portfolio_share_token: Option<PortfolioShareToken>,
    /// `Status`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<ShareStatus>,
}

/// `DeletePortfolioShare` request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeletePortfolioShareInput {
    /// `AcceptLanguage`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accept_language: Option<String>,
    /// `PortfolioId` (required)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub portfolio_id: Option<String>,
    /// `AccountId`: exactly one of this and `OrganizationNode`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// `OrganizationNode`: exactly one of this and `AccountId`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_node: Option<OrganizationNodeInput>,
}

/// `DeletePortfolioShare` response.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeletePortfolioShareOutput {
    /// `PortfolioShareToken`: only for organization-node shares.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub portfolio_share_token: Option<PortfolioShareToken>,
}

/// `AcceptPortfolioShare` request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AcceptPortfolioShareInput {
    /// `AcceptLanguage`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accept_language: Option<String>,
    /// `PortfolioId` (required)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub portfolio_id: Option<String>,
    /// `PortfolioShareType`: `IMPORTED`, `AWS_SERVICECATALOG` or `AWS_ORGANIZATIONS`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub portfolio_share_type: Option<String>,
}

/// `AcceptPortfolioShare` response: `{}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AcceptPortfolioShareOutput {}

/// `RejectPortfolioShare` request.
pub type RejectPortfolioShareInput = AcceptPortfolioShareInput;

/// `RejectPortfolioShare` response: `{}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectPortfolioShareOutput {}

/// `ListAcceptedPortfolioShares` request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListAcceptedPortfolioSharesInput {
    /// `AcceptLanguage`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accept_language: Option<String>,
    /// `PageToken`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_token: Option<String>,
    /// `PageSize`: 0–100.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_size: Option<i64>,
    /// `PortfolioShareType`: `IMPORTED` (default), `AWS_SERVICECATALOG` or `AWS_ORGANIZATIONS`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub portfolio_share_type: Option<String>,
}

/// `ListAcceptedPortfolioShares` response.
pub type ListAcceptedPortfolioSharesOutput = PortfolioDetailsPage;

/// `ListPortfolioAccess` request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListPortfolioAccessInput {
    /// `AcceptLanguage`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accept_language: Option<String>,
    /// `PortfolioId` (required)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub portfolio_id: Option<String>,
    /// `OrganizationParentId`: list the accounts under this node covered by organization shares.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_parent_id: Option<String>,
    /// `PageToken`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_token: Option<String>,
    /// `PageSize`: 0–100.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_size: Option<i64>,
}

/// `ListPortfolioAccess` response.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListPortfolioAccessOutput {
    /// `AccountIds`
    pub account_ids: Vec<AccountId>,
    /// `NextPageToken`: absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_page_token: Option<PageToken>,
}

/// `ListOrganizationPortfolioAccess` request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListOrganizationPortfolioAccessInput {
    /// `AcceptLanguage`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accept_language: Option<String>,
    /// `PortfolioId` (required)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub portfolio_id: Option<String>,
    /// `OrganizationNodeType` (required)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_node_type: Option<String>,
    /// `PageToken`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_token: Option<String>,
    /// `PageSize`: 0–100.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_size: Option<i64>,
}

/// `ListOrganizationPortfolioAccess` response.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListOrganizationPortfolioAccessOutput {
    /// `OrganizationNodes`
    pub organization_nodes: Vec<OrganizationNode>,
    /// `NextPageToken`: absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_page_token: Option<PageToken>,
}

// ---- organizations access ----------------------------------------------------------------------

/// `EnableAWSOrganizationsAccess` request: `{}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnableAwsOrganizationsAccessInput {}

/// `EnableAWSOrganizationsAccess` response: `{}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnableAwsOrganizationsAccessOutput {}

/// `DisableAWSOrganizationsAccess` request: `{}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisableAwsOrganizationsAccessInput {}

/// `DisableAWSOrganizationsAccess` response: `{}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisableAwsOrganizationsAccessOutput {}

/// `GetAWSOrganizationsAccessStatus` request: `{}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetAwsOrganizationsAccessStatusInput {}

/// `GetAWSOrganizationsAccessStatus` response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetAwsOrganizationsAccessStatusOutput {
    /// `AccessStatus`
    pub access_status: AccessStatus,
}
