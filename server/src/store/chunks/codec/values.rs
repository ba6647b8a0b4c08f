//! Value streams. Sensors report with a fixed resolution (21.53 °C, not
//! 21.5300000001), so values that are exact decimals with at most
//! [`MAX_DECIMALS`] places are stored as scaled integers and their deltas,
//! a few bits each. Anything else falls back to Gorilla's XOR encoding,
//! which keeps every bit of any f64.

use super::bits::{BitReader, BitWriter};
use super::ints::{read_signed, write_signed};

pub const MAX_DECIMALS: u8 = 6;
const MAX_EXACT: f64 = 9_007_199_254_740_992.0; // 2^53

/// How a chunk's values are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueCoding {
    /// `value = int / 10^decimals`, ints stored as deltas.
    Decimal { decimals: u8 },
    /// XOR with the previous value's bits (Gorilla).
    Xor,
}

impl ValueCoding {
    /// The cheapest coding in which every value is an exact decimal, as
    /// format version 1 needs (only tests write it now).
    #[cfg(test)]
    pub fn exact(values: impl Iterator<Item = f64> + Clone) -> ValueCoding {
        (0..=MAX_DECIMALS)
            .find(|&k| values.clone().all(|v| scaled(v, k).is_some()))
            .map_or(ValueCoding::Xor, |decimals| ValueCoding::Decimal { decimals })
    }

    /// The coding for format version 2: the fewest decimals at which the
    /// first value and all but [`MAX_PATCHED`] of the others are exact;
    /// the rest are stored whole beside the decimals. Values computed in
    /// floating point (`20.0 + 0.07` is 20.069999999999997) are mostly
    /// exact decimals with a few such neighbours, and would otherwise
    /// take the XOR coding's 6 to 8 bytes a point. Also returns how many
    /// values need a patch (0 lets the encoder skip checking each one).
    pub fn choose(values: impl Iterator<Item = f64> + Clone) -> (ValueCoding, usize) {
        let allowed = values.clone().count() / MAX_PATCHED;
        let first = values.clone().next();
        (0..=MAX_DECIMALS)
            .filter(|&k| first.is_some_and(|v| scaled(v, k).is_some()))
            .map(|k| {
                let inexact = values.clone().filter(|&v| scaled(v, k).is_none());
                (k, inexact.take(allowed + 1).count())
            })
            .find(|&(_, patched)| patched <= allowed)
            .map_or((ValueCoding::Xor, 0), |(decimals, patched)| {
                (ValueCoding::Decimal { decimals }, patched)
            })
    }
}

/// At most one value in this many may be patched in a decimal coding.
pub const MAX_PATCHED: usize = 8;

/// 10^k for k in 0..=MAX_DECIMALS; exact in f64.
const POWERS_OF_TEN: [f64; MAX_DECIMALS as usize + 1] = [1.0, 10.0, 100.0, 1e3, 1e4, 1e5, 1e6];

/// The divisor of a decimal coding: `value = int / scale(decimals)`.
pub fn scale(decimals: u8) -> f64 {
    POWERS_OF_TEN[usize::from(decimals.min(MAX_DECIMALS))]
}

/// `v * 10^k` as an integer, if dividing it back gives exactly `v`.
pub fn scaled(v: f64, decimals: u8) -> Option<i64> {
    let int = int_near(v * scale(decimals))?;
    // Checked through the decoder's own arithmetic, so -0.0 (whose sign the
    // integer loses) and anything inexact fall back to XOR.
    (unscaled(int, decimals).to_bits() == v.to_bits()).then_some(int)
}

/// `v * 10^k` as an integer, for a value the coding was chosen for (so
/// that [`scaled`] already found it exact).
pub fn scaled_unchecked(v: f64, decimals: u8) -> i64 {
    nearest_int(v * scale(decimals))
}

/// The integer that stands in the delta chain for `v`, which is not an
/// exact decimal and is stored whole: the nearest one, so that the deltas
/// around it stay small, or `previous` when there is none (NaN, the
/// infinities, huge values).
pub fn stand_in(v: f64, decimals: u8, previous: i64) -> i64 {
    int_near(v * scale(decimals)).unwrap_or(previous)
}

/// The integer nearest `x`, when it is exact in an f64 (not NaN, not
/// infinite, under 2^53 in size).
fn int_near(x: f64) -> Option<i64> {
    (!x.is_nan() && x.abs() < MAX_EXACT).then(|| nearest_int(x))
}

/// `x.round() as i64` for |x| < 2^53, where both conversions are exact:
/// without SSE4.1, `f64::round` is a call into libm, which was a seventh
/// of encoding.
fn nearest_int(x: f64) -> i64 {
    let toward_zero = x as i64;
    let fraction = x - toward_zero as f64;
    if fraction >= 0.5 {
        toward_zero + 1
    } else if fraction <= -0.5 {
        toward_zero - 1
    } else {
        toward_zero
    }
}

pub fn unscaled(i: i64, decimals: u8) -> f64 {
    i as f64 / scale(decimals)
}

/// What encoding and decoding both track: the previous value (as bits, and
/// scaled for decimal coding) and the XOR window last written.
struct Previous {
    coding: ValueCoding,
    int: i64,
    bits: u64,
    window: Option<(u32, u32)>,
}

impl Previous {
    fn new(coding: ValueCoding, first: f64) -> Self {
        let int = match coding {
            ValueCoding::Decimal { decimals } => scaled(first, decimals).unwrap_or(0),
            ValueCoding::Xor => 0,
        };
        Previous {
            coding,
            int,
            bits: first.to_bits(),
            window: None,
        }
    }
}

/// Writes values after the first, each relative to the one before.
pub struct ValueWriter(Previous);

impl ValueWriter {
    pub fn new(coding: ValueCoding, first: f64) -> Self {
        ValueWriter(Previous::new(coding, first))
    }

    /// Writes `v`; with decimal coding, `v` must be one of the values the
    /// coding was chosen for (so that scaling it is exact).
    pub fn write(&mut self, w: &mut BitWriter, v: f64) {
        match self.0.coding {
            ValueCoding::Decimal { decimals } => {
                // `choose` checked that this is exact; no need to divide back.
                let i = scaled_unchecked(v, decimals);
                write_signed(w, i.wrapping_sub(self.0.int));
                self.0.int = i;
            }
            ValueCoding::Xor => {
                let bits = v.to_bits();
                let xor = bits ^ self.0.bits;
                self.0.bits = bits;
                if xor == 0 {
                    w.bit(false);
                    return;
                }
                w.bit(true);
                let (lead, trail) = (xor.leading_zeros().min(31), xor.trailing_zeros());
                match self.0.window {
                    Some((pl, pt)) if lead >= pl && trail >= pt => {
                        w.bit(false);
                        w.bits(xor >> pt, 64 - pl - pt);
                    }
                    _ => {
                        let meaningful = 64 - lead - trail;
                        w.bit(true);
                        w.bits(u64::from(lead), 5);
                        w.bits(u64::from(meaningful - 1), 6);
                        w.bits(xor >> trail, meaningful);
                        self.0.window = Some((lead, trail));
                    }
                }
            }
        }
    }
}

/// Reads what [`ValueWriter`] wrote; `None` on truncated or corrupt input.
pub struct ValueReader(Previous);

impl ValueReader {
    pub fn new(coding: ValueCoding, first: f64) -> Self {
        ValueReader(Previous::new(coding, first))
    }

    pub fn read(&mut self, r: &mut BitReader) -> Option<f64> {
        match self.0.coding {
            ValueCoding::Decimal { decimals } => {
                self.0.int = self.0.int.wrapping_add(read_signed(r)?);
                Some(unscaled(self.0.int, decimals))
            }
            ValueCoding::Xor => {
                if !r.bit()? {
                    return Some(f64::from_bits(self.0.bits));
                }
                let (lead, trail) = if r.bit()? {
                    let lead = r.bits(5)? as u32;
                    let meaningful = r.bits(6)? as u32 + 1;
                    let trail = 64u32.checked_sub(lead + meaningful)?;
                    self.0.window = Some((lead, trail));
                    (lead, trail)
                } else {
                    self.0.window?
                };
                let xor = r.bits(64 - lead - trail)? << trail;
                self.0.bits ^= xor;
                Some(f64::from_bits(self.0.bits))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn halves_round_away_from_zero() {
        for x in [
            0.5,
            -0.5,
            2.5,
            -2.5,
            0.499_999_999_999_999_94,
            -1e15 - 0.5,
            2153.0000001,
            -0.0,
        ] {
            assert_eq!(nearest_int(x), x.round() as i64, "{x}");
        }
    }

    proptest! {
        #[test]
        fn nearest_int_is_round(x in -MAX_EXACT..MAX_EXACT, scale in 0u32..7) {
            let x = x / 10f64.powi(scale as i32);
            prop_assert_eq!(nearest_int(x), x.round() as i64);
        }
    }
}
