//! ASL Playground's web app (Leptos, client-side rendered, built by Trunk).
//!
//! This crate owns the page: layout, editors, examples, persistence and theme. It holds no ASL
//! semantics: everything about a definition (diagnostics, graph, execution) comes from the core
//! crates through [`core_api`], and the UI only renders what they return.

mod app;
mod core_api;
mod download;
mod editor;
mod embed_mode;
mod examples;
mod export;
mod graph_view;
mod highlight;
mod import_panel;
mod inspector;
mod js_deflate;
mod js_regex;
mod js_text;
mod json_view;
mod mocks_form;
mod recovery;
mod results;
mod run_report;
mod share;
mod stepper_bar;
mod stepping;
mod storage;
mod tabs;
mod theme;
mod timing;
mod when;

fn main() {
    recovery::install();
    // JSONata regexes run by the browser's RegExp (this build has no other engine).
    asl_core::jsonata::set_regex_engine(&js_regex::JsRegexEngine);
    // Case mapping by the browser's toLowerCase/toUpperCase (this build has no Unicode tables).
    asl_core::text::set_text_host(&js_text::JsText);
    // `?embed`: the read-only view for iframes (graph, stepper, inspector; no editor).
    if embed_mode::requested() {
        leptos::mount::mount_to_body(embed_mode::EmbedApp);
    } else {
        leptos::mount::mount_to_body(app::App);
    }
}
