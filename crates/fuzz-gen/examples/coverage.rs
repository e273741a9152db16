//! How much of each generator's output gets past the front door: prints, over seeded inputs, the
//! share of generated definitions that load without errors, and of executions that finish, pause
//! or hit a limit, with their mean history length. Run it after changing a generator:
//! `cargo run -p fuzz-gen --example coverage`.

use std::collections::BTreeMap;
use std::sync::Arc;

use asl_core::exec::{ExecOptions, Execution, Limits, Status};
use asl_core::mock::Mocks;
use asl_core::value::Value;
use fuzz_gen::choices::{Gen, seeded_bytes};
use fuzz_gen::{asl, json, mocks};

fn main() {
    let n = 2_000u64;
    let (mut valid, mut events, mut runs) = (0u64, 0u64, 0u64);
    let mut outcomes: BTreeMap<String, u64> = BTreeMap::new();
    for seed in 0..n {
        let bytes = seeded_bytes(seed, 64 + (seed as usize * 37) % 2048);
        let mut g = Gen::new(&bytes);
        let def = asl::definition(&mut g, 2, 4);
        let loaded = asl_core::load(&def.tree.to_json());
        if loaded.has_errors() {
            let first = loaded.errors().next().map(|d| {
                if std::env::var_os("SHOW").is_some() {
                    println!("{:?}: {}", d.code, d.message);
                }
                format!("error {:?}", d.code)
            });
            *outcomes.entry(first.unwrap_or_default()).or_default() += 1;
            continue;
        }
        let Some(machine) = loaded.machine else {
            continue;
        };
        valid += 1;
        let mocks = Mocks::parse(&mocks::native(&mut g, &def.tasks).to_json()).unwrap_or_default();
        let input = Value::parse(&json::value(&mut g, 3).to_json())
            .unwrap_or_else(|_| Value::empty_object());
        let options = ExecOptions {
            mocks: Arc::new(mocks),
            limits: Limits {
                max_transitions: 200,
                max_history_events: 1_500,
                ..Limits::default()
            },
            ..ExecOptions::default()
        };
        let mut ex = Execution::start(Arc::new(machine), input, options);
        let status = ex.run();
        runs += 1;
        events += ex.history().len() as u64;
        let key = match status {
            Status::Failed { error, .. } => format!("failed {}", error.as_deref().unwrap_or("")),
            s => s.aws_name().to_string(),
        };
        *outcomes.entry(key).or_default() += 1;
    }
    println!(
        "{n} generated definitions: {valid} load without errors ({}%)",
        valid * 100 / n
    );
    println!("{runs} runs, {} events on average", events / runs.max(1));
    for (k, v) in outcomes {
        println!("  {v:6}  {k}");
    }
}
