//! Unicode case mapping for every crate of the project (JSONata's `$lowercase`/`$uppercase`, its
//! date and number pictures, the graph's labels), from a host when one is registered.
//!
//! Why a host hook: Rust's `str::to_lowercase`/`to_uppercase` carry core's Unicode case tables,
//! ~23 KB of data (11 KB of the playground's gzipped bundle, benches/README.md, "Bundle size"). A
//! browser already has them: the playground registers a [`TextHost`] backed by JavaScript's
//! `String.prototype.toLowerCase`/`toUpperCase` ([`set_text_host`]), which are also JSONata's
//! reference semantics, and builds asl-core without the cargo feature `case-tables`. Native
//! builds and the JS API ask for the feature and use Rust's mapping (the same full Unicode
//! mapping, final sigma included; the tables' Unicode version may differ from the browser's).
//!
//! Without the feature and without a host, text is mapped in ASCII only (other characters stay as
//! they are); no shipped build is made that way. Call sites whose text is ASCII by construction
//! (fixed names, roman numerals) use `to_ascii_lowercase`/`to_ascii_uppercase` directly.

use std::sync::OnceLock;

/// What a host supplies instead of Rust's tables (the playground: JavaScript's own methods).
pub trait TextHost: Sync {
    /// `s` in lower case, as JavaScript's `String.prototype.toLowerCase`.
    fn to_lowercase(&self, s: &str) -> String;
    /// `s` in upper case, as JavaScript's `String.prototype.toUpperCase`.
    fn to_uppercase(&self, s: &str) -> String;
}

static HOST: OnceLock<&'static dyn TextHost> = OnceLock::new();

/// Makes `host` do this process's case mapping from now on. Only the first call counts: it returns
/// false when a host was already set.
pub fn set_text_host(host: &'static dyn TextHost) -> bool {
    HOST.set(host).is_ok()
}

/// `s` in lower case (full Unicode: the host's mapping, else Rust's with `case-tables`).
pub fn to_lowercase(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    if let Some(host) = HOST.get() {
        return host.to_lowercase(s);
    }
    #[cfg(feature = "case-tables")]
    #[allow(clippy::disallowed_methods)] // the one place Rust's own mapping is used
    {
        s.to_lowercase()
    }
    #[cfg(not(feature = "case-tables"))]
    {
        s.to_ascii_lowercase()
    }
}

/// `s` in upper case (full Unicode: the host's mapping, else Rust's with `case-tables`).
pub fn to_uppercase(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_uppercase();
    }
    if let Some(host) = HOST.get() {
        return host.to_uppercase(s);
    }
    #[cfg(feature = "case-tables")]
    #[allow(clippy::disallowed_methods)] // the one place Rust's own mapping is used
    {
        s.to_uppercase()
    }
    #[cfg(not(feature = "case-tables"))]
    {
        s.to_ascii_uppercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The ASCII shortcut gives what the full mapping gives; beyond ASCII (with `case-tables`, as
    // `cargo test -p asl-core` builds) the full mapping: special casing, final sigma.
    #[test]
    #[allow(clippy::disallowed_methods)]
    fn maps_as_rust_does() {
        for s in [
            "",
            "Hello, World 42!",
            "ÀÉÎõü",
            "straße",
            "ΟΔΟΣ ΟΔΟΣ",
            "İstanbul",
            "ǅ",
            "ﬁ",
            "\u{212A}elvin",
        ] {
            #[cfg(feature = "case-tables")]
            {
                assert_eq!(to_lowercase(s), s.to_lowercase(), "{s}");
                assert_eq!(to_uppercase(s), s.to_uppercase(), "{s}");
            }
            if s.is_ascii() {
                assert_eq!(to_lowercase(s), s.to_ascii_lowercase(), "{s}");
                assert_eq!(to_uppercase(s), s.to_ascii_uppercase(), "{s}");
            }
        }
        #[cfg(feature = "case-tables")]
        {
            assert_eq!(to_uppercase("straße"), "STRASSE");
            assert_eq!(
                to_lowercase("ΟΔΟΣ ΟΔΟΣ"),
                "\u{3bf}\u{3b4}\u{3bf}\u{3c2} \u{3bf}\u{3b4}\u{3bf}\u{3c2}"
            );
        }
    }
}
