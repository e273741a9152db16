//! Light/dark theme: follows the system's `prefers-color-scheme` until the user picks one with
//! the toggle; the pick is remembered. The theme is a `data-theme` attribute on `<html>` that the
//! stylesheet keys its colours on.

use crate::storage::{self, Key};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Theme {
    Light,
    Dark,
}

impl Theme {
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    pub fn toggled(self) -> Theme {
        match self {
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::Light,
        }
    }
}

/// The remembered choice, else the system preference.
pub fn initial() -> Theme {
    match storage::get(Key::Theme).as_deref() {
        Some("dark") => Theme::Dark,
        Some("light") => Theme::Light,
        _ => {
            let dark = web_sys::window()
                .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
                .is_some_and(|m| m.matches());
            if dark { Theme::Dark } else { Theme::Light }
        }
    }
}

/// Applies a theme to the document (and remembers it when the user chose it).
pub fn apply(theme: Theme, remember: bool) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("data-theme", theme.as_str());
    }
    if remember {
        storage::set(Key::Theme, theme.as_str());
    }
}
