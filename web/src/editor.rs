//! A code editor made of a plain `<textarea>` over a highlighted `<pre>`: line numbers, JSON
//! colouring, diagnostic underlines, Tab indents. The textarea does all the editing (undo, IME,
//! selection, accessibility); its text is transparent and the overlay below draws the colours.
//! Owns no content: the caller passes the text signal.

use std::ops::Range;

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
/// Lines drawn above and below the visible ones: room for the editor to grow (a shorter problems
/// list) before the next redraw.
const MARGIN_LINES: usize = 30;

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

    // Only the lines in view (and a margin) are drawn, in the overlay and in the gutter: drawing
    // all of them made the browser lay out, restyle and hit-test ~30,000 boxes on every keystroke
    // in a 200-state definition (benches/README.md, "The playground: typing"). The drawn lines
    // are moved under the textarea's scroll position by a transform.
    let code = NodeRef::<html::Code>::new();
    let numbers = NodeRef::<html::Div>::new();
    let shown = StoredValue::new(Shown::default());
    // Whether the text or the diagnostics changed since the last drawing (a scroll alone redraws
    // only when the rows in view moved).
    let changed = StoredValue::new(true);
    // Whether the textarea's scroll position or height may have changed since the last drawing:
    // it scrolled, the window was resized, or the diagnostics changed (the problems list below
    // the editor takes their height). Typing that scrolls the textarea fires a scroll event.
    let measure = StoredValue::new(true);
    let render = move || {
        let (Some(a), Some(code), Some(numbers)) = (
            area.get_untracked(),
            code.get_untracked(),
            numbers.get_untracked(),
        ) else {
            return;
        };
        // The scroll position and height as last measured, unless something may have moved
        // them (or the editor had no height then): reading them after a keystroke made the
        // browser lay out the typed text once more, before the frame's own layout.
        let view = if measure.get_value() || shown.with_value(|s| s.view.2 == 0) {
            measure.set_value(false);
            let top = a.scroll_top().max(0) as usize;
            (top, a.scroll_left(), a.client_height().max(0) as usize)
        } else {
            shown.with_value(|s| s.view)
        };
        if !changed.get_value() && shown.with_value(|s| s.view == view) {
            return;
        }
        let (top, left, height) = view;
        changed.set_value(false);
        let (first, lines, marked) = text.with_untracked(|t| {
            diagnostics.with_untracked(|d| {
                let count = t.split('\n').count();
                let first = (top / LINE_PX as usize)
                    .saturating_sub(MARGIN_LINES)
                    .min(count);
                let end = ((top + height) / LINE_PX as usize + 1 + MARGIN_LINES).min(count);
                let lines = lines_html(t, d, first..end);
                let mut marked: Vec<bool> = vec![false; end - first];
                for d in d {
                    if let Some(m) = d
                        .line
                        .checked_sub(first + 1)
                        .and_then(|i| marked.get_mut(i))
                    {
                        *m = true;
                    }
                }
                (first, lines, marked)
            })
        });
        let shift = first as f64 * LINE_PX - top as f64;
        let place = (
            format!(
                "transform:translate({}px,{}px)",
                -left,
                asl_core::float_fmt::display(shift)
            ),
            format!(
                "transform:translateY({}px)",
                asl_core::float_fmt::display(shift)
            ),
        );
        let lines: Vec<Row> = lines
            .into_iter()
            .map(|html| Row { class: "ol", html })
            .collect();
        let rows: Vec<Row> = (first + 1..)
            .zip(marked)
            .map(|(n, m)| Row {
                class: if m { "ln ln-diag" } else { "ln" },
                html: n.to_string(),
            })
            .collect();
        shown.update_value(|s| {
            if s.place != place {
                let _ = code.set_attribute("style", &place.0);
                let _ = numbers.set_attribute("style", &place.1);
            }
            patch_window(&numbers, s.first, &s.numbers, first, &rows);
            patch_window(&code, s.first, &s.lines, first, &lines);
            *s = Shown {
                first,
                lines,
                numbers: rows,
                place,
                view,
            };
        });
    };
    // Drawn in the next animation frame, not in the input handler: keys that come faster than
    // frames cost one drawing, and the handler does not force a layout of the just-typed text to
    // read the scroll position (benches/README.md, "The playground: typing").
    let queued = StoredValue::new(false);
    let render_soon = move || {
        if queued.try_update_value(|q| std::mem::replace(q, true)) == Some(false) {
            request_animation_frame(move || {
                // `None`: the editor is gone.
                if queued.try_set_value(false).is_none() {
                    render();
                }
            });
        }
    };
    Effect::new(move |_| {
        text.track();
        changed.set_value(true);
        render_soon();
    });
    // Scroll and resize events come in the frame, before its animation-frame callbacks: drawn at
    // once, so that callbacks already waiting for this frame see the rows in place.
    let sync_scroll = move || {
        measure.set_value(true);
        render();
    };
    // New diagnostics (a finished analysis, off the typing path) are drawn at once too: the
    // problems list they come with changes the editor's height, and with it, at the end of the
    // text, the scroll position, which the browser reports by a scroll event only a frame later.
    Effect::new(move |_| {
        diagnostics.track();
        changed.set_value(true);
        sync_scroll();
    });
    // The editor's height can change with the window's (the margin covers smaller changes).
    let resize = window_event_listener(leptos::ev::resize, move |_| sync_scroll());
    on_cleanup(move || resize.remove());

    // The text into the textarea, except the text it has just reported itself (typing): writing
    // that back would copy the whole text into JS for the browser to compare, on every keystroke.
    let echo = StoredValue::new(None::<String>);
    Effect::new(move |_| {
        let Some(a) = area.get() else { return };
        text.with(|t| {
            if echo.write_value().take().as_deref() != Some(t.as_str()) {
                a.set_value(t);
            }
        });
    });
    let report_cursor = move || {
        if let (Some(a), Some(c)) = (area.get(), cursor) {
            let pos = a.selection_start().ok().flatten().unwrap_or(0) as usize;
            let at = text.with(|t| line_col(t, pos));
            if c.get_untracked() != at {
                c.set(at);
            }
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
            let value = a.value();
            echo.set_value(Some(value.clone()));
            text.set(value);
        }
    };

    view! {
        <div class="editor">
            <div class="gutter" aria-hidden="true"><div node_ref=numbers></div></div>
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
                    on:input=move |ev| {
                        let value = event_target_value(&ev);
                        echo.set_value(Some(value.clone()));
                        text.set(value);
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

/// The overlay's HTML for the lines in `range` (0-based), one string per line: highlighted, with
/// diagnostics' ranges underlined (a range over several lines underlines each line's part).
fn lines_html(text: &str, diagnostics: &[Diagnostic], range: Range<usize>) -> Vec<String> {
    let marks = marks(text, diagnostics);
    let mut out = Vec::with_capacity(range.len());
    let mut start = if range.start == 0 {
        0
    } else {
        text.match_indices('\n')
            .nth(range.start - 1)
            .map_or(text.len() + 1, |(i, _)| i + 1)
    };
    for line in text
        .get(start..)
        .unwrap_or_default()
        .split('\n')
        .take(range.len())
    {
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

/// One drawn line: its element's class and content.
#[derive(PartialEq, Debug)]
struct Row {
    class: &'static str,
    html: String,
}

/// What the overlay and the gutter show now: the rows of lines `first..`.
#[derive(Default)]
struct Shown {
    first: usize,
    lines: Vec<Row>,
    numbers: Vec<Row>,
    /// The overlay's and the gutter's `style` (their transforms).
    place: (String, String),
    /// The textarea's scroll position and height they were drawn for.
    view: (usize, i32, usize),
}

/// Makes `parent`'s children, showing `old` from line `old_first`, show `new` from line
/// `new_first`: rows scrolled out of view are removed, rows scrolled into view added, and of the
/// rest only those that differ are rewritten.
fn patch_window(
    parent: &web_sys::HtmlElement,
    old_first: usize,
    old: &[Row],
    new_first: usize,
    new: &[Row],
) {
    let children = parent.children();
    let (mut old, mut new) = (old, new);
    let mut prepended = 0;
    if new_first > old_first {
        // Scrolled down: the first rows leave.
        let gone = (new_first - old_first).min(old.len());
        for _ in 0..gone {
            if let Some(el) = children.item(0) {
                el.remove();
            }
        }
        old = &old[gone..];
    } else if new_first < old_first {
        // Scrolled up: rows come in above.
        prepended = (old_first - new_first).min(new.len());
        let anchor = children.item(0);
        insert_rows(parent, &new[..prepended], anchor.as_ref());
        new = &new[prepended..];
    }
    patch_rows(parent, prepended, old, new);
}

/// Makes `parent`'s children from `offset` on show `new` instead of `old`, touching only the
/// rows between the unchanged head and tail.
fn patch_rows(parent: &web_sys::HtmlElement, offset: usize, old: &[Row], new: &[Row]) {
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
    let children = parent.children();
    // Between the head and the tail, most rows are often unchanged too: until the new analysis
    // arrives, the last diagnostics' byte ranges shift by the typed characters, so the lines
    // they underline differ and end the unchanged tail early.
    for i in 0..old_mid.min(new_mid) {
        let (o, n) = (&old[head + i], &new[head + i]);
        if o == n {
            continue;
        }
        if let Some(el) = children.item((offset + head + i) as u32) {
            if o.class != n.class {
                el.set_class_name(n.class);
            }
            if o.html != n.html {
                el.set_inner_html(&n.html);
            }
        }
    }
    if new_mid > old_mid {
        let anchor = children.item((offset + head + old_mid) as u32);
        insert_rows(
            parent,
            &new[head + old_mid..head + new_mid],
            anchor.as_ref(),
        );
    } else {
        for _ in new_mid..old_mid {
            if let Some(el) = children.item((offset + head + new_mid) as u32) {
                el.remove();
            }
        }
    }
}

/// Adds an element per row to `parent`, before `anchor` (at the end without one).
fn insert_rows(parent: &web_sys::HtmlElement, rows: &[Row], anchor: Option<&web_sys::Element>) {
    let Some(doc) = parent.owner_document() else {
        return;
    };
    for row in rows {
        if let Ok(el) = doc.create_element("div") {
            el.set_class_name(row.class);
            el.set_inner_html(&row.html);
            let _ = parent.insert_before(&el, anchor.map(|a| a.as_ref()));
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
        let html = lines_html("{\"a\": \"Nope\"}", &[d], 0..1).concat();
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
        let html = lines_html(text, &[d], 0..3).join("\n");
        assert_eq!(html.matches("squiggle-warning").count(), 3, "{html}");
    }
}
