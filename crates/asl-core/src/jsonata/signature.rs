//! Function signatures (`<s-n?:s>`): parsing and argument validation, as JSONata does it.
//!
//! Owns the type symbols (`b n s l a o f j x u`, `(…)` choices, `a<n>` subtypes), the modifiers
//! (`?` optional, `+` one or more, `-` the context when missing) and the errors T0410/T0411/T0412.
//! JSONata compiles a signature into a regex over one letter per argument; this does the same
//! match with a small backtracking matcher (no regex needed per call).

use super::error::{JResult, JsonataError, err};
use super::jv::{JV, Val};
use crate::value::Value;

#[derive(Clone, Debug, PartialEq)]
enum Quant {
    One,
    Opt,
    Plus,
}

#[derive(Clone, Debug)]
struct Param {
    /// Letters accepted for this argument (`m` = missing/undefined).
    allowed: String,
    kind: char,
    quant: Quant,
    context: bool,
    subtype: Option<String>,
}

#[derive(Clone, Debug)]
pub(crate) struct Signature {
    params: Vec<Param>,
}

fn symbol(v: &Val) -> char {
    v.as_ref().map_or('m', item_symbol)
}

fn item_symbol(v: &JV) -> char {
    match v {
        JV::Func(_) => 'f',
        JV::Str(_) => 's',
        JV::Num(_) => 'n',
        JV::Bool(_) => 'b',
        JV::Null => 'l',
        JV::Arr(_) | JV::DArr(_) => 'a',
        JV::Obj(_) | JV::DObj(_) => 'o',
    }
}

/// [`symbol`] of an item of a shared array (read in place, not made a `JV` first).
fn value_symbol(v: &Value) -> char {
    match v {
        Value::String(_) => 's',
        Value::Number(_) => 'n',
        Value::Bool(_) => 'b',
        Value::Null => 'l',
        Value::Array(_) => 'a',
        Value::Object(_) => 'o',
    }
}

/// Whether the items (at least one) are all of the first item's type, which `subtype` allows.
fn same_symbol(subtype: &str, mut syms: impl Iterator<Item = char>) -> bool {
    let Some(first) = syms.next() else {
        return true;
    };
    subtype.starts_with(first) && syms.all(|s| s == first)
}

impl Signature {
    /// A signature with no parameters.
    pub fn empty() -> Signature {
        Signature { params: Vec::new() }
    }

    /// Parses `<…>`; errors carry the offset in the signature text.
    pub fn parse(sig: &str) -> JResult<Signature> {
        let chars: Vec<char> = sig.chars().collect();
        let mut params: Vec<Param> = Vec::new();
        let mut i = 1;
        let simple = |allowed: &str, kind: char| Param {
            allowed: allowed.to_string(),
            kind,
            quant: Quant::One,
            context: false,
            subtype: None,
        };
        while i < chars.len() {
            let c = chars[i];
            if c == ':' {
                break;
            }
            match c {
                's' | 'n' | 'b' | 'l' | 'o' => params.push(simple(&format!("{c}m"), c)),
                'a' => params.push(simple("asnblfom", 'a')),
                'f' => params.push(simple("f", 'f')),
                'j' => params.push(simple("asnblom", 'j')),
                'x' => params.push(simple("asnblfom", 'x')),
                'u' => params.push(simple("bnslm", 'u')),
                '-' => {
                    if let Some(p) = params.last_mut() {
                        p.context = true;
                        p.quant = Quant::Opt;
                    }
                }
                '?' => {
                    if let Some(p) = params.last_mut() {
                        p.quant = Quant::Opt;
                    }
                }
                '+' => {
                    if let Some(p) = params.last_mut() {
                        p.quant = Quant::Plus;
                    }
                }
                '(' => {
                    let end = closing(&chars, i, '(', ')');
                    let choice: String = chars[i + 1..end].iter().collect();
                    if choice.contains('<') {
                        return Err(err(
                            "S0402",
                            "Choice groups containing parameterized types are not supported",
                        )
                        .at(i));
                    }
                    let mut allowed = String::new();
                    for ch in choice.chars() {
                        match ch {
                            'j' => allowed.push_str("asnblom"),
                            'x' => allowed.push_str("asnblfom"),
                            'u' => allowed.push_str("bnsl"),
                            c => allowed.push(c),
                        }
                    }
                    allowed.push('m');
                    params.push(Param {
                        allowed,
                        kind: '(',
                        quant: Quant::One,
                        context: false,
                        subtype: None,
                    });
                    i = end;
                }
                '<' => {
                    let Some(prev) = params.last_mut().filter(|p| p.kind == 'a' || p.kind == 'f')
                    else {
                        return Err(err(
                            "S0401",
                            "Type parameters can only be applied to functions and arrays",
                        )
                        .at(i));
                    };
                    let end = closing(&chars, i, '<', '>');
                    prev.subtype = Some(chars[i + 1..end].iter().collect());
                    i = end;
                }
                _ => {}
            }
            i += 1;
        }
        Ok(Signature { params })
    }

    /// Checks `args` against the signature; fills in the context for a `-` parameter and wraps a
    /// single value given for an array parameter.
    pub fn validate<'a>(&self, mut args: Vec<Val<'a>>, context: &Val<'a>) -> JResult<Vec<Val<'a>>> {
        // Small calls (nearly all) work in fixed buffers, without allocating.
        const SMALL: usize = 8;
        let mut sym_buf = ['m'; SMALL];
        let mut count_buf = [0usize; SMALL];
        let (syms_vec, mut counts_vec);
        let syms: &[char] = if args.len() <= SMALL {
            for (slot, a) in sym_buf.iter_mut().zip(&args) {
                *slot = symbol(a);
            }
            &sym_buf[..args.len()]
        } else {
            syms_vec = args.iter().map(symbol).collect::<Vec<char>>();
            &syms_vec
        };
        let counts: &mut [usize] = if self.params.len() <= SMALL {
            &mut count_buf[..self.params.len()]
        } else {
            counts_vec = vec![0usize; self.params.len()];
            &mut counts_vec
        };
        let matched = self.matches(syms, 0, 0, counts);
        // The usual case: one argument per parameter, none to wrap: the arguments as they are.
        if matched
            && args.len() == self.params.len()
            && counts.iter().all(|&c| c == 1)
            && self
                .params
                .iter()
                .zip(syms)
                .all(|(p, &s)| p.kind != 'a' || (s == 'a' && p.subtype.is_none()))
        {
            return Ok(args);
        }
        let counts: &[usize] = counts;
        if !matched {
            // Find how far the arguments match, as JSONata reports it.
            let mut good = 0;
            for (pi, p) in self.params.iter().enumerate() {
                let mut partial = vec![0usize; pi + 1];
                let prefix = Signature {
                    params: self.params[..=pi].to_vec(),
                };
                match prefix.longest_prefix(syms, &mut partial) {
                    Some(n) => good = n,
                    None => break,
                }
                let _ = p;
            }
            let value = args.get(good).cloned().flatten();
            return Err(err(
                "T0410",
                format!(
                    "Argument {} of function {{{{token}}}} does not match function signature",
                    good + 1
                ),
            )
            .with_value(value, good + 1));
        }
        let mut out = Vec::with_capacity(self.params.len());
        let mut ai = 0;
        for (p, &n) in self.params.iter().zip(counts) {
            if n == 0 {
                if p.context {
                    let sym = symbol(context);
                    if p.allowed.contains(sym) && sym != 'm'
                        || (sym == 'm' && p.allowed.contains('m'))
                    {
                        out.push(context.clone());
                    } else {
                        return Err(err(
                            "T0411",
                            format!(
                                "Context value is not a compatible type with argument {} of function {{{{token}}}}",
                                ai + 1
                            ),
                        )
                        .with_value(context.clone(), ai + 1));
                    }
                } else {
                    // An optional parameter not given is simply absent.
                    out.push(None);
                }
                continue;
            }
            for _ in 0..n {
                let arg = std::mem::take(&mut args[ai]);
                let sym = syms[ai];
                if p.kind == 'a' {
                    if sym == 'm' {
                        out.push(None);
                    } else {
                        let mut ok = true;
                        if let Some(sub) = &p.subtype {
                            if sym != 'a' {
                                ok = sub.starts_with(sym);
                            } else if sub == "j" || sub == "x" {
                                // Any item type (AWS's `$partition`).
                                ok = true;
                            } else if let Some(v) = &arg
                                && v.arr_len() > 0
                            {
                                ok = match v {
                                    JV::Arr(s) => same_symbol(sub, s.items.iter().map(item_symbol)),
                                    JV::DArr(a) => same_symbol(sub, a.iter().map(value_symbol)),
                                    _ => true,
                                };
                            }
                        }
                        if !ok {
                            // JSONata prints the type name as JSON (`undefined` when unknown).
                            let ty = match p.subtype.as_deref() {
                                Some("a") => "\"arrays\"",
                                Some("b") => "\"booleans\"",
                                Some("f") => "\"functions\"",
                                Some("n") => "\"numbers\"",
                                Some("o") => "\"objects\"",
                                Some("s") => "\"strings\"",
                                _ => "undefined",
                            };
                            return Err(err(
                                "T0412",
                                format!("Argument {} of function {{{{token}}}} must be an array of {ty}", ai + 1),
                            )
                            .with_value(arg, ai + 1));
                        }
                        if sym != 'a' {
                            out.push(arg.map(|v| JV::array(vec![v])));
                        } else {
                            out.push(arg);
                        }
                    }
                } else {
                    out.push(arg);
                }
                ai += 1;
            }
        }
        Ok(out)
    }

    fn matches(&self, syms: &[char], pi: usize, si: usize, counts: &mut [usize]) -> bool {
        if pi == self.params.len() {
            return si == syms.len();
        }
        let p = &self.params[pi];
        let accepts = |c: char| p.allowed.contains(c);
        match p.quant {
            Quant::One => {
                if si < syms.len() && accepts(syms[si]) {
                    counts[pi] = 1;
                    if self.matches(syms, pi + 1, si + 1, counts) {
                        return true;
                    }
                }
                false
            }
            Quant::Opt => {
                if si < syms.len() && accepts(syms[si]) {
                    counts[pi] = 1;
                    if self.matches(syms, pi + 1, si + 1, counts) {
                        return true;
                    }
                }
                counts[pi] = 0;
                self.matches(syms, pi + 1, si, counts)
            }
            Quant::Plus => {
                let mut n = 0;
                while si + n < syms.len() && accepts(syms[si + n]) {
                    n += 1;
                }
                while n >= 1 {
                    counts[pi] = n;
                    if self.matches(syms, pi + 1, si + n, counts) {
                        return true;
                    }
                    n -= 1;
                }
                false
            }
        }
    }

    /// Longest match of the parameters (no end anchor): how many arguments they consume.
    fn longest_prefix(&self, syms: &[char], counts: &mut [usize]) -> Option<usize> {
        (0..=syms.len())
            .rev()
            .find(|&end| self.matches(&syms[..end], 0, 0, counts))
    }
}

fn closing(chars: &[char], start: usize, open: char, close: char) -> usize {
    let mut depth = 1;
    let mut i = start;
    while i + 1 < chars.len() {
        i += 1;
        if chars[i] == open {
            depth += 1;
        } else if chars[i] == close {
            depth -= 1;
            if depth == 0 {
                return i;
            }
        }
    }
    i
}

impl JsonataError {
    /// Notes the offending argument (for messages) — JSONata's `value` and `index`.
    pub(crate) fn with_value(self: Box<Self>, _value: Val, _index: usize) -> Box<Self> {
        self
    }
}
