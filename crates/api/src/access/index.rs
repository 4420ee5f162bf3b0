//! The reverse query's index: principal → the portfolios it may use.
//!
//! Queries read an immutable [`Published`] snapshot through an `ArcSwap`, never waiting for a
//! writer. A snapshot is a large *base* level (exact ARNs in a hash map, patterns in a
//! [`PatternSet`]) and a small *delta* of portfolios changed since the base was built, which
//! shadow their base entries. Keeping it current costs what changed:
//!
//! - a change to a portfolio rereads that portfolio into the delta;
//! - an account joining an organization or moving between OUs rereads only the portfolios with
//!   an organization-node share on a node above its old or new place ([`Change::AccountPlaced`]);
//! - when the delta grows past a bound, a background thread merges it into a new base, while
//!   queries go on reading the published snapshot; the merge is published only if no other base
//!   replaced the one it started from.
//!
//! Every answer is derived from [`PortfolioAccess`], the same rule `check_access` uses.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use arc_swap::ArcSwapOption;
use parking_lot::Mutex;
use portcullis_matcher::{PatternSet, PrincipalArn, PrincipalPattern};
use portcullis_model::{AccountId, OrganizationId, ParentId, PortfolioId, PrincipalType};
use portcullis_store::{Association, Change, Changes, ShareTarget, Store, StoreError};

use super::reach::{PortfolioAccess, same_partition};

/// How far the published index may fall behind the store before a write brings it up to date
/// (well within the store's change record, so it never has to start over).
pub(crate) const REFRESH_LAG: u64 = 1024;

/// The delta's size at which a merge into a new base starts: a 128th of the base, at least
/// `min` ([`crate::Config::index_merge_threshold`]).
fn merge_at(min: usize, base: usize) -> usize {
    min.max(base / 128)
}

/// A level built once from many portfolios.
struct Level {
    /// In creation order (time, then id).
    entries: Vec<Arc<PortfolioAccess>>,
    /// `IAM` associations by ARN: (entry, holding account).
    exact: HashMap<Box<str>, Vec<(usize, AccountId)>>,
    /// `IAM_PATTERN` associations: (entry, holding account).
    patterns: PatternSet<(usize, AccountId)>,
    /// Organization-node share targets -> the portfolios shared with them.
    by_node: HashMap<ShareTarget, Vec<PortfolioId>>,
}

impl Level {
    fn build(mut entries: Vec<Arc<PortfolioAccess>>) -> Level {
        entries.sort_by(|a, b| order(a).cmp(&order(b)));
        let mut exact: HashMap<Box<str>, Vec<(usize, AccountId)>> = HashMap::new();
        let mut patterns = Vec::new();
        let mut by_node: HashMap<ShareTarget, Vec<PortfolioId>> = HashMap::new();
        for (at, entry) in entries.iter().enumerate() {
            for (holder, associations) in entry.holders() {
                for association in associations.associations() {
                    match association {
                        Association::Iam(arn) => exact
                            .entry(Box::from(arn.as_str()))
                            .or_default()
                            .push((at, holder.clone())),
                        Association::Pattern(pattern) => {
                            patterns.push((PrincipalPattern::clone(pattern), (at, holder.clone())));
                        }
                    }
                }
            }
            for target in organization_targets(entry) {
                by_node
                    .entry(target.clone())
                    .or_default()
                    .push(entry.record().id.clone());
            }
        }
        Level {
            entries,
            exact,
            patterns: PatternSet::new(patterns),
            by_node,
        }
    }

    /// This level with `delta` laid over it.
    fn merged(&self, delta: &Delta) -> Level {
        let mut entries: Vec<Arc<PortfolioAccess>> = self
            .entries
            .iter()
            .filter(|e| !delta.entries.contains_key(&e.record().id))
            .cloned()
            .collect();
        entries.extend(delta.entries.values().flatten().cloned());
        Level::build(entries)
    }
}

fn order(entry: &PortfolioAccess) -> (portcullis_model::Timestamp, &PortfolioId) {
    (entry.record().created_time, &entry.record().id)
}

fn organization_targets(entry: &PortfolioAccess) -> impl Iterator<Item = &ShareTarget> {
    entry
        .shares()
        .iter()
        .map(|s| &s.target)
        .filter(|t| t.is_organization_node())
}

/// Portfolios changed since the base was built: `None` for a deleted one.
#[derive(Clone, Default)]
struct Delta {
    entries: HashMap<PortfolioId, Option<Arc<PortfolioAccess>>>,
    by_node: HashMap<ShareTarget, HashSet<PortfolioId>>,
}

impl Delta {
    fn set(&mut self, id: PortfolioId, entry: Option<Arc<PortfolioAccess>>) {
        self.entries.insert(id, entry);
    }

    /// Recomputes `by_node` from the entries.
    fn reindex(&mut self) {
        self.by_node.clear();
        for entry in self.entries.values().flatten() {
            for target in organization_targets(entry) {
                self.by_node
                    .entry(target.clone())
                    .or_default()
                    .insert(entry.record().id.clone());
            }
        }
    }

    /// The entries of `self` that changed after `older` (both from one line of deltas).
    fn since(&self, older: &Delta) -> Delta {
        let mut delta = Delta {
            entries: self
                .entries
                .iter()
                .filter(|(id, entry)| {
                    let same = match (older.entries.get(*id), entry) {
                        (Some(Some(a)), Some(b)) => Arc::ptr_eq(a, b),
                        (Some(None), None) => true,
                        _ => false,
                    };
                    !same
                })
                .map(|(id, entry)| (id.clone(), entry.clone()))
                .collect(),
            by_node: HashMap::new(),
        };
        delta.reindex();
        delta
    }
}

/// What queries read: immutable once published.
struct Published {
    /// The store version this answers for.
    version: u64,
    base: Arc<Level>,
    delta: Arc<Delta>,
}

impl Published {
    fn portfolios_for(&self, principal: &PrincipalArn) -> Vec<Arc<PortfolioAccess>> {
        let Ok(account) = principal.account().parse::<AccountId>() else {
            return Vec::new();
        };
        let base = &self.base;
        let shadowed =
            |entry: &PortfolioAccess| self.delta.entries.contains_key(&entry.record().id);
        let mut hits: Vec<usize> = Vec::new();
        let mut visit = |at: usize, holder: &AccountId, principal_type: PrincipalType| {
            if let Some(entry) = base.entries.get(at) {
                if !shadowed(entry)
                    && same_partition(&entry.record().partition, principal)
                    && entry.reaches(holder, principal_type, &account)
                {
                    hits.push(at);
                }
            }
        };
        for (at, holder) in base
            .exact
            .get(principal.as_str())
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            visit(*at, holder, PrincipalType::Iam);
        }
        base.patterns.for_each_match(principal, |i| {
            if let Some((_, (at, holder))) = base.patterns.get(i) {
                visit(*at, holder, PrincipalType::IamPattern);
            }
        });
        hits.sort_unstable();
        hits.dedup();
        let mut found: Vec<Arc<PortfolioAccess>> = hits
            .into_iter()
            .filter_map(|at| base.entries.get(at).cloned())
            .collect();
        let changed = self
            .delta
            .entries
            .values()
            .flatten()
            .filter(|e| e.allows(principal));
        let before = found.len();
        found.extend(changed.cloned());
        if found.len() > before {
            found.sort_by(|a, b| order(a).cmp(&order(b)));
        }
        found
    }
}

/// The published index and what keeps it current.
pub(crate) struct AccessIndex {
    shared: Arc<Shared>,
    /// The fewest changed portfolios the delta holds before a merge starts.
    merge_min: usize,
}

struct Shared {
    /// `None` until a first build succeeds.
    published: ArcSwapOption<Published>,
    /// Held while changes are applied, so they are applied once and in order.
    updating: Mutex<()>,
    /// Set while a background merge runs.
    merging: AtomicBool,
}

impl AccessIndex {
    /// An index of everything `store` holds now. When the store cannot be read, the index is
    /// built by the first query instead.
    pub(crate) fn new(store: &dyn Store, merge_min: usize) -> AccessIndex {
        AccessIndex {
            merge_min,
            shared: Arc::new(Shared {
                published: ArcSwapOption::new(rebuild(store).ok().map(Arc::new)),
                updating: Mutex::new(()),
                merging: AtomicBool::new(false),
            }),
        }
    }

    /// The portfolios `principal` may use, in creation order, as of the store's current
    /// version.
    pub(crate) fn portfolios_for(
        &self,
        store: &dyn Store,
        principal: &PrincipalArn,
    ) -> Result<Vec<Arc<PortfolioAccess>>, StoreError> {
        Ok(self.current(store)?.portfolios_for(principal))
    }

    /// Brings the index up to date when it lags the store by more than [`REFRESH_LAG`]
    /// changes; called on the write path so the lag stays bounded without queries.
    pub(crate) fn keep_up(&self, store: &dyn Store) -> Result<(), StoreError> {
        let lag = match &*self.shared.published.load() {
            Some(published) => store.version().saturating_sub(published.version),
            None => return Ok(()),
        };
        if lag > REFRESH_LAG {
            self.current(store)?;
        }
        Ok(())
    }

    /// Waits until no background merge is running (its result, if any, published).
    pub(crate) fn settle(&self) {
        while self.shared.merging.load(Ordering::Acquire) {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
    }

    /// The index for the store's current version: the published one if current, else the
    /// published one with the changes since laid over it (work proportional to the changes).
    fn current(&self, store: &dyn Store) -> Result<Arc<Published>, StoreError> {
        let fresh =
            |published: Option<Arc<Published>>| published.filter(|p| p.version >= store.version());
        if let Some(published) = fresh(self.shared.published.load_full()) {
            return Ok(published);
        }
        let _updating = self.shared.updating.lock();
        let published = self.shared.published.load_full();
        if let Some(published) = fresh(published.clone()) {
            return Ok(published);
        }
        let next = match published {
            Some(published) => match store.changes_since(published.version) {
                Ok(changes) => apply(store, &published, changes)?,
                // Only when more changes than the store records pile up between two
                // refreshes, which `keep_up` on the write path prevents.
                Err(StoreError::ChangesGap { .. }) => rebuild(store)?,
                Err(e) => return Err(e),
            },
            // The first build, when the store could not be read at start.
            None => rebuild(store)?,
        };
        let next = Arc::new(next);
        self.shared.published.store(Some(Arc::clone(&next)));
        if next.delta.entries.len() > merge_at(self.merge_min, next.base.entries.len()) {
            self.merge_in_background(Arc::clone(&next));
        }
        Ok(next)
    }

    /// Starts a merge of `snapshot`'s delta into a new base, unless one is running.
    fn merge_in_background(&self, snapshot: Arc<Published>) {
        if self.shared.merging.swap(true, Ordering::AcqRel) {
            return;
        }
        let shared = Arc::clone(&self.shared);
        let spawned = std::thread::Builder::new()
            .name("portcullis-index-merge".into())
            .spawn(move || {
                let base = Arc::new(snapshot.base.merged(&snapshot.delta));
                {
                    let _updating = shared.updating.lock();
                    // A rebuild may have replaced the base meanwhile: then this merge is stale.
                    if let Some(current) = shared.published.load_full() {
                        if Arc::ptr_eq(&current.base, &snapshot.base) {
                            shared.published.store(Some(Arc::new(Published {
                                version: current.version,
                                base,
                                delta: Arc::new(current.delta.since(&snapshot.delta)),
                            })));
                        }
                    }
                }
                shared.merging.store(false, Ordering::Release);
            });
        if spawned.is_err() {
            // No thread to be had: the delta keeps growing and queries stay correct.
            self.shared.merging.store(false, Ordering::Release);
        }
    }
}

/// An index of every portfolio, answering for the version read before the first one.
fn rebuild(store: &dyn Store) -> Result<Published, StoreError> {
    let version = store.version();
    let mut snapshots = Vec::new();
    store.for_each_portfolio(&mut |snapshot| snapshots.push(snapshot))?;
    let entries = snapshots
        .into_iter()
        .map(|snapshot| PortfolioAccess::whole(store, snapshot).map(Arc::new))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Published {
        version,
        base: Arc::new(Level::build(entries)),
        delta: Arc::new(Delta::default()),
    })
}

/// `published` with `changes` laid over it: each touched portfolio reread.
fn apply(
    store: &dyn Store,
    published: &Published,
    changes: Changes,
) -> Result<Published, StoreError> {
    let mut delta = Delta::clone(&published.delta);
    let mut touched: HashSet<PortfolioId> = HashSet::new();
    for (_, change) in changes.changes {
        match change {
            Change::Portfolio(id) => {
                touched.insert(id);
            }
            Change::AccountPlaced {
                account,
                organization,
                from,
                to,
            } => {
                for node in nodes_above(store, &account, organization, from.as_ref(), &to)? {
                    let in_base = published.base.by_node.get(&node).into_iter().flatten();
                    let in_delta = delta.by_node.get(&node).into_iter().flatten();
                    touched.extend(in_base.chain(in_delta).cloned());
                }
            }
            Change::Organization(_) => {}
        }
    }
    for id in touched {
        let entry = match store.portfolio_snapshot(&id)? {
            Some(snapshot) => Some(Arc::new(PortfolioAccess::whole(store, snapshot)?)),
            None => None,
        };
        delta.set(id, entry);
    }
    delta.reindex();
    Ok(Published {
        version: changes.version,
        base: Arc::clone(&published.base),
        delta: Arc::new(delta),
    })
}

/// The organization-node share targets whose coverage an account's joining (`from` is `None`)
/// or move changes: the OUs above its old and new parents, and on joining its organization and
/// the account itself.
fn nodes_above(
    store: &dyn Store,
    account: &AccountId,
    organization: OrganizationId,
    from: Option<&ParentId>,
    to: &ParentId,
) -> Result<Vec<ShareTarget>, StoreError> {
    let mut nodes = Vec::new();
    if from.is_none() {
        nodes.push(ShareTarget::Organization(organization));
        nodes.push(ShareTarget::OrganizationMemberAccount(account.clone()));
    }
    for parent in from.into_iter().chain([to]) {
        let mut parent = parent.clone();
        while let ParentId::OrganizationalUnit(ou) = parent {
            nodes.push(ShareTarget::OrganizationalUnit(ou.clone()));
            match store.organizational_unit(&ou)? {
                Some(record) => parent = record.parent,
                None => break,
            }
        }
    }
    Ok(nodes)
}
