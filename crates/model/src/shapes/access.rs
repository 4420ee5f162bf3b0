//! portcullis's own operations, beyond AWS (SPEC §1, §6): access evaluation and its reverse
//! query. Same protocol and naming conventions as Service Catalog's.

use serde::{Deserialize, Serialize};

use super::catalog::{PortfolioDetailsPage, PortfolioShareDetail};
use crate::{AccountId, PrincipalType};

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
