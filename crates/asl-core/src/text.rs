//! Unicode case mapping and reading decimal numbers, for every crate of the project (JSONata's
//! `$lowercase`/`$uppercase` and `$number`, its date and number pictures, the graph's labels, the
//! JSON and YAML readers), from a host when one is registered.
//!
//! Why a host hook: Rust's `str::to_lowercase`/`to_uppercase` carry core's Unicode case tables,
//! ~23 KB of data (11 KB of the playground's gzipped bundle, benches/README.md, "Bundle size"). A
//! browser already has them: the playground registers a [`TextHost`] backed by JavaScript's
//! `String.prototype.toLowerCase`/`toUpperCase` ([`set_text_host`]), which are also JSONata's
//! reference semantics, and builds asl-core without the cargo feature `case-tables`. Native
//! builds and the JS API ask for the feature and use Rust's mapping (the same full Unicode
//! mapping, final sigma included; the tables' Unicode version may differ from the browser's).
//!
//! Without the feature and without a host, text is mapped in ASCII only (other characters stay as
//! they are); no shipped build is made that way. Call sites whose text is ASCII by construction
//! (fixed names, roman numerals) use `to_ascii_lowercase`/`to_ascii_uppercase` directly.
//!
//! Numbers the same way ([`parse_f64`]): Rust's `str::parse::<f64>` carries a table of 128-bit
//! powers of five (10 KB of the gzipped bundle); the playground builds asl-core without the
//! feature `float-parse` and lets JavaScript's `parseFloat` read what the exact shortcut here
//! cannot (more than 19 significant digits, powers of ten beyond 22).

use std::sync::OnceLock;

/// What a host supplies instead of Rust's tables (the playground: JavaScript's own methods).
pub trait TextHost: Sync {
    /// `s` in lower case, as JavaScript's `String.prototype.toLowerCase`.
    fn to_lowercase(&self, s: &str) -> String;
    /// `s` in upper case, as JavaScript's `String.prototype.toUpperCase`.
    fn to_uppercase(&self, s: &str) -> String;
    /// The `f64` nearest to `decimal`, which has Rust's decimal grammar (sign, digits with an
    /// optional point, optional exponent; no spaces): JavaScript's `parseFloat`.
    fn parse_decimal(&self, decimal: &str) -> f64;
}

static HOST: OnceLock<&'static dyn TextHost> = OnceLock::new();

/// Makes `host` do this process's case mapping from now on. Only the first call counts: it returns
/// false when a host was already set.
pub fn set_text_host(host: &'static dyn TextHost) -> bool {
    HOST.set(host).is_ok()
}

/// `s` in lower case (full Unicode: the host's mapping, else Rust's with `case-tables`).
pub fn to_lowercase(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    if let Some(host) = HOST.get() {
        return host.to_lowercase(s);
    }
    #[cfg(feature = "case-tables")]
    #[allow(clippy::disallowed_methods)] // the one place Rust's own mapping is used
    {
        s.to_lowercase()
    }
    #[cfg(not(feature = "case-tables"))]
    {
        s.to_ascii_lowercase()
    }
}

/// `s` in upper case (full Unicode: the host's mapping, else Rust's with `case-tables`).
pub fn to_uppercase(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_uppercase();
    }
    if let Some(host) = HOST.get() {
        return host.to_uppercase(s);
    }
    #[cfg(feature = "case-tables")]
    #[allow(clippy::disallowed_methods)] // the one place Rust's own mapping is used
    {
        s.to_uppercase()
    }
    #[cfg(not(feature = "case-tables"))]
    {
        s.to_ascii_uppercase()
    }
}

/// `s` read as Rust's `str::parse::<f64>` reads it: the same grammar (an optional sign, then
/// `inf`, `infinity` or `nan` in any case, or decimal digits with an optional point and exponent;
/// no spaces) and the nearest `f64`; `None` where that fails.
///
/// With `float-parse`, Rust's own reader (core's `dec2flt`, whose table of 128-bit powers of five
/// is ~10 KB of the playground's gzipped bundle, incompressible). Without it, the grammar is
/// checked here, a number with at most 19 significant digits and a power of ten up to 22 is
/// computed here exactly (Clinger's fast path: both factors are exact in an `f64`, so the one
/// multiplication or division rounds correctly), and the rest is read by the host (the
/// playground: JavaScript's `parseFloat`, also correctly rounded); with no host, `None`.
pub fn parse_f64(s: &str) -> Option<f64> {
    #[cfg(feature = "float-parse")]
    {
        s.parse().ok()
    }
    #[cfg(not(feature = "float-parse"))]
    {
        parse_with(s, |decimal| HOST.get().map(|h| h.parse_decimal(decimal)))
    }
}

/// [`parse_f64`] without Rust's reader: `host` reads what the fast path cannot.
#[cfg(any(test, not(feature = "float-parse")))]
fn parse_with(s: &str, host: impl FnOnce(&str) -> Option<f64>) -> Option<f64> {
    let (negative, unsigned) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let signed = |v: f64| if negative { -v } else { v };
    if unsigned.eq_ignore_ascii_case("inf") || unsigned.eq_ignore_ascii_case("infinity") {
        return Some(signed(f64::INFINITY));
    }
    if unsigned.eq_ignore_ascii_case("nan") {
        return Some(signed(f64::NAN));
    }
    match decimal(unsigned)? {
        Decimal::Exact(v) => Some(signed(v)),
        Decimal::Other => host(s),
    }
}

/// A decimal number's text that follows Rust's grammar: its value when the fast path gives it.
#[cfg(any(test, not(feature = "float-parse")))]
enum Decimal {
    Exact(f64),
    Other,
}

/// Checks `digits[.digits][(e|E)[sign]digits]` (digits on at least one side of the point) and
/// computes the value when it is exact in one step; `None` when the text is not a number.
#[cfg(any(test, not(feature = "float-parse")))]
fn decimal(text: &str) -> Option<Decimal> {
    /// 10^0 ..= 10^22, every one exact in an `f64`.
    const POWERS: [f64; 23] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];
    let b = text.as_bytes();
    let mut i = 0;
    let mut mantissa: u64 = 0;
    let mut significant = 0u32;
    // The power of ten the mantissa's last digit stands for.
    let mut exponent: i64 = 0;
    let mut digits = 0usize;
    let mut dropped = false;
    let mut take = |d: u8, fraction: bool, mantissa: &mut u64, exponent: &mut i64| {
        if significant < 19 {
            *mantissa = *mantissa * 10 + u64::from(d - b'0');
            if *mantissa != 0 {
                significant += 1;
            }
            if fraction {
                *exponent -= 1;
            }
        } else {
            dropped |= d != b'0';
            if !fraction {
                *exponent += 1;
            }
        }
    };
    while let Some(&d) = b.get(i).filter(|d| d.is_ascii_digit()) {
        take(d, false, &mut mantissa, &mut exponent);
        digits += 1;
        i += 1;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while let Some(&d) = b.get(i).filter(|d| d.is_ascii_digit()) {
            take(d, true, &mut mantissa, &mut exponent);
            digits += 1;
            i += 1;
        }
    }
    if digits == 0 {
        return None;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        let negative = match b.get(i) {
            Some(b'-') => {
                i += 1;
                true
            }
            Some(b'+') => {
                i += 1;
                false
            }
            _ => false,
        };
        let start = i;
        let mut e: i64 = 0;
        while let Some(&d) = b.get(i).filter(|d| d.is_ascii_digit()) {
            e = (e * 10 + i64::from(d - b'0')).min(1 << 40);
            i += 1;
        }
        if i == start {
            return None;
        }
        exponent += if negative { -e } else { e };
    }
    if i != b.len() {
        return None;
    }
    if mantissa == 0 && !dropped {
        return Some(Decimal::Exact(0.0));
    }
    if dropped || mantissa > 1 << 53 {
        return Some(Decimal::Other);
    }
    let m = mantissa as f64;
    Some(match usize::try_from(exponent.unsigned_abs()) {
        Ok(p) if p < POWERS.len() && exponent >= 0 => Decimal::Exact(m * POWERS[p]),
        Ok(p) if p < POWERS.len() => Decimal::Exact(m / POWERS[p]),
        _ => Decimal::Other,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // The ASCII shortcut gives what the full mapping gives; beyond ASCII (with `case-tables`, as
    // `cargo test -p asl-core` builds) the full mapping: special casing, final sigma.
    #[test]
    #[allow(clippy::disallowed_methods)]
    fn maps_as_rust_does() {
        for s in [
            "",
            "Hello, World 42!",
            "ÀÉÎõü",
            "straße",
            "ΟΔΟΣ ΟΔΟΣ",
            "İstanbul",
            "ǅ",
            "ﬁ",
            "\u{212A}elvin",
        ] {
            #[cfg(feature = "case-tables")]
            {
                assert_eq!(to_lowercase(s), s.to_lowercase(), "{s}");
                assert_eq!(to_uppercase(s), s.to_uppercase(), "{s}");
            }
            if s.is_ascii() {
                assert_eq!(to_lowercase(s), s.to_ascii_lowercase(), "{s}");
                assert_eq!(to_uppercase(s), s.to_ascii_uppercase(), "{s}");
            }
        }
        #[cfg(feature = "case-tables")]
        {
            assert_eq!(to_uppercase("straße"), "STRASSE");
            assert_eq!(
                to_lowercase("ΟΔΟΣ ΟΔΟΣ"),
                "\u{3bf}\u{3b4}\u{3bf}\u{3c2} \u{3bf}\u{3b4}\u{3bf}\u{3c2}"
            );
        }
    }

    /// `parse_with` with Rust's reader as the host: the same answer as `str::parse`, bit for bit,
    /// and whether the host was asked.
    fn both(s: &str) -> (Option<u64>, Option<u64>, bool) {
        let mut asked = false;
        let ours = parse_with(s, |t| {
            asked = true;
            t.parse().ok()
        });
        let rust = s.parse::<f64>().ok();
        (ours.map(f64::to_bits), rust.map(f64::to_bits), asked)
    }

    #[test]
    fn reads_numbers_as_rust_does() {
        for s in [
            "",
            "+",
            "-",
            ".",
            "e5",
            "1e",
            "1e+",
            "1.e",
            ".e1",
            "1..2",
            "1.2.3",
            " 1",
            "1 ",
            "1_0",
            "0x10",
            "1e5x",
            "--1",
            "+-1",
            "0",
            "-0",
            "+0",
            "0.0",
            "-0.0e-999",
            "00",
            "007",
            "1.",
            ".5",
            "-.5",
            "+.5e1",
            "3.14",
            "-2.5E-3",
            "1e22",
            "1e23",
            "9007199254740992",
            "9007199254740993",
            "1234567890123456789",
            "12345678901234567890",
            "0.1",
            "0.2",
            "0.30000000000000004",
            "1.7976931348623157e308",
            "1.8e308",
            "1e400",
            "-1e400",
            "4.9e-324",
            "2e-324",
            "1e-400",
            "2.2250738585072014e-308",
            "123456789e-22",
            "123456789e-23",
            "1e99999999999999999999",
            "1e-99999999999999999999",
            "0.000000000000000000000000000001",
            "100000000000000000000000",
            "inf",
            "-inf",
            "+INF",
            "infinity",
            "-Infinity",
            "InFiNiTy",
            "nan",
            "-nan",
            "+NaN",
            "NAN",
            "infin",
            "nana",
            "0.10000000000000000000000000000000000001",
            "10000000000000000000000000000000000000000e-40",
        ] {
            let (ours, rust, _) = both(s);
            assert_eq!(ours, rust, "{s:?}");
        }
        // The usual numbers never reach the host.
        for s in [
            "3.14",
            "-2.5E-3",
            "42",
            "0.1",
            "1e22",
            "123456789012.125",
            "1e-22",
        ] {
            assert!(!both(s).2, "{s}");
        }
        assert!(both("1e23").2 && both("12345678901234567891").2);
    }

    proptest::proptest! {
        #[test]
        fn reads_decimals_as_rust_does(s in "[+-]?[0-9]{0,24}(\\.[0-9]{0,24})?([eE][+-]?[0-9]{1,3})?") {
            let (ours, rust, _) = both(&s);
            proptest::prop_assert_eq!(ours, rust, "{:?}", s);
        }

        #[test]
        fn refuses_what_rust_refuses(s in "[0-9.eE+\\-a-z ]{0,8}") {
            let (ours, rust, _) = both(&s);
            proptest::prop_assert_eq!(ours, rust, "{:?}", s);
        }
    }
}
