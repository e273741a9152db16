//! Stable sorting through one shared, non-generic sort: the playground's size budget.
//!
//! Owns [`sort_by`], [`sort_by_key`] and [`sort`], for the workspace's own call sites (asl-core,
//! asl-graph, web). Each `slice::sort_by` call with its own element type and closure is a separate
//! copy of the standard library's driftsort in the wasm, about 4 KB each (21 copies, ~86 KB of
//! code, in the playground; benches/README.md, "Bundle size"). Here the standard sort runs once,
//! on `u32` indices with a `dyn` comparator, and the slice is then put in that order by swaps:
//! per element type only the small permutation code is generated. The order is the same as
//! `slice::sort_by`'s (stable: equal elements keep their order).

use std::cmp::Ordering;

/// Sorts `v` by `cmp`, stably, as `slice::sort_by` does.
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let order = sorted_indices(v.len(), &mut |a, b| cmp(&v[a], &v[b]));
    // The permutation's bookkeeping is not generic either: per element type only this swap
    // (each generic copy of the whole loop had its own bounds checks and panic locations).
    permute(order, &mut |i, j| v.swap(i, j));
}

/// Sorts `v` by the key `f` gives, stably, as `slice::sort_by_key` does.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut f: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| f(a).cmp(&f(b)));
}

/// Sorts `v` in ascending order, stably, as `slice::sort` does.
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// Indices `0..n` in the order `cmp` gives them (stable): the one instance of the standard sort.
fn sorted_indices(n: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| cmp(a, b));
    order
}

/// Puts a slice in `order` (`order[k]` is the index of the element that goes to position `k`)
/// by calls of `swap` on it.
fn permute(order: Vec<usize>, swap: &mut dyn FnMut(usize, usize)) {
    // Where each element currently at a position must go, followed cycle by cycle with swaps.
    let mut dest = vec![0usize; order.len()];
    for (k, &i) in order.iter().enumerate() {
        dest[i] = k;
    }
    for i in 0..dest.len() {
        while dest[i] != i {
            let j = dest[i];
            swap(i, j);
            dest.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_as_the_standard_stable_sort_does() {
        // Pairs sorted by the first item only: equal keys must keep their input order.
        let mut seed = 7u32;
        for len in [0usize, 1, 2, 3, 10, 33, 200] {
            let v: Vec<(u32, usize)> = (0..len)
                .map(|i| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    ((seed >> 16) % 7, i)
                })
                .collect();
            let mut ours = v.clone();
            sort_by_key(&mut ours, |p| p.0);
            let mut std_sorted = v.clone();
            std_sorted.sort_by_key(|p| p.0);
            assert_eq!(ours, std_sorted, "len {len}");
            let mut ours = v.clone();
            sort_by(&mut ours, |a, b| b.0.cmp(&a.0));
            let mut std_sorted = v;
            std_sorted.sort_by_key(|p| std::cmp::Reverse(p.0));
            assert_eq!(ours, std_sorted, "len {len}, descending");
        }
        let mut words = vec!["pear", "apple", "fig", "apple"];
        sort(&mut words);
        assert_eq!(words, ["apple", "apple", "fig", "pear"]);
    }
}
