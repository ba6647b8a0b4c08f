//! HTTP ingest load: replays line protocol into a fresh sensorboard server
//! started for each run, and reports points/s, batch latency, server memory,
//! and whether every point sent was stored.
//!
//! ```sh
//! cargo build --release -p server
//! cargo run --release -p server --example ingest_load -- [series] [points per series] [writers,...]
//! cargo run --release -p server --example ingest_load -- --shape wide \
//!     [--devices 2500] [--fields 20] [--step-s 10] [--ticks 120] [--writers 4]
//! ```
//!
//! The long shape (default): 100 series × 100,000 points at 1 Hz, in
//! 5,000-line batches that hold 50 consecutive points of every series (as a
//! collector flushing all its sensors does), for 1, 4 and 8 concurrent
//! writers. The wide shape is a fleet: one line per device per tick holding
//! all its fields (as Telegraf sends), `fleet,site=…,device=… f0=…,f1=…`,
//! every device once per tick, 250-line batches, ticks in order.
//!
//! The bodies are formatted before the clock starts. Writers take the next
//! batch from one shared queue, as a producer posting in parallel does, so
//! batches reach the server in order but for the few in flight at once.
//! Besides the mean rate it reports the slowest 5-second window of
//! acknowledgements, and the rate counted until every point is stored
//! (applied), which a sustained claim must hold to. Stored points are
//! counted by paging through the series list; then, two seconds on, the
//! server's memory once it stops changing (points waiting in memory are
//! written out meanwhile), a search's time, and the data folder's size per
//! point (the hot figure: before compaction) are read. Last the server is
//! stopped cleanly, which writes out every point still in memory, and its
//! CPU per million points is read again: all of the work, not only the
//! part done before the count, less the server's work for the tool's own
//! reads (the count, measured again once nothing is left to apply, and the
//! searches).
//! Loopback only; every run stops by itself.

#[path = "support/loopback.rs"]
mod loopback;
#[path = "support/shapes.rs"]
mod shapes;

use loopback::{cpu_seconds, peak_rss_kib, rss_kib, start, write_token, written_bytes, Connection};
use shapes::{Load, Long, Wide};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Barrier;
use std::time::{Duration, Instant};

/// The window of the slowest-window rate.
const WINDOW: Duration = Duration::from_secs(5);

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let bin = std::env::var("SENSORBOARD_BIN").unwrap_or_else(|_| "target/release/sensorboard".into());
    let (load, writers) = if args.first().map(String::as_str) == Some("--shape") {
        let flag = |name: &str, default: usize| {
            args.iter()
                .position(|a| a == name)
                .and_then(|i| args.get(i + 1)?.parse().ok())
                .unwrap_or(default)
        };
        assert_eq!(args.get(1).map(String::as_str), Some("wide"), "the shapes: wide");
        let wide = Wide {
            devices: flag("--devices", 2_500),
            fields: flag("--fields", 20),
            step_s: flag("--step-s", 10) as i64,
            ticks: flag("--ticks", 120),
        };
        (wide.load(), vec![flag("--writers", 4)])
    } else {
        let series: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(100);
        let points: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(100_000);
        let writers = args
            .get(2)
            .map_or(vec![1, 4, 8], |a| a.split(',').filter_map(|w| w.parse().ok()).collect());
        (Long { series, points }.load(), writers)
    };
    println!("{}, server {bin}", load.title);
    println!("| writers | points/s | batch p50 | batch p99 | slowest 5 s | until stored | server peak RSS | server CPU s / M points | written B / point | stored == sent | RSS idle after | search p50 | disk B / point | CPU s / M points, all written |");
    println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for w in writers {
        run(&bin, &load, w.max(1));
    }
}

fn run(bin: &str, load: &Load, writers: usize) {
    let dir = std::env::temp_dir().join(format!("sensorboard-load-{}-{writers}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let token = write_token(bin, &dir);
    let (mut server, addr) = start(bin, &dir, &[]);
    let (cpu_before, written_before) = (cpu_seconds(server.id()), written_bytes(server.id()));
    let next = AtomicUsize::new(0);
    let ready = Barrier::new(writers + 1);
    let (acked, started, elapsed) = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..writers)
            .map(|_| scope.spawn(|| write(&addr, &token, load, &next, &ready)))
            .collect();
        ready.wait();
        let started = Instant::now();
        let acked: Vec<Acked> = handles.into_iter().flat_map(|h| h.join().expect("writer")).collect();
        (acked, started, started.elapsed())
    });
    let rss = peak_rss_kib(server.id());
    let (stored, last_key) = stored_points(&addr, load.series_filter);
    let until_stored = started.elapsed();
    // After the count, which waits for every logged batch to be applied.
    let cpu = cpu_seconds(server.id()) - cpu_before;
    let written = written_bytes(server.id()).saturating_sub(written_before);
    // At rest: the WAL is cut back a tick after the last write.
    std::thread::sleep(Duration::from_secs(2));
    let idle_rss = settled_rss_kib(server.id());
    // The tool's own reads are no ingest work: a second count (nothing
    // left to apply by then) measures what the first cost, and the
    // searches are measured as they run; both are left out of the whole
    // cost below.
    let count_from = cpu_seconds(server.id());
    let _ = stored_points(&addr, load.series_filter);
    let search_from = cpu_seconds(server.id());
    let search = search_p50(&addr, &last_key);
    let searched = cpu_seconds(server.id());
    let checks = 2.0 * (search_from - count_from) + (searched - search_from);
    let disk = folder_bytes(&dir);
    // Points may still wait in memory to be written to chunks: a clean
    // stop writes them, and the CPU until then is the whole cost.
    let cpu_all = stop_cleanly(&mut server).map(|s| s - cpu_before - checks);
    eprintln!(
        "the tool's two counts and its searches took {:.3} server CPU s / M points, left out of the last column",
        checks / (load.sent() as f64 / 1e6)
    );
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
    let sent = load.sent();
    println!(
        "| {writers} | {:.0} | {:.1} ms | {:.1} ms | {} | {:.0} | {} MiB | {:.2} | {:.1} | {} | {} MiB | {:.2} ms | {:.1} | {} |",
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
        idle_rss / 1024,
        search.as_secs_f64() * 1e3,
        disk as f64 / sent as f64,
        cpu_all.map_or("?".to_owned(), |c| format!("{:.2}", c / (sent as f64 / 1e6))),
    );
}

/// The server's memory once it stopped changing (three readings half a
/// second apart within 1 MiB, as heads are written out after a load), or
/// after 30 s, in KiB.
fn settled_rss_kib(pid: u32) -> u64 {
    let mut seen = vec![rss_kib(pid)];
    for _ in 0..60 {
        std::thread::sleep(Duration::from_millis(500));
        seen.push(rss_kib(pid));
        if let [.., a, b, c] = seen[..] {
            if a.max(b).max(c) - a.min(b).min(c) <= 1024 {
                break;
            }
        }
    }
    seen.last().copied().unwrap_or(0)
}

/// Stops the server with SIGTERM and returns the CPU seconds it used in
/// all, read while it is a zombie (before it is reaped); kills it after a
/// minute, or when SIGTERM cannot be sent, and then says nothing.
fn stop_cleanly(server: &mut std::process::Child) -> Option<f64> {
    let pid = server.id();
    let sent = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .is_ok_and(|s| s.success());
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    let mut cpu = None;
    while sent && std::time::Instant::now() < deadline {
        let state = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        if state
            .rsplit_once(')')
            .is_some_and(|(_, rest)| rest.trim_start().starts_with('Z'))
        {
            cpu = Some(cpu_seconds(pid));
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    if cpu.is_none() {
        let _ = server.kill();
    }
    let _ = server.wait();
    cpu
}

/// Bytes of the files in `dir` (the database, its WAL and shared memory):
/// the data as it lies after the load, before compaction.
fn folder_bytes(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

/// The median time of 21 searches for `key`, the last series in key order
/// (a search that scans every key).
fn search_p50(addr: &str, key: &str) -> Duration {
    let mut conn = Connection::open(addr);
    let mut took: Vec<Duration> = (0..21)
        .map(|_| {
            let asked = Instant::now();
            let body = conn.get(&format!("/api/v1/series?q={}&limit=100", encode(key)));
            assert!(body.contains("\"series\""), "{body}");
            asked.elapsed()
        })
        .collect();
    took.sort();
    took[took.len() / 2]
}

/// One writer: posts the next batch of the shared queue until none is left.
fn write(addr: &str, token: &str, load: &Load, next: &AtomicUsize, ready: &Barrier) -> Vec<Acked> {
    let mut conn = Connection::open(addr).with_token(token);
    ready.wait();
    let mut acked = Vec::new();
    loop {
        let b = next.fetch_add(1, Ordering::Relaxed);
        let Some(body) = load.bodies.get(b) else { return acked };
        let sent = Instant::now();
        let (status, answer) = conn.post("/write?db=load&precision=ns", body.as_bytes());
        assert_eq!(status, 204, "batch {b} failed: {answer}");
        acked.push(Acked {
            at: Instant::now(),
            took: sent.elapsed(),
            points: load.points[b],
        });
    }
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

/// Sum of the point counts of the series whose key holds `filter`, read
/// page after page of the series list, and the last key listed.
fn stored_points(addr: &str, filter: &str) -> (u64, String) {
    let mut conn = Connection::open(addr);
    let (mut total, mut after, mut last) = (0, String::new(), String::new());
    loop {
        let body = conn.get(&format!("/api/v1/series?q={}&limit=10000{after}", encode(filter)));
        total += body
            .split("\"count\":")
            .skip(1)
            .filter_map(|rest| rest.split(|c: char| !c.is_ascii_digit()).next()?.parse::<u64>().ok())
            .sum::<u64>();
        // Keys come JSON-escaped: their quotes as \".
        let unescape = |key: &str| key.replace("\\\"", "\"");
        if let Some(key) = body
            .rsplit("\"key\":\"")
            .next()
            .and_then(|rest| rest.split("\",\"name\"").next())
        {
            last = unescape(key);
        }
        match body
            .split("\"next\":\"")
            .nth(1)
            .and_then(|rest| rest.rsplit_once("\"}"))
        {
            Some((next, _)) => after = format!("&after={}", encode(&unescape(next))),
            None => return (total, last),
        }
    }
}

/// `text` percent-encoded for a query string.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'.' | b'_' | b'-' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
