//! Reading what the user names on the command line: definitions, JSON inputs and mock files,
//! from a file or `-` (stdin), with problems reported as `FILE:LINE:COL: …` on stderr.
//!
//! Shared by every subcommand so they read and report alike; what each command does with the
//! result is its own module's business.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use asl_core::mock::MockFile;
use asl_core::model::StateMachine;
use asl_core::placeholder::{Substitutions, parse_substitutions};
use asl_core::value::Value;
use asl_core::{LoadOptions, Loaded};

pub(crate) fn read(path: &Path) -> std::io::Result<String> {
    if path.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s)?;
        Ok(s)
    } else {
        std::fs::read_to_string(path)
    }
}

pub(crate) fn usage_error(msg: String) -> ExitCode {
    eprintln!("asl: {msg}");
    ExitCode::from(2)
}

/// How to read a definition file: placeholder values and, in a template, which state machine.
/// Shared by every subcommand that reads a definition.
#[derive(clap::Args, Clone, Debug, Default)]
pub struct SourceArgs {
    /// A value for the template placeholder `${NAME}` (repeatable; wins over --substitutions).
    #[arg(long = "substitute", value_name = "NAME=VALUE")]
    pub substitute: Vec<String>,
    /// Placeholder values from a JSON file shaped like DefinitionSubstitutions:
    /// {"NAME": "value", …}.
    #[arg(long, value_name = "FILE")]
    pub substitutions: Option<PathBuf>,
    /// In a CloudFormation/SAM template with several state machines, the logical id of the one
    /// to use (default: the first).
    #[arg(long, value_name = "ID")]
    pub logical_id: Option<String>,
}

impl SourceArgs {
    /// `base` (the workflow type and lints a command checks with) with the placeholder values
    /// and logical id given; a malformed `--substitute` or substitutions file is an error.
    pub(crate) fn options(&self, base: LoadOptions) -> Result<LoadOptions, String> {
        let mut substitutions = match &self.substitutions {
            None => Substitutions::new(),
            Some(path) => {
                let text =
                    read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                parse_substitutions(&text).map_err(|e| format!("{}: {e}", path.display()))?
            }
        };
        for pair in &self.substitute {
            let Some((name, value)) = pair.split_once('=') else {
                return Err(format!("--substitute {pair}: expected NAME=VALUE"));
            };
            substitutions.insert(name.to_string(), value.to_string());
        }
        Ok(LoadOptions {
            substitutions,
            logical_id: self.logical_id.clone(),
            ..base
        })
    }
}

/// A definition read from a file: what the core made of it, the file its positions point into
/// (the template itself, or the `DefinitionUri` file beside it), that file's text and the
/// options it was loaded with (to load it again alike, as the run lints do).
pub(crate) struct LoadedFile {
    pub name: String,
    pub text: String,
    pub options: LoadOptions,
    pub loaded: Loaded,
}

/// Reads a definition (JSON, YAML or a template). A SAM template whose state machine lives in a
/// `DefinitionUri` file beside it loads that file, with the template's substitutions.
pub(crate) fn load_file(path: &Path, options: &LoadOptions) -> Result<LoadedFile, String> {
    let name = path.display().to_string();
    let text = read(path).map_err(|e| format!("cannot read {name}: {e}"))?;
    let loaded = asl_core::load_with(&text, options);
    let Some(uri) = loaded.source.definition_uri.clone() else {
        return Ok(LoadedFile {
            name,
            text,
            options: options.clone(),
            loaded,
        });
    };
    let beside = path.parent().unwrap_or(Path::new(".")).join(&uri);
    let def_name = beside.display().to_string();
    let def_text = read(&beside).map_err(|e| {
        format!(
            "{name}: the definition is in {def_name} (DefinitionUri), which cannot be read: {e}"
        )
    })?;
    let mut with = options.clone();
    with.substitutions = loaded.source.substitutions.clone();
    with.substitutions.extend(options.substitutions.clone());
    with.logical_id = None;
    let mut from_file = asl_core::load_with(&def_text, &with);
    // Which state machine of the template this is stays known.
    from_file.source = loaded.source;
    Ok(LoadedFile {
        name: def_name,
        text: def_text,
        options: with,
        loaded: from_file,
    })
}

/// A definition ready to use: the model, and the text and options it was loaded from.
pub(crate) struct Definition {
    /// The file the positions point into.
    pub name: String,
    pub machine: StateMachine,
    pub text: String,
    pub options: LoadOptions,
}

/// Reads and validates a definition with `base` (workflow type, lints) and the placeholder values
/// and logical id of `source`; prints its errors (and, with `warnings`, its warnings) as
/// `FILE:LINE:COL: error[CODE]: …` and returns `None` when it cannot be used. To `run` it, the
/// checks skipped for template placeholders count as errors too (a run needs the values).
pub(crate) fn load_definition(
    path: &Path,
    source: &SourceArgs,
    base: LoadOptions,
    warnings: bool,
    run: bool,
) -> Option<Definition> {
    let options = match source.options(base) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("asl: {e}");
            return None;
        }
    };
    let LoadedFile {
        name,
        text,
        options,
        loaded,
    } = match load_file(path, &options) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("asl: {e}");
            return None;
        }
    };
    let usable = !loaded.has_errors() && loaded.machine.is_some();
    for d in &loaded.diagnostics {
        if d.is_error() || (warnings && usable) {
            eprintln!("{name}:{d}");
        }
    }
    if !usable {
        if loaded.diagnostics.is_empty() {
            eprintln!("asl: {name}: not a state machine definition");
        }
        return None;
    }
    if run && loaded.run_blockers().next().is_some() {
        for d in loaded.run_blockers() {
            eprintln!(
                "{name}:{d} (a template placeholder: give it a value with --substitute to run)"
            );
        }
        return None;
    }
    loaded.machine.map(|machine| Definition {
        name,
        machine,
        text,
        options,
    })
}

/// `--type STANDARD|EXPRESS` (case-insensitive).
pub(crate) fn parse_type(s: &str) -> Result<asl_core::WorkflowType, String> {
    s.parse()
}

/// Reads a JSON file (`what` names it in the diagnostic, which carries `FILE:LINE:COL`).
pub(crate) fn read_json(path: &Path, what: &str) -> Result<Value, String> {
    let text = read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Value::parse(&text).map_err(|e| {
        format!(
            "{}:{}:{}: malformed {what} JSON: {e}",
            path.display(),
            e.line(),
            e.column()
        )
    })
}

/// Reads a mock file of either form; problems as `FILE:LINE:COL: message`.
pub(crate) fn read_mock_file(path: &Path) -> Result<MockFile, String> {
    let text = read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    MockFile::parse(&text).map_err(|e| format!("{}:{e}", path.display()))
}
