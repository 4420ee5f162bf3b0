//! End to end with the official AWS SDK for Rust (`aws-sdk-servicecatalog`,
//! `aws-sdk-organizations`) against the real `portcullis` binary: what only a real client over
//! HTTP can show. The protocol (AWS JSON 1.1 pinned, request ids, every shape and enum the SDK
//! reads, the SDK's paginators over our opaque page tokens, our own `PortcullisService`
//! operations over raw HTTP) and whole scenarios: the account-share lifecycle, the organization
//! share with principal sharing and a member moved into the OU (SPEC §5.4), account and region
//! isolation of SigV4 callers (SPEC §2).
//!
//! Errors as the SDK surfaces them are the rows of the table in `e2e_errors.rs`; the rules
//! themselves are pinned in `crates/api/tests/spec_*.rs`. Each test starts its own server, so
//! tests share no state.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use aws_sdk_organizations::types::{CreateAccountState, OrganizationFeatureSet};
use aws_sdk_servicecatalog::config::interceptors::BeforeTransmitInterceptorContextRef;
use aws_sdk_servicecatalog::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_sdk_servicecatalog::error::{BoxError, ProvideErrorMetadata};
use aws_sdk_servicecatalog::operation::RequestId;
use aws_sdk_servicecatalog::operation::accept_portfolio_share::AcceptPortfolioShareError;
use aws_sdk_servicecatalog::operation::associate_principal_with_portfolio::AssociatePrincipalWithPortfolioError;
use aws_sdk_servicecatalog::operation::create_portfolio_share::CreatePortfolioShareError;
use aws_sdk_servicecatalog::operation::delete_portfolio::DeletePortfolioError;
use aws_sdk_servicecatalog::operation::describe_portfolio::DescribePortfolioError;
use aws_sdk_servicecatalog::operation::disassociate_principal_from_portfolio::DisassociatePrincipalFromPortfolioError;
use aws_sdk_servicecatalog::types::{
    AccessStatus, DescribePortfolioShareType, OrganizationNodeType, PortfolioShareType,
    PrincipalType, ShareStatus,
};
use common::sdk::*;
use common::*;
use serde_json::json;

/// Records the protocol-level parts of every request an SDK client sends.
#[derive(Debug, Default, Clone)]
struct Recorder(Arc<Mutex<Vec<[String; 5]>>>);

impl Intercept for Recorder {
    fn name(&self) -> &'static str {
        "Recorder"
    }

    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let request = context.request();
        let header = |name: &str| request.headers().get(name).unwrap_or("").to_owned();
        self.0.lock().unwrap().push([
            request.method().to_owned(),
            request.uri().to_owned(),
            header("content-type"),
            header("x-amz-target"),
            header("smithy-protocol"),
        ]);
        Ok(())
    }
}

// ---- Protocol -----------------------------------------------------------------------------------

#[tokio::test]
async fn sdks_speak_aws_json_1_1_with_x_amz_target_to_the_root_path() {
    let server = Server::start();
    let recorder = Recorder::default();
    let config = server.sdk_config(MANAGEMENT, "us-east-1").await;
    let sc = aws_sdk_servicecatalog::Client::from_conf(
        aws_sdk_servicecatalog::config::Builder::from(&config)
            .interceptor(recorder.clone())
            .build(),
    );
    let orgs = aws_sdk_organizations::Client::from_conf(
        aws_sdk_organizations::config::Builder::from(&config)
            .interceptor(recorder.clone())
            .build(),
    );

    let listed = sc.list_portfolios().send().await.unwrap();
    assert!(listed.portfolio_details().is_empty());
    assert!(
        listed.request_id().is_some_and(|id| !id.is_empty()),
        "the SDK reads x-amzn-RequestId"
    );
    orgs.create_organization().send().await.unwrap();

    let url = format!("{}/", server.url);
    let seen = recorder.0.lock().unwrap().clone();
    assert_eq!(
        seen,
        [
            [
                "POST".to_owned(),
                url.clone(),
                "application/x-amz-json-1.1".to_owned(),
                "AWS242ServiceCatalogService.ListPortfolios".to_owned(),
                String::new(),
            ],
            [
                "POST".to_owned(),
                url,
                "application/x-amz-json-1.1".to_owned(),
                "AWSOrganizationsV20161128.CreateOrganization".to_owned(),
                String::new(),
            ],
        ],
        "if this fails after an SDK upgrade, the SDK has moved to another protocol \
         (for example smithy-rpc-v2-cbor) that the server must learn"
    );
}

/// Every field of a portfolio crosses the wire both ways: times, tags, idempotency tokens, page
/// tokens.
#[tokio::test]
async fn portfolio_lifecycle_create_describe_update_list_delete() {
    let server = Server::start();
    let sc = server.catalog(MANAGEMENT).await;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;

    let created = sc
        .create_portfolio()
        .display_name("Team portfolio")
        .description("products for the team")
        .provider_name("platform")
        .tags(tag("team", "blue"))
        .idempotency_token("token-1")
        .send()
        .await
        .unwrap();
    let detail = created.portfolio_detail().unwrap();
    let id = detail.id().unwrap().to_owned();
    // The account is the access key id; the region is the credential scope's (SPEC §2).
    assert_eq!(
        detail.arn(),
        Some(format!("arn:aws:catalog:us-east-1:{MANAGEMENT}:portfolio/{id}").as_str())
    );
    assert_eq!(detail.display_name(), Some("Team portfolio"));
    assert_eq!(detail.description(), Some("products for the team"));
    assert_eq!(detail.provider_name(), Some("platform"));
    let created_secs = detail.created_time().unwrap().secs();
    assert!(
        (created_secs - now).abs() < 300,
        "CreatedTime is now: {created_secs} vs {now}"
    );
    assert_eq!(created.tags(), [tag("team", "blue")]);

    // The same idempotency token answers the first creation.
    let again = sc
        .create_portfolio()
        .display_name("Team portfolio")
        .provider_name("platform")
        .idempotency_token("token-1")
        .send()
        .await
        .unwrap();
    assert_eq!(again.portfolio_detail().unwrap().id(), Some(id.as_str()));

    let described = sc.describe_portfolio().id(&id).send().await.unwrap();
    assert_eq!(described.portfolio_detail(), Some(detail));
    assert_eq!(described.tags(), [tag("team", "blue")]);

    let updated = sc
        .update_portfolio()
        .id(&id)
        .display_name("Renamed")
        .description("new description")
        .provider_name("another provider")
        .add_tags(tag("env", "prod"))
        .remove_tags("team")
        .send()
        .await
        .unwrap();
    let updated_detail = updated.portfolio_detail().unwrap();
    assert_eq!(updated_detail.id(), Some(id.as_str()));
    assert_eq!(updated_detail.display_name(), Some("Renamed"));
    assert_eq!(updated_detail.description(), Some("new description"));
    assert_eq!(updated_detail.provider_name(), Some("another provider"));
    assert_eq!(updated.tags(), [tag("env", "prod")]);
    let described = sc.describe_portfolio().id(&id).send().await.unwrap();
    assert_eq!(described.portfolio_detail(), Some(updated_detail));
    assert_eq!(described.tags(), [tag("env", "prod")]);

    // Pagination walks every portfolio once, in creation order.
    let second = create_portfolio(&sc, "second").await;
    let third = create_portfolio(&sc, "third").await;
    let first_page = sc.list_portfolios().page_size(2).send().await.unwrap();
    let token = first_page
        .next_page_token()
        .expect("a second page")
        .to_owned();
    let second_page = sc
        .list_portfolios()
        .page_size(2)
        .page_token(token)
        .send()
        .await
        .unwrap();
    assert_eq!(second_page.next_page_token(), None);
    let walked: Vec<&str> = first_page
        .portfolio_details()
        .iter()
        .chain(second_page.portfolio_details())
        .map(|p| p.id().unwrap())
        .collect();
    assert_eq!(walked, [id.as_str(), second.as_str(), third.as_str()]);

    sc.delete_portfolio().id(&second).send().await.unwrap();
    assert_eq!(portfolio_ids(&sc).await, [id, third]);
}

/// The SDK's paginators follow the opaque page tokens the server issues: every item once, pages
/// of the asked size, no token after the last.
#[tokio::test]
async fn sdk_paginators_follow_the_servers_opaque_page_tokens() {
    let server = Server::start();
    let sc = server.catalog(MANAGEMENT).await;
    let id = create_portfolio(&sc, "first").await;
    for i in 0..10 {
        associate(
            &sc,
            &id,
            &format!("arn:aws:iam:::role/Team{i}-*"),
            PrincipalType::IamPattern,
        )
        .await;
    }
    // An `IAM` principal must exist before it is associated (SPEC §4.4).
    create_role(&server, MANAGEMENT, "Admin").await;
    associate(&sc, &id, &role(MANAGEMENT, "Admin"), PrincipalType::Iam).await;

    let pages: Vec<_> = sc
        .list_principals_for_portfolio()
        .portfolio_id(&id)
        .into_paginator()
        .page_size(3)
        .send()
        .collect::<Vec<_>>()
        .await;
    let sizes: Vec<usize> = pages
        .iter()
        .map(|p| p.as_ref().unwrap().principals().len())
        .collect();
    assert_eq!(sizes, [3, 3, 3, 2]);
    let mut walked: Vec<(String, PrincipalType)> = pages
        .iter()
        .flat_map(|p| p.as_ref().unwrap().principals())
        .map(|p| {
            (
                p.principal_arn().unwrap().to_owned(),
                p.principal_type().unwrap().clone(),
            )
        })
        .collect();
    walked.sort_by(|a, b| a.0.cmp(&b.0));
    walked.dedup();
    assert_eq!(walked.len(), 11);
    let patterns = walked
        .iter()
        .filter(|(_, t)| *t == PrincipalType::IamPattern)
        .count();
    assert_eq!(patterns, 10, "both principal types read back: {walked:?}");

    let mut created = vec![id];
    for name in ["second", "third", "fourth", "fifth"] {
        created.push(create_portfolio(&sc, name).await);
    }
    let pages: Vec<_> = sc
        .list_portfolios()
        .into_paginator()
        .page_size(2)
        .send()
        .collect::<Vec<_>>()
        .await;
    let sizes: Vec<usize> = pages
        .iter()
        .map(|p| p.as_ref().unwrap().portfolio_details().len())
        .collect();
    assert_eq!(sizes, [2, 2, 1]);
    let walked: Vec<String> = pages
        .iter()
        .flat_map(|p| p.as_ref().unwrap().portfolio_details())
        .map(|p| p.id().unwrap().to_owned())
        .collect();
    assert_eq!(walked, created, "every portfolio once, in creation order");
}

/// Every share target and every value of the share and node type enums crosses the wire: the
/// SDK sends each and reads each back, and the access status reads as both of its values.
#[tokio::test]
async fn every_share_type_and_node_type_crosses_the_wire() {
    let server = Server::start();
    let org = build_organization(&server).await;
    let sc = server.catalog(MANAGEMENT).await;
    let status = || async {
        sc.get_aws_organizations_access_status()
            .send()
            .await
            .unwrap()
            .access_status()
            .cloned()
    };
    assert_eq!(status().await, Some(AccessStatus::Disabled));
    sc.enable_aws_organizations_access().send().await.unwrap();
    assert_eq!(status().await, Some(AccessStatus::Enabled));

    let id = create_portfolio(&sc, "everywhere").await;
    let to_account = sc
        .create_portfolio_share()
        .portfolio_id(&id)
        .account_id(OTHER)
        .send()
        .await
        .unwrap();
    assert_eq!(to_account.portfolio_share_token(), None);
    let member_account = &org.members[1];
    let mut tokens = Vec::new();
    for (node_type, value) in [
        (OrganizationNodeType::Organization, &org.id),
        (OrganizationNodeType::OrganizationalUnit, &org.ou),
        (OrganizationNodeType::Account, member_account),
    ] {
        let share = sc
            .create_portfolio_share()
            .portfolio_id(&id)
            .organization_node(node(node_type, value))
            .send()
            .await
            .unwrap();
        let token = share.portfolio_share_token().unwrap().to_owned();
        assert!(token.starts_with("share-"), "{token}");
        tokens.push(token);
    }

    for (share_type, principal) in [
        (DescribePortfolioShareType::Account, OTHER),
        (DescribePortfolioShareType::Organization, org.id.as_str()),
        (
            DescribePortfolioShareType::OrganizationalUnit,
            org.ou.as_str(),
        ),
        (
            DescribePortfolioShareType::OrganizationMemberAccount,
            member_account.as_str(),
        ),
    ] {
        let shares = sc
            .describe_portfolio_shares()
            .portfolio_id(&id)
            .r#type(share_type.clone())
            .send()
            .await
            .unwrap();
        let [share] = shares.portfolio_share_details() else {
            panic!("one {share_type:?} share: {shares:?}")
        };
        assert_eq!(share.principal_id(), Some(principal), "{share_type:?}");
        assert_eq!(share.r#type(), Some(&share_type));
    }
    for (node_type, value) in [
        (OrganizationNodeType::Organization, &org.id),
        (OrganizationNodeType::OrganizationalUnit, &org.ou),
        (OrganizationNodeType::Account, member_account),
    ] {
        let access = sc
            .list_organization_portfolio_access()
            .portfolio_id(&id)
            .organization_node_type(node_type.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(
            access.organization_nodes(),
            [node(node_type, value)],
            "the node reads back with its type"
        );
    }

    // The organization share's status lists the member accounts it reached.
    let share_status = sc
        .describe_portfolio_share_status()
        .portfolio_share_token(&tokens[0])
        .send()
        .await
        .unwrap();
    assert_eq!(
        share_status.portfolio_share_token(),
        Some(tokens[0].as_str())
    );
    assert_eq!(share_status.portfolio_id(), Some(id.as_str()));
    assert_eq!(
        share_status.organization_node_value(),
        Some(org.id.as_str())
    );
    assert_eq!(share_status.status(), Some(&ShareStatus::Completed));
    let mut covered: Vec<&str> = share_status
        .share_details()
        .unwrap()
        .successful_shares()
        .iter()
        .map(String::as_str)
        .filter(|a| *a != MANAGEMENT)
        .collect();
    covered.sort_unstable();
    let mut members: Vec<&str> = org.members.iter().map(String::as_str).collect();
    members.sort_unstable();
    assert_eq!(covered, members);

    sc.disable_aws_organizations_access().send().await.unwrap();
    assert_eq!(status().await, Some(AccessStatus::Disabled));
}

/// The Organizations subset (SPEC §8) answers every operation in shapes the Organizations SDK
/// reads.
#[tokio::test]
async fn organizations_sdk_builds_the_directory_with_ous_accounts_and_delegated_administrators() {
    let server = Server::start();
    let orgs = server.organizations(MANAGEMENT).await;

    let created = orgs.create_organization().send().await.unwrap();
    let organization = created.organization().unwrap();
    let org_id = organization.id().unwrap().to_owned();
    assert!(org_id.starts_with("o-"), "{org_id}");
    assert_eq!(organization.master_account_id(), Some(MANAGEMENT));
    assert_eq!(
        organization.feature_set(),
        Some(&OrganizationFeatureSet::All)
    );

    let described = orgs.describe_organization().send().await.unwrap();
    assert_eq!(
        described.organization().unwrap().id(),
        Some(org_id.as_str())
    );

    let roots = orgs.list_roots().send().await.unwrap();
    let [root] = roots.roots() else {
        panic!("one root: {roots:?}")
    };
    let root_id = root.id().unwrap().to_owned();
    assert!(root_id.starts_with("r-"), "{root_id}");

    let ou = orgs
        .create_organizational_unit()
        .parent_id(&root_id)
        .name("Workloads")
        .send()
        .await
        .unwrap();
    let ou = ou.organizational_unit().unwrap();
    let ou_id = ou.id().unwrap().to_owned();
    assert!(ou_id.starts_with("ou-"), "{ou_id}");
    assert_eq!(ou.name(), Some("Workloads"));
    let nested = orgs
        .create_organizational_unit()
        .parent_id(&ou_id)
        .name("Nested")
        .send()
        .await
        .unwrap();
    let nested_id = nested
        .organizational_unit()
        .unwrap()
        .id()
        .unwrap()
        .to_owned();
    let under_root = orgs
        .list_organizational_units_for_parent()
        .parent_id(&root_id)
        .send()
        .await
        .unwrap();
    let names: Vec<&str> = under_root
        .organizational_units()
        .iter()
        .map(|o| o.name().unwrap())
        .collect();
    assert_eq!(names, ["Workloads"]);
    let under_ou = orgs
        .list_organizational_units_for_parent()
        .parent_id(&ou_id)
        .send()
        .await
        .unwrap();
    let ids: Vec<&str> = under_ou
        .organizational_units()
        .iter()
        .map(|o| o.id().unwrap())
        .collect();
    assert_eq!(ids, [nested_id.as_str()]);

    let status = orgs
        .create_account()
        .email("dev@example.com")
        .account_name("dev")
        .send()
        .await
        .unwrap();
    let status = status.create_account_status().unwrap();
    assert_eq!(status.state(), Some(&CreateAccountState::Succeeded));
    assert_eq!(status.account_name(), Some("dev"));
    let member = status.account_id().unwrap().to_owned();
    assert!(
        member.len() == 12 && member.bytes().all(|b| b.is_ascii_digit()),
        "{member}"
    );
    let request_id = status.id().unwrap().to_owned();
    let described = orgs
        .describe_create_account_status()
        .create_account_request_id(&request_id)
        .send()
        .await
        .unwrap();
    let described = described.create_account_status().unwrap();
    assert_eq!(described.account_id(), Some(member.as_str()));
    assert_eq!(described.state(), Some(&CreateAccountState::Succeeded));

    let accounts = orgs.list_accounts().send().await.unwrap();
    let mut listed: Vec<&str> = accounts
        .accounts()
        .iter()
        .map(|a| a.id().unwrap())
        .collect();
    listed.sort_unstable();
    let mut expected = vec![MANAGEMENT, member.as_str()];
    expected.sort_unstable();
    assert_eq!(listed, expected);

    orgs.move_account()
        .account_id(&member)
        .source_parent_id(&root_id)
        .destination_parent_id(&ou_id)
        .send()
        .await
        .unwrap();
    let member_orgs = server.organizations(&member).await;
    assert_eq!(
        member_orgs
            .describe_organization()
            .send()
            .await
            .unwrap()
            .organization()
            .unwrap()
            .id(),
        Some(org_id.as_str()),
        "any member may describe its organization"
    );

    orgs.register_delegated_administrator()
        .account_id(&member)
        .service_principal(SERVICE_CATALOG_PRINCIPAL)
        .send()
        .await
        .unwrap();
    let admins = orgs
        .list_delegated_administrators()
        .service_principal(SERVICE_CATALOG_PRINCIPAL)
        .send()
        .await
        .unwrap();
    let admin_ids: Vec<&str> = admins
        .delegated_administrators()
        .iter()
        .map(|a| a.id().unwrap())
        .collect();
    assert_eq!(admin_ids, [member.as_str()]);
    orgs.deregister_delegated_administrator()
        .account_id(&member)
        .service_principal(SERVICE_CATALOG_PRINCIPAL)
        .send()
        .await
        .unwrap();
    assert!(
        orgs.list_delegated_administrators()
            .send()
            .await
            .unwrap()
            .delegated_administrators()
            .is_empty()
    );
}

/// Our own operations (SPEC §6) over the same protocol, with raw HTTP: the JSON of a decision and
/// its grants, and the reverse query's page tokens.
#[tokio::test]
async fn check_portfolio_access_and_its_reverse_query_over_raw_http_name_what_grants_access() {
    let server = Server::start();
    let sc = server.catalog(MANAGEMENT).await;
    let first = create_portfolio(&sc, "first").await;
    let second = create_portfolio(&sc, "second").await;
    let admin = role(MANAGEMENT, "Admin");
    create_role(&server, MANAGEMENT, "Admin").await;
    associate(&sc, &first, &admin, PrincipalType::Iam).await;
    associate(
        &sc,
        &first,
        "arn:aws:iam:::role/Adm*",
        PrincipalType::IamPattern,
    )
    .await;
    associate(
        &sc,
        &second,
        "arn:aws:iam:::role/A?min",
        PrincipalType::IamPattern,
    )
    .await;

    let check = |portfolio: String, principal: String| {
        let server = &server;
        async move {
            server
                .portcullis(
                    "CheckPortfolioAccess",
                    MANAGEMENT,
                    json!({"PortfolioId": portfolio, "PrincipalARN": principal}),
                )
                .await
        }
    };
    let response = check(first.clone(), admin.clone()).await;
    assert_eq!(
        response.header("content-type"),
        Some("application/x-amz-json-1.1")
    );
    assert!(response.header("x-amzn-requestid").is_some());
    let body = response.ok();
    assert_eq!(body["Allowed"], json!(true));
    let mut grants: Vec<serde_json::Value> = body["Grants"].as_array().unwrap().clone();
    grants.sort_by_key(|g| {
        g["Association"]["PrincipalType"]
            .as_str()
            .unwrap()
            .to_owned()
    });
    assert_eq!(
        grants,
        [
            json!({"Association": {"AccountId": MANAGEMENT, "PrincipalARN": admin, "PrincipalType": "IAM"}}),
            json!({"Association": {"AccountId": MANAGEMENT, "PrincipalARN": "arn:aws:iam:::role/Adm*", "PrincipalType": "IAM_PATTERN"}}),
        ],
        "both associations grant access, with no share in the owner's account"
    );

    // Removing the IAM association leaves the pattern's grant (SPEC §5.2).
    sc.disassociate_principal_from_portfolio()
        .portfolio_id(&first)
        .principal_arn(&admin)
        .send()
        .await
        .unwrap();
    let body = check(first.clone(), admin.clone()).await.ok();
    assert_eq!(body["Allowed"], json!(true));
    assert_eq!(body["Grants"].as_array().unwrap().len(), 1);
    assert_eq!(
        body["Grants"][0]["Association"]["PrincipalType"],
        json!("IAM_PATTERN")
    );

    let body = check(first.clone(), role(MANAGEMENT, "Developer"))
        .await
        .ok();
    assert_eq!(body, json!({"Allowed": false, "Grants": []}));

    let reverse = server
        .portcullis(
            "ListPortfoliosForPrincipal",
            MANAGEMENT,
            json!({"PrincipalARN": admin}),
        )
        .await
        .ok();
    let ids: Vec<&str> = reverse["PortfolioDetails"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["Id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [first.as_str(), second.as_str()]);
    assert_eq!(
        reverse["PortfolioDetails"][1]["DisplayName"],
        json!("second")
    );
    let paged = server
        .portcullis(
            "ListPortfoliosForPrincipal",
            MANAGEMENT,
            json!({"PrincipalARN": admin, "PageSize": 1}),
        )
        .await
        .ok();
    assert_eq!(paged["PortfolioDetails"].as_array().unwrap().len(), 1);
    let token = paged["NextPageToken"]
        .as_str()
        .expect("a next page")
        .to_owned();
    let rest = server
        .portcullis(
            "ListPortfoliosForPrincipal",
            MANAGEMENT,
            json!({"PrincipalARN": admin, "PageSize": 1, "PageToken": token}),
        )
        .await
        .ok();
    assert_eq!(rest["PortfolioDetails"][0]["Id"], json!(second));
    assert!(rest.get("NextPageToken").is_none());
    let nobody = server
        .portcullis(
            "ListPortfoliosForPrincipal",
            MANAGEMENT,
            json!({"PrincipalARN": role(MANAGEMENT, "Developer")}),
        )
        .await
        .ok();
    assert_eq!(nobody["PortfolioDetails"], json!([]));

    // Removing the pattern too (its type named) ends access through `first`, at once.
    sc.disassociate_principal_from_portfolio()
        .portfolio_id(&first)
        .principal_arn("arn:aws:iam:::role/Adm*")
        .principal_type(PrincipalType::IamPattern)
        .send()
        .await
        .unwrap();
    let body = check(first.clone(), admin.clone()).await.ok();
    assert_eq!(body, json!({"Allowed": false, "Grants": []}));
    let reverse = server
        .portcullis(
            "ListPortfoliosForPrincipal",
            MANAGEMENT,
            json!({"PrincipalARN": admin}),
        )
        .await
        .ok();
    assert_eq!(reverse["PortfolioDetails"][0]["Id"], json!(second));
    assert_eq!(reverse["PortfolioDetails"].as_array().unwrap().len(), 1);
}

// ---- Whole scenarios ----------------------------------------------------------------------------

/// The account-share lifecycle of SPEC §5.4, seen by both accounts: share, accept, use, update,
/// reject, accept again, delete.
#[tokio::test]
async fn account_share_is_usable_by_the_recipient_only_after_accepting() {
    let server = Server::start();
    let owner = server.catalog(MANAGEMENT).await;
    let recipient = server.catalog(OTHER).await;
    let id = create_portfolio(&owner, "shared").await;
    // An `IAM` principal must exist before it is associated (SPEC §4.4).
    create_role(&server, MANAGEMENT, "Owner").await;
    associate(&owner, &id, &role(MANAGEMENT, "Owner"), PrincipalType::Iam).await;

    let created = owner
        .create_portfolio_share()
        .portfolio_id(&id)
        .account_id(OTHER)
        .send()
        .await
        .unwrap();
    assert_eq!(
        created.portfolio_share_token(),
        None,
        "no token for an AccountId share"
    );
    // Sharing again changes nothing and is no error.
    owner
        .create_portfolio_share()
        .portfolio_id(&id)
        .account_id(OTHER)
        .send()
        .await
        .unwrap();

    let shares = owner
        .describe_portfolio_shares()
        .portfolio_id(&id)
        .r#type(DescribePortfolioShareType::Account)
        .send()
        .await
        .unwrap();
    let [share] = shares.portfolio_share_details() else {
        panic!("one account share: {shares:?}")
    };
    assert_eq!(share.principal_id(), Some(OTHER));
    assert_eq!(share.r#type(), Some(&DescribePortfolioShareType::Account));
    assert!(!share.accepted() && !share.share_principals() && !share.share_tag_options());
    let access = owner
        .list_portfolio_access()
        .portfolio_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        access.account_ids(),
        [OTHER],
        "accepted or not (SPEC decision)"
    );

    // Before acceptance the recipient can neither see nor associate.
    assert!(matches!(
        service_error(recipient.describe_portfolio().id(&id).send().await),
        DescribePortfolioError::ResourceNotFoundException(_)
    ));
    assert!(matches!(
        service_error(
            recipient
                .associate_principal_with_portfolio()
                .portfolio_id(&id)
                .principal_arn(role(OTHER, "Dev"))
                .principal_type(PrincipalType::Iam)
                .send()
                .await
        ),
        AssociatePrincipalWithPortfolioError::ResourceNotFoundException(_)
    ));

    recipient
        .accept_portfolio_share()
        .portfolio_id(&id)
        .send()
        .await
        .unwrap();
    let described = recipient.describe_portfolio().id(&id).send().await.unwrap();
    assert_eq!(
        described.portfolio_detail().unwrap().id(),
        Some(id.as_str())
    );
    assert!(described.tags().is_empty(), "tags are the owner's");
    let accepted = recipient
        .list_accepted_portfolio_shares()
        .send()
        .await
        .unwrap();
    let accepted_ids: Vec<&str> = accepted
        .portfolio_details()
        .iter()
        .map(|p| p.id().unwrap())
        .collect();
    assert_eq!(accepted_ids, [id.as_str()]);
    let shares = owner
        .describe_portfolio_shares()
        .portfolio_id(&id)
        .r#type(DescribePortfolioShareType::Account)
        .send()
        .await
        .unwrap();
    assert!(shares.portfolio_share_details()[0].accepted());

    // The recipient's associations are its own; the owner's stay the owner's.
    // An `IAM` principal must exist before it is associated (SPEC §4.4).
    create_role(&server, OTHER, "Dev").await;
    associate(&recipient, &id, &role(OTHER, "Dev"), PrincipalType::Iam).await;
    assert_eq!(
        principals(&recipient, &id).await,
        [(role(OTHER, "Dev"), "IAM".to_owned())]
    );
    assert_eq!(
        principals(&owner, &id).await,
        [(role(MANAGEMENT, "Owner"), "IAM".to_owned())]
    );

    // UpdatePortfolioShare: tag options.
    let updated = owner
        .update_portfolio_share()
        .portfolio_id(&id)
        .account_id(OTHER)
        .share_tag_options(true)
        .send()
        .await
        .unwrap();
    assert_eq!(updated.portfolio_share_token(), None);
    let shares = owner
        .describe_portfolio_shares()
        .portfolio_id(&id)
        .r#type(DescribePortfolioShareType::Account)
        .send()
        .await
        .unwrap();
    assert!(shares.portfolio_share_details()[0].share_tag_options());
    assert!(!shares.portfolio_share_details()[0].share_principals());

    // Rejecting declines the share: the recipient loses the portfolio, the share stays unaccepted.
    recipient
        .reject_portfolio_share()
        .portfolio_id(&id)
        .send()
        .await
        .unwrap();
    assert!(
        recipient
            .list_accepted_portfolio_shares()
            .send()
            .await
            .unwrap()
            .portfolio_details()
            .is_empty()
    );
    assert!(matches!(
        service_error(recipient.describe_portfolio().id(&id).send().await),
        DescribePortfolioError::ResourceNotFoundException(_)
    ));
    let shares = owner
        .describe_portfolio_shares()
        .portfolio_id(&id)
        .r#type(DescribePortfolioShareType::Account)
        .send()
        .await
        .unwrap();
    assert!(!shares.portfolio_share_details()[0].accepted());

    // Accepted again, then the owner deletes the share: access ends at once.
    recipient
        .accept_portfolio_share()
        .portfolio_id(&id)
        .send()
        .await
        .unwrap();
    recipient.describe_portfolio().id(&id).send().await.unwrap();
    let deleted = owner
        .delete_portfolio_share()
        .portfolio_id(&id)
        .account_id(OTHER)
        .send()
        .await
        .unwrap();
    assert_eq!(
        deleted.portfolio_share_token(),
        None,
        "no token for an AccountId share"
    );
    assert!(matches!(
        service_error(recipient.describe_portfolio().id(&id).send().await),
        DescribePortfolioError::ResourceNotFoundException(_)
    ));
    assert!(
        owner
            .list_portfolio_access()
            .portfolio_id(&id)
            .send()
            .await
            .unwrap()
            .account_ids()
            .is_empty()
    );
    assert!(matches!(
        service_error(
            recipient
                .accept_portfolio_share()
                .portfolio_id(&id)
                .send()
                .await
        ),
        AcceptPortfolioShareError::ResourceNotFoundException(_)
    ));
}

/// SPEC §5.4's scenario, end to end: the management account builds an organization, enables
/// Service Catalog's access, and shares a portfolio with an IAM_PATTERN association to an OU with
/// principal sharing; a member moved into the OU can then use it.
#[tokio::test]
async fn organization_share_with_principal_sharing_reaches_a_member_moved_into_the_ou() {
    let server = Server::start();
    let org = build_organization(&server).await;
    let [moved, outside] = &org.members;
    let sc = server.catalog(MANAGEMENT).await;
    sc.enable_aws_organizations_access().send().await.unwrap();
    let id = create_portfolio(&sc, "Golden path").await;
    let pattern = "arn:aws:iam:::role/*/Developer-?";
    associate(&sc, &id, pattern, PrincipalType::IamPattern).await;
    let ou = node(OrganizationNodeType::OrganizationalUnit, &org.ou);
    let share = sc
        .create_portfolio_share()
        .portfolio_id(&id)
        .organization_node(ou.clone())
        .share_principals(true)
        .send()
        .await
        .unwrap();
    let token = share
        .portfolio_share_token()
        .expect("a token for a node share")
        .to_owned();
    assert!(token.starts_with("share-") && token.len() == 19, "{token}");
    // Sharing the same node again answers the same token.
    let again = sc
        .create_portfolio_share()
        .portfolio_id(&id)
        .organization_node(ou.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(again.portfolio_share_token(), Some(token.as_str()));

    let member = server.catalog(moved).await;
    let stranger = server.catalog(outside).await;
    // Not in the OU yet.
    assert!(matches!(
        service_error(member.describe_portfolio().id(&id).send().await),
        DescribePortfolioError::ResourceNotFoundException(_)
    ));
    let status = sc
        .describe_portfolio_share_status()
        .portfolio_share_token(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(status.status(), Some(&ShareStatus::Completed));
    assert!(
        status
            .share_details()
            .unwrap()
            .successful_shares()
            .is_empty()
    );

    server
        .organizations(MANAGEMENT)
        .await
        .move_account()
        .account_id(moved)
        .source_parent_id(&org.root)
        .destination_parent_id(&org.ou)
        .send()
        .await
        .unwrap();

    // The owner's views.
    let status = sc
        .describe_portfolio_share_status()
        .portfolio_share_token(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(status.portfolio_id(), Some(id.as_str()));
    assert_eq!(status.organization_node_value(), Some(org.ou.as_str()));
    assert_eq!(status.status(), Some(&ShareStatus::Completed));
    assert_eq!(
        status.share_details().unwrap().successful_shares(),
        std::slice::from_ref(moved)
    );
    let shares = sc
        .describe_portfolio_shares()
        .portfolio_id(&id)
        .r#type(DescribePortfolioShareType::OrganizationalUnit)
        .send()
        .await
        .unwrap();
    let [detail] = shares.portfolio_share_details() else {
        panic!("one OU share: {shares:?}")
    };
    assert_eq!(detail.principal_id(), Some(org.ou.as_str()));
    assert!(detail.share_principals());
    let nodes = sc
        .list_organization_portfolio_access()
        .portfolio_id(&id)
        .organization_node_type(OrganizationNodeType::OrganizationalUnit)
        .send()
        .await
        .unwrap();
    assert_eq!(nodes.organization_nodes(), std::slice::from_ref(&ou));
    let under_ou = sc
        .list_portfolio_access()
        .portfolio_id(&id)
        .organization_parent_id(&org.ou)
        .send()
        .await
        .unwrap();
    assert_eq!(under_ou.account_ids(), std::slice::from_ref(moved));

    // The member's views: usable without acceptance; the default accept type is not found.
    let described = member.describe_portfolio().id(&id).send().await.unwrap();
    assert_eq!(
        described.portfolio_detail().unwrap().display_name(),
        Some("Golden path")
    );
    let wrong_type = service_error(
        member
            .accept_portfolio_share()
            .portfolio_id(&id)
            .send()
            .await,
    );
    assert!(
        matches!(
            wrong_type,
            AcceptPortfolioShareError::ResourceNotFoundException(_)
        ),
        "{wrong_type:?}"
    );
    assert_eq!(
        wrong_type.message(),
        Some(format!("Portfolio not found: {id}").as_str())
    );
    member
        .accept_portfolio_share()
        .portfolio_id(&id)
        .portfolio_share_type(PortfolioShareType::AwsOrganizations)
        .send()
        .await
        .unwrap();
    let imported = member
        .list_accepted_portfolio_shares()
        .portfolio_share_type(PortfolioShareType::AwsOrganizations)
        .send()
        .await
        .unwrap();
    let imported_ids: Vec<&str> = imported
        .portfolio_details()
        .iter()
        .map(|p| p.id().unwrap())
        .collect();
    assert_eq!(imported_ids, [id.as_str()]);
    // The member's own association on the imported portfolio.
    // An `IAM` principal must exist before it is associated (SPEC §4.4).
    create_role(&server, moved, "Operator").await;
    associate(&member, &id, &role(moved, "Operator"), PrincipalType::Iam).await;
    assert_eq!(
        principals(&member, &id).await,
        [(role(moved, "Operator"), "IAM".to_owned())]
    );

    // The account outside the OU sees nothing.
    assert!(matches!(
        service_error(stranger.describe_portfolio().id(&id).send().await),
        DescribePortfolioError::ResourceNotFoundException(_)
    ));
    assert!(matches!(
        service_error(
            stranger
                .accept_portfolio_share()
                .portfolio_id(&id)
                .portfolio_share_type(PortfolioShareType::AwsOrganizations)
                .send()
                .await
        ),
        AcceptPortfolioShareError::ResourceNotFoundException(_)
    ));

    // Access evaluation (our own operation): the owner's pattern reaches the member's principal
    // through the OU share with principal sharing on.
    let developer = format!("arn:aws:iam::{moved}:role/team/Developer-1");
    let check = server
        .portcullis(
            "CheckPortfolioAccess",
            moved,
            json!({"PortfolioId": id, "PrincipalARN": developer}),
        )
        .await
        .ok();
    assert_eq!(
        check,
        json!({
            "Allowed": true,
            "Grants": [{
                "Association": {
                    "AccountId": MANAGEMENT,
                    "PrincipalARN": pattern,
                    "PrincipalType": "IAM_PATTERN",
                },
                "Share": {
                    "PrincipalId": org.ou,
                    "Type": "ORGANIZATIONAL_UNIT",
                    "Accepted": true,
                    "ShareTagOptions": false,
                    "SharePrincipals": true,
                },
            }],
        })
    );
    let reverse = server
        .portcullis(
            "ListPortfoliosForPrincipal",
            moved,
            json!({"PrincipalARN": developer}),
        )
        .await
        .ok();
    assert_eq!(reverse["PortfolioDetails"][0]["Id"], json!(id));
    assert_eq!(reverse["PortfolioDetails"].as_array().unwrap().len(), 1);
    // The same role name in the account outside the OU is not reached.
    let outsider = format!("arn:aws:iam::{outside}:role/team/Developer-1");
    let denied = server
        .portcullis(
            "ListPortfoliosForPrincipal",
            outside,
            json!({"PrincipalARN": outsider}),
        )
        .await
        .ok();
    assert_eq!(denied["PortfolioDetails"], json!([]));

    // Principal sharing off: the pattern no longer reaches the member.
    let updated = sc
        .update_portfolio_share()
        .portfolio_id(&id)
        .organization_node(ou.clone())
        .share_principals(false)
        .send()
        .await
        .unwrap();
    // The update is an operation of its own, with its own token (as in AWS).
    let update_token = updated
        .portfolio_share_token()
        .expect("a token for a node share update");
    assert_eq!(updated.status(), Some(&ShareStatus::Completed));
    let update_status = sc
        .describe_portfolio_share_status()
        .portfolio_share_token(update_token)
        .send()
        .await
        .unwrap();
    assert_eq!(update_status.status(), Some(&ShareStatus::Completed));
    assert_eq!(update_status.portfolio_id(), Some(id.as_str()));
    let check = server
        .portcullis(
            "CheckPortfolioAccess",
            moved,
            json!({"PortfolioId": id, "PrincipalARN": developer}),
        )
        .await
        .ok();
    assert_eq!(check, json!({"Allowed": false, "Grants": []}));

    // Rejecting the organization import, then deleting the share: the member loses the portfolio.
    member
        .reject_portfolio_share()
        .portfolio_id(&id)
        .portfolio_share_type(PortfolioShareType::AwsOrganizations)
        .send()
        .await
        .unwrap();
    assert!(
        member
            .list_accepted_portfolio_shares()
            .portfolio_share_type(PortfolioShareType::AwsOrganizations)
            .send()
            .await
            .unwrap()
            .portfolio_details()
            .is_empty()
    );
    member
        .describe_portfolio()
        .id(&id)
        .send()
        .await
        .expect("still covered by the OU share");
    let deleted = sc
        .delete_portfolio_share()
        .portfolio_id(&id)
        .organization_node(ou)
        .send()
        .await
        .unwrap();
    assert!(deleted.portfolio_share_token().is_some());
    assert!(matches!(
        service_error(member.describe_portfolio().id(&id).send().await),
        DescribePortfolioError::ResourceNotFoundException(_)
    ));
    assert!(
        sc.list_portfolio_access()
            .portfolio_id(&id)
            .organization_parent_id(&org.ou)
            .send()
            .await
            .unwrap()
            .account_ids()
            .is_empty()
    );
}

/// Account isolation (SPEC §2): the access key id is the caller's account, and one account's
/// portfolio is invisible to every other.
#[tokio::test]
async fn accounts_cannot_see_or_change_each_others_portfolios() {
    let server = Server::start();
    let a = server.catalog(MANAGEMENT).await;
    let b = server.catalog(OTHER).await;
    let id = create_portfolio(&a, "A's").await;
    // An `IAM` principal must exist before it is associated (SPEC §4.4).
    create_role(&server, MANAGEMENT, "Admin").await;
    associate(&a, &id, &role(MANAGEMENT, "Admin"), PrincipalType::Iam).await;

    assert!(portfolio_ids(&b).await.is_empty());
    let describe = service_error(b.describe_portfolio().id(&id).send().await);
    assert!(matches!(
        describe,
        DescribePortfolioError::ResourceNotFoundException(_)
    ));
    assert_eq!(
        describe.message(),
        Some(format!("Portfolio not found: {id}").as_str())
    );
    assert!(matches!(
        service_error(
            b.associate_principal_with_portfolio()
                .portfolio_id(&id)
                .principal_arn(role(OTHER, "Admin"))
                .principal_type(PrincipalType::Iam)
                .send()
                .await
        ),
        AssociatePrincipalWithPortfolioError::ResourceNotFoundException(_)
    ));
    assert!(matches!(
        service_error(
            b.disassociate_principal_from_portfolio()
                .portfolio_id(&id)
                .principal_arn(role(MANAGEMENT, "Admin"))
                .send()
                .await
        ),
        DisassociatePrincipalFromPortfolioError::ResourceNotFoundException(_)
    ));
    assert_eq!(
        service_error(
            b.update_portfolio()
                .id(&id)
                .display_name("mine")
                .send()
                .await
        )
        .code(),
        Some("ResourceNotFoundException")
    );
    assert!(matches!(
        service_error(
            b.create_portfolio_share()
                .portfolio_id(&id)
                .account_id(OTHER)
                .send()
                .await
        ),
        CreatePortfolioShareError::ResourceNotFoundException(_)
    ));
    assert_eq!(
        service_error(
            b.list_principals_for_portfolio()
                .portfolio_id(&id)
                .send()
                .await
        )
        .code(),
        Some("ResourceNotFoundException")
    );
    assert!(matches!(
        service_error(b.accept_portfolio_share().portfolio_id(&id).send().await),
        AcceptPortfolioShareError::ResourceNotFoundException(_)
    ));
    // A's portfolio and association are untouched.
    let described = a.describe_portfolio().id(&id).send().await.unwrap();
    assert_eq!(
        described.portfolio_detail().unwrap().display_name(),
        Some("A's")
    );
    assert_eq!(
        principals(&a, &id).await,
        [(role(MANAGEMENT, "Admin"), "IAM".to_owned())]
    );

    // A non-numeric access key is the default account, which is yet another account.
    let default = server.catalog("AKIAIOSFODNN7EXAMPLE").await;
    assert!(portfolio_ids(&default).await.is_empty());
    let default_id = create_portfolio(&default, "default's").await;
    let described = server
        .catalog(DEFAULT_ACCOUNT)
        .await
        .describe_portfolio()
        .id(&default_id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        described.portfolio_detail().unwrap().arn(),
        Some(
            format!("arn:aws:catalog:us-east-1:{DEFAULT_ACCOUNT}:portfolio/{default_id}").as_str()
        )
    );
}

/// Region isolation (SPEC §2): the credential scope's region is the caller's region.
#[tokio::test]
async fn portfolios_are_per_region() {
    let server = Server::start();
    let east = server.catalog_in(MANAGEMENT, "us-east-1").await;
    let west = server.catalog_in(MANAGEMENT, "eu-west-1").await;
    let id = create_portfolio(&east, "east").await;
    let west_id = create_portfolio(&west, "west").await;

    assert_eq!(portfolio_ids(&east).await, std::slice::from_ref(&id));
    assert_eq!(portfolio_ids(&west).await, std::slice::from_ref(&west_id));
    assert_eq!(
        west.describe_portfolio()
            .id(&west_id)
            .send()
            .await
            .unwrap()
            .portfolio_detail()
            .unwrap()
            .arn(),
        Some(format!("arn:aws:catalog:eu-west-1:{MANAGEMENT}:portfolio/{west_id}").as_str())
    );
    assert!(matches!(
        service_error(west.describe_portfolio().id(&id).send().await),
        DescribePortfolioError::ResourceNotFoundException(_)
    ));
    assert!(matches!(
        service_error(
            west.associate_principal_with_portfolio()
                .portfolio_id(&id)
                .principal_arn(role(MANAGEMENT, "Admin"))
                .principal_type(PrincipalType::Iam)
                .send()
                .await
        ),
        AssociatePrincipalWithPortfolioError::ResourceNotFoundException(_)
    ));
    assert!(matches!(
        service_error(west.delete_portfolio().id(&id).send().await),
        DeletePortfolioError::ResourceNotFoundException(_)
    ));
    east.describe_portfolio().id(&id).send().await.unwrap();
}
