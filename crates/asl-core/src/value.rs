//! The JSON value an execution carries from state to state.
//!
//! Owns [`Value`]: immutable, reference-counted JSON with structural sharing, so passing a state's
//! output on, recording it in the history, or keeping a snapshot for stepping back costs a pointer
//! copy, never a deep copy. Writing into a value (ResultPath) copies only the containers on the
//! path to the change (`Arc::make_mut`), everything else stays shared.
//!
//! Every array and object caches the byte length of its compact JSON serialisation, kept up to date
//! on every write, so AWS's 256 KiB payload limit is checked in O(1) per state instead of by
//! serialising megabytes per transition. They also cache their nesting depth ([`Value::depth`]):
//! a loop can nest a value one level deeper per pass while staying under 256 KiB, and every
//! walk over a value (printing, dropping, converting for JavaScript) recurses, so the executor
//! stops such a value at a depth limit in O(1) too.
//!
//! Why not `serde_json::Value`: its clone is a deep copy (a 200 KB document carried through 100
//! states would be copied hundreds of times) and it knows nothing of sizes. `serde_json` still does
//! all text parsing and printing through the `Serialize`/`Deserialize` impls here.
//!
//! Not owned here: path evaluation ([`crate::path`]), templates ([`crate::template`]).

use std::fmt;
use std::hash::BuildHasherDefault;
use std::sync::Arc;

use std::collections::HashMap;

use rustc_hash::FxHasher;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

pub use serde_json::Number;

/// Object keys: immutable text with an O(1) clone, up to 23 bytes held inline and longer keys
/// shared by reference count (`smol_str`, rust-analyzer's). Most keys are short, so building an
/// object from a template's keys, or dropping one, touches no reference count: natively each was
/// a locked instruction, together the largest share of a task-heavy run's profile (see
/// benches/README.md, "Native tasks"). Strings *values* stay `Arc<str>`: holding them as this
/// type too made `Value` an enum whose tag is decoded from the string's bytes on every match,
/// measured slower.
pub type Key = smol_str::SmolStr;

/// Key → position, for objects too large for a linear scan.
type Index = HashMap<Key, u32, BuildHasherDefault<FxHasher>>;

/// Objects up to this many members find keys by a linear scan (no hash table: most payloads are
/// small, and building and dropping a table per object dominated the executor's profile).
const INDEX_FROM: usize = 12;

/// A JSON value with cheap clones (see the module doc).
///
/// The tag is a whole word (`repr(u64)`), so every variant's data starts 8 bytes in. With a
/// one-byte tag, `Bool` sat at byte 1, and a move of a value whose variant the compiler does not
/// know copied bytes 1..24 in 16- and 8-byte pieces straddling the pointer stored at byte 8: a
/// store-forwarding stall per move (natively pass-loop-10k took 2.62 ms with the one-byte tag,
/// 2.23 ms with this one). Same size, 24 bytes, and `Option<Value>` still fits in the tag.
#[derive(Clone, Default)]
#[repr(u64)]
pub enum Value {
    #[default]
    Null,
    Bool(bool),
    Number(Number),
    String(Arc<str>),
    Array(Arc<Array>),
    Object(Arc<Object>),
}

/// A JSON array with its cached serialised size.
#[derive(Clone, Default)]
pub struct Array {
    items: Vec<Value>,
    /// Sum of the items' serialised sizes (brackets and commas are added by [`Array::json_len`]).
    items_len: usize,
    /// The deepest item's [`Value::depth`] (0 when empty).
    inner_depth: u32,
}

/// A JSON object (insertion-ordered) with its cached serialised size.
///
/// Members live in one `Vec` in order; objects of [`INDEX_FROM`] members or more also keep a
/// key → position table, so lookups stay O(1) in large documents.
#[derive(Clone, Default)]
pub struct Object {
    entries: Vec<(Key, Value)>,
    index: Option<Box<Index>>,
    /// Sum over entries of `key_len + 1 (colon) + value_len` (braces and commas added by
    /// [`Object::json_len`]).
    entries_len: usize,
    /// The deepest member's [`Value::depth`] (0 when empty).
    inner_depth: u32,
}

/// Equality of two byte strings of the same length. Object keys are short: two overlapping word
/// loads compare up to 16 bytes without a loop or a call to `memcmp` (which showed in profiles of
/// the linear key scan, and which in wasm is a byte-by-byte loop). Public for the JS API's tables
/// of names, checked on every task. Kept this small: it is inlined into every key lookup.
#[inline]
pub fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    let word8 = |s: &[u8], at: usize| {
        let mut w = [0u8; 8];
        w.copy_from_slice(&s[at..at + 8]);
        u64::from_ne_bytes(w)
    };
    let word4 = |s: &[u8], at: usize| {
        let mut w = [0u8; 4];
        w.copy_from_slice(&s[at..at + 4]);
        u32::from_ne_bytes(w)
    };
    match n {
        0 => true,
        1..=3 => a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1],
        4..=7 => word4(a, 0) == word4(b, 0) && word4(a, n - 4) == word4(b, n - 4),
        8..=16 => word8(a, 0) == word8(b, 0) && word8(a, n - 8) == word8(b, n - 8),
        _ => a == b,
    }
}

/// Serialised length of a string literal, quotes and escapes included, exactly as `serde_json`
/// writes it.
pub fn string_json_len(s: &str) -> usize {
    // Most strings need no escape: decided 8 bytes at a time.
    if needs_no_escape(s.as_bytes()) {
        return s.len() + 2;
    }
    let mut len = 2;
    for b in s.bytes() {
        len += match b {
            b'"' | b'\\' | b'\n' | b'\r' | b'\t' | 0x08 | 0x0c => 2,
            0x00..=0x1f => 6,
            _ => 1,
        };
    }
    len
}

/// Whether no byte of `b` is escaped in JSON text (none below 0x20, no `"`, no `\\`): eight
/// bytes per step as one word (the per-byte loop showed in profiles: every member added to an
/// object measures its key and string value), a shorter string or the tail as one word too.
#[inline]
fn needs_no_escape(b: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Whether any byte of `x` is below `n` (n <= 128): exact for "any", as a borrow only starts
    // at such a byte.
    let any_below = |x: u64, n: u8| x.wrapping_sub(ONES * n as u64) & !x & HIGH != 0;
    let clean = |w: [u8; 8]| {
        let x = u64::from_le_bytes(w);
        !(any_below(x, 0x20)
            || any_below(x ^ (ONES * b'"' as u64), 1)
            || any_below(x ^ (ONES * b'\\' as u64), 1))
    };
    let n = b.len();
    let word8 = |at: usize| {
        let mut w = [0u8; 8];
        w.copy_from_slice(&b[at..at + 8]);
        w
    };
    if n >= 8 {
        let mut at = 0;
        while at + 8 <= n {
            if !clean(word8(at)) {
                return false;
            }
            at += 8;
        }
        // The tail as the last eight bytes (overlapping bytes already checked).
        return at == n || clean(word8(n - 8));
    }
    // Shorter strings (most keys) as one word, without a byte loop (~35 instructions per short
    // key, and every member added to an object measures its key): 4–7 bytes as two overlapping
    // 4-byte halves, 1–3 bytes as their first, middle and last byte (together every byte),
    // padded with spaces, which need no escape.
    let w = match n {
        0 => return true,
        1..=3 => [b[0], b[n / 2], b[n - 1], b' ', b' ', b' ', b' ', b' '],
        _ => {
            let mut w = [0u8; 8];
            w[..4].copy_from_slice(&b[..4]);
            w[4..].copy_from_slice(&b[n - 4..]);
            w
        }
    };
    clean(w)
}

/// How the JSON text of a [`Value`] writes a floating-point number: as JavaScript does
/// (`String(n)`: the shortest digits that read back as the same double, whole numbers below 10^21
/// in full, `1e+21`, `0.000001`), which is how JSONata results print (serde_json alone would write
/// `1e21`, `1.2345678901234568e20`, `1e-6`). One exception keeps what the definition or input
/// spelled: a whole number below 2^53 held as a double can only come from parsed text such as
/// `1.0` (JSONata's whole results are integers, see `jsonata::jv::num_value`), and keeps serde_json's
/// `1.0`. Integers keep every digit.
pub struct JsNumbers<F>(pub F);

/// Whether `v` prints as serde_json writes it (see [`JsNumbers`]).
fn parsed_whole(v: f64) -> bool {
    v.fract() == 0.0 && v.abs() < 9_007_199_254_740_992.0
}

impl<F: serde_json::ser::Formatter> serde_json::ser::Formatter for JsNumbers<F> {
    fn write_f64<W: ?Sized + std::io::Write>(&mut self, w: &mut W, v: f64) -> std::io::Result<()> {
        if parsed_whole(v) {
            return self.0.write_f64(w, v);
        }
        w.write_all(ryu_js::Buffer::new().format(v).as_bytes())
    }
    // The layout is the wrapped formatter's (compact or pretty).
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object_value(w)
    }
}

fn number_json_len(n: &Number) -> usize {
    // Integers (nearly every number an execution builds) by counting digits: formatting one
    // through `fmt` on every insert showed in profiles.
    if let Some(u) = n.as_u64() {
        return decimal_digits(u);
    }
    if let Some(i) = n.as_i64() {
        return 1 + decimal_digits(i.unsigned_abs());
    }
    match n.as_f64() {
        Some(f) if !parsed_whole(f) => ryu_js::Buffer::new().format(f).len(),
        _ => n.to_string().len(),
    }
}

fn decimal_digits(mut u: u64) -> usize {
    let mut digits = 1;
    while u >= 10 {
        u /= 10;
        digits += 1;
    }
    digits
}

impl Value {
    pub fn string(s: impl Into<Arc<str>>) -> Value {
        Value::String(s.into())
    }

    pub fn from_i64(n: i64) -> Value {
        Value::Number(n.into())
    }

    /// A number from a float; NaN and infinities (which JSON cannot hold) become `null`.
    pub fn from_f64(f: f64) -> Value {
        Number::from_f64(f).map_or(Value::Null, Value::Number)
    }

    pub fn empty_object() -> Value {
        Value::Object(Arc::new(Object::default()))
    }

    pub fn array(items: Vec<Value>) -> Value {
        Value::Array(Arc::new(Array::from_vec(items)))
    }

    pub fn object(obj: Object) -> Value {
        Value::Object(Arc::new(obj))
    }

    /// Nesting depth: 0 for a scalar, 1 for `[]` or `{"a": 1}`, 2 for `[[1]]`; O(1) (cached).
    pub fn depth(&self) -> u32 {
        match self {
            Value::Array(a) => 1 + a.inner_depth,
            Value::Object(o) => 1 + o.inner_depth,
            _ => 0,
        }
    }

    /// Length in bytes of the compact JSON text of this value; O(1) for containers.
    pub fn json_len(&self) -> usize {
        match self {
            Value::Null => 4,
            Value::Bool(true) => 4,
            Value::Bool(false) => 5,
            Value::Number(n) => number_json_len(n),
            Value::String(s) => string_json_len(s),
            Value::Array(a) => a.json_len(),
            Value::Object(o) => o.json_len(),
        }
    }

    /// AWS's name for the JSON type, as used in error causes.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_number(&self) -> Option<&Number> {
        match self {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        self.as_number().and_then(Number::as_f64)
    }

    pub fn as_i64(&self) -> Option<i64> {
        self.as_number().and_then(Number::as_i64)
    }

    pub fn as_array(&self) -> Option<&Array> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&Object> {
        match self {
            Value::Object(o) => Some(o),
            _ => None,
        }
    }

    /// Mutable access to the object, copying it first if it is shared.
    pub fn as_object_mut(&mut self) -> Option<&mut Object> {
        match self {
            Value::Object(o) => Some(Arc::make_mut(o)),
            _ => None,
        }
    }

    /// Mutable access to the array, copying it first if it is shared.
    pub fn as_array_mut(&mut self) -> Option<&mut Array> {
        match self {
            Value::Array(a) => Some(Arc::make_mut(a)),
            _ => None,
        }
    }

    /// `obj[key]` for objects, `None` otherwise.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_object().and_then(|o| o.get(key))
    }

    /// Compact JSON text, as AWS prints payloads (no spaces); numbers as in [`JsNumbers`].
    pub fn to_json_string(&self) -> String {
        self.write_with(JsNumbers(serde_json::ser::CompactFormatter))
    }

    /// Pretty JSON text for people (the UI, the CLI); numbers as in [`JsNumbers`].
    pub fn to_json_pretty(&self) -> String {
        self.write_with(JsNumbers(serde_json::ser::PrettyFormatter::new()))
    }

    fn write_with<F: serde_json::ser::Formatter>(&self, formatter: F) -> String {
        let mut out = Vec::with_capacity(128);
        let mut ser = serde_json::Serializer::with_formatter(&mut out, formatter);
        // Serialising a Value cannot fail: every number is finite and every key a string.
        if self.serialize(&mut ser).is_err() {
            return String::new();
        }
        String::from_utf8(out).unwrap_or_default()
    }

    /// Parses JSON text. Errors carry serde_json's line and column. Nesting stops at
    /// [`crate::syntax::MAX_DEPTH`] levels (the reader's own limit, the one the executor keeps
    /// for values it builds), not at serde_json's 128: a value the executor allows can be
    /// written as text and read back.
    pub fn parse(text: &str) -> Result<Value, serde_json::Error> {
        let mut de = serde_json::Deserializer::from_str(text);
        de.disable_recursion_limit();
        let value = Value::deserialize(&mut de)?;
        de.end()?;
        Ok(value)
    }

    /// Whether two handles point at the same shared container (a cheap identity test).
    pub fn ptr_eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Array(a), Value::Array(b)) => Arc::ptr_eq(a, b),
            (Value::Object(a), Value::Object(b)) => Arc::ptr_eq(a, b),
            (Value::String(a), Value::String(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl Array {
    pub fn from_vec(items: Vec<Value>) -> Array {
        let items_len = items.iter().map(Value::json_len).sum();
        let inner_depth = items.iter().map(Value::depth).max().unwrap_or(0);
        Array {
            items,
            items_len,
            inner_depth,
        }
    }

    /// Keeps `inner_depth` right after an item of depth `old` became one of depth `new`.
    fn redepth(&mut self, old: u32, new: u32) {
        if new >= self.inner_depth {
            self.inner_depth = new;
        } else if old == self.inner_depth {
            self.inner_depth = self.items.iter().map(Value::depth).max().unwrap_or(0);
        }
    }

    pub fn json_len(&self) -> usize {
        2 + self.items_len + self.items.len().saturating_sub(1)
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn get(&self, index: usize) -> Option<&Value> {
        self.items.get(index)
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Value> {
        self.items.iter()
    }

    pub fn as_slice(&self) -> &[Value] {
        &self.items
    }

    pub fn push(&mut self, value: Value) {
        self.items_len += value.json_len();
        self.inner_depth = self.inner_depth.max(value.depth());
        self.items.push(value);
    }

    /// Replaces item `index`; returns false (and changes nothing) when out of range.
    pub fn set(&mut self, index: usize, value: Value) -> bool {
        match self.items.get_mut(index) {
            Some(slot) => {
                self.items_len = self.items_len - slot.json_len() + value.json_len();
                let (old, new) = (slot.depth(), value.depth());
                *slot = value;
                self.redepth(old, new);
                true
            }
            None => false,
        }
    }

    /// Runs `f` on item `index` in place, keeping the cached size right.
    pub fn update<R>(&mut self, index: usize, f: impl FnOnce(&mut Value) -> R) -> Option<R> {
        let slot = self.items.get_mut(index)?;
        let (before, old) = (slot.json_len(), slot.depth());
        let r = f(slot);
        self.items_len = self.items_len - before + slot.json_len();
        let new = slot.depth();
        self.redepth(old, new);
        Some(r)
    }

    pub fn into_vec(self) -> Vec<Value> {
        self.items
    }
}

impl Object {
    pub fn new() -> Object {
        Object::default()
    }

    pub fn with_capacity(n: usize) -> Object {
        Object {
            entries: Vec::with_capacity(n),
            index: None,
            entries_len: 0,
            inner_depth: 0,
        }
    }

    /// Keeps `inner_depth` right after a member of depth `old` became one of depth `new`.
    fn redepth(&mut self, old: u32, new: u32) {
        if new >= self.inner_depth {
            self.inner_depth = new;
        } else if old == self.inner_depth {
            self.inner_depth = self
                .entries
                .iter()
                .map(|(_, v)| v.depth())
                .max()
                .unwrap_or(0);
        }
    }

    pub fn json_len(&self) -> usize {
        2 + self.entries_len + self.entries.len().saturating_sub(1)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The position of `key`.
    #[inline]
    fn find(&self, key: &str) -> Option<usize> {
        match &self.index {
            Some(index) => index.get(key).map(|&i| i as usize),
            None => self.entries.iter().position(|(k, _)| {
                // The key's text read once (a `Key` is held inline or shared); a long key
                // compiled from a definition is shared, so the pointer test often decides.
                let k = k.as_str();
                k.len() == key.len()
                    && (std::ptr::eq(k.as_ptr(), key.as_ptr())
                        || same_bytes(k.as_bytes(), key.as_bytes()))
            }),
        }
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.find(key).map(|i| &self.entries[i].1)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.find(key).is_some()
    }

    /// The member at `position` (insertion order).
    pub fn get_index(&self, position: usize) -> Option<(&Key, &Value)> {
        self.entries.get(position).map(|(k, v)| (k, v))
    }

    pub fn iter(
        &self,
    ) -> impl DoubleEndedIterator<Item = (&Key, &Value)> + ExactSizeIterator + Clone + '_ {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &Key> + ExactSizeIterator + Clone + '_ {
        self.entries.iter().map(|(k, _)| k)
    }

    pub fn values(
        &self,
    ) -> impl DoubleEndedIterator<Item = &Value> + ExactSizeIterator + Clone + '_ {
        self.entries.iter().map(|(_, v)| v)
    }

    /// Inserts or replaces `key` (a replaced key keeps its position, as in JavaScript).
    pub fn insert(&mut self, key: Key, value: Value) -> Option<Value> {
        match self.find(&key) {
            Some(i) => Some(self.replace_at(i, value)),
            None => {
                self.push_new(key, value);
                None
            }
        }
    }

    /// Replaces the value of the member at `i`, keeping the cached size and depth.
    fn replace_at(&mut self, i: usize, value: Value) -> Value {
        let (add, new) = (value.json_len(), value.depth());
        let old = std::mem::replace(&mut self.entries[i].1, value);
        self.entries_len = self.entries_len - old.json_len() + add;
        self.redepth(old.depth(), new);
        old
    }

    /// [`Object::insert`] with the key borrowed: cloned only when the member is new. Replacing a
    /// member (ResultPath writing `$.last` on every visit) then touches no reference count of the
    /// key, which is the definition's (natively an atomic increment and decrement per write, on a
    /// line of model data the run otherwise only reads).
    pub fn set(&mut self, key: &Key, value: Value) -> Option<Value> {
        match self.find(key) {
            Some(i) => Some(self.replace_at(i, value)),
            None => {
                self.push_new(key.clone(), value);
                None
            }
        }
    }

    /// Appends a member whose key the caller knows is absent (e.g. a template whose keys were
    /// checked distinct when it was compiled): no lookup.
    pub fn push_unique(&mut self, key: Key, value: Value) {
        debug_assert!(!self.contains_key(&key), "push_unique: duplicate key {key}");
        self.push_new(key, value);
    }

    /// Appends a member known to be absent, keeping the cached size and depth.
    fn push_new(&mut self, key: Key, value: Value) {
        self.entries_len += string_json_len(&key) + 1 + value.json_len();
        self.inner_depth = self.inner_depth.max(value.depth());
        let position = self.entries.len();
        if let Some(index) = &mut self.index {
            index.insert(key.clone(), position as u32);
        }
        // A placeholder pushed, then the key and value moved into it: `push((key, value))`
        // assembled the pair on the stack in pieces and reloaded it in wider ones, a
        // store-forwarding stall that was half of this function's samples.
        self.entries.push((Key::default(), Value::Null));
        if let Some(slot) = self.entries.last_mut() {
            slot.0 = key;
            slot.1 = value;
        }
        if self.index.is_none() && self.entries.len() >= INDEX_FROM {
            self.build_index();
        }
    }

    fn build_index(&mut self) {
        let mut index = Index::with_capacity_and_hasher(self.entries.len(), Default::default());
        for (i, (k, _)) in self.entries.iter().enumerate() {
            index.insert(k.clone(), i as u32);
        }
        self.index = Some(Box::new(index));
    }

    /// Removes `key`, keeping the order of the others.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        let i = self.find(key)?;
        let (k, v) = self.entries.remove(i);
        self.entries_len -= string_json_len(&k) + 1 + v.json_len();
        self.redepth(v.depth(), 0);
        if self.index.is_some() {
            if self.entries.len() < INDEX_FROM {
                self.index = None;
            } else {
                self.build_index();
            }
        }
        Some(v)
    }

    /// Runs `f` on the value under `key` in place, keeping the cached size right.
    pub fn update<R>(&mut self, key: &str, f: impl FnOnce(&mut Value) -> R) -> Option<R> {
        let i = self.find(key)?;
        let slot = &mut self.entries[i].1;
        let (before, old) = (slot.json_len(), slot.depth());
        let r = f(slot);
        self.entries_len = self.entries_len - before + slot.json_len();
        let new = slot.depth();
        self.redepth(old, new);
        Some(r)
    }
}

impl FromIterator<(Key, Value)> for Object {
    fn from_iter<I: IntoIterator<Item = (Key, Value)>>(iter: I) -> Self {
        let mut obj = Object::new();
        for (k, v) in iter {
            obj.insert(k, v);
        }
        obj
    }
}

impl FromIterator<Value> for Array {
    fn from_iter<I: IntoIterator<Item = Value>>(iter: I) -> Self {
        Array::from_vec(iter.into_iter().collect())
    }
}

impl PartialEq for Value {
    /// JSON equality: objects compare without regard to key order; numbers by value (`1 == 1.0`).
    fn eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Number(a), Value::Number(b)) => numbers_equal(a, b),
            (Value::String(a), Value::String(b)) => a == b,
            (Value::Array(a), Value::Array(b)) => Arc::ptr_eq(a, b) || a.items == b.items,
            (Value::Object(a), Value::Object(b)) => {
                Arc::ptr_eq(a, b)
                    || (a.len() == b.len()
                        && a.entries
                            .iter()
                            .zip(&b.entries)
                            .all(|((ka, va), (kb, vb))| {
                                // Same key at the same position (the usual case) compares directly.
                                if ka == kb {
                                    va == vb
                                } else {
                                    b.get(ka).is_some_and(|w| va == w)
                                }
                            }))
            }
            _ => false,
        }
    }
}

fn numbers_equal(a: &Number, b: &Number) -> bool {
    match (a.as_i64(), b.as_i64()) {
        (Some(x), Some(y)) => x == y,
        _ => match (a.as_u64(), b.as_u64()) {
            (Some(x), Some(y)) => x == y,
            _ => a.as_f64() == b.as_f64(),
        },
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_json_string())
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_json_string())
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Number(n) => n.serialize(s),
            Value::String(v) => s.serialize_str(v),
            Value::Array(a) => {
                let mut seq = s.serialize_seq(Some(a.len()))?;
                for item in a.iter() {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Value::Object(o) => {
                let mut map = s.serialize_map(Some(o.len()))?;
                for (k, v) in o.iter() {
                    map.serialize_entry(&**k, v)?;
                }
                map.end()
            }
        }
    }
}

/// Reading a value from any serde format stops at [`crate::syntax::MAX_DEPTH`] levels with an
/// error: serde_json has its own limit, but other deserialisers (serde-wasm-bindgen reading a JS
/// object in asl-wasm) recurse without one and would overflow the stack.
impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
        d.deserialize_any(ValueVisitor { depth: 0 })
    }
}

/// Visits a value `depth` containers below the top.
struct ValueVisitor {
    depth: usize,
}

impl ValueVisitor {
    /// The nested values' reader, or an error when a container here is one level too many.
    fn nested<E: de::Error>(&self) -> Result<Nested, E> {
        let max = crate::syntax::MAX_DEPTH;
        if self.depth + 1 > max {
            return Err(E::custom(format!(
                "JSON nested more than {max} levels deep"
            )));
        }
        Ok(Nested(self.depth + 1))
    }
}

/// Reads one nested value (a seed carrying the depth).
struct Nested(usize);

impl<'de> de::DeserializeSeed<'de> for Nested {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(ValueVisitor { depth: self.0 })
    }
}

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom("number out of range"))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.into()))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let nested = self.nested()?;
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element_seed(Nested(nested.0))? {
            items.push(item);
        }
        Ok(Value::array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let nested = self.nested()?;
        let mut obj = Object::with_capacity(map.size_hint().unwrap_or(0).min(4096));
        while let Some(k) = map.next_key::<String>()? {
            let v = map.next_value_seed(Nested(nested.0))?;
            obj.insert(k.into(), v);
        }
        Ok(Value::object(obj))
    }
}

impl From<&serde_json::Value> for Value {
    fn from(v: &serde_json::Value) -> Value {
        match v {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Number(n.clone()),
            serde_json::Value::String(s) => Value::String(s.as_str().into()),
            serde_json::Value::Array(a) => Value::array(a.iter().map(Value::from).collect()),
            serde_json::Value::Object(o) => Value::object(
                o.iter()
                    .map(|(k, v)| (Key::from(k.as_str()), Value::from(v)))
                    .collect(),
            ),
        }
    }
}

impl From<serde_json::Value> for Value {
    fn from(v: serde_json::Value) -> Value {
        Value::from(&v)
    }
}

impl From<&Value> for serde_json::Value {
    fn from(v: &Value) -> serde_json::Value {
        match v {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => serde_json::Value::Number(n.clone()),
            Value::String(s) => serde_json::Value::String(s.to_string()),
            Value::Array(a) => serde_json::Value::Array(a.iter().map(Into::into).collect()),
            Value::Object(o) => serde_json::Value::Object(
                o.iter()
                    .map(|(k, v)| (k.to_string(), serde_json::Value::from(v)))
                    .collect(),
            ),
        }
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.into())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(s.into())
    }
}

impl From<i64> for Value {
    fn from(n: i64) -> Value {
        Value::Number(n.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Value {
        Value::parse(s).expect("test JSON")
    }

    #[test]
    fn depth_is_cached_and_kept_right_on_every_write() {
        assert_eq!(parse("1").depth(), 0);
        assert_eq!(parse("[]").depth(), 1);
        assert_eq!(parse(r#"{"a": [[1]], "b": 2}"#).depth(), 3);
        let mut v = parse(r#"{"a": [[1]], "b": [2]}"#);
        let o = v.as_object_mut().expect("object");
        // Replacing, updating and removing the deepest member lowers the depth.
        o.insert("a".into(), Value::from_i64(1));
        assert_eq!(v.depth(), 2);
        let o = v.as_object_mut().expect("object");
        o.update("b", |b| *b = parse("[[[3]]]"));
        assert_eq!(v.depth(), 4);
        let o = v.as_object_mut().expect("object");
        o.remove("b");
        assert_eq!(v.depth(), 1);
        let mut a = Array::from_vec(vec![parse("[1]"), parse("2")]);
        assert_eq!(Value::array(a.clone().into_vec()).depth(), 2);
        a.set(0, Value::from_i64(0));
        a.push(parse("[[[]]]"));
        assert_eq!(Value::Array(Arc::new(a.clone())).depth(), 4);
        a.update(2, |x| *x = Value::Null);
        assert_eq!(Value::Array(Arc::new(a)).depth(), 1);
    }

    #[test]
    fn string_json_len_matches_serde_json_for_every_special_byte_at_every_position() {
        let specials = [
            '"', '\\', '\n', '\u{1}', '\u{1f}', ' ', '~', '\u{7f}', 'é', '😀',
        ];
        for n in 0..20usize {
            let plain: String = (0..n).map(|i| (b'a' + (i % 26) as u8) as char).collect();
            let check = |s: &str| {
                let want = serde_json::to_string(s).map(|j| j.len()).unwrap_or(0);
                assert_eq!(string_json_len(s), want, "{s:?}");
            };
            check(&plain);
            for at in 0..=n {
                for c in specials {
                    let mut s = plain.clone();
                    s.insert(at, c);
                    check(&s);
                }
            }
        }
    }

    #[test]
    fn same_bytes_agrees_with_slice_equality_at_every_length_and_position() {
        for n in 0..40usize {
            let a: Vec<u8> = (0..n).map(|i| b'a' + (i % 26) as u8).collect();
            assert!(same_bytes(&a, &a.clone()), "len {n}");
            for at in 0..n {
                let mut b = a.clone();
                b[at] ^= 0x20;
                assert!(!same_bytes(&a, &b), "len {n}, differing at {at}");
            }
            assert!(!same_bytes(&a, &[a.as_slice(), b"x"].concat()));
        }
    }

    #[test]
    fn cached_length_matches_serialisation_through_edits() {
        let texts = [
            r#"{"a":1,"b":[true,false,null,"x\"y\n\u0001"],"c":{"d":1.5e300,"e":-0.25}}"#,
            r#"[]"#,
            r#"{}"#,
            r#"[[],{},[{}],"é😀"]"#,
            r#"{"big":18446744073709551615,"neg":-9223372036854775808}"#,
        ];
        for t in texts {
            let v = parse(t);
            assert_eq!(v.json_len(), v.to_json_string().len(), "{t}");
        }
        let mut v = parse(r#"{"a":{"b":[1,2,3]},"k":"v"}"#);
        let shared = v.clone();
        v.as_object_mut().expect("object").update("a", |a| {
            a.as_object_mut()
                .expect("object")
                .insert("new\"key".into(), parse(r#"{"x":[1,"two"]}"#));
        });
        v.as_object_mut().expect("object").remove("k");
        v.as_object_mut().expect("object").update("a", |a| {
            a.as_object_mut().expect("object").update("b", |b| {
                b.as_array_mut().expect("array").set(1, Value::from("22"))
            })
        });
        assert_eq!(v.json_len(), v.to_json_string().len());
        assert_eq!(
            v.to_json_string(),
            r#"{"a":{"b":[1,"22",3],"new\"key":{"x":[1,"two"]}}}"#
        );
        // The clone taken before the edits is untouched (copy on write).
        assert_eq!(shared.to_json_string(), r#"{"a":{"b":[1,2,3]},"k":"v"}"#);
    }

    #[test]
    fn keys_of_every_length_are_found_replaced_and_removed_with_and_without_the_index() {
        // Around the inline limit of a key (23 bytes) and the index's threshold (12 members).
        let names: Vec<String> = (0..30)
            .map(|n| format!("{}{n}", "k".repeat(n % 26)))
            .collect();
        for size in [3, INDEX_FROM - 1, INDEX_FROM, 30] {
            let mut o = Object::new();
            for (i, n) in names[..size].iter().enumerate() {
                o.insert(Key::from(n.as_str()), Value::from_i64(i as i64));
            }
            let mut text = serde_json::Map::new();
            for (i, n) in names[..size].iter().enumerate() {
                assert_eq!(o.get(n).and_then(Value::as_i64), Some(i as i64), "{n}");
                text.insert(n.clone(), serde_json::Value::from(i));
            }
            assert_eq!(o.get(&format!("{}x", names[0])), None);
            // Replaced in place through a key equal to the member's but not the same one.
            let shared = Key::from(names[size - 1].as_str());
            assert_eq!(
                o.set(&shared, Value::from("last")).and_then(|v| v.as_i64()),
                Some(size as i64 - 1)
            );
            text.insert(names[size - 1].clone(), serde_json::Value::from("last"));
            assert_eq!(o.remove(&names[0]).and_then(|v| v.as_i64()), Some(0));
            text.shift_remove(&names[0]);
            let v = Value::object(o);
            assert_eq!(
                v.to_json_string(),
                serde_json::Value::Object(text).to_string()
            );
            assert_eq!(v.json_len(), v.to_json_string().len());
        }
    }

    #[test]
    fn doubles_print_as_javascript_prints_them_but_parsed_whole_numbers_and_integers_as_written() {
        let cases = [
            (1e21, "1e+21"),
            (123_456_789_012_345_680_000.0, "123456789012345680000"),
            (2f64.powi(60), "1152921504606847000"),
            (9_007_199_254_740_994.0, "9007199254740994"),
            (1.0, "1.0"),
            (-0.0, "-0.0"),
            (0.1 + 0.2, "0.30000000000000004"),
            (1.5e-7, "1.5e-7"),
            (0.000_001, "0.000001"),
            (1e300, "1e+300"),
            (-2.5, "-2.5"),
        ];
        for (f, js) in cases {
            let v = Value::from_f64(f);
            assert_eq!(v.to_json_string(), js, "{f}");
            assert_eq!(v.json_len(), js.len(), "{f}");
            let arr = Value::array(vec![v.clone(), v]);
            assert_eq!(arr.to_json_string(), format!("[{js},{js}]"));
            assert_eq!(arr.json_len(), js.len() * 2 + 3);
        }
        assert_eq!(
            parse(r#"{"a":[1.0,2e21]}"#).to_json_pretty(),
            "{\n  \"a\": [\n    1.0,\n    2e+21\n  ]\n}"
        );
        // Integers as parsed (JSONPath carries them as written) keep every digit.
        assert_eq!(
            parse("[12345678901234567890,-9223372036854775808]").to_json_string(),
            "[12345678901234567890,-9223372036854775808]"
        );
    }

    #[test]
    fn equality_ignores_key_order_and_number_repr() {
        assert_eq!(parse(r#"{"a":1,"b":2}"#), parse(r#"{"b":2,"a":1.0}"#));
        assert_ne!(parse(r#"{"a":1}"#), parse(r#"{"a":1,"b":2}"#));
        assert_ne!(parse("[1,2]"), parse("[2,1]"));
    }

    #[test]
    fn serde_json_round_trip_keeps_key_order() {
        let t = r#"{"z":1,"a":[{"m":null,"b":true}]}"#;
        let v = parse(t);
        let sj: serde_json::Value = (&v).into();
        assert_eq!(Value::from(&sj).to_json_string(), t);
        assert_eq!(v.to_json_string(), t);
    }

    #[test]
    fn text_reads_back_to_the_depth_the_executor_allows() {
        let nested = |n: usize| "[".repeat(n) + &"]".repeat(n);
        let v = Value::parse(&nested(200)).expect("200 levels read back");
        assert_eq!(v.depth(), 200);
        let e = Value::parse(&nested(201)).expect_err("201 levels");
        assert!(e.to_string().contains("nested more than 200"), "{e}");
        // 10,000 levels stop at the limit, never the stack.
        assert!(Value::parse(&nested(10_000)).is_err());
        assert!(Value::parse("[] x").is_err(), "trailing text");
    }
}
