//! How badly a regular expression can make a backtracking matcher backtrack: exponentially, or
//! polynomially of which degree. The static analysis behind the guard in `super` (see there for
//! why a guard and not another engine).
//!
//! A backtracking matcher that fails explores every way the pattern can match each prefix of the
//! subject. Those ways grow exponentially with the subject's length exactly when the pattern's
//! automaton has *exponential degree of ambiguity*: some state `q` with two different paths from
//! `q` back to `q` reading the same word (Weber and Seidl's criterion) — `(a+)+`, `(a|a)*`,
//! `(a*)*`, `(\w+\s?)+`. Patterns whose repeated parts cannot overlap — `([a-z]+\.)*[a-z]+`, the
//! separators telling the iterations apart — have no such state.
//!
//! Without it they grow polynomially, and the degree is what matters: repeats in a row that can
//! read the same text (`a*a*b`, `.*,.*x`, `\s*(.*)\s*$`) let a failing search try every way of
//! sharing the text out among them, `n^k` ways for `k` of them on `n` characters. That degree
//! is Weber and Seidl's *degree of infinite ambiguity* (chains of pairs of states whose loops
//! read one word and that word also leads from the first to the second; [`degree`]) plus one
//! for the loop that reads the rest: 0 for a pattern without unbounded repeats, 1 for the
//! ordinary ones (`\d+-\d+`, `[a-z]+@[a-z]+\.com`: linear from each start, quadratic over all
//! start positions, as any regex can be), 2 for `a*a*b`, 3 for `[^]{2,}[^]{2,}[^]{2,}x`. Only
//! the paths a search can fail on count: once it reaches a state after which the pattern can
//! end with nothing left to check, the match is found, so a trailing `.*` or `(\w+)` adds
//! nothing (`(.+)@(.+)` has degree 1, `(.+)@(.+)$` 2).
//!
//! The automaton is Glushkov's (a state per character position of the pattern), kept as a
//! multigraph: an edge remembers the construct that made it (a concatenation, a loop) and how many
//! empty ways lead through it, because `(a*)*` (the inner and the outer loop both lead from `a` to
//! `a`) and `((a||)b)*` (two empty branches) are ambiguous although their plain Glushkov automaton
//! is not. The exponential criterion is checked on the product automaton: a strongly connected
//! component holding a pair `(q, q)` and also a pair of different states, or two different
//! edges, means two paths that leave `q` and come back on the same word. The degree is then
//! found on the triple product (for each candidate pair `p ≠ q`, whether `(p, p, q)` reaches
//! `(p, q, q)`), searched only where the pair product allows; edges' multiplicity plays no part
//! there (two paths that differ in edges alone are exponential ambiguity, found before).
//!
//! Everything is over-approximated, never under: a character class is a superset of what it
//! matches (case-insensitivity, `\s` and the like widened rather than tabulated), assertions and
//! lookarounds read nothing (a lookaround's own body is analysed as a pattern of its own, and
//! its degree added to the pattern's where it can run more than once per start), a
//! backreference reads any string and can fail at its end, a counted repeat (`{2,40}`) is a
//! loop (though not a level of the degree: it takes so many turns at most). The triple product
//! is cubic in the positions: beyond [`MAX_TRIPLE_POSITIONS`] positions, or once
//! [`MAX_TRIPLE_STEPS`] steps are spent on it, every pair the pair product leaves possible
//! counts as a level (a degree at least the true one). So a pattern said to be unambiguous is;
//! one said to be ambiguous is, or is close; a degree is the true one or more.
//!
//! Not looked for: finite ambiguity spelt out in the pattern itself (`a?a?a?…aaa…`, `n` optional
//! characters give up to `2^n` paths with no loop at all) — bounded by the pattern's length,
//! not the string's.

/// What the analysis says about a pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ambiguity {
    /// No state can be left and reached again in two ways on the same text: a search from one
    /// start explores on the order of `n^degree` paths on `n` characters (see [`degree`]).
    /// Degree 0: no unbounded repeat that can fail; 1: repeats that cannot share text (`a*b`,
    /// `\d+-\d+`), linear per start; 2 and more: `degree` repeats in a row that can share text
    /// (`a*a*b` is 2, `.*,.*,.*x` is 3). `anchored`: the pattern begins with `^` in every
    /// alternative and holds no lookaround, so (without the `m` flag) only one start position
    /// gets past it, and nothing that comes after a certain match has the full degree: one
    /// factor `n` less for the whole search.
    Polynomial { degree: u32, anchored: bool },
    /// Some repeated part can match the same text in two ways: exponential backtracking. The
    /// number is a bound on the base of the exponential: the most edges leaving one state that
    /// can read the same character, so a failing match follows at most `branching^n` paths on
    /// `n` characters.
    Exponential { branching: u32 },
    /// Too large to analyse (more than [`MAX_POSITIONS`] positions or [`MAX_EDGES`] edges), or
    /// written in a syntax this reader does not know: to be treated as exponential.
    Unknown,
    /// A repeat that can iterate more than once holding a repeat whose body can match the empty
    /// string (`((a*)*)*b`, `((a*){2}a)*b`, `(x(a*)?)*b`, `((a|){2}a)*b`, `(\b{1,3}){1,3}`):
    /// `regress` 0.12's backtracker can loop without end on those when the match has to
    /// backtrack into them, allocating until memory runs out, on strings of one to five
    /// characters, or explore the ways to match nothing for minutes (found by the `jsonata` and
    /// `exec` fuzz targets; JavaScript engines run them). Not run on any string, the empty one
    /// too (`(((\B\B|a*){1,3}){1,3})aa|a` looped without end on "").
    NestedEmptyLoops,
}

// Compiling costs at most a few tens of ms natively: `cargo run --release -p asl-core --example
// regex_analysis` (2026-12-06, a 2-core machine at load ~7.5) took 13–17 ms for a loop of 31
// overlapping alternatives (961 edges, ~1 M product edges; ~35 ms when first measured), 8–32
// ms for 127 `\w+` in a row (every pair a level: 2.0 M of the triple search's 2.1 M steps),
// 2.7 ms for 42 `[ab]*[ac][bc]*` in a row, 1.9 ms for 500 plain characters; the usual ones µs.

/// Beyond this many character positions the product automaton (their square) is not built.
const MAX_POSITIONS: usize = 512;
/// Beyond this many edges the product's edges (their square) are not walked.
const MAX_EDGES: usize = 1024;
const MAX_CHAR: u32 = 0x10FFFF;

/// Analyses `pattern` (JavaScript syntax, no `u` flag, as JSONata compiles it); `ignore_case`
/// for the `i` flag.
pub(crate) fn analyse(pattern: &str, ignore_case: bool) -> Ambiguity {
    let chars: Vec<char> = pattern.chars().collect();
    let mut parser = Parser {
        s: &chars,
        i: 0,
        ignore_case,
        depth: 0,
    };
    let Some(node) = parser.disjunction() else {
        return Ambiguity::Unknown;
    };
    if parser.i != chars.len() {
        return Ambiguity::Unknown;
    }
    if nested_empty_loops(&node) {
        return Ambiguity::NestedEmptyLoops;
    }
    // The main pattern with lookarounds reading nothing, then each lookaround's body alone.
    match with_lookarounds(&node, true) {
        Ambiguity::Polynomial {
            degree,
            anchored: helps,
        } => {
            let mut looks = Vec::new();
            collect_lookarounds(&node, true, &mut looks);
            Ambiguity::Polynomial {
                degree,
                // Lookaround bodies run wherever they stand, once per start or not: one start
                // only is not claimed for them.
                anchored: helps && looks.is_empty() && anchored(&node),
            }
        }
        verdict => verdict,
    }
}

/// The ambiguity of `node` with the lookarounds it holds, each body analysed as a pattern of its
/// own. A lookaround's body runs wherever a path reaches it: once per start position for one
/// at the pattern's start (`(?=.*\d).{8,}`), so the cost is the larger of the two, but once per
/// path elsewhere (`a*(?=a*b)`), so there the degrees add up. `main`: `node` is the whole
/// pattern, whose search ends at its first match (see [`degree`]); a lookaround's body runs
/// to its first match again at every place it is tried, so all its paths count.
fn with_lookarounds(node: &Node, main: bool) -> Ambiguity {
    let mut looks = Vec::new();
    collect_lookarounds(node, true, &mut looks);
    let own = automaton_ambiguity(node, main);
    let mut verdict = own;
    for (body, at_start) in looks {
        let inner = with_lookarounds(body, false);
        let cost = match (own, inner) {
            (Ambiguity::Polynomial { degree: d, .. }, Ambiguity::Polynomial { degree: e, .. })
                if !at_start =>
            {
                Ambiguity::Polynomial {
                    degree: d.saturating_add(e),
                    anchored: false,
                }
            }
            _ => inner,
        };
        verdict = worse(verdict, cost);
    }
    verdict
}

fn worse(a: Ambiguity, b: Ambiguity) -> Ambiguity {
    use Ambiguity::*;
    match (a, b) {
        (NestedEmptyLoops, _) | (_, NestedEmptyLoops) => NestedEmptyLoops,
        (Unknown, _) | (_, Unknown) => Unknown,
        (Exponential { branching: x }, Exponential { branching: y }) => Exponential {
            branching: x.max(y),
        },
        (e @ Exponential { .. }, Polynomial { .. })
        | (Polynomial { .. }, e @ Exponential { .. }) => e,
        (
            Polynomial {
                degree: x,
                anchored,
            },
            Polynomial { degree: y, .. },
        ) => Polynomial {
            degree: x.max(y),
            anchored,
        },
    }
}

/// A character set: sorted, disjoint, non-adjacent inclusive ranges of code points.
#[derive(Clone, Debug, PartialEq)]
struct Set(Vec<(u32, u32)>);

impl Set {
    fn of(ranges: impl IntoIterator<Item = (u32, u32)>) -> Set {
        let mut v: Vec<(u32, u32)> = ranges.into_iter().filter(|(a, b)| a <= b).collect();
        crate::sort::sort(&mut v);
        let mut out: Vec<(u32, u32)> = Vec::with_capacity(v.len());
        for (a, b) in v {
            match out.last_mut() {
                Some(last) if a <= last.1.saturating_add(1) => last.1 = last.1.max(b),
                _ => out.push((a, b)),
            }
        }
        Set(out)
    }

    fn char(c: u32) -> Set {
        Set(vec![(c, c)])
    }

    fn any() -> Set {
        Set(vec![(0, MAX_CHAR)])
    }

    fn union(&self, other: &Set) -> Set {
        Set::of(self.0.iter().chain(other.0.iter()).copied())
    }

    fn complement(&self) -> Set {
        let mut out = Vec::new();
        let mut next = 0u32;
        for &(a, b) in &self.0 {
            if a > next {
                out.push((next, a - 1));
            }
            next = b.saturating_add(1);
        }
        if next <= MAX_CHAR {
            out.push((next, MAX_CHAR));
        }
        Set(out)
    }

    fn intersects(&self, other: &Set) -> bool {
        let (mut i, mut j) = (0, 0);
        while i < self.0.len() && j < other.0.len() {
            let (a, b) = self.0[i];
            let (c, d) = other.0[j];
            if a <= d && c <= b {
                return true;
            }
            if b < d {
                i += 1;
            } else {
                j += 1;
            }
        }
        false
    }

    fn intersection(&self, other: &Set) -> Set {
        let mut out = Vec::new();
        let (mut i, mut j) = (0, 0);
        while i < self.0.len() && j < other.0.len() {
            let (a, b) = self.0[i];
            let (c, d) = other.0[j];
            if a.max(c) <= b.min(d) {
                out.push((a.max(c), b.min(d)));
            }
            if b < d {
                i += 1;
            } else {
                j += 1;
            }
        }
        Set(out)
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Widened for the `i` flag: ASCII letters take their other case, and a set with anything
    /// beyond ASCII takes all of it (non-ASCII case folding is not tabulated here; without the
    /// `u` flag JavaScript never folds a non-ASCII character to an ASCII one).
    fn case_insensitive(self) -> Set {
        let mut extra = Vec::new();
        for &(a, b) in &self.0 {
            for (lo, hi, shift) in [(0x41u32, 0x5Au32, 0x20i64), (0x61, 0x7A, -0x20)] {
                let (x, y) = (a.max(lo), b.min(hi));
                if x <= y {
                    extra.push(((x as i64 + shift) as u32, (y as i64 + shift) as u32));
                }
            }
            if b >= 0x80 {
                extra.push((0x80, MAX_CHAR));
            }
        }
        let widened = Set::of(extra);
        self.union(&widened)
    }
}

fn digits() -> Set {
    Set::of([(0x30, 0x39)])
}

fn word() -> Set {
    Set::of([(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)])
}

/// `\s` widened: the ASCII white space and everything beyond ASCII.
fn space() -> Set {
    Set::of([(0x09, 0x0D), (0x20, 0x20), (0x80, MAX_CHAR)])
}

/// `\S`: everything but ASCII white space (a superset of the exact complement of `\s`).
fn non_space() -> Set {
    Set::of([(0x09, 0x0D), (0x20, 0x20)]).complement()
}

#[derive(Debug)]
enum Node {
    /// Reads nothing: the empty pattern, an assertion (`$`, `\b`).
    Empty,
    /// `^`: reads nothing, and (without the `m` flag) holds only at the subject's start.
    Start,
    /// Reads one character of the set.
    Char(Set),
    Seq(Vec<Node>),
    Alt(Vec<Node>),
    Repeat(Box<Node>, u32, Option<u32>),
    /// A lookaround: reads nothing where it stands; its body is analysed on its own.
    Look(Box<Node>),
}

struct Parser<'p> {
    s: &'p [char],
    i: usize,
    ignore_case: bool,
    /// Groups open around the current position: parsing (and building) recurse per group.
    depth: usize,
}

/// Groups nested deeper than this are not analysed (the pattern is [`Ambiguity::Unknown`]).
const MAX_DEPTH: usize = 100;

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.s.get(self.i).copied()
    }

    fn peek_at(&self, k: usize) -> Option<char> {
        self.s.get(self.i + k).copied()
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn set(&self, s: Set) -> Node {
        Node::Char(if self.ignore_case {
            s.case_insensitive()
        } else {
            s
        })
    }

    fn disjunction(&mut self) -> Option<Node> {
        let mut alts = vec![self.alternative()?];
        while self.eat('|') {
            alts.push(self.alternative()?);
        }
        Some(if alts.len() == 1 {
            alts.pop().unwrap_or(Node::Empty)
        } else {
            Node::Alt(alts)
        })
    }

    fn alternative(&mut self) -> Option<Node> {
        let mut seq = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let atom = self.atom()?;
            let atom = self.quantified(atom)?;
            seq.push(atom);
        }
        Some(Node::Seq(seq))
    }

    fn quantified(&mut self, atom: Node) -> Option<Node> {
        let (min, max) = match self.peek() {
            Some('*') => {
                self.i += 1;
                (0, None)
            }
            Some('+') => {
                self.i += 1;
                (1, None)
            }
            Some('?') => {
                self.i += 1;
                (0, Some(1))
            }
            Some('{') => match self.braces() {
                Some(q) => q,
                None => return Some(atom),
            },
            _ => return Some(atom),
        };
        self.eat('?'); // lazy: the same paths in another order
        Some(Node::Repeat(Box::new(atom), min, max))
    }

    /// `{n}`, `{n,}`, `{n,m}` after an atom; anything else leaves `{` a literal (Annex B).
    fn braces(&mut self) -> Option<(u32, Option<u32>)> {
        let start = self.i;
        self.i += 1;
        let min = self.number();
        let q = match (min, self.peek()) {
            (Some(n), Some('}')) => Some((n, Some(n))),
            (Some(n), Some(',')) => {
                self.i += 1;
                match self.number() {
                    Some(m) if self.peek() == Some('}') => Some((n, Some(m))),
                    None if self.peek() == Some('}') => Some((n, None)),
                    _ => None,
                }
            }
            _ => None,
        };
        match q {
            Some(q) => {
                self.i += 1; // '}'
                Some(q)
            }
            None => {
                self.i = start;
                None
            }
        }
    }

    fn number(&mut self) -> Option<u32> {
        let start = self.i;
        let mut n: u32 = 0;
        while let Some(d) = self.peek().and_then(|c| c.to_digit(10)) {
            n = n.saturating_mul(10).saturating_add(d);
            self.i += 1;
        }
        (self.i > start).then_some(n)
    }

    fn atom(&mut self) -> Option<Node> {
        let c = self.peek()?;
        self.i += 1;
        Some(match c {
            '^' => Node::Start,
            '$' => Node::Empty,
            '.' => Node::Char(Set::any()),
            '[' => {
                let set = self.class()?;
                self.set(set)
            }
            '(' => self.group()?,
            '\\' => self.escape()?,
            '*' | '+' | '?' => return None,
            '{' if self.braces_follow() => return None,
            c => self.set(Set::char(c as u32)),
        })
    }

    /// A `{` that would be a quantifier with nothing to repeat: a syntax error.
    fn braces_follow(&mut self) -> bool {
        self.i -= 1;
        let q = self.braces();
        if q.is_none() {
            self.i += 1;
        }
        q.is_some()
    }

    fn group(&mut self) -> Option<Node> {
        let mut look = false;
        if self.eat('?') {
            match self.peek()? {
                ':' => self.i += 1,
                '=' | '!' => {
                    self.i += 1;
                    look = true;
                }
                '<' if matches!(self.peek_at(1), Some('=' | '!')) => {
                    self.i += 2;
                    look = true;
                }
                '<' => {
                    // A named group: `(?<name>…)`.
                    while self.peek()? != '>' {
                        self.i += 1;
                    }
                    self.i += 1;
                }
                _ => {
                    // Modifiers `(?i:…)`, `(?-i:…)`: a body maybe case-insensitive.
                    while matches!(self.peek()?, 'i' | 'm' | 's' | '-') {
                        if self.peek() == Some('i') {
                            self.ignore_case = true;
                        }
                        self.i += 1;
                    }
                    if !self.eat(':') {
                        return None;
                    }
                }
            }
        }
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        let body = self.disjunction()?;
        self.depth -= 1;
        if !self.eat(')') {
            return None;
        }
        Some(if look {
            Node::Look(Box::new(body))
        } else {
            body
        })
    }

    /// After `\` outside a class.
    fn escape(&mut self) -> Option<Node> {
        let c = self.peek()?;
        Some(match c {
            'b' | 'B' => {
                self.i += 1;
                Node::Empty
            }
            '1'..='9' => {
                self.number();
                backreference()
            }
            'k' if self.peek_at(1) == Some('<') => {
                while self.peek()? != '>' {
                    self.i += 1;
                }
                self.i += 1;
                backreference()
            }
            _ => {
                let set = self.class_escape()?;
                self.set(set)
            }
        })
    }

    /// After `\`, an escape that stands for characters (in a class or not).
    fn class_escape(&mut self) -> Option<Set> {
        let c = self.peek()?;
        self.i += 1;
        Some(match c {
            'd' => digits(),
            'D' => digits().complement(),
            'w' => word(),
            'W' => word().complement(),
            's' => space(),
            'S' => non_space(),
            'n' => Set::char(0x0A),
            'r' => Set::char(0x0D),
            't' => Set::char(0x09),
            'f' => Set::char(0x0C),
            'v' => Set::char(0x0B),
            '0'..='7' => {
                // `\0` or a legacy octal escape: some character of the first 256.
                while matches!(self.peek(), Some('0'..='7')) {
                    self.i += 1;
                }
                Set::of([(0, 0xFF)])
            }
            'c' if self.peek().is_some_and(|l| l.is_ascii_alphabetic()) => {
                let l = self.peek()? as u32;
                self.i += 1;
                Set::char(l % 32)
            }
            'x' => match self.hex(2) {
                Some(v) => Set::char(v),
                None => Set::char('x' as u32),
            },
            'u' => {
                if self.peek() == Some('{') {
                    // Only with the `u` flag; without it `\u{…}` is a repeated `u`. Either way
                    // some character.
                    while self.peek()? != '}' {
                        self.i += 1;
                    }
                    self.i += 1;
                    Set::any()
                } else {
                    match self.hex(4) {
                        Some(v) => Set::char(v),
                        None => Set::char('u' as u32),
                    }
                }
            }
            'p' | 'P' if self.peek() == Some('{') => {
                while self.peek()? != '}' {
                    self.i += 1;
                }
                self.i += 1;
                Set::any()
            }
            c => Set::char(c as u32),
        })
    }

    fn hex(&mut self, n: usize) -> Option<u32> {
        let mut v = 0;
        for k in 0..n {
            v = v * 16 + self.peek_at(k)?.to_digit(16)?;
        }
        self.i += n;
        Some(v)
    }

    /// After `[`: the class, negated or not.
    fn class(&mut self) -> Option<Set> {
        let negated = self.eat('^');
        let mut set = Set(Vec::new());
        loop {
            let c = self.peek()?;
            if c == ']' {
                self.i += 1;
                break;
            }
            let (lo, lo_single) = self.class_atom()?;
            if self.peek() == Some('-') && self.peek_at(1).is_some_and(|n| n != ']') {
                self.i += 1;
                let (hi, hi_single) = self.class_atom()?;
                match (lo_single, hi_single) {
                    (Some(a), Some(b)) => set = set.union(&Set::of([(a, b)])),
                    // `[\w-z]`: the class, `-` and the other side (Annex B).
                    _ => set = set.union(&lo).union(&hi).union(&Set::char('-' as u32)),
                }
            } else {
                set = set.union(&lo);
            }
        }
        Some(if negated { set.complement() } else { set })
    }

    /// One member of a class: its set, and its code point when it is a single character.
    fn class_atom(&mut self) -> Option<(Set, Option<u32>)> {
        let c = self.peek()?;
        self.i += 1;
        if c != '\\' {
            return Some((Set::char(c as u32), Some(c as u32)));
        }
        let set = match self.peek()? {
            'b' => {
                self.i += 1;
                Set::char(0x08)
            }
            '-' => {
                self.i += 1;
                Set::char('-' as u32)
            }
            _ => self.class_escape()?,
        };
        let single = match set.0.as_slice() {
            [(a, b)] if a == b => Some(*a),
            _ => None,
        };
        Some((set, single))
    }
}

fn nullable(node: &Node) -> bool {
    match node {
        Node::Empty | Node::Start | Node::Look(_) => true,
        Node::Char(_) => false,
        Node::Seq(v) => v.iter().all(nullable),
        Node::Alt(v) => v.iter().any(nullable),
        Node::Repeat(n, min, _) => *min == 0 || nullable(n),
    }
}

/// Whether `node` holds (or is) a repeat whose body can match the empty string: `(a*)*`,
/// `(a*){2}`, `(a*)?`, `(a|){2}`, `\b{1,3}`, `(?!a)*`.
fn holds_empty_repeat(node: &Node) -> bool {
    match node {
        Node::Empty | Node::Start | Node::Char(_) => false,
        Node::Look(n) => holds_empty_repeat(n),
        Node::Seq(v) | Node::Alt(v) => v.iter().any(holds_empty_repeat),
        Node::Repeat(n, _, _) => nullable(n) || holds_empty_repeat(n),
    }
}

/// Whether a repeat that can iterate more than once holds such a repeat in its body (see
/// [`Ambiguity::NestedEmptyLoops`]).
fn nested_empty_loops(node: &Node) -> bool {
    match node {
        Node::Empty | Node::Start | Node::Char(_) => false,
        Node::Look(n) => nested_empty_loops(n),
        Node::Seq(v) | Node::Alt(v) => v.iter().any(nested_empty_loops),
        Node::Repeat(n, _, max) => {
            (*max != Some(1) && holds_empty_repeat(n)) || nested_empty_loops(n)
        }
    }
}

/// A backreference reads some earlier text: any string, as far as paths go, and may fail at
/// its end (reading the wrong text): an assertion after the string.
fn backreference() -> Node {
    Node::Seq(vec![
        Node::Repeat(Box::new(Node::Char(Set::any())), 0, None),
        Node::Empty,
    ])
}

/// The lookarounds of `node` not inside another lookaround (those belong to its body), each
/// with whether it stands at the start: nothing that reads a character comes before it, and no
/// repeat holds it, so it runs once per start position.
fn collect_lookarounds<'n>(node: &'n Node, at_start: bool, out: &mut Vec<(&'n Node, bool)>) {
    match node {
        Node::Empty | Node::Start | Node::Char(_) => {}
        Node::Seq(v) => {
            let mut at = at_start;
            for n in v {
                collect_lookarounds(n, at, out);
                at = at && reads_nothing(n);
            }
        }
        Node::Alt(v) => v.iter().for_each(|n| collect_lookarounds(n, at_start, out)),
        Node::Repeat(n, _, _) => collect_lookarounds(n, false, out),
        Node::Look(n) => out.push((n, at_start)),
    }
}

fn reads_nothing(node: &Node) -> bool {
    match node {
        Node::Empty | Node::Start | Node::Look(_) => true,
        Node::Char(_) => false,
        Node::Seq(v) | Node::Alt(v) => v.iter().all(reads_nothing),
        Node::Repeat(n, _, _) => reads_nothing(n),
    }
}

/// Whether every way through `node` meets `^` before reading a character.
fn anchored(node: &Node) -> bool {
    match node {
        Node::Start => true,
        Node::Seq(v) => {
            for n in v {
                if anchored(n) {
                    return true;
                }
                if !reads_nothing(n) {
                    return false;
                }
            }
            false
        }
        Node::Alt(v) => !v.is_empty() && v.iter().all(anchored),
        Node::Empty | Node::Char(_) | Node::Repeat(..) | Node::Look(_) => false,
    }
}

/// Number of ways, saturated at 2 (one or "more than one" is all that matters).
type Ways = u8;

fn times(a: Ways, b: Ways) -> Ways {
    a.saturating_mul(b).min(2)
}

fn plus(a: Ways, b: Ways) -> Ways {
    a.saturating_add(b).min(2)
}

/// A fragment of the Glushkov automaton: the positions it can start and end at (with the number
/// of empty ways leading there), and the number of ways it matches the empty string.
struct Fragment {
    first: Vec<(usize, Ways)>,
    last: Vec<(usize, Ways)>,
    empty: Ways,
    /// Whether it can match the empty string without meeting an assertion or a backreference
    /// (which could fail), and the positions after which the rest of it can: nothing after
    /// them has to succeed for the fragment to.
    free: bool,
    last_free: Vec<usize>,
}

impl Fragment {
    /// Reads nothing, in `empty` ways; `free` unless an assertion.
    fn nothing(empty: Ways, free: bool) -> Fragment {
        Fragment {
            first: Vec::new(),
            last: Vec::new(),
            empty,
            free,
            last_free: Vec::new(),
        }
    }
}

#[derive(Default)]
struct Automaton {
    sets: Vec<Set>,
    /// One entry per distinct path between adjacent positions.
    edges: Vec<Edge>,
    too_large: bool,
}

#[derive(Clone, Copy, Debug)]
struct Edge {
    from: usize,
    to: usize,
    /// Made by a repeat without an upper bound (`*`, `+`, `{2,}`): one that can be taken as
    /// often as the subject allows. A counted repeat's (`{1,3}`) is a loop here too (see
    /// [`Automaton::repeat`]) but takes only so many turns, however long the subject.
    unbounded: bool,
}

impl Automaton {
    fn connect(&mut self, from: &[(usize, Ways)], to: &[(usize, Ways)], unbounded: bool) {
        for &(p, wp) in from {
            for &(q, wq) in to {
                for _ in 0..times(wp, wq) {
                    self.edges.push(Edge {
                        from: p,
                        to: q,
                        unbounded,
                    });
                }
            }
        }
        if self.edges.len() > MAX_EDGES {
            self.too_large = true;
        }
    }

    fn build(&mut self, node: &Node) -> Fragment {
        if self.too_large {
            return Fragment::nothing(1, false);
        }
        match node {
            Node::Empty | Node::Start | Node::Look(_) => Fragment::nothing(1, false),
            Node::Char(set) => {
                if set.is_empty() {
                    // `[]` matches nothing: no position, no empty way.
                    return Fragment::nothing(0, false);
                }
                let p = self.sets.len();
                self.sets.push(set.clone());
                if self.sets.len() > MAX_POSITIONS {
                    self.too_large = true;
                }
                Fragment {
                    first: vec![(p, 1)],
                    last: vec![(p, 1)],
                    empty: 0,
                    free: false,
                    last_free: vec![p],
                }
            }
            Node::Seq(items) => {
                let mut acc = Fragment::nothing(1, true);
                for item in items {
                    let f = self.build(item);
                    acc = self.concat(acc, f);
                }
                acc
            }
            Node::Alt(alts) => {
                let mut out = Fragment::nothing(0, false);
                for a in alts {
                    let f = self.build(a);
                    out.first.extend(f.first);
                    out.last.extend(f.last);
                    out.empty = plus(out.empty, f.empty);
                    out.free |= f.free;
                    out.last_free.extend(f.last_free);
                }
                out
            }
            Node::Repeat(body, min, max) => self.repeat(body, *min, *max),
        }
    }

    fn concat(&mut self, a: Fragment, b: Fragment) -> Fragment {
        self.connect(&a.last, &b.first, false);
        let mut first = a.first;
        first.extend(b.first.iter().map(|&(p, w)| (p, times(w, a.empty))));
        let mut last: Vec<(usize, Ways)> = a
            .last
            .iter()
            .map(|&(p, w)| (p, times(w, b.empty)))
            .collect();
        last.extend(b.last);
        first.retain(|&(_, w)| w > 0);
        last.retain(|&(_, w)| w > 0);
        let mut last_free = if b.free { a.last_free } else { Vec::new() };
        last_free.extend(b.last_free);
        Fragment {
            first,
            last,
            empty: times(a.empty, b.empty),
            free: a.free && b.free,
            last_free,
        }
    }

    /// A counted repeat is a loop unless it reads its body at most once: unrolling `x{0,40}`
    /// into 40 copies would make an automaton without cycles but with up to `2^40` paths for
    /// `(a|a){0,40}`, which backtracks as badly as `(a|a)*` (a loop only adds paths).
    fn repeat(&mut self, body: &Node, min: u32, max: Option<u32>) -> Fragment {
        if max == Some(0) {
            return Fragment::nothing(1, true);
        }
        let f = self.build(body);
        if max != Some(1) {
            self.connect(&f.last, &f.first, max.is_none());
        }
        // A loop's iteration that matches the empty string is refused (ES 22.2.2.3.1 step
        // 2.b), so a loop adds no empty way of its own beyond skipping it.
        // The repeat is done after one iteration only if it needs no more, or if the ones it
        // still needs can match the empty string.
        let last_free = if min >= 2 && !f.free {
            Vec::new()
        } else {
            f.last_free
        };
        Fragment {
            empty: if min == 0 { 1 } else { f.empty },
            free: min == 0 || f.free,
            last_free,
            ..f
        }
    }
}

/// The automaton's ambiguity. For the `main` pattern, a polynomial verdict's `anchored` says
/// whether `^` would spare the search a factor `n` (see [`degree`]); the caller checks for `^`.
fn automaton_ambiguity(node: &Node, main: bool) -> Ambiguity {
    let mut a = Automaton::default();
    let whole = a.build(node);
    if a.too_large {
        return Ambiguity::Unknown;
    }
    let n = a.sets.len();
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, e) in a.edges.iter().enumerate() {
        out[e.from].push(i);
    }
    let mut meets = vec![false; n * n];
    for p in 0..n {
        for q in p..n {
            let m = p == q || a.sets[p].intersects(&a.sets[q]);
            meets[p * n + q] = m;
            meets[q * n + p] = m;
        }
    }
    let product = Product {
        n,
        out: &out,
        edges: &a.edges,
        meets: &meets,
    };
    let comp = components(
        n * n,
        (0..n).map(|q| q * n + q),
        |v| product.fan_out(v),
        |v, k| product.successor(v, k).map(|(w, _)| w),
    );
    // A component with a pair (q, q) that also holds a pair of two states, or two different
    // edges, gives two paths from q to q on the same word.
    let mut has_diagonal = vec![false; n * n];
    let mut diverges = vec![false; n * n];
    for v in 0..n * n {
        let c = comp[v];
        if c == UNSEEN {
            continue;
        }
        let (p, q) = (v / n, v % n);
        if p == q {
            has_diagonal[c as usize] = true;
        }
        for k in 0..product.fan_out(v) {
            if let Some((w, different_edges)) = product.successor(v, k)
                && comp[w] == c
                && (p != q || different_edges)
            {
                diverges[c as usize] = true;
            }
        }
    }
    if !(0..n * n).any(|c| has_diagonal[c] && diverges[c]) {
        let done = if main { &whole.last_free[..] } else { &[] };
        let (degree, after_done) = degree(&a, &comp, done);
        return Ambiguity::Polynomial {
            degree,
            anchored: after_done < degree,
        };
    }
    // The most edges leaving one state whose targets can read one same character: every edge
    // that reads `c` meets the set of any one of them that does.
    let mut branching = 2;
    for edges in &out {
        for &e in edges {
            let target = a.edges[e].to;
            let alike = edges
                .iter()
                .filter(|&&f| meets[a.edges[f].to * n + target])
                .count();
            branching = branching.max(u32::try_from(alike).unwrap_or(u32::MAX));
        }
    }
    Ambiguity::Exponential { branching }
}

/// Beyond this many character positions the triple product is not searched: every pair of
/// states that the pair product leaves possible counts as a level (an over-approximation).
const MAX_TRIPLE_POSITIONS: usize = 128;
/// How many steps the searches of the triple product may take in all, for one automaton; the
/// pairs left when they are spent count as levels unexamined.
const MAX_TRIPLE_STEPS: usize = 1 << 21;

/// The degree of infinite ambiguity plus one (0 without an unbounded loop), for an automaton
/// without exponential ambiguity; `pairs` are the components of its pair product (`comp` of
/// [`automaton_ambiguity`]), `done` the states after which the whole pattern can end with
/// nothing left to check.
///
/// A *level* is a pair of states `p ≠ q` with paths `p → p`, `p → q` and `q → q` that all read
/// one same word `w` (Weber and Seidl): a path may then stay at `p` for `i` turns of `w` and at
/// `q` for the rest, so `k` turns give `k + 1` paths. Levels in a chain (`q` of one reaching
/// `p` of the next) multiply: a chain of `k` levels gives on the order of `n^k` paths on `n`
/// characters, and a backtracking search that fails explores every path on every prefix, one
/// more factor `n`: `n^(k+1)` from one start, `k + 1` being the degree returned. (`a*b`: no
/// level, degree 1, linear from each start; `a*a*b`: one, degree 2.)
///
/// The test for a pair is Allauzen, Mohri and Rastogi's: in the triple product (states
/// `(x, y, z)`, an edge when the three targets read a common character) a path from `(p, p, q)` to
/// `(p, q, q)`. It is searched only among triples that the pair product allows: `(x, z)` in the
/// component of `(p, q)` (the path returns there) and `(x, y)`, `(y, z)` reachable from a pair
/// `(s, s)`. Edges' multiplicity plays no part here: two paths that differ only in edges would
/// make exponential ambiguity, found before this is asked.
///
/// Only loops of unbounded repeats count: a state must lie on a cycle through an unbounded
/// edge, so `\d{4}\d{2}` (at most so many turns) has degree 0 although its automaton has loops,
/// while a counted repeat's loop still connects the levels around it (an over-approximation).
///
/// And only paths that a search can still fail on: once it reaches a state in `done`, the match
/// is found (whatever the search tries first from there, the way to end the pattern at once is
/// among its choices), so the paths that led elsewhere are never tried: the search goes on
/// along one path from there (as long as the match, at most) and what hangs off it fails
/// without reaching `done` again. Those states are left out, so their loops no longer multiply
/// the ones before: a trailing `.*`, `\w+` or `(.*)` adds nothing (`.*error.*`, `(.+)@(.+)`
/// have degree 1), but a trailing `$`, `\b`, lookaround or backreference can fail and keeps
/// them all. The second number is the degree of what hangs off that one path (the part
/// reachable from `done`): the path's length is a factor `n` on it, which the scan over start
/// positions covers, but which `^` does not spare.
fn degree(a: &Automaton, pairs: &[u32], done: &[usize]) -> (u32, u32) {
    let n = a.sets.len();
    let mut kept = vec![true; n];
    for &p in done {
        kept[p] = false;
    }
    let edges: Vec<&Edge> = a
        .edges
        .iter()
        .filter(|e| kept[e.from] && kept[e.to])
        .collect();
    // Successors without repeats: reachability does not care how many edges join two states.
    let mut next: Vec<Vec<usize>> = vec![Vec::new(); n];
    for e in &edges {
        next[e.from].push(e.to);
    }
    for v in &mut next {
        v.sort_unstable();
        v.dedup();
    }
    // Components of the automaton, numbered so that a component's successors come first.
    let comp = components(n, 0..n, |v| next[v].len(), |v, k| next[v].get(k).copied());
    let comps = comp.iter().map(|&c| c as usize + 1).max().unwrap_or(0);
    let mut looping = vec![false; comps];
    for e in &edges {
        if e.unbounded && comp[e.from] == comp[e.to] {
            looping[comp[e.from] as usize] = true;
        }
    }
    if !looping.contains(&true) {
        return (0, 0);
    }
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); comps];
    for v in 0..n {
        members[comp[v] as usize].push(v);
    }
    // Which components each reaches (itself included), one bit each.
    let words = comps.div_ceil(64);
    let mut reach = vec![0u64; comps * words];
    for c in 0..comps {
        let (done, rest) = reach.split_at_mut(c * words);
        let row = &mut rest[..words];
        row[c / 64] |= 1 << (c % 64);
        for &v in &members[c] {
            for &w in &next[v] {
                let d = comp[w] as usize;
                if d < c {
                    for (k, bits) in row.iter_mut().enumerate() {
                        *bits |= done[d * words + k];
                    }
                }
            }
        }
    }
    let reaches = |c: usize, d: usize| (reach[c * words + d / 64] >> (d % 64)) & 1 == 1;
    // The pair product's components: their sizes, and each pair's place in its own.
    let mut size = vec![0u32; n * n];
    let mut local = vec![0u32; n * n];
    for v in 0..n * n {
        if pairs[v] != UNSEEN {
            local[v] = size[pairs[v] as usize];
            size[pairs[v] as usize] += 1;
        }
    }
    let mut triple = Triple {
        n,
        sets: &a.sets,
        next: &next,
        pairs,
        local: &local,
        common: vec![None; if n <= MAX_TRIPLE_POSITIONS { n * n } else { 0 }],
    };
    let mut steps = if n <= MAX_TRIPLE_POSITIONS {
        MAX_TRIPLE_STEPS
    } else {
        0
    };
    // For each component, the components of the `q`s its levels lead to.
    let mut levels: Vec<Vec<usize>> = vec![Vec::new(); comps];
    for p in 0..n {
        let cp = comp[p] as usize;
        if !looping[cp] {
            continue;
        }
        for q in 0..n {
            let cq = comp[q] as usize;
            let pq = pairs[p * n + q];
            // `q` in `p`'s own component would make two paths from `p` to `p` (through `q` and
            // not): exponential ambiguity, ruled out before.
            if cq == cp || !looping[cq] || !reaches(cp, cq) || pq == UNSEEN {
                continue;
            }
            // One level between two components is all the chains below need.
            if levels[cp].contains(&cq) {
                continue;
            }
            // `p → p` and `q → q` on one word: `(p, q)` on a cycle of the pair product.
            let self_loops = next[p].binary_search(&p).is_ok() && next[q].binary_search(&q).is_ok();
            if size[pq as usize] < 2 && !self_loops {
                continue;
            }
            if triple.path(p, q, size[pq as usize] as usize, &mut steps) {
                levels[cp].push(cq);
            }
        }
    }
    // The longest chain of levels starting at or after each component, and whether a loop
    // comes at or after it.
    let mut longest = vec![0u32; comps];
    let mut loops = looping.clone();
    for c in 0..comps {
        let mut best = 0;
        for &v in &members[c] {
            for &w in &next[v] {
                let d = comp[w] as usize;
                if d != c {
                    best = best.max(longest[d]);
                    loops[c] |= loops[d];
                }
            }
        }
        for &d in &levels[c] {
            best = best.max(longest[d].saturating_add(1));
        }
        longest[c] = best;
    }
    // The degree from each component on: 0 if no loop comes, else 1 + its longest chain.
    let from = |c: usize| {
        if loops[c] {
            longest[c].saturating_add(1)
        } else {
            0
        }
    };
    let degree = (0..comps).map(from).max().unwrap_or(0);
    // The states reachable from `done` (through any states), and the degree from them on.
    let mut all_next: Vec<Vec<usize>> = vec![Vec::new(); n];
    for e in &a.edges {
        all_next[e.from].push(e.to);
    }
    let mut seen = vec![false; n];
    let mut todo: Vec<usize> = done.to_vec();
    let mut after_done = 0;
    while let Some(v) = todo.pop() {
        for &w in &all_next[v] {
            if !seen[w] {
                seen[w] = true;
                if kept[w] {
                    after_done = after_done.max(from(comp[w] as usize));
                }
                todo.push(w);
            }
        }
    }
    (degree, after_done)
}

/// The triple product, searched one pair at a time (see [`degree`]).
struct Triple<'a> {
    n: usize,
    sets: &'a [Set],
    next: &'a [Vec<usize>],
    /// The pair product's component of each pair ([`UNSEEN`]: not reachable from a `(s, s)`).
    pairs: &'a [u32],
    /// Each pair's index among its component's pairs.
    local: &'a [u32],
    /// What both states of a pair read, once asked: a triple's three sets may meet two by two
    /// and still have nothing in common (`[ab]`, `[ac]`, `[bc]`).
    common: Vec<Option<Set>>,
}

impl Triple<'_> {
    /// Whether `(p, p, q)` reaches `(p, q, q)`; also true once `steps` are spent (not known, so
    /// assumed). `size`: how many pairs `(p, q)`'s component holds.
    fn path(&mut self, p: usize, q: usize, size: usize, steps: &mut usize) -> bool {
        if *steps == 0 {
            return true;
        }
        let n = self.n;
        let home = self.pairs[p * n + q];
        // Triples (x, y, z) with (x, z) in `home`: one bit per (pair of `home`, y).
        let mut seen = vec![false; size * n];
        let local = self.local;
        let index = |x: usize, y: usize, z: usize| local[x * n + z] as usize * n + y;
        let mut todo = vec![(p, p, q)];
        seen[index(p, p, q)] = true;
        while let Some((x, y, z)) = todo.pop() {
            for &x2 in &self.next[x] {
                for &z2 in &self.next[z] {
                    if *steps == 0 {
                        return true;
                    }
                    *steps -= 1;
                    if self.pairs[x2 * n + z2] != home {
                        continue;
                    }
                    let (sets, common) = (self.sets, &mut self.common);
                    let common =
                        common[x2 * n + z2].get_or_insert_with(|| sets[x2].intersection(&sets[z2]));
                    for &y2 in &self.next[y] {
                        if *steps == 0 {
                            return true;
                        }
                        *steps -= 1;
                        // Both pairs reachable from a `(s, s)`, and one character for all three.
                        if self.pairs[x2 * n + y2] == UNSEEN
                            || self.pairs[y2 * n + z2] == UNSEEN
                            || !sets[y2].intersects(common)
                        {
                            continue;
                        }
                        if (x2, y2, z2) == (p, q, q) {
                            return true;
                        }
                        let i = index(x2, y2, z2);
                        if !seen[i] {
                            seen[i] = true;
                            todo.push((x2, y2, z2));
                        }
                    }
                }
            }
        }
        false
    }
}

const UNSEEN: u32 = u32::MAX;

/// The strongly connected component of each vertex reachable from `roots` ([`UNSEEN`] for the
/// others), numbered in the order they complete, so that a component's successors outside it
/// have smaller numbers: Tarjan's algorithm, iterative (patterns come from users; recursion
/// depth must not). `fan_out(v)` bounds `v`'s successors, `successor(v, k)` is the `k`th
/// (`None`: no edge there).
fn components(
    count: usize,
    roots: impl IntoIterator<Item = usize>,
    fan_out: impl Fn(usize) -> usize,
    successor: impl Fn(usize, usize) -> Option<usize>,
) -> Vec<u32> {
    let mut index = vec![UNSEEN; count];
    let mut low = vec![0u32; count];
    let mut on_stack = vec![false; count];
    let mut comp = vec![UNSEEN; count];
    let mut stack: Vec<usize> = Vec::new();
    // Each frame: a vertex and the next successor to follow from it.
    let mut frames: Vec<(usize, usize)> = Vec::new();
    let mut next_index = 0u32;
    let mut next_comp = 0u32;
    for root in roots {
        if index[root] != UNSEEN {
            continue;
        }
        frames.push((root, 0));
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut k)) = frames.last_mut() {
            if *k < fan_out(v) {
                let step = successor(v, *k);
                *k += 1;
                let Some(w) = step else {
                    continue;
                };
                if index[w] == UNSEEN {
                    index[w] = next_index;
                    low[w] = next_index;
                    next_index += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    frames.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            frames.pop();
            if let Some(&(parent, _)) = frames.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    comp[w] = next_comp;
                    if w == v {
                        break;
                    }
                }
                next_comp += 1;
            }
        }
    }
    comp
}

/// The product of the automaton with itself: pair `(p, q)` is vertex `p * n + q`; its edges are
/// the pairs of edges leaving `p` and `q` whose targets' sets meet (so both read one character).
struct Product<'a> {
    n: usize,
    out: &'a [Vec<usize>],
    edges: &'a [Edge],
    meets: &'a [bool],
}

impl Product<'_> {
    /// How many pairs of edges leave `v` (not all of them lead anywhere).
    fn fan_out(&self, v: usize) -> usize {
        self.out[v / self.n].len() * self.out[v % self.n].len()
    }

    /// The `k`th pair of edges leaving `v`: the vertex it leads to, and whether the two edges
    /// differ; `None` when their targets read no common character.
    fn successor(&self, v: usize, k: usize) -> Option<(usize, bool)> {
        let (p, q) = (v / self.n, v % self.n);
        let from_q = &self.out[q];
        let e1 = self.out[p][k / from_q.len()];
        let e2 = from_q[k % from_q.len()];
        let (p2, q2) = (self.edges[e1].to, self.edges[e2].to);
        self.meets[p2 * self.n + q2].then_some((p2 * self.n + q2, e1 != e2))
    }
}

#[cfg(test)]
mod tests {
    use super::{Ambiguity, analyse};

    #[track_caller]
    fn exponential(p: &str) {
        assert!(
            matches!(analyse(p, false), Ambiguity::Exponential { .. }),
            "{p}"
        );
    }

    #[track_caller]
    fn linear(p: &str) {
        assert!(
            matches!(analyse(p, false), Ambiguity::Polynomial { .. }),
            "{p}"
        );
    }

    /// The degree of a pattern without exponential ambiguity.
    #[track_caller]
    fn degree(p: &str) -> u32 {
        match analyse(p, false) {
            Ambiguity::Polynomial { degree, .. } => degree,
            other => panic!("{p}: {other:?}"),
        }
    }

    #[test]
    fn nested_and_overlapping_loops_are_exponential() {
        for p in [
            r"^(a+)+$",
            r"(a|a)*b",
            r"(a*)*b",
            r"^(\w+\s?)+$",
            r"^((a+)+)+$",
            r"(a|ab|b)*c",
            r"^(a+|b+)+$",
            r"(.*,)*x",
            r"^(\d+|\d+\.)*$",
            r"(a?a?)*b",
            r"((a||)b)*$",
            r"^([a-z]{1,300})+$",
            r"(a|a){0,40}$",
            r"^(a+){2,40}$",
            r"x(?=(a+)+$)",
            r"(?:[a-z]|[aeiou])+!",
            r"^(A+)+$",
        ] {
            exponential(p);
        }
        assert!(matches!(
            analyse(r"^(a|A)+$", true),
            Ambiguity::Exponential { .. }
        ));
    }

    #[test]
    fn branching_bounds_the_paths_per_character() {
        for (p, b) in [
            (r"^(a+)+$", 2),
            (r"(a|a)*b", 2),
            (r"(a*)*b", 2),
            (r"^(\w+\s?)+$", 2),
            (r"(a|a|a)*b", 3),
            (r"^((a+)+)+$", 3),
        ] {
            assert_eq!(
                analyse(p, false),
                Ambiguity::Exponential { branching: b },
                "{p}"
            );
        }
    }

    #[test]
    fn loops_whose_iterations_cannot_overlap_are_linear() {
        for p in [
            r"^[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}$",
            r"^([a-z0-9]+\.)*[a-z0-9]+$",
            r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$",
            r"^arn:aws:[a-z]+:[a-z0-9-]*:\d{12}:.*$",
            r"(\d+)\s*(\w+)",
            r"a*a*b",
            r"[a-z]+",
            r"^(\w+\s)+$",
            r"(ab|cd)*",
            r"(?<year>\d{4})-(?<month>\d{2})",
            r"[^,]*(,[^,]*)*",
            r"\bfoo\b|[]|[^]",
            r"a{2,3}",
            r"(ab{2}){3}",
            r"^(\d{1,3}\.){3}\d{1,3}$",
            r"\u0041\x41\cA\0[\b\-\w-z]",
        ] {
            linear(p);
        }
        // Case-insensitively, `a` and `A` overlap.
        linear(r"^(a|A)+$");
    }

    #[test]
    fn degree_counts_repeats_in_a_row_that_can_read_the_same_text() {
        for (p, d) in [
            // No unbounded repeat: a search from one start takes at most so many steps.
            ("abc", 0),
            (r"^\d{4}-\d{2}-\d{2}$", 0),
            (r"\d{4}\d{2}\d{2}", 0),
            (r"(\d{1,3}\.){3}\d{1,3}", 0),
            ("", 0),
            // Once a repeat is reached, the match is found: it takes no turns that can fail.
            (r"\s+", 0),
            (r"a*b*c*", 0),
            (r"[^,]*(,[^,]*)*", 0),
            // Repeats that cannot share text: linear from each start.
            ("a*b", 1),
            (r"\d+-\d+-\d+", 1),
            (r"^\d+-\d+$", 1),
            (r"[a-z]+@[a-z]+\.com", 1),
            (r"(\w+)\s(\w+)", 1),
            (r"^[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}$", 1),
            (r"^(\w+\s)+$", 1),
            (r"(a*)b\1", 1),
            // Repeats that can share text, the last one ending the match: it adds nothing.
            (r"(\d+)\s*(\w+)", 1),
            (r".*error.*", 1),
            (r"(.+)@(.+)", 1),
            (r"\w+\s*\w+", 1),
            ("[^]{2,}[^]{2,}[^]{2,}", 3),
            ("[^]+[^]+[^]+", 2),
            // Unless something after it can still fail.
            (r"(\d+)\s*(\w+)$", 2),
            (r"(\d+)\s*(\w+)\b", 2),
            (r"(\w+)\s*\1", 2),
            // Repeats in a row that can share text: each adds one.
            ("a*a*b", 2),
            (r"(\d+)\s*(\w+)x", 2),
            (r".*foo.*bar", 2),
            (r"(a|b)*(a|c)*x", 2),
            ("(?:ab)*(?:ab)*c", 2),
            ("a*a{0,5}a*b", 2),
            ("a*a*a*b", 3),
            (r"^\s*(.*?)\s*$", 3),
            ("[^]{2,}[^]{2,}[^]{2,}aa", 3),
            (".*,.*,.*x", 3),
            (".*,.*,.*,.*x", 4),
            ("a*a*a*a*a*a*b", 6),
            ("(([^]{2,}[^]{2,}[^]{2,}|x)([^]{2,}[^]{2,}[^]{2,}|y))aa", 6),
            // Separate repeats of one loop's body: no chain across the separator.
            ("(a*,)*b", 1),
            ("(?:a+b)+c", 1),
            // A lookaround's body runs once per path that reaches it: degrees add up, but a
            // lookaround at the start runs once per start position.
            ("a*(?=a*b)", 2),
            (r"^(?=.*\d)(?=.*[a-z]).{8,}$", 1),
            ("x(?=a*a*b)", 2),
            (r"(?<=a*a*)b", 2),
        ] {
            assert_eq!(degree(p), d, "{p}");
        }
    }

    #[test]
    fn one_word_for_all_three_paths_takes_the_triple_product() {
        // `[ab]` to `[ab]` reads `b`, to `[bc]` reads `ab`, `[bc]` to itself `cb`: the pair
        // product finds each, but no one word does all three (`[ac]` is on the way).
        assert_eq!(degree("[ab]*[ac][bc]*"), 1);
        // Beyond the positions the triple product is searched for, the pair counts.
        let long = format!("[ab]*[ac][bc]*{}", "z".repeat(super::MAX_TRIPLE_POSITIONS));
        assert_eq!(degree(&long), 2);
    }

    #[test]
    fn anchored_means_every_way_begins_with_a_caret() {
        for (p, a) in [
            ("^a*a*b", true),
            ("^a*a*b|^c*c*d", true),
            ("(^a*a*b)", true),
            (r"\b^a*a*b", true),
            ("a*a*b", false),
            ("^a*a*b|c*c*d", false),
            ("x^a*a*b", false),
            // Lookaround bodies are not counted on to run once.
            ("(?=x)^a*a*b", false),
            // Once a `b` is read the match is certain, and the search goes on along one path
            // (up to n characters): `^` is not counted on to spare that factor when what hangs
            // off the path, `a*a*c`, has the pattern's degree.
            ("^b+(?:a*a*c)?", false),
        ] {
            assert!(
                matches!(analyse(p, false), Ambiguity::Polynomial { anchored, .. } if anchored == a),
                "{p}"
            );
        }
    }

    #[test]
    fn loops_of_loops_that_match_empty_are_refused_outright() {
        // Each of these made regress 0.12 allocate without end on `a!` or `aaaaa`, but for the
        // last three: `((\b)*)*c` and `((?=a)*a)*b` ran, and are refused as the same shape as
        // the last, whose kind (repeated assertions in repeats) ran for minutes on 76 characters.
        for p in [
            r"((a*)*)*b",
            r"((a?)*)*b",
            r"((a?)?)*c",
            r"((a*)?)*b",
            r"((a*)+)+c",
            r"((a*)*b?)*c",
            r"((b|a*)*)*c",
            r"((a*b*)*)*c",
            r"((a{0,3})*)*c",
            r"(?:(?:(?:a)*)*)*c",
            r"x(?=((a*)*)*a|a)a",
            r"(((\S*)*){2,})*?\x61",
            r"((a*){2}a)*b",
            r"((a*){2}a){2}b",
            r"((a|){2}a)*b",
            r"((a*)?a)*b",
            r"(x(a*){2})*b",
            r"(a(a*)*)*b",
            r"((\b)*)*c",
            r"((?=a)*a)*b",
            r"(?:(?!\b{1,3}\b{1,3}|\b{1,3}){1,3}(?!a)*?a){1,3}a",
        ] {
            assert_eq!(analyse(p, false), Ambiguity::NestedEmptyLoops, "{p}");
        }
        // And these ran: no repeat of a body that matches empty inside a repeat that iterates.
        for p in [
            r"((a+)*)*c",
            r"(((a+)+)*)*c",
            r"((a*)*)?c",
            r"((a*){2}a)?b",
            r"(?:(?:a{2,})*)*c",
            r"((a*a*)a)*b",
            r"((a)*){2}b",
            r"^(\w*\s?)+$",
            r"(a*)*b",
            r"((a+){2}a)*b",
        ] {
            assert_ne!(analyse(p, false), Ambiguity::NestedEmptyLoops, "{p}");
        }
    }

    #[test]
    fn unreadable_or_huge_patterns_are_unknown() {
        assert_eq!(analyse("(a", false), Ambiguity::Unknown);
        assert_eq!(analyse("a)", false), Ambiguity::Unknown);
        assert_eq!(analyse("*", false), Ambiguity::Unknown);
        let deep = format!("{}a{}", "(".repeat(1000), ")".repeat(1000));
        assert_eq!(analyse(&deep, false), Ambiguity::Unknown);
        let huge = "(ab|cd)".repeat(300);
        assert_eq!(analyse(&huge, false), Ambiguity::Unknown);
    }
}
