//! Test-suite isolation (issue 10): `POST /moto-api/reset` (moto's path, so suites written for
//! moto work unchanged) and `POST /_portcullis/reset` return the server to a new one's state at
//! once, reverse-query index included; `GET /_portcullis/health` answers while the server
//! serves. Driven over real HTTP with the AWS SDK for Rust and a raw client. Also the one
//! answer moto's suites read that only the wire shows: the `Reason` member of Organizations'
//! `InvalidInputException`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use aws_sdk_servicecatalog::types::PrincipalType;
use common::sdk::*;
use common::*;
use serde_json::json;

async fn reset(server: &Server, path: &str) -> serde_json::Value {
    server.request_to("POST", path, &[], b"").await.ok()
}

async fn portfolios_for(server: &Server, arn: &str) -> Vec<String> {
    let answer = server
        .portcullis(
            "ListPortfoliosForPrincipal",
            MANAGEMENT,
            json!({ "PrincipalARN": arn }),
        )
        .await
        .ok();
    answer["PortfolioDetails"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["Id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn moto_reset_path_removes_portfolios_shares_organizations_iam_principals_and_the_reverse_index()
 {
    let server = Server::start();
    let org = build_organization(&server).await;
    let sc = server.catalog(MANAGEMENT).await;
    let portfolio = create_portfolio(&sc, "before").await;
    let dev = role(MANAGEMENT, "Dev");
    let first_id = create_role(&server, MANAGEMENT, "Dev").await;
    associate(&sc, &portfolio, &dev, PrincipalType::Iam).await;
    sc.create_portfolio_share()
        .portfolio_id(&portfolio)
        .account_id(OTHER)
        .send()
        .await
        .unwrap();
    assert_eq!(portfolios_for(&server, &dev).await, vec![portfolio.clone()]);

    assert_eq!(
        reset(&server, "/moto-api/reset").await,
        json!({ "status": "ok" })
    );

    assert!(portfolio_ids(&sc).await.is_empty());
    assert!(
        portfolios_for(&server, &dev).await.is_empty(),
        "the reverse index forgot the portfolio"
    );
    let describe = sc.describe_portfolio().id(&portfolio).send().await;
    assert_eq!(
        service_error(describe).meta().code(),
        Some("ResourceNotFoundException")
    );
    let recipient = server.catalog(OTHER).await;
    let accepted = recipient
        .accept_portfolio_share()
        .portfolio_id(&portfolio)
        .send()
        .await;
    assert_eq!(
        service_error(accepted).meta().code(),
        Some("ResourceNotFoundException")
    );
    let orgs = server.organizations(MANAGEMENT).await;
    let described = orgs.describe_organization().send().await;
    assert_eq!(
        service_error(described).meta().code(),
        Some("AWSOrganizationsNotInUseException")
    );
    let member = server.organizations(&org.members[0]).await;
    assert_eq!(
        service_error(member.describe_organization().send().await)
            .meta()
            .code(),
        Some("AWSOrganizationsNotInUseException")
    );

    // The IAM principals went too: the role must be created again before it is associated.
    let iam = server.iam(MANAGEMENT).await;
    let gone = iam.get_role().role_name("Dev").send().await;
    assert_eq!(service_error(gone).meta().code(), Some("NoSuchEntity"));

    // The server goes on as a new one: the same account founds an organization again.
    build_organization(&server).await;
    let again = create_portfolio(&sc, "after").await;
    assert_ne!(again, portfolio);
    let second_id = create_role(&server, MANAGEMENT, "Dev").await;
    assert_ne!(second_id, first_id);
    associate(&sc, &again, &dev, PrincipalType::Iam).await;
    assert_eq!(portfolios_for(&server, &dev).await, vec![again]);
}

#[tokio::test]
async fn portcullis_reset_path_resets_as_moto_path_does_and_health_answers() {
    let server = Server::start();
    let health = server
        .request_to("GET", "/_portcullis/health", &[], b"")
        .await;
    assert_eq!(health.ok(), json!({ "status": "ok" }));
    let sc = server.catalog(MANAGEMENT).await;
    create_portfolio(&sc, "one").await;
    assert_eq!(
        reset(&server, "/_portcullis/reset").await,
        json!({ "status": "ok" })
    );
    assert!(portfolio_ids(&sc).await.is_empty());
    // A reset of an empty server is fine too.
    reset(&server, "/moto-api/reset").await;
    assert_eq!(
        server
            .request_to("GET", "/_portcullis/health", &[], b"")
            .await
            .status,
        200
    );
}

/// The reset paths take only `POST` and the health path only `GET` (and `HEAD`): any other
/// method is answered 405 and resets nothing.
#[tokio::test]
async fn reset_and_health_paths_answer_other_methods_405_and_change_nothing() {
    let server = Server::start();
    let sc = server.catalog(MANAGEMENT).await;
    create_portfolio(&sc, "kept").await;
    for (method, path) in [
        ("GET", "/moto-api/reset"),
        ("PUT", "/_portcullis/reset"),
        ("POST", "/_portcullis/health"),
    ] {
        let answer = server.request_to(method, path, &[], b"").await;
        assert_eq!(answer.status, 405, "{method} {path}");
    }
    assert_eq!(portfolio_ids(&sc).await.len(), 1);
    let head = server
        .request_to("HEAD", "/_portcullis/health", &[], b"")
        .await;
    assert_eq!(head.status, 200);
}

/// No half-cleared state is visible: readers listing 40 portfolios while the server is reset
/// see all 40 or none, never part of them.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_reset_is_never_seen_half_done_by_concurrent_requests() {
    let server = std::sync::Arc::new(Server::start());
    let sc = server.catalog(MANAGEMENT).await;
    for round in 0..3 {
        for i in 0..40 {
            create_portfolio(&sc, &format!("p{round}-{i}")).await;
        }
        let readers: Vec<_> = (0..4)
            .map(|_| {
                let sc = sc.clone();
                tokio::spawn(async move {
                    loop {
                        let listed = sc
                            .list_portfolios()
                            .page_size(100)
                            .send()
                            .await
                            .unwrap()
                            .portfolio_details()
                            .len();
                        assert!(listed == 40 || listed == 0, "saw {listed} of 40 portfolios");
                        if listed == 0 {
                            break;
                        }
                    }
                })
            })
            .collect();
        reset(&server, "/moto-api/reset").await;
        for reader in readers {
            reader.await.unwrap();
        }
    }
}

#[tokio::test]
async fn unrecognized_service_principal_answers_its_reason_on_the_wire() {
    let server = Server::start();
    let org = build_organization(&server).await;
    let answer = server
        .post(
            Some("AWSOrganizationsV20161128.RegisterDelegatedAdministrator"),
            Some(MANAGEMENT),
            json!({ "AccountId": org.members[0], "ServicePrincipal": "moto.amazonaws.com" })
                .to_string()
                .as_bytes(),
        )
        .await;
    assert_eq!(answer.status, 400);
    assert_eq!(
        answer.json(),
        json!({
            "__type": "InvalidInputException",
            "message": "You specified an unrecognized service principal.",
            "Reason": "UNRECOGNIZED_SERVICE_PRINCIPAL",
        })
    );
}
