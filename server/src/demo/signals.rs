//! The demo signals as pure functions of time, so a backfill written twice
//! stores the same values and tests can predict them.

use std::f64::consts::TAU;

/// A generated sensor: its series name, unit, the underlying physical
/// value at a time (ms), and the steps per unit it reports in.
pub struct Signal {
    pub name: &'static str,
    pub unit: &'static str,
    pub value: fn(i64) -> f64,
    pub per_unit: f64,
}

impl Signal {
    /// The reading at `t_ms`, rounded to the sensor's resolution as a real
    /// device reports it: 21.53 °C, not 21.5298734.
    pub fn sample(&self, t_ms: i64) -> f64 {
        ((self.value)(t_ms) * self.per_unit).round() / self.per_unit
    }
}

pub const SIGNALS: [Signal; 5] = [
    Signal {
        name: "demo.temperature",
        unit: "°C",
        value: temperature,
        per_unit: 100.0,
    },
    Signal {
        name: "demo.vibration",
        unit: "mm/s",
        value: vibration,
        per_unit: 1000.0,
    },
    Signal {
        name: "demo.pressure",
        unit: "bar",
        value: pressure,
        per_unit: 1000.0,
    },
    Signal {
        name: "demo.humidity",
        unit: "%",
        value: humidity,
        per_unit: 10.0,
    },
    Signal {
        name: "demo.power",
        unit: "W",
        value: power,
        per_unit: 10.0,
    },
];

const DAY_MS: f64 = 86_400_000.0;

/// Uniform noise in [-1, 1), a hash of the second and a per-signal seed.
fn noise(t_ms: i64, seed: u64) -> f64 {
    let mut z = (t_ms.div_euclid(1000) as u64) ^ seed.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 52) as f64 - 1.0
}

/// Position in the UTC day, 0 at midnight, rising to 1.
fn day_phase(t_ms: i64) -> f64 {
    t_ms.rem_euclid(86_400_000) as f64 / DAY_MS
}

/// Daily cycle peaking mid-afternoon, a slow multi-day drift, sensor noise.
fn temperature(t: i64) -> f64 {
    let daily = (TAU * (day_phase(t) - 0.375)).sin();
    let drift = (TAU * t as f64 / (3.3 * DAY_MS)).sin();
    19.0 + 4.0 * daily + 0.8 * drift + 0.15 * noise(t, 1)
}

/// A steady hum with one-sample spikes about twice a day: the extremes a
/// downsampled chart must not hide.
fn vibration(t: i64) -> f64 {
    let hum = 1.2 + 0.2 * (TAU * t as f64 / 90_000.0).sin() + 0.25 * noise(t, 2);
    if spike_at(t) {
        hum + 12.0 + 6.0 * noise(t, 3).abs()
    } else {
        hum
    }
}

/// True at the rare seconds where the vibration spikes.
pub fn spike_at(t: i64) -> bool {
    ((noise(t, 4) + 1.0) * 21_600.0) as i64 == 0
}

/// A regulator holding a set-point that changes every 20 minutes.
fn pressure(t: i64) -> f64 {
    let segment = t.div_euclid(1_200_000);
    let level = ((noise(segment * 1000, 5) + 1.0) * 4.5).floor();
    2.0 + (level - 4.0) * 0.05 + 0.002 * noise(t, 6)
}

/// Moves against the temperature, within 0..100 %.
fn humidity(t: i64) -> f64 {
    let daily = (TAU * (day_phase(t) - 0.375)).sin();
    (55.0 - 12.0 * daily + 1.5 * noise(t, 7)).clamp(0.0, 100.0)
}

/// Base load, a working-hours block and a compressor cycling every 10 minutes.
fn power(t: i64) -> f64 {
    let hour = day_phase(t) * 24.0;
    let shift = if (7.0..19.0).contains(&hour) { 900.0 } else { 0.0 };
    let compressor = if t.div_euclid(600_000) % 3 == 0 { 350.0 } else { 0.0 };
    420.0 + shift + compressor + 60.0 * noise(t, 8)
}

#[cfg(test)]
mod tests {
    use super::*;

    const WEEK_S: i64 = 7 * 86_400;
    const START: i64 = 1_795_428_000_000;

    #[test]
    fn values_stay_in_plausible_ranges() {
        for t in (0..WEEK_S).step_by(37).map(|s| START + s * 1000) {
            assert!((10.0..30.0).contains(&temperature(t)));
            assert!((0.0..25.0).contains(&vibration(t)));
            assert!((1.7..2.3).contains(&pressure(t)));
            assert!((0.0..=100.0).contains(&humidity(t)));
            assert!((300.0..1800.0).contains(&power(t)));
        }
    }

    #[test]
    fn spikes_are_rare_but_present() {
        let spikes = (0..WEEK_S).filter(|s| spike_at(START + s * 1000)).count();
        assert!((3..=40).contains(&spikes), "{spikes} spikes in a week");
    }

    #[test]
    fn values_have_the_sensor_resolution() {
        for s in &SIGNALS {
            let v = s.sample(START + 12_345_000);
            let text = format!("{v}");
            let decimals = text.split('.').nth(1).map_or(0, str::len);
            assert!(decimals <= 3, "{}: {text}", s.name);
        }
    }

    #[test]
    fn noise_is_deterministic_and_bounded() {
        assert_eq!(noise(START, 1), noise(START + 999, 1));
        assert!((0..100_000)
            .map(|s| noise(s * 1000, 9))
            .all(|n| (-1.0..1.0).contains(&n)));
    }
}
