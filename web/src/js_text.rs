//! Case mapping by the browser's `String.prototype.toLowerCase`/`toUpperCase`, and decimal
//! numbers by its `parseFloat`, registered with asl-core at start-up
//! (`asl_core::text::set_text_host`): JSONata's `$lowercase`/`$uppercase` are JavaScript's by
//! definition, and the page builds asl-core without Rust's Unicode case tables and its float
//! reader's powers of five (~15 and ~10 KB of the gzipped bundle, benches/README.md, "Bundle
//! size"). asl-core checks a number's grammar and computes most numbers itself
//! (`asl_core::text::parse_f64`); only the rest (over 19 significant digits, powers of ten beyond
//! 22) come here, and `parseFloat` rounds them correctly, as Rust does.

use asl_core::text::TextHost;
use js_sys::JsString;

/// The host the playground registers.
pub struct JsText;

impl TextHost for JsText {
    fn to_lowercase(&self, s: &str) -> String {
        JsString::from(s).to_lower_case().into()
    }

    fn to_uppercase(&self, s: &str) -> String {
        JsString::from(s).to_upper_case().into()
    }

    fn parse_decimal(&self, decimal: &str) -> f64 {
        js_sys::parse_float(decimal)
    }
}
