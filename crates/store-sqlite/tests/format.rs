//! The database format: a database written before products existed (format 2: no `products`
//! or `product_idempotency` table, portfolio rows without products) opens, keeps everything,
//! is brought to format 3, and stores products from then on.

use portcullis_model::{AccountId, Partition, ProductType, Region, Timestamp};
use portcullis_store::{
    CatalogStore, NewPortfolio, NewProduct, PageRequest, ProductStore, StoreError,
};
use portcullis_store_sqlite::{DATABASE_FILE, SqliteStore};

#[expect(clippy::unwrap_used, reason = "a constant that parses")]
fn owner() -> AccountId {
    AccountId::parse("111111111111").unwrap()
}

#[expect(clippy::unwrap_used, reason = "a constant that parses")]
fn region() -> Region {
    Region::parse("us-east-1").unwrap()
}

#[test]
fn a_format_2_database_opens_keeps_its_portfolios_and_stores_products_from_then_on() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path()).unwrap();
    let portfolio = store
        .create_portfolio(NewPortfolio {
            owner: owner(),
            partition: Partition::default(),
            region: region(),
            display_name: "before products".into(),
            description: None,
            provider_name: "provider".into(),
            tags: vec![],
            created_time: Timestamp::from_epoch_millis(0),
            idempotency_token: None,
        })
        .unwrap()
        .portfolio;
    drop(store);

    // Make it what format 2 wrote: no product tables, no `products` in portfolio rows.
    let file = dir.path().join(DATABASE_FILE);
    {
        let connection = rusqlite::Connection::open(&file).unwrap();
        connection
            .execute_batch(
                "DROP TABLE products; DROP TABLE product_idempotency; \
                 UPDATE meta SET value = '2' WHERE key = 'format';",
            )
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
    assert_eq!(format, "3");
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
