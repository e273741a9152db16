//! Back edges (loops to an earlier state) routed on a vertical side lane, as in the AWS console.
//!
//! Owns the route of every back edge that is not a self-loop: which side it runs on, where its
//! horizontal runs go, its lane's x, its label's place. The layered layout never sees these edges
//! (measured on a 200-state machine: giving them to layout-rs made up ~85 % of its time, 30 ms →
//! 4 ms without them), so nothing reserved room for them: this module finds a route through the
//! room that is left. It does not place nodes or route forward edges (see [`crate::layout`]).
//!
//! Method: for each side (right, left) and each way out of the source and into the target
//! (straight from the side port, or first into the free corridor under the source's row / over
//! the target's row, so the run does not cut the boxes beside it: the poll loop `Wait →
//! GetStatus` of the ETL sample ran behind its neighbours' boxes), the lane goes just clear of
//! everything in its vertical band and of earlier lanes. The candidate that enters the fewest
//! boxes wins, then the one crossing the fewest labels, then the shortest. Short loops are routed
//! first and get the inner lanes. All of it is a fixed number of candidates per edge, each checked
//! against every obstacle: O(back edges × (nodes + edge points)).

use crate::geom::{Cubic, Point, Rect, segment_enters_rect};
use crate::layout::{LABEL_H, NodeGeom, PrepEdge, Shape};

/// Gap between a lane and what it passes, and between neighbouring lanes.
const LANE_GAP: f64 = 22.0;
const LANE_STEP: f64 = 14.0;
/// How far a run steps out of a side port before turning into a corridor.
const STEP_OUT: f64 = 10.0;
/// Corner radius of a lane's path.
const CORNER: f64 = 10.0;

/// True for edges that the layered layout never sees: back edges (not self-loops), routed on a
/// side lane.
pub(crate) fn is_lane_edge(e: &PrepEdge) -> bool {
    e.reversed && e.from != e.to
}

/// The point where a lane edge meets a node, on its right (`side` = 1) or left (-1) side.
fn port(n: &NodeGeom, leaving: bool, side: f64) -> Point {
    let r = n.rect;
    let y = match n.shape {
        Shape::Container if leaving => r.bottom() - 23.0,
        Shape::Container => r.y + 23.0,
        _ => r.center().y,
    };
    // Pills: the end of the straight part, pulled in by the rounding.
    let inset = if n.shape == Shape::Pill {
        (r.h / 2.0) * (1.0 - std::f64::consts::FRAC_1_SQRT_2)
    } else {
        0.0
    };
    let x = if side > 0.0 {
        r.right() - inset
    } else {
        r.x + inset
    };
    Point::new(x, y)
}

/// A candidate route: its corner points and label centre.
struct Route {
    pts: Vec<Point>,
    x: f64,
    top: f64,
    bottom: f64,
    cost: (usize, usize, f64),
}

/// Route the back edges; see the module doc.
pub(crate) fn route_back_edges(
    prep: &[PrepEdge],
    nodes: &[NodeGeom],
    paths: &mut [Vec<Cubic>],
    label_rects: &mut [Option<Rect>],
    ported: &mut [(bool, bool)],
) {
    let mut lanes: Vec<usize> = (0..prep.len())
        .filter(|&i| is_lane_edge(&prep[i]))
        .collect();
    if lanes.is_empty() {
        return;
    }
    let boxes: Vec<Rect> = nodes.iter().map(|n| n.rect).collect();
    // Obstacles a lane must clear: boxes, labels and the points of the other edges.
    let mut obstacles: Vec<Rect> = boxes.clone();
    let mut labels: Vec<Rect> = Vec::new();
    for (i, p) in paths.iter().enumerate() {
        if is_lane_edge(&prep[i]) {
            continue;
        }
        for q in crate::geom::flatten(p, 4) {
            obstacles.push(Rect::new(q.x, q.y, 0.0, 0.0));
        }
        if let Some(r) = label_rects[i] {
            obstacles.push(r);
            labels.push(r);
        }
    }
    asl_core::sort::sort_by(&mut lanes, |&a, &b| {
        let span = |i: usize| {
            (nodes[prep[i].from].rect.center().y - nodes[prep[i].to].rect.center().y).abs()
        };
        span(a).total_cmp(&span(b)).then(a.cmp(&b))
    });
    let mut placed: Vec<(f64, f64, f64)> = Vec::new(); // (x, top, bottom)
    for i in lanes {
        // Reversed for layout: prep.from is the loop's target (higher up), prep.to its source.
        let (s, t) = (prep[i].to, prep[i].from);
        let half_label = prep[i].label.map_or(0.0, |(w, _)| w / 2.0);
        let mut best: Option<Route> = None;
        for side in [1.0, -1.0] {
            let a = port(&nodes[s], true, side);
            let b = port(&nodes[t], false, side);
            let below = corridor(&boxes, &nodes[s].rect, side, true);
            let above = corridor(&boxes, &nodes[t].rect, side, false);
            // What the lane must clear, once for all four ways in and out: everything in the
            // vertical band any of them spans (one scan of the obstacles per side).
            let (top, bottom) = (
                a.y.min(b.y).min(below).min(above) - LABEL_H,
                a.y.max(b.y).max(below).max(above) + LABEL_H,
            );
            let band = obstacles
                .iter()
                .filter(|r| r.bottom() >= top && r.y <= bottom);
            let clear = if side > 0.0 {
                band.map(Rect::right).fold(f64::MIN, f64::max)
            } else {
                band.map(|r| r.x).fold(f64::MAX, f64::min)
            };
            for (ya, yb) in [(a.y, b.y), (below, b.y), (a.y, above), (below, above)] {
                let route = candidate((a, ya), (b, yb), side, half_label, clear, &placed, |p| {
                    hits(p, &boxes, &[s, t], &labels)
                });
                if best.as_ref().is_none_or(|r| route.cost < r.cost) {
                    best = Some(route);
                }
            }
        }
        let Some(route) = best else { continue };
        placed.push((route.x, route.top, route.bottom));
        if prep[i].label.is_some() {
            let mid = (route.top + route.bottom) / 2.0;
            label_rects[i] = Some(Rect::centered(
                Point::new(route.x, mid),
                2.0 * half_label,
                LABEL_H,
            ));
        }
        paths[i] = rounded(&route.pts, CORNER);
        ported[i] = (true, true);
        // Later lanes must clear this one and its label.
        obstacles.push(Rect::new(
            route.x - half_label.max(1.0),
            route.top,
            2.0 * half_label.max(1.0),
            route.bottom - route.top,
        ));
    }
}

/// The y of the free corridor just under (`below`) or over the row that holds `r`, on `side` of
/// it: the row is every box beside `r` that overlaps it vertically.
fn corridor(boxes: &[Rect], r: &Rect, side: f64, below: bool) -> f64 {
    let beside = boxes.iter().filter(|o| {
        o.y < r.bottom() && r.y < o.bottom() && (o.center().x - r.center().x) * side >= 0.0
    });
    if below {
        beside.map(Rect::bottom).fold(r.bottom(), f64::max) + 7.0
    } else {
        beside.map(|o| o.y).fold(r.y, f64::min) - 7.0
    }
}

/// One route: out of `a` (then to `ya`), along the lane, to `yb`, into `b`.
fn candidate(
    (a, ya): (Point, f64),
    (b, yb): (Point, f64),
    side: f64,
    half_label: f64,
    clear: f64,
    placed: &[(f64, f64, f64)],
    hits: impl Fn(&[Point]) -> (usize, usize),
) -> Route {
    let (top, bottom) = (ya.min(yb) - LABEL_H, ya.max(yb) + LABEL_H);
    let a_out = Point::new(a.x + side * STEP_OUT, a.y);
    let b_out = Point::new(b.x + side * STEP_OUT, b.y);
    let (lo, hi) = (
        a.x.min(b.x).min(a_out.x.min(b_out.x)),
        a.x.max(b.x).max(a_out.x.max(b_out.x)),
    );
    let mut x = if side > 0.0 {
        clear.max(hi) + LANE_GAP + half_label
    } else {
        clear.min(lo) - LANE_GAP - half_label
    };
    while placed
        .iter()
        .any(|&(px, pt, pb)| pt <= bottom && top <= pb && (px - x).abs() < LANE_STEP + half_label)
    {
        x += side * LANE_STEP;
    }
    let mut pts = vec![a];
    if ya != a.y {
        pts.push(a_out);
        pts.push(Point::new(a_out.x, ya));
    }
    pts.push(Point::new(x, ya));
    pts.push(Point::new(x, yb));
    if yb != b.y {
        pts.push(Point::new(b_out.x, yb));
        pts.push(b_out);
    }
    pts.push(b);
    let len: f64 = pts.windows(2).map(|w| w[1].minus(w[0]).len()).sum();
    let (boxes_hit, labels_hit) = hits(&pts);
    Route {
        pts,
        x,
        top,
        bottom,
        cost: (boxes_hit, labels_hit, len),
    }
}

/// Boxes (other than `ends`) and labels that the polyline enters.
fn hits(pts: &[Point], boxes: &[Rect], ends: &[usize], labels: &[Rect]) -> (usize, usize) {
    let hull = pts
        .iter()
        .fold(None, |h: Option<Rect>, p| {
            let q = Rect::new(p.x, p.y, 0.0, 0.0);
            Some(h.map_or(q, |h| h.union(&q)))
        })
        .unwrap_or_default();
    let enters = |r: &Rect| {
        r.x <= hull.right()
            && hull.x <= r.right()
            && r.y <= hull.bottom()
            && hull.y <= r.bottom()
            && pts.windows(2).any(|w| segment_enters_rect(w[0], w[1], r))
    };
    let b = boxes
        .iter()
        .enumerate()
        .filter(|(k, r)| !ends.contains(k) && enters(r))
        .count();
    let l = labels.iter().filter(|r| enters(r)).count();
    (b, l)
}

/// A path through `pts` of straight runs joined by rounded corners of radius up to `radius`.
pub(crate) fn rounded(pts: &[Point], radius: f64) -> Vec<Cubic> {
    let mut p: Vec<Point> = Vec::with_capacity(pts.len());
    for &q in pts {
        if p.last().is_none_or(|l: &Point| l.minus(q).len() > 0.01) {
            p.push(q);
        }
    }
    let line = |a: Point, b: Point| -> Cubic {
        let d = b.minus(a);
        [a, a.plus(d.scale(1.0 / 3.0)), a.plus(d.scale(2.0 / 3.0)), b]
    };
    if p.len() < 2 {
        return Vec::new();
    }
    let mut out = Vec::with_capacity(2 * p.len());
    let mut from = p[0];
    for k in 1..p.len() - 1 {
        let (prev, c, next) = (p[k - 1], p[k], p[k + 1]);
        let (l1, l2) = (c.minus(prev).len(), next.minus(c).len());
        let r = radius.min(l1 / 2.0).min(l2 / 2.0);
        let into = c.minus(c.minus(prev).scale(r / l1));
        let out_of = c.plus(next.minus(c).scale(r / l2));
        out.push(line(from, into));
        out.push([
            into,
            into.plus(c.minus(into).scale(0.55)),
            out_of.plus(c.minus(out_of).scale(0.55)),
            out_of,
        ]);
        from = out_of;
    }
    out.push(line(from, p[p.len() - 1]));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounded_paths_keep_their_ends_and_turn_at_corners() {
        let pts = [
            Point::new(0.0, 100.0),
            Point::new(50.0, 100.0),
            Point::new(50.0, 0.0),
            Point::new(0.0, 0.0),
        ];
        let path = rounded(&pts, 10.0);
        assert_eq!(path.len(), 5);
        assert_eq!(path[0][0], pts[0]);
        assert_eq!(path[4][3], pts[3]);
        // Never beyond the lane.
        assert!(path.iter().flatten().all(|p| p.x <= 50.0 + 1e-9));
    }

    #[test]
    fn a_loop_leaves_through_the_corridor_when_a_neighbour_is_in_the_way() {
        // Target above; the source has neighbours on both sides in its row, so a straight run to
        // either side would cut one; the route must enter no box.
        let node = |x: f64, y: f64| NodeGeom {
            rect: Rect::new(x, y, 100.0, 40.0),
            shape: Shape::Box,
            lines: vec![],
            elided: false,
            caption: String::new(),
            frames: vec![],
            children: vec![],
        };
        let nodes = vec![
            node(150.0, 0.0),
            node(0.0, 200.0),
            node(150.0, 200.0),
            node(300.0, 200.0),
        ];
        let prep = vec![PrepEdge {
            from: 0,
            to: 2,
            reversed: true,
            label: None,
            weight: 1.0,
        }];
        let mut paths = vec![Vec::new()];
        let mut labels = vec![None];
        let mut ported = vec![(false, false)];
        route_back_edges(&prep, &nodes, &mut paths, &mut labels, &mut ported);
        let pts = crate::geom::flatten(&paths[0], 8);
        for (k, n) in nodes.iter().enumerate().filter(|(k, _)| *k != 0 && *k != 2) {
            assert!(
                !pts.windows(2)
                    .any(|w| segment_enters_rect(w[0], w[1], &n.rect)),
                "enters box {k}: {pts:?}"
            );
        }
        assert_eq!(ported[0], (true, true));
    }
}
