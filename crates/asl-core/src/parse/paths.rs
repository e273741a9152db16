//! Path-valued fields and fields that may be computed: JSONPath syntax, Reference Paths, nullable
//! `InputPath`/`ResultPath`/`OutputPath`, intrinsic calls written as a field value, and
//! [`Dynamic`] fields (a literal, its `…Path` twin in JSONPath, or a `{% … %}` expression in
//! JSONata).
//!
//! Not owned here: the path language itself ([`crate::path`]), intrinsic functions
//! ([`crate::intrinsics`]), JSONata checks ([`super::query_language`]), and the literal's own
//! rule, which each caller passes in (e.g. a Wait's `Seconds` range).

use super::Cx;
use super::fields::{Fields, Ptr};
use super::query_language::jsonata_text;
use crate::diag::Code;
use crate::intrinsics::{Call, IntrinsicErrorKind};
use crate::model::{Dynamic, NullablePath, QueryLanguage, Spanned};
use crate::path::Path;
use crate::source::Span;
use crate::syntax::{Kind, Member};

impl Cx {
    pub(super) fn path(
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
    pub(super) fn path_field(
        &mut self,
        f: &Fields,
        key: &str,
        reference: bool,
    ) -> Option<Spanned<Path>> {
        let (s, ptr) = self.string(f, key)?;
        let p = self.path(&s.value, s.span, ptr, key, reference)?;
        Some(Spanned::new(p, s.span))
    }

    /// `InputPath` / `ResultPath` / `OutputPath`: a path or null.
    pub(super) fn nullable_path(
        &mut self,
        f: &Fields,
        key: &str,
        reference: bool,
    ) -> Option<NullablePath> {
        let m = f.get(key)?;
        if m.value.kind == Kind::Null {
            return Some(NullablePath::Null(m.value.span));
        }
        self.path_field(f, key, reference).map(NullablePath::Path)
    }

    /// A field that is a literal, its `…Path` twin (JSONPath) or a JSONata expression.
    pub(super) fn dynamic<T>(
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
    pub(super) fn call(
        &mut self,
        text: &str,
        span: Span,
        ptr: &str,
        field: &str,
    ) -> Option<Spanned<Box<Call>>> {
        match Call::parse(text) {
            Ok(c) => {
                // AWS accepts a wrong argument count at creation; the call fails when it runs.
                for problem in c.arity_problems() {
                    self.push(
                        Code::IntrinsicArgumentCount,
                        format!(
                            "In '{field}': {problem}; AWS accepts the definition, but the call fails when it runs"
                        ),
                        ptr,
                        span,
                    );
                }
                Some(Spanned::new(Box::new(c), span))
            }
            Err(e) => {
                let code = match e.kind {
                    IntrinsicErrorKind::UnknownFunction => Code::UnknownIntrinsic,
                    IntrinsicErrorKind::InvalidPath => Code::InvalidJsonPath,
                    IntrinsicErrorKind::Syntax => Code::InvalidIntrinsicCall,
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
}
