//! The reverse query's index: principal → the portfolios it may use.
//!
//! Queries read an immutable [`Published`] snapshot through an `ArcSwap`, never waiting for a
//! writer. A snapshot has three tiers, newest first, each shadowing the portfolios it holds in
//! the tiers below:
//!
//! - *recent*: the last few changed portfolios (at most [`RECENT_MAX`]), scanned one by one;
//! - *middle*: the portfolios changed since the base was built, in a few levels indexed like
//!   the base, each at most half the size of the one below it;
//! - *base*: every portfolio as of some version (exact ARNs in a hash map, patterns in a
//!   [`PatternSet`]).
//!
//! Keeping it current costs what changed:
//!
//! - a change to a portfolio rereads that portfolio into *recent*; when *recent* fills up it
//!   becomes a new *middle* level, and levels of similar size are merged (each changed
//!   portfolio is rebuilt O(log n) times, as in a log-structured merge tree);
//! - an account joining an organization or moving between OUs changes no entry: which
//!   organization-node shares cover a principal's account is judged at query time from where
//!   the account sits ([`Whereabouts`]), by the same rule as everywhere;
//! - when *middle* holds more than a bound, a background thread merges everything into a new
//!   base,
//!   while queries go on reading the published snapshot; the merge is published only if no
//!   other base replaced the one it started from.
//!
//! Every answer is derived from [`PortfolioAccess`], the same rule `check_access` uses.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use arc_swap::ArcSwapOption;
use parking_lot::Mutex;
use portcullis_matcher::{PatternSet, PrincipalArn, PrincipalPattern};
use portcullis_model::{AccountId, PortfolioId, PrincipalId, PrincipalType};
use portcullis_store::{Association, Change, Changes, Store, StoreError};

use super::reach::{PortfolioAccess, Whereabouts, same_partition};

/// How far the published index may fall behind the store before a write brings it up to date
/// (well within the store's change record, so it never has to start over).
pub(crate) const REFRESH_LAG: u64 = 1024;

/// The most portfolios the *recent* tier holds before it is folded into *middle*: half the
/// merge threshold, at most this.
const RECENT_MAX: usize = 64;

fn recent_max(merge_min: usize) -> usize {
    (merge_min / 2).clamp(1, RECENT_MAX)
}

/// The largest middle level a refresh builds by merging two (a few milliseconds of work).
const LEVEL_MERGE_MAX: usize = 4096;

/// The size of *middle* at which a merge into a new base starts: an eighth of the base, at
/// least `min` ([`crate::Config::index_merge_threshold`]). Middle levels are indexed, so a large
/// middle costs queries little, and each full merge absorbs a good share of growth.
fn merge_at(min: usize, base: usize) -> usize {
    min.max(base / 8)
}

/// A level built once from many portfolios.
struct Level {
    /// In creation order (time, then id).
    entries: Vec<Arc<PortfolioAccess>>,
    /// `IAM` associations by ARN: (entry, holding account).
    exact: HashMap<Box<str>, Vec<(usize, AccountId)>>,
    /// `IAM_PATTERN` associations: (entry, holding account).
    patterns: PatternSet<(usize, AccountId)>,
}

impl Level {
    fn build(mut entries: Vec<Arc<PortfolioAccess>>) -> Level {
        entries.sort_by(|a, b| order(a).cmp(&order(b)));
        let mut exact: HashMap<Box<str>, Vec<(usize, AccountId)>> = HashMap::new();
        let mut patterns = Vec::new();
        for (at, entry) in entries.iter().enumerate() {
            for (holder, associations) in entry.holders() {
                for association in associations.associations() {
                    match association {
                        Association::Iam(_) | Association::Principal(_) => exact
                            .entry(Box::from(association.arn()))
                            .or_default()
                            .push((at, holder.clone())),
                        Association::Pattern(pattern) => {
                            patterns.push((PrincipalPattern::clone(pattern), (at, holder.clone())));
                        }
                    }
                }
            }
        }
        Level {
            entries,
            exact,
            patterns: PatternSet::new(patterns),
        }
    }

    /// The entries `principal` (in `account`) may use, skipping those `shadowed` says a newer
    /// tier holds.
    fn hits(
        &self,
        principal: &PrincipalArn,
        whereabouts: &Whereabouts<'_>,
        shadowed: impl Fn(&PortfolioId) -> bool,
        found: &mut Vec<Arc<PortfolioAccess>>,
    ) {
        let mut hits: Vec<usize> = Vec::new();
        let mut visit = |at: usize, holder: &AccountId, principal_type: PrincipalType| {
            if let Some(entry) = self.entries.get(at)
                && same_partition(&entry.record().partition, principal)
                && !shadowed(&entry.record().id)
                && entry.reaches(holder, principal_type, whereabouts)
            {
                hits.push(at);
            }
        };
        // `IAM` associations bound to the ARN, and to the principal that holds it now.
        let keys = std::iter::once(principal.as_str())
            .chain(whereabouts.principal_id.as_ref().map(|id| id.as_str()));
        for key in keys {
            for (at, holder) in self.exact.get(key).map(Vec::as_slice).unwrap_or_default() {
                visit(*at, holder, PrincipalType::Iam);
            }
        }
        self.patterns.for_each_match(principal, |i| {
            if let Some((_, (at, holder))) = self.patterns.get(i) {
                visit(*at, holder, PrincipalType::IamPattern);
            }
        });
        hits.sort_unstable();
        hits.dedup();
        found.extend(
            hits.into_iter()
                .filter_map(|at| self.entries.get(at).cloned()),
        );
    }
}

fn order(entry: &PortfolioAccess) -> (portcullis_model::Timestamp, &PortfolioId) {
    (entry.record().created_time, &entry.record().id)
}

/// Portfolios changed since the tier below was built: `None` for a deleted one.
type Changed = HashMap<PortfolioId, Option<Arc<PortfolioAccess>>>;

/// The *recent* tier: few portfolios, scanned one by one.
#[derive(Clone, Default)]
struct Recent {
    changed: Changed,
}

/// One level of the *middle* tier, indexed.
struct Middle {
    changed: Changed,
    level: Level,
}

impl Middle {
    fn new(changed: Changed) -> Middle {
        let level = Level::build(changed.values().flatten().cloned().collect());
        Middle { changed, level }
    }

    /// `older` with `newer` laid over it.
    fn merged(older: &Middle, newer: &Middle) -> Middle {
        let mut changed = older.changed.clone();
        changed.extend(newer.changed.iter().map(|(id, e)| (id.clone(), e.clone())));
        Middle::new(changed)
    }
}

/// Whether two tiers hold the same version of a portfolio (the same entry, or both deleted).
fn same(a: Option<&Option<Arc<PortfolioAccess>>>, b: &Option<Arc<PortfolioAccess>>) -> bool {
    match (a, b) {
        (Some(Some(a)), Some(b)) => Arc::ptr_eq(a, b),
        (Some(None), None) => true,
        _ => false,
    }
}

/// What queries read: immutable once published.
struct Published {
    /// The store version this answers for.
    version: u64,
    base: Arc<Level>,
    /// Oldest first; each level at most half the size of the one before it.
    middle: Vec<Arc<Middle>>,
    recent: Arc<Recent>,
}

impl Published {
    fn portfolios_for(
        &self,
        principal: &PrincipalArn,
        whereabouts: &Whereabouts<'_>,
    ) -> Vec<Arc<PortfolioAccess>> {
        let recent = &self.recent.changed;
        // Whether a tier newer than middle level `below` holds the portfolio.
        let newer = |id: &PortfolioId, below: usize| {
            recent.contains_key(id)
                || self
                    .middle
                    .iter()
                    .skip(below)
                    .any(|m| m.changed.contains_key(id))
        };
        let mut found = Vec::new();
        self.base
            .hits(principal, whereabouts, |id| newer(id, 0), &mut found);
        for (i, level) in self.middle.iter().enumerate() {
            level
                .level
                .hits(principal, whereabouts, |id| newer(id, i + 1), &mut found);
        }
        found.extend(
            recent
                .values()
                .flatten()
                .filter(|e| e.allows(principal, whereabouts))
                .cloned(),
        );
        found.sort_by(|a, b| order(a).cmp(&order(b)));
        found
    }

    /// The middle and recent tiers as one set of changes (newer wins).
    fn changed(&self) -> Changed {
        let mut changed = Changed::new();
        for level in &self.middle {
            changed.extend(level.changed.iter().map(|(id, e)| (id.clone(), e.clone())));
        }
        changed.extend(
            self.recent
                .changed
                .iter()
                .map(|(id, e)| (id.clone(), e.clone())),
        );
        changed
    }

    /// The version of `id` the middle and recent tiers hold, if either does (recent wins).
    fn changed_entry(&self, id: &PortfolioId) -> Option<&Option<Arc<PortfolioAccess>>> {
        self.recent
            .changed
            .get(id)
            .or_else(|| self.middle.iter().rev().find_map(|m| m.changed.get(id)))
    }
}

/// A portfolio the reverse query found, with every grant that allows the principal to use it.
pub(crate) type Granted = (Arc<PortfolioAccess>, Vec<super::Grant>);

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
    /// `principal_id` is the unique id of the principal that holds the ARN now, if one does.
    pub(crate) fn portfolios_for(
        &self,
        store: &dyn Store,
        principal: &PrincipalArn,
        principal_id: Option<PrincipalId>,
    ) -> Result<Vec<Arc<PortfolioAccess>>, StoreError> {
        let Ok(account) = principal.account().parse::<AccountId>() else {
            return Ok(Vec::new());
        };
        let published = self.current(store)?;
        let whereabouts = Whereabouts::new(&account, store).with_principal_id(principal_id);
        let found = published.portfolios_for(principal, &whereabouts);
        whereabouts.finish(found)
    }

    /// The portfolios `principal` may use, as [`AccessIndex::portfolios_for`], each with every
    /// grant that allows it ([`PortfolioAccess::grants`], judged from the same whereabouts).
    pub(crate) fn grants_for(
        &self,
        store: &dyn Store,
        principal: &PrincipalArn,
        principal_id: Option<PrincipalId>,
    ) -> Result<Vec<Granted>, StoreError> {
        let Ok(account) = principal.account().parse::<AccountId>() else {
            return Ok(Vec::new());
        };
        let published = self.current(store)?;
        let whereabouts = Whereabouts::new(&account, store).with_principal_id(principal_id);
        let found: Vec<_> = published
            .portfolios_for(principal, &whereabouts)
            .into_iter()
            .map(|entry| {
                let grants = entry.grants(principal, &whereabouts);
                (entry, grants)
            })
            .collect();
        whereabouts.finish(found)
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

    /// Brings the index up to date and merges every tier into the base, on this thread, after
    /// waiting for a background merge to finish.
    pub(crate) fn settle(&self, store: &dyn Store) -> Result<(), StoreError> {
        while self.shared.merging.load(Ordering::Acquire) {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        self.current(store)?;
        let _updating = self.shared.updating.lock();
        if let Some(published) = self.shared.published.load_full()
            && (!published.middle.is_empty() || !published.recent.changed.is_empty())
        {
            self.shared.published.store(Some(Arc::new(Published {
                version: published.version,
                base: Arc::new(merged_base(&published)),
                middle: Vec::new(),
                recent: Arc::new(Recent::default()),
            })));
        }
        Ok(())
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
                Ok(changes) => apply(store, &published, changes, recent_max(self.merge_min))?,
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
        let middle: usize = next.middle.iter().map(|m| m.changed.len()).sum();
        if middle > merge_at(self.merge_min, next.base.entries.len()) {
            self.merge_in_background(Arc::clone(&next));
        }
        Ok(next)
    }

    /// Starts a merge of `snapshot`'s middle and recent tiers into a new base, unless one is
    /// running.
    fn merge_in_background(&self, snapshot: Arc<Published>) {
        if self.shared.merging.swap(true, Ordering::AcqRel) {
            return;
        }
        let shared = Arc::clone(&self.shared);
        let spawned = std::thread::Builder::new()
            .name("portcullis-index-merge".into())
            .spawn(move || {
                let base = Arc::new(merged_base(&snapshot));
                {
                    let _updating = shared.updating.lock();
                    // A rebuild may have replaced the base meanwhile: then this merge is stale.
                    if let Some(current) = shared.published.load_full()
                        && Arc::ptr_eq(&current.base, &snapshot.base)
                    {
                        // What changed after the snapshot stays above the new base.
                        let since: Changed = current
                            .changed()
                            .into_iter()
                            .filter(|(id, e)| !same(snapshot.changed_entry(id), e))
                            .collect();
                        shared.published.store(Some(Arc::new(Published {
                            version: current.version,
                            base,
                            middle: vec![Arc::new(Middle::new(since))],
                            recent: Arc::new(Recent::default()),
                        })));
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

/// The base of `published` with its middle and recent tiers merged in.
fn merged_base(published: &Published) -> Level {
    let merged = published.changed();
    let mut entries: Vec<Arc<PortfolioAccess>> = published
        .base
        .entries
        .iter()
        .filter(|e| !merged.contains_key(&e.record().id))
        .cloned()
        .collect();
    entries.extend(merged.values().flatten().cloned());
    Level::build(entries)
}

/// An index of every portfolio, answering for the version read before the first one.
fn rebuild(store: &dyn Store) -> Result<Published, StoreError> {
    let version = store.version();
    let mut snapshots = Vec::new();
    store.for_each_portfolio(&mut |snapshot| snapshots.push(snapshot))?;
    let entries = snapshots
        .into_iter()
        .map(|snapshot| Arc::new(PortfolioAccess::new(snapshot)))
        .collect();
    Ok(Published {
        version,
        base: Arc::new(Level::build(entries)),
        middle: Vec::new(),
        recent: Arc::new(Recent::default()),
    })
}

/// `published` with `changes` laid over it: each touched portfolio reread into the recent
/// tier, which becomes a middle level when it fills up.
fn apply(
    store: &dyn Store,
    published: &Published,
    changes: Changes,
    recent_max: usize,
) -> Result<Published, StoreError> {
    let mut touched: HashSet<PortfolioId> = HashSet::new();
    for (_, change) in changes.changes {
        match change {
            Change::Portfolio(id) => {
                touched.insert(id);
            }
            // Coverage by organization-node shares is judged at query time from where the
            // account sits: no entry depends on it.
            Change::AccountPlaced { .. } | Change::Organization(_) => {}
            // Everything went: start over from what the store holds now.
            Change::Reset => return rebuild(store),
            // Whether a principal exists is asked at query time ([`Whereabouts`]): no entry
            // depends on it.
            Change::Principal(_) => {}
        }
    }
    let mut recent = published.recent.changed.clone();
    for id in touched {
        let entry = store
            .portfolio_snapshot(&id)?
            .map(|snapshot| Arc::new(PortfolioAccess::new(snapshot)));
        recent.insert(id, entry);
    }
    let mut middle = published.middle.clone();
    let recent = if recent.len() > recent_max {
        middle.push(Arc::new(Middle::new(recent)));
        // Merge levels of similar size, so there are O(log n) of them; larger levels are left
        // to the background merge into the base, off the request path.
        while let [.., older, newer] = middle.as_slice() {
            if newer.changed.len() * 2 < older.changed.len()
                || older.changed.len() + newer.changed.len() > LEVEL_MERGE_MAX
            {
                break;
            }
            let merged = Arc::new(Middle::merged(older, newer));
            middle.truncate(middle.len() - 2);
            middle.push(merged);
        }
        Recent::default()
    } else {
        Recent { changed: recent }
    };
    Ok(Published {
        version: changes.version,
        base: Arc::clone(&published.base),
        middle,
        recent: Arc::new(recent),
    })
}
