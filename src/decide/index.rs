//! The shingles of kept paragraphs, and which paragraph had each first.
//!
//! Near-duplicate matching asks two questions of the text kept so far: is
//! this shingle in it, and which kept paragraph holds it. One map answers
//! both: every shingle of every kept paragraph, to the first kept paragraph
//! that had it (12 bytes of key and value per distinct shingle, about 20
//! with the table's overhead). A shingle that many paragraphs share, a stock
//! phrase, names only the first of them, so a paragraph pieced together
//! from stock phrases spreads its hits over many paragraphs and has no
//! single source that covers it.

use super::Location;
use nohash_hasher::IntMap;

/// Shingles of kept paragraphs (see the module doc). The keys are xxh3
/// hashes already, so the table uses them as they are rather than hashing
/// them again.
#[derive(Debug, Default)]
pub struct ShingleIndex {
    holders: IntMap<u64, (u32, u32)>,
}

impl ShingleIndex {
    /// Whether a kept paragraph had `shingle`.
    pub fn contains(&self, shingle: u64) -> bool {
        self.holders.contains_key(&shingle)
    }

    /// Adds the shingles of the kept paragraph `at`.
    pub fn insert(&mut self, shingles: &[u64], at: Location) {
        let compact = (at.doc as u32, at.para as u32);
        for &h in shingles {
            self.holders.entry(h).or_insert(compact);
        }
    }

    /// The first kept paragraph that had `shingle`.
    pub fn holder(&self, shingle: u64) -> Option<Location> {
        self.holders.get(&shingle).map(|&(doc, para)| Location {
            doc: doc as usize,
            para: para as usize,
        })
    }

    /// Up to `n` kept paragraphs that hold the most of `shingles`, most
    /// first; on a tie, the first in input order.
    pub fn sources(&self, shingles: &[u64], n: usize) -> Vec<Location> {
        let holders: Vec<Option<Location>> = shingles.iter().map(|&h| self.holder(h)).collect();
        top_holders(&holders, n)
    }
}

/// Up to `n` paragraphs that appear most often in `holders` (the holder of
/// each shingle of a paragraph, `None` where no kept paragraph has it), most
/// first; on a tie, the first in input order.
pub fn top_holders(holders: &[Option<Location>], n: usize) -> Vec<Location> {
    let mut hits: Vec<Location> = holders.iter().flatten().copied().collect();
    hits.sort_unstable();
    let mut counted: Vec<(usize, Location)> = hits
        .chunk_by(|a, b| a == b)
        .map(|run| (run.len(), run[0]))
        .collect();
    // A stable sort: equal counts stay in location order.
    counted.sort_by_key(|&(count, _)| std::cmp::Reverse(count));
    counted.into_iter().take(n).map(|(_, at)| at).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(doc: usize, para: usize) -> Location {
        Location { doc, para }
    }

    #[test]
    fn shingles_name_their_first_holder() {
        let mut index = ShingleIndex::default();
        index.insert(&[1, 2, 3], at(0, 0));
        index.insert(&[3, 4], at(1, 2));
        assert!(index.contains(4));
        assert!(!index.contains(5));
        assert_eq!(index.holder(3), Some(at(0, 0)));
        assert_eq!(index.holder(4), Some(at(1, 2)));
        assert_eq!(index.holder(5), None);
    }

    #[test]
    fn sources_count_hits_and_break_ties_by_location() {
        let mut index = ShingleIndex::default();
        index.insert(&[4, 8, 12, 16], at(0, 1));
        index.insert(&[20, 24, 28, 32], at(0, 0));
        assert_eq!(index.sources(&[4, 8, 20], 1), [at(0, 1)]);
        assert_eq!(index.sources(&[4, 8, 20], 2), [at(0, 1), at(0, 0)]);
        assert_eq!(index.sources(&[4, 20], 2), [at(0, 0), at(0, 1)]);
        assert_eq!(index.sources(&[5, 6, 7], 2), []);
    }
}
