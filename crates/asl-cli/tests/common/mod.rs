//! Helpers the CLI test binaries share: running `asl`, scratch files, its JSON output.
//! (Each test binary compiles this module; not every one uses every helper.)

#![allow(dead_code, clippy::disallowed_methods)] // test helpers write scratch files

use std::path::PathBuf;
use std::process::{Command, Output};

/// Runs the `asl` binary under test.
pub fn asl(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_asl"))
        .args(args)
        .output()
        .expect("run asl")
}

/// Writes `text` to a file `name` in this test binary's scratch directory (`dir` names it).
pub fn scratch_in(dir: &str, name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("{dir}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write scratch file");
    p
}

/// The JSON `asl` printed on stdout.
pub fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

/// `asl` exited with `code`; when not, the failure shows what it wrote on stderr.
#[track_caller]
pub fn assert_exit(out: &Output, code: i32) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
