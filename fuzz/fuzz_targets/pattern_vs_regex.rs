//! Differential: `Pattern::new`, the regex translation `^(?s:…)$` (`*` → `.*`, `?` → `.?`) and
//! a `WildcardSet` holding the pattern agree on every pattern and text (the input is the pattern
//! then texts, split on the byte 0xFF), on the prefixes of short texts, and on a text
//! instantiated from the pattern, which must match.
//!
//! The checks live in `crates/matcher/tests/fuzz/checks.rs`, shared with the stable replay test
//! `crates/matcher/tests/fuzz_replay.rs`.

#![no_main]

use libfuzzer_sys::fuzz_target;

#[allow(dead_code)]
#[path = "../../crates/matcher/tests/fuzz/checks.rs"]
mod checks;

fuzz_target!(|data: &[u8]| checks::check_pattern_vs_regex(data));
