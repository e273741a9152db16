//! Payload templates (`Parameters`, `ResultSelector`, `ItemSelector`, `Arguments`, `Output`,
//! `Assign`, `Credentials`, …): duplicate keys, variable names in `Assign`, `NO_DOLLAR` warnings
//! for literal strings that look like paths, `INTRINSIC_ARGUMENT_COUNT` warnings for calls with a
//! wrong number of arguments (AWS accepts them at creation and fails at run time), and compiling through [`crate::template`] with its
//! errors turned into diagnostics at the right pointer.
//!
//! Not owned here: template semantics and evaluation ([`crate::template`]); which state may carry
//! which template ([`super::state`] and the per-type modules).

use super::Cx;
use super::fields::{Fields, Seg, article, child, index, pointer_to, seg_ptr};
use super::query_language::jsonata_text;
use crate::diag::Code;
use crate::model::QueryLanguage;
use crate::syntax::{Kind, Node};
use crate::template::{Template, TemplateErrorKind};

impl Cx {
    /// A payload template field (Parameters, ResultSelector, ItemSelector, Arguments, Output, Assign…).
    pub(super) fn template(
        &mut self,
        f: &Fields,
        key: &str,
        ql: QueryLanguage,
    ) -> Option<Template> {
        let m = f.get(key)?;
        let ptr = f.ptr(key);
        self.check_duplicates(&m.value, &ptr);
        if key == "Assign" {
            self.check_assign(&m.value, &ptr, ql);
        }
        if ql == QueryLanguage::JsonPath {
            self.no_dollar(&m.value, &ptr);
        }
        self.compile_template(&m.value, &ptr, ql)
    }

    pub(super) fn check_assign(&mut self, node: &Node, ptr: &str, ql: QueryLanguage) {
        let Some(members) = node.as_object() else {
            self.push(
                Code::WrongType,
                format!(
                    "field 'Assign' must be a JSON object, not {}",
                    article(node)
                ),
                ptr,
                node.span,
            );
            return;
        };
        for m in members {
            let name = match ql {
                QueryLanguage::JsonPath => m.key.strip_suffix(".$").unwrap_or(&m.key),
                QueryLanguage::Jsonata => &m.key,
            };
            let valid = name.len() <= 80
                && name
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_alphabetic() || c == '_')
                && name.chars().all(|c| c.is_alphanumeric() || c == '_');
            if !valid {
                self.push(
                    Code::InvalidVariableName,
                    format!("invalid variable name '{name}': use letters, digits and '_' (not starting with a digit), at most 80 characters, no sub-paths"),
                    &child(ptr, &m.key),
                    m.key_span,
                );
            }
        }
    }

    /// NO_DOLLAR warnings: literal strings that look like paths or intrinsic calls.
    pub(super) fn no_dollar(&mut self, node: &Node, ptr: &str) {
        let mut segs = Vec::new();
        self.no_dollar_in(node, ptr, &mut segs);
    }

    pub(super) fn no_dollar_in<'n>(&mut self, node: &'n Node, root: &str, segs: &mut Vec<Seg<'n>>) {
        match &node.kind {
            Kind::Object(members) => {
                for m in members {
                    segs.push(Seg::Key(&m.key));
                    if !m.key.ends_with(".$")
                        && let Some(s) = m.value.as_str()
                        && (s.starts_with("$.")
                            || s.starts_with("$$.")
                            || (s.starts_with("States.") && s.contains('(')))
                    {
                        self.push(
                            Code::NoDollar,
                            format!("'{s}' looks like a path or intrinsic function, but the key '{}' does not end in '.$', so it is used as literal text", m.key),
                            &seg_ptr(root, segs),
                            m.value.span,
                        );
                    }
                    self.no_dollar_in(&m.value, root, segs);
                    segs.pop();
                }
            }
            Kind::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    segs.push(Seg::Index(i));
                    self.no_dollar_in(item, root, segs);
                    segs.pop();
                }
            }
            _ => {}
        }
    }

    /// Compiles through [`crate::template`] (JSONPath) or checks the `{% %}` strings (JSONata).
    pub(super) fn compile_template(
        &mut self,
        node: &Node,
        ptr: &str,
        ql: QueryLanguage,
    ) -> Option<Template> {
        compile_template(self, node, ptr, ql)
    }
}

/// Where this module meets [`crate::template`]: compiling a payload template and turning its
/// errors into diagnostics.
fn compile_template(cx: &mut Cx, node: &Node, ptr: &str, ql: QueryLanguage) -> Option<Template> {
    match ql {
        QueryLanguage::Jsonata => {
            jsonata_checks(cx, node, ptr);
            Some(Template::compile_jsonata(node))
        }
        QueryLanguage::JsonPath => match Template::compile(node) {
            Ok(t) => {
                for w in Template::arity_warnings(node) {
                    let at = pointer_to(node, w.span, ptr);
                    cx.push(Code::IntrinsicArgumentCount, w.message, &at, w.span);
                }
                Some(t)
            }
            Err(errors) => {
                for e in errors {
                    let code = match e.kind {
                        TemplateErrorKind::InvalidPath => Code::InvalidJsonPath,
                        TemplateErrorKind::InvalidIntrinsic => Code::InvalidIntrinsicCall,
                        TemplateErrorKind::WrongArity => Code::IntrinsicArgumentCount,
                        TemplateErrorKind::UnknownFunction => Code::UnknownIntrinsic,
                        TemplateErrorKind::NotAString | TemplateErrorKind::NotAPathOrCall => {
                            Code::InvalidPayloadTemplate
                        }
                    };
                    let at = pointer_to(node, e.span, ptr);
                    cx.push(code, e.message, &at, e.span);
                }
                None
            }
        },
    }
}

/// JSONata templates: `{% %}` must hold an expression. (`.$` keys are plain keys there; AWS
/// accepts them, see the `BASE_LITERALS` conformance case.)
fn jsonata_checks(cx: &mut Cx, node: &Node, ptr: &str) {
    match &node.kind {
        Kind::Object(members) => {
            for m in members {
                let p = child(ptr, &m.key);
                jsonata_checks(cx, &m.value, &p);
            }
        }
        Kind::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                jsonata_checks(cx, item, &index(ptr, i));
            }
        }
        Kind::String(s) => {
            if let Some(inner) = jsonata_text(s) {
                cx.check_jsonata(s, inner, node.span, ptr);
            }
        }
        _ => {}
    }
}
