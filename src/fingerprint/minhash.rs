//! Document signatures: one-permutation MinHash over a document's shingles.
//!
//! A signature has [`BINS`] bins. Each shingle hash falls in the bin given by
//! its low 7 bits and the bin keeps the smallest of the remaining bits, so
//! building a signature costs one comparison per shingle rather than one per
//! hash function (one-permutation hashing, Li, Owen and Zhang 2012). Two
//! documents' Jaccard similarity is estimated as the share of equal bins
//! among the bins that are not empty in both; for two documents of a few
//! hundred words the estimate has a standard deviation of about 0.035 near
//! 0.8.
//!
//! Candidate pairs come from banding (locality-sensitive hashing): the bins
//! are cut into [`BANDS`] bands of [`ROWS`] bins, and two documents that agree
//! on every bin of any one band are compared. A pair at Jaccard 0.8 shares a
//! band with probability 0.998, a pair at 0.5 with probability 0.28, a pair
//! at 0.2 with probability 0.0013.

use super::SEED;
use xxhash_rust::xxh3::xxh3_64_with_seed;

/// Bins in a signature.
pub const BINS: usize = 128;
/// Bins per band.
pub const ROWS: usize = 6;
/// Bands, using `BANDS * ROWS` of the bins.
pub const BANDS: usize = 21;

const EMPTY: u32 = u32::MAX;

/// Collects the shingles of one document.
#[derive(Debug, Clone)]
pub struct Sketch {
    mins: [u64; BINS],
}

impl Default for Sketch {
    fn default() -> Sketch {
        Sketch {
            mins: [u64::MAX; BINS],
        }
    }
}

impl Sketch {
    /// Adds shingle hashes.
    pub fn add(&mut self, shingles: &[u64]) {
        for &h in shingles {
            let bin = (h % BINS as u64) as usize;
            let value = h / BINS as u64;
            if value < self.mins[bin] {
                self.mins[bin] = value;
            }
        }
    }

    /// The finished signature: the top 32 bits of each bin's minimum.
    pub fn finish(&self) -> Signature {
        let mut bins = [EMPTY; BINS];
        for (bin, &min) in bins.iter_mut().zip(&self.mins) {
            if min != u64::MAX {
                // The value has 57 bits; keep its top 32.
                *bin = (min >> 25) as u32;
            }
        }
        Signature(bins)
    }
}

/// The MinHash signature of one document (512 bytes, held in place: the
/// signatures of a corpus are kept in one vector, which is freed whole once
/// documents are compared).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature([u32; BINS]);

impl Signature {
    /// Whether the document had no shingles at all.
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|&b| b == EMPTY)
    }

    /// The estimated Jaccard similarity of the two documents' shingle sets.
    pub fn similarity(&self, other: &Signature) -> f64 {
        let mut used = 0u32;
        let mut equal = 0u32;
        for (&a, &b) in self.0.iter().zip(other.0.iter()) {
            if a == EMPTY && b == EMPTY {
                continue;
            }
            used += 1;
            if a == b {
                equal += 1;
            }
        }
        if used == 0 {
            0.0
        } else {
            f64::from(equal) / f64::from(used)
        }
    }

    /// One key per band; a band whose bins are all empty has none.
    pub fn band_keys(&self) -> impl Iterator<Item = u64> + '_ {
        (0..BANDS).filter_map(|band| self.band_key(band))
    }

    /// The key of band `band` (below [`BANDS`]), seeded with the band's
    /// number, so that keys of different bands differ; `None` when its
    /// bins are all empty (or the signature has none).
    pub fn band_key(&self, band: usize) -> Option<u64> {
        let rows = self.0.get(band * ROWS..(band + 1) * ROWS)?;
        if rows.iter().all(|&b| b == EMPTY) {
            return None;
        }
        let mut bytes = [0u8; ROWS * 4];
        for (chunk, row) in bytes.chunks_exact_mut(4).zip(rows) {
            chunk.copy_from_slice(&row.to_le_bytes());
        }
        Some(xxh3_64_with_seed(&bytes, SEED ^ band as u64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fingerprint::{Shingles, normalize, shingles};

    fn signature(text: &str) -> Signature {
        let mut sketch = Sketch::default();
        let mut s = Shingles::default();
        for para in text.split('\n') {
            shingles(&normalize(para), 5, &mut s);
            sketch.add(&s.hashes);
        }
        sketch.finish()
    }

    fn words(seed: u64, n: usize) -> Vec<String> {
        // A fixed pseudo-random vocabulary so the test needs no data.
        (0..n as u64)
            .map(|i| format!("w{:x}", xxh3_64_with_seed(&i.to_le_bytes(), seed) % 5000))
            .collect()
    }

    #[test]
    fn identical_documents_are_similar_1_and_share_every_band() {
        let text = words(1, 400).join(" ");
        let (a, b) = (signature(&text), signature(&text));
        assert_eq!(a.similarity(&b), 1.0);
        assert_eq!(a.band_keys().count(), BANDS);
        assert!(a.band_keys().eq(b.band_keys()));
    }

    #[test]
    fn estimate_tracks_the_true_jaccard() {
        // 400 words, the second copy with its last 80 words replaced: about
        // 316 of 396 shingles shared each way, Jaccard about 0.67.
        let a = words(1, 400);
        let mut b = a.clone();
        b.splice(320.., words(2, 80));
        let est = signature(&a.join(" ")).similarity(&signature(&b.join(" ")));
        assert!((0.55..0.80).contains(&est), "estimate {est}");
        let unrelated = signature(&words(3, 400).join(" "));
        assert!(signature(&a.join(" ")).similarity(&unrelated) < 0.05);
    }

    #[test]
    fn documents_without_shingles_have_empty_signatures_and_no_bands() {
        let s = signature("Share this\nTweet");
        assert!(s.is_empty());
        assert_eq!(s.band_keys().count(), 0);
        assert_eq!(s.similarity(&s), 0.0);
    }
}
