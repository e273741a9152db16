//! JSONata's built-in functions (2.0.6, all but `$eval`) and AWS Step Functions' additions.
//!
//! Owns the table of built-ins (name, signature, arity) and the dispatch; the functions live in
//! groups: [`string`], [`numeric`], [`array`], [`object`], [`hof`] (higher-order), [`datetime`]
//! and [`aws`]. Arguments arrive validated against the signature (see
//! [`super::signature`]).

pub(crate) mod array;
pub(crate) mod aws;
pub(crate) mod datetime;
pub(crate) mod hof;
pub(crate) mod numeric;
pub(crate) mod object;
pub(crate) mod string;

use std::sync::OnceLock;

use super::error::JResult;
use super::eval::Evaluator;
use super::jv::{Env, JV, Seq, Val};
use super::signature::Signature;

macro_rules! builtins {
    ($( $variant:ident = $name:literal, $sig:literal, $arity:literal; )*) => {
        /// A built-in function.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub(crate) enum Builtin { $( $variant, )* }

        const TABLE: &[(Builtin, &str, &str, usize)] = &[ $( (Builtin::$variant, $name, $sig, $arity), )* ];

        /// The built-in called `name` (a `match`, which compiles to length-then-bytes tests).
        pub(crate) fn lookup_builtin(name: &str) -> Option<Builtin> {
            match name {
                $( $name => Some(Builtin::$variant), )*
                _ => None,
            }
        }
    };
}

builtins! {
    Sum = "sum", "<a<n>:n>", 1;
    Count = "count", "<a:n>", 1;
    Max = "max", "<a<n>:n>", 1;
    Min = "min", "<a<n>:n>", 1;
    Average = "average", "<a<n>:n>", 1;
    String = "string", "<x-b?:s>", 1;
    Substring = "substring", "<s-nn?:s>", 3;
    SubstringBefore = "substringBefore", "<s-s:s>", 2;
    SubstringAfter = "substringAfter", "<s-s:s>", 2;
    Lowercase = "lowercase", "<s-:s>", 1;
    Uppercase = "uppercase", "<s-:s>", 1;
    Length = "length", "<s-:n>", 1;
    Trim = "trim", "<s-:s>", 1;
    Pad = "pad", "<s-ns?:s>", 3;
    Match = "match", "<s-f<s:o>n?:a<o>>", 3;
    Contains = "contains", "<s-(sf):b>", 2;
    Replace = "replace", "<s-(sf)(sf)n?:s>", 4;
    Split = "split", "<s-(sf)n?:a<s>>", 3;
    Join = "join", "<a<s>s?:s>", 2;
    FormatNumber = "formatNumber", "<n-so?:s>", 3;
    FormatBase = "formatBase", "<n-n?:s>", 2;
    FormatInteger = "formatInteger", "<n-s:s>", 2;
    ParseInteger = "parseInteger", "<s-s:n>", 2;
    Number = "number", "<(nsb)-:n>", 1;
    Floor = "floor", "<n-:n>", 1;
    Ceil = "ceil", "<n-:n>", 1;
    Round = "round", "<n-n?:n>", 2;
    Abs = "abs", "<n-:n>", 1;
    Sqrt = "sqrt", "<n-:n>", 1;
    Power = "power", "<n-n:n>", 2;
    Random = "random", "<n?:n>", 0;
    Boolean = "boolean", "<x-:b>", 1;
    Not = "not", "<x-:b>", 1;
    Map = "map", "<af>", 2;
    Zip = "zip", "<a+>", 0;
    Filter = "filter", "<af>", 2;
    Single = "single", "<af?>", 2;
    Reduce = "reduce", "<afj?:j>", 3;
    Sift = "sift", "<o-f?:o>", 2;
    Keys = "keys", "<x-:a<s>>", 1;
    Lookup = "lookup", "<x-s:x>", 2;
    Append = "append", "<xx:a>", 2;
    Exists = "exists", "<x:b>", 1;
    Spread = "spread", "<x-:a<o>>", 1;
    Merge = "merge", "<a<o>:o>", 1;
    Reverse = "reverse", "<a:a>", 1;
    Each = "each", "<o-f:a>", 2;
    Error = "error", "<s?:x>", 1;
    Assert = "assert", "<bs?:x>", 2;
    Type = "type", "<x:s>", 1;
    Sort = "sort", "<af?:a>", 2;
    Shuffle = "shuffle", "<a:a>", 1;
    Distinct = "distinct", "<x:x>", 1;
    Base64Encode = "base64encode", "<s-:s>", 1;
    Base64Decode = "base64decode", "<s-:s>", 1;
    EncodeUrlComponent = "encodeUrlComponent", "<s-:s>", 1;
    EncodeUrl = "encodeUrl", "<s-:s>", 1;
    DecodeUrlComponent = "decodeUrlComponent", "<s-:s>", 1;
    DecodeUrl = "decodeUrl", "<s-:s>", 1;
    ToMillis = "toMillis", "<s-s?:n>", 2;
    FromMillis = "fromMillis", "<n-s?s?:s>", 3;
    Clone = "clone", "<(oa)-:o>", 1;
    Now = "now", "<s?s?:s>", 2;
    Millis = "millis", "<:n>", 0;
    Partition = "partition", "<a<j>n:a>", 2;
    Range = "range", "<nnn?:a>", 3;
    Hash = "hash", "<ss?:s>", 2;
    Uuid = "uuid", "<:s>", 0;
    Parse = "parse", "<s-:j>", 1;
}

impl Builtin {
    /// The parameter count JavaScript reports for the function (`Function.length`).
    pub fn arity(self) -> usize {
        TABLE[self as usize].3
    }
}

pub(crate) fn signature(b: Builtin) -> &'static Signature {
    static SIGS: OnceLock<Vec<Signature>> = OnceLock::new();
    let sigs = SIGS.get_or_init(|| {
        TABLE
            .iter()
            // Every signature in the table parses (a unit test checks it).
            .map(|t| Signature::parse(t.2).unwrap_or_else(|_| Signature::empty()))
            .collect()
    });
    &sigs[b as usize]
}

/// `fn.append`: undefined-absorbing concatenation into an array.
pub(crate) fn append<'a>(a: Val<'a>, b: Val<'a>) -> Val<'a> {
    let Some(a) = a else { return b };
    let Some(b) = b else { return Some(a) };
    let mut items = if a.is_array() { a.to_vec() } else { vec![a] };
    if b.is_array() {
        items.extend(b.items());
    } else {
        items.push(b);
    }
    Some(JV::array(items))
}

pub(crate) fn arg<'a>(args: &[Val<'a>], i: usize) -> Val<'a> {
    args.get(i).cloned().flatten()
}

pub(crate) fn str_arg<'a>(args: &'a [Val], i: usize) -> Option<&'a str> {
    match args.get(i) {
        Some(Some(JV::Str(s))) => Some(s),
        _ => None,
    }
}

pub(crate) fn num_arg(args: &[Val], i: usize) -> Option<f64> {
    match args.get(i) {
        Some(Some(JV::Num(n))) => Some(*n),
        _ => None,
    }
}

pub(crate) fn seq<'a>(items: Vec<JV<'a>>) -> JResult<Val<'a>> {
    Ok(Some(Seq::seq_with(items).into_jv()))
}

pub(crate) fn call<'a>(
    ev: &mut Evaluator<'a, '_>,
    b: Builtin,
    args: Vec<Val<'a>>,
    input: &Val<'a>,
    env: &Env<'a>,
) -> JResult<Val<'a>> {
    use Builtin as B;
    match b {
        B::Sum | B::Count | B::Max | B::Min | B::Average => numeric::aggregate(b, &args),
        B::String
        | B::Substring
        | B::SubstringBefore
        | B::SubstringAfter
        | B::Lowercase
        | B::Uppercase
        | B::Length
        | B::Trim
        | B::Pad
        | B::Join
        | B::Base64Encode
        | B::Base64Decode
        | B::EncodeUrlComponent
        | B::EncodeUrl
        | B::DecodeUrlComponent
        | B::DecodeUrl => string::call(b, &args),
        B::Match | B::Contains | B::Replace | B::Split => {
            string::call_regex(ev, b, args, input, env)
        }
        B::FormatNumber
        | B::FormatBase
        | B::FormatInteger
        | B::ParseInteger
        | B::Number
        | B::Floor
        | B::Ceil
        | B::Round
        | B::Abs
        | B::Sqrt
        | B::Power => numeric::call(b, &args),
        B::Random => aws::random(ev, &args),
        B::Boolean => Ok(arg(&args, 0).map(|v| JV::Bool(super::jv::truthy(&v)))),
        B::Not => Ok(arg(&args, 0).map(|v| JV::Bool(!super::jv::truthy(&v)))),
        B::Map | B::Filter | B::Single | B::Reduce | B::Sift | B::Each | B::Sort => {
            hof::call(ev, b, args, input, env)
        }
        B::Zip | B::Append | B::Reverse | B::Shuffle | B::Distinct | B::Exists => {
            array::call(ev, b, args)
        }
        B::Keys | B::Lookup | B::Spread | B::Merge | B::Error | B::Assert | B::Type | B::Clone => {
            object::call(b, args)
        }
        B::ToMillis | B::FromMillis | B::Now | B::Millis => datetime::call(ev, b, &args),
        B::Partition | B::Range | B::Hash | B::Uuid | B::Parse => aws::call(ev, b, &args),
    }
}

#[cfg(test)]
mod tests {
    use super::{Signature, TABLE};

    #[test]
    fn every_builtin_signature_parses() {
        for t in TABLE {
            assert!(Signature::parse(t.2).is_ok(), "{}", t.1);
        }
    }
}
