#![doc = include_str!("../README.md")]

mod access;
mod audit;
mod errors;
mod iam;
mod organizations;
mod paging;
mod portfolios;
mod principals;
mod products;
mod shares;
mod wire;

use std::sync::Arc;

use portcullis_model::{
    AccountId, Caller, OrganizationId, PageToken, PortfolioId, ServiceError, ServicePrincipal,
};
use portcullis_store::{
    ImportKind, MemoryStore, Page, PageRequest, PortfolioRecord, ShareRecord, Store, StoreError,
};

pub use access::{AccessDecision, Grant, GrantVia, ProductAccess};
pub use audit::{SHORT_LITERAL, common_names, rate as rate_guessability};
pub use errors::store_error;
pub use iam::{PrincipalDirectory, StoreDirectory};

use access::reach::Recipient;
use errors::portfolio_not_found;
use paging::ListScope;

/// Limits and defaults of a [`Service`]: every limit's value lives here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Config {
    /// `IAM_PATTERN` associations per portfolio and account: 10, as AWS (SPEC §5.1).
    pub max_iam_pattern_associations: usize,
    /// `IAM` associations per portfolio and account: 1,000 (SPEC §5.1 Decision).
    pub max_iam_associations: usize,
    /// Shares per portfolio: 1,000 (SPEC §5.3 Decision).
    pub max_shares: usize,
    /// Items per page when a request gives no `PageSize`.
    pub default_page_size: usize,
    /// How many changed portfolios the reverse query's index lays over its base before a
    /// background thread merges them in (at least this, or an eighth of all portfolios).
    pub index_merge_threshold: usize,
    /// What an `IAM` association is bound to (SPEC §4.4).
    pub iam_mode: IamMode,
}

/// What an `IAM` association is bound to (SPEC §4.4).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum IamMode {
    /// AWS's behaviour (the default): the principal must exist in the caller's account, and the
    /// association is bound to it (its unique id), not to its name.
    #[default]
    Principals,
    /// Any well-formed ARN is accepted and the association is bound to the name: whoever holds
    /// the ARN is granted. For users who do not model IAM.
    Names,
}

impl Config {
    /// AWS's limit on `IAM_PATTERN` associations per portfolio and account.
    pub const DEFAULT_MAX_IAM_PATTERN_ASSOCIATIONS: usize = 10;
    /// The project's limit on `IAM` associations per portfolio and account (SPEC §5.1).
    pub const DEFAULT_MAX_IAM_ASSOCIATIONS: usize = 1000;
    /// The project's limit on shares per portfolio (SPEC §5.3).
    pub const DEFAULT_MAX_SHARES: usize = 1000;
}

impl Default for Config {
    fn default() -> Config {
        Config {
            max_iam_pattern_associations: Config::DEFAULT_MAX_IAM_PATTERN_ASSOCIATIONS,
            max_iam_associations: Config::DEFAULT_MAX_IAM_ASSOCIATIONS,
            max_shares: Config::DEFAULT_MAX_SHARES,
            default_page_size: 20,
            index_merge_threshold: 128,
            iam_mode: IamMode::Principals,
        }
    }
}

/// AWS Service Catalog's portfolio access operations over a [`Store`].
///
/// One method per operation of SPEC §1, each taking the caller and the typed request and
/// returning the typed response or an AWS error. Every rule of the SPEC lives in this crate.
/// The service is `Send + Sync`: share it behind an `Arc` and call it from any thread.
pub struct Service {
    store: Arc<dyn Store>,
    config: Config,
    index: access::AccessIndex,
    /// Taken for reading by every operation and for writing by [`Service::reset`], so that no
    /// operation sees part of the state before a reset and part after.
    gate: parking_lot::RwLock<()>,
    directory: Arc<dyn PrincipalDirectory>,
}

impl Default for Service {
    fn default() -> Service {
        Service::new(Arc::new(MemoryStore::new()), Config::default())
    }
}

impl std::fmt::Debug for Service {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Service")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// How the caller relates to a portfolio it named.
#[derive(Clone, Debug)]
pub(crate) enum Relation {
    /// The caller owns it.
    Owner,
    /// The portfolio is shared with the caller (a share covers it); `imported` says whether the
    /// caller imported it through a covering share.
    Recipient {
        /// Whether the caller imported the portfolio through a covering share.
        imported: bool,
    },
}

impl Service {
    /// A service over `store` with `config`. The reverse query's index is built here from
    /// whatever the store already holds.
    pub fn new(store: Arc<dyn Store>, config: Config) -> Service {
        let directory = Arc::new(StoreDirectory::new(Arc::clone(&store)));
        Service::with_directory(store, config, directory)
    }

    /// A service over `store` that learns which IAM principals exist from `directory` instead
    /// of the store (SPEC §4.4).
    pub fn with_directory(
        store: Arc<dyn Store>,
        config: Config,
        directory: Arc<dyn PrincipalDirectory>,
    ) -> Service {
        let index = access::AccessIndex::new(&*store, config.index_merge_threshold);
        Service {
            store,
            config,
            index,
            gate: parking_lot::RwLock::new(()),
            directory,
        }
    }

    /// Returns the whole state to that of a new service (moto's `POST /moto-api/reset`): every
    /// portfolio, association, share, import, idempotency token and the organization directory
    /// go, and the reverse query's index with them. Waits for running operations to finish; an
    /// operation sees the state before the reset or after it, never part of each.
    pub fn reset(&self) -> Result<(), ServiceError> {
        let _gate = self.gate.write();
        self.store.reset().map_err(store_error)?;
        // The index starts over when it reads the store's `Reset` change; bring it up to date
        // now, so the first query after the reset does not pay for it.
        self.index.settle(&*self.store).map_err(store_error)
    }

    /// The principal directory the service consults.
    pub fn directory(&self) -> &Arc<dyn PrincipalDirectory> {
        &self.directory
    }

    /// The store the service runs on.
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// The service's limits.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The portfolio `id` if it lives in the caller's partition and region.
    fn portfolio_in_region(
        &self,
        caller: &Caller,
        id: &PortfolioId,
    ) -> Result<Option<PortfolioRecord>, ServiceError> {
        Ok(self
            .store
            .portfolio(id)
            .map_err(store_error)?
            .filter(|p| p.region == *caller.region() && p.partition == *caller.partition()))
    }

    /// How the portfolio's shares reach `account` (SPEC §5.4), when any covers it.
    fn recipient(
        &self,
        portfolio: &PortfolioId,
        account: &AccountId,
    ) -> Result<Option<(Vec<ShareRecord>, Recipient)>, ServiceError> {
        let shares = match self.store.list_shares(portfolio, None, PageRequest::all()) {
            Ok(page) => page.items,
            Err(StoreError::PortfolioNotFound(_)) => return Ok(None),
            Err(e) => return Err(store_error(e)),
        };
        let placement = self.store.placement(account).map_err(store_error)?;
        let imports = [ImportKind::AccountShare, ImportKind::OrganizationShare];
        let mut held = Vec::new();
        for kind in imports {
            if self
                .store
                .is_imported(portfolio, account, kind)
                .map_err(store_error)?
            {
                held.push(kind);
            }
        }
        let imported = |kind: ImportKind| held.contains(&kind);
        Ok(Recipient::of(&shares, account, placement.as_deref(), imported).map(|r| (shares, r)))
    }

    /// The shares of `portfolio` that cover `account`.
    fn covering_shares(
        &self,
        portfolio: &PortfolioId,
        account: &AccountId,
    ) -> Result<Vec<ShareRecord>, ServiceError> {
        Ok(self
            .recipient(portfolio, account)?
            .map(|(shares, r)| r.covering(&shares).cloned().collect())
            .unwrap_or_default())
    }

    /// A portfolio the caller may see: its own, or one shared with it (SPEC §5.4,
    /// DescribePortfolio). Anything else is `ResourceNotFoundException`.
    fn visible_portfolio(
        &self,
        caller: &Caller,
        id: &PortfolioId,
    ) -> Result<(PortfolioRecord, Relation), ServiceError> {
        self.index.keep_up(&*self.store).map_err(store_error)?;
        let portfolio = self
            .portfolio_in_region(caller, id)?
            .ok_or_else(|| portfolio_not_found(id))?;
        if portfolio.owner == *caller.account() {
            return Ok((portfolio, Relation::Owner));
        }
        Ok((portfolio, self.recipient_relation(caller, id)?))
    }

    /// The caller's relation to a portfolio it may see: [`Service::visible_portfolio`]
    /// without copying the record, for the many calls that only check it.
    fn relation_to(&self, caller: &Caller, id: &PortfolioId) -> Result<Relation, ServiceError> {
        self.index.keep_up(&*self.store).map_err(store_error)?;
        let mut owned = None;
        self.store
            .visit_portfolio(id, &mut |p| {
                if p.region == *caller.region() && p.partition == *caller.partition() {
                    owned = Some(p.owner == *caller.account());
                }
            })
            .map_err(store_error)?;
        match owned {
            None => Err(portfolio_not_found(id)),
            Some(true) => Ok(Relation::Owner),
            Some(false) => self.recipient_relation(caller, id),
        }
    }

    /// How a portfolio the caller does not own reaches it; not found when no share does.
    fn recipient_relation(
        &self,
        caller: &Caller,
        id: &PortfolioId,
    ) -> Result<Relation, ServiceError> {
        let (_, recipient) = self
            .recipient(id, caller.account())?
            .ok_or_else(|| portfolio_not_found(id))?;
        Ok(Relation::Recipient {
            imported: recipient.imported(),
        })
    }

    /// That the portfolio is in the caller's account: owned, or shared with it and imported
    /// ([`Service::portfolio_in_account`] without copying the record).
    fn check_in_account(&self, caller: &Caller, id: &PortfolioId) -> Result<(), ServiceError> {
        match self.relation_to(caller, id)? {
            Relation::Recipient {
                imported: false, ..
            } => Err(portfolio_not_found(id)),
            _ => Ok(()),
        }
    }

    /// That the caller owns the portfolio ([`Service::owned_portfolio`] without copying the
    /// record); a portfolio it only imported is `imported_error`.
    fn check_owned(
        &self,
        caller: &Caller,
        id: &PortfolioId,
        imported_error: impl FnOnce() -> ServiceError,
    ) -> Result<(), ServiceError> {
        match self.relation_to(caller, id)? {
            Relation::Owner => Ok(()),
            Relation::Recipient { .. } => Err(imported_error()),
        }
    }

    /// A portfolio in the caller's account: owned, or shared with it and imported (SPEC §5.1).
    fn portfolio_in_account(
        &self,
        caller: &Caller,
        id: &PortfolioId,
    ) -> Result<(PortfolioRecord, Relation), ServiceError> {
        let (portfolio, relation) = self.visible_portfolio(caller, id)?;
        if let Relation::Recipient {
            imported: false, ..
        } = relation
        {
            return Err(portfolio_not_found(id));
        }
        Ok((portfolio, relation))
    }

    /// A portfolio the caller owns; a portfolio it only imported is `imported_error`, anything
    /// else `ResourceNotFoundException`.
    fn owned_portfolio(
        &self,
        caller: &Caller,
        id: &PortfolioId,
        imported_error: impl FnOnce() -> ServiceError,
    ) -> Result<PortfolioRecord, ServiceError> {
        match self.visible_portfolio(caller, id)? {
            (portfolio, Relation::Owner) => Ok(portfolio),
            (_, Relation::Recipient { .. }) => Err(imported_error()),
        }
    }

    /// The organization of the caller, when the caller is its management account or a
    /// delegated administrator for Service Catalog.
    fn administered_organization(
        &self,
        caller: &Caller,
    ) -> Result<Option<(OrganizationId, bool)>, ServiceError> {
        self.index.keep_up(&*self.store).map_err(store_error)?;
        let Some(organization) = self
            .store
            .organization_of(caller.account())
            .map_err(store_error)?
        else {
            return Ok(None);
        };
        if organization.management_account == *caller.account() {
            return Ok(Some((organization.id, true)));
        }
        let delegated = self
            .store
            .is_delegated_administrator(caller.account(), &ServicePrincipal::service_catalog())
            .map_err(store_error)?;
        Ok(delegated.then_some((organization.id, false)))
    }
}

/// The `PageToken` that continues after `page` in `list`, if there is more.
pub(crate) fn page_token<T>(
    list: &ListScope<'_, impl std::fmt::Display>,
    page: &Page<T>,
) -> Option<PageToken> {
    list.next(page).and_then(|t| PageToken::parse(&t).ok())
}

/// The page a Service Catalog list request asks for (`PageSize`, `PageToken`) in `list`.
pub(crate) fn catalog_page(
    config: &Config,
    list: &ListScope<'_, impl std::fmt::Display>,
    token: Option<&str>,
    size: Option<i64>,
) -> Result<PageRequest, ServiceError> {
    let size = portcullis_model::validate::page_size("PageSize", size)?;
    list.request(config, token, size)
}
