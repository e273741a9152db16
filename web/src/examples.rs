//! The examples gallery: teaching state machines, each with an input and mocks, compiled into the
//! app from `web/examples/*.json`. The first one (the video pipeline) opens on a first visit.

use asl_core::value::Value;

/// An example ready for the editors: pretty-printed JSON texts.
#[derive(Clone, Debug, PartialEq)]
pub struct Example {
    pub id: &'static str,
    pub title: String,
    pub description: String,
    pub definition: String,
    pub input: String,
    pub mocks: String,
}

/// One example's JSON as `build.rs` stores it (the whitespace between tokens taken out).
macro_rules! example {
    ($id:literal) => {
        (
            $id,
            include_str!(concat!(env!("OUT_DIR"), "/examples/", $id, ".json")),
        )
    };
}

const SOURCES: &[(&str, &str)] = &[
    example!("video-pipeline"),
    example!("retry-backoff"),
    example!("catch-fallback"),
    example!("choice"),
    example!("wait"),
    example!("map"),
    example!("parallel"),
    example!("jsonata-variables"),
    example!("standard-vs-express-loop"),
    example!("payload-grows"),
    example!("retries-multiply"),
    example!("polling-cost-secrets"),
];

/// The id of the example a first visit opens.
pub const FIRST: &str = "video-pipeline";

/// Every example, in gallery order. Files that don't parse are skipped (a test checks none is).
/// Read and printed by asl-core's `Value` (the page's JSON reader and writer), not as a
/// `serde_json::Value` through a derived reader: one copy less of both in the wasm. A test
/// checks the texts are serde_json's pretty print of the files as written.
pub fn all() -> Vec<Example> {
    SOURCES
        .iter()
        .filter_map(|(id, text)| {
            let f = Value::parse(text).ok()?;
            let text_of = |k: &str| f.get(k)?.as_str().map(str::to_string);
            let pretty_of = |k: &str| f.get(k).map(Value::to_json_pretty);
            Some(Example {
                id,
                title: text_of("title")?,
                description: text_of("description")?,
                definition: pretty_of("definition")?,
                input: pretty_of("input")?,
                mocks: pretty_of("mocks")?,
            })
        })
        .collect()
}

pub fn by_id(id: &str) -> Option<Example> {
    all().into_iter().find(|e| e.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One example as stored in its JSON file, read by serde as the page read it before.
    #[derive(serde::Deserialize)]
    struct File {
        title: String,
        description: String,
        definition: serde_json::Value,
        input: serde_json::Value,
        mocks: serde_json::Value,
    }

    fn pretty(v: &serde_json::Value) -> String {
        serde_json::to_string_pretty(v).expect("printed")
    }

    /// The gallery's files as written (the page includes them minified by build.rs).
    #[allow(clippy::disallowed_methods)]
    fn original(id: &str) -> String {
        let path = format!("{}/examples/{id}.json", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&path).expect("the example's file")
    }

    #[test]
    fn the_stored_examples_give_the_texts_of_the_files_as_written() {
        for e in all() {
            let f: File = serde_json::from_str(&original(e.id)).expect("the file parses");
            assert_eq!(e.title, f.title, "{}", e.id);
            assert_eq!(e.description, f.description, "{}", e.id);
            assert_eq!(e.definition, pretty(&f.definition), "{}", e.id);
            assert_eq!(e.input, pretty(&f.input), "{}", e.id);
            assert_eq!(e.mocks, pretty(&f.mocks), "{}", e.id);
        }
        let (_, stored) = SOURCES[0];
        assert!(
            stored.len() < original(FIRST).len(),
            "stored without the whitespace"
        );
    }

    #[test]
    fn every_example_parses_and_the_first_is_the_video_pipeline() {
        assert_eq!(all().len(), SOURCES.len());
        assert!(SOURCES.len() >= 8);
        assert_eq!(all()[0].id, FIRST);
    }
}
