//! SPEC §8 Organizations subset and §9 Organizations access: who may build and read the
//! organization directory, who may enable, disable and read Service Catalog's organizations
//! access, and what disabling it and deregistering a delegated administrator do to shares.
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

fn register_service_catalog_administrator(w: &World, account: &str) -> Result<(), ServiceError> {
    w.service
        .register_delegated_administrator(
            &caller(OWNER),
            RegisterDelegatedAdministratorRequest {
                account_id: Some(account.into()),
                service_principal: Some("servicecatalog.amazonaws.com".into()),
            },
        )
        .map(drop)
}

// ---- §8 Organizations subset -----------------------------------------------------------------

#[test]
fn create_organization_makes_the_caller_its_management_account() {
    let w = World::new();
    let org = w.organization();
    let described = w
        .service
        .describe_organization(&caller(OWNER), DescribeOrganizationRequest::default())
        .unwrap()
        .organization;
    assert_eq!(described.id.as_str(), org.id);
    assert_eq!(described.master_account_id.as_str(), OWNER);
    assert_error(
        w.service
            .create_organization(&caller(OWNER), CreateOrganizationRequest::default()),
        ErrorKind::AlreadyInOrganization,
    );
    assert_error(
        w.service.create_organization(
            &caller(&org.members[0]),
            CreateOrganizationRequest::default(),
        ),
        ErrorKind::AlreadyInOrganization,
    );
}

#[test]
fn account_in_no_organization_is_aws_organizations_not_in_use() {
    let w = World::new();
    w.organization();
    assert_error(
        w.service
            .describe_organization(&caller(THIRD), DescribeOrganizationRequest::default()),
        ErrorKind::AwsOrganizationsNotInUse,
    );
    assert_error(
        w.service
            .list_accounts(&caller(THIRD), ListAccountsRequest::default()),
        ErrorKind::AwsOrganizationsNotInUse,
    );
}

#[test]
fn organization_directory_is_changed_by_the_management_account_only_decision() {
    let w = World::new();
    let org = w.organization();
    let member = caller(&org.members[0]);
    assert_error(
        w.service.create_organizational_unit(
            &member,
            CreateOrganizationalUnitRequest {
                parent_id: Some(org.root.clone()),
                name: Some("mine".into()),
                ..Default::default()
            },
        ),
        ErrorKind::AccessDenied,
    );
    assert_error(
        w.service.create_account(
            &member,
            CreateAccountRequest {
                email: Some("x@example.com".into()),
                account_name: Some("x".into()),
                ..Default::default()
            },
        ),
        ErrorKind::AccessDenied,
    );
    assert_error(
        w.service.move_account(
            &member,
            MoveAccountRequest {
                account_id: Some(org.members[1].clone()),
                source_parent_id: Some(org.root.clone()),
                destination_parent_id: Some(org.ou.clone()),
            },
        ),
        ErrorKind::AccessDenied,
    );
    assert_error(
        w.service.register_delegated_administrator(
            &member,
            RegisterDelegatedAdministratorRequest {
                account_id: Some(org.members[1].clone()),
                service_principal: Some("servicecatalog.amazonaws.com".into()),
            },
        ),
        ErrorKind::AccessDenied,
    );
}

#[test]
fn directory_is_read_by_administrators_and_described_by_any_member_decision() {
    let w = World::new();
    let org = w.organization();
    let [admin, member] = [caller(&org.members[0]), caller(&org.members[1])];
    register_service_catalog_administrator(&w, &org.members[0]).unwrap();
    let accounts = w
        .service
        .list_accounts(&admin, ListAccountsRequest::default())
        .unwrap()
        .accounts;
    assert_eq!(accounts.len(), 3, "the management account and two members");
    assert_error(
        w.service
            .list_accounts(&member, ListAccountsRequest::default()),
        ErrorKind::AccessDenied,
    );
    let described = w
        .service
        .describe_organization(&member, DescribeOrganizationRequest::default())
        .unwrap();
    assert_eq!(described.organization.id.as_str(), org.id);
}

#[test]
fn move_account_from_a_parent_it_is_not_under_is_source_parent_not_found() {
    let w = World::new();
    let org = w.organization();
    w.move_account(&org.members[0], &org.root, &org.ou);
    assert_error(
        w.service.move_account(
            &caller(OWNER),
            MoveAccountRequest {
                account_id: Some(org.members[0].clone()),
                source_parent_id: Some(org.root.clone()),
                destination_parent_id: Some(org.ou.clone()),
            },
        ),
        ErrorKind::SourceParentNotFound,
    );
}

#[test]
fn delegated_administrator_is_registered_once_and_never_the_management_account_decision() {
    let w = World::new();
    let org = w.organization();
    let admin = &org.members[0];
    register_service_catalog_administrator(&w, admin).unwrap();
    assert_error(
        register_service_catalog_administrator(&w, admin),
        ErrorKind::AccountAlreadyRegistered,
    );
    assert_error(
        register_service_catalog_administrator(&w, OWNER),
        ErrorKind::ConstraintViolation,
    );
    let deregister = |account: &str| {
        w.service.deregister_delegated_administrator(
            &caller(OWNER),
            DeregisterDelegatedAdministratorRequest {
                account_id: Some(account.into()),
                service_principal: Some("servicecatalog.amazonaws.com".into()),
            },
        )
    };
    deregister(admin).unwrap();
    assert_error(deregister(admin), ErrorKind::AccountNotRegistered);
}

// ---- §9 Organizations access -----------------------------------------------------------------

#[test]
fn organizations_access_is_changed_by_the_management_account_only() {
    let w = World::new();
    let org = w.organization();
    assert_error(
        w.service.enable_aws_organizations_access(
            &caller(&org.members[0]),
            EnableAwsOrganizationsAccessInput {},
        ),
        ErrorKind::OperationNotSupported,
    );
    assert_error(
        w.service
            .enable_aws_organizations_access(&caller(THIRD), EnableAwsOrganizationsAccessInput {}),
        ErrorKind::ResourceNotFound,
    );
    let status = w
        .service
        .get_aws_organizations_access_status(
            &caller(OWNER),
            GetAwsOrganizationsAccessStatusInput {},
        )
        .unwrap();
    assert_eq!(status.access_status, AccessStatus::Enabled);
}

#[test]
fn disabling_organizations_access_with_delegated_administrators_is_invalid_state() {
    let w = World::new();
    let org = w.organization();
    w.service
        .register_delegated_administrator(
            &caller(OWNER),
            RegisterDelegatedAdministratorRequest {
                account_id: Some(org.members[0].clone()),
                service_principal: Some("servicecatalog.amazonaws.com".into()),
            },
        )
        .unwrap();
    assert_error(
        w.service.disable_aws_organizations_access(
            &caller(OWNER),
            DisableAwsOrganizationsAccessInput {},
        ),
        ErrorKind::InvalidState,
    );
    // A delegated administrator reads the status.
    let status = w.service.get_aws_organizations_access_status(
        &caller(&org.members[0]),
        GetAwsOrganizationsAccessStatusInput {},
    );
    assert_eq!(status.unwrap().access_status, AccessStatus::Enabled);
}

#[test]
fn disabling_organizations_access_keeps_existing_shares() {
    let w = World::new();
    let org = w.organization();
    let id = w.portfolio(OWNER);
    w.associate(OWNER, &id, "arn:aws:iam:::role/Keep*", PATTERN)
        .unwrap();
    w.share_with_node(OWNER, &id, "ORGANIZATION", &org.id, true)
        .unwrap();
    w.service
        .disable_aws_organizations_access(&caller(OWNER), DisableAwsOrganizationsAccessInput {})
        .unwrap();
    assert!(w.allowed(
        OWNER,
        &id,
        &format!("arn:aws:iam::{}:role/KeepMe", org.members[0])
    ));
    let other = w.portfolio(OWNER);
    assert_error(
        w.share_with_node(OWNER, &other, "ORGANIZATION", &org.id, false),
        ErrorKind::InvalidState,
    );
}

#[test]
fn deregistering_delegated_administrator_removes_its_organization_shares() {
    let w = World::new();
    let org = w.organization();
    let admin = org.members[0].clone();
    let register = RegisterDelegatedAdministratorRequest {
        account_id: Some(admin.clone()),
        service_principal: Some("servicecatalog.amazonaws.com".into()),
    };
    w.service
        .register_delegated_administrator(&caller(OWNER), register.clone())
        .unwrap();
    let id = w.portfolio(&admin);
    w.share_with_node(&admin, &id, "ORGANIZATION", &org.id, false)
        .unwrap();
    w.share_with_account(&admin, &id, THIRD).unwrap();
    w.service
        .deregister_delegated_administrator(&caller(OWNER), register)
        .unwrap();
    let shares = |t: &str| {
        w.service
            .describe_portfolio_shares(
                &caller(&admin),
                DescribePortfolioSharesInput {
                    portfolio_id: Some(id.clone()),
                    share_type: Some(t.into()),
                    ..Default::default()
                },
            )
            .unwrap()
            .portfolio_share_details
            .len()
    };
    assert_eq!(shares("ORGANIZATION"), 0);
    assert_eq!(shares("ACCOUNT"), 1);
}
