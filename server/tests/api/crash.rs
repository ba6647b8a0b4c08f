//! Durability: every batch answered 2xx survives `kill -9` of the server.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const T0: i64 = 1_795_428_000_000;
const BATCH: i64 = 200;

/// Starts the real binary on a free port; returns it and its address.
fn start(data_dir: &std::path::Path) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sensorboard"))
        .args(["--bind", "127.0.0.1:0", "--log", "info", "--data-dir"])
        .arg(data_dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let addr = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|line| {
            line.split("listening on http://")
                .nth(1)
                .map(|rest| rest.split_whitespace().next().unwrap().to_owned())
        })
        .expect("the server says where it listens");
    // Keep draining the log so the server never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    (child, addr)
}

/// One HTTP/1.1 request; `None` if the connection failed or broke.
fn request(addr: &str, method: &str, path: &str, body: &str) -> Option<(u16, String)> {
    let mut conn = TcpStream::connect(addr).ok()?;
    conn.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    conn.write_all(head.as_bytes()).ok()?;
    conn.write_all(body.as_bytes()).ok()?;
    let mut reply = String::new();
    conn.read_to_string(&mut reply).ok()?;
    let status = reply.get(9..12)?.parse().ok()?;
    let body = reply
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    Some((status, body))
}

fn batch_body(i: i64) -> String {
    let points: Vec<String> = (0..BATCH)
        .map(|j| format!(r#"{{"series":"crash","t":{},"v":{}}}"#, T0 + (i * BATCH + j) * 1000, i))
        .collect();
    format!(r#"{{"points":[{}]}}"#, points.join(","))
}

#[test]
fn acknowledged_batches_survive_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let (mut server, addr) = start(dir.path());
    let acked = Arc::new(Mutex::new(Vec::new()));
    let killed = Arc::new(AtomicBool::new(false));
    let writer = {
        let (acked, killed, addr) = (acked.clone(), killed.clone(), addr.clone());
        std::thread::spawn(move || {
            for i in 0..400 {
                match request(&addr, "POST", "/api/v1/write", &batch_body(i)) {
                    Some((200, _)) => acked.lock().unwrap().push(i),
                    _ if killed.load(Ordering::SeqCst) => return,
                    other => panic!("batch {i} failed before the kill: {other:?}"),
                }
            }
        })
    };
    while acked.lock().unwrap().len() < 25 {
        std::thread::sleep(Duration::from_millis(5));
    }
    killed.store(true, Ordering::SeqCst);
    server.kill().unwrap(); // SIGKILL: no shutdown, no checkpoint
    server.wait().unwrap();
    writer.join().unwrap();
    let acked = acked.lock().unwrap().clone();

    let (mut server, addr) = start(dir.path());
    let to = T0 + 400 * BATCH * 1000;
    let (status, body) = request(
        &addr,
        "GET",
        &format!("/api/v1/query?series=crash&from={T0}&to={to}&agg=raw&points=100000"),
        "",
    )
    .unwrap();
    server.kill().unwrap();
    server.wait().unwrap();
    assert_eq!(status, 200, "{body}");
    let result: serde_json::Value = serde_json::from_str(&body).unwrap();
    let stored: std::collections::HashSet<i64> = result["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p[0].as_i64().unwrap())
        .collect();
    for i in &acked {
        for j in 0..BATCH {
            assert!(
                stored.contains(&(T0 + (i * BATCH + j) * 1000)),
                "batch {i} was acknowledged but point {j} is gone"
            );
        }
    }
    assert!(
        stored.len() as i64 % BATCH == 0,
        "no batch is half-stored: {} points",
        stored.len()
    );
    assert!(acked.len() >= 25);
}
