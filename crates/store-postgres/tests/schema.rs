//! The schema: created at start in one transaction under an advisory lock, its version
//! recorded; nodes starting together migrate once; a newer schema is refused.

mod common;

use std::thread;

use portcullis_store_postgres::{ConnectError, PostgresStore, SCHEMA_VERSION};

/// Every migration, each recorded once: 1 (the catalog and directory), 2 (IAM principals).
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
