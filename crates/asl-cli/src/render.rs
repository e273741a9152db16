//! `asl render DEFINITION [-o FILE.svg] [--theme light|dark|auto]`: draw a definition as an SVG graph.
//!
//! Contract: the SVG goes to stdout (or to `-o FILE`); `DEFINITION` may be `-` for stdin. Exit 0 when
//! drawn. Exit 2, with one `FILE:LINE:COL: error[CODE]: message` line per problem on stderr and no
//! SVG, when the definition is not valid ASL or cannot be read; warnings are printed the same way
//! but do not stop the drawing. Exit 1 when the output file cannot be written.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use asl_graph::{RenderOptions, Theme};

use crate::input;

#[derive(clap::Args)]
pub struct Args {
    /// The state machine definition (JSON, YAML, or a SAM/CloudFormation template holding it);
    /// `-` reads stdin.
    definition: PathBuf,
    /// Write the SVG to this file instead of stdout.
    #[arg(short, long, value_name = "FILE.svg")]
    output: Option<PathBuf>,
    /// Colour theme; `auto` follows the viewer's `prefers-color-scheme`.
    #[arg(long, value_enum, default_value_t = ThemeArg::Light)]
    theme: ThemeArg,
    #[command(flatten)]
    source: input::SourceArgs,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ThemeArg {
    Light,
    Dark,
    Auto,
}

pub fn main(args: Args) -> ExitCode {
    // Errors are printed as `FILE:LINE:COL: error[CODE]: message`; nothing is drawn for them.
    let Some(input::Definition { machine, .. }) = input::load_definition(
        &args.definition,
        &args.source,
        asl_core::LoadOptions::default(),
        true,
        false,
    ) else {
        return ExitCode::from(2);
    };
    let theme = match args.theme {
        ThemeArg::Light => Theme::Light,
        ThemeArg::Dark => Theme::Dark,
        ThemeArg::Auto => Theme::Auto,
    };
    let svg = asl_graph::render_svg(
        &machine,
        &RenderOptions {
            theme,
            ..RenderOptions::default()
        },
    );
    let written = match &args.output {
        Some(path) => {
            std::fs::write(path, svg.as_bytes()).map_err(|e| (path.display().to_string(), e))
        }
        None => std::io::stdout()
            .lock()
            .write_all(svg.as_bytes())
            .map_err(|e| ("stdout".to_string(), e)),
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err((to, e)) => {
            eprintln!("{to}: error: cannot write the SVG: {e}");
            ExitCode::from(1)
        }
    }
}
