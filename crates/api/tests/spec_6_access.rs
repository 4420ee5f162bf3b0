//! SPEC §6 Access evaluation: `CheckPortfolioAccess` (who may use a portfolio, and what grants
//! it) and its reverse query, `ListPortfoliosForPrincipal`. The model-based property test of the
//! same rule is `access_model.rs`.
//!
//! Each test's name states the rule it pins.

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
fn access_owner_principal_by_iam_or_pattern() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    w.associate(OWNER, &id, &owner_role("Exact"), IAM).unwrap();
    w.associate(OWNER, &id, "arn:aws:iam:::role/*/Team?-Admin*", PATTERN)
        .unwrap();
    assert!(w.allowed(OWNER, &id, &owner_role("Exact")));
    assert!(w.allowed(OWNER, &id, &owner_role("ops/Team7-AdminRole")));
    assert!(!w.allowed(OWNER, &id, &owner_role("Team7-AdminRole")));
    assert!(!w.allowed(OWNER, &id, &owner_role("Other")));
}

#[test]
fn access_pattern_of_owner_does_not_reach_recipients_without_principal_sharing() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    w.associate(OWNER, &id, "arn:aws:iam:::role/Dev*", PATTERN)
        .unwrap();
    w.share_with_account(OWNER, &id, OTHER).unwrap();
    w.accept(OTHER, &id, None).unwrap();
    assert!(!w.allowed(OWNER, &id, &format!("arn:aws:iam::{OTHER}:role/DevOps")));
}

#[test]
fn access_recipient_needs_a_covering_share() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    w.associate(OWNER, &id, "arn:aws:iam:::role/Dev*", PATTERN)
        .unwrap();
    assert!(!w.allowed(OWNER, &id, &format!("arn:aws:iam::{OTHER}:role/DevOps")));
}

#[test]
fn access_recipient_association_on_imported_portfolio_grants_through_the_share() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    w.share_with_account(OWNER, &id, OTHER).unwrap();
    w.accept(OTHER, &id, None).unwrap();
    let role = format!("arn:aws:iam::{OTHER}:role/Builder");
    w.associate(OTHER, &id, &role, IAM).unwrap();
    let decision = w
        .service
        .check_access(&caller(OWNER), &id.parse().unwrap(), &principal(&role))
        .unwrap();
    assert_eq!(decision.grants.len(), 1);
    assert_eq!(decision.grants[0].account.as_str(), OTHER);
    assert!(matches!(
        decision.grants[0].via,
        portcullis_api::GrantVia::RecipientAssociation(_)
    ));
}

#[test]
fn access_principal_sharing_names_the_share_and_the_owner_pattern() {
    let w = World::new();
    let org = w.organization();
    let id = w.portfolio(OWNER);
    w.associate(OWNER, &id, "arn:aws:iam:::role/Deploy*", PATTERN)
        .unwrap();
    w.share_with_node(OWNER, &id, "ORGANIZATION", &org.id, true)
        .unwrap();
    let role = format!("arn:aws:iam::{}:role/DeployBot", org.members[0]);
    let out = w
        .service
        .check_portfolio_access(
            &caller(OWNER),
            CheckPortfolioAccessInput {
                portfolio_id: Some(id.clone()),
                principal_arn: Some(role),
                ..Default::default()
            },
        )
        .unwrap();
    assert!(out.allowed);
    assert_eq!(out.grants.len(), 1);
    assert_eq!(
        out.grants[0].association.principal_arn,
        "arn:aws:iam:::role/Deploy*"
    );
    assert_eq!(out.grants[0].association.account_id.as_str(), OWNER);
    let share = out.grants[0].share.as_ref().unwrap();
    assert_eq!(share.principal_id, org.id);
    assert!(share.share_principals);
}

#[test]
fn access_check_by_stranger_is_not_found() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    assert_error(
        w.service.check_access(
            &caller(THIRD),
            &id.parse().unwrap(),
            &principal(&owner_role("x")),
        ),
        ErrorKind::ResourceNotFound,
    );
}

#[test]
fn reverse_query_lists_exactly_the_usable_portfolios() {
    let w = World::new();
    let org = w.organization();
    let member = org.members[0].clone();
    let a = w.portfolio(OWNER);
    let b = w.portfolio(OWNER);
    let c = w.portfolio(OWNER);
    w.associate(OWNER, &a, "arn:aws:iam:::role/Dev*", PATTERN)
        .unwrap();
    w.associate(OWNER, &b, "arn:aws:iam:::role/Dev*", PATTERN)
        .unwrap();
    w.associate(OWNER, &c, &owner_role("DevOps"), IAM).unwrap();
    w.share_with_node(OWNER, &a, "ORGANIZATION", &org.id, true)
        .unwrap();
    w.share_with_node(OWNER, &b, "ORGANIZATION", &org.id, false)
        .unwrap();
    let in_member = principal(&format!("arn:aws:iam::{member}:role/DevOps"));
    let in_owner = principal(&owner_role("DevOps"));
    // Ordered by creation time, then id: compare as sets.
    let ids = |p| -> Vec<String> {
        let mut ids: Vec<String> = w
            .service
            .portfolios_for_principal(&caller(OWNER), p)
            .unwrap()
            .iter()
            .map(|r| r.id.to_string())
            .collect();
        ids.sort();
        ids
    };
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    assert_eq!(ids(&in_member), vec![a.clone()]);
    assert_eq!(
        ids(&in_owner),
        sorted(vec![a.clone(), b.clone(), c.clone()])
    );
    // The index follows writes at once.
    w.disassociate(OWNER, &c, &owner_role("DevOps"), None)
        .unwrap();
    assert_eq!(ids(&in_owner), sorted(vec![a, b]));
}

#[test]
fn reverse_query_agrees_with_check_access() {
    let w = World::new();
    let org = w.organization();
    let mut ids = Vec::new();
    for i in 0..12 {
        let id = w.portfolio(OWNER);
        w.associate(
            OWNER,
            &id,
            &format!("arn:aws:iam:::role/*-{}", i % 3),
            PATTERN,
        )
        .unwrap();
        if i % 2 == 0 {
            w.share_with_node(OWNER, &id, "ORGANIZATION", &org.id, i % 4 == 0)
                .unwrap();
        }
        ids.push(id);
    }
    for account in [OWNER, org.members[0].as_str(), THIRD] {
        for name in ["a-0", "b-1", "x/c-2", "none"] {
            let p = principal(&format!("arn:aws:iam::{account}:role/{name}"));
            let mut found: Vec<String> = w
                .service
                .portfolios_for_principal(&caller(OWNER), &p)
                .unwrap()
                .iter()
                .map(|r| r.id.to_string())
                .collect();
            let mut expected: Vec<String> = ids
                .iter()
                .filter(|id| w.allowed(OWNER, id, p.as_str()))
                .cloned()
                .collect();
            found.sort();
            expected.sort();
            assert_eq!(found, expected, "{p}");
        }
    }
}

#[test]
fn reverse_query_follows_every_write_through_index_updates_and_rebuilds() {
    let w = World::new();
    let org = w.organization();
    let member = org.members[0].clone();
    let mut ids: Vec<String> = (0..30).map(|_| w.portfolio(OWNER)).collect();
    for (i, id) in ids.iter().enumerate() {
        w.associate(
            OWNER,
            id,
            &format!("arn:aws:iam:::role/*-{}", i % 4),
            PATTERN,
        )
        .unwrap();
    }
    let probes: Vec<String> = [OWNER, member.as_str(), THIRD]
        .iter()
        .flat_map(|a| ["x-0", "y-1", "p/z-2", "w-3"].map(|n| format!("arn:aws:iam::{a}:role/{n}")))
        .collect();
    let check = |w: &World, ids: &[String], step: &str| {
        for p in &probes {
            let mut found: Vec<String> = w
                .service
                .portfolios_for_principal(&caller(OWNER), &principal(p))
                .unwrap()
                .iter()
                .map(|r| r.id.to_string())
                .collect();
            let mut expected: Vec<String> = ids
                .iter()
                .filter(|id| w.allowed(OWNER, id, p))
                .cloned()
                .collect();
            found.sort();
            expected.sort();
            assert_eq!(found, expected, "after {step}, for {p}");
        }
    };
    check(&w, &ids, "the first build");
    // Portfolio changes: indexed over the base.
    w.associate(OWNER, &ids[3], &owner_role("x-0"), IAM)
        .unwrap();
    check(&w, &ids, "an IAM association");
    w.disassociate(OWNER, &ids[0], "arn:aws:iam:::role/*-0", Some(PATTERN))
        .unwrap();
    check(&w, &ids, "a disassociation");
    w.share_with_node(OWNER, &ids[1], "ORGANIZATION", &org.id, true)
        .unwrap();
    check(&w, &ids, "a share with principal sharing");
    w.disassociate(OWNER, &ids[2], "arn:aws:iam:::role/*-2", Some(PATTERN))
        .unwrap();
    w.service
        .delete_portfolio(
            &caller(OWNER),
            DeletePortfolioInput {
                id: Some(ids[2].clone()),
                ..Default::default()
            },
        )
        .unwrap();
    ids.remove(2);
    check(&w, &ids, "a deleted portfolio");
    let fresh = w.portfolio(OWNER);
    w.associate(OWNER, &fresh, "arn:aws:iam:::role/*-1", PATTERN)
        .unwrap();
    ids.push(fresh);
    check(&w, &ids, "a new portfolio");
    // A directory change can change what every share covers: rebuilt whole.
    w.share_with_node(OWNER, &ids[4], "ORGANIZATIONAL_UNIT", &org.ou, true)
        .unwrap();
    w.move_account(&member, &org.root, &org.ou);
    check(&w, &ids, "an account moved into a shared OU");
    // More changes than an update takes: rebuilt whole.
    for _ in 0..1100 {
        ids.push(w.portfolio(OWNER));
    }
    w.associate(
        OWNER,
        ids.last().unwrap(),
        "arn:aws:iam:::role/*-3",
        PATTERN,
    )
    .unwrap();
    check(&w, &ids, "1,100 new portfolios");
}
