//! Regular expressions with JavaScript's semantics (JSONata's are JS regexes), through the
//! `regress` crate: compiling `/…/im` literals, and the match sequence JSONata's matcher protocol
//! yields (global matching, the `D1004` error for a pattern that matches the empty string forever).
//! Positions given out are UTF-16 offsets, as in JavaScript.

use std::sync::Arc;

use crate::value::{Object, Value};

use super::error::{JResult, err};
use super::jv::JV;

pub(crate) fn compile(pattern: &str, flags: &str) -> JResult<regress::Regex> {
    regress::Regex::with_flags(pattern, flags)
        .map_err(|e| err("S0303", format!("Invalid regular expression: {e}")))
}

/// One match: byte range of the whole match and of each group.
pub(crate) struct Found {
    pub start: usize,
    pub end: usize,
    pub groups: Vec<Option<(usize, usize)>>,
}

/// The matches JSONata's matcher protocol yields, up to `limit`.
pub(crate) fn matches(re: &regress::Regex, s: &str, limit: Option<usize>) -> JResult<Vec<Found>> {
    let mut out = Vec::new();
    let mut from = 0;
    loop {
        if limit.is_some_and(|l| out.len() >= l) {
            break;
        }
        let Some(m) = re.find_from(s, from).next() else {
            break;
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
        if !out.is_empty() && found.start == found.end {
            return Err(err(
                "D1004",
                "Regular expression matches zero length string",
            ));
        }
        from = found.end;
        out.push(found);
        if from >= s.len() {
            break;
        }
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
pub(crate) fn first_match<'a>(re: &regress::Regex, s: &str) -> Option<JV<'a>> {
    let m = re.find(s)?;
    let f = Found {
        start: m.start(),
        end: m.end(),
        groups: m
            .groups()
            .skip(1)
            .map(|g| g.map(|r| (r.start, r.end)))
            .collect(),
    };
    Some(match_object(s, &f))
}
