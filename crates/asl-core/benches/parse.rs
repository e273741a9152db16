//! Parse + validate cost of a large definition: 1,000 states of every kind (Pass with templates,
//! Task with Retry/Catch and intrinsics, Choice with nested rules, Wait, a Parallel and a Map with
//! their own branches). Run with `cargo bench -p asl-core --bench parse`; prints milliseconds per
//! load for each phase and for the whole `asl_core::load`: the median wall time and, on Linux, the
//! mean time on a CPU (unaffected by other processes on a busy machine). Target: well under 10 ms.

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::{Duration, Instant};

/// A valid definition with `n` top-level states (plus a few nested ones).
fn definition(n: usize) -> String {
    let mut s =
        String::from("{\n  \"Comment\": \"benchmark\",\n  \"StartAt\": \"S0\",\n  \"States\": {\n");
    for i in 0..n {
        let next = if i + 1 == n {
            "\"End\": true".to_string()
        } else {
            format!("\"Next\": \"S{}\"", i + 1)
        };
        let body = match i % 6 {
            0 => format!(
                r#"{{"Type": "Pass", "Parameters": {{"id.$": "$.order.id", "items.$": "$.order.items[0:3]", "fixed": {{"a": [1, 2, 3], "b": "text"}}}}, "ResultPath": "$.step{i}", {next}}}"#
            ),
            1 => format!(
                r#"{{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {{"FunctionName": "f{i}", "Payload.$": "States.Format('item {{}} of {{}}', $.index, $.total)"}}, "ResultSelector": {{"body.$": "$.Payload"}}, "TimeoutSeconds": 30, "HeartbeatSeconds": 10, "Retry": [{{"ErrorEquals": ["States.Timeout"], "IntervalSeconds": 2, "MaxAttempts": 4, "BackoffRate": 1.5}}, {{"ErrorEquals": ["States.ALL"]}}], "Catch": [{{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Failed"}}], {next}}}"#
            ),
            2 => {
                let target = if i + 1 == n {
                    "Done".to_string()
                } else {
                    format!("S{}", i + 1)
                };
                format!(
                    r#"{{"Type": "Choice", "Choices": [{{"And": [{{"Variable": "$.n", "NumericGreaterThan": 10}}, {{"Not": {{"Variable": "$.name", "StringEquals": "x"}}}}], "Next": "{target}"}}, {{"Variable": "$.flag", "BooleanEquals": true, "Next": "{target}"}}], "Default": "{target}"}}"#
                )
            }
            3 => format!(r#"{{"Type": "Wait", "Seconds": 1, "OutputPath": "$.out", {next}}}"#),
            4 if i == 4 => format!(
                r#"{{"Type": "Parallel", "Branches": [{{"StartAt": "B{i}a", "States": {{"B{i}a": {{"Type": "Pass", "End": true}}}}}}, {{"StartAt": "B{i}b", "States": {{"B{i}b": {{"Type": "Succeed"}}}}}}], {next}}}"#
            ),
            4 => format!(
                r#"{{"Type": "Pass", "Result": {{"x": {i}, "y": [true, null, "z"]}}, {next}}}"#
            ),
            _ if i == 5 => format!(
                r#"{{"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 4, "ItemSelector": {{"item.$": "$$.Map.Item.Value"}}, "ItemProcessor": {{"ProcessorConfig": {{"Mode": "INLINE"}}, "StartAt": "M{i}", "States": {{"M{i}": {{"Type": "Pass", "End": true}}}}}}, {next}}}"#
            ),
            _ => {
                format!(r#"{{"Type": "Pass", "InputPath": "$.data", "ResultPath": "$.r", {next}}}"#)
            }
        };
        let _ = writeln!(s, "    \"S{i}\": {body},");
    }
    s.push_str("    \"Failed\": {\"Type\": \"Fail\", \"Error\": \"Failed\", \"Cause\": \"a task failed\"},\n");
    s.push_str("    \"Done\": {\"Type\": \"Succeed\"}\n  }\n}\n");
    s
}

/// Nanoseconds this thread has spent on a CPU (Linux `schedstat`), so the figure does not depend
/// on how busy the machine is; `None` elsewhere.
fn cpu_ns() -> Option<u64> {
    #[allow(clippy::disallowed_methods)]
    // The benchmark reads its own CPU clock; the library never does.
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    stat.split_whitespace().next()?.parse().ok()
}

/// Median wall time of `runs` calls after a warm-up, and mean on-CPU time when the OS tells it.
fn measure(runs: usize, mut f: impl FnMut()) -> (Duration, Option<Duration>) {
    for _ in 0..runs / 10 + 1 {
        f();
    }
    let mut times = Vec::with_capacity(runs);
    let cpu_start = cpu_ns();
    for _ in 0..runs {
        #[allow(clippy::disallowed_methods)]
        // A benchmark measures wall time; the library never does.
        let start = Instant::now();
        f();
        times.push(start.elapsed());
    }
    let cpu = cpu_start
        .zip(cpu_ns())
        .map(|(a, b)| Duration::from_nanos((b - a) / runs as u64));
    times.sort_unstable();
    (times[runs / 2], cpu)
}

fn main() {
    let text = definition(1_000);
    let loaded = asl_core::load(&text);
    let errors: Vec<String> = loaded.errors().map(ToString::to_string).collect();
    assert!(
        errors.is_empty(),
        "the benchmark definition must be valid: {errors:#?}"
    );
    let states = loaded.machine.as_ref().map_or(0, |m| m.root.states.len());
    println!(
        "definition: {states} top-level states, {} KiB",
        text.len() / 1024
    );
    let node = asl_core::syntax::parse(&text).expect("valid JSON");
    let (machine, _) = asl_core::parse::parse(&node);
    let machine = machine.expect("a machine");
    let syntax = measure(200, || {
        black_box(asl_core::syntax::parse(black_box(&text)).is_ok());
    });
    let model = measure(200, || {
        black_box(asl_core::parse::parse(black_box(&node)).1.len());
    });
    let rules = measure(200, || {
        black_box(asl_core::validate::validate(black_box(&machine)).len());
    });
    let full = measure(200, || {
        black_box(asl_core::load(black_box(&text)).diagnostics.len());
    });
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!("                                        wall (median)   on-CPU (mean)");
    for (name, (wall, cpu)) in [
        ("syntax::parse (JSON with spans)", syntax),
        ("parse::parse (typed model, field rules)", model),
        ("validate::validate (whole machine)", rules),
        ("load (all of it, 1,000 states)", full),
    ] {
        let cpu = cpu.map_or("n/a".to_string(), |c| format!("{:.3} ms", ms(c)));
        println!("{name:<40} {:>8.3} ms   {cpu:>10}", ms(wall));
    }
}
