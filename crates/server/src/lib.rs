//! The `portcullis` server: AWS Service Catalog's portfolio access operations (and a small AWS
//! Organizations subset) over AWS JSON 1.1, so that boto3, the AWS CLI and the AWS SDKs can talk
//! to it with only the endpoint changed.
//!
//! The server decodes a request, calls [`portcullis_api::Service`], and encodes the answer; every
//! rule lives in the api crate. [`router`] builds the axum application, [`serve`] runs it until
//! a shutdown signal, letting in-flight requests finish.

pub mod audit;
pub mod identity;
pub mod query;
pub mod wire;

use std::sync::Arc;
use std::time::Instant;

use axum::{
    Router,
    body::{Body, Bytes},
    extract::{DefaultBodyLimit, State},
    http::{HeaderMap, HeaderValue, Method, StatusCode, header},
    response::{IntoResponse, Response},
    routing::any,
};
use http_body_util::{BodyExt, Limited};
use portcullis_api::Service;
use portcullis_model::ServiceError;
#[cfg(doc)]
use portcullis_store_sqlite::Acknowledge;
use portcullis_store_sqlite::SqliteStore;

pub use identity::IdentityDefaults;

/// The largest request body accepted: 1 MiB.
pub const MAX_BODY_BYTES: usize = 1 << 20;

/// The content type of every AWS JSON 1.1 response.
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";

/// What a server needs: the service and where callers come from when a request does not say.
#[derive(Clone)]
pub struct AppState {
    service: Arc<Service>,
    defaults: Arc<IdentityDefaults>,
    /// Which service calls may block: they run on tokio's blocking pool, never on the threads
    /// that drive connections.
    blocking: Blocking,
    /// The embedded store, when it acknowledges changes after its calls return
    /// ([`Acknowledge::Deferred`]): a request that changed state is answered once its change
    /// is synced, waiting as a suspended task.
    deferred: Option<Arc<SqliteStore>>,
}

/// Which service calls may block the calling thread.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Blocking {
    /// None (the memory store).
    Never,
    /// Operations that change state (the embedded store waits for its disk; its reads are
    /// answered from memory).
    Writes,
    /// Every operation (a store that reads over the network).
    Always,
}

/// Whether an operation only reads: `Describe*`, `List*`, `Get*`, `Search*`, and our
/// `CheckPortfolioAccess` and `AuditPortfolioSharing`.
fn reads_only(operation: &str) -> bool {
    ["Describe", "List", "Get", "Search", "Check", "Audit"]
        .iter()
        .any(|prefix| operation.starts_with(prefix))
}

impl AppState {
    /// A server state for `service`, whose calls never block (an in-memory store).
    pub fn new(service: Arc<Service>, defaults: IdentityDefaults) -> AppState {
        AppState {
            service,
            defaults: Arc::new(defaults),
            blocking: Blocking::Never,
            deferred: None,
        }
    }

    /// A server state for `service` over `store`, the embedded store opened with
    /// [`Acknowledge::Deferred`]: calls run on the connection's thread (the store answers from
    /// memory and queues its writes), and a request that changed state is answered once
    /// `store` has synced its change.
    pub fn deferred(
        service: Arc<Service>,
        defaults: IdentityDefaults,
        store: Arc<SqliteStore>,
    ) -> AppState {
        AppState {
            deferred: Some(store),
            ..AppState::new(service, defaults)
        }
    }

    /// A server state for `service`, whose calls may block as `blocking` says.
    pub fn blocking(
        service: Arc<Service>,
        defaults: IdentityDefaults,
        blocking: Blocking,
    ) -> AppState {
        AppState {
            blocking,
            ..AppState::new(service, defaults)
        }
    }
}

/// The application: every request goes to one handler, which routes by `X-Amz-Target`.
pub fn router(state: AppState) -> Router {
    Router::new()
        .fallback(any(handle))
        .with_state(state)
        // The body limit is enforced in `handle`, with an AWS-style error.
        .layer(DefaultBodyLimit::disable())
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(|_| {
            respond(&ServiceError::internal_failure(
                "the server failed to handle the request",
            ))
        }))
}

fn respond(error: &ServiceError) -> Response {
    let status =
        StatusCode::from_u16(wire::status_of(error.kind())).unwrap_or(StatusCode::BAD_REQUEST);
    with_headers(status, wire::error_body(error))
}

fn with_headers(status: StatusCode, body: Vec<u8>) -> Response {
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
    if let Ok(id) = HeaderValue::from_str(&uuid::Uuid::new_v4().to_string()) {
        headers.insert("x-amzn-RequestId", id);
    }
    response
}

async fn handle(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let target = headers.get("x-amz-target").and_then(|v| v.to_str().ok());
    if query::is_query_request(target, content_type) {
        return handle_query(state, method, &headers, body).await;
    }
    let started = Instant::now();
    let target = headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let caller = identity::caller_from_authorization(authorization, &state.defaults);
    let result = match Limited::new(body, MAX_BODY_BYTES).collect().await {
        // Operations are POST requests: a GET (or any other method) runs none, whatever its
        // target says.
        Ok(_) if method != Method::POST => Err(ServiceError::unknown_operation(format!(
            "`{method}` requests name no operation: AWS JSON 1.1 operations are POST requests"
        ))),
        Ok(collected) => {
            let bytes: Bytes = collected.to_bytes();
            let operation = target.rsplit('.').next().unwrap_or(target);
            if let Some(store) = &state.deferred {
                let before = store.horizon();
                let result = wire::dispatch(&state.service, &caller, target, &bytes);
                if result.is_ok() && !reads_only(operation) {
                    store
                        .synced_since(before)
                        .await
                        .map_err(portcullis_api::store_error)
                        .and(result)
                } else {
                    result
                }
            } else {
                let blocks = match state.blocking {
                    Blocking::Never => false,
                    Blocking::Writes => !reads_only(operation),
                    Blocking::Always => true,
                };
                if blocks {
                    let service = Arc::clone(&state.service);
                    let (caller, target) = (caller.clone(), target.to_owned());
                    tokio::task::spawn_blocking(move || {
                        wire::dispatch(&service, &caller, &target, &bytes)
                    })
                    .await
                    .unwrap_or_else(|_| {
                        Err(ServiceError::internal_failure(
                            "the server failed to handle the request",
                        ))
                    })
                } else {
                    wire::dispatch(&state.service, &caller, target, &bytes)
                }
            }
        }
        Err(_) => Err(ServiceError::serialization(format!(
            "the request body is larger than {MAX_BODY_BYTES} bytes or could not be read"
        ))),
    };
    let (response, error) = match result {
        Ok(body) => (with_headers(StatusCode::OK, body), None),
        Err(error) => (respond(&error), Some(error.kind().as_str())),
    };
    let operation = target.rsplit('.').next().unwrap_or(target);
    tracing::info!(
        operation,
        account = %caller.account(),
        region = %caller.region(),
        status = response.status().as_u16(),
        error,
        latency_us = started.elapsed().as_micros() as u64,
        "request"
    );
    response
}

/// Runs `f` as [`handle`] runs an operation: with the embedded store's deferred acknowledgement,
/// here and then awaiting the sync of a change; else on the blocking pool when `operation` may
/// block with `state`'s store, else here.
async fn run_operation(
    state: &AppState,
    operation: &str,
    f: impl FnOnce(&Service) -> Result<Vec<u8>, ServiceError> + Send + 'static,
) -> Result<Vec<u8>, ServiceError> {
    if let Some(store) = &state.deferred {
        let before = store.horizon();
        let result = f(&state.service);
        return if result.is_ok() && !reads_only(operation) {
            store
                .synced_since(before)
                .await
                .map_err(portcullis_api::store_error)
                .and(result)
        } else {
            result
        };
    }
    let blocks = match state.blocking {
        Blocking::Never => false,
        Blocking::Writes => !reads_only(operation),
        Blocking::Always => true,
    };
    if blocks {
        let service = Arc::clone(&state.service);
        tokio::task::spawn_blocking(move || f(&service))
            .await
            .unwrap_or_else(|_| {
                Err(ServiceError::internal_failure(
                    "the server failed to handle the request",
                ))
            })
    } else {
        f(&state.service)
    }
}

/// An AWS Query request (the IAM subset, STS): see [`query`].
async fn handle_query(
    state: AppState,
    method: Method,
    headers: &HeaderMap,
    body: Body,
) -> Response {
    let started = Instant::now();
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let caller = identity::caller_from_authorization(authorization, &state.defaults);
    let request_id = uuid::Uuid::new_v4().to_string();
    let (service, action, result) = match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(collected) => {
            let bytes: Bytes = collected.to_bytes();
            let action = query::action_of(&bytes);
            let service = query::service_of(authorization, action.as_deref());
            let result = if method != Method::POST {
                Err(ServiceError::new(
                    portcullis_model::ErrorKind::InvalidAction,
                    format!(
                        "`{method}` requests name no operation: Query operations are POST requests"
                    ),
                ))
            } else {
                let (caller, request_id) = (caller.clone(), request_id.clone());
                run_operation(&state, action.as_deref().unwrap_or(""), move |api| {
                    query::dispatch(api, &caller, service, &bytes, &request_id)
                })
                .await
            };
            (service, action, result)
        }
        Err(_) => (
            query::service_of(authorization, None),
            None,
            Err(ServiceError::new(
                portcullis_model::ErrorKind::ValidationError,
                format!(
                    "the request body is larger than {MAX_BODY_BYTES} bytes or could not be read"
                ),
            )),
        ),
    };
    let (status, body, error) = match result {
        Ok(body) => (StatusCode::OK, body, None),
        Err(error) => (
            StatusCode::from_u16(query::status_of(error.kind())).unwrap_or(StatusCode::BAD_REQUEST),
            query::error_body(service, &error, &request_id),
            Some(error.kind().as_str()),
        ),
    };
    let mut response = (status, body).into_response();
    let response_headers = response.headers_mut();
    response_headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(query::CONTENT_TYPE),
    );
    if let Ok(id) = HeaderValue::from_str(&request_id) {
        response_headers.insert("x-amzn-RequestId", id);
    }
    tracing::info!(
        operation = action.as_deref().unwrap_or(""),
        protocol = "query",
        account = %caller.account(),
        region = %caller.region(),
        status = response.status().as_u16(),
        error,
        latency_us = started.elapsed().as_micros() as u64,
        "request"
    );
    response
}

/// Serves `state` on `listener` until `shutdown` completes; in-flight requests finish first.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
}
