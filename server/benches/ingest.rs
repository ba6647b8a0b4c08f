//! Ingest without HTTP: line-protocol parsing (lines/s), rollup summaries,
//! and a store write (log commit, then the apply that updates chunks and
//! rollups) of 5,000-point batches. Run: `cargo bench -p server --bench ingest`

use app::domain::{bucket_slice, touched_buckets, Summary, MINUTE_MS};
use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use server::batch::{ValidBatch, ValidPoint};
use server::ingest::{parse_line_batch, LineRules, LineShapes, Precision};
use server::store::Store;
use std::fmt::Write as _;

const T0_S: i64 = 1_795_428_000;
const SERIES: usize = 100;
const PER_SERIES: usize = 50;

/// 5,000 lines: 50 consecutive seconds of 100 series, as `ingest_load` sends.
fn body(batch: usize) -> String {
    let mut body = String::with_capacity(SERIES * PER_SERIES * 48);
    for s in 0..SERIES {
        for i in batch * PER_SERIES..(batch + 1) * PER_SERIES {
            let v = 20.0 + ((i * 7 + s * 13) % 1000) as f64 / 100.0;
            let _ = writeln!(body, "sensor,id=s{s} value={v} {}", (T0_S + i as i64) * 1_000_000_000);
        }
    }
    body
}

fn parse(c: &mut Criterion) {
    let text = body(0);
    let mut group = c.benchmark_group("line_protocol");
    group.throughput(Throughput::Elements((SERIES * PER_SERIES) as u64));
    group.bench_function("parse_5000_lines", |b| {
        b.iter(|| {
            let shapes = LineShapes::default();
            parse_line_batch(
                black_box(&text),
                Precision::Nanoseconds,
                0,
                LineRules::default(),
                &shapes,
            )
        })
    });
    group.finish();
}

fn rollup(c: &mut Criterion) {
    let hour: Vec<(i64, f64)> = (0..3_600).map(|i| (T0_S * 1000 + i * 1000, (i % 97) as f64)).collect();
    let mut group = c.benchmark_group("rollup");
    group.throughput(Throughput::Elements(hour.len() as u64));
    group.bench_function("minute_summaries_of_an_hour", |b| {
        b.iter(|| {
            touched_buckets(black_box(&hour).iter().map(|p| p.0), MINUTE_MS)
                .into_iter()
                .filter_map(|m| Summary::of(bucket_slice(&hour, m, MINUTE_MS)))
                .count()
        })
    });
    group.finish();
}

fn store_write(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let store = rt
        .block_on(Store::open(&dir.path().join("bench.db"), 1))
        .expect("store");
    let batches: Vec<_> = (0..20)
        .map(|b| {
            parse_line_batch(
                &body(b),
                Precision::Nanoseconds,
                0,
                LineRules::default(),
                &LineShapes::default(),
            )
            .expect("valid")
            .batch
        })
        .collect();
    let mut round = 0i64;
    let mut group = c.benchmark_group("store");
    group.sample_size(10);
    group.throughput(Throughput::Elements((batches.len() * SERIES * PER_SERIES) as u64));
    // Twenty batches written and applied; each round's data is newer, so
    // every round appends rather than rewrites.
    group.bench_function("write_and_apply_20_batches_of_5000", |b| {
        b.iter_batched(
            || {
                round += 1;
                shifted(&batches, round * 20 * PER_SERIES as i64 * 1000)
            },
            |shifted| {
                rt.block_on(async {
                    for batch in shifted {
                        store.write_batch(batch).await.expect("write");
                    }
                    store.flush().await.expect("flush");
                })
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

/// The batches moved `shift_ms` later, so each round appends new data.
fn shifted(batches: &[ValidBatch], shift_ms: i64) -> Vec<ValidBatch> {
    batches
        .iter()
        .map(|batch| {
            let points = batch.series().iter().flat_map(|s| {
                s.points.iter().map(move |&(t, v)| ValidPoint {
                    key: s.key.clone(),
                    unit: None,
                    t: t + shift_ms,
                    v,
                })
            });
            ValidBatch::new(points.collect()).expect("points")
        })
        .collect()
}

criterion_group!(benches, parse, rollup, store_write);
criterion_main!(benches);
