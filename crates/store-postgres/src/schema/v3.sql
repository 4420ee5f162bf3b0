-- Every product id ever handed out, with its product view id, deleted products' included: an id
-- is never reused.
CREATE TABLE product_ids (
    id text PRIMARY KEY,
    view_id text NOT NULL UNIQUE
);

-- The live products. `record` is the product without its provisioning artifacts (an empty
-- list), which are rows of `provisioning_artifacts`; `name` is the record's name, as searched.
CREATE TABLE products (
    id text PRIMARY KEY REFERENCES product_ids (id),
    seq bigint NOT NULL,
    owner text NOT NULL,
    region text NOT NULL,
    name text NOT NULL,
    record jsonb NOT NULL
);
CREATE INDEX products_by_owner ON products (owner, region, seq);
CREATE INDEX products_by_name ON products (owner, region, name, seq);

-- Every provisioning artifact id ever handed out: an id is never reused.
CREATE TABLE provisioning_artifact_ids (
    id text PRIMARY KEY
);

-- A product's provisioning artifacts, in creation order; they go with their product.
CREATE TABLE provisioning_artifacts (
    id text PRIMARY KEY REFERENCES provisioning_artifact_ids (id),
    product text NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    seq bigint NOT NULL,
    record jsonb NOT NULL
);
CREATE INDEX provisioning_artifacts_in_order ON provisioning_artifacts (product, seq);

-- CreateProduct's IdempotencyToken: the record first created with it.
CREATE TABLE product_idempotency_tokens (
    owner text NOT NULL,
    region text NOT NULL,
    token text NOT NULL,
    record jsonb NOT NULL,
    PRIMARY KEY (owner, region, token)
);

-- Product-portfolio associations, in association order. Neither side may be deleted while one
-- exists (checked under the row lock of the side deleted; the references are the backstop).
CREATE TABLE product_portfolios (
    product text NOT NULL REFERENCES products (id),
    portfolio text NOT NULL REFERENCES portfolios (id),
    seq bigint NOT NULL,
    PRIMARY KEY (product, portfolio)
);
CREATE INDEX product_portfolios_by_product ON product_portfolios (product, seq);
CREATE INDEX product_portfolios_by_portfolio ON product_portfolios (portfolio, seq);
