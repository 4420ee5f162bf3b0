//! The schema: created and migrated when a store connects, in one transaction under an advisory
//! lock (so that nodes starting together migrate once), its version recorded in
//! `schema_version`.

use postgres::Client;

use crate::ConnectError;

/// Advisory lock keys (per database): migrations, and the organization directory's writes.
pub(crate) const MIGRATION_LOCK: i64 = 0x7063_6c73_0000_0001;
pub(crate) const DIRECTORY_LOCK: i64 = 0x7063_6c73_0000_0002;

/// Each migration brings the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[V1, V2, V3];

/// The newest schema version this build knows.
pub const SCHEMA_VERSION: i32 = 3;

/// Version 1. Every ordered list is ordered by `seq`, a value of the `list_order` sequence taken
/// while the rows the order is about are locked; a list's page position is that value. Records
/// that are read whole (a portfolio, an organization, a member account, a create-account
/// request, the record an idempotency token answers) are JSON; what is searched, joined or
/// counted is a column.
const V1: &str = include_str!("schema/v1.sql");

/// Version 2: IAM principals (SPEC §4.4). Every principal ever created keeps its row, deleted
/// ones included, so a unique id is never handed out twice; names are unique (ignoring case)
/// among an account's existing principals of a type. Changes to principals are logged with
/// their id.
const V2: &str = include_str!("schema/v2.sql");

/// Version 3: products (issue 10), their provisioning artifacts, their idempotency tokens and
/// their associations with portfolios. Product and provisioning artifact ids (and product view
/// ids) are kept in tables of every id ever handed out, so none is reused; a product's record is
/// JSON without its artifacts, which are rows of their own in creation order; associations are
/// ordered by `seq` like every other list. Associating locks the product's row, then the
/// portfolio's; deleting either locks its own row and counts the associations in the same
/// transaction.
const V3: &str = include_str!("schema/v3.sql");

/// Creates or migrates the schema; refuses one newer than this build.
pub(crate) fn migrate(client: &mut Client) -> Result<(), ConnectError> {
    let failed = |e: postgres::Error| ConnectError::Database(e.to_string());
    let mut tx = client.transaction().map_err(failed)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .map_err(failed)?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS schema_version (
            version integer PRIMARY KEY,
            applied_at timestamptz NOT NULL DEFAULT now()
        )",
    )
    .map_err(failed)?;
    let found: Option<i32> = tx
        .query_one("SELECT max(version) FROM schema_version", &[])
        .map_err(failed)?
        .try_get(0)
        .map_err(failed)?;
    let found = found.unwrap_or(0);
    if found > SCHEMA_VERSION {
        return Err(ConnectError::NewerSchema {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    for (version, migration) in (1..)
        .zip(MIGRATIONS.iter())
        .skip_while(|(v, _)| *v <= found)
    {
        tx.batch_execute(migration).map_err(failed)?;
        tx.execute(
            "INSERT INTO schema_version (version) VALUES ($1)",
            &[&version],
        )
        .map_err(failed)?;
    }
    tx.commit().map_err(failed)?;
    Ok(())
}
