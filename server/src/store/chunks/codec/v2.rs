//! Version 2 chunks: timestamps and decimal values as packed blocks (see
//! `packed`), decoded a block at a time with no bit-serial code; values
//! with no decimal form keep Gorilla's XOR stream.
//!
//! After the header: the first step (zigzag varint), then for the points
//! after the first, grouped by [`BLOCK`]:
//! - decimal coding: per group, a block of timestamp delta-of-deltas, a
//!   block of scaled-value deltas, then the group's patches: `count: u8`
//!   and per value that is no exact decimal (at most one in eight, see
//!   `values::ValueCoding::choose`) its `index: u8` and its 8 bytes
//!   (little-endian bits), the delta chain holding the nearest integer;
//! - XOR coding: the blocks of delta-of-deltas, then the XOR bit stream.
//!
//! The first step seeds the delta-of-deltas, so a regular series' blocks
//! are all zeros (3 bytes per 128 points).

use super::bits::{BitReader, BitWriter};
use super::ints::{read_varint, unzigzag, write_varint, zigzag};
use super::packed::{read_block, write_block, BLOCK};
use super::values::{scale, scaled, scaled_unchecked, stand_in, ValueCoding, ValueReader, ValueWriter};
use super::{CodecError, Header};

pub(super) fn encode(points: &[(i64, f64)]) -> Vec<u8> {
    let (coding, patched) = ValueCoding::choose(points.iter().map(|p| p.1));
    let mut out = super::write_header(2, points, coding);
    let [(t0, v0), (t1, _), ..] = *points else { return out };
    let first_step = t1.wrapping_sub(t0);
    write_varint(&mut out, zigzag(first_step));
    let rest = &points[1..];
    let mut steps = Steps {
        t: t0,
        delta: first_step,
    };
    match coding {
        ValueCoding::Decimal { decimals } => {
            let mut int = scaled_unchecked(v0, decimals);
            let mut value_deltas = [0i64; BLOCK];
            let mut patches = Vec::new();
            for group in rest.chunks(BLOCK) {
                let dods = steps.next_block(group);
                for (j, (slot, &(_, v))) in value_deltas.iter_mut().zip(group).enumerate() {
                    // Without patches every value is exact: skip checking.
                    let next = match patched {
                        0 => scaled_unchecked(v, decimals),
                        _ => scaled(v, decimals).unwrap_or_else(|| {
                            patches.push((j as u8, v.to_bits()));
                            stand_in(v, decimals, int)
                        }),
                    };
                    *slot = next.wrapping_sub(int);
                    int = next;
                }
                write_block(&mut out, &dods[..group.len()]);
                write_block(&mut out, &value_deltas[..group.len()]);
                out.push(patches.len() as u8);
                for (index, bits) in patches.drain(..) {
                    out.push(index);
                    out.extend_from_slice(&bits.to_le_bytes());
                }
            }
            out
        }
        ValueCoding::Xor => {
            for group in rest.chunks(BLOCK) {
                let dods = steps.next_block(group);
                write_block(&mut out, &dods[..group.len()]);
            }
            // Noisy full-precision values take 6 to 8 bytes each.
            out.reserve(rest.len() * 8);
            let mut w = BitWriter::after(out);
            let mut values = ValueWriter::new(coding, v0);
            rest.iter().for_each(|&(_, v)| values.write(&mut w, v));
            w.finish()
        }
    }
}

/// The encoder's place in the timestamps: the last time and step.
struct Steps {
    t: i64,
    delta: i64,
}

impl Steps {
    /// The delta-of-deltas of `group`'s timestamps (wrapping, so that any
    /// i64 times round-trip).
    fn next_block(&mut self, group: &[(i64, f64)]) -> [i64; BLOCK] {
        let mut dods = [0i64; BLOCK];
        for (slot, &(t, _)) in dods.iter_mut().zip(group) {
            let delta = t.wrapping_sub(self.t);
            *slot = delta.wrapping_sub(self.delta);
            (self.t, self.delta) = (t, delta);
        }
        dods
    }
}

/// Decodes the points after the first into `rest`; `bytes` is the whole
/// chunk.
pub(super) fn decode(header: &Header, bytes: &[u8], rest: &mut [(i64, f64)]) -> Result<(), CodecError> {
    if rest.is_empty() {
        return Ok(());
    }
    let corrupt = || CodecError::Corrupt;
    let mut pos = header.stream;
    let (mut t, mut delta) = (header.t0, unzigzag(read_varint(bytes, &mut pos).ok_or_else(corrupt)?));
    let mut dods = [0i64; BLOCK];
    match header.coding {
        ValueCoding::Decimal { decimals } => {
            let (divisor, mut int) = (scale(decimals), header.first_int);
            let mut value_deltas = [0i64; BLOCK];
            for group in rest.chunks_mut(BLOCK) {
                let n = group.len();
                read_block(bytes, &mut pos, &mut dods[..n]).ok_or_else(corrupt)?;
                read_block(bytes, &mut pos, &mut value_deltas[..n]).ok_or_else(corrupt)?;
                for ((slot, &dod), &step) in group.iter_mut().zip(&dods).zip(&value_deltas) {
                    delta = delta.wrapping_add(dod);
                    t = t.wrapping_add(delta);
                    int = int.wrapping_add(step);
                    // The same division as `values::unscaled`, so bit-exact.
                    *slot = (t, int as f64 / divisor);
                }
                read_patches(bytes, &mut pos, group).ok_or_else(corrupt)?;
            }
            if pos != bytes.len() {
                return Err(CodecError::Corrupt);
            }
        }
        ValueCoding::Xor => {
            for group in rest.chunks_mut(BLOCK) {
                read_block(bytes, &mut pos, &mut dods[..group.len()]).ok_or_else(corrupt)?;
                for (slot, &dod) in group.iter_mut().zip(&dods) {
                    delta = delta.wrapping_add(dod);
                    t = t.wrapping_add(delta);
                    slot.0 = t;
                }
            }
            let mut r = BitReader::new(bytes.get(pos..).ok_or_else(corrupt)?);
            let mut values = ValueReader::new(ValueCoding::Xor, header.v0);
            for slot in rest.iter_mut() {
                slot.1 = values.read(&mut r).ok_or_else(corrupt)?;
            }
        }
    }
    Ok(())
}

/// Puts back the values of `group` that are stored whole.
fn read_patches(bytes: &[u8], pos: &mut usize, group: &mut [(i64, f64)]) -> Option<()> {
    let count = usize::from(*bytes.get(*pos)?);
    *pos += 1;
    for _ in 0..count {
        let index = usize::from(*bytes.get(*pos)?);
        let raw = bytes.get(*pos + 1..*pos + 9)?;
        *pos += 9;
        let mut le = [0u8; 8];
        le.copy_from_slice(raw);
        group.get_mut(index)?.1 = f64::from_bits(u64::from_le_bytes(le));
    }
    Some(())
}
