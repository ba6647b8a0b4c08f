//! The chunk codec: a run of one series' points, sorted by time, in a few
//! bytes. Timestamps are stored as delta-of-deltas (1 bit per point for a
//! regular rate), values as decimal deltas or Gorilla XOR (see `values`).
//!
//! Layout: `version: u8`, `count: varint`, and when count > 0:
//! `t0: zigzag varint`, `coding: u8` (0 = XOR, 1 + k = k decimals),
//! `v0` (zigzag varint of the scaled int, or 8 bytes big-endian bits), then
//! one bit stream holding, per further point, the timestamp's delta-of-delta
//! and the value.

mod bits;
pub(super) mod ints;
mod values;

use bits::{BitReader, BitWriter};
use ints::{read_signed, read_varint, unzigzag, write_signed, write_varint, zigzag};
use values::{scaled, unscaled, ValueCoding, ValueReader, ValueWriter, MAX_DECIMALS};

const VERSION: u8 = 1;

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
    let mut head = Vec::with_capacity(16);
    head.push(VERSION);
    write_varint(&mut head, points.len() as u64);
    let Some(&(t0, v0)) = points.first() else { return head };
    write_varint(&mut head, zigzag(t0));
    let coding = ValueCoding::choose(points.iter().map(|p| p.1));
    match coding {
        ValueCoding::Decimal { decimals } => {
            head.push(1 + decimals);
            write_varint(&mut head, zigzag(scaled(v0, decimals).unwrap_or(0)));
        }
        ValueCoding::Xor => {
            head.push(0);
            head.extend_from_slice(&v0.to_bits().to_be_bytes());
        }
    }
    let mut w = BitWriter::with_capacity(points.len() * 2);
    let mut values = ValueWriter::new(coding, v0);
    let (mut prev_t, mut prev_delta) = (t0, 0i64);
    for &(t, v) in &points[1..] {
        let delta = t.wrapping_sub(prev_t);
        write_signed(&mut w, delta.wrapping_sub(prev_delta));
        values.write(&mut w, v);
        (prev_t, prev_delta) = (t, delta);
    }
    head.extend_from_slice(&w.finish());
    head
}

/// Decodes a chunk, appending its points to `out`.
pub fn decode_into(bytes: &[u8], out: &mut Vec<(i64, f64)>) -> Result<(), CodecError> {
    let header = Header::read(bytes)?;
    // A corrupt count must not reserve absurd memory: each point costs >= 2 bits.
    out.reserve((header.count as usize).min(bytes.len() * 4 + 1));
    header.decode(bytes, |p| out.push(p))
}

/// The number of points a chunk holds, from its header.
pub fn count(bytes: &[u8]) -> Result<usize, CodecError> {
    Ok(Header::read(bytes)?.count as usize)
}

/// Decodes a chunk into `out`, which must be exactly as long as the
/// chunk's point count (see [`count`]).
pub fn decode_to_slice(bytes: &[u8], out: &mut [(i64, f64)]) -> Result<(), CodecError> {
    let header = Header::read(bytes)?;
    if header.count as usize != out.len() {
        return Err(CodecError::Corrupt);
    }
    let mut slots = out.iter_mut();
    header.decode(bytes, |p| {
        if let Some(slot) = slots.next() {
            *slot = p;
        }
    })
}

/// What precedes a chunk's bit stream.
struct Header {
    count: u64,
    t0: i64,
    coding: ValueCoding,
    v0: f64,
    /// Where the bit stream starts.
    stream: usize,
}

impl Header {
    fn read(bytes: &[u8]) -> Result<Header, CodecError> {
        let version = *bytes.first().ok_or(CodecError::Corrupt)?;
        if version != VERSION {
            return Err(CodecError::Version(version));
        }
        let mut pos = 1;
        let count = read_varint(bytes, &mut pos).ok_or(CodecError::Corrupt)?;
        if count == 0 {
            return Ok(Header {
                count,
                t0: 0,
                coding: ValueCoding::Xor,
                v0: 0.0,
                stream: pos,
            });
        }
        let t0 = unzigzag(read_varint(bytes, &mut pos).ok_or(CodecError::Corrupt)?);
        let (coding, v0) = match *bytes.get(pos).ok_or(CodecError::Corrupt)? {
            0 => {
                let raw = bytes.get(pos + 1..pos + 9).ok_or(CodecError::Corrupt)?;
                pos += 9;
                let mut be = [0u8; 8];
                be.copy_from_slice(raw);
                (ValueCoding::Xor, f64::from_bits(u64::from_be_bytes(be)))
            }
            c if c - 1 <= MAX_DECIMALS => {
                pos += 1;
                let decimals = c - 1;
                let i = unzigzag(read_varint(bytes, &mut pos).ok_or(CodecError::Corrupt)?);
                (ValueCoding::Decimal { decimals }, unscaled(i, decimals))
            }
            _ => return Err(CodecError::Corrupt),
        };
        Ok(Header {
            count,
            t0,
            coding,
            v0,
            stream: pos,
        })
    }

    /// Hands every point, in time order, to `emit`.
    fn decode(&self, bytes: &[u8], mut emit: impl FnMut((i64, f64))) -> Result<(), CodecError> {
        if self.count == 0 {
            return Ok(());
        }
        emit((self.t0, self.v0));
        let mut r = BitReader::new(&bytes[self.stream..]);
        let mut values = ValueReader::new(self.coding, self.v0);
        let (mut t, mut delta) = (self.t0, 0i64);
        for _ in 1..self.count {
            // Wrapping, like the encoder: an exact inverse for any i64 times.
            delta = delta.wrapping_add(read_signed(&mut r).ok_or(CodecError::Corrupt)?);
            t = t.wrapping_add(delta);
            let v = values.read(&mut r).ok_or(CodecError::Corrupt)?;
            emit((t, v));
        }
        Ok(())
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
