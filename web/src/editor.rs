//! A code editor made of a plain `<textarea>` over a highlighted `<pre>`: line numbers, JSON
//! colouring, diagnostic underlines, Tab indents. The textarea does all the editing (undo, IME,
//! selection, accessibility); its text is transparent and the overlay below draws the colours.
//! Owns no content: the caller passes the text signal.

use leptos::html;
use leptos::prelude::*;

use crate::core_api::{Diagnostic, Severity};
use crate::highlight;

/// Where the mouse rests over the text.
#[derive(Clone, Copy, PartialEq, Debug)]
pub struct Hover {
    pub line: usize,
    pub column: usize,
    pub x: f64,
    pub y: f64,
}

/// The editor's line height and padding (px), as the stylesheet sets them.
const LINE_PX: f64 = 20.0;
const PAD_TOP: f64 = 8.0;
const PAD_LEFT: f64 = 12.0;

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
    /// The text position under the mouse (1-based line, column) and the mouse's page position,
    /// for hover help; `None` when the mouse is not over text.
    #[prop(optional)]
    hover: Option<RwSignal<Option<Hover>>>,
    /// `data-testid` of the textarea.
    testid: &'static str,
    /// Accessible label.
    label: &'static str,
) -> impl IntoView {
    let area = NodeRef::<html::Textarea>::new();
    let overlay = NodeRef::<html::Pre>::new();
    let gutter = NodeRef::<html::Div>::new();

    let line_count = Memo::new(move |_| text.with(|t| t.split('\n').count()));
    // Keyed by number: a keystroke that adds a line adds one row, not a whole new gutter.
    let diag_lines = Memo::new(move |_| {
        let mut l: Vec<usize> = diagnostics.with(|d| d.iter().map(|d| d.line).collect());
        asl_core::sort::sort(&mut l);
        l.dedup();
        l
    });
    let numbers = move || {
        view! {
            <For each=move || 1..=line_count.get() key=|n| *n children=move |n| view! {
                <div class="ln" class:ln-diag=move || diag_lines.with(|l| l.binary_search(&n).is_ok())>{n}</div>
            }/>
        }
    };
    // The overlay is one element per line, patched where the lines changed: re-rendering the
    // whole highlighted text made the browser lay out every line again on every keystroke
    // (~130 ms for 4,000 lines).
    let code = NodeRef::<html::Code>::new();
    let shown = StoredValue::new(Vec::<String>::new());
    Effect::new(move |_| {
        let Some(code) = code.get() else { return };
        let lines = text.with(|t| diagnostics.with(|d| lines_html(t, d)));
        shown.update_value(|old| {
            patch_lines(&code, old, &lines);
            *old = lines;
        });
    });

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
                    <code node_ref=code></code>
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
                    on:mousemove=move |ev: leptos::ev::MouseEvent| {
                        let (Some(h), Some(a), Some(o)) = (hover, area.get(), overlay.get()) else { return };
                        // Monospaced text: the character cell under the mouse, from the overlay's
                        // measured character width.
                        let cw = char_width(&o);
                        if cw <= 0.0 { return; }
                        let r = a.get_bounding_client_rect();
                        let y = ev.client_y() as f64 - r.top() + a.scroll_top() as f64 - PAD_TOP;
                        let x = ev.client_x() as f64 - r.left() + a.scroll_left() as f64 - PAD_LEFT;
                        let at = (y >= 0.0 && x >= 0.0).then(|| Hover {
                            line: (y / LINE_PX) as usize + 1,
                            column: (x / cw) as usize + 1,
                            x: ev.client_x() as f64,
                            y: ev.client_y() as f64,
                        });
                        if h.get_untracked() != at { h.set(at); }
                    }
                    on:mouseleave=move |_| if let Some(h) = hover { h.set(None) }
                ></textarea>
            </div>
        </div>
    }
}

/// The width of one character of the editor's monospaced font, measured once per call on a
/// probe in the overlay (no layout cost worth caching at mouse-move rates).
fn char_width(overlay: &web_sys::HtmlElement) -> f64 {
    let Some(doc) = overlay.owner_document() else {
        return 0.0;
    };
    let Ok(probe) = doc.create_element("span") else {
        return 0.0;
    };
    probe.set_text_content(Some("0000000000"));
    if overlay.append_child(&probe).is_err() {
        return 0.0;
    }
    let w = probe.get_bounding_client_rect().width() / 10.0;
    let _ = overlay.remove_child(&probe);
    w
}

/// Each diagnostic's range as byte offsets, sorted, overlaps dropped (the first wins): from its
/// start to its end as the core reports them (byte spans), so the overlay marks exactly the text
/// the list names. A diagnostic with an empty or unusable range marks the token at its line and
/// column instead.
fn marks(text: &str, diagnostics: &[Diagnostic]) -> Vec<(usize, usize, Severity)> {
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
    asl_core::sort::sort_by_key(&mut marks, |m| m.0);
    let mut at = 0;
    marks.retain(|m| {
        let keep = m.0 >= at;
        if keep {
            at = m.1;
        }
        keep
    });
    marks
}

/// The overlay's HTML, one string per line of the text: highlighted, with diagnostics' ranges
/// underlined (a range over several lines underlines each line's part).
fn lines_html(text: &str, diagnostics: &[Diagnostic]) -> Vec<String> {
    let marks = marks(text, diagnostics);
    let mut out = Vec::with_capacity(text.len() / 32);
    let mut start = 0;
    for line in text.split('\n') {
        let end = start + line.len();
        let mut html = String::new();
        let mut at = start;
        for &(s, e, sev) in &marks {
            let (s2, e2) = (s.max(start), e.min(end));
            let empty = s == e;
            if (empty && !(start..=end).contains(&s)) || (!empty && s2 >= e2) || s2 < at {
                continue;
            }
            html.push_str(&highlight::fragment_html(&text[at..s2]));
            let class = match sev {
                Severity::Error => "squiggle-error",
                Severity::Warning => "squiggle-warning",
            };
            html.push_str(&format!("<span class=\"{class}\">"));
            if empty {
                html.push(' ');
            } else {
                html.push_str(&highlight::fragment_html(&text[s2..e2]));
            }
            html.push_str("</span>");
            at = e2.max(s2);
        }
        html.push_str(&highlight::fragment_html(&text[at..end]));
        out.push(html);
        start = end + 1;
    }
    out
}

/// Makes the overlay's line elements show `new`, touching only the lines between the unchanged
/// head and tail.
fn patch_lines(code: &web_sys::HtmlElement, old: &[String], new: &[String]) {
    let head = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let room = old.len().min(new.len()) - head;
    let tail = old
        .iter()
        .rev()
        .zip(new.iter().rev())
        .take(room)
        .take_while(|(a, b)| a == b)
        .count();
    let (old_mid, new_mid) = (old.len() - head - tail, new.len() - head - tail);
    let children = code.children();
    // Between the head and the tail, most lines are often unchanged too: until the new analysis
    // arrives, the last diagnostics' byte ranges shift by the typed characters, so the lines
    // they underline (anywhere below the edit) differ and end the unchanged tail early.
    // Rewriting every line in between made one keystroke in a 200-state definition rewrite
    // ~1,000 lines (tests/browser/typing-bench.mjs: ~200 ms input to paint).
    for i in 0..old_mid.min(new_mid) {
        if old[head + i] == new[head + i] {
            continue;
        }
        if let Some(el) = children.item((head + i) as u32) {
            el.set_inner_html(&new[head + i]);
        }
    }
    if new_mid > old_mid {
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let anchor = children.item((head + old_mid) as u32);
        for line in &new[head + old_mid..head + new_mid] {
            if let Ok(el) = doc.create_element("div") {
                el.set_class_name("ol");
                el.set_inner_html(line);
                let _ = code.insert_before(&el, anchor.as_ref().map(|a| a.as_ref()));
            }
        }
    } else {
        for _ in new_mid..old_mid {
            if let Some(el) = children.item((head + new_mid) as u32) {
                el.remove();
            }
        }
    }
}

/// Byte offset of a 1-based line and character column, if inside the text.
pub fn byte_offset(text: &str, line: usize, column: usize) -> Option<usize> {
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
            lint: false,
            fix: None,
        };
        let html = lines_html("{\"a\": \"Nope\"}", &[d]).concat();
        assert!(
            html.contains(
                "<span class=\"squiggle-error\"><span class=\"t-str\">\"Nope\"</span></span>"
            ),
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
            lint: false,
            fix: None,
        };
        let html = lines_html(text, &[d]).join("\n");
        assert_eq!(html.matches("squiggle-warning").count(), 3, "{html}");
    }
}
