//! Golden SVGs for the sample definitions in `tests/graph/samples/`, compared byte for byte.
//!
//! `UPDATE_GOLDEN=1 cargo test -p asl-graph --test golden` rewrites them. When `rsvg-convert`
//! (Debian `librsvg2-bin`) is installed, every golden is also rendered to `tests/graph/png/` so a
//! person can look at it; the PNGs are not compared (rasterisers differ between machines).

mod common;

use std::path::Path;
use std::process::Command;

use asl_graph::{RenderOptions, Theme};

fn check(name: &str, svg: &str, failures: &mut Vec<String>) {
    let dir = common::graph_dir().join("golden");
    let file = dir.join(format!("{name}.svg"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(&dir).expect("create golden dir");
        std::fs::write(&file, svg).expect("write golden");
    } else {
        match std::fs::read_to_string(&file) {
            Ok(want) if want == svg => {}
            Ok(_) => failures.push(format!("{name}: differs from {} (UPDATE_GOLDEN=1 to accept)", file.display())),
            Err(e) => failures.push(format!("{name}: {}: {e} (UPDATE_GOLDEN=1 to create)", file.display())),
        }
    }
    render_png(&file, name);
}

fn render_png(svg_file: &Path, name: &str) {
    let png_dir = common::graph_dir().join("png");
    if std::fs::create_dir_all(&png_dir).is_err() || !svg_file.exists() {
        return;
    }
    let out = png_dir.join(format!("{name}.png"));
    match Command::new("rsvg-convert").arg("-o").arg(&out).arg(svg_file).status() {
        Ok(s) if s.success() => eprintln!("rendered {}", out.display()),
        Ok(s) => panic!("rsvg-convert failed on {}: {s}", svg_file.display()),
        Err(_) => eprintln!("rsvg-convert not installed: no PNG for {name}"),
    }
}

#[test]
fn samples_match_golden_svgs() {
    let samples = common::samples();
    assert!(samples.len() >= 12, "need at least 12 samples, found {}", samples.len());
    let mut failures = Vec::new();
    for (name, text) in &samples {
        let graph = common::graph_from_model(text);
        let svg = asl_graph::render_graph(&graph, &RenderOptions::default());
        check(name, &svg, &mut failures);
    }
    // One dark-theme golden keeps the second palette under test.
    let (_, text) = samples.iter().find(|(n, _)| n == "video-pipeline").expect("video-pipeline sample");
    let graph = common::graph_from_model(text);
    let dark = asl_graph::render_graph(&graph, &RenderOptions { theme: Theme::Dark, ..RenderOptions::default() });
    check("video-pipeline.dark", &dark, &mut failures);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn rendering_is_deterministic() {
    for (name, text) in common::samples() {
        let a = asl_graph::render_graph(&common::graph_from_model(&text), &RenderOptions::default());
        let b = asl_graph::render_graph(&common::graph_from_model(&text), &RenderOptions::default());
        assert_eq!(a, b, "{name}");
    }
}
