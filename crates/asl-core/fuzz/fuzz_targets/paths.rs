//! JSONPath (select, find, ResultPath writes) and intrinsic functions, generated, over generated
//! inputs: a value or an `ExecError`, parse errors positioned inside the text.
//!
//! The body and its generator are `fuzz_gen::targets::paths` (shared with the stable smoke test).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_gen::targets::paths(data));
