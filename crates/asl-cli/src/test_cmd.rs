//! `asl test MOCKCONFIG --definition FILE [--state-machine NAME] [--input FILE] [--expect FILE]`:
//! run every test case of an AWS Step Functions Local MockConfigFile against a definition.
//!
//! Output contract (tooling relies on it): one line per test case, in file order,
//! `PASS <machine>/<case>: <STATUS>` or `FAIL <machine>/<case>: <STATUS> <why>`, then one
//! closing line `N passed, N failed`. A case passes when its execution ends SUCCEEDED, or, when
//! `--expect` names it, when the execution matches the expectation. Exit status: 0 when every
//! case passes, 1 when any fails, 2 when a file is unreadable or invalid (diagnostics on stderr as
//! `FILE:LINE:COL: message`) or the state machine is ambiguous.
//!
//! The state machine is chosen as in `asl run`: `--state-machine` may be omitted when the file
//! has one. `--expect` is a JSON object, test case name → `{"status": "SUCCEEDED"|"FAILED"|
//! "TIMED_OUT", "output"?: <json>, "error"?: "<name>", "cause"?: "<text>", "input"?: <json>}`
//! (only the fields given are compared; `input` overrides `--input` for that case). States a case
//! does not mock are answered per `--unmocked` (`fail` by default, or `echo`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use asl_core::exec::{Execution, Prepared, Status};
use asl_core::mock::MockFile;
use asl_core::source::{Encoding, LineIndex, Span};
use asl_core::syntax::{self, Node};
use asl_core::value::Value;

use crate::input;
use crate::run::{self, Unmocked};

#[derive(clap::Args)]
pub struct Args {
    /// The AWS Step Functions Local MockConfigFile (StateMachines / MockedResponses).
    #[arg(value_name = "MOCKCONFIG")]
    pub mock_config: PathBuf,
    /// The state machine definition (JSON) the test cases run against.
    #[arg(long, value_name = "FILE")]
    pub definition: PathBuf,
    /// The StateMachines entry whose test cases to run (optional when the file has one).
    #[arg(long, value_name = "NAME")]
    pub state_machine: Option<String>,
    /// Execution input for every case (JSON file, `-` for standard input); `{}` when absent.
    #[arg(long, value_name = "FILE")]
    pub input: Option<PathBuf>,
    /// Expected outcomes: test case → {"status", "output"?, "error"?, "cause"?, "input"?}.
    #[arg(long, value_name = "FILE")]
    pub expect: Option<PathBuf>,
    /// What a Task the case does not mock does: `fail` the execution or `echo` its request.
    #[arg(long, value_name = "MODE", default_value = "fail", value_parser = ["fail", "echo"])]
    pub unmocked: String,
    /// Seed for randomness (States.MathRandom, States.UUID, retry jitter).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub seed: u64,
    /// Maximum state transitions per case before it fails (stops endless loops); default
    /// 100,000 (STANDARD) or 500,000 (EXPRESS).
    #[arg(long, value_name = "N")]
    pub max_transitions: Option<u64>,
    /// Workflow type: STANDARD (default) or EXPRESS; sets the limits and validation.
    #[arg(long = "type", value_name = "TYPE", default_value = "STANDARD", value_parser = crate::input::parse_type)]
    pub workflow_type: asl_core::WorkflowType,
}

/// What `--expect` says about one case.
#[derive(Debug, Default)]
struct Expectation {
    status: Option<String>,
    output: Option<Value>,
    error: Option<String>,
    cause: Option<String>,
    input: Option<Value>,
}

fn located(path: &Path, text: &str, span: Span, msg: String) -> String {
    let pos = LineIndex::new(text).position(text, span.start, Encoding::Chars);
    format!("{}:{}:{}: {msg}", path.display(), pos.line, pos.column)
}

fn read_expectations(path: &Path) -> Result<Vec<(String, Span, Expectation)>, String> {
    let text = input::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let node = syntax::parse(&text).map_err(|e| {
        located(
            path,
            &text,
            e.span,
            format!("malformed expectations JSON: {}", e.message),
        )
    })?;
    let at = |span: Span, msg: String| located(path, &text, span, msg);
    let cases = node.as_object().ok_or_else(|| {
        at(
            node.span,
            "the expectations must be a JSON object: test case → {\"status\", \"output\"}".into(),
        )
    })?;
    let mut out = Vec::with_capacity(cases.len());
    for case in cases {
        let fields = case.value.as_object().ok_or_else(|| {
            at(
                case.value.span,
                format!("the expectation of \"{}\" must be an object", case.key),
            )
        })?;
        let mut e = Expectation::default();
        let text_of = |n: &Node, field: &str| {
            n.as_str()
                .map(str::to_string)
                .ok_or_else(|| at(n.span, format!("\"{field}\" must be a string")))
        };
        for f in fields {
            match f.key.as_str() {
                "status" => {
                    let s = text_of(&f.value, "status")?;
                    if !matches!(s.as_str(), "SUCCEEDED" | "FAILED" | "TIMED_OUT") {
                        return Err(at(
                            f.value.span,
                            format!("\"status\" is SUCCEEDED, FAILED or TIMED_OUT, not \"{s}\""),
                        ));
                    }
                    e.status = Some(s);
                }
                "output" => e.output = Some(f.value.to_value()),
                "error" => e.error = Some(text_of(&f.value, "error")?),
                "cause" => e.cause = Some(text_of(&f.value, "cause")?),
                "input" => e.input = Some(f.value.to_value()),
                other => {
                    return Err(at(
                        f.key_span,
                        format!(
                            "unknown field \"{other}\" (expected status, output, error, cause, input)"
                        ),
                    ));
                }
            }
        }
        out.push((case.key.clone(), case.key_span, e));
    }
    Ok(out)
}

/// Why a finished case does not meet its expectation (`None`: it passes).
fn verdict(status: &Status, expect: Option<&Expectation>) -> Option<String> {
    let name = status.aws_name();
    let Some(e) = expect else {
        return (name != "SUCCEEDED").then(|| "(expected SUCCEEDED)".to_string());
    };
    let mut why = Vec::new();
    if let Some(s) = &e.status
        && s != name
    {
        why.push(format!("expected status {s}"));
    }
    match status {
        Status::Succeeded { output } => {
            if let Some(want) = &e.output
                && want != output
            {
                why.push(format!(
                    "expected output {}, got {}",
                    want.to_json_string(),
                    output.to_json_string()
                ));
            }
        }
        Status::Failed { error, cause } | Status::TimedOut { error, cause } => {
            if e.output.is_some() {
                why.push("expected an output".into());
            }
            if let Some(want) = &e.error
                && error.as_deref() != Some(want.as_str())
            {
                why.push(format!("expected error {want}"));
            }
            if let Some(want) = &e.cause
                && cause.as_deref() != Some(want.as_str())
            {
                why.push(format!("expected cause \"{want}\""));
            }
        }
        _ => why.push("the execution did not finish".into()),
    }
    (!why.is_empty()).then(|| format!("({})", why.join("; ")))
}

fn describe(status: &Status) -> String {
    match status {
        Status::Failed { error, cause } | Status::TimedOut { error, cause } => {
            let mut s = status.aws_name().to_string();
            if let Some(e) = error {
                s.push(' ');
                s.push_str(e);
            }
            if let Some(c) = cause {
                let short: String = c.chars().take(160).collect();
                s.push_str(&format!(": {short}"));
                if c.chars().count() > 160 {
                    s.push('…');
                }
            }
            s
        }
        other => other.aws_name().to_string(),
    }
}

pub fn main(args: Args) -> ExitCode {
    let config = match input::read_mock_file(&args.mock_config) {
        Ok(MockFile::Config(c)) => c,
        Ok(MockFile::Native(_)) => {
            return input::usage_error(format!(
                "{}: not a MockConfigFile (it has no \"StateMachines\"); use `asl run --mocks` for plain mocks",
                args.mock_config.display()
            ));
        }
        Err(e) => return input::usage_error(e),
    };
    let machine_cases = match config.machine(args.state_machine.as_deref()) {
        Ok(m) => m.clone(),
        Err(e) => return input::usage_error(format!("{}: {e}", args.mock_config.display())),
    };
    let load = asl_core::LoadOptions {
        workflow_type: args.workflow_type,
        ..asl_core::LoadOptions::default()
    };
    let Some((machine, _)) = input::load_definition_with(&args.definition, false, &load) else {
        return ExitCode::from(2);
    };
    let input = match &args.input {
        None => Value::empty_object(),
        Some(path) => match input::read_json(path, "input") {
            Ok(v) => v,
            Err(e) => return input::usage_error(e),
        },
    };
    let expectations = match &args.expect {
        None => Vec::new(),
        Some(path) => match read_expectations(path) {
            Ok(e) => e,
            Err(e) => return input::usage_error(e),
        },
    };
    if let Some(path) = &args.expect {
        let text = input::read(path).unwrap_or_default();
        for (case, span, _) in &expectations {
            if !machine_cases.test_cases.iter().any(|c| &*c.name == case) {
                return input::usage_error(located(
                    path,
                    &text,
                    *span,
                    format!(
                        "no test case \"{case}\" in state machine \"{}\"",
                        machine_cases.name
                    ),
                ));
            }
        }
    }
    let prepared = Prepared::new(Arc::new(machine));
    let unmocked = Unmocked::parse(&args.unmocked);
    let (mut passed, mut failed) = (0usize, 0usize);
    for case in &machine_cases.test_cases {
        let label = format!("{}/{}", machine_cases.name, case.name);
        let mocks = match config.mocks(Some(&machine_cases.name), &case.name) {
            Ok(m) => m,
            Err(e) => return input::usage_error(format!("{}: {e}", args.mock_config.display())),
        };
        for w in mocks.unused(prepared.machine()) {
            eprintln!("asl: warning: {label}: {w}");
        }
        let expect = expectations
            .iter()
            .find(|(c, _, _)| *c == *case.name)
            .map(|(_, _, e)| e);
        let case_input = expect
            .and_then(|e| e.input.clone())
            .unwrap_or_else(|| input.clone());
        let options = run::options(
            args.seed,
            mocks,
            args.max_transitions,
            false,
            args.workflow_type,
        );
        let mut exec: Execution = prepared.start(case_input, options);
        let status = match run::drive(&mut exec, unmocked, args.seed) {
            Ok(s) => s,
            Err(e) => return input::usage_error(e),
        };
        match verdict(&status, expect) {
            None => {
                passed += 1;
                println!("PASS {label}: {}", describe(&status));
            }
            Some(why) => {
                failed += 1;
                println!("FAIL {label}: {} {why}", describe(&status));
            }
        }
    }
    println!("{passed} passed, {failed} failed");
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
