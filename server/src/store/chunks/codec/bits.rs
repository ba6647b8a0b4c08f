//! Bit-level writing and reading, most significant bit first.

/// Appends bits to a byte vector. Bits gather, left-aligned, in a 64-bit
/// accumulator that leaves as 8 bytes once full; the last byte is padded
/// with zeros.
#[derive(Default)]
pub struct BitWriter {
    bytes: Vec<u8>,
    /// Pending bits, left-aligned; fewer than 64 between calls.
    acc: u64,
    pending: u32,
}

impl BitWriter {
    /// Writes after the bytes already in `bytes`.
    pub fn after(bytes: Vec<u8>) -> Self {
        BitWriter {
            bytes,
            acc: 0,
            pending: 0,
        }
    }

    #[inline]
    pub fn bit(&mut self, on: bool) {
        self.bits(u64::from(on), 1);
    }

    /// Writes the low `n` bits of `value` (n <= 64).
    #[inline]
    pub fn bits(&mut self, value: u64, n: u32) {
        if n == 0 {
            return;
        }
        let value = value & low_mask(n);
        let free = 64 - self.pending;
        if n < free {
            self.acc |= value << (free - n);
            self.pending += n;
            return;
        }
        // `value`'s high `free` bits fill the accumulator; the rest stay.
        let over = n - free;
        self.acc |= value >> over;
        self.bytes.extend_from_slice(&self.acc.to_be_bytes());
        self.acc = if over == 0 { 0 } else { value << (64 - over) };
        self.pending = over;
    }

    pub fn finish(mut self) -> Vec<u8> {
        let tail = self.pending.div_ceil(8) as usize;
        self.bytes.extend_from_slice(&self.acc.to_be_bytes()[..tail]);
        self.bytes
    }
}

/// A mask of the low `n` bits (n <= 64).
#[inline]
fn low_mask(n: u32) -> u64 {
    if n >= 64 {
        u64::MAX
    } else {
        (1u64 << n) - 1
    }
}

/// Reads bits written by [`BitWriter`]; `None` once the input runs out.
/// Bits are taken from a 64-bit buffer refilled a byte at a time, so a read
/// costs a shift, not a loop over bytes.
pub struct BitReader<'a> {
    bytes: &'a [u8],
    /// Next byte to load into `acc`.
    pos: usize,
    /// Unread bits, left-aligned.
    acc: u64,
    /// How many bits of `acc` are unread.
    avail: u32,
}

impl<'a> BitReader<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        BitReader {
            bytes,
            pos: 0,
            acc: 0,
            avail: 0,
        }
    }

    #[inline]
    pub fn bit(&mut self) -> Option<bool> {
        self.short(1).map(|b| b == 1)
    }

    /// Reads `n` bits (n <= 64) as the low bits of the result.
    #[inline]
    pub fn bits(&mut self, n: u32) -> Option<u64> {
        match n {
            0 => Some(0),
            1..=56 => self.short(n),
            _ => {
                let high = self.short(n - 32)?;
                Some((high << 32) | self.short(32)?)
            }
        }
    }

    /// The next `n` bits (1..=56) without consuming them, zero-padded
    /// past the end of the input.
    #[inline]
    pub fn peek(&mut self, n: u32) -> u64 {
        if self.avail < n {
            self.refill();
        }
        self.acc >> (64 - n)
    }

    /// Consumes `n` bits (n <= `avail`, as after a successful `peek`).
    #[inline]
    pub fn skip(&mut self, n: u32) -> Option<()> {
        if n > self.avail {
            return None;
        }
        self.acc = if n == 64 { 0 } else { self.acc << n };
        self.avail -= n;
        Some(())
    }

    #[inline]
    fn refill(&mut self) {
        // Away from the end, whole bytes come from one 8-byte load.
        if let Some(word) = self.bytes.get(self.pos..self.pos + 8) {
            let mut be = [0u8; 8];
            be.copy_from_slice(word);
            let whole = (64 - self.avail) / 8;
            let kept = self.avail + whole * 8;
            self.acc |= u64::from_be_bytes(be) >> self.avail;
            if kept < 64 {
                self.acc &= !(u64::MAX >> kept);
            }
            self.avail = kept;
            self.pos += whole as usize;
            return;
        }
        while self.avail <= 56 {
            let Some(&byte) = self.bytes.get(self.pos) else { break };
            self.acc |= u64::from(byte) << (56 - self.avail);
            self.avail += 8;
            self.pos += 1;
        }
    }

    /// A read of 1 to 56 bits, which one refill always covers.
    #[inline]
    fn short(&mut self, n: u32) -> Option<u64> {
        if self.avail < n {
            self.refill();
            if self.avail < n {
                return None;
            }
        }
        let value = self.acc >> (64 - n);
        self.acc <<= n;
        self.avail -= n;
        Some(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn packs_most_significant_bit_first() {
        let mut w = BitWriter::default();
        w.bit(true);
        w.bits(0b011, 3);
        w.bits(0xABCD, 16);
        let bytes = w.finish();
        assert_eq!(bytes, [0b1011_1010, 0b1011_1100, 0b1101_0000]);
        let mut r = BitReader::new(&bytes);
        assert_eq!(r.bit(), Some(true));
        assert_eq!(r.bits(3), Some(0b011));
        assert_eq!(r.bits(16), Some(0xABCD));
        assert_eq!(r.bits(4), Some(0), "padding");
        assert_eq!(r.bit(), None);
    }

    proptest! {
        #[test]
        fn round_trips_any_widths(items in prop::collection::vec((any::<u64>(), 0u32..=64), 0..50)) {
            let mut w = BitWriter::default();
            for &(v, n) in &items {
                w.bits(v, n);
            }
            let bytes = w.finish();
            let mut r = BitReader::new(&bytes);
            for &(v, n) in &items {
                let mask = if n == 64 { u64::MAX } else { (1u64 << n) - 1 };
                prop_assert_eq!(r.bits(n), Some(v & mask));
            }
        }
    }
}
