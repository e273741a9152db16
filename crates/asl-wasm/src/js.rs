//! Crossing the boundary: Rust values to plain JS values and back, and errors as JS `Error`s.
//!
//! Owns the one serializer configuration of the API (maps as plain objects, `None` as `null`) and
//! the exceptions every export throws instead of panicking. Values cross as plain JS objects, not
//! JSON strings. A JSON integer beyond 2^53 cannot be a JS number exactly; serde-wasm-bindgen
//! refuses it, so such values fall back to `JSON.parse` of their text (what any JS code reading
//! the same JSON would see) rather than fail.

use js_sys::{Error, JSON, Reflect};
use serde::Serialize;
use wasm_bindgen::JsValue;

use asl_core::value::Value;

const SERIALIZER: serde_wasm_bindgen::Serializer = serde_wasm_bindgen::Serializer::new()
    .serialize_maps_as_objects(true)
    .serialize_missing_as_null(true);

/// A Rust value as a plain JS value.
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    match value.serialize(&SERIALIZER) {
        Ok(v) => Ok(v),
        Err(_) => {
            let text = serde_json::to_string(value).map_err(|e| error(&e.to_string()))?;
            JSON::parse(&text)
        }
    }
}

/// A JS value (`undefined` and `null` become [`Value::Null`]) as a JSON value; functions, symbols,
/// `NaN` and infinities are errors.
pub fn from_js(value: JsValue, what: &str) -> Result<Value, JsValue> {
    serde_wasm_bindgen::from_value(value)
        .map_err(|e| error(&format!("{what} is not JSON data: {e}")))
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
