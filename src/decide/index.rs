//! Anchors of kept paragraphs, and which paragraph had each first.
//!
//! Near-duplicate matching needs, for a new paragraph, the one or two kept
//! paragraphs that share the most text with it. Indexing every shingle of
//! every kept paragraph would cost memory in proportion to the corpus
//! (about 28 bytes a shingle in a hash map, gigabytes for a gigabyte of
//! text), so only *anchors* are indexed: the shingles chosen by winnowing.
//! In each window of [`WINDOW`] consecutive shingles of a run (shingles stop
//! at sentence ends; a shorter run is one window) the smallest hash is an
//! anchor, and in a paragraph of one run (one sentence, mostly) so are its
//! first and last shingles. The choice depends on the text alone, so two
//! paragraphs that share a run of [`WINDOW`] shingles share an anchor. A
//! sentence edited in one place usually keeps its smallest shingle; a
//! one-sentence paragraph keeps its first or its last one too, and a longer
//! paragraph has its other sentences. About one shingle in nine is an
//! anchor.
//!
//! The first and last shingles of every run, as anchors, doubled the table
//! (24 million anchors at a gigabyte of text, against 12 million) for 0.15
//! points of near-duplicate recall on `scripts/eval-generated.sh` (0.9725
//! against 0.9710), most of it in paragraphs stitched from two others.
//!
//! A new paragraph looks up its own anchors; the kept paragraphs that hold
//! the most of them are its candidate sources, and the decision
//! is then made on their full shingles (see [`crate::decide`]). Each anchor
//! names the first kept paragraph that had it, so a stock phrase shared by
//! many paragraphs counts for one of them only.
//!
//! The table is cut into [`SHARDS`] tables by the top bits of the key,
//! each growing on its own: a single table doubles by building the new one
//! beside the old, which at a gigabyte of text holds about 450 MB for a
//! moment; a shard holds 1/256 of that.
//!
//! An entry is the low 32 bits of the anchor's hash and a 32-bit paragraph
//! number: 8 bytes, about 11 with the table's slack. Two anchors that agree
//! in their low 32 bits only make a wrong candidate, which the check on
//! full shingles then rejects.
//!
//! A shard is a table of its own making rather than a hash map: buckets of
//! eight entries, each bucket one cache line ([`super::lines`]), placed by
//! the key's low 24 bits and probed in turn. At 5 GB of text the table is far larger than the
//! processor's caches, and a look-up is one read from memory, on the
//! deciding thread, which is the bottleneck there. A hash map reads two
//! lines for a key it holds (its control bytes and its entry) and cannot
//! say where a key will be; here one line holds both, and
//! [`AnchorIndex::prefetch`] asks for it while the paragraph before is
//! still being decided.
//!
//! In a run of two passes the table is sized once, before the second pass,
//! for every anchor the first pass counted in paragraphs of text
//! ([`AnchorIndex::with_capacity`]): only kept paragraphs add theirs, and
//! an anchor already held is not added again, so the table never grows.
//! Grown by doubling from nothing, as in a run of one pass, it was built
//! twice over on the deciding thread, and the memory of each new table
//! cleared by the kernel as it was first touched: at a gigabyte of text,
//! a sixth of that thread's time.

use super::lines::Lines;
#[cfg(test)]
use crate::fingerprint::Shingles;

/// Shingles per winnowing window (see the module doc).
pub const WINDOW: usize = 16;

/// Tables the anchor table is cut into (see the module doc).
pub const SHARDS: usize = 256;
const _: () = assert!(SHARDS == 1 << 8, "shard() takes the top 8 bits");

/// Anchors of kept paragraphs (see the module doc).
#[derive(Debug)]
pub struct AnchorIndex {
    /// Low 32 bits of an anchor's hash, to the number of the first kept
    /// paragraph that had it, in [`SHARDS`] tables by the top 8 of the bits.
    shards: Vec<Shard>,
}

impl Default for AnchorIndex {
    fn default() -> AnchorIndex {
        AnchorIndex {
            shards: (0..SHARDS).map(|_| Shard::default()).collect(),
        }
    }
}

/// The shard of a key.
fn shard(key: u32) -> usize {
    (key >> 24) as usize
}

impl AnchorIndex {
    /// An empty table with room for `anchors` anchors at most, for which it
    /// will not grow: a shard takes its share of them, with room for the
    /// share to vary (keys are hash bits, and spread evenly only on
    /// average).
    pub fn with_capacity(anchors: usize) -> AnchorIndex {
        let share = anchors.div_ceil(SHARDS);
        // Four standard deviations of a binomial share, and a few more.
        let room = share + 4 * share.isqrt() + 8;
        AnchorIndex {
            shards: (0..SHARDS).map(|_| Shard::with_capacity(room)).collect(),
        }
    }

    /// Adds the anchors (see the module doc) of the kept paragraph numbered
    /// `number` (kept paragraphs are numbered in input order). An anchor
    /// already held keeps its first holder.
    pub fn insert(&mut self, anchors: impl IntoIterator<Item = u64>, number: u32) {
        for anchor in anchors {
            let key = anchor as u32;
            self.shards[shard(key)].insert(key, number);
        }
    }

    /// The number of the first kept paragraph that had `shingle` as an
    /// anchor.
    pub fn holder(&self, shingle: u64) -> Option<u32> {
        let key = shingle as u32;
        self.shards[shard(key)].get(key)
    }

    /// Starts fetching the cache line where [`AnchorIndex::holder`] of
    /// `shingle` will look first, without waiting for it.
    pub fn prefetch(&self, shingle: u64) {
        let key = shingle as u32;
        self.shards[shard(key)].prefetch(key);
    }
}

/// One shard: [`Lines`] of entries, each `key << 32 | (number + 1)` (no
/// entry is 0), placed by the key's low 24 bits. Entries are never
/// removed, so the first empty place ends a look-up.
#[derive(Debug, Default)]
struct Shard {
    /// None before the first entry, unless sized from the start.
    buckets: Lines,
    len: usize,
}

/// The bits of a key that place it in its shard: the top 8 choose the
/// shard ([`shard`]).
const PLACE_BITS: u32 = 24;

impl Shard {
    /// A shard with room for `entries` entries before it grows.
    fn with_capacity(entries: usize) -> Shard {
        Shard {
            buckets: Lines::for_entries(entries),
            len: 0,
        }
    }

    /// The bucket a key's probe starts at; `buckets` must not be empty.
    fn home(&self, key: u32) -> usize {
        self.buckets
            .home(u64::from(key) & ((1 << PLACE_BITS) - 1), PLACE_BITS)
    }

    fn get(&self, key: u32) -> Option<u32> {
        if self.buckets.is_empty() {
            return None;
        }
        let mut b = self.home(key);
        loop {
            for &entry in &self.buckets[b].0 {
                if entry == 0 {
                    return None;
                }
                if (entry >> 32) as u32 == key {
                    return Some(entry as u32 - 1);
                }
            }
            b = self.buckets.next(b);
        }
    }

    fn insert(&mut self, key: u32, number: u32) {
        if self.buckets.full_at(self.len) {
            self.grow();
        }
        let entry =
            u64::from(key) << 32 | u64::from(number.checked_add(1).expect("number below 2^32 - 1"));
        let mut b = self.home(key);
        loop {
            for place in &mut self.buckets[b].0 {
                if *place == 0 {
                    *place = entry;
                    self.len += 1;
                    return;
                }
                if (*place >> 32) as u32 == key {
                    return;
                }
            }
            b = self.buckets.next(b);
        }
    }

    /// Doubles the buckets (or makes the first few) and places every entry
    /// again, in the order the old table held them.
    fn grow(&mut self) {
        let count = (self.buckets.len() * 2).max(4);
        let old = std::mem::replace(&mut self.buckets, Lines::new(count));
        self.len = 0;
        for entry in old.iter().flat_map(|b| b.0).filter(|&e| e != 0) {
            self.insert((entry >> 32) as u32, entry as u32 - 1);
        }
    }

    fn prefetch(&self, key: u32) {
        if self.buckets.is_empty() {
            return;
        }
        crate::prefetch(&self.buckets[self.home(key)]);
    }
}

/// The anchors of a paragraph's shingles (see the module doc), in text
/// order, each once.
#[cfg(test)]
pub fn anchors(shingles: &Shingles) -> Vec<u64> {
    anchor_positions(shingles)
        .into_iter()
        .map(|i| shingles.hashes[i])
        .collect()
}

/// [`append_anchor_positions`] of `shingles`, in a vector of their own.
#[cfg(test)]
pub fn anchor_positions(shingles: &Shingles) -> Vec<usize> {
    let mut chosen = Vec::new();
    append_anchor_positions(&shingles.hashes, &shingles.starts, &mut chosen);
    chosen.into_iter().map(|i| i as usize).collect()
}

/// The indices of the anchors (see the module doc) of the shingles with
/// these hashes and first words, in text order, each once, appended to
/// `chosen`.
pub fn append_anchor_positions(hashes: &[u64], starts: &[u32], chosen: &mut Vec<u32>) {
    debug_assert_eq!(hashes.len(), starts.len());
    let from = chosen.len();
    // About two anchors a window, and the ends.
    chosen.reserve(starts.len() / 4 + 3);
    let mut choose = |i: usize| {
        // Fewer than 2^32 shingles in a paragraph: its text is under 4 GiB.
        let i = i as u32;
        if chosen.len() == from || chosen.last() != Some(&i) {
            chosen.push(i);
        }
    };
    let one_run = starts.windows(2).all(|w| w[1] == w[0] + 1);
    let mut run_start = 0;
    while run_start < starts.len() {
        // A run: shingles whose first words follow one another.
        let mut run_end = run_start + 1;
        while run_end < starts.len() && starts[run_end] == starts[run_end - 1] + 1 {
            run_end += 1;
        }
        // The smallest shingle of each window (the first of equals), and
        // in a paragraph of one run its first and last shingles.
        if one_run {
            choose(run_start);
        }
        let window = WINDOW.min(run_end - run_start);
        let smallest_from = |first: usize| {
            (first..first + window)
                .min_by_key(|&i| hashes[i])
                .unwrap_or(first)
        };
        // As the window slides, the shingle that enters it is the smallest
        // only when it is smaller than the smallest so far; the window is
        // searched whole again only when its smallest leaves it.
        let mut smallest = smallest_from(run_start);
        choose(smallest);
        for first in run_start + 1..=run_end - window {
            let entering = first + window - 1;
            if smallest < first {
                smallest = smallest_from(first);
            } else if hashes[entering] < hashes[smallest] {
                smallest = entering;
            }
            choose(smallest);
        }
        if one_run {
            choose(run_end - 1);
        }
        run_start = run_end;
    }
    debug_assert!(chosen[from..].is_sorted());
}

/// Up to `n` paragraphs that appear most often in `holders` (the holder of
/// each shingle of a paragraph, `None` where no kept paragraph has it),
/// into `top` with their counts, most first; on a tie, the first in input
/// order. `hits` is a buffer.
pub fn top_holders<T: Copy + Ord>(
    holders: &[Option<T>],
    n: usize,
    hits: &mut Vec<T>,
    top: &mut Vec<(usize, T)>,
) {
    top.clear();
    hits.clear();
    hits.extend(holders.iter().flatten().copied());
    hits.sort_unstable();
    for run in hits.chunk_by(|a, b| a == b) {
        let count = run.len();
        // After every holder counted as often: a tie keeps input order.
        let place = top
            .iter()
            .position(|&(c, _)| c < count)
            .unwrap_or(top.len());
        if place < n {
            top.insert(place, (count, run[0]));
            top.truncate(n);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decide::Location;
    use crate::decide::lines::ENTRIES;
    use crate::fingerprint::shingled;

    fn at(doc: usize, para: usize) -> Location {
        Location { doc, para }
    }

    const LONG: &str = "The council said on Monday that it would not be able to open the new \
        library before the end of the year because the builders had found asbestos in the \
        roof of the old town hall and the work had to stop while specialists removed it";

    #[test]
    fn every_window_has_an_anchor_and_few_shingles_are_anchors() {
        let s = shingled(LONG);
        let chosen = anchors(&s);
        assert!(!chosen.is_empty());
        assert!(
            chosen.len() * 4 < s.len(),
            "{} of {}",
            chosen.len(),
            s.len()
        );
        for window in s.hashes.windows(WINDOW) {
            assert!(window.iter().any(|h| chosen.contains(h)));
        }
    }

    /// A xorshift generator: numbers for the tests, the same on every run.
    fn xorshift(mut state: u64) -> impl FnMut() -> u64 {
        move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        }
    }

    /// [`anchor_positions`] by its definition: the runs of consecutive
    /// shingles, the smallest of each window of each run (the first of
    /// equals), and in a paragraph of one run its ends.
    fn reference_anchor_positions(shingles: &Shingles) -> Vec<usize> {
        let positions: Vec<usize> = (0..shingles.len()).collect();
        let runs: Vec<&[usize]> = positions
            .chunk_by(|&a, &b| shingles.starts[b] == shingles.starts[a] + 1)
            .collect();
        let mut chosen = Vec::new();
        for run in &runs {
            if runs.len() == 1 {
                chosen.extend([run[0], run[run.len() - 1]]);
            }
            for window in run.windows(WINDOW.min(run.len())) {
                chosen.extend(window.iter().min_by_key(|&&i| shingles.hashes[i]));
            }
        }
        chosen.sort_unstable();
        chosen.dedup();
        chosen
    }

    #[test]
    fn sliding_the_window_chooses_what_searching_each_window_chooses() {
        let mut next = xorshift(0x2545_f491_4f6c_dd1d);
        for case in 0..4_000 {
            // Runs of 1 to 60 shingles; hashes from a small range in some
            // cases, so that equal hashes in one window are common.
            let runs = 1 + next() % 4;
            let range = if case % 2 == 0 { 8 } else { u64::MAX };
            let mut s = Shingles {
                width: 5,
                ..Shingles::default()
            };
            let mut word = 0u32;
            for _ in 0..runs {
                let len = 1 + next() % 60;
                for _ in 0..len {
                    s.hashes.push(next() % range);
                    s.starts.push(word);
                    word += 1;
                }
                // A sentence end: the next run starts further on.
                word += 5;
            }
            s.words = word as usize;
            assert_eq!(
                anchor_positions(&s),
                reference_anchor_positions(&s),
                "{s:?}"
            );
        }
        let empty = Shingles::default();
        assert_eq!(anchor_positions(&empty), reference_anchor_positions(&empty));
    }

    #[test]
    fn a_short_run_has_its_ends_and_its_smallest_shingle_as_anchors() {
        let s = shingled("Ministers from both sides will meet again in Geneva next week.");
        let smallest = *s.hashes.iter().min().unwrap();
        let mut expected = vec![s.hashes[0], smallest, s.hashes[s.len() - 1]];
        expected.sort_by_key(|h| s.hashes.iter().position(|x| x == h));
        expected.dedup();
        assert_eq!(anchors(&s), expected);
        assert!(anchors(&Shingles::default()).is_empty());
    }

    #[test]
    fn the_table_holds_the_first_holder_of_each_key_as_a_map_does() {
        // Keys crowded into few shards and few home buckets, so that probes
        // run across buckets and wrap around the end, through many growths.
        let mut index = AnchorIndex::default();
        let mut model = std::collections::BTreeMap::new();
        let mut next = xorshift(0x9e37_79b9_7f4a_7c15);
        for number in 0..60_000u32 {
            let r = next();
            let key = match r % 4 {
                // Shard 0 or 255, home bucket 0.
                0 => ((r >> 8) as u32 & 0x0000_0003) | (0xff00_0000 * ((r >> 40) as u32 & 1)),
                // Shard 0 or 255, the last home bucket.
                1 => (0x00ff_fffc | (r >> 8) as u32 & 3) | (0xff00_0000 * ((r >> 40) as u32 & 1)),
                2 => (r >> 8) as u32 & 0x00ff_ffff,
                _ => (r >> 8) as u32,
            };
            index.insert([u64::from(key) | 0xabcd << 40], number);
            model.entry(key).or_insert(number);
            if number % 997 == 0 {
                for (&k, &n) in &model {
                    assert_eq!(index.holder(u64::from(k)), Some(n), "{k:#x}");
                }
            }
        }
        for _ in 0..10_000 {
            let key = next() as u32;
            assert_eq!(index.holder(u64::from(key)), model.get(&key).copied());
            index.prefetch(u64::from(key));
        }
        let held: usize = index.shards.iter().map(|s| s.len).sum();
        assert_eq!(held, model.len());
        assert!(
            index
                .shards
                .iter()
                .all(|s| s.len * 8 <= s.buckets.len() * ENTRIES * 7)
        );
    }

    #[test]
    fn a_table_sized_for_its_anchors_never_grows_and_holds_them_as_a_map_does() {
        for anchors in [0, 1, 7, 300, 5_000, 80_000] {
            let mut index = AnchorIndex::with_capacity(anchors);
            let sizes: Vec<usize> = index.shards.iter().map(|s| s.buckets.len()).collect();
            assert!(sizes.iter().all(|&n| n >= 1));
            let mut model = std::collections::BTreeMap::new();
            let mut next = xorshift(0x5851_f42d_4c95_7f2d ^ anchors as u64);
            // Each key added twice, by two paragraphs: the first holds it.
            let keys: Vec<u64> = (0..anchors).map(|_| next()).collect();
            for (number, pair) in keys.chunks(2).enumerate() {
                index.insert(pair.iter().copied(), number as u32);
                index.insert(pair.iter().copied(), number as u32 + 1_000_000);
                for &key in pair {
                    model.entry(key as u32).or_insert(number as u32);
                }
            }
            let after: Vec<usize> = index.shards.iter().map(|s| s.buckets.len()).collect();
            assert_eq!(sizes, after, "{anchors} anchors grew a shard");
            for &key in &keys {
                assert_eq!(index.holder(key), model.get(&(key as u32)).copied());
            }
            for _ in 0..1_000 {
                let key = next();
                assert_eq!(index.holder(key), model.get(&(key as u32)).copied());
            }
        }
        // Room for a fair share and its spread, not for many times it.
        let sized = AnchorIndex::with_capacity(12_000_000);
        let buckets: usize = sized.shards.iter().map(|s| s.buckets.len()).sum();
        assert!(
            buckets * ENTRIES * 7 <= 12_000_000 * 8 * 102 / 100,
            "{buckets}"
        );
    }

    #[test]
    fn shared_text_shares_anchors_and_names_the_first_holder() {
        let mut index = AnchorIndex::default();
        index.insert(anchors(&shingled(LONG)), 0);
        index.insert(anchors(&shingled(LONG)), 1);
        let edited = shingled(&LONG.replace("Monday", "Tuesday"));
        let holders: Vec<Option<u32>> = edited.hashes.iter().map(|&h| index.holder(h)).collect();
        assert_eq!(top(&holders, 2), [0]);
        let other = shingled("A completely different paragraph about the weather in the hills.");
        assert!(other.hashes.iter().all(|&h| index.holder(h).is_none()));
    }

    /// [`top_holders`], without their counts.
    fn top<T: Copy + Ord>(holders: &[Option<T>], n: usize) -> Vec<T> {
        let mut out = vec![];
        top_holders(holders, n, &mut vec![], &mut out);
        out.into_iter().map(|(_, at)| at).collect()
    }

    #[test]
    fn top_holders_count_hits_and_break_ties_by_location() {
        let (a, b) = (Some(at(0, 1)), Some(at(0, 0)));
        assert_eq!(top(&[a, a, b], 1), [at(0, 1)]);
        assert_eq!(top(&[a, a, b], 2), [at(0, 1), at(0, 0)]);
        assert_eq!(top(&[a, b], 2), [at(0, 0), at(0, 1)]);
        assert_eq!(top::<Location>(&[None, None], 2), []);
        let mut counted = vec![(9, 9)];
        top_holders(
            &[Some(3), None, Some(1), Some(3)],
            2,
            &mut vec![7],
            &mut counted,
        );
        assert_eq!(counted, [(2, 3), (1, 1)]);
    }

    #[test]
    fn top_holders_are_the_first_of_a_stable_sort_by_count() {
        // Every mix of four holders among five slots, against counting by
        // a map and a stable sort.
        for code in 0..5usize.pow(5) {
            let holders: Vec<Option<u8>> = (0..5)
                .map(|i| match code / 5usize.pow(i) % 5 {
                    0 => None,
                    h => Some(h as u8),
                })
                .collect();
            let mut counts = std::collections::BTreeMap::new();
            for h in holders.iter().flatten() {
                *counts.entry(*h).or_insert(0) += 1;
            }
            let mut sorted: Vec<(usize, u8)> = counts.into_iter().map(|(h, c)| (c, h)).collect();
            sorted.sort_by_key(|&(c, _)| std::cmp::Reverse(c));
            for n in 0..4 {
                let expected: Vec<u8> = sorted.iter().take(n).map(|&(_, h)| h).collect();
                assert_eq!(top(&holders, n), expected, "{holders:?}, {n}");
            }
        }
    }
}
