//! AWS Step Functions' additions to JSONata: `$partition`, `$range`, `$hash`, `$random([seed])`,
//! `$uuid()` and `$parse`, with the signatures and error texts AWS reports.
//!
//! `$random(seed)` returns the first `nextDouble()` of `java.util.Random` seeded with `seed` (the
//! 48-bit linear congruential generator Java specifies), so the same seed gives the same number,
//! as on AWS. Without a seed, and for `$uuid()`, numbers come from the evaluation's injected
//! generator ([`crate::env::Rng`]), never from the system.

use md5::Md5;
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha384, Sha512};

use super::super::error::{JResult, err};
use super::super::eval::Evaluator;
use super::super::jv::{JV, Seq, Val};
use super::{Builtin, arg, num_arg, str_arg};
use crate::value::Value;

/// `java.util.Random`: the generator Java specifies (48-bit LCG).
pub(crate) struct JavaRandom {
    seed: u64,
}

const MULT: u64 = 0x5_DEEC_E66D;
const MASK: u64 = (1 << 48) - 1;

impl JavaRandom {
    pub fn new(seed: i64) -> Self {
        JavaRandom {
            seed: (seed as u64 ^ MULT) & MASK,
        }
    }

    fn next(&mut self, bits: u32) -> u64 {
        self.seed = (self.seed.wrapping_mul(MULT).wrapping_add(0xB)) & MASK;
        self.seed >> (48 - bits)
    }

    pub fn next_double(&mut self) -> f64 {
        let hi = self.next(26);
        let lo = self.next(27);
        ((hi << 27) + lo) as f64 * (1.0 / (1u64 << 53) as f64)
    }
}

pub(crate) fn random<'a>(ev: &mut Evaluator<'a, '_>, args: &[Val<'a>]) -> JResult<Val<'a>> {
    match num_arg(args, 0) {
        Some(seed) => Ok(Some(JV::Num(JavaRandom::new(seed as i64).next_double()))),
        None => Ok(Some(JV::Num(ev.next_random()))),
    }
}

pub(crate) fn call<'a>(
    ev: &mut Evaluator<'a, '_>,
    b: Builtin,
    args: &[Val<'a>],
) -> JResult<Val<'a>> {
    match b {
        Builtin::Partition => {
            let Some(list) = arg(args, 0) else {
                return Ok(None);
            };
            let size = num_arg(args, 1).unwrap_or(0.0).floor();
            if size < 1.0 {
                return Ok(None);
            }
            let items = list.to_vec();
            let chunks = items
                .chunks(size as usize)
                .map(|c| JV::array(c.to_vec()))
                .collect();
            Ok(Some(JV::array(chunks)))
        }
        Builtin::Range => {
            let (Some(start), Some(end)) = (num_arg(args, 0), num_arg(args, 1)) else {
                return Ok(None);
            };
            let step = num_arg(args, 2).unwrap_or(1.0);
            if step == 0.0 || !step.is_finite() {
                return Ok(None);
            }
            let mut out = Vec::new();
            let mut x = start;
            while (step > 0.0 && x <= end) || (step < 0.0 && x >= end) {
                out.push(JV::Num(x));
                if out.len() > 10_000_000 {
                    return Err(err(
                        "D2014",
                        "The size of the sequence allocated by $range must not exceed 1e7",
                    ));
                }
                x += step;
            }
            // A sequence, as AWS builds it: one number comes out as that number (recorded:
            // `$range(1, 9, 9)` gives `1`).
            Ok(Some(Seq::seq_with(out).into_jv()))
        }
        Builtin::Hash => {
            let Some(data) = str_arg(args, 0) else {
                return Ok(None);
            };
            let alg = str_arg(args, 1).unwrap_or("");
            let bytes = data.as_bytes();
            let digest: Vec<u8> = match alg {
                "MD5" => Md5::digest(bytes).to_vec(),
                "SHA-1" => Sha1::digest(bytes).to_vec(),
                "SHA-256" => Sha256::digest(bytes).to_vec(),
                "SHA-384" => Sha384::digest(bytes).to_vec(),
                "SHA-512" => Sha512::digest(bytes).to_vec(),
                other => {
                    return Err(err(
                        "D3137",
                        format!(
                            "Hash algorithm '{other}' must be one of SHA-1, SHA-384, SHA-256, SHA-512, MD5"
                        ),
                    ));
                }
            };
            let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
            Ok(Some(JV::str(&hex)))
        }
        Builtin::Uuid => Ok(Some(JV::str(&ev.rng.uuid_v4()))),
        Builtin::Parse => {
            let Some(text) = str_arg(args, 0) else {
                return Ok(None);
            };
            let v = Value::parse(text).map_err(|_| err("D3137", "Invalid JSON"))?;
            Ok(Some(JV::from_value(&v)))
        }
        _ => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::JavaRandom;

    #[test]
    fn java_random_matches_known_first_doubles() {
        // new java.util.Random(42).nextDouble() and new Random(0).nextDouble().
        assert_eq!(JavaRandom::new(42).next_double(), 0.7275636800328681);
        assert_eq!(JavaRandom::new(0).next_double(), 0.730967787376657);
        let mut r = JavaRandom::new(42);
        r.next_double();
        assert_eq!(r.next_double(), 0.6832234717598454);
    }
}
