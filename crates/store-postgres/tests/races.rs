//! Limits, idempotent creates and share tokens hold across nodes: several `PostgresStore`s on
//! one database (as several portcullis nodes), each with its own connections, and 32 threads
//! racing through them.

mod common;

use std::collections::BTreeSet;
use std::sync::Barrier;
use std::thread;

use common::fixtures::*;
use portcullis_model::OrganizationId;
use portcullis_store::{
    AssociateOutcome, CatalogStore, LimitKind, NewShare, PageRequest, ShareTarget, Store,
    StoreError,
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
