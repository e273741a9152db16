//! Moving through an execution the way a stepper does: run until a condition (a breakpoint,
//! the next state entered) within a budget of events, step back to the previous state entered,
//! and the inspector for this execution's history.
//!
//! Not owned here: the single-event moves ([`Execution::step`], [`Execution::seek`]) and what
//! the history means ([`crate::inspect`]).

use serde::Serialize;

use super::{Execution, Step};
use crate::history::HistoryEvent;
use crate::inspect::{Inspector, is_state_entered};

/// Why [`Execution::run_until`] stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "stop", rename_all = "camelCase")]
pub enum RunStop {
    /// The condition held after this event.
    Hit { event: u32 },
    /// The budget of events was spent (call again to go on).
    Budget,
    /// A task is waiting for an answer.
    Paused,
    /// The execution has ended.
    Finished,
}

impl Execution {
    /// Steps until `stop` holds for the event just emitted, at most `budget` events. A page runs
    /// a long execution in slices this way; the condition is a breakpoint test or
    /// "a state was entered". Needs a recorded history (without one, it runs on to the end).
    pub fn run_until(&mut self, budget: u32, stop: impl Fn(&HistoryEvent) -> bool) -> RunStop {
        for _ in 0..budget {
            match self.step() {
                Step::Event(id) => {
                    let hit = self.history().get(id as usize - 1).is_some_and(&stop);
                    if hit {
                        return RunStop::Hit { event: id };
                    }
                }
                Step::Paused => return RunStop::Paused,
                Step::Finished => return RunStop::Finished,
            }
        }
        RunStop::Budget
    }

    /// Forward to the next state entered (within `budget` events).
    pub fn step_state(&mut self, budget: u32) -> RunStop {
        self.run_until(budget, |ev| is_state_entered(ev.kind))
    }

    /// Back to the previous state entered (the one before the current event when that is an
    /// entry itself); to the start when there is none. Returns false at the start.
    pub fn back_state(&mut self) -> bool {
        let current = self.event_count() as usize;
        if current == 0 {
            return false;
        }
        let target = self.history()[..current - 1]
            .iter()
            .rposition(|ev| is_state_entered(ev.kind))
            .map_or(0, |i| i as u32 + 1);
        self.seek(target)
    }

    /// Every event recorded so far, also those after the current one once the execution has
    /// stepped back (replaying reaches them again, identically): a scrubber's whole range.
    pub fn recorded(&self) -> &[HistoryEvent] {
        &self.history
    }

    /// The inspector over this execution's definition, with its `$$` names.
    pub fn inspector(&self) -> Inspector<'_> {
        Inspector::new(self.machine()).with_names(self.options().names.clone())
    }
}
