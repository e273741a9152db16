//! Every LocalStack case of the conformance corpus that carries AWS's event trace, read as a
//! recorded history (`asl_core::recorded::import`), its mocks derived from it (`mocks_from`) and
//! simulated and compared with it (`compare`): the simulator checked against AWS the way a user
//! checks it on their own execution (also with `compare_recorded`'s exact answers, which must
//! do at least as well). Cases that diverge are listed with a reason in
//! `tests/recorded/known-divergences.json` with the kind of their first divergence and a reason;
//! an unlisted divergence fails, so does a listed case that now diverges in another way (a
//! different kind) and one that no longer diverges (the list only shrinks). `-- --nocapture`
//! prints the counts.

#![allow(clippy::disallowed_methods)] // the test reads the shared case files

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use asl_core::recorded;
use serde::{Deserialize, Serialize};

mod common;

/// A listed divergence: the kind of the first divergence (`DivergenceKind`'s name) and why.
#[derive(Deserialize, Serialize)]
struct Known {
    kind: String,
    reason: String,
}

fn known_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/recorded/known-divergences.json")
}

#[test]
fn localstack_traces_replay_and_compare() {
    let known: BTreeMap<String, Known> = serde_json::from_str(
        &std::fs::read_to_string(known_path()).expect("read the known divergences"),
    )
    .expect("the known divergences: {case id: {kind, reason}}");
    let (mut traces, mut simulable, mut clean, mut exact) = (0, 0, 0, 0);
    // Case id → (kind, message).
    let mut diverged: BTreeMap<String, (String, String)> = BTreeMap::new();
    // `recorded::import` reads each case's own text, so the lines are kept.
    let path = common::conformance_dir().join("localstack.jsonl");
    let text = std::fs::read_to_string(path).expect("read the conformance corpus");
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let case: serde_json::Value = serde_json::from_str(line).expect("case JSON");
        if case.pointer("/expected/events").is_none() {
            continue;
        }
        traces += 1;
        let id = case["id"].as_str().expect("id").to_string();
        let def = serde_json::to_string(&case["definition"]).expect("definition");
        let loaded = asl_core::load(&def);
        if loaded.has_errors() {
            continue;
        }
        let Some(machine) = loaded.machine else {
            continue;
        };
        simulable += 1;
        let machine = Arc::new(machine);
        let rec = match recorded::import(&machine, line, None) {
            Ok(r) => r,
            Err(e) => {
                diverged.insert(id, ("Import".into(), e.to_string()));
                continue;
            }
        };
        let by_iteration = recorded::compare_recorded(machine.clone(), &rec, Default::default());
        exact += usize::from(by_iteration.divergence.is_none());
        let derived = recorded::mocks_from(&machine, &rec.events);
        let cmp = recorded::compare(machine, &rec, derived.mocks);
        match cmp.divergence {
            None => clean += 1,
            Some(d) => {
                diverged.insert(id, (format!("{:?}", d.kind), d.message));
            }
        }
    }
    println!(
        "{traces} LocalStack cases with AWS's trace; {simulable} with a definition we load; \
         {clean} replay, derive mocks and compare with zero divergence; {} diverge; \
         answering each task as recorded for its iteration: {exact} with zero divergence",
        diverged.len()
    );
    assert!(
        exact >= clean,
        "exact answers never do worse than the mocks"
    );
    if std::env::var_os("RECORDED_CORPUS_WRITE").is_some() {
        // Keeps the reasons written by hand; a new entry starts with the message.
        let list: BTreeMap<&String, Known> = diverged
            .iter()
            .map(|(id, (kind, message))| {
                let reason = known.get(id).map_or(message, |k| &k.reason).clone();
                let kind = kind.clone();
                (id, Known { kind, reason })
            })
            .collect();
        std::fs::write(
            known_path(),
            serde_json::to_string_pretty(&list).expect("json") + "\n",
        )
        .expect("write the list");
    }
    let new: Vec<_> = diverged
        .iter()
        .filter(|(id, (kind, _))| known.get(*id).is_none_or(|k| k.kind != *kind))
        .map(|(id, _)| id)
        .collect();
    let fixed: Vec<_> = known
        .keys()
        .filter(|k| !diverged.contains_key(*k))
        .collect();
    for k in &new {
        let (kind, message) = &diverged[*k];
        println!("NEW {k}: {kind}: {message}");
    }
    assert!(new.is_empty(), "{} new divergences", new.len());
    assert!(
        fixed.is_empty(),
        "no longer diverge (remove them from the list): {fixed:?}"
    );
}
