//! The SQLite database: its schema, its format version, reading it whole and writing a batch of
//! rows in one synced transaction.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use serde::de::DeserializeOwned;

use portcullis_store::rows::StoredState;

use crate::OpenError;

/// The format this build writes and the newest it reads.
/// Format 2 added the `principals` table (IAM principals); format 3 the `products` and
/// `product_idempotency` tables (and portfolio rows may list their products); format 4 keys
/// every table of rows by a sequence number (`seq INTEGER PRIMARY KEY`, the order rows were
/// first written) instead of by their random ids, so that the new rows of a batch share the
/// table's last B-tree leaf instead of dirtying one leaf each. An older database is brought to
/// format 4 when opened, in one transaction: its tables are rewritten keyed by sequence (in
/// their old order), new tables are created empty, and a portfolio row without products reads
/// as one with none.
pub(crate) const FORMAT: i64 = 4;

/// The tables that are not tables of rows (those are made by `migrate`).
const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS retired (id TEXT PRIMARY KEY);
";

/// The tables of keyed JSON rows (see `portcullis_store::rows`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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
    const ALL: [Table; 10] = [
        Table::Portfolios,
        Table::Idempotency,
        Table::ShareOperations,
        Table::Organizations,
        Table::Ous,
        Table::Members,
        Table::CreateRequests,
        Table::Principals,
        Table::Products,
        Table::ProductIdempotency,
    ];

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

/// Where each row lives: per table, its key → its sequence number. Kept beside the database
/// by the one connection that writes it, because no index maps keys to rows in the file (an
/// index on random keys would dirty a random page per new row, which is what format 4 avoids).
#[derive(Default)]
struct Locations {
    tables: HashMap<Table, HashMap<String, i64>>,
}

impl Locations {
    /// The locations of every row in the database; a key found twice in a table is damage.
    fn read(connection: &Connection) -> Result<Locations, String> {
        let mut locations = Locations::default();
        for table in Table::ALL {
            let sql = format!("SELECT seq, {} FROM {}", table.key_column(), table.name());
            let mut statement = connection.prepare(&sql).map_err(|e| e.to_string())?;
            let rows = statement
                .query_map([], |row| {
                    Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?))
                })
                .map_err(|e| e.to_string())?;
            for row in rows {
                let (seq, key) = row.map_err(|e| e.to_string())?;
                locations.place(table, key, seq)?;
            }
        }
        Ok(locations)
    }

    fn place(&mut self, table: Table, key: String, seq: i64) -> Result<(), String> {
        match self.tables.entry(table).or_default().insert(key, seq) {
            Some(_) => Err(format!(
                "a key appears twice in table `{}` (row {seq})",
                table.name()
            )),
            None => Ok(()),
        }
    }

    fn find(&self, table: Table, key: &str) -> Option<i64> {
        self.tables.get(&table)?.get(key).copied()
    }

    fn remove(&mut self, table: Table, key: &str) -> Option<i64> {
        self.tables.get_mut(&table)?.remove(key)
    }
}

/// Brings a table of format 3 or older (`id TEXT PRIMARY KEY, row`) to format 4 (keyed by
/// sequence, in the order of its old rows); creates a missing table.
fn migrate(connection: &Connection, table: Table) -> rusqlite::Result<()> {
    let name = table.name();
    let key = table.key_column();
    let exists = connection
        .query_row(
            "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1",
            [name],
            |_| Ok(()),
        )
        .optional()?
        .is_some();
    let keyed_by_seq = exists
        && connection
            .query_row(
                &format!("SELECT 1 FROM pragma_table_info('{name}') WHERE name = 'seq'"),
                [],
                |_| Ok(()),
            )
            .optional()?
            .is_some();
    if keyed_by_seq {
        return Ok(());
    }
    if exists {
        connection.execute_batch(&format!(
            "ALTER TABLE {name} RENAME TO {name}_before_format_4;"
        ))?;
    }
    connection.execute_batch(&format!(
        "CREATE TABLE {name} (seq INTEGER PRIMARY KEY, {key} TEXT NOT NULL, row TEXT NOT NULL);"
    ))?;
    if exists {
        connection.execute_batch(&format!(
            "INSERT INTO {name} ({key}, row) SELECT {key}, row FROM {name}_before_format_4 \
             ORDER BY rowid; DROP TABLE {name}_before_format_4;"
        ))?;
    }
    Ok(())
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
    /// Where each row is; `None` after a failed batch until read again.
    locations: Option<Locations>,
}

impl Database {
    /// Opens or creates the database at `file`: write-ahead log, `synchronous=FULL`, the
    /// schema, and the format checked (a newer one is refused, nothing is written).
    pub(crate) fn open(file: &Path) -> Result<Database, OpenError> {
        let damaged = |e: rusqlite::Error| OpenError::Damaged(file.to_path_buf(), e.to_string());
        let mut connection = Connection::open(file).map_err(damaged)?;
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
        // The schema, and an older format brought to this one, in one transaction: a crash
        // leaves the database as it was or as it is meant to be.
        let transaction = connection.transaction().map_err(damaged)?;
        transaction.execute_batch(SCHEMA).map_err(damaged)?;
        for table in Table::ALL {
            migrate(&transaction, table).map_err(damaged)?;
        }
        if found.is_none_or(|f| f < FORMAT) {
            transaction
                .execute(
                    "INSERT INTO meta (key, value) VALUES ('format', ?1) \
                     ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    params![FORMAT.to_string()],
                )
                .map_err(damaged)?;
        }
        transaction.commit().map_err(damaged)?;
        Ok(Database {
            connection,
            file: file.to_path_buf(),
            locations: None,
        })
    }

    /// Everything the database holds; learns where each row is.
    pub(crate) fn load(&mut self) -> Result<StoredState, OpenError> {
        // Each table is read once: its rows, and where each of them lives.
        let mut at = Locations::default();
        let state = StoredState {
            portfolios: self.rows(Table::Portfolios, &mut at)?,
            retired: self.retired()?,
            idempotency: self.rows(Table::Idempotency, &mut at)?,
            share_operations: self.rows(Table::ShareOperations, &mut at)?,
            organizations: self.rows(Table::Organizations, &mut at)?,
            ous: self.rows(Table::Ous, &mut at)?,
            members: self.rows(Table::Members, &mut at)?,
            create_requests: self.rows(Table::CreateRequests, &mut at)?,
            principals: self.rows(Table::Principals, &mut at)?,
            products: self.rows(Table::Products, &mut at)?,
            product_idempotency: self.rows(Table::ProductIdempotency, &mut at)?,
        };
        self.locations = Some(at);
        Ok(state)
    }

    /// Every row of `table`, in the order they were first written; each row's place is
    /// recorded in `at`.
    fn rows<T: DeserializeOwned>(
        &self,
        table: Table,
        at: &mut Locations,
    ) -> Result<Vec<T>, OpenError> {
        let damaged = |reason: String| OpenError::Damaged(self.file.clone(), reason);
        let sql = format!(
            "SELECT seq, {}, row FROM {} ORDER BY seq",
            table.key_column(),
            table.name()
        );
        let mut statement = self
            .connection
            .prepare(&sql)
            .map_err(|e| damaged(e.to_string()))?;
        let rows = statement
            .query_map([], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                ))
            })
            .map_err(|e| damaged(e.to_string()))?;
        let mut out = Vec::new();
        for row in rows {
            let (seq, key, json) = row.map_err(|e| damaged(e.to_string()))?;
            let value = serde_json::from_str(&json)
                .map_err(|e| damaged(format!("row `{key}` of table `{}`: {e}", table.name())))?;
            at.place(table, key, seq).map_err(damaged)?;
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

    /// Applies `writes` in one transaction and syncs it. A row's key is looked up in the
    /// locations: a known key is updated or deleted by its sequence number, a new one appended
    /// with the next. If the batch fails, the locations are read again before the next one.
    pub(crate) fn write(&mut self, writes: &[Write]) -> Result<(), String> {
        let mut locations = match self.locations.take() {
            Some(locations) => locations,
            None => Locations::read(&self.connection)?,
        };
        let transaction = self.connection.transaction().map_err(|e| e.to_string())?;
        apply(&transaction, &mut locations, writes)?;
        transaction.commit().map_err(|e| e.to_string())?;
        self.locations = Some(locations);
        Ok(())
    }
}

/// Applies `writes` inside `transaction`, keeping `locations` up to date with it.
fn apply(
    transaction: &rusqlite::Transaction<'_>,
    locations: &mut Locations,
    writes: &[Write],
) -> Result<(), String> {
    let sqlite = |e: rusqlite::Error| e.to_string();
    for write in writes {
        match write {
            Write::Put(table, key, row) => match locations.find(*table, key) {
                Some(seq) => {
                    let sql = format!("UPDATE {} SET row = ?1 WHERE seq = ?2", table.name());
                    transaction
                        .prepare_cached(&sql)
                        .and_then(|mut s| s.execute(params![row, seq]))
                        .map_err(sqlite)?;
                }
                None => {
                    let sql = format!(
                        "INSERT INTO {} ({}, row) VALUES (?1, ?2)",
                        table.name(),
                        table.key_column()
                    );
                    transaction
                        .prepare_cached(&sql)
                        .and_then(|mut s| s.execute(params![key, row]))
                        .map_err(sqlite)?;
                    locations.place(*table, key.clone(), transaction.last_insert_rowid())?;
                }
            },
            Write::Delete(table, key) => {
                if let Some(seq) = locations.remove(*table, key) {
                    let sql = format!("DELETE FROM {} WHERE seq = ?1", table.name());
                    transaction
                        .prepare_cached(&sql)
                        .and_then(|mut s| s.execute(params![seq]))
                        .map_err(sqlite)?;
                }
            }
            Write::Retire(id) => {
                transaction
                    .prepare_cached("INSERT OR IGNORE INTO retired (id) VALUES (?1)")
                    .and_then(|mut s| s.execute(params![id]))
                    .map_err(sqlite)?;
            }
            Write::Clear => {
                transaction
                    .execute_batch(
                        "DELETE FROM portfolios; DELETE FROM retired; DELETE FROM idempotency; \
                         DELETE FROM share_operations; DELETE FROM organizations; \
                         DELETE FROM ous; DELETE FROM members; DELETE FROM create_requests; \
                         DELETE FROM principals; DELETE FROM products; \
                         DELETE FROM product_idempotency;",
                    )
                    .map_err(sqlite)?;
                *locations = Locations::default();
            }
        }
    }
    Ok(())
}
