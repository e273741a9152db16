//! Executions recorded on AWS, from JavaScript: `importHistory` (a [`Replay`] with the stepping,
//! overlay and inspector surface of `Execution`), `mocksFromHistory`, `compareHistory`,
//! `toMockConfig`, and the exporters (`exportHistory`, `toTestCase`) on both classes.
//!
//! Owns only the adaptation (text or objects in, plain JS objects out, errors as exceptions:
//! a malformed history throws an `Error` with `importError: {kind, message, document, line,
//! column}`, columns in UTF-16 units); reading, replaying, deriving and comparing are
//! `asl_core::recorded`'s.

use std::sync::Arc;

use asl_core::exec::{ExecOptions, Status, Step};
use asl_core::inspect::Breakpoints;
use asl_core::mock::Mocks;
use asl_core::model::StateMachine;
use asl_core::recorded::{self, ImportError, Recording};
use asl_core::source::{Encoding, LineIndex};
use asl_core::value::Value;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::js;
use crate::options::{self, RecordedOptions};

/// A history argument: JSON text (positions point into it) or an already parsed object.
fn history_text(history: JsValue) -> Result<String, JsValue> {
    match history.as_string() {
        Some(s) => Ok(s),
        None => Ok(js::from_js(history, "the history")?.to_json_pretty()),
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsImportError<'a> {
    kind: asl_core::recorded::ImportErrorKind,
    message: &'a str,
    document: &'a str,
    line: u32,
    column: u32,
}

fn import_error(text: &str, describe: Option<&str>, e: &ImportError) -> JsValue {
    let doc = if e.document == "describe" {
        describe.unwrap_or(text)
    } else {
        text
    };
    let pos = LineIndex::new(doc).position(doc, e.span.start, Encoding::Utf16);
    let data = JsImportError {
        kind: e.kind,
        message: &e.message,
        document: e.document,
        line: pos.line,
        column: pos.column,
    };
    let message = format!("{} {}:{}: {}", e.document, pos.line, pos.column, e.message);
    match js::to_js(&data) {
        Ok(d) => js::error_with(&message, "importError", d),
        Err(_) => js::error(&message),
    }
}

/// Definition + history (+ describe) → the machine and the recording.
fn read(
    definition: &str,
    history: JsValue,
    opts: &RecordedOptions,
) -> Result<(Arc<StateMachine>, Recording), JsValue> {
    let machine = crate::machine::load_valid(definition, &opts.load)?;
    let text = history_text(history)?;
    let rec = recorded::import(&machine, &text, opts.describe.as_deref())
        .map_err(|e| import_error(&text, opts.describe.as_deref(), &e))?;
    Ok((Arc::new(machine), rec))
}

fn mocks_out(
    machine: &StateMachine,
    rec: &Recording,
    opts: &RecordedOptions,
) -> Result<JsValue, JsValue> {
    let derived = recorded::mocks_from(machine, &rec.events);
    let value = if opts.mock_config {
        let name = opts
            .state_machine
            .clone()
            .unwrap_or_else(|| rec.names.state_machine_name.clone());
        let case = opts.test_case.as_deref().unwrap_or("Recorded");
        recorded::mock_config(machine, &derived, &name, case).to_value()
    } else {
        derived.mocks.to_value()
    };
    js::to_js(&value)
}

fn compare_out(
    machine: Arc<StateMachine>,
    rec: &Recording,
    mocks: JsValue,
    opts: &RecordedOptions,
) -> Result<JsValue, JsValue> {
    let mut exec = ExecOptions::default();
    if let Some(seed) = opts.seed {
        exec.env.seed = seed;
    }
    if mocks.is_undefined() || mocks.is_null() {
        // Each task answered as recorded for its iteration and attempt.
        return js::to_js(&recorded::compare_recorded(machine, rec, exec));
    }
    let mocks = {
        let v = js::from_js(mocks, "the mocks")?;
        let case = match (&opts.test_case, Mocks::is_mock_config(&v)) {
            (Some(c), _) => Some(c.clone()),
            (None, true) => Mocks::mock_config_cases(&v)
                .first()
                .map(|(_, c)| c.to_string()),
            (None, false) => None,
        };
        options::mocks(&v, case.as_deref(), opts.state_machine.as_deref())
            .map_err(|e| js::error(&e))?
    };
    exec.mocks = Arc::new(mocks);
    js::to_js(&recorded::compare_with(machine, rec, exec))
}

/// `mocksFromHistory(definition, history, {format?: "native" | "mock-config", stateMachine?,
/// testCase?, describe?, substitutions?, logicalId?, type?})`: every task's recorded result or
/// error in invocation order, as native mocks (`Execution.start`'s `mocks`) or a Step Functions
/// Local MockConfigFile.
#[wasm_bindgen(js_name = mocksFromHistory, unchecked_return_type = "object")]
pub fn mocks_from_history(
    definition: &str,
    #[wasm_bindgen(unchecked_param_type = "string | object")] history: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "RecordedOptions | null")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let opts = options::recorded_options(
        &js::from_js(options, "the options")?,
        "mocksFromHistory options",
        &["describe", "type", "format", "stateMachine", "testCase"],
    )
    .map_err(|e| js::error(&e))?;
    let (machine, rec) = read(definition, history, &opts)?;
    mocks_out(&machine, &rec, &opts)
}

/// `compareHistory(definition, history, mocks?, {describe?, testCase?, stateMachine?, seed?,
/// …})`: simulates the recorded input with the mocks (without them, each task answered as the
/// history records it for its Map iteration and attempt) and compares event by event: `{divergence: null | {kind, recordedEvent, simulatedEvent,
/// path, state, iterations, recorded, simulated, message}, recordedEvents, simulatedEvents,
/// matchedEvents, recordedStatus, simulatedStatus}`.
#[wasm_bindgen(js_name = compareHistory, unchecked_return_type = "Comparison")]
pub fn compare_history(
    definition: &str,
    #[wasm_bindgen(unchecked_param_type = "string | object")] history: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "object | null")] mocks: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "RecordedOptions | null")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let opts = options::recorded_options(
        &js::from_js(options, "the options")?,
        "compareHistory options",
        &["describe", "type", "stateMachine", "testCase", "seed"],
    )
    .map_err(|e| js::error(&e))?;
    let (machine, rec) = read(definition, history, &opts)?;
    compare_out(machine, &rec, mocks, &opts)
}

/// `toMockConfig(definition, mocks, {stateMachine?, testCase?})`: native mocks as a Step
/// Functions Local MockConfigFile with one test case (default names `StateMachine`, `Default`).
#[wasm_bindgen(js_name = toMockConfig, unchecked_return_type = "object")]
pub fn to_mock_config(
    definition: &str,
    #[wasm_bindgen(unchecked_param_type = "object")] mocks: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "RecordedOptions | null")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let opts = options::recorded_options(
        &js::from_js(options, "the options")?,
        "toMockConfig options",
        &["type", "stateMachine", "testCase"],
    )
    .map_err(|e| js::error(&e))?;
    let machine = crate::machine::load_valid(definition, &opts.load)?;
    let mocks =
        options::mocks(&js::from_js(mocks, "the mocks")?, None, None).map_err(|e| js::error(&e))?;
    let config = asl_core::mock::MockConfig::export(
        &machine,
        opts.state_machine.as_deref().unwrap_or("StateMachine"),
        opts.test_case.as_deref().unwrap_or("Default"),
        &mocks,
    );
    js::to_js(&config.to_value())
}

/// `{mockConfig, expect}`: an `asl test` case for a finished run (throws before the end).
pub(crate) fn test_case_js(
    machine: &StateMachine,
    input: &Value,
    mocks: &Mocks,
    status: &Status,
    options: JsValue,
) -> Result<JsValue, JsValue> {
    let opts = options::recorded_options(
        &js::from_js(options, "the options")?,
        "toTestCase options",
        &["stateMachine", "testCase"],
    )
    .map_err(|e| js::error(&e))?;
    let files = recorded::test_case(
        machine,
        opts.state_machine.as_deref().unwrap_or("StateMachine"),
        opts.test_case.as_deref().unwrap_or("Default"),
        input,
        mocks,
        status,
    )
    .ok_or_else(|| js::error("toTestCase: the run has not ended (run it to the end first)"))?;
    js::to_js(&files)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Info<'a> {
    shape: recorded::Shape,
    /// How the recording ends (AWS's word).
    status: &'static str,
    described_status: Option<&'a str>,
    input: &'a Value,
    start_time: Option<String>,
    execution_arn: String,
    state_machine_arn: String,
    role_arn: &'a str,
    warnings: &'a [String],
}

/// An execution recorded on AWS, stepped through like an `Execution` (no execution happens).
#[wasm_bindgen]
pub struct Replay {
    inner: recorded::Replay,
    breakpoints: Breakpoints,
    workflow_type: asl_core::WorkflowType,
    /// The definition's size, for the cost's Express memory estimate.
    definition_len: u64,
}

/// `importHistory(definition, history, {describe?, type?, substitutions?, logicalId?})`: reads
/// `aws stepfunctions get-execution-history` output (text or object; a bare event array or a
/// LocalStack conformance case also work), with `describe-execution`'s, into a `Replay` at its
/// start. Throws for an invalid definition (`diagnostics`) or a malformed history
/// (`importError`).
#[wasm_bindgen(js_name = importHistory)]
pub fn import_history(
    definition: &str,
    #[wasm_bindgen(unchecked_param_type = "string | object")] history: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "RecordedOptions | null")] options: JsValue,
) -> Result<Replay, JsValue> {
    let opts = options::recorded_options(
        &js::from_js(options, "the options")?,
        "importHistory options",
        &["describe", "type"],
    )
    .map_err(|e| js::error(&e))?;
    let (machine, rec) = read(definition, history, &opts)?;
    Ok(Replay {
        inner: recorded::Replay::new(machine, rec),
        breakpoints: Breakpoints::default(),
        workflow_type: opts.load.workflow_type,
        definition_len: definition.len() as u64,
    })
}

#[derive(Serialize)]
#[serde(tag = "status", rename_all = "SCREAMING_SNAKE_CASE")]
enum JsStatus<'a> {
    Aborted {
        error: Option<&'a str>,
        cause: Option<&'a str>,
    },
}

impl Replay {
    /// The core replay: its history is the recording, always there (for
    /// [`inspection_surface!`](crate::inspection::inspection_surface)).
    pub(crate) fn recorded(&mut self) -> &mut recorded::Replay {
        &mut self.inner
    }
}

#[wasm_bindgen]
impl Replay {
    /// Always true: this is a recording (an `Execution`'s is false).
    #[wasm_bindgen(getter, js_name = isRecorded)]
    pub fn is_recorded(&self) -> bool {
        true
    }

    /// `{shape, status, describedStatus, input, startTime, executionArn, stateMachineArn,
    /// roleArn, warnings}`: what the recording says about itself.
    #[wasm_bindgen(unchecked_return_type = "RecordingInfo")]
    pub fn info(&self) -> Result<JsValue, JsValue> {
        let rec = self.inner.recording();
        js::to_js(&Info {
            shape: rec.shape,
            status: rec.status(),
            described_status: rec.described_status.as_deref(),
            input: &rec.input,
            start_time: rec
                .start_time_ms
                .map(asl_core::exec::timestamp::format_millis),
            execution_arn: rec.names.execution_arn(),
            state_machine_arn: rec.names.state_machine_arn(),
            role_arn: &rec.names.role_arn,
            warnings: &rec.warnings,
        })
    }

    /// `cost({executionsPerMonth?, prices?}) → CostReport`: what this recorded run costs as
    /// Standard and as Express (the history up to the current event; `type` of the import
    /// options says which it ran as).
    #[wasm_bindgen(unchecked_return_type = "CostReport")]
    pub fn cost(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "CostOptions | null")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let (n, prices) = options::cost_options(&js::from_js(options, "the cost options")?)
            .map_err(|e| js::error(&e))?;
        js::to_js(&asl_core::cost::estimate(
            self.inner.machine(),
            self.inner.history(),
            self.inner.transitions(),
            self.workflow_type,
            self.definition_len,
            n,
            &prices,
        ))
    }

    /// Shows one more event and returns it; `null` at the end of the recording.
    #[wasm_bindgen(unchecked_return_type = "HistoryEvent | null")]
    pub fn step(&mut self) -> Result<JsValue, JsValue> {
        match self.inner.step() {
            Step::Event(_) => js::to_js(&self.inner.history().last()),
            _ => Ok(JsValue::NULL),
        }
    }

    /// To the end (or `budget` events on); returns `status()`.
    #[wasm_bindgen(unchecked_return_type = "ExecutionStatus")]
    pub fn run(&mut self, budget: Option<u32>) -> Result<JsValue, JsValue> {
        match budget {
            None => {
                self.inner.run();
            }
            Some(n) => {
                let target = self.inner.event_count().saturating_add(n);
                let end = self.inner.recorded().len() as u32;
                self.inner.seek(target.min(end));
            }
        }
        self.status()
    }

    pub fn back(&mut self) -> bool {
        self.inner.back()
    }

    pub fn seek(&mut self, #[wasm_bindgen(js_name = eventId)] event_id: u32) -> bool {
        self.inner.seek(event_id)
    }

    /// As `Execution.status()`, with `{status: "ABORTED", error, cause}` for an aborted
    /// recording.
    #[wasm_bindgen(unchecked_return_type = "ExecutionStatus")]
    pub fn status(&self) -> Result<JsValue, JsValue> {
        let status = self.inner.status();
        match (self.inner.aws_status(), &status) {
            ("ABORTED", Status::Failed { error, cause }) => js::to_js(&JsStatus::Aborted {
                error: error.as_deref(),
                cause: cause.as_deref(),
            }),
            _ => js::to_js(&status),
        }
    }

    /// The history up to the current event (AWS's shape plus `statePath`); with `afterId`,
    /// only the events after it.
    #[wasm_bindgen(unchecked_return_type = "HistoryEvent[]")]
    pub fn history(
        &self,
        #[wasm_bindgen(js_name = afterId)] after_id: Option<u32>,
    ) -> Result<JsValue, JsValue> {
        let events = self.inner.history();
        let from = after_id.map_or(0, |id| (id as usize).min(events.len()));
        js::to_js(&events[from..])
    }

    #[wasm_bindgen(js_name = eventCount)]
    pub fn event_count(&self) -> u32 {
        self.inner.event_count()
    }

    /// Events in the whole recording (the scrubber's end).
    #[wasm_bindgen(js_name = recordedCount)]
    pub fn recorded_count(&self) -> u32 {
        self.inner.recorded().len() as u32
    }

    #[wasm_bindgen(unchecked_return_type = "ActiveState[]")]
    pub fn position(&self) -> Result<JsValue, JsValue> {
        js::to_js(&self.inner.position())
    }

    /// Always empty: a recording has no task to answer.
    #[wasm_bindgen(unchecked_return_type = "PendingTask[]")]
    pub fn pending(&self) -> Result<JsValue, JsValue> {
        js::to_js::<[u8]>(&[])
    }

    /// `mocks({format?, stateMachine?, testCase?})`: the recording's mocks (see
    /// `mocksFromHistory`).
    #[wasm_bindgen(unchecked_return_type = "object")]
    pub fn mocks(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "RecordedOptions | null")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let opts = options::recorded_options(
            &js::from_js(options, "the options")?,
            "mocks options",
            &["format", "stateMachine", "testCase"],
        )
        .map_err(|e| js::error(&e))?;
        mocks_out(self.inner.machine(), self.inner.recording(), &opts)
    }

    /// `compare(mocks?, {seed?, testCase?, stateMachine?})`: see `compareHistory`.
    #[wasm_bindgen(unchecked_return_type = "Comparison")]
    pub fn compare(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "object | null")] mocks: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RecordedOptions | null")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let opts = options::recorded_options(
            &js::from_js(options, "the options")?,
            "compare options",
            &["stateMachine", "testCase", "seed"],
        )
        .map_err(|e| js::error(&e))?;
        compare_out(
            self.inner.machine().clone(),
            self.inner.recording(),
            mocks,
            &opts,
        )
    }

    /// The whole recording as `{events: [...]}` in GetExecutionHistory's shape (for a file).
    #[wasm_bindgen(js_name = exportHistory, unchecked_return_type = "{ events: HistoryEvent[] }")]
    pub fn export_history(&self) -> Result<JsValue, JsValue> {
        js::to_js(&recorded::history_json(self.inner.recorded()))
    }

    /// `toTestCase({stateMachine?, testCase?}) → {mockConfig, expect}`: the recording as an
    /// `asl test` case (its derived mocks, input and end).
    #[wasm_bindgen(js_name = toTestCase, unchecked_return_type = "TestCaseFiles")]
    pub fn to_test_case(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "RecordedOptions | null")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let rec = self.inner.recording();
        let mocks = recorded::mocks_from(self.inner.machine(), &rec.events).mocks;
        let mut end = self.inner.clone();
        let status = end.run();
        test_case_js(self.inner.machine(), &rec.input, &mocks, &status, options)
    }
}

crate::inspection::inspection_surface!(Replay);
