//! Calendar arithmetic and XPath date/time pictures for `$now`, `$fromMillis` and `$toMillis`,
//! ported from JSONata's `datetime.js`: picture analysis (components, presentation and width
//! modifiers), formatting (names, ordinals, words, ISO weeks, time-zone offsets) and parsing
//! through a regex built from the picture. Pure: milliseconds in, text out; "now" for parsing
//! comes from the caller (the evaluation's injected clock).

use super::error::{JResult, err};
use super::integer::{self, Case, IntFormat};

const DAY_MS: i64 = 86_400_000;

// The calendar arithmetic is the executor's (RFC 3339 instants): one implementation.
pub(crate) use crate::exec::timestamp::{civil_from_days, days_from_civil};

/// `Date.UTC(year, month0, day, h, m, s, ms)` with JavaScript's overflow of every field.
fn date_utc(year: i64, month0: i64, day: i64, h: i64, mi: i64, s: i64, ms: i64) -> i64 {
    let y = year + month0.div_euclid(12);
    let m = month0.rem_euclid(12) as u32 + 1;
    let days = days_from_civil(y, m, 1) + day - 1;
    days * DAY_MS + h * 3_600_000 + mi * 60_000 + s * 1000 + ms
}

/// `new Date(ms).toISOString()`.
pub(crate) fn iso(ms: i64) -> String {
    let days = ms.div_euclid(DAY_MS);
    let rem = ms.rem_euclid(DAY_MS);
    let (y, m, d) = civil_from_days(days);
    let year = if (0..=9999).contains(&y) {
        format!("{y:04}")
    } else if y < 0 {
        format!("-{:06}", -y)
    } else {
        format!("+{y:06}")
    };
    format!(
        "{year}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3_600_000,
        rem / 60_000 % 60,
        rem / 1000 % 60,
        rem % 1000
    )
}

/// Parses the ISO 8601 forms JSONata's `$toMillis` accepts (its regex, then `Date.parse`).
pub(crate) fn parse_iso(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    let num = |s: usize, n: usize| -> Option<i64> {
        let t = text.get(s..s + n)?;
        if !t.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        t.parse().ok()
    };
    let year = num(0, 4)?;
    let mut i = 4;
    let (mut month, mut day) = (1, 1);
    if b.get(i) == Some(&b'-') {
        month = num(i + 1, 2)?;
        i += 3;
        if b.get(i) == Some(&b'-') {
            day = num(i + 1, 2)?;
            i += 3;
        }
    }
    let (mut h, mut mi, mut s, mut ms) = (0, 0, 0, 0.0);
    let mut offset_min = 0;
    if b.get(i) == Some(&b'T') {
        h = num(i + 1, 2)?;
        if b.get(i + 3) != Some(&b':') {
            return None;
        }
        mi = num(i + 4, 2)?;
        i += 6;
        if b.get(i) == Some(&b':') {
            s = num(i + 1, 2)?;
            i += 3;
        }
    }
    if b.get(i) == Some(&b'.') {
        let start = i + 1;
        let mut j = start;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        if j == start {
            return None;
        }
        ms = crate::text::parse_f64(&format!("0.{}", &text[start..j]))? * 1000.0;
        i = j;
    }
    match b.get(i) {
        Some(b'Z') => i += 1,
        Some(b'+' | b'-') => {
            let sign = if b[i] == b'-' { -1 } else { 1 };
            let oh = num(i + 1, 2)?;
            let mut j = i + 3;
            if b.get(j) == Some(&b':') {
                j += 1;
            }
            let om = num(j, 2)?;
            offset_min = sign * (oh * 60 + om);
            i = j + 2;
        }
        _ => {}
    }
    if i != b.len()
        || !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || h > 24
        || mi > 59
        || s > 59
    {
        return None;
    }
    let days = days_from_civil(year, month as u32, day as u32);
    Some(
        days * DAY_MS + h * 3_600_000 + mi * 60_000 + s * 1000 + ms.floor() as i64
            - offset_min * 60_000,
    )
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 8] = [
    "",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

#[derive(Clone, Debug)]
enum Part {
    Literal(String),
    Marker(Marker),
}

#[derive(Clone, Debug)]
struct Marker {
    component: char,
    presentation1: String,
    presentation2: Option<char>,
    names: Option<Case>,
    width: Option<(Option<usize>, Option<usize>)>,
    int: Option<IntFormat>,
}

fn default_presentation(c: char) -> Option<&'static str> {
    Some(match c {
        'Y' | 'M' | 'D' | 'd' | 'W' | 'w' | 'X' | 'x' | 'H' | 'h' | 'f' => "1",
        'F' | 'P' | 'C' | 'E' => "n",
        'm' | 's' => "01",
        'Z' | 'z' => "01:01",
        _ => return None,
    })
}

/// JSONata's `analyseDateTimePicture`.
fn analyse(picture: &str) -> JResult<Vec<Part>> {
    let mut parts = Vec::new();
    let chars: Vec<char> = picture.chars().collect();
    let add_literal = |parts: &mut Vec<Part>, start: usize, end: usize| {
        if end > start {
            let lit: String = chars[start..end].iter().collect();
            parts.push(Part::Literal(lit.replace("]]", "]")));
        }
    };
    let (mut start, mut pos) = (0, 0);
    while pos < chars.len() {
        if chars[pos] == '[' {
            if chars.get(pos + 1) == Some(&'[') {
                add_literal(&mut parts, start, pos);
                parts.push(Part::Literal("[".into()));
                pos += 2;
                start = pos;
                continue;
            }
            add_literal(&mut parts, start, pos);
            start = pos;
            let Some(close) = chars[start..].iter().position(|&c| c == ']') else {
                return Err(err(
                    "D3135",
                    "No matching closing bracket ']' in date/time picture string",
                ));
            };
            pos = start + close;
            let marker: String = chars[start + 1..pos]
                .iter()
                .filter(|c| !c.is_whitespace())
                .collect();
            let mut mc = marker.chars();
            let component = mc.next().unwrap_or(' ');
            let rest: String = mc.collect();
            let (pres, width) = match rest.rfind(',') {
                Some(comma) => {
                    let w = &rest[comma + 1..];
                    let parse =
                        |x: &str| -> Option<usize> { if x == "*" { None } else { x.parse().ok() } };
                    let (min, max) = match w.find('-') {
                        None => (parse(w), None),
                        Some(d) => (parse(&w[..d]), parse(&w[d + 1..])),
                    };
                    (rest[..comma].to_string(), Some((min, max)))
                }
                None => (rest, None),
            };
            let mut m = Marker {
                component,
                presentation1: String::new(),
                presentation2: None,
                names: None,
                width,
                int: None,
            };
            let pchars: Vec<char> = pres.chars().collect();
            if pchars.len() == 1 {
                m.presentation1 = pres.clone();
            } else if pchars.len() > 1 {
                let last = pchars[pchars.len() - 1];
                if "atco".contains(last) {
                    m.presentation2 = Some(last);
                    m.presentation1 = pchars[..pchars.len() - 1].iter().collect();
                } else {
                    m.presentation1 = pres.clone();
                }
            } else {
                match default_presentation(component) {
                    Some(p) => m.presentation1 = p.to_string(),
                    None => {
                        return Err(err(
                            "D3132",
                            format!(
                                "Unknown component specifier {component} in date/time picture string"
                            ),
                        ));
                    }
                }
            }
            if default_presentation(component).is_none() {
                return Err(err(
                    "D3132",
                    format!("Unknown component specifier {component} in date/time picture string"),
                ));
            }
            let p1: Vec<char> = m.presentation1.chars().collect();
            if p1.first() == Some(&'n') {
                m.names = Some(Case::Lower);
            } else if p1.first() == Some(&'N') {
                m.names = Some(if p1.get(1) == Some(&'n') {
                    Case::Title
                } else {
                    Case::Upper
                });
            }
            if "YMDdFWwXxHhmsf".contains(component) {
                let mut pattern = m.presentation1.clone();
                if let Some(p2) = m.presentation2 {
                    pattern.push(';');
                    pattern.push(p2);
                }
                let mut f = integer::analyse(&pattern)?;
                if let Some((Some(min), _)) = m.width
                    && f.mandatory < min
                {
                    f.mandatory = min;
                }
                if "YMD".contains(component) {
                    let mut n: Option<usize> = None;
                    if let Some((_, Some(max))) = m.width {
                        n = Some(max);
                        f.mandatory = max;
                    } else {
                        let w = f.mandatory + f.optional;
                        if w >= 2 {
                            n = Some(w);
                        }
                    }
                    f.width = n;
                }
                m.int = Some(f);
            }
            if component == 'Z' || component == 'z' {
                m.int = Some(integer::analyse(&m.presentation1)?);
            }
            parts.push(Part::Marker(m));
            start = pos + 1;
        }
        pos += 1;
    }
    add_literal(&mut parts, start, pos);
    Ok(parts)
}

/// The calendar fields of `ms` (already shifted to local time).
struct Fields {
    year: i64,
    month: u32,
    day: u32,
    ms: i64,
}

fn fields(ms: i64) -> Fields {
    let (year, month, day) = civil_from_days(ms.div_euclid(DAY_MS));
    Fields {
        year,
        month,
        day,
        ms,
    }
}

/// Start (ms) of the first week of a month/year: the week holding its first Thursday.
fn start_of_first_week(year: i64, month0: i64) -> i64 {
    let jan1 = date_utc(year, month0, 1, 0, 0, 0, 0);
    let mut dow = (jan1.div_euclid(DAY_MS) + 4).rem_euclid(7);
    if dow == 0 {
        dow = 7;
    }
    if dow > 4 {
        jan1 + (8 - dow) * DAY_MS
    } else {
        jan1 - (dow - 1) * DAY_MS
    }
}

fn delta_weeks(start: i64, end: i64) -> i64 {
    ((end - start) as f64 / (DAY_MS as f64 * 7.0) + 1.0).floor() as i64
}

/// JSONata's `getDateTimeFragment`.
fn fragment(f: &Fields, component: char) -> i64 {
    let rem = f.ms.rem_euclid(DAY_MS);
    match component {
        'Y' => f.year,
        'M' => f.month as i64,
        'D' => f.day as i64,
        'd' => f.ms.div_euclid(DAY_MS) - days_from_civil(f.year, 1, 1) + 1,
        'F' => {
            let d = (f.ms.div_euclid(DAY_MS) + 4).rem_euclid(7);
            if d == 0 { 7 } else { d }
        }
        'W' => {
            let start = start_of_first_week(f.year, 0);
            let next = start_of_first_week(f.year + 1, 0);
            if f.ms < start {
                delta_weeks(start_of_first_week(f.year - 1, 0), f.ms)
            } else if f.ms >= next {
                delta_weeks(next, f.ms)
            } else {
                delta_weeks(start, f.ms)
            }
        }
        'w' => {
            let m0 = f.month as i64 - 1;
            let start = start_of_first_week(f.year, m0);
            let next = start_of_first_week(f.year, m0 + 1);
            if f.ms < start {
                delta_weeks(start_of_first_week(f.year, m0 - 1), f.ms)
            } else if f.ms >= next {
                delta_weeks(next, f.ms)
            } else {
                delta_weeks(start, f.ms)
            }
        }
        'X' => {
            let start = start_of_first_week(f.year, 0);
            let end = start_of_first_week(f.year + 1, 0);
            if f.ms < start {
                f.year - 1
            } else if f.ms >= end {
                f.year + 1
            } else {
                f.year
            }
        }
        'x' => {
            let m0 = f.month as i64 - 1;
            let start = start_of_first_week(f.year, m0);
            let next = start_of_first_week(f.year, m0 + 1);
            if f.ms < start {
                (m0 - 1).rem_euclid(12) + 1
            } else if f.ms >= next {
                (m0 + 1).rem_euclid(12) + 1
            } else {
                m0 + 1
            }
        }
        'H' => rem / 3_600_000,
        'h' => {
            let h = rem / 3_600_000 % 12;
            if h == 0 { 12 } else { h }
        }
        'm' => rem / 60_000 % 60,
        's' => rem / 1000 % 60,
        'f' => rem % 1000,
        _ => 0,
    }
}

fn apply_case(s: &str, case: Case) -> String {
    match case {
        Case::Upper => s.to_ascii_uppercase(),
        Case::Lower => s.to_ascii_lowercase(),
        Case::Title => s.to_string(),
    }
}

fn format_component(f: &Fields, m: &Marker, off_h: i64, off_m: i64) -> JResult<String> {
    let c = m.component;
    if "YMDdFWwXxHhms".contains(c) {
        let mut value = fragment(f, c);
        if c == 'Y'
            && let Some(n) = m.int.as_ref().and_then(|i| i.width)
        {
            value %= 10i64.pow(n as u32);
        }
        if let Some(case) = m.names {
            let name = match c {
                'M' | 'x' => MONTHS.get((value - 1) as usize).copied().unwrap_or(""),
                'F' => DAYS.get(value as usize).copied().unwrap_or(""),
                _ => {
                    return Err(err(
                        "D3133",
                        format!(
                            "The 'name' modifier can only be applied to months and days in the date/time picture string, not {c}"
                        ),
                    ));
                }
            };
            let mut s = apply_case(name, case);
            if let Some((_, Some(max))) = m.width {
                s = s.chars().take(max).collect();
            }
            return Ok(s);
        }
        return match &m.int {
            Some(i) => integer::format(value as f64, i),
            None => Ok(value.to_string()),
        };
    }
    match c {
        'f' => {
            let value = fragment(f, 'f');
            match &m.int {
                Some(i) => integer::format(value as f64, i),
                None => Ok(value.to_string()),
            }
        }
        'Z' | 'z' => {
            let offset = off_h * 100 + off_m;
            let Some(i) = &m.int else {
                return Ok(String::new());
            };
            let mut s = if i.regular.is_some() {
                integer::format(offset as f64, i)?
            } else {
                match i.mandatory {
                    1 | 2 => {
                        let mut s = integer::format(off_h as f64, i)?;
                        if off_m != 0 {
                            s.push(':');
                            s.push_str(&format!("{:02}", off_m));
                        }
                        s
                    }
                    3 | 4 => integer::format(offset as f64, i)?,
                    _ => {
                        return Err(err(
                            "D3134",
                            "The timezone integer format specifier cannot have more than four digits",
                        ));
                    }
                }
            };
            if offset >= 0 {
                s.insert(0, '+');
            }
            if c == 'z' {
                s.insert_str(0, "GMT");
            }
            if offset == 0 && m.presentation2 == Some('t') {
                s = "Z".into();
            }
            Ok(s)
        }
        'P' => {
            let pm = fragment(f, 'H') >= 12;
            let s = if pm { "pm" } else { "am" };
            Ok(if m.names == Some(Case::Upper) {
                s.to_ascii_uppercase()
            } else {
                s.to_string()
            })
        }
        'C' | 'E' => Ok("ISO".into()),
        _ => Ok(String::new()),
    }
}

/// XPath `format-dateTime` with JSONata's picture syntax.
pub(crate) fn format_picture(ms: i64, picture: &str, tz: Option<&str>) -> JResult<String> {
    let (off_h, off_m) = match tz {
        Some(t) => {
            let v: i64 = {
                let t = t.trim();
                let (sign, digits) = match t.as_bytes().first() {
                    Some(b'-') => (-1, &t[1..]),
                    Some(b'+') => (1, &t[1..]),
                    _ => (1, t),
                };
                let d: String = digits.chars().take_while(|c| c.is_ascii_digit()).collect();
                sign * d.parse::<i64>().unwrap_or(0)
            };
            // JavaScript: Math.floor(offset / 100) and offset % 100 (which keeps the sign).
            ((v as f64 / 100.0).floor() as i64, v % 100)
        }
        None => (0, 0),
    };
    let parts = analyse(picture)?;
    let f = fields(ms + (60 * off_h + off_m) * 60_000);
    let mut out = String::new();
    for p in &parts {
        match p {
            Part::Literal(s) => out.push_str(s),
            Part::Marker(m) => out.push_str(&format_component(&f, m, off_h, off_m)?),
        }
    }
    Ok(out)
}

/// `$toMillis(text, picture)`: JSONata's `parseDateTime`. `now_ms` fills the most significant
/// fields the picture leaves out.
pub(crate) fn parse_picture(text: &str, picture: &str, now_ms: i64) -> JResult<Option<i64>> {
    let parts = analyse(picture)?;
    let mut regex = String::from("^");
    let mut readers: Vec<&Marker> = Vec::new();
    for p in &parts {
        match p {
            Part::Literal(s) => {
                regex.push('(');
                regex.push_str(&super::regex::escape(s));
                regex.push(')');
                readers.push(&DUMMY);
            }
            Part::Marker(m) => {
                regex.push('(');
                regex.push_str(&marker_regex(m)?);
                regex.push(')');
                readers.push(m);
            }
        }
    }
    regex.push('$');
    let Some(found) = super::regex::first_of_picture(picture, &regex, text)? else {
        return Ok(None);
    };
    // Component → value, the last reading of a component winning. At most one entry per marker
    // of the picture (a handful), so a list searched in order, not a hash table (whose code the
    // playground's wasm would carry for this one key type).
    let mut comps: Vec<(char, i64)> = Vec::new();
    fn find(comps: &[(char, i64)], c: char) -> Option<i64> {
        comps.iter().find(|e| e.0 == c).map(|e| e.1)
    }
    for (i, m) in readers.iter().enumerate() {
        if m.component == '\0' {
            continue;
        }
        let Some(Some((a, b))) = found.groups.get(i) else {
            continue;
        };
        let s = &text[*a..*b];
        if let Some(v) = read_marker(m, s)? {
            match comps.iter_mut().find(|e| e.0 == m.component) {
                Some(e) => e.1 = v,
                None => comps.push((m.component, v)),
            }
        }
    }
    if comps.is_empty() {
        return Ok(None);
    }
    let has = |c: char| find(&comps, c).is_some();
    let mask_of = |order: &str| -> u32 {
        order
            .chars()
            .fold(0u32, |m, c| (m << 1) | u32::from(has(c)))
    };
    let is_type = |ty: u32, mask: u32| (!ty & mask) == 0 && (ty & mask) != 0;
    let dmask = mask_of("YXMxWwdD");
    let date_a = is_type(161, dmask);
    let date_b = !date_a && is_type(130, dmask);
    let date_c = is_type(84, dmask);
    let date_d = !date_c && is_type(72, dmask);
    let tmask = mask_of("PHhmsf");
    let time_a = is_type(23, tmask);
    let time_b = !time_a && is_type(47, tmask);
    let date_comps = if date_b {
        "YD"
    } else if date_c {
        "XxwF"
    } else if date_d {
        "XWF"
    } else {
        "YMD"
    };
    let time_comps = if time_b { "Phmsf" } else { "Hmsf" };
    let now = fields(now_ms);
    let (mut start_specified, mut end_specified) = (false, false);
    for c in date_comps.chars().chain(time_comps.chars()) {
        if find(&comps, c).is_some() {
            start_specified = true;
            if end_specified {
                return Err(err(
                    "D3136",
                    "The date/time picture string is missing specifiers required to parse the timestamp",
                ));
            }
        } else if start_specified {
            comps.push((c, if "MDd".contains(c) { 1 } else { 0 }));
            end_specified = true;
        } else if c == 'P' {
            comps.push((c, i64::from(fragment(&now, 'H') >= 12)));
        } else {
            comps.push((c, fragment(&now, c)));
        }
    }
    let get = |c: char| find(&comps, c).unwrap_or(0);
    let mut month0 = if get('M') > 0 { get('M') - 1 } else { 0 };
    let mut day = get('D');
    if date_b {
        let first = date_utc(get('Y'), 0, 1, 0, 0, 0, 0) + (get('d') - 1) * DAY_MS;
        let f = fields(first);
        month0 = f.month as i64 - 1;
        day = f.day as i64;
    }
    if date_c || date_d {
        return Err(err(
            "D3136",
            "The date/time picture string is missing specifiers required to parse the timestamp",
        ));
    }
    let mut hour = get('H');
    if time_b {
        hour = if get('h') == 12 { 0 } else { get('h') };
        if get('P') == 1 {
            hour += 12;
        }
    }
    let mut ms = date_utc(get('Y'), month0, day, hour, get('m'), get('s'), get('f'));
    let zone = find(&comps, 'Z').or_else(|| find(&comps, 'z')).unwrap_or(0);
    ms -= zone * 60_000;
    Ok(Some(ms))
}

static DUMMY: Marker = Marker {
    component: '\0',
    presentation1: String::new(),
    presentation2: None,
    names: None,
    width: None,
    int: None,
};

fn marker_regex(m: &Marker) -> JResult<String> {
    match m.component {
        'Z' | 'z' => {
            let sep = m.int.as_ref().and_then(|i| i.regular).map(|r| r.1);
            let mut r = String::new();
            if m.component == 'z' {
                r.push_str("GMT");
            }
            r.push_str("[-+][0-9]+");
            if let Some(s) = sep {
                r.push_str(&super::regex::escape(&s.to_string()));
                r.push_str("[0-9]+");
            }
            Ok(r)
        }
        _ if m.names.is_none() && m.int.is_some() => {
            integer::regex(m.int.as_ref().ok_or_else(|| err("D3110", "picture"))?)
        }
        'M' | 'x' | 'F' | 'P' => Ok("[a-zA-Z]+".into()),
        c => Err(err(
            "D3133",
            format!(
                "The 'name' modifier can only be applied to months and days in the date/time picture string, not {c}"
            ),
        )),
    }
}

fn read_marker(m: &Marker, s: &str) -> JResult<Option<i64>> {
    match m.component {
        'Z' | 'z' => {
            let v = if m.component == 'z' {
                s.get(3..).unwrap_or("")
            } else {
                s
            };
            let sep = m.int.as_ref().and_then(|i| i.regular).map(|r| r.1);
            let parse = |x: &str| x.parse::<i64>().unwrap_or(0);
            let (h, mi) = match sep.and_then(|c| v.find(c).map(|i| (i, c))) {
                Some((i, c)) => (parse(&v[..i]), parse(&v[i + c.len_utf8()..])),
                None => {
                    let digits = v.len().saturating_sub(1);
                    if digits <= 2 {
                        (parse(v.trim_start_matches('+')), 0)
                    } else {
                        (
                            parse(v.get(..3).unwrap_or("0").trim_start_matches('+')),
                            parse(v.get(3..).unwrap_or("0")),
                        )
                    }
                }
            };
            Ok(Some(h * 60 + if h < 0 { -mi } else { mi }))
        }
        _ if m.names.is_none() && m.int.is_some() => {
            let f = m.int.as_ref().ok_or_else(|| err("D3110", "picture"))?;
            let v = integer::parse_value(s, f)?;
            Ok(if v.is_nan() { None } else { Some(v as i64) })
        }
        'M' | 'x' => {
            let max = m.width.and_then(|w| w.1);
            Ok(MONTHS
                .iter()
                .position(|name| {
                    let n: String = match max {
                        Some(k) => name.chars().take(k).collect(),
                        None => name.to_string(),
                    };
                    n.eq_ignore_ascii_case(s)
                })
                .map(|i| i as i64 + 1))
        }
        'F' => {
            let max = m.width.and_then(|w| w.1);
            Ok(DAYS
                .iter()
                .enumerate()
                .skip(1)
                .find(|(_, name)| {
                    let n: String = match max {
                        Some(k) => name.chars().take(k).collect(),
                        None => name.to_string(),
                    };
                    n.eq_ignore_ascii_case(s)
                })
                .map(|(i, _)| i as i64))
        }
        'P' => Ok(match crate::text::to_lowercase(s).as_str() {
            "am" => Some(0),
            "pm" => Some(1),
            _ => None,
        }),
        _ => Ok(None),
    }
}
