//! Recorded executions: generated runs exported in GetExecutionHistory's shape, damaged or not,
//! imported, replayed, their mocks derived and compared; arbitrary bytes as a history too.
//!
//! The body and its generator are `fuzz_gen::targets::recorded` (shared with the stable smoke
//! test).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_gen::targets::recorded(data));
