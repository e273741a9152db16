//! The JSONata grammar: tokens → raw tree (a Pratt parser with JSONata's binding powers) →
//! post-processed [`Node`] tree (JSONata's `processAST`: paths, stages, tuple steps, ancestor
//! slots for `%`, tail-call thunks).
//!
//! Owns syntax errors (`S02xx`) with byte positions. Not owned here: tokens ([`super::lexer`]),
//! signatures ([`super::signature`]), evaluation ([`super::eval`]).

use std::sync::Arc;

use super::ast::{BinOp, Kind, LambdaDef, Node, SortTerm, Stage};
use super::error::{JResult, err};
use super::lexer::{Lexer, Tok, Token};
use super::signature::Signature;
use super::stack::StackGuard;

/// A parsed and processed expression with its ancestor labels.
pub(crate) struct Parsed {
    pub root: Node,
    pub labels: Vec<Arc<str>>,
}

pub(crate) fn parse(src: &str) -> JResult<Parsed> {
    let mut p = Parser {
        lexer: Lexer::new(src),
        tok: Token {
            tok: Tok::End,
            start: 0,
        },
        depth: 0,
        guard: StackGuard::new(),
    };
    p.advance(false)?;
    let raw = p.expression(0)?;
    if p.tok.tok != Tok::End {
        return Err(
            err("S0201", format!("Syntax error: {}", describe(&p.tok.tok)))
                .at(p.tok.start)
                .token(describe(&p.tok.tok)),
        );
    }
    let mut post = Post {
        slots: Vec::new(),
        depth: 0,
        guard: StackGuard::new(),
    };
    let root = post.process(raw)?;
    if matches!(root.kind, Kind::Parent(_)) || !root.seeking_parent.is_empty() {
        return Err(err(
            "S0217",
            "The object representing the 'parent' cannot be derived from this expression",
        )
        .at(root.pos)
        .token(root.type_name()));
    }
    let mut root = root;
    mark_simple_paths(&mut root);
    let labels = post
        .slots
        .iter()
        .map(|s| Arc::from(s.label.as_str()))
        .collect();
    Ok(Parsed { root, labels })
}

/// Nesting beyond this is refused at parse time rather than risking the stack. In wasm under
/// V8 each level of the recursive descent costs several KB of the engine's own stack (which
/// the byte budget of [`super::stack`] cannot see): 300 nested object constructors overflowed
/// it at 500. A level of syntax takes two to six units (32 nested `a.(…)`, 64 parentheses); real
/// expressions nest a handful of levels.
const MAX_NESTING: usize = 200;

fn describe(t: &Tok) -> String {
    match t {
        Tok::Op(o) => (*o).to_string(),
        Tok::Name(n) => n.clone(),
        Tok::Var(v) => format!("${v}"),
        Tok::Str(s) => s.clone(),
        Tok::Num(n) => crate::float_fmt::display(*n),
        Tok::Bool(b) => b.to_string(),
        Tok::Null => "null".into(),
        Tok::Regex { pattern, .. } => format!("/{pattern}/"),
        Tok::End => "(end)".into(),
    }
}

fn lbp(t: &Tok) -> u32 {
    match t {
        Tok::Op(op) => match *op {
            "." => 75,
            "[" | "(" | "@" | "#" => 80,
            "{" => 70,
            "?" | ".." => 20,
            "+" | "-" | "&" => 50,
            "*" | "/" | "%" => 60,
            "=" | "<" | ">" | "^" | "!=" | "<=" | ">=" | "~>" | "in" => 40,
            ":=" => 10,
            "and" => 30,
            "or" => 25,
            _ => 0, // ] } ) , ; : | ! ~ **
        },
        _ => 0,
    }
}

struct Parser<'a> {
    lexer: Lexer<'a>,
    tok: Token,
    depth: usize,
    guard: StackGuard,
}

impl Parser<'_> {
    /// Moves to the next token; `infix` when an operator is expected next.
    fn advance(&mut self, infix: bool) -> JResult<Token> {
        let next = self.lexer.next(infix)?;
        if let Tok::Op(op @ ("!" | "~")) = next.tok {
            return Err(err("S0204", format!("Unknown operator: {op}"))
                .at(next.start)
                .token(op));
        }
        Ok(std::mem::replace(&mut self.tok, next))
    }

    fn expect(&mut self, op: &'static str, infix: bool) -> JResult<()> {
        if self.tok.tok != Tok::Op(op) {
            let code = if self.tok.tok == Tok::End {
                "S0203"
            } else {
                "S0202"
            };
            let msg = if self.tok.tok == Tok::End {
                format!("Expected \"{op}\" before end of expression")
            } else {
                format!("Expected \"{op}\", got \"{}\"", describe(&self.tok.tok))
            };
            return Err(err(code, msg)
                .at(self.tok.start)
                .token(describe(&self.tok.tok)));
        }
        self.advance(infix)?;
        Ok(())
    }

    fn is_op(&self, op: &str) -> bool {
        matches!(self.tok.tok, Tok::Op(o) if o == op)
    }

    fn expression(&mut self, rbp: u32) -> JResult<Node> {
        self.depth += 1;
        if self.depth > MAX_NESTING || self.guard.spent() {
            return Err(err("S0201", "Expression nested too deeply").at(self.tok.start));
        }
        let t = self.advance(true)?;
        let mut left = self.nud(t)?;
        while rbp < lbp(&self.tok.tok) {
            let t = self.advance(false)?;
            left = self.led(t, left)?;
        }
        self.depth -= 1;
        Ok(left)
    }

    fn nud(&mut self, t: Token) -> JResult<Node> {
        let pos = t.start;
        let kind = match t.tok {
            Tok::Name(n) => Kind::Name(n.into()),
            Tok::Var(v) => Kind::Var(v.into()),
            Tok::Str(s) => {
                let text: Arc<str> = s.into();
                Kind::Str(text.clone(), crate::value::Key::from(text))
            }
            Tok::Num(n) => Kind::Num(n),
            Tok::Bool(b) => Kind::Bool(b),
            Tok::Null => Kind::Null,
            Tok::Regex { pattern, flags } => Kind::Regex(Arc::new(
                super::regex::compile(&pattern, &flags).map_err(|e| e.at(pos))?,
            )),
            Tok::End => {
                return Err(err("S0207", "Unexpected end of expression").at(pos));
            }
            Tok::Op(op) => match op {
                "and" | "or" | "in" => Kind::RawOp(op),
                "?" => Kind::RawOp("?"),
                "-" => Kind::Neg(Box::new(self.expression(70)?)),
                "*" => Kind::Wildcard,
                "**" => Kind::Descendant,
                "%" => Kind::Parent(0),
                "(" => {
                    let mut items = Vec::new();
                    while !self.is_op(")") {
                        items.push(self.expression(0)?);
                        if !self.is_op(";") {
                            break;
                        }
                        self.advance(false)?;
                    }
                    self.expect(")", true)?;
                    Kind::Block(items)
                }
                "[" => {
                    let mut items = Vec::new();
                    if !self.is_op("]") {
                        loop {
                            let mut item = self.expression(0)?;
                            if self.is_op("..") {
                                let rpos = self.tok.start;
                                self.advance(false)?;
                                let rhs = self.expression(0)?;
                                item = Node::new(
                                    Kind::Binary(BinOp::Range, Box::new(item), Box::new(rhs)),
                                    rpos,
                                );
                            }
                            items.push(item);
                            if !self.is_op(",") {
                                break;
                            }
                            self.advance(false)?;
                        }
                    }
                    self.expect("]", true)?;
                    Kind::Array(items)
                }
                "{" => Kind::Object(self.object_pairs()?),
                "|" => {
                    let pattern = self.expression(0)?;
                    self.expect("|", false)?;
                    let update = self.expression(0)?;
                    let delete = if self.is_op(",") {
                        self.advance(false)?;
                        Some(Box::new(self.expression(0)?))
                    } else {
                        None
                    };
                    self.expect("|", true)?;
                    Kind::Transform(Box::new(pattern), Box::new(update), delete)
                }
                _ => {
                    return Err(err(
                        "S0211",
                        format!("The symbol {op} cannot be used as a unary operator"),
                    )
                    .at(pos)
                    .token(op));
                }
            },
        };
        Ok(Node::new(kind, pos))
    }

    fn object_pairs(&mut self) -> JResult<Vec<(Node, Node)>> {
        let mut pairs = Vec::new();
        if !self.is_op("}") {
            loop {
                let k = self.expression(0)?;
                self.expect(":", false)?;
                let v = self.expression(0)?;
                pairs.push((k, v));
                if !self.is_op(",") {
                    break;
                }
                self.advance(false)?;
            }
        }
        self.expect("}", true)?;
        Ok(pairs)
    }

    fn led(&mut self, t: Token, left: Node) -> JResult<Node> {
        let pos = t.start;
        let Tok::Op(op) = t.tok else {
            return Err(err("S0201", "Syntax error").at(pos));
        };
        let bin = |o: BinOp, l: Node, r: Node| Kind::Binary(o, Box::new(l), Box::new(r));
        let kind = match op {
            "." => Kind::RawDot(Box::new(left), Box::new(self.expression(75)?)),
            "+" => bin(BinOp::Add, left, self.expression(50)?),
            "-" => bin(BinOp::Sub, left, self.expression(50)?),
            "*" => bin(BinOp::Mul, left, self.expression(60)?),
            "/" => bin(BinOp::Div, left, self.expression(60)?),
            "%" => bin(BinOp::Mod, left, self.expression(60)?),
            "=" => bin(BinOp::Eq, left, self.expression(40)?),
            "!=" => bin(BinOp::Ne, left, self.expression(40)?),
            "<" => bin(BinOp::Lt, left, self.expression(40)?),
            "<=" => bin(BinOp::Le, left, self.expression(40)?),
            ">" => bin(BinOp::Gt, left, self.expression(40)?),
            ">=" => bin(BinOp::Ge, left, self.expression(40)?),
            "&" => bin(BinOp::Concat, left, self.expression(50)?),
            "and" => bin(BinOp::And, left, self.expression(30)?),
            "or" => bin(BinOp::Or, left, self.expression(25)?),
            "in" => bin(BinOp::In, left, self.expression(40)?),
            ".." => bin(BinOp::Range, left, self.expression(20)?),
            "~>" => Kind::Apply(Box::new(left), Box::new(self.expression(40)?)),
            ":=" => {
                let Kind::Var(name) = &left.kind else {
                    return Err(err(
                        "S0212",
                        "The left side of := must be a variable name (start with $)",
                    )
                    .at(left.pos));
                };
                let name = name.clone();
                Kind::Bind(name, Box::new(self.expression(9)?))
            }
            "@" | "#" => {
                let rhs = self.expression(80)?;
                let Kind::Var(name) = rhs.kind else {
                    return Err(err(
                        "S0214",
                        format!("The right side of {op} must be a variable name (start with $)"),
                    )
                    .at(rhs.pos)
                    .token(op));
                };
                if op == "@" {
                    Kind::RawFocus(Box::new(left), name)
                } else {
                    Kind::RawIndex(Box::new(left), name)
                }
            }
            "?" => {
                let then = self.expression(0)?;
                let otherwise = if self.is_op(":") {
                    self.advance(false)?;
                    Some(Box::new(self.expression(0)?))
                } else {
                    None
                };
                Kind::Condition(Box::new(left), Box::new(then), otherwise)
            }
            "[" => {
                if self.is_op("]") {
                    // `[]`: keep singleton arrays on the innermost step.
                    let mut left = left;
                    {
                        let mut step = &mut left;
                        while let Kind::RawPred(l, _) = &mut step.kind {
                            step = l;
                        }
                        step.keep_array = true;
                    }
                    self.advance(true)?;
                    return Ok(left);
                }
                let rhs = self.expression(0)?;
                self.expect("]", true)?;
                Kind::RawPred(Box::new(left), Box::new(rhs))
            }
            "^" => {
                self.expect("(", false)?;
                let mut terms = Vec::new();
                loop {
                    let mut descending = false;
                    if self.is_op("<") {
                        self.advance(false)?;
                    } else if self.is_op(">") {
                        descending = true;
                        self.advance(false)?;
                    }
                    terms.push((descending, self.expression(0)?));
                    if !self.is_op(",") {
                        break;
                    }
                    self.advance(false)?;
                }
                self.expect(")", true)?;
                Kind::RawSort(Box::new(left), terms)
            }
            "{" => Kind::RawGroup(Box::new(left), self.object_pairs()?),
            "(" => return self.call(left, pos),
            _ => {
                return Err(err("S0201", format!("Syntax error: {op}"))
                    .at(pos)
                    .token(op));
            }
        };
        Ok(Node::new(kind, pos))
    }

    fn call(&mut self, left: Node, pos: usize) -> JResult<Node> {
        let mut args = Vec::new();
        let mut partial = false;
        if !self.is_op(")") {
            loop {
                if self.is_op("?") {
                    partial = true;
                    let p = self.tok.start;
                    self.advance(true)?;
                    args.push(Node::new(Kind::Placeholder, p));
                } else {
                    args.push(self.expression(0)?);
                }
                if !self.is_op(",") {
                    break;
                }
                self.advance(false)?;
            }
        }
        self.expect(")", true)?;
        let is_lambda = matches!(&left.kind, Kind::Name(n) if &**n == "function" || &**n == "λ");
        if !is_lambda {
            let kind = if partial {
                Kind::Partial(Box::new(left), args)
            } else {
                Kind::Function(Box::new(left), args)
            };
            return Ok(Node::new(kind, pos));
        }
        let mut params = Vec::new();
        for (i, a) in args.into_iter().enumerate() {
            match a.kind {
                Kind::Var(v) => params.push(v),
                _ => {
                    return Err(err(
                        "S0208",
                        format!("Parameter {} of function definition must be a variable name (start with $)", i + 1),
                    )
                    .at(a.pos));
                }
            }
        }
        let mut signature = None;
        if self.is_op("<") {
            // The signature is the raw text up to the matching `>`.
            let sig_start = self.tok.start;
            let src = self.lexer_src();
            let bytes = src.as_bytes();
            let mut depth = 0i32;
            let mut i = sig_start;
            while i < bytes.len() {
                match bytes[i] {
                    b'<' => depth += 1,
                    b'>' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    b'{' => break,
                    _ => {}
                }
                i += 1;
            }
            if i >= bytes.len() || bytes[i] != b'>' {
                return Err(err("S0202", "Expected \">\"").at(i.min(bytes.len())));
            }
            let text = &src[sig_start..=i];
            signature = Some(Signature::parse(text).map_err(|e| {
                let mut e = e;
                e.position = Some(sig_start + e.position.unwrap_or(0));
                e
            })?);
            self.lexer_seek(i + 1)?;
        }
        self.expect("{", false)?;
        let body = self.expression(0)?;
        self.expect("}", true)?;
        Ok(Node::new(
            Kind::Lambda(Box::new(LambdaDef {
                params,
                signature,
                body,
                thunk: false,
            })),
            pos,
        ))
    }

    fn lexer_src(&self) -> &str {
        self.lexer.src()
    }

    fn lexer_seek(&mut self, pos: usize) -> JResult<()> {
        self.lexer.seek(pos);
        self.advance(false)?;
        Ok(())
    }
}

struct Slot {
    label: String,
    level: i32,
}

struct Post {
    slots: Vec<Slot>,
    depth: usize,
    guard: StackGuard,
}

impl Post {
    fn process(&mut self, mut expr: Node) -> JResult<Node> {
        self.depth += 1;
        if self.depth > MAX_NESTING || self.guard.spent() {
            return Err(err("S0201", "Expression nested too deeply").at(expr.pos));
        }
        let pos = expr.pos;
        let keep_array = expr.keep_array;
        let kind = std::mem::replace(&mut expr.kind, Kind::Null);
        let mut result = match kind {
            Kind::RawDot(l, r) => {
                let lstep = self.process(*l)?;
                let mut result = if lstep.is_path() {
                    lstep
                } else {
                    let parent = matches!(lstep.kind, Kind::Parent(_));
                    let slot = if let Kind::Parent(s) = lstep.kind {
                        Some(s)
                    } else {
                        None
                    };
                    let mut p = Node::new(Kind::Path(vec![lstep]), pos);
                    if parent {
                        p.seeking_parent = slot.into_iter().collect();
                    }
                    p
                };
                let mut rest = self.process(*r)?;
                let Kind::Path(steps) = &mut result.kind else {
                    unreachable_path()?
                };
                if let Kind::Path(rsteps) = rest.kind {
                    steps.extend(rsteps);
                } else {
                    if !rest.predicate.is_empty() {
                        rest.stages = std::mem::take(&mut rest.predicate);
                    }
                    steps.push(rest);
                }
                for s in steps.iter_mut() {
                    match &s.kind {
                        Kind::Num(_) | Kind::Bool(_) | Kind::Null => {
                            let v = match &s.kind {
                                Kind::Num(n) => crate::float_fmt::display(*n),
                                Kind::Bool(b) => b.to_string(),
                                _ => "null".into(),
                            };
                            return Err(err(
                                "S0213",
                                format!("The literal value {v} cannot be used as a step within a path expression"),
                            )
                            .at(s.pos)
                            .token(v));
                        }
                        Kind::Str(name, _) => {
                            s.kind = Kind::Name(name.clone());
                        }
                        _ => {}
                    }
                }
                if steps.iter().any(|s| s.keep_array) {
                    result.keep_singleton_array = true;
                }
                if let Some(first) = steps.first_mut()
                    && matches!(first.kind, Kind::Array(_))
                {
                    first.consarray = true;
                }
                if let Some(last) = steps.last_mut()
                    && matches!(last.kind, Kind::Array(_))
                {
                    last.consarray = true;
                }
                self.resolve_ancestry(&mut result)?;
                result
            }
            Kind::RawPred(l, r) => {
                let mut result = self.process(*l)?;
                let predicate = self.process(*r)?;
                let is_path = result.is_path();
                let step: &mut Node = match &mut result.kind {
                    Kind::Path(steps) if is_path => match steps.last_mut() {
                        Some(s) => s,
                        None => return Err(err("S0201", "Syntax error").at(pos)),
                    },
                    _ => &mut result,
                };
                if step.group.is_some() {
                    return Err(err(
                        "S0209",
                        "A predicate cannot follow a grouping expression in a step",
                    )
                    .at(pos));
                }
                if !predicate.seeking_parent.is_empty() {
                    for &slot in &predicate.seeking_parent {
                        if self.slots[slot].level == 1 {
                            self.seek_parent(step, slot)?;
                        } else {
                            self.slots[slot].level -= 1;
                        }
                    }
                    push_ancestry(step, &predicate);
                }
                if is_path {
                    step.stages.push(Stage::Filter(predicate));
                } else {
                    step.predicate.push(Stage::Filter(predicate));
                }
                result
            }
            Kind::RawGroup(l, pairs) => {
                let mut result = self.process(*l)?;
                if result.group.is_some() {
                    return Err(
                        err("S0210", "Each step can only have one grouping expression").at(pos),
                    );
                }
                let mut ps = Vec::with_capacity(pairs.len());
                for (k, v) in pairs {
                    ps.push((self.process(k)?, self.process(v)?));
                }
                result.group = Some(Box::new((ps, pos)));
                result
            }
            Kind::RawSort(l, terms) => {
                let lhs = self.process(*l)?;
                let mut result = if lhs.is_path() {
                    lhs
                } else {
                    Node::new(Kind::Path(vec![lhs]), pos)
                };
                let mut sort = Node::new(Kind::Null, pos);
                let mut ts = Vec::with_capacity(terms.len());
                for (descending, e) in terms {
                    let e = self.process(e)?;
                    push_ancestry(&mut sort, &e);
                    ts.push(SortTerm {
                        descending,
                        expr: e,
                    });
                }
                sort.kind = Kind::Sort(ts);
                if let Kind::Path(steps) = &mut result.kind {
                    steps.push(sort);
                }
                self.resolve_ancestry(&mut result)?;
                result
            }
            Kind::Bind(name, rhs) => {
                let rhs = self.process(*rhs)?;
                let mut result = Node::new(Kind::Null, pos);
                push_ancestry(&mut result, &rhs);
                result.kind = Kind::Bind(name, Box::new(rhs));
                result
            }
            Kind::RawFocus(l, name) => {
                let mut result = self.process(*l)?;
                with_last_step(&mut result, |step| {
                    if !step.stages.is_empty() || !step.predicate.is_empty() {
                        return Err(err(
                            "S0215",
                            "A context variable binding must precede any predicates on a step",
                        )
                        .at(pos));
                    }
                    if matches!(step.kind, Kind::Sort(_)) {
                        return Err(err(
                            "S0216",
                            "A context variable binding must precede the 'order-by' clause on a step",
                        )
                        .at(pos));
                    }
                    if keep_array {
                        step.keep_array = true;
                    }
                    step.focus = Some(name);
                    step.tuple = true;
                    Ok(())
                })?;
                result
            }
            Kind::RawIndex(l, name) => {
                let mut result = self.process(*l)?;
                if !result.is_path() {
                    let mut step = result;
                    if !step.predicate.is_empty() {
                        step.stages = std::mem::take(&mut step.predicate);
                    }
                    result = Node::new(Kind::Path(vec![step]), pos);
                }
                with_last_step(&mut result, |step| {
                    if step.stages.is_empty() {
                        step.index = Some(name);
                    } else {
                        step.stages.push(Stage::Index(name));
                    }
                    step.tuple = true;
                });
                result
            }
            Kind::Apply(l, r) => {
                let l = self.process(*l)?;
                let r = self.process(*r)?;
                let ka = l.keep_array || r.keep_array;
                let mut n = Node::new(Kind::Apply(Box::new(l), Box::new(r)), pos);
                n.keep_array = ka;
                n
            }
            Kind::Binary(op, l, r) => {
                let l = self.process(*l)?;
                let r = self.process(*r)?;
                let mut n = Node::new(Kind::Null, pos);
                push_ancestry(&mut n, &l);
                push_ancestry(&mut n, &r);
                n.kind = Kind::Binary(op, Box::new(l), Box::new(r));
                n
            }
            Kind::Array(items) => {
                let mut n = Node::new(Kind::Null, pos);
                let mut out = Vec::with_capacity(items.len());
                for i in items {
                    let v = self.process(i)?;
                    push_ancestry(&mut n, &v);
                    out.push(v);
                }
                n.kind = Kind::Array(out);
                n
            }
            Kind::Object(pairs) => {
                let mut n = Node::new(Kind::Null, pos);
                let mut out = Vec::with_capacity(pairs.len());
                for (k, v) in pairs {
                    let k = self.process(k)?;
                    push_ancestry(&mut n, &k);
                    let v = self.process(v)?;
                    push_ancestry(&mut n, &v);
                    out.push((k, v));
                }
                n.kind = Kind::Object(out);
                n
            }
            Kind::Neg(e) => {
                let e = self.process(*e)?;
                if let Kind::Num(v) = e.kind {
                    let mut n = e;
                    n.kind = Kind::Num(-v);
                    n
                } else {
                    let mut n = Node::new(Kind::Null, pos);
                    push_ancestry(&mut n, &e);
                    n.kind = Kind::Neg(Box::new(e));
                    n
                }
            }
            Kind::Function(p, args) => {
                let (args, anc) = self.process_args(args)?;
                let p = self.process(*p)?;
                let mut n = Node::new(Kind::Function(Box::new(p), args), pos);
                n.seeking_parent = anc;
                n
            }
            Kind::Partial(p, args) => {
                let (args, anc) = self.process_args(args)?;
                let p = self.process(*p)?;
                let mut n = Node::new(Kind::Partial(Box::new(p), args), pos);
                n.seeking_parent = anc;
                n
            }
            Kind::Lambda(mut def) => {
                let body = std::mem::replace(&mut def.body, Node::new(Kind::Null, pos));
                let body = self.process(body)?;
                def.body = tail_call_optimize(body);
                Node::new(Kind::Lambda(def), pos)
            }
            Kind::Condition(c, t, e) => {
                let c = self.process(*c)?;
                let t = self.process(*t)?;
                let e = match e {
                    Some(e) => Some(Box::new(self.process(*e)?)),
                    None => None,
                };
                let mut n = Node::new(Kind::Null, pos);
                push_ancestry(&mut n, &c);
                push_ancestry(&mut n, &t);
                if let Some(e) = &e {
                    push_ancestry(&mut n, e);
                }
                n.kind = Kind::Condition(Box::new(c), Box::new(t), e);
                n
            }
            Kind::Transform(p, u, d) => {
                let p = self.process(*p)?;
                let u = self.process(*u)?;
                let d = match d {
                    Some(d) => Some(Box::new(self.process(*d)?)),
                    None => None,
                };
                Node::new(Kind::Transform(Box::new(p), Box::new(u), d), pos)
            }
            Kind::Block(items) => {
                let mut n = Node::new(Kind::Null, pos);
                let mut out = Vec::with_capacity(items.len());
                for i in items {
                    let part = self.process(i)?;
                    push_ancestry(&mut n, &part);
                    if part.consarray
                        || matches!(&part.kind, Kind::Path(s) if s.first().is_some_and(|f| f.consarray))
                    {
                        n.consarray = true;
                    }
                    out.push(part);
                }
                n.block_binds = out.iter().any(Node::binds_in_frame);
                n.kind = Kind::Block(out);
                n
            }
            Kind::Name(name) => {
                let ksa = keep_array;
                let mut step = Node::new(Kind::Name(name), pos);
                step.keep_array = keep_array;
                let mut p = Node::new(Kind::Path(vec![step]), pos);
                p.keep_singleton_array = ksa;
                p
            }
            Kind::Parent(_) => {
                let id = self.slots.len();
                self.slots.push(Slot {
                    label: format!("!{id}"),
                    level: 1,
                });
                Node::new(Kind::Parent(id), pos)
            }
            Kind::RawOp(op) => match op {
                "and" | "or" | "in" => {
                    let mut step = Node::new(Kind::Name(op.into()), pos);
                    step.keep_array = keep_array;
                    Node::new(Kind::Path(vec![step]), pos)
                }
                "?" => Node::new(Kind::Placeholder, pos),
                _ => {
                    return Err(err("S0201", format!("Syntax error: {op}"))
                        .at(pos)
                        .token(op));
                }
            },
            other => Node::new(other, pos),
        };
        if keep_array {
            result.keep_array = true;
        }
        self.depth -= 1;
        Ok(result)
    }

    fn process_args(&mut self, args: Vec<Node>) -> JResult<(Vec<Node>, Vec<usize>)> {
        let mut holder = Node::new(Kind::Null, 0);
        let mut out = Vec::with_capacity(args.len());
        for a in args {
            let a = self.process(a)?;
            push_ancestry(&mut holder, &a);
            out.push(a);
        }
        Ok((out, holder.seeking_parent))
    }

    fn seek_parent(&mut self, node: &mut Node, slot: usize) -> JResult<usize> {
        match &mut node.kind {
            Kind::Name(_) | Kind::Wildcard => {
                self.slots[slot].level -= 1;
                if self.slots[slot].level == 0 {
                    if let Some(existing) = node.ancestor {
                        // Reuse the label already bound at this step.
                        self.slots[slot].label = self.slots[existing].label.clone();
                    }
                    node.ancestor = Some(slot);
                    node.tuple = true;
                }
            }
            Kind::Parent(_) => {
                self.slots[slot].level += 1;
            }
            Kind::Block(items) => {
                if let Some(last) = items.last_mut() {
                    node.tuple = true;
                    return self.seek_parent(last, slot);
                }
            }
            Kind::Path(steps) => {
                node.tuple = true;
                let mut index = steps.len() as isize - 1;
                if index >= 0 {
                    self.seek_parent(&mut steps[index as usize], slot)?;
                    index -= 1;
                    while self.slots[slot].level > 0 && index >= 0 {
                        self.seek_parent(&mut steps[index as usize], slot)?;
                        index -= 1;
                    }
                }
            }
            _ => {
                return Err(err(
                    "S0217",
                    "The object representing the 'parent' cannot be derived from this expression",
                )
                .at(node.pos)
                .token(node.type_name()));
            }
        }
        Ok(slot)
    }

    fn resolve_ancestry(&mut self, path: &mut Node) -> JResult<()> {
        let Kind::Path(steps) = &mut path.kind else {
            return Ok(());
        };
        let Some(last) = steps.last() else {
            return Ok(());
        };
        let mut slots = last.seeking_parent.clone();
        let _ = &mut slots;
        if let Kind::Parent(s) = last.kind {
            slots.push(s);
        }
        let mut escaping = Vec::new();
        for slot in slots {
            let mut index = steps.len() as isize - 2;
            while self.slots[slot].level > 0 {
                if index < 0 {
                    escaping.push(slot);
                    break;
                }
                let mut i = index as usize;
                index -= 1;
                // Contiguous steps that bind the focus are skipped together.
                while index >= 0
                    && steps[i].focus.is_some()
                    && steps[index as usize].focus.is_some()
                {
                    i = index as usize;
                    index -= 1;
                }
                self.seek_parent(&mut steps[i], slot)?;
            }
        }
        path.seeking_parent.extend(escaping);
        Ok(())
    }
}

fn unreachable_path<T>() -> JResult<T> {
    Err(err("S0201", "internal: malformed path"))
}

/// Runs `f` on the last step of a path, or on the expression itself when it is not a path.
fn with_last_step<R>(result: &mut Node, f: impl FnOnce(&mut Node) -> R) -> R {
    if let Kind::Path(steps) = &mut result.kind
        && let Some(step) = steps.last_mut()
    {
        return f(step);
    }
    f(result)
}

/// Marks the paths the evaluator may take its fast path on (see `Node::simple_path`).
fn mark_simple_paths(node: &mut Node) {
    let simple = match &node.kind {
        Kind::Path(steps) => {
            !node.keep_singleton_array
                && !node.keep_array
                && !node.tuple
                && node.group.is_none()
                && node.predicate.is_empty()
                && steps.first().is_some_and(|s| !s.consarray)
                && steps.iter().all(|s| {
                    !s.tuple
                        && !s.keep_array
                        && s.focus.is_none()
                        && s.index.is_none()
                        && s.ancestor.is_none()
                        && !matches!(s.kind, Kind::Sort(_))
                        && s.stages.iter().all(|st| matches!(st, Stage::Filter(_)))
                })
        }
        _ => false,
    };
    node.simple_path = simple;
    node.field_path = simple
        && matches!(&node.kind, Kind::Path(steps) if steps.iter().all(|s| {
            matches!(s.kind, Kind::Name(_))
                && s.stages.is_empty()
                && s.predicate.is_empty()
                && s.group.is_none()
        }));
    for_each_child(node, &mut mark_simple_paths);
}

fn for_each_child(node: &mut Node, f: &mut dyn FnMut(&mut Node)) {
    for st in node.predicate.iter_mut().chain(node.stages.iter_mut()) {
        if let Stage::Filter(p) = st {
            f(p);
        }
    }
    if let Some(g) = &mut node.group {
        for (k, v) in g.0.iter_mut() {
            f(k);
            f(v);
        }
    }
    match &mut node.kind {
        Kind::Path(items) | Kind::Array(items) | Kind::Block(items) => items.iter_mut().for_each(f),
        Kind::Binary(_, l, r) | Kind::Apply(l, r) => {
            f(l);
            f(r);
        }
        Kind::Bind(_, e) | Kind::Neg(e) => f(e),
        Kind::Object(pairs) => {
            for (k, v) in pairs.iter_mut() {
                f(k);
                f(v);
            }
        }
        Kind::Condition(c, t, e) => {
            f(c);
            f(t);
            if let Some(e) = e {
                f(e);
            }
        }
        Kind::Function(p, args) | Kind::Partial(p, args) => {
            f(p);
            args.iter_mut().for_each(f);
        }
        Kind::Lambda(def) => f(&mut def.body),
        Kind::Transform(p, u, d) => {
            f(p);
            f(u);
            if let Some(d) = d {
                f(d);
            }
        }
        Kind::Sort(terms) => terms.iter_mut().for_each(|t| f(&mut t.expr)),
        _ => {}
    }
}

fn push_ancestry(result: &mut Node, value: &Node) {
    result
        .seeking_parent
        .extend(value.seeking_parent.iter().copied());
    if let Kind::Parent(s) = value.kind {
        result.seeking_parent.push(s);
    }
}

fn tail_call_optimize(mut expr: Node) -> Node {
    match expr.kind {
        Kind::Function(..) if expr.predicate.is_empty() => {
            let pos = expr.pos;
            Node::new(
                Kind::Lambda(Box::new(LambdaDef {
                    params: Vec::new(),
                    signature: None,
                    body: expr,
                    thunk: true,
                })),
                pos,
            )
        }
        Kind::Condition(c, t, e) => {
            let t = Box::new(tail_call_optimize(*t));
            let e = e.map(|e| Box::new(tail_call_optimize(*e)));
            expr.kind = Kind::Condition(c, t, e);
            expr
        }
        Kind::Block(mut items) => {
            if let Some(last) = items.pop() {
                items.push(tail_call_optimize(last));
            }
            expr.kind = Kind::Block(items);
            expr
        }
        other => {
            expr.kind = other;
            expr
        }
    }
}
