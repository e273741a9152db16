//! Mock files as text: JSON with byte spans ([`crate::syntax`]) → [`Mocks`] or [`MockConfig`],
//! and the first problem as a [`MockError`] with its line and column. Strict about structure
//! (unknown fields, duplicate keys, gaps in invocation indexes are errors, since each would
//! silently change which response a task gets); never panics.
//!
//! Not owned here: what the values mean ([`super`]), the MockConfigFile model ([`super::config`]).

use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::source::{Encoding, LineIndex, Span};
use crate::syntax::{self, Member, Node};

use super::{
    MachineCases, MockConfig, MockError, MockOutcome, MockResponse, MockSequence, Mocks, TestCase,
};

/// A structural problem found while reading a node: where and what.
pub(super) type Found<T> = Result<T, (Span, String)>;

pub(super) fn locate(text: &str, (span, message): (Span, String)) -> MockError {
    let pos = LineIndex::new(text).position(text, span.start, Encoding::Chars);
    MockError {
        message,
        span,
        line: pos.line,
        column: pos.column,
    }
}

pub(super) fn parse_node(text: &str) -> Result<Node, MockError> {
    syntax::parse(text).map_err(|e| {
        let message = if text.trim().is_empty() {
            "the mock file is empty; expected a JSON object".to_string()
        } else {
            format!("malformed JSON: {}", e.message)
        };
        locate(text, (e.span, message))
    })
}

pub(super) fn members<'n>(n: &'n Node, what: &str) -> Found<&'n [Member]> {
    let m = n.as_object().ok_or_else(|| {
        (
            n.span,
            format!("{what} must be a JSON object, not {}", n.type_name()),
        )
    })?;
    let duplicate = |a: &Member| (a.key_span, format!("duplicate key \"{}\" in {what}", a.key));
    // Hashed beyond a handful of keys: a mocks object has one key per Task (1,000 in the
    // task-heavy benchmark), and comparing each with all before it was most of a start.
    let repeated = crate::syntax::repeated_keys(m.len(), &|i| m[i].key.as_str());
    match repeated.iter().position(|&r| r) {
        Some(i) => Err(duplicate(&m[i])),
        None => Ok(m),
    }
}

pub(super) const RESPONSE_KEYS: [&str; 4] = ["Return", "ReturnPayload", "Throw", "DurationSeconds"];

pub(super) fn parse_range(key: &str) -> Result<(u64, u64), String> {
    let num = |s: &str| {
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!(
                "\"{key}\" is not an invocation index or range (\"0\", \"1-2\")"
            ));
        }
        s.parse::<u64>()
            .map_err(|_| format!("invocation index \"{key}\" is too large"))
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

pub(super) fn string_of<'n>(n: &'n Node, what: &str) -> Found<&'n str> {
    n.as_str().ok_or_else(|| {
        (
            n.span,
            format!("{what} must be a string, not {}", n.type_name()),
        )
    })
}

pub(super) fn response(n: &Node) -> Found<MockResponse> {
    let ms = members(n, "a response")?;
    let (mut ret, mut payload, mut throw, mut duration_ms) = (None, None, None, 0);
    for m in ms {
        match m.key.as_str() {
            "Return" => ret = Some(m),
            "ReturnPayload" => payload = Some(m),
            "Throw" => throw = Some(m),
            "DurationSeconds" => {
                duration_ms = match &m.value.kind {
                    syntax::Kind::Number(x) => match x.as_f64() {
                        Some(s) if s >= 0.0 && s.is_finite() && s < 1e15 => {
                            (s * 1000.0).round() as u64
                        }
                        _ => {
                            return Err((
                                m.value.span,
                                "\"DurationSeconds\" must be a non-negative number of seconds"
                                    .into(),
                            ));
                        }
                    },
                    _ => {
                        return Err((
                            m.value.span,
                            format!(
                                "\"DurationSeconds\" must be a number, not {}",
                                m.value.type_name()
                            ),
                        ));
                    }
                }
            }
            other => {
                return Err((
                    m.key_span,
                    format!(
                        "unknown field \"{other}\" in a response (expected \"Return\", \"ReturnPayload\", \"Throw\" or \"DurationSeconds\")"
                    ),
                ));
            }
        }
    }
    let outcome = match (ret.or(payload), throw) {
        (Some(_), Some(t)) => {
            return Err((
                t.key_span,
                "a response has either \"Return\" or \"Throw\", not both".into(),
            ));
        }
        (Some(_), None) if ret.is_some() && payload.is_some() => {
            return Err((
                payload.map_or(n.span, |p| p.key_span),
                "a response has either \"Return\" or \"ReturnPayload\", not both".into(),
            ));
        }
        (Some(r), None) => MockOutcome::Return(r.value.to_value()),
        (None, Some(t)) => {
            let tm = members(&t.value, "\"Throw\"")?;
            let (mut error, mut cause) = (None, None);
            for m in tm {
                match m.key.as_str() {
                    "Error" => error = Some(string_of(&m.value, "\"Error\"")?),
                    "Cause" => {
                        cause = match &m.value.kind {
                            syntax::Kind::Null => None,
                            _ => Some(Arc::from(string_of(&m.value, "\"Cause\"")?)),
                        }
                    }
                    other => {
                        return Err((
                            m.key_span,
                            format!(
                                "unknown field \"{other}\" in \"Throw\" (expected \"Error\" and \"Cause\")"
                            ),
                        ));
                    }
                }
            }
            let error = error
                .ok_or_else(|| (t.value.span, "\"Throw\" needs an \"Error\" string".into()))?;
            MockOutcome::Throw {
                error: error.into(),
                cause,
            }
        }
        (None, None) => {
            return Err((
                n.span,
                "a response needs \"Return\", \"ReturnPayload\" or \"Throw\"".into(),
            ));
        }
    };
    Ok(MockResponse {
        outcome,
        duration_ms,
        wrap_payload: payload.is_some(),
    })
}

pub(super) fn looks_like_response(ms: &[Member]) -> bool {
    ms.iter().any(|m| RESPONSE_KEYS.contains(&m.key.as_str()))
}

pub(super) fn sequence(n: &Node) -> Found<MockSequence> {
    let ms = members(n, "a mock")?;
    if looks_like_response(ms) {
        return Ok(MockSequence::always(response(n)?));
    }
    if ms.is_empty() {
        return Err((
            n.span,
            "a mock needs a response ({\"Return\": …} or {\"Throw\": …}) or numbered entries ({\"0\": …})"
                .into(),
        ));
    }
    let mut entries = Vec::with_capacity(ms.len());
    for m in ms {
        let (lo, hi) = parse_range(&m.key).map_err(|e| {
            if m.key.starts_with(|c: char| c.is_ascii_digit()) {
                (m.key_span, e)
            } else {
                (
                    m.key_span,
                    format!(
                        "unknown field \"{}\" (a mock is a response with \"Return\", \"ReturnPayload\" or \"Throw\", or numbered entries such as \"0\", \"1-2\")",
                        m.key
                    ),
                )
            }
        })?;
        entries.push((lo, hi, response(&m.value)?, m.key_span));
    }
    crate::sort::sort_by_key(&mut entries, |(lo, _, _, _)| *lo);
    let mut expected = 0u64;
    for (lo, hi, _, span) in &entries {
        if *lo > expected {
            return Err((
                *span,
                format!(
                    "invocation indexes must be consecutive from 0: index {expected} is missing"
                ),
            ));
        }
        if *lo < expected {
            return Err((*span, format!("invocation index {lo} is covered twice")));
        }
        expected = hi.saturating_add(1);
    }
    Ok(MockSequence {
        entries: entries
            .into_iter()
            .map(|(lo, hi, r, _)| (lo, hi, r))
            .collect(),
    })
}

impl Mocks {
    pub(super) fn from_node(n: &Node) -> Found<Mocks> {
        let ms = members(n, "the mocks")?;
        let is_group = |m: &Member| {
            m.value.as_object().is_some_and(|inner| {
                !looks_like_response(inner) && inner.iter().all(|i| parse_range(&i.key).is_err())
            })
        };
        let grouped = !ms.is_empty()
            && ms
                .iter()
                .all(|m| (m.key == "States" || m.key == "Resources") && is_group(m));
        let mut mocks = Mocks::default();
        if !grouped {
            mocks.by_state = named_sequences(ms, "state")?;
            return Ok(mocks);
        }
        for m in ms {
            let inner = members(&m.value, &format!("\"{}\"", m.key))?;
            if m.key == "States" {
                mocks.by_state = named_sequences(inner, "state")?;
            } else {
                mocks.by_resource = named_sequences(inner, "resource")?;
            }
        }
        Ok(mocks)
    }
}

fn named_sequences(ms: &[Member], what: &str) -> Found<FxHashMap<Arc<str>, MockSequence>> {
    let mut out = FxHashMap::default();
    for m in ms {
        let seq =
            sequence(&m.value).map_err(|(span, e)| (span, format!("{what} \"{}\": {e}", m.key)))?;
        out.insert(Arc::from(m.key.as_str()), seq);
    }
    Ok(out)
}

impl MockConfig {
    pub(super) fn from_node(n: &Node) -> Found<MockConfig> {
        let top = members(n, "a MockConfigFile")?;
        let mut machines = None;
        let mut responses_node = None;
        for m in top {
            match m.key.as_str() {
                "StateMachines" => machines = Some(m),
                "MockedResponses" => responses_node = Some(m),
                "MockedResponse" => {
                    return Err((
                        m.key_span,
                        "the key is \"MockedResponses\" (plural), as in every Step Functions Local example".into(),
                    ));
                }
                other => {
                    return Err((
                        m.key_span,
                        format!(
                            "unknown top-level key \"{other}\" (a MockConfigFile has \"StateMachines\" and \"MockedResponses\")"
                        ),
                    ));
                }
            }
        }
        let mut responses = Vec::new();
        if let Some(r) = responses_node {
            for m in members(&r.value, "\"MockedResponses\"")? {
                let seq = sequence(&m.value)
                    .map_err(|(span, e)| (span, format!("MockedResponses \"{}\": {e}", m.key)))?;
                responses.push((Arc::from(m.key.as_str()), seq));
            }
        }
        let machines =
            machines.ok_or_else(|| (n.span, "a MockConfigFile needs \"StateMachines\"".into()))?;
        let mut state_machines = Vec::new();
        for sm in members(&machines.value, "\"StateMachines\"")? {
            let what = format!("state machine \"{}\"", sm.key);
            let mut cases_node = None;
            for f in members(&sm.value, &what)? {
                if f.key == "TestCases" {
                    cases_node = Some(f);
                } else {
                    return Err((
                        f.key_span,
                        format!(
                            "unknown key \"{}\" in {what} (expected \"TestCases\")",
                            f.key
                        ),
                    ));
                }
            }
            let cases_node =
                cases_node.ok_or_else(|| (sm.value.span, format!("{what} needs \"TestCases\"")))?;
            let mut test_cases = Vec::new();
            for case in members(&cases_node.value, &format!("\"TestCases\" of {what}"))? {
                let mut states = Vec::new();
                for st in members(&case.value, &format!("test case \"{}\"", case.key))? {
                    let name = st.value.as_str().ok_or_else(|| {
                        (
                            st.value.span,
                            format!(
                                "test case \"{}\": the value for state \"{}\" must be a MockedResponses name (a string), not {}",
                                case.key,
                                st.key,
                                st.value.type_name()
                            ),
                        )
                    })?;
                    if !responses.iter().any(|(r, _)| &**r == name) {
                        return Err((
                            st.value.span,
                            format!(
                                "MockedResponses has no \"{name}\" (used by state \"{}\" in test case \"{}\")",
                                st.key, case.key
                            ),
                        ));
                    }
                    states.push((Arc::from(st.key.as_str()), Arc::from(name)));
                }
                test_cases.push(TestCase {
                    name: case.key.as_str().into(),
                    states,
                });
            }
            state_machines.push(MachineCases {
                name: sm.key.as_str().into(),
                test_cases,
            });
        }
        Ok(MockConfig {
            state_machines,
            responses,
        })
    }
}
