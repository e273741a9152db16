//! The byte source every generator reads its choices from: the fuzzer's input, or a seeded
//! stream in the stable smoke tests. Wraps [`arbitrary::Unstructured`], which keeps answering
//! (with the smallest choice) once the bytes run out, so generation always ends.
//!
//! Not owned here: what is generated (see the sibling modules).

use arbitrary::Unstructured;

pub struct Gen<'a> {
    u: Unstructured<'a>,
}

impl<'a> Gen<'a> {
    pub fn new(bytes: &'a [u8]) -> Gen<'a> {
        Gen {
            u: Unstructured::new(bytes),
        }
    }

    /// Whether the bytes are used up (every further choice is the first one).
    pub fn is_empty(&self) -> bool {
        self.u.is_empty()
    }

    /// A number in `0..n` (0 when `n` is 0 or the bytes ran out).
    pub fn below(&mut self, n: usize) -> usize {
        if n <= 1 {
            return 0;
        }
        self.u.choose_index(n).unwrap_or(0)
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        self.u.int_in_range(lo..=hi).unwrap_or(lo)
    }

    pub fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len())]
    }

    /// True about `percent` in a hundred times (never once the bytes ran out).
    pub fn chance(&mut self, percent: u8) -> bool {
        !self.is_empty() && (self.range(0, 99) as u8) < percent
    }

    /// The rest of the bytes as text (lossy), for inputs the grammar doesn't produce.
    pub fn raw_text(&mut self, max: usize) -> String {
        let n = self.below(max + 1);
        let bytes = self.u.bytes(n.min(self.u.len())).unwrap_or(&[]);
        String::from_utf8_lossy(bytes).into_owned()
    }
}

/// A deterministic byte stream for the stable smoke tests (xorshift64*; no dependency on a
/// random-number crate, and the same seed gives the same bytes on every platform).
pub fn seeded_bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 56) as u8
        })
        .collect()
}
