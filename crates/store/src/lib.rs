#![doc = include_str!("../README.md")]

#[cfg(feature = "conformance")]
pub mod conformance;
mod error;
mod iam;
mod memory;
mod products;
pub mod rows;
mod types;

use std::sync::Arc;

pub use error::StoreError;
pub use iam::{
    NewPrincipal, PrincipalRecord, RoleDetails, name_key as principal_name_key, principal_id_prefix,
};
pub use memory::MemoryStore;
pub use products::{
    CreatedProduct, NewProduct, NewProvisioningArtifact, ProductRecord, ProductUpdate,
    ProvisioningArtifactRecord,
};
pub use types::*;

use portcullis_matcher::{PrincipalArn, ResourceType};
use portcullis_model::{
    AccountId, CreateAccountRequestId, DescribePortfolioShareType, OrganizationId,
    OrganizationNodeValue, OuId, ParentId, PortfolioId, PortfolioShareToken, PrincipalId,
    PrincipalType, ProductId, Region, ServicePrincipal, Timestamp,
};

/// A counter of state changes and a bounded record of them, from which an index built from the
/// store brings itself up to date.
pub trait ChangeFeed: Send + Sync {
    /// A counter of state changes: an index built from the store is current while this is
    /// unchanged. It increases after the change is visible to reads.
    fn version(&self) -> u64;

    /// Every change made after `version`, in order, or [`StoreError::ChangesGap`] when the bounded record no
    /// longer reaches back that far (the caller then rereads everything).
    fn changes_since(&self, version: u64) -> Result<Changes, StoreError>;
}

/// The catalog: portfolios, their principal associations, shares and imports, each operation
/// atomic on its own. No policy lives here: who may do what, validation, limits' values and
/// which shares cover which accounts are the service's; the store keeps the invariants that must
/// hold under concurrency (a limit checked in the same critical section as the insert, a delete
/// that only happens while nothing uses the portfolio).
///
/// Every change to the state increases [`ChangeFeed::version`] by one and records a [`Change`]
/// (an operation that changes several portfolios, such as `delete_shares_created_by`, records
/// one change for each); reads, refusals and idempotent repeats leave both alone.
pub trait CatalogStore: Send + Sync {
    // ---- portfolios ----------------------------------------------------------------------------

    /// Creates a portfolio with a fresh id (never one used before, deleted ones included).
    /// With an idempotency token seen before for the same owner and region, creates nothing and
    /// answers the first creation's record.
    fn create_portfolio(&self, new: NewPortfolio) -> Result<CreatedPortfolio, StoreError>;

    /// The portfolio with this id.
    fn portfolio(&self, id: &PortfolioId) -> Result<Option<PortfolioRecord>, StoreError>;

    /// Lends the record [`CatalogStore::portfolio`] would answer to `visit`, rather than
    /// copying it; answers whether the portfolio exists (and `visit` ran). For a reader that
    /// needs a field or two, such as who owns it.
    fn visit_portfolio(
        &self,
        id: &PortfolioId,
        visit: &mut dyn FnMut(&PortfolioRecord),
    ) -> Result<bool, StoreError> {
        Ok(self.portfolio(id)?.map(|record| visit(&record)).is_some())
    }

    /// Changes a portfolio's name, description, provider or tags.
    fn update_portfolio(
        &self,
        id: &PortfolioId,
        update: PortfolioUpdate,
    ) -> Result<PortfolioRecord, StoreError>;

    /// Deletes a portfolio unless its owner holds principal associations on it or it has shares
    /// ([`StoreError::PortfolioInUse`]), or products are associated with it
    /// ([`StoreError::PortfolioHasProducts`]), checked atomically with the delete. Recipients'
    /// associations and imports go with it. The id is never reused.
    fn delete_portfolio(&self, id: &PortfolioId) -> Result<PortfolioRecord, StoreError>;

    /// The portfolios `owner` created in `region`, in creation order.
    fn list_portfolios(
        &self,
        owner: &AccountId,
        region: &Region,
        page: PageRequest,
    ) -> Result<Page<PortfolioRecord>, StoreError>;

    // ---- principal associations -----------------------------------------------------------------

    /// Associates a principal with the portfolio for `account` (the owner, or a recipient on an
    /// imported portfolio). Idempotent: the same ARN and type again is
    /// [`AssociateOutcome::AlreadyPresent`] and counts once. Otherwise, if `account` already
    /// holds `limit` associations of this type, [`StoreError::LimitExceeded`]; the check and the
    /// insert are one critical section, so no interleaving exceeds the limit.
    fn associate(
        &self,
        portfolio: &PortfolioId,
        account: &AccountId,
        association: Association,
        limit: usize,
    ) -> Result<AssociateOutcome, StoreError>;

    /// Removes the association of `principal_arn` with exactly this type.
    fn disassociate(
        &self,
        portfolio: &PortfolioId,
        account: &AccountId,
        principal_type: PrincipalType,
        principal_arn: &str,
    ) -> Result<(), StoreError>;

    /// `account`'s associations on the portfolio, in association order (an association removed
    /// and made again moves to the end).
    fn list_associations(
        &self,
        portfolio: &PortfolioId,
        account: &AccountId,
        page: PageRequest,
    ) -> Result<Page<Association>, StoreError>;

    // ---- shares ---------------------------------------------------------------------------------

    /// Shares the portfolio with `new.target`, unless a share with that target exists: then
    /// nothing changes (flags included) and the existing share is answered with `created:
    /// false`. A new share beyond `max_shares` shares is [`StoreError::LimitExceeded`], checked
    /// atomically. A tracked share gets a fresh token, recorded as a
    /// [`ShareOperationKind::Create`] operation.
    fn create_share(
        &self,
        portfolio: &PortfolioId,
        new: NewShare,
        max_shares: usize,
    ) -> Result<CreatedShare, StoreError>;

    /// The portfolio's share with `target`, if any.
    fn share(
        &self,
        portfolio: &PortfolioId,
        target: &ShareTarget,
    ) -> Result<Option<ShareRecord>, StoreError>;

    /// Changes a share's flags, recording an [`ShareOperationKind::Update`] operation under a
    /// fresh token.
    fn update_share(
        &self,
        portfolio: &PortfolioId,
        target: &ShareTarget,
        update: ShareUpdate,
    ) -> Result<ShareChange, StoreError>;

    /// Removes a share. Removing an account share also removes the recipient's
    /// [`ImportKind::AccountShare`] import. When `track`, records a
    /// [`ShareOperationKind::Delete`] operation under a fresh token.
    fn delete_share(
        &self,
        portfolio: &PortfolioId,
        target: &ShareTarget,
        track: bool,
    ) -> Result<ShareChange, StoreError>;

    /// The portfolio's shares in creation order, only those of one type when `share_type` is
    /// given.
    fn list_shares(
        &self,
        portfolio: &PortfolioId,
        share_type: Option<DescribePortfolioShareType>,
        page: PageRequest,
    ) -> Result<Page<ShareRecord>, StoreError>;

    /// Visits, in order, the shares [`CatalogStore::list_shares`] would answer for the same
    /// arguments, lent rather than copied; answers where the next page starts. For a reader
    /// that turns each share into something else (an answer's `PortfolioShareDetail`).
    fn visit_shares(
        &self,
        portfolio: &PortfolioId,
        share_type: Option<DescribePortfolioShareType>,
        page: PageRequest,
        visit: &mut dyn FnMut(&ShareRecord),
    ) -> Result<Option<Position>, StoreError> {
        let page = self.list_shares(portfolio, share_type, page)?;
        page.items.iter().for_each(visit);
        Ok(page.next)
    }

    /// The share operation with this token.
    fn share_operation(
        &self,
        token: &PortfolioShareToken,
    ) -> Result<Option<ShareOperation>, StoreError>;

    /// Removes every share created by `creator` (organization-node shares only, when
    /// `organization_nodes_only`), as when a delegated administrator is deregistered. Answers
    /// what was removed.
    fn delete_shares_created_by(
        &self,
        creator: &AccountId,
        organization_nodes_only: bool,
    ) -> Result<Vec<(PortfolioId, ShareRecord)>, StoreError>;

    // ---- imports --------------------------------------------------------------------------------

    /// The recipient accepts the account share with it: the share becomes `accepted` and the
    /// recipient gets an [`ImportKind::AccountShare`] import. Idempotent.
    fn accept_account_share(
        &self,
        portfolio: &PortfolioId,
        recipient: &AccountId,
    ) -> Result<(), StoreError>;

    /// The recipient declines the account share with it: the share stays, unaccepted, and the
    /// recipient's [`ImportKind::AccountShare`] import goes. Idempotent.
    fn reject_account_share(
        &self,
        portfolio: &PortfolioId,
        recipient: &AccountId,
    ) -> Result<(), StoreError>;

    /// Records an [`ImportKind::OrganizationShare`] import (whether an organization share
    /// covers the recipient is the service's question). Answers whether it is new.
    fn import_organization_share(
        &self,
        portfolio: &PortfolioId,
        recipient: &AccountId,
    ) -> Result<bool, StoreError>;

    /// Removes an [`ImportKind::OrganizationShare`] import. Answers whether there was one.
    fn remove_organization_import(
        &self,
        portfolio: &PortfolioId,
        recipient: &AccountId,
    ) -> Result<bool, StoreError>;

    /// Whether `recipient` imported the portfolio this way.
    fn is_imported(
        &self,
        portfolio: &PortfolioId,
        recipient: &AccountId,
        kind: ImportKind,
    ) -> Result<bool, StoreError>;

    /// The portfolios in `region` that `recipient` imported this way, in import order, each with
    /// its position in that order (the service filters them before it pages).
    fn list_imports(
        &self,
        recipient: &AccountId,
        region: &Region,
        kind: ImportKind,
    ) -> Result<Vec<(Position, PortfolioRecord)>, StoreError>;

    // ---- snapshots ------------------------------------------------------------------------------

    /// A consistent copy of one portfolio with its associations, shares and imports.
    fn portfolio_snapshot(&self, id: &PortfolioId)
    -> Result<Option<PortfolioSnapshot>, StoreError>;

    /// Calls `f` with a snapshot of every portfolio (each consistent on its own), with no lock
    /// held during the call, so `f` may call into the store.
    fn for_each_portfolio(&self, f: &mut dyn FnMut(PortfolioSnapshot)) -> Result<(), StoreError>;
}

/// The organization directory: organizations, their trees of OUs and accounts, delegated
/// administrators and service access.
pub trait DirectoryStore: Send + Sync {
    /// Creates an organization managed by `new.management_account`, with a root and the
    /// management account as its first member, unless that account is already in one.
    fn create_organization(&self, new: NewOrganization) -> Result<OrganizationRecord, StoreError>;

    /// The organization with this id.
    fn organization(&self, id: &OrganizationId) -> Result<Option<OrganizationRecord>, StoreError>;

    /// The organization `account` is a member of.
    fn organization_of(
        &self,
        account: &AccountId,
    ) -> Result<Option<OrganizationRecord>, StoreError>;

    /// Creates an OU under a root or OU of the organization. Names are unique among siblings.
    fn create_organizational_unit(
        &self,
        organization: &OrganizationId,
        parent: &ParentId,
        name: &str,
    ) -> Result<OuRecord, StoreError>;

    /// The OU with this id.
    fn organizational_unit(&self, id: &OuId) -> Result<Option<OuRecord>, StoreError>;

    /// The OUs directly under a root or OU of the organization, in creation order.
    fn list_organizational_units(
        &self,
        organization: &OrganizationId,
        parent: &ParentId,
        page: PageRequest,
    ) -> Result<Page<OuRecord>, StoreError>;

    /// Creates a new account under the organization's root, completing at once. An e-mail
    /// address already in the directory makes a `FAILED` request (`EMAIL_ALREADY_EXISTS`).
    fn create_account(
        &self,
        organization: &OrganizationId,
        new: NewAccount,
    ) -> Result<CreateAccountRecord, StoreError>;

    /// The `CreateAccount` request with this id.
    fn create_account_status(
        &self,
        id: &CreateAccountRequestId,
    ) -> Result<Option<CreateAccountRecord>, StoreError>;

    /// Adds an existing account to the organization under its root (as an accepted invitation
    /// would), unless it is already in an organization.
    fn add_member_account(
        &self,
        organization: &OrganizationId,
        new: NewMember,
    ) -> Result<MemberAccount, StoreError>;

    /// The member account with this id, in whatever organization.
    fn member_account(&self, id: &AccountId) -> Result<Option<MemberAccount>, StoreError>;

    /// The organization's accounts, in joining order.
    fn list_accounts(
        &self,
        organization: &OrganizationId,
        page: PageRequest,
    ) -> Result<Page<MemberAccount>, StoreError>;

    /// Moves a member account from `source` (its current parent) to `destination`.
    fn move_account(
        &self,
        account: &AccountId,
        source: &ParentId,
        destination: &ParentId,
    ) -> Result<(), StoreError>;

    /// Registers a member account as a delegated administrator for a service.
    fn register_delegated_administrator(
        &self,
        organization: &OrganizationId,
        account: &AccountId,
        service_principal: &ServicePrincipal,
        now: Timestamp,
    ) -> Result<(), StoreError>;

    /// Removes a delegated administrator registration.
    fn deregister_delegated_administrator(
        &self,
        organization: &OrganizationId,
        account: &AccountId,
        service_principal: &ServicePrincipal,
    ) -> Result<(), StoreError>;

    /// The organization's delegated administrators, for one service when given, in registration
    /// order.
    fn list_delegated_administrators(
        &self,
        organization: &OrganizationId,
        service_principal: Option<&ServicePrincipal>,
    ) -> Result<Vec<DelegatedAdministratorRecord>, StoreError>;

    /// Whether `account` is a delegated administrator for the service in its organization.
    fn is_delegated_administrator(
        &self,
        account: &AccountId,
        service_principal: &ServicePrincipal,
    ) -> Result<bool, StoreError>;

    /// Enables or disables a service's access to the organization (Service Catalog's
    /// `EnableAWSOrganizationsAccess`). Disabling while the service has delegated administrators
    /// is [`StoreError::DelegatedAdministratorsRegistered`], checked atomically. Answers whether
    /// the flag changed.
    fn set_service_access(
        &self,
        organization: &OrganizationId,
        service_principal: &ServicePrincipal,
        enabled: bool,
    ) -> Result<bool, StoreError>;

    /// Whether the service has access to the organization.
    fn service_access(
        &self,
        organization: &OrganizationId,
        service_principal: &ServicePrincipal,
    ) -> Result<bool, StoreError>;

    /// Every member account under `node`, transitively (empty when the node does not exist): the
    /// candidates an organization-node share may cover. Whether a share covers an account is
    /// the service's rule, decided from [`DirectoryStore::placement`].
    fn accounts_under(&self, node: &OrganizationNodeValue) -> Result<Vec<AccountId>, StoreError>;

    /// Where `account` sits in its organization's tree.
    fn placement(&self, account: &AccountId) -> Result<Option<Arc<AccountPlacement>>, StoreError>;
}

/// The IAM principal directory (SPEC §4.4): users, groups and roles per account, each with a
/// unique id drawn by the store and never reused, deleted principals kept as records so their
/// ids stay taken. Every change records a [`Change::Principal`].
pub trait IamStore: Send + Sync {
    /// Creates a principal with a fresh unique id (never one handed out before), unless the
    /// account holds a principal of that type whose name equals `new.name` ignoring case:
    /// [`StoreError::PrincipalExists`], checked atomically with the insert.
    fn create_principal(&self, new: NewPrincipal) -> Result<PrincipalRecord, StoreError>;

    /// The existing principal of this type whose name equals `name` ignoring case.
    fn principal(
        &self,
        account: &AccountId,
        principal_type: ResourceType,
        name: &str,
    ) -> Result<Option<PrincipalRecord>, StoreError>;

    /// The principal with this unique id, existing or deleted.
    fn principal_by_id(&self, id: &PrincipalId) -> Result<Option<PrincipalRecord>, StoreError>;

    /// The unique id of the existing principal whose ARN is exactly `arn` (the check path asks
    /// this once per question). The default reads the principal by name; a store may answer
    /// from an index by ARN.
    fn principal_id_by_arn(&self, arn: &PrincipalArn) -> Result<Option<PrincipalId>, StoreError> {
        let Ok(account) = arn.account().parse::<AccountId>() else {
            return Ok(None);
        };
        Ok(self
            .principal(&account, arn.resource_type(), arn.name())?
            .filter(|p| p.arn == arn.as_str())
            .map(|p| p.id))
    }

    /// Deletes the principal of this type named `name` (ignoring case), or
    /// [`StoreError::PrincipalNotFound`]. Its record stays, marked deleted at `now`.
    fn delete_principal(
        &self,
        account: &AccountId,
        principal_type: ResourceType,
        name: &str,
        now: Timestamp,
    ) -> Result<PrincipalRecord, StoreError>;

    /// The account's existing principals (of one type when given), ordered by type, then name
    /// ignoring case.
    fn list_principals(
        &self,
        account: &AccountId,
        principal_type: Option<ResourceType>,
    ) -> Result<Vec<PrincipalRecord>, StoreError>;
}

/// Products, as far as portfolios need them (issue 10): products with their provisioning
/// artifacts, and their associations with portfolios. Each operation is atomic on its own.
///
/// Associations tie the two sides together: a product is never deleted while it is associated
/// with a portfolio, a portfolio never while a product is associated with it, and no
/// association is ever made with a product or portfolio being deleted (each check and change
/// happens under the locks, or in the transaction, of both). Associating and disassociating
/// record a [`Change::Portfolio`] of the portfolio; a product's own creation, update and delete
/// record no change (no index is built from product records) and do not move
/// [`ChangeFeed::version`]. [`StateReset::reset`] removes every product, association and
/// product idempotency token.
pub trait ProductStore: Send + Sync {
    /// Creates a product with a fresh id (never one used before, deleted ones included) and,
    /// when `new.provisioning_artifact` is given, its first provisioning artifact with a fresh
    /// `pa-` id, atomically. With an idempotency token seen before for the same owner and region,
    /// creates nothing and answers the first creation's record with `created: false`.
    fn create_product(&self, new: NewProduct) -> Result<CreatedProduct, StoreError>;

    /// The product with this id.
    fn product(&self, id: &ProductId) -> Result<Option<ProductRecord>, StoreError>;

    /// The first-created product of `owner` in `region` whose name is exactly `name`.
    fn product_by_name(
        &self,
        owner: &AccountId,
        region: &Region,
        name: &str,
    ) -> Result<Option<ProductRecord>, StoreError>;

    /// Changes a product's attributes or tags ([`StoreError::ProductNotFound`] when there is
    /// none).
    fn update_product(
        &self,
        id: &ProductId,
        update: ProductUpdate,
    ) -> Result<ProductRecord, StoreError>;

    /// Deletes a product unless it is associated with any portfolio
    /// ([`StoreError::ProductInUse`]), checked atomically with the delete. The id is never
    /// reused.
    fn delete_product(&self, id: &ProductId) -> Result<ProductRecord, StoreError>;

    /// The products `owner` created in `region`, in creation order.
    fn list_products(
        &self,
        owner: &AccountId,
        region: &Region,
        page: PageRequest,
    ) -> Result<Page<ProductRecord>, StoreError>;

    /// Associates the product with the portfolio. Idempotent: an existing association is
    /// [`AssociateOutcome::AlreadyPresent`] and changes nothing. A product or portfolio that
    /// does not exist (or is being deleted) is [`StoreError::ProductNotFound`] /
    /// [`StoreError::PortfolioNotFound`], checked atomically with the insert.
    fn associate_product(
        &self,
        product: &ProductId,
        portfolio: &PortfolioId,
    ) -> Result<AssociateOutcome, StoreError>;

    /// Removes the association ([`StoreError::ProductAssociationNotFound`] when there is none).
    fn disassociate_product(
        &self,
        product: &ProductId,
        portfolio: &PortfolioId,
    ) -> Result<(), StoreError>;

    /// The portfolios owned by `owner` the product is associated with, in association order
    /// (filtered before the page is cut); [`StoreError::ProductNotFound`] when there is no such
    /// product.
    fn list_portfolios_for_product(
        &self,
        product: &ProductId,
        owner: &AccountId,
        page: PageRequest,
    ) -> Result<Page<PortfolioRecord>, StoreError>;

    /// The products associated with the portfolio, in association order;
    /// [`StoreError::PortfolioNotFound`] when there is no such portfolio.
    fn list_products_for_portfolio(
        &self,
        portfolio: &PortfolioId,
        page: PageRequest,
    ) -> Result<Page<ProductRecord>, StoreError>;

    /// Calls `f` with each product associated with the portfolio, in association order (the
    /// read of the products-for-a-principal query, which copies out only what it answers).
    /// [`StoreError::PortfolioNotFound`] when there is no such portfolio. The default reads
    /// [`ProductStore::list_products_for_portfolio`]; a store may lend its records instead.
    fn visit_products_for_portfolio(
        &self,
        portfolio: &PortfolioId,
        f: &mut dyn FnMut(&ProductRecord),
    ) -> Result<(), StoreError> {
        for product in self
            .list_products_for_portfolio(portfolio, PageRequest::all())?
            .items
        {
            f(&product);
        }
        Ok(())
    }
}

/// Returning the whole state to that of a new store, as test suites do between tests (moto's
/// `POST /moto-api/reset`).
pub trait StateReset: Send + Sync {
    /// Removes every portfolio, association, share, import, idempotency token, share operation,
    /// product (with its provisioning artifacts, product–portfolio associations and product
    /// idempotency tokens), IAM principal and the whole organization directory, atomically: an
    /// operation running at the same time sees the state before or after, never part of each.
    /// Records one [`Change::Reset`]; the version keeps increasing.
    fn reset(&self) -> Result<(), StoreError>;
}

/// The whole state of the service: the catalog, its products, the organization directory, the IAM principal
/// directory and the record of changes to them, and a reset of all of it. Implemented for every
/// type that implements the parts.
pub trait Store:
    CatalogStore + ProductStore + DirectoryStore + IamStore + ChangeFeed + StateReset
{
}

impl<T: CatalogStore + ProductStore + DirectoryStore + IamStore + ChangeFeed + StateReset + ?Sized>
    Store for T
{
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn store_is_object_safe_and_shareable_between_threads() {
        fn assert_send_sync<T: Send + Sync + ?Sized>() {}
        assert_send_sync::<dyn Store>();
        assert_send_sync::<MemoryStore>();
        let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
        let clone = Arc::clone(&store);
        std::thread::spawn(move || clone.version()).join().unwrap();
        assert_eq!(store.version(), 0);
    }
}
