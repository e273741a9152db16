//! No mock file panics the reader: random text, and the MockConfigFiles of `tests/mocks/`
//! mutated (truncated, characters deleted, tokens spliced in). Every rejection carries a line and
//! column inside the text; every accepted file survives an export/import round trip.

// The harness reads the fixture files from disk; the core itself never does.
#![allow(clippy::disallowed_methods)]

use std::path::PathBuf;
use std::sync::LazyLock;

use asl_core::mock::{MockConfig, MockError, MockFile, Mocks};
use proptest::prelude::*;

mod common;

static FIXTURES: LazyLock<Vec<String>> = LazyLock::new(|| {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/mocks");
    let mut out = Vec::new();
    for dir in ["lambda-sqs", "lead-generation", "map-iterations"] {
        let p = root.join(dir).join("MockConfigFile.json");
        out.push(std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display())));
    }
    out
});

const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "\"0\"",
    "\"1-2\"",
    "\"3-1\"",
    "\"x\"",
    "null",
    "true",
    "-1",
    "1e999",
    "\"Return\"",
    "\"Throw\"",
    "\"Error\"",
    "\"Cause\"",
    "\"DurationSeconds\"",
    "\"StateMachines\"",
    "\"TestCases\"",
    "\"MockedResponses\"",
    "é",
    "\n",
    "\\u12",
];

fn check_position(text: &str, e: &MockError) {
    let lines = text.split('\n').count() as u32;
    assert!(
        e.line >= 1 && e.line <= lines.max(1),
        "{e} in {lines} lines"
    );
    assert!(e.column >= 1, "{e}");
    assert!(!e.message.is_empty());
}

fn check(text: &str) {
    match MockFile::parse(text) {
        Err(e) => check_position(text, &e),
        Ok(MockFile::Config(c)) => {
            // Every case resolves, and the file writes back to an equal one.
            for (sm, case) in c.cases() {
                c.mocks(Some(&sm), &case).expect("a parsed case resolves");
            }
            let again = MockConfig::from_value(&c.to_value()).expect("round trip");
            assert_eq!(again, c);
        }
        Ok(MockFile::Native(m)) => {
            assert_eq!(Mocks::from_value(&m.to_value()).expect("round trip"), m);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn random_text_never_panics(text in "\\PC{0,200}") {
        check(&text);
    }

    #[test]
    fn mutated_fixtures_never_panic(
        which in 0usize..3,
        at in any::<prop::sample::Index>(),
        token in prop::sample::select(TOKENS),
        op in 0u8..3,
    ) {
        check(&common::mutate(&FIXTURES[which], op, &at, token));
    }
}

#[test]
fn the_fixtures_themselves_are_valid() {
    for f in FIXTURES.iter() {
        assert!(matches!(MockFile::parse(f), Ok(MockFile::Config(_))));
    }
}
