//! The examples gallery: teaching state machines, each with an input and mocks, compiled into the
//! app from `web/examples/*.json`. The first one (the video pipeline) opens on a first visit.

use serde::Deserialize;
use serde_json::Value;

/// One example as stored in its JSON file.
#[derive(Deserialize)]
struct File {
    title: String,
    description: String,
    definition: Value,
    input: Value,
    mocks: Value,
}

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

const SOURCES: &[(&str, &str)] = &[
    (
        "video-pipeline",
        include_str!("../examples/video-pipeline.json"),
    ),
    (
        "retry-backoff",
        include_str!("../examples/retry-backoff.json"),
    ),
    (
        "catch-fallback",
        include_str!("../examples/catch-fallback.json"),
    ),
    ("choice", include_str!("../examples/choice.json")),
    ("wait", include_str!("../examples/wait.json")),
    ("map", include_str!("../examples/map.json")),
    ("parallel", include_str!("../examples/parallel.json")),
    (
        "jsonata-variables",
        include_str!("../examples/jsonata-variables.json"),
    ),
    (
        "standard-vs-express-loop",
        include_str!("../examples/standard-vs-express-loop.json"),
    ),
    (
        "payload-grows",
        include_str!("../examples/payload-grows.json"),
    ),
    (
        "retries-multiply",
        include_str!("../examples/retries-multiply.json"),
    ),
    (
        "polling-cost-secrets",
        include_str!("../examples/polling-cost-secrets.json"),
    ),
];

/// The id of the example a first visit opens.
pub const FIRST: &str = "video-pipeline";

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

/// Every example, in gallery order. Files that don't parse are skipped (a test checks none is).
pub fn all() -> Vec<Example> {
    SOURCES
        .iter()
        .filter_map(|(id, text)| {
            let f: File = serde_json::from_str(text).ok()?;
            Some(Example {
                id,
                title: f.title,
                description: f.description,
                definition: pretty(&f.definition),
                input: pretty(&f.input),
                mocks: pretty(&f.mocks),
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

    #[test]
    fn every_example_parses_and_the_first_is_the_video_pipeline() {
        assert_eq!(all().len(), SOURCES.len());
        assert!(SOURCES.len() >= 8);
        assert_eq!(all()[0].id, FIRST);
    }
}
