//! Date and time: `$now()` and `$millis()` read the evaluation's injected clock (frozen for one
//! evaluation, as JSONata specifies; nothing here reads a system clock), `$toMillis` and
//! `$fromMillis` convert ISO 8601 text, and XPath picture strings through [`super::super::datetime`].

use super::super::datetime as dt;
use super::super::error::{JResult, err};
use super::super::eval::Evaluator;
use super::super::jv::{JV, Val};
use super::{Builtin, num_arg, str_arg};

pub(crate) fn call<'a>(
    ev: &mut Evaluator<'a, '_>,
    b: Builtin,
    args: &[Val<'a>],
) -> JResult<Val<'a>> {
    match b {
        Builtin::Millis => Ok(Some(JV::Num(ev.now_ms as f64))),
        Builtin::Now => {
            let picture = str_arg(args, 0);
            let tz = str_arg(args, 1);
            Ok(Some(JV::str(&from_millis(ev.now_ms as f64, picture, tz)?)))
        }
        Builtin::FromMillis => {
            let Some(ms) = num_arg(args, 0) else {
                return Ok(None);
            };
            Ok(Some(JV::str(&from_millis(
                ms,
                str_arg(args, 1),
                str_arg(args, 2),
            )?)))
        }
        Builtin::ToMillis => {
            let Some(text) = str_arg(args, 0) else {
                return Ok(None);
            };
            match str_arg(args, 1) {
                None => {
                    let ms = dt::parse_iso(text).ok_or_else(|| {
                        err("D3110", format!("The timestamp {text:?} cannot be parsed"))
                    })?;
                    Ok(Some(JV::Num(ms as f64)))
                }
                Some(picture) => {
                    Ok(dt::parse_picture(text, picture, ev.now_ms)?.map(|ms| JV::Num(ms as f64)))
                }
            }
        }
        _ => Ok(None),
    }
}

fn from_millis(ms: f64, picture: Option<&str>, tz: Option<&str>) -> JResult<String> {
    let ms = ms.floor() as i64;
    match picture {
        None if tz.is_none() => Ok(dt::iso(ms)),
        None => dt::format_picture(
            ms,
            "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]",
            tz,
        ),
        Some(p) => dt::format_picture(ms, p, tz),
    }
}
