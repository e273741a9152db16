//! Reading what the user names on the command line: definitions, JSON inputs and mock files,
//! from a file or `-` (stdin), with problems reported as `FILE:LINE:COL: …` on stderr.
//!
//! Shared by every subcommand so they read and report alike; what each command does with the
//! result is its own module's business.

use std::io::Read as _;
use std::path::Path;
use std::process::ExitCode;

use asl_core::mock::MockFile;
use asl_core::model::StateMachine;
use asl_core::value::Value;

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

/// Reads and validates a definition; prints its errors (and, with `warnings`, its warnings) as
/// `FILE:LINE:COL: error[CODE]: …` and returns `None` when it cannot be used.
pub(crate) fn load_definition(path: &Path, warnings: bool) -> Option<StateMachine> {
    load_definition_with(path, warnings, &asl_core::LoadOptions::default()).map(|(m, _)| m)
}

/// [`load_definition`] for a workflow type (and lints, per `options`); also returns the text.
pub(crate) fn load_definition_with(
    path: &Path,
    warnings: bool,
    options: &asl_core::LoadOptions,
) -> Option<(StateMachine, String)> {
    let name = path.display().to_string();
    let text = match read(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("asl: cannot read {name}: {e}");
            return None;
        }
    };
    let loaded = asl_core::load_with(&text, options);
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
    loaded.machine.map(|m| (m, text))
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
