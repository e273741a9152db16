//! Browser localStorage, the app's only persistence: the user's work survives a reload.
//!
//! Owns the key names and the fallible access (storage can be disabled or full); callers get
//! `Option`s and never see a JS exception. What could not be written to localStorage is kept in
//! a plain object on `window` (`__aslMemoryStore`, made by `public/boot.js`) so it still survives
//! a restart of the wasm after a crash, and [`health`] says so for the page's notice. It also
//! holds keys back while another tab's change waits for the user's decision (see `tabs.rs`): a
//! held key is not written, so neither tab overwrites the other's text silently.

use std::cell::RefCell;
use std::collections::BTreeSet;

use leptos::prelude::*;
use wasm_bindgen::JsValue;
use web_sys::js_sys::{Object, Reflect};

/// One value the app keeps across reloads.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Key {
    Definition,
    Input,
    Mocks,
    Example,
    Theme,
    /// STANDARD or EXPRESS.
    WorkflowType,
    /// Lint codes silenced in this session, comma-separated.
    AllowedLints,
    /// Placeholder values, a DefinitionSubstitutions-shaped JSON object.
    Substitutions,
    /// The state machine picked in a template with several.
    LogicalId,
}

impl Key {
    fn name(self) -> &'static str {
        match self {
            Key::Definition => "asl-playground.definition",
            Key::Input => "asl-playground.input",
            Key::Mocks => "asl-playground.mocks",
            Key::Example => "asl-playground.example",
            Key::Theme => "asl-playground.theme",
            Key::WorkflowType => "asl-playground.workflow-type",
            Key::AllowedLints => "asl-playground.allowed-lints",
            Key::Substitutions => "asl-playground.substitutions",
            Key::LogicalId => "asl-playground.logical-id",
        }
    }
}

/// Whether the browser keeps what the page saves.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Health {
    Ok,
    /// localStorage cannot be used at all (blocked site data, some private modes).
    Unavailable,
    /// A write was refused (quota exceeded); the named keys' latest values are not saved.
    Full,
}

thread_local! {
    static HEALTH: ArcRwSignal<Health> = ArcRwSignal::new(Health::Ok);
    /// Keys whose last write to localStorage failed.
    static FAILING: RefCell<BTreeSet<&'static str>> = const { RefCell::new(BTreeSet::new()) };
    /// Keys not to write while another tab's change to them is pending.
    static HELD: RefCell<BTreeSet<&'static str>> = const { RefCell::new(BTreeSet::new()) };
}

/// The storage's health, as a signal the page's notice reads.
pub fn health() -> ArcRwSignal<Health> {
    HEALTH.with(Clone::clone)
}

fn set_health(h: Health) {
    HEALTH.with(|s| {
        if s.get_untracked() != h {
            s.set(h);
        }
    });
}

fn local_storage() -> Option<web_sys::Storage> {
    let storage = web_sys::window()?.local_storage().ok().flatten();
    if storage.is_none() {
        set_health(Health::Unavailable);
    }
    storage
}

/// The object on `window` that keeps what localStorage would not (see the module doc).
fn memory() -> Option<Object> {
    let window = web_sys::window()?;
    let key = JsValue::from_str("__aslMemoryStore");
    match Reflect::get(&window, &key).ok().filter(JsValue::is_object) {
        Some(m) => Some(m.into()),
        None => {
            let m = Object::new();
            Reflect::set(&window, &key, &m).ok()?;
            Some(m)
        }
    }
}

fn memory_get(name: &str) -> Option<String> {
    Reflect::get(&memory()?.into(), &JsValue::from_str(name))
        .ok()?
        .as_string()
}

fn memory_set(name: &str, value: Option<&str>) {
    let Some(m) = memory() else { return };
    let key = JsValue::from_str(name);
    match value {
        Some(v) => {
            let _ = Reflect::set(&m, &key, &JsValue::from_str(v));
        }
        None => {
            let _ = Reflect::delete_property(&m, &key);
        }
    }
}

/// The saved value: what localStorage refused (kept in memory) first, being newer.
pub fn get(key: Key) -> Option<String> {
    memory_get(key.name()).or_else(|| local_storage()?.get_item(key.name()).ok().flatten())
}

/// Stores a value. A full or disabled storage does not stop the page: the value is kept in memory
/// and [`health`] says it is not saved. A held key is not written (see [`hold`]).
pub fn set(key: Key, value: &str) {
    let name = key.name();
    if HELD.with(|h| h.borrow().contains(name)) {
        return;
    }
    let Some(s) = local_storage() else {
        memory_set(name, Some(value));
        return;
    };
    let failing = FAILING.with(|f| {
        let mut f = f.borrow_mut();
        if s.set_item(name, value).is_ok() {
            f.remove(name);
            memory_set(name, None);
        } else {
            f.insert(name);
            memory_set(name, Some(value));
        }
        !f.is_empty()
    });
    set_health(if failing { Health::Full } else { Health::Ok });
}

/// Stops writing `key` until [`release`]: another tab wrote it and the user has not chosen yet.
pub fn hold(key: Key) {
    HELD.with(|h| h.borrow_mut().insert(key.name()));
}

/// Writes `key` again from now on.
pub fn release(key: Key) {
    HELD.with(|h| h.borrow_mut().remove(key.name()));
}

/// The key a storage event names, among the session's texts.
pub fn text_key(name: &str) -> Option<Key> {
    [Key::Definition, Key::Input, Key::Mocks]
        .into_iter()
        .find(|k| k.name() == name)
}
