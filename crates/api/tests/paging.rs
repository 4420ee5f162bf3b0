#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! Paging (SPEC §3 `PageSize`, and the decision recorded in docs/decisions.md): page tokens are
//! opaque and bound to the list they continue, and pages are filtered before they are cut.

mod common;

use common::*;
use portcullis_model::*;

fn list_portfolios(
    w: &World,
    who: &str,
    size: i64,
    token: Option<String>,
) -> Result<PortfolioDetailsPage, ServiceError> {
    w.service.list_portfolios(
        &caller(who),
        ListPortfoliosInput {
            page_size: Some(size),
            page_token: token,
            ..Default::default()
        },
    )
}

#[test]
fn pages_walk_the_whole_list_and_only_the_last_has_no_token_decision() {
    let w = World::new();
    let ids: Vec<String> = (0..5).map(|_| w.portfolio(OWNER)).collect();
    let mut seen = Vec::new();
    let mut token = None;
    let mut sizes = Vec::new();
    loop {
        let page = list_portfolios(&w, OWNER, 2, token).unwrap();
        sizes.push(page.portfolio_details.len());
        seen.extend(page.portfolio_details.into_iter().map(|p| p.id.to_string()));
        match page.next_page_token {
            Some(t) => token = Some(t.as_str().to_owned()),
            None => break,
        }
    }
    assert_eq!(sizes, vec![2, 2, 1]);
    assert_eq!(seen, ids);
}

#[test]
fn a_page_token_of_another_operation_caller_or_list_is_invalid_parameters_decision() {
    let w = World::new();
    let first = w.portfolio(OWNER);
    w.portfolio(OWNER);
    let token = list_portfolios(&w, OWNER, 1, None)
        .unwrap()
        .next_page_token
        .unwrap()
        .as_str()
        .to_owned();
    // The same list continues with it.
    assert_eq!(
        list_portfolios(&w, OWNER, 1, Some(token.clone()))
            .unwrap()
            .portfolio_details
            .len(),
        1
    );
    // Another caller.
    let e = assert_error(
        list_portfolios(&w, OTHER, 1, Some(token.clone())),
        ErrorKind::InvalidParameters,
    );
    assert!(e.message().contains("`PageToken`"), "{}", e.message());
    // Another operation.
    assert_error(
        w.service.list_accepted_portfolio_shares(
            &caller(OWNER),
            ListAcceptedPortfolioSharesInput {
                page_token: Some(token.clone()),
                ..Default::default()
            },
        ),
        ErrorKind::InvalidParameters,
    );
    // Another list of the same operation (another portfolio's principals).
    w.associate(OWNER, &first, "arn:aws:iam:::role/a*", "IAM_PATTERN")
        .unwrap();
    w.associate(OWNER, &first, "arn:aws:iam:::role/b*", "IAM_PATTERN")
        .unwrap();
    let principals = |id: &str, token: Option<String>| {
        w.service.list_principals_for_portfolio(
            &caller(OWNER),
            ListPrincipalsForPortfolioInput {
                portfolio_id: Some(id.into()),
                page_size: Some(1),
                page_token: token,
                ..Default::default()
            },
        )
    };
    let principal_token = principals(&first, None)
        .unwrap()
        .next_page_token
        .unwrap()
        .as_str()
        .to_owned();
    let second = w.portfolio(OWNER);
    assert_error(
        principals(&second, Some(principal_token)),
        ErrorKind::InvalidParameters,
    );
    // Tokens this service never issued.
    for garbage in ["1", "not a token", "djE"] {
        assert_error(
            list_portfolios(&w, OWNER, 1, Some(garbage.into())),
            ErrorKind::InvalidParameters,
        );
    }
}

#[test]
fn accepted_shares_are_filtered_before_the_page_is_cut_decision() {
    let w = World::new();
    let org = w.organization();
    let member = &org.members[0];
    w.move_account(member, &org.root, &org.ou);
    let ids: Vec<String> = (0..4).map(|_| w.portfolio(OWNER)).collect();
    for id in &ids {
        w.share_with_node(OWNER, id, "ORGANIZATIONAL_UNIT", &org.ou, false)
            .unwrap();
        w.accept(member, id, Some("AWS_ORGANIZATIONS")).unwrap();
    }
    // The first three stop covering the member: their imports stay in the store but are no
    // longer listed.
    for id in &ids[..3] {
        w.service
            .delete_portfolio_share(
                &caller(OWNER),
                DeletePortfolioShareInput {
                    portfolio_id: Some(id.clone()),
                    organization_node: Some(OrganizationNodeInput {
                        node_type: Some("ORGANIZATIONAL_UNIT".into()),
                        value: Some(org.ou.clone()),
                    }),
                    ..Default::default()
                },
            )
            .unwrap();
    }
    let page = w
        .service
        .list_accepted_portfolio_shares(
            &caller(member),
            ListAcceptedPortfolioSharesInput {
                portfolio_share_type: Some("AWS_ORGANIZATIONS".into()),
                page_size: Some(1),
                ..Default::default()
            },
        )
        .unwrap();
    let listed: Vec<String> = page
        .portfolio_details
        .iter()
        .map(|p| p.id.to_string())
        .collect();
    assert_eq!(listed, vec![ids[3].clone()]);
    assert_eq!(page.next_page_token, None, "no token when nothing follows");
}
