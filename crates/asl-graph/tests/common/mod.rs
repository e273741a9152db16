//! Test support: the sample definitions in `tests/graph/samples/`, read with asl-core's parser.
#![allow(dead_code)]

use std::path::PathBuf;

use asl_graph::graph::Graph;

/// `tests/graph/` at the workspace root.
pub fn graph_dir() -> PathBuf {
    let crate_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let crate_dir = crate_dir.canonicalize().unwrap_or(crate_dir);
    crate_dir
        .join("../../tests/graph")
        .components()
        .collect::<PathBuf>()
        .canonicalize()
        .unwrap_or_else(|_| crate_dir.join("../../tests/graph"))
}

/// The `.json` files of `dir`: (file name, text).
fn json_files(dir: &std::path::Path) -> Vec<(String, String)> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            let file = p
                .file_name()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let text =
                std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (file, text)
        })
        .collect()
}

/// Sample definitions, sorted by file name: (stem, text).
pub fn samples() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = json_files(&graph_dir().join("samples"))
        .into_iter()
        .map(|(file, text)| (file.trim_end_matches(".json").to_string(), text))
        .collect();
    out.sort();
    out
}

/// Read a definition with asl-core's parser and map it with [`asl_graph::from_model`].
pub fn graph_from_model(text: &str) -> Graph {
    let root = asl_core::syntax::parse(text).expect("sample is JSON");
    let (machine, diags) = asl_core::parse::parse(&root);
    let machine = machine.unwrap_or_else(|| panic!("sample parses: {diags:?}"));
    asl_graph::from_model::graph(&machine)
}

/// The real-world definitions in `../shared/real-world/definitions` (beside the worktree), sorted
/// by file name: (short name, text). The short name drops the `aws-samples+` owner and the
/// extensions.
pub fn real_world() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> =
        json_files(&graph_dir().join("../../../shared/real-world/definitions"))
            .into_iter()
            .map(|(file, text)| {
                let short = file
                    .trim_start_matches("aws-samples+")
                    .trim_end_matches(".json")
                    .trim_end_matches(".asl")
                    .to_string();
                (short, text)
            })
            .collect();
    out.sort();
    out
}

/// The drawing of whatever `asl_core::load` keeps of a definition, errors or not.
pub fn graph_from_load(text: &str) -> Graph {
    let loaded = asl_core::load(text);
    let machine = loaded
        .machine
        .unwrap_or_else(|| panic!("a JSON object: {:?}", loaded.diagnostics));
    asl_graph::from_model::graph(&machine)
}
