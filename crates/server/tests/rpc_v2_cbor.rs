//! Smithy RPC v2 CBOR against the real `portcullis` binary: the server-side cases of the Smithy
//! protocol test suite (`smithy-lang/smithy`, `smithy-protocol-tests/model/rpcv2Cbor`), each
//! named after its test id and applied to a Service Catalog operation; the protocol's routing,
//! headers, errors and timestamps; and one code path below the wire (the same calls over CBOR
//! and AWS JSON 1.1 give the same answers). botocore forced onto the protocol is in
//! `e2e/cbor_check.py`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use ciborium::Value;
use common::*;
use serde_json::json;

const PATH: &str = "/service/AWS242ServiceCatalogService/operation/";

// ---- CBOR by hand, for encodings a serializer would not choose ---------------------------------

/// A definite-length text string.
fn text(s: &str) -> Vec<u8> {
    head(3, s.len() as u64)
        .into_iter()
        .chain(s.bytes())
        .collect()
}

/// An indefinite-length text string of these chunks.
fn chunked(chunks: &[&str]) -> Vec<u8> {
    let mut out = vec![0x7f];
    for chunk in chunks {
        out.extend(text(chunk));
    }
    out.push(0xff);
    out
}

/// The head of a data item of major type `major` with argument `n`, in its shortest form.
fn head(major: u8, n: u64) -> Vec<u8> {
    let m = major << 5;
    match n {
        0..=23 => vec![m | n as u8],
        24..=0xff => vec![m | 24, n as u8],
        0x100..=0xffff => [vec![m | 25], (n as u16).to_be_bytes().to_vec()].concat(),
        0x1_0000..=0xffff_ffff => [vec![m | 26], (n as u32).to_be_bytes().to_vec()].concat(),
        _ => [vec![m | 27], n.to_be_bytes().to_vec()].concat(),
    }
}

/// A definite-length map of these encoded pairs.
fn map(pairs: &[(Vec<u8>, Vec<u8>)]) -> Vec<u8> {
    let mut out = head(5, pairs.len() as u64);
    for (k, v) in pairs {
        out.extend(k);
        out.extend(v);
    }
    out
}

/// An indefinite-length map of these encoded pairs.
fn indefinite_map(pairs: &[(Vec<u8>, Vec<u8>)]) -> Vec<u8> {
    let mut out = vec![0xbf];
    for (k, v) in pairs {
        out.extend(k);
        out.extend(v);
    }
    out.push(0xff);
    out
}

fn encode(value: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    ciborium::ser::into_writer(value, &mut out).unwrap();
    out
}

/// A CBOR map value from JSON-like pairs of text keys.
fn cbor(value: serde_json::Value) -> Vec<u8> {
    let value: Value = Value::serialized(&value).unwrap();
    encode(&value)
}

/// The headers of an RPC v2 CBOR request from `account` (Smithy's `requireHeaders`).
fn headers(account: &str) -> Vec<(String, String)> {
    vec![
        ("smithy-protocol".into(), "rpc-v2-cbor".into()),
        ("Content-Type".into(), "application/cbor".into()),
        ("Accept".into(), "application/cbor".into()),
        ("Authorization".into(), authorization(account, "us-east-1")),
    ]
}

async fn send(server: &Server, operation: &str, body: &[u8]) -> Response {
    server
        .request_to(
            "POST",
            &format!("{PATH}{operation}"),
            &headers(MANAGEMENT),
            body,
        )
        .await
}

/// The decoded CBOR body.
fn body(response: &Response) -> Value {
    ciborium::de::from_reader(&response.body[..]).unwrap_or_else(|e| {
        panic!("the body is not CBOR ({e}): {:?}", response.body);
    })
}

/// A member of a CBOR map.
fn member<'a>(value: &'a Value, name: &str) -> Option<&'a Value> {
    value
        .as_map()
        .unwrap()
        .iter()
        .find(|(k, _)| k.as_text() == Some(name))
        .map(|(_, v)| v)
}

/// Asserts a 200 answer with the protocol's headers; its body.
fn ok(response: &Response) -> Value {
    assert_eq!(
        response.status,
        200,
        "{:?}",
        ciborium::de::from_reader::<Value, _>(&response.body[..])
    );
    assert_protocol_headers(response);
    body(response)
}

fn assert_protocol_headers(response: &Response) {
    assert_eq!(response.header("smithy-protocol"), Some("rpc-v2-cbor"));
    assert_eq!(response.header("content-type"), Some("application/cbor"));
    assert!(response.header("x-amzn-requestid").is_some());
}

/// Asserts an RPC v2 CBOR error: the status, the protocol's headers, and a body of exactly
/// `__type` (the exception's absolute shape id) and `message`. Returns the message.
fn assert_error(response: &Response, status: u16, kind: &str) -> String {
    assert_eq!(response.status, status, "{:?}", body(response));
    assert_protocol_headers(response);
    let value = body(response);
    let members = value.as_map().unwrap();
    assert_eq!(members.len(), 2, "{value:?}");
    assert_eq!(
        member(&value, "__type").and_then(Value::as_text),
        Some(format!("com.amazonaws.servicecatalog#{kind}").as_str()),
        "{value:?}"
    );
    member(&value, "message")
        .and_then(Value::as_text)
        .unwrap()
        .to_owned()
}

async fn create_portfolio(server: &Server, name: &str) -> String {
    let created = ok(&send(
        server,
        "CreatePortfolio",
        &cbor(json!({"DisplayName": name, "ProviderName": "platform"})),
    )
    .await);
    let detail = member(&created, "PortfolioDetail").unwrap();
    member(detail, "Id")
        .and_then(Value::as_text)
        .unwrap()
        .to_owned()
}

fn display_name(detail: &Value) -> &str {
    member(detail, "DisplayName")
        .and_then(Value::as_text)
        .unwrap()
}

// ---- the Smithy protocol tests (server side) ---------------------------------------------------

#[tokio::test]
async fn smithy_empty_input_cases_no_body_and_empty_indefinite_map() {
    let server = Server::start();
    // NoInputServerAllowsEmptyCbor / empty_input: `{}` as an indefinite-length map (`v/8=`).
    let listed = ok(&send(&server, "ListPortfolios", &[0xbf, 0xff]).await);
    assert_eq!(
        member(&listed, "PortfolioDetails"),
        Some(&Value::Array(vec![]))
    );
    // NoInputServerAllowsEmptyBody / empty_input_no_body / empty_input_no_body_has_accept.
    ok(&send(&server, "ListPortfolios", b"").await);
    ok(&send(&server, "ListAcceptedPortfolioShares", b"").await);
}

#[tokio::test]
async fn smithy_rpc_v2_cbor_simple_scalar_properties_using_indefinite_length() {
    // A definite-length map whose key is an indefinite-length string.
    let server = Server::start();
    let body = map(&[
        (chunked(&["Display", "Name"]), text("indefinite key")),
        (text("ProviderName"), text("platform")),
    ]);
    let created = ok(&send(&server, "CreatePortfolio", &body).await);
    let detail = member(&created, "PortfolioDetail").unwrap();
    assert_eq!(display_name(detail), "indefinite key");
}

#[tokio::test]
async fn smithy_rpc_v2_cbor_server_doesnt_deserialize_null_structure_values() {
    // `null` (0xf6) is an absent member; so is `undefined` (0xf7), which servers MUST read as
    // null.
    let server = Server::start();
    for null in [0xf6u8, 0xf7] {
        let body = indefinite_map(&[
            (text("DisplayName"), text("nulls")),
            (text("ProviderName"), text("platform")),
            (text("Description"), vec![null]),
            (text("Tags"), vec![null]),
        ]);
        let created = ok(&send(&server, "CreatePortfolio", &body).await);
        let detail = member(&created, "PortfolioDetail").unwrap();
        // RpcV2CborServerDoesntSerializeNullStructureValues: absent members are left out.
        assert_eq!(member(detail, "Description"), None, "{detail:?}");
        let tags = member(&created, "Tags");
        assert!(
            tags.is_none() || tags == Some(&Value::Array(vec![])),
            "{created:?}"
        );
    }
}

#[tokio::test]
async fn smithy_rpc_v2_cbor_indefinite_length_strings_can_be_deserialized() {
    let server = Server::start();
    let body = map(&[
        (
            text("DisplayName"),
            chunked(&["An example indefinite string,", " chunked on comma"]),
        ),
        (text("ProviderName"), chunked(&[])),
    ]);
    let response = send(&server, "CreatePortfolio", &body).await;
    // An empty indefinite string is the empty string: ProviderName is then invalid, which
    // shows both strings were read.
    let message = assert_error(&response, 400, "InvalidParametersException");
    assert!(message.contains("ProviderName"), "{message}");
    let body = map(&[
        (
            text("DisplayName"),
            chunked(&["An example indefinite string,", " chunked on comma"]),
        ),
        (text("ProviderName"), chunked(&["plat", "form"])),
    ]);
    let created = ok(&send(&server, "CreatePortfolio", &body).await);
    let detail = member(&created, "PortfolioDetail").unwrap();
    assert_eq!(
        display_name(detail),
        "An example indefinite string, chunked on comma"
    );
}

#[tokio::test]
async fn smithy_rpc_v2_cbor_indefinite_string_inside_indefinite_and_definite_list() {
    let server = Server::start();
    let tag = |key: &[&str], value: &[&str]| {
        indefinite_map(&[(text("Key"), chunked(key)), (text("Value"), chunked(value))])
    };
    // An indefinite-length list of tags, then a definite one, of indefinite strings.
    let indefinite_list = [
        vec![0x9f],
        tag(&["te", "am"], &["plat", "form"]),
        tag(&["co", "st"], &["cen", "ter"]),
        vec![0xff],
    ]
    .concat();
    let definite_list = [
        head(4, 2),
        tag(&["te", "am"], &["plat", "form"]),
        tag(&["co", "st"], &["cen", "ter"]),
    ]
    .concat();
    for list in [indefinite_list, definite_list] {
        let body = map(&[
            (text("DisplayName"), text("tags")),
            (text("ProviderName"), text("platform")),
            (text("Tags"), list),
        ]);
        let created = ok(&send(&server, "CreatePortfolio", &body).await);
        let mut tags: Vec<(String, String)> = member(&created, "Tags")
            .and_then(Value::as_array)
            .unwrap()
            .iter()
            .map(|t| {
                (
                    member(t, "Key")
                        .and_then(Value::as_text)
                        .unwrap()
                        .to_owned(),
                    member(t, "Value")
                        .and_then(Value::as_text)
                        .unwrap()
                        .to_owned(),
                )
            })
            .collect();
        tags.sort();
        assert_eq!(
            tags,
            [
                ("cost".to_owned(), "center".to_owned()),
                ("team".to_owned(), "platform".to_owned())
            ]
        );
    }
}

#[tokio::test]
async fn smithy_rpc_v2_cbor_supports_upcasting_data() {
    // An integer member in any width CBOR offers.
    let server = Server::start();
    for name in ["a", "b", "c"] {
        create_portfolio(&server, name).await;
    }
    for size in [
        vec![0x02],
        vec![0x18, 0x02],
        vec![0x19, 0x00, 0x02],
        vec![0x1a, 0, 0, 0, 0x02],
        vec![0x1b, 0, 0, 0, 0, 0, 0, 0, 0x02],
    ] {
        let listed = ok(&send(&server, "ListPortfolios", &map(&[(text("PageSize"), size)])).await);
        let details = member(&listed, "PortfolioDetails")
            .and_then(Value::as_array)
            .unwrap();
        assert_eq!(details.len(), 2);
        assert!(member(&listed, "NextPageToken").is_some());
    }
}

#[tokio::test]
async fn smithy_rpc_v2_cbor_extra_fields_in_the_body_should_be_skipped_by_servers() {
    let server = Server::start();
    let extra = indefinite_map(&[
        (
            text("indefiniteLengthMap"),
            indefinite_map(&[(text("withAnArray"), vec![0x9f, 0x01, 0x02, 0x03, 0xff])]),
        ),
        (
            text("definiteLengthMap"),
            map(&[
                (text("withADefiniteArray"), vec![0x83, 0x01, 0x02, 0x03]),
                (
                    text("andSomeIndefiniteLengthString"),
                    chunked(&["that has,", " been chunked on comma"]),
                ),
                (text("normalString"), text("foo")),
                (text("shortValue"), vec![0x19, 0x27, 0x0f]),
            ]),
        ),
        (text("someOtherField"), text("this should be skipped")),
    ]);
    let body = indefinite_map(&[
        (text("DisplayName"), text("extra")),
        (text("extraObject"), extra),
        (text("ProviderName"), text("platform")),
        (text("aFloat"), vec![0xfa, 0x40, 0xf4, 0, 0]),
        (text("aBlob"), vec![0x43, b'f', b'o', b'o']),
        (text("aTimestamp"), vec![0xc1, 0x1a, 0x5d, 0xf7, 0xa4, 0xc2]),
    ]);
    let created = ok(&send(&server, "CreatePortfolio", &body).await);
    assert_eq!(
        display_name(member(&created, "PortfolioDetail").unwrap()),
        "extra"
    );
}

#[tokio::test]
async fn smithy_rpc_v2_cbor_servers_should_handle_no_accept_header() {
    let server = Server::start();
    let headers: Vec<(String, String)> = headers(MANAGEMENT)
        .into_iter()
        .filter(|(name, _)| name != "Accept")
        .collect();
    let response = server
        .request_to(
            "POST",
            &format!("{PATH}CreatePortfolio"),
            &headers,
            &cbor(json!({"DisplayName": "no accept", "ProviderName": "platform"})),
        )
        .await;
    ok(&response);
}

#[tokio::test]
async fn smithy_rpc_v2_cbor_errors_carry_the_absolute_shape_id() {
    // RpcV2CborInvalidGreetingError: `__type` is the error's absolute shape id, `message` its
    // message, HTTP 400 for client errors.
    let server = Server::start();
    let response = send(
        &server,
        "DescribePortfolio",
        &cbor(json!({"Id": "port-abcdefghijklm"})),
    )
    .await;
    let message = assert_error(&response, 400, "ResourceNotFoundException");
    assert!(message.contains("port-abcdefghijklm"), "{message}");
    let response = send(
        &server,
        "CreatePortfolio",
        &cbor(json!({"ProviderName": "platform"})),
    )
    .await;
    assert_error(&response, 400, "InvalidParametersException");
}

#[tokio::test]
async fn smithy_empty_output_is_an_empty_map() {
    // empty_output: an output structure without members is written as the CBOR `{}`.
    let server = Server::start();
    let id = create_portfolio(&server, "empty output").await;
    let response = send(
        &server,
        "AssociatePrincipalWithPortfolio",
        &cbor(json!({"PortfolioId": id, "PrincipalARN": "arn:aws:iam:::role/Dev*", "PrincipalType": "IAM_PATTERN"})),
    )
    .await;
    assert_eq!(ok(&response), Value::Map(vec![]));
}

// ---- the protocol ------------------------------------------------------------------------------

#[tokio::test]
async fn timestamps_are_tag_1_epoch_seconds() {
    let server = Server::start();
    let id = create_portfolio(&server, "time").await;
    let response = send(&server, "DescribePortfolio", &cbor(json!({"Id": id}))).await;
    let detail = member(&body(&response), "PortfolioDetail").unwrap().clone();
    let Some(Value::Tag(1, seconds)) = member(&detail, "CreatedTime") else {
        panic!("CreatedTime is not tag 1: {detail:?}");
    };
    let seconds = match **seconds {
        Value::Float(f) => f,
        Value::Integer(i) => i128::from(i) as f64,
        ref other => panic!("not a number: {other:?}"),
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    assert!((now - seconds).abs() < 120.0, "{seconds} vs {now}");
}

#[tokio::test]
async fn the_service_may_be_named_by_absolute_id_and_the_path_may_have_a_prefix() {
    let server = Server::start();
    for path in [
        "/service/com.amazonaws.servicecatalog.AWS242ServiceCatalogService/operation/ListPortfolios",
        "/v1/service/AWS242ServiceCatalogService/operation/ListPortfolios",
    ] {
        let response = server
            .request_to("POST", path, &headers(MANAGEMENT), b"")
            .await;
        ok(&response);
    }
    // The operation must not be an absolute id; unknown services and operations are unknown.
    for path in [
        "/service/AWS242ServiceCatalogService/operation/com.amazonaws.servicecatalog.ListPortfolios",
        "/service/AWS242ServiceCatalogService/operation/ProvisionProduct",
        "/service/NoSuchService/operation/ListPortfolios",
        "/service/AWS242ServiceCatalogService/ListPortfolios",
        "/",
    ] {
        let response = server
            .request_to("POST", path, &headers(MANAGEMENT), b"")
            .await;
        assert_error(&response, 400, "UnknownOperationException");
    }
}

#[tokio::test]
async fn malformed_rpc_v2_cbor_requests_are_refused_in_cbor_and_change_nothing() {
    let server = Server::start();
    // An X-Amz-Target header: malformed (Smithy: servers MUST reject it).
    let mut with_target = headers(MANAGEMENT);
    with_target.push((
        "X-Amz-Target".into(),
        "AWS242ServiceCatalogService.CreatePortfolio".into(),
    ));
    let create = cbor(json!({"DisplayName": "x", "ProviderName": "y"}));
    let response = server
        .request_to(
            "POST",
            &format!("{PATH}CreatePortfolio"),
            &with_target,
            &create,
        )
        .await;
    assert_error(&response, 400, "SerializationException");
    // Another smithy-protocol; another method.
    let mut json_protocol = headers(MANAGEMENT);
    json_protocol[0].1 = "rpc-v2-json".into();
    let response = server
        .request_to(
            "POST",
            &format!("{PATH}CreatePortfolio"),
            &json_protocol,
            &create,
        )
        .await;
    assert_error(&response, 400, "UnknownOperationException");
    let response = server
        .request_to(
            "GET",
            &format!("{PATH}CreatePortfolio"),
            &headers(MANAGEMENT),
            b"",
        )
        .await;
    assert_error(&response, 400, "UnknownOperationException");
    // Bodies that are not one CBOR map of the input's members.
    let bodies: Vec<(&str, Vec<u8>)> = vec![
        (
            "JSON",
            br#"{"DisplayName": "x", "ProviderName": "y"}"#.to_vec(),
        ),
        (
            "an array",
            encode(&Value::Array(vec![Value::Null, "x".into()])),
        ),
        ("a text string", text("CreatePortfolio")),
        ("truncated", create[..create.len() - 3].to_vec()),
        ("trailing bytes", [create.clone(), vec![0x00]].concat()),
        ("two maps", [create.clone(), create.clone()].concat()),
        ("a break alone", vec![0xff]),
        ("a reserved additional info", vec![0x1c]),
        ("nested too deeply", vec![0x81; 100_000]),
        (
            "a member of the wrong type",
            cbor(json!({"DisplayName": 7, "ProviderName": "y"})),
        ),
        (
            "a nested structure as an array",
            cbor(
                json!({"PortfolioId": "port-abcdefghijklm", "OrganizationNode": ["ORGANIZATION", "o-abcdefghij"]}),
            ),
        ),
        (
            "a tag as an array",
            cbor(json!({"DisplayName": "x", "ProviderName": "y", "Tags": [["k", "v"]]})),
        ),
        (
            "invalid UTF-8 in a text string",
            map(&[(text("DisplayName"), vec![0x62, 0xff, 0xfe])]),
        ),
        (
            "a huge declared length",
            vec![0xa1, 0x7b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
        ),
    ];
    for (what, body) in &bodies {
        // CreatePortfolioShare skips the members it does not know (DisplayName, ...).
        let operation = if what.starts_with("a nested") {
            "CreatePortfolioShare"
        } else {
            "CreatePortfolio"
        };
        let response = send(&server, operation, body).await;
        let message = assert_error(&response, 400, "SerializationException");
        assert!(message.len() < 1000, "{what}: {message}");
    }
    let listed = ok(&send(&server, "ListPortfolios", b"").await);
    assert_eq!(
        member(&listed, "PortfolioDetails"),
        Some(&Value::Array(vec![])),
        "nothing was created"
    );
}

/// A CBOR value as JSON, with tag-1 timestamps as their number (how AWS JSON 1.1 writes them).
fn to_json(value: &Value) -> serde_json::Value {
    match value {
        Value::Tag(1, inner) => to_json(inner),
        Value::Map(pairs) => serde_json::Value::Object(
            pairs
                .iter()
                .map(|(k, v)| (k.as_text().unwrap().to_owned(), to_json(v)))
                .collect(),
        ),
        Value::Array(items) => serde_json::Value::Array(items.iter().map(to_json).collect()),
        Value::Text(s) => json!(s),
        Value::Bool(b) => json!(b),
        Value::Integer(i) => json!(i128::from(*i) as i64),
        Value::Float(f) => json!(f),
        Value::Null => serde_json::Value::Null,
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn the_same_calls_over_cbor_and_json_give_the_same_answers() {
    // One code path below the wire: each step runs on a fresh server over AWS JSON 1.1 and on
    // another over RPC v2 CBOR; answers agree, ids and times aside.
    let (json_server, cbor_server) = (Server::start(), Server::start());
    let steps: Vec<(&str, serde_json::Value)> = vec![
        (
            "CreatePortfolio",
            json!({"DisplayName": "same", "ProviderName": "p", "Description": "d", "Tags": [{"Key": "k", "Value": "v"}]}),
        ),
        ("ListPortfolios", json!({})),
        (
            "AssociatePrincipalWithPortfolio",
            json!({"PortfolioId": "{pid}", "PrincipalARN": "arn:aws:iam:::role/Dev*", "PrincipalType": "IAM_PATTERN"}),
        ),
        (
            "AssociatePrincipalWithPortfolio",
            json!({"PortfolioId": "{pid}", "PrincipalARN": "arn:aws:iam:::role/*", "PrincipalType": "IAM"}),
        ),
        (
            "ListPrincipalsForPortfolio",
            json!({"PortfolioId": "{pid}"}),
        ),
        (
            "CreatePortfolioShare",
            json!({"PortfolioId": "{pid}", "AccountId": OTHER, "ShareTagOptions": true}),
        ),
        (
            "DescribePortfolioShares",
            json!({"PortfolioId": "{pid}", "Type": "ACCOUNT"}),
        ),
        ("DescribePortfolio", json!({"Id": "{pid}"})),
        ("DescribePortfolio", json!({"Id": "port-abcdefghijklm"})),
        ("GetAWSOrganizationsAccessStatus", json!({})),
        (
            "CreatePortfolioShare",
            json!({"PortfolioId": "{pid}", "OrganizationNode": ["ORGANIZATION", "o-abcdefghij"]}),
        ),
        ("DeletePortfolio", json!({"Id": "{pid}"})),
    ];
    let mut pids = (String::new(), String::new());
    for (operation, input) in steps {
        let with = |pid: &str| {
            serde_json::from_str::<serde_json::Value>(&input.to_string().replace("{pid}", pid))
                .unwrap()
        };
        let over_json = json_server
            .post(
                Some(&format!("AWS242ServiceCatalogService.{operation}")),
                Some(MANAGEMENT),
                with(&pids.0).to_string().as_bytes(),
            )
            .await;
        let over_cbor = send(&cbor_server, operation, &cbor(with(&pids.1))).await;
        assert_eq!(over_json.status, over_cbor.status, "{operation}");
        let (mut a, mut b) = (over_json.json(), to_json(&body(&over_cbor)));
        if let (Some(x), Some(y)) = (a.get("PortfolioDetail"), b.get("PortfolioDetail")) {
            pids = (
                x["Id"].as_str().unwrap().to_owned(),
                y["Id"].as_str().unwrap().to_owned(),
            );
        }
        // Ids and times differ between the two servers; everything else must not.
        let unify = |v: &serde_json::Value, pid: &str| {
            let text = v.to_string();
            let text = if pid.is_empty() {
                text
            } else {
                text.replace(pid, "PID")
            };
            serde_json::from_str::<serde_json::Value>(&text).unwrap()
        };
        (a, b) = (unify(&a, &pids.0), unify(&b, &pids.1));
        for v in [&mut a, &mut b] {
            scrub(v);
        }
        if over_json.status != 200 {
            let kind = a["__type"].as_str().unwrap().to_owned();
            assert_eq!(
                b["__type"].as_str().unwrap(),
                format!("com.amazonaws.servicecatalog#{kind}"),
                "{operation}"
            );
            b["__type"] = json!(kind);
            // Messages of decoding errors name each format's own terms.
            if kind == "SerializationException" {
                a["message"] = json!("-");
                b["message"] = json!("-");
            }
        }
        assert_eq!(a, b, "{operation}");
    }
}

/// Blanks portfolio ids, ARNs and times.
fn scrub(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(members) => {
            for (name, v) in members.iter_mut() {
                if ["Id", "ARN", "CreatedTime"].contains(&name.as_str()) {
                    *v = json!("-");
                } else {
                    scrub(v);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(scrub),
        serde_json::Value::String(s) if s.starts_with("port-") => *s = "-".into(),
        _ => {}
    }
}
