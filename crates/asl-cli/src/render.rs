//! `asl render DEFINITION [-o FILE.svg] [--theme light|dark|auto]`: draw a definition as an SVG graph.
//!
//! Contract: the SVG goes to stdout (or to `-o FILE`); `DEFINITION` may be `-` for stdin. Exit 0 when
//! drawn. Exit 2, with one `FILE:LINE:COL: error[CODE]: message` line per problem on stderr and no
//! SVG, when the definition is not valid ASL or cannot be read; warnings are printed the same way
//! but do not stop the drawing. Exit 1 when the output file cannot be written.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use asl_core::diag::{Code, Diagnostic};
use asl_core::source::LineIndex;
use asl_graph::{RenderOptions, Theme};

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
    let shown = args.definition.display().to_string();
    let text = match read(&args.definition) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{shown}: error: cannot read the definition: {e}");
            return ExitCode::from(2);
        }
    };
    let index = LineIndex::new(&text);
    let report = |mut d: Diagnostic| {
        d.locate(&text, &index);
        eprintln!("{shown}:{d}");
    };
    let root = match asl_core::syntax::parse(&text) {
        Ok(root) => root,
        Err(e) => {
            report(Diagnostic::new(Code::InvalidJson, e.message, "", e.span));
            return ExitCode::from(2);
        }
    };
    let (machine, mut diags) = asl_core::parse::parse(&root);
    if let Some(m) = &machine {
        diags.extend(asl_core::validate::validate(m));
    }
    let has_error = diags.iter().any(Diagnostic::is_error);
    for d in diags {
        report(d);
    }
    let machine = match machine {
        Some(m) if !has_error => m,
        _ => return ExitCode::from(2),
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

fn read(path: &PathBuf) -> std::io::Result<String> {
    if path.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s)?;
        Ok(s)
    } else {
        std::fs::read_to_string(path)
    }
}
