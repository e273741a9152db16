//! Executor benchmark over the shared peer workloads (`shared/bench`), printed beside
//! aws-local-stepfunctions' figures by `scripts/bench`.
//!
//! Workloads come from `ASL_BENCH_WORKLOADS` (a directory written by `gen-workloads.mjs`), or are
//! generated with `node` into `<target>/bench-kit-exec/` from a copy of the shared kit (the kit
//! itself is never written to). Each workload runs `ASL_BENCH_RUNS` times (default 5) after
//! `ASL_BENCH_WARMUP` warm-ups (default 1; `scripts/bench` passes its `--warmup`, as it does to the
//! peer), with history off and limits lifted (map-wide-10k's input is ~900 KB, over AWS's
//! 256 KiB); the output is checked against `.expected.json`. The task workloads are answered
//! four ways, each with the kit's `mockResult` (task-flaky: each state's first attempt throws
//! `Lambda.ServiceException`):
//! - `"tasks":"handler"`: a [`TaskHandler`] building `mockResult` from each task's input, fresh
//!   for every call: the peer's `taskResourceLocalHandlers` model, the like-for-like figure;
//! - `"tasks":"handler_prebuilt"`: the same handler answering with results built before the
//!   run: what a handler run costs beyond the callback building and freeing its answers;
//! - `"tasks":"mocks"`: the same answers as native mocks, the product's own path (`asl run
//!   --mocks`, the playground): the engine alone;
//! - `"tasks":"complete_task"`: the caller answering each paused task (the playground's typed
//!   answers), one pause per task.
//!
//! Also measured: the same runs with history and inspector stages recorded, `back()`/`seek()`
//! cost, and load+validate of def-200.
//!
//! JSONata mode (`gen-workloads-jsonata.mjs`): jsonata-pass-loop-10k, jsonata-map-1k,
//! jsonata-transform and jsonata-task-heavy (answered by a [`TaskHandler`] getting
//! `Arguments.Payload` and returning `{Payload: mockResult, StatusCode: 200}`, as the peer's
//! in-process Lambda does), history off, each printed with the ratio to the JSONata peer sfn-sim
//! 1.5.0's figures from `shared/bench/README.md` (plain and with its compile cache: sfn-sim is served
//! by no registry, so it is not run here), then the JSONata Pass loop against JSONPath's
//! pass-loop-10k (goal: within 5×).
//!
//! `ASL_BENCH_HISTORY=0|1` measures only without/with history (`1` also records history and
//! stages in the JSONata workloads, as the JS API does by default);
//! `ASL_BENCH_TASKS=complete_task|mocks|handler|handler_prebuilt` only one way of answering tasks;
//! `ASL_BENCH_STAGES=0` records the history without the inspector's stages (what they cost);
//! `ASL_BENCH_COLD=1` evicts the caches before each timed run of the executor workloads
//! ([`evict_caches`]).
//! Prints one JSON line per measurement; `--list` prints the selected workloads' names instead.

#![allow(clippy::disallowed_methods)] // a benchmark reads the clock and files; the core does not

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use asl_core::error::{ErrorName, ExecError};
use asl_core::exec::{ExecOptions, Execution, Limits, Prepared, Status, TaskHandler};
use asl_core::mock::Mocks;
use asl_core::value::{Key, Object, Value};

const WORKLOADS: [&str; 7] = [
    "pass-loop-10k",
    "pass-loop-100k",
    "map-wide-10k",
    "parallel-nested",
    "task-heavy",
    "task-flaky",
    "payload-200k",
];

/// The JSONata workloads and sfn-sim 1.5.0's medians from `shared/bench/README.md` (ms: plain,
/// with its compile cache). Measured on a shared 2-core machine, Dec 2026; not re-run here.
const JSONATA_WORKLOADS: [(&str, f64, f64); 4] = [
    ("jsonata-pass-loop-10k", 1255.0, 82.0),
    ("jsonata-map-1k", 758.0, 93.0),
    ("jsonata-transform", 449.0, 420.0),
    ("jsonata-task-heavy", 291.0, 54.0),
];

fn workloads_dir() -> PathBuf {
    if let Ok(d) = std::env::var("ASL_BENCH_WORKLOADS") {
        return PathBuf::from(d);
    }
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let kit = manifest.join("../../../shared/bench");
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| manifest.join("../../target"));
    let scratch = target.join("bench-kit-exec");
    if scratch
        .join("workloads/jsonata-transform.asl.json")
        .exists()
    {
        return scratch.join("workloads");
    }
    std::fs::create_dir_all(&scratch).expect("create scratch dir");
    for f in [
        "gen-workloads.mjs",
        "gen-workloads-jsonata.mjs",
        "common.mjs",
    ] {
        std::fs::copy(kit.join(f), scratch.join(f))
            .unwrap_or_else(|e| panic!("copy {f} from {}: {e}", kit.display()));
    }
    let ok = ["gen-workloads.mjs", "gen-workloads-jsonata.mjs"]
        .iter()
        .all(|g| {
            std::process::Command::new("node")
                .arg(g)
                .current_dir(&scratch)
                .status()
                .map(|s| s.success())
                .unwrap_or(false)
        });
    assert!(
        ok,
        "could not generate workloads with node; set ASL_BENCH_WORKLOADS"
    );
    scratch.join("workloads")
}

fn read_json(p: &Path) -> Value {
    let text = std::fs::read_to_string(p).unwrap_or_else(|e| panic!("read {}: {e}", p.display()));
    Value::parse(&text).unwrap_or_else(|e| panic!("parse {}: {e}", p.display()))
}

fn load_machine(dir: &Path, name: &str) -> Prepared {
    let text = std::fs::read_to_string(dir.join(format!("{name}.asl.json"))).expect("definition");
    let loaded = asl_core::load(&text);
    assert!(!loaded.has_errors(), "{name}: {:?}", loaded.diagnostics);
    Prepared::new(Arc::new(loaded.machine.expect("machine")))
}

/// The kit's `mockResult`: `{value: input.last.value + 1, status: "ok", payload: {a: 1, b: [1, 2, 3]}}`,
/// computed from each task's input and built fresh for every call, as the peer's handler does.
/// Keys are made once (as a JS engine interns property names), so the harness measures building
/// the objects, not allocating key strings.
struct MockResult {
    value: Key,
    status: Key,
    payload: Key,
    a: Key,
    b: Key,
    last: Key,
    ok: Value,
}

impl MockResult {
    fn new() -> MockResult {
        MockResult {
            value: "value".into(),
            status: "status".into(),
            payload: "payload".into(),
            a: "a".into(),
            b: "b".into(),
            last: "last".into(),
            ok: Value::from("ok"),
        }
    }

    fn call(&self, input: &Value) -> Value {
        self.build(self.prev(input))
    }

    /// `input.last.value`, what the answer counts on from.
    fn prev(&self, input: &Value) -> i64 {
        input
            .get(&self.last)
            .and_then(|l| l.get(&self.value))
            .and_then(Value::as_i64)
            .unwrap_or(0)
    }

    fn build(&self, prev: i64) -> Value {
        // Keys known distinct, as in the JS object literal: no duplicate lookup.
        let mut payload = Object::with_capacity(2);
        payload.push_unique(self.a.clone(), Value::from_i64(1));
        payload.push_unique(
            self.b.clone(),
            Value::array(vec![
                Value::from_i64(1),
                Value::from_i64(2),
                Value::from_i64(3),
            ]),
        );
        let mut o = Object::with_capacity(3);
        o.push_unique(self.value.clone(), Value::from_i64(prev + 1));
        o.push_unique(self.status.clone(), self.ok.clone());
        o.push_unique(self.payload.clone(), Value::object(payload));
        Value::object(o)
    }
}

struct Run {
    status: Status,
    transitions: u64,
    events: u32,
}

/// The same answers as native mocks (the playground's own path: no pause, no caller), per state:
/// `{"Return": {value: i + 1, …}}`, and for the flaky variant `{"0": {"Throw": …}, "1": …}`.
/// Precomputed rather than computed from the input, so this measures the engine alone.
fn native_mocks(machine: &Prepared, flaky: bool) -> Arc<Mocks> {
    let mut states = Vec::new();
    for (i, (name, _)) in machine.machine().root.states.iter().enumerate() {
        if !name.starts_with('T') {
            continue;
        }
        let ret = format!(
            r#"{{"Return":{{"value":{},"status":"ok","payload":{{"a":1,"b":[1,2,3]}}}}}}"#,
            i + 1
        );
        let seq = if flaky {
            format!(
                r#"{{"0":{{"Throw":{{"Error":"Lambda.ServiceException","Cause":"transient failure"}}}},"1":{ret}}}"#
            )
        } else {
            ret
        };
        states.push(format!("{}:{seq}", Value::from(&**name)));
    }
    let text = format!(r#"{{"States":{{{}}}}}"#, states.join(","));
    Arc::new(Mocks::parse(&text).expect("bench mocks"))
}

/// How the tasks of a run are answered.
#[derive(Clone)]
enum Answers {
    /// The caller, through the pause and `complete_task`.
    CompleteTask,
    /// Precomputed native mocks.
    Mocks(Arc<Mocks>),
    /// A [`TaskHandler`] computing the result from the input, as the peer's callback does.
    Handler,
    /// The same handler answering with `mockResult`s built before the run and shared, as mocks
    /// are: [`Answers::Handler`] less its answer's building and freeing, so the table can tell
    /// the engine's part of a handler run from the callback's own (benches/README.md, §18).
    HandlerPrebuilt(Arc<[Value]>),
}

impl Answers {
    fn name(&self) -> &'static str {
        match self {
            Answers::CompleteTask => "complete_task",
            Answers::Mocks(_) => "mocks",
            Answers::Handler => "handler",
            Answers::HandlerPrebuilt(_) => "handler_prebuilt",
        }
    }
}

/// The peer's callback: `mockResult` from the input; when flaky, each state throws once first
/// (its first attempt: the request's retry count is 0; the peer's harness keeps a set of
/// state names to the same effect).
fn handler(mock: &Arc<MockResult>, flaky: bool) -> TaskHandler {
    let mock = mock.clone();
    let transient = ErrorName::Custom("Lambda.ServiceException".into());
    TaskHandler::new(move |req| {
        if flaky && req.retry_count == 0 {
            return Some(Err(ExecError::new(transient.clone(), "transient failure")));
        }
        Some(Ok(mock.call(req.parameters)))
    })
}

/// [`handler`] answering from `answers`, indexed by `input.last.value` (built beforehand by
/// [`prebuilt_answers`]); an index past them is built as [`handler`] would.
fn prebuilt_handler(mock: &Arc<MockResult>, answers: &Arc<[Value]>, flaky: bool) -> TaskHandler {
    let mock = mock.clone();
    let answers = answers.clone();
    let transient = ErrorName::Custom("Lambda.ServiceException".into());
    TaskHandler::new(move |req| {
        if flaky && req.retry_count == 0 {
            return Some(Err(ExecError::new(transient.clone(), "transient failure")));
        }
        let prev = mock.prev(req.parameters);
        let built = usize::try_from(prev).ok().and_then(|i| answers.get(i));
        Some(Ok(built.cloned().unwrap_or_else(|| mock.build(prev))))
    })
}

/// `mockResult` for every `input.last.value` a run of `machine` can reach: one per state.
fn prebuilt_answers(mock: &MockResult, machine: &Prepared) -> Arc<[Value]> {
    let states = machine.machine().root.states.len();
    (0..=states as i64).map(|prev| mock.build(prev)).collect()
}

/// The JSONata task-heavy workload's Lambda: `mockResult` of `Arguments.Payload`, returned as
/// `lambda:invoke` returns it (`$states.result.Payload`).
fn lambda_handler(mock: &Arc<MockResult>) -> TaskHandler {
    let mock = mock.clone();
    let payload: Key = "Payload".into();
    let status: Key = "StatusCode".into();
    TaskHandler::new(move |req| {
        let result = mock.call(req.parameters.get(&payload).unwrap_or(&Value::Null));
        let mut o = Object::with_capacity(2);
        o.push_unique(payload.clone(), result);
        o.push_unique(status.clone(), Value::from_i64(200));
        Some(Ok(Value::object(o)))
    })
}

/// One JSONata workload, history off, limits lifted, tasks answered by [`lambda_handler`]:
/// median ms (printed with the peer's ratios), or `None` when it did not run correctly.
fn bench_jsonata(dir: &Path, name: &str, runs: usize, peer: (f64, f64)) -> Option<f64> {
    let machine = load_machine(dir, name);
    let input = read_json(&dir.join(format!("{name}.input.json")));
    let expected = read_json(&dir.join(format!("{name}.expected.json")));
    let mock = Arc::new(MockResult::new());
    let history = std::env::var("ASL_BENCH_HISTORY").as_deref() == Ok("1");
    let run = || {
        let options = ExecOptions {
            limits: Limits::unlimited(),
            record_history: history,
            record_stages: history && stages(),
            task_handler: Some(lambda_handler(&mock)),
            ..ExecOptions::default()
        };
        let mut exec = machine.start(input.clone(), options);
        let status = exec.run();
        (status, exec.transitions())
    };
    for _ in 0..warmup() {
        let _ = run();
    }
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        let t0 = Instant::now();
        let r = run();
        times.push(t0.elapsed().as_secs_f64() * 1000.0);
        last = Some(r);
    }
    let (status, transitions) = last?;
    let correct = matches!(&status, Status::Succeeded { output } if *output == expected);
    let med = median(&mut times);
    println!(
        "{{\"peer\":\"asl-core\",\"workload\":\"{name}\",\"history\":{history},\"tasks\":\"handler\",\"median_ms\":{med:.2},\"min_ms\":{:.2},\"max_ms\":{:.2},\"transitions\":{transitions},\"transitions_per_s\":{:.0},\"sfn_sim_ms\":{},\"sfn_sim_cached_ms\":{},\"x_sfn_sim\":{:.1},\"x_sfn_sim_cached\":{:.1},\"correct\":{correct}}}",
        times.first().copied().unwrap_or(0.0),
        times.last().copied().unwrap_or(0.0),
        transitions as f64 / (med / 1000.0),
        peer.0,
        peer.1,
        peer.0 / med,
        peer.1 / med,
    );
    if !correct {
        eprintln!("{name}: unexpected result {status:?}");
    }
    correct.then_some(med)
}

/// pass-loop-10k in JSONPath mode, history off: the baseline of the JSONata Pass loop.
fn jsonpath_pass_loop_ms(dir: &Path, runs: usize) -> f64 {
    let machine = load_machine(dir, "pass-loop-10k");
    let input = read_json(&dir.join("pass-loop-10k.input.json"));
    let mock = Arc::new(MockResult::new());
    let _ = run_once(
        &machine,
        &input,
        &mock,
        &Answers::CompleteTask,
        false,
        false,
    );
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let t0 = Instant::now();
            let _ = run_once(
                &machine,
                &input,
                &mock,
                &Answers::CompleteTask,
                false,
                false,
            );
            t0.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    median(&mut times)
}

/// Warm-up runs before the timed ones (`ASL_BENCH_WARMUP`, default 1), read once.
fn warmup() -> usize {
    static WARMUP: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *WARMUP.get_or_init(|| {
        std::env::var("ASL_BENCH_WARMUP")
            .ok()
            .and_then(|w| w.parse().ok())
            .unwrap_or(1)
    })
}

/// Whether a history-on run records the stages too (`ASL_BENCH_STAGES=0`: not), read once.
fn stages() -> bool {
    static STAGES: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *STAGES.get_or_init(|| std::env::var("ASL_BENCH_STAGES").as_deref() != Ok("0"))
}

fn run_once(
    machine: &Prepared,
    input: &Value,
    mock: &Arc<MockResult>,
    answers: &Answers,
    flaky: bool,
    history: bool,
) -> (Run, Execution) {
    let mut options = ExecOptions {
        limits: Limits::unlimited(),
        record_history: history,
        record_stages: history && stages(),
        ..ExecOptions::default()
    };
    match answers {
        Answers::CompleteTask => {}
        Answers::Mocks(m) => options.mocks = m.clone(),
        Answers::Handler => options.task_handler = Some(handler(mock, flaky)),
        Answers::HandlerPrebuilt(answers) => {
            options.task_handler = Some(prebuilt_handler(mock, answers, flaky));
        }
    }
    let mut exec = machine.start(input.clone(), options);
    // The peer's harness keeps a JS `Set` of state names; Fx is the Rust equivalent of its hash.
    let mut failed_once: rustc_hash::FxHashSet<Arc<str>> = Default::default();
    let status = loop {
        match exec.run() {
            Status::Paused { tasks } => {
                for t in tasks {
                    let answer = if flaky && failed_once.insert(t.state.clone()) {
                        Err(ExecError::new(
                            ErrorName::Custom("Lambda.ServiceException".into()),
                            "transient failure",
                        ))
                    } else {
                        Ok(mock.call(&t.parameters))
                    };
                    exec.complete_task(&t.token, answer).expect("pending token");
                }
            }
            other => break other,
        }
    };
    (
        Run {
            status,
            transitions: exec.transitions(),
            events: exec.event_count(),
        },
        exec,
    )
}

/// With `ASL_BENCH_COLD=1`, writes over 64 MB before each timed run of the workloads above (not
/// the JSONata ones nor def-200), so the run starts with the machine's data out of the caches:
/// what a run in the JS API meets after the peer's run or an idle (benches/README.md, §16). No
/// other way to see cache misses here: this host's guest has no hardware counters. The lines it
/// dirtied are written back while the run evicts them, a small part of what the run then pays.
fn evict_caches() {
    static BUFFER: std::sync::Mutex<Vec<u8>> = std::sync::Mutex::new(Vec::new());
    static COLD: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    if !*COLD.get_or_init(|| std::env::var("ASL_BENCH_COLD").as_deref() == Ok("1")) {
        return;
    }
    let mut buffer = BUFFER
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    buffer.resize(64 << 20, 0);
    for (i, b) in buffer.iter_mut().enumerate().step_by(64) {
        *b = b.wrapping_add(i as u8);
    }
    std::hint::black_box(&*buffer);
}

fn median(xs: &mut [f64]) -> f64 {
    xs.sort_by(|a, b| a.total_cmp(b));
    let m = xs.len() / 2;
    if xs.len() % 2 == 1 {
        xs[m]
    } else {
        (xs[m - 1] + xs[m]) / 2.0
    }
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument selects workloads.
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let runs: usize = std::env::var("ASL_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5)
        .max(1);
    // A filter selects the workloads whose names contain it, except that one naming a workload
    // exactly selects only it (`task-heavy` without `jsonata-task-heavy`, for a profile).
    let all_names: Vec<&str> = WORKLOADS
        .iter()
        .copied()
        .chain(JSONATA_WORKLOADS.iter().map(|w| w.0))
        .chain(["def-200"])
        .collect();
    let selected = |name: &str| {
        filters.is_empty()
            || filters.iter().any(|f| {
                if all_names.contains(&f.as_str()) {
                    name == f
                } else {
                    name.contains(f.as_str())
                }
            })
    };
    // `--list`: the selected workloads' names, one per line, and nothing run (`scripts/bench`
    // runs each in its own process from this list).
    if std::env::args().any(|a| a == "--list") {
        for name in all_names.iter().filter(|n| selected(n)) {
            println!("{name}");
        }
        return;
    }
    let dir = workloads_dir();
    let mock = Arc::new(MockResult::new());
    let meta = read_json(&dir.join("meta.json"));
    for name in WORKLOADS {
        if !selected(name) {
            continue;
        }
        let machine = load_machine(&dir, name);
        let input = read_json(&dir.join(format!("{name}.input.json")));
        let expected = read_json(&dir.join(format!("{name}.expected.json")));
        let flaky = meta
            .get(name)
            .and_then(|m| m.get("flaky"))
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let modes: &[bool] = match std::env::var("ASL_BENCH_HISTORY").as_deref() {
            Ok("0") => &[false],
            Ok("1") => &[true],
            _ => &[false, true],
        };
        // Tasks are answered by the caller through `complete_task` (the comparison with the
        // peer's handlers); task workloads are also run with native mocks (engine alone) and a
        // task handler (the peer's callback model).
        let answers: Vec<Answers> = if name.starts_with("task-") {
            let all = [
                Answers::CompleteTask,
                Answers::Mocks(native_mocks(&machine, flaky)),
                Answers::Handler,
                Answers::HandlerPrebuilt(prebuilt_answers(&mock, &machine)),
            ];
            let only = std::env::var("ASL_BENCH_TASKS").ok();
            all.into_iter()
                .filter(|a| only.as_deref().is_none_or(|o| o == a.name()))
                .collect()
        } else {
            vec![Answers::CompleteTask]
        };
        for (&history, answer) in modes
            .iter()
            .flat_map(|h| answers.iter().map(move |a| (h, a)))
        {
            for _ in 0..warmup() {
                let _ = run_once(&machine, &input, &mock, answer, flaky, history);
            }
            let mut times = Vec::with_capacity(runs);
            let mut last = None;
            for _ in 0..runs {
                evict_caches();
                let t0 = Instant::now();
                let (r, exec) = run_once(&machine, &input, &mock, answer, flaky, history);
                times.push(t0.elapsed().as_secs_f64() * 1000.0);
                drop(exec);
                last = Some(r);
            }
            let Some(r) = last else { continue };
            let correct = matches!(&r.status, Status::Succeeded { output } if *output == expected);
            let med = median(&mut times);
            println!(
                "{{\"peer\":\"asl-core\",\"workload\":\"{name}\",\"history\":{history},\"tasks\":\"{}\",\"median_ms\":{med:.2},\"min_ms\":{:.2},\"max_ms\":{:.2},\"transitions\":{},\"events\":{},\"transitions_per_s\":{:.0},\"correct\":{correct}}}",
                answer.name(),
                times.first().copied().unwrap_or(0.0),
                times.last().copied().unwrap_or(0.0),
                r.transitions,
                r.events,
                r.transitions as f64 / (med / 1000.0)
            );
            if !correct {
                eprintln!("{name}: unexpected result {:?}", r.status.aws_name());
            }
        }
        if (name == "pass-loop-10k" || name == "map-wide-10k") && modes.contains(&true) {
            bench_seek(&machine, &input, name);
        }
    }
    let mut jsonata_loop = None;
    for (name, plain, cached) in JSONATA_WORKLOADS {
        if selected(name) {
            let med = bench_jsonata(&dir, name, runs, (plain, cached));
            if name == "jsonata-pass-loop-10k" {
                jsonata_loop = med;
            }
        }
    }
    if let Some(jsonata) = jsonata_loop {
        let jsonpath = jsonpath_pass_loop_ms(&dir, runs);
        println!(
            "{{\"peer\":\"asl-core\",\"compare\":\"jsonata-pass-loop-10k vs pass-loop-10k (JSONPath)\",\"jsonata_ms\":{jsonata:.2},\"jsonpath_ms\":{jsonpath:.2},\"ratio\":{:.2},\"goal\":\"<= 5\"}}",
            jsonata / jsonpath
        );
    }
    if selected("def-200") {
        let text = std::fs::read_to_string(dir.join("def-200.asl.json")).expect("def-200");
        let mut times = Vec::new();
        for _ in 0..runs.max(5) {
            let t0 = Instant::now();
            let loaded = asl_core::load(&text);
            times.push(t0.elapsed().as_secs_f64() * 1000.0);
            assert!(loaded.machine.is_some());
        }
        println!(
            "{{\"peer\":\"asl-core\",\"workload\":\"def-200\",\"load_validate_median_ms\":{:.3}}}",
            median(&mut times)
        );
    }
}

/// `back()` and `seek()` on a finished execution with its whole history recorded.
fn bench_seek(machine: &Prepared, input: &Value, name: &str) {
    let mock = Arc::new(MockResult::new());
    let (_, mut exec) = run_once(machine, input, &mock, &Answers::CompleteTask, false, true);
    let total = exec.event_count();
    let mut rng = asl_core::env::Rng::new(7);
    let n = 200;
    let t0 = Instant::now();
    for _ in 0..n {
        let target = rng.range_i64(0, total as i64) as u32;
        assert!(exec.seek(target), "seek {target}");
    }
    let seek_us = t0.elapsed().as_secs_f64() * 1e6 / n as f64;
    assert!(exec.seek(total));
    let t1 = Instant::now();
    for _ in 0..n {
        assert!(exec.back());
    }
    let back_us = t1.elapsed().as_secs_f64() * 1e6 / n as f64;
    println!(
        "{{\"peer\":\"asl-core\",\"workload\":\"{name}\",\"events\":{total},\"seek_random_mean_us\":{seek_us:.1},\"back_mean_us\":{back_us:.1}}}"
    );
}
