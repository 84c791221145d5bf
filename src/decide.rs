//! Stage 6, decide: which copy of each paragraph stays.
//!
//! The rule is "group by fingerprint, keep the minimum location": among all
//! paragraphs that share a fingerprint, the first in input order (document
//! order from the walk, then paragraph order in the document) is kept and
//! every other one is a duplicate that names it. Boilerplate is decided
//! before this stage and takes no part: a paragraph removed as boilerplate
//! is neither kept as a first copy nor counted as a duplicate.
//!
//! Here the grouping is one pass in input order over a map from fingerprint
//! to first location, which gives the same answer as the group-by and needs
//! only a fingerprint and a location per distinct paragraph. The map is only
//! looked up, never iterated into output, so the result does not depend on
//! hashing order or on how many threads fingerprinted the documents.

use std::collections::HashMap;
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Stays in the cleaned corpus.
    Kept,
    /// Removed by the named boilerplate rule or signal.
    Boilerplate(&'static str),
    /// Removed as a copy of the paragraph at this earlier location.
    Duplicate(Location),
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

/// Decides documents one at a time, in input order.
#[derive(Debug, Default)]
pub struct Decider {
    first_seen: HashMap<u64, Location>,
}

impl Decider {
    /// An empty decider: nothing seen yet.
    pub fn new() -> Decider {
        Decider::default()
    }

    /// The verdicts for document `doc`, which must come after every document
    /// already decided.
    pub fn decide(&mut self, doc: usize, candidates: &[Candidate]) -> Vec<Verdict> {
        candidates
            .iter()
            .enumerate()
            .map(|(para, c)| match *c {
                Candidate::Boilerplate(rule) => Verdict::Boilerplate(rule),
                Candidate::Text(hash) => match self.first_seen.entry(hash) {
                    Entry::Occupied(first) => Verdict::Duplicate(*first.get()),
                    Entry::Vacant(slot) => {
                        slot.insert(Location { doc, para });
                        Verdict::Kept
                    }
                },
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Candidate::{Boilerplate, Text};

    #[test]
    fn first_copy_in_input_order_is_kept_within_and_across() {
        let mut d = Decider::new();
        let first = d.decide(0, &[Text(1), Text(2), Text(1)]);
        let second = d.decide(1, &[Text(2), Text(3)]);
        let at = |doc, para| Verdict::Duplicate(Location { doc, para });
        assert_eq!(first, [Verdict::Kept, Verdict::Kept, at(0, 0)]);
        assert_eq!(second, [at(0, 1), Verdict::Kept]);
    }

    #[test]
    fn boilerplate_is_never_a_first_copy() {
        let mut d = Decider::new();
        let v = d.decide(0, &[Boilerplate("share-buttons"), Text(7), Text(7)]);
        assert_eq!(
            v,
            [
                Verdict::Boilerplate("share-buttons"),
                Verdict::Kept,
                Verdict::Duplicate(Location { doc: 0, para: 1 })
            ]
        );
    }
}
