//! SPEC §2 Callers: resources are per (account, region).
//!
//! Each test's name states the rule it pins.

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
fn portfolio_in_another_region_is_not_found() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    let elsewhere = caller_in(OWNER, "eu-west-1");
    assert_error(
        w.service.describe_portfolio(
            &elsewhere,
            DescribePortfolioInput {
                id: Some(id),
                ..Default::default()
            },
        ),
        ErrorKind::ResourceNotFound,
    );
}
