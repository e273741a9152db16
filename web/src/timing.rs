//! Timings of the work a keystroke triggers (analysis, graph drawing), published on `<body>` as
//! `data-*` attributes so the benchmark (`tests/browser/typing-bench.mjs`) can read them. Reads
//! the browser's monotonic clock; nothing else in the app depends on it.

/// Milliseconds since page load (0 where no clock exists, e.g. in native tests).
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Runs `f`, publishes how long it took as `data-{name}-ms` on `<body>`, and bumps
/// `data-{name}-count`.
pub fn measure<T>(name: &str, f: impl FnOnce() -> T) -> T {
    let t0 = now_ms();
    let out = f();
    let ms = now_ms() - t0;
    if let Some(body) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
    {
        let data = body.dataset();
        let count_key = format!("{name}Count");
        let count = data
            .get(&count_key)
            .and_then(|c| c.parse::<u64>().ok())
            .unwrap_or(0);
        let _ = data.set(&format!("{name}Ms"), &asl_core::float_fmt::fixed(ms, 2));
        let _ = data.set(&count_key, &(count + 1).to_string());
    }
    out
}

/// Returns a function that, called, runs `f` once `delay` has passed without another call: the
/// typing debounce. One browser timer at a time: a call while one is pending only moves the
/// deadline, and the timer, firing early, waits out the rest. (Clearing and setting a timer per
/// keystroke cost more than the editor's own work: boot.js takes a stack trace per timer set.)
pub fn debounce(delay: std::time::Duration, f: impl Fn() + Copy + 'static) -> impl Fn() + Copy {
    use leptos::prelude::*;
    // The deadline while a timer is pending.
    let deadline = StoredValue::new(None::<f64>);
    fn wait(deadline: StoredValue<Option<f64>>, ms: f64, f: impl Fn() + Copy + 'static) {
        set_timeout(
            move || {
                let Some(Some(at)) = deadline.try_get_value() else {
                    return;
                };
                let left = at - now_ms();
                if left > 1.0 {
                    wait(deadline, left, f);
                } else {
                    deadline.set_value(None);
                    f();
                }
            },
            std::time::Duration::from_secs_f64(ms.max(0.0) / 1000.0),
        );
    }
    let ms = delay.as_secs_f64() * 1000.0;
    move || {
        let pending = deadline.get_value().is_some();
        deadline.set_value(Some(now_ms() + ms));
        if !pending {
            wait(deadline, ms, f);
        }
    }
}
