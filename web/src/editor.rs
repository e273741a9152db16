//! A code editor made of a plain `<textarea>` over a highlighted `<pre>`: line numbers, JSON
//! colouring, diagnostic underlines, Tab indents. The textarea does all the editing (undo, IME,
//! selection, accessibility); its text is transparent and the overlay below draws the colours.
//! Owns no content: the caller passes the text signal.

use leptos::html;
use leptos::prelude::*;

use crate::core_api::{Diagnostic, Severity};
use crate::highlight;

/// A cursor move requested from outside (e.g. clicking a diagnostic): 1-based line and column.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Goto {
    pub line: usize,
    pub column: usize,
}

#[component]
pub fn Editor(
    /// The text being edited.
    text: RwSignal<String>,
    /// Diagnostics to underline.
    #[prop(into, optional)]
    diagnostics: Signal<Vec<Diagnostic>>,
    /// Set to move the cursor and focus the editor.
    #[prop(optional)]
    goto: Option<RwSignal<Option<Goto>>>,
    /// Where the cursor is (1-based line, column), for a status bar.
    #[prop(optional)]
    cursor: Option<RwSignal<(usize, usize)>>,
    /// `data-testid` of the textarea.
    testid: &'static str,
    /// Accessible label.
    label: &'static str,
) -> impl IntoView {
    let area = NodeRef::<html::Textarea>::new();
    let overlay = NodeRef::<html::Pre>::new();
    let gutter = NodeRef::<html::Div>::new();

    let line_count = Memo::new(move |_| text.with(|t| t.split('\n').count()));
    let numbers = move || {
        let errs: Vec<usize> = diagnostics.with(|d| d.iter().map(|d| d.line).collect());
        (1..=line_count.get())
            .map(|n| {
                let class = if errs.contains(&n) {
                    "ln ln-diag"
                } else {
                    "ln"
                };
                view! { <div class=class>{n}</div> }
            })
            .collect_view()
    };
    let html = move || text.with(|t| with_underlines(t, &diagnostics.get()));

    let sync_scroll = move || {
        if let (Some(a), Some(o), Some(g)) = (area.get(), overlay.get(), gutter.get()) {
            o.set_scroll_top(a.scroll_top());
            o.set_scroll_left(a.scroll_left());
            g.set_scroll_top(a.scroll_top());
        }
    };
    let report_cursor = move || {
        if let (Some(a), Some(c)) = (area.get(), cursor) {
            let pos = a.selection_start().ok().flatten().unwrap_or(0) as usize;
            c.set(text.with(|t| line_col(t, pos)));
        }
    };

    if let Some(goto) = goto {
        Effect::new(move |_| {
            if let (Some(g), Some(a)) = (goto.get(), area.get()) {
                let at = text.with(|t| utf16_offset(t, g.line, g.column)) as u32;
                let _ = a.focus();
                let _ = a.set_selection_range(at, at);
                // Bring the line into view: centre it in the visible height.
                let line_px = 20;
                let top = (g.line as i32 - 1) * line_px - a.client_height() / 2;
                a.set_scroll_top(top.max(0));
                goto.set(None);
                sync_scroll();
                report_cursor();
            }
        });
    }

    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Tab" && !ev.shift_key() && !ev.ctrl_key() && !ev.meta_key() {
            let Some(a) = area.get() else { return };
            ev.prevent_default();
            let start = a.selection_start().ok().flatten().unwrap_or(0);
            let end = a.selection_end().ok().flatten().unwrap_or(start);
            let _ = a.set_range_text_with_start_and_end("  ", start, end);
            let _ = a.set_selection_range(start + 2, start + 2);
            text.set(a.value());
        }
    };

    view! {
        <div class="editor">
            <div class="gutter" node_ref=gutter aria-hidden="true">{numbers}</div>
            <div class="code">
                <pre class="overlay" node_ref=overlay aria-hidden="true">
                    <code inner_html=html></code>
                </pre>
                <textarea
                    node_ref=area
                    data-testid=testid
                    aria-label=label
                    spellcheck="false"
                    autocomplete="off"
                    autocapitalize="off"
                    wrap="off"
                    prop:value=move || text.get()
                    on:input=move |ev| {
                        text.set(event_target_value(&ev));
                        report_cursor();
                    }
                    on:scroll=move |_| sync_scroll()
                    on:keydown=on_keydown
                    on:keyup=move |_| report_cursor()
                    on:click=move |_| report_cursor()
                ></textarea>
            </div>
        </div>
    }
}

/// The highlighted HTML, with each diagnostic's range wrapped in an underline span: from its
/// start to its end as the core reports them (byte spans), so the overlay marks exactly the text
/// the list names. A diagnostic with an empty or unusable range marks the token at its line and
/// column instead.
fn with_underlines(text: &str, diagnostics: &[Diagnostic]) -> String {
    if diagnostics.is_empty() {
        return highlight::to_html(text);
    }
    let mut marks: Vec<(usize, usize, Severity)> = diagnostics
        .iter()
        .filter_map(|d| {
            let (start, end) = (d.start, d.end);
            if start < end && text.get(start..end).is_some() {
                return Some((start, end, d.severity));
            }
            let start = byte_offset(text, d.line, d.column)?;
            Some((start, token_end(text, start), d.severity))
        })
        .collect();
    marks.sort_by_key(|m| m.0);
    let mut out = String::new();
    let mut at = 0;
    for (start, end, sev) in marks {
        if start < at {
            continue; // overlapping marks: the first wins
        }
        out.push_str(&highlight::fragment_html(&text[at..start]));
        let class = match sev {
            Severity::Error => "squiggle-error",
            Severity::Warning => "squiggle-warning",
        };
        if start == end {
            out.push_str(&format!("<span class=\"{class}\"> </span>"));
        } else {
            // One span per line: a range over several lines underlines each line's part (and
            // never the line breaks, which would draw nothing but break the overlay's layout).
            for (i, part) in text[start..end].split('\n').enumerate() {
                if i > 0 {
                    out.push('\n');
                }
                if !part.is_empty() {
                    out.push_str(&format!("<span class=\"{class}\">"));
                    out.push_str(&highlight::fragment_html(part));
                    out.push_str("</span>");
                }
            }
        }
        at = end;
    }
    out.push_str(&highlight::to_html(&text[at..]));
    out
}

/// Byte offset of a 1-based line and character column, if inside the text.
fn byte_offset(text: &str, line: usize, column: usize) -> Option<usize> {
    let line_start = if line <= 1 {
        0
    } else {
        text.match_indices('\n').nth(line - 2).map(|(i, _)| i + 1)?
    };
    let rest = &text[line_start..];
    let line_text = rest.split('\n').next().unwrap_or_default();
    let off = line_text
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line_text.len(), |(i, _)| i);
    Some(line_start + off)
}

/// End of the token starting at `start`: a whole string, or a run up to a delimiter.
fn token_end(text: &str, start: usize) -> usize {
    let rest = &text[start..];
    if let Some(body) = rest.strip_prefix('"') {
        let mut escaped = false;
        for (i, ch) in body.char_indices() {
            match ch {
                '\\' if !escaped => escaped = true,
                '"' if !escaped => return start + 1 + i + 1,
                '\n' => return start + 1 + i,
                _ => escaped = false,
            }
        }
        return text.len();
    }
    let n = rest
        .char_indices()
        .find(|(_, c)| matches!(c, ',' | '}' | ']' | '\n' | ' ' | ':'))
        .map_or(rest.len(), |(i, _)| i);
    start + n.max(rest.chars().next().map_or(0, char::len_utf8))
}

/// 1-based line and column of a UTF-16 offset (what the DOM's selection reports).
fn line_col(text: &str, utf16: usize) -> (usize, usize) {
    let (mut line, mut col, mut seen) = (1, 1, 0);
    for ch in text.chars() {
        if seen >= utf16 {
            break;
        }
        seen += ch.len_utf16();
        if ch == '\n' {
            line += 1;
            col = 1;
        } else {
            col += 1;
        }
    }
    (line, col)
}

/// UTF-16 offset of a 1-based line and column (for the DOM's selection).
fn utf16_offset(text: &str, line: usize, column: usize) -> usize {
    let byte = byte_offset(text, line, column).unwrap_or(text.len());
    text[..byte].chars().map(char::len_utf16).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_round_trip() {
        let t = "{\n  \"é\": 1,\n  \"b\": x\n}";
        assert_eq!(byte_offset(t, 3, 8), Some(t.find('x').unwrap_or(0)));
        assert_eq!(line_col(t, utf16_offset(t, 3, 8)), (3, 8));
        assert_eq!(byte_offset(t, 9, 1), None);
    }

    #[test]
    fn underline_wraps_the_token() {
        let d = Diagnostic {
            severity: Severity::Error,
            code: "X".into(),
            message: String::new(),
            pointer: String::new(),
            line: 1,
            column: 7,
            start: 0,
            end: 0,
        };
        let html = with_underlines("{\"a\": \"Nope\"}", &[d]);
        assert!(
            html.contains("<span class=\"squiggle-error\">\"Nope\"</span>"),
            "{html}"
        );
    }

    #[test]
    fn underline_covers_the_whole_range_line_by_line() {
        let text = "{\"a\": {\n  \"b\": 1\n}}";
        let start = text.find('{').map_or(0, |i| i + 6);
        let d = Diagnostic {
            severity: Severity::Warning,
            code: "X".into(),
            message: String::new(),
            pointer: String::new(),
            line: 1,
            column: 7,
            start,
            end: text.len() - 1,
        };
        let html = with_underlines(text, &[d]);
        assert_eq!(html.matches("squiggle-warning").count(), 3, "{html}");
    }
}
