//! The official JSONata test suite, version 2.0.6 (`../shared/jsonata-suite/`), run against
//! `asl_core::jsonata`.
//!
//! Every case must pass unless it is listed in `tests/jsonata/known-failures.json` with a reason;
//! the list may only shrink: a listed case that passes fails this test, and so does an unlisted
//! failure. Panics are caught and counted (and fail the test). Run with
//! `cargo test -p asl-core --test jsonata_suite -- --nocapture` to see the pass count;
//! `JSONATA_SUITE_VERBOSE=1` prints every failure, `JSONATA_SUITE_ONLY=<group>` runs one group.

#![allow(clippy::disallowed_methods)] // the test reads the shared case files

use std::collections::BTreeMap;
use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use asl_core::jsonata::{Bindings, EvalEnv, Expr};
use asl_core::value::Value;
use serde_json::Value as Json;

fn suite_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/jsonata-suite")
}

struct Case {
    id: String,
    json: Json,
    dir: PathBuf,
}

/// The cases, and the files no Rust string can hold (lone UTF-16 surrogates), which are skipped.
fn load_cases() -> (Vec<Case>, Vec<String>) {
    let groups = suite_dir().join("groups");
    let mut dirs: Vec<PathBuf> = fs::read_dir(&groups)
        .expect("suite groups")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    let only = std::env::var("JSONATA_SUITE_ONLY").ok();
    let mut cases = Vec::new();
    let mut unrepresentable = Vec::new();
    for dir in dirs {
        let group = dir
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        if only.as_deref().is_some_and(|o| o != group) {
            continue;
        }
        let mut files: Vec<PathBuf> = fs::read_dir(&dir)
            .expect("group dir")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        for f in files {
            let stem = f
                .file_stem()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_string();
            let text = fs::read_to_string(&f).expect("case file");
            // A few cases hold lone UTF-16 surrogates, which no Rust string can: not counted.
            let Ok(json) = serde_json::from_str::<Json>(&text) else {
                unrepresentable.push(format!("{group}/{stem}"));
                continue;
            };
            match json {
                Json::Array(items) => {
                    for (i, item) in items.into_iter().enumerate() {
                        cases.push(Case {
                            id: format!("{group}/{stem}[{i}]"),
                            json: item,
                            dir: dir.clone(),
                        });
                    }
                }
                other => cases.push(Case {
                    id: format!("{group}/{stem}"),
                    json: other,
                    dir: dir.clone(),
                }),
            }
        }
    }
    (cases, unrepresentable)
}

enum Outcome {
    Pass,
    Fail(String),
}

fn run_case(case: &Case, datasets: &mut BTreeMap<String, Option<Value>>) -> Outcome {
    let j = &case.json;
    let expr_text = match (j.get("expr"), j.get("expr-file")) {
        (Some(Json::String(e)), _) => e.clone(),
        (_, Some(Json::String(f))) => match fs::read_to_string(case.dir.join(f)) {
            Ok(t) => t,
            Err(e) => return Outcome::Fail(format!("cannot read {f}: {e}")),
        },
        _ => return Outcome::Fail("no expression".into()),
    };
    let input: Option<Value> = if let Some(d) = j.get("data") {
        Some(Value::from(d))
    } else {
        match j.get("dataset") {
            Some(Json::String(name)) => datasets
                .entry(name.clone())
                .or_insert_with(|| {
                    let p = suite_dir().join("datasets").join(format!("{name}.json"));
                    fs::read_to_string(p)
                        .ok()
                        .and_then(|t| Value::parse(&t).ok())
                })
                .clone(),
            _ => None,
        }
    };
    let mut bindings = Bindings::new();
    if let Some(Json::Object(b)) = j.get("bindings") {
        for (k, v) in b {
            bindings.set(k, Value::from(v));
        }
    }
    let mut env = EvalEnv::default();
    if let Some(d) = j.get("depth").and_then(Json::as_u64) {
        env.max_depth = d as usize;
    }
    if let Some(t) = j.get("timelimit").and_then(Json::as_u64) {
        env.max_steps = t * 10_000;
    }
    let result =
        Expr::compile(&expr_text).and_then(|e| e.evaluate_opt(input.as_ref(), &bindings, &env));
    let code = j
        .get("code")
        .or_else(|| j.get("error").and_then(|e| e.get("code")))
        .and_then(Json::as_str);
    if let Some(code) = code {
        return match result {
            Err(e) if e.code == code => Outcome::Pass,
            Err(e) => Outcome::Fail(format!("expected {code}, got error {e}")),
            Ok(v) => Outcome::Fail(format!("expected {code}, got {v:?}")),
        };
    }
    if j.get("undefinedResult")
        .is_some_and(|u| u == &Json::Bool(true))
    {
        return match result {
            Ok(None) => Outcome::Pass,
            other => Outcome::Fail(format!("expected undefined, got {other:?}")),
        };
    }
    if let Some(expected) = j.get("result") {
        let expected = Value::from(expected);
        return match result {
            Ok(Some(v)) if same(&v, &expected) => Outcome::Pass,
            other => Outcome::Fail(format!("expected {expected}, got {other:?}")),
        };
    }
    Outcome::Fail("case has no expectation".into())
}

/// JSON equality, numbers compared to 15 significant digits (JSONata's own runner allows for the
/// last-digit differences of floating-point sums).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (
                x.as_f64().unwrap_or(f64::NAN),
                y.as_f64().unwrap_or(f64::NAN),
            );
            x == y || format!("{x:.14e}") == format!("{y:.14e}")
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| same(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

#[test]
fn official_suite() {
    // Debug builds use far more stack per nested evaluation than release builds; the depth limits
    // of the cases (and the default) are sized for release, so give the debug run room.
    // `JSONATA_SUITE_STACK_KB=1024` runs it on a browser-sized stack (with `--release`).
    let stack = std::env::var("JSONATA_SUITE_STACK_KB")
        .ok()
        .and_then(|k| k.parse::<usize>().ok())
        .map_or(512 << 20, |k| k << 10);
    std::thread::Builder::new()
        .stack_size(stack)
        .spawn(run_suite)
        .expect("suite thread")
        .join()
        .expect("suite thread result");
}

fn run_suite() {
    let known_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/jsonata/known-failures.json");
    let known: BTreeMap<String, String> = fs::read_to_string(&known_path)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    let verbose = std::env::var("JSONATA_SUITE_VERBOSE").is_ok();
    let (cases, unrepresentable) = load_cases();
    let mut datasets = BTreeMap::new();
    let (mut pass, mut fail, mut skip, mut panics) = (0, 0, 0, 0);
    let mut problems = Vec::new();
    let mut failing_ids = Vec::new();
    // Panics are caught to count them; keep the default hook quiet while running.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let trace = std::env::var("JSONATA_SUITE_TRACE").is_ok();
    for case in &cases {
        if trace {
            eprintln!("{}", case.id);
        }
        let outcome = catch_unwind(AssertUnwindSafe(|| run_case(case, &mut datasets)));
        let outcome = match outcome {
            Ok(o) => o,
            Err(_) => {
                panics += 1;
                Outcome::Fail("PANIC".into())
            }
        };
        let listed = known.contains_key(&case.id);
        match outcome {
            Outcome::Pass if listed => {
                pass += 1;
                problems.push(format!(
                    "{}: passes now; remove it from known-failures.json",
                    case.id
                ));
            }
            Outcome::Pass => pass += 1,
            Outcome::Fail(why) => {
                failing_ids.push((case.id.clone(), why.clone()));
                if listed {
                    skip += 1;
                } else {
                    fail += 1;
                    problems.push(format!("{}: {why}", case.id));
                }
                if verbose {
                    println!("FAIL {}: {why}", case.id);
                }
            }
        }
    }
    std::panic::set_hook(hook);
    if let Ok(path) = std::env::var("JSONATA_SUITE_WRITE_FAILURES") {
        let map: BTreeMap<String, String> = failing_ids.into_iter().collect();
        let _ = fs::write(path, serde_json::to_string_pretty(&map).unwrap_or_default());
    }
    println!(
        "JSONata suite 2.0.6: {pass} pass, {fail} unexpected failures, {skip} known failures, {panics} panics, of {} cases ({} more not representable in Rust strings: {})",
        cases.len(),
        unrepresentable.len(),
        unrepresentable.join(", ")
    );
    assert_eq!(panics, 0, "panics in the JSONata suite");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
