//! Integer pictures (XPath F&O 4.6) as JSONata implements them, for `$formatInteger`,
//! `$parseInteger` and the integer components of date/time pictures: decimal digit patterns in any
//! Unicode digit family with grouping separators, letters, roman numerals, English words, and
//! the `;o` ordinal modifier. Parsing goes through a regex built from the picture, as JSONata's.

use super::error::{JResult, err};

const FEW: [&str; 20] = [
    "Zero",
    "One",
    "Two",
    "Three",
    "Four",
    "Five",
    "Six",
    "Seven",
    "Eight",
    "Nine",
    "Ten",
    "Eleven",
    "Twelve",
    "Thirteen",
    "Fourteen",
    "Fifteen",
    "Sixteen",
    "Seventeen",
    "Eighteen",
    "Nineteen",
];
const ORDINALS: [&str; 20] = [
    "Zeroth",
    "First",
    "Second",
    "Third",
    "Fourth",
    "Fifth",
    "Sixth",
    "Seventh",
    "Eighth",
    "Ninth",
    "Tenth",
    "Eleventh",
    "Twelfth",
    "Thirteenth",
    "Fourteenth",
    "Fifteenth",
    "Sixteenth",
    "Seventeenth",
    "Eighteenth",
    "Nineteenth",
];
const DECADES: [&str; 8] = [
    "Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety",
];
const MAGNITUDES: [&str; 4] = ["Thousand", "Million", "Billion", "Trillion"];

/// Zero code points of the Unicode decimal digit families.
const DECIMAL_GROUPS: [u32; 37] = [
    0x30, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6,
    0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80,
    0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0,
    0xFF10,
];

/// English words for `n`, capitalised (JSONata's `numberToWords`; callers change the case).
pub(crate) fn words(n: f64, ordinal: bool) -> String {
    fn lookup(num: f64, prev: bool, ord: bool) -> String {
        if num <= 19.0 {
            let i = num as usize;
            return format!(
                "{}{}",
                if prev { " and " } else { "" },
                if ord { ORDINALS[i] } else { FEW[i] }
            );
        }
        if num < 100.0 {
            let tens = (num / 10.0).floor() as usize;
            let rem = num % 10.0;
            let mut w = format!("{}{}", if prev { " and " } else { "" }, DECADES[tens - 2]);
            if rem > 0.0 {
                w.push('-');
                w.push_str(&lookup(rem, false, ord));
            } else if ord {
                w.pop();
                w.push_str("ieth");
            }
            return w;
        }
        if num < 1000.0 {
            let hundreds = (num / 100.0).floor() as usize;
            let rem = num % 100.0;
            let mut w = format!("{}{} Hundred", if prev { ", " } else { "" }, FEW[hundreds]);
            if rem > 0.0 {
                w.push_str(&lookup(rem, true, ord));
            } else if ord {
                w.push_str("th");
            }
            return w;
        }
        let mag = ((num.log10() / 3.0).floor() as usize).clamp(1, MAGNITUDES.len());
        let factor = 10f64.powi(mag as i32 * 3);
        let mant = (num / factor).floor();
        let rem = num - mant * factor;
        let mut w = format!(
            "{}{} {}",
            if prev { ", " } else { "" },
            lookup(mant, false, false),
            MAGNITUDES[mag - 1]
        );
        if rem > 0.0 {
            w.push_str(&lookup(rem, true, ord));
        } else if ord {
            w.push_str("th");
        }
        w
    }
    lookup(n, false, ordinal)
}

fn word_value(w: &str) -> Option<f64> {
    let eq = |x: &str| x.eq_ignore_ascii_case(w);
    if let Some(i) = FEW.iter().position(|x| eq(x)) {
        return Some(i as f64);
    }
    if let Some(i) = ORDINALS.iter().position(|x| eq(x)) {
        return Some(i as f64);
    }
    for (i, d) in DECADES.iter().enumerate() {
        if eq(d) || eq(&format!("{}ieth", &d[..d.len() - 1])) {
            return Some((i as f64 + 2.0) * 10.0);
        }
    }
    if eq("hundred") || eq("hundredth") {
        return Some(100.0);
    }
    for (i, m) in MAGNITUDES.iter().enumerate() {
        if eq(m) || eq(&format!("{m}th")) {
            return Some(10f64.powi((i as i32 + 1) * 3));
        }
    }
    None
}

/// JSONata's `wordsToNumber`.
fn words_to_number(text: &str) -> f64 {
    let lower = crate::text::to_lowercase(text);
    let mut parts: Vec<String> = Vec::new();
    for a in lower.split(", ") {
        for b in a.split(" and ") {
            for c in b.split([' ', '-']) {
                parts.push(c.to_string());
            }
        }
    }
    let mut segs: Vec<f64> = vec![0.0];
    for p in parts {
        let Some(value) = word_value(&p) else {
            segs.push(f64::NAN);
            continue;
        };
        if value < 100.0 {
            let mut top = segs.pop().unwrap_or(0.0);
            if top >= 1000.0 {
                segs.push(top);
                top = 0.0;
            }
            segs.push(top + value);
        } else {
            let top = segs.pop().unwrap_or(0.0);
            segs.push(top * value);
        }
    }
    segs.iter().sum()
}

fn roman(mut n: u64) -> String {
    const R: [(u64, &str); 13] = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut out = String::new();
    for (v, s) in R {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    out
}

fn roman_value(text: &str) -> f64 {
    let val = |c: char| match c.to_ascii_uppercase() {
        'I' => 1,
        'V' => 5,
        'X' => 10,
        'L' => 50,
        'C' => 100,
        'D' => 500,
        'M' => 1000,
        _ => 0,
    };
    let cs: Vec<i64> = text.chars().map(val).collect();
    let mut n = 0i64;
    for (i, &v) in cs.iter().enumerate() {
        if cs.get(i + 1).is_some_and(|&next| next > v) {
            n -= v;
        } else {
            n += v;
        }
    }
    n as f64
}

fn letters(mut n: u64, base: char) -> String {
    let mut out = Vec::new();
    while n > 0 {
        n -= 1;
        out.push(char::from_u32(base as u32 + (n % 26) as u32).unwrap_or(base));
        n /= 26;
    }
    out.iter().rev().collect()
}

fn letters_value(text: &str, base: char) -> f64 {
    let mut n = 0.0;
    for c in text.chars() {
        n = n * 26.0 + (c as u32 as f64 - base as u32 as f64 + 1.0);
    }
    n
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Case {
    Lower,
    Upper,
    Title,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Primary {
    Decimal,
    Letters,
    Roman,
    Words,
    Sequence(String),
}

#[derive(Clone, Debug)]
pub(crate) struct IntFormat {
    pub primary: Primary,
    pub case: Case,
    pub ordinal: bool,
    pub zero: u32,
    pub mandatory: usize,
    pub optional: usize,
    /// Regular grouping: every `n` digits, this character.
    pub regular: Option<(usize, char)>,
    /// Irregular grouping: (position from the right, character).
    pub separators: Vec<(usize, char)>,
    /// Fixed width of a date component (`n` in F&O 9.8.4.2), when known.
    pub width: Option<usize>,
}

/// JSONata's `analyseIntegerPicture`.
pub(crate) fn analyse(picture: &str) -> JResult<IntFormat> {
    let mut f = IntFormat {
        primary: Primary::Decimal,
        case: Case::Lower,
        ordinal: false,
        zero: 0x30,
        mandatory: 0,
        optional: 0,
        regular: None,
        separators: Vec::new(),
        width: None,
    };
    let primary = match picture.rfind(';') {
        Some(i) => {
            f.ordinal = picture[i + 1..].starts_with('o');
            &picture[..i]
        }
        None => picture,
    };
    match primary {
        "A" => {
            f.case = Case::Upper;
            f.primary = Primary::Letters;
        }
        "a" => f.primary = Primary::Letters,
        "I" => {
            f.case = Case::Upper;
            f.primary = Primary::Roman;
        }
        "i" => f.primary = Primary::Roman,
        "W" => {
            f.case = Case::Upper;
            f.primary = Primary::Words;
        }
        "Ww" => {
            f.case = Case::Title;
            f.primary = Primary::Words;
        }
        "w" => f.primary = Primary::Words,
        _ => {
            let mut zero: Option<u32> = None;
            let mut position = 0;
            let mut seps = Vec::new();
            for c in primary.chars().rev() {
                let cp = c as u32;
                if let Some(&g) = DECIMAL_GROUPS.iter().find(|&&g| cp >= g && cp <= g + 9) {
                    f.mandatory += 1;
                    position += 1;
                    match zero {
                        None => zero = Some(g),
                        Some(z) if z != g => {
                            return Err(err(
                                "D3131",
                                "In a decimal digit pattern, all digits must be from the same decimal group",
                            ));
                        }
                        _ => {}
                    }
                } else if c == '#' {
                    position += 1;
                    f.optional += 1;
                } else {
                    seps.push((position, c));
                }
            }
            if f.mandatory > 0 {
                f.zero = zero.unwrap_or(0x30);
                f.regular = regular_separator(&seps);
                f.separators = seps;
            } else {
                f.primary = Primary::Sequence(primary.to_string());
            }
        }
    }
    Ok(f)
}

fn regular_separator(seps: &[(usize, char)]) -> Option<(usize, char)> {
    let first = seps.first()?;
    if seps.iter().any(|s| s.1 != first.1) {
        return None;
    }
    fn gcd(a: usize, b: usize) -> usize {
        if b == 0 { a } else { gcd(b, a % b) }
    }
    let factor = seps.iter().map(|s| s.0).fold(0, gcd);
    if factor == 0 {
        return None;
    }
    let positions: Vec<usize> = seps.iter().map(|s| s.0).collect();
    if (1..=positions.len()).all(|i| positions.contains(&(i * factor))) {
        Some((factor, first.1))
    } else {
        None
    }
}

fn sequence_error(token: &str) -> Box<super::error::JsonataError> {
    err(
        "D3130",
        format!(
            "Formatting or parsing an integer as a sequence starting with {token:?} is not supported by this implementation"
        ),
    )
}

/// JSONata's `_formatInteger`.
pub(crate) fn format(value: f64, f: &IntFormat) -> JResult<String> {
    let negative = value < 0.0;
    let value = value.abs();
    let mut s = match &f.primary {
        Primary::Letters => letters(value as u64, if f.case == Case::Upper { 'A' } else { 'a' }),
        Primary::Roman => {
            let r = roman(value as u64);
            if f.case == Case::Upper {
                r.to_ascii_uppercase()
            } else {
                r
            }
        }
        Primary::Words => {
            let w = words(value, f.ordinal);
            match f.case {
                Case::Upper => w.to_ascii_uppercase(),
                Case::Lower => w.to_ascii_lowercase(),
                Case::Title => w,
            }
        }
        Primary::Decimal => {
            let mut digits = super::jv::js_number(value);
            let len = digits.chars().count();
            if f.mandatory > len {
                digits = "0".repeat(f.mandatory - len) + &digits;
            }
            if f.zero != 0x30 {
                digits = digits
                    .chars()
                    .map(|c| {
                        if c.is_ascii_digit() {
                            char::from_u32(c as u32 - 0x30 + f.zero).unwrap_or(c)
                        } else {
                            c
                        }
                    })
                    .collect();
            }
            let mut chars: Vec<char> = digits.chars().collect();
            match f.regular {
                Some((every, sep)) => {
                    let n = (chars.len().saturating_sub(1)) / every;
                    for i in (1..=n).rev() {
                        let pos = chars.len() - i * every;
                        chars.insert(pos, sep);
                    }
                }
                None => {
                    for &(pos, sep) in f.separators.iter().rev() {
                        if pos <= chars.len() {
                            let at = chars.len() - pos;
                            chars.insert(at, sep);
                        }
                    }
                }
            }
            let mut s: String = chars.into_iter().collect();
            if f.ordinal {
                let bytes: Vec<char> = s.chars().collect();
                let last = bytes.last().copied().unwrap_or('0');
                let tens_one = bytes.len() > 1 && bytes[bytes.len() - 2] == '1';
                let suffix = match last {
                    '1' if !tens_one => "st",
                    '2' if !tens_one => "nd",
                    '3' if !tens_one => "rd",
                    _ => "th",
                };
                s.push_str(suffix);
            }
            s
        }
        Primary::Sequence(token) => return Err(sequence_error(token)),
    };
    if negative {
        s.insert(0, '-');
    }
    Ok(s)
}

/// A regex fragment matching the formatted integer, and how to read it back.
pub(crate) fn regex(f: &IntFormat) -> JResult<String> {
    let occurrences = match f.width {
        Some(n) if n > 0 => {
            if f.optional == 0 {
                format!("{{{n}}}")
            } else {
                format!("{{{},{n}}}", n.saturating_sub(f.optional))
            }
        }
        _ => "+".to_string(),
    };
    Ok(match &f.primary {
        Primary::Letters => if f.case == Case::Upper {
            "[A-Z]+"
        } else {
            "[a-z]+"
        }
        .to_string(),
        Primary::Roman => if f.case == Case::Upper {
            "[MDCLXVI]+"
        } else {
            "[mdclxvi]+"
        }
        .to_string(),
        Primary::Words => {
            let mut words: Vec<String> = vec!["and".into(), "hundred".into(), "hundredth".into()];
            for w in FEW.iter().chain(ORDINALS.iter()) {
                words.push(w.to_ascii_lowercase());
            }
            for d in DECADES {
                words.push(d.to_ascii_lowercase());
                words.push(format!("{}ieth", &d[..d.len() - 1]).to_ascii_lowercase());
            }
            for m in MAGNITUDES {
                words.push(m.to_ascii_lowercase());
                words.push(format!("{m}th").to_ascii_lowercase());
            }
            crate::sort::sort_by_key(&mut words, |w| std::cmp::Reverse(w.len()));
            format!("(?:{}|[\\-, ])+", words.join("|"))
        }
        Primary::Decimal => {
            let mut r = if f.zero == 0x30 {
                "[0-9]".to_string()
            } else {
                let z = char::from_u32(f.zero).unwrap_or('0');
                let n = char::from_u32(f.zero + 9).unwrap_or('9');
                format!("[{z}-{n}]")
            };
            if f.regular.is_some() || !f.separators.is_empty() {
                let seps: String = f
                    .separators
                    .iter()
                    .map(|s| super::regex::escape(&s.1.to_string()))
                    .collect();
                r = format!("(?:{r}|[{seps}])");
            }
            let mut r = r + &occurrences;
            if f.ordinal {
                r.push_str("(?:th|st|nd|rd)");
            }
            r
        }
        Primary::Sequence(token) => return Err(sequence_error(token)),
    })
}

/// Reads back a value matched by [`regex`].
pub(crate) fn parse_value(text: &str, f: &IntFormat) -> JResult<f64> {
    Ok(match &f.primary {
        Primary::Letters => letters_value(text, if f.case == Case::Upper { 'A' } else { 'a' }),
        Primary::Roman => roman_value(text),
        Primary::Words => words_to_number(text),
        Primary::Decimal => {
            let mut t = text.to_string();
            if f.ordinal {
                for suf in ["st", "nd", "rd", "th"] {
                    if let Some(s) = t.strip_suffix(suf) {
                        t = s.to_string();
                        break;
                    }
                }
            }
            let digits: String = t
                .chars()
                .filter_map(|c| {
                    let d = (c as u32).checked_sub(f.zero)?;
                    if d < 10 {
                        char::from_digit(d, 10)
                    } else {
                        None
                    }
                })
                .collect();
            crate::text::parse_f64(&digits).unwrap_or(f64::NAN)
        }
        Primary::Sequence(token) => return Err(sequence_error(token)),
    })
}

pub(crate) fn format_integer(value: f64, picture: &str) -> JResult<String> {
    format(value.floor(), &analyse(picture)?)
}

pub(crate) fn parse_integer(text: &str, picture: &str) -> JResult<Option<f64>> {
    let f = analyse(picture)?;
    let v = parse_value(text, &f)?;
    Ok(if v.is_nan() { None } else { Some(v) })
}
