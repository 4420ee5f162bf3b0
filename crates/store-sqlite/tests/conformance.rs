//! The conformance suite (`portcullis_store::conformance`) on `SqliteStore`, each store in a
//! fresh temporary data directory; and durability: a store closed and opened again on its
//! directory holds everything written before and goes on as the model.

use portcullis_store::Store;
use portcullis_store::conformance::{self, ReopenableStoreFactory, StoreUnderTest};
use portcullis_store_sqlite::SqliteStore;
use tempfile::TempDir;

/// Every change is synced to disk before it is acknowledged, so the model-based checks run fewer
/// random sequences than on the memory store (`PROPTEST_CASES` overrides this).
const MODEL_CASES: u32 = 64;

/// Stores in temporary data directories.
struct DataDirectory;

#[expect(
    clippy::unwrap_used,
    reason = "test setup: a directory or store that cannot be opened fails the test"
)]
impl ReopenableStoreFactory for DataDirectory {
    type Place = TempDir;

    fn place(&self) -> TempDir {
        tempfile::tempdir().unwrap()
    }

    fn open(&self, place: &TempDir) -> Box<dyn Store> {
        Box::new(SqliteStore::open(place.path()).unwrap())
    }
}

portcullis_store::conformance_tests!(
    || StoreUnderTest::opened(&DataDirectory),
    model_cases = MODEL_CASES,
);

#[test]
fn a_reopened_store_holds_everything_written_and_goes_on_as_the_model() {
    conformance::reopened_store_matches_sequential_model(&DataDirectory, MODEL_CASES);
}

#[test]
fn a_reopened_store_holds_every_principal_and_never_reuses_a_unique_id() {
    conformance::reopened_principals_match_a_model(&DataDirectory, MODEL_CASES);
}

#[test]
fn a_reopened_store_holds_every_product_and_its_portfolio_associations() {
    conformance::reopened_store_keeps_products_and_their_associations(&DataDirectory);
}
