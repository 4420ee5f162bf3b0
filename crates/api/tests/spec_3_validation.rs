//! SPEC §3 Identifiers and field validation: every field is checked against the API model
//! before anything else happens; generated ids have the AWS form; `PageSize` is 0–100.
//!
//! Each test's name states the rule it pins; a SPEC decision has `decision` in its name. The
//! paging decisions (opaque tokens, filtered then cut) are in `paging.rs`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::*;
use portcullis_model::*;

#[test]
fn missing_required_field_is_invalid_parameters() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    let e = assert_error(
        w.service.associate_principal_with_portfolio(
            &caller(OWNER),
            AssociatePrincipalWithPortfolioInput {
                portfolio_id: Some(id),
                principal_arn: Some(owner_role("a")),
                ..Default::default()
            },
        ),
        ErrorKind::InvalidParameters,
    );
    assert!(e.message().contains("PrincipalType"), "{}", e.message());
}

#[test]
fn portfolio_id_pattern_and_length_are_validated_before_lookup() {
    let w = World::new();
    for bad in ["", "port/../x", &"p".repeat(101)] {
        let e = assert_error(
            w.associate(OWNER, bad, &owner_role("a"), IAM),
            ErrorKind::InvalidParameters,
        );
        assert!(e.message().contains("PortfolioId"), "{}", e.message());
    }
}

#[test]
fn principal_type_must_be_iam_or_iam_pattern() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    assert_error(
        w.associate(OWNER, &id, &owner_role("a"), "iam"),
        ErrorKind::InvalidParameters,
    );
    assert_error(
        w.associate(OWNER, &id, &owner_role("a"), "ROLE"),
        ErrorKind::InvalidParameters,
    );
}

#[test]
fn principal_arn_longer_than_1000_characters_is_invalid_parameters() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    let long = format!("arn:aws:iam:::role/{}", "a".repeat(990));
    assert_error(
        w.associate(OWNER, &id, &long, PATTERN),
        ErrorKind::InvalidParameters,
    );
}

#[test]
fn accept_language_other_than_en_jp_zh_is_invalid_parameters_decision() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    w.ensure_principal(OWNER, &owner_role("lang"));
    for (language, ok) in [
        ("en", true),
        ("jp", true),
        ("zh", true),
        ("fr", false),
        ("EN", false),
    ] {
        let result = w.service.associate_principal_with_portfolio(
            &caller(OWNER),
            AssociatePrincipalWithPortfolioInput {
                accept_language: Some(language.into()),
                portfolio_id: Some(id.clone()),
                principal_arn: Some(owner_role("lang")),
                principal_type: Some(IAM.into()),
            },
        );
        assert_eq!(result.is_ok(), ok, "{language}");
    }
}

#[test]
fn generated_ids_have_the_aws_form() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    assert!(id.starts_with("port-") && id.len() == 18, "{id}");
    assert!(
        id[5..]
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    );
    let detail = w
        .service
        .describe_portfolio(
            &caller(OWNER),
            DescribePortfolioInput {
                id: Some(id.clone()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(
        detail.portfolio_detail.arn,
        format!("arn:aws:catalog:us-east-1:{OWNER}:portfolio/{id}")
    );
}

#[test]
fn pagination_walks_every_principal_once() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    for i in 0..25 {
        w.associate(OWNER, &id, &owner_role(&format!("r{i:02}")), IAM)
            .unwrap();
    }
    let mut seen = Vec::new();
    let mut token = None;
    loop {
        let out = w
            .service
            .list_principals_for_portfolio(
                &caller(OWNER),
                ListPrincipalsForPortfolioInput {
                    portfolio_id: Some(id.clone()),
                    page_size: Some(7),
                    page_token: token,
                    ..Default::default()
                },
            )
            .unwrap();
        assert!(out.principals.len() <= 7);
        seen.extend(out.principals.into_iter().map(|p| p.principal_arn));
        match out.next_page_token {
            Some(t) => token = Some(t.to_string()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 25);
    assert_error(
        w.service.list_principals_for_portfolio(
            &caller(OWNER),
            ListPrincipalsForPortfolioInput {
                portfolio_id: Some(id),
                page_size: Some(101),
                ..Default::default()
            },
        ),
        ErrorKind::InvalidParameters,
    );
}
