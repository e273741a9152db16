//! JSONata's parser and evaluator on arbitrary text and on generated expressions: an `Expr` or
//! an error positioned inside the text; evaluation gives a value, undefined or an error (`U1001`
//! for runaway recursion), never a panic or a stack overflow.
//!
//! The body and its generator are `fuzz_gen::targets::jsonata` (shared with the stable smoke test).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_gen::targets::jsonata(data));
