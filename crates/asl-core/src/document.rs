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

use serde::Serialize;

use crate::diag::{Code, Diagnostic, pointer_segment};
use crate::placeholder::Substitutions;
use crate::source::Span;
use crate::syntax::{Kind, Member, Node, SyntaxError};

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
}

/// The definition's tree (when there is one), where it came from, and the problems found on the
/// way (a template without state machines, an unknown logical id…).
pub struct Read {
    pub node: Option<Node>,
    pub source: Source,
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads `text` as JSON (when it starts with `{` or `[`) or YAML; takes the definition out of a
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
    let (node, format) = if trimmed.is_empty() || trimmed.starts_with(['{', '[']) {
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
    let node = from_template(text, &node, logical_id, subs, &mut source, &mut diagnostics)?;
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

const TYPES: [&str; 2] = [
    "AWS::StepFunctions::StateMachine",
    "AWS::Serverless::StateMachine",
];

fn from_template(
    text: &str,
    root: &Node,
    logical_id: Option<&str>,
    subs: &Substitutions,
    source: &mut Source,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Option<Node>, SyntaxError> {
    let resources = root
        .get("Resources")
        .and_then(|m| m.value.as_object())
        .unwrap_or(&[]);
    let machines: Vec<&Member> = resources
        .iter()
        .filter(|m| {
            m.value
                .get("Type")
                .and_then(|t| t.value.as_str())
                .is_some_and(|t| TYPES.contains(&t))
        })
        .collect();
    source.state_machines = machines
        .iter()
        .map(|m| StateMachineResource {
            logical_id: m.key.clone(),
            resource_type: m
                .value
                .get("Type")
                .and_then(|t| t.value.as_str())
                .unwrap_or_default()
                .to_string(),
            span: m.key_span,
        })
        .collect();
    let ids = || {
        machines
            .iter()
            .map(|m| m.key.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let chosen = match logical_id {
        Some(id) => machines.iter().find(|m| m.key == id),
        None => machines.first(),
    };
    let Some(chosen) = chosen else {
        let message = match logical_id {
            Some(id) if !machines.is_empty() => format!(
                "the template has no state machine with logical id '{id}' (it has: {})",
                ids()
            ),
            Some(id) => format!("the template has no state machine (looked for '{id}')"),
            None => format!(
                "the template has no state machine resource ({} or {})",
                TYPES[0], TYPES[1]
            ),
        };
        let span = root.get("Resources").map_or(root.span, |m| m.key_span);
        diagnostics.push(Diagnostic::new(
            Code::InvalidTemplate,
            message,
            "/Resources",
            span,
        ));
        return Ok(None);
    };
    source.logical_id = Some(chosen.key.clone());
    let ptr = format!("/Resources/{}/Properties", pointer_segment(&chosen.key));
    let Some(props) = chosen.value.get("Properties") else {
        diagnostics.push(Diagnostic::new(
            Code::InvalidTemplate,
            format!("state machine '{}' has no Properties", chosen.key),
            ptr,
            chosen.key_span,
        ));
        return Ok(None);
    };
    if let Some(subs) = props
        .value
        .get("DefinitionSubstitutions")
        .and_then(|m| m.value.as_object())
    {
        for m in subs {
            let literal = match &m.value.kind {
                Kind::String(s) => Some(s.clone()),
                Kind::Number(_) | Kind::Bool(_) => Some(m.value.to_value().to_json_string()),
                _ => None,
            };
            if let Some(v) = literal {
                source.substitutions.insert(m.key.clone(), v);
            }
        }
    }
    if let Some(def) = props.value.get("Definition") {
        let mut node = def.value.clone();
        resolve_intrinsics(&mut node, text);
        return Ok(Some(node));
    }
    if let Some(def) = props.value.get("DefinitionString") {
        let mut mapped = Mapped::default();
        if !string_of(&def.value, text, &mut mapped) {
            diagnostics.push(Diagnostic::new(
                Code::InvalidTemplate,
                "DefinitionString must be a string, Fn::Sub or Fn::Join",
                format!("{ptr}/DefinitionString"),
                def.value.span,
            ));
            return Ok(None);
        }
        let mut all = source.substitutions.clone();
        all.extend(subs.clone());
        return json(&mapped, &all).map(Some);
    }
    if let Some(uri) = props.value.get("DefinitionUri")
        && let Some(path) = uri.value.as_str()
    {
        {
            source.definition_uri = Some(path.to_string());
            diagnostics.push(Diagnostic::new(
                Code::InvalidTemplate,
                format!("the definition is in the file '{path}' (DefinitionUri): load that file with this template's substitutions"),
                format!("{ptr}/DefinitionUri"),
                uri.value.span,
            ));
            return Ok(None);
        }
    }
    let (key, what) = if let Some(m) = props
        .value
        .get("DefinitionUri")
        .or(props.value.get("DefinitionS3Location"))
    {
        (
            m,
            "the definition is in S3, which cannot be read here: give the definition file itself",
        )
    } else {
        (
            props,
            "the state machine has no Definition, DefinitionString or DefinitionUri",
        )
    };
    diagnostics.push(Diagnostic::new(
        Code::InvalidTemplate,
        what,
        ptr,
        key.key_span,
    ));
    Ok(None)
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

/// Replaces CloudFormation intrinsics (`{"Ref": …}`, `{"Fn::…": …}`) by the string they stand
/// for, with unknown values as placeholders (`!GetAtt Fn.Arn` → `${Fn.Arn}`).
fn resolve_intrinsics(node: &mut Node, text: &str) {
    let mut mapped = Mapped::default();
    if is_intrinsic(node) && string_of(node, text, &mut mapped) {
        node.kind = Kind::String(mapped.text);
        return;
    }
    match &mut node.kind {
        Kind::Array(items) => items.iter_mut().for_each(|n| resolve_intrinsics(n, text)),
        Kind::Object(members) => members
            .iter_mut()
            .for_each(|m| resolve_intrinsics(&mut m.value, text)),
        _ => {}
    }
}

fn is_intrinsic(node: &Node) -> bool {
    matches!(node.as_object(), Some([m]) if m.key == "Ref" || m.key.starts_with("Fn::"))
}

/// Text with, for each byte, where in the user's text it came from: the start and the end of
/// what was written for it (a character, an escape, a `!Ref`).
#[derive(Default)]
struct Mapped {
    text: String,
    map: Vec<u32>,
    ends: Vec<u32>,
}

impl Mapped {
    /// The user's text itself.
    fn identity(text: &str) -> Mapped {
        let n = text.len() as u32;
        Mapped {
            text: text.to_string(),
            map: (0..n).collect(),
            ends: (1..=n).collect(),
        }
    }

    /// Appends text that all comes from one place (a `!Ref` written as `${X}`).
    fn push_at(&mut self, s: &str, at: Span) {
        self.text.push_str(s);
        self.map.extend(std::iter::repeat_n(at.start, s.len()));
        self.ends.extend(std::iter::repeat_n(at.end, s.len()));
    }

    fn extend(&mut self, other: &Mapped, range: std::ops::Range<usize>) {
        self.text.push_str(&other.text[range.clone()]);
        self.map.extend(&other.map[range.clone()]);
        self.ends.extend(&other.ends[range]);
    }

    /// Appends a string node's value, aligned with its source text.
    fn push_node(&mut self, value: &str, span: Span, text: &str) {
        let raw = text
            .get(span.start as usize..span.end as usize)
            .unwrap_or("");
        self.text.push_str(value);
        for (start, end) in align(value, raw) {
            self.map.push(span.start + start);
            self.ends.push(span.start + end);
        }
    }

    fn at(&self, i: u32) -> u32 {
        let i = i as usize;
        match self.map.get(i) {
            Some(&o) => o,
            None => self.ends.last().copied().unwrap_or(0),
        }
    }

    fn span(&self, s: Span) -> Span {
        let start = self.at(s.start);
        let end = if s.end > s.start {
            self.ends.get(s.end as usize - 1).copied().unwrap_or(start)
        } else {
            start
        };
        Span::new(start, end.max(start))
    }

    fn remap(&self, node: &mut Node) {
        node.span = self.span(node.span);
        match &mut node.kind {
            Kind::Array(items) => items.iter_mut().for_each(|n| self.remap(n)),
            Kind::Object(members) => {
                for m in members {
                    m.key_span = self.span(m.key_span);
                    self.remap(&mut m.value);
                }
            }
            _ => {}
        }
    }
}

/// The string a template value stands for, appended to `out`; false when it is no string.
fn string_of(node: &Node, text: &str, out: &mut Mapped) -> bool {
    match &node.kind {
        Kind::String(s) => {
            out.push_node(s, node.span, text);
            true
        }
        Kind::Number(_) | Kind::Bool(_) => {
            out.push_at(&node.to_value().to_json_string(), node.span);
            true
        }
        Kind::Object(members) if members.len() == 1 => {
            let m = &members[0];
            let at = node.span;
            match (m.key.as_str(), &m.value.kind) {
                ("Ref", Kind::String(name)) => out.push_at(&format!("${{{name}}}"), at),
                ("Fn::GetAtt", Kind::String(path)) => out.push_at(&format!("${{{path}}}"), at),
                ("Fn::GetAtt", Kind::Array(parts)) => {
                    let names: Vec<&str> = parts.iter().filter_map(Node::as_str).collect();
                    out.push_at(&format!("${{{}}}", names.join(".")), at);
                }
                ("Fn::Sub", Kind::String(_)) => return string_of(&m.value, text, out),
                ("Fn::Sub", Kind::Array(items)) => {
                    let Some(template) = items.first() else {
                        return false;
                    };
                    let mut inner = Mapped::default();
                    if !string_of(template, text, &mut inner) {
                        return false;
                    }
                    let vars = items.get(1).and_then(Node::as_object).unwrap_or(&[]);
                    sub_vars(&inner, vars, text, out);
                }
                ("Fn::Join", Kind::Array(items)) if items.len() == 2 => {
                    let mut delim = Mapped::default();
                    if !string_of(&items[0], text, &mut delim) {
                        return false;
                    }
                    let Some(parts) = items[1].as_array() else {
                        // `!Join [",", !Ref List]`: unknown until deployed.
                        out.push_at("${Fn::Join}", at);
                        return true;
                    };
                    for (i, part) in parts.iter().enumerate() {
                        if i > 0 {
                            out.extend(&delim, 0..delim.text.len());
                        }
                        if !string_of(part, text, out) {
                            return false;
                        }
                    }
                }
                (key, _) if key.starts_with("Fn::") || key == "Ref" => {
                    // Fn::If, Fn::ImportValue, Fn::Select…: known only at deploy time.
                    out.push_at(&format!("${{{key}}}"), at);
                }
                _ => return false,
            }
            true
        }
        _ => false,
    }
}

/// `Fn::Sub`'s variable map: `${Var}` with a literal (or intrinsic) value is replaced.
fn sub_vars(inner: &Mapped, vars: &[Member], text: &str, out: &mut Mapped) {
    let mut last = 0;
    for f in crate::placeholder::find(&inner.text) {
        let Some(var) = vars.iter().rev().find(|m| m.key == f.name) else {
            continue;
        };
        let mut value = Mapped::default();
        if !string_of(&var.value, text, &mut value) {
            continue;
        }
        out.extend(inner, last..f.start);
        // The value stands where the placeholder was written.
        let at = Span::new(
            inner.map.get(f.start).copied().unwrap_or(0),
            inner.ends.get(f.end - 1).copied().unwrap_or(0),
        );
        out.push_at(&value.text, at);
        last = f.end;
    }
    out.extend(inner, last..inner.text.len());
}

/// For each byte of `value` (a string's decoded text), the offset in the text of the raw token
/// `raw` (starting at `base`) it was read from. Greedy: each character is found at or after the
/// previous one, skipping what decoding dropped (quotes, a tag, indentation); a backslash escape
/// in a double-quoted token stands for the one character it decodes to.
fn align(value: &str, raw: &str) -> Vec<(u32, u32)> {
    let escapes = raw.starts_with('"');
    // Block scalars (`|`, `>`, maybe after a tag) start on the next line.
    let mut r = match raw.find(['\n']) {
        Some(nl) if !escapes && !raw.starts_with('\'') => nl + 1,
        _ => usize::from(escapes || raw.starts_with('\'')),
    };
    let mut out = Vec::with_capacity(value.len());
    for ch in value.chars() {
        let mut at = None;
        while let Some(rc) = raw.get(r..).and_then(|s| s.chars().next()) {
            let start = r;
            if escapes && rc == '\\' {
                r += escape_len(&raw[r..]);
                at = Some((start, r));
                break;
            }
            r += rc.len_utf8();
            if rc == ch {
                at = Some((start, r));
                break;
            }
        }
        let (start, end) = at.unwrap_or((raw.len().saturating_sub(1), raw.len()));
        out.extend(std::iter::repeat_n(
            (start as u32, end as u32),
            ch.len_utf8(),
        ));
    }
    out
}

/// The length of the escape sequence at the start of `s` (`\n`, `\"`, `\u00e9`, YAML's `\x41`).
fn escape_len(s: &str) -> usize {
    let hex = |n: usize| {
        1 + 1
            + s.get(2..).map_or(0, |t| {
                t.bytes().take(n).take_while(u8::is_ascii_hexdigit).count()
            })
    };
    match s.as_bytes().get(1) {
        Some(b'u') => hex(4),
        Some(b'x') => hex(2),
        Some(b'U') => hex(8),
        Some(_) => 2,
        None => 1,
    }
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

    const SAM: &str = r#"AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  ProcessFunction:
    Type: AWS::Serverless::Function
  First:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionUri: statemachine/first.asl.json
      DefinitionSubstitutions:
        ProcessFunctionArn: !GetAtt ProcessFunction.Arn
        Bucket: my-bucket
  Second:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      DefinitionString: !Sub |
        {
          "StartAt": "Go",
          "States": {
            "Go": {"Type": "Task", "Resource": "${ProcessFunction.Arn}", "Next": "${Missing}"}
          }
        }
  Third:
    Type: AWS::Serverless::StateMachine
    Properties:
      Definition:
        StartAt: Go
        States:
          Go:
            Type: Task
            Resource: !GetAtt ProcessFunction.Arn
            End: true
"#;

    #[test]
    fn templates_list_their_state_machines_and_read_the_chosen_one() {
        let r = read(SAM, None, &Substitutions::new()).expect("yaml template");
        assert!(r.source.template);
        let ids: Vec<&str> = r
            .source
            .state_machines
            .iter()
            .map(|m| m.logical_id.as_str())
            .collect();
        assert_eq!(ids, ["First", "Second", "Third"]);
        // The first is in a file beside the template.
        assert_eq!(
            r.source.definition_uri.as_deref(),
            Some("statemachine/first.asl.json")
        );
        assert_eq!(
            r.source.substitutions.get("Bucket").map(String::as_str),
            Some("my-bucket")
        );
        assert!(!r.source.substitutions.contains_key("ProcessFunctionArn"));
        assert!(r.node.is_none());

        // DefinitionString: spans point into the template's block scalar.
        let r = read(SAM, Some("Second"), &Substitutions::new()).expect("second");
        let node = r.node.expect("a definition");
        let go = node
            .get("States")
            .and_then(|s| s.value.get("Go"))
            .expect("Go");
        assert_eq!(at(SAM, go.key_span), "\"Go\"");
        let res = &go.value.get("Resource").expect("Resource").value;
        assert_eq!(res.as_str(), Some("${ProcessFunction.Arn}"));
        assert_eq!(at(SAM, res.span), "\"${ProcessFunction.Arn}\"");

        // Definition: intrinsics read as placeholders, spans into the YAML.
        let r = read(SAM, Some("Third"), &Substitutions::new()).expect("third");
        let node = r.node.expect("a definition");
        let res = &node
            .get("States")
            .and_then(|s| s.value.get("Go"))
            .expect("Go")
            .value;
        let res = &res.get("Resource").expect("Resource").value;
        assert_eq!(res.as_str(), Some("${ProcessFunction.Arn}"));
        assert_eq!(at(SAM, res.span), "!GetAtt ProcessFunction.Arn");

        let r = read(SAM, Some("Nope"), &Substitutions::new()).expect("parsed");
        assert!(r.node.is_none());
        assert!(r.diagnostics[0].message.contains("First, Second, Third"));
    }

    #[test]
    fn json_templates_with_join_and_escapes_map_back() {
        let text = r#"{"Resources": {"M": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {
  "DefinitionString": {"Fn::Join": ["", ["{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Task\", \"Resource\": \"", {"Fn::GetAtt": ["Fn", "Arn"]}, "\", \"Nxt\": 1, \"End\": true}}}"]]}}}}}"#;
        let r = read(text, None, &Substitutions::new()).expect("json template");
        let node = r.node.expect("definition");
        let a = &node
            .get("States")
            .and_then(|s| s.value.get("A"))
            .expect("A")
            .value;
        assert_eq!(
            a.get("Resource").and_then(|m| m.value.as_str()),
            Some("${Fn.Arn}")
        );
        let nxt = a.get("Nxt").expect("Nxt");
        assert_eq!(at(text, nxt.key_span), "\\\"Nxt\\\"");
        // A syntax error in the string points into the template too.
        let bad = text.replace("\\\"Nxt\\\": 1", "\\\"Nxt\\\": }");
        let e = read(&bad, None, &Substitutions::new())
            .err()
            .expect("syntax error");
        assert_eq!(at(&bad, e.span), "}");
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

    #[test]
    fn sub_variables_and_templates_without_state_machines() {
        let text = "Resources:\n  M:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      DefinitionString: !Sub\n        - '{\"StartAt\": \"${S}\", \"States\": {\"${S}\": {\"Type\": \"Succeed\"}}}'\n        - S: Done\n";
        let r = read(text, None, &Substitutions::new()).expect("yaml");
        let v = r.node.expect("definition").to_value().to_json_string();
        assert_eq!(
            v,
            r#"{"StartAt":"Done","States":{"Done":{"Type":"Succeed"}}}"#
        );
        let r = read(
            "Resources:\n  B:\n    Type: AWS::S3::Bucket\n",
            None,
            &Substitutions::new(),
        )
        .expect("yaml");
        assert!(r.node.is_none());
        assert_eq!(r.diagnostics[0].code, Code::InvalidTemplate);
    }
}
