//! `evaluateJsonata`: one JSONata expression evaluated on its own, for pages that let a user try
//! an expression (and for running JSONata's official suite against the wasm build).
//!
//! Owns the export's shape only: the input and bindings cross as plain JS values, the result
//! comes back as `{value}` or `{undefined: true}` (JSONata's undefined is not JSON `null`), and an
//! error is thrown as a JS `Error` carrying JSONata's `code`, the `position` (a JS string index,
//! UTF-16 units) and `token`. Compiling and evaluating are `asl_core::jsonata`'s.

use asl_core::jsonata::{Bindings, Expr, JsonataError};
use asl_core::value::Value;
use js_sys::{Error, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::{js, options};

#[derive(Serialize)]
#[serde(untagged)]
enum Outcome {
    Value { value: Value },
    Undefined { undefined: bool },
}

/// `evaluateJsonata(expression, input?, bindings?, options?) → {value} | {undefined: true}`:
/// compiles and evaluates a JSONata 2.0.6 expression (with AWS's added functions) against `input`
/// (JSONata's `$`; `undefined` leaves `$` undefined), `bindings` supplying `$name` variables (e.g.
/// `{states: {input: …}}` for `$states`). Options: `maxDepth`/`maxSteps` (runaway expressions end
/// in a `U1001` error, never a stack overflow), `now` (ms since the epoch, for `$now()`) and
/// `seed` (for `$random()`). Throws an `Error` with `code`, `position` and `token` for a JSONata
/// error, and a plain `Error` for bad arguments.
#[wasm_bindgen(js_name = evaluateJsonata, unchecked_return_type = "JsonataResult")]
pub fn evaluate_jsonata(
    expression: &str,
    #[wasm_bindgen(unchecked_optional_param_type = "unknown")] input: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "Record<string, unknown> | null")]
    bindings: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "JsonataOptions | null")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let env = options::jsonata_options(&js::from_js(options, "the evaluateJsonata options")?)
        .map_err(|e| js::error(&e))?;
    let input = if input.is_undefined() {
        None
    } else {
        Some(js::from_js(input, "the input")?)
    };
    let vars = match js::from_js(bindings, "the bindings")? {
        Value::Null => Bindings::new(),
        Value::Object(o) => o
            .iter()
            .fold(Bindings::new(), |b, (k, v)| b.with(k, v.clone())),
        other => {
            return Err(js::error(&format!(
                "the bindings must be an object, not {}",
                other.type_name()
            )));
        }
    };
    let result = Expr::compile(expression)
        .and_then(|e| e.evaluate_opt(input.as_ref(), &vars, &env))
        .map_err(|e| jsonata_error(expression, &e))?;
    js::to_js(&match result {
        Some(value) => Outcome::Value { value },
        None => Outcome::Undefined { undefined: true },
    })
}

/// The JS `Error` for a JSONata error: its message, with `code`, `position` (UTF-16 index into
/// the expression, or absent) and `token` as properties.
fn jsonata_error(expression: &str, e: &JsonataError) -> JsValue {
    let err = Error::new(&e.to_string());
    // Setting properties on a fresh Error object cannot fail; the message carries the code anyway.
    let _ = Reflect::set(&err, &"code".into(), &e.code.into());
    if let Some(p) = e.position {
        let units = expression
            .get(..p.min(expression.len()))
            .map_or(0, |s| s.encode_utf16().count());
        let _ = Reflect::set(&err, &"position".into(), &(units as f64).into());
    }
    if let Some(t) = &e.token {
        let _ = Reflect::set(&err, &"token".into(), &t.as_str().into());
    }
    err.into()
}
