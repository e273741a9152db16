//! No input panics the parser or the validator: random text, random JSON, and the conformance
//! definitions mutated (fields deleted, duplicated, renamed, retyped; text truncated or spliced).
//! Each property prints how many inputs it ran.

// The harness reads the recorded definitions from disk; the core itself never does.
#![allow(clippy::disallowed_methods)]

use std::sync::LazyLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use proptest::prelude::*;
use serde_json::Value as Json;

mod common;

const CASES: u32 = 5_000;

/// Keys an ASL definition uses, so mutations hit real fields.
const KEYS: &[&str] = &[
    "StartAt",
    "States",
    "Type",
    "Next",
    "End",
    "Default",
    "Choices",
    "Variable",
    "And",
    "Or",
    "Not",
    "StringEquals",
    "NumericEqualsPath",
    "IsPresent",
    "Condition",
    "Resource",
    "Parameters",
    "Arguments",
    "ResultPath",
    "InputPath",
    "OutputPath",
    "ResultSelector",
    "Result",
    "Retry",
    "Catch",
    "ErrorEquals",
    "MaxAttempts",
    "BackoffRate",
    "IntervalSeconds",
    "JitterStrategy",
    "MaxDelaySeconds",
    "TimeoutSeconds",
    "HeartbeatSeconds",
    "TimeoutSecondsPath",
    "Seconds",
    "Timestamp",
    "SecondsPath",
    "Branches",
    "ItemProcessor",
    "Iterator",
    "ProcessorConfig",
    "Mode",
    "ItemsPath",
    "Items",
    "ItemSelector",
    "MaxConcurrency",
    "ToleratedFailurePercentage",
    "Label",
    "QueryLanguage",
    "Output",
    "Assign",
    "Error",
    "Cause",
    "ErrorPath",
    "Credentials",
    "ItemReader",
    "ItemBatcher",
    "ResultWriter",
    "x.$",
    "Comment",
];

/// Values of every JSON type, including tricky strings.
const VALUES: &[&str] = &[
    "null",
    "true",
    "false",
    "0",
    "-1",
    "1.5",
    "1e308",
    "99999999999999999999",
    "\"\"",
    "\"$\"",
    "\"$.a[*]\"",
    "\"$$.Map.Item.Value\"",
    "\"States.Format('{}', $.x)\"",
    "\"States.Nope(\"",
    "\"{% $x %}\"",
    "\"{%%}\"",
    "\"States.ALL\"",
    "\"Pass\"",
    "\"Map\"",
    "\"Choice\"",
    "\"JSONata\"",
    "\"JSONPath\"",
    "[]",
    "{}",
    "[{}]",
    "{\"StartAt\": \"A\", \"States\": {}}",
    "\"2016-03-14T01:59:00Z\"",
    "\"\\ud83d\\ude00\"",
    "\"$['a',õ]\"",
    "\"States.Format('é{}', $.ü)\"",
];

static DEFINITIONS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut out = Vec::new();
    for file in [
        "localstack.jsonl",
        "aws-local-stepfunctions.jsonl",
        "localstack_validation.jsonl",
    ] {
        for case in common::read_cases(file) {
            match &case["definition"] {
                Json::String(s) => out.push(s.clone()),
                d => out.push(serde_json::to_string_pretty(d).expect("serialise")),
            }
        }
    }
    out.sort();
    out.dedup();
    out
});

/// Loads `text` and checks the invariants every result must keep.
fn check(text: &str) {
    let loaded = asl_core::load(text);
    for d in &loaded.diagnostics {
        assert!(
            d.span.start <= d.span.end && d.span.end as usize <= text.len(),
            "span out of the text: {d:?}"
        );
        assert!(d.start.line >= 1 && d.start.column >= 1, "{d:?}");
    }
    if loaded.machine.is_none() {
        assert!(loaded.has_errors(), "no machine but no error either");
    }
}

#[derive(Clone, Debug)]
enum Mutation {
    /// Cut the text at a position.
    Truncate(usize),
    /// Insert `"key": value,` right after some `{`.
    InsertMember(usize, usize, usize),
    /// Replace the value after some `":` with another JSON value.
    Retype(usize, usize),
    /// Delete the member starting at some key (up to the next `,`).
    DeleteMember(usize),
    /// Replace some key with another ASL key.
    Rename(usize, usize),
    /// Splice in a random byte string.
    Splice(usize, String),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), any::<usize>(), any::<usize>())
            .prop_map(|(a, b, c)| Mutation::InsertMember(a, b, c)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::Retype(a, b)),
        any::<usize>().prop_map(Mutation::DeleteMember),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::Rename(a, b)),
        (any::<usize>(), "[{}\\[\\]\",:a-z$%0-9 \\\\]{0,6}")
            .prop_map(|(a, s)| Mutation::Splice(a, s)),
    ]
}

/// The byte offsets of `pat` in `text`.
fn positions(text: &str, pat: &str) -> Vec<usize> {
    text.match_indices(pat).map(|(i, _)| i).collect()
}

fn apply(text: &str, m: &Mutation) -> String {
    let pick = |list: &[usize], n: usize| list.get(n % list.len().max(1)).copied();
    match m {
        Mutation::Truncate(at) => {
            text[..text.floor_char_boundary(at % (text.len() + 1))].to_string()
        }
        Mutation::InsertMember(at, k, v) => match pick(&positions(text, "{"), *at) {
            Some(i) => format!(
                "{}\"{}\": {},{}",
                &text[..=i],
                KEYS[k % KEYS.len()],
                VALUES[v % VALUES.len()],
                &text[i + 1..]
            ),
            None => text.to_string(),
        },
        Mutation::Retype(at, v) => match pick(&positions(text, "\": "), *at) {
            Some(i) => {
                let start = i + 3;
                // Replace up to the end of a scalar (or the opening bracket of a container).
                let end = text[start..]
                    .find([',', '}', ']', '\n'])
                    .map_or(text.len(), |e| start + e.max(1));
                format!(
                    "{}{}{}",
                    &text[..start],
                    VALUES[v % VALUES.len()],
                    &text[text.floor_char_boundary(end)..]
                )
            }
            None => text.to_string(),
        },
        Mutation::DeleteMember(at) => match pick(&positions(text, "\""), *at) {
            Some(i) => {
                let end = text[i..].find(',').map_or(text.len(), |e| i + e + 1);
                format!("{}{}", &text[..i], &text[end..])
            }
            None => text.to_string(),
        },
        Mutation::Rename(at, k) => match pick(&positions(text, "\": "), *at) {
            Some(i) => {
                let start = text[..i].rfind('"').unwrap_or(0);
                format!("{}\"{}{}", &text[..start], KEYS[k % KEYS.len()], &text[i..])
            }
            None => text.to_string(),
        },
        Mutation::Splice(at, s) => {
            let i = text.floor_char_boundary(at % (text.len() + 1));
            format!("{}{}{}", &text[..i], s, &text[i..])
        }
    }
}

static RAN: [AtomicUsize; 3] = [
    AtomicUsize::new(0),
    AtomicUsize::new(0),
    AtomicUsize::new(0),
];

/// Counts an input; prints the total once the configured number has run.
fn count(i: usize, what: &str) {
    if RAN[i].fetch_add(1, Ordering::Relaxed) + 1 == CASES as usize {
        println!("{CASES} {what} loaded without a panic");
    }
}

/// Random JSON built from ASL-ish keys and tricky values.
fn json_tree() -> impl Strategy<Value = String> {
    let leaf = (0..VALUES.len()).prop_map(|i| VALUES[i].to_string());
    leaf.prop_recursive(6, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5)
                .prop_map(|items| format!("[{}]", items.join(","))),
            prop::collection::vec(((0..KEYS.len()), inner), 0..6).prop_map(|members| {
                let body: Vec<String> = members
                    .into_iter()
                    .map(|(k, v)| format!("\"{}\":{v}", KEYS[k]))
                    .collect();
                format!("{{{}}}", body.join(","))
            }),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: CASES, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_text_never_panics(text in ".{0,200}") {
        check(&text);
        count(0, "random texts");
    }

    #[test]
    fn random_json_never_panics(body in json_tree(), wrap in any::<bool>()) {
        // Half of them inside a minimal machine, so the ASL reader goes deep.
        let text = if wrap { format!("{{\"StartAt\":\"A\",\"States\":{{\"A\":{body}}}}}") } else { body };
        check(&text);
        count(1, "random JSON trees");
    }

    #[test]
    fn mutated_conformance_definitions_never_panic(
        which in any::<usize>(),
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        let defs = &*DEFINITIONS;
        let mut text = defs[which % defs.len()].clone();
        for m in &mutations {
            text = apply(&text, m);
        }
        check(&text);
        count(2, "mutated conformance definitions");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 20_000, failure_persistence: None, ..ProptestConfig::default() })]

    /// Paths and intrinsic calls straight from the alphabet they are made of, with multi-byte
    /// characters in every position (a byte-indexing slip panics on those).
    #[test]
    fn random_paths_and_calls_never_panic(
        body in "[$.\\[\\]'\"()?@*:,0-9a-zõ😀=<>!&|\\\\ {}-]{0,40}",
        prefix in 0..3usize,
    ) {
        let text = match prefix {
            0 => format!("${body}"),
            1 => format!("States.Format({body}"),
            _ => body,
        };
        let _ = asl_core::path::Path::parse(&text);
        let _ = asl_core::intrinsics::Call::parse(&text);
    }
}

#[test]
fn deep_and_huge_inputs_never_panic() {
    check(&"[".repeat(1_000_000));
    check(&"{\"a\":".repeat(100_000));
    let deep_branches = (0..60).fold("{\"Type\":\"Pass\",\"End\":true}".to_string(), |inner, i| {
        format!("{{\"Type\":\"Parallel\",\"End\":true,\"Branches\":[{{\"StartAt\":\"P{i}\",\"States\":{{\"P{i}\":{inner}}}}}]}}")
    });
    check(&format!(
        "{{\"StartAt\":\"Top\",\"States\":{{\"Top\":{deep_branches}}}}}"
    ));
    // Choice rules nested as deep as the JSON limit allows (5 levels around them + 190 Nots + the
    // comparison = 196 of the 200 allowed): the rule reader recurses once per level.
    let deep_not = (0..190).fold(
        r#"{"Variable":"$.x","IsNull":true}"#.to_string(),
        |inner, _| format!(r#"{{"Not":{inner}}}"#),
    );
    let text = format!(
        r#"{{"StartAt":"C","States":{{"C":{{"Type":"Choice","Choices":[{{"Not":{deep_not},"Next":"D"}}],"Default":"D"}},"D":{{"Type":"Succeed"}}}}}}"#
    );
    let loaded = asl_core::load(&text);
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics.first());
    println!(
        "mutations start from {} distinct conformance definitions",
        DEFINITIONS.len()
    );
}
