//! What the micro-benchmarks share: one timing loop that prints nanoseconds per operation.

use std::time::Instant;

/// Runs `f` `n` times after a warm-up of `n / 10`; prints `name` (padded to `width`) and ns/op.
pub fn measure(name: &str, width: usize, n: u64, mut f: impl FnMut()) {
    for _ in 0..n / 10 {
        f();
    }
    #[allow(clippy::disallowed_methods)] // A benchmark measures wall time; the library never does.
    let start = Instant::now();
    for _ in 0..n {
        f();
    }
    let elapsed = start.elapsed();
    println!(
        "{name:<width$} {:>11.1} ns/op",
        elapsed.as_nanos() as f64 / n as f64
    );
}
