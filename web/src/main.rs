//! Entry point of the playground web app: installs the panic hook and mounts the root component.
use leptos::prelude::*;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(|| view! { <h1>"ASL Playground"</h1> });
}
