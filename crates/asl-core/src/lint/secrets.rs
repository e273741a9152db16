//! Secret lints: keys that look like secrets with literal values in the definition's payload
//! templates, and in the execution input (after a run).

use super::walk::StateRef;
use crate::diag::{Code, Diagnostic, pointer_segment};
use crate::source::Span;
use crate::syntax::{Kind, Node};
use crate::value::Value;

/// Whether a key names a secret value (`password`, `api_key`, `Authorization`, …), not a
/// reference to one (`SecretId`, `SecretArn`) or a pagination/LLM token count.
pub(crate) fn looks_secret(key: &str) -> bool {
    let k: String = key
        .trim_end_matches(".$")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    const REFERENCES: &[&str] = &[
        "secretid",
        "secretarn",
        "secretname",
        "nexttoken",
        "continuationtoken",
        "maxtokens",
        "tasktoken",
        "tokencount",
        "idempotencytoken",
        "clienttoken",
        "pagetoken",
    ];
    if REFERENCES.iter().any(|r| k == *r || k.ends_with(r)) {
        return false;
    }
    const SECRETS: &[&str] = &[
        "password",
        "passwd",
        "passphrase",
        "secret",
        "token",
        "apikey",
        "authorization",
        "privatekey",
        "accesskey",
        "credential",
    ];
    SECRETS.iter().any(|s| k.contains(s))
}

/// Payload fields whose literal values end up in requests and the history.
const TEMPLATE_FIELDS: &[&str] = &[
    "Parameters",
    "Arguments",
    "Result",
    "ItemSelector",
    "Assign",
    "Output",
    "ResultSelector",
];

fn walk_template(node: &Node, ptr: &str, found: &mut Vec<(String, Span, String)>) {
    match &node.kind {
        Kind::Object(members) => {
            for m in members {
                let p = format!("{ptr}/{}", pointer_segment(&m.key));
                let literal = !m.key.ends_with(".$")
                    && m.value
                        .as_str()
                        .is_some_and(|v| !v.trim().is_empty() && !v.trim_start().starts_with("{%"));
                if literal && looks_secret(&m.key) {
                    found.push((m.key.clone(), m.key_span, p.clone()));
                }
                walk_template(&m.value, &p, found);
            }
        }
        Kind::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk_template(item, &format!("{ptr}/{i}"), found);
            }
        }
        _ => {}
    }
}

pub(super) fn in_definition(states: &[StateRef<'_>], out: &mut Vec<Diagnostic>) {
    for s in states {
        for field in TEMPLATE_FIELDS {
            let Some(node) = s.field(field) else {
                continue;
            };
            let mut found = Vec::new();
            walk_template(node, &format!("{}/{field}", s.pointer), &mut found);
            for (key, span, pointer) in found {
                out.push(Diagnostic::new(
                    Code::LintSecretInDefinition,
                    format!(
                        "'{key}' in '{}' looks like a secret written into the definition; it is readable with the definition and kept in every execution's history (90 days for Standard). Fetch it from Secrets Manager at run time",
                        s.name
                    ),
                    pointer,
                    span,
                ));
            }
        }
    }
}

fn walk_value(v: &Value, ptr: &str, found: &mut Vec<String>) {
    match v {
        Value::Object(o) => {
            for (k, v) in o.iter() {
                let p = format!("{ptr}/{}", pointer_segment(k));
                if looks_secret(k) && v.as_str().is_some_and(|s| !s.is_empty()) {
                    found.push(p.clone());
                }
                walk_value(v, &p, found);
            }
        }
        Value::Array(a) => {
            for (i, item) in a.iter().enumerate() {
                walk_value(item, &format!("{ptr}/{i}"), found);
            }
        }
        _ => {}
    }
}

pub(super) fn in_input(input: &Value, out: &mut Vec<Diagnostic>) {
    let mut found = Vec::new();
    walk_value(input, "", &mut found);
    for p in found {
        // The one lint about the input, not the definition: its pointer is into the input (an
        // editor of the input can mark it) and its span the definition's start.
        out.push(Diagnostic::new(
            Code::LintSecretInInput,
            format!(
                "the execution input has a secret-looking value at {p}; the input is kept in the execution history (90 days for Standard) and shown to anyone who can read executions. Pass a Secrets Manager secret name instead"
            ),
            p,
            Span::new(0, 0),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_keys() {
        for k in [
            "password",
            "db_password",
            "apiKey",
            "API-KEY",
            "Authorization",
            "clientSecret",
            "accessToken",
            "token.$",
        ] {
            assert!(looks_secret(k), "{k}");
        }
        for k in [
            "SecretId",
            "NextToken",
            "maxTokens",
            "TaskToken",
            "name",
            "user",
        ] {
            assert!(!looks_secret(k), "{k}");
        }
    }

    #[test]
    fn literal_secrets_in_parameters_not_paths() {
        let text = r#"{"StartAt": "C", "States": {"C": {"Type": "Pass", "End": true,
            "Parameters": {"headers": {"Authorization": "Bearer abc"}, "token.$": "$.token"}}}}"#;
        let root = crate::syntax::parse(text).expect("json");
        let d = crate::lint::definition_lints(text, &root, &crate::lint::LintOptions::default());
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].pointer, "/States/C/Parameters/headers/Authorization");
    }

    #[test]
    fn secrets_in_input() {
        let v = Value::parse(r#"{"user": {"password": "hunter2"}, "apiKey": ""}"#).expect("json");
        let mut out = Vec::new();
        in_input(&v, &mut out);
        assert_eq!(out.len(), 1);
        assert!(out[0].message.contains("/user/password"));
        assert_eq!(out[0].pointer, "/user/password");
    }
}
