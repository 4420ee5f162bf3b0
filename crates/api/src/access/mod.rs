//! Access evaluation (SPEC §6): may this principal use this portfolio, and why; the reverse query
//! (which portfolios may it use); and what would have to be removed to revoke access. Every
//! answer comes from one rule, [`reach::PortfolioAccess`].

mod index;
pub(crate) mod reach;

use std::collections::HashSet;
use std::sync::Arc;

use portcullis_matcher::PrincipalArn;
use portcullis_model::{
    AccessGrant, AccountId, Caller, CheckPortfolioAccessInput, CheckPortfolioAccessOutput,
    GrantingAssociation, ListPortfoliosForPrincipalInput, ListPortfoliosForPrincipalOutput,
    ListProductsForPrincipalInput, ListProductsForPrincipalOutput, PortfolioDetailsPage,
    PortfolioId, PrincipalId, PrincipalType, ProductAccessDetail, ProductViewSummary, ServiceError,
    UnboundAssociation, validate,
};
use portcullis_store::{
    Association, PortfolioRecord, Position, ProductRecord, ShareRecord, StoreError,
};

pub(crate) use index::AccessIndex;
use reach::PortfolioAccess;

use crate::errors::{portfolio_not_found, store_error};
use crate::paging::{ListScope, page_positioned};
use crate::{Service, page_token, wire};

/// Whether a principal may use a portfolio, with every grant that allows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessDecision {
    /// The grants; empty when access is denied.
    pub grants: Vec<Grant>,
}

impl AccessDecision {
    /// Whether any grant allows access.
    pub fn allowed(&self) -> bool {
        !self.grants.is_empty()
    }
}

/// One association that grants a principal access, and how it reaches the principal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grant {
    /// The account that holds the association: the owner, or a recipient on its import.
    pub account: AccountId,
    /// The associated principal ARN or pattern.
    pub principal_arn: String,
    /// The association's type.
    pub principal_type: PrincipalType,
    /// How the association reaches the principal.
    pub via: GrantVia,
}

/// A product a principal may launch through one portfolio, and why
/// ([`Service::products_for_principal`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProductAccess {
    /// The product.
    pub product: ProductRecord,
    /// The portfolio that holds it.
    pub portfolio: PortfolioId,
    /// Every grant that lets the principal use the portfolio (shared by its products).
    pub grants: Arc<[Grant]>,
}

/// How a [`Grant`]'s association reaches the principal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GrantVia {
    /// The principal is in the owner's account and the owner's association matches it.
    Owner,
    /// The principal's account imported the portfolio through this share and associated it.
    RecipientAssociation(ShareRecord),
    /// The owner's `IAM_PATTERN` association reaches the principal's account through this share,
    /// which has principal sharing on.
    PrincipalSharing(ShareRecord),
}

impl GrantVia {
    /// The share the grant goes through, if any.
    pub fn share(&self) -> Option<&ShareRecord> {
        match self {
            GrantVia::Owner => None,
            GrantVia::RecipientAssociation(s) | GrantVia::PrincipalSharing(s) => Some(s),
        }
    }
}

/// A grant as the wire answers it.
fn access_grant(g: Grant) -> AccessGrant {
    AccessGrant {
        share: g.via.share().map(wire::share_detail),
        association: GrantingAssociation {
            account_id: g.account,
            principal_arn: g.principal_arn,
            principal_type: g.principal_type,
        },
    }
}

fn parse_principal(arn: &str) -> Result<PrincipalArn, ServiceError> {
    PrincipalArn::parse(arn).map_err(|e| {
        ServiceError::invalid_parameters(format!(
            "`PrincipalARN` `{arn}` is not a fully defined IAM principal ARN: {e}"
        ))
    })
}

impl Service {
    /// The unique id of the principal that holds `principal`'s ARN now, if one does (SPEC §4.4).
    pub(crate) fn principal_id(
        &self,
        principal: &PrincipalArn,
    ) -> Result<Option<PrincipalId>, ServiceError> {
        self.directory.principal_id(principal).map_err(store_error)
    }

    /// Whether `principal` may use the portfolio, and every association and share that grants
    /// it (SPEC §6). The caller must be able to see the portfolio: its owner, or an account it
    /// is shared with.
    pub fn check_access(
        &self,
        caller: &Caller,
        portfolio: &PortfolioId,
        principal: &PrincipalArn,
    ) -> Result<AccessDecision, ServiceError> {
        let _gate = self.gate.read_recursive();
        self.relation_to(caller, portfolio)?;
        let snapshot = self
            .store
            .portfolio_snapshot(portfolio)
            .map_err(store_error)?
            .ok_or_else(|| portfolio_not_found(portfolio))?;
        let principal_id = self.principal_id(principal)?;
        let grants = match principal.account().parse::<AccountId>() {
            Ok(account) => {
                let whereabouts =
                    reach::Whereabouts::new(&account, &*self.store).with_principal_id(principal_id);
                let grants = PortfolioAccess::new(snapshot).grants(principal, &whereabouts);
                whereabouts.finish(grants).map_err(store_error)?
            }
            Err(_) => Vec::new(),
        };
        Ok(AccessDecision { grants })
    }

    /// The associations that would have to be removed to end `principal`'s access to the
    /// portfolio, each once (its account, ARN and type). Removing an `IAM` association leaves
    /// access that a matching `IAM_PATTERN` still grants (SPEC §5.2): this lists both.
    pub fn associations_to_revoke(
        &self,
        caller: &Caller,
        portfolio: &PortfolioId,
        principal: &PrincipalArn,
    ) -> Result<Vec<GrantingAssociation>, ServiceError> {
        let _gate = self.gate.read_recursive();
        let decision = self.check_access(caller, portfolio, principal)?;
        let mut seen = HashSet::new();
        Ok(decision
            .grants
            .into_iter()
            .filter(|g| seen.insert((g.account.clone(), g.principal_arn.clone(), g.principal_type)))
            .map(|g| GrantingAssociation {
                account_id: g.account,
                principal_arn: g.principal_arn,
                principal_type: g.principal_type,
            })
            .collect())
    }

    /// `PortcullisService.CheckPortfolioAccess`: [`Service::check_access`] on the wire.
    pub fn check_portfolio_access(
        &self,
        caller: &Caller,
        input: CheckPortfolioAccessInput,
    ) -> Result<CheckPortfolioAccessOutput, ServiceError> {
        let _gate = self.gate.read_recursive();
        validate::accept_language(input.accept_language.as_deref())?;
        let id: PortfolioId = validate::required("PortfolioId", input.portfolio_id.as_deref())?;
        let arn = validate::present("PrincipalARN", input.principal_arn)?;
        let principal = parse_principal(&arn)?;
        let decision = self.check_access(caller, &id, &principal)?;
        let unbound_associations = self.unbound_associations(&id, &principal)?;
        Ok(CheckPortfolioAccessOutput {
            unbound_associations,
            allowed: decision.allowed(),
            grants: decision.grants.into_iter().map(access_grant).collect(),
        })
    }

    /// The `IAM` associations, held by the owner or by `principal`'s account, that were made
    /// with `principal`'s ARN but are bound to a principal since deleted: why a principal
    /// created again under the same name is not granted (SPEC §4.4).
    fn unbound_associations(
        &self,
        portfolio: &PortfolioId,
        principal: &PrincipalArn,
    ) -> Result<Vec<UnboundAssociation>, ServiceError> {
        let Some(snapshot) = self
            .store
            .portfolio_snapshot(portfolio)
            .map_err(store_error)?
        else {
            return Ok(Vec::new());
        };
        let Ok(account) = principal.account().parse::<AccountId>() else {
            return Ok(Vec::new());
        };
        let current = self.principal_id(principal)?;
        let access = PortfolioAccess::new(snapshot);
        let mut unbound = Vec::new();
        for (holder, held) in access.holders_for(&account) {
            for association in held.associations() {
                let Association::Principal(bound) = association else {
                    continue;
                };
                if current.as_ref() == Some(bound) {
                    continue;
                }
                let Some(record) = self.directory.principal_by_id(bound).map_err(store_error)?
                else {
                    continue;
                };
                let Some(deleted) = record.deleted.filter(|_| record.arn == principal.as_str())
                else {
                    continue;
                };
                let now = match &current {
                    Some(id) => format!(
                        "`{principal}` now names another principal, `{id}`, which this association \
                         does not grant"
                    ),
                    None => format!("no principal holds `{principal}` now"),
                };
                unbound.push(UnboundAssociation {
                    account_id: holder.clone(),
                    principal_id: bound.to_string(),
                    reason: format!(
                        "the association is bound to principal `{bound}`, deleted at {}; {now}; \
                         associate the principal again to grant it",
                        deleted.iso8601()
                    ),
                });
            }
        }
        Ok(unbound)
    }

    /// The portfolios in the caller's partition and region that `principal` may use, ordered
    /// by creation time, then id. Answered from the index's published snapshot, brought up to
    /// date with the changes since it was published (never rebuilt on a request), so queries
    /// never wait for writers and see every write that finished before them.
    pub fn portfolios_for_principal(
        &self,
        caller: &Caller,
        principal: &PrincipalArn,
    ) -> Result<Vec<PortfolioRecord>, ServiceError> {
        let _gate = self.gate.read_recursive();
        let principal_id = self.principal_id(principal)?;
        Ok(self
            .index
            .portfolios_for(&*self.store, principal, principal_id)
            .map_err(store_error)?
            .into_iter()
            .map(|entry| entry.record().clone())
            .filter(|p| p.region == *caller.region() && p.partition == *caller.partition())
            .collect())
    }

    /// The products `principal` may launch: for each portfolio of
    /// [`Service::portfolios_for_principal`] (same order, same partition and region), the
    /// products it holds in association order, each with the portfolio and the grants that let
    /// the principal use it. Built on the reverse query's index; products are read from the
    /// store for the portfolios found only.
    pub fn products_for_principal(
        &self,
        caller: &Caller,
        principal: &PrincipalArn,
    ) -> Result<Vec<ProductAccess>, ServiceError> {
        let mut out = Vec::new();
        self.each_portfolio_with_products(
            caller,
            principal,
            ProductRecord::clone,
            |portfolio, grants, products| {
                let grants: Arc<[Grant]> = grants.into();
                out.extend(products.into_iter().map(|product| ProductAccess {
                    product,
                    portfolio: portfolio.id.clone(),
                    grants: Arc::clone(&grants),
                }));
                true
            },
        )?;
        Ok(out)
    }

    /// Calls `f` with each portfolio [`Service::portfolios_for_principal`] answers that holds
    /// products, in order, with the grants that let the principal use it and its products in
    /// association order, until `f` answers false.
    fn each_portfolio_with_products<T, F>(
        &self,
        caller: &Caller,
        principal: &PrincipalArn,
        mut extract: impl FnMut(&ProductRecord) -> T,
        mut f: F,
    ) -> Result<(), ServiceError>
    where
        F: FnMut(&PortfolioRecord, Vec<Grant>, Vec<T>) -> bool,
    {
        let _gate = self.gate.read_recursive();
        let principal_id = self.principal_id(principal)?;
        let found = self
            .index
            .grants_for(&*self.store, principal, principal_id)
            .map_err(store_error)?;
        for (entry, grants) in found {
            let portfolio = entry.record();
            if portfolio.region != *caller.region() || portfolio.partition != *caller.partition() {
                continue;
            }
            let mut products = Vec::new();
            match self
                .store
                .visit_products_for_portfolio(&portfolio.id, &mut |p| products.push(extract(p)))
            {
                Ok(()) => {}
                // Deleted since the index answered: it holds nothing now.
                Err(StoreError::PortfolioNotFound(_)) => continue,
                Err(e) => return Err(store_error(e)),
            }
            if !products.is_empty() && !f(portfolio, grants, products) {
                break;
            }
        }
        Ok(())
    }

    /// `PortcullisService.ListProductsForPrincipal`: [`Service::products_for_principal`] on the
    /// wire, paginated like `ListPortfoliosForPrincipal`. Only the page's products are turned
    /// into wire shapes, each portfolio's grants once.
    pub fn list_products_for_principal(
        &self,
        caller: &Caller,
        input: ListProductsForPrincipalInput,
    ) -> Result<ListProductsForPrincipalOutput, ServiceError> {
        let _gate = self.gate.read_recursive();
        validate::accept_language(input.accept_language.as_deref())?;
        let arn = validate::present("PrincipalARN", input.principal_arn)?;
        let principal = parse_principal(&arn)?;
        let size = validate::page_size("PageSize", input.page_size)?;
        let list = ListScope::new("ListProductsForPrincipal", caller, &arn, "PageToken");
        let request = list.request(&self.config, input.page_token.as_deref(), size)?;
        let after = request.after.map_or(0, Position::get);
        let limit = request.limit.max(1);
        let mut product_access: Vec<ProductAccessDetail> = Vec::new();
        // Positions are 1, 2, … over every (portfolio, product) answered, in order.
        let mut seen = 0u64;
        let mut more = false;
        self.each_portfolio_with_products(
            caller,
            &principal,
            crate::products::view_summary,
            |portfolio, grants, products| {
                if product_access.len() == limit {
                    // The page is full and another product follows.
                    more = true;
                    return false;
                }
                let before = seen;
                seen += products.len() as u64;
                if seen <= after {
                    return true;
                }
                let skip = usize::try_from(after.saturating_sub(before)).unwrap_or(usize::MAX);
                let room = limit - product_access.len();
                let mut taken: Vec<ProductViewSummary> = products.into_iter().skip(skip).collect();
                if taken.len() > room {
                    taken.truncate(room);
                    more = true;
                }
                // Each portfolio's grants turned into wire shapes once, moved into its last product.
                let mut wire: Vec<AccessGrant> = grants.into_iter().map(access_grant).collect();
                let count = taken.len();
                for (i, product) in taken.into_iter().enumerate() {
                    let grants = if i + 1 == count {
                        std::mem::take(&mut wire)
                    } else {
                        wire.clone()
                    };
                    product_access.push(ProductAccessDetail {
                        product_view_summary: product,
                        portfolio_id: portfolio.id.clone(),
                        grants,
                    });
                }
                !more
            },
        )?;
        let last = Position::new(after + product_access.len() as u64);
        let next_page_token = more
            .then(|| list.token(last))
            .and_then(|t| portcullis_model::PageToken::parse(&t).ok());
        Ok(ListProductsForPrincipalOutput {
            product_access,
            next_page_token,
        })
    }

    /// Brings the reverse query's index up to date and merges all its tiers into its base, on
    /// the calling thread (after waiting for a background merge, if one runs). Queries never
    /// need this: they are exact either way. Tests and benchmarks that want a settled index do.
    pub fn settle_index(&self) -> Result<(), ServiceError> {
        let _gate = self.gate.read_recursive();
        self.index.settle(&*self.store).map_err(store_error)
    }

    /// `PortcullisService.ListPortfoliosForPrincipal`: [`Service::portfolios_for_principal`] on
    /// the wire, paginated.
    pub fn list_portfolios_for_principal(
        &self,
        caller: &Caller,
        input: ListPortfoliosForPrincipalInput,
    ) -> Result<ListPortfoliosForPrincipalOutput, ServiceError> {
        let _gate = self.gate.read_recursive();
        validate::accept_language(input.accept_language.as_deref())?;
        let arn = validate::present("PrincipalARN", input.principal_arn)?;
        let principal = parse_principal(&arn)?;
        let size = validate::page_size("PageSize", input.page_size)?;
        let list = ListScope::new("ListPortfoliosForPrincipal", caller, &arn, "PageToken");
        let request = list.request(&self.config, input.page_token.as_deref(), size)?;
        let found = self.portfolios_for_principal(caller, &principal)?;
        let page = page_positioned(
            found
                .into_iter()
                .enumerate()
                .map(|(i, p)| (Position::new(i as u64 + 1), p))
                .collect(),
            request,
        );
        Ok(PortfolioDetailsPage {
            next_page_token: page_token(&list, &page),
            portfolio_details: page.items.iter().map(wire::portfolio_detail).collect(),
        })
    }
}
