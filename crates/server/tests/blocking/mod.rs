#![allow(dead_code)]
//! A blocking harness for tests that start the real server: the binary with arguments, its
//! listening line, SIGKILL, and a minimal HTTP client (each request on its own connection).

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub const BIN: &str = env!("CARGO_BIN_EXE_portcullis");
pub const OWNER: &str = "111111111111";

pub struct Server {
    child: Child,
    /// `ADDR:PORT`.
    pub addr: String,
    /// The listening line.
    pub line: String,
}

impl Server {
    /// A server keeping its state in `dir`.
    pub fn start(dir: &Path) -> Server {
        let server = Server::with(&["--data-dir".as_ref(), dir.as_os_str()]);
        assert!(
            server
                .line
                .contains(&format!("(data directory {})", dir.display())),
            "the listening line names the data directory: {:?}",
            server.line
        );
        server
    }

    /// A server started with `args` after `serve --listen 127.0.0.1:0 --log-level warn`.
    pub fn with(args: &[&std::ffi::OsStr]) -> Server {
        let mut child = Command::new(BIN)
            .args(["serve", "--listen", "127.0.0.1:0", "--log-level", "warn"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let addr = line
            .strip_prefix("listening on http://")
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap_or_else(|| panic!("unexpected line {line:?}"))
            .to_owned();
        Server { child, addr, line }
    }

    /// SIGKILL: no shutdown of any kind.
    pub fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One AWS JSON 1.1 request as `account`: the status and the JSON body, or the I/O error (the
/// server went away).
pub fn call(
    addr: &str,
    account: &str,
    target: &str,
    body: &serde_json::Value,
) -> std::io::Result<(u16, serde_json::Value)> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(20)))?;
    let body = body.to_string();
    let request = format!(
        "POST / HTTP/1.1\r\nHost: {addr}\r\nX-Amz-Target: {target}\r\n\
         Content-Type: application/x-amz-json-1.1\r\n\
         Authorization: AWS4-HMAC-SHA256 Credential={account}/20250101/us-east-1/servicecatalog/aws4_request, SignedHeaders=host, Signature=x\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let (status, body) = exchange(&mut stream, &request)?;
    let json = body
        .map(|body| serde_json::from_str(&body).unwrap_or(serde_json::Value::Null))
        .ok_or_else(|| std::io::Error::other("no body"))?;
    Ok((status, json))
}

/// Sends `request` on `stream` (which the server closes after answering) and reads the answer:
/// its status and, if it has one, its body.
fn exchange(stream: &mut TcpStream, request: &str) -> std::io::Result<(u16, Option<String>)> {
    stream.write_all(request.as_bytes())?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    let text = String::from_utf8_lossy(&response);
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("no status line in {text:?}")))?;
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_owned());
    Ok((status, body))
}

/// One AWS Query request (the IAM subset) as `account`, with a form body: the status and the XML
/// body.
pub fn iam(addr: &str, account: &str, form: &str) -> std::io::Result<(u16, String)> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(20)))?;
    let request = format!(
        "POST / HTTP/1.1\r\nHost: {addr}\r\n\
         Content-Type: application/x-www-form-urlencoded; charset=utf-8\r\n\
         Authorization: AWS4-HMAC-SHA256 Credential={account}/20250101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=x\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{form}",
        form.len()
    );
    let (status, body) = exchange(&mut stream, &request)?;
    Ok((status, body.unwrap_or_default()))
}

/// Creates role `name` in `account` through the IAM API: an `IAM` principal must exist before it
/// is associated (SPEC §4.4).
pub fn create_role(addr: &str, account: &str, name: &str) {
    let (status, body) = iam(
        addr,
        account,
        &format!(
            "Action=CreateRole&Version=2010-05-08&RoleName={name}&AssumeRolePolicyDocument=%7B%7D"
        ),
    )
    .unwrap();
    assert_eq!(status, 200, "CreateRole {name}: {body}");
}

pub fn catalog(addr: &str, operation: &str, body: serde_json::Value) -> (u16, serde_json::Value) {
    call(
        addr,
        OWNER,
        &format!("AWS242ServiceCatalogService.{operation}"),
        &body,
    )
    .unwrap()
}

pub fn create_portfolio(addr: &str, name: &str) -> String {
    let (status, body) = catalog(
        addr,
        "CreatePortfolio",
        serde_json::json!({"DisplayName": name, "ProviderName": "test"}),
    );
    assert_eq!(status, 200, "{body}");
    body["PortfolioDetail"]["Id"].as_str().unwrap().to_owned()
}

/// Every principal associated with `portfolio`, by (type, ARN), following page tokens.
pub fn principals(addr: &str, portfolio: &str) -> BTreeSet<(String, String)> {
    let mut found = BTreeSet::new();
    let mut token: Option<String> = None;
    loop {
        let mut body = serde_json::json!({"PortfolioId": portfolio, "PageSize": 100});
        if let Some(t) = &token {
            body["PageToken"] = t.clone().into();
        }
        let (status, page) = catalog(addr, "ListPrincipalsForPortfolio", body);
        assert_eq!(status, 200, "{page}");
        for p in page["Principals"].as_array().unwrap() {
            found.insert((
                p["PrincipalType"].as_str().unwrap().to_owned(),
                p["PrincipalARN"].as_str().unwrap().to_owned(),
            ));
        }
        match page["NextPageToken"].as_str() {
            Some(t) => token = Some(t.to_owned()),
            None => return found,
        }
    }
}
