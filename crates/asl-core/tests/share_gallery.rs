//! Share links of the playground's gallery examples: each decodes to its session and stays far
//! under the 8,000 characters links are safe to; `-- --nocapture` prints each link's length.
#![allow(clippy::disallowed_methods)] // the test reads the gallery's example files

use asl_core::share::{SharedSession, decode, encode};

#[test]
fn gallery_examples_make_links_far_under_common_url_limits() {
    // The playground's gallery, as its editors hold it (pretty JSON): each link's length, printed
    // with `-- --nocapture`.
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../web/examples");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("web/examples")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    assert!(files.len() >= 10, "the gallery: {files:?}");
    let mut total = 0;
    for f in files {
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&f).expect("read")).expect("JSON");
        let text = |k: &str| serde_json::to_string_pretty(&v[k]).expect("pretty");
        let s = SharedSession {
            definition: text("definition"),
            input: text("input"),
            mocks: text("mocks"),
            step: Some(12),
            ..SharedSession::default()
        };
        let link = encode(&s);
        println!("{:>6}  {}", link.len(), f.display());
        assert!(
            link.len() < 3_000,
            "{}: {} characters",
            f.display(),
            link.len()
        );
        assert_eq!(decode(&link).expect("decodes"), s);
        total += link.len();
    }
    println!("{total:>6}  in all");
}
