//! Parse + validate: arbitrary text, then generated definitions (JSON or YAML, now and then
//! mutated); diagnostics stay inside the text, never a panic or a stack overflow.
//!
//! The body and its generator are `fuzz_gen::targets::load` (shared with the stable smoke test).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_gen::targets::load(data));
