//! From the asl-core model to the drawing: one [`crate::build::StateSpec`] per state, with short
//! texts for Choice rules (`$.amount > 1000`), captions and retry badges.
//!
//! Owns the mapping of ASL meaning to what is shown; wiring and ids are [`crate::build`]'s.
//! It draws whatever the parser kept, errors or not (`asl_core::load` keeps every state it can
//! read; a state whose fields are broken keeps its type and transitions when they are readable):
//! a transition whose target does not resolve becomes a dangling edge to a
//! [`NodeKind::Missing`] node named after the target.

use asl_core::model::{
    Branch, CompareOp, Condition, Dynamic, MapMode, Operand, Retrier, State, StateKind,
    StateMachine, Target, Transition, Wait,
};

use crate::build::{ScopeSpec, StateSpec, build, catch_label, retry_badge, task_caption};
use crate::graph::{EdgeKind, Graph, NodeKind};

/// The drawing of a state machine.
pub fn graph(machine: &StateMachine) -> Graph {
    build(
        &scope(&machine.root),
        machine.root.comment.as_deref().unwrap_or(""),
    )
}

fn scope(b: &Branch) -> ScopeSpec {
    ScopeSpec {
        states: b.states.values().map(state).collect(),
        start: b.start().map(|i| i as usize),
        missing_start: (b.start().is_none() && !b.start_at.name.is_empty())
            .then(|| b.start_at.name.to_string()),
    }
}

fn state(s: &State) -> StateSpec {
    let mut st = StateSpec {
        name: s.name.to_string(),
        ..StateSpec::default()
    };
    let (retry, catch) = s.retry_catch();
    st.retry = retry_badge(&retry.iter().map(retrier).collect::<Vec<_>>());
    let (kind, caption) = match &s.kind {
        StateKind::Pass(_) => (NodeKind::Pass, "Pass".to_string()),
        StateKind::Task(t) => (NodeKind::Task, task_caption(&t.resource.value)),
        StateKind::Choice(c) => {
            for rule in &c.choices {
                let c = cond(&rule.condition);
                let (short, full) = (summarise(&c), full_text(&c));
                if let Some(to) = rule.next.id {
                    if short != full {
                        st.titles.push((st.transitions.len(), full));
                    }
                    st.transitions.push((to as usize, EdgeKind::Choice, short));
                } else {
                    st.dangling
                        .push((rule.next.name.to_string(), EdgeKind::Choice, short));
                }
            }
            match c.default.as_ref().map(|d| (d.id, d)) {
                Some((Some(to), _)) => {
                    st.transitions
                        .push((to as usize, EdgeKind::Default, "Default".to_string()))
                }
                Some((None, d)) => {
                    st.dangling
                        .push((d.name.to_string(), EdgeKind::Default, "Default".to_string()))
                }
                None => {}
            }
            (NodeKind::Choice, "Choice".to_string())
        }
        StateKind::Wait(w) => (NodeKind::Wait, wait_caption(w)),
        StateKind::Succeed => (NodeKind::Succeed, "Succeed".to_string()),
        StateKind::Fail(f) => {
            let caption = match &f.error {
                Some(Dynamic::Literal(e)) => format!("Fail: {}", e.value),
                _ => "Fail".to_string(),
            };
            (NodeKind::Fail, caption)
        }
        StateKind::Parallel(p) => {
            st.children = p.branches.iter().map(scope).collect();
            let n = p.branches.len();
            (
                NodeKind::Parallel,
                format!("Parallel · {n} branch{}", if n == 1 { "" } else { "es" }),
            )
        }
        StateKind::Map(m) => {
            st.children = vec![scope(&m.processor)];
            let mut caption = match m.mode() {
                MapMode::Inline => "Map".to_string(),
                MapMode::Distributed => "Distributed Map".to_string(),
            };
            if let Some(Dynamic::Literal(n)) = &m.max_concurrency {
                caption.push_str(&format!(" · max {}", n.value));
            }
            (NodeKind::Map, caption)
        }
    };
    st.kind = Some(kind);
    st.caption = caption;
    match &s.transition {
        Transition::Next(Target { id: Some(to), .. }) => {
            st.transitions
                .push((*to as usize, EdgeKind::Next, String::new()))
        }
        Transition::Next(Target { id: None, name, .. }) => {
            st.dangling
                .push((name.to_string(), EdgeKind::Next, String::new()))
        }
        _ => {}
    }
    for c in catch {
        let errors: Vec<String> = c
            .error_equals
            .iter()
            .map(|e| e.value.as_str().to_string())
            .collect();
        match c.next.id {
            Some(to) => st
                .transitions
                .push((to as usize, EdgeKind::Catch, catch_label(&errors))),
            None => st.dangling.push((
                c.next.name.to_string(),
                EdgeKind::Catch,
                catch_label(&errors),
            )),
        }
    }
    st.terminal = matches!(s.transition, Transition::End(_))
        || matches!(s.kind, StateKind::Succeed | StateKind::Fail(_));
    st
}

fn retrier(r: &Retrier) -> (Vec<String>, u64, u64, f64) {
    (
        r.error_equals
            .iter()
            .map(|e| e.value.as_str().to_string())
            .collect(),
        r.max_attempts,
        r.interval_seconds,
        r.backoff_rate,
    )
}

fn wait_caption(w: &Wait) -> String {
    match w {
        Wait::Seconds(Dynamic::Literal(s)) => format!("Wait {} s", s.value),
        Wait::Seconds(Dynamic::Path(p)) => format!("Wait {} s", p.value.as_str()),
        Wait::Seconds(Dynamic::Jsonata(j)) => format!("Wait {} s", j.source.trim()),
        Wait::Timestamp(Dynamic::Literal(t)) => format!("Wait until {}", t.value),
        Wait::Timestamp(Dynamic::Path(p)) => format!("Wait until {}", p.value.as_str()),
        Wait::Timestamp(Dynamic::Jsonata(j)) => format!("Wait until {}", j.source.trim()),
        // An intrinsic call in SecondsPath/TimestampPath (model::Dynamic::Call).
        Wait::Seconds(Dynamic::Call(_)) => "Wait (computed) s".to_string(),
        Wait::Timestamp(Dynamic::Call(_)) => "Wait until (computed)".to_string(),
        Wait::Missing => "Wait".to_string(),
    }
}

/// The model's condition reduced for labelling.
pub fn cond(c: &Condition) -> Cond {
    match c {
        Condition::And(cs, _) => Cond::And(cs.iter().map(cond).collect()),
        Condition::Or(cs, _) => Cond::Or(cs.iter().map(cond).collect()),
        Condition::Not(x, _) => Cond::Not(Box::new(cond(x))),
        Condition::Jsonata(j) => Cond::Expr(j.source.to_string()),
        Condition::Compare(cmp) => {
            let var = cmp.variable.value.as_str().to_string();
            let operand = match &cmp.operand {
                Operand::Literal(v) => v.value.to_string(),
                Operand::Path(p) => p.value.as_str().to_string(),
            };
            if cmp.op.is_type_test() {
                let truth = match &cmp.operand {
                    Operand::Literal(v) => v.value.as_bool().unwrap_or(true),
                    Operand::Path(_) => true,
                };
                let what = cmp.op.name().trim_start_matches("Is").to_string();
                return Cond::Test(var, what, truth);
            }
            Cond::Compare(var, op_symbol(cmp.op).to_string(), operand)
        }
    }
}

fn op_symbol(op: CompareOp) -> &'static str {
    use CompareOp::*;
    match op {
        StringEquals | NumericEquals | BooleanEquals | TimestampEquals => "==",
        StringLessThan | NumericLessThan | TimestampLessThan => "<",
        StringGreaterThan | NumericGreaterThan | TimestampGreaterThan => ">",
        StringLessThanEquals | NumericLessThanEquals | TimestampLessThanEquals => "<=",
        StringGreaterThanEquals | NumericGreaterThanEquals | TimestampGreaterThanEquals => ">=",
        StringMatches => "matches",
        IsNull | IsPresent | IsNumeric | IsString | IsBoolean | IsTimestamp => "is",
    }
}

/// A Choice condition reduced to what a label needs.
#[derive(Clone, Debug, PartialEq)]
pub enum Cond {
    /// `And`.
    And(Vec<Cond>),
    /// `Or`.
    Or(Vec<Cond>),
    /// `Not`.
    Not(Box<Cond>),
    /// Variable, operator symbol (`==`, `>`, `matches`…), operand as written (JSON or a path).
    Compare(String, String, String),
    /// Variable, tested type (`Present`, `Null`, `Numeric`…), expected truth.
    Test(String, String, bool),
    /// A JSONata condition or anything else, as written.
    Expr(String),
}

/// Longest rule label shown in full; longer compound rules are summarised.
const FULL_MAX: usize = 34;

/// A short label for a Choice rule: the rule itself when short (`$.amount > 1000`), else its first
/// part and how many more (`$.a == 1 and 2 more`).
pub fn summarise(c: &Cond) -> String {
    let full = render(c, false);
    if full.chars().count() <= FULL_MAX {
        return full;
    }
    match c {
        Cond::And(cs) | Cond::Or(cs) if cs.len() > 1 => {
            let word = if matches!(c, Cond::And(_)) {
                "and"
            } else {
                "or"
            };
            format!("{} {word} {} more", render(&cs[0], true), cs.len() - 1)
        }
        _ => full,
    }
}

/// The whole rule as text, for tooltips.
pub fn full_text(c: &Cond) -> String {
    render(c, false)
}

fn render(c: &Cond, nested: bool) -> String {
    let group = |s: String| if nested { format!("({s})") } else { s };
    match c {
        Cond::And(cs) => group(
            cs.iter()
                .map(|x| render(x, true))
                .collect::<Vec<_>>()
                .join(" and "),
        ),
        Cond::Or(cs) => group(
            cs.iter()
                .map(|x| render(x, true))
                .collect::<Vec<_>>()
                .join(" or "),
        ),
        Cond::Not(x) => format!("not ({})", render(x, false)),
        Cond::Compare(v, op, rhs) => format!("{v} {op} {rhs}"),
        Cond::Test(v, what, truth) => {
            let what = what.to_ascii_lowercase();
            match (what.as_str(), truth) {
                ("present", true) => format!("{v} is present"),
                ("present", false) => format!("{v} is absent"),
                (w, true) => format!("{v} is {w}"),
                (w, false) => format!("{v} is not {w}"),
            }
        }
        Cond::Expr(e) => {
            let e = e.trim();
            let e = e
                .strip_prefix("{%")
                .and_then(|x| x.strip_suffix("%}"))
                .unwrap_or(e);
            e.trim().to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmp(v: &str, op: &str, rhs: &str) -> Cond {
        Cond::Compare(v.into(), op.into(), rhs.into())
    }

    #[test]
    fn short_rules_are_shown_whole() {
        assert_eq!(summarise(&cmp("$.amount", ">", "1000")), "$.amount > 1000");
        assert_eq!(
            summarise(&Cond::Test("$.x".into(), "Present".into(), false)),
            "$.x is absent"
        );
        assert_eq!(
            summarise(&Cond::Not(Box::new(cmp("$.a", "==", "1")))),
            "not ($.a == 1)"
        );
        assert_eq!(summarise(&Cond::Expr("{% $x > 1 %}".into())), "$x > 1");
    }

    #[test]
    fn long_compound_rules_are_summarised() {
        let c = Cond::And(vec![
            cmp("$.order.total", ">", "1000"),
            cmp("$.customer.tier", "==", "\"gold\""),
            Cond::Test("$.coupon".into(), "Present".into(), true),
        ]);
        assert_eq!(summarise(&c), "$.order.total > 1000 and 2 more");
        let c = Cond::Or(vec![cmp("$.a", "==", "1"), cmp("$.b", "==", "2")]);
        assert_eq!(summarise(&c), "$.a == 1 or $.b == 2");
    }
}
