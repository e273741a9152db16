//! `asl validate FILE…`: check definitions and print every problem.
//!
//! The output is a contract other tooling relies on (editors' problem matchers, CI):
//! one line per diagnostic, `FILE:LINE:COL: error[CODE]: message` (or `warning[CODE]`), lines and
//! columns 1-based with columns counted in characters, then one summary line. Exit status: 0 when
//! no file has an error (warnings are fine), 1 when any has, 2 when a file cannot be read (that
//! wins over 1). Checking itself lives in `asl_core::load_with` (with `--type` and the lints,
//! silenced per `--allow CODE` or all with `--no-lints`; a lint's JSON carries its quick `fix`
//! when it has one); this module only reads files and prints.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use asl_core::{Code, Severity};

#[derive(clap::Args)]
#[command(after_long_help = CODES_HELP.as_str())]
pub struct Args {
    /// State machine definitions (JSON files as you would paste them into the AWS console); `-`
    /// reads standard input.
    #[arg(required_unless_present = "explain", value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Print a lint's (or any code's) explanation and AWS documentation link, then exit.
    #[arg(long, value_name = "CODE")]
    pub explain: Option<String>,
    /// Output format: `text` (one line per problem) or `json` (one JSON object per file, with
    /// JSON pointers and end positions).
    #[arg(long, value_name = "FORMAT", default_value = "text", value_parser = ["text", "json"])]
    pub format: String,
    /// Do not print warnings (they still never affect the exit status).
    #[arg(long, short)]
    pub quiet: bool,
    /// Workflow type the definitions are checked as: STANDARD (default) or EXPRESS (which
    /// rejects the `.sync` and `.waitForTaskToken` integration patterns).
    #[arg(long = "type", value_name = "TYPE", default_value = "STANDARD", value_parser = crate::input::parse_type)]
    pub workflow_type: asl_core::WorkflowType,
    /// Silence a lint by its code (repeatable), e.g. `--allow SECRET_IN_DEFINITION`.
    #[arg(long, value_name = "CODE")]
    pub allow: Vec<String>,
    /// Do not run the lints (pitfall warnings), only AWS's rules and the graph checks.
    #[arg(long)]
    pub no_lints: bool,
}

/// The list of codes for `asl validate --help`.
static CODES_HELP: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let mut s = String::from(
        "Examples:\n  asl validate machine.asl.json\n  asl validate --format json definitions/*.json\n\n\
         Output: FILE:LINE:COL: error[CODE]: message, then a summary line.\n\
         Exit status: 0 no errors (warnings allowed), 1 errors found, 2 a file could not be read.\n\
         Lints (pitfall warnings) run too: silence one with --allow CODE, all with --no-lints;\n\
         --explain CODE prints a lint's explanation and AWS docs link.\n\n\
         Diagnostic codes (AWS ValidateStateMachineDefinition names where AWS has one):\n",
    );
    for code in Code::ALL {
        let sev = match code.severity() {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        s.push_str(&format!(
            "  {:<31} {:<7} {}\n",
            code.as_str(),
            sev,
            code.description()
        ));
    }
    s
});

/// `--explain CODE`: the lint registry's paragraph and link (or the code's description).
fn explain(name: &str) -> ExitCode {
    let Some(code) = Code::from_name(name) else {
        return crate::input::usage_error(format!("\"{name}\" is not a diagnostic code"));
    };
    match asl_core::lint::registry::info(code) {
        Some(l) => println!(
            "{} ({}, warning{}): {}\n\n{}\n\n{}",
            code,
            l.title,
            if l.after_run {
                ", after a run: asl run --lint"
            } else {
                ""
            },
            code.description(),
            l.explanation,
            l.docs_url
        ),
        None => println!(
            "{} ({}): {}",
            code,
            code.severity().as_str(),
            code.description()
        ),
    }
    ExitCode::SUCCESS
}

pub fn main(args: Args) -> ExitCode {
    if let Some(name) = &args.explain {
        return explain(name);
    }
    let mut options = asl_core::LoadOptions::for_type(args.workflow_type);
    options.lints = !args.no_lints;
    if let Err(e) = options
        .lint
        .allow_names(args.allow.iter().map(String::as_str))
    {
        return crate::input::usage_error(e);
    }
    let mut out = std::io::stdout().lock();
    let (mut errors, mut warnings, mut unreadable) = (0usize, 0usize, 0usize);
    let mut json_reports = Vec::new();
    for file in &args.files {
        let name = file.display().to_string();
        let text = match crate::input::read(file) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("asl: cannot read {name}: {e}");
                unreadable += 1;
                continue;
            }
        };
        let loaded = asl_core::load_with(&text, &options);
        for d in &loaded.diagnostics {
            match d.severity {
                Severity::Error => errors += 1,
                Severity::Warning => warnings += 1,
            }
        }
        if args.format == "json" {
            let diags: Vec<_> = loaded
                .diagnostics
                .iter()
                .filter(|d| !(args.quiet && d.severity == Severity::Warning))
                .collect();
            json_reports.push(serde_json::json!({ "file": name, "valid": !loaded.has_errors(), "diagnostics": diags }));
            continue;
        }
        for d in &loaded.diagnostics {
            if args.quiet && d.severity == Severity::Warning {
                continue;
            }
            // A broken pipe (e.g. `| head`) is not an error worth a panic.
            if writeln!(out, "{name}:{d}").is_err() {
                return ExitCode::from(if unreadable > 0 {
                    2
                } else {
                    u8::from(errors > 0)
                });
            }
        }
    }
    if args.format == "json" {
        let _ = writeln!(out, "{}", serde_json::Value::Array(json_reports));
    } else {
        let files = args.files.len();
        let mut summary = format!(
            "{} {}, {} {} in {} {}",
            errors,
            plural(errors, "error"),
            warnings,
            plural(warnings, "warning"),
            files,
            plural(files, "file")
        );
        if unreadable > 0 {
            summary.push_str(&format!(" ({unreadable} could not be read)"));
        }
        let _ = writeln!(out, "{summary}");
    }
    if unreadable > 0 {
        ExitCode::from(2)
    } else if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}
