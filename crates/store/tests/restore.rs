#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! A memory store restored from its rows (`MemoryStore::stored_state`, `MemoryStore::restore`)
//! holds the same state, lists it in the same orders, never reuses a deleted id, and goes on
//! from there as the original would.

use std::sync::Arc;

use portcullis_matcher::{PrincipalArn, PrincipalPattern};
use portcullis_model::{
    AccountId, AccountJoinedMethod, OrganizationFeatureSet, Partition, PortfolioId, Region,
    ServicePrincipal, Timestamp,
};
use portcullis_store::rows::StoredState;
use portcullis_store::*;

fn account(s: &str) -> AccountId {
    AccountId::parse(s).unwrap()
}

fn new_portfolio(owner: &AccountId, name: &str, token: Option<&str>) -> NewPortfolio {
    NewPortfolio {
        owner: owner.clone(),
        partition: Partition::default(),
        region: Region::parse("us-east-1").unwrap(),
        display_name: name.into(),
        description: None,
        provider_name: "p".into(),
        tags: vec![],
        created_time: Timestamp::from_epoch_millis(1_700_000_000_123),
        idempotency_token: token.map(Into::into),
    }
}

/// A store with a bit of everything: portfolios (one deleted), associations of both types by
/// the owner and a recipient, account and organization shares, imports of both kinds, share
/// operations, an idempotency token, an organization with an OU tree, members, a failed
/// create-account request, a delegated administrator and service access.
fn populated() -> (MemoryStore, Vec<PortfolioId>) {
    let store = MemoryStore::new();
    let owner = account("111111111111");
    let org = store
        .create_organization(NewOrganization {
            management_account: owner.clone(),
            management_name: "management".into(),
            management_email: "m@example.com".into(),
            feature_set: OrganizationFeatureSet::All,
            now: Timestamp::from_epoch_millis(1_700_000_000_000),
        })
        .unwrap();
    let root = portcullis_model::ParentId::Root(org.root.clone());
    let ou = store
        .create_organizational_unit(&org.id, &root, "eng")
        .unwrap();
    let ou_parent = portcullis_model::ParentId::OrganizationalUnit(ou.id.clone());
    let web = store
        .create_organizational_unit(&org.id, &ou_parent, "web")
        .unwrap();
    let created = store
        .create_account(
            &org.id,
            NewAccount {
                name: "alpha".into(),
                email: "alpha@example.com".into(),
                now: Timestamp::from_epoch_millis(1_700_000_000_500),
            },
        )
        .unwrap();
    let alpha = created.account_id.clone().unwrap();
    store
        .create_account(
            &org.id,
            NewAccount {
                name: "dup".into(),
                email: "ALPHA@example.com".into(),
                now: Timestamp::from_epoch_millis(1_700_000_000_600),
            },
        )
        .unwrap();
    store
        .add_member_account(
            &org.id,
            NewMember {
                id: account("222222222222"),
                name: "beta".into(),
                email: "beta@example.com".into(),
                joined_method: AccountJoinedMethod::Invited,
                now: Timestamp::from_epoch_millis(1_700_000_000_700),
            },
        )
        .unwrap();
    store
        .move_account(
            &alpha,
            &root,
            &portcullis_model::ParentId::OrganizationalUnit(web.id.clone()),
        )
        .unwrap();
    let sc = ServicePrincipal::service_catalog();
    store.set_service_access(&org.id, &sc, true).unwrap();
    store
        .register_delegated_administrator(
            &org.id,
            &account("222222222222"),
            &sc,
            Timestamp::from_epoch_millis(1_700_000_001_000),
        )
        .unwrap();

    let mut ids = Vec::new();
    for (i, token) in [None, Some("tok"), None].into_iter().enumerate() {
        let p = store
            .create_portfolio(new_portfolio(&owner, &format!("p{i}"), token))
            .unwrap()
            .portfolio;
        ids.push(p.id);
    }
    let pattern = |s: &str| Association::Pattern(Arc::new(PrincipalPattern::parse(s).unwrap()));
    let iam = |s: &str| Association::Iam(PrincipalArn::parse(s).unwrap());
    store
        .associate(&ids[0], &owner, pattern("arn:aws:iam:::role/Dev*"), 10)
        .unwrap();
    store
        .associate(
            &ids[0],
            &owner,
            iam("arn:aws:iam::111111111111:role/Admin"),
            10,
        )
        .unwrap();
    store
        .create_share(
            &ids[0],
            NewShare {
                target: ShareTarget::Account(account("333333333333")),
                share_principals: false,
                share_tag_options: true,
                accepted: false,
                track: false,
                created_by: owner.clone(),
            },
            10,
        )
        .unwrap();
    store
        .accept_account_share(&ids[0], &account("333333333333"))
        .unwrap();
    store
        .associate(
            &ids[0],
            &account("333333333333"),
            iam("arn:aws:iam::333333333333:role/Reader"),
            10,
        )
        .unwrap();
    store
        .create_share(
            &ids[1],
            NewShare {
                target: ShareTarget::OrganizationalUnit(ou.id.clone()),
                share_principals: true,
                share_tag_options: false,
                accepted: true,
                track: true,
                created_by: owner.clone(),
            },
            10,
        )
        .unwrap();
    store
        .update_share(
            &ids[1],
            &ShareTarget::OrganizationalUnit(ou.id.clone()),
            ShareUpdate {
                share_principals: Some(false),
                share_tag_options: None,
            },
        )
        .unwrap();
    store.import_organization_share(&ids[1], &alpha).unwrap();
    store.delete_portfolio(&ids[2]).unwrap();
    (store, ids)
}

/// The state as rows, each list sorted so that two dumps compare equal.
fn dump(store: &MemoryStore) -> StoredState {
    let mut s = store.stored_state();
    s.portfolios.sort_by(|a, b| a.record.id.cmp(&b.record.id));
    s.retired.sort();
    s.share_operations.sort_by(|a, b| a.token.cmp(&b.token));
    s.organizations
        .sort_by(|a, b| a.record.id.cmp(&b.record.id));
    s.ous.sort_by_key(|r| r.seq);
    s.members.sort_by_key(|r| r.seq);
    s.create_requests.sort_by(|a, b| a.id.cmp(&b.id));
    s
}

#[test]
fn a_restored_store_holds_the_same_rows_and_lists_in_the_same_orders() {
    let (store, ids) = populated();
    let rows = dump(&store);
    assert!(rows.portfolios.len() == 2 && rows.retired.len() == 1);
    // Through JSON, as a durable store keeps them.
    let json = serde_json::to_string(&rows).unwrap();
    let back: StoredState = serde_json::from_str(&json).unwrap();
    assert_eq!(back, rows);
    let restored = MemoryStore::restore(back, 16).unwrap();
    assert_eq!(dump(&restored), rows);
    assert_eq!(
        restored.version(),
        0,
        "a restored store starts a new change record"
    );

    let owner = account("111111111111");
    let region = Region::parse("us-east-1").unwrap();
    for s in [&store, &restored] {
        let listed: Vec<PortfolioId> = s
            .list_portfolios(&owner, &region, PageRequest::all())
            .unwrap()
            .items
            .into_iter()
            .map(|p| p.id)
            .collect();
        assert_eq!(listed, ids[..2].to_vec());
    }
    for id in &ids[..2] {
        assert_eq!(
            store.portfolio_snapshot(id).unwrap(),
            restored.portfolio_snapshot(id).unwrap()
        );
    }
    let org = store.organization_of(&owner).unwrap().unwrap();
    assert_eq!(
        store.list_accounts(&org.id, PageRequest::all()).unwrap(),
        restored.list_accounts(&org.id, PageRequest::all()).unwrap()
    );
    for a in ["111111111111", "222222222222"] {
        assert_eq!(
            store.placement(&account(a)).unwrap(),
            restored.placement(&account(a)).unwrap()
        );
    }
    assert_eq!(
        store
            .list_imports(&account("333333333333"), &region, ImportKind::AccountShare)
            .unwrap(),
        restored
            .list_imports(&account("333333333333"), &region, ImportKind::AccountShare)
            .unwrap()
    );
    assert!(
        restored
            .is_delegated_administrator(
                &account("222222222222"),
                &ServicePrincipal::service_catalog()
            )
            .unwrap()
    );
}

#[test]
fn a_restored_store_goes_on_as_the_original_would() {
    let (store, ids) = populated();
    let restored = MemoryStore::restore(store.stored_state(), 16).unwrap();
    let owner = account("111111111111");
    // The idempotency token still answers the first creation.
    let again = restored
        .create_portfolio(new_portfolio(&owner, "other", Some("tok")))
        .unwrap();
    assert!(!again.created);
    assert_eq!(again.portfolio.id, ids[1]);
    // New associations go after the restored ones; limits count the restored ones.
    let pattern = |s: &str| Association::Pattern(Arc::new(PrincipalPattern::parse(s).unwrap()));
    assert!(matches!(
        restored.associate(&ids[0], &owner, pattern("arn:aws:iam:::role/Ops*"), 1),
        Err(StoreError::LimitExceeded { .. })
    ));
    restored
        .associate(&ids[0], &owner, pattern("arn:aws:iam:::role/Ops*"), 2)
        .unwrap();
    let listed = restored
        .list_associations(&ids[0], &owner, PageRequest::all())
        .unwrap()
        .items;
    assert_eq!(listed.last().unwrap().arn(), "arn:aws:iam:::role/Ops*");
    // A new portfolio gets a fresh id and is listed after the restored ones.
    let fresh = restored
        .create_portfolio(new_portfolio(&owner, "new", None))
        .unwrap()
        .portfolio;
    assert!(!ids.contains(&fresh.id));
    let listed = restored
        .list_portfolios(
            &owner,
            &Region::parse("us-east-1").unwrap(),
            PageRequest::all(),
        )
        .unwrap()
        .items;
    assert_eq!(listed.last().unwrap().id, fresh.id);
    assert!(restored.is_retired(&ids[2]));
    assert_eq!(restored.version(), 2);
}

#[test]
fn a_damaged_association_row_is_refused_naming_the_portfolio() {
    let (store, ids) = populated();
    let mut rows = store.stored_state();
    let row = rows
        .portfolios
        .iter_mut()
        .find(|p| p.record.id == ids[0])
        .unwrap();
    row.associations[0].arn = "arn:aws:iam:::*/broken".into();
    let err = MemoryStore::restore(rows, 16).map(drop).unwrap_err();
    let StoreError::Unavailable(message) = err else {
        panic!("expected Unavailable, got {err:?}");
    };
    assert!(message.contains(ids[0].as_str()), "{message}");
}
