//! Replays the fuzz inputs on stable: every regression input under `tests/fuzz/testdata/<target>/`
//! and every seed under `fuzz/seeds/<target>/` goes through the same checks as the cargo-fuzz
//! target `<target>` (the checks are in `tests/fuzz/checks.rs`, which the targets include too).
//!
//! Set `PORTCULLIS_FUZZ_CORPUS=1` to also replay the local, uncommitted `fuzz/corpus/<target>/`
//! that `cargo fuzz run` grows.

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

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn testdata_dir(target: &str) -> PathBuf {
    manifest_dir().join("tests/fuzz/testdata").join(target)
}

fn seeds_dir(target: &str) -> PathBuf {
    manifest_dir().join("../../fuzz/seeds").join(target)
}

fn corpus_dir(target: &str) -> PathBuf {
    manifest_dir().join("../../fuzz/corpus").join(target)
}

/// The input files of a directory (not its READMEs), sorted; none if it does not exist.
fn inputs(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("readable directory entry").path())
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

/// Runs `target`'s checks on every file, and fails naming each file whose checks panicked.
/// Returns how many files were replayed.
fn replay(target: &str, files: &[PathBuf]) -> usize {
    let mut failures = Vec::new();
    for file in files {
        let data = std::fs::read(file).expect("readable fuzz input");
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| checks::check(target, &data))) {
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
        "{target}: {} of {} inputs fail:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
    files.len()
}

fn replay_target(target: &str) {
    let seeds = inputs(&seeds_dir(target));
    assert!(
        !seeds.is_empty(),
        "no seeds for {target} in {}",
        seeds_dir(target).display()
    );
    replay(target, &seeds);
    replay(target, &inputs(&testdata_dir(target)));
    if std::env::var_os("PORTCULLIS_FUZZ_CORPUS").is_some() {
        let corpus = inputs(&corpus_dir(target));
        let n = replay(target, &corpus);
        eprintln!("{target}: replayed {n} corpus inputs");
    }
}

#[test]
fn replay_arn_parse() {
    replay_target("arn_parse");
}

#[test]
fn replay_principal_pattern_parse() {
    replay_target("principal_pattern_parse");
}

#[test]
fn replay_pattern_vs_regex() {
    replay_target("pattern_vs_regex");
}

#[test]
fn every_target_is_replayed_and_has_no_stray_directories() {
    for target in checks::TARGETS {
        assert!(
            seeds_dir(target).is_dir(),
            "missing {}",
            seeds_dir(target).display()
        );
    }
    // Targets whose checks live in another crate (which replays their seeds).
    const ELSEWHERE: &[&str] = &["server_decode"];
    let known = |dir: PathBuf| {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            return;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                let name = path.file_name().unwrap().to_str().unwrap().to_owned();
                assert!(
                    checks::TARGETS.contains(&name.as_str()) || ELSEWHERE.contains(&name.as_str()),
                    "{} is not a fuzz target's directory",
                    path.display()
                );
            }
        }
    };
    known(manifest_dir().join("tests/fuzz/testdata"));
    known(manifest_dir().join("../../fuzz/seeds"));
}

#[test]
fn the_oracle_translates_wildcards_and_escapes_everything_else() {
    assert_eq!(checks::regex_translation("a*?.b"), r"^(?s:a.*.?\.b)$");
    let re = checks::regex_oracle("*/Team?-Admin*").unwrap();
    assert!(re.is_match("ops/Team7-Admin"));
    assert!(re.is_match("ops/eu/Team-AdminRole\n"));
    assert!(!re.is_match("Team7-Admin"));
    let re = checks::regex_oracle("(a|b)+").unwrap();
    assert!(re.is_match("(a|b)+"));
    assert!(!re.is_match("a"));
}

#[test]
fn a_check_that_fails_is_reported_with_its_file() {
    // The replay must be able to fail: an unknown target's check panics, and `replay` turns the
    // panic into a failure naming the file.
    let file = seeds_dir("arn_parse").join("user");
    let result = catch_unwind(|| replay("no_such_target", &[file]));
    let panic = result.unwrap_err();
    let message = panic.downcast_ref::<String>().unwrap();
    assert!(message.contains("1 of 1 inputs fail"), "{message}");
    assert!(message.contains("unknown fuzz target"), "{message}");
}

#[test]
fn principal_seeds_reach_the_matching_oracle() {
    // The seeds are there to get the fuzzer past parsing: the last line of each
    // `principal_pattern_parse` seed is a valid principal ARN and the other lines valid patterns,
    // so replaying them compares `matches` against the regex oracle instead of stopping early.
    let mut matched = 0;
    for file in inputs(&seeds_dir("principal_pattern_parse")) {
        let text = std::fs::read_to_string(&file).unwrap();
        let mut lines: Vec<&str> = text.split('\n').collect();
        let principal = portcullis_matcher::PrincipalArn::parse(lines.pop().unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for line in lines {
            let pattern = portcullis_matcher::PrincipalPattern::parse(line)
                .unwrap_or_else(|e| panic!("{}: {line}: {e}", file.display()));
            matched += usize::from(pattern.matches(&principal));
        }
    }
    assert!(
        matched >= 5,
        "only {matched} seed patterns match their principal"
    );
}

#[test]
fn instantiation_fills_wildcards_from_the_source_text() {
    // `*` takes `n % 4` chars after a count char `n`; `?` takes the next char if its code is odd.
    // '\u{2}' → two chars "QQ"; '\u{1}' odd → pushed; '\u{4}' even → dropped.
    assert_eq!(
        checks::instantiate("a*b?c?d", "\u{2}QQ\u{1}\u{4}"),
        "aQQb\u{1}cd"
    );
    assert_eq!(checks::instantiate("x*y", ""), "xy");
    let pattern = portcullis_matcher::Pattern::new("a*b?c?d");
    assert!(pattern.is_match(&checks::instantiate("a*b?c?d", "\u{3}xyz\u{5}\u{6}")));
}
