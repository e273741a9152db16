//! The invalid definitions under `tests/validate/`: each gets its expected code at the expected
//! line:column (from `expectations.json`), and together they cover every diagnostic code.

// The harness reads test data from disk; the core itself never does.
#![allow(clippy::disallowed_methods)]

use std::collections::BTreeSet;
use std::path::PathBuf;

use asl_core::Code;
use serde_json::Value as Json;

fn dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/validate"))
}

#[test]
fn every_case_gets_its_code_at_its_position() {
    let text = std::fs::read_to_string(dir().join("expectations.json")).expect("expectations.json");
    let expectations: Json = serde_json::from_str(&text).expect("expectations are JSON");
    let expectations = expectations
        .as_object()
        .expect("an object: file → expected diagnostics");
    let mut covered = BTreeSet::new();
    let mut failures = Vec::new();
    for (file, expected) in expectations {
        let text =
            std::fs::read_to_string(dir().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        // Validated as AWS would with the type given (STANDARD unless the case says), with the
        // definition lints on, as `asl validate` runs.
        let ty = expected
            .as_array()
            .and_then(|l| l.first())
            .and_then(|e| e["type"].as_str())
            .map_or(asl_core::WorkflowType::Standard, |t| {
                t.parse().expect("a workflow type")
            });
        let loaded = asl_core::load_with(&text, &asl_core::LoadOptions::for_type(ty));
        for e in expected.as_array().expect("a list per file") {
            let code = e["code"].as_str().expect("code");
            let (line, column) = (
                e["line"].as_u64().expect("line"),
                e["column"].as_u64().expect("column"),
            );
            let parsed =
                Code::from_name(code).unwrap_or_else(|| panic!("{file}: unknown code {code}"));
            covered.insert(parsed);
            let hit = loaded.diagnostics.iter().any(|d| {
                d.code == parsed
                    && u64::from(d.start.line) == line
                    && u64::from(d.start.column) == column
            });
            if !hit {
                let got: Vec<String> = loaded.diagnostics.iter().map(ToString::to_string).collect();
                failures.push(format!(
                    "{file}: expected {line}:{column} {code}, got:\n    {}",
                    got.join("\n    ")
                ));
            }
        }
        // Every diagnostic a case produces is located (1-based) and carries a pointer into the
        // document or the whole-document pointer "".
        for d in &loaded.diagnostics {
            assert!(d.start.line >= 1 && d.start.column >= 1, "{file}: {d:?}");
            assert!(
                d.pointer.is_empty() || d.pointer.starts_with('/'),
                "{file}: {d:?}"
            );
        }
    }
    assert!(expectations.len() >= 30, "at least 30 invalid definitions");
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // Lints that read a finished run are tested with runs (CLI tests, lint unit tests).
    let missing: Vec<&str> = Code::ALL
        .iter()
        .filter(|c| !covered.contains(c))
        .filter(|c| !asl_core::lint::registry::info(**c).is_some_and(|l| l.after_run))
        .map(|c| c.as_str())
        .collect();
    assert!(
        missing.is_empty(),
        "codes without a test case in tests/validate: {missing:?}"
    );
    println!(
        "{} cases, {} codes covered",
        expectations.len(),
        covered.len()
    );
}

#[test]
fn pointers_name_the_offending_field() {
    let text = std::fs::read_to_string(dir().join("missing_transition_target.json")).expect("case");
    let loaded = asl_core::load(&text);
    let d = loaded.errors().next().expect("an error");
    assert_eq!(d.pointer, "/States/A/Next");
    assert!(loaded.machine.is_some(), "the graph can still be drawn");
}

#[test]
fn utf16_columns_for_editors() {
    let text = "{\"StartAt\": \"😀\", \"States\": {\"😀\": {\"Type\": \"Pass\", \"Next\": \"x\"}}}";
    let loaded = asl_core::load(text);
    let d = loaded.errors().next().expect("an error");
    let index = asl_core::source::LineIndex::new(text);
    let (start, _) = d.utf16_range(text, &index);
    assert_eq!(d.code, Code::MissingTransitionTarget);
    // The emoji before the target counts 2 UTF-16 units but 1 character, twice.
    assert_eq!(start.column, d.start.column + 2);
}

#[test]
fn query_language_inside_states_is_one_clear_error() {
    let text = std::fs::read_to_string(dir().join("query_language_in_states.json")).expect("case");
    let loaded = asl_core::load(&text);
    // Before: "not reachable", "must be a JSON object" and the JSONata field 'Output' reported as
    // not JSONPath. Now one error at the key, and the states are read as JSONata, as meant.
    let all: Vec<String> = loaded.diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(all.len(), 1, "{all:#?}");
    let d = &loaded.diagnostics[0];
    assert_eq!(d.code, Code::InvalidQueryLanguage);
    assert_eq!(d.pointer, "/States/QueryLanguage");
    assert_eq!((d.start.line, d.start.column), (4, 5));
    assert!(d.message.contains("top level"), "{}", d.message);
    let machine = loaded.machine.expect("a machine");
    assert_eq!(machine.root.states.len(), 1, "the entry is not a state");
    assert_eq!(
        machine.query_language,
        asl_core::model::QueryLanguage::Jsonata
    );

    // Where the top level sets the language itself, the misplaced entry does not override it.
    let both = text.replacen(
        "\"StartAt\"",
        "\"QueryLanguage\": \"JSONPath\",\n  \"StartAt\"",
        1,
    );
    let codes: Vec<Code> = asl_core::load(&both)
        .diagnostics
        .iter()
        .map(|d| d.code)
        .collect();
    assert_eq!(
        codes,
        [Code::InvalidQueryLanguage, Code::QueryLanguageField],
        "the state's JSONata field is still wrong under a JSONPath machine"
    );

    // A state that really is named QueryLanguage (an object) stays a state.
    let state = r#"{"StartAt": "QueryLanguage", "States": {"QueryLanguage": {"Type": "Pass", "End": true}}}"#;
    assert!(asl_core::load(state).diagnostics.is_empty());

    // Inside a Parallel branch too: one error, no follow-ons for the entry.
    let nested = r#"{"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
        {"StartAt": "B", "States": {"QueryLanguage": "JSONPath", "B": {"Type": "Pass", "End": true}}}]}}}"#;
    let diags = asl_core::load(nested).diagnostics;
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(
        diags[0].pointer,
        "/States/P/Branches/0/States/QueryLanguage"
    );
}
