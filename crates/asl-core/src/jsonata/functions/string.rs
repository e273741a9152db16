//! String functions: `$string`, `$substring*`, case, `$length`, `$trim`, `$pad`, `$join`, the
//! regex-aware `$match`, `$contains`, `$replace`, `$split`, base64 and URL encoding.
//! Lengths and offsets count characters (code points), as JSONata does.

use crate::b64::{self, Alphabet, Padding};

use super::super::error::{JResult, err};
use super::super::eval::Evaluator;
use super::super::jv::{Env, Func, JV, Val, to_js_string};
use super::super::regex;
use super::{Builtin, arg, num_arg, seq, str_arg};

fn s<'a>(v: impl Into<std::sync::Arc<str>>) -> JResult<Val<'a>> {
    Ok(Some(JV::Str(v.into())))
}

pub(crate) fn call<'a>(b: Builtin, args: &[Val<'a>]) -> JResult<Val<'a>> {
    use Builtin as B;
    if b == B::String {
        let Some(v) = arg(args, 0) else {
            return Ok(None);
        };
        let pretty = matches!(arg(args, 1), Some(JV::Bool(true)));
        return s(to_js_string(&v, pretty)?);
    }
    if b == B::Join {
        let Some(list) = arg(args, 0) else {
            return Ok(None);
        };
        let sep = str_arg(args, 1).unwrap_or("");
        let parts: Vec<String> = list
            .items()
            .map(|x| x.as_str().unwrap_or_default().to_string())
            .collect();
        return s(parts.join(sep));
    }
    let Some(text) = str_arg(args, 0) else {
        return Ok(None);
    };
    match b {
        B::Substring => {
            let start = num_arg(args, 1).unwrap_or(0.0);
            let length = num_arg(args, 2);
            s(substring(text, start, length))
        }
        B::SubstringBefore => {
            let chars = str_arg(args, 1).unwrap_or("");
            s(match text.find(chars) {
                Some(i) => &text[..i],
                None => text,
            })
        }
        B::SubstringAfter => {
            let chars = str_arg(args, 1).unwrap_or("");
            s(match text.find(chars) {
                Some(i) => &text[i + chars.len()..],
                None => text,
            })
        }
        B::Lowercase => s(crate::text::to_lowercase(text)),
        B::Uppercase => s(crate::text::to_uppercase(text)),
        B::Length => Ok(Some(JV::Num(text.chars().count() as f64))),
        B::Trim => s(trim(text)),
        B::Pad => {
            let width = num_arg(args, 1).unwrap_or(0.0);
            let pad_char = match str_arg(args, 2) {
                Some(c) if !c.is_empty() => c,
                _ => " ",
            };
            s(pad(text, width, pad_char))
        }
        B::Base64Encode => s(b64::encode(text.as_bytes(), Alphabet::Standard, true)),
        B::Base64Decode => {
            // Any number of trailing `=` (none, or more than a group needs) is accepted: they
            // are dropped and the rest must be unpadded base64.
            let bytes = b64::decode(
                text.trim_end_matches('='),
                Alphabet::Standard,
                Padding::None,
            )
            .ok_or_else(|| err("D3137", "The string to be decoded is not correctly encoded"))?;
            s(String::from_utf8_lossy(&bytes).into_owned())
        }
        B::EncodeUrlComponent => s(encode_uri(text, true)),
        B::EncodeUrl => s(encode_uri(text, false)),
        B::DecodeUrlComponent => s(decode_uri(text, "")?),
        B::DecodeUrl => s(decode_uri(text, ";/?:@&=+$,#")?),
        _ => Ok(None),
    }
}

pub(crate) fn substring(text: &str, start: f64, length: Option<f64>) -> String {
    let chars: Vec<char> = text.chars().collect();
    let len = chars.len() as f64;
    let mut start = if start.is_nan() { 0.0 } else { start.trunc() };
    if len + start < 0.0 {
        start = 0.0;
    }
    let slice = |from: f64, to: f64| -> String {
        let norm = |x: f64| {
            if x < 0.0 {
                (len + x).max(0.0)
            } else {
                x.min(len)
            }
        };
        let (a, b) = (norm(from) as usize, norm(to) as usize);
        if a >= b {
            String::new()
        } else {
            chars[a..b].iter().collect()
        }
    };
    match length {
        Some(l) => {
            if l <= 0.0 {
                return String::new();
            }
            let end = if start >= 0.0 {
                start + l
            } else {
                len + start + l
            };
            slice(start, end.trunc())
        }
        None => slice(start, len),
    }
}

fn trim(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_space = false;
    for c in text.chars() {
        if matches!(c, ' ' | '\t' | '\n' | '\r') {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(c);
            in_space = false;
        }
    }
    let t = out.strip_prefix(' ').unwrap_or(&out);
    t.strip_suffix(' ').unwrap_or(t).to_string()
}

fn pad(text: &str, width: f64, pad_char: &str) -> String {
    let len = text.chars().count() as f64;
    let pad_len = width.abs().trunc() - len;
    if pad_len <= 0.0 || pad_len.is_nan() {
        return text.to_string();
    }
    let n = pad_len as usize;
    let padding: String = pad_char.chars().cycle().take(n).collect();
    if width > 0.0 {
        format!("{text}{padding}")
    } else {
        format!("{padding}{text}")
    }
}

fn encode_uri(text: &str, component: bool) -> String {
    let keep = |c: char| {
        c.is_ascii_alphanumeric()
            || "-_.!~*'()".contains(c)
            || (!component && ";,/?:@&=+$#".contains(c))
    };
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if keep(c) {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

fn decode_uri(text: &str, reserved: &str) -> JResult<String> {
    let bad = || {
        err(
            "D3140",
            format!(
                "Malformed URL passed to ${}(): \"{text}\"",
                if reserved.is_empty() {
                    "decodeUrlComponent"
                } else {
                    "decodeUrl"
                }
            ),
        )
    };
    let bytes = text.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3).ok_or_else(bad)?;
            let b = u8::from_str_radix(hex, 16).map_err(|_| bad())?;
            if b < 0x80 && reserved.contains(b as char) {
                out.extend_from_slice(&bytes[i..i + 3]);
            } else {
                out.push(b);
            }
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| bad())
}

/// The matches of a string or regex pattern (byte ranges), up to `limit`.
fn find_all<'a>(
    ev: &mut Evaluator<'a, '_>,
    text: &str,
    pattern: &JV<'a>,
    limit: Option<usize>,
    input: &Val<'a>,
    env: &Env<'a>,
) -> JResult<Vec<regex::Found>> {
    match pattern {
        JV::Func(f) => match &**f {
            Func::Regex(re) => regex::matches(re, text, limit),
            _ => custom_matches(ev, text, pattern, limit, input, env),
        },
        _ => Ok(Vec::new()),
    }
}

/// A matcher written in JSONata: a function returning `{match, start, end, groups, next}`.
fn custom_matches<'a>(
    ev: &mut Evaluator<'a, '_>,
    text: &str,
    f: &JV<'a>,
    limit: Option<usize>,
    input: &Val<'a>,
    env: &Env<'a>,
) -> JResult<Vec<regex::Found>> {
    let mut out = Vec::new();
    let mut res = ev.apply(Some(f.clone()), vec![Some(JV::str(text))], input, env)?;
    let byte_at = |u16pos: f64| -> usize {
        let mut units = 0usize;
        for (i, c) in text.char_indices() {
            if units as f64 >= u16pos {
                return i;
            }
            units += c.len_utf16();
        }
        text.len()
    };
    while let Some(m) = res {
        if limit.is_some_and(|l| out.len() >= l) {
            break;
        }
        if !m.is_object() || m.obj_get("match").is_none() || m.obj_get("start").is_none() {
            return Err(err(
                "T1010",
                "The matcher function argument passed to function {{token}} does not return the correct object structure",
            ));
        }
        let start = m.obj_get("start").and_then(|v| v.num()).unwrap_or(0.0);
        let end = m.obj_get("end").and_then(|v| v.num()).unwrap_or(start);
        out.push(regex::Found {
            start: byte_at(start),
            end: byte_at(end),
            groups: Vec::new(),
        });
        match m.obj_get("next") {
            Some(next @ JV::Func(_)) => res = ev.apply(Some(next), vec![], input, env)?,
            _ => break,
        }
        if out.len() > 100_000 {
            break;
        }
    }
    Ok(out)
}

fn limit_arg(args: &[Val], i: usize, code: &'static str) -> JResult<Option<usize>> {
    match num_arg(args, i) {
        None => Ok(None),
        Some(l) if l < 0.0 => Err(err(
            code,
            "Third argument of function must evaluate to a positive number",
        )),
        Some(l) => Ok(Some(l.floor() as usize)),
    }
}

pub(crate) fn call_regex<'a>(
    ev: &mut Evaluator<'a, '_>,
    b: Builtin,
    args: Vec<Val<'a>>,
    input: &Val<'a>,
    env: &Env<'a>,
) -> JResult<Val<'a>> {
    let Some(text) = str_arg(&args, 0).map(str::to_string) else {
        return Ok(None);
    };
    let text = text.as_str();
    match b {
        Builtin::Contains => {
            let Some(pattern) = arg(&args, 1) else {
                return Ok(None);
            };
            let found = match &pattern {
                JV::Str(p) => text.contains(&**p),
                _ => !find_all(ev, text, &pattern, Some(1), input, env)?.is_empty(),
            };
            Ok(Some(JV::Bool(found)))
        }
        Builtin::Match => {
            let limit = limit_arg(&args, 2, "D3040")?;
            let Some(pattern) = arg(&args, 1) else {
                return Ok(None);
            };
            if limit == Some(0) {
                return seq(Vec::new());
            }
            let found = find_all(ev, text, &pattern, limit, input, env)?;
            let items = found
                .iter()
                .map(|f| {
                    let mut o = crate::value::Object::with_capacity(3);
                    o.push_unique(
                        "match".into(),
                        crate::value::Value::string(&text[f.start..f.end]),
                    );
                    o.push_unique(
                        "index".into(),
                        crate::value::Value::from_i64(regex::utf16_offset(text, f.start) as i64),
                    );
                    o.push_unique("groups".into(), regex::groups_value(text, f));
                    JV::DObj(std::sync::Arc::new(o))
                })
                .collect();
            seq(items)
        }
        Builtin::Split => {
            let limit = limit_arg(&args, 2, "D3020")?;
            let Some(sep) = arg(&args, 1) else {
                return Ok(None);
            };
            let mut parts: Vec<JV<'a>> = Vec::new();
            if limit == Some(0) {
                return Ok(Some(JV::array(parts)));
            }
            match &sep {
                JV::Str(p) => {
                    if p.is_empty() {
                        parts = text.chars().map(|c| JV::str(&c.to_string())).collect();
                    } else {
                        parts = text.split(&**p).map(JV::str).collect();
                    }
                    if let Some(l) = limit {
                        parts.truncate(l);
                    }
                }
                _ => {
                    let found = find_all(ev, text, &sep, limit, input, env)?;
                    let mut start = 0;
                    for f in &found {
                        parts.push(JV::str(text.get(start..f.start).unwrap_or("")));
                        start = f.end;
                    }
                    if limit.is_none_or(|l| found.len() < l) {
                        parts.push(JV::str(text.get(start..).unwrap_or("")));
                    }
                }
            }
            Ok(Some(JV::array(parts)))
        }
        Builtin::Replace => {
            let pattern = arg(&args, 1);
            if matches!(&pattern, Some(JV::Str(p)) if p.is_empty()) {
                return Err(err(
                    "D3010",
                    "Second argument of replace function cannot be an empty string",
                ));
            }
            let limit = limit_arg(&args, 3, "D3011")?;
            let Some(pattern) = pattern else {
                return Ok(None);
            };
            let replacement = arg(&args, 2);
            if limit == Some(0) {
                return s(text);
            }
            if let JV::Str(p) = &pattern {
                let rep = match &replacement {
                    Some(JV::Str(r)) => r.to_string(),
                    _ => String::new(),
                };
                let mut out = String::new();
                let mut pos = 0;
                let mut count = 0;
                while let Some(i) = text[pos..].find(&**p) {
                    if limit.is_some_and(|l| count >= l) {
                        break;
                    }
                    out.push_str(&text[pos..pos + i]);
                    out.push_str(&rep);
                    pos += i + p.len();
                    count += 1;
                }
                out.push_str(&text[pos..]);
                return s(out);
            }
            let found = find_all(ev, text, &pattern, limit, input, env)?;
            let mut out = String::new();
            let mut pos = 0;
            for f in &found {
                out.push_str(&text[pos..f.start]);
                match &replacement {
                    Some(JV::Str(r)) => out.push_str(&substitute(r, text, f)),
                    Some(func @ JV::Func(_)) => {
                        let m = regex::match_object(text, f);
                        let r = ev.apply(Some(func.clone()), vec![Some(m)], input, env)?;
                        match r {
                            Some(JV::Str(r)) => out.push_str(&r),
                            _ => {
                                return Err(err(
                                    "D3012",
                                    "Attempted to replace a matched string with a non-string value",
                                ));
                            }
                        }
                    }
                    _ => {}
                }
                pos = f.end;
            }
            out.push_str(&text[pos..]);
            s(out)
        }
        _ => Ok(None),
    }
}

/// `$n` substitution in a replacement string, as JSONata does it.
fn substitute(rep: &str, text: &str, f: &regex::Found) -> String {
    let groups: Vec<&str> = f
        .groups
        .iter()
        .map(|g| g.map_or("", |(a, b)| &text[a..b]))
        .collect();
    let chars: Vec<char> = rep.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c != '$' {
            out.push(c);
            i += 1;
            continue;
        }
        i += 1;
        match chars.get(i) {
            Some('$') => {
                out.push('$');
                i += 1;
            }
            Some('0') => {
                out.push_str(&text[f.start..f.end]);
                i += 1;
            }
            _ => {
                let max_digits = if groups.is_empty() {
                    1
                } else {
                    (groups.len() as f64).log10().floor() as usize + 1
                };
                let digits: String = chars[i..]
                    .iter()
                    .take(max_digits)
                    .take_while(|c| c.is_ascii_digit())
                    .collect();
                let mut index: Option<usize> = digits.parse().ok();
                let mut used = digits.len();
                if max_digits > 1
                    && let Some(ix) = index
                    && ix > groups.len()
                {
                    let shorter: String = digits.chars().take(max_digits - 1).collect();
                    index = shorter.parse().ok();
                    used = shorter.len();
                }
                match index {
                    Some(ix) => {
                        if ix >= 1
                            && let Some(g) = groups.get(ix - 1)
                        {
                            out.push_str(g);
                        }
                        i += used;
                    }
                    None => out.push('$'),
                }
            }
        }
    }
    out
}
