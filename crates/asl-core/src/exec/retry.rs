//! Retry and Catch: which retrier or catcher an error selects, and how long a retry waits.
//!
//! Owns AWS's matching rules: `States.ALL` matches every error; `States.TaskFailed` matches every
//! error except `States.Timeout`; `States.Runtime` is matched by nothing (AWS fails the execution
//! on it even when a catcher names it: `localstack/scenarios/test_base_scenarios::
//! test_catch_states_runtime`; so failed intrinsic functions and Choice states without a match,
//! which AWS reports as `States.Runtime`, are never caught either); the first retrier whose `ErrorEquals`
//! matches decides (a later one is never consulted), and a retrier that has used its
//! `MaxAttempts` lets the error fall through to the catchers. The delay is
//! `IntervalSeconds × BackoffRate^attempt`, capped by `MaxDelaySeconds`, and with `JitterStrategy:
//! FULL` drawn uniformly from `[0, delay]` with the execution's seeded generator.
//!
//! Not owned here: running the state again or routing to the catcher (`exec::engine`).

use crate::env::Rng;
use crate::error::ErrorName;
use crate::model::{Catcher, Jitter, Retrier, Spanned};

/// Whether an `ErrorEquals` list matches an error name.
pub fn matches(error_equals: &[Spanned<ErrorName>], error: &str) -> bool {
    if error == "States.Runtime" {
        return false;
    }
    error_equals.iter().any(|e| match &e.value {
        ErrorName::All => true,
        ErrorName::TaskFailed => error != "States.Timeout",
        name => name.as_str() == error,
    })
}

/// The decision for a failed attempt: retry after `delay_ms`, or not.
pub fn retry_delay(
    retriers: &[Retrier],
    attempts: &mut [u32],
    error: &str,
    rng: &mut Rng,
) -> Option<u64> {
    let (i, r) = retriers
        .iter()
        .enumerate()
        .find(|(_, r)| matches(&r.error_equals, error))?;
    let done = attempts.get(i).copied().unwrap_or(0);
    if u64::from(done) >= r.max_attempts {
        return None;
    }
    if let Some(a) = attempts.get_mut(i) {
        *a += 1;
    }
    let base = r.interval_seconds as f64 * r.backoff_rate.powi(done as i32);
    let capped = match r.max_delay_seconds {
        Some(max) => base.min(max as f64),
        None => base,
    };
    let delay_s = match r.jitter {
        Jitter::None => capped,
        Jitter::Full => capped * rng.next_f64(),
    };
    // Virtual time: any delay is instant to wait; clamp to a sane range so huge backoffs cannot
    // overflow the clock.
    Some((delay_s.clamp(0.0, 1e12) * 1000.0).round() as u64)
}

/// The first catcher that matches.
pub fn catcher<'a>(catchers: &'a [Catcher], error: &str) -> Option<&'a Catcher> {
    catchers.iter().find(|c| matches(&c.error_equals, error))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    fn names(list: &[&str]) -> Vec<Spanned<ErrorName>> {
        list.iter()
            .map(|n| Spanned::new(ErrorName::parse(n), Span::default()))
            .collect()
    }

    fn retrier(
        list: &[&str],
        interval: u64,
        max: u64,
        rate: f64,
        cap: Option<u64>,
        jitter: Jitter,
    ) -> Retrier {
        Retrier {
            error_equals: names(list),
            interval_seconds: interval,
            max_attempts: max,
            backoff_rate: rate,
            max_delay_seconds: cap,
            jitter,
            span: Span::default(),
        }
    }

    #[test]
    fn matching_rules() {
        assert!(matches(&names(&["States.ALL"]), "Lambda.Unknown"));
        assert!(!matches(&names(&["States.ALL"]), "States.Runtime"));
        assert!(!matches(&names(&["States.Runtime"]), "States.Runtime"));
        assert!(matches(&names(&["States.TaskFailed"]), "Custom"));
        assert!(!matches(&names(&["States.TaskFailed"]), "States.Timeout"));
        assert!(matches(&names(&["A", "B"]), "B"));
    }

    #[test]
    fn backoff_caps_and_runs_out() {
        let rs = [retrier(&["E"], 2, 3, 2.0, Some(5), Jitter::None)];
        let mut attempts = [0u32];
        let mut rng = Rng::new(1);
        let delays: Vec<Option<u64>> = (0..4)
            .map(|_| retry_delay(&rs, &mut attempts, "E", &mut rng))
            .collect();
        assert_eq!(delays, vec![Some(2000), Some(4000), Some(5000), None]);
        assert_eq!(retry_delay(&rs, &mut [0], "Other", &mut rng), None);
        let full = [retrier(&["E"], 10, 1, 2.0, None, Jitter::Full)];
        let d = retry_delay(&full, &mut [0], "E", &mut rng).expect("retries");
        assert!(d <= 10_000);
    }
}
