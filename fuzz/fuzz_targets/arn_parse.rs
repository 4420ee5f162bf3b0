//! `Arn::parse`, `PrincipalArn::parse` and `PrincipalPattern::parse` on arbitrary UTF-8: no panic,
//! exact Display round trip, equal re-parse, accessors that reassemble the input, and error
//! offsets on a char boundary inside the input.
//!
//! The checks live in `crates/matcher/tests/fuzz/checks.rs`, shared with the stable replay test
//! `crates/matcher/tests/fuzz_replay.rs`.

#![no_main]

use libfuzzer_sys::fuzz_target;

#[allow(dead_code)]
#[path = "../../crates/matcher/tests/fuzz/checks.rs"]
mod checks;

fuzz_target!(|data: &[u8]| checks::check_arn_parse(data));
