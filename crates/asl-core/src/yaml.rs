//! YAML text → the same JSON tree with spans that [`crate::syntax`] builds from JSON text.
//!
//! Owns reading YAML definitions (`.asl.yaml`, as Workflow Studio exports them) and YAML
//! CloudFormation/SAM templates into [`Node`]s whose spans are byte ranges of the YAML text, so
//! every diagnostic points at the line the user wrote. Events and their positions come from
//! `saphyr-parser` (YAML 1.2, pure Rust, builds for wasm32); this module only builds the tree.
//!
//! What it decides: plain scalars take YAML 1.2 core-schema types (`null`/`~`, `true`/`false`,
//! integers, floats; `.inf`/`.nan`, which JSON lacks, stay strings); quoted and block scalars are
//! strings; aliases repeat their anchor's node; the first document is read. CloudFormation's short
//! tags become the long form (`!Ref X` → `{"Ref": "X"}`, `!Sub s` → `{"Fn::Sub": s}`, any other
//! `!Name v` → `{"Fn::Name": v}`) so templates read alike in both syntaxes.
//!
//! Not owned here: what the tree means (an ASL definition, a template: [`crate::document`]).

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Tag};

use crate::source::Span;
use crate::syntax::{Kind, MAX_DEPTH, Member, Node, SyntaxError};
use crate::value::Number;

/// Parses the first YAML document of `text` into a tree with byte spans into `text`.
/// Never panics; an empty document is an error (there is no definition in it).
pub fn parse(text: &str) -> Result<Node, SyntaxError> {
    if text.len() > u32::MAX as usize {
        return Err(error("text is larger than 4 GiB", Span::at(0)));
    }
    let mut reader = Reader {
        text,
        offsets: char_offsets(text),
        parser: Parser::new_from_str(text),
        anchors: HashMap::new(),
        depth: 0,
    };
    loop {
        let (event, span) = reader.next()?;
        match event {
            Event::StreamStart | Event::DocumentStart(_) | Event::Nothing => {}
            Event::StreamEnd | Event::DocumentEnd => {
                return Err(error("the YAML document is empty", span));
            }
            other => return reader.node(other, span),
        }
    }
}

fn error(message: impl Into<String>, span: Span) -> SyntaxError {
    SyntaxError {
        message: message.into(),
        span,
        too_deep: false,
    }
}

/// Byte offset of every character index (saphyr's markers count characters), plus the end.
fn char_offsets(text: &str) -> Vec<u32> {
    let mut v: Vec<u32> = text.char_indices().map(|(i, _)| i as u32).collect();
    v.push(text.len() as u32);
    v
}

struct Reader<'t> {
    text: &'t str,
    offsets: Vec<u32>,
    parser: Parser<'t, saphyr_parser::StrInput<'t>>,
    anchors: HashMap<usize, Node>,
    depth: usize,
}

impl<'t> Reader<'t> {
    fn byte(&self, char_index: usize) -> u32 {
        self.offsets
            .get(char_index)
            .or(self.offsets.last())
            .copied()
            .unwrap_or(0)
    }

    fn span(&self, s: saphyr_parser::Span) -> Span {
        Span::new(self.byte(s.start.index()), self.byte(s.end.index()))
    }

    fn next(&mut self) -> Result<(Event<'t>, Span), SyntaxError> {
        match self.parser.next_event() {
            Some(Ok((event, span))) => {
                let span = self.span(span);
                Ok((event, span))
            }
            Some(Err(e)) => {
                let at = self.byte(e.marker().index());
                let end = self
                    .text
                    .get(at as usize..)
                    .and_then(|r| r.chars().next())
                    .map_or(at, |c| at + c.len_utf8() as u32);
                // saphyr's scanner counts flow nesting (`[[[…`) before we see the events: its
                // limit is our nesting limit too, with the same message.
                if e.info().contains("recursion limit") {
                    let mut e = error(
                        format!("YAML nested more than {MAX_DEPTH} levels deep"),
                        Span::new(at, end),
                    );
                    e.too_deep = true;
                    return Err(e);
                }
                Err(error(
                    format!("invalid YAML: {}", e.info()),
                    Span::new(at, end),
                ))
            }
            None => Err(error(
                "unexpected end of the YAML text",
                Span::at(self.text.len() as u32),
            )),
        }
    }

    fn enter(&mut self, span: Span) -> Result<(), SyntaxError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            let mut e = error(
                format!("YAML nested more than {MAX_DEPTH} levels deep"),
                span,
            );
            e.too_deep = true;
            return Err(e);
        }
        Ok(())
    }

    /// The node that `event` starts.
    fn node(&mut self, event: Event<'t>, span: Span) -> Result<Node, SyntaxError> {
        let (node, anchor, tag) = match event {
            Event::Scalar(value, style, anchor, tag) => {
                let kind = scalar(&value, style, tag.as_deref());
                // A plain `1e400` is a YAML float too large for JSON: the same error as in JSON
                // text, not a string that fails later as "must be a number".
                if matches!(kind, Kind::String(_))
                    && style == ScalarStyle::Plain
                    && tag.is_none()
                    && overflows(&value)
                {
                    return Err(error(format!("number {value} is out of range"), span));
                }
                (Node { span, kind }, anchor, tag)
            }
            Event::SequenceStart(anchor, tag) => {
                self.enter(span)?;
                let mut items = Vec::new();
                let mut end = span.end;
                loop {
                    let (event, s) = self.next()?;
                    if let Event::SequenceEnd = event {
                        end = end.max(s.end);
                        break;
                    }
                    let item = self.node(event, s)?;
                    end = end.max(item.span.end);
                    items.push(item);
                }
                self.depth -= 1;
                let node = Node {
                    span: Span::new(span.start, end),
                    kind: Kind::Array(items),
                };
                (node, anchor, tag)
            }
            Event::MappingStart(anchor, tag) => {
                self.enter(span)?;
                let mut members = Vec::new();
                let mut end = span.end;
                loop {
                    let (event, key_span) = self.next()?;
                    let key = match event {
                        Event::MappingEnd => {
                            end = end.max(key_span.end);
                            break;
                        }
                        Event::Scalar(key, ..) => key.into_owned(),
                        Event::Alias(id) => match self.anchors.get(&id).map(|n| &n.kind) {
                            Some(Kind::String(s)) => s.clone(),
                            _ => {
                                return Err(error("a mapping key must be a plain value", key_span));
                            }
                        },
                        _ => {
                            return Err(error(
                                "a mapping key must be a plain value, not a list or mapping",
                                key_span,
                            ));
                        }
                    };
                    let (event, s) = self.next()?;
                    let value = self.node(event, s)?;
                    end = end.max(value.span.end);
                    members.push(Member {
                        key,
                        key_span,
                        value,
                    });
                }
                self.depth -= 1;
                let node = Node {
                    span: Span::new(span.start, end),
                    kind: Kind::Object(members),
                };
                (node, anchor, tag)
            }
            Event::Alias(id) => {
                return self
                    .anchors
                    .get(&id)
                    .map(|n| Node {
                        span,
                        kind: n.kind.clone(),
                    })
                    .ok_or_else(|| error("an alias to an unknown anchor", span));
            }
            _ => return Err(error("unexpected YAML structure", span)),
        };
        let node = short_form(node, tag.as_deref());
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        Ok(node)
    }
}

/// A scalar's JSON value: plain scalars take core-schema types, everything else is a string.
fn scalar(value: &str, style: ScalarStyle, tag: Option<&Tag>) -> Kind {
    let core = tag
        .filter(|t| t.is_yaml_core_schema())
        .map(|t| t.suffix.as_str());
    if style != ScalarStyle::Plain
        || core == Some("str")
        || tag.is_some_and(|t| core.is_none() && !t.suffix.is_empty())
    {
        return Kind::String(value.to_string());
    }
    let v = value;
    match v {
        "" | "~" | "null" | "Null" | "NULL" => return Kind::Null,
        "true" | "True" | "TRUE" => return Kind::Bool(true),
        "false" | "False" | "FALSE" => return Kind::Bool(false),
        _ => {}
    }
    number(v).map_or_else(|| Kind::String(v.to_string()), Kind::Number)
}

/// A core-schema number (`12`, `-3`, `0x1F`, `0o17`, `1.5e3`), as JSON can hold it.
fn number(v: &str) -> Option<Number> {
    let digits = v.strip_prefix(['-', '+']).unwrap_or(v);
    if let Some(hex) = digits.strip_prefix("0x") {
        let n = i64::from_str_radix(hex, 16).ok()?;
        return Some(Number::from(if v.starts_with('-') { -n } else { n }));
    }
    if let Some(oct) = digits.strip_prefix("0o") {
        let n = i64::from_str_radix(oct, 8).ok()?;
        return Some(Number::from(if v.starts_with('-') { -n } else { n }));
    }
    if digits.is_empty()
        || !digits
            .bytes()
            .all(|b| b.is_ascii_digit() || b"._eE+-".contains(&b))
    {
        return None;
    }
    if !digits.as_bytes()[0].is_ascii_digit() && !digits.starts_with('.') {
        return None;
    }
    if digits.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(n) = v.trim_start_matches('+').parse::<i64>() {
            return Some(Number::from(n));
        }
        if let Ok(n) = v.trim_start_matches('+').parse::<u64>() {
            return Some(Number::from(n));
        }
    }
    crate::text::parse_f64(v.trim_start_matches('+'))
        .filter(|f| f.is_finite())
        .and_then(Number::from_f64)
}

/// Whether `v` is written as a decimal number but is beyond `f64` (`1e400`, `-1e999`).
fn overflows(v: &str) -> bool {
    let digits = v.strip_prefix(['-', '+']).unwrap_or(v);
    digits.as_bytes().first().is_some_and(u8::is_ascii_digit)
        && digits
            .bytes()
            .all(|b| b.is_ascii_digit() || b"._eE+-".contains(&b))
        && crate::text::parse_f64(digits).is_some_and(f64::is_infinite)
}

/// CloudFormation's short tags as their long form (see the module doc).
fn short_form(node: Node, tag: Option<&Tag>) -> Node {
    let Some(tag) = tag.filter(|t| t.handle == "!" && !t.suffix.is_empty()) else {
        return node;
    };
    let key = match tag.suffix.as_str() {
        "Ref" | "Condition" => tag.suffix.clone(),
        other => format!("Fn::{other}"),
    };
    let span = node.span;
    let key_span = Span::new(
        span.start,
        (span.start + 1 + tag.suffix.len() as u32).min(span.end.max(span.start)),
    );
    Node {
        span,
        kind: Kind::Object(vec![Member {
            key,
            key_span,
            value: node,
        }]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, span: Span) -> &str {
        &text[span.start as usize..span.end as usize]
    }

    #[test]
    fn numbers_beyond_f64_are_errors_as_in_json() {
        let text = "StartAt: A\nStates:\n  A:\n    Type: Wait\n    Seconds: 1e400\n    End: true\n";
        let e = parse(text).expect_err("1e400 is out of range");
        assert_eq!(e.message, "number 1e400 is out of range");
        assert_eq!(at(text, e.span), "1e400");
        // Quoted, or not a number at all, it stays a string.
        for ok in ["Seconds: '1e400'", "Seconds: 1e400x", "Seconds: -1e300"] {
            parse(ok).expect(ok);
        }
    }

    #[test]
    fn definitions_read_with_spans_into_the_yaml() {
        let text = "Comment: é — a test\nStartAt: First\nStates:\n  First:\n    Type: Pass\n    Result: {n: 1, f: 1.5, t: true, z: ~, s: '1'}\n    End: true\n";
        let node = parse(text).expect("valid YAML");
        let states = &node.get("States").expect("States").value;
        let first = &states.get("First").expect("First");
        assert_eq!(at(text, first.key_span), "First");
        let ty = &first.value.get("Type").expect("Type").value;
        assert_eq!(ty.as_str(), Some("Pass"));
        assert_eq!(at(text, ty.span), "Pass");
        let result = first.value.get("Result").expect("Result").value.to_value();
        assert_eq!(
            result.to_json_string(),
            r#"{"n":1,"f":1.5,"t":true,"z":null,"s":"1"}"#
        );
        assert_eq!(
            at(text, node.get("StartAt").expect("s").value.span),
            "First"
        );
    }

    #[test]
    fn short_tags_become_long_forms() {
        let text = "A: !Ref Fn\nB: !GetAtt Fn.Arn\nC: !Sub |\n  {\"x\": \"${Fn}\"}\nD: !Join ['', [a, !Ref X]]\n";
        let v = parse(text).expect("valid").to_value().to_json_string();
        assert_eq!(
            v,
            r#"{"A":{"Ref":"Fn"},"B":{"Fn::GetAtt":"Fn.Arn"},"C":{"Fn::Sub":"{\"x\": \"${Fn}\"}\n"},"D":{"Fn::Join":["",["a",{"Ref":"X"}]]}}"#
        );
    }

    #[test]
    fn anchors_and_errors() {
        let v = parse("a: &x {k: 1}\nb: *x\n").expect("valid").to_value();
        assert_eq!(v.to_json_string(), r#"{"a":{"k":1},"b":{"k":1}}"#);
        let text = "a: 1\nb: [1, 2\n";
        let e = parse(text).expect_err("unclosed");
        assert!(e.message.contains("YAML"), "{}", e.message);
        assert!(parse("").is_err());
        let deep = "[".repeat(10_000);
        assert!(parse(&deep).is_err());
        // Numbers YAML has and JSON lacks stay text; none of this panics.
        let v = parse("[.inf, .nan, 0x1F, -0o17, 1e3, 12abc, +5]").expect("valid");
        assert_eq!(
            v.to_value().to_json_string(),
            r#"[".inf",".nan",31,-15,1000.0,"12abc",5]"#
        );
    }
}
