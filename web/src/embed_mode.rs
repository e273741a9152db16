//! `?embed`: the same app as a read-only view for an `<iframe>` — the graph and the stepper (and
//! the inspector unless `inspector=0`), no editor, filling the frame.
//!
//! The session comes from the fragment (`#s=v1.…`, as the *Share* and *Embed* buttons write it),
//! read by the browser (async: the frame says "Opening the link…" until it is).
//! Options, in the query or the fragment: `theme=light|dark|auto` (auto: the reader's system
//! preference), `step=N` (start at event N; else the link's step), `state=Name` (inspect it),
//! `autoplay=1` (play from there), `speed=N` (events a second while playing, default 2).
//!
//! An embed never reads or writes the playground's saved work (localStorage): it may share the
//! origin with the reader's own playground. The views are the app's own components; this module
//! only lays them out and starts them.

use std::sync::Arc;
use std::time::Duration;

use asl_core::share::SharedSession;
use leptos::prelude::*;

use crate::core_api::{self, Settings};
use crate::graph_view::GraphPane;
use crate::inspector::InspectPane;
use crate::results::Tab;
use crate::share::Fragment;
use crate::stepper_bar::StepperBar;
use crate::stepping::Stepper;
use crate::theme::{self, Theme};

/// A parameter of the query or the fragment (the fragment wins).
fn param(name: &str) -> Option<String> {
    let location = web_sys::window()?.location();
    let from = |text: String| {
        web_sys::UrlSearchParams::new_with_str(text.trim_start_matches(['#', '?']))
            .ok()?
            .get(name)
    };
    location
        .hash()
        .ok()
        .and_then(from)
        .or_else(|| location.search().ok().and_then(from))
}

/// Whether the page was opened as an embed (`?embed`).
pub fn requested() -> bool {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .and_then(|s| web_sys::UrlSearchParams::new_with_str(&s).ok())
        .is_some_and(|p| p.has("embed"))
}

/// The theme asked for; `auto` (or none) is the reader's system preference, never the
/// playground's remembered choice.
fn theme_of(asked: Option<&str>) -> Theme {
    match asked {
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

#[component]
pub fn EmbedApp() -> impl IntoView {
    let theme = theme_of(param("theme").as_deref());
    theme::apply(theme, false);
    let dark = Signal::derive(move || theme == Theme::Dark);
    let Some(fragment) = Fragment::read().filter(|f| f.link.is_some()) else {
        return view! {
            <div class="embed-message" data-testid="embed-error">"Nothing to show: an embed needs a session in its address (#s=…). Use the playground's Embed button."</div>
        }
        .into_any();
    };
    // The link is read by the browser's DecompressionStream (async): a line until it is.
    let session = RwSignal::new(None);
    leptos::task::spawn_local(async move { session.set(fragment.session().await) });
    (move || match session.get() {
        Some(Ok(session)) => view! { <EmbedView session=session dark=dark/> }.into_any(),
        Some(Err(why)) => view! {
            <div class="embed-message" data-testid="embed-error">{format!("This embed's link cannot be opened: {why}.")}</div>
        }
        .into_any(),
        None => view! {
            <div class="embed-message" data-testid="embed-loading">"Opening the link…"</div>
        }
        .into_any(),
    })
    .into_any()
}

#[component]
fn EmbedView(session: SharedSession, dark: Signal<bool>) -> impl IntoView {
    let settings = RwSignal::new(Settings {
        workflow_type: session.workflow_type,
        substitutions: session.substitutions.clone(),
        logical_id: session.logical_id.clone(),
        ..Settings::default()
    });
    let definition = RwSignal::new(session.definition.clone());
    let input = RwSignal::new(session.input.clone());
    let mocks = RwSignal::new(session.mocks.clone());
    // Read-only: analysed once.
    let analysis = core_api::analyze(&session.definition, &settings.get_untracked());
    let can_run = analysis.machine.is_some();
    let broken = analysis.drawable.is_some() && analysis.has_errors();
    let drawable: Option<Arc<_>> = analysis.drawable.clone();
    let problems = analysis.problems.clone();
    let stepper = Stepper::new(definition, input, mocks, settings);
    let tab = RwSignal::new(Tab::Inspect);
    let keep_session = StoredValue::new(false);
    let inspector = param("inspector").as_deref() != Some("0");
    let step = param("step")
        .and_then(|s| s.trim().parse::<u32>().ok())
        .or(session.step);
    let state = param("state").or(session.state.clone());
    let autoplay = param("autoplay").as_deref() == Some("1");
    if let Some(speed) = param("speed").and_then(|s| s.parse::<u32>().ok()) {
        stepper.speed.set(speed.clamp(1, 100));
    } else {
        stepper.speed.set(2);
    }
    if can_run {
        // Once mounted: seek, select, play.
        set_timeout(
            move || {
                if let Some(n) = step {
                    crate::share::seek_recorded(stepper, n);
                }
                if let Some(path) = state {
                    stepper.inspect(Some(path.into()), None);
                }
                if autoplay {
                    stepper.toggle_play();
                }
            },
            Duration::ZERO,
        );
    }
    let open_href = format!(
        "{}#{}",
        crate::share::base_url(),
        web_sys::window()
            .and_then(|w| w.location().hash().ok())
            .unwrap_or_default()
            .trim_start_matches('#')
    );
    view! {
        <div class="embed" class:with-inspector=inspector data-testid="embed">
            <header class="embed-head">
                <span class="brand-name">"ASL Playground"</span>
                {broken.then(|| view! { <span class="badge badge-err">"the definition has errors"</span> })}
                <a class="embed-open" href=open_href target="_blank" rel="noopener" data-testid="embed-open">"Open in the playground ↗"</a>
            </header>
            <GraphPane machine=Signal::derive(move || drawable.clone()) stale=Signal::derive(|| false)
                broken=Signal::derive(move || broken) problems=Signal::derive(move || problems.clone())
                dark=dark stepper=stepper tab=tab/>
            <StepperBar stepper=stepper can_run=Signal::derive(move || can_run)/>
            {inspector.then(|| view! {
                <section class="pane embed-inspector" aria-label="Inspect">
                    <InspectPane stepper=stepper mocks=mocks keep_session=keep_session/>
                </section>
            })}
        </div>
    }
}
