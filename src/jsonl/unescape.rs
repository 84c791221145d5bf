//! A JSONL line's text field decoded from its JSON string, eight bytes at
//! a time.
//!
//! Each pass decodes every document's text, as many bytes as the corpus.
//! Runs without a backslash are found a word at a time (as
//! [`escape`](super::escape) finds bytes to escape) and copied whole into
//! the one string that is returned, and the result is checked as UTF-8
//! once. [`read_str`] gives up on anything that is not a well-formed JSON
//! string, a lone surrogate escape included, and leaves it to serde_json,
//! which decodes it or says what is wrong with it; where it gives a
//! string, it is serde_json's (a test holds it to it).

use super::escape::next_to_escape;

/// The string that `raw`, a JSON string with its quotes, stands for; `None`
/// when `raw` is not a well-formed JSON string, or holds an escape this
/// does not take (see the module doc).
pub fn read_str(raw: &[u8]) -> Option<String> {
    let inner = raw.strip_prefix(b"\"")?.strip_suffix(b"\"")?;
    let mut out = Vec::with_capacity(inner.len());
    // Runs without a backslash are copied whole.
    let mut start = 0;
    loop {
        let at = next_to_escape(inner, start);
        out.extend_from_slice(&inner[start..at]);
        match inner.get(at) {
            None => break,
            Some(b'\\') => start = at + unescape(&inner[at..], &mut out)?,
            // A quote or a control character may not stand in a string.
            Some(_) => return None,
        }
    }
    String::from_utf8(out).ok()
}

/// Appends what the escape at the start of `escape` stands for to `out`,
/// and gives its length in bytes.
pub(super) fn unescape(escape: &[u8], out: &mut Vec<u8>) -> Option<usize> {
    let byte = match escape.get(1)? {
        b'"' => b'"',
        b'\\' => b'\\',
        b'/' => b'/',
        b'b' => 0x08,
        b'f' => 0x0c,
        b'n' => b'\n',
        b'r' => b'\r',
        b't' => b'\t',
        b'u' => {
            let unit = hex4(escape.get(2..6)?)?;
            let (c, len) = match unit {
                0xd800..=0xdbff => {
                    escape.get(6..8).filter(|e| *e == b"\\u")?;
                    let low = hex4(escape.get(8..12)?).filter(|l| (0xdc00..=0xdfff).contains(l))?;
                    let c =
                        0x10000 + ((u32::from(unit) - 0xd800) << 10) + (u32::from(low) - 0xdc00);
                    (char::from_u32(c)?, 12)
                }
                _ => (char::from_u32(u32::from(unit))?, 6),
            };
            out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
            return Some(len);
        }
        _ => return None,
    };
    out.push(byte);
    Some(2)
}

/// Four hex digits, either case.
fn hex4(digits: &[u8]) -> Option<u16> {
    let digits = std::str::from_utf8(digits).ok()?;
    match digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        true => u16::from_str_radix(digits, 16).ok(),
        false => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn serde(raw: &[u8]) -> Option<String> {
        serde_json::from_slice(raw).ok()
    }

    /// `text` as JSON with every character outside ASCII as `\uXXXX`
    /// (surrogate pairs above the first plane), as Python writes it by
    /// default.
    fn ascii_json(text: &str) -> String {
        let mut out = String::from("\"");
        for c in text.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                c if c.is_ascii() && !c.is_ascii_control() => out.push(c),
                c => {
                    for unit in c.encode_utf16(&mut [0; 2]) {
                        out.push_str(&format!("\\u{unit:04X}"));
                    }
                }
            }
        }
        out.push('"');
        out
    }

    #[test]
    fn escapes_of_every_kind() {
        for raw in [
            r#""""#,
            r#""plain text, no escape at all""#,
            r#""He said: \"over\".\n\nNext\tline\r\b\f \/ \\ end""#,
            r#""caf\u00e9 \u00E9 \ud83d\ude42 \u0000 x""#,
            "\"ünïcödé and 中文 written as they are\"",
        ] {
            assert_eq!(read_str(raw.as_bytes()), serde(raw.as_bytes()), "{raw}");
            assert!(read_str(raw.as_bytes()).is_some(), "{raw}");
        }
    }

    #[test]
    fn what_is_not_a_well_formed_string_is_left_to_serde_json() {
        for raw in [
            "\"a\" \"b\"",
            "\"ends in a backslash\\\"",
            "\"a raw\ncontrol character\"",
            "\"\\x escape\"",
            "\"\\u12\"",
            "\"\\u12g4\"",
            "\"lone \\ud83d high\"",
            "\"lone \\ude42 low\"",
            "\"high \\ud83d\\u0041 then not low\"",
            "no quotes",
        ] {
            assert_eq!(read_str(raw.as_bytes()), None, "{raw:?}");
        }
        assert_eq!(read_str(b"\"\xff\xfe\""), None);
    }

    proptest! {
        #[test]
        fn strings_serde_json_writes_read_back(text in "(?s).{0,80}") {
            let raw = serde_json::to_vec(&text).unwrap();
            prop_assert_eq!(read_str(&raw), Some(text.clone()));
            let ascii = ascii_json(&text);
            prop_assert_eq!(read_str(ascii.as_bytes()), Some(text));
        }

        #[test]
        fn never_a_string_serde_json_would_not_give(
            raw in proptest::collection::vec(
                prop_oneof![Just(b'"'), Just(b'\\'), Just(b'u'), Just(b'd'), Just(b'8'),
                            Just(b'0'), Just(b'a'), Just(b'\n'), Just(0xc3u8), Just(0xa9u8)],
                0..24,
            )
        ) {
            let mut quoted = vec![b'"'];
            quoted.extend_from_slice(&raw);
            quoted.push(b'"');
            if let Some(text) = read_str(&quoted) {
                prop_assert_eq!(Some(text), serde(&quoted));
            }
        }
    }
}
