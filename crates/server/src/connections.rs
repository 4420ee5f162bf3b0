//! Connections: the accept loop, with the limits that keep slow or idle clients from wearing the
//! server down.
//!
//! - A new connection must deliver the complete header of its first request within
//!   [`Limits::header_read_timeout`]; a kept-alive connection must deliver the complete header
//!   of its next request within [`Limits::idle_timeout`] of the previous response. Otherwise it
//!   is closed. (hyper's header-read timer starts as soon as the connection waits for a request
//!   head, so it covers the idle time of a kept-alive connection; the per-connection timer below
//!   picks the allowance.)
//! - A request body must arrive whole within [`Limits::header_read_timeout`] of its header.
//! - At most [`Limits::max_connections`] connections are open at once: at the cap the server
//!   accepts no more, and new connections wait in the kernel's backlog until one closes.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use hyper::rt::{Sleep, Timer};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use crate::AppState;

/// How long clients may take and how many may be connected at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// A new connection's first request header must be complete within this; a request body
    /// must be complete within this of its header.
    pub header_read_timeout: Duration,
    /// A kept-alive connection's next request header must be complete within this of the
    /// previous response.
    pub idle_timeout: Duration,
    /// The most connections open at once.
    pub max_connections: usize,
}

impl Default for Limits {
    /// 10 s for a request header or body, 60 s of keep-alive idleness (what AWS's load
    /// balancers allow), 4096 connections.
    fn default() -> Limits {
        Limits {
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            max_connections: 4096,
        }
    }
}

/// hyper's timer for one connection: the header-read deadline hyper asks for is moved to the
/// idle allowance once the connection has served a request.
#[derive(Clone)]
struct ConnectionTimer {
    inner: TokioTimer,
    limits: Limits,
    served: Arc<AtomicBool>,
}

impl ConnectionTimer {
    /// `deadline` (hyper's `now + header_read_timeout`), moved for a kept-alive connection.
    fn adjust(&self, deadline: Instant) -> Instant {
        if self.served.load(Ordering::Relaxed) {
            deadline
                .checked_sub(self.limits.header_read_timeout)
                .and_then(|start| start.checked_add(self.limits.idle_timeout))
                .unwrap_or(deadline)
        } else {
            deadline
        }
    }
}

impl Timer for ConnectionTimer {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Sleep>> {
        self.inner.sleep(duration)
    }

    fn sleep_until(&self, deadline: Instant) -> Pin<Box<dyn Sleep>> {
        self.inner.sleep_until(self.adjust(deadline))
    }

    fn reset(&self, sleep: &mut Pin<Box<dyn Sleep>>, new_deadline: Instant) {
        self.inner.reset(sleep, self.adjust(new_deadline));
    }
}

/// Serves `state` on `listener` within `limits` until `shutdown` completes; then accepts no
/// more connections, lets in-flight requests finish, and closes every connection. hyper calls
/// [`crate::answer`] for each request.
pub async fn serve(
    listener: TcpListener,
    state: Arc<AppState>,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        // A slot first: at the cap, connections wait in the backlog rather than being accepted
        // and starved.
        let permit = tokio::select! {
            permit = Arc::clone(&slots).acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let (stream, _peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors, or a connection reset before it was accepted:
                    // wait a little rather than spin, and carry on.
                    tracing::warn!(error = %e, "accept failed");
                    drop(permit);
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let served = Arc::new(AtomicBool::new(false));
        let timer = ConnectionTimer {
            inner: TokioTimer::new(),
            limits,
            served: Arc::clone(&served),
        };
        let state = Arc::clone(&state);
        let service = hyper::service::service_fn(move |request| {
            served.store(true, Ordering::Relaxed);
            let state = Arc::clone(&state);
            async move { Ok::<_, std::convert::Infallible>(crate::answer(&state, request).await) }
        });
        let mut builder = hyper::server::conn::http1::Builder::new();
        builder
            .timer(timer)
            .header_read_timeout(limits.header_read_timeout)
            .keep_alive(true);
        let connection = builder.serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // A client that closes early, sends garbage or times out ends only its connection.
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "connection ended");
            }
            drop(permit);
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}
