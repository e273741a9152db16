//! Every fuzz target on stable, in `cargo test`: each target's body over seeded byte strings
//! (a few seconds in all) and over every saved input in `regressions/<target>/` (inputs that
//! once crashed a target; each must now pass). `FUZZ_SMOKE_CASES` sets the cases per target.

// The harness reads the saved inputs from disk; the code under test never does.
#![allow(clippy::disallowed_methods)]

use std::path::PathBuf;

use fuzz_gen::choices::seeded_bytes;
use fuzz_gen::targets::ALL;

fn cases() -> u64 {
    std::env::var("FUZZ_SMOKE_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200)
}

#[test]
fn every_target_on_seeded_inputs() {
    let n = cases();
    for (name, body) in ALL {
        for seed in 0..n {
            // Lengths from 0 to ~2 KiB: short inputs hit the leaves, long ones nest deeply.
            let len = (seed as usize * 37) % 2048;
            let bytes = seeded_bytes(seed ^ (name.len() as u64 * 7919), len);
            body(&bytes);
        }
        println!("{name}: {n} seeded inputs");
    }
}

#[test]
fn saved_regressions_still_pass() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("regressions");
    let mut ran = 0;
    for (name, body) in ALL {
        let Ok(dir) = std::fs::read_dir(root.join(name)) else {
            continue;
        };
        let mut files: Vec<PathBuf> = dir.flatten().map(|e| e.path()).collect();
        files.sort();
        for f in files {
            let bytes = std::fs::read(&f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
            body(&bytes);
            ran += 1;
        }
    }
    println!("{ran} saved regression inputs");
}
