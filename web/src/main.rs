//! ASL Playground's web app (Leptos, client-side rendered, built by Trunk).
//!
//! This crate owns the page: layout, editors, examples, persistence and theme. It holds no ASL
//! semantics: everything about a definition (diagnostics, graph, execution) comes from the core
//! crates through [`core_api`], and the UI only renders what they return.

mod app;
mod core_api;
mod download;
mod editor;
mod examples;
mod export;
mod graph_view;
mod highlight;
mod import_panel;
mod inspector;
mod json_view;
mod mocks_form;
mod results;
mod run_report;
mod stepper_bar;
mod stepping;
mod storage;
mod theme;
mod timing;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
