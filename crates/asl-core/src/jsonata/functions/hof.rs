//! Higher-order functions: `$map`, `$filter`, `$single`, `$reduce`, `$sift`, `$each`, `$sort`.
//! A callback gets as many of (value, index/key, whole) as it declares parameters, as in JSONata.

use super::super::error::{JResult, err};
use super::super::eval::{Evaluator, js_str_cmp, merge_sort};
use super::super::jv::{Env, JV, Seq, Val, make_object, truthy};
use super::{Builtin, arg, seq};

fn arity(f: &Val) -> usize {
    match f {
        Some(JV::Func(f)) => f.arity(),
        _ => 0,
    }
}

fn hof_args<'a>(f: &Val<'a>, v: JV<'a>, i: JV<'a>, whole: &JV<'a>) -> Vec<Val<'a>> {
    let n = arity(f);
    let mut args = vec![Some(v)];
    if n >= 2 {
        args.push(Some(i));
    }
    if n >= 3 {
        args.push(Some(whole.clone()));
    }
    args
}

pub(crate) fn call<'a>(
    ev: &mut Evaluator<'a, '_>,
    b: Builtin,
    args: Vec<Val<'a>>,
    input: &Val<'a>,
    env: &Env<'a>,
) -> JResult<Val<'a>> {
    let f = arg(&args, 1);
    let Some(subject) = arg(&args, 0) else {
        return Ok(None);
    };
    match b {
        Builtin::Map => {
            let mut out = Vec::new();
            for (i, v) in subject.items().enumerate() {
                let a = hof_args(&f, v, JV::Num(i as f64), &subject);
                if let Some(r) = ev.apply(f.clone(), a, input, env)? {
                    out.push(r);
                }
            }
            seq(out)
        }
        Builtin::Filter => {
            let mut out = Vec::new();
            for (i, v) in subject.items().enumerate() {
                let a = hof_args(&f, v.clone(), JV::Num(i as f64), &subject);
                let r = ev.apply(f.clone(), a, input, env)?;
                if r.as_ref().is_some_and(truthy) {
                    out.push(v);
                }
            }
            seq(out)
        }
        Builtin::Single => {
            let mut found: Option<JV<'a>> = None;
            for (i, v) in subject.items().enumerate() {
                let keep = match &f {
                    None => true,
                    Some(_) => {
                        let a = hof_args(&f, v.clone(), JV::Num(i as f64), &subject);
                        ev.apply(f.clone(), a, input, env)?
                            .as_ref()
                            .is_some_and(truthy)
                    }
                };
                if keep {
                    if found.is_some() {
                        return Err(err(
                            "D3138",
                            "The $single() function expected exactly 1 matching result.  Instead it matched more.",
                        ));
                    }
                    found = Some(v);
                }
            }
            match found {
                Some(v) => Ok(Some(v)),
                None => Err(err(
                    "D3139",
                    "The $single() function expected exactly 1 matching result.  Instead it matched 0.",
                )),
            }
        }
        Builtin::Reduce => {
            let n = arity(&f);
            if n < 2 {
                return Err(err(
                    "D3050",
                    "The second argument of reduce function must be a function with at least two arguments",
                ));
            }
            let items = subject.to_vec();
            let init = arg(&args, 2);
            let (mut acc, start) = match init {
                None if !items.is_empty() => (Some(items[0].clone()), 1),
                other => (other, 0),
            };
            for (i, item) in items.iter().enumerate().skip(start) {
                let mut a = vec![acc, Some(item.clone())];
                if n >= 3 {
                    a.push(Some(JV::Num(i as f64)));
                }
                if n >= 4 {
                    a.push(Some(subject.clone()));
                }
                acc = ev.apply(f.clone(), a, input, env)?;
            }
            Ok(acc)
        }
        Builtin::Sift => {
            let mut members = Vec::new();
            for (k, v) in subject.obj_entries() {
                let a = hof_args(&f, v.clone(), JV::Str(k.clone().into()), &subject);
                if ev
                    .apply(f.clone(), a, input, env)?
                    .as_ref()
                    .is_some_and(truthy)
                {
                    members.push((k, v));
                }
            }
            if members.is_empty() {
                return Ok(None);
            }
            Ok(Some(make_object(members)))
        }
        Builtin::Each => {
            let mut out = Vec::new();
            for (k, v) in subject.obj_entries() {
                let a = hof_args(&f, v, JV::Str(k.into()), &subject);
                if let Some(r) = ev.apply(f.clone(), a, input, env)? {
                    out.push(r);
                }
            }
            seq(out)
        }
        Builtin::Sort => {
            let items = subject.to_vec();
            if items.len() <= 1 {
                return Ok(Some(subject));
            }
            let sorted = match &f {
                None => {
                    let all_nums = items.iter().all(|x| matches!(x, JV::Num(_)));
                    let all_strs = items.iter().all(|x| matches!(x, JV::Str(_)));
                    if !all_nums && !all_strs {
                        return Err(err(
                            "D3070",
                            "The single argument form of the sort function can only be applied to an array of strings or an array of numbers.  Use the second argument to specify a comparison function",
                        ));
                    }
                    merge_sort(items, &mut |a, b| {
                        Ok(match (a, b) {
                            (JV::Num(x), JV::Num(y)) => x > y,
                            (JV::Str(x), JV::Str(y)) => js_str_cmp(x, y).is_gt(),
                            _ => false,
                        })
                    })?
                }
                Some(_) => merge_sort(items, &mut |a, b| {
                    let r = ev.apply(
                        f.clone(),
                        vec![Some(a.clone()), Some(b.clone())],
                        input,
                        env,
                    )?;
                    Ok(r.as_ref().is_some_and(truthy))
                })?,
            };
            Ok(Some(
                Seq {
                    items: sorted,
                    ..Seq::default()
                }
                .into_jv(),
            ))
        }
        _ => Ok(None),
    }
}
