//! Crossing the boundary: Rust values to plain JS values and back, and errors as JS `Error`s.
//!
//! One buffer crosses instead of one call per object, key and item (serde-wasm-bindgen made the
//! 205 KB payload-200k input and output, and 1,000 mocks, cost more than the run itself:
//! `benches/README.md` §2). Values given to the API ([`from_js`]: inputs, mocks, options, task
//! answers), `onTask`'s requests and answers, and a finished run's output ([`status_to_js`]) cross
//! in `wire.rs`'s binary form, read and written by the JS here in the module's memory; what the
//! JS walk does not take as it is (a `toJSON`, a `Map`, `undefined`, more than 200 levels…) goes
//! as JSON text inside it, checked as before (functions, symbols, `NaN`… are errors). Everything
//! else Rust gives JS ([`to_js`]: statuses, events, reports) is serde_json's text read by
//! `JSON.parse`. Callers see plain JS objects, never strings, as `JSON.parse` would make them: a
//! JSON integer beyond 2^53 comes out as the nearest double, as any JS code reading the JSON text
//! would see it.

use js_sys::{Error, JSON, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

use asl_core::value::Value;

#[wasm_bindgen(inline_js = r#"
// JSON text of a value that must be JSON data: functions, symbols, bigints and non-finite
// numbers throw (JSON.stringify would drop or null them silently); undefined reads as null;
// a Map as an object of its entries; a string with a lone surrogate gets U+FFFD in its place (as
// the browser's own UTF-8 encoding does; serde_json refuses the escape JSON.stringify writes).
function check(key, x) {
  switch (typeof x) {
    case "string": return x.isWellFormed() ? x : x.toWellFormed();
    case "number": if (!Number.isFinite(x)) throw new TypeError(`${x} is not a JSON number`); return x;
    case "function": case "symbol": case "bigint": throw new TypeError(`a ${typeof x} is not JSON data`);
    case "undefined": return null;
    case "object": return x instanceof Map ? Object.fromEntries(x) : x;
    default: return x;
  }
}
// Whether JSON.stringify alone gives the same text (no value for `check` to refuse or change): a
// replacer takes V8 off its fast path, ~3x slower on 1,000 mocks. Deep or cyclic values take the
// checked path, where JSON.stringify reports a cycle.
function plain(x, depth) {
  switch (typeof x) {
    case "string": return x.isWellFormed();
    case "boolean": return true;
    case "number": return Number.isFinite(x);
    case "object":
      if (x === null) return true;
      if (depth > 200) return false;
      if (Array.isArray(x)) {
        for (let i = 0; i < x.length; i++) if (!plain(x[i], depth + 1)) return false;
        return true;
      }
      if (x instanceof Map || typeof x.toJSON === "function") return false;
      for (const k of Object.keys(x)) if (!plain(x[k], depth + 1)) return false;
      return true;
    default: return false;
  }
}
export function json_text(v) {
  if (v === undefined) return "null";
  return plain(v, 0) ? JSON.stringify(v) : JSON.stringify(v, check);
}
// Start options without `onTask` (a function: not JSON data), and the function: [rest, onTask],
// or undefined when there is none (the options are used as they are).
export function take_on_task(options) {
  if (options === null || typeof options !== "object" || !("onTask" in options)) return undefined;
  const { onTask, ...rest } = options;
  if (onTask !== undefined && onTask !== null && typeof onTask !== "function") {
    throw new TypeError(`"onTask" must be a function (request) => answer, not ${typeof onTask}`);
  }
  return [rest, onTask ?? undefined];
}
// The value form of wire.rs (its doc has the layout): read_wire for a task's parameters, coming
// out of wasm memory; written (below) for its answer and every value given to the API, going in.
const wireDecoder = new TextDecoder("utf-8", { ignoreBOM: true, fatal: true });
const wireEncoder = new TextEncoder();
let rb, rv, rp;
function ru32() {
  const p = rp;
  rp += 4;
  return rv.getUint32(p, true);
}
// ASCII strings of up to 64 bytes from a table of those already read, keyed by a hash of their
// bytes and checked against them: no TextDecoder call (a fixed cost per call). 64 holds many an
// ARN (a Lambda function's with a short name is ~50 bytes), which a task's parameters often
// repeat at every task (benches/README.md §13). Keys (rstr) come back
// internalized, the same string each time, so the objects' property stores stay on V8's fast path
// (reading keys afresh per task cost ~1.5x as much, benches/README.md §6). Values (rvstr) have a
// table of their own and are not internalized: a value needs no internalized string, and
// internalizing each new text (a task's `step-N` label) through an object literal cost a V8 map
// transition per text (jsonata-task-heavy, benches/README.md, "Fourth round").
const wireStrings = new Map();
const wireValues = new Map();
function rstr() { return rknown(wireStrings, true); }
function rvstr() { return rknown(wireValues, false); }
function rknown(table, intern) {
  const n = ru32(), p = rp;
  rp += n;
  if (n > 64) return wireDecoder.decode(rb.subarray(p, p + n));
  let h = n;
  for (let i = p; i < p + n; i++) h = (Math.imul(h, 31) + rb[i]) | 0;
  const known = table.get(h);
  if (known !== undefined && known.length === n) {
    let i = 0;
    while (i < n && known.charCodeAt(i) === rb[p + i]) i++;
    if (i === n) return known;
  }
  const s = wireDecoder.decode(rb.subarray(p, p + n));
  // ASCII only (one byte per character, so the check above holds).
  if (s.length !== n) return s;
  const kept = intern ? Object.keys({ [s]: 0 })[0] : s;
  if (table.size >= 4096) table.clear();
  table.set(h, kept);
  return kept;
}
function rvalue() {
  switch (rb[rp++]) {
    case 0: return null;
    case 1: return false;
    case 2: return true;
    case 3: {
      const x = rv.getFloat64(rp, true);
      rp += 8;
      return x;
    }
    case 4: return rvstr();
    case 5: {
      const n = ru32(), a = [];
      for (let i = 0; i < n; i++) a.push(rvalue());
      return a;
    }
    case 6: {
      const n = ru32(), o = {};
      for (let i = 0; i < n; i++) {
        const k = rstr(), v = rvalue();
        // As JSON.parse: an own "__proto__" member, not the prototype.
        if (k === "__proto__") Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
        else o[k] = v;
      }
      return o;
    }
    default: throw new Error("asl-wasm: bad value bytes");
  }
}
// The module's memory (given once by set_memory) as bytes, and as a DataView (`wasmView`, for the
// reader's numbers and lengths) made with it; both anew after the memory grew (a grown memory
// detaches its old buffer, which empties the old views: checking that is cheaper than the
// `buffer` getter, ~1% of an onTask run when read twice per task).
let wasmMemory, wasmBytes = new Uint8Array(0), wasmView;
function memoryBytes() {
  if (wasmBytes.length === 0) {
    wasmBytes = new Uint8Array(wasmMemory.buffer);
    wasmView = new DataView(wasmMemory.buffer);
  }
  return wasmBytes;
}
function memoryView() {
  memoryBytes();
  return wasmView;
}
export function set_memory(memory) {
  wasmMemory = memory;
}
// A finished run's status with its output in the wire form at `ptr`, as JSON.parse would give the
// status's JSON text.
export function succeeded(ptr) {
  return { status: "SUCCEEDED", output: read_wire(ptr) };
}
function read_wire(ptr) {
  rb = memoryBytes();
  rv = wasmView;
  rp = ptr;
  try { return rvalue(); } finally { rb = rv = undefined; }
}
let wb = new Uint8Array(1024), wv = new DataView(wb.buffer), wl = 0;
function wneed(n) {
  if (wl + n <= wb.length) return;
  const b = new Uint8Array(Math.max(wb.length * 2, wl + n));
  b.set(wb.subarray(0, wl));
  wb = b;
  wv = new DataView(b.buffer);
}
function wstr(s) {
  const n = s.length;
  wneed(4 + 3 * n);
  const at = wl;
  wl += 4;
  let i = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c > 127) break;
    wb[wl + i] = c;
  }
  // Not ASCII: UTF-8 from TextEncoder, which writes a lone surrogate as U+FFFD (as toWellFormed
  // then UTF-8 does on the checked path).
  const len = i === n ? n : wireEncoder.encodeInto(s, wb.subarray(wl)).written;
  wv.setUint32(at, len, true);
  wl += len;
}
// Writes what `plain` (above) accepts, as JSON.stringify would write it; false for anything else
// (the caller then takes the JSON text path, with its checks and errors).
function wvalue(x, depth) {
  switch (typeof x) {
    case "string": wneed(1); wb[wl++] = 4; wstr(x); return true;
    case "boolean": wneed(1); wb[wl++] = x ? 2 : 1; return true;
    case "number":
      if (!Number.isFinite(x)) return false;
      wneed(9); wb[wl++] = 3; wv.setFloat64(wl, x, true); wl += 8; return true;
    case "object": {
      if (x === null) { wneed(1); wb[wl++] = 0; return true; }
      // The reader's limit (asl-core's MAX_DEPTH): deeper values take the JSON text path, whose
      // reader's error says where; so does a toJSON, own or inherited (JSON.stringify calls it).
      if (depth >= 200 || typeof x.toJSON === "function") return false;
      if (Array.isArray(x)) {
        const n = x.length;
        wneed(5); wb[wl++] = 5; wv.setUint32(wl, n, true); wl += 4;
        for (let i = 0; i < n; i++) if (!wvalue(x[i], depth + 1)) return false;
        return true;
      }
      // Plain objects only: a Map, a boxed primitive, a Date… take the JSON path.
      const proto = Object.getPrototypeOf(x);
      if (proto !== Object.prototype && proto !== null) return false;
      const keys = Object.keys(x), n = keys.length;
      wneed(5); wb[wl++] = 6; wv.setUint32(wl, n, true); wl += 4;
      for (let i = 0; i < n; i++) {
        const k = keys[i];
        wstr(k);
        if (!wvalue(x[k], depth + 1)) return false;
      }
      return true;
    }
    default: return false;
  }
}
// JSON text in the wire form (tag 7).
function wire_text(text) {
  wneed(1);
  wb[wl++] = 7;
  wstr(text);
}
// What `plain` (above) accepts as it is, else the JSON text of json_text's checks (or its error).
function write_value(x) {
  if (wvalue(x, 0)) return;
  const text = json_text(x);
  wl = 0;
  wire_text(text);
}
// An onTask answer: a plain {output: v} (its one own key, no toJSON) as tag 8 and v alone, which
// on_task.rs reads as that answer without making the wrapper object; anything else (or a v the
// walk does not take) as write_value writes it.
function write_answer(x) {
  if (typeof x === "object" && x !== null && !Array.isArray(x) && typeof x.toJSON !== "function") {
    const proto = Object.getPrototypeOf(x);
    if (proto === Object.prototype || proto === null) {
      const keys = Object.keys(x);
      if (keys.length === 1 && keys[0] === "output") {
        wneed(1);
        wb[wl++] = 8;
        if (wvalue(x.output, 1)) return;
        wl = 0;
      }
    }
  }
  write_value(x);
}
// Writes `x` from the buffer's start (as a value, or when `text`, as JSON text in the wire form)
// and keeps its bytes for take_answer; returns their length. Writes can nest: a getter, a toJSON
// or a Proxy trap of the value being written may call into the module, which writes a value of its
// own (an onTask answer, the input of another start): that inner write gets a buffer of its own,
// so the outer write's bytes are kept.
let writing = false, pendingB = wb, pendingL = 0;
function written(x, text, answer) {
  let ob, ov, ol;
  const outer = writing;
  if (outer) { ob = wb; ov = wv; ol = wl; wb = new Uint8Array(1024); wv = new DataView(wb.buffer); }
  writing = true;
  try {
    wl = 0;
    if (text) wire_text(x);
    else if (answer) write_answer(x);
    else write_value(x);
    pendingB = wb;
    pendingL = wl;
    return wl;
  } finally {
    if (outer) { wb = ob; wv = ov; wl = ol; }
    else writing = false;
  }
}
// The last value written to wasm memory at `ptr` (room made there for the length written gave).
export function take_answer(ptr) {
  const m = memoryBytes(), b = pendingB, n = pendingL;
  if (n > 64) m.set(b.subarray(0, n), ptr);
  else for (let i = 0; i < n; i++) m[ptr + i] = b[i];
}
// A value for from_js in the wire form: its length; take_answer then copies it. Throws what
// json_text throws for what is not JSON data.
export function wire_in(x) {
  return written(x, false);
}
// One task for an onTask function, its parameters in wasm memory at `parameters` (the wire form),
// its iterations `iterLen` u32s at `iterPtr`. The answer is written in the wire form, copied to
// `out` when it fits in `room` bytes (else the caller makes room and calls take_answer); returns
// its length, or -1 when the function declines. A throw is the task's failure ({error: the
// exception's name, cause: its message}); an answer that cannot be JSON data fails it as
// States.Runtime (the reader in on_task.rs names the shape).
export function call_task(f, state, resource, parameters, iterPtr, iterLen, retryCount, out, room) {
  let iterations = [];
  if (iterLen > 0) {
    const view = memoryView();
    for (let i = 0, p = iterPtr; i < iterLen; i++, p += 4) iterations.push(view.getUint32(p, true));
  }
  let n;
  try {
    const answer = f({ state, resource, parameters: read_wire(parameters), iterations, retryCount });
    if (answer === undefined || answer === null) return -1;
    const runtime = (cause) => written(JSON.stringify({ error: "States.Runtime", cause: `onTask: ${cause}` }), true);
    if (typeof answer.then === "function") n = runtime("the answer is a Promise: answer synchronously with {output} or {error, cause?}");
    else {
      try {
        n = written(answer, false, true);
      } catch (e) {
        n = runtime(`the answer is not JSON data: ${e.message}`);
      }
    }
  } catch (e) {
    const error = typeof e?.name === "string" && e.name ? e.name : "Error";
    n = written(JSON.stringify({ error, cause: e instanceof Error ? e.message : String(e) }), true);
  }
  if (n <= room) take_answer(out);
  return n;
}
"#)]
extern "C" {
    #[wasm_bindgen(catch)]
    fn json_text(v: &JsValue) -> Result<String, JsValue>;
    #[wasm_bindgen(catch)]
    fn take_on_task(options: &JsValue) -> Result<JsValue, JsValue>;
    /// See the JS above; `f` is an `onTask` function ([`crate::on_task`]); the numbers are
    /// addresses and lengths in the module's memory.
    #[allow(clippy::too_many_arguments)]
    pub fn call_task(
        f: &js_sys::Function,
        state: &JsValue,
        resource: &JsValue,
        parameters: u32,
        iterations: u32,
        iterations_len: u32,
        retry_count: u32,
        out: u32,
        room: u32,
    ) -> i32;
    /// Copies the last value [`call_task`] or `wire_in` wrote to `ptr` (room made for the
    /// length they gave).
    pub fn take_answer(ptr: u32);
    /// Writes a value in the wire form for [`from_js`]; throws as `json_text` does.
    #[cfg(feature = "run")]
    #[wasm_bindgen(catch)]
    fn wire_in(v: &JsValue) -> Result<u32, JsValue>;
    /// Gives the JS above the module's memory (`wasm_bindgen::memory()`).
    pub fn set_memory(memory: &JsValue);
    /// `{status: "SUCCEEDED", output}`, the output read from the wire form at `output`.
    #[cfg(feature = "run")]
    fn succeeded(output: u32) -> JsValue;
}

/// Start options split into the JSON part and their `onTask` function, if any (a function
/// cannot cross as JSON text).
pub fn split_on_task(options: JsValue) -> Result<(JsValue, Option<js_sys::Function>), JsValue> {
    let split = take_on_task(&options).map_err(|e| {
        e.dyn_ref::<Error>().map_or_else(
            || error("\"onTask\" must be a function"),
            |e| error(&String::from(e.message())),
        )
    })?;
    if split.is_undefined() {
        return Ok((options, None));
    }
    let pair = js_sys::Array::from(&split);
    Ok((pair.get(0), pair.get(1).dyn_into::<js_sys::Function>().ok()))
}

/// A Rust value as a plain JS value.
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(value).map_err(|e| error(&e.to_string()))?;
    JSON::parse(&text)
}

/// An execution's status as a plain JS value (what [`to_js`] gives). A finished run's output
/// crosses in [`crate::wire`]'s form, written into a buffer kept between calls and read by the JS
/// side from the module's memory: serde_json's writer, a UTF-8 decode and `JSON.parse` of it
/// cost ~3× the wire writer and reader together for payload-200k's 205 KB output (measured in
/// `benches/README.md` §9).
#[cfg(feature = "run")]
pub fn status_to_js(status: &asl_core::exec::Status) -> Result<JsValue, JsValue> {
    thread_local! {
        static OUTPUT: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
    }
    match status {
        asl_core::exec::Status::Succeeded { output } => {
            let mut bytes = OUTPUT.take();
            bytes.clear();
            crate::wire::write(output, &mut bytes);
            let js = succeeded(u32::try_from(bytes.as_ptr() as usize).unwrap_or(0));
            OUTPUT.set(bytes);
            Ok(js)
        }
        other => to_js(other),
    }
}

/// A JS value (`undefined` and `null` become [`Value::Null`]) as a JSON value; functions, symbols,
/// `NaN` and infinities are errors.
///
/// With `run`, in [`crate::wire`]'s binary form: one JS walk writes it (what the walk does not
/// take as it is goes as the checked JSON text inside it) and the reader makes the value from
/// doubles and UTF-8 bytes, where JSON text cost a check walk, `JSON.stringify`, a UTF-8 encode
/// and serde_json's reader (twice the CPU time for payload-200k's 205 KB input,
/// `benches/README.md` §9). Its keys are not interned in the table `onTask` answers share: with
/// them shared, task-heavy's run (which copies and rewrites its input at every task) took 8–10%
/// more CPU, and payload-200k's was no faster (§9).
#[cfg(feature = "run")]
pub fn from_js(value: JsValue, what: &str) -> Result<Value, JsValue> {
    let n = wire_in(&value).map_err(|e| not_json(what, message(&e)))?;
    let mut bytes = vec![0u8; n as usize];
    take_answer(u32::try_from(bytes.as_mut_ptr() as usize).unwrap_or(0));
    crate::wire::read(&bytes, &mut crate::wire::Keys::default()).map_err(|e| not_json(what, e))
}

/// A JS value as a JSON value, as JSON text (the diagram build: options only, no wire reader).
#[cfg(not(feature = "run"))]
pub fn from_js(value: JsValue, what: &str) -> Result<Value, JsValue> {
    let text = to_json_text(value, what)?;
    from_json_text(&text, what)
}

/// An exception's message (what `json_text` threw).
fn message(e: &JsValue) -> String {
    e.dyn_ref::<Error>()
        .map_or_else(|| "unreadable".to_string(), |e| String::from(e.message()))
}

/// The JSON text of a JS value, checked as [`from_js`] checks it (the first half of [`from_js`],
/// for a caller that keeps the text, e.g. to see that a value did not change).
pub fn to_json_text(value: JsValue, what: &str) -> Result<String, JsValue> {
    json_text(&value).map_err(|e| not_json(what, message(&e)))
}

/// The second half of [`from_js`]: text from [`to_json_text`] as a value.
pub fn from_json_text(text: &str, what: &str) -> Result<Value, JsValue> {
    Value::parse(text).map_err(|e| not_json(what, e.to_string()))
}

fn not_json(what: &str, why: String) -> JsValue {
    error(&format!("{what} is not JSON data: {why}"))
}

/// A JS `Error` with this message.
pub fn error(message: &str) -> JsValue {
    Error::new(message).into()
}

/// A JS `Error` carrying extra data on a property (e.g. `diagnostics`).
pub fn error_with(message: &str, key: &str, data: JsValue) -> JsValue {
    let e = Error::new(message);
    // Setting a property on a fresh Error object cannot fail; if it somehow did, the message still
    // says what went wrong.
    let _ = Reflect::set(&e, &JsValue::from_str(key), &data);
    e.into()
}
