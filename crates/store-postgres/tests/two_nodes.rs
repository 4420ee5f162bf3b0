//! Two `PostgresStore`s on one database, as two portcullis nodes: the visibility bound. A
//! write acknowledged through one node is seen by the other's next `version()`,
//! `changes_since()` and reads, with no wait — and so by the other node's reverse query and
//! access checks.

mod common;

use std::sync::Arc;
use std::thread;

use common::fixtures::*;
use portcullis_api::{Config, Service};
use portcullis_matcher::PrincipalArn;
use portcullis_model::{Caller, Partition, PrincipalType};
use portcullis_store::{
    CatalogStore, Change, ChangeFeed, PageRequest, ProductStore, ProductUpdate, StoreError,
};
use portcullis_store_postgres::{PostgresOptions, PostgresStore};

/// Two nodes on a fresh database, and its URL.
#[expect(
    clippy::unwrap_used,
    reason = "test helper: an unexpected answer fails the test"
)]
fn two_nodes() -> (PostgresStore, PostgresStore, String) {
    let url = common::shared().fresh_database();
    (
        PostgresStore::connect(&url).unwrap(),
        PostgresStore::connect(&url).unwrap(),
        url,
    )
}

#[test]
fn a_write_through_one_node_is_in_the_others_feed_and_reads_as_soon_as_it_returns() {
    let (a, b, _) = two_nodes();
    assert_eq!((a.version(), b.version()), (0, 0));
    let id = create(&a, "p");
    assert_eq!(b.version(), 1);
    assert_eq!(
        b.changes_since(0).unwrap().changes,
        vec![(1, Change::Portfolio(id.clone()))]
    );
    assert_eq!(b.portfolio(&id).unwrap().unwrap().id, id);

    a.associate(&id, &owner(), pattern("arn:aws:iam:::role/Dev*"), 10)
        .unwrap();
    let changes = b.changes_since(1).unwrap();
    assert_eq!(changes.changes, vec![(2, Change::Portfolio(id.clone()))]);
    assert_eq!(
        b.list_associations(&id, &owner(), PageRequest::all())
            .unwrap()
            .items,
        vec![pattern("arn:aws:iam:::role/Dev*")]
    );

    // And back: b's writes reach a.
    b.disassociate(
        &id,
        &owner(),
        PrincipalType::IamPattern,
        "arn:aws:iam:::role/Dev*",
    )
    .unwrap();
    assert_eq!(a.version(), 3);
    assert_eq!(
        a.changes_since(2).unwrap().changes,
        vec![(3, Change::Portfolio(id))]
    );
}

#[test]
fn products_written_through_one_node_are_read_through_the_other_and_associations_are_in_its_feed() {
    let (a, b, _) = two_nodes();
    let created = a.create_product(new_product("web", Some("tok"))).unwrap();
    let web = created.product;
    assert_eq!(b.product(&web.id).unwrap(), Some(web.clone()));
    assert_eq!(
        b.product_by_name(&owner(), &region(), "web").unwrap(),
        Some(web.clone())
    );
    let again = b.create_product(new_product("web", Some("tok"))).unwrap();
    assert!(!again.created);
    assert_eq!(again.product, web);
    assert_eq!(
        (a.version(), b.version()),
        (0, 0),
        "product records record no change"
    );

    let renamed = b
        .update_product(
            &web.id,
            ProductUpdate {
                name: Some("website".into()),
                ..ProductUpdate::default()
            },
        )
        .unwrap();
    assert_eq!(a.product(&web.id).unwrap(), Some(renamed));
    assert_eq!(a.product_by_name(&owner(), &region(), "web").unwrap(), None);

    let portfolio = create(&a, "p");
    b.associate_product(&web.id, &portfolio).unwrap();
    assert_eq!(
        a.changes_since(0).unwrap().changes,
        vec![
            (1, Change::Portfolio(portfolio.clone())),
            (2, Change::Portfolio(portfolio.clone()))
        ]
    );
    assert_eq!(
        a.delete_product(&web.id).unwrap_err(),
        StoreError::ProductInUse {
            product: web.id.clone(),
            portfolios: 1
        }
    );
    assert_eq!(
        a.delete_portfolio(&portfolio).unwrap_err(),
        StoreError::PortfolioHasProducts {
            portfolio: portfolio.clone(),
            products: 1
        }
    );
    a.disassociate_product(&web.id, &portfolio).unwrap();
    assert_eq!(b.version(), 3);
    b.delete_product(&web.id).unwrap();
    assert_eq!(a.product(&web.id).unwrap(), None);
    a.delete_portfolio(&portfolio).unwrap();
}

#[test]
fn a_node_started_later_begins_at_version_zero_with_everything_in_its_reads() {
    let (a, _, url) = two_nodes();
    let id = create(&a, "p");
    let late = PostgresStore::connect(&url).unwrap();
    assert_eq!(late.version(), 0);
    assert_eq!(late.changes_since(0).unwrap().changes, vec![]);
    assert!(late.portfolio(&id).unwrap().is_some());
    create(&a, "q");
    assert_eq!(late.version(), 1);
}

/// Positions come from a sequence and commit out of order: a change that took a lower position
/// in a transaction still running when a later one commits is neither skipped nor seen early.
#[test]
fn a_change_committing_after_a_later_position_is_seen_when_it_commits() {
    let (a, b, url) = two_nodes();
    let early = create(&a, "early");
    let v = b.version();
    let mut raw = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let mut slow = raw.transaction().unwrap();
    // As a write through a third node would: its change row takes the lower position.
    slow.execute(
        "INSERT INTO changes (kind, portfolio) VALUES ('PORTFOLIO', $1)",
        &[&early.as_str()],
    )
    .unwrap();
    let late = create(&a, "late");
    assert_eq!(
        b.changes_since(v).unwrap().changes,
        vec![(v + 1, Change::Portfolio(late))]
    );
    slow.commit().unwrap();
    assert_eq!(
        b.changes_since(v + 1).unwrap().changes,
        vec![(v + 2, Change::Portfolio(early))]
    );
}

/// While 4 threads write through both nodes, each write, as soon as it returns, is in the other
/// node's feed: the feed never skips a transaction that committed while an older one was still
/// running, and never takes one in twice.
#[test]
fn under_concurrent_writers_every_write_is_in_the_other_nodes_feed_when_it_returns() {
    let (a, b, _) = two_nodes();
    let nodes = [&a, &b];
    let shared_portfolio = create(&a, "shared");
    let start = [a.version(), b.version()];
    thread::scope(|s| {
        for t in 0..4usize {
            let shared_portfolio = &shared_portfolio;
            s.spawn(move || {
                let (mine, other) = (nodes[t % 2], nodes[(t + 1) % 2]);
                for i in 0..50 {
                    let before = other.version();
                    let id = if i % 2 == 0 {
                        create(mine, &format!("{t}-{i}"))
                    } else {
                        let arn = format!("arn:aws:iam::111111111111:role/T{t}-{i}");
                        mine.associate(shared_portfolio, &owner(), iam(&arn), 1000)
                            .unwrap();
                        shared_portfolio.clone()
                    };
                    let seen = other.changes_since(before).unwrap();
                    assert!(
                        seen.changes
                            .iter()
                            .any(|(_, c)| *c == Change::Portfolio(id.clone())),
                        "thread {t} write {i} not seen by the other node"
                    );
                }
            });
        }
    });
    for (node, start) in nodes.iter().zip(start) {
        let changes = node.changes_since(start).unwrap();
        assert_eq!(
            changes.changes.len(),
            200,
            "one change per write, none twice"
        );
        for (i, (v, _)) in changes.changes.iter().enumerate() {
            assert_eq!(*v, start + 1 + i as u64, "versions rise by one");
        }
    }
}

/// The reverse query and the access check of a `Service` on node B answer for a write made
/// through node A's `Service` as soon as that write returned.
#[test]
fn the_reverse_query_and_access_checks_of_one_node_see_the_other_nodes_writes() {
    let (a, b, _) = two_nodes();
    let a = Service::new(Arc::new(a), Config::default());
    let b = Service::new(Arc::new(b), Config::default());
    let caller = Caller::new(Partition::default(), region(), owner());
    let principal = PrincipalArn::parse("arn:aws:iam::111111111111:role/Dev-1").unwrap();
    let id = create(&**a.store(), "p");
    assert!(
        b.portfolios_for_principal(&caller, &principal)
            .unwrap()
            .is_empty()
    );
    for round in 0..20 {
        a.store()
            .associate(&id, &owner(), pattern("arn:aws:iam:::role/Dev*"), 10)
            .unwrap();
        let found = b.portfolios_for_principal(&caller, &principal).unwrap();
        assert_eq!(found.len(), 1, "round {round}: the association is seen");
        assert!(b.check_access(&caller, &id, &principal).unwrap().allowed());
        a.store()
            .disassociate(
                &id,
                &owner(),
                PrincipalType::IamPattern,
                "arn:aws:iam:::role/Dev*",
            )
            .unwrap();
        assert!(
            b.portfolios_for_principal(&caller, &principal)
                .unwrap()
                .is_empty(),
            "round {round}: the removal is seen"
        );
        assert!(!b.check_access(&caller, &id, &principal).unwrap().allowed());
    }
}

/// A node that fell behind what was trimmed from the change log says so (`ChangesGap`), once,
/// then goes on from the current state; even while a long transaction elsewhere in the cluster
/// holds every snapshot's `xmin` below what was trimmed.
#[test]
fn a_node_behind_the_trimmed_log_answers_a_gap_once_then_goes_on() {
    let (a, b, url) = two_nodes();
    let mut elsewhere = common::shared().admin();
    let mut long = elsewhere.transaction().unwrap();
    long.execute("SELECT pg_current_xact_id()", &[]).unwrap();
    create(&a, "p");
    let seen = b.version();
    assert_eq!(seen, 1);
    let q = create(&a, "q");
    // A node with no retention trims every change committed before it connected.
    let mut options = PostgresOptions::default();
    options.change_retention = std::time::Duration::ZERO;
    let trimmer = PostgresStore::connect_with(&url, options).unwrap();
    drop(trimmer);
    let gap = b.changes_since(seen);
    let now = b.version();
    assert_eq!(
        gap,
        Err(StoreError::ChangesGap {
            asked: seen,
            oldest: now
        })
    );
    assert!(now > seen);
    assert_eq!(b.version(), now, "one resynchronisation");
    assert!(b.portfolio(&q).unwrap().is_some());
    let r = create(&a, "r");
    assert_eq!(
        b.changes_since(now).unwrap().changes,
        vec![(now + 1, Change::Portfolio(r))]
    );
    long.commit().unwrap();
    let s = create(&a, "s");
    assert_eq!(
        b.changes_since(now + 1).unwrap().changes,
        vec![(now + 2, Change::Portfolio(s))]
    );
}

/// `version()` answers at once, with the last version the node knew, while its database cannot
/// be read; `changes_since()` says the store is unavailable.
#[test]
fn the_feed_of_a_node_whose_database_is_gone_answers_its_last_version() {
    let (node, _, url) = two_nodes();
    create(&node, "p");
    assert_eq!(node.version(), 1);
    let name = url.rsplit('/').next().unwrap();
    common::shared()
        .admin()
        .batch_execute(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .unwrap();
    assert_eq!(node.version(), 1);
    assert!(matches!(
        node.changes_since(0),
        Err(StoreError::Unavailable(_))
    ));
}
