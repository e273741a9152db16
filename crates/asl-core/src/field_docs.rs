//! Field docs for editor hovers: each state type and each field, in one paragraph, with its
//! default and the AWS documentation page.
//!
//! Owns the table ([`DOCS`]), [`lookup`] (by where a field is: a state type, a Retrier, the
//! machine…), [`at_pointer`] (by a JSON pointer into a definition's text) and [`at_offset`] (by
//! the byte offset an editor's cursor is at). A unit test holds the table to the parser: every field the parser accepts in a
//! state of each type has an entry.
//!
//! Not owned here: what a field means to the engine ([`crate::parse`], [`crate::exec`]).

use serde::Serialize;

use crate::syntax::Node;

/// Where a field is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Scope {
    /// The top level of the definition.
    Machine,
    /// A Parallel branch or a Map's ItemProcessor / Iterator.
    Branch,
    /// A state of the given `Type` (`"*"`: any state type that allows the field).
    State(&'static str),
    Retrier,
    Catcher,
    ChoiceRule,
    ProcessorConfig,
}

/// One entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    pub scope: Scope,
    /// `None`: the doc of the state type itself.
    pub field: Option<&'static str>,
    pub doc: &'static str,
    pub default: Option<&'static str>,
    pub url: &'static str,
}

/// What a hover shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldDoc {
    /// The state's type when the pointer is in a state.
    pub state_type: Option<String>,
    pub field: Option<String>,
    pub doc: String,
    pub default: Option<String>,
    pub docs_url: String,
}

const DG: &str = "https://docs.aws.amazon.com/step-functions/latest/dg/";

macro_rules! url {
    ($page:literal) => {
        concat!(
            "https://docs.aws.amazon.com/step-functions/latest/dg/",
            $page
        )
    };
}

const IO: &str = url!("concepts-input-output-filtering.html");
const ERR: &str = url!("concepts-error-handling.html");
const STRUCT: &str = url!("amazon-states-language-state-machine-structure.html");
const COMMON: &str = url!("amazon-states-language-common-fields.html");
const VARS: &str = url!("workflow-variables.html");
const JSONATA: &str = url!("transforming-data.html");
const MAP: &str = url!("amazon-states-language-map-state.html");

const fn e(
    scope: Scope,
    field: Option<&'static str>,
    doc: &'static str,
    default: Option<&'static str>,
    url: &'static str,
) -> Entry {
    Entry {
        scope,
        field,
        doc,
        default,
        url,
    }
}

use Scope::{Branch, Catcher, ChoiceRule, Machine, ProcessorConfig, Retrier, State};

/// The table. `State("*")` entries apply to every state type that allows the field; a
/// type-specific entry wins over them.
pub const DOCS: &[Entry] = &[
    // The machine.
    e(
        Machine,
        Some("StartAt"),
        "The name of the state the execution starts in. It must name a state of this States object.",
        None,
        STRUCT,
    ),
    e(
        Machine,
        Some("States"),
        "The states of the machine, by name (unique across the whole machine, 1 to 80 characters). Execution starts at StartAt and follows Next until a state ends it.",
        None,
        STRUCT,
    ),
    e(
        Machine,
        Some("Comment"),
        "A description for people; Step Functions ignores it.",
        None,
        STRUCT,
    ),
    e(
        Machine,
        Some("Version"),
        "The version of the Amazon States Language the definition uses. Only \"1.0\" exists.",
        Some("\"1.0\""),
        STRUCT,
    ),
    e(
        Machine,
        Some("TimeoutSeconds"),
        "The longest the whole execution may run, in seconds; past it the execution ends TIMED_OUT with States.Timeout. The workflow type caps it anyway: one year for Standard, five minutes for Express.",
        Some("none (the workflow type's maximum)"),
        STRUCT,
    ),
    e(
        Machine,
        Some("QueryLanguage"),
        "JSONPath or JSONata: how every state writes its expressions, unless a state says otherwise (a state may switch JSONPath to JSONata, not back).",
        Some("\"JSONPath\""),
        JSONATA,
    ),
    // Branches and item processors.
    e(
        Branch,
        Some("StartAt"),
        "The state this branch (or each Map iteration) starts in.",
        None,
        STRUCT,
    ),
    e(
        Branch,
        Some("States"),
        "The states of this branch or item processor; they can only transition among themselves.",
        None,
        STRUCT,
    ),
    e(
        Branch,
        Some("Comment"),
        "A description for people; Step Functions ignores it.",
        None,
        STRUCT,
    ),
    e(
        Branch,
        Some("ProcessorConfig"),
        "How a Map runs its iterations: Mode INLINE (inside this execution, up to 40 at a time) or DISTRIBUTED (each iteration a child execution of its own ExecutionType).",
        Some("{\"Mode\": \"INLINE\"}"),
        MAP,
    ),
    e(
        ProcessorConfig,
        Some("Mode"),
        "INLINE runs iterations inside this execution (their events in its history); DISTRIBUTED runs each as a child execution, for large datasets (up to 10,000 in parallel).",
        Some("\"INLINE\""),
        MAP,
    ),
    e(
        ProcessorConfig,
        Some("ExecutionType"),
        "The workflow type of a Distributed Map's child executions: STANDARD or EXPRESS. EXPRESS children are priced per request and duration and cannot use .sync or .waitForTaskToken.",
        None,
        MAP,
    ),
    // State types.
    e(
        State("Pass"),
        None,
        "A Pass state passes its input to its output, optionally injecting fixed data (Result) or reshaping it (Parameters). Useful to build payloads and to stub states while you design.",
        None,
        url!("amazon-states-language-pass-state.html"),
    ),
    e(
        State("Task"),
        None,
        "A Task state does one unit of work: invokes a Lambda function, calls an AWS service through an integration (optimized, or any SDK API with arn:aws:states:::aws-sdk:…), waits for an activity, or calls an HTTPS endpoint. Its Resource says which.",
        None,
        url!("amazon-states-language-task-state.html"),
    ),
    e(
        State("Choice"),
        None,
        "A Choice state branches: it evaluates its Choices rules in order and goes to the Next of the first that matches, or to Default. It does no work and cannot End the execution itself.",
        None,
        url!("amazon-states-language-choice-state.html"),
    ),
    e(
        State("Wait"),
        None,
        "A Wait state pauses the execution for Seconds, or until a Timestamp (or the value at SecondsPath/TimestampPath). Standard workflows are not billed while waiting.",
        None,
        url!("amazon-states-language-wait-state.html"),
    ),
    e(
        State("Succeed"),
        None,
        "A Succeed state ends the execution (or its branch or Map iteration) successfully, with its input as output.",
        None,
        url!("amazon-states-language-succeed-state.html"),
    ),
    e(
        State("Fail"),
        None,
        "A Fail state ends the execution (or its branch) as failed, with an Error name and a Cause that a Catch around it can match.",
        None,
        url!("amazon-states-language-fail-state.html"),
    ),
    e(
        State("Parallel"),
        None,
        "A Parallel state runs its Branches at the same time on the same input and outputs an array of their outputs, in branch order. If any branch fails, the whole state fails (and may Retry or Catch).",
        None,
        url!("amazon-states-language-parallel-state.html"),
    ),
    e(
        State("Map"),
        None,
        "A Map state runs its ItemProcessor once per item of an array (ItemsPath, Items, or an ItemReader for S3 data) and outputs the array of results. INLINE mode runs up to 40 iterations at a time; DISTRIBUTED mode runs each as a child execution.",
        None,
        MAP,
    ),
    // Fields of any state.
    e(
        State("*"),
        Some("Type"),
        "The state type: Pass, Task, Choice, Wait, Succeed, Fail, Parallel or Map.",
        None,
        url!("amazon-states-language-states.html"),
    ),
    e(
        State("*"),
        Some("Comment"),
        "A description for people; Step Functions ignores it.",
        None,
        COMMON,
    ),
    e(
        State("*"),
        Some("QueryLanguage"),
        "JSONPath or JSONata for this state only (it may switch a JSONPath machine's state to JSONata, not the reverse).",
        Some("the machine's QueryLanguage"),
        JSONATA,
    ),
    e(
        State("*"),
        Some("Next"),
        "The name of the state to run next. A state needs either Next or \"End\": true.",
        None,
        COMMON,
    ),
    e(
        State("*"),
        Some("End"),
        "true makes this the last state of the execution (or of its branch or Map iteration).",
        Some("false"),
        COMMON,
    ),
    e(
        State("*"),
        Some("InputPath"),
        "JSONPath: selects the part of the state input the state works on; null gives it {}.",
        Some("\"$\" (the whole input)"),
        IO,
    ),
    e(
        State("*"),
        Some("OutputPath"),
        "JSONPath: selects the part of the state output passed on to the next state; null passes {}.",
        Some("\"$\" (everything)"),
        IO,
    ),
    e(
        State("*"),
        Some("Parameters"),
        "JSONPath: a payload template that builds the state's effective input (for a Task, the request). Keys ending in .$ take a path, context path ($$) or intrinsic function.",
        Some("the input after InputPath"),
        IO,
    ),
    e(
        State("*"),
        Some("ResultSelector"),
        "JSONPath: a payload template that reshapes the task's (or Map/Parallel's) result before ResultPath places it; keep only what you need here to keep payloads small.",
        Some("the whole result"),
        IO,
    ),
    e(
        State("*"),
        Some("ResultPath"),
        "JSONPath: where the result goes in the state input to form the output. \"$\" replaces the input with the result, \"$.x\" puts it beside the input, null discards it and passes the input through.",
        Some("\"$\""),
        IO,
    ),
    e(
        State("*"),
        Some("Retry"),
        "Retriers tried in order when the state fails with a matching error: the state runs again after IntervalSeconds × BackoffRate^n. Each retry is a billed state transition in Standard workflows, and Retry on a Parallel or Map reruns everything inside it.",
        Some("no retries"),
        ERR,
    ),
    e(
        State("*"),
        Some("Catch"),
        "Catchers tried in order once retries are exhausted: the first whose ErrorEquals matches sends the execution to its Next, with the error output ({Error, Cause}) placed by its ResultPath.",
        Some("the failure ends the execution"),
        ERR,
    ),
    e(
        State("*"),
        Some("Assign"),
        "Stores variables for later states ($name), evaluated on the state's input and result; the new values are visible from the next state on.",
        None,
        VARS,
    ),
    e(
        State("*"),
        Some("Output"),
        "JSONata: the state's output (an expression or a template with {% %} strings), evaluated last.",
        Some("the result (Task, Map, Parallel) or the input"),
        JSONATA,
    ),
    e(
        State("*"),
        Some("Arguments"),
        "JSONata: the request sent to the task (or the input of Parallel branches), an object or {% %} expression.",
        Some("the state input"),
        JSONATA,
    ),
    // Pass.
    e(
        State("Pass"),
        Some("Result"),
        "Fixed data used as the state's result (placed by ResultPath); paths in it are not evaluated.",
        Some("the input (after Parameters)"),
        url!("amazon-states-language-pass-state.html"),
    ),
    // Task.
    e(
        State("Task"),
        Some("Resource"),
        "What the task calls: an integration ARN (arn:aws:states:::service:action, with .sync to wait for a job or .waitForTaskToken for a callback — Standard only), a Lambda function ARN, or an activity ARN.",
        None,
        url!("amazon-states-language-task-state.html"),
    ),
    e(
        State("Task"),
        Some("TimeoutSeconds"),
        "The longest the task may run, counted from its start, before it fails with States.Timeout (AWS's guide gives 99999999 when unset; the ASL specification says 60).",
        Some("99999999 (AWS's developer guide)"),
        url!("amazon-states-language-task-state.html"),
    ),
    e(
        State("Task"),
        Some("TimeoutSecondsPath"),
        "JSONPath: reads TimeoutSeconds from the state input (a positive integer).",
        None,
        url!("amazon-states-language-task-state.html"),
    ),
    e(
        State("Task"),
        Some("HeartbeatSeconds"),
        "For activities and callbacks: the longest between heartbeats (SendTaskHeartbeat) before the task fails with States.HeartbeatTimeout. Must be less than TimeoutSeconds.",
        Some("none"),
        url!("amazon-states-language-task-state.html"),
    ),
    e(
        State("Task"),
        Some("HeartbeatSecondsPath"),
        "JSONPath: reads HeartbeatSeconds from the state input.",
        None,
        url!("amazon-states-language-task-state.html"),
    ),
    e(
        State("Task"),
        Some("Credentials"),
        "An IAM role (RoleArn) the task assumes, for cross-account calls.",
        Some("the state machine's execution role"),
        url!("amazon-states-language-task-state.html"),
    ),
    // Choice.
    e(
        State("Choice"),
        Some("Choices"),
        "Rules evaluated in order, each a comparison (Variable with StringEquals, NumericGreaterThan, IsPresent…) or And/Or/Not, with a Next; JSONata rules use Condition.",
        None,
        url!("amazon-states-language-choice-state.html"),
    ),
    e(
        State("Choice"),
        Some("Default"),
        "The state to go to when no rule matches. Without it, no match fails the execution with States.NoChoiceMatched.",
        Some("none: States.NoChoiceMatched"),
        url!("amazon-states-language-choice-state.html"),
    ),
    e(
        ChoiceRule,
        Some("Next"),
        "The state to go to when this rule matches (top-level rules only).",
        None,
        url!("amazon-states-language-choice-state.html"),
    ),
    // Wait.
    e(
        State("Wait"),
        Some("Seconds"),
        "How long to wait, in seconds (an integer, up to 99999999).",
        None,
        url!("amazon-states-language-wait-state.html"),
    ),
    e(
        State("Wait"),
        Some("SecondsPath"),
        "JSONPath: reads the seconds to wait from the state input.",
        None,
        url!("amazon-states-language-wait-state.html"),
    ),
    e(
        State("Wait"),
        Some("Timestamp"),
        "Wait until this RFC 3339 time (e.g. 2026-03-14T01:59:00Z); a time in the past does not wait.",
        None,
        url!("amazon-states-language-wait-state.html"),
    ),
    e(
        State("Wait"),
        Some("TimestampPath"),
        "JSONPath: reads the timestamp to wait until from the state input.",
        None,
        url!("amazon-states-language-wait-state.html"),
    ),
    // Fail.
    e(
        State("Fail"),
        Some("Error"),
        "The error name the execution fails with (what Catch and ErrorEquals match).",
        Some("none"),
        url!("amazon-states-language-fail-state.html"),
    ),
    e(
        State("Fail"),
        Some("ErrorPath"),
        "JSONPath or intrinsic: reads the error name from the state input.",
        None,
        url!("amazon-states-language-fail-state.html"),
    ),
    e(
        State("Fail"),
        Some("Cause"),
        "A human-readable explanation of the failure.",
        Some("none"),
        url!("amazon-states-language-fail-state.html"),
    ),
    e(
        State("Fail"),
        Some("CausePath"),
        "JSONPath or intrinsic: reads the cause from the state input.",
        None,
        url!("amazon-states-language-fail-state.html"),
    ),
    // Parallel.
    e(
        State("Parallel"),
        Some("Branches"),
        "The branches, each a small state machine (StartAt, States) that receives the state's input; the output is the array of their outputs.",
        None,
        url!("amazon-states-language-parallel-state.html"),
    ),
    // Map.
    e(
        State("Map"),
        Some("ItemProcessor"),
        "The states run for each item (StartAt, States) and, in ProcessorConfig, the Mode (INLINE or DISTRIBUTED) and child ExecutionType.",
        None,
        MAP,
    ),
    e(
        State("Map"),
        Some("Iterator"),
        "The older name of ItemProcessor (inline Maps only); prefer ItemProcessor.",
        None,
        MAP,
    ),
    e(
        State("Map"),
        Some("ItemsPath"),
        "JSONPath: where the array to iterate over is in the state input.",
        Some("\"$\""),
        MAP,
    ),
    e(
        State("Map"),
        Some("Items"),
        "JSONata: the array to iterate over (an array or {% %} expression).",
        Some("the state input"),
        MAP,
    ),
    e(
        State("Map"),
        Some("ItemSelector"),
        "A payload template building each iteration's input; $$.Map.Item.Value and $$.Map.Item.Index are the item and its index.",
        Some("the item"),
        MAP,
    ),
    e(
        State("Map"),
        Some("ItemReader"),
        "Distributed Map: reads the items from Amazon S3 (a JSON or CSV file, an S3 inventory, or the objects under a prefix).",
        None,
        MAP,
    ),
    e(
        State("Map"),
        Some("ItemBatcher"),
        "Distributed Map: groups items into batches (MaxItemsPerBatch, MaxInputBytesPerBatch) so each child execution processes several.",
        None,
        MAP,
    ),
    e(
        State("Map"),
        Some("ResultWriter"),
        "Distributed Map: writes the children's results to Amazon S3 instead of the state output (which would hit the 256 KiB limit).",
        None,
        MAP,
    ),
    e(
        State("Map"),
        Some("MaxConcurrency"),
        "The most iterations running at once; 0 means as many as possible (40 for INLINE, 10,000 for DISTRIBUTED).",
        Some("0"),
        MAP,
    ),
    e(
        State("Map"),
        Some("MaxConcurrencyPath"),
        "JSONPath: reads MaxConcurrency from the state input.",
        None,
        MAP,
    ),
    e(
        State("Map"),
        Some("ToleratedFailureCount"),
        "Distributed Map: how many failed items the Map Run tolerates before failing.",
        Some("0"),
        MAP,
    ),
    e(
        State("Map"),
        Some("ToleratedFailureCountPath"),
        "JSONPath: reads ToleratedFailureCount from the state input.",
        None,
        MAP,
    ),
    e(
        State("Map"),
        Some("ToleratedFailurePercentage"),
        "Distributed Map: the percentage of failed items the Map Run tolerates (0 to 100).",
        Some("0"),
        MAP,
    ),
    e(
        State("Map"),
        Some("ToleratedFailurePercentagePath"),
        "JSONPath: reads ToleratedFailurePercentage from the state input.",
        None,
        MAP,
    ),
    e(
        State("Map"),
        Some("Label"),
        "Distributed Map: a name for its child executions and Map Run (up to 40 characters).",
        Some("the state name"),
        MAP,
    ),
    // Retriers and catchers.
    e(
        Retrier,
        Some("ErrorEquals"),
        "The error names this retrier handles (e.g. Lambda.ServiceException, States.Timeout); States.ALL matches any and must be last.",
        None,
        ERR,
    ),
    e(
        Retrier,
        Some("IntervalSeconds"),
        "Seconds before the first retry.",
        Some("1"),
        ERR,
    ),
    e(
        Retrier,
        Some("MaxAttempts"),
        "How many retries at most (not counting the first attempt); 0 never retries.",
        Some("3"),
        ERR,
    ),
    e(
        Retrier,
        Some("BackoffRate"),
        "The multiplier of the interval after each retry (at least 1.0).",
        Some("2.0"),
        ERR,
    ),
    e(
        Retrier,
        Some("MaxDelaySeconds"),
        "The longest wait between retries, whatever the backoff.",
        Some("none"),
        ERR,
    ),
    e(
        Retrier,
        Some("JitterStrategy"),
        "FULL randomizes each wait between 0 and the computed interval, so many failing executions do not retry in lockstep; NONE waits exactly.",
        Some("\"NONE\""),
        ERR,
    ),
    e(
        Retrier,
        Some("Comment"),
        "A description for people; Step Functions ignores it.",
        None,
        ERR,
    ),
    e(
        Catcher,
        Some("ErrorEquals"),
        "The error names this catcher handles; States.ALL matches any and must be last.",
        None,
        ERR,
    ),
    e(
        Catcher,
        Some("Next"),
        "The state to go to when this catcher matches.",
        None,
        ERR,
    ),
    e(
        Catcher,
        Some("ResultPath"),
        "Where the error output ({Error, Cause}) goes in the state input to form the input of Next.",
        Some("\"$\" (the error replaces the input)"),
        ERR,
    ),
    e(
        Catcher,
        Some("Comment"),
        "A description for people; Step Functions ignores it.",
        None,
        ERR,
    ),
];

/// The entry for `field` in `scope` (`field: None`: the state type itself). A type-specific
/// entry wins over the `State("*")` one.
pub fn lookup(scope: Scope, field: Option<&str>) -> Option<&'static Entry> {
    let exact = DOCS.iter().find(|e| e.scope == scope && e.field == field);
    exact.or_else(|| match (scope, field) {
        (State(_), Some(f)) => DOCS
            .iter()
            .find(|e| e.scope == State("*") && e.field == Some(f)),
        (Catcher, Some("Assign" | "Output")) => lookup(State("*"), field),
        (ChoiceRule, Some("Assign" | "Output")) => lookup(State("*"), field),
        _ => None,
    })
}

fn static_type(t: &str) -> Option<&'static str> {
    crate::parse::STATE_TYPES.iter().copied().find(|s| *s == t)
}

fn unescape(seg: &str) -> String {
    seg.replace("~1", "/").replace("~0", "~")
}

/// The doc of what a JSON pointer (`/States/Fetch/Retry/0/MaxAttempts`) points at in a
/// definition's text: a state type (pointer to a state), or a field of the innermost object the
/// table knows (inside payload templates, the template's field).
pub fn at_pointer(text: &str, pointer: &str) -> Option<FieldDoc> {
    let root = crate::syntax::parse(text).ok()?;
    let segs: Vec<String> = pointer.split('/').skip(1).map(unescape).collect();
    // (scope of the object we are in, the last field found there, the state type).
    let mut node: &Node = &root;
    let mut scope = Machine;
    let mut found: Option<(Scope, Option<String>)> = None;
    let mut state_type: Option<&'static str> = None;
    let mut in_states = false;
    let mut list_of: Option<Scope> = None;
    for seg in &segs {
        let next = match &node.kind {
            crate::syntax::Kind::Object(_) => node.get(seg).map(|m| &m.value)?,
            crate::syntax::Kind::Array(items) => items.get(seg.parse::<usize>().ok()?)?,
            _ => return None,
        };
        if let Some(item_scope) = list_of.take() {
            // An element of Retry / Catch / Choices / Branches.
            scope = item_scope;
            node = next;
            continue;
        }
        if in_states {
            in_states = false;
            state_type = next
                .get("Type")
                .and_then(|t| t.value.as_str())
                .and_then(static_type);
            scope = State(state_type.unwrap_or("*"));
            found = Some((scope, None));
            node = next;
            continue;
        }
        if lookup(scope, Some(seg)).is_some() {
            found = Some((scope, Some(seg.clone())));
        }
        match (scope, seg.as_str()) {
            (Machine | Branch, "States") => in_states = true,
            (State(_), "Retry") => list_of = Some(Retrier),
            (State(_), "Catch") => list_of = Some(Catcher),
            (State(_), "Choices") => list_of = Some(ChoiceRule),
            (State(_), "Branches") => list_of = Some(Branch),
            (State(_), "ItemProcessor" | "Iterator") => scope = Branch,
            (Branch, "ProcessorConfig") => scope = ProcessorConfig,
            // Payload templates and other values: the field found so far is the answer.
            _ => {
                let (s, f) = found?;
                let e = lookup(s, f.as_deref())?;
                return Some(doc(e, state_type, f));
            }
        }
        node = next;
    }
    let (s, f) = found?;
    let e = lookup(s, f.as_deref())?;
    Some(doc(e, state_type, f))
}

/// The JSON pointer of the innermost key or value at byte `offset` of `root`'s text, and
/// whether the offset is on a key (`true`) or a value.
pub fn pointer_at(root: &Node, offset: u32) -> Option<(String, bool)> {
    let inside = |sp: crate::source::Span| sp.start <= offset && offset < sp.end.max(sp.start + 1);
    let mut node = root;
    let mut ptr = String::new();
    let mut on_key = false;
    if !inside(root.span) {
        return None;
    }
    loop {
        let next = match &node.kind {
            crate::syntax::Kind::Object(members) => members.iter().find_map(|m| {
                if inside(m.key_span) {
                    Some((m.key.clone(), &m.value, true))
                } else if inside(m.value.span) {
                    Some((m.key.clone(), &m.value, false))
                } else {
                    None
                }
            }),
            crate::syntax::Kind::Array(items) => items
                .iter()
                .enumerate()
                .find(|(_, n)| inside(n.span))
                .map(|(i, n)| (i.to_string(), n, false)),
            _ => None,
        };
        let Some((seg, child, key)) = next else {
            return Some((ptr, on_key));
        };
        ptr.push('/');
        ptr.push_str(&crate::diag::pointer_segment(&seg));
        on_key = key;
        if key {
            return Some((ptr, true));
        }
        node = child;
    }
}

/// The doc for what is at byte `offset` of a definition's text, as an editor hover asks: a
/// state's name or its `Type` value explain the state type; a key explains its field.
pub fn at_offset(text: &str, offset: u32) -> Option<FieldDoc> {
    let root = crate::syntax::parse(text).ok()?;
    let (ptr, on_key) = pointer_at(&root, offset)?;
    // The value of "Type": the state type itself.
    if !on_key && let Some(state) = ptr.strip_suffix("/Type") {
        return at_pointer(text, state);
    }
    at_pointer(text, &ptr)
}

fn doc(e: &Entry, state_type: Option<&str>, field: Option<String>) -> FieldDoc {
    FieldDoc {
        state_type: state_type.map(str::to_string),
        field,
        doc: e.doc.to_string(),
        default: e.default.map(str::to_string),
        docs_url: e.url.to_string(),
    }
}

/// The base of every docs link.
pub const DOCS_BASE: &str = DG;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_the_parser_knows_has_an_entry() {
        let mut missing = Vec::new();
        for ty in crate::parse::STATE_TYPES {
            if lookup(State(ty), None).is_none() {
                missing.push(format!("{ty} (the type)"));
            }
            let fields = crate::parse::state_fields(ty).expect("a known type");
            for f in fields {
                if lookup(State(ty), Some(f)).is_none() {
                    missing.push(format!("{ty}.{f}"));
                }
            }
        }
        assert!(missing.is_empty(), "fields without docs: {missing:?}");
        for e in DOCS {
            assert!(e.url.starts_with(DOCS_BASE), "{e:?}");
            assert!(!e.doc.is_empty());
        }
    }

    #[test]
    fn pointers_find_types_fields_and_nested_objects() {
        let text = r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
            "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 2}],
            "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "T",
              "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": "f"}, "End": true}}}}}}"#;
        let d = at_pointer(text, "/States/M").expect("state");
        assert_eq!(d.state_type.as_deref(), Some("Map"));
        assert!(d.field.is_none() && d.doc.starts_with("A Map state"));
        let d = at_pointer(text, "/States/M/Retry/0/MaxAttempts").expect("retrier");
        assert_eq!(d.default.as_deref(), Some("3"));
        let d = at_pointer(text, "/States/M/ItemProcessor/ProcessorConfig/Mode").expect("mode");
        assert_eq!(d.default.as_deref(), Some("\"INLINE\""));
        let d = at_pointer(text, "/States/M/ItemProcessor/States/T/Resource").expect("resource");
        assert_eq!(d.state_type.as_deref(), Some("Task"));
        assert!(d.doc.contains(".waitForTaskToken"));
        let d = at_pointer(
            text,
            "/States/M/ItemProcessor/States/T/Parameters/FunctionName",
        )
        .expect("inside a template");
        assert_eq!(d.field.as_deref(), Some("Parameters"));
        let d = at_pointer(text, "/StartAt").expect("machine");
        assert!(d.state_type.is_none());
        assert!(at_pointer(text, "/Nope").is_none());
        let at = |needle: &str| {
            let o = u32::try_from(text.find(needle).expect("in text")).expect("small") + 1;
            at_offset(text, o).expect("a doc")
        };
        assert_eq!(at("\"MaxAttempts\"").field.as_deref(), Some("MaxAttempts"));
        assert!(at("\"Task\"").doc.starts_with("A Task state"));
        assert!(at("\"T\": {").doc.starts_with("A Task state"));
        assert_eq!(at("\"FunctionName\"").field.as_deref(), Some("Parameters"));
        assert!(at_pointer("not json", "/StartAt").is_none());
    }
}
