//! Reading the rollup tiers.

use super::{StoreError, SPARSE_HOUR_POINTS};
use crate::store::chunks::scan;
use app::domain::{bucket_slice, bucket_start, touched_buckets, RollupTier, Summary, HOUR_MS, MINUTE_MS};
use rusqlite::{params, Connection};

/// How far back each kind of data of a series goes: the oldest raw point
/// and the oldest bucket of each tier still kept (`None`: none at all).
/// Retention drops raw points first and minute buckets next, so a window
/// older than a kind's reach must be answered by a coarser one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TierReach {
    pub raw: Option<i64>,
    pub minute: Option<i64>,
    pub hour: Option<i64>,
}

/// The `tier` buckets of `series` starting in `[from, to]`, in time order.
pub fn read(conn: &Connection, tier: RollupTier, series: i64, from: i64, to: i64) -> Result<Vec<Summary>, StoreError> {
    macro_rules! select_rollup_sql {
        ($table:literal) => {
            concat!(
                "SELECT bucket_t, count, min, max, sum, first_v, last_v FROM ",
                $table,
                " WHERE series_id = ?1 AND bucket_t >= ?2 AND bucket_t <= ?3 ORDER BY bucket_t"
            )
        };
    }
    let sql = match tier {
        RollupTier::Minute => select_rollup_sql!("rollup_1m"),
        RollupTier::Hour => select_rollup_sql!("rollup_1h"),
    };
    let width = tier.width_ms();
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(params![series, from, to], |r| {
        let start: i64 = r.get(0)?;
        Ok(Summary {
            start,
            end: start + width,
            count: r.get::<_, i64>(1)?.max(0) as u64,
            min: r.get(2)?,
            max: r.get(3)?,
            sum: r.get(4)?,
            first: r.get(5)?,
            last: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The minute buckets of `series` starting in `[from, to]`, in time
/// order: the minute rows, and for sparse hours without them (see
/// `rollups`), buckets made from the hour's points.
pub fn read_minutes(conn: &Connection, series: i64, from: i64, to: i64) -> Result<Vec<Summary>, StoreError> {
    let mut rows = read(conn, RollupTier::Minute, series, from, to)?;
    let hours = read(conn, RollupTier::Hour, series, bucket_start(from, HOUR_MS), to)?;
    let mut made = false;
    for hour in hours.iter().filter(|h| h.count <= SPARSE_HOUR_POINTS) {
        let first_row = rows.partition_point(|r| r.start < hour.start);
        if rows.get(first_row).is_some_and(|r| r.start < hour.end) {
            // Minute rows written before sparse hours went without them.
            continue;
        }
        let points = scan::points(
            conn,
            series,
            hour.start.max(bucket_start(from, MINUTE_MS)),
            hour.end - 1,
        )?;
        for bucket in touched_buckets(points.iter().map(|p| p.0), MINUTE_MS) {
            if (from..=to).contains(&bucket) {
                if let Some(mut s) = Summary::of(bucket_slice(&points, bucket, MINUTE_MS)) {
                    (s.start, s.end) = (bucket, bucket + MINUTE_MS);
                    rows.push(s);
                    made = true;
                }
            }
        }
    }
    if made {
        rows.sort_unstable_by_key(|r| r.start);
    }
    Ok(rows)
}

/// How far back the raw points and each tier of `series` reach. Kept raw
/// points make minute buckets too (those of sparse hours have no rows).
pub fn reach(conn: &Connection, series: i64) -> Result<TierReach, StoreError> {
    let first = |sql: &str| -> Result<Option<i64>, StoreError> {
        Ok(conn.prepare_cached(sql)?.query_row([series], |r| r.get(0))?)
    };
    let raw = scan::oldest(conn, series)?;
    let minute_rows = first("SELECT min(bucket_t) FROM rollup_1m WHERE series_id = ?1")?;
    let from_raw = raw.map(|t| bucket_start(t, MINUTE_MS));
    Ok(TierReach {
        raw,
        minute: match (minute_rows, from_raw) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        },
        hour: first("SELECT min(bucket_t) FROM rollup_1h WHERE series_id = ?1")?,
    })
}
