use super::*;
use proptest::prelude::*;

fn full() -> SharedSession {
    SharedSession {
        definition: "{\n  \"StartAt\": \"Hello wörld\",\n  \"States\": {\"Hello wörld\": {\"Type\": \"Pass\", \"End\": true}}\n}".into(),
        input: "{\"amount\": 5}".into(),
        mocks: "{\"Charge\": {\"Return\": {\"Payload\": \"ok\"}}}".into(),
        substitutions: [("FunctionArn".to_string(), "arn:aws:lambda:us-east-1:1:function:f".to_string())]
            .into_iter()
            .collect(),
        logical_id: Some("OrderMachine".into()),
        workflow_type: WorkflowType::Express,
        step: Some(12),
        state: Some("Process/0/Hello wörld".into()),
    }
}

/// A link made by hand from raw JSON, to reach the checks after inflating.
fn link_of(json: &[u8]) -> String {
    pack(&miniz_oxide::deflate::compress_to_vec(json, 6))
}

#[test]
fn a_session_round_trips_with_every_field() {
    let s = full();
    let link = encode(&s);
    assert!(link.starts_with("v1."));
    assert!(
        link[3..]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
        "URL-safe: {link}"
    );
    assert_eq!(decode(&link).expect("decodes"), s);
    assert_eq!(encode(&decode(&link).expect("decodes")), link);
}

#[test]
fn empty_fields_are_left_out_and_come_back_as_defaults() {
    let s = SharedSession {
        definition: "{}".into(),
        ..SharedSession::default()
    };
    let link = encode(&s);
    assert!(link.len() < 20, "a minimal session is a short link: {link}");
    assert_eq!(decode(&link).expect("decodes"), s);
}

#[test]
fn a_v1_link_written_earlier_still_opens() {
    // Written by this module's first version: links in tickets and docs must keep working.
    let link = "v1.XY9NSsRAEIWvEmqdYYzgpneDRNyIYeLCRW_KpMYJdqqlupthCH0tL-DFrPwg4q7eq6_eoybowcBkuSgstBElHqIFo-KRnPPF5ftLXG-h_CUihRmY_hOL9XL9pPW8waBcqVPNyzZKopwtZyhhWDoBR594qbub3XF1788o77QFHikm4U00eHUe-7XAf1jIeb4LYCZ4SNzFwfNBWGNQ2OAlGIfjW48mhR1hiLvKVOa0geYEuQSn8LP0JE_YnQcmjYtq1a_NsW5bVZpW3WrH7DbiOwphf7P_-zrkHw";
    assert_eq!(decode(link).expect("decodes"), full());
}

#[test]
fn a_link_made_by_the_browser_opens() {
    // The playground compresses with the browser's CompressionStream("deflate-raw") (zlib's
    // default level, not miniz_oxide's 9): a different string for the same session, the same
    // format. This one was made by Chromium's playground from the link below (the JS API's
    // encodeShare of 2026-12-06), which tests/browser/share.test.mjs opens in the page.
    let browser = "v1.dZBNCsIwEIWvEgahCqELl92Joq6kUJfZhHaQYn4kiaiUXMsLeDGbpn8u3GTIe9-bGaaBCjJomCKEwVZLicoxyNoPV0SLiohaXRnQCBSOG7fpgYNBdHPLoQ1O14xMwKgE7fy6YYzn3No-Ha2cGy7RobE_mWBJtJZfMF3EaJyV7rWR3C2TIwqhKWl8QskiVW2TFYMh7mcTTvjsd99phQMzEIP6Z9_iXpaI1ZgKpX08UKinE4bpkX983kZ0eEAUZGsK1rVkdxbwXw";
    let ours = "v1.dZBNCsIwEIWvEgahCqELl92Joq6kUJfZhHaQYn4kiaiUXssLeDGbpmnrwk3CzPvevGEaqCCDhilCGGy1lKgcg6wruCJaVETU6sqABqBw3LjNABwMoptLDq1X-mFkAsaO751fNwz2nFs7uIOUc8MlOjT2x-MlidbyC6aLYA1Z6V4byd0yOaIQmpKmTShZpKobsmIQ7e0s4YTPYfedVhiZSMTun32Le1kiVqPLf93TAoV6OqFPD_zj8zaixz2iIFtTsK4j-7NA-wU";
    assert_ne!(browser, ours);
    let session = decode(browser).expect("the browser's link decodes");
    assert_eq!(decode(ours).expect("ours decodes"), session);
    assert_eq!(session.step, Some(2));
    assert_eq!(session.state.as_deref(), Some("Greet"));
    assert_eq!(session.input, "{\n  \"name\": \"wörld\"\n}");
    assert!(
        session.definition.contains("an old link"),
        "{}",
        session.definition
    );
}

#[test]
fn whitespace_and_padding_around_a_pasted_link_are_tolerated() {
    let link = encode(&full());
    assert_eq!(decode(&format!("  {link}==\n")).expect("decodes"), full());
}

#[test]
fn what_is_not_a_link_says_so() {
    for s in ["", "hello", ".", "v.abc", "x1.abc", "vv.abc", "1.abc", "v1"] {
        assert_eq!(decode(s), Err(ShareError::NotALink), "{s:?}");
    }
    assert_eq!(
        decode("v2.q1ZKUbJSqq5VqgUA"),
        Err(ShareError::UnsupportedVersion("v2".into()))
    );
}

#[test]
fn a_damaged_link_is_a_typed_error() {
    assert_eq!(decode("v1.not base64!"), Err(ShareError::Encoding));
    let link = encode(&full());
    // Cut short: the DEFLATE stream ends early.
    let cut = &link[..link.len() / 2];
    assert!(
        matches!(
            decode(cut),
            Err(ShareError::Compression | ShareError::Encoding)
        ),
        "{:?}",
        decode(cut)
    );
    // Valid base64 that is no DEFLATE stream.
    assert_eq!(decode("v1.________"), Err(ShareError::Compression));
}

#[test]
fn a_link_that_inflates_past_the_limit_is_refused() {
    let bomb = vec![b' '; MAX_DECOMPRESSED + 1];
    let link = link_of(&bomb);
    assert!(link.len() < 20_000, "a short link: {}", link.len());
    assert_eq!(
        decode(&link),
        Err(ShareError::TooLarge {
            limit: MAX_DECOMPRESSED
        })
    );
    let long = format!("v1.{}", "A".repeat(MAX_ENCODED + 1));
    assert_eq!(
        decode(&long),
        Err(ShareError::TooLarge { limit: MAX_ENCODED })
    );
}

#[test]
fn inflated_text_that_is_no_session_is_a_content_error() {
    for json in [
        &b"not json"[..],
        b"[1, 2]",
        b"{\"i\": \"no definition\"}",
        b"{\"d\": \"{}\", \"t\": \"TURBO\"}",
        b"{\"d\": \"{}\", \"n\": -1}",
        b"\xff\xfe",
    ] {
        assert!(
            matches!(decode(&link_of(json)), Err(ShareError::Content(_))),
            "{:?}",
            String::from_utf8_lossy(json)
        );
    }
    // Keys a later v1 writer may add are ignored.
    let newer = decode(&link_of(b"{\"d\": \"{}\", \"zoom\": 2}")).expect("decodes");
    assert_eq!(newer.definition, "{}");
}

#[test]
fn every_error_reads_as_a_sentence() {
    for e in [
        ShareError::NotALink,
        ShareError::UnsupportedVersion("v9".into()),
        ShareError::Encoding,
        ShareError::Compression,
        ShareError::TooLarge { limit: 5 },
        ShareError::Content("x".into()),
    ] {
        assert!(e.to_string().len() > 10, "{e:?}");
    }
}

fn arb_session() -> impl Strategy<Value = SharedSession> {
    (
        (any::<String>(), any::<String>(), any::<String>()),
        proptest::collection::btree_map(any::<String>(), any::<String>(), 0..4),
        proptest::option::of(any::<String>()),
        any::<bool>(),
        proptest::option::of(any::<u32>()),
        proptest::option::of(any::<String>()),
    )
        .prop_map(
            |((definition, input, mocks), substitutions, logical_id, express, step, state)| {
                SharedSession {
                    definition,
                    input,
                    mocks,
                    substitutions,
                    logical_id,
                    workflow_type: if express {
                        WorkflowType::Express
                    } else {
                        WorkflowType::Standard
                    },
                    step,
                    state,
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn links_it_writes_decode_to_the_session_and_encode_to_the_same_link(s in arb_session()) {
        let link = encode(&s);
        let back = decode(&link).expect("its own link decodes");
        prop_assert_eq!(&back, &s);
        prop_assert_eq!(encode(&back), link);
    }

    #[test]
    fn any_string_decodes_or_errs_without_panicking(s in any::<String>()) {
        let _ = decode(&s);
        let _ = decode(&format!("v1.{s}"));
    }

    #[test]
    fn any_base64_payload_decodes_or_errs_without_panicking(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        let _ = decode(&format!("v1.{}", b64::encode(&bytes, Alphabet::UrlSafe, false)));
    }

    #[test]
    fn a_changed_character_never_panics(s in arb_session(), at in any::<prop::sample::Index>(), c in "[A-Za-z0-9_-]") {
        let mut link = encode(&s).into_bytes();
        let i = 3 + at.index(link.len() - 3);
        link[i] = c.as_bytes()[0];
        let _ = decode(&String::from_utf8_lossy(&link));
    }
}
