//! JSON strings written as serde_json writes them, sixteen or eight bytes
//! at a time.
//!
//! Every cleaned text of a JSONL output is written as a JSON string: as
//! many bytes as the corpus. serde_json looks each byte up in a table; here
//! sixteen bytes are tested at once for the three kinds of byte that need an
//! escape (a control character below 0x20, `"` and `\`) with SSE2 on x86_64
//! (where every processor has it), eight as one word elsewhere and at the
//! end, and runs without one are copied whole. The same search finds the
//! end of each run when a JSONL line is read ([`super::members`]). The
//! bytes written are serde_json's, byte for byte (a test holds them to it):
//! `\"`, `\\`, `\b`, `\t`, `\n`, `\f`, `\r`, and `\u00XX` in lower-case hex
//! for the other control characters; everything else, DEL and non-ASCII
//! included, as it is.

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
fn to_escape(word: u64) -> u64 {
    let control = word.wrapping_sub(ONES * 0x20) & !word & HIGH;
    control
        | zero_bytes(word ^ (ONES * u64::from(b'"')))
        | zero_bytes(word ^ (ONES * u64::from(b'\\')))
}

fn needs_escape(byte: u8) -> bool {
    byte < 0x20 || byte == b'"' || byte == b'\\'
}

/// One bit for each of sixteen bytes that needs an escape, the first
/// byte's lowest: three compares of all sixteen at once and a mask of
/// their top bits, SSE2's `pcmpeqb` and `pmovmskb`.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn to_escape_16(chunk: &[u8; 16]) -> u32 {
    use std::arch::x86_64::{
        _mm_cmpeq_epi8, _mm_loadu_si128, _mm_min_epu8, _mm_movemask_epi8, _mm_or_si128,
        _mm_set1_epi8,
    };
    // SAFETY: SSE2 is in every x86_64 processor (the target's baseline,
    // enabled in every build for it), and the load reads the sixteen bytes
    // of `chunk`, an array, without alignment.
    unsafe {
        let v = _mm_loadu_si128(chunk.as_ptr().cast());
        // Below 0x20: the smaller of the byte and 0x1F is the byte.
        let control = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1F)), v);
        let quote = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'"' as i8));
        let backslash = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'\\' as i8));
        _mm_movemask_epi8(_mm_or_si128(control, _mm_or_si128(quote, backslash))) as u32
    }
}

/// Where the first byte from `at` on that needs an escape is in `bytes`;
/// `bytes.len()` when none does. Sixteen bytes are tested at a time on
/// x86_64, eight elsewhere and after the last sixteen.
pub(super) fn next_to_escape(bytes: &[u8], mut at: usize) -> usize {
    #[cfg(target_arch = "x86_64")]
    while let Some(chunk) = bytes.get(at..).and_then(<[u8]>::first_chunk) {
        let marks = to_escape_16(chunk);
        if marks != 0 {
            return at + marks.trailing_zeros() as usize;
        }
        at += 16;
    }
    while let Some(chunk) = bytes.get(at..at + 8) {
        let marks = to_escape(u64::from_le_bytes(chunk.try_into().unwrap_or_default()));
        if marks != 0 {
            return at + (marks.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    match bytes[at.min(bytes.len())..]
        .iter()
        .position(|&b| needs_escape(b))
    {
        Some(found) => at + found,
        None => bytes.len(),
    }
}

/// Appends `text` to `out` as a JSON string, quotes included.
pub fn write_str(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    // Runs without an escape are copied whole.
    let mut start = 0;
    loop {
        let at = next_to_escape(bytes, start);
        out.extend_from_slice(&bytes[start..at]);
        let Some(&byte) = bytes.get(at) else { break };
        push_escape(out, byte);
        start = at + 1;
    }
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
            for before in 0..40 {
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
        fn the_next_byte_to_escape_is_the_first_from_where_the_search_starts(
            bytes in proptest::collection::vec(
                // Mostly bytes without an escape, so that the search runs
                // over whole blocks of sixteen too.
                prop_oneof![1 => Just(b'"'), 1 => Just(b'\\'), 1 => 0u8..0x20, 30 => 0x20u8..=0xFF],
                0..80,
            ),
            at in 0usize..90,
        ) {
            let want = (at..bytes.len())
                .find(|&i| needs_escape(bytes[i]))
                .unwrap_or(bytes.len());
            prop_assert_eq!(next_to_escape(&bytes, at.min(bytes.len())), want);
        }

        #[test]
        fn the_bytes_are_serde_json_s(text in "(?s).{0,80}", ascii in "[\\x00-\\x7f]{0,80}") {
            prop_assert_eq!(ours(&text), serde(&text));
            prop_assert_eq!(ours(&ascii), serde(&ascii));
        }
    }
}
