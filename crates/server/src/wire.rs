//! AWS JSON 1.1 on the wire: `X-Amz-Target` routing, decoding inputs, encoding outputs and
//! errors (SPEC §7). No business rule lives here: every operation is one call into
//! [`portcullis_api::Service`].

use portcullis_api::Service;
use portcullis_model::{Caller, ErrorKind, ServiceError};
use serde::{Serialize, de::DeserializeOwned};

/// Target prefix of Service Catalog operations.
pub const SERVICE_CATALOG: &str = "AWS242ServiceCatalogService";
/// Target prefix of the AWS Organizations subset (SPEC §8).
pub const ORGANIZATIONS: &str = "AWSOrganizationsV20161128";
/// Target prefix of portcullis's own operations.
pub const PORTCULLIS: &str = "PortcullisService";

/// Decodes `body` as `I`, calls `f`, encodes its output.
fn call<I, O>(
    body: &[u8],
    f: impl FnOnce(I) -> Result<O, ServiceError>,
) -> Result<Vec<u8>, ServiceError>
where
    I: DeserializeOwned,
    O: Serialize,
{
    // botocore sends `{}` for an operation without input members; some clients send nothing.
    let body = if body.iter().all(u8::is_ascii_whitespace) {
        &b"{}"[..]
    } else {
        body
    };
    // JSON text is UTF-8 throughout, members the operation ignores included (serde_json skips
    // those unchecked).
    let body = std::str::from_utf8(body).map_err(|e| {
        ServiceError::serialization(format!("the request body is not valid UTF-8: {e}"))
    })?;
    // An input is a JSON object. serde would also take a JSON array as a struct's members in
    // order (`[null, "name", ...]`), which no AWS client sends: refuse it.
    if !body.trim_start().starts_with('{') {
        return Err(ServiceError::serialization(
            "the request body is not a JSON object",
        ));
    }
    let input: I =
        serde_json::from_str(body).map_err(|e| ServiceError::serialization(describe(&e)))?;
    let output = f(input)?;
    serde_json::to_vec(&output)
        .map_err(|e| ServiceError::internal_failure(format!("could not encode the response: {e}")))
}

fn describe(e: &serde_json::Error) -> String {
    match e.classify() {
        serde_json::error::Category::Data => format!("a field has the wrong type or value: {e}"),
        serde_json::error::Category::Eof | serde_json::error::Category::Syntax => {
            format!("the request body is not valid JSON: {e}")
        }
        serde_json::error::Category::Io => format!("could not read the request body: {e}"),
    }
}

/// Runs the operation named by `target` (the `X-Amz-Target` header) on `body`.
pub fn dispatch(
    service: &Service,
    caller: &Caller,
    target: &str,
    body: &[u8],
) -> Result<Vec<u8>, ServiceError> {
    let Some((prefix, operation)) = target.split_once('.') else {
        return Err(unknown(target));
    };
    macro_rules! route {
        ($($name:literal => $method:ident),* $(,)?) => {
            match operation {
                $($name => call(body, |input| service.$method(caller, input)),)*
                _ => Err(unknown(target)),
            }
        };
    }
    match prefix {
        SERVICE_CATALOG => route! {
            "AssociatePrincipalWithPortfolio" => associate_principal_with_portfolio,
            "DisassociatePrincipalFromPortfolio" => disassociate_principal_from_portfolio,
            "CreatePortfolioShare" => create_portfolio_share,
            "CreatePortfolio" => create_portfolio,
            "DescribePortfolio" => describe_portfolio,
            "UpdatePortfolio" => update_portfolio,
            "DeletePortfolio" => delete_portfolio,
            "ListPortfolios" => list_portfolios,
            "ListPrincipalsForPortfolio" => list_principals_for_portfolio,
            "DescribePortfolioShares" => describe_portfolio_shares,
            "DescribePortfolioShareStatus" => describe_portfolio_share_status,
            "UpdatePortfolioShare" => update_portfolio_share,
            "DeletePortfolioShare" => delete_portfolio_share,
            "AcceptPortfolioShare" => accept_portfolio_share,
            "RejectPortfolioShare" => reject_portfolio_share,
            "ListAcceptedPortfolioShares" => list_accepted_portfolio_shares,
            "ListPortfolioAccess" => list_portfolio_access,
            "ListOrganizationPortfolioAccess" => list_organization_portfolio_access,
            "EnableAWSOrganizationsAccess" => enable_aws_organizations_access,
            "DisableAWSOrganizationsAccess" => disable_aws_organizations_access,
            "GetAWSOrganizationsAccessStatus" => get_aws_organizations_access_status,
        },
        ORGANIZATIONS => route! {
            "CreateOrganization" => create_organization,
            "DescribeOrganization" => describe_organization,
            "ListRoots" => list_roots,
            "CreateOrganizationalUnit" => create_organizational_unit,
            "ListOrganizationalUnitsForParent" => list_organizational_units_for_parent,
            "CreateAccount" => create_account,
            "DescribeCreateAccountStatus" => describe_create_account_status,
            "ListAccounts" => list_accounts,
            "MoveAccount" => move_account,
            "RegisterDelegatedAdministrator" => register_delegated_administrator,
            "DeregisterDelegatedAdministrator" => deregister_delegated_administrator,
            "ListDelegatedAdministrators" => list_delegated_administrators,
        },
        PORTCULLIS => route! {
            "CheckPortfolioAccess" => check_portfolio_access,
            "ListPortfoliosForPrincipal" => list_portfolios_for_principal,
            "AuditPortfolioSharing" => audit_portfolio_sharing,
        },
        _ => Err(unknown(target)),
    }
}

fn unknown(target: &str) -> ServiceError {
    let shown: String = target.chars().take(200).collect();
    ServiceError::unknown_operation(format!("unknown operation `{shown}`"))
}

/// The HTTP status of an error: 500 for server faults, 400 otherwise.
pub fn status_of(kind: ErrorKind) -> u16 {
    if kind.is_server_fault() { 500 } else { 400 }
}

/// AWS's JSON error body, `{"__type": ..., "message": ...}`.
pub fn error_body(error: &ServiceError) -> Vec<u8> {
    serde_json::json!({ "__type": error.kind().as_str(), "message": error.message() })
        .to_string()
        .into_bytes()
}
