//! Browser localStorage, the app's only persistence: the user's work survives a reload.
//!
//! Owns the key names and the fallible access (storage can be disabled or full); callers get
//! `Option`s and never see a JS exception. What could not be written to localStorage is kept in
//! a plain object on `window` (`__aslMemoryStore`, made by `public/boot.js`) so it still survives
//! a restart of the wasm after a crash, and [`health`] says so for the page's notice.
//!
//! The session's texts (definition, input, mocks) are written compare-and-set: this tab remembers
//! the value it last read or wrote, and when the stored one is neither that nor the new one,
//! another tab wrote it (even one whose `storage` event we never got, say a tab the browser had
//! frozen), so the key is held and listed in [`conflicts`] instead of overwritten. A held key is
//! not written until `tabs.rs`'s notice resolves it with the user ([`release`]).

use std::cell::RefCell;

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
    /// The session's texts, written compare-and-set (see the module doc).
    fn is_text(self) -> bool {
        matches!(self, Key::Definition | Key::Input | Key::Mocks)
    }

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
    /// Keys whose last write to localStorage failed. (Lists, not a `BTreeSet`/`BTreeMap`: there
    /// are a handful of keys, and each map type is its own code in the wasm.)
    static FAILING: RefCell<Vec<&'static str>> = const { RefCell::new(Vec::new()) };
    /// Texts another tab wrote while this one has its own, waiting for the user: held keys.
    static CONFLICTS: ArcRwSignal<Vec<(Key, String)>> = ArcRwSignal::new(Vec::new());
    /// The value of each text key this tab last read or wrote (`None`: it was absent).
    static KNOWN: RefCell<Vec<(&'static str, Option<String>)>> = const { RefCell::new(Vec::new()) };
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
    // Kept once found: the `localStorage` getter is a slow call (~0.4 ms in a typing profile) and
    // the texts are written on every keystroke.
    thread_local! {
        static FOUND: RefCell<Option<web_sys::Storage>> = const { RefCell::new(None) };
    }
    if let Some(s) = FOUND.with(|f| f.borrow().clone()) {
        return Some(s);
    }
    let storage = web_sys::window()?.local_storage().ok().flatten();
    match &storage {
        Some(s) => FOUND.with(|f| *f.borrow_mut() = Some(s.clone())),
        None => set_health(Health::Unavailable),
    }
    storage
}

/// The object on `window` that keeps what localStorage would not (see the module doc).
fn memory() -> Option<Object> {
    window_object("__aslMemoryStore")
}

/// The object `window[name]`, made when missing: it outlives this module's instance.
fn window_object(name: &str) -> Option<Object> {
    let window = web_sys::window()?;
    let key = JsValue::from_str(name);
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

/// Notes the value this tab last read or wrote for a text, for the compare-and-set; mirrored on
/// `window.__aslKnown` (`null`: known to be absent) so `public/boot.js`, rescuing the texts after
/// a crash has taken this module's memory, makes the same check.
fn remember(name: &'static str, value: Option<String>) {
    if let Some(known) = window_object("__aslKnown") {
        let v = value.as_deref().map_or(JsValue::NULL, JsValue::from_str);
        let _ = Reflect::set(&known, &JsValue::from_str(name), &v);
    }
    KNOWN.with(|k| {
        let mut k = k.borrow_mut();
        match k.iter_mut().find(|(n, _)| *n == name) {
            Some((_, v)) => *v = value,
            None => k.push((name, value)),
        }
    });
}

/// The saved value: what localStorage refused (kept in memory) first, being newer.
pub fn get(key: Key) -> Option<String> {
    let value =
        memory_get(key.name()).or_else(|| local_storage()?.get_item(key.name()).ok().flatten());
    if key.is_text() {
        remember(key.name(), value.clone());
    }
    value
}

/// Stores a value. A full or disabled storage does not stop the page: the value is kept in memory
/// and [`health`] says it is not saved. A text another tab changed since this tab last read or
/// wrote it is not overwritten: it becomes a conflict (see the module doc), as is a held key.
pub fn set(key: Key, value: &str) {
    let name = key.name();
    if is_held(key) {
        return;
    }
    let Some(s) = local_storage() else {
        memory_set(name, Some(value));
        return;
    };
    if key.is_text() {
        let stored = s.get_item(name).ok().flatten();
        let known = KNOWN.with(|k| {
            k.borrow()
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.clone())
        });
        if let (Some(known), Some(theirs)) = (known, stored)
            && known.as_deref() != Some(theirs.as_str())
            && theirs != value
        {
            hold(key, theirs);
            return;
        }
    }
    let failing = FAILING.with(|f| {
        let mut f = f.borrow_mut();
        if s.set_item(name, value).is_ok() {
            f.retain(|n| *n != name);
            memory_set(name, None);
            if key.is_text() {
                remember(name, Some(value.to_string()));
            }
        } else {
            if !f.contains(&name) {
                f.push(name);
            }
            memory_set(name, Some(value));
        }
        !f.is_empty()
    });
    set_health(if failing { Health::Full } else { Health::Ok });
}

/// The texts other tabs changed under this one's, as (key, their text), oldest first.
pub fn conflicts() -> ArcRwSignal<Vec<(Key, String)>> {
    CONFLICTS.with(Clone::clone)
}

fn is_held(key: Key) -> bool {
    CONFLICTS.with(|c| c.with_untracked(|c| c.iter().any(|(k, _)| *k == key)))
}

/// Stops writing `key`: another tab wrote `theirs` and the user has not chosen yet.
pub fn hold(key: Key, theirs: String) {
    CONFLICTS.with(|c| {
        c.update(|c| {
            c.retain(|(k, _)| *k != key);
            c.push((key, theirs));
        })
    });
}

/// Ends `key`'s conflict: writes go through again. Returns the text stored now (theirs, newest).
pub fn release(key: Key) -> Option<String> {
    CONFLICTS.with(|c| {
        if c.with_untracked(|c| c.iter().any(|(k, _)| *k == key)) {
            c.update(|c| c.retain(|(k, _)| *k != key));
        }
    });
    let stored = local_storage()?.get_item(key.name()).ok().flatten();
    remember(key.name(), stored.clone());
    stored
}

/// Notes that this tab now shows `value`, which another tab stored for `key` (it followed that
/// tab): the compare-and-set of this tab's next write compares with it. Without this, an edit
/// made before this tab's own (delayed) save of the followed text would look like a conflict.
pub fn followed(key: Key, value: &str) {
    remember(key.name(), Some(value.to_string()));
}

/// The key a storage event names, among the session's texts.
pub fn text_key(name: &str) -> Option<Key> {
    [Key::Definition, Key::Input, Key::Mocks]
        .into_iter()
        .find(|k| k.name() == name)
}
