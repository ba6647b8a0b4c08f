//! Blocks of up to [`BLOCK`] integers at one bit width (frame of
//! reference with patched exceptions). Each value is stored as its
//! distance from the block's minimum in `width` bits; the few values that
//! need more bits keep their low bits in place and list the rest after the
//! block. A regular 1 Hz timestamp stream costs 3 bytes per block; a
//! sensor's value deltas a handful of bits each, however the block is
//! shifted. Decoding is a load and a shift per value, with no bit-serial
//! prefix code in the way.
//!
//! Block layout: `base: zigzag varint`, `width: u8` (0..=64), the values'
//! low `width` bits packed least significant first into
//! `ceil(n * width / 8)` bytes, `exceptions: u8`, then per exception
//! `index: u8` and `high bits: varint` (only when width < 64).

use super::ints::{read_varint, unzigzag, write_varint, zigzag};

/// Values per block; the decoders' scratch arrays are this long.
pub const BLOCK: usize = 128;

/// At most this many exceptions per block: beyond that a wider block is
/// as small, and the decoder's patch loop stays short.
const MAX_EXCEPTIONS: usize = 16;

/// Appends one block holding `values` (1..=BLOCK of them).
pub fn write_block(out: &mut Vec<u8>, values: &[i64]) {
    debug_assert!(!values.is_empty() && values.len() <= BLOCK);
    let base = values.iter().copied().min().unwrap_or(0);
    let mut offsets = [0u64; BLOCK];
    // Four tallies, so that runs of equal lengths do not wait on one
    // counter's last increment.
    let mut tallies = [[0u8; 65]; 4];
    for (i, (slot, &v)) in offsets.iter_mut().zip(values).enumerate() {
        *slot = v.wrapping_sub(base) as u64;
        tallies[i % 4][(64 - slot.leading_zeros()) as usize] += 1;
    }
    let mut lengths = [0u32; 65];
    for (l, total) in lengths.iter_mut().enumerate() {
        *total = tallies.iter().map(|t| u32::from(t[l])).sum();
    }
    let offsets = &offsets[..values.len()];
    let width = cheapest_width(&lengths, values.len());
    write_varint(out, zigzag(base));
    out.push(width as u8);
    pack(out, offsets, width);
    let exceptions = offsets
        .iter()
        .enumerate()
        .filter(|(_, &x)| width < 64 && x >> width != 0);
    let count_at = out.len();
    out.push(0);
    for (index, &x) in exceptions {
        out[count_at] += 1;
        out.push(index as u8);
        write_varint(out, x >> width);
    }
}

/// The width that makes the block smallest, given how many offsets have
/// each bit length, with no more than [`MAX_EXCEPTIONS`] exceptions.
fn cheapest_width(lengths: &[u32; 65], n: usize) -> u32 {
    let widest = (0..=64).rev().find(|&l| lengths[l] > 0).unwrap_or(0) as u32;
    let mut best = (usize::MAX, widest);
    let mut above = 0usize;
    for width in (0..=widest).rev() {
        let exceptions_cost: usize = (width + 1..=widest)
            .map(|l| lengths[l as usize] as usize * (1 + (l - width).div_ceil(7) as usize))
            .sum();
        above += lengths.get(width as usize + 1).map_or(0, |&c| c as usize);
        if above > MAX_EXCEPTIONS {
            break;
        }
        let cost = (n * width as usize).div_ceil(8) + exceptions_cost;
        if cost <= best.0 {
            best = (cost, width);
        }
    }
    best.1
}

/// Packs the low `width` bits of each offset, least significant first.
fn pack(out: &mut Vec<u8>, offsets: &[u64], width: u32) {
    if width == 0 {
        return;
    }
    let mask = low_mask(width);
    let (mut acc, mut filled) = (0u64, 0u32);
    for &x in offsets {
        let x = x & mask;
        acc |= x << filled;
        if filled + width >= 64 {
            out.extend_from_slice(&acc.to_le_bytes());
            acc = if filled == 0 { 0 } else { x >> (64 - filled) };
            filled = filled + width - 64;
        } else {
            filled += width;
        }
    }
    out.extend_from_slice(&acc.to_le_bytes()[..filled.div_ceil(8) as usize]);
}

/// Reads a block of `out.len()` values at `*pos`, advancing it; `None` if
/// the bytes are truncated or not a block.
pub fn read_block(bytes: &[u8], pos: &mut usize, out: &mut [i64]) -> Option<()> {
    let n = out.len();
    let base = unzigzag(read_varint(bytes, pos)?);
    let width = u32::from(*bytes.get(*pos)?);
    *pos += 1;
    if width > 64 {
        return None;
    }
    let len = (n * width as usize).div_ceil(8);
    let packed = bytes.get(*pos..*pos + len)?;
    let padded;
    // The unpacking loads 8 or 16 bytes at a time: near the end of the
    // chunk it reads from a zero-padded copy instead.
    let source = if bytes.len() >= *pos + len + 16 {
        &bytes[*pos..]
    } else {
        let mut copy = [0u8; BLOCK * 8 + 16];
        copy[..len].copy_from_slice(packed);
        padded = copy;
        &padded[..]
    };
    unpack(source, width, out);
    *pos += len;
    let exceptions = usize::from(*bytes.get(*pos)?);
    *pos += 1;
    if exceptions > 0 && width == 64 {
        return None;
    }
    for _ in 0..exceptions {
        let index = usize::from(*bytes.get(*pos)?);
        *pos += 1;
        let high = read_varint(bytes, pos)?;
        let slot = out.get_mut(index)?;
        *slot |= high.checked_shl(width).unwrap_or(0) as i64;
    }
    for v in out.iter_mut() {
        *v = v.wrapping_add(base);
    }
    Some(())
}

/// Unpacks `out.len()` values of `width` bits from `source`, which holds
/// at least 16 bytes past the packed ones.
fn unpack(source: &[u8], width: u32, out: &mut [i64]) {
    if width == 0 {
        out.fill(0);
        return;
    }
    let mask = low_mask(width);
    let width = width as usize;
    if width <= 56 {
        for (i, slot) in out.iter_mut().enumerate() {
            let bit = i * width;
            let word = u64::from_le_bytes(load(source, bit / 8));
            *slot = ((word >> (bit % 8)) & mask) as i64;
        }
    } else {
        for (i, slot) in out.iter_mut().enumerate() {
            let bit = i * width;
            let lo = u64::from_le_bytes(load(source, bit / 8));
            let hi = u64::from_le_bytes(load(source, bit / 8 + 8));
            let word = (u128::from(hi) << 64) | u128::from(lo);
            *slot = ((word >> (bit % 8)) as u64 & mask) as i64;
        }
    }
}

#[inline]
fn load(source: &[u8], at: usize) -> [u8; 8] {
    let mut word = [0u8; 8];
    word.copy_from_slice(&source[at..at + 8]);
    word
}

fn low_mask(n: u32) -> u64 {
    if n >= 64 {
        u64::MAX
    } else {
        (1u64 << n) - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn round_trip(values: &[i64]) -> usize {
        let mut bytes = Vec::new();
        write_block(&mut bytes, values);
        let mut back = vec![0i64; values.len()];
        let mut pos = 0;
        assert_eq!(read_block(&bytes, &mut pos, &mut back), Some(()));
        assert_eq!(back, values);
        assert_eq!(pos, bytes.len(), "the block ends where it says");
        bytes.len()
    }

    #[test]
    fn a_constant_block_costs_three_bytes() {
        assert_eq!(round_trip(&[0; BLOCK]), 3);
        assert_eq!(round_trip(&[1000; BLOCK]), 4, "the base takes two");
    }

    #[test]
    fn small_values_pack_at_their_width_wherever_they_sit() {
        let jitter: Vec<i64> = (0..BLOCK as i64).map(|i| 5_000 + i % 8).collect();
        assert_eq!(round_trip(&jitter), 2 + 1 + BLOCK * 3 / 8 + 1);
        let negative: Vec<i64> = jitter.iter().map(|v| -v).collect();
        assert_eq!(round_trip(&negative), 2 + 1 + BLOCK * 3 / 8 + 1);
    }

    #[test]
    fn a_spike_is_an_exception_not_a_wider_block() {
        let mut values = vec![0i64; BLOCK];
        values[40] = 1 << 40;
        values[41] = 3;
        assert!(round_trip(&values) < 3 + BLOCK * 2 / 8 + 10);
    }

    #[test]
    fn extremes_and_full_width() {
        round_trip(&[i64::MIN, i64::MAX, 0, -1, 1]);
        let wide: Vec<i64> = (0..BLOCK as i64)
            .map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15_u64 as i64))
            .collect();
        round_trip(&wide);
        round_trip(&[7]);
    }

    #[test]
    fn truncated_or_corrupt_blocks_are_refused() {
        let mut bytes = Vec::new();
        write_block(&mut bytes, &[1, 900, 3, 1 << 30, 5]);
        for cut in 0..bytes.len() {
            let mut back = [0i64; 5];
            assert_eq!(read_block(&bytes[..cut], &mut 0, &mut back), None, "cut at {cut}");
        }
        assert_eq!(read_block(&[0, 65, 0], &mut 0, &mut [0i64; 1]), None, "width over 64");
        assert_eq!(
            read_block(&[0, 0, 1, 9, 1], &mut 0, &mut [0i64; 2]),
            None,
            "exception out of the block"
        );
    }

    proptest! {
        #[test]
        fn any_block_round_trips(values in prop::collection::vec(any::<i64>(), 1..=BLOCK), spread in 0u32..64) {
            let values: Vec<i64> = values.iter().map(|v| v >> spread).collect();
            round_trip(&values);
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..200), n in 1..=BLOCK) {
            let mut out = vec![0i64; n];
            let _ = read_block(&bytes, &mut 0, &mut out);
        }
    }
}
