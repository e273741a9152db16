//! `asl compare HISTORY --definition FILE [--mocks FILE [--state-machine NAME] [--test-case
//! CASE]] [--describe FILE] [--seed N]`: simulate a recorded execution (its input, its names
//! and start time) with mocks and compare the simulation with the recording event by event.
//! Without `--mocks`, every task is answered as the recording says for its Map iteration and
//! attempt (`asl_core::recorded::compare_recorded`: `asl mocks-from`'s outcomes, without the
//! per-state counter that concurrent Map iterations can scramble), which checks the simulator
//! itself against AWS.
//!
//! Output contract: one JSON object on stdout, `asl_core::recorded::Comparison`:
//! `{"divergence": null | {"kind": "state"|"type"|"input"|"output"|"variables"|"error"|"cause"|"missing"|
//! "extra", "recordedEvent", "simulatedEvent", "path", "state", "iterations", "recorded",
//! "simulated", "message"}, "recordedEvents", "simulatedEvents", "matchedEvents",
//! "recordedStatus", "simulatedStatus"}`, and on stderr one readable line. Exit status: 0 when
//! nothing diverges, 1 at a divergence, 2 for an unreadable or malformed file or an invalid
//! definition. What is compared and what is normalised (timestamps, ARNs, ids) is documented in
//! `asl_core::recorded::compare`.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use asl_core::exec::ExecOptions;
use asl_core::recorded;

use crate::input::usage_error;
use crate::replay::{HistoryArgs, read_recording};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub recorded: HistoryArgs,
    /// Mocks (native JSON or a MockConfigFile); default: derived from the recording.
    #[arg(long, value_name = "FILE")]
    pub mocks: Option<PathBuf>,
    /// The MockConfigFile's state machine (when it has several).
    #[arg(long, value_name = "NAME")]
    pub state_machine: Option<String>,
    /// The MockConfigFile's test case (default: its first).
    #[arg(long, value_name = "CASE")]
    pub test_case: Option<String>,
    /// Seed for randomness (States.UUID, retry jitter).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub seed: u64,
}

pub fn main(args: Args) -> ExitCode {
    let (machine, rec) = match read_recording(&args.recorded) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let mut options = ExecOptions::default();
    options.env.seed = args.seed;
    let mocks = match &args.mocks {
        None => return report(recorded::compare_recorded(machine, &rec, options)),
        Some(path) => match crate::input::read_mock_file(path) {
            Err(e) => return usage_error(e),
            Ok(asl_core::mock::MockFile::Native(m)) => m,
            Ok(asl_core::mock::MockFile::Config(c)) => {
                let case = match &args.test_case {
                    Some(c) => c.clone(),
                    None => match c.cases().first() {
                        Some((_, case)) => case.to_string(),
                        None => return usage_error(format!("{}: no test case", path.display())),
                    },
                };
                match c.mocks(args.state_machine.as_deref(), &case) {
                    Ok(m) => m,
                    Err(e) => return usage_error(format!("{}: {e}", path.display())),
                }
            }
        },
    };
    options.mocks = Arc::new(mocks);
    report(recorded::compare_with(machine, &rec, options))
}

/// Prints the comparison and says how it ended.
fn report(cmp: recorded::Comparison) -> ExitCode {
    let text = serde_json::to_string(&cmp).unwrap_or_default();
    let _ = writeln!(std::io::stdout().lock(), "{text}");
    match &cmp.divergence {
        None => {
            eprintln!(
                "no divergence: {} recorded events, {} simulated (recorded {}, simulated {})",
                cmp.recorded_events,
                cmp.simulated_events,
                cmp.recorded_status,
                cmp.simulated_status
            );
            ExitCode::SUCCESS
        }
        Some(d) => {
            let at = d
                .recorded_event
                .map(|e| format!("recorded event {e}"))
                .or_else(|| d.simulated_event.map(|e| format!("simulated event {e}")))
                .unwrap_or_default();
            eprintln!("diverges at {at} ({:?}): {}", d.kind, d.message);
            ExitCode::from(1)
        }
    }
}
