//! Number formatting with XPath pictures, as JSONata implements F&O 3.1: `$formatNumber`
//! (decimal-format pictures, 4.7) and `$formatBase`. Integer pictures are [`super::integer`].

use super::error::{JResult, err};
use super::functions::numeric::round_half_even;
use super::jv::JV;

pub(crate) fn to_radix(v: f64, radix: u32) -> String {
    let neg = v < 0.0;
    let mut n = v.abs() as u128;
    if n == 0 {
        return "0".into();
    }
    let mut digits = Vec::new();
    while n > 0 {
        let d = (n % radix as u128) as u32;
        digits.push(std::char::from_digit(d, radix).unwrap_or('0'));
        n /= radix as u128;
    }
    if neg {
        digits.push('-');
    }
    digits.iter().rev().collect()
}

struct Props {
    decimal: char,
    grouping: char,
    exponent: char,
    minus: String,
    percent: char,
    per_mille: char,
    zero: char,
    digit: char,
    pattern_sep: char,
    infinity: String,
    nan: String,
}

#[derive(Clone)]
struct Pic {
    prefix: String,
    suffix: String,
    picture: String,
    grouping_int: Vec<usize>,
    regular: usize,
    grouping_frac: Vec<usize>,
    min_int: usize,
    scaling: usize,
    min_frac: usize,
    max_frac: usize,
    min_exp: usize,
    has_exp: bool,
}

fn first_char(v: &JV, fallback: char) -> char {
    v.as_str()
        .and_then(|s| s.chars().next())
        .unwrap_or(fallback)
}

pub(crate) fn format_number(value: f64, picture: &str, options: Option<&JV>) -> JResult<String> {
    let mut p = Props {
        decimal: '.',
        grouping: ',',
        exponent: 'e',
        minus: "-".into(),
        percent: '%',
        per_mille: '\u{2030}',
        zero: '0',
        digit: '#',
        pattern_sep: ';',
        infinity: "Infinity".into(),
        nan: "NaN".into(),
    };
    if let Some(o) = options {
        for (k, v) in o.obj_entries() {
            match &*k {
                "decimal-separator" => p.decimal = first_char(&v, p.decimal),
                "grouping-separator" => p.grouping = first_char(&v, p.grouping),
                "exponent-separator" => p.exponent = first_char(&v, p.exponent),
                "minus-sign" => p.minus = v.as_str().unwrap_or("-").to_string(),
                "percent" => p.percent = first_char(&v, p.percent),
                "per-mille" => p.per_mille = first_char(&v, p.per_mille),
                "zero-digit" => p.zero = first_char(&v, p.zero),
                "digit" => p.digit = first_char(&v, p.digit),
                "pattern-separator" => p.pattern_sep = first_char(&v, p.pattern_sep),
                "infinity" => p.infinity = v.as_str().unwrap_or("Infinity").to_string(),
                "NaN" => p.nan = v.as_str().unwrap_or("NaN").to_string(),
                _ => {}
            }
        }
    }
    let zero = p.zero as u32;
    let family: Vec<char> = (0..10).filter_map(|i| char::from_u32(zero + i)).collect();
    let is_digit = |c: char| family.contains(&c);
    let active = |c: char| {
        is_digit(c) || [p.decimal, p.exponent, p.grouping, p.digit, p.pattern_sep].contains(&c)
    };
    let subs: Vec<&str> = picture.split(p.pattern_sep).collect();
    if subs.len() > 2 {
        return Err(err(
            "D3080",
            "The format-number picture string must not contain more than one pattern separator",
        ));
    }
    let mut pics = Vec::new();
    for sub in &subs {
        let chars: Vec<char> = sub.chars().collect();
        let prefix_len = chars
            .iter()
            .position(|&c| active(c) && c != p.exponent)
            .unwrap_or(chars.len());
        let suffix_start = chars
            .iter()
            .rposition(|&c| active(c) && c != p.exponent)
            .map_or(chars.len(), |i| i + 1);
        let prefix: String = chars[..prefix_len].iter().collect();
        let suffix: String = chars[suffix_start.max(prefix_len)..].iter().collect();
        let active_part: Vec<char> = chars[prefix_len..suffix_start.max(prefix_len)].to_vec();
        let exp_pos = chars
            .iter()
            .skip(prefix_len)
            .position(|&c| c == p.exponent)
            .map(|i| i + prefix_len);
        let (mantissa, exponent): (Vec<char>, Option<Vec<char>>) = match exp_pos {
            Some(e) if e <= suffix_start => {
                let rel = e - prefix_len;
                (
                    active_part[..rel.min(active_part.len())].to_vec(),
                    Some(active_part.get(rel + 1..).unwrap_or(&[]).to_vec()),
                )
            }
            _ => (active_part.clone(), None),
        };
        let (integer, fractional): (Vec<char>, Vec<char>) =
            match mantissa.iter().position(|&c| c == p.decimal) {
                None => (mantissa.clone(), suffix.chars().collect()),
                Some(d) => (mantissa[..d].to_vec(), mantissa[d + 1..].to_vec()),
            };
        // Validation (F&O 4.7.3).
        let count = |c: char| chars.iter().filter(|&&x| x == c).count();
        let mut code: Option<&'static str> = None;
        if count(p.decimal) > 1 {
            code = Some("D3081");
        }
        if count(p.percent) > 1 {
            code = Some("D3082");
        }
        if count(p.per_mille) > 1 {
            code = Some("D3083");
        }
        if count(p.percent) > 0 && count(p.per_mille) > 0 {
            code = Some("D3084");
        }
        if !mantissa.iter().any(|&c| is_digit(c) || c == p.digit) {
            code = Some("D3085");
        }
        if active_part.iter().any(|&c| !active(c)) {
            code = Some("D3086");
        }
        let dpos = chars.iter().position(|&c| c == p.decimal);
        if let Some(d) = dpos {
            if (d > 0 && chars[d - 1] == p.grouping) || chars.get(d + 1) == Some(&p.grouping) {
                code = Some("D3087");
            }
        } else if integer.last() == Some(&p.grouping) {
            code = Some("D3088");
        }
        if chars
            .windows(2)
            .any(|w| w[0] == p.grouping && w[1] == p.grouping)
        {
            code = Some("D3089");
        }
        if let Some(o) = integer.iter().position(|&c| c == p.digit)
            && integer[..o].iter().any(|&c| is_digit(c))
        {
            code = Some("D3090");
        }
        if let Some(o) = fractional.iter().rposition(|&c| c == p.digit)
            && fractional[o..].iter().any(|&c| is_digit(c))
        {
            code = Some("D3091");
        }
        if let Some(e) = &exponent {
            if !e.is_empty() && (count(p.percent) > 0 || count(p.per_mille) > 0) {
                code = Some("D3092");
            }
            if e.is_empty() || e.iter().any(|&c| !is_digit(c)) {
                code = Some("D3093");
            }
        }
        if let Some(c) = code {
            return Err(err(c, "Invalid picture string in $formatNumber"));
        }
        // Analysis (F&O 4.7.4).
        let grouping_positions = |part: &[char], to_left: bool| -> Vec<usize> {
            let mut out = Vec::new();
            for (i, &c) in part.iter().enumerate() {
                if c == p.grouping {
                    let side: &[char] = if to_left { &part[..i] } else { &part[i..] };
                    out.push(
                        side.iter()
                            .filter(|&&x| is_digit(x) || x == p.digit)
                            .count(),
                    );
                }
            }
            out
        };
        let grouping_int = grouping_positions(&integer, false);
        let regular = {
            if grouping_int.is_empty() {
                0
            } else {
                fn gcd(a: usize, b: usize) -> usize {
                    if b == 0 { a } else { gcd(b, a % b) }
                }
                let factor = grouping_int.iter().copied().fold(0, gcd);
                if factor > 0
                    && (1..=grouping_int.len()).all(|i| grouping_int.contains(&(i * factor)))
                {
                    factor
                } else {
                    0
                }
            }
        };
        let grouping_frac = grouping_positions(&fractional, true);
        let mut min_int = integer.iter().filter(|&&c| is_digit(c)).count();
        let scaling = min_int;
        let mut min_frac = fractional.iter().filter(|&&c| is_digit(c)).count();
        let mut max_frac = fractional
            .iter()
            .filter(|&&c| is_digit(c) || c == p.digit)
            .count();
        let has_exp = exponent.is_some();
        if min_int == 0 && max_frac == 0 {
            if has_exp {
                min_frac = 1;
                max_frac = 1;
            } else {
                min_int = 1;
            }
        }
        if has_exp && min_int == 0 && integer.contains(&p.digit) {
            min_int = 1;
        }
        if min_int == 0 && min_frac == 0 {
            min_frac = 1;
        }
        let min_exp = exponent
            .as_ref()
            .map_or(0, |e| e.iter().filter(|&&c| is_digit(c)).count());
        pics.push(Pic {
            prefix,
            suffix,
            picture: sub.to_string(),
            grouping_int,
            regular,
            grouping_frac,
            min_int,
            scaling,
            min_frac,
            max_frac,
            min_exp,
            has_exp,
        });
    }
    if pics.len() == 1 {
        let mut neg = pics[0].clone();
        neg.prefix = format!("{}{}", p.minus, neg.prefix);
        pics.push(neg);
    }
    let pic = if value >= 0.0 { &pics[0] } else { &pics[1] };
    let adjusted = if pic.picture.contains(p.percent) {
        value * 100.0
    } else if pic.picture.contains(p.per_mille) {
        value * 1000.0
    } else {
        value
    };
    let (mantissa, exponent) = if pic.min_exp == 0 && !pic.has_exp {
        (adjusted, None)
    } else {
        let max_m = 10f64.powi(pic.scaling as i32);
        let min_m = 10f64.powi(pic.scaling as i32 - 1);
        let mut m = adjusted;
        let mut e = 0i32;
        if m != 0.0 {
            while m.abs() < min_m {
                m *= 10.0;
                e -= 1;
            }
            while m.abs() > max_m {
                m /= 10.0;
                e += 1;
            }
        }
        (m, Some(e))
    };
    let rounded = round_half_even(mantissa, pic.max_frac as i32);
    let to_family = |s: String| -> String {
        if p.zero == '0' {
            return s;
        }
        s.chars()
            .map(|c| {
                if c.is_ascii_digit() {
                    family[(c as u8 - b'0') as usize]
                } else {
                    c
                }
            })
            .collect()
    };
    let fixed = to_family(crate::float_fmt::fixed(rounded.abs(), pic.max_frac));
    let mut s: Vec<char> = match fixed.find('.') {
        None => format!("{fixed}{}", p.decimal).chars().collect(),
        Some(_) => fixed
            .replacen('.', &p.decimal.to_string(), 1)
            .chars()
            .collect(),
    };
    while s.first() == Some(&p.zero) {
        s.remove(0);
    }
    while s.last() == Some(&p.zero) {
        s.pop();
    }
    let dpos = s.iter().position(|&c| c == p.decimal).unwrap_or(s.len());
    let pad_left = pic.min_int as isize - dpos as isize;
    let pad_right = pic.min_frac as isize - (s.len() as isize - dpos as isize - 1);
    if pad_left > 0 {
        let mut v = vec![p.zero; pad_left as usize];
        v.extend(s);
        s = v;
    }
    if pad_right > 0 {
        s.extend(std::iter::repeat_n(p.zero, pad_right as usize));
    }
    let mut dpos = s.iter().position(|&c| c == p.decimal).unwrap_or(s.len());
    if pic.regular > 0 {
        let groups = dpos.saturating_sub(1).checked_div(pic.regular).unwrap_or(0);
        for g in 1..=groups {
            s.insert(dpos - g * pic.regular, p.grouping);
        }
    } else {
        for &pos in &pic.grouping_int {
            if pos <= dpos {
                s.insert(dpos - pos, p.grouping);
                dpos += 1;
            }
        }
    }
    let dpos = s.iter().position(|&c| c == p.decimal).unwrap_or(s.len());
    for &pos in &pic.grouping_frac {
        let at = pos + dpos + 1;
        if at <= s.len() {
            s.insert(at, p.grouping);
        }
    }
    let dpos = s.iter().position(|&c| c == p.decimal).unwrap_or(s.len());
    if pic.max_frac == 0 || dpos + 1 == s.len() {
        s.pop();
    }
    let mut out: String = s.into_iter().collect();
    if let Some(e) = exponent {
        let mut es = to_family(e.unsigned_abs().to_string());
        let pad = pic.min_exp as isize - es.chars().count() as isize;
        if pad > 0 {
            es = format!("{}{es}", p.zero.to_string().repeat(pad as usize));
        }
        out = format!(
            "{out}{}{}{es}",
            p.exponent,
            if e < 0 { p.minus.as_str() } else { "" }
        );
    }
    Ok(format!("{}{out}{}", pic.prefix, pic.suffix))
}
