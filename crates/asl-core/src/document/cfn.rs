//! CloudFormation/SAM templates: the state machine resources, and the definition of the one
//! chosen (see [`super`]): `Definition` with its intrinsics read as placeholders,
//! `DefinitionString` (`Fn::Sub`, `Fn::Join`) as mapped JSON text, `DefinitionSubstitutions`'
//! literal values, SAM's `DefinitionUri` named for the caller.
//!
//! Not owned here: telling a template from a definition, parsing JSON or YAML ([`super`]).

use crate::diag::{Code, Diagnostic, pointer_segment};
use crate::placeholder::Substitutions;
use crate::source::Span;
use crate::syntax::{Kind, Member, Node, SyntaxError};

use super::mapped::Mapped;
use super::{Source, StateMachineResource};

const TYPES: [&str; 2] = [
    "AWS::StepFunctions::StateMachine",
    "AWS::Serverless::StateMachine",
];

pub(super) fn from_template(
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
            } else {
                // `!GetAtt Fn.Arn` → `${Fn.Arn}`: what the value will be made of.
                let mut made_of = Mapped::default();
                if string_of(&m.value, text, &mut made_of) {
                    source.deploy_time.insert(m.key.clone(), made_of.text);
                }
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
        return super::json(&mapped, &all).map(Some);
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

#[cfg(test)]
mod tests {
    use super::super::read;
    use super::*;

    fn at(text: &str, span: Span) -> &str {
        &text[span.start as usize..span.end as usize]
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
        assert_eq!(
            r.source
                .deploy_time
                .get("ProcessFunctionArn")
                .map(String::as_str),
            Some("${ProcessFunction.Arn}")
        );
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
