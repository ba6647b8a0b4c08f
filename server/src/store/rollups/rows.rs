//! Writing rollup rows: replacing a bucket with a recomputed summary, or
//! folding in the summary of points that fell into a gap of the bucket.

use super::StoreError;
use app::domain::{RollupTier, Summary, MINUTE_MS};
use rusqlite::types::Value;
use rusqlite::{params_from_iter, Transaction};
use std::sync::LazyLock;

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
                last_v = CASE WHEN ?10 THEN last_v ELSE excluded.last_v END
             RETURNING count"
        )
    };
}

/// Sets the bucket starting at `bucket` to `s`, the summary of all its points.
pub fn replace(tx: &Transaction, tier: RollupTier, series: i64, bucket: i64, s: &Summary) -> Result<(), StoreError> {
    let sql = match tier {
        RollupTier::Minute => replace_sql!("rollup_1m"),
        RollupTier::Hour => replace_sql!("rollup_1h"),
    };
    tx.prepare_cached(sql)?
        .execute(params_from_iter(row(series, bucket, s)))?;
    Ok(())
}

/// A rollup row's columns, in the order every statement here binds them.
fn row(series: i64, bucket: i64, s: &Summary) -> [Value; 8] {
    [
        Value::Integer(series),
        Value::Integer(bucket),
        Value::Integer(s.count as i64),
        Value::Real(s.min),
        Value::Real(s.max),
        Value::Real(s.sum),
        Value::Real(s.first),
        Value::Real(s.last),
    ]
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

impl Placement {
    /// No stored point of the bucket lies around the added ones.
    pub const ALONE: Placement = Placement {
        stored_before: false,
        stored_after: false,
    };
}

/// Adds `s`, the summary of points new to the bucket, to the stored row;
/// returns the bucket's count after.
pub fn merge(
    tx: &Transaction,
    tier: RollupTier,
    series: i64,
    bucket: i64,
    s: &Summary,
    at: Placement,
) -> Result<u64, StoreError> {
    let sql = match tier {
        RollupTier::Minute => merge_sql!("rollup_1m"),
        RollupTier::Hour => merge_sql!("rollup_1h"),
    };
    let placed = [Value::from(at.stored_before), Value::from(at.stored_after)];
    let count: i64 = tx.prepare_cached(sql)?.query_row(
        params_from_iter(row(series, bucket, s).into_iter().chain(placed)),
        |r| r.get(0),
    )?;
    Ok(count.max(0) as u64)
}

/// Writes the minute rows of an hour from `points`, all of that hour's
/// points: when the hour grows past [`super::SPARSE_HOUR_POINTS`]. A row
/// already there summarises points no longer kept (written before sparse
/// hours went without rows, its points since expired): it is added to.
pub fn minutes_of_hour(tx: &Transaction, series: i64, points: &[(i64, f64)]) -> Result<(), StoreError> {
    let rows: Vec<(i64, Summary)> = app::domain::touched_buckets(points.iter().map(|p| p.0), MINUTE_MS)
        .into_iter()
        .filter_map(|bucket| {
            Some((
                bucket,
                Summary::of(app::domain::bucket_slice(points, bucket, MINUTE_MS))?,
            ))
        })
        .collect();
    merge_alone(tx, series, &rows)
}

/// Adds the summaries of points new to their 1-minute buckets, which hold
/// no stored point around them (the buckets inside a run of new points),
/// many rows per statement: a run of an hour's points touches 60 buckets,
/// and a statement's own cost (lookup, binding, reset) is most of a
/// one-row upsert's.
pub fn merge_alone(tx: &Transaction, series: i64, rows: &[(i64, Summary)]) -> Result<(), StoreError> {
    let mut rest = rows;
    for (size, sql) in [(16, &*MERGE_16_SQL), (4, &*MERGE_4_SQL)] {
        while rest.len() >= size {
            let (now, later) = rest.split_at(size);
            let values = now.iter().flat_map(|(bucket, s)| row(series, *bucket, s));
            tx.prepare_cached(sql)?.execute(params_from_iter(values))?;
            rest = later;
        }
    }
    for (bucket, s) in rest {
        merge(tx, RollupTier::Minute, series, *bucket, s, Placement::ALONE)?;
    }
    Ok(())
}

static MERGE_16_SQL: LazyLock<String> = LazyLock::new(|| merge_alone_sql(16));
static MERGE_4_SQL: LazyLock<String> = LazyLock::new(|| merge_alone_sql(4));

/// [`merge_sql`] for `rows` buckets with no stored point around the new
/// ones, so the new first and last values win.
fn merge_alone_sql(rows: usize) -> String {
    let values = vec!["(?, ?, ?, ?, ?, ?, ?, ?)"; rows].join(", ");
    format!(
        "INSERT INTO rollup_1m (series_id, bucket_t, count, min, max, sum, first_v, last_v) VALUES {values}
         ON CONFLICT (series_id, bucket_t) DO UPDATE SET
            count = count + excluded.count, min = min(min, excluded.min), max = max(max, excluded.max),
            sum = sum + excluded.sum, first_v = excluded.first_v, last_v = excluded.last_v"
    )
}
