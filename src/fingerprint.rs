//! Stage 5, fingerprint: normalisation and hashing. Pure functions.
//!
//! Two paragraphs are exact duplicates when their *normalised* texts are
//! equal. Normalisation, in this order:
//!
//! 1. Unicode NFKC (compatibility forms, ligatures, full-width letters,
//!    non-breaking spaces become their plain forms);
//! 2. lower case (full Unicode case mapping);
//! 3. curly, angled and prime quotes become `'` and `"`; hyphen, en and em
//!    dashes, the minus sign and their kin become `-`;
//! 4. every run of white space becomes one space, and none at either end;
//! 5. when lower-casing left text that is not in NFKC (a capital with a
//!    combining mark that has no composed form, whose small letter has
//!    one), steps 1 to 4 once more, so that normalised text normalises to
//!    itself.
//!
//! The fingerprint of a paragraph is the 64-bit xxh3 hash of the UTF-8 bytes
//! of its normalised text, with the fixed seed [`SEED`], which the report
//! records. Two different texts could share a fingerprint; at 64 bits the
//! chance for a corpus of a billion paragraphs is about 3 in 100,000.
//!
//! ## Shingles
//!
//! Near-duplicates are found by word shingles of the normalised text
//! ([`shingles`]). Words are the runs of letters and digits, so punctuation
//! and quote changes do not change them. Each word is hashed with xxh3; a
//! shingle is `width` consecutive words (default 5), hashed as the xxh3 of
//! their word hashes (little-endian bytes), again with [`SEED`].
//!
//! Shingles do not cross sentence ends: a paragraph whose sentences were
//! reordered keeps every shingle. A sentence end counts only once the run of
//! words before it is at least `width` long, so abbreviations ("U.S.",
//! "Mr.") and short sentences join their neighbours; a short last run joins
//! the run before it. A paragraph of fewer than `width` words has no
//! shingles and is only ever matched exactly.

pub mod minhash;

use std::cell::RefCell;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc, is_nfkc_quick};
use xxhash_rust::xxh3::xxh3_64_with_seed;

/// The seed of every xxh3 hash `dedupe` computes. Changing it changes every
/// fingerprint, so it is written into the report.
pub const SEED: u64 = 0x6465_6475_7065_0001;

/// The steps of [`normalize`], as the report lists them.
pub const NORMALIZATION: &[&str] = &["nfkc", "lowercase", "quotes", "dashes", "whitespace"];

/// Normalises a paragraph (see the module doc).
pub fn normalize(text: &str) -> String {
    let mut out = normalize_once(text);
    // Lower-casing can undo NFKC: "Y" followed by a combining ring has no
    // composed form, but "y" with the ring composes to "ẙ". Another round
    // composes it, so that normalising normalised text changes nothing
    // (found by fuzzing; see tests/fuzz_regressions.rs).
    for _ in 0..3 {
        if out.is_ascii() || is_nfkc(&out) {
            break;
        }
        out = normalize_once(&out);
    }
    out
}

/// One round of [`normalize`]: NFKC, lower case, folds, white space.
fn normalize_once(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    let mut push = |c: char, out: &mut String| {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            return;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(fold(c));
    };
    if text.is_ascii() {
        // NFKC leaves ASCII as it is, and ASCII lower-cases to ASCII.
        for c in text.chars() {
            push(c.to_ascii_lowercase(), &mut out);
        }
    } else if is_nfkc_quick(text.chars()) == IsNormalized::Yes {
        // Already in NFKC (most text): skip the decomposition.
        for c in text.chars().flat_map(char::to_lowercase) {
            push(c, &mut out);
        }
    } else {
        for c in text.nfkc().flat_map(char::to_lowercase) {
            push(c, &mut out);
        }
    }
    out
}

/// Folds quote and dash variants to their ASCII forms.
fn fold(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{2035}'
        | '\u{0060}' | '\u{00B4}' | '\u{2039}' | '\u{203A}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{2036}'
        | '\u{00AB}' | '\u{00BB}' => '"',
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => '-',
        other => other,
    }
}

/// The fingerprint of an already normalised text.
pub fn hash(normalized: &str) -> u64 {
    xxh3_64_with_seed(normalized.as_bytes(), SEED)
}

/// The word shingles of one paragraph, in text order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Shingles {
    /// The hash of each shingle, in the order of their first words.
    pub hashes: Vec<u64>,
    /// The index of each shingle's first word.
    pub starts: Vec<u32>,
    /// Words in the paragraph.
    pub words: usize,
    /// Words per shingle.
    pub width: usize,
}

impl Shingles {
    /// How many shingles there are.
    pub fn len(&self) -> usize {
        self.hashes.len()
    }

    /// Whether there are none (the paragraph is shorter than a shingle).
    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty()
    }

    /// The share of the paragraph's words that lie in at least one shingle
    /// for which `present` holds. An edited word costs only itself: the
    /// words around it are still covered by the shingles on either side.
    pub fn coverage(&self, mut present: impl FnMut(u64) -> bool) -> f64 {
        if self.words == 0 {
            return 0.0;
        }
        let mut covered = 0usize;
        let mut covered_until = 0usize;
        for (&h, &start) in self.hashes.iter().zip(&self.starts) {
            let start = start as usize;
            let end = start + self.width;
            if end > covered_until && present(h) {
                covered += end - start.max(covered_until);
                covered_until = end;
            }
        }
        covered as f64 / self.words as f64
    }
}

/// The shingles of an already normalised text, into `out` (cleared first).
/// See the module doc for what a shingle is.
pub fn shingles(normalized: &str, width: usize, out: &mut Shingles) {
    thread_local! {
        static WORDS: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
    }
    let ascii = normalized.is_ascii();
    WORDS.with_borrow_mut(|words| shingles_with(normalized, width, ascii, out, words));
}

/// [`shingles`], walking bytes when `ascii` (which the text must be) and
/// characters otherwise.
fn shingles_with(
    normalized: &str,
    width: usize,
    ascii: bool,
    out: &mut Shingles,
    words: &mut Vec<u64>,
) {
    let width = width.max(1);
    out.hashes.clear();
    out.starts.clear();
    out.width = width;
    words.clear();
    // Start index in `words` of each run that shingles may not cross.
    let mut runs: Vec<usize> = vec![0];
    let mut word = |word: &[u8], sentence_end: bool, words: &mut Vec<u64>| {
        words.push(xxh3_64_with_seed(word, SEED));
        let run_start = *runs.last().unwrap_or(&0);
        if sentence_end && words.len() - run_start >= width {
            runs.push(words.len());
        }
    };
    if ascii {
        // The same walk over bytes: in ASCII, letters and digits are
        // `is_ascii_alphanumeric` and every character is one byte.
        let bytes = normalized.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if !bytes[i].is_ascii_alphanumeric() {
                i += 1;
                continue;
            }
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
                i += 1;
            }
            let end = i;
            while i < bytes.len() && !bytes[i].is_ascii_alphanumeric() {
                i += 1;
            }
            word(
                &bytes[start..end],
                ends_sentence_ascii(&bytes[end..i]),
                words,
            );
        }
    } else {
        let mut rest = normalized;
        while let Some(start) = rest.find(char::is_alphanumeric) {
            let word_and_after = &rest[start..];
            let end = word_and_after
                .find(|c: char| !c.is_alphanumeric())
                .unwrap_or(word_and_after.len());
            let after = &word_and_after[end..];
            let gap_end = after.find(char::is_alphanumeric).unwrap_or(after.len());
            word(
                &word_and_after.as_bytes()[..end],
                ends_sentence(&after[..gap_end]),
                words,
            );
            rest = &after[gap_end..];
        }
    }
    out.words = words.len();
    // A run that ended exactly at the text's end, or a short tail, is not a
    // run of its own.
    while runs.len() > 1 && words.len() - runs[runs.len() - 1] < width {
        runs.pop();
    }
    runs.push(words.len());
    let mut bytes = Vec::with_capacity(width * 8);
    for pair in runs.windows(2) {
        for first in pair[0]..(pair[1] + 1).saturating_sub(width) {
            bytes.clear();
            for w in &words[first..first + width] {
                bytes.extend_from_slice(&w.to_le_bytes());
            }
            out.hashes.push(xxh3_64_with_seed(&bytes, SEED));
            out.starts.push(first as u32);
        }
    }
}

/// [`ends_sentence`] for an ASCII gap.
fn ends_sentence_ascii(gap: &[u8]) -> bool {
    match gap.iter().position(|b| matches!(b, b'.' | b'!' | b'?')) {
        // The ASCII characters `char::is_whitespace` accepts.
        Some(at) => gap[at..]
            .iter()
            .any(|b| matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ')),
        None => false,
    }
}

/// Whether the characters between two words end a sentence: a full stop,
/// question or exclamation mark followed by white space.
fn ends_sentence(gap: &str) -> bool {
    match gap.find(['.', '!', '?']) {
        Some(at) => gap[at..].contains(char::is_whitespace),
        None => false,
    }
}

/// A 64-bit hash as the 16-digit lower-case hex string the report uses.
pub fn hex(hash: u64) -> String {
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_whitespace_quotes_and_dashes_fold() {
        assert_eq!(
            normalize("  Mali\u{2019}s  \u{201C}Army\u{201D} \u{2013} Today \n"),
            "mali's \"army\" - today"
        );
        assert_eq!(
            normalize("Mali's \"army\" - today"),
            "mali's \"army\" - today"
        );
    }

    #[test]
    fn nfkc_and_non_breaking_space() {
        assert_eq!(normalize("\u{FB01}ne\u{a0}caf\u{E9}"), "fine café");
        assert_eq!(normalize("cafe\u{301}"), "café");
        assert_eq!(normalize("\u{FF21}\u{FF22}"), "ab");
    }

    #[test]
    fn punctuation_and_digits_are_kept() {
        assert_ne!(normalize("80 killed."), normalize("81 killed."));
        assert_ne!(normalize("yes."), normalize("yes!"));
    }

    #[test]
    fn hash_is_stable_and_seeded() {
        assert_eq!(hash("abc"), hash("abc"));
        assert_ne!(hash("abc"), hash("abd"));
        assert_ne!(hash("abc"), xxhash_rust::xxh3::xxh3_64(b"abc"));
        assert_eq!(hex(0xab), "00000000000000ab");
        // A fixed value: a changed seed or algorithm must be a conscious change.
        assert_eq!(hex(hash("dedupe")), "c38617ef9235186f");
    }

    /// The distinct shingle hashes of `text`, sorted.
    fn shingled(text: &str) -> Vec<u64> {
        let mut out = Shingles::default();
        shingles(&normalize(text), 5, &mut out);
        let mut hashes = out.hashes;
        hashes.sort_unstable();
        hashes.dedup();
        hashes
    }

    #[test]
    fn too_few_words_have_no_shingles() {
        assert!(shingled("").is_empty());
        assert!(shingled("Share this story now").is_empty());
        assert_eq!(shingled("one two three four five").len(), 1);
        assert_eq!(shingled("one two three four five six").len(), 2);
    }

    #[test]
    fn shingles_ignore_punctuation_and_quote_style() {
        assert_eq!(
            shingled("\u{201C}We will rebuild,\u{201D} the mayor said -- today."),
            shingled("\"We will rebuild\" the Mayor said, today")
        );
        assert_ne!(
            shingled("we will rebuild the town"),
            shingled("we will rebuild the city")
        );
    }

    #[test]
    fn reordered_sentences_keep_their_shingles() {
        let a = "The storm hit the coast at dawn. Thousands of homes lost power overnight.";
        let b = "Thousands of homes lost power overnight. The storm hit the coast at dawn.";
        assert_eq!(shingled(a), shingled(b));
        // Across a sentence end there is no shingle.
        let joined = shingled("the storm hit the coast at dawn thousands of homes lost power");
        assert!(shingled(a).len() < joined.len());
    }

    #[test]
    fn short_sentences_and_abbreviations_join_their_neighbours() {
        // "Mr." and "He said." are too short to stand alone.
        let s = shingled("He said. Mr. Smith won the final match in Paris.");
        let words = shingled("he said mr smith won the final match in paris");
        assert_eq!(s, words);
        // A short tail joins the run before it.
        assert_eq!(
            shingled("The team won the final match. Again."),
            shingled("the team won the final match again")
        );
    }

    #[test]
    fn shingles_are_in_text_order_with_their_first_words() {
        let mut s = Shingles::default();
        shingles("a b c d e a b c d e a b c d e", 5, &mut s);
        assert_eq!(s.words, 15);
        assert_eq!(s.starts, (0..11).collect::<Vec<u32>>());
        assert_eq!(s.hashes[0], s.hashes[5]);
        assert_eq!(shingled("a b c d e a b c d e a b c d e").len(), 5);
    }

    #[test]
    fn coverage_counts_words_in_present_shingles() {
        let mut s = Shingles::default();
        shingles("w0 w1 w2 w3 w4 w5 w6 w7 w8 w9", 5, &mut s);
        assert_eq!(s.len(), 6);
        assert_eq!(s.coverage(|_| true), 1.0);
        assert_eq!(s.coverage(|_| false), 0.0);
        // Only the first shingle: words 0..5.
        let first = s.hashes[0];
        assert_eq!(s.coverage(|h| h == first), 0.5);
        // An edit of word 5 removes the shingles that hold it (starts 1..=5)
        // but leaves words 0..5 covered by the first; word 5..10 by none.
        let mut edited = Shingles::default();
        shingles(
            "w0 w1 w2 w3 w4 XX w6 w7 w8 w9 w10 w11 w12 w13 w14",
            5,
            &mut edited,
        );
        let mut original = Shingles::default();
        shingles(
            "w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12 w13 w14",
            5,
            &mut original,
        );
        let c = edited.coverage(|h| original.hashes.contains(&h));
        assert_eq!(c, 14.0 / 15.0);
    }

    #[test]
    fn empty_and_blank_normalise_to_empty() {
        assert_eq!(normalize(""), "");
        assert_eq!(normalize(" \u{a0}\t"), "");
    }

    /// Normalisation by its definition, without the shortcuts.
    fn normalize_by_definition(text: &str) -> String {
        let folded: String = text.nfkc().flat_map(char::to_lowercase).map(fold).collect();
        folded.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    proptest::proptest! {
        #[test]
        fn shortcuts_agree_with_the_definition(text in "[a-zA-Z0-9 .,!?'`\t\n\u{0b}\u{0c}\r\u{a0}\u{e9}\u{301}\u{fb01}\u{2019}\u{2013}\u{c4}\u{3c3}-]{0,80}") {
            proptest::prop_assert_eq!(normalize(&text), normalize_by_definition(&text));
        }

        #[test]
        fn the_ascii_walk_finds_the_same_shingles(text in "[a-zA-Z0-9 .,!?'\t\n\u{0b}\r-]{0,200}", width in 1usize..7) {
            let (mut by_bytes, mut by_chars) = (Shingles::default(), Shingles::default());
            shingles_with(&text, width, true, &mut by_bytes, &mut Vec::new());
            shingles_with(&text, width, false, &mut by_chars, &mut Vec::new());
            proptest::prop_assert_eq!(by_bytes, by_chars);
        }
    }
}
