//! Attacks a client on the LAN can make with few bytes, each against a
//! fresh server with its default settings: what the server answered, how
//! long it held on, and what it cost (`/metrics` size, server memory).
//!
//! ```sh
//! cargo build --release -p server
//! cargo run --release -p server --example attacks -- [binary] [attack,...]
//! ```
//!
//! The binary defaults to `target/release/sensorboard`; any build can be
//! measured (an older one too, for a before and after). Attacks:
//! `methods`, `zeros`, `queries`, `series`, `fields`, `slowloris`, `idle`,
//! `flood`; all by default. Everything runs on loopback and stops by
//! itself: a connection still open at its cap is reported as such.

#[path = "support/loopback.rs"]
#[allow(dead_code)]
mod loopback;

use loopback::{peak_rss_kib, rss_kib, start_plain, write_token};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::Child;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// 2026-11-23T10:00:00Z, in seconds.
const T0_S: i64 = 1_795_428_000;
const ALL: [&str; 8] = [
    "methods",
    "zeros",
    "queries",
    "series",
    "fields",
    "slowloris",
    "idle",
    "flood",
];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let bin = args
        .first()
        .cloned()
        .unwrap_or_else(|| "target/release/sensorboard".into());
    let chosen: Vec<String> = match args.get(1) {
        Some(list) => list.split(',').map(str::to_owned).collect(),
        None => ALL.iter().map(|a| a.to_string()).collect(),
    };
    println!("attacks on {bin}\n");
    println!("| attack | answered | `/metrics` bytes | server RSS: start → peak → after |");
    println!("| --- | --- | --- | --- |");
    for attack in &chosen {
        let server = Server::start(&bin);
        let metrics_before = server.metrics_bytes();
        let rss_start = rss_kib(server.pid());
        let answered = match attack.as_str() {
            "methods" => made_up_methods(&server),
            "zeros" => zeros(&server),
            "queries" => query_amplification(&server),
            "series" => new_series(&server),
            "fields" => wide_line(&server),
            "slowloris" => slowloris(&server),
            "idle" => idle(&server),
            "flood" => flood(&server),
            other => panic!("no attack `{other}`; known: {ALL:?}"),
        };
        std::thread::sleep(Duration::from_secs(2));
        let metrics_after = server.metrics_bytes();
        println!(
            "| {attack} | {answered} | {metrics_before} → {metrics_after} | {} → {} → {} MiB |",
            rss_start / 1024,
            peak_rss_kib(server.pid()) / 1024,
            rss_kib(server.pid()) / 1024
        );
    }
}

struct Server {
    child: Child,
    addr: SocketAddr,
    token: String,
    _dir: tempfile::TempDir,
}

impl Server {
    fn start(bin: &str) -> Self {
        let dir = tempfile::tempdir().expect("temporary folder");
        let token = write_token(bin, dir.path());
        let (child, addr) = start_plain(bin, dir.path(), &[]);
        Server {
            child,
            addr: addr.parse().expect("address"),
            token,
            _dir: dir,
        }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    fn metrics_bytes(&self) -> usize {
        exchange(self.addr, &request("GET", "/metrics", "", b""), Duration::from_secs(10)).1
    }

    fn write_lines(&self, body: &[u8]) -> (u16, usize) {
        let auth = format!("Authorization: Bearer {}\r\n", self.token);
        let req = request("POST", "/api/v2/write?bucket=b&precision=s", &auth, body);
        exchange(self.addr, &req, Duration::from_secs(120))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A request that closes its connection after the answer.
fn request(method: &str, path: &str, headers: &str, body: &[u8]) -> Vec<u8> {
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\n{headers}Content-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    req.extend_from_slice(body);
    req
}

/// Sends `req` on a new connection and reads the answer to the end:
/// its status (0 when none came) and its size in bytes, head included.
fn exchange(addr: SocketAddr, req: &[u8], within: Duration) -> (u16, usize) {
    let Ok(mut conn) = TcpStream::connect(addr) else {
        return (0, 0);
    };
    let _ = conn.set_read_timeout(Some(within));
    // A server that refuses early may close before the body is all sent.
    let _ = conn.write_all(req);
    let mut head = [0u8; 12];
    let mut got = 0;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        match conn.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                let fill = (12 - got.min(12)).min(n);
                head[got.min(12)..got.min(12) + fill].copy_from_slice(&buf[..fill]);
                got += n;
            }
        }
    }
    let status = std::str::from_utf8(&head[9..12])
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, got)
}

/// A connection from `source`, a loopback address of its own, so the
/// server sees another client.
fn connect_from(source: [u8; 4], addr: SocketAddr) -> std::io::Result<TcpStream> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_io().build()?;
    let stream = runtime.block_on(async {
        let socket = tokio::net::TcpSocket::new_v4()?;
        socket.bind(SocketAddr::from((source, 0)))?;
        socket.connect(addr).await
    })?;
    let stream = stream.into_std()?;
    stream.set_nonblocking(false)?;
    Ok(stream)
}

/// Statuses as `200 ×3, 400 ×1`.
fn tally(statuses: &[u16]) -> String {
    let mut counts: Vec<(u16, usize)> = Vec::new();
    for &s in statuses {
        match counts.iter_mut().find(|(c, _)| *c == s) {
            Some((_, n)) => *n += 1,
            None => counts.push((s, 1)),
        }
    }
    counts.sort();
    counts
        .iter()
        .map(|(s, n)| format!("{s} ×{n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// 3,000 requests with methods of their own making.
fn made_up_methods(server: &Server) -> String {
    let statuses: Vec<u16> = (0..3_000)
        .map(|i| {
            exchange(
                server.addr,
                &request(&format!("M{i}X"), &format!("/api/v1/series{i}"), "", b""),
                Duration::from_secs(5),
            )
            .0
        })
        .collect();
    tally(&statuses)
}

/// One query batch of zeros, just under 16 MiB (the largest body any
/// request could send before bodies other than writes were limited).
fn zeros(server: &Server) -> String {
    let mut body = b"{\"queries\":[".to_vec();
    body.extend(std::iter::repeat_n(*b"0,", 8 * 1024 * 1024 - 64).flatten());
    body.extend_from_slice(b"0]}");
    let started = Instant::now();
    let (status, _) = exchange(
        server.addr,
        &request("POST", "/api/v1/query/batch", "", &body),
        Duration::from_secs(60),
    );
    format!("{status} in {:.2} s", started.elapsed().as_secs_f64())
}

/// Five clients at once, each asking for 256 distinct raw windows of
/// 100,000 points (17 KB of request each), while another client queries
/// a minute of data every 50 ms.
fn query_amplification(server: &Server) -> String {
    for part in 0..5 {
        let lines: String = (0..20_000)
            .map(|i| {
                let s = part * 20_000 + i;
                format!("attack v={} {}\n", s % 97, T0_S + s)
            })
            .collect();
        assert_eq!(server.write_lines(lines.as_bytes()).0, 204, "loading the series");
    }
    let queries: Vec<String> = (0..256)
        .map(|q| {
            let to = (T0_S + 100_000) * 1_000 - q;
            format!(
                r#"{{"series":"attack.v","from":{},"to":{to},"points":100000,"agg":"raw","resolution":"raw"}}"#,
                T0_S * 1_000
            )
        })
        .collect();
    let body = Arc::new(format!(r#"{{"queries":[{}]}}"#, queries.join(",")));
    let addr = server.addr;
    let done = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let attackers: Vec<_> = (0..5)
        .map(|_| {
            let (body, done) = (body.clone(), done.clone());
            std::thread::spawn(move || {
                let answer = exchange(
                    addr,
                    &request("POST", "/api/v1/query/batch", "", body.as_bytes()),
                    Duration::from_secs(300),
                );
                done.fetch_add(1, Ordering::SeqCst);
                answer
            })
        })
        .collect();
    let probe = format!(
        "/api/v1/query?series=attack.v&from={}&to={}&points=100",
        T0_S * 1_000,
        (T0_S + 60) * 1_000
    );
    let (mut probes, mut worst) = (Vec::new(), Duration::ZERO);
    while done.load(Ordering::SeqCst) < 5 {
        let asked = Instant::now();
        let status = connect_from([127, 0, 0, 2], addr).map_or(0, |mut conn| {
            let _ = conn.set_read_timeout(Some(Duration::from_secs(30)));
            let _ = conn.write_all(&request("GET", &probe, "", b""));
            let mut answer = Vec::new();
            let _ = conn.read_to_end(&mut answer);
            std::str::from_utf8(answer.get(9..12).unwrap_or_default())
                .ok()
                .and_then(|s| s.parse().ok())
                .unwrap_or(0)
        });
        worst = worst.max(asked.elapsed());
        probes.push(status);
        std::thread::sleep(Duration::from_millis(50));
    }
    let answers: Vec<(u16, usize)> = attackers.into_iter().map(|a| a.join().expect("attacker")).collect();
    let statuses: Vec<u16> = answers.iter().map(|a| a.0).collect();
    let biggest = answers.iter().map(|a| a.1).max().unwrap_or(0);
    format!(
        "{} in {:.1} s, largest answer {:.1} MB; meanwhile another client: {}, slowest {} ms",
        tally(&statuses),
        started.elapsed().as_secs_f64(),
        biggest as f64 / 1e6,
        tally(&probes),
        worst.as_millis()
    )
}

/// One 12 MB line-protocol body naming 1,000,000 new series.
fn new_series(server: &Server) -> String {
    let body: String = (0..1_000_000).map(|i| format!("s{i} v=1\n")).collect();
    let started = Instant::now();
    let (status, _) = server.write_lines(body.as_bytes());
    format!(
        "{status} in {:.2} s ({:.1} MB)",
        started.elapsed().as_secs_f64(),
        body.len() as f64 / 1e6
    )
}

/// One line with 100,000 fields.
fn wide_line(server: &Server) -> String {
    let fields: Vec<String> = (0..100_000).map(|i| format!("f{i}=1")).collect();
    let body = format!("wide {} {T0_S}\n", fields.join(","));
    let (status, _) = server.write_lines(body.as_bytes());
    format!("{status} ({:.1} MB)", body.len() as f64 / 1e6)
}

/// 100 connections each sending one header line a second, never ending
/// their headers; how long the server keeps them (at most 40 s here).
fn slowloris(server: &Server) -> String {
    const CAP: Duration = Duration::from_secs(40);
    let addr = server.addr;
    let held: Vec<Duration> = (0..100)
        .map(|_| {
            std::thread::spawn(move || {
                let began = Instant::now();
                let Ok(mut conn) = TcpStream::connect(addr) else {
                    return Duration::ZERO;
                };
                let _ = conn.set_read_timeout(Some(Duration::from_millis(1)));
                let mut sent = conn.write_all(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n").is_ok();
                let mut i = 0;
                while sent && began.elapsed() < CAP {
                    std::thread::sleep(Duration::from_secs(1));
                    let mut probe = [0u8; 256];
                    if matches!(conn.read(&mut probe), Ok(0)) {
                        break;
                    }
                    sent = conn.write_all(format!("X-Slow-{i}: 1\r\n").as_bytes()).is_ok();
                    i += 1;
                }
                began.elapsed()
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|t| t.join().expect("slow client"))
        .collect();
    let longest = held.iter().max().copied().unwrap_or_default();
    let open = held.iter().filter(|h| **h >= CAP).count();
    format!(
        "longest held {:.0} s; {open} of 100 still open at {} s",
        longest.as_secs_f64(),
        CAP.as_secs()
    )
}

/// One keep-alive connection left idle after its answer; how long the
/// server keeps it (at most 90 s here).
fn idle(server: &Server) -> String {
    const CAP: Duration = Duration::from_secs(90);
    let Ok(mut conn) = TcpStream::connect(server.addr) else {
        return "cannot connect".into();
    };
    let _ = conn.write_all(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    let _ = conn.set_read_timeout(Some(CAP));
    let answered = Instant::now();
    let mut buf = [0u8; 4096];
    while let Ok(n) = conn.read(&mut buf) {
        if n == 0 || answered.elapsed() >= CAP {
            break;
        }
    }
    let held = answered.elapsed();
    if held >= CAP {
        format!("still open at {} s", CAP.as_secs())
    } else {
        format!("closed after {:.0} s idle", held.as_secs_f64())
    }
}

/// 1,000 connections from one address at once, each asking for `/health`
/// and staying open.
fn flood(server: &Server) -> String {
    let mut open = Vec::new();
    let mut statuses = Vec::new();
    for _ in 0..1_000 {
        let Ok(mut conn) = TcpStream::connect(server.addr) else {
            statuses.push(0);
            continue;
        };
        let _ = conn.set_read_timeout(Some(Duration::from_secs(5)));
        let _ = conn.write_all(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        let mut head = [0u8; 12];
        let status = match conn.read_exact(&mut head) {
            Ok(()) => std::str::from_utf8(&head[9..12])
                .ok()
                .and_then(|s| s.parse().ok())
                .unwrap_or(0),
            Err(_) => 0,
        };
        statuses.push(status);
        open.push(conn);
    }
    tally(&statuses)
}
