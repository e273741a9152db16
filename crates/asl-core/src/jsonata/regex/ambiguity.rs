//! Whether a regular expression can make a backtracking matcher take exponential time: the
//! static analysis behind the guard in `super` (see there for why a guard and not another engine).
//!
//! A backtracking matcher that fails explores every way the pattern can match each prefix of the
//! subject. Those ways grow exponentially with the subject's length exactly when the pattern's
//! automaton has *exponential degree of ambiguity*: some state `q` with two different paths from
//! `q` back to `q` reading the same word (Weber and Seidl's criterion) — `(a+)+`, `(a|a)*`,
//! `(a*)*`, `(\w+\s?)+`. Patterns whose repeated parts cannot overlap — `([a-z]+\.)*[a-z]+`, the
//! separators telling the iterations apart — have no such state and are left alone.
//!
//! The automaton is Glushkov's (a state per character position of the pattern), kept as a
//! multigraph: an edge remembers the construct that made it (a concatenation, a loop) and how many
//! empty ways lead through it, because `(a*)*` (the inner and the outer loop both lead from `a` to
//! `a`) and `((a||)b)*` (two empty branches) are ambiguous although their plain Glushkov automaton
//! is not. The criterion is then checked on the product automaton: a strongly connected component
//! holding a pair `(q, q)` and also a pair of different states, or two different edges, means two
//! paths that leave `q` and come back on the same word.
//!
//! Everything is over-approximated, never under: a character class is a superset of what it
//! matches (case-insensitivity, `\s` and the like widened rather than tabulated), assertions and
//! lookarounds read nothing (a lookaround's own body is analysed as a pattern of its own), a
//! backreference reads any string, a counted repeat (`{2,40}`) is a loop. So a pattern said to be
//! unambiguous is; one said to be ambiguous is, or is close.
//!
//! Not looked for: polynomial backtracking (`a*a*b`: quadratic), and finite ambiguity spelt
//! out in the pattern itself (`a?a?a?…aaa…`, `n` optional characters give up to `2^n` paths
//! with no loop at all) — bounded by the pattern's length, not the string's.

/// What the analysis says about a pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ambiguity {
    /// No state can be left and reached again in two ways on the same text.
    Linear,
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
    /// `exec` fuzz targets; JavaScript engines run them). Not run on any non-empty string.
    NestedEmptyLoops,
}

// Compiling costs at most ~35 ms natively, for a loop of 32 overlapping alternatives (1,024
// edges, ~1 M product edges); a pattern of 500 plain characters ~3 ms, the usual ones µs.

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
    let mut bodies = Vec::new();
    collect_lookarounds(&node, &mut bodies);
    let mut verdict = automaton_ambiguity(&node);
    for body in bodies {
        verdict = worse(verdict, automaton_ambiguity(body));
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
        (e @ Exponential { .. }, Linear) | (Linear, e @ Exponential { .. }) => e,
        (Linear, Linear) => Linear,
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
    /// Reads nothing: the empty pattern, an assertion (`^`, `$`, `\b`).
    Empty,
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
            '^' | '$' => Node::Empty,
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
        Node::Empty | Node::Look(_) => true,
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
        Node::Empty | Node::Char(_) => false,
        Node::Look(n) => holds_empty_repeat(n),
        Node::Seq(v) | Node::Alt(v) => v.iter().any(holds_empty_repeat),
        Node::Repeat(n, _, _) => nullable(n) || holds_empty_repeat(n),
    }
}

/// Whether a repeat that can iterate more than once holds such a repeat in its body (see
/// [`Ambiguity::NestedEmptyLoops`]).
fn nested_empty_loops(node: &Node) -> bool {
    match node {
        Node::Empty | Node::Char(_) => false,
        Node::Look(n) => nested_empty_loops(n),
        Node::Seq(v) | Node::Alt(v) => v.iter().any(nested_empty_loops),
        Node::Repeat(n, _, max) => {
            (*max != Some(1) && holds_empty_repeat(n)) || nested_empty_loops(n)
        }
    }
}

/// A backreference reads some earlier text: any string, as far as paths go.
fn backreference() -> Node {
    Node::Repeat(Box::new(Node::Char(Set::any())), 0, None)
}

fn collect_lookarounds<'n>(node: &'n Node, out: &mut Vec<&'n Node>) {
    match node {
        Node::Empty | Node::Char(_) => {}
        Node::Seq(v) | Node::Alt(v) => v.iter().for_each(|n| collect_lookarounds(n, out)),
        Node::Repeat(n, _, _) => collect_lookarounds(n, out),
        Node::Look(n) => {
            out.push(n);
            collect_lookarounds(n, out);
        }
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
}

#[derive(Default)]
struct Automaton {
    sets: Vec<Set>,
    /// (from, to): one entry per distinct path between adjacent positions.
    edges: Vec<(usize, usize)>,
    too_large: bool,
}

impl Automaton {
    fn connect(&mut self, from: &[(usize, Ways)], to: &[(usize, Ways)]) {
        for &(p, wp) in from {
            for &(q, wq) in to {
                for _ in 0..times(wp, wq) {
                    self.edges.push((p, q));
                }
            }
        }
        if self.edges.len() > MAX_EDGES {
            self.too_large = true;
        }
    }

    fn build(&mut self, node: &Node) -> Fragment {
        if self.too_large {
            return Fragment {
                first: Vec::new(),
                last: Vec::new(),
                empty: 1,
            };
        }
        match node {
            Node::Empty | Node::Look(_) => Fragment {
                first: Vec::new(),
                last: Vec::new(),
                empty: 1,
            },
            Node::Char(set) => {
                if set.is_empty() {
                    // `[]` matches nothing: no position, no empty way.
                    return Fragment {
                        first: Vec::new(),
                        last: Vec::new(),
                        empty: 0,
                    };
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
                }
            }
            Node::Seq(items) => {
                let mut acc = Fragment {
                    first: Vec::new(),
                    last: Vec::new(),
                    empty: 1,
                };
                for item in items {
                    let f = self.build(item);
                    acc = self.concat(acc, f);
                }
                acc
            }
            Node::Alt(alts) => {
                let mut out = Fragment {
                    first: Vec::new(),
                    last: Vec::new(),
                    empty: 0,
                };
                for a in alts {
                    let f = self.build(a);
                    out.first.extend(f.first);
                    out.last.extend(f.last);
                    out.empty = plus(out.empty, f.empty);
                }
                out
            }
            Node::Repeat(body, min, max) => self.repeat(body, *min, *max),
        }
    }

    fn concat(&mut self, a: Fragment, b: Fragment) -> Fragment {
        self.connect(&a.last, &b.first);
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
        Fragment {
            first,
            last,
            empty: times(a.empty, b.empty),
        }
    }

    /// A counted repeat is a loop unless it reads its body at most once: unrolling `x{0,40}`
    /// into 40 copies would make an automaton without cycles but with up to `2^40` paths for
    /// `(a|a){0,40}`, which backtracks as badly as `(a|a)*` (a loop only adds paths).
    fn repeat(&mut self, body: &Node, min: u32, max: Option<u32>) -> Fragment {
        if max == Some(0) {
            return Fragment {
                first: Vec::new(),
                last: Vec::new(),
                empty: 1,
            };
        }
        let f = self.build(body);
        if max != Some(1) {
            self.connect(&f.last, &f.first);
        }
        // A loop's iteration that matches the empty string is refused (ES 22.2.2.3.1 step
        // 2.b), so a loop adds no empty way of its own beyond skipping it.
        Fragment {
            empty: if min == 0 { 1 } else { f.empty },
            ..f
        }
    }
}

fn automaton_ambiguity(node: &Node) -> Ambiguity {
    let mut a = Automaton::default();
    a.build(node);
    if a.too_large {
        return Ambiguity::Unknown;
    }
    let n = a.sets.len();
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, &(p, _)) in a.edges.iter().enumerate() {
        out[p].push(i);
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
    let comp = product.components();
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
        return Ambiguity::Linear;
    }
    // The most edges leaving one state whose targets can read one same character: every edge
    // that reads `c` meets the set of any one of them that does.
    let mut branching = 2;
    for edges in &out {
        for &e in edges {
            let target = a.edges[e].1;
            let alike = edges
                .iter()
                .filter(|&&f| meets[a.edges[f].1 * n + target])
                .count();
            branching = branching.max(u32::try_from(alike).unwrap_or(u32::MAX));
        }
    }
    Ambiguity::Exponential { branching }
}

const UNSEEN: u32 = u32::MAX;

/// The product of the automaton with itself: pair `(p, q)` is vertex `p * n + q`; its edges are
/// the pairs of edges leaving `p` and `q` whose targets' sets meet (so both read one character).
struct Product<'a> {
    n: usize,
    out: &'a [Vec<usize>],
    edges: &'a [(usize, usize)],
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
        let (p2, q2) = (self.edges[e1].1, self.edges[e2].1);
        self.meets[p2 * self.n + q2].then_some((p2 * self.n + q2, e1 != e2))
    }

    /// The strongly connected component of each vertex reachable from a pair `(q, q)`
    /// ([`UNSEEN`] for the others, which cannot share a component with one): Tarjan's
    /// algorithm, iterative (patterns come from users; recursion depth must not).
    fn components(&self) -> Vec<u32> {
        let count = self.n * self.n;
        let mut index = vec![UNSEEN; count];
        let mut low = vec![0u32; count];
        let mut on_stack = vec![false; count];
        let mut comp = vec![UNSEEN; count];
        let mut stack: Vec<usize> = Vec::new();
        // Each frame: a vertex and the next pair of edges to follow from it.
        let mut frames: Vec<(usize, usize)> = Vec::new();
        let mut next_index = 0u32;
        let mut next_comp = 0u32;
        for q in 0..self.n {
            let root = q * self.n + q;
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
                if *k < self.fan_out(v) {
                    let step = self.successor(v, *k);
                    *k += 1;
                    let Some((w, _)) = step else {
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
        assert_eq!(analyse(p, false), Ambiguity::Linear, "{p}");
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
        assert_eq!(analyse(r"^(a|A)+$", false), Ambiguity::Linear);
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
