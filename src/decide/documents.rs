//! Near-duplicate documents: clusters found from MinHash signatures.
//!
//! Documents are taken in input order. Each document's signature is banded
//! (see [`crate::fingerprint::minhash`]); every earlier document that shares
//! a band with it is a candidate, and the candidate with the highest
//! estimated Jaccard similarity is its best match (on a tie, the earliest).
//! When that similarity reaches the threshold (default 0.8), the document is
//! a near-duplicate of its best match, and it joins that document's cluster.
//! The first document of a cluster is the one kept.
//!
//! This is a group-by on band keys followed by a comparison inside each
//! group, in location order, so it can be run the same way on a distributed
//! engine.

use crate::fingerprint::minhash::{BANDS, Signature};
use rayon::prelude::*;

/// An earlier document that a document matches.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DocumentMatch {
    /// The best-matching earlier document.
    pub of: usize,
    /// Their estimated Jaccard similarity.
    pub similarity: f64,
    /// The first document of the cluster, the one that is kept.
    pub kept: usize,
}

/// A signature that has bins, or `None`.
fn signed<'a>(s: &Option<&'a Signature>) -> Option<&'a Signature> {
    s.filter(|s| !s.is_empty())
}

/// For each document in input order, the earlier document it is a
/// near-duplicate of, if any. A document without a signature (no shingles)
/// matches nothing.
///
/// The group-by is a sort of (band key, document) pairs, a band at a time
/// on each thread of the rayon pool it is called in: a hash map from band
/// key to first document took about 400 MB at a gigabyte of text, the
/// pairs of all bands at once 120 MB, those of one band 6 MB (each thread
/// holds them twice, as made and in buckets). Keys of different bands are
/// seeded apart, so no group spans two bands.
pub fn cluster(signatures: &[Option<&Signature>], threshold: f64) -> Vec<Option<DocumentMatch>> {
    // (document, the first document that had one of its band keys).
    let mut earlier: Vec<(u32, u32)> = (0..BANDS)
        .into_par_iter()
        .map_init(Buffers::default, |buffers, band| {
            band_firsts(signatures, band, buffers)
        })
        .flatten_iter()
        .collect();
    earlier.retain(|&(doc, first)| first < doc);
    earlier.par_sort_unstable();
    earlier.dedup();
    let mut matches: Vec<Option<DocumentMatch>> = Vec::with_capacity(signatures.len());
    let mut rest = &earlier[..];
    for (doc, signature) in signatures.iter().enumerate() {
        let n = rest.iter().take_while(|&&(d, _)| d as usize == doc).count();
        let (candidates, after) = rest.split_at(n);
        rest = after;
        let Some(signature) = signed(signature) else {
            matches.push(None);
            continue;
        };
        // Candidates in input order: on a tie the earliest wins.
        let mut best: Option<(usize, f64)> = None;
        for &(_, earlier) in candidates {
            let earlier = earlier as usize;
            if let Some(other) = signatures[earlier] {
                let similarity = signature.similarity(other);
                if best.is_none_or(|(_, s)| similarity > s) {
                    best = Some((earlier, similarity));
                }
            }
        }
        matches.push(match best {
            Some((of, similarity)) if similarity >= threshold => Some(DocumentMatch {
                of,
                similarity,
                kept: matches[of].map_or(of, |m| m.kept),
            }),
            _ => None,
        });
    }
    matches
}

/// The pairs of a band, as made and as put in buckets: kept from one band
/// to the next a thread takes, rather than new memory for each.
#[derive(Default)]
struct Buffers {
    pairs: Vec<(u64, u32)>,
    placed: Vec<(u64, u32)>,
}

/// Bits at the top of a band key that choose its pair's bucket
/// ([`band_firsts`]).
const BUCKET_BITS: u32 = 12;

/// For band `band`: (document, the first document with the same key) for
/// every document whose key an earlier one had.
///
/// The pairs are first put in buckets by the top bits of their keys, in
/// document order, and each bucket (about ninety pairs at a gigabyte of
/// news, in the processor's nearest cache) is sorted alone, rather than
/// all the band's pairs in one sort; with `buffers` kept from band to
/// band, grouping the documents of a gigabyte went from 0.34 to 0.38 s to
/// 0.25 to 0.28 s, with no other work running.
fn band_firsts(
    signatures: &[Option<&Signature>],
    band: usize,
    buffers: &mut Buffers,
) -> Vec<(u32, u32)> {
    let Buffers { pairs, placed } = buffers;
    pairs.clear();
    pairs.extend(
        signatures
            .iter()
            .enumerate()
            .filter_map(|(doc, s)| Some((signed(s)?.band_key(band)?, doc as u32))),
    );
    let bucket = |key: u64| (key >> (u64::BITS - BUCKET_BITS)) as usize;
    // Where each bucket starts, and after the last, where it ends.
    let mut starts = vec![0; (1 << BUCKET_BITS) + 1];
    for &(key, _) in pairs.iter() {
        starts[bucket(key) + 1] += 1;
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    let mut next = starts.clone();
    placed.clear();
    placed.resize(pairs.len(), (0, 0));
    for &pair in pairs.iter() {
        let b = bucket(pair.0);
        placed[next[b]] = pair;
        next[b] += 1;
    }
    let mut found = Vec::new();
    for ends in starts.windows(2) {
        let bucket = &mut placed[ends[0]..ends[1]];
        bucket.sort_unstable();
        for group in bucket.chunk_by(|a, b| a.0 == b.0) {
            let first = group[0].1;
            found.extend(group[1..].iter().map(|&(_, doc)| (doc, first)));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fingerprint::minhash::Sketch;
    use xxhash_rust::xxh3::xxh3_64;

    /// A signature of a document made of shingles `range`.
    fn sig(range: std::ops::Range<u64>) -> Signature {
        let mut sketch = Sketch::default();
        let shingles: Vec<u64> = range.map(|i| xxh3_64(&i.to_le_bytes())).collect();
        sketch.add(&shingles);
        sketch.finish()
    }

    #[test]
    fn copies_join_the_cluster_of_the_first_document() {
        let docs = [
            sig(0..500),
            sig(1000..1500),
            sig(0..500),     // exact copy of 0
            sig(10..500),    // near copy of 0, Jaccard 0.98
            sig(1000..1200), // 40% of 1: below the threshold
        ];
        let refs: Vec<Option<&Signature>> = docs.iter().map(Some).collect();
        let m = cluster(&refs, 0.8);
        assert_eq!(m[0], None);
        assert_eq!(m[1], None);
        assert_eq!(m[2].map(|m| (m.of, m.kept)), Some((0, 0)));
        assert_eq!(m[2].map(|m| m.similarity), Some(1.0));
        let near = m[3].expect("a near copy");
        assert_eq!(near.kept, 0);
        assert!(near.similarity > 0.9);
        assert_eq!(m[4], None);
    }

    #[test]
    fn a_copy_of_a_copy_names_the_kept_document() {
        let docs = [sig(0..500), sig(20..520), sig(40..540)];
        let refs: Vec<Option<&Signature>> = docs.iter().map(Some).collect();
        let m = cluster(&refs, 0.8);
        assert_eq!(m[1].map(|m| m.kept), Some(0));
        assert_eq!(m[2].map(|m| m.kept), Some(0));
    }

    /// [`band_firsts`] as one sort of all the band's pairs.
    fn firsts_by_one_sort(signatures: &[Option<&Signature>], band: usize) -> Vec<(u32, u32)> {
        let mut pairs: Vec<(u64, u32)> = signatures
            .iter()
            .enumerate()
            .filter_map(|(doc, s)| Some((signed(s)?.band_key(band)?, doc as u32)))
            .collect();
        pairs.sort_unstable();
        let mut found = Vec::new();
        for group in pairs.chunk_by(|a, b| a.0 == b.0) {
            found.extend(group[1..].iter().map(|&(_, doc)| (doc, group[0].1)));
        }
        found
    }

    #[test]
    fn buckets_find_the_pairs_one_sort_finds() {
        // 3,000 documents, many of them copies or near copies of one of
        // 40, and some without a signature.
        let docs: Vec<Signature> = (0..3000u64)
            .map(|i| {
                let from = (i * 7919) % 40 * 100 + (i % 3);
                sig(from..from + 300 + i % 5)
            })
            .collect();
        let refs: Vec<Option<&Signature>> = docs
            .iter()
            .enumerate()
            .map(|(i, s)| (i % 97 != 0).then_some(s))
            .collect();
        let mut buffers = Buffers::default();
        for band in 0..BANDS {
            let mut found = band_firsts(&refs, band, &mut buffers);
            let mut expected = firsts_by_one_sort(&refs, band);
            assert!(expected.len() > 2000, "{}", expected.len());
            found.sort_unstable();
            expected.sort_unstable();
            assert_eq!(found, expected, "band {band}");
        }
    }

    #[test]
    fn documents_without_signatures_match_nothing() {
        let empty = Sketch::default().finish();
        let refs = [None, Some(&empty), Some(&empty)];
        assert_eq!(cluster(&refs, 0.8), [None, None, None]);
    }
}
