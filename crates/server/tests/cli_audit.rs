//! `portcullis audit` against a running server: the table, `--json`, and an unreachable server.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod blocking;

use std::process::Command;

use blocking::*;
use serde_json::{Value, json};

fn ok(addr: &str, account: &str, target: &str, body: Value) -> Value {
    let (status, answer) = call(addr, account, target, &body).unwrap();
    assert_eq!(status, 200, "{target}: {answer}");
    answer
}

fn org(addr: &str, operation: &str, body: Value) -> Value {
    ok(
        addr,
        OWNER,
        &format!("AWSOrganizationsV20161128.{operation}"),
        body,
    )
}

fn catalog_ok(addr: &str, operation: &str, body: Value) -> Value {
    ok(
        addr,
        OWNER,
        &format!("AWS242ServiceCatalogService.{operation}"),
        body,
    )
}

/// An organization with an OU holding one member account, a portfolio with `role/Deploy*`
/// shared with the OU with principal sharing on, and a matching role in the member. Answers the
/// portfolio id and the member.
fn scenario(addr: &str) -> (String, String) {
    org(addr, "CreateOrganization", json!({"FeatureSet": "ALL"}));
    let root = org(addr, "ListRoots", json!({}))["Roots"][0]["Id"]
        .as_str()
        .unwrap()
        .to_owned();
    let ou = org(
        addr,
        "CreateOrganizationalUnit",
        json!({"ParentId": root, "Name": "dev"}),
    )["OrganizationalUnit"]["Id"]
        .as_str()
        .unwrap()
        .to_owned();
    let member = org(
        addr,
        "CreateAccount",
        json!({"Email": "dev@example.com", "AccountName": "dev"}),
    )["CreateAccountStatus"]["AccountId"]
        .as_str()
        .unwrap()
        .to_owned();
    org(
        addr,
        "MoveAccount",
        json!({"AccountId": member, "SourceParentId": root, "DestinationParentId": ou}),
    );
    catalog_ok(addr, "EnableAWSOrganizationsAccess", json!({}));
    let portfolio = catalog_ok(
        addr,
        "CreatePortfolio",
        json!({"DisplayName": "p", "ProviderName": "q"}),
    )["PortfolioDetail"]["Id"]
        .as_str()
        .unwrap()
        .to_owned();
    catalog_ok(
        addr,
        "AssociatePrincipalWithPortfolio",
        json!({"PortfolioId": portfolio, "PrincipalARN": "arn:aws:iam:::role/Deploy*", "PrincipalType": "IAM_PATTERN"}),
    );
    catalog_ok(
        addr,
        "CreatePortfolioShare",
        json!({"PortfolioId": portfolio, "OrganizationNode": {"Type": "ORGANIZATIONAL_UNIT", "Value": ou}, "SharePrincipals": true}),
    );
    create_role(addr, &member, "DeployBot");
    (portfolio, member)
}

fn audit(addr: &str, extra: &[&str]) -> (i32, String, String) {
    let out = Command::new(BIN)
        .args([
            "audit",
            "--endpoint",
            &format!("http://{addr}"),
            "--account",
            OWNER,
        ])
        .args(extra)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn audit_prints_a_table_of_findings_and_json_with_json() {
    let server = Server::with(&["--in-memory".as_ref()]);
    let (portfolio, member) = scenario(&server.addr);

    let (code, table, stderr) = audit(&server.addr, &[]);
    assert_eq!(code, 0, "{stderr}");
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[0].starts_with("RATING  PORTFOLIO"), "{table}");
    assert!(lines[1].starts_with("HIGH "), "{table}");
    assert!(lines[1].contains(&portfolio), "{table}");
    assert!(lines[1].contains("arn:aws:iam:::role/Deploy*"), "{table}");
    assert!(
        table.contains(&format!(
            "    matches:  arn:aws:iam::{member}:role/DeployBot (AROA"
        )),
        "{table}"
    );
    assert!(
        table.contains("    remedy:   associate the principals"),
        "{table}"
    );
    assert!(
        table.ends_with("1 finding, 1 rated HIGH or CRITICAL\n"),
        "{table}"
    );

    let (code, json, _) = audit(&server.addr, &["--json", "--portfolio-id", &portfolio]);
    assert_eq!(code, 0);
    let answer: Value = serde_json::from_str(&json).unwrap();
    let finding = &answer["Findings"][0];
    assert_eq!(finding["PrincipalARN"], "arn:aws:iam:::role/Deploy*");
    assert_eq!(finding["Guessability"], "HIGH");
    assert_eq!(finding["ReachedAccounts"], json!([member]));
}

#[test]
fn audit_says_when_there_is_nothing_to_report_and_fails_without_a_server() {
    let server = Server::with(&["--in-memory".as_ref()]);
    let (code, table, _) = audit(&server.addr, &[]);
    assert_eq!(code, 0);
    assert!(table.starts_with("no findings"), "{table}");
    let (code, _, stderr) = audit(&server.addr, &["--portfolio-id", "port-nosuchportf1"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("ResourceNotFoundException"), "{stderr}");
    drop(server);
    let (code, _, stderr) = audit("127.0.0.1:1", &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("cannot reach"), "{stderr}");
}
