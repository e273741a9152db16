//! Template placeholders: `${Name}` in a definition's strings, and their substitution.
//!
//! Definitions kept in SAM, CDK and Terraform projects hold `${ProcessFunctionArn}`,
//! `${AWS::Region}` or `${Token[TOKEN.123]}` where CloudFormation's `DefinitionSubstitutions`
//! (or `Fn::Sub`, or Terraform's `templatefile`) puts a value before AWS sees the definition. This
//! module owns finding them ([`find`]), replacing those the user gave values for ([`substitute`],
//! on the JSON tree so every node keeps the span of what the user typed), and the record of those
//! left ([`Placeholder`], [`scan`]): each is a warning, never an error, and a check that depends
//! on a value still unknown is skipped ([`fold_skipped`]).
//!
//! Not owned here: reading templates ([`crate::document`]), the checks themselves.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::diag::{Code, Diagnostic, pointer_segment};
use crate::source::Span;
use crate::syntax::{Kind, Node};

/// Values for placeholders, by name (`ProcessFunctionArn` → `arn:aws:lambda:…`): the shape of
/// CloudFormation's `DefinitionSubstitutions`.
pub type Substitutions = BTreeMap<String, String>;

/// Parses a `DefinitionSubstitutions`-shaped JSON object (`{"Name": "value", …}`). Numbers and
/// booleans are taken as their JSON text, as CloudFormation does.
pub fn parse_substitutions(text: &str) -> Result<Substitutions, String> {
    let node = crate::syntax::parse(text).map_err(|e| e.message)?;
    let members = node
        .as_object()
        .ok_or("substitutions must be a JSON object: {\"Name\": \"value\", …}")?;
    let mut out = Substitutions::new();
    for m in members {
        let value = match &m.value.kind {
            Kind::String(s) => s.clone(),
            Kind::Number(_) | Kind::Bool(_) => m.value.to_value().to_json_string(),
            _ => {
                return Err(format!(
                    "substitution '{}' must be a string, number or boolean, not {}",
                    m.key,
                    m.value.type_name()
                ));
            }
        };
        out.insert(m.key.clone(), value);
    }
    Ok(out)
}

/// One `${…}` occurrence in a string: its byte range in that string and its name (`AWS::Region`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found<'s> {
    pub start: usize,
    pub end: usize,
    pub name: &'s str,
}

/// Every placeholder in `s`, in order. `$${x}` (Terraform's escape) and `${!x}` (`Fn::Sub`'s)
/// are literal text, not placeholders; so is a `${` with no `}` on the same line.
pub fn find(s: &str) -> Vec<Found<'_>> {
    let mut out = Vec::new();
    let bytes = s.as_bytes();
    let mut i = 0;
    while let Some(rel) = s.get(i..).and_then(|r| r.find("${")) {
        let start = i + rel;
        let escaped = start > 0 && bytes[start - 1] == b'$';
        let body = start + 2;
        let close = s[body..]
            .find(['}', '{', '\n'])
            .filter(|&n| bytes[body + n] == b'}');
        match close {
            Some(n) if !escaped && n > 0 && bytes[body] != b'!' => {
                let name = s[body..body + n].trim();
                if !name.is_empty() {
                    out.push(Found {
                        start,
                        end: body + n + 1,
                        name,
                    });
                }
                i = body + n + 1;
            }
            _ => i = body,
        }
    }
    out
}

/// Whether `s` holds a placeholder.
pub fn has_placeholder(s: &str) -> bool {
    s.contains("${") && !find(s).is_empty()
}

/// Replaces the placeholders that have a value in every string (values and keys) of the tree.
/// Spans stay those of the text the user typed, so diagnostics about a substituted value point at
/// the string that held the placeholder.
pub fn substitute(node: &mut Node, subs: &Substitutions) {
    if subs.is_empty() {
        return;
    }
    match &mut node.kind {
        Kind::String(s) => {
            if let Some(new) = replaced(s, subs) {
                *s = new;
            }
        }
        Kind::Array(items) => items.iter_mut().for_each(|n| substitute(n, subs)),
        Kind::Object(members) => {
            for m in members {
                if let Some(new) = replaced(&m.key, subs) {
                    m.key = new;
                }
                substitute(&mut m.value, subs);
            }
        }
        _ => {}
    }
}

fn replaced(s: &str, subs: &Substitutions) -> Option<String> {
    if !s.contains("${") {
        return None;
    }
    let found = find(s);
    if !found.iter().any(|f| subs.contains_key(f.name)) {
        return None;
    }
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    for f in &found {
        if let Some(v) = subs.get(f.name) {
            out.push_str(&s[last..f.start]);
            out.push_str(v);
            last = f.end;
        }
    }
    out.push_str(&s[last..]);
    Some(out)
}

/// A placeholder left in the definition (no value given).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Placeholder {
    /// `ProcessFunctionArn`, `AWS::Region`.
    pub name: String,
    /// JSON pointer of the string holding it (`/States/Process/Resource`); a key holding it
    /// points at its object member.
    pub pointer: String,
    /// The placeholder itself in the source text when it can be found there, else the string.
    pub span: Span,
    /// The span of the whole string (value or key) holding it.
    pub string_span: Span,
    /// Whether the string is exactly the placeholder (`"${Arn}"`) rather than a part of it.
    pub whole: bool,
}

/// Every placeholder left in the tree, in document order. `source` is the text the spans point
/// into: a placeholder's own span is found there when the string is written plainly.
pub fn scan(root: &Node, source: &str) -> Vec<Placeholder> {
    let mut out = Vec::new();
    let mut ptr = String::new();
    scan_node(root, source, &mut ptr, &mut out);
    out
}

fn scan_node(node: &Node, source: &str, ptr: &mut String, out: &mut Vec<Placeholder>) {
    match &node.kind {
        Kind::String(s) => record(s, node.span, source, ptr, out),
        Kind::Array(items) => {
            for (i, n) in items.iter().enumerate() {
                let len = ptr.len();
                let _ = write!(ptr, "/{i}");
                scan_node(n, source, ptr, out);
                ptr.truncate(len);
            }
        }
        Kind::Object(members) => {
            for m in members {
                let len = ptr.len();
                ptr.push('/');
                ptr.push_str(&pointer_segment(&m.key));
                record(&m.key, m.key_span, source, ptr, out);
                scan_node(&m.value, source, ptr, out);
                ptr.truncate(len);
            }
        }
        _ => {}
    }
}

fn record(s: &str, span: Span, source: &str, ptr: &str, out: &mut Vec<Placeholder>) {
    if !s.contains("${") {
        return;
    }
    let found = find(s);
    let raw = source
        .get(span.start as usize..span.end as usize)
        .unwrap_or("");
    // Where the string is written plainly, the k-th placeholder in the value is the k-th in the
    // raw text; otherwise (escapes inside the placeholder) the whole string is the position.
    let raw_found = find(raw);
    let aligned = raw_found.len() == found.len()
        && raw_found.iter().zip(&found).all(|(r, f)| r.name == f.name);
    for (k, f) in found.iter().enumerate() {
        let own = if aligned {
            let r = &raw_found[k];
            Span::new(span.start + r.start as u32, span.start + r.end as u32)
        } else {
            span
        };
        out.push(Placeholder {
            name: f.name.to_string(),
            pointer: ptr.to_string(),
            span: own,
            string_span: span,
            whole: f.start == 0 && f.end == s.len(),
        });
    }
}

/// The warnings for the placeholders left, with the checks they made impossible folded in.
///
/// A diagnostic whose span lies inside a string holding a placeholder judges a value that is not
/// known yet (an ARN's shape, a path, a number given as `"${Timeout}"`): it is dropped from
/// `diagnostics` and its message is carried by that placeholder's warning instead. Everything
/// else is kept. The dropped diagnostics are returned: a run cannot go on a value it does not
/// know ([`crate::Loaded::run_blockers`]).
pub fn fold_skipped(
    placeholders: &[Placeholder],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    let mut dropped = Vec::new();
    if placeholders.is_empty() {
        return dropped;
    }
    let holding = |span: Span| {
        placeholders
            .iter()
            .position(|p| p.string_span.start <= span.start && span.end <= p.string_span.end)
    };
    let mut skipped: Vec<Vec<String>> = vec![Vec::new(); placeholders.len()];
    diagnostics.retain(|d| match holding(d.span) {
        // What a string is (not an object, a duplicate key) does not depend on its value.
        Some(i)
            if !matches!(
                d.code,
                Code::TemplatePlaceholder | Code::NotAnObject | Code::DuplicateKey
            ) =>
        {
            skipped[i].push(format!("{}: {}", d.code, d.message));
            dropped.push(d.clone());
            false
        }
        _ => true,
    });
    for (p, skipped) in placeholders.iter().zip(skipped) {
        let mut message = format!(
            "'${{{}}}' is a template placeholder; checks on its value wait until it has one",
            p.name
        );
        if !skipped.is_empty() {
            message.push_str(&format!(" (skipped: {})", skipped.join("; ")));
        }
        diagnostics.push(Diagnostic::new(
            Code::TemplatePlaceholder,
            message,
            p.pointer.clone(),
            p.span,
        ));
    }
    dropped
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(s: &str) -> Vec<&str> {
        find(s).into_iter().map(|f| f.name).collect()
    }

    #[test]
    fn finds_the_forms_templates_use() {
        assert_eq!(names("${ProcessFunctionArn}"), ["ProcessFunctionArn"]);
        assert_eq!(
            names("arn:${AWS::Partition}:states:::lambda:invoke"),
            ["AWS::Partition"]
        );
        assert_eq!(
            names("${Token[TOKEN.123]}-${ var.name }"),
            ["Token[TOKEN.123]", "var.name"]
        );
        let f = &find("a${B}c")[0];
        assert_eq!((f.start, f.end), (1, 5));
        // Escapes and broken forms are literal text.
        for literal in [
            "$${x}",
            "${!Literal}",
            "${}",
            "${a",
            "${a\n}",
            "${a{b}",
            "$x",
            "{x}",
        ] {
            assert!(names(literal).is_empty(), "{literal}");
        }
        assert_eq!(names("$${x}${y}"), ["y"]);
    }

    #[test]
    fn substitution_replaces_known_values_and_keeps_spans() {
        let text = r#"{"Resource": "${Fn}", "${K}": "x-${Region}-${Other}"}"#;
        let mut node = crate::syntax::parse(text).expect("json");
        let before = node.clone();
        let subs: Substitutions = [
            ("Fn", "arn:aws:lambda:r:1:function:f"),
            ("K", "Key"),
            ("Region", "eu"),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        substitute(&mut node, &subs);
        let m = node.as_object().expect("object");
        assert_eq!(m[0].value.as_str(), Some("arn:aws:lambda:r:1:function:f"));
        assert_eq!(
            m[0].value.span,
            before.as_object().expect("o")[0].value.span
        );
        assert_eq!(m[1].key, "Key");
        assert_eq!(m[1].value.as_str(), Some("x-eu-${Other}"));
        let left = scan(&node, text);
        assert_eq!(left.len(), 1);
        assert_eq!(left[0].name, "Other");
        assert_eq!(left[0].pointer, "/Key");
        assert!(!left[0].whole);
        // The string was substituted, so the raw text no longer aligns: the whole string is the place.
        assert_eq!(left[0].span, left[0].string_span);
    }

    #[test]
    fn scan_points_at_the_placeholder_in_the_text() {
        let text = "{\"A\": {\"Resource\": \"${Arn}\", \"P\": \"s3://${bucket}/k\"}}";
        let node = crate::syntax::parse(text).expect("json");
        let found = scan(&node, text);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].pointer, "/A/Resource");
        assert!(found[0].whole);
        let at = |p: &Placeholder| &text[p.span.start as usize..p.span.end as usize];
        assert_eq!(at(&found[0]), "${Arn}");
        assert_eq!(at(&found[1]), "${bucket}");
    }

    #[test]
    fn checks_on_placeholder_values_are_folded_into_the_warning() {
        let text = r#"{"R": "${Arn}", "T": 1}"#;
        let node = crate::syntax::parse(text).expect("json");
        let found = scan(&node, text);
        let r = &node.as_object().expect("o")[0].value;
        let t = &node.as_object().expect("o")[1].value;
        let mut diags = vec![
            Diagnostic::new(Code::InvalidResource, "not an ARN", "/R", r.span),
            Diagnostic::new(Code::InvalidTimeout, "bad", "/T", t.span),
        ];
        let dropped = fold_skipped(&found, &mut diags);
        assert_eq!(dropped.len(), 1);
        assert_eq!(dropped[0].code, Code::InvalidResource);
        assert_eq!(diags.len(), 2);
        assert_eq!(diags[0].code, Code::InvalidTimeout, "unrelated errors stay");
        assert_eq!(diags[1].code, Code::TemplatePlaceholder);
        assert!(
            diags[1].message.contains("INVALID_RESOURCE: not an ARN"),
            "{}",
            diags[1].message
        );
    }

    #[test]
    fn substitutions_files_have_definition_substitutions_shape() {
        let subs = parse_substitutions(r#"{"A": "x", "N": 3, "B": true}"#).expect("valid");
        assert_eq!(subs.get("N").map(String::as_str), Some("3"));
        assert_eq!(subs.get("B").map(String::as_str), Some("true"));
        assert!(parse_substitutions("[1]").is_err());
        assert!(parse_substitutions(r#"{"A": {"Ref": "X"}}"#).is_err());
        assert!(parse_substitutions("{").is_err());
    }
}
