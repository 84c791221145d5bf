//! Stage 6, decide: which copy of each paragraph stays.
//!
//! # Exact duplicates
//!
//! The rule is "group by fingerprint, keep the minimum location": among all
//! paragraphs that share a fingerprint, the first in input order (document
//! order from the walk, then paragraph order in the document) is kept and
//! every other one is a duplicate that names it. Boilerplate is decided
//! before this stage and takes no part: a paragraph removed as boilerplate
//! is neither kept as a first copy nor counted as a duplicate. Nor is a
//! paragraph removed as a near-duplicate: a later exact copy of it is a
//! near-duplicate of the same kept source, so that every removal names a
//! paragraph of the cleaned corpus.
//!
//! # Near-duplicates
//!
//! A paragraph that is not an exact copy is a near-duplicate when at least
//! `threshold` (default 0.8) of its words lie in word shingles (see
//! [`crate::fingerprint`]) of at most [`MAX_SOURCES`] (two) paragraphs kept
//! before it. Its similarity in the report is that share, and `of` names
//! the kept paragraph that holds the most of its shingles.
//!
//! Why this measure:
//!
//! - It is *containment*, not Jaccard similarity: a paragraph that copies
//!   an earlier one and adds a dateline, or stitches two earlier paragraphs
//!   together, is a copy of text the corpus already has, though its Jaccard
//!   similarity to either source is low.
//! - It counts covered *words*, not shared shingles, so an edited word costs
//!   one word and not the five shingles that hold it. With shingle
//!   containment, one changed word in a 25-word paragraph already falls
//!   below 0.8; with word coverage it stays at 0.96.
//! - It asks for one or two *sources*. A short paragraph in a topical corpus
//!   can be pieced together entirely from stock phrases ("has been ruled
//!   out of", "Saturday's Six Nations clash") that each occur somewhere
//!   earlier; such a paragraph is new, and no one or two paragraphs cover
//!   it. A shingle counts for the first kept paragraph that had it (see
//!   [`index`]).
//!
//! Paragraphs with fewer than `min_shingles` shingles (default 3: a
//! one-sentence paragraph of fewer than seven words, or two short sentences
//! of five or six words, since shingles stop at sentence ends) are matched
//! exactly only. Only kept
//! paragraphs add their shingles, so every near-duplicate names a paragraph
//! that is in the cleaned corpus.
//!
//! # Documents
//!
//! Near-duplicate documents are found separately, from MinHash signatures
//! ([`documents`]); with `--drop-duplicate-documents` a document that
//! matches an earlier one loses every paragraph, each naming that document.
//!
//! # Determinism
//!
//! Documents are decided one at a time in input order, paragraphs in
//! document order. Every structure is only looked up, never iterated into
//! output, so the result does not depend on hashing order or on how many
//! threads fingerprinted the documents. The whole decision is a fold over
//! (location, fingerprint, shingles) in location order: the same answer as
//! a group-by on fingerprint keeping the minimum location, followed by a
//! containment join of each paragraph's shingles against the shingles of
//! kept paragraphs at smaller locations.

pub mod documents;
pub mod index;

use crate::fingerprint::Shingles;
use index::ShingleIndex;
use nohash_hasher::IntMap;
use std::collections::hash_map::Entry;

/// Where a paragraph is: the document's index in input order and the
/// paragraph's index in the document. Orders as input order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// Index of the document in input order.
    pub doc: usize,
    /// Index of the paragraph in its document.
    pub para: usize,
}

/// The verdict on one paragraph.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Verdict {
    /// Stays in the cleaned corpus.
    Kept,
    /// Removed by the named boilerplate rule or signal.
    Boilerplate(&'static str),
    /// Removed as an exact copy (after normalisation) of the paragraph at
    /// this earlier location.
    Duplicate(Location),
    /// Removed because `similarity` of its words lie in shingles of earlier
    /// kept text; `of` is the kept paragraph that holds the most of them.
    NearDuplicate {
        /// The best-matching kept paragraph.
        of: Location,
        /// Share of the paragraph's words covered by earlier kept text.
        similarity: f32,
    },
    /// Removed with its whole document, a near-duplicate of document `of`.
    DocumentDuplicate {
        /// Index of the earlier document it matches.
        of: usize,
        /// Estimated Jaccard similarity of the two documents.
        similarity: f32,
    },
}

/// What the decision needs of a paragraph: its fingerprint, or the rule that
/// already removed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Candidate {
    /// A paragraph that survived stripping, with its fingerprint.
    Text(u64),
    /// A paragraph removed as boilerplate by this rule.
    Boilerplate(&'static str),
}

/// A near-duplicate's words are covered by at most this many kept
/// paragraphs: two, so that a paragraph that merges two earlier ones is a
/// copy.
pub const MAX_SOURCES: usize = 2;

/// Settings of near-duplicate matching.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NearParams {
    /// Coverage at or above which a paragraph is a near-duplicate.
    pub threshold: f64,
    /// Fewest shingles a paragraph needs to be matched by containment.
    pub min_shingles: usize,
}

/// Decides documents one at a time, in input order.
#[derive(Debug)]
pub struct Decider {
    first_seen: IntMap<u64, Location>,
    near: Option<(NearParams, ShingleIndex)>,
}

impl Decider {
    /// A decider that has seen nothing. `near` switches near-duplicate
    /// matching on.
    pub fn new(near: Option<NearParams>) -> Decider {
        Decider {
            first_seen: IntMap::default(),
            near: near.map(|p| (p, ShingleIndex::default())),
        }
    }

    /// The verdicts for document `doc`, which must come after every document
    /// already decided. `shingles[i]` are the shingles of paragraph `i`
    /// (empty, or missing, for boilerplate or when near-duplicate matching
    /// is off).
    pub fn decide(
        &mut self,
        doc: usize,
        candidates: &[Candidate],
        shingles: &[Shingles],
    ) -> Vec<Verdict> {
        let none = Shingles::default();
        let mut verdicts = Vec::with_capacity(candidates.len());
        for (para, c) in candidates.iter().enumerate() {
            let at = Location { doc, para };
            let hash = match *c {
                Candidate::Boilerplate(rule) => {
                    verdicts.push(Verdict::Boilerplate(rule));
                    continue;
                }
                Candidate::Text(hash) => hash,
            };
            let slot = match self.first_seen.entry(hash) {
                Entry::Occupied(first) => {
                    verdicts.push(Verdict::Duplicate(*first.get()));
                    continue;
                }
                Entry::Vacant(slot) => slot,
            };
            let shingles = shingles.get(para).unwrap_or(&none);
            if let Some((params, index)) = &mut self.near {
                if shingles.len() >= params.min_shingles.max(1)
                    && let Some((of, similarity)) = near_match(index, shingles, params)
                {
                    verdicts.push(Verdict::NearDuplicate { of, similarity });
                    continue;
                }
                index.insert(&shingles.hashes, at);
            }
            slot.insert(at);
            verdicts.push(Verdict::Kept);
        }
        verdicts
    }

    /// The verdicts for document `doc` when it is dropped whole as a
    /// near-duplicate of document `of`: boilerplate stays boilerplate, every
    /// other paragraph names the document. Nothing of it is remembered.
    pub fn drop_document(candidates: &[Candidate], of: usize, similarity: f32) -> Vec<Verdict> {
        candidates
            .iter()
            .map(|c| match *c {
                Candidate::Boilerplate(rule) => Verdict::Boilerplate(rule),
                Candidate::Text(_) => Verdict::DocumentDuplicate { of, similarity },
            })
            .collect()
    }
}

/// The source and coverage of a near-duplicate, or `None` for a paragraph
/// that is not one.
fn near_match(
    index: &ShingleIndex,
    shingles: &Shingles,
    params: &NearParams,
) -> Option<(Location, f32)> {
    // One look-up per shingle answers both questions below.
    let holders: Vec<Option<Location>> = shingles.hashes.iter().map(|&h| index.holder(h)).collect();
    // Coverage by all kept text bounds coverage by any two paragraphs of it,
    // and costs no counting: most paragraphs stop here.
    if shingles.coverage_at(|i| holders[i].is_some()) < params.threshold {
        return None;
    }
    let sources = index::top_holders(&holders, MAX_SOURCES);
    let sourced = shingles.coverage_at(|i| holders[i].is_some_and(|at| sources.contains(&at)));
    match sources.first() {
        Some(&of) if sourced >= params.threshold => Some((of, sourced as f32)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fingerprint::{hash, normalize, shingles};
    use Candidate::{Boilerplate, Text};

    fn exact_only() -> Decider {
        Decider::new(None)
    }

    #[test]
    fn first_copy_in_input_order_is_kept_within_and_across() {
        let mut d = exact_only();
        let first = d.decide(0, &[Text(1), Text(2), Text(1)], &[]);
        let second = d.decide(1, &[Text(2), Text(3)], &[]);
        let at = |doc, para| Verdict::Duplicate(Location { doc, para });
        assert_eq!(first, [Verdict::Kept, Verdict::Kept, at(0, 0)]);
        assert_eq!(second, [at(0, 1), Verdict::Kept]);
    }

    #[test]
    fn boilerplate_is_never_a_first_copy() {
        let mut d = exact_only();
        let v = d.decide(0, &[Boilerplate("share-buttons"), Text(7), Text(7)], &[]);
        assert_eq!(
            v,
            [
                Verdict::Boilerplate("share-buttons"),
                Verdict::Kept,
                Verdict::Duplicate(Location { doc: 0, para: 1 })
            ]
        );
    }

    /// Decides documents given as lists of paragraphs, with near-duplicate
    /// matching at the default settings.
    fn decide_texts(docs: &[&[&str]]) -> Vec<Vec<Verdict>> {
        let params = NearParams {
            threshold: 0.8,
            min_shingles: 3,
        };
        let mut d = Decider::new(Some(params));
        docs.iter()
            .enumerate()
            .map(|(i, paras)| {
                let candidates: Vec<Candidate> =
                    paras.iter().map(|p| Text(hash(&normalize(p)))).collect();
                let sh: Vec<Shingles> = paras
                    .iter()
                    .map(|p| {
                        let mut s = Shingles::default();
                        shingles(&normalize(p), 5, &mut s);
                        s
                    })
                    .collect();
                d.decide(i, &candidates, &sh)
            })
            .collect()
    }

    const A: &str = "The regional council voted on Tuesday to close three rural schools, \
                     citing falling enrolment and a budget gap of four million pounds.";
    const B: &str = "Parents gathered outside the council offices before the vote, holding \
                     banners and demanding that the decision be delayed until summer.";

    #[test]
    fn a_word_edit_is_a_near_duplicate_of_the_kept_paragraph() {
        let edited = A.replace("three", "two");
        let v = decide_texts(&[&[A], &[B, &edited]]);
        assert_eq!(v[0], [Verdict::Kept]);
        assert_eq!(v[1][0], Verdict::Kept);
        match v[1][1] {
            Verdict::NearDuplicate { of, similarity } => {
                assert_eq!(of, Location { doc: 0, para: 0 });
                assert!((0.8..1.0).contains(&similarity), "{similarity}");
            }
            other => panic!("expected a near-duplicate, got {other:?}"),
        }
    }

    #[test]
    fn merged_paragraphs_are_contained_in_earlier_text() {
        let merged = format!("{A} {B}");
        let v = decide_texts(&[&[A, B, &merged]]);
        assert!(matches!(
            v[0][2],
            Verdict::NearDuplicate { similarity, .. } if similarity >= 0.8
        ));
    }

    #[test]
    fn different_paragraphs_and_short_lines_are_kept() {
        // Shares its opening words with A but not most of its shingles.
        let other = "The regional council voted on Tuesday to expand the bus network \
                     with twelve new routes serving villages in the north.";
        // Contained in A but too short to be matched by coverage.
        let short = "citing falling enrolment and a budget";
        let v = decide_texts(&[&[A], &[other, short]]);
        assert_eq!(v[1], [Verdict::Kept, Verdict::Kept]);
    }

    #[test]
    fn near_duplicates_name_kept_paragraphs_only() {
        // The second copy is removed, so the third names the first.
        let one = A.replace("three", "two");
        let two = A.replace("three", "four");
        let v = decide_texts(&[&[A], &[&one], &[&two]]);
        for doc in &v[1..] {
            assert!(matches!(
                doc[0],
                Verdict::NearDuplicate {
                    of: Location { doc: 0, para: 0 },
                    ..
                }
            ));
        }
    }

    #[test]
    fn a_dropped_document_keeps_its_boilerplate_verdicts() {
        let v = Decider::drop_document(&[Boilerplate("tags"), Text(3)], 4, 0.9);
        assert_eq!(
            v,
            [
                Verdict::Boilerplate("tags"),
                Verdict::DocumentDuplicate {
                    of: 4,
                    similarity: 0.9
                }
            ]
        );
    }
}
