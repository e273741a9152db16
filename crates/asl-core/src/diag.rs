//! Diagnostics: what is wrong with a definition, where, and how bad.
//!
//! Owns [`Diagnostic`], its stable [`Code`]s and [`Severity`]. Every problem found by
//! [`crate::syntax`], [`crate::parse`] or [`crate::validate`] becomes one of these; front ends only
//! format them. Codes are a contract: they are never renamed or reused. Where AWS's
//! `ValidateStateMachineDefinition` API has a name for a failure, the code *is* that name
//! (`MISSING_TRANSITION_TARGET`, `DUPLICATE_STATE_NAME`, …); the finer-grained problems AWS lumps
//! under `SCHEMA_VALIDATION_FAILED` get their own names here, and [`Code::aws_code`] maps each back
//! to AWS's.
//!
//! Not owned here: deciding what is wrong (parse/validate), printing (the CLI, the web app).

use std::fmt;

use serde::Serialize;

use crate::source::{Encoding, LineIndex, Position, Span};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

macro_rules! codes {
    ($( $(#[doc = $doc:literal])* $variant:ident = $name:literal, $sev:ident, $aws:literal; )*) => {
        /// A stable diagnostic code (see the module doc). The doc line of each variant is its
        /// documentation for users too ([`Code::description`]).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $( $(#[doc = $doc])* $variant, )*
        }

        impl Code {
            /// Every code, in documentation order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The code as printed: `error[MISSING_TRANSITION_TARGET]`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $name,)* }
            }

            /// The severity this code always has.
            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$sev,)* }
            }

            /// The `ValidateStateMachineDefinition` code AWS reports for this problem; `None` for
            /// the checks AWS does not make (our warnings about the graph).
            pub fn aws_code(self) -> Option<&'static str> {
                let aws = match self { $(Code::$variant => $aws,)* };
                (!aws.is_empty()).then_some(aws)
            }

            /// One sentence saying what the code means.
            pub fn description(self) -> &'static str {
                match self { $(Code::$variant => concat!($($doc),*).trim_ascii(),)* }
            }

            pub fn from_name(name: &str) -> Option<Code> {
                Code::ALL.iter().copied().find(|c| c.as_str() == name)
            }
        }
    };
}

codes! {
    /// The text is not valid JSON (RFC 8259); the position is the first offending token.
    InvalidJson = "INVALID_JSON_DESCRIPTION", Error, "INVALID_JSON_DESCRIPTION";
    /// The JSON nests deeper than the parser's limit, or state machines nest too deeply.
    TooDeeplyNested = "TOO_DEEPLY_NESTED", Error, "TOO_DEEPLY_NESTED";
    /// The definition (or a place that needs an object, such as a state) is not a JSON object.
    NotAnObject = "NOT_AN_OBJECT", Error, "SCHEMA_VALIDATION_FAILED";
    /// A required field is missing (StartAt, States, Type, Resource, Choices, ErrorEquals, …).
    MissingField = "MISSING_FIELD", Error, "SCHEMA_VALIDATION_FAILED";
    /// A field is not allowed here: unknown, or not part of this state type.
    UnknownField = "UNKNOWN_FIELD", Error, "SCHEMA_VALIDATION_FAILED";
    /// A field has the wrong JSON type (e.g. a number where a string is required).
    WrongType = "WRONG_TYPE", Error, "SCHEMA_VALIDATION_FAILED";
    /// A field has a value outside its allowed set (Version, ProcessorConfig Mode/ExecutionType,
    /// ItemBatcher sizes).
    InvalidValue = "INVALID_VALUE", Error, "SCHEMA_VALIDATION_FAILED";
    /// The same key appears twice in one JSON object (only the last one would count).
    DuplicateKey = "DUPLICATE_KEY", Error, "SCHEMA_VALIDATION_FAILED";
    /// Two states have the same name (names are unique across the whole machine, branches included).
    DuplicateStateName = "DUPLICATE_STATE_NAME", Error, "DUPLICATE_STATE_NAME";
    /// A state name is empty or longer than 80 characters.
    InvalidStateName = "INVALID_STATE_NAME", Error, "INVALID_STATE_NAME";
    /// `Type` is not one of Pass, Task, Choice, Wait, Succeed, Fail, Parallel, Map.
    InvalidStateType = "INVALID_STATE_TYPE", Error, "SCHEMA_VALIDATION_FAILED";
    /// `StartAt`, `Next`, `Default` or a Catcher's `Next` names no state of its branch.
    MissingTransitionTarget = "MISSING_TRANSITION_TARGET", Error, "MISSING_TRANSITION_TARGET";
    /// Two fields that say the same thing in different ways are both present (`TimeoutSeconds` and
    /// `TimeoutSecondsPath`, `ItemProcessor` and `Iterator`, `ItemSelector` and `Parameters`…).
    MutuallyExclusiveFields = "MUTUALLY_EXCLUSIVE_FIELDS", Error, "SCHEMA_VALIDATION_FAILED";
    /// A state that must transition has neither `Next` nor `"End": true`.
    MissingNextOrEnd = "MISSING_NEXT_OR_END", Error, "SCHEMA_VALIDATION_FAILED";
    /// A state has both `Next` and `End`.
    NextAndEnd = "NEXT_AND_END", Error, "SCHEMA_VALIDATION_FAILED";
    /// A Choice, Succeed or Fail state has `Next` or `End` (they end or branch by themselves).
    TerminalTransition = "TERMINAL_STATE_TRANSITION", Error, "SCHEMA_VALIDATION_FAILED";
    /// A branch has no terminal state at all (no End, Succeed or Fail), so it can never finish.
    MissingEndState = "MISSING_END_STATE", Error, "MISSING_END_STATE";
    /// No path from `StartAt` leads to this state.
    UnreachableState = "UNREACHABLE_STATE", Warning, "";
    /// No path from this state leads to an end: once entered, the execution loops forever.
    NoPathToEnd = "NO_PATH_TO_END", Warning, "";
    /// A field is not allowed in the state's query language (e.g. `Output` under JSONPath,
    /// `Parameters` under JSONata).
    QueryLanguageField = "QUERY_LANGUAGE_FIELD", Error, "SCHEMA_VALIDATION_FAILED";
    /// `QueryLanguage` is invalid here: not JSONPath/JSONata, JSONPath under a JSONata machine,
    /// set on an ItemProcessor, or written inside `States` as if it were a state.
    InvalidQueryLanguage = "INVALID_QUERY_LANGUAGE", Error, "SCHEMA_VALIDATION_FAILED";
    /// A JSONPath (or context / variable path) does not parse.
    InvalidJsonPath = "INVALID_JSONPATH", Error, "SCHEMA_VALIDATION_FAILED";
    /// `ResultPath` (and `ItemsPath`) must be a reference path: one value, addressed by `.key` and
    /// `[n]` only (no wildcards, filters, slices or unions).
    InvalidReferencePath = "INVALID_REFERENCE_PATH", Error, "SCHEMA_VALIDATION_FAILED";
    /// A `.$` value calls an intrinsic function that does not exist.
    UnknownIntrinsic = "UNKNOWN_INTRINSIC_FUNCTION", Error, "SCHEMA_VALIDATION_FAILED";
    /// An intrinsic function call does not parse.
    InvalidIntrinsicCall = "INVALID_INTRINSIC_CALL", Error, "SCHEMA_VALIDATION_FAILED";
    /// An intrinsic function is called with a number of arguments it does not take. AWS accepts
    /// the definition and the execution fails when the call runs (`States.Runtime`).
    IntrinsicArgumentCount = "INTRINSIC_ARGUMENT_COUNT", Warning, "";
    /// A payload template is malformed (a `.$` key whose value is not a string, or a string that is
    /// neither a path nor an intrinsic call).
    InvalidPayloadTemplate = "INVALID_PAYLOAD_TEMPLATE", Error, "SCHEMA_VALIDATION_FAILED";
    /// A `{% … %}` JSONata expression is empty or malformed.
    InvalidJsonata = "INVALID_JSONATA_EXPRESSION", Error, "INVALID_JSONATA_EXPRESSION";
    /// A JSONata expression reads `$`, `$$` or a bare field name at its top level, where there is
    /// no context value (use `$states.input…`).
    UnsupportedJsonata = "UNSUPPORTED_JSONATA_EXPRESSION", Error, "UNSUPPORTED_JSONATA_EXPRESSION";
    /// A Choice rule needs exactly one comparison operator (or And/Or/Not).
    ChoiceOperatorCount = "CHOICE_OPERATOR_COUNT", Error, "SCHEMA_VALIDATION_FAILED";
    /// A comparison operand has the wrong type for its operator (StringEquals needs a string…).
    ChoiceOperandType = "CHOICE_OPERAND_TYPE", Error, "SCHEMA_VALIDATION_FAILED";
    /// A nested Choice rule (inside And/Or/Not) has a `Next`, or a top-level rule lacks one.
    ChoiceNext = "CHOICE_RULE_NEXT", Error, "SCHEMA_VALIDATION_FAILED";
    /// A list that must not be empty is empty (Choices, Branches, ErrorEquals, And/Or).
    EmptyList = "EMPTY_LIST", Error, "SCHEMA_VALIDATION_FAILED";
    /// `States.ALL` must be alone in its ErrorEquals and in the last Retrier/Catcher.
    StatesAllPosition = "STATES_ALL_POSITION", Error, "SCHEMA_VALIDATION_FAILED";
    /// `BackoffRate` must be at least 1.0.
    InvalidBackoffRate = "INVALID_BACKOFF_RATE", Error, "SCHEMA_VALIDATION_FAILED";
    /// `MaxAttempts` must be an integer ≥ 0 (and at most 99999999).
    InvalidMaxAttempts = "INVALID_MAX_ATTEMPTS", Error, "SCHEMA_VALIDATION_FAILED";
    /// `IntervalSeconds` must be an integer ≥ 1 (and at most 99999999).
    InvalidIntervalSeconds = "INVALID_INTERVAL_SECONDS", Error, "SCHEMA_VALIDATION_FAILED";
    /// `MaxDelaySeconds` must be an integer from 1 to 31622400.
    InvalidMaxDelaySeconds = "INVALID_MAX_DELAY_SECONDS", Error, "SCHEMA_VALIDATION_FAILED";
    /// `JitterStrategy` must be FULL or NONE.
    InvalidJitterStrategy = "INVALID_JITTER_STRATEGY", Error, "SCHEMA_VALIDATION_FAILED";
    /// `TimeoutSeconds` / `HeartbeatSeconds` must be positive integers (at most 99999999).
    InvalidTimeout = "INVALID_TIMEOUT", Error, "SCHEMA_VALIDATION_FAILED";
    /// `HeartbeatSeconds` must be smaller than `TimeoutSeconds`.
    HeartbeatNotBelowTimeout = "HEARTBEAT_NOT_BELOW_TIMEOUT", Error, "SCHEMA_VALIDATION_FAILED";
    /// A Wait state needs exactly one of Seconds, SecondsPath, Timestamp, TimestampPath.
    WaitFieldCount = "WAIT_FIELD_COUNT", Error, "SCHEMA_VALIDATION_FAILED";
    /// `Seconds` of a Wait must be a non-negative integer (at most 99999999).
    InvalidWaitSeconds = "INVALID_WAIT_SECONDS", Error, "SCHEMA_VALIDATION_FAILED";
    /// A timestamp is not RFC 3339 (`2016-03-14T01:59:00Z`).
    InvalidTimestamp = "INVALID_TIMESTAMP", Error, "SCHEMA_VALIDATION_FAILED";
    /// `Resource` is not an ARN (or a URI AWS would accept).
    InvalidResource = "INVALID_RESOURCE", Error, "INVALID_RESOURCE";
    /// Map `Label`: at most 40 characters, no whitespace, brackets, wildcards, punctuation or
    /// control characters.
    InvalidLabelName = "INVALID_LABEL_NAME", Error, "INVALID_LABEL_NAME";
    /// `MaxConcurrency` must be an integer ≥ 0.
    InvalidMaxConcurrency = "INVALID_MAX_CONCURRENCY", Error, "SCHEMA_VALIDATION_FAILED";
    /// `ToleratedFailureCount` ≥ 0, `ToleratedFailurePercentage` from 0 to 100.
    InvalidToleratedFailure = "INVALID_TOLERATED_FAILURE", Error, "SCHEMA_VALIDATION_FAILED";
    /// An `Assign` variable name is invalid (empty, longer than 80 characters, a sub-path such as
    /// `x.y`, or not an identifier).
    InvalidVariableName = "INVALID_VARIABLE_NAME", Error, "SCHEMA_VALIDATION_FAILED";
    /// A state inside a Parallel branch or inline Map assigns a variable that an enclosing scope
    /// already assigns (AWS: "The variable name 'x' was already defined in a parent scope.").
    VariableRedefined = "VARIABLE_ALREADY_DEFINED", Error, "SCHEMA_VALIDATION_FAILED";
    /// A string looks like a path or intrinsic (`$.x`, `States.Format(…)`) but its key has no `.$`,
    /// so it is used as literal text.
    NoDollar = "NO_DOLLAR", Warning, "NO_DOLLAR";
    /// A field's value looks like a path but the field is not the `…Path` form (e.g. `Error` vs
    /// `ErrorPath`), so it is used as literal text.
    NoPath = "NO_PATH", Warning, "NO_PATH";
    /// A Pass `Result` has `.$` keys; Result is never evaluated (did you mean Parameters?).
    PassResultIsStatic = "PASS_RESULT_IS_STATIC", Warning, "PASS_RESULT_IS_STATIC";
    /// An Express workflow (or a Distributed Map's Express child) uses the `.sync` or
    /// `.waitForTaskToken` integration pattern, which only Standard workflows support.
    ExpressUnsupportedIntegration = "EXPRESS_UNSUPPORTED_INTEGRATION", Error, "SCHEMA_VALIDATION_FAILED";
    /// Lint: a state inside a loop or Map copies the whole state (`$`) into a document that grows
    /// with every pass, toward the 256 KiB payload limit.
    LintPayloadGrows = "PAYLOAD_GROWS_IN_LOOP", Warning, "";
    /// Lint (after a run): a state's output came within 50% of the 256 KiB payload limit.
    LintPayloadNearLimit = "PAYLOAD_NEAR_LIMIT", Warning, "";
    /// Lint: nested Retry policies multiply a task's worst-case number of attempts.
    LintRetryMultiplies = "RETRY_MULTIPLIES", Warning, "";
    /// Lint: a Lambda invoke retries on `States.ALL` or `Lambda.*`, on top of the function's own
    /// retries.
    LintLambdaRetryBroad = "LAMBDA_RETRY_BROAD", Warning, "";
    /// Lint: a Lambda invoke has no Retry for the transient Lambda service errors AWS recommends
    /// retrying.
    LintLambdaTransientRetry = "LAMBDA_TRANSIENT_RETRY_MISSING", Warning, "";
    /// Lint: a key that looks like a secret (password, token, apiKey…) has a literal value in the
    /// definition.
    LintSecretInDefinition = "SECRET_IN_DEFINITION", Warning, "";
    /// Lint (after a run): the execution input has a key that looks like a secret.
    LintSecretInInput = "SECRET_IN_INPUT", Warning, "";
    /// Lint (after a run): a Standard run made many billed state transitions.
    LintCostHotSpot = "COST_HOT_SPOT", Warning, "";
}

impl Code {
    /// The lints ([`crate::lint`]): advice, never errors, each silenced by its code.
    pub fn is_lint(self) -> bool {
        crate::lint::registry::info(self).is_some()
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One problem in a definition.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    /// JSON pointer (RFC 6901) of the offending value, e.g. `/States/Check/Choices/0/Next`; `""`
    /// for the whole document.
    pub pointer: String,
    /// Byte range in the source text.
    pub span: Span,
    /// 1-based line and column (in characters) of `span.start`.
    pub start: Position,
    /// 1-based line and column (in characters) of `span.end`.
    pub end: Position,
    /// A text edit that resolves the problem (lints' quick fixes), if there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
}

/// A quick fix: replace the bytes of `span` (empty to insert) with `replacement`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// What the edit does, for the editor's menu.
    pub title: String,
    pub span: Span,
    pub replacement: String,
}

impl Diagnostic {
    /// A diagnostic whose positions are not yet known ([`Diagnostic::locate`] fills them).
    pub fn new(
        code: Code,
        message: impl Into<String>,
        pointer: impl Into<String>,
        span: Span,
    ) -> Self {
        let unknown = Position { line: 0, column: 0 };
        Diagnostic {
            code,
            severity: code.severity(),
            message: message.into(),
            pointer: pointer.into(),
            span,
            start: unknown,
            end: unknown,
            fix: None,
        }
    }

    /// The same diagnostic with a quick fix.
    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    /// Whether this is one of the lints ([`crate::lint`]), which `allow` lists can silence.
    pub fn is_lint(&self) -> bool {
        self.code.is_lint()
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Fills `start`/`end` (character columns) from the text the span refers to.
    pub fn locate(&mut self, text: &str, index: &LineIndex) {
        self.start = index.position(text, self.span.start, Encoding::Chars);
        self.end = index.position(text, self.span.end, Encoding::Chars);
    }

    /// Start and end with columns in UTF-16 code units, for JavaScript editors.
    pub fn utf16_range(&self, text: &str, index: &LineIndex) -> (Position, Position) {
        (
            index.position(text, self.span.start, Encoding::Utf16),
            index.position(text, self.span.end, Encoding::Utf16),
        )
    }
}

impl fmt::Display for Diagnostic {
    /// `LINE:COL: error[CODE]: message` (the CLI prefixes the file name).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}[{}]: {}",
            self.start.line,
            self.start.column,
            self.severity.as_str(),
            self.code,
            self.message
        )
    }
}

/// Escapes one JSON pointer segment (RFC 6901: `~` → `~0`, `/` → `~1`).
pub fn pointer_segment(segment: &str) -> std::borrow::Cow<'_, str> {
    if segment.contains(['~', '/']) {
        segment.replace('~', "~0").replace('/', "~1").into()
    } else {
        segment.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_documented() {
        let mut names: Vec<_> = Code::ALL.iter().map(|c| c.as_str()).collect();
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(before, names.len(), "duplicate code names");
        for code in Code::ALL {
            assert!(!code.description().is_empty(), "{code} has no description");
            assert_eq!(Code::from_name(code.as_str()), Some(*code));
        }
    }

    #[test]
    fn pointer_segments_are_escaped() {
        assert_eq!(pointer_segment("a/b~c"), "a~1b~0c");
        assert_eq!(pointer_segment("plain"), "plain");
    }
}
