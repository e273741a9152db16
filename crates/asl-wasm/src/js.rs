//! Crossing the boundary: Rust values to plain JS values and back, and errors as JS `Error`s.
//!
//! Values cross as JSON text: Rust serialises with serde_json and the JS side calls `JSON.parse`;
//! a JS value comes in through `JSON.stringify` (checked first, in JS, for what is not JSON data:
//! functions, symbols, `NaN`…) and is read by serde_json. One string crosses instead of one call per object, key and
//! item: measured in `benches/README.md` (serde-wasm-bindgen made the 205 KB payload-200k input
//! and output, and 1,000 mocks, cost more than the run itself). Callers still see plain JS objects,
//! never strings. A JSON integer beyond 2^53 comes out as `JSON.parse` reads it (what any JS code
//! reading the same JSON would see).

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
// One task for an onTask function: its answer as JSON text, undefined when it declines. A throw
// is the task's failure ({error: the exception's name, cause: its message}); an answer that
// cannot be JSON text fails it as States.Runtime (the reader in on_task.rs names the shape).
export function call_task(f, state, resource, parameters, iterations, retryCount) {
  let answer;
  try {
    answer = f({ state, resource, parameters: JSON.parse(parameters), iterations: iterations.length ? Array.from(iterations) : [], retryCount });
  } catch (e) {
    const error = typeof e?.name === "string" && e.name ? e.name : "Error";
    return JSON.stringify({ error, cause: e instanceof Error ? e.message : String(e) });
  }
  if (answer === undefined || answer === null) return undefined;
  const runtime = (cause) => JSON.stringify({ error: "States.Runtime", cause: `onTask: ${cause}` });
  if (typeof answer.then === "function") return runtime("the answer is a Promise: answer synchronously with {output} or {error, cause?}");
  try {
    return json_text(answer);
  } catch (e) {
    return runtime(`the answer is not JSON data: ${e.message}`);
  }
}
"#)]
extern "C" {
    #[wasm_bindgen(catch)]
    fn json_text(v: &JsValue) -> Result<String, JsValue>;
    #[wasm_bindgen(catch)]
    fn take_on_task(options: &JsValue) -> Result<JsValue, JsValue>;
    /// See the JS above; `f` is an `onTask` function ([`crate::on_task`]).
    pub fn call_task(
        f: &js_sys::Function,
        state: &JsValue,
        resource: &JsValue,
        parameters: &str,
        iterations: &[u32],
        retry_count: u32,
    ) -> Option<String>;
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

/// A JS value (`undefined` and `null` become [`Value::Null`]) as a JSON value; functions, symbols,
/// `NaN` and infinities are errors.
pub fn from_js(value: JsValue, what: &str) -> Result<Value, JsValue> {
    let text = to_json_text(value, what)?;
    from_json_text(&text, what)
}

/// The JSON text of a JS value, checked as [`from_js`] checks it (the first half of [`from_js`],
/// for a caller that keeps the text, e.g. to see that a value did not change).
pub fn to_json_text(value: JsValue, what: &str) -> Result<String, JsValue> {
    json_text(&value).map_err(|e| {
        not_json(
            what,
            e.dyn_ref::<Error>()
                .map_or_else(|| "unreadable".to_string(), |e| String::from(e.message())),
        )
    })
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
