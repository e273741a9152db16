//! Case mapping by the browser's `String.prototype.toLowerCase`/`toUpperCase`, registered with
//! asl-core at start-up (`asl_core::text::set_text_host`): JSONata's `$lowercase`/`$uppercase`
//! are JavaScript's by definition, and the page builds asl-core without Rust's Unicode case
//! tables (~11 KB of the gzipped bundle, benches/README.md, "Bundle size").

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
}
