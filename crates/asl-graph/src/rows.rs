//! Coordinates for a ranked, ordered layer graph: our replacement for layout-rs's placer.
//!
//! Owns x/y assignment and edge curves, given ranks, dummy and label elements for long and labelled
//! edges ([`crate::layers`]) and the crossing-minimised order within each rank ([`crate::order`]).
//! layout-rs's
//! own placer (Brandes–Köpf plus an "edge fixer") asserts on some graphs with nodes of very different
//! sizes (found by our property test: `edge_fixer.rs:34 loc.x >= leftmost`), which would abort a
//! wasm page, and took most of its time; this module cannot panic on any input and runs in
//! O(sweeps × elements).
//!
//! Method: y by rank (row height = tallest element); x by alternating down/up sweeps in which every
//! element wants the mean x of its neighbours in the previous row, solved exactly per row under the
//! order and spacing constraints with weighted isotonic regression (pool adjacent violators). Dummy
//! and label elements weigh more, so long edges run straight.

use crate::geom::{Cubic, Point};

/// What sits in a row.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Elem {
    /// A graph node (index into the scope's nodes).
    Node(usize),
    /// The label of an edge (index into the scope's edges).
    Label(usize),
    /// A bend point of a long edge.
    Dummy,
    /// A bend point of a trunk shared by bundled edges ([`crate::layers::Layers::trunks`]): it
    /// yields to everything in its row (it is straightened afterwards, right of them all).
    Trunk,
}

/// Links to a neighbouring row: (position in that row, edge weight).
pub type Links = Vec<(usize, f64)>;

/// One element of a row.
#[derive(Clone, Debug)]
pub struct Item {
    /// What it is.
    pub elem: Elem,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
    /// Neighbours in the row above: (position in that row, edge weight).
    pub up: Links,
    /// Neighbours in the row below.
    pub down: Links,
}

/// Horizontal gap between two nodes, and between anything involving an edge element.
const NODE_GAP: f64 = 40.0;
const EDGE_GAP: f64 = 14.0;
/// Vertical gap between rows that hold nodes, and next to rows that hold only edge elements.
const ROW_GAP: f64 = 44.0;
const THIN_ROW_GAP: f64 = 14.0;
/// Sweeps of the barycentre pass.
const SWEEPS: usize = 12;

/// Assign centres to all items: `rows[r][k]` gets `out[r][k]`.
pub fn place(rows: &[Vec<Item>]) -> Vec<Vec<Point>> {
    let mut ys = Vec::with_capacity(rows.len());
    let mut y = 0.0;
    let mut prev: Option<(f64, bool)> = None;
    for row in rows {
        let h = row.iter().map(|i| i.h).fold(0.0, f64::max);
        let has_node = row.iter().any(|i| matches!(i.elem, Elem::Node(_)));
        if let Some((ph, p_node)) = prev {
            let gap = if has_node && p_node {
                ROW_GAP
            } else {
                THIN_ROW_GAP
            };
            y += ph / 2.0 + gap + h / 2.0;
        } else {
            y = h / 2.0;
        }
        ys.push(y);
        prev = Some((h, has_node));
    }
    // Initial x: packed from the left.
    let mut xs: Vec<Vec<f64>> = rows
        .iter()
        .map(|row| {
            let mut x = 0.0;
            let mut out = Vec::with_capacity(row.len());
            for (k, it) in row.iter().enumerate() {
                if k > 0 {
                    x += sep(&row[k - 1], it);
                }
                out.push(x);
            }
            out
        })
        .collect();
    for sweep in 0..SWEEPS {
        let down = sweep % 2 == 0;
        let order: Vec<usize> = if down {
            (1..rows.len()).collect()
        } else {
            (0..rows.len().saturating_sub(1)).rev().collect()
        };
        for r in order {
            let (nr, pick): (usize, fn(&Item) -> &Links) = if down {
                (r - 1, |i| &i.up)
            } else {
                (r + 1, |i| &i.down)
            };
            // Later sweeps look both ways, which stops one-sided drift down long chains.
            let both = sweep >= SWEEPS / 2;
            let want: Vec<f64> = rows[r]
                .iter()
                .enumerate()
                .map(|(k, it)| {
                    let mut sum = 0.0;
                    let mut cnt = 0.0;
                    for &(j, w) in pick(it) {
                        sum += w * xs[nr][j];
                        cnt += w;
                    }
                    if both {
                        if r > 0 && nr != r - 1 {
                            for &(j, w) in &it.up {
                                sum += w * xs[r - 1][j];
                                cnt += w;
                            }
                        }
                        if nr != r + 1 && r + 1 < rows.len() {
                            for &(j, w) in &it.down {
                                sum += w * xs[r + 1][j];
                                cnt += w;
                            }
                        }
                    }
                    if cnt <= 0.0 { xs[r][k] } else { sum / cnt }
                })
                .collect();
            let weights: Vec<f64> = rows[r]
                .iter()
                .map(|it| {
                    if it.elem == Elem::Trunk {
                        return 1e-6;
                    }
                    let base = if matches!(it.elem, Elem::Dummy) {
                        4.0
                    } else {
                        1.0
                    };
                    // Elements held only by weak (Catch) edges give way to the main flow.
                    let pull: f64 = pick(it).iter().map(|&(_, w)| w).sum();
                    if pull <= 0.0 {
                        base * 0.05
                    } else {
                        base * pull.min(1.0).powi(2)
                    }
                })
                .collect();
            let seps: Vec<f64> = rows[r].windows(2).map(|p| sep(&p[0], &p[1])).collect();
            xs[r] = isotonic(&want, &weights, &seps);
        }
    }
    // Shift so the leftmost box edge is at 0.
    let left = rows
        .iter()
        .zip(&xs)
        .flat_map(|(row, x)| row.iter().zip(x).map(|(it, x)| x - it.w / 2.0))
        .fold(f64::INFINITY, f64::min);
    let left = if left.is_finite() { left } else { 0.0 };
    // Nodes hang from the top of their row: a short node beside a tall one (a Fail state beside
    // a Parallel) stays next to the row above instead of floating down to the tall one's middle.
    // Edge elements stay on the row's centre line.
    rows.iter()
        .zip(&xs)
        .zip(&ys)
        .map(|((row, x), &y)| {
            let top = y - row.iter().map(|i| i.h).fold(0.0, f64::max) / 2.0;
            row.iter()
                .zip(x)
                .map(|(it, &x)| match it.elem {
                    Elem::Node(_) => Point::new(x - left, top + it.h / 2.0),
                    _ => Point::new(x - left, y),
                })
                .collect()
        })
        .collect()
}

/// Minimum centre distance between neighbours in a row.
pub(crate) fn sep(a: &Item, b: &Item) -> f64 {
    let gap = if matches!(a.elem, Elem::Node(_)) && matches!(b.elem, Elem::Node(_)) {
        NODE_GAP
    } else {
        EDGE_GAP
    };
    a.w / 2.0 + gap + b.w / 2.0
}

/// Minimise Σ wᵢ(xᵢ − dᵢ)² subject to xᵢ₊₁ − xᵢ ≥ sᵢ (pool adjacent violators on dᵢ − offsetᵢ).
fn isotonic(want: &[f64], weights: &[f64], seps: &[f64]) -> Vec<f64> {
    let n = want.len();
    let mut offset = vec![0.0; n];
    for i in 1..n {
        offset[i] = offset[i - 1] + seps[i - 1];
    }
    // Blocks of (weighted mean, total weight, count).
    let mut blocks: Vec<(f64, f64, usize)> = Vec::with_capacity(n);
    for i in 0..n {
        let w = weights[i].max(1e-9);
        let mut b = (want[i] - offset[i], w, 1usize);
        while let Some(&last) = blocks.last() {
            if last.0 <= b.0 {
                break;
            }
            blocks.pop();
            let tw = last.1 + b.1;
            b = ((last.0 * last.1 + b.0 * b.1) / tw, tw, last.2 + b.2);
        }
        blocks.push(b);
    }
    let mut out = Vec::with_capacity(n);
    for (v, _, c) in blocks {
        for _ in 0..c {
            let i = out.len();
            out.push(v + offset[i]);
        }
    }
    out
}

/// A smooth curve through `pts` (top to bottom): vertical tangents at both ends (out of the
/// source, into the target), Catmull-Rom tangents at bend points, so long edges bend gently instead
/// of wiggling.
pub fn curve_through(pts: &[Point]) -> Vec<Cubic> {
    let n = pts.len();
    let tangent = |i: usize| -> Point {
        if i == 0 || i + 1 == n {
            let dy = if n >= 2 {
                (pts[n - 1].y - pts[0].y).signum()
            } else {
                1.0
            };
            Point::new(0.0, dy)
        } else {
            let d = pts[i + 1].minus(pts[i - 1]);
            let l = d.len();
            if l > 1e-9 {
                d.scale(1.0 / l)
            } else {
                Point::new(0.0, 1.0)
            }
        }
    };
    pts.windows(2)
        .enumerate()
        .map(|(i, p)| {
            let (a, b) = (p[0], p[1]);
            let k = b.minus(a).len() / 3.0;
            [
                a,
                a.plus(tangent(i).scale(k)),
                b.minus(tangent(i + 1).scale(k)),
                b,
            ]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(i: usize, w: f64, up: Vec<(usize, f64)>, down: Vec<(usize, f64)>) -> Item {
        Item {
            elem: Elem::Node(i),
            w,
            h: 40.0,
            up,
            down,
        }
    }

    #[test]
    fn isotonic_respects_order_and_spacing() {
        let x = isotonic(&[10.0, 0.0, 5.0], &[1.0, 1.0, 1.0], &[20.0, 20.0]);
        assert!(
            x[1] - x[0] >= 20.0 - 1e-9 && x[2] - x[1] >= 20.0 - 1e-9,
            "{x:?}"
        );
        // Already feasible: unchanged.
        assert_eq!(
            isotonic(&[0.0, 50.0], &[1.0, 1.0], &[20.0]),
            vec![0.0, 50.0]
        );
    }

    #[test]
    fn a_parent_is_centred_over_its_two_children() {
        let rows = vec![
            vec![node(0, 100.0, vec![], vec![(0, 1.0), (1, 1.0)])],
            vec![
                node(1, 100.0, vec![(0, 1.0)], vec![]),
                node(2, 100.0, vec![(0, 1.0)], vec![]),
            ],
        ];
        let p = place(&rows);
        let mid = (p[1][0].x + p[1][1].x) / 2.0;
        assert!((p[0][0].x - mid).abs() < 1.0, "{p:?}");
        assert!(p[1][1].x - p[1][0].x >= 140.0 - 1e-9);
        assert!(p[1][0].y > p[0][0].y);
    }
}
