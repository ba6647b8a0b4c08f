//! Version 1 chunks: each further point's timestamp delta-of-delta and
//! value interleaved in one bit stream, with the prefix code of `ints`.
//! Chunks written before version 2 are still read; nothing writes them.

use super::bits::BitReader;
use super::ints::read_signed;
use super::values::ValueReader;
use super::{CodecError, Header};

/// Decodes the points after the first into `rest`, from the bit stream.
pub(super) fn decode(header: &Header, stream: &[u8], rest: &mut [(i64, f64)]) -> Result<(), CodecError> {
    let mut r = BitReader::new(stream);
    let mut values = ValueReader::new(header.coding, header.v0);
    let (mut t, mut delta) = (header.t0, 0i64);
    for slot in rest {
        // Wrapping, like the encoder: an exact inverse for any i64 times.
        delta = delta.wrapping_add(read_signed(&mut r).ok_or(CodecError::Corrupt)?);
        t = t.wrapping_add(delta);
        *slot = (t, values.read(&mut r).ok_or(CodecError::Corrupt)?);
    }
    Ok(())
}

/// The version 1 writer, kept so that tests can make the chunks older
/// databases hold.
#[cfg(test)]
pub(super) fn encode(points: &[(i64, f64)]) -> Vec<u8> {
    use super::bits::BitWriter;
    use super::ints::write_signed;
    use super::values::ValueWriter;

    let coding = super::values::ValueCoding::exact(points.iter().map(|p| p.1));
    let mut head = super::write_header(1, points, coding);
    let Some(&(t0, v0)) = points.first() else { return head };
    let mut w = BitWriter::default();
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
