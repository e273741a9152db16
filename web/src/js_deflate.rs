//! Share links' compression by the browser's `CompressionStream` and `DecompressionStream`
//! (format `"deflate-raw"`, RFC 1951): the page builds asl-core without its cargo feature
//! `share-deflate`, so without miniz_oxide (benches/README.md, "Bundle size"). The link format
//! is `asl_core::share`'s and the same either way (its JSON, raw DEFLATE, URL-safe base64), so
//! links made by the CLI, the JS API or earlier playgrounds open here and links made here open
//! there. The browser compresses with zlib's default level where asl-core uses miniz_oxide's
//! level 9: a link made here may be a few characters longer and is not always the same string.
//! One difference in reading: bytes after the end of the compressed data, which miniz_oxide
//! ignores, make the browser's reader fail. No encoder of ours writes them, so only a link altered
//! by hand opens in the CLI or the JS API and not here.
//!
//! Both directions are async (the streams are). Inflating stops at
//! [`share::MAX_DECOMPRESSED`] bytes, as asl-core's reader does: a short hostile link cannot
//! expand into gigabytes.

use asl_core::share::{self, ShareError, SharedSession};
use js_sys::{Array, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, ReadableStreamDefaultReader, ReadableStreamReadResult, ReadableWritablePair};

#[wasm_bindgen]
extern "C" {
    /// `new CompressionStream(format)` (web-sys has it only under its unstable APIs).
    #[wasm_bindgen(extends = js_sys::Object)]
    type CompressionStream;
    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<CompressionStream, JsValue>;

    /// `new DecompressionStream(format)`.
    #[wasm_bindgen(extends = js_sys::Object)]
    type DecompressionStream;
    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<DecompressionStream, JsValue>;
}

/// The session as a link payload (`v1.…`); `Err` only where the browser has no
/// `CompressionStream("deflate-raw")` (before Chrome 103, Firefox 113, Safari 16.4).
pub async fn encode(session: &SharedSession) -> Result<String, String> {
    let no_stream = |_| "this browser cannot compress (no CompressionStream)".to_string();
    let stream = CompressionStream::new("deflate-raw").map_err(no_stream)?;
    let deflated = run(&share::to_json(session), stream.unchecked_ref(), usize::MAX)
        .await
        .map_err(|_| "the browser's compression failed".to_string())?;
    Ok(share::pack(&deflated))
}

/// Reads a link payload: asl-core's checks ([`share::unpack`]), the browser's inflating (at most
/// [`share::MAX_DECOMPRESSED`] bytes), asl-core's reading of the JSON ([`share::from_json`]).
/// `Err` says why, as [`ShareError`] says it, or that the browser has no
/// `DecompressionStream("deflate-raw")`.
pub async fn decode(link: &str) -> Result<SharedSession, String> {
    let packed = share::unpack(link).map_err(|e| e.to_string())?;
    let stream = DecompressionStream::new("deflate-raw")
        .map_err(|_| "this browser cannot read share links (no DecompressionStream)".to_string())?;
    let json = run(&packed, stream.unchecked_ref(), share::MAX_DECOMPRESSED)
        .await
        .map_err(|e| match e {
            Failed::TooLarge => ShareError::TooLarge {
                limit: share::MAX_DECOMPRESSED,
            },
            Failed::Stream => ShareError::Compression,
        })
        .map_err(|e| e.to_string())?;
    share::from_json(&json).map_err(|e| e.to_string())
}

/// Why [`run`] gave no bytes.
enum Failed {
    /// The stream errored (for inflating: damaged or cut-short data).
    Stream,
    /// The output passed the limit (the stream is cancelled there).
    TooLarge,
}

/// `bytes` through a transform stream, read chunk by chunk until it ends or passes `limit`.
async fn run(
    bytes: &[u8],
    transform: &ReadableWritablePair,
    limit: usize,
) -> Result<Vec<u8>, Failed> {
    let blob = Blob::new_with_u8_array_sequence(&Array::of1(&Uint8Array::from(bytes)))
        .map_err(|_| Failed::Stream)?;
    let reader: ReadableStreamDefaultReader = blob
        .stream()
        .pipe_through(transform)
        .get_reader()
        .unchecked_into();
    let mut out = Vec::new();
    loop {
        let chunk: ReadableStreamReadResult = JsFuture::from(reader.read())
            .await
            .map_err(|_| Failed::Stream)?
            .unchecked_into();
        if chunk.get_done().unwrap_or(true) {
            return Ok(out);
        }
        let chunk = Uint8Array::new(&chunk.get_value());
        if out.len() + chunk.length() as usize > limit {
            // Stops the inflating; what the cancel's promise says does not matter.
            let _ = reader.cancel();
            return Err(Failed::TooLarge);
        }
        let at = out.len();
        out.resize(at + chunk.length() as usize, 0);
        chunk.copy_to(&mut out[at..]);
    }
}
