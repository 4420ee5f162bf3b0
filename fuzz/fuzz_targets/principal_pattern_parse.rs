//! Lines of principal patterns, then a principal ARN: parsing never panics, and
//! `PrincipalPattern::matches` (and a `PatternSet` of the patterns) agrees with the regex oracle
//! (same partition, same resource type, `^(?s:…)$` translation of the resource id).
//!
//! The checks live in `crates/matcher/tests/fuzz/checks.rs`, shared with the stable replay test
//! `crates/matcher/tests/fuzz_replay.rs`.

#![no_main]

use libfuzzer_sys::fuzz_target;

#[allow(dead_code)]
#[path = "../../crates/matcher/tests/fuzz/checks.rs"]
mod checks;

fuzz_target!(|data: &[u8]| checks::check_principal_pattern_parse(data));
