//! Shared by the server's end-to-end tests: the real `portcullis` binary on a free loopback port,
//! AWS SDK clients whose 12-digit access key id is the caller's account, and a small raw HTTP/1.1
//! client for what no SDK sends (our own operations, garbage, abuse). SDK setup helpers are in
//! [`sdk`].

#![allow(dead_code)]

pub mod sdk;

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use aws_config::BehaviorVersion;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_sdk_servicecatalog::config::{Credentials, Region};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The management account of the test organizations.
pub const MANAGEMENT: &str = "111111111111";
/// Another standalone account.
pub const OTHER: &str = "222222222222";
/// The account of callers whose access key id is not 12 digits (the server's default).
pub const DEFAULT_ACCOUNT: &str = "123456789012";
/// Every request of the helpers is given this long before the test fails.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// A running `portcullis serve`, killed when dropped.
pub struct Server {
    child: Child,
    /// Where it listens.
    pub addr: SocketAddr,
    /// `http://ADDR:PORT`.
    pub url: String,
}

impl Server {
    /// Starts the real binary on `127.0.0.1:0` and waits for its `listening on` line.
    pub fn start() -> Server {
        Server::start_with(&[])
    }

    /// [`Server::start`] with these further `serve` arguments.
    pub fn start_with(args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_portcullis"))
            .args([
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--log-level",
                "warn",
                "--in-memory",
            ])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the portcullis binary starts");
        let stdout = child.stdout.take().expect("stdout is piped");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("the server prints its listening line");
        let url = line
            .trim_end()
            .strip_prefix("listening on ")
            .and_then(|rest| rest.split_whitespace().next());
        let Some(url) = url else {
            let _ = child.kill();
            let _ = child.wait();
            panic!("unexpected first line from the server: {line:?}");
        };
        let url = url.to_owned();
        let addr = url
            .strip_prefix("http://")
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| panic!("not an http://ADDR:PORT url: {url:?}"));
        Server { child, addr, url }
    }

    /// Whether the process is still running.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// The shared SDK configuration for `account` in `region`: the account is the access key id,
    /// no retries, bounded time.
    pub async fn sdk_config(&self, account: &str, region: &str) -> aws_config::SdkConfig {
        aws_config::defaults(BehaviorVersion::latest())
            .endpoint_url(&self.url)
            .region(Region::new(region.to_owned()))
            .credentials_provider(Credentials::new(account, "secret", None, None, "test"))
            .retry_config(RetryConfig::disabled())
            .timeout_config(
                TimeoutConfig::builder()
                    .operation_timeout(REQUEST_TIMEOUT)
                    .build(),
            )
            .load()
            .await
    }

    /// A Service Catalog client acting as `account` in us-east-1.
    pub async fn catalog(&self, account: &str) -> aws_sdk_servicecatalog::Client {
        self.catalog_in(account, "us-east-1").await
    }

    /// A Service Catalog client acting as `account` in `region`.
    pub async fn catalog_in(&self, account: &str, region: &str) -> aws_sdk_servicecatalog::Client {
        aws_sdk_servicecatalog::Client::new(&self.sdk_config(account, region).await)
    }

    /// An IAM client acting as `account` (IAM signs for us-east-1).
    pub async fn iam(&self, account: &str) -> aws_sdk_iam::Client {
        aws_sdk_iam::Client::new(&self.sdk_config(account, "us-east-1").await)
    }

    /// An STS client acting as `account`.
    pub async fn sts(&self, account: &str) -> aws_sdk_sts::Client {
        aws_sdk_sts::Client::new(&self.sdk_config(account, "us-east-1").await)
    }

    /// An Organizations client acting as `account`.
    pub async fn organizations(&self, account: &str) -> aws_sdk_organizations::Client {
        aws_sdk_organizations::Client::new(&self.sdk_config(account, "us-east-1").await)
    }

    /// POSTs `body` to `/` with `X-Amz-Target: target`, signed (in form only) as `account` in
    /// us-east-1 when `account` is given.
    pub async fn post(&self, target: Option<&str>, account: Option<&str>, body: &[u8]) -> Response {
        let mut headers = vec![(
            "Content-Type".to_owned(),
            "application/x-amz-json-1.1".to_owned(),
        )];
        if let Some(target) = target {
            headers.push(("X-Amz-Target".to_owned(), target.to_owned()));
        }
        if let Some(account) = account {
            headers.push((
                "Authorization".to_owned(),
                authorization(account, "us-east-1"),
            ));
        }
        self.request("POST", &headers, body).await
    }

    /// POSTs a JSON value to one of our own `PortcullisService` operations as `account`.
    pub async fn portcullis(
        &self,
        operation: &str,
        account: &str,
        body: serde_json::Value,
    ) -> Response {
        let target = format!("PortcullisService.{operation}");
        self.post(Some(&target), Some(account), body.to_string().as_bytes())
            .await
    }

    /// Sends one HTTP/1.1 request to `/` with these extra headers, `Connection: close`, and
    /// reads the whole answer.
    pub async fn request(
        &self,
        method: &str,
        headers: &[(String, String)],
        body: &[u8],
    ) -> Response {
        self.request_to(method, "/", headers, body).await
    }

    /// [`Server::request`] to `path`.
    pub async fn request_to(
        &self,
        method: &str,
        path: &str,
        headers: &[(String, String)],
        body: &[u8],
    ) -> Response {
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Length: {}\r\nConnection: close\r\n",
            self.addr,
            body.len()
        );
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        let mut raw = head.into_bytes();
        raw.extend_from_slice(body);
        exchange(self.addr, raw).await
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A SigV4-shaped `Authorization` header for `account` in `region` (the server reads only the
/// credential scope; signatures are not verified).
pub fn authorization(account: &str, region: &str) -> String {
    format!(
        "AWS4-HMAC-SHA256 Credential={account}/20250101/{region}/servicecatalog/aws4_request, \
         SignedHeaders=host, Signature=x"
    )
}

/// An HTTP answer.
#[derive(Debug)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// Header names (lowercase) and values, in order.
    pub headers: Vec<(String, String)>,
    /// The body, de-chunked.
    pub body: Vec<u8>,
}

impl Response {
    /// The first value of header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "the body is not JSON ({e}): {:?}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    /// Asserts a 200 answer and returns its JSON body.
    pub fn ok(&self) -> serde_json::Value {
        assert_eq!(
            self.status,
            200,
            "expected 200, got {} {:?}",
            self.status,
            String::from_utf8_lossy(&self.body)
        );
        self.json()
    }

    /// Asserts an AWS JSON error answer of HTTP `status` and exception `kind` (SPEC §7): the
    /// content type, the request id header, and a body of exactly `__type` and `message`.
    /// Returns the message.
    pub fn assert_error(&self, status: u16, kind: &str) -> String {
        self.assert_error_for(status, kind, "")
    }

    /// [`Response::assert_error`], naming `context` (what was sent) when it fails.
    pub fn assert_error_for(&self, status: u16, kind: &str, context: &str) -> String {
        self.check_error(status, kind)
            .unwrap_or_else(|problem| panic!("{context}: {problem}"))
    }

    /// The checks of [`Response::assert_error`] as a value: the message, or what is wrong.
    pub fn check_error(&self, status: u16, kind: &str) -> Result<String, String> {
        let body = String::from_utf8_lossy(&self.body);
        if self.status != status {
            return Err(format!(
                "status {} instead of {status}: {body}",
                self.status
            ));
        }
        if self.header("content-type") != Some("application/x-amz-json-1.1") {
            return Err(format!(
                "content type {:?}: {body}",
                self.header("content-type")
            ));
        }
        if self.header("x-amzn-requestid").is_none_or(str::is_empty) {
            return Err(format!(
                "every answer has an x-amzn-RequestId header: {:?}",
                self.headers
            ));
        }
        let json: serde_json::Value = serde_json::from_slice(&self.body)
            .map_err(|e| format!("the body is not JSON ({e}): {body}"))?;
        let Some(object) = json.as_object() else {
            return Err(format!("the error body is not an object: {body}"));
        };
        let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
        keys.sort_unstable();
        if keys != ["__type", "message"] {
            return Err(format!(
                "the body is not exactly __type and message: {body}"
            ));
        }
        if json["__type"] != kind {
            return Err(format!("__type is not {kind}: {body}"));
        }
        match json["message"].as_str() {
            Some(message) if !message.is_empty() => Ok(message.to_owned()),
            _ => Err(format!("the message says what went wrong: {body}")),
        }
    }
}

/// Writes `raw` on a new connection to `addr` and reads the answer until the server closes the
/// connection or the announced body is complete. The write goes on beside the read, and its
/// errors are ignored: a server may answer (and close) before it has read a whole oversized
/// request.
pub async fn exchange(addr: SocketAddr, raw: Vec<u8>) -> Response {
    tokio::time::timeout(REQUEST_TIMEOUT, exchange_inner(addr, raw))
        .await
        .unwrap_or_else(|_| panic!("no answer from {addr} within {REQUEST_TIMEOUT:?}"))
}

async fn exchange_inner(addr: SocketAddr, raw: Vec<u8>) -> Response {
    // The answer to a HEAD request has no body, whatever its Content-Length says.
    let head = raw.starts_with(b"HEAD ");
    let stream = TcpStream::connect(addr)
        .await
        .expect("connects to the server");
    let (mut reader, mut writer) = stream.into_split();
    let write = tokio::spawn(async move {
        let _ = writer.write_all(&raw).await;
        let _ = writer.flush().await;
        // Keep the write half open until the read is done: dropping it would half-close the
        // connection, which some servers take as the end of the request.
        writer
    });
    let mut received = Vec::new();
    let mut buffer = vec![0_u8; 64 * 1024];
    loop {
        if let Some(response) = parse_complete(&received, head, false) {
            drop(write);
            return response;
        }
        match reader.read(&mut buffer).await {
            Ok(0) => break,
            Ok(n) => received.extend_from_slice(&buffer[..n]),
            // A reset after the answer arrived (the server closed with unread request bytes):
            // what was received still counts.
            Err(e) if !received.is_empty() => {
                eprintln!("read ended with {e} after {} bytes", received.len());
                break;
            }
            Err(e) => panic!("reading the answer from {addr}: {e}"),
        }
    }
    drop(write);
    parse_complete(&received, head, true).unwrap_or_else(|| {
        panic!(
            "incomplete HTTP answer: {:?}",
            String::from_utf8_lossy(&received)
        )
    })
}

/// The response in `bytes` if it is complete: by `Content-Length`, by the last chunk of a
/// chunked body, or (for neither) once the connection is `closed`; with no body for the answer
/// to a `head_request`.
fn parse_complete(bytes: &[u8], head_request: bool, closed: bool) -> Option<Response> {
    let end = bytes.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&bytes[..end]).expect("the response head is text");
    let rest = &bytes[end + 4..];
    let mut lines = head.split("\r\n");
    let status_line = lines.next()?;
    let status: u16 = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("bad status line {status_line:?}"));
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let get = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    let body = if head_request {
        Vec::new()
    } else if let Some(length) = get("content-length") {
        let length: usize = length.parse().expect("a numeric content-length");
        if rest.len() < length {
            return None;
        }
        rest[..length].to_vec()
    } else if get("transfer-encoding").is_some_and(|t| t.eq_ignore_ascii_case("chunked")) {
        dechunk(rest)?
    } else if closed {
        rest.to_vec()
    } else {
        return None;
    };
    Some(Response {
        status,
        headers,
        body,
    })
}

fn dechunk(mut rest: &[u8]) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line_end = rest.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&rest[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        rest = &rest[line_end + 2..];
        if size == 0 {
            return Some(body);
        }
        if rest.len() < size + 2 {
            return None;
        }
        body.extend_from_slice(&rest[..size]);
        rest = &rest[size + 2..];
    }
}
