//! Replays the `server_decode` fuzz inputs on stable: every seed under
//! `fuzz/seeds/server_decode/` and every regression input under
//! `tests/fuzz/testdata/server_decode/` goes through the same checks as the cargo-fuzz target
//! (`tests/fuzz/checks.rs`, which the target includes too). Set `PORTCULLIS_FUZZ_CORPUS=1` to
//! also replay the local, uncommitted `fuzz/corpus/server_decode/`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[path = "fuzz/checks.rs"]
mod checks;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

const TARGET: &str = "server_decode";

fn dir(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(relative)
        .join(TARGET)
}

/// The input files of a directory (not its READMEs), sorted; none if it does not exist.
fn inputs(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .filter(|p| {
            !p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("README"))
        })
        .collect();
    files.sort();
    files
}

fn replay(files: &[PathBuf]) {
    let mut failures = Vec::new();
    for file in files {
        let data = std::fs::read(file).unwrap();
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| checks::check_server_decode(&data))) {
            let message = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("(no message)");
            failures.push(format!("{}: {message}", file.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} inputs fail:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}

#[test]
fn server_decode_seeds_and_regressions_give_aws_shaped_answers() {
    let seeds = inputs(&dir("../../fuzz/seeds"));
    assert!(seeds.len() >= 10, "{} seeds", seeds.len());
    replay(&seeds);
    replay(&inputs(&dir("tests/fuzz/testdata")));
}

#[test]
fn server_decode_local_corpus_when_asked() {
    if std::env::var_os("PORTCULLIS_FUZZ_CORPUS").is_some() {
        replay(&inputs(&dir("../../fuzz/corpus")));
    }
}
