//! Calendar arithmetic and XPath date/time pictures for `$now`, `$fromMillis` and `$toMillis`:
//! ISO 8601 text, `[Y0001]-[M01]-[D01]`-style pictures with names, ordinals, roman numerals and
//! words, and time-zone offsets. Pure: milliseconds in, text out (the clock is injected elsewhere).

use super::error::{JResult, err};
use super::format::{format_integer, words};

/// Days since 1970-01-01 → (year, month 1-12, day 1-31).
pub(crate) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

pub(crate) fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `new Date(ms).toISOString()`.
pub(crate) fn iso(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let rem = ms.rem_euclid(86_400_000);
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

/// Parses the ISO 8601 forms JSONata's `$toMillis` accepts.
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
        if b.get(i) == Some(&b'.') {
            let start = i + 1;
            let mut j = start;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            if j == start {
                return None;
            }
            ms = format!("0.{}", &text[start..j]).parse::<f64>().ok()? * 1000.0;
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
        days * 86_400_000 + h * 3_600_000 + mi * 60_000 + s * 1000 + ms.floor() as i64
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
const DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Parses a `±HHMM` / `±HH:MM` time-zone argument into minutes.
fn tz_minutes(tz: &str) -> Option<i64> {
    let sign = match tz.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: String = tz[1..].chars().filter(|c| c.is_ascii_digit()).collect();
    let (h, m) = match digits.len() {
        1 | 2 => (digits.parse::<i64>().ok()?, 0),
        3 | 4 => (
            digits[..digits.len() - 2].parse().ok()?,
            digits[digits.len() - 2..].parse().ok()?,
        ),
        _ => return None,
    };
    Some(sign * (h * 60 + m))
}

struct Parts {
    year: i64,
    month: u32,
    day: u32,
    hour: i64,
    minute: i64,
    second: i64,
    milli: i64,
    weekday: u32, // 1 = Monday
    yday: i64,
    offset: i64,
}

fn parts(ms: i64, offset: i64) -> Parts {
    let local = ms + offset * 60_000;
    let days = local.div_euclid(86_400_000);
    let rem = local.rem_euclid(86_400_000);
    let (year, month, day) = civil_from_days(days);
    Parts {
        year,
        month,
        day,
        hour: rem / 3_600_000,
        minute: rem / 60_000 % 60,
        second: rem / 1000 % 60,
        milli: rem % 1000,
        weekday: ((days + 3).rem_euclid(7) + 1) as u32,
        yday: days - days_from_civil(year, 1, 1) + 1,
        offset,
    }
}

fn format_offset(offset: i64, with_colon: bool, z_for_zero: bool) -> String {
    if offset == 0 && z_for_zero {
        return "Z".into();
    }
    let sign = if offset < 0 { '-' } else { '+' };
    let a = offset.abs();
    if with_colon {
        format!("{sign}{:02}:{:02}", a / 60, a % 60)
    } else {
        format!("{sign}{:02}{:02}", a / 60, a % 60)
    }
}

/// XPath `format-dateTime` with JSONata's picture syntax.
pub(crate) fn format_picture(ms: i64, picture: &str, tz: Option<&str>) -> JResult<String> {
    let offset = match tz {
        Some(t) => tz_minutes(t).unwrap_or(0),
        None => 0,
    };
    let p = parts(ms, offset);
    let mut out = String::new();
    let chars: Vec<char> = picture.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == ']' && chars.get(i + 1) == Some(&']') {
            out.push(']');
            i += 2;
            continue;
        }
        if c != '[' {
            out.push(c);
            i += 1;
            continue;
        }
        if chars.get(i + 1) == Some(&'[') {
            out.push('[');
            i += 2;
            continue;
        }
        let Some(end) = chars[i..].iter().position(|&x| x == ']') else {
            return Err(err(
                "D3135",
                "No matching closing bracket ']' in date/time picture string",
            ));
        };
        let marker: String = chars[i + 1..i + end]
            .iter()
            .filter(|c| !c.is_whitespace())
            .collect();
        i += end + 1;
        out.push_str(&component(&p, &marker)?);
    }
    Ok(out)
}

fn component(p: &Parts, marker: &str) -> JResult<String> {
    let mut cs = marker.chars();
    let Some(spec) = cs.next() else {
        return Ok(String::new());
    };
    let rest: String = cs.collect();
    let (pres, width) = match rest.split_once(',') {
        Some((a, b)) => (a.to_string(), Some(b.to_string())),
        None => (rest, None),
    };
    let (min_w, max_w) = match &width {
        Some(w) => {
            let (a, b) = w
                .split_once('-')
                .map_or((w.as_str(), None), |(a, b)| (a, Some(b)));
            (
                a.parse::<usize>().ok(),
                b.and_then(|b| b.parse::<usize>().ok()),
            )
        }
        None => (None, None),
    };
    let value: i64 = match spec {
        'Y' => p.year,
        'M' => p.month as i64,
        'D' => p.day as i64,
        'd' => p.yday,
        'F' => p.weekday as i64,
        'H' => p.hour,
        'h' => {
            let h = p.hour % 12;
            if h == 0 { 12 } else { h }
        }
        'm' => p.minute,
        's' => p.second,
        'f' => p.milli,
        'P' => {
            let s = if p.hour < 12 { "am" } else { "pm" };
            return Ok(if pres.starts_with('N') {
                s.to_uppercase()
            } else {
                s.to_string()
            });
        }
        'Z' | 'z' => {
            let colon = pres.contains(':') || pres.is_empty();
            let z = pres.ends_with('t');
            let s = format_offset(p.offset, colon, z);
            if pres.starts_with('0')
                && !pres.contains(':')
                && pres.trim_end_matches('t').len() <= 2
                && !z
            {
                let a = p.offset.abs();
                let sign = if p.offset < 0 { '-' } else { '+' };
                return Ok(if a % 60 == 0 {
                    format!("{sign}{}", a / 60)
                } else {
                    format!("{sign}{}:{:02}", a / 60, a % 60)
                });
            }
            return Ok(if spec == 'z' { format!("GMT{s}") } else { s });
        }
        'E' => return Ok("ISO".into()),
        'C' => return Ok("ISO".into()),
        'W' | 'w' | 'X' | 'x' => iso_week(p, spec),
        _ => {
            return Err(err(
                "D3132",
                format!("Unknown component specifier {spec} in date/time picture string"),
            ));
        }
    };
    let pres = if pres.is_empty() {
        match spec {
            'M' | 'D' | 'd' | 'F' | 'h' | 'W' | 'w' | 'X' | 'x' => "1".to_string(),
            'f' => "001".to_string(),
            'Y' => "1".to_string(),
            _ => "01".to_string(),
        }
    } else {
        pres
    };
    let ordinal = pres.ends_with('o') && pres.len() > 1;
    let base = if ordinal {
        &pres[..pres.len() - 1]
    } else {
        pres.as_str()
    };
    let named = |names: &[&str], idx: usize| -> String {
        let name = names.get(idx).copied().unwrap_or("");
        let mut s = match base {
            "N" => name.to_uppercase(),
            "n" => name.to_lowercase(),
            _ => name.to_string(),
        };
        if let Some(m) = max_w {
            s = s.chars().take(m).collect();
        }
        s
    };
    let text = match (spec, base) {
        ('M', "N" | "n" | "Nn") => named(&MONTHS, p.month as usize - 1),
        ('F', "N" | "n" | "Nn") => named(&DAYS, p.weekday as usize - 1),
        (_, "w" | "W" | "Ww") => {
            let w = words(value.unsigned_abs() as f64, ordinal);
            match base {
                "W" => w.to_uppercase(),
                "Ww" => w
                    .split(' ')
                    .map(|x| {
                        let mut c = x.chars();
                        c.next().map_or(String::new(), |f| {
                            f.to_uppercase().collect::<String>() + c.as_str()
                        })
                    })
                    .collect::<Vec<_>>()
                    .join(" "),
                _ => w,
            }
        }
        (_, "I" | "i" | "A" | "a") => format_integer(value as f64, base)?,
        _ => {
            if spec == 'f' {
                // Fractional seconds: digits are the leading digits of the fraction.
                let digits = base
                    .chars()
                    .filter(|c| c.is_ascii_digit() || *c == '#')
                    .count()
                    .max(min_w.unwrap_or(0));
                let frac = format!("{:03}", value);
                let mut s: String = frac
                    .chars()
                    .chain(std::iter::repeat('0'))
                    .take(digits.max(1))
                    .collect();
                if let Some(m) = max_w {
                    s.truncate(m.max(1));
                }
                return Ok(s);
            }
            let mut s = format_integer(
                value as f64,
                &if ordinal {
                    format!("{base};o")
                } else {
                    base.to_string()
                },
            )?;
            if spec == 'Y' {
                let digits = base.chars().filter(|c| c.is_ascii_digit()).count();
                if digits == 2 || max_w == Some(2) {
                    let v = value.rem_euclid(100);
                    s = format!("{v:02}");
                }
            }
            if let Some(m) = min_w {
                while s.chars().count() < m {
                    s.insert(0, '0');
                }
            }
            s
        }
    };
    Ok(text)
}

fn iso_week(p: &Parts, spec: char) -> i64 {
    match spec {
        'W' => {
            let wd = p.weekday as i64;
            let week = (p.yday - wd + 10) / 7;
            if week < 1 { 52 } else { week.min(53) }
        }
        'w' => {
            let first_wd = ((p.weekday as i64 - (p.day as i64 - 1)).rem_euclid(7) + 7) % 7;
            let first_wd = if first_wd == 0 { 7 } else { first_wd };
            let offset = first_wd - 1;
            (p.day as i64 + offset - 1) / 7 + if first_wd <= 4 { 1 } else { 0 }
        }
        _ => 0,
    }
}

/// `$toMillis` with a picture: the common numeric pictures (year, month, day, hour, minute,
/// second, fraction, offset).
pub(crate) fn parse_picture(text: &str, picture: &str) -> JResult<Option<i64>> {
    let pc: Vec<char> = picture.chars().collect();
    let tc: Vec<char> = text.chars().collect();
    let (mut ti, mut pi) = (0usize, 0usize);
    let (mut y, mut mo, mut d, mut h, mut mi, mut s, mut ms, mut off) =
        (1970i64, 1u32, 1u32, 0i64, 0i64, 0i64, 0i64, 0i64);
    let mut pm: Option<bool> = None;
    let mut yday: Option<i64> = None;
    while pi < pc.len() {
        if pc[pi] == '[' {
            let Some(end) = pc[pi..].iter().position(|&x| x == ']') else {
                return Err(err(
                    "D3135",
                    "No matching closing bracket ']' in date/time picture string",
                ));
            };
            let marker: String = pc[pi + 1..pi + end]
                .iter()
                .filter(|c| !c.is_whitespace())
                .collect();
            pi += end + 1;
            let spec = marker.chars().next().unwrap_or(' ');
            let pres: String = marker.chars().skip(1).take_while(|&c| c != ',').collect();
            let next_literal = pc.get(pi).copied();
            let take_digits = |ti: &mut usize, max: usize| -> Option<i64> {
                let start = *ti;
                while *ti < tc.len() && tc[*ti].is_ascii_digit() && *ti - start < max {
                    *ti += 1;
                }
                if *ti == start {
                    return None;
                }
                tc[start..*ti].iter().collect::<String>().parse().ok()
            };
            let width = |default: usize| -> usize {
                let n = pres.chars().filter(|c| c.is_ascii_digit()).count();
                if next_literal.is_none_or(|c| c == '[') && n > 0 {
                    n
                } else if n > 1 {
                    n.max(default)
                } else {
                    usize::MAX
                }
            };
            match spec {
                'Y' => y = take_digits(&mut ti, width(4)).ok_or_else(bad)?,
                'M' if pres.starts_with('N') || pres.starts_with('n') => {
                    let rest: String = tc[ti..].iter().collect::<String>().to_lowercase();
                    let idx = MONTHS
                        .iter()
                        .position(|m| {
                            let m = m.to_lowercase();
                            rest.starts_with(&m) || rest.starts_with(&m[..3])
                        })
                        .ok_or_else(bad)?;
                    let full = MONTHS[idx].to_lowercase();
                    ti += if rest.starts_with(&full) {
                        full.len()
                    } else {
                        3
                    };
                    mo = idx as u32 + 1;
                }
                'M' => mo = take_digits(&mut ti, width(2)).ok_or_else(bad)? as u32,
                'D' => d = take_digits(&mut ti, width(2)).ok_or_else(bad)? as u32,
                'd' => yday = Some(take_digits(&mut ti, width(3)).ok_or_else(bad)?),
                'H' => h = take_digits(&mut ti, width(2)).ok_or_else(bad)?,
                'h' => h = take_digits(&mut ti, width(2)).ok_or_else(bad)?,
                'm' => mi = take_digits(&mut ti, width(2)).ok_or_else(bad)?,
                's' => s = take_digits(&mut ti, width(2)).ok_or_else(bad)?,
                'f' => {
                    let start = ti;
                    let v = take_digits(&mut ti, width(3)).ok_or_else(bad)?;
                    let n = ti - start;
                    ms = (v as f64 * 10f64.powi(3 - n as i32)).round() as i64;
                }
                'P' => {
                    let rest: String = tc[ti..].iter().take(2).collect::<String>().to_lowercase();
                    pm = Some(rest == "pm");
                    ti += 2;
                }
                'Z' | 'z' => {
                    if spec == 'z' && tc[ti..].iter().collect::<String>().starts_with("GMT") {
                        ti += 3;
                    }
                    if tc.get(ti) == Some(&'Z') {
                        ti += 1;
                    } else {
                        let sign = match tc.get(ti) {
                            Some('-') => -1,
                            Some('+') => 1,
                            _ => return Err(bad()),
                        };
                        ti += 1;
                        let start = ti;
                        while ti < tc.len() && (tc[ti].is_ascii_digit() || tc[ti] == ':') {
                            ti += 1;
                        }
                        let raw: String = tc[start..ti]
                            .iter()
                            .filter(|c| c.is_ascii_digit())
                            .collect();
                        let (hh, mm) = if raw.len() <= 2 {
                            (raw.parse::<i64>().unwrap_or(0), 0)
                        } else {
                            (
                                raw[..raw.len() - 2].parse().unwrap_or(0),
                                raw[raw.len() - 2..].parse().unwrap_or(0),
                            )
                        };
                        off = sign * (hh * 60 + mm);
                    }
                }
                'F' | 'E' | 'C' | 'W' | 'w' | 'X' | 'x' => {
                    while ti < tc.len() && tc[ti].is_alphanumeric() {
                        ti += 1;
                    }
                }
                _ => {
                    return Err(err(
                        "D3132",
                        format!("Unknown component specifier {spec} in date/time picture string"),
                    ));
                }
            }
        } else {
            if tc.get(ti) != Some(&pc[pi]) {
                return Ok(None);
            }
            ti += 1;
            pi += 1;
        }
    }
    if let Some(p) = pm {
        if p && h < 12 {
            h += 12;
        } else if !p && h == 12 {
            h = 0;
        }
    }
    let days = match yday {
        Some(n) => days_from_civil(y, 1, 1) + n - 1,
        None => days_from_civil(y, mo, d),
    };
    Ok(Some(
        days * 86_400_000 + h * 3_600_000 + mi * 60_000 + s * 1000 + ms - off * 60_000,
    ))
}

fn bad() -> super::error::JsonataError {
    err(
        "D3110",
        "The date/time string cannot be parsed with the picture string",
    )
}
