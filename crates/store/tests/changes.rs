//! `Store::changes_since`: which portfolios changed after a version, or `None` when the store
//! cannot tell.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

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
        .portfolio
        .id
}

fn sorted(mut ids: Vec<PortfolioId>) -> Vec<PortfolioId> {
    ids.sort();
    ids
}

#[test]
fn changes_since_lists_each_changed_portfolio_once() {
    let store = MemoryStore::new();
    let a = new_portfolio(&store);
    let b = new_portfolio(&store);
    let start = store.version();
    assert_eq!(store.changes_since(start), Some(vec![]));
    let arn = "arn:aws:iam:::role/Dev*";
    store
        .associate(
            &a,
            &owner(),
            arn,
            PrincipalType::IamPattern,
            AssociationLimits::default(),
        )
        .unwrap();
    store
        .disassociate(&a, &owner(), arn, PrincipalType::IamPattern)
        .unwrap();
    let c = new_portfolio(&store);
    store.delete_portfolio(&b).unwrap();
    assert_eq!(
        store.changes_since(start),
        Some(sorted(vec![a.clone(), b, c.clone()]))
    );
    // A refused or idempotent call changes nothing and is not listed.
    let middle = store.version();
    assert!(
        store
            .disassociate(&a, &owner(), arn, PrincipalType::IamPattern)
            .is_err()
    );
    assert_eq!(store.changes_since(middle), Some(vec![]));
    assert_eq!(store.changes_since(0).map(|ids| ids.len()), Some(3));
}

#[test]
fn changes_since_cannot_tell_across_a_directory_change() {
    let store = MemoryStore::new();
    let a = new_portfolio(&store);
    let before = store.version();
    store
        .create_organization(NewOrganization {
            management_account: owner(),
            management_name: "m".into(),
            management_email: "m@example.com".into(),
            feature_set: OrganizationFeatureSet::All,
            now: Timestamp::from_epoch_millis(0),
        })
        .unwrap();
    assert_eq!(store.changes_since(before), None);
    let after = store.version();
    store
        .update_portfolio(
            &a,
            PortfolioUpdate {
                display_name: Some("q".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(store.changes_since(after), Some(vec![a]));
}

#[test]
fn changes_since_tells_however_far_back_it_is_asked() {
    let store = MemoryStore::new();
    let a = new_portfolio(&store);
    let start = store.version();
    let arn = "arn:aws:iam::111111111111:role/x";
    for _ in 0..40_000 {
        store
            .associate(
                &a,
                &owner(),
                arn,
                PrincipalType::Iam,
                AssociationLimits::default(),
            )
            .unwrap();
        store
            .disassociate(&a, &owner(), arn, PrincipalType::Iam)
            .unwrap();
    }
    assert_eq!(store.changes_since(start), Some(vec![a.clone()]));
    let recent = store.version() - 10;
    assert_eq!(store.changes_since(recent), Some(vec![a]));
}
