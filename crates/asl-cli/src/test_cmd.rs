//! (subcommand being written)

use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {}

pub fn main(_args: Args) -> ExitCode {
    eprintln!("asl: this subcommand is not built yet");
    ExitCode::from(2)
}
