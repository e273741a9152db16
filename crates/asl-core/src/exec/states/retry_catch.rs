//! After a state's error: a Retrier that matches (back-off, jitter, `MaxDelaySeconds`), else a
//! Catcher (ResultPath/Output of the error, the transition), else the state fails.
//!
//! Not owned here: the back-off arithmetic ([`crate::exec::retry`]).

use crate::error::ExecError;
use crate::model::QueryLanguage;
use crate::path::Scope;

use super::Next;
use crate::exec::engine::{Engine, Fault, Phase, ThreadId};
use crate::exec::io::{self, ContextExtras};
use crate::exec::retry;

impl Engine<'_> {
    /// Retries the current state after its back-off if a retrier allows; true when it does.
    pub(crate) fn try_retry(&mut self, id: ThreadId, fault: &Fault) -> bool {
        let Some((st, _, _)) = self.current(id) else {
            return false;
        };
        let (retriers, _) = st.retry_catch();
        let error = fault.error_str();
        if !retriers.is_empty() {
            let core = &mut *self.core;
            let delay = core
                .threads
                .get_mut(id as usize)
                .and_then(Option::as_mut)
                .and_then(|t| {
                    let v = t.visit.as_deref_mut()?;
                    retry::retry_delay(retriers, &mut v.attempts, error, &mut core.rng)
                });
            if let Some(delay) = delay {
                if let Some(t) = self.core.thread_mut(id) {
                    t.time = t
                        .time
                        .saturating_add(i64::try_from(delay).unwrap_or(i64::MAX));
                    t.phase = Phase::Act;
                    if let Some(v) = t.visit.as_deref_mut() {
                        v.retry_count += 1;
                        v.fanout = None;
                    }
                }
                return true;
            }
        }
        false
    }

    /// After a failure: retry (same state, after the back-off), catch, or end the thread.
    pub(super) fn recover(&mut self, id: ThreadId, fault: Fault) {
        let Some((st, _, _)) = self.current(id) else {
            self.finish(id, Err(fault));
            return;
        };
        if self.try_retry(id, &fault) {
            return;
        }
        let (_, catchers) = st.retry_catch();
        let error = fault.error_str().to_string();
        if let Some(c) = retry::catcher(catchers, &error) {
            let r = if st.query_language == QueryLanguage::Jsonata {
                // Output (default: the error output) and Assign, with `$states.errorOutput`.
                let input = self.visit_input(id);
                let err = io::error_output(fault.error.as_deref(), fault.cause.as_deref());
                let extras = ContextExtras {
                    retry_count: Some(self.retry_count(id)),
                    ..Default::default()
                };
                let states = self.jsonata_states(id, &input, extras, Some(("errorOutput", &err)));
                self.jsonata_output_assign(
                    id,
                    c.output.as_ref(),
                    c.assign.as_ref(),
                    states,
                    err.clone(),
                )
                .and_then(|(output, assigned)| {
                    io::check_size(&output, self.options.limits.payload_bytes, &st.name)?;
                    Ok((output, assigned))
                })
            } else {
                (|| {
                    let input = self.visit_input(id);
                    let err = io::error_output(fault.error.as_deref(), fault.cause.as_deref());
                    let output = io::result_path(c.result_path.as_ref(), &input, err.clone())?;
                    // Checked here, not on exit: an oversized catcher output fails the state for good
                    // instead of being offered to the same catcher again (which would loop forever).
                    io::check_size(&output, self.options.limits.payload_bytes, &st.name)?;
                    let vars = self.vars(id);
                    let ctx = self.context(id, ContextExtras::default());
                    let scope = Scope::new(&err, &ctx, &vars);
                    let assigned = self.assign(c.assign.as_ref(), &scope)?;
                    Ok::<_, ExecError>((output, assigned))
                })()
            };
            match r {
                Ok((output, assigned)) => {
                    let next = match c.next.id {
                        Some(n) => Next::State(n),
                        None => Next::End,
                    };
                    self.exit_state(id, st, output, assigned, next);
                }
                Err(e) => {
                    let f = self.state_fault(id, e);
                    self.set_phase(id, Phase::Finish(Err(f)));
                }
            }
            return;
        }
        self.set_phase(id, Phase::Finish(Err(fault)));
    }
}
