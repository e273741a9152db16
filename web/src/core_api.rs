//! The app's one door to the core crates: everything the UI knows about a definition comes
//! through here — asl-core's `load` (diagnostics, model) and asl-graph's `render_svg` — turned
//! into plain view data.
//!
//! Execution is not wired yet (asl-core's executor is being written): `ENGINE_READY` is false and
//! the UI says so instead of showing results.

use std::sync::Arc;

use asl_core::model::StateMachine;

/// Whether execution is available (the Run button is enabled only then).
pub const ENGINE_READY: bool = false;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// A problem in the definition, positioned for the editor.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: String,
    pub message: String,
    /// JSON pointer of the offending value, e.g. `/States/Check/Next`.
    pub pointer: String,
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
}

/// What the views show for one version of the definition text.
#[derive(Clone, Debug, Default)]
pub struct Analysis {
    pub diagnostics: Vec<Diagnostic>,
    /// The model, when the definition has no errors (the graph is drawn from it).
    pub machine: Option<Arc<StateMachine>>,
}

impl Analysis {
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

/// Loads and validates the editor's text.
pub fn analyze(text: &str) -> Analysis {
    let loaded = asl_core::load(text);
    let has_errors = loaded.has_errors();
    Analysis {
        diagnostics: loaded
            .diagnostics
            .iter()
            .map(|d| Diagnostic {
                severity: match d.severity {
                    asl_core::Severity::Error => Severity::Error,
                    asl_core::Severity::Warning => Severity::Warning,
                },
                code: d.code.to_string(),
                message: d.message.clone(),
                pointer: d.pointer.clone(),
                line: (d.start.line as usize).max(1),
                column: (d.start.column as usize).max(1),
            })
            .collect(),
        machine: if has_errors {
            None
        } else {
            loaded.machine.map(Arc::new)
        },
    }
}

/// The graph of a machine as SVG, in the page's theme.
pub fn graph_svg(machine: &StateMachine, dark: bool) -> String {
    let opts = asl_graph::RenderOptions {
        theme: if dark {
            asl_graph::Theme::Dark
        } else {
            asl_graph::Theme::Light
        },
        id_prefix: Some("g".into()),
        status: Vec::new(),
    };
    asl_graph::render_svg(machine, &opts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_error_is_positioned() {
        let a = analyze("{\n  \"StartAt\": \"A\",\n  \"States\": {,}\n}");
        assert!(a.has_errors());
        assert!(a.machine.is_none());
        assert_eq!(a.diagnostics[0].line, 3);
    }

    #[test]
    fn a_valid_machine_is_drawn() {
        let a = analyze(r#"{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}"#);
        assert!(!a.has_errors(), "{:?}", a.diagnostics);
        let svg = a.machine.map(|m| graph_svg(&m, false)).unwrap_or_default();
        assert!(svg.contains("data-state=\"A\""), "{svg}");
    }
}
