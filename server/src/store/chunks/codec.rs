//! The chunk codec: a run of one series' points, sorted by time, in a few
//! bytes. Timestamps are stored as delta-of-deltas, values as decimal
//! deltas or Gorilla XOR (see `values`).
//!
//! Header: `version: u8`, `count: varint`, and when count > 0:
//! `t0: zigzag varint`, `coding: u8` (0 = XOR, 1 + k = k decimals),
//! `v0` (zigzag varint of the scaled int, or 8 bytes big-endian bits).
//! The points after the first follow in the version's own form: version 2
//! (`v2`, written now) packs them in blocks that decode a block at a time;
//! version 1 (`v1`, still read) is one bit stream with a prefix code.

mod bits;
pub(in crate::store) mod ints;
mod packed;
mod v1;
mod v2;
mod values;

use ints::{read_varint, unzigzag, write_varint, zigzag};
use values::{scaled, unscaled, ValueCoding, MAX_DECIMALS};

/// Why bytes could not be decoded as a chunk.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodecError {
    #[error("chunk format version {0} is unknown")]
    Version(u8),
    #[error("chunk is truncated or corrupt")]
    Corrupt,
}

/// Encodes `points`, which must be sorted by time with no repeated time.
pub fn encode(points: &[(i64, f64)]) -> Vec<u8> {
    v2::encode(points)
}

/// Appends one value on its own, as a chunk's header holds its first: a
/// byte saying how, `1 + k` for a decimal of `k` places (its scaled
/// integer follows as a zigzag varint: a sensor's reading in two or three
/// bytes) or 0 for any other (its bits follow, 8 bytes big-endian).
pub fn write_value(out: &mut Vec<u8>, v: f64) {
    match (0..=MAX_DECIMALS).find_map(|decimals| Some((decimals, scaled(v, decimals)?))) {
        Some((decimals, int)) => write_decimal(out, decimals, int),
        None => write_coded(out, v, ValueCoding::Xor),
    }
}

/// `int`, a value scaled by `10^decimals`, as [`write_coded`] puts it.
fn write_decimal(out: &mut Vec<u8>, decimals: u8, int: i64) {
    out.push(1 + decimals);
    write_varint(out, zigzag(int));
}

/// Reads a value written by [`write_value`] at `pos`, moving past it.
pub fn read_value(bytes: &[u8], pos: &mut usize) -> Result<f64, CodecError> {
    Ok(read_coded(bytes, pos)?.v)
}

/// Appends `v` in `coding` (exact in it, for decimal coding) as
/// [`write_value`] describes.
fn write_coded(out: &mut Vec<u8>, v: f64, coding: ValueCoding) {
    match coding {
        ValueCoding::Decimal { decimals } => write_decimal(out, decimals, scaled(v, decimals).unwrap_or(0)),
        ValueCoding::Xor => {
            out.push(0);
            out.extend_from_slice(&v.to_bits().to_be_bytes());
        }
    }
}

/// A value read back from [`write_coded`]'s bytes.
struct CodedValue {
    coding: ValueCoding,
    /// The value scaled, for decimal coding (0 otherwise).
    int: i64,
    v: f64,
}

fn read_coded(bytes: &[u8], pos: &mut usize) -> Result<CodedValue, CodecError> {
    let how = *bytes.get(*pos).ok_or(CodecError::Corrupt)?;
    *pos += 1;
    match how {
        0 => {
            let raw = bytes.get(*pos..*pos + 8).ok_or(CodecError::Corrupt)?;
            *pos += 8;
            let mut be = [0u8; 8];
            be.copy_from_slice(raw);
            Ok(CodedValue {
                coding: ValueCoding::Xor,
                int: 0,
                v: f64::from_bits(u64::from_be_bytes(be)),
            })
        }
        c if c - 1 <= MAX_DECIMALS => {
            let decimals = c - 1;
            let int = unzigzag(read_varint(bytes, pos).ok_or(CodecError::Corrupt)?);
            Ok(CodedValue {
                coding: ValueCoding::Decimal { decimals },
                int,
                v: unscaled(int, decimals),
            })
        }
        _ => Err(CodecError::Corrupt),
    }
}

/// The header of `points` in format `version` with value coding `coding`
/// (for which the first value must be exact).
fn write_header(version: u8, points: &[(i64, f64)], coding: ValueCoding) -> Vec<u8> {
    let mut head = Vec::with_capacity(16 + points.len());
    head.push(version);
    write_varint(&mut head, points.len() as u64);
    let Some(&(t0, v0)) = points.first() else { return head };
    write_varint(&mut head, zigzag(t0));
    write_coded(&mut head, v0, coding);
    head
}

/// Decodes a chunk, appending its points to `out`.
pub fn decode_into(bytes: &[u8], out: &mut Vec<(i64, f64)>) -> Result<(), CodecError> {
    let header = Header::read(bytes)?;
    let start = out.len();
    out.resize(start + header.count, (0, 0.0));
    let decoded = header.decode(bytes, &mut out[start..]);
    if decoded.is_err() {
        out.truncate(start);
    }
    decoded
}

/// The number of points a chunk holds, from its header.
pub fn count(bytes: &[u8]) -> Result<usize, CodecError> {
    Ok(Header::read(bytes)?.count)
}

/// Decodes a chunk into `out`, which must be exactly as long as the
/// chunk's point count (see [`count`]).
pub fn decode_to_slice(bytes: &[u8], out: &mut [(i64, f64)]) -> Result<(), CodecError> {
    let header = Header::read(bytes)?;
    if header.count != out.len() {
        return Err(CodecError::Corrupt);
    }
    header.decode(bytes, out)
}

/// What precedes the points after the first.
struct Header {
    version: u8,
    count: usize,
    t0: i64,
    coding: ValueCoding,
    v0: f64,
    /// `v0` scaled, for decimal coding.
    first_int: i64,
    /// Where the rest of the chunk starts.
    stream: usize,
}

impl Header {
    fn read(bytes: &[u8]) -> Result<Header, CodecError> {
        let version = *bytes.first().ok_or(CodecError::Corrupt)?;
        if !(1..=2).contains(&version) {
            return Err(CodecError::Version(version));
        }
        let mut pos = 1;
        let count = read_varint(bytes, &mut pos).ok_or(CodecError::Corrupt)?;
        // A corrupt count must not reserve absurd memory: no format stores
        // more than 64 points in a byte.
        if count > 64 * bytes.len() as u64 {
            return Err(CodecError::Corrupt);
        }
        let mut header = Header {
            version,
            count: count as usize,
            t0: 0,
            coding: ValueCoding::Xor,
            v0: 0.0,
            first_int: 0,
            stream: pos,
        };
        if count == 0 {
            return Ok(header);
        }
        header.t0 = unzigzag(read_varint(bytes, &mut pos).ok_or(CodecError::Corrupt)?);
        let first = read_coded(bytes, &mut pos)?;
        header.coding = first.coding;
        header.first_int = first.int;
        header.v0 = first.v;
        header.stream = pos;
        Ok(header)
    }

    /// Decodes every point into `out`, exactly `count` long.
    fn decode(&self, bytes: &[u8], out: &mut [(i64, f64)]) -> Result<(), CodecError> {
        let Some((first, rest)) = out.split_first_mut() else {
            return Ok(());
        };
        *first = (self.t0, self.v0);
        match self.version {
            1 => v1::decode(self, &bytes[self.stream..], rest),
            _ => v2::decode(self, bytes, rest),
        }
    }
}

/// Decodes a chunk into a new vector.
pub fn decode(bytes: &[u8]) -> Result<Vec<(i64, f64)>, CodecError> {
    let mut out = Vec::new();
    decode_into(bytes, &mut out)?;
    Ok(out)
}

#[cfg(test)]
#[path = "codec_tests.rs"]
mod tests;
