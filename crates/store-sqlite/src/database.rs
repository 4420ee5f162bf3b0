//! The SQLite database: its schema, its format version, reading it whole and writing a batch of
//! rows in one synced transaction.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, params};
use serde::Serialize;
use serde::de::DeserializeOwned;

use portcullis_store::rows::StoredState;

use crate::OpenError;

/// The format this build writes and the newest it reads.
/// Format 2 added the `principals` table (IAM principals); format 3 the `products` and
/// `product_idempotency` tables (and portfolio rows may list their products). An older database
/// is brought to format 3 when opened: the new tables are created empty, and a portfolio row
/// without products reads as one with none.
pub(crate) const FORMAT: i64 = 3;

/// Every table: one JSON row per key (see `portcullis_store::rows`).
const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS portfolios (id TEXT PRIMARY KEY, row TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS retired (id TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS idempotency (key TEXT PRIMARY KEY, row TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS share_operations (id TEXT PRIMARY KEY, row TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS organizations (id TEXT PRIMARY KEY, row TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS ous (id TEXT PRIMARY KEY, row TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS members (id TEXT PRIMARY KEY, row TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS create_requests (id TEXT PRIMARY KEY, row TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS principals (id TEXT PRIMARY KEY, row TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS products (id TEXT PRIMARY KEY, row TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS product_idempotency (key TEXT PRIMARY KEY, row TEXT NOT NULL);
";

/// The tables of keyed JSON rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Table {
    Portfolios,
    Idempotency,
    ShareOperations,
    Organizations,
    Ous,
    Members,
    CreateRequests,
    Principals,
    Products,
    ProductIdempotency,
}

impl Table {
    fn name(self) -> &'static str {
        match self {
            Table::Portfolios => "portfolios",
            Table::Idempotency => "idempotency",
            Table::ShareOperations => "share_operations",
            Table::Organizations => "organizations",
            Table::Ous => "ous",
            Table::Members => "members",
            Table::CreateRequests => "create_requests",
            Table::Principals => "principals",
            Table::Products => "products",
            Table::ProductIdempotency => "product_idempotency",
        }
    }

    fn key_column(self) -> &'static str {
        match self {
            Table::Idempotency | Table::ProductIdempotency => "key",
            _ => "id",
        }
    }
}

/// One write of a batch.
#[derive(Debug)]
pub(crate) enum Write {
    /// Insert or replace the row of `key` in `table`.
    Put(Table, String, String),
    /// Remove the row of `key` from `table`.
    Delete(Table, String),
    /// Record a deleted portfolio's id.
    Retire(String),
    /// Remove every row of every table (a reset of the whole state).
    Clear,
}

/// Serializes a row.
pub(crate) fn encode(row: &impl Serialize) -> Result<String, String> {
    serde_json::to_string(row).map_err(|e| e.to_string())
}

pub(crate) struct Database {
    connection: Connection,
    file: PathBuf,
}

impl Database {
    /// Opens or creates the database at `file`: write-ahead log, `synchronous=FULL`, the
    /// schema, and the format checked (a newer one is refused, nothing is written).
    pub(crate) fn open(file: &Path) -> Result<Database, OpenError> {
        let damaged = |e: rusqlite::Error| OpenError::Damaged(file.to_path_buf(), e.to_string());
        let connection = Connection::open(file).map_err(damaged)?;
        // Reading the header first: a file that is not a database fails here, before anything
        // is written to it.
        let found: Option<i64> =
            match connection.query_row("SELECT value FROM meta WHERE key = 'format'", [], |row| {
                row.get::<_, String>(0)
            }) {
                Ok(value) => Some(value.parse::<i64>().map_err(|_| {
                    OpenError::Damaged(
                        file.to_path_buf(),
                        format!("format `{value}` is not a number"),
                    )
                })?),
                Err(rusqlite::Error::QueryReturnedNoRows) => None,
                Err(rusqlite::Error::SqliteFailure(_, Some(message)))
                    if message.contains("no such table") =>
                {
                    None
                }
                Err(e) => return Err(damaged(e)),
            };
        if let Some(found) = found
            && found > FORMAT
        {
            return Err(OpenError::NewerFormat {
                file: file.to_path_buf(),
                found,
                supported: FORMAT,
            });
        }
        let check: String = connection
            .query_row("PRAGMA quick_check", [], |row| row.get(0))
            .map_err(damaged)?;
        if check != "ok" {
            return Err(OpenError::Damaged(file.to_path_buf(), check));
        }
        connection
            .pragma_update(None, "journal_mode", "WAL")
            .map_err(damaged)?;
        connection
            .pragma_update(None, "synchronous", "FULL")
            .map_err(damaged)?;
        // The writer's page cache: 64 MiB (SQLite's default is 2 MiB), so that the B-tree pages
        // a batch updates stay in memory at 100,000 portfolios instead of being read back from
        // the file for every insert.
        connection
            .pragma_update(None, "cache_size", -65_536)
            .map_err(damaged)?;
        connection.execute_batch(SCHEMA).map_err(damaged)?;
        if found.is_none_or(|f| f < FORMAT) {
            connection
                .execute(
                    "INSERT INTO meta (key, value) VALUES ('format', ?1) \
                     ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    params![FORMAT.to_string()],
                )
                .map_err(damaged)?;
        }
        Ok(Database {
            connection,
            file: file.to_path_buf(),
        })
    }

    /// Everything the database holds.
    pub(crate) fn load(&self) -> Result<StoredState, OpenError> {
        Ok(StoredState {
            portfolios: self.rows(Table::Portfolios)?,
            retired: self.retired()?,
            idempotency: self.rows(Table::Idempotency)?,
            share_operations: self.rows(Table::ShareOperations)?,
            organizations: self.rows(Table::Organizations)?,
            ous: self.rows(Table::Ous)?,
            members: self.rows(Table::Members)?,
            create_requests: self.rows(Table::CreateRequests)?,
            principals: self.rows(Table::Principals)?,
            products: self.rows(Table::Products)?,
            product_idempotency: self.rows(Table::ProductIdempotency)?,
        })
    }

    fn rows<T: DeserializeOwned>(&self, table: Table) -> Result<Vec<T>, OpenError> {
        let damaged = |reason: String| OpenError::Damaged(self.file.clone(), reason);
        let sql = format!("SELECT {}, row FROM {}", table.key_column(), table.name());
        let mut statement = self
            .connection
            .prepare(&sql)
            .map_err(|e| damaged(e.to_string()))?;
        let rows = statement
            .query_map([], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
            })
            .map_err(|e| damaged(e.to_string()))?;
        let mut out = Vec::new();
        for row in rows {
            let (key, json) = row.map_err(|e| damaged(e.to_string()))?;
            let value = serde_json::from_str(&json)
                .map_err(|e| damaged(format!("row `{key}` of table `{}`: {e}", table.name())))?;
            out.push(value);
        }
        Ok(out)
    }

    fn retired(&self) -> Result<Vec<portcullis_model::PortfolioId>, OpenError> {
        let damaged = |reason: String| OpenError::Damaged(self.file.clone(), reason);
        let mut statement = self
            .connection
            .prepare("SELECT id FROM retired")
            .map_err(|e| damaged(e.to_string()))?;
        let ids = statement
            .query_map([], |row| row.get::<_, String>(0))
            .map_err(|e| damaged(e.to_string()))?;
        let mut out = Vec::new();
        for id in ids {
            let id = id.map_err(|e| damaged(e.to_string()))?;
            out.push(
                portcullis_model::PortfolioId::parse(&id)
                    .map_err(|e| damaged(format!("retired id `{id}`: {e}")))?,
            );
        }
        Ok(out)
    }

    /// Applies `writes` in one transaction and syncs it.
    pub(crate) fn write(&mut self, writes: &[Write]) -> Result<(), rusqlite::Error> {
        let transaction = self.connection.transaction()?;
        for write in writes {
            match write {
                Write::Put(table, key, row) => {
                    let sql = format!(
                        "INSERT INTO {0} ({1}, row) VALUES (?1, ?2) \
                         ON CONFLICT({1}) DO UPDATE SET row = excluded.row",
                        table.name(),
                        table.key_column()
                    );
                    transaction
                        .prepare_cached(&sql)?
                        .execute(params![key, row])?;
                }
                Write::Delete(table, key) => {
                    let sql = format!(
                        "DELETE FROM {} WHERE {} = ?1",
                        table.name(),
                        table.key_column()
                    );
                    transaction.prepare_cached(&sql)?.execute(params![key])?;
                }
                Write::Retire(id) => {
                    transaction
                        .prepare_cached("INSERT OR IGNORE INTO retired (id) VALUES (?1)")?
                        .execute(params![id])?;
                }
                Write::Clear => {
                    transaction.execute_batch(
                        "DELETE FROM portfolios; DELETE FROM retired; DELETE FROM idempotency; \
                         DELETE FROM share_operations; DELETE FROM organizations; \
                         DELETE FROM ous; DELETE FROM members; DELETE FROM create_requests; \
                         DELETE FROM principals; DELETE FROM products; \
                         DELETE FROM product_idempotency;",
                    )?;
                }
            }
        }
        transaction.commit()
    }
}
