//! The floor of `cargo xtask bench-http`: a bare axum server on the same stack as `portcullis
//! serve` (axum, hyper, tokio, one multi-threaded runtime), answering every request with one
//! fixed AWS JSON 1.1 body and nothing else: no routing, no decoding, no service. What
//! portcullis reaches against it is the share of the stack's throughput it keeps.
//!
//! `cargo run --release -p portcullis-server --features floor --bin portcullis-floor -- BODY_FILE`
//! prints `listening on http://ADDR` and serves until killed.

use std::io::Write;

use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;
use axum::routing::any;

fn main() -> std::process::ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: floor BODY_FILE");
        return std::process::ExitCode::from(2);
    };
    let body = match std::fs::read(&path) {
        Ok(body) => Bytes::from(body),
        Err(e) => {
            eprintln!("floor: could not read {path}: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("floor: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async move {
        let app = Router::new().fallback(any(move || {
            let body = body.clone();
            async move {
                let mut response = body.into_response();
                response.headers_mut().insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/x-amz-json-1.1"),
                );
                response
            }
        }));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let mut stdout = std::io::stdout();
        writeln!(stdout, "listening on http://{}", listener.local_addr()?)?;
        stdout.flush()?;
        axum::serve(listener, app).await
    });
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("floor: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
