//! [`Replay`]: a stepper over a fixed, recorded history. Moving is only moving a cursor: step,
//! back and seek never execute anything. Its methods have the names and meanings of
//! [`Execution`](crate::exec::Execution)'s stepping surface (`step`, `run`, `back`, `seek`,
//! `status`, `history`, `recorded`, `event_count`, `run_until`, `step_state`, `back_state`,
//! `position`, `inspector`), so a front end drives either the same way; the views
//! ([`crate::inspect`]) read the history up to the cursor, as they do for a simulated run.
//!
//! Not owned here: reading the history ([`super::import`]).

use std::sync::Arc;

use super::Recording;
use crate::exec::{ActiveState, RunStop, Status, Step};
use crate::history::{EventDetails, EventType, HistoryEvent};
use crate::inspect::{Inspector, is_state_entered, is_state_exited};
use crate::model::StateMachine;

/// A recorded execution being stepped through (see the module doc).
#[derive(Clone, Debug)]
pub struct Replay {
    machine: Arc<StateMachine>,
    recording: Arc<Recording>,
    /// Events shown (0: before the first).
    cursor: u32,
}

impl Replay {
    /// A replay of `recording` on `machine`, before its first event.
    pub fn new(machine: Arc<StateMachine>, recording: Recording) -> Replay {
        Replay {
            machine,
            recording: Arc::new(recording),
            cursor: 0,
        }
    }

    pub fn recording(&self) -> &Recording {
        &self.recording
    }

    pub fn machine(&self) -> &Arc<StateMachine> {
        &self.machine
    }

    fn len(&self) -> u32 {
        self.recording.events.len() as u32
    }

    /// Shows one more event; `Finished` at the end of the recording.
    pub fn step(&mut self) -> Step {
        if self.cursor >= self.len() {
            return Step::Finished;
        }
        self.cursor += 1;
        Step::Event(self.cursor)
    }

    /// To the end of the recording; the status there.
    pub fn run(&mut self) -> Status {
        self.cursor = self.len();
        self.status()
    }

    /// Back one event; false at the start.
    pub fn back(&mut self) -> bool {
        match self.cursor {
            0 => false,
            n => self.seek(n - 1),
        }
    }

    /// To just after event `event_id` (0: before the first); false past the recording's end.
    pub fn seek(&mut self, event_id: u32) -> bool {
        if event_id > self.len() {
            return false;
        }
        self.cursor = event_id;
        true
    }

    /// The history up to the cursor.
    pub fn history(&self) -> &[HistoryEvent] {
        &self.recording.events[..self.cursor as usize]
    }

    /// The whole recording (a scrubber's range).
    pub fn recorded(&self) -> &[HistoryEvent] {
        &self.recording.events
    }

    pub fn event_count(&self) -> u32 {
        self.cursor
    }

    /// States entered up to the cursor (AWS's state transitions).
    pub fn transitions(&self) -> u64 {
        self.history()
            .iter()
            .filter(|e| is_state_entered(e.kind))
            .count() as u64
    }

    /// The status at the cursor. AWS's `ABORTED` has no [`Status`] of its own: it reads as
    /// `Failed` with the abort's error and cause ([`Replay::aws_status`] tells them apart).
    pub fn status(&self) -> Status {
        let end = self
            .history()
            .iter()
            .rev()
            .find(|e| super::is_execution_end(e.kind));
        match end {
            None => Status::Running,
            Some(e) => match (&e.kind, &e.details) {
                (EventType::ExecutionSucceeded, EventDetails::ExecutionSucceeded { output }) => {
                    Status::Succeeded {
                        output: output.clone(),
                    }
                }
                (EventType::ExecutionSucceeded, _) => Status::Succeeded {
                    output: crate::value::Value::Null,
                },
                (kind, details) => {
                    let (error, cause) = match details {
                        EventDetails::Failure { error, cause, .. } => {
                            (error.clone(), cause.clone())
                        }
                        _ => (None, None),
                    };
                    if *kind == EventType::ExecutionTimedOut {
                        Status::TimedOut { error, cause }
                    } else {
                        Status::Failed { error, cause }
                    }
                }
            },
        }
    }

    /// AWS's status word at the cursor (`RUNNING`, `SUCCEEDED`, `FAILED`, `TIMED_OUT`,
    /// `ABORTED`).
    pub fn aws_status(&self) -> &'static str {
        super::status_of(self.history())
    }

    /// Steps until `stop` holds for the event just shown, at most `budget` events.
    pub fn run_until(&mut self, budget: u32, stop: impl Fn(&HistoryEvent) -> bool) -> RunStop {
        for _ in 0..budget {
            match self.step() {
                Step::Event(id) => {
                    if self.history().get(id as usize - 1).is_some_and(&stop) {
                        return RunStop::Hit { event: id };
                    }
                }
                Step::Paused => return RunStop::Paused,
                Step::Finished => return RunStop::Finished,
            }
        }
        RunStop::Budget
    }

    /// Forward to the next state entered.
    pub fn step_state(&mut self, budget: u32) -> RunStop {
        self.run_until(budget, |ev| is_state_entered(ev.kind))
    }

    /// Back to the previous state entered (to the start when there is none); false at the start.
    pub fn back_state(&mut self) -> bool {
        let current = self.cursor as usize;
        if current == 0 {
            return false;
        }
        let target = self.recording.events[..current - 1]
            .iter()
            .rposition(|ev| is_state_entered(ev.kind))
            .map_or(0, |i| i as u32 + 1);
        self.seek(target)
    }

    /// The states entered and not yet left at the cursor.
    pub fn position(&self) -> Vec<ActiveState> {
        if super::is_execution_end(
            self.history()
                .last()
                .map_or(EventType::ExecutionStarted, |e| e.kind),
        ) {
            return Vec::new();
        }
        let mut open: Vec<(&HistoryEvent, &'static str)> = Vec::new();
        for ev in self.history() {
            let same = |o: &(&HistoryEvent, &'static str)| {
                o.0.path == ev.path && o.0.iterations == ev.iterations
            };
            if is_state_entered(ev.kind) {
                open.retain(|o| !same(o));
                if ev.kind != EventType::FailStateEntered {
                    open.push((ev, "running"));
                }
            } else if is_state_exited(ev.kind) || ev.kind.as_str().ends_with("Aborted") {
                open.retain(|o| !same(o));
            }
        }
        open.into_iter()
            .map(|(ev, activity)| ActiveState {
                path: ev.path.clone(),
                state: match &ev.details {
                    EventDetails::StateEntered { name, .. } => name.clone(),
                    _ => ev.path.clone(),
                },
                iterations: ev.iterations.to_vec(),
                activity,
            })
            .collect()
    }

    /// The inspector over the definition, with the recording's `$$` names.
    pub fn inspector(&self) -> Inspector<'_> {
        Inspector::new(&self.machine).with_names(self.recording.names.clone())
    }
}
