//! The schema: created and migrated when a store connects, in one transaction under an advisory
//! lock (so that nodes starting together migrate once), its version recorded in
//! `schema_version`.

use postgres::Client;

use crate::ConnectError;

/// Advisory lock keys (per database): migrations, and the organization directory's writes.
pub(crate) const MIGRATION_LOCK: i64 = 0x7063_6c73_0000_0001;
pub(crate) const DIRECTORY_LOCK: i64 = 0x7063_6c73_0000_0002;

/// Each migration brings the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[V1, V2];

/// The newest schema version this build knows.
pub const SCHEMA_VERSION: i32 = 2;

/// Version 1. Every ordered list is ordered by `seq`, a value of the `list_order` sequence taken
/// while the rows the order is about are locked; a list's page position is that value. Records
/// that are read whole (a portfolio, an organization, a member account, a create-account
/// request, the record an idempotency token answers) are JSON; what is searched, joined or
/// counted is a column.
const V1: &str = r#"
CREATE SEQUENCE list_order;

-- Every portfolio id ever handed out, deleted portfolios' included: an id is never reused.
CREATE TABLE portfolio_ids (
    id text PRIMARY KEY
);

CREATE TABLE portfolios (
    id text PRIMARY KEY REFERENCES portfolio_ids (id),
    seq bigint NOT NULL,
    owner text NOT NULL,
    region text NOT NULL,
    record jsonb NOT NULL
);
CREATE INDEX portfolios_by_owner ON portfolios (owner, region, seq);

-- CreatePortfolio's IdempotencyToken: the record first created with it.
CREATE TABLE idempotency_tokens (
    owner text NOT NULL,
    region text NOT NULL,
    token text NOT NULL,
    record jsonb NOT NULL,
    PRIMARY KEY (owner, region, token)
);

CREATE TABLE associations (
    portfolio text NOT NULL REFERENCES portfolios (id) ON DELETE CASCADE,
    account text NOT NULL,
    principal_type text NOT NULL,
    arn text NOT NULL,
    seq bigint NOT NULL,
    PRIMARY KEY (portfolio, account, principal_type, arn)
);
CREATE INDEX associations_in_order ON associations (portfolio, account, seq);

CREATE TABLE shares (
    portfolio text NOT NULL REFERENCES portfolios (id) ON DELETE CASCADE,
    target_type text NOT NULL,
    principal_id text NOT NULL,
    seq bigint NOT NULL,
    share_principals boolean NOT NULL,
    share_tag_options boolean NOT NULL,
    accepted boolean NOT NULL,
    token text,
    created_by text NOT NULL,
    PRIMARY KEY (portfolio, target_type, principal_id)
);
CREATE INDEX shares_in_order ON shares (portfolio, seq);
CREATE INDEX shares_by_creator ON shares (created_by);

CREATE TABLE imports (
    portfolio text NOT NULL REFERENCES portfolios (id) ON DELETE CASCADE,
    account text NOT NULL,
    kind text NOT NULL,
    seq bigint NOT NULL,
    PRIMARY KEY (portfolio, account, kind)
);
CREATE INDEX imports_by_recipient ON imports (account, kind, seq);

CREATE TABLE share_operations (
    token text PRIMARY KEY,
    portfolio text NOT NULL,
    target_type text NOT NULL,
    principal_id text NOT NULL,
    kind text NOT NULL
);

CREATE TABLE organizations (
    id text PRIMARY KEY,
    root text NOT NULL UNIQUE,
    record jsonb NOT NULL
);

CREATE TABLE organizational_units (
    id text PRIMARY KEY,
    organization text NOT NULL REFERENCES organizations (id),
    parent text NOT NULL,
    name text NOT NULL,
    seq bigint NOT NULL,
    UNIQUE (parent, name)
);
CREATE INDEX organizational_units_in_order ON organizational_units (parent, seq);

CREATE TABLE member_accounts (
    id text PRIMARY KEY,
    organization text NOT NULL REFERENCES organizations (id),
    parent text NOT NULL,
    -- The e-mail address lower-cased, as it is compared.
    email_key text NOT NULL,
    seq bigint NOT NULL,
    record jsonb NOT NULL
);
CREATE INDEX member_accounts_in_order ON member_accounts (organization, seq);
CREATE INDEX member_accounts_by_parent ON member_accounts (parent, seq);
CREATE INDEX member_accounts_by_email ON member_accounts (email_key);

CREATE TABLE delegated_administrators (
    organization text NOT NULL REFERENCES organizations (id),
    service_principal text NOT NULL,
    account text NOT NULL,
    since_millis bigint NOT NULL,
    seq bigint NOT NULL,
    PRIMARY KEY (organization, service_principal, account)
);

CREATE TABLE service_access (
    organization text NOT NULL REFERENCES organizations (id),
    service_principal text NOT NULL,
    PRIMARY KEY (organization, service_principal)
);

CREATE TABLE create_account_requests (
    id text PRIMARY KEY,
    record jsonb NOT NULL
);

-- The change log every node follows (`ChangeFeed`). `xid` is the writing transaction: a node
-- reads the rows of transactions its snapshot sees as committed, and never skips a row whose
-- transaction was still running (see `feed.rs`).
CREATE TABLE changes (
    pos bigserial PRIMARY KEY,
    xid bigint NOT NULL DEFAULT (pg_current_xact_id()::text::bigint),
    created_at timestamptz NOT NULL DEFAULT now(),
    kind text NOT NULL,
    portfolio text,
    account text,
    organization text,
    from_parent text,
    to_parent text
);
CREATE INDEX changes_by_xact ON changes (xid);
CREATE INDEX changes_by_age ON changes (created_at);

-- One row: the identity of this store (a node that finds another one resynchronises) and how
-- far the change log was trimmed (every row of a transaction below `trimmed_through` may be
-- gone).
CREATE TABLE feed (
    id integer PRIMARY KEY CHECK (id = 1),
    instance text NOT NULL,
    trimmed_through bigint NOT NULL DEFAULT 0
);
INSERT INTO feed (id, instance) VALUES (1, md5(random()::text || clock_timestamp()::text));
"#;

/// Version 2: IAM principals (SPEC §4.4). Every principal ever created keeps its row, deleted
/// ones included, so a unique id is never handed out twice; names are unique (ignoring case)
/// among an account's existing principals of a type. Changes to principals are logged with
/// their id.
const V2: &str = r#"
CREATE TABLE principals (
    id text PRIMARY KEY,
    account text NOT NULL,
    principal_type text NOT NULL,
    -- The name lower-cased, as IAM compares names.
    name_key text NOT NULL,
    deleted boolean NOT NULL,
    record jsonb NOT NULL
);
CREATE UNIQUE INDEX principals_by_name ON principals (account, principal_type, name_key)
    WHERE NOT deleted;

ALTER TABLE changes ADD COLUMN principal text;
"#;

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
