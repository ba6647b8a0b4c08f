//! Durability: every batch answered 2xx survives `kill -9` of the server.

use crate::launch::{create_token, request, start};
use crate::support::T0;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const BATCH: i64 = 200;

fn batch_body(i: i64) -> String {
    let points: Vec<String> = (0..BATCH)
        .map(|j| format!(r#"{{"series":"crash","t":{},"v":{}}}"#, T0 + (i * BATCH + j) * 1000, i))
        .collect();
    format!(r#"{{"points":[{}]}}"#, points.join(","))
}

#[test]
fn acknowledged_batches_survive_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let token = create_token(dir.path(), "crash", "write");
    let (mut server, addr) = start(dir.path());
    let acked = Arc::new(Mutex::new(Vec::new()));
    let killed = Arc::new(AtomicBool::new(false));
    let writer = {
        let (acked, killed, addr, token) = (acked.clone(), killed.clone(), addr.clone(), token.clone());
        std::thread::spawn(move || {
            for i in 0..400 {
                match request(&addr, "POST", "/api/v1/write", Some(&token), &batch_body(i)) {
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
        None,
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
