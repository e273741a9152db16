//! Order within rows: our bounded crossing minimisation, used instead of layout-rs's where that
//! would be too slow (see the rule in [`crate::layout`]) and as a polish after it.
//!
//! Owns the left-to-right order of the elements of each row (nodes, label and dummy elements), given
//! the rows and their links from [`crate::rows::Item`]; it does not rank and does not place (see
//! [`crate::rows::place`]).
//!
//! Why not always layout-rs's `EdgeCrossOptimizer`: it recounts every crossing of the whole graph
//! after each of its 50 passes by checking every pair of elements in a row against every element of the
//! next (`num_crossing` is O(w³·deg) per row pair), and its swap passes loop until nothing changes.
//! That is fine for chains but explodes on real shapes: in a 200-state definition whose 50 Catch
//! edges all lead to one Fail state, the long Catch edges make rows ~50 elements wide and it took
//! 99 % of 13.5 s (profiled with `perf`). Here each pass is O(E log E).
//!
//! Method (Sugiyama's): alternating down/up barycentre sweeps (each element sorted by the mean
//! position of its neighbours in the row just fixed; elements without such neighbours keep their
//! place), then adjacent-swap passes that swap two neighbours when that removes crossings with
//! both adjacent rows. The exact crossing count (Barth–Mutzel style, inversions counted with a
//! Fenwick tree) is taken after every pass and the best order seen is kept, so the result is never
//! worse than the order we started from. The number of passes is fixed: the work is bounded and
//! the output deterministic.

use crate::rows::{Elem, Item};

/// Barycentre sweeps (down and up count as one each).
const SWEEPS: usize = 8;
/// Adjacent-swap passes after the sweeps.
const SWAP_PASSES: usize = 4;

/// Reorder every row of `rows` to reduce edge crossings, remapping the links. Returns, per row, the
/// new position of each element by its old position.
pub fn order(rows: &mut [Vec<Item>]) -> Vec<Vec<usize>> {
    // Work on permutations: order[r] lists old indices left to right.
    let mut ord: Vec<Vec<usize>> = rows.iter().map(|r| (0..r.len()).collect()).collect();
    let mut best = ord.clone();
    let mut best_cnt = crossings(rows, &ord);
    let mut pos: Vec<Vec<usize>> = ord.iter().map(|o| inverse(o)).collect();
    if best_cnt > 0 {
        for sweep in 0..SWEEPS {
            let down = sweep % 2 == 0;
            let rs: Vec<usize> = if down {
                (1..rows.len()).collect()
            } else {
                (0..rows.len().saturating_sub(1)).rev().collect()
            };
            for r in rs {
                let (nr, up) = if down { (r - 1, true) } else { (r + 1, false) };
                let mut keyed: Vec<(f64, usize, usize)> = ord[r]
                    .iter()
                    .enumerate()
                    .map(|(k, &i)| {
                        let it = &rows[r][i];
                        let links = if up { &it.up } else { &it.down };
                        // A trunk stays at the right end of its row ([`crate::layers::Layers::trunks`]).
                        let key = if it.elem == Elem::Trunk {
                            f64::INFINITY
                        } else if links.is_empty() {
                            k as f64
                        } else {
                            links.iter().map(|&(j, _)| pos[nr][j] as f64).sum::<f64>()
                                / links.len() as f64
                        };
                        (key, k, i)
                    })
                    .collect();
                asl_core::sort::sort_by(&mut keyed, |a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                ord[r] = keyed.into_iter().map(|(_, _, i)| i).collect();
                pos[r] = inverse(&ord[r]);
            }
            let c = crossings(rows, &ord);
            if c < best_cnt {
                best_cnt = c;
                best = ord.clone();
            }
            if best_cnt == 0 {
                break;
            }
        }
        ord = best.clone();
        pos = ord.iter().map(|o| inverse(o)).collect();
        for _ in 0..SWAP_PASSES {
            if best_cnt == 0 {
                break;
            }
            let mut changed = false;
            for r in 0..rows.len() {
                for k in 0..ord[r].len().saturating_sub(1) {
                    let (a, b) = (ord[r][k], ord[r][k + 1]);
                    if rows[r][a].elem == Elem::Trunk || rows[r][b].elem == Elem::Trunk {
                        continue;
                    }
                    let (ab, ba) = pair_crossings(rows, &pos, r, a, b);
                    if ba < ab {
                        ord[r].swap(k, k + 1);
                        pos[r][a] = k + 1;
                        pos[r][b] = k;
                        changed = true;
                    }
                }
            }
            let c = crossings(rows, &ord);
            if c < best_cnt {
                best_cnt = c;
                best = ord.clone();
            }
            if !changed {
                break;
            }
        }
    }
    apply(rows, &best)
}

/// Put each row in the order `ord[r]` (old positions, left to right) and remap the links. Returns,
/// per row, the new position of each element by its old position.
pub(crate) fn apply(rows: &mut [Vec<Item>], ord: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let newpos: Vec<Vec<usize>> = ord.iter().map(|o| inverse(o)).collect();
    for (r, row) in rows.iter_mut().enumerate() {
        let mut old: Vec<Option<Item>> = std::mem::take(row).into_iter().map(Some).collect();
        for &i in &ord[r] {
            if let Some(mut it) = old[i].take() {
                if r > 0 {
                    for l in &mut it.up {
                        l.0 = newpos[r - 1][l.0];
                    }
                }
                if let Some(np) = newpos.get(r + 1) {
                    for l in &mut it.down {
                        l.0 = np[l.0];
                    }
                }
                row.push(it);
            }
        }
    }
    newpos
}

/// Position of each element given the order.
fn inverse(ord: &[usize]) -> Vec<usize> {
    let mut p = vec![0; ord.len()];
    for (k, &i) in ord.iter().enumerate() {
        p[i] = k;
    }
    p
}

/// Crossings between the links of `a` and `b` in row `r` with both neighbouring rows, for the order
/// `a` before `b` and for `b` before `a`.
fn pair_crossings(
    rows: &[Vec<Item>],
    pos: &[Vec<usize>],
    r: usize,
    a: usize,
    b: usize,
) -> (usize, usize) {
    let (mut ab, mut ba) = (0, 0);
    let mut count = |la: &[(usize, f64)], lb: &[(usize, f64)], nr: usize| {
        for &(x, _) in la {
            for &(y, _) in lb {
                let (px, py) = (pos[nr][x], pos[nr][y]);
                if px > py {
                    ab += 1;
                } else if py > px {
                    ba += 1;
                }
            }
        }
    };
    let (ia, ib) = (&rows[r][a], &rows[r][b]);
    if r > 0 {
        count(&ia.up, &ib.up, r - 1);
    }
    if r + 1 < rows.len() {
        count(&ia.down, &ib.down, r + 1);
    }
    (ab, ba)
}

/// Total crossings between consecutive rows, in O(E log E).
pub fn crossings(rows: &[Vec<Item>], ord: &[Vec<usize>]) -> usize {
    let pos: Vec<Vec<usize>> = ord.iter().map(|o| inverse(o)).collect();
    let mut total = 0;
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for r in 0..rows.len().saturating_sub(1) {
        pairs.clear();
        for (i, it) in rows[r].iter().enumerate() {
            for &(j, _) in &it.down {
                if let Some(&pj) = pos[r + 1].get(j) {
                    pairs.push((pos[r][i], pj));
                }
            }
        }
        asl_core::sort::sort(&mut pairs);
        // Inversions among the lower ends: pairs of links whose ends cross.
        let m = rows[r + 1].len();
        let mut tree = vec![0usize; m + 1];
        for (seen, &(_, b)) in pairs.iter().enumerate() {
            // Links seen so far whose lower end is ≤ b.
            let mut le = 0;
            let mut k = b + 1;
            while k > 0 {
                le += tree[k];
                k &= k - 1;
            }
            total += seen - le;
            let mut k = b + 1;
            while k <= m {
                tree[k] += 1;
                k += k & k.wrapping_neg();
            }
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(i: usize, up: Vec<usize>, down: Vec<usize>) -> Item {
        Item {
            elem: Elem::Node(i),
            w: 10.0,
            h: 10.0,
            up: up.into_iter().map(|j| (j, 1.0)).collect(),
            down: down.into_iter().map(|j| (j, 1.0)).collect(),
        }
    }

    #[test]
    fn counts_and_removes_a_crossing() {
        // a→y, b→x: one crossing, removed by swapping either row.
        let mut rows = vec![
            vec![item(0, vec![], vec![1]), item(1, vec![], vec![0])],
            vec![item(2, vec![1], vec![]), item(3, vec![0], vec![])],
        ];
        let id: Vec<Vec<usize>> = rows.iter().map(|r| (0..r.len()).collect()).collect();
        assert_eq!(crossings(&rows, &id), 1);
        let np = order(&mut rows);
        let id: Vec<Vec<usize>> = rows.iter().map(|r| (0..r.len()).collect()).collect();
        assert_eq!(crossings(&rows, &id), 0);
        // Links still join the same elements.
        for (k, it) in rows[0].iter().enumerate() {
            for &(j, _) in &it.down {
                assert!(rows[1][j].up.iter().any(|&(u, _)| u == k));
            }
        }
        assert_eq!(np.len(), 2);
    }

    #[test]
    fn a_crossing_free_order_is_kept() {
        let mut rows = vec![
            vec![item(0, vec![], vec![0]), item(1, vec![], vec![1])],
            vec![item(2, vec![0], vec![]), item(3, vec![1], vec![])],
        ];
        assert_eq!(order(&mut rows), vec![vec![0, 1], vec![0, 1]]);
    }
}
