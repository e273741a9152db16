//! Mock files (native and MockConfigFile): arbitrary text gets an error with a line and column
//! inside it; generated files read back identically after writing.
//!
//! The body and its generator are `fuzz_gen::targets::mocks` (shared with the stable smoke test).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_gen::targets::mocks(data));
