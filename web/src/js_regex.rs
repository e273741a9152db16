//! JSONata's regexes run by the browser's own `RegExp`, registered with asl-core at start-up
//! (`asl_core::jsonata::set_regex_engine`). JSONata's regexes are JavaScript's by definition, and
//! the page builds asl-core without the `regress` crate, which was a fifth of the bundle
//! (benches/README.md, "Bundle size").
//!
//! Owns the translation only: asl-core gives patterns and byte offsets into Rust strings; `RegExp`
//! works in UTF-16 code units. Searching uses the `g` flag with `lastIndex` (as JSONata's own
//! matcher does) and the `d` flag for capture positions.

use std::sync::Arc;

use asl_core::jsonata::{CompiledRegex, Found, RegexEngine};
use js_sys::{Array, JsString};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = RegExp)]
    type JsRegExp;

    /// `new RegExp(pattern, flags)`; a `SyntaxError` for an invalid pattern comes back as `Err`.
    #[wasm_bindgen(constructor, js_class = "RegExp", catch)]
    fn new(pattern: &str, flags: &str) -> Result<JsRegExp, JsValue>;

    #[wasm_bindgen(method, setter = lastIndex)]
    fn set_last_index(this: &JsRegExp, index: f64);

    /// `exec` on a string already in JavaScript, so a global search copies the text once.
    #[wasm_bindgen(method)]
    fn exec(this: &JsRegExp, text: &JsString) -> Option<Array>;
}

/// The engine the playground registers.
pub struct JsRegexEngine;

/// A pattern `RegExp` accepted; kept as text (a `RegExp` object cannot be shared between threads,
/// which asl-core's compiled regexes must allow) and made again for each search.
#[derive(Debug)]
struct Compiled {
    pattern: String,
    flags: String,
}

/// The flags JSONata gives (`i`, `m`) plus global search and match indices.
fn js_flags(flags: &str) -> String {
    format!("{flags}gd")
}

impl RegexEngine for JsRegexEngine {
    fn compile(&self, pattern: &str, flags: &str) -> Result<Arc<dyn CompiledRegex>, String> {
        match JsRegExp::new(pattern, &js_flags(flags)) {
            Ok(_) => Ok(Arc::new(Compiled {
                pattern: pattern.to_string(),
                flags: flags.to_string(),
            })),
            Err(e) => {
                let message = e
                    .dyn_ref::<js_sys::Error>()
                    .map(|e| String::from(e.message()))
                    .unwrap_or_else(|| "invalid pattern".to_string());
                // JavaScript's message already starts with the words asl-core puts in front.
                Err(message
                    .strip_prefix("Invalid regular expression: ")
                    .unwrap_or(&message)
                    .to_string())
            }
        }
    }
}

impl CompiledRegex for Compiled {
    fn search(&self, text: &str, from: usize, each: &mut dyn FnMut(Found) -> bool) {
        let Ok(re) = JsRegExp::new(&self.pattern, &js_flags(&self.flags)) else {
            return;
        };
        let offsets = Utf16ToByte::new(text);
        let js_text = JsString::from(text);
        let mut last = utf16_len(text.get(..from).unwrap_or(text));
        loop {
            re.set_last_index(last as f64);
            let Some(m) = re.exec(&js_text) else {
                return;
            };
            let Ok(indices) = js_sys::Reflect::get(&m, &JsValue::from_str("indices")) else {
                return;
            };
            let indices: Array = indices.unchecked_into();
            let range = |i: u32| -> Option<(usize, usize)> {
                let pair = indices.get(i);
                if pair.is_undefined() {
                    return None;
                }
                let pair: Array = pair.unchecked_into();
                let a = pair.get(0).as_f64()? as usize;
                let b = pair.get(1).as_f64()? as usize;
                Some((a, b))
            };
            let Some((start, end)) = range(0) else {
                return;
            };
            let found = Found {
                start: offsets.byte(start),
                end: offsets.byte(end),
                groups: (1..indices.length())
                    .map(|i| range(i).map(|(a, b)| (offsets.byte(a), offsets.byte(b))))
                    .collect(),
            };
            last = end;
            if !each(found) {
                return;
            }
        }
    }
}

fn utf16_len(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.encode_utf16().count()
    }
}

/// Byte offset of each UTF-16 offset of a text (none kept for ASCII, where they are equal). An
/// offset inside a surrogate pair, which a pattern without the `u` flag can produce, maps to the
/// start of its character: Rust strings cannot be cut there.
struct Utf16ToByte {
    bytes: Option<Vec<u32>>,
    len: usize,
}

impl Utf16ToByte {
    fn new(text: &str) -> Self {
        if text.is_ascii() {
            return Utf16ToByte {
                bytes: None,
                len: text.len(),
            };
        }
        let mut bytes = Vec::with_capacity(text.len() + 1);
        for (i, c) in text.char_indices() {
            for _ in 0..c.len_utf16() {
                bytes.push(i as u32);
            }
        }
        bytes.push(text.len() as u32);
        Utf16ToByte {
            bytes: Some(bytes),
            len: text.len(),
        }
    }

    fn byte(&self, utf16: usize) -> usize {
        match &self.bytes {
            None => utf16.min(self.len),
            Some(b) => b.get(utf16).map_or(self.len, |&x| x as usize),
        }
    }
}
