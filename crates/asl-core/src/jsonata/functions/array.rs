//! Array functions: `$zip`, `$append`, `$reverse`, `$shuffle` (seeded), `$distinct`, `$exists`.

use super::super::error::JResult;
use super::super::eval::Evaluator;
use super::super::jv::{JV, Val, deep_equal};
use super::{Builtin, append, arg};

pub(crate) fn call<'a>(
    ev: &mut Evaluator<'a, '_>,
    b: Builtin,
    args: Vec<Val<'a>>,
) -> JResult<Val<'a>> {
    match b {
        Builtin::Exists => Ok(Some(JV::Bool(arg(&args, 0).is_some()))),
        Builtin::Append => Ok(append(arg(&args, 0), arg(&args, 1))),
        Builtin::Zip => {
            let lists: Vec<Vec<JV<'a>>> = args
                .iter()
                .map(|a| a.as_ref().map(JV::to_vec).unwrap_or_default())
                .collect();
            let n = lists.iter().map(Vec::len).min().unwrap_or(0);
            let rows = (0..n)
                .map(|i| JV::array(lists.iter().map(|l| l[i].clone()).collect()))
                .collect();
            Ok(Some(JV::array(rows)))
        }
        Builtin::Reverse => {
            let Some(list) = arg(&args, 0) else {
                return Ok(None);
            };
            let mut items = list.to_vec();
            items.reverse();
            Ok(Some(JV::array(items)))
        }
        Builtin::Shuffle => {
            let Some(list) = arg(&args, 0) else {
                return Ok(None);
            };
            let mut items = list.to_vec();
            // Fisher–Yates from the injected generator.
            for i in (1..items.len()).rev() {
                let j = (ev.next_random() * (i + 1) as f64).floor() as usize;
                items.swap(i, j.min(i));
            }
            Ok(Some(JV::array(items)))
        }
        Builtin::Distinct => {
            let Some(v) = arg(&args, 0) else {
                return Ok(None);
            };
            if !v.is_array() || v.arr_len() <= 1 {
                return Ok(Some(v));
            }
            let mut out: Vec<JV<'a>> = Vec::new();
            for item in v.items() {
                if !out.iter().any(|x| deep_equal(x, &item)) {
                    out.push(item);
                }
            }
            Ok(Some(super::super::jv::Seq::seq_with(out).into_jv()))
        }
        _ => Ok(None),
    }
}
