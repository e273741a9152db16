//! JSON text → a tree of JSON nodes that remember where they came from.
//!
//! Owns [`Node`] (every value, and every object key, with its byte [`Span`]) and the strict
//! RFC 8259 parser that builds it. Why by hand: the typed model, every diagnostic and every
//! runtime error must point at the exact token the user typed, and `serde_json` keeps no positions;
//! the parser is small, never panics, reports the first syntax error with its position, and keeps
//! duplicate keys visible so the validator can flag them.
//!
//! Not owned here: what the JSON means as ASL ([`crate::parse`]).

use crate::source::Span;
use crate::value::{Number, Value};

/// A JSON value with its source span.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub span: Span,
    pub kind: Kind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<Node>),
    /// Members in source order; duplicates are kept (the validator reports them).
    Object(Vec<Member>),
}

/// One `"key": value` member of an object.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    pub key: String,
    pub key_span: Span,
    pub value: Node,
}
