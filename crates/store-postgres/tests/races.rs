//! Limits, idempotent creates, share tokens and product associations hold across nodes: several
//! `PostgresStore`s on one database (as several portcullis nodes), each with its own connections,
//! and 32 threads racing through them.

mod common;

use std::collections::BTreeSet;
use std::sync::Barrier;
use std::thread;

use common::fixtures::*;
use portcullis_model::OrganizationId;
use portcullis_store::{
    AssociateOutcome, CatalogStore, LimitKind, NewShare, PageRequest, ProductStore, ShareTarget,
    Store, StoreError,
};
use portcullis_store_postgres::PostgresStore;

const NODES: usize = 4;
const THREADS: usize = 32;

/// `NODES` stores on one fresh database.
#[expect(
    clippy::unwrap_used,
    reason = "test helper: an unexpected answer fails the test"
)]
fn nodes() -> Vec<PostgresStore> {
    let url = common::shared().fresh_database();
    (0..NODES)
        .map(|_| PostgresStore::connect(&url).unwrap())
        .collect()
}

/// Runs `f(thread, node)` on `THREADS` threads started together, thread `t` on node
/// `t % NODES`, and answers their results in thread order.
#[expect(
    clippy::unwrap_used,
    reason = "test helper: an unexpected answer fails the test"
)]
fn race<T: Send>(nodes: &[PostgresStore], f: impl Fn(usize, &dyn Store) -> T + Sync) -> Vec<T> {
    let barrier = Barrier::new(THREADS);
    thread::scope(|s| {
        let handles: Vec<_> = (0..THREADS)
            .map(|t| {
                let (f, barrier) = (&f, &barrier);
                let node: &dyn Store = nodes.get(t % nodes.len()).unwrap();
                s.spawn(move || {
                    barrier.wait();
                    f(t, node)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

#[test]
fn the_limit_of_10_patterns_holds_when_32_threads_race_through_4_nodes() {
    let nodes = nodes();
    for round in 0..5 {
        let id = create(&nodes[0], &format!("round {round}"));
        let answers = race(&nodes, |t, node| {
            node.associate(
                &id,
                &owner(),
                pattern(&format!("arn:aws:iam:::role/R{t}-*")),
                10,
            )
        });
        let added = answers
            .iter()
            .filter(|a| **a == Ok(AssociateOutcome::Added))
            .count();
        let refused = answers
            .iter()
            .filter(|a| {
                **a == Err(StoreError::LimitExceeded {
                    kind: LimitKind::IamPatternAssociations,
                    limit: 10,
                })
            })
            .count();
        assert_eq!((added, refused), (10, THREADS - 10), "round {round}");
        for node in &nodes {
            let held = node
                .list_associations(&id, &owner(), PageRequest::all())
                .unwrap();
            assert_eq!(held.items.len(), 10, "round {round}");
        }
    }
}

#[test]
fn creates_racing_with_one_idempotency_token_through_4_nodes_make_one_portfolio() {
    let nodes = nodes();
    for round in 0..5 {
        let token = format!("token-{round}");
        let answers = race(&nodes, |_, node| {
            node.create_portfolio(new_portfolio("racing", Some(&token)))
                .unwrap()
        });
        assert_eq!(answers.iter().filter(|a| a.created).count(), 1);
        let ids: BTreeSet<_> = answers.iter().map(|a| a.portfolio.id.clone()).collect();
        assert_eq!(ids.len(), 1, "every answer is the one portfolio");
    }
    let listed = nodes[1]
        .list_portfolios(&owner(), &region(), PageRequest::all())
        .unwrap();
    assert_eq!(listed.items.len(), 5);
}

#[test]
fn the_share_limit_holds_when_32_threads_race_through_4_nodes() {
    let nodes = nodes();
    let id = create(&nodes[0], "shared");
    let answers = race(&nodes, |t, node| {
        node.create_share(&id, account_share(&format!("{:012}", 200_000 + t)), 10)
    });
    let created = answers.iter().filter(|a| a.is_ok()).count();
    assert_eq!(created, 10);
    assert!(answers.iter().all(|a| a.is_ok()
        || *a
            == Err(StoreError::LimitExceeded {
                kind: LimitKind::Shares,
                limit: 10
            })));
    let shares = nodes[3].list_shares(&id, None, PageRequest::all()).unwrap();
    assert_eq!(shares.items.len(), 10);
}

#[test]
fn one_share_created_by_32_racing_threads_through_4_nodes_has_one_token() {
    let nodes = nodes();
    let id = create(&nodes[0], "shared");
    let org = OrganizationId::parse("o-abcdefghij").unwrap();
    let answers = race(&nodes, |_, node| {
        node.create_share(
            &id,
            NewShare {
                target: ShareTarget::Organization(org.clone()),
                share_principals: false,
                share_tag_options: false,
                accepted: true,
                track: true,
                created_by: owner(),
            },
            1000,
        )
        .unwrap()
    });
    assert_eq!(answers.iter().filter(|a| a.created).count(), 1);
    let tokens: BTreeSet<_> = answers.iter().map(|a| a.share.token.clone()).collect();
    assert_eq!(tokens.len(), 1);
    let token = tokens.into_iter().next().flatten().unwrap();
    for node in &nodes {
        assert_eq!(node.share_operation(&token).unwrap().unwrap().portfolio, id);
    }
}

#[test]
fn product_creates_racing_with_one_idempotency_token_through_4_nodes_make_one_product() {
    let nodes = nodes();
    for round in 0..5 {
        let token = format!("token-{round}");
        let answers = race(&nodes, |_, node| {
            node.create_product(new_product("racing", Some(&token)))
                .unwrap()
        });
        assert_eq!(answers.iter().filter(|a| a.created).count(), 1);
        let first = answers.iter().find(|a| a.created).unwrap();
        assert!(
            answers.iter().all(|a| a.product == first.product),
            "every answer is the one product, as first created"
        );
    }
    let listed = nodes[2]
        .list_products(&owner(), &region(), PageRequest::all())
        .unwrap();
    assert_eq!(listed.items.len(), 5);
}

/// Half the threads delete one product, half associate it with one of four portfolios, through
/// four nodes: either one delete succeeds and no association is made, or the associations made
/// are exactly those answered `Added` and every delete is refused.
#[test]
fn product_deletes_racing_associations_through_4_nodes_never_leave_an_association_with_a_deleted_product()
 {
    let nodes = nodes();
    for round in 0..10 {
        let product = create_product(&nodes[0], &format!("round {round}"));
        let portfolios: Vec<_> = (0..4)
            .map(|i| create(&nodes[1], &format!("round {round} portfolio {i}")))
            .collect();
        let answers = race(&nodes, |t, node| {
            if t % 2 == 0 {
                Err(node.delete_product(&product).map(|_| ()))
            } else {
                let portfolio = &portfolios[(t / 2) % portfolios.len()];
                Ok((
                    portfolio.clone(),
                    node.associate_product(&product, portfolio),
                ))
            }
        });
        let deleted = answers.iter().filter(|a| matches!(a, Err(Ok(())))).count();
        let added: BTreeSet<_> = answers
            .iter()
            .filter_map(|a| match a {
                Ok((portfolio, Ok(AssociateOutcome::Added))) => Some(portfolio.clone()),
                _ => None,
            })
            .collect();
        let associated: BTreeSet<_> = portfolios
            .iter()
            .filter(|portfolio| {
                nodes[3]
                    .list_products_for_portfolio(portfolio, PageRequest::all())
                    .unwrap()
                    .items
                    .iter()
                    .any(|p| p.id == product)
            })
            .cloned()
            .collect();
        assert_eq!(associated, added, "round {round}");
        if deleted == 1 {
            assert!(added.is_empty(), "round {round}");
            assert_eq!(nodes[2].product(&product).unwrap(), None, "round {round}");
            assert!(answers.iter().all(|a| match a {
                Ok((_, answer)) => *answer == Err(StoreError::ProductNotFound(product.clone())),
                Err(answer) => matches!(answer, Ok(()) | Err(StoreError::ProductNotFound(_))),
            }));
        } else {
            assert_eq!(deleted, 0, "round {round}");
            assert!(!added.is_empty(), "round {round}");
            assert!(
                nodes[2].product(&product).unwrap().is_some(),
                "round {round}"
            );
            assert!(answers.iter().all(|a| match a {
                Ok((_, answer)) => matches!(
                    answer,
                    Ok(AssociateOutcome::Added | AssociateOutcome::AlreadyPresent)
                ),
                Err(answer) => matches!(answer, Err(StoreError::ProductInUse { .. })),
            }));
        }
    }
}

/// Half the threads delete one portfolio, half associate one of four products with it, through
/// four nodes: either the delete succeeds and no association is made, or the associations made
/// are exactly those answered `Added` and every delete is refused.
#[test]
fn portfolio_deletes_racing_product_associations_through_4_nodes_never_leave_an_association_with_a_deleted_portfolio()
 {
    let nodes = nodes();
    for round in 0..10 {
        let portfolio = create(&nodes[0], &format!("round {round}"));
        let products: Vec<_> = (0..4)
            .map(|i| create_product(&nodes[1], &format!("round {round} product {i}")))
            .collect();
        let answers = race(&nodes, |t, node| {
            if t % 2 == 0 {
                Err(node.delete_portfolio(&portfolio).map(|_| ()))
            } else {
                let product = &products[(t / 2) % products.len()];
                Ok((product.clone(), node.associate_product(product, &portfolio)))
            }
        });
        let deleted = answers.iter().filter(|a| matches!(a, Err(Ok(())))).count();
        let added: BTreeSet<_> = answers
            .iter()
            .filter_map(|a| match a {
                Ok((product, Ok(AssociateOutcome::Added))) => Some(product.clone()),
                _ => None,
            })
            .collect();
        let associated: BTreeSet<_> = products
            .iter()
            .filter(|product| {
                !nodes[3]
                    .list_portfolios_for_product(product, &owner(), PageRequest::all())
                    .unwrap()
                    .items
                    .is_empty()
            })
            .cloned()
            .collect();
        assert_eq!(associated, added, "round {round}");
        if deleted == 1 {
            assert!(added.is_empty(), "round {round}");
            assert_eq!(
                nodes[2].portfolio(&portfolio).unwrap(),
                None,
                "round {round}"
            );
            assert!(answers.iter().all(|a| match a {
                Ok((_, answer)) => *answer == Err(StoreError::PortfolioNotFound(portfolio.clone())),
                Err(answer) => matches!(answer, Ok(()) | Err(StoreError::PortfolioNotFound(_))),
            }));
        } else {
            assert_eq!(deleted, 0, "round {round}");
            assert!(!added.is_empty(), "round {round}");
            assert!(answers.iter().all(|a| match a {
                Ok((_, answer)) => matches!(
                    answer,
                    Ok(AssociateOutcome::Added | AssociateOutcome::AlreadyPresent)
                ),
                Err(answer) => matches!(answer, Err(StoreError::PortfolioHasProducts { .. })),
            }));
        }
    }
}
