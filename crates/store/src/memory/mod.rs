//! [`MemoryStore`]: the in-memory store on dashmap.
//!
//! # Locking
//!
//! Each portfolio is one slot, `Arc<Mutex<PortfolioState>>`, holding everything whose invariants
//! must hold together: its record, principal associations (per account), shares and imports.
//! Every check-and-change of a portfolio happens under its slot's mutex. The maps are only ever
//! entered briefly:
//!
//! - a slot is cloned out of `portfolios` and the map guard dropped before the mutex is taken;
//! - while a slot's mutex is held, the secondary indexes (`by_owner`, `imports_by_recipient`,
//!   `share_operations`, `retired`, `portfolios` itself on delete) may be entered, so they always
//!   agree with the slots;
//! - nothing takes a slot's mutex while holding an index guard: lists copy positions and ids out
//!   of an index, drop the guard, then visit the slots.
//!
//! The order is therefore always slot mutex, then map shard, and no deadlock is possible. A
//! deleted slot is marked `deleted` under its mutex before it leaves the map, so a caller that
//! cloned the slot just before the delete sees the mark and answers "not found" instead of
//! writing into a dead portfolio.
//!
//! The organization directory sits behind one `RwLock`; it never takes a slot mutex or a map
//! guard while locked.

mod directory;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use dashmap::mapref::entry::Entry;
use dashmap::{DashMap, DashSet};
use parking_lot::{Mutex, RwLock};
use portcullis_model::{
    AccountId, CreateAccountRequestId, DescribePortfolioShareType, OrganizationId,
    OrganizationNodeValue, OuId, ParentId, PortfolioId, PortfolioShareToken, Principal,
    PrincipalType, Region, ServicePrincipal, Tag, Timestamp,
};

use crate::Store;
use crate::error::StoreError;
use crate::types::*;
use directory::Directory;

/// The page of `index` described by `page`, resolving each entry with `resolve` and skipping
/// entries it rejects. `next` is set only when a further entry resolves.
pub(crate) fn page_of<K, T>(
    index: &BTreeMap<u64, K>,
    page: PageRequest,
    mut resolve: impl FnMut(&K) -> Option<T>,
) -> Page<T> {
    let limit = page.effective_limit();
    let start = page.after.map_or(0, |p| p.get().saturating_add(1));
    let mut items = Vec::new();
    let mut last = None;
    for (seq, key) in index.range(start..) {
        let Some(item) = resolve(key) else {
            continue;
        };
        if items.len() == limit {
            return Page {
                items,
                next: last.map(Position::new),
            };
        }
        items.push(item);
        last = Some(*seq);
    }
    Page { items, next: None }
}

/// The positions and keys of the page described by `page`, copied out of `index` so that the
/// caller can drop the index guard before visiting slots; `next` is set when more entries follow.
fn window<K: Clone>(index: &BTreeMap<u64, K>, page: PageRequest) -> (Vec<K>, Option<Position>) {
    let limit = page.effective_limit();
    let start = page.after.map_or(0, |p| p.get().saturating_add(1));
    let mut keys = Vec::new();
    let mut last = None;
    for (seq, key) in index.range(start..) {
        if keys.len() == limit {
            return (keys, last.map(Position::new));
        }
        keys.push(key.clone());
        last = Some(*seq);
    }
    (keys, None)
}

/// One account's principal associations on one portfolio.
#[derive(Default)]
struct AccountAssociations {
    /// Association order -> principal.
    ordered: BTreeMap<u64, Principal>,
    /// (type, ARN) -> position in `ordered`.
    index: HashMap<(PrincipalType, String), u64>,
    patterns: usize,
    iams: usize,
}

impl AccountAssociations {
    fn count(&self, principal_type: PrincipalType) -> usize {
        match principal_type {
            PrincipalType::Iam => self.iams,
            PrincipalType::IamPattern => self.patterns,
        }
    }

    fn count_mut(&mut self, principal_type: PrincipalType) -> &mut usize {
        match principal_type {
            PrincipalType::Iam => &mut self.iams,
            PrincipalType::IamPattern => &mut self.patterns,
        }
    }
}

/// Everything about one portfolio, guarded by one mutex.
struct PortfolioState {
    record: PortfolioRecord,
    /// Creation order, the position in `by_owner`.
    seq: u64,
    /// Set under the mutex by a delete, before the slot leaves the map.
    deleted: bool,
    /// The version of the last change to this portfolio.
    changed_at: u64,
    associations: BTreeMap<AccountId, AccountAssociations>,
    /// Creation order -> share.
    shares: BTreeMap<u64, ShareRecord>,
    share_index: HashMap<ShareTarget, u64>,
    /// Import -> its position in `imports_by_recipient`.
    imports: HashMap<Import, u64>,
}

impl PortfolioState {
    fn snapshot(&self) -> PortfolioSnapshot {
        let mut imports: Vec<(u64, Import)> =
            self.imports.iter().map(|(i, s)| (*s, i.clone())).collect();
        imports.sort_unstable();
        PortfolioSnapshot {
            portfolio: self.record.clone(),
            associations: self
                .associations
                .iter()
                .map(|(a, assoc)| (a.clone(), assoc.ordered.values().cloned().collect()))
                .collect(),
            shares: self.shares.values().cloned().collect(),
            imports: imports.into_iter().map(|(_, i)| i).collect(),
        }
    }
}

type Slot = Arc<Mutex<PortfolioState>>;

type RecipientKey = (AccountId, Region, ImportKind);

/// The default [`Store`]: everything in memory, safe to share between threads (`Arc<MemoryStore>`
/// or `&MemoryStore`). See the module's source for the locking discipline.
pub struct MemoryStore {
    portfolios: DashMap<PortfolioId, Slot>,
    /// Ids of deleted portfolios, never handed out again.
    retired: DashSet<PortfolioId>,
    /// (owner, region) -> creation order -> portfolio.
    by_owner: DashMap<(AccountId, Region), BTreeMap<u64, PortfolioId>>,
    /// (recipient, region, kind) -> import order -> portfolio.
    imports_by_recipient: DashMap<RecipientKey, BTreeMap<u64, PortfolioId>>,
    /// (owner, region, idempotency token) -> the record first created with it.
    idempotency: DashMap<(AccountId, Region, String), PortfolioRecord>,
    share_operations: DashMap<PortfolioShareToken, ShareOperation>,
    directory: RwLock<Directory>,
    seq: AtomicU64,
    version: AtomicU64,
    /// The version of the last change to the organization directory, written under its lock.
    directory_changed_at: AtomicU64,
    /// The version at which each deleted portfolio was deleted, for [`Store::changes_since`].
    deletions: Mutex<Vec<(u64, PortfolioId)>>,
}

impl Default for MemoryStore {
    fn default() -> MemoryStore {
        MemoryStore::new()
    }
}

impl std::fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryStore")
            .field("portfolios", &self.portfolios.len())
            .field("version", &self.version())
            .finish_non_exhaustive()
    }
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> MemoryStore {
        MemoryStore {
            portfolios: DashMap::new(),
            retired: DashSet::new(),
            by_owner: DashMap::new(),
            imports_by_recipient: DashMap::new(),
            idempotency: DashMap::new(),
            share_operations: DashMap::new(),
            directory: RwLock::new(Directory::default()),
            seq: AtomicU64::new(0),
            version: AtomicU64::new(0),
            directory_changed_at: AtomicU64::new(0),
            deletions: Mutex::new(Vec::new()),
        }
    }

    fn next_seq(&self) -> u64 {
        self.seq.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// Counts a state change, answering its version; called after the change, while its lock
    /// is still held.
    fn bump(&self) -> u64 {
        self.version.fetch_add(1, Ordering::AcqRel) + 1
    }

    /// Records a change of the portfolio whose state is locked: its version goes into the
    /// state, so [`Store::changes_since`] finds it by reading each slot under its lock.
    fn stamp(&self, state: &mut PortfolioState) {
        state.changed_at = self.bump();
    }

    /// Records a change of the organization directory; called under its write lock.
    fn stamp_directory(&self) {
        let version = self.bump();
        self.directory_changed_at.store(version, Ordering::Release);
    }

    fn slot(&self, id: &PortfolioId) -> Result<Slot, StoreError> {
        self.portfolios
            .get(id)
            .map(|r| Arc::clone(r.value()))
            .ok_or_else(|| StoreError::PortfolioNotFound(id.clone()))
    }

    /// Runs `f` on the live portfolio `id` under its mutex.
    fn with_portfolio<T>(
        &self,
        id: &PortfolioId,
        f: impl FnOnce(&mut PortfolioState) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let slot = self.slot(id)?;
        let mut state = slot.lock();
        if state.deleted {
            return Err(StoreError::PortfolioNotFound(id.clone()));
        }
        f(&mut state)
    }

    /// The record of the live portfolio `id`, if `keep` accepts its state.
    fn live_record(
        &self,
        id: &PortfolioId,
        keep: impl FnOnce(&PortfolioState) -> bool,
    ) -> Option<PortfolioRecord> {
        let slot = self.slot(id).ok()?;
        let state = slot.lock();
        (!state.deleted && keep(&state)).then(|| state.record.clone())
    }

    fn insert_portfolio(&self, new: NewPortfolio) -> PortfolioRecord {
        let seq = self.next_seq();
        let mut rng = rand::rng();
        loop {
            let mut record = PortfolioRecord {
                id: PortfolioId::generate(&mut rng),
                owner: new.owner.clone(),
                partition: new.partition.clone(),
                region: new.region.clone(),
                display_name: new.display_name.clone(),
                description: new.description.clone(),
                provider_name: new.provider_name.clone(),
                tags: Vec::new(),
                created_time: new.created_time,
            };
            merge_tags(&mut record.tags, &new.tags);
            let slot = Arc::new(Mutex::new(PortfolioState {
                record: record.clone(),
                seq,
                deleted: false,
                changed_at: 0,
                associations: BTreeMap::new(),
                shares: BTreeMap::new(),
                share_index: HashMap::new(),
                imports: HashMap::new(),
            }));
            // Lock the fresh slot first (mutex before map, as everywhere), so that no one can
            // see it before its index entries exist.
            let mut guard = slot.lock();
            match self.portfolios.entry(record.id.clone()) {
                Entry::Occupied(_) => continue,
                Entry::Vacant(vacant) => {
                    // Checked under the map's shard lock: a delete retires the id before it
                    // removes it from the map, so a vacant, unretired id was never used.
                    if self.retired.contains(&record.id) {
                        continue;
                    }
                    drop(vacant.insert(Arc::clone(&slot)));
                }
            }
            self.by_owner
                .entry((record.owner.clone(), record.region.clone()))
                .or_default()
                .insert(seq, record.id.clone());
            self.stamp(&mut guard);
            return record;
        }
    }

    fn add_import(
        &self,
        state: &mut PortfolioState,
        account: &AccountId,
        kind: ImportKind,
    ) -> bool {
        let import = Import {
            account: account.clone(),
            kind,
        };
        if state.imports.contains_key(&import) {
            return false;
        }
        let seq = self.next_seq();
        self.imports_by_recipient
            .entry((account.clone(), state.record.region.clone(), kind))
            .or_default()
            .insert(seq, state.record.id.clone());
        state.imports.insert(import, seq);
        true
    }

    fn remove_import(
        &self,
        state: &mut PortfolioState,
        account: &AccountId,
        kind: ImportKind,
    ) -> bool {
        let import = Import {
            account: account.clone(),
            kind,
        };
        let Some(seq) = state.imports.remove(&import) else {
            return false;
        };
        let key = (account.clone(), state.record.region.clone(), kind);
        if let Some(mut index) = self.imports_by_recipient.get_mut(&key) {
            index.remove(&seq);
        }
        true
    }

    /// Records a share operation under a fresh token.
    fn record_operation(
        &self,
        portfolio: &PortfolioId,
        target: &ShareTarget,
        kind: ShareOperationKind,
    ) -> PortfolioShareToken {
        let mut rng = rand::rng();
        loop {
            let token = PortfolioShareToken::generate(&mut rng);
            if let Entry::Vacant(vacant) = self.share_operations.entry(token.clone()) {
                drop(vacant.insert(ShareOperation {
                    token: token.clone(),
                    portfolio: portfolio.clone(),
                    target: target.clone(),
                    kind,
                }));
                return token;
            }
        }
    }

    /// Removes the share at `seq` and the recipient's account-share import it carried.
    fn remove_share(&self, state: &mut PortfolioState, seq: u64) -> Option<ShareRecord> {
        let share = state.shares.remove(&seq)?;
        state.share_index.remove(&share.target);
        if let ShareTarget::Account(recipient) = &share.target {
            self.remove_import(state, recipient, ImportKind::AccountShare);
        }
        Some(share)
    }

    fn find_share(state: &PortfolioState, target: &ShareTarget) -> Result<u64, StoreError> {
        state
            .share_index
            .get(target)
            .copied()
            .ok_or_else(|| StoreError::ShareNotFound {
                portfolio: state.record.id.clone(),
                target: target.clone(),
            })
    }

    /// Resolves portfolio ids copied out of an index to the live records.
    fn records(&self, ids: Vec<PortfolioId>, next: Option<Position>) -> Page<PortfolioRecord> {
        Page {
            items: ids
                .iter()
                .filter_map(|id| self.live_record(id, |_| true))
                .collect(),
            next,
        }
    }

    /// Runs `f` on the directory under its write lock, recording a change when `f` succeeds.
    fn directory_write<T>(
        &self,
        f: impl FnOnce(&mut Directory) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut directory = self.directory.write();
        let out = f(&mut directory)?;
        self.stamp_directory();
        Ok(out)
    }
}

/// Adds `tags` to `into`, replacing the values of keys already present.
fn merge_tags(into: &mut Vec<Tag>, tags: &[Tag]) {
    for tag in tags {
        match into.iter_mut().find(|t| t.key == tag.key) {
            Some(existing) => existing.value.clone_from(&tag.value),
            None => into.push(tag.clone()),
        }
    }
}

impl Store for MemoryStore {
    fn version(&self) -> u64 {
        self.version.load(Ordering::Acquire)
    }

    fn changes_since(&self, version: u64) -> Option<Vec<PortfolioId>> {
        // Under the directory's lock, a directory change that counted its version has stamped it.
        let directory_changed_at = {
            let _directory = self.directory.read();
            self.directory_changed_at.load(Ordering::Acquire)
        };
        if directory_changed_at > version {
            return None;
        }
        // Slots first, then their locks (mutex before map, as everywhere): a change that counted
        // its version holds its slot's lock until it has stamped it; a deleted slot that already
        // left the map is in `deletions`, read last.
        let slots: Vec<Slot> = self
            .portfolios
            .iter()
            .map(|r| Arc::clone(r.value()))
            .collect();
        let mut changed: Vec<PortfolioId> = slots
            .iter()
            .filter_map(|slot| {
                let state = slot.lock();
                (state.changed_at > version).then(|| state.record.id.clone())
            })
            .collect();
        changed.extend(
            self.deletions
                .lock()
                .iter()
                .filter(|(at, _)| *at > version)
                .map(|(_, id)| id.clone()),
        );
        changed.sort_unstable();
        changed.dedup();
        Some(changed)
    }

    fn create_portfolio(&self, new: NewPortfolio) -> CreatedPortfolio {
        let Some(token) = new.idempotency_token.clone() else {
            return CreatedPortfolio {
                portfolio: self.insert_portfolio(new),
                created: true,
            };
        };
        // The token's shard lock is held across the creation, so concurrent creates with one
        // token make one portfolio.
        match self
            .idempotency
            .entry((new.owner.clone(), new.region.clone(), token))
        {
            Entry::Occupied(first) => CreatedPortfolio {
                portfolio: first.get().clone(),
                created: false,
            },
            Entry::Vacant(vacant) => {
                let portfolio = self.insert_portfolio(new);
                drop(vacant.insert(portfolio.clone()));
                CreatedPortfolio {
                    portfolio,
                    created: true,
                }
            }
        }
    }

    fn portfolio(&self, id: &PortfolioId) -> Option<PortfolioRecord> {
        self.live_record(id, |_| true)
    }

    fn update_portfolio(
        &self,
        id: &PortfolioId,
        update: PortfolioUpdate,
    ) -> Result<PortfolioRecord, StoreError> {
        self.with_portfolio(id, |state| {
            let before = state.record.clone();
            let record = &mut state.record;
            if let Some(name) = update.display_name {
                record.display_name = name;
            }
            if let Some(description) = update.description {
                record.description = Some(description);
            }
            if let Some(provider) = update.provider_name {
                record.provider_name = provider;
            }
            record.tags.retain(|t| !update.remove_tags.contains(&t.key));
            merge_tags(&mut record.tags, &update.add_tags);
            let changed = *record != before;
            let record = record.clone();
            if changed {
                self.stamp(state);
            }
            Ok(record)
        })
    }

    fn delete_portfolio(&self, id: &PortfolioId) -> Result<PortfolioRecord, StoreError> {
        self.with_portfolio(id, |state| {
            let associations = state
                .associations
                .get(&state.record.owner)
                .map_or(0, |a| a.ordered.len());
            if associations > 0 || !state.shares.is_empty() {
                return Err(StoreError::PortfolioInUse {
                    portfolio: id.clone(),
                    associations,
                    shares: state.shares.len(),
                });
            }
            state.deleted = true;
            // Recorded before the slot leaves the map: `changes_since` finds a deletion either
            // in the slot or in this list.
            self.stamp(state);
            self.deletions.lock().push((state.changed_at, id.clone()));
            // Retire before removing: see `insert_portfolio`.
            self.retired.insert(id.clone());
            self.portfolios.remove(id);
            let owner_key = (state.record.owner.clone(), state.record.region.clone());
            if let Some(mut index) = self.by_owner.get_mut(&owner_key) {
                index.remove(&state.seq);
            }
            let imports: Vec<Import> = state.imports.keys().cloned().collect();
            for import in imports {
                self.remove_import(state, &import.account, import.kind);
            }
            Ok(state.record.clone())
        })
    }

    fn list_portfolios(
        &self,
        owner: &AccountId,
        region: &Region,
        page: PageRequest,
    ) -> Page<PortfolioRecord> {
        let (ids, next) = match self.by_owner.get(&(owner.clone(), region.clone())) {
            Some(index) => window(&index, page),
            None => return Page::empty(),
        };
        self.records(ids, next)
    }

    fn associate(
        &self,
        portfolio: &PortfolioId,
        account: &AccountId,
        principal_arn: &str,
        principal_type: PrincipalType,
        limits: AssociationLimits,
    ) -> Result<AssociateOutcome, StoreError> {
        self.with_portfolio(portfolio, |state| {
            let key = (principal_type, principal_arn.to_owned());
            let existing = state.associations.get(account);
            if existing.is_some_and(|a| a.index.contains_key(&key)) {
                return Ok(AssociateOutcome::AlreadyPresent);
            }
            let (limit, kind) = match principal_type {
                PrincipalType::IamPattern => {
                    (limits.max_iam_patterns, LimitKind::IamPatternAssociations)
                }
                PrincipalType::Iam => (limits.max_iam, LimitKind::IamAssociations),
            };
            if existing.map_or(0, |a| a.count(principal_type)) >= limit {
                return Err(StoreError::LimitExceeded { kind, limit });
            }
            let associations = state.associations.entry(account.clone()).or_default();
            *associations.count_mut(principal_type) += 1;
            let seq = self.next_seq();
            associations.index.insert(key, seq);
            associations.ordered.insert(
                seq,
                Principal {
                    principal_arn: principal_arn.to_owned(),
                    principal_type,
                },
            );
            self.stamp(state);
            Ok(AssociateOutcome::Added)
        })
    }

    fn disassociate(
        &self,
        portfolio: &PortfolioId,
        account: &AccountId,
        principal_arn: &str,
        principal_type: PrincipalType,
    ) -> Result<(), StoreError> {
        self.with_portfolio(portfolio, |state| {
            let key = (principal_type, principal_arn.to_owned());
            let removed = state.associations.get_mut(account).and_then(|a| {
                let seq = a.index.remove(&key)?;
                a.ordered.remove(&seq);
                *a.count_mut(principal_type) -= 1;
                Some(a.ordered.is_empty())
            });
            match removed {
                None => Err(StoreError::AssociationNotFound {
                    portfolio: portfolio.clone(),
                    account: account.clone(),
                    principal_arn: principal_arn.to_owned(),
                    principal_type,
                }),
                Some(now_empty) => {
                    if now_empty {
                        state.associations.remove(account);
                    }
                    self.stamp(state);
                    Ok(())
                }
            }
        })
    }

    fn list_associations(
        &self,
        portfolio: &PortfolioId,
        account: &AccountId,
        page: PageRequest,
    ) -> Result<Page<Principal>, StoreError> {
        self.with_portfolio(portfolio, |state| {
            Ok(match state.associations.get(account) {
                Some(a) => page_of(&a.ordered, page, |p| Some(p.clone())),
                None => Page::empty(),
            })
        })
    }

    fn create_share(
        &self,
        portfolio: &PortfolioId,
        new: NewShare,
        max_shares: usize,
    ) -> Result<CreatedShare, StoreError> {
        self.with_portfolio(portfolio, |state| {
            if let Some(existing) = state
                .share_index
                .get(&new.target)
                .and_then(|seq| state.shares.get(seq))
            {
                return Ok(CreatedShare {
                    share: existing.clone(),
                    created: false,
                });
            }
            if state.shares.len() >= max_shares {
                return Err(StoreError::LimitExceeded {
                    kind: LimitKind::Shares,
                    limit: max_shares,
                });
            }
            let organization_node = new.target.is_organization_node();
            let token = organization_node
                .then(|| self.record_operation(portfolio, &new.target, ShareOperationKind::Create));
            let share = ShareRecord {
                target: new.target,
                share_principals: new.share_principals,
                share_tag_options: new.share_tag_options,
                accepted: organization_node,
                token,
                created_by: new.created_by,
            };
            let seq = self.next_seq();
            state.share_index.insert(share.target.clone(), seq);
            state.shares.insert(seq, share.clone());
            self.stamp(state);
            Ok(CreatedShare {
                share,
                created: true,
            })
        })
    }

    fn share(
        &self,
        portfolio: &PortfolioId,
        target: &ShareTarget,
    ) -> Result<Option<ShareRecord>, StoreError> {
        self.with_portfolio(portfolio, |state| {
            Ok(state
                .share_index
                .get(target)
                .and_then(|seq| state.shares.get(seq))
                .cloned())
        })
    }

    fn update_share(
        &self,
        portfolio: &PortfolioId,
        target: &ShareTarget,
        update: ShareUpdate,
    ) -> Result<ShareChange, StoreError> {
        self.with_portfolio(portfolio, |state| {
            let seq = Self::find_share(state, target)?;
            let token = self.record_operation(portfolio, target, ShareOperationKind::Update);
            let share = state
                .shares
                .get_mut(&seq)
                .ok_or_else(|| StoreError::ShareNotFound {
                    portfolio: portfolio.clone(),
                    target: target.clone(),
                })?;
            if let Some(v) = update.share_principals {
                share.share_principals = v;
            }
            if let Some(v) = update.share_tag_options {
                share.share_tag_options = v;
            }
            let share = share.clone();
            self.stamp(state);
            Ok(ShareChange {
                share,
                token: Some(token),
            })
        })
    }

    fn delete_share(
        &self,
        portfolio: &PortfolioId,
        target: &ShareTarget,
    ) -> Result<ShareChange, StoreError> {
        self.with_portfolio(portfolio, |state| {
            let seq = Self::find_share(state, target)?;
            let share = self
                .remove_share(state, seq)
                .ok_or_else(|| StoreError::ShareNotFound {
                    portfolio: portfolio.clone(),
                    target: target.clone(),
                })?;
            let token = target
                .is_organization_node()
                .then(|| self.record_operation(portfolio, target, ShareOperationKind::Delete));
            self.stamp(state);
            Ok(ShareChange { share, token })
        })
    }

    fn list_shares(
        &self,
        portfolio: &PortfolioId,
        share_type: Option<DescribePortfolioShareType>,
        page: PageRequest,
    ) -> Result<Page<ShareRecord>, StoreError> {
        self.with_portfolio(portfolio, |state| {
            Ok(page_of(&state.shares, page, |share| {
                share_type
                    .is_none_or(|t| share.target.share_type() == t)
                    .then(|| share.clone())
            }))
        })
    }

    fn share_operation(&self, token: &PortfolioShareToken) -> Option<ShareOperation> {
        self.share_operations
            .get(token)
            .map(|op| op.value().clone())
    }

    fn delete_shares_created_by(
        &self,
        creator: &AccountId,
        organization_nodes_only: bool,
    ) -> Vec<(PortfolioId, ShareRecord)> {
        let slots: Vec<Slot> = self
            .portfolios
            .iter()
            .map(|r| Arc::clone(r.value()))
            .collect();
        let mut removed = Vec::new();
        for slot in slots {
            let mut state = slot.lock();
            if state.deleted {
                continue;
            }
            let doomed: Vec<u64> = state
                .shares
                .iter()
                .filter(|(_, s)| {
                    &s.created_by == creator
                        && (!organization_nodes_only || s.target.is_organization_node())
                })
                .map(|(seq, _)| *seq)
                .collect();
            for seq in doomed {
                if let Some(share) = self.remove_share(&mut state, seq) {
                    removed.push((state.record.id.clone(), share));
                    self.stamp(&mut state);
                }
            }
        }
        removed
    }

    fn accept_account_share(
        &self,
        portfolio: &PortfolioId,
        recipient: &AccountId,
    ) -> Result<(), StoreError> {
        self.with_portfolio(portfolio, |state| {
            let seq = Self::find_share(state, &ShareTarget::Account(recipient.clone()))?;
            let mut changed = false;
            if let Some(share) = state.shares.get_mut(&seq) {
                changed |= !share.accepted;
                share.accepted = true;
            }
            changed |= self.add_import(state, recipient, ImportKind::AccountShare);
            if changed {
                self.stamp(state);
            }
            Ok(())
        })
    }

    fn reject_account_share(
        &self,
        portfolio: &PortfolioId,
        recipient: &AccountId,
    ) -> Result<(), StoreError> {
        self.with_portfolio(portfolio, |state| {
            let seq = Self::find_share(state, &ShareTarget::Account(recipient.clone()))?;
            let mut changed = false;
            if let Some(share) = state.shares.get_mut(&seq) {
                changed |= share.accepted;
                share.accepted = false;
            }
            changed |= self.remove_import(state, recipient, ImportKind::AccountShare);
            if changed {
                self.stamp(state);
            }
            Ok(())
        })
    }

    fn import_organization_share(
        &self,
        portfolio: &PortfolioId,
        recipient: &AccountId,
    ) -> Result<bool, StoreError> {
        self.with_portfolio(portfolio, |state| {
            let added = self.add_import(state, recipient, ImportKind::OrganizationShare);
            if added {
                self.stamp(state);
            }
            Ok(added)
        })
    }

    fn remove_organization_import(
        &self,
        portfolio: &PortfolioId,
        recipient: &AccountId,
    ) -> Result<bool, StoreError> {
        self.with_portfolio(portfolio, |state| {
            let removed = self.remove_import(state, recipient, ImportKind::OrganizationShare);
            if removed {
                self.stamp(state);
            }
            Ok(removed)
        })
    }

    fn is_imported(
        &self,
        portfolio: &PortfolioId,
        recipient: &AccountId,
        kind: ImportKind,
    ) -> bool {
        let import = Import {
            account: recipient.clone(),
            kind,
        };
        self.live_record(portfolio, |state| state.imports.contains_key(&import))
            .is_some()
    }

    fn list_imports(
        &self,
        recipient: &AccountId,
        region: &Region,
        kind: ImportKind,
        page: PageRequest,
    ) -> Page<PortfolioRecord> {
        let key = (recipient.clone(), region.clone(), kind);
        let (ids, next) = match self.imports_by_recipient.get(&key) {
            Some(index) => window(&index, page),
            None => return Page::empty(),
        };
        self.records(ids, next)
    }

    fn portfolio_snapshot(&self, id: &PortfolioId) -> Option<PortfolioSnapshot> {
        let slot = self.slot(id).ok()?;
        let state = slot.lock();
        (!state.deleted).then(|| state.snapshot())
    }

    fn for_each_portfolio(&self, f: &mut dyn FnMut(PortfolioSnapshot)) {
        let slots: Vec<Slot> = self
            .portfolios
            .iter()
            .map(|r| Arc::clone(r.value()))
            .collect();
        let mut snapshots: Vec<(u64, PortfolioSnapshot)> = slots
            .iter()
            .filter_map(|slot| {
                let state = slot.lock();
                (!state.deleted).then(|| (state.seq, state.snapshot()))
            })
            .collect();
        snapshots.sort_unstable_by_key(|(seq, _)| *seq);
        for (_, snapshot) in snapshots {
            f(snapshot);
        }
    }

    fn create_organization(&self, new: NewOrganization) -> Result<OrganizationRecord, StoreError> {
        self.directory_write(|d| d.create_organization(new))
    }

    fn organization(&self, id: &OrganizationId) -> Option<OrganizationRecord> {
        self.directory.read().organization(id)
    }

    fn organization_of(&self, account: &AccountId) -> Option<OrganizationRecord> {
        self.directory.read().organization_of(account)
    }

    fn create_organizational_unit(
        &self,
        organization: &OrganizationId,
        parent: &ParentId,
        name: &str,
    ) -> Result<OuRecord, StoreError> {
        self.directory_write(|d| d.create_organizational_unit(organization, parent, name))
    }

    fn organizational_unit(&self, id: &OuId) -> Option<OuRecord> {
        self.directory.read().organizational_unit(id)
    }

    fn list_organizational_units(
        &self,
        organization: &OrganizationId,
        parent: &ParentId,
        page: PageRequest,
    ) -> Result<Page<OuRecord>, StoreError> {
        self.directory
            .read()
            .list_organizational_units(organization, parent, page)
    }

    fn create_account(
        &self,
        organization: &OrganizationId,
        new: NewAccount,
    ) -> Result<CreateAccountRecord, StoreError> {
        self.directory_write(|d| d.create_account(organization, new))
    }

    fn create_account_status(&self, id: &CreateAccountRequestId) -> Option<CreateAccountRecord> {
        self.directory.read().create_account_status(id)
    }

    fn add_member_account(
        &self,
        organization: &OrganizationId,
        new: NewMember,
    ) -> Result<MemberAccount, StoreError> {
        self.directory_write(|d| d.add_member_account(organization, new))
    }

    fn member_account(&self, id: &AccountId) -> Option<MemberAccount> {
        self.directory.read().member_account(id)
    }

    fn list_accounts(
        &self,
        organization: &OrganizationId,
        page: PageRequest,
    ) -> Result<Page<MemberAccount>, StoreError> {
        self.directory.read().list_accounts(organization, page)
    }

    fn move_account(
        &self,
        account: &AccountId,
        source: &ParentId,
        destination: &ParentId,
    ) -> Result<(), StoreError> {
        self.directory_write(|d| d.move_account(account, source, destination))
    }

    fn register_delegated_administrator(
        &self,
        organization: &OrganizationId,
        account: &AccountId,
        service_principal: &ServicePrincipal,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.directory_write(|d| {
            d.register_delegated_administrator(organization, account, service_principal, now)
        })
    }

    fn deregister_delegated_administrator(
        &self,
        organization: &OrganizationId,
        account: &AccountId,
        service_principal: &ServicePrincipal,
    ) -> Result<(), StoreError> {
        self.directory_write(|d| {
            d.deregister_delegated_administrator(organization, account, service_principal)
        })
    }

    fn list_delegated_administrators(
        &self,
        organization: &OrganizationId,
        service_principal: Option<&ServicePrincipal>,
    ) -> Result<Vec<DelegatedAdministratorRecord>, StoreError> {
        self.directory
            .read()
            .list_delegated_administrators(organization, service_principal)
    }

    fn is_delegated_administrator(
        &self,
        account: &AccountId,
        service_principal: &ServicePrincipal,
    ) -> bool {
        self.directory
            .read()
            .is_delegated_administrator(account, service_principal)
    }

    fn set_service_access(
        &self,
        organization: &OrganizationId,
        service_principal: &ServicePrincipal,
        enabled: bool,
    ) -> Result<bool, StoreError> {
        let mut directory = self.directory.write();
        let changed = directory.set_service_access(organization, service_principal, enabled)?;
        if changed {
            self.stamp_directory();
        }
        Ok(changed)
    }

    fn service_access(
        &self,
        organization: &OrganizationId,
        service_principal: &ServicePrincipal,
    ) -> bool {
        self.directory
            .read()
            .service_access(organization, service_principal)
    }

    fn node_contains(&self, node: &OrganizationNodeValue, account: &AccountId) -> bool {
        self.directory.read().node_contains(node, account)
    }

    fn accounts_under(&self, node: &OrganizationNodeValue) -> Vec<AccountId> {
        self.directory.read().accounts_under(node)
    }

    fn placement(&self, account: &AccountId) -> Option<AccountPlacement> {
        self.directory.read().placement(account)
    }
}
