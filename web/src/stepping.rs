//! The stepper's controller: the one session the page steps through and the moves the buttons,
//! keys, scrubber and graph make on it (step, back, by state, seek, play, run to the end or the
//! next breakpoint, answer a paused task), each followed by a new [`StepView`].
//!
//! Long runs are sliced: each animation frame runs a budget of events sized to take about 8 ms,
//! so the page stays responsive and the Stop button works. Nothing here decides what a step,
//! a mark or a breakpoint is: that is asl-core's, through [`crate::core_api::stepper`].

use std::sync::Arc;

use asl_core::exec::RunStop;
use asl_core::inspect::Breakpoints;
use leptos::prelude::*;

use crate::core_api::stepper::{Answer, Session, StepView};
use crate::core_api::{self, RunView, Settings};
use crate::timing;

/// Frame time a sliced run aims at (ms).
const SLICE_MS: f64 = 8.0;

/// Animated play speeds, events per second.
pub const SPEEDS: [u32; 6] = [1, 2, 5, 10, 30, 100];

/// The stepper's state: signals the views read, the session they don't see.
#[derive(Clone, Copy)]
pub struct Stepper {
    session: StoredValue<Option<Session>, LocalStorage>,
    /// `None` until a run starts (→ or ▶ Run), and again when the definition, input or mocks
    /// change.
    pub view: RwSignal<Option<StepView>>,
    /// A run that could not start (bad input or mocks).
    pub invalid: RwSignal<Option<RunView>>,
    /// Map iteration indexes to follow on the graph.
    pub follow: RwSignal<Option<Vec<u32>>>,
    /// An animated play or a sliced run is going on.
    pub busy: RwSignal<bool>,
    /// Events per second while playing.
    pub speed: RwSignal<u32>,
    /// The state the inspector shows, and which of its visits.
    pub selected: RwSignal<Option<Arc<str>>>,
    pub visit: RwSignal<Option<usize>>,
    /// The event whose JSON the History tab shows.
    pub event: RwSignal<Option<u32>>,
    pub breakpoints: RwSignal<Breakpoints>,
    /// The state where a simulation first left a recorded execution (marked on the graph).
    pub diverged: RwSignal<Option<Arc<str>>>,
    /// Bumped to stop a running loop.
    generation: StoredValue<u64>,
    definition: RwSignal<String>,
    input: RwSignal<String>,
    mocks: RwSignal<String>,
    settings: RwSignal<Settings>,
}

impl Stepper {
    pub fn new(
        definition: RwSignal<String>,
        input: RwSignal<String>,
        mocks: RwSignal<String>,
        settings: RwSignal<Settings>,
    ) -> Stepper {
        Stepper {
            session: StoredValue::new_local(None),
            view: RwSignal::new(None),
            invalid: RwSignal::new(None),
            follow: RwSignal::new(None),
            busy: RwSignal::new(false),
            speed: RwSignal::new(5),
            selected: RwSignal::new(None),
            visit: RwSignal::new(None),
            event: RwSignal::new(None),
            breakpoints: RwSignal::new(Breakpoints::default()),
            diverged: RwSignal::new(None),
            generation: StoredValue::new(0),
            definition,
            input,
            mocks,
            settings,
        }
    }

    /// Forgets the session (the definition, input or mocks changed).
    pub fn reset(&self) {
        self.stop();
        self.session.set_value(None);
        if self.view.with_untracked(Option::is_some) {
            self.view.set(None);
        }
        if self.invalid.with_untracked(Option::is_some) {
            self.invalid.set(None);
        }
        if self.diverged.with_untracked(Option::is_some) {
            self.diverged.set(None);
        }
    }

    /// Replaces the session with `session` (a replay of a recorded execution), at its start.
    pub fn load(&self, mut session: Session) {
        self.reset();
        session.breakpoints = self.breakpoints.get_untracked();
        self.session.set_value(Some(session));
        self.act(|_| ());
    }

    /// Whether the session replays an execution recorded on AWS.
    pub fn replaying(&self) -> bool {
        self.with_session(|s| s.recording().is_some())
            .unwrap_or(false)
    }

    pub fn started(&self) -> bool {
        self.session.with_value(Option::is_some)
    }

    /// Starts a session when there is none; false when it cannot (no valid definition, or bad
    /// input or mocks: then `invalid` says why).
    fn ensure(&self) -> bool {
        if self.started() {
            return true;
        }
        // The text as it is now: the page's analysis may lag it by the typing debounce.
        let settings = self.settings.get_untracked();
        let Some(machine) = self
            .definition
            .with_untracked(|t| core_api::analyze(t, &settings).machine)
        else {
            return false;
        };
        let started = self.input.with_untracked(|i| {
            self.mocks
                .with_untracked(|m| Session::start(machine, i, m, settings.workflow_type))
        });
        match started {
            Ok(mut s) => {
                s.breakpoints = self.breakpoints.get_untracked();
                self.session.set_value(Some(s));
                self.invalid.set(None);
                true
            }
            Err(bad) => {
                self.invalid.set(Some(bad));
                false
            }
        }
    }

    /// Applies `f` to the session (started if needed) and publishes the new view. The time it
    /// takes, view included, is published as `data-step-ms` (the benchmark reads it).
    fn act<T>(&self, f: impl FnOnce(&mut Session) -> T) -> Option<T> {
        if !self.ensure() {
            return None;
        }
        let follow = self.follow.get_untracked();
        let (out, view) = timing::measure("step", || {
            self.session
                .try_update_value(|s| {
                    s.as_mut().map(|s| {
                        let out = f(s);
                        (out, s.view(follow.as_deref()))
                    })
                })
                .flatten()
                .unzip()
        });
        if let Some(v) = view {
            self.view.set(Some(v));
        }
        out
    }

    /// Reads the session (no move).
    pub fn with_session<T>(&self, f: impl FnOnce(&Session) -> T) -> Option<T> {
        self.session.with_value(|s| s.as_ref().map(f))
    }

    /// Recomputes the view (after a change of the followed iteration).
    pub fn refresh(&self) {
        if self.started() {
            self.act(|_| ());
        }
    }

    pub fn step(&self) {
        self.stop();
        self.act(Session::step);
    }

    pub fn back(&self) {
        self.stop();
        self.act(Session::back);
    }

    pub fn step_state(&self) {
        self.stop();
        self.act(Session::step_state);
    }

    pub fn back_state(&self) {
        self.stop();
        self.act(Session::back_state);
    }

    pub fn seek(&self, event: u32) {
        self.stop();
        self.act(|s| s.seek(event));
    }

    /// Home: before the first event.
    pub fn home(&self) {
        self.seek(0);
    }

    /// Stops an animated play or a sliced run.
    pub fn stop(&self) {
        self.generation.update_value(|g| *g += 1);
        if self.busy.get_untracked() {
            self.busy.set(false);
        }
    }

    /// Runs to the end, the next breakpoint or a paused task, a slice per animation frame.
    pub fn run(&self) {
        self.stop();
        if !self.ensure() {
            return;
        }
        self.busy.set(true);
        let generation = self.generation.get_value();
        self.run_frame(generation, 2_000);
    }

    fn run_frame(self, generation: u64, budget: u32) {
        if self.generation.get_value() != generation {
            return;
        }
        let t0 = timing::now_ms();
        let stop = self.act(|s| s.run_slice(budget));
        let spent = timing::now_ms() - t0;
        match stop {
            Some(RunStop::Budget) => {
                // Aim the next slice at SLICE_MS, within sane bounds.
                let next = if spent > 0.0 {
                    (budget as f64 * SLICE_MS / spent).clamp(50.0, 50_000.0) as u32
                } else {
                    budget.saturating_mul(2).min(50_000)
                };
                request_animation_frame(move || self.run_frame(generation, next));
            }
            _ => self.busy.set(false),
        }
    }

    /// Space: plays one event at a time at `speed`, or pauses.
    pub fn toggle_play(&self) {
        if self.busy.get_untracked() {
            self.stop();
            return;
        }
        if !self.ensure() {
            return;
        }
        self.busy.set(true);
        let generation = self.generation.get_value();
        self.play_tick(generation);
    }

    fn play_tick(self, generation: u64) {
        if self.generation.get_value() != generation {
            return;
        }
        // One event; a breakpoint it hits, a pause or the end stops the play.
        match self.act(|s| s.run_slice(1)) {
            Some(RunStop::Budget) => {
                let ms = 1000 / u64::from(self.speed.get_untracked().max(1));
                set_timeout(
                    move || self.play_tick(generation),
                    std::time::Duration::from_millis(ms),
                );
            }
            _ => self.busy.set(false),
        }
    }

    /// Toggles a state breakpoint.
    pub fn toggle_breakpoint(&self, path: &str) {
        self.breakpoints.update(|b| {
            b.toggle_state(path);
        });
        self.sync_breakpoints();
    }

    /// Sets the error breakpoints (names separated by commas or spaces).
    pub fn set_error_breakpoints(&self, text: &str) {
        let errors = text
            .split([',', ' '])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(Arc::from)
            .collect();
        self.breakpoints.update(|b| b.errors = errors);
        self.sync_breakpoints();
    }

    fn sync_breakpoints(&self) {
        let bp = self.breakpoints.get_untracked();
        self.session.update_value(|s| {
            if let Some(s) = s {
                s.breakpoints = bp;
            }
        });
    }

    /// Answers a paused task; `Err` says why the core refused.
    pub fn answer(&self, token: &str, answer: Answer) -> Result<String, String> {
        self.stop();
        self.act(|s| s.answer(token, answer))
            .unwrap_or_else(|| Err("no execution is running".into()))
    }

    /// Selects a state (and a visit) for the inspector.
    pub fn inspect(&self, path: Option<Arc<str>>, visit: Option<usize>) {
        self.selected.set(path);
        self.visit.set(visit);
    }

    /// A History row: go there, and inspect the visit it belongs to.
    pub fn go_to_event(&self, id: u32) {
        self.seek(id);
        self.event.set(Some(id));
        if let Some(Some((path, index))) = self.with_session(|s| s.visit_of_event(id)) {
            self.inspect(Some(path), Some(index));
        }
    }
}
