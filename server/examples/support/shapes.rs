//! The loads the ingest tool replays, as line protocol prepared before the
//! clock starts (the peers were measured replaying a prepared payload, not
//! formatting one).

use std::fmt::Write as _;

const T0_S: i64 = 1_795_428_000;

/// A prepared load: every batch's body and point count, and how to find
/// its series again.
pub struct Load {
    pub title: String,
    pub bodies: Vec<String>,
    pub points: Vec<usize>,
    /// A substring of every key of the load's series (the measurement).
    pub series_filter: &'static str,
}

impl Load {
    pub fn sent(&self) -> u64 {
        self.points.iter().sum::<usize>() as u64
    }
}

/// Few long series: `series` sensors with `points` 1 Hz points each, every
/// 5,000-line batch holding consecutive points of all of them (as a
/// collector flushing all its sensors does).
pub struct Long {
    pub series: usize,
    pub points: usize,
}

impl Long {
    const BATCH_LINES: usize = 5_000;

    pub fn load(&self) -> Load {
        let per_batch = (Self::BATCH_LINES / self.series).max(1);
        let batches = self.points.div_ceil(per_batch);
        let bodies = on_all_cores(batches, |b| self.body(b * per_batch, per_batch));
        let points = (0..batches)
            .map(|b| self.series * (self.points.min((b + 1) * per_batch) - b * per_batch))
            .collect();
        Load {
            title: format!(
                "{} series × {} points, {}-line batches",
                self.series,
                self.points,
                Self::BATCH_LINES
            ),
            bodies,
            points,
            series_filter: "sensor.value{",
        }
    }

    /// `per_batch` consecutive points, from point `from` on, of every series.
    fn body(&self, from: usize, per_batch: usize) -> String {
        let mut body = String::with_capacity(Self::BATCH_LINES * 48);
        for s in 0..self.series {
            for i in from..(from + per_batch).min(self.points) {
                let v = 20.0 + ((i * 7 + s * 13) % 1000) as f64 / 100.0;
                let _ = writeln!(body, "sensor,id=s{s} value={v} {}", (T0_S + i as i64) * 1_000_000_000);
            }
        }
        body
    }
}

/// A fleet: `devices` devices of `fields` fields each, one line per device
/// per tick of `step_s` seconds holding all its fields (as Telegraf sends),
/// `ticks` ticks in order, 250-line batches.
pub struct Wide {
    pub devices: usize,
    pub fields: usize,
    pub step_s: i64,
    pub ticks: usize,
}

impl Wide {
    const BATCH_LINES: usize = 250;
    const SITES: usize = 10;

    pub fn load(&self) -> Load {
        let per_tick = self.devices.div_ceil(Self::BATCH_LINES);
        let batches = per_tick * self.ticks;
        let bodies = on_all_cores(batches, |b| self.body(b / per_tick, b % per_tick));
        let points = (0..batches)
            .map(|b| {
                let first = (b % per_tick) * Self::BATCH_LINES;
                (self.devices.min(first + Self::BATCH_LINES) - first) * self.fields
            })
            .collect();
        Load {
            title: format!(
                "wide: {} devices × {} fields = {} series, a point each per {} s tick, {} ticks, {}-line batches",
                self.devices,
                self.fields,
                self.devices * self.fields,
                self.step_s,
                self.ticks,
                Self::BATCH_LINES
            ),
            bodies,
            points,
            series_filter: "fleet.f",
        }
    }

    /// The lines of the `part`th 250 devices at `tick`: sensor-like values
    /// with two decimals that wander a little from tick to tick.
    fn body(&self, tick: usize, part: usize) -> String {
        let mut body = String::with_capacity(Self::BATCH_LINES * (40 + self.fields * 10));
        let t_ns = (T0_S + tick as i64 * self.step_s) * 1_000_000_000;
        let first = part * Self::BATCH_LINES;
        for d in first..self.devices.min(first + Self::BATCH_LINES) {
            let _ = write!(body, "fleet,site=s{},device=d{d:05} ", d % Self::SITES);
            for f in 0..self.fields {
                let wander = ((tick * 7 + d * 13 + f * 31) % 41) as f64 / 100.0;
                let v = 10.0 * (f % 7) as f64 + (d % 50) as f64 / 10.0 + wander;
                let sep = if f + 1 == self.fields { ' ' } else { ',' };
                let _ = write!(body, "f{f}={v:.2}{sep}");
            }
            let _ = writeln!(body, "{t_ns}");
        }
        body
    }
}

/// `make(i)` for every `i < n`, formatted on all cores, in order.
fn on_all_cores(n: usize, make: impl Fn(usize) -> String + Sync) -> Vec<String> {
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let share = n.div_ceil(threads).max(1);
    let mut out = vec![String::new(); n];
    std::thread::scope(|scope| {
        for (part, slots) in out.chunks_mut(share).enumerate() {
            let make = &make;
            scope.spawn(move || {
                for (i, slot) in slots.iter_mut().enumerate() {
                    *slot = make(part * share + i);
                }
            });
        }
    });
    out
}
