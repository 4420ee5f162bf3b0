//! Criterion benchmark of `PortcullisService.ListProductsForPrincipal` next to its baseline,
//! `ListPortfoliosForPrincipal`, in the same run (issue 10, item 4):
//!
//! * `products_for_principal/{list_portfolios,list_products}/{owner_hit,miss}/{10,1000,100000}`:
//!   the two operations as the server calls them (`Service::list_portfolios_for_principal`,
//!   `Service::list_products_for_principal`: validation, the ARN parsed, the reverse query on a
//!   warm index, the page and its wire shapes), over `n` portfolios, each with 2 `IAM_PATTERN`
//!   associations named after it and 2 products of its own; every 10th portfolio is shared with
//!   another account. `owner_hit` probes a principal exactly one portfolio's pattern matches (one
//!   portfolio, two products found); `miss` one that nothing matches.
//!
//! Under load the criterion figures of the two operations, taken one after the other, drift with
//! the machine's load; so for each size the bench also times them interleaved (rounds of 2,000
//! calls of one, then 2,000 of the other, 25 rounds each) and prints the median of the rounds'
//! ratios: `products_for_principal/{n}: interleaved ratio …`.
//!
//! Run with `cargo bench -p portcullis-benches --bench products`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use std::cell::OnceCell;
use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use portcullis_api::Service;
use portcullis_model::{
    AssociatePrincipalWithPortfolioInput, AssociateProductWithPortfolioInput, Caller,
    CreatePortfolioInput, CreatePortfolioShareInput, CreateProductInput,
    ListPortfoliosForPrincipalInput, ListProductsForPrincipalInput,
};

const OWNER: &str = "111111111111";
const RECIPIENT: &str = "222222222222";
const SIZES: [usize; 3] = [10, 1_000, 100_000];
const PRODUCTS_PER_PORTFOLIO: usize = 2;
const SHARE_EVERY: usize = 10;

fn caller(account: &str) -> Caller {
    Caller::new(
        "aws".parse().unwrap(),
        "us-east-1".parse().unwrap(),
        account.parse().unwrap(),
    )
}

/// A principal exactly the first pattern of portfolio `i` matches.
fn probe(i: usize) -> String {
    format!("arn:aws:iam::{OWNER}:role/team-{i:06}/DeployBot")
}

/// `n` portfolios, each with its two patterns and its products, on a settled index.
fn corpus(n: usize) -> Service {
    let service = Service::default();
    let owner = caller(OWNER);
    for i in 0..n {
        let portfolio = service
            .create_portfolio(
                &owner,
                CreatePortfolioInput {
                    display_name: Some(format!("portfolio {i}")),
                    provider_name: Some("bench".into()),
                    ..Default::default()
                },
            )
            .unwrap()
            .portfolio_detail
            .id
            .to_string();
        for pattern in [
            format!("arn:aws:iam:::role/team-{i:06}/Deploy*"),
            format!("arn:aws:iam:::role/svc-{i:06}-reader-?"),
        ] {
            service
                .associate_principal_with_portfolio(
                    &owner,
                    AssociatePrincipalWithPortfolioInput {
                        portfolio_id: Some(portfolio.clone()),
                        principal_arn: Some(pattern),
                        principal_type: Some("IAM_PATTERN".into()),
                        ..Default::default()
                    },
                )
                .unwrap();
        }
        for j in 0..PRODUCTS_PER_PORTFOLIO {
            let product = service
                .create_product(
                    &owner,
                    CreateProductInput {
                        name: Some(format!("product {i}-{j}")),
                        owner: Some("bench".into()),
                        description: Some("a product of the bench corpus".into()),
                        product_type: Some("CLOUD_FORMATION_TEMPLATE".into()),
                        idempotency_token: Some(format!("p{i}-{j}")),
                        ..Default::default()
                    },
                )
                .unwrap()
                .product_view_detail
                .product_view_summary
                .product_id
                .to_string();
            service
                .associate_product_with_portfolio(
                    &owner,
                    AssociateProductWithPortfolioInput {
                        product_id: Some(product),
                        portfolio_id: Some(portfolio.clone()),
                        ..Default::default()
                    },
                )
                .unwrap();
        }
        if i % SHARE_EVERY == 0 {
            service
                .create_portfolio_share(
                    &owner,
                    CreatePortfolioShareInput {
                        portfolio_id: Some(portfolio.clone()),
                        account_id: Some(RECIPIENT.into()),
                        ..Default::default()
                    },
                )
                .unwrap();
        }
    }
    service.settle_index().unwrap();
    service
}

fn portfolios(service: &Service, who: &Caller, arn: &str) -> usize {
    service
        .list_portfolios_for_principal(
            who,
            ListPortfoliosForPrincipalInput {
                principal_arn: Some(arn.to_owned()),
                ..Default::default()
            },
        )
        .unwrap()
        .portfolio_details
        .len()
}

fn products(service: &Service, who: &Caller, arn: &str) -> usize {
    service
        .list_products_for_principal(
            who,
            ListProductsForPrincipalInput {
                principal_arn: Some(arn.to_owned()),
                ..Default::default()
            },
        )
        .unwrap()
        .product_access
        .len()
}

/// The median, over rounds run alternately, of (time of `ROUND` product queries) / (time of
/// `ROUND` portfolio queries) for `arn`.
fn interleaved_ratio(service: &Service, who: &Caller, arn: &str) -> f64 {
    const ROUND: usize = 2_000;
    const ROUNDS: usize = 25;
    let mut ratios = Vec::with_capacity(ROUNDS);
    for _ in 0..ROUNDS {
        let started = Instant::now();
        for _ in 0..ROUND {
            black_box(portfolios(service, black_box(who), black_box(arn)));
        }
        let baseline = started.elapsed();
        let started = Instant::now();
        for _ in 0..ROUND {
            black_box(products(service, black_box(who), black_box(arn)));
        }
        ratios.push(started.elapsed().as_secs_f64() / baseline.as_secs_f64());
    }
    ratios.sort_by(f64::total_cmp);
    ratios[ROUNDS / 2]
}

fn products_for_principal(c: &mut Criterion) {
    let mut group = c.benchmark_group("products_for_principal");
    group
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2));
    let owner = caller(OWNER);
    for n in SIZES {
        let built: OnceCell<Service> = OnceCell::new();
        let service = || {
            built.get_or_init(|| {
                let started = Instant::now();
                let service = corpus(n);
                eprintln!(
                    "products_for_principal/{n}: built {n} portfolios with {} products through \
                     the Service and settled the index in {:.2?}",
                    n * PRODUCTS_PER_PORTFOLIO,
                    started.elapsed()
                );
                for (case, arn) in [("owner_hit", probe(n / 2)), ("miss", probe(n + 1))] {
                    eprintln!(
                        "products_for_principal/{n}: interleaved ratio {case} \
                         (ListProductsForPrincipal / ListPortfoliosForPrincipal): {:.2}x",
                        interleaved_ratio(&service, &owner, &arn)
                    );
                }
                service
            })
        };
        for (case, arn, hits) in [("owner_hit", probe(n / 2), 1), ("miss", probe(n + 1), 0)] {
            group.bench_with_input(
                BenchmarkId::new(format!("list_portfolios/{case}"), n),
                &n,
                |b, _| {
                    let service = service();
                    assert_eq!(portfolios(service, &owner, &arn), hits, "{case}/{n}");
                    b.iter(|| portfolios(service, black_box(&owner), black_box(&arn)))
                },
            );
            group.bench_with_input(
                BenchmarkId::new(format!("list_products/{case}"), n),
                &n,
                |b, _| {
                    let service = service();
                    assert_eq!(
                        products(service, &owner, &arn),
                        hits * PRODUCTS_PER_PORTFOLIO,
                        "{case}/{n}"
                    );
                    b.iter(|| products(service, black_box(&owner), black_box(&arn)))
                },
            );
        }
    }
    group.finish();
}

criterion_group!(benches, products_for_principal);
criterion_main!(benches);
