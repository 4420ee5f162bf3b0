//! One conformance suite for every [`Store`]: the rules each implementation must keep, as checks
//! any store crate runs against its own store (enabled by this crate's `conformance` feature).
//!
//! - **The sequential model** ([`store_matches_sequential_model`]): random sequences of every
//!   operation, each answer, the whole state after every step and the change feed compared with
//!   a plain `BTreeMap` model.
//! - **Races** ([`iam_pattern_limit_of_10_holds_when_32_threads_race`] and the others): real
//!   threads racing on one store; limits hold at every instant, and the final state equals the
//!   successful calls applied in some sequential order (no successful call lost, no refused call
//!   leaving a trace, one change recorded per successful call).
//! - **The change feed** ([`portfolio_lifecycle_and_associations_record_their_portfolio`] and
//!   the others): which change each operation records, that reads, refusals and repeats record
//!   nothing, and that a reader following the feed while others write misses nothing.
//! - **The directory** ([`an_account_belongs_to_at_most_one_organization`] and the others).
//! - **Products** ([`product_associations_are_idempotent_and_block_deletes_on_both_sides`] and
//!   the others, with [`reopened_store_keeps_products_and_their_associations`] for durable
//!   stores).
//! - **Durability**, for a store that keeps its state somewhere it can be opened again
//!   ([`reopened_store_matches_sequential_model`], not part of [`conformance_tests!`]: a store
//!   crate that persists calls it in a `#[test]` of its own, with a [`ReopenableStoreFactory`]).
//!
//! A store crate runs the suite with [`conformance_tests!`], which
//! expands to one `#[test]` per check, named after the rule it checks:
//!
//! ```
//! // tests/conformance.rs of a store crate: here, this crate's own for `MemoryStore`.
//! use portcullis_store::MemoryStore;
//! use portcullis_store::conformance::StoreUnderTest;
//!
//! portcullis_store::conformance_tests!(
//!     || StoreUnderTest::new(MemoryStore::new()),
//!     model_cases = 1000,
//! );
//! # fn main() {}
//! ```
//!
//! A store that keeps its state in a directory keeps the directory beside it, so that each
//! store gets its own and the directory outlives the store (as `portcullis-store-sqlite` does):
//!
//! ```text
//! portcullis_store::conformance_tests!(
//!     || {
//!         let dir = tempfile::tempdir().unwrap();
//!         let store = SqliteStore::open(dir.path()).unwrap();
//!         StoreUnderTest::keeping(store, dir)
//!     },
//!     model_cases = 64,
//! );
//! ```
//!
//! or, given a [`ReopenableStoreFactory`] that opens a store in a place,
//! `|| StoreUnderTest::opened(&factory)`.
//!
//! A check gets each store it needs from a [`StoreFactory`] (any `Fn() -> StoreUnderTest`): a
//! fresh, empty store, with whatever must outlive it (a temporary directory, a database schema
//! to drop) kept beside it in the [`StoreUnderTest`].
//!
//! What the suite assumes of a store: a fresh one is empty at version 0; its change record
//! reaches back at least 12,000 changes (the feed checks write that many while a reader
//! follows); and it answers no [`StoreError::Unavailable`](crate::StoreError::Unavailable).
//!
//! [`conformance_tests!`]: crate::conformance_tests

#[expect(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "a conformance check is a test: a broken rule panics, naming what broke it"
)]
mod directory;
#[expect(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "a conformance check is a test: a broken rule panics, naming what broke it"
)]
mod feed;
#[expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "a conformance check is a test: a broken rule panics, naming what broke it"
)]
mod model;
#[expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "a conformance check is a test: a broken rule panics, naming what broke it"
)]
mod principals;
#[expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "a conformance check is a test: a broken rule panics, naming what broke it"
)]
mod products;
#[expect(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "a conformance check is a test: a broken rule panics, naming what broke it"
)]
mod races;
#[expect(
    clippy::unwrap_used,
    reason = "a conformance check is a test: a broken rule panics, naming what broke it"
)]
mod reset;

use std::any::Any;
use std::ops::Deref;

use crate::Store;

pub use directory::*;
pub use feed::*;
pub use model::{reopened_store_matches_sequential_model, store_matches_sequential_model};
pub use principals::*;
pub use products::*;
pub use races::*;
pub use reset::*;

/// How many cases [`store_matches_sequential_model`] runs when
/// [`conformance_tests!`](crate::conformance_tests) is not told (proptest's default).
pub const DEFAULT_MODEL_CASES: u32 = 256;

/// A store for one check, with whatever must outlive it: dropped first, before what it keeps
/// (so that a store closes before its temporary directory is removed).
pub struct StoreUnderTest {
    store: Box<dyn Store>,
    _keep: Box<dyn Any + Send + Sync>,
}

impl StoreUnderTest {
    /// A store that needs nothing else.
    pub fn new(store: impl Store + 'static) -> StoreUnderTest {
        StoreUnderTest::keeping(store, ())
    }

    /// A store with something that must live as long as it: a temporary directory, a guard
    /// that drops a database schema.
    pub fn keeping(store: impl Store + 'static, keep: impl Any + Send + Sync) -> StoreUnderTest {
        StoreUnderTest {
            store: Box::new(store),
            _keep: Box::new(keep),
        }
    }

    /// A fresh store from a [`ReopenableStoreFactory`]: a new place, opened, and kept beside the
    /// store.
    pub fn opened<R>(factory: &R) -> StoreUnderTest
    where
        R: ReopenableStoreFactory + ?Sized,
        R::Place: Any + Send + Sync,
    {
        let place = factory.place();
        StoreUnderTest {
            store: factory.open(&place),
            _keep: Box::new(place),
        }
    }
}

impl Deref for StoreUnderTest {
    type Target = dyn Store;

    fn deref(&self) -> &(dyn Store + 'static) {
        &*self.store
    }
}

impl std::fmt::Debug for StoreUnderTest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoreUnderTest")
            .field("version", &self.store.version())
            .finish_non_exhaustive()
    }
}

/// Makes the stores a check runs on: each call a fresh, empty one, independent of every other.
/// Implemented for every `Fn() -> StoreUnderTest`.
pub trait StoreFactory {
    /// A fresh, empty store.
    fn fresh(&self) -> StoreUnderTest;
}

impl<F: Fn() -> StoreUnderTest> StoreFactory for F {
    fn fresh(&self) -> StoreUnderTest {
        self()
    }
}

/// Makes stores that keep their state somewhere they can be opened again (a data directory, a
/// database), for [`reopened_store_matches_sequential_model`].
pub trait ReopenableStoreFactory {
    /// Where a store keeps its state; dropping it removes the state.
    type Place;

    /// A new, empty place.
    fn place(&self) -> Self::Place;

    /// Opens the store kept in `place`. The check drops (closes) one store before it opens the
    /// place again.
    fn open(&self, place: &Self::Place) -> Box<dyn Store>;
}

/// Expands to one `#[test]` per conformance check, each named after the rule it checks and
/// grouped in modules (`model`, `races`, `feed`, `directory`), run on stores from `$factory` (a
/// [`StoreFactory`](crate::conformance::StoreFactory), such as a closure answering a
/// [`StoreUnderTest`](crate::conformance::StoreUnderTest)).
///
/// `model_cases` sets how many random sequences the model-based check runs (default
/// [`DEFAULT_MODEL_CASES`](crate::conformance::DEFAULT_MODEL_CASES)); `PROPTEST_CASES`, when
/// set, overrides it.
///
/// ```
/// use portcullis_store::MemoryStore;
/// use portcullis_store::conformance::StoreUnderTest;
///
/// // `model::store_matches_sequential_model` with 256 cases, `races::...`, `feed::...`, ...
/// portcullis_store::conformance_tests!(|| StoreUnderTest::new(MemoryStore::new()));
/// # fn main() {}
/// ```
#[macro_export]
macro_rules! conformance_tests {
    ($factory:expr $(,)?) => {
        $crate::conformance_tests!(
            $factory,
            model_cases = $crate::conformance::DEFAULT_MODEL_CASES,
        );
    };
    ($factory:expr, model_cases = $cases:expr $(,)?) => {
        fn conformance_factory() -> impl $crate::conformance::StoreFactory {
            $factory
        }

        fn conformance_model_cases() -> u32 {
            $cases
        }

        $crate::conformance_tests!(@module model {
            store_matches_sequential_model(super::conformance_model_cases()),
        });
        $crate::conformance_tests!(@module principals {
            principals_match_a_model(super::conformance_model_cases()),
            racing_creates_of_one_principal_name_create_it_once(),
        });
        $crate::conformance_tests!(@module products {
            products_are_created_read_updated_listed_and_deleted(),
            a_product_idempotency_token_creates_once_per_owner_and_region(),
            product_associations_are_idempotent_and_block_deletes_on_both_sides(),
            reset_removes_products_and_their_associations(),
            racing_deletes_and_associations_never_leave_an_association_with_something_deleted(),
        });
        $crate::conformance_tests!(@module races {
            iam_pattern_limit_of_10_holds_when_32_threads_race(),
            racing_reassociations_of_one_arn_add_it_once(),
            idempotent_reassociation_at_the_limit_is_not_refused_under_races(),
            racing_associate_and_disassociate_leave_a_sequentially_consistent_state(),
            share_limit_holds_when_32_threads_race(),
            racing_creates_of_one_share_create_it_once_with_one_token(),
            racing_share_create_update_delete_leave_a_sequentially_consistent_state(),
            delete_racing_associations_never_swallows_a_successful_association(),
            concurrent_creates_get_distinct_ids_and_are_all_listed_in_creation_order(),
            concurrent_creates_with_one_idempotency_token_make_one_portfolio(),
        });
        $crate::conformance_tests!(@module feed {
            a_new_store_is_at_version_zero_with_nothing_recorded(),
            portfolio_lifecycle_and_associations_record_their_portfolio(),
            shares_and_imports_record_their_portfolio(),
            deleting_the_shares_an_account_created_records_each_portfolio_it_touched(),
            directory_changes_record_placements_and_organization_changes(),
            a_reader_following_the_feed_while_others_write_misses_nothing(),
        });
        $crate::conformance_tests!(@module directory {
            creating_an_organization_makes_the_caller_its_management_account_under_the_root(),
            an_account_belongs_to_at_most_one_organization(),
            ou_names_are_unique_among_siblings_and_parents_must_be_in_the_organization(),
            accounts_under_a_node_are_found_transitively_and_follow_moves(),
            move_account_checks_source_destination_and_duplicates(),
            create_account_completes_at_once_and_refuses_a_known_email(),
            delegated_administrators_block_disabling_service_access(),
            deleting_shares_created_by_an_account_removes_only_those(),
        });
        $crate::conformance_tests!(@module reset {
            reset_removes_everything_at_once_and_records_one_reset_change(),
            resets_racing_writers_leave_the_lists_in_agreement(),
        });
    };
    (@module $module:ident { $($check:ident($($arg:expr)?),)* }) => {
        mod $module {
            $(
                #[test]
                fn $check() {
                    $crate::conformance::$check(&super::conformance_factory() $(, $arg)?);
                }
            )*
        }
    };
}
