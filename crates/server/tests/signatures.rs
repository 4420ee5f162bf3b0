//! SigV4 verification (`--verify-signatures --credentials FILE`) against the real `portcullis`
//! binary: the AWS SDK for Rust signs real requests and acts as the account of its key; hand-made
//! requests, signed by `aws-sigv4` (the SDK's own signer) and then broken one way each, get AWS's
//! error for every failure, in AWS JSON 1.1 and RPC v2 CBOR alike, and change nothing. boto3
//! and the AWS CLI are in `e2e/sigv4_check.py`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::time::{Duration, SystemTime};

use aws_config::BehaviorVersion;
use aws_config::retry::RetryConfig;
use aws_sdk_servicecatalog::config::{Credentials, Region};
use aws_sdk_servicecatalog::error::ProvideErrorMetadata;
use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;
use common::*;

const OWNER_KEY: &str = "AKIAOWNER0000000001";
const OWNER_SECRET: &str = "owner/secret+key0000000000000000000000000";
const OTHER_KEY: &str = "AKIAOTHER0000000002";
const OTHER_SECRET: &str = "other/secret+key0000000000000000000000000";

/// A server verifying signatures against a file of the two keys above, and the file.
fn start() -> (Server, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("credentials");
    std::fs::write(
        &file,
        format!(
            "# access key id, secret access key, account\n{OWNER_KEY} {OWNER_SECRET} {MANAGEMENT}\n\n{OTHER_KEY}\t{OTHER_SECRET}\t{OTHER}\n"
        ),
    )
    .unwrap();
    let server = Server::start_with(&[
        "--verify-signatures",
        "--credentials",
        file.to_str().unwrap(),
    ]);
    (server, dir)
}

async fn sdk_config(server: &Server, key: &str, secret: &str) -> aws_config::SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(&server.url)
        .region(Region::new("eu-west-1"))
        .credentials_provider(Credentials::new(key, secret, None, None, "test"))
        .retry_config(RetryConfig::disabled())
        .load()
        .await
}

async fn catalog(server: &Server, key: &str, secret: &str) -> aws_sdk_servicecatalog::Client {
    aws_sdk_servicecatalog::Client::new(&sdk_config(server, key, secret).await)
}

#[tokio::test]
async fn the_aws_sdk_for_rust_signs_real_requests_and_acts_as_the_account_of_its_key() {
    let (server, _dir) = start();
    let owner = catalog(&server, OWNER_KEY, OWNER_SECRET).await;
    let created = owner
        .create_portfolio()
        .display_name("signed")
        .provider_name("platform")
        .send()
        .await
        .unwrap();
    let detail = created.portfolio_detail().unwrap();
    // The account comes from the credentials file, the region from the credential scope.
    assert_eq!(
        detail.arn(),
        Some(
            format!(
                "arn:aws:catalog:eu-west-1:{MANAGEMENT}:portfolio/{}",
                detail.id().unwrap()
            )
            .as_str()
        )
    );
    let other = catalog(&server, OTHER_KEY, OTHER_SECRET).await;
    let listed = other.list_portfolios().send().await.unwrap();
    assert!(listed.portfolio_details().is_empty(), "{listed:?}");

    // Organizations requests are signed for `organizations`, and verified as such.
    let organizations =
        aws_sdk_organizations::Client::new(&sdk_config(&server, OWNER_KEY, OWNER_SECRET).await);
    let error = organizations
        .describe_organization()
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        error.code(),
        Some("AWSOrganizationsNotInUseException"),
        "{error:?}"
    );

    // A wrong secret, an unknown key (a 12-digit one is no account either): refused.
    for (key, secret, code) in [
        (OWNER_KEY, OTHER_SECRET, "InvalidSignatureException"),
        (
            "AKIAUNKNOWN000000000",
            OWNER_SECRET,
            "UnrecognizedClientException",
        ),
        (OTHER, OTHER_SECRET, "UnrecognizedClientException"),
    ] {
        let client = catalog(&server, key, secret).await;
        let error = client
            .create_portfolio()
            .display_name("refused")
            .provider_name("platform")
            .send()
            .await
            .unwrap_err();
        assert_eq!(error.code(), Some(code), "{key}: {error:?}");
    }
    let listed = owner.list_portfolios().send().await.unwrap();
    assert_eq!(
        listed.portfolio_details().len(),
        1,
        "nothing else was created"
    );
}

/// A request signed by `aws-sigv4` as `key` at `time` for `service`; its headers (the signed
/// ones, `X-Amz-Date` and `Authorization`).
fn signed(
    server: &Server,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    (key, secret): (&str, &str),
    service: &str,
    time: SystemTime,
) -> Vec<(String, String)> {
    let identity = Credentials::new(key, secret, None, None, "test").into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region("us-east-1")
        .name(service)
        .time(time)
        .settings(SigningSettings::default())
        .build()
        .unwrap()
        .into();
    let url = format!("http://{}{path}", server.addr);
    let request = SignableRequest::new(
        "POST",
        &url,
        headers.iter().copied(),
        SignableBody::Bytes(body),
    )
    .unwrap();
    let (instructions, _) = sign(request, &params).unwrap().into_parts();
    let mut all: Vec<(String, String)> = headers
        .iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect();
    for (name, value) in instructions.headers() {
        all.push((name.to_owned(), value.to_owned()));
    }
    all
}

fn without(headers: &[(String, String)], name: &str) -> Vec<(String, String)> {
    headers
        .iter()
        .filter(|(n, _)| !n.eq_ignore_ascii_case(name))
        .cloned()
        .collect()
}

fn with_authorization(
    headers: &[(String, String)],
    edit: impl Fn(&str) -> String,
) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(n, v)| {
            if n.eq_ignore_ascii_case("authorization") {
                (n.clone(), edit(v))
            } else {
                (n.clone(), v.clone())
            }
        })
        .collect()
}

/// A hand-made failure: what it is, its headers and body, and the exception and the start of the
/// message it gets.
type Case<'a> = (&'a str, Vec<(String, String)>, &'a [u8], &'a str, &'a str);

const JSON_HEADERS: &[(&str, &str)] = &[
    ("content-type", "application/x-amz-json-1.1"),
    (
        "x-amz-target",
        "AWS242ServiceCatalogService.CreatePortfolio",
    ),
];
const CREATE: &[u8] = br#"{"DisplayName": "hand-made", "ProviderName": "platform"}"#;

#[tokio::test]
async fn hand_made_requests_get_awss_error_for_each_failure_and_change_nothing() {
    let (server, _dir) = start();
    let now = SystemTime::now();
    let owner = (OWNER_KEY, OWNER_SECRET);
    let good = signed(
        &server,
        "/",
        JSON_HEADERS,
        CREATE,
        owner,
        "servicecatalog",
        now,
    );
    let post = |headers: Vec<(String, String)>, body: &'static [u8]| {
        let server = &server;
        async move { server.request_to("POST", "/", &headers, body).await }
    };

    // The valid request works, and so does one signed 14 minutes ago (within AWS's skew).
    post(good.clone(), CREATE).await.ok();
    let recent = signed(
        &server,
        "/",
        JSON_HEADERS,
        CREATE,
        owner,
        "servicecatalog",
        now - Duration::from_secs(14 * 60),
    );
    post(recent, CREATE).await.ok();

    let twenty_minutes = Duration::from_secs(20 * 60);
    let cases: Vec<Case<'_>> = vec![
        (
            "no Authorization header",
            without(&good, "authorization"),
            CREATE,
            "MissingAuthenticationTokenException",
            "Missing Authentication Token",
        ),
        (
            "the body changed after signing",
            good.clone(),
            br#"{"DisplayName": "tampered", "ProviderName": "platform"}"#,
            "InvalidSignatureException",
            "The request signature we calculated does not match",
        ),
        (
            "a signature one digit off",
            with_authorization(&good, |a| {
                let last = if a.ends_with('0') { "1" } else { "0" };
                format!("{}{last}", &a[..a.len() - 1])
            }),
            CREATE,
            "InvalidSignatureException",
            "The request signature we calculated does not match",
        ),
        (
            "a wrong secret",
            signed(
                &server,
                "/",
                JSON_HEADERS,
                CREATE,
                (OWNER_KEY, OTHER_SECRET),
                "servicecatalog",
                now,
            ),
            CREATE,
            "InvalidSignatureException",
            "The request signature we calculated does not match",
        ),
        (
            "an unknown access key",
            signed(
                &server,
                "/",
                JSON_HEADERS,
                CREATE,
                ("AKIANOBODY0000000000", OWNER_SECRET),
                "servicecatalog",
                now,
            ),
            CREATE,
            "UnrecognizedClientException",
            "The security token included in the request is invalid.",
        ),
        (
            "signed 20 minutes ago",
            signed(
                &server,
                "/",
                JSON_HEADERS,
                CREATE,
                owner,
                "servicecatalog",
                now - twenty_minutes,
            ),
            CREATE,
            "InvalidSignatureException",
            "Signature expired: ",
        ),
        (
            "signed 20 minutes ahead",
            signed(
                &server,
                "/",
                JSON_HEADERS,
                CREATE,
                owner,
                "servicecatalog",
                now + twenty_minutes,
            ),
            CREATE,
            "InvalidSignatureException",
            "Signature not yet current: ",
        ),
        (
            "no X-Amz-Date header",
            without(&good, "x-amz-date"),
            CREATE,
            "IncompleteSignatureException",
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
        ),
        (
            "Host not signed",
            with_authorization(&good, |a| {
                let start = a.find("SignedHeaders=").unwrap() + "SignedHeaders=".len();
                let end = start + a[start..].find(',').unwrap();
                let kept: Vec<&str> = a[start..end].split(';').filter(|h| *h != "host").collect();
                format!("{}{}{}", &a[..start], kept.join(";"), &a[end..])
            }),
            CREATE,
            "IncompleteSignatureException",
            "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
        ),
        (
            "no Signature parameter",
            with_authorization(&good, |a| a[..a.find(", Signature=").unwrap()].to_owned()),
            CREATE,
            "IncompleteSignatureException",
            "Authorization header requires 'Signature' parameter.",
        ),
        (
            "a credential of four parts",
            with_authorization(&good, |a| a.replacen("/us-east-1/", "/", 1)),
            CREATE,
            "IncompleteSignatureException",
            "Credential must have exactly 5 slash-delimited elements",
        ),
        (
            "another scheme",
            with_authorization(&good, |_| "Basic dXNlcjpwYXNz".to_owned()),
            CREATE,
            "IncompleteSignatureException",
            "Authorization header requires an 'AWS4-HMAC-SHA256' signature",
        ),
        (
            "signed for another service",
            signed(
                &server,
                "/",
                JSON_HEADERS,
                CREATE,
                owner,
                "organizations",
                now,
            ),
            CREATE,
            "InvalidSignatureException",
            "Credential should be scoped to correct service: 'servicecatalog'.",
        ),
        (
            "a credential scope of another day",
            with_authorization(&good, |a| {
                let start = a.find('/').unwrap() + 1;
                format!("{}19990101{}", &a[..start], &a[start + 8..])
            }),
            CREATE,
            "InvalidSignatureException",
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP",
        ),
    ];
    for (what, headers, body, kind, message) in cases {
        let response = post(headers, body).await;
        let got = response.assert_error_for(400, kind, what);
        assert!(got.starts_with(message), "{what}: {got}");
    }

    let listed = post(
        signed(
            &server,
            "/",
            &[
                ("content-type", "application/x-amz-json-1.1"),
                ("x-amz-target", "AWS242ServiceCatalogService.ListPortfolios"),
            ],
            b"{}",
            owner,
            "servicecatalog",
            now,
        ),
        b"{}",
    )
    .await
    .ok();
    assert_eq!(
        listed["PortfolioDetails"].as_array().unwrap().len(),
        2,
        "only the two valid requests created anything"
    );
}

#[tokio::test]
async fn rpc_v2_cbor_requests_are_verified_by_the_same_path() {
    let (server, _dir) = start();
    let path = "/service/AWS242ServiceCatalogService/operation/ListPortfolios";
    let headers = [
        ("smithy-protocol", "rpc-v2-cbor"),
        ("content-type", "application/cbor"),
        ("accept", "application/cbor"),
    ];
    let body = [0xa0u8];
    let good = signed(
        &server,
        path,
        &headers,
        &body,
        (OWNER_KEY, OWNER_SECRET),
        "servicecatalog",
        SystemTime::now(),
    );
    let response = server.request_to("POST", path, &good, &body).await;
    assert_eq!(response.status, 200);
    assert_eq!(response.header("smithy-protocol"), Some("rpc-v2-cbor"));

    for (what, headers, kind) in [
        (
            "no Authorization header",
            without(&good, "authorization"),
            "MissingAuthenticationTokenException",
        ),
        (
            "a signature one digit off",
            with_authorization(&good, |a| {
                let last = if a.ends_with('0') { "1" } else { "0" };
                format!("{}{last}", &a[..a.len() - 1])
            }),
            "InvalidSignatureException",
        ),
    ] {
        let response = server.request_to("POST", path, &headers, &body).await;
        assert_eq!(response.status, 400, "{what}");
        assert_eq!(response.header("smithy-protocol"), Some("rpc-v2-cbor"));
        let value: ciborium::Value = ciborium::de::from_reader(&response.body[..]).unwrap();
        let kind_sent = value
            .as_map()
            .unwrap()
            .iter()
            .find(|(k, _)| k.as_text() == Some("__type"))
            .and_then(|(_, v)| v.as_text())
            .unwrap()
            .to_owned();
        assert_eq!(
            kind_sent,
            format!("com.amazonaws.servicecatalog#{kind}"),
            "{what}"
        );
    }
}

#[tokio::test]
async fn credentials_files_that_cannot_be_used_stop_the_server_before_it_listens() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("credentials");
    std::fs::write(&file, "AKIA only-two-fields\n").unwrap();
    for args in [
        vec![
            "--verify-signatures",
            "--credentials",
            file.to_str().unwrap(),
        ],
        vec![
            "--verify-signatures",
            "--credentials",
            "/nonexistent/credentials",
        ],
        vec!["--verify-signatures"],
    ] {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_portcullis"))
            .args(["serve", "--listen", "127.0.0.1:0", "--in-memory"])
            .args(&args)
            .output()
            .unwrap();
        assert!(!output.status.success(), "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}: it never listened");
    }
}

#[tokio::test]
async fn query_requests_get_iam_and_stss_names_for_each_signature_failure() {
    let (server, _dir) = start();
    let headers = [(
        "content-type",
        "application/x-www-form-urlencoded; charset=utf-8",
    )];
    let body = b"Action=ListUsers&Version=2010-05-08";
    let good = signed(
        &server,
        "/",
        &headers,
        body,
        (OWNER_KEY, OWNER_SECRET),
        "iam",
        SystemTime::now(),
    );
    let response = server.request_to("POST", "/", &good, body).await;
    assert_eq!(
        response.status,
        200,
        "{}",
        String::from_utf8_lossy(&response.body)
    );

    let unknown_key = signed(
        &server,
        "/",
        &headers,
        body,
        ("AKIAUNKNOWN000000000", OWNER_SECRET),
        "iam",
        SystemTime::now(),
    );
    let expired = signed(
        &server,
        "/",
        &headers,
        body,
        (OWNER_KEY, OWNER_SECRET),
        "iam",
        SystemTime::now() - Duration::from_secs(3600),
    );
    for (what, headers, code, status) in [
        (
            "no Authorization header",
            without(&good, "authorization"),
            "MissingAuthenticationToken",
            403,
        ),
        (
            "an unknown access key",
            unknown_key,
            "InvalidClientTokenId",
            403,
        ),
        (
            "a signature one digit off",
            with_authorization(&good, |a| {
                let last = if a.ends_with('0') { "1" } else { "0" };
                format!("{}{last}", &a[..a.len() - 1])
            }),
            "SignatureDoesNotMatch",
            403,
        ),
        ("a time an hour old", expired, "SignatureDoesNotMatch", 403),
        (
            "no signature part",
            with_authorization(&good, |a| {
                a.split(", Signature=").next().unwrap().to_owned()
            }),
            "IncompleteSignature",
            400,
        ),
    ] {
        let response = server.request_to("POST", "/", &headers, body).await;
        let text = String::from_utf8_lossy(&response.body).into_owned();
        assert_eq!(response.status, status, "{what}: {text}");
        assert!(
            text.contains(&format!("<Code>{code}</Code>")),
            "{what}: {text}"
        );
        assert!(text.contains("<Type>Sender</Type>"), "{what}: {text}");
    }
}
