//! asl-core: the Amazon States Language core of ASL Playground.
//!
//! Data flows one way: text → [`syntax`] (JSON with spans) → [`parse`] (typed [`model`]) → [`validate`]
//! (diagnostics) → [`exec`] (a steppable execution with an AWS-shaped [`history`]). Every front end (the
//! CLI, the JS API, the web app) calls this crate and renders what it returns.
//!
//! The crate reads no clock, randomness or files: time and randomness come from [`env`], task results
//! from [`mock`], so every run is reproducible and the same code runs natively and in wasm.

pub mod choice;
pub mod cost;
pub mod diag;
pub mod env;
pub mod error;
pub mod exec;
pub mod field_docs;
pub mod history;
pub mod inspect;
pub mod intrinsics;
pub mod jsonata;
pub mod lint;
pub mod mock;
pub mod model;
pub mod parse;
pub mod path;
pub mod source;
pub mod syntax;
pub mod template;
pub mod validate;
pub mod validate_type;
pub mod value;
pub mod workflow;

pub use diag::{Code, Diagnostic, Fix, Severity};
pub use workflow::WorkflowType;

/// A definition read from text: the model (when the JSON had a usable shape) and every problem.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// `Some` whenever the text is a JSON object, even with validation errors, so a UI can still
    /// draw what is there. Execute it only when [`Loaded::has_errors`] is false.
    pub machine: Option<model::StateMachine>,
    /// Sorted by position; positions are filled in (1-based, character columns).
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }
}

/// What [`load_with`] checks besides the definition's own rules.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LoadOptions {
    /// The type the state machine is created as (AWS gives it beside the definition).
    pub workflow_type: WorkflowType,
    /// Run the definition lints ([`lint::definition_lints`]), minus `lint.allow`.
    pub lints: bool,
    pub lint: lint::LintOptions,
}

impl LoadOptions {
    /// Type rules and lints, as `asl validate` and the JS `validate` run them.
    pub fn for_type(workflow_type: WorkflowType) -> LoadOptions {
        LoadOptions {
            workflow_type,
            lints: true,
            lint: lint::LintOptions {
                workflow_type,
                ..lint::LintOptions::default()
            },
        }
    }
}

/// Parses and validates a definition: text → [`syntax`] → [`parse`] → [`validate`], as a
/// STANDARD state machine, without lints.
pub fn load(text: &str) -> Loaded {
    load_with(
        text,
        &LoadOptions {
            lints: false,
            ..LoadOptions::default()
        },
    )
}

/// [`load`] for a workflow type ([`validate_type`]), with the definition lints when asked.
pub fn load_with(text: &str, options: &LoadOptions) -> Loaded {
    let mut diagnostics = Vec::new();
    let machine = match syntax::parse(text) {
        Ok(node) => {
            let (machine, mut diags) = parse::parse(&node);
            diagnostics.append(&mut diags);
            if let Some(m) = &machine {
                diagnostics.extend(validate::validate(m));
                diagnostics.extend(validate_type::validate_type(m, options.workflow_type));
                if options.lints {
                    diagnostics.extend(lint::definition_lints(text, &node, &options.lint));
                }
            }
            machine
        }
        Err(e) => {
            let (code, message) = if text.trim().is_empty() {
                (
                    Code::NotAnObject,
                    "Definition must be a valid JSON object (the text is empty)".to_string(),
                )
            } else if e.too_deep {
                (Code::TooDeeplyNested, e.message)
            } else {
                (Code::InvalidJson, e.message)
            };
            diagnostics.push(Diagnostic::new(code, message, "", e.span));
            None
        }
    };
    let index = source::LineIndex::new(text);
    for d in &mut diagnostics {
        d.locate(text, &index);
    }
    diagnostics.sort_by_key(|d| (d.span.start, d.span.end));
    Loaded {
        machine,
        diagnostics,
    }
}
