//! SPEC §5.4 Shares seen from both sides: acceptance and rejection, organization coverage,
//! `DescribePortfolio` and `DeletePortfolio` with shares, updating and deleting shares, and the
//! owner's access listings.
//!
//! Each test's name states the rule it pins; a SPEC decision has `decision` in its name.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::*;
use portcullis_model::*;

#[test]
fn account_share_is_unaccepted_until_the_recipient_accepts() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    w.share_with_account(OWNER, &id, OTHER).unwrap();
    let describe = |w: &World| {
        w.service
            .describe_portfolio_shares(
                &caller(OWNER),
                DescribePortfolioSharesInput {
                    portfolio_id: Some(id.clone()),
                    share_type: Some("ACCOUNT".into()),
                    ..Default::default()
                },
            )
            .unwrap()
            .portfolio_share_details
    };
    assert!(!describe(&w)[0].accepted);
    w.accept(OTHER, &id, None).unwrap();
    assert!(describe(&w)[0].accepted);
}

#[test]
fn reject_declines_an_account_share() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    w.share_with_account(OWNER, &id, OTHER).unwrap();
    w.accept(OTHER, &id, None).unwrap();
    w.service
        .reject_portfolio_share(
            &caller(OTHER),
            RejectPortfolioShareInput {
                portfolio_id: Some(id.clone()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_error(
        w.associate(OTHER, &id, &format!("arn:aws:iam::{OTHER}:role/b"), IAM),
        ErrorKind::ResourceNotFound,
    );
}

#[test]
fn accept_default_type_for_organization_only_share_is_portfolio_not_found() {
    let w = World::new();
    let org = w.organization();
    let id = w.portfolio(OWNER);
    w.share_with_node(OWNER, &id, "ORGANIZATION", &org.id, false)
        .unwrap();
    let e = assert_error(
        w.accept(&org.members[0], &id, None),
        ErrorKind::ResourceNotFound,
    );
    assert_eq!(e.message(), format!("Portfolio not found: {id}"));
    w.accept(&org.members[0], &id, Some("AWS_ORGANIZATIONS"))
        .unwrap();
}

#[test]
fn organization_share_covers_accounts_moved_in_later() {
    let w = World::new();
    let org = w.organization();
    let id = w.portfolio(OWNER);
    w.associate(OWNER, &id, "arn:aws:iam:::role/Ops*", PATTERN)
        .unwrap();
    w.share_with_node(OWNER, &id, "ORGANIZATIONAL_UNIT", &org.ou, true)
        .unwrap();
    let member = org.members[1].clone();
    let ops = format!("arn:aws:iam::{member}:role/OpsAdmin");
    assert!(!w.allowed(OWNER, &id, &ops));
    w.move_account(&member, &org.root, &org.ou);
    assert!(w.allowed(OWNER, &id, &ops));
    assert!(w.allowed(&member, &id, &ops));
}

#[test]
fn describe_portfolio_works_for_owner_and_recipients_only() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    let describe = |who: &str| {
        w.service.describe_portfolio(
            &caller(who),
            DescribePortfolioInput {
                id: Some(id.clone()),
                ..Default::default()
            },
        )
    };
    describe(OWNER).unwrap();
    assert_error(describe(OTHER), ErrorKind::ResourceNotFound);
    w.share_with_account(OWNER, &id, OTHER).unwrap();
    assert_error(describe(OTHER), ErrorKind::ResourceNotFound);
    w.accept(OTHER, &id, None).unwrap();
    describe(OTHER).unwrap();
}

#[test]
fn delete_portfolio_in_use_is_resource_in_use() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    let delete = |who: &str| {
        w.service.delete_portfolio(
            &caller(who),
            DeletePortfolioInput {
                id: Some(id.clone()),
                ..Default::default()
            },
        )
    };
    w.associate(OWNER, &id, &owner_role("x"), IAM).unwrap();
    assert_error(delete(OWNER), ErrorKind::ResourceInUse);
    w.disassociate(OWNER, &id, &owner_role("x"), None).unwrap();
    w.share_with_account(OWNER, &id, OTHER).unwrap();
    assert_error(delete(OWNER), ErrorKind::ResourceInUse);
    w.service
        .delete_portfolio_share(
            &caller(OWNER),
            DeletePortfolioShareInput {
                portfolio_id: Some(id.clone()),
                account_id: Some(OTHER.into()),
                ..Default::default()
            },
        )
        .unwrap();
    delete(OWNER).unwrap();
    assert_error(delete(OWNER), ErrorKind::ResourceNotFound);
}

#[test]
fn delete_portfolio_by_non_owner_is_not_found_decision() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    assert_error(
        w.service.delete_portfolio(
            &caller(OTHER),
            DeletePortfolioInput {
                id: Some(id),
                ..Default::default()
            },
        ),
        ErrorKind::ResourceNotFound,
    );
}

#[test]
fn deleted_portfolio_id_is_never_reused() {
    let w = World::new();
    let mut seen = std::collections::HashSet::new();
    for _ in 0..200 {
        let id = w.portfolio(OWNER);
        w.service
            .delete_portfolio(
                &caller(OWNER),
                DeletePortfolioInput {
                    id: Some(id.clone()),
                    ..Default::default()
                },
            )
            .unwrap();
        assert!(seen.insert(id));
    }
}

#[test]
fn delete_share_removes_recipient_access_at_once() {
    let w = World::new();
    let org = w.organization();
    let id = w.portfolio(OWNER);
    w.associate(OWNER, &id, "arn:aws:iam:::role/App*", PATTERN)
        .unwrap();
    w.share_with_node(OWNER, &id, "ORGANIZATION", &org.id, true)
        .unwrap();
    let member = &org.members[0];
    let app = format!("arn:aws:iam::{member}:role/AppRole");
    assert!(w.allowed(member, &id, &app));
    let node = OrganizationNodeInput {
        node_type: Some("ORGANIZATION".into()),
        value: Some(org.id.clone()),
    };
    w.service
        .delete_portfolio_share(
            &caller(OWNER),
            DeletePortfolioShareInput {
                portfolio_id: Some(id.clone()),
                organization_node: Some(node),
                ..Default::default()
            },
        )
        .unwrap();
    assert!(!w.allowed(OWNER, &id, &app));
}

#[test]
fn update_share_toggles_principal_sharing() {
    let w = World::new();
    let org = w.organization();
    let id = w.portfolio(OWNER);
    w.associate(OWNER, &id, "arn:aws:iam:::role/App*", PATTERN)
        .unwrap();
    w.share_with_node(OWNER, &id, "ORGANIZATION", &org.id, false)
        .unwrap();
    let app = format!("arn:aws:iam::{}:role/AppRole", org.members[0]);
    assert!(!w.allowed(OWNER, &id, &app));
    let node = OrganizationNodeInput {
        node_type: Some("ORGANIZATION".into()),
        value: Some(org.id.clone()),
    };
    let out = w
        .service
        .update_portfolio_share(
            &caller(OWNER),
            UpdatePortfolioShareInput {
                portfolio_id: Some(id.clone()),
                organization_node: Some(node),
                share_principals: Some(true),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(out.status, Some(ShareStatus::Completed));
    assert!(w.allowed(OWNER, &id, &app));
}

#[test]
fn list_portfolio_access_lists_account_shares_accepted_or_not_decision() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    w.share_with_account(OWNER, &id, OTHER).unwrap();
    w.share_with_account(OWNER, &id, THIRD).unwrap();
    w.accept(OTHER, &id, None).unwrap();
    let out = w
        .service
        .list_portfolio_access(
            &caller(OWNER),
            ListPortfolioAccessInput {
                portfolio_id: Some(id),
                ..Default::default()
            },
        )
        .unwrap();
    let ids: Vec<String> = out.account_ids.iter().map(|a| a.to_string()).collect();
    assert_eq!(ids, vec![OTHER.to_string(), THIRD.to_string()]);
}

#[test]
fn list_organization_portfolio_access_is_for_administrators_only() {
    let w = World::new();
    let org = w.organization();
    let id = w.portfolio(OWNER);
    w.share_with_node(OWNER, &id, "ORGANIZATIONAL_UNIT", &org.ou, false)
        .unwrap();
    let list = |who: &str| {
        w.service.list_organization_portfolio_access(
            &caller(who),
            ListOrganizationPortfolioAccessInput {
                portfolio_id: Some(id.clone()),
                organization_node_type: Some("ORGANIZATIONAL_UNIT".into()),
                ..Default::default()
            },
        )
    };
    assert_eq!(list(OWNER).unwrap().organization_nodes[0].value, org.ou);
    assert_error(list(&org.members[0]), ErrorKind::OperationNotSupported);
}
