//! `portcullis audit`: asks a running server for `PortcullisService.AuditPortfolioSharing` and
//! prints the findings as a table a person reads at a glance, or as JSON.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use portcullis_model::{AuditFinding, AuditPortfolioSharingInput, AuditPortfolioSharingOutput};

/// Where to ask, and as whom.
#[derive(Clone, Debug)]
pub struct AuditRequest {
    /// `http://HOST:PORT` of the server.
    pub endpoint: String,
    /// The caller's account (sent as the access key id).
    pub account: String,
    /// The caller's region.
    pub region: String,
    /// One portfolio, else every portfolio the account owns in the region.
    pub portfolio_id: Option<String>,
}

/// Calls the server; the findings, or what went wrong in words.
pub fn fetch(request: &AuditRequest) -> Result<AuditPortfolioSharingOutput, String> {
    let authority = request
        .endpoint
        .strip_prefix("http://")
        .ok_or_else(|| format!("`{}` is not an http:// endpoint", request.endpoint))?
        .trim_end_matches('/');
    let body = serde_json::to_string(&AuditPortfolioSharingInput {
        accept_language: None,
        portfolio_id: request.portfolio_id.clone(),
    })
    .map_err(|e| format!("could not encode the request: {e}"))?;
    let mut stream =
        TcpStream::connect(authority).map_err(|e| format!("cannot reach {authority}: {e}"))?;
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .map_err(|e| e.to_string())?;
    let head = format!(
        "POST / HTTP/1.1\r\nHost: {authority}\r\n\
         X-Amz-Target: PortcullisService.AuditPortfolioSharing\r\n\
         Content-Type: application/x-amz-json-1.1\r\n\
         Authorization: AWS4-HMAC-SHA256 Credential={}/20250101/{}/servicecatalog/aws4_request, \
         SignedHeaders=host, Signature=unsigned\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        request.account,
        request.region,
        body.len()
    );
    stream
        .write_all(head.as_bytes())
        .and_then(|()| stream.write_all(body.as_bytes()))
        .map_err(|e| format!("cannot send to {authority}: {e}"))?;
    let mut response = Vec::new();
    stream
        .read_to_end(&mut response)
        .map_err(|e| format!("cannot read the answer of {authority}: {e}"))?;
    let text = String::from_utf8_lossy(&response);
    let (head, body) = text
        .split_once("\r\n\r\n")
        .ok_or_else(|| "the server's answer is not HTTP".to_owned())?;
    let status = head.split_whitespace().nth(1).unwrap_or("");
    if status != "200" {
        let error: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
        return Err(format!(
            "{}: {}",
            error
                .get("__type")
                .and_then(serde_json::Value::as_str)
                .unwrap_or(status),
            error
                .get("message")
                .and_then(serde_json::Value::as_str)
                .unwrap_or(body)
        ));
    }
    serde_json::from_str(body).map_err(|e| format!("unexpected answer: {e}"))
}

fn guessability(finding: &AuditFinding) -> &'static str {
    match finding.guessability {
        portcullis_model::Guessability::Critical => "CRITICAL",
        portcullis_model::Guessability::High => "HIGH",
        portcullis_model::Guessability::Medium => "MEDIUM",
        portcullis_model::Guessability::Low => "LOW",
    }
}

/// The findings as a table: one row per finding (rating, portfolio, pattern, share, how many
/// accounts it reaches, how many principals match), then its reasons, matches and remedy.
pub fn render_table(output: &AuditPortfolioSharingOutput) -> String {
    if output.findings.is_empty() {
        return "no findings: no IAM_PATTERN association reaches another account through a \
                share with principal sharing on\n"
            .to_owned();
    }
    let rows: Vec<[String; 6]> = output
        .findings
        .iter()
        .map(|f| {
            [
                guessability(f).to_owned(),
                f.portfolio_id.clone(),
                f.principal_arn.clone(),
                format!("{} {}", f.share.share_type, f.share.principal_id),
                f.reached_accounts.len().to_string(),
                f.matching_principals.len().to_string(),
            ]
        })
        .collect();
    let header = [
        "RATING",
        "PORTFOLIO",
        "PATTERN",
        "SHARE",
        "ACCOUNTS",
        "MATCHING",
    ];
    let mut widths = header.map(str::len);
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.len());
        }
    }
    let line = |cells: &[&str]| -> String {
        let mut out = String::new();
        for (i, (cell, width)) in cells.iter().zip(widths).enumerate() {
            if i > 0 {
                out.push_str("  ");
            }
            out.push_str(&format!("{cell:<width$}"));
        }
        out.trim_end().to_owned() + "\n"
    };
    let mut out = line(&header);
    for (row, finding) in rows.iter().zip(&output.findings) {
        out.push_str(&line(&row.iter().map(String::as_str).collect::<Vec<_>>()));
        for reason in &finding.reasons {
            out.push_str(&format!("    why:      {reason}\n"));
        }
        if !finding.reached_accounts.is_empty() {
            let accounts: Vec<&str> = finding
                .reached_accounts
                .iter()
                .map(|a| a.as_str())
                .collect();
            out.push_str(&format!("    reaches:  {}\n", accounts.join(", ")));
        }
        for principal in &finding.matching_principals {
            out.push_str(&format!(
                "    matches:  {} ({})\n",
                principal.principal_arn, principal.principal_id
            ));
        }
        out.push_str(&format!("    remedy:   {}\n", finding.remedy));
    }
    let critical = output
        .findings
        .iter()
        .filter(|f| f.guessability >= portcullis_model::Guessability::High)
        .count();
    out.push_str(&format!(
        "{} finding{}, {critical} rated HIGH or CRITICAL\n",
        output.findings.len(),
        if output.findings.len() == 1 { "" } else { "s" }
    ));
    out
}
