//! Code steps of past migrations. Each writes the schema of its own
//! version, so it keeps working whatever later versions change; never edit.

use crate::store::chunks::codec;
use crate::store::StoreError;
use app::domain::{bucket_slice, bucket_start, touched_buckets, Summary, HOUR_MS, MINUTE_MS};
use rusqlite::{params, Transaction};

/// Version 3: version 1's rows into one chunk per series and hour (version
/// 3's `chunks` with `start_t`), with their 1-minute and 1-hour rollups.
pub fn points_into_chunks(tx: &Transaction) -> Result<(), StoreError> {
    let ids: Vec<i64> = tx
        .prepare("SELECT id FROM series")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for id in ids {
        let points: Vec<(i64, f64)> = tx
            .prepare("SELECT t, v FROM points WHERE series_id = ?1 ORDER BY t")?
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let mut rest = &points[..];
        while let Some(&(t, _)) = rest.first() {
            let window = bucket_start(t, HOUR_MS);
            let split = rest.partition_point(|p| p.0 < window + HOUR_MS);
            hour_into_chunk(tx, id, window, &rest[..split])?;
            rest = &rest[split..];
        }
        let (first, last) = (points.first(), points.last());
        tx.execute(
            "UPDATE series SET count = ?2, first_t = ?3, last_t = ?4, last_v = ?5 WHERE id = ?1",
            params![
                id,
                points.len() as i64,
                first.map(|p| p.0),
                last.map(|p| p.0),
                last.map(|p| p.1)
            ],
        )?;
    }
    tx.execute_batch("DROP TABLE points")?;
    Ok(())
}

fn hour_into_chunk(tx: &Transaction, id: i64, window: i64, points: &[(i64, f64)]) -> Result<(), StoreError> {
    let Some(s) = Summary::of(points) else { return Ok(()) };
    tx.execute(
        "INSERT INTO chunks (series_id, start_t, first_t, last_t, count, min, max, sum, first_v, last_v, data)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            id,
            window,
            s.start,
            s.end,
            s.count as i64,
            s.min,
            s.max,
            s.sum,
            s.first,
            s.last,
            codec::encode(points)
        ],
    )?;
    insert_rollup(tx, "rollup_1h", id, window, &s)?;
    for bucket in touched_buckets(points.iter().map(|p| p.0), MINUTE_MS) {
        if let Some(m) = Summary::of(bucket_slice(points, bucket, MINUTE_MS)) {
            insert_rollup(tx, "rollup_1m", id, bucket, &m)?;
        }
    }
    Ok(())
}

fn insert_rollup(tx: &Transaction, table: &str, id: i64, bucket: i64, s: &Summary) -> Result<(), StoreError> {
    tx.execute(
        &format!(
            "INSERT INTO {table} (series_id, bucket_t, count, min, max, sum, first_v, last_v)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
        ),
        params![id, bucket, s.count as i64, s.min, s.max, s.sum, s.first, s.last],
    )?;
    Ok(())
}
