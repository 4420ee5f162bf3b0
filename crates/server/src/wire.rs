//! The wire protocols: routing, decoding inputs, encoding outputs and errors (SPEC §7), for AWS
//! JSON 1.1 (`X-Amz-Target: Service.Operation`, JSON bodies) and Smithy RPC v2 CBOR (`POST
//! /service/Service/operation/Operation`, CBOR bodies). Both decode into the same typed inputs
//! and encode the same typed outputs; no business rule lives here: every operation is one call
//! into [`portcullis_api::Service`].

use portcullis_api::Service;
use portcullis_model::{Caller, ErrorKind, ServiceError, Structure};
use serde::{Serialize, de::DeserializeOwned};

/// Target prefix (and Smithy service name) of Service Catalog operations.
pub const SERVICE_CATALOG: &str = "AWS242ServiceCatalogService";
/// Target prefix of the AWS Organizations subset (SPEC §8).
pub const ORGANIZATIONS: &str = "AWSOrganizationsV20161128";
/// Target prefix of portcullis's own operations.
pub const PORTCULLIS: &str = "PortcullisService";

/// How deeply CBOR items may nest (inputs nest three levels).
const CBOR_DEPTH: usize = 32;
/// The largest CBOR body read through a `ciborium::Value` when streaming fails.
const CBOR_VALUE_MAX_BYTES: usize = 64 * 1024;

/// A wire protocol.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    /// AWS JSON 1.1.
    AwsJson,
    /// Smithy RPC v2 CBOR.
    RpcV2Cbor,
}

impl Protocol {
    /// The `Content-Type` of this protocol's bodies.
    pub fn content_type(self) -> &'static str {
        match self {
            Protocol::AwsJson => "application/x-amz-json-1.1",
            Protocol::RpcV2Cbor => "application/cbor",
        }
    }

    /// Decodes a request body as the input `I`: a structure, never anything else.
    pub fn decode<I: DeserializeOwned>(self, body: &[u8]) -> Result<I, ServiceError> {
        match self {
            Protocol::AwsJson => decode_json(body),
            Protocol::RpcV2Cbor => decode_cbor(body),
        }
    }

    /// Encodes an output.
    pub fn encode<O: Serialize>(self, output: &O) -> Result<Vec<u8>, ServiceError> {
        let encoded = match self {
            Protocol::AwsJson => {
                // Room for most answers at once: growing from serde_json's 128 bytes copies a
                // kilobyte answer four times.
                let mut bytes = Vec::with_capacity(2048);
                serde_json::to_writer(&mut bytes, output)
                    .map(|()| bytes)
                    .map_err(|e| e.to_string())
            }
            Protocol::RpcV2Cbor => {
                let mut bytes = Vec::with_capacity(2048);
                ciborium::ser::into_writer(output, &mut bytes)
                    .map(|()| bytes)
                    .map_err(|e| e.to_string())
            }
        };
        encoded.map_err(|e| {
            ServiceError::internal_failure(format!("could not encode the response: {e}"))
        })
    }

    /// AWS's error body: `{"__type": ..., "message": ...}`, where `__type` is the exception's
    /// name in AWS JSON 1.1 and its absolute shape id (`com.amazonaws.servicecatalog#...`) in
    /// RPC v2 CBOR, in the namespace of the service `prefix` names.
    pub fn error_body(self, error: &ServiceError, prefix: &str) -> Vec<u8> {
        match self {
            Protocol::AwsJson => error_body(error),
            Protocol::RpcV2Cbor => {
                #[derive(Serialize)]
                struct ErrorBody<'a> {
                    #[serde(rename = "__type")]
                    kind: String,
                    message: &'a str,
                }
                let body = ErrorBody {
                    kind: format!("{}#{}", namespace(prefix), error.kind().as_str()),
                    message: error.message(),
                };
                let mut bytes = Vec::with_capacity(128);
                // Writing a map of two strings into a Vec cannot fail; an empty body still
                // answers with the status.
                let _ = ciborium::ser::into_writer(&body, &mut bytes);
                bytes
            }
        }
    }
}

/// The SigV4 signing name of the service with this target prefix, if it is one.
pub fn signing_name(prefix: &str) -> Option<&'static str> {
    match prefix {
        SERVICE_CATALOG | PORTCULLIS => Some("servicecatalog"),
        ORGANIZATIONS => Some("organizations"),
        _ => None,
    }
}

/// The Smithy namespace of the service with this target prefix.
pub fn namespace(prefix: &str) -> &'static str {
    match prefix {
        ORGANIZATIONS => "com.amazonaws.organizations",
        _ => "com.amazonaws.servicecatalog",
    }
}

fn decode_json<I: DeserializeOwned>(body: &[u8]) -> Result<I, ServiceError> {
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
    // An input is a JSON object, and so is every structure in it: serde would also take an
    // array as a struct's members in order (`[null, "name", ...]`), which no AWS client sends.
    serde_json::from_str::<Structure<I>>(body)
        .map(|input| input.0)
        .map_err(|e| ServiceError::serialization(describe(&e)))
}

fn decode_cbor<I: DeserializeOwned>(body: &[u8]) -> Result<I, ServiceError> {
    // An operation without input members may have no body at all.
    let body = if body.is_empty() { &[0xa0][..] } else { body };
    let mut reader = body;
    let streamed =
        ciborium::de::from_reader_with_recursion_limit::<Structure<I>, _>(&mut reader, CBOR_DEPTH);
    let input = match streamed {
        Ok(input) => input,
        // ciborium reads member names only as definite-length strings: a body with an
        // indefinite-length name (valid CBOR, which Smithy's protocol tests send) is read again
        // through a `Value`. Only small bodies: a `Value` takes some 50 bytes per item.
        Err(_) if body.len() <= CBOR_VALUE_MAX_BYTES => {
            reader = body;
            let value = ciborium::de::from_reader_with_recursion_limit::<ciborium::Value, _>(
                &mut reader,
                CBOR_DEPTH,
            )
            .map_err(|e| ServiceError::serialization(describe_cbor(&e)))?;
            value.deserialized::<Structure<I>>().map_err(|e| {
                ServiceError::serialization(format!("a field has the wrong type or value: {e}"))
            })?
        }
        Err(e) => return Err(ServiceError::serialization(describe_cbor(&e))),
    };
    if !reader.is_empty() {
        return Err(ServiceError::serialization(format!(
            "the request body is not valid CBOR: {} bytes after the input",
            reader.len()
        )));
    }
    Ok(input.0)
}

fn describe_cbor(e: &ciborium::de::Error<std::io::Error>) -> String {
    use ciborium::de::Error;
    match e {
        Error::Semantic(_, message) => format!("a field has the wrong type or value: {message}"),
        Error::Syntax(offset) => {
            format!("the request body is not valid CBOR: a syntax error at byte {offset}")
        }
        Error::Io(_) => "the request body is not valid CBOR: it ends early".to_owned(),
        Error::RecursionLimitExceeded => {
            format!("the request body nests deeper than {CBOR_DEPTH} levels")
        }
    }
}

/// Decodes `body` as `I`, calls `f`, encodes its output.
fn call<I, O>(
    protocol: Protocol,
    body: &[u8],
    f: impl FnOnce(I) -> Result<O, ServiceError>,
) -> Result<Vec<u8>, ServiceError>
where
    I: DeserializeOwned,
    O: Serialize,
{
    let input = protocol.decode(body)?;
    let output = f(input)?;
    protocol.encode(&output)
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

/// Runs the operation named by `target` (the `X-Amz-Target` header) on an AWS JSON 1.1 `body`.
pub fn dispatch(
    service: &Service,
    caller: &Caller,
    target: &str,
    body: &[u8],
) -> Result<Vec<u8>, ServiceError> {
    let Some((prefix, operation)) = target.split_once('.') else {
        return Err(unknown(target));
    };
    run(service, caller, Protocol::AwsJson, prefix, operation, body)
}

/// Runs `operation` of the service `prefix` names (`AWS242ServiceCatalogService`, ...) on a
/// `body` in `protocol`.
pub fn run(
    service: &Service,
    caller: &Caller,
    protocol: Protocol,
    prefix: &str,
    operation: &str,
    body: &[u8],
) -> Result<Vec<u8>, ServiceError> {
    let unknown_operation = || {
        let shown: String = prefix.chars().take(100).collect();
        let operation: String = operation.chars().take(100).collect();
        unknown(&format!("{shown}.{operation}"))
    };
    macro_rules! route {
        ($($name:literal => $method:ident),* $(,)?) => {
            match operation {
                $($name => call(protocol, body, |input| service.$method(caller, input)),)*
                _ => Err(unknown_operation()),
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
            "CreateProduct" => create_product,
            "DescribeProduct" => describe_product,
            "DescribeProductAsAdmin" => describe_product_as_admin,
            "UpdateProduct" => update_product,
            "DeleteProduct" => delete_product,
            "AssociateProductWithPortfolio" => associate_product_with_portfolio,
            "DisassociateProductFromPortfolio" => disassociate_product_from_portfolio,
            "ListPortfoliosForProduct" => list_portfolios_for_product,
            "SearchProductsAsAdmin" => search_products_as_admin,
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
            "ListProductsForPrincipal" => list_products_for_principal,
            "AuditPortfolioSharing" => audit_portfolio_sharing,
        },
        _ => Err(unknown_operation()),
    }
}

pub(crate) fn unknown(target: &str) -> ServiceError {
    let shown: String = target.chars().take(200).collect();
    ServiceError::unknown_operation(format!("unknown operation `{shown}`"))
}

/// The HTTP status of an error: 500 for server faults, 400 otherwise.
pub fn status_of(kind: ErrorKind) -> u16 {
    if kind.is_server_fault() { 500 } else { 400 }
}

/// AWS's JSON error body, `{"__type": ..., "message": ...}`, with `"Reason"` when the exception
/// has one.
pub fn error_body(error: &ServiceError) -> Vec<u8> {
    let mut body =
        serde_json::json!({ "__type": error.kind().as_str(), "message": error.message() });
    if let (Some(reason), Some(fields)) = (error.reason(), body.as_object_mut()) {
        fields.insert("Reason".to_owned(), reason.into());
    }
    body.to_string().into_bytes()
}
