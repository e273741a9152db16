//! The typed Amazon States Language model: what a definition means, with where each part came from.
//!
//! Owns the types only: [`StateMachine`], [`Branch`] (a `StartAt` + `States` scope: the top level, a
//! Parallel branch, a Map item processor), [`State`] and its [`StateKind`]s, Retry/Catch, Choice
//! rules, and the value-or-path-or-expression fields ([`Dynamic`]). Every part keeps the byte
//! [`Span`] of the JSON it was read from, so validation and runtime errors point at the token.
//! Payload templates and paths are stored compiled ([`Template`], [`Path`]); execution never
//! re-parses strings. Transitions hold the index of their target state, resolved at parse time.
//!
//! Not owned here: reading JSON into this model ([`crate::parse`]), checking its rules
//! ([`crate::validate`]), running it ([`crate::exec`]).

use std::sync::Arc;

use indexmap::IndexMap;

use crate::error::ErrorName;
use crate::path::Path;
use crate::source::Span;
use crate::template::Template;
use crate::value::Value;

/// Index of a state inside its [`Branch`]'s `states` map.
pub type StateId = u32;

/// A value with the span of the JSON it was read from.
#[derive(Clone, Debug, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

/// `QueryLanguage`: how strings in a state are read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum QueryLanguage {
    #[default]
    JsonPath,
    Jsonata,
}

/// A JSONata expression as written, `{% … %}` stripped, compiled once when the definition is read
/// (`None` when it does not compile: the validator reports it, and evaluating it fails).
#[derive(Clone, Debug)]
pub struct Jsonata {
    pub source: Arc<str>,
    pub span: Span,
    pub expr: Option<Arc<crate::jsonata::Expr>>,
}

impl Jsonata {
    /// Compiles `source` (the text between `{%` and `%}`).
    pub fn new(source: &str, span: Span) -> Jsonata {
        Jsonata {
            source: Arc::from(source),
            span,
            expr: crate::jsonata::Expr::compile(source).ok().map(Arc::new),
        }
    }
}

impl PartialEq for Jsonata {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source && self.span == other.span
    }
}

/// A whole definition.
#[derive(Clone, Debug)]
pub struct StateMachine {
    pub root: Branch,
    pub version: Option<Spanned<String>>,
    /// Execution-level `TimeoutSeconds`.
    pub timeout_seconds: Option<Spanned<u64>>,
    /// The top-level `QueryLanguage` (JSONPath when absent).
    pub query_language: QueryLanguage,
    /// Span of the whole top-level object.
    pub span: Span,
}

/// A scope of states: the top level, one Parallel branch, or a Map's item processor.
#[derive(Clone, Debug)]
pub struct Branch {
    pub start_at: Target,
    /// States in source order; [`StateId`] indexes this map.
    pub states: IndexMap<Arc<str>, State>,
    pub comment: Option<String>,
    /// Map item processors only: `ProcessorConfig`.
    pub processor_config: Option<ProcessorConfig>,
    pub span: Span,
}

impl Branch {
    pub fn state(&self, id: StateId) -> Option<&State> {
        self.states.get_index(id as usize).map(|(_, s)| s)
    }

    pub fn state_id(&self, name: &str) -> Option<StateId> {
        self.states.get_index_of(name).map(|i| i as StateId)
    }

    /// The start state's id, when `StartAt` names an existing state.
    pub fn start(&self) -> Option<StateId> {
        self.start_at.id
    }
}

/// `ProcessorConfig` of a Map's `ItemProcessor`.
#[derive(Clone, Debug, PartialEq)]
pub struct ProcessorConfig {
    pub mode: MapMode,
    /// `ExecutionType` (Distributed mode): STANDARD or EXPRESS.
    pub execution_type: Option<Spanned<String>>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MapMode {
    #[default]
    Inline,
    Distributed,
}

/// A reference to a state by name (`StartAt`, `Next`, `Default`, a Catcher's `Next`).
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    pub name: Arc<str>,
    pub span: Span,
    /// The target's index in the enclosing branch; `None` when no state has that name (the
    /// validator reports it).
    pub id: Option<StateId>,
}

/// How a state ends: `Next`, `End: true`, or neither (Choice, Succeed, Fail; or a definition error
/// the validator reports).
#[derive(Clone, Debug, PartialEq)]
pub enum Transition {
    Next(Target),
    End(Span),
    None,
}

/// One state.
#[derive(Clone, Debug)]
pub struct State {
    pub name: Arc<str>,
    pub name_span: Span,
    /// Span of the state's object.
    pub span: Span,
    pub comment: Option<String>,
    /// The state's effective query language (its own field, else the machine's).
    pub query_language: QueryLanguage,
    pub kind: StateKind,
    pub transition: Transition,
    pub io: Io,
    /// `Assign` (both query languages).
    pub assign: Option<Template>,
    /// `Output` (JSONata states).
    pub output: Option<Template>,
}

impl State {
    pub fn type_name(&self) -> &'static str {
        self.kind.type_name()
    }

    /// The state's Retry and Catch lists (empty for state types that have none).
    pub fn retry_catch(&self) -> (&[Retrier], &[Catcher]) {
        match &self.kind {
            StateKind::Task(t) => (&t.retry, &t.catch),
            StateKind::Parallel(p) => (&p.retry, &p.catch),
            StateKind::Map(m) => (&m.retry, &m.catch),
            _ => (&[], &[]),
        }
    }
}

/// A path field that may be JSON `null` (`InputPath`, `ResultPath`, `OutputPath`): null has its
/// own meaning (empty input, discard the result, empty output).
#[derive(Clone, Debug)]
pub enum NullablePath {
    Null(Span),
    Path(Spanned<Path>),
}

/// The JSONPath input/output processing fields (absent ⇒ `None`, meaning `$`).
#[derive(Clone, Debug, Default)]
pub struct Io {
    pub input_path: Option<NullablePath>,
    /// `Parameters` (JSONPath). A Map's legacy `Parameters` is its [`Map::item_selector`] instead.
    pub parameters: Option<Template>,
    /// `Arguments` (JSONata; Task and Parallel).
    pub arguments: Option<Template>,
    pub result_selector: Option<Template>,
    pub result_path: Option<NullablePath>,
    pub output_path: Option<NullablePath>,
}

/// A field that is a literal, a `…Path` reference, or a JSONata expression (e.g. `TimeoutSeconds` /
/// `TimeoutSecondsPath` / `"{% … %}"`).
#[derive(Clone, Debug)]
pub enum Dynamic<T> {
    Literal(Spanned<T>),
    Path(Spanned<Path>),
    Jsonata(Jsonata),
    /// An intrinsic call in a `…Path` field (AWS documents it for Fail's `ErrorPath`/`CausePath`).
    Call(Spanned<Box<crate::intrinsics::Call>>),
}

/// The state types.
#[derive(Clone, Debug)]
pub enum StateKind {
    Pass(Pass),
    Task(Box<Task>),
    Choice(Box<Choice>),
    Wait(Wait),
    Succeed,
    Fail(Fail),
    Parallel(Box<Parallel>),
    Map(Box<Map>),
}

impl StateKind {
    pub fn type_name(&self) -> &'static str {
        match self {
            StateKind::Pass(_) => "Pass",
            StateKind::Task(_) => "Task",
            StateKind::Choice(_) => "Choice",
            StateKind::Wait(_) => "Wait",
            StateKind::Succeed => "Succeed",
            StateKind::Fail(_) => "Fail",
            StateKind::Parallel(_) => "Parallel",
            StateKind::Map(_) => "Map",
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct Pass {
    /// `Result`: a literal, never evaluated (`.$` keys stay as they are).
    pub result: Option<Spanned<Value>>,
}

#[derive(Clone, Debug)]
pub struct Task {
    pub resource: Spanned<Arc<str>>,
    pub timeout_seconds: Option<Dynamic<u64>>,
    pub heartbeat_seconds: Option<Dynamic<u64>>,
    pub retry: Vec<Retrier>,
    pub catch: Vec<Catcher>,
    pub credentials: Option<Template>,
}

/// `JitterStrategy`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Jitter {
    #[default]
    None,
    Full,
}

/// One `Retry` entry, with AWS's defaults filled in.
#[derive(Clone, Debug)]
pub struct Retrier {
    pub error_equals: Vec<Spanned<ErrorName>>,
    /// Default 1.
    pub interval_seconds: u64,
    /// Default 3.
    pub max_attempts: u64,
    /// Default 2.0.
    pub backoff_rate: f64,
    pub max_delay_seconds: Option<u64>,
    pub jitter: Jitter,
    pub span: Span,
}

/// One `Catch` entry.
#[derive(Clone, Debug)]
pub struct Catcher {
    pub error_equals: Vec<Spanned<ErrorName>>,
    pub next: Target,
    pub result_path: Option<NullablePath>,
    pub assign: Option<Template>,
    pub output: Option<Template>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Choice {
    pub choices: Vec<ChoiceRule>,
    pub default: Option<Target>,
}

/// A top-level Choice rule: a condition and where it leads.
#[derive(Clone, Debug)]
pub struct ChoiceRule {
    pub condition: Condition,
    pub next: Target,
    pub assign: Option<Template>,
    pub output: Option<Template>,
    pub span: Span,
}

/// A (possibly nested) Boolean condition.
#[derive(Clone, Debug)]
pub enum Condition {
    And(Vec<Condition>, Span),
    Or(Vec<Condition>, Span),
    Not(Box<Condition>, Span),
    /// `Variable` + one comparison operator.
    Compare(Box<Comparison>),
    /// JSONata `Condition`.
    Jsonata(Jsonata),
}

#[derive(Clone, Debug)]
pub struct Comparison {
    pub variable: Spanned<Path>,
    pub op: CompareOp,
    pub operand: Operand,
    /// Span of the rule object.
    pub span: Span,
}

/// The right-hand side of a comparison: the literal of `StringEquals` or the path of
/// `StringEqualsPath`.
#[derive(Clone, Debug)]
pub enum Operand {
    Literal(Spanned<Value>),
    Path(Spanned<Path>),
}

/// A comparison operator, without its `…Path` suffix (that is in [`Operand`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CompareOp {
    StringEquals,
    StringLessThan,
    StringGreaterThan,
    StringLessThanEquals,
    StringGreaterThanEquals,
    StringMatches,
    NumericEquals,
    NumericLessThan,
    NumericGreaterThan,
    NumericLessThanEquals,
    NumericGreaterThanEquals,
    BooleanEquals,
    TimestampEquals,
    TimestampLessThan,
    TimestampGreaterThan,
    TimestampLessThanEquals,
    TimestampGreaterThanEquals,
    IsNull,
    IsPresent,
    IsNumeric,
    IsString,
    IsBoolean,
    IsTimestamp,
}

impl CompareOp {
    pub const ALL: [CompareOp; 23] = [
        CompareOp::StringEquals,
        CompareOp::StringLessThan,
        CompareOp::StringGreaterThan,
        CompareOp::StringLessThanEquals,
        CompareOp::StringGreaterThanEquals,
        CompareOp::StringMatches,
        CompareOp::NumericEquals,
        CompareOp::NumericLessThan,
        CompareOp::NumericGreaterThan,
        CompareOp::NumericLessThanEquals,
        CompareOp::NumericGreaterThanEquals,
        CompareOp::BooleanEquals,
        CompareOp::TimestampEquals,
        CompareOp::TimestampLessThan,
        CompareOp::TimestampGreaterThan,
        CompareOp::TimestampLessThanEquals,
        CompareOp::TimestampGreaterThanEquals,
        CompareOp::IsNull,
        CompareOp::IsPresent,
        CompareOp::IsNumeric,
        CompareOp::IsString,
        CompareOp::IsBoolean,
        CompareOp::IsTimestamp,
    ];

    /// The field name as written in ASL (without `Path`).
    pub fn name(self) -> &'static str {
        match self {
            CompareOp::StringEquals => "StringEquals",
            CompareOp::StringLessThan => "StringLessThan",
            CompareOp::StringGreaterThan => "StringGreaterThan",
            CompareOp::StringLessThanEquals => "StringLessThanEquals",
            CompareOp::StringGreaterThanEquals => "StringGreaterThanEquals",
            CompareOp::StringMatches => "StringMatches",
            CompareOp::NumericEquals => "NumericEquals",
            CompareOp::NumericLessThan => "NumericLessThan",
            CompareOp::NumericGreaterThan => "NumericGreaterThan",
            CompareOp::NumericLessThanEquals => "NumericLessThanEquals",
            CompareOp::NumericGreaterThanEquals => "NumericGreaterThanEquals",
            CompareOp::BooleanEquals => "BooleanEquals",
            CompareOp::TimestampEquals => "TimestampEquals",
            CompareOp::TimestampLessThan => "TimestampLessThan",
            CompareOp::TimestampGreaterThan => "TimestampGreaterThan",
            CompareOp::TimestampLessThanEquals => "TimestampLessThanEquals",
            CompareOp::TimestampGreaterThanEquals => "TimestampGreaterThanEquals",
            CompareOp::IsNull => "IsNull",
            CompareOp::IsPresent => "IsPresent",
            CompareOp::IsNumeric => "IsNumeric",
            CompareOp::IsString => "IsString",
            CompareOp::IsBoolean => "IsBoolean",
            CompareOp::IsTimestamp => "IsTimestamp",
        }
    }

    /// Reads an operator field name: `("StringEquals", false)`, `("StringEqualsPath", true)`.
    /// `StringMatches` and the `Is…` tests have no `…Path` form.
    pub fn from_field(field: &str) -> Option<(CompareOp, bool)> {
        let (base, is_path) = match field.strip_suffix("Path") {
            Some(base) => (base, true),
            None => (field, false),
        };
        let op = CompareOp::ALL.into_iter().find(|op| op.name() == base)?;
        if is_path && (op == CompareOp::StringMatches || op.is_type_test()) {
            return None;
        }
        Some((op, is_path))
    }

    /// `IsNull`, `IsPresent`, …: operand must be a Boolean literal.
    pub fn is_type_test(self) -> bool {
        matches!(
            self,
            CompareOp::IsNull
                | CompareOp::IsPresent
                | CompareOp::IsNumeric
                | CompareOp::IsString
                | CompareOp::IsBoolean
                | CompareOp::IsTimestamp
        )
    }
}

/// `Wait`: how long, or until when.
#[derive(Clone, Debug)]
pub enum Wait {
    /// `Seconds` / `SecondsPath` / JSONata `Seconds`.
    Seconds(Dynamic<u64>),
    /// `Timestamp` / `TimestampPath` / JSONata `Timestamp`.
    Timestamp(Dynamic<Arc<str>>),
    /// None of the four fields (a definition error the validator reports).
    Missing,
}

#[derive(Clone, Debug, Default)]
pub struct Fail {
    /// `Error` / `ErrorPath` / JSONata `Error`.
    pub error: Option<Dynamic<Arc<str>>>,
    /// `Cause` / `CausePath` / JSONata `Cause`.
    pub cause: Option<Dynamic<Arc<str>>>,
}

#[derive(Clone, Debug)]
pub struct Parallel {
    pub branches: Vec<Branch>,
    pub retry: Vec<Retrier>,
    pub catch: Vec<Catcher>,
}

#[derive(Clone, Debug)]
pub struct Map {
    /// `ItemProcessor` (or the legacy `Iterator`).
    pub processor: Branch,
    /// Whether it was written as the legacy `Iterator`.
    pub legacy_iterator: bool,
    /// `ItemsPath` (JSONPath).
    pub items_path: Option<NullablePath>,
    /// `Items` (JSONata: an array or an expression).
    pub items: Option<Template>,
    /// `ItemSelector`, or the legacy `Parameters` of a Map.
    pub item_selector: Option<Template>,
    pub item_reader: Option<ItemReader>,
    pub item_batcher: Option<ItemBatcher>,
    pub result_writer: Option<ResultWriter>,
    pub max_concurrency: Option<Dynamic<u64>>,
    pub tolerated_failure_count: Option<Dynamic<u64>>,
    pub tolerated_failure_percentage: Option<Dynamic<f64>>,
    pub label: Option<Spanned<String>>,
    pub retry: Vec<Retrier>,
    pub catch: Vec<Catcher>,
}

impl Map {
    pub fn mode(&self) -> MapMode {
        self.processor
            .processor_config
            .as_ref()
            .map(|c| c.mode)
            .unwrap_or_default()
    }
}

/// `ItemReader` of a Distributed Map.
#[derive(Clone, Debug)]
pub struct ItemReader {
    pub resource: Spanned<Arc<str>>,
    /// `ReaderConfig`, as written (InputType, CSVHeaderLocation, MaxItems…).
    pub reader_config: Option<Spanned<Value>>,
    /// `Parameters` (JSONPath) or `Arguments` (JSONata).
    pub parameters: Option<Template>,
    pub span: Span,
}

/// `ItemBatcher`.
#[derive(Clone, Debug)]
pub struct ItemBatcher {
    pub max_items_per_batch: Option<Dynamic<u64>>,
    pub max_input_bytes_per_batch: Option<Dynamic<u64>>,
    pub batch_input: Option<Template>,
    pub span: Span,
}

/// `ResultWriter`.
#[derive(Clone, Debug)]
pub struct ResultWriter {
    pub resource: Option<Spanned<Arc<str>>>,
    /// `Parameters` (JSONPath) or `Arguments` (JSONata).
    pub parameters: Option<Template>,
    /// `WriterConfig`, as written.
    pub writer_config: Option<Spanned<Value>>,
    pub span: Span,
}
