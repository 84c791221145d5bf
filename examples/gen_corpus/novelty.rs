//! Keeping new text new: the shingles the generator has already written.
//!
//! The truth calls a paragraph *base* (new text) or *partial* (new text
//! with one borrowed sentence); neither may be a near-duplicate of earlier
//! text by accident. `dedupe` calls a paragraph a near-duplicate when at
//! least 0.8 of its words lie in shingles of at most two earlier kept
//! paragraphs, so a paragraph whose words lie at most 0.3 in shingles of
//! *all* earlier text can never be one (nor an exact copy), whatever
//! `dedupe` kept. The generator checks every new sentence and paragraph
//! against every shingle it has written and draws again when too much of
//! it is old.
//!
//! The shingles are the ones `dedupe` computes (its own normalisation and
//! sentence-bounded 5-word shingles, called from the library), so the check
//! measures exactly what `dedupe` will see.
//!
//! Memory: a 1 GB corpus has about 170 million shingles, too many for a
//! hash set. They go into a Bloom filter of one 64-bit word per key (three
//! bits set in the word the key's low bits choose), sized from the corpus
//! size and capped at 256 MiB. A Bloom filter has no false negatives, only
//! false positives, which make text look a little older than it is: the
//! check only becomes stricter, never lets an old paragraph through.
//! `generator.json` records the filter's fill and the false-positive rate
//! it implies.

use dedupe::fingerprint::{Shingles, normalize, shingles};

/// Words per shingle: `dedupe`'s default.
pub const SHINGLE_WIDTH: usize = 5;
/// Smallest and largest filter, in 64-bit words.
const MIN_WORDS: usize = 1 << 14;
const MAX_WORDS: usize = 1 << 25;
/// Filter bits per expected shingle.
const BITS_PER_SHINGLE: usize = 10;

/// Every shingle written so far (see the module doc).
pub struct Seen {
    words: Vec<u64>,
    mask: usize,
    scratch: Shingles,
}

impl Seen {
    /// A filter for about `expected` shingles.
    pub fn with_capacity(expected: usize) -> Seen {
        let words = (expected * BITS_PER_SHINGLE / 64)
            .next_power_of_two()
            .clamp(MIN_WORDS, MAX_WORDS);
        Seen {
            words: vec![0; words],
            mask: words - 1,
            scratch: Shingles::default(),
        }
    }

    /// Size of the filter in bytes, for `generator.json`.
    pub fn bytes(&self) -> usize {
        self.words.len() * 8
    }

    /// The share of the filter's bits that are set; a lookup of a new
    /// shingle is a false positive with about this to the third power.
    pub fn fill(&self) -> f64 {
        let ones: u64 = self.words.iter().map(|w| u64::from(w.count_ones())).sum();
        ones as f64 / (self.words.len() * 64) as f64
    }

    fn slot(&self, h: u64) -> (usize, u64) {
        // The key is already a well-mixed xxh3 hash: its low bits choose the
        // word, three disjoint higher fields choose the bits.
        let bits =
            (1u64 << ((h >> 40) & 63)) | (1u64 << ((h >> 46) & 63)) | (1u64 << ((h >> 52) & 63));
        ((h as usize) & self.mask, bits)
    }

    fn contains(&self, h: u64) -> bool {
        let (i, bits) = self.slot(h);
        self.words[i] & bits == bits
    }

    /// The share of `text`'s words that lie in shingles already written,
    /// measured as `dedupe` measures coverage, and the number of shingles.
    pub fn coverage(&mut self, text: &str) -> (f64, usize) {
        shingles(&normalize(text), SHINGLE_WIDTH, &mut self.scratch);
        let covered = self.scratch.coverage(|h| self.contains(h));
        (covered, self.scratch.len())
    }

    /// Records the shingles of `text` as written.
    pub fn add(&mut self, text: &str) {
        shingles(&normalize(text), SHINGLE_WIDTH, &mut self.scratch);
        for k in 0..self.scratch.hashes.len() {
            let (i, bits) = self.slot(self.scratch.hashes[k]);
            self.words[i] |= bits;
        }
    }

    /// Whether every shingle of `text` has been written (used in tests).
    #[cfg(test)]
    pub fn contains_all(&mut self, text: &str) -> bool {
        shingles(&normalize(text), SHINGLE_WIDTH, &mut self.scratch);
        self.scratch.hashes.iter().all(|&h| self.contains(h))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_text_is_covered_and_new_text_is_not() {
        let mut seen = Seen::with_capacity(1000);
        let a = "The council voted on Tuesday to close three rural schools in the north.";
        assert_eq!(seen.coverage(a).0, 0.0);
        seen.add(a);
        assert!(seen.contains_all(a));
        assert_eq!(seen.coverage(&a.to_uppercase()).0, 1.0);
        let b = "Parents gathered outside the offices before the vote with banners.";
        assert!(seen.coverage(b).0 < 0.5);
    }
}
