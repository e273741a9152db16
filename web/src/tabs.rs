//! The page's notices about where the texts are kept: storage that is full or disabled, and
//! another tab of the same session changing them.
//!
//! Two tabs share one localStorage, so each write of one tab is a `storage` event in the other.
//! When this tab's text is what the other tab replaced (nothing of ours would be lost), this tab
//! follows, and says so. When ours differs from both (we edited too), the key is held (no more
//! writes from here, see `storage::hold`) and the user chooses: load theirs, or keep mine (which
//! writes ours, and the other tab then follows). A write from a tab whose event we never got is
//! caught by `storage::set`'s compare-and-set and lands in the same list. Nothing is overwritten
//! without the user seeing it. The decisions are here; the storage mechanics are `storage.rs`'s.

use leptos::prelude::*;

use crate::storage::{self, Health, Key};

fn label(key: Key) -> &'static str {
    match key {
        Key::Definition => "definition",
        Key::Input => "input",
        Key::Mocks => "mocks",
        _ => "settings",
    }
}

fn names(keys: impl Iterator<Item = Key>) -> String {
    let names: Vec<&str> = keys.map(label).collect();
    match names.as_slice() {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The notices, fixed at the bottom of the page; none of them blocks the page.
#[component]
pub fn StorageNotices(
    definition: RwSignal<String>,
    input: RwSignal<String>,
    mocks: RwSignal<String>,
) -> impl IntoView {
    let signal_of = move |key: Key| match key {
        Key::Definition => Some(definition),
        Key::Input => Some(input),
        Key::Mocks => Some(mocks),
        _ => None,
    };
    let pending = RwSignal::from(storage::conflicts());
    // Texts this tab took from another one, named for the notice.
    let followed = RwSignal::new(Vec::<Key>::new());

    let listener = window_event_listener(leptos::ev::storage, move |ev| {
        let (Some(name), Some(theirs)) = (ev.key(), ev.new_value()) else {
            return;
        };
        let Some(key) = storage::text_key(&name) else {
            return;
        };
        let Some(sig) = signal_of(key) else { return };
        let mine = sig.get_untracked();
        let was_pending = pending.with_untracked(|p| p.iter().any(|(k, _)| *k == key));
        if theirs == mine {
            if was_pending {
                storage::release(key);
            }
        } else if !was_pending && ev.old_value().as_deref() == Some(mine.as_str()) {
            // Ours was what they replaced: following loses nothing.
            storage::followed(key, &theirs);
            sig.set(theirs);
            followed.update(|f| {
                if !f.contains(&key) {
                    f.push(key)
                }
            });
        } else {
            storage::hold(key, theirs);
        }
    });
    on_cleanup(move || listener.remove());

    // Theirs: the newest stored text (it may have changed again since the notice came up).
    let load_theirs = move |_| {
        for (key, theirs) in pending.get_untracked() {
            let text = storage::release(key).unwrap_or(theirs);
            if let Some(sig) = signal_of(key) {
                sig.set(text);
            }
        }
    };
    let keep_mine = move |_| {
        for (key, _) in pending.get_untracked() {
            storage::release(key);
            if let Some(sig) = signal_of(key) {
                sig.with_untracked(|mine| storage::set(key, mine));
            }
        }
    };

    let health = storage::health();
    let dismissed = RwSignal::new(None::<Health>);
    let health_notice = move || {
        let h = health.get();
        (h != Health::Ok && dismissed.get() != Some(h)).then(|| {
            let text = match h {
                Health::Unavailable => "This browser does not let the page use local storage (blocked site data or a private window): your work is kept only while this tab is open.",
                _ => "Local storage is full: your latest changes are not saved, and will be lost when this tab closes. The page keeps working; free some space (a smaller input or mocks, or other sites' data) to save again.",
            };
            view! {
                <div class="notice notice-warning" role="status" data-testid="storage-notice" data-health=format!("{h:?}")>
                    <span>{text}</span>
                    <button class="btn btn-icon" aria-label="Dismiss" on:click=move |_| dismissed.set(Some(h))>"✕"</button>
                </div>
            }
        })
    };
    let conflict_notice = move || {
        let keys = pending.with(|p| names(p.iter().map(|(k, _)| *k)));
        (!keys.is_empty()).then(|| view! {
            <div class="notice notice-conflict" role="alert" data-testid="tab-conflict">
                <span>{format!("Another tab changed this session's {keys} while you were editing it here. Your text is kept and is not saved until you choose.")}</span>
                <button class="btn btn-small" data-testid="load-theirs" on:click=load_theirs>"Load theirs"</button>
                <button class="btn btn-small btn-primary" data-testid="keep-mine" on:click=keep_mine>"Keep mine"</button>
            </div>
        })
    };
    let followed_notice = move || {
        let keys = followed.with(|f| names(f.iter().copied()));
        (!keys.is_empty()).then(|| view! {
            <div class="notice" role="status" data-testid="tab-followed">
                <span>{format!("The {keys} changed in another tab; this tab shows the new text.")}</span>
                <button class="btn btn-icon" aria-label="Dismiss" on:click=move |_| followed.set(Vec::new())>"✕"</button>
            </div>
        })
    };

    view! {
        <div class="notices" aria-live="polite">
            {move || health_notice().into_any()}
            {move || conflict_notice().into_any()}
            {move || followed_notice().into_any()}
        </div>
    }
}
