//! Breakpoints: where running on should stop. A state breakpoint stops when the state is
//! entered (in any branch or iteration); an error breakpoint stops when an event reports that
//! error (`States.TaskFailed` also stops on every task error but `States.Timeout`, and
//! `States.ALL` on any error, as the Retry/Catch matching rules read those names).
//!
//! Not owned here: stepping ([`crate::exec::Execution::run_until`] takes a breakpoint test).

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::{event_error, is_state_entered};
use crate::history::{EventType, HistoryEvent};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Breakpoints {
    /// State paths (`Par/1/Inner`).
    pub states: Vec<Arc<str>>,
    /// Error names.
    pub errors: Vec<Arc<str>>,
}

impl Breakpoints {
    pub fn is_empty(&self) -> bool {
        self.states.is_empty() && self.errors.is_empty()
    }

    /// Adds or removes a state breakpoint; returns whether it is now set.
    pub fn toggle_state(&mut self, path: &str) -> bool {
        match self.states.iter().position(|p| &**p == path) {
            Some(i) => {
                self.states.remove(i);
                false
            }
            None => {
                self.states.push(path.into());
                true
            }
        }
    }

    /// Whether running on should stop after this event.
    pub fn hit(&self, ev: &HistoryEvent) -> bool {
        if is_state_entered(ev.kind) && self.states.contains(&ev.path) {
            return true;
        }
        // An iteration's or the execution's failure repeats an error already reported.
        if matches!(
            ev.kind,
            EventType::ExecutionFailed | EventType::MapIterationFailed
        ) {
            return false;
        }
        match event_error(ev) {
            Some(error) => self.errors.iter().any(|e| match &**e {
                "States.ALL" => true,
                "States.TaskFailed" => error != "States.Timeout",
                name => name == error,
            }),
            None => false,
        }
    }
}
