//! Model-based property check: random operation sequences applied to the store under test and to
//! a plain sequential model built on `BTreeMap`s and `Vec`s must give identical results at every
//! step, leave identical state (every portfolio's snapshot and the whole organization directory
//! compared after every step) and record identical changes: after every step the store's
//! `changes_since` the previous version is exactly the list of `Change`s the model expects,
//! under consecutive versions, and it is empty exactly when the model's state did not change.
//!
//! The store generates ids and tokens at random; the model learns each one from the store's
//! answer, checking that it is fresh, so every later comparison is exact.

mod ops;
mod sequential;
mod store;
mod view;

use std::collections::BTreeSet;

use proptest::collection::vec;
use proptest::strategy::Strategy;
use proptest::test_runner::{Config, TestRunner, contextualize_config};

use portcullis_model::PortfolioId;

use super::{ReopenableStoreFactory, StoreFactory};
use crate::{Change, Changes, CreatedPortfolio, PageRequest, Store};
use ops::{Op, Out, account, import_kind, op_or_reopen_strategy, op_strategy, region};
use sequential::{Model, ModelPortfolio};
use store::{apply, check_directory, pick};

/// The longest operation sequence a case runs.
const MAX_STEPS: usize = 80;

/// The model-based check, `cases` random sequences of up to 80 operations, each on a fresh store
/// from `factory`: every answer, the whole state after every step (every portfolio's snapshot,
/// every share operation, the whole organization directory) and the change feed equal the
/// sequential model's. `PROPTEST_CASES`, when set, overrides `cases`.
pub fn store_matches_sequential_model(factory: &dyn StoreFactory, cases: u32) {
    run_cases(cases, vec(op_strategy(), 1..MAX_STEPS), |ops| {
        let store = factory.fresh();
        let mut run = Run::new(&*store);
        for (step, op) in ops.iter().enumerate() {
            run.step(&*store, step, op);
        }
        run.finish(&*store);
    });
}

/// The model-based check on a store that keeps its state somewhere it can be opened again:
/// about once in 25 steps, and always after the last, the store is closed and opened again on
/// the same place. The reopened store must answer every read as before it was closed
/// (every portfolio snapshot, every list with its pages and positions, every share operation,
/// the whole directory), still hold every idempotency token, never hand out a deleted
/// portfolio's id again, and go on exactly as the model. Its version may start again anywhere:
/// the change feed is checked from the version it reports after opening. `PROPTEST_CASES`, when
/// set, overrides `cases`.
pub fn reopened_store_matches_sequential_model<F>(factory: &F, cases: u32)
where
    F: ReopenableStoreFactory + ?Sized,
{
    run_cases(cases, vec(op_or_reopen_strategy(), 1..MAX_STEPS), |ops| {
        let place = factory.place();
        let mut store = factory.open(&place);
        let mut run = Run::new(&*store);
        let mut step = 0;
        for op in ops.iter().chain([&Op::Reopen]) {
            if let Op::Reopen = op {
                let before = view::read(&*store, &run);
                // Closed before it is opened again: a store may hold its place exclusively.
                drop(store);
                store = factory.open(&place);
                let after = view::read(&*store, &run);
                view::assert_same(&before, &after, step);
                run.reopened(&*store, &mut step);
            } else {
                run.step(&*store, step, op);
                step += 1;
            }
        }
        run.finish(&*store);
        // A new portfolio after the last reopening: its id must be fresh, deleted ids included.
        let create = Op::Create {
            owner: 0,
            region: 0,
            token: None,
            tags: vec![],
        };
        run.step(&*store, step, &create);
    });
}

/// Runs `check` on `cases` values of `strategy`, shrinking a failure to a minimal sequence.
fn run_cases<S: Strategy>(cases: u32, strategy: S, check: impl Fn(&S::Value)) {
    // As `proptest!` does: the environment (`PROPTEST_CASES`, ...) overrides the given count.
    let mut config = contextualize_config(Config::with_cases(cases));
    // A failure is reported with its minimal input; there is no source file to keep it beside.
    config.failure_persistence = None;
    let mut runner = TestRunner::new(config);
    let outcome = runner.run(&strategy, |value| {
        check(&value);
        Ok(())
    });
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
}

/// The changes with versions `from + 1 ..`, as the store should answer them.
fn versioned(from: u64, changes: &[Change]) -> Vec<(u64, Change)> {
    changes
        .iter()
        .enumerate()
        .map(|(i, c)| (from + 1 + i as u64, c.clone()))
        .collect()
}

/// One sequence in progress: the model and what it has learned of the store.
struct Run {
    model: Model,
    /// Every portfolio id created so far, deleted ones included, in creation order.
    ids: Vec<PortfolioId>,
    /// The same, to find a reused id.
    ever: BTreeSet<PortfolioId>,
    /// The store's version when the model's record of changes (`model.log`) starts: 0 for a
    /// fresh store, whatever it reports after a reopening.
    base: u64,
}

impl Run {
    fn new(store: &dyn Store) -> Run {
        assert_eq!(store.version(), 0, "a fresh store starts at version 0");
        Run {
            model: Model::default(),
            ids: Vec::new(),
            ever: BTreeSet::new(),
            base: 0,
        }
    }

    /// The version the store must be at.
    fn version(&self) -> u64 {
        self.base + self.model.log.len() as u64
    }

    /// Applies `op` to the store and to the model and compares the answers, the change feed
    /// and the whole state.
    fn step(&mut self, store: &dyn Store, step: usize, op: &Op) {
        let model = &mut self.model;
        let id = pick(&self.ids, op);
        let before = model.clone();
        let version = store.version();
        assert_eq!(version, self.base + model.log.len() as u64, "step {step}");
        let real = apply(store, op, &id, &model.directory);
        let expected = model.apply(op, &id, &real);
        assert_eq!(real, expected, "step {step}: {op:?}");
        if let Out::Created(CreatedPortfolio {
            portfolio,
            created: true,
        }) = &real
        {
            assert!(
                self.ever.insert(portfolio.id.clone()),
                "portfolio id {} reused",
                portfolio.id
            );
            self.ids.push(portfolio.id.clone());
        }

        // The change feed: exactly the expected changes, under the next versions.
        let recorded = &model.log[before.log.len()..];
        let changed = {
            let mut after = model.clone();
            after.log.clone_from(&before.log);
            after != before
        };
        if matches!(op, Op::DeleteSharesCreatedBy { .. }) {
            // One change per share removed.
            assert_eq!(changed, !recorded.is_empty(), "step {step}: {op:?}");
        } else {
            assert_eq!(
                recorded.len(),
                usize::from(changed),
                "step {step}: one change exactly when the state changes: {op:?}"
            );
        }
        assert_eq!(
            store.changes_since(version),
            Ok(Changes {
                version: self.base + model.log.len() as u64,
                changes: versioned(version, recorded),
            }),
            "step {step}: the changes {op:?} recorded"
        );
        assert_eq!(store.version(), self.version(), "step {step}");
        self.check_state(store, step, op);
    }

    /// Every portfolio's snapshot, every share operation and the whole directory equal the
    /// model's.
    fn check_state(&self, store: &dyn Store, step: usize, op: &Op) {
        let model = &self.model;
        for id in &self.ids {
            assert_eq!(
                store.portfolio_snapshot(id).unwrap(),
                model.portfolios.get(id).map(ModelPortfolio::snapshot),
                "step {step}: state of {id} after {op:?}"
            );
        }
        for (token, operation) in &model.operations {
            assert_eq!(
                store.share_operation(token).unwrap().as_ref(),
                Some(operation),
                "step {step}: share operation {token} after {op:?}"
            );
        }
        check_directory(store, &model.directory, step, op);
    }

    /// After the store was opened again: its state and every list equal the model's, the
    /// change feed goes on from the version it reports, and every idempotency token still
    /// answers its first creation.
    fn reopened(&mut self, store: &dyn Store, step: &mut usize) {
        let reopen = Op::Reopen;
        self.base = store.version();
        self.model.log.clear();
        assert_eq!(
            store.changes_since(self.base),
            Ok(Changes {
                version: self.base,
                changes: vec![],
            }),
            "step {step}: a reopened store reports no change after its own version"
        );
        self.check_state(store, *step, &reopen);
        self.check_lists(store, *step);
        // Every token the model knows, created again: nothing is created and nothing changes.
        for owner in 0..3 {
            for r in 0..2 {
                for t in 0..2 {
                    let key = (account(owner), region(r), format!("token-{t}"));
                    if self.model.idempotency.contains_key(&key) {
                        let create = Op::Create {
                            owner,
                            region: r,
                            token: Some(t),
                            tags: vec![],
                        };
                        let version = store.version();
                        self.step(store, *step, &create);
                        assert_eq!(store.version(), version, "step {step}: {create:?}");
                        *step += 1;
                    }
                }
            }
        }
    }

    /// Every owner's portfolios and every recipient's imports, in the model's order.
    fn check_lists(&self, store: &dyn Store, step: usize) {
        for a in 0..3 {
            for r in 0..2 {
                assert_eq!(
                    store
                        .list_portfolios(&account(a), &region(r), PageRequest::all())
                        .unwrap()
                        .items,
                    self.model.list(&account(a), &region(r)),
                    "step {step}: portfolios of {} in {}",
                    account(a),
                    region(r)
                );
                for organization in [false, true] {
                    let kind = import_kind(organization);
                    let imports: Vec<_> = store
                        .list_imports(&account(a), &region(r), kind)
                        .unwrap()
                        .into_iter()
                        .map(|(_, record)| record)
                        .collect();
                    assert_eq!(
                        imports,
                        self.model.imports(&account(a), &region(r), kind),
                        "step {step}: {kind:?} imports of {} in {}",
                        account(a),
                        region(r)
                    );
                }
            }
        }
    }

    /// At the end of a sequence: `for_each_portfolio` visits every live portfolio in creation
    /// order, and the whole record of changes since `base` is the model's.
    fn finish(&self, store: &dyn Store) {
        let model = &self.model;
        let mut seen = Vec::new();
        store.for_each_portfolio(&mut |s| seen.push(s)).unwrap();
        let mut expected: Vec<_> = model.portfolios.values().collect();
        expected.sort_by_key(|p| p.seq);
        let expected: Vec<_> = expected.into_iter().map(ModelPortfolio::snapshot).collect();
        assert_eq!(
            seen, expected,
            "for_each_portfolio visits every live portfolio in creation order"
        );
        assert_eq!(
            store.changes_since(self.base).map(|c| c.changes),
            Ok(versioned(self.base, &model.log)),
            "the whole record, from the start"
        );
    }
}
