//! Object and value functions: `$keys`, `$lookup`, `$spread`, `$merge`, `$type`, `$clone`,
//! `$error`, `$assert`.

use std::sync::Arc;

use super::super::error::{JResult, err};
use super::super::eval::lookup;
use super::super::jv::{JV, Val, make_object};
use super::{Builtin, arg, seq, str_arg};
use crate::value::Key;

pub(crate) fn call<'a>(b: Builtin, args: Vec<Val<'a>>) -> JResult<Val<'a>> {
    match b {
        Builtin::Keys => {
            let Some(v) = arg(&args, 0) else {
                return Ok(None);
            };
            let mut keys: Vec<Key> = Vec::new();
            if v.is_array() {
                for item in v.items() {
                    for k in item.obj_keys() {
                        if !keys.contains(&k) {
                            keys.push(k);
                        }
                    }
                }
            } else {
                keys = v.obj_keys();
            }
            seq(keys.into_iter().map(|k| JV::Str(k.into())).collect())
        }
        Builtin::Lookup => {
            let key = str_arg(&args, 1).unwrap_or("").to_string();
            Ok(lookup(&arg(&args, 0), &key))
        }
        Builtin::Spread => {
            let Some(v) = arg(&args, 0) else {
                return Ok(None);
            };
            let mut out = Vec::new();
            let mut spread_one = |x: &JV<'a>| {
                if x.is_object() {
                    for (k, val) in x.obj_entries() {
                        out.push(make_object(vec![(k, val)]));
                    }
                } else {
                    out.push(x.clone());
                }
            };
            if v.is_array() {
                for item in v.items() {
                    spread_one(&item);
                }
            } else {
                spread_one(&v);
            }
            seq(out)
        }
        Builtin::Merge => {
            let Some(v) = arg(&args, 0) else {
                return Ok(None);
            };
            let mut members: Vec<(Key, JV<'a>)> = Vec::new();
            for item in v.items() {
                for (k, val) in item.obj_entries() {
                    if let Some(slot) = members.iter_mut().find(|(mk, _)| *mk == k) {
                        slot.1 = val;
                    } else {
                        members.push((k, val));
                    }
                }
            }
            Ok(Some(make_object(members)))
        }
        Builtin::Type => Ok(arg(&args, 0).map(|v| JV::Str(Arc::from(v.type_name())))),
        Builtin::Clone => Ok(arg(&args, 0).map(|v| super::super::transform::deep_copy(&v))),
        Builtin::Error => {
            let msg = str_arg(&args, 0).unwrap_or("$error() function evaluated");
            Err(err("D3137", msg.to_string()))
        }
        Builtin::Assert => {
            let ok = matches!(arg(&args, 0), Some(JV::Bool(true)));
            if !ok {
                let msg = str_arg(&args, 1).unwrap_or("$assert() statement failed");
                return Err(err("D3141", msg.to_string()));
            }
            Ok(None)
        }
        _ => Ok(None),
    }
}
