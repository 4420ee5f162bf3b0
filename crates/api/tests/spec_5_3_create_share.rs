//! SPEC §5.3 CreatePortfolioShare: the target, who may share what, organization-node shares,
//! idempotence, share status and the share limit.
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
fn share_needs_exactly_one_of_account_id_and_organization_node() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    assert_error(
        w.service.create_portfolio_share(
            &caller(OWNER),
            CreatePortfolioShareInput {
                portfolio_id: Some(id.clone()),
                ..Default::default()
            },
        ),
        ErrorKind::InvalidParameters,
    );
    assert_error(
        w.service.create_portfolio_share(
            &caller(OWNER),
            CreatePortfolioShareInput {
                portfolio_id: Some(id),
                account_id: Some(OTHER.into()),
                organization_node: Some(OrganizationNodeInput {
                    node_type: Some("ACCOUNT".into()),
                    value: Some(OTHER.into()),
                }),
                ..Default::default()
            },
        ),
        ErrorKind::InvalidParameters,
    );
}

#[test]
fn share_of_portfolio_not_owned_is_not_found() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    assert_error(
        w.share_with_account(OTHER, &id, THIRD),
        ErrorKind::ResourceNotFound,
    );
}

#[test]
fn share_of_imported_portfolio_is_operation_not_supported() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    w.share_with_account(OWNER, &id, OTHER).unwrap();
    w.accept(OTHER, &id, None).unwrap();
    assert_error(
        w.share_with_account(OTHER, &id, THIRD),
        ErrorKind::OperationNotSupported,
    );
}

#[test]
fn share_with_own_account_is_invalid_parameters() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    assert_error(
        w.share_with_account(OWNER, &id, OWNER),
        ErrorKind::InvalidParameters,
    );
}

#[test]
fn share_account_id_must_be_twelve_digits() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    assert_error(
        w.share_with_account(OWNER, &id, "12345"),
        ErrorKind::InvalidParameters,
    );
}

#[test]
fn share_principals_only_with_organization_or_ou_node() {
    let w = World::new();
    let org = w.organization();
    let id = w.portfolio(OWNER);
    assert_error(
        w.service.create_portfolio_share(
            &caller(OWNER),
            CreatePortfolioShareInput {
                portfolio_id: Some(id.clone()),
                account_id: Some(OTHER.into()),
                share_principals: Some(true),
                ..Default::default()
            },
        ),
        ErrorKind::InvalidParameters,
    );
    assert_error(
        w.share_with_node(OWNER, &id, "ACCOUNT", &org.members[0], true),
        ErrorKind::InvalidParameters,
    );
    w.share_with_node(OWNER, &id, "ORGANIZATIONAL_UNIT", &org.ou, true)
        .unwrap();
}

#[test]
fn organization_share_by_member_is_operation_not_supported() {
    let w = World::new();
    let org = w.organization();
    let member = &org.members[0];
    let id = w.portfolio(member);
    assert_error(
        w.share_with_node(member, &id, "ORGANIZATION", &org.id, false),
        ErrorKind::OperationNotSupported,
    );
}

#[test]
fn organization_share_by_account_outside_any_organization_is_operation_not_supported() {
    let w = World::new();
    let id = w.portfolio(THIRD);
    assert_error(
        w.share_with_node(THIRD, &id, "ORGANIZATION", "o-abcdefghij", false),
        ErrorKind::OperationNotSupported,
    );
}

#[test]
fn organization_share_without_organizations_access_is_invalid_state() {
    let w = World::new();
    let org = w.organization();
    w.service
        .disable_aws_organizations_access(&caller(OWNER), DisableAwsOrganizationsAccessInput {})
        .unwrap();
    let id = w.portfolio(OWNER);
    assert_error(
        w.share_with_node(OWNER, &id, "ORGANIZATION", &org.id, false),
        ErrorKind::InvalidState,
    );
}

#[test]
fn organization_share_with_unknown_node_is_not_found() {
    let w = World::new();
    let org = w.organization();
    let id = w.portfolio(OWNER);
    assert_error(
        w.share_with_node(OWNER, &id, "ORGANIZATION", "o-zzzzzzzzzz", false),
        ErrorKind::ResourceNotFound,
    );
    assert_error(
        w.share_with_node(OWNER, &id, "ORGANIZATIONAL_UNIT", "ou-zzzz-zzzzzzzz", false),
        ErrorKind::ResourceNotFound,
    );
    assert_error(
        w.share_with_node(OWNER, &id, "ACCOUNT", THIRD, false),
        ErrorKind::ResourceNotFound,
    );
    w.share_with_node(OWNER, &id, "ACCOUNT", &org.members[1], false)
        .unwrap();
}

#[test]
fn organization_node_accepts_ids_and_arns() {
    let w = World::new();
    let org = w.organization();
    let id = w.portfolio(OWNER);
    let arn = format!("arn:aws:organizations::{OWNER}:organization/{}", org.id);
    let token = w
        .share_with_node(OWNER, &id, "ORGANIZATION", &arn, false)
        .unwrap()
        .portfolio_share_token;
    assert!(token.is_some());
}

#[test]
fn delegated_administrator_can_share_with_organization_nodes() {
    let w = World::new();
    let org = w.organization();
    let admin = org.members[0].clone();
    w.service
        .register_delegated_administrator(
            &caller(OWNER),
            RegisterDelegatedAdministratorRequest {
                account_id: Some(admin.clone()),
                service_principal: Some("servicecatalog.amazonaws.com".into()),
            },
        )
        .unwrap();
    let id = w.portfolio(&admin);
    w.share_with_node(&admin, &id, "ORGANIZATIONAL_UNIT", &org.ou, false)
        .unwrap();
}

#[test]
fn repeated_share_is_idempotent_and_keeps_its_flags_and_token() {
    let w = World::new();
    let org = w.organization();
    let id = w.portfolio(OWNER);
    let first = w
        .share_with_node(OWNER, &id, "ORGANIZATION", &org.id, false)
        .unwrap()
        .portfolio_share_token;
    let again = w
        .share_with_node(OWNER, &id, "ORGANIZATION", &org.id, true)
        .unwrap()
        .portfolio_share_token;
    assert_eq!(first, again);
    let shares = w
        .service
        .describe_portfolio_shares(
            &caller(OWNER),
            DescribePortfolioSharesInput {
                portfolio_id: Some(id.clone()),
                share_type: Some("ORGANIZATION".into()),
                ..Default::default()
            },
        )
        .unwrap()
        .portfolio_share_details;
    assert_eq!(shares.len(), 1);
    assert!(
        !shares[0].share_principals,
        "flags unchanged: use UpdatePortfolioShare"
    );
    assert!(
        w.share_with_account(OWNER, &id, OTHER)
            .unwrap()
            .portfolio_share_token
            .is_none()
    );
    assert!(
        w.share_with_account(OWNER, &id, OTHER)
            .unwrap()
            .portfolio_share_token
            .is_none()
    );
}

#[test]
fn organization_share_status_is_completed_with_every_covered_account_decision() {
    let w = World::new();
    let org = w.organization();
    let id = w.portfolio(OWNER);
    let token = w
        .share_with_node(OWNER, &id, "ORGANIZATION", &org.id, false)
        .unwrap()
        .portfolio_share_token
        .unwrap();
    let status = w
        .service
        .describe_portfolio_share_status(
            &caller(OWNER),
            DescribePortfolioShareStatusInput {
                portfolio_share_token: Some(token.to_string()),
            },
        )
        .unwrap();
    assert_eq!(status.status, ShareStatus::Completed);
    assert_eq!(status.organization_node_value, org.id);
    let mut accounts: Vec<String> = status
        .share_details
        .successful_shares
        .iter()
        .map(|a| a.to_string())
        .collect();
    accounts.sort();
    let mut expected = vec![
        OWNER.to_string(),
        org.members[0].clone(),
        org.members[1].clone(),
    ];
    expected.sort();
    assert_eq!(accounts, expected);
    assert!(token.as_str().starts_with("share-"));
}

#[test]
fn share_limit_is_1000_per_portfolio_decision() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    for i in 0..1000u64 {
        w.share_with_account(OWNER, &id, &format!("{:012}", 500_000_000_000 + i))
            .unwrap();
    }
    assert_error(
        w.share_with_account(OWNER, &id, "999999999999"),
        ErrorKind::LimitExceeded,
    );
}
