//! Every definition AWS accepted must load without a single error; every definition AWS rejected
//! must get at least one. Reads the recorded cases in `../shared/conformance`
//! (`ASL_CONFORMANCE_DIR` overrides it).

// The harness reads the recorded cases from disk; the core itself never does.
#![allow(clippy::disallowed_methods)]

use serde_json::Value as Json;

mod common;

struct Case {
    id: String,
    /// The type the case was validated as (`context.state_machine_type`; STANDARD when unset).
    workflow_type: asl_core::WorkflowType,
    text: String,
    status: String,
    expected: Json,
}

impl Case {
    /// AWS rejected the definition.
    fn rejected(&self) -> bool {
        matches!(
            self.status.as_str(),
            "INVALID_DEFINITION" | "VALIDATION_FAIL"
        )
    }

    /// Loads the definition as AWS validated it (its workflow type).
    fn load(&self) -> asl_core::Loaded {
        asl_core::load_with(
            &self.text,
            &asl_core::LoadOptions {
                workflow_type: self.workflow_type,
                ..asl_core::LoadOptions::default()
            },
        )
    }
}

fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    for file in [
        "localstack.jsonl",
        "aws-local-stepfunctions.jsonl",
        "localstack_validation.jsonl",
        "tiny-asl-machine.jsonl",
    ] {
        for case in common::read_cases(file) {
            let definition = &case["definition"];
            let text = match definition {
                Json::String(s) => s.clone(),
                other => serde_json::to_string_pretty(other).expect("serialise"),
            };
            out.push(Case {
                id: case["id"].as_str().unwrap_or("?").to_string(),
                workflow_type: common::workflow_type(&case),
                text,
                status: case["expected"]["status"]
                    .as_str()
                    .unwrap_or("?")
                    .to_string(),
                expected: case["expected"].clone(),
            });
        }
    }
    out
}

#[test]
fn definitions_aws_accepted_have_no_errors() {
    // Cases from aws-local-stepfunctions' unit tests, mechanically wrapped into machines and never
    // sent to AWS, that AWS itself would reject. Each stays listed with the reason; the test fails
    // if one of them stops getting an error (then it must leave this list).
    const NOT_VALID_ASL: &[(&str, &str)] = &[
        (
            "aws-local-stepfunctions/intrinsicFunctions/StatesJsonMerge::States.JsonMerge intrinsic function/Validation errors/should throw error if first argument is not an object",
            "intrinsic string arguments are single-quoted in ASL; \"not an object\" is not an argument",
        ),
        (
            "aws-local-stepfunctions/intrinsicFunctions/StatesJsonMerge::States.JsonMerge intrinsic function/Validation errors/should throw error if second argument is not an object",
            "intrinsic string arguments are single-quoted in ASL; \"not an object\" is not an argument",
        ),
        (
            "aws-local-stepfunctions/intrinsicFunctions/StatesJsonMerge::States.JsonMerge intrinsic function/Validation errors/should throw error if second argument is not a boolean",
            "intrinsic string arguments are single-quoted in ASL; \"not a boolean\" is not an argument",
        ),
    ];
    let mut checked = 0;
    let mut failures = Vec::new();
    let mut listed_but_clean = Vec::new();
    for case in cases() {
        if case.rejected() {
            continue;
        }
        checked += 1;
        let loaded = case.load();
        let errors: Vec<String> = loaded
            .errors()
            .map(|d| format!("{d} ({})", d.pointer))
            .collect();
        let listed = NOT_VALID_ASL.iter().any(|(id, _)| *id == case.id);
        if listed {
            if errors.is_empty() {
                listed_but_clean.push(case.id.clone());
            }
            continue;
        }
        if !errors.is_empty() || loaded.machine.is_none() {
            failures.push(format!("{}:\n    {}", case.id, errors.join("\n    ")));
        }
    }
    println!(
        "{checked} accepted definitions checked, {} with errors",
        failures.len()
    );
    for (id, reason) in NOT_VALID_ASL {
        println!("not valid ASL (not recorded against AWS): {id}: {reason}");
    }
    assert!(
        listed_but_clean.is_empty(),
        "listed as invalid but load cleanly, remove them: {listed_but_clean:#?}"
    );
    assert!(
        checked > 800,
        "expected the full conformance set, found {checked} accepted cases"
    );
    assert!(
        failures.is_empty(),
        "{} accepted definitions got errors:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// What AWS reported, as (code, location) pairs: from `diagnostics`, or parsed from the
/// `InvalidDefinition` cause ("…'CODE: message at /pointer'").
fn aws_diagnostics(expected: &Json) -> Vec<(String, String)> {
    if let Some(list) = expected["diagnostics"].as_array() {
        return list
            .iter()
            .map(|d| {
                (
                    d["code"].as_str().unwrap_or("").to_string(),
                    d["location"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect();
    }
    let cause = expected["cause"].as_str().unwrap_or("");
    let body = cause
        .split_once('\'')
        .map_or(cause, |(_, rest)| rest.trim_end_matches('\''));
    let code = body.split(':').next().unwrap_or("").to_string();
    let location = body.rsplit_once(" at ").map_or("", |(_, l)| l).to_string();
    vec![(code, location)]
}

#[test]
fn definitions_aws_rejected_get_errors() {
    let mut checked = 0;
    let mut same_code_and_pointer = 0;
    let mut missed = Vec::new();
    for case in cases() {
        if !case.rejected() {
            continue;
        }
        checked += 1;
        let loaded = case.load();
        let ours: Vec<_> = loaded.errors().collect();
        if ours.is_empty() {
            missed.push(case.id.clone());
            continue;
        }
        let theirs = aws_diagnostics(&case.expected);
        let matched = theirs.iter().all(|(code, location)| {
            ours.iter().any(|d| {
                // tiny-asl-machine recorded AWS's messages without codes.
                (code.is_empty() || d.code.aws_code() == Some(code.as_str()))
                    && (location.is_empty()
                        || location.starts_with('[')
                        || location == "/" && d.pointer.is_empty()
                        || d.pointer.starts_with(location.as_str()))
            })
        });
        if matched {
            same_code_and_pointer += 1;
        } else {
            println!(
                "different code or location: {} — AWS {theirs:?}, ours {:?}",
                case.id,
                ours.iter()
                    .map(|d| (d.code.aws_code(), &d.pointer))
                    .collect::<Vec<_>>()
            );
        }
    }
    // Known misses, each with its reason: AWS knows its service catalogue, we do not.
    let known: &[(&str, &str)] = &[(
        "localstack/services/test_dynamodb_task_service::test_invalid_integration",
        "AWS rejects `arn:aws:states:::dynamodb:query` because that integration does not exist; we accept any well-formed ARN rather than hard-code the service catalogue",
    )];
    println!(
        "{checked} rejected definitions: {} got errors ({same_code_and_pointer} with AWS's code and location), {} missed",
        checked - missed.len(),
        missed.len()
    );
    for (id, reason) in known {
        println!("known miss: {id}: {reason}");
    }
    let unexpected: Vec<_> = missed
        .iter()
        .filter(|id| !known.iter().any(|(k, _)| k == id))
        .collect();
    let now_caught: Vec<_> = known
        .iter()
        .filter(|(k, _)| !missed.iter().any(|id| id == k))
        .map(|(k, _)| k)
        .collect();
    assert!(
        now_caught.is_empty(),
        "listed as known misses but now get errors, remove them: {now_caught:#?}"
    );
    assert!(
        unexpected.is_empty(),
        "rejected by AWS but no error from us: {unexpected:#?}"
    );
    assert!(
        checked >= 15,
        "expected the validation cases, found {checked}"
    );
}
