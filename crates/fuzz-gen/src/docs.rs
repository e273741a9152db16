//! Documents around a definition, the way users paste them: the definition as block YAML, or
//! inside a CloudFormation/SAM template (`Definition`, `DefinitionString` as JSON text or
//! `Fn::Sub`, `DefinitionSubstitutions`, SAM's `DefinitionUri`), in JSON or YAML; and now and
//! then YAML's own hazards spliced in (anchors and aliases, tags, tabs, stray indentation).
//!
//! Not owned here: reading them ([`asl_core::document`], [`asl_core::yaml`]).

use crate::choices::Gen;
use crate::json::J;

/// `definition` as a document: plain or in a template, JSON or YAML text; and whether it is the
/// definition itself as YAML, untouched (it must then read as the same machine as the JSON).
pub fn document(g: &mut Gen, definition: &J) -> (String, bool) {
    let in_template = g.chance(50);
    let doc = if in_template {
        template(g, definition)
    } else {
        definition.clone()
    };
    let yaml = g.chance(70);
    let mut text = if yaml { doc.to_yaml() } else { doc.to_json() };
    let spliced = g.chance(15);
    if spliced {
        splice(g, &mut text);
    }
    (text, yaml && !in_template && !spliced)
}

fn template(g: &mut Gen, definition: &J) -> J {
    let (ty, key, def) = match g.below(5) {
        0 | 1 => (
            "AWS::StepFunctions::StateMachine",
            "Definition",
            definition.clone(),
        ),
        2 => (
            "AWS::StepFunctions::StateMachine",
            "DefinitionString",
            J::Str(definition.to_json()),
        ),
        3 => (
            "AWS::StepFunctions::StateMachine",
            "DefinitionString",
            J::obj(vec![("Fn::Sub", J::Str(definition.to_json()))]),
        ),
        _ => (
            "AWS::Serverless::StateMachine",
            g.pick(&["Definition", "DefinitionUri"]),
            definition.clone(),
        ),
    };
    let mut props = vec![(key.to_string(), def)];
    if g.chance(30) {
        props.push((
            "DefinitionSubstitutions".into(),
            J::obj(vec![
                ("Placeholder", J::s("value")),
                ("Fn", J::obj(vec![("Fn::GetAtt", J::s("F.Arn"))])),
            ]),
        ));
    }
    let mut resources = vec![(
        "Machine".to_string(),
        J::obj(vec![("Type", J::s(ty)), ("Properties", J::Obj(props))]),
    )];
    if g.chance(20) {
        resources.push((
            "Other".into(),
            J::obj(vec![("Type", J::s("AWS::StepFunctions::StateMachine"))]),
        ));
    }
    J::obj(vec![("Resources", J::Obj(resources))])
}

const SPLICES: &[&str] = &[
    "&a ",
    "*a",
    "!Ref X ",
    "!Sub '${A}' ",
    "!GetAtt F.Arn ",
    "\t",
    "  ",
    "- ",
    ": ",
    "? ",
    "|\n",
    ">-\n",
    "---\n",
    "...\n",
    "%YAML 1.2\n",
    "<<: *a\n",
    "{",
    "[",
    "#",
    "'",
    "\"",
];

/// Inserts a YAML token at a character boundary.
fn splice(g: &mut Gen, text: &mut String) {
    let at = g.below(text.len() + 1);
    let at = (0..=at)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    text.insert_str(at, g.pick(SPLICES));
}
