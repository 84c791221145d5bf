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

mod masks;
pub mod minhash;
pub mod spool;

use std::cell::RefCell;
use std::ops::Range;
use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc, is_nfkc_quick};
use xxhash_rust::xxh3::xxh3_64_with_seed;

/// The seed of every xxh3 hash `dedupe` computes. Changing it changes every
/// fingerprint, so it is written into the report.
pub const SEED: u64 = 0x6465_6475_7065_0001;

/// The steps of [`normalize`], as the report lists them.
pub const NORMALIZATION: &[&str] = &["nfkc", "lowercase", "quotes", "dashes", "whitespace"];

/// Normalises a paragraph (see the module doc).
pub fn normalize(text: &str) -> String {
    let mut out = String::new();
    normalize_into(text, &mut out);
    out
}

/// [`normalize`] into `out`, which is cleared first: a caller that
/// normalises many paragraphs can reuse one buffer for all of them.
pub fn normalize_into(text: &str, out: &mut String) {
    let mut settled = normalize_once(text, out);
    // Lower-casing can undo NFKC: "Y" followed by a combining ring has no
    // composed form, but "y" with the ring composes to "ẙ". Another round
    // composes it, so that normalising normalised text changes nothing
    // (found by fuzzing; see tests/fuzz_regressions.rs).
    let mut again = String::new();
    for _ in 0..3 {
        if settled || out.is_ascii() || is_nfkc(out) {
            break;
        }
        settled = normalize_once(out, &mut again);
        std::mem::swap(out, &mut again);
    }
}

/// One round of [`normalize`] into `out` (cleared first): NFKC, lower case,
/// folds, white space. Returns true when the result is known to be in NFKC
/// already (the NFKC quick check of its characters says yes); false when
/// that is not known.
fn normalize_once(text: &str, out: &mut String) -> bool {
    out.clear();
    out.reserve(text.len());
    if let Some(settled) = normalize_nfkc(text, out) {
        return settled;
    }
    // Not known to be in NFKC: decompose and compose.
    out.clear();
    let mut space = Space::default();
    for c in text.nfkc().flat_map(char::to_lowercase) {
        space.push(c, out);
    }
    false
}

/// Whether a space is due before the next character that is not white
/// space: white space was seen after some output.
#[derive(Default)]
struct Space(bool);

impl Space {
    /// Adds a lower-cased character to `out`: white space is held back,
    /// anything else folded.
    #[inline]
    fn push(&mut self, c: char, out: &mut String) {
        if c.is_whitespace() {
            self.0 = !out.is_empty();
            return;
        }
        if self.0 {
            out.push(' ');
            self.0 = false;
        }
        out.push(fold(c));
    }
}

/// What [`ASCII`] maps white space to.
const WHITE: u8 = 0xFF;

/// Per ASCII character: the character it lower-cases and folds to, or
/// [`WHITE`] for the characters `char::is_whitespace` accepts.
static ASCII: [u8; 128] = {
    let mut table = [0; 128];
    let mut b = 0;
    while b < 0x80 {
        table[b] = match b as u8 {
            b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ' => WHITE,
            b'`' => b'\'',
            c => c.to_ascii_lowercase(),
        };
        b += 1;
    }
    table
};

/// Whether an ASCII character is printable, not a space, and only
/// lower-cased by [`normalize`] (every one but the backtick, which folds).
#[inline(always)]
fn plain(b: u8) -> bool {
    b.wrapping_sub(b'!') < 0x7F - b'!' && b != b'`'
}

/// Whether eight bytes (little-endian in `x`) that follow a [`plain`] byte
/// can be copied as they are by [`normalize_nfkc`]: each is [`plain`] or a
/// space, no two spaces are next to each other, and the last is not one.
#[inline(always)]
fn plain_chunk(x: u64) -> bool {
    const ONES: u64 = u64::from_le_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_le_bytes([0x80; 8]);
    // Bytes that are 0 in `v` get their high bit set (and perhaps bytes
    // above them, but only when there is one).
    let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    // Not ASCII, or below a space.
    let low_or_wide = (x.wrapping_sub(ONES * 0x20) | x) & HIGH;
    let delete = zero(x ^ (ONES * 0x7F));
    let backtick = zero(x ^ (ONES * u64::from(b'`')));
    if low_or_wide | delete | backtick != 0 {
        return false;
    }
    // All ASCII from here: the spaces, exactly.
    let spaces = zero(x ^ (ONES * 0x20));
    spaces & (spaces << 8) == 0 && spaces >> 56 == 0
}

/// How many of sixteen bytes that follow a [`plain`] byte can be copied
/// as they are by [`normalize_nfkc`], all sixteen at once (SSE2): the
/// longest start of them whose bytes are each [`plain`] or a space, with no
/// two spaces next to each other and no space last, as a walk a byte at a
/// time would find it. A space in the last place is left for that walk,
/// which sees the byte after it.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn plain_prefix_16(chunk: &[u8; 16]) -> usize {
    use std::arch::x86_64::{
        _mm_and_si128, _mm_andnot_si128, _mm_cmpeq_epi8, _mm_cmpgt_epi8, _mm_cmplt_epi8,
        _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8,
    };
    // SAFETY: SSE2 is in every x86_64 processor (the target's baseline,
    // enabled in every build for it), and the load reads the sixteen bytes
    // of `chunk`, an array, without alignment.
    let (plain, spaces) = unsafe {
        let v = _mm_loadu_si128(chunk.as_ptr().cast());
        // Compared as signed bytes: those that are not ASCII are negative,
        // below `!`.
        let printable = _mm_and_si128(
            _mm_cmpgt_epi8(v, _mm_set1_epi8(0x20)),
            _mm_cmplt_epi8(v, _mm_set1_epi8(0x7F)),
        );
        let plain = _mm_andnot_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(b'`' as i8)), printable);
        let space = _mm_cmpeq_epi8(v, _mm_set1_epi8(b' ' as i8));
        (
            _mm_movemask_epi8(plain) as u32,
            _mm_movemask_epi8(space) as u32,
        )
    };
    // A byte stops the copy when it is neither, or is a space that the
    // next byte does not follow as a plain one (the last byte has none).
    let stops = !(plain | spaces) | (spaces & !(plain >> 1));
    (stops | 1 << 16).trailing_zeros() as usize
}

/// The first half of the NFKC quick check (Unicode TR 15), as
/// `unicode_normalization::is_nfkc_quick` makes it, for a character that is
/// not ASCII after a character whose canonical combining class is
/// `last_cc` (0 for ASCII, which the check allows always): the character's
/// combining class when the check still says yes, `None` when it does not.
#[inline]
fn quick_check(c: char, last_cc: u8) -> Option<u8> {
    let cc = canonical_combining_class(c);
    if last_cc > cc && cc != 0 {
        return None;
    }
    (is_nfkc_quick(std::iter::once(c)) == IsNormalized::Yes).then_some(cc)
}

/// One round of [`normalize`] into `out` for text that the NFKC quick check
/// says is in NFKC (most text), which NFKC leaves as it is: `None`, with
/// `out` in some state, when the check does not say yes. Otherwise whether
/// the quick check says the result is in NFKC too.
///
/// Bytes are walked, and only characters that are not ASCII are decoded.
/// Runs of printable ASCII, single spaces inside them included, are copied
/// whole and lower-cased in place; their ends are found sixteen bytes at a
/// time on x86_64 ([`plain_prefix_16`]), eight elsewhere. The quick check
/// of the text is the library's, made along the way: ASCII is always
/// allowed and resets the combining class, so only characters that are not
/// ASCII are looked up, after the class of the character before them (0
/// when it was ASCII). The same check is made of what is written.
fn normalize_nfkc(text: &str, out: &mut String) -> Option<bool> {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut space = false;
    // The combining class of the last character of the text read, and of
    // `out`, when that character is not ASCII.
    let (mut text_cc, mut out_cc) = (0u8, 0u8);
    let mut settled = true;
    let mut i = 0;
    while i < n {
        let b = bytes[i];
        if plain(b) {
            if space {
                out.push(' ');
                space = false;
            }
            let start = i;
            i += 1;
            loop {
                // As many of the next sixteen bytes as can be copied, then
                // eight at a time where all can be, then one.
                #[cfg(target_arch = "x86_64")]
                if let Some(chunk) = bytes.get(i..).and_then(<[u8]>::first_chunk) {
                    let copied = plain_prefix_16(chunk);
                    i += copied;
                    if copied == 16 {
                        continue;
                    }
                }
                if let Some(chunk) = bytes.get(i..i + 8)
                    && plain_chunk(u64::from_le_bytes(chunk.try_into().unwrap_or_default()))
                {
                    i += 8;
                } else if i < n && plain(bytes[i]) {
                    i += 1;
                } else if i + 1 < n && bytes[i] == b' ' && plain(bytes[i + 1]) {
                    i += 2;
                } else {
                    break;
                }
            }
            let from = out.len();
            out.push_str(&text[start..i]);
            out[from..].make_ascii_lowercase();
            continue;
        }
        if b < 0x80 {
            match ASCII[usize::from(b)] {
                WHITE => space = !out.is_empty(),
                m => {
                    if space {
                        out.push(' ');
                        space = false;
                    }
                    out.push(char::from(m));
                }
            }
            i += 1;
            continue;
        }
        let c = text[i..].chars().next()?;
        let last_cc = if i > 0 && bytes[i - 1] < 0x80 {
            0
        } else {
            text_cc
        };
        text_cc = quick_check(c, last_cc)?;
        i += c.len_utf8();
        for c in c.to_lowercase() {
            if c.is_whitespace() {
                space = !out.is_empty();
                continue;
            }
            if space {
                out.push(' ');
                space = false;
            }
            let c = fold(c);
            if settled && !c.is_ascii() {
                let last_cc = match out.as_bytes().last() {
                    Some(&b) if b >= 0x80 => out_cc,
                    _ => 0,
                };
                match quick_check(c, last_cc) {
                    Some(cc) => out_cc = cc,
                    None => settled = false,
                }
            }
            out.push(c);
        }
    }
    Some(settled)
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
    pub fn coverage(&self, present: impl FnMut(u64) -> bool) -> f64 {
        coverage(&self.hashes, &self.starts, self.words, self.width, present)
    }
}

/// [`Shingles::coverage`] of the shingles with these hashes and first
/// words, in a paragraph of `words` words, `width` words a shingle.
pub fn coverage(
    hashes: &[u64],
    starts: &[u32],
    words: usize,
    width: usize,
    mut present: impl FnMut(u64) -> bool,
) -> f64 {
    if words == 0 {
        return 0.0;
    }
    let mut covered = 0usize;
    let mut covered_until = 0usize;
    for (&h, &start) in hashes.iter().zip(starts) {
        let start = start as usize;
        let end = start + width;
        if end > covered_until && present(h) {
            covered += end - start.max(covered_until);
            covered_until = end;
        }
    }
    covered as f64 / words as f64
}

/// The shingles of `text`, normalised, at the default width of 5 words:
/// what the tests of several stages start from.
#[cfg(test)]
pub(crate) fn shingled(text: &str) -> Shingles {
    let mut out = Shingles::default();
    shingles(&normalize(text), 5, &mut out);
    out
}

/// The shingles of an already normalised text, into `out` (cleared first).
/// See the module doc for what a shingle is.
pub fn shingles(normalized: &str, width: usize, out: &mut Shingles) {
    thread_local! {
        static SCRATCH: RefCell<Scratch> = const { RefCell::new(Scratch::new()) };
    }
    SCRATCH.with_borrow_mut(|scratch| shingles_with(normalized, width, out, scratch));
}

/// Buffers [`shingles`] reuses from one paragraph to the next.
struct Scratch {
    /// The hash of each word, as its 8 little-endian bytes: the bytes a
    /// shingle's hash is taken over lie side by side.
    words: Vec<u8>,
    /// Index of the first word of each run that shingles may not cross.
    runs: Vec<usize>,
}

impl Scratch {
    const fn new() -> Scratch {
        Scratch {
            words: Vec::new(),
            runs: Vec::new(),
        }
    }
}

/// What a character is to the word walk of [`shingles`].
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    /// A letter or digit (`char::is_alphanumeric`): part of a word.
    Word,
    /// A full stop, question or exclamation mark.
    Stop,
    /// White space (`char::is_whitespace`).
    White,
    /// Anything else.
    Other,
    /// In [`BYTE_CLASS`] only: a byte of a character that is not ASCII,
    /// which has to be decoded to tell.
    Wide,
}

/// [`Class`] of each ASCII character; [`Class::Wide`] for the other bytes.
static BYTE_CLASS: [Class; 256] = {
    let mut table = [Class::Wide; 256];
    let mut b = 0;
    while b < 0x80 {
        table[b] = match b as u8 {
            c if c.is_ascii_alphanumeric() => Class::Word,
            b'.' | b'!' | b'?' => Class::Stop,
            b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ' => Class::White,
            _ => Class::Other,
        };
        b += 1;
    }
    table
};

/// The class of the character at byte `at` of `text`, and its length in
/// bytes. Only characters that are not ASCII are decoded.
#[inline(always)]
fn class_at(text: &str, at: usize) -> (Class, usize) {
    match BYTE_CLASS[usize::from(text.as_bytes()[at])] {
        Class::Wide => wide_class_at(text, at),
        class => (class, 1),
    }
}

/// [`class_at`] for a character that is not ASCII.
#[inline(never)]
fn wide_class_at(text: &str, at: usize) -> (Class, usize) {
    let c = text[at..].chars().next().unwrap_or_default();
    let class = if c.is_alphanumeric() {
        Class::Word
    } else if c.is_whitespace() {
        Class::White
    } else {
        Class::Other
    };
    (class, c.len_utf8())
}

/// The high bit of each byte of a word of eight.
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `word` that is an ASCII letter or digit,
/// and of no other: each byte is tested on its own, with no carry or borrow
/// from its neighbours (the low seven bits are added to and subtracted
/// from constants under 0x100, and bytes from 0x80 are masked out).
fn ascii_alphanumeric(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let low = word & (ONES * 0x7f);
    // Bytes strictly between `above` and `below`.
    let between = |above: u8, below: u8| {
        (ONES * (0x7f + u64::from(below))).wrapping_sub(low)
            & low.wrapping_add(ONES * (0x7f - u64::from(above)))
    };
    (between(b'0' - 1, b'9' + 1) | between(b'A' - 1, b'Z' + 1) | between(b'a' - 1, b'z' + 1))
        & !word
        & HIGH_BITS
}

/// [`shingles`] with its buffers.
fn shingles_with(normalized: &str, width: usize, out: &mut Shingles, scratch: &mut Scratch) {
    let width = width.max(1);
    out.hashes.clear();
    out.starts.clear();
    out.width = width;
    let Scratch { words, runs } = scratch;
    words.clear();
    runs.clear();
    runs.push(0);
    let mut sink = WordSink {
        text: normalized.as_bytes(),
        words,
        runs,
        count: 0,
        width,
    };
    if normalized.is_ascii() {
        masks::walk_ascii(normalized.as_bytes(), &mut sink);
    } else {
        walk_words(normalized, &mut sink);
    }
    let WordSink {
        words, runs, count, ..
    } = sink;
    out.words = count;
    // A run that ended exactly at the text's end, or a short tail, is not a
    // run of its own.
    while runs.len() > 1 && count - runs[runs.len() - 1] < width {
        runs.pop();
    }
    runs.push(count);
    let total: usize = runs
        .windows(2)
        .map(|pair| (pair[1] + 1).saturating_sub(width + pair[0]))
        .sum();
    out.hashes.reserve(total);
    out.starts.reserve(total);
    for pair in runs.windows(2) {
        let firsts = pair[0]..(pair[1] + 1).saturating_sub(width);
        // The xxh3 of the shingle's word hashes, little-endian, in order.
        // Extended from ranges, whose length is known, rather than pushed
        // one at a time: no check of the room left at each shingle.
        hash_shingles(words, width, firsts.clone(), &mut out.hashes);
        out.starts.extend(firsts.map(|first| first as u32));
    }
}

/// Takes the words of a walk: the hash of each, side by side, and the
/// runs that shingles may not cross.
struct WordSink<'a> {
    text: &'a [u8],
    words: &'a mut Vec<u8>,
    runs: &'a mut Vec<usize>,
    /// Words so far.
    count: usize,
    width: usize,
}

impl masks::Words for WordSink<'_> {
    #[inline(always)]
    fn word(&mut self, start: usize, end: usize) {
        let hash = xxh3_64_with_seed(&self.text[start..end], SEED);
        self.words.extend_from_slice(&hash.to_le_bytes());
        self.count += 1;
    }

    #[inline(always)]
    fn sentence_end(&mut self) {
        // A sentence end counts once the run before it is long enough.
        if self.count - self.runs[self.runs.len() - 1] >= self.width {
            self.runs.push(self.count);
        }
    }
}

/// The word walk of [`shingles`] for any text, a character at a time
/// where it is not ASCII; [`masks::walk_ascii`] for ASCII text.
fn walk_words(normalized: &str, to: &mut impl masks::Words) {
    let bytes = normalized.as_bytes();
    let n = bytes.len();
    // Text before the first word.
    let mut i = 0;
    while i < n {
        let (class, len) = class_at(normalized, i);
        if class == Class::Word {
            break;
        }
        i += len;
    }
    while i < n {
        // A word, then the gap after it, up to the next word or the end.
        let start = i;
        loop {
            // Eight ASCII letters and digits at a time; a word ends in the
            // first word of eight that is not all of them.
            if let Some(chunk) = bytes.get(i..i + 8) {
                let not_word =
                    !ascii_alphanumeric(u64::from_le_bytes(chunk.try_into().unwrap_or_default()))
                        & HIGH_BITS;
                if not_word == 0 {
                    i += 8;
                    continue;
                }
                i += (not_word.trailing_zeros() / 8) as usize;
            }
            let Some(&b) = bytes.get(i) else { break };
            let class = BYTE_CLASS[usize::from(b)];
            if class == Class::Word {
                i += 1;
                continue;
            }
            if class != Class::Wide {
                break;
            }
            let (class, len) = wide_class_at(normalized, i);
            if class != Class::Word {
                break;
            }
            i += len;
        }
        let end = i;
        // A sentence end: a stop, then white space, before the next word.
        // The flags are set without a branch on the class: a gap is a
        // character or two, and which they are is not predictable.
        let (mut stop, mut sentence_end) = (false, false);
        // Most gaps are one space before the next word: nothing to learn
        // from them, and no need to walk them.
        let one_space = bytes.get(i) == Some(&b' ')
            && bytes
                .get(i + 1)
                .is_some_and(|&b| BYTE_CLASS[usize::from(b)] == Class::Word);
        if one_space {
            i += 1;
        } else {
            while let Some(&b) = bytes.get(i) {
                let (class, len) = match BYTE_CLASS[usize::from(b)] {
                    Class::Wide => wide_class_at(normalized, i),
                    class => (class, 1),
                };
                if class == Class::Word {
                    break;
                }
                stop |= class == Class::Stop;
                sentence_end |= stop & (class == Class::White);
                i += len;
            }
        }
        to.word(start, end);
        if sentence_end {
            to.sentence_end();
        }
    }
}

/// Appends to `out` the hash of each shingle of `width` words that starts
/// at a word of `firsts`: the xxh3 (seed [`SEED`]) of its word hashes, as
/// `words` holds them (little-endian, side by side).
fn hash_shingles(words: &[u8], width: usize, firsts: Range<usize>, out: &mut Vec<u64>) {
    /// Shingles of `W` words, `W` known when `dedupe` is built.
    fn of_width<const W: usize>(words: &[u8], firsts: Range<usize>, out: &mut Vec<u64>) {
        let (words, _) = words.as_chunks::<8>();
        out.extend(firsts.map(|first| {
            let shingle: &[[u8; 8]; W] = words[first..first + W]
                .try_into()
                .expect("a slice of W words");
            xxh3_words(shingle)
        }));
    }
    macro_rules! widths {
        ($($w:literal)*) => {
            match width {
                $($w => of_width::<$w>(words, firsts, out),)*
                _ => out.extend(
                    firsts.map(|first| xxh3_64_with_seed(&words[first * 8..(first + width) * 8], SEED)),
                ),
            }
        };
    }
    widths!(3 4 5 6 7 8 9 10 11 12 13 14 15 16);
}

/// `xxh3_64_with_seed` of `W` word hashes (little-endian, side by side;
/// 17 to 128 bytes, so 3 to 16 words) with the seed [`SEED`]: the same
/// function, for one length known when `dedupe` is built, so that its
/// branches on the length are gone and each word is read at a place fixed
/// in advance, from an array rather than a slice checked at each read:
/// about 60 instructions a shingle, loop included, against 73 (cachegrind,
/// 2% of a run's instructions at defaults). The property test
/// `xxh3_words_is_xxh3` holds it to the library's function.
#[inline(always)]
fn xxh3_words<const W: usize>(words: &[[u8; 8]; W]) -> u64 {
    const SECRET: [u8; 192] = xxhash_rust::const_xxh3::const_custom_default_secret(SEED);
    // The secret as little-endian words, the seed in them.
    const KEYS: [u64; 16] = {
        let mut keys = [0; 16];
        let mut k = 0;
        while k < 16 {
            let mut word = [0; 8];
            let mut b = 0;
            while b < 8 {
                word[b] = SECRET[k * 8 + b];
                b += 1;
            }
            keys[k] = u64::from_le_bytes(word);
            k += 1;
        }
        keys
    };
    const PRIME64_1: u64 = 0x9E37_79B1_85EB_CA87;
    const { assert!(W >= 3 && W <= 16, "17 to 128 bytes") };
    let len = 8 * W;
    // The sixteen bytes at byte `at` (a multiple of 8), with keys `k` and
    // `k + 1`, multiplied and folded.
    let mix = |at: usize, k: usize| {
        let (lo, hi) = (
            u64::from_le_bytes(words[at / 8]),
            u64::from_le_bytes(words[at / 8 + 1]),
        );
        let product = u128::from(lo ^ KEYS[k]) * u128::from(hi ^ KEYS[k + 1]);
        product as u64 ^ (product >> 64) as u64
    };
    let mut acc = (len as u64).wrapping_mul(PRIME64_1);
    if len > 32 {
        if len > 64 {
            if len > 96 {
                acc = acc.wrapping_add(mix(48, 12));
                acc = acc.wrapping_add(mix(len - 64, 14));
            }
            acc = acc.wrapping_add(mix(32, 8));
            acc = acc.wrapping_add(mix(len - 48, 10));
        }
        acc = acc.wrapping_add(mix(16, 4));
        acc = acc.wrapping_add(mix(len - 32, 6));
    }
    acc = acc.wrapping_add(mix(0, 0));
    acc = acc.wrapping_add(mix(len - 16, 2));
    // xxh3's avalanche.
    acc ^= acc >> 37;
    acc = acc.wrapping_mul(0x1656_6791_9E37_79F9);
    acc ^ acc >> 32
}

/// A 64-bit hash as the 16-digit lower-case hex string the report uses.
pub fn hex(hash: u64) -> String {
    // Made for every removed copy in the report: digit by digit rather than
    // through the formatting machinery.
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(16);
    for i in (0..16).rev() {
        out.push(char::from(DIGITS[(hash >> (4 * i)) as usize & 0xf]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`normalize`] as it was first written, walking characters.
    fn reference_normalize(text: &str) -> String {
        let mut out = reference_normalize_once(text);
        // Lower-casing can undo NFKC: "Y" followed by a combining ring has no
        // composed form, but "y" with the ring composes to "ẙ". Another round
        // composes it, so that normalising normalised text changes nothing
        // (found by fuzzing; see tests/fuzz_regressions.rs).
        for _ in 0..3 {
            if out.is_ascii() || is_nfkc(&out) {
                break;
            }
            out = reference_normalize_once(&out);
        }
        out
    }

    /// One round of [`reference_normalize`].
    fn reference_normalize_once(text: &str) -> String {
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

    /// [`shingles`] as it was first written: walking bytes when `ascii` (which
    /// the text must be) and characters otherwise.
    fn reference_shingles_with(
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
                    reference_ends_sentence_ascii(&bytes[end..i]),
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
                    reference_ends_sentence(&after[..gap_end]),
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

    /// [`reference_ends_sentence`] for an ASCII gap.
    fn reference_ends_sentence_ascii(gap: &[u8]) -> bool {
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
    fn reference_ends_sentence(gap: &str) -> bool {
        match gap.find(['.', '!', '?']) {
            Some(at) => gap[at..].contains(char::is_whitespace),
            None => false,
        }
    }

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
        for h in [0, 1, u64::MAX, 0x0123_4567_89ab_cdef, hash("x")] {
            assert_eq!(hex(h), format!("{h:016x}"));
        }
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
            reference_shingles_with(&text, width, true, &mut by_bytes, &mut Vec::new());
            reference_shingles_with(&text, width, false, &mut by_chars, &mut Vec::new());
            proptest::prop_assert_eq!(&by_bytes, &by_chars);
            proptest::prop_assert_eq!(shingled_with(&text, width), by_bytes);
        }
    }

    #[test]
    fn ascii_alphanumeric_marks_each_byte_on_its_own() {
        for byte in 0..=255u8 {
            for at in 0..8 {
                for fill in [0u8, b'a', b'.', 0x7f, 0x80, 0xff] {
                    let mut bytes = [fill; 8];
                    bytes[at] = byte;
                    let marks = ascii_alphanumeric(u64::from_le_bytes(bytes));
                    for (k, b) in bytes.iter().enumerate() {
                        let marked = marks >> (8 * k + 7) & 1 == 1;
                        assert_eq!(marked, b.is_ascii_alphanumeric(), "{bytes:?} byte {k}");
                    }
                }
            }
        }
    }

    /// The shingles of `text` by [`shingles`].
    fn shingled_with(text: &str, width: usize) -> Shingles {
        let mut out = Shingles::default();
        shingles(text, width, &mut out);
        out
    }

    /// The shingles of `text` by [`reference_shingles_with`].
    fn reference_shingled(text: &str, width: usize) -> Shingles {
        let mut out = Shingles::default();
        reference_shingles_with(text, width, text.is_ascii(), &mut out, &mut Vec::new());
        out
    }

    /// Pieces of news text: ASCII words and punctuation, sentence ends, the
    /// typographic characters news sites use, every kind of white space, and
    /// the characters that make normalisation work hard (compatibility
    /// forms, combining marks in and out of order, capitals whose small
    /// letters decompose or grow).
    const PIECES: &[&str] = &[
        "The",
        "council",
        "said",
        "on",
        "Tuesday",
        "it",
        "would",
        "cost",
        "£5m",
        "€",
        "a",
        "Mr",
        "U.S.",
        "BBC",
        "2024",
        "x",
        "NHS's",
        "café",
        "Ärzte",
        "naïve",
        "Straße",
        "ΣΊΣΥΦΟΣ",
        "Москва",
        "東京",
        "١٢٣",
        " ",
        " ",
        " ",
        "  ",
        "\t",
        "\n",
        "\r\n",
        "\u{a0}",
        "\u{85}",
        "\u{2028}",
        "\u{3000}",
        "\u{202f}",
        "\u{2009}",
        ".",
        ". ",
        "! ",
        "? ",
        "?",
        ",",
        ", ",
        ":",
        ";",
        "-",
        "--",
        "\u{2013}",
        "\u{2014}",
        "\u{2212}",
        "\u{2018}",
        "\u{2019}",
        "\u{201c}",
        "\u{201d}",
        "\u{ab}",
        "\u{bb}",
        "'",
        "\"",
        "`",
        "\u{b4}",
        "\u{2026}",
        "\u{fb01}",
        "\u{ff21}\u{ff42}",
        "\u{2460}",
        "\u{b2}",
        "e\u{301}",
        "Y\u{30a}",
        "\u{1e99}",
        "\u{130}",
        "\u{1c5}",
        "\u{345}",
        "\u{301}\u{316}",
        "a\u{316}\u{301}",
        "\u{301}",
        "\u{316}",
        "\u{305}\u{316}",
        "\u{305}",
        "\u{5b4}\u{5b0}",
        "\u{1e9e}",
        "\u{3a3}",
        "K",
        "\u{2126}",
        "\u{1f600}",
        "\u{200b}",
        "\u{feff}",
        "\u{0}",
    ];

    /// News-like text made of [`PIECES`].
    fn news() -> impl proptest::strategy::Strategy<Value = String> {
        proptest::collection::vec(proptest::sample::select(PIECES), 0..60)
            .prop_map(|pieces| pieces.concat())
    }

    use proptest::prelude::{Strategy, any};

    /// Checks [`normalize`], [`normalize_into`] and [`shingles`] against the
    /// reference versions on `text`.
    fn agrees_with_the_reference(
        text: &str,
        width: usize,
    ) -> Result<(), proptest::test_runner::TestCaseError> {
        let expected = reference_normalize(text);
        proptest::prop_assert_eq!(&normalize(text), &expected);
        let mut buffer = String::from("left over");
        normalize_into(text, &mut buffer);
        proptest::prop_assert_eq!(&buffer, &expected);
        proptest::prop_assert_eq!(
            shingled_with(&expected, width),
            reference_shingled(&expected, width)
        );
        // Shingles of text that is not normalised, too.
        proptest::prop_assert_eq!(shingled_with(text, width), reference_shingled(text, width));
        Ok(())
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(4096))]

        /// Every width, through the dispatch: 3 to 16 words by
        /// [`xxh3_words`], the others by the library.
        #[test]
        fn xxh3_words_is_xxh3(
            hashes in proptest::collection::vec(any::<u64>(), 1..24),
            from in 0usize..4,
        ) {
            let bytes: Vec<u8> = hashes.iter().flat_map(|h| h.to_le_bytes()).collect();
            let width = hashes.len().saturating_sub(from).max(1);
            let firsts = 0..hashes.len() + 1 - width;
            let mut out = vec![7];
            hash_shingles(&bytes, width, firsts.clone(), &mut out);
            let expected: Vec<u64> = std::iter::once(7)
                .chain(firsts.map(|f| xxh3_64_with_seed(&bytes[f * 8..(f + width) * 8], SEED)))
                .collect();
            proptest::prop_assert_eq!(out, expected);
        }
    }

    #[cfg(target_arch = "x86_64")]
    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(4096))]

        /// Sixteen bytes at once, as a walk a byte at a time takes them.
        #[test]
        fn sixteen_bytes_are_taken_as_one_by_one(
            chunk in proptest::array::uniform16(proptest::prop_oneof![
                40 => b'!'..=b'~',
                6 => proptest::prelude::Just(b' '),
                1 => proptest::prelude::Just(b'`'),
                1 => any::<u8>(),
            ]),
        ) {
            let mut want = 0;
            loop {
                if want < 16 && plain(chunk[want]) {
                    want += 1;
                } else if want + 1 < 16 && chunk[want] == b' ' && plain(chunk[want + 1]) {
                    want += 2;
                } else {
                    break;
                }
            }
            proptest::prop_assert_eq!(plain_prefix_16(&chunk), want);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(2000))]

        #[test]
        fn any_text_agrees_with_the_reference(text in any::<String>(), width in 0usize..18) {
            agrees_with_the_reference(&text, width)?;
        }

        #[test]
        fn news_text_agrees_with_the_reference(text in news(), width in 0usize..18) {
            agrees_with_the_reference(&text, width)?;
        }

        #[test]
        fn ascii_text_agrees_with_the_reference(
            text in "([ -~]|[a-z]{1,9} |  | ! |[\u{0}-\u{1f}\u{7f}]|\u{a0}|\u{2019}){0,300}",
            width in 0usize..12,
        ) {
            agrees_with_the_reference(&text, width)?;
        }

        #[test]
        fn mixed_text_agrees_with_the_reference(
            text in "[a-zA-Z0-9 .,!?'`\"\t\n\u{0b}\u{0c}\r\u{a0}\u{85}\u{2028}\u{3000}\u{e9}\u{301}\u{305}\u{316}\u{30a}\u{fb01}\u{2018}\u{2019}\u{201c}\u{201d}\u{2013}\u{2014}\u{a3}\u{c4}\u{3c3}\u{130}\u{ff21}\u{345}Y-]{0,200}",
            width in 0usize..12,
        ) {
            agrees_with_the_reference(&text, width)?;
        }
    }

    #[test]
    fn chosen_texts_agree_with_the_reference() {
        let texts = [
            "",
            " ",
            "\u{a0}",
            "`Quoted`  \t text\r\n",
            "Y\u{30a}es, Y\u{30a}",
            "\u{130}stanbul",
            "\u{301}a\u{316}",
            "a\u{301}\u{316}",
            "\u{305}x\u{305}\u{316}",
            "\u{1c5}\u{345}\u{301}",
            "\u{3000}\u{85}x\u{2028}",
            "\u{fb01}\ta\u{2028}\u{fb01}.\u{85}0\u{85}a\ta",
            "The\u{a3}5mThe U.S.U.S.\u{a0}The\u{a3}5m \u{fb01} a a\u{a3}5mThe",
            "The BBC’s “Today” – £5m. Again! And\u{a0}again? Yes.",
        ];
        for text in texts {
            for width in 0..10 {
                agrees_with_the_reference(text, width).unwrap();
            }
        }
    }
}
