//! AWS's answers where clients read them closely (issue 10): `DescribePortfolio` always carries
//! `TagOptions`; Organizations' `Account` and `DelegatedAdministrator` carry `State` beside
//! `Status`; an unrecognized service principal is `InvalidInputException` with reason
//! `UNRECOGNIZED_SERVICE_PRINCIPAL`; and the not-in-an-organization message is AWS's.
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
fn describe_portfolio_answers_tag_options_empty_when_there_are_none() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    let out = w
        .service
        .describe_portfolio(
            &caller(OWNER),
            DescribePortfolioInput {
                id: Some(id),
                ..Default::default()
            },
        )
        .unwrap();
    assert!(out.tag_options.is_empty());
    let wire = serde_json::to_value(&out).unwrap();
    assert_eq!(wire["TagOptions"], serde_json::json!([]));
}

#[test]
fn organizations_accounts_and_delegated_administrators_carry_state_beside_status() {
    let w = World::new();
    let org = w.organization();
    let accounts = w
        .service
        .list_accounts(&caller(OWNER), ListAccountsRequest::default())
        .unwrap()
        .accounts;
    assert!(!accounts.is_empty());
    for account in &accounts {
        assert_eq!(account.status, AccountStatus::Active);
        assert_eq!(account.state, AccountState::Active);
        let wire = serde_json::to_value(account).unwrap();
        assert_eq!(wire["State"], "ACTIVE");
        assert_eq!(wire["Status"], "ACTIVE");
    }
    w.service
        .register_delegated_administrator(
            &caller(OWNER),
            RegisterDelegatedAdministratorRequest {
                account_id: Some(org.members[0].clone()),
                service_principal: Some("servicecatalog.amazonaws.com".into()),
            },
        )
        .unwrap();
    let admins = w
        .service
        .list_delegated_administrators(
            &caller(OWNER),
            ListDelegatedAdministratorsRequest::default(),
        )
        .unwrap()
        .delegated_administrators;
    assert_eq!(admins.len(), 1);
    let wire = serde_json::to_value(&admins[0]).unwrap();
    assert_eq!(wire["State"], "ACTIVE");
    assert_eq!(wire["Status"], "ACTIVE");
}

#[test]
fn unrecognized_service_principal_is_invalid_input_with_reason_unrecognized_service_principal() {
    let w = World::new();
    let org = w.organization();
    let unrecognized = || Some("moto.amazonaws.com".to_owned());
    let check = |e: ServiceError| {
        assert_eq!(
            e.message(),
            "You specified an unrecognized service principal."
        );
        assert_eq!(e.reason(), Some("UNRECOGNIZED_SERVICE_PRINCIPAL"));
    };
    check(assert_error(
        w.service.register_delegated_administrator(
            &caller(OWNER),
            RegisterDelegatedAdministratorRequest {
                account_id: Some(org.members[0].clone()),
                service_principal: unrecognized(),
            },
        ),
        ErrorKind::InvalidInput,
    ));
    check(assert_error(
        w.service.deregister_delegated_administrator(
            &caller(OWNER),
            DeregisterDelegatedAdministratorRequest {
                account_id: Some(org.members[0].clone()),
                service_principal: unrecognized(),
            },
        ),
        ErrorKind::InvalidInput,
    ));
    check(assert_error(
        w.service.list_delegated_administrators(
            &caller(OWNER),
            ListDelegatedAdministratorsRequest {
                service_principal: unrecognized(),
                ..Default::default()
            },
        ),
        ErrorKind::InvalidInput,
    ));
    // Services that support delegated administration are recognized.
    for service in ["guardduty.amazonaws.com", "securityhub.amazonaws.com"] {
        w.service
            .register_delegated_administrator(
                &caller(OWNER),
                RegisterDelegatedAdministratorRequest {
                    account_id: Some(org.members[0].clone()),
                    service_principal: Some(service.into()),
                },
            )
            .unwrap();
    }
}

#[test]
fn account_in_no_organization_is_told_in_aws_words() {
    let w = World::new();
    let e = assert_error(
        w.service
            .describe_organization(&caller(THIRD), DescribeOrganizationRequest::default()),
        ErrorKind::AwsOrganizationsNotInUse,
    );
    assert_eq!(
        e.message(),
        "Your account is not a member of an organization."
    );
}

#[test]
fn management_account_is_never_a_delegated_administrator_in_aws_words() {
    let w = World::new();
    w.organization();
    let request = || RegisterDelegatedAdministratorRequest {
        account_id: Some(OWNER.into()),
        service_principal: Some("servicecatalog.amazonaws.com".into()),
    };
    let words = "You cannot register master account/yourself as delegated administrator for your organization.";
    let e = assert_error(
        w.service
            .register_delegated_administrator(&caller(OWNER), request()),
        ErrorKind::ConstraintViolation,
    );
    assert_eq!(e.message(), words);
    let e = assert_error(
        w.service
            .deregister_delegated_administrator(&caller(OWNER), request()),
        ErrorKind::ConstraintViolation,
    );
    assert_eq!(e.message(), words);
}
