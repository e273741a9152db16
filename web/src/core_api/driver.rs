//! What a stepper session moves through: a simulated asl-core `Execution`, or a `Replay` of an
//! execution recorded on AWS. Both have the same stepping surface in the core; this enum only
//! forwards to whichever it holds, so the session, the views and the inspector treat them alike.
//! What only a simulation can do (answer a paused task, the run lints) is `None` for a replay.

use std::sync::Arc;

use asl_core::exec::{Execution, RunStop, Status, Step};
use asl_core::history::HistoryEvent;
use asl_core::inspect::Inspector;
use asl_core::model::StateMachine;
use asl_core::recorded::{Recording, Replay};

pub enum Driver {
    /// Boxed: an execution is large next to a replay (a cursor over shared events).
    Simulated(Box<Execution>),
    Recorded(Replay),
}

macro_rules! both {
    ($self:ident, $d:ident => $e:expr) => {
        match $self {
            Driver::Simulated($d) => $e,
            Driver::Recorded($d) => $e,
        }
    };
}

impl Driver {
    pub fn step(&mut self) -> Step {
        both!(self, d => d.step())
    }
    pub fn back(&mut self) -> bool {
        both!(self, d => d.back())
    }
    pub fn step_state(&mut self, budget: u32) -> RunStop {
        both!(self, d => d.step_state(budget))
    }
    pub fn back_state(&mut self) -> bool {
        both!(self, d => d.back_state())
    }
    pub fn seek(&mut self, event: u32) -> bool {
        both!(self, d => d.seek(event))
    }
    pub fn run_until(&mut self, budget: u32, stop: impl Fn(&HistoryEvent) -> bool) -> RunStop {
        both!(self, d => d.run_until(budget, stop))
    }
    pub fn status(&self) -> Status {
        both!(self, d => d.status())
    }
    /// AWS's status word (a replay may end `ABORTED`, which has no [`Status`] of its own).
    pub fn aws_status(&self) -> &'static str {
        match self {
            Driver::Simulated(e) => e.status().aws_name(),
            Driver::Recorded(r) => r.aws_status(),
        }
    }
    pub fn history(&self) -> &[HistoryEvent] {
        both!(self, d => d.history())
    }
    pub fn recorded(&self) -> &[HistoryEvent] {
        both!(self, d => d.recorded())
    }
    pub fn event_count(&self) -> u32 {
        both!(self, d => d.event_count())
    }
    pub fn transitions(&self) -> u64 {
        both!(self, d => d.transitions())
    }
    pub fn machine(&self) -> &Arc<StateMachine> {
        both!(self, d => d.machine())
    }
    pub fn inspector(&self) -> Inspector<'_> {
        both!(self, d => d.inspector())
    }
    pub fn simulated(&self) -> Option<&Execution> {
        match self {
            Driver::Simulated(e) => Some(e.as_ref()),
            Driver::Recorded(_) => None,
        }
    }
    pub fn simulated_mut(&mut self) -> Option<&mut Execution> {
        match self {
            Driver::Simulated(e) => Some(e.as_mut()),
            Driver::Recorded(_) => None,
        }
    }
    pub fn recording(&self) -> Option<&Recording> {
        match self {
            Driver::Simulated(_) => None,
            Driver::Recorded(r) => Some(r.recording()),
        }
    }
}
