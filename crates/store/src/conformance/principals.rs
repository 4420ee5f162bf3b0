//! The IAM principal directory ([`crate::IamStore`], SPEC §4.4): a model-based check against a
//! plain `BTreeMap` model (names unique per account and type ignoring case, unique ids never
//! reused, deleted principals kept, one change per create and delete, reads and lists exactly
//! the model's), the same across reopening for durable stores, and racing creators of one name.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Barrier;

use portcullis_matcher::{PrincipalArn, ResourceType};
use portcullis_model::{AccountId, PrincipalId, Timestamp};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner, contextualize_config};

use super::{ReopenableStoreFactory, StoreFactory};
use crate::{Change, NewPrincipal, PrincipalRecord, Store, StoreError, principal_id_prefix};

const ACCOUNTS: [&str; 2] = ["111111111111", "222222222222"];
/// Names that collide ignoring case (`Dev`, `DEV`), and a group name as long as IAM allows.
const NAMES: [&str; 4] = ["Dev", "DEV", "ops", "g"];

#[derive(Clone, Debug)]
enum Op {
    Create {
        account: usize,
        principal_type: usize,
        name: usize,
        path: bool,
    },
    Delete {
        account: usize,
        principal_type: usize,
        name: usize,
    },
    Reopen,
}

fn op(reopen: bool) -> BoxedStrategy<Op> {
    let create = (0..2usize, 0..3usize, 0..4usize, any::<bool>()).prop_map(
        |(account, principal_type, name, path)| Op::Create {
            account,
            principal_type,
            name,
            path,
        },
    );
    let delete =
        (0..2usize, 0..3usize, 0..4usize).prop_map(|(account, principal_type, name)| Op::Delete {
            account,
            principal_type,
            name,
        });
    if reopen {
        prop_oneof![5 => create, 3 => delete, 1 => Just(Op::Reopen)].boxed()
    } else {
        prop_oneof![create, delete].boxed()
    }
}

fn acct(i: usize) -> AccountId {
    AccountId::parse(ACCOUNTS[i % 2]).unwrap()
}

fn kind(i: usize) -> ResourceType {
    ResourceType::ALL[i % 3]
}

/// The model: every record ever created, by id; the existing ones by (account, type, name key).
#[derive(Default)]
struct Model {
    records: BTreeMap<PrincipalId, PrincipalRecord>,
    live: BTreeMap<(AccountId, ResourceType, String), PrincipalId>,
}

fn new_principal(account: &AccountId, t: ResourceType, name: &str, path: bool) -> NewPrincipal {
    let path = if path { "/team/" } else { "/" };
    NewPrincipal {
        account: account.clone(),
        principal_type: t,
        path: path.into(),
        name: name.into(),
        arn: format!("arn:aws:iam::{account}:{t}{path}{name}"),
        created: Timestamp::from_epoch_millis(1_000),
        role: None,
    }
}

/// Applies `op` to the store and the model and compares the answers and the change recorded.
fn step(store: &dyn Store, model: &mut Model, op: &Op) {
    let before = store.version();
    let expected_change = match *op {
        Op::Create {
            account,
            principal_type,
            name,
            path,
        } => {
            let (a, t, n) = (acct(account), kind(principal_type), NAMES[name]);
            let key = (a.clone(), t, n.to_ascii_lowercase());
            match store.create_principal(new_principal(&a, t, n, path)) {
                Ok(created) => {
                    assert!(
                        !model.live.contains_key(&key),
                        "created {t} `{n}` in {a} while one of that name exists"
                    );
                    assert_eq!(created.id.prefix(), principal_id_prefix(t));
                    assert!(
                        !model.records.contains_key(&created.id),
                        "unique id {} handed out twice",
                        created.id
                    );
                    assert_eq!(created.deleted, None);
                    assert_eq!((created.name.as_str(), &created.account), (n, &a));
                    model.live.insert(key, created.id.clone());
                    model.records.insert(created.id.clone(), created.clone());
                    Some(Change::Principal(created.id))
                }
                Err(StoreError::PrincipalExists { .. }) => {
                    assert!(model.live.contains_key(&key), "refused a free name `{n}`");
                    None
                }
                Err(e) => panic!("create_principal: {e}"),
            }
        }
        Op::Delete {
            account,
            principal_type,
            name,
        } => {
            let (a, t, n) = (acct(account), kind(principal_type), NAMES[name]);
            let key = (a.clone(), t, n.to_ascii_lowercase());
            let now = Timestamp::from_epoch_millis(2_000);
            match store.delete_principal(&a, t, n, now) {
                Ok(deleted) => {
                    let id = model
                        .live
                        .remove(&key)
                        .expect("deleted a principal that is absent");
                    assert_eq!(deleted.id, id);
                    assert_eq!(deleted.deleted, Some(now));
                    model.records.insert(id.clone(), deleted);
                    Some(Change::Principal(id))
                }
                Err(StoreError::PrincipalNotFound { .. }) => {
                    assert!(!model.live.contains_key(&key), "missed an existing `{n}`");
                    None
                }
                Err(e) => panic!("delete_principal: {e}"),
            }
        }
        Op::Reopen => None,
    };
    let changes = store.changes_since(before).unwrap();
    let recorded: Vec<Change> = changes.changes.into_iter().map(|(_, c)| c).collect();
    assert_eq!(recorded, expected_change.into_iter().collect::<Vec<_>>());
    check(store, model);
}

/// Every read of the store agrees with the model.
fn check(store: &dyn Store, model: &Model) {
    for (id, record) in &model.records {
        assert_eq!(store.principal_by_id(id).unwrap().as_ref(), Some(record));
        // By ARN: the existing principal that holds it, if any.
        let arn = PrincipalArn::parse(&record.arn).unwrap();
        let holder = model
            .records
            .values()
            .find(|r| r.exists() && r.arn == record.arn)
            .map(|r| r.id.clone());
        assert_eq!(
            store.principal_id_by_arn(&arn).unwrap(),
            holder,
            "{}",
            record.arn
        );
    }
    for account in 0..2 {
        let a = acct(account);
        for t in ResourceType::ALL {
            let expected: Vec<&PrincipalRecord> = model
                .live
                .iter()
                .filter(|((ma, mt, _), _)| *ma == a && *mt == t)
                .filter_map(|(_, id)| model.records.get(id))
                .collect();
            let listed = store.list_principals(&a, Some(t)).unwrap();
            assert_eq!(listed.iter().collect::<Vec<_>>(), expected);
            for name in NAMES {
                let key = (a.clone(), t, name.to_ascii_lowercase());
                let found = store.principal(&a, t, name).unwrap();
                assert_eq!(
                    found.as_ref(),
                    model.live.get(&key).and_then(|id| model.records.get(id))
                );
            }
        }
        let all = store.list_principals(&a, None).unwrap();
        let ordered: Vec<(ResourceType, String)> = all
            .iter()
            .map(|p| (p.principal_type, p.name.to_ascii_lowercase()))
            .collect();
        let mut sorted = ordered.clone();
        sorted.sort();
        assert_eq!(ordered, sorted, "list_principals orders by type, then name");
    }
}

fn run_cases(cases: u32, reopen: bool, check_case: impl Fn(&Vec<Op>)) {
    let mut config = contextualize_config(Config::with_cases(cases));
    config.failure_persistence = None;
    let mut runner = TestRunner::new(config);
    let outcome = runner.run(&vec(op(reopen), 1..40), |ops| {
        check_case(&ops);
        Ok(())
    });
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
}

/// Random creates and deletes of principals, against the model. `PROPTEST_CASES`, when set,
/// overrides `cases`.
pub fn principals_match_a_model<F: StoreFactory + ?Sized>(factory: &F, cases: u32) {
    run_cases(cases, false, |ops| {
        let store = factory.fresh();
        let mut model = Model::default();
        for op in ops {
            step(&*store, &mut model, op);
        }
    });
}

/// [`principals_match_a_model`] with the store closed and opened again now and then, and after
/// the last step: every principal (deleted ones included) is still there, and no unique id is
/// handed out again.
pub fn reopened_principals_match_a_model<F: ReopenableStoreFactory + ?Sized>(
    factory: &F,
    cases: u32,
) {
    run_cases(cases, true, |ops| {
        let place = factory.place();
        let mut store = factory.open(&place);
        let mut model = Model::default();
        for op in ops.iter().chain([&Op::Reopen]) {
            if let Op::Reopen = op {
                drop(store);
                store = factory.open(&place);
                check(&*store, &model);
            } else {
                step(&*store, &mut model, op);
            }
        }
    });
}

/// 32 threads creating the same name (in different cases) create it once.
pub fn racing_creates_of_one_principal_name_create_it_once<F: StoreFactory + ?Sized>(factory: &F) {
    let fresh = factory.fresh();
    let store: &dyn Store = &*fresh;
    let barrier = Barrier::new(32);
    let account = acct(0);
    let outcomes: Vec<_> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..32)
            .map(|i| {
                let (barrier, account) = (&barrier, &account);
                s.spawn(move || {
                    let name = if i % 2 == 0 { "Racer" } else { "RACER" };
                    barrier.wait();
                    store.create_principal(new_principal(account, ResourceType::Role, name, false))
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let created: BTreeSet<PrincipalId> = outcomes
        .iter()
        .filter_map(|o| o.as_ref().ok().map(|p| p.id.clone()))
        .collect();
    assert_eq!(created.len(), 1, "{outcomes:?}");
    assert!(
        outcomes
            .iter()
            .all(|o| matches!(o, Ok(_) | Err(StoreError::PrincipalExists { .. })))
    );
    assert_eq!(
        store
            .list_principals(&account, Some(ResourceType::Role))
            .unwrap()
            .len(),
        1
    );
}
