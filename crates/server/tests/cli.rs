//! The `portcullis` command line: `match` exit codes and output, `serve`'s listening line and
//! graceful shutdown.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_portcullis");

fn run_match(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(BIN).arg("match").args(args).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn match_exits_0_when_every_arn_matches_and_prints_one_line_each() {
    let (code, stdout, _) = run_match(&[
        "arn:aws:iam:::role/*/Team?-Admin*",
        "arn:aws:iam::123456789012:role/ops/Team7-AdminRole",
        "arn:aws:iam::210987654321:role/a/b/Team-Admin",
    ]);
    assert_eq!(code, 0);
    assert_eq!(
        stdout,
        "match\tarn:aws:iam::123456789012:role/ops/Team7-AdminRole\nmatch\tarn:aws:iam::210987654321:role/a/b/Team-Admin\n"
    );
}

#[test]
fn match_exits_1_when_any_arn_does_not_match() {
    let (code, stdout, _) = run_match(&[
        "arn:aws:iam:::role/*/Team?-Admin*",
        "arn:aws:iam::123456789012:role/ops/Team7-AdminRole",
        "arn:aws:iam::123456789012:role/Team7-AdminRole",
    ]);
    assert_eq!(code, 1);
    assert_eq!(
        stdout.lines().collect::<Vec<_>>(),
        [
            "match\tarn:aws:iam::123456789012:role/ops/Team7-AdminRole",
            "no-match\tarn:aws:iam::123456789012:role/Team7-AdminRole"
        ]
    );
}

#[test]
fn match_exits_2_with_the_reason_for_an_invalid_pattern() {
    let (code, stdout, stderr) = run_match(&[
        "arn:aws:iam:::*/ResourceName",
        "arn:aws:iam::123456789012:role/x",
    ]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("invalid pattern") && stderr.contains("resource type"),
        "{stderr}"
    );
}

#[test]
fn match_exits_2_with_the_reason_for_an_invalid_arn() {
    let (code, stdout, stderr) = run_match(&[
        "arn:aws:iam:::role/*",
        "arn:aws:iam::123456789012:role/x",
        "arn:aws:iam::12:role/x",
    ]);
    assert_eq!(code, 2);
    assert!(
        stdout.is_empty(),
        "nothing is printed when an input is invalid: {stdout}"
    );
    assert!(
        stderr.contains("invalid principal ARN") && stderr.contains("12 digits"),
        "{stderr}"
    );
}

#[test]
fn serve_prints_the_listening_line_and_finishes_in_flight_requests_on_sigterm() {
    let mut child = Command::new(BIN)
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--log-level",
            "warn",
            "--in-memory",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let address = line
        .trim()
        .strip_prefix("listening on http://")
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("unexpected line {line:?}"))
        .to_owned();
    assert!(line.contains("(state in memory only)"), "{line:?}");

    // A request in flight: headers and half of the body sent.
    let body = br#"{"DisplayName": "in flight", "ProviderName": "test"}"#;
    let mut stream = TcpStream::connect(&address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let head = format!(
        "POST / HTTP/1.1\r\nHost: {address}\r\nX-Amz-Target: AWS242ServiceCatalogService.CreatePortfolio\r\n\
         Content-Type: application/x-amz-json-1.1\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(&body[..10]).unwrap();
    stream.flush().unwrap();
    std::thread::sleep(Duration::from_millis(300));

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    // Give the signal time to be handled before the request completes.
    std::thread::sleep(Duration::from_millis(300));
    stream.write_all(&body[10..]).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(
        response.contains("\"DisplayName\":\"in flight\""),
        "{response}"
    );

    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "{status}");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the server did not stop after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}
