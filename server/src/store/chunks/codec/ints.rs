//! Small signed integers in few bits: zigzag, then a prefix code that
//! spends 1 bit on 0 and grows with the magnitude. Also LEB128 varints for
//! the byte-aligned chunk header.

use super::bits::{BitReader, BitWriter};

pub fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

pub fn unzigzag(u: u64) -> i64 {
    ((u >> 1) as i64) ^ -((u & 1) as i64)
}

/// `(prefix, prefix length, payload bits)`, tried in order after the
/// single `0` bit that stands for zero.
const BUCKETS: [(u64, u32, u32); 5] = [
    (0b10, 2, 6),
    (0b110, 3, 12),
    (0b1110, 4, 20),
    (0b11110, 5, 32),
    (0b11111, 5, 64),
];

pub fn write_signed(w: &mut BitWriter, v: i64) {
    let z = zigzag(v);
    if z == 0 {
        w.bit(false);
        return;
    }
    for &(prefix, len, payload) in &BUCKETS {
        if payload == 64 || z < (1u64 << payload) {
            w.bits(prefix, len);
            w.bits(z, payload);
            return;
        }
    }
}

pub fn read_signed(r: &mut BitReader) -> Option<i64> {
    // The prefix is up to five 1s ended by a 0: read it in one peek.
    let prefix = r.peek(5) as u32;
    let ones = ((!prefix & 0b11111) << 27).leading_zeros().min(5);
    r.skip(if ones == 5 { 5 } else { ones + 1 })?;
    let payload = match ones {
        0 => return Some(0),
        n => BUCKETS[n as usize - 1].2,
    };
    r.bits(payload).map(unzigzag)
}

pub fn write_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Reads a varint at `*pos`, advancing it; `None` if truncated or too long.
pub fn read_varint(bytes: &[u8], pos: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *bytes.get(*pos)?;
        *pos += 1;
        v |= u64::from(b & 0x7F) << shift;
        if b < 0x80 {
            return Some(v);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn zero_costs_one_bit_and_small_values_few() {
        let mut w = BitWriter::default();
        for _ in 0..8 {
            write_signed(&mut w, 0);
        }
        assert_eq!(w.finish().len(), 1);
        let mut w = BitWriter::default();
        write_signed(&mut w, -30);
        assert_eq!(w.finish().len(), 1, "±31 fits in 8 bits");
    }

    proptest! {
        #[test]
        fn signed_round_trip(values in prop::collection::vec(any::<i64>(), 0..40)) {
            let mut w = BitWriter::default();
            values.iter().for_each(|&v| write_signed(&mut w, v));
            let bytes = w.finish();
            let mut r = BitReader::new(&bytes);
            for &v in &values {
                prop_assert_eq!(read_signed(&mut r), Some(v));
            }
        }

        #[test]
        fn varint_round_trip(values in prop::collection::vec(any::<u64>(), 0..40)) {
            let mut out = Vec::new();
            values.iter().for_each(|&v| write_varint(&mut out, v));
            let mut pos = 0;
            for &v in &values {
                prop_assert_eq!(read_varint(&out, &mut pos), Some(v));
            }
            prop_assert_eq!(pos, out.len());
        }
    }
}
