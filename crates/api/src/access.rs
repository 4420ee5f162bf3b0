//! Access evaluation (SPEC §6): may this principal use this portfolio, and why; the reverse query
//! (which portfolios may it use); and what would have to be removed to revoke access.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use arc_swap::ArcSwapOption;
use parking_lot::{Mutex, RwLock};
use portcullis_matcher::{PatternSet, PrincipalArn, PrincipalPattern};
use portcullis_model::{
    AccessGrant, AccountId, Caller, CheckPortfolioAccessInput, CheckPortfolioAccessOutput,
    GrantingAssociation, ListPortfoliosForPrincipalInput, ListPortfoliosForPrincipalOutput,
    PortfolioDetailsPage, PortfolioId, Principal, PrincipalType, ServiceError, validate,
};
use portcullis_store::{PortfolioRecord, PortfolioSnapshot, ShareRecord, ShareTarget, Store};

use crate::{Service, catalog_page, next_token, page_of};

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

/// How many compiled patterns [`PatternCache`] keeps before it starts over.
const PATTERN_CACHE_CAPACITY: usize = 65_536;

/// Compiled `IAM_PATTERN`s by their text, so that evaluating access does not compile the same
/// patterns on every call. Bounded: past its capacity it is cleared and refilled.
#[derive(Default)]
pub(crate) struct PatternCache {
    compiled: RwLock<HashMap<Box<str>, Arc<PrincipalPattern>>>,
}

impl PatternCache {
    fn get(&self, arn: &str) -> Option<Arc<PrincipalPattern>> {
        if let Some(found) = self.compiled.read().get(arn) {
            return Some(Arc::clone(found));
        }
        let pattern = Arc::new(PrincipalPattern::parse(arn).ok()?);
        let mut compiled = self.compiled.write();
        if compiled.len() >= PATTERN_CACHE_CAPACITY {
            compiled.clear();
        }
        compiled.insert(arn.into(), Arc::clone(&pattern));
        Some(pattern)
    }

    /// Whether an association grants `principal`: the identical ARN for `IAM`, a match for
    /// `IAM_PATTERN` (SPEC §4.3).
    fn association_matches(&self, association: &Principal, principal: &PrincipalArn) -> bool {
        match association.principal_type {
            PrincipalType::Iam => association.principal_arn == principal.as_str(),
            PrincipalType::IamPattern => self
                .get(&association.principal_arn)
                .is_some_and(|p| p.matches(principal)),
        }
    }
}

fn associations_of<'a>(snapshot: &'a PortfolioSnapshot, account: &AccountId) -> &'a [Principal] {
    snapshot
        .associations
        .iter()
        .find(|(a, _)| a == account)
        .map(|(_, list)| list.as_slice())
        .unwrap_or_default()
}

/// The grants for `principal` on one portfolio (SPEC §6), with `covers` telling whether a share
/// reaches an account.
fn evaluate(
    patterns: &PatternCache,
    snapshot: &PortfolioSnapshot,
    principal: &PrincipalArn,
    covers: impl Fn(&ShareRecord, &AccountId) -> bool,
) -> Vec<Grant> {
    let owner = &snapshot.portfolio.owner;
    if principal.partition() != snapshot.portfolio.partition.as_str() {
        return Vec::new();
    }
    let Ok(account) = principal.account().parse::<AccountId>() else {
        return Vec::new();
    };
    let grant = |a: &Principal, holder: &AccountId, via: GrantVia| Grant {
        account: holder.clone(),
        principal_arn: a.principal_arn.clone(),
        principal_type: a.principal_type,
        via,
    };
    if account == *owner {
        return associations_of(snapshot, owner)
            .iter()
            .filter(|a| patterns.association_matches(a, principal))
            .map(|a| grant(a, owner, GrantVia::Owner))
            .collect();
    }
    let covering: Vec<&ShareRecord> = snapshot
        .shares
        .iter()
        .filter(|s| covers(s, &account))
        .collect();
    let mut grants = Vec::new();
    // The recipient's own associations, on the portfolio it imported through a covering share.
    let import = covering.iter().find(|s| {
        let kind = crate::import_kind_for(s);
        snapshot
            .imports
            .iter()
            .any(|i| i.account == account && i.kind == kind)
    });
    if let Some(share) = import {
        grants.extend(
            associations_of(snapshot, &account)
                .iter()
                .filter(|a| patterns.association_matches(a, principal))
                .map(|a| {
                    grant(
                        a,
                        &account,
                        GrantVia::RecipientAssociation((*share).clone()),
                    )
                }),
        );
    }
    // Principal name sharing: the owner's patterns, through shares with SharePrincipals on.
    for share in covering.iter().filter(|s| s.share_principals) {
        grants.extend(
            associations_of(snapshot, owner)
                .iter()
                .filter(|a| {
                    a.principal_type == PrincipalType::IamPattern
                        && patterns.association_matches(a, principal)
                })
                .map(|a| grant(a, owner, GrantVia::PrincipalSharing((*share).clone()))),
        );
    }
    grants
}

fn parse_principal(arn: &str) -> Result<PrincipalArn, ServiceError> {
    PrincipalArn::parse(arn).map_err(|e| {
        ServiceError::invalid_parameters(format!(
            "`PrincipalARN` `{arn}` is not a fully defined IAM principal ARN: {e}"
        ))
    })
}

impl Service {
    /// Whether `principal` may use the portfolio, and every association and share that grants
    /// it (SPEC §6). The caller must be able to see the portfolio: its owner, or an account it
    /// is shared with.
    pub fn check_access(
        &self,
        caller: &Caller,
        portfolio: &PortfolioId,
        principal: &PrincipalArn,
    ) -> Result<AccessDecision, ServiceError> {
        self.visible_portfolio(caller, portfolio)?;
        let snapshot = self
            .store
            .portfolio_snapshot(portfolio)
            .ok_or_else(|| crate::portfolio_not_found(portfolio))?;
        Ok(AccessDecision {
            grants: evaluate(&self.patterns, &snapshot, principal, |s, a| {
                self.share_covers(s, a)
            }),
        })
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
        validate::accept_language(input.accept_language.as_deref())?;
        let id: PortfolioId = validate::required("PortfolioId", input.portfolio_id.as_deref())?;
        let arn = validate::present("PrincipalARN", input.principal_arn)?;
        let principal = parse_principal(&arn)?;
        let decision = self.check_access(caller, &id, &principal)?;
        Ok(CheckPortfolioAccessOutput {
            allowed: decision.allowed(),
            grants: decision
                .grants
                .into_iter()
                .map(|g| AccessGrant {
                    share: g.via.share().map(ShareRecord::detail),
                    association: GrantingAssociation {
                        account_id: g.account,
                        principal_arn: g.principal_arn,
                        principal_type: g.principal_type,
                    },
                })
                .collect(),
        })
    }

    /// The portfolios in the caller's partition and region that `principal` may use, ordered
    /// by creation time, then id. Answered from an immutable index snapshot, rebuilt only after
    /// the state changed, so queries never wait for writers.
    pub fn portfolios_for_principal(
        &self,
        caller: &Caller,
        principal: &PrincipalArn,
    ) -> Vec<PortfolioRecord> {
        let index = self.current_index();
        index
            .portfolios_for(principal)
            .into_iter()
            .filter(|p| p.region == *caller.region() && p.partition == *caller.partition())
            .cloned()
            .collect()
    }

    /// `PortcullisService.ListPortfoliosForPrincipal`: [`Service::portfolios_for_principal`] on
    /// the wire, paginated.
    pub fn list_portfolios_for_principal(
        &self,
        caller: &Caller,
        input: ListPortfoliosForPrincipalInput,
    ) -> Result<ListPortfoliosForPrincipalOutput, ServiceError> {
        validate::accept_language(input.accept_language.as_deref())?;
        let arn = validate::present("PrincipalARN", input.principal_arn)?;
        let principal = parse_principal(&arn)?;
        let page = catalog_page(&self.config, input.page_token.as_deref(), input.page_size)?;
        let page = page_of(self.portfolios_for_principal(caller, &principal), page);
        Ok(PortfolioDetailsPage {
            next_page_token: next_token(&page),
            portfolio_details: page.items.iter().map(PortfolioRecord::detail).collect(),
        })
    }

    /// The index for the store's current version, rebuilt if the state changed since the last
    /// one. One thread rebuilds at a time; readers of a current index take no lock.
    fn current_index(&self) -> Arc<Published> {
        let fresh = |ix: Option<Arc<Published>>| ix.filter(|ix| ix.version == self.store.version());
        if let Some(ix) = fresh(self.index.current.load_full()) {
            return ix;
        }
        let _rebuilding = self.index.rebuild.lock();
        if let Some(ix) = fresh(self.index.current.load_full()) {
            return ix;
        }
        // Read the version before anything else: a change made meanwhile makes the result
        // stale (rebuilt by the next query), never wrong.
        let version = self.store.version();
        let covers = |s: &ShareRecord, a: &AccountId| self.share_covers(s, a);
        let previous = self.index.current.load_full();
        let update = previous.as_ref().and_then(|p| {
            let changed = self.store.changes_since(p.base.version)?;
            let limit = OVERLAY_MIN.max(p.base.portfolios.len() / 16);
            (changed.len() <= limit).then_some((Arc::clone(&p.base), changed))
        });
        let published = match update {
            // Few portfolios changed since the base was built: index just those, over it.
            Some((base, changed)) => {
                let snapshots = changed
                    .iter()
                    .filter_map(|id| self.store.portfolio_snapshot(id))
                    .collect();
                Published {
                    version,
                    overlay: Some(Index::from_snapshots(
                        &*self.store,
                        version,
                        snapshots,
                        covers,
                    )),
                    replaced: changed.into_iter().collect(),
                    base,
                }
            }
            None => {
                let mut snapshots = Vec::new();
                self.store
                    .for_each_portfolio(&mut |snapshot| snapshots.push(snapshot));
                Published {
                    version,
                    base: Arc::new(Index::from_snapshots(
                        &*self.store,
                        version,
                        snapshots,
                        covers,
                    )),
                    overlay: None,
                    replaced: HashSet::new(),
                }
            }
        };
        let published = Arc::new(published);
        self.index.current.store(Some(Arc::clone(&published)));
        published
    }
}

/// Changed portfolios indexed over the base before a full rebuild: at least this many, or a
/// sixteenth of the base.
const OVERLAY_MIN: usize = 1024;

/// The index queries read: a base built from every portfolio, and an overlay built from the
/// portfolios changed since, which replace their base entries (a deleted one has no overlay
/// entry). Immutable once published.
struct Published {
    /// The store version this answers for.
    version: u64,
    base: Arc<Index>,
    overlay: Option<Index>,
    /// Portfolios whose base entries are out of date.
    replaced: HashSet<PortfolioId>,
}

impl Published {
    fn portfolios_for(&self, principal: &PrincipalArn) -> Vec<&PortfolioRecord> {
        let mut found: Vec<&PortfolioRecord> = self
            .base
            .portfolios_for(principal)
            .into_iter()
            .filter(|p| self.replaced.is_empty() || !self.replaced.contains(&p.id))
            .collect();
        if let Some(overlay) = &self.overlay {
            found.extend(overlay.portfolios_for(principal));
            found.sort_by(|a, b| (a.created_time, &a.id).cmp(&(b.created_time, &b.id)));
        }
        found
    }
}

/// The published index and the lock its rebuilders take.
#[derive(Default)]
pub(crate) struct IndexCache {
    current: ArcSwapOption<Published>,
    rebuild: Mutex<()>,
}

/// Who an association of one portfolio reaches.
struct IndexedPortfolio {
    record: PortfolioRecord,
    /// Recipients that imported the portfolio through a share that still covers them: their own
    /// associations count.
    importers: HashSet<AccountId>,
    /// Accounts reached by a share with principal sharing on: the owner's patterns count.
    principal_sharing: HashSet<AccountId>,
}

/// The reverse index: principal → portfolios, from every association of every portfolio.
struct Index {
    version: u64,
    portfolios: Vec<IndexedPortfolio>,
    /// `IAM` associations by exact ARN: (portfolio, holding account).
    exact: HashMap<String, Vec<(usize, AccountId)>>,
    /// `IAM_PATTERN` associations: (portfolio, holding account).
    patterns: PatternSet<(usize, AccountId)>,
}

impl Index {
    /// The index of `snapshots`, read from the store at `version`.
    fn from_snapshots(
        store: &dyn Store,
        version: u64,
        mut snapshots: Vec<PortfolioSnapshot>,
        covers: impl Fn(&ShareRecord, &AccountId) -> bool,
    ) -> Index {
        let mut portfolios = Vec::new();
        let mut exact: HashMap<String, Vec<(usize, AccountId)>> = HashMap::new();
        let mut patterns = Vec::new();
        snapshots.sort_by(|a, b| {
            (a.portfolio.created_time, &a.portfolio.id)
                .cmp(&(b.portfolio.created_time, &b.portfolio.id))
        });
        for snapshot in snapshots {
            let at = portfolios.len();
            let mut reached: HashMap<AccountId, (bool, bool)> = HashMap::new();
            for share in &snapshot.shares {
                let accounts = match &share.target {
                    ShareTarget::Account(a) if covers(share, a) => vec![a.clone()],
                    ShareTarget::Account(_) => Vec::new(),
                    other => other
                        .organization_node()
                        .map(|node| store.accounts_under(&node))
                        .unwrap_or_default(),
                };
                for account in accounts {
                    let entry = reached.entry(account.clone()).or_default();
                    let kind = crate::import_kind_for(share);
                    entry.0 |= snapshot
                        .imports
                        .iter()
                        .any(|i| i.account == account && i.kind == kind);
                    entry.1 |= share.share_principals;
                }
            }
            for (account, list) in &snapshot.associations {
                for association in list {
                    match association.principal_type {
                        PrincipalType::Iam => {
                            exact
                                .entry(association.principal_arn.clone())
                                .or_default()
                                .push((at, account.clone()));
                        }
                        PrincipalType::IamPattern => {
                            if let Ok(p) = PrincipalPattern::parse(&association.principal_arn) {
                                patterns.push((p, (at, account.clone())));
                            }
                        }
                    }
                }
            }
            portfolios.push(IndexedPortfolio {
                importers: reached
                    .iter()
                    .filter(|(_, r)| r.0)
                    .map(|(a, _)| a.clone())
                    .collect(),
                principal_sharing: reached
                    .iter()
                    .filter(|(_, r)| r.1)
                    .map(|(a, _)| a.clone())
                    .collect(),
                record: snapshot.portfolio,
            });
        }
        Index {
            version,
            portfolios,
            exact,
            patterns: PatternSet::new(patterns),
        }
    }

    /// Whether the association held by `holder` on portfolio `at` reaches a principal in
    /// `account` (SPEC §6).
    fn reaches(
        &self,
        at: usize,
        holder: &AccountId,
        account: &AccountId,
        is_pattern: bool,
    ) -> bool {
        let Some(p) = self.portfolios.get(at) else {
            return false;
        };
        let owner = &p.record.owner;
        if holder == account {
            holder == owner || p.importers.contains(account)
        } else {
            is_pattern && holder == owner && p.principal_sharing.contains(account)
        }
    }

    fn portfolios_for(&self, principal: &PrincipalArn) -> Vec<&PortfolioRecord> {
        let Ok(account) = principal.account().parse::<AccountId>() else {
            return Vec::new();
        };
        let mut hits: Vec<usize> = Vec::new();
        for (at, holder) in self
            .exact
            .get(principal.as_str())
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            if self.reaches(*at, holder, &account, false) {
                hits.push(*at);
            }
        }
        self.patterns.for_each_match(principal, |i| {
            if let Some((_, (at, holder))) = self.patterns.get(i) {
                if self.reaches(*at, holder, &account, true) {
                    hits.push(*at);
                }
            }
        });
        hits.sort_unstable();
        hits.dedup();
        hits.into_iter()
            .filter_map(|at| self.portfolios.get(at))
            .filter(|p| p.record.partition.as_str() == principal.partition())
            .map(|p| &p.record)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pattern_cache_stays_bounded_and_answers_the_same_after_starting_over() {
        let cache = PatternCache::default();
        let principal =
            PrincipalArn::parse("arn:aws:iam::111122223333:role/team-7/Deploy").unwrap();
        let association = |arn: String| Principal {
            principal_arn: arn,
            principal_type: PrincipalType::IamPattern,
        };
        let hit = association("arn:aws:iam:::role/team-?/Deploy*".into());
        assert!(cache.association_matches(&hit, &principal));
        for i in 0..PATTERN_CACHE_CAPACITY + 10 {
            assert!(!cache.association_matches(
                &association(format!("arn:aws:iam:::role/x{i}*")),
                &principal
            ));
        }
        assert!(cache.compiled.read().len() <= PATTERN_CACHE_CAPACITY);
        assert!(cache.association_matches(&hit, &principal));
        // An invalid stored pattern matches nothing and is not cached.
        assert!(!cache.association_matches(&association("arn:aws:iam:::*/x".into()), &principal));
    }
}
