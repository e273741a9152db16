//! `asl replay HISTORY --definition FILE [--describe FILE] [--inspect STATE[#N]]…`: replay an
//! execution recorded on AWS on its definition, without executing anything.
//!
//! HISTORY is `aws stepfunctions get-execution-history` output (`{"events": [...]}` or a bare
//! array), or a LocalStack case of the conformance corpus; `--describe` adds
//! `describe-execution`'s output (the input when the history's is truncated, the names).
//!
//! Output contract: one JSON object on stdout, `{"status": "SUCCEEDED"|"FAILED"|"TIMED_OUT"|
//! "ABORTED"|"RUNNING", "output", "error", "cause", "input", "events": N, "transitions": N,
//! "states": [{"path", "mark", "visits", "retries"}] (in order of first visit), "warnings":
//! [...]}` plus `"inspect"` with `--inspect` (the visits as `asl run --inspect` prints them, on
//! stderr too) and `"history"` with `--history` (the events in AWS's shape plus the `statePath` and
//! `mapIterations` each event was placed at: what the replay shows). Exit status: 0 when the history was read, 2 for an unreadable or malformed file
//! (`FILE:LINE:COL: message`) or an invalid definition. The recording and the replay are
//! `asl_core::recorded`'s; this module reads files and prints.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use asl_core::exec::Status;
use asl_core::inspect::Overlay;
use asl_core::model::StateMachine;
use asl_core::recorded::{self, Recording, Replay};

use crate::input::{self, SourceArgs, usage_error};

/// The arguments every command on a recorded history takes.
#[derive(clap::Args)]
pub struct HistoryArgs {
    /// The recorded history: `aws stepfunctions get-execution-history` output (JSON), or a
    /// LocalStack conformance case.
    #[arg(value_name = "HISTORY")]
    pub history: PathBuf,
    /// The state machine definition the execution ran (JSON, YAML or a template).
    #[arg(long, value_name = "FILE")]
    pub definition: PathBuf,
    /// `aws stepfunctions describe-execution` output for the same execution (input, names).
    #[arg(long, value_name = "FILE")]
    pub describe: Option<PathBuf>,
    #[command(flatten)]
    pub source: SourceArgs,
}

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub recorded: HistoryArgs,
    /// Show a state's visits stage by stage (`NAME` or path, `#N` for one visit); repeatable.
    #[arg(long, value_name = "STATE[#N]")]
    pub inspect: Vec<String>,
    /// Add the imported events, each with the state path and Map iterations it was placed at.
    #[arg(long = "history", id = "show_history")]
    pub show_history: bool,
}

/// The definition and the recording, or the exit code after printing why not.
pub(crate) fn read_recording(
    args: &HistoryArgs,
) -> Result<(Arc<StateMachine>, Recording), ExitCode> {
    let Some(def) = input::load_definition(
        &args.definition,
        &args.source,
        asl_core::LoadOptions::default(),
        false,
        false,
    ) else {
        return Err(ExitCode::from(2));
    };
    let read = |p: &Path| {
        input::read(p).map_err(|e| usage_error(format!("cannot read {}: {e}", p.display())))
    };
    let history = read(&args.history)?;
    let describe = match &args.describe {
        Some(p) => Some(read(p)?),
        None => None,
    };
    let rec = recorded::import(&def.machine, &history, describe.as_deref()).map_err(|e| {
        let file = match e.document {
            "describe" => args.describe.as_deref().unwrap_or(&args.history),
            _ => &args.history,
        };
        usage_error(format!("{}:{e}", file.display()))
    })?;
    for w in &rec.warnings {
        eprintln!("asl: warning: {}: {w}", args.history.display());
    }
    Ok((Arc::new(def.machine), rec))
}

/// `status`, `output`, `error`, `cause` of a status, as `asl run` prints them.
pub(crate) fn status_fields(
    status: &Status,
    word: &str,
) -> serde_json::Map<String, serde_json::Value> {
    let mut out = serde_json::Map::new();
    out.insert("status".into(), word.into());
    let (output, error, cause) = match status {
        Status::Succeeded { output } => (Some(output.to_json_string()), None, None),
        Status::Failed { error, cause } | Status::TimedOut { error, cause } => {
            (None, error.clone(), cause.clone())
        }
        _ => (None, None, None),
    };
    out.insert(
        "output".into(),
        output
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or(serde_json::Value::Null),
    );
    out.insert("error".into(), error.as_deref().into());
    out.insert("cause".into(), cause.as_deref().into());
    out
}

pub fn main(args: Args) -> ExitCode {
    let (machine, rec) = match read_recording(&args.recorded) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let warnings = rec.warnings.clone();
    let input = rec.input.to_json_string();
    let mut replay = Replay::new(machine, rec);
    let status = replay.run();
    let mut out = status_fields(&status, replay.aws_status());
    out.insert(
        "input".into(),
        serde_json::from_str(&input).unwrap_or_default(),
    );
    out.insert("events".into(), replay.event_count().into());
    out.insert("transitions".into(), replay.transitions().into());
    let overlay = Overlay::at(replay.history(), None);
    out.insert(
        "states".into(),
        serde_json::to_value(&overlay.states).unwrap_or_default(),
    );
    out.insert("warnings".into(), warnings.into());
    if !args.inspect.is_empty() {
        match crate::inspect::inspect_history(&replay.inspector(), replay.history(), &args.inspect)
        {
            Ok(v) => {
                out.insert("inspect".into(), v);
            }
            Err(e) => return usage_error(e),
        }
    }
    if args.show_history {
        out.insert(
            "history".into(),
            serde_json::to_value(replay.history()).unwrap_or_default(),
        );
    }
    let text = serde_json::to_string(&serde_json::Value::Object(out)).unwrap_or_default();
    let _ = writeln!(std::io::stdout().lock(), "{text}");
    ExitCode::SUCCESS
}
