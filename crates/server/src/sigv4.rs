//! SigV4 signature verification, opt-in (`portcullis serve --verify-signatures --credentials
//! FILE`), for every protocol alike: it reads only the method, path, query, headers and body.
//!
//! The server recomputes the signature of the request from the secret key of its access key id
//! (HMAC-SHA256 from RustCrypto's `hmac` and `sha2`; only the canonical request is assembled
//! here), compares it in constant time (`subtle`), and accepts a request time within AWS's
//! 15 minutes of the server's clock. Each failure is AWS's error: no `Authorization` header
//! (`MissingAuthenticationTokenException`), a part missing or a required header unsigned
//! (`IncompleteSignatureException`), an unknown key (`UnrecognizedClientException`), and a
//! wrong signature, scope or time (`InvalidSignatureException`).
//!
//! # The credentials file
//!
//! One access key per line: the access key id, its secret access key and the 12-digit account
//! id it acts as, separated by whitespace. Blank lines and lines starting with `#` are ignored.
//!
//! ```text
//! # access key id        secret access key                          account
//! AKIAIOSFODNN7EXAMPLE   wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY   111111111111
//! AKIAI44QH8DHBEXAMPLE   je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY   222222222222
//! ```

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::http::HeaderMap;
use hmac::{Hmac, Mac};
use parking_lot::Mutex;
use portcullis_model::{AccountId, Region, ServiceError};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// The only algorithm SigV4 requests name.
const ALGORITHM: &str = "AWS4-HMAC-SHA256";
/// How far a request's time may be from the server's: AWS's 15 minutes.
pub const CLOCK_SKEW: Duration = Duration::from_secs(15 * 60);
/// Cached signing keys (one per access key of the credentials file, for its last scope) before
/// the cache is emptied.
const MAX_CACHED_KEYS: usize = 4096;

/// The secret key of an access key id, and the account it acts as.
#[derive(Clone)]
struct Secret {
    key: String,
    account: AccountId,
}

/// The access keys a server accepts: the credentials file.
#[derive(Clone, Default)]
pub struct Credentials {
    keys: HashMap<String, Secret>,
}

impl std::fmt::Debug for Credentials {
    // Secrets stay out of logs and panics.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("access_keys", &self.keys.len())
            .finish()
    }
}

impl Credentials {
    /// Reads a credentials file (format in the module docs).
    pub fn load(path: &Path) -> Result<Credentials, String> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            format!(
                "could not read the credentials file {}: {e}",
                path.display()
            )
        })?;
        Credentials::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Parses the text of a credentials file.
    pub fn parse(text: &str) -> Result<Credentials, String> {
        let mut keys = HashMap::new();
        for (number, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = line.split_whitespace().collect();
            let [id, key, account] = fields[..] else {
                return Err(format!(
                    "line {}: expected `ACCESS_KEY_ID SECRET_ACCESS_KEY ACCOUNT_ID`, found {} fields",
                    number + 1,
                    fields.len()
                ));
            };
            let account =
                AccountId::parse(account).map_err(|e| format!("line {}: {e}", number + 1))?;
            let secret = Secret {
                key: key.to_owned(),
                account,
            };
            if keys.insert(id.to_owned(), secret).is_some() {
                return Err(format!(
                    "line {}: access key id `{id}` is listed twice",
                    number + 1
                ));
            }
        }
        if keys.is_empty() {
            return Err("the credentials file lists no access key".to_owned());
        }
        Ok(Credentials { keys })
    }
}

/// Who a verified request comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    /// The account of its access key.
    pub account: AccountId,
    /// The region of its credential scope.
    pub region: Region,
}

/// The parts of a request a signature covers.
#[derive(Clone, Copy, Debug)]
pub struct SignedRequest<'a> {
    /// `POST`, ...
    pub method: &'a str,
    /// The path as received (still percent-encoded).
    pub path: &'a str,
    /// The query string as received, without `?`.
    pub query: &'a str,
    /// Every header.
    pub headers: &'a HeaderMap,
    /// The whole body.
    pub body: &'a [u8],
}

/// A signing key and the scope (`date/region/service`) it was derived for.
struct SigningKey {
    scope: String,
    key: [u8; 32],
}

/// Verifies SigV4 signatures against a [`Credentials`] file.
pub struct Verifier {
    credentials: Credentials,
    /// The last signing key of each access key id, with the scope it was derived for: four
    /// HMACs saved per request, looked up without allocating.
    signing_keys: Mutex<HashMap<String, SigningKey>>,
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verifier")
            .field("credentials", &self.credentials)
            .finish_non_exhaustive()
    }
}

/// The parts of an `Authorization` header.
struct Authorization<'a> {
    access_key: &'a str,
    date: &'a str,
    region: &'a str,
    service: &'a str,
    signed_headers: &'a str,
    signature: &'a str,
}

fn incomplete(message: impl Into<String>) -> ServiceError {
    ServiceError::new(portcullis_model::ErrorKind::IncompleteSignature, message)
}

fn invalid(message: impl Into<String>) -> ServiceError {
    ServiceError::new(portcullis_model::ErrorKind::InvalidSignature, message)
}

/// User input quoted in a message: at most 100 characters.
fn quoted(value: &str) -> String {
    value.chars().take(100).collect()
}

impl Verifier {
    /// A verifier of signatures made with these credentials.
    pub fn new(credentials: Credentials) -> Verifier {
        Verifier {
            credentials,
            signing_keys: Mutex::new(HashMap::new()),
        }
    }

    /// Verifies `request`, signed for `service` (its signing name, such as `servicecatalog`;
    /// `None` accepts any), at time `now`.
    pub fn verify(
        &self,
        request: &SignedRequest<'_>,
        service: Option<&str>,
        now: SystemTime,
    ) -> Result<Verified, ServiceError> {
        let header = match request.headers.get("authorization") {
            None => {
                return Err(ServiceError::new(
                    portcullis_model::ErrorKind::MissingAuthenticationToken,
                    "Missing Authentication Token",
                ));
            }
            Some(value) => value
                .to_str()
                .map_err(|_| incomplete("the Authorization header is not ASCII text"))?,
        };
        let auth = parse_authorization(header)?;
        let amz_date = request_time(request.headers)?;
        let signed: Vec<&str> = auth.signed_headers.split(';').collect();
        if !signed.contains(&"host") && !signed.contains(&":authority") {
            return Err(incomplete(
                "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
            ));
        }
        let Some(when) = parse_amz_date(&amz_date) else {
            return Err(incomplete(format!(
                "Date must be in ISO-8601 'basic format'. Got '{}'. See http://en.wikipedia.org/wiki/ISO_8601",
                quoted(&amz_date)
            )));
        };
        let now_secs = now
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let skew = CLOCK_SKEW.as_secs();
        if when.saturating_add(skew) < now_secs {
            return Err(invalid(format!(
                "Signature expired: {amz_date} is now earlier than {} ({} - 15 min.)",
                format_amz_date(now_secs - skew),
                format_amz_date(now_secs)
            )));
        }
        if when > now_secs.saturating_add(skew) {
            return Err(invalid(format!(
                "Signature not yet current: {amz_date} is still later than {} ({} + 15 min.)",
                format_amz_date(now_secs + skew),
                format_amz_date(now_secs)
            )));
        }
        if amz_date.get(..8) != Some(auth.date) {
            return Err(invalid(format!(
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{}' != '{}', from '{amz_date}'.",
                quoted(auth.date),
                amz_date.get(..8).unwrap_or_default()
            )));
        }
        if let Some(expected) = service
            && auth.service != expected
        {
            return Err(invalid(format!(
                "Credential should be scoped to correct service: '{expected}'. "
            )));
        }
        let region = Region::parse(auth.region).map_err(|_| {
            invalid(format!(
                "Credential should be scoped to a valid region, not '{}'. ",
                quoted(auth.region)
            ))
        })?;
        let Some(secret) = self.credentials.keys.get(auth.access_key) else {
            return Err(ServiceError::new(
                portcullis_model::ErrorKind::UnrecognizedClient,
                "The security token included in the request is invalid.",
            ));
        };

        let canonical = canonical_request(request, &signed, auth.signed_headers);
        // `ALGORITHM\nDATE\nSCOPE\nHEX(SHA256(canonical))`, the scope being
        // `date/region/service/aws4_request`.
        let mut string_to_sign = String::with_capacity(160);
        for part in [
            ALGORITHM,
            "\n",
            &amz_date,
            "\n",
            auth.date,
            "/",
            auth.region,
            "/",
            auth.service,
            "/aws4_request\n",
        ] {
            string_to_sign.push_str(part);
        }
        string_to_sign.push_str(hex(&Sha256::digest(canonical.as_bytes()).into()).as_str());
        let key = self.signing_key(auth.access_key, &secret.key, &auth);
        let expected = hex(&hmac(&key, string_to_sign.as_bytes()));
        if !bool::from(
            expected
                .as_str()
                .as_bytes()
                .ct_eq(auth.signature.as_bytes()),
        ) {
            return Err(invalid(
                "The request signature we calculated does not match the signature you provided. \
                 Check your AWS Secret Access Key and signing method. Consult the service \
                 documentation for details.",
            ));
        }
        Ok(Verified {
            account: secret.account.clone(),
            region,
        })
    }

    fn signing_key(&self, access_key: &str, secret: &str, auth: &Authorization<'_>) -> [u8; 32] {
        let is_scope = |scope: &str| {
            let mut parts = scope.split('/');
            parts.next() == Some(auth.date)
                && parts.next() == Some(auth.region)
                && parts.next() == Some(auth.service)
                && parts.next().is_none()
        };
        if let Some(cached) = self.signing_keys.lock().get(access_key)
            && is_scope(&cached.scope)
        {
            return cached.key;
        }
        let k_date = hmac(format!("AWS4{secret}").as_bytes(), auth.date.as_bytes());
        let k_region = hmac(&k_date, auth.region.as_bytes());
        let k_service = hmac(&k_region, auth.service.as_bytes());
        let key = hmac(&k_service, b"aws4_request");
        let mut keys = self.signing_keys.lock();
        if keys.len() >= MAX_CACHED_KEYS && !keys.contains_key(access_key) {
            keys.clear();
        }
        keys.insert(
            access_key.to_owned(),
            SigningKey {
                scope: format!("{}/{}/{}", auth.date, auth.region, auth.service),
                key,
            },
        );
        key
    }
}

fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    // HMAC takes keys of any length: `new_from_slice` cannot fail for it.
    match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(data);
            mac.finalize().into_bytes().into()
        }
        Err(_) => [0; 32],
    }
}

/// A SHA-256 digest or HMAC in lowercase hex, on the stack.
struct Hex([u8; 64]);

impl Hex {
    fn as_str(&self) -> &str {
        // Only ASCII hex digits are written into it.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

fn hex(bytes: &[u8; 32]) -> Hex {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = [0u8; 64];
    for (pair, b) in out.chunks_exact_mut(2).zip(bytes) {
        for (digit, half) in pair.iter_mut().zip([b >> 4, b & 0x0f]) {
            *digit = DIGITS.get(usize::from(half)).copied().unwrap_or(b'0');
        }
    }
    Hex(out)
}

/// `AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/servicecatalog/aws4_request,
/// SignedHeaders=host;x-amz-date, Signature=...`
fn parse_authorization(header: &str) -> Result<Authorization<'_>, ServiceError> {
    let Some(rest) = header
        .strip_prefix(ALGORITHM)
        .filter(|r| r.starts_with(' '))
    else {
        return Err(incomplete(format!(
            "Authorization header requires an '{ALGORITHM}' signature, not '{}'.",
            quoted(header.split(' ').next().unwrap_or_default())
        )));
    };
    let (mut credential, mut signed_headers, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let part = part.trim();
        if let Some(v) = part.strip_prefix("Credential=") {
            credential = Some(v);
        } else if let Some(v) = part.strip_prefix("SignedHeaders=") {
            signed_headers = Some(v);
        } else if let Some(v) = part.strip_prefix("Signature=") {
            signature = Some(v);
        }
    }
    let mut missing = String::new();
    for (name, value) in [
        ("Credential", credential),
        ("Signature", signature),
        ("SignedHeaders", signed_headers),
    ] {
        if value.is_none_or(str::is_empty) {
            let _ = write!(
                missing,
                "Authorization header requires '{name}' parameter. "
            );
        }
    }
    let (Some(credential), Some(signed_headers), Some(signature)) =
        (credential, signed_headers, signature)
    else {
        return Err(incomplete(missing.trim_end()));
    };
    if !missing.is_empty() {
        return Err(incomplete(missing.trim_end()));
    }
    let parts: Vec<&str> = credential.split('/').collect();
    let [access_key, date, region, service, terminator] = parts[..] else {
        return Err(incomplete(format!(
            "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '{}'",
            quoted(credential)
        )));
    };
    if terminator != "aws4_request" {
        return Err(incomplete(format!(
            "Credential should be scoped with a valid terminator: 'aws4_request', not '{}'.",
            quoted(terminator)
        )));
    }
    Ok(Authorization {
        access_key,
        date,
        region,
        service,
        signed_headers,
        signature,
    })
}

/// The request time, in ISO-8601 basic format: `X-Amz-Date`, else `Date` (HTTP date).
fn request_time(headers: &HeaderMap) -> Result<String, ServiceError> {
    if let Some(value) = headers.get("x-amz-date") {
        return Ok(String::from_utf8_lossy(value.as_bytes()).into_owned());
    }
    if let Some(value) = headers.get("date") {
        let text = String::from_utf8_lossy(value.as_bytes());
        return parse_http_date(&text).map(format_amz_date).ok_or_else(|| {
            incomplete(format!(
                "the Date header `{}` is not an HTTP date",
                quoted(&text)
            ))
        });
    }
    Err(incomplete(
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    ))
}

/// The canonical request of SigV4: method, canonical URI (the path as sent, encoded once
/// more), canonical query, the signed headers, their names, and the payload's hash.
fn canonical_request(request: &SignedRequest<'_>, signed: &[&str], signed_headers: &str) -> String {
    let mut out = String::with_capacity(512);
    out.push_str(request.method);
    out.push('\n');
    uri_encode(&mut out, request.path, false);
    out.push('\n');
    let mut pairs: Vec<(String, String)> = request
        .query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            let (mut key, mut value) = (String::new(), String::new());
            uri_encode(&mut key, &percent_decode(k), true);
            uri_encode(&mut value, &percent_decode(v), true);
            (key, value)
        })
        .collect();
    pairs.sort();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        out.push_str(v);
    }
    out.push('\n');
    for name in signed {
        out.push_str(name);
        out.push(':');
        let mut first = true;
        for value in request.headers.get_all(*name) {
            if !first {
                out.push(',');
            }
            first = false;
            let text = String::from_utf8_lossy(value.as_bytes());
            // Trimmed, with runs of spaces as one.
            let mut words = text.split_whitespace();
            if let Some(word) = words.next() {
                out.push_str(word);
            }
            for word in words {
                out.push(' ');
                out.push_str(word);
            }
        }
        out.push('\n');
    }
    out.push('\n');
    // The `SignedHeaders` list as given: `signed` is it split at `;`.
    out.push_str(signed_headers);
    out.push('\n');
    out.push_str(hex(&Sha256::digest(request.body).into()).as_str());
    out
}

/// Percent-encodes `text` as SigV4 does: every byte but `A-Z a-z 0-9 - _ . ~` (and `/` unless
/// `slash`).
fn uri_encode(out: &mut String, text: &str, slash: bool) {
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) || (b == b'/' && !slash) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b, hex) {
            (b'%', Some(decoded)) => {
                out.push(decoded);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: u64, day: u64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = month as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day since 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u64, u64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u64;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u64;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn seconds_of(year: i64, month: u64, day: u64, h: u64, m: u64, s: u64) -> Option<u64> {
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || h > 23 || m > 59 || s > 60 {
        return None;
    }
    let days = u64::try_from(days_from_civil(year, month, day)).ok()?;
    Some(days * 86_400 + h * 3600 + m * 60 + s)
}

/// `20250101T120000Z` as seconds since the epoch.
fn parse_amz_date(text: &str) -> Option<u64> {
    let b = text.as_bytes();
    if b.len() != 16 || b.get(8) != Some(&b'T') || b.get(15) != Some(&b'Z') {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<u64> {
        text.get(range)
            .filter(|s| s.bytes().all(|c| c.is_ascii_digit()))
            .and_then(|s| s.parse().ok())
    };
    let year = i64::try_from(num(0..4)?).ok()?;
    seconds_of(
        year,
        num(4..6)?,
        num(6..8)?,
        num(9..11)?,
        num(11..13)?,
        num(13..15)?,
    )
}

/// `Sun, 06 Nov 1994 08:49:37 GMT` as seconds since the epoch.
fn parse_http_date(text: &str) -> Option<u64> {
    let fields: Vec<&str> = text.split_whitespace().collect();
    let [_, day, month, year, time, "GMT"] = fields[..] else {
        return None;
    };
    let month = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    .iter()
    .position(|m| *m == month)? as u64
        + 1;
    let mut hms = time.split(':').map(|p| p.parse::<u64>().ok());
    let (h, m, s) = (hms.next()??, hms.next()??, hms.next()??);
    seconds_of(year.parse().ok()?, month, day.parse().ok()?, h, m, s)
}

/// Seconds since the epoch as `20250101T120000Z`.
fn format_amz_date(seconds: u64) -> String {
    let days = i64::try_from(seconds / 86_400).unwrap_or(0);
    let (year, month, day) = civil_from_days(days);
    let rest = seconds % 86_400;
    format!(
        "{year:04}{month:02}{day:02}T{:02}{:02}{:02}Z",
        rest / 3600,
        rest / 60 % 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn dates_round_trip_between_formats() {
        for text in ["19700101T000000Z", "20250101T120000Z", "20240229T235959Z"] {
            let seconds = parse_amz_date(text).unwrap();
            assert_eq!(format_amz_date(seconds), text);
        }
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            parse_amz_date("19941106T084937Z")
        );
        for bad in [
            "2025-01-01T12:00:00Z",
            "20251301T000000Z",
            "20250101T240000Z",
            "",
        ] {
            assert_eq!(parse_amz_date(bad), None, "{bad}");
        }
    }

    /// AWS's published SigV4 example (the `get-vanilla` case of the SigV4 test suite).
    #[test]
    fn the_aws_sigv4_test_suite_get_vanilla_signature_verifies() {
        let credentials =
            Credentials::parse("AKIDEXAMPLE wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY 111111111111")
                .unwrap();
        let verifier = Verifier::new(credentials);
        let mut headers = HeaderMap::new();
        headers.insert("host", HeaderValue::from_static("example.amazonaws.com"));
        headers.insert("x-amz-date", HeaderValue::from_static("20150830T123600Z"));
        headers.insert(
            "authorization",
            HeaderValue::from_static(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
                 SignedHeaders=host;x-amz-date, \
                 Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
            ),
        );
        let request = SignedRequest {
            method: "GET",
            path: "/",
            query: "",
            headers: &headers,
            body: b"",
        };
        let at = UNIX_EPOCH + Duration::from_secs(parse_amz_date("20150830T123600Z").unwrap());
        let verified = verifier.verify(&request, Some("service"), at).unwrap();
        assert_eq!(verified.account.as_str(), "111111111111");
        assert_eq!(verified.region.as_str(), "us-east-1");
        // Signed for another service than the one addressed: refused.
        assert_eq!(
            verifier
                .verify(&request, Some("servicecatalog"), at)
                .unwrap_err()
                .kind(),
            portcullis_model::ErrorKind::InvalidSignature
        );
    }

    #[test]
    fn credentials_files_are_checked_line_by_line() {
        let ok = Credentials::parse("# comment\n\nAKID secret 111111111111\n").unwrap();
        assert_eq!(ok.keys.len(), 1);
        assert!(format!("{ok:?}").contains("access_keys: 1"));
        assert!(!format!("{ok:?}").contains("secret"));
        for bad in [
            "",
            "AKID secret",
            "AKID secret 12345",
            "AKID secret 111111111111 extra",
            "AKID a 111111111111\nAKID b 222222222222",
        ] {
            assert!(Credentials::parse(bad).is_err(), "{bad:?}");
        }
    }
}
