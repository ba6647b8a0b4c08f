use super::*;
use proptest::prelude::*;

const T0: i64 = 1_795_428_000_000;

fn round_trip(points: &[(i64, f64)]) -> Vec<u8> {
    let bytes = encode(points);
    let back = decode(&bytes).unwrap();
    assert_eq!(back.len(), points.len());
    for (a, b) in points.iter().zip(&back) {
        assert_eq!((a.0, a.1.to_bits()), (b.0, b.1.to_bits()), "bit-exact");
    }
    bytes
}

fn per_point(bytes: &[u8], n: usize) -> f64 {
    bytes.len() as f64 / n as f64
}

/// Deterministic noise in [-1, 1).
fn noise(i: i64) -> f64 {
    ((i.wrapping_mul(2_654_435_761) >> 7) % 2001) as f64 / 1000.0 - 1.0
}

#[test]
fn empty_and_single_point_chunks() {
    assert_eq!(round_trip(&[]).len(), 2);
    round_trip(&[(T0, 21.5)]);
    round_trip(&[(0, -0.0)]);
}

#[test]
fn a_regular_sensor_at_1hz_costs_under_three_bytes_a_point() {
    // A thermometer with 0.01 °C resolution: a slow cycle plus noise.
    let points: Vec<(i64, f64)> = (0..3600)
        .map(|i| {
            let v = 21.0 + 2.0 * (i as f64 / 900.0).sin() + 0.05 * noise(i);
            (T0 + i * 1000, (v * 100.0).round() / 100.0)
        })
        .collect();
    let bytes = round_trip(&points);
    assert_eq!(
        ValueCoding::choose(points.iter().map(|p| p.1)),
        (ValueCoding::Decimal { decimals: 2 }, 0)
    );
    assert!(
        per_point(&bytes, points.len()) < 3.0,
        "{} bytes/point",
        per_point(&bytes, points.len())
    );
}

#[test]
fn counters_and_constants_are_nearly_free() {
    let counter: Vec<(i64, f64)> = (0..3600).map(|i| (T0 + i * 1000, (i * 3 + i % 7) as f64)).collect();
    assert!(per_point(&round_trip(&counter), 3600) < 1.5);
    let flat: Vec<(i64, f64)> = (0..3600).map(|i| (T0 + i * 1000, 1.0)).collect();
    assert!(per_point(&round_trip(&flat), 3600) < 0.3);
}

#[test]
fn full_precision_noise_and_odd_values_survive_bit_for_bit() {
    let noisy: Vec<(i64, f64)> = (0..1000)
        .map(|i| (T0 + i * 1000, 20.0 + noise(i) * std::f64::consts::PI))
        .collect();
    round_trip(&noisy);
    let odd = [
        (T0, f64::NAN),
        (T0 + 1, f64::INFINITY),
        (T0 + 2, -0.0),
        (T0 + 3, f64::MIN_POSITIVE),
        (T0 + 4, f64::MAX),
    ];
    round_trip(&odd);
}

#[test]
fn irregular_and_extreme_timestamps() {
    let points: Vec<(i64, f64)> = [0, 1, 1000, 1001, 86_400_000, 7_258_118_399_999]
        .iter()
        .map(|&t| (t, 1.5))
        .collect();
    round_trip(&points);
    round_trip(&[(i64::MIN, 1.0), (0, 2.0), (i64::MAX, 3.0)]);
}

#[test]
fn values_computed_in_floating_point_are_decimals_with_a_few_patches() {
    // 20.0 + k / 100 is 20.069999999999997 for k = 7: about one value in ten.
    let computed: Vec<(i64, f64)> = (0..3600)
        .map(|i| (T0 + i * 1000, 20.0 + (i % 1000) as f64 / 100.0))
        .collect();
    let (coding, patched) = ValueCoding::choose(computed.iter().map(|p| p.1));
    assert_eq!(coding, ValueCoding::Decimal { decimals: 2 });
    assert!(patched > 300, "{patched} patched");
    let bytes = round_trip(&computed);
    assert!(
        per_point(&bytes, computed.len()) < 1.5,
        "{} bytes/point",
        per_point(&bytes, computed.len())
    );

    let mut odd: Vec<(i64, f64)> = (0..64).map(|i| (T0 + i, i as f64 / 10.0)).collect();
    odd[5].1 = f64::NAN;
    odd[6].1 = -0.0;
    odd[7].1 = f64::INFINITY;
    odd[8].1 = 1e300;
    assert_eq!(
        ValueCoding::choose(odd.iter().map(|p| p.1)),
        (ValueCoding::Decimal { decimals: 1 }, 4)
    );
    round_trip(&odd);
}

#[test]
fn too_many_patches_or_an_inexact_first_value_is_xor() {
    let mostly_noise: Vec<f64> = (0..100)
        .map(|i| if i % 4 == 0 { 1.5 } else { noise(i) * 0.1234567 })
        .collect();
    assert_eq!(ValueCoding::choose(mostly_noise.iter().copied()).0, ValueCoding::Xor);
    let mut first_odd: Vec<f64> = (0..100).map(|i| i as f64).collect();
    first_odd[0] = 0.1 + 0.2;
    assert_eq!(ValueCoding::choose(first_odd.iter().copied()).0, ValueCoding::Xor);
}

#[test]
fn version_1_chunks_stay_readable() {
    let sensor: Vec<(i64, f64)> = (0..1000)
        .map(|i| (T0 + i * 1000 + i % 3, ((20.0 + noise(i)) * 100.0).round() / 100.0))
        .collect();
    let noisy: Vec<(i64, f64)> = (0..300).map(|i| (T0 + i * 997, noise(i) * 1e-3)).collect();
    for points in [&sensor[..], &noisy[..], &sensor[..1], &[]] {
        let old = v1::encode(points);
        assert_eq!(old.first(), Some(&1));
        assert_eq!(count(&old), Ok(points.len()));
        let back = decode(&old).unwrap();
        assert_eq!(bits(&back), bits(points));
    }
    // Bytes as a version 1 writer left them: 1.5 at T0, 2.25 a second later.
    let stored = [1, 2, 128, 132, 201, 253, 192, 104, 3, 172, 2, 207, 161, 130, 88];
    assert_eq!(decode(&stored).unwrap(), vec![(T0, 1.5), (T0 + 1000, 2.25)]);
}

#[test]
fn version_2_is_smaller_than_version_1() {
    let sensor: Vec<(i64, f64)> = (0..3600)
        .map(|i| (T0 + i * 1000, ((21.0 + 0.1 * noise(i)) * 100.0).round() / 100.0))
        .collect();
    let (old, new) = (v1::encode(&sensor).len(), encode(&sensor).len());
    assert!(new * 10 < old * 9, "v2 {new} bytes, v1 {old}");
}

fn bits(points: &[(i64, f64)]) -> Vec<(i64, u64)> {
    points.iter().map(|p| (p.0, p.1.to_bits())).collect()
}

#[test]
fn corrupt_input_is_an_error_not_a_panic() {
    assert_eq!(decode(&[]), Err(CodecError::Corrupt));
    assert_eq!(decode(&[9, 0]), Err(CodecError::Version(9)));
    let xor: Vec<(i64, f64)> = (0..300).map(|i| (T0 + i * 1000, noise(i))).collect();
    let decimal: Vec<(i64, f64)> = xor.iter().map(|&(t, v)| (t, (v * 100.0).round() / 100.0)).collect();
    for points in [xor, decimal] {
        let bytes = encode(&points);
        for cut in 0..bytes.len() - 1 {
            assert!(decode(&bytes[..cut]).is_err(), "truncated at {cut}");
        }
    }
    let mut huge_count = encode(&[(T0, 1.0)]);
    huge_count.splice(1..2, [0xff, 0xff, 0xff, 0x0f]);
    assert_eq!(decode(&huge_count), Err(CodecError::Corrupt));
}

proptest! {
    #[test]
    fn any_sorted_points_round_trip(
        mut times in prop::collection::btree_set(any::<i64>(), 0..200),
        bits in prop::collection::vec(any::<u64>(), 200),
        decimals in 0u32..4,
        as_decimal in any::<bool>(),
    ) {
        let times: Vec<i64> = std::mem::take(&mut times).into_iter().collect();
        let points: Vec<(i64, f64)> = times.iter().zip(&bits).map(|(&t, &b)| {
            let v = if as_decimal { (b % 2_000_001) as f64 / 10f64.powi(decimals as i32) - 1000.0 } else { f64::from_bits(b) };
            (t, v)
        }).collect();
        let back = decode(&encode(&points)).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let want: Vec<(i64, u64)> = points.iter().map(|p| (p.0, p.1.to_bits())).collect();
        let got: Vec<(i64, u64)> = back.iter().map(|p| (p.0, p.1.to_bits())).collect();
        prop_assert_eq!(got, want);
    }

    #[test]
    fn decimals_with_patches_round_trip(
        ints in prop::collection::vec(-100_000i64..100_000, 2..400),
        odd in prop::collection::vec((any::<prop::sample::Index>(), any::<u64>()), 0..40),
        decimals in 0i32..4,
    ) {
        let mut points: Vec<(i64, f64)> =
            ints.iter().enumerate().map(|(i, &n)| (T0 + i as i64 * 1000, n as f64 / 10f64.powi(decimals))).collect();
        for (at, bits) in odd {
            let i = at.index(points.len() - 1) + 1;
            points[i].1 = f64::from_bits(bits);
        }
        let back = decode(&encode(&points)).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let want: Vec<(i64, u64)> = points.iter().map(|p| (p.0, p.1.to_bits())).collect();
        let got: Vec<(i64, u64)> = back.iter().map(|p| (p.0, p.1.to_bits())).collect();
        prop_assert_eq!(got, want);
    }

    #[test]
    fn decoding_arbitrary_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let _ = decode(&bytes);
    }
}

#[test]
fn lone_values_read_back_bit_for_bit_decimals_in_a_few_bytes() {
    let cases = [
        (21.37, 3),
        (-0.5, 2),
        (0.0, 2),
        (1e6, 4),
        (-0.0, 9),
        (0.1 + 0.2, 9),
        (f64::MAX, 9),
        (f64::MIN_POSITIVE, 9),
        (f64::NAN, 9),
    ];
    for (v, size) in cases {
        let mut out = vec![7];
        write_value(&mut out, v);
        assert_eq!(out.len(), 1 + size, "{v}");
        let mut pos = 1;
        assert_eq!(read_value(&out, &mut pos).unwrap().to_bits(), v.to_bits());
        assert_eq!(pos, out.len());
        for cut in 1..out.len() {
            assert!(read_value(&out[..cut], &mut 1).is_err(), "{v} cut at {cut}");
        }
    }
    assert!(read_value(&[MAX_DECIMALS + 2, 0], &mut 0).is_err());
}
