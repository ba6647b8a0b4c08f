//! Downsampling kernel throughput, input points per second on one core:
//! LTTB and min-max buckets, each to 1,000 points.
//! Run: `cargo bench -p app --bench lttb`

use app::domain::{downsample_lttb, downsample_minmax, lttb_select};
use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

/// A 1 Hz random walk with a few spikes, like a real sensor.
fn series(n: usize) -> Vec<(i64, f64)> {
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut v = 20.0;
    (0..n)
        .map(|i| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            v += (state % 1000) as f64 / 1000.0 - 0.5;
            let spike = if state.is_multiple_of(50_000) { 100.0 } else { 0.0 };
            (1_795_428_000_000 + i as i64 * 1000, v + spike)
        })
        .collect()
}

fn kernel(c: &mut Criterion) {
    let mut group = c.benchmark_group("lttb");
    group.sample_size(20);
    for n in [1_000_000, 10_000_000] {
        let data = series(n);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("select_to_1000", n), &data, |b, data| {
            b.iter(|| {
                let mut last = 0;
                lttb_select(black_box(data), 1000, |i| last = i).unwrap();
                last
            })
        });
        group.bench_with_input(BenchmarkId::new("collect_1000", n), &data, |b, data| {
            b.iter(|| downsample_lttb(black_box(data), 1000).unwrap())
        });
    }
    group.finish();
}

fn minmax(c: &mut Criterion) {
    let mut group = c.benchmark_group("minmax");
    group.sample_size(20);
    for n in [1_000_000, 10_000_000] {
        let data = series(n);
        let (from, to) = (data[0].0, data[n - 1].0);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("collect_1000", n), &data, |b, data| {
            b.iter(|| downsample_minmax(black_box(data), from, to, 1000))
        });
    }
    group.finish();
}

criterion_group!(benches, kernel, minmax);
criterion_main!(benches);
