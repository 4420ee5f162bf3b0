//! Group commit: writers name the keys their change touched and wait; one thread writes every
//! waiting writer's keys in one transaction, syncs once, and wakes them all.

use std::collections::{HashSet, VecDeque};
use std::sync::Arc;
use std::thread::JoinHandle;

use parking_lot::{Condvar, Mutex};
use portcullis_model::{
    AccountId, CreateAccountRequestId, OrganizationId, OuId, PortfolioId, PortfolioShareToken,
    PrincipalId, ProductId, Region,
};
use portcullis_store::{CatalogStore, DirectoryStore, MemoryStore, StoreError};

use crate::database::{Database, Table, Write, encode};

/// A piece of state a change touched; written as it is when its batch is written.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Key {
    Portfolio(PortfolioId),
    Idempotency(AccountId, Region, String),
    ShareOperation(PortfolioShareToken),
    Organization(OrganizationId),
    Ou(OuId),
    Member(AccountId),
    CreateAccountRequest(CreateAccountRequestId),
    /// Everything: the state was reset.
    Reset,
    Principal(PrincipalId),
    /// A product, live or deleted (a deleted product's row keeps its id taken).
    Product(ProductId),
    ProductIdempotency(AccountId, Region, String),
}

/// How many failed batches are remembered for the writers still waiting on them.
const FAILURES_KEPT: usize = 256;

#[derive(Default)]
struct Queue {
    /// Keys waiting for the next batch.
    pending: Vec<Key>,
    /// The last ticket handed out.
    issued: u64,
    /// Every ticket up to this one has been written (or has failed).
    settled: u64,
    /// Batches that failed: (first ticket, last ticket, why).
    failures: VecDeque<(u64, u64, String)>,
    shutdown: bool,
}

struct Shared {
    queue: Mutex<Queue>,
    /// Wakes the writing thread.
    work: Condvar,
    /// Wakes writers when a batch settles.
    settled: Condvar,
    /// Wakes tasks waiting in [`Persister::synced`] when a batch settles.
    settled_async: tokio::sync::Notify,
}

pub(crate) struct Persister {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl Persister {
    /// Starts the writing thread over `database`, reading rows from `memory`.
    pub(crate) fn start(database: Database, memory: Arc<MemoryStore>) -> std::io::Result<Self> {
        let shared = Arc::new(Shared {
            queue: Mutex::new(Queue::default()),
            work: Condvar::new(),
            settled: Condvar::new(),
            settled_async: tokio::sync::Notify::new(),
        });
        let thread = std::thread::Builder::new()
            .name("portcullis-sqlite-writer".into())
            .spawn({
                let shared = Arc::clone(&shared);
                move || run(&shared, database, &memory)
            })?;
        Ok(Persister {
            shared,
            thread: Some(thread),
        })
    }

    /// Queues `keys` and waits until they, and every key queued before, are synced. With no
    /// keys, waits only for what is already queued (a repeat that changed nothing must not be
    /// acknowledged before the change it repeats is durable).
    pub(crate) fn persist(&self, keys: Vec<Key>) -> Result<(), StoreError> {
        let mut queue = self.shared.queue.lock();
        let ticket = Persister::queue(&self.shared, &mut queue, keys)?;
        while queue.settled < ticket {
            self.shared.settled.wait(&mut queue);
        }
        outcome(&queue, ticket, ticket)
    }

    /// Queues `keys` for the next batch without waiting for it.
    pub(crate) fn enqueue(&self, keys: Vec<Key>) -> Result<(), StoreError> {
        let mut queue = self.shared.queue.lock();
        Persister::queue(&self.shared, &mut queue, keys).map(drop)
    }

    /// The last ticket handed out: everything queued so far is written once it settles.
    pub(crate) fn horizon(&self) -> u64 {
        self.shared.queue.lock().issued
    }

    /// Waits until every ticket up to `through` has settled; fails if a batch holding a
    /// ticket after `after` failed.
    pub(crate) async fn synced(&self, after: u64, through: u64) -> Result<(), StoreError> {
        loop {
            // Registered before the check, so that a batch settling in between still wakes us.
            let notified = self.shared.settled_async.notified();
            let mut notified = std::pin::pin!(notified);
            notified.as_mut().enable();
            {
                let queue = self.shared.queue.lock();
                if queue.settled >= through {
                    return outcome(&queue, after.saturating_add(1), through);
                }
                if queue.shutdown {
                    return Err(StoreError::Unavailable("the store is closing".into()));
                }
            }
            notified.await;
        }
    }

    /// Adds `keys` to the queue; answers the ticket to wait for (with no keys, the last one
    /// handed out).
    fn queue(shared: &Shared, queue: &mut Queue, keys: Vec<Key>) -> Result<u64, StoreError> {
        if queue.shutdown {
            return Err(StoreError::Unavailable("the store is closing".into()));
        }
        if !keys.is_empty() {
            queue.pending.extend(keys);
            queue.issued += 1;
            shared.work.notify_one();
        }
        Ok(queue.issued)
    }
}

/// Whether tickets `first..=last` (all settled) were written: an error if a failed batch
/// holds any of them.
fn outcome(queue: &Queue, first: u64, last: u64) -> Result<(), StoreError> {
    match queue
        .failures
        .iter()
        .find(|(from, to, _)| *from <= last && first <= *to)
    {
        Some((_, _, why)) => Err(StoreError::Unavailable(format!(
            "the change could not be made durable: {why}"
        ))),
        None => Ok(()),
    }
}

impl Drop for Persister {
    fn drop(&mut self) {
        self.shared.queue.lock().shutdown = true;
        self.shared.work.notify_one();
        self.shared.settled_async.notify_waiters();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The writing thread: batch after batch until shut down with nothing left to write.
fn run(shared: &Shared, mut database: Database, memory: &MemoryStore) {
    loop {
        let (keys, first, last) = {
            let mut queue = shared.queue.lock();
            while queue.pending.is_empty() && !queue.shutdown {
                shared.work.wait(&mut queue);
            }
            if queue.pending.is_empty() {
                return;
            }
            (
                std::mem::take(&mut queue.pending),
                queue.settled + 1,
                queue.issued,
            )
        };
        let outcome = writes(memory, keys).and_then(|writes| {
            database
                .write(&writes)
                .map_err(|e| format!("writing the database failed: {e}"))
        });
        let mut queue = shared.queue.lock();
        if let Err(why) = outcome {
            if queue.failures.len() == FAILURES_KEPT {
                queue.failures.pop_front();
            }
            queue.failures.push_back((first, last, why));
        }
        queue.settled = last;
        shared.settled.notify_all();
        drop(queue);
        shared.settled_async.notify_waiters();
    }
}

/// The rows of `keys` as they are now.
fn writes(memory: &MemoryStore, keys: Vec<Key>) -> Result<Vec<Write>, String> {
    let mut seen = HashSet::new();
    let mut writes = Vec::new();
    for key in keys {
        if key == Key::Reset {
            // Rows written before the reset are cleared; a key touched again after it is
            // written again.
            writes.push(Write::Clear);
            seen.clear();
            continue;
        }
        if !seen.insert(key.clone()) {
            continue;
        }
        match key {
            Key::Reset => {}
            Key::Portfolio(id) => match memory.portfolio_row(&id) {
                Some(row) => {
                    writes.push(Write::Put(Table::Portfolios, id.to_string(), encode(&row)?))
                }
                None => {
                    writes.push(Write::Delete(Table::Portfolios, id.to_string()));
                    if memory.is_retired(&id) {
                        writes.push(Write::Retire(id.to_string()));
                    }
                }
            },
            Key::Idempotency(owner, region, token) => {
                if let Some(row) = memory.idempotency_row(&owner, &region, &token) {
                    let key = encode(&(&owner, &region, &token))?;
                    writes.push(Write::Put(Table::Idempotency, key, encode(&row)?));
                }
            }
            Key::ShareOperation(token) => {
                let operation = memory.share_operation(&token).map_err(|e| e.to_string())?;
                if let Some(operation) = operation {
                    writes.push(Write::Put(
                        Table::ShareOperations,
                        token.to_string(),
                        encode(&operation)?,
                    ));
                }
            }
            Key::Organization(id) => {
                if let Some(row) = memory.organization_row(&id) {
                    writes.push(Write::Put(
                        Table::Organizations,
                        id.to_string(),
                        encode(&row)?,
                    ));
                }
            }
            Key::Ou(id) => {
                if let Some(row) = memory.ou_row(&id) {
                    writes.push(Write::Put(Table::Ous, id.to_string(), encode(&row)?));
                }
            }
            Key::Member(id) => {
                if let Some(row) = memory.member_row(&id) {
                    writes.push(Write::Put(Table::Members, id.to_string(), encode(&row)?));
                }
            }
            Key::CreateAccountRequest(id) => {
                let request = memory
                    .create_account_status(&id)
                    .map_err(|e| e.to_string())?;
                if let Some(request) = request {
                    writes.push(Write::Put(
                        Table::CreateRequests,
                        id.to_string(),
                        encode(&request)?,
                    ));
                }
            }
            Key::Product(id) => {
                if let Some(row) = memory.product_row(&id) {
                    writes.push(Write::Put(Table::Products, id.to_string(), encode(&row)?));
                }
            }
            Key::ProductIdempotency(owner, region, token) => {
                if let Some(row) = memory.product_idempotency_row(&owner, &region, &token) {
                    let key = encode(&(&owner, &region, &token))?;
                    writes.push(Write::Put(Table::ProductIdempotency, key, encode(&row)?));
                }
            }
            Key::Principal(id) => {
                if let Some(row) = memory.principal_row(&id) {
                    writes.push(Write::Put(Table::Principals, id.to_string(), encode(&row)?));
                }
            }
        }
    }
    Ok(writes)
}
