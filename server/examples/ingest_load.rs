//! HTTP ingest load: replays line protocol into a fresh sensorboard server
//! started for each run, and reports points/s, batch latency, server memory,
//! and whether every point sent was stored.
//!
//! ```sh
//! cargo build --release -p server
//! cargo run --release -p server --example ingest_load -- [series] [points per series] [writers,...]
//! ```
//!
//! Defaults: 100 series × 100,000 points at 1 Hz, in 5,000-line batches that
//! hold 50 consecutive points of every series (as a collector flushing all
//! its sensors does), for 1, 4 and 8 concurrent writers. The bodies are
//! formatted before the clock starts. Writers take the next batch from one
//! shared queue, as a producer posting in parallel does, so batches reach
//! the server in order but for the few in flight at once. Besides the mean
//! rate it reports the slowest 5-second window of acknowledgements, and the
//! rate counted until every point is stored (applied), which a sustained
//! claim must hold to.
//! Loopback only; every run stops by itself.

#[path = "support/loopback.rs"]
mod loopback;

use loopback::{cpu_seconds, peak_rss_kib, start, write_token, written_bytes, Connection};
use std::fmt::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

const BATCH_LINES: usize = 5_000;
const T0_S: i64 = 1_795_428_000;
/// The window of the slowest-window rate.
const WINDOW: Duration = Duration::from_secs(5);

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let series: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(100);
    let points: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let writers: Vec<usize> = args
        .get(2)
        .map_or(vec![1, 4, 8], |a| a.split(',').filter_map(|w| w.parse().ok()).collect());
    let bin = std::env::var("SENSORBOARD_BIN").unwrap_or_else(|_| "target/release/sensorboard".into());
    println!("{series} series × {points} points, {BATCH_LINES}-line batches, server {bin}");
    println!("| writers | points/s | batch p50 | batch p99 | slowest 5 s | until stored | server peak RSS | server CPU s / M points | written B / point | stored == sent |");
    println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for w in writers {
        run(&bin, series, points, w.max(1));
    }
}

fn run(bin: &str, series: usize, points: usize, writers: usize) {
    let dir = std::env::temp_dir().join(format!("sensorboard-load-{}-{writers}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let token = write_token(bin, &dir);
    let (mut server, addr) = start(bin, &dir, &[]);
    let (cpu_before, written_before) = (cpu_seconds(server.id()), written_bytes(server.id()));
    let per_batch = (BATCH_LINES / series).max(1);
    let batches = points.div_ceil(per_batch);
    // The peers were measured replaying a prepared payload, not formatting one.
    let bodies = Arc::new(prepare(batches, per_batch, series, points));
    let next = Arc::new(AtomicUsize::new(0));
    let ready = Arc::new(Barrier::new(writers + 1));
    let handles: Vec<_> = (0..writers)
        .map(|_| {
            let (addr, token, ready, bodies, next) =
                (addr.clone(), token.clone(), ready.clone(), bodies.clone(), next.clone());
            std::thread::spawn(move || {
                let mut conn = Connection::open(&addr).with_token(&token);
                ready.wait();
                let mut acked = Vec::new();
                loop {
                    let b = next.fetch_add(1, Ordering::Relaxed);
                    let Some(body) = bodies.get(b) else { break };
                    let sent = Instant::now();
                    let (status, _) = conn.post("/write?db=load&precision=ns", body.as_bytes());
                    assert_eq!(status, 204, "batch {b} failed");
                    acked.push(Acked {
                        at: Instant::now(),
                        took: sent.elapsed(),
                        points: series * (points.min((b + 1) * per_batch) - b * per_batch),
                    });
                }
                acked
            })
        })
        .collect();
    ready.wait();
    let started = Instant::now();
    let acked: Vec<Acked> = handles.into_iter().flat_map(|h| h.join().expect("writer")).collect();
    let elapsed = started.elapsed();
    let rss = peak_rss_kib(server.id());
    let stored = stored_points(&addr);
    let until_stored = started.elapsed();
    // After the count, which waits for every logged batch to be applied.
    let cpu = cpu_seconds(server.id()) - cpu_before;
    let written = written_bytes(server.id()).saturating_sub(written_before);
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&dir);

    let rates = window_rates(&acked, started, elapsed);
    let shown: Vec<String> = rates.iter().map(|r| format!("{:.2}", r / 1e6)).collect();
    eprintln!(
        "{writers} writers, M points/s per {} s window: {}",
        WINDOW.as_secs(),
        shown.join(" ")
    );
    // One window says nothing of sustain.
    let slowest = (rates.len() >= 2).then(|| rates.iter().copied().fold(f64::INFINITY, f64::min));
    let mut latencies: Vec<Duration> = acked.iter().map(|a| a.took).collect();
    latencies.sort();
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    let sent = (series * points) as u64;
    println!(
        "| {writers} | {:.0} | {:.1} ms | {:.1} ms | {} | {:.0} | {} MiB | {:.2} | {:.1} | {} |",
        sent as f64 / elapsed.as_secs_f64(),
        pct(0.50).as_secs_f64() * 1e3,
        pct(0.99).as_secs_f64() * 1e3,
        slowest.map_or("run under 10 s".to_owned(), |r| format!("{r:.0}")),
        sent as f64 / until_stored.as_secs_f64(),
        rss / 1024,
        cpu / (sent as f64 / 1e6),
        written as f64 / sent as f64,
        if stored == sent {
            "yes".to_owned()
        } else {
            format!("NO: {stored} of {sent}")
        },
    );
}

/// One acknowledged batch: when its 204 came, how long it took, and how
/// many points it held.
struct Acked {
    at: Instant,
    took: Duration,
    points: usize,
}

/// Points per second acknowledged in each whole [`WINDOW`] of the run.
fn window_rates(acked: &[Acked], started: Instant, elapsed: Duration) -> Vec<f64> {
    let windows = (elapsed.as_nanos() / WINDOW.as_nanos()) as usize;
    let mut points = vec![0usize; windows];
    for a in acked {
        let w = (a.at.duration_since(started).as_nanos() / WINDOW.as_nanos()) as usize;
        if let Some(slot) = points.get_mut(w) {
            *slot += a.points;
        }
    }
    points.iter().map(|&p| p as f64 / WINDOW.as_secs_f64()).collect()
}

/// Every batch's body, formatted on all cores.
fn prepare(batches: usize, per_batch: usize, series: usize, points: usize) -> Vec<String> {
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let share = batches.div_ceil(threads).max(1);
    let mut bodies = vec![String::new(); batches];
    std::thread::scope(|scope| {
        for (part, slots) in bodies.chunks_mut(share).enumerate() {
            scope.spawn(move || {
                for (i, slot) in slots.iter_mut().enumerate() {
                    *slot = body((part * share + i) * per_batch, per_batch, series, points);
                }
            });
        }
    });
    bodies
}

/// The line protocol of one batch: `per_batch` consecutive 1 Hz points,
/// from point `from` on, of every series.
fn body(from: usize, per_batch: usize, series: usize, points: usize) -> String {
    let mut body = String::with_capacity(BATCH_LINES * 48);
    for s in 0..series {
        for i in from..(from + per_batch).min(points) {
            let v = 20.0 + ((i * 7 + s * 13) % 1000) as f64 / 100.0;
            let _ = writeln!(body, "sensor,id=s{s} value={v} {}", (T0_S + i as i64) * 1_000_000_000);
        }
    }
    body
}

/// Sum of the point counts of the load's series. A list holds at most
/// 10,000 series, so larger loads are listed in ten parts, by the last
/// digit of the series' id (keys end `id="s123"}`): up to 100,000 series.
fn stored_points(addr: &str) -> u64 {
    let mut conn = Connection::open(addr);
    let parts: Vec<String> = (0..10).map(|d| format!("{d}%22%7D")).collect();
    parts
        .iter()
        .map(|last| {
            let body = conn.get(&format!("/api/v1/series?q={last}&limit=10000"));
            body.split("\"count\":")
                .skip(1)
                .filter_map(|rest| rest.split(|c: char| !c.is_ascii_digit()).next()?.parse::<u64>().ok())
                .sum::<u64>()
        })
        .sum()
}
