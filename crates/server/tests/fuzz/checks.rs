//! The checks of the `server_decode` fuzz target (`fuzz/fuzz_targets/server_decode.rs`), shared
//! with the stable replay test `crates/server/tests/fuzz_replay.rs`.
//!
//! An input is one HTTP request, decoded from bytes: the first byte's lowest bit turns signature
//! verification on (with the credentials of [`CREDENTIALS`]); the rest is a head and a body
//! split at the first empty line (`\n\n` or `\r\n\r\n`): the head's first line is `METHOD
//! PATH`, each further line a `Name: value` header. The request goes through the server's whole
//! application (routing, verification, the target or path, JSON or CBOR decoding into typed
//! inputs, the service, encoding), on a fresh in-memory service. Whatever the input, the answer
//! must be AWS-shaped: HTTP 200 or 400 (a panic is caught as 500), an `x-amzn-RequestId`, the
//! content type of the protocol the request speaks (with `smithy-protocol: rpc-v2-cbor` for
//! CBOR), and a body that is a JSON object or a CBOR map; an error body is exactly `__type`
//! (a known exception, as an absolute shape id in CBOR) and a bounded `message`. A request in
//! the Query protocol (a form body without `X-Amz-Target`: IAM and STS) is answered in XML,
//! with IAM's statuses (200, 400, 403, 404, 409) and, for an error, an `<ErrorResponse>` whose
//! `<Code>` is a known one.

use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, Method, Request};
use http_body_util::BodyExt;
use portcullis_model::{AccountId, ErrorKind, Region};
use portcullis_server::sigv4::{Credentials, Verifier};
use portcullis_server::{AppState, IdentityDefaults};
use tower::ServiceExt;

/// The credentials file of inputs with verification on.
pub const CREDENTIALS: &str = "AKIAFUZZ000000000001 fuzz/secret 111111111111\n";

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a current-thread runtime starts")
    })
}

/// The request an input stands for, if it is one HTTP can carry.
fn request_of(data: &[u8]) -> Option<(bool, Request<Body>)> {
    let (&flags, rest) = data.split_first()?;
    let (head, body) = split_head(rest);
    let mut lines = head
        .split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l));
    let first = std::str::from_utf8(lines.next()?).ok()?;
    let (method, path) = first.split_once(' ')?;
    let mut builder = Request::builder()
        .method(Method::from_bytes(method.as_bytes()).ok()?)
        .uri(path);
    for line in lines {
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            continue;
        };
        let (name, value) = (&line[..colon], &line[colon + 1..]);
        let value = value.strip_prefix(b" ").unwrap_or(value);
        if let (Ok(name), Ok(value)) =
            (HeaderName::from_bytes(name), HeaderValue::from_bytes(value))
        {
            builder = builder.header(name, value);
        }
    }
    let request = builder.body(Body::from(body.to_vec())).ok()?;
    Some((flags & 1 == 1, request))
}

fn split_head(data: &[u8]) -> (&[u8], &[u8]) {
    for separator in [&b"\r\n\r\n"[..], b"\n\n"] {
        if let Some(at) = data.windows(separator.len()).position(|w| w == separator) {
            return (&data[..at], &data[at + separator.len()..]);
        }
    }
    (data, &[])
}

/// Sends the request of `data` through the application and checks the answer.
pub fn check_server_decode(data: &[u8]) {
    let Some((verify, request)) = request_of(data) else {
        return;
    };
    let cbor = request.headers().contains_key("smithy-protocol");
    let query = portcullis_server::query::is_query_request(request.headers());
    let defaults = IdentityDefaults {
        account: AccountId::parse("123456789012").expect("a valid account"),
        region: Region::parse("us-east-1").expect("a valid region"),
    };
    let mut state = AppState::new(Arc::new(portcullis_api::Service::default()), defaults);
    if verify {
        let credentials = Credentials::parse(CREDENTIALS).expect("valid credentials");
        state = state.verifying(Verifier::new(credentials));
    }
    let app = portcullis_server::router(state);
    let (parts, body) = runtime().block_on(async move {
        let response = app
            .oneshot(request)
            .await
            .expect("the router is infallible");
        let (parts, body) = response.into_parts();
        let body = body
            .collect()
            .await
            .expect("a response body is in memory")
            .to_bytes();
        (parts, body)
    });
    let status = parts.status.as_u16();
    assert!(parts.headers.contains_key("x-amzn-requestid"));
    let content_type = parts
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok());
    if query {
        // IAM's and STS's Query protocol: XML, with their statuses (403 for a request that
        // fails verification, 404 and 409 for IAM's NoSuchEntity and EntityAlreadyExists).
        assert!(
            [200, 400, 403, 404, 409].contains(&status),
            "status {status}: {body:?}"
        );
        assert_eq!(content_type, Some("text/xml"));
        let text = std::str::from_utf8(&body).expect("the answer is UTF-8");
        if status == 200 {
            assert!(text.contains("Response xmlns=\"https://"), "{text}");
        } else {
            let code = text
                .split_once("<Code>")
                .and_then(|(_, rest)| rest.split_once("</Code>"))
                .map(|(code, _)| code)
                .unwrap_or_else(|| panic!("no <Code> in {text}"));
            assert!(
                ErrorKind::ALL
                    .into_iter()
                    .any(|kind| portcullis_server::query::code_of(kind) == code),
                "unknown error code {code}"
            );
            assert!(text.starts_with("<ErrorResponse"), "{text}");
            assert!(text.len() < 8192, "{text}");
        }
        return;
    }
    assert!(status == 200 || status == 400, "status {status}: {body:?}");
    if cbor {
        assert_eq!(content_type, Some("application/cbor"));
        assert_eq!(
            parts
                .headers
                .get("smithy-protocol")
                .and_then(|v| v.to_str().ok()),
            Some("rpc-v2-cbor")
        );
        let value: ciborium::Value =
            ciborium::de::from_reader(&body[..]).expect("the answer is CBOR");
        let members = value.as_map().expect("the answer is a CBOR map");
        if status == 400 {
            assert_eq!(members.len(), 2, "{value:?}");
            let text = |name: &str| {
                members
                    .iter()
                    .find(|(k, _)| k.as_text() == Some(name))
                    .and_then(|(_, v)| v.as_text())
                    .unwrap_or_else(|| panic!("no `{name}` in {value:?}"))
            };
            let (namespace, kind) = text("__type")
                .split_once('#')
                .expect("an absolute shape id");
            assert!(
                [
                    "com.amazonaws.servicecatalog",
                    "com.amazonaws.organizations"
                ]
                .contains(&namespace),
                "{namespace}"
            );
            assert!(
                ErrorKind::from_name(kind).is_some(),
                "unknown exception {kind}"
            );
            assert!(text("message").len() < 4096);
        }
    } else {
        assert_eq!(content_type, Some("application/x-amz-json-1.1"));
        let value: serde_json::Value = serde_json::from_slice(&body).expect("the answer is JSON");
        let members = value.as_object().expect("the answer is a JSON object");
        if status == 400 {
            assert_eq!(members.len(), 2, "{value}");
            let kind = value["__type"].as_str().expect("a `__type`");
            assert!(
                ErrorKind::from_name(kind).is_some(),
                "unknown exception {kind}"
            );
            assert!(value["message"].as_str().expect("a `message`").len() < 4096);
        }
    }
}
