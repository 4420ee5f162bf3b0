//! The database format: a database written before products existed (format 2: no `products`
//! or `product_idempotency` table, portfolio rows without products) and one written before rows
//! were keyed by sequence (format 3: tables keyed by their ids) open, keep everything, are
//! brought to format 4, and store products from then on.

#![allow(clippy::unwrap_used, reason = "tests")]

use portcullis_model::{AccountId, Partition, ProductType, Region, Timestamp};
use portcullis_store::{
    CatalogStore, NewPortfolio, NewProduct, PageRequest, ProductStore, StoreError,
};
use portcullis_store_sqlite::{DATABASE_FILE, SqliteStore};

fn owner() -> AccountId {
    AccountId::parse("111111111111").unwrap()
}

fn region() -> Region {
    Region::parse("us-east-1").unwrap()
}

/// The tables of rows as formats 1 to 3 wrote them: `id TEXT PRIMARY KEY` (or `key`), no
/// sequence column.
const TABLES: [(&str, &str); 10] = [
    ("portfolios", "id"),
    ("idempotency", "key"),
    ("share_operations", "id"),
    ("organizations", "id"),
    ("ous", "id"),
    ("members", "id"),
    ("create_requests", "id"),
    ("principals", "id"),
    ("products", "id"),
    ("product_idempotency", "key"),
];

/// Rewrites every table of rows the way formats 1 to 3 kept them, and records `format`.
fn as_format(connection: &rusqlite::Connection, format: &str) {
    for (table, key) in TABLES {
        connection
            .execute_batch(&format!(
                "CREATE TABLE old ({key} TEXT PRIMARY KEY, row TEXT NOT NULL); \
                 INSERT INTO old SELECT {key}, row FROM {table}; DROP TABLE {table}; \
                 ALTER TABLE old RENAME TO {table};"
            ))
            .unwrap();
    }
    connection
        .execute("UPDATE meta SET value = ?1 WHERE key = 'format'", [format])
        .unwrap();
}

fn has_seq_column(connection: &rusqlite::Connection, table: &str) -> bool {
    connection
        .query_row(
            &format!("SELECT count(*) FROM pragma_table_info('{table}') WHERE name = 'seq'"),
            [],
            |r| r.get::<_, i64>(0),
        )
        .unwrap()
        == 1
}

fn new_portfolio(name: &str) -> NewPortfolio {
    NewPortfolio {
        owner: owner(),
        partition: Partition::default(),
        region: region(),
        display_name: name.into(),
        description: None,
        provider_name: "provider".into(),
        tags: vec![],
        created_time: Timestamp::from_epoch_millis(0),
        idempotency_token: Some("token-1".into()),
    }
}

#[test]
fn a_format_3_database_is_rewritten_keyed_by_sequence_and_keeps_every_row() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path()).unwrap();
    let first = store
        .create_portfolio(new_portfolio("first"))
        .unwrap()
        .portfolio;
    let second = store
        .create_portfolio(NewPortfolio {
            idempotency_token: None,
            ..new_portfolio("second")
        })
        .unwrap()
        .portfolio;
    drop(store);

    let file = dir.path().join(DATABASE_FILE);
    {
        let connection = rusqlite::Connection::open(&file).unwrap();
        as_format(&connection, "3");
        assert!(!has_seq_column(&connection, "portfolios"));
    }

    let store = SqliteStore::open(dir.path()).unwrap();
    assert_eq!(store.portfolio(&first.id).unwrap(), Some(first.clone()));
    assert_eq!(store.portfolio(&second.id).unwrap(), Some(second.clone()));
    // The idempotency row came along: the same token answers the same portfolio.
    let again = store.create_portfolio(new_portfolio("first")).unwrap();
    assert_eq!(again.portfolio.id, first.id);
    // Rows written after the migration are found by their keys: an update and a delete.
    let third = store
        .create_portfolio(NewPortfolio {
            idempotency_token: None,
            ..new_portfolio("third")
        })
        .unwrap()
        .portfolio;
    store.delete_portfolio(&second.id).unwrap();
    drop(store);

    let connection = rusqlite::Connection::open(&file).unwrap();
    for (table, _) in TABLES {
        assert!(has_seq_column(&connection, table), "{table} not migrated");
    }
    let format: String = connection
        .query_row("SELECT value FROM meta WHERE key = 'format'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(format, "4");
    let rows: i64 = connection
        .query_row("SELECT count(*) FROM portfolios", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        rows, 2,
        "first and third; second deleted, nothing duplicated"
    );
    drop(connection);
    let store = SqliteStore::open(dir.path()).unwrap();
    assert_eq!(store.portfolio(&first.id).unwrap(), Some(first));
    assert_eq!(store.portfolio(&second.id).unwrap(), None);
    assert_eq!(store.portfolio(&third.id).unwrap(), Some(third));
}

#[test]
fn a_key_found_twice_in_a_table_is_damage_and_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path()).unwrap();
    store.create_portfolio(new_portfolio("only")).unwrap();
    drop(store);
    let file = dir.path().join(DATABASE_FILE);
    rusqlite::Connection::open(&file)
        .unwrap()
        .execute_batch("INSERT INTO portfolios (id, row) SELECT id, row FROM portfolios;")
        .unwrap();
    let error = SqliteStore::open(dir.path()).err().unwrap().to_string();
    assert!(error.contains(DATABASE_FILE), "{error}");
    assert!(error.contains("twice in table `portfolios`"), "{error}");
}

#[test]
fn a_format_2_database_opens_keeps_its_portfolios_and_stores_products_from_then_on() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path()).unwrap();
    let portfolio = store
        .create_portfolio(NewPortfolio {
            idempotency_token: None,
            ..new_portfolio("before products")
        })
        .unwrap()
        .portfolio;
    drop(store);

    // Make it what format 2 wrote: tables keyed by id, no product tables, no `products` in
    // portfolio rows.
    let file = dir.path().join(DATABASE_FILE);
    {
        let connection = rusqlite::Connection::open(&file).unwrap();
        as_format(&connection, "2");
        connection
            .execute_batch("DROP TABLE products; DROP TABLE product_idempotency;")
            .unwrap();
        let row: String = connection
            .query_row("SELECT row FROM portfolios", [], |r| r.get(0))
            .unwrap();
        let mut json: serde_json::Value = serde_json::from_str(&row).unwrap();
        json.as_object_mut().unwrap().remove("products").unwrap();
        connection
            .execute(
                "UPDATE portfolios SET row = ?1",
                [serde_json::to_string(&json).unwrap()],
            )
            .unwrap();
    }

    let store = SqliteStore::open(dir.path()).unwrap();
    assert_eq!(
        store.portfolio(&portfolio.id).unwrap(),
        Some(portfolio.clone())
    );
    let product = store
        .create_product(NewProduct {
            owner: owner(),
            partition: Partition::default(),
            region: region(),
            name: "web".into(),
            product_owner: "me".into(),
            description: None,
            distributor: None,
            support_description: None,
            support_email: None,
            support_url: None,
            product_type: ProductType::CloudFormationTemplate,
            tags: vec![],
            created_time: Timestamp::from_epoch_millis(0),
            provisioning_artifact: None,
            idempotency_token: None,
        })
        .unwrap()
        .product;
    store.associate_product(&product.id, &portfolio.id).unwrap();
    drop(store);

    let format: String = rusqlite::Connection::open(&file)
        .unwrap()
        .query_row("SELECT value FROM meta WHERE key = 'format'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(format, "4");
    let store = SqliteStore::open(dir.path()).unwrap();
    assert_eq!(
        store
            .list_products_for_portfolio(&portfolio.id, PageRequest::all())
            .unwrap()
            .items,
        vec![product.clone()]
    );
    assert_eq!(
        store.delete_portfolio(&portfolio.id).unwrap_err(),
        StoreError::PortfolioHasProducts {
            portfolio: portfolio.id.clone(),
            products: 1
        }
    );
}
