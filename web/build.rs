//! Writes each gallery example (`examples/*.json`) to `OUT_DIR/examples/` without the whitespace
//! between JSON tokens, for `src/examples.rs` to include: the page pretty-prints every example on
//! load from its parsed value, so the stored indentation never reached the editors and only took
//! room in the wasm (1,064 B of the gzipped bundle, benches/README.md, "Bundle size"). A unit test
//! checks that each example's texts are the same from either file.

use std::path::Path;
use std::{env, fs};

/// `json` without spaces, tabs and line breaks outside its strings (the same value). By hand,
/// not through serde_json: a round trip there would reorder keys and rewrite numbers.
fn minify(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in json.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if !matches!(c, ' ' | '\t' | '\n' | '\r') {
            in_string = c == '"';
            out.push(c);
        }
    }
    out
}

fn main() {
    println!("cargo:rerun-if-changed=examples");
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("examples");
    fs::create_dir_all(&out).expect("create OUT_DIR/examples");
    for entry in fs::read_dir("examples").expect("web/examples") {
        let path = entry.expect("an entry of web/examples").path();
        if path.extension().is_some_and(|e| e == "json") {
            let text = fs::read_to_string(&path).expect("an example's text");
            let name = path.file_name().expect("a file name");
            fs::write(out.join(name), minify(&text)).expect("write the minified example");
        }
    }
}
