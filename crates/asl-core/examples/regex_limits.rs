//! How long `regress` takes to fail at the longest string the guard lets each pattern run on:
//! the figures behind the budgets in `src/jsonata/regex.rs` (exponential and polynomial
//! backtracking should cost about as much at their limits).
//!   cargo run --release -p asl-core --example regex_limits
//! Each row: the pattern, what the guard says of it (read from its `D1005` message on a string
//! too long for any limit), the limit n (5,000 for a pattern not limited), and the milliseconds
//! `regress` takes to find no match in a string of n characters: copies of one the loops take,
//! then one they do not (the median of three runs).

// A measurement, not the core: it reads the clock.
#![allow(clippy::disallowed_methods, clippy::disallowed_types)]

use std::time::Instant;

use asl_core::jsonata::{EvalEnv, Expr, NoVariables};
use asl_core::value::Value;
use regress::Regex;

fn main() {
    let cases: &[(&str, &str, &str)] = &[
        // Exponential.
        (r"^(a+)+$", "a", "!"),
        (r"(a|a)*b", "a", "!"),
        (r"(a*)*b", "a", "!"),
        (r"^(\w+\s?)+$", "a", "!"),
        (r"^((a+)+)+$", "a", "!"),
        // Not limited: at most quadratic over all start positions.
        (r"(.+)@(.+)", "x", "!"),
        (r".*error.*", "x", "!"),
        (r"^(.*?)d(.*)$", "d", "\n"),
        // Polynomial, degree 2 and more.
        (r"a*a*b", "a", "!"),
        (r"(a*)(a*)b", "a", "!"),
        (r"(a|b)*(a|c)*x", "a", "!"),
        (r".*foo.*bar", "foo", "!"),
        (r"(\d+)\s*(\w+)x", "1", "!"),
        (r"(?:ab)*(?:ab)*c", "ab", "!"),
        (r"^\s*(.*?)\s*$", " ", "x\ny"),
        (r"a*a*a*b", "a", "!"),
        (r"(a*)(a*)(a*)b", "a", "!"),
        (r"\s*\s*\s*x", " ", "!"),
        (r".*,.*,.*x", ",", "!"),
        (r"a*a*a*a*b", "a", "!"),
        (r"[^]{2,}[^]{2,}[^]{2,}aa", "x.", "!"),
        (r"a*a*a*a*a*a*b", "a", "!"),
        (
            r"(([^]{2,}[^]{2,}[^]{2,}|x)([^]{2,}[^]{2,}[^]{2,}|y))aa",
            "x.",
            "!",
        ),
    ];
    let long = Value::parse(&format!(r#"{{"s": "{}"}}"#, "a".repeat(100_000))).expect("an object");
    for &(pattern, fill, stop) in cases {
        let literal = format!("/{}/", pattern);
        let message = Expr::compile(&format!("$contains(s, {literal})"))
            .and_then(|e| e.evaluate(&long, &NoVariables, &EvalEnv::default()))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        // Not limited: timed on 5,000 characters instead.
        let (limit, kind) = match number_after(&message, "strings of up to ") {
            None => (5_000, "not limited".to_string()),
            Some(limit) => match number_after(&message, "to the power ") {
                Some(p) => (limit, format!("n^{p}")),
                None => (limit, "exponential".to_string()),
            },
        };
        // The limit is in characters; the subject is as long as it allows.
        let copies = limit.saturating_sub(stop.chars().count()) / fill.chars().count();
        let subject = format!("{}{stop}", fill.repeat(copies));
        let re = Regex::new(pattern).expect("a valid pattern");
        let mut times: Vec<f64> = (0..3)
            .map(|_| {
                let t = Instant::now();
                let found = re.find(&subject).is_some();
                assert!(!found, "{pattern} fails on its subject");
                t.elapsed().as_secs_f64() * 1000.0
            })
            .collect();
        times.sort_by(f64::total_cmp);
        println!(
            "{pattern:<58} {kind:<12} n={:<5} {:>9.2} ms",
            subject.chars().count(),
            times[1]
        );
    }
}

fn number_after(text: &str, after: &str) -> Option<usize> {
    let rest = &text[text.find(after)? + after.len()..];
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}
