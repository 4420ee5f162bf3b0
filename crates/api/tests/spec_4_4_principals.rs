#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! SPEC §4.4: IAM principals that exist, and `IAM` associations bound to them.

mod common;

use std::collections::HashSet;
use std::sync::Arc;

use common::*;
use portcullis_api::{Config, IamMode, Service};
use portcullis_model::*;
use portcullis_store::MemoryStore;

fn create_role(w: &World, who: &str, name: &str) -> Role {
    w.service
        .create_role(
            &caller(who),
            CreateRoleInput {
                role_name: Some(name.into()),
                assume_role_policy_document: Some("{}".into()),
                ..Default::default()
            },
        )
        .unwrap()
        .role
}

fn delete_role(w: &World, who: &str, name: &str) {
    w.service
        .delete_role(
            &caller(who),
            RoleNameInput {
                role_name: Some(name.into()),
            },
        )
        .unwrap();
}

/// Associates without creating anything first (`World::associate` creates the principal).
fn associate_only(w: &World, who: &str, id: &str, arn: &str, t: &str) -> Result<(), ServiceError> {
    w.service
        .associate_principal_with_portfolio(
            &caller(who),
            AssociatePrincipalWithPortfolioInput {
                portfolio_id: Some(id.into()),
                principal_arn: Some(arn.into()),
                principal_type: Some(t.into()),
                ..Default::default()
            },
        )
        .map(drop)
}

fn check(w: &World, who: &str, id: &str, arn: &str) -> CheckPortfolioAccessOutput {
    w.service
        .check_portfolio_access(
            &caller(who),
            CheckPortfolioAccessInput {
                portfolio_id: Some(id.into()),
                principal_arn: Some(arn.into()),
                ..Default::default()
            },
        )
        .unwrap()
}

#[test]
fn iam_association_of_a_principal_that_does_not_exist_is_invalid_parameters_decision() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    let e = associate_only(&w, OWNER, &id, &owner_role("Missing"), IAM).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidParameters);
    // AWS's words first (docs/decisions.md), then which principal is missing.
    assert!(
        e.message()
            .starts_with("Invalid input parameter(s): principal `"),
        "{e}"
    );
    assert!(e.message().contains(&owner_role("Missing")), "{e}");
    assert_eq!(w.principals(OWNER, &id).unwrap(), vec![]);
}

#[test]
fn the_account_check_comes_before_the_existence_check() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    let e =
        associate_only(&w, OWNER, &id, &format!("arn:aws:iam::{OTHER}:role/x"), IAM).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ResourceNotFound);
}

#[test]
fn iam_pattern_needs_no_principal_to_exist() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    associate_only(&w, OWNER, &id, "arn:aws:iam:::role/Nobody*", PATTERN).unwrap();
    assert!(w.allowed(OWNER, &id, &owner_role("NobodyYet")));
}

#[test]
fn listings_show_the_arn_while_the_principal_exists_and_its_unique_id_once_deleted() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    let role = create_role(&w, OWNER, "Builder");
    associate_only(&w, OWNER, &id, &role.arn, IAM).unwrap();
    assert_eq!(
        w.principals(OWNER, &id).unwrap(),
        vec![(role.arn.clone(), PrincipalType::Iam)]
    );
    assert!(w.allowed(OWNER, &id, &role.arn));
    delete_role(&w, OWNER, "Builder");
    assert_eq!(
        w.principals(OWNER, &id).unwrap(),
        vec![(role.role_id.to_string(), PrincipalType::Iam)]
    );
    assert!(!w.allowed(OWNER, &id, &role.arn));
}

#[test]
fn a_principal_created_again_under_the_same_name_is_not_granted_by_the_old_association() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    let old = create_role(&w, OWNER, "Builder");
    associate_only(&w, OWNER, &id, &old.arn, IAM).unwrap();
    delete_role(&w, OWNER, "Builder");
    let new = create_role(&w, OWNER, "Builder");
    assert_eq!(new.arn, old.arn);
    assert_ne!(new.role_id, old.role_id);
    let answer = check(&w, OWNER, &id, &new.arn);
    assert!(!answer.allowed);
    assert!(answer.grants.is_empty());
    // CheckPortfolioAccess says why.
    assert_eq!(answer.unbound_associations.len(), 1);
    let unbound = &answer.unbound_associations[0];
    assert_eq!(unbound.account_id.as_str(), OWNER);
    assert_eq!(unbound.principal_id, old.role_id.to_string());
    assert!(
        unbound.reason.contains(old.role_id.as_str()),
        "{}",
        unbound.reason
    );
    assert!(
        unbound.reason.contains(new.role_id.as_str()),
        "{}",
        unbound.reason
    );
    // Nor does the reverse query list it.
    let listed = w
        .service
        .portfolios_for_principal(&caller(OWNER), &principal(&new.arn))
        .unwrap();
    assert!(listed.is_empty());
    // Associating the new principal grants it, beside the old, orphaned association.
    associate_only(&w, OWNER, &id, &new.arn, IAM).unwrap();
    assert!(check(&w, OWNER, &id, &new.arn).allowed);
    assert_eq!(
        w.principals(OWNER, &id).unwrap(),
        vec![
            (old.role_id.to_string(), PrincipalType::Iam),
            (new.arn.clone(), PrincipalType::Iam)
        ]
    );
}

#[test]
fn associating_the_same_principal_twice_is_idempotent() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    let role = create_role(&w, OWNER, "Twice");
    associate_only(&w, OWNER, &id, &role.arn, IAM).unwrap();
    associate_only(&w, OWNER, &id, &role.arn, IAM).unwrap();
    assert_eq!(w.principals(OWNER, &id).unwrap().len(), 1);
}

#[test]
fn an_orphaned_association_is_removed_by_its_unique_id_decision() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    let role = create_role(&w, OWNER, "Gone");
    associate_only(&w, OWNER, &id, &role.arn, IAM).unwrap();
    delete_role(&w, OWNER, "Gone");
    w.disassociate(OWNER, &id, role.role_id.as_str(), None)
        .unwrap();
    assert_eq!(w.principals(OWNER, &id).unwrap(), vec![]);
    // Removing it again: not associated.
    let e = w
        .disassociate(OWNER, &id, role.role_id.as_str(), Some(IAM))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ResourceNotFound);
}

#[test]
fn an_orphaned_association_is_removed_by_its_old_arn_decision() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    let role = create_role(&w, OWNER, "Gone");
    associate_only(&w, OWNER, &id, &role.arn, IAM).unwrap();
    delete_role(&w, OWNER, "Gone");
    w.disassociate(OWNER, &id, &role.arn, Some(IAM)).unwrap();
    assert_eq!(w.principals(OWNER, &id).unwrap(), vec![]);
}

#[test]
fn the_arn_of_an_existing_associated_principal_removes_its_association_not_the_orphan_decision() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    let old = create_role(&w, OWNER, "Again");
    associate_only(&w, OWNER, &id, &old.arn, IAM).unwrap();
    delete_role(&w, OWNER, "Again");
    let new = create_role(&w, OWNER, "Again");
    associate_only(&w, OWNER, &id, &new.arn, IAM).unwrap();
    w.disassociate(OWNER, &id, &new.arn, None).unwrap();
    assert_eq!(
        w.principals(OWNER, &id).unwrap(),
        vec![(old.role_id.to_string(), PrincipalType::Iam)]
    );
    // With the new principal no longer associated, its ARN names the orphan.
    w.disassociate(OWNER, &id, &new.arn, None).unwrap();
    assert_eq!(w.principals(OWNER, &id).unwrap(), vec![]);
}

#[test]
fn names_mode_accepts_any_well_formed_arn_bound_to_its_name() {
    let service = Service::new(
        Arc::new(MemoryStore::new()),
        Config {
            iam_mode: IamMode::Names,
            ..Config::default()
        },
    );
    let w = World { service };
    let id = w.portfolio(OWNER);
    associate_only(&w, OWNER, &id, &owner_role("Anyone"), IAM).unwrap();
    assert!(w.allowed(OWNER, &id, &owner_role("Anyone")));
    assert_eq!(
        w.principals(OWNER, &id).unwrap(),
        vec![(owner_role("Anyone"), PrincipalType::Iam)]
    );
}

#[test]
fn unique_ids_have_the_aws_form_and_are_never_reused() {
    let w = World::new();
    let me = caller(OWNER);
    let mut seen = HashSet::new();
    for _ in 0..200 {
        let user = w
            .service
            .create_user(
                &me,
                CreateUserInput {
                    user_name: Some("cycled".into()),
                    ..Default::default()
                },
            )
            .unwrap()
            .user;
        assert_eq!(user.user_id.prefix(), "AIDA");
        assert!(seen.insert(user.user_id));
        w.service
            .delete_user(
                &me,
                UserNameInput {
                    user_name: Some("cycled".into()),
                },
            )
            .unwrap();
    }
    let group = w
        .service
        .create_group(
            &me,
            CreateGroupInput {
                group_name: Some("g".into()),
                ..Default::default()
            },
        )
        .unwrap()
        .group;
    assert_eq!(group.group_id.prefix(), "AGPA");
    assert_eq!(create_role(&w, OWNER, "r").role_id.prefix(), "AROA");
}

#[test]
fn names_are_unique_per_account_and_type_ignoring_case_decision() {
    let w = World::new();
    create_role(&w, OWNER, "Deploy");
    let e = w
        .service
        .create_role(
            &caller(OWNER),
            CreateRoleInput {
                role_name: Some("DEPLOY".into()),
                assume_role_policy_document: Some("{}".into()),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::EntityAlreadyExists);
    assert_eq!(e.message(), "Role with name DEPLOY already exists.");
    // Another account, or another type, may use the name.
    create_role(&w, OTHER, "Deploy");
    w.service
        .create_user(
            &caller(OWNER),
            CreateUserInput {
                user_name: Some("Deploy".into()),
                ..Default::default()
            },
        )
        .unwrap();
    let e = w
        .service
        .get_role(
            &caller(OWNER),
            RoleNameInput {
                role_name: Some("nope".into()),
            },
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NoSuchEntity);
    assert_eq!(e.message(), "The role with name nope cannot be found.");
}

#[test]
fn list_users_filters_by_path_prefix_and_pages_by_marker() {
    let w = World::new();
    let me = caller(OWNER);
    for (name, path) in [("a", "/"), ("b", "/dev/"), ("c", "/dev/x/"), ("d", "/ops/")] {
        w.service
            .create_user(
                &me,
                CreateUserInput {
                    user_name: Some(name.into()),
                    path: Some(path.into()),
                },
            )
            .unwrap();
    }
    let list = |prefix: Option<&str>, marker: Option<String>, max: Option<&str>| {
        w.service
            .list_users(
                &me,
                ListPrincipalsInput {
                    path_prefix: prefix.map(Into::into),
                    marker,
                    max_items: max.map(Into::into),
                },
            )
            .unwrap()
    };
    let names = |out: &ListUsersOutput| -> Vec<String> {
        out.users
            .member
            .iter()
            .map(|u| u.user_name.clone())
            .collect()
    };
    assert_eq!(names(&list(Some("/dev/"), None, None)), ["b", "c"]);
    let first = list(None, None, Some("3"));
    assert_eq!(names(&first), ["a", "b", "c"]);
    assert!(first.is_truncated);
    let second = list(None, first.marker.clone(), Some("3"));
    assert_eq!(names(&second), ["d"]);
    assert!(!second.is_truncated);
    assert_eq!(second.marker, None);
}

#[test]
fn get_caller_identity_names_the_callers_account_root_decision() {
    let w = World::new();
    let identity = w
        .service
        .get_caller_identity(&caller(OWNER), GetCallerIdentityInput {})
        .unwrap();
    assert_eq!(identity.account.as_str(), OWNER);
    assert_eq!(identity.user_id, OWNER);
    assert_eq!(identity.arn, format!("arn:aws:iam::{OWNER}:root"));
}

#[test]
fn a_recipients_iam_association_needs_the_principal_in_the_recipients_account() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    w.share_with_account(OWNER, &id, OTHER).unwrap();
    w.accept(OTHER, &id, None).unwrap();
    let arn = format!("arn:aws:iam::{OTHER}:role/Reader");
    let e = associate_only(&w, OTHER, &id, &arn, IAM).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidParameters);
    create_role(&w, OTHER, "Reader");
    associate_only(&w, OTHER, &id, &arn, IAM).unwrap();
    assert!(w.allowed(OTHER, &id, &arn));
}
