//! The accept loop in front of the router: HTTP/1.1 connections, each cut
//! off when its client is too slow or idle too long, and only so many at
//! once, in all and from one address. A slow client (one header line every
//! ten seconds, a keep-alive connection left open, a thousand sockets
//! opened from one machine) would otherwise hold a task and a socket for
//! as long as it likes.

mod clock;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, HeaderValue, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use clock::{Clock, Watched};
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use serde_json::json;
use std::collections::HashMap;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::pin::pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, OwnedSemaphorePermit, Semaphore};
use tower::ServiceExt;

/// How long and how many connections may stay open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// From the first byte of a request to the end of its headers.
    pub header_read_timeout: Duration,
    /// From the end of an answer to the first byte of the next request.
    pub keep_alive_timeout: Duration,
    /// While a request is answered, longest time with no byte moving
    /// either way (a client that stopped reading its answer).
    pub stall_timeout: Duration,
    /// Connections open at once; more wait in the listen backlog.
    pub max_connections: usize,
    /// Connections open at once from one IP address; more are answered
    /// 503 and closed. 0: no limit.
    pub max_connections_per_address: usize,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        Self {
            header_read_timeout: Duration::from_secs(10),
            keep_alive_timeout: Duration::from_secs(30),
            stall_timeout: Duration::from_secs(60),
            max_connections: 4096,
            max_connections_per_address: 256,
        }
    }
}

/// Serves `router` on `listener` within `limits` until `shutdown`
/// resolves, then lets the requests in flight finish and returns.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let seats = Seats::new(limits.max_connections_per_address);
    // Every connection holds a receiver: it learns of the shutdown through
    // it, and the sender sees all of them gone when the last one closes.
    let (closing, watch_closing) = watch::channel(false);
    let mut shutdown = pin!(shutdown);
    loop {
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot.expect("the semaphore is never closed"),
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    pause_after(e).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let seat = seats.take(peer.ip());
        let task = Connection {
            stream,
            peer,
            router: router.clone(),
            limits,
            closing: watch_closing.clone(),
        };
        tokio::spawn(task.run(slot, seat));
    }
    drop(listener);
    let _ = closing.send(true);
    drop(watch_closing);
    closing.closed().await;
    Ok(())
}

/// Accepting fails when the process is out of file descriptors or memory
/// (the connection is lost, not the listener): wait a moment for some to
/// be freed rather than spin. A connection reset before it was accepted
/// costs nothing.
async fn pause_after(error: std::io::Error) {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if matches!(error.kind(), ConnectionAborted | ConnectionRefused | ConnectionReset) {
        return;
    }
    tracing::error!("accepting a connection failed: {error}");
    tokio::time::sleep(Duration::from_secs(1)).await;
}

struct Connection {
    stream: TcpStream,
    peer: SocketAddr,
    router: Router,
    limits: ConnectionLimits,
    closing: watch::Receiver<bool>,
}

impl Connection {
    async fn run(self, _slot: OwnedSemaphorePermit, seat: Option<Seat>) {
        let Connection {
            stream,
            peer,
            router,
            limits,
            mut closing,
        } = self;
        let clock = Arc::new(Clock::default());
        let io = TokioIo::new(Watched::new(stream, clock.clone()));
        let admitted = seat.is_some();
        let answering = clock.clone();
        let service = hyper::service::service_fn(move |mut request: Request<Incoming>| {
            let router = router.clone();
            let done = answering.begin();
            request.extensions_mut().insert(ConnectInfo(peer));
            async move {
                let response = if admitted {
                    match router.oneshot(request.map(Body::new)).await {
                        Ok(response) => response,
                        Err(never) => match never {},
                    }
                } else {
                    too_many_connections()
                };
                // The request counts as answered once hyper drops the
                // body, after its last byte is written.
                Ok::<_, std::convert::Infallible>(response.map(|body| {
                    Body::new(body.map_frame(move |frame| {
                        let _answering = &done;
                        frame
                    }))
                }))
            }
        });
        let mut connection = pin!(http1::Builder::new()
            .header_read_timeout(None)
            .serve_connection(io, service)
            .with_upgrades());
        let mut shutting_down = false;
        // Checked a few times per shortest timeout rather than woken on
        // every change of phase: a request then costs no timer.
        let mut checks = tokio::time::interval(check_every(&limits));
        checks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                result = connection.as_mut() => {
                    if let Err(e) = result {
                        tracing::debug!(%peer, "connection ended: {e}");
                    }
                    break;
                }
                _ = checks.tick() => if let Some(why) = clock.expired(&limits) {
                    tracing::debug!(%peer, "connection closed: {why}");
                    break;
                },
                _ = closing.changed(), if !shutting_down => {
                    shutting_down = true;
                    connection.as_mut().graceful_shutdown();
                }
            }
        }
        drop(seat);
    }
}

/// How often a connection's clock is read: a quarter of the shortest
/// timeout, so a connection is closed at most a quarter late, and never
/// more often than every 10 ms nor less than every second.
fn check_every(limits: &ConnectionLimits) -> Duration {
    let shortest = limits
        .header_read_timeout
        .min(limits.keep_alive_timeout)
        .min(limits.stall_timeout);
    (shortest / 4).clamp(Duration::from_millis(10), Duration::from_secs(1))
}

/// The answer on a connection over its address's limit, which is then
/// closed.
fn too_many_connections() -> Response {
    let mut response = (
        StatusCode::SERVICE_UNAVAILABLE,
        Json(json!({
            "error": "too_many_connections",
            "message": "too many connections from this address (--max-connections-per-address); close some and retry",
        })),
    )
        .into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
    headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    response
}

/// Connections open per IP address.
#[derive(Clone)]
struct Seats {
    most: usize,
    taken: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

/// One connection's place in its address's count, given back on drop.
struct Seat {
    address: IpAddr,
    seats: Seats,
}

impl Seats {
    fn new(most: usize) -> Self {
        Self {
            most,
            taken: Arc::default(),
        }
    }

    /// A seat for one more connection from `address`, if it has one left.
    fn take(&self, address: IpAddr) -> Option<Seat> {
        let mut taken = self.taken.lock().unwrap_or_else(|e| e.into_inner());
        let count = taken.entry(address).or_default();
        if self.most != 0 && *count >= self.most {
            return None;
        }
        *count += 1;
        Some(Seat {
            address,
            seats: self.clone(),
        })
    }
}

impl Drop for Seat {
    fn drop(&mut self) {
        let mut taken = self.seats.taken.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = taken.get_mut(&self.address) {
            *count -= 1;
            if *count == 0 {
                // Forget the address, so the map holds only open ones.
                taken.remove(&self.address);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seats_count_per_address_and_come_back() {
        let seats = Seats::new(2);
        let a: IpAddr = [10, 0, 0, 1].into();
        let b: IpAddr = [10, 0, 0, 2].into();
        let first = seats.take(a).expect("first");
        let _second = seats.take(a).expect("second");
        assert!(seats.take(a).is_none(), "a third from the same address");
        assert!(seats.take(b).is_some(), "another address has its own count");
        drop(first);
        assert!(seats.take(a).is_some(), "a closed connection frees its seat");
    }

    #[test]
    fn no_limit_and_no_leftovers() {
        let seats = Seats::new(0);
        let a: IpAddr = [10, 0, 0, 1].into();
        let all: Vec<_> = (0..1000).map(|_| seats.take(a).expect("no limit")).collect();
        drop(all);
        assert!(seats.taken.lock().unwrap().is_empty());
    }
}
