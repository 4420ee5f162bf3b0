//! botocore's own Smithy RPC v2 CBOR protocol tests (`tests/unit/protocols/*/smithy-rpc-v2-cbor.json`
//! of botocore 1.44.8, Apache-2.0, copied unchanged into `tests/fixtures/botocore/`), turned into
//! server-side fixtures:
//!
//! - every input case's body is what botocore's serializer sends: the server's CBOR decoding
//!   reads it to the case's parameters (blobs as byte strings, timestamps as tag 1, NaN and the
//!   infinities, definite and indefinite lengths), and the real server, given it with the
//!   case's headers as the input of a Service Catalog operation, skips the members it does not
//!   know and answers 200 (Smithy: servers skip unknown members);
//! - every output error case's body is what botocore's parser reads an error from: the
//!   server's own errors have the same form (`__type` the error shape's absolute id, as
//!   botocore's `errorCode` is its name after `#`, with the protocol's headers).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use base64::Engine as _;
use ciborium::Value;
use common::*;
use portcullis_server::wire::Protocol;
use serde_json::Value as Json;

fn cases(file: &str) -> Vec<Json> {
    let path = format!(
        "{}/tests/fixtures/botocore/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    let suites: Vec<Json> = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    suites
        .iter()
        .flat_map(|suite| suite["cases"].as_array().unwrap().clone())
        .collect()
}

fn bytes_of(base64: &str) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(base64)
        .unwrap()
}

/// A decoded CBOR value as the fixtures write parameters: blobs as their UTF-8 text, tagged
/// timestamps as their number, NaN and the infinities as `"NaN"`, `"Infinity"`, `"-Infinity"`,
/// and null members left out (botocore does not serialize them).
fn as_params(value: &Value) -> Json {
    match value {
        Value::Integer(i) => Json::from(i128::from(*i) as i64),
        Value::Bytes(b) => Json::from(String::from_utf8(b.clone()).unwrap()),
        Value::Float(f) if f.is_nan() => Json::from("NaN"),
        Value::Float(f) if f.is_infinite() && *f > 0.0 => Json::from("Infinity"),
        Value::Float(f) if f.is_infinite() => Json::from("-Infinity"),
        Value::Float(f) => Json::from(*f),
        Value::Text(s) => Json::from(s.clone()),
        Value::Bool(b) => Json::from(*b),
        Value::Null => Json::Null,
        Value::Tag(1, inner) => as_params(inner),
        Value::Array(items) => Json::Array(items.iter().map(as_params).collect()),
        Value::Map(members) => Json::Object(
            members
                .iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.as_text().unwrap().to_owned(), as_params(v)))
                .collect(),
        ),
        other => panic!("no parameter form for {other:?}"),
    }
}

/// The case's parameters, with the null members botocore leaves out left out.
fn without_nulls(params: &Json) -> Json {
    match params {
        Json::Object(members) => Json::Object(
            members
                .iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), without_nulls(v)))
                .collect(),
        ),
        Json::Array(items) => Json::Array(items.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

/// Numbers compared by value: the fixtures write a float `7.625` as JSON would, CBOR may carry
/// it as half, single or double precision.
fn same(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => x.as_f64() == y.as_f64(),
        (Json::Array(x), Json::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Json::Object(x), Json::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        (a, b) => a == b,
    }
}

#[test]
fn the_server_reads_every_body_botocores_cbor_serializer_sends() {
    let cases = cases("input-smithy-rpc-v2-cbor.json");
    assert_eq!(cases.len(), 15, "botocore 1.44.8 has 15 input cases");
    for case in &cases {
        let id = case["id"].as_str().unwrap();
        let body = bytes_of(case["serialized"]["body"].as_str().unwrap_or(""));
        // The server's own decoding, as every operation's input is read.
        let decoded: Value = Protocol::RpcV2Cbor.decode(&body).unwrap_or_else(|e| {
            panic!("{id}: {e:?}");
        });
        let read = as_params(&decoded);
        let expected = without_nulls(&case["params"]);
        assert!(
            same(&read, &expected),
            "{id}: read {read}, expected {expected}"
        );
    }
}

#[tokio::test]
async fn the_real_server_skips_the_members_it_does_not_know_in_every_botocore_body() {
    let server = Server::start();
    for case in &cases("input-smithy-rpc-v2-cbor.json") {
        let id = case["id"].as_str().unwrap();
        let serialized = &case["serialized"];
        let body = bytes_of(serialized["body"].as_str().unwrap_or(""));
        // botocore's headers, the case's service and operation swapped for ListPortfolios
        // (whose members, PageSize, PageToken and AcceptLanguage, no case uses).
        let uri = serialized["uri"].as_str().unwrap();
        assert!(
            uri.starts_with("/service/RpcV2Protocol/operation/"),
            "{id}: {uri}"
        );
        let mut headers: Vec<(String, String)> = serialized["headers"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
            .collect();
        headers.push((
            "Authorization".into(),
            authorization(MANAGEMENT, "us-east-1"),
        ));
        let response = server
            .request_to(
                "POST",
                "/service/AWS242ServiceCatalogService/operation/ListPortfolios",
                &headers,
                &body,
            )
            .await;
        let answer: Value = ciborium::de::from_reader(&response.body[..]).unwrap();
        assert_eq!(response.status, 200, "{id}: {answer:?}");
        assert_eq!(
            response.header("smithy-protocol"),
            Some("rpc-v2-cbor"),
            "{id}"
        );
        assert_eq!(
            response.header("content-type"),
            Some("application/cbor"),
            "{id}"
        );
    }
}

#[tokio::test]
async fn the_servers_errors_have_the_form_botocores_error_cases_read() {
    let errors: Vec<Json> = cases("output-smithy-rpc-v2-cbor.json")
        .into_iter()
        .filter(|case| case.get("errorCode").is_some())
        .collect();
    assert_eq!(errors.len(), 3, "botocore 1.44.8 has 3 error cases");
    let type_of = |value: &Value| -> String {
        value
            .as_map()
            .unwrap()
            .iter()
            .find(|(k, _)| k.as_text() == Some("__type"))
            .and_then(|(_, v)| v.as_text())
            .unwrap()
            .to_owned()
    };
    for case in &errors {
        let id = case["id"].as_str().unwrap();
        let response = &case["response"];
        let body: Value =
            ciborium::de::from_reader(&bytes_of(response["body"].as_str().unwrap())[..]).unwrap();
        // The case's form: `__type` is `namespace#Name`, and the error code botocore reports
        // is the name.
        let kind = type_of(&body);
        let (namespace, name) = kind.split_once('#').unwrap();
        assert!(!namespace.is_empty(), "{id}");
        assert_eq!(name, case["errorCode"].as_str().unwrap(), "{id}");
        assert_eq!(
            response["headers"]["smithy-protocol"], "rpc-v2-cbor",
            "{id}"
        );
        assert_eq!(response["status_code"], 400, "{id}");
    }

    // The server's: the same form, status and headers.
    let server = Server::start();
    let response = server
        .request_to(
            "POST",
            "/service/AWS242ServiceCatalogService/operation/DescribePortfolio",
            &[
                ("smithy-protocol".into(), "rpc-v2-cbor".into()),
                ("Content-Type".into(), "application/cbor".into()),
                ("Accept".into(), "application/cbor".into()),
                (
                    "Authorization".into(),
                    authorization(MANAGEMENT, "us-east-1"),
                ),
            ],
            &{
                let mut body = Vec::new();
                ciborium::ser::into_writer(
                    &Value::Map(vec![(
                        Value::Text("Id".into()),
                        Value::Text("port-aaaaaaaaaaaaa".into()),
                    )]),
                    &mut body,
                )
                .unwrap();
                body
            },
        )
        .await;
    assert_eq!(response.status, 400);
    assert_eq!(response.header("smithy-protocol"), Some("rpc-v2-cbor"));
    assert_eq!(response.header("content-type"), Some("application/cbor"));
    let body: Value = ciborium::de::from_reader(&response.body[..]).unwrap();
    assert_eq!(
        type_of(&body),
        "com.amazonaws.servicecatalog#ResourceNotFoundException"
    );
}
