//! Reading a series' points for a window, as fast as the data allows:
//! the chunks' blobs are fetched in one query, chunks that lie wholly in
//! the window are decoded straight into their place in the answer (on two
//! threads when the answer is large), and only the chunks cut by the
//! window's edges are decoded aside and filtered. The answer is allocated
//! once, at its exact size.

use super::chunk::CHUNK_MS;
use super::codec;
use super::StoreError;
use app::domain::bucket_start;
use rusqlite::{params, Connection};

/// Below this many points one thread decodes everything: a thread costs
/// more than it saves.
const PARALLEL_FROM: usize = 200_000;

struct Blob {
    first: i64,
    last: i64,
    count: usize,
    data: Vec<u8>,
}

/// Points of `series` with `from <= t <= to`, in time order.
pub fn points(conn: &Connection, series: i64, from: i64, to: i64) -> Result<Vec<(i64, f64)>, StoreError> {
    let blobs = fetch(conn, series, from, to)?;
    let inside = |b: &Blob| b.first >= from && b.last <= to;
    let head = blobs.iter().take_while(|b| !inside(b)).count();
    let tail = blobs[head..].iter().rev().take_while(|b| !inside(b)).count();
    let (edge_head, rest) = blobs.split_at(head);
    let (middle, edge_tail) = rest.split_at(rest.len() - tail);

    let (mut head_points, mut tail_points) = (Vec::new(), Vec::new());
    cut(edge_head, from, to, &mut head_points)?;
    cut(edge_tail, from, to, &mut tail_points)?;
    let whole: usize = middle.iter().map(|b| b.count).sum();
    // Zeroed by the allocator, so a large answer's pages are first touched
    // (and faulted in) by the decoding threads, not all by this one.
    let mut out = vec![(0, 0.0); head_points.len() + whole + tail_points.len()];
    let (head_out, rest) = out.split_at_mut(head_points.len());
    let (middle_out, tail_out) = rest.split_at_mut(whole);
    head_out.copy_from_slice(&head_points);
    decode_whole(middle, middle_out)?;
    tail_out.copy_from_slice(&tail_points);
    Ok(out)
}

/// The chunks overlapping the window, in time order (a chunk never leaves
/// its window, so none starting before `from`'s window can reach it).
fn fetch(conn: &Connection, series: i64, from: i64, to: i64) -> Result<Vec<Blob>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT first_t, last_t, data FROM chunks WHERE series_id = ?1 AND first_t >= ?2 AND first_t <= ?3
         ORDER BY first_t",
    )?;
    let mut rows = stmt.query(params![series, bucket_start(from, CHUNK_MS), to])?;
    let mut blobs = Vec::new();
    while let Some(row) = rows.next()? {
        let rusqlite::types::ValueRef::Blob(data) = row.get_ref(2)? else {
            return Err(codec::CodecError::Corrupt.into());
        };
        blobs.push(Blob {
            first: row.get(0)?,
            last: row.get(1)?,
            count: codec::count(data)?,
            data: data.to_vec(),
        });
    }
    Ok(blobs)
}

/// Appends the points of `blobs` that lie in `[from, to]`.
fn cut(blobs: &[Blob], from: i64, to: i64, out: &mut Vec<(i64, f64)>) -> Result<(), StoreError> {
    let mut points = Vec::new();
    for blob in blobs {
        points.clear();
        codec::decode_into(&blob.data, &mut points)?;
        out.extend(points.iter().filter(|p| (from..=to).contains(&p.0)));
    }
    Ok(())
}

/// Decodes `blobs` into `out`, exactly as long as their points; splits the
/// work in two halves by points when there are many.
fn decode_whole(blobs: &[Blob], out: &mut [(i64, f64)]) -> Result<(), StoreError> {
    if out.len() < PARALLEL_FROM || blobs.len() < 2 {
        return decode_run(blobs, out);
    }
    let half = out.len() / 2;
    let (mut split, mut points) = (0, 0);
    while split < blobs.len() && points + blobs[split].count <= half {
        points += blobs[split].count;
        split += 1;
    }
    let (first_blobs, second_blobs) = blobs.split_at(split);
    let (first_out, second_out) = out.split_at_mut(points);
    std::thread::scope(|scope| {
        let helper = scope.spawn(|| decode_run(second_blobs, second_out));
        let mine = decode_run(first_blobs, first_out);
        let theirs = helper
            .join()
            .unwrap_or_else(|_| Err(StoreError::Failed("a decoding thread failed".into())));
        mine.and(theirs)
    })
}

fn decode_run(blobs: &[Blob], out: &mut [(i64, f64)]) -> Result<(), StoreError> {
    let mut rest = out;
    for blob in blobs {
        let (mine, later) = std::mem::take(&mut rest).split_at_mut(blob.count);
        codec::decode_to_slice(&blob.data, mine)?;
        rest = later;
    }
    Ok(())
}

/// Where a paged read goes on: after the chunk starting at this time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageCursor(i64);

/// A page of points and the cursor of the next page (`None` after the last).
pub type Page = (Vec<(i64, f64)>, Option<PageCursor>);

/// One page of the points of `series` in `[from, to]`: those of at most
/// `max_chunks` chunks after `after` (from the start for `None`).
pub fn page(
    conn: &Connection,
    series: i64,
    (from, to): (i64, i64),
    after: Option<PageCursor>,
    max_chunks: usize,
) -> Result<Page, StoreError> {
    let lowest = after.map_or(bucket_start(from, CHUNK_MS), |c| c.0.saturating_add(1));
    let mut stmt = conn.prepare_cached(
        "SELECT first_t, data FROM chunks WHERE series_id = ?1 AND first_t >= ?2 AND first_t <= ?3
         ORDER BY first_t LIMIT ?4",
    )?;
    let mut rows = stmt.query(params![series, lowest, to, max_chunks as i64])?;
    let (mut out, mut last_first, mut chunks) = (Vec::new(), None, 0);
    while let Some(row) = rows.next()? {
        let rusqlite::types::ValueRef::Blob(data) = row.get_ref(1)? else {
            return Err(codec::CodecError::Corrupt.into());
        };
        codec::decode_into(data, &mut out)?;
        last_first = Some(PageCursor(row.get(0)?));
        chunks += 1;
    }
    out.retain(|p| (from..=to).contains(&p.0));
    Ok((out, last_first.filter(|_| chunks == max_chunks)))
}

/// About how many points of `series` lie in `[from, to]`: each
/// overlapping chunk counts in proportion to its overlap in time.
pub fn raw_estimate(conn: &Connection, series: i64, from: i64, to: i64) -> Result<u64, StoreError> {
    let estimate: f64 = conn
        .prepare_cached(
            "SELECT coalesce(sum(CAST(count AS REAL) * (min(last_t, ?4) - max(first_t, ?3) + 1) / (last_t - first_t + 1)), 0)
             FROM chunks WHERE series_id = ?1 AND first_t >= ?2 AND first_t <= ?4 AND last_t >= ?3",
        )?
        .query_row(params![series, bucket_start(from, CHUNK_MS), from, to], |r| r.get(0))?;
    Ok(estimate.ceil().max(0.0) as u64)
}

/// Time of the oldest raw point still kept of `series`.
pub fn oldest(conn: &Connection, series: i64) -> Result<Option<i64>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT min(first_t) FROM chunks WHERE series_id = ?1")?
        .query_row([series], |r| r.get(0))?)
}
