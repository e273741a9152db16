//! A compact binary form of JSON values: `onTask`'s per-task crossing (both ways) and every value
//! given to the API ([`crate::js::from_js`]).
//!
//! Owns the byte layout the JS side in [`crate::js`] (`read_wire`, and `written` for values going in) also speaks.
//! One `onTask` call per task is the whole budget of the callback model: as JSON text, a task's
//! request cost serde_json's writer, a UTF-8 decode and `JSON.parse`, and its answer a check walk,
//! `JSON.stringify`, a UTF-8 encode and serde_json's reader (with two allocations per key), ~5–10
//! µs per task against the run's ~1 µs (`benches/README.md`, §5). In this form each side walks the
//! value once and copies bytes; numbers cross as doubles, strings as their UTF-8 bytes.
//!
//! Layout (little-endian): a tag byte, then
//! `0` null, `1` false, `2` true, `3` number (f64), `4` string (u32 length, UTF-8 bytes),
//! `5` array (u32 count, items), `6` object (u32 count, then per member a u32 key length, the key's
//! bytes and the value), `7` JSON text (u32 length, the text: the JS side's fallback for values it
//! does not walk itself, read by [`Value::parse`] as before). An `onTask` answer that is exactly
//! `{output: v}` may come as [`OUTPUT_ANSWER`] followed by `v` alone ([`read_output_answer`]).
//!
//! A number read from a double becomes what serde_json makes of `JSON.stringify`'s text for it:
//! an integer when it is integral and fits `u64`/`i64` (`-0` is `0`), else a float; so an answer
//! reads the same as it did as JSON text.

use std::collections::HashSet;
use std::hash::BuildHasherDefault;

use asl_core::value::{Key, Number, Object, Value};
use rustc_hash::FxHasher;

/// Long object keys read before, shared by every value read with the table: a task's answers
/// have the same few keys each time, and a shared long key is a reference count where a fresh
/// one is an allocation now and a free when the execution is dropped. A key that [`Key`] holds
/// inline is made afresh, a copy of its bytes: cheaper than hashing it to look it up (the
/// reader's self share of an `onTask` run's samples went from 4.9% to 4.3%). Emptied past
/// [`Keys::MAX`].
#[derive(Default)]
pub struct Keys(HashSet<Key, BuildHasherDefault<FxHasher>>);

impl Keys {
    const MAX: usize = 4096;

    fn get(&mut self, k: &str) -> Key {
        if k.len() <= Key::INLINE_CAP {
            return Key::new_inline(k);
        }
        if let Some(key) = self.0.get(k) {
            return key.clone();
        }
        if self.0.len() >= Self::MAX {
            self.0.clear();
        }
        let key = Key::from(k);
        self.0.insert(key.clone());
        key
    }
}

const NULL: u8 = 0;
const FALSE: u8 = 1;
const TRUE: u8 = 2;
const NUMBER: u8 = 3;
const STRING: u8 = 4;
const ARRAY: u8 = 5;
const OBJECT: u8 = 6;
const JSON_TEXT: u8 = 7;
/// Before an `onTask` answer's `output` value: the answer was a plain `{output: v}` object, sent
/// without its wrapper (no object made and dropped per task, no shape check of the wrapper).
pub const OUTPUT_ANSWER: u8 = 8;

/// Appends `v` to `out`. Depth is the value's own (the executor's values stay within
/// [`asl_core::syntax::MAX_DEPTH`]), so the recursion is bounded.
pub fn write(v: &Value, out: &mut Vec<u8>) {
    match v {
        Value::Null => out.push(NULL),
        Value::Bool(false) => out.push(FALSE),
        Value::Bool(true) => out.push(TRUE),
        Value::Number(n) => {
            out.push(NUMBER);
            // As JSON.parse reads the number's text: the nearest double.
            out.extend_from_slice(&n.as_f64().unwrap_or(0.0).to_le_bytes());
        }
        Value::String(s) => {
            out.push(STRING);
            bytes(s.as_bytes(), out);
        }
        Value::Array(a) => {
            out.push(ARRAY);
            len(a.len(), out);
            for item in a.iter() {
                write(item, out);
            }
        }
        Value::Object(o) => {
            out.push(OBJECT);
            len(o.len(), out);
            for (k, v) in o.iter() {
                bytes(k.as_bytes(), out);
                write(v, out);
            }
        }
    }
}

fn len(n: usize, out: &mut Vec<u8>) {
    // Lengths of values in wasm32 memory fit u32.
    out.extend_from_slice(&u32::try_from(n).unwrap_or(u32::MAX).to_le_bytes());
}

fn bytes(b: &[u8], out: &mut Vec<u8>) {
    len(b.len(), out);
    out.extend_from_slice(b);
}

thread_local! {
    /// The keys of every value read with [`read_interned`]: `onTask` answers, which repeat
    /// their few keys at every task.
    static KEYS: std::cell::RefCell<Keys> = std::cell::RefCell::default();
}

/// [`read`] with the module's shared key table.
pub fn read_interned(data: &[u8]) -> Result<Value, String> {
    KEYS.with(|k| read(data, &mut k.borrow_mut()))
}

/// The `v` of an answer `[OUTPUT_ANSWER, v…]` (with the module's key table), read at the depth
/// it has inside `{output: v}`, so the nesting limit is the wrapped answer's; `None` when
/// `data` does not start with [`OUTPUT_ANSWER`].
pub fn read_output_answer(data: &[u8]) -> Option<Result<Value, String>> {
    let rest = data.strip_prefix(&[OUTPUT_ANSWER])?;
    Some(KEYS.with(|k| read_at(rest, &mut k.borrow_mut(), 1)))
}

/// Reads one value, which must fill `data`; its object keys come from `keys`.
pub fn read(data: &[u8], keys: &mut Keys) -> Result<Value, String> {
    read_at(data, keys, 0)
}

/// [`read`] of a value nested `depth` levels deep in the value it belongs to.
fn read_at(data: &[u8], keys: &mut Keys, depth: usize) -> Result<Value, String> {
    let mut r = Reader { data, at: 0, keys };
    let v = r.value(depth)?;
    if r.at != data.len() {
        return Err("trailing bytes after the value".into());
    }
    Ok(v)
}

struct Reader<'a> {
    data: &'a [u8],
    at: usize,
    keys: &'a mut Keys,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&[u8], String> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.data.len());
        let end = end.ok_or("the value's bytes end early")?;
        let s = &self.data[self.at..end];
        self.at = end;
        Ok(s)
    }

    fn u32(&mut self) -> Result<usize, String> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    }

    fn str(&mut self) -> Result<&'a str, String> {
        let n = self.u32()?;
        let end = self.at.checked_add(n).filter(|&e| e <= self.data.len());
        let end = end.ok_or("the value's bytes end early")?;
        let data: &'a [u8] = self.data;
        let s = std::str::from_utf8(&data[self.at..end]).map_err(|e| e.to_string())?;
        self.at = end;
        Ok(s)
    }

    fn value(&mut self, depth: usize) -> Result<Value, String> {
        let tag = self.take(1)?[0];
        if matches!(tag, ARRAY | OBJECT) && depth >= asl_core::syntax::MAX_DEPTH {
            let max = asl_core::syntax::MAX_DEPTH;
            return Err(format!("JSON nested more than {max} levels deep"));
        }
        Ok(match tag {
            NULL => Value::Null,
            FALSE => Value::Bool(false),
            TRUE => Value::Bool(true),
            NUMBER => {
                let b = self.take(8)?;
                let mut w = [0u8; 8];
                w.copy_from_slice(b);
                Value::Number(number(f64::from_le_bytes(w))?)
            }
            STRING => Value::String(self.str()?.into()),
            ARRAY => {
                let n = self.u32()?;
                // Every item takes at least its tag byte: a count cannot ask for more.
                let mut items = Vec::with_capacity(n.min(self.data.len() - self.at));
                for _ in 0..n {
                    items.push(self.value(depth + 1)?);
                }
                Value::array(items)
            }
            OBJECT => {
                let n = self.u32()?;
                let mut obj = Object::with_capacity(n.min(self.data.len() - self.at));
                for _ in 0..n {
                    let k = self.str()?;
                    let k = self.keys.get(k);
                    let v = self.value(depth + 1)?;
                    obj.insert(k, v);
                }
                Value::object(obj)
            }
            JSON_TEXT => {
                let text = self.str()?;
                Value::parse(text).map_err(|e| e.to_string())?
            }
            other => return Err(format!("unknown value tag {other}")),
        })
    }
}

/// The number serde_json reads from `JSON.stringify`'s text for `x`: integral doubles below
/// 1e21 are written as digits, read as `u64`/`i64` when they fit; the rest as floats.
fn number(x: f64) -> Result<Number, String> {
    // 2^64 and -2^63, exactly representable.
    const U64_END: f64 = 18_446_744_073_709_551_616.0;
    const I64_MIN: f64 = -9_223_372_036_854_775_808.0;
    if x.fract() == 0.0 {
        if (0.0..U64_END).contains(&x) {
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            return Ok(Number::from(x as u64));
        }
        if (I64_MIN..0.0).contains(&x) {
            #[allow(clippy::cast_possible_truncation)]
            return Ok(Number::from(x as i64));
        }
    }
    Number::from_f64(x).ok_or_else(|| format!("{x} is not a JSON number"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(text: &str) -> String {
        let v = Value::parse(text).expect("json");
        let mut out = Vec::new();
        write(&v, &mut out);
        read(&out, &mut Keys::default())
            .expect("reads back")
            .to_json_string()
    }

    #[test]
    fn values_read_back_as_their_json_text_reads() {
        for text in [
            "null",
            "true",
            r#"{"a":1,"b":[1,2.5,-3,"x\u00e9\"",null,false],"c":{},"d":[]}"#,
            "-0.5",
            "1e300",
            "9007199254740992",
            "-9223372036854775808",
        ] {
            assert_eq!(
                round_trip(text),
                Value::parse(text).expect("json").to_json_string()
            );
        }
    }

    /// Past 2^53 a number is read as the nearest double, as `JSON.parse` reads it in JS.
    #[test]
    fn numbers_cross_as_doubles() {
        assert_eq!(round_trip("18446744073709551615"), "18446744073709552000");
    }

    #[test]
    fn doubles_become_the_numbers_json_text_would() {
        let num = |x: f64| Value::Number(number(x).expect("finite")).to_json_string();
        assert_eq!(num(1.0), "1");
        assert_eq!(num(-0.0), "0");
        assert_eq!(num(-7.0), "-7");
        assert_eq!(num(0.1), "0.1");
        assert_eq!(
            num(1e21),
            Value::parse("1e+21").expect("json").to_json_string()
        );
        assert!(number(f64::NAN).is_err());
    }

    #[test]
    fn keys_read_back_whole_on_both_sides_of_the_inline_limit_and_long_ones_are_shared() {
        let short = "k".repeat(Key::INLINE_CAP);
        let long = "k".repeat(Key::INLINE_CAP + 1);
        let text = format!(r#"{{"{short}":1,"{long}":{{"{long}":[2]}}}}"#);
        let v = Value::parse(&text).expect("json");
        let mut out = Vec::new();
        write(&v, &mut out);
        let mut keys = Keys::default();
        let (a, b) = (read(&out, &mut keys), read(&out, &mut keys));
        assert_eq!(a.as_ref().map(Value::to_json_string), Ok(text));
        let long_key = |v: &Result<Value, String>| match v {
            Ok(Value::Object(o)) => o.iter().map(|(k, _)| k.clone()).nth(1),
            _ => None,
        };
        let (ka, kb) = (
            long_key(&a).expect("two keys"),
            long_key(&b).expect("two keys"),
        );
        assert_eq!(ka, long);
        assert!(
            std::ptr::eq(ka.as_str(), kb.as_str()),
            "one long key for both reads"
        );
        // The long key alone went through the table; the 23-byte one was made inline.
        assert_eq!(keys.0.len(), 1);
    }

    /// Valid encodings with bytes changed, cut short or extended: every one reads as a value or
    /// an error, never a panic, and a value read writes and reads back equal.
    #[test]
    fn damaged_bytes_read_as_a_value_or_an_error() {
        let seeds = [
            r#"{"a":1,"b":[1,2.5,-3,"x\u00e9",null,false,true],"c":{"d":{}},"e":[]}"#,
            r#"[[[["deep"]]],{"k":"v","long key over twenty-three bytes":0}]"#,
            r#""text""#,
        ];
        // xorshift64: a fixed sequence, so a failure repeats.
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        // One key table for every read, as an execution's answers share one.
        let mut keys = Keys::default();
        let mut read_ok = 0;
        for round in 0..20_000 {
            let v = Value::parse(seeds[round % seeds.len()]).expect("json");
            let mut bytes = Vec::new();
            write(&v, &mut bytes);
            let len = bytes.len() as u64;
            match next() % 4 {
                0 => bytes.truncate((next() % len) as usize),
                1 => bytes.push((next() & 0xff) as u8),
                _ => {
                    for _ in 0..=next() % 3 {
                        let at = (next() % len) as usize;
                        bytes[at] = (next() & 0xff) as u8;
                    }
                }
            }
            if let Ok(read_back) = read(&bytes, &mut keys) {
                read_ok += 1;
                let mut again = Vec::new();
                write(&read_back, &mut again);
                assert_eq!(
                    read(&again, &mut keys).as_ref(),
                    Ok(&read_back),
                    "{bytes:?}"
                );
            }
        }
        // A changed letter or number leaves a valid value (a cut or an extended encoding
        // never does): the value path ran too, not only the errors.
        assert!(read_ok > 100, "{read_ok}");
    }

    #[test]
    fn bad_bytes_are_errors_not_panics() {
        assert!(read(&[], &mut Keys::default()).is_err());
        assert!(read(&[STRING, 9, 0, 0, 0, b'a'], &mut Keys::default()).is_err());
        assert!(read(&[ARRAY, 255, 255, 255, 255], &mut Keys::default()).is_err());
        assert!(read(&[NULL, NULL], &mut Keys::default()).is_err());
        assert!(read(&[42], &mut Keys::default()).is_err());
        assert_eq!(
            read(
                &[
                    JSON_TEXT, 7, 0, 0, 0, b'{', b'"', b'a', b'"', b':', b'1', b'}'
                ],
                &mut Keys::default()
            )
            .expect("text")
            .to_json_string(),
            r#"{"a":1}"#
        );
    }
}
