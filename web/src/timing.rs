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
        let _ = data.set(&format!("{name}Ms"), &format!("{ms:.2}"));
        let _ = data.set(&count_key, &(count + 1).to_string());
    }
    out
}
