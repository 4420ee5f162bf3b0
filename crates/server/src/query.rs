//! The AWS Query protocol, for the IAM subset and STS `GetCallerIdentity` (SPEC §1, §7): a
//! form-encoded body (`Action=CreateUser&Version=2010-05-08&UserName=…`), an XML response
//! (`<CreateUserResponse><CreateUserResult>…</CreateUserResult><ResponseMetadata>…`) and XML
//! errors (`<ErrorResponse><Error><Type>Sender</Type><Code>…`). The service is the one the SigV4
//! credential scope names (`…/us-east-1/iam/aws4_request`); without one, the action decides.
//! No business rule lives here: every action is one call into [`portcullis_api::Service`].

use portcullis_api::Service;
use portcullis_model::{Caller, ErrorKind, ServiceError};
use serde::ser::SerializeMap;
use serde::{Serialize, de::DeserializeOwned};

/// The content type of every Query response.
pub const CONTENT_TYPE: &str = "text/xml";

/// A service served over the Query protocol.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueryService {
    /// IAM, API version 2010-05-08.
    Iam,
    /// STS, API version 2011-06-15.
    Sts,
}

impl QueryService {
    /// Its SigV4 signing name (the service of the credential scope).
    pub fn signing_name(self) -> &'static str {
        match self {
            QueryService::Iam => "iam",
            QueryService::Sts => "sts",
        }
    }

    /// The XML namespace of its responses.
    pub fn namespace(self) -> &'static str {
        match self {
            QueryService::Iam => "https://iam.amazonaws.com/doc/2010-05-08/",
            QueryService::Sts => "https://sts.amazonaws.com/doc/2011-06-15/",
        }
    }

    /// The service the credential scope of an `Authorization` header names, if it is one of
    /// these (`Credential=AKID/20250101/us-east-1/iam/aws4_request`).
    pub fn from_authorization(authorization: Option<&str>) -> Option<QueryService> {
        let credential = authorization?
            .split([',', ' '])
            .find_map(|part| part.trim().strip_prefix("Credential="))?;
        match credential.split('/').nth(3)? {
            "iam" => Some(QueryService::Iam),
            "sts" => Some(QueryService::Sts),
            _ => None,
        }
    }
}

/// Whether a request is a Query request: a form-encoded body, no `X-Amz-Target`, and no
/// `smithy-protocol` (a request naming the Smithy protocol is RPC v2 CBOR whatever its content
/// type; fuzzing found a form content type with `smithy-protocol` answered in XML).
pub fn is_query_request(headers: &axum::http::HeaderMap) -> bool {
    let target = headers.get("x-amz-target").and_then(|v| v.to_str().ok());
    target.is_none()
        && !headers.contains_key("smithy-protocol")
        && headers
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|c| {
                c.trim_start()
                    .to_ascii_lowercase()
                    .starts_with("application/x-www-form-urlencoded")
            })
}

/// The `Action` of a form body, if it names one.
pub fn action_of(body: &[u8]) -> Option<String> {
    form_urlencoded::parse(body)
        .find(|(k, _)| k == "Action")
        .map(|(_, v)| v.into_owned())
}

/// The service of a Query request: the credential scope's, else STS for `GetCallerIdentity` and
/// IAM for anything else.
pub fn service_of(authorization: Option<&str>, action: Option<&str>) -> QueryService {
    QueryService::from_authorization(authorization).unwrap_or(match action {
        Some("GetCallerIdentity") => QueryService::Sts,
        _ => QueryService::Iam,
    })
}

/// The response envelope: `<{Action}Response xmlns=…><{Action}Result>…</{Action}Result>
/// <ResponseMetadata><RequestId>…</RequestId></ResponseMetadata></{Action}Response>`.
struct Envelope<'a, T> {
    namespace: &'a str,
    result: String,
    output: &'a T,
    request_id: &'a str,
}

#[derive(Serialize)]
struct ResponseMetadata<'a> {
    #[serde(rename = "RequestId")]
    request_id: &'a str,
}

impl<T: Serialize> Serialize for Envelope<'_, T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(3))?;
        map.serialize_entry("@xmlns", self.namespace)?;
        map.serialize_entry(&self.result, self.output)?;
        map.serialize_entry(
            "ResponseMetadata",
            &ResponseMetadata {
                request_id: self.request_id,
            },
        )?;
        map.end()
    }
}

/// Decodes `body` as `I`, calls `f`, encodes its output for `action`.
fn call<I, O>(
    service: QueryService,
    action: &str,
    body: &[u8],
    request_id: &str,
    f: impl FnOnce(I) -> Result<O, ServiceError>,
) -> Result<Vec<u8>, ServiceError>
where
    I: DeserializeOwned,
    O: Serialize,
{
    let input: I = serde_urlencoded::from_bytes(body).map_err(|e| {
        ServiceError::new(
            ErrorKind::ValidationError,
            format!("the request body is not a valid form: {e}"),
        )
    })?;
    let output = f(input)?;
    let envelope = Envelope {
        namespace: service.namespace(),
        result: format!("{action}Result"),
        output: &output,
        request_id,
    };
    quick_xml::se::to_string_with_root(&format!("{action}Response"), &envelope)
        .map(String::into_bytes)
        .map_err(|e| ServiceError::internal_failure(format!("could not encode the response: {e}")))
}

/// Runs the `Action` of a Query request for `service` and answers its XML body.
pub fn dispatch(
    api: &Service,
    caller: &Caller,
    service: QueryService,
    body: &[u8],
    request_id: &str,
) -> Result<Vec<u8>, ServiceError> {
    if std::str::from_utf8(body).is_err() {
        return Err(ServiceError::new(
            ErrorKind::ValidationError,
            "the request body is not valid UTF-8",
        ));
    }
    let Some(action) = action_of(body) else {
        return Err(ServiceError::new(
            ErrorKind::InvalidAction,
            "the request names no `Action`",
        ));
    };
    macro_rules! route {
        ($($name:literal => $method:ident),* $(,)?) => {
            match action.as_str() {
                $($name => call(service, &action, body, request_id, |input| api.$method(caller, input)),)*
                _ => Err(unknown(service, &action)),
            }
        };
    }
    match service {
        QueryService::Iam => route! {
            "CreateUser" => create_user,
            "GetUser" => get_user,
            "DeleteUser" => delete_user,
            "ListUsers" => list_users,
            "CreateRole" => create_role,
            "GetRole" => get_role,
            "DeleteRole" => delete_role,
            "ListRoles" => list_roles,
            "CreateGroup" => create_group,
            "GetGroup" => get_group,
            "DeleteGroup" => delete_group,
            "ListGroups" => list_groups,
        },
        QueryService::Sts => route! {
            "GetCallerIdentity" => get_caller_identity,
        },
    }
}

fn unknown(service: QueryService, action: &str) -> ServiceError {
    let shown: String = action.chars().take(100).collect();
    let version = match service {
        QueryService::Iam => "2010-05-08",
        QueryService::Sts => "2011-06-15",
    };
    ServiceError::new(
        ErrorKind::InvalidAction,
        format!("Could not find operation {shown} for version {version}"),
    )
}

/// The code IAM and STS give an error in their Query protocol. Their names for the signature
/// failures are not the JSON services' (IAM's and STS's "Common Errors" pages):
/// `MissingAuthenticationToken`, `IncompleteSignature`, `InvalidClientTokenId` for an unknown
/// access key, and `SignatureDoesNotMatch` for a wrong signature or a time outside the window
/// (`Signature expired: ...`). Every other kind keeps its own name.
pub fn code_of(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::MissingAuthenticationToken => "MissingAuthenticationToken",
        ErrorKind::IncompleteSignature => "IncompleteSignature",
        ErrorKind::UnrecognizedClient => "InvalidClientTokenId",
        ErrorKind::InvalidSignature => "SignatureDoesNotMatch",
        kind => kind.as_str(),
    }
}

/// The HTTP status IAM and STS answer an error with: 403 for an unauthenticated request, as
/// their "Common Errors" pages list (`IncompleteSignature` stays 400).
pub fn status_of(kind: ErrorKind) -> u16 {
    match kind {
        ErrorKind::EntityAlreadyExists => 409,
        ErrorKind::NoSuchEntity => 404,
        ErrorKind::MissingAuthenticationToken
        | ErrorKind::UnrecognizedClient
        | ErrorKind::InvalidSignature => 403,
        kind if kind.is_server_fault() => 500,
        _ => 400,
    }
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct ErrorDetail<'a> {
    #[serde(rename = "Type")]
    kind: &'a str,
    code: &'a str,
    message: &'a str,
}

#[derive(Serialize)]
struct ErrorResponse<'a> {
    #[serde(rename = "@xmlns")]
    namespace: &'a str,
    #[serde(rename = "Error")]
    error: ErrorDetail<'a>,
    #[serde(rename = "RequestId")]
    request_id: &'a str,
}

/// The Query protocol's XML error body.
pub fn error_body(service: QueryService, error: &ServiceError, request_id: &str) -> Vec<u8> {
    let body = ErrorResponse {
        namespace: service.namespace(),
        error: ErrorDetail {
            kind: if error.kind().is_server_fault() {
                "Receiver"
            } else {
                "Sender"
            },
            code: code_of(error.kind()),
            message: error.message(),
        },
        request_id,
    };
    quick_xml::se::to_string_with_root("ErrorResponse", &body)
        .map(String::into_bytes)
        // Every part is a plain string: encoding cannot fail, but a fault is still answered.
        .unwrap_or_else(|_| b"<ErrorResponse/>".to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_credential_scope_names_the_service() {
        let h = |s: &str| {
            format!(
                "AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/{s}/aws4_request, SignedHeaders=host, Signature=x"
            )
        };
        assert_eq!(
            QueryService::from_authorization(Some(&h("iam"))),
            Some(QueryService::Iam)
        );
        assert_eq!(
            QueryService::from_authorization(Some(&h("sts"))),
            Some(QueryService::Sts)
        );
        assert_eq!(
            QueryService::from_authorization(Some(&h("servicecatalog"))),
            None
        );
        assert_eq!(
            service_of(None, Some("GetCallerIdentity")),
            QueryService::Sts
        );
        assert_eq!(service_of(None, Some("ListUsers")), QueryService::Iam);
    }

    #[test]
    fn errors_are_xml_with_type_code_and_message() {
        let e = ServiceError::new(
            ErrorKind::NoSuchEntity,
            "The user with name a<b cannot be found.",
        );
        let body = String::from_utf8(error_body(QueryService::Iam, &e, "rid")).unwrap();
        assert_eq!(
            body,
            "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error><Type>Sender</Type>\
             <Code>NoSuchEntity</Code><Message>The user with name a&lt;b cannot be found.</Message>\
             </Error><RequestId>rid</RequestId></ErrorResponse>"
        );
        assert_eq!(status_of(ErrorKind::NoSuchEntity), 404);
        assert_eq!(status_of(ErrorKind::EntityAlreadyExists), 409);
        assert_eq!(status_of(ErrorKind::ValidationError), 400);
        assert_eq!(status_of(ErrorKind::InternalFailure), 500);
    }

    #[test]
    fn signature_failures_get_iam_and_sts_names_and_statuses_in_the_query_protocol() {
        for (kind, code, status) in [
            (
                ErrorKind::MissingAuthenticationToken,
                "MissingAuthenticationToken",
                403,
            ),
            (ErrorKind::IncompleteSignature, "IncompleteSignature", 400),
            (ErrorKind::UnrecognizedClient, "InvalidClientTokenId", 403),
            (ErrorKind::InvalidSignature, "SignatureDoesNotMatch", 403),
            (ErrorKind::NoSuchEntity, "NoSuchEntity", 404),
        ] {
            assert_eq!(code_of(kind), code);
            assert_eq!(status_of(kind), status, "{code}");
        }
    }
}
