//! The change feed: every successful change moves `version` by one and records which `Change` it
//! was; reads, refusals and idempotent repeats record nothing; and a reader following the feed
//! while others write misses nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Barrier, Mutex};
use std::thread;

use portcullis_matcher::{PrincipalArn, PrincipalPattern};
use portcullis_model::{
    AccountId, AccountJoinedMethod, CreateAccountState, OrganizationFeatureSet, OrganizationId,
    OrganizationNodeValue, OuId, ParentId, Partition, PortfolioId, PrincipalType, Region,
    ServicePrincipal, Tag, Timestamp,
};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::StoreFactory;
use crate::{
    AssociateOutcome, Association, Change, Changes, CreatedPortfolio, CreatedShare, ImportKind,
    LimitKind, MemoryStore, NewAccount, NewMember, NewOrganization, NewPortfolio, NewShare,
    PageRequest, PortfolioUpdate, ShareTarget, ShareUpdate, Store, StoreError,
};

fn acct(s: &str) -> AccountId {
    AccountId::parse(s).unwrap()
}

fn owner() -> AccountId {
    acct("111111111111")
}

fn now() -> Timestamp {
    Timestamp::from_epoch_millis(0)
}

fn new_portfolio_with(store: &dyn Store, token: Option<&str>) -> CreatedPortfolio {
    store
        .create_portfolio(NewPortfolio {
            owner: owner(),
            partition: Partition::default(),
            region: Region::parse("us-east-1").unwrap(),
            display_name: "p".into(),
            description: None,
            provider_name: "provider".into(),
            tags: vec![],
            created_time: now(),
            idempotency_token: token.map(str::to_owned),
        })
        .unwrap()
}

fn new_portfolio(store: &dyn Store) -> PortfolioId {
    new_portfolio_with(store, None).portfolio.id
}

fn pattern(s: &str) -> Association {
    Association::Pattern(Arc::new(PrincipalPattern::parse(s).unwrap()))
}

fn iam(s: &str) -> Association {
    Association::Iam(PrincipalArn::parse(s).unwrap())
}

/// A share as the service makes it: organization-node shares start accepted and are tracked,
/// account shares neither.
fn new_share(target: ShareTarget) -> NewShare {
    let organization_node = target.is_organization_node();
    NewShare {
        target,
        share_principals: false,
        share_tag_options: false,
        accepted: organization_node,
        track: organization_node,
        created_by: owner(),
    }
}

/// Follows the feed the way an index does, asserting at each step that exactly `expected` was
/// recorded since the last step, under the next versions.
struct Follower<'a> {
    store: &'a dyn Store,
    version: u64,
}

impl<'a> Follower<'a> {
    fn new(store: &'a dyn Store) -> Follower<'a> {
        Follower {
            store,
            version: store.version(),
        }
    }

    #[track_caller]
    fn expect(&mut self, expected: &[Change]) {
        let from = self.version;
        let changes = self.store.changes_since(from).unwrap();
        let want: Vec<(u64, Change)> = expected
            .iter()
            .enumerate()
            .map(|(i, c)| (from + 1 + i as u64, c.clone()))
            .collect();
        assert_eq!(changes.changes, want, "changes since {from}");
        assert_eq!(changes.version, from + expected.len() as u64);
        assert_eq!(self.store.version(), changes.version);
        self.version = changes.version;
    }

    #[track_caller]
    fn nothing(&mut self) {
        self.expect(&[]);
    }
}

/// A fresh store is at version 0 and has recorded nothing.
pub fn a_new_store_is_at_version_zero_with_nothing_recorded(factory: &dyn StoreFactory) {
    let store = &*factory.fresh();
    assert_eq!(store.version(), 0);
    assert_eq!(
        store.changes_since(0),
        Ok(Changes {
            version: 0,
            changes: vec![]
        })
    );
}

/// Creating, updating and deleting a portfolio and associating with it each record one change of
/// the portfolio; reads, idempotent repeats, refusals and calls on a deleted portfolio record
/// nothing.
pub fn portfolio_lifecycle_and_associations_record_their_portfolio(factory: &dyn StoreFactory) {
    let store = &*factory.fresh();
    let mut feed = Follower::new(store);
    let portfolio = |id: &PortfolioId| Change::Portfolio(id.clone());

    let first = new_portfolio_with(store, Some("token"));
    let a = first.portfolio.id.clone();
    feed.expect(&[portfolio(&a)]);
    let again = new_portfolio_with(store, Some("token"));
    assert!(!again.created);
    feed.nothing();
    let b = new_portfolio(store);
    feed.expect(&[portfolio(&b)]);

    // Reads record nothing.
    store.portfolio(&a).unwrap().unwrap();
    store.portfolio_snapshot(&a).unwrap().unwrap();
    store
        .list_portfolios(&owner(), &first.portfolio.region, PageRequest::all())
        .unwrap();
    store.for_each_portfolio(&mut |_| {}).unwrap();
    feed.nothing();

    let rename = |name: &str| PortfolioUpdate {
        display_name: Some(name.into()),
        ..PortfolioUpdate::default()
    };
    store.update_portfolio(&a, rename("q")).unwrap();
    feed.expect(&[portfolio(&a)]);
    // The same values again change nothing.
    store.update_portfolio(&a, rename("q")).unwrap();
    store
        .update_portfolio(&a, PortfolioUpdate::default())
        .unwrap();
    feed.nothing();
    let tagged = PortfolioUpdate {
        add_tags: vec![Tag {
            key: "k".into(),
            value: "v".into(),
        }],
        ..PortfolioUpdate::default()
    };
    store.update_portfolio(&b, tagged.clone()).unwrap();
    feed.expect(&[portfolio(&b)]);
    store.update_portfolio(&b, tagged).unwrap();
    feed.nothing();

    let dev = "arn:aws:iam:::role/Dev*";
    let alice = "arn:aws:iam::111111111111:user/alice";
    assert_eq!(
        store.associate(&a, &owner(), pattern(dev), 1),
        Ok(AssociateOutcome::Added)
    );
    assert_eq!(
        store.associate(&a, &owner(), iam(alice), 5),
        Ok(AssociateOutcome::Added)
    );
    feed.expect(&[portfolio(&a), portfolio(&a)]);
    // A repeat and a refusal record nothing.
    assert_eq!(
        store.associate(&a, &owner(), pattern(dev), 1),
        Ok(AssociateOutcome::AlreadyPresent)
    );
    assert!(matches!(
        store.associate(&a, &owner(), pattern("arn:aws:iam:::role/Ops*"), 1),
        Err(StoreError::LimitExceeded { .. })
    ));
    assert!(store.delete_portfolio(&a).is_err());
    store
        .list_associations(&a, &owner(), PageRequest::all())
        .unwrap();
    feed.nothing();

    // Disassociating matches the type: the wrong type is a refusal.
    assert!(matches!(
        store.disassociate(&a, &owner(), PrincipalType::Iam, dev),
        Err(StoreError::AssociationNotFound { .. })
    ));
    feed.nothing();
    store
        .disassociate(&a, &owner(), PrincipalType::IamPattern, dev)
        .unwrap();
    store
        .disassociate(&a, &owner(), PrincipalType::Iam, alice)
        .unwrap();
    feed.expect(&[portfolio(&a), portfolio(&a)]);
    assert!(
        store
            .disassociate(&a, &owner(), PrincipalType::Iam, alice)
            .is_err()
    );
    feed.nothing();

    store.delete_portfolio(&b).unwrap();
    feed.expect(&[portfolio(&b)]);
    // A deleted portfolio refuses everything, recording nothing.
    assert_eq!(
        store.delete_portfolio(&b),
        Err(StoreError::PortfolioNotFound(b.clone()))
    );
    assert!(store.update_portfolio(&b, rename("r")).is_err());
    assert!(store.associate(&b, &owner(), pattern(dev), 1).is_err());
    assert!(
        store
            .create_share(&b, new_share(ShareTarget::Account(acct("222222222222"))), 9)
            .is_err()
    );
    assert!(
        store
            .import_organization_share(&b, &acct("222222222222"))
            .is_err()
    );
    feed.nothing();
}

/// Creating, updating and deleting shares, accepting and rejecting account shares and importing
/// organization shares each record one change of the portfolio; repeats and refusals record
/// nothing.
pub fn shares_and_imports_record_their_portfolio(factory: &dyn StoreFactory) {
    let store = &*factory.fresh();
    let a = new_portfolio(store);
    let b = new_portfolio(store);
    let mut feed = Follower::new(store);
    let changed = Change::Portfolio(a.clone());
    let recipient = acct("222222222222");
    let account = ShareTarget::Account(recipient.clone());
    let org = ShareTarget::Organization(OrganizationId::parse("o-abcdefghij").unwrap());

    let created = store
        .create_share(&a, new_share(account.clone()), 2)
        .unwrap();
    assert!(created.created && !created.share.accepted && created.share.token.is_none());
    let created = store.create_share(&a, new_share(org.clone()), 2).unwrap();
    assert!(created.created && created.share.accepted && created.share.token.is_some());
    feed.expect(&[changed.clone(), changed.clone()]);
    // An existing target and the limit change nothing.
    assert!(
        !store
            .create_share(&a, new_share(account.clone()), 2)
            .unwrap()
            .created
    );
    assert!(matches!(
        store.create_share(&a, new_share(ShareTarget::Account(acct("333333333333"))), 2),
        Err(StoreError::LimitExceeded {
            kind: LimitKind::Shares,
            limit: 2
        })
    ));
    store.share(&a, &account).unwrap().unwrap();
    store.list_shares(&a, None, PageRequest::all()).unwrap();
    feed.nothing();

    // An update records an operation, so it is a change even when the flags stay.
    let update = store
        .update_share(&a, &org, ShareUpdate::default())
        .unwrap();
    assert!(update.token.is_some());
    feed.expect(std::slice::from_ref(&changed));
    assert!(
        store
            .update_share(
                &a,
                &ShareTarget::Account(acct("444444444444")),
                ShareUpdate::default()
            )
            .is_err()
    );
    feed.nothing();

    store.accept_account_share(&a, &recipient).unwrap();
    feed.expect(std::slice::from_ref(&changed));
    store.accept_account_share(&a, &recipient).unwrap();
    assert!(
        store.accept_account_share(&b, &recipient).is_err(),
        "no share with the recipient on b"
    );
    feed.nothing();
    assert_eq!(
        store
            .list_imports(
                &recipient,
                &Region::parse("us-east-1").unwrap(),
                ImportKind::AccountShare
            )
            .unwrap()[0]
            .1
            .id,
        a
    );
    store.reject_account_share(&a, &recipient).unwrap();
    feed.expect(std::slice::from_ref(&changed));
    store.reject_account_share(&a, &recipient).unwrap();
    feed.nothing();

    let member = acct("555555555555");
    assert_eq!(store.import_organization_share(&b, &member), Ok(true));
    feed.expect(&[Change::Portfolio(b.clone())]);
    assert_eq!(store.import_organization_share(&b, &member), Ok(false));
    assert!(
        store
            .is_imported(&b, &member, ImportKind::OrganizationShare)
            .unwrap()
    );
    feed.nothing();
    assert_eq!(store.remove_organization_import(&b, &member), Ok(true));
    feed.expect(&[Change::Portfolio(b.clone())]);
    assert_eq!(store.remove_organization_import(&b, &member), Ok(false));
    feed.nothing();

    let deleted = store.delete_share(&a, &org, true).unwrap();
    assert!(deleted.token.is_some());
    store.delete_share(&a, &account, false).unwrap();
    feed.expect(&[changed.clone(), changed.clone()]);
    assert!(matches!(
        store.delete_share(&a, &org, true),
        Err(StoreError::ShareNotFound { .. })
    ));
    feed.nothing();
    store.delete_portfolio(&a).unwrap();
    feed.expect(&[changed]);
}

/// Deleting the shares an account created records one change per share removed, of the
/// portfolio it was removed from, and a repeat records nothing.
pub fn deleting_the_shares_an_account_created_records_each_portfolio_it_touched(
    factory: &dyn StoreFactory,
) {
    let store = &*factory.fresh();
    let admin = acct("999999999999");
    let by_admin = |target: ShareTarget| NewShare {
        created_by: admin.clone(),
        ..new_share(target)
    };
    let a = new_portfolio(store);
    let b = new_portfolio(store);
    let untouched = new_portfolio(store);
    let ou = ShareTarget::OrganizationalUnit(OuId::parse("ou-abcd-abcdefgh").unwrap());
    store.create_share(&a, by_admin(ou.clone()), 9).unwrap();
    store
        .create_share(&a, by_admin(ShareTarget::Account(acct("222222222222"))), 9)
        .unwrap();
    store.create_share(&b, by_admin(ou.clone()), 9).unwrap();
    store.create_share(&untouched, new_share(ou), 9).unwrap();
    let mut feed = Follower::new(store);

    let removed = store.delete_shares_created_by(&admin, false).unwrap();
    assert_eq!(removed.len(), 3);
    // One change per share removed, each of the portfolio it was removed from, in the order
    // they were removed.
    let expected: Vec<Change> = removed
        .iter()
        .map(|(id, _)| Change::Portfolio(id.clone()))
        .collect();
    feed.expect(&expected);
    let touched: BTreeSet<&PortfolioId> = removed.iter().map(|(id, _)| id).collect();
    assert_eq!(touched, BTreeSet::from([&a, &b]));

    assert!(
        store
            .delete_shares_created_by(&admin, false)
            .unwrap()
            .is_empty()
    );
    feed.nothing();
}

/// An account joining or moving records where it was placed; other directory changes record
/// their organization; reads and refusals record nothing.
pub fn directory_changes_record_placements_and_organization_changes(factory: &dyn StoreFactory) {
    let store = &*factory.fresh();
    let mut feed = Follower::new(store);
    let sc = ServicePrincipal::service_catalog();
    let management = acct("111111111111");

    let org = store
        .create_organization(NewOrganization {
            management_account: management.clone(),
            management_name: "management".into(),
            management_email: "m@example.com".into(),
            feature_set: OrganizationFeatureSet::All,
            now: now(),
        })
        .unwrap();
    let root = ParentId::Root(org.root.clone());
    let placed =
        |account: &AccountId, from: Option<&ParentId>, to: &ParentId| Change::AccountPlaced {
            account: account.clone(),
            organization: org.id.clone(),
            from: from.cloned(),
            to: to.clone(),
        };
    let organization = Change::Organization(org.id.clone());
    feed.expect(&[placed(&management, None, &root)]);
    assert!(matches!(
        store.create_organization(NewOrganization {
            management_account: management.clone(),
            management_name: "again".into(),
            management_email: "again@example.com".into(),
            feature_set: OrganizationFeatureSet::All,
            now: now(),
        }),
        Err(StoreError::AlreadyInOrganization { .. })
    ));
    feed.nothing();

    let eng = store
        .create_organizational_unit(&org.id, &root, "eng")
        .unwrap();
    let eng = ParentId::OrganizationalUnit(eng.id);
    feed.expect(std::slice::from_ref(&organization));
    assert!(
        store
            .create_organizational_unit(&org.id, &root, "eng")
            .is_err()
    );
    feed.nothing();

    let invited = acct("222222222222");
    let new_member = || NewMember {
        id: invited.clone(),
        name: "invited".into(),
        email: "invited@example.com".into(),
        joined_method: AccountJoinedMethod::Invited,
        now: now(),
    };
    store.add_member_account(&org.id, new_member()).unwrap();
    feed.expect(&[placed(&invited, None, &root)]);
    assert!(store.add_member_account(&org.id, new_member()).is_err());
    feed.nothing();

    let new_account = |email: &str| NewAccount {
        name: "created".into(),
        email: email.into(),
        now: now(),
    };
    let created = store
        .create_account(&org.id, new_account("created@example.com"))
        .unwrap();
    let created_id = created.account_id.unwrap();
    feed.expect(&[placed(&created_id, None, &root)]);
    // A request that fails is still a request made: the organization changed, no account moved.
    let failed = store
        .create_account(&org.id, new_account("CREATED@example.com"))
        .unwrap();
    assert_eq!(failed.state, CreateAccountState::Failed);
    feed.expect(std::slice::from_ref(&organization));
    assert!(
        store
            .create_account(
                &OrganizationId::parse("o-zzzzzzzzzz").unwrap(),
                new_account("x@example.com")
            )
            .is_err()
    );
    feed.nothing();

    store.move_account(&invited, &root, &eng).unwrap();
    feed.expect(&[placed(&invited, Some(&root), &eng)]);
    assert!(store.move_account(&invited, &root, &eng).is_err());
    assert!(store.move_account(&invited, &eng, &eng).is_err());
    feed.nothing();
    store.move_account(&invited, &eng, &root).unwrap();
    feed.expect(&[placed(&invited, Some(&eng), &root)]);

    assert_eq!(store.set_service_access(&org.id, &sc, true), Ok(true));
    feed.expect(std::slice::from_ref(&organization));
    assert_eq!(store.set_service_access(&org.id, &sc, true), Ok(false));
    feed.nothing();
    store
        .register_delegated_administrator(&org.id, &invited, &sc, now())
        .unwrap();
    feed.expect(std::slice::from_ref(&organization));
    assert!(
        store
            .register_delegated_administrator(&org.id, &invited, &sc, now())
            .is_err()
    );
    assert!(store.set_service_access(&org.id, &sc, false).is_err());
    feed.nothing();
    store
        .deregister_delegated_administrator(&org.id, &invited, &sc)
        .unwrap();
    feed.expect(std::slice::from_ref(&organization));
    assert!(
        store
            .deregister_delegated_administrator(&org.id, &invited, &sc)
            .is_err()
    );
    feed.nothing();
    assert_eq!(store.set_service_access(&org.id, &sc, false), Ok(true));
    feed.expect(std::slice::from_ref(&organization));
    assert_eq!(store.set_service_access(&org.id, &sc, false), Ok(false));

    // Reads record nothing.
    store.organization(&org.id).unwrap().unwrap();
    store.organization_of(&invited).unwrap().unwrap();
    store.member_account(&invited).unwrap().unwrap();
    store.list_accounts(&org.id, PageRequest::all()).unwrap();
    store
        .list_organizational_units(&org.id, &root, PageRequest::all())
        .unwrap();
    store.list_delegated_administrators(&org.id, None).unwrap();
    store
        .accounts_under(&OrganizationNodeValue::Organization(org.id.clone()))
        .unwrap();
    store.placement(&invited).unwrap().unwrap();
    store.is_delegated_administrator(&invited, &sc).unwrap();
    store.service_access(&org.id, &sc).unwrap();
    feed.nothing();
}

/// What one writer did: the portfolios it changed, how many times each, and how many
/// directory changes it made.
#[derive(Default)]
struct Written {
    portfolios: BTreeMap<PortfolioId, u64>,
    directory: u64,
}

impl Written {
    fn changed(&mut self, id: &PortfolioId) {
        *self.portfolios.entry(id.clone()).or_default() += 1;
    }
}

/// One random operation by a writer; records in `mine` what it changed.
fn write_once(
    store: &dyn Store,
    rng: &mut StdRng,
    ids: &mut Vec<PortfolioId>,
    shared: &[PortfolioId],
    mine: &mut Written,
) {
    let id = if rng.random_bool(0.5) || ids.is_empty() {
        shared[rng.random_range(0..shared.len())].clone()
    } else {
        ids[rng.random_range(0..ids.len())].clone()
    };
    let recipient = acct(&format!("{:012}", 200_000 + rng.random_range(0..4)));
    match rng.random_range(0..12) {
        0 => {
            let created = new_portfolio(store);
            mine.changed(&created);
            ids.push(created);
        }
        1 => {
            if let Some(i) = (!ids.is_empty()).then(|| rng.random_range(0..ids.len())) {
                let doomed = ids[i].clone();
                match store.delete_portfolio(&doomed) {
                    Ok(_) => {
                        mine.changed(&doomed);
                        ids.swap_remove(i);
                    }
                    Err(StoreError::PortfolioInUse { .. }) => {}
                    Err(e) => panic!("unexpected {e}"),
                }
            }
        }
        2..5 => {
            let association = pattern(&format!("arn:aws:iam:::role/p{}*", rng.random_range(0..6)));
            match store.associate(&id, &owner(), association, 4) {
                Ok(AssociateOutcome::Added) => mine.changed(&id),
                Ok(AssociateOutcome::AlreadyPresent) | Err(StoreError::LimitExceeded { .. }) => {}
                Err(e) => panic!("unexpected {e}"),
            }
        }
        5..7 => {
            let arn = format!("arn:aws:iam:::role/p{}*", rng.random_range(0..6));
            match store.disassociate(&id, &owner(), PrincipalType::IamPattern, &arn) {
                Ok(()) => mine.changed(&id),
                Err(StoreError::AssociationNotFound { .. }) => {}
                Err(e) => panic!("unexpected {e}"),
            }
        }
        7 => match store.create_share(&id, new_share(ShareTarget::Account(recipient)), 3) {
            Ok(CreatedShare { created: true, .. }) => mine.changed(&id),
            Ok(_) | Err(StoreError::LimitExceeded { .. }) => {}
            Err(e) => panic!("unexpected {e}"),
        },
        8 => match store.delete_share(&id, &ShareTarget::Account(recipient), false) {
            Ok(_) => mine.changed(&id),
            Err(StoreError::ShareNotFound { .. }) => {}
            Err(e) => panic!("unexpected {e}"),
        },
        9 => match store.import_organization_share(&id, &recipient) {
            Ok(true) => mine.changed(&id),
            Ok(false) => {}
            Err(e) => panic!("unexpected {e}"),
        },
        10 => match store.remove_organization_import(&id, &recipient) {
            Ok(true) => mine.changed(&id),
            Ok(false) => {}
            Err(e) => panic!("unexpected {e}"),
        },
        _ => {
            // Shared portfolios are never deleted, so this always succeeds.
            let id = &shared[rng.random_range(0..shared.len())];
            let name = format!("name-{}", rng.random::<u64>());
            store
                .update_portfolio(
                    id,
                    PortfolioUpdate {
                        display_name: Some(name),
                        ..PortfolioUpdate::default()
                    },
                )
                .unwrap();
            mine.changed(id);
        }
    }
}

/// A reader following the change feed while 4 threads write 12,000 operations misses nothing:
/// versions rise by one without holes, and it sees one change per successful write, of the
/// portfolio or organization written.
pub fn a_reader_following_the_feed_while_others_write_misses_nothing(factory: &dyn StoreFactory) {
    const WRITERS: u64 = 4;
    const OPS: usize = 3000;
    let store = &*factory.fresh();
    let shared: Vec<PortfolioId> = (0..6).map(|_| new_portfolio(store)).collect();
    let org = store
        .create_organization(NewOrganization {
            management_account: acct("100000000000"),
            management_name: "management".into(),
            management_email: "management@example.com".into(),
            feature_set: OrganizationFeatureSet::All,
            now: now(),
        })
        .unwrap();
    let start = store.version();
    // The writers make fewer changes than the record keeps (the memory store's, and as the suite
    // asks of every store), so the reader can never fall behind it: a gap would be a bug.
    assert!(WRITERS as usize * OPS < MemoryStore::DEFAULT_CHANGE_LOG_CAPACITY);

    let done = AtomicBool::new(false);
    let written = Mutex::new(Written::default());
    let barrier = Barrier::new(WRITERS as usize + 1);
    let seen: Vec<(u64, Change)> = thread::scope(|s| {
        let reader = s.spawn(|| {
            let mut version = start;
            let mut seen = Vec::new();
            barrier.wait();
            loop {
                // Read `done` before the feed, so the last read sees every write.
                let finished = done.load(Ordering::SeqCst);
                let changes = store
                    .changes_since(version)
                    .unwrap_or_else(|gap| panic!("the reader fell behind: {gap}"));
                for (v, change) in changes.changes {
                    assert_eq!(v, version + 1, "versions rise by one, without holes");
                    version = v;
                    seen.push((v, change));
                }
                assert_eq!(changes.version, version, "the answer reaches its version");
                if finished {
                    return seen;
                }
                thread::yield_now();
            }
        });
        let writers: Vec<_> = (0..WRITERS)
            .map(|t| {
                let (store, shared, written, barrier, org) =
                    (store, &shared, &written, &barrier, &org);
                s.spawn(move || {
                    let mut rng = StdRng::seed_from_u64(t);
                    let mut ids = Vec::new();
                    let mut mine = Written::default();
                    barrier.wait();
                    for i in 0..OPS {
                        if t == 0 && i % 100 == 0 {
                            // Directory changes interleave with the catalog's.
                            let root = ParentId::Root(org.root.clone());
                            store
                                .create_organizational_unit(&org.id, &root, &format!("ou-{i}"))
                                .unwrap();
                            mine.directory += 1;
                        } else {
                            write_once(store, &mut rng, &mut ids, shared, &mut mine);
                        }
                    }
                    let mut all = written.lock().unwrap();
                    for (id, n) in mine.portfolios {
                        *all.portfolios.entry(id).or_default() += n;
                    }
                    all.directory += mine.directory;
                })
            })
            .collect();
        for w in writers {
            w.join().unwrap();
        }
        done.store(true, Ordering::SeqCst);
        reader.join().unwrap()
    });

    let written = written.into_inner().unwrap();
    let mut seen_portfolios: BTreeMap<PortfolioId, u64> = BTreeMap::new();
    let mut seen_directory = 0;
    for (_, change) in &seen {
        match change {
            Change::Portfolio(id) => *seen_portfolios.entry(id.clone()).or_default() += 1,
            Change::Organization(o) => {
                assert_eq!(o, &org.id);
                seen_directory += 1;
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(
        seen_portfolios.keys().collect::<Vec<_>>(),
        written.portfolios.keys().collect::<Vec<_>>(),
        "the reader saw a change of every portfolio changed, and of no other"
    );
    assert_eq!(
        seen_portfolios, written.portfolios,
        "one change per successful write"
    );
    assert_eq!(seen_directory, written.directory);
    assert_eq!(
        seen.last().map(|(v, _)| *v),
        Some(store.version()),
        "the reader caught up"
    );
    assert_eq!(seen.len() as u64, store.version() - start);
}
