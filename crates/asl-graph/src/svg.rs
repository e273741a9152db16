//! SVG output: our own markup from the [`Layout`], not layout-rs's writer.
//!
//! Owns shapes, colours (light/dark themes), escaping, ids and the CSS hooks the runtime overlay uses.
//! Contract with the UI (browser, docs embeds):
//! - every node is a `<g class="asl-node asl-kind-…">` with `id="{prefix}-{node id}"` and
//!   `data-state="{state path}"` (e.g. `Process/0/Transcode`); markers have `data-marker`;
//! - every edge is a `<g class="asl-edge asl-edge-…">` with `id="{prefix}-{edge id}"` and
//!   `data-from`/`data-to` state paths;
//! - execution status is a class on the node group: `not-run`, `active`, `succeeded`, `failed`,
//!   `caught`, `retrying` (and `taken` on edges), so the UI toggles a class and never re-lays out;
//! - problems found in the definition ([`RenderOptions::problems`]) are a class on the node group,
//!   `has-error` or `has-warning` (a run's status classes, written after them, win where both
//!   are set: during a run the outcome matters more), and their messages are in the node's `<title>` (shown on
//!   hover); like status they change no geometry;
//! - a transition to a state that does not exist ends at a small dashed `? Name` node
//!   (`asl-kind-missing`, `data-missing="Name"`) and its edge group has the extra class
//!   `asl-edge-dangling`; its `data-to` is `?Name`;
//! - all rules in the `<style>` are scoped under `#{prefix}`, and every id starts with the prefix, so
//!   two diagrams on one page never collide; the default prefix is derived from the graph's content.
//!
//! Output is deterministic: numbers are printed with at most two decimals and everything is emitted in
//! definition order.

use std::fmt::Write as _;

use crate::geom::{Cubic, Point};
use crate::graph::{Edge, Graph, Node, NodeKind, Scope};
use crate::layout::{self, EdgeGeom, Layout, NodeGeom, ScopeGeom, Shape};

/// Colour theme.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    /// Dark text on white.
    #[default]
    Light,
    /// Light text on a dark background.
    Dark,
    /// Light, switching to dark under `prefers-color-scheme: dark`.
    Auto,
}

/// Execution status of a node, shown as a CSS class.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// Not reached (yet).
    NotRun,
    /// Running now.
    Active,
    /// Finished successfully.
    Succeeded,
    /// Failed.
    Failed,
    /// Failed and the error was caught.
    Caught,
    /// Failed and is being retried.
    Retrying,
}

impl Status {
    /// The CSS class.
    pub fn class(self) -> &'static str {
        match self {
            Status::NotRun => "not-run",
            Status::Active => "active",
            Status::Succeeded => "succeeded",
            Status::Failed => "failed",
            Status::Caught => "caught",
            Status::Retrying => "retrying",
        }
    }
}

/// How to draw.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RenderOptions {
    /// Colour theme.
    pub theme: Theme,
    /// Prefix of every id and of the CSS scope; sanitised to `[A-Za-z0-9_-]`. Default: derived
    /// from the graph's content.
    pub id_prefix: Option<String>,
    /// Initial status per state path (e.g. a snapshot of an execution); empty for a plain diagram.
    pub status: Vec<(String, Status)>,
    /// Problems found in the definition, per state path (see [`crate::problems`], which makes
    /// them from asl-core's diagnostics); empty for a valid one.
    pub problems: Vec<Problem>,
}

/// A problem with one state, shown on its node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The state path, as in `data-state` (e.g. `Process/0/Transcode`).
    pub path: String,
    /// The message, shown on hover.
    pub message: String,
    /// True for an error (`has-error`), false for a warning (`has-warning`).
    pub error: bool,
}

struct Palette {
    bg: &'static str,
    node_fill: &'static str,
    node_stroke: &'static str,
    text: &'static str,
    caption: &'static str,
    edge: &'static str,
    catch: &'static str,
    label_fill: &'static str,
    label_text: &'static str,
    container_fill: &'static str,
    frame_fill: &'static str,
    frame_stroke: &'static str,
    marker_fill: &'static str,
    marker_text: &'static str,
    badge_fill: &'static str,
    badge_text: &'static str,
    /// task, pass, choice, wait, succeed, fail, parallel, map
    accents: [&'static str; 8],
    choice_fill: &'static str,
    succeed_fill: &'static str,
    fail_fill: &'static str,
    active: &'static str,
    active_fill: &'static str,
    ok: &'static str,
    ok_fill: &'static str,
    bad: &'static str,
    bad_fill: &'static str,
    warn: &'static str,
    warn_fill: &'static str,
}

const LIGHT: Palette = Palette {
    bg: "#ffffff",
    node_fill: "#ffffff",
    node_stroke: "#b4bcc7",
    text: "#16191f",
    caption: "#5f6b7a",
    edge: "#7d8998",
    catch: "#c2410c",
    label_fill: "#ffffff",
    label_text: "#414d5c",
    container_fill: "#f7f8fa",
    frame_fill: "#ffffff",
    frame_stroke: "#b4bcc7",
    marker_fill: "#414d5c",
    marker_text: "#ffffff",
    badge_fill: "#fff4e5",
    badge_text: "#8a4b00",
    accents: [
        "#0972d3", "#7d8998", "#7b3fe4", "#b45309", "#037f0c", "#d91515", "#0f766e", "#c2410c",
    ],
    choice_fill: "#f5f0ff",
    succeed_fill: "#effaf0",
    fail_fill: "#fff1f0",
    active: "#0972d3",
    active_fill: "#e8f2fd",
    ok: "#037f0c",
    ok_fill: "#effaf0",
    bad: "#d91515",
    bad_fill: "#fff1f0",
    warn: "#d97706",
    warn_fill: "#fff7e6",
};

const DARK: Palette = Palette {
    bg: "#0f141a",
    node_fill: "#1b232d",
    node_stroke: "#4b5868",
    text: "#e9edf2",
    caption: "#a3aebb",
    edge: "#8d99a8",
    catch: "#f59e61",
    label_fill: "#0f141a",
    label_text: "#c8d0da",
    container_fill: "#151c24",
    frame_fill: "#0f141a",
    frame_stroke: "#4b5868",
    marker_fill: "#c8d0da",
    marker_text: "#0f141a",
    badge_fill: "#3b2a12",
    badge_text: "#fbbf72",
    accents: [
        "#539fe5", "#a3aebb", "#a78bfa", "#f59e0b", "#4ade80", "#f87171", "#2dd4bf", "#fb923c",
    ],
    choice_fill: "#241c38",
    succeed_fill: "#12291a",
    fail_fill: "#2f1616",
    active: "#539fe5",
    active_fill: "#132a40",
    ok: "#4ade80",
    ok_fill: "#12291a",
    bad: "#f87171",
    bad_fill: "#2f1616",
    warn: "#f59e0b",
    warn_fill: "#33260d",
};

/// Render a laid-out graph.
pub fn write(graph: &Graph, lay: &Layout, opts: &RenderOptions) -> String {
    let prefix = match &opts.id_prefix {
        Some(p) => sanitize_prefix(p),
        None => format!("asl-{:08x}", content_hash(graph)),
    };
    let theme_class = match opts.theme {
        Theme::Light => "light",
        Theme::Dark => "dark",
        Theme::Auto => "auto",
    };
    let mut out = String::with_capacity(4096 + 1200 * graph.root.node_count());
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" id="{prefix}" class="asl-graph asl-theme-{theme_class}" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{aria}">"#,
        w = num(lay.width),
        h = num(lay.height),
        aria = esc(if graph.comment.is_empty() {
            "State machine graph"
        } else {
            &graph.comment
        }),
    );
    out.push('\n');
    if !graph.comment.is_empty() {
        let _ = writeln!(out, "<title>{}</title>", esc(&graph.comment));
    }
    out.push_str("<style>\n");
    match opts.theme {
        Theme::Light => css(&mut out, &prefix, &LIGHT),
        Theme::Dark => css(&mut out, &prefix, &DARK),
        Theme::Auto => {
            css(&mut out, &prefix, &LIGHT);
            out.push_str("@media (prefers-color-scheme: dark) {\n");
            css(&mut out, &prefix, &DARK);
            out.push_str("}\n");
        }
    }
    out.push_str("</style>\n");
    let _ = writeln!(
        out,
        r#"<rect class="asl-bg" width="{}" height="{}"/>"#,
        num(lay.width),
        num(lay.height)
    );
    let unrouted = crate::layout::unrouted(&lay.root);
    if unrouted > 0 {
        let _ = writeln!(
            out,
            r##"<text class="asl-note" x="{}" y="{}" font-size="12" fill="#8a4b00">{unrouted} long edge{} drawn straight, not routed: too many to route in a definition this big.</text>"##,
            num(crate::layout::MARGIN),
            num(crate::layout::MARGIN + 4.0),
            if unrouted == 1 { " is" } else { "s are" },
        );
    }
    let w = Writer {
        prefix: &prefix,
        status: &opts.status,
        problems: &opts.problems,
    };
    w.scope(&mut out, &graph.root, &lay.root);
    out.push_str("</svg>\n");
    out
}

fn css(out: &mut String, p: &str, c: &Palette) {
    let r = format!("#{p}");
    let _ = write!(
        out,
        "{r}{{font-family:Helvetica,Arial,sans-serif}}\n\
{r} .asl-bg{{fill:{bg}}}\n\
{r} .asl-shape{{fill:{nf};stroke:{ns};stroke-width:1.5}}\n\
{r} .asl-name{{fill:{tx};font-size:14px;font-weight:600;text-anchor:middle}}\n\
{r} .asl-caption{{fill:{cap};font-size:11.5px;text-anchor:middle}}\n\
{r} .asl-line{{fill:none;stroke:{ed};stroke-width:1.5}}\n\
{r} .asl-head{{fill:{ed}}}\n\
{r} .asl-edge-catch .asl-line{{stroke:{ca};stroke-dasharray:6 4}}\n\
{r} .asl-edge-catch .asl-head{{fill:{ca}}}\n\
{r} .asl-label rect{{fill:{lf};stroke:{ns};stroke-width:1}}\n\
{r} .asl-label text{{fill:{lt};font-size:11.5px;text-anchor:middle}}\n\
{r} .asl-edge-catch .asl-label text{{fill:{ca}}}\n\
{r} .asl-kind-parallel>.asl-shape,{r} .asl-kind-map>.asl-shape{{fill:{cf}}}\n\
{r} .asl-frame{{fill:{ff};stroke:{fs};stroke-width:1;stroke-dasharray:4 3}}\n\
{r} .asl-marker>.asl-shape{{fill:{mf};stroke:none}}\n\
{r} .asl-marker>.asl-name{{fill:{mt};font-size:12.5px}}\n\
{r} .asl-retry rect{{fill:{bf};stroke:{bt};stroke-width:1}}\n\
{r} .asl-retry text{{fill:{bt};font-size:11px;font-weight:600;text-anchor:middle}}\n\
{r} .asl-kind-choice>.asl-shape{{fill:{chf};stroke:{a2}}}\n\
{r} .asl-kind-succeed>.asl-shape{{fill:{sf};stroke:{a4}}}\n\
{r} .asl-kind-fail>.asl-shape{{fill:{ff2};stroke:{a5}}}\n\
{r} .asl-kind-task>.asl-accent{{fill:{a0}}}\n\
{r} .asl-kind-pass>.asl-accent{{fill:{a1}}}\n\
{r} .asl-kind-wait>.asl-accent{{fill:{a3}}}\n\
{r} .asl-kind-parallel>.asl-accent{{fill:{a6}}}\n\
{r} .asl-kind-map>.asl-accent{{fill:{a7}}}\n\
{r} .asl-node.has-error>.asl-shape{{stroke:{bad};stroke-width:2.5;stroke-dasharray:7 3}}\n\
{r} .asl-node.has-warning>.asl-shape{{stroke:{wa};stroke-width:2;stroke-dasharray:7 3}}\n\
{r} .asl-node.not-run{{opacity:.45}}\n\
{r} .asl-node.active>.asl-shape{{stroke:{ac};stroke-width:3;stroke-dasharray:none;fill:{acf}}}\n\
{r} .asl-node.succeeded>.asl-shape{{stroke:{ok};stroke-width:2.5;stroke-dasharray:none;fill:{okf}}}\n\
{r} .asl-node.failed>.asl-shape{{stroke:{bad};stroke-width:2.5;stroke-dasharray:none;fill:{badf}}}\n\
{r} .asl-node.caught>.asl-shape{{stroke:{wa};stroke-width:2.5;stroke-dasharray:none;fill:{waf}}}\n\
{r} .asl-node.retrying>.asl-shape{{stroke:{wa};stroke-width:2.5;stroke-dasharray:5 3;fill:{waf}}}\n\
{r} .asl-edge.taken .asl-line{{stroke:{ac};stroke-width:2.5}}\n\
{r} .asl-edge.taken .asl-head{{fill:{ac}}}\n\
{r} .asl-kind-missing>.asl-shape{{fill:{bg};stroke:{bad};stroke-width:1.5;stroke-dasharray:3 3}}\n\
{r} .asl-kind-missing>.asl-name{{fill:{bad};font-size:12.5px}}\n\
{r} .asl-edge-dangling .asl-line{{stroke:{bad};stroke-dasharray:2 3}}\n\
{r} .asl-edge-dangling .asl-head{{fill:{bad}}}\n",
        bg = c.bg,
        nf = c.node_fill,
        ns = c.node_stroke,
        tx = c.text,
        cap = c.caption,
        ed = c.edge,
        ca = c.catch,
        lf = c.label_fill,
        lt = c.label_text,
        cf = c.container_fill,
        ff = c.frame_fill,
        fs = c.frame_stroke,
        mf = c.marker_fill,
        mt = c.marker_text,
        bf = c.badge_fill,
        bt = c.badge_text,
        chf = c.choice_fill,
        sf = c.succeed_fill,
        ff2 = c.fail_fill,
        a0 = c.accents[0],
        a1 = c.accents[1],
        a2 = c.accents[2],
        a3 = c.accents[3],
        a4 = c.accents[4],
        a5 = c.accents[5],
        a6 = c.accents[6],
        a7 = c.accents[7],
        ac = c.active,
        acf = c.active_fill,
        ok = c.ok,
        okf = c.ok_fill,
        bad = c.bad,
        badf = c.bad_fill,
        wa = c.warn,
        waf = c.warn_fill,
    );
}

struct Writer<'a> {
    prefix: &'a str,
    status: &'a [(String, Status)],
    problems: &'a [Problem],
}

impl Writer<'_> {
    fn scope(&self, out: &mut String, scope: &Scope, geo: &ScopeGeom) {
        let mut unrouted = vec![false; geo.edges.len()];
        for &i in &geo.unrouted {
            if let Some(u) = unrouted.get_mut(i) {
                *u = true;
            }
        }
        for ((e, g), &u) in scope.edges.iter().zip(&geo.edges).zip(&unrouted) {
            self.edge(out, scope, e, g, u);
        }
        for (n, g) in scope.nodes.iter().zip(&geo.nodes) {
            self.node(out, n, g);
        }
    }

    fn edge(&self, out: &mut String, scope: &Scope, e: &Edge, g: &EdgeGeom, unrouted: bool) {
        let end_name = |i: usize| scope.nodes.get(i).map_or(String::new(), node_ref);
        let dangling = scope
            .nodes
            .get(e.to)
            .is_some_and(|t| t.kind == NodeKind::Missing);
        let _ = writeln!(
            out,
            r#"<g id="{}-{}" class="asl-edge asl-edge-{}{}{} data-from="{}" data-to="{}">"#,
            self.prefix,
            e.id,
            e.kind.css(),
            if dangling { " asl-edge-dangling" } else { "" },
            // Faded by an attribute: the style sheet stays as it is for every other drawing.
            if unrouted {
                r##" asl-edge-unrouted" opacity=".5""##
            } else {
                r#"""#
            },
            esc(&end_name(e.from)),
            esc(&end_name(e.to)),
        );
        if let Some(last) = g.path.last() {
            let tip = last[3];
            let dir = tangent_at_end(last);
            let mut path = g.path.clone();
            // Stop the line inside the arrowhead so its square end does not poke through the tip.
            let n = path.len();
            path[n - 1][3] = tip.minus(dir.scale(ARROW_LEN - 1.0));
            path[n - 1][2] = path[n - 1][2].minus(dir.scale((ARROW_LEN - 1.0) / 2.0));
            let _ = writeln!(out, r#"<path class="asl-line" d="{}"/>"#, path_d(&path));
            let back = tip.minus(dir.scale(ARROW_LEN));
            let side = Point::new(-dir.y, dir.x).scale(ARROW_HALF_W);
            let _ = writeln!(
                out,
                r#"<path class="asl-head" d="M{} {}L{} {}L{} {}Z"/>"#,
                num(tip.x),
                num(tip.y),
                num(back.x + side.x),
                num(back.y + side.y),
                num(back.x - side.x),
                num(back.y - side.y),
            );
        }
        if let Some((r, text)) = &g.label {
            let _ = write!(out, r#"<g class="asl-label">"#);
            let full = if e.title.is_empty() {
                &e.label
            } else {
                &e.title
            };
            if text != full {
                let _ = write!(out, "<title>{}</title>", esc(full));
            }
            let _ = writeln!(
                out,
                r#"<rect x="{}" y="{}" width="{}" height="{}" rx="4"/><text x="{}" y="{}">{}</text></g>"#,
                num(r.x),
                num(r.y),
                num(r.w),
                num(r.h),
                num(r.center().x),
                num(r.center().y + 4.0),
                esc(text),
            );
        }
        out.push_str("</g>\n");
    }

    fn node(&self, out: &mut String, n: &Node, g: &NodeGeom) {
        let mut class = format!("asl-node asl-kind-{}", n.kind.css());
        if n.kind.is_marker() {
            class.push_str(" asl-marker");
        }
        if let Some((_, s)) = self
            .status
            .iter()
            .find(|(p, _)| !n.path.is_empty() && p == &n.path)
        {
            class.push(' ');
            class.push_str(s.class());
        }
        let problems: Vec<&Problem> = if n.path.is_empty() {
            Vec::new()
        } else {
            self.problems.iter().filter(|p| p.path == n.path).collect()
        };
        if problems.iter().any(|p| p.error) {
            class.push_str(" has-error");
        } else if !problems.is_empty() {
            class.push_str(" has-warning");
        }
        let _ = write!(out, r#"<g id="{}-{}" class="{}""#, self.prefix, n.id, class);
        if n.kind.is_marker() {
            let _ = write!(out, r#" data-marker="{}""#, n.kind.css());
        } else if n.kind == NodeKind::Missing {
            let _ = write!(out, r#" data-missing="{}""#, esc(&n.name));
        } else {
            let _ = write!(
                out,
                r#" data-state="{}" data-kind="{}""#,
                esc(&n.path),
                kind_name(n.kind)
            );
        }
        out.push_str(">\n");
        if n.kind == NodeKind::Missing {
            let title = format!("No state is named '{}'", n.name);
            let _ = writeln!(out, "<title>{}</title>", esc(&title));
        } else if !n.kind.is_marker() {
            let mut title = n.name.clone();
            if !n.caption.is_empty() {
                title.push_str(" (");
                title.push_str(&n.caption);
                title.push(')');
            }
            for p in &problems {
                title.push('\n');
                title.push_str(if p.error { "Error: " } else { "Warning: " });
                title.push_str(&p.message);
            }
            let _ = writeln!(out, "<title>{}</title>", esc(&title));
        }
        let r = g.rect;
        match g.shape {
            Shape::Box | Shape::Container => {
                let _ = writeln!(
                    out,
                    r#"<rect class="asl-shape" x="{}" y="{}" width="{}" height="{}" rx="8"/>"#,
                    num(r.x),
                    num(r.y),
                    num(r.w),
                    num(r.h)
                );
                // A coloured bar inside the left edge says the type at a glance, as in the console.
                let bar_h = if g.shape == Shape::Container {
                    layout::header_height(g.lines.len()) - 12.0
                } else {
                    r.h - 14.0
                };
                let _ = writeln!(
                    out,
                    r#"<rect class="asl-accent" x="{}" y="{}" width="4" height="{}" rx="2"/>"#,
                    num(r.x + 5.0),
                    num(r.y + 7.0),
                    num(bar_h),
                );
            }
            Shape::Pill => {
                let _ = writeln!(
                    out,
                    r#"<rect class="asl-shape" x="{}" y="{}" width="{}" height="{}" rx="{}"/>"#,
                    num(r.x),
                    num(r.y),
                    num(r.w),
                    num(r.h),
                    num(r.h / 2.0)
                );
            }
            Shape::Diamond => {
                let c = r.center();
                let _ = writeln!(
                    out,
                    r#"<path class="asl-shape" d="M{} {}L{} {}L{} {}L{} {}Z"/>"#,
                    num(c.x),
                    num(r.y),
                    num(r.right()),
                    num(c.y),
                    num(c.x),
                    num(r.bottom()),
                    num(r.x),
                    num(c.y)
                );
            }
        }
        self.texts(out, n, g);
        if let Some(badge) = &n.retry {
            let bw = (crate::measure::text_width(badge, 11.0, true) + 12.0).round();
            let bx = r.right() - bw + 6.0;
            let by = r.y - 9.0;
            let _ = write!(out, r#"<g class="asl-retry">"#);
            if let Some(t) = &n.retry_title {
                let _ = write!(out, "<title>{}</title>", esc(t));
            }
            let _ = writeln!(
                out,
                r#"<rect x="{}" y="{}" width="{}" height="18" rx="9"/><text x="{}" y="{}">{}</text></g>"#,
                num(bx),
                num(by),
                num(bw),
                num(bx + bw / 2.0),
                num(by + 13.0),
                esc(badge)
            );
        }
        for f in &g.frames {
            let _ = writeln!(
                out,
                r#"<rect class="asl-frame" x="{}" y="{}" width="{}" height="{}" rx="6"/>"#,
                num(f.x),
                num(f.y),
                num(f.w),
                num(f.h)
            );
        }
        for (c, cg) in n.children.iter().zip(&g.children) {
            self.scope(out, c, cg);
        }
        out.push_str("</g>\n");
    }

    fn texts(&self, out: &mut String, n: &Node, g: &NodeGeom) {
        let r = g.rect;
        let cx = num(r.center().x);
        let (first_baseline, caption_baseline) = match g.shape {
            Shape::Pill if n.kind.is_marker() || n.kind == NodeKind::Missing => {
                (r.center().y + 4.5, 0.0)
            }
            Shape::Diamond => {
                // The name lines and the caption, centred as a block on the diamond's centre.
                let extra = (g.lines.len().max(1) - 1) as f64 * layout::LINE_H;
                (
                    r.center().y - 1.0 - extra / 2.0,
                    r.center().y + 14.0 + extra / 2.0,
                )
            }
            Shape::Container => {
                let extra = (g.lines.len().max(1) - 1) as f64 * layout::LINE_H;
                (r.y + 21.0, r.y + 37.0 + extra)
            }
            Shape::Box | Shape::Pill => {
                let top =
                    r.y + (r.h - g.lines.len() as f64 * layout::LINE_H - layout::CAPTION_H) / 2.0;
                (
                    top + 14.0,
                    top + g.lines.len() as f64 * layout::LINE_H + 12.0,
                )
            }
        };
        for (i, line) in g.lines.iter().enumerate() {
            let _ = writeln!(
                out,
                r#"<text class="asl-name" x="{cx}" y="{}">{}</text>"#,
                num(first_baseline + i as f64 * layout::LINE_H),
                esc(line)
            );
        }
        if !g.caption.is_empty() {
            let _ = writeln!(
                out,
                r#"<text class="asl-caption" x="{cx}" y="{}">{}</text>"#,
                num(caption_baseline),
                esc(&g.caption)
            );
        }
    }
}

const ARROW_LEN: f64 = 9.0;
const ARROW_HALF_W: f64 = 4.5;

/// Unit direction of travel at the end of a cubic.
fn tangent_at_end(c: &Cubic) -> Point {
    for from in [c[2], c[1], c[0]] {
        let d = c[3].minus(from);
        let l = d.len();
        if l > 0.5 {
            return d.scale(1.0 / l);
        }
    }
    Point::new(0.0, 1.0)
}

fn path_d(path: &[Cubic]) -> String {
    let mut d = String::new();
    if let Some(first) = path.first() {
        let _ = write!(d, "M{} {}", num(first[0].x), num(first[0].y));
    }
    for c in path {
        let _ = write!(
            d,
            "C{} {} {} {} {} {}",
            num(c[1].x),
            num(c[1].y),
            num(c[2].x),
            num(c[2].y),
            num(c[3].x),
            num(c[3].y)
        );
    }
    d
}

/// A state's path, or the marker kind, for `data-from`/`data-to`.
fn node_ref(n: &Node) -> String {
    if n.kind.is_marker() {
        format!("#{}", n.kind.css())
    } else if n.kind == NodeKind::Missing {
        format!("?{}", n.name)
    } else {
        n.path.clone()
    }
}

fn kind_name(k: NodeKind) -> &'static str {
    match k {
        NodeKind::Start => "Start",
        NodeKind::End => "End",
        NodeKind::Task => "Task",
        NodeKind::Pass => "Pass",
        NodeKind::Choice => "Choice",
        NodeKind::Wait => "Wait",
        NodeKind::Succeed => "Succeed",
        NodeKind::Fail => "Fail",
        NodeKind::Parallel => "Parallel",
        NodeKind::Map => "Map",
        NodeKind::Missing => "Missing",
    }
}

/// A number with at most two decimals and no trailing zeros; never `-0`.
pub fn num(x: f64) -> String {
    if !x.is_finite() {
        return "0".to_string();
    }
    let r = (x * 100.0).round() / 100.0;
    let mut s = asl_core::float_fmt::fixed(r, 2);
    while s.ends_with('0') {
        s.pop();
    }
    if s.ends_with('.') {
        s.pop();
    }
    if s == "-0" { "0".to_string() } else { s }
}

/// Escape text for XML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            // Characters XML 1.0 forbids are replaced, so a definition can never produce invalid XML.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => o.push('\u{FFFD}'),
            '\u{FFFE}' | '\u{FFFF}' => o.push('\u{FFFD}'),
            c => o.push(c),
        }
    }
    o
}

fn sanitize_prefix(p: &str) -> String {
    let mut s: String = p
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    if !s.starts_with(|c: char| c.is_ascii_alphabetic()) {
        s.insert_str(0, "asl-");
    }
    s
}

/// FNV-1a over everything that is drawn, so different graphs get different default prefixes.
fn content_hash(g: &Graph) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    let mut eat = |s: &str| {
        for b in s.bytes().chain(std::iter::once(0xff)) {
            h ^= u32::from(b);
            h = h.wrapping_mul(0x0100_0193);
        }
    };
    fn go(s: &Scope, eat: &mut dyn FnMut(&str)) {
        for n in &s.nodes {
            eat(n.kind.css());
            eat(&n.name);
            eat(&n.caption);
            eat(n.retry.as_deref().unwrap_or(""));
            for c in &n.children {
                eat("{");
                go(c, eat);
                eat("}");
            }
        }
        for e in &s.edges {
            eat(&format!("{}>{}:{}", e.from, e.to, e.kind.css()));
            eat(&e.label);
        }
    }
    eat(&g.comment);
    go(&g.root, &mut eat);
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_and_stable() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(1.256), "1.26");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(f64::NAN), "0");
        assert_eq!(num(12.5), "12.5");
    }

    #[test]
    fn escaping_covers_markup_and_control_chars() {
        assert_eq!(
            esc(r#"<script>"a"&'b'</script>"#),
            "&lt;script&gt;&quot;a&quot;&amp;&#39;b&#39;&lt;/script&gt;"
        );
        assert_eq!(esc("a\u{1}b"), "a\u{FFFD}b");
    }

    #[test]
    fn prefixes_are_valid_ids() {
        assert_eq!(sanitize_prefix("my graph!"), "mygraph");
        assert_eq!(sanitize_prefix("1x"), "asl-1x");
        assert_eq!(sanitize_prefix(""), "asl-");
    }
}
