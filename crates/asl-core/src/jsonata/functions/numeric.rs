//! Numeric functions: aggregates (`$sum`, `$count`, `$max`, `$min`, `$average`), `$number`,
//! rounding, `$abs`, `$sqrt`, `$power`, and the formatting group (`$formatNumber`,
//! `$formatBase`, `$formatInteger`, `$parseInteger`, in [`super::super::format`]).

use super::super::error::{JResult, err};
use super::super::format;
use super::super::jv::{JV, Val};
use super::{Builtin, arg, num_arg, str_arg};

fn num<'a>(n: f64) -> JResult<Val<'a>> {
    Ok(Some(JV::Num(n)))
}

pub(crate) fn aggregate<'a>(b: Builtin, args: &[Val<'a>]) -> JResult<Val<'a>> {
    let Some(list) = arg(args, 0) else {
        return if b == Builtin::Count {
            num(0.0)
        } else {
            Ok(None)
        };
    };
    // Read from the list in place (no vector of the numbers per call: `$sum` runs per item of
    // a map), in the same order, so sums round exactly as before.
    let nums = || list.items().filter_map(|v| v.num());
    let none = || nums().next().is_none();
    match b {
        Builtin::Count => num(list.arr_len() as f64),
        Builtin::Sum => num(nums().sum()),
        Builtin::Max if none() => Ok(None),
        Builtin::Max => num(nums().fold(f64::NEG_INFINITY, f64::max)),
        Builtin::Min if none() => Ok(None),
        Builtin::Min => num(nums().fold(f64::INFINITY, f64::min)),
        Builtin::Average if none() => Ok(None),
        _ => num(nums().sum::<f64>() / nums().count() as f64),
    }
}

/// JSONata's `$round`: half to even, at `precision` decimal places.
pub(crate) fn round_half_even(x: f64, precision: i32) -> f64 {
    let shifted = if precision != 0 {
        shift(x, precision)
    } else {
        x
    };
    let mut r = (shifted + 0.5).floor();
    let diff = r - shifted;
    if diff.abs() == 0.5 && (r % 2.0).abs() == 1.0 {
        r -= 1.0;
    }
    let out = if precision != 0 {
        shift(r, -precision)
    } else {
        r
    };
    if out == 0.0 { 0.0 } else { out }
}

/// `x * 10^p` through the decimal text, as JSONata does, to avoid binary rounding errors.
fn shift(x: f64, p: i32) -> f64 {
    let text = super::super::jv::js_number(x);
    let (mant, exp) = match text.split_once('e') {
        Some((m, e)) => (m.to_string(), e.parse::<i32>().unwrap_or(0)),
        None => (text, 0),
    };
    crate::text::parse_f64(&format!("{mant}e{}", exp + p)).unwrap_or(x)
}

pub(crate) fn call<'a>(b: Builtin, args: &[Val<'a>]) -> JResult<Val<'a>> {
    use Builtin as B;
    if b == B::Number {
        return number(arg(args, 0));
    }
    if b == B::ParseInteger {
        let Some(s) = str_arg(args, 0) else {
            return Ok(None);
        };
        let picture = str_arg(args, 1).unwrap_or("0");
        return Ok(super::super::integer::parse_integer(s, picture)?.map(JV::Num));
    }
    let Some(x) = num_arg(args, 0) else {
        return Ok(None);
    };
    match b {
        B::Floor => num(x.floor()),
        B::Ceil => num(x.ceil()),
        B::Abs => num(x.abs()),
        B::Round => {
            let p = num_arg(args, 1).unwrap_or(0.0) as i32;
            num(round_half_even(x, p))
        }
        B::Sqrt => {
            if x < 0.0 {
                return Err(err(
                    "D3060",
                    format!(
                        "The sqrt function cannot be applied to a negative number: {}",
                        super::super::jv::js_number(x)
                    ),
                ));
            }
            num(x.sqrt())
        }
        B::Power => {
            let e = num_arg(args, 1).unwrap_or(1.0);
            let r = x.powf(e);
            if !r.is_finite() {
                return Err(err(
                    "D3061",
                    format!(
                        "The power function has resulted in a value that cannot be represented as a JSON number: base={}, exponent={}",
                        super::super::jv::js_number(x),
                        super::super::jv::js_number(e)
                    ),
                ));
            }
            num(r)
        }
        B::FormatBase => {
            let radix = num_arg(args, 1).unwrap_or(10.0);
            if !(2.0..=36.0).contains(&radix) {
                return Err(err(
                    "D3100",
                    format!(
                        "The radix of the formatBase function must be between 2 and 36.  It was given {}",
                        super::super::jv::js_number(radix)
                    ),
                ));
            }
            let v = round_half_even(x, 0);
            Ok(Some(JV::str(&format::to_radix(v, radix as u32))))
        }
        B::FormatNumber => {
            let picture = str_arg(args, 1).unwrap_or("");
            let options = arg(args, 2);
            Ok(Some(JV::str(&format::format_number(
                x,
                picture,
                options.as_ref(),
            )?)))
        }
        B::FormatInteger => {
            let picture = str_arg(args, 1).unwrap_or("0");
            Ok(Some(JV::str(&super::super::integer::format_integer(
                x, picture,
            )?)))
        }
        _ => Ok(None),
    }
}

fn number<'a>(v: Val<'a>) -> JResult<Val<'a>> {
    let Some(v) = v else { return Ok(None) };
    let bad = |v: &JV| {
        err(
            "D3030",
            format!(
                "Unable to cast value to a number: {}",
                super::super::jv::to_js_string(v, false)
                    .map(|s| format!("{s:?}"))
                    .unwrap_or_default()
            ),
        )
    };
    match &v {
        JV::Num(n) => num(*n),
        JV::Bool(b) => num(if *b { 1.0 } else { 0.0 }),
        JV::Str(s) => {
            let t: &str = s;
            if is_decimal_literal(t) {
                match crate::text::parse_f64(t) {
                    Some(n) if n.is_finite() => return num(n),
                    _ => return Err(bad(&v)),
                }
            }
            let radix = |p: &str, r: u32| -> Option<f64> {
                let digits = t.get(2..)?;
                if !t[..2].eq_ignore_ascii_case(p) || digits.is_empty() {
                    return None;
                }
                u64::from_str_radix(digits, r).ok().map(|n| n as f64)
            };
            if let Some(n) = radix("0x", 16)
                .or_else(|| radix("0o", 8))
                .or_else(|| radix("0b", 2))
            {
                return num(n);
            }
            Err(bad(&v))
        }
        _ => Err(bad(&v)),
    }
}

/// `^-?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)?$`
fn is_decimal_literal(t: &str) -> bool {
    let b = t.as_bytes();
    let mut i = 0;
    if b.first() == Some(&b'-') {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let s = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i > s
    };
    if !digits(&mut i) {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if !digits(&mut i) {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !digits(&mut i) {
            return false;
        }
    }
    i == b.len()
}
