//! asl-wasm: ASL Playground's JavaScript API, for plain pages and documentation that embeds a live
//! diagram.
//!
//! A thin façade with no semantics of its own (the jaq-play / ruff_wasm pattern): [`validate`]
//! is `asl_core::load_with` (workflow type, lints) with UTF-16 positions, [`lint_info`] and
//! [`field_doc`] expose the lint registry and the field docs, [`render`] is
//! `asl_graph::render_svg`, [`machine::StateMachine`] loads a definition once for many runs, and
//! [`execution::Execution`] wraps `asl_core::exec::Execution` step for step, and
//! [`jsonata::evaluate_jsonata`] evaluates one JSONata expression, [`recorded`] imports
//! an execution recorded on AWS (`importHistory` → a `Replay` with `Execution`'s stepping
//! surface), derives its mocks, compares it with a simulation and exports histories, mock
//! files and `asl test` cases, and [`share`] reads and writes the playground's share links.
//! Modules: [`js`]
//! (values and errors across the boundary), [`diagnostics`] (positions for JS editors),
//! [`options`] (the option objects, parsed natively and tested with `cargo test`),
//! [`machine`] (the `StateMachine` class), [`execution`] (the `Execution` class), `on_task` and
//! `wire` (`onTask`'s JS function, its requests and answers in a binary form). `js/embed.js` turns `<pre class="asl">` blocks of a
//! page into diagrams.
//!
//! Every export returns errors as JS exceptions or values and never panics: a panic in wasm
//! traps and leaves the module unusable. The start function installs `console_error_panic_hook`,
//! which only prints a panic's message to the console (it hides nothing, so a bug stays visible).

pub mod diagnostics;
#[cfg(feature = "run")]
pub mod execution;
#[cfg(feature = "run")]
mod inspection;
pub mod js;
#[cfg(feature = "run")]
pub mod jsonata;
#[cfg(feature = "run")]
pub mod machine;
#[cfg(feature = "run")]
mod on_task;
pub mod options;
#[cfg(feature = "run")]
pub mod recorded;
#[cfg(feature = "run")]
pub mod share;
#[cfg(feature = "run")]
mod wire;

use serde::Serialize;
use wasm_bindgen::prelude::*;

use diagnostics::{JsDiagnostic, JsPlaceholder, JsSource};

/// Runs when the module is instantiated: panics reported, and the crossing's JS side given the
/// module's memory (it reads and writes values there, `js`).
#[wasm_bindgen(start, skip_typescript)]
fn instantiated() {
    console_error_panic_hook::set_once();
    js::set_memory(&wasm_bindgen::memory());
}

#[derive(Serialize)]
struct Validation {
    ok: bool,
    diagnostics: Vec<JsDiagnostic>,
    placeholders: Vec<JsPlaceholder>,
    source: JsSource,
}

/// `validate(text, {type?, allow?, lints?, substitutions?, logicalId?}) → {ok, diagnostics,
/// placeholders, source}`: parses and validates a definition (JSON, YAML, or a CloudFormation/SAM
/// template holding one) as the workflow `type` (STANDARD by default), with the definition lints
/// as warnings (their codes in `allow` silenced; `lints: false` turns them off). `ok` is false
/// when any diagnostic is an error (warnings alone leave it true). Never throws for any text;
/// throws for bad options.
#[wasm_bindgen(unchecked_return_type = "ValidateResult")]
pub fn validate(
    text: &str,
    #[wasm_bindgen(unchecked_optional_param_type = "ValidateOptions | null")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let load = options::validate_options(&js::from_js(options, "the validate options")?)
        .map_err(|e| js::error(&e))?;
    let loaded = asl_core::load_with(text, &load);
    let (placeholders, source) = diagnostics::extras_for_js(text, &loaded);
    js::to_js(&Validation {
        ok: !loaded.has_errors(),
        diagnostics: diagnostics::for_js(text, &loaded.diagnostics),
        placeholders,
        source,
    })
}

/// `lintInfo() → LintInfo[]`: every lint's code, title, one-paragraph explanation, AWS docs
/// link and whether it needs a run.
#[wasm_bindgen(js_name = lintInfo, unchecked_return_type = "LintInfo[]")]
pub fn lint_info() -> Result<JsValue, JsValue> {
    js::to_js(&asl_core::lint::registry::LINTS)
}

/// `fieldDoc(text, pointer) → FieldDoc | null`: the documentation of the state type or field at
/// a JSON pointer of the definition (`/States/Fetch/ResultPath`), for editor hovers.
#[wasm_bindgen(js_name = fieldDoc, unchecked_return_type = "FieldDoc | null")]
pub fn field_doc(text: &str, pointer: &str) -> Result<JsValue, JsValue> {
    js::to_js(&asl_core::field_docs::at_pointer(text, pointer))
}

/// `fieldDocAt(text, index) → FieldDoc | null`: the doc for what is at a JS string index
/// (UTF-16 units) of the definition: a key explains its field, a state's name or `Type` value
/// the state type.
#[wasm_bindgen(js_name = fieldDocAt, unchecked_return_type = "FieldDoc | null")]
pub fn field_doc_at(text: &str, index: u32) -> Result<JsValue, JsValue> {
    js::to_js(&asl_core::field_docs::at_offset(
        text,
        diagnostics::byte_offset(text, index),
    ))
}

#[derive(Serialize)]
struct Rendering {
    svg: Option<String>,
    diagnostics: Vec<JsDiagnostic>,
    placeholders: Vec<JsPlaceholder>,
    source: JsSource,
}

/// `render(text, {theme?, idPrefix?, substitutions?, logicalId?}) → {svg, diagnostics,
/// placeholders, source}`: the definition drawn as SVG (nodes carry `data-state="<state
/// path>"`). A definition with errors is drawn too, every state that could be read, the ones
/// with problems classed `has-error`/`has-warning` (messages in their `<title>`), a transition to
/// a missing state dangling; `svg` is `null` only when there is nothing to draw (not a
/// definition, or no state). Throws only for bad options.
#[wasm_bindgen(unchecked_return_type = "RenderResult")]
pub fn render(
    text: &str,
    #[wasm_bindgen(unchecked_optional_param_type = "RenderOptions | null")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let options = js::from_js(options, "the render options")?;
    let opts = options::render_options(&options).map_err(|e| js::error(&e))?;
    let load =
        options::load_options_of(&options, "render options", asl_core::LoadOptions::default())
            .map_err(|e| js::error(&e))?;
    let loaded = asl_core::load_with(text, &load);
    let (placeholders, source) = diagnostics::extras_for_js(text, &loaded);
    let drawable = loaded
        .machine
        .as_ref()
        .is_some_and(|m| !m.root.states.is_empty());
    let svg = if drawable {
        asl_graph::render_loaded(&loaded, &opts)
    } else {
        None
    };
    js::to_js(&Rendering {
        svg,
        diagnostics: diagnostics::for_js(text, &loaded.diagnostics),
        placeholders,
        source,
    })
}

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = r#"
export type WorkflowType = "STANDARD" | "EXPRESS";
/** A text edit (a lint's quick fix): replace the range (empty: insert) with `replacement`. */
export interface Fix { title: string; line: number; column: number; endLine: number; endColumn: number; replacement: string; }
export interface Diagnostic {
  code: string;
  severity: "error" | "warning";
  message: string;
  /** JSON pointer of the offending value, e.g. "/States/Check/Next". */
  pointer: string;
  /** 1-based; columns count UTF-16 code units (JS string indexes + 1). */
  line: number; column: number; endLine: number; endColumn: number;
  fix?: Fix;
}
export interface ValidateOptions extends SourceOptions {
  /** The workflow type the definition is checked as (default "STANDARD"). */
  type?: WorkflowType;
  /** Lint codes to silence, e.g. ["SECRET_IN_DEFINITION"]. */
  allow?: string[];
  /** Run the definition lints (default true). */
  lints?: boolean;
}
/** How to read a definition: values for template placeholders (`${Name}` → value, the shape of
 * CloudFormation's DefinitionSubstitutions) and, in a template, the state machine's logical id. */
export interface SourceOptions { substitutions?: Record<string, string | number | boolean>; logicalId?: string; }
/** A template placeholder left in the definition (no value given). */
export interface Placeholder {
  name: string;
  /** JSON pointer of the string holding it. */
  pointer: string;
  /** Whether the string is exactly the placeholder ("Resource": "${Arn}"). */
  whole: boolean;
  line: number; column: number; endLine: number; endColumn: number;
}
/** What the text was: JSON or YAML, a definition or a CloudFormation/SAM template. */
export interface Source {
  format: "json" | "yaml";
  template: boolean;
  /** A template's state machines, for a picker (line/column of the logical id). */
  stateMachines: { logicalId: string; resourceType: string; line: number; column: number }[];
  /** The state machine read (the first, unless `logicalId` chose another). */
  logicalId: string | null;
  /** SAM's DefinitionUri: the definition is in this file beside the template; load it with `substitutions`. */
  definitionUri: string | null;
  /** The literal values of the chosen state machine's DefinitionSubstitutions. */
  substitutions: Record<string, string>;
  /** Its other DefinitionSubstitutions, known at deploy time, with what they are made of ("${Fn.Arn}" for !GetAtt Fn.Arn). */
  deployTime: Record<string, string>;
}
export interface ValidateResult { ok: boolean; diagnostics: Diagnostic[]; placeholders: Placeholder[]; source: Source; }
export interface LintInfo { code: string; title: string; explanation: string; docsUrl: string; afterRun: boolean; }
export interface FieldDoc { stateType: string | null; field: string | null; doc: string; default: string | null; docsUrl: string; }
export interface Delivery {
  workflowType: WorkflowType; semantics: "exactly-once" | "at-least-once"; note: string;
  /** Express: tasks whose effect repeats if the execution runs twice (empty for Standard). */
  mustBeIdempotent: { state: string; resource: string }[];
}
export interface Prices {
  region: string; asOf: string;
  /** Standard: dollars per state transition. */
  perTransition: number; freeTransitionsPerMonth: number;
  /** Express: dollars per request, and [GB-hours in tier, dollars per GB-hour] tiers. */
  perRequest: number; gbHourTiers: [number, number][];
}
export interface CostOptions { executionsPerMonth?: number; prices?: Partial<Prices>; }
export interface Usage { billedTransitions: number; retries: number; durationMs: number; maxPayloadBytes: number; fanoutSteps: number; }
export interface Bill {
  workflowType: WorkflowType; transitions: number; billedDurationMs: number; billedMemoryMb: number; gbSeconds: number;
  executionUsd: number; childrenUsd: number; perRunUsd: number; monthlyUsd: number;
}
export interface CostReport {
  workflowType: WorkflowType; executionsPerMonth: number;
  usage: { execution: Usage; children: { mapState: string; executionType: WorkflowType; runs: Usage[] }[]; transitionsByState: [string, number][] };
  standard: Bill; express: Bill;
  /** Why this run could not be Express (over five minutes, .sync/.waitForTaskToken); null if it could. */
  expressBlocker: string | null;
  /** Monthly executions from which Express is cheaper; null: never, or Express not possible. */
  breakEvenExecutionsPerMonth: number | null;
  prices: Prices; notes: string[];
}
export interface LintOptions { allow?: string[]; }
export interface RenderOptions extends SourceOptions { theme?: "light" | "dark" | "auto"; idPrefix?: string; }
export interface RenderResult { svg: string | null; diagnostics: Diagnostic[]; placeholders: Placeholder[]; source: Source; }
/** `StateMachine.load`'s options: how the definition is read and its workflow type. */
export interface StateMachineOptions extends SourceOptions { type?: WorkflowType; }
/** `machine.start`'s options: `ExecutionOptions` less `type`, `substitutions` and `logicalId`. */
export type RunOptions = Omit<ExecutionOptions, "type" | "substitutions" | "logicalId">;
export interface ExecutionOptions extends SourceOptions {
  /** State name → {Return} | {Throw} | {"0": …, "1-2": …}, or a Step Functions Local MockConfigFile. */
  mocks?: object;
  /** The MockConfigFile test case (and its state machine, when the file has several). */
  testCase?: string; stateMachine?: string;
  /** Answers tasks from inside the run, one call per Task invocation, before mocks: return
   * `{output}` or `{error, cause?}` (synchronously), or `undefined` to leave the task to its mock
   * or to pause for `completeTask`. A throw fails the task (error: the exception's name). */
  onTask?: (request: TaskRequest) => TaskAnswer | undefined | null;
  seed?: number;
  /** Virtual start time: ms since the epoch or RFC 3339 text. Default 2024-01-01T00:00:00Z. */
  startTime?: number | string;
  /** State entries before the run fails with States.Runtime (default 100000; EXPRESS 500000). */
  maxTransitions?: number;
  /** Workflow type (default "STANDARD"): its limits (Standard: 25,000 history events, one year;
   * Express: five minutes, then TIMED_OUT with States.Timeout) and validation. */
  type?: WorkflowType;
}
/** `machine.withMocks`'s options: the MockConfigFile test case (and its state machine). */
export interface MockOptions { testCase?: string; stateMachine?: string; }
/** What an `onTask` function is asked: one Task invocation (retries included). */
export interface TaskRequest {
  state: string; resource: string;
  /** The effective request (after InputPath and Parameters/Arguments). */
  parameters: unknown;
  /** Map iteration indexes, outermost first. */
  iterations: number[];
  /** Retries of this state so far in this visit: 0 on the first attempt. */
  retryCount: number;
}
/** An event in the shape of AWS GetExecutionHistory, plus `statePath`. */
export interface HistoryEvent { id: number; previousEventId: number; timestamp: string; type: string; statePath?: string; [details: string]: unknown; }
export interface PendingTask { token: string; state: string; path: string; resource: string; parameters: unknown; iterations: number[]; }
export type ExecutionStatus =
  | { status: "RUNNING" }
  | { status: "PAUSED"; tasks: PendingTask[] }
  | { status: "SUCCEEDED"; output: unknown }
  | { status: "FAILED" | "TIMED_OUT" | "ABORTED"; error: string | null; cause: string | null };
export interface ActiveState { path: string; state: string; iterations: number[]; activity: string; }
export type TaskAnswer = { output: unknown } | { error: string; cause?: string };
export type TaskAnswerResult = "accepted" | { timedOut: { heartbeat: boolean } };
export type Mark = "active" | "succeeded" | "failed" | "caught" | "retrying";
export interface Overlay {
  /** The current event id; `elapsedMs` is virtual time since ExecutionStarted. */
  event: number; elapsedMs: number; status: "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED";
  states: { path: string; mark: Mark; visits: number; retries: number }[];
  edges: { from: string; to: string; count: number }[];
  maps: { path: string; total: number; succeeded: number; failed: number; aborted: number; running: number }[];
}
export interface Change { pointer: string; kind: "added" | "removed" | "changed"; }
/** One processing stage under AWS TestState's inspectionData names (afterInputPath, …). */
export interface Stage { name: string; field: string; expression: string | null; value: unknown; changes: Change[]; }
export interface Attempt {
  number: number; startedEvent: number; endedEvent: number | null;
  outcome: "running" | "succeeded" | "failed" | "timedOut";
  request: unknown; result: unknown; error: string | null; cause: string | null;
  retryIndex: number | null; retryBackoffIntervalSeconds: number | null;
}
/** TestState's errorDetails. */
export interface ErrorDetails { error: string | null; cause: string | null; retryIndex: number | null; retryBackoffIntervalSeconds: number | null; catchIndex: number | null; }
export interface Visit {
  path: string; state: string; stateType: string; iterations: number[]; number: number;
  enteredEvent: number; exitedEvent: number | null; lastEvent: number; enteredMs: number;
  outcome: "running" | "succeeded" | "caught" | "failed";
  input: unknown; output: unknown; outputBytes: number | null; payloadLimit: number;
  attempts: Attempt[]; stages: Stage[]; errorDetails: ErrorDetails | null;
  assignedVariables: Record<string, unknown> | null; mapSettings: Record<string, number> | null;
  /** The workflow variables visible on entry, and after the state's Assign. */
  variablesBefore: Record<string, unknown> | null; variablesAfter: Record<string, unknown> | null;
  /** `$$` as the state saw it. */
  context: unknown;
}
export interface Breakpoints { states?: string[]; errors?: string[]; }
/** `evaluateJsonata`'s result: JSONata's undefined is not JSON null. */
export type JsonataResult = { value: unknown } | { undefined: true };
export interface JsonataOptions {
  /** Nested evaluations allowed (default 500), then a U1001 error. */
  maxDepth?: number;
  /** Evaluation steps allowed (default 50,000,000), then a U1001 error. */
  maxSteps?: number;
  /** `$now()`/`$millis()`: ms since the epoch (default 2024-01-01T00:00:00Z). */
  now?: number;
  /** Seed of `$random()`, `$shuffle` and `$uuid()`. */
  seed?: number;
}
/** What `evaluateJsonata` throws for a JSONata error. */
export interface JsonataError extends Error {
  /** JSONata's code, e.g. "S0202", "T2001", "U1001". */
  code: string;
  /** JS string index (UTF-16 units) in the expression, when known. */
  position?: number;
  token?: string;
}
export type RunStop = { stop: "hit"; event: number } | { stop: "budget" | "paused" | "finished" };
/** Options of importHistory, mocksFromHistory, compareHistory, toMockConfig, toTestCase (each reads its own). */
export interface RecordedOptions extends SourceOptions {
  /** `aws stepfunctions describe-execution` output (text or object): the input, the ARNs. */
  describe?: string | object;
  type?: WorkflowType;
  /** Mocks as "native" (Execution.start's `mocks`, default) or a Step Functions Local "mock-config". */
  format?: "native" | "mock-config";
  /** MockConfigFile names (defaults: the recorded state machine's / "Recorded"; toMockConfig, toTestCase: "StateMachine" / "Default"). */
  stateMachine?: string; testCase?: string;
  seed?: number;
}
/** What a malformed history throws: an Error with `importError`. */
export interface ImportError {
  kind: "syntax" | "notAHistory" | "badEvent" | "unknownEventType" | "badTimestamp" | "badEventId";
  message: string; document: "history" | "describe";
  /** 1-based; columns in UTF-16 code units. */
  line: number; column: number;
}
export interface RecordingInfo {
  shape: "getExecutionHistory" | "eventsArray" | "localStackCase";
  status: "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED";
  describedStatus: string | null; input: unknown; startTime: string | null;
  executionArn: string; stateMachineArn: string; roleArn: string; warnings: string[];
}
export interface Divergence {
  kind: "state" | "type" | "input" | "output" | "variables" | "error" | "cause" | "missing" | "extra";
  /** Event ids (1-based) in the recording and in the simulation, where there is one. */
  recordedEvent: number | null; simulatedEvent: number | null;
  /** The state to mark on the graph (its path, as `data-state`) and its name. */
  path: string | null; state: string | null; iterations: number[];
  recorded: unknown; simulated: unknown; message: string;
}
export interface Comparison {
  divergence: Divergence | null;
  recordedEvents: number; simulatedEvents: number; matchedEvents: number;
  recordedStatus: string; simulatedStatus: string;
}
/** An `asl test` case: `asl test MOCKCONFIG --definition FILE --expect EXPECT`. */
export interface TestCaseFiles { mockConfig: object; expect: Record<string, { status: string; output?: unknown; error?: string; cause?: string; input: unknown }>; }
"#;
