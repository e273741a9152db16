//! Golden SVGs for the sample definitions in `tests/graph/samples/` and the broken ones in
//! `tests/graph/broken/`, compared byte for byte.
//!
//! `UPDATE_GOLDEN=1 cargo test -p asl-graph --test golden` rewrites them. When `rsvg-convert`
//! (Debian `librsvg2-bin`) is installed, every golden is also rendered to `tests/graph/png/` so a
//! person can look at it; the PNGs are not compared (rasterisers and fonts differ between
//! machines) and are only rewritten when they change.

// Harness code, not the library: it reads the sample files.
#![allow(clippy::disallowed_methods)]

mod common;

use std::path::Path;
use std::process::Command;

use asl_graph::{RenderOptions, Status, Theme};

fn check(name: &str, svg: &str, failures: &mut Vec<String>) {
    let dir = common::graph_dir().join("golden");
    let file = dir.join(format!("{name}.svg"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(&dir).expect("create golden dir");
        std::fs::write(&file, svg).expect("write golden");
    } else {
        match std::fs::read_to_string(&file) {
            Ok(want) if want == svg => {}
            Ok(_) => failures.push(format!(
                "{name}: differs from {} (UPDATE_GOLDEN=1 to accept)",
                file.display()
            )),
            Err(e) => failures.push(format!(
                "{name}: {}: {e} (UPDATE_GOLDEN=1 to create)",
                file.display()
            )),
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
    let tmp = png_dir.join(format!(".{name}.{}.png", std::process::id()));
    match Command::new("rsvg-convert")
        .arg("-o")
        .arg(&tmp)
        .arg(svg_file)
        .status()
    {
        // Replace the PNG only when it changed, so test runs do not churn the tree.
        Ok(s) if s.success() => {
            let new = std::fs::read(&tmp).unwrap_or_default();
            if std::fs::read(&out).ok().as_deref() != Some(&new[..]) {
                std::fs::rename(&tmp, &out).expect("move PNG into place");
                eprintln!("rendered {}", out.display());
            } else {
                let _ = std::fs::remove_file(&tmp);
            }
        }
        Ok(s) => panic!("rsvg-convert failed on {}: {s}", svg_file.display()),
        Err(_) => eprintln!("rsvg-convert not installed: no PNG for {name}"),
    }
}

#[test]
fn samples_match_golden_svgs() {
    let samples = common::samples();
    assert!(
        samples.len() >= 12,
        "need at least 12 samples, found {}",
        samples.len()
    );
    let mut failures = Vec::new();
    for (name, text) in &samples {
        let graph = common::graph_from_model(text);
        let svg = asl_graph::render_graph(&graph, &RenderOptions::default());
        assert!(!svg.contains("<script"), "{name}: user text is escaped");
        if name == "hostile-names" {
            assert!(
                svg.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"),
                "the name is shown as text"
            );
            assert!(
                svg.contains("&lt;/text&gt;&lt;script&gt;"),
                "the rule label is shown as text"
            );
        }
        check(name, &svg, &mut failures);
    }
    // One dark-theme golden keeps the second palette under test.
    let (_, text) = samples
        .iter()
        .find(|(n, _)| n == "video-pipeline")
        .expect("video-pipeline sample");
    let graph = common::graph_from_model(text);
    let dark = asl_graph::render_graph(
        &graph,
        &RenderOptions {
            theme: Theme::Dark,
            ..RenderOptions::default()
        },
    );
    check("video-pipeline.dark", &dark, &mut failures);
    // A snapshot of an execution: the overlay is classes only, the geometry is the plain diagram's.
    let status = vec![
        ("Validate".to_string(), Status::Succeeded),
        ("Process".to_string(), Status::Active),
        ("Process/0/Transcode".to_string(), Status::Succeeded),
        ("Process/1/Thumbnails".to_string(), Status::Retrying),
        ("Save Metadata".to_string(), Status::NotRun),
        ("Notify".to_string(), Status::NotRun),
    ];
    let snap = asl_graph::render_graph(
        &graph,
        &RenderOptions {
            status,
            ..RenderOptions::default()
        },
    );
    let plain = asl_graph::render_graph(&graph, &RenderOptions::default());
    let strip = |s: &str| {
        s.replace(" succeeded\"", "\"")
            .replace(" active\"", "\"")
            .replace(" retrying\"", "\"")
            .replace(" not-run\"", "\"")
    };
    assert_eq!(strip(&snap), plain, "status changes classes only");
    check("video-pipeline.status", &snap, &mut failures);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A definition with errors, drawn as `asl render` and the playground draw it: every state, the
/// broken ones marked, transitions to missing states dangling (`tests/graph/broken/`).
#[test]
fn broken_definitions_match_golden_svgs() {
    let dir = common::graph_dir().join("broken");
    let mut failures = Vec::new();
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("tests/graph/broken") {
        let path = entry.expect("dir entry").path();
        if path.extension().is_none_or(|x| x != "json") {
            continue;
        }
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = std::fs::read_to_string(&path).expect("read definition");
        let loaded = asl_core::load(&text);
        assert!(loaded.has_errors(), "{name}: meant to be broken");
        let svg = asl_graph::render_loaded(&loaded, &RenderOptions::default()).expect("drawn");
        assert!(svg.contains("has-error"), "{name}: marked");
        check(&name, &svg, &mut failures);
        seen += 1;
    }
    assert!(seen > 0, "no definitions in {}", dir.display());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn rendering_is_deterministic() {
    for (name, text) in common::samples() {
        let a =
            asl_graph::render_graph(&common::graph_from_model(&text), &RenderOptions::default());
        let b =
            asl_graph::render_graph(&common::graph_from_model(&text), &RenderOptions::default());
        assert_eq!(a, b, "{name}");
    }
}
