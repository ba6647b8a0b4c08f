//! Query load: starts a fresh sensorboard server, loads one 30-day 1 Hz
//! series (2.6 M points) and 100 one-day series over HTTP, then times
//! queries from a keep-alive loopback client and reports p50/p95/p99.
//!
//! ```sh
//! cargo build --release -p server
//! cargo run --release -p server --example query_load -- [rounds]
//! ```
//!
//! Scenarios, `rounds` requests each (default 300), first with the result
//! cache on, then after restarting the server on the same data with
//! `--query-cache-mb 0`: the 30-day series to 1,000 points as the planner
//! chooses; the same from raw points (`resolution=raw`, a tenth of the
//! rounds, uncached only); an 8-panel `POST /api/v1/query/batch` over 30
//! days; and polls that send the answer's `ETag` back and get `304`.
//! Times are client-side, so they include HTTP on loopback. Right after
//! the restart, the 30-day series is exported as CSV and as JSON, with the
//! server's peak memory after each. Loopback only; stops by itself.

#[path = "support/loopback.rs"]
mod loopback;

use loopback::{peak_rss_kib, start, write_token, Answer, Connection};
use std::fmt::Write as _;
use std::time::{Duration, Instant};

const DAY_S: i64 = 86_400;
const LONG_DAYS: i64 = 30;
const SHORT_SERIES: usize = 100;

/// The start of the 30 days: the start of the day 29 days ago, so that
/// the data (which runs to the end of today) lies within the default
/// 30-day raw retention when the server restarts.
fn t0_s() -> i64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    (now / DAY_S - (LONG_DAYS - 1)) * DAY_S
}

fn main() {
    let rounds: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(300);
    let bin = std::env::var("SENSORBOARD_BIN").unwrap_or_else(|_| "target/release/sensorboard".into());
    let dir = std::env::temp_dir().join(format!("sensorboard-query-load-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let token = write_token(&bin, &dir);
    let (mut server, addr) = start(&bin, &dir, &[]);
    let mut conn = Connection::open(&addr).with_token(&token);
    let loaded = Instant::now();
    load(&mut conn);
    println!(
        "loaded {} points in {:.1} s; server {bin}",
        LONG_DAYS * DAY_S + SHORT_SERIES as i64 * DAY_S / 10,
        loaded.elapsed().as_secs_f64()
    );
    // Let the background job seal and compact what was just written.
    std::thread::sleep(Duration::from_secs(15));

    let to_ms = (t0_s() + LONG_DAYS * DAY_S) * 1000 - 1;
    let single = format!(
        "/api/v1/query?series=long.temp&from={}&to={to_ms}&points=1000",
        t0_s() * 1000
    );
    let raw = format!("{single}&resolution=raw");
    let panels = eight_panels(to_ms);
    let batch = |c: &mut Connection, tag: Option<&str>| c.send("POST", "/api/v1/query/batch", tag, panels.as_bytes());

    println!("| query | cache | resolution | p50 | p95 | p99 |");
    println!("| --- | --- | --- | --- | --- | --- |");
    report(
        "30 days → 1,000 points",
        "hit",
        &mut conn,
        rounds,
        Poll::Fresh,
        get(&single),
    );
    report("8-panel batch, 30 days", "hit", &mut conn, rounds, Poll::Fresh, batch);
    report(
        "30 days → 1,000 points, `If-None-Match`",
        "hit",
        &mut conn,
        rounds,
        Poll::Revalidate,
        get(&single),
    );
    report(
        "8-panel batch, `If-None-Match`",
        "hit",
        &mut conn,
        rounds,
        Poll::Revalidate,
        batch,
    );
    println!("server peak RSS, cache on: {} MiB", peak_rss_kib(server.id()) / 1024);
    let _ = server.kill();
    let _ = server.wait();

    let (mut server, addr) = start(&bin, &dir, &["--query-cache-mb", "0"]);
    let mut conn = Connection::open(&addr);
    println!("server RSS after a restart: {} MiB", peak_rss_kib(server.id()) / 1024);
    export(&mut conn, server.id(), to_ms);
    report(
        "30 days → 1,000 points",
        "off",
        &mut conn,
        rounds,
        Poll::Fresh,
        get(&single),
    );
    report(
        "30 days → 1,000 points, raw",
        "off",
        &mut conn,
        (rounds / 10).max(5),
        Poll::Fresh,
        get(&raw),
    );
    report("8-panel batch, 30 days", "off", &mut conn, rounds, Poll::Fresh, batch);
    report(
        "8-panel batch, `If-None-Match`",
        "off",
        &mut conn,
        rounds,
        Poll::Revalidate,
        batch,
    );
    println!("server peak RSS, cache off: {} MiB", peak_rss_kib(server.id()) / 1024);
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&dir);
}

/// Eight panels over the whole 30 days: the long series and seven short ones.
/// Downloads the 30-day series as CSV and as JSON (streamed), and reports
/// the time, the size, and the server's peak memory afterwards.
fn export(conn: &mut Connection, pid: u32, to_ms: i64) {
    for format in ["csv", "json"] {
        let path = format!(
            "/api/v1/series/long.temp/export?from={}&to={to_ms}&format={format}",
            t0_s() * 1000
        );
        let sent = Instant::now();
        let answer = conn.send("GET", &path, None, b"");
        let took = sent.elapsed().as_secs_f64();
        assert_eq!(answer.status, 200, "export failed: {:.200}", answer.body);
        let rows = match format {
            "csv" => answer.body.lines().count() - 1,
            _ => answer.body.matches("],[").count() + 1,
        };
        assert_eq!(rows as i64, LONG_DAYS * DAY_S, "every point exported");
        println!(
            "export {format}: {rows} points, {:.1} MB in {took:.2} s ({:.1} M points/s); server peak RSS since start {} MiB",
            answer.body.len() as f64 / 1e6,
            rows as f64 / took / 1e6,
            peak_rss_kib(pid) / 1024
        );
    }
}

/// A GET of `path`, revalidating with `tag` when given.
fn get(path: &str) -> impl Fn(&mut Connection, Option<&str>) -> Answer + '_ {
    move |c, tag| c.send("GET", path, tag, b"")
}

fn eight_panels(to_ms: i64) -> String {
    let mut panels = String::from("{\"queries\":[");
    for p in 0..8 {
        let series = if p == 0 {
            "long.temp".to_owned()
        } else {
            format!("short.temp{{id=\"s{p}\"}}")
        };
        let _ = write!(
            panels,
            "{}{{\"series\":{},\"from\":{},\"to\":{to_ms},\"points\":1000}}",
            if p == 0 { "" } else { "," },
            serde_json::to_string(&series).expect("json"),
            t0_s() * 1000
        );
    }
    panels.push_str("]}");
    panels
}

/// The 30-day series in 5,000-line batches, then 100 one-day series at
/// one point every 10 s, as line protocol with second precision.
fn load(conn: &mut Connection) {
    let t0 = t0_s();
    let mut body = String::with_capacity(5_000 * 40);
    let flush = |conn: &mut Connection, body: &mut String| {
        let (status, answer) = conn.post("/write?db=load&precision=s", body.as_bytes());
        assert_eq!(status, 204, "load failed: {answer}");
        body.clear();
    };
    for s in 0..LONG_DAYS * DAY_S {
        let v = 20.0 + ((s * 7) % 600) as f64 / 100.0;
        let _ = writeln!(body, "long temp={v} {}", t0 + s);
        if body.len() > 5_000 * 30 {
            flush(conn, &mut body);
        }
    }
    for id in 0..SHORT_SERIES {
        for s in (0..DAY_S).step_by(10) {
            let v = 10.0 + ((s + id as i64 * 13) % 300) as f64 / 10.0;
            let _ = writeln!(body, "short,id=s{id} temp={v} {}", t0 + (LONG_DAYS - 1) * DAY_S + s);
        }
        if body.len() > 5_000 * 30 {
            flush(conn, &mut body);
        }
    }
    if !body.is_empty() {
        flush(conn, &mut body);
    }
}

/// Whether each request asks afresh or sends the last `ETag` back.
#[derive(Clone, Copy, PartialEq)]
enum Poll {
    Fresh,
    Revalidate,
}

fn report(
    name: &str,
    cache: &str,
    conn: &mut Connection,
    rounds: usize,
    poll: Poll,
    mut send: impl FnMut(&mut Connection, Option<&str>) -> Answer,
) {
    let first = send(conn, None);
    assert_eq!(first.status, 200, "unexpected answer: {:.200}", first.body);
    let resolution = first
        .body
        .split("\"resolution\":\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or("?")
        .to_owned();
    let tag = (poll == Poll::Revalidate).then(|| first.etag.clone().expect("an ETag"));
    let mut times: Vec<Duration> = (0..rounds)
        .map(|_| {
            let sent = Instant::now();
            let answer = send(conn, tag.as_deref());
            let elapsed = sent.elapsed();
            match poll {
                Poll::Fresh => assert!(
                    answer.body.contains("\"points\""),
                    "unexpected answer: {:.200}",
                    answer.body
                ),
                Poll::Revalidate => assert!(answer.status == 304 && answer.body.is_empty(), "expected 304"),
            }
            elapsed
        })
        .collect();
    times.sort();
    let pct = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)].as_secs_f64() * 1e3;
    let resolution = if poll == Poll::Revalidate {
        "304".into()
    } else {
        resolution
    };
    println!(
        "| {name} | {cache} | {resolution} | {:.3} ms | {:.3} ms | {:.3} ms |",
        pct(0.50),
        pct(0.95),
        pct(0.99)
    );
}
