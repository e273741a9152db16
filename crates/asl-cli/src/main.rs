//! `asl`: validate, run, render and test AWS Step Functions state machines from a terminal or CI.
//!
//! Each subcommand lives in its own module; this file only dispatches. Output formats and exit codes
//! are a contract other tooling relies on: see each module's doc.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod compare;
mod input;
mod inspect;
mod mocks_from;
mod render;
mod replay;
mod run;
mod test_cmd;
mod validate;

/// ASL Playground's command line: check, execute and draw Amazon States Language state machines.
#[derive(Parser)]
#[command(name = "asl", version, about, long_about = None, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check definitions and print one line per problem (FILE:LINE:COL: error[CODE]: message).
    Validate(validate::Args),
    /// Execute a definition locally with mocked tasks and a virtual clock; prints a JSON result.
    Run(run::Args),
    /// Draw a definition as an SVG graph.
    Render(render::Args),
    /// Run every test case of an AWS Step Functions Local MockConfigFile.
    Test(test_cmd::Args),
    /// Replay an execution recorded on AWS (get-execution-history output) on its definition.
    Replay(replay::Args),
    /// Derive mocks from a recorded execution: every task's recorded result or error, in order.
    MocksFrom(mocks_from::Args),
    /// Simulate a recorded execution with mocks and report the first divergence from AWS.
    Compare(compare::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Validate(args) => validate::main(args),
        Command::Run(args) => run::main(args),
        Command::Render(args) => render::main(args),
        Command::Test(args) => test_cmd::main(args),
        Command::Replay(args) => replay::main(args),
        Command::MocksFrom(args) => mocks_from::main(args),
        Command::Compare(args) => compare::main(args),
    }
}
