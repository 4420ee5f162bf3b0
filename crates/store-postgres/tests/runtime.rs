//! How the server uses the store: connected from an async `main`, called on tokio's blocking
//! pool, and dropped wherever its last handle goes, an async task included. The synchronous
//! client drives each connection with a runtime of its own, which may be neither entered nor
//! dropped on an async runtime's worker thread; the store keeps both off those threads.

mod common;

use std::sync::Arc;

use common::fixtures::*;
use portcullis_store::{CatalogStore, ChangeFeed};
use portcullis_store_postgres::PostgresStore;

#[test]
fn a_store_connects_in_async_code_runs_on_the_blocking_pool_and_drops_anywhere() {
    let url = common::shared().fresh_database();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let store = Arc::new(PostgresStore::connect(&url).unwrap());
        let writer = Arc::clone(&store);
        let id = tokio::task::spawn_blocking(move || create(&*writer, "p"))
            .await
            .unwrap();
        let reader = Arc::clone(&store);
        let (found, version) =
            tokio::task::spawn_blocking(move || (reader.portfolio(&id).unwrap(), reader.version()))
                .await
                .unwrap();
        assert!(found.is_some());
        assert_eq!(version, 1);
        // The last handle, with pooled connections, dropped on a worker thread.
        tokio::spawn(async move { drop(store) }).await.unwrap();
    });
}
