//! The first pass's shingles, kept for the second in temporary files.
//!
//! Both passes need a paragraph's shingles: the first to sketch its
//! document ([`super::minhash`]), the second to match near-duplicates.
//! Making them twice cost about a fifth of the second pass's work; holding
//! them in memory would take more than the text itself. So the first pass
//! appends each document's shingles to a file, and the second reads them
//! back: one read a document, and one a paragraph for a candidate source
//! of a near-duplicate.
//!
//! The second pass compares shingles by the low 32 bits of their hashes
//! ([`kept_bits`]), and the spool holds no more: half the bytes to write
//! and to read again. Two different shingles of a paragraph and its
//! candidate sources agree in those bits about once in 2^32 pairs; such a
//! pair would count one word more as covered. The anchors, which the first
//! pass chooses on the whole hashes, and the anchor table's keys (their
//! low 32 bits already) are the same as before.
//!
//! A document's record holds the paragraphs whose shingles were kept, in
//! document order: first the hashes of each, one paragraph after another
//! (their low 32 bits), then for each its word count, the runs of its
//! shingle starts (a count, then a (first start, length) pair a run) and
//! its anchors ([`crate::decide::index`]: a count, then the index of each
//! among its shingles), all little-endian u32. Shingles start on
//! consecutive words inside a sentence, so a paragraph takes a few pairs
//! rather than a number a shingle. The hashes come first so that one
//! paragraph's can be read alone, at an offset worked out from the shingle
//! counts before it. The anchors are chosen once, by the first pass, which
//! counts them to size the decision's table; about one shingle in nine is
//! one.
//!
//! Each worker thread appends to a file of its own: a file takes one write
//! at a time, and with one file for all the workers of the first pass
//! waited for each other there (3% of a run's CPU time spinning on the
//! file's lock, at 1 GB). Records go in as documents are read, so their
//! order in the files is not the input order; nothing but the places
//! ([`Place`]) depends on it.

use super::Shingles;
use std::fs::File;
use std::io;
use std::sync::atomic::{AtomicU64, Ordering};

/// A shingle hash as the second pass compares it: its low 32 bits, all
/// the spool holds (see the module doc).
pub fn kept_bits(hash: u64) -> u64 {
    hash & 0xffff_ffff
}

/// Bytes a shingle's hash takes in a record.
const HASH_BYTES: usize = 4;

/// The temporary files of shingles (see the module doc).
#[derive(Debug)]
pub struct Spool {
    /// One file for each worker thread: a file takes one write at a time
    /// (its lock is held while the bytes are copied in), and with one
    /// file the workers of the first pass waited for each other there.
    parts: Vec<Part>,
}

/// One file of a [`Spool`].
#[derive(Debug)]
struct Part {
    file: File,
    /// Bytes taken by the records appended so far.
    end: AtomicU64,
    /// Writes one at a time where a write at an offset is not at hand.
    #[cfg(not(unix))]
    lock: std::sync::Mutex<()>,
}

/// Where a document's record is in the spool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    /// Offset of the record in its file.
    pub offset: u64,
    /// Its length in bytes.
    pub len: u32,
    /// Which of the spool's files holds it.
    pub part: u16,
}

impl Spool {
    /// A spool in `file`, a temporary file, empty.
    pub fn new(file: File) -> Spool {
        Spool::in_files(vec![file])
    }

    /// A spool in `files`, empty temporary files, at least one: a thread
    /// of a rayon pool appends to the one of its index (modulo their
    /// number), any other thread to the first.
    pub fn in_files(files: Vec<File>) -> Spool {
        assert!(!files.is_empty(), "a spool needs a file");
        let parts = files
            .into_iter()
            .take(usize::from(u16::MAX))
            .map(|file| Part {
                file,
                end: AtomicU64::new(0),
                #[cfg(not(unix))]
                lock: std::sync::Mutex::new(()),
            })
            .collect();
        Spool { parts }
    }

    /// Appends a document's record ([`Record::finish`]); where it went.
    pub fn append(&self, record: &[u8]) -> io::Result<Place> {
        let len = u32::try_from(record.len())
            .map_err(|_| io::Error::other("a document's shingles take 4 GiB or more"))?;
        let index = rayon::current_thread_index().unwrap_or(0) % self.parts.len();
        let part = &self.parts[index];
        let offset = part.end.fetch_add(u64::from(len), Ordering::Relaxed);
        part.write_at(record, offset)?;
        Ok(Place {
            offset,
            len,
            // Fewer than 2^16 parts (`in_files`).
            part: index as u16,
        })
    }

    /// The record at `place`.
    pub fn record(&self, place: Place) -> io::Result<Vec<u8>> {
        self.part(place)?.read_at(place.len as usize, place.offset)
    }

    /// The `count` shingle hashes ([`kept_bits`]) that start `skip` hashes
    /// into the record at `place`: one paragraph's, when `skip` counts the
    /// hashes of the paragraphs stored before it.
    pub fn hashes(&self, place: Place, skip: usize, count: usize) -> io::Result<Vec<u64>> {
        let (start, len) = (skip * HASH_BYTES, count * HASH_BYTES);
        if start + len > place.len as usize {
            return Err(io::Error::other("past the end of the document's record"));
        }
        let bytes = self
            .part(place)?
            .read_at(len, place.offset + start as u64)?;
        Ok(bytes
            .chunks_exact(HASH_BYTES)
            .map(|b| u64::from(le_u32(b)))
            .collect())
    }

    fn part(&self, place: Place) -> io::Result<&Part> {
        self.parts
            .get(usize::from(place.part))
            .ok_or_else(|| io::Error::other("no such file in the spool"))
    }
}

impl Part {
    #[cfg(unix)]
    fn write_at(&self, bytes: &[u8], offset: u64) -> io::Result<()> {
        std::os::unix::fs::FileExt::write_all_at(&self.file, bytes, offset)
    }

    #[cfg(unix)]
    fn read_at(&self, len: usize, offset: u64) -> io::Result<Vec<u8>> {
        crate::read::bytes_at(&self.file, len, offset)
    }

    #[cfg(not(unix))]
    fn write_at(&self, bytes: &[u8], offset: u64) -> io::Result<()> {
        use std::io::{Seek, SeekFrom, Write};
        let _one = self.lock.lock().unwrap_or_else(|e| e.into_inner());
        let mut file = &self.file;
        file.seek(SeekFrom::Start(offset))?;
        file.write_all(bytes)
    }

    #[cfg(not(unix))]
    fn read_at(&self, len: usize, offset: u64) -> io::Result<Vec<u8>> {
        let _one = self.lock.lock().unwrap_or_else(|e| e.into_inner());
        crate::read::bytes_at(&self.file, len, offset)
    }
}

/// A document's record, paragraph by paragraph.
#[derive(Debug, Default)]
pub struct Record {
    hashes: Vec<u8>,
    rest: Vec<u8>,
}

impl Record {
    /// Adds the next stored paragraph's shingles, and the indices of its
    /// anchors among them.
    pub fn add(&mut self, shingles: &Shingles, anchors: &[u32]) {
        let at = self.hashes.len();
        self.hashes
            .resize(at + shingles.hashes.len() * HASH_BYTES, 0);
        // Arrays rather than slices: no check of each one's length.
        let (room, _) = self.hashes[at..].as_chunks_mut::<HASH_BYTES>();
        for (bytes, &h) in room.iter_mut().zip(&shingles.hashes) {
            // The low 32 bits (`kept_bits`).
            *bytes = (h as u32).to_le_bytes();
        }
        // Paragraphs are shorter than 4 GiB, and so are their word counts.
        self.put(shingles.words as u32);
        // The runs: their count, filled in once they are counted, then a
        // (first start, length) pair each.
        let count_at = self.rest.len();
        self.put(0);
        let mut runs = 0u32;
        let starts = &shingles.starts;
        let mut i = 0;
        while let Some(&first) = starts.get(i) {
            // Fewer than 2^32 shingles in a paragraph.
            let len = starts[i..]
                .iter()
                .zip(first..)
                .take_while(|&(&start, expected)| start == expected)
                .count() as u32;
            self.put(first);
            self.put(len);
            runs += 1;
            i += len as usize;
        }
        self.rest[count_at..count_at + 4].copy_from_slice(&runs.to_le_bytes());
        // No more anchors than shingles.
        self.put(anchors.len() as u32);
        for &anchor in anchors {
            self.put(anchor);
        }
    }

    fn put(&mut self, n: u32) {
        self.rest.extend_from_slice(&n.to_le_bytes());
    }

    /// Whether no paragraph was added.
    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty() && self.rest.is_empty()
    }

    /// The record's bytes. No paragraph may be added after this, until
    /// [`Record::clear`].
    pub fn finish(&mut self) -> &[u8] {
        self.hashes.extend_from_slice(&self.rest);
        self.rest.clear();
        &self.hashes
    }

    /// Bytes it has room for.
    pub fn room(&self) -> usize {
        self.hashes.capacity() + self.rest.capacity()
    }

    /// Empties the record for the next document, keeping its room.
    pub fn clear(&mut self) {
        self.hashes.clear();
        self.rest.clear();
    }
}

/// The shingles of the stored paragraphs of `record`, whose shingle counts
/// are `counts`, in order; each made `width` words wide, as they were.
#[cfg(test)]
pub fn decode(record: &[u8], counts: &[usize], width: usize) -> io::Result<Vec<Shingles>> {
    Ok(paragraphs(record, counts)?
        .into_iter()
        .map(|stored| {
            let mut shingles = Shingles {
                words: stored.words,
                width: width.max(1),
                ..Shingles::default()
            };
            stored.append_hashes(&mut shingles.hashes);
            stored.append_starts(&mut shingles.starts);
            shingles
        })
        .collect())
}

/// One stored paragraph of a record, read where it lies ([`paragraphs`]).
#[derive(Debug, Clone, Copy)]
pub struct Stored<'r> {
    /// Its shingle hashes' low 32 bits, little-endian.
    hashes: &'r [u8],
    /// The runs of its shingle starts: (first start, length) pairs,
    /// little-endian u32.
    runs: &'r [u8],
    /// The indices of its anchors among its shingles, little-endian u32.
    anchors: &'r [u8],
    /// Words in the paragraph.
    pub words: usize,
}

impl Stored<'_> {
    /// Appends its shingle hashes ([`kept_bits`]) to `out`, in order.
    pub fn append_hashes(&self, out: &mut Vec<u64>) {
        out.extend(
            self.hashes
                .chunks_exact(HASH_BYTES)
                .map(|b| u64::from(le_u32(b))),
        );
    }

    /// Appends the first word of each of its shingles to `out`, in order.
    pub fn append_starts(&self, out: &mut Vec<u32>) {
        for run in self.runs.chunks_exact(8) {
            let (first, len) = (le_u32(&run[..4]), le_u32(&run[4..]));
            // Checked by `paragraphs`.
            out.extend(first..first + len);
        }
    }

    /// Appends the indices of its anchors among its shingles to `out`, in
    /// order.
    pub fn append_anchors(&self, out: &mut Vec<u32>) {
        out.extend(self.anchors.chunks_exact(4).map(le_u32));
    }
}

/// The stored paragraphs of `record`, whose shingle counts are `counts`,
/// in order, read where they lie in it: the second pass copies them once,
/// into the document's block of shingles, rather than into vectors of
/// their own first. An error when the record does not hold them whole.
pub fn paragraphs<'r>(record: &'r [u8], counts: &[usize]) -> io::Result<Vec<Stored<'r>>> {
    fn bad() -> io::Error {
        io::Error::other("a damaged record of shingles")
    }
    /// The first `n` bytes of `rest`, taken off it.
    fn take<'r>(rest: &mut &'r [u8], n: usize) -> io::Result<&'r [u8]> {
        let (taken, after) = rest.split_at_checked(n).ok_or_else(bad)?;
        *rest = after;
        Ok(taken)
    }
    let total: usize = counts.iter().sum();
    let mut rest = record;
    let mut hashes = take(&mut rest, total.checked_mul(HASH_BYTES).ok_or_else(bad)?)?;
    let mut out = Vec::with_capacity(counts.len());
    for &count in counts {
        let own = take(&mut hashes, count * HASH_BYTES)?;
        let head = take(&mut rest, 8)?;
        let (words, runs) = (le_u32(&head[..4]) as usize, le_u32(&head[4..]) as usize);
        let runs = take(&mut rest, runs.checked_mul(8).ok_or_else(bad)?)?;
        let mut starts = 0usize;
        for run in runs.chunks_exact(8) {
            let (first, len) = (le_u32(&run[..4]), le_u32(&run[4..]));
            first.checked_add(len).ok_or_else(bad)?;
            starts += len as usize;
        }
        if starts != count {
            return Err(bad());
        }
        let anchors = le_u32(take(&mut rest, 4)?) as usize;
        let anchors = take(&mut rest, anchors.checked_mul(4).ok_or_else(bad)?)?;
        if anchors.chunks_exact(4).any(|a| le_u32(a) as usize >= count) {
            return Err(bad());
        }
        out.push(Stored {
            hashes: own,
            runs,
            anchors,
            words,
        });
    }
    match rest.is_empty() {
        true => Ok(out),
        false => Err(bad()),
    }
}

fn le_u32(bytes: &[u8]) -> u32 {
    let mut word = [0; 4];
    word.copy_from_slice(bytes);
    u32::from_le_bytes(word)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decide::index::append_anchor_positions;
    use crate::fingerprint::shingled;

    const PARAGRAPHS: [&str; 3] = [
        "The council said on Monday that it would not open the new library this year. \
         Builders found asbestos in the roof. Work stopped.",
        "Ministers from both sides will meet again in Geneva next week to talk it over.",
        "Short. Very short. Still short. But this sentence is long enough for shingles.",
    ];

    /// The indices of the anchors of `shingles`.
    fn anchors(shingles: &Shingles) -> Vec<u32> {
        let mut chosen = Vec::new();
        append_anchor_positions(&shingles.hashes, &shingles.starts, &mut chosen);
        chosen
    }

    /// `shingles` as the spool gives them back: their hashes' low 32 bits.
    fn kept(shingles: &Shingles) -> Shingles {
        Shingles {
            hashes: shingles.hashes.iter().map(|&h| kept_bits(h)).collect(),
            ..shingles.clone()
        }
    }

    #[test]
    fn records_give_back_the_shingles_they_were_made_of() {
        let spool = Spool::new(tempfile::tempfile().expect("a temporary file"));
        let made: Vec<Shingles> = PARAGRAPHS.iter().map(|p| shingled(p)).collect();
        let mut record = Record::default();
        assert!(record.is_empty());
        made.iter().for_each(|s| record.add(s, &anchors(s)));
        // Another document's record first, so that offsets matter.
        let other = spool.append(&[7; 13]).expect("written");
        let place = spool.append(record.finish()).expect("written");
        assert_eq!(other.offset, 0);
        assert_eq!(place.offset, 13);
        let counts: Vec<usize> = made.iter().map(Shingles::len).collect();
        let bytes = spool.record(place).expect("read");
        let kept_made: Vec<Shingles> = made.iter().map(kept).collect();
        assert_eq!(decode(&bytes, &counts, 5).expect("decoded"), kept_made);
        assert_eq!(
            spool.hashes(place, counts[0], counts[1]).expect("read"),
            kept_made[1].hashes
        );
        // Hashes that differ above their low 32 bits, as made.
        assert!(made.iter().any(|s| s.hashes.iter().any(|&h| h >> 32 != 0)));
        assert!(spool.hashes(place, counts[0], place.len as usize).is_err());
    }

    #[test]
    fn stored_paragraphs_append_their_shingles_to_what_is_there() {
        let made: Vec<Shingles> = PARAGRAPHS.iter().map(|p| shingled(p)).collect();
        let mut record = Record::default();
        made.iter().for_each(|s| record.add(s, &anchors(s)));
        let bytes = record.finish().to_vec();
        let counts: Vec<usize> = made.iter().map(Shingles::len).collect();
        let read = paragraphs(&bytes, &counts).expect("whole");
        assert_eq!(read.len(), made.len());
        for (stored, shingles) in read.iter().zip(&made) {
            let (mut hashes, mut starts, mut chosen) = (vec![7], vec![7], vec![7]);
            stored.append_hashes(&mut hashes);
            stored.append_starts(&mut starts);
            stored.append_anchors(&mut chosen);
            assert_eq!(hashes[1..], kept(shingles).hashes[..]);
            assert_eq!(starts[1..], shingles.starts[..]);
            assert_eq!(chosen[1..], anchors(shingles)[..]);
            assert!(chosen.len() > 1);
            assert_eq!(stored.words, shingles.words);
        }
        // A record holds exactly the paragraphs it is read for.
        assert!(paragraphs(&bytes, &counts[..2]).is_err());
    }

    #[test]
    fn each_worker_appends_to_a_file_of_its_own_and_every_record_reads_back() {
        let files = (0..3)
            .map(|_| tempfile::tempfile().expect("a temporary file"))
            .collect();
        let spool = Spool::in_files(files);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .expect("a pool");
        // Every worker appends records of its own, twice over.
        let appended: Vec<(Vec<u8>, Place)> = pool
            .broadcast(|ctx| {
                (0..2)
                    .map(|round| {
                        let record = vec![(ctx.index() * 2 + round) as u8; 5 + ctx.index()];
                        let place = spool.append(&record).expect("written");
                        (record, place)
                    })
                    .collect::<Vec<_>>()
            })
            .into_iter()
            .flatten()
            .collect();
        let mut parts: Vec<u16> = appended.iter().map(|(_, place)| place.part).collect();
        parts.sort_unstable();
        assert_eq!(parts, [0, 0, 1, 1, 2, 2]);
        for (record, place) in &appended {
            assert_eq!(&spool.record(*place).expect("read"), record);
        }
        // Off the pool, the first file.
        assert_eq!(spool.append(&[9]).expect("written").part, 0);
        let elsewhere = Place {
            part: 3,
            ..appended[0].1
        };
        assert!(spool.record(elsewhere).is_err());
    }

    #[test]
    fn damaged_records_are_refused() {
        let made = shingled(PARAGRAPHS[0]);
        let mut record = Record::default();
        record.add(&made, &anchors(&made));
        let bytes = record.finish().to_vec();
        let counts = [made.len()];
        assert!(decode(&bytes, &counts, 5).is_ok());
        assert!(decode(&bytes[..bytes.len() - 1], &counts, 5).is_err());
        // An anchor past the paragraph's shingles.
        let mut past = bytes.clone();
        let last = past.len() - 4;
        past[last..].copy_from_slice(&(made.len() as u32).to_le_bytes());
        assert!(decode(&past, &counts, 5).is_err());
        assert!(decode(&bytes, &[made.len() + 1], 5).is_err());
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(decode(&longer, &counts, 5).is_err());
    }
}
