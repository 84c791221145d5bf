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
//! 4. every run of white space becomes one space, and none at either end.
//!
//! The fingerprint of a paragraph is the 64-bit xxh3 hash of the UTF-8 bytes
//! of its normalised text, with the fixed seed [`SEED`], which the report
//! records. Two different texts could share a fingerprint; at 64 bits the
//! chance for a corpus of a billion paragraphs is about 3 in 100,000.

use unicode_normalization::UnicodeNormalization;
use xxhash_rust::xxh3::xxh3_64_with_seed;

/// The seed of every xxh3 hash `dedupe` computes. Changing it changes every
/// fingerprint, so it is written into the report.
pub const SEED: u64 = 0x6465_6475_7065_0001;

/// The steps of [`normalize`], as the report lists them.
pub const NORMALIZATION: &[&str] = &["nfkc", "lowercase", "quotes", "dashes", "whitespace"];

/// Normalises a paragraph (see the module doc).
pub fn normalize(text: &str) -> String {
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
        for c in text.chars() {
            push(c.to_ascii_lowercase(), &mut out);
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

    #[test]
    fn empty_and_blank_normalise_to_empty() {
        assert_eq!(normalize(""), "");
        assert_eq!(normalize(" \u{a0}\t"), "");
    }
}
