//! Soak: many dashboard pollers and a few writers against one server for a
//! bounded time, on loopback; reports poll and write latency, errors, and
//! the server's memory over time.
//!
//! ```sh
//! cargo build --release -p server
//! cargo run --release -p server --example soak -- [minutes] [pollers] [writers] [sensors per writer]
//! ```
//!
//! Defaults: 10 minutes, 1,000 pollers, 4 writers of 250 sensors. Each
//! writer stands for a site: once a second it sends one point of each of
//! its sensors (one batch stamped now), so the server takes in 1,000
//! series at 1 Hz. Each poller is a dashboard of 8 panels
//! over the last hour of 8 of those sensors, refreshed every 5 s (start
//! times spread over the first interval) with `If-None-Match`, as the UI
//! does. Every request that is not answered 2xx/304, or whose connection
//! fails, is an error. Stops by itself.

#[path = "support/loopback.rs"]
mod loopback;

use loopback::{peak_rss_kib, rss_kib, start, write_token, Connection};
use std::fmt::Write as _;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const POLL_EVERY: Duration = Duration::from_secs(5);
const WRITE_EVERY: Duration = Duration::from_secs(1);
const BACKFILL_S: usize = 3_600;

#[derive(Default)]
struct Tally {
    /// (seconds since the start, latency in µs) of every answer.
    latencies_us: Mutex<Vec<(u32, u64)>>,
    errors: AtomicU64,
    not_modified: AtomicU64,
}

impl Tally {
    fn record(&self, started: Instant, took: Duration, status: u16) {
        match status {
            200..=299 => {}
            304 => {
                self.not_modified.fetch_add(1, Ordering::Relaxed);
            }
            _ => {
                self.errors.fetch_add(1, Ordering::Relaxed);
                return;
            }
        }
        let at = started.elapsed().as_secs() as u32;
        self.latencies_us
            .lock()
            .expect("tally")
            .push((at, took.as_micros() as u64));
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let minutes: f64 = args.first().and_then(|a| a.parse().ok()).unwrap_or(10.0);
    let pollers: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(1_000);
    let writers: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(4);
    let sensors: usize = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(250).max(8);
    let bin = std::env::var("SENSORBOARD_BIN").unwrap_or_else(|_| "target/release/sensorboard".into());
    let dir = std::env::temp_dir().join(format!("sensorboard-soak-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let token = write_token(&bin, &dir);
    let (mut server, addr) = start(&bin, &dir, &[]);
    let pid = server.id();
    println!("soak: {minutes} min, {pollers} pollers every {POLL_EVERY:?}, {writers} writers of {sensors} sensors every {WRITE_EVERY:?}, server {bin}");

    backfill(&addr, &token);
    let begun = Instant::now();
    let deadline = begun + Duration::from_secs_f64(minutes * 60.0);
    let polls = Arc::new(Tally::default());
    let writes = Arc::new(Tally::default());
    let mut threads = Vec::new();
    for w in 0..writers {
        let (addr, token, writes) = (addr.clone(), token.clone(), writes.clone());
        threads.push(std::thread::spawn(move || {
            write_loop(&addr, &token, (w, sensors), (begun, deadline), &writes)
        }));
    }
    for p in 0..pollers {
        let (addr, polls) = (addr.clone(), polls.clone());
        let offset = POLL_EVERY.mul_f64(p as f64 / pollers as f64);
        threads.push(
            std::thread::Builder::new()
                .stack_size(256 * 1024)
                .spawn(move || poll_loop(&addr, p, offset, (begun, deadline), &polls))
                .expect("poller thread"),
        );
    }

    let rss = sample_memory(pid, &dir.join("sensorboard.db-wal"), deadline);
    for t in threads {
        let _ = t.join();
    }
    let peak = peak_rss_kib(pid);
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&dir);
    report("dashboard polls (8 panels)", &polls);
    report(&format!("writes ({sensors} points)"), &writes);
    let (lo, hi) = rss
        .iter()
        .fold((u64::MAX, 0), |(lo, hi), &(_, r)| (lo.min(r), hi.max(r)));
    let mut over_time = String::new();
    for (at, kib) in rss.iter().step_by((rss.len() / 10).max(1)) {
        let _ = write!(over_time, " {at}s:{}", kib / 1024);
    }
    println!(
        "server RSS (MiB): min {} max {} peak {}; over time:{over_time}",
        lo / 1024,
        hi / 1024,
        peak / 1024
    );
}

/// An hour of history for every sensor, so dashboards have data at once.
fn backfill(addr: &str, token: &str) {
    let mut conn = Connection::open(addr).with_token(token);
    let now = now_s();
    let mut body = String::with_capacity(5_000 * 48);
    for sensor in 0..8 {
        for s in 0..BACKFILL_S {
            let t = now - (BACKFILL_S - s) as i64;
            let _ = writeln!(body, "plant,w=0,sensor=s{sensor} value={} {t}", value(sensor, t));
            if body.len() > 200_000 {
                post_lines(&mut conn, &body);
                body.clear();
            }
        }
    }
    post_lines(&mut conn, &body);
}

fn post_lines(conn: &mut Connection, body: &str) {
    let (status, answer) = conn.post("/write?precision=s", body.as_bytes());
    assert_eq!(status, 204, "backfill failed: {answer}");
}

fn write_loop(
    addr: &str,
    token: &str,
    (writer, sensors): (usize, usize),
    (begun, deadline): (Instant, Instant),
    tally: &Tally,
) {
    let mut conn = Connection::open(addr).with_token(token);
    let mut body = String::with_capacity(sensors * 48);
    let mut next = Instant::now();
    while Instant::now() < deadline {
        body.clear();
        let t = now_s();
        for sensor in 0..sensors {
            let _ = writeln!(body, "plant,w={writer},sensor=s{sensor} value={} {t}", value(sensor, t));
        }
        let sent = Instant::now();
        match catch_unwind(AssertUnwindSafe(|| conn.post("/write?precision=s", body.as_bytes()))) {
            Ok((status, _)) => tally.record(begun, sent.elapsed(), status),
            Err(_) => {
                tally.errors.fetch_add(1, Ordering::Relaxed);
                conn = Connection::open(addr).with_token(token);
            }
        }
        next += WRITE_EVERY;
        std::thread::sleep(next.saturating_duration_since(Instant::now()));
    }
}

fn poll_loop(addr: &str, poller: usize, offset: Duration, (begun, deadline): (Instant, Instant), tally: &Tally) {
    std::thread::sleep(offset);
    let batch = dashboard(poller);
    let mut conn = Connection::open(addr);
    let mut tag: Option<String> = None;
    let mut next = Instant::now();
    while Instant::now() < deadline {
        let sent = Instant::now();
        let answer = catch_unwind(AssertUnwindSafe(|| {
            conn.send("POST", "/api/v1/query/batch", tag.as_deref(), batch.as_bytes())
        }));
        match answer {
            Ok(a) => {
                tally.record(begun, sent.elapsed(), a.status);
                if a.status == 200 {
                    tag = a.etag;
                }
            }
            Err(_) => {
                tally.errors.fetch_add(1, Ordering::Relaxed);
                conn = Connection::open(addr);
            }
        }
        next += POLL_EVERY;
        std::thread::sleep(next.saturating_duration_since(Instant::now()));
    }
}

/// Eight panels over the last hour; pollers share dashboards in groups,
/// as people watching the same screens do.
fn dashboard(poller: usize) -> String {
    let first = (poller % 4) * 2;
    let queries: Vec<String> = (0..8)
        .map(|p| {
            let series = format!("plant.value{{sensor=\"s{}\",w=\"0\"}}", (first + p) % 8);
            format!(
                "{{\"series\":{},\"from\":\"now-1h\",\"to\":\"now\",\"points\":1000}}",
                serde_json::to_string(&series).expect("json")
            )
        })
        .collect();
    format!("{{\"queries\":[{}]}}", queries.join(","))
}

/// The server's memory every 10 s until `deadline`: (seconds in, KiB);
/// prints the largest size the write-ahead log `wal` reached.
fn sample_memory(pid: u32, wal: &std::path::Path, deadline: Instant) -> Vec<(u64, u64)> {
    let started = Instant::now();
    let mut samples = Vec::new();
    let mut wal_max = 0;
    while Instant::now() < deadline {
        let at = started.elapsed().as_secs();
        if samples.last().is_none_or(|&(last, _)| at >= last + 10) {
            samples.push((at, rss_kib(pid)));
        }
        wal_max = wal_max.max(std::fs::metadata(wal).map_or(0, |m| m.len()));
        std::thread::sleep(Duration::from_secs(1).min(deadline.saturating_duration_since(Instant::now())));
    }
    samples.push((started.elapsed().as_secs(), rss_kib(pid)));
    println!("write-ahead log: at most {:.1} MiB", wal_max as f64 / (1024.0 * 1024.0));
    samples
}

fn report(what: &str, tally: &Tally) {
    let all = tally.latencies_us.lock().expect("tally").clone();
    let mut l: Vec<u64> = all.iter().map(|&(_, us)| us).collect();
    println!(
        "{what}: {} answered ({} of them 304), errors {}; {}",
        l.len(),
        tally.not_modified.load(Ordering::Relaxed),
        tally.errors.load(Ordering::Relaxed),
        percentiles(&mut l),
    );
    // The p99 of each minute, to show whether it stays flat.
    let minutes = all.iter().map(|&(at, _)| at / 60).max().unwrap_or(0);
    let mut per_minute = String::new();
    for m in 0..=minutes {
        let mut in_minute: Vec<u64> = all.iter().filter(|&&(at, _)| at / 60 == m).map(|&(_, us)| us).collect();
        in_minute.sort_unstable();
        let p99 = in_minute.get((in_minute.len() * 99 / 100).min(in_minute.len().saturating_sub(1)));
        let _ = write!(per_minute, " {:.0}", p99.copied().unwrap_or(0) as f64 / 1e3);
    }
    println!("  p99 per minute (ms):{per_minute}");
}

fn percentiles(l: &mut [u64]) -> String {
    l.sort_unstable();
    let pct = |p: f64| {
        l.get(((l.len() as f64 * p) as usize).min(l.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0)
    };
    format!(
        "p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        pct(0.50) as f64 / 1e3,
        pct(0.95) as f64 / 1e3,
        pct(0.99) as f64 / 1e3,
        l.last().copied().unwrap_or(0) as f64 / 1e3,
    )
}

fn value(sensor: usize, t: i64) -> f64 {
    20.0 + ((t as usize * 7 + sensor * 13) % 1000) as f64 / 100.0
}

fn now_s() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}
