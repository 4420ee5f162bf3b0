//! SPEC §5.1 AssociatePrincipalWithPortfolio: which portfolio, the account check before the ARN
//! check, validation by `PrincipalType`, the limits, idempotence, recipients' associations.
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
fn associate_unknown_portfolio_is_resource_not_found() {
    let w = World::new();
    assert_error(
        w.associate(OWNER, "port-doesnotexist", &owner_role("a"), IAM),
        ErrorKind::ResourceNotFound,
    );
}

#[test]
fn associate_on_another_accounts_portfolio_is_resource_not_found() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    assert_error(
        w.associate(OTHER, &id, &format!("arn:aws:iam::{OTHER}:role/a"), IAM),
        ErrorKind::ResourceNotFound,
    );
}

#[test]
fn associate_iam_principal_of_another_account_is_not_found_with_aws_message() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    let e = assert_error(
        w.associate(OWNER, &id, &format!("arn:aws:iam::{OTHER}:role/a"), IAM),
        ErrorKind::ResourceNotFound,
    );
    assert_eq!(
        e.message(),
        format!("caller account id ({OWNER}) does not match input account id ({OTHER})")
    );
}

#[test]
fn associate_pattern_sent_as_iam_is_not_found_for_its_missing_account() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    let e = assert_error(
        w.associate(OWNER, &id, "arn:aws:iam:::role/Dev*", IAM),
        ErrorKind::ResourceNotFound,
    );
    assert_eq!(
        e.message(),
        format!("caller account id ({OWNER}) does not match input account id ()")
    );
}

#[test]
fn associate_iam_account_check_comes_before_arn_validation() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    // Invalid name characters, but the wrong account is reported first.
    assert_error(
        w.associate(OWNER, &id, &format!("arn:aws:iam::{OTHER}:role/a!b"), IAM),
        ErrorKind::ResourceNotFound,
    );
    // Own account: now the ARN itself is validated.
    assert_error(
        w.associate(OWNER, &id, &format!("arn:aws:iam::{OWNER}:role/a!b"), IAM),
        ErrorKind::InvalidParameters,
    );
}

#[test]
fn associate_validates_the_arn_for_its_type() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    for bad in [
        "arn:aws:iam:::*/ResourceName",
        "arn:aws:iam::123456789012:role/Dev*",
        "arn:aws:iam:us-east-1::role/x",
        "arn:aws:s3:::role/x",
        "arn:aws:iam:::policy/x",
        "arn:*:iam:::role/x",
    ] {
        let e = assert_error(
            w.associate(OWNER, &id, bad, PATTERN),
            ErrorKind::InvalidParameters,
        );
        assert!(e.message().contains(bad), "{}", e.message());
    }
    for good in [
        "arn:aws:iam:::role/ResourceName_*",
        "arn:aws:iam:::role/*/ResourceName_?",
        "arn:aws:iam:::user/dev/*",
        "arn:aws:iam:::group/Admins",
    ] {
        w.associate(OWNER, &id, good, PATTERN).unwrap();
    }
}

#[test]
fn associate_eleventh_pattern_is_limit_exceeded() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    for i in 0..10 {
        w.associate(
            OWNER,
            &id,
            &format!("arn:aws:iam:::role/team{i}-*"),
            PATTERN,
        )
        .unwrap();
    }
    assert_error(
        w.associate(OWNER, &id, "arn:aws:iam:::role/team10-*", PATTERN),
        ErrorKind::LimitExceeded,
    );
    assert_eq!(w.principals(OWNER, &id).unwrap().len(), 10);
    // IAM associations have their own limit.
    w.associate(OWNER, &id, &owner_role("still-fine"), IAM)
        .unwrap();
}

#[test]
fn associate_iam_limit_is_1000_per_portfolio_and_account_decision() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    for i in 0..1000 {
        w.associate(OWNER, &id, &owner_role(&format!("r{i}")), IAM)
            .unwrap();
    }
    assert_error(
        w.associate(OWNER, &id, &owner_role("r1000"), IAM),
        ErrorKind::LimitExceeded,
    );
}

#[test]
fn associate_twice_is_idempotent_and_counts_once() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    for i in 0..10 {
        w.associate(OWNER, &id, &format!("arn:aws:iam:::role/t{i}*"), PATTERN)
            .unwrap();
    }
    // The same pattern again at the limit: success, nothing changes.
    w.associate(OWNER, &id, "arn:aws:iam:::role/t0*", PATTERN)
        .unwrap();
    w.associate(OWNER, &id, &owner_role("x"), IAM).unwrap();
    w.associate(OWNER, &id, &owner_role("x"), IAM).unwrap();
    assert_eq!(w.principals(OWNER, &id).unwrap().len(), 11);
}

#[test]
fn associate_on_imported_portfolio_belongs_to_the_recipient_account() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    w.share_with_account(OWNER, &id, OTHER).unwrap();
    w.accept(OTHER, &id, None).unwrap();
    let recipient_role = format!("arn:aws:iam::{OTHER}:role/builder");
    w.associate(OTHER, &id, &recipient_role, IAM).unwrap();
    assert_eq!(
        w.principals(OTHER, &id).unwrap(),
        vec![(recipient_role, PrincipalType::Iam)]
    );
    assert!(w.principals(OWNER, &id).unwrap().is_empty());
}

#[test]
fn associate_before_accepting_an_account_share_is_not_found() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    w.share_with_account(OWNER, &id, OTHER).unwrap();
    assert_error(
        w.associate(OTHER, &id, &format!("arn:aws:iam::{OTHER}:role/b"), IAM),
        ErrorKind::ResourceNotFound,
    );
}
