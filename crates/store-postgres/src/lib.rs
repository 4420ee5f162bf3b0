#![doc = include_str!("../README.md")]

mod catalog;
mod codec;
mod directory;
mod feed;
mod iam;
mod pool;
mod products;
mod schema;
mod sql;

use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use portcullis_store::{Change, ChangeFeed, Changes, StateReset, StoreError};
use postgres::Transaction;

use sql::Sql;

pub use feed::CAPACITY as CHANGE_RECORD_CAPACITY;
pub use schema::SCHEMA_VERSION;

use feed::Feed;
use pool::{Fail, Pool};

/// How a [`PostgresStore`] uses its database. [`PostgresOptions::default`] suits a server.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct PostgresOptions {
    /// At most this many connections at once (callers beyond wait for one).
    pub max_connections: usize,
    /// How long connecting, or waiting for a free connection, may take before a call fails.
    /// Applied unless the URL sets `connect_timeout`.
    pub connect_timeout: Duration,
    /// How long one statement may run, lock waits included (the server's `statement_timeout`
    /// and `lock_timeout`), and how long the connection may go unanswered (`tcp_user_timeout`)
    /// before a call fails.
    pub statement_timeout: Duration,
    /// How long the change log keeps a change. A node that does not read the log for longer
    /// rereads everything once.
    pub change_retention: Duration,
}

impl Default for PostgresOptions {
    fn default() -> PostgresOptions {
        PostgresOptions {
            max_connections: 16,
            connect_timeout: Duration::from_secs(2),
            statement_timeout: Duration::from_secs(5),
            change_retention: Duration::from_secs(3600),
        }
    }
}

/// Why a store could not connect to its database.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConnectError {
    /// The database URL does not parse.
    #[error("invalid database URL: {0}")]
    Url(String),
    /// The database could not be reached or refused the connection, or creating or migrating
    /// the schema failed; the message says why.
    #[error("database: {0}")]
    Database(String),
    /// The database was reached but could not be read.
    #[error("the database could not be read: {0}")]
    Unavailable(String),
    /// The database's schema was written by a newer portcullis.
    #[error(
        "the database's schema is version {found}, newer than this portcullis reads (up to version {supported}); nothing was changed"
    )]
    NewerSchema {
        /// The schema version found.
        found: i32,
        /// The newest this build reads.
        supported: i32,
    },
}

/// portcullis's shared store: every state in PostgreSQL, every operation one transaction.
///
/// Any number of stores, in any number of processes, may use one database at once: a write
/// locks the portfolio row it checks (`SELECT … FOR UPDATE`) before it checks a limit or an
/// idempotency token, and the organization directory's writes take one advisory lock, so each
/// invariant holds across nodes as within one. Every write appends its [`Change`]s to a
/// change log in the same transaction, which each node follows for its [`ChangeFeed`]; see
/// the crate documentation for the visibility bound.
///
/// Calls block on the database: call them from threads that may block (tokio's blocking pool),
/// never from an async runtime's worker threads.
pub struct PostgresStore {
    pool: Pool,
    feed: Feed,
    retention: Duration,
    /// Writes made through this store, to trim the change log now and then.
    writes: AtomicU64,
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresStore")
            .field("version", &self.feed.last_version())
            .finish_non_exhaustive()
    }
}

/// Trim the change log after this many writes through one store.
const TRIM_EVERY: u64 = 4096;

impl PostgresStore {
    /// Connects to the database at `url` (`postgres://user:password@host:port/database`, or
    /// `host=… user=…`), creating or migrating the schema, with [`PostgresOptions::default`].
    pub fn connect(url: &str) -> Result<PostgresStore, ConnectError> {
        PostgresStore::connect_with(url, PostgresOptions::default())
    }

    /// Connects to the database at `url` with `options`.
    pub fn connect_with(
        url: &str,
        options: PostgresOptions,
    ) -> Result<PostgresStore, ConnectError> {
        // The synchronous client drives each connection with a runtime of its own, which may not
        // be entered from an async runtime's thread: connect on a thread of our own, so that
        // this may be called from anywhere (an async `main` included).
        std::thread::scope(|s| {
            s.spawn(|| PostgresStore::connect_here(url, options))
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
    }

    fn connect_here(url: &str, options: PostgresOptions) -> Result<PostgresStore, ConnectError> {
        let mut config =
            postgres::Config::from_str(url).map_err(|e| ConnectError::Url(e.to_string()))?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(options.connect_timeout);
        }
        let millis = options.statement_timeout.as_millis();
        let session = format!(
            "-c statement_timeout={millis} -c lock_timeout={millis} \
             -c idle_in_transaction_session_timeout={}",
            millis.saturating_mul(2)
        );
        let options_line = match config.get_options() {
            Some(given) => format!("{given} {session}"),
            None => session,
        };
        config
            .options(&options_line)
            .tcp_user_timeout(options.statement_timeout)
            // A peer that stops answering is noticed while a call waits for its answer: a
            // keepalive probe after 2 s of silence, unanswered for the TCP user timeout.
            .keepalives(true)
            .keepalives_idle(Duration::from_secs(2))
            .keepalives_interval(Duration::from_secs(1))
            .keepalives_retries(3);
        if config.get_application_name().is_none() {
            config.application_name("portcullis");
        }
        let mut client = config
            .connect(postgres::NoTls)
            .map_err(|e| ConnectError::Database(e.to_string()))?;
        schema::migrate(&mut client)?;
        drop(client);
        let store = PostgresStore {
            pool: Pool::new(config, options.max_connections, options.connect_timeout),
            feed: Feed::new(),
            retention: options.change_retention,
            writes: AtomicU64::new(0),
        };
        // The first read of the change log: what the database holds now is version 0.
        store.feed.version(&store.pool).map_err(|e| match e {
            StoreError::Unavailable(why) => ConnectError::Unavailable(why),
            other => ConnectError::Unavailable(other.to_string()),
        })?;
        store.trim();
        Ok(store)
    }

    /// Runs `f` as one write transaction, then trims the change log now and then.
    fn write<T>(
        &self,
        f: impl FnMut(&mut Sql<'_, Transaction<'_>>) -> Result<T, Fail>,
    ) -> Result<T, StoreError> {
        let out = self.pool.write(f)?;
        if self.writes.fetch_add(1, Ordering::Relaxed) % TRIM_EVERY == TRIM_EVERY - 1 {
            self.trim();
        }
        Ok(out)
    }

    /// Removes changes older than the retention from the log, recording how far it went.
    /// Best effort: a failure leaves the log longer.
    fn trim(&self) {
        let seconds = self.retention.as_secs_f64();
        let _ = self.pool.write(|tx| {
            tx.execute(
                "WITH gone AS (
                    DELETE FROM changes WHERE created_at < now() - make_interval(secs => $1)
                    RETURNING xid
                 )
                 UPDATE feed SET trimmed_through = greatest(trimmed_through, m.xid)
                 FROM (SELECT max(xid) AS xid FROM gone) m
                 WHERE feed.id = 1 AND m.xid IS NOT NULL",
                &[&seconds],
            )?;
            Ok(())
        });
    }
}

/// An idempotent create in the writing transaction: without a token, `insert` runs; with one,
/// the token's row in `table` (`owner, region, token, record`) is claimed first, so that a
/// concurrent create with the same token (on any node) waits on it, then finds it taken and
/// answers the first creation's record. Answers the record and whether this call created it.
pub(crate) fn create_once<
    T: serde::Serialize + serde::de::DeserializeOwned + std::fmt::Debug + Sync,
>(
    tx: &mut Sql<'_, Transaction<'_>>,
    table: &'static str,
    (owner, region, token): (&str, &str, Option<&str>),
    insert: impl FnOnce(&mut Sql<'_, Transaction<'_>>) -> Result<T, Fail>,
) -> Result<(T, bool), Fail> {
    let Some(token) = token else {
        return Ok((insert(tx)?, true));
    };
    let placeholder = serde_json::Value::Null;
    let claimed = tx.execute(
        &format!(
            "INSERT INTO {table} (owner, region, token, record)
             VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING"
        ),
        &[
            &owner,
            &region,
            &token,
            &postgres::types::Json(&placeholder),
        ],
    )?;
    if claimed == 0 {
        let row = tx.query_one(
            &format!("SELECT record FROM {table} WHERE owner = $1 AND region = $2 AND token = $3"),
            &[&owner, &region, &token],
        )?;
        return Ok((codec::record(&row, "record")?, false));
    }
    let created = insert(tx)?;
    tx.execute(
        &format!("UPDATE {table} SET record = $4 WHERE owner = $1 AND region = $2 AND token = $3"),
        &[&owner, &region, &token, &postgres::types::Json(&created)],
    )?;
    Ok((created, true))
}

/// Appends `change` to the change log, in the writing transaction.
pub(crate) fn record(tx: &mut Sql<'_, Transaction<'_>>, change: &Change) -> Result<(), Fail> {
    let c = codec::change_columns(change);
    tx.execute(
        "INSERT INTO changes (kind, portfolio, account, organization, from_parent, to_parent,
                              principal)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &[
            &c.kind,
            &c.portfolio,
            &c.account,
            &c.organization,
            &c.from,
            &c.to,
            &c.principal,
        ],
    )?;
    Ok(())
}

impl StateReset for PostgresStore {
    /// One transaction that deletes every row of the state (the change log stays, with one
    /// `RESET` change appended): a concurrent transaction sees all of it or none of it, and
    /// every node rebuilds its indexes when it reads the change.
    fn reset(&self) -> Result<(), StoreError> {
        self.write(|tx| {
            tx.execute(
                "SELECT pg_advisory_xact_lock($1)",
                &[&schema::DIRECTORY_LOCK],
            )?;
            // Referencing tables before the tables they reference.
            const TABLES: [&str; 20] = [
                "product_portfolios",
                "provisioning_artifacts",
                "provisioning_artifact_ids",
                "product_idempotency_tokens",
                "products",
                "product_ids",
                "imports",
                "shares",
                "associations",
                "share_operations",
                "idempotency_tokens",
                "portfolios",
                "portfolio_ids",
                "delegated_administrators",
                "service_access",
                "member_accounts",
                "organizational_units",
                "create_account_requests",
                "principals",
                "organizations",
            ];
            // No other write runs until this commits (reads go on, on their snapshots): a row
            // committed between two of the deletes would otherwise survive, or break a
            // reference.
            tx.execute(
                &format!("LOCK TABLE {} IN EXCLUSIVE MODE", TABLES.join(", ")),
                &[],
            )?;
            for table in TABLES {
                tx.execute(&format!("DELETE FROM {table}"), &[])?;
            }
            record(tx, &Change::Reset)
        })
    }
}

impl ChangeFeed for PostgresStore {
    /// The version after reading the change log; while the database cannot be read, the last
    /// version this node knew.
    fn version(&self) -> u64 {
        self.feed
            .version(&self.pool)
            .unwrap_or_else(|_| self.feed.last_version())
    }

    fn changes_since(&self, version: u64) -> Result<Changes, StoreError> {
        self.feed.changes_since(&self.pool, version)
    }
}
