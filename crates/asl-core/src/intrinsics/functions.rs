//! What each `States.*` function does with its evaluated arguments, with AWS's argument rules
//! and AWS's words when it rejects them (see the parent module's doc for the rules that depart
//! from the specification).
//!
//! Not owned here: parsing calls ([`super::parser`]), evaluating arguments and wording failures
//! around the call's text ([`super::Call::eval`]).

use crate::b64::{self, Alphabet, Padding};

use super::{Call, Failure, FormatPiece, Func};
use crate::env::Rng;
use crate::path::java_to_string;
use crate::value::{Object, Value};

/// What a missing argument reads as in [`Call::apply`] (never, after the arity check).
static NULL: Value = Value::Null;

impl Call {
    /// The function applied to its evaluated arguments (as many as it takes: checked before).
    ///
    /// AWS's messages name only the function (`Invalid arguments in States.ArrayRange`), whatever
    /// was wrong; where AWS says more, the recordings give its words.
    pub(super) fn apply(&self, args: &[Value], rng: &mut Rng) -> Result<Value, Failure> {
        let invalid = || Failure::Arguments(format!("Invalid arguments in {}", self.func.name()));
        // The arity was checked before the call (`Call::eval_inner`), so every argument read
        // here exists; reading through `get` keeps one check instead of a bounds check (and its
        // panic location) per use. A missing one would read as null and be invalid.
        let arg = |i: usize| args.get(i).unwrap_or(&NULL);
        match self.func {
            Func::Format => {
                let parsed;
                let pieces: &[FormatPiece] = match &self.format {
                    Some(Ok(p)) => p,
                    Some(Err(e)) => return Err(Failure::Arguments(e.clone())),
                    None => match arg(0) {
                        Value::String(s) => {
                            parsed = split_format(s, false).map_err(Failure::Arguments)?;
                            &parsed
                        }
                        _ => return Err(invalid()),
                    },
                };
                let holes = pieces.iter().filter(|p| **p == FormatPiece::Hole).count();
                if holes != args.len() - 1 {
                    return Err(invalid());
                }
                let mut out = String::new();
                let mut values = args[1..].iter();
                for piece in pieces {
                    match piece {
                        FormatPiece::Text(t) => out.push_str(t),
                        FormatPiece::Hole => {
                            if let Some(v) = values.next() {
                                out.push_str(&java_to_string(v));
                            }
                        }
                    }
                }
                Ok(Value::from(out))
            }
            Func::StringToJson => {
                let s = arg(0).as_str().ok_or_else(invalid)?;
                if s.trim().is_empty() {
                    return Ok(Value::Null);
                }
                Value::parse(s).map_err(|_| invalid())
            }
            Func::JsonToString => Ok(Value::from(arg(0).to_json_string())),
            Func::Array => Ok(Value::array(args.to_vec())),
            Func::ArrayPartition => {
                let a = arg(0).as_array().ok_or_else(invalid)?;
                let size = rounded_int(arg(1)).ok_or_else(invalid)?;
                if size <= 0 {
                    return Err(invalid());
                }
                let chunks: Vec<Value> = a
                    .as_slice()
                    .chunks(usize::try_from(size).unwrap_or(usize::MAX))
                    .map(|c| Value::array(c.to_vec()))
                    .collect();
                Ok(Value::array(chunks))
            }
            Func::ArrayContains => {
                let a = arg(0).as_array().ok_or_else(invalid)?;
                Ok(Value::Bool(a.iter().any(|v| v == arg(1))))
            }
            Func::ArrayRange => {
                let start = rounded_int(arg(0)).ok_or_else(invalid)?;
                let end = rounded_int(arg(1)).ok_or_else(invalid)?;
                let step = rounded_int(arg(2)).ok_or_else(invalid)?;
                if step == 0 {
                    return Err(invalid());
                }
                let count = if (step > 0 && start > end) || (step < 0 && start < end) {
                    0
                } else {
                    (end as i128 - start as i128) / step as i128 + 1
                };
                if count > 1000 {
                    return Err(invalid());
                }
                Ok(Value::array(
                    (0..count)
                        .map(|i| Value::from_i64(start + i as i64 * step))
                        .collect(),
                ))
            }
            Func::ArrayGetItem => {
                let a = arg(0).as_array().ok_or_else(invalid)?;
                let i = integral(arg(1)).ok_or_else(invalid)?;
                usize::try_from(i)
                    .ok()
                    .and_then(|i| a.get(i))
                    .cloned()
                    .ok_or_else(invalid)
            }
            Func::ArrayLength => Ok(Value::from_i64(
                arg(0).as_array().ok_or_else(invalid)?.len() as i64,
            )),
            Func::ArrayUnique => {
                let a = arg(0).as_array().ok_or_else(invalid)?;
                let mut out: Vec<Value> = Vec::with_capacity(a.len());
                for v in a.iter() {
                    if !out.contains(v) {
                        out.push(v.clone());
                    }
                }
                Ok(Value::array(out))
            }
            Func::Base64Encode => {
                let s = arg(0).as_str().ok_or_else(invalid)?;
                within_len(s, 10_000).ok_or_else(invalid)?;
                Ok(Value::from(b64::encode(
                    s.as_bytes(),
                    Alphabet::Standard,
                    true,
                )))
            }
            Func::Base64Decode => {
                let s = arg(0).as_str().ok_or_else(invalid)?;
                within_len(s, 10_000).ok_or_else(invalid)?;
                // Like Java's decoder (AWS's), trailing `=` padding is optional.
                let bytes =
                    b64::decode(s, Alphabet::Standard, Padding::Indifferent).ok_or_else(invalid)?;
                String::from_utf8(bytes)
                    .map(Value::from)
                    .map_err(|_| invalid())
            }
            Func::Hash => {
                let data = arg(0).as_str().ok_or_else(invalid)?;
                let algo = arg(1).as_str().ok_or_else(invalid)?;
                within_len(data, 10_000).ok_or_else(invalid)?;
                hash(data.as_bytes(), algo)
                    .map(Value::from)
                    .ok_or_else(invalid)
            }
            Func::JsonMerge => {
                let (Value::Object(a), Value::Object(b)) = (arg(0), arg(1)) else {
                    return Err(invalid());
                };
                // Only a shallow merge (`false`) exists.
                if *arg(2) != Value::Bool(false) {
                    return Err(invalid());
                }
                let mut merged: Object = (**a).clone();
                for (k, v) in b.iter() {
                    merged.insert(k.clone(), v.clone());
                }
                Ok(Value::object(merged))
            }
            Func::MathRandom => {
                let start = integral(arg(0)).ok_or_else(invalid)?;
                let end = integral(arg(1)).ok_or_else(invalid)?;
                if end <= start {
                    return Err(invalid());
                }
                // The range is [start, end): the end is exclusive.
                let n = match args.get(2) {
                    Some(seed) => {
                        let seed = integral(seed).ok_or_else(invalid)?;
                        Rng::new(seed as u64).range_i64(start, end - 1)
                    }
                    None => rng.range_i64(start, end - 1),
                };
                Ok(Value::from_i64(n))
            }
            Func::MathAdd => {
                // Each operand is rounded half up (Java's `Math.round`); operands and sum are
                // Java `int`s: `States.MathAdd(2147483647, 1)` fails.
                let int32 = |v: &Value| rounded_int(v).filter(|n| i32::try_from(*n).is_ok());
                let a = int32(arg(0)).ok_or_else(invalid)?;
                let b = int32(arg(1)).ok_or_else(invalid)?;
                let sum = a + b;
                if i32::try_from(sum).is_err() {
                    return Err(invalid());
                }
                Ok(Value::from_i64(sum))
            }
            Func::StringSplit => {
                let s = arg(0).as_str().ok_or_else(invalid)?;
                let delims = arg(1).as_str().ok_or_else(invalid)?;
                let parts: Vec<Value> = s
                    .split(|c| delims.contains(c))
                    .filter(|t| !t.is_empty())
                    .map(Value::from)
                    .collect();
                Ok(Value::array(parts))
            }
            Func::Uuid => Ok(Value::from(rng.uuid_v4())),
        }
    }
}

/// An integral number (`3` or `3.0`, not `3.5`).
fn integral(v: &Value) -> Option<i64> {
    if let Some(i) = v.as_i64() {
        return Some(i);
    }
    match v {
        Value::Number(_) => v
            .as_f64()
            .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
            .map(|f| f as i64),
        _ => None,
    }
}

/// A number rounded half up (Java's `Math.round`), as `States.MathAdd`, `States.ArrayRange` and
/// `States.ArrayPartition` take their integer arguments: `States.ArrayRange(1.4, 5.6, 2.2)` is
/// `[1, 3, 5]`. Not a number: `None`.
fn rounded_int(v: &Value) -> Option<i64> {
    if let Some(i) = v.as_i64() {
        return Some(i);
    }
    match v {
        Value::Number(_) => v.as_f64().filter(|f| f.abs() < 9.0e15).map(java_round),
        _ => None,
    }
}

/// Whether a string argument is within the length a function accepts.
fn within_len(s: &str, max: usize) -> Option<()> {
    (s.chars().count() <= max).then_some(())
}

/// Java's `Math.round`: half up (towards positive infinity).
fn java_round(f: f64) -> i64 {
    (f + 0.5).floor() as i64
}

fn hash(data: &[u8], algo: &str) -> Option<String> {
    use sha2::Digest as _;
    let bytes: Vec<u8> = match algo {
        "MD5" => md5::Md5::digest(data).to_vec(),
        "SHA-1" => sha1::Sha1::digest(data).to_vec(),
        "SHA-256" => sha2::Sha256::digest(data).to_vec(),
        "SHA-384" => sha2::Sha384::digest(data).to_vec(),
        "SHA-512" => sha2::Sha512::digest(data).to_vec(),
        _ => return None,
    };
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(HEX[(b >> 4) as usize] as char);
        s.push(HEX[(b & 15) as usize] as char);
    }
    Some(s)
}

/// Splits a format string at its `{}` holes; `\{` and `\}` are literal braces (and, when
/// `unescape`, `\\` a backslash). An unescaped `{` with no `}` after it is AWS's template error
/// (`States.Format('Hello {', $.a)` fails with `Invalid template in States.Format: matching '}'
/// not found for '{'.`); other braces are text.
pub(super) fn split_format(s: &str, unescape: bool) -> Result<Vec<FormatPiece>, String> {
    let mut pieces = Vec::new();
    let mut text = String::new();
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' if matches!(chars.peek(), Some((_, '{' | '}')))
                || (unescape && matches!(chars.peek(), Some((_, '\\')))) =>
            {
                text.extend(chars.next().map(|(_, c)| c));
            }
            '{' if matches!(chars.peek(), Some((_, '}'))) => {
                chars.next();
                pieces.push(FormatPiece::Text(std::mem::take(&mut text)));
                pieces.push(FormatPiece::Hole);
            }
            '{' if !s[i..].contains('}') => {
                return Err(
                    "Invalid template in States.Format: matching '}' not found for '{'.".into(),
                );
            }
            c => text.push(c),
        }
    }
    pieces.push(FormatPiece::Text(text));
    pieces.retain(|p| !matches!(p, FormatPiece::Text(t) if t.is_empty()));
    Ok(pieces)
}
