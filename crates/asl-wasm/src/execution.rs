//! The `Execution` class: one run of a state machine, driven from JavaScript.
//!
//! Owns only the adaptation of `asl_core::exec::Execution` (start from text or from a loaded
//! [`StateMachine`](crate::machine::StateMachine), values as plain JS objects, errors as
//! exceptions); stepping, going back, pausing on unmocked tasks and every
//! semantic rule are the core's. `run(budget)` bounds the work of one call so a page can run a
//! long execution a slice per animation frame instead of blocking. The stepper's views
//! (`overlay`, `visits`, breakpoints, stepping by state) are `asl_core::inspect`'s.
//!
//! The history is recorded when first asked for, not during the run: an execution starts with
//! none (its answers kept) and [`Execution::recorded`] replays it with the history and stages
//! when a method reads or steps through them (`history`, `step`, `back`, `visits`, …). Most
//! callers run and read the output; recording every event and every state's intermediate
//! values was about half of such a run's work (`benches/README.md`, §12). The replay costs
//! about the run again, so a machine whose last execution had its history read starts the next
//! one recording ([`Loaded::reads_history`]): a caller reading every run's history pays the
//! replay once, a caller stepping pays nothing (the first step records from event 0).

use std::rc::Rc;

use asl_core::exec::{ExecOptions, Execution as CoreExecution, Step};
use asl_core::inspect::Breakpoints;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::machine::Loaded;
use crate::{js, on_task, options};

/// One execution of a state machine, stepped forward and back with a recorded history; tasks
/// without a mock pause it until `completeTask`.
#[wasm_bindgen]
pub struct Execution {
    inner: CoreExecution,
    breakpoints: Breakpoints,
    /// The definition it runs: its text (for the lints' positions and the cost's definition
    /// size), workflow type and how it was read (the lints read it alike).
    machine: Rc<Loaded>,
    input: asl_core::value::Value,
    /// Whether the history, once recorded, has every state's intermediate values.
    stages: bool,
    /// Whether a method read or moved through the history (for [`Loaded::reads_history`]).
    history_read: bool,
    /// The `onTask` function of the start options, registered while this execution lives.
    _on_task: Option<on_task::Registration>,
}

/// `free()` (or the garbage collector): the history's storage goes back to the machine for its
/// next start ([`Loaded::spare_history`]).
impl Drop for Execution {
    fn drop(&mut self) {
        self.machine.reads_history.set(self.history_read);
        self.machine
            .keep_history_storage(self.inner.take_history_storage());
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DeliveryJs {
    workflow_type: asl_core::WorkflowType,
    semantics: &'static str,
    note: &'static str,
    /// Express: the tasks whose effect repeats if the execution runs twice.
    must_be_idempotent: Vec<asl_core::workflow::RepeatRisk>,
}

#[wasm_bindgen]
impl Execution {
    /// `Execution.start(definition, input, options?)`: loads the definition and starts an
    /// execution (no event yet). Throws an `Error` whose `diagnostics` property lists the problems
    /// of an invalid definition, or whose message says what is wrong with the input or options.
    pub fn start(
        definition: &str,
        #[wasm_bindgen(unchecked_optional_param_type = "unknown")] input: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ExecutionOptions | null")] options: JsValue,
    ) -> Result<Execution, JsValue> {
        let (options, on_task) = js::split_on_task(options)?;
        let options = js::from_js(options, "the options")?;
        let opts = options::exec_options(&options).map_err(|e| js::error(&e))?;
        let load = options::load_options_of(
            &options,
            "Execution options",
            asl_core::LoadOptions {
                workflow_type: opts.workflow_type,
                ..asl_core::LoadOptions::default()
            },
        )
        .map_err(|e| js::error(&e))?;
        let machine = Loaded::new(definition, opts.workflow_type, load)?;
        Execution::begin(Rc::new(machine), input, opts.exec, on_task)
    }

    /// A run of a loaded machine: `undefined` input is "no input" (AWS's default `{}`); `null`
    /// is the JSON value null. `on_task` answers tasks from inside the run ([`on_task`]).
    pub(crate) fn begin(
        machine: Rc<Loaded>,
        input: JsValue,
        mut exec: ExecOptions,
        on_task: Option<js_sys::Function>,
    ) -> Result<Execution, JsValue> {
        let input = if input.is_undefined() {
            None
        } else {
            Some(js::from_js(input, "the input")?)
        };
        let input = options::input(input);
        let registration = on_task.map(|f| {
            let (registration, handler) = on_task::register(f);
            exec.task_handler = Some(handler);
            registration
        });
        // Recorded when first read ([`Execution::recorded`]), unless the machine's last
        // execution had its history read.
        let stages = exec.record_history && exec.record_stages;
        if !machine.reads_history.get() {
            exec.keep_answers = true;
            exec.record_history = false;
            exec.record_stages = false;
        }
        Ok(Execution {
            inner: machine
                .prepared
                .start_in(input.clone(), exec, machine.spare_history.take()),
            breakpoints: Breakpoints::default(),
            machine,
            input,
            stages,
            history_read: false,
            _on_task: registration,
        })
    }

    /// The core execution with its history recorded: the first call replays the run so far
    /// with it (into the machine's spare storage); later calls cost nothing.
    pub(crate) fn recorded(&mut self) -> &mut CoreExecution {
        self.history_read = true;
        self.machine.reads_history.set(true);
        if !self.inner.records_history() {
            self.inner
                .record_from_start(self.machine.spare_history.take(), self.stages);
        }
        &mut self.inner
    }

    /// `delivery() → {workflowType, semantics, note, mustBeIdempotent}`: exactly-once (Standard)
    /// or at-least-once (Express, with the tasks whose effect would repeat), for the run summary.
    #[wasm_bindgen(unchecked_return_type = "Delivery")]
    pub fn delivery(&self) -> Result<JsValue, JsValue> {
        let d = self.machine.workflow_type.delivery();
        let must_be_idempotent = match self.machine.workflow_type {
            asl_core::WorkflowType::Express => {
                asl_core::workflow::repeat_sensitive_tasks(self.inner.machine())
            }
            asl_core::WorkflowType::Standard => Vec::new(),
        };
        js::to_js(&DeliveryJs {
            workflow_type: self.machine.workflow_type,
            semantics: d.semantics,
            note: d.note,
            must_be_idempotent,
        })
    }

    /// `cost({executionsPerMonth?, prices?}) → CostReport`: this run's bill as Standard and as
    /// Express, for one run and N a month, with the break-even volume (from the history so far;
    /// call it when the run has finished).
    #[wasm_bindgen(unchecked_return_type = "CostReport")]
    pub fn cost(
        &mut self,
        #[wasm_bindgen(unchecked_optional_param_type = "CostOptions | null")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let (n, prices) = options::cost_options(&js::from_js(options, "the cost options")?)
            .map_err(|e| js::error(&e))?;
        self.recorded();
        js::to_js(&asl_core::cost::estimate(
            self.inner.machine(),
            self.inner.history(),
            self.inner.transitions(),
            self.machine.workflow_type,
            self.machine.definition.len() as u64,
            n,
            &prices,
        ))
    }

    /// `lints({allow?}) → Diagnostic[]`: the definition's lints and the run's (payload near
    /// 256 KiB, secrets in the input, cost hot spots), positioned in the definition.
    #[wasm_bindgen(unchecked_return_type = "Diagnostic[]")]
    pub fn lints(
        &mut self,
        #[wasm_bindgen(unchecked_optional_param_type = "LintOptions | null")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let lint = options::lint_options(
            &js::from_js(options, "the lint options")?,
            self.machine.workflow_type,
        )
        .map_err(|e| js::error(&e))?;
        self.recorded();
        js::to_js(&crate::diagnostics::for_js(
            &self.machine.definition,
            &asl_core::lint::all_lints(
                &self.machine.definition,
                &self.inner,
                &self.input,
                &asl_core::LoadOptions {
                    lint,
                    ..self.machine.load.clone()
                },
            ),
        ))
    }

    /// Advances by exactly one history event and returns it, or `null` when nothing can happen
    /// (the execution has ended, or waits for `completeTask`: see `status()`).
    #[wasm_bindgen(unchecked_return_type = "HistoryEvent | null")]
    pub fn step(&mut self) -> Result<JsValue, JsValue> {
        let inner = self.recorded();
        match inner.step() {
            Step::Event(_) => js::to_js(&inner.history().last()),
            Step::Paused | Step::Finished => Ok(JsValue::NULL),
        }
    }

    /// Runs to the end, to a task without a mock, or (with `budget`) for at most that many events;
    /// returns `status()`.
    #[wasm_bindgen(unchecked_return_type = "ExecutionStatus")]
    pub fn run(&mut self, budget: Option<u32>) -> Result<JsValue, JsValue> {
        match budget {
            None => {
                self.inner.run();
            }
            Some(n) => {
                for _ in 0..n {
                    if !matches!(self.inner.step(), Step::Event(_)) {
                        break;
                    }
                }
            }
        }
        self.status()
    }

    /// Always false: this run is simulated (a `Replay` from `importHistory` is true).
    #[wasm_bindgen(getter, js_name = isRecorded)]
    pub fn is_recorded(&self) -> bool {
        false
    }

    /// The history so far as `{events: [...]}` in GetExecutionHistory's shape (AWS's fields
    /// only), for a file `importHistory` and the AWS tools read.
    #[wasm_bindgen(js_name = exportHistory, unchecked_return_type = "{ events: HistoryEvent[] }")]
    pub fn export_history(&mut self) -> Result<JsValue, JsValue> {
        js::to_js(&asl_core::recorded::history_json(self.recorded().history()))
    }

    /// `toTestCase({stateMachine?, testCase?}) → {mockConfig, expect}`: this finished run (its
    /// input, mocks and end) as an `asl test` case: `asl test MOCKCONFIG --definition FILE
    /// --expect EXPECT`. Throws before the run has ended.
    #[wasm_bindgen(js_name = toTestCase, unchecked_return_type = "TestCaseFiles")]
    pub fn to_test_case(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "RecordedOptions | null")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        crate::recorded::test_case_js(
            self.inner.machine(),
            &self.input,
            &self.inner.options().mocks,
            &self.inner.status(),
            options,
        )
    }

    /// Goes back one event; false at the start.
    pub fn back(&mut self) -> bool {
        self.recorded().back()
    }

    /// Moves to just after event `eventId` (0 = before `ExecutionStarted`), back or forward; false
    /// when that event is never reached.
    pub fn seek(&mut self, #[wasm_bindgen(js_name = eventId)] event_id: u32) -> bool {
        self.recorded().seek(event_id)
    }

    /// `{status: "RUNNING" | "PAUSED" | "SUCCEEDED" | "FAILED" | "TIMED_OUT", …}` with `output`,
    /// `error`/`cause` or the paused `tasks`.
    #[wasm_bindgen(unchecked_return_type = "ExecutionStatus")]
    pub fn status(&self) -> Result<JsValue, JsValue> {
        js::status_to_js(&self.inner.status())
    }

    /// The history up to the current event in AWS's `GetExecutionHistory` shape (`input`/`output`
    /// are JSON text, as AWS gives them); with `afterId`, only the events after that id.
    #[wasm_bindgen(unchecked_return_type = "HistoryEvent[]")]
    pub fn history(
        &mut self,
        #[wasm_bindgen(js_name = afterId)] after_id: Option<u32>,
    ) -> Result<JsValue, JsValue> {
        let events = self.recorded().history();
        let from = after_id.map_or(0, |id| (id as usize).min(events.len()));
        js::to_js(&events[from..])
    }

    /// Events so far (the id of the last one): cheaper than `history().length`.
    #[wasm_bindgen(js_name = eventCount)]
    pub fn event_count(&self) -> u32 {
        self.inner.event_count()
    }

    /// The active states (top level, Parallel branches, Map iterations).
    #[wasm_bindgen(unchecked_return_type = "ActiveState[]")]
    pub fn position(&self) -> Result<JsValue, JsValue> {
        js::to_js(&self.inner.position())
    }

    /// Tasks waiting for `completeTask` (Task states without a mock).
    #[wasm_bindgen(unchecked_return_type = "PendingTask[]")]
    pub fn pending(&self) -> Result<JsValue, JsValue> {
        js::to_js(self.inner.pending())
    }

    /// Answers a paused task with `{output}` (its raw result) or `{error, cause?}` (it failed).
    /// Throws for an unknown token or a malformed answer.
    #[wasm_bindgen(js_name = completeTask)]
    pub fn complete_task(
        &mut self,
        token: &str,
        #[wasm_bindgen(unchecked_param_type = "TaskAnswer")] answer: JsValue,
    ) -> Result<(), JsValue> {
        let answer = options::task_answer(&js::from_js(answer, "the task answer")?)
            .map_err(|e| js::error(&e))?;
        self.inner
            .complete_task(token, answer)
            .map_err(|e| js::error(&e.to_string()))
    }

    /// A heartbeat for a paused `.waitForTaskToken` task, `afterMs` virtual ms into its wait;
    /// returns `"accepted"` or `"timedOut"` (a deadline passed first).
    #[wasm_bindgen(js_name = sendHeartbeat, unchecked_return_type = "TaskAnswerResult")]
    pub fn send_heartbeat(
        &mut self,
        token: &str,
        #[wasm_bindgen(js_name = afterMs)] after_ms: Option<f64>,
    ) -> Result<JsValue, JsValue> {
        // A heartbeat is not kept as answers are: the history is recorded before it, so the
        // replay that records it never has to reproduce one.
        let answer = self
            .recorded()
            .send_heartbeat(token, after_ms.map_or(0, |ms| ms.max(0.0) as u64))
            .map_err(|e| js::error(&e.to_string()))?;
        js::to_js(&answer)
    }

    /// No answer will come: the paused task times out at its `TimeoutSeconds` or
    /// `HeartbeatSeconds` in virtual time. Throws when it has neither.
    #[wasm_bindgen(js_name = expireTask, unchecked_return_type = "TaskAnswerResult")]
    pub fn expire_task(&mut self, token: &str) -> Result<JsValue, JsValue> {
        let answer = self
            .inner
            .expire_task(token)
            .map_err(|e| js::error(&e.to_string()))?;
        js::to_js(&answer)
    }
}

crate::inspection::inspection_surface!(Execution);
