//! The mocks text as the core reads it, and the mocks form's edits to it.
//!
//! The text is the one source of truth: the JSON view edits it directly, and every form edit is
//! a function text → text that reads it with asl-core ([`MockFile::parse`]), changes one state's
//! [`MockSequence`] and writes it back in the core's native form ([`Mocks::to_value`]). The form
//! itself only shows [`MockRow`]s; what a mock means stays in asl-core.

use std::sync::Arc;

use super::*;

/// The mocks text, read.
#[derive(Clone, Debug, PartialEq)]
pub enum MocksText {
    /// The native form (empty text: no mocks).
    Native(Mocks),
    /// A Step Functions Local MockConfigFile; runs use its first test case.
    Config {
        /// `(state machine, test case)` of the case runs use, if the file has one.
        case: Option<(String, String)>,
        /// That case's mocks, or why they cannot be read.
        mocks: Result<Mocks, String>,
    },
    /// Not readable: the core's first problem, positioned.
    Invalid(Diagnostic),
}

/// Reads the mocks text with asl-core.
pub fn read_mocks_file(text: &str) -> MocksText {
    if text.trim().is_empty() {
        return MocksText::Native(Mocks::default());
    }
    match MockFile::parse(text) {
        Ok(MockFile::Native(m)) => MocksText::Native(m),
        Ok(MockFile::Config(c)) => config_case(&c),
        Err(e) => MocksText::Invalid(Diagnostic {
            severity: Severity::Error,
            code: "INVALID_MOCKS".into(),
            message: e.message.clone(),
            pointer: String::new(),
            line: (e.line as usize).max(1),
            column: (e.column as usize).max(1),
            start: e.span.start as usize,
            end: e.span.end as usize,
            lint: false,
            fix: None,
        }),
    }
}

fn config_case(c: &MockConfig) -> MocksText {
    match c.cases().into_iter().next() {
        None => MocksText::Config {
            case: None,
            mocks: Err("the MockConfigFile has no test case".into()),
        },
        Some((machine, case)) => MocksText::Config {
            mocks: c.mocks(Some(&machine), &case),
            case: Some((machine.to_string(), case.to_string())),
        },
    }
}

/// A Task state of the definition: one row of the mocks form.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TaskSlot {
    pub name: Arc<str>,
    pub resource: Arc<str>,
    /// Where it sits, for nested tasks: `Process › branch 2`, `ForEach › items`; empty at top.
    pub place: String,
}

/// Every Task state, top level first, then nested ones (Parallel branches, Map processors) in
/// document order.
pub fn task_states(m: &StateMachine) -> Vec<TaskSlot> {
    let mut out = Vec::new();
    collect(&m.root, "", &mut out);
    out
}

fn collect(b: &Branch, place: &str, out: &mut Vec<TaskSlot>) {
    let mut nested: Vec<(String, &Branch)> = Vec::new();
    for (name, st) in &b.states {
        let sep = if place.is_empty() { "" } else { " › " };
        match &st.kind {
            StateKind::Task(t) => out.push(TaskSlot {
                name: name.clone(),
                resource: t.resource.value.clone(),
                place: place.to_string(),
            }),
            StateKind::Parallel(p) => {
                for (i, br) in p.branches.iter().enumerate() {
                    nested.push((format!("{place}{sep}{name} › branch {}", i + 1), br));
                }
            }
            StateKind::Map(mp) => {
                nested.push((format!("{place}{sep}{name} › items"), &mp.processor))
            }
            _ => {}
        }
    }
    for (p, br) in nested {
        collect(br, &p, out);
    }
}

/// What one response of a form row shows.
#[derive(Clone, Debug, PartialEq)]
pub enum EntryKind {
    /// The result, pretty-printed; `payload` when written as `ReturnPayload`.
    Return {
        json: String,
        payload: bool,
    },
    Throw {
        error: String,
        cause: String,
    },
}

/// One response of a row: which invocations it answers (1-based, inclusive for people; `None`
/// for every invocation) and what it does.
#[derive(Clone, Debug, PartialEq)]
pub struct MockEntry {
    pub calls: Option<(u64, u64)>,
    pub kind: EntryKind,
}

/// Where a task's mock comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum MockSource {
    /// `States[name]`.
    State,
    /// `Resources[arn]`: shared with every task calling that resource.
    Resource,
    /// Not mocked: a run pauses at this task.
    None,
}

/// A form row's content: the task's mock as the core resolves it.
#[derive(Clone, Debug, PartialEq)]
pub struct MockRow {
    pub source: MockSource,
    pub entries: Vec<MockEntry>,
}

/// The row for one task in the native mocks.
pub fn mock_row(mocks: &Mocks, slot: &TaskSlot) -> MockRow {
    let (source, seq) = match (
        mocks.by_state.get(&slot.name),
        mocks.by_resource.get(&slot.resource),
    ) {
        (Some(s), _) => (MockSource::State, Some(s)),
        (None, Some(s)) => (MockSource::Resource, Some(s)),
        (None, None) => (MockSource::None, None),
    };
    let entries = seq
        .map(|s| {
            s.entries
                .iter()
                .map(|(lo, hi, r)| MockEntry {
                    calls: (*hi != EVERY_INVOCATION).then(|| (lo + 1, hi + 1)),
                    kind: match &r.outcome {
                        MockOutcome::Return(v) => EntryKind::Return {
                            json: v.to_json_pretty(),
                            payload: r.wrap_payload,
                        },
                        MockOutcome::Throw { error, cause } => EntryKind::Throw {
                            error: error.to_string(),
                            cause: cause.as_deref().unwrap_or_default().to_string(),
                        },
                    },
                })
                .collect()
        })
        .unwrap_or_default();
    MockRow { source, entries }
}

/// One edit the form makes to a task's mock.
#[derive(Clone, Debug, PartialEq)]
pub enum MockEdit {
    /// Adds a response after the last one (a copy of it, or `{"Return": {}}` for the first).
    Add { throw: bool },
    /// Removes the `index`-th response (the mock, with the last one).
    Remove(usize),
    /// Makes the `index`-th response return this JSON text.
    Return(usize, String),
    /// Makes the `index`-th response throw.
    Throw {
        index: usize,
        error: String,
        cause: String,
    },
    /// How many consecutive invocations the `index`-th response answers (≥ 1).
    Calls(usize, u64),
}

/// Applies a form edit to the mocks text, returning the new text (native form, pretty). Errors:
/// the text is not native mocks, or a Return value is not JSON (the core's message).
pub fn edit_mocks(text: &str, slot: &TaskSlot, edit: MockEdit) -> Result<String, String> {
    let mut mocks = match read_mocks_file(text) {
        MocksText::Native(m) => m,
        MocksText::Config { .. } => {
            return Err("a MockConfigFile is edited in the JSON view".into());
        }
        MocksText::Invalid(d) => return Err(format!("{}:{}: {}", d.line, d.column, d.message)),
    };
    // Editing a resource mock here makes a mock for this state only (a state mock wins).
    let seq = mocks
        .by_state
        .get(&slot.name)
        .or_else(|| mocks.by_resource.get(&slot.resource))
        .cloned()
        .unwrap_or_default();
    let mut list: Vec<(u64, MockResponse)> = seq
        .entries
        .into_iter()
        .map(|(lo, hi, r)| {
            (
                if hi == EVERY_INVOCATION {
                    1
                } else {
                    hi - lo + 1
                },
                r,
            )
        })
        .collect();
    let mut every_after = seq_is_every(&mocks, slot);
    match edit {
        MockEdit::Add { throw } => {
            let r = match list.last() {
                // A copy of the last response when it is of the kind asked for.
                Some((_, r)) if matches!(r.outcome, MockOutcome::Throw { .. }) == throw => {
                    r.clone()
                }
                _ => response(if throw {
                    MockOutcome::Throw {
                        error: "States.TaskFailed".into(),
                        cause: None,
                    }
                } else {
                    MockOutcome::Return(Value::object(Default::default()))
                }),
            };
            // One response answers every call; a second makes a numbered sequence.
            every_after = list.is_empty();
            list.push((1, r));
        }
        MockEdit::Remove(i) => {
            if i < list.len() {
                list.remove(i);
            }
            every_after = list.len() == 1;
        }
        MockEdit::Return(i, json) => {
            let v = Value::parse(&json).map_err(|e| e.to_string())?;
            if let Some((_, r)) = list.get_mut(i) {
                r.outcome = MockOutcome::Return(v);
            }
        }
        MockEdit::Throw {
            index,
            error,
            cause,
        } => {
            if error.trim().is_empty() {
                return Err("an error name is required".into());
            }
            if let Some((_, r)) = list.get_mut(index) {
                r.wrap_payload = false;
                r.outcome = MockOutcome::Throw {
                    error: error.as_str().into(),
                    cause: (!cause.is_empty()).then(|| cause.as_str().into()),
                };
            }
        }
        MockEdit::Calls(i, n) => {
            if let Some((c, _)) = list.get_mut(i) {
                *c = n.max(1);
            }
        }
    }
    if list.is_empty() {
        mocks.by_state.remove(&slot.name);
    } else {
        let entries = if every_after && list.len() == 1 {
            list.into_iter()
                .map(|(_, r)| (0, EVERY_INVOCATION, r))
                .collect()
        } else {
            let mut at = 0;
            list.into_iter()
                .map(|(n, r)| {
                    let e = (at, at + n - 1, r);
                    at += n;
                    e
                })
                .collect()
        };
        mocks
            .by_state
            .insert(slot.name.clone(), MockSequence { entries });
    }
    let text = mocks.to_value().to_json_pretty();
    // What the form writes must read back (the core is the judge, not the form).
    match read_mocks_file(&text) {
        MocksText::Invalid(d) => Err(d.message),
        _ => Ok(text),
    }
}

/// A MockConfigFile's mocks (the case runs use) as native mocks text, for the form to edit.
pub fn convert_config(text: &str) -> Result<String, String> {
    match read_mocks_file(text) {
        MocksText::Config { mocks, .. } => mocks.map(|m| m.to_value().to_json_pretty()),
        MocksText::Native(_) => Err("already playground mocks".into()),
        MocksText::Invalid(d) => Err(d.message),
    }
}

/// Whether two texts are the same JSON value (a form field's draft and the mocks' value).
pub fn same_json(a: &str, b: &str) -> bool {
    matches!((Value::parse(a), Value::parse(b)), (Ok(x), Ok(y)) if x == y)
}

fn seq_is_every(mocks: &Mocks, slot: &TaskSlot) -> bool {
    mocks
        .by_state
        .get(&slot.name)
        .or_else(|| mocks.by_resource.get(&slot.resource))
        .is_some_and(|s| matches!(s.entries.as_slice(), [(0, EVERY_INVOCATION, _)]))
}

fn response(outcome: MockOutcome) -> MockResponse {
    MockResponse {
        outcome,
        duration_ms: 0,
        wrap_payload: false,
    }
}

/// Mocks no Task of the machine can use (the core's wording), for warnings under the views.
pub fn unused_mocks(text: &str, machine: &StateMachine) -> Vec<String> {
    match read_mocks_file(text) {
        MocksText::Native(m) | MocksText::Config { mocks: Ok(m), .. } => m.unused(machine),
        _ => Vec::new(),
    }
}

/// What a paused task was answered with, to keep as its mock.
pub enum SavedAnswer<'a> {
    /// The raw result, as JSON text.
    Return(&'a str),
    Throw {
        error: &'a str,
        cause: &'a str,
    },
}

/// Adds the answer given to a paused task as the task's next mock response, so the next run
/// does not pause there. Returns the new mocks text.
pub fn save_answer(
    text: &str,
    state: &str,
    resource: &str,
    answer: SavedAnswer<'_>,
) -> Result<String, String> {
    let slot = TaskSlot {
        name: state.into(),
        resource: resource.into(),
        place: String::new(),
    };
    let throw = matches!(answer, SavedAnswer::Throw { .. });
    let with = edit_mocks(
        if text.trim().is_empty() { "{}" } else { text },
        &slot,
        MockEdit::Add { throw },
    )?;
    let last = match read_mocks_file(&with) {
        MocksText::Native(m) => mock_row(&m, &slot).entries.len().saturating_sub(1),
        _ => 0,
    };
    let edit = match answer {
        SavedAnswer::Return(json) => MockEdit::Return(last, json.to_string()),
        SavedAnswer::Throw { error, cause } => MockEdit::Throw {
            index: last,
            error: error.to_string(),
            cause: cause.to_string(),
        },
    };
    edit_mocks(&with, &slot, edit)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEF: &str = r#"{"StartAt":"A","States":{
        "A":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Next":"P"},
        "P":{"Type":"Parallel","Branches":[{"StartAt":"B","States":{"B":{"Type":"Task","Resource":"arn:r","End":true}}}],"Next":"M"},
        "M":{"Type":"Map","ItemProcessor":{"StartAt":"C","States":{"C":{"Type":"Task","Resource":"arn:r","End":true}}},"End":true}}}"#;

    fn slots() -> Vec<TaskSlot> {
        let a = analyze(DEF);
        assert!(!a.has_errors(), "{:?}", a.diagnostics);
        a.machine.map(|m| task_states(&m)).unwrap_or_default()
    }

    #[test]
    fn every_task_is_listed_nested_ones_with_their_place() {
        let s = slots();
        let names: Vec<(&str, &str)> = s.iter().map(|t| (&*t.name, &*t.place)).collect();
        assert_eq!(
            names,
            vec![("A", ""), ("B", "P › branch 1"), ("C", "M › items")]
        );
    }

    #[test]
    fn form_edits_round_trip_through_the_core() {
        let s = slots();
        let a = &s[0];
        let t = edit_mocks("", a, MockEdit::Add { throw: false }).expect("add");
        let t = edit_mocks(&t, a, MockEdit::Return(0, r#"{"ok": 1}"#.into())).expect("ret");
        let MocksText::Native(m) = read_mocks_file(&t) else {
            panic!("{t}")
        };
        let row = mock_row(&m, a);
        assert_eq!(row.source, MockSource::State);
        assert_eq!(row.entries.len(), 1);
        assert_eq!(
            row.entries[0].calls, None,
            "one response answers every call"
        );
        // A sequence: throw twice, then return.
        let t = edit_mocks(&t, a, MockEdit::Add { throw: true }).expect("add throw");
        let t = edit_mocks(
            &t,
            a,
            MockEdit::Throw {
                index: 0,
                error: "Busy".into(),
                cause: "try later".into(),
            },
        )
        .expect("throw");
        let t = edit_mocks(&t, a, MockEdit::Calls(0, 2)).expect("calls");
        let t = edit_mocks(&t, a, MockEdit::Return(1, "7".into())).expect("ret 1");
        let MocksText::Native(m) = read_mocks_file(&t) else {
            panic!("{t}")
        };
        let row = mock_row(&m, a);
        assert_eq!(
            row.entries.iter().map(|e| e.calls).collect::<Vec<_>>(),
            vec![Some((1, 2)), Some((3, 3))],
            "{t}"
        );
        assert_eq!(
            row.entries[0].kind,
            EntryKind::Throw {
                error: "Busy".into(),
                cause: "try later".into()
            }
        );
        // Bad JSON is refused with the parser's message, and the text is left alone.
        assert!(edit_mocks(&t, a, MockEdit::Return(1, "{".into())).is_err());
        // Removing down to one response makes it answer every call again; then none: no mock.
        let t = edit_mocks(&t, a, MockEdit::Remove(0)).expect("rm");
        let MocksText::Native(m) = read_mocks_file(&t) else {
            panic!("{t}")
        };
        assert_eq!(mock_row(&m, a).entries[0].calls, None);
        let t = edit_mocks(&t, a, MockEdit::Remove(0)).expect("rm");
        let MocksText::Native(m) = read_mocks_file(&t) else {
            panic!("{t}")
        };
        assert_eq!(mock_row(&m, a).source, MockSource::None);
    }

    #[test]
    fn resource_mocks_show_and_editing_one_makes_a_state_mock() {
        let s = slots();
        let text = r#"{"Resources": {"arn:r": {"Return": 1}}}"#;
        let MocksText::Native(m) = read_mocks_file(text) else {
            panic!()
        };
        assert_eq!(mock_row(&m, &s[1]).source, MockSource::Resource);
        let t = edit_mocks(text, &s[1], MockEdit::Return(0, "2".into())).expect("edit");
        let MocksText::Native(m) = read_mocks_file(&t) else {
            panic!()
        };
        assert_eq!(mock_row(&m, &s[1]).source, MockSource::State);
        assert_eq!(
            mock_row(&m, &s[2]).source,
            MockSource::Resource,
            "C keeps the shared one"
        );
    }

    #[test]
    fn bad_mocks_are_positioned_and_a_mock_config_file_is_read() {
        let MocksText::Invalid(d) = read_mocks_file("{\"A\": {\"Retrun\": 1}}") else {
            panic!()
        };
        assert_eq!((d.line, d.column), (1, 8));
        assert!(d.end > d.start);
        let cfg = r#"{"StateMachines": {"M": {"TestCases": {"Happy": {"A": "Ok"}}}},
                      "MockedResponses": {"Ok": {"0": {"Return": {"x": 1}}}}}"#;
        let MocksText::Config { case, mocks } = read_mocks_file(cfg) else {
            panic!()
        };
        assert_eq!(case, Some(("M".into(), "Happy".into())));
        assert!(mocks.is_ok_and(|m| m.by_state.contains_key("A")));
    }

    #[test]
    fn a_paused_tasks_answer_becomes_its_mock() {
        let text = save_answer(
            "{}",
            "T",
            "arn:aws:states:::lambda:invoke",
            SavedAnswer::Return(r#"{"ok":1}"#),
        )
        .expect("saved");
        let MocksText::Native(m) = read_mocks_file(&text) else {
            panic!("native mocks: {text}")
        };
        assert!(m.by_state.contains_key("T"), "{text}");
        assert!(text.contains("\"ok\": 1"), "{text}");
        let thrown = save_answer(
            &text,
            "U",
            "r",
            SavedAnswer::Throw {
                error: "E",
                cause: "c",
            },
        )
        .expect("saved");
        assert!(thrown.contains("\"Error\": \"E\""), "{thrown}");
        assert!(
            thrown.contains("\"ok\": 1"),
            "kept the other mock: {thrown}"
        );
    }
}
