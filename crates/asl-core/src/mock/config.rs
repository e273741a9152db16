//! AWS Step Functions Local's MockConfigFile: `StateMachines.<machine>.TestCases.<case>.<state>`
//! → a `MockedResponses` name, each a numbered sequence. Owns the model ([`MockConfig`],
//! [`MachineCases`], [`TestCase`]), choosing a test case's [`Mocks`], and writing a file back
//! ([`MockConfig::to_value`], [`MockConfig::export`] from any [`Mocks`] for a definition).
//!
//! Not owned here: reading text ([`super::read`]), applying responses ([`crate::exec`]).

use std::sync::Arc;

use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::model::StateMachine;
use crate::syntax;
use crate::value::{Key, Object, Value};

use super::read::parse_node;
use super::{
    EVERY_INVOCATION, MockError, MockOutcome, MockResponse, MockSequence, Mocks, collect_tasks,
    locate, range_key,
};

/// One test case: state name → mocked response name, in file order.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct TestCase {
    pub name: Arc<str>,
    pub states: Vec<(Arc<str>, Arc<str>)>,
}

/// One entry of `StateMachines`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct MachineCases {
    pub name: Arc<str>,
    pub test_cases: Vec<TestCase>,
}

/// An AWS Step Functions Local MockConfigFile (see the module doc), in file order.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct MockConfig {
    pub state_machines: Vec<MachineCases>,
    pub responses: Vec<(Arc<str>, MockSequence)>,
}

impl MockConfig {
    /// Reads a MockConfigFile, reporting the first problem with its line and column.
    pub fn parse(text: &str) -> Result<MockConfig, MockError> {
        let node = parse_node(text)?;
        MockConfig::from_node(&node).map_err(|e| locate(text, e))
    }

    /// Reads a MockConfigFile from a value (errors carry no position).
    pub fn from_value(v: &Value) -> Result<MockConfig, String> {
        let text = v.to_json_string();
        let node = syntax::parse(&text).map_err(|e| e.message)?;
        MockConfig::from_node(&node).map_err(|(_, m)| m)
    }

    /// Every `(state machine, test case)`, in file order.
    pub fn cases(&self) -> Vec<(Arc<str>, Arc<str>)> {
        self.state_machines
            .iter()
            .flat_map(|sm| {
                sm.test_cases
                    .iter()
                    .map(move |c| (sm.name.clone(), c.name.clone()))
            })
            .collect()
    }

    /// The state machine to use: the named one, or the only one.
    pub fn machine(&self, name: Option<&str>) -> Result<&MachineCases, String> {
        match name {
            Some(n) => self
                .state_machines
                .iter()
                .find(|sm| &*sm.name == n)
                .ok_or_else(|| {
                    format!(
                        "no state machine \"{n}\" in StateMachines (it has: {})",
                        self.machine_names()
                    )
                }),
            None => match self.state_machines.as_slice() {
                [one] => Ok(one),
                [] => Err("StateMachines is empty".into()),
                _ => Err(format!(
                    "the file has {} state machines ({}): choose one with --state-machine",
                    self.state_machines.len(),
                    self.machine_names()
                )),
            },
        }
    }

    fn machine_names(&self) -> String {
        self.state_machines
            .iter()
            .map(|sm| format!("\"{}\"", sm.name))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The mocks of one test case.
    pub fn mocks(&self, state_machine: Option<&str>, test_case: &str) -> Result<Mocks, String> {
        let sm = self.machine(state_machine)?;
        let case = sm
            .test_cases
            .iter()
            .find(|c| &*c.name == test_case)
            .ok_or_else(|| {
                format!(
                    "state machine \"{}\" has no test case \"{test_case}\"",
                    sm.name
                )
            })?;
        let mut by_state = FxHashMap::default();
        for (state, response) in &case.states {
            let seq = self
                .responses
                .iter()
                .find(|(r, _)| r == response)
                .map(|(_, s)| s.clone())
                .ok_or_else(|| format!("MockedResponses has no \"{response}\""))?;
            by_state.insert(state.clone(), seq);
        }
        Ok(Mocks {
            by_state,
            by_resource: FxHashMap::default(),
        })
    }

    /// A MockConfigFile with one test case holding `mocks` for `machine`: a state mock becomes
    /// the response named after the state; a resource mock is written for every Task state
    /// using that resource (that has no state mock). A plain (every-invocation) response is
    /// written as the range `"0-99999"`, which covers every invocation an execution can make
    /// within the default transition limit; `ReturnPayload` is written as the `Return` it stands
    /// for and `DurationSeconds` is dropped (SFN Local has neither).
    pub fn export(
        machine: &StateMachine,
        machine_name: &str,
        test_case: &str,
        mocks: &Mocks,
    ) -> MockConfig {
        let mut tasks = Vec::new();
        collect_tasks(&machine.root, &mut tasks);
        let mut states = Vec::new();
        let mut responses = Vec::new();
        for (state, resource) in tasks {
            let Some(seq) = mocks.sequence(&state, &resource) else {
                continue;
            };
            let mut rng = crate::env::Rng::new(0);
            let entries = seq
                .entries
                .iter()
                .map(|(lo, hi, r)| {
                    let hi = if *hi == EVERY_INVOCATION {
                        (*lo).max(EXPORT_LAST_INDEX)
                    } else {
                        *hi
                    };
                    let outcome = match &r.outcome {
                        MockOutcome::Return(v)
                            if r.wrap_payload
                                && crate::exec::integration::wraps_payload(&resource) =>
                        {
                            // A file has no clock: its `Date` header is the default start.
                            MockOutcome::Return(crate::exec::integration::lambda_invoke_response(
                                v.clone(),
                                &mut rng,
                                crate::env::Env::default().start_time_ms,
                            ))
                        }
                        // SFN Local requires both strings.
                        MockOutcome::Throw { error, cause } => MockOutcome::Throw {
                            error: error.clone(),
                            cause: Some(cause.clone().unwrap_or_else(|| "".into())),
                        },
                        other => other.clone(),
                    };
                    let response = MockResponse {
                        outcome,
                        duration_ms: 0,
                        wrap_payload: false,
                    };
                    (*lo, hi, response)
                })
                .collect();
            states.push((state.clone(), state.clone()));
            responses.push((state, MockSequence { entries }));
        }
        MockConfig {
            state_machines: vec![MachineCases {
                name: machine_name.into(),
                test_cases: vec![TestCase {
                    name: test_case.into(),
                    states,
                }],
            }],
            responses,
        }
    }

    /// The file's JSON: Step Functions Local's format, plus the native extensions
    /// (`ReturnPayload`, `DurationSeconds`) when the responses use them (a file made by
    /// [`MockConfig::export`] uses none).
    pub fn to_value(&self) -> Value {
        let mut machines = Object::with_capacity(self.state_machines.len());
        for sm in &self.state_machines {
            let mut cases = Object::with_capacity(sm.test_cases.len());
            for c in &sm.test_cases {
                let mut states = Object::with_capacity(c.states.len());
                for (s, r) in &c.states {
                    states.insert(Key::from(&**s), Value::String(r.clone()));
                }
                cases.insert(Key::from(&*c.name), Value::object(states));
            }
            let mut entry = Object::with_capacity(1);
            entry.insert("TestCases".into(), Value::object(cases));
            machines.insert(Key::from(&*sm.name), Value::object(entry));
        }
        let mut responses = Object::with_capacity(self.responses.len());
        for (name, seq) in &self.responses {
            let mut numbered = Object::with_capacity(seq.entries.len());
            for (lo, hi, r) in &seq.entries {
                numbered.insert(range_key(*lo, *hi).into(), r.to_value());
            }
            responses.insert(Key::from(&**name), Value::object(numbered));
        }
        let mut out = Object::with_capacity(2);
        out.insert("StateMachines".into(), Value::object(machines));
        out.insert("MockedResponses".into(), Value::object(responses));
        Value::object(out)
    }
}

/// See [`MockConfig::export`]: one less than the default transition limit.
const EXPORT_LAST_INDEX: u64 = 99_999;

#[cfg(test)]
mod tests {
    use super::super::MockFile;
    use super::*;

    const CONFIG: &str = r#"{
  "StateMachines": {
    "LambdaSQSIntegration": {
      "TestCases": {
        "HappyPath": {"LambdaState": "MockedLambdaSuccess", "SQSState": "MockedSQSSuccess"},
        "RetryPath": {"LambdaState": "MockedLambdaRetry", "SQSState": "MockedSQSSuccess"}
      }
    }
  },
  "MockedResponses": {
    "MockedLambdaSuccess": {"0": {"Return": {"StatusCode": 200, "Payload": {"body": "hi"}}}},
    "MockedSQSSuccess": {"0": {"Return": {"MessageId": "m"}}},
    "MockedLambdaRetry": {
      "0": {"Throw": {"Error": "Lambda.ResourceNotReadyException", "Cause": "not ready"}},
      "1-2": {"Throw": {"Error": "Lambda.TimeoutException", "Cause": "timed out"}},
      "3": {"Return": {"StatusCode": 200, "Payload": {"body": "hi"}}}
    }
  }
}"#;

    #[test]
    fn reads_a_mock_config_file() {
        let c = MockConfig::parse(CONFIG).expect("valid");
        assert_eq!(c.cases().len(), 2);
        let m = c.mocks(None, "RetryPath").expect("case");
        let seq = m.sequence("LambdaState", "x").expect("mocked");
        assert!(
            matches!(seq.response(2).map(|r| &r.outcome), Some(MockOutcome::Throw { error, .. }) if &**error == "Lambda.TimeoutException")
        );
        assert!(matches!(
            seq.response(3).map(|r| &r.outcome),
            Some(MockOutcome::Return(_))
        ));
        assert!(seq.response(4).is_none());
        assert!(c.mocks(Some("Other"), "RetryPath").is_err());
        assert!(c.mocks(None, "Nope").is_err());
        // The value round-trips through the writer.
        let again = MockConfig::from_value(&c.to_value()).expect("round trip");
        assert_eq!(again, c);
    }

    #[test]
    fn mock_config_errors_point_at_the_problem() {
        let bad = CONFIG.replace(
            "\"SQSState\": \"MockedSQSSuccess\"}",
            "\"SQSState\": \"Missing\"}",
        );
        let e = MockConfig::parse(&bad).expect_err("unknown response");
        assert_eq!(e.line, 5, "{e}");
        assert!(e.message.contains("\"Missing\""), "{e}");
        let e = MockConfig::parse(r#"{"StateMachines": {}, "MockedResponse": {}}"#)
            .expect_err("singular");
        assert_eq!((e.line, e.column), (1, 23));
        let e =
            MockFile::parse("{\"StateMachines\": {\"S\": {\"TestCases\": {\"C\": {\"A\": 1}}}}}")
                .expect_err("non-string");
        assert!(e.message.contains("must be a MockedResponses name"), "{e}");
    }

    #[test]
    fn exports_for_a_machine() {
        let def = r#"{"StartAt": "A", "States": {
            "A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "P"},
            "P": {"Type": "Parallel", "Branches": [{"StartAt": "B", "States": {
                "B": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "End": true}}}], "End": true}}}"#;
        let machine = crate::load(def).machine.expect("machine");
        let mocks = Mocks::parse(
            r#"{"States": {"A": {"ReturnPayload": {"ok": true}}}, "Resources": {"arn:aws:states:::sqs:sendMessage": {"Throw": {"Error": "E"}}}}"#,
        )
        .expect("mocks");
        let c = MockConfig::export(&machine, "M", "Case", &mocks);
        let v = c.to_value();
        assert_eq!(
            v.get("StateMachines")
                .and_then(|s| s.get("M"))
                .and_then(|m| m.get("TestCases"))
                .and_then(|t| t.get("Case"))
                .map(Value::to_json_string),
            Some(r#"{"A":"A","B":"B"}"#.to_string())
        );
        let a = v
            .get("MockedResponses")
            .and_then(|r| r.get("A"))
            .and_then(|a| a.get("0-99999"))
            .and_then(|e| e.get("Return"))
            .expect("A");
        assert_eq!(a.get("StatusCode"), Some(&Value::from_i64(200)));
        assert_eq!(
            a.get("Payload").map(Value::to_json_string).as_deref(),
            Some(r#"{"ok":true}"#)
        );
        let b = v
            .get("MockedResponses")
            .and_then(|r| r.get("B"))
            .and_then(|b| b.get("0-99999"))
            .map(Value::to_json_string);
        assert_eq!(b.as_deref(), Some(r#"{"Throw":{"Error":"E","Cause":""}}"#));
        // And it imports back as the same outcomes.
        let back = MockConfig::from_value(&v)
            .and_then(|c| c.mocks(None, "Case"))
            .expect("import");
        assert!(
            back.sequence("B", "")
                .and_then(|s| s.response(99_999))
                .is_some()
        );
    }
}
