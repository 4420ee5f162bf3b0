//! The state of a [`crate::MemoryStore`] as rows: what a durable store writes after each change
//! and reads back at start ([`crate::MemoryStore::restore`]). One row per portfolio,
//! idempotency token, share operation, organization, OU, member account and create-account
//! request, each carrying its places in the store's orders, so that a restored store lists
//! everything in the order it was created.

use portcullis_model::{
    AccountId, PortfolioId, PrincipalType, ProductId, Region, ServicePrincipal, Timestamp,
};
use serde::{Deserialize, Serialize};

use crate::iam::PrincipalRecord;
use crate::products::ProductRecord;
use crate::types::{
    CreateAccountRecord, Import, MemberAccount, OrganizationRecord, OuRecord, PortfolioRecord,
    ShareOperation, ShareRecord,
};

/// One principal association as stored: the ARN as it was associated, parsed again on restore.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssociationRow {
    /// The account that holds it.
    pub account: AccountId,
    /// Its place in the association order.
    pub seq: u64,
    /// `IAM` or `IAM_PATTERN`.
    pub principal_type: PrincipalType,
    /// The ARN or pattern.
    pub arn: String,
}

/// One portfolio with its associations, shares, imports and products.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortfolioRow {
    /// Its place in the creation order.
    pub seq: u64,
    /// The portfolio.
    pub record: PortfolioRecord,
    /// Its associations.
    pub associations: Vec<AssociationRow>,
    /// Its shares, each with its place in the share order.
    pub shares: Vec<(u64, ShareRecord)>,
    /// Its imports, each with its place in the recipient's import order.
    pub imports: Vec<(u64, Import)>,
    /// The products associated with it, each with its place in the association order (absent
    /// from rows written before products existed).
    #[serde(default)]
    pub products: Vec<(u64, ProductId)>,
}

/// One product, live or deleted (a deleted product's row stays so its id is never reused).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductRow {
    /// Its place in the creation order.
    pub seq: u64,
    /// The product.
    pub record: ProductRecord,
    /// Whether it was deleted.
    pub deleted: bool,
}

/// A `CreateProduct` idempotency token and the product it first created.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductIdempotencyRow {
    /// The creating account.
    pub owner: AccountId,
    /// The region.
    pub region: Region,
    /// The token.
    pub token: String,
    /// The record first created with it.
    pub product: ProductRecord,
}

/// A `CreatePortfolio` idempotency token and the portfolio it first created.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdempotencyRow {
    /// The creating account.
    pub owner: AccountId,
    /// The region.
    pub region: Region,
    /// The token.
    pub token: String,
    /// The record first created with it.
    pub portfolio: PortfolioRecord,
}

/// One delegated administrator registration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DelegationRow {
    /// Its place in the registration order.
    pub seq: u64,
    /// The service.
    pub service_principal: ServicePrincipal,
    /// The member account.
    pub account: AccountId,
    /// When it was registered.
    pub since: Timestamp,
}

/// One organization with its delegated administrators and service access.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationRow {
    /// The organization.
    pub record: OrganizationRecord,
    /// Its delegated administrators.
    pub delegated: Vec<DelegationRow>,
    /// The services with access to it.
    pub service_access: Vec<ServicePrincipal>,
}

/// One organizational unit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OuRow {
    /// Its place in the creation order.
    pub seq: u64,
    /// The OU.
    pub record: OuRecord,
}

/// One member account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRow {
    /// Its place in the joining order.
    pub seq: u64,
    /// The account.
    pub record: MemberAccount,
}

/// Everything a [`crate::MemoryStore`] holds, as rows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredState {
    /// Live portfolios.
    pub portfolios: Vec<PortfolioRow>,
    /// Ids of deleted portfolios, never handed out again.
    pub retired: Vec<PortfolioId>,
    /// Idempotency tokens.
    pub idempotency: Vec<IdempotencyRow>,
    /// Share operations.
    pub share_operations: Vec<ShareOperation>,
    /// Organizations.
    pub organizations: Vec<OrganizationRow>,
    /// OUs.
    pub ous: Vec<OuRow>,
    /// Member accounts.
    pub members: Vec<MemberRow>,
    /// `CreateAccount` requests.
    pub create_requests: Vec<CreateAccountRecord>,
    /// IAM principals, deleted ones included (their ids are never handed out again).
    #[serde(default)]
    pub principals: Vec<PrincipalRecord>,
    /// Products, deleted ones included (their ids are never handed out again).
    #[serde(default)]
    pub products: Vec<ProductRow>,
    /// `CreateProduct` idempotency tokens.
    #[serde(default)]
    pub product_idempotency: Vec<ProductIdempotencyRow>,
}
