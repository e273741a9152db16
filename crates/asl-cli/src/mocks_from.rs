//! `asl mocks-from HISTORY --definition FILE [--describe FILE] [--format native|mock-config]
//! [--state-machine NAME] [--test-case NAME] [--expect FILE]`: the mocks of a recorded
//! execution, every task's recorded result or error in invocation order, so `asl run` /
//! `asl test` replay its path. `--expect` also writes the recording's input and end as
//! `asl test --expect` reads them: with `--format mock-config`, the recorded execution becomes a
//! regression test (`asl test MOCKS --definition FILE --expect FILE`).
//!
//! Output contract: the mocks as pretty JSON on stdout: our native form
//! (`{"States": {…}}`, `asl run --mocks`) by default, or with `--format mock-config` a Step
//! Functions Local MockConfigFile with one test case (`--state-machine`, default the recorded
//! state machine's name; `--test-case`, default `Recorded`). Notes (an invocation without an
//! outcome, a deadline the mocks cannot know) go to stderr. Exit status: 0, or 2 for an
//! unreadable or malformed file or an invalid definition. Deriving is `asl_core::recorded`'s.

use std::io::Write as _;
use std::process::ExitCode;

use asl_core::recorded::{self, Replay};

use crate::input::usage_error;

use crate::replay::{HistoryArgs, read_recording};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub recorded: HistoryArgs,
    /// `native` (asl run --mocks) or `mock-config` (a Step Functions Local MockConfigFile).
    #[arg(long, value_name = "FORMAT", default_value = "native", value_parser = ["native", "mock-config"])]
    pub format: String,
    /// The MockConfigFile's state machine name (default: the recorded one's).
    #[arg(long, value_name = "NAME")]
    pub state_machine: Option<String>,
    /// The MockConfigFile's test case name.
    #[arg(long, value_name = "NAME", default_value = "Recorded")]
    pub test_case: String,
    /// Also write the recording's input and end as an `asl test --expect` file.
    #[arg(long, value_name = "FILE")]
    pub expect: Option<std::path::PathBuf>,
}

pub fn main(args: Args) -> ExitCode {
    let (machine, rec) = match read_recording(&args.recorded) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let derived = recorded::mocks_from(&machine, &rec.events);
    for n in &derived.notes {
        eprintln!("asl: note: {n}");
    }
    let value = if args.format == "mock-config" {
        let name = args
            .state_machine
            .clone()
            .unwrap_or_else(|| rec.names.state_machine_name.clone());
        recorded::mock_config(&machine, &derived, &name, &args.test_case).to_value()
    } else {
        derived.mocks.to_value()
    };
    if let Some(path) = &args.expect {
        if !matches!(rec.status(), "SUCCEEDED" | "FAILED" | "TIMED_OUT") {
            return usage_error(format!(
                "--expect: the recorded execution is {}; asl test expects one that ended \
                 SUCCEEDED, FAILED or TIMED_OUT",
                rec.status()
            ));
        }
        let status = Replay::new(machine.clone(), rec.clone()).run();
        let Some(files) = recorded::test_case(
            &machine,
            "StateMachine",
            &args.test_case,
            &rec.input,
            &derived.mocks,
            &status,
        ) else {
            return usage_error("--expect: the recorded execution has not ended".into());
        };
        if let Err(e) = std::fs::write(path, files.expect.to_json_pretty() + "\n") {
            return usage_error(format!("cannot write {}: {e}", path.display()));
        }
    }
    let _ = writeln!(std::io::stdout().lock(), "{}", value.to_json_pretty());
    ExitCode::SUCCESS
}
