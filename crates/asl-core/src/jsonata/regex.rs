//! Regular expressions with JavaScript's semantics (JSONata's are JS regexes): compiling `/…/im`
//! literals through a [`RegexEngine`], and the match sequence JSONata's matcher protocol yields
//! (global matching, the `D1004` error for a pattern that matches the empty string forever).
//! Positions given out are UTF-16 offsets, as in JavaScript.
//!
//! Why an engine trait: native builds use the `regress` crate (cargo feature `regress`, on by
//! default), a JavaScript regex engine in Rust. In a browser the page already has JavaScript's own
//! `RegExp`; the playground registers an engine backed by it ([`set_regex_engine`]) and builds
//! asl-core without `regress`, whose code and Unicode tables were a fifth of its bundle
//! (benches/README.md, "Bundle size"). asl-core itself never depends on wasm-bindgen.

use std::fmt;
use std::sync::{Arc, OnceLock};

use crate::value::{Object, Value};

use super::error::{JResult, err};
use super::jv::JV;

/// One match: byte range of the whole match and of each capture group (`None`: the group did not
/// take part). Offsets are byte offsets into the searched text, on char boundaries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    pub groups: Vec<Option<(usize, usize)>>,
}

/// A regex compiled by a [`RegexEngine`].
pub trait CompiledRegex: Send + Sync + fmt::Debug {
    /// Searches `text` from byte offset `from` (a char boundary) and hands each match to `each`;
    /// while `each` returns true, the next search starts where the match ended (as JavaScript's
    /// `exec` with the `g` flag and `lastIndex`: an empty match is found again at the same place).
    fn search(&self, text: &str, from: usize, each: &mut dyn FnMut(Found) -> bool);
}

/// Compiles JSONata regexes: JavaScript syntax and semantics without the `u` flag.
pub trait RegexEngine: Send + Sync {
    /// `pattern` with `flags` (JSONata allows `i` and `m`); `Err` is the engine's message.
    fn compile(&self, pattern: &str, flags: &str) -> Result<Arc<dyn CompiledRegex>, String>;
}

static ENGINE: OnceLock<&'static dyn RegexEngine> = OnceLock::new();

/// Makes `engine` compile every JSONata regex of this process from now on (the playground gives
/// JavaScript's `RegExp`). Only the first call counts: it returns false when an engine was already
/// set, so that regexes compiled before never mix with another engine's.
pub fn set_regex_engine(engine: &'static dyn RegexEngine) -> bool {
    ENGINE.set(engine).is_ok()
}

fn engine() -> Option<&'static dyn RegexEngine> {
    if let Some(e) = ENGINE.get() {
        return Some(*e);
    }
    #[cfg(feature = "regress")]
    {
        Some(&regress_engine::Regress)
    }
    #[cfg(not(feature = "regress"))]
    {
        None
    }
}

/// Compiles with the registered engine (or `regress`); `code` is the error code for a bad pattern.
fn compile_with(
    pattern: &str,
    flags: &str,
    (code, what): (&'static str, &str),
) -> JResult<Arc<dyn CompiledRegex>> {
    let Some(engine) = engine() else {
        return Err(err(
            code,
            format!("{what}: no regular expression engine in this build"),
        ));
    };
    engine
        .compile(pattern, flags)
        .map_err(|e| err(code, format!("{what}: {e}")))
}

pub(crate) fn compile(pattern: &str, flags: &str) -> JResult<Arc<dyn CompiledRegex>> {
    compile_with(pattern, flags, ("S0303", "Invalid regular expression"))
}

/// The first match of `pattern` (flags `i`), for `$toMillis` pictures; `D3110` when it does not
/// compile.
pub(crate) fn first_of_picture(pattern: &str, text: &str) -> JResult<Option<Found>> {
    let re = compile_with(pattern, "i", ("D3110", "Invalid date/time picture"))?;
    Ok(first(&*re, text))
}

fn first(re: &dyn CompiledRegex, s: &str) -> Option<Found> {
    let mut out = None;
    re.search(s, 0, &mut |f| {
        out = Some(f);
        false
    });
    out
}

/// `text` with JavaScript regex syntax characters escaped, to match it literally.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '^' | '$' | '.' | '|' | '?' | '*' | '+' | '(' | ')' | '[' | ']' | '{' | '}'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The matches JSONata's matcher protocol yields, up to `limit`.
pub(crate) fn matches(
    re: &dyn CompiledRegex,
    s: &str,
    limit: Option<usize>,
) -> JResult<Vec<Found>> {
    let mut out: Vec<Found> = Vec::new();
    if limit == Some(0) {
        return Ok(out);
    }
    let mut zero_length = false;
    re.search(s, 0, &mut |found| {
        if !out.is_empty() && found.start == found.end {
            zero_length = true;
            return false;
        }
        let end = found.end;
        out.push(found);
        limit.is_none_or(|l| out.len() < l) && end < s.len()
    });
    if zero_length {
        return Err(err(
            "D1004",
            "Regular expression matches zero length string",
        ));
    }
    Ok(out)
}

/// UTF-16 offset of byte offset `b` in `s`.
pub(crate) fn utf16_offset(s: &str, b: usize) -> usize {
    let prefix = s.get(..b).unwrap_or(s);
    if prefix.is_ascii() {
        return prefix.len();
    }
    prefix.encode_utf16().count()
}

/// The object the regex matcher returns for one match (`match`, `start`, `end`, `groups`).
pub(crate) fn match_object<'a>(s: &str, f: &Found) -> JV<'a> {
    let mut o = Object::with_capacity(4);
    o.push_unique("match".into(), Value::string(&s[f.start..f.end]));
    o.push_unique(
        "start".into(),
        Value::from_i64(utf16_offset(s, f.start) as i64),
    );
    o.push_unique("end".into(), Value::from_i64(utf16_offset(s, f.end) as i64));
    o.push_unique("groups".into(), groups_value(s, f));
    JV::DObj(Arc::new(o))
}

pub(crate) fn groups_value(s: &str, f: &Found) -> Value {
    Value::array(
        f.groups
            .iter()
            .map(|g| match g {
                Some((a, b)) => Value::string(&s[*a..*b]),
                None => Value::string(""),
            })
            .collect(),
    )
}

/// Calling a regex literal as a function: the first match, or undefined.
pub(crate) fn first_match<'a>(re: &dyn CompiledRegex, s: &str) -> Option<JV<'a>> {
    first(re, s).map(|f| match_object(s, &f))
}

/// The `regress` crate as the engine (native builds, the JS API).
#[cfg(feature = "regress")]
mod regress_engine {
    use std::sync::Arc;

    use super::{CompiledRegex, Found, RegexEngine};

    pub(super) struct Regress;

    #[derive(Debug)]
    struct Compiled(regress::Regex);

    impl RegexEngine for Regress {
        fn compile(&self, pattern: &str, flags: &str) -> Result<Arc<dyn CompiledRegex>, String> {
            regress::Regex::with_flags(pattern, flags)
                .map(|re| Arc::new(Compiled(re)) as Arc<dyn CompiledRegex>)
                .map_err(|e| e.to_string())
        }
    }

    impl CompiledRegex for Compiled {
        fn search(&self, text: &str, mut from: usize, each: &mut dyn FnMut(Found) -> bool) {
            while from <= text.len() {
                let Some(m) = self.0.find_from(text, from).next() else {
                    return;
                };
                let found = Found {
                    start: m.start(),
                    end: m.end(),
                    groups: m
                        .groups()
                        .skip(1)
                        .map(|g| g.map(|r| (r.start, r.end)))
                        .collect(),
                };
                from = found.end;
                if !each(found) {
                    return;
                }
            }
        }
    }
}
