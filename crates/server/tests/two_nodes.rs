#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! Several nodes on PostgreSQL (issue 8, §3): two real servers started with `--database-url` on
//! one throw-away PostgreSQL cluster. 32 clients racing across both nodes to associate patterns
//! on one portfolio never make 11; a share created through one node is accepted through the
//! other; and after every write through either node, both nodes' reverse queries agree (the
//! bound: a write is visible to every node's next request once its response was received).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

mod blocking;
#[path = "../../store-postgres/tests/common/mod.rs"]
mod pg;

use blocking::*;

const RECIPIENT: &str = "222222222222";

fn node(url: &str) -> Server {
    let server = Server::with(&["--database-url".as_ref(), url.as_ref()]);
    assert!(
        server
            .line
            .contains("(database postgres://postgres@127.0.0.1:"),
        "the listening line names the database: {:?}",
        server.line
    );
    server
}

fn as_account(
    server: &Server,
    account: &str,
    operation: &str,
    body: serde_json::Value,
) -> (u16, serde_json::Value) {
    call(
        &server.addr,
        account,
        &format!("AWS242ServiceCatalogService.{operation}"),
        &body,
    )
    .unwrap()
}

/// The portfolio ids `principal` may use, as `server`'s reverse query answers.
fn reverse(server: &Server, asker: &str, principal: &str) -> Vec<String> {
    let (status, body) = call(
        &server.addr,
        asker,
        "PortcullisService.ListPortfoliosForPrincipal",
        &serde_json::json!({"PrincipalARN": principal, "PageSize": 100}),
    )
    .unwrap();
    assert_eq!(status, 200, "{body}");
    body["PortfolioDetails"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["Id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn two_nodes_on_one_database_share_limits_shares_and_the_reverse_query() {
    let cluster = pg::shared();
    let url = cluster.fresh_database();
    let (a, b) = (node(&url), node(&url));
    let portfolio = create_portfolio(&a.addr, "shared by two nodes");

    // 32 clients, alternating between the nodes, each associating its own pattern: exactly 10
    // succeed, the others get LimitExceededException.
    let added = Arc::new(AtomicUsize::new(0));
    let refused = Arc::new(AtomicUsize::new(0));
    std::thread::scope(|scope| {
        for client in 0..32 {
            let (server, portfolio, added, refused) = (
                if client % 2 == 0 { &a } else { &b },
                portfolio.clone(),
                Arc::clone(&added),
                Arc::clone(&refused),
            );
            scope.spawn(move || {
                let (status, body) = as_account(
                    server,
                    OWNER,
                    "AssociatePrincipalWithPortfolio",
                    serde_json::json!({
                        "PortfolioId": portfolio,
                        "PrincipalARN": format!("arn:aws:iam:::role/racer-{client}*"),
                        "PrincipalType": "IAM_PATTERN",
                    }),
                );
                match status {
                    200 => added.fetch_add(1, Ordering::Relaxed),
                    400 => {
                        assert_eq!(body["__type"], "LimitExceededException", "{body}");
                        refused.fetch_add(1, Ordering::Relaxed)
                    }
                    other => panic!("unexpected {other}: {body}"),
                };
            });
        }
    });
    assert_eq!(added.load(Ordering::Relaxed), 10);
    assert_eq!(refused.load(Ordering::Relaxed), 22);
    for server in [&a, &b] {
        let patterns = principals(&server.addr, &portfolio);
        assert_eq!(patterns.len(), 10, "never 11, seen through either node");
    }

    // A share created through one node, accepted through the other; after each write, both
    // nodes' reverse queries agree.
    let recipient_principal = format!("arn:aws:iam::{RECIPIENT}:role/Reader");
    let agree = |expected: &[&String]| {
        for server in [&a, &b] {
            let found = reverse(server, OWNER, &recipient_principal);
            let expected: Vec<String> = expected.iter().map(|s| (*s).clone()).collect();
            assert_eq!(found, expected, "node {}", server.addr);
        }
    };
    let (status, body) = as_account(
        &a,
        OWNER,
        "CreatePortfolioShare",
        serde_json::json!({"PortfolioId": portfolio, "AccountId": RECIPIENT}),
    );
    assert_eq!(status, 200, "{body}");
    agree(&[]);
    let (status, body) = as_account(
        &b,
        RECIPIENT,
        "AcceptPortfolioShare",
        serde_json::json!({"PortfolioId": portfolio}),
    );
    assert_eq!(status, 200, "{body}");
    agree(&[]);
    // The role is created on the other node: the node that associates it must see it in the
    // shared database (SPEC §4.4).
    create_role(&b.addr, RECIPIENT, "Reader");
    let (status, body) = as_account(
        &a,
        RECIPIENT,
        "AssociatePrincipalWithPortfolio",
        serde_json::json!({"PortfolioId": portfolio, "PrincipalARN": recipient_principal, "PrincipalType": "IAM"}),
    );
    assert_eq!(status, 200, "{body}");
    agree(&[&portfolio]);
    let (status, body) = as_account(
        &b,
        RECIPIENT,
        "DescribePortfolio",
        serde_json::json!({"Id": portfolio}),
    );
    assert_eq!(
        status, 200,
        "the recipient sees the accepted share through the other node: {body}"
    );
    let (status, body) = as_account(
        &b,
        OWNER,
        "DeletePortfolioShare",
        serde_json::json!({"PortfolioId": portfolio, "AccountId": RECIPIENT}),
    );
    assert_eq!(status, 200, "{body}");
    agree(&[]);
}
