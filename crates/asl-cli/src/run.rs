//! `asl run DEFINITION [--input FILE|-] [--mocks FILE] [--history] [--seed N]`: execute locally.
//!
//! Output contract (tooling relies on it): one JSON object on stdout,
//! `{"status": "SUCCEEDED"|"FAILED"|"TIMED_OUT", "output": …, "error": …, "cause": …,
//! "transitions": N}` (absent values are `null`), plus `"events": [...]` (AWS
//! GetExecutionHistory shape) with `--history`. Exit status: 0 when SUCCEEDED, 1 otherwise, 2 for
//! an invalid definition (diagnostics on stderr as `FILE:LINE:COL: error[CODE]: message`), an
//! unreadable file, or malformed input or mocks.
//!
//! `--mocks` takes either the state-name map (`{"State": {"Return": …}}`, numbered
//! `{"0": …, "1-2": …}` entries) or an AWS Step Functions Local MockConfigFile with
//! `--test-case` (and `--state-machine` when it holds several). A Task without a mock is answered
//! per `--unmocked`: `fail` (default: the execution fails with States.Runtime naming the state)
//! `echo` (the task returns its effective parameters) or `ask` (the request is shown on stderr
//! and the answer read from stdin, one JSON line per task). Executing lives in
//! `asl_core::exec`; this module reads files and prints.

use std::io::{Read as _, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use asl_core::Severity;
use asl_core::env::Env;
use asl_core::error::ExecError;
use asl_core::exec::{ExecOptions, Execution, Limits, Status};
use asl_core::mock::Mocks;
use asl_core::value::Value;

#[derive(clap::Args)]
pub struct Args {
    /// The state machine definition (JSON); `-` reads standard input.
    #[arg(value_name = "DEFINITION")]
    pub definition: PathBuf,
    /// Execution input (JSON file, `-` for standard input); `{}` when absent.
    #[arg(long, value_name = "FILE")]
    pub input: Option<PathBuf>,
    /// Task mocks: state name → {"Return": …} / {"Throw": {"Error", "Cause"}} / numbered form,
    /// or an AWS Step Functions Local MockConfigFile (with --test-case).
    #[arg(long, value_name = "FILE")]
    pub mocks: Option<PathBuf>,
    /// MockConfigFile: the state machine whose test case to use (optional when there is one).
    #[arg(long, value_name = "NAME")]
    pub state_machine: Option<String>,
    /// MockConfigFile: the test case to run.
    #[arg(long, value_name = "CASE")]
    pub test_case: Option<String>,
    /// Include the execution history (`"events"`, AWS GetExecutionHistory shape).
    #[arg(long)]
    pub history: bool,
    /// Seed for randomness (States.MathRandom, States.UUID, retry jitter).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub seed: u64,
    /// What an unmocked Task does: `fail` the execution, `echo` its parameters back, or `ask`
    /// (show the request on stderr, read one JSON answer per task from stdin:
    /// `{"Return": …}` or `{"Throw": {"Error": …, "Cause": …}}`).
    #[arg(long, value_name = "MODE", default_value = "fail", value_parser = ["fail", "echo", "ask"])]
    pub unmocked: String,
    /// Maximum state transitions before the execution fails (stops endless loops).
    #[arg(long, value_name = "N", default_value_t = 100_000)]
    pub max_transitions: u64,
}

fn read(path: &PathBuf) -> std::io::Result<String> {
    if path.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s)?;
        Ok(s)
    } else {
        std::fs::read_to_string(path)
    }
}

fn usage_error(msg: String) -> ExitCode {
    eprintln!("asl: {msg}");
    ExitCode::from(2)
}

fn load_mocks(args: &Args) -> Result<Mocks, String> {
    let Some(path) = &args.mocks else {
        if args.test_case.is_some() {
            return Err("--test-case needs --mocks MOCKCONFIG".into());
        }
        return Ok(Mocks::default());
    };
    let text = read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let v = Value::parse(&text).map_err(|e| {
        format!(
            "{}:{}:{}: malformed JSON: {e}",
            path.display(),
            e.line(),
            e.column()
        )
    })?;
    if Mocks::is_mock_config(&v) {
        let case = args.test_case.as_deref().ok_or_else(|| {
            format!(
                "{} is a MockConfigFile: choose a test case with --test-case",
                path.display()
            )
        })?;
        Mocks::from_mock_config(&v, args.state_machine.as_deref(), case)
            .map_err(|e| format!("{}: {e}", path.display()))
    } else {
        Mocks::from_value(&v).map_err(|e| format!("{}: {e}", path.display()))
    }
}

/// `--unmocked ask`: shows the task's request and reads its outcome (one line of JSON).
fn ask(t: &asl_core::exec::PendingTask) -> Result<Result<Value, ExecError>, String> {
    eprintln!(
        "asl: task '{}' ({}) has no mock; its request is:\n{}\nanswer with one line: {{\"Return\": ...}} or {{\"Throw\": {{\"Error\": \"...\", \"Cause\": \"...\"}}}}",
        t.path,
        t.resource,
        t.parameters.to_json_pretty()
    );
    let mut line = String::new();
    if std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| format!("cannot read the answer: {e}"))?
        == 0
    {
        return Err(format!("no answer on stdin for task '{}'", t.state));
    }
    let v = Value::parse(&line)
        .map_err(|e| format!("the answer is not JSON (column {}): {e}", e.column()))?;
    let seq =
        asl_core::mock::MockSequence::from_value(&v).map_err(|e| format!("the answer: {e}"))?;
    match seq.response(0).map(|r| &r.outcome) {
        Some(asl_core::mock::MockOutcome::Return(v)) => Ok(Ok(v.clone())),
        Some(asl_core::mock::MockOutcome::Throw { error, cause }) => Ok(Err(ExecError::new(
            asl_core::error::ErrorName::parse(error),
            cause.as_deref().unwrap_or(""),
        ))),
        None => Err("the answer has no response for invocation 0".into()),
    }
}

pub fn main(args: Args) -> ExitCode {
    let name = args.definition.display().to_string();
    let text = match read(&args.definition) {
        Ok(t) => t,
        Err(e) => return usage_error(format!("cannot read {name}: {e}")),
    };
    let loaded = asl_core::load(&text);
    let has_errors = loaded
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error);
    if has_errors || loaded.machine.is_none() {
        for d in loaded
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
        {
            eprintln!("{name}:{d}");
        }
        if loaded.diagnostics.is_empty() {
            eprintln!("asl: {name}: not a state machine definition");
        }
        return ExitCode::from(2);
    }
    let Some(machine) = loaded.machine else {
        return ExitCode::from(2);
    };
    let input = match &args.input {
        None => Value::empty_object(),
        Some(path) => match read(path) {
            Ok(t) => match Value::parse(&t) {
                Ok(v) => v,
                Err(e) => {
                    return usage_error(format!(
                        "{}:{}:{}: malformed input JSON: {e}",
                        path.display(),
                        e.line(),
                        e.column()
                    ));
                }
            },
            Err(e) => return usage_error(format!("cannot read {}: {e}", path.display())),
        },
    };
    let mocks = match load_mocks(&args) {
        Ok(m) => m,
        Err(e) => return usage_error(e),
    };
    let options = ExecOptions {
        env: Env {
            seed: args.seed,
            ..Env::default()
        },
        mocks: Arc::new(mocks),
        limits: Limits {
            max_transitions: args.max_transitions,
            ..Limits::default()
        },
        record_history: args.history,
        record_stages: false,
        ..ExecOptions::default()
    };
    let mut exec = Execution::start(Arc::new(machine), input, options);
    let status = loop {
        match exec.run() {
            Status::Paused { tasks } => {
                for t in tasks {
                    let answer = if args.unmocked == "echo" {
                        Ok(t.parameters.clone())
                    } else if args.unmocked == "ask" {
                        match ask(&t) {
                            Ok(a) => a,
                            Err(e) => return usage_error(e),
                        }
                    } else {
                        Err(ExecError::runtime(format!(
                            "Task state '{}' has no mocked response (resource {}); pass --mocks, or --unmocked echo",
                            t.state, t.resource
                        )))
                    };
                    if exec.complete_task(&t.token, answer).is_err() {
                        return usage_error(format!("internal: task {} vanished", t.token));
                    }
                }
            }
            other => break other,
        }
    };
    let mut out = serde_json::Map::new();
    out.insert("status".into(), status.aws_name().into());
    let (output, error, cause) = match &status {
        Status::Succeeded { output } => (serde_json::Value::from(output), None, None),
        Status::Failed { error, cause } | Status::TimedOut { error, cause } => {
            (serde_json::Value::Null, error.clone(), cause.clone())
        }
        _ => (serde_json::Value::Null, None, None),
    };
    out.insert("output".into(), output);
    out.insert(
        "error".into(),
        error.map_or(serde_json::Value::Null, |e| e.to_string().into()),
    );
    out.insert(
        "cause".into(),
        cause.map_or(serde_json::Value::Null, |c| c.to_string().into()),
    );
    out.insert("transitions".into(), exec.transitions().into());
    if args.history {
        out.insert(
            "events".into(),
            serde_json::to_value(exec.history()).unwrap_or_default(),
        );
    }
    let text = serde_json::to_string(&serde_json::Value::Object(out)).unwrap_or_default();
    let _ = writeln!(std::io::stdout().lock(), "{text}");
    if matches!(status, Status::Succeeded { .. }) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
