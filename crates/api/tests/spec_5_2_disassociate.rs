//! SPEC §5.2 DisassociatePrincipalFromPortfolio: the type must match, an omitted type is `IAM`,
//! and what removing an association does (and does not do) to access.
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
fn disassociate_type_must_match_the_association() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    let pattern = "arn:aws:iam:::role/Dev*";
    w.associate(OWNER, &id, pattern, PATTERN).unwrap();
    assert_error(
        w.disassociate(OWNER, &id, pattern, Some(IAM)),
        ErrorKind::ResourceNotFound,
    );
    w.disassociate(OWNER, &id, pattern, Some(PATTERN)).unwrap();
    assert!(w.principals(OWNER, &id).unwrap().is_empty());
}

#[test]
fn disassociate_omitted_type_means_iam() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    let pattern = "arn:aws:iam:::role/Dev*";
    w.associate(OWNER, &id, pattern, PATTERN).unwrap();
    assert_error(
        w.disassociate(OWNER, &id, pattern, None),
        ErrorKind::ResourceNotFound,
    );
    w.associate(OWNER, &id, &owner_role("x"), IAM).unwrap();
    w.disassociate(OWNER, &id, &owner_role("x"), None).unwrap();
}

#[test]
fn disassociate_unknown_association_is_resource_not_found() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    assert_error(
        w.disassociate(OWNER, &id, &owner_role("never"), None),
        ErrorKind::ResourceNotFound,
    );
    assert_error(
        w.disassociate(OWNER, "port-missing000000", &owner_role("never"), None),
        ErrorKind::ResourceNotFound,
    );
}

#[test]
fn disassociate_iam_leaves_access_a_pattern_still_grants() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    let dev = owner_role("DevOps");
    w.associate(OWNER, &id, &dev, IAM).unwrap();
    w.associate(OWNER, &id, "arn:aws:iam:::role/Dev*", PATTERN)
        .unwrap();
    w.disassociate(OWNER, &id, &dev, None).unwrap();
    assert!(w.allowed(OWNER, &id, &dev));
    let revoke = w
        .service
        .associations_to_revoke(&caller(OWNER), &id.parse().unwrap(), &principal(&dev))
        .unwrap();
    assert_eq!(revoke.len(), 1);
    assert_eq!(revoke[0].principal_arn, "arn:aws:iam:::role/Dev*");
    w.disassociate(OWNER, &id, "arn:aws:iam:::role/Dev*", Some(PATTERN))
        .unwrap();
    assert!(!w.allowed(OWNER, &id, &dev));
}

#[test]
fn disassociate_reaches_principal_sharing_recipients_at_once() {
    let w = World::new();
    let org = w.organization();
    let id = w.portfolio(OWNER);
    w.associate(OWNER, &id, "arn:aws:iam:::role/Builder*", PATTERN)
        .unwrap();
    w.share_with_node(OWNER, &id, "ORGANIZATION", &org.id, true)
        .unwrap();
    let member = &org.members[0];
    let builder = format!("arn:aws:iam::{member}:role/BuilderRole");
    assert!(w.allowed(member, &id, &builder));
    w.disassociate(OWNER, &id, "arn:aws:iam:::role/Builder*", Some(PATTERN))
        .unwrap();
    assert!(!w.allowed(member, &id, &builder));
}
