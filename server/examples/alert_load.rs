//! Alert evaluation cost: a server with `--instances` alert instances
//! evaluated every `--every`, measured as the server's CPU time over a
//! stretch of wall time, against the same stretch without rules.
//!
//! ```sh
//! cargo build --release -p server
//! cargo run --release -p server --example alert_load -- \
//!     [--instances 10000] [--rules 100] [--every-s 15] [--seconds 60]
//! ```
//!
//! The series are `alert.temp{group="g<k>",device="d<n>"}`, with ten
//! minutes of history at 0.1 Hz, and a writer keeps adding a point to
//! every series each 10 s throughout (in both stretches, so the
//! difference is the alerting). With `--rules` equal to `--instances`
//! each rule watches one series by key; otherwise each rule selects one
//! group (`alert.temp{group="g<k>"}`) and has one instance per series.
//! Every rule averages a 5-minute window against warning and critical
//! thresholds. Reported: CPU per stretch as a share of one core, the
//! evaluations done, the rounds' mean time, and the instances by state,
//! read from `/metrics`. Loopback only; every run stops by itself.

#[path = "support/loopback.rs"]
mod loopback;

use loopback::{cpu_seconds, rss_kib, start, token, Connection};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const STEP_MS: i64 = 10_000;
const HISTORY_MS: i64 = 600_000;
/// Lines per write request.
const BATCH: usize = 5_000;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str, default: usize| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1)?.parse().ok())
            .unwrap_or(default)
    };
    let instances = flag("--instances", 10_000);
    let rules = flag("--rules", 100).clamp(1, instances);
    let every_s = flag("--every-s", 15);
    let seconds = flag("--seconds", 60) as u64;
    let bin = std::env::var("SENSORBOARD_BIN").unwrap_or_else(|_| "target/release/sensorboard".into());
    let dir = std::env::temp_dir().join(format!("sensorboard-alert-load-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("data folder");
    let admin = token(&bin, &dir, "admin");
    let (mut server, addr) = start(&bin, &dir, &[]);
    let pid = server.id();
    let groups = rules.min(instances);
    let per_group = instances.div_ceil(groups);
    println!("{instances} instances in {rules} rules every {every_s} s, {seconds} s per stretch, server {bin}");

    let now = now_ms();
    let mut conn = Connection::open(&addr).with_token(&admin);
    let mut t = now - HISTORY_MS;
    while t <= now {
        write_tick(&mut conn, instances, per_group, t);
        t += STEP_MS;
    }

    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (addr, admin, stop) = (addr.clone(), admin.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut conn = Connection::open(&addr).with_token(&admin);
            let mut next = Instant::now();
            while !stop.load(Ordering::Relaxed) {
                write_tick(&mut conn, instances, per_group, now_ms());
                next += Duration::from_millis(STEP_MS as u64);
                while Instant::now() < next && !stop.load(Ordering::Relaxed) {
                    std::thread::sleep(Duration::from_millis(100));
                }
            }
        })
    };

    let quiet = stretch(pid, seconds);
    // Idle longer than the server's keep-alive: connect again.
    let mut conn = Connection::open(&addr).with_token(&admin);
    for r in 0..rules {
        let watch = if rules == instances {
            format!(
                r#""series": "alert.temp{{device=\"d{r}\",group=\"g{}\"}}""#,
                r / per_group
            )
        } else {
            format!(r#""select": "alert.temp{{group=\"g{r}\"}}""#)
        };
        let body = format!(
            r#"{{"name": "rule {r}", {watch}, "reducer": "avg", "window": "5m", "direction": "above",
               "warning": 90, "critical": 95, "every": "{every_s}s"}}"#
        );
        let (status, answer) = conn.post("/api/v1/alerts/rules", body.as_bytes());
        assert_eq!(status, 201, "{answer}");
    }
    // The first round evaluates every rule at once; measure from the next.
    std::thread::sleep(Duration::from_secs(2));
    let before = figures(&mut conn);
    let alerting = stretch(pid, seconds);
    let after = figures(&mut Connection::open(&addr).with_token(&admin));
    stop.store(true, Ordering::Relaxed);
    let _ = writer.join();

    let evaluations = after.evaluations - before.evaluations;
    let rounds = (after.rounds - before.rounds).max(1);
    let round_ms = (after.round_us - before.round_us) / rounds / 1_000;
    println!("| stretch | server CPU s | share of one core |");
    println!("| --- | --- | --- |");
    println!(
        "| writes only | {:.2} | {:.1} % |",
        quiet,
        100.0 * quiet / seconds as f64
    );
    println!(
        "| writes + alerting | {:.2} | {:.1} % |",
        alerting,
        100.0 * alerting / seconds as f64
    );
    println!(
        "alerting: {:.1} % of one core; {evaluations} rule evaluations ({:.0} instance evaluations/s) in rounds of {round_ms} ms mean; instances {}; server RSS {} MiB",
        100.0 * (alerting - quiet) / seconds as f64,
        evaluations as f64 * (instances / rules) as f64 / seconds as f64,
        after.instances,
        rss_kib(pid) / 1024,
    );
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&dir);
}

/// The server's CPU seconds over `seconds` of wall time.
fn stretch(pid: u32, seconds: u64) -> f64 {
    let before = cpu_seconds(pid);
    std::thread::sleep(Duration::from_secs(seconds));
    cpu_seconds(pid) - before
}

/// One point for every series at `t`, in batches of line protocol.
fn write_tick(conn: &mut Connection, instances: usize, per_group: usize, t: i64) {
    let mut lines = String::new();
    for d in 0..instances {
        let v = 20.0 + (d % 10) as f64 + (t / STEP_MS % 7) as f64 * 0.1;
        lines.push_str(&format!("alert,group=g{},device=d{d} temp={v} {t}\n", d / per_group));
        if (d + 1) % BATCH == 0 || d + 1 == instances {
            let (status, answer) = conn.post("/write?db=load&precision=ms", lines.as_bytes());
            assert_eq!(status, 204, "{answer}");
            lines.clear();
        }
    }
}

struct Figures {
    evaluations: u64,
    rounds: u64,
    round_us: u64,
    instances: String,
}

fn figures(conn: &mut Connection) -> Figures {
    let text = conn.get("/metrics");
    let value = |name: &str| -> u64 {
        text.lines()
            .find(|l| l.starts_with(name) && l[name.len()..].starts_with(' '))
            .and_then(|l| l.rsplit(' ').next()?.parse().ok())
            .unwrap_or(0)
    };
    let instances = text
        .lines()
        .filter(|l| l.starts_with("sensorboard_alert_instances{"))
        .filter_map(|l| {
            let state = l.split('"').nth(1)?;
            let n = l.rsplit(' ').next()?;
            (n != "0").then(|| format!("{state} {n}"))
        })
        .collect::<Vec<_>>()
        .join(", ");
    Figures {
        evaluations: value("sensorboard_alert_evaluations_total"),
        rounds: value("sensorboard_alert_rounds_total"),
        round_us: value("sensorboard_alert_round_microseconds_total"),
        instances,
    }
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}
