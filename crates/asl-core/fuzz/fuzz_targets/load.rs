//! Any byte string, read as a definition, must come back as diagnostics, never as a panic, a
//! stack overflow or a span outside the text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let loaded = asl_core::load(text);
    for d in &loaded.diagnostics {
        assert!(d.span.start <= d.span.end && d.span.end as usize <= text.len());
    }
    assert!(loaded.machine.is_some() || loaded.has_errors());
});
