//! Unit tests of the parser: defaults, nesting, query languages and recovery from errors.

use super::*;
use crate::error::ErrorName;
use crate::model::*;

#[test]
fn rfc3339_timestamps() {
    for ok in [
        "2016-03-14T01:59:00Z",
        "2016-03-14T01:59:00.123Z",
        "2016-03-14T01:59:00+01:00",
        "2024-02-29T00:00:00Z",
    ] {
        assert!(is_rfc3339(ok), "{ok}");
    }
    for bad in [
        "2016-12-05 21:29:29Z",
        "2016-12-05T21:29:29",
        "2016-13-05T21:29:29Z",
        "2016-12-05T25:29:29Z",
        "05-12-2016T21:29:29Z",
        "2023-02-29T00:00:00Z",
        "2016-03-14T01:59:00.Z",
        "",
        "2016-03-14T01:59:00ZZ",
    ] {
        assert!(!is_rfc3339(bad), "{bad}");
    }
}

fn load(text: &str) -> StateMachine {
    let loaded = crate::load(text);
    let errors: Vec<String> = loaded.errors().map(ToString::to_string).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    loaded.machine.expect("a machine")
}

#[test]
fn retry_defaults_and_catch_targets() {
    let m = load(
        r#"{"StartAt": "T", "States": {
            "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "Done",
                  "Retry": [{"ErrorEquals": ["States.Timeout"]}, {"ErrorEquals": ["States.ALL"], "MaxAttempts": 0, "JitterStrategy": "FULL", "MaxDelaySeconds": 5}],
                  "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": null, "Next": "Oops"}]},
            "Oops": {"Type": "Fail", "Error": "E", "CausePath": "States.Format('x {}', $.c)"},
            "Done": {"Type": "Succeed"}}}"#,
    );
    let t = m.root.state(0).expect("T");
    let StateKind::Task(task) = &t.kind else {
        panic!("a task")
    };
    let r = &task.retry[0];
    assert_eq!(
        (r.interval_seconds, r.max_attempts, r.backoff_rate, r.jitter),
        (1, 3, 2.0, Jitter::None)
    );
    let r = &task.retry[1];
    assert_eq!(
        (r.max_attempts, r.jitter, r.max_delay_seconds),
        (0, Jitter::Full, Some(5))
    );
    assert_eq!(r.error_equals[0].value, ErrorName::All);
    assert_eq!(task.catch[0].next.id, Some(1));
    assert!(matches!(
        task.catch[0].result_path,
        Some(NullablePath::Null(_))
    ));
    assert!(matches!(&t.transition, Transition::Next(n) if n.id == Some(2)));
    let StateKind::Fail(fail) = &m.root.state(1).expect("Oops").kind else {
        panic!("a fail")
    };
    assert!(matches!(fail.cause, Some(Dynamic::Call(_))));
}

#[test]
fn map_branches_and_query_languages() {
    let m = load(
        r#"{"StartAt": "M", "QueryLanguage": "JSONPath", "States": {
            "M": {"Type": "Map", "QueryLanguage": "JSONata", "Items": "{% $states.input.xs %}",
                  "MaxConcurrency": "{% 2 %}",
                  "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                    "StartAt": "In", "States": {"In": {"Type": "Pass", "Next": "In2"}, "In2": {"Type": "Pass", "End": true}}},
                  "Next": "Old"},
            "Old": {"Type": "Map", "ItemsPath": "$.xs", "Parameters": {"v.$": "$$.Map.Item.Value"},
                    "Iterator": {"StartAt": "X", "States": {"X": {"Type": "Succeed"}}}, "End": true}}}"#,
    );
    let map = m.root.state(0).expect("M");
    assert_eq!(map.query_language, QueryLanguage::Jsonata);
    let StateKind::Map(map) = &map.kind else {
        panic!("a map")
    };
    assert_eq!(map.mode(), MapMode::Distributed);
    assert!(map.items.is_some());
    assert!(matches!(map.max_concurrency, Some(Dynamic::Jsonata(_))));
    // Item processor states use the machine's language, not the Map's.
    let inner = map.processor.state(0).expect("In");
    assert_eq!(inner.query_language, QueryLanguage::JsonPath);
    assert_eq!(map.processor.start(), Some(0));
    assert!(matches!(&inner.transition, Transition::Next(n) if n.id == Some(1)));
    let StateKind::Map(old) = &m.root.state(1).expect("Old").kind else {
        panic!("a map")
    };
    assert!(old.legacy_iterator);
    assert!(
        old.item_selector.is_some(),
        "a Map's legacy Parameters is its ItemSelector"
    );
    assert!(m.root.state(1).is_some_and(|s| s.io.parameters.is_none()));
}

#[test]
fn choice_rules_nest() {
    let m = load(
        r#"{"StartAt": "C", "States": {
            "C": {"Type": "Choice", "Default": "B", "Choices": [
                {"Not": {"And": [{"Variable": "$.a", "NumericLessThanPath": "$.b"}, {"Variable": "$.s", "StringMatches": "x*"}]}, "Next": "B"},
                {"Or": [{"Variable": "$.t", "IsPresent": false}], "Next": "B"}]},
            "B": {"Type": "Pass", "Result": {"k.$": "stays literal"}, "End": true}}}"#,
    );
    let StateKind::Choice(c) = &m.root.state(0).expect("C").kind else {
        panic!("a choice")
    };
    let Condition::Not(inner, _) = &c.choices[0].condition else {
        panic!("Not")
    };
    let Condition::And(parts, _) = &**inner else {
        panic!("And")
    };
    let Condition::Compare(cmp) = &parts[0] else {
        panic!("a comparison")
    };
    assert_eq!(cmp.op, CompareOp::NumericLessThan);
    assert!(matches!(cmp.operand, Operand::Path(_)));
    assert_eq!(c.default.as_ref().and_then(|d| d.id), Some(1));
    let StateKind::Pass(p) = &m.root.state(1).expect("B").kind else {
        panic!("a pass")
    };
    assert_eq!(
        p.result.as_ref().map(|r| r.value.to_json_string()),
        Some(r#"{"k.$":"stays literal"}"#.into())
    );
}

#[test]
fn broken_definitions_still_give_a_machine() {
    let loaded = crate::load(
        r#"{"StartAt": "A", "States": {"A": {"Type": "Teleport", "Next": "B"}, "B": {"Type": "Pass"}}}"#,
    );
    assert!(loaded.has_errors());
    let m = loaded.machine.expect("drawable despite errors");
    assert_eq!(m.root.states.len(), 2);
    assert!(
        matches!(&m.root.state(0).expect("A").transition, Transition::Next(n) if n.id == Some(1))
    );
}

#[test]
fn top_level_references_in_jsonata() {
    for (expr, name) in [
        (" $ ", Some("$")),
        ("$$.x", Some("$$")),
        ("foo", Some("foo")),
        ("foo.bar", Some("foo")),
    ] {
        assert_eq!(unsupported_top_level(expr), name, "{expr}");
    }
    for ok in [
        "$states.input",
        "true",
        "1 + 2",
        "$x",
        "'a'",
        "$sum([1,2])",
        "{'a': 1}",
        "null",
    ] {
        assert_eq!(unsupported_top_level(ok), None, "{ok}");
    }
}

#[test]
fn jsonata_strings_are_whole_strings() {
    assert_eq!(jsonata_text("{% $x %}"), Some(" $x "));
    assert_eq!(jsonata_text("a {% $x %}"), None);
    assert_eq!(jsonata_text("{%}"), None);
}

#[test]
fn states_result_and_error_output_exist_only_where_aws_provides_them() {
    use super::query_language::reads_states_field;
    assert!(reads_states_field("$states.result", "result"));
    assert!(reads_states_field("$f($states . result.x)", "result"));
    assert!(!reads_states_field("$states.results", "result"));
    assert!(!reads_states_field(
        "'$states.result' & $states.input",
        "result"
    ));
    assert!(!reads_states_field("/* $states.result */ 1", "result"));
    assert!(!reads_states_field("$statesX.result", "result"));

    let codes = |text: &str| -> Vec<(crate::diag::Code, String)> {
        crate::load(text)
            .diagnostics
            .iter()
            .filter(|d| d.message.contains("does not exist"))
            .map(|d| (d.code, d.pointer.clone()))
            .collect()
    };
    let ok = r#"{"QueryLanguage":"JSONata","StartAt":"T","States":{
      "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Output":"{% $states.result %}",
           "Catch":[{"ErrorEquals":["States.ALL"],"Output":"{% $states.errorOutput %}","Next":"P"}],"Next":"P"},
      "P":{"Type":"Pass","End":true}}}"#;
    assert_eq!(codes(ok), []);
    let bad = r#"{"QueryLanguage":"JSONata","StartAt":"T","States":{
      "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Arguments":{"p":"{% $states.errorOutput %}"},
           "Catch":[{"ErrorEquals":["States.ALL"],"Output":"{% $states.result %}","Next":"P"}],"Next":"P"},
      "P":{"Type":"Pass","Output":"{% $states.result %}","End":true}}}"#;
    assert_eq!(
        codes(bad),
        [
            (
                crate::diag::Code::InvalidJsonata,
                "/States/T/Arguments/p".to_string()
            ),
            (
                crate::diag::Code::InvalidJsonata,
                "/States/T/Catch/0/Output".to_string()
            ),
            (
                crate::diag::Code::InvalidJsonata,
                "/States/P/Output".to_string()
            ),
        ]
    );
}

#[test]
fn a_jsonata_syntax_error_is_placed_inside_its_string() {
    let text = "{\"QueryLanguage\":\"JSONata\",\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\n  \"Output\": \"{% $states.input.x ++ 1 %}\",\"End\":true}}}";
    let loaded = crate::load(text);
    let d = loaded
        .diagnostics
        .iter()
        .find(|d| d.code == crate::diag::Code::InvalidJsonata)
        .expect("an INVALID_JSONATA_EXPRESSION");
    assert_eq!(d.pointer, "/States/A/Output");
    // Line 2, at the second `+` (the token the parser cannot take), not at the string's start.
    let at = text.find("++").expect("the operator") + 1;
    assert_eq!(d.span.start as usize, at, "{d:?}");
    assert_eq!((d.start.line, d.start.column), (2, 34));
    // An expression in a nested template string too, and a valid one gives nothing.
    let nested = crate::load(
        r#"{"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Pass","Output":{"x":"{% 1 + %}","y":"{% 1 + 2 %}"},"End":true}}}"#,
    );
    let found: Vec<&str> = nested
        .diagnostics
        .iter()
        .filter(|d| d.code == crate::diag::Code::InvalidJsonata)
        .map(|d| d.pointer.as_str())
        .collect();
    assert_eq!(found, ["/States/A/Output/x"]);
}
