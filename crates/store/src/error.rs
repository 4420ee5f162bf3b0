//! Why a store operation refused.

use portcullis_model::{
    AccountId, OrganizationId, ParentId, PortfolioId, PrincipalType, ProductId, ServicePrincipal,
};

use portcullis_matcher::ResourceType;

use crate::types::{LimitKind, ShareTarget};

/// Why a store operation changed nothing, in typed terms. These are states, not policies or
/// messages: the service decides which AWS error each becomes and how it is worded. `Display`
/// is for logs and tests.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// No portfolio has this id (or it was deleted).
    #[error("portfolio `{0}` not found")]
    PortfolioNotFound(PortfolioId),
    /// The account holds no such association on the portfolio.
    #[error(
        "no `{principal_type}` association of `{principal_arn}` on portfolio `{portfolio}` for account `{account}`"
    )]
    AssociationNotFound {
        /// The portfolio.
        portfolio: PortfolioId,
        /// The account whose association was looked for.
        account: AccountId,
        /// The ARN.
        principal_arn: String,
        /// The type.
        principal_type: PrincipalType,
    },
    /// The portfolio has no share with this target.
    #[error("portfolio `{portfolio}` is not shared with {target}")]
    ShareNotFound {
        /// The portfolio.
        portfolio: PortfolioId,
        /// The target looked for.
        target: ShareTarget,
    },
    /// The change would exceed a limit.
    #[error("limit exceeded: at most {limit} of {kind:?}")]
    LimitExceeded {
        /// Which limit.
        kind: LimitKind,
        /// Its value.
        limit: usize,
    },
    /// The portfolio still has principal associations (of its owner) or shares.
    #[error(
        "portfolio `{portfolio}` is in use: {associations} principal associations, {shares} shares"
    )]
    PortfolioInUse {
        /// The portfolio.
        portfolio: PortfolioId,
        /// How many principal associations its owner holds on it.
        associations: usize,
        /// How many shares it has.
        shares: usize,
    },
    /// The portfolio still has products associated with it (a portfolio with products cannot
    /// be deleted).
    #[error("portfolio `{portfolio}` is in use: {products} products are associated with it")]
    PortfolioHasProducts {
        /// The portfolio.
        portfolio: PortfolioId,
        /// How many products are associated with it.
        products: usize,
    },
    /// No product has this id (or it was deleted).
    #[error("product `{0}` not found")]
    ProductNotFound(ProductId),
    /// The product is still associated with portfolios (a product in a portfolio cannot be
    /// deleted).
    #[error("product `{product}` is in use: it is associated with {portfolios} portfolios")]
    ProductInUse {
        /// The product.
        product: ProductId,
        /// How many portfolios it is associated with.
        portfolios: usize,
    },
    /// The product is not associated with the portfolio.
    #[error("product `{product}` is not associated with portfolio `{portfolio}`")]
    ProductAssociationNotFound {
        /// The product.
        product: ProductId,
        /// The portfolio.
        portfolio: PortfolioId,
    },
    /// No organization has this id.
    #[error("organization `{0}` not found")]
    OrganizationNotFound(OrganizationId),
    /// The account already belongs to an organization.
    #[error("account `{account}` is already in organization `{organization}`")]
    AlreadyInOrganization {
        /// The account.
        account: AccountId,
        /// Its organization.
        organization: OrganizationId,
    },
    /// The account is not a member of the organization.
    #[error("account `{0}` not found in the organization")]
    AccountNotFound(AccountId),
    /// No root or OU of the organization has this id.
    #[error("parent `{0}` not found")]
    ParentNotFound(ParentId),
    /// `move_account`: the source is not a root or OU of the organization, or not the account's
    /// parent.
    #[error("source parent `{0}` not found")]
    SourceParentNotFound(ParentId),
    /// `move_account`: the destination is not a root or OU of the organization.
    #[error("destination parent `{0}` not found")]
    DestinationParentNotFound(ParentId),
    /// `move_account`: the account is already in the destination.
    #[error("account `{account}` is already in `{parent}`")]
    DuplicateAccount {
        /// The account.
        account: AccountId,
        /// Its parent.
        parent: ParentId,
    },
    /// An OU of this name already exists under the parent.
    #[error("an organizational unit named `{name}` already exists in `{parent}`")]
    DuplicateOrganizationalUnit {
        /// The parent.
        parent: ParentId,
        /// The name.
        name: String,
    },
    /// The account is already a delegated administrator for the service.
    #[error("account `{account}` is already a delegated administrator for `{service_principal}`")]
    AccountAlreadyRegistered {
        /// The account.
        account: AccountId,
        /// The service.
        service_principal: ServicePrincipal,
    },
    /// The account is not a delegated administrator for the service.
    #[error("account `{account}` is not a delegated administrator for `{service_principal}`")]
    AccountNotRegistered {
        /// The account.
        account: AccountId,
        /// The service.
        service_principal: ServicePrincipal,
    },
    /// Service access cannot be disabled while the service has delegated administrators.
    #[error("`{service_principal}` has {count} delegated administrators registered")]
    DelegatedAdministratorsRegistered {
        /// The service.
        service_principal: ServicePrincipal,
        /// How many.
        count: usize,
    },
    /// The account already holds a principal of this type with this name (ignoring case).
    #[error("{principal_type} `{name}` already exists in account `{account}`")]
    PrincipalExists {
        /// The account.
        account: AccountId,
        /// User, group or role.
        principal_type: ResourceType,
        /// The name asked for.
        name: String,
    },
    /// The account holds no principal of this type with this name.
    #[error("no {principal_type} `{name}` in account `{account}`")]
    PrincipalNotFound {
        /// The account.
        account: AccountId,
        /// User, group or role.
        principal_type: ResourceType,
        /// The name asked for.
        name: String,
    },
    /// The store's record of changes no longer reaches back to the version asked for
    /// (`ChangeFeed::changes_since`); the caller rereads everything.
    #[error(
        "the change record starts after version {asked}; the oldest version it answers from is {oldest}"
    )]
    ChangesGap {
        /// The version asked for.
        asked: u64,
        /// The oldest version the record can answer from.
        oldest: u64,
    },
    /// The store could not do its work: its database is unreachable, a write could not be made
    /// durable, or what it read is damaged. Nothing was changed (or, for a write, nothing was
    /// acknowledged); the caller may retry.
    #[error("store unavailable: {0}")]
    Unavailable(String),
}
