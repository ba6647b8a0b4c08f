//! From a write that crosses a threshold to the notification received:
//! a rule evaluated every second on one series, a webhook receiver on a
//! loopback port, and `--times` crossings up and back down, each timed
//! from just before the write is sent to the moment the receiver has the
//! whole firing (or resolved) notification.
//!
//! ```sh
//! cargo build --release -p server
//! cargo run --release -p server --example alert_latency -- [--times 20]
//! ```
//!
//! Loopback only; every run stops by itself.

#[path = "support/loopback.rs"]
mod loopback;

use loopback::{start, token, Connection};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The longest a notification may take before the run gives up.
const PATIENCE: Duration = Duration::from_secs(10);

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let times: usize = args
        .iter()
        .position(|a| a == "--times")
        .and_then(|i| args.get(i + 1)?.parse().ok())
        .unwrap_or(20);
    let bin = std::env::var("SENSORBOARD_BIN").unwrap_or_else(|_| "target/release/sensorboard".into());
    let dir = std::env::temp_dir().join(format!("sensorboard-alert-latency-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("data folder");
    let admin = token(&bin, &dir, "admin");
    let (mut server, addr) = start(&bin, &dir, &[]);
    let (hook, received) = receiver();

    let mut conn = Connection::open(&addr).with_token(&admin);
    let point = format!(r#"{{"name": "bench", "kind": "webhook", "url": "http://{hook}/hook"}}"#);
    assert_eq!(conn.post("/api/v1/alerts/contact-points", point.as_bytes()).0, 201);
    let rule = r#"{"name": "latency", "series": "lat.temp", "window": "1m", "direction": "above",
                   "critical": 90, "every": "1s", "no_data_after": "1m"}"#;
    assert_eq!(conn.post("/api/v1/alerts/rules", rule.as_bytes()).0, 201);
    write(&mut conn, 20.0);
    std::thread::sleep(Duration::from_millis(1_500));

    let (mut firing, mut resolved) = (Vec::new(), Vec::new());
    for _ in 0..times {
        for (value, status, into) in [(95.0, "firing", &mut firing), (20.0, "resolved", &mut resolved)] {
            // Apart from the last crossing by more than an evaluation
            // interval, at a varying phase of the scheduler's rounds.
            std::thread::sleep(Duration::from_millis(1_500 + jitter_ms()));
            let sent = Instant::now();
            write(&mut conn, value);
            loop {
                let (at, got) = received.recv_timeout(PATIENCE).expect("a notification within 10 s");
                if got == status && at >= sent {
                    into.push(at - sent);
                    break;
                }
            }
        }
    }
    println!("write -> notification received, rule every 1 s, {times} crossings each way:");
    println!("| notification | p50 | p95 | max |");
    println!("| --- | --- | --- | --- |");
    for (name, mut took) in [("firing", firing), ("resolved", resolved)] {
        took.sort();
        let at = |q: f64| took[((took.len() - 1) as f64 * q).round() as usize].as_millis();
        println!("| {name} | {} ms | {} ms | {} ms |", at(0.5), at(0.95), at(1.0));
    }
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&dir);
}

fn write(conn: &mut Connection, v: f64) {
    let body = format!(
        r#"{{"points": [{{"series": "lat.temp", "t": {}, "v": {v}}}]}}"#,
        now_ms()
    );
    let (status, answer) = conn.post("/api/v1/write", body.as_bytes());
    assert_eq!(status, 200, "{answer}");
}

/// A webhook receiver: its address, and (time received, `status`) of
/// each notification.
fn receiver() -> (String, mpsc::Receiver<(Instant, String)>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("address").to_string();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let tx = tx.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().expect("clone"));
                let mut writer = stream;
                loop {
                    let mut line = String::new();
                    let mut length = 0;
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    loop {
                        line.clear();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 {
                            return;
                        }
                        if line.trim().is_empty() {
                            break;
                        }
                        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                            length = v.trim().parse().unwrap_or(0);
                        }
                    }
                    let mut body = vec![0; length];
                    if reader.read_exact(&mut body).is_err() {
                        return;
                    }
                    let at = Instant::now();
                    let text = String::from_utf8_lossy(&body);
                    let status = if text.contains(r#""status":"resolved""#) {
                        "resolved"
                    } else {
                        "firing"
                    };
                    let _ = tx.send((at, status.to_owned()));
                    let _ = writer.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n");
                }
            });
        }
    });
    (addr, rx)
}

/// 0 to 999 ms, from the clock's nanoseconds.
fn jitter_ms() -> u64 {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    u64::from(nanos.wrapping_mul(2_654_435_761) % 1_000)
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}
