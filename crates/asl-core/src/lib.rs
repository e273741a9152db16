//! asl-core: the Amazon States Language core of ASL Playground.
//!
//! Data flows one way: text → [`syntax`] (JSON with spans) → [`parse`] (typed [`model`]) → [`validate`]
//! (diagnostics) → [`exec`] (a steppable execution with an AWS-shaped [`history`]). Every front end (the
//! CLI, the JS API, the web app) calls this crate and renders what it returns.
//!
//! The crate reads no clock, randomness or files: time and randomness come from [`env`], task results
//! from [`mock`], so every run is reproducible and the same code runs natively and in wasm.

pub mod b64;
pub mod choice;
pub mod cost;
pub mod diag;
pub mod document;
pub mod env;
pub mod error;
pub mod exec;
pub mod field_docs;
pub mod float_fmt;
pub mod history;
pub mod inspect;
pub mod intrinsics;
pub mod jsonata;
pub mod lint;
pub mod mock;
pub mod model;
pub mod parse;
pub mod path;
pub mod placeholder;
pub mod recorded;
pub mod share;
pub mod sort;
pub mod source;
pub mod syntax;
pub mod template;
pub mod text;
pub mod validate;
pub mod validate_type;
pub mod value;
pub mod workflow;
pub mod yaml;

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

/// What the user gives besides the text: the workflow type, the lints, and the values and choices
/// a template needs. `Default` is a plain STANDARD load without lints; [`LoadOptions::for_type`]
/// is what `asl validate` and the JS `validate` run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LoadOptions {
    /// The type the state machine is created as (AWS gives it beside the definition).
    pub workflow_type: WorkflowType,
    /// Run the definition lints ([`lint::definition_lints`]), minus `lint.allow`.
    pub lints: bool,
    pub lint: lint::LintOptions,
    /// Values for template placeholders (`${Name}` → value), as `DefinitionSubstitutions`.
    pub substitutions: placeholder::Substitutions,
    /// In a template with several state machines, the logical id of the one to read (default:
    /// the first).
    pub logical_id: Option<String>,
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
            ..LoadOptions::default()
        }
    }
}

/// Parses and validates a definition (JSON or YAML, or a CloudFormation/SAM template holding
/// one): text → [`document`] → [`syntax`] tree → [`parse`] → [`validate`], as a STANDARD state
/// machine, without lints.
pub fn load(text: &str) -> Loaded {
    load_with(text, &LoadOptions::default())
}

/// The definition's tree as [`load_with`] checks it: read from `text` whatever its format, the
/// template's `DefinitionSubstitutions` and then the user's values substituted. With what the
/// text was and the problems met on the way; `Err` for a syntax error.
pub(crate) fn read_definition(
    text: &str,
    options: &LoadOptions,
) -> Result<document::Read, syntax::SyntaxError> {
    let mut read = document::read(text, options.logical_id.as_deref(), &options.substitutions)?;
    if let Some(node) = &mut read.node {
        let mut subs = read.source.substitutions.clone();
        subs.extend(options.substitutions.clone());
        placeholder::substitute(node, &subs);
    }
    Ok(read)
}

/// [`load`] with options: placeholders are substituted on the JSON tree before parsing (the
/// template's `DefinitionSubstitutions` first, then the user's values), so every check runs on
/// the values given; those left get a warning and the checks on them are skipped
/// ([`placeholder::fold_skipped`]). Then the rules of the workflow type ([`validate_type`]) and,
/// when asked, the definition lints. Positions point into `text` whatever its format.
pub fn load_with(text: &str, options: &LoadOptions) -> Loaded {
    let mut diagnostics = Vec::new();
    let mut placeholders = Vec::new();
    let mut skipped = Vec::new();
    let mut source = document::Source::default();
    let machine = match read_definition(text, options) {
        Ok(read) => {
            source = read.source;
            diagnostics = read.diagnostics;
            read.node.and_then(|node| {
                placeholders = placeholder::scan(&node, text);
                let (machine, mut diags) = parse::parse(&node);
                diagnostics.append(&mut diags);
                if let Some(m) = &machine {
                    diagnostics.extend(validate::validate(m));
                    diagnostics.extend(validate_type::validate_type(m, options.workflow_type));
                }
                skipped = placeholder::fold_skipped(&placeholders, &mut diagnostics);
                // Lints advise, whatever a placeholder holds: none is folded into it (a
                // skipped check stops a run).
                if machine.is_some() && options.lints {
                    // A quick fix is a JSON edit of the definition's own text: it would break
                    // YAML or a template's string, so those get the lint alone.
                    let editable = source.format == document::Format::Json && !source.template;
                    diagnostics.extend(
                        lint::definition_lints(text, &node, &options.lint)
                            .into_iter()
                            .map(|mut d| {
                                if !editable {
                                    d.fix = None;
                                }
                                d
                            }),
                    );
                }
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
    crate::sort::sort_by_key(&mut diagnostics, |d| (d.span.start, d.span.end));
    Loaded {
        machine,
        diagnostics,
        placeholders,
        skipped,
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lints run on YAML and on substituted values; a quick fix (a JSON edit) only on JSON.
    #[test]
    fn lints_read_yaml_and_placeholders_but_fix_only_json() {
        let yaml = "StartAt: Call\nStates:\n  Call:\n    Type: Task\n    Resource: ${Invoke}\n    End: true\n";
        let mut options = LoadOptions::for_type(WorkflowType::Express);
        options
            .substitutions
            .insert("Invoke".into(), "arn:aws:states:::lambda:invoke".into());
        let loaded = load_with(yaml, &options);
        let lint = loaded
            .diagnostics
            .iter()
            .find(|d| d.code == Code::LintLambdaTransientRetry)
            .expect("the lint, on the substituted value");
        assert_eq!(lint.fix, None);
        assert!(loaded.placeholders.is_empty());
        let json = r#"{"StartAt": "Call", "States": {"Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}"#;
        let loaded = load_with(json, &options);
        assert!(
            loaded
                .diagnostics
                .iter()
                .any(|d| d.code == Code::LintLambdaTransientRetry && d.fix.is_some())
        );
    }
}
