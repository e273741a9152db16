//! Payload-size lints: a state that copies the whole state into a growing document inside a
//! loop or Map (static), and a state whose output in the last run came within 50% of the 256 KiB
//! limit (after a run).

use super::walk::StateRef;
use crate::diag::{Code, Diagnostic};
use crate::history::{EventDetails, HistoryEvent};
use crate::syntax::{Kind, Node};

/// AWS's limit on a state's input or output: 262,144 bytes.
pub(crate) const LIMIT: usize = 256 * 1024;

/// The first `"….$": "$"` member (the whole state copied) inside a payload template.
fn whole_state_copy(template: &Node) -> Option<&Node> {
    match &template.kind {
        Kind::Object(members) => members.iter().find_map(|m| {
            if m.key.ends_with(".$") && m.value.as_str() == Some("$") {
                Some(&m.value)
            } else {
                whole_state_copy(&m.value)
            }
        }),
        Kind::Array(items) => items.iter().find_map(whole_state_copy),
        _ => None,
    }
}

pub(super) fn grows_in_loop(states: &[StateRef<'_>], out: &mut Vec<Diagnostic>) {
    for s in states.iter().filter(|s| s.repeats) {
        let Some(copy) = s.field("Parameters").and_then(whole_state_copy) else {
            continue;
        };
        let result_path = s.field("ResultPath");
        if result_path.is_some_and(|r| matches!(r.kind, Kind::Null)) {
            continue; // the result is discarded
        }
        let ty = s.str_field("Type").unwrap_or("");
        let merges = result_path.and_then(Node::as_str).is_some_and(|p| p != "$");
        let message = match (ty, merges) {
            ("Pass", _) => format!(
                "'{}' runs repeatedly and its Parameters copy the whole state (\"$\") into its output, so the payload nests one level deeper on every pass until it exceeds 256 KiB (States.DataLimitExceeded); select only the fields you need, or pass an S3 key",
                s.name
            ),
            (_, true) => format!(
                "'{}' runs repeatedly, sends the whole state (\"$\") and adds the result into it with ResultPath; if the result echoes its request the payload grows on every pass toward 256 KiB (States.DataLimitExceeded); trim the result with ResultSelector or pass an S3 key",
                s.name
            ),
            _ => continue,
        };
        out.push(Diagnostic::new(
            Code::LintPayloadGrows,
            message,
            format!("{}/Parameters", s.pointer),
            copy.span,
        ));
    }
}

pub(super) fn near_limit(
    states: &[StateRef<'_>],
    history: &[HistoryEvent],
    out: &mut Vec<Diagnostic>,
) {
    // Largest output per state, first seen order.
    let mut largest: Vec<(&str, usize)> = Vec::new();
    for e in history {
        if let EventDetails::StateExited { name, output, .. } = &e.details {
            let size = output.json_len();
            match largest.iter_mut().find(|(n, _)| *n == &**name) {
                Some(entry) => entry.1 = entry.1.max(size),
                None => largest.push((name, size)),
            }
        }
    }
    for (name, size) in largest {
        if size * 2 < LIMIT {
            continue;
        }
        let Some(s) = super::find(states, name) else {
            continue;
        };
        out.push(Diagnostic::new(
            Code::LintPayloadNearLimit,
            format!(
                "'{name}' output {} bytes in the last run, {}% of the 256 KiB limit (262,144 bytes); a larger input will fail with States.DataLimitExceeded. Trim it with ResultSelector/OutputPath or pass an S3 reference",
                super::thousands(size as u64),
                size * 100 / LIMIT
            ),
            s.pointer.clone(),
            s.name_span,
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::{LintOptions, definition_lints};

    fn codes(text: &str) -> Vec<(String, String)> {
        let root = crate::syntax::parse(text).expect("json");
        definition_lints(text, &root, &LintOptions::default())
            .into_iter()
            .filter(|d| d.code == crate::Code::LintPayloadGrows)
            .map(|d| (d.code.to_string(), d.pointer))
            .collect()
    }

    #[test]
    fn whole_state_copied_in_a_loop() {
        let text = r#"{"StartAt": "Grow", "States": {
            "Grow": {"Type": "Pass", "Parameters": {"previous.$": "$", "n.$": "$.n"}, "Next": "Again"},
            "Again": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericLessThan": 5, "Next": "Grow"}], "Default": "Done"},
            "Done": {"Type": "Succeed"}}}"#;
        assert_eq!(
            codes(text),
            [(
                "PAYLOAD_GROWS_IN_LOOP".to_string(),
                "/States/Grow/Parameters".to_string()
            )]
        );
        // Not in a loop: no warning.
        let once = text.replace("\"Next\": \"Grow\"", "\"Next\": \"Done\"");
        assert!(codes(&once).is_empty());
    }
}
