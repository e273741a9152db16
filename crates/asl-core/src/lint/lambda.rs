//! Lambda retry lints: a Retry on `States.ALL`/`Lambda.*` (which multiplies with Lambda's own
//! retries), and no Retry on the transient Lambda service errors AWS recommends retrying, with
//! a quick fix that inserts that retrier.

use super::walk::StateRef;
use crate::diag::{Code, Diagnostic, Fix};
use crate::source::Span;
use crate::syntax::Node;

/// The errors AWS recommends retrying on every Lambda invocation.
pub(crate) const TRANSIENT: [&str; 4] = [
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
];

/// A Lambda invocation: the optimized integration or a function ARN.
pub(crate) fn is_lambda(resource: &str) -> bool {
    let r = resource;
    r.contains(":states:::lambda:invoke")
        || (r.starts_with("arn:")
            && r.split(':').nth(2) == Some("lambda")
            && r.contains(":function:"))
}

fn lambda_task<'a>(s: &StateRef<'a>) -> Option<&'a Node> {
    let resource = s.field("Resource")?;
    (s.str_field("Type") == Some("Task") && is_lambda(resource.as_str()?)).then_some(resource)
}

fn error_names(retry: Option<&Node>) -> Vec<&Node> {
    retry
        .and_then(Node::as_array)
        .unwrap_or_default()
        .iter()
        .filter_map(|r| r.get("ErrorEquals")?.value.as_array())
        .flatten()
        .collect()
}

pub(super) fn broad_retry(states: &[StateRef<'_>], out: &mut Vec<Diagnostic>) {
    for s in states {
        if lambda_task(s).is_none() {
            continue;
        }
        let broad = error_names(s.field("Retry")).into_iter().find(|n| {
            matches!(
                n.as_str(),
                Some("States.ALL" | "States.TaskFailed" | "Lambda.*" | "Lambda.Unknown")
            )
        });
        if let Some(n) = broad {
            out.push(Diagnostic::new(
                Code::LintLambdaRetryBroad,
                format!(
                    "'{}' retries every failure ({}); Lambda retries asynchronous invocations and event-source batches on its own too, so one failing event can run the product of both policies' attempts (3 × 3 = 9 with the defaults); keep retry policy in one place",
                    s.name,
                    n.as_str().unwrap_or_default()
                ),
                format!("{}/Retry", s.pointer),
                n.span,
            ));
        }
    }
}

/// The indentation of the line `at` is on, and the text's indentation step (2 when unknown).
fn indent_at(text: &str, at: u32) -> String {
    let start = text[..(at as usize).min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    text[start..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect()
}

fn retrier_json(missing: &[&str], indent: &str) -> String {
    let names: Vec<String> = missing.iter().map(|e| format!("\"{e}\"")).collect();
    format!(
        "{{\n{indent}  \"ErrorEquals\": [{}],\n{indent}  \"IntervalSeconds\": 1,\n{indent}  \"MaxAttempts\": 3,\n{indent}  \"BackoffRate\": 2,\n{indent}  \"JitterStrategy\": \"FULL\"\n{indent}}}",
        names.join(", ")
    )
}

/// The text edit adding a retrier for `missing` to the state.
fn quick_fix(text: &str, s: &StateRef<'_>, missing: &[&str]) -> Option<Fix> {
    match s.node.get("Retry") {
        Some(retry) => {
            let list = retry.value.as_array()?;
            // Insert first in the list: States.ALL, if any, must stay last.
            let at = retry.value.span.start + 1;
            let item_indent = match list.first() {
                Some(first) => indent_at(text, first.span.start),
                None => format!("{}  ", indent_at(text, retry.key_span.start)),
            };
            let sep = if list.is_empty() { "" } else { "," };
            Some(Fix {
                title: "Retry transient Lambda errors".into(),
                span: Span::new(at, at),
                replacement: format!(
                    "\n{item_indent}{}{sep}",
                    retrier_json(missing, &item_indent)
                ),
            })
        }
        None => {
            let first = s.node.as_object()?.first()?;
            let key_indent = indent_at(text, first.key_span.start);
            let same_line = text[..first.key_span.start as usize]
                .rfind('\n')
                .is_none_or(|nl| (nl as u32) < s.node.span.start);
            let at = first.key_span.start;
            let item_indent = format!("{key_indent}  ");
            let replacement = if same_line {
                // `{"Type": …` on one line: keep it on one line.
                format!(
                    "\"Retry\": [{}], ",
                    retrier_json(missing, "").replace('\n', " ")
                )
            } else {
                format!(
                    "\"Retry\": [\n{item_indent}{}\n{key_indent}],\n{key_indent}",
                    retrier_json(missing, &item_indent)
                )
            };
            Some(Fix {
                title: "Retry transient Lambda errors".into(),
                span: Span::new(at, at),
                replacement,
            })
        }
    }
}

pub(super) fn transient_retry_missing(
    text: &str,
    states: &[StateRef<'_>],
    out: &mut Vec<Diagnostic>,
) {
    for s in states {
        let Some(resource) = lambda_task(s) else {
            continue;
        };
        let names: Vec<&str> = error_names(s.field("Retry"))
            .into_iter()
            .filter_map(Node::as_str)
            .collect();
        if names
            .iter()
            .any(|n| matches!(*n, "States.ALL" | "States.TaskFailed"))
        {
            continue;
        }
        let missing: Vec<&str> = TRANSIENT
            .iter()
            .copied()
            .filter(|t| !names.contains(t))
            .collect();
        if missing.is_empty() {
            continue;
        }
        let mut d = Diagnostic::new(
            Code::LintLambdaTransientRetry,
            format!(
                "'{}' invokes Lambda without a Retry for {}: AWS recommends retrying these transient errors so a hiccup of the Lambda service does not fail the execution",
                s.name,
                missing.join(", ")
            ),
            format!("{}/Resource", s.pointer),
            resource.span,
        );
        if let Some(fix) = quick_fix(text, s, &missing) {
            d = d.with_fix(fix);
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use crate::Code;
    use crate::lint::{LintOptions, definition_lints};

    fn apply(text: &str) -> (Vec<crate::Diagnostic>, Option<String>) {
        let root = crate::syntax::parse(text).expect("json");
        let d: Vec<_> = definition_lints(text, &root, &LintOptions::default())
            .into_iter()
            .filter(|d| d.code == Code::LintLambdaTransientRetry)
            .collect();
        let fixed = d.first().and_then(|d| d.fix.as_ref()).map(|f| {
            let mut t = text.to_string();
            t.replace_range(f.span.start as usize..f.span.end as usize, &f.replacement);
            t
        });
        (d, fixed)
    }

    #[test]
    fn quick_fix_inserts_a_retry_that_silences_the_lint() {
        let text = "{\n  \"StartAt\": \"Call\",\n  \"States\": {\n    \"Call\": {\n      \"Type\": \"Task\",\n      \"Resource\": \"arn:aws:states:::lambda:invoke\",\n      \"End\": true\n    }\n  }\n}";
        let (d, fixed) = apply(text);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].pointer, "/States/Call/Resource");
        let fixed = fixed.expect("a fix");
        assert!(crate::load(&fixed).diagnostics.is_empty(), "{fixed}");
        assert!(
            fixed.contains("      \"Retry\": [\n        {\n          \"ErrorEquals\""),
            "{fixed}"
        );
        assert!(apply(&fixed).0.is_empty());
    }

    #[test]
    fn quick_fix_extends_an_existing_retry_and_one_line_states() {
        let text = r#"{"StartAt": "C", "States": {"C": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f", "End": true, "Retry": [{"ErrorEquals": ["Lambda.ServiceException"]}]}}}"#;
        let (d, fixed) = apply(text);
        assert!(d[0].message.contains("Lambda.AWSLambdaException"));
        let fixed = fixed.expect("a fix");
        assert!(crate::load(&fixed).diagnostics.is_empty(), "{fixed}");
        assert!(apply(&fixed).0.is_empty());
        let one_line = r#"{"StartAt": "C", "States": {"C": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}"#;
        let fixed = apply(one_line).1.expect("a fix");
        assert!(crate::load(&fixed).diagnostics.is_empty(), "{fixed}");
    }

    #[test]
    fn broad_retry_on_lambda_is_flagged() {
        let text = r#"{"StartAt": "C", "States": {"C": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true, "Retry": [{"ErrorEquals": ["States.ALL"]}]}}}"#;
        let root = crate::syntax::parse(text).expect("json");
        let d = definition_lints(text, &root, &LintOptions::default());
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].code, Code::LintLambdaRetryBroad);
    }
}
