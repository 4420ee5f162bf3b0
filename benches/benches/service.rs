//! Criterion benchmarks for `portcullis-api`'s `Service`, each next to its baseline in the same run:
//!
//! * `associate_mix/{service,memory_store,mutex_hashmap}/{1,2}_threads`: each iteration
//!   associates an `IAM` principal ARN with a portfolio of a pool of 64 (each already holding 2
//!   `IAM_PATTERN` and 1 `IAM` associations) and disassociates it again (2 operations, reported
//!   as elements/s), on one thread and on two threads running at once. `service` goes through `Service::associate_principal_with_portfolio` /
//!   `disassociate_principal_from_portfolio` (validation, portfolio resolution, store);
//!   `memory_store` calls `Store::associate` / `Store::disassociate` on the `MemoryStore` directly;
//!   `mutex_hashmap` is [`BaselineStore`], one `Mutex<HashMap>` with the same check-then-insert
//!   semantics (idempotent repeat, limits of 10 `IAM_PATTERN` / 1,000 `IAM` per portfolio and
//!   account) — the store-level baseline.
//! * `check_access/{owner_pattern,recipient_principal_sharing,denied_outsider}`: one
//!   `Service::check_access` for a principal in the owner's account matched by an `IAM_PATTERN`,
//!   for a principal in an OU member account reached through an OU share with `SharePrincipals`,
//!   and for a principal of an account nothing reaches.
//! * `portfolios_for_principal/{owner_hit,recipient_hit,miss}/{10,1000,100000}`: the reverse
//!   query against a warm index over `n` portfolios, each with 2 `IAM_PATTERN` and 1 `IAM`
//!   associations of its own (distinct names), every 10th shared with an OU with
//!   `SharePrincipals` on. The probes hit exactly one portfolio (or none).
//! * `portfolios_for_principal/after_write/{n}`: an `IAM` association made and removed on one
//!   portfolio, then the query that must see the change.
//! * `portfolios_for_principal/after_move/{n}`: the OU member moved to the root and back, each
//!   move followed by the query that must see it.
//!
//! * `directory_overhead/{check_access,portfolios_for_principal}/{case}/{names,principals}`: both
//!   questions on one corpus of 10,000 portfolios, with the principal directory in place
//!   (`principals`: every `IAM` association bound to a role that exists) and without it
//!   (`names`: name-bound associations, a directory that does nothing — the service as it was
//!   before principals existed), in the same run.
//!
//! Run with `cargo bench -p portcullis-benches --bench service`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use std::cell::OnceCell;
use std::collections::HashMap;
use std::hint::black_box;
use std::sync::{Arc, Barrier, Mutex};
use std::time::{Duration, Instant};

use criterion::{
    BenchmarkGroup, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main,
    measurement::WallTime,
};
use portcullis_api::{Config, IamMode, PrincipalDirectory, Service};
use portcullis_matcher::PrincipalArn;
use portcullis_model::{
    AccountId, AssociatePrincipalWithPortfolioInput, Caller, CreateAccountRequest,
    CreateOrganizationRequest, CreateOrganizationalUnitRequest, CreatePortfolioInput,
    CreatePortfolioShareInput, CreateRoleInput, DisassociatePrincipalFromPortfolioInput,
    EnableAwsOrganizationsAccessInput, ErrorKind, ListRootsRequest, MoveAccountRequest,
    OrganizationNodeInput, PortfolioId, PrincipalId, PrincipalType,
};
use portcullis_store::{Association, MemoryStore, Store, StoreError};

// ---- corpus ------------------------------------------------------------------------------------

/// The account that owns every portfolio (and manages the organization).
const OWNER: &str = "111111111111";
/// An account in no organization and with no share.
const OUTSIDER: &str = "999999999999";
/// The service's default limits, which the store and the baseline are given too.
const LIMIT_IAM: usize = portcullis_api::Config::DEFAULT_MAX_IAM_ASSOCIATIONS;
const LIMIT_IAM_PATTERN: usize = portcullis_api::Config::DEFAULT_MAX_IAM_PATTERN_ASSOCIATIONS;

/// Portfolios the associate/disassociate mix spreads over.
const POOL: usize = 64;
/// Distinct principal names each thread cycles through in the mix.
const NAMES: usize = 1024;
/// Portfolio counts for the reverse query.
const SIZES: [usize; 3] = [10, 1_000, 100_000];
/// Every `SHARE_EVERY`-th portfolio (and the probed one) is shared with the OU.
const SHARE_EVERY: usize = 10;

fn caller(account: &str) -> Caller {
    Caller::new(
        "aws".parse().unwrap(),
        "us-east-1".parse().unwrap(),
        account.parse().unwrap(),
    )
}

fn create_portfolio(service: &Service, owner: &Caller, name: &str) -> PortfolioId {
    service
        .create_portfolio(
            owner,
            CreatePortfolioInput {
                display_name: Some(name.into()),
                provider_name: Some("bench".into()),
                ..Default::default()
            },
        )
        .unwrap()
        .portfolio_detail
        .id
}

/// Creates the role `arn` names through the IAM subset unless it exists: an `IAM` principal must
/// exist before it is associated (SPEC §4.4), so the corpora run with the directory in place.
fn ensure_role(service: &Service, who: &Caller, arn: &str) {
    let principal = PrincipalArn::parse(arn).unwrap();
    let created = service.create_role(
        who,
        CreateRoleInput {
            path: Some(principal.path().to_owned()),
            role_name: Some(principal.name().to_owned()),
            assume_role_policy_document: Some("{}".into()),
            ..Default::default()
        },
    );
    if let Err(e) = created {
        assert_eq!(e.kind(), ErrorKind::EntityAlreadyExists, "{e}");
    }
}

fn associate(service: &Service, who: &Caller, id: &PortfolioId, arn: &str, principal_type: &str) {
    service
        .associate_principal_with_portfolio(
            who,
            AssociatePrincipalWithPortfolioInput {
                portfolio_id: Some(id.to_string()),
                principal_arn: Some(arn.into()),
                principal_type: Some(principal_type.into()),
                ..Default::default()
            },
        )
        .unwrap();
}

/// The associations of portfolio `i` of the reverse-query corpus: two patterns and one role, all
/// named after `i`, so that a principal built from `i` hits only portfolio `i`.
fn portfolio_associations(i: usize) -> [(String, &'static str); 3] {
    [
        (
            format!("arn:aws:iam:::role/team-{i:06}/Deploy*"),
            "IAM_PATTERN",
        ),
        (
            format!("arn:aws:iam:::role/svc-{i:06}-reader-?"),
            "IAM_PATTERN",
        ),
        (format!("arn:aws:iam::{OWNER}:role/admin-{i:06}"), "IAM"),
    ]
}

/// A principal in `account` that exactly the first pattern of portfolio `i` matches.
fn probe(account: &str, i: usize) -> PrincipalArn {
    PrincipalArn::parse(&format!(
        "arn:aws:iam::{account}:role/team-{i:06}/DeployBot"
    ))
    .unwrap()
}

/// An organization managed by [`OWNER`] with Service Catalog access enabled, an OU, and one member
/// account moved into it. Answers the root id, the OU id and the member.
fn organization(service: &Service) -> (String, String, String) {
    let management = caller(OWNER);
    service
        .create_organization(&management, CreateOrganizationRequest::default())
        .unwrap();
    let root = service
        .list_roots(&management, ListRootsRequest::default())
        .unwrap()
        .roots[0]
        .id
        .to_string();
    let ou = service
        .create_organizational_unit(
            &management,
            CreateOrganizationalUnitRequest {
                parent_id: Some(root.clone()),
                name: Some("developers".into()),
                ..Default::default()
            },
        )
        .unwrap()
        .organizational_unit
        .id
        .to_string();
    let member = service
        .create_account(
            &management,
            CreateAccountRequest {
                email: Some("member@example.com".into()),
                account_name: Some("member".into()),
                ..Default::default()
            },
        )
        .unwrap()
        .create_account_status
        .account_id
        .unwrap()
        .to_string();
    service
        .move_account(
            &management,
            MoveAccountRequest {
                account_id: Some(member.clone()),
                source_parent_id: Some(root.clone()),
                destination_parent_id: Some(ou.clone()),
            },
        )
        .unwrap();
    service
        .enable_aws_organizations_access(&management, EnableAwsOrganizationsAccessInput {})
        .unwrap();
    (root, ou, member)
}

fn share_with_ou(service: &Service, id: &PortfolioId, ou: &str) {
    service
        .create_portfolio_share(
            &caller(OWNER),
            CreatePortfolioShareInput {
                portfolio_id: Some(id.to_string()),
                organization_node: Some(OrganizationNodeInput {
                    node_type: Some("ORGANIZATIONAL_UNIT".into()),
                    value: Some(ou.into()),
                }),
                share_principals: Some(true),
                ..Default::default()
            },
        )
        .unwrap();
}

/// A service with an organization and `n` portfolios built as [`portfolio_associations`] says.
/// Answers the service, the organization (root, OU, the member account in the OU), and the
/// portfolio ids.
fn corpus(n: usize) -> (Service, (String, String, String), Vec<PortfolioId>) {
    let service = Service::default();
    let (organization, ids) = fill(&service, n);
    (service, organization, ids)
}

/// [`corpus`] on a given service.
fn fill(service: &Service, n: usize) -> ((String, String, String), Vec<PortfolioId>) {
    let (root, ou, member) = organization(service);
    let owner = caller(OWNER);
    let bound = service.config().iam_mode == IamMode::Principals;
    let mut ids = Vec::with_capacity(n);
    for i in 0..n {
        let id = create_portfolio(service, &owner, &format!("portfolio {i}"));
        for (arn, principal_type) in portfolio_associations(i) {
            if principal_type == "IAM" && bound {
                ensure_role(service, &owner, &arn);
            }
            associate(service, &owner, &id, &arn, principal_type);
        }
        if i % SHARE_EVERY == 0 || i == n / 2 {
            share_with_ou(service, &id, &ou);
        }
        ids.push(id);
    }
    ((root, ou, member), ids)
}

// ---- the Mutex<HashMap> baseline -----------------------------------------------------------------

/// What the baseline refuses.
#[derive(Debug)]
enum BaselineError {
    PortfolioNotFound,
    LimitExceeded,
    AssociationNotFound,
}

#[derive(Default)]
struct BaselinePortfolio {
    /// Associations by holding account, in association order.
    associations: HashMap<AccountId, Vec<(String, PrincipalType)>>,
}

/// The straightforward store: every portfolio in one `HashMap` behind one `Mutex`. Associating
/// checks, under the lock, that the portfolio exists, whether the association is already there
/// (idempotent), and the per-type limit, then inserts.
#[derive(Default)]
struct BaselineStore {
    portfolios: Mutex<HashMap<PortfolioId, BaselinePortfolio>>,
}

impl BaselineStore {
    fn create_portfolio(&self, id: PortfolioId) {
        self.portfolios
            .lock()
            .unwrap()
            .insert(id, BaselinePortfolio::default());
    }

    fn associate(
        &self,
        portfolio: &PortfolioId,
        account: &AccountId,
        principal_arn: &str,
        principal_type: PrincipalType,
    ) -> Result<bool, BaselineError> {
        let mut portfolios = self.portfolios.lock().unwrap();
        let state = portfolios
            .get_mut(portfolio)
            .ok_or(BaselineError::PortfolioNotFound)?;
        let list = state.associations.entry(account.clone()).or_default();
        if list
            .iter()
            .any(|(arn, t)| *t == principal_type && arn == principal_arn)
        {
            return Ok(false);
        }
        let limit = match principal_type {
            PrincipalType::IamPattern => LIMIT_IAM_PATTERN,
            PrincipalType::Iam => LIMIT_IAM,
        };
        if list.iter().filter(|(_, t)| *t == principal_type).count() >= limit {
            return Err(BaselineError::LimitExceeded);
        }
        list.push((principal_arn.to_owned(), principal_type));
        Ok(true)
    }

    fn disassociate(
        &self,
        portfolio: &PortfolioId,
        account: &AccountId,
        principal_arn: &str,
        principal_type: PrincipalType,
    ) -> Result<(), BaselineError> {
        let mut portfolios = self.portfolios.lock().unwrap();
        let state = portfolios
            .get_mut(portfolio)
            .ok_or(BaselineError::PortfolioNotFound)?;
        let list = state
            .associations
            .get_mut(account)
            .ok_or(BaselineError::AssociationNotFound)?;
        let at = list
            .iter()
            .position(|(arn, t)| *t == principal_type && arn == principal_arn)
            .ok_or(BaselineError::AssociationNotFound)?;
        list.remove(at);
        Ok(())
    }
}

// ---- 1. associate + disassociate mix ----------------------------------------------------------------

/// One implementation of the mix: `op(thread, k)` does iteration `k` of thread `thread`.
trait Mix: Sync {
    fn op(&self, thread: usize, k: usize);
}

/// The state every implementation of the mix shares: a pool of portfolios owned by [`OWNER`] and
/// the ARNs each thread cycles through.
struct MixCorpus {
    owner: Caller,
    account: AccountId,
    ids: Vec<PortfolioId>,
    /// `arns[thread][k % NAMES]`
    arns: Vec<Vec<String>>,
    /// The same ARNs parsed, as the store takes them.
    parsed: Vec<Vec<Association>>,
}

impl MixCorpus {
    /// Creates the pool through `service`, each portfolio holding the associations
    /// [`portfolio_associations`] gives it, made through the Service when `populate` is set.
    fn new(service: &Service, populate: bool) -> MixCorpus {
        let owner = caller(OWNER);
        let ids = (0..POOL)
            .map(|i| {
                let id = create_portfolio(service, &owner, &format!("pool {i}"));
                if populate {
                    for (arn, principal_type) in portfolio_associations(i) {
                        if principal_type == "IAM" {
                            ensure_role(service, &owner, &arn);
                        }
                        associate(service, &owner, &id, &arn, principal_type);
                    }
                }
                id
            })
            .collect();
        let arns: Vec<Vec<String>> = (0..2)
            .map(|t| {
                (0..NAMES)
                    .map(|k| format!("arn:aws:iam::{OWNER}:role/bench/t{t}-user-{k:04}"))
                    .collect()
            })
            .collect();
        for arn in arns.iter().flatten() {
            ensure_role(service, &owner, arn);
        }
        let parsed = arns
            .iter()
            .map(|list: &Vec<String>| {
                list.iter()
                    .map(|arn| Association::Iam(PrincipalArn::parse(arn).unwrap()))
                    .collect()
            })
            .collect();
        MixCorpus {
            account: owner.account().clone(),
            owner,
            ids,
            arns,
            parsed,
        }
    }

    /// The portfolio and ARN of iteration `k` of `thread`: the two threads walk the pool from
    /// opposite ends, so they sometimes meet on the same portfolio.
    fn pick(&self, thread: usize, k: usize) -> (&PortfolioId, &str) {
        let at = (k.wrapping_mul(7) + thread * (POOL / 2)) % POOL;
        (&self.ids[at], &self.arns[thread][k % NAMES])
    }

    /// [`MixCorpus::pick`] with the ARN parsed.
    fn pick_parsed(&self, thread: usize, k: usize) -> (&PortfolioId, &Association) {
        let at = (k.wrapping_mul(7) + thread * (POOL / 2)) % POOL;
        (&self.ids[at], &self.parsed[thread][k % NAMES])
    }
}

struct ViaService {
    service: Service,
    corpus: MixCorpus,
}

impl Mix for ViaService {
    fn op(&self, thread: usize, k: usize) {
        let (id, arn) = self.corpus.pick(thread, k);
        self.service
            .associate_principal_with_portfolio(
                &self.corpus.owner,
                AssociatePrincipalWithPortfolioInput {
                    portfolio_id: Some(id.to_string()),
                    principal_arn: Some(arn.to_owned()),
                    principal_type: Some("IAM".into()),
                    ..Default::default()
                },
            )
            .unwrap();
        self.service
            .disassociate_principal_from_portfolio(
                &self.corpus.owner,
                DisassociatePrincipalFromPortfolioInput {
                    portfolio_id: Some(id.to_string()),
                    principal_arn: Some(arn.to_owned()),
                    principal_type: Some("IAM".into()),
                    ..Default::default()
                },
            )
            .unwrap();
    }
}

struct ViaStore {
    store: Arc<dyn Store>,
    corpus: MixCorpus,
}

impl Mix for ViaStore {
    fn op(&self, thread: usize, k: usize) {
        let (id, association) = self.corpus.pick_parsed(thread, k);
        let account = &self.corpus.account;
        self.store
            .associate(id, account, association.clone(), LIMIT_IAM)
            .unwrap();
        self.store
            .disassociate(id, account, PrincipalType::Iam, association.arn())
            .unwrap();
    }
}

struct ViaBaseline {
    store: BaselineStore,
    corpus: MixCorpus,
}

impl Mix for ViaBaseline {
    fn op(&self, thread: usize, k: usize) {
        let (id, arn) = self.corpus.pick(thread, k);
        let account = &self.corpus.account;
        self.store
            .associate(id, account, arn, PrincipalType::Iam)
            .unwrap();
        self.store
            .disassociate(id, account, arn, PrincipalType::Iam)
            .unwrap();
    }
}

/// Runs `iters` iterations of the mix on each of `threads` threads started together, and answers
/// the wall time from the first thread's start to the last thread's end (thread start-up
/// excluded).
fn run_mix(mix: &dyn Mix, threads: usize, iters: u64, offset: &mut usize) -> Duration {
    let start_k = *offset;
    *offset = offset.wrapping_add(iters as usize);
    if threads == 1 {
        let start = Instant::now();
        for k in 0..iters as usize {
            mix.op(0, start_k.wrapping_add(k));
        }
        return start.elapsed();
    }
    let barrier = Barrier::new(threads);
    let spans: Vec<(Instant, Instant)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let barrier = &barrier;
                scope.spawn(move || {
                    barrier.wait();
                    let start = Instant::now();
                    for k in 0..iters as usize {
                        mix.op(t, start_k.wrapping_add(k));
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

fn associate_mix(c: &mut Criterion) {
    // The same pool in each: 64 portfolios, each already holding 2 `IAM_PATTERN` and 1 `IAM`
    // associations of the owner, so the idempotence and limit checks see real lists.
    let service = Service::default();
    let via_service = ViaService {
        corpus: MixCorpus::new(&service, true),
        service,
    };
    let service = Service::default();
    let via_store = ViaStore {
        corpus: MixCorpus::new(&service, true),
        store: Arc::clone(service.store()),
    };
    let baseline = BaselineStore::default();
    let corpus = MixCorpus::new(&Service::default(), false);
    for (i, id) in corpus.ids.iter().enumerate() {
        baseline.create_portfolio(id.clone());
        for (arn, principal_type) in portfolio_associations(i) {
            let principal_type: PrincipalType = principal_type.parse().unwrap();
            baseline
                .associate(id, &corpus.account, &arn, principal_type)
                .unwrap();
        }
    }
    let via_baseline = ViaBaseline {
        store: baseline,
        corpus,
    };
    let impls: [(&str, &dyn Mix); 3] = [
        ("service", &via_service),
        ("memory_store", &via_store),
        ("mutex_hashmap", &via_baseline),
    ];

    let mut group = c.benchmark_group("associate_mix");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2));
    for threads in [1usize, 2] {
        // Two operations (associate, disassociate) per iteration per thread.
        group.throughput(Throughput::Elements(2 * threads as u64));
        for (name, mix) in impls {
            let mut offset = 0usize;
            group.bench_function(BenchmarkId::new(name, format!("{threads}_threads")), |b| {
                b.iter_custom(|iters| run_mix(mix, threads, iters, &mut offset))
            });
        }
    }
    group.finish();
}

// ---- 2. check_access ---------------------------------------------------------------------------------

fn check_access(c: &mut Criterion) {
    let (service, (_, _, member), ids) = corpus(10);
    let i = 10 / 2;
    let id = &ids[i];
    let owner = caller(OWNER);
    let cases = [
        ("owner_pattern", probe(OWNER, i), true),
        ("recipient_principal_sharing", probe(&member, i), true),
        ("denied_outsider", probe(OUTSIDER, i), false),
    ];
    let mut group = short_group(c, "check_access");
    for (name, principal, allowed) in &cases {
        let decision = service.check_access(&owner, id, principal).unwrap();
        assert_eq!(decision.allowed(), *allowed, "{name}");
        group.bench_function(*name, |b| {
            b.iter(|| {
                service
                    .check_access(black_box(&owner), black_box(id), black_box(principal))
                    .unwrap()
            })
        });
    }
    group.finish();
}

// ---- 3. portfolios_for_principal ---------------------------------------------------------------------

/// The reverse-query corpus of one size, with its probes checked and its index warm.
struct Reverse {
    service: Service,
    owner: Caller,
    member: Caller,
    /// The organization's root and the OU the member sits in.
    root: String,
    ou: String,
    /// The probed portfolio's index.
    at: usize,
    /// The probed portfolio.
    probed: PortfolioId,
}

impl Reverse {
    fn new(n: usize) -> Reverse {
        let started = Instant::now();
        let (service, (root, ou, member), ids) = corpus(n);
        let built = started.elapsed();
        let at = n / 2;
        let owner = caller(OWNER);
        let started = Instant::now();
        // Let the index's background merges land, then warm it: every measured query reads
        // the published snapshot.
        service.settle_index().unwrap();
        let warm = service
            .portfolios_for_principal(&owner, &probe(OWNER, at))
            .unwrap();
        eprintln!(
            "portfolios_for_principal/{n}: built {n} portfolios through the Service in {built:.2?}, \
             settled the index (every tier merged into its base) and ran a first query in {:.2?}",
            started.elapsed()
        );
        assert_eq!(
            warm.iter().map(|p| &p.id).collect::<Vec<_>>(),
            vec![&ids[at]]
        );
        Reverse {
            service,
            owner,
            member: caller(&member),
            root,
            ou,
            at,
            probed: ids[at].clone(),
        }
    }

    /// The caller, the principal and how many portfolios it must find, for each case.
    fn case(&self, name: &str, n: usize) -> (&Caller, PrincipalArn, usize) {
        match name {
            "owner_hit" => (&self.owner, probe(OWNER, self.at), 1),
            "recipient_hit" => (
                &self.member,
                probe(self.member.account().as_str(), self.at),
                1,
            ),
            "miss" => (&self.owner, probe(OWNER, n + 1), 0),
            other => panic!("no case {other}"),
        }
    }
}

fn portfolios_for_principal(c: &mut Criterion) {
    let mut group = short_group(c, "portfolios_for_principal");
    for n in SIZES {
        // Built on first use, so that a filtered run builds only the sizes it measures.
        let reverse: OnceCell<Reverse> = OnceCell::new();
        for name in ["owner_hit", "recipient_hit", "miss"] {
            group.bench_with_input(BenchmarkId::new(name, n), &n, |b, &n| {
                let reverse = reverse.get_or_init(|| Reverse::new(n));
                let (asker, principal, hits) = reverse.case(name, n);
                assert_eq!(
                    reverse
                        .service
                        .portfolios_for_principal(asker, &principal)
                        .unwrap()
                        .len(),
                    hits,
                    "{name}/{n}"
                );
                b.iter(|| {
                    reverse
                        .service
                        .portfolios_for_principal(black_box(asker), black_box(&principal))
                        .unwrap()
                })
            });
        }
        // A write, then the query that must see it: the index is brought up to date by
        // rereading the changed portfolio into the delta over the published base
        // (`ChangeFeed::changes_since` reads the store's change record), not rebuilt whole.
        group.bench_with_input(BenchmarkId::new("after_write", n), &n, |b, &n| {
            let reverse = reverse.get_or_init(|| Reverse::new(n));
            let principal = probe(OWNER, reverse.at);
            let arn = format!("arn:aws:iam::{OWNER}:role/bench-after-write");
            let disassociate = || {
                reverse
                    .service
                    .disassociate_principal_from_portfolio(
                        &reverse.owner,
                        DisassociatePrincipalFromPortfolioInput {
                            portfolio_id: Some(reverse.probed.to_string()),
                            principal_arn: Some(arn.clone()),
                            ..Default::default()
                        },
                    )
                    .unwrap();
            };
            ensure_role(&reverse.service, &reverse.owner, &arn);
            b.iter(|| {
                associate(
                    &reverse.service,
                    &reverse.owner,
                    &reverse.probed,
                    &arn,
                    "IAM",
                );
                disassociate();
                let found = reverse
                    .service
                    .portfolios_for_principal(&reverse.owner, &principal)
                    .unwrap();
                assert_eq!(found.len(), 1, "after_write/{n}");
                found
            })
        });
        // The member moved out of the OU and back, each move followed by the query that must
        // see it: a move rereads only the portfolios with an organization-node share above the
        // member's old or new place (here every tenth portfolio is shared with the OU).
        group.bench_with_input(BenchmarkId::new("after_move", n), &n, |b, &n| {
            let reverse = reverse.get_or_init(|| Reverse::new(n));
            let principal = probe(reverse.member.account().as_str(), reverse.at);
            let move_to = |from: &str, to: &str| {
                reverse
                    .service
                    .move_account(
                        &reverse.owner,
                        MoveAccountRequest {
                            account_id: Some(reverse.member.account().to_string()),
                            source_parent_id: Some(from.to_owned()),
                            destination_parent_id: Some(to.to_owned()),
                        },
                    )
                    .unwrap();
            };
            b.iter(|| {
                move_to(&reverse.ou, &reverse.root);
                let outside = reverse
                    .service
                    .portfolios_for_principal(&reverse.member, &principal)
                    .unwrap();
                assert!(outside.is_empty(), "after_move/{n}");
                move_to(&reverse.root, &reverse.ou);
                let inside = reverse
                    .service
                    .portfolios_for_principal(&reverse.member, &principal)
                    .unwrap();
                assert_eq!(inside.len(), 1, "after_move/{n}");
                inside
            })
        });
    }
    group.finish();
}

fn short_group<'a>(c: &'a mut Criterion, name: &str) -> BenchmarkGroup<'a, WallTime> {
    let mut group = c.benchmark_group(name);
    group
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2));
    group
}

// ---- 4. the principal directory's cost -----------------------------------------------------------

/// A directory that knows no principal and does no work: with `IamMode::Names`, the service
/// behaves (and costs) as it did before principals existed — the baseline of
/// [`directory_overhead`].
struct NoDirectory;

impl PrincipalDirectory for NoDirectory {
    fn principal_id(&self, _: &PrincipalArn) -> Result<Option<PrincipalId>, StoreError> {
        Ok(None)
    }

    fn principal_by_id(
        &self,
        _: &PrincipalId,
    ) -> Result<Option<portcullis_store::PrincipalRecord>, StoreError> {
        Ok(None)
    }

    fn principals_in(
        &self,
        _: &AccountId,
    ) -> Result<Vec<portcullis_store::PrincipalRecord>, StoreError> {
        Ok(Vec::new())
    }
}

/// Portfolios in the directory-overhead corpus.
const OVERHEAD_SIZE: usize = 10_000;

/// `check_access` and the reverse query with the principal directory in place (`principals`:
/// AWS's mode, every `IAM` association bound to a role that exists, the probed principals
/// existing) next to `names` (name-bound associations, a directory that does nothing: the
/// service as it was before principals), on the same corpus of [`OVERHEAD_SIZE`] portfolios.
fn directory_overhead(c: &mut Criterion) {
    let mut group = short_group(c, "directory_overhead");
    for mode in ["names", "principals"] {
        let service = if mode == "names" {
            Service::with_directory(
                Arc::new(MemoryStore::new()),
                Config {
                    iam_mode: IamMode::Names,
                    ..Config::default()
                },
                Arc::new(NoDirectory),
            )
        } else {
            Service::default()
        };
        let (root_ou_member, ids) = fill(&service, OVERHEAD_SIZE);
        let member = root_ou_member.2;
        let at = OVERHEAD_SIZE / 2;
        let owner = caller(OWNER);
        let admin =
            PrincipalArn::parse(&format!("arn:aws:iam::{OWNER}:role/admin-{at:06}")).unwrap();
        if mode == "principals" {
            // The probed principals exist, so every lookup finds one.
            ensure_role(&service, &owner, probe(OWNER, at).as_str());
            ensure_role(&service, &caller(&member), probe(&member, at).as_str());
        }
        service.settle_index().unwrap();
        let cases = [
            ("owner_pattern", probe(OWNER, at), true),
            ("owner_iam", admin, true),
            ("recipient_principal_sharing", probe(&member, at), true),
            ("denied_outsider", probe(OUTSIDER, at), false),
        ];
        for (name, principal, allowed) in &cases {
            let decision = service.check_access(&owner, &ids[at], principal).unwrap();
            assert_eq!(decision.allowed(), *allowed, "{mode} {name}");
            group.bench_function(format!("check_access/{name}/{mode}"), |b| {
                b.iter(|| {
                    service
                        .check_access(black_box(&owner), black_box(&ids[at]), black_box(principal))
                        .unwrap()
                })
            });
            let asker = if name.starts_with("recipient") {
                caller(&member)
            } else {
                owner.clone()
            };
            let found = service.portfolios_for_principal(&asker, principal).unwrap();
            assert_eq!(found.len(), usize::from(*allowed), "{mode} {name}");
            group.bench_function(format!("portfolios_for_principal/{name}/{mode}"), |b| {
                b.iter(|| {
                    service
                        .portfolios_for_principal(black_box(&asker), black_box(principal))
                        .unwrap()
                })
            });
        }
    }
    group.finish();
}

criterion_group!(
    benches,
    associate_mix,
    check_access,
    portfolios_for_principal,
    directory_overhead
);
criterion_main!(benches);
