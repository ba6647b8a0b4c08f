//! Store-level figures on regular sensor data (1 Hz unless told): bytes
//! per point on disk as written (hot) and once chunks are sealed, and the
//! time to read a whole series back from the store.
//!
//! ```sh
//! cargo run --release -p server --example store_footprint -- [series] [days] [batch seconds] [flush|-] [step seconds]
//! ```
//!
//! Defaults: 4 series × 30 days at 1 Hz (10.4 M points) of thermometer-like
//! values with 0.01 resolution, written in 10-minute batches through
//! `write_batch`, then compacted as the background job does. With `flush`,
//! each batch is applied alone before the next (as when a reader of a live
//! series asks between two writes): the worst case for hot data. The database
//! lives in a temporary folder that is removed afterwards.

use server::batch::{validate_point, ValidBatch};
use server::store::Store;
use std::time::Instant;

/// The server's allocator, so that reads allocate their answers as they
/// do in the server.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const T0_MS: i64 = 1_790_000_000_000;
const READS: usize = 15;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let series: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(4);
    let days: i64 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(30);
    let batch_s: i64 = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(600).max(1);
    let flush_each = args.get(3).is_some_and(|a| a == "flush");
    let step_s: i64 = args.get(4).and_then(|a| a.parse().ok()).unwrap_or(1).max(1);
    let dir = std::env::temp_dir().join(format!("sensorboard-footprint-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let store = Store::open(&dir.join("sensorboard.db"), 2)
        .await
        .expect("open the store");

    let seconds = days * 86_400;
    let started = Instant::now();
    let mut noise = 0x2545_f491_4f6c_dd1du64;
    for from in (0..seconds).step_by(batch_s as usize) {
        let mut points = Vec::with_capacity(series * batch_s as usize);
        for s in 0..series {
            for sec in (from..(from + batch_s).min(seconds)).filter(|sec| sec % step_s == 0) {
                noise ^= noise << 13;
                noise ^= noise >> 7;
                noise ^= noise << 17;
                let wobble = (noise % 21) as f64 / 100.0 - 0.1;
                let daily = 4.0 * (sec as f64 * std::f64::consts::TAU / 86_400.0).sin();
                let v = ((20.0 + s as f64 + daily + wobble) * 100.0).round() / 100.0;
                let p = validate_point(
                    format!("room{s}.temp"),
                    Default::default(),
                    None,
                    T0_MS + sec * 1_000,
                    v,
                );
                points.push(p.expect("valid point"));
            }
        }
        store
            .write_batch(ValidBatch::new(points).expect("points"))
            .await
            .expect("write");
        if flush_each {
            store.flush().await.expect("flush");
        }
    }
    store.flush().await.expect("flush");
    let written = started.elapsed();
    // Hot: the blocks as written, before compaction merges them.
    store.checkpoint().await.expect("checkpoint");
    let hot = store.stats().await.expect("stats");
    // The compaction job's view: every window ended long ago.
    let later = server::clock::now_ms().max(T0_MS + seconds * 1_000) + 86_400_000;
    while store.compact_due(later, 256).await.expect("compact") > 0 {}
    store.checkpoint().await.expect("checkpoint");
    let stats = store.stats().await.expect("stats");
    let blob_bytes = stats.chunk_bytes;
    let points = stats.points as f64;
    println!(
        "{series} series × {days} days, a point every {step_s} s: {} points written in {:.1} s ({:.2} M points/s through write_batch)",
        stats.points,
        written.as_secs_f64(),
        points / written.as_secs_f64() / 1e6
    );
    println!(
        "| chunks | chunk data B/pt | file B/pt (in use) | file B/pt (with free pages) | 1-min buckets | 1-h buckets |"
    );
    println!("| --- | --- | --- | --- | --- | --- |");
    println!(
        "| {} | {:.2} | {:.2} | {:.2} | {} | {} |",
        stats.chunks,
        blob_bytes as f64 / points,
        (stats.file_bytes - stats.free_bytes) as f64 / points,
        stats.file_bytes as f64 / points,
        stats.minute_buckets,
        stats.hour_buckets
    );

    println!(
        "hot, before compaction: {} chunks, file B/pt (in use) {:.2}",
        hot.chunks,
        (hot.file_bytes - hot.free_bytes) as f64 / hot.points as f64
    );
    let to = T0_MS + seconds * 1_000;
    let mut times = Vec::with_capacity(READS);
    let mut read = 0;
    for _ in 0..READS {
        let started = Instant::now();
        read = store
            .read(move |reader| {
                let id = reader.series("room0.temp")?.map_or(0, |s| s.id);
                Ok(reader.points(id, T0_MS, to)?.len())
            })
            .await
            .expect("read");
        times.push(started.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "read one series, {days} days ({read} points): p50 {:.1} ms, min {:.1} ms, max {:.1} ms over {READS} reads",
        times[READS / 2],
        times[0],
        times[READS - 1]
    );
    drop(store);
    let _ = std::fs::remove_dir_all(&dir);
}
