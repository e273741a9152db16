//! `asl run DEFINITION [--input FILE|-] [--mocks FILE [--state-machine NAME] [--test-case CASE]]
//! [--unmocked fail|echo|ask] [--history] [--seed N] [--export-mocks FILE] [--type STANDARD|EXPRESS]
//! [--cost [--executions-per-month N] [--prices FILE]] [--lint [--allow CODE]…]`: execute locally
//! (`--export-mocks` also writes the mocks in use as a Step Functions Local MockConfigFile).
//!
//! `--type` runs with that workflow type's limits (Standard: 25,000 history events, one year;
//! Express: five minutes, then TIMED_OUT with States.Timeout) and validation; the result says
//! `"workflowType"` and `"delivery"` (exactly-once / at-least-once; for Express,
//! `"mustBeIdempotent"`: the tasks whose effect repeats if the execution runs twice). `--cost` adds `"cost"` (the
//! `asl_core::cost::CostReport`: Standard vs Express for this run and for N runs a month) and
//! prints it readably on stderr. `--lint` adds `"lints"` (the definition's lints and the run's:
//! payload near 256 KiB, secrets in the input, cost hot spots) and prints them on stderr as
//! `FILE:LINE:COL: warning[CODE]: message`; `--allow CODE` silences one.
//!
//! Output contract (tooling relies on it): one JSON object on stdout,
//! `{"status": "SUCCEEDED"|"FAILED"|"TIMED_OUT", "output": …, "error": …, "cause": …,
//! "transitions": N}` (absent values are `null`), plus `"events": [...]` (AWS
//! GetExecutionHistory shape; every Task's effective request is in its `TaskScheduled`
//! `parameters`, `LambdaFunctionScheduled` `input` or `ActivityScheduled` `input`) with
//! `--history`. Exit status: 0 when SUCCEEDED, 1 otherwise, 2 for an invalid definition
//! (diagnostics on stderr as `FILE:LINE:COL: error[CODE]: message`), an unreadable file, or
//! malformed input or mocks (`FILE:LINE:COL: message`).
//!
//! `--mocks` takes the native mock JSON (`asl_core::mock`: `{"States": …, "Resources": …}` or
//! the `{"State": {"Return": …}}` shorthand) or an AWS Step Functions Local MockConfigFile with
//! `--test-case` (and `--state-machine` when it holds several). A Task without a mock is
//! answered per `--unmocked`: `fail` (default: the execution fails with States.Runtime naming
//! the state), `echo` (the task returns its effective request) or `ask` (on a terminal, the
//! request is shown on stderr and an answer prompted for; otherwise one JSON line
//! `{"pendingTask": {…}}` is written to stderr per task and one JSON answer line read from
//! stdin). An answer is a mock response (`{"Return": …}`, `{"ReturnPayload": …}`,
//! `{"Throw": {"Error", "Cause"}}`, optional `"DurationSeconds"`: how long the task waited), or
//! `{"Heartbeat": true, "DurationSeconds": n}` (then the task is asked about again), or
//! `{"TimeOut": true}` (no answer ever comes: TimeoutSeconds/HeartbeatSeconds fire). Executing
//! lives in `asl_core::exec`; this module and its helpers (shared with `asl test`) read files
//! and print.

use std::io::{IsTerminal as _, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use asl_core::env::{Env, Rng};
use asl_core::error::{ErrorName, ExecError};
use asl_core::exec::{ExecOptions, Execution, PendingTask, Status, integration};
use asl_core::mock::{MockConfig, MockFile, MockOutcome, MockSequence, Mocks};
use asl_core::value::Value;

use asl_core::WorkflowType;
use asl_core::lint::LintOptions;

use crate::input::{load_definition, read_json, read_mock_file, usage_error};

#[derive(clap::Args)]
pub struct Args {
    /// The state machine definition (JSON, YAML, or a SAM/CloudFormation template holding it);
    /// `-` reads standard input.
    #[arg(value_name = "DEFINITION")]
    pub definition: PathBuf,
    /// Execution input (JSON file, `-` for standard input); `{}` when absent.
    #[arg(long, value_name = "FILE")]
    pub input: Option<PathBuf>,
    /// Task mocks: {"States": {name: mock}, "Resources": {arn: mock}} or {name: mock}, a mock
    /// being {"Return": …} / {"Throw": {"Error", "Cause"}} / numbered {"0": …, "1-2": …};
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
    /// What an unmocked Task does: `fail` the execution, `echo` its request back, or `ask`
    /// (show the request, read one JSON answer per task from stdin: {"Return": …},
    /// {"Throw": {"Error": …, "Cause": …}}, {"Heartbeat": true} or {"TimeOut": true}).
    #[arg(long, value_name = "MODE", default_value = "fail", value_parser = ["fail", "echo", "ask"])]
    pub unmocked: String,
    /// Maximum state transitions before the execution fails (stops endless loops); default
    /// 100,000 (STANDARD) or 500,000 (EXPRESS, which has no history quota).
    #[arg(long, value_name = "N")]
    pub max_transitions: Option<u64>,
    /// Also write the mocks in use as an AWS Step Functions Local MockConfigFile (state machine
    /// `--state-machine`, default "StateMachine"; test case `--test-case`, default "Default"):
    /// resource mocks become mocks of the states using them.
    #[arg(long, value_name = "FILE")]
    pub export_mocks: Option<PathBuf>,
    /// Show a state's visits stage by stage (InputPath → Parameters → result → ResultSelector →
    /// ResultPath → OutputPath, with retries and catches): STATE is a state name or path
    /// (`Par/1/Inner`), `#N` picks its N-th visit. Readable text on stderr, and `"inspect"`
    /// in the JSON on stdout. Repeatable.
    #[arg(long, value_name = "STATE[#N]")]
    pub inspect: Vec<String>,
    /// Workflow type: STANDARD (default) or EXPRESS; sets the limits and validation.
    #[arg(long = "type", value_name = "TYPE", default_value = "STANDARD", value_parser = crate::input::parse_type)]
    pub workflow_type: WorkflowType,
    /// Estimate the bill of this run, Standard vs Express (`"cost"` in the JSON; text on stderr).
    #[arg(long)]
    pub cost: bool,
    /// Executions a month for the monthly figures of `--cost`.
    #[arg(long, value_name = "N", default_value_t = 1_000_000)]
    pub executions_per_month: u64,
    /// Prices for `--cost` (and the cost lint) instead of the us-east-1 defaults: a JSON object
    /// with any of `region`, `asOf`, `perTransition`, `freeTransitionsPerMonth`, `perRequest`,
    /// `gbHourTiers` ([[GB-hours, $ per GB-hour], …]).
    #[arg(long, value_name = "FILE")]
    pub prices: Option<PathBuf>,
    /// Run the lints (definition and run): `"lints"` in the JSON, warnings on stderr.
    #[arg(long)]
    pub lint: bool,
    /// Silence a lint by its code (repeatable), e.g. `--allow SECRET_IN_INPUT`.
    #[arg(long, value_name = "CODE")]
    pub allow: Vec<String>,
    #[command(flatten)]
    pub source: crate::input::SourceArgs,
}

fn load_mocks(args: &Args) -> Result<Mocks, String> {
    let Some(path) = &args.mocks else {
        if args.test_case.is_some() {
            return Err("--test-case needs --mocks MOCKCONFIG".into());
        }
        return Ok(Mocks::default());
    };
    match read_mock_file(path)? {
        MockFile::Config(config) => {
            let case = args.test_case.as_deref().ok_or_else(|| {
                let cases: Vec<String> = config
                    .cases()
                    .iter()
                    .map(|(sm, c)| format!("{sm}/{c}"))
                    .collect();
                format!(
                    "{} is a MockConfigFile: choose a test case with --test-case (it has: {})",
                    path.display(),
                    cases.join(", ")
                )
            })?;
            config
                .mocks(args.state_machine.as_deref(), case)
                .map_err(|e| format!("{}: {e}", path.display()))
        }
        MockFile::Native(m) => {
            if args.test_case.is_some() && args.export_mocks.is_none() {
                return Err(format!(
                    "--test-case needs a MockConfigFile; {} holds plain mocks",
                    path.display()
                ));
            }
            Ok(m)
        }
    }
}

/// How unmocked tasks are answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Unmocked {
    Fail,
    Echo,
    Ask,
}

impl Unmocked {
    pub(crate) fn parse(s: &str) -> Unmocked {
        match s {
            "echo" => Unmocked::Echo,
            "ask" => Unmocked::Ask,
            _ => Unmocked::Fail,
        }
    }
}

/// One line of an `ask` answer, read.
enum Reply {
    Result(Result<Value, ExecError>, u64),
    Heartbeat(u64),
    TimeOut,
}

fn parse_reply(line: &str, t: &PendingTask, rng: &mut Rng) -> Result<Reply, String> {
    let v = Value::parse(line)
        .map_err(|e| format!("the answer is not JSON (column {}): {e}", e.column()))?;
    let seconds = |v: &Value| -> Result<u64, String> {
        match v.get("DurationSeconds") {
            None => Ok(0),
            Some(d) => match d.as_f64() {
                Some(s) if s >= 0.0 && s.is_finite() && s < 1e15 => Ok((s * 1000.0).round() as u64),
                _ => Err("\"DurationSeconds\" must be a non-negative number".into()),
            },
        }
    };
    if v.get("Heartbeat").is_some() {
        return Ok(Reply::Heartbeat(seconds(&v)?));
    }
    if v.get("TimeOut").is_some() {
        return Ok(Reply::TimeOut);
    }
    let seq = MockSequence::from_value(&v).map_err(|e| format!("the answer: {e}"))?;
    let r = seq
        .response(0)
        .ok_or("the answer has no response for invocation 0")?;
    let result = match &r.outcome {
        MockOutcome::Return(v) if r.wrap_payload && integration::wraps_payload(&t.resource) => Ok(
            integration::lambda_invoke_response(v.clone(), rng, t.time_after(r.duration_ms)),
        ),
        MockOutcome::Return(v) => Ok(v.clone()),
        MockOutcome::Throw { error, cause } => Err(ExecError::new(
            ErrorName::parse(error),
            cause.as_deref().unwrap_or(""),
        )),
    };
    Ok(Reply::Result(result, r.duration_ms))
}

/// `--unmocked ask`: shows the task's request and reads answers until the task is settled.
fn ask(exec: &mut Execution, t: &PendingTask, rng: &mut Rng) -> Result<(), String> {
    let stdin = std::io::stdin();
    let terminal = stdin.is_terminal();
    loop {
        // The pending task as it stands (heartbeats move its wait on).
        let Some(current) = exec.pending().iter().find(|p| p.token == t.token).cloned() else {
            return Ok(());
        };
        if terminal {
            let limits = match (current.timeout_seconds, current.heartbeat_seconds) {
                (None, None) => String::new(),
                (t, h) => format!(
                    " (TimeoutSeconds {}, HeartbeatSeconds {}, waited {} s)",
                    t.map_or("-".into(), |v| v.to_string()),
                    h.map_or("-".into(), |v| v.to_string()),
                    current.waited_ms as f64 / 1000.0
                ),
            };
            eprintln!(
                "asl: task '{}' ({}) has no mock{limits}; its request is:\n{}\nanswer with one line: {{\"Return\": ...}}, {{\"Throw\": {{\"Error\": \"...\", \"Cause\": \"...\"}}}}, {{\"Heartbeat\": true, \"DurationSeconds\": 5}} or {{\"TimeOut\": true}}",
                current.path,
                current.resource,
                current.parameters.to_json_pretty()
            );
            eprint!("> ");
        } else {
            let shown = serde_json::json!({ "pendingTask": current });
            eprintln!("{shown}");
        }
        let mut line = String::new();
        if stdin
            .read_line(&mut line)
            .map_err(|e| format!("cannot read the answer: {e}"))?
            == 0
        {
            return Err(format!("no answer on stdin for task '{}'", t.state));
        }
        let reply = match parse_reply(&line, &current, rng) {
            Ok(r) => r,
            Err(e) if terminal => {
                eprintln!("asl: {e}");
                continue;
            }
            Err(e) => return Err(e),
        };
        let done = match reply {
            Reply::Result(r, after) => exec.complete_task_after(&t.token, r, after).map(|_| true),
            Reply::Heartbeat(after) => exec
                .send_heartbeat(&t.token, after)
                .map(|a| a != asl_core::exec::TaskAnswer::Accepted),
            Reply::TimeOut => exec.expire_task(&t.token).map(|_| true),
        };
        match done {
            Ok(true) => return Ok(()),
            Ok(false) => {}
            Err(e) if terminal => eprintln!("asl: {e}"),
            Err(e) => return Err(e.to_string()),
        }
    }
}

/// Runs to the end, answering unmocked tasks per `unmocked`.
pub(crate) fn drive(exec: &mut Execution, unmocked: Unmocked, seed: u64) -> Result<Status, String> {
    let mut rng = Rng::new(seed);
    loop {
        match exec.run() {
            Status::Paused { tasks } => {
                for t in tasks {
                    match unmocked {
                        Unmocked::Ask => ask(exec, &t, &mut rng)?,
                        Unmocked::Echo => exec
                            .complete_task(&t.token, Ok(t.parameters.clone()))
                            .map_err(|e| e.to_string())?,
                        Unmocked::Fail => exec
                            .complete_task(
                                &t.token,
                                Err(ExecError::runtime(format!(
                                    "Task state '{}' has no mocked response (resource {}); pass --mocks, or --unmocked echo|ask",
                                    t.state, t.resource
                                ))),
                            )
                            .map_err(|e| e.to_string())?,
                    }
                }
            }
            other => return Ok(other),
        }
    }
}

/// The result object of the output contract (without `events`).
pub(crate) fn summary(
    status: &Status,
    exec: &Execution,
) -> serde_json::Map<String, serde_json::Value> {
    let mut out = serde_json::Map::new();
    out.insert("status".into(), status.aws_name().into());
    let (output, error, cause) = match status {
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
    out
}

pub(crate) fn options(
    seed: u64,
    mocks: Mocks,
    max_transitions: Option<u64>,
    history: bool,
    ty: WorkflowType,
) -> ExecOptions {
    ExecOptions {
        env: Env {
            seed,
            ..Env::default()
        },
        mocks: Arc::new(mocks),
        limits: ty.run_limits(max_transitions),
        record_history: history,
        record_stages: false,
        ..ExecOptions::default()
    }
}

pub fn main(args: Args) -> ExitCode {
    let ty = args.workflow_type;
    let mut lint_options = LintOptions {
        workflow_type: ty,
        ..LintOptions::default()
    };
    if let Err(e) = lint_options.allow_names(args.allow.iter().map(String::as_str)) {
        return usage_error(e);
    }
    if let Some(path) = &args.prices {
        match read_json(path, "prices").and_then(|v| {
            serde_json::from_str::<asl_core::cost::Prices>(&v.to_json_string())
                .map_err(|e| format!("{}: prices: {e}", path.display()))
        }) {
            Ok(p) => lint_options.prices = p,
            Err(e) => return usage_error(e),
        }
    }
    let load_options = asl_core::LoadOptions {
        workflow_type: ty,
        lints: args.lint,
        lint: lint_options.clone(),
        ..asl_core::LoadOptions::default()
    };
    let Some(definition) =
        load_definition(&args.definition, &args.source, load_options, false, true)
    else {
        return ExitCode::from(2);
    };
    let crate::input::Definition {
        name,
        machine,
        text,
        options: load_options,
    } = definition;
    let input = match &args.input {
        None => Value::empty_object(),
        Some(path) => match read_json(path, "input") {
            Ok(v) => v,
            Err(e) => return usage_error(e),
        },
    };
    let mocks = match load_mocks(&args) {
        Ok(m) => m,
        Err(e) => return usage_error(e),
    };
    if let Some(path) = &args.mocks {
        for w in mocks.unused(&machine) {
            eprintln!("asl: warning: {}: {w}", path.display());
        }
    }
    if let Some(out) = &args.export_mocks {
        let config = MockConfig::export(
            &machine,
            args.state_machine.as_deref().unwrap_or("StateMachine"),
            args.test_case.as_deref().unwrap_or("Default"),
            &mocks,
        );
        let text = config.to_value().to_json_pretty();
        if let Err(e) = std::fs::write(out, text + "\n") {
            return usage_error(format!("cannot write {}: {e}", out.display()));
        }
    }
    let record = args.history || !args.inspect.is_empty() || args.cost || args.lint;
    let mut options = options(args.seed, mocks, args.max_transitions, record, ty);
    let run_input = input.clone();
    // The stages are what --inspect shows (they also appear as `inspectionData` with --history).
    options.record_stages = !args.inspect.is_empty();
    let mut exec = Execution::start(Arc::new(machine), input, options);
    let status = match drive(&mut exec, Unmocked::parse(&args.unmocked), args.seed) {
        Ok(s) => s,
        Err(e) => return usage_error(e),
    };
    let mut out = summary(&status, &exec);
    out.insert("workflowType".into(), ty.as_str().into());
    let mut delivery = serde_json::to_value(ty.delivery()).unwrap_or_default();
    if ty == WorkflowType::Express
        && let Some(d) = delivery.as_object_mut()
    {
        // Where at-least-once bites: tasks whose effect repeats if the execution runs twice.
        let risks = asl_core::workflow::repeat_sensitive_tasks(exec.machine());
        d.insert(
            "mustBeIdempotent".into(),
            serde_json::to_value(risks).unwrap_or_default(),
        );
    }
    out.insert("delivery".into(), delivery);
    if args.cost {
        let report = asl_core::cost::estimate(
            exec.machine(),
            exec.history(),
            exec.transitions(),
            ty,
            text.len() as u64,
            args.executions_per_month,
            &lint_options.prices,
        );
        eprint!("{}", report.to_text());
        out.insert(
            "cost".into(),
            serde_json::to_value(&report).unwrap_or_default(),
        );
    }
    if args.lint {
        let lints = asl_core::lint::all_lints(&text, &exec, &run_input, &load_options);
        for d in &lints {
            eprintln!("{name}:{d}");
        }
        out.insert(
            "lints".into(),
            serde_json::to_value(&lints).unwrap_or_default(),
        );
    }
    if !args.inspect.is_empty() {
        match crate::inspect::inspect(&exec, &args.inspect) {
            Ok(value) => {
                out.insert("inspect".into(), value);
            }
            Err(e) => return usage_error(e),
        }
    }
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
