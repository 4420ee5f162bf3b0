//! Concurrency stress with real threads: limits hold under races, and the final state equals
//! applying the successful calls in some sequential order (no successful call is lost, no refused
//! call leaves a trace).
//!
//! The linearizability check per key: a successful add happens only when the key is absent and a
//! successful remove only when it is present, so in any sequential order the successful calls on
//! one key alternate add, remove, add, ... Hence `adds - removes` is 0 or 1 and equals whether the
//! key is present at the end. `ChangeFeed::version` moves by one per successful change, so its
//! final value counts every successful call, and `changes_since` lists one change for each.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier, Mutex};
use std::thread;

use portcullis_matcher::{PrincipalArn, PrincipalPattern};
use portcullis_model::{
    AccountId, OrganizationId, Partition, PortfolioId, PrincipalType, Region, Timestamp,
};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::StoreFactory;
use crate::{
    AssociateOutcome, Association, Change, CreatedPortfolio, CreatedShare, LimitKind, NewPortfolio,
    NewShare, PageRequest, ShareOperationKind, ShareTarget, ShareUpdate, Store, StoreError,
};

fn owner() -> AccountId {
    AccountId::parse("123456789012").unwrap()
}

fn new_portfolio(store: &dyn Store) -> PortfolioId {
    store
        .create_portfolio(NewPortfolio {
            owner: owner(),
            partition: Partition::default(),
            region: Region::parse("us-east-1").unwrap(),
            display_name: "p".into(),
            description: None,
            provider_name: "provider".into(),
            tags: vec![],
            created_time: Timestamp::from_epoch_millis(0),
            idempotency_token: None,
        })
        .unwrap()
        .portfolio
        .id
}

/// The service's limits: AWS's 10 `IAM_PATTERN` associations, the project's 1,000 `IAM` ones.
const MAX_PATTERNS: usize = 10;
const MAX_IAM: usize = 1000;

fn limit(principal_type: PrincipalType) -> usize {
    match principal_type {
        PrincipalType::IamPattern => MAX_PATTERNS,
        PrincipalType::Iam => MAX_IAM,
    }
}

fn pattern(i: usize) -> Association {
    Association::Pattern(Arc::new(
        PrincipalPattern::parse(&format!("arn:aws:iam:::role/team-{i}/*")).unwrap(),
    ))
}

fn iam(i: usize) -> Association {
    Association::Iam(PrincipalArn::parse(&format!("arn:aws:iam::123456789012:role/r{i}")).unwrap())
}

/// An association's identity: its type and ARN.
fn key(association: &Association) -> String {
    format!("{}|{}", association.principal_type(), association.arn())
}

fn all_associations(store: &dyn Store, id: &PortfolioId) -> Vec<Association> {
    store
        .list_associations(id, &owner(), PageRequest::all())
        .map(|p| p.items)
        .unwrap_or_default()
}

/// The changes recorded after `version`: they must be contiguous, each a change of `id`.
fn portfolio_changes_since(store: &dyn Store, version: u64, id: &PortfolioId) -> u64 {
    let changes = store.changes_since(version).unwrap();
    assert_eq!(changes.version, store.version());
    for (i, (v, change)) in changes.changes.iter().enumerate() {
        assert_eq!(*v, version + 1 + i as u64, "versions have no holes");
        assert_eq!(change, &Change::Portfolio(id.clone()));
    }
    changes.changes.len() as u64
}

/// The limit of 10 `IAM_PATTERN` associations holds when 32 threads associate different
/// patterns at once: exactly 10 succeed, the other 22 are refused, and one change is recorded per
/// success (20 rounds).
pub fn iam_pattern_limit_of_10_holds_when_32_threads_race(factory: &dyn StoreFactory) {
    let store = &*factory.fresh();
    for round in 0..20 {
        let id = new_portfolio(store);
        let version = store.version();
        let barrier = Barrier::new(32);
        let results: Vec<_> = thread::scope(|s| {
            let handles: Vec<_> = (0..32)
                .map(|i| {
                    let (id, barrier) = (&id, &barrier);
                    s.spawn(move || {
                        barrier.wait();
                        store.associate(id, &owner(), pattern(i), MAX_PATTERNS)
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let added = results
            .iter()
            .filter(|r| **r == Ok(AssociateOutcome::Added))
            .count();
        let refused = results
            .iter()
            .filter(|r| {
                **r == Err(StoreError::LimitExceeded {
                    kind: LimitKind::IamPatternAssociations,
                    limit: MAX_PATTERNS,
                })
            })
            .count();
        assert_eq!(added, 10, "round {round}: exactly 10 successes");
        assert_eq!(
            refused, 22,
            "round {round}: every other call is LimitExceeded"
        );
        assert_eq!(all_associations(store, &id).len(), 10, "round {round}");
        assert_eq!(
            portfolio_changes_since(store, version, &id),
            10,
            "round {round}: one change per association added, none for the refusals"
        );
    }
}

/// 32 threads associating the same pattern at once add it once: one `Added`, 31
/// `AlreadyPresent`, one change.
pub fn racing_reassociations_of_one_arn_add_it_once(factory: &dyn StoreFactory) {
    let store = &*factory.fresh();
    let id = new_portfolio(store);
    let version = store.version();
    let barrier = Barrier::new(32);
    let results: Vec<_> = thread::scope(|s| {
        let handles: Vec<_> = (0..32)
            .map(|_| {
                let (id, barrier) = (&id, &barrier);
                s.spawn(move || {
                    barrier.wait();
                    store.associate(id, &owner(), pattern(0), MAX_PATTERNS)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let added = results
        .iter()
        .filter(|r| **r == Ok(AssociateOutcome::Added))
        .count();
    let present = results
        .iter()
        .filter(|r| **r == Ok(AssociateOutcome::AlreadyPresent))
        .count();
    assert_eq!((added, present), (1, 31));
    assert_eq!(all_associations(store, &id), vec![pattern(0)]);
    assert_eq!(portfolio_changes_since(store, version, &id), 1);
}

/// At the limit, re-associating a pattern already there is `AlreadyPresent`, never refused,
/// while new patterns racing beside it are refused; neither records a change.
pub fn idempotent_reassociation_at_the_limit_is_not_refused_under_races(
    factory: &dyn StoreFactory,
) {
    let store = &*factory.fresh();
    let id = new_portfolio(store);
    for i in 0..10 {
        store
            .associate(&id, &owner(), pattern(i), MAX_PATTERNS)
            .unwrap();
    }
    let version = store.version();
    let barrier = Barrier::new(32);
    let results: Vec<_> = thread::scope(|s| {
        let handles: Vec<_> = (0..32)
            .map(|i| {
                let (id, barrier) = (&id, &barrier);
                s.spawn(move || {
                    barrier.wait();
                    // Even threads re-associate an existing pattern, odd ones try a new one.
                    let arn = if i % 2 == 0 {
                        pattern(i % 10)
                    } else {
                        pattern(100 + i)
                    };
                    let r = store.associate(id, &owner(), arn, MAX_PATTERNS);
                    (i, r)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for (i, r) in results {
        if i % 2 == 0 {
            assert_eq!(r, Ok(AssociateOutcome::AlreadyPresent), "thread {i}");
        } else {
            assert!(
                matches!(r, Err(StoreError::LimitExceeded { .. })),
                "thread {i}: {r:?}"
            );
        }
    }
    assert_eq!(all_associations(store, &id).len(), 10);
    assert_eq!(
        portfolio_changes_since(store, version, &id),
        0,
        "repeats and refusals record nothing"
    );
}

/// Per-key tally of successful calls.
#[derive(Default)]
struct Tally {
    adds: BTreeMap<String, i64>,
    removes: BTreeMap<String, i64>,
    changes: u64,
}

impl Tally {
    fn merge(&mut self, other: Tally) {
        for (k, n) in other.adds {
            *self.adds.entry(k).or_default() += n;
        }
        for (k, n) in other.removes {
            *self.removes.entry(k).or_default() += n;
        }
        self.changes += other.changes;
    }

    fn add(&mut self, key: String) {
        *self.adds.entry(key).or_default() += 1;
        self.changes += 1;
    }

    fn remove(&mut self, key: String) {
        *self.removes.entry(key).or_default() += 1;
        self.changes += 1;
    }

    /// Checks that successful adds and removes alternate per key and match `present`.
    fn check_against(&self, present: &[String]) {
        let mut keys: Vec<&String> = self.adds.keys().chain(self.removes.keys()).collect();
        keys.sort();
        keys.dedup();
        for key in keys {
            let net = self.adds.get(key).copied().unwrap_or(0)
                - self.removes.get(key).copied().unwrap_or(0);
            assert!(net == 0 || net == 1, "`{key}`: adds - removes = {net}");
            assert_eq!(
                net == 1,
                present.contains(key),
                "`{key}`: presence disagrees with the successful calls"
            );
        }
        for key in present {
            assert!(
                self.adds.contains_key(key),
                "`{key}` present but never added"
            );
        }
    }
}

/// 16 threads associating and disassociating at random leave the state their successful calls
/// make in some sequential order; no reader ever sees more than 10 patterns; one change is
/// recorded per successful call.
pub fn racing_associate_and_disassociate_leave_a_sequentially_consistent_state(
    factory: &dyn StoreFactory,
) {
    let store = &*factory.fresh();
    let id = new_portfolio(store);
    let version = store.version();
    let done = AtomicBool::new(false);
    let tally = Mutex::new(Tally::default());
    thread::scope(|s| {
        // A watcher: at no instant does any reader see more than 10 patterns.
        s.spawn(|| {
            while !done.load(Ordering::Relaxed) {
                let patterns = all_associations(store, &id)
                    .iter()
                    .filter(|a| a.principal_type() == PrincipalType::IamPattern)
                    .count();
                assert!(patterns <= 10, "a reader saw {patterns} patterns");
            }
        });
        let workers: Vec<_> = (0..16u64)
            .map(|t| {
                let (id, tally) = (&id, &tally);
                s.spawn(move || {
                    let mut rng = StdRng::seed_from_u64(t);
                    let mut mine = Tally::default();
                    for _ in 0..2000 {
                        let association = if rng.random_bool(0.5) {
                            pattern(rng.random_range(0..16))
                        } else {
                            iam(rng.random_range(0..16))
                        };
                        let key = key(&association);
                        let (ty, arn) =
                            (association.principal_type(), association.arn().to_owned());
                        if rng.random_bool(0.6) {
                            match store.associate(id, &owner(), association, limit(ty)) {
                                Ok(AssociateOutcome::Added) => mine.add(key),
                                Ok(AssociateOutcome::AlreadyPresent) => {}
                                Err(StoreError::LimitExceeded { .. }) => {}
                                Err(e) => panic!("unexpected {e}"),
                            }
                        } else {
                            match store.disassociate(id, &owner(), ty, &arn) {
                                Ok(()) => mine.remove(key),
                                Err(StoreError::AssociationNotFound { .. }) => {}
                                Err(e) => panic!("unexpected {e}"),
                            }
                        }
                    }
                    tally.lock().unwrap().merge(mine);
                })
            })
            .collect();
        for w in workers {
            w.join().unwrap();
        }
        done.store(true, Ordering::Relaxed);
    });
    let tally = tally.into_inner().unwrap();
    let present: Vec<String> = all_associations(store, &id).iter().map(key).collect();
    tally.check_against(&present);
    assert!(
        present
            .iter()
            .filter(|k| k.starts_with("IAM_PATTERN|"))
            .count()
            <= 10
    );
    assert_eq!(
        store.version() - version,
        tally.changes,
        "every successful call, and only those, changed the state once"
    );
    assert_eq!(
        portfolio_changes_since(store, version, &id),
        tally.changes,
        "and recorded one change of the portfolio"
    );
}

fn account_target(i: usize) -> ShareTarget {
    ShareTarget::Account(AccountId::parse(&format!("{:012}", 100_000 + i)).unwrap())
}

/// The share limit holds when 32 threads share one portfolio with different accounts at once:
/// exactly 10 shares are created and 22 calls refused.
pub fn share_limit_holds_when_32_threads_race(factory: &dyn StoreFactory) {
    let store = &*factory.fresh();
    let id = new_portfolio(store);
    let barrier = Barrier::new(32);
    let results: Vec<_> = thread::scope(|s| {
        let handles: Vec<_> = (0..32)
            .map(|i| {
                let (id, barrier) = (&id, &barrier);
                s.spawn(move || {
                    barrier.wait();
                    store.create_share(
                        id,
                        NewShare {
                            target: account_target(i),
                            share_principals: false,
                            share_tag_options: false,
                            accepted: false,
                            track: false,
                            created_by: owner(),
                        },
                        10,
                    )
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let created = results
        .iter()
        .filter(|r| matches!(r, Ok(CreatedShare { created: true, .. })))
        .count();
    let refused = results
        .iter()
        .filter(|r| {
            **r == Err(StoreError::LimitExceeded {
                kind: LimitKind::Shares,
                limit: 10,
            })
        })
        .count();
    assert_eq!((created, refused), (10, 22));
    let shares = store.list_shares(&id, None, PageRequest::all()).unwrap();
    assert_eq!(shares.items.len(), 10);
}

/// 32 threads creating the same organization share create it once, under one token, recorded
/// as a `Create` operation; every caller is answered that share.
pub fn racing_creates_of_one_share_create_it_once_with_one_token(factory: &dyn StoreFactory) {
    let store = &*factory.fresh();
    let id = new_portfolio(store);
    let org = ShareTarget::Organization(OrganizationId::parse("o-abcdefghij").unwrap());
    let barrier = Barrier::new(32);
    let results: Vec<CreatedShare> = thread::scope(|s| {
        let handles: Vec<_> = (0..32)
            .map(|_| {
                let (id, barrier, org) = (&id, &barrier, &org);
                s.spawn(move || {
                    barrier.wait();
                    store
                        .create_share(
                            id,
                            NewShare {
                                target: org.clone(),
                                share_principals: true,
                                share_tag_options: false,
                                accepted: true,
                                track: true,
                                created_by: owner(),
                            },
                            1000,
                        )
                        .unwrap()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(results.iter().filter(|r| r.created).count(), 1);
    let token = results[0].share.token.clone().unwrap();
    assert!(
        results
            .iter()
            .all(|r| r.share.token.as_ref() == Some(&token))
    );
    assert_eq!(
        store.share_operation(&token).unwrap().map(|op| op.kind),
        Some(ShareOperationKind::Create)
    );
}

/// 16 threads creating, updating and deleting shares at random leave the state their successful
/// calls make in some sequential order; no reader ever sees more shares than the limit; one
/// change is recorded per successful call.
pub fn racing_share_create_update_delete_leave_a_sequentially_consistent_state(
    factory: &dyn StoreFactory,
) {
    let store = &*factory.fresh();
    let id = new_portfolio(store);
    let version = store.version();
    let max_shares = 6;
    let done = AtomicBool::new(false);
    let tally = Mutex::new(Tally::default());
    thread::scope(|s| {
        s.spawn(|| {
            while !done.load(Ordering::Relaxed) {
                let n = store
                    .list_shares(&id, None, PageRequest::all())
                    .unwrap()
                    .items
                    .len();
                assert!(n <= max_shares, "a reader saw {n} shares");
            }
        });
        let workers: Vec<_> = (0..16u64)
            .map(|t| {
                let (id, tally) = (&id, &tally);
                s.spawn(move || {
                    let mut rng = StdRng::seed_from_u64(1000 + t);
                    let mut mine = Tally::default();
                    for _ in 0..1500 {
                        let target = account_target(rng.random_range(0..10));
                        let key = target.principal_id().to_owned();
                        match rng.random_range(0..10) {
                            0..5 => {
                                let new = NewShare {
                                    target,
                                    share_principals: false,
                                    share_tag_options: rng.random_bool(0.5),
                                    accepted: false,
                                    track: false,
                                    created_by: owner(),
                                };
                                match store.create_share(id, new, max_shares) {
                                    Ok(CreatedShare { created: true, .. }) => mine.add(key),
                                    Ok(_) | Err(StoreError::LimitExceeded { .. }) => {}
                                    Err(e) => panic!("unexpected {e}"),
                                }
                            }
                            5..8 => match store.delete_share(id, &target, false) {
                                Ok(_) => mine.remove(key),
                                Err(StoreError::ShareNotFound { .. }) => {}
                                Err(e) => panic!("unexpected {e}"),
                            },
                            _ => {
                                let update = ShareUpdate {
                                    share_tag_options: Some(rng.random_bool(0.5)),
                                    share_principals: None,
                                };
                                match store.update_share(id, &target, update) {
                                    // An update changes state (it records an operation) but not
                                    // presence.
                                    Ok(_) => mine.changes += 1,
                                    Err(StoreError::ShareNotFound { .. }) => {}
                                    Err(e) => panic!("unexpected {e}"),
                                }
                            }
                        }
                    }
                    tally.lock().unwrap().merge(mine);
                })
            })
            .collect();
        for w in workers {
            w.join().unwrap();
        }
        done.store(true, Ordering::Relaxed);
    });
    let tally = tally.into_inner().unwrap();
    let present: Vec<String> = store
        .list_shares(&id, None, PageRequest::all())
        .unwrap()
        .items
        .iter()
        .map(|s| s.target.principal_id().to_owned())
        .collect();
    tally.check_against(&present);
    assert!(present.len() <= max_shares);
    assert_eq!(store.version() - version, tally.changes);
    assert_eq!(portfolio_changes_since(store, version, &id), tally.changes);
}

/// A portfolio delete racing with associations never swallows one: it succeeds only while the
/// owner holds none, and every association made before it was removed before it (150 rounds,
/// some of them won by the delete).
pub fn delete_racing_associations_never_swallows_a_successful_association(
    factory: &dyn StoreFactory,
) {
    let store = &*factory.fresh();
    let mut deleted_rounds = 0;
    for round in 0..150u64 {
        let id = new_portfolio(store);
        let version = store.version();
        let deleted = AtomicBool::new(false);
        let tally = Mutex::new(Tally::default());
        let barrier = Barrier::new(5);
        thread::scope(|s| {
            s.spawn(|| {
                let mut rng = StdRng::seed_from_u64(round);
                barrier.wait();
                // Let the workers get going first, for a varying while.
                for _ in 0..rng.random_range(0..200) {
                    thread::yield_now();
                }
                for _ in 0..200 {
                    match store.delete_portfolio(&id) {
                        Ok(_) => {
                            deleted.store(true, Ordering::SeqCst);
                            return;
                        }
                        Err(StoreError::PortfolioInUse { .. }) => {}
                        Err(e) => panic!("unexpected {e}"),
                    }
                    if rng.random_bool(0.5) {
                        thread::yield_now();
                    }
                }
            });
            for t in 0..4u64 {
                let (id, tally, barrier) = (&id, &tally, &barrier);
                s.spawn(move || {
                    let mut rng = StdRng::seed_from_u64(round * 100 + t);
                    let mut mine = Tally::default();
                    barrier.wait();
                    for _ in 0..300 {
                        let association = pattern(rng.random_range(0..4));
                        let key = key(&association);
                        let arn = association.arn().to_owned();
                        if rng.random_bool(0.5) {
                            match store.associate(id, &owner(), association, MAX_PATTERNS) {
                                Ok(AssociateOutcome::Added) => mine.add(key),
                                Ok(_) | Err(StoreError::PortfolioNotFound(_)) => {}
                                Err(e) => panic!("unexpected {e}"),
                            }
                        } else {
                            match store.disassociate(id, &owner(), PrincipalType::IamPattern, &arn)
                            {
                                Ok(()) => mine.remove(key),
                                Err(
                                    StoreError::AssociationNotFound { .. }
                                    | StoreError::PortfolioNotFound(_),
                                ) => {}
                                Err(e) => panic!("unexpected {e}"),
                            }
                        }
                    }
                    tally.lock().unwrap().merge(mine);
                });
            }
        });
        let tally = tally.into_inner().unwrap();
        let deleted = deleted.load(Ordering::SeqCst);
        assert_eq!(
            portfolio_changes_since(store, version, &id),
            tally.changes + u64::from(deleted),
            "round {round}: one change per successful call, the delete included"
        );
        if deleted {
            deleted_rounds += 1;
            assert_eq!(store.portfolio(&id).unwrap(), None);
            assert!(store.portfolio_snapshot(&id).unwrap().is_none());
            // Deleted while empty, and nothing was added after: every add was removed.
            tally.check_against(&[]);
            assert!(matches!(
                store.associate(&id, &owner(), pattern(0), MAX_PATTERNS),
                Err(StoreError::PortfolioNotFound(_))
            ));
        } else {
            let present: Vec<String> = all_associations(store, &id).iter().map(key).collect();
            tally.check_against(&present);
        }
    }
    assert!(deleted_rounds > 0, "some round should see the delete win");
}

/// 2,000 portfolios created by 8 threads at once get distinct ids and are all listed, each
/// thread's in the order it created them.
pub fn concurrent_creates_get_distinct_ids_and_are_all_listed_in_creation_order(
    factory: &dyn StoreFactory,
) {
    let store = &*factory.fresh();
    let per_thread: Vec<Vec<PortfolioId>> = thread::scope(|s| {
        let handles: Vec<_> = (0..8)
            .map(|_| s.spawn(move || (0..250).map(|_| new_portfolio(store)).collect()))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let listed: Vec<PortfolioId> = store
        .list_portfolios(
            &owner(),
            &Region::parse("us-east-1").unwrap(),
            PageRequest::all(),
        )
        .unwrap()
        .items
        .into_iter()
        .map(|p| p.id)
        .collect();
    let mut all: Vec<PortfolioId> = per_thread.iter().flatten().cloned().collect();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 2000, "ids are distinct");
    let mut sorted_listed = listed.clone();
    sorted_listed.sort();
    assert_eq!(sorted_listed, all, "every created portfolio is listed once");
    // Each thread's creations appear in the order it made them.
    for mine in &per_thread {
        let positions: Vec<usize> = mine
            .iter()
            .map(|id| listed.iter().position(|l| l == id).unwrap())
            .collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]));
    }
}

/// 16 threads creating a portfolio with the same idempotency token make one portfolio, and
/// every caller is answered it.
pub fn concurrent_creates_with_one_idempotency_token_make_one_portfolio(
    factory: &dyn StoreFactory,
) {
    let store = &*factory.fresh();
    let barrier = Barrier::new(16);
    let results: Vec<CreatedPortfolio> = thread::scope(|s| {
        let handles: Vec<_> = (0..16)
            .map(|_| {
                let barrier = &barrier;
                s.spawn(move || {
                    barrier.wait();
                    store
                        .create_portfolio(NewPortfolio {
                            owner: owner(),
                            partition: Partition::default(),
                            region: Region::parse("us-east-1").unwrap(),
                            display_name: "p".into(),
                            description: None,
                            provider_name: "provider".into(),
                            tags: vec![],
                            created_time: Timestamp::from_epoch_millis(0),
                            idempotency_token: Some("same-token".into()),
                        })
                        .unwrap()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(results.iter().filter(|r| r.created).count(), 1);
    assert!(
        results
            .iter()
            .all(|r| r.portfolio.id == results[0].portfolio.id)
    );
    let listed = store
        .list_portfolios(
            &owner(),
            &Region::parse("us-east-1").unwrap(),
            PageRequest::all(),
        )
        .unwrap();
    assert_eq!(listed.items.len(), 1);
}
