//! A throw-away PostgreSQL cluster for the tests, started as issue 8 asks: no container, the
//! binaries in `/usr/lib/postgresql/*/bin` (or on `PATH`), `initdb` into a temporary directory
//! (as the `postgres` user, through `runuser`, when the tests run as root), `pg_ctl … -w start`
//! listening on 127.0.0.1 at a free port with its socket in the temporary directory, and
//! stopped when dropped.
//!
//! [`shared`] is one cluster for every test of a test binary, each test in a fresh database
//! ([`Cluster::fresh_database`]); a statics is never dropped, so a watchdog process (in its own
//! session) stops that cluster and removes its directory once the test process has exited,
//! however it exited. A test that stops and starts the database takes its own
//! ([`Cluster::start`]).

#![allow(dead_code, reason = "each test binary uses part of the harness")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test harness: a cluster or fixture that cannot be set up fails the test"
)]

pub mod fixtures;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// A PostgreSQL cluster in a temporary directory.
pub struct Cluster {
    bin: PathBuf,
    dir: PathBuf,
    port: u16,
    as_postgres: bool,
    stop_on_drop: bool,
    /// Whether commits are synced to disk (`fsync=on`); tests run without, benchmarks with.
    durable: bool,
}

/// The directory holding `initdb` and `pg_ctl`: the newest `/usr/lib/postgresql/*/bin`, else
/// whatever `PATH` finds.
fn binaries() -> PathBuf {
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = entry.path().join("bin");
            bin.join("pg_ctl").exists().then_some((version, bin))
        })
        .collect();
    found.sort();
    match found.pop() {
        Some((_, bin)) => bin,
        None => PathBuf::new(),
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

static SHARED: OnceLock<Cluster> = OnceLock::new();

/// The cluster every test of this test binary shares.
pub fn shared() -> &'static Cluster {
    SHARED.get_or_init(|| {
        let mut cluster = Cluster::start();
        cluster.stop_on_drop = false;
        cluster.watch_process();
        cluster
    })
}

impl Cluster {
    /// Initialises and starts a new cluster (about three seconds), with `fsync=off`: the tests
    /// check behaviour, and nothing they do needs the disk to hold a commit across a power loss.
    pub fn start() -> Cluster {
        Cluster::start_with(false)
    }

    /// Initialises and starts a new cluster that syncs every commit to disk (PostgreSQL's
    /// default), as a deployment does: for benchmarks of durable writes.
    pub fn start_durable() -> Cluster {
        Cluster::start_with(true)
    }

    fn start_with(durable: bool) -> Cluster {
        let bin = binaries();
        let as_postgres = is_root();
        let dir = std::env::temp_dir().join(format!(
            "portcullis-pg-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).expect("create the cluster directory");
        if as_postgres {
            let status = Command::new("chown")
                .args(["postgres:postgres"])
                .arg(&dir)
                .status()
                .expect("chown");
            assert!(status.success(), "chown the cluster directory to postgres");
        }
        let cluster = Cluster {
            bin,
            dir,
            port: free_port(),
            as_postgres,
            stop_on_drop: true,
            durable,
        };
        let data = cluster.data();
        cluster.run(
            "initdb",
            &[
                "-D",
                path(&data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-sync",
            ],
        );
        cluster.pg_ctl_start();
        cluster
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    /// A command running one of the cluster's binaries, as `postgres` when the tests run as
    /// root.
    fn command(&self, program: &str) -> Command {
        let program = self.bin.join(program);
        if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&program);
            c
        } else {
            Command::new(&program)
        }
    }

    /// Runs one of the cluster's binaries, failing the test if it fails.
    fn run(&self, program: &str, args: &[&str]) {
        let output = self
            .command(program)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
        assert!(
            output.status.success(),
            "{program} {args:?} failed: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }

    fn pg_ctl_start(&self) {
        let options = format!(
            "-c listen_addresses=127.0.0.1 -p {} -k {} -c max_connections=400 -c fsync={} \
             -c shared_buffers=64MB",
            self.port,
            path(&self.dir),
            if self.durable { "on" } else { "off" }
        );
        let log = self.dir.join("postgres.log");
        self.run(
            "pg_ctl",
            &[
                "-D",
                path(&self.data()),
                "-l",
                path(&log),
                "-w",
                "-t",
                "60",
                "-o",
                &options,
                "start",
            ],
        );
    }

    /// Stops the server (`-m fast`: sessions are ended, nothing committed is lost).
    pub fn stop(&self) {
        self.run(
            "pg_ctl",
            &["-D", path(&self.data()), "-m", "fast", "-w", "stop"],
        );
    }

    /// Starts the server again after [`Cluster::stop`], on the same port.
    pub fn restart(&self) {
        self.pg_ctl_start();
    }

    /// A URL for database `name`.
    pub fn url(&self, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }

    /// A new, empty database, answered as its URL.
    pub fn fresh_database(&self) -> String {
        let name = format!(
            "test_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let mut admin = self.admin();
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create a database");
        self.url(&name)
    }

    /// A connection to the `postgres` database.
    pub fn admin(&self) -> postgres::Client {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            match postgres::Client::connect(&self.url("postgres"), postgres::NoTls) {
                Ok(client) => return client,
                Err(e) if Instant::now() > deadline => panic!("cannot connect: {e}"),
                Err(_) => std::thread::sleep(Duration::from_millis(100)),
            }
        }
    }

    /// Starts a process, in its own session (so that an interrupt of the tests does not reach
    /// it), that stops the cluster and removes its directory once this process has exited.
    fn watch_process(&self) {
        let stop = if self.as_postgres {
            format!(
                "runuser -u postgres -- {} -D {} -m immediate stop",
                path(&self.bin.join("pg_ctl")),
                path(&self.data())
            )
        } else {
            format!(
                "{} -D {} -m immediate stop",
                path(&self.bin.join("pg_ctl")),
                path(&self.data())
            )
        };
        let script = format!(
            "while kill -0 {} 2>/dev/null; do sleep 0.5; done; {stop} >/dev/null 2>&1; rm -rf {}",
            std::process::id(),
            path(&self.dir)
        );
        // Not waited for: it outlives this process on purpose.
        #[expect(
            clippy::zombie_processes,
            reason = "the watchdog outlives the test process"
        )]
        Command::new("setsid")
            .args(["sh", "-c", &script])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the cluster's watchdog");
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if !self.stop_on_drop {
            return;
        }
        let _ = self
            .command("pg_ctl")
            .args(["-D", path(&self.data()), "-m", "immediate", "-w", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

fn path(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}
