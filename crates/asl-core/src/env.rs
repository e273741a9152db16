//! What an execution may know of the outside world: a start time and a random seed.
//!
//! Owns [`Env`] (injected by the caller: the CLI takes `--seed`, the UI its own) and [`Rng`], the
//! only source of randomness in the core (States.MathRandom, States.UUID, retry jitter). Time is
//! virtual: the executor advances its own clock from `Env::start_time_ms`; nothing here reads the
//! system clock.
//!
//! Why a hand-written generator: a recorded seed must replay the same run forever, on every
//! platform and every version of this crate; a general-purpose crate is free to change its stream.
//! SplitMix64 is ten lines, passes BigCrush, and needs no state beyond one `u64`.

/// The injected environment of one execution.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Env {
    /// Virtual time at which the execution starts, in milliseconds since the Unix epoch.
    pub start_time_ms: i64,
    /// Seed of every random choice the execution makes.
    pub seed: u64,
}

impl Default for Env {
    /// 2024-01-01T00:00:00Z and seed 0: a fixed, documented default so runs are reproducible.
    fn default() -> Self {
        Env {
            start_time_ms: 1_704_067_200_000,
            seed: 0,
        }
    }
}

/// A deterministic random number generator (SplitMix64).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rng {
    state: u64,
}

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng { state: seed }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A float in `[0, 1)` with 53 random bits.
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// An integer in `[low, high]` (inclusive); `low` when the range is empty.
    pub fn range_i64(&mut self, low: i64, high: i64) -> i64 {
        if high <= low {
            return low;
        }
        let span = (high as i128 - low as i128 + 1) as u128;
        (low as i128 + (self.next_u64() as u128 % span) as i128) as i64
    }

    /// A version-4 UUID in its canonical lowercase text form.
    pub fn uuid_v4(&mut self) -> String {
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&self.next_u64().to_le_bytes());
        bytes[8..].copy_from_slice(&self.next_u64().to_le_bytes());
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        format!(
            "{}-{}-{}-{}-{}",
            &hex[0..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..32]
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream_and_valid_uuids() {
        let mut a = Rng::new(42);
        let mut b = Rng::new(42);
        let xs: Vec<u64> = (0..5).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..5).map(|_| b.next_u64()).collect();
        assert_eq!(xs, ys);
        assert_ne!(Rng::new(1).next_u64(), Rng::new(2).next_u64());
        let u = Rng::new(7).uuid_v4();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"), "{u}");
        let mut r = Rng::new(3);
        for _ in 0..1000 {
            let n = r.range_i64(-2, 2);
            assert!((-2..=2).contains(&n));
            let f = r.next_f64();
            assert!((0.0..1.0).contains(&f));
        }
    }
}
