//! [`ChangeFeed`] over the `changes` table, which every node's writes append to.
//!
//! # Which rows a node may take in
//!
//! Positions (`pos`, a sequence) are handed out when a row is inserted, not when its transaction
//! commits, so reading "every position after the last one seen" would skip a lower position
//! that commits later. A node therefore follows transactions, not positions. Each row records
//! its transaction id (`xid`), and a node keeps a *boundary*: every committed transaction below
//! it has been taken in. It reads, in one statement (one snapshot), every row at or above the
//! boundary whose transaction it has not taken in yet, and the snapshot's `xmin` (every
//! transaction below it has finished, committed or not). A row the snapshot shows belongs to a
//! committed transaction, whose rows are all visible at once; the rows of a transaction still
//! running are not seen, and its id is at least `xmin`, so it stays above the next boundary
//! until it is. The boundary then moves up to `xmin`, and the ids of transactions taken in
//! above it are remembered until the boundary passes them. Nothing is skipped, and nothing is
//! taken in twice.
//!
//! # Versions
//!
//! Versions are the node's own: the changes it took in, numbered from 1 without holes in the
//! order it took them in (by position within one read). A fresh node is at version 0, whatever
//! the database holds.
//!
//! # The visibility bound
//!
//! Every [`ChangeFeed::version`] and [`ChangeFeed::changes_since`] reads the database with a
//! snapshot taken after the call began (callers arriving together share one read), so a write
//! whose call has returned, through any node, is seen by every node's next call. A reverse-query
//! index that asks `version()` before it answers is up to date with every write acknowledged
//! before the query began.
//!
//! # Gaps
//!
//! A node keeps the last [`CAPACITY`] changes it took in; asking from before them is
//! [`StoreError::ChangesGap`]. Rows older than the retention are trimmed from the table; a node
//! whose boundary is below what was trimmed, or that finds another store behind the same
//! address, resynchronises: it starts over from the current snapshot, moves its version on by
//! one and answers [`StoreError::ChangesGap`] for anything before that, so its readers reread
//! everything.

use std::collections::{BTreeSet, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};

use parking_lot::Mutex;
use portcullis_store::{Change, Changes, StoreError};

use crate::codec::{self, get};
use crate::pool::{Fail, Pool};

/// How many changes a node keeps for [`portcullis_store::ChangeFeed::changes_since`].
pub const CAPACITY: usize = 1 << 16;

/// One read of the log: the snapshot's `xmin`, what was trimmed, the store's identity, and
/// the rows at or above the boundary of transactions not yet taken in, in position order.
const POLL: &str = "
WITH s AS MATERIALIZED (
    SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS xmin,
           f.trimmed_through,
           f.instance
    FROM feed f
    WHERE f.id = 1
)
SELECT s.xmin, s.trimmed_through, s.instance,
       c.pos, c.xid, c.kind, c.portfolio, c.account, c.organization, c.from_parent, c.to_parent,
       c.principal
FROM s
LEFT JOIN changes c ON c.xid >= coalesce($1::bigint, s.xmin) AND c.xid <> ALL ($2::bigint[])
ORDER BY c.pos";

struct State {
    /// Every committed transaction below it has been taken in; `None` before the first read.
    boundary: Option<i64>,
    /// Transactions at or above `boundary` taken in.
    taken: BTreeSet<i64>,
    /// The store this node follows (changes when the database behind the address is another).
    instance: Option<String>,
    /// How far the log was trimmed at the last read: only a trim since then can have removed
    /// rows this node has not taken in.
    trimmed_seen: i64,
    version: u64,
    /// `changes_since` answers from this version on.
    oldest: u64,
    log: VecDeque<(u64, Change)>,
    /// The number of the last read that finished.
    finished: u64,
    /// Why that read failed, if it did.
    failed: Option<StoreError>,
}

pub(crate) struct Feed {
    state: Mutex<State>,
    /// The number of reads started.
    started: AtomicU64,
}

/// What one read found.
struct Read {
    xmin: i64,
    trimmed_through: i64,
    instance: String,
    rows: Vec<(i64, Change)>,
}

impl Feed {
    pub(crate) fn new() -> Feed {
        Feed {
            state: Mutex::new(State {
                boundary: None,
                taken: BTreeSet::new(),
                instance: None,
                trimmed_seen: 0,
                version: 0,
                oldest: 0,
                log: VecDeque::new(),
                finished: 0,
                failed: None,
            }),
            started: AtomicU64::new(0),
        }
    }

    /// The version as of a read of the log that began after this call did.
    pub(crate) fn version(&self, pool: &Pool) -> Result<u64, StoreError> {
        let state = self.refresh(pool)?;
        Ok(state.version)
    }

    /// The version the node last knew, without reading the database.
    pub(crate) fn last_version(&self) -> u64 {
        self.state.lock().version
    }

    pub(crate) fn changes_since(&self, pool: &Pool, version: u64) -> Result<Changes, StoreError> {
        let state = self.refresh(pool)?;
        if version < state.oldest {
            return Err(StoreError::ChangesGap {
                asked: version,
                oldest: state.oldest,
            });
        }
        let start = state.log.partition_point(|(v, _)| *v <= version);
        Ok(Changes {
            version: state.version,
            changes: state.log.range(start..).cloned().collect(),
        })
    }

    /// Brings the node up to date with a read that began after the call did (its own, or one
    /// another caller began meanwhile), and answers the state under its lock.
    fn refresh(&self, pool: &Pool) -> Result<parking_lot::MutexGuard<'_, State>, StoreError> {
        let arrived = self.started.load(Ordering::SeqCst);
        let mut state = self.state.lock();
        if state.finished > arrived {
            // A read that started after this call arrived has finished: it saw every write
            // acknowledged before the call. If it failed, so does this call, at once, rather
            // than each waiting caller trying in turn while the database is unreachable.
            return match &state.failed {
                Some(e) => Err(e.clone()),
                None => Ok(state),
            };
        }
        let number = self.started.fetch_add(1, Ordering::SeqCst) + 1;
        state.finished = number;
        let read = match read(pool, state.boundary, &state.taken) {
            Ok(read) => read,
            Err(e) => {
                state.failed = Some(e.clone());
                return Err(e);
            }
        };
        state.failed = None;
        // A trim since the last read that reached the boundary may have removed rows not taken
        // in yet. (The rows a trim removed were committed before it, so the first read that sees
        // the trim sees them too: after a resync, that trim is no reason for another.)
        let trimmed_past = state.boundary.is_some_and(|b| {
            read.trimmed_through != state.trimmed_seen && read.trimmed_through >= b
        });
        let resync = trimmed_past || state.instance.as_ref().is_some_and(|i| *i != read.instance);
        if resync {
            let read = match read_baseline(pool) {
                Ok(read) => read,
                Err(e) => {
                    state.failed = Some(e.clone());
                    return Err(e);
                }
            };
            state.version += 1;
            state.oldest = state.version;
            state.log.clear();
            state.taken = read.rows.iter().map(|(xid, _)| *xid).collect();
            state.boundary = Some(read.xmin);
            state.instance = Some(read.instance);
            state.trimmed_seen = read.trimmed_through;
        } else if state.boundary.is_none() {
            // The first read: what the database holds is the state at version 0.
            state.taken = read.rows.iter().map(|(xid, _)| *xid).collect();
            state.boundary = Some(read.xmin);
            state.instance = Some(read.instance);
            state.trimmed_seen = read.trimmed_through;
        } else {
            for (xid, change) in read.rows {
                state.taken.insert(xid);
                state.version += 1;
                let version = state.version;
                if state.log.len() >= CAPACITY
                    && let Some((dropped, _)) = state.log.pop_front()
                {
                    state.oldest = dropped;
                }
                state.log.push_back((version, change));
            }
            let boundary = state.boundary.map_or(read.xmin, |b| b.max(read.xmin));
            state.boundary = Some(boundary);
            state.taken = state.taken.split_off(&boundary);
            state.trimmed_seen = read.trimmed_through;
        }
        Ok(state)
    }
}

fn read_baseline(pool: &Pool) -> Result<Read, StoreError> {
    read(pool, None, &BTreeSet::new())
}

fn read(pool: &Pool, boundary: Option<i64>, taken: &BTreeSet<i64>) -> Result<Read, StoreError> {
    let taken: Vec<i64> = taken.iter().copied().collect();
    pool.read(|client| {
        let rows = client.query(POLL, &[&boundary, &taken])?;
        let mut read = Read {
            xmin: 0,
            trimmed_through: 0,
            instance: String::new(),
            rows: Vec::new(),
        };
        for (i, row) in rows.iter().enumerate() {
            if i == 0 {
                read.xmin = get(row, "xmin")?;
                read.trimmed_through = get(row, "trimmed_through")?;
                read.instance = get(row, "instance")?;
            }
            if let Some(xid) = get::<Option<i64>>(row, "xid")? {
                read.rows.push((xid, codec::change(row)?));
            }
        }
        if rows.is_empty() {
            return Err(Fail::Damaged("the `feed` row is missing".into()));
        }
        Ok(read)
    })
}
