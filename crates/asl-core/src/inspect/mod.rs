//! What a stepper and an inspector show of one run at one moment, derived from its history.
//!
//! Owns the views every front end (the playground, the JS API, `asl run --inspect`) shows of a
//! run: [`Overlay`] (each state's mark, the edges taken, Map progress and the virtual clock up
//! to an event, optionally following one Map iteration), [`Inspector::visits`] (a state's
//! visits with their attempts, the data at each processing stage under AWS TestState's
//! `inspectionData` names, and TestState's `errorDetails`: which Retry rule matched, the
//! back-off it waited, which Catch took the error), [`changes`] (what a stage changed from the
//! stage before) and [`Breakpoints`].
//!
//! Everything is computed from `&[HistoryEvent]` and the definition, never from the executor's
//! internals, so the same code serves a simulated run and a history recorded on AWS (which has
//! no `inspectionData`: its visits show what the events say).
//!
//! Not owned here: producing the history ([`crate::exec`]), moving through it
//! ([`crate::exec::Execution::seek`], [`crate::exec::Execution::run_until`]), drawing
//! (asl-graph).

mod breakpoints;
mod diff;
mod locate;
mod overlay;
mod visits;

pub use breakpoints::Breakpoints;
pub use diff::{Change, ChangeKind, changes};
pub use locate::StateIndex;
pub use overlay::{
    EdgeTaken, MapProgress, Mark, Overlay, OverlayBuilder, StateMark, Timeline, TimelineKind,
    TimelineMark, timeline,
};
pub use visits::{
    Attempt, AttemptOutcome, ErrorDetails, Inspector, PAYLOAD_LIMIT, Stage, Visit, VisitOutcome,
};

use crate::history::{EventDetails, EventType, HistoryEvent};

/// Whether the event starts a visit (`…StateEntered`).
pub fn is_state_entered(kind: EventType) -> bool {
    use EventType::*;
    matches!(
        kind,
        PassStateEntered
            | ChoiceStateEntered
            | WaitStateEntered
            | SucceedStateEntered
            | FailStateEntered
            | TaskStateEntered
            | ParallelStateEntered
            | MapStateEntered
    )
}

/// Whether the event ends a visit normally (`…StateExited`).
pub fn is_state_exited(kind: EventType) -> bool {
    use EventType::*;
    matches!(
        kind,
        PassStateExited
            | ChoiceStateExited
            | WaitStateExited
            | SucceedStateExited
            | TaskStateExited
            | ParallelStateExited
            | MapStateExited
    )
}

/// Whether the event starts an attempt of a state's work (a retry starts another).
pub fn is_attempt_start(kind: EventType) -> bool {
    use EventType::*;
    matches!(
        kind,
        TaskScheduled
            | LambdaFunctionScheduled
            | ActivityScheduled
            | ParallelStateStarted
            | MapStateStarted
    )
}

/// Whether the event reports a failed attempt of a state (not an iteration's or the
/// execution's failure).
pub fn is_attempt_failure(kind: EventType) -> bool {
    use EventType::*;
    matches!(
        kind,
        TaskFailed
            | TaskTimedOut
            | TaskStartFailed
            | TaskSubmitFailed
            | LambdaFunctionFailed
            | LambdaFunctionTimedOut
            | LambdaFunctionScheduleFailed
            | LambdaFunctionStartFailed
            | ActivityFailed
            | ActivityTimedOut
            | ActivityScheduleFailed
            | ParallelStateFailed
            | MapStateFailed
    )
}

/// The error name an event carries, if it reports a failure.
pub fn event_error(ev: &HistoryEvent) -> Option<&str> {
    match &ev.details {
        EventDetails::Failure { error, .. } => Some(error.as_deref().unwrap_or("")),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
