//! The executor: generated valid definitions, mocks and inputs, driven by generated
//! step/back/seek/run/answer sequences; histories stay well formed and replays identical.
//!
//! The body and its generator are `fuzz_gen::targets::exec` (shared with the stable smoke test).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_gen::targets::exec(data));
