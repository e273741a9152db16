//! Executor tests of JSONata-mode states over small definitions (the recorded AWS cases are in
//! `tests/conformance.rs`): defaults, `$states`, variables, the virtual clock and seed, Map
//! items, and failures with their events.

use std::sync::Arc;

use super::*;
use crate::env::Env;
use crate::mock::Mocks;

fn run_with(def: &str, input: &str, mocks: &str, env: Env) -> Execution {
    let loaded = crate::load(def);
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    let options = ExecOptions {
        env,
        mocks: Arc::new(Mocks::from_value(&Value::parse(mocks).expect("mocks")).expect("mocks")),
        ..ExecOptions::default()
    };
    let mut e = Execution::start(
        Arc::new(loaded.machine.expect("machine")),
        Value::parse(input).expect("input"),
        options,
    );
    e.run();
    e
}

fn run(def: &str, input: &str, mocks: &str) -> Execution {
    run_with(def, input, mocks, Env::default())
}

fn output(e: &Execution) -> String {
    match e.status() {
        Status::Succeeded { output } => output.to_json_string(),
        other => panic!("not succeeded: {other:?}"),
    }
}

fn types(e: &Execution) -> Vec<&'static str> {
    e.history().iter().map(|h| h.kind.as_str()).collect()
}

#[test]
fn outputs_default_to_the_result_or_input_and_assign_sees_entry_values() {
    let def = r#"{"QueryLanguage":"JSONata","StartAt":"Seed","States":{
      "Seed":{"Type":"Pass","Assign":{"x":1,"y":2},"Next":"Swap"},
      "Swap":{"Type":"Pass","Assign":{"x":"{% $y %}","y":"{% $x %}"},"Next":"Call"},
      "Call":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
              "Arguments":{"n":"{% $states.input.n %}","xy":["{% $x %}","{% $y %}"]},"Next":"Shape"},
      "Shape":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
               "Output":{"r":"{% $states.result.v %}","in":"{% $states.input.v %}"},"End":true}}}"#;
    let mocks = r#"{"Call":{"Return":{"v":10}},"Shape":{"Return":{"v":20}}}"#;
    let e = run(def, r#"{"n":5}"#, mocks);
    // Call has no Output: its result; Shape reads both `$states.result` and `$states.input`.
    assert_eq!(output(&e), r#"{"r":20,"in":10}"#);
    let scheduled: Vec<String> = e
        .history()
        .iter()
        .filter_map(|h| match &h.details {
            crate::history::EventDetails::TaskScheduled { parameters, .. } => {
                Some(parameters.to_json_string())
            }
            _ => None,
        })
        .collect();
    // The swap read the values from state entry; without Arguments the request is the input.
    assert_eq!(scheduled, [r#"{"n":5,"xy":[2,1]}"#, r#"{"v":10}"#]);
}

#[test]
fn a_failed_expression_is_an_evaluation_failed_event_that_catch_sees() {
    let def = r#"{"QueryLanguage":"JSONata","StartAt":"M","States":{
      "M":{"Type":"Map","Items":"{% $states.input.notAnArray %}",
           "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},
           "Catch":[{"ErrorEquals":["States.QueryEvaluationError"],"Next":"Handled",
                     "Assign":{"why":"{% $states.errorOutput.Error %}"},
                     "Output":{"cause":"{% $states.errorOutput.Cause %}","in":"{% $states.input %}"}}],
           "End":true},
      "Handled":{"Type":"Pass","Output":{"why":"{% $why %}","cause":"{% $states.input.cause %}"},"End":true}}}"#;
    let e = run(def, r#"{"notAnArray":7}"#, "{}");
    assert_eq!(
        output(&e),
        r#"{"why":"States.QueryEvaluationError","cause":"An error occurred while executing the state 'M' (entered at the event id #2). The JSONata expression '$states.input.notAnArray' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was 'number' for value: 7"}"#
    );
    assert_eq!(
        types(&e),
        [
            "ExecutionStarted",
            "MapStateEntered",
            "EvaluationFailed",
            "MapStateFailed",
            "MapStateExited",
            "PassStateEntered",
            "PassStateExited",
            "ExecutionSucceeded"
        ]
    );
}

#[test]
fn map_items_and_item_selector_read_the_item_context_and_outer_variables() {
    let def = r#"{"QueryLanguage":"JSONata","StartAt":"Seed","States":{
      "Seed":{"Type":"Pass","Assign":{"k":100},"Next":"M"},
      "M":{"Type":"Map","Items":"{% $states.input.xs %}","MaxConcurrency":"{% 1 + 1 %}",
           "ItemSelector":{"i":"{% $states.context.Map.Item.Index %}","v":"{% $states.context.Map.Item.Value * $k %}"},
           "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","Output":"{% $states.input.i + $states.input.v %}","End":true}}},
           "Output":{"sum":"{% $sum($states.result) %}"},"End":true}}}"#;
    let e = run(def, r#"{"xs":[1,2,3]}"#, "{}");
    assert_eq!(output(&e), r#"{"sum":603}"#);
}

#[test]
fn now_reads_the_virtual_clock_and_random_the_execution_seed() {
    let def = r#"{"QueryLanguage":"JSONata","StartAt":"W","States":{
      "W":{"Type":"Wait","Timestamp":"{% $fromMillis($millis() + 5000) %}","Next":"Out"},
      "Out":{"Type":"Pass","Output":{"t":"{% $millis() %}","r":"{% $random() %}","u":"{% $uuid() %}"},"End":true}}}"#;
    let env = |seed| Env {
        start_time_ms: 1_000_000,
        seed,
    };
    let a = run_with(def, "{}", "{}", env(1));
    let b = run_with(def, "{}", "{}", env(1));
    let c = run_with(def, "{}", "{}", env(2));
    let out = |e: &Execution| match e.status() {
        Status::Succeeded { output } => output,
        other => panic!("{other:?}"),
    };
    assert_eq!(out(&a).get("t").and_then(Value::as_i64), Some(1_005_000));
    assert_eq!(out(&a).to_json_string(), out(&b).to_json_string());
    assert_ne!(
        out(&a).get("u").map(Value::to_json_string),
        out(&c).get("u").map(Value::to_json_string)
    );
}

#[test]
fn a_jsonata_state_runs_inside_a_jsonpath_machine_and_choice_rules_bring_their_output() {
    let def = r#"{"StartAt":"Prep","States":{
      "Prep":{"Type":"Pass","Parameters":{"n.$":"$.n"},"Assign":{"seen.$":"$.n"},"Next":"C"},
      "C":{"Type":"Choice","QueryLanguage":"JSONata","Choices":[
            {"Condition":"{% $states.input.n > 3 %}","Next":"Big","Output":{"size":"big","n":"{% $seen %}"}}],
           "Default":"Small","Output":{"size":"small"}},
      "Big":{"Type":"Pass","End":true},
      "Small":{"Type":"Pass","End":true}}}"#;
    assert_eq!(
        output(&run(def, r#"{"n":5}"#, "{}")),
        r#"{"size":"big","n":5}"#
    );
    assert_eq!(output(&run(def, r#"{"n":1}"#, "{}")), r#"{"size":"small"}"#);
}

#[test]
fn fail_error_and_cause_are_expressions() {
    let def = r#"{"QueryLanguage":"JSONata","StartAt":"F","States":{
      "F":{"Type":"Fail","Error":"{% 'E.' & $states.input.code %}","Cause":"{% $string($states.input) %}"}}}"#;
    let e = run(def, r#"{"code":"X"}"#, "{}");
    assert_eq!(
        e.status(),
        Status::Failed {
            error: Some("E.X".into()),
            cause: Some(r#"{"code":"X"}"#.into()),
        }
    );
}

#[test]
fn iterations_read_outer_variables_except_in_a_distributed_map() {
    let def = |mode: &str| {
        format!(
            r#"{{"QueryLanguage":"JSONata","StartAt":"Seed","States":{{
      "Seed":{{"Type":"Pass","Assign":{{"k":7}},"Next":"M"}},
      "M":{{"Type":"Map","Items":[1],
           "ItemProcessor":{{"ProcessorConfig":{{"Mode":"{mode}","ExecutionType":"STANDARD"}},"StartAt":"P",
             "States":{{"P":{{"Type":"Pass","Output":"{{% $k %}}","End":true}}}}}},
           "End":true}}}}}}"#
        )
    };
    assert_eq!(output(&run(&def("INLINE"), "{}", "{}")), "[7]");
    // The child execution's `$k` is undefined: the iteration fails, and so does the Map run.
    let e = run(&def("DISTRIBUTED"), "{}", "{}");
    match e.status() {
        Status::Failed { error, .. } => assert_eq!(
            error.as_deref(),
            Some("States.ExceedToleratedFailureThreshold")
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn context_is_built_for_any_expression_that_may_read_it() {
    use super::io::jsonata_reads_context;
    for reads in [
        "$states.context.Execution.Id",
        "$states . context",
        "$string($states)",
        "$states.*",
        "($s := $states; $s.context)",
        "$states.inputs",
    ] {
        assert!(jsonata_reads_context(reads), "{reads}");
    }
    for not in [
        "$states.input.a",
        "$states.result",
        "$states.errorOutput.Cause",
        "$x + 1",
    ] {
        assert!(!jsonata_reads_context(not), "{not}");
    }
    // A state that reads it gets the whole `$$`.
    let def = r#"{"QueryLanguage":"JSONata","StartAt":"P","States":{
      "P":{"Type":"Pass","Output":"{% $states.context.State.Name & '@' & $states.context.State.EnteredTime %}","End":true}}}"#;
    assert_eq!(
        output(&run(def, "{}", "{}")),
        r#""P@2024-01-01T00:00:00.000Z""#
    );
}
