//! `asl render` run as a real binary: the SVG matches the golden file byte for byte, `-o` and
//! `--theme` work, a definition with errors is still drawn (exit 0, diagnostics on stderr as
//! `FILE:LINE:COL: error[CODE]: message`, broken states marked), and text with nothing to draw
//! exits 2 with located diagnostics and no SVG.

use std::path::PathBuf;
use std::process::Command;

mod common;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn asl() -> Command {
    Command::new(env!("CARGO_BIN_EXE_asl"))
}

#[test]
fn renders_the_golden_svg_on_stdout() {
    let sample = root().join("tests/graph/samples/video-pipeline.json");
    let out = asl().arg("render").arg(&sample).output().expect("run asl");
    common::assert_exit(&out, 0);
    let golden = std::fs::read_to_string(root().join("tests/graph/golden/video-pipeline.svg"))
        .expect("golden");
    assert_eq!(String::from_utf8_lossy(&out.stdout), golden);
}

#[test]
fn writes_the_dark_theme_to_a_file() {
    let sample = root().join("tests/graph/samples/video-pipeline.json");
    let file = std::env::temp_dir().join(format!("asl-render-test-{}.svg", std::process::id()));
    let out = asl()
        .arg("render")
        .arg(&sample)
        .arg("-o")
        .arg(&file)
        .args(["--theme", "dark"])
        .output()
        .expect("run asl");
    common::assert_exit(&out, 0);
    assert!(out.stdout.is_empty());
    let written = std::fs::read_to_string(&file).expect("output file");
    let _ = std::fs::remove_file(&file);
    let golden = std::fs::read_to_string(root().join("tests/graph/golden/video-pipeline.dark.svg"))
        .expect("golden");
    assert_eq!(written, golden);
}

#[test]
fn definitions_with_errors_are_drawn_with_diagnostics_on_stderr() {
    let file = std::env::temp_dir().join(format!("asl-render-broken-{}.json", std::process::id()));
    let text = "{\"StartAt\": \"A\", \"States\": {\n  \"A\": {\"Type\": \"Pass\", \"Next\": \"Nope\"},\n  \"B\": {\"Type\": \"Wait\", \"Seconds\": \"soon\", \"End\": true}}}";
    std::fs::write(&file, text).expect("write definition");
    let out = asl().arg("render").arg(&file).output().expect("run asl");
    let _ = std::fs::remove_file(&file);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let svg = String::from_utf8_lossy(&out.stdout);
    assert!(svg.starts_with("<svg "), "the SVG is written");
    for state in ["A", "B"] {
        assert!(
            svg.contains(&format!(r#"data-state="{state}""#)),
            "{state} drawn"
        );
    }
    assert!(svg.contains(r#"data-missing="Nope""#) && svg.contains("asl-edge-dangling"));
    assert!(svg.matches("has-error").count() >= 2, "both states marked");
    let located = |code: &str, line: u32| {
        err.lines().any(|l| {
            l.starts_with(&format!("{}:{line}:", file.display()))
                && l.contains(&format!(": error[{code}]: "))
        })
    };
    assert!(located("MISSING_TRANSITION_TARGET", 2), "{err}");
    assert!(err.lines().any(|l| l.contains("Seconds")), "{err}");
}

#[test]
fn nothing_to_draw_exits_2_with_located_diagnostics() {
    let dir = std::env::temp_dir();
    // (name, text, code, expected LINE:COL if pinned)
    let cases = [
        (
            "bad-json",
            "{\n  \"StartAt\": \"A\",\n  \"States\": [\n",
            "INVALID_JSON_DESCRIPTION",
            Some((4, 1)),
        ),
        ("not-an-object", "[1, 2]", "", None),
        ("no-states", "{\"StartAt\": \"A\"}", "", None),
    ];
    for (name, text, code, at) in cases {
        let file = dir.join(format!("asl-render-{name}-{}.json", std::process::id()));
        std::fs::write(&file, text).expect("write definition");
        let out = asl().arg("render").arg(&file).output().expect("run asl");
        let _ = std::fs::remove_file(&file);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert!(
            out.stdout.is_empty(),
            "{name}: no SVG when there is nothing to draw"
        );
        assert!(!err.trim().is_empty(), "{name}: says why");
        if code.is_empty() {
            continue;
        }
        let line = err
            .lines()
            .find(|l| l.contains(code))
            .unwrap_or_else(|| panic!("{name}: no {code} in {err}"));
        let rest = line
            .strip_prefix(&format!("{}:", file.display()))
            .unwrap_or_else(|| panic!("{name}: {line}"));
        let (pos, msg) = rest
            .split_once(": error[")
            .unwrap_or_else(|| panic!("{name}: {line}"));
        let (l, c) = pos
            .split_once(':')
            .unwrap_or_else(|| panic!("{name}: {line}"));
        let (l, c): (u32, u32) = (l.parse().expect("line"), c.parse().expect("column"));
        assert!(l >= 1 && c >= 1, "{name}: {line}");
        if let Some(want) = at {
            assert_eq!((l, c), want, "{name}: {line}");
        }
        assert!(
            msg.starts_with(&format!("{code}]: ")) && msg.len() > code.len() + 4,
            "{name}: {line}"
        );
    }
}
