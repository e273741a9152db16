//! asl-core: the Amazon States Language core of ASL Playground.
//!
//! Data flows one way: text → [`syntax`] (JSON with spans) → [`parse`] (typed [`model`]) → [`validate`]
//! (diagnostics) → [`exec`] (a steppable execution with an AWS-shaped [`history`]). Every front end (the
//! CLI, the JS API, the web app) calls this crate and renders what it returns.
//!
//! The crate reads no clock, randomness or files: time and randomness come from [`env`], task results
//! from [`mock`], so every run is reproducible and the same code runs natively and in wasm.

pub mod choice;
pub mod diag;
pub mod document;
pub mod env;
pub mod error;
pub mod exec;
pub mod history;
pub mod inspect;
pub mod intrinsics;
pub mod mock;
pub mod model;
pub mod parse;
pub mod path;
pub mod placeholder;
pub mod source;
pub mod syntax;
pub mod template;
pub mod validate;
pub mod value;
pub mod yaml;

pub use diag::{Code, Diagnostic, Severity};

/// A definition read from text: the model (when the JSON had a usable shape) and every problem.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// `Some` whenever the text is a JSON object, even with validation errors, so a UI can still
    /// draw what is there. Execute it only when [`Loaded::has_errors`] is false.
    pub machine: Option<model::StateMachine>,
    /// Sorted by position; positions are filled in (1-based, character columns).
    pub diagnostics: Vec<Diagnostic>,
    /// The template placeholders (`${Name}`) left after substitution, in document order: what a
    /// UI offers to fill in. Each also has a `TEMPLATE_PLACEHOLDER` warning.
    pub placeholders: Vec<placeholder::Placeholder>,
    /// The errors placeholders stand in for (each folded into a `TEMPLATE_PLACEHOLDER` warning,
    /// so not in `diagnostics`): what an execution cannot go on without a value.
    pub skipped: Vec<Diagnostic>,
    /// What the text was: JSON or YAML, a definition or a template (its state machines, the one
    /// read, a `DefinitionUri` file the caller should load instead).
    pub source: document::Source,
}

impl Loaded {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }

    /// What stops an execution: the errors, and the checks skipped for placeholders that the run
    /// would need (a `Next` naming `${State}`, a `"${Timeout}"` number). A `Resource` that is a
    /// placeholder does not stop it: a run takes task results from mocks, by state name.
    pub fn run_blockers(&self) -> impl Iterator<Item = &Diagnostic> {
        self.errors().chain(
            self.skipped
                .iter()
                .filter(|d| d.code != Code::InvalidResource),
        )
    }
}

/// What the user gives besides the text.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// Values for template placeholders (`${Name}` → value), as `DefinitionSubstitutions`.
    pub substitutions: placeholder::Substitutions,
    /// In a template with several state machines, the logical id of the one to read (default:
    /// the first).
    pub logical_id: Option<String>,
}

/// Parses and validates a definition (JSON or YAML, or a CloudFormation/SAM template holding
/// one): text → [`document`] → [`syntax`] tree → [`parse`] → [`validate`].
pub fn load(text: &str) -> Loaded {
    load_with(text, &LoadOptions::default())
}

/// [`load`] with options: placeholders are substituted on the JSON tree before parsing (the
/// template's `DefinitionSubstitutions` first, then the user's values), so every check runs on
/// the values given; those left get a warning and the checks on them are skipped
/// ([`placeholder::fold_skipped`]). Positions point into `text` whatever its format.
pub fn load_with(text: &str, options: &LoadOptions) -> Loaded {
    let mut diagnostics = Vec::new();
    let mut placeholders = Vec::new();
    let mut skipped = Vec::new();
    let mut source = document::Source::default();
    let machine = match document::read(text, options.logical_id.as_deref(), &options.substitutions)
    {
        Ok(read) => {
            source = read.source;
            diagnostics = read.diagnostics;
            read.node.and_then(|mut node| {
                let mut subs = source.substitutions.clone();
                subs.extend(options.substitutions.clone());
                placeholder::substitute(&mut node, &subs);
                placeholders = placeholder::scan(&node, text);
                let (machine, mut diags) = parse::parse(&node);
                diagnostics.append(&mut diags);
                if let Some(m) = &machine {
                    diagnostics.extend(validate::validate(m));
                }
                skipped = placeholder::fold_skipped(&placeholders, &mut diagnostics);
                machine
            })
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
    for d in diagnostics.iter_mut().chain(skipped.iter_mut()) {
        d.locate(text, &index);
    }
    diagnostics.sort_by_key(|d| (d.span.start, d.span.end));
    Loaded {
        machine,
        diagnostics,
        placeholders,
        skipped,
        source,
    }
}
