//! How long compiling a JSONata regex literal takes, the guard's ambiguity analysis included, on
//! the largest patterns the analysis still examines: the figures in
//! `src/jsonata/regex/ambiguity.rs`.
//!   cargo run --release -p asl-core --example regex_analysis
//! Each row: the pattern's shape, its length, the best of several compilations of the literal
//! (`Expr::compile`, which runs `regress`'s compiler and the analysis) and of `regress`'s
//! compiler alone; the difference is the analysis.

// A measurement, not the core: it reads the clock.
#![allow(clippy::disallowed_methods, clippy::disallowed_types)]

use std::time::{Duration, Instant};

use asl_core::jsonata::{EvalEnv, Expr, NoVariables};
use asl_core::value::Value;

fn main() {
    let alternatives = |body: &str, k: usize| vec![body; k].join("|");
    let cases: Vec<(&str, String)> = vec![
        (
            "a loop of 31 overlapping alternatives (exponential: the pair product only)",
            format!("(?:{})*b", alternatives("a", 31)),
        ),
        ("500 plain characters", "ab".repeat(250)),
        (
            "127 loops in a row then x, every pair a level (2.0 M of the triple search's 2.1 M steps)",
            format!("{}x", r"\w+".repeat(127)),
        ),
        (
            "two loops of 60 dots (levels between 60-state components)",
            format!("(?:{0})*(?:{0})*x", ".".repeat(60)),
        ),
        (
            "42 times [ab]*[ac][bc]* (pairs the triple product refutes)",
            "[ab]*[ac][bc]*".repeat(42),
        ),
        (
            "two 60-state loops, [ab] then [bc], [ac] between (3,600 pairs refuted)",
            format!("(?:{})*[ac](?:{})*", "[ab]".repeat(60), "[bc]".repeat(60)),
        ),
        (
            "the same, 40-state loops",
            format!("(?:{})*[ac](?:{})*", "[ab]".repeat(40), "[bc]".repeat(40)),
        ),
    ];
    let subject = format!("{}!", "a".repeat(10_000));
    let input = Value::parse(&format!(r#"{{"s": "{subject}"}}"#)).expect("an object");
    for (what, pattern) in &cases {
        let literal = format!("/{pattern}/");
        let whole = best(|| {
            Expr::compile(&literal).expect("a valid pattern");
        });
        let engine = best(|| {
            regress::Regex::new(pattern).expect("a valid pattern");
        });
        // What the guard makes of it: the start of its message on a long string, if any.
        let verdict = Expr::compile(&format!("$contains(s, {literal})"))
            .and_then(|e| e.evaluate(&input, &NoVariables, &EvalEnv::default()))
            .map_or_else(
                |e| {
                    e.to_string()
                        .chars()
                        .skip(20 + literal.len())
                        .take(60)
                        .collect()
                },
                |_| "runs on 10,001 characters".to_string(),
            );
        println!(
            "{what}: {} characters, compile {:.2} ms, regress alone {:.2} ms; {verdict}",
            pattern.chars().count(),
            ms(whole),
            ms(engine)
        );
    }
}

fn best(mut f: impl FnMut()) -> Duration {
    (0..5)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
