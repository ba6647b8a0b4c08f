//! `server::serve` on a real socket: answers, stops when told, and cuts
//! off slow, idle and too many connections.

use crate::support::TestApp;
use server::ConnectionLimits;
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

const HEALTH: &[u8] = b"GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n";

struct Running {
    addr: SocketAddr,
    stop: oneshot::Sender<()>,
    server: JoinHandle<std::io::Result<()>>,
    _dir: tempfile::TempDir,
}

async fn start(limits: ConnectionLimits) -> Running {
    start_with(&[], limits).await
}

async fn start_with(flags: &[&str], limits: ConnectionLimits) -> Running {
    let (state, dir) = TestApp::configured(flags).await;
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(server::serve(listener, state, limits, async {
        let _ = stopped.await;
    }));
    Running {
        addr,
        stop,
        server,
        _dir: dir,
    }
}

/// Reads until the server closes the connection or `within` passes;
/// returns what came and whether it was closed.
async fn read_until_closed(conn: &mut TcpStream, within: Duration) -> (String, bool) {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, conn.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return (String::from_utf8_lossy(&got).into_owned(), true),
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
            Err(_) => return (String::from_utf8_lossy(&got).into_owned(), false),
        }
    }
}

#[tokio::test]
async fn serves_on_a_socket_and_shuts_down_gracefully() {
    let running = start(ConnectionLimits::default()).await;
    let mut conn = TcpStream::connect(running.addr).await.unwrap();
    conn.write_all(b"GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut reply = String::new();
    conn.read_to_string(&mut reply).await.unwrap();
    assert!(reply.starts_with("HTTP/1.1 200 OK"), "{reply}");
    assert!(reply.contains(r#""database":"ok""#), "{reply}");

    // A keep-alive connection left open does not hold the shutdown up.
    let mut idle = TcpStream::connect(running.addr).await.unwrap();
    idle.write_all(HEALTH).await.unwrap();
    let mut first = [0u8; 12];
    idle.read_exact(&mut first).await.unwrap();
    running.stop.send(()).unwrap();
    let finished = tokio::time::timeout(Duration::from_secs(5), running.server).await;
    assert!(
        matches!(finished, Ok(Ok(Ok(())))),
        "serve returned after the shutdown signal"
    );
}

#[tokio::test]
async fn a_client_sending_headers_slowly_is_cut_off() {
    let limits = ConnectionLimits {
        header_read_timeout: Duration::from_millis(600),
        ..ConnectionLimits::default()
    };
    let running = start(limits).await;
    let mut conn = TcpStream::connect(running.addr).await.unwrap();
    let began = Instant::now();
    conn.write_all(b"GET /health HTTP/1.1\r\n").await.unwrap();
    let mut cut_after = None;
    for i in 0..40 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let line = format!("X-Slow-{i}: 1\r\n");
        let sent = conn.write_all(line.as_bytes()).await;
        let mut probe = [0u8; 64];
        let closed = matches!(
            tokio::time::timeout(Duration::from_millis(1), conn.read(&mut probe)).await,
            Ok(Ok(0)) | Ok(Err(_))
        );
        if sent.is_err() || closed {
            cut_after = Some(began.elapsed());
            break;
        }
    }
    let cut_after = cut_after.expect("the connection was still open after 4 s of header lines");
    assert!(
        cut_after >= Duration::from_millis(500),
        "cut at {cut_after:?}, before its timeout"
    );
}

#[tokio::test]
async fn idle_connections_close_after_the_keep_alive_timeout() {
    let limits = ConnectionLimits {
        keep_alive_timeout: Duration::from_millis(500),
        ..ConnectionLimits::default()
    };
    let running = start(limits).await;

    let mut conn = TcpStream::connect(running.addr).await.unwrap();
    conn.write_all(HEALTH).await.unwrap();
    let answered = Instant::now();
    let (reply, closed) = read_until_closed(&mut conn, Duration::from_secs(5)).await;
    assert!(reply.starts_with("HTTP/1.1 200 OK"), "{reply}");
    assert!(closed, "the idle keep-alive connection stayed open");
    assert!(
        answered.elapsed() >= Duration::from_millis(400),
        "closed before its timeout"
    );

    // One that never sends anything goes the same way.
    let mut silent = TcpStream::connect(running.addr).await.unwrap();
    let (reply, closed) = read_until_closed(&mut silent, Duration::from_secs(5)).await;
    assert!(closed && reply.is_empty(), "{reply}");
}

#[tokio::test]
async fn connections_per_address_are_capped() {
    let limits = ConnectionLimits {
        max_connections_per_address: 2,
        ..ConnectionLimits::default()
    };
    let running = start(limits).await;
    let first = TcpStream::connect(running.addr).await.unwrap();
    let _second = TcpStream::connect(running.addr).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;

    let mut third = TcpStream::connect(running.addr).await.unwrap();
    third.write_all(HEALTH).await.unwrap();
    let (reply, closed) = read_until_closed(&mut third, Duration::from_secs(5)).await;
    assert!(reply.starts_with("HTTP/1.1 503"), "{reply}");
    assert!(reply.contains(r#""error":"too_many_connections""#), "{reply}");
    assert!(closed, "the refused connection is closed");

    drop(first);
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut again = TcpStream::connect(running.addr).await.unwrap();
    again.write_all(HEALTH).await.unwrap();
    let mut head = [0u8; 15];
    again.read_exact(&mut head).await.unwrap();
    assert_eq!(&head, b"HTTP/1.1 200 OK", "a closed connection frees its place");
}

#[tokio::test]
async fn connections_beyond_the_total_wait_for_a_free_one() {
    let limits = ConnectionLimits {
        max_connections: 1,
        ..ConnectionLimits::default()
    };
    let running = start(limits).await;
    let mut first = TcpStream::connect(running.addr).await.unwrap();
    first.write_all(HEALTH).await.unwrap();
    let mut head = [0u8; 15];
    first.read_exact(&mut head).await.unwrap();

    let mut second = TcpStream::connect(running.addr).await.unwrap();
    second.write_all(HEALTH).await.unwrap();
    let waited = tokio::time::timeout(Duration::from_millis(300), second.read(&mut head)).await;
    assert!(waited.is_err(), "served while the only place was taken");

    drop(first);
    let served = tokio::time::timeout(Duration::from_secs(5), second.read_exact(&mut head)).await;
    assert!(matches!(served, Ok(Ok(_))), "served once the place was free");
    assert_eq!(&head, b"HTTP/1.1 200 OK");
}

/// A query batch whose body is announced but not yet sent: its request
/// holds (or waits for) a read slot until the body comes.
async fn pending_read(addr: SocketAddr, from: [u8; 4]) -> TcpStream {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind(SocketAddr::from((from, 0))).unwrap();
    let mut conn = socket.connect(addr).await.unwrap();
    let head = format!(
        "POST /api/v1/query/batch HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        crate::support::TOKEN,
        EMPTY_BATCH.len()
    );
    conn.write_all(head.as_bytes()).await.unwrap();
    conn
}

const EMPTY_BATCH: &str = r#"{"queries":[]}"#;

#[tokio::test]
async fn one_client_cannot_take_every_read() {
    let running = start_with(&["--max-reads-per-client", "1"], ConnectionLimits::default()).await;
    // Five reads of one client: one in progress, four waiting.
    let mut held = Vec::new();
    for _ in 0..5 {
        held.push(pending_read(running.addr, [127, 0, 0, 1]).await);
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut sixth = pending_read(running.addr, [127, 0, 0, 1]).await;
    let (reply, _) = read_until_closed(&mut sixth, Duration::from_secs(2)).await;
    assert!(reply.starts_with("HTTP/1.1 429"), "{reply}");
    assert!(reply.contains("--max-reads-per-client"), "{reply}");

    // Another client reads at once.
    let mut other = pending_read(running.addr, [127, 0, 0, 2]).await;
    other.write_all(EMPTY_BATCH.as_bytes()).await.unwrap();
    let mut head = [0u8; 15];
    tokio::time::timeout(Duration::from_secs(2), other.read_exact(&mut head))
        .await
        .expect("another client is not kept waiting")
        .unwrap();
    assert_eq!(&head, b"HTTP/1.1 200 OK");

    // The first client's reads are all answered, in turn.
    for conn in &mut held {
        conn.write_all(EMPTY_BATCH.as_bytes()).await.unwrap();
    }
    for conn in &mut held {
        tokio::time::timeout(Duration::from_secs(5), conn.read_exact(&mut head))
            .await
            .expect("answered once its turn came")
            .unwrap();
        assert_eq!(&head, b"HTTP/1.1 200 OK");
    }
}
