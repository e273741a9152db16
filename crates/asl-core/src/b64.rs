//! Base64 (RFC 4648) for `States.Base64Encode`/`Decode`, JSONata's `$base64encode`/`decode` and
//! share links, with the rules of the `base64` crate's engines that these used before.
//!
//! Why not the `base64` crate: each engine configuration (standard with padding, standard with
//! optional padding, URL-safe without padding) was its own inlined copy of its encoder and
//! decoder, ~6 KB of code after wasm-opt with 58 panic locations in the playground (benches/
//! README.md, "Bundle size"), for what is a few lines here. A unit test compares both ways on
//! every short input and a spread of longer ones (the crate stays a dev-dependency).
//!
//! Decoding accepts exactly what the crate's general-purpose engine accepts (its
//! `decode_allow_trailing_bits` off): only alphabet symbols, `=` only in the input's last (up to)
//! four symbols after at least two others and followed by nothing but `=`, never a lone symbol
//! left over, the unused bits of the last symbol zero, and padding as [`Padding`] says.

/// Which 64 symbols: `+` and `/` for 62 and 63, or `-` and `_` (URL-safe).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Alphabet {
    Standard,
    UrlSafe,
}

/// What decoding asks of the trailing `=`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Padding {
    /// As many `=` as complete the last group of four (none after a complete one).
    Canonical,
    /// No `=` at all.
    None,
    /// Either: the `=` may be left out, or some written.
    Indifferent,
}

const STANDARD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn symbol(alphabet: Alphabet, six: u32) -> char {
    let c = STANDARD[(six & 63) as usize];
    match (alphabet, c) {
        (Alphabet::UrlSafe, b'+') => '-',
        (Alphabet::UrlSafe, b'/') => '_',
        _ => c as char,
    }
}

fn value(alphabet: Alphabet, c: u8) -> Option<u32> {
    Some(match (c, alphabet) {
        (b'A'..=b'Z', _) => (c - b'A') as u32,
        (b'a'..=b'z', _) => (c - b'a') as u32 + 26,
        (b'0'..=b'9', _) => (c - b'0') as u32 + 52,
        (b'+', Alphabet::Standard) | (b'-', Alphabet::UrlSafe) => 62,
        (b'/', Alphabet::Standard) | (b'_', Alphabet::UrlSafe) => 63,
        _ => return None,
    })
}

/// `bytes` in base64, with `=` padding to a multiple of four symbols if `pad`.
pub fn encode(bytes: &[u8], alphabet: Alphabet, pad: bool) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let mut group = 0u32;
        for (i, b) in chunk.iter().enumerate() {
            group |= u32::from(*b) << (16 - 8 * i);
        }
        // 1, 2 or 3 bytes give 2, 3 or 4 symbols.
        for i in 0..=chunk.len() {
            out.push(symbol(alphabet, group >> (18 - 6 * i)));
        }
        if pad {
            for _ in chunk.len()..3 {
                out.push('=');
            }
        }
    }
    out
}

/// The bytes `text` encodes, or `None` if it is not base64 by the rules in the module doc.
pub fn decode(text: &str, alphabet: Alphabet, padding: Padding) -> Option<Vec<u8>> {
    let text = text.as_bytes();
    // The last group: the leftover symbols past a multiple of four, or the last four.
    let tail_len = match text.len() % 4 {
        0 => text.len().min(4),
        r => r,
    };
    let (body, tail) = text.split_at(text.len() - tail_len);
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 3);
    for quad in body.chunks(4) {
        let mut group = 0u32;
        for &c in quad {
            group = (group << 6) | value(alphabet, c)?;
        }
        out.extend_from_slice(&group.to_be_bytes()[1..]);
    }
    let mut symbols = 0usize;
    let mut pads = 0usize;
    let mut group = 0u32;
    for (i, &c) in tail.iter().enumerate() {
        if c == b'=' {
            // Padding needs two symbols before it in its group.
            if i < 2 {
                return None;
            }
            pads += 1;
            continue;
        }
        if pads > 0 {
            return None;
        }
        group |= value(alphabet, c)? << (18 - 6 * i);
        symbols += 1;
    }
    if !tail.is_empty() && symbols < 2 {
        return None;
    }
    let padding_ok = match padding {
        Padding::Canonical => (symbols + pads).is_multiple_of(4),
        Padding::None => pads == 0,
        Padding::Indifferent => true,
    };
    // The bits below the last whole byte must be zero (one canonical encoding per input).
    let whole = symbols * 6 / 8;
    let unused = 24 - 8 * whole as u32;
    if !padding_ok || (unused < 24 && group & ((1u32 << unused) - 1) != 0) {
        return None;
    }
    out.extend_from_slice(&group.to_be_bytes()[1..1 + whole]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

    fn engine(alphabet: Alphabet, padding: Padding) -> GeneralPurpose {
        let mode = match padding {
            Padding::Canonical => DecodePaddingMode::RequireCanonical,
            Padding::None => DecodePaddingMode::RequireNone,
            Padding::Indifferent => DecodePaddingMode::Indifferent,
        };
        let a = match alphabet {
            Alphabet::Standard => &base64::alphabet::STANDARD,
            Alphabet::UrlSafe => &base64::alphabet::URL_SAFE,
        };
        GeneralPurpose::new(
            a,
            GeneralPurposeConfig::new()
                .with_encode_padding(padding == Padding::Canonical)
                .with_decode_padding_mode(mode),
        )
    }

    const KINDS: [(Alphabet, Padding); 6] = [
        (Alphabet::Standard, Padding::Canonical),
        (Alphabet::Standard, Padding::None),
        (Alphabet::Standard, Padding::Indifferent),
        (Alphabet::UrlSafe, Padding::Canonical),
        (Alphabet::UrlSafe, Padding::None),
        (Alphabet::UrlSafe, Padding::Indifferent),
    ];

    fn xorshift(state: &mut u64) -> u64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
    }

    #[test]
    fn encodes_as_the_base64_crate() {
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        for len in 0..200 {
            for _ in 0..8 {
                let bytes: Vec<u8> = (0..len).map(|_| xorshift(&mut state) as u8).collect();
                for (alphabet, padding) in KINDS {
                    let pad = padding == Padding::Canonical;
                    assert_eq!(
                        encode(&bytes, alphabet, pad),
                        engine(alphabet, padding).encode(&bytes),
                        "{bytes:?} {alphabet:?} pad {pad}"
                    );
                }
            }
        }
    }

    fn same_decode(text: &str) {
        for (alphabet, padding) in KINDS {
            assert_eq!(
                decode(text, alphabet, padding),
                engine(alphabet, padding).decode(text).ok(),
                "{text:?} {alphabet:?} {padding:?}"
            );
        }
    }

    #[test]
    fn decodes_every_short_text_as_the_base64_crate() {
        // Symbols of both alphabets, with and without unused low bits (`A` 0, `B` 1, `Q` 16,
        // `w` 48, `/` 63), `=`, a symbol of neither and a non-ASCII character.
        let symbols = ["A", "B", "Q", "w", "+", "/", "-", "_", "=", "!", "é"];
        let mut texts = vec![String::new()];
        for _ in 0..5 {
            let mut longer = Vec::new();
            for t in &texts {
                same_decode(t);
                for s in symbols {
                    longer.push(format!("{t}{s}"));
                }
            }
            texts = longer;
        }
        texts.iter().for_each(|t| same_decode(t));
    }

    /// JSONata's `$base64decode` drops every trailing `=` and decodes the rest unpadded; it
    /// used to pad the rest back to a whole group and decode that canonically: the same bytes.
    #[test]
    fn trimmed_and_unpadded_decodes_as_repadded_and_canonical() {
        let symbols = ["A", "B", "Q", "w", "+", "/", "=", "!"];
        let mut texts = vec![String::new()];
        for _ in 0..6 {
            let mut longer = Vec::new();
            for t in &texts {
                let trimmed = t.trim_end_matches('=');
                let repadded = format!("{trimmed}{}", "=".repeat((4 - trimmed.len() % 4) % 4));
                assert_eq!(
                    decode(trimmed, Alphabet::Standard, Padding::None),
                    decode(&repadded, Alphabet::Standard, Padding::Canonical),
                    "{t:?}"
                );
                longer.extend(symbols.iter().map(|s| format!("{t}{s}")));
            }
            texts = longer;
        }
    }

    #[test]
    fn decodes_longer_texts_as_the_base64_crate() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let symbols = b"AQgw+/-_=!";
        for len in 0..64 {
            for _ in 0..200 {
                let bytes: Vec<u8> = (0..len).map(|_| xorshift(&mut state) as u8).collect();
                // Valid encodings, then each with one symbol replaced.
                for (alphabet, padding) in KINDS {
                    let text = engine(alphabet, padding).encode(&bytes);
                    same_decode(&text);
                    if !text.is_empty() {
                        let mut b = text.into_bytes();
                        let at = xorshift(&mut state) as usize % b.len();
                        b[at] = symbols[xorshift(&mut state) as usize % symbols.len()];
                        same_decode(std::str::from_utf8(&b).expect("ASCII"));
                    }
                }
            }
        }
    }
}
