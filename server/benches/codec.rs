//! Chunk codec: encode and decode speed (points/s) and size (bytes/point)
//! on one hour of 1 Hz data of three kinds. Run: `cargo bench -p server --bench codec`

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use server::store::codec::{decode_into, encode};

const T0: i64 = 1_795_428_000_000;
const N: i64 = 3_600;

fn noise(i: i64) -> f64 {
    ((i.wrapping_mul(2_654_435_761) >> 7) % 2001) as f64 / 1000.0 - 1.0
}

/// (name, points): a 0.01 °C thermometer, full-precision noise, values
/// computed in floating point, a counter.
fn datasets() -> Vec<(&'static str, Vec<(i64, f64)>)> {
    let at = |f: &dyn Fn(i64) -> f64| (0..N).map(|i| (T0 + i * 1000, f(i))).collect::<Vec<_>>();
    vec![
        (
            "sensor_0.01",
            at(&|i| ((21.0 + 2.0 * (i as f64 / 900.0).sin() + 0.05 * noise(i)) * 100.0).round() / 100.0),
        ),
        ("noisy_f64", at(&|i| 20.0 + noise(i) * std::f64::consts::PI)),
        // As `ingest_load` sends: computed in floating point, so about one
        // value in ten is no exact decimal (20.069999999999997).
        ("computed_0.01", at(&|i| 20.0 + ((i * 7) % 1000) as f64 / 100.0)),
        ("counter", at(&|i| (i * 3 + i % 7) as f64)),
    ]
}

fn codec(c: &mut Criterion) {
    let mut group = c.benchmark_group("codec");
    for (name, points) in datasets() {
        let bytes = encode(&points);
        println!(
            "codec/{name}: {:.2} bytes/point",
            bytes.len() as f64 / points.len() as f64
        );
        group.throughput(Throughput::Elements(points.len() as u64));
        group.bench_with_input(BenchmarkId::new("encode", name), &points, |b, p| {
            b.iter(|| encode(black_box(p)))
        });
        let mut out = Vec::with_capacity(points.len());
        group.bench_with_input(BenchmarkId::new("decode", name), &bytes, |b, bytes| {
            b.iter(|| {
                out.clear();
                decode_into(black_box(bytes), &mut out).unwrap();
                out.len()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, codec);
criterion_main!(benches);
