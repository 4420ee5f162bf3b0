#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! End to end, SPEC §4.4: the IAM subset and STS `GetCallerIdentity` over the AWS Query protocol,
//! driven by the AWS SDK for Rust (`aws-sdk-iam`, `aws-sdk-sts`) against the real server, and
//! `IAM` associations bound to the principals it creates, through `aws-sdk-servicecatalog`.

mod common;

use aws_sdk_iam::error::ProvideErrorMetadata;
use aws_sdk_servicecatalog::types::PrincipalType;
use common::sdk::*;
use common::*;

#[tokio::test]
async fn users_roles_and_groups_are_created_read_listed_and_deleted_with_iams_errors() {
    let server = Server::start();
    let iam = server.iam(MANAGEMENT).await;
    let user = iam
        .create_user()
        .user_name("alice")
        .path("/dev/")
        .send()
        .await
        .unwrap()
        .user
        .unwrap();
    assert_eq!(
        user.arn(),
        format!("arn:aws:iam::{MANAGEMENT}:user/dev/alice")
    );
    assert!(user.user_id().starts_with("AIDA") && user.user_id().len() == 21);
    let got = iam
        .get_user()
        .user_name("alice")
        .send()
        .await
        .unwrap()
        .user
        .unwrap();
    assert_eq!(got.user_id(), user.user_id());

    // EntityAlreadyExists (409), ignoring case.
    let e = iam
        .create_user()
        .user_name("ALICE")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(e.is_entity_already_exists_exception(), "{e:?}");
    assert_eq!(e.message(), Some("User with name ALICE already exists."));
    // NoSuchEntity (404).
    let e = iam
        .get_role()
        .role_name("missing")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(e.is_no_such_entity_exception(), "{e:?}");
    assert_eq!(
        e.message(),
        Some("The role with name missing cannot be found.")
    );
    // ValidationError (400).
    let e = iam
        .create_group()
        .group_name("no spaces")
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("ValidationError"), "{e:?}");

    let role = iam
        .create_role()
        .role_name("Deployer")
        .assume_role_policy_document(r#"{"Version":"2012-10-17","Statement":[]}"#)
        .description("deploys")
        .send()
        .await
        .unwrap()
        .role
        .unwrap();
    assert!(role.role_id().starts_with("AROA"));
    assert_eq!(role.description(), Some("deploys"));
    let group = iam
        .create_group()
        .group_name("Admins")
        .send()
        .await
        .unwrap()
        .group
        .unwrap();
    assert!(group.group_id().starts_with("AGPA"));
    let got = iam.get_group().group_name("Admins").send().await.unwrap();
    assert_eq!(got.group().unwrap().group_id(), group.group_id());
    assert!(got.users().is_empty());

    // Paging with Marker/MaxItems, filtering by PathPrefix.
    for i in 0..5 {
        iam.create_user()
            .user_name(format!("u{i}"))
            .send()
            .await
            .unwrap();
    }
    let mut names = Vec::new();
    let mut marker = None;
    loop {
        let page = iam
            .list_users()
            .max_items(2)
            .set_marker(marker)
            .send()
            .await
            .unwrap();
        names.extend(page.users().iter().map(|u| u.user_name().to_owned()));
        if !page.is_truncated() {
            break;
        }
        marker = page.marker().map(str::to_owned);
    }
    assert_eq!(names, ["alice", "u0", "u1", "u2", "u3", "u4"]);
    let dev = iam.list_users().path_prefix("/dev/").send().await.unwrap();
    assert_eq!(dev.users().len(), 1);
    assert_eq!(iam.list_roles().send().await.unwrap().roles().len(), 1);
    assert_eq!(iam.list_groups().send().await.unwrap().groups().len(), 1);

    iam.delete_user().user_name("alice").send().await.unwrap();
    iam.delete_role()
        .role_name("Deployer")
        .send()
        .await
        .unwrap();
    iam.delete_group()
        .group_name("Admins")
        .send()
        .await
        .unwrap();
    let e = iam
        .delete_user()
        .user_name("alice")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(e.is_no_such_entity_exception(), "{e:?}");
    // Another account sees none of it.
    let other = server.iam(OTHER).await;
    assert!(other.list_users().send().await.unwrap().users().is_empty());
}

#[tokio::test]
async fn get_caller_identity_answers_the_callers_account() {
    let server = Server::start();
    let identity = server
        .sts(OTHER)
        .await
        .get_caller_identity()
        .send()
        .await
        .unwrap();
    assert_eq!(identity.account(), Some(OTHER));
    assert_eq!(
        identity.arn(),
        Some(format!("arn:aws:iam::{OTHER}:root").as_str())
    );
}

#[tokio::test]
async fn iam_associations_are_bound_to_the_principal_not_its_name() {
    let server = Server::start();
    let sc = server.catalog(MANAGEMENT).await;
    let id = create_portfolio(&sc, "bound").await;
    let arn = role(MANAGEMENT, "Builder");

    // The principal must exist.
    let e = service_error(
        sc.associate_principal_with_portfolio()
            .portfolio_id(&id)
            .principal_arn(&arn)
            .principal_type(PrincipalType::Iam)
            .send()
            .await,
    );
    assert!(e.is_invalid_parameters_exception(), "{e:?}");

    let old_id = create_role(&server, MANAGEMENT, "Builder").await;
    associate(&sc, &id, &arn, PrincipalType::Iam).await;
    assert_eq!(
        principals(&sc, &id).await,
        [(arn.clone(), "IAM".to_owned())]
    );
    let allowed = |response: Response| {
        assert_eq!(response.status, 200);
        response.json()["Allowed"].as_bool().unwrap()
    };
    let check = serde_json::json!({"PortfolioId": id, "PrincipalARN": arn});
    assert!(allowed(
        server
            .portcullis("CheckPortfolioAccess", MANAGEMENT, check.clone())
            .await
    ));

    // Deleted: the listing shows the unique id, and access ends.
    server
        .iam(MANAGEMENT)
        .await
        .delete_role()
        .role_name("Builder")
        .send()
        .await
        .unwrap();
    assert_eq!(
        principals(&sc, &id).await,
        [(old_id.clone(), "IAM".to_owned())]
    );
    // Created again under the same name: not granted, and CheckPortfolioAccess says why.
    let new_id = create_role(&server, MANAGEMENT, "Builder").await;
    assert_ne!(new_id, old_id);
    let answer = server
        .portcullis("CheckPortfolioAccess", MANAGEMENT, check.clone())
        .await
        .json();
    assert_eq!(answer["Allowed"], false);
    let unbound = &answer["UnboundAssociations"][0];
    assert_eq!(unbound["PrincipalId"], old_id.as_str());
    assert!(unbound["Reason"].as_str().unwrap().contains(&new_id));

    // The orphan is removed by the unique id it is listed with.
    sc.disassociate_principal_from_portfolio()
        .portfolio_id(&id)
        .principal_arn(&old_id)
        .send()
        .await
        .unwrap();
    assert!(principals(&sc, &id).await.is_empty());
}
