//! Share links: arbitrary text, generated sessions and damaged links through
//! `asl_core::share::{encode, decode}`; round trips exact, never a panic.
//!
//! The body and its generator are `fuzz_gen::targets::share` (shared with the stable smoke test).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_gen::targets::share(data));
