//! Choice states: `Choices` and `Default`, each rule's `Next`/`Assign`/`Output`, and conditions:
//! JSONPath rules (`Variable` with exactly one comparison operator, or `And`/`Or`/`Not` nesting,
//! with operand types checked) and JSONata rules (`Condition`).
//!
//! Not owned here: evaluating conditions ([`crate::choice`]) and whether `Next`/`Default` targets
//! exist ([`crate::validate`]).

use std::sync::Arc;

use super::Cx;
use super::fields::{Fields, Ptr, article, index};
use super::query_language::{field_language, jsonata_text, ql_name};
use crate::diag::Code;
use crate::model::{
    Choice, ChoiceRule, CompareOp, Comparison, Condition, Jsonata, Operand, QueryLanguage, Spanned,
    Target,
};
use crate::source::Span;
use crate::syntax::{Kind, Member, Node};

impl Cx {
    pub(super) fn choice(&mut self, f: &Fields, ql: QueryLanguage) -> Choice {
        let mut choices = Vec::new();
        if let Some((items, ptr)) = self.non_empty_list(
            f,
            "Choices",
            "an array of Choice rules",
            "Choices must contain at least one rule",
        ) {
            for (i, item) in items.iter().enumerate() {
                if let Some(rule) = self.choice_rule(item, &index(&ptr, i), ql) {
                    choices.push(rule);
                }
            }
        }
        Choice {
            choices,
            default: self.target(f, "Default"),
        }
    }

    pub(super) fn choice_rule(
        &mut self,
        node: &Node,
        ptr: &str,
        ql: QueryLanguage,
    ) -> Option<ChoiceRule> {
        let anchor = Span::new(node.span.start, node.span.start + 1);
        let f = self.fields(node, ptr, anchor, "A Choice rule", Code::DuplicateKey)?;
        let next = match self.target(&f, "Next") {
            Some(t) => t,
            None => {
                if !f.has("Next") {
                    self.push(
                        Code::ChoiceNext,
                        "A Choice rule needs 'Next': the state to go to when it matches",
                        ptr,
                        anchor,
                    );
                }
                Target {
                    name: Arc::from(""),
                    span: anchor,
                    id: None,
                }
            }
        };
        let condition = self.condition(&f, ql, true);
        let (assign, output) = (
            self.template(&f, "Assign", ql),
            self.template(&f, "Output", ql),
        );
        Some(ChoiceRule {
            condition,
            next,
            assign,
            output,
            span: node.span,
        })
    }

    /// A (possibly nested) condition. `top` rules may have Next/Assign/Output; nested ones not.
    pub(super) fn condition(&mut self, f: &Fields, ql: QueryLanguage, top: bool) -> Condition {
        let never = Condition::Or(Vec::new(), f.anchor);
        let mut ops: Vec<&Member> = Vec::new();
        let mut variable = None;
        for m in &f.members {
            let key = m.key.as_str();
            match key {
                "Comment" => {}
                "Next" | "Assign" | "Output" if top => {
                    if let Some(lang) = field_language(key)
                        && lang != ql
                    {
                        self.push(
                            Code::QueryLanguageField,
                            format!("field '{key}' is only supported for the '{}' QueryLanguage", ql_name(lang)),
                            &f.ptr(key),
                            m.key_span,
                        );
                    }
                }
                "Next" => self.push(
                    Code::ChoiceNext,
                    "A nested rule (inside And, Or or Not) cannot have 'Next'; only top-level rules transition",
                    &f.ptr(key),
                    m.key_span,
                ),
                "Variable" => variable = Some(m),
                "Condition" | "And" | "Or" | "Not" => ops.push(m),
                _ if CompareOp::from_field(key).is_some() => ops.push(m),
                _ => self.push(Code::UnknownField, format!("Field '{key}' is not supported in a Choice rule"), &f.ptr(key), m.key_span),
            }
        }
        if ql == QueryLanguage::Jsonata {
            if let Some(v) = variable {
                self.push(
                    Code::QueryLanguageField,
                    "field 'Variable' is only supported for the 'JSONPath' QueryLanguage",
                    &f.ptr("Variable"),
                    v.key_span,
                );
            }
            let mut cond = None;
            for m in &ops {
                if m.key != "Condition" {
                    self.push(
                        Code::QueryLanguageField,
                        format!("field '{}' is only supported for the 'JSONPath' QueryLanguage; JSONata rules use 'Condition'", m.key),
                        &f.ptr(&m.key),
                        m.key_span,
                    );
                    continue;
                }
                let ptr = f.ptr("Condition");
                match &m.value.kind {
                    Kind::String(s) => match jsonata_text(s) {
                        Some(_) => {
                            cond = self.jsonata(s, m.value.span, &ptr).map(Condition::Jsonata)
                        }
                        None => self.push(
                            Code::InvalidJsonata,
                            "Condition must be a JSONata expression '{% … %}'",
                            &ptr,
                            m.value.span,
                        ),
                    },
                    // A literal boolean is a constant condition.
                    Kind::Bool(b) => {
                        cond = Some(Condition::Jsonata(Jsonata::new(
                            if *b { "true" } else { "false" },
                            m.value.span,
                        )));
                    }
                    _ => self.wrong_type(m, &ptr, "a JSONata expression string"),
                }
            }
            if !ops.iter().any(|m| m.key == "Condition") {
                self.push(
                    Code::MissingField,
                    "The field 'Condition' is required but was missing",
                    &f.ptr,
                    f.anchor,
                );
            }
            return cond.unwrap_or(never);
        }
        if let Some(m) = ops.iter().find(|m| m.key == "Condition") {
            self.push(
                Code::QueryLanguageField,
                "field 'Condition' is only supported for the 'JSONata' QueryLanguage",
                &f.ptr("Condition"),
                m.key_span,
            );
            ops.retain(|m| m.key != "Condition");
        }
        if ops.len() != 1 {
            let msg = if ops.is_empty() {
                "A Choice rule needs exactly one comparison operator (StringEquals, NumericLessThan, IsPresent, …) or And/Or/Not".to_string()
            } else {
                let names: Vec<&str> = ops.iter().map(|m| m.key.as_str()).collect();
                format!(
                    "A Choice rule needs exactly one comparison operator, found {}: {}",
                    names.len(),
                    names.join(", ")
                )
            };
            let span = ops.get(1).map_or(f.anchor, |m| m.key_span);
            self.push(Code::ChoiceOperatorCount, msg, &f.ptr, span);
            if ops.is_empty() {
                return never;
            }
        }
        let op = ops[0];
        let ptr = f.ptr(&op.key);
        match op.key.as_str() {
            "And" | "Or" => {
                if let Some(v) = variable {
                    self.push(
                        Code::UnknownField,
                        format!("'{}' rules cannot have a 'Variable'", op.key),
                        &f.ptr("Variable"),
                        v.key_span,
                    );
                }
                let Some(items) = op.value.as_array() else {
                    self.wrong_type(op, &ptr, "an array of rules");
                    return never;
                };
                if items.is_empty() {
                    self.push(
                        Code::EmptyList,
                        format!("'{}' must contain at least one rule", op.key),
                        &ptr,
                        op.value.span,
                    );
                }
                let mut conds = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    let p = index(&ptr, i);
                    if let Some(nf) = self.fields(
                        item,
                        &p,
                        Span::new(item.span.start, item.span.start + 1),
                        "A Choice rule",
                        Code::DuplicateKey,
                    ) {
                        conds.push(self.condition(&nf, ql, false));
                    }
                }
                if op.key == "And" {
                    Condition::And(conds, op.value.span)
                } else {
                    Condition::Or(conds, op.value.span)
                }
            }
            "Not" => {
                if let Some(v) = variable {
                    self.push(
                        Code::UnknownField,
                        "'Not' rules cannot have a 'Variable'",
                        &f.ptr("Variable"),
                        v.key_span,
                    );
                }
                match self.fields(&op.value, &ptr, op.key_span, "Not", Code::DuplicateKey) {
                    Some(nf) => {
                        Condition::Not(Box::new(self.condition(&nf, ql, false)), op.value.span)
                    }
                    None => never,
                }
            }
            key => {
                let Some((cmp, is_path)) = CompareOp::from_field(key) else {
                    return never;
                };
                let var = match variable {
                    None => {
                        self.push(
                            Code::MissingField,
                            format!("The field 'Variable' is required by '{key}' but was missing"),
                            &f.ptr,
                            f.anchor,
                        );
                        None
                    }
                    Some(_) => self.path_field(f, "Variable", false),
                };
                let operand = self.operand(op, &ptr, cmp, is_path);
                match (var, operand) {
                    (Some(variable), Some(operand)) => Condition::Compare(Box::new(Comparison {
                        variable,
                        op: cmp,
                        operand,
                        span: f.anchor,
                    })),
                    _ => never,
                }
            }
        }
    }

    pub(super) fn operand(
        &mut self,
        m: &Member,
        ptr: &str,
        op: CompareOp,
        is_path: bool,
    ) -> Option<Operand> {
        let bad = |cx: &mut Cx, expected: &str| {
            cx.push(
                Code::ChoiceOperandType,
                format!("'{}' needs {expected}, not {}", m.key, article(&m.value)),
                ptr,
                m.value.span,
            );
            None
        };
        if is_path {
            let Some(s) = m.value.as_str() else {
                return bad(self, "a path string");
            };
            let p = self.path(s, m.value.span, Ptr(ptr, ""), &m.key, false)?;
            return Some(Operand::Path(Spanned::new(p, m.value.span)));
        }
        let ok = match op {
            CompareOp::StringEquals
            | CompareOp::StringLessThan
            | CompareOp::StringGreaterThan
            | CompareOp::StringLessThanEquals
            | CompareOp::StringGreaterThanEquals
            | CompareOp::StringMatches => matches!(m.value.kind, Kind::String(_)),
            CompareOp::NumericEquals
            | CompareOp::NumericLessThan
            | CompareOp::NumericGreaterThan
            | CompareOp::NumericLessThanEquals
            | CompareOp::NumericGreaterThanEquals => matches!(m.value.kind, Kind::Number(_)),
            CompareOp::TimestampEquals
            | CompareOp::TimestampLessThan
            | CompareOp::TimestampGreaterThan
            | CompareOp::TimestampLessThanEquals
            | CompareOp::TimestampGreaterThanEquals => matches!(m.value.kind, Kind::String(_)),
            _ => matches!(m.value.kind, Kind::Bool(_)),
        };
        if !ok {
            let expected = match op {
                o if o.name().starts_with("String") || o.name().starts_with("Timestamp") => {
                    "a string"
                }
                o if o.name().starts_with("Numeric") => "a number",
                _ => "a boolean (true or false)",
            };
            return bad(self, expected);
        }
        Some(Operand::Literal(Spanned::new(
            m.value.to_value(),
            m.value.span,
        )))
    }
}
