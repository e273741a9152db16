//! `encodeShare` / `decodeShare`: the playground's share links (`asl_core::share`) for JS.
//!
//! Owns the JS shape of a session, `{definition, input?, mocks?, substitutions?, logicalId?,
//! type?, step?, state?}`, read natively from a [`Value`] (tested with `cargo test`) and written
//! back with the texts as strings. The link format, its compression and its limits are
//! asl-core's.

use asl_core::WorkflowType;
use asl_core::share::{self, SharedSession};
use asl_core::value::Value;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::js;

const KEYS: [&str; 8] = [
    "definition",
    "input",
    "mocks",
    "substitutions",
    "logicalId",
    "type",
    "step",
    "state",
];

/// A text field: a string as it is, any other JSON value pretty-printed (so `input: {a: 1}`
/// works too).
fn text(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.to_string(),
        Some(other) => other.to_json_pretty(),
    }
}

/// The session a JS object describes.
pub fn session_of(v: &Value) -> Result<SharedSession, String> {
    const WHAT: &str = "encodeShare's session";
    let Some(obj) = v.as_object() else {
        return Err(format!("{WHAT} must be an object, not {}", v.type_name()));
    };
    if let Some(key) = obj.keys().find(|k| !KEYS.contains(&&***k)) {
        return Err(format!(
            "{WHAT}: unknown key \"{key}\" (expected one of: {})",
            KEYS.join(", ")
        ));
    }
    let get = |k: &str| obj.get(k).filter(|v| !v.is_null());
    let string = |k: &str| match get(k) {
        None => Ok(None),
        Some(v) => v
            .as_str()
            .map(|s| Some(s.to_string()))
            .ok_or_else(|| format!("{WHAT}: \"{k}\" must be a string")),
    };
    let definition = string("definition")?.ok_or(format!("{WHAT} needs a \"definition\""))?;
    let mut substitutions = asl_core::placeholder::Substitutions::new();
    if let Some(s) = get("substitutions") {
        let o = s
            .as_object()
            .ok_or(format!("{WHAT}: \"substitutions\" must be an object"))?;
        for (k, v) in o.iter() {
            let value = match v {
                Value::String(s) => s.to_string(),
                Value::Number(_) | Value::Bool(_) => v.to_json_string(),
                _ => {
                    return Err(format!(
                        "{WHAT}: substitution \"{k}\" must be a string, number or boolean"
                    ));
                }
            };
            substitutions.insert(k.to_string(), value);
        }
    }
    let workflow_type = match string("type")? {
        None => WorkflowType::Standard,
        Some(t) => t.parse().map_err(|e| format!("{WHAT}: {e}"))?,
    };
    let step = match get("step") {
        None => None,
        Some(v) => Some(
            v.as_number()
                .and_then(|n| n.as_u64())
                .and_then(|n| u32::try_from(n).ok())
                .ok_or(format!("{WHAT}: \"step\" must be a non-negative integer"))?,
        ),
    };
    Ok(SharedSession {
        definition,
        input: text(get("input")),
        mocks: text(get("mocks")),
        substitutions,
        logical_id: string("logicalId")?,
        workflow_type,
        step,
        state: string("state")?,
    })
}

/// A session as JS reads it back.
#[derive(Serialize, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct JsSession {
    definition: String,
    input: String,
    mocks: String,
    substitutions: asl_core::placeholder::Substitutions,
    logical_id: Option<String>,
    #[serde(rename = "type")]
    workflow_type: WorkflowType,
    step: Option<u32>,
    state: Option<String>,
}

impl From<SharedSession> for JsSession {
    fn from(s: SharedSession) -> JsSession {
        JsSession {
            definition: s.definition,
            input: s.input,
            mocks: s.mocks,
            substitutions: s.substitutions,
            logical_id: s.logical_id,
            workflow_type: s.workflow_type,
            step: s.step,
            state: s.state,
        }
    }
}

/// `encodeShare(session) → string`: the playground's share-link payload (`v1.…`, URL-safe; put
/// it after `#s=`). `input` and `mocks` may be texts or JSON values. Throws for a bad session.
#[wasm_bindgen(js_name = encodeShare)]
pub fn encode_share(
    #[wasm_bindgen(unchecked_param_type = "ShareSession")] session: JsValue,
) -> Result<String, JsValue> {
    let v = js::from_js(session, "encodeShare's session")?;
    let s = session_of(&v).map_err(|e| js::error(&e))?;
    Ok(share::encode(&s))
}

/// `decodeShare(link) → ShareSession`: reads a payload made by `encodeShare` or the
/// playground's Share button (texts come back as strings). Throws an `Error` saying why a
/// string is not a link it can open (damaged, cut short, a newer format, too large).
#[wasm_bindgen(js_name = decodeShare, unchecked_return_type = "ShareSession")]
pub fn decode_share(link: &str) -> Result<JsValue, JsValue> {
    let s = share::decode(link).map_err(|e| js::error(&e.to_string()))?;
    js::to_js(&JsSession::from(s))
}

#[wasm_bindgen(typescript_custom_section)]
const TS_SHARE: &str = r#"
/** A playground session as a share link carries it. */
export interface ShareSession {
  definition: string; input?: string | unknown; mocks?: string | unknown;
  substitutions?: Record<string, string | number | boolean>; logicalId?: string | null;
  type?: WorkflowType;
  /** The stepper's event (0: started, before the first); absent: not started. */
  step?: number | null;
  /** The inspected state's path (a node's data-state). */
  state?: string | null;
}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Value {
        Value::parse(json).expect("test JSON")
    }

    #[test]
    fn a_js_session_reads_every_field() {
        let s = session_of(&parse(
            r#"{"definition": "{}", "input": {"a": 1}, "mocks": "{}", "substitutions": {"N": 3, "S": "x"},
                "logicalId": "M", "type": "EXPRESS", "step": 7, "state": "Go"}"#,
        ))
        .expect("reads");
        assert_eq!(s.definition, "{}");
        assert_eq!(s.input, "{\n  \"a\": 1\n}");
        assert_eq!(s.substitutions.get("N").map(String::as_str), Some("3"));
        assert_eq!(s.workflow_type, WorkflowType::Express);
        assert_eq!((s.step, s.state.as_deref()), (Some(7), Some("Go")));
        let back = share::decode(&share::encode(&s)).expect("round trip");
        assert_eq!(back, s);
    }

    #[test]
    fn a_bad_js_session_says_what_is_wrong() {
        for (json, says) in [
            ("[]", "must be an object"),
            ("{}", "needs a \"definition\""),
            (r#"{"definition": "{}", "stp": 1}"#, "unknown key \"stp\""),
            (r#"{"definition": "{}", "step": -1}"#, "\"step\""),
            (r#"{"definition": "{}", "type": "FAST"}"#, "FAST"),
            (r#"{"definition": 1}"#, "\"definition\" must be a string"),
            (
                r#"{"definition": "{}", "substitutions": {"A": []}}"#,
                "\"A\"",
            ),
        ] {
            let e = session_of(&parse(json)).expect_err(json);
            assert!(e.contains(says), "{json}: {e}");
        }
    }
}
