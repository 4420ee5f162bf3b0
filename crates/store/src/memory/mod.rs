//! [`MemoryStore`]: the in-memory store on dashmap.
//!
//! # Layout
//!
//! - `state`: one portfolio's state, the unit of locking;
//! - `catalog`: [`crate::CatalogStore`] over those states and the secondary indexes;
//! - `directory`: the organization directory and [`crate::DirectoryStore`];
//! - `products`: products and their associations with portfolios ([`crate::ProductStore`]);
//! - `log`: the bounded record of changes behind [`crate::ChangeFeed`];
//! - `paging`: pages over the ordered indexes.
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
//! The organization directory sits behind one `RwLock`; it never takes a slot mutex or a map
//! guard while locked.
//!
//! Products are slots of their own, `Arc<Mutex<ProductState>>`. An association between a
//! product and a portfolio is held on both sides and changed under both mutexes, always taken
//! product first, then portfolio; nothing takes a product's mutex while holding a portfolio's.
//! A product is deleted under its mutex only when it holds no association, a portfolio under
//! its mutex only when it holds none, so neither can lose an association made concurrently.
//!
//! A change is recorded in the change log (its own mutex) while the lock that guarded it (the
//! slot's mutex, or the directory's write lock) is still held, so the log's order is the order
//! in which changes became visible. The order is therefore always slot mutex, then map shard,
//! then log; or directory, then log; and no deadlock is possible. A deleted slot is marked
//! `deleted` under its mutex before it leaves the map, so a caller that cloned the slot just
//! before the delete sees the mark and answers "not found" instead of writing into a dead
//! portfolio.

mod catalog;
mod directory;
mod iam;
mod log;
mod paging;
mod persist;
mod products;
mod state;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use dashmap::{DashMap, DashSet};
use parking_lot::{Mutex, RwLock};
use portcullis_model::{AccountId, PortfolioId, PortfolioShareToken, ProductId, Region};

use crate::error::StoreError;
use crate::types::{Change, Changes, ImportKind, Page, PortfolioRecord, Position, ShareOperation};
use crate::{ChangeFeed, StateReset};
use directory::Directory;
use iam::Principals;
use log::ChangeLog;
use products::{ProductSlot, ProductStateIdempotency};
use state::PortfolioState;

type Slot = Arc<Mutex<PortfolioState>>;

type RecipientKey = (AccountId, Region, ImportKind);

/// The default [`crate::Store`]: everything in memory, safe to share between threads
/// (`Arc<MemoryStore>` or `&MemoryStore`). See the module's source for the locking discipline.
pub struct MemoryStore {
    portfolios: DashMap<PortfolioId, Slot>,
    /// Ids of deleted portfolios, never handed out again.
    retired: DashSet<PortfolioId>,
    /// (owner, region) -> creation order -> portfolio.
    by_owner: DashMap<(AccountId, Region), std::collections::BTreeMap<u64, PortfolioId>>,
    /// (recipient, region, kind) -> import order -> portfolio.
    imports_by_recipient: DashMap<RecipientKey, std::collections::BTreeMap<u64, PortfolioId>>,
    /// (owner, region, idempotency token) -> the record first created with it.
    idempotency: DashMap<(AccountId, Region, String), PortfolioRecord>,
    share_operations: DashMap<PortfolioShareToken, ShareOperation>,
    products: DashMap<ProductId, ProductSlot>,
    /// Deleted products' last rows: their ids are never handed out again.
    retired_products: DashMap<ProductId, crate::rows::ProductRow>,
    /// (owner, region) -> creation order -> product.
    products_by_owner: DashMap<(AccountId, Region), std::collections::BTreeMap<u64, ProductId>>,
    /// (owner, region, idempotency token) -> the product first created with it.
    product_idempotency: ProductStateIdempotency,
    directory: RwLock<Directory>,
    /// The IAM principal directory; never held with a slot's mutex, the directory's lock or a
    /// map guard (only the change log is taken under it).
    principals: RwLock<Principals>,
    seq: AtomicU64,
    /// The version of the last recorded change, published after it is in the log.
    version: AtomicU64,
    log: Mutex<ChangeLog>,
    /// Taken for reading by every operation and for writing by [`crate::StateReset::reset`], so
    /// that no operation sees a half-cleared store.
    gate: RwLock<()>,
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
    /// How many changes the change log keeps by default.
    pub const DEFAULT_CHANGE_LOG_CAPACITY: usize = 1 << 16;

    /// An empty store.
    pub fn new() -> MemoryStore {
        MemoryStore::with_change_log_capacity(MemoryStore::DEFAULT_CHANGE_LOG_CAPACITY)
    }

    /// An empty store whose change log keeps at most `capacity` changes (at least one).
    pub fn with_change_log_capacity(capacity: usize) -> MemoryStore {
        MemoryStore {
            portfolios: DashMap::new(),
            retired: DashSet::new(),
            by_owner: DashMap::new(),
            imports_by_recipient: DashMap::new(),
            idempotency: DashMap::new(),
            share_operations: DashMap::new(),
            products: DashMap::new(),
            retired_products: DashMap::new(),
            products_by_owner: DashMap::new(),
            product_idempotency: DashMap::new(),
            directory: RwLock::new(Directory::default()),
            principals: RwLock::new(Principals::default()),
            seq: AtomicU64::new(0),
            version: AtomicU64::new(0),
            log: Mutex::new(ChangeLog::new(capacity)),
            gate: RwLock::new(()),
        }
    }

    fn next_seq(&self) -> u64 {
        self.seq.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// Records a change; called after the change, while the lock that guarded it is held.
    fn record(&self, change: Change) {
        let mut log = self.log.lock();
        let version = log.record(change);
        self.version.store(version, Ordering::Release);
    }

    /// Records a change of the portfolio whose state is locked.
    fn record_portfolio(&self, state: &PortfolioState) {
        self.record(Change::Portfolio(state.record.id.clone()));
    }

    fn slot(&self, id: &PortfolioId) -> Result<Slot, StoreError> {
        self.portfolios
            .get(id)
            .map(|r| Arc::clone(r.value()))
            .ok_or_else(|| StoreError::PortfolioNotFound(id.clone()))
    }

    /// Every slot, cloned out of the map.
    fn slots(&self) -> Vec<Slot> {
        self.portfolios
            .iter()
            .map(|r| Arc::clone(r.value()))
            .collect()
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

    /// The record of the live portfolio `id`.
    fn live_record(&self, id: &PortfolioId) -> Option<PortfolioRecord> {
        let slot = self.slot(id).ok()?;
        let state = slot.lock();
        (!state.deleted).then(|| state.record.clone())
    }

    /// Resolves portfolio ids copied out of an index to the live records.
    fn records(&self, ids: Vec<PortfolioId>, next: Option<Position>) -> Page<PortfolioRecord> {
        Page {
            items: ids.iter().filter_map(|id| self.live_record(id)).collect(),
            next,
        }
    }

    /// Runs `f` on the directory under its write lock, recording the change it answers when it
    /// succeeds.
    fn directory_write<T>(
        &self,
        f: impl FnOnce(&mut Directory) -> Result<(T, Change), StoreError>,
    ) -> Result<T, StoreError> {
        let mut directory = self.directory.write();
        let (out, change) = f(&mut directory)?;
        self.record(change);
        Ok(out)
    }
}

impl StateReset for MemoryStore {
    fn reset(&self) -> Result<(), StoreError> {
        let _gate = self.gate.write();
        // No operation runs while the gate is held for writing: everything is cleared at once.
        self.portfolios.clear();
        self.retired.clear();
        self.by_owner.clear();
        self.imports_by_recipient.clear();
        self.idempotency.clear();
        self.share_operations.clear();
        self.products.clear();
        self.retired_products.clear();
        self.products_by_owner.clear();
        self.product_idempotency.clear();
        *self.directory.write() = Directory::default();
        *self.principals.write() = Principals::default();
        self.record(Change::Reset);
        Ok(())
    }
}

impl ChangeFeed for MemoryStore {
    fn version(&self) -> u64 {
        self.version.load(Ordering::Acquire)
    }

    fn changes_since(&self, version: u64) -> Result<Changes, StoreError> {
        self.log.lock().since(version)
    }
}
