//! `onTask`: a JS function answering Task states from inside the run, one call per task.
//!
//! Owns the bridge from asl-core's [`TaskHandler`] (called by the executor for every Task
//! invocation, retries included, before mocks) to a JS function given in the start options, and
//! how its answer reads back. This is the peer's callback model (aws-local-stepfunctions'
//! `taskResourceLocalHandlers`) without the pause/`status()`/`completeTask` round trip per task:
//! that round trip crossed the boundary four times per task with JSON text each way, and cost
//! more than the run (`benches/README.md`, §5). Here one call goes out with the request (its
//! `parameters` in [`crate::wire`]'s binary form, read in JS) and the answer comes back in the
//! same form.
//!
//! asl-core's handler must be `Send + Sync` (native callers share options across threads), and a
//! JS function is neither, so the function stays in a thread-local table and the core holds a
//! closure over its id alone; the [`Registration`] the `Execution` owns removes it when the
//! execution is freed. wasm32 without threads has one thread, so the table is the only one.
//!
//! What an answer means is asl-core's (`TaskHandler`'s docs): `undefined`/`null` declines (the
//! task falls back to its mock or pauses for `completeTask`), `{output}` returns a result,
//! `{error, cause?}` fails the task. A handler that throws fails the task with the exception's
//! `name` as the error and its `message` as the cause, as a Lambda function's uncaught exception
//! does (and as the peer treats a throwing handler); an answer that is not one of those shapes
//! (a Promise, a non-JSON value) fails it with `States.Runtime` saying why.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::rc::Rc;

use asl_core::error::ExecError;
use asl_core::exec::{TaskHandler, TaskRequest, TaskResult};
use js_sys::Function;
use rustc_hash::FxHasher;
use wasm_bindgen::JsValue;

use crate::options;

thread_local! {
    /// The registered functions by id (a slot freed by a dropped [`Registration`] is reused).
    static HANDLERS: RefCell<Vec<Option<Rc<Function>>>> = const { RefCell::new(Vec::new()) };
    static STRINGS: RefCell<Strings> = RefCell::default();
    static BUFFERS: Cell<(Vec<u8>, Vec<u8>)> = const { Cell::new((Vec::new(), Vec::new())) };
}

/// The JS strings of the state names and resources tasks were asked about, by the address and
/// length of the `&str` they were made from (the loaded model's names, which outlive the runs of
/// a `StateMachine`): decoding each from wasm memory per call cost as much as the rest of the
/// request (`benches/README.md`, §5). A hit is checked against the text, so an address reused
/// for other text is made afresh, never mistaken; the table is emptied past [`Strings::MAX`].
#[derive(Default)]
struct Strings(HashMap<(usize, usize), Made, BuildHasherDefault<FxHasher>>);

/// A string made: its text (to check a hit against) and the JS string.
type Made = (Box<str>, Rc<JsValue>);

impl Strings {
    const MAX: usize = 4096;

    fn get(&mut self, s: &str) -> Rc<JsValue> {
        let key = (s.as_ptr() as usize, s.len());
        match self.0.get(&key) {
            Some((text, js)) if asl_core::value::same_bytes(text.as_bytes(), s.as_bytes()) => {
                js.clone()
            }
            _ => {
                if self.0.len() >= Self::MAX {
                    self.0.clear();
                }
                let js = Rc::new(JsValue::from_str(s));
                self.0.insert(key, (s.into(), js.clone()));
                js
            }
        }
    }
}

/// A registered `onTask` function; dropping it unregisters it (a task of a freed execution
/// cannot be asked for, but the core's closure would then decline).
pub(crate) struct Registration(usize);

impl Drop for Registration {
    fn drop(&mut self) {
        HANDLERS.with(|h| {
            if let Some(slot) = h.borrow_mut().get_mut(self.0) {
                *slot = None;
            }
        });
    }
}

/// Registers `f` and returns the core's handler calling it, with the registration that keeps it.
/// A slot is reused only after its registration was dropped, and with it the execution whose
/// core held the closure over that id, so no closure can reach another execution's function.
pub(crate) fn register(f: Function) -> (Registration, TaskHandler) {
    let id = HANDLERS.with(|h| {
        let mut h = h.borrow_mut();
        match h.iter().position(Option::is_none) {
            Some(free) => {
                h[free] = Some(Rc::new(f));
                free
            }
            None => {
                h.push(Some(Rc::new(f)));
                h.len() - 1
            }
        }
    });
    (Registration(id), TaskHandler::new(move |req| call(id, req)))
}

fn call(id: usize, req: &TaskRequest<'_>) -> Option<TaskResult> {
    // Cloned out of the table before the call: the handler may start other executions (each
    // registering its own function) while this one waits for its answer.
    let f = HANDLERS.with(|h| h.borrow().get(id).cloned().flatten())?;
    let (state, resource) = STRINGS.with(|s| {
        let mut s = s.borrow_mut();
        (s.get(req.state), s.get(req.resource))
    });
    // The request's parameters in the wire form and room for the answer, in buffers kept
    // between tasks (taken out while the handler runs: it may start executions of its own,
    // which then make their own). The JS side reads and writes them in the module's memory, so
    // no typed-array view or allocation is made per task on either side.
    let (mut params, mut answer) = BUFFERS.take();
    params.clear();
    crate::wire::write(req.parameters, &mut params);
    if answer.len() < ANSWER_ROOM {
        answer.resize(ANSWER_ROOM, 0);
    }
    let written = crate::js::call_task(
        &f,
        &state,
        &resource,
        address(params.as_ptr()),
        address(req.iterations.as_ptr()),
        u32::try_from(req.iterations.len()).unwrap_or(0),
        req.retry_count,
        address(answer.as_ptr()),
        u32::try_from(answer.len()).unwrap_or(0),
    );
    let result = usize::try_from(written).ok().map(|n| {
        if n > answer.len() {
            answer.resize(n, 0);
            crate::js::take_answer(address(answer.as_ptr()));
        }
        read_answer(&answer[..n])
    });
    BUFFERS.set((params, answer));
    result
}

/// Room for an answer before the JS side is asked to copy it in a second call.
const ANSWER_ROOM: usize = 1024;

/// A wasm32 address as the JS side reads it (natively, where no JS runs, a placeholder).
fn address(p: *const impl Sized) -> u32 {
    u32::try_from(p as usize).unwrap_or(0)
}

/// The answer in the wire form (from the JS side: the handler's return value, or the exception
/// it threw as `{error, cause}`) as the task's result.
fn read_answer(bytes: &[u8]) -> TaskResult {
    // `{output: v}` sent as `v` alone: the answer `task_answer` would read as `Ok(v)`.
    if let Some(output) = crate::wire::read_output_answer(bytes) {
        return output.map_err(|e| ExecError::runtime(format!("onTask: {e}")));
    }
    let value = crate::wire::read_interned(bytes)
        .map_err(|e| ExecError::runtime(format!("onTask: {e}")))?;
    options::task_answer(&value).map_err(|e| ExecError::runtime(format!("onTask: {e}")))?
}

#[cfg(test)]
mod tests {
    use super::*;
    use asl_core::value::Value;

    /// An answer as the JS side sends JSON text it did not walk itself (tag 7).
    fn text(json: &str) -> Vec<u8> {
        let mut b = vec![7];
        b.extend_from_slice(&u32::try_from(json.len()).expect("short").to_le_bytes());
        b.extend_from_slice(json.as_bytes());
        b
    }

    #[test]
    fn answers_read_as_complete_task_reads_them_and_bad_ones_fail_the_task() {
        assert_eq!(
            read_answer(&text(r#"{"output":{"a":1}}"#)),
            Ok(Value::parse(r#"{"a":1}"#).expect("json"))
        );
        let failed = read_answer(&text(r#"{"error":"TypeError","cause":"x is undefined"}"#))
            .expect_err("a failure");
        assert_eq!(failed.error.to_string(), "TypeError");
        assert_eq!(failed.cause, "x is undefined");
        let bad = read_answer(&text("{}")).expect_err("not an answer");
        assert_eq!(bad.error.to_string(), "States.Runtime");
        assert!(bad.cause.contains("expected {output: …}"), "{}", bad.cause);
    }

    /// An answer in the wire form, and the same answer's `output` sent alone after
    /// `OUTPUT_ANSWER`, as the JS side sends a plain `{output: v}`.
    fn both_forms(output: &Value) -> (Vec<u8>, Vec<u8>) {
        let mut answer = asl_core::value::Object::new();
        answer.insert("output".into(), output.clone());
        let mut wrapped = Vec::new();
        crate::wire::write(&Value::object(answer), &mut wrapped);
        let mut alone = vec![crate::wire::OUTPUT_ANSWER];
        crate::wire::write(output, &mut alone);
        (wrapped, alone)
    }

    #[test]
    fn an_output_sent_alone_reads_as_the_wrapped_answer_up_to_the_same_depth() {
        let deep = |n: usize| (0..n).fold(Value::from_i64(1), |v, _| Value::array(vec![v]));
        let limit = asl_core::syntax::MAX_DEPTH;
        for output in [
            Value::parse(r#"{"Payload":{"value":1,"status":"ok","b":[1,2,3]},"StatusCode":200}"#)
                .expect("json"),
            Value::Null,
            deep(limit - 1),
            deep(limit),
        ] {
            let (wrapped, alone) = both_forms(&output);
            let (a, b) = (read_answer(&wrapped), read_answer(&alone));
            assert_eq!(a, b, "{}", output.to_json_string().len());
            assert_eq!(
                a.is_ok(),
                (output.depth() as usize) < limit,
                "{}",
                output.depth()
            );
        }
        // The tag with nothing after it, or trailing bytes, is an error, not an answer.
        for bad in [
            vec![crate::wire::OUTPUT_ANSWER],
            vec![crate::wire::OUTPUT_ANSWER, 0, 0],
        ] {
            let e = read_answer(&bad).expect_err("not an answer");
            assert_eq!(e.error.to_string(), "States.Runtime");
            assert!(e.cause.starts_with("onTask: "), "{}", e.cause);
        }
    }
}
