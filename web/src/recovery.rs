//! What the app does about its own panics: the wasm is built with `panic = "abort"`, so a panic
//! traps and this module instance is finished. The app's part is to say what happened before it
//! goes: the panic hook sends the message to the page as an `asl-panic` event (and logs it, as
//! `console_error_panic_hook` does). Catching the trap, tearing down the dead instance and
//! starting a fresh one is `public/boot.js`'s, which shows the message in its banner.
//!
//! The texts are already saved when a panic can happen: every edit is written to storage as the
//! signal changes (see `app.rs`), before any of the work that could panic (analysis is debounced,
//! runs are sliced per animation frame), and `boot.js` rescues the textareas' text as well.
//!
//! A test build (`--features test-panic`, never the shipped one) panics on purpose when the
//! definition or the run's input contains [`TRIGGER`], so the browser tests can prove recovery.

use wasm_bindgen::JsValue;

/// Installs the panic hook; call first thing in `main`.
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".to_string());
        let at = info
            .location()
            .map(|l| format!(" (at {}:{})", l.file(), l.line()))
            .unwrap_or_default();
        announce(&format!("{what}{at}"));
        console_error_panic_hook::hook(info);
    }));
}

/// Dispatches `asl-panic` on `window` with the message as its detail.
fn announce(message: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let init = web_sys::CustomEventInit::new();
    init.set_detail(&JsValue::from_str(message));
    if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict("asl-panic", &init) {
        let _ = window.dispatch_event(&event);
    }
}

/// The text that makes a test build panic.
#[cfg(feature = "test-panic")]
pub const TRIGGER: &str = "__asl_test_panic__";

/// In a test build, panics when `text` holds [`TRIGGER`]; in the shipped build, nothing.
#[cfg(feature = "test-panic")]
pub fn trip(text: &str) {
    if text.contains(TRIGGER) {
        panic!("test panic: the text contains {TRIGGER}");
    }
}

/// In a test build, panics when `text` holds the trigger; in the shipped build, nothing.
#[cfg(not(feature = "test-panic"))]
#[inline(always)]
pub fn trip(_text: &str) {}
