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
/// Read and printed by asl-core's JSON value (the one the page already has), not by a serde
/// derive and `serde_json::Value` of their own: a test checks the texts are serde_json's pretty
/// print of the files, as they were.
pub fn all() -> Vec<Example> {
    SOURCES
        .iter()
        .filter_map(|(id, text)| {
            let f = Value::parse(text).ok()?;
            let text = |key: &str| Some(f.get(key)?.as_str()?.to_string());
            let pretty = |key: &str| Some(f.get(key)?.to_json_pretty());
            Some(Example {
                id,
                title: text("title")?,
                description: text("description")?,
                definition: pretty("definition")?,
                input: pretty("input")?,
                mocks: pretty("mocks")?,
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

    /// The gallery's files as written (the page includes them minified by build.rs).
    #[allow(clippy::disallowed_methods)]
    fn original(id: &str) -> String {
        let path = format!("{}/examples/{id}.json", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&path).expect("the example's file")
    }

    #[test]
    fn the_stored_examples_give_the_texts_of_the_files_as_written() {
        let pretty = |v: &serde_json::Value| serde_json::to_string_pretty(v).expect("prints");
        for e in all() {
            let f: serde_json::Value =
                serde_json::from_str(&original(e.id)).expect("the file parses");
            assert_eq!(e.title, f["title"].as_str().expect("a title"), "{}", e.id);
            assert_eq!(
                e.description,
                f["description"].as_str().expect("a description"),
                "{}",
                e.id
            );
            assert_eq!(e.definition, pretty(&f["definition"]), "{}", e.id);
            assert_eq!(e.input, pretty(&f["input"]), "{}", e.id);
            assert_eq!(e.mocks, pretty(&f["mocks"]), "{}", e.id);
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
