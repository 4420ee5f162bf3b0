//! Resetting the state: everything goes at once, the version moves on with one
//! [`Change::Reset`], and a store reset while others write keeps its indexes in agreement.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

use portcullis_matcher::PrincipalPattern;
use portcullis_model::{
    AccountId, OrganizationFeatureSet, Partition, PortfolioId, Region, ServicePrincipal, Timestamp,
};

use super::StoreFactory;
use crate::{
    Association, Change, ImportKind, NewAccount, NewOrganization, NewPortfolio, NewShare,
    PageRequest, ShareTarget, Store,
};

fn acct(s: &str) -> AccountId {
    AccountId::parse(s).unwrap()
}

fn region() -> Region {
    Region::parse("us-east-1").unwrap()
}

fn create(store: &dyn Store, owner: &AccountId, token: Option<&str>) -> PortfolioId {
    store
        .create_portfolio(NewPortfolio {
            owner: owner.clone(),
            partition: Partition::default(),
            region: region(),
            display_name: "p".into(),
            description: None,
            provider_name: "provider".into(),
            tags: vec![],
            created_time: Timestamp::from_epoch_millis(0),
            idempotency_token: token.map(str::to_owned),
        })
        .unwrap()
        .portfolio
        .id
}

/// Portfolios, associations, shares, imports, idempotency tokens, share operations and the
/// whole directory are gone after a reset; the version moves by one, recording
/// [`Change::Reset`]; and the store goes on as a new one.
pub fn reset_removes_everything_at_once_and_records_one_reset_change(factory: &impl StoreFactory) {
    let store = factory.fresh();
    let owner = acct("111111111111");
    let recipient = acct("222222222222");
    let id = create(&*store, &owner, Some("token"));
    let pattern = PrincipalPattern::parse("arn:aws:iam:::role/Dev*").unwrap();
    store
        .associate(&id, &owner, Association::Pattern(Arc::new(pattern)), 10)
        .unwrap();
    store
        .create_share(
            &id,
            NewShare {
                target: ShareTarget::Account(recipient.clone()),
                share_principals: false,
                share_tag_options: false,
                accepted: false,
                track: false,
                created_by: owner.clone(),
            },
            1000,
        )
        .unwrap();
    store.accept_account_share(&id, &recipient).unwrap();
    let org = store
        .create_organization(NewOrganization {
            management_account: owner.clone(),
            management_name: "management".into(),
            management_email: "m@example.com".into(),
            feature_set: OrganizationFeatureSet::All,
            now: Timestamp::from_epoch_millis(0),
        })
        .unwrap();
    let created = store
        .create_account(
            &org.id,
            NewAccount {
                name: "member".into(),
                email: "member@example.com".into(),
                now: Timestamp::from_epoch_millis(0),
            },
        )
        .unwrap();
    let member = created.account_id.clone().unwrap();
    store
        .register_delegated_administrator(
            &org.id,
            &member,
            &ServicePrincipal::service_catalog(),
            Timestamp::from_epoch_millis(0),
        )
        .unwrap();

    let before = store.version();
    store.reset().unwrap();
    assert_eq!(store.version(), before + 1, "a reset is one change");
    assert_eq!(
        store.changes_since(before).unwrap().changes,
        vec![(before + 1, Change::Reset)]
    );

    assert_eq!(store.portfolio(&id).unwrap(), None);
    assert!(
        store
            .list_portfolios(&owner, &region(), PageRequest::all())
            .unwrap()
            .items
            .is_empty()
    );
    assert!(
        store
            .list_imports(&recipient, &region(), ImportKind::AccountShare)
            .unwrap()
            .is_empty()
    );
    let mut left = 0;
    store.for_each_portfolio(&mut |_| left += 1).unwrap();
    assert_eq!(left, 0, "no portfolio is left");
    assert_eq!(store.organization(&org.id).unwrap(), None);
    assert_eq!(store.organization_of(&owner).unwrap(), None);
    assert_eq!(store.member_account(&member).unwrap(), None);
    assert_eq!(store.create_account_status(&created.id).unwrap(), None);
    assert!(
        !store
            .is_delegated_administrator(&member, &ServicePrincipal::service_catalog())
            .unwrap()
    );

    // The store goes on as a new one: the token creates a new portfolio, the account may found
    // an organization again.
    let again = create(&*store, &owner, Some("token"));
    assert_ne!(again, id);
    assert!(
        store
            .create_organization(NewOrganization {
                management_account: owner.clone(),
                management_name: "management".into(),
                management_email: "m@example.com".into(),
                feature_set: OrganizationFeatureSet::All,
                now: Timestamp::from_epoch_millis(0),
            })
            .is_ok()
    );
    // Resetting an empty store is a change too (the caller asked for one).
    store.reset().unwrap();
    store.reset().unwrap();
    assert_eq!(store.portfolio(&again).unwrap(), None);
}

/// Resets racing writers leave the store's lists in agreement: every portfolio listed by owner
/// exists, and every existing portfolio is listed.
pub fn resets_racing_writers_leave_the_lists_in_agreement(factory: &impl StoreFactory) {
    let store = factory.fresh();
    let owner = acct("111111111111");
    let done = AtomicBool::new(false);
    thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                while !done.load(Ordering::SeqCst) {
                    create(&*store, &owner, None);
                }
            });
        }
        let resets: Vec<_> = (0..10)
            .map(|_| {
                let reset = store.reset();
                thread::yield_now();
                reset
            })
            .collect();
        // The writers stop before anything is asserted, so a failure cannot leave them running.
        done.store(true, Ordering::SeqCst);
        for reset in resets {
            reset.unwrap();
        }
    });
    let mut listed: Vec<PortfolioId> = store
        .list_portfolios(&owner, &region(), PageRequest::all())
        .unwrap()
        .items
        .into_iter()
        .map(|p| p.id)
        .collect();
    let mut existing = Vec::new();
    store
        .for_each_portfolio(&mut |snapshot| existing.push(snapshot.portfolio.id))
        .unwrap();
    listed.sort();
    existing.sort();
    assert_eq!(listed, existing);
}
