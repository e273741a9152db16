//! Every limit an execution or a definition meets, and what the user sees at it (the table in
//! docs/limits.md): AWS's limits exactly where AWS has one (256 KiB payloads, 25,000 history
//! events), ours where it has none (state transitions, nesting depth, huge numbers, odd Unicode),
//! each an error value, never a panic or a stack overflow.

use std::sync::Arc;

use asl_core::exec::{ExecOptions, Execution, Limits, Status};
use asl_core::intrinsics::Call;
use asl_core::jsonata::Expr;
use asl_core::mock::MockFile;
use asl_core::path::Path;
use asl_core::value::Value;
use asl_core::{Code, WorkflowType};
use serde::Deserialize;

fn run(def: &str, input: &str, limits: Limits) -> Execution {
    let loaded = asl_core::load(def);
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    let machine = Arc::new(loaded.machine.expect("machine"));
    let input = Value::parse(input).expect("input");
    let mut ex = Execution::start(
        machine,
        input,
        ExecOptions {
            limits,
            ..ExecOptions::default()
        },
    );
    ex.run();
    ex
}

fn failure(ex: &Execution) -> (String, String) {
    match ex.status() {
        Status::Failed { error, cause } => (
            error.as_deref().unwrap_or_default().to_string(),
            cause.as_deref().unwrap_or_default().to_string(),
        ),
        other => panic!("expected a failure, got {other:?}"),
    }
}

/// A Pass state that wraps its input in one more object on every pass, forever.
const NESTING_LOOP: &str = r#"{"StartAt": "Wrap", "States": {
    "Wrap": {"Type": "Pass", "Parameters": {"a.$": "$"}, "Next": "Stop?"},
    "Stop?": {"Type": "Choice", "Choices": [{"Variable": "$.stop", "IsPresent": true, "Next": "Done"}],
              "Default": "Wrap"},
    "Done": {"Type": "Succeed"}}}"#;

/// Like [`NESTING_LOOP`] but `levels` deeper on every pass (a template nested that deep).
fn deep_nesting_loop(levels: usize) -> String {
    let template = format!(
        "{}{{\"a.$\": \"$\"}}{}",
        "{\"a\": ".repeat(levels - 1),
        "}".repeat(levels - 1)
    );
    NESTING_LOOP.replace(r#"{"a.$": "$"}"#, &template)
}

#[test]
fn values_nested_deeper_at_run_time_stop_with_an_error() {
    let ex = run(&deep_nesting_loop(150), "{}", Limits::default());
    let (error, cause) = failure(&ex);
    println!("{error}: {cause} after {} transitions", ex.transitions());
    // Each pass adds one level and six bytes: without a depth limit the payload stays under
    // 256 KiB until ~40,000 levels, deep enough to overflow any recursive walk.
    let ex = run(
        NESTING_LOOP,
        "{}",
        Limits {
            max_transitions: 20_000,
            ..Limits::default()
        },
    );
    let (error, cause) = failure(&ex);
    println!("{error}: {cause} after {} transitions", ex.transitions());
}

#[test]
fn a_payload_over_256_kib_fails_with_data_limit_exceeded() {
    // 262,144 bytes of JSON text is the most AWS accepts; one byte more fails.
    let pass = r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}"#;
    let at_limit = format!("\"{}\"", "x".repeat(256 * 1024 - 2));
    let ex = run(pass, &at_limit, Limits::default());
    assert!(matches!(ex.status(), Status::Succeeded { .. }));
    let over = format!("\"{}\"", "x".repeat(256 * 1024 - 1));
    let ex = run(pass, &over, Limits::default());
    assert_eq!(
        failure(&ex),
        (
            "States.DataLimitExceeded".into(),
            "The execution input exceeds the maximum number of bytes service limit.".into()
        )
    );
    // A state's output over the limit fails the state (and can be caught).
    let grow = r#"{"StartAt": "Big", "States": {"Big": {"Type": "Pass",
        "Parameters": {"a.$": "$", "b.$": "$"}, "End": true}}}"#;
    let half = format!("\"{}\"", "x".repeat(140 * 1024));
    let ex = run(grow, &half, Limits::default());
    let (error, cause) = failure(&ex);
    assert_eq!(error, "States.DataLimitExceeded");
    assert!(cause.contains("'Big'"), "{cause}");
}

/// Two states passing the turn to each other forever (a Choice keeps it valid).
const FOREVER: &str = r#"{"StartAt": "Ping", "States": {
    "Ping": {"Type": "Pass", "Next": "Pong"},
    "Pong": {"Type": "Choice", "Choices": [{"Variable": "$.stop", "IsPresent": true, "Next": "Done"}],
             "Default": "Ping"},
    "Done": {"Type": "Succeed"}}}"#;

#[test]
fn a_standard_history_stops_at_25000_events() {
    let ex = run(FOREVER, "{}", Limits::default());
    assert_eq!(
        failure(&ex),
        (
            "States.Runtime".into(),
            "The execution reached the maximum number of history events (25000).".into()
        )
    );
    assert_eq!(ex.history().len(), 25_000);
}

#[test]
fn a_runaway_loop_stops_at_the_transition_cap() {
    // Express has no history quota: the transition cap (ours; front ends default Express to
    // 500,000) stops the loop with a message that says what to do.
    let limits = WorkflowType::Express.limits(Limits::default());
    assert_eq!(limits.max_history_events, u32::MAX);
    let ex = run(FOREVER, "{}", limits);
    assert_eq!(
        failure(&ex),
        (
            "States.Runtime".into(),
            "The execution exceeded the maximum number of state transitions (100000); raise the limit or check for a loop without end.".into()
        )
    );
    assert_eq!(ex.transitions(), 100_001);
}

const DEEP: usize = 10_000;

fn nested(depth: usize, open: &str, inner: &str, close: &str) -> String {
    format!("{}{inner}{}", open.repeat(depth), close.repeat(depth))
}

/// The first error's code and message.
fn first_error(text: &str) -> (Code, String) {
    let loaded = asl_core::load(text);
    let d = loaded.errors().next().expect("an error");
    (d.code, d.message.clone())
}

#[test]
fn json_nested_10000_deep_is_an_error_on_every_path() {
    // The definition, as JSON and as YAML (flow and block), in the parser: an error at the
    // spot, never a stack overflow.
    let as_json = format!(
        r#"{{"StartAt": "P", "States": {{"P": {{"Type": "Pass", "Result": {}, "End": true}}}}}}"#,
        nested(DEEP, "[", "1", "]")
    );
    let (code, message) = first_error(&as_json);
    assert_eq!(code, Code::TooDeeplyNested);
    assert!(message.contains("nested more than 200 levels"), "{message}");
    let as_yaml = format!(
        "StartAt: P\nStates:\n  P:\n    Type: Pass\n    Result: {}\n    End: true\n",
        nested(DEEP, "[", "1", "]")
    );
    let (code, message) = first_error(&as_yaml);
    assert_eq!(code, Code::TooDeeplyNested);
    assert!(message.contains("nested more than 200 levels"), "{message}");
    let block: String = (0..DEEP)
        .map(|i| format!("{}a:\n", " ".repeat(i)))
        .collect();
    let (code, message) = first_error(&format!("StartAt: P\nResult:\n{block}"));
    assert_eq!(code, Code::TooDeeplyNested);
    assert!(message.contains("nested more than 200 levels"), "{message}");

    // An execution input as JSON text (the CLI's, and asl-wasm's: JS values cross as
    // `JSON.stringify`'s text) stops at the same 200 levels as everything else, and a value of
    // 200 levels, which the executor allows, reads back; so does a value read from any other
    // serde format (a serde_json::Value here).
    let e = Value::parse(&nested(DEEP, "[", "1", "]")).expect_err("input too deep");
    println!("input: {e}");
    assert!(e.to_string().contains("nested more than 200 levels"), "{e}");
    assert_eq!(
        Value::parse(&nested(200, "[", "1", "]"))
            .expect("200 levels")
            .depth(),
        200
    );
    let mut deep = serde_json::json!(1);
    for _ in 0..300 {
        deep = serde_json::Value::Array(vec![deep]);
    }
    let e = Value::deserialize(&deep).expect_err("300 levels");
    assert_eq!(e.to_string(), "JSON nested more than 200 levels deep");
    let mut ok = serde_json::json!(1);
    for _ in 0..200 {
        ok = serde_json::Value::Array(vec![ok]);
    }
    assert_eq!(Value::deserialize(&ok).expect("200 levels").depth(), 200);

    // Mock files.
    let mocks = format!(r#"{{"P": {{"Return": {}}}}}"#, nested(DEEP, "[", "1", "]"));
    let e = MockFile::parse(&mocks).expect_err("too deep");
    assert!(e.message.contains("nested more than 200 levels"), "{e}");

    // JSONPath filters and intrinsic calls nest with their own limits (64 and 10 levels).
    let filter = format!("$[?({})]", nested(DEEP, "(", "@.a", ")"));
    let e = Path::parse(&filter).expect_err("filter too deep");
    println!("JSONPath: {}", e.message);
    let call = nested(DEEP, "States.Array(", "1", ")");
    let e = Call::parse(&call).expect_err("call too deep");
    println!("intrinsic: {}", e.message);
    // JSONata's parser gets its nesting guard on the `jsonata` branch (issue 17's JSONata part);
    // before it, 100 nested parentheses overflowed the stack of a debug build. Its 10,000-deep
    // tests live there.
    assert!(Expr::compile(&nested(10, "(", "1", ")")).is_ok());
}

/// `levels` Parallel states one inside the other.
pub fn nested_parallels(levels: usize) -> String {
    let mut inner =
        r#"{"StartAt": "Leaf", "States": {"Leaf": {"Type": "Pass", "End": true}}}"#.to_string();
    for i in 0..levels {
        inner = format!(
            r#"{{"StartAt": "P{i}", "States": {{"P{i}": {{"Type": "Parallel", "Branches": [{inner}], "End": true}}}}}}"#
        );
    }
    inner
}

#[test]
fn parallel_and_map_nest_at_most_40_deep() {
    // 40 levels run; 41 is a diagnostic (AWS documents no limit; ours keeps every recursive
    // walk over the model shallow).
    let ex = run(&nested_parallels(40), "{}", Limits::default());
    assert!(matches!(ex.status(), Status::Succeeded { .. }));
    let (code, message) = first_error(&nested_parallels(41));
    assert_eq!(code, Code::TooDeeplyNested);
    assert_eq!(
        message,
        "Parallel/Map states are nested more than 40 levels deep"
    );
}

#[test]
fn huge_numbers_are_errors_or_read_as_javascript_would() {
    // Beyond f64: an error at the number, in JSON and YAML alike.
    for text in [
        r#"{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 1e400, "End": true}}}"#,
        "StartAt: W\nStates:\n  W:\n    Type: Wait\n    Seconds: 1e400\n    End: true\n",
    ] {
        let (code, message) = first_error(text);
        assert_eq!(
            (code, message.as_str()),
            (Code::InvalidJson, "number 1e400 is out of range")
        );
    }
    assert!(Value::parse("1e400").is_err());
    // 2^64 + 1 is read as the nearest double (as JavaScript reads it); -0 stays a zero; integers
    // up to 2^64 - 1 keep every digit; none breaks a run. (How a double is printed is
    // value.rs's business: the number that comes out reads back as the same double.)
    let pass = r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}"#;
    for (input, expected) in [
        ("18446744073709551617", 18_446_744_073_709_551_617_f64),
        ("-0", -0.0),
        ("9007199254740993", 9_007_199_254_740_993_f64),
    ] {
        let ex = run(pass, input, Limits::default());
        let Status::Succeeded { output } = ex.status() else {
            panic!("{input}: {:?}", ex.status());
        };
        assert_eq!(output.as_f64(), Some(expected), "{input}");
        let again = Value::parse(&output.to_json_string()).expect("printed number reads back");
        assert_eq!(again.as_f64(), Some(expected), "{input}");
    }
    let ex = run(pass, "9007199254740993", Limits::default());
    let Status::Succeeded { output } = ex.status() else {
        panic!("{:?}", ex.status());
    };
    assert_eq!(output.to_json_string(), "9007199254740993");
    // Out-of-range numbers in fields are diagnostics, not panics.
    for field in [
        r#""Seconds": 18446744073709551617"#,
        r#""Seconds": -0"#,
        r#""Seconds": 1e308"#,
    ] {
        let text = format!(
            r#"{{"StartAt": "W", "States": {{"W": {{"Type": "Wait", {field}, "End": true}}}}}}"#
        );
        let _ = asl_core::load(&text);
    }
}

#[test]
fn odd_unicode_in_state_names_runs_and_draws() {
    // Right-to-left override, zero-width joiner and space, U+FFFD (what a lone UTF-16 surrogate
    // becomes on its way from JavaScript), an emoji sequence, markup.
    let names = [
        "\u{202e}evil\u{202c}",
        "a\u{200d}b",
        "ab",
        "\u{200b}",
        "\u{fffd}",
        "👨\u{200d}👩\u{200d}👧",
        "<script>alert(1)</script>",
    ];
    let mut states = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let next = names.get(i + 1).map_or(r#""End": true"#.to_string(), |n| {
            format!(r#""Next": {}"#, serde_json::json!(n))
        });
        states.push(format!(
            r#"{}: {{"Type": "Pass", {next}}}"#,
            serde_json::json!(name)
        ));
    }
    let text = format!(
        r#"{{"StartAt": {}, "States": {{{}}}}}"#,
        serde_json::json!(names[0]),
        states.join(", ")
    );
    let loaded = asl_core::load(&text);
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    let ex = run(&text, "{}", Limits::default());
    assert!(matches!(ex.status(), Status::Succeeded { .. }));
    // "a\u{200d}b" and "ab" are two states: names compare as exact code points.
    let entered: Vec<String> = ex
        .history()
        .iter()
        .filter(|e| e.kind == asl_core::history::EventType::PassStateEntered)
        .map(|e| e.path.to_string())
        .collect();
    assert_eq!(entered, names);
}
