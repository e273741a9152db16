//! The graph (layout + SVG) of generated definitions, errors and all: deterministic, and no user
//! text reaches the markup unescaped.
//!
//! The body and its generator are `fuzz_gen::targets::graph` (shared with the stable smoke test).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_gen::targets::graph(data));
