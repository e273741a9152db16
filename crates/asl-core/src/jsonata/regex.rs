//! Regular expressions with JavaScript's semantics (JSONata's are JS regexes): compiling `/…/im`
//! literals through a [`RegexEngine`], and the match sequence JSONata's matcher protocol yields
//! (global matching, the `D1004` error for a pattern that matches the empty string forever).
//! Positions given out are UTF-16 offsets, as in JavaScript.
//!
//! Why an engine trait: native builds use the `regress` crate (cargo feature `regress`, on by
//! default), a JavaScript regex engine in Rust. In a browser the page already has JavaScript's own
//! `RegExp`; the playground registers an engine backed by it ([`set_regex_engine`]) and builds
//! asl-core without `regress`, whose code and Unicode tables were a fifth of its bundle
//! (benches/README.md, "Bundle size"). asl-core itself never depends on wasm-bindgen.

//!
//! # Catastrophic backtracking
//!
//! `regress` backtracks, as JavaScript engines do (V8's `RegExp`, the playground's engine, too), so a pattern whose repeated part can match the
//! same text in two ways (`/^(a+)+$/`, `/(\w+\s?)+$/`) takes time exponential in the length of a
//! string it fails on: doubling per character, 26 characters took 2.5 s, so 30 take most of a
//! minute and 40 half a day. One match call cannot be interrupted — the evaluator's step budget
//! (`U1001`) does not see inside it — and in the browser it runs on the page's thread, so it
//! would freeze the tab.
//!
//! The guard: when a literal is compiled, [`ambiguity`] decides statically whether the pattern
//! can backtrack exponentially (exponential degree of ambiguity of its automaton) and bounds how
//! fast its paths multiply. Such a pattern still runs on strings short enough for even its worst
//! case to be quick (18 characters for `(a+)+`, see [`max_subject`]); on a longer one the
//! evaluation ends with `D1005` (not a code of JSONata's own, which has no such limit: next to
//! `D1004`, its other regex error), naming the pattern and the lengths. One more shape is
//! refused on any string, the empty one too: a repeat holding a repeat that can
//! match the empty string (`((a*)*)*b`, `((a*){2}a)*b`), on which `regress` 0.12 itself can loop
//! without end (see [`Ambiguity::NestedEmptyLoops`]).
//!
//! Polynomial backtracking is bounded the same way. Repeats in a row that can read the same
//! text (`a*a*b`, `.*foo.*bar`, `[^]{2,}[^]{2,}[^]{2,}x`) make a failing search try every way of
//! sharing the text out among them: `n^d` paths from each start for `d` of them, `n^(d + 1)`
//! over all starts. The `jsonata` fuzz target found one of degree 6 (such repeats in
//! alternatives) that took minutes on 72 characters. [`ambiguity`] gives the degree; a pattern
//! whose search costs more than quadratic time runs on strings up to the length a step budget
//! affords ([`max_subject_polynomial`]: 161 characters for `a*a*b`, 45 for `a*a*a*b`), and
//! longer ones end in `D1005` saying so. Quadratic is what any regex can cost on a backtracking
//! engine (`\d+-\d+` fails from each start in linear time) and is not limited. The regexes
//! `$toMillis` builds from a picture are guarded alike ([`first_of_picture`]).
//!
//! Every other pattern runs as before, on any string: none of the official suite's regexes, nor
//! the conformance corpus's, nor the real-world definitions', is limited. Not bounded (see
//! [`ambiguity`]): ambiguity spelt out in a long pattern, bounded by the pattern's length.
//!
//! Measured alternatives (`cargo run --release -p asl-core --example regex_backends`):
//! - `regress`'s other backend, `backends::PikeVMExecutor`, is not a Pike VM in the linear-time
//!   sense: it keeps a stack of whole thread states, depth first, with no set of visited
//!   states, so it explores the same exponentially many paths, only slower: `/^(a+)+$/` failing
//!   on 24 characters took 680 ms with the backtracker and 2,571 ms with it, `/^((a+)+)+$/` on
//!   16 characters 2 ms and 5,608 ms (both doubling, or worse, per character).
//!   Switching to it bounds nothing.
//! - A budget inside the matcher would be the exact answer (it is how .NET and PCRE bound
//!   backtracking), but `regress` has no hook to count steps, and forking it is not an option.
//! - Another engine (the `regex` crate is linear) differs from JavaScript in captures inside
//!   loops, lookarounds and backreferences, and would grow the bundle.
//! - Refusing every pattern with nested quantifiers (star height 2) would refuse
//!   `([a-z0-9]+\.)*[a-z]+`, which is safe (the dots keep iterations apart), and miss `(a|a)*`:
//!   ambiguity, not nesting, is what makes backtracking explode.

mod ambiguity;

use std::fmt;
use std::sync::{Arc, OnceLock};

use crate::value::{Object, Value};

use super::error::{JResult, err};
use super::jv::JV;

use ambiguity::Ambiguity;

/// An exponentially ambiguous pattern with branching `b` (at most `b^n` paths on `n` characters,
/// see [`ambiguity::Ambiguity`]) runs on strings of up to `n` characters, the largest `n` with
/// `b^n <= 2^PATH_BUDGET_BITS`: 18 characters for `(a+)+`, 11 for `(a|a|a)*`. Measured, the
/// four patterns of the `regex_backends` example take 17 to 43 ms to fail on 18 characters
/// (natively, on a loaded machine; the browser is slower), and four times that per 2 more.
const PATH_BUDGET_BITS: f64 = 18.0;
/// The branching assumed for a pattern too large or too unusual to analyse.
const UNKNOWN_BRANCHING: u32 = 4;

/// The longest string an exponentially ambiguous pattern with this branching is run on.
fn max_subject(branching: u32) -> usize {
    let b = f64::from(branching.max(2));
    ((PATH_BUDGET_BITS / b.log2()).floor() as usize).max(1)
}

/// A pattern of polynomial degree `d` (see [`ambiguity::Ambiguity::Polynomial`]) explores on the
/// order of `n^d` paths from each start position of a string of `n` characters it fails on, and
/// `n^(d + 1)` over all of them (`n^d` when `^` lets only the first get anywhere). It runs on
/// strings of up to the largest `n` with that count within `2^STEP_BUDGET_BITS` (4.2 M): 161
/// characters for degree 2, 45 for 3, 21 for 4, 8 for 6. The budget makes the slowest of them
/// at its limit about as slow as the exponential ones at theirs: `cargo run --release -p
/// asl-core --example regex_limits` (natively, 2026-12-06, a 2-core machine at load ~7.5) took
/// 7–28 ms for the four exponential patterns of `regex_backends` at 18 characters, and 1–32 ms
/// for the degree-2 ones at 161 (the most for `(a|b)*(a|c)*x`), under 2 ms for degree 3 and
/// more at their limits (the paths are fewer than `n^(d + 1)` by about `(d + 1)!`, which leaves
/// room for patterns whose loops branch more). `2^24` made `(a|b)*(a|c)*x` take 125 ms.
const STEP_BUDGET_BITS: f64 = 22.0;

/// The power of the string's length that a failing search of a pattern of this degree takes.
fn power(degree: u32, anchored: bool) -> u32 {
    degree.saturating_add(u32::from(!anchored))
}

/// The longest string a pattern of this degree is run on; `None` when its search is at most
/// quadratic over all start positions (degree 0 or 1, as every ordinary pattern is, or 2 behind
/// `^`, `^(.*)d(.*)$`), as it is for any regex at all on a backtracking engine.
fn max_subject_polynomial(degree: u32, anchored: bool) -> Option<usize> {
    let power = power(degree, anchored);
    if power <= 2 {
        return None;
    }
    let exponent = f64::from(power);
    // The float's rounding could land just above a whole root: step back to the largest `n`
    // whose power fits.
    let mut n = (STEP_BUDGET_BITS / exponent).exp2().floor() as usize;
    while n > 1 && (n as f64).powf(exponent) > STEP_BUDGET_BITS.exp2() {
        n -= 1;
    }
    Some(n.max(1))
}

/// A compiled regex literal: the engine's program and what the guard knows about it.
#[derive(Debug)]
pub(crate) struct Regex {
    re: Arc<dyn CompiledRegex>,
    /// The literal as written (`/…/flags`), for messages.
    source: String,
    /// For a pattern that can backtrack exponentially (or could not be shown not to), or
    /// polynomially of degree 2 or more, the longest string (in characters) it is run on; 0 for
    /// one `regress` cannot run at all.
    max_subject: Option<usize>,
    /// Why there is a limit.
    verdict: Ambiguity,
    /// The date/time picture the pattern was built from (`$toMillis`), if it was.
    picture: Option<String>,
}

pub(crate) fn compile(pattern: &str, flags: &str) -> JResult<Regex> {
    guarded(
        pattern,
        flags,
        ("S0303", "Invalid regular expression"),
        None,
    )
}

/// Compiles, and analyses for the guard; `picture`: the date/time picture the pattern was built
/// from, for messages.
fn guarded(
    pattern: &str,
    flags: &str,
    code: (&'static str, &str),
    picture: Option<&str>,
) -> JResult<Regex> {
    let re = compile_with(pattern, flags, code)?;
    let mut verdict = ambiguity::analyse(pattern, flags.contains('i'));
    if let Ambiguity::Polynomial { anchored, .. } = &mut verdict {
        // With `m`, `^` holds after every line break too.
        *anchored = *anchored && !flags.contains('m');
    }
    let max_subject = match verdict {
        Ambiguity::Polynomial { degree, anchored } => max_subject_polynomial(degree, anchored),
        Ambiguity::Exponential { branching } => Some(max_subject(branching)),
        Ambiguity::Unknown => Some(max_subject(UNKNOWN_BRANCHING)),
        Ambiguity::NestedEmptyLoops => Some(0),
    };
    Ok(Regex {
        re,
        source: format!("/{pattern}/{flags}"),
        max_subject,
        verdict,
        picture: picture.map(str::to_string),
    })
}

impl Regex {
    /// Refuses to run a pattern that can backtrack exponentially, or polynomially of degree 2 or
    /// more, on a string long enough for its backtracking to hang the evaluation.
    fn guard(&self, s: &str) -> JResult<()> {
        // Refused on every string, the empty one too (regress looped without end on
        // `(((\B\B|a*){1,3}){1,3})aa|a` and "").
        if self.verdict == Ambiguity::NestedEmptyLoops {
            return Err(err(
                "D1005",
                format!(
                    "Regular expression {} repeats a part that holds a repeat able to match the \
                     empty string, e.g. ((a*)*)* or ((a*){{2}}b)*, which this regex engine cannot \
                     run without exhausting memory. Rewrite the inner repeat so that it always \
                     reads something, e.g. (a*)* as a*",
                    self.source
                ),
            ));
        }
        let Some(max) = self.max_subject else {
            return Ok(());
        };
        if s.len() <= max {
            return Ok(());
        }
        let n = s.chars().count();
        if n <= max {
            return Ok(());
        }
        let (what, advice) = match &self.picture {
            None => (format!("Regular expression {}", self.source), None),
            Some(p) => (
                format!("Date/time picture {p:?} (read as {})", self.source),
                Some(
                    "Give markers that stand next to each other a width, e.g. [Y0001][M01][D01] \
                     rather than [Y][M][D]",
                ),
            ),
        };
        if let Ambiguity::Polynomial { degree, anchored } = self.verdict {
            return Err(err(
                "D1005",
                format!(
                    "{what} can backtrack polynomially ({degree} repeats in a row can read the \
                     same text, so a failing match takes time growing as the string's length to \
                     the power {}): it is run only on strings of up to {max} characters, and \
                     this one has {n}. {}",
                    power(degree, anchored),
                    advice.unwrap_or(
                        "Rewrite it so that neighbouring repeats cannot read the same \
                         characters, e.g. .*,.*x as [^,]*,[^,]*x or a*a*b as a*b"
                    )
                ),
            ));
        }
        Err(err(
            "D1005",
            format!(
                "{what} can backtrack catastrophically (a repeated part can match the same text in \
                 more than one way, so a failing match takes time exponential in the string's \
                 length): it is run only on strings of up to {max} characters, and this one has \
                 {n}. {}",
                advice.unwrap_or(
                    "Rewrite it so that no repeated part overlaps itself, e.g. (a+)+ as a+"
                )
            ),
        ))
    }
}

/// One match: byte range of the whole match and of each capture group (`None`: the group did not
/// take part). Offsets are byte offsets into the searched text, on char boundaries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    pub groups: Vec<Option<(usize, usize)>>,
}

/// A regex compiled by a [`RegexEngine`].
pub trait CompiledRegex: Send + Sync + fmt::Debug {
    /// Searches `text` from byte offset `from` (a char boundary) and hands each match to `each`;
    /// while `each` returns true, the next search starts where the match ended (as JavaScript's
    /// `exec` with the `g` flag and `lastIndex`: an empty match is found again at the same place).
    fn search(&self, text: &str, from: usize, each: &mut dyn FnMut(Found) -> bool);
}

/// Compiles JSONata regexes: JavaScript syntax and semantics without the `u` flag.
pub trait RegexEngine: Send + Sync {
    /// `pattern` with `flags` (JSONata allows `i` and `m`); `Err` is the engine's message.
    fn compile(&self, pattern: &str, flags: &str) -> Result<Arc<dyn CompiledRegex>, String>;
}

static ENGINE: OnceLock<&'static dyn RegexEngine> = OnceLock::new();

/// Makes `engine` compile every JSONata regex of this process from now on (the playground gives
/// JavaScript's `RegExp`). Only the first call counts: it returns false when an engine was already
/// set, so that regexes compiled before never mix with another engine's.
pub fn set_regex_engine(engine: &'static dyn RegexEngine) -> bool {
    ENGINE.set(engine).is_ok()
}

fn engine() -> Option<&'static dyn RegexEngine> {
    if let Some(e) = ENGINE.get() {
        return Some(*e);
    }
    #[cfg(feature = "regress")]
    {
        Some(&regress_engine::Regress)
    }
    #[cfg(not(feature = "regress"))]
    {
        None
    }
}

/// Compiles with the registered engine (or `regress`); `code` is the error code for a bad pattern.
fn compile_with(
    pattern: &str,
    flags: &str,
    (code, what): (&'static str, &str),
) -> JResult<Arc<dyn CompiledRegex>> {
    let Some(engine) = engine() else {
        return Err(err(
            code,
            format!("{what}: no regular expression engine in this build"),
        ));
    };
    engine
        .compile(pattern, flags)
        .map_err(|e| err(code, format!("{what}: {e}")))
}

/// The first match of `pattern` (flags `i`), built from the date/time `picture` for
/// `$toMillis`; `D3110` when it does not compile. Guarded as literals are, for polynomial
/// backtracking: markers without a width next to each other (`[Y1][M1][D1]`, `^([0-9]+)([0-9]+)([0-9]+)$`) backtrack
/// polynomially: `$toMillis` on 60 digits with five of them took 28 s (a debug build).
pub(crate) fn first_of_picture(picture: &str, pattern: &str, text: &str) -> JResult<Option<Found>> {
    let re = guarded(
        pattern,
        "i",
        ("D3110", "Invalid date/time picture"),
        Some(picture),
    )?;
    // Only the polynomial limit: a words marker (`[Dw]`) reads as a loop over 60-odd number
    // words, which the analysis over-approximates as exponentially ambiguous; limiting it would
    // refuse the official suite's `[Dw] [MNn] [Yw]` on its 23 to 47 characters.
    if let Ambiguity::Polynomial { .. } = re.verdict {
        re.guard(text)?;
    }
    Ok(first(&*re.re, text))
}

fn first(re: &dyn CompiledRegex, s: &str) -> Option<Found> {
    let mut out = None;
    re.search(s, 0, &mut |f| {
        out = Some(f);
        false
    });
    out
}

/// `text` with JavaScript regex syntax characters escaped, to match it literally.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '^' | '$' | '.' | '|' | '?' | '*' | '+' | '(' | ')' | '[' | ']' | '{' | '}'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The matches JSONata's matcher protocol yields, up to `limit`.
pub(crate) fn matches(re: &Regex, s: &str, limit: Option<usize>) -> JResult<Vec<Found>> {
    re.guard(s)?;
    let re = &*re.re;
    let mut out: Vec<Found> = Vec::new();
    if limit == Some(0) {
        return Ok(out);
    }
    let mut zero_length = false;
    re.search(s, 0, &mut |found| {
        if !out.is_empty() && found.start == found.end {
            zero_length = true;
            return false;
        }
        let end = found.end;
        out.push(found);
        limit.is_none_or(|l| out.len() < l) && end < s.len()
    });
    if zero_length {
        return Err(err(
            "D1004",
            "Regular expression matches zero length string",
        ));
    }
    Ok(out)
}

/// UTF-16 offset of byte offset `b` in `s`.
pub(crate) fn utf16_offset(s: &str, b: usize) -> usize {
    let prefix = s.get(..b).unwrap_or(s);
    if prefix.is_ascii() {
        return prefix.len();
    }
    prefix.encode_utf16().count()
}

/// The object the regex matcher returns for one match (`match`, `start`, `end`, `groups`).
pub(crate) fn match_object<'a>(s: &str, f: &Found) -> JV<'a> {
    let mut o = Object::with_capacity(4);
    o.push_unique("match".into(), Value::string(&s[f.start..f.end]));
    o.push_unique(
        "start".into(),
        Value::from_i64(utf16_offset(s, f.start) as i64),
    );
    o.push_unique("end".into(), Value::from_i64(utf16_offset(s, f.end) as i64));
    o.push_unique("groups".into(), groups_value(s, f));
    JV::DObj(Arc::new(o))
}

pub(crate) fn groups_value(s: &str, f: &Found) -> Value {
    Value::array(
        f.groups
            .iter()
            .map(|g| match g {
                Some((a, b)) => Value::string(&s[*a..*b]),
                None => Value::string(""),
            })
            .collect(),
    )
}

/// Calling a regex literal as a function: the first match, or undefined.
pub(crate) fn first_match<'a>(re: &Regex, s: &str) -> JResult<Option<JV<'a>>> {
    re.guard(s)?;
    Ok(first(&*re.re, s).map(|f| match_object(s, &f)))
}

/// The `regress` crate as the engine (native builds, the JS API).
#[cfg(feature = "regress")]
mod regress_engine {
    use std::sync::Arc;

    use super::{CompiledRegex, Found, RegexEngine};

    pub(super) struct Regress;

    #[derive(Debug)]
    struct Compiled(regress::Regex);

    impl RegexEngine for Regress {
        fn compile(&self, pattern: &str, flags: &str) -> Result<Arc<dyn CompiledRegex>, String> {
            regress::Regex::with_flags(pattern, flags)
                .map(|re| Arc::new(Compiled(re)) as Arc<dyn CompiledRegex>)
                .map_err(|e| e.to_string())
        }
    }

    impl CompiledRegex for Compiled {
        fn search(&self, text: &str, mut from: usize, each: &mut dyn FnMut(Found) -> bool) {
            while from <= text.len() {
                let Some(m) = self.0.find_from(text, from).next() else {
                    return;
                };
                let found = Found {
                    start: m.start(),
                    end: m.end(),
                    groups: m
                        .groups()
                        .skip(1)
                        .map(|g| g.map(|r| (r.start, r.end)))
                        .collect(),
                };
                from = found.end;
                if !each(found) {
                    return;
                }
            }
        }
    }
}
