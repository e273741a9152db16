//! Share links: a playground session packed into one URL-safe string, and back.
//!
//! A [`SharedSession`] (definition, input and mocks as the user typed them, placeholder values,
//! the template's state machine, the workflow type, the stepper's event and the inspected state)
//! becomes `v1.<payload>`: the session as compact JSON with short keys (empty fields left out),
//! compressed with raw DEFLATE (`miniz_oxide`, level 9) and written in URL-safe base64 without
//! padding (`[A-Za-z0-9_-]`), so it can sit in a URL fragment (`#s=v1.…`) as it is. The `v1.`
//! prefix versions the format: a later format gets a new prefix and this reader keeps reading
//! `v1` links already pasted into tickets and docs.
//!
//! Why DEFLATE rather than lz-string (what the TypeScript playground and Mermaid put in their
//! URLs): on the twelve gallery examples (definition, input and mocks, pretty-printed as the
//! editors hold them, in one JSON object) lz-string's `compressToEncodedURIComponent` (the
//! `lz-str` crate, measured by a scratch program) gave 12,437 characters in all, DEFLATE + base64
//! 8,714: 30% shorter (the video pipeline 2,267 against 1,379). And `miniz_oxide` can inflate
//! with a size limit, which a link from anywhere needs. The links this module writes for the
//! gallery come to 8,633 characters in all, the longest 1,371:
//! `cargo test -p asl-core --test share_gallery -- --nocapture` prints each.
//!
//! [`decode`] (and [`unpack`], [`from_json`]) never panics: every malformed, truncated or hostile string is a [`ShareError`],
//! and nothing inflates past [`MAX_DECOMPRESSED`] bytes (a small link cannot expand into
//! gigabytes).
//!
//! The compression is behind the cargo feature `share-deflate` (on by default; the JS API,
//! fuzz-gen and the tests ask for it; the CLI makes no links). The playground builds asl-core without it and compresses with
//! the browser's own `CompressionStream("deflate-raw")` around [`to_json`]/[`pack`] and
//! [`unpack`]/[`from_json`]: the same format (raw DEFLATE, the same JSON, the same base64), so
//! links from either side open on both; without miniz_oxide the playground's bundle is smaller
//! (benches/README.md, "Bundle size"). The bytes may differ (zlib's level 6 against level 9
//! here), so a link made in the browser is not always the same string as one made here.
//!
//! Not owned here: where the string goes in the URL (`#s=`, `state=`, `step=`), the length
//! limits of chat apps and servers, restoring the page: those are the web app's.

use std::fmt;

use crate::b64::{self, Alphabet};
use serde::{Deserialize, Serialize};

use crate::placeholder::Substitutions;
use crate::workflow::WorkflowType;

/// The version prefix of the links [`encode`] writes.
pub const PREFIX: &str = "v1.";

/// The most bytes a link may inflate to (4 MiB: a large definition with its input and mocks is a
/// few hundred KiB; more is a corrupt or hostile link).
pub const MAX_DECOMPRESSED: usize = 4 * 1024 * 1024;

/// The longest payload read at all (base64 characters), checked before decoding anything.
pub const MAX_ENCODED: usize = 8 * 1024 * 1024;

/// A playground session as a link carries it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SharedSession {
    /// The definition's text (JSON, YAML or a template), exactly as typed.
    pub definition: String,
    /// The execution input's text.
    pub input: String,
    /// The mocks' text (our format or a MockConfigFile).
    pub mocks: String,
    /// Values for template placeholders.
    pub substitutions: Substitutions,
    /// The state machine picked in a template with several.
    pub logical_id: Option<String>,
    pub workflow_type: WorkflowType,
    /// The stepper's event (0: started, before the first event); `None`: not started.
    pub step: Option<u32>,
    /// The state the inspector shows (its path, as the graph's `data-state`).
    pub state: Option<String>,
}

/// Why a string is not a share link this build can open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShareError {
    /// No `vN.` version prefix: not a share link at all.
    NotALink,
    /// A version this build does not read (a link from a newer playground).
    UnsupportedVersion(String),
    /// The payload is not URL-safe base64 (cut or altered in transit).
    Encoding,
    /// The payload does not inflate (cut or altered in transit).
    Compression,
    /// The payload, or what it inflates to, passes the limit (bytes or characters).
    TooLarge { limit: usize },
    /// It inflates, but not to a session (not UTF-8 JSON of the expected shape).
    Content(String),
}

impl fmt::Display for ShareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShareError::NotALink => write!(f, "not a share link (no \"v1.\" prefix)"),
            ShareError::UnsupportedVersion(v) => write!(
                f,
                "the link is in format {v}, which this version of the playground cannot read"
            ),
            ShareError::Encoding => write!(f, "the link is damaged (not URL-safe base64)"),
            ShareError::Compression => write!(f, "the link is damaged or cut short"),
            ShareError::TooLarge { limit } => {
                write!(f, "the link's session is larger than {limit} bytes")
            }
            ShareError::Content(why) => write!(f, "the link holds no session: {why}"),
        }
    }
}

impl std::error::Error for ShareError {}

/// The JSON inside a `v1` payload: short keys, empty fields left out, unknown keys ignored (so
/// a later `v1` writer may add optional fields).
#[derive(Serialize, Deserialize)]
struct Wire {
    d: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    i: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    m: String,
    #[serde(default, skip_serializing_if = "Substitutions::is_empty")]
    s: Substitutions,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    l: Option<String>,
    /// `EXPRESS`; absent for STANDARD.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    t: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    n: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    st: Option<String>,
}

/// The session as a link payload: `v1.` and URL-safe base64 (no `=`), deterministic (the same
/// session always gives the same string).
#[cfg(feature = "share-deflate")]
pub fn encode(session: &SharedSession) -> String {
    pack(&miniz_oxide::deflate::compress_to_vec(&to_json(session), 9))
}

/// Reads a link payload (surrounding whitespace and trailing `=` are tolerated).
#[cfg(feature = "share-deflate")]
pub fn decode(link: &str) -> Result<SharedSession, ShareError> {
    let packed = unpack(link)?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_DECOMPRESSED)
        .map_err(|e| match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => ShareError::TooLarge {
                limit: MAX_DECOMPRESSED,
            },
            _ => ShareError::Compression,
        })?;
    from_json(&json)
}

/// The session as the JSON a `v1` payload compresses: [`encode`]'s first half, for a host that
/// compresses it itself (raw DEFLATE, RFC 1951) and gives the bytes to [`pack`] (the playground:
/// the browser's `CompressionStream`, built without the feature `share-deflate`).
pub fn to_json(session: &SharedSession) -> Vec<u8> {
    let wire = Wire {
        d: session.definition.clone(),
        i: session.input.clone(),
        m: session.mocks.clone(),
        s: session.substitutions.clone(),
        l: session.logical_id.clone(),
        t: (session.workflow_type != WorkflowType::Standard)
            .then(|| session.workflow_type.as_str().to_string()),
        n: session.step,
        st: session.state.clone(),
    };
    // Strings, a string map and numbers: serializing cannot fail.
    serde_json::to_vec(&wire).unwrap_or_default()
}

/// A link payload from its raw DEFLATE bytes: `v1.` and URL-safe base64 without padding.
pub fn pack(deflated: &[u8]) -> String {
    format!(
        "{PREFIX}{}",
        b64::encode(deflated, Alphabet::UrlSafe, false)
    )
}

/// A link payload's raw DEFLATE bytes, after the checks [`decode`] makes before inflating: the
/// version prefix, [`MAX_ENCODED`], the base64 (surrounding whitespace and trailing `=` are
/// tolerated). A host that inflates them itself must stop at [`MAX_DECOMPRESSED`] bytes
/// ([`ShareError::TooLarge`]) and give the result to [`from_json`].
pub fn unpack(link: &str) -> Result<Vec<u8>, ShareError> {
    let link = link.trim();
    let (version, payload) = link.split_once('.').ok_or(ShareError::NotALink)?;
    let is_version = version.len() >= 2
        && version.starts_with('v')
        && version[1..].bytes().all(|b| b.is_ascii_digit());
    if !is_version {
        return Err(ShareError::NotALink);
    }
    if version != "v1" {
        return Err(ShareError::UnsupportedVersion(version.to_string()));
    }
    if payload.len() > MAX_ENCODED {
        return Err(ShareError::TooLarge { limit: MAX_ENCODED });
    }
    b64::decode(
        payload.trim_end_matches('='),
        Alphabet::UrlSafe,
        b64::Padding::None,
    )
    .ok_or(ShareError::Encoding)
}

/// The session in an inflated `v1` payload: [`decode`]'s last step.
pub fn from_json(json: &[u8]) -> Result<SharedSession, ShareError> {
    // Checked as UTF-8 first, then read from the text: `from_str` is the JSON reader the rest of the
    // crate uses (`from_slice` would be a second copy of serde_json's parser in the playground).
    let text = std::str::from_utf8(json)
        .map_err(|_| ShareError::Content("the inflated text is not UTF-8".to_string()))?;
    let wire: Wire = serde_json::from_str(text).map_err(|e| ShareError::Content(e.to_string()))?;
    let workflow_type = match wire.t.as_deref() {
        None => WorkflowType::Standard,
        Some(t) => t.parse().map_err(ShareError::Content)?,
    };
    Ok(SharedSession {
        definition: wire.d,
        input: wire.i,
        mocks: wire.m,
        substitutions: wire.s,
        logical_id: wire.l,
        workflow_type,
        step: wire.n,
        state: wire.st,
    })
}

// The tests compare with miniz_oxide's own encoder and inflater.
#[cfg(all(test, feature = "share-deflate"))]
mod tests;
