//! Writing rollup rows: replacing a bucket with a recomputed summary, or
//! folding in the summary of points that fell into a gap of the bucket.

use super::rollup::{RollupTier, Summary};
use super::StoreError;
use rusqlite::{params, Transaction};

/// The upsert of one recomputed rollup row into `$table`.
macro_rules! replace_sql {
    ($table:literal) => {
        concat!(
            "INSERT INTO ",
            $table,
            " (series_id, bucket_t, count, min, max, sum, first_v, last_v) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (series_id, bucket_t) DO UPDATE SET
                count = excluded.count, min = excluded.min, max = excluded.max, sum = excluded.sum,
                first_v = excluded.first_v, last_v = excluded.last_v"
        )
    };
}

/// The upsert that adds points to a bucket; `?9` keeps the stored first
/// value (stored points come earlier), `?10` the stored last value.
macro_rules! merge_sql {
    ($table:literal) => {
        concat!(
            "INSERT INTO ",
            $table,
            " (series_id, bucket_t, count, min, max, sum, first_v, last_v) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (series_id, bucket_t) DO UPDATE SET
                count = count + excluded.count, min = min(min, excluded.min), max = max(max, excluded.max),
                sum = sum + excluded.sum,
                first_v = CASE WHEN ?9 THEN first_v ELSE excluded.first_v END,
                last_v = CASE WHEN ?10 THEN last_v ELSE excluded.last_v END"
        )
    };
}

/// Sets the bucket starting at `bucket` to `s`, the summary of all its points.
pub fn replace(tx: &Transaction, tier: RollupTier, series: i64, bucket: i64, s: &Summary) -> Result<(), StoreError> {
    let sql = match tier {
        RollupTier::Minute => replace_sql!("rollup_1m"),
        RollupTier::Hour => replace_sql!("rollup_1h"),
    };
    tx.prepare_cached(sql)?.execute(params![
        series,
        bucket,
        s.count as i64,
        s.min,
        s.max,
        s.sum,
        s.first,
        s.last
    ])?;
    Ok(())
}

/// Where points added to a bucket sit among the points it already holds.
/// Added points never share a time with stored ones, and no stored point
/// lies between the first and the last added one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement {
    /// The bucket holds points before the added ones.
    pub stored_before: bool,
    /// The bucket holds points after the added ones.
    pub stored_after: bool,
}

/// Adds `s`, the summary of points new to the bucket, to the stored row.
pub fn merge(
    tx: &Transaction,
    tier: RollupTier,
    series: i64,
    bucket: i64,
    s: &Summary,
    at: Placement,
) -> Result<(), StoreError> {
    let sql = match tier {
        RollupTier::Minute => merge_sql!("rollup_1m"),
        RollupTier::Hour => merge_sql!("rollup_1h"),
    };
    tx.prepare_cached(sql)?.execute(params![
        series,
        bucket,
        s.count as i64,
        s.min,
        s.max,
        s.sum,
        s.first,
        s.last,
        at.stored_before,
        at.stored_after
    ])?;
    Ok(())
}
