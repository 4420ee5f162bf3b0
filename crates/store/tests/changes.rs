//! `MemoryStore`'s change record is bounded and says when a reader is too far behind it. What
//! every store's change feed records is checked by the conformance suite
//! (`tests/conformance.rs`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use portcullis_matcher::PrincipalArn;
use portcullis_model::*;
use portcullis_store::*;

fn owner() -> AccountId {
    AccountId::parse("111111111111").unwrap()
}

fn new_portfolio(store: &MemoryStore) -> PortfolioId {
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

fn iam(s: &str) -> Association {
    Association::Iam(PrincipalArn::parse(s).unwrap())
}

#[test]
fn a_new_store_with_a_small_record_is_at_version_zero_with_nothing_recorded() {
    let store = MemoryStore::with_change_log_capacity(3);
    assert_eq!(store.version(), 0);
    assert_eq!(
        store.changes_since(0),
        Ok(Changes {
            version: 0,
            changes: vec![]
        })
    );
}

#[test]
fn the_record_is_bounded_and_a_reader_too_far_behind_is_told_so() {
    let store = MemoryStore::with_change_log_capacity(4);
    let a = new_portfolio(&store);
    for i in 0..9 {
        store
            .update_portfolio(
                &a,
                PortfolioUpdate {
                    display_name: Some(format!("name-{i}")),
                    ..PortfolioUpdate::default()
                },
            )
            .unwrap();
    }
    assert_eq!(store.version(), 10);
    // The last four changes are kept: a reader at version 6 or later is answered.
    let tail = store.changes_since(6).unwrap();
    assert_eq!(tail.version, 10);
    assert_eq!(
        tail.changes.iter().map(|(v, _)| *v).collect::<Vec<_>>(),
        vec![7, 8, 9, 10]
    );
    assert!(
        tail.changes
            .iter()
            .all(|(_, c)| *c == Change::Portfolio(a.clone()))
    );
    assert_eq!(store.changes_since(9).unwrap().changes.len(), 1);
    assert_eq!(store.changes_since(10).unwrap().changes, vec![]);
    for asked in [0, 1, 5] {
        assert_eq!(
            store.changes_since(asked),
            Err(StoreError::ChangesGap { asked, oldest: 6 }),
            "a reader at {asked} has missed changes the record dropped"
        );
    }
    // After rereading everything, the reader follows the feed again from the current version.
    let reread = store.version();
    store.delete_portfolio(&a).unwrap();
    assert_eq!(
        store.changes_since(reread).unwrap().changes,
        vec![(11, Change::Portfolio(a.clone()))]
    );
    assert_eq!(
        store.changes_since(6),
        Err(StoreError::ChangesGap {
            asked: 6,
            oldest: 7
        })
    );

    // A capacity of 0 keeps one change.
    let store = MemoryStore::with_change_log_capacity(0);
    new_portfolio(&store);
    let b = new_portfolio(&store);
    assert_eq!(
        store.changes_since(1).unwrap().changes,
        vec![(2, Change::Portfolio(b))]
    );
    assert_eq!(
        store.changes_since(0),
        Err(StoreError::ChangesGap {
            asked: 0,
            oldest: 1
        })
    );
}

#[test]
fn the_default_record_reaches_back_its_capacity() {
    let capacity = MemoryStore::DEFAULT_CHANGE_LOG_CAPACITY as u64;
    let store = MemoryStore::new();
    let a = new_portfolio(&store);
    let arn = "arn:aws:iam::111111111111:role/x";
    // One change more than the record keeps.
    for i in 1..=capacity {
        if i % 2 == 1 {
            store.associate(&a, &owner(), iam(arn), 1).unwrap();
        } else {
            store
                .disassociate(&a, &owner(), PrincipalType::Iam, arn)
                .unwrap();
        }
    }
    assert_eq!(store.version(), capacity + 1);
    let all = store.changes_since(1).unwrap();
    assert_eq!(all.changes.len() as u64, capacity);
    assert_eq!(all.changes.first().map(|(v, _)| *v), Some(2));
    assert_eq!(
        store.changes_since(0),
        Err(StoreError::ChangesGap {
            asked: 0,
            oldest: 1
        })
    );
}
