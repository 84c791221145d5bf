//! Tables of cache-line buckets, for the decision's tables that grow
//! larger than the processor's caches: the anchor table's shards
//! ([`super::index`]) and the first-copy table of a run of two passes
//! ([`super::first::FirstNumbers`]).
//!
//! A bucket holds eight 8-byte entries, 0 for an empty place, and is one
//! 64-byte line, so that a look-up reads one line and can ask for it
//! ahead. A key is placed by scaling some of its bits to the number of
//! buckets, which need not be a power of two (a table is sized to what it
//! will hold, not to the next power), and probed in turn from there, the
//! first bucket after the last. A table is filled at most 7/8 full, so
//! that a probe meets an empty place soon.

/// Entries a bucket holds.
pub const ENTRIES: usize = 8;

/// A bucket: entries filled from the front, 0 for an empty place. Aligned
/// to a cache line.
#[derive(Debug, Clone, Copy, Default)]
#[repr(C, align(64))]
pub struct Line(pub [u64; ENTRIES]);

const _: () = assert!(size_of::<Line>() == 64, "a bucket is one cache line");

/// The buckets of one table (see the module doc).
#[derive(Debug, Default)]
pub struct Lines(Vec<Line>);

impl Lines {
    /// `count` empty buckets.
    pub fn new(count: usize) -> Lines {
        Lines(vec![Line::default(); count])
    }

    /// Buckets that hold `entries` at most 7/8 full; at least one.
    pub fn for_entries(entries: usize) -> Lines {
        Lines::new((entries * 8).div_ceil(ENTRIES * 7).max(1))
    }

    /// Whether one entry more than `held` would fill them past 7/8.
    pub fn full_at(&self, held: usize) -> bool {
        (held + 1) * 8 > self.0.len() * ENTRIES * 7
    }

    /// Buckets held.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The bucket a probe starts at for `place`, a number below
    /// `2^bits`, scaled to the number of buckets (fewer than 2^32). There
    /// must be buckets.
    pub fn home(&self, place: u64, bits: u32) -> usize {
        debug_assert!(bits == 64 || place >> bits == 0);
        ((place * self.0.len() as u64) >> bits) as usize
    }

    /// The bucket probed after bucket `b`: the first after the last.
    pub fn next(&self, b: usize) -> usize {
        match b + 1 {
            n if n == self.0.len() => 0,
            n => n,
        }
    }

    /// Every bucket, in order.
    pub fn iter(&self) -> std::slice::Iter<'_, Line> {
        self.0.iter()
    }
}

impl std::ops::Index<usize> for Lines {
    type Output = Line;

    fn index(&self, b: usize) -> &Line {
        &self.0[b]
    }
}

impl std::ops::IndexMut<usize> for Lines {
    fn index_mut(&mut self, b: usize) -> &mut Line {
        &mut self.0[b]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_scale_to_every_bucket_and_probes_wrap() {
        let lines = Lines::new(5);
        let homes: Vec<usize> = (0..16).map(|p| lines.home(p, 4)).collect();
        assert_eq!(homes, [0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4]);
        assert_eq!(
            (0..5).map(|b| lines.next(b)).collect::<Vec<_>>(),
            [1, 2, 3, 4, 0]
        );
    }

    #[test]
    fn buckets_for_entries_fill_at_most_seven_eighths() {
        for entries in [0, 1, 7, 55, 56, 57, 1_000] {
            let lines = Lines::for_entries(entries);
            assert!(!lines.is_empty());
            assert!(entries * 8 <= lines.len() * ENTRIES * 7, "{entries}");
            assert!(!lines.full_at(entries.saturating_sub(1)), "{entries}");
            assert!(lines.len() == 1 || (entries * 8) > (lines.len() - 1) * ENTRIES * 7);
        }
    }
}
