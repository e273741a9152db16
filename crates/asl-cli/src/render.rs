//! `asl render DEFINITION [-o FILE.svg] [--theme light|dark|auto]`: draw a definition as an SVG graph.
//!
//! Contract: the SVG goes to stdout (or to `-o FILE`); `DEFINITION` may be `-` for stdin. It always
//! draws what it can: whenever the text is a JSON object with `States`, the SVG is written and the
//! exit status is 0, even when the definition has errors. Every diagnostic (errors and warnings)
//! goes to stderr as `FILE:LINE:COL: error[CODE]: message`; in the drawing, states with problems
//! have the class `has-error`/`has-warning` and the messages on hover, and a transition to a
//! missing state dangles (see `asl_graph::svg`). So `render` is not a validity check: use
//! `asl validate` for that. Exit 2, with no SVG, when there is nothing to draw: the file cannot be
//! read, or the text is not a JSON object with `States`. Exit 1 when the output cannot be written.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use asl_graph::{RenderOptions, Theme};

use crate::input;

#[derive(clap::Args)]
pub struct Args {
    /// The state machine definition (ASL JSON); `-` reads stdin.
    definition: PathBuf,
    /// Write the SVG to this file instead of stdout.
    #[arg(short, long, value_name = "FILE.svg")]
    output: Option<PathBuf>,
    /// Colour theme; `auto` follows the viewer's `prefers-color-scheme`.
    #[arg(long, value_enum, default_value_t = ThemeArg::Light)]
    theme: ThemeArg,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ThemeArg {
    Light,
    Dark,
    Auto,
}

pub fn main(args: Args) -> ExitCode {
    let name = args.definition.display().to_string();
    let text = match input::read(&args.definition) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("asl: cannot read {name}: {e}");
            return ExitCode::from(2);
        }
    };
    let loaded = asl_core::load(&text);
    for d in &loaded.diagnostics {
        eprintln!("{name}:{d}");
    }
    let has_states = asl_core::syntax::parse(&text)
        .ok()
        .is_some_and(|root| root.get("States").is_some());
    if !has_states {
        if loaded.diagnostics.is_empty() || loaded.machine.is_some() {
            eprintln!("asl: {name}: not a state machine definition (no `States`): nothing to draw");
        }
        return ExitCode::from(2);
    }
    let theme = match args.theme {
        ThemeArg::Light => Theme::Light,
        ThemeArg::Dark => Theme::Dark,
        ThemeArg::Auto => Theme::Auto,
    };
    let opts = RenderOptions {
        theme,
        ..RenderOptions::default()
    };
    let Some(svg) = asl_graph::render_loaded(&loaded, &opts) else {
        return ExitCode::from(2);
    };
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
