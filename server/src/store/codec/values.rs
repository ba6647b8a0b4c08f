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
    /// The cheapest coding that reproduces every value bit for bit.
    pub fn choose(values: impl Iterator<Item = f64> + Clone) -> ValueCoding {
        (0..=MAX_DECIMALS)
            .find(|&k| values.clone().all(|v| scaled(v, k).is_some()))
            .map_or(ValueCoding::Xor, |decimals| ValueCoding::Decimal { decimals })
    }
}

fn scale(decimals: u8) -> f64 {
    10f64.powi(i32::from(decimals))
}

/// `v * 10^k` as an integer, if dividing it back gives exactly `v`.
pub fn scaled(v: f64, decimals: u8) -> Option<i64> {
    let i = (v * scale(decimals)).round();
    if !i.is_finite() || i.abs() >= MAX_EXACT {
        return None;
    }
    // Checked through the decoder's own arithmetic, so -0.0 (whose sign the
    // integer loses) and anything inexact fall back to XOR.
    let int = i as i64;
    (unscaled(int, decimals).to_bits() == v.to_bits()).then_some(int)
}

pub fn unscaled(i: i64, decimals: u8) -> f64 {
    i as f64 / scale(decimals)
}

/// Writes values after the first, each relative to the one before.
pub struct ValueWriter {
    coding: ValueCoding,
    prev_int: i64,
    prev_bits: u64,
    window: Option<(u32, u32)>,
}

impl ValueWriter {
    pub fn new(coding: ValueCoding, first: f64) -> Self {
        let prev_int = match coding {
            ValueCoding::Decimal { decimals } => scaled(first, decimals).unwrap_or(0),
            ValueCoding::Xor => 0,
        };
        ValueWriter {
            coding,
            prev_int,
            prev_bits: first.to_bits(),
            window: None,
        }
    }

    pub fn write(&mut self, w: &mut BitWriter, v: f64) {
        match self.coding {
            ValueCoding::Decimal { decimals } => {
                let i = scaled(v, decimals).unwrap_or(self.prev_int);
                write_signed(w, i.wrapping_sub(self.prev_int));
                self.prev_int = i;
            }
            ValueCoding::Xor => {
                let bits = v.to_bits();
                let xor = bits ^ self.prev_bits;
                self.prev_bits = bits;
                if xor == 0 {
                    w.bit(false);
                    return;
                }
                w.bit(true);
                let (lead, trail) = (xor.leading_zeros().min(31), xor.trailing_zeros());
                match self.window {
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
                        self.window = Some((lead, trail));
                    }
                }
            }
        }
    }
}

/// Reads what [`ValueWriter`] wrote; `None` on truncated or corrupt input.
pub struct ValueReader {
    coding: ValueCoding,
    prev_int: i64,
    prev_bits: u64,
    window: Option<(u32, u32)>,
}

impl ValueReader {
    pub fn new(coding: ValueCoding, first: f64) -> Self {
        let prev_int = match coding {
            ValueCoding::Decimal { decimals } => scaled(first, decimals).unwrap_or(0),
            ValueCoding::Xor => 0,
        };
        ValueReader {
            coding,
            prev_int,
            prev_bits: first.to_bits(),
            window: None,
        }
    }

    pub fn read(&mut self, r: &mut BitReader) -> Option<f64> {
        match self.coding {
            ValueCoding::Decimal { decimals } => {
                self.prev_int = self.prev_int.wrapping_add(read_signed(r)?);
                Some(unscaled(self.prev_int, decimals))
            }
            ValueCoding::Xor => {
                if !r.bit()? {
                    return Some(f64::from_bits(self.prev_bits));
                }
                let (lead, trail) = if r.bit()? {
                    let lead = r.bits(5)? as u32;
                    let meaningful = r.bits(6)? as u32 + 1;
                    let trail = 64u32.checked_sub(lead + meaningful)?;
                    self.window = Some((lead, trail));
                    (lead, trail)
                } else {
                    self.window?
                };
                let xor = r.bits(64 - lead - trail)? << trail;
                self.prev_bits ^= xor;
                Some(f64::from_bits(self.prev_bits))
            }
        }
    }
}
