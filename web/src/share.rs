//! Share and embed in the playground: the *Share* button (the session as a link, `#s=v1.…`,
//! written to the address bar and copied), the *Embed* button (an `<iframe>` snippet of the
//! `?embed` mode for the current session), opening such a link, and deep links
//! (`#state=Name&step=N`, alone or after `s=`).
//!
//! Opening a link never overwrites the user's saved work without asking: when the browser holds
//! work of its own that differs from the link's (not just an untouched example), an in-page
//! dialog offers *Open the shared session* or *Keep mine*, and nothing changes (so nothing is
//! saved over theirs) until they choose. A link too long for common limits says so when made.
//!
//! Links are compressed and inflated by the browser ([`crate::js_deflate`]), which is async: a
//! link is opened when it has been read, and until then the page shows what it showed (the saved
//! work or the example; after 200 ms, a line says the link is being opened). A later change of
//! the fragment wins over a link still being read. The Share and Embed panels show their link
//! once it is made.
//!
//! Owns the URL fragment and the dialogs. The link format is `asl_core::share`'s; the stepper's
//! moves are [`crate::stepping`]'s; the embedded page is [`crate::embed_mode`].

use std::time::Duration;

use asl_core::cost::thousands;
use asl_core::share::SharedSession;
use leptos::prelude::*;

use crate::core_api::Settings;
use crate::examples;
use crate::js_deflate;
use crate::results::Tab;
use crate::stepping::Stepper;
use crate::storage::{self, Key};

/// Links longer than this get a warning: RFC 9110 (§4.1) recommends that senders and recipients
/// support URIs of at least 8,000 octets; chat apps, issue trackers and proxies cut beyond that.
pub const LINK_LIMIT: usize = 8_000;

/// What the address bar's fragment asks for: a session, and/or a state and a step.
#[derive(Clone, Debug, PartialEq)]
pub struct Fragment {
    /// The session's link payload (`v1.…`), not read yet ([`Fragment::session`] reads it).
    pub link: Option<String>,
    pub state: Option<String>,
    pub step: Option<u32>,
}

impl Fragment {
    /// Reads `#s=…&state=…&step=…` (URL-decoded by the browser's `URLSearchParams`); `None` when
    /// the fragment asks for none of them.
    pub fn parse(hash: &str) -> Option<Fragment> {
        let params = web_sys::UrlSearchParams::new_with_str(hash.trim_start_matches('#')).ok()?;
        let f = Fragment {
            link: params.get("s"),
            state: params.get("state").filter(|s| !s.is_empty()),
            step: params.get("step").and_then(|s| s.trim().parse().ok()),
        };
        (f.link.is_some() || f.state.is_some() || f.step.is_some()).then_some(f)
    }

    pub fn read() -> Option<Fragment> {
        Fragment::parse(&location()?.hash().ok()?)
    }

    /// The session of the link, read (or why it cannot be); `None` without a link.
    pub async fn session(&self) -> Option<Result<SharedSession, String>> {
        let link = self.link.as_ref()?;
        Some(js_deflate::decode(link).await)
    }
}

fn location() -> Option<web_sys::Location> {
    web_sys::window().map(|w| w.location())
}

/// The page's address without query or fragment (where links and embeds point).
pub fn base_url() -> String {
    location()
        .and_then(|l| Some(format!("{}{}", l.origin().ok()?, l.pathname().ok()?)))
        .unwrap_or_default()
}

/// Replaces the address bar's fragment (no reload, no history entry); `None` removes it.
fn set_fragment(fragment: Option<&str>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let search = window.location().search().unwrap_or_default();
    let url = match fragment {
        Some(f) => format!("{}{search}#{f}", base_url()),
        None => format!("{}{search}", base_url()),
    };
    if let Ok(h) = window.history() {
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// Copies text to the clipboard; resolves to whether it worked (a page without the
/// permission, or an insecure origin, says no).
async fn copy(text: String) -> bool {
    let Some(w) = web_sys::window() else {
        return false;
    };
    let clipboard = w.navigator().clipboard();
    wasm_bindgen_futures::JsFuture::from(clipboard.write_text(&text))
        .await
        .is_ok()
}

/// The message for a link longer than [`LINK_LIMIT`], or `None`.
pub fn too_long(len: usize) -> Option<String> {
    (len > LINK_LIMIT).then(|| {
        format!(
            "This link is {} characters, more than {}: RFC 9110 asks browsers and servers to \
             support URLs of at least 8,000, and chat apps, issue trackers and proxies often cut \
             longer ones. Trim the input or mocks, or share the files.",
            thousands(len as u64),
            thousands(LINK_LIMIT as u64)
        )
    })
}

/// How the embed looks: the options of `?embed`.
#[derive(Clone, Debug, PartialEq)]
pub struct EmbedOptions {
    /// `auto`, `light` or `dark`.
    pub theme: String,
    pub inspector: bool,
    pub autoplay: bool,
}

/// The iframe's address for a session payload.
pub fn embed_src(base: &str, payload: &str, o: &EmbedOptions) -> String {
    let mut q = format!("?embed&theme={}", o.theme);
    if !o.inspector {
        q.push_str("&inspector=0");
    }
    if o.autoplay {
        q.push_str("&autoplay=1");
    }
    format!("{base}{q}#s={payload}")
}

/// The `<iframe>` snippet (attribute values HTML-escaped).
pub fn iframe_snippet(src: &str, title: &str) -> String {
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('"', "&quot;")
            .replace('<', "&lt;")
    };
    format!(
        "<iframe src=\"{}\" title=\"{}\" width=\"100%\" height=\"480\" \
         style=\"border:1px solid #dfe2e8;border-radius:8px\" loading=\"lazy\"></iframe>",
        esc(src),
        esc(title)
    )
}

/// Which panel of the top bar is open.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Panel {
    Share,
    Embed,
}

/// A link waiting for the user's answer (their saved work differs).
#[derive(Clone, Debug, PartialEq)]
struct Pending {
    session: SharedSession,
    state: Option<String>,
    step: Option<u32>,
}

/// What sharing reads and restores: the app's session signals.
#[derive(Clone, Copy)]
pub struct ShareCx {
    pub definition: RwSignal<String>,
    pub input: RwSignal<String>,
    pub mocks: RwSignal<String>,
    pub settings: RwSignal<Settings>,
    pub current_example: RwSignal<Option<String>>,
    pub stepper: Stepper,
    pub tab: RwSignal<Tab>,
    panel: RwSignal<Option<Panel>>,
    pending: RwSignal<Option<Pending>>,
    error: RwSignal<Option<String>>,
    /// Which reading of a link is under way (a count of the fragments opened): a later fragment
    /// makes an earlier reading's result ignored.
    reading: StoredValue<Option<u32>>,
    opened_count: StoredValue<u32>,
    /// The line saying a link is being opened (shown when reading it takes over 200 ms).
    opening: RwSignal<bool>,
    /// The session of the link in the address bar, while the page still shows it (the first
    /// edit removes the link, so a reload does not offer it again).
    opened: StoredValue<Option<SharedSession>>,
}

impl ShareCx {
    pub fn new(
        definition: RwSignal<String>,
        input: RwSignal<String>,
        mocks: RwSignal<String>,
        settings: RwSignal<Settings>,
        current_example: RwSignal<Option<String>>,
        stepper: Stepper,
        tab: RwSignal<Tab>,
    ) -> ShareCx {
        let cx = ShareCx {
            definition,
            input,
            mocks,
            settings,
            current_example,
            stepper,
            tab,
            panel: RwSignal::new(None),
            pending: RwSignal::new(None),
            error: RwSignal::new(None),
            reading: StoredValue::new(None),
            opened_count: StoredValue::new(0),
            opening: RwSignal::new(false),
            opened: StoredValue::new(None),
        };
        // The first edit after opening a link takes the link out of the address bar.
        Effect::new(move |_| {
            definition.track();
            input.track();
            mocks.track();
            settings.track();
            let edited = cx
                .opened
                .with_value(|o| o.as_ref().is_some_and(|o| !cx.shows(o)));
            if edited {
                cx.opened.set_value(None);
                set_fragment(None);
            }
        });
        cx
    }

    /// The session the page shows now, at the stepper's event, with the inspected state.
    fn current(&self) -> SharedSession {
        let s = self.settings.get_untracked();
        SharedSession {
            definition: self.definition.get_untracked(),
            input: self.input.get_untracked(),
            mocks: self.mocks.get_untracked(),
            substitutions: s.substitutions,
            logical_id: s.logical_id,
            workflow_type: s.workflow_type,
            step: self
                .stepper
                .view
                .with_untracked(|v| v.as_ref().map(|v| v.event)),
            state: self.stepper.selected.get_untracked().map(|p| p.to_string()),
        }
    }

    /// Whether the page holds exactly this session's texts and settings (step and state aside).
    fn shows(&self, s: &SharedSession) -> bool {
        let c = self.current();
        c.definition == s.definition
            && c.input == s.input
            && c.mocks == s.mocks
            && c.workflow_type == s.workflow_type
            && c.substitutions == s.substitutions
            && c.logical_id == s.logical_id
    }

    /// Whether the page holds work of the user's own: saved in this browser, and not an
    /// example as the gallery gives it. (The page saves its first texts at start, so typing that
    /// is not saved yet still counts: what is compared is what the page shows.)
    fn has_own_work(&self) -> bool {
        if storage::get(Key::Definition).is_none() {
            return false;
        }
        let untouched_example = self
            .current_example
            .get_untracked()
            .and_then(|id| examples::by_id(&id))
            .is_some_and(|e| {
                self.definition.with_untracked(|d| *d == e.definition)
                    && self.input.with_untracked(|i| *i == e.input)
                    && self.mocks.with_untracked(|m| *m == e.mocks)
            });
        !untouched_example
    }

    /// Opens what the address bar's fragment asks for (at start, and when it changes). A link is
    /// read first (async); the page changes only when it has been, and only if no later
    /// fragment came meanwhile.
    pub fn open_location(self) {
        let count = self.opened_count.get_value().wrapping_add(1);
        self.opened_count.set_value(count);
        self.reading.set_value(None);
        self.opening.set(false);
        let Some(f) = Fragment::read() else {
            return;
        };
        if f.link.is_none() {
            return self.go_to(f.step, f.state);
        }
        self.reading.set_value(Some(count));
        set_timeout(
            move || {
                if self.reading.try_get_value() == Some(Some(count)) {
                    self.opening.set(true);
                }
            },
            Duration::from_millis(200),
        );
        leptos::task::spawn_local(async move {
            let session = f.session().await;
            if self.reading.try_get_value() != Some(Some(count)) {
                return;
            }
            self.reading.set_value(None);
            self.opening.set(false);
            self.open_read(f, session);
        });
    }

    /// Opens a fragment whose link has been read.
    fn open_read(self, f: Fragment, session: Option<Result<SharedSession, String>>) {
        match session {
            None => self.go_to(f.step, f.state),
            Some(Err(why)) => self.error.set(Some(format!(
                "This share link cannot be opened: {why}. Your work is unchanged."
            ))),
            Some(Ok(session)) => {
                if self.shows(&session) {
                    self.opened.set_value(Some(session.clone()));
                    self.go_to(f.step.or(session.step), f.state.or(session.state));
                } else if self.has_own_work() {
                    self.pending.set(Some(Pending {
                        session,
                        state: f.state,
                        step: f.step,
                    }));
                } else {
                    self.apply(session, f.state, f.step);
                }
            }
        }
    }

    /// Puts a shared session on the page (and so in storage), then goes to its step and state.
    fn apply(self, session: SharedSession, state: Option<String>, step: Option<u32>) {
        let (state, step) = (state.or(session.state.clone()), step.or(session.step));
        self.opened.set_value(Some(session.clone()));
        self.settings.update(|s| {
            s.workflow_type = session.workflow_type;
            s.substitutions = session.substitutions.clone();
            s.logical_id = session.logical_id.clone();
        });
        self.current_example.set(None);
        self.definition.set(session.definition);
        self.input.set(session.input);
        self.mocks.set(session.mocks);
        self.go_to(step, state);
    }

    /// Seeks the stepper and selects a state once the page has taken in the new texts (the
    /// stepper restarts on any change of them, in effects that run before a timer does).
    fn go_to(self, step: Option<u32>, state: Option<String>) {
        if step.is_none() && state.is_none() {
            return;
        }
        set_timeout(
            move || {
                if let Some(n) = step {
                    seek_recorded(self.stepper, n);
                }
                if let Some(path) = state {
                    self.stepper.inspect(Some(path.into()), None);
                    self.tab.set(Tab::Inspect);
                }
            },
            Duration::ZERO,
        );
    }
}

/// Events recorded past a link's step before going back to it, so the scrubber shows where the
/// run goes next (bounded: a link must open fast whatever the run's length).
const RECORD_AHEAD: u32 = 5_000;

/// The furthest event a link or an embed opens at: AWS's 25,000-event history quota, which no
/// Standard run passes. The seek runs in one go (not sliced), so a link's `step=` must not be
/// able to ask for millions of events of an Express loop and freeze the page that opens it.
pub const MAX_LINK_STEP: u32 = 25_000;

/// Seeks to event `n` (at most [`MAX_LINK_STEP`]) with up to [`RECORD_AHEAD`] more events
/// recorded.
pub fn seek_recorded(stepper: Stepper, n: u32) {
    let n = n.min(MAX_LINK_STEP);
    stepper.seek(n + RECORD_AHEAD);
    stepper.seek(n);
}

/// The *Share* and *Embed* buttons of the top bar.
#[component]
pub fn ShareButtons(cx: ShareCx) -> impl IntoView {
    let toggle = move |p: Panel| {
        cx.panel
            .update(|open| *open = if *open == Some(p) { None } else { Some(p) })
    };
    view! {
        <button class="btn" data-testid="share-button" title="A link to this session at this step (nothing is uploaded: it is all in the link)"
            on:click=move |_| toggle(Panel::Share)>"Share"</button>
        <button class="btn" data-testid="embed-button" title="An <iframe> snippet showing this session's graph and stepper in another page"
            on:click=move |_| toggle(Panel::Embed)>"Embed"</button>
    }
}

/// The panels and dialogs: the share link, the embed snippet, the question before a link
/// replaces saved work, and a link that cannot be opened.
#[component]
pub fn ShareLayer(cx: ShareCx) -> impl IntoView {
    let hashchange = window_event_listener(leptos::ev::hashchange, move |_| cx.open_location());
    let escape = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape" && cx.panel.get_untracked().is_some() {
            cx.panel.set(None);
        }
    });
    on_cleanup(move || {
        hashchange.remove();
        escape.remove();
    });
    // After the app's first effects (a text set before them would skip its analysis).
    set_timeout(move || cx.open_location(), Duration::ZERO);
    view! {
        {move || cx.panel.get().map(|p| match p {
            Panel::Share => view! { <SharePanel cx=cx/> }.into_any(),
            Panel::Embed => view! { <EmbedPanel cx=cx/> }.into_any(),
        })}
        {move || cx.pending.get().map(|p| view! { <OpenDialog cx=cx pending=p/> })}
        {move || (cx.opening.get().then(|| view! {
            <div class="share-opening" role="status" data-testid="share-opening">"Opening the shared link…"</div>
        })).into_any()}
        {move || (cx.error.get().map(|e| view! {
            <div class="share-error" role="alert" data-testid="share-error">
                <span>{e}</span>
                <button class="btn btn-small" on:click=move |_| { cx.error.set(None); set_fragment(None); }>"Dismiss"</button>
            </div>
        })).into_any()}
    }
}

/// A session's link payload, made by the browser: `None` until it is, then the payload or why
/// there is none.
fn payload_of(session: SharedSession) -> RwSignal<Option<Result<String, String>>> {
    let payload = RwSignal::new(None);
    leptos::task::spawn_local(async move {
        payload.try_set(Some(js_deflate::encode(&session).await));
    });
    payload
}

/// What a panel shows while its link is made, or when it cannot be.
fn no_link(payload: Option<Result<String, String>>) -> AnyView {
    match payload {
        Some(Err(why)) => {
            view! { <p class="share-warn">{format!("No link: {why}.")}</p> }.into_any()
        }
        _ => view! { <p class="muted">"Making the link…"</p> }.into_any(),
    }
}

/// The share link: written to the address bar once made, and copied.
#[component]
fn SharePanel(cx: ShareCx) -> impl IntoView {
    let session = cx.current();
    let payload = payload_of(session.clone());
    let at = match (session.step, &session.state) {
        (Some(n), Some(s)) => format!("at event {n}, inspecting {s}"),
        (Some(n), None) => format!("at event {n}"),
        (None, Some(s)) => format!("inspecting {s}"),
        (None, None) => "before the run".to_string(),
    };
    view! {
        <div class="share-panel" role="dialog" aria-label="Share link" data-testid="share-panel">
            <header class="share-head">
                <b>"Share this session"</b>
                <span class="muted">{format!(" definition, input and mocks, {at}")}</span>
                <button class="btn btn-icon" aria-label="Close" on:click=move |_| cx.panel.set(None)>"✕"</button>
            </header>
            {move || match payload.get() {
                Some(Ok(p)) => view! { <ShareLink cx=cx session=session.clone() payload=p/> }.into_any(),
                other => no_link(other),
            }}
        </div>
    }
}

/// The share panel's link, once made: put in the address bar and copied.
#[component]
fn ShareLink(cx: ShareCx, session: SharedSession, payload: String) -> impl IntoView {
    let link = format!("{}#s={payload}", base_url());
    cx.opened.set_value(Some(session));
    set_fragment(Some(&format!("s={payload}")));
    // What copying did, as shown (a `String` signal, of which the page has many: one type less).
    let copied = RwSignal::new(String::new());
    let to_copy = link.clone();
    let do_copy = move || {
        let text = to_copy.clone();
        leptos::task::spawn_local(async move {
            copied.set(if copy(text).await {
                "✓ Copied to the clipboard".into()
            } else {
                "Select the link and copy it (the clipboard is not available here)".into()
            })
        });
    };
    do_copy();
    let len = link.len();
    view! {
            <input class="share-link" type="text" readonly data-testid="share-link" prop:value=link.clone()
                on:focus=|ev| select_target(&ev)/>
            <div class="share-foot">
                <span class="muted" data-testid="share-length">{format!("{} characters · nothing leaves your browser but the link", thousands(len as u64))}</span>
                <span data-testid="share-copied">{move || copied.get()}</span>
                <button class="btn btn-small" on:click=move |_| do_copy()>"Copy"</button>
            </div>
            {too_long(len).map(|m| view! { <p class="share-warn" data-testid="share-too-long">{m}</p> })}
    }
}

/// The embed snippet for the current session, with its options.
#[component]
fn EmbedPanel(cx: ShareCx) -> impl IntoView {
    let payload = payload_of(cx.current());
    let title = cx
        .current_example
        .get_untracked()
        .and_then(|id| examples::by_id(&id))
        .map(|e| format!("ASL Playground: {}", e.title))
        .unwrap_or_else(|| "ASL Playground: a state machine, step by step".to_string());
    let theme = RwSignal::new("auto".to_string());
    let inspector = RwSignal::new(true);
    let autoplay = RwSignal::new(false);
    let snippet = Memo::new(move |_| {
        let o = EmbedOptions {
            theme: theme.get(),
            inspector: inspector.get(),
            autoplay: autoplay.get(),
        };
        let payload = payload.read();
        let Some(Ok(payload)) = payload.as_ref() else {
            return None;
        };
        Some(iframe_snippet(&embed_src(&base_url(), payload, &o), &title))
    });
    // What copying did, as shown (as in `ShareLink`).
    let copied = RwSignal::new(String::new());
    view! {
        <div class="share-panel" role="dialog" aria-label="Embed" data-testid="embed-panel">
            <header class="share-head">
                <b>"Embed this session"</b>
                <span class="muted">" graph and stepper, read-only, sized to the frame"</span>
                <button class="btn btn-icon" aria-label="Close" on:click=move |_| cx.panel.set(None)>"✕"</button>
            </header>
            <div class="embed-options">
                <label>"Theme "
                    <select data-testid="embed-theme" on:change=move |ev| theme.set(event_target_value(&ev))>
                        <option value="auto">"auto (the reader's)"</option>
                        <option value="light">"light"</option>
                        <option value="dark">"dark"</option>
                    </select>
                </label>
                <label><input type="checkbox" data-testid="embed-inspector" prop:checked=move || inspector.get()
                    on:change=move |ev| inspector.set(event_target_checked(&ev))/>" inspector"</label>
                <label><input type="checkbox" data-testid="embed-autoplay" prop:checked=move || autoplay.get()
                    on:change=move |ev| autoplay.set(event_target_checked(&ev))/>" autoplay"</label>
            </div>
            {move || match payload.get() {
                Some(Ok(_)) => view! {
                    <textarea class="share-snippet" readonly rows="4" data-testid="embed-snippet"
                        prop:value=move || snippet.get().unwrap_or_default()
                        on:focus=|ev| select_target(&ev)></textarea>
                }.into_any(),
                other => no_link(other),
            }}
            <div class="share-foot">
                <span data-testid="embed-copied">{move || copied.get()}</span>
                <button class="btn btn-small" data-testid="embed-copy" on:click=move |_| {
                    let Some(text) = snippet.get_untracked() else { return };
                    leptos::task::spawn_local(async move {
                        copied.set(if copy(text).await { "✓ Copied".into() } else { "Select the snippet and copy it".into() })
                    });
                }>"Copy"</button>
            </div>
        </div>
    }
}

/// Asks before a link replaces the user's saved work.
#[component]
fn OpenDialog(cx: ShareCx, pending: Pending) -> impl IntoView {
    let lines = pending.session.definition.lines().count();
    let at = pending
        .step
        .or(pending.session.step)
        .map(|n| format!(", at event {n}"))
        .unwrap_or_default();
    let open = {
        let p = pending.clone();
        move |_| {
            cx.pending.set(None);
            cx.apply(p.session.clone(), p.state.clone(), p.step);
        }
    };
    let keep = move |_| {
        cx.pending.set(None);
        set_fragment(None);
    };
    view! {
        <div class="gallery-backdrop">
            <div class="share-dialog" role="alertdialog" aria-modal="true" aria-labelledby="share-dialog-title" data-testid="share-dialog">
                <h3 id="share-dialog-title">"Open the shared session?"</h3>
                <p>{format!("This link holds a state machine ({lines} lines) with its input and mocks{at}. The work saved in this browser is different: opening the link replaces it.")}</p>
                <div class="share-dialog-buttons">
                    <button class="btn" data-testid="share-keep" on:click=keep>"Keep mine"</button>
                    <button class="btn btn-primary" data-testid="share-open" on:click=open>"Open the shared session"</button>
                </div>
            </div>
        </div>
    }
}

/// Selects all of a focused input's or textarea's text (a readonly field to copy from).
fn select_target(ev: &leptos::ev::FocusEvent) {
    use wasm_bindgen::JsCast;
    let Some(t) = ev.target() else { return };
    if let Some(i) = t.dyn_ref::<web_sys::HtmlInputElement>() {
        i.select();
    } else if let Some(a) = t.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        a.select();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_link_names_the_limit() {
        assert_eq!(too_long(LINK_LIMIT), None);
        let m = too_long(12_345).expect("over the limit");
        assert!(
            m.contains("12,345") && m.contains("8,000") && m.contains("RFC 9110"),
            "{m}"
        );
    }

    #[test]
    fn the_embed_snippet_is_an_escaped_iframe_with_its_options() {
        let o = EmbedOptions {
            theme: "dark".into(),
            inspector: false,
            autoplay: true,
        };
        let src = embed_src("https://x.test/play/", "v1.AB-_", &o);
        assert_eq!(
            src,
            "https://x.test/play/?embed&theme=dark&inspector=0&autoplay=1#s=v1.AB-_"
        );
        let html = iframe_snippet(&src, "A \"quoted\" <title>");
        assert!(html.starts_with("<iframe src=\"https://x.test/play/?embed&amp;theme=dark&amp;inspector=0&amp;autoplay=1#s=v1.AB-_\""), "{html}");
        assert!(
            html.contains("title=\"A &quot;quoted&quot; &lt;title>\""),
            "{html}"
        );
        assert!(html.ends_with("></iframe>"));
    }
}
