//! The ingest log: each acknowledged batch as one row, written and
//! committed before the 2xx. Its points go to the head (or, when late, are
//! applied to the chunks soon after); a row is deleted once every point
//! of it is in chunks. At start-up, rows still in the log are applied
//! first. One small insert per batch is what keeps the write path fast.
//!
//! Row layout (version 3): `version: u8`, the distinct names, then the
//! distinct label parts (`{...}`, or empty) of the batch's keys, each list
//! a varint count of varint-length-prefixed UTF-8 strings; then a varint
//! count of series and per series: its name's and its label part's
//! places in those lists (varints), its unit (empty for none) and its
//! points (sorted, one per time) as a varint-length-prefixed codec chunk.
//! A fleet's batch names each of its few field names and each device's
//! labels once, not in every key.
//!
//! Rows of version 2 held each whole key and unit, then the chunk; rows of
//! version 1 also the name and the labels (JSON) after the key. Both are
//! still read (the key holds the name and the labels).

use super::StoreError;
use crate::batch::{SeriesPoints, ValidBatch};
use crate::store::chunks::codec::{self, ints};
use rusqlite::{params, Connection, Transaction};

const VERSION: u8 = 3;
/// Rows that held each series' whole key.
const VERSION_WITH_KEYS: u8 = 2;
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
    let (mut names, mut labels) = (Places::default(), Places::default());
    let places: Vec<(usize, usize)> = batch
        .series()
        .iter()
        .map(|s| {
            let (name, rest) = split_key(&s.key);
            (names.place(name), labels.place(rest))
        })
        .collect();
    let mut out = Vec::with_capacity(16 * batch.len() + names.bytes + labels.bytes);
    out.push(VERSION);
    for list in [&names.list, &labels.list] {
        ints::write_varint(&mut out, list.len() as u64);
        for text in list {
            put(&mut out, text.as_bytes());
        }
    }
    ints::write_varint(&mut out, batch.series().len() as u64);
    for (s, (name, rest)) in batch.series().iter().zip(places) {
        ints::write_varint(&mut out, name as u64);
        ints::write_varint(&mut out, rest as u64);
        put(&mut out, s.unit.as_deref().unwrap_or("").as_bytes());
        put(&mut out, &codec::encode(&s.points));
    }
    Ok(out)
}

/// A key's name and its label part (`{...}`, or empty).
fn split_key(key: &str) -> (&str, &str) {
    key.split_at(key.find('{').unwrap_or(key.len()))
}

/// Distinct strings in order of first appearance, and their places.
#[derive(Default)]
struct Places<'a> {
    list: Vec<&'a str>,
    at: rustc_hash::FxHashMap<&'a str, usize>,
    bytes: usize,
}

impl<'a> Places<'a> {
    fn place(&mut self, text: &'a str) -> usize {
        *self.at.entry(text).or_insert_with(|| {
            self.list.push(text);
            self.bytes += text.len() + 2;
            self.list.len() - 1
        })
    }
}

fn decode(data: &[u8]) -> Result<ValidBatch, StoreError> {
    match data.first() {
        Some(&VERSION) => decode_v3(data),
        Some(&VERSION_WITH_KEYS) => decode_keyed(data, false),
        Some(&VERSION_WITH_LABELS) => decode_keyed(data, true),
        other => Err(StoreError::Codec(codec::CodecError::Version(
            other.copied().unwrap_or(0),
        ))),
    }
}

fn corrupt() -> StoreError {
    StoreError::Codec(codec::CodecError::Corrupt)
}

fn text(data: &[u8], pos: &mut usize) -> Result<String, StoreError> {
    let bytes = take(data, pos).ok_or_else(corrupt)?;
    String::from_utf8(bytes.to_vec()).map_err(|_| corrupt())
}

fn count(data: &[u8], pos: &mut usize) -> Result<usize, StoreError> {
    let n = usize::try_from(ints::read_varint(data, pos).ok_or_else(corrupt)?).map_err(|_| corrupt())?;
    // Each item takes a byte at least: a larger count is damage.
    if n > data.len() {
        return Err(corrupt());
    }
    Ok(n)
}

fn decode_v3(data: &[u8]) -> Result<ValidBatch, StoreError> {
    let mut pos = 1;
    let mut list = || -> Result<Vec<String>, StoreError> {
        let n = count(data, &mut pos)?;
        (0..n).map(|_| text(data, &mut pos)).collect()
    };
    let (names, labels) = (list()?, list()?);
    let n = count(data, &mut pos)?;
    let mut series = Vec::with_capacity(n);
    for _ in 0..n {
        let mut place = |within: &[String]| -> Result<String, StoreError> {
            let at = count(data, &mut pos)?;
            within.get(at).cloned().ok_or_else(corrupt)
        };
        let key = place(&names)? + &place(&labels)?;
        series.push(unit_and_points(key, data, &mut pos)?);
    }
    if pos != data.len() {
        return Err(corrupt());
    }
    ValidBatch::from_validated(series).map_err(|_| corrupt())
}

fn decode_keyed(data: &[u8], with_labels: bool) -> Result<ValidBatch, StoreError> {
    let mut pos = 1;
    let mut series = Vec::new();
    while pos < data.len() {
        let key = text(data, &mut pos)?;
        if with_labels {
            // The name and the labels: the key holds both.
            text(data, &mut pos)?;
            text(data, &mut pos)?;
        }
        series.push(unit_and_points(key, data, &mut pos)?);
    }
    ValidBatch::from_validated(series).map_err(|_| corrupt())
}

/// The series `key` with its unit (empty for none) and its chunk, read
/// from `pos` on.
fn unit_and_points(key: String, data: &[u8], pos: &mut usize) -> Result<SeriesPoints, StoreError> {
    let unit = text(data, pos)?;
    let points = codec::decode(take(data, pos).ok_or_else(corrupt)?)?;
    Ok(SeriesPoints {
        key,
        unit: (!unit.is_empty()).then_some(unit),
        points,
    })
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
    fn rows_name_each_name_and_label_part_once() {
        let points: Vec<_> = (0..3)
            .flat_map(|device| {
                let labels: Labels = [("device".to_string(), format!("d{device}"))].into();
                (0..4).map(move |f| validate_point(format!("fleet.f{f}"), labels.clone(), None, 1_000, 1.0).unwrap())
            })
            .collect();
        let batch = ValidBatch::new(points).unwrap();
        let row = encode(&batch).unwrap();
        assert_eq!(decode(&row).unwrap(), batch);
        let text = String::from_utf8_lossy(&row);
        assert_eq!(text.matches("fleet.f3").count(), 1);
        assert_eq!(text.matches("d2").count(), 1);
    }

    #[test]
    fn rows_of_the_version_with_keys_still_read() {
        let mut row = vec![VERSION_WITH_KEYS];
        for text in [r#"a{site="north"}"#, "°C"] {
            put(&mut row, text.as_bytes());
        }
        put(&mut row, &codec::encode(&[(1_000, 1.5)]));
        let back = decode(&row).unwrap();
        let s = &back.series()[0];
        assert_eq!(
            (s.key.as_str(), s.unit.as_deref(), s.points.as_slice()),
            (r#"a{site="north"}"#, Some("°C"), &[(1_000, 1.5)][..])
        );
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
        let batch = ValidBatch::new(vec![
            validate_point("a".into(), Labels::new(), None, 1, 1.0).unwrap(),
            validate_point("b".into(), Labels::new(), None, 1, 1.0).unwrap(),
        ])
        .unwrap();
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
