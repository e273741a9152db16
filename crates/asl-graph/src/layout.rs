//! Geometry for a [`Graph`]: node boxes, branch frames, edge curves and label boxes.
//!
//! Owns sizing (with our own text measurement, [`crate::measure`]), the choice of ranking/ordering
//! engine (layout-rs 0.1.3 or our bounded one), nesting, and the routing of loops. It does not
//! draw (see [`crate::svg`]).
//!
//! # What we measured about layout-rs 0.1.3 and what we decided
//! (see also `shared/reference/layout-rs.md`; figures from `cargo bench -p asl-graph`, the
//! property test in `tests/property.rs` and `tests/readability.rs`)
//!
//! The pipeline is Sugiyama's: ranks with label and bend elements, order within rows,
//! coordinates ([`crate::rows`]), then ports, loops and lanes here. Ranking and ordering have two
//! engines, chosen per scope (each Parallel branch and Map processor is its own scope):
//! - **layout-rs** ([`crate::layout_rs`], [`Engine::LayoutRs`]): its ranks, label connectors, rank
//!   "sinking" and its `EdgeCrossOptimizer`, wherever that is affordable;
//! - **our bounded engine** ([`crate::layers`] + [`crate::order`], [`Engine::Layered`]): the same
//!   ranking rules in O(V + E + bends) and barycentre + adjacent-swap ordering with an exact
//!   O(E log E) crossing count, for graphs where layout-rs's minimiser would be too slow.
//!
//! **The rule.** Our ranking runs first on every scope (it is linear). From its row widths wᵣ we
//! predict layout-rs's minimiser work, `cost = Σ C(wᵣ, 2)·wᵣ₊₁ + Σ wᵣ`
//! ([`crate::layout_rs::minimiser_cost`]: every one of its 51 crossing counts checks each pair of a
//! row against the next row, and each of its 50 passes copies and scans every row). A scope with
//! `cost ≤` [`LAYOUT_RS_BUDGET`] (1,000) goes to layout-rs, others to our engine. Both orders are
//! then polished by [`crate::order`] (which keeps the order it is given unless it finds strictly
//! fewer crossings), and layout-rs's is kept unless our engine's has strictly fewer crossings
//! (`shared-error-handler`: our engine 0, layout-rs 1); everything is deterministic.
//!
//! **Calibration** (`cargo bench -p asl-graph` prints it; release build, native, 2 shared cores,
//! Nov 2026): layout time with layout-rs forced on the root scope minus the time with our engine,
//! per unit of predicted cost, is 2.5–4.6 µs across two shapes: the benchmark kit's "def" mix
//! (Catch edges into one Fail state, so rows widen with size; n = 8…64: cost 77 → 48,958, layout
//! 0.37 → 207 ms, ours 0.05 → 0.8 ms) and the benchmark's staged machine (narrow rows, cost
//! dominated by the per-element term; 20…400 states: cost 46 → 882, 0.18 → 5.4 ms). So the budget
//! of 1,000 units keeps layout-rs under ~4.5 ms per scope; the next def size over it (def-24,
//! cost 1,408) took 6.1–6.6 ms. `def-200` has cost ~4.1 M (predicted ~15 s; measured 13.5 s
//! before) and goes to our engine (~7 ms for layout + SVG); the 200-state staged machine (cost
//! 442) and the 100-state sample stay with layout-rs; the 1,000-state machine's root (cost 2,202)
//! goes to ours, its 40 Parallel branches to layout-rs.
//!
//! Other gaps of layout-rs 0.1.3, and what we did:
//! - **Crossing minimisation cost (Nov 2026)**: its `EdgeCrossOptimizer` recounts all crossings
//!   after each of 50 passes with an O(w³·deg) pair scan per row pair; `def-200` (rows ~50 wide)
//!   took 13.5 s, 99 % of it there (`perf`). Hence the rule above. It runs inside
//!   `split_long_edges` unless all its optimisations are off, and off also loses its rank sinking
//!   (nodes of short branches float up and their edges cut through boxes: seen on
//!   `choice-heavy`), so our engine ranks with the same rules itself.
//! - **Placer**: Brandes–Köpf + `edge_fixer` assert on some graphs (`edge_fixer.rs:34 loc.x >=
//!   leftmost`, found by our property test) and took ~85 % of layout time: replaced by
//!   [`crate::rows`] (mean-of-neighbour sweeps solved exactly per row; Catch edges pull less).
//! - **Exponential reachability** (`DAG::is_reachable` per edge, plus `validate`): validation is
//!   off, we find back edges ourselves with one DFS and hand it only forward edges, added in
//!   topological order of their source (also the order that avoids its edge-order panics), so
//!   every reachability check returns at once. Empty scopes never reach it.
//! - **Back edges and self-loops** are routed by us: back edges up a side lane clear of
//!   everything they pass ([`crate::lanes`]: the side and the runs that enter no box), self-loops
//!   as a loop off the node's right side with room reserved by widening the node. As bend
//!   elements they cost one element per row spanned (200 states: 30 ms → 4 ms without them).
//! - **Terminal states** stay next to the state that leads to them: layout-rs's rank optimiser
//!   sinks every element with as many predecessors as successors, which pulled each `End: true`
//!   state down to the End marker (and, before Fail states lost their edge to End, every Fail to
//!   the last row: the ETL sample's five Fail states side by side, edges up to 2,500 px). An edge
//!   into End gets an empty label element (that sinks instead), our ranking pins terminal states,
//!   and layout-rs's layers are kept only when no terminal drifted further than in ours.
//! - **Edges cross rows straight**: a long edge passes each bend and label element vertically,
//!   from its row's top to its bottom, and bends only in the gaps between rows, so it never cuts a
//!   tall box's corner; first and last segments that would clip a neighbour are flattened
//!   (`bend_clear_of_boxes`). Rows hang their nodes from the top.
//! - **Disconnected nodes** (unreachable states, states joined only by loops) go in a row under
//!   the rest.
//! - **Mixed parallel edges** (an unlabelled and a labelled edge between the same two nodes) all
//!   get a label element, so they do not coincide.
//! - **No clusters**: each Parallel branch and Map processor is laid out as its own graph first and
//!   its bounding box (plus a frame) becomes the size of the Parallel/Map node in the parent graph.
//!   This is exact for ASL, where no transition crosses a branch boundary.
//! - **Shapes and ports**: downward edges leave from the bottom centre and enter the top centre
//!   (spread when several share a side, as in the AWS console), and edge ends are clipped to our
//!   diamond for Choice.
//! - **Panics cannot be caught in wasm** (`panic = abort` on wasm32-unknown-unknown): layout-rs's
//!   known asserts are avoided by how we call it (above), our code indexes only what it built,
//!   and the property test (its small graphs are under the budget, so layout-rs runs on them)
//!   fails if the fallback was ever used. Natively both engines run inside `catch_unwind` and fall back to [`crate::fallback`],
//!   so the CLI never dies.
//! - **Edges converging on one far target** (a catch-all handler fed from everywhere) would each
//!   need one bend element per row they pass: O(edges × rows), and every stage here is linear in
//!   the elements (the 5,000-state benchmark: ~5 M elements, 43 s). Past
//!   [`crate::layers::BEND_BUDGET`] they share a trunk (Graphviz's `concentrate`): one element per
//!   row for all of them, kept at the right end of its rows ([`trunks_right`]), straightened on
//!   the upper hull of what it passes ([`trunk_lines`]), one port on the target; 250 ms. What no
//!   trunk can share is bounded by [`crate::layers::BEND_CAP`]: the longest such edges are drawn
//!   straight, and the drawing says so (see docs/limits.md, "A megabyte definition").

use std::collections::HashSet;

use crate::geom::{Cubic, Point, Rect};
use crate::graph::{Graph, NodeKind, Scope};
use crate::measure;
use crate::rows::{Elem, Item};

/// Name font size (px).
pub const NAME_PX: f64 = 14.0;
/// Caption font size (px).
pub const CAPTION_PX: f64 = 11.5;
/// Edge label font size (px).
pub const LABEL_PX: f64 = 11.5;
/// Line height of a name line.
pub const LINE_H: f64 = 18.0;
/// Height of the caption line.
pub const CAPTION_H: f64 = 15.0;
/// Height of an edge label box.
pub const LABEL_H: f64 = 20.0;
/// Widest edge label before eliding.
pub const LABEL_MAX_W: f64 = 180.0;
/// Horizontal padding inside a box.
const PAD_X: f64 = 14.0;
/// Vertical padding inside a box.
const PAD_Y: f64 = 9.0;
/// Widest name line before wrapping, then the wider lines tried before a name is elided.
const NAME_WIDTHS: [f64; 3] = [200.0, 260.0, 320.0];
/// Widest name line in a Choice diamond (which is about twice as wide as its text).
const CHOICE_WIDTHS: [f64; 3] = [170.0, 220.0, 280.0];
/// Widest name line in a Parallel/Map header.
const HEADER_WIDTHS: [f64; 2] = [260.0, 320.0];
/// Most lines a state name is wrapped to before it is elided.
pub const NAME_LINES: usize = 3;
/// Widest caption before eliding.
const CAPTION_MAX_W: f64 = 250.0;
/// Narrowest state box.
const MIN_W: f64 = 150.0;
/// Header height of a Parallel/Map container.
const HEADER_H: f64 = 46.0;
/// Padding inside a container and inside a branch frame.
const CONTAINER_PAD: f64 = 14.0;
/// Padding between a branch frame and its nodes.
const FRAME_PAD: f64 = 16.0;
/// Gap between branch frames.
const FRAME_GAP: f64 = 18.0;
/// Space kept around isolated nodes, x and y.
const HALO: (f64, f64) = (36.0, 44.0);

/// Which drawn shape a node has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Rounded rectangle (Task, Pass, Wait).
    Box,
    /// Diamond (Choice).
    Diamond,
    /// Capsule (Start, End, Succeed, Fail).
    Pill,
    /// Rounded container with a header and branch frames (Parallel, Map).
    Container,
}

/// Which engine placed a scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    /// layout-rs ranks and orders rows ([`crate::layout_rs`]); we place and route.
    LayoutRs,
    /// Our bounded engine ranks and orders rows ([`crate::layers`], [`crate::order`]), used when
    /// layout-rs's crossing minimiser would be too slow ([`LAYOUT_RS_BUDGET`]).
    Layered,
    /// Our own layered fallback.
    Fallback,
    /// Trivial: zero or one node, no edges.
    Trivial,
}

/// A placed node.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeGeom {
    /// The node's box (absolute).
    pub rect: Rect,
    /// The drawn shape.
    pub shape: Shape,
    /// The name, wrapped/elided into lines.
    pub lines: Vec<String>,
    /// True if the name was shortened (the SVG then carries the full name as a tooltip).
    pub elided: bool,
    /// The caption, elided to fit.
    pub caption: String,
    /// Branch frames (absolute), one per child scope.
    pub frames: Vec<Rect>,
    /// Child scopes' geometry (absolute).
    pub children: Vec<ScopeGeom>,
}

/// A placed edge.
#[derive(Clone, Debug, PartialEq)]
pub struct EdgeGeom {
    /// The curve from source to target (absolute), as cubic segments.
    pub path: Vec<Cubic>,
    /// The label's box and its (possibly elided) text.
    pub label: Option<(Rect, String)>,
}

/// Geometry of one scope, parallel to [`Scope`]: `nodes[i]` places `scope.nodes[i]`.
#[derive(Clone, Debug, PartialEq)]
pub struct ScopeGeom {
    /// Node geometry, same order as the scope's nodes.
    pub nodes: Vec<NodeGeom>,
    /// Edge geometry, same order as the scope's edges.
    pub edges: Vec<EdgeGeom>,
    /// Bounding box of everything in the scope.
    pub bounds: Rect,
    /// Which engine placed this scope.
    pub engine: Engine,
    /// Predicted work of layout-rs's crossing minimiser for this scope (see
    /// [`LAYOUT_RS_BUDGET`]); 0 when no layered layout was needed.
    pub cost: u64,
    /// Edges drawn straight, not routed: too many long edges to route them all (see
    /// [`crate::layers::BEND_CAP`]). Empty for all but huge definitions.
    pub unrouted: Vec<usize>,
}

/// Geometry of a whole graph.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    /// The top-level scope.
    pub root: ScopeGeom,
    /// Drawing width, margins included.
    pub width: f64,
    /// Drawing height, margins included.
    pub height: f64,
}

/// Margin around the drawing.
pub const MARGIN: f64 = 20.0;

/// Lay out a graph.
pub fn layout(graph: &Graph) -> Layout {
    layout_with_budget(graph, LAYOUT_RS_BUDGET)
}

/// Lay out a graph, giving a scope to layout-rs when its predicted minimiser cost is at most
/// `budget` (`u64::MAX`: always; used by the calibration in the benchmark).
#[doc(hidden)]
pub fn layout_with_budget(graph: &Graph, budget: u64) -> Layout {
    let mut root = layout_scope(&graph.root, budget);
    // Room for the note that says some edges were drawn straight.
    let note = if unrouted(&root) > 0 { NOTE_H } else { 0.0 };
    let d = Point::new(MARGIN - root.bounds.x, MARGIN + note - root.bounds.y);
    shift_scope(&mut root, d);
    Layout {
        width: (root.bounds.w + 2.0 * MARGIN).ceil(),
        height: (root.bounds.h + 2.0 * MARGIN + note).ceil(),
        root,
    }
}

/// Height of the note over a drawing with unrouted edges.
pub const NOTE_H: f64 = 22.0;

/// How many edges of a scope and the scopes in it were drawn straight, not routed.
pub fn unrouted(s: &ScopeGeom) -> usize {
    s.unrouted.len()
        + s.nodes
            .iter()
            .flat_map(|n| &n.children)
            .map(unrouted)
            .sum::<usize>()
}

/// Size a node and lay out its children (in coordinates relative to the node's top-left corner).
fn size_node(node: &crate::graph::Node, budget: u64) -> NodeGeom {
    let caption = measure::elide(&node.caption, CAPTION_PX, false, CAPTION_MAX_W);
    let caption_w = measure::text_width(&caption, CAPTION_PX, false);
    match node.kind {
        NodeKind::Missing => {
            // A small dashed capsule: `? Name`, the name of the state that does not exist.
            let text = measure::elide(&format!("? {}", node.name), 12.5, true, 200.0);
            let elided = text != format!("? {}", node.name);
            let w = measure::text_width(&text, 12.5, true).max(20.0) + 24.0;
            NodeGeom {
                rect: Rect::new(0.0, 0.0, w.round(), 28.0),
                shape: Shape::Pill,
                lines: vec![text],
                elided,
                caption: String::new(),
                frames: Vec::new(),
                children: Vec::new(),
            }
        }
        NodeKind::Start | NodeKind::End => {
            let w = measure::text_width(&node.name, 12.5, true).max(36.0) + 28.0;
            NodeGeom {
                rect: Rect::new(0.0, 0.0, w.round(), 30.0),
                shape: Shape::Pill,
                lines: vec![node.name.clone()],
                elided: false,
                caption: String::new(),
                frames: Vec::new(),
                children: Vec::new(),
            }
        }
        NodeKind::Choice => {
            let (lines, elided) =
                measure::wrap_widening(&node.name, NAME_PX, true, &CHOICE_WIDTHS, NAME_LINES);
            let tw = lines
                .iter()
                .map(|l| measure::text_width(l, NAME_PX, true))
                .fold(caption_w, f64::max)
                .max(60.0);
            let th = LINE_H * lines.len() as f64 + CAPTION_H;
            // Short names: a flat diamond; wrapped ones: the text box takes half of each axis.
            let h = (th + 34.0).max(2.0 * th);
            // The text box (tw × th) fits in the diamond when tw/w + th/h ≤ 1.
            let w = (tw / (1.0 - th / h)).max(MIN_W);
            NodeGeom {
                rect: Rect::new(0.0, 0.0, w.round(), h),
                shape: Shape::Diamond,
                lines,
                elided,
                caption,
                frames: Vec::new(),
                children: Vec::new(),
            }
        }
        NodeKind::Parallel | NodeKind::Map => {
            let (lines, elided) =
                measure::wrap_widening(&node.name, NAME_PX, true, &HEADER_WIDTHS, NAME_LINES);
            let header_w = lines
                .iter()
                .map(|l| measure::text_width(l, NAME_PX, true))
                .fold(caption_w, f64::max)
                + 2.0 * PAD_X;
            let header_h = header_height(lines.len());
            let mut children: Vec<ScopeGeom> = node
                .children
                .iter()
                .map(|c| layout_scope(c, budget))
                .collect();
            let mut frames = Vec::with_capacity(children.len());
            let mut x = CONTAINER_PAD;
            let mut inner_h: f64 = 0.0;
            for c in &children {
                let fw = c.bounds.w + 2.0 * FRAME_PAD;
                let fh = c.bounds.h + 2.0 * FRAME_PAD;
                frames.push(Rect::new(x, header_h, fw, fh));
                x += fw + FRAME_GAP;
                inner_h = inner_h.max(fh);
            }
            let frames_w = if children.is_empty() {
                0.0
            } else {
                x - FRAME_GAP + CONTAINER_PAD
            };
            let w = header_w.max(frames_w).max(MIN_W + 20.0).round();
            let h = (header_h + inner_h.max(10.0) + CONTAINER_PAD).round();
            // Centre the row of frames, frames vertically aligned at the top; each child centred in
            // its frame.
            let dx = ((w - frames_w) / 2.0).max(0.0);
            for (f, c) in frames.iter_mut().zip(children.iter_mut()) {
                f.x += dx;
                f.h = inner_h;
                let d = Point::new(
                    f.x + (f.w - c.bounds.w) / 2.0 - c.bounds.x,
                    f.y + FRAME_PAD - c.bounds.y,
                );
                shift_scope(c, d);
            }
            NodeGeom {
                rect: Rect::new(0.0, 0.0, w, h),
                shape: Shape::Container,
                lines,
                elided,
                caption,
                frames,
                children,
            }
        }
        NodeKind::Task | NodeKind::Pass | NodeKind::Wait | NodeKind::Succeed | NodeKind::Fail => {
            let (lines, elided) =
                measure::wrap_widening(&node.name, NAME_PX, true, &NAME_WIDTHS, NAME_LINES);
            let tw = lines
                .iter()
                .map(|l| measure::text_width(l, NAME_PX, true))
                .fold(caption_w, f64::max);
            let w = (tw + 2.0 * PAD_X).max(MIN_W).round();
            let h = 2.0 * PAD_Y + LINE_H * lines.len() as f64 + CAPTION_H;
            let shape = if matches!(node.kind, NodeKind::Succeed | NodeKind::Fail) {
                Shape::Pill
            } else {
                Shape::Box
            };
            NodeGeom {
                rect: Rect::new(0.0, 0.0, w, h),
                shape,
                lines,
                elided,
                caption,
                frames: Vec::new(),
                children: Vec::new(),
            }
        }
    }
}

/// Height of a Parallel/Map header holding `lines` name lines and the caption.
pub fn header_height(lines: usize) -> f64 {
    HEADER_H + LINE_H * lines.saturating_sub(1) as f64
}

/// Move a node and everything in it.
fn shift_node(n: &mut NodeGeom, d: Point) {
    n.rect = n.rect.shift(d);
    for f in &mut n.frames {
        *f = f.shift(d);
    }
    for c in &mut n.children {
        shift_scope(c, d);
    }
}

/// Move a scope and everything in it.
fn shift_scope(s: &mut ScopeGeom, d: Point) {
    s.bounds = s.bounds.shift(d);
    for n in &mut s.nodes {
        shift_node(n, d);
    }
    for e in &mut s.edges {
        for c in &mut e.path {
            for p in c.iter_mut() {
                *p = p.plus(d);
            }
        }
        if let Some((r, _)) = &mut e.label {
            *r = r.shift(d);
        }
    }
}

/// What an engine returns: node centres, edge curves and label centres, in any coordinates.
pub(crate) struct Placement {
    pub centers: Vec<Point>,
    pub paths: Vec<Vec<Cubic>>,
    pub label_centers: Vec<Option<Point>>,
    /// Per edge: true when it comes down a trunk shared with other edges (they then share their
    /// port on the target too). Empty when there are none.
    pub trunked: Vec<bool>,
    /// Edges the engine did not route (see [`crate::layers::BEND_CAP`]): drawn straight.
    pub unrouted: Vec<usize>,
}

/// An edge prepared for an engine: back edges already reversed.
pub(crate) struct PrepEdge {
    /// Source in the DAG handed to the engine.
    pub from: usize,
    /// Target in the DAG handed to the engine.
    pub to: usize,
    /// True if this edge was reversed to make the graph acyclic.
    pub reversed: bool,
    /// Label size (w, h), if labelled.
    pub label: Option<(f64, f64)>,
    /// How strongly the edge pulls its ends into line: Catch edges are side paths and pull less,
    /// so the main flow stays straight.
    pub weight: f64,
}

/// Largest predicted minimiser cost ([`crate::layout_rs::minimiser_cost`]) for which a scope is
/// given to layout-rs; above it our bounded engine orders the rows. See the module doc.
pub const LAYOUT_RS_BUDGET: u64 = 1_000;

/// Corner radius where a trunk's line bends.
const TRUNK_CORNER: f64 = 40.0;

/// Pull of a Catch edge relative to a Next/Choice edge when placing nodes.
const CATCH_WEIGHT: f64 = 0.15;

/// Lay out one scope in local coordinates.
fn layout_scope(scope: &Scope, budget: u64) -> ScopeGeom {
    let mut nodes: Vec<NodeGeom> = scope.nodes.iter().map(|n| size_node(n, budget)).collect();
    let labels: Vec<Option<String>> = scope
        .edges
        .iter()
        .map(|e| {
            (!e.label.is_empty()).then(|| measure::elide(&e.label, LABEL_PX, false, LABEL_MAX_W))
        })
        .collect();
    let prep = prepare(scope, &labels);
    // Self-loops are drawn right of their node: reserve that room in the layout.
    let mut extra = vec![0.0_f64; nodes.len()];
    let mut loops = vec![0usize; nodes.len()];
    for e in prep.iter().filter(|e| e.from == e.to) {
        loops[e.from] += 1;
        let w = SELF_LOOP_W
            + SELF_LOOP_STEP * (loops[e.from] - 1) as f64
            + e.label.map_or(0.0, |(w, _)| w + 6.0);
        extra[e.from] = extra[e.from].max(w);
    }
    // Reserved on both sides, so the node stays centred under its neighbours.
    let sizes: Vec<(f64, f64)> = nodes
        .iter()
        .zip(&extra)
        .map(|(n, x)| (n.rect.w + 2.0 * x, n.rect.h))
        .collect();
    let (placement, engine, cost) = place(&sizes, &prep, scope, budget);
    let unrouted = placement.unrouted.clone();

    for (n, c) in nodes.iter_mut().zip(&placement.centers) {
        let d = Point::new(c.x - n.rect.w / 2.0, c.y - n.rect.h / 2.0);
        shift_node(n, d);
    }
    let mut paths: Vec<Vec<Cubic>> = Vec::with_capacity(scope.edges.len());
    for (i, e) in scope.edges.iter().enumerate() {
        let mut path = placement.paths.get(i).cloned().unwrap_or_default();
        if path.is_empty() || !path.iter().flatten().all(|p| p.is_finite()) {
            path = straight(&nodes[e.from].rect, &nodes[e.to].rect);
        }
        paths.push(path);
    }
    let mut ported = normalize_ports(scope, &nodes, &mut paths, &placement.trunked);
    // Unrouted edges are straight lines through whatever they pass: nothing to clear.
    bend_clear_of_boxes(scope, &nodes, &mut paths, &placement.unrouted);
    let mut label_rects: Vec<Option<Rect>> = labels
        .iter()
        .enumerate()
        .map(|(i, l)| {
            l.as_ref().map(|text| {
                let c = placement
                    .label_centers
                    .get(i)
                    .copied()
                    .flatten()
                    .unwrap_or_else(|| midpoint(&paths[i]));
                Rect::centered(c, label_width(text), LABEL_H)
            })
        })
        .collect();
    route_self_loops(&prep, &nodes, &mut paths, &mut label_rects, &mut ported);
    crate::lanes::route_back_edges(&prep, &nodes, &mut paths, &mut label_rects, &mut ported);
    let mut edges = Vec::with_capacity(scope.edges.len());
    for (i, e) in scope.edges.iter().enumerate() {
        let mut path = std::mem::take(&mut paths[i]);
        clip_ends(&mut path, &nodes[e.from], &nodes[e.to], ported[i]);
        let label = labels[i]
            .as_ref()
            .zip(label_rects[i])
            .map(|(text, r)| (r, text.clone()));
        edges.push(EdgeGeom { path, label });
    }
    let mut bounds: Option<Rect> = None;
    let mut grow = |r: Rect| bounds = Some(bounds.map_or(r, |b| b.union(&r)));
    for n in &nodes {
        grow(n.rect);
    }
    for e in &edges {
        for p in crate::geom::flatten(&e.path, 4) {
            grow(Rect::new(p.x, p.y, 0.0, 0.0));
        }
        if let Some((r, _)) = &e.label {
            grow(*r);
        }
    }
    ScopeGeom {
        nodes,
        edges,
        bounds: bounds.unwrap_or_default(),
        engine,
        cost,
        unrouted,
    }
}

/// Width of a label box.
pub fn label_width(text: &str) -> f64 {
    (measure::text_width(text, LABEL_PX, false) + 12.0).round()
}

/// Find back edges with one DFS from the entry (then from unreached nodes) and reverse them.
fn prepare(scope: &Scope, labels: &[Option<String>]) -> Vec<PrepEdge> {
    let n = scope.nodes.len();
    let mut succ: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
    for (i, e) in scope.edges.iter().enumerate() {
        succ[e.from].push((e.to, i));
    }
    // Iterative DFS: 0 = unseen, 1 = on stack, 2 = done.
    let mut state = vec![0u8; n];
    // By edge index (a Vec, not a set: one hash table type fewer in the wasm).
    let mut back = vec![false; scope.edges.len()];
    for root in scope.node_order() {
        if state[root] != 0 {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        state[root] = 1;
        while let Some(&mut (v, ref mut k)) = stack.last_mut() {
            if let Some(&(w, ei)) = succ[v].get(*k) {
                *k += 1;
                match state[w] {
                    0 => {
                        state[w] = 1;
                        stack.push((w, 0));
                    }
                    1 => {
                        if let Some(b) = back.get_mut(ei) {
                            *b = true;
                        }
                    }
                    _ => {}
                }
            } else {
                state[v] = 2;
                stack.pop();
            }
        }
    }
    scope
        .edges
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let reversed = back[i];
            let (from, to) = if reversed {
                (e.to, e.from)
            } else {
                (e.from, e.to)
            };
            PrepEdge {
                from,
                to,
                reversed,
                label: labels[i].as_ref().map(|t| (label_width(t), LABEL_H)),
                weight: if e.kind == crate::graph::EdgeKind::Catch {
                    CATCH_WEIGHT
                } else {
                    1.0
                },
            }
        })
        .collect()
}

/// Topological order of the prepared DAG (self-loops ignored), ties broken by BFS order.
pub(crate) fn topo_order(n: usize, prep: &[PrepEdge], bfs: &[usize]) -> Vec<usize> {
    let mut indeg = vec![0usize; n];
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
    for e in prep {
        if e.from != e.to {
            indeg[e.to] += 1;
            succ[e.from].push(e.to);
        }
    }
    let mut rank_in_bfs = vec![0usize; n];
    for (i, &v) in bfs.iter().enumerate() {
        rank_in_bfs[v] = i;
    }
    // A small binary heap keyed by BFS rank keeps the order deterministic and close to BFS.
    let mut ready: std::collections::BinaryHeap<std::cmp::Reverse<(usize, usize)>> = (0..n)
        .filter(|&v| indeg[v] == 0)
        .map(|v| std::cmp::Reverse((rank_in_bfs[v], v)))
        .collect();
    let mut order = Vec::with_capacity(n);
    while let Some(std::cmp::Reverse((_, v))) = ready.pop() {
        order.push(v);
        for &w in &succ[v] {
            indeg[w] -= 1;
            if indeg[w] == 0 {
                ready.push(std::cmp::Reverse((rank_in_bfs[w], w)));
            }
        }
    }
    order
}

/// Place nodes and route edges with the layered layout, or without it when not needed or failed.
fn place(
    sizes: &[(f64, f64)],
    prep: &[PrepEdge],
    scope: &Scope,
    budget: u64,
) -> (Placement, Engine, u64) {
    let n = sizes.len();
    // Nodes with no forward edge are not ranked (they would all sit in row 0); they go in a row
    // under the rest instead.
    let mut connected = vec![false; n];
    for e in prep.iter().filter(|e| !e.reversed) {
        connected[e.from] = true;
        connected[e.to] = true;
    }
    let (mut placement, engine, cost) = if connected.iter().any(|&c| c) {
        match run_layered_guarded(sizes, prep, scope, &connected, budget) {
            Some(p) => p,
            None => (
                crate::fallback::place(sizes, prep, scope),
                Engine::Fallback,
                0,
            ),
        }
    } else {
        let empty = Placement {
            centers: vec![Point::default(); n],
            paths: Vec::new(),
            label_centers: Vec::new(),
            trunked: Vec::new(),
            unrouted: Vec::new(),
        };
        (empty, Engine::Trivial, 0)
    };
    if engine != Engine::Fallback {
        place_isolated(sizes, &connected, scope, &mut placement);
    }
    (placement, engine, cost)
}

/// Put the nodes the layered layout did not place in a centred row below those it did.
fn place_isolated(sizes: &[(f64, f64)], connected: &[bool], scope: &Scope, p: &mut Placement) {
    let placed: Vec<usize> = (0..sizes.len()).filter(|&v| connected[v]).collect();
    let rest: Vec<usize> = scope
        .node_order()
        .into_iter()
        .filter(|&v| !connected[v])
        .collect();
    if rest.is_empty() {
        return;
    }
    let (mut top, mut cx) = (0.0, 0.0);
    if !placed.is_empty() {
        let bottom = placed
            .iter()
            .map(|&v| p.centers[v].y + sizes[v].1 / 2.0)
            .fold(f64::MIN, f64::max);
        let left = placed
            .iter()
            .map(|&v| p.centers[v].x - sizes[v].0 / 2.0)
            .fold(f64::MAX, f64::min);
        let right = placed
            .iter()
            .map(|&v| p.centers[v].x + sizes[v].0 / 2.0)
            .fold(f64::MIN, f64::max);
        top = bottom + HALO.1 + LABEL_H;
        cx = (left + right) / 2.0;
    }
    let gap = HALO.0;
    let total: f64 = rest.iter().map(|&v| sizes[v].0).sum::<f64>() + gap * (rest.len() - 1) as f64;
    let mut x = cx - total / 2.0;
    for v in rest {
        p.centers[v] = Point::new(x + sizes[v].0 / 2.0, top + sizes[v].1 / 2.0);
        x += sizes[v].0 + gap;
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn run_layered_guarded(
    sizes: &[(f64, f64)],
    prep: &[PrepEdge],
    scope: &Scope,
    include: &[bool],
    budget: u64,
) -> Option<(Placement, Engine, u64)> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        run_layered(sizes, prep, scope, include, budget)
    }))
    .ok()
}

#[cfg(target_arch = "wasm32")]
fn run_layered_guarded(
    sizes: &[(f64, f64)],
    prep: &[PrepEdge],
    scope: &Scope,
    include: &[bool],
    budget: u64,
) -> Option<(Placement, Engine, u64)> {
    Some(run_layered(sizes, prep, scope, include, budget))
}

/// Rank and order with layout-rs when its minimiser is affordable, else with our bounded engine;
/// then place ([`crate::rows`]) and draw the edges through their elements.
fn run_layered(
    sizes: &[(f64, f64)],
    prep: &[PrepEdge],
    scope: &Scope,
    include: &[bool],
    budget: u64,
) -> (Placement, Engine, u64) {
    let n = sizes.len();
    let bfs = scope.node_order();
    let nodes: Vec<usize> = bfs.iter().copied().filter(|&v| include[v]).collect();
    let topo = topo_order(n, prep, &bfs);
    let mut pos_in_topo = vec![usize::MAX; n];
    for (i, &v) in topo.iter().enumerate() {
        pos_in_topo[v] = i;
    }
    // An unlabelled edge beside a labelled one between the same two nodes (a Next and a Catch to
    // the same state) gets a small unlabelled label element too, so the two do not coincide.
    let labelled_pairs: HashSet<(usize, usize)> = prep
        .iter()
        .filter(|e| !e.reversed && e.label.is_some())
        .map(|e| (e.from, e.to))
        .collect();
    // Back edges and self-loops are routed by us (see `route_back_edges`, `route_self_loops`).
    let mut edges: Vec<usize> = (0..prep.len())
        .filter(|&i| !prep[i].reversed && include[prep[i].from] && include[prep[i].to])
        .collect();
    asl_core::sort::sort_by_key(&mut edges, |&i| {
        (pos_in_topo[prep[i].from], pos_in_topo[prep[i].to], i)
    });
    // An edge into the End marker gets an (empty) label element too: that element, not the
    // terminal state, is then what sinks down to just above End, so a terminal state stays next
    // to the state that leads to it (same rule in both engines: an element with as many
    // predecessors as successors sinks towards its nearest successor).
    let to_end = |i: usize| {
        scope
            .nodes
            .get(prep[i].to)
            .is_some_and(|t| t.kind == NodeKind::End)
    };
    let connector = |i: usize| {
        prep[i].label.is_some() || labelled_pairs.contains(&(prep[i].from, prep[i].to)) || to_end(i)
    };
    // Our ranking is linear and has the same rules as layout-rs's, so its row widths predict
    // what layout-rs's minimiser would face.
    // Terminal states (those with an edge into the End marker) must not sink away from the state
    // that leads to them.
    let mut is_terminal = vec![false; n];
    for e in prep {
        if !e.reversed
            && scope
                .nodes
                .get(e.to)
                .is_some_and(|t| t.kind == NodeKind::End)
        {
            is_terminal[e.from] = true;
        }
    }
    let pinned = |v: usize| is_terminal.get(v).copied().unwrap_or(false);
    let ours = crate::layers::build(
        sizes,
        prep,
        &nodes,
        &edges,
        &topo,
        &connector,
        &pinned,
        (crate::layers::BEND_BUDGET, crate::layers::BEND_CAP),
    );
    let ours_drift = terminal_drift(&ours, &pinned);
    let widths: Vec<usize> = ours.rows.iter().map(Vec::len).collect();
    let cost = crate::layout_rs::minimiser_cost(&widths);
    let mut ours = ours;
    // Trunks run down the right side, the one that ends first innermost; ordering keeps them
    // there.
    trunks_right(&mut ours);
    let ours_crossings = order_rows(&mut ours);
    let (engine, layers) = if cost <= budget && !nodes.is_empty() && ours.trunks.is_empty() {
        // Our ordering keeps the order it is given unless it finds strictly fewer crossings, so
        // after layout-rs it is a cheap polish; and layout-rs's result (it rotates and perturbs
        // rows, keeping the best count it saw) is kept unless our whole bounded engine found
        // strictly fewer crossings (`shared-error-handler`: 1 against 0).
        // layout-rs sinks a terminal state down to the End marker (its rank optimiser has no
        // exceptions), so its layers are kept only when no terminal drifted further than in ours.
        let mut l = crate::layout_rs::layers(sizes, prep, &nodes, &edges, &connector);
        if order_rows(&mut l) <= ours_crossings && terminal_drift(&l, &pinned) <= ours_drift {
            (Engine::LayoutRs, l)
        } else {
            (Engine::Layered, ours)
        }
    } else {
        (Engine::Layered, ours)
    };
    let crate::layers::Layers {
        rows,
        slot,
        node,
        chains,
        trunks,
        unrouted,
    } = layers;
    let mut at = crate::rows::place(&rows);
    let trunk_vertices = trunk_lines(&rows, &slot, &trunks, &mut at);
    // Per element: (trunk, position in it) for trunk elements (indexed by element: no map type
    // in the wasm for it).
    let elements = trunks.iter().flatten().max().map_or(0, |&h| h + 1);
    let mut in_trunk: Vec<Option<(usize, usize)>> = vec![None; elements];
    for (id, t) in trunks.iter().enumerate() {
        for (p, &h) in t.iter().enumerate() {
            if let Some(e) = in_trunk.get_mut(h) {
                *e = Some((id, p));
            }
        }
    }
    let pos = |h: usize| -> Point {
        let (r, k) = slot.get(h).copied().unwrap_or((usize::MAX, 0));
        at.get(r)
            .and_then(|row| row.get(k))
            .copied()
            .unwrap_or_default()
    };
    let mut centers = vec![Point::default(); n];
    for (h, v) in node.iter().enumerate() {
        if let Some(v) = v {
            centers[*v] = pos(h);
        }
    }
    let mut paths = vec![Vec::new(); prep.len()];
    let mut label_centers = vec![None; prep.len()];
    let mut trunked = Vec::new();
    // Boxes by their top, so a curve is checked only against the boxes of the rows it spans.
    let mut boxes: Vec<Rect> = (0..n)
        .filter(|&v| include[v])
        .map(|v| Rect::centered(centers[v], sizes[v].0, sizes[v].1))
        .collect();
    asl_core::sort::sort_by(&mut boxes, |a, b| a.y.total_cmp(&b.y));
    let tallest = boxes.iter().map(|r| r.h).fold(0.0, f64::max);
    let row_half: Vec<f64> = rows
        .iter()
        .map(|row| row.iter().map(|it| it.h).fold(0.0, f64::max) / 2.0)
        .collect();
    for (i, v, t, chain) in &chains {
        let (a, b) = (centers[*v], centers[*t]);
        // A bundled edge is routed like any other edge down to where it joins its trunk, then
        // down the trunk's line (a few straight runs, see `trunk_lines`) and into its target.
        let join = chain[1..chain.len() - 1]
            .iter()
            .position(|&c| rows_elem(&rows, &slot, c) == Some(Elem::Trunk))
            .map(|k| k + 1);
        let stop = join.unwrap_or(chain.len() - 1);
        // The edge's elements between its ends: (centre, half the height of its row).
        let inner: Vec<(Point, f64)> = chain[1..stop]
            .iter()
            .map(|&c| {
                let p = pos(c);
                if let Some(Elem::Label(j)) = rows_elem(&rows, &slot, c)
                    && prep[j].label.is_some()
                {
                    label_centers[j] = Some(p);
                }
                let half = slot
                    .get(c)
                    .and_then(|&(r, _)| row_half.get(r))
                    .copied()
                    .unwrap_or(0.0);
                (p, half)
            })
            .collect();
        let start = Point::new(a.x, a.y + sizes[*v].1 / 2.0);
        let target_end = Point::new(b.x, b.y - sizes[*t].1 / 2.0);
        let end = join.map_or(target_end, |j| pos(chain[j]));
        // The smooth curve through the element centres, except where it would cut a box (the
        // corner of a tall box beside a bend: `choice-heavy`): there the elements on both sides
        // of that stretch are crossed straight down, from their row's top to its bottom, so the
        // curve bends only in the gaps between rows. Doing it only where needed keeps long edges
        // from waving.
        // Labels are always crossed straight (they sit on the edge, and an edge that passes a
        // label row on a slant touches its neighbours' curves there); bends only where needed.
        let mut straight_through: Vec<bool> = chain[1..stop]
            .iter()
            .map(|&c| matches!(rows_elem(&rows, &slot, c), Some(Elem::Label(_))))
            .collect();
        let mut pts = Vec::new();
        for _ in 0..3 {
            pts = vec![start];
            let mut owner = vec![usize::MAX];
            for (k, &(p, half)) in inner.iter().enumerate() {
                if straight_through[k] && half > 4.0 {
                    pts.push(Point::new(p.x, p.y - half));
                    pts.push(Point::new(p.x, p.y + half));
                    owner.extend([k, k]);
                } else {
                    pts.push(p);
                    owner.push(k);
                }
            }
            pts.push(end);
            owner.push(usize::MAX);
            let path = crate::rows::curve_through(&pts);
            let mut changed = false;
            for (s, c) in path.iter().enumerate() {
                let hull = crate::geom::hull(c);
                let first = boxes.partition_point(|r| r.y + tallest < hull.y);
                let cuts = boxes[first..]
                    .iter()
                    .take_while(|r| r.y <= hull.bottom())
                    .any(|r| {
                        r.x < hull.right()
                            && hull.x < r.right()
                            && !r.contains(&Rect::new(c[0].x, c[0].y - 1.0, 0.0, 0.0))
                            && !r.contains(&Rect::new(c[3].x, c[3].y + 1.0, 0.0, 0.0))
                            && crate::geom::cubic_enters_rect(c, 8, r)
                    });
                if cuts {
                    for k in [owner[s], owner[s + 1]] {
                        if k != usize::MAX && !straight_through[k] {
                            straight_through[k] = true;
                            changed = true;
                        }
                    }
                }
            }
            if !changed {
                break;
            }
        }
        let mut path = crate::rows::curve_through(&straighten(&pts));
        if let Some(&Some((id, p))) = join.and_then(|j| in_trunk.get(chain[j])) {
            let trunk = &trunks[id];
            let mut run = vec![end];
            run.extend(
                trunk_vertices[id]
                    .iter()
                    .filter(|&&v| v > p)
                    .map(|&v| pos(trunk[v])),
            );
            let last = pos(trunk[trunk.len() - 1]);
            if run.last() != Some(&last) {
                run.push(last);
            }
            path.extend(crate::lanes::rounded(&run, TRUNK_CORNER));
            path.extend(crate::rows::curve_through(&[last, target_end]));
            trunked.resize(prep.len(), false);
            trunked[*i] = true;
        }
        paths[*i] = path;
    }
    (
        Placement {
            centers,
            paths,
            label_centers,
            trunked,
            unrouted,
        },
        engine,
        cost,
    )
}

/// How many rows the pinned nodes sit below their nearest predecessor beyond what their edge
/// needs (the bend elements of their shortest incoming edge), summed.
fn terminal_drift(l: &crate::layers::Layers, pinned: &dyn Fn(usize) -> bool) -> usize {
    // Indexed by node (`usize::MAX`: no edge into it yet).
    let nodes = l.chains.iter().map(|c| c.2 + 1).max().unwrap_or(0);
    let mut nearest = vec![usize::MAX; nodes];
    for (_, _, to, chain) in &l.chains {
        if !pinned(*to) {
            continue;
        }
        let bends = chain
            .iter()
            .filter(|&&h| {
                matches!(
                    rows_elem(&l.rows, &l.slot, h),
                    Some(Elem::Dummy | Elem::Trunk)
                )
            })
            .count();
        if let Some(e) = nearest.get_mut(*to) {
            *e = (*e).min(bends);
        }
    }
    nearest.iter().filter(|&&b| b != usize::MAX).sum()
}

/// Order the rows of `l` with [`crate::order`] (starting from their current order) and return the
/// crossings left between adjacent rows.
fn order_rows(l: &mut crate::layers::Layers) -> usize {
    let newpos = crate::order::order(&mut l.rows);
    for s in l.slot.iter_mut() {
        if let Some(k) = newpos.get(s.0).and_then(|p| p.get(s.1)) {
            s.1 = *k;
        }
    }
    let identity: Vec<Vec<usize>> = l.rows.iter().map(|r| (0..r.len()).collect()).collect();
    crate::order::crossings(&l.rows, &identity)
}

/// Move the elements of the trunks ([`crate::layers::Layers::trunks`]) to the right end of their
/// rows, the trunk that ends first (its target higher up) innermost, keeping the rest in order.
fn trunks_right(l: &mut crate::layers::Layers) {
    if l.trunks.is_empty() {
        return;
    }
    // Per element: the sort key of its trunk (last row, trunk index), where the element sits
    // (a later trunk's key wins for an element in two, as before).
    let mut at_slot: Vec<Vec<Option<(usize, usize)>>> =
        l.rows.iter().map(|r| vec![None; r.len()]).collect();
    for (id, t) in l.trunks.iter().enumerate() {
        let last = t.last().and_then(|&h| l.slot.get(h)).map_or(0, |s| s.0);
        for &h in t {
            if let Some(&(r, p)) = l.slot.get(h)
                && let Some(s) = at_slot.get_mut(r).and_then(|row| row.get_mut(p))
            {
                *s = Some((last, id));
            }
        }
    }
    let ord: Vec<Vec<usize>> = at_slot
        .iter()
        .map(|row| {
            let mut o: Vec<usize> = (0..row.len()).filter(|&p| row[p].is_none()).collect();
            let mut t: Vec<usize> = (0..row.len()).filter(|&p| row[p].is_some()).collect();
            asl_core::sort::sort_by_key(&mut t, |&p| row[p]);
            o.extend(t);
            o
        })
        .collect();
    let newpos = crate::order::apply(&mut l.rows, &ord);
    for s in l.slot.iter_mut() {
        if let Some(k) = newpos.get(s.0).and_then(|p| p.get(s.1)) {
            s.1 = *k;
        }
    }
}

/// Put each trunk on the simplest line clear of its rows: the concave majorant (upper hull) of
/// the x it needs in each row, just right of the row's other elements, so it bends only at a
/// few vertices however long it is (its edges repeat those bends). Trunks are the rightmost
/// elements of their rows ([`trunks_right`]), so moving them right clears everything; inner
/// trunks are done first. Returns, per trunk, the positions of its vertices (first and last
/// included).
fn trunk_lines(
    rows: &[Vec<Item>],
    slot: &[(usize, usize)],
    trunks: &[Vec<usize>],
    at: &mut [Vec<Point>],
) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..trunks.len()).collect();
    let last_row = |t: &Vec<usize>| t.last().and_then(|&h| slot.get(h)).map_or(0, |s| s.0);
    asl_core::sort::sort_by_key(&mut order, |&id| (last_row(&trunks[id]), id));
    let mut vertices = vec![Vec::new(); trunks.len()];
    for id in order {
        let places: Vec<(usize, usize)> = trunks[id]
            .iter()
            .map(|&h| slot.get(h).copied().unwrap_or((usize::MAX, 0)))
            .collect();
        if places
            .iter()
            .any(|&(r, k)| at.get(r).is_none_or(|row| k >= row.len()))
        {
            continue;
        }
        let need: Vec<Point> = places
            .iter()
            .map(|&(r, k)| {
                let own = at[r][k];
                let x = if k == 0 {
                    own.x
                } else {
                    own.x
                        .max(at[r][k - 1].x + crate::rows::sep(&rows[r][k - 1], &rows[r][k]))
                };
                Point::new(x, own.y)
            })
            .collect();
        // Upper hull of (y, x) with y increasing: drop a vertex on or left of the line from the
        // one before it to the next point.
        let mut hull: Vec<usize> = Vec::new();
        for (p, q) in need.iter().enumerate() {
            while let [.., h0, h1] = hull[..] {
                let (a, b) = (need[h1].minus(need[h0]), q.minus(need[h0]));
                if a.y * b.x - a.x * b.y >= 0.0 {
                    hull.pop();
                } else {
                    break;
                }
            }
            hull.push(p);
        }
        for w in hull.windows(2) {
            let (a, b) = (need[w[0]], need[w[1]]);
            for &(r, k) in &places[w[0]..=w[1]] {
                let t = if b.y > a.y {
                    (at[r][k].y - a.y) / (b.y - a.y)
                } else {
                    0.0
                };
                at[r][k].x = a.x + t * (b.x - a.x);
            }
        }
        if let [only] = hull[..] {
            let (r, k) = places[only];
            at[r][k].x = need[only].x;
        }
        vertices[id] = hull;
    }
    vertices
}

/// Drop bend points in the middle of a vertical run: a long edge passing many rows straight down
/// is then one segment instead of one per row (smaller SVG, same drawing).
fn straighten(pts: &[Point]) -> Vec<Point> {
    let mut out: Vec<Point> = Vec::with_capacity(pts.len());
    for (i, &p) in pts.iter().enumerate() {
        let vertical = |q: Option<&Point>| q.is_some_and(|q| (q.x - p.x).abs() < 0.5);
        if i > 0 && vertical(out.last()) && vertical(pts.get(i + 1)) {
            continue;
        }
        out.push(p);
    }
    out
}

/// The element in `slot[h]`.
fn rows_elem(rows: &[Vec<Item>], slot: &[(usize, usize)], h: usize) -> Option<Elem> {
    let (r, k) = *slot.get(h)?;
    rows.get(r)?.get(k).map(|it| it.elem)
}

/// Reverse a path's direction.
pub(crate) fn reverse_path(path: &mut [Cubic]) {
    path.reverse();
    for c in path.iter_mut() {
        c.reverse();
    }
}

/// A straight vertical-ish curve from the bottom of `a` to the top of `b` (used when no engine path).
pub(crate) fn straight(a: &Rect, b: &Rect) -> Vec<Cubic> {
    let (p0, p3) = if b.center().y >= a.bottom() {
        (
            Point::new(a.center().x, a.bottom()),
            Point::new(b.center().x, b.y),
        )
    } else if b.bottom() <= a.y {
        (
            Point::new(a.center().x, a.y),
            Point::new(b.center().x, b.bottom()),
        )
    } else if b.center().x >= a.center().x {
        (
            Point::new(a.right(), a.center().y),
            Point::new(b.x, b.center().y),
        )
    } else {
        (
            Point::new(a.x, a.center().y),
            Point::new(b.right(), b.center().y),
        )
    };
    let d = p3.minus(p0);
    vec![[
        p0,
        p0.plus(d.scale(1.0 / 3.0)),
        p0.plus(d.scale(2.0 / 3.0)),
        p3,
    ]]
}

/// The point halfway along a path's segments.
fn midpoint(path: &[Cubic]) -> Point {
    let pts = crate::geom::flatten(path, 8);
    pts.get(pts.len() / 2).copied().unwrap_or_default()
}

/// How far a self-loop reaches right of its node, and how much further each extra one reaches.
const SELF_LOOP_W: f64 = 30.0;
const SELF_LOOP_STEP: f64 = 12.0;

/// Draw each self-loop (e.g. a Catch that retries the same state) as a loop off the node's right
/// side, with its label right of the loop. The layered layout never sees them: the room was reserved by
/// widening the node for layout.
fn route_self_loops(
    prep: &[PrepEdge],
    nodes: &[NodeGeom],
    paths: &mut [Vec<Cubic>],
    label_rects: &mut [Option<Rect>],
    ported: &mut [(bool, bool)],
) {
    let mut count = vec![0usize; nodes.len()];
    for (i, e) in prep.iter().enumerate() {
        if e.from != e.to {
            continue;
        }
        let g = &nodes[e.from];
        let k = count[e.from] as f64;
        count[e.from] += 1;
        let r = g.rect;
        let cy = if g.shape == Shape::Container {
            r.y + 23.0
        } else {
            r.center().y
        };
        let dy = 8.0 + 3.0 * k;
        let (a, b) = match g.shape {
            Shape::Diamond => {
                // On the two edges that meet at the right vertex.
                let t = (dy / (r.h / 2.0)).min(0.9);
                (
                    Point::new(r.right() - t * r.w / 2.0, cy - dy),
                    Point::new(r.right() - t * r.w / 2.0, cy + dy),
                )
            }
            Shape::Pill => {
                let rad = r.h / 2.0;
                let x = r.right() - rad + (rad * rad - dy * dy).max(0.0).sqrt();
                (Point::new(x, cy - dy), Point::new(x, cy + dy))
            }
            Shape::Box | Shape::Container => (
                Point::new(r.right(), cy - dy),
                Point::new(r.right(), cy + dy),
            ),
        };
        let x = r.right() + SELF_LOOP_W - 4.0 + SELF_LOOP_STEP * k;
        let m = Point::new(x, cy);
        paths[i] = vec![
            [
                a,
                Point::new(a.x + (x - a.x) * 0.6, a.y - 2.0),
                Point::new(x, cy - dy - 6.0),
                m,
            ],
            [
                m,
                Point::new(x, cy + dy + 6.0),
                Point::new(b.x + (x - b.x) * 0.6, b.y + 2.0),
                b,
            ],
        ];
        if let Some((w, h)) = e.label {
            label_rects[i] = Some(Rect::new(x + 6.0, cy - h / 2.0, w, h));
        }
        ported[i] = (true, true);
    }
}

/// Downward edges leave from the bottom of their source and enter the top of their target, spread
/// evenly in the order of where they go (diamonds: from the bottom vertex, into the top vertex), as
/// in the AWS console; layout-rs would attach them anywhere on the box outline. Returns, per edge,
/// whether (start, end) were moved.
fn normalize_ports(
    scope: &Scope,
    nodes: &[NodeGeom],
    paths: &mut [Vec<Cubic>],
    trunked: &[bool],
) -> Vec<(bool, bool)> {
    let n = nodes.len();
    let mut out_ports: Vec<Vec<(f64, usize)>> = vec![Vec::new(); n];
    let mut in_ports: Vec<Vec<(f64, usize)>> = vec![Vec::new(); n];
    for (i, e) in scope.edges.iter().enumerate() {
        let (a, b) = (&nodes[e.from].rect, &nodes[e.to].rect);
        let Some(first) = paths[i].first() else {
            continue;
        };
        let last = paths[i][paths[i].len() - 1];
        if e.from != e.to && b.y >= a.bottom() {
            // Sort key: where the curve heads next / comes from.
            out_ports[e.from].push((first[3].x, i));
            in_ports[e.to].push((last[0].x, i));
        }
    }
    let mut moved = vec![(false, false); paths.len()];
    let spread = |g: &NodeGeom, k: usize, j: usize| -> f64 {
        if g.shape == Shape::Diamond || k <= 1 {
            return g.rect.center().x;
        }
        let step = (g.rect.w * 0.6 / k as f64).min(18.0);
        g.rect.center().x + (j as f64 - (k as f64 - 1.0) / 2.0) * step
    };
    for v in 0..n {
        asl_core::sort::sort_by(&mut out_ports[v], |x, y| {
            x.0.total_cmp(&y.0).then(x.1.cmp(&y.1))
        });
        let k = out_ports[v].len();
        for (j, &(_, i)) in out_ports[v].iter().enumerate() {
            let p = Point::new(spread(&nodes[v], k, j), nodes[v].rect.bottom());
            let c = &mut paths[i][0];
            let reach = ((c[3].y - p.y) * 0.5).clamp(8.0, 40.0);
            c[0] = p;
            c[1] = Point::new(p.x, p.y + reach);
            moved[i].0 = true;
        }
        asl_core::sort::sort_by(&mut in_ports[v], |x, y| {
            x.0.total_cmp(&y.0).then(x.1.cmp(&y.1))
        });
        // Edges down the same trunk arrive at one point and share one port.
        let is_trunked = |i: usize| trunked.get(i).copied().unwrap_or(false);
        let mut slot = Vec::with_capacity(in_ports[v].len());
        let mut k = 0;
        for (j, &(x, i)) in in_ports[v].iter().enumerate() {
            let shares = j > 0 && is_trunked(i) && {
                let (px, pi) = in_ports[v][j - 1];
                is_trunked(pi) && px == x
            };
            if !shares {
                k += 1;
            }
            slot.push(k - 1);
        }
        for (&(_, i), &j) in in_ports[v].iter().zip(&slot) {
            let p = Point::new(spread(&nodes[v], k, j), nodes[v].rect.y);
            let m = paths[i].len() - 1;
            let c = &mut paths[i][m];
            let reach = ((p.y - c[0].y) * 0.5).clamp(8.0, 40.0);
            c[3] = p;
            c[2] = Point::new(p.x, p.y - reach);
            moved[i].1 = true;
        }
    }
    moved
}

/// An edge that leaves a port straight down (or enters one straight from above) can clip the
/// corner of the box beside its next bend: a Catch edge leaving the right of its source's bottom
/// for a bend right of the next state (seen on `shared-error-handler`). Where the first or last
/// segment enters a box other than the edge's ends, try flatter control points, in a fixed order,
/// and keep the first that enters none (else the one that enters fewest).
fn bend_clear_of_boxes(
    scope: &Scope,
    nodes: &[NodeGeom],
    paths: &mut [Vec<Cubic>],
    unrouted: &[usize],
) {
    // Nodes by their top, so a segment is checked only against the rows it spans.
    let mut by_top: Vec<usize> = (0..nodes.len()).collect();
    asl_core::sort::sort_by(&mut by_top, |&a, &b| {
        nodes[a].rect.y.total_cmp(&nodes[b].rect.y).then(a.cmp(&b))
    });
    let tallest = nodes.iter().map(|n| n.rect.h).fold(0.0, f64::max);
    let hits = |c: &Cubic, ends: (usize, usize)| -> usize {
        let h = crate::geom::hull(c);
        let first = by_top.partition_point(|&k| nodes[k].rect.y + tallest < h.y);
        by_top[first..]
            .iter()
            .take_while(|&&k| nodes[k].rect.y <= h.bottom())
            .filter(|&&k| {
                let r = &nodes[k].rect;
                k != ends.0
                    && k != ends.1
                    && r.x < h.right()
                    && h.x < r.right()
                    && r.y < h.bottom()
                    && h.y < r.bottom()
                    && crate::geom::cubic_enters_rect(c, 12, r)
            })
            .count()
    };
    let mut skip = vec![false; scope.edges.len()];
    for &i in unrouted {
        if let Some(s) = skip.get_mut(i) {
            *s = true;
        }
    }
    for (i, e) in scope.edges.iter().enumerate() {
        if e.from == e.to || paths[i].is_empty() || skip[i] {
            continue;
        }
        let ends = (e.from, e.to);
        let last = paths[i].len() - 1;
        for (k, first) in [(0, true), (last, false)] {
            let c = paths[i][k];
            if hits(&c, ends) == 0 {
                continue;
            }
            // Work on the segment as if it left its port (for the last one: reversed).
            let (p, q) = if first { (c[0], c[3]) } else { (c[3], c[0]) };
            let d = q.minus(p);
            let dir = if d.y >= 0.0 { 1.0 } else { -1.0 };
            let options = [
                // Turn towards the bend at once, then come in along the row.
                (
                    Point::new(p.x + d.x * 0.6, p.y + dir * 4.0_f64.min(d.y.abs() * 0.1)),
                    Point::new(q.x, p.y + d.y * 0.4),
                ),
                (
                    Point::new(p.x + d.x * 0.9, p.y + d.y * 0.1),
                    Point::new(q.x, q.y - d.y * 0.3),
                ),
                (p.plus(d.scale(1.0 / 3.0)), p.plus(d.scale(2.0 / 3.0))),
            ];
            let mut best = (hits(&c, ends), c);
            for (c1, c2) in options {
                let cand = if first {
                    [p, c1, c2, q]
                } else {
                    [q, c2, c1, p]
                };
                let h = hits(&cand, ends);
                if h < best.0 {
                    best = (h, cand);
                }
                if h == 0 {
                    break;
                }
            }
            paths[i][k] = best.1;
        }
    }
}

/// Move edge ends from the layout box onto the drawn outline (diamonds), keeping their tangents.
fn clip_ends(path: &mut [Cubic], from: &NodeGeom, to: &NodeGeom, ported: (bool, bool)) {
    let n = path.len();
    if n == 0 {
        return;
    }
    if from.shape == Shape::Diamond && !ported.0 {
        let c = &mut path[0];
        let q = onto_diamond(&from.rect, c[0]);
        let d = q.minus(c[0]);
        c[0] = q;
        c[1] = c[1].plus(d);
    }
    if to.shape == Shape::Diamond && !ported.1 {
        let c = &mut path[n - 1];
        let q = onto_diamond(&to.rect, c[3]);
        let d = q.minus(c[3]);
        c[3] = q;
        c[2] = c[2].plus(d);
    }
}

/// Project `p` towards the centre of `r` onto the inscribed diamond.
fn onto_diamond(r: &Rect, p: Point) -> Point {
    let c = r.center();
    let d = p.minus(c);
    let k = d.x.abs() / (r.w / 2.0) + d.y.abs() / (r.h / 2.0);
    if k <= f64::EPSILON {
        return p;
    }
    c.plus(d.scale(1.0 / k))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{Edge, EdgeKind, Node};

    fn chain(n: usize, back: bool) -> Scope {
        let mut s = Scope::default();
        for i in 0..n {
            s.nodes.push(Node::new(
                format!("n{i}"),
                NodeKind::Task,
                format!("Step {i}"),
            ));
        }
        for i in 1..n {
            s.edges.push(Edge {
                id: format!("e{i}"),
                from: i - 1,
                to: i,
                kind: EdgeKind::Next,
                label: String::new(),
                title: String::new(),
            });
        }
        if back && n > 1 {
            s.edges.push(Edge {
                id: "eb".into(),
                from: n - 1,
                to: 0,
                kind: EdgeKind::Catch,
                label: "States.ALL".into(),
                title: String::new(),
            });
        }
        s
    }

    #[test]
    fn back_edges_are_found_by_dfs() {
        let s = chain(4, true);
        let prep = prepare(&s, &vec![None; s.edges.len()]);
        assert_eq!(prep.iter().filter(|e| e.reversed).count(), 1);
        assert!(prep[3].reversed);
        assert_eq!((prep[3].from, prep[3].to), (0, 3));
    }

    #[test]
    fn chain_is_laid_out_top_to_bottom_with_paths_from_source_to_target() {
        let s = chain(3, true);
        let g = layout_scope(&s, LAYOUT_RS_BUDGET);
        assert_eq!(g.engine, Engine::LayoutRs);
        assert!(g.nodes[0].rect.bottom() <= g.nodes[1].rect.y);
        assert!(g.nodes[1].rect.bottom() <= g.nodes[2].rect.y);
        for (e, eg) in s.edges.iter().zip(&g.edges) {
            let start = eg.path[0][0];
            let end = eg.path[eg.path.len() - 1][3];
            let a = g.nodes[e.from].rect.center();
            let b = g.nodes[e.to].rect.center();
            assert!(
                start.minus(a).len() < start.minus(b).len(),
                "edge {} starts at its source",
                e.id
            );
            assert!(
                end.minus(b).len() < end.minus(a).len(),
                "edge {} ends at its target",
                e.id
            );
        }
        assert!(g.edges[2].label.is_some());
    }

    #[test]
    fn next_and_catch_to_the_same_state_beside_an_unreachable_one() {
        // Regression: made layout-rs's placer assert (`edge_fixer.rs:34`), found by the property test.
        let mut s = chain(2, false);
        s.nodes.push(Node::new("n2", NodeKind::Pass, "Unreachable"));
        s.edges.push(Edge {
            id: "c".into(),
            from: 0,
            to: 1,
            kind: EdgeKind::Catch,
            label: "States.ALL".into(),
            title: String::new(),
        });
        s.nodes[0].children.push(chain(3, true));
        s.nodes[0].kind = NodeKind::Parallel;
        let g = layout_scope(&s, LAYOUT_RS_BUDGET);
        assert_eq!(g.engine, Engine::LayoutRs);
        assert!(!g.nodes[0].rect.overlaps(&g.nodes[2].rect));
        assert!(
            g.nodes[2].rect.y >= g.nodes[1].rect.bottom(),
            "unreachable node goes below"
        );
    }

    #[test]
    fn self_loops_get_room_beside_their_node() {
        let mut s = chain(2, false);
        s.edges.push(Edge {
            id: "l".into(),
            from: 0,
            to: 0,
            kind: EdgeKind::Catch,
            label: "States.Timeout".into(),
            title: String::new(),
        });
        let g = layout_scope(&s, LAYOUT_RS_BUDGET);
        let (r, _) = g.edges[1].label.clone().expect("label");
        assert!(r.x > g.nodes[0].rect.right());
        assert!(
            g.edges[1]
                .path
                .iter()
                .flatten()
                .all(|p| p.x >= g.nodes[0].rect.right() - 1.0)
        );
    }

    #[test]
    fn empty_and_single_node_scopes_are_trivial() {
        assert_eq!(
            layout_scope(&Scope::default(), LAYOUT_RS_BUDGET).engine,
            Engine::Trivial
        );
        assert_eq!(
            layout_scope(&chain(1, false), LAYOUT_RS_BUDGET).engine,
            Engine::Trivial
        );
    }

    #[test]
    fn diamond_projection_lands_on_outline() {
        let r = Rect::new(0.0, 0.0, 100.0, 50.0);
        let q = onto_diamond(&r, Point::new(50.0, 50.0));
        assert!((q.y - 50.0).abs() < 1e-9);
        let q = onto_diamond(&r, Point::new(100.0, 50.0));
        assert!((q.x - 75.0).abs() < 1e-9 && (q.y - 37.5).abs() < 1e-9);
    }
}
