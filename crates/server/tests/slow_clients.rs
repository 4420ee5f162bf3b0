//! Slow and idle clients against the real `portcullis` binary: connections that send half a
//! header and go quiet are closed after the header-read timeout, kept-alive connections after
//! the idle timeout (and not before), at most `--max-connections` are open at once, and ordinary
//! requests are answered quickly throughout.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use common::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// An ordinary request on a kept-alive connection: `ListPortfolios` as the management account.
fn list_portfolios(addr: SocketAddr, close: bool) -> Vec<u8> {
    let body = b"{}";
    format!(
        "POST / HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-amz-json-1.1\r\n\
         X-Amz-Target: AWS242ServiceCatalogService.ListPortfolios\r\nAuthorization: {}\r\n\
         Content-Length: {}\r\n{}\r\n{{}}",
        authorization(MANAGEMENT, "us-east-1"),
        body.len(),
        if close { "Connection: close\r\n" } else { "" },
    )
    .into_bytes()
}

/// Reads one response (with a `Content-Length`) from `stream`; its status.
async fn read_response(stream: &mut TcpStream) -> u16 {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buffer[..end]).to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .map(|v| v.trim().parse().unwrap())
                .unwrap_or(0);
            if buffer.len() >= end + 4 + length {
                return head
                    .split_whitespace()
                    .nth(1)
                    .and_then(|s| s.parse().ok())
                    .unwrap();
            }
        }
        let n = stream.read(&mut chunk).await.unwrap();
        assert!(n > 0, "the connection closed before a whole response");
        buffer.extend_from_slice(&chunk[..n]);
    }
}

/// Reads until the server closes `stream` (end of file or a reset); how long that took.
async fn closed_after(mut stream: TcpStream, since: Instant) -> Duration {
    let mut chunk = [0u8; 1024];
    loop {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return since.elapsed(),
            // hyper may answer 408 before closing.
            Ok(_) => continue,
        }
    }
}

/// The `q` quantile of `latencies`.
fn quantile(latencies: &mut [Duration], q: f64) -> Duration {
    latencies.sort();
    let index = ((latencies.len() as f64 - 1.0) * q).round() as usize;
    latencies[index]
}

/// Ordinary requests, one after the other, each on a new connection, for `period`; their
/// latencies (connect, send, whole answer).
async fn ordinary_requests(addr: SocketAddr, period: Duration) -> Vec<Duration> {
    let started = Instant::now();
    let mut latencies = Vec::new();
    while started.elapsed() < period {
        let sent = Instant::now();
        let mut stream = TcpStream::connect(addr).await.unwrap();
        stream
            .write_all(&list_portfolios(addr, true))
            .await
            .unwrap();
        assert_eq!(read_response(&mut stream).await, 200);
        latencies.push(sent.elapsed());
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    latencies
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thousands_of_slow_connections_are_closed_on_time_while_requests_are_answered() {
    const SLOW: usize = 3000;
    const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(2);
    let server = Server::start_with(&["--header-read-timeout", "2", "--max-connections", "8000"]);
    let addr = server.addr;

    // Ordinary requests run from before the first slow connection until after the last one
    // was closed.
    let ordinary = tokio::spawn(ordinary_requests(addr, Duration::from_secs(6)));

    let mut slow = Vec::with_capacity(SLOW);
    for _ in 0..SLOW {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        stream
            .write_all(b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Tar")
            .await
            .unwrap();
        let since = Instant::now();
        slow.push(tokio::spawn(closed_after(stream, since)));
    }
    let mut closed = Vec::with_capacity(SLOW);
    for task in slow {
        closed.push(tokio::time::timeout(Duration::from_secs(20), task).await);
    }
    let closed: Vec<Duration> = closed
        .into_iter()
        .map(|c| c.expect("every slow connection is closed").unwrap())
        .collect();
    let earliest = closed.iter().min().unwrap();
    let latest = closed.iter().max().unwrap();
    assert!(
        *earliest >= HEADER_READ_TIMEOUT - Duration::from_millis(100),
        "a slow connection was closed early, after {earliest:?}"
    );
    assert!(
        *latest <= HEADER_READ_TIMEOUT + Duration::from_secs(2),
        "a slow connection was closed late, after {latest:?}"
    );

    let mut latencies = ordinary.await.unwrap();
    assert!(latencies.len() >= 100, "{} requests", latencies.len());
    let p99 = quantile(&mut latencies, 0.99);
    let p50 = quantile(&mut latencies, 0.5);
    eprintln!(
        "{SLOW} slow connections closed after {earliest:?}..{latest:?}; {} ordinary requests, p50 {p50:?}, p99 {p99:?}",
        latencies.len()
    );
    assert!(
        p99 < Duration::from_millis(50),
        "p99 {p99:?} of ordinary requests"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kept_alive_connections_close_after_the_idle_timeout_and_not_before() {
    const KEPT: usize = 200;
    let server = Server::start_with(&["--header-read-timeout", "1", "--idle-timeout", "3"]);
    let addr = server.addr;
    let mut idle = Vec::with_capacity(KEPT);
    for _ in 0..KEPT {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        stream
            .write_all(&list_portfolios(addr, false))
            .await
            .unwrap();
        assert_eq!(read_response(&mut stream).await, 200);
        let since = Instant::now();
        idle.push(tokio::spawn(closed_after(stream, since)));
    }

    // Past the header-read timeout, within the idle timeout: a kept-alive connection still
    // serves its next request.
    let mut kept = TcpStream::connect(addr).await.unwrap();
    kept.write_all(&list_portfolios(addr, false)).await.unwrap();
    assert_eq!(read_response(&mut kept).await, 200);
    tokio::time::sleep(Duration::from_secs(2)).await;
    kept.write_all(&list_portfolios(addr, false)).await.unwrap();
    assert_eq!(read_response(&mut kept).await, 200);

    for task in idle {
        let after = tokio::time::timeout(Duration::from_secs(20), task)
            .await
            .expect("every idle connection is closed")
            .unwrap();
        assert!(
            after >= Duration::from_millis(2900) && after <= Duration::from_secs(5),
            "an idle connection was closed after {after:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_the_connection_cap_new_connections_wait_until_one_closes() {
    let server = Server::start_with(&["--max-connections", "20"]);
    let addr = server.addr;
    let mut held = Vec::new();
    for _ in 0..20 {
        held.push(TcpStream::connect(addr).await.unwrap());
    }
    // Let the server accept them all.
    tokio::time::sleep(Duration::from_millis(300)).await;

    // The kernel completes the handshake, but the server does not take the connection.
    let mut waiting = TcpStream::connect(addr).await.unwrap();
    waiting
        .write_all(&list_portfolios(addr, true))
        .await
        .unwrap();
    let early = tokio::time::timeout(Duration::from_millis(700), read_response(&mut waiting)).await;
    assert!(early.is_err(), "a connection over the cap was served");

    // One closes: the waiting connection is served.
    drop(held.pop());
    let status = tokio::time::timeout(Duration::from_secs(5), read_response(&mut waiting))
        .await
        .expect("the waiting connection is served once a slot is free");
    assert_eq!(status, 200);
}
