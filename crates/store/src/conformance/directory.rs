//! The organization directory: trees, membership lookups, delegated administrators and service
//! access.

use portcullis_model::{
    AccountId, AccountJoinedMethod, CreateAccountFailureReason, CreateAccountState,
    OrganizationFeatureSet, OrganizationNodeValue, OuId, ParentId, Region, ServicePrincipal,
    Timestamp,
};

use super::StoreFactory;
use crate::{
    AccountPlacement, ImportKind, NewAccount, NewMember, NewOrganization, NewPortfolio, NewShare,
    OrganizationRecord, PageRequest, ShareTarget, Store, StoreError,
};

fn acct(s: &str) -> AccountId {
    AccountId::parse(s).unwrap()
}

fn now() -> Timestamp {
    Timestamp::from_epoch_millis(5_000)
}

fn organization(store: &dyn Store, management: &str) -> OrganizationRecord {
    store
        .create_organization(NewOrganization {
            management_account: acct(management),
            management_name: "management".into(),
            management_email: format!("{management}@example.com"),
            feature_set: OrganizationFeatureSet::All,
            now: now(),
        })
        .unwrap()
}

fn member(store: &dyn Store, org: &OrganizationRecord, id: &str) -> AccountId {
    store
        .add_member_account(
            &org.id,
            NewMember {
                id: acct(id),
                name: id.into(),
                email: format!("{id}@example.com"),
                joined_method: AccountJoinedMethod::Invited,
                now: now(),
            },
        )
        .unwrap()
        .id
}

fn ou(store: &dyn Store, org: &OrganizationRecord, parent: &ParentId, name: &str) -> OuId {
    store
        .create_organizational_unit(&org.id, parent, name)
        .unwrap()
        .id
}

/// Creating an organization makes the caller its management account, under its root, and one
/// change; the same account cannot create another.
pub fn creating_an_organization_makes_the_caller_its_management_account_under_the_root(
    factory: &dyn StoreFactory,
) {
    let store = &*factory.fresh();
    let version = store.version();
    let org = organization(store, "111111111111");
    assert_eq!(org.management_account, acct("111111111111"));
    assert_eq!(store.version(), version + 1);
    assert_eq!(store.organization(&org.id).unwrap(), Some(org.clone()));
    assert_eq!(
        store.organization_of(&acct("111111111111")).unwrap(),
        Some(org.clone())
    );
    let management = store
        .member_account(&acct("111111111111"))
        .unwrap()
        .unwrap();
    assert_eq!(management.parent, ParentId::Root(org.root.clone()));
    assert_eq!(
        store.create_organization(NewOrganization {
            management_account: acct("111111111111"),
            management_name: "again".into(),
            management_email: "again@example.com".into(),
            feature_set: OrganizationFeatureSet::All,
            now: now(),
        }),
        Err(StoreError::AlreadyInOrganization {
            account: acct("111111111111"),
            organization: org.id,
        })
    );
}

/// An account already in one organization cannot be added to another.
pub fn an_account_belongs_to_at_most_one_organization(factory: &dyn StoreFactory) {
    let store = &*factory.fresh();
    let a = organization(store, "111111111111");
    let b = organization(store, "222222222222");
    member(store, &a, "333333333333");
    assert!(matches!(
        store.add_member_account(
            &b.id,
            NewMember {
                id: acct("333333333333"),
                name: "x".into(),
                email: "x@example.com".into(),
                joined_method: AccountJoinedMethod::Invited,
                now: now(),
            }
        ),
        Err(StoreError::AlreadyInOrganization { .. })
    ));
}

/// An OU's name is unique among its siblings (the same name elsewhere is fine), its id names
/// its root, and its parent must be in its organization.
pub fn ou_names_are_unique_among_siblings_and_parents_must_be_in_the_organization(
    factory: &dyn StoreFactory,
) {
    let store = &*factory.fresh();
    let org = organization(store, "111111111111");
    let other = organization(store, "222222222222");
    let root = ParentId::Root(org.root.clone());
    let dev = ou(store, &org, &root, "dev");
    assert!(
        dev.as_str()
            .starts_with(&format!("ou-{}-", org.root.suffix()))
    );
    assert!(matches!(
        store.create_organizational_unit(&org.id, &root, "dev"),
        Err(StoreError::DuplicateOrganizationalUnit { .. })
    ));
    // The same name under another parent is fine.
    ou(
        store,
        &org,
        &ParentId::OrganizationalUnit(dev.clone()),
        "dev",
    );
    let foreign_root = ParentId::Root(other.root.clone());
    assert_eq!(
        store.create_organizational_unit(&org.id, &foreign_root, "x"),
        Err(StoreError::ParentNotFound(foreign_root))
    );
    let listed = store
        .list_organizational_units(&org.id, &root, PageRequest::all())
        .unwrap();
    assert_eq!(listed.items.len(), 1);
    assert_eq!(listed.items[0].id, dev);
}

/// The accounts under an OU include those in its sub-OUs, an organization holds every member in
/// joining order, placements give the OUs from the root down, and both follow a move at once.
pub fn accounts_under_a_node_are_found_transitively_and_follow_moves(factory: &dyn StoreFactory) {
    let store = &*factory.fresh();
    let org = organization(store, "111111111111");
    let root = ParentId::Root(org.root.clone());
    let eng = ou(store, &org, &root, "eng");
    let web = ou(
        store,
        &org,
        &ParentId::OrganizationalUnit(eng.clone()),
        "web",
    );
    let a = member(store, &org, "333333333333");
    let web_parent = ParentId::OrganizationalUnit(web.clone());
    store.move_account(&a, &root, &web_parent).unwrap();

    let eng_node = OrganizationNodeValue::OrganizationalUnit(eng.clone());
    let web_node = OrganizationNodeValue::OrganizationalUnit(web.clone());
    let org_node = OrganizationNodeValue::Organization(org.id.clone());
    assert_eq!(
        store.accounts_under(&eng_node).unwrap(),
        vec![a.clone()],
        "an OU holds the accounts in its sub-OUs"
    );
    assert_eq!(store.accounts_under(&web_node).unwrap(), vec![a.clone()]);
    assert_eq!(
        store.accounts_under(&org_node).unwrap(),
        vec![acct("111111111111"), a.clone()],
        "an organization holds every member, in joining order"
    );
    assert_eq!(
        store
            .accounts_under(&OrganizationNodeValue::Account(a.clone()))
            .unwrap(),
        vec![a.clone()]
    );
    assert!(
        store
            .accounts_under(&OrganizationNodeValue::Account(acct("999999999999")))
            .unwrap()
            .is_empty(),
        "an account outside every organization is under no node"
    );
    assert!(
        store
            .accounts_under(&OrganizationNodeValue::OrganizationalUnit(
                OuId::parse("ou-zzzz-zzzzzzzz").unwrap()
            ))
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store.placement(&a).unwrap().as_deref(),
        Some(&AccountPlacement {
            organization: org.id.clone(),
            root: org.root.clone(),
            ous: vec![eng.clone(), web.clone()],
        })
    );
    assert_eq!(
        store.placement(&acct("111111111111")).unwrap().unwrap().ous,
        Vec::<OuId>::new()
    );
    assert_eq!(store.placement(&acct("999999999999")).unwrap(), None);

    // Moving the account out of `eng` takes it out of `eng` at once.
    store.move_account(&a, &web_parent, &root).unwrap();
    assert!(store.accounts_under(&eng_node).unwrap().is_empty());
    assert!(store.accounts_under(&web_node).unwrap().is_empty());
    assert_eq!(store.accounts_under(&org_node).unwrap().len(), 2);
    assert_eq!(
        store.placement(&a).unwrap().unwrap().ous,
        Vec::<OuId>::new()
    );
}

/// Moving an account needs a member account, its current parent as the source, a destination in
/// its organization, and a destination other than the source.
pub fn move_account_checks_source_destination_and_duplicates(factory: &dyn StoreFactory) {
    let store = &*factory.fresh();
    let org = organization(store, "111111111111");
    let root = ParentId::Root(org.root.clone());
    let eng = ParentId::OrganizationalUnit(ou(store, &org, &root, "eng"));
    let a = member(store, &org, "333333333333");
    assert_eq!(
        store.move_account(&acct("999999999999"), &root, &eng),
        Err(StoreError::AccountNotFound(acct("999999999999")))
    );
    assert_eq!(
        store.move_account(&a, &eng, &root),
        Err(StoreError::SourceParentNotFound(eng.clone())),
        "the source must be the account's current parent"
    );
    let nowhere = ParentId::parse("ou-zzzz-zzzzzzzz").unwrap();
    assert_eq!(
        store.move_account(&a, &root, &nowhere),
        Err(StoreError::DestinationParentNotFound(nowhere))
    );
    assert!(matches!(
        store.move_account(&a, &root, &root),
        Err(StoreError::DuplicateAccount { .. })
    ));
}

/// Creating an account completes at once; an e-mail address already in the directory (in any
/// case) makes a failed request and no account.
pub fn create_account_completes_at_once_and_refuses_a_known_email(factory: &dyn StoreFactory) {
    let store = &*factory.fresh();
    let org = organization(store, "111111111111");
    let created = store
        .create_account(
            &org.id,
            NewAccount {
                name: "dev".into(),
                email: "dev@example.com".into(),
                now: now(),
            },
        )
        .unwrap();
    assert_eq!(created.state, CreateAccountState::Succeeded);
    let id = created.account_id.clone().unwrap();
    assert_eq!(
        store.member_account(&id).unwrap().unwrap().organization,
        org.id
    );
    assert_eq!(
        store.create_account_status(&created.id).unwrap(),
        Some(created)
    );
    let again = store
        .create_account(
            &org.id,
            NewAccount {
                name: "dev2".into(),
                email: "DEV@example.com".into(),
                now: now(),
            },
        )
        .unwrap();
    assert_eq!(again.state, CreateAccountState::Failed);
    assert_eq!(
        again.failure_reason,
        Some(CreateAccountFailureReason::EmailAlreadyExists)
    );
    assert_eq!(again.account_id, None);
    let accounts = store.list_accounts(&org.id, PageRequest::all()).unwrap();
    assert_eq!(accounts.items.len(), 2);
}

/// Service access cannot be disabled while the service has delegated administrators; an
/// administrator is registered once, and only a member account can be one.
pub fn delegated_administrators_block_disabling_service_access(factory: &dyn StoreFactory) {
    let store = &*factory.fresh();
    let org = organization(store, "111111111111");
    let sc = ServicePrincipal::service_catalog();
    let a = member(store, &org, "333333333333");
    assert!(!store.service_access(&org.id, &sc).unwrap());
    assert_eq!(store.set_service_access(&org.id, &sc, true), Ok(true));
    assert_eq!(store.set_service_access(&org.id, &sc, true), Ok(false));
    assert!(store.service_access(&org.id, &sc).unwrap());

    store
        .register_delegated_administrator(&org.id, &a, &sc, now())
        .unwrap();
    assert!(store.is_delegated_administrator(&a, &sc).unwrap());
    assert!(matches!(
        store.register_delegated_administrator(&org.id, &a, &sc, now()),
        Err(StoreError::AccountAlreadyRegistered { .. })
    ));
    assert_eq!(
        store.register_delegated_administrator(&org.id, &acct("999999999999"), &sc, now()),
        Err(StoreError::AccountNotFound(acct("999999999999")))
    );
    let admins = store
        .list_delegated_administrators(&org.id, Some(&sc))
        .unwrap();
    assert_eq!(admins.len(), 1);
    assert_eq!(admins[0].account.id, a);

    assert!(matches!(
        store.set_service_access(&org.id, &sc, false),
        Err(StoreError::DelegatedAdministratorsRegistered { count: 1, .. })
    ));
    store
        .deregister_delegated_administrator(&org.id, &a, &sc)
        .unwrap();
    assert!(!store.is_delegated_administrator(&a, &sc).unwrap());
    assert!(matches!(
        store.deregister_delegated_administrator(&org.id, &a, &sc),
        Err(StoreError::AccountNotRegistered { .. })
    ));
    assert_eq!(store.set_service_access(&org.id, &sc, false), Ok(true));
}

/// Deleting the shares an account created removes only those (only organization-node ones when
/// asked), an account share's import with it, and nothing the second time.
pub fn deleting_shares_created_by_an_account_removes_only_those(factory: &dyn StoreFactory) {
    let store = &*factory.fresh();
    let owner = acct("111111111111");
    let admin = acct("333333333333");
    let id = store
        .create_portfolio(NewPortfolio {
            owner: owner.clone(),
            partition: Default::default(),
            region: Region::parse("us-east-1").unwrap(),
            display_name: "p".into(),
            description: None,
            provider_name: "x".into(),
            tags: vec![],
            created_time: now(),
            idempotency_token: None,
        })
        .unwrap()
        .portfolio
        .id;
    // As the service does: organization-node shares start accepted and are tracked.
    let share = |target: ShareTarget, by: &AccountId| {
        let organization_node = target.is_organization_node();
        store
            .create_share(
                &id,
                NewShare {
                    target,
                    share_principals: false,
                    share_tag_options: false,
                    accepted: organization_node,
                    track: organization_node,
                    created_by: by.clone(),
                },
                100,
            )
            .unwrap()
    };
    let ou_target = ShareTarget::OrganizationalUnit(OuId::parse("ou-abcd-abcdefgh").unwrap());
    share(ou_target.clone(), &admin);
    share(ShareTarget::Account(acct("444444444444")), &admin);
    share(ShareTarget::Account(acct("555555555555")), &owner);
    let admins_account_share = ShareTarget::Account(acct("444444444444"));
    store
        .accept_account_share(&id, &acct("444444444444"))
        .unwrap();
    let removed = store.delete_shares_created_by(&admin, true).unwrap();
    assert_eq!(removed.len(), 1);
    assert_eq!(removed[0].0, id);
    assert_eq!(removed[0].1.target, ou_target);
    let left = store
        .list_shares(&id, None, PageRequest::all())
        .unwrap()
        .items;
    assert_eq!(left.len(), 2);
    assert!(
        store
            .is_imported(&id, &acct("444444444444"), ImportKind::AccountShare)
            .unwrap()
    );

    // Without the filter the administrator's account share goes too, with its import.
    let removed = store.delete_shares_created_by(&admin, false).unwrap();
    assert_eq!(removed.len(), 1);
    assert_eq!(removed[0].1.target, admins_account_share);
    assert!(
        !store
            .is_imported(&id, &acct("444444444444"), ImportKind::AccountShare)
            .unwrap()
    );
    let left = store
        .list_shares(&id, None, PageRequest::all())
        .unwrap()
        .items;
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].created_by, owner);
    assert!(
        store
            .delete_shares_created_by(&admin, false)
            .unwrap()
            .is_empty()
    );
}
