//! The stepper session: one asl-core `Execution` the page moves through (or the `Replay` of an
//! execution recorded on AWS: see [`super::driver`]), and the view data each move produces (the overlay for the graph, the cursor and range for the scrubber, the status,
//! the paused tasks). Every rule (what a step is, what a state's mark is, what a breakpoint
//! hits, the stages of a visit) is asl-core's (`exec`, `inspect`); this module only adapts it
//! to what the components show.

use std::sync::Arc;

use asl_core::cost::{self, CostReport, Prices};
use asl_core::exec::{
    ExecOptions, Execution, PendingTask, RunStop, Status, TaskAnswer, TaskResult,
};
use asl_core::inspect::{Breakpoints, Overlay, OverlayBuilder, Timeline, TimelineMark, Visit};
use asl_core::model::StateMachine;
use asl_core::value::Value;
use asl_core::workflow::WorkflowType;

use super::driver::Driver;
use super::{Diagnostic, EventRow, RunView, Settings, event_row, read_mocks, view_diagnostics};

/// A running (or finished) execution with its breakpoints.
pub struct Session {
    exec: Driver,
    input: Value,
    workflow_type: WorkflowType,
    pub breakpoints: Breakpoints,
    /// The scrubber's marks of the recorded events, extended as more are recorded.
    timeline: Timeline,
    marks: Arc<Vec<TimelineMark>>,
    /// The overlay up to the cursor, extended as the cursor moves on (rebuilt after going back
    /// or following another iteration), so a long run costs O(new events) per frame.
    overlay: OverlayBuilder,
}

/// What the page shows after a move.
#[derive(Clone, Debug, PartialEq)]
pub struct StepView {
    /// The current event (0: before the first).
    pub event: u32,
    /// Events recorded so far (the scrubber's end; after stepping back, the future stays).
    pub recorded: u32,
    pub finished: bool,
    pub overlay: Overlay,
    pub marks: Arc<Vec<TimelineMark>>,
    pub pending: Vec<PendingTask>,
    /// Status, output, error for the Output tab.
    pub run: RunView,
    /// A replay of an execution recorded on AWS, not a simulation.
    pub recorded_on_aws: bool,
}

impl Session {
    /// Starts an execution (no event yet) of the machine on the input text with the mocks text.
    pub fn start(
        machine: Arc<StateMachine>,
        input: &str,
        mocks: &str,
        workflow_type: WorkflowType,
    ) -> Result<Session, RunView> {
        crate::recovery::trip(input);
        let input = match Value::parse(if input.trim().is_empty() { "{}" } else { input }) {
            Ok(v) => v,
            Err(e) => {
                return Err(RunView::invalid(
                    "input",
                    format!("The input is not JSON: {e}"),
                ));
            }
        };
        let mocks = read_mocks(mocks)
            .map_err(|e| RunView::invalid("mocks", format!("The mocks are not valid: {e}")))?;
        let options = ExecOptions {
            mocks: Arc::new(mocks),
            // The type's quotas: Standard's 25,000 events and a year, Express's five minutes.
            limits: workflow_type.run_limits(None),
            ..ExecOptions::default()
        };
        Ok(Session {
            exec: Driver::Simulated(Box::new(Execution::start(machine, input.clone(), options))),
            input,
            workflow_type,
            breakpoints: Breakpoints::default(),
            timeline: Timeline::default(),
            marks: Arc::new(Vec::new()),
            overlay: OverlayBuilder::new(None),
        })
    }

    /// A session that replays an execution recorded on AWS (nothing is executed).
    pub fn replay(
        machine: Arc<StateMachine>,
        recording: asl_core::recorded::Recording,
        workflow_type: WorkflowType,
    ) -> Session {
        Session {
            input: recording.input.clone(),
            exec: Driver::Recorded(asl_core::recorded::Replay::new(machine, recording)),
            workflow_type,
            breakpoints: Breakpoints::default(),
            timeline: Timeline::default(),
            marks: Arc::new(Vec::new()),
            overlay: OverlayBuilder::new(None),
        }
    }

    pub fn machine(&self) -> &Arc<StateMachine> {
        self.exec.machine()
    }

    /// The recording a replay shows.
    pub fn recording(&self) -> Option<&asl_core::recorded::Recording> {
        self.exec.recording()
    }

    pub fn step(&mut self) -> bool {
        matches!(self.exec.step(), asl_core::exec::Step::Event(_))
    }

    pub fn back(&mut self) -> bool {
        self.exec.back()
    }

    pub fn step_state(&mut self) -> RunStop {
        self.exec.step_state(u32::MAX)
    }

    pub fn back_state(&mut self) -> bool {
        self.exec.back_state()
    }

    /// Seeks to an event (forward steps as needed).
    pub fn seek(&mut self, event: u32) -> bool {
        self.exec.seek(event)
    }

    /// Runs at most `budget` events, stopping at a breakpoint (not on the event it starts at).
    pub fn run_slice(&mut self, budget: u32) -> RunStop {
        let bp = &self.breakpoints;
        self.exec.run_until(budget, |ev| bp.hit(ev))
    }

    /// Answers a paused task: a result, an error, a heartbeat after some virtual time, or
    /// expiry. Returns what the core said, as text for the page.
    pub fn answer(&mut self, token: &str, answer: Answer) -> Result<String, String> {
        let Some(exec) = self.exec.simulated_mut() else {
            return Err("a recorded execution has no task to answer".into());
        };
        let r = match answer {
            Answer::Result(result) => exec.complete_task_after(token, result, 0),
            Answer::Heartbeat { after_ms } => exec.send_heartbeat(token, after_ms),
            Answer::Expire => exec.expire_task(token),
        };
        match r {
            Ok(TaskAnswer::Accepted) => Ok("accepted".into()),
            Ok(TaskAnswer::TimedOut { heartbeat: true }) => {
                Ok("the task timed out (HeartbeatSeconds passed)".into())
            }
            Ok(TaskAnswer::TimedOut { heartbeat: false }) => {
                Ok("the task timed out (TimeoutSeconds passed)".into())
            }
            Err(e) => Err(e.to_string()),
        }
    }

    /// The view at the current event; `follow` shows one Map iteration's path alone.
    pub fn view(&mut self, follow: Option<&[u32]>) -> StepView {
        let recorded = self.exec.recorded().len() as u32;
        if self.timeline.seen < recorded as usize {
            let before = self.timeline.marks.len();
            self.timeline.extend(self.exec.recorded());
            if self.timeline.marks.len() != before {
                self.marks = Arc::new(self.timeline.marks.clone());
            }
        }
        let status = self.exec.status();
        let finished = status.is_finished();
        let history = self.exec.history();
        let mut run = RunView {
            status: self.exec.aws_status().to_string(),
            event_count: history.len(),
            ..RunView::default()
        };
        let pending = match status {
            Status::Succeeded { output } => {
                run.output = Some(output.to_json_pretty());
                Vec::new()
            }
            Status::Failed { error, cause } | Status::TimedOut { error, cause } => {
                run.error = error.map(|e| e.to_string());
                run.cause = cause.map(|c| c.to_string());
                Vec::new()
            }
            Status::Paused { tasks } => {
                run.status = "PAUSED".into();
                let names: Vec<&str> = tasks.iter().map(|t| &*t.state).collect();
                run.error = Some("Waiting for a task result".into());
                run.cause = Some(format!(
                    "No mock for {}: answer it in the Inspect tab, or add a mock in the Mocks tab.",
                    names.join(", ")
                ));
                tasks
            }
            Status::Running => Vec::new(),
        };
        StepView {
            event: self.exec.event_count(),
            recorded,
            finished,
            overlay: {
                if self.overlay.seen() > history.len() || self.overlay.follows() != follow {
                    self.overlay = OverlayBuilder::new(follow);
                }
                self.overlay.extend(history);
                self.overlay.overlay()
            },
            marks: self.marks.clone(),
            pending,
            run,
            recorded_on_aws: self.exec.recording().is_some(),
        }
    }

    /// Rows of the recorded history in `from..to` (0-based indexes), for the visible window.
    pub fn rows(&self, from: usize, to: usize) -> Vec<EventRow> {
        let all = self.exec.recorded();
        let start = all.first().map_or(0, |e| e.timestamp_ms);
        let to = to.min(all.len());
        all[from.min(to)..to]
            .iter()
            .map(|e| event_row(e, start))
            .collect()
    }

    /// Every recorded event (after stepping back, the future included).
    pub fn recorded(&self) -> &[asl_core::history::HistoryEvent] {
        self.exec.recorded()
    }

    /// The whole event as AWS's JSON, pretty.
    pub fn event_json(&self, id: u32) -> Option<String> {
        let e = self.exec.recorded().get((id as usize).checked_sub(1)?)?;
        // Through `serde_json::Value`, the same text: the event's serialisation is then the one
        // the history export makes (`to_value`) and the pretty writer the one the examples use,
        // instead of a third copy of both inlined together (~4 KB of wasm).
        serde_json::to_string_pretty(&serde_json::to_value(e).ok()?).ok()
    }

    /// What this run would cost as Standard and as Express (`executions` a month), once it has
    /// ended.
    pub fn cost(&self, definition_bytes: usize, executions: u64) -> Option<CostReport> {
        if !self.exec.status().is_finished() {
            return None;
        }
        Some(cost::estimate(
            self.exec.machine(),
            self.exec.history(),
            self.exec.transitions(),
            self.workflow_type,
            definition_bytes as u64,
            executions,
            &Prices::default(),
        ))
    }

    /// The lints that need a finished run (payload near the limit, secrets in the input, cost
    /// hot spots), positioned in `text`.
    pub fn run_lints(&self, text: &str, settings: &Settings) -> Vec<Diagnostic> {
        if !self.exec.status().is_finished() {
            return Vec::new();
        }
        let Some(exec) = self.exec.simulated() else {
            return Vec::new();
        };
        let all = asl_core::lint::all_lints(text, exec, &self.input, &settings.load_options());
        let after_run: Vec<asl_core::Diagnostic> = all
            .into_iter()
            .filter(|d| asl_core::lint::registry::info(d.code).is_some_and(|i| i.after_run))
            .collect();
        view_diagnostics(&after_run)
    }

    /// The visits of a state so far.
    pub fn visits(&self, path: &str) -> Vec<Visit> {
        self.exec.inspector().visits(self.exec.history(), path)
    }

    /// The state and visit an event belongs to (in the recorded history).
    pub fn visit_of_event(&self, id: u32) -> Option<(Arc<str>, usize)> {
        self.exec
            .inspector()
            .visit_of_event(self.exec.recorded(), id)
    }
}

/// A user's answer to a paused task.
pub enum Answer {
    Result(TaskResult),
    Heartbeat { after_ms: u64 },
    Expire,
}
