//! The inspection surface `Execution` and `Replay` share, written once: the graph overlay, the
//! visits and the event-to-visit lookup, breakpoints, and stepping by state. Both classes wrap a
//! core type with the same methods in `inner` (`asl_core::exec::Execution`,
//! `asl_core::recorded::Replay`) and keep their `breakpoints`; [`inspection_surface!`] adds these
//! methods to a class as one more `#[wasm_bindgen] impl` block.
//!
//! Not owned here: each class's own methods (starting, answering tasks, the recording's mocks
//! and comparison), in `execution` and `recorded`.

use serde::Serialize;

/// `visitOfEvent`'s answer: an index into `visits(path)`.
#[derive(Serialize)]
pub(crate) struct VisitRef {
    pub path: std::sync::Arc<str>,
    pub index: usize,
}

/// Adds the shared inspection methods to `$class` (a `#[wasm_bindgen]` struct with a field
/// `breakpoints: Breakpoints` and a method `recorded(&mut self)` giving its core type with the
/// history recorded).
macro_rules! inspection_surface {
    ($class:ident) => {
        #[wasm_bindgen::prelude::wasm_bindgen]
        impl $class {
            /// The graph overlay at the current event: each state's mark, edges taken, Map
            /// progress, virtual time. `follow`: Map iteration indexes to show one iteration's
            /// path alone.
            #[wasm_bindgen(unchecked_return_type = "Overlay")]
            pub fn overlay(&mut self, follow: Option<Vec<u32>>) -> Result<JsValue, JsValue> {
                $crate::js::to_js(&asl_core::inspect::Overlay::at(
                    self.recorded().history(),
                    follow.as_deref(),
                ))
            }

            /// Every visit of the state at `path` so far, with attempts, stages and error
            /// details.
            #[wasm_bindgen(unchecked_return_type = "Visit[]")]
            pub fn visits(&mut self, path: &str) -> Result<JsValue, JsValue> {
                let inner = self.recorded();
                $crate::js::to_js(&inner.inspector().visits(inner.history(), path))
            }

            /// The visit an event belongs to, as `{path, index}` into `visits(path)`, or `null`.
            #[wasm_bindgen(js_name = visitOfEvent, unchecked_return_type = "{ path: string; index: number } | null")]
            pub fn visit_of_event(
                &mut self,
                #[wasm_bindgen(js_name = eventId)] event_id: u32,
            ) -> Result<JsValue, JsValue> {
                let inner = self.recorded();
                let found = inner
                    .inspector()
                    .visit_of_event(inner.history(), event_id)
                    .map(|(path, index)| $crate::inspection::VisitRef { path, index });
                $crate::js::to_js(&found)
            }

            /// Sets the breakpoints: `{states?: string[] (state paths), errors?: string[]}`.
            #[wasm_bindgen(js_name = setBreakpoints)]
            pub fn set_breakpoints(
                &mut self,
                #[wasm_bindgen(unchecked_param_type = "Breakpoints")] breakpoints: JsValue,
            ) -> Result<(), JsValue> {
                let v = $crate::js::from_js(breakpoints, "the breakpoints")?;
                self.breakpoints = if v.is_null() {
                    asl_core::inspect::Breakpoints::default()
                } else {
                    serde_json::from_str(&v.to_json_string())
                        .map_err(|e| $crate::js::error(&format!("the breakpoints: {e}")))?
                };
                Ok(())
            }

            #[wasm_bindgen(unchecked_return_type = "Breakpoints")]
            pub fn breakpoints(&self) -> Result<JsValue, JsValue> {
                $crate::js::to_js(&self.breakpoints)
            }

            /// Runs until a breakpoint is hit, the run pauses or ends, or (with `budget`) that
            /// many events have passed: `{stop: "hit", event} | {stop: "budget" | "paused" |
            /// "finished"}`.
            #[wasm_bindgen(js_name = runToBreakpoint, unchecked_return_type = "RunStop")]
            pub fn run_to_breakpoint(&mut self, budget: Option<u32>) -> Result<JsValue, JsValue> {
                self.recorded();
                let bp = &self.breakpoints;
                let stop = self
                    .inner
                    .run_until(budget.unwrap_or(u32::MAX), |ev| bp.hit(ev));
                $crate::js::to_js(&stop)
            }

            /// Forward to the next state entered (at most `budget` events).
            #[wasm_bindgen(js_name = stepState, unchecked_return_type = "RunStop")]
            pub fn step_state(&mut self, budget: Option<u32>) -> Result<JsValue, JsValue> {
                $crate::js::to_js(&self.recorded().step_state(budget.unwrap_or(u32::MAX)))
            }

            /// Back to the previous state entered; false at the start.
            #[wasm_bindgen(js_name = backState)]
            pub fn back_state(&mut self) -> bool {
                self.recorded().back_state()
            }
        }
    };
}

pub(crate) use inspection_surface;
