//! Conformance: runs every recorded case of `shared/conformance` (LocalStack's AWS-recorded
//! snapshots and definition checks, tiny-asl-machine's AWS recordings, aws-local-stepfunctions'
//! unit tests) through the loader and executor and compares status, output, error, cause and the
//! event-type sequence with what was recorded. A definition AWS rejected (`VALIDATION_FAIL`,
//! `INVALID_DEFINITION`) must get a loader error; one it accepted (`VALIDATION_OK`) none.
//!
//! Prints counts per category and per file (JSONPath and JSONata cases apart):
//! `cargo test -p asl-core --test conformance conformance_cases -- --nocapture`.
//!
//! Failures must be listed in `tests/conformance/known-failures.json` (case id → reason). The list
//! may only shrink: a failing case that is not listed, or a listed case that now passes, fails
//! this test. `UPDATE_KNOWN_FAILURES=1` rewrites the list (keeping existing reasons) — review the
//! diff before committing it.
//!
//! The cases live beside the repository (`../shared/conformance`); `ASL_CONFORMANCE_DIR`
//! overrides the location.

#![allow(clippy::disallowed_methods)] // the test reads the shared case files

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use asl_core::exec::{ExecNames, ExecOptions, Execution, Status};
use asl_core::mock::Mocks;
use asl_core::value::Value;
use serde_json::Value as J;

const FILES: [&str; 4] = [
    "localstack.jsonl",
    "localstack_validation.jsonl",
    "aws-local-stepfunctions.jsonl",
    "tiny-asl-machine.jsonl",
];

fn known_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/conformance/known-failures.json")
}

/// The execution's names: LocalStack's placeholders, except that tiny-asl-machine's recordings
/// mask region, account and names but keep the real partition (`arn:aws:states:<REGION>:…`).
fn names_for(case: &J) -> ExecNames {
    let mut names = ExecNames::conformance_placeholders();
    if case.get("source").and_then(J::as_str) == Some("tiny-asl-machine") {
        names.partition = "aws".into();
    }
    names
}

/// Strings in `expected` that stand for values the snapshot tool masked.
fn wildcard_tokens(case: &J) -> Vec<String> {
    let mut toks: Vec<String> = [
        "date",
        "timestamp",
        "entered-time",
        "start-time",
        "<timestamp>",
        "<request_id>",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    if let Some(ps) = case.get("placeholders").and_then(J::as_array) {
        for p in ps.iter().filter_map(J::as_str) {
            toks.push(p.to_string());
        }
    }
    // `<uuid:N>` and `<json-input:N>` appear with several N.
    for n in 0..10 {
        toks.push(format!("<uuid:{n}>"));
        toks.push(format!("<json-input:{n}>"));
    }
    toks.sort_by_key(|t| std::cmp::Reverse(t.len()));
    toks.dedup();
    toks
}

/// Whether `actual` matches `expected`, where placeholder tokens in expected strings match any
/// text.
fn string_matches(expected: &str, actual: &str, toks: &[String]) -> bool {
    if expected == actual {
        return true;
    }
    if !toks.iter().any(|t| expected.contains(t.as_str())) {
        return false;
    }
    // Build a glob: literal parts escaped, tokens as `*`.
    let mut glob = String::new();
    let mut rest = expected;
    'outer: while !rest.is_empty() {
        for t in toks {
            if rest.starts_with(t.as_str()) {
                glob.push('*');
                rest = &rest[t.len()..];
                continue 'outer;
            }
        }
        let c = rest.chars().next().unwrap_or(' ');
        if c == '*' || c == '\\' {
            glob.push('\\');
        }
        glob.push(c);
        rest = &rest[c.len_utf8()..];
    }
    asl_core::choice::glob_matches(&glob, actual)
}

fn json_matches(expected: &J, actual: &J, toks: &[String]) -> bool {
    match (expected, actual) {
        (J::String(e), J::String(a)) => string_matches(e, a, toks),
        (J::String(e), _) if toks.iter().any(|t| t == e) => true,
        (J::Number(e), J::Number(a)) => e.as_f64() == a.as_f64(),
        (J::Array(e), J::Array(a)) => {
            e.len() == a.len() && e.iter().zip(a).all(|(x, y)| json_matches(x, y, toks))
        }
        (J::Object(e), J::Object(a)) => {
            e.len() == a.len()
                && e.iter()
                    .all(|(k, v)| a.get(k).is_some_and(|w| json_matches(v, w, toks)))
        }
        _ => expected == actual,
    }
}

/// Fills in the generated "now" input of the Wait cases (`context.input_rule`).
fn generated_input(case: &J, input: &J, start_ms: i64) -> J {
    let Some(rule) = case.pointer("/context/input_rule").and_then(J::as_str) else {
        return input.clone();
    };
    let days: i64 = rule
        .split("now_utc + ")
        .nth(1)
        .and_then(|r| r.split(" days").next())
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0);
    let suffix = rule
        .split("+ '")
        .nth(1)
        .and_then(|r| r.split('\'').next())
        .unwrap_or("");
    let ms = start_ms + days * 86_400_000;
    let text = format!("{}{suffix}", asl_core::exec::timestamp::format_seconds(ms));
    let s = serde_json::to_string(input)
        .unwrap_or_default()
        .replace("<timestamp>", &text);
    serde_json::from_str(&s).unwrap_or_else(|_| input.clone())
}

fn mocks_for(case: &J) -> Result<Mocks, String> {
    let mut obj = case
        .get("mocks")
        .cloned()
        .unwrap_or(J::Object(Default::default()));
    if let Some(calls) = case.get("mock_calls").and_then(J::as_object) {
        for (state, list) in calls {
            let Some(list) = list.as_array() else {
                continue;
            };
            let timeouts: Vec<&J> = list
                .iter()
                .filter(|c| c.get("outcome").and_then(J::as_str) == Some("timeout"))
                .collect();
            if timeouts.is_empty() || obj.get(state).is_some() {
                continue;
            }
            // The resource never answered: a mock that runs past TimeoutSeconds.
            let mut seq = serde_json::Map::new();
            for (i, c) in list.iter().enumerate() {
                let secs = c
                    .get("timeoutInSeconds")
                    .and_then(J::as_f64)
                    .unwrap_or(60.0)
                    + 1.0;
                let entry = match c.get("outcome").and_then(J::as_str) {
                    Some("return") => {
                        serde_json::json!({"Return": c.get("result").cloned().unwrap_or(J::Null)})
                    }
                    Some("throw") => {
                        serde_json::json!({"Throw": {"Error": c.get("error"), "Cause": c.get("cause")}})
                    }
                    _ => serde_json::json!({"Return": {}, "DurationSeconds": secs}),
                };
                seq.insert(i.to_string(), entry);
            }
            if let Some(o) = obj.as_object_mut() {
                o.insert(state.clone(), J::Object(seq));
            }
        }
    }
    Mocks::from_value(&Value::from(&obj))
}

/// What AWS said when it rejected a definition: the first diagnostic's message, or the cause.
fn aws_rejection(expected: &J) -> String {
    expected
        .pointer("/diagnostics/0/message")
        .or_else(|| expected.get("cause"))
        .and_then(J::as_str)
        .unwrap_or("")
        .to_string()
}

/// Runs one case; `Err(reason)` when it does not match the recording.
fn run_case(case: &J) -> Result<(), String> {
    let expected = case.get("expected").ok_or("case without expected")?;
    let definition = match case.get("definition").ok_or("no definition")? {
        // The validation cases give some definitions as raw text (" ", "not a definition").
        J::String(text) => text.clone(),
        other => serde_json::to_string(other).map_err(|e| e.to_string())?,
    };
    // The validation cases record the type AWS validated as (`context.state_machine_type`).
    let workflow_type = common::workflow_type(case);
    let loaded = asl_core::load_with(
        &definition,
        &asl_core::LoadOptions {
            workflow_type,
            ..asl_core::LoadOptions::default()
        },
    );
    if expected.get("status").and_then(J::as_str) == Some("VALIDATION_OK") {
        return match loaded.errors().next() {
            None => Ok(()),
            Some(d) => Err(format!("definition rejected: {}: {}", d.code, d.message)),
        };
    }
    // AWS rejected the definition at creation (`VALIDATION_FAIL`, as in
    // `localstack_validation.jsonl`): the loader must report at least one error. Which code and
    // location is `validate_conformance`'s concern.
    if matches!(
        expected.get("status").and_then(J::as_str),
        Some("VALIDATION_FAIL" | "INVALID_DEFINITION")
    ) {
        return match loaded.errors().next() {
            Some(_) => Ok(()),
            None => Err(format!(
                "definition accepted; AWS rejected it: {}",
                aws_rejection(expected)
            )),
        };
    }
    let machine = match (
        loaded.machine,
        loaded
            .diagnostics
            .iter()
            .any(|d| d.severity == asl_core::Severity::Error),
    ) {
        (Some(m), false) => m,
        (_, _) => {
            let first = loaded
                .diagnostics
                .first()
                .map(|d| format!("{}: {}", d.code, d.message))
                .unwrap_or_default();
            return Err(format!("definition rejected: {first}"));
        }
    };
    let options = ExecOptions {
        mocks: Arc::new(mocks_for(case)?),
        names: names_for(case),
        ..ExecOptions::default()
    };
    let input = generated_input(
        case,
        case.get("input").unwrap_or(&J::Null),
        options.env.start_time_ms,
    );
    let machine = Arc::new(machine);
    let input = Value::from(&input);
    // Tasks the recording has no calls for run the test's identity Lambda (`return event`).
    let identity = case
        .pointer("/context/lambda_functions")
        .and_then(J::as_array)
        .is_some_and(|fs| {
            fs.iter().all(|f| {
                f.get("handler_source")
                    .and_then(J::as_str)
                    .is_some_and(|s| s.contains("return event"))
            })
        });
    let run = |options: ExecOptions| -> Result<(Status, Execution), String> {
        let mut exec = Execution::start(machine.clone(), input.clone(), options);
        let mut status = exec.run();
        while let (true, Status::Paused { tasks }) = (identity, &status) {
            for t in tasks.clone() {
                exec.complete_task(&t.token, Ok(t.parameters.clone()))
                    .map_err(|e| e.to_string())?;
            }
            status = exec.run();
        }
        Ok((status, exec))
    };
    // The same run without history takes the executor's batch path (phases chained without a
    // step each): it must end identically, event for event; and its history recorded afterwards
    // (as the JS API records it, when first asked) must be the one recorded from the start.
    let (quiet, mut quiet_exec) = run(ExecOptions {
        record_history: false,
        record_stages: false,
        keep_answers: true,
        ..options.clone()
    })?;
    let (status, exec) = run(options)?;
    if quiet != status
        || quiet_exec.event_count() != exec.event_count()
        || quiet_exec.transitions() != exec.transitions()
    {
        return Err(format!(
            "without history: {} after {} events, {} transitions; with: {} after {}, {}",
            quiet.aws_name(),
            quiet_exec.event_count(),
            quiet_exec.transitions(),
            status.aws_name(),
            exec.event_count(),
            exec.transitions()
        ));
    }
    quiet_exec.record_from_start(Vec::new(), true);
    if format!("{:?}", quiet_exec.history()) != format!("{:?}", exec.history()) {
        return Err(
            "the history recorded afterwards differs from the one recorded from the start".into(),
        );
    }
    let toks = wildcard_tokens(case);
    let want_status = expected.get("status").and_then(J::as_str).unwrap_or("");
    if status.aws_name() != want_status {
        let detail = match &status {
            Status::Failed { error, cause } => format!(
                " ({} / {})",
                error.as_deref().unwrap_or("-"),
                cause.as_deref().unwrap_or("-")
            ),
            Status::Paused { tasks } => format!(
                " (paused at {:?})",
                tasks
                    .iter()
                    .map(|t| t.state.to_string())
                    .collect::<Vec<_>>()
            ),
            Status::Succeeded { output } => format!(" (output {output})"),
            _ => String::new(),
        };
        return Err(format!(
            "status {} instead of {want_status}{detail}",
            status.aws_name()
        ));
    }
    match &status {
        Status::Succeeded { output } => {
            if let Some(want) = expected.get("output") {
                let got: J = output.into();
                if !json_matches(want, &got, &toks) {
                    return Err(format!("output {got} instead of {want}"));
                }
            }
        }
        Status::Failed { error, cause } | Status::TimedOut { error, cause } => {
            let want_error = expected.get("error").and_then(J::as_str);
            if want_status == "FAILED"
                && want_error != error.as_deref()
                && !(want_error.is_none() && error.as_deref().is_none())
            {
                return Err(format!("error {error:?} instead of {want_error:?}"));
            }
            if let Some(want) = expected.get("cause").and_then(J::as_str) {
                let got = cause.as_deref().unwrap_or("");
                if !string_matches(want, got, &toks) {
                    return Err(format!("cause {got:?} instead of {want:?}"));
                }
            } else if let Some(want) = expected.get("cause_json") {
                let got: J =
                    serde_json::from_str(cause.as_deref().unwrap_or("")).unwrap_or(J::Null);
                if !json_matches(want, &got, &toks) {
                    return Err(format!("cause {cause:?} instead of {want}"));
                }
            } else if want_status == "FAILED"
                && expected.get("error").is_some()
                && cause.is_some()
                && case.get("recorded_against").and_then(J::as_str) == Some("aws")
            {
                // AWS reported no cause.
                return Err(format!("cause {cause:?} where AWS reported none"));
            }
        }
        _ => {}
    }
    if let Some(want) = expected.get("events").and_then(J::as_array) {
        let mut want: Vec<&str> = want.iter().filter_map(J::as_str).collect();
        let mut got: Vec<&str> = exec.history().iter().map(|e| e.kind.as_str()).collect();
        let resorted = case
            .get("notes")
            .and_then(J::as_str)
            .is_some_and(|n| n.contains("re-sorted"));
        if resorted {
            want.sort_unstable();
            got.sort_unstable();
        }
        if want != got {
            return Err(format!("events {got:?} instead of {want:?}"));
        }
    }
    if let Some(want) = expected.get("trace").and_then(J::as_array) {
        let resorted = case
            .get("notes")
            .and_then(J::as_str)
            .is_some_and(|n| n.contains("re-sorted"));
        if !resorted {
            check_trace(want, &exec, &toks)?;
        }
    }
    Ok(())
}

/// Compares every `…StateEntered` (name, input) and `…StateExited` (name, output, and
/// `assignedVariables` where AWS recorded them) with the recording.
fn check_trace(want: &[J], exec: &Execution, toks: &[String]) -> Result<(), String> {
    use asl_core::history::EventDetails;
    let got: Vec<(&str, &str, J, Option<J>)> = exec
        .history()
        .iter()
        .filter_map(|e| match &e.details {
            EventDetails::StateEntered { name, input } => {
                Some((e.kind.as_str(), &**name, J::from(input), None))
            }
            EventDetails::StateExited {
                name,
                output,
                assigned_variables,
                ..
            } => Some((
                e.kind.as_str(),
                &**name,
                J::from(output),
                assigned_variables.as_ref().map(J::from),
            )),
            _ => None,
        })
        .collect();
    if got.len() != want.len() {
        return Err(format!(
            "trace has {} state events instead of {}",
            got.len(),
            want.len()
        ));
    }
    for (i, (w, (kind, name, value, assigned))) in want.iter().zip(&got).enumerate() {
        let wkind = w.get("type").and_then(J::as_str).unwrap_or("");
        let wname = w.get("name").and_then(J::as_str).unwrap_or("");
        let wvalue = w
            .get("input")
            .or_else(|| w.get("output"))
            .unwrap_or(&J::Null);
        if wkind != *kind || wname != *name || !json_matches(wvalue, value, toks) {
            return Err(format!(
                "trace[{i}]: {kind} {name} {value} instead of {wkind} {wname} {wvalue}"
            ));
        }
        if let Some(wa) = w.get("assignedVariables") {
            let ga = assigned.clone().unwrap_or(J::Null);
            if !json_matches(wa, &ga, toks) {
                return Err(format!("trace[{i}] {name}: assigned {ga} instead of {wa}"));
            }
        }
    }
    Ok(())
}

#[test]
fn conformance_cases() {
    let known: BTreeMap<String, String> = std::fs::read_to_string(known_path())
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    let mut per_category: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    // file → [JSONPath (passed, failed), JSONata (passed, failed)]
    let mut per_file: Vec<(&str, [(usize, usize); 2])> = Vec::new();
    let mut failures: BTreeMap<String, String> = BTreeMap::new();
    let mut total = 0;
    for file in FILES {
        per_file.push((file, [(0, 0); 2]));
        for case in common::read_cases(file) {
            let id = case
                .get("id")
                .and_then(J::as_str)
                .unwrap_or("?")
                .to_string();
            let category = case
                .get("category")
                .and_then(J::as_str)
                .unwrap_or("?")
                .to_string();
            total += 1;
            let jsonata = case
                .get("features")
                .and_then(J::as_array)
                .is_some_and(|f| f.iter().any(|x| x.as_str() == Some("jsonata")));
            let result = std::panic::catch_unwind(|| run_case(&case))
                .unwrap_or_else(|_| Err("PANIC".into()));
            let entry = per_category.entry(category).or_default();
            let file_entry = per_file
                .last_mut()
                .map(|(_, counts)| &mut counts[usize::from(jsonata)]);
            match result {
                Ok(()) => {
                    entry.0 += 1;
                    file_entry.into_iter().for_each(|c| c.0 += 1);
                }
                Err(reason) => {
                    entry.1 += 1;
                    file_entry.into_iter().for_each(|c| c.1 += 1);
                    let reason = if jsonata {
                        format!("JSONata engine not yet integrated ({reason})")
                    } else {
                        reason
                    };
                    failures.insert(id, reason);
                }
            }
        }
    }
    println!("conformance: {total} cases");
    for (cat, (pass, fail)) in &per_category {
        println!("  {cat}: {pass} passed, {fail} failed");
    }
    let (p, f): (usize, usize) = per_category
        .values()
        .fold((0, 0), |(a, b), (x, y)| (a + x, b + y));
    println!("  total: {p} passed, {f} failed");
    for (file, [(pp, pf), (jp, jf)]) in &per_file {
        println!(
            "  file {file}: {} passed, {} failed (JSONPath {pp}/{}, JSONata {jp}/{})",
            pp + jp,
            pf + jf,
            pp + pf,
            jp + jf
        );
    }

    if std::env::var("UPDATE_KNOWN_FAILURES").is_ok() {
        let mut out: BTreeMap<String, String> = BTreeMap::new();
        for (id, reason) in &failures {
            let keep = known
                .get(id)
                .filter(|r| !r.starts_with("status ") && !r.starts_with("output "))
                .cloned();
            out.insert(
                id.clone(),
                keep.unwrap_or_else(|| match reason.split_once(" (") {
                    Some((jsonata @ "JSONata engine not yet integrated", _)) => jsonata.into(),
                    _ => reason.chars().take(300).collect(),
                }),
            );
        }
        let text = serde_json::to_string_pretty(&out).expect("serialise");
        std::fs::create_dir_all(known_path().parent().expect("dir")).expect("mkdir");
        std::fs::write(known_path(), text + "\n").expect("write known failures");
        println!("rewrote {}", known_path().display());
        return;
    }
    let new: Vec<(&String, &String)> = failures
        .iter()
        .filter(|(id, _)| !known.contains_key(*id))
        .collect();
    let fixed: Vec<&String> = known
        .keys()
        .filter(|id| !failures.contains_key(*id))
        .collect();
    for (id, reason) in &new {
        println!("NEW FAILURE {id}: {reason}");
    }
    for id in &fixed {
        println!("NOW PASSING (remove from known-failures.json) {id}");
    }
    assert!(
        new.is_empty() && fixed.is_empty(),
        "{} new failures, {} newly passing listed cases",
        new.len(),
        fixed.len()
    );
}

/// Every recorded definition, run with inputs it was not written for and unmocked tasks answered
/// by echo, ends (or pauses) without panicking.
#[test]
fn recorded_definitions_never_panic_on_other_inputs() {
    let inputs = [
        "null",
        "{}",
        "[]",
        "\"x\"",
        "1.5",
        r#"{"a":[1,{"b":null}],"items":[1,2]}"#,
    ];
    for file in FILES {
        for case in common::read_cases(file) {
            let def = serde_json::to_string(&case["definition"]).expect("definition");
            let Some(machine) = asl_core::load(&def).machine.map(Arc::new) else {
                continue;
            };
            for input in inputs {
                let options = ExecOptions {
                    limits: asl_core::exec::Limits {
                        max_transitions: 2_000,
                        ..Default::default()
                    },
                    ..ExecOptions::default()
                };
                let mut exec = Execution::start(
                    machine.clone(),
                    Value::parse(input).expect("input"),
                    options,
                );
                let id = case["id"].as_str().unwrap_or("?");
                let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    for _ in 0..100 {
                        match exec.run() {
                            Status::Paused { tasks } => {
                                for t in tasks {
                                    exec.complete_task(&t.token, Ok(t.parameters.clone()))
                                        .expect("token");
                                }
                            }
                            _ => break,
                        }
                    }
                    let _ = exec.position();
                    let n = exec.event_count();
                    assert!(exec.seek(n / 2), "seek back");
                    assert!(exec.seek(n), "seek forward");
                }));
                assert!(r.is_ok(), "{id} with input {input} panicked");
            }
        }
    }
}
