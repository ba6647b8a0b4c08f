//! What the hover crosshair shows at a time: for each series, the point
//! nearest to it, and when the answer was reduced to min-max buckets, the
//! lowest and highest value of that point's bucket.

use crate::domain::{bucket_extent, nearest_index};
use crate::model::{Agg, QueryResult};

/// The crosshair's reading across a panel's series.
#[derive(Debug, Clone, PartialEq)]
pub struct Readout {
    /// Time of the nearest point of the first series that has one.
    pub t: i64,
    pub rows: Vec<ReadoutRow>,
}

/// One series' reading.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadoutRow {
    /// Position of the series in the panel (its colour).
    pub n: usize,
    pub series: String,
    pub t: i64,
    pub value: f64,
    /// Min and max of the bucket, when the answer is bucketed and they differ.
    pub extent: Option<(f64, f64)>,
}

/// The reading at time `t` of `results` (one slot per series; `None` for
/// a series whose query failed).
pub fn readout(results: &[Option<&QueryResult>], t: i64) -> Option<Readout> {
    let rows: Vec<ReadoutRow> = results
        .iter()
        .enumerate()
        .filter_map(|(n, r)| {
            let r = (*r)?;
            let (pt, value) = r.points[nearest_index(&r.points, t)?];
            let extent = min_max_grid(r)
                .and_then(|w| bucket_extent(&r.points, pt, w))
                .filter(|(lo, hi)| lo < hi);
            Some(ReadoutRow {
                n,
                series: r.series.clone(),
                t: pt,
                value,
                extent,
            })
        })
        .collect();
    Some(Readout {
        t: rows.first()?.t,
        rows,
    })
}

/// The grid of a min-max answer, whose buckets hold a low and a high point.
fn min_max_grid(r: &QueryResult) -> Option<i64> {
    matches!(r.agg, Agg::Auto | Agg::Minmax).then_some(r.bucket).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{downsample_minmax, grid_for};
    use crate::model::Stats;

    fn answer(series: &str, raw: &[(i64, f64)], points: usize) -> QueryResult {
        let (from, to) = (0, 10_000);
        QueryResult {
            series: series.into(),
            unit: None,
            from,
            to,
            resolution: "raw".into(),
            rows_read: raw.len() as u64,
            agg: Agg::Auto,
            points: downsample_minmax(raw, from, to, points),
            bucket: (raw.len() > points).then(|| grid_for(from, to, points, 1)),
            stats: Stats {
                count: raw.len() as u64,
                ..Stats::default()
            },
            matched: None,
            lines: Vec::new(),
            more: 0,
        }
    }

    #[test]
    fn a_bucketed_answer_reads_its_bucket_extent() {
        // 10,001 points, one a spike, reduced to 100 points (49 buckets).
        let raw: Vec<(i64, f64)> = (0..=10_000)
            .map(|t| (t, if t == 5_000 { 99.0 } else { (t % 7) as f64 }))
            .collect();
        let r = answer("a", &raw, 100);
        let got = readout(&[Some(&r)], 5_000).unwrap();
        assert_eq!(got.rows.len(), 1);
        let row = &got.rows[0];
        assert_eq!((row.series.as_str(), row.n), ("a", 0));
        assert_eq!(row.extent.map(|e| e.1), Some(99.0), "the spike's bucket: {row:?}");
        assert_eq!(row.extent.map(|e| e.0), Some(0.0));
    }

    #[test]
    fn an_unreduced_answer_reads_exact_points_only() {
        let raw = [(1_000, 1.0), (2_000, 2.0), (3_000, 3.0)];
        let r = answer("b", &raw, 100);
        let got = readout(&[None, Some(&r)], 2_400).unwrap();
        assert_eq!(got.t, 2_000);
        assert_eq!(got.rows[0].n, 1, "the failed first series keeps its colour slot");
        assert_eq!((got.rows[0].value, got.rows[0].extent), (2.0, None));
    }

    #[test]
    fn nothing_to_read_is_none() {
        let empty = answer("c", &[], 100);
        assert_eq!(readout(&[Some(&empty)], 5), None);
        assert_eq!(readout(&[], 5), None);
    }
}
