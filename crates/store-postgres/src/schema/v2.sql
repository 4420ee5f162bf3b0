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
