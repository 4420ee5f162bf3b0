//! Project automation, run as `cargo xtask <command>` (see `.cargo/config.toml`).
//!
//! - `ci`: everything CI checks — formatting, clippy with `-D warnings`, every test, the
//!   end-to-end checks against the built server (`e2e/*_check.py`, need Python 3 with boto3),
//!   moto 5.2.1's own Service Catalog and Organizations tests against one built server
//!   (`e2e/moto_suite.py`, needs moto 5.2.1 and pytest; skips only as `e2e/moto_skips.txt`
//!   lists them), the docs with `-D warnings`, and that the benches build.
//! - `bench [ARGS]`: `cargo bench` on the criterion benches, extra arguments passed through.
//! - `bench-http [SECONDS] [--database-url URL]`: HTTP load on the release server and on moto's server, side by side
//!   (needs `wrk` and Python 3 with moto); 10 seconds per run by default. See [`bench_http`].
//! - `fuzz TARGET [SECONDS]`: run one cargo-fuzz target (needs `cargo-fuzz` and a nightly
//!   toolchain) for the given time, 300 seconds by default.

mod bench_http;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("ci") => ci(),
        Some("bench") => cargo(
            &[
                &["bench", "-p", "portcullis-benches"][..],
                &strs(args.get(1..).unwrap_or_default()),
            ]
            .concat(),
            &[],
        ),
        Some("bench-http") => bench_http::run(args.get(1..).unwrap_or_default()),
        Some("fuzz") => fuzz(args.get(1..).unwrap_or_default()),
        _ => {
            eprintln!(
                "usage: cargo xtask <ci | bench [ARGS] | bench-http [SECONDS] [--database-url URL] | fuzz TARGET [SECONDS]>"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

fn strs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

fn ci() -> Result<(), String> {
    cargo(&["fmt", "--all", "--check"], &[])?;
    cargo(
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
        &[],
    )?;
    cargo(&["test", "--workspace"], &[])?;
    e2e()?;
    moto()?;
    cargo(
        &["doc", "--workspace", "--no-deps"],
        &[("RUSTDOCFLAGS", "-D warnings")],
    )?;
    // Only the criterion package has benches; `--workspace` would also build every crate's unit
    // tests in release with their dev-dependencies (the AWS SDK among them).
    cargo(&["bench", "-p", "portcullis-benches", "--no-run"], &[])?;
    Ok(())
}

/// The end-to-end scripts, each run against the debug server: the ordinary boto3 clients and
/// the AWS CLI over AWS JSON 1.1, botocore forced onto Smithy RPC v2 CBOR, and SigV4
/// verification with boto3 and the AWS CLI signing.
const E2E_SCRIPTS: &[&str] = &[
    "e2e/boto3_check.py",
    "e2e/cbor_check.py",
    "e2e/sigv4_check.py",
];

/// Builds the server (debug) and runs every script of [`E2E_SCRIPTS`] against it.
fn e2e() -> Result<(), String> {
    cargo(&["build", "-p", "portcullis-server"], &[])?;
    let root = workspace_root()?;
    let binary = target_dir(&root).join("debug").join("portcullis");
    let binary = binary.to_string_lossy();
    for script in E2E_SCRIPTS {
        eprintln!("xtask: python3 {script} {binary}");
        let status = Command::new("python3")
            .current_dir(&root)
            .args([script, &*binary])
            .status()
            .map_err(|e| format!("could not run python3: {e}"))?;
        if !status.success() {
            return Err(format!("the end-to-end check {script} failed: {status}"));
        }
    }
    readme_fixture(&root, &binary)
}

/// The README's moto-style pytest example ("Tests of your own, moto-style"), run as written
/// with pytest against the debug server.
fn readme_fixture(root: &Path, binary: &str) -> Result<(), String> {
    let readme = std::fs::read_to_string(root.join("README.md"))
        .map_err(|e| format!("could not read README.md: {e}"))?;
    let section = readme
        .split_once("### Tests of your own, moto-style")
        .map(|(_, rest)| rest)
        .ok_or("README.md has no section \"Tests of your own, moto-style\"")?;
    let code = section
        .split_once("```python\n")
        .and_then(|(_, rest)| rest.split_once("\n```"))
        .map(|(code, _)| code)
        .ok_or("the moto-style section of README.md has no ```python block")?;
    let dir = target_dir(root).join("readme");
    std::fs::create_dir_all(&dir).map_err(|e| format!("could not create {dir:?}: {e}"))?;
    let file = dir.join("test_readme_moto_style.py");
    std::fs::write(&file, format!("{code}\n"))
        .map_err(|e| format!("could not write {file:?}: {e}"))?;
    eprintln!(
        "xtask: PORTCULLIS={binary} python3 -m pytest {}",
        file.display()
    );
    let status = Command::new("python3")
        .current_dir(root)
        .env("PORTCULLIS", binary)
        .args(["-m", "pytest", "-q", "-p", "no:cacheprovider"])
        .arg(&file)
        .status()
        .map_err(|e| format!("could not run python3: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("the README's moto-style example failed: {status}"))
    }
}

/// Runs moto's own Service Catalog and Organizations tests (`e2e/moto_suite.py`) against the
/// debug server built by [`e2e`]; moto's source distribution is kept under the target directory.
fn moto() -> Result<(), String> {
    let root = workspace_root()?;
    let target = target_dir(&root);
    let binary = target.join("debug").join("portcullis");
    let work = target.join("moto");
    let (binary, work) = (binary.to_string_lossy(), work.to_string_lossy());
    eprintln!("xtask: python3 e2e/moto_suite.py {binary} {work}");
    let status = Command::new("python3")
        .current_dir(&root)
        .args(["e2e/moto_suite.py", &binary, &work])
        .status()
        .map_err(|e| format!("could not run python3: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("moto's tests against portcullis failed: {status}"))
    }
}

/// The workspace root: the parent of this crate's directory.
fn workspace_root() -> Result<PathBuf, String> {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .ok_or_else(|| "xtask is not inside a workspace".to_owned())
}

/// Cargo's target directory: `$CARGO_TARGET_DIR`, else `target/` under the workspace root.
fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root.join(dir),
        None => root.join("target"),
    }
}

fn fuzz(args: &[String]) -> Result<(), String> {
    let target = args
        .first()
        .ok_or("fuzz needs a TARGET (arn_parse, principal_pattern_parse, pattern_vs_regex)")?;
    let seconds = args.get(1).map(String::as_str).unwrap_or("300");
    let max_time = format!("-max_total_time={seconds}");
    let dict = "-dict=dict/arn.dict";
    let status = Command::new("cargo")
        .current_dir("fuzz")
        .args([
            "+nightly",
            "fuzz",
            "run",
            target,
            &format!("corpus/{target}"),
            &format!("seeds/{target}"),
            "--",
            &max_time,
            dict,
            "-jobs=1",
            "-print_final_stats=1",
        ])
        .status()
        .map_err(|e| format!("could not run cargo fuzz: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("cargo fuzz run {target} failed: {status}"))
    }
}

fn cargo(args: &[&str], envs: &[(&str, &str)]) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    eprintln!("xtask: cargo {}", args.join(" "));
    let status = Command::new(cargo)
        .args(args)
        .envs(envs.iter().copied())
        .status()
        .map_err(|e| format!("could not run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`cargo {}` failed: {status}", args.join(" ")))
    }
}
