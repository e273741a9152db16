//! Real definitions, as users have them (`shared/real-world`: 79 files from two public AWS sample
//! repositories, listed with their origin in `manifest.jsonl`): each one loads with no error
//! (warnings, template placeholders among them, are fine) and yields a model with every state the
//! manifest counts, so it can be drawn and run. And every prefix of the YAML and template fixtures
//! (`tests/formats`) loads without a panic, spans inside the text.
//!
//! `ASL_REAL_WORLD_DIR` overrides where the set lives.

#![allow(clippy::disallowed_methods)] // the test reads the shared definition files

use std::path::PathBuf;

use asl_core::model::{Branch, StateKind};
use serde_json::Value as J;

fn dir() -> PathBuf {
    if let Ok(dir) = std::env::var("ASL_REAL_WORLD_DIR") {
        return PathBuf::from(dir);
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/real-world")
}

/// States in a branch and every branch nested in it.
fn count(branch: &Branch) -> usize {
    branch
        .states
        .values()
        .map(|s| {
            1 + match &s.kind {
                StateKind::Parallel(p) => p.branches.iter().map(count).sum(),
                StateKind::Map(m) => count(&m.processor),
                _ => 0,
            }
        })
        .sum()
}

#[test]
fn every_real_world_definition_validates_without_errors() {
    let manifest = std::fs::read_to_string(dir().join("manifest.jsonl"))
        .expect("shared/real-world/manifest.jsonl (set ASL_REAL_WORLD_DIR)");
    let (mut total, mut placeholders, mut warned) = (0, 0, 0);
    let mut failures = Vec::new();
    for line in manifest.lines().filter(|l| !l.trim().is_empty()) {
        let entry: J = serde_json::from_str(line).expect("manifest line is JSON");
        let file = entry["file"].as_str().expect("file");
        let text = std::fs::read_to_string(dir().join(file)).expect("definition file");
        total += 1;
        let loaded = asl_core::load(&text);
        for d in loaded.errors() {
            failures.push(format!("{file}:{d}"));
        }
        let expected = entry["states"].as_u64().expect("states") as usize;
        match &loaded.machine {
            Some(m) if count(&m.root) == expected => {}
            Some(m) => failures.push(format!(
                "{file}: {} states in the model, the manifest counts {expected}",
                count(&m.root)
            )),
            None => failures.push(format!("{file}: no model")),
        }
        placeholders += usize::from(!loaded.placeholders.is_empty());
        warned += usize::from(!loaded.diagnostics.is_empty());
    }
    println!(
        "{total} definitions: {} with errors, {placeholders} with template placeholders, {warned} with warnings",
        failures.len()
    );
    assert_eq!(total, 79, "the manifest lists 79 definitions");
    assert!(
        placeholders > 0,
        "the set holds placeholders, and they are seen"
    );
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Every prefix of the format fixtures (a YAML definition, a SAM template, a `cdk.out` template)
/// loads without a panic, with every span inside the text: what a user sees while typing.
#[test]
fn cut_yaml_and_templates_never_panic() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/formats");
    let mut loads = 0;
    for file in [
        "order.asl.yaml",
        "sam/template.yaml",
        "cdk.out.template.json",
    ] {
        let text = std::fs::read_to_string(root.join(file)).expect("fixture");
        for cut in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
            let part = &text[..cut];
            let loaded = asl_core::load(part);
            loads += 1;
            for d in loaded.diagnostics.iter().chain(&loaded.skipped) {
                assert!(
                    d.span.start <= d.span.end && d.span.end as usize <= part.len(),
                    "{file} cut at {cut}: {d:?}"
                );
            }
            for p in &loaded.placeholders {
                assert!(
                    p.span.end as usize <= part.len(),
                    "{file} cut at {cut}: {p:?}"
                );
            }
            if loaded.machine.is_none() {
                assert!(
                    loaded.has_errors(),
                    "{file} cut at {cut}: no machine and no error"
                );
            }
        }
    }
    println!("{loads} prefixes loaded");
}
