//! The `portcullis` server: AWS Service Catalog's portfolio access operations (and a small AWS
//! Organizations subset) over AWS JSON 1.1, so that boto3, the AWS CLI and the AWS SDKs can talk
//! to it with only the endpoint changed.
//!
//! The server decodes a request, calls [`portcullis_api::Service`], and encodes the answer; every
//! rule lives in the api crate. [`router`] builds the axum application, [`serve`] runs it until
//! a shutdown signal, letting in-flight requests finish.

pub mod audit;
pub mod connections;
pub mod identity;
pub mod query;
pub mod sigv4;
pub mod wire;

use std::sync::Arc;
use std::time::Instant;

use axum::{
    Router,
    body::{Body, Bytes},
    http::{HeaderMap, HeaderName, HeaderValue, Method, Request, StatusCode, Uri, header},
};
use futures_util::FutureExt;
use http_body_util::{BodyExt, Full, Limited};
use portcullis_api::Service;
use portcullis_model::{Caller, Partition, ServiceError};
#[cfg(doc)]
use portcullis_store_sqlite::Acknowledge;
use portcullis_store_sqlite::SqliteStore;

pub use connections::Limits;
pub use identity::IdentityDefaults;
pub use wire::Protocol;

/// The largest request body accepted: 1 MiB.
pub const MAX_BODY_BYTES: usize = 1 << 20;

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
    /// How long a request body may take to arrive.
    body_timeout: std::time::Duration,
    /// Verifies SigV4 signatures, when on: callers are then the accounts of their keys.
    verifier: Option<Arc<sigv4::Verifier>>,
}

/// Which service calls may block the calling thread.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Blocking {
    /// None (the memory store; the embedded store opened with [`Acknowledge::Deferred`], see
    /// [`AppState::deferred`]).
    Never,
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
            body_timeout: Limits::default().header_read_timeout,
            verifier: None,
        }
    }

    /// This state verifying every request's SigV4 signature with `verifier`: a request without
    /// a valid signature runs nothing, and a caller is the account of its access key.
    pub fn verifying(self, verifier: sigv4::Verifier) -> AppState {
        AppState {
            verifier: Some(Arc::new(verifier)),
            ..self
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

    /// This state with a request body allowed `timeout` to arrive.
    pub fn with_body_timeout(self, timeout: std::time::Duration) -> AppState {
        AppState {
            body_timeout: timeout,
            ..self
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

impl AppState {
    /// Who sent a request: the account of its verified access key when signatures are
    /// verified, else what its `Authorization` header says (SPEC §2).
    fn caller(
        &self,
        method: &Method,
        uri: &Uri,
        headers: &HeaderMap,
        body: &[u8],
        signing_name: Option<&str>,
    ) -> Result<Caller, ServiceError> {
        let Some(verifier) = &self.verifier else {
            let authorization = headers
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok());
            return Ok(identity::caller_from_authorization(
                authorization,
                &self.defaults,
            ));
        };
        let request = sigv4::SignedRequest {
            method: method.as_str(),
            path: uri.path(),
            query: uri.query().unwrap_or(""),
            headers,
            body,
        };
        let verified = verifier.verify(&request, signing_name, std::time::SystemTime::now())?;
        Ok(Caller::new(
            Partition::from_region(verified.region.as_str()),
            verified.region,
            verified.account,
        ))
    }

    /// Runs `operation` for `caller`: on tokio's blocking pool when the store may block; with
    /// the embedded store, answering a change once it is synced.
    async fn run(
        &self,
        caller: Caller,
        protocol: Protocol,
        prefix: &str,
        operation: &str,
        bytes: Bytes,
    ) -> Result<Vec<u8>, ServiceError> {
        if self.blocking == Blocking::Always {
            // Owned copies only for the hop to the blocking pool.
            let (prefix, operation) = (prefix.to_owned(), operation.to_owned());
            return self
                .on_blocking_pool(move |service| {
                    wire::run(service, &caller, protocol, &prefix, &operation, &bytes)
                })
                .await;
        }
        self.here(operation, |service| {
            wire::run(service, &caller, protocol, prefix, operation, &bytes)
        })
        .await
    }

    /// Runs `f`, the call of `operation`, as every protocol runs its operations: on the blocking
    /// pool when the store may block, else here ([`AppState::here`]).
    async fn run_with(
        &self,
        operation: &str,
        f: impl FnOnce(&Service) -> Result<Vec<u8>, ServiceError> + Send + 'static,
    ) -> Result<Vec<u8>, ServiceError> {
        if self.blocking == Blocking::Always {
            self.on_blocking_pool(f).await
        } else {
            self.here(operation, f).await
        }
    }

    /// Runs `f` on this thread; with the embedded store, a change is answered once it is
    /// synced, awaited as a task.
    async fn here(
        &self,
        operation: &str,
        f: impl FnOnce(&Service) -> Result<Vec<u8>, ServiceError>,
    ) -> Result<Vec<u8>, ServiceError> {
        let Some(store) = &self.deferred else {
            return f(&self.service);
        };
        let before = store.horizon();
        let result = f(&self.service);
        if result.is_ok() && !reads_only(operation) {
            store
                .synced_since(before)
                .await
                .map_err(portcullis_api::store_error)
                .and(result)
        } else {
            result
        }
    }

    /// Runs `f` on tokio's blocking pool, where a store may wait for its database.
    async fn on_blocking_pool(
        &self,
        f: impl FnOnce(&Service) -> Result<Vec<u8>, ServiceError> + Send + 'static,
    ) -> Result<Vec<u8>, ServiceError> {
        let service = Arc::clone(&self.service);
        tokio::task::spawn_blocking(move || f(&service))
            .await
            .unwrap_or_else(|_| {
                Err(ServiceError::internal_failure(
                    "the server failed to handle the request",
                ))
            })
    }
}

/// moto's reset path: test suites written for moto reset the state through it between tests.
pub const MOTO_RESET_PATH: &str = "/moto-api/reset";
/// portcullis's own reset path (the same as moto's, under portcullis's own prefix).
pub const RESET_PATH: &str = "/_portcullis/reset";
/// portcullis's health path: `GET` answers 200 while the server serves.
pub const HEALTH_PATH: &str = "/_portcullis/health";

/// A request body the server reads: any body of [`Bytes`] (hyper's `Incoming`, axum's `Body`).
pub trait RequestBody:
    http_body::Body<Data = Bytes, Error: Into<Box<dyn std::error::Error + Send + Sync>>>
{
}

impl<B> RequestBody for B where
    B: http_body::Body<Data = Bytes, Error: Into<Box<dyn std::error::Error + Send + Sync>>>
{
}

/// A response of the server: its body is in memory.
pub type Response = axum::http::Response<Full<Bytes>>;

/// The application as an axum [`Router`] (for embedding it in a larger axum application, or
/// driving it with `tower::ServiceExt::oneshot`): every request goes to [`answer`].
pub fn router(state: AppState) -> Router {
    let state = Arc::new(state);
    Router::new().fallback(move |request: Request<Body>| {
        let state = Arc::clone(&state);
        async move { answer(&state, request).await.map(Body::new) }
    })
}

/// Answers one request: the reset and health endpoints by path; every other request goes to
/// one handler, which routes by `X-Amz-Target` (AWS JSON 1.1), by path (Smithy RPC v2 CBOR) or
/// by `Action` (AWS Query). A panic while answering is answered as an `InternalFailure` (500)
/// instead of ending the connection. [`serve`] calls this for every request, with nothing of
/// a router in between.
pub async fn answer<B: RequestBody>(state: &AppState, request: Request<B>) -> Response {
    let answered = std::panic::AssertUnwindSafe(route(state, request))
        .catch_unwind()
        .await;
    answered.unwrap_or_else(|_| {
        respond(
            Protocol::AwsJson,
            wire::SERVICE_CATALOG,
            &ServiceError::internal_failure("the server failed to handle the request"),
        )
    })
}

async fn route<B: RequestBody>(state: &AppState, request: Request<B>) -> Response {
    let (parts, body) = request.into_parts();
    match parts.uri.path() {
        MOTO_RESET_PATH | RESET_PATH if parts.method == Method::POST => reset(state).await,
        HEALTH_PATH if parts.method == Method::GET || parts.method == Method::HEAD => health(),
        MOTO_RESET_PATH | RESET_PATH | HEALTH_PATH => {
            let mut response = Response::new(Full::default());
            *response.status_mut() = StatusCode::METHOD_NOT_ALLOWED;
            response
        }
        _ => handle(state, &parts.method, &parts.uri, &parts.headers, body).await,
    }
}

/// What a request asks for: the protocol it speaks, and the service (by its target prefix)
/// and operation it names, or why it names none.
struct Route<'a> {
    protocol: Protocol,
    prefix: &'a str,
    operation: Result<&'a str, ServiceError>,
}

/// The `smithy-protocol` value of RPC v2 CBOR requests and responses.
const RPC_V2_CBOR: &str = "rpc-v2-cbor";

impl<'a> Route<'a> {
    /// A request with a `smithy-protocol` header speaks RPC v2 CBOR and names its operation by
    /// path (`{prefix?}/service/{Service}/operation/{Operation}`); any other speaks AWS JSON 1.1
    /// and names it with `X-Amz-Target`, on any path.
    fn of(method: &Method, path: &'a str, headers: &'a HeaderMap) -> Route<'a> {
        let target = headers.get(&X_AMZ_TARGET).map(|v| v.to_str().unwrap_or(""));
        let Some(smithy) = headers.get(&SMITHY_PROTOCOL) else {
            let target = target.unwrap_or("");
            let (prefix, operation) = target.split_once('.').unwrap_or(("", target));
            let operation = if method != Method::POST {
                // Operations are POST requests: a GET (or any other method) runs none,
                // whatever its target says.
                Err(ServiceError::unknown_operation(format!(
                    "`{method}` requests name no operation: AWS JSON 1.1 operations are POST requests"
                )))
            } else if prefix.is_empty() {
                Err(wire::unknown(target))
            } else {
                Ok(operation)
            };
            return Route {
                protocol: Protocol::AwsJson,
                prefix,
                operation,
            };
        };
        // The last four segments route: `service`, the service, `operation`, the operation.
        let mut segments = path.rsplit('/');
        let operation = segments.next().unwrap_or("");
        let service = segments.nth(1).unwrap_or("");
        let prefix = [wire::SERVICE_CATALOG, wire::ORGANIZATIONS, wire::PORTCULLIS]
            .into_iter()
            .find(|name| {
                // The service's shape name, or its absolute shape id with `.` for `#`.
                service == *name
                    || service.strip_suffix(name).and_then(|s| s.strip_suffix('.'))
                        == Some(wire::namespace(name))
            });
        let operation = if smithy.as_bytes() != RPC_V2_CBOR.as_bytes() {
            Err(ServiceError::unknown_operation(format!(
                "the `smithy-protocol` `{}` is not served; `{RPC_V2_CBOR}` is",
                String::from_utf8_lossy(smithy.as_bytes())
                    .chars()
                    .take(50)
                    .collect::<String>()
            )))
        } else if target.is_some() {
            Err(ServiceError::serialization(
                "an RPC v2 CBOR request must not carry an `X-Amz-Target` header",
            ))
        } else if method != Method::POST {
            Err(ServiceError::unknown_operation(format!(
                "`{method}` requests name no operation: RPC v2 CBOR operations are POST requests"
            )))
        } else {
            match (
                path.ends_with(&format!("/service/{service}/operation/{operation}")),
                prefix,
            ) {
                (true, Some(_)) => Ok(operation),
                _ => Err(wire::unknown(path)),
            }
        };
        Route {
            protocol: Protocol::RpcV2Cbor,
            prefix: prefix.unwrap_or(wire::SERVICE_CATALOG),
            operation,
        }
    }
}

/// The headers read or written for every request, named once.
static X_AMZ_TARGET: HeaderName = HeaderName::from_static("x-amz-target");
static SMITHY_PROTOCOL: HeaderName = HeaderName::from_static("smithy-protocol");
static X_AMZN_REQUEST_ID: HeaderName = HeaderName::from_static("x-amzn-requestid");

fn respond(protocol: Protocol, prefix: &str, error: &ServiceError) -> Response {
    let status =
        StatusCode::from_u16(wire::status_of(error.kind())).unwrap_or(StatusCode::BAD_REQUEST);
    with_headers(protocol, status, protocol.error_body(error, prefix))
}

/// A response of `status` with `body` in `protocol`: its content type, the `smithy-protocol`
/// header of RPC v2 CBOR, and a request id.
fn with_headers(protocol: Protocol, status: StatusCode, body: Vec<u8>) -> Response {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(protocol.content_type()),
    );
    if protocol == Protocol::RpcV2Cbor {
        headers.insert(&SMITHY_PROTOCOL, HeaderValue::from_static(RPC_V2_CBOR));
    }
    headers.insert(&X_AMZN_REQUEST_ID, request_id());
    response
}

/// A new request id, written into `buf`: a version-4 UUID from the thread's random generator
/// (`Uuid::new_v4` asks the kernel for every id, a system call per request).
fn new_request_id(buf: &mut [u8; uuid::fmt::Hyphenated::LENGTH]) -> &str {
    uuid::Builder::from_random_bytes(rand::random())
        .into_uuid()
        .hyphenated()
        .encode_lower(buf)
}

/// A new request id as a header value.
fn request_id() -> HeaderValue {
    let mut id = [0u8; uuid::fmt::Hyphenated::LENGTH];
    HeaderValue::from_str(new_request_id(&mut id)).unwrap_or(HeaderValue::from_static("0"))
}

/// The JSON answer of the reset and health endpoints.
fn status_ok() -> Response {
    with_headers(
        Protocol::AwsJson,
        StatusCode::OK,
        br#"{"status":"ok"}"#.to_vec(),
    )
}

/// `POST /moto-api/reset` and `POST /_portcullis/reset`: the whole state goes, atomically
/// ([`Service::reset`]); answers `{"status":"ok"}` as moto does.
async fn reset(state: &AppState) -> Response {
    let result = if let Some(store) = &state.deferred {
        let before = store.horizon();
        match state.service.reset() {
            Ok(()) => store
                .synced_since(before)
                .await
                .map_err(portcullis_api::store_error),
            Err(e) => Err(e),
        }
    } else if state.blocking == Blocking::Never {
        state.service.reset()
    } else {
        let service = Arc::clone(&state.service);
        tokio::task::spawn_blocking(move || service.reset())
            .await
            .unwrap_or_else(|_| {
                Err(ServiceError::internal_failure(
                    "the server failed to handle the request",
                ))
            })
    };
    match result {
        Ok(()) => {
            tracing::info!(operation = "reset", status = 200, "request");
            status_ok()
        }
        Err(error) => respond(Protocol::AwsJson, "", &error),
    }
}

/// `GET /_portcullis/health`: 200 `{"status":"ok"}` while the server serves.
fn health() -> Response {
    status_ok()
}

async fn handle<B: RequestBody>(
    state: &AppState,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: B,
) -> Response {
    if query::is_query_request(headers) {
        return handle_query(state, method, uri, headers, body).await;
    }
    let started = Instant::now();
    let route = Route::of(method, uri.path(), headers);
    let (protocol, prefix) = (route.protocol, route.prefix);
    let collected = collect_within(body, state.body_timeout).await;
    let mut called = None;
    let result = match (collected, route.operation) {
        (Err(why), _) => Err(ServiceError::serialization(why)),
        (Ok(bytes), operation) => {
            // Who is calling is settled first, for every protocol: a request that fails
            // verification learns nothing about operations.
            match (
                state.caller(method, uri, headers, &bytes, wire::signing_name(prefix)),
                operation,
            ) {
                (Err(error), _) | (Ok(_), Err(error)) => Err(error),
                (Ok(caller), Ok(operation)) => {
                    called = Some(caller.clone());
                    state.run(caller, protocol, prefix, operation, bytes).await
                }
            }
        }
    };
    let (response, error) = match result {
        Ok(body) => (with_headers(protocol, StatusCode::OK, body), None),
        Err(error) => (
            respond(protocol, prefix, &error),
            Some(error.kind().as_str()),
        ),
    };
    // The fields are computed only when the line is written.
    tracing::info!(
        operation = route_name(uri, headers),
        account = called.as_ref().map(|c| c.account().as_str()),
        region = called.as_ref().map(|c| c.region().as_str()),
        status = response.status().as_u16(),
        error,
        latency_us = started.elapsed().as_micros() as u64,
        "request"
    );
    response
}

/// A request body, whole, if it arrives within `timeout` and is at most [`MAX_BODY_BYTES`];
/// else why not, in words every protocol answers with its own error. A body already received
/// (a small request arrives with its header) is taken without arming a timer.
async fn collect_within<B: RequestBody>(
    body: B,
    timeout: std::time::Duration,
) -> Result<Bytes, String> {
    let mut collect = std::pin::pin!(Limited::new(body, MAX_BODY_BYTES).collect());
    let collected = match collect.as_mut().now_or_never() {
        Some(collected) => Ok(collected),
        None => tokio::time::timeout(timeout, collect).await,
    };
    match collected {
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
        Ok(Err(_)) => Err(format!(
            "the request body is larger than {MAX_BODY_BYTES} bytes or could not be read"
        )),
        Err(_) => Err(format!(
            "the request body did not arrive within {} s",
            timeout.as_secs_f64()
        )),
    }
}

/// The operation a request names, for the log: the end of its target or its path.
fn route_name<'a>(uri: &'a Uri, headers: &'a HeaderMap) -> &'a str {
    match headers.get(&X_AMZ_TARGET).and_then(|v| v.to_str().ok()) {
        Some(target) => target.rsplit('.').next().unwrap_or(target),
        None => uri.path().rsplit('/').next().unwrap_or(""),
    }
}

/// An AWS Query request (the IAM subset, STS): see [`query`].
async fn handle_query<B: RequestBody>(
    state: &AppState,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: B,
) -> Response {
    let started = Instant::now();
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let mut id = [0u8; uuid::fmt::Hyphenated::LENGTH];
    let request_id = new_request_id(&mut id).to_owned();
    let mut called = None;
    let collected = collect_within(body, state.body_timeout).await;
    let (service, action, result) = match collected {
        Ok(bytes) => {
            let action = query::action_of(&bytes);
            let service = query::service_of(authorization, action.as_deref());
            // Who is calling is settled first, as for the other protocols.
            let caller = state.caller(method, uri, headers, &bytes, Some(service.signing_name()));
            let result = if let Err(error) = caller {
                Err(error)
            } else if method != Method::POST {
                Err(ServiceError::new(
                    portcullis_model::ErrorKind::InvalidAction,
                    format!(
                        "`{method}` requests name no operation: Query operations are POST requests"
                    ),
                ))
            } else if let Ok(caller) = caller {
                called = Some(caller.clone());
                let request_id = request_id.clone();
                state
                    .run_with(action.as_deref().unwrap_or(""), move |api| {
                        query::dispatch(api, &caller, service, &bytes, &request_id)
                    })
                    .await
            } else {
                Err(ServiceError::internal_failure("the caller was not settled"))
            };
            (service, action, result)
        }
        Err(why) => (
            query::service_of(authorization, None),
            None,
            Err(ServiceError::new(
                portcullis_model::ErrorKind::ValidationError,
                why,
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
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    let response_headers = response.headers_mut();
    response_headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(query::CONTENT_TYPE),
    );
    if let Ok(id) = HeaderValue::from_str(&request_id) {
        response_headers.insert(&X_AMZN_REQUEST_ID, id);
    }
    tracing::info!(
        operation = action.as_deref().unwrap_or(""),
        protocol = "query",
        account = called.as_ref().map(|c| c.account().as_str()),
        region = called.as_ref().map(|c| c.region().as_str()),
        status = response.status().as_u16(),
        error,
        latency_us = started.elapsed().as_micros() as u64,
        "request"
    );
    response
}

/// Serves `state` on `listener` within `limits` until `shutdown` completes; in-flight requests
/// finish first.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    limits: Limits,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let state = state.with_body_timeout(limits.header_read_timeout);
    connections::serve(listener, Arc::new(state), limits, shutdown).await
}
