//! portcullis's own operations, beyond AWS (SPEC §1, §6): access evaluation and its reverse
//! query. Same protocol and naming conventions as Service Catalog's.

use serde::{Deserialize, Serialize};

use super::catalog::{PortfolioDetailsPage, PortfolioShareDetail};
use super::products::ProductViewSummary;
use crate::{AccountId, PageToken, PortfolioId, PrincipalType};

/// `CheckPortfolioAccess` request: may this principal use this portfolio?
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CheckPortfolioAccessInput {
    /// `AcceptLanguage`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accept_language: Option<String>,
    /// `PortfolioId` (required)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub portfolio_id: Option<String>,
    /// `PrincipalARN` (required): a fully defined IAM principal ARN.
    #[serde(rename = "PrincipalARN", skip_serializing_if = "Option::is_none")]
    pub principal_arn: Option<String>,
}

/// A principal association that grants access: whose it is (the portfolio owner's, or a
/// recipient's on the imported portfolio) and what it holds.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GrantingAssociation {
    /// `AccountId`: the account the association belongs to.
    pub account_id: AccountId,
    /// `PrincipalARN`: the associated ARN or pattern.
    #[serde(rename = "PrincipalARN")]
    pub principal_arn: String,
    /// `PrincipalType`
    pub principal_type: PrincipalType,
}

/// One reason a principal may use a portfolio: an association, reached through a share when the
/// principal's account is not the owner's.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AccessGrant {
    /// `Association`: the association that matches the principal.
    pub association: GrantingAssociation,
    /// `Share`: the share that brings the portfolio to the principal's account; absent when the
    /// principal is in the owner's account.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share: Option<PortfolioShareDetail>,
}

/// `CheckPortfolioAccess` response.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CheckPortfolioAccessOutput {
    /// `Allowed`: whether any grant exists.
    pub allowed: bool,
    /// `Grants`: every association and share that grants access, so that a caller sees what must
    /// be removed to revoke it.
    pub grants: Vec<AccessGrant>,
    /// `UnboundAssociations`: `IAM` associations made with this ARN that do not grant it,
    /// because the principal they are bound to was deleted (SPEC §4.4); absent when there are
    /// none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unbound_associations: Vec<UnboundAssociation>,
}

/// An `IAM` association made with a principal's ARN that no longer grants that ARN: it is bound
/// to a principal that was deleted (SPEC §4.4).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UnboundAssociation {
    /// `AccountId`: the account that holds the association.
    pub account_id: AccountId,
    /// `PrincipalId`: the unique id of the deleted principal it is bound to, which is also what
    /// `ListPrincipalsForPortfolio` shows and what disassociates it.
    pub principal_id: String,
    /// `Reason`: why it does not grant the ARN, in words.
    pub reason: String,
}

/// `ListPortfoliosForPrincipal` request: which portfolios may this principal use?
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListPortfoliosForPrincipalInput {
    /// `AcceptLanguage`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accept_language: Option<String>,
    /// `PrincipalARN` (required): a fully defined IAM principal ARN.
    #[serde(rename = "PrincipalARN", skip_serializing_if = "Option::is_none")]
    pub principal_arn: Option<String>,
    /// `PageToken`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_token: Option<String>,
    /// `PageSize`: 0–100.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_size: Option<i64>,
}

/// `ListPortfoliosForPrincipal` response: `PortfolioDetails` and `NextPageToken`.
pub type ListPortfoliosForPrincipalOutput = PortfolioDetailsPage;

/// `ListProductsForPrincipal` request: which products may this principal launch?
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListProductsForPrincipalInput {
    /// `AcceptLanguage`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accept_language: Option<String>,
    /// `PrincipalARN` (required): a fully defined IAM principal ARN.
    #[serde(rename = "PrincipalARN", skip_serializing_if = "Option::is_none")]
    pub principal_arn: Option<String>,
    /// `PageToken`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_token: Option<String>,
    /// `PageSize`: 0–100.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_size: Option<i64>,
}

/// One product a principal may launch, through one portfolio: the product, the portfolio that
/// holds it, and every grant that lets the principal use that portfolio.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ProductAccessDetail {
    /// `ProductViewSummary`
    pub product_view_summary: ProductViewSummary,
    /// `PortfolioId`: the portfolio that holds the product.
    pub portfolio_id: PortfolioId,
    /// `Grants`: every association (and the share it goes through) that lets the principal use
    /// the portfolio, as `CheckPortfolioAccess` answers them.
    pub grants: Vec<AccessGrant>,
}

/// `ListProductsForPrincipal` response.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListProductsForPrincipalOutput {
    /// `ProductAccess`: one entry per product and portfolio, portfolios in the order
    /// `ListPortfoliosForPrincipal` answers them, products in association order.
    pub product_access: Vec<ProductAccessDetail>,
    /// `NextPageToken`: absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_page_token: Option<PageToken>,
}

/// `AuditPortfolioSharing` request: which `IAM_PATTERN` associations open a path into other
/// accounts through principal sharing (SPEC §6, escalation audit).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AuditPortfolioSharingInput {
    /// `AcceptLanguage`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accept_language: Option<String>,
    /// `PortfolioId`: one portfolio the caller owns; absent: every portfolio the caller owns in
    /// the region.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub portfolio_id: Option<String>,
}

/// A principal that exists in a reached account and matches the pattern today.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MatchingPrincipal {
    /// `AccountId`
    pub account_id: AccountId,
    /// `PrincipalARN`
    #[serde(rename = "PrincipalARN")]
    pub principal_arn: String,
    /// `PrincipalId`: its unique id.
    pub principal_id: String,
}

/// How easily a principal that matches a pattern can be found or made in a reached account,
/// judged from the pattern's shape alone (docs/decisions.md, "Guessability").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Guessability {
    /// No wildcard: one name, in every reached account.
    Low,
    /// Wildcards with enough literal text that matches are not commonly found.
    Medium,
    /// Short literal parts, a commonly used name, or an IAM Identity Center role shape.
    High,
    /// The name is only wildcards: any principal of the type (under the path) matches.
    Critical,
}

/// One `IAM_PATTERN` association that reaches other accounts through a share with principal
/// sharing on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AuditFinding {
    /// `PortfolioId`
    pub portfolio_id: String,
    /// `PrincipalARN`: the pattern.
    #[serde(rename = "PrincipalARN")]
    pub principal_arn: String,
    /// `Share`: the share it travels through.
    pub share: PortfolioShareDetail,
    /// `ReachedAccounts`: the accounts the share covers now, the owner's excluded.
    pub reached_accounts: Vec<AccountId>,
    /// `MatchingPrincipals`: the principals that exist in those accounts and match today.
    pub matching_principals: Vec<MatchingPrincipal>,
    /// `Guessability`
    pub guessability: Guessability,
    /// `Reasons`: why, in words, one line per rule that applies.
    pub reasons: Vec<String>,
    /// `Remedy`: what to do, as the seeds say.
    pub remedy: String,
}

/// `AuditPortfolioSharing` response.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AuditPortfolioSharingOutput {
    /// `Findings`: most guessable first, then by portfolio, pattern and share.
    pub findings: Vec<AuditFinding>,
}
