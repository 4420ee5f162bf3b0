//! The conformance suite (`portcullis_store::conformance`) on `MemoryStore`: one test per rule,
//! the model-based check with 1,000 random sequences.

use portcullis_store::MemoryStore;
use portcullis_store::conformance::StoreUnderTest;

portcullis_store::conformance_tests!(
    || StoreUnderTest::new(MemoryStore::new()),
    model_cases = 1000,
);
