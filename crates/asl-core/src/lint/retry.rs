//! Retry multiplication: a state with its own Retry inside Parallel/Map states that retry too.

use super::walk::{StateRef, attempts};
use crate::diag::{Code, Diagnostic};

pub(super) fn multiplies(states: &[StateRef<'_>], out: &mut Vec<Diagnostic>) {
    for s in states {
        if s.around.is_empty() {
            continue;
        }
        let Some(retry) = s.node.get("Retry") else {
            continue;
        };
        let own = attempts(Some(&retry.value));
        if own <= 1 {
            continue;
        }
        let mut factors = vec![own];
        factors.extend(s.around.iter().rev().map(|a| a.attempts));
        let product = factors.iter().fold(1u64, |p, f| p.saturating_mul(*f));
        let shown: Vec<String> = factors.iter().map(u64::to_string).collect();
        let outer: Vec<String> = s
            .around
            .iter()
            .rev()
            .map(|a| format!("'{}' ({} attempts)", a.name, a.attempts))
            .collect();
        out.push(Diagnostic::new(
            Code::LintRetryMultiplies,
            format!(
                "'{}' can run up to {} = {product} times on a persistent failure: its own Retry allows {own} attempts, and {} around it retries everything inside again",
                s.name,
                shown.join(" × "),
                outer.join(" and ")
            ),
            format!("{}/Retry", s.pointer),
            retry.key_span,
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::{LintOptions, definition_lints};

    #[test]
    fn nested_retries_show_the_product() {
        let text = r#"{"StartAt": "Fan", "States": {"Fan": {"Type": "Map", "End": true,
            "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 3}],
            "ItemProcessor": {"StartAt": "Charge", "States": {"Charge": {"Type": "Task",
              "Resource": "arn:aws:states:::lambda:invoke", "End": true,
              "Retry": [{"ErrorEquals": ["Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException"], "MaxAttempts": 2}]}}}}}}"#;
        let root = crate::syntax::parse(text).expect("json");
        let d: Vec<_> = definition_lints(text, &root, &LintOptions::default())
            .into_iter()
            .filter(|d| d.code == crate::Code::LintRetryMultiplies)
            .collect();
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            d[0].message.contains("up to 3 × 4 = 12 times"),
            "{}",
            d[0].message
        );
        assert_eq!(
            d[0].pointer,
            "/States/Fan/ItemProcessor/States/Charge/Retry"
        );
    }
}
