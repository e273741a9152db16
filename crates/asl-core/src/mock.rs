//! Mocked task results: where a Task state's result comes from when nothing real is called.
//!
//! Owns [`Mocks`] (per state name, else per resource ARN, a [`MockSequence`] of responses chosen
//! by invocation number) and its JSON form:
//!
//! * `{"State": {"Return": <json>}}` or `{"State": {"Throw": {"Error": "…", "Cause": "…"}}}`: the
//!   same response for every invocation;
//! * AWS Step Functions Local's numbered form `{"State": {"0": {…}, "1-2": {…}}}`: 0-based
//!   invocation indexes, single or inclusive ranges. One counter per state per execution, advanced
//!   by every invocation (retries and Map iterations included), as SFN Local counts.
//!
//! A response may also carry `"DurationSeconds"` (virtual seconds the task runs), so
//! `TimeoutSeconds` and `HeartbeatSeconds` can fire; and `"ReturnPayload"` instead of `"Return"`
//! gives what the function returned, which a `lambda:invoke` task wraps in the Invoke response
//! (`Return` is the raw service response, as in SFN Local). Importing a whole MockConfigFile (`StateMachines`/`TestCases`) is
//! the CLI's and UI's job; they build a [`Mocks`] from the selected test case.
//!
//! Not owned here: applying a response (retry, catch, result processing: [`crate::exec`]).

use std::sync::Arc;

use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::value::Value;

/// What a mocked invocation does.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum MockOutcome {
    /// The task succeeds with this raw result (before ResultSelector/ResultPath).
    Return(Value),
    /// The task fails with this error and cause.
    Throw {
        error: Arc<str>,
        cause: Option<Arc<str>>,
    },
}

/// One response, with how long it takes in virtual time.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MockResponse {
    pub outcome: MockOutcome,
    /// Virtual duration in milliseconds (0 when absent).
    pub duration_ms: u64,
    /// Written as `"ReturnPayload"`: the value is what the function returned, and a
    /// `lambda:invoke` task wraps it in the Invoke response as AWS does.
    pub wrap_payload: bool,
}

/// Responses by invocation index.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct MockSequence {
    /// Inclusive index ranges, sorted; `(0, u64::MAX)` for a plain (unnumbered) response.
    pub entries: Vec<(u64, u64, MockResponse)>,
}

impl MockSequence {
    /// The response for the `index`-th invocation (0-based), if any.
    pub fn response(&self, index: u64) -> Option<&MockResponse> {
        self.entries
            .iter()
            .find(|(lo, hi, _)| (*lo..=*hi).contains(&index))
            .map(|(_, _, r)| r)
    }

    /// Reads `{"Return": …}` / `{"Throw": …}` or the numbered form.
    pub fn from_value(v: &Value) -> Result<MockSequence, String> {
        let obj = v.as_object().ok_or("a mock must be an object")?;
        if obj.contains_key("Return")
            || obj.contains_key("Throw")
            || obj.contains_key("ReturnPayload")
        {
            return Ok(MockSequence {
                entries: vec![(0, u64::MAX, response_from_value(v)?)],
            });
        }
        let mut entries = Vec::with_capacity(obj.len());
        for (key, resp) in obj.iter() {
            let (lo, hi) = parse_range(key)?;
            entries.push((
                lo,
                hi,
                response_from_value(resp).map_err(|e| format!("\"{key}\": {e}"))?,
            ));
        }
        entries.sort_by_key(|(lo, _, _)| *lo);
        let mut expected = 0u64;
        for (lo, hi, _) in &entries {
            if *lo != expected {
                return Err(format!(
                    "invocation indexes must be consecutive from 0: index {expected} is missing"
                ));
            }
            expected = hi.saturating_add(1);
        }
        if entries.is_empty() {
            return Err("a numbered mock needs at least the entry \"0\"".into());
        }
        Ok(MockSequence { entries })
    }
}

fn parse_range(key: &str) -> Result<(u64, u64), String> {
    let num = |s: &str| {
        s.trim()
            .parse::<u64>()
            .map_err(|_| format!("\"{key}\" is not an invocation index or range (\"0\", \"1-2\")"))
    };
    match key.split_once('-') {
        Some((a, b)) => {
            let (lo, hi) = (num(a)?, num(b)?);
            if hi < lo {
                return Err(format!("range \"{key}\" ends before it starts"));
            }
            Ok((lo, hi))
        }
        None => {
            let n = num(key)?;
            Ok((n, n))
        }
    }
}

fn response_from_value(v: &Value) -> Result<MockResponse, String> {
    let obj = v.as_object().ok_or("a response must be an object")?;
    let duration_ms = match obj.get("DurationSeconds") {
        None => 0,
        Some(d) => match d.as_f64() {
            Some(s) if s >= 0.0 && s.is_finite() => (s * 1000.0).round() as u64,
            _ => return Err("\"DurationSeconds\" must be a non-negative number".into()),
        },
    };
    let wrap_payload = obj.contains_key("ReturnPayload");
    let ret = obj.get("Return").or_else(|| obj.get("ReturnPayload"));
    if obj.contains_key("Return") && wrap_payload {
        return Err("a response has either \"Return\" or \"ReturnPayload\", not both".into());
    }
    let outcome = match (ret, obj.get("Throw")) {
        (Some(r), None) => MockOutcome::Return(r.clone()),
        (None, Some(t)) => {
            let error = t
                .get("Error")
                .and_then(Value::as_str)
                .ok_or("\"Throw\" needs an \"Error\" string")?;
            let cause = match t.get("Cause") {
                None | Some(Value::Null) => None,
                Some(Value::String(s)) => Some(s.clone()),
                Some(_) => return Err("\"Cause\" must be a string".into()),
            };
            MockOutcome::Throw {
                error: error.into(),
                cause,
            }
        }
        (Some(_), Some(_)) => {
            return Err("a response has either \"Return\" or \"Throw\", not both".into());
        }
        (None, None) => return Err("a response needs \"Return\" or \"Throw\"".into()),
    };
    Ok(MockResponse {
        outcome,
        duration_ms,
        wrap_payload,
    })
}

/// All mocks of one execution.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Mocks {
    pub by_state: FxHashMap<Arc<str>, MockSequence>,
    pub by_resource: FxHashMap<Arc<str>, MockSequence>,
}

impl Mocks {
    /// Reads the state-name → mock map (`{"State": {"Return": …}, "Other": {"0": …}}`).
    pub fn from_value(v: &Value) -> Result<Mocks, String> {
        let obj = v
            .as_object()
            .ok_or("the mocks must be a JSON object: state name → mock")?;
        let mut by_state = FxHashMap::default();
        for (name, m) in obj.iter() {
            let seq = MockSequence::from_value(m)
                .map_err(|e| format!("mock of state \"{name}\": {e}"))?;
            by_state.insert(name.clone(), seq);
        }
        Ok(Mocks {
            by_state,
            by_resource: FxHashMap::default(),
        })
    }

    /// Whether `v` looks like an AWS Step Functions Local MockConfigFile.
    pub fn is_mock_config(v: &Value) -> bool {
        v.get("StateMachines").is_some() || v.get("MockedResponses").is_some()
    }

    /// The test cases of a MockConfigFile: `(state machine, test case)` pairs.
    pub fn mock_config_cases(v: &Value) -> Vec<(Arc<str>, Arc<str>)> {
        let mut out = Vec::new();
        if let Some(sms) = v.get("StateMachines").and_then(Value::as_object) {
            for (sm, def) in sms.iter() {
                if let Some(cases) = def.get("TestCases").and_then(Value::as_object) {
                    out.extend(cases.keys().map(|c| (sm.clone(), c.clone())));
                }
            }
        }
        out
    }

    /// Reads one test case of a MockConfigFile (`StateMachines.<sm>.TestCases.<case>` → state →
    /// response name, `MockedResponses.<name>` → numbered responses). `state_machine` may be
    /// omitted when the file has exactly one.
    pub fn from_mock_config(
        v: &Value,
        state_machine: Option<&str>,
        test_case: &str,
    ) -> Result<Mocks, String> {
        let sms = v
            .get("StateMachines")
            .and_then(Value::as_object)
            .ok_or("the MockConfigFile has no \"StateMachines\" object")?;
        let sm = match state_machine {
            Some(name) => sms
                .get(name)
                .ok_or_else(|| format!("no state machine \"{name}\" in StateMachines"))?,
            None if sms.len() == 1 => sms.values().next().ok_or("empty StateMachines")?,
            None => {
                return Err(format!(
                    "the file has {} state machines: choose one with --state-machine",
                    sms.len()
                ));
            }
        };
        let case = sm
            .get("TestCases")
            .and_then(|c| c.get(test_case))
            .and_then(Value::as_object)
            .ok_or_else(|| format!("no test case \"{test_case}\""))?;
        let responses = v
            .get("MockedResponses")
            .and_then(Value::as_object)
            .ok_or("the MockConfigFile has no \"MockedResponses\" object")?;
        let mut by_state = FxHashMap::default();
        for (state, name) in case.iter() {
            let name = name.as_str().ok_or_else(|| {
                format!(
                    "test case \"{test_case}\": the value for \"{state}\" must be a response name"
                )
            })?;
            let resp = responses.get(name).ok_or_else(|| {
                format!("MockedResponses has no \"{name}\" (used by \"{state}\")")
            })?;
            let seq = MockSequence::from_value(resp)
                .map_err(|e| format!("MockedResponses.{name}: {e}"))?;
            by_state.insert(state.clone(), seq);
        }
        Ok(Mocks {
            by_state,
            by_resource: FxHashMap::default(),
        })
    }

    pub fn is_empty(&self) -> bool {
        self.by_state.is_empty() && self.by_resource.is_empty()
    }

    /// The sequence for a Task state (by name first, then by resource).
    pub fn sequence(&self, state: &str, resource: &str) -> Option<&MockSequence> {
        self.by_state
            .get(state)
            .or_else(|| self.by_resource.get(resource))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Value {
        Value::parse(s).expect("json")
    }

    #[test]
    fn reads_plain_and_numbered_forms() {
        let m = Mocks::from_value(&v(
            r#"{"A": {"Return": {"x": 1}}, "B": {"0": {"Throw": {"Error": "E", "Cause": "c"}}, "1-2": {"Return": 2, "DurationSeconds": 1.5}}}"#,
        ))
        .expect("valid");
        let a = m.sequence("A", "arn").expect("A");
        assert_eq!(
            a.response(7).map(|r| &r.outcome),
            Some(&MockOutcome::Return(v(r#"{"x":1}"#)))
        );
        let b = m.sequence("B", "arn").expect("B");
        assert!(matches!(
            b.response(0).map(|r| &r.outcome),
            Some(MockOutcome::Throw { .. })
        ));
        assert_eq!(b.response(2).map(|r| r.duration_ms), Some(1500));
        assert!(b.response(3).is_none());
    }

    #[test]
    fn rejects_malformed_mocks() {
        for bad in [
            r#"{"A": 1}"#,
            r#"{"A": {"1": {"Return": 1}}}"#,
            r#"{"A": {"0": {"Return": 1}, "2": {"Return": 1}}}"#,
            r#"{"A": {"x": {"Return": 1}}}"#,
            r#"{"A": {"Throw": {"Cause": "c"}}}"#,
            r#"{"A": {"Return": 1, "Throw": {"Error": "e"}}}"#,
        ] {
            assert!(Mocks::from_value(&v(bad)).is_err(), "{bad}");
        }
    }
}
