//! One state: its name, `Type`, `QueryLanguage`, the fields its type allows (and the language
//! allows), `Next`/`End`, and the input/output fields every state type shares; then hands the
//! rest to the reader for its type.
//!
//! Not owned here: the fields particular to a type ([`super::kinds`], [`super::choice`],
//! [`super::map`], [`super::retry`]) and whether a `Next` target exists ([`crate::validate`]).

use std::sync::Arc;

use super::Cx;
use super::fields::{Fields, child};
use super::query_language::{field_language, ql_name};
use crate::diag::Code;
use crate::model::{Io, Pass, State, StateKind, Target, Transition};
use crate::source::Span;
use crate::syntax::{Kind, Member, Node};

/// The state types, for field tables.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Ty {
    Pass,
    Task,
    Choice,
    Wait,
    Succeed,
    Fail,
    Parallel,
    Map,
}

/// The fields the parser allows in a state of type `type_name` (`None` for an unknown type),
/// in either query language; the field docs are checked against it.
pub fn state_fields(type_name: &str) -> Option<&'static [&'static str]> {
    Ty::from_name(type_name).map(Ty::fields)
}

/// The state types, as `Type` spells them.
pub const STATE_TYPES: [&str; 8] = [
    "Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map",
];

impl Ty {
    fn from_name(s: &str) -> Option<Ty> {
        Some(match s {
            "Pass" => Ty::Pass,
            "Task" => Ty::Task,
            "Choice" => Ty::Choice,
            "Wait" => Ty::Wait,
            "Succeed" => Ty::Succeed,
            "Fail" => Ty::Fail,
            "Parallel" => Ty::Parallel,
            "Map" => Ty::Map,
            _ => return None,
        })
    }

    /// Fields this state type allows (in one query language or the other).
    fn fields(self) -> &'static [&'static str] {
        match self {
            Ty::Pass => &[
                "Type",
                "Comment",
                "QueryLanguage",
                "Next",
                "End",
                "InputPath",
                "OutputPath",
                "Parameters",
                "ResultPath",
                "Result",
                "Assign",
                "Output",
            ],
            Ty::Task => &[
                "Type",
                "Comment",
                "QueryLanguage",
                "Next",
                "End",
                "InputPath",
                "OutputPath",
                "Parameters",
                "ResultSelector",
                "ResultPath",
                "Resource",
                "Arguments",
                "Retry",
                "Catch",
                "TimeoutSeconds",
                "TimeoutSecondsPath",
                "HeartbeatSeconds",
                "HeartbeatSecondsPath",
                "Credentials",
                "Assign",
                "Output",
            ],
            Ty::Choice => &[
                "Type",
                "Comment",
                "QueryLanguage",
                "Choices",
                "Default",
                "InputPath",
                "OutputPath",
                "Assign",
                "Output",
            ],
            Ty::Wait => &[
                "Type",
                "Comment",
                "QueryLanguage",
                "Next",
                "End",
                "InputPath",
                "OutputPath",
                "Seconds",
                "SecondsPath",
                "Timestamp",
                "TimestampPath",
                "Assign",
                "Output",
            ],
            Ty::Succeed => &[
                "Type",
                "Comment",
                "QueryLanguage",
                "InputPath",
                "OutputPath",
                "Output",
            ],
            Ty::Fail => &[
                "Type",
                "Comment",
                "QueryLanguage",
                "Error",
                "ErrorPath",
                "Cause",
                "CausePath",
            ],
            Ty::Parallel => &[
                "Type",
                "Comment",
                "QueryLanguage",
                "Next",
                "End",
                "InputPath",
                "OutputPath",
                "Parameters",
                "ResultSelector",
                "ResultPath",
                "Arguments",
                "Branches",
                "Retry",
                "Catch",
                "Assign",
                "Output",
            ],
            Ty::Map => &[
                "Type",
                "Comment",
                "QueryLanguage",
                "Next",
                "End",
                "InputPath",
                "OutputPath",
                "Parameters",
                "ResultSelector",
                "ResultPath",
                "Retry",
                "Catch",
                "Assign",
                "Output",
                "ItemProcessor",
                "Iterator",
                "ItemsPath",
                "Items",
                "ItemSelector",
                "ItemReader",
                "ItemBatcher",
                "ResultWriter",
                "MaxConcurrency",
                "MaxConcurrencyPath",
                "ToleratedFailureCount",
                "ToleratedFailureCountPath",
                "ToleratedFailurePercentage",
                "ToleratedFailurePercentagePath",
                "Label",
            ],
        }
    }
}

impl Cx {
    pub(super) fn state(&mut self, member: &Member, ptr: &str) -> State {
        let name: Arc<str> = Arc::from(member.key.as_str());
        let chars = member.key.chars().count();
        if chars == 0 || chars > 80 {
            self.push(
                Code::InvalidStateName,
                format!("State names must be 1 to 80 characters long (this one has {chars})"),
                ptr,
                member.key_span,
            );
        }
        let mut state = State {
            name,
            name_span: member.key_span,
            span: member.value.span,
            comment: None,
            query_language: self.machine_ql,
            kind: StateKind::Pass(Pass::default()),
            transition: Transition::None,
            io: Io::default(),
            assign: None,
            output: None,
        };
        let Some(f) = self.fields(
            &member.value,
            ptr,
            member.key_span,
            "A state",
            Code::DuplicateKey,
        ) else {
            return state;
        };
        state.comment = self.comment(&f);
        // QueryLanguage first: it decides which fields are allowed.
        state.query_language = self.state_query_language(&f);
        let ql = state.query_language;
        let ty = match f.get("Type") {
            None => {
                self.missing(&f, "Type");
                None
            }
            Some(m) => match &m.value.kind {
                Kind::String(s) => {
                    let ty = Ty::from_name(s);
                    if ty.is_none() {
                        self.push(
                            Code::InvalidStateType,
                            format!("'{s}' is not a state type: use Pass, Task, Choice, Wait, Succeed, Fail, Parallel or Map"),
                            &f.ptr("Type"),
                            m.value.span,
                        );
                    }
                    ty
                }
                _ => {
                    self.wrong_type(m, &f.ptr("Type"), "a string");
                    None
                }
            },
        };
        // Field checks; fields that fail them are not read further.
        let mut f = f;
        let ptr = f.ptr.as_str();
        f.members.retain(|m| {
            let key = m.key.as_str();
            if let Some(ty) = ty
                && !ty.fields().contains(&key)
            {
                let type_name = ty_name(ty);
                let code = if matches!(key, "Next" | "End") {
                    Code::TerminalTransition
                } else {
                    Code::UnknownField
                };
                let msg = if code == Code::TerminalTransition {
                    format!(
                        "A {type_name} state cannot have '{key}': it ends or branches by itself"
                    )
                } else {
                    format!("Field '{key}' is not supported by a {type_name} state")
                };
                self.push(code, msg, &child(ptr, key), m.key_span);
                return false;
            }
            if let Some(lang) = field_language(key)
                && lang != ql
            {
                self.push(
                    Code::QueryLanguageField,
                    format!(
                        "field '{key}' is only supported for the '{}' QueryLanguage",
                        ql_name(lang)
                    ),
                    &child(ptr, key),
                    m.key_span,
                );
                return false;
            }
            true
        });

        // Transitions.
        if let Some(ty) = ty
            && !matches!(ty, Ty::Choice | Ty::Succeed | Ty::Fail)
        {
            state.transition = self.transition(&f, member.key_span);
        } else if ty.is_none() {
            state.transition = self.transition_lenient(&f);
        }

        // Input/output processing.
        state.io.input_path = self.nullable_path(&f, "InputPath", false);
        state.io.output_path = self.nullable_path(&f, "OutputPath", false);
        state.io.result_path = self.nullable_path(&f, "ResultPath", true);
        if ty != Some(Ty::Map) {
            state.io.parameters = self.template(&f, "Parameters", ql);
        }
        state.io.arguments = self.template(&f, "Arguments", ql);
        state.io.result_selector = self.template(&f, "ResultSelector", ql);
        if matches!(ty, Some(Ty::Task | Ty::Parallel | Ty::Map)) {
            self.states_extra = Some("result");
        }
        state.assign = self.template(&f, "Assign", ql);
        state.output = self.template(&f, "Output", ql);
        self.states_extra = None;

        state.kind = match ty {
            None | Some(Ty::Pass) => StateKind::Pass(self.pass(&f)),
            Some(Ty::Succeed) => StateKind::Succeed,
            Some(Ty::Task) => StateKind::Task(Box::new(self.task(&f, ql))),
            Some(Ty::Choice) => StateKind::Choice(Box::new(self.choice(&f, ql))),
            Some(Ty::Wait) => StateKind::Wait(self.wait(&f, ql)),
            Some(Ty::Fail) => StateKind::Fail(self.fail(&f, ql)),
            Some(Ty::Parallel) => StateKind::Parallel(Box::new(self.parallel(&f, ql))),
            Some(Ty::Map) => StateKind::Map(Box::new(self.map(&f, ql))),
        };
        state
    }

    pub(super) fn transition(&mut self, f: &Fields, name_span: Span) -> Transition {
        let next = f.get("Next");
        let end = f.get("End");
        let end_true = match end {
            Some(m) => match m.value.kind {
                Kind::Bool(b) => b,
                _ => {
                    self.wrong_type(m, &f.ptr("End"), "a boolean");
                    false
                }
            },
            None => false,
        };
        match (next, end_true) {
            (Some(_), true) => {
                let m = end.unwrap_or_else(|| unreachable_member());
                self.push(
                    Code::NextAndEnd,
                    "A state cannot have both 'Next' and 'End'",
                    &f.ptr("End"),
                    m.key_span,
                );
                self.target(f, "Next")
                    .map_or(Transition::None, Transition::Next)
            }
            (Some(_), false) => self
                .target(f, "Next")
                .map_or(Transition::None, Transition::Next),
            (None, true) => Transition::End(end.map_or(name_span, |m| m.value.span)),
            (None, false) => {
                self.push(
                    Code::MissingNextOrEnd,
                    "This state needs 'Next' (the state to go to) or '\"End\": true'",
                    &f.ptr,
                    name_span,
                );
                Transition::None
            }
        }
    }

    /// Transition of a state whose type is unknown: read what is there, report nothing more.
    pub(super) fn transition_lenient(&mut self, f: &Fields) -> Transition {
        if f.has("Next") {
            return self
                .target(f, "Next")
                .map_or(Transition::None, Transition::Next);
        }
        match f.get("End") {
            Some(m) if m.value.kind == Kind::Bool(true) => Transition::End(m.value.span),
            _ => Transition::None,
        }
    }

    pub(super) fn target(&mut self, f: &Fields, key: &str) -> Option<Target> {
        let (s, _) = self.string(f, key)?;
        Some(Target {
            name: s.value,
            span: s.span,
            id: None,
        })
    }
}

pub(super) fn ty_name(ty: Ty) -> &'static str {
    match ty {
        Ty::Pass => "Pass",
        Ty::Task => "Task",
        Ty::Choice => "Choice",
        Ty::Wait => "Wait",
        Ty::Succeed => "Succeed",
        Ty::Fail => "Fail",
        Ty::Parallel => "Parallel",
        Ty::Map => "Map",
    }
}

#[cold]
pub(super) fn unreachable_member() -> &'static Member {
    // Only reached if `End` were both present and absent; keeps the caller free of unwrap().
    static EMPTY: std::sync::OnceLock<Member> = std::sync::OnceLock::new();
    EMPTY.get_or_init(|| Member {
        key: String::new(),
        key_span: Span::default(),
        value: Node {
            span: Span::default(),
            kind: Kind::Null,
        },
    })
}
