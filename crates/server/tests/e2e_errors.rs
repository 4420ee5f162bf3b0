//! The server's errors as a client receives them (SPEC §7): one table of (operation, what is
//! sent, expected AWS error code), driven against the real `portcullis` binary with the official
//! AWS SDKs, or over raw HTTP for what no SDK sends. Each row checks the protocol, not
//! the rule: HTTP 400, the `x-amzn-RequestId` the SDK reads back, a message, and the code — as
//! the SDK's typed variant of that error when the operation's model lists it. Why each error is
//! the right answer is pinned in `crates/api/tests/spec_*.rs`.
//!
//! The rows run in order against one server and one fixture; none may change state, and the
//! test checks at the end that none did.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::fmt::Debug;
use std::future::Future;
use std::pin::Pin;

use aws_sdk_servicecatalog::config::http::HttpResponse;
use aws_sdk_servicecatalog::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_servicecatalog::operation::RequestId;
use aws_sdk_servicecatalog::types::{AccessStatus, OrganizationNodeType, PrincipalType};
use common::sdk::*;
use common::*;
use serde_json::{Value, json};

/// An account in no organization.
const LONER: &str = "333333333333";

/// What the SDK surfaced for a call that failed with a service error.
#[derive(Debug)]
struct Surfaced {
    status: u16,
    /// The SDK's variant for the error: the exception's name, or `Unhandled` for an error the
    /// operation's model does not list. Read from the error's derived `Debug` form
    /// (`Variant(..)`): the generated enums have no method that names their variant.
    variant: String,
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
}

/// The service error in `result`, or what went wrong instead (success, transport, parsing).
fn surfaced<T: Debug, E: ProvideErrorMetadata + RequestId + Debug>(
    result: Result<T, SdkError<E, HttpResponse>>,
) -> Result<Surfaced, String> {
    match result {
        Ok(value) => Err(format!("succeeded: {value:?}")),
        Err(SdkError::ServiceError(context)) => {
            let status = context.raw().status().as_u16();
            let error = context.into_err();
            let debug = format!("{error:?}");
            Ok(Surfaced {
                status,
                variant: debug.split('(').next().unwrap_or_default().to_owned(),
                code: error.code().map(str::to_owned),
                message: error.message().map(str::to_owned),
                request_id: error.request_id().map(str::to_owned),
            })
        }
        Err(other) => Err(format!("not a service error: {other:?}")),
    }
}

type Pending<'a> = Pin<Box<dyn Future<Output = Result<Surfaced, String>> + 'a>>;

/// How a row reaches the server.
enum Call<'a> {
    /// Through an SDK client.
    Sdk(Pending<'a>),
    /// A JSON body to `X-Amz-Target: target` as `account`, over raw HTTP.
    Raw {
        target: String,
        account: &'a str,
        body: Value,
    },
}

/// An SDK call (`client.operation()...send()`), not yet sent.
macro_rules! sdk {
    ($send:expr) => {
        Call::Sdk(Box::pin(async move { surfaced($send.await) }))
    };
}

/// A raw JSON body for Service Catalog operation `operation`.
fn raw(operation: &str, account: &'static str, body: Value) -> Call<'static> {
    Call::Raw {
        target: format!("AWS242ServiceCatalogService.{operation}"),
        account,
        body,
    }
}

/// A raw JSON body for one of our own `PortcullisService` operations (no SDK has them).
fn portcullis(operation: &str, account: &'static str, body: Value) -> Call<'static> {
    Call::Raw {
        target: format!("PortcullisService.{operation}"),
        account,
        body,
    }
}

struct Row<'a> {
    operation: &'static str,
    case: &'static str,
    call: Call<'a>,
    /// The AWS error code (`__type`).
    code: &'static str,
    /// Whether the operation's model lists `code`, so that the SDK has a typed variant for it.
    modeled: bool,
    message_is: Option<String>,
    message_has: Option<&'static str>,
}

fn row<'a>(
    operation: &'static str,
    case: &'static str,
    code: &'static str,
    call: Call<'a>,
) -> Row<'a> {
    Row {
        operation,
        case,
        call,
        code,
        modeled: true,
        message_is: None,
        message_has: None,
    }
}

impl Row<'_> {
    /// The operation's model does not list the error: the SDK surfaces it untyped, with its code.
    fn unmodeled(mut self) -> Self {
        self.modeled = false;
        self
    }

    fn message_is(mut self, message: String) -> Self {
        self.message_is = Some(message);
        self
    }

    fn message_has(mut self, part: &'static str) -> Self {
        self.message_has = Some(part);
        self
    }

    /// Sends the row and returns what is wrong with the answer, if anything.
    async fn check(self, server: &Server) -> Result<(), String> {
        let message = match self.call {
            Call::Sdk(pending) => {
                let got = pending.await?;
                let expected_variant = if self.modeled { self.code } else { "Unhandled" };
                // Variants are in Rust case: `AwsOrganizations…` for `AWSOrganizations…`.
                if !got.variant.eq_ignore_ascii_case(expected_variant)
                    || got.code.as_deref() != Some(self.code)
                    || got.status != 400
                    || got.request_id.as_deref().is_none_or(str::is_empty)
                {
                    return Err(format!(
                        "expected HTTP 400, the SDK's {expected_variant} with code {} and a \
                         request id; got {got:?}",
                        self.code
                    ));
                }
                got.message.filter(|m| !m.is_empty()).ok_or("no message")?
            }
            Call::Raw {
                target,
                account,
                body,
            } => {
                let response = server
                    .post(Some(&target), Some(account), body.to_string().as_bytes())
                    .await;
                response.check_error(400, self.code)?
            }
        };
        if let Some(expected) = self.message_is
            && message != expected
        {
            return Err(format!("message {message:?}, expected {expected:?}"));
        }
        if let Some(part) = self.message_has
            && !message.contains(part)
        {
            return Err(format!("message {message:?} does not name {part:?}"));
        }
        Ok(())
    }
}

/// The state the rows run against.
struct Fixture {
    /// Organization A: managed by [`MANAGEMENT`], Service Catalog access enabled.
    org: Org,
    /// Organization B, managed by [`OTHER`], Service Catalog access not enabled.
    other_org: String,
    /// A member of A registered as Service Catalog's delegated administrator.
    admin: String,
    /// A plain member of A.
    member: String,
    sc: aws_sdk_servicecatalog::Client,
    other_sc: aws_sdk_servicecatalog::Client,
    admin_sc: aws_sdk_servicecatalog::Client,
    member_sc: aws_sdk_servicecatalog::Client,
    loner_sc: aws_sdk_servicecatalog::Client,
    orgs: aws_sdk_organizations::Client,
    member_orgs: aws_sdk_organizations::Client,
    loner_orgs: aws_sdk_organizations::Client,
    /// [`MANAGEMENT`]'s portfolio with one IAM association and an account share that [`LONER`]
    /// accepted.
    busy: String,
    /// [`MANAGEMENT`]'s portfolio with the full ten IAM_PATTERN associations.
    full: String,
    /// The plain member's own portfolio.
    member_portfolio: String,
    /// [`OTHER`]'s portfolio.
    other_portfolio: String,
    /// A page token that `ListPrincipalsForPortfolio` issued for `full`.
    principals_token: String,
}

impl Fixture {
    async fn new(server: &Server) -> Fixture {
        let org = build_organization(server).await;
        let [admin, member] = org.members.clone();
        let sc = server.catalog(MANAGEMENT).await;
        sc.enable_aws_organizations_access().send().await.unwrap();
        let orgs = server.organizations(MANAGEMENT).await;
        orgs.register_delegated_administrator()
            .account_id(&admin)
            .service_principal(SERVICE_CATALOG_PRINCIPAL)
            .send()
            .await
            .unwrap();
        let other_org = server
            .organizations(OTHER)
            .await
            .create_organization()
            .send()
            .await
            .unwrap()
            .organization()
            .unwrap()
            .id()
            .unwrap()
            .to_owned();

        let loner_sc = server.catalog(LONER).await;
        let busy = create_portfolio(&sc, "busy").await;
        create_role(server, MANAGEMENT, "Admin").await;
        associate(&sc, &busy, &role(MANAGEMENT, "Admin"), PrincipalType::Iam).await;
        sc.create_portfolio_share()
            .portfolio_id(&busy)
            .account_id(LONER)
            .send()
            .await
            .unwrap();
        loner_sc
            .accept_portfolio_share()
            .portfolio_id(&busy)
            .send()
            .await
            .unwrap();
        let full = create_portfolio(&sc, "full").await;
        for i in 0..10 {
            let pattern = format!("arn:aws:iam:::role/Team{i}-*");
            associate(&sc, &full, &pattern, PrincipalType::IamPattern).await;
        }
        let principals_token = sc
            .list_principals_for_portfolio()
            .portfolio_id(&full)
            .page_size(1)
            .send()
            .await
            .unwrap()
            .next_page_token()
            .expect("a second page")
            .to_owned();
        let member_sc = server.catalog(&member).await;
        let member_portfolio = create_portfolio(&member_sc, "member's").await;
        let other_sc = server.catalog(OTHER).await;
        let other_portfolio = create_portfolio(&other_sc, "other's").await;
        Fixture {
            other_org,
            admin_sc: server.catalog(&admin).await,
            member_orgs: server.organizations(&member).await,
            loner_orgs: server.organizations(LONER).await,
            org,
            admin,
            member,
            sc,
            other_sc,
            member_sc,
            loner_sc,
            orgs,
            busy,
            full,
            member_portfolio,
            other_portfolio,
            principals_token,
        }
    }
}

#[tokio::test]
async fn every_error_reaches_the_client_as_its_typed_aws_error() {
    let server = Server::start();
    let fixture = Fixture::new(&server).await;
    let f = &fixture;
    let mut rows = vec![
        // ---- AssociatePrincipalWithPortfolio --------------------------------------------------
        row(
            "AssociatePrincipalWithPortfolio",
            "an IAM principal of another account",
            "ResourceNotFoundException",
            sdk!(
                f.sc.associate_principal_with_portfolio()
                    .portfolio_id(&f.busy)
                    .principal_arn(role(OTHER, "Admin"))
                    .principal_type(PrincipalType::Iam)
                    .send()
            ),
        )
        .message_is(format!(
            "caller account id ({MANAGEMENT}) does not match input account id ({OTHER})"
        )),
        row(
            "AssociatePrincipalWithPortfolio",
            "a pattern sent as IAM has no account",
            "ResourceNotFoundException",
            sdk!(
                f.sc.associate_principal_with_portfolio()
                    .portfolio_id(&f.busy)
                    .principal_arn("arn:aws:iam:::role/Dev*")
                    .principal_type(PrincipalType::Iam)
                    .send()
            ),
        )
        .message_is(format!(
            "caller account id ({MANAGEMENT}) does not match input account id ()"
        )),
        row(
            "AssociatePrincipalWithPortfolio",
            "an IAM principal that does not exist (SPEC §4.4)",
            "InvalidParametersException",
            sdk!(
                f.sc.associate_principal_with_portfolio()
                    .portfolio_id(&f.busy)
                    .principal_arn(role(MANAGEMENT, "NeverCreated"))
                    .principal_type(PrincipalType::Iam)
                    .send()
            ),
        )
        .message_is(format!(
            "Invalid input parameter(s): principal `{}` does not exist in account \
             `{MANAGEMENT}`; an `IAM` principal must exist before it is associated",
            role(MANAGEMENT, "NeverCreated")
        )),
        row(
            "AssociatePrincipalWithPortfolio",
            "an unknown PrincipalType",
            "InvalidParametersException",
            sdk!(
                f.sc.associate_principal_with_portfolio()
                    .portfolio_id(&f.busy)
                    .principal_arn(role(MANAGEMENT, "x"))
                    .principal_type(PrincipalType::from("ROOT"))
                    .send()
            ),
        ),
        row(
            "AssociatePrincipalWithPortfolio",
            "an eleventh IAM_PATTERN association",
            "LimitExceededException",
            sdk!(
                f.sc.associate_principal_with_portfolio()
                    .portfolio_id(&f.full)
                    .principal_arn("arn:aws:iam:::role/Team10-*")
                    .principal_type(PrincipalType::IamPattern)
                    .send()
            ),
        ),
        // ---- DisassociatePrincipalFromPortfolio -----------------------------------------------
        row(
            "DisassociatePrincipalFromPortfolio",
            "a pattern association without PrincipalType (which means IAM)",
            "ResourceNotFoundException",
            sdk!(
                f.sc.disassociate_principal_from_portfolio()
                    .portfolio_id(&f.full)
                    .principal_arn("arn:aws:iam:::role/Team0-*")
                    .send()
            ),
        ),
        row(
            "DisassociatePrincipalFromPortfolio",
            "no such association",
            "ResourceNotFoundException",
            sdk!(
                f.sc.disassociate_principal_from_portfolio()
                    .portfolio_id(&f.full)
                    .principal_arn(role(MANAGEMENT, "Nobody"))
                    .principal_type(PrincipalType::Iam)
                    .send()
            ),
        ),
        // ---- DescribePortfolio, ListPortfolios, DeletePortfolio -------------------------------
        row(
            "DescribePortfolio",
            "the required Id missing",
            "InvalidParametersException",
            sdk!(f.sc.describe_portfolio().send()),
        )
        .unmodeled(),
        row(
            "ListPortfolios",
            "PageSize over 100",
            "InvalidParametersException",
            sdk!(f.sc.list_portfolios().page_size(101).send()),
        ),
        row(
            "ListPortfolios",
            "an AcceptLanguage other than en, jp, zh",
            "InvalidParametersException",
            sdk!(f.sc.list_portfolios().accept_language("fr").send()),
        ),
        row(
            "ListPortfolios",
            "a page token that ListPrincipalsForPortfolio issued",
            "InvalidParametersException",
            sdk!(
                f.sc.list_portfolios()
                    .page_token(&f.principals_token)
                    .send()
            ),
        )
        .message_has("PageToken"),
        row(
            "ListPortfolios",
            "a page token the server never issued",
            "InvalidParametersException",
            sdk!(f.sc.list_portfolios().page_token("1").send()),
        )
        .message_has("PageToken"),
        row(
            "DeletePortfolio",
            "a portfolio with associations and shares",
            "ResourceInUseException",
            sdk!(f.sc.delete_portfolio().id(&f.busy).send()),
        ),
        row(
            "DeletePortfolio",
            "another account's portfolio",
            "ResourceNotFoundException",
            sdk!(f.other_sc.delete_portfolio().id(&f.busy).send()),
        ),
        // ---- CreatePortfolioShare, UpdatePortfolioShare ---------------------------------------
        row(
            "CreatePortfolioShare",
            "an AccountId that is not 12 digits",
            "InvalidParametersException",
            sdk!(
                f.sc.create_portfolio_share()
                    .portfolio_id(&f.busy)
                    .account_id("12345")
                    .send()
            ),
        ),
        row(
            "CreatePortfolioShare",
            "neither AccountId nor OrganizationNode",
            "InvalidParametersException",
            sdk!(f.sc.create_portfolio_share().portfolio_id(&f.busy).send()),
        ),
        row(
            "CreatePortfolioShare",
            "both AccountId and OrganizationNode",
            "InvalidParametersException",
            sdk!(
                f.sc.create_portfolio_share()
                    .portfolio_id(&f.busy)
                    .account_id(&f.member)
                    .organization_node(node(OrganizationNodeType::OrganizationalUnit, &f.org.ou))
                    .send()
            ),
        ),
        row(
            "CreatePortfolioShare",
            "the caller's own account",
            "InvalidParametersException",
            sdk!(
                f.sc.create_portfolio_share()
                    .portfolio_id(&f.busy)
                    .account_id(MANAGEMENT)
                    .send()
            ),
        ),
        row(
            "CreatePortfolioShare",
            "SharePrincipals with an AccountId",
            "InvalidParametersException",
            sdk!(
                f.sc.create_portfolio_share()
                    .portfolio_id(&f.busy)
                    .account_id(OTHER)
                    .share_principals(true)
                    .send()
            ),
        ),
        row(
            "CreatePortfolioShare",
            "SharePrincipals with an ACCOUNT node",
            "InvalidParametersException",
            sdk!(
                f.sc.create_portfolio_share()
                    .portfolio_id(&f.busy)
                    .organization_node(node(OrganizationNodeType::Account, &f.member))
                    .share_principals(true)
                    .send()
            ),
        ),
        row(
            "CreatePortfolioShare",
            "a portfolio the caller imported",
            "OperationNotSupportedException",
            sdk!(
                f.loner_sc
                    .create_portfolio_share()
                    .portfolio_id(&f.busy)
                    .account_id(OTHER)
                    .send()
            ),
        ),
        row(
            "CreatePortfolioShare",
            "a node share by a member that is no delegated administrator",
            "OperationNotSupportedException",
            sdk!(
                f.member_sc
                    .create_portfolio_share()
                    .portfolio_id(&f.member_portfolio)
                    .organization_node(node(OrganizationNodeType::OrganizationalUnit, &f.org.ou))
                    .send()
            ),
        ),
        row(
            "CreatePortfolioShare",
            "a node share while organizations access is not enabled",
            "InvalidStateException",
            sdk!(
                f.other_sc
                    .create_portfolio_share()
                    .portfolio_id(&f.other_portfolio)
                    .organization_node(node(OrganizationNodeType::Organization, &f.other_org))
                    .send()
            ),
        ),
        row(
            "CreatePortfolioShare",
            "an OU of no organization",
            "ResourceNotFoundException",
            sdk!(
                f.sc.create_portfolio_share()
                    .portfolio_id(&f.busy)
                    .organization_node(node(
                        OrganizationNodeType::OrganizationalUnit,
                        "ou-zzzz-zzzzzzzz"
                    ))
                    .send()
            ),
        ),
        row(
            "CreatePortfolioShare",
            "another organization",
            "ResourceNotFoundException",
            sdk!(
                f.sc.create_portfolio_share()
                    .portfolio_id(&f.busy)
                    .organization_node(node(OrganizationNodeType::Organization, &f.other_org))
                    .send()
            ),
        ),
        row(
            "CreatePortfolioShare",
            "an ACCOUNT node outside the organization",
            "ResourceNotFoundException",
            sdk!(
                f.sc.create_portfolio_share()
                    .portfolio_id(&f.busy)
                    .organization_node(node(OrganizationNodeType::Account, "999999999999"))
                    .send()
            ),
        ),
        row(
            "UpdatePortfolioShare",
            "SharePrincipals on an account share",
            "InvalidParametersException",
            sdk!(
                f.sc.update_portfolio_share()
                    .portfolio_id(&f.busy)
                    .account_id(LONER)
                    .share_principals(true)
                    .send()
            ),
        ),
        // ---- Organizations access -------------------------------------------------------------
        row(
            "EnableAWSOrganizationsAccess",
            "an account in no organization",
            "ResourceNotFoundException",
            sdk!(f.loner_sc.enable_aws_organizations_access().send()),
        ),
        row(
            "EnableAWSOrganizationsAccess",
            "a member",
            "OperationNotSupportedException",
            sdk!(f.member_sc.enable_aws_organizations_access().send()),
        ),
        row(
            "GetAWSOrganizationsAccessStatus",
            "an account in no organization",
            "ResourceNotFoundException",
            sdk!(f.loner_sc.get_aws_organizations_access_status().send()),
        ),
        row(
            "GetAWSOrganizationsAccessStatus",
            "a member that is no delegated administrator",
            "OperationNotSupportedException",
            sdk!(f.member_sc.get_aws_organizations_access_status().send()),
        ),
        row(
            "DisableAWSOrganizationsAccess",
            "a delegated administrator",
            "OperationNotSupportedException",
            sdk!(f.admin_sc.disable_aws_organizations_access().send()),
        ),
        row(
            "DisableAWSOrganizationsAccess",
            "while a delegated administrator is registered",
            "InvalidStateException",
            sdk!(f.sc.disable_aws_organizations_access().send()),
        ),
        row(
            "ListOrganizationPortfolioAccess",
            "a member that is no delegated administrator",
            "OperationNotSupportedException",
            sdk!(
                f.member_sc
                    .list_organization_portfolio_access()
                    .portfolio_id(&f.member_portfolio)
                    .organization_node_type(OrganizationNodeType::OrganizationalUnit)
                    .send()
            ),
        ),
        // ---- Organizations (target prefix AWSOrganizationsV20161128) --------------------------
        row(
            "DescribeOrganization",
            "an account in no organization",
            "AWSOrganizationsNotInUseException",
            sdk!(f.loner_orgs.describe_organization().send()),
        ),
        row(
            "CreateOrganization",
            "a management account",
            "AlreadyInOrganizationException",
            sdk!(f.orgs.create_organization().send()),
        ),
        row(
            "MoveAccount",
            "from a parent the account is not under",
            "SourceParentNotFoundException",
            sdk!(
                f.orgs
                    .move_account()
                    .account_id(&f.member)
                    .source_parent_id(&f.org.ou)
                    .destination_parent_id(&f.org.root)
                    .send()
            ),
        ),
        row(
            "CreateAccount",
            "a member",
            "AccessDeniedException",
            sdk!(
                f.member_orgs
                    .create_account()
                    .email("x@example.com")
                    .account_name("x")
                    .send()
            ),
        ),
        row(
            "RegisterDelegatedAdministrator",
            "an account already registered",
            "AccountAlreadyRegisteredException",
            sdk!(
                f.orgs
                    .register_delegated_administrator()
                    .account_id(&f.admin)
                    .service_principal(SERVICE_CATALOG_PRINCIPAL)
                    .send()
            ),
        ),
        row(
            "RegisterDelegatedAdministrator",
            "the management account",
            "ConstraintViolationException",
            sdk!(
                f.orgs
                    .register_delegated_administrator()
                    .account_id(MANAGEMENT)
                    .service_principal(SERVICE_CATALOG_PRINCIPAL)
                    .send()
            ),
        ),
        row(
            "DeregisterDelegatedAdministrator",
            "an account not registered",
            "AccountNotRegisteredException",
            sdk!(
                f.orgs
                    .deregister_delegated_administrator()
                    .account_id(&f.member)
                    .service_principal(SERVICE_CATALOG_PRINCIPAL)
                    .send()
            ),
        ),
        // ---- Over raw HTTP: what no SDK sends --------------------------------------------------
        row(
            "CheckPortfolioAccess",
            "a pattern is not a principal to check",
            "InvalidParametersException",
            portcullis(
                "CheckPortfolioAccess",
                MANAGEMENT,
                json!({"PortfolioId": f.busy, "PrincipalARN": "arn:aws:iam:::role/Adm*"}),
            ),
        ),
        row(
            "CheckPortfolioAccess",
            "a portfolio the caller cannot see",
            "ResourceNotFoundException",
            portcullis(
                "CheckPortfolioAccess",
                OTHER,
                json!({"PortfolioId": f.busy, "PrincipalARN": role(MANAGEMENT, "Admin")}),
            ),
        ),
        row(
            "ListPortfolios",
            "a field of the wrong JSON type",
            "SerializationException",
            raw("ListPortfolios", MANAGEMENT, json!({"PageSize": "ten"})),
        ),
        row(
            "NoSuchOperation",
            "an operation no service has",
            "UnknownOperationException",
            raw("NoSuchOperation", MANAGEMENT, json!({})),
        ),
    ];
    for (arn, principal_type) in [
        ("arn:aws:iam:::*/ResourceName", PrincipalType::IamPattern),
        (
            "arn:aws:iam::123456789012:role/Dev*",
            PrincipalType::IamPattern,
        ),
        ("arn:aws:iam:us-east-1::role/x", PrincipalType::IamPattern),
        ("arn:aws:iam:::policy/x", PrincipalType::IamPattern),
        ("arn:aws:iam::111111111111:role/Dev*", PrincipalType::Iam),
        ("arn:aws:iam::111111111111:policy/Dev", PrincipalType::Iam),
    ] {
        rows.push(
            row(
                "AssociatePrincipalWithPortfolio",
                "a malformed principal ARN for its type",
                "InvalidParametersException",
                sdk!(
                    f.sc.associate_principal_with_portfolio()
                        .portfolio_id(&f.busy)
                        .principal_arn(arn)
                        .principal_type(principal_type)
                        .send()
                ),
            )
            .message_has("PrincipalARN"),
        );
    }

    let count = rows.len();
    let mut failures = Vec::new();
    for row in rows {
        let label = format!("{} ({}) -> {}", row.operation, row.case, row.code);
        if let Err(problem) = row.check(&server).await {
            failures.push(format!("{label}: {problem}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {count} rows failed:\n{}",
        failures.len(),
        failures.join("\n")
    );

    // No row changed anything.
    assert_eq!(principals(&f.sc, &f.full).await.len(), 10);
    assert_eq!(
        principals(&f.sc, &f.busy).await,
        [(role(MANAGEMENT, "Admin"), "IAM".to_owned())]
    );
    assert_eq!(
        f.sc.get_aws_organizations_access_status()
            .send()
            .await
            .unwrap()
            .access_status(),
        Some(&AccessStatus::Enabled)
    );
    let portfolios = portfolio_ids(&f.sc).await;
    assert_eq!(portfolios, [f.busy.clone(), f.full.clone()]);
    let accepted = f
        .loner_sc
        .list_accepted_portfolio_shares()
        .send()
        .await
        .unwrap();
    assert_eq!(accepted.portfolio_details().len(), 1);
    let admins = f.orgs.list_delegated_administrators().send().await.unwrap();
    assert_eq!(admins.delegated_administrators().len(), 1);
}
