//! Products ([`crate::ProductStore`], issue 10): ids in AWS's form and never reused, idempotency
//! tokens per owner and region, updates, the product–portfolio associations held consistently
//! from both sides, deletes refused on both sides while an association exists, the reset, and a
//! delete racing an association never leaving an association with something deleted.

use std::collections::BTreeMap;
use std::sync::Barrier;
use std::thread;

use portcullis_model::{
    AccountId, Partition, PortfolioId, ProductId, ProductType, ProvisioningArtifactType, Region,
    Tag, Timestamp,
};

use super::{ReopenableStoreFactory, StoreFactory};
use crate::{
    AssociateOutcome, Change, NewPortfolio, NewProduct, NewProvisioningArtifact, PageRequest,
    ProductUpdate, Store, StoreError,
};

fn acct(s: &str) -> AccountId {
    AccountId::parse(s).unwrap()
}

fn owner() -> AccountId {
    acct("111111111111")
}

fn region(s: &str) -> Region {
    Region::parse(s).unwrap()
}

fn new_product(name: &str, token: Option<&str>, region_name: &str) -> NewProduct {
    NewProduct {
        owner: owner(),
        partition: Partition::default(),
        region: region(region_name),
        name: name.into(),
        product_owner: "Platform team".into(),
        description: Some("a product".into()),
        distributor: None,
        support_description: None,
        support_email: Some("support@example.com".into()),
        support_url: None,
        product_type: ProductType::CloudFormationTemplate,
        tags: vec![Tag {
            key: "team".into(),
            value: "platform".into(),
        }],
        created_time: Timestamp::from_epoch_millis(5_000),
        provisioning_artifact: Some(NewProvisioningArtifact {
            name: Some("v1".into()),
            description: None,
            info: BTreeMap::from([(
                "LoadTemplateFromURL".to_owned(),
                "https://example.com/t.json".to_owned(),
            )]),
            artifact_type: Some(ProvisioningArtifactType::CloudFormationTemplate),
            disable_template_validation: true,
        }),
        idempotency_token: token.map(str::to_owned),
    }
}

fn product(store: &dyn Store, name: &str) -> ProductId {
    store
        .create_product(new_product(name, None, "us-east-1"))
        .unwrap()
        .product
        .id
}

fn portfolio(store: &dyn Store) -> PortfolioId {
    store
        .create_portfolio(NewPortfolio {
            owner: owner(),
            partition: Partition::default(),
            region: region("us-east-1"),
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

fn is_lower_alnum_tail(id: &str, prefix: &str) -> bool {
    id.strip_prefix(prefix).is_some_and(|tail| {
        tail.len() == 13
            && tail
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    })
}

/// A created product has a `prod-` id, its provisioning artifact a `pa-` id, and both carry
/// what was given; it is found by id and by name, updated field by field, listed in creation
/// order with paging, and gone after a delete (its id never handed out again).
pub fn products_are_created_read_updated_listed_and_deleted(factory: &impl StoreFactory) {
    let store = factory.fresh();
    let created = store
        .create_product(new_product("web", None, "us-east-1"))
        .unwrap();
    assert!(created.created);
    let web = created.product;
    assert!(is_lower_alnum_tail(web.id.as_str(), "prod-"), "{}", web.id);
    assert!(
        is_lower_alnum_tail(web.view_id.as_str(), "prodview-"),
        "{}",
        web.view_id
    );
    assert_eq!(web.provisioning_artifacts.len(), 1);
    let artifact = &web.provisioning_artifacts[0];
    assert!(
        is_lower_alnum_tail(artifact.id.as_str(), "pa-"),
        "{}",
        artifact.id
    );
    assert_eq!(artifact.name.as_deref(), Some("v1"));
    assert!(artifact.disable_template_validation);
    assert!(artifact.active);
    assert_eq!(artifact.created_time, web.created_time);
    assert_eq!(
        artifact.info.get("LoadTemplateFromURL").map(String::as_str),
        Some("https://example.com/t.json")
    );
    assert_eq!(web.product_owner, "Platform team");
    assert_eq!(store.product(&web.id).unwrap(), Some(web.clone()));

    let mut without_artifact = new_product("db", None, "us-east-1");
    without_artifact.provisioning_artifact = None;
    let db = store.create_product(without_artifact).unwrap().product;
    assert!(db.provisioning_artifacts.is_empty());
    let queue = store
        .create_product(new_product("queue", None, "us-east-1"))
        .unwrap()
        .product;
    // Another region, another list.
    store
        .create_product(new_product("web", None, "eu-west-1"))
        .unwrap();

    let us = region("us-east-1");
    assert_eq!(
        store.product_by_name(&owner(), &us, "web").unwrap(),
        Some(web.clone())
    );
    assert_eq!(store.product_by_name(&owner(), &us, "WEB").unwrap(), None);
    assert_eq!(
        store
            .product_by_name(&acct("222222222222"), &us, "web")
            .unwrap(),
        None
    );

    let first = store
        .list_products(&owner(), &us, PageRequest::first(2))
        .unwrap();
    let names: Vec<&str> = first.items.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["web", "db"]);
    let next = first.next.expect("a third product follows");
    let second = store
        .list_products(&owner(), &us, PageRequest::after(next, 2))
        .unwrap();
    assert_eq!(second.items, vec![queue.clone()]);
    assert_eq!(second.next, None);

    let updated = store
        .update_product(
            &db.id,
            ProductUpdate {
                name: Some("database".into()),
                support_url: Some("https://example.com/help".into()),
                add_tags: vec![Tag {
                    key: "tier".into(),
                    value: "1".into(),
                }],
                remove_tags: vec!["team".into()],
                ..ProductUpdate::default()
            },
        )
        .unwrap();
    assert_eq!(updated.name, "database");
    assert_eq!(
        updated.support_url.as_deref(),
        Some("https://example.com/help")
    );
    assert_eq!(updated.description, db.description, "untouched fields stay");
    assert_eq!(
        updated.tags,
        vec![Tag {
            key: "tier".into(),
            value: "1".into()
        }]
    );
    assert_eq!(store.product(&db.id).unwrap(), Some(updated.clone()));

    assert_eq!(store.delete_product(&db.id).unwrap().id, db.id);
    assert_eq!(store.product(&db.id).unwrap(), None);
    assert_eq!(
        store.delete_product(&db.id).unwrap_err(),
        StoreError::ProductNotFound(db.id.clone())
    );
    assert_eq!(
        store
            .update_product(&db.id, ProductUpdate::default())
            .unwrap_err(),
        StoreError::ProductNotFound(db.id.clone())
    );
    let left: Vec<ProductId> = store
        .list_products(&owner(), &us, PageRequest::all())
        .unwrap()
        .items
        .into_iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(left, vec![web.id.clone(), queue.id.clone()]);
    for _ in 0..50 {
        assert_ne!(product(&*store, "again"), db.id, "a deleted id came back");
    }
}

/// An idempotency token seen before for the same owner and region answers the first product
/// and creates nothing; in another region it creates another.
pub fn a_product_idempotency_token_creates_once_per_owner_and_region(factory: &impl StoreFactory) {
    let store = factory.fresh();
    let first = store
        .create_product(new_product("web", Some("tok-1"), "us-east-1"))
        .unwrap();
    let again = store
        .create_product(new_product("other name", Some("tok-1"), "us-east-1"))
        .unwrap();
    assert!(first.created);
    assert!(!again.created);
    assert_eq!(again.product, first.product);
    let elsewhere = store
        .create_product(new_product("web", Some("tok-1"), "eu-west-1"))
        .unwrap();
    assert!(elsewhere.created);
    assert_ne!(elsewhere.product.id, first.product.id);
    let listed = store
        .list_products(&owner(), &region("us-east-1"), PageRequest::all())
        .unwrap();
    assert_eq!(listed.items.len(), 1);
}

/// Associating is idempotent and recorded as a change of the portfolio; while associated,
/// neither the product nor the portfolio can be deleted; the lists answer from both sides in
/// association order; disassociating twice is refused the second time.
pub fn product_associations_are_idempotent_and_block_deletes_on_both_sides(
    factory: &impl StoreFactory,
) {
    let store = factory.fresh();
    let web = product(&*store, "web");
    let db = product(&*store, "db");
    let a = portfolio(&*store);
    let b = portfolio(&*store);

    let before = store.version();
    assert_eq!(
        store.associate_product(&web, &a).unwrap(),
        AssociateOutcome::Added
    );
    let changes = store.changes_since(before).unwrap();
    assert_eq!(
        changes
            .changes
            .iter()
            .map(|(_, c)| c.clone())
            .collect::<Vec<_>>(),
        vec![Change::Portfolio(a.clone())]
    );
    let before = store.version();
    assert_eq!(
        store.associate_product(&web, &a).unwrap(),
        AssociateOutcome::AlreadyPresent
    );
    assert_eq!(store.version(), before, "a repeat changes nothing");
    store.associate_product(&web, &b).unwrap();
    store.associate_product(&db, &a).unwrap();

    let products: Vec<ProductId> = store
        .list_products_for_portfolio(&a, PageRequest::all())
        .unwrap()
        .items
        .into_iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(products, vec![web.clone(), db.clone()]);
    let mut visited = Vec::new();
    store
        .visit_products_for_portfolio(&a, &mut |p| visited.push(p.clone()))
        .unwrap();
    assert_eq!(
        visited,
        store
            .list_products_for_portfolio(&a, PageRequest::all())
            .unwrap()
            .items,
        "a visit lends what the list copies"
    );
    let page = store
        .list_portfolios_for_product(&web, &owner(), PageRequest::first(1))
        .unwrap();
    assert_eq!(page.items.iter().map(|p| &p.id).collect::<Vec<_>>(), [&a]);
    let rest = store
        .list_portfolios_for_product(&web, &owner(), PageRequest::after(page.next.unwrap(), 1))
        .unwrap();
    assert_eq!(rest.items.iter().map(|p| &p.id).collect::<Vec<_>>(), [&b]);
    assert_eq!(rest.next, None);
    assert!(
        store
            .list_portfolios_for_product(&web, &acct("222222222222"), PageRequest::all())
            .unwrap()
            .items
            .is_empty(),
        "only the portfolios of the account asked for"
    );

    assert_eq!(
        store.delete_product(&web).unwrap_err(),
        StoreError::ProductInUse {
            product: web.clone(),
            portfolios: 2
        }
    );
    assert_eq!(
        store.delete_portfolio(&a).unwrap_err(),
        StoreError::PortfolioHasProducts {
            portfolio: a.clone(),
            products: 2
        }
    );
    let missing = ProductId::parse("prod-doesnotexist1").unwrap();
    assert_eq!(
        store.associate_product(&missing, &a).unwrap_err(),
        StoreError::ProductNotFound(missing.clone())
    );
    let gone = PortfolioId::parse("port-doesnotexist1").unwrap();
    assert_eq!(
        store.associate_product(&web, &gone).unwrap_err(),
        StoreError::PortfolioNotFound(gone.clone())
    );
    assert_eq!(
        store
            .list_products_for_portfolio(&gone, PageRequest::all())
            .unwrap_err(),
        StoreError::PortfolioNotFound(gone.clone())
    );
    assert_eq!(
        store
            .visit_products_for_portfolio(&gone, &mut |_| {})
            .unwrap_err(),
        StoreError::PortfolioNotFound(gone)
    );
    assert_eq!(
        store
            .list_portfolios_for_product(&missing, &owner(), PageRequest::all())
            .unwrap_err(),
        StoreError::ProductNotFound(missing)
    );

    let before = store.version();
    store.disassociate_product(&web, &a).unwrap();
    assert_eq!(store.version(), before + 1);
    assert_eq!(
        store.disassociate_product(&web, &a).unwrap_err(),
        StoreError::ProductAssociationNotFound {
            product: web.clone(),
            portfolio: a.clone()
        }
    );
    store.disassociate_product(&web, &b).unwrap();
    store.disassociate_product(&db, &a).unwrap();
    store.delete_product(&web).unwrap();
    store.delete_portfolio(&a).unwrap();
    assert!(
        store
            .list_products_for_portfolio(&b, PageRequest::all())
            .unwrap()
            .items
            .is_empty()
    );
}

/// A reset removes every product, association and product idempotency token.
pub fn reset_removes_products_and_their_associations(factory: &impl StoreFactory) {
    let store = factory.fresh();
    let created = store
        .create_product(new_product("web", Some("tok"), "us-east-1"))
        .unwrap()
        .product;
    let a = portfolio(&*store);
    store.associate_product(&created.id, &a).unwrap();
    store.reset().unwrap();
    assert_eq!(store.product(&created.id).unwrap(), None);
    assert!(
        store
            .list_products(&owner(), &region("us-east-1"), PageRequest::all())
            .unwrap()
            .items
            .is_empty()
    );
    let again = store
        .create_product(new_product("web", Some("tok"), "us-east-1"))
        .unwrap();
    assert!(again.created, "the token was forgotten");
}

/// Deleting a product while another thread associates it with a portfolio, and deleting a
/// portfolio while another associates a product with it: exactly one of the two succeeds each
/// time, and no association with a deleted product or portfolio is ever left.
pub fn racing_deletes_and_associations_never_leave_an_association_with_something_deleted(
    factory: &impl StoreFactory,
) {
    let store = factory.fresh();
    for round in 0..40 {
        let p = product(&*store, "racer");
        let keep = portfolio(&*store);
        let barrier = Barrier::new(2);
        let (deleted, associated) = thread::scope(|s| {
            let delete = s.spawn(|| {
                barrier.wait();
                store.delete_product(&p)
            });
            let associate = s.spawn(|| {
                barrier.wait();
                store.associate_product(&p, &keep)
            });
            (delete.join().unwrap(), associate.join().unwrap())
        });
        match (&deleted, &associated) {
            (Ok(_), Err(StoreError::ProductNotFound(_))) => {
                assert!(
                    store
                        .list_products_for_portfolio(&keep, PageRequest::all())
                        .unwrap()
                        .items
                        .is_empty()
                );
                store.delete_portfolio(&keep).unwrap();
            }
            (Err(StoreError::ProductInUse { .. }), Ok(AssociateOutcome::Added)) => {
                assert!(store.product(&p).unwrap().is_some());
                store.disassociate_product(&p, &keep).unwrap();
                store.delete_product(&p).unwrap();
                store.delete_portfolio(&keep).unwrap();
            }
            other => panic!("round {round}: delete and associate answered {other:?}"),
        }

        let p = product(&*store, "racer");
        let doomed = portfolio(&*store);
        let barrier = Barrier::new(2);
        let (deleted, associated) = thread::scope(|s| {
            let delete = s.spawn(|| {
                barrier.wait();
                store.delete_portfolio(&doomed)
            });
            let associate = s.spawn(|| {
                barrier.wait();
                store.associate_product(&p, &doomed)
            });
            (delete.join().unwrap(), associate.join().unwrap())
        });
        match (&deleted, &associated) {
            (Ok(_), Err(StoreError::PortfolioNotFound(_))) => {
                assert!(
                    store
                        .list_portfolios_for_product(&p, &owner(), PageRequest::all())
                        .unwrap()
                        .items
                        .is_empty()
                );
                store.delete_product(&p).unwrap();
            }
            (Err(StoreError::PortfolioHasProducts { .. }), Ok(AssociateOutcome::Added)) => {
                store.disassociate_product(&p, &doomed).unwrap();
                store.delete_portfolio(&doomed).unwrap();
                store.delete_product(&p).unwrap();
            }
            other => panic!("round {round}: delete portfolio and associate answered {other:?}"),
        }
    }
}

/// For a durable store: products (live and deleted), their associations and idempotency
/// tokens are all there after the store is closed and opened again.
pub fn reopened_store_keeps_products_and_their_associations<R>(factory: &R)
where
    R: ReopenableStoreFactory + ?Sized,
{
    let place = factory.place();
    let store = factory.open(&place);
    let web = store
        .create_product(new_product("web", Some("tok"), "us-east-1"))
        .unwrap()
        .product;
    let gone = product(&*store, "gone");
    store.delete_product(&gone).unwrap();
    let a = portfolio(&*store);
    let b = portfolio(&*store);
    store.associate_product(&web.id, &b).unwrap();
    store.associate_product(&web.id, &a).unwrap();
    drop(store);

    let store = factory.open(&place);
    assert_eq!(store.product(&web.id).unwrap(), Some(web.clone()));
    assert_eq!(store.product(&gone).unwrap(), None);
    let order: Vec<PortfolioId> = store
        .list_portfolios_for_product(&web.id, &owner(), PageRequest::all())
        .unwrap()
        .items
        .into_iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(
        order,
        vec![b.clone(), a.clone()],
        "association order is kept"
    );
    assert_eq!(
        store.delete_product(&web.id).unwrap_err(),
        StoreError::ProductInUse {
            product: web.id.clone(),
            portfolios: 2
        }
    );
    assert_eq!(
        store.delete_portfolio(&a).unwrap_err(),
        StoreError::PortfolioHasProducts {
            portfolio: a.clone(),
            products: 1
        }
    );
    let again = store
        .create_product(new_product("web", Some("tok"), "us-east-1"))
        .unwrap();
    assert!(!again.created);
    assert_eq!(again.product.id, web.id);
    for _ in 0..20 {
        assert_ne!(product(&*store, "new"), gone, "a deleted id came back");
    }
    store.disassociate_product(&web.id, &a).unwrap();
    drop(store);
    let store = factory.open(&place);
    let order: Vec<PortfolioId> = store
        .list_portfolios_for_product(&web.id, &owner(), PageRequest::all())
        .unwrap()
        .items
        .into_iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(order, vec![b]);
    store.delete_portfolio(&a).unwrap();
}
