//! The body of every fuzz target: generate from the bytes, run the code under test, check what
//! must hold. cargo-fuzz calls these from `crates/asl-core/fuzz/fuzz_targets/*.rs`; the stable
//! smoke test (`tests/smoke.rs`) calls them over seeded bytes and the saved regression inputs.
//! A failed check panics (libFuzzer records the input as a crash).
//!
//! Not owned here: generating (the sibling modules).

use std::sync::Arc;

use asl_core::env::{Env, Rng};
use asl_core::error::{ErrorName, ExecError};
use asl_core::exec::{ExecOptions, Execution, Limits, Step};
use asl_core::history::HistoryEvent;
use asl_core::intrinsics::Call;
use asl_core::jsonata::{Bindings, EvalEnv, Expr};
use asl_core::mock::{MockConfig, MockError, MockFile, Mocks};
use asl_core::path::{Path, Scope, Variables};
use asl_core::share::{self, SharedSession};
use asl_core::value::Value;
use asl_core::{LoadOptions, Loaded, WorkflowType};

use crate::choices::Gen;
use crate::{asl, docs, json, jsonata as jsonata_gen, mocks as mocks_gen, paths as paths_gen};

/// A target's body: bytes in, a panic when a check fails.
pub type Target = fn(&[u8]);

/// Every target by name, as `scripts/fuzz` and the smoke test list them.
pub const ALL: &[(&str, Target)] = &[
    ("load", load),
    ("paths", paths),
    ("jsonata", jsonata),
    ("exec", exec),
    ("mocks", mocks),
    ("yaml", yaml),
    ("graph", graph),
    ("share", share),
    ("recorded", recorded),
];

fn check_spans(text: &str, loaded: &Loaded) {
    for d in loaded.diagnostics.iter().chain(&loaded.skipped) {
        assert!(
            d.span.start <= d.span.end && d.span.end as usize <= text.len(),
            "span {:?} outside {} bytes: {d:?}",
            d.span,
            text.len()
        );
    }
}

fn load_options(g: &mut Gen) -> LoadOptions {
    let ty = if g.chance(30) {
        WorkflowType::Express
    } else {
        WorkflowType::Standard
    };
    if g.chance(50) {
        LoadOptions::for_type(ty)
    } else {
        LoadOptions::default()
    }
}

/// Parse + validate: the bytes as text, then a generated definition (now and then mutated).
pub fn load(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let loaded = asl_core::load(text);
        check_spans(text, &loaded);
        assert!(loaded.machine.is_some() || loaded.has_errors());
    }
    let mut g = Gen::new(data);
    let def = asl::definition(&mut g, 2, 5);
    let text = if g.chance(50) {
        def.tree.to_json()
    } else {
        def.tree.to_yaml()
    };
    let options = load_options(&mut g);
    let loaded = asl_core::load_with(&text, &options);
    check_spans(&text, &loaded);
    assert!(loaded.machine.is_some() || loaded.has_errors(), "{text}");
}

struct Vars(Value);

impl Variables for Vars {
    fn get(&self, name: &str) -> Option<Value> {
        self.0.get(name).cloned()
    }
}

fn parse_value(text: &str) -> Value {
    Value::parse(text).unwrap_or_else(|_| Value::empty_object())
}

/// JSONPath (select, find, ResultPath writes) and intrinsic functions over a generated input.
pub fn paths(data: &[u8]) {
    let mut g = Gen::new(data);
    let input = parse_value(&json::value(&mut g, 4).to_json());
    let context = parse_value(
        r#"{"Execution": {"Input": {"a": 1}, "Name": "n"}, "State": {"Name": "S"},
            "Map": {"Item": {"Value": [1, "x"], "Index": 0}}, "Task": {"Token": "t"}}"#,
    );
    let vars = Vars(parse_value(&format!(
        r#"{{"v": {}, "items": [1, 2, {{"a": 3}}]}}"#,
        json::value(&mut g, 2).to_json()
    )));
    let scope = Scope::new(&input, &context, &vars);
    let mut rng = Rng::new(g.range(0, u64::MAX));
    for _ in 0..4 {
        let text = paths_gen::path(&mut g);
        match Path::parse(&text) {
            Ok(p) => {
                let _ = p.eval(&scope);
                let _ = p.find(&scope);
                let _ = p.select(&scope);
                let new = json::value(&mut g, 2);
                let _ = p.set(input.clone(), parse_value(&new.to_json()));
                let _ = p.set_checked(input.clone(), Value::from_i64(1));
            }
            Err(e) => assert!(e.offset <= text.len(), "{text:?}: {e:?}"),
        }
        let text = paths_gen::intrinsic(&mut g, 2);
        match Call::parse(&text) {
            Ok(call) => {
                let _ = call.eval(&scope, &mut rng);
                let _ = call.arity_problems();
            }
            Err(e) => assert!(e.offset <= text.len(), "{text:?}: {e:?}"),
        }
    }
}

fn jsonata_check(text: &str, input: &Value, vars: &Bindings) {
    let expr = match Expr::compile(text) {
        Ok(e) => e,
        Err(e) => {
            assert!(
                e.position.is_none_or(|p| p <= text.len()),
                "{text:?}: {e:?}"
            );
            return;
        }
    };
    let env = EvalEnv {
        max_steps: 200_000,
        ..EvalEnv::default()
    };
    let _ = expr.evaluate_opt(Some(input), vars, &env);
    let _ = expr.evaluate_opt(None, vars, &env);
}

/// JSONata: the bytes as an expression, then a generated one; compile and evaluate.
pub fn jsonata(data: &[u8]) {
    let input = parse_value(
        r#"{"a": {"b": [1, 2, {"x": "y"}]}, "items": [{"name": "n1", "price": 2.5, "tags": ["t", "x"]},
            {"name": "n2", "price": -1, "tags": []}], "name": "top", "x": null}"#,
    );
    let vars = Bindings::new()
        .with(
            "states",
            parse_value(r#"{"input": {"i": 3}, "context": {}}"#),
        )
        .with("v", Value::from_i64(2));
    if let Ok(text) = std::str::from_utf8(data) {
        jsonata_check(text, &input, &vars);
    }
    let mut g = Gen::new(data);
    let text = jsonata_gen::expr(&mut g, 6);
    jsonata_check(&text, &input, &vars);
}

/// What a history must look like at every moment: ids 1..n in order, each `previousEventId`
/// pointing to an earlier event.
pub fn check_history(events: &[HistoryEvent]) {
    for (i, e) in events.iter().enumerate() {
        assert_eq!(e.id as usize, i + 1, "event ids must be 1..n");
        assert!(
            e.previous_event_id < e.id,
            "event {} points to later event {}",
            e.id,
            e.previous_event_id
        );
        if i > 0 {
            assert!(
                e.timestamp_ms >= events[0].timestamp_ms,
                "event {} before the start",
                e.id
            );
        }
    }
}

fn event_text(e: &HistoryEvent) -> String {
    format!("{e:?}")
}

/// A generated definition, valid, with generated mocks and input, driven by a generated sequence
/// of step/back/seek/run/answer moves; after every move the history is well formed, going back
/// gives the same prefix, and going forward again gives the same events as before. A run
/// without answers is finally compared with a fresh `run()` of the same options.
pub fn exec(data: &[u8]) {
    let mut g = Gen::new(data);
    let def = asl::definition(&mut g, 2, 4);
    let text = def.tree.to_json();
    let loaded = asl_core::load(&text);
    if loaded.has_errors() {
        return;
    }
    let Some(machine) = loaded.machine else {
        return;
    };
    let mocks = if g.chance(70) {
        Mocks::parse(&mocks_gen::native(&mut g, &def.tasks).to_json()).unwrap_or_default()
    } else {
        MockConfig::parse(&mocks_gen::config(&mut g, &def.tasks).to_json())
            .ok()
            .and_then(|c| c.mocks(None, "Case0").ok())
            .unwrap_or_default()
    };
    let input = parse_value(&json::value(&mut g, 3).to_json());
    let options = ExecOptions {
        env: Env {
            start_time_ms: 1_704_067_200_000,
            seed: g.range(0, 1000),
        },
        mocks: Arc::new(mocks),
        limits: Limits {
            max_transitions: 200,
            max_history_events: 1_500,
            ..Limits::default()
        },
        snapshot_every: 1 + g.below(20) as u32,
        ..ExecOptions::default()
    };
    let machine = Arc::new(machine);
    let mut ex = Execution::start(machine.clone(), input.clone(), options.clone());
    // The furthest history seen since the last answer: replays must reproduce it.
    let mut seen: Vec<String> = Vec::new();
    let mut answered = false;
    for _ in 0..1 + g.below(48) {
        let before = ex.history().len();
        match g.below(10) {
            0..=3 => match ex.step() {
                Step::Event(id) => assert_eq!(id as usize, ex.history().len()),
                Step::Paused => assert!(!ex.pending().is_empty(), "paused with nothing pending"),
                Step::Finished => assert!(ex.status().is_finished()),
            },
            4 => {
                let moved = ex.back();
                assert_eq!(moved, before > 0);
                assert_eq!(ex.history().len(), before.saturating_sub(1));
            }
            5 => {
                let to = g.below(before + 3) as u32;
                if ex.seek(to) {
                    assert_eq!(ex.history().len(), to as usize);
                } else {
                    assert!(to as usize > before, "seek back to {to} failed");
                }
            }
            6 => {
                let status = ex.run();
                assert_eq!(status, ex.status());
            }
            _ => {
                let pending: Vec<Arc<str>> = ex.pending().iter().map(|p| p.token.clone()).collect();
                if pending.is_empty() {
                    continue;
                }
                let token = pending[g.below(pending.len())].clone();
                let result = if g.chance(60) {
                    Ok(parse_value(&json::value(&mut g, 2).to_json()))
                } else {
                    Err(ExecError::new(
                        ErrorName::parse(g.pick(asl::ERRORS)),
                        "cause",
                    ))
                };
                let _ = match g.below(4) {
                    0 => ex.complete_task(&token, result).map(|_| ()),
                    1 => ex
                        .complete_task_after(&token, result, g.range(0, 100_000))
                        .map(|_| ()),
                    2 => ex.send_heartbeat(&token, g.range(0, 100_000)).map(|_| ()),
                    _ => ex.expire_task(&token).map(|_| ()),
                };
                answered = true;
                let n = ex.history().len();
                seen.truncate(n);
            }
        }
        let history = ex.history();
        check_history(history);
        assert_eq!(ex.event_count() as usize, history.len());
        // The newest event equals the one recorded at that id before (deterministic replay).
        if let Some(last) = history.last() {
            let i = history.len() - 1;
            let t = event_text(last);
            if i < seen.len() {
                assert_eq!(seen[i], t, "replayed event {} differs", i + 1);
            } else {
                seen.extend(history[seen.len()..].iter().map(event_text));
            }
        }
        if ex.status().is_finished() {
            assert!(
                ex.position().is_empty(),
                "a finished execution has no position"
            );
        }
    }
    if !answered && ex.status().is_finished() {
        let mut fresh = Execution::start(machine, input, options);
        fresh.run();
        let n = ex.history().len();
        let a: Vec<String> = ex.history().iter().map(event_text).collect();
        let b: Vec<String> = fresh.history()[..n.min(fresh.history().len())]
            .iter()
            .map(event_text)
            .collect();
        assert_eq!(a, b, "stepping and run() differ");
        assert_eq!(fresh.status(), ex.status());
    }
}

fn check_mock_error(text: &str, e: &MockError) {
    let lines = text.split('\n').count() as u32;
    assert!(
        e.line >= 1 && e.line <= lines.max(1),
        "{e} in {lines} lines"
    );
    assert!(e.column >= 1, "{e}");
    assert!(e.span.end as usize <= text.len(), "{e}: {:?}", e.span);
}

/// Mock files: the bytes as text, then generated native mocks and MockConfigFiles for a generated
/// definition; what is read survives writing back and reading again.
pub fn mocks(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data)
        && let Err(e) = MockFile::parse(text)
    {
        check_mock_error(text, &e);
    }
    let mut g = Gen::new(data);
    let def = asl::definition(&mut g, 1, 4);
    let loaded = asl_core::load(&def.tree.to_json());
    let text = if g.chance(50) {
        mocks_gen::native(&mut g, &def.tasks).to_json()
    } else {
        mocks_gen::config(&mut g, &def.tasks).to_json()
    };
    match MockFile::parse(&text) {
        Err(e) => check_mock_error(&text, &e),
        Ok(MockFile::Native(m)) => {
            let again = Mocks::from_value(&m.to_value()).expect("written mocks read back");
            assert_eq!(again, m);
            if let Some(machine) = &loaded.machine {
                let _ = m.unused(machine);
                let c = MockConfig::export(machine, "M", "T", &m);
                let again = MockConfig::from_value(&c.to_value()).expect("export reads back");
                assert_eq!(again, c);
            }
        }
        Ok(MockFile::Config(c)) => {
            let again = MockConfig::from_value(&c.to_value()).expect("written config reads back");
            assert_eq!(again, c);
            for (machine, case) in c.cases() {
                let _ = c.mocks(Some(&machine), &case);
            }
        }
    }
}

/// YAML and templates: the bytes as text, then a generated definition as YAML or inside a
/// template; a plain YAML definition reads as the same machine as its JSON.
pub fn yaml(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = asl_core::yaml::parse(text);
        let loaded = asl_core::load(text);
        check_spans(text, &loaded);
    }
    let mut g = Gen::new(data);
    let def = asl::definition(&mut g, 2, 4);
    let (text, plain) = docs::document(&mut g, &def.tree);
    let loaded = asl_core::load(&text);
    check_spans(&text, &loaded);
    if plain {
        let from_json = asl_core::load(&def.tree.to_json());
        let codes = |l: &Loaded| l.diagnostics.iter().map(|d| d.code).collect::<Vec<_>>();
        assert_eq!(codes(&loaded), codes(&from_json), "{text}");
        assert_eq!(loaded.machine.is_some(), from_json.machine.is_some());
    }
}

/// The graph: a generated definition (errors and all) drawn twice gives the same bytes, and no
/// user text reaches the markup unescaped.
pub fn graph(data: &[u8]) {
    let mut g = Gen::new(data);
    let def = asl::definition(&mut g, 2, 6);
    let loaded = asl_core::load(&def.tree.to_json());
    let opts = asl_graph::RenderOptions::default();
    let Some(svg) = asl_graph::render_loaded(&loaded, &opts) else {
        return;
    };
    assert!(svg.starts_with("<svg"), "{svg}");
    assert!(!svg.contains("<script"), "unescaped name in {svg}");
    let again = asl_graph::render_loaded(&loaded, &opts).expect("drawn once, drawn twice");
    assert_eq!(svg, again, "render is not deterministic");
}

/// Share links: arbitrary text decodes to a session or a `ShareError`, never a panic; a generated
/// session survives `encode` → `decode` unchanged, its link is URL-safe and stable
/// (`encode(decode(link)) == link`), and a damaged link (cut, a character changed or inserted)
/// is an error or some session, never a panic.
pub fn share(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(session) = share::decode(text)
    {
        let again = share::decode(&share::encode(&session)).expect("a re-encoded link decodes");
        assert_eq!(again, session);
    }
    let mut g = Gen::new(data);
    let def = asl::definition(&mut g, 1, 4);
    let session = SharedSession {
        definition: if g.chance(50) {
            def.tree.to_json()
        } else {
            def.tree.to_yaml()
        },
        input: json::value(&mut g, 3).to_json(),
        mocks: if g.chance(50) {
            mocks_gen::native(&mut g, &def.tasks).to_json()
        } else {
            String::new()
        },
        substitutions: (0..g.below(3))
            .map(|_| {
                (
                    g.pick(json::KEYS).to_string(),
                    g.pick(json::STRINGS).to_string(),
                )
            })
            .collect(),
        logical_id: g.chance(20).then(|| g.pick(json::STRINGS).to_string()),
        workflow_type: if g.chance(30) {
            WorkflowType::Express
        } else {
            WorkflowType::Standard
        },
        step: g.chance(40).then(|| g.range(0, 100_000) as u32),
        state: g
            .chance(30)
            .then(|| def.names.first().cloned().unwrap_or_default()),
    };
    let link = share::encode(&session);
    let payload = link.strip_prefix(share::PREFIX).expect("v1 prefix");
    assert!(
        payload
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
        "{link}"
    );
    assert_eq!(share::decode(&link).as_ref(), Ok(&session));
    assert_eq!(share::encode(&session), link, "encoding is deterministic");
    let mut damaged = link.clone();
    match g.below(3) {
        0 => damaged.truncate(g.below(link.len() + 1)),
        1 => {
            let at = share::PREFIX.len() + g.below(payload.len().max(1));
            let c = g.pick(&['A', 'z', '0', '-', '_', '=', '%', 'é']);
            if at < damaged.len() {
                damaged.replace_range(at..at + 1, &c.to_string());
            }
        }
        _ => damaged.insert_str(
            g.below(link.len() + 1),
            g.pick(&["v2.", "v1.", "==", "A", "%20", " "]),
        ),
    }
    let _ = share::decode(&damaged);
}

/// Recorded executions (`asl_core::recorded`): a generated machine run with generated mocks, its
/// history exported in GetExecutionHistory's shape, damaged or not, then imported, replayed
/// (step, back, seek, run), its mocks derived and compared with a simulation. The raw bytes are
/// also tried as a history. An import error is positioned inside its text, an undamaged export
/// always imports, and nothing panics.
pub fn recorded(data: &[u8]) {
    let mut g = Gen::new(data);
    let def = asl::definition(&mut g, 2, 4);
    let Some(machine) = asl_core::load(&def.tree.to_json()).machine else {
        return;
    };
    let machine = Arc::new(machine);
    if let Ok(text) = std::str::from_utf8(data) {
        import_checked(&machine, text);
    }
    let options = ExecOptions {
        env: Env {
            start_time_ms: 1_704_067_200_000,
            seed: g.range(0, 1000),
        },
        mocks: Arc::new(
            Mocks::parse(&mocks_gen::native(&mut g, &def.tasks).to_json()).unwrap_or_default(),
        ),
        limits: Limits {
            max_transitions: 200,
            max_history_events: 1_500,
            ..Limits::default()
        },
        ..ExecOptions::default()
    };
    let input = parse_value(&json::value(&mut g, 3).to_json());
    let mut ex = Execution::start(machine.clone(), input, options.clone());
    ex.run();
    let export = asl_core::recorded::history_json(ex.history()).to_json_string();
    let mut text = export.clone();
    if g.chance(50) {
        match g.below(4) {
            0 => {
                let at = g.below(export.len() + 1);
                if export.is_char_boundary(at) {
                    text.truncate(at);
                }
            }
            1 => {
                // Another value where one was: a number, a string, null, a nested object.
                let at = g.below(export.len().max(1));
                if export.is_char_boundary(at) {
                    text.insert_str(at, g.pick(&["0", "\"x\"", "null", "{}", "-1", "1e999"]));
                }
            }
            2 => {
                text = export.replacen(
                    g.pick(&["\"id\"", "\"type\"", "\"previousEventId\""]),
                    "\"x\"",
                    1,
                )
            }
            _ => {
                text = export.replacen(
                    g.pick(&[
                        "TaskSucceeded",
                        "StateEntered",
                        "ExecutionStarted",
                        "Exited",
                    ]),
                    g.pick(&["TaskFailed", "Nope", "MapRunStarted", ""]),
                    1,
                )
            }
        }
    }
    let Some(rec) = import_checked(&machine, &text) else {
        if text == export {
            let e = asl_core::recorded::import(&machine, &text, None).err();
            panic!("an exported history imports: {e:?}\n{}", def.tree.to_json());
        }
        return;
    };
    if text == export && matches!(rec.status(), "SUCCEEDED" | "FAILED") {
        // Our own run, exported and read back, is what the simulator does again. (Not a run
        // that timed out or paused: a task left unfinished has no answer to derive.)
        let c = asl_core::recorded::compare_recorded(machine.clone(), &rec, options.clone());
        assert!(
            c.divergence.is_none(),
            "{:?}\n{}",
            c.divergence,
            def.tree.to_json()
        );
    }
    let mut replay = asl_core::recorded::Replay::new(machine.clone(), rec.clone());
    for _ in 0..g.below(16) {
        match g.below(4) {
            0 => {
                replay.step();
            }
            1 => {
                replay.back();
            }
            2 => {
                let to = g.below(replay.recorded().len() + 2) as u32;
                replay.seek(to);
            }
            _ => {
                replay.run();
            }
        }
        assert!(replay.history().len() <= replay.recorded().len());
    }
    let derived = asl_core::recorded::mocks_from(&machine, &rec.events);
    let _ = asl_core::recorded::compare_with(
        machine.clone(),
        &rec,
        ExecOptions {
            mocks: Arc::new(derived.mocks),
            ..options
        },
    );
}

/// Imports `text` as a history of `machine`; an error must point inside the text.
fn import_checked(
    machine: &asl_core::model::StateMachine,
    text: &str,
) -> Option<asl_core::recorded::Recording> {
    match asl_core::recorded::import(machine, text, None) {
        Ok(rec) => Some(rec),
        Err(e) => {
            assert!(
                e.span.start <= e.span.end && e.span.end as usize <= text.len(),
                "{e} at {:?} in {} bytes",
                e.span,
                text.len()
            );
            assert!(e.line >= 1 && e.column >= 1, "{e}");
            None
        }
    }
}
