//! JSONPath expressions as Step Functions reads them (`$`, `$$`, `$variable`; names, quoted
//! names, indexes, slices, unions, wildcards, `..`, filters) and intrinsic function calls
//! (`States.*` with literal, path and nested-call arguments).
//!
//! Not owned here: checking them (see [`crate::targets`]).

use crate::choices::Gen;
use crate::json::KEYS;

const ROOTS: &[&str] = &["$", "$", "$", "$", "$", "$", "$$", "$$", "$v", "$undefined"];
const CONTEXT: &[&str] = &[
    ".Execution.Input",
    ".Execution.Name",
    ".State.Name",
    ".State.EnteredTime",
    ".Map.Item.Value",
    ".Map.Item.Index",
    ".Task.Token",
    ".StateMachine.Id",
];
const FILTERS: &[&str] = &[
    "[?(@.a > 1)]",
    "[?(@.s == 'x')]",
    "[?(@.n)]",
    "[?(@.a < 2 && @.b)]",
    "[?(@.name == Success)]",
    "[?(@ == 1)]",
    "[?(@.a in [1, 2])]",
    "[?(@.x =~ /a.*/)]",
];

/// A reference path most of the time (`$`, `.name`, `['name']`, `[n]`: what `ResultPath`,
/// `ItemsPath` and Choice's `Variable` accept), else any [`path`].
pub fn field(g: &mut Gen) -> String {
    if g.chance(25) {
        return path(g);
    }
    let mut out = String::from("$");
    for _ in 0..g.below(4) {
        match g.below(4) {
            0 | 1 => {
                out.push('.');
                out.push_str(g.pick(&["a", "b", "items", "n", "name", "s", "x"]));
            }
            2 => out.push_str(g.pick(&["['a']", "['a b']", "['é']"])),
            _ => out.push_str(g.pick(&["[0]", "[1]", "[2]"])),
        }
    }
    out
}

/// A JSONPath, mostly well formed.
pub fn path(g: &mut Gen) -> String {
    let root = g.pick(ROOTS);
    let mut out = root.to_string();
    if root == "$$" && g.chance(70) {
        out.push_str(g.pick(CONTEXT));
    }
    for _ in 0..g.below(5) {
        let steps = if g.chance(5) { 10 } else { 9 };
        match g.below(steps) {
            0..=2 => {
                out.push('.');
                out.push_str(g.pick(KEYS));
            }
            3 => {
                out.push_str("['");
                out.push_str(g.pick(KEYS));
                out.push_str("']");
            }
            4 => {
                let i = g.pick(&["0", "1", "2", "-1", "99", "2147483648"]);
                out.push_str(&format!("[{i}]"));
            }
            5 => out.push_str(g.pick(&["[*]", ".*", "..a", "..*", "[0,1]", "['a','b']"])),
            6 => out.push_str(g.pick(&["[1:]", "[:2]", "[-1:]", "[0:3:2]", "[::-1]"])),
            7 => out.push_str(g.pick(FILTERS)),
            8 => out.push_str(g.pick(&[".length()", ".min()", ".sum()"])),
            _ => out.push_str(g.pick(&[" ", "[", "]", ".", "'", "..", "[?(", "\\", "é"])),
        }
    }
    out
}

const FUNCS: &[(&str, usize)] = &[
    ("States.Format", 3),
    ("States.StringToJson", 1),
    ("States.JsonToString", 1),
    ("States.Array", 3),
    ("States.ArrayPartition", 2),
    ("States.ArrayContains", 2),
    ("States.ArrayRange", 3),
    ("States.ArrayGetItem", 2),
    ("States.ArrayLength", 1),
    ("States.ArrayUnique", 1),
    ("States.Base64Encode", 1),
    ("States.Base64Decode", 1),
    ("States.Hash", 2),
    ("States.JsonMerge", 3),
    ("States.MathRandom", 3),
    ("States.MathAdd", 2),
    ("States.StringSplit", 2),
    ("States.UUID", 0),
    ("States.Unknown", 1),
];
const ARGS: &[&str] = &[
    "'a'",
    "'{}'",
    "'{} and {}'",
    "'\\''",
    "'\\{\\}'",
    "'a,b'",
    "','",
    "'SHA-256'",
    "'MD5'",
    "'eyJhIjoxfQ=='",
    "'{\"a\": [1, 2]}'",
    "1",
    "0",
    "-1",
    "2.5",
    "1e400",
    "100000000",
    "true",
    "false",
    "null",
];

/// An intrinsic function call, nested at most `depth` deep.
pub fn intrinsic(g: &mut Gen, depth: u32) -> String {
    let (name, arity) = g.pick(FUNCS);
    let n = if g.chance(80) { arity } else { g.below(5) };
    let args: Vec<String> = (0..n)
        .map(|_| match g.below(if depth == 0 { 2 } else { 3 }) {
            0 => g.pick(ARGS).to_string(),
            1 => path(g),
            _ => intrinsic(g, depth - 1),
        })
        .collect();
    let mut out = format!("{name}({})", args.join(", "));
    if g.chance(5) {
        out.push_str(g.pick(&[")", "(", "'", ",", " x"]));
    }
    out
}
