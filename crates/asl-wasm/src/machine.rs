//! The `StateMachine` class: a definition loaded and validated once, started many times.
//!
//! Owns [`Loaded`] (the prepared model with the text, workflow type and load options an
//! [`Execution`] needs for its cost and lints), shared by every run of it. Loading a 1,000-state
//! definition costs far more than running it (see `benches/README.md`): a page that runs one
//! definition with many inputs loads it once, as the peer aws-local-stepfunctions' `StateMachine`
//! is constructed once. `Execution.start(text, …)` is the same load followed by one start.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;

use asl_core::exec::Prepared;
use asl_core::history::HistoryEvent;
use wasm_bindgen::prelude::*;

use crate::execution::Execution;
use crate::{diagnostics, js, options};

/// A definition ready to run: what every [`Execution`] of it shares.
pub(crate) struct Loaded {
    pub(crate) prepared: Prepared,
    pub(crate) definition: String,
    pub(crate) workflow_type: asl_core::WorkflowType,
    pub(crate) load: asl_core::LoadOptions,
    /// The history storage (capacity, no event) of the last execution dropped, for the next
    /// start ([`Prepared::start_in`]): in wasm a growing history is copied at every doubling (no
    /// `mremap`), ~10% of a 40,000-event run, and a page runs one machine many times. One is
    /// kept at most; wasm memory does not shrink, so keeping it costs no footprint.
    pub(crate) spare_history: Cell<Vec<HistoryEvent>>,
    /// Whether the last execution of it that ended (or had its history read) had its history
    /// read: its next start records from the start, since a caller reading every run's history
    /// would otherwise pay for each run twice (the run, then its replay; `execution`'s doc).
    pub(crate) reads_history: Cell<bool>,
}

impl Loaded {
    /// Loads and validates; an invalid definition (or one whose placeholders have no values) is
    /// an `Error` whose `diagnostics` property lists the problems.
    pub(crate) fn new(
        definition: &str,
        workflow_type: asl_core::WorkflowType,
        load: asl_core::LoadOptions,
    ) -> Result<Loaded, JsValue> {
        // Allocated anew, state after state: the parser made the machine's parts among its own
        // temporaries, and in a heap that earlier work left full of freed chunks they lay
        // scattered, so each run touched more cache lines and pages per state. The copy costs
        // 6–8% of a load; a run of a machine loaded after other work takes 11–23% less
        // (benches/README.md, §15). Its shared parts (names, constant values) are not copied.
        let machine = load_valid(definition, &load)?.clone();
        Ok(Loaded {
            prepared: Prepared::new(Arc::new(machine)),
            definition: definition.to_string(),
            workflow_type,
            load,
            spare_history: Cell::new(Vec::new()),
            reads_history: Cell::new(false),
        })
    }

    /// Keeps `storage` for the next start, unless the one kept already is larger.
    pub(crate) fn keep_history_storage(&self, storage: Vec<HistoryEvent>) {
        let kept = self.spare_history.take();
        self.spare_history
            .set(if storage.capacity() >= kept.capacity() {
                storage
            } else {
                kept
            });
    }
}

/// Loads a definition to run or replay; an invalid one (or one whose placeholders have no
/// values) throws an `Error` whose `diagnostics` property lists the problems.
pub(crate) fn load_valid(
    definition: &str,
    load: &asl_core::LoadOptions,
) -> Result<asl_core::model::StateMachine, JsValue> {
    let loaded = asl_core::load_with(definition, load);
    // The checks skipped for template placeholders count here: a run needs the values.
    let blockers: Vec<_> = loaded.run_blockers().cloned().collect();
    match loaded.machine {
        Some(m) if blockers.is_empty() => Ok(m),
        _ => {
            let mut all = loaded.diagnostics.clone();
            all.extend(loaded.skipped.iter().cloned());
            let diags = diagnostics::for_js(definition, &all);
            Err(js::error_with(
                &diagnostics::summary(&diags),
                "diagnostics",
                js::to_js(&diags)?,
            ))
        }
    }
}

/// A loaded, valid state machine definition; `start` runs it with an input.
#[wasm_bindgen]
pub struct StateMachine {
    loaded: Rc<Loaded>,
    /// The mocks given to `withMocks`, read and validated once: every start whose options have
    /// no `mocks` of their own uses them, shared (the core's `ExecOptions` hold an `Arc`), so a
    /// start with 1,000 mocks neither converts nor copies them.
    mocks: Option<Arc<asl_core::mock::Mocks>>,
    /// The last `start` options as JSON text, and what they were read into. A page (or a test
    /// suite) that starts one machine many times passes the same mocks each time; reading 1,000
    /// mocks (serde_json, then the mock reader) cost more than the run itself (see
    /// `benches/README.md`), so equal text reuses the options read last time.
    /// Whether those options had `mocks` (else [`Self::mocks`] apply).
    last_options: RefCell<Option<(String, asl_core::exec::ExecOptions, bool)>>,
}

#[wasm_bindgen]
impl StateMachine {
    /// `StateMachine.load(definition, {type?, substitutions?, logicalId?})`: parses and validates
    /// once. Throws as `Execution.start` does for an invalid definition or bad options.
    pub fn load(
        definition: &str,
        #[wasm_bindgen(unchecked_optional_param_type = "StateMachineOptions | null")]
        options: JsValue,
    ) -> Result<StateMachine, JsValue> {
        let (ty, load) = options::machine_options(&js::from_js(options, "the options")?)
            .map_err(|e| js::error(&e))?;
        Ok(StateMachine {
            loaded: Rc::new(Loaded::new(definition, ty, load)?),
            mocks: None,
            last_options: RefCell::new(None),
        })
    }

    /// `machine.withMocks(mocks, {testCase?, stateMachine?})`: the same loaded definition (not
    /// loaded again) with these mocks read and checked now, once, for every `start` that gives
    /// no `mocks` of its own. `mocks` is the native map or a MockConfigFile (with `testCase`).
    /// Throws as `start` does for bad mocks. The peer configures its machine once likewise.
    #[wasm_bindgen(js_name = withMocks)]
    pub fn with_mocks(
        &self,
        #[wasm_bindgen(unchecked_param_type = "object")] mocks: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "MockOptions | null")] options: JsValue,
    ) -> Result<StateMachine, JsValue> {
        let mocks = js::from_js(mocks, "the mocks")?;
        let options = js::from_js(options, "the withMocks options")?;
        let mocks = options::mocks_with_options(&mocks, &options).map_err(|e| js::error(&e))?;
        Ok(StateMachine {
            loaded: self.loaded.clone(),
            mocks: Some(Arc::new(mocks)),
            last_options: RefCell::new(None),
        })
    }

    /// `machine.start(input, {mocks?, testCase?, stateMachine?, seed?, startTime?,
    /// maxTransitions?, onTask?})`: a new execution (no event yet), as `Execution.start` gives.
    pub fn start(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "unknown")] input: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RunOptions | null")] options: JsValue,
    ) -> Result<Execution, JsValue> {
        const WHAT: &str = "the options";
        let (options, on_task) = js::split_on_task(options)?;
        let text = js::to_json_text(options, WHAT)?;
        let cached = match &*self.last_options.borrow() {
            Some((last, exec, own)) if *last == text => Some((exec.clone(), *own)),
            _ => None,
        };
        let (mut exec, own_mocks) = match cached {
            Some(cached) => cached,
            None => {
                let value = js::from_json_text(&text, WHAT)?;
                let exec = options::run_options(&value, self.loaded.workflow_type)
                    .map_err(|e| js::error(&e))?;
                let own = value.get("mocks").is_some_and(|m| !m.is_null());
                *self.last_options.borrow_mut() = Some((text, exec.clone(), own));
                (exec, own)
            }
        };
        if let (false, Some(mocks)) = (own_mocks, &self.mocks) {
            exec.mocks = mocks.clone();
        }
        Execution::begin(self.loaded.clone(), input, exec, on_task)
    }
}
