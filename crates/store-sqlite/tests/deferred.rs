//! `Acknowledge::Deferred`: a change returns once queued, and `synced_since` answers once it is
//! on disk; a store opened again on the directory holds every change `synced_since` covered.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "tests"
)]

use std::sync::Arc;

use portcullis_model::{AccountId, Partition, Region, Timestamp};
use portcullis_store::{CatalogStore, NewPortfolio};
use portcullis_store_sqlite::{Acknowledge, SqliteStore};

fn new_portfolio(i: usize) -> NewPortfolio {
    NewPortfolio {
        owner: "111111111111".parse::<AccountId>().unwrap(),
        partition: Partition::default(),
        region: Region::parse("us-east-1").unwrap(),
        display_name: format!("portfolio {i}"),
        description: None,
        provider_name: "test".into(),
        tags: vec![],
        created_time: Timestamp::now(),
        idempotency_token: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deferred_changes_are_on_disk_once_synced_since_answers() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(SqliteStore::open_with(dir.path(), Acknowledge::Deferred).unwrap());

    // Many tasks at once, each waiting for its own change as a task, not a thread.
    let tasks: Vec<_> = (0..200)
        .map(|i| {
            let store = Arc::clone(&store);
            tokio::spawn(async move {
                let before = store.horizon();
                let created = store.create_portfolio(new_portfolio(i)).unwrap();
                // Visible at once, before it is synced ...
                assert!(store.portfolio(&created.portfolio.id).unwrap().is_some());
                assert!(store.horizon() > before, "the change was queued");
                // ... and acknowledged only after.
                store.synced_since(before).await.unwrap();
                created.portfolio.id
            })
        })
        .collect();
    let mut ids = Vec::new();
    for task in tasks {
        ids.push(task.await.unwrap());
    }

    // A call that changed nothing waits for nothing new.
    let horizon = store.horizon();
    store.synced_since(horizon).await.unwrap();
    assert_eq!(store.horizon(), horizon);

    // What is on disk now, with the store still open (its writer not told to finish): every
    // acknowledged change.
    let copy = copy_of(dir.path());
    let reopened = SqliteStore::open(copy.path()).unwrap();
    for id in &ids {
        assert!(
            reopened.portfolio(id).unwrap().is_some(),
            "{id} was acknowledged, so it must be on disk"
        );
    }
}

/// A copy of a data directory's database files (not its lock), as a crash would leave them.
fn copy_of(dir: &std::path::Path) -> tempfile::TempDir {
    let copy = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        if entry.file_name() != "portcullis.lock" {
            std::fs::copy(entry.path(), copy.path().join(entry.file_name())).unwrap();
        }
    }
    copy
}

#[test]
fn synced_is_the_default_and_needs_no_wait() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path()).unwrap();
    let id = store
        .create_portfolio(new_portfolio(0))
        .unwrap()
        .portfolio
        .id;
    // With `Acknowledge::Synced` the change was on disk when the call returned.
    let copy = copy_of(dir.path());
    drop(store);
    let copy = SqliteStore::open(copy.path()).unwrap();
    assert!(copy.portfolio(&id).unwrap().is_some());
}
