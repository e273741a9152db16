//! Writing `f64`s as Rust's `{}`, `{:?}`, `{:e}`, `{:.N}` and `{:.Ne}` write them, for every crate
//! of the project, without core's float formatting.
//!
//! Why: any `f64` reaching a `{}`/`{:?}`/`{:e}` in the playground's code keeps all of core's
//! `flt2dec` (Grisu with its power table, and Dragon4 for both the shortest and the exact modes:
//! ~15 KB of code; benches/README.md, "Bundle size"), since `<f64 as Display>::fmt` picks the mode
//! from the formatter at run time. `ryu-js` is already there for JavaScript's number printing and
//! gives the same shortest round-trip digits, so the shortest forms are laid out from its digits;
//! the fixed-precision forms are computed here exactly (the value's exact decimal expansion, then
//! rounded half to even, as core does). Unit tests compare every function with `format!`.
//!
//! A clippy rule (`clippy.toml` of asl-core, asl-graph and web) cannot see format strings, so the
//! rule is by review: format `f64`s through these functions, never with a format spec.

/// `format!("{f}")`.
pub fn display(f: f64) -> String {
    special(f, "0").unwrap_or_else(|| {
        let s = Shortest::of(f);
        let mut out = s.sign();
        s.plain(&mut out, 0);
        out
    })
}

/// `format!("{f:?}")`: plain with at least one fractional digit for magnitudes in `[1e-4, 1e16)`
/// and zero, else as `{:e}`.
pub fn debug(f: f64) -> String {
    if let Some(s) = special(f, "0.0") {
        return s;
    }
    if (1e-4..1e16).contains(&f.abs()) {
        let s = Shortest::of(f);
        let mut out = s.sign();
        s.plain(&mut out, 1);
        out
    } else {
        exp(f)
    }
}

/// `format!("{f:e}")`: `1.5e-7`, `1e21`.
pub fn exp(f: f64) -> String {
    if let Some(s) = special(f, "0e0") {
        return s;
    }
    let s = Shortest::of(f);
    let mut out = s.sign();
    out.push(char::from(s.digits[0]));
    if s.digits.len() > 1 {
        out.push('.');
        out.extend(s.digits[1..].iter().map(|&d| char::from(d)));
    }
    out.push('e');
    out.push_str(&(s.point - 1).to_string());
    out
}

/// `format!("{f:.prec$}")`: exactly rounded, ties to even.
pub fn fixed(f: f64, prec: usize) -> String {
    if let Some(s) = nonfinite(f) {
        return s;
    }
    let mut out = sign(f);
    if let Some(scaled) = scaled_u128(f, prec) {
        // The common case (the graph's coordinates, durations): |f| × 10^prec rounded, in u128.
        let text = scaled.to_string();
        let text = format!(
            "{}{text}",
            "0".repeat((prec + 1).saturating_sub(text.len()))
        );
        let (int, frac) = text.split_at(text.len() - prec);
        out.push_str(int);
        if prec > 0 {
            out.push('.');
            out.push_str(frac);
        }
        return out;
    }
    let (digits, point) = Exact::of(f).round_at(|point| point + prec as i64);
    // `digits` holds the value's digits up to `prec` decimals, the point `point` digits in.
    let int_len = point.max(0) as usize;
    if int_len == 0 {
        out.push('0');
    }
    for i in 0..int_len {
        out.push(char::from(*digits.get(i).unwrap_or(&b'0')));
    }
    if prec > 0 {
        out.push('.');
        for i in 0..prec as i64 {
            let at = point + i;
            let d = if at < 0 {
                b'0'
            } else {
                *digits.get(at as usize).unwrap_or(&b'0')
            };
            out.push(char::from(d));
        }
    }
    out
}

/// `format!("{f:.prec$e}")`: `prec + 1` significant digits exactly rounded (ties to even), as
/// `d.ddde-7`.
pub fn exp_fixed(f: f64, prec: usize) -> String {
    if let Some(s) = nonfinite(f) {
        return s;
    }
    let mut out = sign(f);
    if f == 0.0 {
        out.push('0');
        if prec > 0 {
            out.push('.');
            out.extend(std::iter::repeat_n('0', prec));
        }
        out.push_str("e0");
        return out;
    }
    // The common case (JSONata's `precision15` with a 16- or 17-digit number of everyday size):
    // the decimal exponent from the shortest digits, then |f| × 10^(prec - exponent) rounded in
    // u128. Where the shortest digits round up to a power of ten, so do `prec + 1` digits.
    let exponent = Shortest::of(f).point - 1;
    let fast = usize::try_from(prec as i64 - exponent)
        .ok()
        .and_then(|scale| scaled_u128(f, scale));
    let (digits, point) = match fast {
        Some(scaled) => {
            let text = scaled.to_string().into_bytes();
            // `text` has prec + 1 digits, or prec + 2 when the rounding reached 10^(prec + 1).
            let point = exponent + 1 + (text.len() as i64 - prec as i64 - 1);
            (text, point)
        }
        None => Exact::of(f).round_at(|_| prec as i64 + 1),
    };
    out.push(char::from(digits[0]));
    if prec > 0 {
        out.push('.');
        for i in 1..=prec {
            out.push(char::from(*digits.get(i).unwrap_or(&b'0')));
        }
    }
    out.push('e');
    out.push_str(&(point - 1).to_string());
    out
}

/// |f| × 10^`prec` rounded half to even, when that fits the u128 arithmetic exactly: the mantissa
/// (53 bits) times 10^`prec` (at most 19) fits, and the binary exponent is negative (else the
/// value is a large integer: [`Exact`] does those).
fn scaled_u128(f: f64, prec: usize) -> Option<u128> {
    let bits = f.abs().to_bits();
    let biased = (bits >> 52) as i64;
    if biased == 0 || prec > 19 {
        return None;
    }
    let shift = 1075 - biased; // value = mantissa × 2^-shift
    if shift <= 0 {
        return None;
    }
    let mantissa = u128::from((bits & ((1 << 52) - 1)) | (1 << 52));
    let n = mantissa * 10u128.pow(prec as u32);
    if shift >= 127 {
        return Some(0); // n < 2^117, so the value is below 2^-10: it rounds to 0
    }
    let q = n >> shift;
    let rem = n & ((1u128 << shift) - 1);
    let half = 1u128 << (shift - 1);
    Some(if rem > half || (rem == half && q % 2 == 1) {
        q + 1
    } else {
        q
    })
}

fn sign(f: f64) -> String {
    if f.is_sign_negative() {
        "-".into()
    } else {
        String::new()
    }
}

fn nonfinite(f: f64) -> Option<String> {
    if f.is_nan() {
        Some("NaN".into())
    } else if f.is_infinite() {
        Some(if f < 0.0 { "-inf" } else { "inf" }.into())
    } else {
        None
    }
}

/// NaN, the infinities and the zeros (`zero` is how `+0.0` prints; `-0.0` gets a `-`).
fn special(f: f64, zero: &str) -> Option<String> {
    nonfinite(f).or_else(|| (f == 0.0).then(|| sign(f) + zero))
}

/// The shortest round-trip digits of a finite nonzero `f64` (ryu-js's): value = 0.`digits` ×
/// 10^`point`.
struct Shortest {
    negative: bool,
    digits: Vec<u8>,
    point: i64,
}

impl Shortest {
    fn of(f: f64) -> Shortest {
        let mut buf = ryu_js::Buffer::new();
        let text = buf.format_finite(f.abs());
        let (mantissa, exponent) = match text.split_once('e') {
            Some((m, e)) => (m, e.trim_start_matches('+').parse::<i64>().unwrap_or(0)),
            None => (text, 0),
        };
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let mut point = int.len() as i64 + exponent;
        let mut digits: Vec<u8> = int.bytes().chain(frac.bytes()).collect();
        let lead = digits.iter().take_while(|&&d| d == b'0').count();
        digits.drain(..lead);
        point -= lead as i64;
        while digits.last() == Some(&b'0') {
            digits.pop();
        }
        Shortest {
            negative: f < 0.0,
            digits,
            point,
        }
    }

    fn sign(&self) -> String {
        if self.negative {
            "-".into()
        } else {
            String::new()
        }
    }

    /// The digits without an exponent, with at least `min_frac` fractional digits.
    fn plain(&self, out: &mut String, min_frac: usize) {
        let d = |i: i64| {
            if i >= 0 && (i as usize) < self.digits.len() {
                char::from(self.digits[i as usize])
            } else {
                '0'
            }
        };
        if self.point <= 0 {
            out.push('0');
        } else {
            out.extend((0..self.point).map(d));
        }
        let frac = (self.digits.len() as i64 - self.point).max(min_frac as i64);
        if frac > 0 {
            out.push('.');
            out.extend((self.point..self.point + frac).map(d));
        }
    }
}

/// A finite `f64`'s exact decimal expansion: value = 0.`digits` × 10^`point` (no leading zero;
/// empty for zero).
struct Exact {
    digits: Vec<u8>,
    point: i64,
}

impl Exact {
    fn of(f: f64) -> Exact {
        let bits = f.abs().to_bits();
        let biased = (bits >> 52) as i64;
        let frac = bits & ((1 << 52) - 1);
        let (mantissa, e) = if biased == 0 {
            (frac, -1074)
        } else {
            (frac | (1 << 52), biased - 1075)
        };
        // value = mantissa × 2^e = big × 10^-scale, with big an integer: × 2^e when e ≥ 0, else
        // mantissa × 5^-e over 10^-e.
        let mut big = Big::from(mantissa);
        let scale = if e >= 0 {
            big.mul_pow(2, e as u32);
            0
        } else {
            big.mul_pow(5, (-e) as u32);
            -e
        };
        let digits = big.decimal();
        let point = digits.len() as i64 - scale;
        let mut x = Exact { digits, point };
        x.trim();
        x
    }

    fn trim(&mut self) {
        let lead = self.digits.iter().take_while(|&&d| d == b'0').count();
        self.digits.drain(..lead);
        self.point -= lead as i64;
        while self.digits.last() == Some(&b'0') {
            self.digits.pop();
        }
        if self.digits.is_empty() {
            self.point = 0;
        }
    }

    /// Rounds to the first `keep(point)` digits (half to even) and gives the digits (padded with
    /// zeros to that length) and the point, which moves one right when `9…9` rounds up.
    fn round_at(mut self, keep: impl Fn(i64) -> i64) -> (Vec<u8>, i64) {
        let n = keep(self.point);
        if n < 0 {
            return (Vec::new(), self.point);
        }
        let n = n as usize;
        if self.digits.len() > n {
            let first = self.digits[n];
            let rest_zero = self.digits[n + 1..].iter().all(|&d| d == b'0');
            let last_odd = n > 0 && self.digits[n - 1] % 2 == 1;
            let up = first > b'5' || (first == b'5' && (!rest_zero || last_odd));
            self.digits.truncate(n);
            if up {
                let mut i = n;
                loop {
                    if i == 0 {
                        self.digits.insert(0, b'1');
                        self.point += 1;
                        // keep's length can grow with the point (fixed): one more zero.
                        let n2 = keep(self.point).max(0) as usize;
                        self.digits.truncate(n2.max(1));
                        break;
                    }
                    i -= 1;
                    if self.digits[i] == b'9' {
                        self.digits[i] = b'0';
                    } else {
                        self.digits[i] += 1;
                        break;
                    }
                }
            }
        }
        let n = keep(self.point).max(0) as usize;
        self.digits.resize(n.max(self.digits.len()), b'0');
        (self.digits, self.point)
    }
}

/// An unsigned integer in base 10^9 limbs, least significant first: just enough for [`Exact`].
struct Big(Vec<u32>);

const LIMB: u64 = 1_000_000_000;

impl Big {
    fn from(mut v: u64) -> Big {
        let mut limbs = Vec::new();
        while v > 0 {
            limbs.push((v % LIMB) as u32);
            v /= LIMB;
        }
        Big(limbs)
    }

    /// × `base`^`exp` (`base` 2 or 5), a few factors at a time.
    fn mul_pow(&mut self, base: u64, mut exp: u32) {
        let step = if base == 2 { 29 } else { 12 }; // 2^29, 5^12 < 2^32
        while exp > 0 {
            let k = exp.min(step);
            self.mul_small(base.pow(k));
            exp -= k;
        }
    }

    fn mul_small(&mut self, m: u64) {
        let mut carry = 0u64;
        for limb in &mut self.0 {
            let v = u64::from(*limb) * m + carry;
            *limb = (v % LIMB) as u32;
            carry = v / LIMB;
        }
        while carry > 0 {
            self.0.push((carry % LIMB) as u32);
            carry /= LIMB;
        }
    }

    /// The decimal digits, most significant first (empty for zero).
    fn decimal(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.0.len() * 9);
        for (i, limb) in self.0.iter().rev().enumerate() {
            let text = limb.to_string();
            if i > 0 {
                out.extend(std::iter::repeat_n(b'0', 9 - text.len()));
            }
            out.extend_from_slice(text.as_bytes());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Values around the edges: zeros, ties, carries, tiny and huge, subnormals.
    fn samples() -> Vec<f64> {
        let mut v = vec![
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.5,
            1.5,
            2.5,
            0.25,
            0.125,
            0.1,
            0.2,
            0.3,
            0.1 + 0.2,
            9.995,
            9.999_999,
            99.5,
            0.000_123_4,
            1e-4,
            9.999e-5,
            1e-5,
            0.000_099_999_999_999_999_99,
            999_999_999_999_999.9,
            99_999_999_999_999.99,
            0.999_999_999_999_999_9,
            1e15,
            1e16,
            1.5e16,
            1e21,
            1e22,
            123_456_789.123_456_78,
            1_000_000_000_000_005.0,
            12_345_678_901_234.5,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            1e-300,
            2.225e-308,
            std::f64::consts::PI,
            std::f64::consts::E * 1e100,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        // A deterministic spread of bit patterns (xorshift), both signs.
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..3000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            v.push(f64::from_bits(x));
            // And numbers of everyday size with few digits.
            v.push((x % 2_000_000) as f64 / 1000.0 - 1000.0);
            v.push((x % 100_000) as f64 / 8.0);
        }
        v
    }

    #[test]
    fn shortest_forms_match_format() {
        for f in samples() {
            assert_eq!(display(f), format!("{f}"), "{{}} of {:#x}", f.to_bits());
            assert_eq!(debug(f), format!("{f:?}"), "{{:?}} of {:#x}", f.to_bits());
            assert_eq!(exp(f), format!("{f:e}"), "{{:e}} of {:#x}", f.to_bits());
        }
    }

    #[test]
    fn fixed_forms_match_format() {
        for f in samples() {
            for prec in [0, 1, 2, 3, 4, 8, 14] {
                assert_eq!(
                    fixed(f, prec),
                    format!("{f:.prec$}"),
                    "{{:.{prec}}} of {:#x}",
                    f.to_bits()
                );
                assert_eq!(
                    exp_fixed(f, prec),
                    format!("{f:.prec$e}"),
                    "{{:.{prec}e}} of {:#x}",
                    f.to_bits()
                );
            }
        }
    }
}
