//! The transform operator `| pattern | update, delete |` over immutable values.
//!
//! JSONata deep-copies the input and mutates the matched objects in place. Values here are shared
//! and immutable, so instead: copy once (every object gets its own identity), record the edits per
//! matched object (by identity), then rebuild the copy bottom-up applying them.

use std::collections::HashMap;
use std::sync::Arc;

use crate::value::{Array, Key, Object, Value};

use super::jv::JV;

/// A copy of `v` in which every array and object is a fresh allocation.
pub(crate) fn deep_copy<'a>(v: &JV<'a>) -> JV<'a> {
    match v.to_value() {
        Some(val) => JV::from_value(&copy_value(&val)),
        None => v.clone(),
    }
}

fn copy_value(v: &Value) -> Value {
    match v {
        Value::Array(a) => Value::Array(Arc::new(a.iter().map(copy_value).collect::<Array>())),
        Value::Object(o) => {
            let mut obj = Object::with_capacity(o.len());
            for (k, val) in o.iter() {
                obj.push_unique(k.clone(), copy_value(val));
            }
            Value::Object(Arc::new(obj))
        }
        other => other.clone(),
    }
}

type Edit = (Vec<(Key, Value)>, Vec<Arc<str>>);

#[derive(Default)]
pub(crate) struct Edits {
    by_object: HashMap<usize, Vec<Edit>>,
}

impl Edits {
    /// Records an update (members to set) and deletions for a matched value.
    pub fn add(&mut self, matched: &JV, set: Vec<(Key, JV)>, remove: Vec<Arc<str>>) {
        let JV::DObj(o) = matched else { return };
        let set = set
            .into_iter()
            .filter_map(|(k, v)| v.to_value().map(|v| (k, v)))
            .collect();
        self.by_object
            .entry(Arc::as_ptr(o) as usize)
            .or_default()
            .push((set, remove));
    }

    pub fn apply<'a>(&self, copy: &JV<'a>) -> JV<'a> {
        if self.by_object.is_empty() {
            return copy.clone();
        }
        match copy.to_value() {
            Some(v) => JV::from_value(&self.rebuild(&v)),
            None => copy.clone(),
        }
    }

    fn rebuild(&self, v: &Value) -> Value {
        match v {
            Value::Array(a) => Value::Array(Arc::new(a.iter().map(|x| self.rebuild(x)).collect())),
            Value::Object(o) => {
                let mut obj = Object::with_capacity(o.len());
                for (k, val) in o.iter() {
                    obj.push_unique(k.clone(), self.rebuild(val));
                }
                if let Some(edits) = self.by_object.get(&(Arc::as_ptr(o) as usize)) {
                    for (set, remove) in edits {
                        for (k, val) in set {
                            obj.insert(k.clone(), val.clone());
                        }
                        for k in remove {
                            obj.remove(k);
                        }
                    }
                }
                Value::Object(Arc::new(obj))
            }
            other => other.clone(),
        }
    }
}
