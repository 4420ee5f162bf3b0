//! The `portcullis` command: `portcullis serve` runs the local AWS endpoint; `portcullis match`
//! checks principal ARNs against an IAM_PATTERN from the shell.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::{Parser, Subcommand};

/// mimalloc: small per-request allocations from thread-local pages instead of glibc's locked
/// arenas (BENCHMARKS.md, "Closer to the floor").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use portcullis_api::{Config, IamMode};
use portcullis_matcher::{PrincipalArn, PrincipalPattern};
use portcullis_model::{AccountId, Region};
use portcullis_server::sigv4::{Credentials, Verifier};
use portcullis_server::{AppState, Blocking, IdentityDefaults, Limits};
use portcullis_store_postgres::PostgresStore;
use portcullis_store_sqlite::{Acknowledge, SqliteStore};

/// The address `portcullis serve` listens on by default.
const DEFAULT_LISTEN: &str = "127.0.0.1:4580";

#[derive(Parser)]
#[command(
    name = "portcullis",
    version,
    about = "AWS Service Catalog's portfolio access model, as a local AWS endpoint"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the AWS JSON 1.1 endpoint; point boto3, the AWS CLI or an AWS SDK at it.
    Serve {
        /// Address and port to listen on; port 0 picks a free port.
        #[arg(long, default_value = DEFAULT_LISTEN)]
        listen: SocketAddr,
        /// Log level: error, warn, info (one line per request), debug or trace.
        #[arg(long, default_value = "info")]
        log_level: String,
        /// The account of callers whose access key id is not a 12-digit account id.
        #[arg(long, default_value = "123456789012")]
        default_account: AccountId,
        /// The region of callers whose request has no SigV4 credential scope.
        #[arg(long, default_value = "us-east-1")]
        default_region: Region,
        /// Where the state is kept, durably (created if missing; one server at a time).
        /// Default: `$PORTCULLIS_DATA_DIR`, else `$XDG_DATA_HOME/portcullis`, else
        /// `~/.local/share/portcullis`.
        #[arg(long, value_name = "DIR", conflicts_with = "in_memory")]
        data_dir: Option<PathBuf>,
        /// Keep the state in memory only: it is gone when the server stops (for tests).
        #[arg(long)]
        in_memory: bool,
        /// Keep the state in PostgreSQL (`postgres://user:password@host:port/database`); any
        /// number of servers may share one database.
        #[arg(long, value_name = "URL", conflicts_with_all = ["in_memory", "data_dir"])]
        database_url: Option<String>,
        /// Seconds a new connection has to send its first request's complete header, and a
        /// request its complete body; a slower connection is closed.
        #[arg(long, value_name = "SECONDS", default_value = "10", value_parser = seconds)]
        header_read_timeout: Duration,
        /// Seconds a kept-alive connection may stay idle between requests (until the next
        /// request's header is complete); it is closed after that.
        #[arg(long, value_name = "SECONDS", default_value = "60", value_parser = seconds)]
        idle_timeout: Duration,
        /// The most connections open at once; further connections wait to be accepted. Keep it
        /// below the process's open-file limit (`ulimit -n`).
        #[arg(long, value_name = "N", default_value = "4096", value_parser = clap::value_parser!(u32).range(1..))]
        max_connections: u32,
        /// Verify every request's SigV4 signature against `--credentials`; callers are then the
        /// accounts of their access keys (off by default, as in moto and LocalStack).
        #[arg(long, requires = "credentials")]
        verify_signatures: bool,
        /// The credentials file of `--verify-signatures`: one `ACCESS_KEY_ID SECRET_ACCESS_KEY
        /// ACCOUNT_ID` per line, `#` starts a comment.
        #[arg(long, value_name = "FILE", requires = "verify_signatures")]
        credentials: Option<PathBuf>,
        /// What an `IAM` association is bound to: `principals` (AWS's behaviour: the principal
        /// must exist, created with the IAM API, and the association is bound to it, not its
        /// name) or `names` (any well-formed ARN, bound to its name, for users who do not model
        /// IAM).
        #[arg(long, value_enum, default_value = "principals")]
        iam_mode: IamModeArg,
    },
    /// Ask a running server which IAM_PATTERN associations open a path into other accounts
    /// through principal sharing (PortcullisService.AuditPortfolioSharing); exit 2 when the
    /// server cannot answer.
    Audit {
        /// The server.
        #[arg(long, default_value = "http://127.0.0.1:4580")]
        endpoint: String,
        /// The account whose portfolios are audited (sent as the access key id).
        #[arg(long, default_value = "123456789012")]
        account: AccountId,
        /// The region of the portfolios.
        #[arg(long, default_value = "us-east-1")]
        region: Region,
        /// Audit only this portfolio.
        #[arg(long)]
        portfolio_id: Option<String>,
        /// Print the findings as JSON (the operation's answer) instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Check principal ARNs against an IAM_PATTERN: one line per ARN; exit 0 if all match, 1 if
    /// any does not, 2 if the pattern or an ARN is invalid.
    Match {
        /// The IAM_PATTERN, for example `arn:aws:iam:::role/Dev*`.
        pattern: String,
        /// Fully defined principal ARNs.
        #[arg(required = true)]
        arns: Vec<String>,
    },
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Serve {
            listen,
            log_level,
            default_account,
            default_region,
            data_dir,
            in_memory,
            database_url,
            header_read_timeout,
            idle_timeout,
            max_connections,
            verify_signatures: _,
            credentials,
            iam_mode,
        } => {
            let verifier = match credentials.as_deref().map(Credentials::load) {
                None => None,
                Some(Ok(credentials)) => Some(Verifier::new(credentials)),
                Some(Err(e)) => {
                    eprintln!("portcullis: {e}");
                    return ExitCode::FAILURE;
                }
            };
            let storage = match (in_memory, database_url) {
                (true, _) => Storage::InMemory,
                (false, Some(url)) => Storage::Postgres(url),
                (false, None) => Storage::Durable(data_dir.unwrap_or_else(default_data_dir)),
            };
            serve(
                listen,
                &log_level,
                IdentityDefaults {
                    account: default_account,
                    region: default_region,
                },
                storage,
                Limits {
                    header_read_timeout,
                    idle_timeout,
                    max_connections: usize::try_from(max_connections).unwrap_or(usize::MAX),
                },
                verifier,
                Config {
                    iam_mode: iam_mode.into(),
                    ..Config::default()
                },
            )
        }
        Command::Match { pattern, arns } => match_arns(&pattern, &arns),
        Command::Audit {
            endpoint,
            account,
            region,
            portfolio_id,
            json,
        } => audit(
            &portcullis_server::audit::AuditRequest {
                endpoint,
                account: account.to_string(),
                region: region.to_string(),
                portfolio_id,
            },
            json,
        ),
    }
}

/// `--iam-mode`.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum IamModeArg {
    /// AWS's behaviour.
    Principals,
    /// Bound to names.
    Names,
}

impl From<IamModeArg> for IamMode {
    fn from(arg: IamModeArg) -> IamMode {
        match arg {
            IamModeArg::Principals => IamMode::Principals,
            IamModeArg::Names => IamMode::Names,
        }
    }
}

/// A duration given in seconds (fractions allowed), at least a millisecond and at most a day.
fn seconds(value: &str) -> Result<Duration, String> {
    let seconds: f64 = value
        .parse()
        .map_err(|_| format!("`{value}` is not a number of seconds"))?;
    if !(0.001..=86_400.0).contains(&seconds) {
        return Err(format!("`{value}` is not between 0.001 and 86400 seconds"));
    }
    Ok(Duration::from_secs_f64(seconds))
}

/// Where `portcullis serve` keeps its state.
enum Storage {
    /// In memory: gone when the server stops.
    InMemory,
    /// In the data directory, through the embedded SQLite store.
    Durable(PathBuf),
    /// In a PostgreSQL database that other servers may share.
    Postgres(String),
}

/// `url` without its password, to print.
fn redacted(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.rsplit_once('@') {
        Some((credentials, host)) => {
            let user = credentials.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}@{host}")
        }
        None => url.to_owned(),
    }
}

/// The default data directory: `$PORTCULLIS_DATA_DIR`, else `$XDG_DATA_HOME/portcullis`, else
/// `$HOME/.local/share/portcullis`, else `portcullis-data` in the working directory.
fn default_data_dir() -> PathBuf {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if let Some(dir) = var("PORTCULLIS_DATA_DIR") {
        return PathBuf::from(dir);
    }
    if let Some(dir) = var("XDG_DATA_HOME") {
        return PathBuf::from(dir).join("portcullis");
    }
    if let Some(home) = var("HOME") {
        return PathBuf::from(home).join(".local/share/portcullis");
    }
    PathBuf::from("portcullis-data")
}

fn serve(
    listen: SocketAddr,
    log_level: &str,
    defaults: IdentityDefaults,
    storage: Storage,
    limits: Limits,
    verifier: Option<Verifier>,
    config: Config,
) -> ExitCode {
    let filter = tracing_subscriber::EnvFilter::try_new(log_level)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("portcullis: could not start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    // The store first: a data directory that cannot be used is reported before anything
    // listens.
    let (state, kept) = match &storage {
        Storage::InMemory => (
            AppState::new(
                Arc::new(portcullis_api::Service::new(
                    Arc::new(portcullis_store::MemoryStore::new()),
                    config,
                )),
                defaults,
            ),
            "state in memory only".to_owned(),
        ),
        // Deferred: a request waits for its sync as a suspended task, not a blocked thread.
        Storage::Durable(dir) => match SqliteStore::open_with(dir, Acknowledge::Deferred) {
            Ok(store) => {
                let store = Arc::new(store);
                let service = portcullis_api::Service::new(store.clone(), config);
                (
                    AppState::deferred(Arc::new(service), defaults, store),
                    format!("data directory {}", dir.display()),
                )
            }
            Err(e) => {
                eprintln!("portcullis: {e}");
                return ExitCode::FAILURE;
            }
        },
        Storage::Postgres(url) => match PostgresStore::connect(url) {
            Ok(store) => {
                let service = portcullis_api::Service::new(Arc::new(store), config);
                (
                    AppState::blocking(Arc::new(service), defaults, Blocking::Always),
                    format!("database {}", redacted(url)),
                )
            }
            Err(e) => {
                eprintln!("portcullis: {e}");
                return ExitCode::FAILURE;
            }
        },
    };
    let (state, kept) = match verifier {
        Some(verifier) => (
            state.verifying(verifier),
            format!("{kept}, signatures verified"),
        ),
        None => (state, kept),
    };
    let result = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(listen).await?;
        let address = listener.local_addr()?;
        let mut stdout = std::io::stdout();
        writeln!(stdout, "listening on http://{address} ({kept})")?;
        stdout.flush()?;
        portcullis_server::serve(listener, state, limits, shutdown_signal()).await
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("portcullis: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Completes on SIGINT or SIGTERM.
async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(signal) => signal,
                Err(_) => {
                    let _ = interrupt.await;
                    return;
                }
            };
        tokio::select! {
            _ = interrupt => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
    tracing::info!("shutting down: finishing in-flight requests");
}

fn audit(request: &portcullis_server::audit::AuditRequest, json: bool) -> ExitCode {
    let output = match portcullis_server::audit::fetch(request) {
        Ok(output) => output,
        Err(e) => {
            eprintln!("portcullis audit: {e}");
            return ExitCode::from(2);
        }
    };
    if json {
        match serde_json::to_string_pretty(&output) {
            Ok(text) => println!("{text}"),
            Err(e) => {
                eprintln!("portcullis audit: {e}");
                return ExitCode::from(2);
            }
        }
    } else {
        print!("{}", portcullis_server::audit::render_table(&output));
    }
    ExitCode::SUCCESS
}

fn match_arns(pattern: &str, arns: &[String]) -> ExitCode {
    let pattern = match PrincipalPattern::parse(pattern) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("invalid pattern `{pattern}`: {e}");
            return ExitCode::from(2);
        }
    };
    let mut principals = Vec::with_capacity(arns.len());
    for arn in arns {
        match PrincipalArn::parse(arn) {
            Ok(p) => principals.push(p),
            Err(e) => {
                eprintln!("invalid principal ARN `{arn}`: {e}");
                return ExitCode::from(2);
            }
        }
    }
    let mut all = true;
    for principal in &principals {
        let hit = pattern.matches(principal);
        all &= hit;
        println!("{}\t{principal}", if hit { "match" } else { "no-match" });
    }
    if all {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
