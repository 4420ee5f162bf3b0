//! The conformance suite (`portcullis_store::conformance`) on `PostgresStore`, each store on a
//! fresh database of one throw-away cluster (dropped after the check); and durability: a store
//! closed and connected again to its database holds everything written before and goes on as
//! the model.

mod common;

use portcullis_store::Store;
use portcullis_store::conformance::{self, ReopenableStoreFactory, StoreUnderTest};
use portcullis_store_postgres::PostgresStore;

/// Every operation is a round trip to the database, so the model-based checks run fewer random
/// sequences than on the memory store (`PROPTEST_CASES` overrides this).
const MODEL_CASES: u32 = 32;

/// Stores on fresh databases of the shared cluster.
struct Databases;

/// A database of the shared cluster, dropped with it.
struct Database {
    url: String,
}

impl Drop for Database {
    fn drop(&mut self) {
        if let Some(name) = self.url.rsplit('/').next() {
            let _ = common::shared()
                .admin()
                .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
}

#[expect(
    clippy::unwrap_used,
    reason = "test setup: a store that cannot connect fails the test"
)]
impl ReopenableStoreFactory for Databases {
    type Place = Database;

    fn place(&self) -> Database {
        Database {
            url: common::shared().fresh_database(),
        }
    }

    fn open(&self, place: &Database) -> Box<dyn Store> {
        Box::new(PostgresStore::connect(&place.url).unwrap())
    }
}

portcullis_store::conformance_tests!(
    || StoreUnderTest::opened(&Databases),
    model_cases = MODEL_CASES,
);

#[test]
fn a_reconnected_store_holds_everything_written_and_goes_on_as_the_model() {
    conformance::reopened_store_matches_sequential_model(&Databases, MODEL_CASES);
}

#[test]
fn a_reconnected_store_holds_every_principal_and_never_reuses_a_unique_id() {
    conformance::reopened_principals_match_a_model(&Databases, MODEL_CASES);
}

#[test]
fn a_reconnected_store_holds_every_product_and_its_portfolio_associations() {
    conformance::reopened_store_keeps_products_and_their_associations(&Databases);
}
