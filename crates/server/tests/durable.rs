#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! The durable server (SPEC §7a): `portcullis serve --data-dir` keeps every acknowledged change
//! through restarts and SIGKILL, refuses a data directory another server holds, and refuses a
//! database it cannot trust, naming the file. Driven over real HTTP with a minimal blocking
//! client (each request on its own connection).

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

mod blocking;

use blocking::*;

#[test]
fn a_second_server_on_the_same_data_directory_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let _first = Server::start(dir.path());
    let second = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .arg("--data-dir")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!second.status.success());
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(
        stderr.contains("in use by another portcullis process")
            && stderr.contains("portcullis.lock"),
        "{stderr}"
    );
    assert!(
        second.stdout.is_empty(),
        "nothing listens: {:?}",
        String::from_utf8_lossy(&second.stdout)
    );
}

#[test]
fn a_database_written_by_a_newer_format_is_refused_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    {
        let server = Server::start(dir.path());
        create_portfolio(&server.addr, "kept");
        server.kill();
    }
    let file = dir.path().join("portcullis.sqlite3");
    let connection = rusqlite::Connection::open(&file).unwrap();
    connection
        .execute("UPDATE meta SET value = '99' WHERE key = 'format'", [])
        .unwrap();
    drop(connection);
    let before = std::fs::read(&file).unwrap();
    let refused = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .arg("--data-dir")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("newer portcullis") && stderr.contains(&file.display().to_string()),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read(&file).unwrap(),
        before,
        "nothing was overwritten"
    );
}

#[test]
fn a_damaged_database_is_refused_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("portcullis.sqlite3");
    std::fs::write(&file, b"this is not a database, but it is somebody's file").unwrap();
    let refused = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .arg("--data-dir")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("damaged") && stderr.contains(&file.display().to_string()),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read(&file).unwrap(),
        b"this is not a database, but it is somebody's file",
        "nothing was overwritten"
    );
}

#[test]
fn everything_survives_a_restart_shares_organizations_tokens_and_ids() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path());
    let addr = server.addr.clone();
    let id = create_portfolio(&addr, "kept");
    let deleted = create_portfolio(&addr, "deleted");
    let (status, _) = catalog(&addr, "DeletePortfolio", serde_json::json!({"Id": deleted}));
    assert_eq!(status, 200);
    let (status, first) = catalog(
        &addr,
        "CreatePortfolio",
        serde_json::json!({"DisplayName": "token", "ProviderName": "t", "IdempotencyToken": "tok-1"}),
    );
    assert_eq!(status, 200);
    let org = call(
        &addr,
        OWNER,
        "AWSOrganizationsV20161128.CreateOrganization",
        &serde_json::json!({}),
    )
    .unwrap()
    .1["Organization"]["Id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, _) = catalog(&addr, "EnableAWSOrganizationsAccess", serde_json::json!({}));
    assert_eq!(status, 200);
    let (status, share) = catalog(
        &addr,
        "CreatePortfolioShare",
        serde_json::json!({"PortfolioId": id, "OrganizationNode": {"Type": "ORGANIZATION", "Value": org}, "SharePrincipals": true}),
    );
    assert_eq!(status, 200, "{share}");
    let token = share["PortfolioShareToken"].as_str().unwrap().to_owned();
    let (status, _) = catalog(
        &addr,
        "AssociatePrincipalWithPortfolio",
        serde_json::json!({"PortfolioId": id, "PrincipalARN": "arn:aws:iam:::role/Dev*", "PrincipalType": "IAM_PATTERN"}),
    );
    assert_eq!(status, 200);
    server.kill();

    let server = Server::start(dir.path());
    let addr = server.addr.clone();
    assert_eq!(
        principals(&addr, &id),
        BTreeSet::from([(
            "IAM_PATTERN".to_owned(),
            "arn:aws:iam:::role/Dev*".to_owned()
        )])
    );
    let (status, status_body) = catalog(
        &addr,
        "DescribePortfolioShareStatus",
        serde_json::json!({"PortfolioShareToken": token}),
    );
    assert_eq!(status, 200, "{status_body}");
    assert_eq!(status_body["Status"], "COMPLETED");
    let (status, access) = catalog(
        &addr,
        "GetAWSOrganizationsAccessStatus",
        serde_json::json!({}),
    );
    assert_eq!(
        (status, access["AccessStatus"].as_str()),
        (200, Some("ENABLED"))
    );
    let (status, again) = catalog(
        &addr,
        "CreatePortfolio",
        serde_json::json!({"DisplayName": "token", "ProviderName": "t", "IdempotencyToken": "tok-1"}),
    );
    assert_eq!(status, 200);
    assert_eq!(
        again["PortfolioDetail"]["Id"], first["PortfolioDetail"]["Id"],
        "the idempotency token survives"
    );
    let (status, gone) = catalog(
        &addr,
        "DescribePortfolio",
        serde_json::json!({"Id": deleted}),
    );
    assert_eq!(status, 400, "{gone}");
    let listed: Vec<String> =
        catalog(&addr, "ListPortfolios", serde_json::json!({})).1["PortfolioDetails"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["Id"].as_str().unwrap().to_owned())
            .collect();
    assert_eq!(
        listed,
        vec![
            id,
            first["PortfolioDetail"]["Id"].as_str().unwrap().to_owned()
        ]
    );
}

/// What the clients know about one principal: its state as of the last acknowledged change, and
/// whether a change of it was in flight (its outcome unknown) when the server was killed.
#[derive(Clone, Copy, Debug, Default)]
struct Known {
    present: bool,
    in_flight: bool,
}

/// SIGKILL at random moments under concurrent writes, 20 times on one data directory: after
/// each restart every acknowledged change is there, no change is half applied (each principal
/// is either associated or not, as the acknowledged operations and at most the one in flight
/// say), and the 10-pattern limit holds.
#[test]
fn acknowledged_writes_survive_sigkill_at_random_moments_20_times_in_a_row() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::start(dir.path());
    let portfolio = create_portfolio(&server.addr, "crash");
    const CLIENTS: usize = 6;
    const NAMES: usize = 24;
    // The roles the `IAM` clients associate exist first (SPEC §4.4); they must survive every
    // SIGKILL too, or the associations after a restart would be refused.
    for client in (1..CLIENTS).step_by(2) {
        for name in 0..NAMES {
            create_role(&server.addr, OWNER, &format!("c{client}-{name}"));
        }
    }
    let model: Arc<Mutex<BTreeMap<(String, String), Known>>> = Arc::default();
    let mut total_acknowledged = 0;
    let mut rng_state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        rng_state ^= rng_state << 13;
        rng_state ^= rng_state >> 7;
        rng_state ^= rng_state << 17;
        rng_state
    };
    for round in 0..20 {
        let stop = Arc::new(AtomicBool::new(false));
        let seed = next();
        let clients: Vec<_> = (0..CLIENTS)
            .map(|client| {
                let (addr, portfolio, model, stop) = (
                    server.addr.clone(),
                    portfolio.clone(),
                    Arc::clone(&model),
                    Arc::clone(&stop),
                );
                std::thread::spawn(move || {
                    let mut state = seed ^ (client as u64 + 1).wrapping_mul(0x2545_F491_4F6C_DD1D);
                    let mut acknowledged = 0usize;
                    while !stop.load(Ordering::Relaxed) {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        // Half the clients race each other for the 10-pattern limit (which
                        // counts every pattern on the portfolio); the others associate IAM
                        // principals. Each client owns its names, so the order of its own
                        // acknowledgements is the order of its changes.
                        let (principal_type, arn) = if client % 2 == 0 {
                            (
                                "IAM_PATTERN",
                                format!("arn:aws:iam:::role/c{client}-{}*", state % NAMES as u64),
                            )
                        } else {
                            (
                                "IAM",
                                format!(
                                    "arn:aws:iam::{OWNER}:role/c{client}-{}",
                                    state % NAMES as u64
                                ),
                            )
                        };
                        let key = (principal_type.to_owned(), arn.clone());
                        let associate = !(state >> 32).is_multiple_of(3);
                        model
                            .lock()
                            .unwrap()
                            .entry(key.clone())
                            .or_default()
                            .in_flight = true;
                        let operation = if associate {
                            "AssociatePrincipalWithPortfolio"
                        } else {
                            "DisassociatePrincipalFromPortfolio"
                        };
                        let body = serde_json::json!({
                            "PortfolioId": portfolio,
                            "PrincipalARN": arn,
                            "PrincipalType": principal_type,
                        });
                        let target = format!("AWS242ServiceCatalogService.{operation}");
                        match call(&addr, OWNER, &target, &body) {
                            // The server went away mid-request: the outcome is unknown, and
                            // stays marked in flight.
                            Err(_) => return acknowledged,
                            Ok((200, _)) => {
                                let mut model = model.lock().unwrap();
                                let known = model.entry(key).or_default();
                                *known = Known {
                                    present: associate,
                                    in_flight: false,
                                };
                                acknowledged += 1;
                            }
                            // A refusal (the limit, or nothing to disassociate) changed nothing.
                            Ok((400, _)) => {
                                model.lock().unwrap().entry(key).or_default().in_flight = false;
                            }
                            Ok((status, body)) => panic!("unexpected {status}: {body}"),
                        }
                    }
                    acknowledged
                })
            })
            .collect();
        std::thread::sleep(Duration::from_millis(50 + next() % 350));
        server.kill();
        stop.store(true, Ordering::Relaxed);
        let acknowledged: usize = clients.into_iter().map(|c| c.join().unwrap()).sum();
        total_acknowledged += acknowledged;

        server = Server::start(dir.path());
        let present = principals(&server.addr, &portfolio);
        let patterns = present.iter().filter(|(t, _)| t == "IAM_PATTERN").count();
        assert!(patterns <= 10, "round {round}: {patterns} patterns");
        let mut model = model.lock().unwrap();
        for (key, known) in model.iter_mut() {
            let is_present = present.contains(key);
            if known.in_flight {
                // Either outcome is allowed, but it is now settled: the restarted server's
                // answer is the truth from here on.
                known.present = is_present;
                known.in_flight = false;
            } else {
                assert_eq!(
                    is_present, known.present,
                    "round {round}: {key:?} after {acknowledged} acknowledged changes"
                );
            }
        }
        for key in &present {
            assert!(
                model.contains_key(key),
                "round {round}: {key:?} was never written"
            );
        }
    }
    assert!(
        total_acknowledged > 500,
        "the load was real: {total_acknowledged} acknowledged changes in 20 rounds"
    );
}

/// `POST /moto-api/reset` on the durable server: the reset is synced before it is answered, and
/// a restart serves the state after it (the portfolio made before it gone, the one made after
/// it kept).
#[test]
fn a_reset_is_durable_and_what_follows_it_is_kept() {
    use std::io::{Read, Write};
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path());
    let before = create_portfolio(&server.addr, "before");
    let mut stream = std::net::TcpStream::connect(&server.addr).unwrap();
    write!(
        stream,
        "POST /moto-api/reset HTTP/1.1\r\nHost: {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        server.addr
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.ends_with(r#"{"status":"ok"}"#), "{answer}");
    let after = create_portfolio(&server.addr, "after");
    server.kill();

    let server = Server::start(dir.path());
    let (status, listed) = catalog(&server.addr, "ListPortfolios", serde_json::json!({}));
    assert_eq!(status, 200);
    let ids: Vec<&str> = listed["PortfolioDetails"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["Id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec![after.as_str()], "{before} went with the reset");
}
