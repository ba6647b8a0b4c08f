//! The ingest log: each acknowledged batch as one row, written and
//! committed before the 2xx. Its points go to the head (or, when late, are
//! applied to the chunks soon after); a row is deleted once every point
//! of it is in chunks. At start-up, rows still in the log are applied
//! first. One small insert per batch is what keeps the write path fast.
//!
//! Row layout: `version: u8` (2), then per series: key and unit (empty
//! for none) as varint-length-prefixed UTF-8, and the series' points
//! (sorted, one per time) as a varint-length-prefixed codec chunk. Rows of
//! version 1 also held the name and the labels (JSON) after the key; they
//! are read, and those skipped, since the key holds both.

use super::StoreError;
use crate::batch::{SeriesPoints, ValidBatch};
use crate::store::chunks::codec::{self, ints};
use rusqlite::{params, Connection, Transaction};

const VERSION: u8 = 2;
/// Rows written by builds before the name and labels left the row.
const VERSION_WITH_LABELS: u8 = 1;

/// Appends a batch encoded by [`encode`] to the log; returns its row id.
pub fn append(tx: &Transaction, row: &[u8]) -> Result<i64, StoreError> {
    tx.prepare_cached("INSERT INTO ingest_log (data) VALUES (?1)")?
        .execute([row])?;
    Ok(tx.last_insert_rowid())
}

/// Every batch in the log, oldest first, with the id of the newest row.
pub fn pending(conn: &Connection) -> Result<(Vec<ValidBatch>, Option<i64>), StoreError> {
    let mut stmt = conn.prepare("SELECT id, data FROM ingest_log ORDER BY id")?;
    let mut rows = stmt.query([])?;
    let (mut batches, mut last) = (Vec::new(), None);
    while let Some(row) = rows.next()? {
        last = Some(row.get::<_, i64>(0)?);
        let rusqlite::types::ValueRef::Blob(data) = row.get_ref(1)? else {
            return Err(codec::CodecError::Corrupt.into());
        };
        batches.push(decode(data)?);
    }
    Ok((batches, last))
}

/// Deletes the rows up to and including `last`, once their points are
/// stored.
pub fn trim(tx: &Transaction, last: i64) -> Result<(), StoreError> {
    tx.prepare_cached("DELETE FROM ingest_log WHERE id <= ?1")?
        .execute(params![last])?;
    Ok(())
}

/// The id of the newest row, if any.
#[cfg(test)]
pub fn newest(tx: &Transaction) -> Result<Option<i64>, StoreError> {
    Ok(tx.query_row("SELECT max(id) FROM ingest_log", [], |r| r.get(0))?)
}

/// The log row of `batch`, whose series' points must be sorted by time
/// with one point per time.
pub fn encode(batch: &ValidBatch) -> Result<Vec<u8>, StoreError> {
    let mut out = vec![VERSION];
    for s in batch.series() {
        put(&mut out, s.key.as_bytes());
        put(&mut out, s.unit.as_deref().unwrap_or("").as_bytes());
        put(&mut out, &codec::encode(&s.points));
    }
    Ok(out)
}

fn decode(data: &[u8]) -> Result<ValidBatch, StoreError> {
    let corrupt = || StoreError::Codec(codec::CodecError::Corrupt);
    let with_labels = match data.first() {
        Some(&VERSION) => false,
        Some(&VERSION_WITH_LABELS) => true,
        other => {
            return Err(StoreError::Codec(codec::CodecError::Version(
                other.copied().unwrap_or(0),
            )))
        }
    };
    let mut pos = 1;
    let mut series = Vec::new();
    while pos < data.len() {
        let mut text = || -> Result<String, StoreError> {
            let bytes = take(data, &mut pos).ok_or_else(corrupt)?;
            String::from_utf8(bytes.to_vec()).map_err(|_| corrupt())
        };
        let key = text()?;
        if with_labels {
            // The name and the labels: the key holds both.
            text()?;
            text()?;
        }
        let unit = text()?;
        let points = codec::decode(take(data, &mut pos).ok_or_else(corrupt)?)?;
        series.push(SeriesPoints {
            key,
            unit: (!unit.is_empty()).then_some(unit),
            points,
        });
    }
    ValidBatch::from_validated(series).map_err(|_| corrupt())
}

fn put(out: &mut Vec<u8>, bytes: &[u8]) {
    ints::write_varint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

fn take<'a>(data: &'a [u8], pos: &mut usize) -> Option<&'a [u8]> {
    let len = usize::try_from(ints::read_varint(data, pos)?).ok()?;
    let bytes = data.get(*pos..pos.checked_add(len)?)?;
    *pos += len;
    Some(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::validate_point;
    use app::model::Labels;

    #[test]
    fn batches_read_back_as_written() {
        let labels: Labels = [("site".to_string(), "north".to_string())].into();
        let batch = ValidBatch::new(vec![
            validate_point("a".into(), labels, Some("°C".into()), 1_000, 1.5).unwrap(),
            validate_point("b".into(), Labels::new(), None, 2_000, -2.0).unwrap(),
            validate_point("b".into(), Labels::new(), None, 3_000, 7.25).unwrap(),
        ])
        .unwrap();
        let back = decode(&encode(&batch).unwrap()).unwrap();
        assert_eq!(back, batch);
    }

    #[test]
    fn rows_of_the_version_with_labels_still_read() {
        let mut row = vec![VERSION_WITH_LABELS];
        for text in [r#"a{site="north"}"#, "a", r#"{"site":"north"}"#, "°C"] {
            put(&mut row, text.as_bytes());
        }
        put(&mut row, &codec::encode(&[(1_000, 1.5), (2_000, 2.5)]));
        let back = decode(&row).unwrap();
        let s = &back.series()[0];
        assert_eq!(
            (s.key.as_str(), s.unit.as_deref(), s.points.as_slice()),
            (r#"a{site="north"}"#, Some("°C"), &[(1_000, 1.5), (2_000, 2.5)][..])
        );
    }

    #[test]
    fn damaged_rows_are_errors() {
        let batch = ValidBatch::new(vec![validate_point("a".into(), Labels::new(), None, 1, 1.0).unwrap()]).unwrap();
        let bytes = encode(&batch).unwrap();
        for cut in 0..bytes.len() {
            assert!(decode(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut wrong = bytes.clone();
        wrong[0] = 9;
        assert!(decode(&wrong).is_err());
    }
}

#[cfg(test)]
mod recovery_tests {
    use super::*;
    use crate::batch::validate_point;
    use crate::store::Store;

    #[tokio::test]
    async fn batches_left_in_the_log_are_applied_at_start() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.db");
        let batch = ValidBatch::new(vec![
            validate_point("a".into(), Default::default(), None, 1_000, 1.0).unwrap(),
            validate_point("a".into(), Default::default(), None, 2_000, 2.0).unwrap(),
        ])
        .unwrap();
        {
            // As if the process died after acknowledging, before applying.
            let store = Store::open(&path, 1).await.unwrap();
            let mut conn = store.writer.get().unwrap();
            let tx = conn.transaction().unwrap();
            append(&tx, &encode(&batch).unwrap()).unwrap();
            tx.commit().unwrap();
        }
        let store = Store::open(&path, 1).await.unwrap();
        let (points, logged) = store
            .on_reader(|conn| {
                let id = crate::store::series::by_key(conn, "a")?.unwrap().id;
                let logged: i64 = conn.query_row("SELECT count(*) FROM ingest_log", [], |r| r.get(0))?;
                Ok((crate::store::chunks::scan::points(conn, id, 0, 10_000)?, logged))
            })
            .await
            .unwrap();
        assert_eq!(points, [(1_000, 1.0), (2_000, 2.0)]);
        assert_eq!(logged, 0);
    }
}
