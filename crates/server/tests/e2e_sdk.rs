//! End to end with the official AWS SDK for Rust (`aws-sdk-servicecatalog`,
//! `aws-sdk-organizations`) against the real `portcullis` binary: every operation the server
//! routes, the errors as typed SDK errors, the organization-share scenario of SPEC §5.4, account
//! and region isolation, and our own `PortcullisService` operations over raw HTTP.
//!
//! Each test starts its own server, so tests share no state.

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
use aws_sdk_servicecatalog::error::{BoxError, ProvideErrorMetadata, SdkError};
use aws_sdk_servicecatalog::operation::RequestId;
use aws_sdk_servicecatalog::operation::accept_portfolio_share::AcceptPortfolioShareError;
use aws_sdk_servicecatalog::operation::associate_principal_with_portfolio::AssociatePrincipalWithPortfolioError;
use aws_sdk_servicecatalog::operation::create_portfolio_share::CreatePortfolioShareError;
use aws_sdk_servicecatalog::operation::delete_portfolio::DeletePortfolioError;
use aws_sdk_servicecatalog::operation::describe_portfolio::DescribePortfolioError;
use aws_sdk_servicecatalog::operation::disable_aws_organizations_access::DisableAWSOrganizationsAccessError;
use aws_sdk_servicecatalog::operation::disassociate_principal_from_portfolio::DisassociatePrincipalFromPortfolioError;
use aws_sdk_servicecatalog::operation::enable_aws_organizations_access::EnableAWSOrganizationsAccessError;
use aws_sdk_servicecatalog::operation::get_aws_organizations_access_status::GetAWSOrganizationsAccessStatusError;
use aws_sdk_servicecatalog::operation::list_organization_portfolio_access::ListOrganizationPortfolioAccessError;
use aws_sdk_servicecatalog::operation::list_portfolios::ListPortfoliosError;
use aws_sdk_servicecatalog::operation::update_portfolio_share::UpdatePortfolioShareError;
use aws_sdk_servicecatalog::types::{
    AccessStatus, DescribePortfolioShareType, OrganizationNode, OrganizationNodeType,
    PortfolioShareType, PrincipalType, ShareStatus, Tag,
};
use common::*;
use serde_json::json;

const SERVICE_CATALOG_PRINCIPAL: &str = "servicecatalog.amazonaws.com";

/// The service error inside an SDK error; any other failure (transport, parsing) fails the test.
fn service_error<T: std::fmt::Debug, E: std::fmt::Debug, R: std::fmt::Debug>(
    result: Result<T, SdkError<E, R>>,
) -> E {
    match result {
        Ok(value) => panic!("expected a service error, got {value:?}"),
        Err(SdkError::ServiceError(e)) => e.into_err(),
        Err(other) => panic!("expected a service error, got {other:?}"),
    }
}

fn tag(key: &str, value: &str) -> Tag {
    Tag::builder().key(key).value(value).build().unwrap()
}

fn node(node_type: OrganizationNodeType, value: &str) -> OrganizationNode {
    OrganizationNode::builder()
        .r#type(node_type)
        .value(value)
        .build()
}

fn role(account: &str, name: &str) -> String {
    format!("arn:aws:iam::{account}:role/{name}")
}

async fn create_portfolio(sc: &aws_sdk_servicecatalog::Client, name: &str) -> String {
    sc.create_portfolio()
        .display_name(name)
        .provider_name("platform")
        .send()
        .await
        .unwrap()
        .portfolio_detail()
        .unwrap()
        .id()
        .unwrap()
        .to_owned()
}

async fn associate(
    sc: &aws_sdk_servicecatalog::Client,
    portfolio: &str,
    arn: &str,
    principal_type: PrincipalType,
) {
    sc.associate_principal_with_portfolio()
        .portfolio_id(portfolio)
        .principal_arn(arn)
        .principal_type(principal_type)
        .send()
        .await
        .unwrap_or_else(|e| panic!("associate {arn}: {e:?}"));
}

async fn principals(sc: &aws_sdk_servicecatalog::Client, portfolio: &str) -> Vec<(String, String)> {
    let out = sc
        .list_principals_for_portfolio()
        .portfolio_id(portfolio)
        .send()
        .await
        .unwrap();
    let mut list: Vec<(String, String)> = out
        .principals()
        .iter()
        .map(|p| {
            (
                p.principal_arn().unwrap().to_owned(),
                p.principal_type().unwrap().as_str().to_owned(),
            )
        })
        .collect();
    list.sort();
    list
}

async fn portfolio_ids(sc: &aws_sdk_servicecatalog::Client) -> Vec<String> {
    sc.list_portfolios()
        .send()
        .await
        .unwrap()
        .portfolio_details()
        .iter()
        .map(|p| p.id().unwrap().to_owned())
        .collect()
}

/// An organization built with the Organizations SDK: management account [`MANAGEMENT`], one OU
/// under the root, two member accounts under the root.
struct Org {
    id: String,
    root: String,
    ou: String,
    members: [String; 2],
}

async fn build_organization(server: &Server) -> Org {
    let orgs = server.organizations(MANAGEMENT).await;
    let organization = orgs
        .create_organization()
        .feature_set(OrganizationFeatureSet::All)
        .send()
        .await
        .unwrap();
    let id = organization
        .organization()
        .unwrap()
        .id()
        .unwrap()
        .to_owned();
    let root = orgs.list_roots().send().await.unwrap().roots()[0]
        .id()
        .unwrap()
        .to_owned();
    let ou = orgs
        .create_organizational_unit()
        .parent_id(&root)
        .name("Workloads")
        .send()
        .await
        .unwrap()
        .organizational_unit()
        .unwrap()
        .id()
        .unwrap()
        .to_owned();
    let mut members = Vec::new();
    for name in ["dev", "prod"] {
        let status = orgs
            .create_account()
            .email(format!("{name}@example.com"))
            .account_name(name)
            .send()
            .await
            .unwrap();
        let status = status.create_account_status().unwrap();
        assert_eq!(status.state(), Some(&CreateAccountState::Succeeded));
        members.push(status.account_id().unwrap().to_owned());
    }
    Org {
        id,
        root,
        ou,
        members: members.try_into().unwrap(),
    }
}

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
    assert!(
        id.len() == 18
            && id.starts_with("port-")
            && id[5..]
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()),
        "portfolio id of the AWS form: {id}"
    );
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
    let gone = service_error(sc.describe_portfolio().id(&second).send().await);
    assert!(matches!(
        gone,
        DescribePortfolioError::ResourceNotFoundException(_)
    ));
    assert_eq!(
        gone.message(),
        Some(format!("Portfolio not found: {second}").as_str())
    );
    assert!(matches!(
        service_error(sc.delete_portfolio().id(&second).send().await),
        DeletePortfolioError::ResourceNotFoundException(_)
    ));
    assert_eq!(portfolio_ids(&sc).await, [id.clone(), third.clone()]);
    // A deleted portfolio's id is never reused.
    let fourth = create_portfolio(&sc, "fourth").await;
    assert_ne!(fourth, second);
}

#[tokio::test]
async fn principal_associations_are_idempotent_and_disassociate_only_with_their_type() {
    let server = Server::start();
    let sc = server.catalog(MANAGEMENT).await;
    let id = create_portfolio(&sc, "p").await;
    let iam = role(MANAGEMENT, "Admin");
    let pattern = "arn:aws:iam:::role/*/ResourceName_?";

    associate(&sc, &id, &iam, PrincipalType::Iam).await;
    associate(&sc, &id, pattern, PrincipalType::IamPattern).await;
    associate(&sc, &id, &iam, PrincipalType::Iam).await;
    associate(&sc, &id, pattern, PrincipalType::IamPattern).await;
    assert_eq!(
        principals(&sc, &id).await,
        [
            (iam.clone(), "IAM".to_owned()),
            (pattern.to_owned(), "IAM_PATTERN".to_owned()),
        ]
    );

    // Without PrincipalType the type is IAM, which the pattern association is not.
    let wrong_type = service_error(
        sc.disassociate_principal_from_portfolio()
            .portfolio_id(&id)
            .principal_arn(pattern)
            .send()
            .await,
    );
    assert!(matches!(
        wrong_type,
        DisassociatePrincipalFromPortfolioError::ResourceNotFoundException(_)
    ));
    sc.disassociate_principal_from_portfolio()
        .portfolio_id(&id)
        .principal_arn(pattern)
        .principal_type(PrincipalType::IamPattern)
        .send()
        .await
        .unwrap();
    sc.disassociate_principal_from_portfolio()
        .portfolio_id(&id)
        .principal_arn(&iam)
        .send()
        .await
        .unwrap();
    assert!(principals(&sc, &id).await.is_empty());
    assert!(matches!(
        service_error(
            sc.disassociate_principal_from_portfolio()
                .portfolio_id(&id)
                .principal_arn(&iam)
                .principal_type(PrincipalType::Iam)
                .send()
                .await
        ),
        DisassociatePrincipalFromPortfolioError::ResourceNotFoundException(_)
    ));
}

#[tokio::test]
async fn associating_another_accounts_iam_principal_is_not_found_with_the_aws_message() {
    let server = Server::start();
    let sc = server.catalog(MANAGEMENT).await;
    let id = create_portfolio(&sc, "p").await;

    let other = service_error(
        sc.associate_principal_with_portfolio()
            .portfolio_id(&id)
            .principal_arn(role(OTHER, "Admin"))
            .principal_type(PrincipalType::Iam)
            .send()
            .await,
    );
    assert!(matches!(
        other,
        AssociatePrincipalWithPortfolioError::ResourceNotFoundException(_)
    ));
    assert_eq!(
        other.message(),
        Some(
            format!("caller account id ({MANAGEMENT}) does not match input account id ({OTHER})")
                .as_str()
        )
    );

    // A pattern sent as IAM has no account at all.
    let pattern_as_iam = service_error(
        sc.associate_principal_with_portfolio()
            .portfolio_id(&id)
            .principal_arn("arn:aws:iam:::role/Dev*")
            .principal_type(PrincipalType::Iam)
            .send()
            .await,
    );
    assert!(matches!(
        pattern_as_iam,
        AssociatePrincipalWithPortfolioError::ResourceNotFoundException(_)
    ));
    assert_eq!(
        pattern_as_iam.message(),
        Some(
            format!("caller account id ({MANAGEMENT}) does not match input account id ()").as_str()
        )
    );
    assert!(principals(&sc, &id).await.is_empty());
}

#[tokio::test]
async fn malformed_principals_and_fields_are_invalid_parameters() {
    let server = Server::start();
    let sc = server.catalog(MANAGEMENT).await;
    let id = create_portfolio(&sc, "p").await;

    for (arn, principal_type) in [
        ("arn:aws:iam:::*/ResourceName", PrincipalType::IamPattern),
        (
            "arn:aws:iam::123456789012:role/Dev*",
            PrincipalType::IamPattern,
        ),
        ("arn:aws:iam:us-east-1::role/x", PrincipalType::IamPattern),
        ("arn:aws:iam:::policy/x", PrincipalType::IamPattern),
        (
            &*format!("arn:aws:iam::{MANAGEMENT}:role/Dev*"),
            PrincipalType::Iam,
        ),
        (
            &*format!("arn:aws:iam::{MANAGEMENT}:policy/Dev"),
            PrincipalType::Iam,
        ),
    ] {
        let e = service_error(
            sc.associate_principal_with_portfolio()
                .portfolio_id(&id)
                .principal_arn(arn)
                .principal_type(principal_type.clone())
                .send()
                .await,
        );
        assert!(
            matches!(
                e,
                AssociatePrincipalWithPortfolioError::InvalidParametersException(_)
            ),
            "{arn} as {principal_type:?}: {e:?}"
        );
        assert!(
            e.message().is_some_and(|m| m.contains("PrincipalARN")),
            "{e:?}"
        );
    }
    let unknown_type = service_error(
        sc.associate_principal_with_portfolio()
            .portfolio_id(&id)
            .principal_arn(role(MANAGEMENT, "x"))
            .principal_type(PrincipalType::from("ROOT"))
            .send()
            .await,
    );
    assert!(matches!(
        unknown_type,
        AssociatePrincipalWithPortfolioError::InvalidParametersException(_)
    ));

    // Missing required field: an error the operation's model does not list arrives with its code.
    let missing_id = service_error(sc.describe_portfolio().send().await);
    assert_eq!(missing_id.code(), Some("InvalidParametersException"));
    assert!(matches!(
        service_error(sc.list_portfolios().page_size(101).send().await),
        ListPortfoliosError::InvalidParametersException(_)
    ));
    assert!(matches!(
        service_error(sc.list_portfolios().accept_language("fr").send().await),
        ListPortfoliosError::InvalidParametersException(_)
    ));
    assert!(matches!(
        service_error(
            sc.create_portfolio_share()
                .portfolio_id(&id)
                .account_id("12345")
                .send()
                .await
        ),
        CreatePortfolioShareError::InvalidParametersException(_)
    ));
    assert!(matches!(
        service_error(sc.create_portfolio_share().portfolio_id(&id).send().await),
        CreatePortfolioShareError::InvalidParametersException(_)
    ));
    assert!(principals(&sc, &id).await.is_empty());
}

#[tokio::test]
async fn eleventh_iam_pattern_association_is_limit_exceeded_and_ten_remain() {
    let server = Server::start();
    let sc = server.catalog(MANAGEMENT).await;
    let id = create_portfolio(&sc, "p").await;
    for i in 0..10 {
        associate(
            &sc,
            &id,
            &format!("arn:aws:iam:::role/Team{i}-*"),
            PrincipalType::IamPattern,
        )
        .await;
    }
    // Re-associating one of the ten is idempotent, not an eleventh.
    associate(
        &sc,
        &id,
        "arn:aws:iam:::role/Team0-*",
        PrincipalType::IamPattern,
    )
    .await;
    let e = service_error(
        sc.associate_principal_with_portfolio()
            .portfolio_id(&id)
            .principal_arn("arn:aws:iam:::role/Team10-*")
            .principal_type(PrincipalType::IamPattern)
            .send()
            .await,
    );
    assert!(
        matches!(
            e,
            AssociatePrincipalWithPortfolioError::LimitExceededException(_)
        ),
        "{e:?}"
    );
    let listed = principals(&sc, &id).await;
    assert_eq!(listed.len(), 10);
    assert!(listed.iter().all(|(_, t)| t == "IAM_PATTERN"));
    // IAM associations have their own limit.
    associate(&sc, &id, &role(MANAGEMENT, "Admin"), PrincipalType::Iam).await;

    // The SDK's paginator walks the eleven principals once each, three a page.
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
    let mut walked: Vec<String> = pages
        .iter()
        .flat_map(|p| p.as_ref().unwrap().principals())
        .map(|p| p.principal_arn().unwrap().to_owned())
        .collect();
    walked.sort();
    walked.dedup();
    assert_eq!(walked.len(), 11);
}

#[tokio::test]
async fn deleting_a_portfolio_in_use_is_resource_in_use_until_associations_and_shares_are_gone() {
    let server = Server::start();
    let sc = server.catalog(MANAGEMENT).await;
    let id = create_portfolio(&sc, "p").await;
    associate(
        &sc,
        &id,
        "arn:aws:iam:::role/Dev*",
        PrincipalType::IamPattern,
    )
    .await;
    sc.create_portfolio_share()
        .portfolio_id(&id)
        .account_id(OTHER)
        .send()
        .await
        .unwrap();

    let in_use = service_error(sc.delete_portfolio().id(&id).send().await);
    assert!(
        matches!(in_use, DeletePortfolioError::ResourceInUseException(_)),
        "{in_use:?}"
    );
    sc.disassociate_principal_from_portfolio()
        .portfolio_id(&id)
        .principal_arn("arn:aws:iam:::role/Dev*")
        .principal_type(PrincipalType::IamPattern)
        .send()
        .await
        .unwrap();
    assert!(matches!(
        service_error(sc.delete_portfolio().id(&id).send().await),
        DeletePortfolioError::ResourceInUseException(_)
    ));
    // Not the owner: not found, even while in use.
    let stranger = server.catalog(OTHER).await;
    assert!(matches!(
        service_error(stranger.delete_portfolio().id(&id).send().await),
        DeletePortfolioError::ResourceNotFoundException(_)
    ));
    let deleted_share = sc
        .delete_portfolio_share()
        .portfolio_id(&id)
        .account_id(OTHER)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted_share.portfolio_share_token(), None);
    sc.delete_portfolio().id(&id).send().await.unwrap();
    assert!(portfolio_ids(&sc).await.is_empty());
}

#[tokio::test]
async fn account_share_is_usable_by_the_recipient_only_after_accepting() {
    let server = Server::start();
    let owner = server.catalog(MANAGEMENT).await;
    let recipient = server.catalog(OTHER).await;
    let id = create_portfolio(&owner, "shared").await;
    associate(&owner, &id, &role(MANAGEMENT, "Owner"), PrincipalType::Iam).await;

    // Rules of CreatePortfolioShare for an account.
    let own = service_error(
        owner
            .create_portfolio_share()
            .portfolio_id(&id)
            .account_id(MANAGEMENT)
            .send()
            .await,
    );
    assert!(
        matches!(
            own,
            CreatePortfolioShareError::InvalidParametersException(_)
        ),
        "{own:?}"
    );
    let principals_with_account = service_error(
        owner
            .create_portfolio_share()
            .portfolio_id(&id)
            .account_id(OTHER)
            .share_principals(true)
            .send()
            .await,
    );
    assert!(matches!(
        principals_with_account,
        CreatePortfolioShareError::InvalidParametersException(_)
    ));
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
    associate(&recipient, &id, &role(OTHER, "Dev"), PrincipalType::Iam).await;
    assert_eq!(
        principals(&recipient, &id).await,
        [(role(OTHER, "Dev"), "IAM".to_owned())]
    );
    assert_eq!(
        principals(&owner, &id).await,
        [(role(MANAGEMENT, "Owner"), "IAM".to_owned())]
    );

    // A shared resource can't be shared again.
    let reshare = service_error(
        recipient
            .create_portfolio_share()
            .portfolio_id(&id)
            .account_id("333333333333")
            .send()
            .await,
    );
    assert!(
        matches!(
            reshare,
            CreatePortfolioShareError::OperationNotSupportedException(_)
        ),
        "{reshare:?}"
    );

    // UpdatePortfolioShare: tag options yes, principal sharing not for an account share.
    let updated = owner
        .update_portfolio_share()
        .portfolio_id(&id)
        .account_id(OTHER)
        .share_tag_options(true)
        .send()
        .await
        .unwrap();
    assert_eq!(updated.portfolio_share_token(), None);
    assert!(matches!(
        service_error(
            owner
                .update_portfolio_share()
                .portfolio_id(&id)
                .account_id(OTHER)
                .share_principals(true)
                .send()
                .await
        ),
        UpdatePortfolioShareError::InvalidParametersException(_)
    ));
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
    owner
        .delete_portfolio_share()
        .portfolio_id(&id)
        .account_id(OTHER)
        .send()
        .await
        .unwrap();
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

#[tokio::test]
async fn organizations_sdk_builds_the_directory_with_ous_accounts_and_delegated_administrators() {
    let server = Server::start();
    let orgs = server.organizations(MANAGEMENT).await;

    // Before any organization.
    let none = service_error(orgs.describe_organization().send().await);
    assert!(none.is_aws_organizations_not_in_use_exception(), "{none:?}");

    let created = orgs.create_organization().send().await.unwrap();
    let organization = created.organization().unwrap();
    let org_id = organization.id().unwrap().to_owned();
    assert!(org_id.starts_with("o-"), "{org_id}");
    assert_eq!(organization.master_account_id(), Some(MANAGEMENT));
    assert_eq!(
        organization.feature_set(),
        Some(&OrganizationFeatureSet::All)
    );
    let again = service_error(orgs.create_organization().send().await);
    assert!(again.is_already_in_organization_exception(), "{again:?}");

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
    // The account is no longer under the root.
    let moved_again = service_error(
        orgs.move_account()
            .account_id(&member)
            .source_parent_id(&root_id)
            .destination_parent_id(&nested_id)
            .send()
            .await,
    );
    assert!(
        moved_again.is_source_parent_not_found_exception(),
        "{moved_again:?}"
    );

    // A member may not manage the organization.
    let member_orgs = server.organizations(&member).await;
    let denied = service_error(
        member_orgs
            .create_account()
            .email("x@example.com")
            .account_name("x")
            .send()
            .await,
    );
    assert!(denied.is_access_denied_exception(), "{denied:?}");
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
    let twice = service_error(
        orgs.register_delegated_administrator()
            .account_id(&member)
            .service_principal(SERVICE_CATALOG_PRINCIPAL)
            .send()
            .await,
    );
    assert!(twice.is_account_already_registered_exception(), "{twice:?}");
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
    let not_registered = service_error(
        orgs.deregister_delegated_administrator()
            .account_id(&member)
            .service_principal(SERVICE_CATALOG_PRINCIPAL)
            .send()
            .await,
    );
    assert!(
        not_registered.is_account_not_registered_exception(),
        "{not_registered:?}"
    );
}

#[tokio::test]
async fn organizations_access_is_enabled_and_disabled_by_the_management_account_only() {
    let server = Server::start();
    // An account in no organization.
    let loner = server.catalog(OTHER).await;
    assert!(matches!(
        service_error(loner.enable_aws_organizations_access().send().await),
        EnableAWSOrganizationsAccessError::ResourceNotFoundException(_)
    ));
    assert!(matches!(
        service_error(loner.get_aws_organizations_access_status().send().await),
        GetAWSOrganizationsAccessStatusError::ResourceNotFoundException(_)
    ));

    let org = build_organization(&server).await;
    let sc = server.catalog(MANAGEMENT).await;
    let member = server.catalog(&org.members[0]).await;
    let status = || async {
        sc.get_aws_organizations_access_status()
            .send()
            .await
            .unwrap()
            .access_status()
            .cloned()
    };
    assert_eq!(status().await, Some(AccessStatus::Disabled));
    assert!(matches!(
        service_error(member.enable_aws_organizations_access().send().await),
        EnableAWSOrganizationsAccessError::OperationNotSupportedException(_)
    ));
    assert!(matches!(
        service_error(member.get_aws_organizations_access_status().send().await),
        GetAWSOrganizationsAccessStatusError::OperationNotSupportedException(_)
    ));
    sc.enable_aws_organizations_access().send().await.unwrap();
    assert_eq!(status().await, Some(AccessStatus::Enabled));

    // A delegated administrator reads the status but may not change it; while it is
    // registered, access can't be disabled.
    let orgs = server.organizations(MANAGEMENT).await;
    orgs.register_delegated_administrator()
        .account_id(&org.members[0])
        .service_principal(SERVICE_CATALOG_PRINCIPAL)
        .send()
        .await
        .unwrap();
    assert_eq!(
        member
            .get_aws_organizations_access_status()
            .send()
            .await
            .unwrap()
            .access_status(),
        Some(&AccessStatus::Enabled)
    );
    assert!(matches!(
        service_error(member.disable_aws_organizations_access().send().await),
        DisableAWSOrganizationsAccessError::OperationNotSupportedException(_)
    ));
    assert!(matches!(
        service_error(sc.disable_aws_organizations_access().send().await),
        DisableAWSOrganizationsAccessError::InvalidStateException(_)
    ));
    orgs.deregister_delegated_administrator()
        .account_id(&org.members[0])
        .service_principal(SERVICE_CATALOG_PRINCIPAL)
        .send()
        .await
        .unwrap();
    sc.disable_aws_organizations_access().send().await.unwrap();
    assert_eq!(status().await, Some(AccessStatus::Disabled));
}

#[tokio::test]
async fn organization_node_shares_need_an_administrator_enabled_access_and_a_node_of_the_organization()
 {
    let server = Server::start();
    let org = build_organization(&server).await;
    let sc = server.catalog(MANAGEMENT).await;
    let id = create_portfolio(&sc, "p").await;
    let ou = node(OrganizationNodeType::OrganizationalUnit, &org.ou);

    // Access not enabled yet.
    let disabled = service_error(
        sc.create_portfolio_share()
            .portfolio_id(&id)
            .organization_node(ou.clone())
            .send()
            .await,
    );
    assert!(
        matches!(
            disabled,
            CreatePortfolioShareError::InvalidStateException(_)
        ),
        "{disabled:?}"
    );
    sc.enable_aws_organizations_access().send().await.unwrap();

    // A member that is not a delegated administrator may not share with nodes.
    let member = server.catalog(&org.members[0]).await;
    let member_portfolio = create_portfolio(&member, "member's").await;
    let not_admin = service_error(
        member
            .create_portfolio_share()
            .portfolio_id(&member_portfolio)
            .organization_node(ou.clone())
            .send()
            .await,
    );
    assert!(
        matches!(
            not_admin,
            CreatePortfolioShareError::OperationNotSupportedException(_)
        ),
        "{not_admin:?}"
    );
    assert!(matches!(
        service_error(
            member
                .list_organization_portfolio_access()
                .portfolio_id(&member_portfolio)
                .organization_node_type(OrganizationNodeType::OrganizationalUnit)
                .send()
                .await
        ),
        ListOrganizationPortfolioAccessError::OperationNotSupportedException(_)
    ));

    // Nodes of no organization, or of none the caller administers.
    for missing in [
        node(OrganizationNodeType::OrganizationalUnit, "ou-zzzz-zzzzzzzz"),
        node(OrganizationNodeType::Organization, "o-zzzzzzzzzz"),
        node(OrganizationNodeType::Account, "999999999999"),
    ] {
        let e = service_error(
            sc.create_portfolio_share()
                .portfolio_id(&id)
                .organization_node(missing.clone())
                .send()
                .await,
        );
        assert!(
            matches!(e, CreatePortfolioShareError::ResourceNotFoundException(_)),
            "{missing:?}: {e:?}"
        );
    }
    // SharePrincipals is for organization and OU nodes only.
    let principals_to_account = service_error(
        sc.create_portfolio_share()
            .portfolio_id(&id)
            .organization_node(node(OrganizationNodeType::Account, &org.members[0]))
            .share_principals(true)
            .send()
            .await,
    );
    assert!(matches!(
        principals_to_account,
        CreatePortfolioShareError::InvalidParametersException(_)
    ));
    // Both AccountId and OrganizationNode.
    let both = service_error(
        sc.create_portfolio_share()
            .portfolio_id(&id)
            .account_id(&org.members[0])
            .organization_node(ou.clone())
            .send()
            .await,
    );
    assert!(matches!(
        both,
        CreatePortfolioShareError::InvalidParametersException(_)
    ));

    // The organization node and a member-account node both work, by id.
    let to_org = sc
        .create_portfolio_share()
        .portfolio_id(&id)
        .organization_node(node(OrganizationNodeType::Organization, &org.id))
        .send()
        .await
        .unwrap();
    let token = to_org.portfolio_share_token().unwrap().to_owned();
    assert!(token.starts_with("share-"), "{token}");
    let to_account = sc
        .create_portfolio_share()
        .portfolio_id(&id)
        .organization_node(node(OrganizationNodeType::Account, &org.members[1]))
        .send()
        .await
        .unwrap();
    assert!(to_account.portfolio_share_token().is_some());
    let member_accounts = sc
        .describe_portfolio_shares()
        .portfolio_id(&id)
        .r#type(DescribePortfolioShareType::OrganizationMemberAccount)
        .send()
        .await
        .unwrap();
    let principals: Vec<&str> = member_accounts
        .portfolio_share_details()
        .iter()
        .map(|s| s.principal_id().unwrap())
        .collect();
    assert_eq!(principals, [org.members[1].as_str()]);
    let status = sc
        .describe_portfolio_share_status()
        .portfolio_share_token(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(status.status(), Some(&ShareStatus::Completed));
    assert_eq!(status.organization_node_value(), Some(org.id.as_str()));
    let mut covered: Vec<&str> = status
        .share_details()
        .unwrap()
        .successful_shares()
        .iter()
        .map(String::as_str)
        .collect();
    covered.sort_unstable();
    let mut everyone = vec![MANAGEMENT, org.members[0].as_str(), org.members[1].as_str()];
    everyone.sort_unstable();
    covered.retain(|a| *a != MANAGEMENT);
    everyone.retain(|a| *a != MANAGEMENT);
    assert_eq!(covered, everyone, "every member account is covered");

    // Disabling access keeps the existing shares but blocks new node shares.
    sc.disable_aws_organizations_access().send().await.unwrap();
    assert!(matches!(
        service_error(
            sc.create_portfolio_share()
                .portfolio_id(&id)
                .organization_node(ou)
                .send()
                .await
        ),
        CreatePortfolioShareError::InvalidStateException(_)
    ));
    let orgs_access = sc
        .list_organization_portfolio_access()
        .portfolio_id(&id)
        .organization_node_type(OrganizationNodeType::Organization)
        .send()
        .await
        .unwrap();
    let values: Vec<&str> = orgs_access
        .organization_nodes()
        .iter()
        .map(|n| n.value().unwrap())
        .collect();
    assert_eq!(values, [org.id.as_str()]);
    member
        .describe_portfolio()
        .id(&id)
        .send()
        .await
        .expect("the organization share still covers the member");
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

#[tokio::test]
async fn delegated_administrator_shares_and_its_node_shares_go_when_it_is_deregistered() {
    let server = Server::start();
    let org = build_organization(&server).await;
    let sc = server.catalog(MANAGEMENT).await;
    sc.enable_aws_organizations_access().send().await.unwrap();
    let orgs = server.organizations(MANAGEMENT).await;
    let admin_account = &org.members[0];
    orgs.register_delegated_administrator()
        .account_id(admin_account)
        .service_principal(SERVICE_CATALOG_PRINCIPAL)
        .send()
        .await
        .unwrap();
    let admin = server.catalog(admin_account).await;
    let id = create_portfolio(&admin, "admin's").await;
    admin
        .create_portfolio_share()
        .portfolio_id(&id)
        .organization_node(node(OrganizationNodeType::Organization, &org.id))
        .send()
        .await
        .unwrap();
    let other_member = server.catalog(&org.members[1]).await;
    other_member
        .describe_portfolio()
        .id(&id)
        .send()
        .await
        .unwrap();

    orgs.deregister_delegated_administrator()
        .account_id(admin_account)
        .service_principal(SERVICE_CATALOG_PRINCIPAL)
        .send()
        .await
        .unwrap();
    assert!(matches!(
        service_error(other_member.describe_portfolio().id(&id).send().await),
        DescribePortfolioError::ResourceNotFoundException(_)
    ));
    assert!(
        admin
            .describe_portfolio_shares()
            .portfolio_id(&id)
            .r#type(DescribePortfolioShareType::Organization)
            .send()
            .await
            .unwrap()
            .portfolio_share_details()
            .is_empty()
    );
}

#[tokio::test]
async fn accounts_cannot_see_or_change_each_others_portfolios() {
    let server = Server::start();
    let a = server.catalog(MANAGEMENT).await;
    let b = server.catalog(OTHER).await;
    let id = create_portfolio(&a, "A's").await;
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

#[tokio::test]
async fn check_portfolio_access_and_its_reverse_query_over_raw_http_name_what_grants_access() {
    let server = Server::start();
    let sc = server.catalog(MANAGEMENT).await;
    let first = create_portfolio(&sc, "first").await;
    let second = create_portfolio(&sc, "second").await;
    let admin = role(MANAGEMENT, "Admin");
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
    // A pattern is not a principal to check.
    let invalid = check(first.clone(), "arn:aws:iam:::role/Adm*".to_owned()).await;
    invalid.assert_error(400, "InvalidParametersException");
    // Another account can't evaluate a portfolio it can't see.
    let other = server
        .portcullis(
            "CheckPortfolioAccess",
            OTHER,
            json!({"PortfolioId": first, "PrincipalARN": admin}),
        )
        .await;
    other.assert_error(400, "ResourceNotFoundException");

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
}
