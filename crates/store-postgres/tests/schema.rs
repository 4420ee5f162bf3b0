//! The schema: created at start in one transaction under an advisory lock, its version
//! recorded; nodes starting together migrate once; an older schema is migrated with its data
//! kept; a newer schema is refused.

mod common;

use std::thread;

use common::fixtures::*;
use portcullis_matcher::ResourceType;
use portcullis_model::{Partition, PortfolioId, PrincipalId};
use portcullis_store::{
    AssociateOutcome, CatalogStore, ChangeFeed, IamStore, PageRequest, PortfolioRecord,
    PrincipalRecord, ProductStore, StoreError,
};
use portcullis_store_postgres::{ConnectError, PostgresStore, SCHEMA_VERSION};

/// The schema as versions 1 and 2 created it (the files the migrations run).
const V1: &str = include_str!("../src/schema/v1.sql");
const V2: &str = include_str!("../src/schema/v2.sql");

/// Every migration, each recorded once: 1 (the catalog and directory), 2 (IAM principals), 3
/// (products).
fn every_version() -> Vec<i32> {
    (1..=SCHEMA_VERSION).collect()
}

#[expect(
    clippy::unwrap_used,
    reason = "test helper: an unexpected answer fails the test"
)]
fn versions(url: &str) -> Vec<i32> {
    let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
    client
        .query("SELECT version FROM schema_version ORDER BY version", &[])
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect()
}

#[test]
fn the_schema_is_created_at_start_and_its_version_recorded_once() {
    let url = common::shared().fresh_database();
    drop(PostgresStore::connect(&url).unwrap());
    assert_eq!(versions(&url), every_version());
    drop(PostgresStore::connect(&url).unwrap());
    assert_eq!(versions(&url), every_version());
}

#[test]
fn eight_nodes_starting_together_on_an_empty_database_migrate_it_once() {
    let url = common::shared().fresh_database();
    thread::scope(|s| {
        for _ in 0..8 {
            s.spawn(|| PostgresStore::connect(&url).unwrap());
        }
    });
    assert_eq!(versions(&url), every_version());
}

#[test]
fn a_schema_newer_than_this_build_is_refused_and_left_alone() {
    let url = common::shared().fresh_database();
    drop(PostgresStore::connect(&url).unwrap());
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    client
        .batch_execute("INSERT INTO schema_version (version) VALUES (99)")
        .unwrap();
    match PostgresStore::connect(&url) {
        Err(ConnectError::NewerSchema { found, supported }) => {
            assert_eq!((found, supported), (99, SCHEMA_VERSION));
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(
        versions(&url),
        every_version().into_iter().chain([99]).collect::<Vec<_>>()
    );
}

#[test]
fn an_unreachable_database_is_refused_at_start_without_waiting() {
    let started = std::time::Instant::now();
    let refused = PostgresStore::connect("postgres://postgres@127.0.0.1:1/none");
    assert!(matches!(refused, Err(ConnectError::Database(_))));
    assert!(started.elapsed() < std::time::Duration::from_secs(3));
}

#[test]
fn a_url_that_does_not_parse_is_refused() {
    assert!(matches!(
        PostgresStore::connect("postgres://host:notaport/db"),
        Err(ConnectError::Url(_))
    ));
}

/// A database as a portcullis of schema version 2 left it: its tables, its `schema_version`
/// rows, a portfolio with an association, a principal and their changes. Answers the portfolio
/// and the principal.
#[expect(
    clippy::unwrap_used,
    reason = "test helper: an unexpected answer fails the test"
)]
fn version_2_database(url: &str) -> (PortfolioRecord, PrincipalRecord) {
    let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
    client
        .batch_execute(&format!(
            "CREATE TABLE schema_version (
                version integer PRIMARY KEY,
                applied_at timestamptz NOT NULL DEFAULT now()
             );
             {V1}
             INSERT INTO schema_version (version) VALUES (1);
             {V2}
             INSERT INTO schema_version (version) VALUES (2);"
        ))
        .unwrap();
    let portfolio = PortfolioRecord {
        id: PortfolioId::generate(&mut rand::rng()),
        owner: owner(),
        partition: Partition::default(),
        region: region(),
        display_name: "kept".into(),
        description: Some("written by version 2".into()),
        provider_name: "provider".into(),
        tags: vec![],
        created_time: now(),
    };
    let principal = PrincipalRecord {
        id: PrincipalId::generate(&mut rand::rng(), "AIDA"),
        account: owner(),
        principal_type: ResourceType::User,
        path: "/".into(),
        name: "Alice".into(),
        arn: "arn:aws:iam::111111111111:user/Alice".into(),
        created: now(),
        role: None,
        deleted: None,
    };
    let id = portfolio.id.as_str();
    let mut tx = client.transaction().unwrap();
    tx.execute("INSERT INTO portfolio_ids (id) VALUES ($1)", &[&id])
        .unwrap();
    tx.execute(
        "INSERT INTO portfolios (id, seq, owner, region, record)
         VALUES ($1, nextval('list_order'), $2, $3, $4)",
        &[
            &id,
            &owner().as_str(),
            &region().as_str(),
            &postgres::types::Json(&portfolio),
        ],
    )
    .unwrap();
    tx.execute(
        "INSERT INTO associations (portfolio, account, principal_type, arn, seq)
         VALUES ($1, $2, 'IAM_PATTERN', 'arn:aws:iam:::role/Dev*', nextval('list_order'))",
        &[&id, &owner().as_str()],
    )
    .unwrap();
    tx.execute(
        "INSERT INTO principals (id, account, principal_type, name_key, deleted, record)
         VALUES ($1, $2, 'user', 'alice', false, $3)",
        &[
            &principal.id.as_str(),
            &owner().as_str(),
            &postgres::types::Json(&principal),
        ],
    )
    .unwrap();
    tx.execute(
        "INSERT INTO changes (kind, portfolio) VALUES ('PORTFOLIO', $1)",
        &[&id],
    )
    .unwrap();
    tx.execute(
        "INSERT INTO changes (kind, principal) VALUES ('PRINCIPAL', $1)",
        &[&principal.id.as_str()],
    )
    .unwrap();
    tx.commit().unwrap();
    (portfolio, principal)
}

#[test]
fn a_version_2_database_is_migrated_to_3_at_start_with_its_data_kept() {
    let url = common::shared().fresh_database();
    let (portfolio, principal) = version_2_database(&url);
    assert_eq!(versions(&url), vec![1, 2]);

    let store = PostgresStore::connect(&url).unwrap();
    assert_eq!(versions(&url), every_version());
    assert_eq!(store.version(), 0, "what the database held is version 0");
    assert_eq!(
        store.portfolio(&portfolio.id).unwrap(),
        Some(portfolio.clone())
    );
    assert_eq!(
        store
            .list_associations(&portfolio.id, &owner(), PageRequest::all())
            .unwrap()
            .items,
        vec![pattern("arn:aws:iam:::role/Dev*")]
    );
    assert_eq!(
        store.principal_by_id(&principal.id).unwrap(),
        Some(principal.clone())
    );
    assert_eq!(
        store
            .principal(&owner(), ResourceType::User, "ALICE")
            .unwrap(),
        Some(principal)
    );

    // The new tables work with the old rows: a product associated with the kept portfolio
    // blocks its delete, and the association is in the feed.
    let product = create_product(&store, "web");
    assert_eq!(
        store.associate_product(&product, &portfolio.id).unwrap(),
        AssociateOutcome::Added
    );
    assert_eq!(store.version(), 1);
    store
        .disassociate(
            &portfolio.id,
            &owner(),
            portcullis_model::PrincipalType::IamPattern,
            "arn:aws:iam:::role/Dev*",
        )
        .unwrap();
    assert_eq!(
        store.delete_portfolio(&portfolio.id).unwrap_err(),
        StoreError::PortfolioHasProducts {
            portfolio: portfolio.id.clone(),
            products: 1
        }
    );
    assert_eq!(
        store
            .list_products_for_portfolio(&portfolio.id, PageRequest::all())
            .unwrap()
            .items
            .iter()
            .map(|p| p.id.clone())
            .collect::<Vec<_>>(),
        vec![product.clone()]
    );
    drop(store);

    // Connecting again migrates nothing more and finds the product.
    let store = PostgresStore::connect(&url).unwrap();
    assert_eq!(versions(&url), every_version());
    assert_eq!(
        store.product(&product).unwrap().map(|p| p.name),
        Some("web".into())
    );
}

#[test]
fn eight_nodes_starting_together_on_a_version_2_database_migrate_it_once() {
    let url = common::shared().fresh_database();
    let (portfolio, _) = version_2_database(&url);
    thread::scope(|s| {
        for _ in 0..8 {
            s.spawn(|| PostgresStore::connect(&url).unwrap());
        }
    });
    assert_eq!(versions(&url), every_version());
    let store = PostgresStore::connect(&url).unwrap();
    assert_eq!(store.portfolio(&portfolio.id).unwrap(), Some(portfolio));
}
