//! The server's decoding of arbitrary requests: method, path, headers (`X-Amz-Target`,
//! `smithy-protocol`, `Authorization`, ...) and JSON or CBOR bodies, through the whole
//! application into typed inputs and the service, with signature verification on or off. No
//! panic, and an AWS-shaped answer for every input.
//!
//! The checks live in `crates/server/tests/fuzz/checks.rs`, shared with the stable replay test
//! `crates/server/tests/fuzz_replay.rs`.

#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../crates/server/tests/fuzz/checks.rs"]
mod checks;

fuzz_target!(|data: &[u8]| checks::check_server_decode(data));
