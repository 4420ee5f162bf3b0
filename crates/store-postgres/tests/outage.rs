//! The database goes away and comes back: calls fail fast with `StoreError::Unavailable` (the
//! service's `InternalFailure`, HTTP 500), never hang; the node serves again as soon as the
//! database is back, on new connections; nothing acknowledged is lost, and the change feed
//! goes on without a gap.

mod common;

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use common::Cluster;
use common::fixtures::*;
use portcullis_model::PortfolioId;
use portcullis_store::{CatalogStore, Change, ChangeFeed, PageRequest, StoreError};
use portcullis_store_postgres::{PostgresOptions, PostgresStore};

/// How long a call may take while the database is down.
const FAST: Duration = Duration::from_secs(3);

#[test]
fn while_the_database_is_down_calls_fail_fast_and_the_node_serves_again_when_it_is_back() {
    // Its own cluster: this test stops it.
    let cluster = Cluster::start();
    let url = cluster.fresh_database();
    let store = PostgresStore::connect(&url).unwrap();
    let first = create(&store, "before");

    let acknowledged: Mutex<Vec<PortfolioId>> = Mutex::new(Vec::new());
    let failed = Mutex::new(0usize);
    let stop = AtomicBool::new(false);
    thread::scope(|s| {
        // Writers throughout: before, during and after the outage.
        for t in 0..4 {
            let (store, acknowledged, failed, stop) = (&store, &acknowledged, &failed, &stop);
            s.spawn(move || {
                let mut i = 0;
                while !stop.load(Ordering::SeqCst) {
                    let started = Instant::now();
                    match store.create_portfolio(new_portfolio(&format!("{t}-{i}"), None)) {
                        Ok(created) => acknowledged.lock().unwrap().push(created.portfolio.id),
                        Err(StoreError::Unavailable(_)) => {
                            assert!(started.elapsed() < FAST, "a write hung");
                            *failed.lock().unwrap() += 1;
                        }
                        Err(e) => panic!("unexpected {e}"),
                    }
                    i += 1;
                    thread::sleep(Duration::from_millis(5));
                }
            });
        }
        thread::sleep(Duration::from_millis(300));
        cluster.stop();

        for _ in 0..5 {
            let started = Instant::now();
            assert!(matches!(
                store.portfolio(&first),
                Err(StoreError::Unavailable(_))
            ));
            assert!(matches!(
                store.changes_since(0),
                Err(StoreError::Unavailable(_))
            ));
            let _ = store.version();
            assert!(started.elapsed() < FAST, "a call hung");
        }

        cluster.restart();
        // Served again at once: a pooled connection found dead is replaced before the call
        // goes on, so not even the first call after the restart fails.
        for _ in 0..20 {
            assert!(store.portfolio(&first).unwrap().is_some());
        }
        thread::sleep(Duration::from_millis(300));
        stop.store(true, Ordering::SeqCst);
    });

    let acknowledged = acknowledged.into_inner().unwrap();
    assert!(*failed.lock().unwrap() > 0, "some writes met the outage");
    assert!(!acknowledged.is_empty());
    // Nothing acknowledged is lost: through this node and through a new one.
    let listed = store
        .list_portfolios(&owner(), &region(), PageRequest::all())
        .unwrap()
        .items;
    let fresh = PostgresStore::connect(&url).unwrap();
    for id in &acknowledged {
        assert!(listed.iter().any(|p| p.id == *id), "{id} lost");
        assert!(fresh.portfolio(id).unwrap().is_some(), "{id} lost");
    }
    // The feed went on across the outage: every acknowledged write is in it, once.
    let changes = store.changes_since(1).unwrap().changes;
    for id in &acknowledged {
        let n = changes
            .iter()
            .filter(|(_, c)| *c == Change::Portfolio(id.clone()))
            .count();
        assert_eq!(n, 1, "{id} in the feed");
    }
}

/// A database that holds a write's lock longer than the statement timeout (a stuck session)
/// fails the write with `Unavailable` after that timeout, not a hang; the write goes through
/// once the lock is released.
#[test]
fn a_write_waiting_on_a_lock_longer_than_the_statement_timeout_fails_instead_of_hanging() {
    let url = common::shared().fresh_database();
    let mut options = PostgresOptions::default();
    options.statement_timeout = Duration::from_millis(500);
    let store = PostgresStore::connect_with(&url, options).unwrap();
    let id = create(&store, "p");
    let mut holder = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let mut stuck = holder.transaction().unwrap();
    stuck
        .execute(
            "SELECT 1 FROM portfolios WHERE id = $1 FOR UPDATE",
            &[&id.as_str()],
        )
        .unwrap();
    let started = Instant::now();
    let refused = store.associate(&id, &owner(), pattern("arn:aws:iam:::role/Dev*"), 10);
    assert!(
        matches!(refused, Err(StoreError::Unavailable(_))),
        "{refused:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(2));
    drop(stuck);
    assert!(
        store
            .associate(&id, &owner(), pattern("arn:aws:iam:::role/Dev*"), 10)
            .is_ok()
    );
}
