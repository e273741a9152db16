//! Reading AWS's JSON: `get-execution-history` output (`{"events": [...]}`, or a bare array of
//! events; in any order, ids as AWS numbers them), optionally with `describe-execution` output
//! (input, ARNs, status), into a [`Recording`]. A LocalStack case of the conformance corpus is
//! recognised and read by `localstack`.
//!
//! Timestamps are accepted as the CLI prints them (RFC 3339 text with an offset), as the API
//! returns them (seconds since the epoch, fractional) or as Python prints boto3's datetimes
//! (`2024-05-01 10:00:00.123000+00:00`). A history fetched without execution data has no
//! payloads: they read as null, with a warning. `input`/`output` strings are JSON text;
//! a truncated payload (`inputDetails.truncated`) that no longer parses is kept as the string
//! and reported in [`Recording::warnings`]. Event types and details keys this crate does not
//! know are errors: a history from a newer AWS needs a newer reader, not a silent guess.
//!
//! Not owned here: the paths of events ([`super::paths`]), the LocalStack shape.

use std::fmt;
use std::sync::Arc;

use serde::Serialize;

use super::details::{opt_str, payload, read_details, uint};
use super::paths::{Scopes, assign};
use super::{Recording, Shape, localstack};
use crate::exec::ExecNames;
use crate::exec::timestamp;
use crate::history::{EventDetails, EventType, HistoryEvent};
use crate::model::StateMachine;
use crate::source::{Encoding, LineIndex, Span};
use crate::syntax::{self, Kind, Node};
use crate::value::Value;

/// What is wrong with an imported text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ImportErrorKind {
    /// Not JSON.
    Syntax,
    /// JSON, but not a history (nor a LocalStack case, nor `describe-execution` output).
    NotAHistory,
    /// An event lacks a field or has one of the wrong type.
    BadEvent,
    /// An event `type` AWS does not document.
    UnknownEventType,
    /// A timestamp that is neither RFC 3339 nor epoch seconds.
    BadTimestamp,
    /// Two events with one id, or a `previousEventId` naming no event before it.
    BadEventId,
}

/// A malformed import: what, where (1-based line, column in characters) and in which text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportError {
    pub kind: ImportErrorKind,
    pub message: String,
    /// `history` or `describe`: which of the texts given.
    pub document: &'static str,
    pub span: Span,
    pub line: u32,
    pub column: u32,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for ImportError {}

/// An error before it is placed in its text.
pub(super) type Raw = (ImportErrorKind, Span, String);

pub(super) fn locate(
    text: &str,
    document: &'static str,
    (kind, span, message): Raw,
) -> ImportError {
    let pos = LineIndex::new(text).position(text, span.start, Encoding::Chars);
    ImportError {
        kind,
        message,
        document,
        span,
        line: pos.line,
        column: pos.column,
    }
}

fn parse(text: &str, document: &'static str) -> Result<Node, ImportError> {
    syntax::parse(text).map_err(|e| {
        let message = if text.trim().is_empty() {
            format!("the {document} text is empty")
        } else {
            format!("malformed JSON: {}", e.message)
        };
        locate(text, document, (ImportErrorKind::Syntax, e.span, message))
    })
}

/// Reads a recorded history for `machine` (see the module doc). `describe` is
/// `describe-execution`'s output, when the user has it.
pub fn import(
    machine: &StateMachine,
    history: &str,
    describe: Option<&str>,
) -> Result<Recording, ImportError> {
    let node = parse(history, "history")?;
    let scopes = Scopes::new(machine);
    let mut rec = if localstack::is_case(&node) {
        localstack::read(&scopes, &node).map_err(|e| locate(history, "history", e))?
    } else {
        read_history(&scopes, &node).map_err(|e| locate(history, "history", e))?
    };
    if let Some(text) = describe {
        let d = parse(text, "describe")?;
        apply_describe(&mut rec, &d).map_err(|e| locate(text, "describe", e))?;
    }
    Ok(rec)
}

/// `{"events": [...]}` (extra keys such as `nextToken`, or `describe-execution`'s own, allowed)
/// or a bare array.
fn read_history(scopes: &Scopes, node: &Node) -> Result<Recording, Raw> {
    let (list, shape) = match &node.kind {
        Kind::Array(items) => (items.as_slice(), Shape::EventsArray),
        Kind::Object(_) => match node.get("events") {
            Some(m) => match &m.value.kind {
                Kind::Array(items) => (items.as_slice(), Shape::GetExecutionHistory),
                _ => {
                    return Err((
                        ImportErrorKind::NotAHistory,
                        m.value.span,
                        format!("\"events\" must be an array, not {}", m.value.type_name()),
                    ));
                }
            },
            None => {
                return Err((
                    ImportErrorKind::NotAHistory,
                    node.span,
                    "not an execution history: expected {\"events\": [...]} as `aws \
                     stepfunctions get-execution-history` prints it, an array of events, or a \
                     LocalStack case"
                        .into(),
                ));
            }
        },
        _ => {
            return Err((
                ImportErrorKind::NotAHistory,
                node.span,
                format!(
                    "not an execution history: expected an object or an array, not {}",
                    node.type_name()
                ),
            ));
        }
    };
    let mut warnings = Vec::new();
    let mut raw: Vec<(u64, Option<u64>, Span, HistoryEvent)> = Vec::with_capacity(list.len());
    for item in list {
        raw.push(read_event(item, &mut warnings)?);
    }
    // `--reverse-order` output, or pages concatenated out of order: AWS's ids give the order.
    crate::sort::sort_by_key(&mut raw, |(id, ..)| *id);
    for w in raw.windows(2) {
        if w[0].0 == w[1].0 {
            return Err((
                ImportErrorKind::BadEventId,
                w[1].2,
                format!("two events have the id {}", w[1].0),
            ));
        }
    }
    let index_of = |id: u64| raw.binary_search_by_key(&id, |(i, ..)| *i).ok();
    let mut prev = Vec::with_capacity(raw.len());
    for (i, (_, p, span, _)) in raw.iter().enumerate() {
        prev.push(match p {
            None | Some(0) => i.checked_sub(1),
            Some(p) => match index_of(*p) {
                Some(j) if j < i => Some(j),
                _ => {
                    return Err((
                        ImportErrorKind::BadEventId,
                        *span,
                        format!("previousEventId {p} names no earlier event"),
                    ));
                }
            },
        });
    }
    let mut events: Vec<HistoryEvent> = raw.into_iter().map(|(.., ev)| ev).collect();
    for (i, ev) in events.iter_mut().enumerate() {
        ev.id = i as u32 + 1;
        ev.previous_event_id = prev[i].map_or(0, |p| p as u32 + 1);
    }
    assign(scopes, &mut events, &prev, &mut warnings);
    let mut rec = Recording {
        input: Value::empty_object(),
        names: ExecNames::default(),
        start_time_ms: None,
        described_status: None,
        shape,
        wildcards: Vec::new(),
        warnings,
        events,
    };
    if let Some(first) = rec.events.first() {
        if first.kind == EventType::ExecutionStarted {
            rec.start_time_ms = Some(first.timestamp_ms);
        } else {
            rec.warnings.push(format!(
                "the history starts with {} (event {}), not ExecutionStarted: it is incomplete \
                 (a page of a longer history?)",
                first.kind, first.id
            ));
        }
        if let EventDetails::ExecutionStarted { input, role_arn } = &first.details {
            rec.input = input.clone();
            if !role_arn.is_empty() {
                rec.names.role_arn = role_arn.to_string();
            }
        }
    }
    // A top-level object may also carry describe-execution's fields.
    if shape == Shape::GetExecutionHistory {
        apply_describe(&mut rec, node)?;
    }
    Ok(rec)
}

fn bad(span: Span, msg: String) -> Raw {
    (ImportErrorKind::BadEvent, span, msg)
}

fn read_event(
    node: &Node,
    warnings: &mut Vec<String>,
) -> Result<(u64, Option<u64>, Span, HistoryEvent), Raw> {
    if node.as_object().is_none() {
        return Err(bad(
            node.span,
            format!("an event must be an object, not {}", node.type_name()),
        ));
    }
    let kind_node = field(node, "type", node.span)?;
    let name = kind_node.as_str().ok_or_else(|| {
        bad(
            kind_node.span,
            format!("\"type\" must be a string, not {}", kind_node.type_name()),
        )
    })?;
    let kind = EventType::from_name(name).ok_or_else(|| {
        (
            ImportErrorKind::UnknownEventType,
            kind_node.span,
            format!("\"{name}\" is not a Step Functions history event type"),
        )
    })?;
    let id_node = field(node, "id", node.span)?;
    let id = uint(id_node, "id")?;
    let prev = match node.get("previousEventId") {
        Some(m) => Some(uint(&m.value, "previousEventId")?),
        None => None,
    };
    let ts_node = field(node, "timestamp", node.span)?;
    let timestamp_ms = timestamp_of(ts_node)?;
    let details = match kind.aws_details_key().and_then(|k| node.get(k)) {
        Some(m) => read_details(kind, &m.value, id, warnings)?,
        None => EventDetails::None,
    };
    Ok((
        id,
        prev,
        node.span,
        HistoryEvent {
            id: 0,
            previous_event_id: 0,
            timestamp_ms,
            kind,
            details,
            path: Arc::from(""),
            iterations: Arc::from([] as [u32; 0]),
        },
    ))
}

fn field<'n>(node: &'n Node, key: &str, at: Span) -> Result<&'n Node, Raw> {
    node.get(key)
        .map(|m| &m.value)
        .ok_or_else(|| bad(at, format!("the event has no \"{key}\"")))
}

/// RFC 3339 text (`2024-05-01T10:00:00.123000+02:00`) or epoch seconds (`1714550400.123`).
fn timestamp_of(node: &Node) -> Result<i64, Raw> {
    let ms = match &node.kind {
        // Python's `str(datetime)` (boto3 output dumped as JSON) puts a space for the `T`.
        Kind::String(s) => {
            timestamp::parse_nanos(&s.trim().replacen(' ', "T", 1)).map(|n| (n / 1_000_000) as i64)
        }
        Kind::Number(n) => n
            .as_f64()
            .filter(|f| f.is_finite() && f.abs() < 1.0e13)
            .map(|f| (f * 1000.0).round() as i64),
        _ => None,
    };
    ms.ok_or_else(|| {
        (
            ImportErrorKind::BadTimestamp,
            node.span,
            "\"timestamp\" must be an RFC 3339 time or seconds since the epoch".into(),
        )
    })
}

/// `describe-execution`'s fields: the input (the history's may be missing or truncated), the
/// ARNs (names for `$$`) and the status.
fn apply_describe(rec: &mut Recording, d: &Node) -> Result<(), Raw> {
    if d.as_object().is_none() {
        return Err((
            ImportErrorKind::NotAHistory,
            d.span,
            format!(
                "describe-execution output must be an object, not {}",
                d.type_name()
            ),
        ));
    }
    let mut no_warnings = Vec::new();
    if d.get("input").is_some() {
        rec.input = payload(d, "input", 0, &mut no_warnings)?;
    }
    if let Some(arn) = opt_str(d, "executionArn")? {
        // arn:<partition>:states:<region>:<account>:execution:<machine>:<name>
        let parts: Vec<&str> = arn.split(':').collect();
        if parts.len() >= 8 && parts[0] == "arn" {
            rec.names.partition = parts[1].into();
            rec.names.region = parts[3].into();
            rec.names.account = parts[4].into();
            rec.names.state_machine_name = parts[6].into();
            rec.names.execution_name = parts[7..].join(":");
        }
    }
    if let Some(name) = opt_str(d, "name")? {
        rec.names.execution_name = name.to_string();
    }
    if let Some(status) = opt_str(d, "status")? {
        rec.described_status = Some(status);
    }
    Ok(())
}
