//! [`When`]: Leptos's `<Show>` without its type parameters, for the page's 15 conditional blocks.
//!
//! `Show<W, C>` is generic over its condition and its children, so each use was its own copy of
//! the memo, the children's closure and the reactive view code around them; this one takes a
//! `Signal<bool>` and type-erased children, so all uses share one copy (benches/README.md,
//! "Bundle size"). It behaves as `Show` does: the condition is memoized (the children are built
//! when it turns true and dropped when it turns false, not rebuilt while it stays true), and the
//! children are built inside the reactive closure, as `Show` builds them.

use leptos::prelude::*;

/// The children while `when` is true; nothing otherwise.
#[component]
pub fn When(#[prop(into)] when: Signal<bool>, children: ChildrenFn) -> impl IntoView {
    let shown = Memo::new(move |_| when.get());
    view! { {move || shown.get().then(|| children())} }
}
