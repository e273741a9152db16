//! How long `regress`'s two backends take on patterns that backtrack catastrophically, by subject
//! length: the figures behind the choice in `src/jsonata/regex.rs`.
//!   cargo run --release -p asl-core --example regex_backends
//! Each row: the pattern, the subject length n, and the milliseconds each backend took to find
//! that there is no match (the subject is n copies of a character the loop takes, then one it
//! does not). A row stops growing once a backend passes 2 s.

// A measurement, not the core: it reads the clock.
#![allow(clippy::disallowed_methods, clippy::disallowed_types)]

use std::time::{Duration, Instant};

use regress::Regex;
use regress::backends::{BacktrackExecutor, PikeVMExecutor, find};

fn main() {
    let cases: &[(&str, char, char)] = &[
        (r"^(a+)+$", 'a', '!'),
        (r"(a|a)*b", 'a', '!'),
        (r"(a*)*b", 'a', '!'),
        (r"^(\w+\s?)+$", 'a', '!'),
        (r"^((a+)+)+$", 'a', '!'),
    ];
    let limit = Duration::from_secs(2);
    for &(pattern, fill, stop) in cases {
        let re = Regex::new(pattern).expect("a valid pattern");
        let mut backtrack_done = false;
        let mut pike_done = false;
        for n in (8..=40).step_by(2) {
            if backtrack_done && pike_done {
                break;
            }
            let subject: String = std::iter::repeat_n(fill, n).chain([stop]).collect();
            let mut row = format!("{pattern:<16} n={n:<3}");
            if backtrack_done {
                row.push_str("  backtrack      >2 s");
            } else {
                let t = Instant::now();
                let m = find::<BacktrackExecutor>(&re, &subject, 0).next().is_some();
                let d = t.elapsed();
                row.push_str(&format!("  backtrack {:>9.2} ms (match: {m})", ms(d)));
                backtrack_done = d > limit;
            }
            if pike_done {
                row.push_str("  pikevm      >2 s");
            } else {
                let t = Instant::now();
                let m = find::<PikeVMExecutor>(&re, &subject, 0).next().is_some();
                let d = t.elapsed();
                row.push_str(&format!("  pikevm {:>9.2} ms (match: {m})", ms(d)));
                pike_done = d > limit;
            }
            println!("{row}");
        }
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
