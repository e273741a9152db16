//! The stepper bar under the graph: the move buttons (the keys are in the app), the speed, the
//! scrubber with its marks (failures, retries, catches, waits), the event counter, the virtual
//! clock, each Map's progress and the iteration to follow.

use leptos::prelude::*;

use crate::when::When;

use asl_core::inspect::TimelineKind;

use crate::stepping::{SPEEDS, Stepper};

/// Marks drawn on the scrubber at most (a long loop's thousands of waits would be noise).
const MAX_MARKS: usize = 400;

/// Virtual time as the clock shows it: `+1.250 s`, `+00:05:00`, `+1 d 02:00:00`.
pub fn clock(ms: i64) -> String {
    let ms = ms.max(0);
    if ms < 60_000 {
        return format!("+{} s", asl_core::float_fmt::fixed(ms as f64 / 1000.0, 3));
    }
    let s = ms / 1000;
    let (d, h, m, sec) = (s / 86_400, (s / 3600) % 24, (s / 60) % 60, s % 60);
    if d > 0 {
        format!("+{d} d {h:02}:{m:02}:{sec:02}")
    } else {
        format!("+{h:02}:{m:02}:{sec:02}")
    }
}

/// The buttons' pictures, drawn inline (no font has all the media-control glyphs).
#[derive(Clone, Copy)]
enum Icon {
    Home,
    BackState,
    Back,
    Forward,
    ForwardState,
    Play,
    Pause,
    End,
}

fn icon(i: Icon) -> impl IntoView {
    let d = match i {
        Icon::Home => "M5 5v14M19 5 9 12l10 7z",
        Icon::BackState => "M4 5v14M20 5l-8 7 8 7zM12 5l-8 7 8 7z",
        Icon::Back => "M17 5 7 12l10 7z",
        Icon::Forward => "M7 5l10 7-10 7z",
        Icon::ForwardState => "M20 5v14M4 5l8 7-8 7zM12 5l8 7-8 7z",
        Icon::Play => "M7 4l12 8-12 8z",
        Icon::Pause => "M6 5h4v14H6zM14 5h4v14h-4z",
        Icon::End => "M5 5l10 7-10 7zM19 5v14",
    };
    view! {
        <svg class="icon" viewBox="0 0 24 24" width="14" height="14" aria-hidden="true">
            <path d=d fill="currentColor" stroke="currentColor" stroke-width="1.6" stroke-linejoin="round"></path>
        </svg>
    }
}

#[component]
pub fn StepperBar(stepper: Stepper, can_run: Signal<bool>) -> impl IntoView {
    let view = stepper.view;
    let event = move || view.with(|v| v.as_ref().map_or(0, |v| v.event));
    let recorded = move || view.with(|v| v.as_ref().map_or(0, |v| v.recorded));
    let finished = move || view.with(|v| v.as_ref().is_some_and(|v| v.finished));
    let at_start = move || event() == 0;
    let disabled = move || !can_run.get();
    let button = move |label: Icon,
                       title: &'static str,
                       testid: &'static str,
                       off: Box<dyn Fn() -> bool + Send + Sync>,
                       act: fn(&Stepper)| {
        view! {
            <button class="btn btn-step" title=title aria-label=title data-testid=testid
                disabled=move || disabled() || off()
                on:click=move |_| act(&stepper)>{icon(label)}</button>
        }
    };
    let marks = move || {
        view.with(|v| {
            let Some(v) = v else { return Vec::new() };
            let total = v.recorded.max(1) as f64;
            v.marks
                .iter()
                .take(MAX_MARKS)
                .map(|m| {
                    let kind = match m.kind {
                        TimelineKind::Failure => "failure",
                        TimelineKind::Retry => "retry",
                        TimelineKind::Catch => "catch",
                        TimelineKind::Wait => "wait",
                    };
                    (m.event, kind, m.event as f64 / total * 100.0)
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <div class="stepper" data-testid="stepper" role="toolbar" aria-label="Step through the execution">
            <div class="stepper-buttons">
                {button(Icon::Home, "Back to the start (Home)", "step-home", Box::new(at_start), Stepper::home)}
                {button(Icon::BackState, "Back to the previous state (Shift+←)", "step-back-state", Box::new(at_start), Stepper::back_state)}
                {button(Icon::Back, "Back one event (←)", "step-back", Box::new(at_start), Stepper::back)}
                {button(Icon::Forward, "Forward one event (→)", "step-forward", Box::new(finished), Stepper::step)}
                {button(Icon::ForwardState, "Forward to the next state (Shift+→)", "step-forward-state", Box::new(finished), Stepper::step_state)}
                <button class="btn btn-step btn-play" data-testid="step-play"
                    title="Play event by event, or pause (Space)" aria-label="Play or pause"
                    disabled=move || disabled() || (finished() && !stepper.busy.get())
                    on:click=move |_| stepper.toggle_play()>
                    {move || (icon(if stepper.busy.get() { Icon::Pause } else { Icon::Play })).into_any()}
                </button>
                {button(Icon::End, "Run to the end or the next breakpoint (End)", "step-end", Box::new(finished), Stepper::run)}
                <label class="speed" title="Play speed, events per second">
                    <select data-testid="step-speed" on:change=move |ev| {
                        if let Ok(n) = event_target_value(&ev).parse::<u32>() { stepper.speed.set(n) }
                    }>
                        {SPEEDS.iter().map(|s| view! {
                            <option value=s.to_string() selected=move || stepper.speed.get() == *s>{format!("{s}/s")}</option>
                        }).collect_view()}
                    </select>
                </label>
                <When when=move || stepper.busy.get()>
                    <button class="btn btn-small btn-stop" data-testid="step-stop" on:click=move |_| stepper.stop()>"Stop"</button>
                </When>
            </div>
            <div class="stepper-info">
                <span class="step-counter" data-testid="step-counter">
                    {move || if view.with(Option::is_some) { format!("event {} / {}", event(), recorded()) } else { "not started: press → or ▶ Run".to_string() }}
                </span>
                <span class="step-clock" data-testid="step-clock" title="Virtual time since the execution started">
                    {move || view.with(|v| v.as_ref().map(|v| format!("virtual time {}", clock(v.overlay.elapsed_ms)))).unwrap_or_default()}
                </span>
                {move || (view.with(|v| v.as_ref().map(|v| v.overlay.maps.clone())).unwrap_or_default().into_iter().map(|m| {
                    let path = m.path.clone();
                    let total = m.total;
                    view! {
                        <span class="map-progress" data-testid="map-progress" data-map=path.to_string()>
                            <b>{path.to_string()}</b>
                            {format!(" {}/{} done", m.succeeded, m.total)}
                            {(m.running > 0).then(|| format!(" · {} running", m.running))}
                            {(m.failed > 0).then(|| format!(" · {} failed", m.failed))}
                            {(m.aborted > 0).then(|| format!(" · {} aborted", m.aborted))}
                            <select class="follow" data-testid="follow-iteration" title="Follow one iteration's path on the graph"
                                on:change=move |ev| {
                                    let v = event_target_value(&ev);
                                    stepper.follow.set(v.parse::<u32>().ok().map(|i| vec![i]));
                                    stepper.refresh();
                                }>
                                <option value="all" selected=move || stepper.follow.with(Option::is_none)>"all iterations"</option>
                                {(0..total.min(1000)).map(|i| view! {
                                    <option value=i.to_string() selected=move || stepper.follow.with(|f| f.as_deref() == Some(&[i][..]))>{format!("iteration {i}")}</option>
                                }).collect_view()}
                            </select>
                        </span>
                    }
                }).collect_view()).into_any()}
            </div>
            <div class="scrubber">
                <input type="range" min="0" step="1" data-testid="scrubber" aria-label="Event"
                    prop:max=move || recorded().to_string()
                    prop:value=move || event().to_string()
                    disabled=move || view.with(Option::is_none)
                    on:input=move |ev| {
                        if let Ok(n) = event_target_value(&ev).parse::<u32>() { stepper.seek(n) }
                    }/>
                <div class="scrub-marks" aria-hidden="true">
                    {move || (marks().into_iter().map(|(id, kind, left)| view! {
                        <span class=format!("scrub-mark mark-{kind}") data-event=id style=format!("left:{}%", asl_core::float_fmt::fixed(left, 3)) title=format!("{kind} at event {id}")></span>
                    }).collect_view()).into_any()}
                </div>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::clock;

    #[test]
    fn the_clock_shows_virtual_time_at_every_scale() {
        assert_eq!(clock(0), "+0.000 s");
        assert_eq!(clock(1250), "+1.250 s");
        assert_eq!(clock(300_000), "+00:05:00");
        assert_eq!(clock(86_400_000 + 7_200_000 + 2_000), "+1 d 02:00:02");
    }
}
