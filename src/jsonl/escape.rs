//! JSON strings written as serde_json writes them, eight bytes at a time.
//!
//! Every cleaned text of a JSONL output is written as a JSON string: as
//! many bytes as the corpus. serde_json looks each byte up in a table; here
//! a word of eight bytes is tested at once for the three kinds of byte that
//! need an escape (a control character below 0x20, `"` and `\`), and runs
//! without one are copied whole. The bytes written are serde_json's, byte
//! for byte (a test holds them to it): `\"`, `\\`, `\b`, `\t`, `\n`, `\f`,
//! `\r`, and `\u00XX` in lower-case hex for the other control characters;
//! everything else, DEL and non-ASCII included, as it is.

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `word` that is zero; a byte above a zero
/// byte may be marked too, never one below it, so the lowest mark is
/// exact.
fn zero_bytes(word: u64) -> u64 {
    word.wrapping_sub(ONES) & !word & HIGH
}

/// The high bit of each byte of `word` that needs an escape; the lowest
/// mark is exact (see [`zero_bytes`]).
pub(super) fn to_escape(word: u64) -> u64 {
    let control = word.wrapping_sub(ONES * 0x20) & !word & HIGH;
    control
        | zero_bytes(word ^ (ONES * u64::from(b'"')))
        | zero_bytes(word ^ (ONES * u64::from(b'\\')))
}

pub(super) fn needs_escape(byte: u8) -> bool {
    byte < 0x20 || byte == b'"' || byte == b'\\'
}

/// Appends `text` to `out` as a JSON string, quotes included.
pub fn write_str(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    // `bytes[start..at]` needs no escape and is not written yet.
    let (mut start, mut at) = (0, 0);
    while at < bytes.len() {
        match bytes.get(at..at + 8) {
            Some(chunk) => {
                let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
                let marks = to_escape(word);
                if marks == 0 {
                    at += 8;
                    continue;
                }
                at += (marks.trailing_zeros() / 8) as usize;
            }
            None if !needs_escape(bytes[at]) => {
                at += 1;
                continue;
            }
            None => {}
        }
        out.extend_from_slice(&bytes[start..at]);
        push_escape(out, bytes[at]);
        at += 1;
        start = at;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

fn push_escape(out: &mut Vec<u8>, byte: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let short = match byte {
        b'"' => b'"',
        b'\\' => b'\\',
        0x08 => b'b',
        b'\t' => b't',
        b'\n' => b'n',
        0x0c => b'f',
        b'\r' => b'r',
        _ => {
            let hex = [HEX[usize::from(byte >> 4)], HEX[usize::from(byte & 0xf)]];
            out.extend_from_slice(b"\\u00");
            out.extend_from_slice(&hex);
            return;
        }
    };
    out.extend_from_slice(&[b'\\', short]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn serde(text: &str) -> Vec<u8> {
        serde_json::to_vec(text).unwrap()
    }

    fn ours(text: &str) -> Vec<u8> {
        let mut out = Vec::new();
        write_str(&mut out, text);
        out
    }

    #[test]
    fn every_byte_that_needs_an_escape_at_every_place_in_a_word() {
        for byte in 0u8..0x80 {
            let c = char::from(byte);
            for before in 0..20 {
                for after in [0, 1, 7, 8, 9] {
                    let text = format!("{}{c}{}", "a".repeat(before), "é".repeat(after));
                    assert_eq!(ours(&text), serde(&text), "{text:?}");
                }
            }
        }
    }

    #[test]
    fn news_text_with_quotes_and_paragraph_breaks() {
        let text = "He said: \"It's over.\"\n\nA path C:\\temp\\x \u{1}\u{1f}\t\r\u{8}\u{c} \
                    and “curly” quotes, ü, 中文, 🙂.";
        assert_eq!(ours(text), serde(text));
        assert_eq!(ours(""), b"\"\"");
    }

    proptest! {
        #[test]
        fn the_bytes_are_serde_json_s(text in "(?s).{0,80}", ascii in "[\\x00-\\x7f]{0,80}") {
            prop_assert_eq!(ours(&text), serde(&text));
            prop_assert_eq!(ours(&ascii), serde(&ascii));
        }
    }
}
