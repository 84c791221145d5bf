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
//!   it.
//!
//! How the sources are found: only a sample of each kept paragraph's
//! shingles, its *anchors*, is indexed (see [`index`]), each naming the
//! first kept paragraph that had it. A new paragraph looks up its own
//! anchors: text it shares with a kept paragraph holds anchors of both, by
//! the same choice. The two kept paragraphs named most often are its
//! candidate sources. When enough of its anchors ([`PREFILTER`]) point at
//! them, their full shingles are fetched (the most recent
//! [`RECENT_PARAGRAPHS`] kept paragraphs are held in memory, and so are
//! older ones lately read again; others are asked of the caller, who reads
//! them back from the first pass's spool or makes them again from the
//! document) and the coverage is counted exactly.
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
pub mod first;
pub mod index;
pub mod lines;

use crate::corpus::Index;
#[cfg(test)]
use crate::fingerprint::Shingles;
use first::{FirstCopies, FirstNumbers};
use index::AnchorIndex;
use std::collections::{HashMap, VecDeque};

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
    /// Removed as an exact copy of paragraph number `0` of the indexed
    /// corpus (`--against`, see [`crate::corpus`]).
    CorpusDuplicate(u32),
    /// Removed because `similarity` of its words lie in shingles of one or
    /// two paragraphs of the indexed corpus; `of` holds the most of them.
    CorpusNearDuplicate {
        /// Number of the best-matching paragraph in the index.
        of: u32,
        /// Share of the paragraph's words covered by the corpus.
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

/// A kept paragraph: where it is. Its fingerprint is asked of
/// [`Earlier`] when needed, which is when a new paragraph's fingerprint
/// seems to match it: 8 bytes a kept paragraph rather than 16.
#[derive(Debug, Clone, Copy)]
struct Kept {
    doc: u32,
    para: u32,
}

impl Kept {
    fn location(&self) -> Location {
        Location {
            doc: self.doc as usize,
            para: self.para as usize,
        }
    }
}

/// What the decision asks of the paragraphs decided before it, which it
/// does not keep itself.
pub trait Earlier {
    /// The fingerprint of the kept paragraph at `at`.
    fn fingerprint(&self, at: Location) -> u64;
    /// The shingle hashes of the kept paragraph at `at` (read again from
    /// where they were left): asked when a candidate source of a
    /// near-duplicate is no longer among the [`RECENT_PARAGRAPHS`] whose
    /// shingles are kept in memory.
    fn shingles(&mut self, at: Location) -> Vec<u64>;
}

/// The shingles of a document's paragraphs and their anchors among them,
/// worked out before the decision (in parallel, since they depend on the
/// paragraphs alone), one paragraph after another in one block each: the
/// second pass made three vectors a paragraph here, about thirteen
/// million at a gigabyte of news, each freed later on another thread.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Shingled {
    /// Every paragraph's shingle hashes.
    hashes: Vec<u64>,
    /// The first word of each shingle, in its paragraph.
    starts: Vec<u32>,
    /// Each paragraph's anchors: indices into its own shingles
    /// ([`index::append_anchor_positions`]).
    anchors: Vec<u32>,
    /// For each paragraph: where its shingles and its anchors end, and its
    /// words.
    ends: Vec<(u32, u32, u32)>,
    /// Words per shingle.
    width: usize,
}

/// One paragraph of [`Shingled`]: its shingles and the indices of its
/// anchors among them.
#[derive(Debug, Clone, Copy)]
pub struct ParagraphShingles<'a> {
    /// The hash of each shingle, in the order of their first words.
    pub hashes: &'a [u64],
    /// The index of each shingle's first word.
    pub starts: &'a [u32],
    /// Indices in `hashes` of the paragraph's anchors.
    pub anchors: &'a [u32],
    /// Words in the paragraph.
    pub words: usize,
    /// Words per shingle.
    pub width: usize,
}

impl Shingled {
    /// The paragraphs with these shingles, in order.
    #[cfg(test)]
    pub fn of<'s>(paragraphs: impl IntoIterator<Item = &'s Shingles>) -> Shingled {
        let mut shingled = Shingled::default();
        for shingles in paragraphs {
            shingled.push(shingles);
        }
        shingled
    }

    /// Room for `paragraphs` more paragraphs of `shingles` shingles in all.
    pub fn reserve(&mut self, paragraphs: usize, shingles: usize) {
        self.ends.reserve(paragraphs);
        self.hashes.reserve(shingles);
        self.starts.reserve(shingles);
        // About two anchors a window of 16 shingles, and a paragraph's ends.
        self.anchors.reserve(shingles / 4 + 2 * paragraphs);
    }

    /// Adds the next paragraph, with these shingles and the anchors
    /// [`index::append_anchor_positions`] chooses among them.
    #[cfg(test)]
    pub fn push(&mut self, shingles: &Shingles) {
        self.push_chosen(shingles.words, shingles.width, |hashes, starts, anchors| {
            hashes.extend_from_slice(&shingles.hashes);
            starts.extend_from_slice(&shingles.starts);
            index::append_anchor_positions(&shingles.hashes, &shingles.starts, anchors);
        });
    }

    /// Adds the next paragraph, of `words` words and shingles `width` words
    /// wide, whose shingles and anchors `fill` appends: their hashes to the
    /// first vector, their first words to the second, as many of each, and
    /// the indices of its anchors among them to the third, in order (as
    /// [`index::append_anchor_positions`] chose them).
    pub fn push_chosen(
        &mut self,
        words: usize,
        width: usize,
        fill: impl FnOnce(&mut Vec<u64>, &mut Vec<u32>, &mut Vec<u32>),
    ) {
        let (from, anchors_from) = (self.hashes.len(), self.anchors.len());
        fill(&mut self.hashes, &mut self.starts, &mut self.anchors);
        let count = self.hashes.len() - from;
        assert_eq!(
            count,
            self.starts.len() - from,
            "a first word for each shingle"
        );
        debug_assert!(self.anchors[anchors_from..].is_sorted());
        debug_assert!(
            self.anchors[anchors_from..]
                .iter()
                .all(|&a| (a as usize) < count),
            "anchors among the paragraph's shingles"
        );
        self.width = width;
        self.close(words);
    }

    /// Adds the next paragraph, with no shingles: boilerplate, or a
    /// paragraph that near-duplicate matching does not look at.
    pub fn push_none(&mut self) {
        self.close(0);
    }

    fn close(&mut self, words: usize) {
        // Fewer than 2^32 of each: a document's text is under 4 GiB.
        let count = |n: usize| n as u32;
        self.ends.push((
            count(self.hashes.len()),
            count(self.anchors.len()),
            count(words),
        ));
    }

    /// Paragraphs held.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether no paragraph is held.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Paragraph `para`; one with no shingles when there is no such
    /// paragraph.
    pub fn paragraph(&self, para: usize) -> ParagraphShingles<'_> {
        let (hashes, anchors, words) = match self.ends.get(para) {
            None => (0..0, 0..0, 0),
            Some(&(hashes_end, anchors_end, words)) => {
                let (hashes_start, anchors_start) = match para.checked_sub(1) {
                    Some(before) => (self.ends[before].0, self.ends[before].1),
                    None => (0, 0),
                };
                (
                    hashes_start as usize..hashes_end as usize,
                    anchors_start as usize..anchors_end as usize,
                    words as usize,
                )
            }
        };
        ParagraphShingles {
            hashes: &self.hashes[hashes.clone()],
            starts: &self.starts[hashes],
            anchors: &self.anchors[anchors],
            words,
            width: self.width.max(1),
        }
    }
}

impl ParagraphShingles<'_> {
    /// How many shingles there are.
    pub fn len(&self) -> usize {
        self.hashes.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty()
    }

    /// The hashes of its anchors, in text order.
    pub fn anchor_hashes(&self) -> impl Iterator<Item = u64> + '_ {
        self.anchors.iter().map(|&i| self.hashes[i as usize])
    }

    /// [`Shingles::coverage`](crate::fingerprint::Shingles::coverage) of
    /// these shingles.
    pub fn coverage(&self, present: impl FnMut(u64) -> bool) -> f64 {
        crate::fingerprint::coverage(self.hashes, self.starts, self.words, self.width, present)
    }
}

/// The first-copy table: the numbers of the kept paragraphs, found by
/// fingerprint. Fingerprints are xxh3 hashes, so they are their own hash.
#[derive(Debug)]
enum FirstSeen {
    /// A table sized for every paragraph from the start: 8 bytes an entry,
    /// with the fingerprint fetched from the document records when its top
    /// half matches ([`first::FirstNumbers`]).
    Numbers(FirstNumbers),
    /// A table that grows, holding whole fingerprints, one cache line a
    /// bucket ([`first::FirstCopies`]): a run of one pass has no records
    /// of the paragraphs to come to size it by.
    Growing(FirstCopies),
}

impl FirstSeen {
    /// The number of the kept paragraph with fingerprint `hash`, if any;
    /// `fingerprint` fetches a kept paragraph's fingerprint by number.
    fn find(&self, hash: u64, fingerprint: impl Fn(u32) -> u64) -> Option<u32> {
        match self {
            FirstSeen::Numbers(table) => table.get(hash, fingerprint),
            FirstSeen::Growing(table) => table.get(hash),
        }
    }

    /// Adds kept paragraph `number`, whose fingerprint is `hash`.
    fn insert(&mut self, hash: u64, number: u32, fingerprint: impl Fn(u32) -> u64) {
        match self {
            FirstSeen::Numbers(table) => table.insert(hash, number, fingerprint),
            FirstSeen::Growing(table) => table.insert(hash, number),
        }
    }

    /// Starts fetching where [`FirstSeen::find`] of `hash` will look.
    fn prefetch(&self, hash: u64) {
        match self {
            FirstSeen::Numbers(table) => table.prefetch(hash),
            FirstSeen::Growing(table) => table.prefetch(hash),
        }
    }
}

/// The fingerprint of each kept paragraph, by number, as the first-copy
/// table asks for it.
fn fingerprints<'a>(kept: &'a [Kept], earlier: &'a dyn Earlier) -> impl Fn(u32) -> u64 + 'a {
    move |n| earlier.fingerprint(kept[n as usize].location())
}

/// Decides documents one at a time, in input order.
#[derive(Debug)]
pub struct Decider<'c> {
    /// The indexed corpus that comes before every document of the run.
    corpus: Option<&'c Index>,
    /// Kept paragraphs by number, in input order.
    kept: Vec<Kept>,
    /// The kept paragraphs, found by fingerprint.
    first_seen: FirstSeen,
    near: Option<(NearParams, AnchorIndex)>,
    /// Shingles of the kept paragraphs, for counting a near-duplicate's
    /// coverage by its sources.
    memory: Memory,
    scratch: NearScratch<u32>,
}

impl<'c> Decider<'c> {
    /// A decider that has seen nothing. `near` switches near-duplicate
    /// matching on.
    pub fn new(near: Option<NearParams>) -> Decider<'c> {
        Decider {
            corpus: None,
            kept: Vec::new(),
            first_seen: FirstSeen::Growing(FirstCopies::default()),
            near: near.map(|p| (p, AnchorIndex::default())),
            memory: Memory::default(),
            scratch: NearScratch::default(),
        }
    }

    /// [`Decider::new`] with room for `paragraphs` fingerprints and, with
    /// near-duplicates on, `anchors` anchors from the start, so that the
    /// tables are not rebuilt (and briefly held twice) as they grow.
    pub fn with_capacity(
        near: Option<NearParams>,
        paragraphs: usize,
        anchors: usize,
    ) -> Decider<'c> {
        let mut decider = Decider::new(near);
        if let Some((_, index)) = &mut decider.near {
            *index = AnchorIndex::with_capacity(anchors);
        }
        // Sized for every paragraph of text, the table never doubles.
        decider.first_seen = FirstSeen::Numbers(FirstNumbers::with_capacity(paragraphs));
        decider.kept.reserve_exact(paragraphs);
        decider
    }

    /// Decides against an indexed corpus too: a paragraph that repeats it
    /// is a duplicate of the corpus's paragraph, before any copy in the run.
    pub fn against(mut self, corpus: &'c Index) -> Decider<'c> {
        self.corpus = Some(corpus);
        self
    }

    /// The verdicts for document `doc`, which must come after every document
    /// already decided. `shingled.paragraph(i)` are the shingles of
    /// paragraph `i` (none for boilerplate, or when near-duplicate matching
    /// is off).
    ///
    /// `earlier` gives the fingerprints and shingles of kept paragraphs
    /// that the decider does not hold.
    pub fn decide(
        &mut self,
        doc: usize,
        candidates: &[Candidate],
        shingled: &Shingled,
        earlier: &mut dyn Earlier,
    ) -> Vec<Verdict> {
        let mut verdicts = Vec::with_capacity(candidates.len());
        // The lines of the anchor table that all of the document's
        // paragraphs will look at, and those of the first-copy table, are
        // asked for before the first is decided: at gigabytes the tables
        // are far larger than the caches, and the deciding thread waits
        // for each line it reads.
        if let Some((_, index)) = &self.near {
            for para in 0..shingled.len() {
                shingled
                    .paragraph(para)
                    .anchor_hashes()
                    .for_each(|h| index.prefetch(h));
            }
        }
        for c in candidates {
            if let Candidate::Text(hash) = *c {
                self.first_seen.prefetch(hash);
            }
        }
        for (para, c) in candidates.iter().enumerate() {
            let hash = match *c {
                Candidate::Boilerplate(rule) => {
                    verdicts.push(Verdict::Boilerplate(rule));
                    continue;
                }
                Candidate::Text(hash) => hash,
            };
            if let Some(number) = self.corpus.and_then(|c| c.find(hash)) {
                verdicts.push(Verdict::CorpusDuplicate(number));
                continue;
            }
            if let Some(first) = self
                .first_seen
                .find(hash, fingerprints(&self.kept, earlier))
            {
                verdicts.push(Verdict::Duplicate(self.kept[first as usize].location()));
                continue;
            }
            let number = u32::try_from(self.kept.len()).expect("fewer than 2^32 kept paragraphs");
            let shingles = shingled.paragraph(para);
            if let Some((params, index)) = &mut self.near {
                let kept = &self.kept;
                let (memory, scratch, near_params) = (&mut self.memory, &mut self.scratch, *params);
                let mut source_shingles = |number: u32, into: &mut Vec<u64>| {
                    if !memory.fetch(number, into) {
                        let hashes = earlier.shingles(kept[number as usize].location());
                        into.extend_from_slice(&hashes);
                        // Empty when they could not be read: asked for
                        // again next time.
                        if !hashes.is_empty() {
                            memory.read.keep(number, hashes);
                        }
                    }
                };
                let long_enough = shingles.len() >= near_params.min_shingles.max(1);
                if long_enough
                    && let Some(corpus) = self.corpus.filter(|c| c.parameters().near_duplicates)
                    && let Some((of, similarity)) = near_match(
                        &|h| corpus.holder(h),
                        &shingles,
                        &near_params,
                        &mut |number, into| corpus.shingles(number, into),
                        |h| u64::from(h as u32),
                        scratch,
                    )
                {
                    verdicts.push(Verdict::CorpusNearDuplicate { of, similarity });
                    continue;
                }
                // Kept paragraphs are numbered in input order, so the
                // numbers order the sources as their locations would.
                if long_enough
                    && let Some((of, similarity)) = near_match(
                        &|h| index.holder(h),
                        &shingles,
                        &near_params,
                        &mut source_shingles,
                        |h| h,
                        scratch,
                    )
                {
                    let of = kept[of as usize].location();
                    verdicts.push(Verdict::NearDuplicate { of, similarity });
                    continue;
                }
                index.insert(shingles.anchor_hashes(), number);
                self.memory.remember(number, shingles.hashes);
            }
            self.kept.push(Kept {
                doc: doc as u32,
                para: para as u32,
            });
            self.first_seen
                .insert(hash, number, fingerprints(&self.kept, earlier));
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

/// Shingles of kept paragraphs, by number: of the most recent
/// [`RECENT_PARAGRAPHS`], and of the older ones read again lately as
/// candidate sources.
#[derive(Debug)]
struct Memory {
    /// The hashes of kept paragraphs `first..first + ends.len()`, one after
    /// another: one ring for all of them, so that the deciding thread does
    /// not allocate for each paragraph it keeps.
    recent: VecDeque<u64>,
    /// Where each held paragraph's hashes end, counted from the first hash
    /// ever held.
    ends: VecDeque<u64>,
    /// Hashes let go before `recent`'s first.
    dropped: u64,
    first: u32,
    /// How many are held ([`RECENT_PARAGRAPHS`]).
    capacity: usize,
    /// Older paragraphs read again.
    read: ReadAgain,
}

impl Default for Memory {
    fn default() -> Memory {
        Memory {
            recent: VecDeque::new(),
            ends: VecDeque::new(),
            dropped: 0,
            first: 0,
            capacity: RECENT_PARAGRAPHS,
            read: ReadAgain::default(),
        }
    }
}

impl Memory {
    /// Keeps the shingles of kept paragraph `number`, the next one, and
    /// lets the oldest go once there are as many as are held.
    fn remember(&mut self, number: u32, hashes: &[u64]) {
        if self.ends.len() >= self.capacity
            && let Some(end) = self.ends.pop_front()
        {
            self.recent.drain(..(end - self.dropped) as usize);
            self.dropped = end;
            self.first += 1;
        }
        debug_assert_eq!(number, self.first + self.ends.len() as u32);
        self.recent.extend(hashes);
        self.ends.push_back(self.dropped + self.recent.len() as u64);
    }

    /// Adds the shingles of kept paragraph `number` to `into`; `false` when
    /// they are not held.
    fn fetch(&mut self, number: u32, into: &mut Vec<u64>) -> bool {
        let Some(i) = number
            .checked_sub(self.first)
            .map(|i| i as usize)
            .filter(|&i| i < self.ends.len())
        else {
            return self.read.fetch(number, into);
        };
        let start = match i {
            0 => self.dropped,
            _ => self.ends[i - 1],
        };
        let range = (start - self.dropped) as usize..(self.ends[i] - self.dropped) as usize;
        into.extend(self.recent.range(range).copied());
        true
    }
}

/// The shingles of older kept paragraphs that were read again as candidate
/// sources, the most recently used ones, up to [`READ_AGAIN_HASHES`]
/// hashes.
///
/// Sources repeat: a paragraph that many later ones copy is a candidate
/// for each of them. On the generated 1 GB corpus, 384,000 sources were
/// read again, 129,000 of them different paragraphs, and reading one is a
/// read of the spool on the deciding thread. Replayed through a list of
/// the 16,384 (65,536) most recently used paragraphs, 40% (65%) of those
/// reads found their paragraph there; the limit holds 30,000 to 60,000
/// paragraphs of about 35 shingles.
///
/// Two generations stand in for a list in order of use: paragraphs go into
/// the young one; when it is half the limit, it becomes the old one and
/// the old one is dropped. A paragraph found in the old one moves to the
/// young one.
#[derive(Debug)]
struct ReadAgain {
    young: HashMap<u32, Vec<u64>>,
    old: HashMap<u32, Vec<u64>>,
    /// Hashes held in `young`.
    young_hashes: usize,
    /// Hashes held at most: [`READ_AGAIN_HASHES`].
    limit: usize,
}

impl Default for ReadAgain {
    fn default() -> ReadAgain {
        ReadAgain {
            young: HashMap::new(),
            old: HashMap::new(),
            young_hashes: 0,
            limit: READ_AGAIN_HASHES,
        }
    }
}

/// Hashes (8 bytes each) [`ReadAgain`] holds at most: 16 MB.
const READ_AGAIN_HASHES: usize = 2 << 20;

impl ReadAgain {
    /// Adds the shingles of kept paragraph `number` to `into`; `false` when
    /// they are not held.
    fn fetch(&mut self, number: u32, into: &mut Vec<u64>) -> bool {
        if let Some(hashes) = self.young.get(&number) {
            into.extend_from_slice(hashes);
            return true;
        }
        match self.old.remove(&number) {
            Some(hashes) => {
                into.extend_from_slice(&hashes);
                self.keep(number, hashes);
                true
            }
            None => false,
        }
    }

    /// Holds the shingles of kept paragraph `number`, just read again.
    fn keep(&mut self, number: u32, hashes: Vec<u64>) {
        self.young_hashes += hashes.len();
        self.young.insert(number, hashes);
        if self.young_hashes >= self.limit / 2 {
            self.old = std::mem::take(&mut self.young);
            self.young_hashes = 0;
        }
    }
}

/// Share of a paragraph's own anchors that must point at its candidate
/// sources before they are read again and its coverage counted. A true
/// near-duplicate has most of its anchors in its source (a window that the
/// edit does not touch has the same smallest shingle in both); a paragraph
/// that merely shares a stock phrase has one.
pub const PREFILTER: f64 = 0.25;

/// Kept paragraphs whose shingles the decision keeps in memory; an older
/// candidate source's are asked for (read back from the first pass's spool,
/// see [`crate::fingerprint::spool`], or made again from its document).
pub const RECENT_PARAGRAPHS: usize = 16_384;

/// The source and coverage of a near-duplicate, or `None` for a paragraph
/// that is not one. `holder` names the kept paragraph that had a shingle as
/// an anchor (in the run's [`AnchorIndex`] or the indexed corpus); asked of
/// the paragraph's own anchors, it gives the candidate sources; the
/// coverage is then counted on their full shingles, compared through `key`
/// (the corpus stores the low 32 bits of each).
fn near_match<H: Copy + Ord>(
    holder: &dyn Fn(u64) -> Option<H>,
    shingles: &ParagraphShingles<'_>,
    params: &NearParams,
    source_shingles: &mut dyn FnMut(H, &mut Vec<u64>),
    key: fn(u64) -> u64,
    scratch: &mut NearScratch<H>,
) -> Option<(H, f32)> {
    let NearScratch {
        holders,
        hits,
        sources,
        present,
    } = scratch;
    holders.clear();
    holders.extend(shingles.anchor_hashes().map(holder));
    index::top_holders(holders, MAX_SOURCES, hits, sources);
    let &(_, of) = sources.first()?;
    // Reading sources again costs a file read each: first ask whether the
    // paragraph's own anchors point at them often enough to be worth it.
    let pointing: usize = sources.iter().map(|&(count, _)| count).sum();
    if (pointing as f64) < PREFILTER * shingles.anchors.len() as f64 {
        return None;
    }
    present.clear();
    for &(_, at) in sources.iter() {
        source_shingles(at, present);
    }
    present.sort_unstable();
    let sourced = shingles.coverage(|h| present.binary_search(&key(h)).is_ok());
    (sourced >= params.threshold).then_some((of, sourced as f32))
}

/// Buffers [`near_match`] reuses from one paragraph to the next.
#[derive(Debug)]
struct NearScratch<H> {
    /// The holder of each of the paragraph's anchors.
    holders: Vec<Option<H>>,
    hits: Vec<H>,
    /// The candidate sources, with how many anchors point at each.
    sources: Vec<(usize, H)>,
    /// The sources' shingles, sorted.
    present: Vec<u64>,
}

impl<H> Default for NearScratch<H> {
    fn default() -> Self {
        NearScratch {
            holders: Vec::new(),
            hits: Vec::new(),
            sources: Vec::new(),
            present: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fingerprint::{hash, normalize, shingled};
    use Candidate::{Boilerplate, Text};
    use index::anchors;

    fn exact_only() -> Decider<'static> {
        Decider::new(None)
    }

    /// Documents given by their candidates, for exact matching: there are
    /// no shingles to read.
    struct Given<'a>(&'a [&'a [Candidate]]);

    impl Earlier for Given<'_> {
        fn fingerprint(&self, at: Location) -> u64 {
            match self.0[at.doc][at.para] {
                Text(hash) => hash,
                Boilerplate(rule) => unreachable!("{rule} at {at:?} was kept"),
            }
        }

        fn shingles(&mut self, _: Location) -> Vec<u64> {
            unreachable!("exact matching reads no sources")
        }
    }

    /// Decides `docs`, given by their candidates, with exact matching only.
    fn decide_exact(docs: &[&[Candidate]]) -> Vec<Vec<Verdict>> {
        let mut d = exact_only();
        let mut earlier = Given(docs);
        (0..docs.len())
            .map(|i| d.decide(i, docs[i], &Shingled::default(), &mut earlier))
            .collect()
    }

    #[test]
    fn memory_holds_the_most_recent_paragraphs_across_the_ring_s_wrap() {
        let mut memory = Memory {
            capacity: 3,
            ..Memory::default()
        };
        let hashes = |n: u32| -> Vec<u64> {
            (0..u64::from(n % 7) * 3)
                .map(|h| h + 100 * u64::from(n))
                .collect()
        };
        for n in 0..200u32 {
            memory.remember(n, &hashes(n));
            for m in 0..=n {
                let mut into = vec![1];
                let held = memory.fetch(m, &mut into);
                assert_eq!(held, m + 3 > n, "{m} after {n}");
                if held {
                    assert_eq!(into[1..], hashes(m)[..], "{m} after {n}");
                }
            }
        }
        // The ring holds the last three paragraphs' hashes and no more.
        let last: usize = (197..200).map(|n| hashes(n).len()).sum();
        assert_eq!(memory.recent.len(), last);
    }

    #[test]
    fn first_copy_in_input_order_is_kept_within_and_across() {
        let v = decide_exact(&[&[Text(1), Text(2), Text(1)], &[Text(2), Text(3)]]);
        let (first, second) = (&v[0][..], &v[1][..]);
        let at = |doc, para| Verdict::Duplicate(Location { doc, para });
        assert_eq!(first, [Verdict::Kept, Verdict::Kept, at(0, 0)]);
        assert_eq!(second, [at(0, 1), Verdict::Kept]);
    }

    #[test]
    fn a_table_that_grows_finds_what_a_table_sized_first_finds() {
        // Fingerprints with few distinct low halves, so that halves match
        // where whole fingerprints differ, in a few of the growing tables
        // (by the top byte), and copies at every distance.
        let fingerprint = |i: u64| (i % 7) << 57 | (i % 3_000) << 32 | (i % 17);
        let docs: Vec<Vec<Candidate>> = (0..400u64)
            .map(|d| {
                (0..25)
                    .map(|p| Text(fingerprint((d * 25 + p * 7) % 6_000)))
                    .collect()
            })
            .collect();
        let docs: Vec<&[Candidate]> = docs.iter().map(Vec::as_slice).collect();
        let decide_with = |mut d: Decider| -> Vec<Vec<Verdict>> {
            let mut earlier = Given(&docs);
            (0..docs.len())
                .map(|i| d.decide(i, docs[i], &Shingled::default(), &mut earlier))
                .collect()
        };
        let grown = decide_with(Decider::new(None));
        assert_eq!(grown, decide_with(Decider::with_capacity(None, 10_000, 0)));
        // Tables that grow hold whole fingerprints: they never ask for one.
        struct Unasked;
        impl Earlier for Unasked {
            fn fingerprint(&self, at: Location) -> u64 {
                panic!("asked for the fingerprint of {at:?}")
            }
            fn shingles(&mut self, _: Location) -> Vec<u64> {
                unreachable!("exact matching reads no sources")
            }
        }
        let mut d = Decider::new(None);
        let unasked: Vec<Vec<Verdict>> = (0..docs.len())
            .map(|i| d.decide(i, docs[i], &Shingled::default(), &mut Unasked))
            .collect();
        assert_eq!(unasked, grown);
        // One kept paragraph for each fingerprint, the rest copies.
        let kept = grown
            .iter()
            .flatten()
            .filter(|v| **v == Verdict::Kept)
            .count();
        let mut distinct: Vec<u64> = docs
            .iter()
            .copied()
            .flatten()
            .map(|c| match *c {
                Text(hash) => hash,
                Boilerplate(rule) => unreachable!("{rule}"),
            })
            .collect();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(kept, distinct.len());
        assert!(kept > 5_000 && kept <= 6_000, "{kept}");
    }

    #[test]
    fn boilerplate_is_never_a_first_copy() {
        let v = decide_exact(&[&[Boilerplate("share-buttons"), Text(7), Text(7)]]);
        assert_eq!(
            v[0],
            [
                Verdict::Boilerplate("share-buttons"),
                Verdict::Kept,
                Verdict::Duplicate(Location { doc: 0, para: 1 })
            ]
        );
    }

    /// Documents given as lists of paragraphs: sources come from the texts
    /// themselves, as the pipeline reads them again.
    struct Texts<'a> {
        docs: &'a [&'a [&'a str]],
        /// Whether sources may be read again.
        read: bool,
    }

    impl Earlier for Texts<'_> {
        fn fingerprint(&self, at: Location) -> u64 {
            hash(&normalize(self.docs[at.doc][at.para]))
        }

        fn shingles(&mut self, at: Location) -> Vec<u64> {
            assert!(self.read, "{at:?} read again");
            shingled(self.docs[at.doc][at.para]).hashes
        }
    }

    /// Decides documents given as lists of paragraphs, with near-duplicate
    /// matching at the default settings.
    fn decide_texts(docs: &[&[&str]]) -> Vec<Vec<Verdict>> {
        // Every source is among the recent paragraphs held in memory.
        decide_texts_with(docs, Decider::new(Some(NEAR)), false)
    }

    const NEAR: NearParams = NearParams {
        threshold: 0.8,
        min_shingles: 3,
    };

    /// [`decide_texts`] with this decider; `read` allows reading sources
    /// again from their texts.
    fn decide_texts_with(docs: &[&[&str]], d: Decider, read: bool) -> Vec<Vec<Verdict>> {
        decide_texts_asking(docs, d, &mut Texts { docs, read })
    }

    /// [`decide_texts_with`], asking `earlier` for what the decider does
    /// not hold.
    fn decide_texts_asking(
        docs: &[&[&str]],
        mut d: Decider,
        earlier: &mut dyn Earlier,
    ) -> Vec<Vec<Verdict>> {
        docs.iter()
            .enumerate()
            .map(|(i, paras)| {
                let candidates: Vec<Candidate> =
                    paras.iter().map(|p| Text(hash(&normalize(p)))).collect();
                let shingles: Vec<Shingles> = paras.iter().map(|p| shingled(p)).collect();
                d.decide(i, &candidates, &Shingled::of(&shingles), earlier)
            })
            .collect()
    }

    #[test]
    fn sources_come_from_memory_or_the_caller_alike() {
        let docs: Vec<Vec<String>> = (0..6)
            .map(|d| {
                (0..4)
                    .map(|p| match (d + p) % 3 {
                        0 => A.to_string(),
                        1 => A.replace("three", format!("{d} or {p}").as_str()),
                        _ => format!("{B} Paragraph {p} of document {d} differs here."),
                    })
                    .collect()
            })
            .collect();
        let docs: Vec<Vec<&str>> = docs
            .iter()
            .map(|d| d.iter().map(String::as_str).collect())
            .collect();
        let docs: Vec<&[&str]> = docs.iter().map(Vec::as_slice).collect();
        let expected = decide_texts(&docs);
        assert!(
            expected
                .iter()
                .flatten()
                .any(|v| matches!(v, Verdict::NearDuplicate { .. })),
            "{expected:?}"
        );
        // One paragraph in memory: every other source is asked for.
        let mut read = Decider::new(Some(NEAR));
        read.memory.capacity = 1;
        assert_eq!(decide_texts_with(&docs, read, true), expected);
    }

    #[test]
    fn a_source_read_again_is_read_once_while_it_is_in_use() {
        /// [`Texts`] that counts the reads of each source.
        struct Counting<'a>(Texts<'a>, HashMap<Location, usize>);
        impl Earlier for Counting<'_> {
            fn fingerprint(&self, at: Location) -> u64 {
                self.0.fingerprint(at)
            }
            fn shingles(&mut self, at: Location) -> Vec<u64> {
                *self.1.entry(at).or_default() += 1;
                self.0.shingles(at)
            }
        }
        let edits: Vec<String> = ["two", "four", "five", "six"]
            .iter()
            .map(|n| A.replace("three", n))
            .collect();
        let mut docs: Vec<&[&str]> = vec![&[A], &[B]];
        let edits: Vec<[&str; 1]> = edits.iter().map(|e| [e.as_str()]).collect();
        docs.extend(edits.iter().map(|e| &e[..]));
        let expected = decide_texts(&docs);
        let mut d = Decider::new(Some(NEAR));
        d.memory.capacity = 1;
        let mut earlier = Counting(
            Texts {
                docs: &docs,
                read: true,
            },
            HashMap::new(),
        );
        let got = decide_texts_asking(&docs, d, &mut earlier);
        assert_eq!(got, expected);
        let a = Location { doc: 0, para: 0 };
        assert!(
            got[2..]
                .iter()
                .all(|v| matches!(v[0], Verdict::NearDuplicate { of, .. } if of == a)),
            "{got:?}"
        );
        // The four copies name A; it is read once, then held.
        assert_eq!(earlier.1.get(&a), Some(&1), "{:?}", earlier.1);
    }

    #[test]
    fn paragraphs_read_again_are_held_in_two_generations() {
        let mut read = ReadAgain {
            limit: 40,
            ..ReadAgain::default()
        };
        let held = |read: &mut ReadAgain, n: u32| read.fetch(n, &mut Vec::new());
        // Ten hashes each: two paragraphs fill the young generation.
        read.keep(1, vec![1; 10]);
        read.keep(2, vec![2; 10]);
        // 1 and 2 are now the old generation; 1 is used, and moves back.
        let mut into = Vec::new();
        assert!(read.fetch(1, &mut into));
        assert_eq!(into, vec![1; 10]);
        read.keep(3, vec![3; 10]);
        // 1 and 3 became old; 2, not used since, is gone.
        assert!(!held(&mut read, 2));
        assert!(held(&mut read, 3) && held(&mut read, 1));
        assert!(
            read.young
                .values()
                .chain(read.old.values())
                .map(Vec::len)
                .sum::<usize>()
                <= 40
        );
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

    #[test]
    fn sources_are_fetched_only_when_the_anchors_point_at_them() {
        let params = NearParams {
            threshold: 0.8,
            min_shingles: 3,
        };
        let mut index = AnchorIndex::default();
        let kept = Location { doc: 0, para: 0 };
        index.insert(anchors(&shingled(A)), 0);
        let fetched = std::cell::RefCell::new(Vec::new());
        let mut fetch = |at: Location, into: &mut Vec<u64>| {
            fetched.borrow_mut().push(at);
            into.extend(shingled(A).hashes);
        };
        let edited = Shingled::of([&shingled(&A.replace("three", "two"))]);
        let holder = |h| index.holder(h).map(|_| kept);
        let found = near_match(
            &holder,
            &edited.paragraph(0),
            &params,
            &mut fetch,
            |h| h,
            &mut NearScratch::default(),
        );
        assert!(matches!(found, Some((at, _)) if at == kept), "{found:?}");
        assert_eq!(*fetched.borrow(), [kept]);
        // A new paragraph that opens like the kept one: one of its anchors
        // points there, too few to read the kept paragraph again.
        fetched.borrow_mut().clear();
        let other = Shingled::of([&shingled(
            "The regional council voted on Tuesday to approve a new cycle lane along the \
             river. Work on the lane will start in the spring and take about six months to \
             finish, officials said. Residents who live near the bridge had asked for it for \
             years, after a cyclist was injured there in a crash with a delivery van.",
        )]);
        assert_eq!(
            near_match(
                &holder,
                &other.paragraph(0),
                &params,
                &mut fetch,
                |h| h,
                &mut NearScratch::default(),
            ),
            None
        );
        assert!(fetched.borrow().is_empty(), "{fetched:?}");
    }
}
