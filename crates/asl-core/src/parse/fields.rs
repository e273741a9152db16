//! Reading JSON objects and scalar fields, with the pointers and diagnostics every reader shares.
//!
//! Owns [`Fields`] (an object's members, duplicates resolved as AWS does: the last one wins, each
//! repeat reported), JSON-pointer building ([`Ptr`], [`child`], [`index`], [`pointer_to`]),
//! duplicate keys inside free-form values, and the generic field readers: wrong JSON type,
//! missing field, strings, `Comment`, bounded integers, required non-empty lists.
//!
//! Not owned here: what a field means. Paths and `…Path` twins are in [`super::paths`], payload
//! templates in [`super::templates`], and each state type's fields in its own module.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::Cx;
use crate::diag::{Code, pointer_segment};
use crate::model::Spanned;
use crate::source::Span;
use crate::syntax::{Kind, Member, Node, repeated_keys};

/// For each member, whether an earlier member has the same key ([`repeated_keys`]).
pub(super) fn repeats(members: &[Member]) -> Vec<bool> {
    repeated_keys(members.len(), &|i| members[i].key.as_str())
}

/// The pointer of the innermost member or item of `node` whose key or value contains `span`.
pub(super) fn pointer_to(node: &Node, span: Span, ptr: &str) -> String {
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
pub(super) enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

pub(super) fn seg_ptr(root: &str, segs: &[Seg]) -> String {
    let mut p = root.to_string();
    for s in segs {
        match s {
            Seg::Key(k) => p = child(&p, k),
            Seg::Index(i) => p = index(&p, *i),
        }
    }
    p
}

pub(super) fn child(ptr: &str, key: &str) -> String {
    format!("{ptr}/{}", pointer_segment(key))
}

pub(super) fn index(ptr: &str, i: usize) -> String {
    format!("{ptr}/{i}")
}

/// A JSON pointer `parent/key`, formatted only when a diagnostic needs it (most fields are fine,
/// and building every pointer eagerly was a third of the parse time). An empty key means `parent`.
#[derive(Clone, Copy)]
pub(super) struct Ptr<'a>(pub(super) &'a str, pub(super) &'a str);

impl Ptr<'_> {
    pub(super) fn s(self) -> String {
        if self.1.is_empty() {
            self.0.to_string()
        } else {
            child(self.0, self.1)
        }
    }
}

/// An object's members with duplicates resolved (the last one wins, as in AWS).
pub(super) struct Fields<'a> {
    pub(super) members: Vec<&'a Member>,
    pub(super) ptr: String,
    /// Where "missing field" errors point: the object's key, or its opening brace.
    pub(super) anchor: Span,
}

impl<'a> Fields<'a> {
    pub(super) fn get(&self, key: &str) -> Option<&'a Member> {
        self.members.iter().rev().find(|m| m.key == key).copied()
    }

    pub(super) fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    pub(super) fn ptr(&self, key: &str) -> String {
        child(&self.ptr, key)
    }
}

impl Cx {
    /// The node as an object, reporting duplicates with `dup_code`; `None` (and a diagnostic) if
    /// it is not an object.
    pub(super) fn fields<'a>(
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
    pub(super) fn check_duplicates(&mut self, node: &Node, ptr: &str) {
        let mut segs = Vec::new();
        self.duplicates_in(node, ptr, &mut segs);
    }

    pub(super) fn duplicates_in<'n>(
        &mut self,
        node: &'n Node,
        root: &str,
        segs: &mut Vec<Seg<'n>>,
    ) {
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

    pub(super) fn wrong_type(&mut self, m: &Member, ptr: &str, expected: &str) {
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
    pub(super) fn non_empty_list<'a>(
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

    pub(super) fn missing(&mut self, f: &Fields, names: &str) {
        self.push(
            Code::MissingField,
            format!("The field '{names}' is required but was missing"),
            &f.ptr,
            f.anchor,
        );
    }

    /// A string field, with its pointer (built only if a diagnostic needs it).
    pub(super) fn string<'f>(
        &mut self,
        f: &'f Fields,
        key: &'f str,
    ) -> Option<(Spanned<Arc<str>>, Ptr<'f>)> {
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

    pub(super) fn comment(&mut self, f: &Fields) -> Option<String> {
        self.string(f, "Comment").map(|(s, _)| s.value.to_string())
    }

    /// An integer field in `min..=max`, with `code` for out-of-range values.
    pub(super) fn int(
        &mut self,
        m: &Member,
        ptr: &str,
        min: u64,
        max: u64,
        code: Code,
    ) -> Option<u64> {
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
}

pub(super) fn article(node: &Node) -> &'static str {
    match node.kind {
        Kind::Null => "null",
        Kind::Bool(_) => "a boolean",
        Kind::Number(_) => "a number",
        Kind::String(_) => "a string",
        Kind::Array(_) => "an array",
        Kind::Object(_) => "an object",
    }
}
