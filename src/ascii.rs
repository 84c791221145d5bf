//! The classes of ASCII bytes that the word walks and counts ask about,
//! sixteen bytes at a time: with SSE2 (in every x86_64 processor, so no
//! detection at run time), a byte at a time elsewhere.

/// The classes of sixteen bytes, a bit a byte (bit `k` for byte `k`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Classes {
    /// ASCII letters and digits.
    pub word: u16,
    /// Full stops, question and exclamation marks.
    pub stop: u16,
    /// ASCII white space: tab, line feed, vertical tab, form feed,
    /// carriage return, space (what `char::is_whitespace` accepts in
    /// ASCII).
    pub white: u16,
    /// Bytes that are not ASCII.
    pub wide: u16,
}

/// [`Classes`] of sixteen bytes.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
pub(crate) fn classes_16(chunk: &[u8; 16]) -> Classes {
    use std::arch::x86_64::{
        _mm_add_epi8, _mm_cmpeq_epi8, _mm_cmplt_epi8, _mm_loadu_si128, _mm_movemask_epi8,
        _mm_or_si128, _mm_set1_epi8,
    };
    // SAFETY: SSE2 is in every x86_64 processor (the target's baseline,
    // enabled in every build for it), and the load reads the sixteen bytes
    // of `chunk`, an array, without alignment.
    unsafe {
        let v = _mm_loadu_si128(chunk.as_ptr().cast());
        // Whether each byte is in `first..first + count`: moved so that the
        // range starts at -128, then compared as signed bytes. Bytes that
        // are not ASCII land at 0 or above, outside every range here.
        let within = |v, first: u8, count: u8| {
            _mm_cmplt_epi8(
                _mm_add_epi8(v, _mm_set1_epi8(0x80u8.wrapping_sub(first) as i8)),
                _mm_set1_epi8(0x80u8.wrapping_add(count) as i8),
            )
        };
        // Setting bit 5 makes capitals small and no other ASCII byte a
        // letter.
        let letter = within(_mm_or_si128(v, _mm_set1_epi8(0x20)), b'a', 26);
        let word = _mm_or_si128(letter, within(v, b'0', 10));
        let is = |b: u8| _mm_cmpeq_epi8(v, _mm_set1_epi8(b as i8));
        let stop = _mm_or_si128(_mm_or_si128(is(b'.'), is(b'!')), is(b'?'));
        let white = _mm_or_si128(is(b' '), within(v, b'\t', 5));
        Classes {
            word: _mm_movemask_epi8(word) as u16,
            stop: _mm_movemask_epi8(stop) as u16,
            white: _mm_movemask_epi8(white) as u16,
            wide: _mm_movemask_epi8(v) as u16,
        }
    }
}

/// [`Classes`] of 64 bytes, a bit a byte (bit `k` for byte `k`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Classes64 {
    pub word: u64,
    pub stop: u64,
    pub white: u64,
    pub wide: u64,
}

/// [`Classes64`] of 64 bytes, sixteen at a time.
#[inline(always)]
pub(crate) fn classes_64(block: &[u8; 64]) -> Classes64 {
    let mut c = Classes64 {
        word: 0,
        stop: 0,
        white: 0,
        wide: 0,
    };
    for (k, sixteen) in block.as_chunks::<16>().0.iter().enumerate() {
        let part = classes_16(sixteen);
        c.word |= u64::from(part.word) << (16 * k);
        c.stop |= u64::from(part.stop) << (16 * k);
        c.white |= u64::from(part.white) << (16 * k);
        c.wide |= u64::from(part.wide) << (16 * k);
    }
    c
}

/// How far [`count_runs`] went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Runs {
    /// Runs started in the bytes taken, or the limit once it was reached.
    pub count: usize,
    /// Bytes taken: all of them, or up to a block of 64 that is not ASCII.
    pub taken: usize,
    /// Whether the last byte taken is in a run, when bytes are left.
    pub in_run: bool,
}

/// Counts the runs of the bytes that `class` marks in `bytes`, 64 bytes at
/// a time, while the blocks are ASCII: a run starts at each marked byte
/// after one that is not. The last block is padded with spaces, which
/// `class` must not mark. Stops once `limit` runs are counted.
#[inline(always)]
pub(crate) fn count_runs(bytes: &[u8], limit: usize, class: impl Fn(&Classes64) -> u64) -> Runs {
    let mut runs = Runs {
        count: 0,
        taken: 0,
        in_run: false,
    };
    let mut before = 0u64;
    for piece in bytes.chunks(64) {
        let mut padded = [b' '; 64];
        let block: &[u8; 64] = match piece.try_into() {
            Ok(whole) => whole,
            Err(_) => {
                padded[..piece.len()].copy_from_slice(piece);
                &padded
            }
        };
        let classes = classes_64(block);
        if classes.wide != 0 {
            break;
        }
        let marked = class(&classes);
        runs.count += (marked & !(marked << 1 | before)).count_ones() as usize;
        before = marked >> 63;
        runs.taken += piece.len();
        if runs.count >= limit {
            runs.count = limit;
            break;
        }
    }
    // Only a whole block can be followed by more bytes: for a short last
    // one, whether its last byte is in a run does not matter.
    runs.in_run = before == 1;
    runs
}

/// [`classes_16`] where SSE2 is not at hand.
#[cfg(not(target_arch = "x86_64"))]
pub(crate) fn classes_16(chunk: &[u8; 16]) -> Classes {
    classes_16_by_bytes(chunk)
}

/// [`classes_16`] a byte at a time.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn classes_16_by_bytes(chunk: &[u8; 16]) -> Classes {
    let mut c = Classes {
        word: 0,
        stop: 0,
        white: 0,
        wide: 0,
    };
    for (k, &b) in chunk.iter().enumerate() {
        c.word |= u16::from(b.is_ascii_alphanumeric()) << k;
        c.stop |= u16::from(matches!(b, b'.' | b'!' | b'?')) << k;
        c.white |= u16::from(matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ')) << k;
        c.wide |= u16::from(!b.is_ascii()) << k;
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_byte_is_classed_as_a_byte_at_a_time() {
        for byte in 0..=0xFFu8 {
            for at in 0..16 {
                for fill in [0u8, b'a', b'.', b' ', 0x7f, 0x80, 0xff] {
                    let mut chunk = [fill; 16];
                    chunk[at] = byte;
                    assert_eq!(classes_16(&chunk), classes_16_by_bytes(&chunk), "{chunk:?}");
                }
            }
        }
    }

    #[test]
    fn white_space_is_what_char_calls_white_space_in_ascii() {
        for b in 0..0x80u8 {
            let c = classes_16_by_bytes(&[b; 16]);
            assert_eq!(c.white != 0, char::from(b).is_whitespace(), "{b}");
            assert_eq!(c.word != 0, char::from(b).is_alphanumeric(), "{b}");
        }
    }
}
