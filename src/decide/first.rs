//! The first-copy tables: for each fingerprint of a kept paragraph, the
//! number of the paragraph that had it first. [`FirstCopies`] for a run of
//! one pass, which grows; [`FirstNumbers`] for a run of two, which knows
//! from the start how many paragraphs it may hold.
//!
//! Every paragraph that is not boilerplate looks its fingerprint up here,
//! and a kept one is added, one after the other, on the deciding thread.
//! At a gigabyte of text the table is far larger than the processor's
//! caches, so each look-up is a read from memory that the deciding thread
//! waits for. A hash map reads two lines for every look-up that finds its
//! key or adds one (its control bytes and its entry), and cannot say where
//! a key will be. Here a bucket of five entries is one cache line holding
//! the whole fingerprints and the numbers, placed by the fingerprint's low
//! bits and probed in turn, and [`FirstCopies::prefetch`] asks for a
//! fingerprint's line before it is needed: the decision asks for the
//! lines of all of a document's paragraphs before it decides the first.
//!
//! Like the anchor table ([`super::index`]), the table is cut into
//! 256 tables by the fingerprint's top byte, each doubling on its
//! own, so that no doubling places millions of entries again at once. An
//! entry is 12 bytes (64 bytes a bucket of five), and a shard doubles at
//! 7/8 full.

use super::lines::Lines;

/// Tables the first-copy table is cut into, by the top byte of the
/// fingerprint.
const SHARDS: usize = 256;

/// Entries a bucket holds: five fingerprints and five numbers, one 64-byte
/// cache line.
const SLOTS: usize = 5;

/// A bucket of entries, filled from the front. A number is stored plus
/// one, so that 0 is an empty place. Aligned to a cache line.
#[derive(Debug, Clone, Copy, Default)]
#[repr(C, align(64))]
struct Bucket {
    fingerprints: [u64; SLOTS],
    numbers: [u32; SLOTS],
}

const _: () = assert!(size_of::<Bucket>() == 64, "a bucket is one cache line");

/// One shard: buckets placed by the fingerprint's low bits, probed in turn
/// from there. Entries are never removed, so the first empty place ends a
/// look-up.
#[derive(Debug, Default)]
struct Shard {
    /// A power of two of them, or none before the first entry.
    buckets: Vec<Bucket>,
    len: usize,
}

impl Shard {
    /// The bucket a fingerprint's probe starts at; `buckets` must not be
    /// empty.
    fn home(&self, fingerprint: u64) -> usize {
        fingerprint as usize & (self.buckets.len() - 1)
    }

    fn get(&self, fingerprint: u64) -> Option<u32> {
        if self.buckets.is_empty() {
            return None;
        }
        let mut b = self.home(fingerprint);
        loop {
            let bucket = &self.buckets[b];
            for (&f, &n) in bucket.fingerprints.iter().zip(&bucket.numbers) {
                if n == 0 {
                    return None;
                }
                if f == fingerprint {
                    return Some(n - 1);
                }
            }
            b = (b + 1) & (self.buckets.len() - 1);
        }
    }

    fn insert(&mut self, fingerprint: u64, number: u32) {
        if (self.len + 1) * 8 > self.buckets.len() * SLOTS * 7 {
            self.grow();
        }
        let stored = number.checked_add(1).expect("number below 2^32 - 1");
        let mut b = self.home(fingerprint);
        loop {
            let bucket = &mut self.buckets[b];
            for (f, n) in bucket.fingerprints.iter_mut().zip(&mut bucket.numbers) {
                if *n == 0 {
                    (*f, *n) = (fingerprint, stored);
                    self.len += 1;
                    return;
                }
                if *f == fingerprint {
                    return;
                }
            }
            b = (b + 1) & (self.buckets.len() - 1);
        }
    }

    /// Doubles the buckets (or makes the first few) and places every entry
    /// again, in the order the old table held them.
    fn grow(&mut self) {
        let count = (self.buckets.len() * 2).max(4);
        let old = std::mem::replace(&mut self.buckets, vec![Bucket::default(); count]);
        self.len = 0;
        for bucket in &old {
            for (&f, &n) in bucket.fingerprints.iter().zip(&bucket.numbers) {
                if n != 0 {
                    self.insert(f, n - 1);
                }
            }
        }
    }

    fn prefetch(&self, fingerprint: u64) {
        if self.buckets.is_empty() {
            return;
        }
        crate::prefetch(&self.buckets[self.home(fingerprint)]);
    }
}

/// The first-copy table (see the module doc).
#[derive(Debug)]
pub struct FirstCopies {
    shards: Vec<Shard>,
}

impl Default for FirstCopies {
    fn default() -> FirstCopies {
        FirstCopies {
            shards: (0..SHARDS).map(|_| Shard::default()).collect(),
        }
    }
}

impl FirstCopies {
    fn shard(fingerprint: u64) -> usize {
        (fingerprint >> 56) as usize
    }

    /// The number of the kept paragraph with this fingerprint, if any.
    pub fn get(&self, fingerprint: u64) -> Option<u32> {
        self.shards[FirstCopies::shard(fingerprint)].get(fingerprint)
    }

    /// Adds kept paragraph `number` with this fingerprint; a fingerprint
    /// already held keeps its first number.
    pub fn insert(&mut self, fingerprint: u64, number: u32) {
        self.shards[FirstCopies::shard(fingerprint)].insert(fingerprint, number);
    }

    /// Starts fetching the cache line where [`FirstCopies::get`] of
    /// `fingerprint` will look first, without waiting for it.
    pub fn prefetch(&self, fingerprint: u64) {
        self.shards[FirstCopies::shard(fingerprint)].prefetch(fingerprint);
    }
}

/// The first-copy table of a run of two passes, sized once for every
/// paragraph of text the first pass found.
///
/// An entry is 8 bytes: the fingerprint's top 32 bits, and the number plus
/// one (0 is an empty place). Eight make a bucket, one cache line
/// ([`super::lines`]), placed by the fingerprint's low 32 bits and probed
/// in turn, so that a look-up
/// reads one line, which [`FirstNumbers::prefetch`] asks for ahead. When
/// the top bits match, the whole fingerprint is fetched from the records
/// (the `of` argument): for a copy, and for other paragraphs about once in
/// 2^32 entries compared. At 7/8 full at most it takes about 9 bytes a
/// paragraph (40 MB at a gigabyte of news); [`FirstCopies`], with whole
/// fingerprints, would take 13 or more. The hash map of numbers it
/// replaces took about as much, but read two lines a look-up (its control
/// bytes, then the entry) and could not be asked ahead.
#[derive(Debug)]
pub struct FirstNumbers {
    /// At least one.
    buckets: Lines,
    len: usize,
}

impl FirstNumbers {
    /// A table with room for `paragraphs` entries, at most 7/8 full. It
    /// doubles should more come.
    pub fn with_capacity(paragraphs: usize) -> FirstNumbers {
        FirstNumbers {
            buckets: Lines::for_entries(paragraphs),
            len: 0,
        }
    }

    /// The bucket a probe for `fingerprint` starts at: its low 32 bits
    /// scaled to the number of buckets.
    fn home(&self, fingerprint: u64) -> usize {
        self.buckets.home(fingerprint & 0xFFFF_FFFF, 32)
    }

    /// The number of the kept paragraph with this fingerprint, if any;
    /// `of` gives a kept paragraph's fingerprint by number.
    pub fn get(&self, fingerprint: u64, of: impl Fn(u32) -> u64) -> Option<u32> {
        let top = fingerprint >> 32;
        let mut b = self.home(fingerprint);
        loop {
            for &entry in &self.buckets[b].0 {
                if entry == 0 {
                    return None;
                }
                let number = (entry as u32).wrapping_sub(1);
                if entry >> 32 == top && of(number) == fingerprint {
                    return Some(number);
                }
            }
            b = self.buckets.next(b);
        }
    }

    /// Adds kept paragraph `number` with this fingerprint; a fingerprint
    /// already held keeps its first number.
    pub fn insert(&mut self, fingerprint: u64, number: u32, of: impl Fn(u32) -> u64) {
        if self.buckets.full_at(self.len) {
            self.grow(&of);
        }
        let stored = u64::from(number.checked_add(1).expect("number below 2^32 - 1"));
        let top = fingerprint >> 32;
        let mut b = self.home(fingerprint);
        loop {
            for entry in self.buckets[b].0.iter_mut() {
                if *entry == 0 {
                    *entry = top << 32 | stored;
                    self.len += 1;
                    return;
                }
                if *entry >> 32 == top && of((*entry as u32).wrapping_sub(1)) == fingerprint {
                    return;
                }
            }
            b = self.buckets.next(b);
        }
    }

    /// Doubles the buckets and places every entry again, its fingerprint
    /// fetched by `of`.
    fn grow(&mut self, of: &impl Fn(u32) -> u64) {
        let count = self.buckets.len() * 2;
        let old = std::mem::replace(&mut self.buckets, Lines::new(count));
        self.len = 0;
        for &entry in old.iter().flat_map(|b| &b.0).filter(|&&e| e != 0) {
            // Each fingerprint is held once: the first empty place is its.
            let mut b = self.home(of((entry as u32).wrapping_sub(1)));
            loop {
                if let Some(place) = self.buckets[b].0.iter_mut().find(|e| **e == 0) {
                    *place = entry;
                    self.len += 1;
                    break;
                }
                b = self.buckets.next(b);
            }
        }
    }

    /// Starts fetching the cache line where [`FirstNumbers::get`] of
    /// `fingerprint` will look first, without waiting for it.
    pub fn prefetch(&self, fingerprint: u64) {
        crate::prefetch(&self.buckets[self.home(fingerprint)]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn holds_what_a_map_holds_through_every_doubling() {
        // Few shards and few home buckets, so that buckets fill and probes
        // run on, at the end of a shard too; and fingerprints that agree
        // in their low bits.
        let fingerprint = |i: u64| (i % 3) << 56 | (i % 1_000) << 20 | (i % 7) << 16 | 0xF;
        let mut table = FirstCopies::default();
        let mut map: BTreeMap<u64, u32> = BTreeMap::new();
        for i in 0..20_000u64 {
            let f = fingerprint(i * 37 % 5_003);
            assert_eq!(table.get(f), map.get(&f).copied(), "before {i}");
            table.prefetch(f);
            table.insert(f, i as u32);
            map.entry(f).or_insert(i as u32);
        }
        for (&f, &n) in &map {
            assert_eq!(table.get(f), Some(n));
        }
        assert_eq!(table.get(fingerprint(1) ^ 1 << 40), None);
        let held: usize = table.shards.iter().map(|s| s.len).sum();
        assert_eq!(held, map.len());
    }

    #[test]
    fn numbers_hold_what_a_map_holds_through_every_doubling() {
        // Fingerprints that share their top bits (so that the records are
        // asked), their low bits (so that buckets fill and probes run on,
        // past the last bucket too), or both; from room for 10 entries.
        let fingerprint = |i: u64| (i % 5) << 40 | (i % 3) << 33 | (i % 1_000) << 20 | 0xF;
        let mut table = FirstNumbers::with_capacity(10);
        let mut map: BTreeMap<u64, u32> = BTreeMap::new();
        let mut records: Vec<u64> = Vec::new();
        for i in 0..20_000u64 {
            let f = fingerprint(i * 37 % 5_003);
            let of = |n: u32| records[n as usize];
            assert_eq!(table.get(f, of), map.get(&f).copied(), "before {i}");
            table.prefetch(f);
            if let std::collections::btree_map::Entry::Vacant(place) = map.entry(f) {
                let number = records.len() as u32;
                records.push(f);
                table.insert(f, number, |n: u32| records[n as usize]);
                place.insert(number);
            }
        }
        let of = |n: u32| records[n as usize];
        for (&f, &n) in &map {
            assert_eq!(table.get(f, of), Some(n));
        }
        assert_eq!(table.get(fingerprint(1) ^ 1 << 60, of), None);
        assert_eq!(table.len, map.len());
        // A fingerprint added again keeps its first number.
        let f = fingerprint(7);
        table.insert(f, 19_999, of);
        assert_eq!(table.get(f, of), map.get(&f).copied());
        assert_eq!(table.len, map.len());
    }

    #[test]
    fn numbers_sized_for_all_never_double() {
        let mut table = FirstNumbers::with_capacity(7_000);
        let buckets = table.buckets.len();
        let records: Vec<u64> = (0..7_000u64)
            .map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15))
            .collect();
        for (n, &f) in records.iter().enumerate() {
            table.insert(f, n as u32, |n: u32| records[n as usize]);
        }
        assert_eq!(table.buckets.len(), buckets);
        let of = |n: u32| records[n as usize];
        assert_eq!(table.get(records[6_999], of), Some(6_999));
        let empty = FirstNumbers::with_capacity(0);
        assert_eq!(empty.get(0, |_| unreachable!("nothing held")), None);
    }

    #[test]
    fn an_empty_table_finds_nothing() {
        let table = FirstCopies::default();
        table.prefetch(42);
        assert_eq!(table.get(42), None);
        assert_eq!(table.get(u64::MAX), None);
    }

    #[test]
    fn number_zero_and_the_largest_are_held() {
        let mut table = FirstCopies::default();
        table.insert(0, 0);
        table.insert(u64::MAX, u32::MAX - 1);
        assert_eq!(table.get(0), Some(0));
        assert_eq!(table.get(u64::MAX), Some(u32::MAX - 1));
    }
}
