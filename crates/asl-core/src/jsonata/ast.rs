//! The JSONata syntax tree after JSONata's own post-processing (paths flattened into steps,
//! predicates attached as stages, `@`/`#` bindings turned into tuple steps, `%` resolved to
//! ancestor slots, tail calls marked as thunks), with byte positions.
//!
//! Owns the node types only; building them is [`super::parser`], walking them [`super::eval`].

use std::sync::Arc;

use super::signature::Signature;
use crate::value::Key;

#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Concat,
    And,
    Or,
    In,
    Range,
}

impl BinOp {
    pub fn token(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Mod => "%",
            BinOp::Eq => "=",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::Concat => "&",
            BinOp::And => "and",
            BinOp::Or => "or",
            BinOp::In => "in",
            BinOp::Range => "..",
        }
    }

    /// `a op b` for the arithmetic operators (`+ - * / %`), the one definition both evaluators
    /// use; callers pick those five first, and any other operator is taken as `%`.
    pub fn arith(self, a: f64, b: f64) -> f64 {
        match self {
            BinOp::Add => a + b,
            BinOp::Sub => a - b,
            BinOp::Mul => a * b,
            BinOp::Div => a / b,
            _ => a % b,
        }
    }
}

#[derive(Debug)]
pub(crate) enum Stage {
    Filter(Node),
    Index(Arc<str>),
}

/// A group-by object constructor: its key/value pairs and position.
pub(crate) type Group = (Vec<(Node, Node)>, usize);

#[derive(Debug)]
pub(crate) struct SortTerm {
    pub descending: bool,
    pub expr: Node,
}

#[derive(Debug)]
pub(crate) struct LambdaDef {
    pub params: Vec<Arc<str>>,
    pub signature: Option<Signature>,
    pub body: Node,
    /// A tail call wrapped for the trampoline (JSONata's `thunk`).
    pub thunk: bool,
}

#[derive(Debug)]
pub(crate) enum Kind {
    Path(Vec<Node>),
    Binary(BinOp, Box<Node>, Box<Node>),
    Bind(Arc<str>, Box<Node>),
    Apply(Box<Node>, Box<Node>),
    Neg(Box<Node>),
    Array(Vec<Node>),
    Object(Vec<(Node, Node)>),
    Name(Arc<str>),
    /// A string literal, with its text also as an object key (made once here: an object
    /// constructor's literal keys are taken for every object it builds).
    Str(Arc<str>, Key),
    Num(f64),
    Bool(bool),
    Null,
    Wildcard,
    Descendant,
    /// `%`: the ancestor bound under the slot's label.
    Parent(usize),
    Var(Arc<str>),
    Regex(Arc<super::regex::Regex>),
    Condition(Box<Node>, Box<Node>, Option<Box<Node>>),
    Block(Vec<Node>),
    Function(Box<Node>, Vec<Node>),
    Partial(Box<Node>, Vec<Node>),
    /// `?` in a partial application.
    Placeholder,
    Lambda(Box<LambdaDef>),
    Transform(Box<Node>, Box<Node>, Option<Box<Node>>),
    Sort(Vec<SortTerm>),
    // Raw forms, gone after post-processing.
    RawOp(&'static str),
    RawDot(Box<Node>, Box<Node>),
    RawPred(Box<Node>, Box<Node>),
    RawGroup(Box<Node>, Vec<(Node, Node)>),
    RawSort(Box<Node>, Vec<(bool, Node)>),
    RawFocus(Box<Node>, Arc<str>),
    RawIndex(Box<Node>, Arc<str>),
}

#[derive(Debug)]
pub(crate) struct Node {
    pub kind: Kind,
    pub pos: usize,
    pub keep_array: bool,
    /// Path only: some step asked to keep singleton arrays (`[]`).
    pub keep_singleton_array: bool,
    /// Filters on a non-step expression.
    pub predicate: Vec<Stage>,
    /// Filters and `#` indexes on a path step.
    pub stages: Vec<Stage>,
    /// Group-by object constructor applied to this expression.
    pub group: Option<Box<Group>>,
    pub focus: Option<Arc<str>>,
    pub index: Option<Arc<str>>,
    pub tuple: bool,
    pub ancestor: Option<usize>,
    pub seeking_parent: Vec<usize>,
    pub consarray: bool,
    /// Path only: no tuple steps, sorting, grouping or singleton-keeping (the fast path).
    pub simple_path: bool,
    /// A simple path of plain field names only (`qty`, `customer.tier`): the evaluator reads it
    /// over an input object without a call per node (`Evaluator::field`).
    pub field_path: bool,
    /// Block only: some `:=` binds in the block's own frame (else it needs none: lookups and
    /// closures see the enclosing frame, which is the same when nothing is bound).
    pub block_binds: bool,
}

impl Node {
    pub fn new(kind: Kind, pos: usize) -> Node {
        Node {
            kind,
            pos,
            keep_array: false,
            keep_singleton_array: false,
            predicate: Vec::new(),
            stages: Vec::new(),
            group: None,
            focus: None,
            index: None,
            tuple: false,
            ancestor: None,
            seeking_parent: Vec::new(),
            consarray: false,
            simple_path: false,
            field_path: false,
            block_binds: false,
        }
    }

    /// Whether evaluating this node may bind a variable in the frame it is evaluated in (`:=`
    /// outside any nested block or function body). Unknown forms answer yes.
    pub fn binds_in_frame(&self) -> bool {
        let stages = self.predicate.iter().chain(&self.stages).any(|s| match s {
            Stage::Filter(n) => n.binds_in_frame(),
            Stage::Index(_) => false,
        });
        let group = self.group.as_ref().is_some_and(|g| {
            g.0.iter()
                .any(|(k, v)| k.binds_in_frame() || v.binds_in_frame())
        });
        stages
            || group
            || match &self.kind {
                Kind::Str(..)
                | Kind::Num(_)
                | Kind::Bool(_)
                | Kind::Null
                | Kind::Name(_)
                | Kind::Var(_)
                | Kind::Wildcard
                | Kind::Descendant
                | Kind::Parent(_)
                | Kind::Regex(_)
                | Kind::Placeholder
                | Kind::Block(_)
                | Kind::Lambda(_) => false,
                Kind::Neg(e) => e.binds_in_frame(),
                Kind::Binary(_, l, r) => l.binds_in_frame() || r.binds_in_frame(),
                Kind::Array(items) | Kind::Path(items) => items.iter().any(Node::binds_in_frame),
                Kind::Object(pairs) => pairs
                    .iter()
                    .any(|(k, v)| k.binds_in_frame() || v.binds_in_frame()),
                Kind::Condition(c, t, e) => {
                    c.binds_in_frame()
                        || t.binds_in_frame()
                        || e.as_ref().is_some_and(|e| e.binds_in_frame())
                }
                Kind::Function(p, args) => {
                    p.binds_in_frame() || args.iter().any(Node::binds_in_frame)
                }
                _ => true,
            }
    }

    pub fn is_path(&self) -> bool {
        matches!(self.kind, Kind::Path(_))
    }

    /// JSONata's node type name (used in error tokens).
    pub fn type_name(&self) -> &'static str {
        match &self.kind {
            Kind::Path(_) => "path",
            Kind::Binary(..) => "binary",
            Kind::Bind(..) => "bind",
            Kind::Apply(..) => "apply",
            Kind::Neg(_) | Kind::Array(_) | Kind::Object(_) => "unary",
            Kind::Name(_) => "name",
            Kind::Str(..) => "string",
            Kind::Num(_) => "number",
            Kind::Bool(_) | Kind::Null => "value",
            Kind::Wildcard => "wildcard",
            Kind::Descendant => "descendant",
            Kind::Parent(_) => "parent",
            Kind::Var(_) => "variable",
            Kind::Regex(_) => "regex",
            Kind::Condition(..) => "condition",
            Kind::Block(_) => "block",
            Kind::Function(..) => "function",
            Kind::Partial(..) => "partial",
            Kind::Placeholder | Kind::RawOp(_) => "operator",
            Kind::Lambda(_) => "lambda",
            Kind::Transform(..) => "transform",
            Kind::Sort(_) => "sort",
            _ => "binary",
        }
    }
}
