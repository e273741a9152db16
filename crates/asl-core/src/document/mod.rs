//! What the user gave: a JSON or YAML definition, or a CloudFormation/SAM template holding one.
//!
//! Owns telling these apart ([`read`]) and taking the definition out of a template: the state
//! machines it holds ([`StateMachineResource`], for a picker), the one chosen by logical id, its
//! `Definition` (an object, with `!Ref`/`!GetAtt`/`!Sub`/`!Join` inside read as placeholders),
//! `DefinitionString` (a string, `Fn::Sub` or `Fn::Join` of JSON text: parsed here, with every
//! span mapped back into the template), `DefinitionSubstitutions` (their literal values become
//! substitutions) and SAM's `DefinitionUri` (a file beside the template: named, read by the
//! caller, since the core reads no files). The tree it returns has spans into the text the user
//! gave, whatever the format, so diagnostics point at the template's or YAML's own lines.
//!
//! Not owned here: parsing JSON ([`crate::syntax`]) or YAML ([`crate::yaml`]), placeholders
//! ([`crate::placeholder`]), what the definition means ([`crate::parse`]).
//!
//! Split by concern: this file tells formats apart and reads JSON text (bare placeholders
//! included); `cfn` takes the definition out of a template; `mapped` keeps, for text built from
//! pieces of the user's (a `DefinitionString`), where each byte came from.

mod cfn;
mod mapped;

use serde::Serialize;

use crate::diag::Diagnostic;
use crate::placeholder::Substitutions;
use crate::source::Span;
use crate::syntax::{Node, SyntaxError};

use mapped::Mapped;

/// The syntax of the text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    #[default]
    Json,
    Yaml,
}

/// A state machine resource of a template.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StateMachineResource {
    pub logical_id: String,
    /// `AWS::StepFunctions::StateMachine` or `AWS::Serverless::StateMachine`.
    pub resource_type: String,
    /// The logical id's key in the template.
    pub span: Span,
}

/// Where the definition came from, for front ends.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Source {
    pub format: Format,
    /// Whether the text is a CloudFormation/SAM template (else it is the definition itself).
    pub template: bool,
    /// The template's state machines, in order (empty for a plain definition).
    pub state_machines: Vec<StateMachineResource>,
    /// The logical id of the state machine read.
    pub logical_id: Option<String>,
    /// SAM's `DefinitionUri` of the chosen state machine: a file path relative to the template,
    /// which the caller reads and loads with [`Source::substitutions`].
    pub definition_uri: Option<String>,
    /// The literal values of the chosen state machine's `DefinitionSubstitutions` (values given by
    /// `!GetAtt`/`!Ref` are known only at deploy time and stay placeholders).
    pub substitutions: Substitutions,
    /// The other `DefinitionSubstitutions`, known only at deploy time, with what they are made
    /// of (`ProcessFunctionArn` → `${ProcessFunction.Arn}` for `!GetAtt ProcessFunction.Arn`):
    /// for a UI to show beside the placeholder.
    pub deploy_time: Substitutions,
}

/// The definition's tree (when there is one), where it came from, and the problems found on the
/// way (a template without state machines, an unknown logical id…).
pub struct Read {
    pub node: Option<Node>,
    pub source: Source,
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads `text` as JSON (when it starts with `{`, `[` or `"`) or YAML; takes the definition out of a
/// template. A syntax error is returned as such, with its span into `text`.
///
/// A placeholder written bare in JSON text (`"MaxAttempts": ${retries}`, as Terraform's
/// `templatefile` allows) would make the text invalid: it is read as its value from `subs` when
/// given (what the template engine does), else as the string `"${retries}"` (a placeholder like
/// any other).
pub fn read(
    text: &str,
    logical_id: Option<&str>,
    subs: &Substitutions,
) -> Result<Read, SyntaxError> {
    let trimmed = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    // JSON-looking text is JSON, with JSON's errors: `"StartAt": …` without its braces is a
    // broken JSON definition far more often than a YAML one.
    let (node, format) = if trimmed.is_empty() || trimmed.starts_with(['{', '[', '"']) {
        // The usual case parses the text as it is; only a text that fails and holds `${` is
        // read again with its bare placeholders filled.
        let node = match crate::syntax::parse(text) {
            Ok(node) => node,
            Err(e) if !text.contains("${") => return Err(e),
            Err(_) => json(&Mapped::identity(text), subs)?,
        };
        (node, Format::Json)
    } else {
        (crate::yaml::parse(text)?, Format::Yaml)
    };
    let mut source = Source {
        format,
        ..Source::default()
    };
    if !is_template(&node) {
        return Ok(Read {
            node: Some(node),
            source,
            diagnostics: Vec::new(),
        });
    }
    source.template = true;
    let mut diagnostics = Vec::new();
    let node = cfn::from_template(text, &node, logical_id, subs, &mut source, &mut diagnostics)?;
    Ok(Read {
        node,
        source,
        diagnostics,
    })
}

fn is_template(node: &Node) -> bool {
    node.get("States").is_none()
        && (node
            .get("Resources")
            .is_some_and(|m| m.value.as_object().is_some())
            || node.get("AWSTemplateFormatVersion").is_some())
}

/// Parses mapped JSON text into a tree with spans into the user's text; bare placeholders are
/// read as described at [`read`].
fn json(mapped: &Mapped, subs: &Substitutions) -> Result<Node, SyntaxError> {
    let first = match crate::syntax::parse(&mapped.text) {
        Ok(mut node) => {
            mapped.remap(&mut node);
            return Ok(node);
        }
        Err(e) => e,
    };
    let fail = |mut e: SyntaxError| {
        e.span = mapped.span(e.span);
        e
    };
    let Some(fixed) = fill_bare_placeholders(mapped, subs) else {
        return Err(fail(first));
    };
    match crate::syntax::parse(&fixed.text) {
        Ok(mut node) => {
            fixed.remap(&mut node);
            Ok(node)
        }
        // What is still wrong once the placeholders are read.
        Err(mut e) => {
            e.span = fixed.span(e.span);
            Err(e)
        }
    }
}

/// The text with each placeholder outside JSON strings replaced (see [`read`]); `None` when
/// there is none.
fn fill_bare_placeholders(mapped: &Mapped, subs: &Substitutions) -> Option<Mapped> {
    let text = &mapped.text;
    let bytes = text.as_bytes();
    let mut out = Mapped::default();
    let (mut i, mut last, mut in_string, mut any) = (0, 0, false, false);
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if in_string => i += 1,
            b'"' => in_string = !in_string,
            b'$' if !in_string && bytes.get(i + 1) == Some(&b'{') => {
                if let Some(f) = crate::placeholder::find(&text[i..]).first()
                    && f.start == 0
                {
                    out.extend(mapped, last..i);
                    let at = Span::new(mapped.map[i], mapped.ends[i + f.end - 1]);
                    let value = match subs.get(f.name) {
                        Some(v) => v.clone(),
                        None => format!("\"{}\"", &text[i..i + f.end]),
                    };
                    out.push_at(&value, at);
                    i += f.end;
                    last = i;
                    any = true;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    out.extend(mapped, last..text.len());
    any.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, span: Span) -> &str {
        &text[span.start as usize..span.end as usize]
    }

    #[test]
    fn plain_definitions_pass_through() {
        let r = read(
            "{\"StartAt\": \"A\", \"States\": {}}",
            None,
            &Substitutions::new(),
        )
        .expect("json");
        assert!(!r.source.template);
        assert_eq!(r.source.format, Format::Json);
        let r = read("StartAt: A\nStates: {}\n", None, &Substitutions::new()).expect("yaml");
        assert_eq!(r.source.format, Format::Yaml);
        assert!(r.node.is_some());
    }

    #[test]
    fn bare_placeholders_in_json_read_as_values_or_strings() {
        let text = "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Wait\", \"Seconds\": ${wait}, \"End\": true}}}";
        let node = read(text, None, &Substitutions::new())
            .expect("read")
            .node
            .expect("node");
        let a = &node
            .get("States")
            .and_then(|s| s.value.get("A"))
            .expect("A")
            .value;
        let secs = &a.get("Seconds").expect("Seconds").value;
        assert_eq!(secs.as_str(), Some("${wait}"));
        assert_eq!(at(text, secs.span), "${wait}");
        let end = a.get("End").expect("End");
        assert_eq!(at(text, end.key_span), "\"End\"", "later spans stay right");
        let subs: Substitutions = [("wait".to_string(), "30".to_string())].into();
        let node = read(text, None, &subs).expect("read").node.expect("node");
        let v = node.to_value().to_json_string();
        assert!(v.contains("\"Seconds\":30"), "{v}");
        // A text still broken reports what is wrong besides the placeholders, in the user's text.
        let broken = text.replace("\"End\": true", "\"End\": tru");
        let e = read(&broken, None, &Substitutions::new())
            .err()
            .expect("error");
        assert_eq!(at(&broken, e.span), "tru");
        // `${` inside strings is not touched.
        let e = read("{\"a\": \"${x}\", }", None, &Substitutions::new())
            .err()
            .expect("trailing comma");
        assert!(e.message.contains("trailing comma"), "{}", e.message);
    }
}
