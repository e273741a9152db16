//! A JSON value as highlighted HTML, with the places a stage changed marked: each added or
//! changed member's line gets a class (`chg-added`, `chg-changed`), so the inspector shows what a
//! stage did at a glance. Which places changed is asl-core's (`inspect::changes`); this module
//! only lays the value out (two-space indent, as `JSON.stringify(v, null, 2)`) and escapes every
//! string, so no user text reaches the page as markup.

use std::fmt::Write as _;

use asl_core::inspect::{Change, ChangeKind};
use asl_core::value::Value;

use crate::highlight::escape_into;

/// Values deeper than this are shown as `…` (the inspector is for reading, not for megabytes of
/// nesting; the JSON tab of an event shows everything).
const MAX_DEPTH: usize = 40;
/// Members shown per array or object before `… N more`.
const MAX_MEMBERS: usize = 500;

/// `value` as HTML, with the members at `changes` marked.
pub fn to_html(value: &Value, changes: &[Change]) -> String {
    let mut out = String::new();
    let mut pointer = String::new();
    write_value(&mut out, value, changes, &mut pointer, 0);
    out
}

fn mark_of(changes: &[Change], pointer: &str) -> Option<&'static str> {
    changes
        .iter()
        .find(|c| c.pointer == pointer)
        .map(|c| match c.kind {
            ChangeKind::Added => "chg-added",
            ChangeKind::Changed => "chg-changed",
            ChangeKind::Removed => "chg-removed",
        })
}

fn indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("  ");
    }
}

fn write_value(
    out: &mut String,
    v: &Value,
    changes: &[Change],
    pointer: &mut String,
    depth: usize,
) {
    match v {
        Value::Null => out.push_str("<span class=\"t-lit\">null</span>"),
        Value::Bool(b) => {
            let _ = write!(out, "<span class=\"t-lit\">{b}</span>");
        }
        Value::Number(n) => {
            let _ = write!(out, "<span class=\"t-num\">{n}</span>");
        }
        Value::String(s) => {
            out.push_str("<span class=\"t-str\">");
            escape_into(out, &serde_json::to_string(&**s).unwrap_or_default());
            out.push_str("</span>");
        }
        Value::Array(a) if a.is_empty() => out.push_str("[]"),
        Value::Object(o) if o.is_empty() => out.push_str("{}"),
        _ if depth >= MAX_DEPTH => out.push('…'),
        Value::Array(a) => {
            out.push_str("[\n");
            let len = pointer.len();
            for (i, item) in a.iter().enumerate().take(MAX_MEMBERS) {
                let _ = write!(pointer, "/{i}");
                let mark = mark_of(changes, pointer);
                open_line(out, mark, depth + 1);
                write_value(out, item, changes, pointer, depth + 1);
                close_line(out, mark, i + 1 < a.len());
                pointer.truncate(len);
            }
            more(out, a.len(), depth);
            indent(out, depth);
            out.push(']');
        }
        Value::Object(o) => {
            out.push_str("{\n");
            let len = pointer.len();
            for (i, (k, item)) in o.iter().enumerate().take(MAX_MEMBERS) {
                pointer.push('/');
                pointer.push_str(&k.replace('~', "~0").replace('/', "~1"));
                let mark = mark_of(changes, pointer);
                open_line(out, mark, depth + 1);
                out.push_str("<span class=\"t-key\">");
                escape_into(out, &serde_json::to_string(&**k).unwrap_or_default());
                out.push_str("</span>: ");
                write_value(out, item, changes, pointer, depth + 1);
                close_line(out, mark, i + 1 < o.len());
                pointer.truncate(len);
            }
            more(out, o.len(), depth);
            indent(out, depth);
            out.push('}');
        }
    }
}

fn open_line(out: &mut String, mark: Option<&str>, depth: usize) {
    if let Some(m) = mark {
        let _ = write!(out, "<span class=\"{m}\">");
    }
    indent(out, depth);
}

fn close_line(out: &mut String, mark: Option<&str>, comma: bool) {
    if comma {
        out.push(',');
    }
    if mark.is_some() {
        out.push_str("</span>");
    }
    out.push('\n');
}

fn more(out: &mut String, len: usize, depth: usize) {
    if len > MAX_MEMBERS {
        indent(out, depth + 1);
        let _ = writeln!(out, "… {} more", len - MAX_MEMBERS);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Value {
        Value::parse(s).expect("json")
    }

    #[test]
    fn lays_out_like_json_stringify_and_marks_changes() {
        let before = v(r#"{"a":1,"b":{"c":true}}"#);
        let after = v(r#"{"a":1,"b":{"c":false},"new":"<img src=x onerror=alert(1)>"}"#);
        let html = to_html(&after, &asl_core::inspect::changes(&before, &after));
        assert!(html.contains("<span class=\"chg-changed\">    <span class=\"t-key\">\"c\"</span>: <span class=\"t-lit\">false</span>\n</span>"), "{html}");
        assert!(
            html.contains("<span class=\"chg-added\">  <span class=\"t-key\">\"new\"</span>"),
            "{html}"
        );
        assert!(!html.contains("<img"), "user text is escaped: {html}");
        // Without the markup, it is the JSON text itself.
        let plain = to_html(&after, &[]);
        let text = plain
            .replace("<span class=\"t-key\">", "")
            .replace("<span class=\"t-str\">", "")
            .replace("<span class=\"t-lit\">", "")
            .replace("<span class=\"t-num\">", "")
            .replace("</span>", "")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&amp;", "&");
        assert_eq!(text, after.to_json_pretty());
    }
}
