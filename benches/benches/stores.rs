//! Criterion benches of the stores side by side (issue 8).
//!
//! * `store_writes/{memory,sqlite,postgres,sqlite_baseline}/{1,2,64}_writers`: each writer
//!   associates an `IAM` principal with a portfolio of its own and disassociates it again (2
//!   acknowledged writes per iteration, reported as elements/s). `memory` is `MemoryStore`;
//!   `sqlite` is `SqliteStore` (every write synced before it returns, concurrent writers sharing
//!   syncs); `postgres` is `PostgresStore` on a throw-away cluster with PostgreSQL's default
//!   `fsync=on` and `synchronous_commit=on` (every commit flushed before it is answered; its own
//!   group commit shares flushes between concurrent transactions), one connection per writer;
//!   `sqlite_baseline` does the same writes as one SQLite transaction each (an `INSERT` and a
//!   `DELETE` on a table keyed like the association), `synchronous=FULL`, WAL, one connection
//!   per writer: what a straightforward durable store does.
//! * `store_reads/{check_access,portfolios_for_principal,list_principals}/{memory,sqlite,postgres}`:
//!   the Service over each store, on the same data.
//! * `store_startup/sqlite/{n}`: opening a data directory holding `n` portfolios (3
//!   associations each) and building the Service's index over it: the server's start-up.
//!
//! Run with `cargo bench -p portcullis-benches --bench stores`. The `postgres` rows need
//! PostgreSQL's binaries (`/usr/lib/postgresql/*/bin`, else on `PATH`); without them they are
//! left out, with a note on standard error.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use std::hint::black_box;
use std::path::Path;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use portcullis_api::{Config, Service};
use portcullis_matcher::PrincipalArn;
use portcullis_model::*;
use portcullis_store::{Association, CatalogStore, MemoryStore, NewPortfolio, Store};
use portcullis_store_postgres::{PostgresOptions, PostgresStore};
use portcullis_store_sqlite::SqliteStore;

#[path = "../../crates/store-postgres/tests/common/mod.rs"]
mod pg;

const OWNER: &str = "111111111111";
const WRITERS: [usize; 3] = [1, 2, 64];

fn owner() -> AccountId {
    OWNER.parse().unwrap()
}

fn new_portfolio(i: usize) -> NewPortfolio {
    NewPortfolio {
        owner: owner(),
        partition: Partition::default(),
        region: Region::parse("us-east-1").unwrap(),
        display_name: format!("portfolio {i}"),
        description: None,
        provider_name: "bench".into(),
        tags: vec![],
        created_time: Timestamp::now(),
        idempotency_token: None,
    }
}

/// One writer's work: a portfolio of its own and the principal it adds and removes.
struct Lane {
    portfolio: PortfolioId,
    association: Association,
}

fn lanes(store: &dyn Store, n: usize) -> Vec<Lane> {
    (0..n)
        .map(|i| Lane {
            portfolio: store
                .create_portfolio(new_portfolio(i))
                .unwrap()
                .portfolio
                .id,
            association: Association::Iam(
                PrincipalArn::parse(&format!("arn:aws:iam::{OWNER}:role/writer-{i}")).unwrap(),
            ),
        })
        .collect()
}

/// Runs `iters` iterations of `op` on each of `writers` threads started together; answers the
/// wall time from the first start to the last end.
fn run(writers: usize, iters: u64, op: &(dyn Fn(usize) + Sync)) -> Duration {
    let barrier = Barrier::new(writers);
    let spans: Vec<(Instant, Instant)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..writers)
            .map(|w| {
                let barrier = &barrier;
                scope.spawn(move || {
                    barrier.wait();
                    let start = Instant::now();
                    for _ in 0..iters {
                        op(w);
                    }
                    (start, Instant::now())
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let first = spans.iter().map(|s| s.0).min().unwrap();
    let last = spans.iter().map(|s| s.1).max().unwrap();
    last - first
}

/// The baseline: each write its own synced SQLite transaction, one connection per writer
/// (behind a mutex: rusqlite connections are `Send`, not `Sync`).
struct Baseline {
    _dir: tempfile::TempDir,
    connections: Vec<std::sync::Mutex<rusqlite::Connection>>,
}

impl Baseline {
    fn new(writers: usize) -> Baseline {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("baseline.sqlite3");
        let open = |path: &Path| {
            let c = rusqlite::Connection::open(path).unwrap();
            c.pragma_update(None, "journal_mode", "WAL").unwrap();
            c.pragma_update(None, "synchronous", "FULL").unwrap();
            c.busy_timeout(Duration::from_secs(60)).unwrap();
            c
        };
        open(&file)
            .execute_batch(
                "CREATE TABLE associations (portfolio TEXT, account TEXT, type TEXT, arn TEXT, \
                 PRIMARY KEY (portfolio, account, type, arn))",
            )
            .unwrap();
        Baseline {
            connections: (0..writers)
                .map(|_| std::sync::Mutex::new(open(&file)))
                .collect(),
            _dir: dir,
        }
    }

    fn op(&self, writer: usize) {
        let connection = self.connections[writer].lock().unwrap();
        let portfolio = format!("port-{writer}");
        let arn = format!("arn:aws:iam::{OWNER}:role/writer-{writer}");
        connection
            .execute(
                "INSERT INTO associations VALUES (?1, ?2, 'IAM', ?3)",
                rusqlite::params![portfolio, OWNER, arn],
            )
            .unwrap();
        connection
            .execute(
                "DELETE FROM associations WHERE portfolio = ?1 AND arn = ?2",
                rusqlite::params![portfolio, arn],
            )
            .unwrap();
    }
}

/// A throw-away PostgreSQL cluster that syncs its commits, or `None` (with a note) where
/// PostgreSQL is not installed.
fn postgres_cluster() -> Option<pg::Cluster> {
    match std::panic::catch_unwind(pg::Cluster::start_durable) {
        Ok(cluster) => Some(cluster),
        Err(_) => {
            eprintln!("stores: PostgreSQL could not be started; the `postgres` rows are left out");
            None
        }
    }
}

/// A `PostgresStore` on a fresh database of `cluster`, with a connection for each of `writers`.
fn postgres_store(cluster: &pg::Cluster, writers: usize) -> Arc<dyn Store> {
    let mut options = PostgresOptions::default();
    options.max_connections = writers.max(4);
    Arc::new(PostgresStore::connect_with(&cluster.fresh_database(), options).unwrap())
}

fn store_writes(c: &mut Criterion) {
    let cluster = postgres_cluster();
    let mut group = c.benchmark_group("store_writes");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    for writers in WRITERS {
        group.throughput(Throughput::Elements(2 * writers as u64));
        let id = |name: &str| BenchmarkId::new(name, format!("{writers}_writers"));

        let dir = tempfile::tempdir().unwrap();
        let mut stores: Vec<(&str, Arc<dyn Store>)> = vec![
            ("memory", Arc::new(MemoryStore::new())),
            ("sqlite", Arc::new(SqliteStore::open(dir.path()).unwrap())),
        ];
        if let Some(cluster) = &cluster {
            stores.push(("postgres", postgres_store(cluster, writers)));
        }
        for (name, store) in stores {
            let lanes = lanes(&*store, writers);
            group.bench_function(id(name), |b| {
                b.iter_custom(|iters| {
                    run(writers, iters, &|w| {
                        let lane = &lanes[w];
                        store
                            .associate(&lane.portfolio, &owner(), lane.association.clone(), 1000)
                            .unwrap();
                        store
                            .disassociate(
                                &lane.portfolio,
                                &owner(),
                                PrincipalType::Iam,
                                lane.association.arn(),
                            )
                            .unwrap();
                    })
                })
            });
        }

        let baseline = Baseline::new(writers);
        group.bench_function(id("sqlite_baseline"), |b| {
            b.iter_custom(|iters| run(writers, iters, &|w| baseline.op(w)))
        });
    }
    group.finish();
}

/// A service over `store` with an organization, a portfolio holding patterns and an OU share
/// with principal sharing, and a member principal to ask about.
struct Reads {
    service: Service,
    portfolio: PortfolioId,
    principal: PrincipalArn,
    owner: Caller,
}

fn caller(account: &str) -> Caller {
    Caller::new(
        Partition::default(),
        Region::parse("us-east-1").unwrap(),
        account.parse().unwrap(),
    )
}

impl Reads {
    fn new(store: Arc<dyn Store>) -> Reads {
        let service = Service::new(store, Config::default());
        let owner = caller(OWNER);
        let portfolio = service
            .create_portfolio(
                &owner,
                CreatePortfolioInput {
                    display_name: Some("reads".into()),
                    provider_name: Some("bench".into()),
                    ..Default::default()
                },
            )
            .unwrap()
            .portfolio_detail
            .id;
        // An `IAM` principal must exist before it is associated (SPEC §4.4).
        service
            .create_role(
                &owner,
                CreateRoleInput {
                    role_name: Some("admin".into()),
                    assume_role_policy_document: Some("{}".into()),
                    ..Default::default()
                },
            )
            .unwrap();
        for (arn, t) in [
            ("arn:aws:iam:::role/team-*/Deploy*", "IAM_PATTERN"),
            ("arn:aws:iam:::role/svc-?-reader", "IAM_PATTERN"),
            ("arn:aws:iam::111111111111:role/admin", "IAM"),
        ] {
            service
                .associate_principal_with_portfolio(
                    &owner,
                    AssociatePrincipalWithPortfolioInput {
                        portfolio_id: Some(portfolio.to_string()),
                        principal_arn: Some(arn.into()),
                        principal_type: Some(t.into()),
                        ..Default::default()
                    },
                )
                .unwrap();
        }
        service.settle_index().unwrap();
        Reads {
            principal: PrincipalArn::parse("arn:aws:iam::111111111111:role/team-a/DeployBot")
                .unwrap(),
            service,
            portfolio,
            owner,
        }
    }
}

fn store_reads(c: &mut Criterion) {
    let mut group = c.benchmark_group("store_reads");
    group
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2));
    let dir = tempfile::tempdir().unwrap();
    let cluster = postgres_cluster();
    let mut stores: Vec<(&str, Arc<dyn Store>)> = vec![
        ("memory", Arc::new(MemoryStore::new())),
        ("sqlite", Arc::new(SqliteStore::open(dir.path()).unwrap())),
    ];
    if let Some(cluster) = &cluster {
        stores.push(("postgres", postgres_store(cluster, 4)));
    }
    for (name, store) in stores {
        let reads = Reads::new(store);
        group.bench_function(BenchmarkId::new("check_access", name), |b| {
            b.iter(|| {
                let decision = reads
                    .service
                    .check_access(&reads.owner, &reads.portfolio, black_box(&reads.principal))
                    .unwrap();
                assert!(decision.allowed());
                decision
            })
        });
        group.bench_function(BenchmarkId::new("portfolios_for_principal", name), |b| {
            b.iter(|| {
                reads
                    .service
                    .portfolios_for_principal(&reads.owner, black_box(&reads.principal))
                    .unwrap()
            })
        });
        group.bench_function(BenchmarkId::new("list_principals", name), |b| {
            b.iter(|| {
                reads
                    .service
                    .list_principals_for_portfolio(
                        &reads.owner,
                        ListPrincipalsForPortfolioInput {
                            portfolio_id: Some(reads.portfolio.to_string()),
                            ..Default::default()
                        },
                    )
                    .unwrap()
            })
        });
    }
    group.finish();
}

/// A data directory holding `n` portfolios of 3 associations each, written by 64 writers.
fn populated(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path()).unwrap();
    let started = Instant::now();
    run(64, 1, &|w| {
        for i in (w..n).step_by(64) {
            let id = store
                .create_portfolio(new_portfolio(i))
                .unwrap()
                .portfolio
                .id;
            for arn in [
                format!("arn:aws:iam::{OWNER}:role/admin-{i:06}"),
                format!("arn:aws:iam:::role/team-{i:06}/Deploy*"),
                format!("arn:aws:iam:::role/svc-{i:06}-reader-?"),
            ] {
                let association = if arn.contains(":iam:::") {
                    Association::Pattern(Arc::new(
                        portcullis_matcher::PrincipalPattern::parse(&arn).unwrap(),
                    ))
                } else {
                    Association::Iam(PrincipalArn::parse(&arn).unwrap())
                };
                store.associate(&id, &owner(), association, 1000).unwrap();
            }
        }
    });
    eprintln!(
        "store_startup: wrote {n} portfolios (4 synced writes each) with 64 writers in {:.2?}",
        started.elapsed()
    );
    dir
}

fn store_startup(c: &mut Criterion) {
    let mut group = c.benchmark_group("store_startup");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(10));
    for n in [1_000, 100_000] {
        let dir = populated(n);
        group.bench_function(BenchmarkId::new("sqlite", n), |b| {
            b.iter(|| {
                let store = SqliteStore::open(dir.path()).unwrap();
                let service = Service::new(Arc::new(store), Config::default());
                let probe =
                    PrincipalArn::parse(&format!("arn:aws:iam::{OWNER}:role/team-000000/DeployX"))
                        .unwrap();
                assert_eq!(
                    service
                        .portfolios_for_principal(&caller(OWNER), &probe)
                        .unwrap()
                        .len(),
                    1
                );
                service
            })
        });
    }
    group.finish();
}

criterion_group!(benches, store_writes, store_reads, store_startup);
criterion_main!(benches);
