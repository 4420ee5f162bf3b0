//! Abuse against the real `portcullis` binary: garbage and wrongly typed bodies, oversized and
//! truncated requests, unknown targets, odd methods and credentials, broken HTTP, and thousands of
//! concurrent connections. Every test ends by checking that the server still runs and that the
//! state it holds is exactly what it was before the abuse.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use common::*;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const CATALOG: &str = "AWS242ServiceCatalogService";
const ORGANIZATIONS: &str = "AWSOrganizationsV20161128";

fn target(operation: &str) -> String {
    format!("{CATALOG}.{operation}")
}

/// A server with some state to protect: a portfolio with the full ten IAM_PATTERN associations,
/// one IAM association and an (unaccepted) account share, and a second, empty portfolio.
struct Fixture {
    server: Server,
    portfolio: String,
}

impl Fixture {
    async fn new() -> Fixture {
        let server = Server::start();
        let created = call(
            &server,
            "CreatePortfolio",
            MANAGEMENT,
            json!({"DisplayName": "protected", "ProviderName": "platform", "Tags": [{"Key": "k", "Value": "v"}]}),
        )
        .await;
        let portfolio = created["PortfolioDetail"]["Id"]
            .as_str()
            .unwrap()
            .to_owned();
        for i in 0..10 {
            call(
                &server,
                "AssociatePrincipalWithPortfolio",
                MANAGEMENT,
                json!({"PortfolioId": portfolio, "PrincipalARN": format!("arn:aws:iam:::role/Team{i}-*"), "PrincipalType": "IAM_PATTERN"}),
            )
            .await;
        }
        // An `IAM` principal must exist before it is associated (SPEC §4.4).
        common::sdk::create_role(&server, MANAGEMENT, "Admin").await;
        call(
            &server,
            "AssociatePrincipalWithPortfolio",
            MANAGEMENT,
            json!({"PortfolioId": portfolio, "PrincipalARN": format!("arn:aws:iam::{MANAGEMENT}:role/Admin"), "PrincipalType": "IAM"}),
        )
        .await;
        call(
            &server,
            "CreatePortfolioShare",
            MANAGEMENT,
            json!({"PortfolioId": portfolio, "AccountId": OTHER}),
        )
        .await;
        call(
            &server,
            "CreatePortfolio",
            MANAGEMENT,
            json!({"DisplayName": "empty", "ProviderName": "platform"}),
        )
        .await;
        Fixture { server, portfolio }
    }

    /// Everything the abuse could have changed, as the server reports it.
    async fn snapshot(&self) -> BTreeMap<String, Value> {
        let mut state = BTreeMap::new();
        for account in [MANAGEMENT, OTHER, DEFAULT_ACCOUNT] {
            let listed = call(
                &self.server,
                "ListPortfolios",
                account,
                json!({"PageSize": 100}),
            )
            .await;
            state.insert(format!("ListPortfolios {account}"), listed);
        }
        let principals = call(
            &self.server,
            "ListPrincipalsForPortfolio",
            MANAGEMENT,
            json!({"PortfolioId": self.portfolio, "PageSize": 100}),
        )
        .await;
        assert_eq!(principals["Principals"].as_array().unwrap().len(), 11);
        state.insert("ListPrincipalsForPortfolio".to_owned(), principals);
        let shares = call(
            &self.server,
            "DescribePortfolioShares",
            MANAGEMENT,
            json!({"PortfolioId": self.portfolio, "Type": "ACCOUNT"}),
        )
        .await;
        state.insert("DescribePortfolioShares".to_owned(), shares);
        let described = call(
            &self.server,
            "DescribePortfolio",
            MANAGEMENT,
            json!({"Id": self.portfolio}),
        )
        .await;
        state.insert("DescribePortfolio".to_owned(), described);
        state
    }

    /// Asserts that the server process still runs, answers, and holds `before`.
    async fn assert_unchanged(&mut self, before: &BTreeMap<String, Value>) {
        assert!(
            self.server.is_running(),
            "the server process is still running"
        );
        assert_eq!(&self.snapshot().await, before, "the abuse changed nothing");
    }
}

/// Calls a Service Catalog operation with a JSON body as `account` and returns the 200 body.
async fn call(server: &Server, operation: &str, account: &str, body: Value) -> Value {
    server
        .post(
            Some(&target(operation)),
            Some(account),
            body.to_string().as_bytes(),
        )
        .await
        .ok()
}

#[tokio::test]
async fn bodies_that_are_not_json_objects_are_serialization_exceptions() {
    let mut fixture = Fixture::new().await;
    let before = fixture.snapshot().await;
    let deep_array = "[".repeat(100_000);
    let deep_object = "{\"a\":".repeat(100_000);
    let bodies: Vec<(&str, Vec<u8>)> = vec![
        ("plain text", b"this is not json".to_vec()),
        (
            "truncated object",
            br#"{"DisplayName": "x", "ProviderName": "#.to_vec(),
        ),
        ("truncated string", br#"{"DisplayName": "x"#.to_vec()),
        (
            "trailing garbage",
            br#"{"DisplayName": "x", "ProviderName": "y"} trailing"#.to_vec(),
        ),
        ("two objects", br#"{}{}"#.to_vec()),
        ("empty array", b"[]".to_vec()),
        (
            "array of positional members",
            br#"[null, "x", null, "y", null, null]"#.to_vec(),
        ),
        ("string", br#""CreatePortfolio""#.to_vec()),
        ("number", b"42".to_vec()),
        ("null", b"null".to_vec()),
        ("true", b"true".to_vec()),
        ("invalid UTF-8", b"{\"DisplayName\": \"\xff\xfe\"}".to_vec()),
        ("NUL bytes", vec![0; 64]),
        ("deeply nested arrays", deep_array.into_bytes()),
        ("deeply nested objects", deep_object.into_bytes()),
        ("single quotes", b"{'DisplayName': 'x'}".to_vec()),
        ("comment", b"{/* c */}".to_vec()),
    ];
    for operation in [
        "CreatePortfolio",
        "DescribePortfolio",
        "AssociatePrincipalWithPortfolio",
        "ListPortfolios",
    ] {
        for (what, body) in &bodies {
            let response = fixture
                .server
                .post(Some(&target(operation)), Some(MANAGEMENT), body)
                .await;
            let message = response.assert_error_for(
                400,
                "SerializationException",
                &format!("{operation} / {what}"),
            );
            assert!(
                message.len() < 1000,
                "{operation} / {what}: message is bounded: {message}"
            );
        }
    }
    // The same for an Organizations operation whose input has no members, and for our own.
    for (what, body) in &bodies {
        let response = fixture
            .server
            .post(
                Some(&format!("{ORGANIZATIONS}.DescribeOrganization")),
                Some(MANAGEMENT),
                body,
            )
            .await;
        response.assert_error_for(
            400,
            "SerializationException",
            &format!("DescribeOrganization / {what}"),
        );
        let response = fixture
            .server
            .post(
                Some("PortcullisService.CheckPortfolioAccess"),
                Some(MANAGEMENT),
                body,
            )
            .await;
        response.assert_error_for(
            400,
            "SerializationException",
            &format!("CheckPortfolioAccess / {what}"),
        );
    }
    // A string member the operation reads must be text: a lone surrogate escape is not.
    let response = fixture
        .server
        .post(
            Some(&target("CreatePortfolio")),
            Some(MANAGEMENT),
            br#"{"DisplayName": "\ud800", "ProviderName": "y"}"#,
        )
        .await;
    response.assert_error(400, "SerializationException");
    fixture.assert_unchanged(&before).await;
}

#[tokio::test]
async fn fields_of_the_wrong_json_type_are_serialization_exceptions() {
    let mut fixture = Fixture::new().await;
    let before = fixture.snapshot().await;
    let p = fixture.portfolio.clone();
    let cases: Vec<(&str, Value)> = vec![
        (
            "AssociatePrincipalWithPortfolio",
            json!({"PortfolioId": 5, "PrincipalARN": "arn:aws:iam:::role/x*", "PrincipalType": "IAM_PATTERN"}),
        ),
        (
            "AssociatePrincipalWithPortfolio",
            json!({"PortfolioId": p, "PrincipalARN": ["arn:aws:iam:::role/x*"], "PrincipalType": "IAM_PATTERN"}),
        ),
        (
            "AssociatePrincipalWithPortfolio",
            json!({"PortfolioId": p, "PrincipalARN": "arn:aws:iam:::role/x*", "PrincipalType": {"IAM_PATTERN": true}}),
        ),
        (
            "DisassociatePrincipalFromPortfolio",
            json!({"PortfolioId": p, "PrincipalARN": false}),
        ),
        ("DescribePortfolio", json!({"Id": ["x"]})),
        ("DeletePortfolio", json!({"Id": {"Id": p}})),
        ("ListPortfolios", json!({"PageSize": "5"})),
        ("ListPortfolios", json!({"PageSize": 1.5})),
        ("ListPortfolios", json!({"PageSize": 1e300})),
        ("ListPortfolios", json!({"PageToken": 7})),
        (
            "ListPrincipalsForPortfolio",
            json!({"PortfolioId": p, "PageSize": 18_446_744_073_709_551_615_u64}),
        ),
        (
            "CreatePortfolio",
            json!({"DisplayName": "x", "ProviderName": "y", "Tags": {"Key": "k", "Value": "v"}}),
        ),
        (
            "CreatePortfolio",
            json!({"DisplayName": "x", "ProviderName": "y", "Tags": [{"Key": 1, "Value": "v"}]}),
        ),
        (
            "CreatePortfolioShare",
            json!({"PortfolioId": p, "AccountId": 222_222_222_222_u64}),
        ),
        (
            "CreatePortfolioShare",
            json!({"PortfolioId": p, "OrganizationNode": "ou-abcd-abcdefgh"}),
        ),
        // A nested structure given as an array of its members is not read in order
        // (`nested_structures_given_as_arrays_are_serialization_exceptions_decision`).
        (
            "CreatePortfolioShare",
            json!({"PortfolioId": p, "OrganizationNode": ["ORGANIZATIONAL_UNIT", "ou-abcd-abcdefgh"]}),
        ),
        (
            "UpdatePortfolioShare",
            json!({"PortfolioId": p, "OrganizationNode": ["ACCOUNT", "222222222222"], "ShareTagOptions": true}),
        ),
        (
            "DeletePortfolioShare",
            json!({"PortfolioId": p, "OrganizationNode": []}),
        ),
        (
            "CreatePortfolio",
            json!({"DisplayName": "x", "ProviderName": "y", "Tags": [["k", "v"]]}),
        ),
        ("UpdatePortfolio", json!({"Id": p, "AddTags": [["k", "v"]]})),
        (
            "CreatePortfolioShare",
            json!({"PortfolioId": p, "AccountId": "333333333333", "SharePrincipals": "true"}),
        ),
        ("UpdatePortfolio", json!({"Id": p, "RemoveTags": "k"})),
        (
            "UpdatePortfolioShare",
            json!({"PortfolioId": p, "AccountId": OTHER, "ShareTagOptions": 1}),
        ),
        (
            "AcceptPortfolioShare",
            json!({"PortfolioId": p, "PortfolioShareType": null, "AcceptLanguage": 3}),
        ),
    ];
    for (operation, body) in &cases {
        let response = fixture
            .server
            .post(
                Some(&target(operation)),
                Some(MANAGEMENT),
                body.to_string().as_bytes(),
            )
            .await;
        let message = response.assert_error(400, "SerializationException");
        assert!(
            message.contains("wrong type") || message.contains("invalid"),
            "{operation} {body}: {message}"
        );
    }
    for (target, body) in [
        (
            format!("{ORGANIZATIONS}.ListAccounts"),
            json!({"MaxResults": true}),
        ),
        (
            format!("{ORGANIZATIONS}.CreateAccount"),
            json!({"Email": ["a@example.com"], "AccountName": "a"}),
        ),
        (
            "PortcullisService.CheckPortfolioAccess".to_owned(),
            json!({"PortfolioId": p, "PrincipalARN": 1}),
        ),
        (
            "PortcullisService.ListPortfoliosForPrincipal".to_owned(),
            json!({"PrincipalARN": null, "PageSize": []}),
        ),
    ] {
        let response = fixture
            .server
            .post(Some(&target), Some(MANAGEMENT), body.to_string().as_bytes())
            .await;
        response.assert_error(400, "SerializationException");
    }
    // `null` is an absent member, not a wrong type: the required Id is missing.
    let response = fixture
        .server
        .post(
            Some(&target("DescribePortfolio")),
            Some(MANAGEMENT),
            br#"{"Id": null}"#,
        )
        .await;
    response.assert_error(400, "InvalidParametersException");
    fixture.assert_unchanged(&before).await;
}

#[tokio::test]
async fn oversized_bodies_are_refused_and_the_server_serves_the_next_request() {
    let mut fixture = Fixture::new().await;
    let before = fixture.snapshot().await;
    let padded = |size: usize| {
        let mut body = br#"{"PortfolioId": "port-doesnotexist", "PageSize": 1}"#.to_vec();
        body.resize(size, b' ');
        body
    };

    // One byte over the limit, with Content-Length.
    let response = fixture
        .server
        .post(
            Some(&target("ListPrincipalsForPortfolio")),
            Some(MANAGEMENT),
            &padded((1 << 20) + 1),
        )
        .await;
    let message = response.assert_error(400, "SerializationException");
    assert!(message.contains("larger than 1048576 bytes"), "{message}");
    // Exactly at the limit: read and answered as the request it is.
    let response = fixture
        .server
        .post(
            Some(&target("ListPrincipalsForPortfolio")),
            Some(MANAGEMENT),
            &padded(1 << 20),
        )
        .await;
    response.assert_error(400, "ResourceNotFoundException");

    // Far over the limit, with Content-Length: answered before the whole body is read.
    let response = fixture
        .server
        .post(
            Some(&target("CreatePortfolio")),
            Some(MANAGEMENT),
            &padded(16 << 20),
        )
        .await;
    response.assert_error(400, "SerializationException");

    // Over the limit in chunks, with no Content-Length.
    let chunk = vec![b' '; 64 * 1024];
    let mut raw = format!(
        "POST / HTTP/1.1\r\nHost: {}\r\nX-Amz-Target: {}\r\nTransfer-Encoding: chunked\r\n\
         Connection: close\r\n\r\n{:x}\r\n{{\r\n",
        fixture.server.addr,
        target("CreatePortfolio"),
        1
    )
    .into_bytes();
    for _ in 0..20 {
        raw.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        raw.extend_from_slice(&chunk);
        raw.extend_from_slice(b"\r\n");
    }
    raw.extend_from_slice(b"0\r\n\r\n");
    exchange(fixture.server.addr, raw)
        .await
        .assert_error(400, "SerializationException");

    // A chunked body under the limit is read whole.
    let body = json!({"Id": fixture.portfolio}).to_string();
    let raw = format!(
        "POST / HTTP/1.1\r\nHost: {}\r\nX-Amz-Target: {}\r\nAuthorization: {}\r\nTransfer-Encoding: chunked\r\n\
         Connection: close\r\n\r\n{:x}\r\n{body}\r\n0\r\n\r\n",
        fixture.server.addr,
        target("DescribePortfolio"),
        authorization(MANAGEMENT, "us-east-1"),
        body.len()
    );
    let described = exchange(fixture.server.addr, raw.into_bytes()).await.ok();
    assert_eq!(described["PortfolioDetail"]["Id"], json!(fixture.portfolio));

    fixture.assert_unchanged(&before).await;
}

#[tokio::test]
async fn unknown_or_missing_targets_are_unknown_operation_exceptions() {
    let mut fixture = Fixture::new().await;
    let before = fixture.snapshot().await;
    let long = format!("{CATALOG}.{}", "A".repeat(10_000));
    let targets: Vec<Option<&str>> = vec![
        None,
        Some(""),
        Some("CreatePortfolio"),
        Some("AWS242ServiceCatalogService"),
        Some("AWS242ServiceCatalogService."),
        Some(".CreatePortfolio"),
        Some("AWS242ServiceCatalogService.NoSuchOperation"),
        // Real Service Catalog operations that portcullis does not serve.
        Some("AWS242ServiceCatalogService.CreateConstraint"),
        Some("AWS242ServiceCatalogService.ProvisionProduct"),
        // Right operation, wrong service, and the other way round.
        Some("AWSOrganizationsV20161128.CreatePortfolio"),
        Some("AWS242ServiceCatalogService.CreateOrganization"),
        Some("PortcullisService.CreatePortfolio"),
        // Names are case-sensitive.
        Some("aws242servicecatalogservice.CreatePortfolio"),
        Some("AWS242ServiceCatalogService.createportfolio"),
        Some("AWS242ServiceCatalogService.CreatePortfolio.Extra"),
        Some(&long),
    ];
    let body = json!({"DisplayName": "x", "ProviderName": "y"}).to_string();
    for target in targets {
        let response = fixture
            .server
            .post(target, Some(MANAGEMENT), body.as_bytes())
            .await;
        let message = response.assert_error_for(
            400,
            "UnknownOperationException",
            &format!(
                "{:?}",
                target.map(|t| t.chars().take(100).collect::<String>())
            ),
        );
        assert!(
            message.len() < 400,
            "the message is bounded for {} chars of target",
            target.map_or(0, str::len)
        );
    }
    // A target that is not valid UTF-8.
    let mut raw = format!(
        "POST / HTTP/1.1\r\nHost: {}\r\nX-Amz-Target: ",
        fixture.server.addr
    )
    .into_bytes();
    raw.extend_from_slice(b"AWS242ServiceCatalogService.Create\xffPortfolio");
    raw.extend_from_slice(
        format!(
            "\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .as_bytes(),
    );
    exchange(fixture.server.addr, raw)
        .await
        .assert_error(400, "UnknownOperationException");
    fixture.assert_unchanged(&before).await;
}

#[tokio::test]
async fn requests_without_usable_credentials_act_as_the_default_account() {
    let server = Server::start();
    let body = json!({"DisplayName": "anonymous", "ProviderName": "y"}).to_string();
    let create = |headers: Vec<(String, String)>| {
        let server = &server;
        let body = body.clone();
        async move {
            let mut all = vec![("X-Amz-Target".to_owned(), target("CreatePortfolio"))];
            all.extend(headers);
            server.request("POST", &all, body.as_bytes()).await.ok()
        }
    };
    let arn = |created: &Value| {
        created["PortfolioDetail"]["ARN"]
            .as_str()
            .unwrap()
            .to_owned()
    };

    let none = create(vec![]).await;
    assert!(
        arn(&none).starts_with(&format!(
            "arn:aws:catalog:us-east-1:{DEFAULT_ACCOUNT}:portfolio/port-"
        )),
        "{none}"
    );
    let garbage = create(vec![(
        "Authorization".to_owned(),
        "Basic dXNlcjpwYXNz".to_owned(),
    )])
    .await;
    assert!(
        arn(&garbage).contains(&format!(":us-east-1:{DEFAULT_ACCOUNT}:")),
        "{garbage}"
    );
    let short_key = create(vec![(
        "Authorization".to_owned(),
        authorization("12345", "us-east-1"),
    )])
    .await;
    assert!(
        arn(&short_key).contains(&format!(":us-east-1:{DEFAULT_ACCOUNT}:")),
        "{short_key}"
    );
    let letters = create(vec![(
        "Authorization".to_owned(),
        authorization("AKIAIOSFODNN7EXAMPLE", "eu-west-1"),
    )])
    .await;
    assert!(
        arn(&letters).contains(&format!(":eu-west-1:{DEFAULT_ACCOUNT}:")),
        "the scope still gives the region: {letters}"
    );
    let bad_region = create(vec![(
        "Authorization".to_owned(),
        authorization(OTHER, "US_EAST_1!"),
    )])
    .await;
    assert!(
        arn(&bad_region).contains(&format!(":us-east-1:{OTHER}:")),
        "{bad_region}"
    );
    let huge = create(vec![(
        "Authorization".to_owned(),
        format!("AWS4-HMAC-SHA256 Credential={}", "9".repeat(4000)),
    )])
    .await;
    assert!(
        arn(&huge).contains(&format!(":us-east-1:{DEFAULT_ACCOUNT}:")),
        "{huge}"
    );

    // The SDK, signing with the default account's id as its key, sees exactly those.
    let listed = server
        .catalog(DEFAULT_ACCOUNT)
        .await
        .list_portfolios()
        .send()
        .await
        .unwrap();
    let listed: Vec<String> = listed
        .portfolio_details()
        .iter()
        .map(|p| p.arn().unwrap().to_owned())
        .collect();
    assert_eq!(
        listed,
        [arn(&none), arn(&garbage), arn(&short_key), arn(&huge)]
    );
}

#[tokio::test]
async fn methods_other_than_post_run_no_operation() {
    let mut fixture = Fixture::new().await;
    let before = fixture.snapshot().await;
    let body = json!({"DisplayName": "via GET", "ProviderName": "y"}).to_string();
    for method in ["GET", "PUT", "DELETE", "PATCH", "OPTIONS"] {
        // With no target, and with a target and a body that would otherwise create a portfolio.
        let bare = fixture.server.request(method, &[], b"").await;
        bare.assert_error(400, "UnknownOperationException");
        let headers = [
            ("X-Amz-Target".to_owned(), target("CreatePortfolio")),
            (
                "Authorization".to_owned(),
                authorization(MANAGEMENT, "us-east-1"),
            ),
        ];
        let with_target = fixture
            .server
            .request(method, &headers, body.as_bytes())
            .await;
        with_target.assert_error(400, "UnknownOperationException");
    }
    // HEAD answers the same status, with no body.
    let head = fixture
        .server
        .request(
            "HEAD",
            &[("X-Amz-Target".to_owned(), target("ListPortfolios"))],
            b"",
        )
        .await;
    assert_eq!(head.status, 400);
    assert!(head.header("x-amzn-requestid").is_some());
    // Any path serves POST (an SDK endpoint may carry a path).
    let raw = format!(
        "POST /some/prefix?x=1 HTTP/1.1\r\nHost: {}\r\nX-Amz-Target: {}\r\nAuthorization: {}\r\nContent-Length: 2\r\n\
         Connection: close\r\n\r\n{{}}",
        fixture.server.addr,
        target("ListPortfolios"),
        authorization(MANAGEMENT, "us-east-1")
    );
    let listed = exchange(fixture.server.addr, raw.into_bytes()).await.ok();
    assert_eq!(listed["PortfolioDetails"].as_array().unwrap().len(), 2);
    fixture.assert_unchanged(&before).await;
}

#[tokio::test]
async fn broken_http_and_abandoned_requests_leave_the_server_serving() {
    let mut fixture = Fixture::new().await;
    let before = fixture.snapshot().await;
    let addr = fixture.server.addr;

    // Not HTTP at all, and malformed HTTP: whatever hyper answers, the connection ends.
    for garbage in [
        &b"HELLO\r\n\r\n"[..],
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
        b"POST / HTTP/1.1\r\nContent-Length: nope\r\n\r\n",
        b"POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello",
        b"POST / HTTP/9.9\r\n\r\n",
        b"\r\n\r\n\r\n\r\n",
    ] {
        let answer = read_until_closed(addr, garbage).await;
        if !answer.is_empty() {
            assert!(
                answer.starts_with(b"HTTP/1.1 4"),
                "{:?}",
                String::from_utf8_lossy(&answer)
            );
        }
    }
    // A header section far larger than any request needs.
    let mut big_header = format!("POST / HTTP/1.1\r\nHost: {addr}\r\nX-Junk: ").into_bytes();
    big_header.extend(std::iter::repeat_n(b'a', 1 << 20));
    big_header.extend_from_slice(b"\r\n\r\n");
    let answer = read_until_closed(addr, &big_header).await;
    if !answer.is_empty() {
        assert!(
            answer.starts_with(b"HTTP/1.1 4"),
            "{:?}",
            String::from_utf8_lossy(&answer[..answer.len().min(200)])
        );
    }
    // Requests abandoned half-way: in the headers, and in the body.
    for partial in [
        format!("POST / HTTP/1.1\r\nHost: {addr}\r\nX-Amz-Tar").into_bytes(),
        format!(
            "POST / HTTP/1.1\r\nHost: {addr}\r\nX-Amz-Target: {}\r\nContent-Length: 1000\r\n\r\n{{\"DisplayName\": \"half",
            target("CreatePortfolio")
        )
        .into_bytes(),
    ] {
        let answer = read_until_closed(addr, &partial).await;
        assert!(
            answer.is_empty() || answer.starts_with(b"HTTP/1.1 4"),
            "{:?}",
            String::from_utf8_lossy(&answer)
        );
    }
    // A request written one byte at a time is still one request.
    let body = json!({"Id": fixture.portfolio}).to_string();
    let raw = format!(
        "POST / HTTP/1.1\r\nHost: {addr}\r\nX-Amz-Target: {}\r\nAuthorization: {}\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        target("DescribePortfolio"),
        authorization(MANAGEMENT, "us-east-1"),
        body.len()
    );
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.set_nodelay(true).unwrap();
    for byte in raw.as_bytes() {
        stream.write_all(std::slice::from_ref(byte)).await.unwrap();
        stream.flush().await.unwrap();
    }
    let mut answer = Vec::new();
    tokio::time::timeout(REQUEST_TIMEOUT, stream.read_to_end(&mut answer))
        .await
        .unwrap()
        .unwrap();
    let text = String::from_utf8_lossy(&answer);
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
    assert!(text.contains(&fixture.portfolio), "{text}");

    fixture.assert_unchanged(&before).await;
}

/// Writes `raw`, half-closes the write side (the client has nothing more to say), and reads
/// until the server closes the connection; a reset ends the read too. All within
/// [`REQUEST_TIMEOUT`].
async fn read_until_closed(addr: std::net::SocketAddr, raw: &[u8]) -> Vec<u8> {
    let mut answer = Vec::new();
    let exchange = tokio::time::timeout(REQUEST_TIMEOUT, async {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        // The server may answer and close before it has read everything.
        let _ = stream.write_all(raw).await;
        let _ = stream.shutdown().await;
        let mut buffer = [0_u8; 4096];
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(n) => answer.extend_from_slice(&buffer[..n]),
            }
        }
    })
    .await;
    assert!(
        exchange.is_ok(),
        "the server ends a broken request within {REQUEST_TIMEOUT:?}"
    );
    answer
}

/// What one of the concurrent requests sends, and what it must get back.
fn concurrent_request(
    i: usize,
    portfolio: &str,
) -> (
    Option<String>,
    &'static str,
    Vec<u8>,
    u16,
    Option<&'static str>,
) {
    let arn_of = |name: &str| format!("arn:aws:iam::{MANAGEMENT}:role/{name}");
    match i % 8 {
        0 => (Some(target("ListPortfolios")), MANAGEMENT, b"{}".to_vec(), 200, None),
        1 => (Some(target("DescribePortfolio")), MANAGEMENT, json!({"Id": portfolio}).to_string().into_bytes(), 200, None),
        // An eleventh pattern: refused, whoever races.
        2 => (
            Some(target("AssociatePrincipalWithPortfolio")),
            MANAGEMENT,
            json!({"PortfolioId": portfolio, "PrincipalARN": format!("arn:aws:iam:::role/Extra{i}-*"), "PrincipalType": "IAM_PATTERN"}).to_string().into_bytes(),
            400,
            Some("LimitExceededException"),
        ),
        // One of the ten again: idempotent.
        3 => (
            Some(target("AssociatePrincipalWithPortfolio")),
            MANAGEMENT,
            json!({"PortfolioId": portfolio, "PrincipalARN": format!("arn:aws:iam:::role/Team{}-*", i % 10), "PrincipalType": "IAM_PATTERN"}).to_string().into_bytes(),
            200,
            None,
        ),
        4 => (
            Some("PortcullisService.CheckPortfolioAccess".to_owned()),
            MANAGEMENT,
            json!({"PortfolioId": portfolio, "PrincipalARN": arn_of(&format!("Team{}-x", i % 10))}).to_string().into_bytes(),
            200,
            None,
        ),
        5 => (Some(target("CreatePortfolio")), MANAGEMENT, b"{\"DisplayName\": ".to_vec(), 400, Some("SerializationException")),
        6 => (Some(target("NoSuchOperation")), MANAGEMENT, b"{}".to_vec(), 400, Some("UnknownOperationException")),
        // Another account on the protected portfolio.
        _ => (
            Some(target("AssociatePrincipalWithPortfolio")),
            OTHER,
            json!({"PortfolioId": portfolio, "PrincipalARN": format!("arn:aws:iam::{OTHER}:role/Intruder"), "PrincipalType": "IAM"}).to_string().into_bytes(),
            400,
            Some("ResourceNotFoundException"),
        ),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_thousand_concurrent_connections_are_all_answered_and_change_nothing() {
    const CONNECTIONS: usize = 2_000;
    let mut fixture = Fixture::new().await;
    let before = fixture.snapshot().await;
    let server = Arc::new((fixture.server.addr, fixture.portfolio.clone()));
    // Every task connects at once; each has its own deadline and the whole run has one too.
    let start = Arc::new(tokio::sync::Barrier::new(CONNECTIONS));
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..CONNECTIONS {
        let server = Arc::clone(&server);
        let start = Arc::clone(&start);
        tasks.spawn(async move {
            let (addr, portfolio) = &*server;
            let (target, account, body, status, kind) = concurrent_request(i, portfolio);
            let mut head = format!(
                "POST / HTTP/1.1\r\nHost: {addr}\r\nContent-Length: {}\r\nConnection: close\r\n",
                body.len()
            );
            if let Some(target) = target {
                head.push_str(&format!("X-Amz-Target: {target}\r\n"));
            }
            head.push_str(&format!(
                "Authorization: {}\r\n\r\n",
                authorization(account, "us-east-1")
            ));
            let mut raw = head.into_bytes();
            raw.extend_from_slice(&body);
            start.wait().await;
            let response = exchange(*addr, raw).await;
            match kind {
                None => {
                    response.ok();
                }
                Some(kind) => {
                    response.assert_error(status, kind);
                }
            }
            i
        });
    }
    let mut answered = 0;
    let all = tokio::time::timeout(Duration::from_secs(120), async {
        while let Some(done) = tasks.join_next().await {
            done.expect("every request gets the answer it should");
            answered += 1;
        }
    })
    .await;
    assert!(
        all.is_ok(),
        "all {CONNECTIONS} requests answered within 120 s; {answered} were"
    );
    assert_eq!(answered, CONNECTIONS);
    fixture.assert_unchanged(&before).await;
}
