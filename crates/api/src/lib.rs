#![doc = include_str!("../README.md")]

mod access;
mod organizations;
mod portfolios;
mod principals;
mod shares;

use std::sync::Arc;

use portcullis_model::{
    AccountId, Caller, OrganizationId, PageSize, PageToken, PortfolioId, ServiceError,
    ServicePrincipal, validate,
};
use portcullis_store::{
    AssociationLimits, ImportKind, MemoryStore, Page, PageRequest, PortfolioRecord, Position,
    ShareRecord, ShareTarget, Store,
};

pub use access::{AccessDecision, Grant, GrantVia};

/// Limits and defaults of a [`Service`].
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
}

impl Default for Config {
    fn default() -> Config {
        Config {
            max_iam_pattern_associations: AssociationLimits::DEFAULT_MAX_IAM_PATTERNS,
            max_iam_associations: AssociationLimits::DEFAULT_MAX_IAM,
            max_shares: 1000,
            default_page_size: 20,
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
    index: access::IndexCache,
    patterns: access::PatternCache,
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
    /// The portfolio is shared with the caller through these shares (at least one).
    Recipient(Vec<ShareRecord>),
}

impl Service {
    /// A service over `store` with `config`.
    pub fn new(store: Arc<dyn Store>, config: Config) -> Service {
        Service {
            store,
            config,
            index: access::IndexCache::default(),
            patterns: access::PatternCache::default(),
        }
    }

    /// The store the service runs on.
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// The service's limits.
    pub fn config(&self) -> &Config {
        &self.config
    }

    fn association_limits(&self) -> AssociationLimits {
        AssociationLimits {
            max_iam_patterns: self.config.max_iam_pattern_associations,
            max_iam: self.config.max_iam_associations,
        }
    }

    /// The portfolio `id` if it lives in the caller's partition and region.
    fn portfolio_in_region(&self, caller: &Caller, id: &PortfolioId) -> Option<PortfolioRecord> {
        self.store
            .portfolio(id)
            .filter(|p| p.region == *caller.region() && p.partition == *caller.partition())
    }

    /// The shares of `portfolio` that reach `account`: an accepted account share, or an
    /// organization-node share whose node contains the account (SPEC §5.4).
    fn covering_shares(&self, portfolio: &PortfolioId, account: &AccountId) -> Vec<ShareRecord> {
        let Ok(page) = self.store.list_shares(portfolio, None, PageRequest::all()) else {
            return Vec::new();
        };
        page.items
            .into_iter()
            .filter(|share| self.share_covers(share, account))
            .collect()
    }

    fn share_covers(&self, share: &ShareRecord, account: &AccountId) -> bool {
        match &share.target {
            ShareTarget::Account(a) => a == account && share.accepted,
            other => other
                .organization_node()
                .is_some_and(|node| self.store.node_contains(&node, account)),
        }
    }

    /// A portfolio the caller may see: its own, or one shared with it (SPEC §5.4,
    /// DescribePortfolio). Anything else is `ResourceNotFoundException`.
    fn visible_portfolio(
        &self,
        caller: &Caller,
        id: &PortfolioId,
    ) -> Result<(PortfolioRecord, Relation), ServiceError> {
        let portfolio = self
            .portfolio_in_region(caller, id)
            .ok_or_else(|| portfolio_not_found(id))?;
        if portfolio.owner == *caller.account() {
            return Ok((portfolio, Relation::Owner));
        }
        let shares = self.covering_shares(id, caller.account());
        if shares.is_empty() {
            return Err(portfolio_not_found(id));
        }
        Ok((portfolio, Relation::Recipient(shares)))
    }

    /// A portfolio in the caller's account: owned, or shared with it and imported (SPEC §5.1).
    fn portfolio_in_account(
        &self,
        caller: &Caller,
        id: &PortfolioId,
    ) -> Result<(PortfolioRecord, Relation), ServiceError> {
        let (portfolio, relation) = self.visible_portfolio(caller, id)?;
        if let Relation::Recipient(shares) = &relation {
            let account = caller.account();
            let imported = shares
                .iter()
                .any(|share| self.store.is_imported(id, account, import_kind_for(share)));
            if !imported {
                return Err(portfolio_not_found(id));
            }
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
            (_, Relation::Recipient(_)) => Err(imported_error()),
        }
    }

    /// The organization of the caller, when the caller is its management account or a
    /// delegated administrator for Service Catalog.
    fn administered_organization(&self, caller: &Caller) -> Option<(OrganizationId, bool)> {
        let organization = self.store.organization_of(caller.account())?;
        if organization.management_account == *caller.account() {
            return Some((organization.id, true));
        }
        self.store
            .is_delegated_administrator(caller.account(), &ServicePrincipal::service_catalog())
            .then_some((organization.id, false))
    }
}

/// How a recipient imports a portfolio that reaches it through `share`: by accepting an account
/// share, or by importing through an organization share.
pub(crate) fn import_kind_for(share: &ShareRecord) -> ImportKind {
    match share.target {
        ShareTarget::Account(_) => ImportKind::AccountShare,
        _ => ImportKind::OrganizationShare,
    }
}

/// `ResourceNotFoundException` for a portfolio, worded as AWS words it.
pub(crate) fn portfolio_not_found(id: &PortfolioId) -> ServiceError {
    ServiceError::not_found(format!("Portfolio not found: {id}"))
}

/// The page a request asks for: its `PageToken` decoded, its `PageSize` or the default.
pub(crate) fn page_request(
    config: &Config,
    token: Option<&str>,
    size: Option<PageSize>,
    token_field: &str,
) -> Result<PageRequest, ServiceError> {
    let limit = size.map_or(config.default_page_size, |s| s.get() as usize);
    let limit = if limit == 0 {
        config.default_page_size
    } else {
        limit
    };
    let after = match token {
        None | Some("") => None,
        Some(token) => Some(Position::new(token.parse::<u64>().map_err(|_| {
            ServiceError::invalid_parameters(format!(
                "invalid `{token_field}`: `{token}` is not a token this service issued"
            ))
        })?)),
    };
    Ok(PageRequest { after, limit })
}

/// The token that continues after `page`, if there is more.
pub(crate) fn next_token<T>(page: &Page<T>) -> Option<PageToken> {
    page.next
        .and_then(|p| PageToken::parse(&p.get().to_string()).ok())
}

/// Pages over a list computed whole (small lists: account ids, organization nodes).
pub(crate) fn page_of<T>(items: Vec<T>, request: PageRequest) -> Page<T> {
    let start = request.after.map_or(0, |p| p.get() as usize);
    let limit = request.limit.max(1);
    let total = items.len();
    let items: Vec<T> = items.into_iter().skip(start).take(limit).collect();
    let end = start + items.len();
    Page {
        items,
        next: (end < total).then(|| Position::new(end as u64)),
    }
}

/// `PageSize` / `PageToken` of a Service Catalog list request.
pub(crate) fn catalog_page(
    config: &Config,
    token: Option<&str>,
    size: Option<i64>,
) -> Result<PageRequest, ServiceError> {
    let size = validate::page_size("PageSize", size)?;
    page_request(config, token, size, "PageToken")
}
