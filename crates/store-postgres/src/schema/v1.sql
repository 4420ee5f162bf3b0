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
