//! Timestamps: AWS's RFC 3339 profile, read into instants and written for history events.
//!
//! Owns parsing of the timestamps Choice rules and Wait states compare (`2016-03-14T01:59:00Z`,
//! `…T01:59:00.123456789+02:00`: an uppercase `T`, seconds required, fraction of any length, `Z` or a
//! numeric offset required) into nanoseconds since the epoch, so different offsets compare as the
//! instants they are; and formatting virtual milliseconds as `2024-01-01T00:00:00.000Z`.
//!
//! Why by hand: two small pure functions (civil-date arithmetic after Howard Hinnant's
//! algorithms) are all the core needs, and AWS's profile is stricter than general-purpose
//! parsers (which accept lowercase `t`, spaces, or a missing offset).

/// Days since 1970-01-01 of a proleptic Gregorian date (month 1-12, day 1-31).
pub(crate) fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Days since 1970-01-01 → (year, month 1-12, day 1-31).
pub(crate) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(y) => 29,
        _ => 28,
    }
}

/// Formats virtual time (ms since the epoch) as ISO-8601 UTC with milliseconds.
pub fn format_millis(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let millis = ms.rem_euclid(1000);
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{millis:03}Z",
        sod / 3600,
        (sod / 60) % 60,
        sod % 60
    )
}

/// Formats virtual time as an HTTP date (RFC 7231 IMF-fixdate, `Mon, 01 Jan 2024 00:00:00 GMT`),
/// as AWS service responses carry in their `Date` header.
pub fn format_http_date(ms: i64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{}, {d:02} {} {y:04} {:02}:{:02}:{:02} GMT",
        DAYS[days.rem_euclid(7) as usize],
        MONTHS[(m as usize).saturating_sub(1) % 12],
        sod / 3600,
        (sod / 60) % 60,
        sod % 60
    )
}

/// Formats virtual time as `YYYY-MM-DDTHH:MM:SS` + `suffix` (used for generated inputs and tests).
pub fn format_seconds(ms: i64) -> String {
    let s = format_millis(ms);
    s[..19].to_string()
}

fn digits(b: &[u8], at: usize, n: usize) -> Option<u32> {
    let part = b.get(at..at + n)?;
    let mut v = 0u32;
    for &c in part {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + (c - b'0') as u32;
    }
    Some(v)
}

/// Parses an AWS-profile RFC 3339 timestamp into nanoseconds since the Unix epoch.
pub fn parse_nanos(s: &str) -> Option<i128> {
    let b = s.as_bytes();
    let year = digits(b, 0, 4)? as i64;
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') || b.get(10) != Some(&b'T') {
        return None;
    }
    let month = digits(b, 5, 2)?;
    let day = digits(b, 8, 2)?;
    if b.get(13) != Some(&b':') || b.get(16) != Some(&b':') {
        return None;
    }
    let hour = digits(b, 11, 2)?;
    let minute = digits(b, 14, 2)?;
    let second = digits(b, 17, 2)?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let mut i = 19;
    let mut nanos: i128 = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        let mut scale: i128 = 100_000_000;
        while let Some(c) = b.get(i).filter(|c| c.is_ascii_digit()) {
            nanos += (*c - b'0') as i128 * scale;
            scale /= 10;
            i += 1;
        }
        if i == start {
            return None;
        }
    }
    let offset_secs: i64 = match b.get(i) {
        Some(b'Z') if i + 1 == b.len() => 0,
        Some(&sign @ (b'+' | b'-')) if i + 6 == b.len() && b[i + 3] == b':' => {
            let oh = digits(b, i + 1, 2)? as i64;
            let om = digits(b, i + 4, 2)? as i64;
            if oh > 23 || om > 59 {
                return None;
            }
            let off = oh * 3600 + om * 60;
            if sign == b'+' { off } else { -off }
        }
        _ => return None,
    };
    let secs = days_from_civil(year, month, day) * 86_400
        + (hour as i64) * 3600
        + (minute as i64) * 60
        + second as i64
        - offset_secs;
    Some(secs as i128 * 1_000_000_000 + nanos)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_http_dates() {
        assert_eq!(
            format_http_date(1_704_067_200_000),
            "Mon, 01 Jan 2024 00:00:00 GMT"
        );
        assert_eq!(
            format_http_date(951_782_400_000),
            "Tue, 29 Feb 2000 00:00:00 GMT"
        );
    }

    #[test]
    fn formats_and_parses() {
        assert_eq!(format_millis(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(format_millis(1_704_067_200_123), "2024-01-01T00:00:00.123Z");
        assert_eq!(format_millis(951_782_400_000), "2000-02-29T00:00:00.000Z");
        assert_eq!(parse_nanos("1970-01-01T00:00:01Z"), Some(1_000_000_000));
        assert_eq!(
            parse_nanos("1970-01-01T01:00:01+01:00"),
            Some(1_000_000_000)
        );
        assert_eq!(
            parse_nanos("2016-03-05T21:29:29.243167252Z").map(|n| n % 1_000_000_000),
            Some(243_167_252)
        );
        for bad in [
            "2016-12-05 21:29:29Z",
            "2016-12-05T21:29:29",
            "2016-13-05T21:29:29Z",
            "05-12-2016T21:29:29Z",
            "2016-02-30T00:00:00Z",
            "2016-12-05t21:29:29Z",
            "2016-12-05T21:29Z",
            "2016-12-05T21:29:29.Z",
        ] {
            assert_eq!(parse_nanos(bad), None, "{bad}");
        }
        let ms = 1_700_000_000_000;
        let text = format!("{}Z", format_seconds(ms));
        assert_eq!(parse_nanos(&text), Some(ms as i128 * 1_000_000));
    }
}
