//! What a connection is doing and since when, so the accept loop can tell
//! a client that is slow or idle from one that is being answered.

use super::ConnectionLimits;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::Instant;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Waiting for the next request, none of it received yet.
    Idle,
    /// Part of a request's head received, not all of it.
    Head,
    /// A request handed to the router and not yet fully answered.
    Answering,
}

struct State {
    phase: Phase,
    since: Instant,
    last_byte: Instant,
    answering: usize,
}

pub(super) struct Clock {
    state: Mutex<State>,
}

impl Default for Clock {
    fn default() -> Self {
        let now = Instant::now();
        Self {
            state: Mutex::new(State {
                phase: Phase::Idle,
                since: now,
                last_byte: now,
                answering: 0,
            }),
        }
    }
}

/// Held while a request is answered.
pub(super) struct Answering(Arc<Clock>);

impl Clock {
    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn bytes_read(&self) {
        let mut s = self.state();
        let now = Instant::now();
        s.last_byte = now;
        if s.phase == Phase::Idle {
            s.phase = Phase::Head;
            s.since = now;
        }
    }

    fn bytes_written(&self) {
        self.state().last_byte = Instant::now();
    }

    /// A request's head has arrived and is being answered.
    pub(super) fn begin(self: &Arc<Self>) -> Answering {
        let mut s = self.state();
        s.answering += 1;
        s.phase = Phase::Answering;
        s.last_byte = Instant::now();
        Answering(self.clone())
    }

    /// When the phase the connection is in runs out, if it is still in it.
    fn next_check(&self, limits: &ConnectionLimits) -> Instant {
        let s = self.state();
        match s.phase {
            Phase::Idle => s.since + limits.keep_alive_timeout,
            Phase::Head => s.since + limits.header_read_timeout,
            Phase::Answering => s.last_byte + limits.stall_timeout,
        }
    }

    /// Why the connection should be closed now, if it should.
    pub(super) fn expired(&self, limits: &ConnectionLimits) -> Option<&'static str> {
        let due = self.next_check(limits);
        if Instant::now() < due {
            return None;
        }
        Some(match self.state().phase {
            Phase::Idle => "idle longer than the keep-alive timeout",
            Phase::Head => "request headers not received within the header-read timeout",
            Phase::Answering => "no byte moved within the stall timeout",
        })
    }
}

impl Drop for Answering {
    fn drop(&mut self) {
        let mut s = self.0.state();
        s.answering -= 1;
        if s.answering == 0 {
            s.phase = Phase::Idle;
            s.since = Instant::now();
        }
    }
}

/// A socket that tells its [`Clock`] when bytes move.
pub(super) struct Watched<IO> {
    io: IO,
    clock: Arc<Clock>,
}

impl<IO> Watched<IO> {
    pub(super) fn new(io: IO, clock: Arc<Clock>) -> Self {
        Self { io, clock }
    }
}

impl<IO: AsyncRead + Unpin> AsyncRead for Watched<IO> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.io).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.clock.bytes_read();
        }
        polled
    }
}

impl<IO: AsyncWrite + Unpin> AsyncWrite for Watched<IO> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.io).poll_write(cx, buf);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.clock.bytes_written();
        }
        polled
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.io).poll_write_vectored(cx, bufs);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.clock.bytes_written();
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn limits() -> ConnectionLimits {
        ConnectionLimits {
            header_read_timeout: Duration::from_secs(10),
            keep_alive_timeout: Duration::from_secs(30),
            stall_timeout: Duration::from_secs(60),
            ..ConnectionLimits::default()
        }
    }

    #[tokio::test(start_paused = true)]
    async fn each_phase_has_its_own_deadline() {
        let clock = Arc::new(Clock::default());
        let start = Instant::now();
        assert_eq!(clock.next_check(&limits()), start + Duration::from_secs(30), "idle");

        tokio::time::advance(Duration::from_secs(5)).await;
        clock.bytes_read();
        clock.bytes_read();
        let head = start + Duration::from_secs(15);
        assert_eq!(clock.next_check(&limits()), head, "from the head's first byte");

        tokio::time::advance(Duration::from_secs(10)).await;
        assert_eq!(
            clock.expired(&limits()),
            Some("request headers not received within the header-read timeout")
        );

        let answering = clock.begin();
        assert_eq!(clock.expired(&limits()), None);
        tokio::time::advance(Duration::from_secs(59)).await;
        clock.bytes_written();
        tokio::time::advance(Duration::from_secs(59)).await;
        assert_eq!(clock.expired(&limits()), None, "bytes moving keep an answer alive");
        tokio::time::advance(Duration::from_secs(1)).await;
        assert_eq!(clock.expired(&limits()), Some("no byte moved within the stall timeout"));

        drop(answering);
        assert_eq!(clock.next_check(&limits()), Instant::now() + Duration::from_secs(30));
        assert_eq!(clock.expired(&limits()), None, "idle again, from the answer's end");
    }
}
