//! `asl mocks-from HISTORY --definition FILE [--describe FILE] [--format native|mock-config]
//! [--state-machine NAME] [--test-case NAME]`: the mocks of a recorded execution, every task's
//! recorded result or error in invocation order, so `asl run` / `asl test` replay its path.
//!
//! Output contract: the mocks as pretty JSON on stdout: our native form
//! (`{"States": {…}}`, `asl run --mocks`) by default, or with `--format mock-config` a Step
//! Functions Local MockConfigFile with one test case (`--state-machine`, default the recorded
//! state machine's name; `--test-case`, default `Recorded`). Notes (an invocation without an
//! outcome, a deadline the mocks cannot know) go to stderr. Exit status: 0, or 2 for an
//! unreadable or malformed file or an invalid definition. Deriving is `asl_core::recorded`'s.

use std::io::Write as _;
use std::process::ExitCode;

use asl_core::recorded;

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
    let _ = writeln!(std::io::stdout().lock(), "{}", value.to_json_pretty());
    ExitCode::SUCCESS
}
