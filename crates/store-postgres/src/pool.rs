//! Connections to the database: a small pool of synchronous clients, transactions with retries,
//! and the one place a database failure becomes [`StoreError::Unavailable`].
//!
//! A dead database must fail a call fast, not hang it: connecting is bounded by the connect
//! timeout, every statement by the server's `statement_timeout` and `lock_timeout`, and a
//! connection whose peer stopped answering by `tcp_user_timeout`. A connection found closed
//! (the server restarted, or killed it) is dropped with every idle one beside it, and the call
//! goes on over a fresh connection when nothing of it reached the database yet.

use std::time::{Duration, Instant};

use parking_lot::{Condvar, Mutex};
use portcullis_store::StoreError;
use postgres::error::SqlState;
use postgres::{Client, NoTls, Transaction};

use crate::sql::{Session, Sql};

/// Why an operation stopped: a refusal to answer as it is, or a database failure.
#[derive(Debug)]
pub(crate) enum Fail {
    /// The operation refused (not found, a limit, ...): nothing was changed.
    Refused(StoreError),
    /// The database failed or could not be reached.
    Db(postgres::Error),
    /// A row did not decode.
    Damaged(String),
}

impl From<postgres::Error> for Fail {
    fn from(e: postgres::Error) -> Fail {
        Fail::Db(e)
    }
}

impl From<StoreError> for Fail {
    fn from(e: StoreError) -> Fail {
        Fail::Refused(e)
    }
}

impl From<Fail> for StoreError {
    fn from(fail: Fail) -> StoreError {
        match fail {
            Fail::Refused(e) => e,
            Fail::Db(e) => unavailable(&e),
            Fail::Damaged(what) => StoreError::Unavailable(format!("damaged database row: {what}")),
        }
    }
}

/// A database failure as the store reports it.
pub(crate) fn unavailable(e: &postgres::Error) -> StoreError {
    StoreError::Unavailable(format!("database: {e}"))
}

/// Whether the transaction lost a race the database resolved by aborting it, so that running it
/// again is the answer.
fn retryable(e: &postgres::Error) -> bool {
    matches!(
        e.code(),
        Some(c) if *c == SqlState::T_R_SERIALIZATION_FAILURE || *c == SqlState::T_R_DEADLOCK_DETECTED
    )
}

/// How many times a transaction aborted by a serialization failure or a deadlock is run again.
const MAX_ATTEMPTS: usize = 8;

struct Slots {
    /// How many more connections may be checked out.
    free: usize,
    idle: Vec<Session>,
}

/// At most `max` connections, idle ones kept for reuse.
pub(crate) struct Pool {
    config: postgres::Config,
    slots: Mutex<Slots>,
    freed: Condvar,
    /// How long a caller waits for a free connection.
    wait: Duration,
}

/// A connection checked out of the pool; back in it when dropped, unless closed.
pub(crate) struct Conn<'p> {
    pool: &'p Pool,
    client: Option<Session>,
    /// Whether it came from the idle list (and so may have died since it was last used).
    reused: bool,
}

impl Conn<'_> {
    fn session(&mut self) -> Result<&mut Session, StoreError> {
        self.client
            .as_mut()
            .ok_or_else(|| StoreError::Unavailable("database connection lost".into()))
    }

    fn is_closed(&self) -> bool {
        self.client.as_ref().is_none_or(|s| s.client.is_closed())
    }

    /// Replaces a connection found dead with a fresh one, dropping every idle connection too
    /// (they went with it, as when the server restarted).
    fn reconnect(&mut self) -> Result<(), StoreError> {
        self.client = None;
        self.pool.discard_idle();
        self.client = Some(Session::new(self.pool.connect()?));
        self.reused = false;
        Ok(())
    }
}

impl Drop for Conn<'_> {
    fn drop(&mut self) {
        let client = self.client.take();
        let mut slots = self.pool.slots.lock();
        if let Some(client) = client
            && !client.client.is_closed()
        {
            slots.idle.push(client);
        }
        slots.free += 1;
        drop(slots);
        self.pool.freed.notify_one();
    }
}

impl Drop for Pool {
    /// Closes the idle connections on a thread of its own: each owns a runtime, which may not be
    /// dropped on an async runtime's thread, where the last handle to a store may be dropped.
    fn drop(&mut self) {
        let idle = std::mem::take(&mut self.slots.get_mut().idle);
        if idle.is_empty() {
            return;
        }
        let _ = std::thread::spawn(move || drop(idle)).join();
    }
}

impl Pool {
    pub(crate) fn new(config: postgres::Config, max: usize, wait: Duration) -> Pool {
        Pool {
            config,
            slots: Mutex::new(Slots {
                free: max.max(1),
                idle: Vec::new(),
            }),
            freed: Condvar::new(),
            wait,
        }
    }

    /// A new connection.
    pub(crate) fn connect(&self) -> Result<Client, StoreError> {
        self.config
            .connect(NoTls)
            .map_err(|e| StoreError::Unavailable(format!("cannot connect to the database: {e}")))
    }

    fn discard_idle(&self) {
        let idle = std::mem::take(&mut self.slots.lock().idle);
        drop(idle);
    }

    /// A connection: an idle one, else a new one.
    pub(crate) fn get(&self) -> Result<Conn<'_>, StoreError> {
        let deadline = Instant::now() + self.wait;
        let mut slots = self.slots.lock();
        while slots.free == 0 {
            if self.freed.wait_until(&mut slots, deadline).timed_out() && slots.free == 0 {
                return Err(StoreError::Unavailable(format!(
                    "no database connection became free within {} ms",
                    self.wait.as_millis()
                )));
            }
        }
        slots.free -= 1;
        let idle = slots.idle.pop();
        drop(slots);
        let mut conn = Conn {
            pool: self,
            client: None,
            reused: idle.is_some(),
        };
        conn.client = Some(match idle {
            Some(client) => client,
            // On failure `conn` is dropped and gives its slot back.
            None => Session::new(self.connect()?),
        });
        Ok(conn)
    }

    /// Runs `f` on a connection. Reads only: when the connection turns out dead it is run
    /// again, once, on a fresh one.
    pub(crate) fn read<T>(
        &self,
        mut f: impl FnMut(&mut Sql<'_, Client>) -> Result<T, Fail>,
    ) -> Result<T, StoreError> {
        let mut conn = self.get()?;
        match f(&mut conn.session()?.sql()) {
            Err(Fail::Db(e)) if conn.reused && lost(&conn, &e) => {
                conn.reconnect()?;
                f(&mut conn.session()?.sql()).map_err(StoreError::from)
            }
            result => result.map_err(StoreError::from),
        }
    }

    /// Runs `f` in one transaction and commits it; a refusal or failure rolls it back. A
    /// transaction the database aborted to resolve a race is run again. A connection found dead
    /// at `BEGIN` is replaced; once the operation's statements were sent, a lost connection is
    /// [`StoreError::Unavailable`] and nothing is acknowledged.
    pub(crate) fn write<T>(
        &self,
        mut f: impl FnMut(&mut Sql<'_, Transaction<'_>>) -> Result<T, Fail>,
    ) -> Result<T, StoreError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let mut conn = self.get()?;
            let mut outcome = once(conn.session()?, &mut f);
            if let Attempt::BeginFailed(e) = &outcome
                && conn.reused
                && lost(&conn, e)
            {
                conn.reconnect()?;
                outcome = once(conn.session()?, &mut f);
            }
            match outcome {
                Attempt::BeginFailed(e) => return Err(unavailable(&e)),
                Attempt::Done(Err(Fail::Db(e))) if retryable(&e) && attempt < MAX_ATTEMPTS => {}
                Attempt::Done(result) => return result.map_err(StoreError::from),
            }
        }
    }
}

/// One run of a transaction.
enum Attempt<T> {
    /// `BEGIN` failed: nothing of the operation reached the database.
    BeginFailed(postgres::Error),
    /// The operation ran: committed, refused or failed.
    Done(Result<T, Fail>),
}

fn once<T>(
    session: &mut Session,
    f: &mut impl FnMut(&mut Sql<'_, Transaction<'_>>) -> Result<T, Fail>,
) -> Attempt<T> {
    let mut tx = match session.client.transaction() {
        Ok(tx) => tx,
        Err(e) => return Attempt::BeginFailed(e),
    };
    let done = f(&mut Sql {
        conn: &mut tx,
        statements: &mut session.statements,
    });
    Attempt::Done(match done {
        Ok(value) => tx.commit().map(|()| value).map_err(Fail::Db),
        // Dropping the transaction rolls it back.
        Err(fail) => Err(fail),
    })
}

/// Whether `e` says the connection is gone (closed, or ended by the server's shutdown).
fn lost(conn: &Conn<'_>, e: &postgres::Error) -> bool {
    conn.is_closed()
        || e.is_closed()
        || matches!(e.code(), Some(c) if *c == SqlState::ADMIN_SHUTDOWN || *c == SqlState::CRASH_SHUTDOWN)
}
