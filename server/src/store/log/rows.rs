//! The ingest log: each acknowledged batch as one row, written and
//! committed before the 2xx. Its points go to the head (or, when late, are
//! applied to the chunks soon after); a row is deleted once every point
//! of it is in chunks. At start-up, rows still in the log are applied
//! first. One small insert per batch is what keeps the write path fast.
//!
//! Row layout (version 4): `version: u8`, the distinct names, then the
//! distinct label parts (`{...}`, or empty) of the batch's keys, each list
//! a varint count of varint-length-prefixed UTF-8 strings; then a varint
//! count of series and per series: its name's and its label part's
//! places in those lists (varints), its unit (empty for none), a varint
//! count of its points (sorted, one per time) and the points: one point
//! as its time's zigzag varint difference to the previous series' lone
//! point (0 before the first) and its value as `codec::write_value` puts
//! it (a decimal in a few bytes); more as a varint-length-prefixed codec
//! chunk. A fleet's batch
//! names each of its few field names and each device's labels once, not
//! in every key, and holds one point of most series, all at one time.
//!
//! Rows of version 3 held every series' points as a chunk (with no count
//! before it); of version 2 each whole key and unit, then the chunk; of
//! version 1 also the name and the labels (JSON) after the key. All are
//! still read (the key holds the name and the labels).

use super::StoreError;
use crate::batch::{SeriesPoints, ValidBatch};
use crate::store::chunks::codec::{self, ints};
use rusqlite::{params, Connection, Transaction};

const VERSION: u8 = 4;
/// Rows whose every series' points were a chunk.
const VERSION_CHUNKS_ONLY: u8 = 3;
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
    let mut lone_t = 0;
    for (s, (name, rest)) in batch.series().iter().zip(places) {
        ints::write_varint(&mut out, name as u64);
        ints::write_varint(&mut out, rest as u64);
        put(&mut out, s.unit.as_deref().unwrap_or("").as_bytes());
        ints::write_varint(&mut out, s.points.len() as u64);
        match s.points.as_slice() {
            &[(t, v)] => {
                ints::write_varint(&mut out, ints::zigzag(t.wrapping_sub(lone_t)));
                codec::write_value(&mut out, v);
                lone_t = t;
            }
            points => put(&mut out, &codec::encode(points)),
        }
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
    /// The text placed last and its place: a device's fields come one
    /// after another, with one label part.
    last: Option<(&'a str, usize)>,
    bytes: usize,
}

impl<'a> Places<'a> {
    fn place(&mut self, text: &'a str) -> usize {
        if let Some((last, at)) = self.last {
            if last == text {
                return at;
            }
        }
        let at = *self.at.entry(text).or_insert_with(|| {
            self.list.push(text);
            self.bytes += text.len() + 2;
            self.list.len() - 1
        });
        self.last = Some((text, at));
        at
    }
}

fn decode(data: &[u8]) -> Result<ValidBatch, StoreError> {
    match data.first() {
        Some(&VERSION) => decode_listed(data, true),
        Some(&VERSION_CHUNKS_ONLY) => decode_listed(data, false),
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

/// Rows of versions 4 (`counted`: each series' points counted, a lone
/// point written bare) and 3 (every series' points a chunk).
fn decode_listed(data: &[u8], counted: bool) -> Result<ValidBatch, StoreError> {
    let mut pos = 1;
    let mut list = || -> Result<Vec<String>, StoreError> {
        let n = count(data, &mut pos)?;
        (0..n).map(|_| text(data, &mut pos)).collect()
    };
    let (names, labels) = (list()?, list()?);
    let n = count(data, &mut pos)?;
    let mut series = Vec::with_capacity(n);
    let mut lone_t = 0i64;
    for _ in 0..n {
        let mut place = |within: &[String]| -> Result<String, StoreError> {
            let at = count(data, &mut pos)?;
            within.get(at).cloned().ok_or_else(corrupt)
        };
        let key = place(&names)? + &place(&labels)?;
        let unit = text(data, &mut pos)?;
        // Not `count`: a chunk's points may take less than a byte each.
        let points_in = if counted {
            Some(ints::read_varint(data, &mut pos).ok_or_else(corrupt)?)
        } else {
            None
        };
        let points = if points_in == Some(1) {
            let dt = ints::unzigzag(ints::read_varint(data, &mut pos).ok_or_else(corrupt)?);
            lone_t = lone_t.wrapping_add(dt);
            vec![(lone_t, codec::read_value(data, &mut pos)?)]
        } else {
            let points = codec::decode(take(data, &mut pos).ok_or_else(corrupt)?)?;
            if points_in.is_some_and(|n| n != points.len() as u64) {
                return Err(corrupt());
            }
            points
        };
        series.push(SeriesPoints {
            key,
            unit: (!unit.is_empty()).then_some(unit),
            points,
        });
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
    fn lone_points_are_written_bare_and_read_back_at_their_times() {
        let points: Vec<_> = [
            (5_000, 1.5),
            (5_000, -0.0),
            (4_000, f64::MAX),
            (7_000_000_000_000, 21.37),
        ]
        .iter()
        .enumerate()
        .map(|(i, &(t, v))| validate_point(format!("s{i}"), Labels::new(), None, t, v).unwrap())
        .collect();
        let batch = ValidBatch::new(points).unwrap();
        let row = encode(&batch).unwrap();
        assert_eq!(row[0], VERSION);
        let back = decode(&row).unwrap();
        assert_eq!(back, batch);
        assert!(
            back.series()[1].points[0].1.is_sign_negative(),
            "the value's bits, not its number"
        );
        // Names (1 + 4 × 3 bytes), labels (2), count (1), then per series 2
        // places, no unit and the count; the times' differences (+5,000, 0,
        // -1,000, +6,999,999,996,000) as zigzag varints; the values: 1.5 and
        // 21.37 as decimals (a byte and the scaled integer 15 or 2137),
        // -0.0 and f64::MAX whole (a byte and 8).
        let times = 2 + 1 + 2 + 7;
        let values = (1 + 1) + (1 + 8) + (1 + 8) + (1 + 2);
        assert_eq!(row.len(), 1 + 13 + 2 + 1 + 4 * (2 + 1 + 1) + times + values);
    }

    #[test]
    fn a_long_steady_series_takes_fewer_bytes_than_it_has_points() {
        let points = (0..200).map(|j| validate_point("steady".into(), Labels::new(), None, 1_000 * j, 3.0).unwrap());
        let batch = ValidBatch::new(points.collect()).unwrap();
        let row = encode(&batch).unwrap();
        assert!(row.len() < 200, "{} bytes", row.len());
        assert_eq!(decode(&row).unwrap(), batch);
    }

    #[test]
    fn rows_of_the_version_with_every_series_a_chunk_still_read() {
        let mut row = vec![VERSION_CHUNKS_ONLY];
        for list in [&["a", "b"][..], &[r#"{site="north"}"#][..]] {
            ints::write_varint(&mut row, list.len() as u64);
            for text in list {
                put(&mut row, text.as_bytes());
            }
        }
        ints::write_varint(&mut row, 2);
        for (name, unit, points) in [
            (0, "°C", &[(1_000, 1.5)][..]),
            (1, "", &[(1_000, 1.0), (2_000, 2.0)][..]),
        ] {
            ints::write_varint(&mut row, name);
            ints::write_varint(&mut row, 0);
            put(&mut row, unit.as_bytes());
            put(&mut row, &codec::encode(points));
        }
        let back = decode(&row).unwrap();
        let read: Vec<_> = back
            .series()
            .iter()
            .map(|s| (s.key.as_str(), s.unit.as_deref(), s.points.clone()))
            .collect();
        assert_eq!(
            read,
            [
                (r#"a{site="north"}"#, Some("°C"), vec![(1_000, 1.5)]),
                (r#"b{site="north"}"#, None, vec![(1_000, 1.0), (2_000, 2.0)]),
            ]
        );
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
