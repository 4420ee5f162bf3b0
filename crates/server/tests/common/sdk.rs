//! SDK helpers of the end-to-end tests: typed service errors, and one-line setup through the
//! Service Catalog and Organizations clients (portfolios, associations, an organization).

use aws_sdk_organizations::types::{CreateAccountState, OrganizationFeatureSet};
use aws_sdk_servicecatalog::error::SdkError;
use aws_sdk_servicecatalog::types::{OrganizationNode, OrganizationNodeType, PrincipalType, Tag};

use super::{MANAGEMENT, Server};

/// The service principal of Service Catalog in Organizations' delegated-administrator calls.
pub const SERVICE_CATALOG_PRINCIPAL: &str = "servicecatalog.amazonaws.com";

/// The service error inside an SDK error; any other failure (transport, parsing) fails the test.
pub fn service_error<T: std::fmt::Debug, E: std::fmt::Debug, R: std::fmt::Debug>(
    result: Result<T, SdkError<E, R>>,
) -> E {
    match result {
        Ok(value) => panic!("expected a service error, got {value:?}"),
        Err(SdkError::ServiceError(e)) => e.into_err(),
        Err(other) => panic!("expected a service error, got {other:?}"),
    }
}

pub fn tag(key: &str, value: &str) -> Tag {
    Tag::builder().key(key).value(value).build().unwrap()
}

pub fn node(node_type: OrganizationNodeType, value: &str) -> OrganizationNode {
    OrganizationNode::builder()
        .r#type(node_type)
        .value(value)
        .build()
}

/// The ARN of role `name` in `account`.
pub fn role(account: &str, name: &str) -> String {
    format!("arn:aws:iam::{account}:role/{name}")
}

/// Creates role `name` in `account` through the IAM API (AWS SDK for Rust, AWS Query protocol):
/// an `IAM` principal must exist before it is associated (SPEC §4.4). Answers its unique id.
pub async fn create_role(server: &Server, account: &str, name: &str) -> String {
    server
        .iam(account)
        .await
        .create_role()
        .role_name(name)
        .assume_role_policy_document(r#"{"Version":"2012-10-17","Statement":[]}"#)
        .send()
        .await
        .unwrap_or_else(|e| panic!("create role {name} in {account}: {e:?}"))
        .role()
        .unwrap()
        .role_id()
        .to_owned()
}

/// Creates a portfolio named `name` and returns its id.
pub async fn create_portfolio(sc: &aws_sdk_servicecatalog::Client, name: &str) -> String {
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

pub async fn associate(
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

/// The principals of `portfolio` as (ARN, type), sorted.
pub async fn principals(
    sc: &aws_sdk_servicecatalog::Client,
    portfolio: &str,
) -> Vec<(String, String)> {
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

/// The ids `ListPortfolios` answers, in its order.
pub async fn portfolio_ids(sc: &aws_sdk_servicecatalog::Client) -> Vec<String> {
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
pub struct Org {
    pub id: String,
    pub root: String,
    pub ou: String,
    pub members: [String; 2],
}

pub async fn build_organization(server: &Server) -> Org {
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
