//! JSON nodes → the typed [`model`](crate::model), checking every field on the way.
//!
//! Owns the field-level rules of ASL: which fields each state type and query language allows,
//! their JSON types and ranges, required fields, duplicate keys, path and template syntax,
//! Choice rule shape, Retry/Catch fields (with AWS's defaults), Wait timestamps. Problems become
//! [`Diagnostic`]s and parsing goes on, so one pass reports everything; a field that is wrong is
//! left out of the model (or replaced by a harmless stand-in, e.g. a state of unknown `Type` is
//! kept as a Pass so the graph still draws).
//!
//! Not owned here: rules that need the whole machine (targets, reachability, unique names across
//! branches, Retry/Catch ordering) — [`crate::validate`] checks those on the model.

use std::sync::Arc;

use indexmap::IndexMap;
use rustc_hash::FxHashMap;

use crate::diag::{Code, Diagnostic, pointer_segment};
use crate::error::ErrorName;
use crate::intrinsics::{Call, IntrinsicErrorKind};
use crate::model::*;
use crate::path::Path;
use crate::source::Span;
use crate::syntax::{Kind, Member, Node};
use crate::template::Template;

/// Largest value AWS accepts for most integer fields (TimeoutSeconds, MaxAttempts, Seconds…).
const MAX_INT: u64 = 99_999_999;
/// Largest `MaxDelaySeconds` (one year).
const MAX_DELAY: u64 = 31_622_400;

/// Reads a parsed definition. `machine` is `None` only when the root is not a JSON object.
pub fn parse(root: &Node) -> (Option<StateMachine>, Vec<Diagnostic>) {
    let mut cx = Cx {
        diags: Vec::new(),
        machine_ql: QueryLanguage::JsonPath,
    };
    let machine = cx.machine(root);
    (machine, cx.diags)
}

/// The text of a `{% … %}` string, if it is one (a whole string, nothing outside the marks).
pub fn jsonata_text(s: &str) -> Option<&str> {
    if s.len() >= 4 && s.starts_with("{%") && s.ends_with("%}") {
        s.get(2..s.len() - 2)
    } else {
        None
    }
}

/// What a JSONata expression reads at its top level when that is certainly unsupported: the whole
/// expression is `$`, `$$`, a `$.`/`$$.` path or a bare field name. (AWS also rejects field names
/// deeper inside; finding those needs a JSONata parser, which the core does not have yet.)
pub fn unsupported_top_level(expr: &str) -> Option<&str> {
    let e = expr.trim();
    let head = e.split(['.', '[']).next().unwrap_or(e);
    let ident = |s: &str| {
        s.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    match head {
        "$" | "$$" => Some(head),
        "true" | "false" | "null" | "and" | "or" | "in" | "function" => None,
        h if ident(h) => Some(h),
        _ => None,
    }
}

/// RFC 3339 `date-time` (`2016-03-14T01:59:00Z`, `…T01:59:00.123+01:00`), as AWS checks `Timestamp`.
pub fn is_rfc3339(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = b.get(r)?;
        if part.iter().all(u8::is_ascii_digit) {
            Some(part.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
        } else {
            None
        }
    };
    let (Some(year), Some(month), Some(day), Some(hour), Some(min), Some(sec)) = (
        digits(0..4),
        digits(5..7),
        digits(8..10),
        digits(11..13),
        digits(14..16),
        digits(17..19),
    ) else {
        return false;
    };
    if b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't')
        || b[13] != b':'
        || b[16] != b':'
    {
        return false;
    }
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    if day == 0 || day > days || hour > 23 || min > 59 || sec > 60 {
        return false;
    }
    let mut rest = &s[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let n = frac.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return false;
        }
        rest = &frac[n..];
    }
    match rest.as_bytes() {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => {
            [h1, h2, m1, m2].iter().all(|d| d.is_ascii_digit())
                && (h1 - b'0') * 10 + (h2 - b'0') <= 23
                && (m1 - b'0') * 10 + (m2 - b'0') <= 59
        }
        _ => false,
    }
}

struct Cx {
    diags: Vec<Diagnostic>,
    machine_ql: QueryLanguage,
}

/// The state types, for field tables.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ty {
    Pass,
    Task,
    Choice,
    Wait,
    Succeed,
    Fail,
    Parallel,
    Map,
}

impl Ty {
    fn from_name(s: &str) -> Option<Ty> {
        Some(match s {
            "Pass" => Ty::Pass,
            "Task" => Ty::Task,
            "Choice" => Ty::Choice,
            "Wait" => Ty::Wait,
            "Succeed" => Ty::Succeed,
            "Fail" => Ty::Fail,
            "Parallel" => Ty::Parallel,
            "Map" => Ty::Map,
            _ => return None,
        })
    }

    /// Fields this state type allows (in one query language or the other).
    fn fields(self) -> &'static [&'static str] {
        match self {
            Ty::Pass => &[
                "Type",
                "Comment",
                "QueryLanguage",
                "Next",
                "End",
                "InputPath",
                "OutputPath",
                "Parameters",
                "ResultPath",
                "Result",
                "Assign",
                "Output",
            ],
            Ty::Task => &[
                "Type",
                "Comment",
                "QueryLanguage",
                "Next",
                "End",
                "InputPath",
                "OutputPath",
                "Parameters",
                "ResultSelector",
                "ResultPath",
                "Resource",
                "Arguments",
                "Retry",
                "Catch",
                "TimeoutSeconds",
                "TimeoutSecondsPath",
                "HeartbeatSeconds",
                "HeartbeatSecondsPath",
                "Credentials",
                "Assign",
                "Output",
            ],
            Ty::Choice => &[
                "Type",
                "Comment",
                "QueryLanguage",
                "Choices",
                "Default",
                "InputPath",
                "OutputPath",
                "Assign",
                "Output",
            ],
            Ty::Wait => &[
                "Type",
                "Comment",
                "QueryLanguage",
                "Next",
                "End",
                "InputPath",
                "OutputPath",
                "Seconds",
                "SecondsPath",
                "Timestamp",
                "TimestampPath",
                "Assign",
                "Output",
            ],
            Ty::Succeed => &[
                "Type",
                "Comment",
                "QueryLanguage",
                "InputPath",
                "OutputPath",
                "Output",
            ],
            Ty::Fail => &[
                "Type",
                "Comment",
                "QueryLanguage",
                "Error",
                "ErrorPath",
                "Cause",
                "CausePath",
            ],
            Ty::Parallel => &[
                "Type",
                "Comment",
                "QueryLanguage",
                "Next",
                "End",
                "InputPath",
                "OutputPath",
                "Parameters",
                "ResultSelector",
                "ResultPath",
                "Arguments",
                "Branches",
                "Retry",
                "Catch",
                "Assign",
                "Output",
            ],
            Ty::Map => &[
                "Type",
                "Comment",
                "QueryLanguage",
                "Next",
                "End",
                "InputPath",
                "OutputPath",
                "Parameters",
                "ResultSelector",
                "ResultPath",
                "Retry",
                "Catch",
                "Assign",
                "Output",
                "ItemProcessor",
                "Iterator",
                "ItemsPath",
                "Items",
                "ItemSelector",
                "ItemReader",
                "ItemBatcher",
                "ResultWriter",
                "MaxConcurrency",
                "MaxConcurrencyPath",
                "ToleratedFailureCount",
                "ToleratedFailureCountPath",
                "ToleratedFailurePercentage",
                "ToleratedFailurePercentagePath",
                "Label",
            ],
        }
    }
}

/// The query language a field belongs to, when it belongs to only one.
fn field_language(field: &str) -> Option<QueryLanguage> {
    match field {
        "InputPath"
        | "OutputPath"
        | "Parameters"
        | "ResultSelector"
        | "ResultPath"
        | "Result"
        | "ItemsPath"
        | "SecondsPath"
        | "TimestampPath"
        | "TimeoutSecondsPath"
        | "HeartbeatSecondsPath"
        | "MaxConcurrencyPath"
        | "ToleratedFailureCountPath"
        | "ToleratedFailurePercentagePath"
        | "ErrorPath"
        | "CausePath"
        | "Variable"
        | "MaxItemsPerBatchPath"
        | "MaxInputBytesPerBatchPath" => Some(QueryLanguage::JsonPath),
        "Arguments" | "Output" | "Condition" | "Items" => Some(QueryLanguage::Jsonata),
        _ => None,
    }
}

fn ql_name(ql: QueryLanguage) -> &'static str {
    match ql {
        QueryLanguage::JsonPath => "JSONPath",
        QueryLanguage::Jsonata => "JSONata",
    }
}

/// For each member, whether an earlier member has the same key. Pairwise for small objects (no
/// allocation but the result), hashed for big ones so a 10,000-key `Result` stays linear.
fn repeats(members: &[Member]) -> Vec<bool> {
    if members.len() <= 16 {
        return (0..members.len())
            .map(|i| members[..i].iter().any(|o| o.key == members[i].key))
            .collect();
    }
    let mut seen = rustc_hash::FxHashSet::default();
    seen.reserve(members.len());
    members
        .iter()
        .map(|m| !seen.insert(m.key.as_str()))
        .collect()
}

/// The pointer of the innermost member or item of `node` whose key or value contains `span`.
fn pointer_to(node: &Node, span: Span, ptr: &str) -> String {
    let inside = |s: Span| s.start <= span.start && span.end <= s.end;
    match &node.kind {
        Kind::Object(members) => {
            for m in members {
                if inside(m.key_span) || inside(m.value.span) {
                    return pointer_to(&m.value, span, &child(ptr, &m.key));
                }
            }
        }
        Kind::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                if inside(item.span) {
                    return pointer_to(item, span, &index(ptr, i));
                }
            }
        }
        _ => {}
    }
    ptr.to_string()
}

/// One step of a pointer inside a free-form value, joined only on error ([`seg_ptr`]).
#[derive(Clone, Copy)]
enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

fn seg_ptr(root: &str, segs: &[Seg]) -> String {
    let mut p = root.to_string();
    for s in segs {
        match s {
            Seg::Key(k) => p = child(&p, k),
            Seg::Index(i) => p = index(&p, *i),
        }
    }
    p
}

fn child(ptr: &str, key: &str) -> String {
    format!("{ptr}/{}", pointer_segment(key))
}

fn index(ptr: &str, i: usize) -> String {
    format!("{ptr}/{i}")
}

/// A JSON pointer `parent/key`, formatted only when a diagnostic needs it (most fields are fine,
/// and building every pointer eagerly was a third of the parse time). An empty key means `parent`.
#[derive(Clone, Copy)]
struct Ptr<'a>(&'a str, &'a str);

impl Ptr<'_> {
    fn s(self) -> String {
        if self.1.is_empty() {
            self.0.to_string()
        } else {
            child(self.0, self.1)
        }
    }
}

/// An object's members with duplicates resolved (the last one wins, as in AWS).
struct Fields<'a> {
    members: Vec<&'a Member>,
    ptr: String,
    /// Where "missing field" errors point: the object's key, or its opening brace.
    anchor: Span,
}

impl<'a> Fields<'a> {
    fn get(&self, key: &str) -> Option<&'a Member> {
        self.members.iter().rev().find(|m| m.key == key).copied()
    }

    fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    fn ptr(&self, key: &str) -> String {
        child(&self.ptr, key)
    }
}

impl Cx {
    fn push(&mut self, code: Code, message: impl Into<String>, ptr: &str, span: Span) {
        self.diags.push(Diagnostic::new(code, message, ptr, span));
    }

    /// The node as an object, reporting duplicates with `dup_code`; `None` (and a diagnostic) if
    /// it is not an object.
    fn fields<'a>(
        &mut self,
        node: &'a Node,
        ptr: &str,
        anchor: Span,
        what: &str,
        dup_code: Code,
    ) -> Option<Fields<'a>> {
        let Kind::Object(members) = &node.kind else {
            let code = if ptr.is_empty() {
                Code::NotAnObject
            } else {
                Code::WrongType
            };
            self.push(
                code,
                format!("{what} must be a JSON object, not {}", article(node)),
                ptr,
                node.span,
            );
            return None;
        };
        // Index of the last member with each key (the one that counts). Small objects — nearly all
        // of them — are checked pairwise; a hash map pays off only for big ones such as `States`.
        let mut last_of: Vec<usize> = (0..members.len()).collect();
        if members.len() <= 16 {
            for i in 0..members.len() {
                if let Some(j) = (0..i).rev().find(|&j| members[j].key == members[i].key) {
                    last_of[j] = i;
                }
            }
        } else {
            let mut seen: FxHashMap<&str, usize> = FxHashMap::default();
            seen.reserve(members.len());
            for (i, m) in members.iter().enumerate() {
                if let Some(j) = seen.insert(m.key.as_str(), i) {
                    last_of[j] = i;
                }
            }
        }
        let mut keep = Vec::with_capacity(members.len());
        for (i, m) in members.iter().enumerate() {
            if last_of[i] == i {
                keep.push(m);
            }
        }
        if keep.len() < members.len() {
            // Report every occurrence after the first, in source order.
            let repeated = repeats(members);
            for (i, m) in members.iter().enumerate() {
                if repeated[i] {
                    let msg = if dup_code == Code::DuplicateStateName {
                        format!(
                            "Duplicate State name: '{}' (only the last definition would be used)",
                            m.key
                        )
                    } else {
                        format!(
                            "duplicate key '{}' (only the last one would be used)",
                            m.key
                        )
                    };
                    self.push(dup_code, msg, &child(ptr, &m.key), m.key_span);
                }
            }
        }
        Some(Fields {
            members: keep,
            ptr: ptr.to_string(),
            anchor,
        })
    }

    /// Duplicate keys anywhere inside a free-form value (templates, Result, ReaderConfig).
    fn check_duplicates(&mut self, node: &Node, ptr: &str) {
        let mut segs = Vec::new();
        self.duplicates_in(node, ptr, &mut segs);
    }

    fn duplicates_in<'n>(&mut self, node: &'n Node, root: &str, segs: &mut Vec<Seg<'n>>) {
        match &node.kind {
            Kind::Object(members) => {
                // Small objects (nearly all) are checked pairwise without allocating.
                let repeated = (members.len() > 16).then(|| repeats(members));
                for (i, m) in members.iter().enumerate() {
                    segs.push(Seg::Key(&m.key));
                    let repeat = match &repeated {
                        Some(r) => r[i],
                        None => members[..i].iter().any(|o| o.key == m.key),
                    };
                    if repeat {
                        let msg = format!(
                            "duplicate key '{}' (only the last one would be used)",
                            m.key
                        );
                        self.push(Code::DuplicateKey, msg, &seg_ptr(root, segs), m.key_span);
                    }
                    self.duplicates_in(&m.value, root, segs);
                    segs.pop();
                }
            }
            Kind::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    segs.push(Seg::Index(i));
                    self.duplicates_in(item, root, segs);
                    segs.pop();
                }
            }
            _ => {}
        }
    }

    fn wrong_type(&mut self, m: &Member, ptr: &str, expected: &str) {
        self.push(
            Code::WrongType,
            format!(
                "field '{}' must be {expected}, not {}",
                m.key,
                article(&m.value)
            ),
            ptr,
            m.value.span,
        );
    }

    /// A required, non-empty array field (`Choices`, `Branches`): its items and pointer, or
    /// `None` after reporting it missing, of the wrong type (`expected`) or empty (`empty`).
    fn non_empty_list<'a>(
        &mut self,
        f: &Fields<'a>,
        key: &str,
        expected: &str,
        empty: &str,
    ) -> Option<(&'a [Node], String)> {
        let Some(m) = f.get(key) else {
            self.missing(f, key);
            return None;
        };
        let ptr = f.ptr(key);
        match m.value.as_array() {
            None => self.wrong_type(m, &ptr, expected),
            Some([]) => self.push(Code::EmptyList, empty, &ptr, m.value.span),
            Some(items) => return Some((items, ptr)),
        }
        None
    }

    fn missing(&mut self, f: &Fields, names: &str) {
        self.push(
            Code::MissingField,
            format!("The field '{names}' is required but was missing"),
            &f.ptr,
            f.anchor,
        );
    }

    /// A string field, with its pointer (built only if a diagnostic needs it).
    fn string<'f>(&mut self, f: &'f Fields, key: &'f str) -> Option<(Spanned<Arc<str>>, Ptr<'f>)> {
        let m = f.get(key)?;
        match &m.value.kind {
            Kind::String(s) => Some((
                Spanned::new(Arc::from(s.as_str()), m.value.span),
                Ptr(&f.ptr, key),
            )),
            _ => {
                self.wrong_type(m, &f.ptr(key), "a string");
                None
            }
        }
    }

    fn comment(&mut self, f: &Fields) -> Option<String> {
        self.string(f, "Comment").map(|(s, _)| s.value.to_string())
    }

    /// An integer field in `min..=max`, with `code` for out-of-range values.
    fn int(&mut self, m: &Member, ptr: &str, min: u64, max: u64, code: Code) -> Option<u64> {
        let Kind::Number(n) = &m.value.kind else {
            self.wrong_type(m, ptr, "an integer");
            return None;
        };
        let range = || {
            format!(
                "field '{}' must be an integer from {min} to {max}, not {n}",
                m.key
            )
        };
        if let Some(v) = n.as_u64() {
            if v < min || v > max {
                self.push(code, range(), ptr, m.value.span);
                return None;
            }
            return Some(v);
        }
        if n.as_i64().is_some() || n.as_f64().is_some_and(|f| f.fract() == 0.0) {
            self.push(code, range(), ptr, m.value.span);
        } else {
            self.push(
                Code::WrongType,
                format!("field '{}' must be an integer, not {n}", m.key),
                ptr,
                m.value.span,
            );
        }
        None
    }

    fn path(
        &mut self,
        text: &str,
        span: Span,
        ptr: Ptr,
        field: &str,
        reference: bool,
    ) -> Option<Path> {
        match Path::parse(text) {
            Ok(p) => {
                if reference && !p.is_reference() {
                    self.push(
                        Code::InvalidReferencePath,
                        format!("The value for the field '{field}' must be a valid Reference Path (one value, no wildcards, filters or slices): {text}"),
                        &ptr.s(),
                        span,
                    );
                    return None;
                }
                Some(p)
            }
            Err(e) => {
                // Point into the string: +1 for the opening quote (exact when the text has no escapes).
                let at = (span.start as usize + 1 + e.offset)
                    .min(span.end.saturating_sub(1) as usize) as u32;
                let at = if span.is_empty() {
                    span.start
                } else {
                    at.max(span.start)
                };
                self.push(
                    Code::InvalidJsonPath,
                    format!(
                        "The value for the field '{field}' must be a valid JSONPath: {} ({text})",
                        e.message
                    ),
                    &ptr.s(),
                    Span::new(at, span.end.max(at)),
                );
                None
            }
        }
    }

    /// A path-valued field (`…Path`, Variable).
    fn path_field(&mut self, f: &Fields, key: &str, reference: bool) -> Option<Spanned<Path>> {
        let (s, ptr) = self.string(f, key)?;
        let p = self.path(&s.value, s.span, ptr, key, reference)?;
        Some(Spanned::new(p, s.span))
    }

    /// `InputPath` / `ResultPath` / `OutputPath`: a path or null.
    fn nullable_path(&mut self, f: &Fields, key: &str, reference: bool) -> Option<NullablePath> {
        let m = f.get(key)?;
        if m.value.kind == Kind::Null {
            return Some(NullablePath::Null(m.value.span));
        }
        self.path_field(f, key, reference).map(NullablePath::Path)
    }

    fn jsonata(&mut self, s: &str, span: Span, ptr: &str) -> Option<Jsonata> {
        let inner = jsonata_text(s)?;
        self.check_jsonata(inner, span, ptr);
        Some(Jsonata {
            source: Arc::from(inner),
            span,
        })
    }

    /// The static checks AWS makes on an expression (without a JSONata parser: see
    /// [`unsupported_top_level`]).
    fn check_jsonata(&mut self, inner: &str, span: Span, ptr: &str) {
        if inner.trim().is_empty() {
            self.push(
                Code::InvalidJsonata,
                "empty JSONata expression: write an expression between {% and %}",
                ptr,
                span,
            );
        } else if let Some(name) = unsupported_top_level(inner) {
            self.push(
                Code::UnsupportedJsonata,
                format!(
                    "Reference to '{name}' at the top level is not supported: read the input as $states.input"
                ),
                ptr,
                span,
            );
        }
    }

    /// A field that is a literal, its `…Path` twin (JSONPath) or a JSONata expression.
    fn dynamic<T>(
        &mut self,
        f: &Fields,
        ql: QueryLanguage,
        key: &str,
        path_key: &str,
        literal: impl FnOnce(&mut Cx, &Member, &str) -> Option<T>,
    ) -> Option<Dynamic<T>> {
        if f.has(key) && f.has(path_key) {
            let m = f.get(path_key)?;
            self.push(
                Code::MutuallyExclusiveFields,
                format!("fields '{key}' and '{path_key}' are mutually exclusive"),
                &f.ptr(path_key),
                m.key_span,
            );
        }
        if let Some(m) = f.get(key) {
            let ptr = f.ptr(key);
            if ql == QueryLanguage::Jsonata
                && let Some(s) = m.value.as_str()
                && jsonata_text(s).is_some()
            {
                return self.jsonata(s, m.value.span, &ptr).map(Dynamic::Jsonata);
            }
            return literal(self, m, &ptr).map(|v| Dynamic::Literal(Spanned::new(v, m.value.span)));
        }
        if ql == QueryLanguage::JsonPath && f.has(path_key) {
            // AWS documents intrinsic calls for ErrorPath/CausePath; they are accepted in every
            // `…Path` twin rather than reject a definition AWS may take (the executor evaluates them).
            if let Some(m) = f.get(path_key)
                && let Some(s) = m.value.as_str()
                && Call::looks_like_call(s)
            {
                return self
                    .call(s, m.value.span, &f.ptr(path_key), path_key)
                    .map(Dynamic::Call);
            }
            return self.path_field(f, path_key, false).map(Dynamic::Path);
        }
        None
    }

    /// An intrinsic call written directly as a field value (`ErrorPath`, `CausePath`).
    fn call(
        &mut self,
        text: &str,
        span: Span,
        ptr: &str,
        field: &str,
    ) -> Option<Spanned<Box<Call>>> {
        match Call::parse(text) {
            Ok(c) => Some(Spanned::new(Box::new(c), span)),
            Err(e) => {
                let code = match e.kind {
                    IntrinsicErrorKind::UnknownFunction => Code::UnknownIntrinsic,
                    IntrinsicErrorKind::InvalidPath => Code::InvalidJsonPath,
                    IntrinsicErrorKind::Syntax | IntrinsicErrorKind::WrongArity => {
                        Code::InvalidIntrinsicCall
                    }
                };
                let at = (span.start as usize + 1 + e.offset)
                    .min(span.end.saturating_sub(1) as usize) as u32;
                let at = at.max(span.start);
                self.push(
                    code,
                    format!(
                        "Invalid intrinsic function call in '{field}': {}",
                        e.message
                    ),
                    ptr,
                    Span::new(at, span.end.max(at)),
                );
                None
            }
        }
    }

    /// A payload template field (Parameters, ResultSelector, ItemSelector, Arguments, Output, Assign…).
    fn template(&mut self, f: &Fields, key: &str, ql: QueryLanguage) -> Option<Template> {
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

    fn check_assign(&mut self, node: &Node, ptr: &str, ql: QueryLanguage) {
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
    fn no_dollar(&mut self, node: &Node, ptr: &str) {
        let mut segs = Vec::new();
        self.no_dollar_in(node, ptr, &mut segs);
    }

    fn no_dollar_in<'n>(&mut self, node: &'n Node, root: &str, segs: &mut Vec<Seg<'n>>) {
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

    fn compile_template(&mut self, node: &Node, ptr: &str, ql: QueryLanguage) -> Option<Template> {
        crate::parse::wiring::compile_template(self, node, ptr, ql)
    }

    // ---- the machine and its branches ----

    fn machine(&mut self, root: &Node) -> Option<StateMachine> {
        let f = self.fields(
            root,
            "",
            Span::new(root.span.start, root.span.start + 1),
            "Definition",
            Code::DuplicateKey,
        )?;
        if let Some((s, ptr)) = self.string(&f, "QueryLanguage") {
            match &*s.value {
                "JSONPath" => {}
                "JSONata" => self.machine_ql = QueryLanguage::Jsonata,
                other => self.push(
                    Code::InvalidQueryLanguage,
                    format!("QueryLanguage must be 'JSONPath' or 'JSONata', not '{other}'"),
                    &ptr.s(),
                    s.span,
                ),
            }
        }
        let version = self.string(&f, "Version").map(|(s, ptr)| {
            if &*s.value != "1.0" {
                self.push(
                    Code::InvalidValue,
                    format!("Version must be \"1.0\", not \"{}\"", s.value),
                    &ptr.s(),
                    s.span,
                );
            }
            Spanned::new(s.value.to_string(), s.span)
        });
        let timeout_seconds = f.get("TimeoutSeconds").and_then(|m| {
            let v = self.int(
                m,
                &f.ptr("TimeoutSeconds"),
                1,
                MAX_INT,
                Code::InvalidTimeout,
            )?;
            Some(Spanned::new(v, m.value.span))
        });
        let mut root_branch = self.branch_fields(&f, BranchKind::Root);
        root_branch.span = root.span;
        Some(StateMachine {
            root: root_branch,
            version,
            timeout_seconds,
            query_language: self.machine_ql,
            span: root.span,
        })
    }

    fn branch(&mut self, node: &Node, ptr: &str, anchor: Span, kind: BranchKind) -> Option<Branch> {
        let what = match kind {
            BranchKind::Root => "Definition",
            BranchKind::Parallel => "A Parallel branch",
            BranchKind::Processor => "ItemProcessor",
            BranchKind::Iterator => "Iterator",
        };
        let f = self.fields(node, ptr, anchor, what, Code::DuplicateKey)?;
        let mut b = self.branch_fields(&f, kind);
        b.span = node.span;
        Some(b)
    }

    fn branch_fields(&mut self, f: &Fields, kind: BranchKind) -> Branch {
        let allowed: &[&str] = match kind {
            BranchKind::Root => &[
                "StartAt",
                "States",
                "Comment",
                "Version",
                "TimeoutSeconds",
                "QueryLanguage",
            ],
            BranchKind::Parallel => &["StartAt", "States", "Comment"],
            BranchKind::Processor | BranchKind::Iterator => {
                &["StartAt", "States", "Comment", "ProcessorConfig"]
            }
        };
        for m in &f.members {
            if allowed.contains(&m.key.as_str()) {
                continue;
            }
            if m.key == "QueryLanguage"
                && matches!(kind, BranchKind::Processor | BranchKind::Iterator)
            {
                self.push(
                    Code::InvalidQueryLanguage,
                    "QueryLanguage cannot be set on an ItemProcessor: its states use the state machine's language",
                    &f.ptr(&m.key),
                    m.key_span,
                );
            } else {
                self.push(
                    Code::UnknownField,
                    format!("Field '{}' is not supported here", m.key),
                    &f.ptr(&m.key),
                    m.key_span,
                );
            }
        }
        let comment = self.comment(f);
        let start_at = match self.string(f, "StartAt") {
            Some((s, _)) => Target {
                name: s.value,
                span: s.span,
                id: None,
            },
            None => Target {
                name: Arc::from(""),
                span: f.anchor,
                id: None,
            },
        };
        let processor_config = if matches!(kind, BranchKind::Processor | BranchKind::Iterator) {
            self.processor_config(f)
        } else {
            None
        };
        let mut states = IndexMap::new();
        match (f.has("StartAt"), f.has("States")) {
            (false, false) => self.push(
                Code::MissingField,
                "The fields 'StartAt' and 'States' are required but were missing".to_string(),
                &f.ptr,
                f.anchor,
            ),
            (false, true) => self.missing(f, "StartAt"),
            (true, false) => self.missing(f, "States"),
            (true, true) => {}
        }
        if let Some(m) = f.get("States") {
            let ptr = f.ptr("States");
            if let Some(sf) = self.fields(
                &m.value,
                &ptr,
                m.key_span,
                "States",
                Code::DuplicateStateName,
            ) {
                if sf.members.is_empty() {
                    self.push(
                        Code::EmptyList,
                        "States must contain at least one state",
                        &ptr,
                        m.value.span,
                    );
                }
                states.reserve(sf.members.len());
                for sm in &sf.members {
                    let state = self.state(sm, &sf.ptr(&sm.key));
                    states.insert(state.name.clone(), state);
                }
            }
        }
        let mut branch = Branch {
            start_at,
            states,
            comment,
            processor_config,
            span: f.anchor,
        };
        resolve_targets(&mut branch);
        branch
    }

    fn processor_config(&mut self, f: &Fields) -> Option<ProcessorConfig> {
        let m = f.get("ProcessorConfig")?;
        let pf = self.fields(
            &m.value,
            &f.ptr("ProcessorConfig"),
            m.key_span,
            "ProcessorConfig",
            Code::DuplicateKey,
        )?;
        let mut config = ProcessorConfig {
            mode: MapMode::Inline,
            execution_type: None,
        };
        for m in &pf.members {
            if !matches!(m.key.as_str(), "Mode" | "ExecutionType") {
                self.push(
                    Code::UnknownField,
                    format!("Field '{}' is not supported in ProcessorConfig", m.key),
                    &pf.ptr(&m.key),
                    m.key_span,
                );
            }
        }
        if let Some((s, ptr)) = self.string(&pf, "Mode") {
            match &*s.value {
                "INLINE" => {}
                "DISTRIBUTED" => config.mode = MapMode::Distributed,
                other => self.push(
                    Code::InvalidValue,
                    format!("Mode must be INLINE or DISTRIBUTED, not '{other}'"),
                    &ptr.s(),
                    s.span,
                ),
            }
        }
        if let Some((s, ptr)) = self.string(&pf, "ExecutionType") {
            if !matches!(&*s.value, "STANDARD" | "EXPRESS") {
                self.push(
                    Code::InvalidValue,
                    format!(
                        "ExecutionType must be STANDARD or EXPRESS, not '{}'",
                        s.value
                    ),
                    &ptr.s(),
                    s.span,
                );
            }
            config.execution_type = Some(Spanned::new(s.value.to_string(), s.span));
        }
        Some(config)
    }

    // ---- states ----

    fn state(&mut self, member: &Member, ptr: &str) -> State {
        let name: Arc<str> = Arc::from(member.key.as_str());
        let chars = member.key.chars().count();
        if chars == 0 || chars > 80 {
            self.push(
                Code::InvalidStateName,
                format!("State names must be 1 to 80 characters long (this one has {chars})"),
                ptr,
                member.key_span,
            );
        }
        let mut state = State {
            name,
            name_span: member.key_span,
            span: member.value.span,
            comment: None,
            query_language: self.machine_ql,
            kind: StateKind::Pass(Pass::default()),
            transition: Transition::None,
            io: Io::default(),
            assign: None,
            output: None,
        };
        let Some(f) = self.fields(
            &member.value,
            ptr,
            member.key_span,
            "A state",
            Code::DuplicateKey,
        ) else {
            return state;
        };
        state.comment = self.comment(&f);
        // QueryLanguage first: it decides which fields are allowed.
        if let Some((s, qptr)) = self.string(&f, "QueryLanguage") {
            match &*s.value {
                "JSONata" => state.query_language = QueryLanguage::Jsonata,
                "JSONPath" if self.machine_ql == QueryLanguage::Jsonata => self.push(
                    Code::InvalidQueryLanguage,
                    "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine",
                    &qptr.s(),
                    s.span,
                ),
                "JSONPath" => state.query_language = QueryLanguage::JsonPath,
                other => self.push(
                    Code::InvalidQueryLanguage,
                    format!("QueryLanguage must be 'JSONPath' or 'JSONata', not '{other}'"),
                    &qptr.s(),
                    s.span,
                ),
            }
        }
        let ql = state.query_language;
        let ty = match f.get("Type") {
            None => {
                self.missing(&f, "Type");
                None
            }
            Some(m) => match &m.value.kind {
                Kind::String(s) => {
                    let ty = Ty::from_name(s);
                    if ty.is_none() {
                        self.push(
                            Code::InvalidStateType,
                            format!("'{s}' is not a state type: use Pass, Task, Choice, Wait, Succeed, Fail, Parallel or Map"),
                            &f.ptr("Type"),
                            m.value.span,
                        );
                    }
                    ty
                }
                _ => {
                    self.wrong_type(m, &f.ptr("Type"), "a string");
                    None
                }
            },
        };
        // Field checks; fields that fail them are not read further.
        let mut f = f;
        let ptr = f.ptr.as_str();
        f.members.retain(|m| {
            let key = m.key.as_str();
            if let Some(ty) = ty
                && !ty.fields().contains(&key)
            {
                let type_name = ty_name(ty);
                let code = if matches!(key, "Next" | "End") {
                    Code::TerminalTransition
                } else {
                    Code::UnknownField
                };
                let msg = if code == Code::TerminalTransition {
                    format!(
                        "A {type_name} state cannot have '{key}': it ends or branches by itself"
                    )
                } else {
                    format!("Field '{key}' is not supported by a {type_name} state")
                };
                self.push(code, msg, &child(ptr, key), m.key_span);
                return false;
            }
            if let Some(lang) = field_language(key)
                && lang != ql
            {
                self.push(
                    Code::QueryLanguageField,
                    format!(
                        "field '{key}' is only supported for the '{}' QueryLanguage",
                        ql_name(lang)
                    ),
                    &child(ptr, key),
                    m.key_span,
                );
                return false;
            }
            true
        });

        // Transitions.
        if let Some(ty) = ty
            && !matches!(ty, Ty::Choice | Ty::Succeed | Ty::Fail)
        {
            state.transition = self.transition(&f, member.key_span);
        } else if ty.is_none() {
            state.transition = self.transition_lenient(&f);
        }

        // Input/output processing.
        state.io.input_path = self.nullable_path(&f, "InputPath", false);
        state.io.output_path = self.nullable_path(&f, "OutputPath", false);
        state.io.result_path = self.nullable_path(&f, "ResultPath", true);
        if ty != Some(Ty::Map) {
            state.io.parameters = self.template(&f, "Parameters", ql);
        }
        state.io.arguments = self.template(&f, "Arguments", ql);
        state.io.result_selector = self.template(&f, "ResultSelector", ql);
        state.assign = self.template(&f, "Assign", ql);
        state.output = self.template(&f, "Output", ql);

        state.kind = match ty {
            None | Some(Ty::Pass) => StateKind::Pass(self.pass(&f)),
            Some(Ty::Succeed) => StateKind::Succeed,
            Some(Ty::Task) => StateKind::Task(Box::new(self.task(&f, ql))),
            Some(Ty::Choice) => StateKind::Choice(Box::new(self.choice(&f, ql))),
            Some(Ty::Wait) => StateKind::Wait(self.wait(&f, ql)),
            Some(Ty::Fail) => StateKind::Fail(self.fail(&f, ql)),
            Some(Ty::Parallel) => StateKind::Parallel(Box::new(self.parallel(&f, ql))),
            Some(Ty::Map) => StateKind::Map(Box::new(self.map(&f, ql))),
        };
        state
    }

    fn transition(&mut self, f: &Fields, name_span: Span) -> Transition {
        let next = f.get("Next");
        let end = f.get("End");
        let end_true = match end {
            Some(m) => match m.value.kind {
                Kind::Bool(b) => b,
                _ => {
                    self.wrong_type(m, &f.ptr("End"), "a boolean");
                    false
                }
            },
            None => false,
        };
        match (next, end_true) {
            (Some(_), true) => {
                let m = end.unwrap_or_else(|| unreachable_member());
                self.push(
                    Code::NextAndEnd,
                    "A state cannot have both 'Next' and 'End'",
                    &f.ptr("End"),
                    m.key_span,
                );
                self.target(f, "Next")
                    .map_or(Transition::None, Transition::Next)
            }
            (Some(_), false) => self
                .target(f, "Next")
                .map_or(Transition::None, Transition::Next),
            (None, true) => Transition::End(end.map_or(name_span, |m| m.value.span)),
            (None, false) => {
                self.push(
                    Code::MissingNextOrEnd,
                    "This state needs 'Next' (the state to go to) or '\"End\": true'",
                    &f.ptr,
                    name_span,
                );
                Transition::None
            }
        }
    }

    /// Transition of a state whose type is unknown: read what is there, report nothing more.
    fn transition_lenient(&mut self, f: &Fields) -> Transition {
        if f.has("Next") {
            return self
                .target(f, "Next")
                .map_or(Transition::None, Transition::Next);
        }
        match f.get("End") {
            Some(m) if m.value.kind == Kind::Bool(true) => Transition::End(m.value.span),
            _ => Transition::None,
        }
    }

    fn target(&mut self, f: &Fields, key: &str) -> Option<Target> {
        let (s, _) = self.string(f, key)?;
        Some(Target {
            name: s.value,
            span: s.span,
            id: None,
        })
    }

    fn pass(&mut self, f: &Fields) -> Pass {
        let result = f.get("Result").map(|m| {
            let ptr = f.ptr("Result");
            self.check_duplicates(&m.value, &ptr);
            if has_dollar_key(&m.value) {
                self.push(
                    Code::PassResultIsStatic,
                    "Result is never evaluated, so its '.$' keys stay literal (use Parameters to compute values)",
                    &ptr,
                    m.key_span,
                );
            }
            Spanned::new(m.value.to_value(), m.value.span)
        });
        Pass { result }
    }

    fn task(&mut self, f: &Fields, ql: QueryLanguage) -> Task {
        let resource = match self.string(f, "Resource") {
            Some((s, ptr)) => {
                if !s.value.starts_with("arn:") {
                    self.push(
                        Code::InvalidResource,
                        format!(
                            "Resource '{}' is not an ARN (arn:partition:service:…)",
                            s.value
                        ),
                        &ptr.s(),
                        s.span,
                    );
                }
                s
            }
            None => {
                if !f.has("Resource") {
                    self.missing(f, "Resource");
                }
                Spanned::new(Arc::from(""), f.anchor)
            }
        };
        let positive =
            |cx: &mut Cx, m: &Member, ptr: &str| cx.int(m, ptr, 1, MAX_INT, Code::InvalidTimeout);
        let timeout_seconds = self.dynamic(f, ql, "TimeoutSeconds", "TimeoutSecondsPath", positive);
        let heartbeat_seconds =
            self.dynamic(f, ql, "HeartbeatSeconds", "HeartbeatSecondsPath", positive);
        if let (Some(Dynamic::Literal(t)), Some(Dynamic::Literal(h))) =
            (&timeout_seconds, &heartbeat_seconds)
            && h.value >= t.value
        {
            self.push(
                Code::HeartbeatNotBelowTimeout,
                format!(
                    "HeartbeatSeconds ({}) must be smaller than TimeoutSeconds ({})",
                    h.value, t.value
                ),
                &f.ptr("HeartbeatSeconds"),
                h.span,
            );
        }
        let credentials = f.get("Credentials").and_then(|m| {
            let ptr = f.ptr("Credentials");
            if let Some(members) = m.value.as_object() {
                if !members
                    .iter()
                    .any(|c| matches!(c.key.as_str(), "RoleArn" | "RoleArn.$"))
                {
                    self.push(
                        Code::MissingField,
                        "The field 'RoleArn' is required but was missing",
                        &ptr,
                        m.key_span,
                    );
                }
            } else if !(ql == QueryLanguage::Jsonata
                && m.value.as_str().and_then(jsonata_text).is_some())
            {
                self.wrong_type(m, &ptr, "a JSON object");
                return None;
            }
            self.template(f, "Credentials", ql)
        });
        let (retry, catch) = self.retry_catch(f, ql);
        Task {
            resource,
            timeout_seconds,
            heartbeat_seconds,
            retry,
            catch,
            credentials,
        }
    }

    fn retry_catch(&mut self, f: &Fields, ql: QueryLanguage) -> (Vec<Retrier>, Vec<Catcher>) {
        let mut retry = Vec::new();
        if let Some(m) = f.get("Retry") {
            let ptr = f.ptr("Retry");
            match m.value.as_array() {
                None => self.wrong_type(m, &ptr, "an array of Retriers"),
                Some(items) => {
                    for (i, item) in items.iter().enumerate() {
                        if let Some(r) = self.retrier(item, &index(&ptr, i)) {
                            retry.push(r);
                        }
                    }
                }
            }
        }
        let mut catch = Vec::new();
        if let Some(m) = f.get("Catch") {
            let ptr = f.ptr("Catch");
            match m.value.as_array() {
                None => self.wrong_type(m, &ptr, "an array of Catchers"),
                Some(items) => {
                    for (i, item) in items.iter().enumerate() {
                        if let Some(c) = self.catcher(item, &index(&ptr, i), ql) {
                            catch.push(c);
                        }
                    }
                }
            }
        }
        (retry, catch)
    }

    fn error_equals(&mut self, f: &Fields) -> Vec<Spanned<ErrorName>> {
        let Some(m) = f.get("ErrorEquals") else {
            self.missing(f, "ErrorEquals");
            return Vec::new();
        };
        let ptr = f.ptr("ErrorEquals");
        let Some(items) = m.value.as_array() else {
            self.wrong_type(m, &ptr, "an array of error names");
            return Vec::new();
        };
        if items.is_empty() {
            self.push(
                Code::EmptyList,
                "ErrorEquals must list at least one error name",
                &ptr,
                m.value.span,
            );
        }
        let mut names = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            match item.as_str() {
                Some(s) => names.push(Spanned::new(ErrorName::parse(s), item.span)),
                None => self.push(
                    Code::WrongType,
                    format!("error names must be strings, not {}", article(item)),
                    &index(&ptr, i),
                    item.span,
                ),
            }
        }
        if names.len() > 1
            && let Some(all) = names.iter().find(|n| n.value == ErrorName::All)
        {
            self.push(
                Code::StatesAllPosition,
                "'States.ALL' must appear alone in ErrorEquals",
                &ptr,
                all.span,
            );
        }
        names
    }

    fn retrier(&mut self, node: &Node, ptr: &str) -> Option<Retrier> {
        let f = self.fields(
            node,
            ptr,
            Span::new(node.span.start, node.span.start + 1),
            "A Retrier",
            Code::DuplicateKey,
        )?;
        for m in &f.members {
            if !matches!(
                m.key.as_str(),
                "ErrorEquals"
                    | "IntervalSeconds"
                    | "MaxAttempts"
                    | "BackoffRate"
                    | "MaxDelaySeconds"
                    | "JitterStrategy"
                    | "Comment"
            ) {
                self.push(
                    Code::UnknownField,
                    format!("Field '{}' is not supported in a Retrier", m.key),
                    &f.ptr(&m.key),
                    m.key_span,
                );
            }
        }
        self.comment(&f);
        let error_equals = self.error_equals(&f);
        let mut r = Retrier {
            error_equals,
            interval_seconds: 1,
            max_attempts: 3,
            backoff_rate: 2.0,
            max_delay_seconds: None,
            jitter: Jitter::None,
            span: node.span,
        };
        if let Some(m) = f.get("IntervalSeconds") {
            r.interval_seconds = self
                .int(
                    m,
                    &f.ptr("IntervalSeconds"),
                    1,
                    MAX_INT,
                    Code::InvalidIntervalSeconds,
                )
                .unwrap_or(1);
        }
        if let Some(m) = f.get("MaxAttempts") {
            r.max_attempts = self
                .int(
                    m,
                    &f.ptr("MaxAttempts"),
                    0,
                    MAX_INT,
                    Code::InvalidMaxAttempts,
                )
                .unwrap_or(3);
        }
        if let Some(m) = f.get("MaxDelaySeconds") {
            r.max_delay_seconds = self.int(
                m,
                &f.ptr("MaxDelaySeconds"),
                1,
                MAX_DELAY,
                Code::InvalidMaxDelaySeconds,
            );
        }
        if let Some(m) = f.get("BackoffRate") {
            let ptr = f.ptr("BackoffRate");
            match &m.value.kind {
                Kind::Number(n) => match n.as_f64() {
                    Some(v) if v >= 1.0 && v.is_finite() => r.backoff_rate = v,
                    _ => self.push(
                        Code::InvalidBackoffRate,
                        format!("BackoffRate must be at least 1.0, not {n}"),
                        &ptr,
                        m.value.span,
                    ),
                },
                _ => self.wrong_type(m, &ptr, "a number"),
            }
        }
        if let Some((s, ptr)) = self.string(&f, "JitterStrategy") {
            match &*s.value {
                "FULL" => r.jitter = Jitter::Full,
                "NONE" => r.jitter = Jitter::None,
                other => self.push(
                    Code::InvalidJitterStrategy,
                    format!("JitterStrategy must be FULL or NONE, not '{other}'"),
                    &ptr.s(),
                    s.span,
                ),
            }
        }
        Some(r)
    }

    fn catcher(&mut self, node: &Node, ptr: &str, ql: QueryLanguage) -> Option<Catcher> {
        let f = self.fields(
            node,
            ptr,
            Span::new(node.span.start, node.span.start + 1),
            "A Catcher",
            Code::DuplicateKey,
        )?;
        let f = self.only_allowed(
            f,
            &[
                "ErrorEquals",
                "Next",
                "ResultPath",
                "Assign",
                "Output",
                "Comment",
            ],
            ql,
            "a Catcher",
        );
        self.comment(&f);
        let error_equals = self.error_equals(&f);
        let next = match self.target(&f, "Next") {
            Some(t) => t,
            None => {
                if !f.has("Next") {
                    self.missing(&f, "Next");
                }
                Target {
                    name: Arc::from(""),
                    span: f.anchor,
                    id: None,
                }
            }
        };
        Some(Catcher {
            error_equals,
            next,
            result_path: self.nullable_path(&f, "ResultPath", true),
            assign: self.template(&f, "Assign", ql),
            output: self.template(&f, "Output", ql),
            span: node.span,
        })
    }

    fn choice(&mut self, f: &Fields, ql: QueryLanguage) -> Choice {
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

    fn choice_rule(&mut self, node: &Node, ptr: &str, ql: QueryLanguage) -> Option<ChoiceRule> {
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
    fn condition(&mut self, f: &Fields, ql: QueryLanguage, top: bool) -> Condition {
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
                        cond = Some(Condition::Jsonata(Jsonata {
                            source: Arc::from(if *b { "true" } else { "false" }),
                            span: m.value.span,
                        }));
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

    fn operand(&mut self, m: &Member, ptr: &str, op: CompareOp, is_path: bool) -> Option<Operand> {
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

    fn wait(&mut self, f: &Fields, ql: QueryLanguage) -> Wait {
        const FIELDS: [&str; 4] = ["Seconds", "SecondsPath", "Timestamp", "TimestampPath"];
        let present: Vec<&str> = FIELDS.iter().copied().filter(|k| f.has(k)).collect();
        if present.len() != 1 {
            let (msg, span) = if present.is_empty() {
                ("A Wait state needs exactly one of Seconds, SecondsPath, Timestamp or TimestampPath".to_string(), f.anchor)
            } else {
                let m = f.get(present[1]).map_or(f.anchor, |m| m.key_span);
                (
                    format!(
                        "A Wait state needs exactly one of Seconds, SecondsPath, Timestamp or TimestampPath, found {}",
                        present.join(", ")
                    ),
                    m,
                )
            };
            self.push(Code::WaitFieldCount, msg, &f.ptr, span);
        }
        let seconds = |cx: &mut Cx, m: &Member, ptr: &str| {
            cx.int(m, ptr, 0, MAX_INT, Code::InvalidWaitSeconds)
        };
        match present.first() {
            Some(&("Seconds" | "SecondsPath")) => self
                .dynamic(f, ql, "Seconds", "SecondsPath", seconds)
                .map_or(Wait::Missing, Wait::Seconds),
            Some(_) => {
                let timestamp = |cx: &mut Cx, m: &Member, ptr: &str| -> Option<Arc<str>> {
                    let Some(s) = m.value.as_str() else {
                        cx.wrong_type(m, ptr, "an RFC 3339 timestamp string");
                        return None;
                    };
                    if !is_rfc3339(s) {
                        cx.push(
                            Code::InvalidTimestamp,
                            "String does not match RFC3339 timestamp",
                            ptr,
                            m.value.span,
                        );
                        return None;
                    }
                    Some(Arc::from(s))
                };
                self.dynamic(f, ql, "Timestamp", "TimestampPath", timestamp)
                    .map_or(Wait::Missing, Wait::Timestamp)
            }
            None => Wait::Missing,
        }
    }

    fn fail(&mut self, f: &Fields, ql: QueryLanguage) -> Fail {
        let text = |cx: &mut Cx, m: &Member, ptr: &str| -> Option<Arc<str>> {
            let Some(s) = m.value.as_str() else {
                cx.wrong_type(m, ptr, "a string");
                return None;
            };
            if ql == QueryLanguage::JsonPath && (s.starts_with("$.") || s.starts_with("$$.")) {
                cx.push(
                    Code::NoPath,
                    format!("'{s}' looks like a path but '{0}' is literal text: did you mean '{0}Path'?", m.key),
                    ptr,
                    m.value.span,
                );
            }
            Some(Arc::from(s))
        };
        Fail {
            error: self.dynamic(f, ql, "Error", "ErrorPath", text),
            cause: self.dynamic(f, ql, "Cause", "CausePath", text),
        }
    }

    fn parallel(&mut self, f: &Fields, ql: QueryLanguage) -> Parallel {
        let mut branches = Vec::new();
        if let Some((items, ptr)) = self.non_empty_list(
            f,
            "Branches",
            "an array of branches",
            "Branches must contain at least one branch",
        ) {
            for (i, item) in items.iter().enumerate() {
                let anchor = Span::new(item.span.start, item.span.start + 1);
                if let Some(b) = self.branch(item, &index(&ptr, i), anchor, BranchKind::Parallel) {
                    branches.push(b);
                }
            }
        }
        let (retry, catch) = self.retry_catch(f, ql);
        Parallel {
            branches,
            retry,
            catch,
        }
    }

    fn map(&mut self, f: &Fields, ql: QueryLanguage) -> Map {
        let (proc_member, legacy) = match (f.get("ItemProcessor"), f.get("Iterator")) {
            (Some(p), Some(i)) => {
                self.push(
                    Code::MutuallyExclusiveFields,
                    "fields 'ItemProcessor' and 'Iterator' are mutually exclusive (Iterator is the legacy name)",
                    &f.ptr("Iterator"),
                    i.key_span,
                );
                (Some(p), false)
            }
            (Some(p), None) => (Some(p), false),
            (None, Some(i)) => (Some(i), true),
            (None, None) => {
                self.missing(f, "ItemProcessor");
                (None, false)
            }
        };
        let empty_branch = |span| Branch {
            start_at: Target {
                name: Arc::from(""),
                span,
                id: None,
            },
            states: IndexMap::new(),
            comment: None,
            processor_config: None,
            span,
        };
        let processor = match proc_member {
            Some(m) => {
                let kind = if legacy {
                    BranchKind::Iterator
                } else {
                    BranchKind::Processor
                };
                let key = if legacy { "Iterator" } else { "ItemProcessor" };
                self.branch(&m.value, &f.ptr(key), m.key_span, kind)
                    .unwrap_or_else(|| empty_branch(m.value.span))
            }
            None => empty_branch(f.anchor),
        };
        if f.has("Parameters")
            && f.has("ItemSelector")
            && let Some(m) = f.get("Parameters")
        {
            self.push(
                Code::MutuallyExclusiveFields,
                "fields 'ItemSelector' and 'Parameters' are mutually exclusive (Parameters is the legacy name)",
                &f.ptr("Parameters"),
                m.key_span,
            );
        }
        let item_selector = if f.has("ItemSelector") {
            self.template(f, "ItemSelector", ql)
        } else {
            self.template(f, "Parameters", ql)
        };
        let non_negative = |cx: &mut Cx, m: &Member, ptr: &str| {
            cx.int(m, ptr, 0, u64::from(u32::MAX), Code::InvalidMaxConcurrency)
        };
        let max_concurrency =
            self.dynamic(f, ql, "MaxConcurrency", "MaxConcurrencyPath", non_negative);
        let count = |cx: &mut Cx, m: &Member, ptr: &str| {
            cx.int(
                m,
                ptr,
                0,
                u64::from(u32::MAX),
                Code::InvalidToleratedFailure,
            )
        };
        let tolerated_failure_count = self.dynamic(
            f,
            ql,
            "ToleratedFailureCount",
            "ToleratedFailureCountPath",
            count,
        );
        let percentage = |cx: &mut Cx, m: &Member, ptr: &str| -> Option<f64> {
            let Kind::Number(n) = &m.value.kind else {
                cx.wrong_type(m, ptr, "a number");
                return None;
            };
            match n.as_f64() {
                Some(v) if (0.0..=100.0).contains(&v) => Some(v),
                _ => {
                    cx.push(
                        Code::InvalidToleratedFailure,
                        format!("ToleratedFailurePercentage must be from 0 to 100, not {n}"),
                        ptr,
                        m.value.span,
                    );
                    None
                }
            }
        };
        let tolerated_failure_percentage = self.dynamic(
            f,
            ql,
            "ToleratedFailurePercentage",
            "ToleratedFailurePercentagePath",
            percentage,
        );
        let label = self.string(f, "Label").map(|(s, ptr)| {
            let bad = s.value.chars().count() > 40
                || s.value.is_empty()
                || s.value.chars().any(|c| c.is_whitespace() || c.is_control() || "<>{}[]?*\"#%\\^|~`$&,;:/".contains(c));
            if bad {
                self.push(
                    Code::InvalidLabelName,
                    "Label must be 1 to 40 characters with no whitespace, brackets, wildcards, punctuation (\"#%\\^|~`$&,;:/) or control characters",
                    &ptr.s(),
                    s.span,
                );
            }
            Spanned::new(s.value.to_string(), s.span)
        });
        let item_reader = self.item_reader(f, ql);
        let item_batcher = self.item_batcher(f, ql);
        let result_writer = self.result_writer(f, ql);
        let (retry, catch) = self.retry_catch(f, ql);
        Map {
            processor,
            legacy_iterator: legacy,
            items_path: self.nullable_path(f, "ItemsPath", true),
            items: self.template(f, "Items", ql),
            item_selector,
            item_reader,
            item_batcher,
            result_writer,
            max_concurrency,
            tolerated_failure_count,
            tolerated_failure_percentage,
            label,
            retry,
            catch,
        }
    }

    /// Fields of a sub-object (ItemReader, ItemBatcher, ResultWriter), checked against `allowed` and
    /// the query language.
    fn sub_fields<'a>(
        &mut self,
        f: &Fields<'a>,
        key: &str,
        allowed: &[&str],
        ql: QueryLanguage,
    ) -> Option<(Fields<'a>, &'a Member)> {
        let m = f.get(key)?;
        let sf = self.fields(&m.value, &f.ptr(key), m.key_span, key, Code::DuplicateKey)?;
        Some((self.only_allowed(sf, allowed, ql, key), m))
    }

    /// Keeps the members of `f` that are allowed in `place` and in the query language `ql`,
    /// reporting every other one.
    fn only_allowed<'a>(
        &mut self,
        f: Fields<'a>,
        allowed: &[&str],
        ql: QueryLanguage,
        place: &str,
    ) -> Fields<'a> {
        let mut usable = Vec::new();
        for m in &f.members {
            let key = m.key.as_str();
            if !allowed.contains(&key) {
                self.push(
                    Code::UnknownField,
                    format!("Field '{key}' is not supported in {place}"),
                    &f.ptr(key),
                    m.key_span,
                );
            } else if let Some(lang) = field_language(key)
                && lang != ql
            {
                self.push(
                    Code::QueryLanguageField,
                    format!(
                        "field '{key}' is only supported for the '{}' QueryLanguage",
                        ql_name(lang)
                    ),
                    &f.ptr(key),
                    m.key_span,
                );
            } else {
                usable.push(*m);
            }
        }
        Fields {
            members: usable,
            ptr: f.ptr,
            anchor: f.anchor,
        }
    }

    fn item_reader(&mut self, f: &Fields, ql: QueryLanguage) -> Option<ItemReader> {
        let (rf, m) = self.sub_fields(
            f,
            "ItemReader",
            &["Resource", "ReaderConfig", "Parameters", "Arguments"],
            ql,
        )?;
        let resource = match self.string(&rf, "Resource") {
            Some((s, _)) => s,
            None => {
                if !rf.has("Resource") {
                    self.missing(&rf, "Resource");
                }
                Spanned::new(Arc::from(""), rf.anchor)
            }
        };
        let reader_config = self.config(&rf, "ReaderConfig");
        let parameters = self.request_template(&rf, ql);
        Some(ItemReader {
            resource,
            reader_config,
            parameters,
            span: m.value.span,
        })
    }

    /// A `ReaderConfig` / `WriterConfig` object, kept as written (duplicate keys reported).
    fn config(&mut self, f: &Fields, key: &str) -> Option<Spanned<crate::value::Value>> {
        f.get(key).map(|c| {
            self.check_duplicates(&c.value, &f.ptr(key));
            Spanned::new(c.value.to_value(), c.value.span)
        })
    }

    /// An ItemReader's / ResultWriter's request: `Arguments` (JSONata) when present, else
    /// `Parameters`.
    fn request_template(&mut self, f: &Fields, ql: QueryLanguage) -> Option<Template> {
        if f.has("Arguments") {
            self.template(f, "Arguments", ql)
        } else {
            self.template(f, "Parameters", ql)
        }
    }

    fn item_batcher(&mut self, f: &Fields, ql: QueryLanguage) -> Option<ItemBatcher> {
        let allowed = [
            "MaxItemsPerBatch",
            "MaxItemsPerBatchPath",
            "MaxInputBytesPerBatch",
            "MaxInputBytesPerBatchPath",
            "BatchInput",
        ];
        let (bf, m) = self.sub_fields(f, "ItemBatcher", &allowed, ql)?;
        let positive = |cx: &mut Cx, m: &Member, ptr: &str| {
            cx.int(m, ptr, 0, u64::from(u32::MAX), Code::InvalidValue)
        };
        Some(ItemBatcher {
            max_items_per_batch: self.dynamic(
                &bf,
                ql,
                "MaxItemsPerBatch",
                "MaxItemsPerBatchPath",
                positive,
            ),
            max_input_bytes_per_batch: self.dynamic(
                &bf,
                ql,
                "MaxInputBytesPerBatch",
                "MaxInputBytesPerBatchPath",
                positive,
            ),
            batch_input: self.template(&bf, "BatchInput", ql),
            span: m.value.span,
        })
    }

    fn result_writer(&mut self, f: &Fields, ql: QueryLanguage) -> Option<ResultWriter> {
        let (wf, m) = self.sub_fields(
            f,
            "ResultWriter",
            &["Resource", "Parameters", "Arguments", "WriterConfig"],
            ql,
        )?;
        let resource = self.string(&wf, "Resource").map(|(s, _)| s);
        let writer_config = self.config(&wf, "WriterConfig");
        let parameters = self.request_template(&wf, ql);
        Some(ResultWriter {
            resource,
            parameters,
            writer_config,
            span: m.value.span,
        })
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum BranchKind {
    Root,
    Parallel,
    Processor,
    Iterator,
}

fn ty_name(ty: Ty) -> &'static str {
    match ty {
        Ty::Pass => "Pass",
        Ty::Task => "Task",
        Ty::Choice => "Choice",
        Ty::Wait => "Wait",
        Ty::Succeed => "Succeed",
        Ty::Fail => "Fail",
        Ty::Parallel => "Parallel",
        Ty::Map => "Map",
    }
}

fn article(node: &Node) -> &'static str {
    match node.kind {
        Kind::Null => "null",
        Kind::Bool(_) => "a boolean",
        Kind::Number(_) => "a number",
        Kind::String(_) => "a string",
        Kind::Array(_) => "an array",
        Kind::Object(_) => "an object",
    }
}

fn has_dollar_key(node: &Node) -> bool {
    match &node.kind {
        Kind::Object(members) => members
            .iter()
            .any(|m| m.key.ends_with(".$") || has_dollar_key(&m.value)),
        Kind::Array(items) => items.iter().any(has_dollar_key),
        _ => false,
    }
}

#[cold]
fn unreachable_member() -> &'static Member {
    // Only reached if `End` were both present and absent; keeps the caller free of unwrap().
    static EMPTY: std::sync::OnceLock<Member> = std::sync::OnceLock::new();
    EMPTY.get_or_init(|| Member {
        key: String::new(),
        key_span: Span::default(),
        value: Node {
            span: Span::default(),
            kind: Kind::Null,
        },
    })
}

/// Sets `id` on every transition target of the branch's own states (nested branches resolve
/// their own).
fn resolve_targets(branch: &mut Branch) {
    let ids: FxHashMap<Arc<str>, StateId> = branch
        .states
        .keys()
        .enumerate()
        .map(|(i, k)| (k.clone(), i as StateId))
        .collect();
    let resolve = |t: &mut Target| t.id = ids.get(&t.name).copied();
    resolve(&mut branch.start_at);
    for state in branch.states.values_mut() {
        if let Transition::Next(t) = &mut state.transition {
            resolve(t);
        }
        let catch = match &mut state.kind {
            StateKind::Choice(c) => {
                for rule in &mut c.choices {
                    resolve(&mut rule.next);
                }
                if let Some(d) = &mut c.default {
                    resolve(d);
                }
                None
            }
            StateKind::Task(t) => Some(&mut t.catch),
            StateKind::Parallel(p) => Some(&mut p.catch),
            StateKind::Map(m) => Some(&mut m.catch),
            _ => None,
        };
        for c in catch.into_iter().flatten() {
            resolve(&mut c.next);
        }
    }
}

/// Where this module meets [`crate::template`]: compiling a payload template and turning its
/// errors into diagnostics.
mod wiring {
    use super::*;
    use crate::template::TemplateErrorKind;

    pub(super) fn compile_template(
        cx: &mut Cx,
        node: &Node,
        ptr: &str,
        ql: QueryLanguage,
    ) -> Option<Template> {
        match ql {
            QueryLanguage::Jsonata => {
                jsonata_checks(cx, node, ptr);
                Some(Template::compile_jsonata(node))
            }
            QueryLanguage::JsonPath => match Template::compile(node) {
                Ok(t) => Some(t),
                Err(errors) => {
                    for e in errors {
                        let code =
                            match e.kind {
                                TemplateErrorKind::InvalidPath => Code::InvalidJsonPath,
                                TemplateErrorKind::InvalidIntrinsic
                                | TemplateErrorKind::WrongArity => Code::InvalidIntrinsicCall,
                                TemplateErrorKind::UnknownFunction => Code::UnknownIntrinsic,
                                TemplateErrorKind::NotAString
                                | TemplateErrorKind::NotAPathOrCall => Code::InvalidPayloadTemplate,
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
                    cx.check_jsonata(inner, node.span, ptr);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_timestamps() {
        for ok in [
            "2016-03-14T01:59:00Z",
            "2016-03-14T01:59:00.123Z",
            "2016-03-14T01:59:00+01:00",
            "2024-02-29T00:00:00Z",
        ] {
            assert!(is_rfc3339(ok), "{ok}");
        }
        for bad in [
            "2016-12-05 21:29:29Z",
            "2016-12-05T21:29:29",
            "2016-13-05T21:29:29Z",
            "2016-12-05T25:29:29Z",
            "05-12-2016T21:29:29Z",
            "2023-02-29T00:00:00Z",
            "2016-03-14T01:59:00.Z",
            "",
            "2016-03-14T01:59:00ZZ",
        ] {
            assert!(!is_rfc3339(bad), "{bad}");
        }
    }

    fn load(text: &str) -> StateMachine {
        let loaded = crate::load(text);
        let errors: Vec<String> = loaded.errors().map(ToString::to_string).collect();
        assert!(errors.is_empty(), "{errors:#?}");
        loaded.machine.expect("a machine")
    }

    #[test]
    fn retry_defaults_and_catch_targets() {
        let m = load(
            r#"{"StartAt": "T", "States": {
                "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "Done",
                      "Retry": [{"ErrorEquals": ["States.Timeout"]}, {"ErrorEquals": ["States.ALL"], "MaxAttempts": 0, "JitterStrategy": "FULL", "MaxDelaySeconds": 5}],
                      "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": null, "Next": "Oops"}]},
                "Oops": {"Type": "Fail", "Error": "E", "CausePath": "States.Format('x {}', $.c)"},
                "Done": {"Type": "Succeed"}}}"#,
        );
        let t = m.root.state(0).expect("T");
        let StateKind::Task(task) = &t.kind else {
            panic!("a task")
        };
        let r = &task.retry[0];
        assert_eq!(
            (r.interval_seconds, r.max_attempts, r.backoff_rate, r.jitter),
            (1, 3, 2.0, Jitter::None)
        );
        let r = &task.retry[1];
        assert_eq!(
            (r.max_attempts, r.jitter, r.max_delay_seconds),
            (0, Jitter::Full, Some(5))
        );
        assert_eq!(r.error_equals[0].value, ErrorName::All);
        assert_eq!(task.catch[0].next.id, Some(1));
        assert!(matches!(
            task.catch[0].result_path,
            Some(NullablePath::Null(_))
        ));
        assert!(matches!(&t.transition, Transition::Next(n) if n.id == Some(2)));
        let StateKind::Fail(fail) = &m.root.state(1).expect("Oops").kind else {
            panic!("a fail")
        };
        assert!(matches!(fail.cause, Some(Dynamic::Call(_))));
    }

    #[test]
    fn map_branches_and_query_languages() {
        let m = load(
            r#"{"StartAt": "M", "QueryLanguage": "JSONPath", "States": {
                "M": {"Type": "Map", "QueryLanguage": "JSONata", "Items": "{% $states.input.xs %}",
                      "MaxConcurrency": "{% 2 %}",
                      "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                        "StartAt": "In", "States": {"In": {"Type": "Pass", "Next": "In2"}, "In2": {"Type": "Pass", "End": true}}},
                      "Next": "Old"},
                "Old": {"Type": "Map", "ItemsPath": "$.xs", "Parameters": {"v.$": "$$.Map.Item.Value"},
                        "Iterator": {"StartAt": "X", "States": {"X": {"Type": "Succeed"}}}, "End": true}}}"#,
        );
        let map = m.root.state(0).expect("M");
        assert_eq!(map.query_language, QueryLanguage::Jsonata);
        let StateKind::Map(map) = &map.kind else {
            panic!("a map")
        };
        assert_eq!(map.mode(), MapMode::Distributed);
        assert!(map.items.is_some());
        assert!(matches!(map.max_concurrency, Some(Dynamic::Jsonata(_))));
        // Item processor states use the machine's language, not the Map's.
        let inner = map.processor.state(0).expect("In");
        assert_eq!(inner.query_language, QueryLanguage::JsonPath);
        assert_eq!(map.processor.start(), Some(0));
        assert!(matches!(&inner.transition, Transition::Next(n) if n.id == Some(1)));
        let StateKind::Map(old) = &m.root.state(1).expect("Old").kind else {
            panic!("a map")
        };
        assert!(old.legacy_iterator);
        assert!(
            old.item_selector.is_some(),
            "a Map's legacy Parameters is its ItemSelector"
        );
        assert!(m.root.state(1).is_some_and(|s| s.io.parameters.is_none()));
    }

    #[test]
    fn choice_rules_nest() {
        let m = load(
            r#"{"StartAt": "C", "States": {
                "C": {"Type": "Choice", "Default": "B", "Choices": [
                    {"Not": {"And": [{"Variable": "$.a", "NumericLessThanPath": "$.b"}, {"Variable": "$.s", "StringMatches": "x*"}]}, "Next": "B"},
                    {"Or": [{"Variable": "$.t", "IsPresent": false}], "Next": "B"}]},
                "B": {"Type": "Pass", "Result": {"k.$": "stays literal"}, "End": true}}}"#,
        );
        let StateKind::Choice(c) = &m.root.state(0).expect("C").kind else {
            panic!("a choice")
        };
        let Condition::Not(inner, _) = &c.choices[0].condition else {
            panic!("Not")
        };
        let Condition::And(parts, _) = &**inner else {
            panic!("And")
        };
        let Condition::Compare(cmp) = &parts[0] else {
            panic!("a comparison")
        };
        assert_eq!(cmp.op, CompareOp::NumericLessThan);
        assert!(matches!(cmp.operand, Operand::Path(_)));
        assert_eq!(c.default.as_ref().and_then(|d| d.id), Some(1));
        let StateKind::Pass(p) = &m.root.state(1).expect("B").kind else {
            panic!("a pass")
        };
        assert_eq!(
            p.result.as_ref().map(|r| r.value.to_json_string()),
            Some(r#"{"k.$":"stays literal"}"#.into())
        );
    }

    #[test]
    fn broken_definitions_still_give_a_machine() {
        let loaded = crate::load(
            r#"{"StartAt": "A", "States": {"A": {"Type": "Teleport", "Next": "B"}, "B": {"Type": "Pass"}}}"#,
        );
        assert!(loaded.has_errors());
        let m = loaded.machine.expect("drawable despite errors");
        assert_eq!(m.root.states.len(), 2);
        assert!(
            matches!(&m.root.state(0).expect("A").transition, Transition::Next(n) if n.id == Some(1))
        );
    }

    #[test]
    fn top_level_references_in_jsonata() {
        for (expr, name) in [
            (" $ ", Some("$")),
            ("$$.x", Some("$$")),
            ("foo", Some("foo")),
            ("foo.bar", Some("foo")),
        ] {
            assert_eq!(unsupported_top_level(expr), name, "{expr}");
        }
        for ok in [
            "$states.input",
            "true",
            "1 + 2",
            "$x",
            "'a'",
            "$sum([1,2])",
            "{'a': 1}",
            "null",
        ] {
            assert_eq!(unsupported_top_level(ok), None, "{ok}");
        }
    }

    #[test]
    fn jsonata_strings_are_whole_strings() {
        assert_eq!(jsonata_text("{% $x %}"), Some(" $x "));
        assert_eq!(jsonata_text("a {% $x %}"), None);
        assert_eq!(jsonata_text("{%}"), None);
    }
}
