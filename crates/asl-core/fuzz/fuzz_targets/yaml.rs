//! YAML and CloudFormation/SAM templates: arbitrary text, then generated definitions as YAML or
//! inside templates; plain YAML reads as the same machine as its JSON.
//!
//! The body and its generator are `fuzz_gen::targets::yaml` (shared with the stable smoke test).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_gen::targets::yaml(data));
