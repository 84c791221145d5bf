//! The fingerprint index of a corpus: what a new drop is checked against.
//!
//! `dedupe index build CORPUS -o corpus.idx` runs the pipeline on a corpus
//! and keeps, for every paragraph it keeps, what duplicate detection needs:
//! the exact fingerprint, the near-duplicate anchors and shingles, and where
//! the paragraph was first seen (document name, paragraph index, byte span).
//! `--against corpus.idx` on a run or a check makes every paragraph of the
//! new documents that repeats the corpus a duplicate (or near-duplicate) of
//! the corpus paragraph, named in the report with scope `corpus`. `dedupe
//! index add NEW --index corpus.idx` adds the paragraphs of an accepted
//! drop that the corpus does not already have.
//!
//! # File format, version 1
//!
//! One file, little-endian, read through a memory map; every table is a
//! sorted or indexed array of fixed-width entries, so a look-up is a binary
//! search that touches a few pages and nothing is loaded at start.
//!
//! ```text
//! magic "DDPINDEX" | u32 version | u32 header length | header (JSON) | padding to 8
//! fingerprints  F × u64   exact fingerprints, ascending
//! owners        F × u32   paragraph number of each fingerprint
//! anchors       A × u32   low 32 bits of anchor shingles, ascending
//! holders       A × u32   paragraph number of each anchor (the first that had it)
//! paragraphs    P × 6 u32 document, paragraph, start, end, first shingle, shingle count
//! shingles      S × u32   low 32 bits of each paragraph's distinct shingles, sorted per paragraph
//! names         (D+1) × u64 offsets, then the UTF-8 names of the documents
//! ```
//!
//! The header holds the parameters the fingerprints depend on (hash, seed,
//! normalisation, shingle width, anchor window, whether shingles were
//! stored) and the table sizes. A run whose parameters differ is refused:
//! its fingerprints would never match.
//!
//! Size: 12 bytes a kept paragraph for the exact table, 24 for its location,
//! 4 bytes a shingle (about a word) and 8 an anchor (about one shingle in
//! four), plus the names: about 6 bytes a word of kept text, or 0.8 to 1
//! times the size of the corpus's text. A look-up is one binary search in
//! the fingerprints per paragraph, and one in the anchors per shingle, plus
//! reading the shingles of at most two candidate sources.
//!
//! # Updates
//!
//! An index is never changed in place: `index add` writes a new file beside
//! it under a temporary name, syncs it and renames it over the old one. A
//! crash at any point leaves either the old index or the new one, whole.

use crate::decide::ParagraphShingles;
use crate::error::Fatal;
use crate::fingerprint;
use crate::segment::Span;
use memmap2::Mmap;
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

const MAGIC: &[u8; 8] = b"DDPINDEX";
/// The version of the file format described in the module doc.
pub const FORMAT_VERSION: u32 = 1;

/// What the fingerprints of an index depend on; a run must agree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Parameters {
    /// The fingerprint hash.
    pub hash: String,
    /// Its seed, as 16 hex digits.
    pub seed: String,
    /// The normalisation steps, in order.
    pub normalization: Vec<String>,
    /// Words per shingle.
    pub shingle_width: usize,
    /// Shingles per winnowing window of the anchors.
    pub anchor_window: usize,
    /// Whether shingles and anchors are stored (false for an index built
    /// with `--exact`).
    pub near_duplicates: bool,
}

impl Parameters {
    /// The parameters of a run with this shingle width.
    pub fn current(shingle_width: usize, near_duplicates: bool) -> Parameters {
        Parameters {
            hash: "xxh3-64".to_string(),
            seed: fingerprint::hex(fingerprint::SEED),
            normalization: fingerprint::NORMALIZATION
                .iter()
                .map(|s| s.to_string())
                .collect(),
            shingle_width,
            anchor_window: crate::decide::index::WINDOW,
            near_duplicates,
        }
    }

    /// Why a run with parameters `run` cannot use an index built with
    /// `self`, if it cannot.
    pub fn mismatch(&self, run: &Parameters) -> Option<String> {
        let differ = |what: &str, index: &dyn std::fmt::Debug, run: &dyn std::fmt::Debug| {
            Some(format!(
                "it was built with {what} {index:?} and this run uses {run:?}"
            ))
        };
        if self.hash != run.hash || self.seed != run.seed {
            return differ("hash", &(&self.hash, &self.seed), &(&run.hash, &run.seed));
        }
        if self.normalization != run.normalization {
            return differ("normalisation", &self.normalization, &run.normalization);
        }
        if self.anchor_window != run.anchor_window {
            return differ("anchor window", &self.anchor_window, &run.anchor_window);
        }
        if run.near_duplicates && self.shingle_width != run.shingle_width {
            return Some(format!(
                "it was built with --shingle-width {} and this run uses {}; \
                 pass --shingle-width {} or rebuild the index",
                self.shingle_width, run.shingle_width, self.shingle_width
            ));
        }
        if run.near_duplicates && !self.near_duplicates {
            return Some(
                "it was built with --exact and holds no shingles; \
                 pass --exact or rebuild the index without it"
                    .to_string(),
            );
        }
        None
    }
}

/// Table sizes, in entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Counts {
    documents: u64,
    paragraphs: u64,
    fingerprints: u64,
    anchors: u64,
    shingles: u64,
    name_bytes: u64,
}

#[derive(Debug, Serialize, Deserialize)]
struct Header {
    tool: String,
    parameters: Parameters,
    counts: Counts,
}

/// A paragraph of the indexed corpus: where it was first seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph<'a> {
    /// The document's name, as the run that indexed it named it.
    pub document: &'a str,
    /// Index of the paragraph in its document.
    pub paragraph: usize,
    /// First byte of the paragraph in its document.
    pub start: usize,
    /// One past its last byte.
    pub end: usize,
}

/// Byte ranges of the tables in the file.
#[derive(Debug, Clone, Copy)]
struct Layout {
    fingerprints: usize,
    owners: usize,
    anchors: usize,
    holders: usize,
    paragraphs: usize,
    shingles: usize,
    name_offsets: usize,
    names: usize,
    end: usize,
}

impl Layout {
    fn new(header_end: usize, c: &Counts) -> Layout {
        let align = |x: usize| x.div_ceil(8) * 8;
        let fingerprints = align(header_end);
        let owners = fingerprints + 8 * c.fingerprints as usize;
        let anchors = align(owners + 4 * c.fingerprints as usize);
        let holders = anchors + 4 * c.anchors as usize;
        let paragraphs = align(holders + 4 * c.anchors as usize);
        let shingles = paragraphs + 24 * c.paragraphs as usize;
        let name_offsets = align(shingles + 4 * c.shingles as usize);
        let names = name_offsets + 8 * (c.documents as usize + 1);
        let end = names + c.name_bytes as usize;
        Layout {
            fingerprints,
            owners,
            anchors,
            holders,
            paragraphs,
            shingles,
            name_offsets,
            names,
            end,
        }
    }
}

/// An index file, open for look-ups.
#[derive(Debug)]
pub struct Index {
    path: PathBuf,
    map: Mmap,
    header: Header,
    layout: Layout,
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"))
}

fn u64_at(bytes: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(bytes[at..at + 8].try_into().expect("8 bytes"))
}

/// Binary search in a table of `n` sorted keys read by `key`; the first
/// position whose key is not less than `x`.
fn lower_bound(n: usize, x: u64, key: impl Fn(usize) -> u64) -> usize {
    let (mut lo, mut hi) = (0, n);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if key(mid) < x {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

impl Index {
    /// Opens the index at `path` and checks that it is whole.
    pub fn open(path: &Path) -> Result<Index, Fatal> {
        let bad = |why: &str| {
            Fatal::new(format!(
                "{} is not a usable dedupe index: {why}",
                path.display()
            ))
        };
        let file = File::open(path).map_err(|e| Fatal::io("open index", path, &e))?;
        // SAFETY: the file is only ever replaced by a rename, never written
        // in place (see the module doc), so the mapped bytes do not change
        // while they are read.
        let map = unsafe { Mmap::map(&file) }.map_err(|e| Fatal::io("map index", path, &e))?;
        if map.len() < 16 || &map[..8] != MAGIC {
            return Err(bad("it does not start with the index signature"));
        }
        let version = u32_at(&map, 8);
        if version != FORMAT_VERSION {
            return Err(bad(&format!(
                "its format version is {version}; this dedupe reads version {FORMAT_VERSION}"
            )));
        }
        let header_len = u32_at(&map, 12) as usize;
        let header_end = 16 + header_len;
        let header: Header = map
            .get(16..header_end)
            .and_then(|h| serde_json::from_slice(h).ok())
            .ok_or_else(|| bad("its header is damaged"))?;
        let layout = Layout::new(header_end, &header.counts);
        if layout.end != map.len() {
            return Err(bad(&format!(
                "it is {} bytes long, but its header describes {} bytes",
                map.len(),
                layout.end
            )));
        }
        let index = Index {
            path: path.to_path_buf(),
            map,
            header,
            layout,
        };
        let names_end = u64_at(
            &index.map,
            index.layout.name_offsets + 8 * index.documents(),
        );
        if names_end != index.header.counts.name_bytes {
            return Err(bad("its name table is damaged"));
        }
        Ok(index)
    }

    /// Where the index was read from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The parameters it was built with.
    pub fn parameters(&self) -> &Parameters {
        &self.header.parameters
    }

    /// Refuses a run whose parameters differ from the index's.
    pub fn check(&self, run: &Parameters) -> Result<(), Fatal> {
        match self.header.parameters.mismatch(run) {
            None => Ok(()),
            Some(why) => Err(Fatal::new(format!(
                "cannot check against {}: {why}",
                self.path.display()
            ))),
        }
    }

    /// Documents indexed.
    pub fn documents(&self) -> usize {
        self.header.counts.documents as usize
    }

    /// Paragraphs indexed.
    pub fn paragraphs(&self) -> usize {
        self.header.counts.paragraphs as usize
    }

    /// Size of the file in bytes.
    pub fn bytes(&self) -> usize {
        self.map.len()
    }

    /// The number of the indexed paragraph with this exact fingerprint.
    pub fn find(&self, fingerprint: u64) -> Option<u32> {
        let n = self.header.counts.fingerprints as usize;
        let at = |i: usize| u64_at(&self.map, self.layout.fingerprints + 8 * i);
        let i = lower_bound(n, fingerprint, at);
        (i < n && at(i) == fingerprint).then(|| u32_at(&self.map, self.layout.owners + 4 * i))
    }

    /// The number of the first indexed paragraph that had `shingle` as an
    /// anchor (compared on its low 32 bits, as [`crate::decide::index`]).
    pub fn holder(&self, shingle: u64) -> Option<u32> {
        let n = self.header.counts.anchors as usize;
        let key = u64::from(shingle as u32);
        let at = |i: usize| u64::from(u32_at(&self.map, self.layout.anchors + 4 * i));
        let i = lower_bound(n, key, at);
        (i < n && at(i) == key).then(|| u32_at(&self.map, self.layout.holders + 4 * i))
    }

    fn paragraph_fields(&self, number: u32) -> [u32; 6] {
        let base = self.layout.paragraphs + 24 * number as usize;
        std::array::from_fn(|k| u32_at(&self.map, base + 4 * k))
    }

    /// The low 32 bits of each distinct shingle of paragraph `number`, into
    /// `out` (widened, ascending).
    pub fn shingles(&self, number: u32, out: &mut Vec<u64>) {
        let [_, _, _, _, first, count] = self.paragraph_fields(number);
        let base = self.layout.shingles + 4 * first as usize;
        out.extend((0..count as usize).map(|k| u64::from(u32_at(&self.map, base + 4 * k))));
    }

    /// Where paragraph `number` was first seen.
    pub fn paragraph(&self, number: u32) -> Paragraph<'_> {
        let [doc, para, start, end, _, _] = self.paragraph_fields(number);
        Paragraph {
            document: self.name(doc as usize),
            paragraph: para as usize,
            start: start as usize,
            end: end as usize,
        }
    }

    fn name(&self, doc: usize) -> &str {
        let offset = |i: usize| u64_at(&self.map, self.layout.name_offsets + 8 * i) as usize;
        let bytes = &self.map[self.layout.names + offset(doc)..self.layout.names + offset(doc + 1)];
        std::str::from_utf8(bytes).unwrap_or("?")
    }
}

/// One paragraph of a [`Builder`].
#[derive(Debug, Clone, Copy)]
struct Entry {
    doc: u32,
    para: u32,
    start: u32,
    end: u32,
    first_shingle: u64,
    shingles: u32,
}

/// An index being built in memory, then written whole.
#[derive(Debug)]
pub struct Builder {
    parameters: Parameters,
    names: Vec<String>,
    paragraphs: Vec<Entry>,
    fingerprints: Vec<(u64, u32)>,
    anchors: Vec<(u32, u32)>,
    shingles: Vec<u32>,
}

impl Builder {
    /// An empty index with these parameters.
    pub fn new(parameters: Parameters) -> Builder {
        Builder {
            parameters,
            names: Vec::new(),
            paragraphs: Vec::new(),
            fingerprints: Vec::new(),
            anchors: Vec::new(),
            shingles: Vec::new(),
        }
    }

    /// A builder holding everything `index` holds, to add to it.
    pub fn from_index(index: &Index) -> Builder {
        let mut b = Builder::new(index.parameters().clone());
        let c = index.header.counts;
        b.names = (0..index.documents())
            .map(|d| index.name(d).to_string())
            .collect();
        let mut buffer = Vec::new();
        for number in 0..c.paragraphs as u32 {
            let [doc, para, start, end, _, _] = index.paragraph_fields(number);
            buffer.clear();
            index.shingles(number, &mut buffer);
            b.paragraphs.push(Entry {
                doc,
                para,
                start,
                end,
                first_shingle: b.shingles.len() as u64,
                shingles: buffer.len() as u32,
            });
            b.shingles.extend(buffer.iter().map(|&s| s as u32));
        }
        let l = index.layout;
        b.fingerprints = (0..c.fingerprints as usize)
            .map(|i| {
                (
                    u64_at(&index.map, l.fingerprints + 8 * i),
                    u32_at(&index.map, l.owners + 4 * i),
                )
            })
            .collect();
        b.anchors = (0..c.anchors as usize)
            .map(|i| {
                (
                    u32_at(&index.map, l.anchors + 4 * i),
                    u32_at(&index.map, l.holders + 4 * i),
                )
            })
            .collect();
        b
    }

    /// Adds a document; its number, for [`Builder::add_paragraph`].
    pub fn add_document(&mut self, name: &str) -> u32 {
        self.names.push(name.to_string());
        (self.names.len() - 1) as u32
    }

    /// Adds a kept paragraph of document `doc`: its fingerprint, and its
    /// shingles and anchors (as the decision chose them) when the index
    /// holds them.
    pub fn add_paragraph(
        &mut self,
        doc: u32,
        para: usize,
        span: Span,
        fingerprint: u64,
        shingles: ParagraphShingles<'_>,
    ) {
        let number = self.paragraphs.len() as u32;
        let first_shingle = self.shingles.len() as u64;
        if self.parameters.near_duplicates && !shingles.is_empty() {
            let mut own: Vec<u32> = shingles.hashes.iter().map(|&h| h as u32).collect();
            own.sort_unstable();
            own.dedup();
            self.shingles.extend_from_slice(&own);
            for anchor in shingles.anchor_hashes() {
                self.anchors.push((anchor as u32, number));
            }
        }
        let clamp = |x: usize| u32::try_from(x).unwrap_or(u32::MAX);
        self.paragraphs.push(Entry {
            doc,
            para: clamp(para),
            start: clamp(span.start),
            end: clamp(span.end),
            first_shingle,
            shingles: (self.shingles.len() as u64 - first_shingle) as u32,
        });
        self.fingerprints.push((fingerprint, number));
    }

    /// Paragraphs held.
    pub fn paragraphs(&self) -> usize {
        self.paragraphs.len()
    }

    /// Writes the index to `path` under a temporary name, syncs it and
    /// renames it into place.
    pub fn write(self, path: &Path) -> Result<(), Fatal> {
        refuse_special(path)?;
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let mut temp = tempfile::Builder::new()
            .prefix(".dedupe-index-")
            .permissions(readable())
            .tempfile_in(dir)
            .map_err(|e| Fatal::io("create a temporary file in", dir, &e))?;
        self.write_to(temp.as_file_mut())
            .and_then(|()| temp.as_file().sync_all())
            .map_err(|e| Fatal::io("write index", path, &e))?;
        temp.persist(path)
            .map_err(|e| Fatal::io("move into place index", path, &e.error))?;
        Ok(())
    }

    /// Writes the index file's bytes (see the module doc) to `out`.
    pub fn write_to(mut self, out: &mut dyn Write) -> io::Result<()> {
        // The first paragraph with a fingerprint or an anchor keeps it.
        self.fingerprints.sort_unstable();
        self.fingerprints.dedup_by_key(|&mut (f, _)| f);
        self.anchors.sort_unstable();
        self.anchors.dedup_by_key(|&mut (a, _)| a);
        let name_bytes: usize = self.names.iter().map(String::len).sum();
        let counts = Counts {
            documents: self.names.len() as u64,
            paragraphs: self.paragraphs.len() as u64,
            fingerprints: self.fingerprints.len() as u64,
            anchors: self.anchors.len() as u64,
            shingles: self.shingles.len() as u64,
            name_bytes: name_bytes as u64,
        };
        let header = serde_json::to_vec(&Header {
            tool: format!("{} {}", env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION")),
            parameters: self.parameters.clone(),
            counts,
        })?;
        let layout = Layout::new(16 + header.len(), &counts);
        let mut w = Counting {
            out: BufWriter::with_capacity(1 << 20, out),
            at: 0,
        };
        w.put(MAGIC)?;
        w.put(&FORMAT_VERSION.to_le_bytes())?;
        w.put(&(header.len() as u32).to_le_bytes())?;
        w.put(&header)?;
        w.pad_to(layout.fingerprints)?;
        for &(f, _) in &self.fingerprints {
            w.put(&f.to_le_bytes())?;
        }
        for &(_, owner) in &self.fingerprints {
            w.put(&owner.to_le_bytes())?;
        }
        w.pad_to(layout.anchors)?;
        for &(a, _) in &self.anchors {
            w.put(&a.to_le_bytes())?;
        }
        for &(_, holder) in &self.anchors {
            w.put(&holder.to_le_bytes())?;
        }
        w.pad_to(layout.paragraphs)?;
        for e in &self.paragraphs {
            let first = u32::try_from(e.first_shingle)
                .map_err(|_| io::Error::other("more than 2^32 shingles in one index"))?;
            for x in [e.doc, e.para, e.start, e.end, first, e.shingles] {
                w.put(&x.to_le_bytes())?;
            }
        }
        for s in &self.shingles {
            w.put(&s.to_le_bytes())?;
        }
        w.pad_to(layout.name_offsets)?;
        let mut offset = 0u64;
        w.put(&offset.to_le_bytes())?;
        for name in &self.names {
            offset += name.len() as u64;
            w.put(&offset.to_le_bytes())?;
        }
        for name in &self.names {
            w.put(name.as_bytes())?;
        }
        debug_assert_eq!(w.at, layout.end);
        w.out.flush()
    }
}

/// Refuses a destination that exists and is not a regular file (a device
/// such as `/dev/null`, a pipe, a directory): renaming a new file over it
/// would replace it.
pub(crate) fn refuse_special(path: &Path) -> Result<(), Fatal> {
    match std::fs::metadata(path) {
        Ok(m) if !m.is_file() => Err(Fatal::new(format!(
            "cannot write {}: it exists and is not a regular file",
            path.display()
        ))),
        _ => Ok(()),
    }
}

/// Read and write for the owner, read for others (0644): what a new file
/// gets under the usual umask, not a temporary file's 0600.
pub(crate) fn readable() -> std::fs::Permissions {
    use std::os::unix::fs::PermissionsExt;
    std::fs::Permissions::from_mode(0o644)
}

/// A writer that knows how far it has written, for padding.
struct Counting<W: Write> {
    out: W,
    at: usize,
}

impl<W: Write> Counting<W> {
    fn put(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.at += bytes.len();
        self.out.write_all(bytes)
    }

    fn pad_to(&mut self, at: usize) -> io::Result<()> {
        while self.at < at {
            self.put(&[0])?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decide::Shingled;
    use crate::fingerprint::{hash, normalize, shingled};

    const A: &str = "The council said on Monday that it would not open the new library \
        before the end of the year because builders found asbestos in the roof.";
    const B: &str = "Ministers from both sides will meet again in Geneva next week to \
        discuss the ceasefire and the exchange of prisoners.";

    fn built(dir: &Path) -> PathBuf {
        let mut b = Builder::new(Parameters::current(5, true));
        let d = b.add_document("one.txt");
        b.add_paragraph(
            d,
            0,
            Span { start: 0, end: 10 },
            hash(&normalize(A)),
            Shingled::of([&shingled(A)]).paragraph(0),
        );
        let e = b.add_document("two/ü.txt");
        b.add_paragraph(
            e,
            3,
            Span { start: 20, end: 90 },
            hash(&normalize(B)),
            Shingled::of([&shingled(B)]).paragraph(0),
        );
        // A later copy of A: the first keeps its fingerprint and anchors.
        b.add_paragraph(
            e,
            4,
            Span { start: 91, end: 99 },
            hash(&normalize(A)),
            Shingled::of([&shingled(A)]).paragraph(0),
        );
        let path = dir.join("c.idx");
        b.write(&path).unwrap();
        path
    }

    #[test]
    fn round_trip_and_look_ups() {
        let dir = tempfile::tempdir().unwrap();
        let index = Index::open(&built(dir.path())).unwrap();
        assert_eq!((index.documents(), index.paragraphs()), (2, 3));
        let b = index.find(hash(&normalize(B))).unwrap();
        let found = index.paragraph(b);
        assert_eq!(
            found,
            Paragraph {
                document: "two/ü.txt",
                paragraph: 3,
                start: 20,
                end: 90
            }
        );
        assert_eq!(
            index
                .paragraph(index.find(hash(&normalize(A))).unwrap())
                .document,
            "one.txt"
        );
        assert_eq!(index.find(hash(&normalize("something else"))), None);
        let s = shingled(&A.replace("Monday", "Tuesday"));
        let holders: Vec<u32> = s.hashes.iter().filter_map(|&h| index.holder(h)).collect();
        assert!(!holders.is_empty() && holders.iter().all(|&n| n == 0));
        let mut own = Vec::new();
        index.shingles(0, &mut own);
        let mut expected: Vec<u64> = shingled(A)
            .hashes
            .iter()
            .map(|&h| u64::from(h as u32))
            .collect();
        expected.sort_unstable();
        expected.dedup();
        assert_eq!(own, expected);
    }

    #[test]
    fn adding_keeps_what_was_there() {
        let dir = tempfile::tempdir().unwrap();
        let path = built(dir.path());
        let index = Index::open(&path).unwrap();
        let mut b = Builder::from_index(&index);
        let d = b.add_document("three.txt");
        let c = "A third paragraph that is new to the corpus and long enough.";
        b.add_paragraph(
            d,
            0,
            Span { start: 0, end: 5 },
            hash(&normalize(c)),
            Shingled::of([&shingled(c)]).paragraph(0),
        );
        b.write(&path).unwrap();
        let again = Index::open(&path).unwrap();
        assert_eq!((again.documents(), again.paragraphs()), (3, 4));
        assert_eq!(
            again
                .paragraph(again.find(hash(&normalize(c))).unwrap())
                .document,
            "three.txt"
        );
        assert_eq!(
            again
                .paragraph(again.find(hash(&normalize(B))).unwrap())
                .paragraph,
            3
        );
        // The old map still reads the old file.
        assert_eq!(index.paragraphs(), 3);
    }

    #[test]
    fn parameters_must_agree() {
        let index = Parameters::current(5, true);
        assert_eq!(index.mismatch(&Parameters::current(5, true)), None);
        assert_eq!(
            index.mismatch(&Parameters::current(7, false)),
            None,
            "exact runs need no shingles"
        );
        let why = index.mismatch(&Parameters::current(7, true)).unwrap();
        assert!(why.contains("--shingle-width 5"), "{why}");
        let exact = Parameters::current(5, false);
        assert!(
            exact
                .mismatch(&Parameters::current(5, true))
                .unwrap()
                .contains("--exact")
        );
        let mut other = Parameters::current(5, true);
        other.normalization.pop();
        assert!(index.mismatch(&other).unwrap().contains("normalisation"));
    }

    /// A writer that fails after `left` bytes, as a full disk or a crash
    /// would stop a write.
    struct Failing {
        left: usize,
    }

    impl Write for Failing {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.left == 0 {
                return Err(io::Error::other("disk full"));
            }
            let n = buf.len().min(self.left);
            self.left -= n;
            Ok(n)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_failed_write_leaves_the_old_index_and_damaged_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = built(dir.path());
        let before = std::fs::read(&path).unwrap();
        let index = Index::open(&path).unwrap();
        let err = Builder::from_index(&index)
            .write_to(&mut Failing { left: 100 })
            .unwrap_err();
        assert_eq!(err.to_string(), "disk full");
        assert_eq!(std::fs::read(&path).unwrap(), before);
        // Truncated or foreign files are refused with a reason.
        let cut = dir.path().join("cut.idx");
        std::fs::write(&cut, &before[..before.len() - 3]).unwrap();
        let err = Index::open(&cut).unwrap_err().to_string();
        assert!(err.contains("not a usable dedupe index"), "{err}");
        std::fs::write(&cut, b"hello").unwrap();
        assert!(
            Index::open(&cut)
                .unwrap_err()
                .to_string()
                .contains("signature")
        );
    }
}
