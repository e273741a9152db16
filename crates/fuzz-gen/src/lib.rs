//! Grammar-aware generators for fuzzing ASL Playground, and the fuzz targets' bodies.
//!
//! Random bytes stop at the JSON parser, so every target reads its bytes as a sequence of choices
//! ([`choices::Gen`]) among the productions of what it feeds the code: definitions ([`asl`]), JSON
//! values ([`json`]), JSONPath and intrinsics ([`paths`]), JSONata ([`jsonata`]), mock files
//! ([`mocks`]), YAML and templates ([`docs`]). [`targets`] holds each target's body and its
//! checks, so the same code runs under libFuzzer (nightly, `crates/asl-core/fuzz`) and in the
//! stable smoke test over seeded bytes ([`choices::seeded_bytes`]) and the saved regressions.
//!
//! Not owned here: libFuzzer itself, the semantics under test.

pub mod asl;
pub mod choices;
pub mod docs;
pub mod json;
pub mod jsonata;
pub mod mocks;
pub mod paths;
pub mod targets;
