//! The word walk of [`super::shingles`] over ASCII text, by masks.
//!
//! Most normalised paragraphs are ASCII. For them, the class of every byte
//! (a letter or digit, a stop, white space) is taken sixteen bytes at a
//! time and put in masks of 64 bits, a bit a byte. From the masks, with no
//! step a byte: where each word starts and ends, and which white space
//! follows a stop in the same gap between words (a sentence end). These
//! three are then taken in the order of their places, a set bit at a time.

use crate::ascii::{Classes64, classes_64};

/// What the walk finds, in text order.
pub(super) trait Words {
    /// A word, the bytes `start..end` of the text.
    fn word(&mut self, start: usize, end: usize);
    /// A sentence ends after the last word given (a stop, then white
    /// space, in the gap after it). May come more than once a gap, and
    /// before the first word.
    fn sentence_end(&mut self);
}

/// Walks the words of `bytes`, which are ASCII: the runs of letters and
/// digits, given to `to` with the sentence ends between them.
#[inline(always)]
pub(super) fn walk_ascii(bytes: &[u8], to: &mut impl Words) {
    debug_assert!(bytes.is_ascii());
    // Whether the last byte of the block before was in a word, and the
    // carry of the sum that finds sentence ends (below) out of it.
    let (mut in_word, mut carry) = (0u64, false);
    // Where the word being walked started.
    let mut start = 0;
    for (k, piece) in bytes.chunks(64).enumerate() {
        // The last piece, padded with zeros: a zero byte is in no class.
        let mut padded = [0u8; 64];
        let block: &[u8; 64] = match piece.try_into() {
            Ok(whole) => whole,
            Err(_) => {
                padded[..piece.len()].copy_from_slice(piece);
                &padded
            }
        };
        let Classes64 {
            word, stop, white, ..
        } = classes_64(block);
        let after_word = word << 1 | in_word;
        in_word = word >> 63;
        let starts = word & !after_word;
        // The first byte after each word.
        let ends = !word & after_word;
        // The gaps between words, and the stops in them. Adding the stops
        // to the gaps carries from the first stop of a gap up through the
        // rest of it, and out of it into the next word's first byte,
        // flipping every bit on the way: the bits flipped inside the gap
        // are the bytes after a stop. A carry out of the block goes on
        // into the next one's first gap.
        let gaps = !word;
        let (sum, over_1) = gaps.overflowing_add(stop);
        let (sum, over_2) = sum.overflowing_add(u64::from(carry));
        carry = over_1 | over_2;
        let sentence_ends = (sum ^ gaps) & gaps & white;
        let base = 64 * k;
        let mut events = starts | ends | sentence_ends;
        while events != 0 {
            let bit = events & events.wrapping_neg();
            events ^= bit;
            let at = base + bit.trailing_zeros() as usize;
            if starts & bit != 0 {
                start = at;
            } else if ends & bit != 0 {
                to.word(start, at);
            } else {
                to.sentence_end();
            }
        }
    }
    // A word that goes on to the end of the last block of 64 bytes.
    if in_word != 0 {
        to.word(start, bytes.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What a walk gave: `Some((start, end))` for a word, `None` for a
    /// sentence end.
    #[derive(Default)]
    struct Walked(Vec<Option<(usize, usize)>>);

    impl Words for Walked {
        fn word(&mut self, start: usize, end: usize) {
            self.0.push(Some((start, end)));
        }
        fn sentence_end(&mut self) {
            self.0.push(None);
        }
    }

    /// The words of `text` (ASCII), each with whether a sentence ends in
    /// the gap after it, by the masks.
    fn walked(text: &str) -> Vec<(usize, usize, bool)> {
        let mut walked = Walked::default();
        walk_ascii(text.as_bytes(), &mut walked);
        let mut out: Vec<(usize, usize, bool)> = Vec::new();
        for event in walked.0 {
            match (event, out.last_mut()) {
                (Some((start, end)), _) => out.push((start, end, false)),
                (None, Some(last)) => last.2 = true,
                (None, None) => {}
            }
        }
        out
    }

    /// The same, a byte at a time.
    fn walked_by_bytes(text: &str) -> Vec<(usize, usize, bool)> {
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() && !bytes[i].is_ascii_alphanumeric() {
            i += 1;
        }
        while i < bytes.len() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
                i += 1;
            }
            let end = i;
            let (mut stop, mut sentence_end) = (false, false);
            while i < bytes.len() && !bytes[i].is_ascii_alphanumeric() {
                let white = matches!(bytes[i], b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ');
                sentence_end |= stop && white;
                stop |= matches!(bytes[i], b'.' | b'!' | b'?');
                i += 1;
            }
            out.push((start, end, sentence_end));
        }
        out
    }

    #[test]
    fn words_ends_and_sentence_ends() {
        assert_eq!(
            walked("Mr. Smith went. Then... ok!"),
            vec![
                (0, 2, true),
                (4, 9, false),
                (10, 14, true),
                (16, 20, true),
                (24, 26, false),
            ]
        );
        assert_eq!(walked(""), vec![]);
        assert_eq!(walked(" .! "), vec![]);
        // A stop after the space is not a sentence end; one before it is.
        assert_eq!(
            walked("a .b. c"),
            vec![(0, 1, false), (3, 4, true), (6, 7, false)]
        );
    }

    #[test]
    fn words_and_gaps_across_blocks() {
        // A word over the end of the first block, a stop last in the
        // second and white space first in the third, and a word to the
        // end of the third.
        let text = format!("{} {}. {}", "a".repeat(66), "b".repeat(60), "c".repeat(63));
        assert_eq!(text.len(), 192);
        assert_eq!(
            walked(&text),
            vec![(0, 66, false), (67, 127, true), (129, 192, false)]
        );
        // A stop at the end of a block, white space at the next one's start.
        let text = format!("{}. x", "a".repeat(63));
        assert_eq!(walked(&text), vec![(0, 63, true), (65, 66, false)]);
        // A gap that fills a block, neither stop nor white space in it,
        // between the stop and the white space: the carry goes through it.
        let text = format!("a.{} b", ",".repeat(126));
        assert_eq!(walked(&text), vec![(0, 1, true), (129, 130, false)]);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn the_masks_walk_words_as_a_byte_at_a_time(
            text in "[a-zA-Z0-9 .!?,'\"\t\n\u{b}\u{c}\r@\\[`{-]{0,300}",
        ) {
            prop_assert_eq!(walked(&text), walked_by_bytes(&text));
        }

        /// Long gaps and words, so that each crosses blocks.
        #[test]
        fn long_runs_walk_as_a_byte_at_a_time(
            pieces in prop::collection::vec(
                prop_oneof![
                    "[a-z]{1,90}",
                    "[ .!?,]{1,90}",
                    Just(". ".to_string()),
                ],
                0..12,
            ),
        ) {
            let text = pieces.concat();
            prop_assert_eq!(walked(&text), walked_by_bytes(&text));
        }
    }
}
