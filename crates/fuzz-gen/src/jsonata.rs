//! JSONata expressions: paths, operators, literals, lambdas, recursion through a bound
//! function (the way runaway programs are written), calls from a table of built-ins with their
//! arities, conditionals, blocks, transforms, regular expressions (groups, classes, quantifiers,
//! lookarounds, backreferences) run on long strings of a few letters — where one that can
//! backtrack catastrophically and is not refused would hang the target —, and now and then a
//! stray token so the parser's error paths are reached too.
//!
//! Not owned here: compiling and evaluating them (see [`crate::targets`]).

use crate::choices::Gen;

const NAMES: &[&str] = &[
    "a",
    "b",
    "items",
    "name",
    "price",
    "tags",
    "x",
    "`odd name`",
    "*",
    "**",
    "%",
    "$",
];
const VARS: &[&str] = &["$v", "$f", "$g", "$i", "$states", "$$", "$"];
const LITERALS: &[&str] = &[
    "0",
    "1",
    "-1",
    "2.5",
    "1e308",
    "-0",
    "9007199254740993",
    "\"\"",
    "\"ab\"",
    "\"é𝄞\"",
    "true",
    "false",
    "null",
    "[]",
    "{}",
    "[1,2,3]",
    "/a.b/i",
    "/(x)+/",
    "1..3",
];
const BINARY: &[&str] = &[
    "+", "-", "*", "/", "%", "&", "=", "!=", "<", "<=", ">", ">=", "and", "or", "in", "..", "~>",
    ".", "@", "#",
];
const FUNCTIONS: &[(&str, usize)] = &[
    ("$sum", 1),
    ("$count", 1),
    ("$max", 1),
    ("$min", 1),
    ("$average", 1),
    ("$string", 1),
    ("$number", 1),
    ("$boolean", 1),
    ("$not", 1),
    ("$length", 1),
    ("$substring", 3),
    ("$substringBefore", 2),
    ("$substringAfter", 2),
    ("$uppercase", 1),
    ("$lowercase", 1),
    ("$trim", 1),
    ("$pad", 3),
    ("$contains", 2),
    ("$split", 3),
    ("$join", 2),
    ("$match", 3),
    ("$replace", 4),
    ("$formatNumber", 2),
    ("$formatBase", 2),
    ("$formatInteger", 2),
    ("$parseInteger", 2),
    ("$abs", 1),
    ("$floor", 1),
    ("$ceil", 1),
    ("$round", 2),
    ("$power", 2),
    ("$sqrt", 1),
    ("$keys", 1),
    ("$lookup", 2),
    ("$spread", 1),
    ("$merge", 1),
    ("$each", 2),
    ("$sift", 2),
    ("$map", 2),
    ("$filter", 2),
    ("$reduce", 3),
    ("$single", 2),
    ("$zip", 2),
    ("$append", 2),
    ("$reverse", 1),
    ("$sort", 2),
    ("$shuffle", 1),
    ("$distinct", 1),
    ("$exists", 1),
    ("$type", 1),
    ("$error", 1),
    ("$assert", 2),
    ("$toMillis", 2),
    ("$fromMillis", 3),
    ("$now", 0),
    ("$millis", 0),
    ("$base64encode", 1),
    ("$base64decode", 1),
    ("$encodeUrl", 1),
    ("$decodeUrlComponent", 1),
    ("$eval", 1),
    ("$partition", 2),
    ("$range", 3),
    ("$hash", 2),
    ("$random", 1),
    ("$uuid", 0),
    ("$parse", 1),
];

/// Writes one expression, choosing productions with the bytes of a [`Gen`].
struct Writer<'g, 'a> {
    g: &'g mut Gen<'a>,
    out: String,
}

/// A JSONata expression at most `depth` productions deep.
pub fn expr(g: &mut Gen, depth: u32) -> String {
    let mut w = Writer {
        g,
        out: String::new(),
    };
    w.expr(depth);
    w.out
}

impl Writer<'_, '_> {
    fn byte(&mut self) -> u8 {
        self.g.range(0, 255) as u8
    }

    fn pick(&mut self, table: &[&'static str]) -> &'static str {
        self.g.pick(table)
    }

    /// Appends one entry of `table`.
    fn put(&mut self, table: &[&'static str]) {
        let s = self.pick(table);
        self.out.push_str(s);
    }

    fn expr(&mut self, depth: u32) {
        let choice = if depth == 0 || self.g.is_empty() {
            self.byte() % 3
        } else {
            self.byte() % 17
        };
        match choice {
            0 => self.put(LITERALS),
            1 => self.put(NAMES),
            2 => self.put(VARS),
            3 | 4 => {
                self.expr(depth - 1);
                self.out.push(' ');
                self.put(BINARY);
                self.out.push(' ');
                self.expr(depth - 1);
            }
            5 => {
                let (name, arity) = FUNCTIONS[self.byte() as usize % FUNCTIONS.len()];
                self.out.push_str(name);
                self.out.push('(');
                let n = arity.min(usize::from(self.byte() % 4));
                for i in 0..n {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    self.expr(depth - 1);
                }
                self.out.push(')');
            }
            6 => {
                self.expr(depth - 1);
                self.out.push('[');
                self.expr(depth - 1);
                self.out.push(']');
            }
            7 => {
                self.expr(depth - 1);
                self.out.push_str(" ? ");
                self.expr(depth - 1);
                self.out.push_str(" : ");
                self.expr(depth - 1);
            }
            8 => {
                self.out.push('(');
                self.put(&["$v", "$f", "$g"]);
                self.out.push_str(" := ");
                self.expr(depth - 1);
                self.out.push_str("; ");
                self.expr(depth - 1);
                self.out.push(')');
            }
            9 => {
                self.out.push_str("function($x, $y){ ");
                self.expr(depth - 1);
                self.out.push_str(" }");
            }
            10 => {
                // Recursion through a bound function, the way runaway programs are written.
                self.out.push_str("($f := function($n){ $n <= 0 ? 0 : ");
                self.expr(depth - 1);
                self.out.push_str(" + $f($n - 1) }; $f(");
                self.expr(depth - 1);
                self.out.push_str("))");
            }
            11 => {
                self.out.push('{');
                self.expr(depth - 1);
                self.out.push_str(": ");
                self.expr(depth - 1);
                self.out.push('}');
            }
            12 => {
                self.out.push('[');
                self.expr(depth - 1);
                self.out.push_str(", ");
                self.expr(depth - 1);
                self.out.push(']');
            }
            13 => {
                self.expr(depth - 1);
                self.put(&["^(", "^(>", "{"]);
                self.expr(depth - 1);
                self.put(&[")", ": ", "}"]);
            }
            14 => {
                self.out.push_str("| ");
                self.expr(depth - 1);
                self.out.push_str(" | {'k': ");
                self.expr(depth - 1);
                self.out.push_str("} |");
            }
            15 => {
                // A regex on a long string it likely fails on: `aaaa…!`.
                let f = self.pick(&["$match", "$contains", "$replace", "$split"]);
                self.out.push_str(f);
                self.out.push_str("(\"");
                let fill = self.pick(&["a", "ab", "a ", "0", "A", "x.", "é"]);
                for _ in 0..self.g.below(40) {
                    self.out.push_str(fill);
                }
                self.put(&["!", "", "b", " "]);
                self.out.push_str("\", /");
                self.regex(3);
                self.out.push('/');
                self.put(&["", "i", "m"]);
                if f == "$replace" {
                    self.out.push_str(", \"-\"");
                }
                self.out.push(')');
            }
            _ => {
                self.put(&["-", "(", "[", "\"", "$", "?", ";", ")"]);
                self.expr(depth - 1);
            }
        }
    }

    /// A regex pattern (no `/`): alternatives of quantified atoms.
    fn regex(&mut self, depth: u32) {
        let alternatives = 1 + self.g.below(3);
        for i in 0..alternatives {
            if i > 0 {
                self.out.push('|');
            }
            for _ in 0..1 + self.g.below(3) {
                if depth > 0 && self.g.chance(30) {
                    self.put(&["(", "(?:", "(?=", "(?!", "(?<=", "(?<!", "(?<n>"]);
                    self.regex(depth - 1);
                    self.out.push(')');
                } else {
                    self.put(REGEX_ATOMS);
                }
                if self.g.chance(50) {
                    self.put(QUANTIFIERS);
                }
            }
        }
    }
}

const REGEX_ATOMS: &[&str] = &[
    "a", "b", "A", "é", ".", "\\w", "\\W", "\\s", "\\S", "\\d", "[a-c]", "[^b]", "[\\w.]", "[]",
    "[^]", "^", "$", "\\b", "\\B", "\\1", "\\k<n>", "\\u0061", "\\x61", "\\.", "{", "}", "]",
    "a{2}", "\\0",
];
const QUANTIFIERS: &[&str] = &["*", "+", "?", "{2}", "{1,3}", "{2,}", "*?", "+?", "{0,40}"];
