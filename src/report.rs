//! Stage 8, report: the duplicate report (JSON) and the human summary. The
//! visual report written beside a report file is [`crate::html`]; `dedupe
//! explain` reads this format back ([`crate::explain`]).
//!
//! # The JSON report, format version 2
//!
//! One JSON object, written with sorted keys where maps occur and documents
//! in input order, so two runs on the same input give the same bytes. No
//! timestamps and no absolute paths: every path is the document's relative
//! name (see [`crate::walk`]). Shares (similarities, thresholds) are numbers
//! from 0 to 1, written with at most four decimals. The object is indented,
//! except that each entry of `documents`, `duplicate_groups`,
//! `document_groups` and `errors` is one line of compact JSON (see
//! [`write_json`]). A report file has one line of spaces between `summary`
//! and `documents`: the room kept for the head that it did not fill (see
//! [`DocumentSpool`]).
//!
//! ```text
//! {
//!   "format_version": 2,
//!   "tool": { "name": "dedupe", "version": "0.1.0" },
//!   "parameters": {
//!     "mode": "clean" | "check" | "index",
//!     "extensions": ["txt", "md"],          // what a directory walk reads
//!     "strip": true,                         // false with --no-strip
//!     "rules": ["share-buttons", ...],       // rules and signals in force
//!     "normalization": ["nfkc", "lowercase", "quotes", "dashes", "whitespace"],
//!     "hash": "xxh3-64",
//!     "seed": "6465647570650001",            // 16 hex digits
//!     "near_duplicates": {                   // null with --exact
//!       "shingle_width": 5, "threshold": 0.8, "min_shingles": 3,
//!       "document_threshold": 0.8, "drop_duplicate_documents": false,
//!       "minhash_bins": 128, "lsh_bands": 21, "lsh_rows": 6
//!     },
//!     "repeat_min_documents": 3,
//!     "against": null                        // or { "index": "corpus.idx", "documents": …, "paragraphs": … }
//!   },
//!   "summary": {
//!     "documents": 5,                        // documents read and processed
//!     "failed": 0,                           // entries that failed (see "errors")
//!     "paragraphs": 68, "kept": 36,
//!     "removed_boilerplate": 27,
//!     "removed_by_rule": { "comment-form": 5, ... },
//!     "removed_duplicate_within": 5,         // exact copies of a paragraph of the same document
//!     "removed_duplicate_across": 0,         // exact copies of a paragraph of an earlier document
//!     "removed_near_duplicate_within": 0,    // near-duplicates, likewise
//!     "removed_near_duplicate_across": 0,
//!     "removed_duplicate_document": 0,       // removed with their whole document
//!     "removed_duplicate_corpus": 0,         // exact copies of a paragraph of the indexed corpus (--against)
//!     "removed_near_duplicate_corpus": 0,    // near-duplicates of one
//!     "duplicate_documents": 0,              // documents in "document_groups" other than the kept ones
//!     "bytes_in": 15088, "bytes_out": 12601
//!   },
//!   "documents": [{
//!     "path": "002.txt", "bytes_in": 3636, "bytes_out": 2091,
//!     "encoding": "windows-1252",          // only for a file that was not UTF-8
//!     "paragraphs": 15, "kept": 8,
//!     "removed": [{
//!       "paragraph": 2,                      // index in the document, from 0
//!       "start": 288, "end": 344,            // byte span [start, end) in the input text
//!       "reason": { "kind": "boilerplate", "rule": "follow-prompt" }
//!              | { "kind": "duplicate", "scope": "within" | "across" | "corpus",
//!                  "fingerprint": "…16 hex…",
//!                  "of": { "path": "002.txt", "paragraph": 1, "start": 230, "end": 286 } }
//!              | { "kind": "near-duplicate", "scope": "within" | "across" | "corpus",
//!                  "similarity": 0.963,      // share of its words covered (see crate::decide)
//!                  "of": { "path": …, "paragraph": …, "start": …, "end": … } }
//!              | { "kind": "duplicate-document",   // --drop-duplicate-documents
//!                  "similarity": 0.95, "of": "a.txt" },
//!       "excerpt": "Series of Coordinated Attacks Target…"   // at most 80 characters
//!     }]
//!   }],
//!   "duplicate_groups": [{                   // exact copies, in order of the kept copy
//!     "fingerprint": "…", "kept": { "path": …, "paragraph": …, "start": …, "end": … },
//!     "copies": [ { "path": …, "paragraph": …, "start": …, "end": … } ]
//!   }],
//!   "document_groups": [{                    // near-duplicate documents, in order of the kept one
//!     "kept": "a.txt",
//!     "members": [{ "path": "d.txt", "similarity": 0.94, "matches": "a.txt" }]
//!   }],
//!   "errors": [{ "path": "bad.txt", "operation": "walk" | "read" | "decode", "message": "…" }]
//! }
//! ```
//!
//! A member's `similarity` is the estimated Jaccard similarity of its word
//! shingles with the document it `matches` (the kept one or an earlier
//! member), from MinHash signatures (see [`crate::fingerprint::minhash`]).
//! The `against` parameter, the `corpus` counts and scope came with the
//! corpus index (see [`crate::corpus`]) and are additions within version 2.
//! Version 2 added the near-duplicate parameters, reasons, counts and
//! `document_groups`; version 1 reports are version 2 reports without them.
//!
//! Offsets and sizes are in bytes of the text as UTF-8: of the file itself
//! when it is UTF-8, of its decoded text when the document has an
//! `encoding` (the cleaned copy is that text, in UTF-8).
//!
//! Slicing an input file with a removal's `start..end` gives exactly the
//! paragraph that was removed; the spans of a document's removed paragraphs
//! plus its kept paragraphs and the white space between them make up the
//! whole file.

use crate::error::{Fatal, FileError};
use crate::jsonl;
use crate::write::{self, StagedFile, Streamed};
use anstyle::{AnsiColor, Style};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Seek, Write};
use std::path::Path;

/// The version of the report format described in the module doc.
pub const FORMAT_VERSION: u32 = 2;

/// The whole JSON report, written by [`write_json`] (a test holds it to
/// what serde makes of this struct).
#[derive(Debug)]
#[cfg_attr(test, derive(Serialize))]
pub struct Report {
    /// Always [`FORMAT_VERSION`].
    pub format_version: u32,
    /// Name and version of the tool that wrote it.
    pub tool: Tool,
    /// The parameters that decide the outcome.
    pub parameters: Parameters,
    /// Counts over the whole run.
    pub summary: Summary,
    /// Every document read, in input order ([`DocumentReport`]s, spooled).
    pub documents: DocumentSpool,
    /// Every set of paragraphs that share a fingerprint and had a copy removed.
    pub duplicate_groups: Vec<DuplicateGroup>,
    /// Every cluster of near-duplicate documents, in order of the kept one.
    pub document_groups: Vec<DocumentGroup>,
    /// Every entry that could not be processed, in input order.
    pub errors: Vec<FileError>,
}

/// The `documents` of a report: each [`DocumentReport`] is written as one
/// line of compact JSON as its document finishes, so the report is never
/// held in memory whole. In the report each document is one line.
///
/// A report that goes to a file takes its entries as they come, after room
/// kept for the head (see [`head_room`]), written last. A report for
/// standard output or a device spools them in an unnamed temporary file,
/// copied into the report at the end.
#[derive(Debug)]
pub struct DocumentSpool {
    entries: Entries,
    count: usize,
}

/// Where a [`DocumentSpool`] writes.
#[derive(Debug)]
enum Entries {
    /// Nowhere: the run writes no report.
    Discarded,
    /// A temporary file of their own.
    Spooled(BufWriter<File>),
    /// The report file itself (boxed: far larger than the others).
    InReport(Box<InReport>),
}

/// A report file being written: its entries so far, after room for its
/// head.
#[derive(Debug)]
pub struct InReport {
    out: BufWriter<Streamed>,
    staged: StagedFile,
    head_room: usize,
    /// Entries written: the spool's count, given when it is taken.
    count: usize,
}

impl DocumentSpool {
    /// A spool in a temporary file in `dir`, deleted when the spool is.
    pub fn in_dir(dir: &Path) -> io::Result<DocumentSpool> {
        Ok(DocumentSpool {
            entries: Entries::Spooled(BufWriter::new(tempfile::tempfile_in(dir)?)),
            count: 0,
        })
    }

    /// The entries written into the report file at `path` itself, staged
    /// under a temporary name beside it ([`write::stage_open`]), after
    /// `head_room` bytes (see [`head_room`]). [`InReport::finish`] writes
    /// the rest and the head.
    pub fn in_report(path: &Path, head_room: usize) -> Result<DocumentSpool, Fatal> {
        let (staged, file) = write::stage_open(path)?;
        let mut out = BufWriter::with_capacity(1 << 16, Streamed::new(file));
        // Spaces until the head is written over them.
        out.write_all(&vec![b' '; head_room])
            .map_err(|e| Fatal::io("write", path, &e))?;
        Ok(DocumentSpool {
            entries: Entries::InReport(Box::new(InReport {
                out,
                staged,
                head_room,
                count: 0,
            })),
            count: 0,
        })
    }

    /// A spool that keeps nothing, for a run that writes no report.
    pub fn discard() -> DocumentSpool {
        DocumentSpool {
            entries: Entries::Discarded,
            count: 0,
        }
    }

    /// One document's entry, as made by [`DocumentReport::to_json`]. The
    /// file holds the entries as they go into the report's `documents`
    /// array, indented and separated by commas, so that the report takes
    /// them as they are (see [`write_json`]).
    pub fn push(&mut self, json: &[u8]) -> io::Result<()> {
        let number = self.count;
        self.count += 1;
        match &mut self.entries {
            Entries::Spooled(file) => {
                entry_start(file, number)?;
                file.write_all(json)
            }
            // The head ends with the array's `[`; its line break comes
            // with the first entry.
            Entries::InReport(report) => {
                let out = &mut report.out;
                out.write_all(if number > 0 { b",\n" } else { b"\n" })?;
                out.write_all(ENTRY_INDENT)?;
                out.write_all(json)
            }
            Entries::Discarded => Ok(()),
        }
    }

    /// Writes out the entries pushed so far, for [`write_json`] to read;
    /// called once the last document has been pushed.
    pub fn flush(&mut self) -> io::Result<()> {
        match &mut self.entries {
            Entries::Spooled(file) => file.flush(),
            Entries::InReport(report) => report.out.flush(),
            Entries::Discarded => Ok(()),
        }
    }

    /// The report file the entries are in, if they are, leaving a spool
    /// that keeps nothing.
    pub fn take_report(&mut self) -> Option<InReport> {
        match std::mem::replace(&mut self.entries, Entries::Discarded) {
            Entries::InReport(report) => Some(InReport {
                count: self.count,
                ..*report
            }),
            other => {
                self.entries = other;
                None
            }
        }
    }

    /// Writes the `documents` array (see [`array`]), its entries copied
    /// byte for byte from the start of the spool.
    fn write_array(&self, out: &mut dyn Write) -> io::Result<()> {
        let file = match &self.entries {
            Entries::InReport(_) => {
                return Err(io::Error::other(
                    "the report's entries are in its file, not in a spool",
                ));
            }
            Entries::Spooled(file) if self.count > 0 => Some(file),
            _ => None,
        };
        array(out, file.is_none(), |out| match file {
            Some(file) if !file.buffer().is_empty() => Err(io::Error::other(
                "the report's entries were not flushed before it was written",
            )),
            Some(file) => {
                let mut file = file.get_ref();
                file.rewind()?;
                let mut entries = BufReader::with_capacity(1 << 20, file);
                io::copy(&mut entries, out).map(|_| ())
            }
            None => Ok(()),
        })
    }
}

impl InReport {
    /// Ends the report that holds the entries: the end of `documents` and
    /// the members after it (as [`write_json`] writes them), then the head
    /// of `report` (the members before `documents`) in the room kept for
    /// it, the rest of which is spaces. Synced to the disk, ready to be
    /// renamed into place.
    pub fn finish(self, report: &Report) -> io::Result<StagedFile> {
        let InReport {
            mut out,
            staged,
            head_room,
            count,
        } = self;
        out.write_all(if count > 0 { b"\n  ]" } else { b"]" })?;
        write_tail(report, &mut out)?;
        let out = out.into_inner().map_err(io::IntoInnerError::into_error)?;
        let mut head = Vec::with_capacity(head_room);
        write_head(&report.tool, &report.parameters, &report.summary, &mut head)?;
        fill_head(&mut head, head_room)?;
        let mut file = out.file();
        file.rewind()?;
        file.write_all(&head)?;
        out.sync_all()?;
        Ok(staged)
    }
}

/// What comes between the head's summary and the first entry of
/// `documents` when the head is written last: a line of spaces as long as
/// the room left needs, then the array's name and `[`.
const HEAD_END: [&[u8]; 2] = [b",\n", b"\n  \"documents\": ["];

/// Bytes to keep at the start of a report file for its head, which is
/// written last (see [`InReport::finish`]): its length with every count of
/// the summary at its largest and every rule of `rules` (each a removal
/// can name) in `removed_by_rule`. A run's summary has no other rules,
/// and no count of more digits.
pub fn head_room(tool: &Tool, parameters: &Parameters, rules: &[&'static str]) -> usize {
    let mut head = Vec::new();
    write_head(tool, parameters, &Summary::largest(rules), &mut head)
        .expect("a Vec takes any write");
    head.len() + HEAD_END.iter().map(|part| part.len()).sum::<usize>()
}

/// Ends `head` with [`HEAD_END`], filled to `room` bytes with spaces.
fn fill_head(head: &mut Vec<u8>, room: usize) -> io::Result<()> {
    let fixed = head.len() + HEAD_END.iter().map(|part| part.len()).sum::<usize>();
    let Some(spaces) = room.checked_sub(fixed) else {
        return Err(io::Error::other(format!(
            "the report's head takes {fixed} bytes, more than the {room} kept for it"
        )));
    };
    head.extend_from_slice(HEAD_END[0]);
    head.resize(head.len() + spaces, b' ');
    head.extend_from_slice(HEAD_END[1]);
    Ok(())
}

/// The indent of an entry of an array one level down in the report.
const ENTRY_INDENT: &[u8] = b"    ";

/// An array one level down in the report, one entry a line: `[]` when
/// `empty`, else `[`, the entries that `fill` writes (each after
/// [`entry_start`]), and `]` on a line of its own.
fn array(
    out: &mut dyn Write,
    empty: bool,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    if empty {
        return out.write_all(b"[]");
    }
    out.write_all(b"[\n")?;
    fill(&mut *out)?;
    out.write_all(b"\n  ]")
}

/// What goes before entry `number` of an [`array`]: the comma and line
/// break after the one before, and the indent.
fn entry_start(out: &mut impl Write, number: usize) -> io::Result<()> {
    if number > 0 {
        out.write_all(b",\n")?;
    }
    out.write_all(ENTRY_INDENT)
}

/// The documents as an array of raw values, read back after [`write_json`]
/// has flushed them, for a test to compare the report with serde's.
#[cfg(test)]
impl Serialize for DocumentSpool {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error as _, SerializeSeq};
        use serde_json::value::RawValue;
        use std::io::BufRead;
        let mut seq = serializer.serialize_seq(Some(self.count))?;
        if let Entries::Spooled(file) = &self.entries {
            let mut file = file.get_ref();
            file.rewind().map_err(S::Error::custom)?;
            for line in BufReader::new(file).split(b'\n') {
                let line = line.map_err(S::Error::custom)?;
                let entry = line.strip_prefix(ENTRY_INDENT).unwrap_or(&line);
                let entry = entry.strip_suffix(b",").unwrap_or(entry);
                let raw: &RawValue = serde_json::from_slice(entry).map_err(S::Error::custom)?;
                seq.serialize_element(raw)?;
            }
        }
        seq.end()
    }
}

/// Name and version of the tool.
#[derive(Debug, Clone, Serialize)]
pub struct Tool {
    /// `dedupe`.
    pub name: &'static str,
    /// The crate version.
    pub version: &'static str,
}

impl Tool {
    /// This program.
    pub const THIS: Tool = Tool {
        name: env!("CARGO_PKG_NAME"),
        version: env!("CARGO_PKG_VERSION"),
    };
}

/// The parameters of a run.
#[derive(Debug, Clone, Serialize)]
pub struct Parameters {
    /// `clean` or `check`.
    pub mode: &'static str,
    /// Extensions a directory walk reads.
    pub extensions: Vec<String>,
    /// Whether boilerplate stripping was on.
    pub strip: bool,
    /// Names of the rules and signals in force.
    pub rules: Vec<&'static str>,
    /// Normalisation steps before hashing.
    pub normalization: Vec<&'static str>,
    /// The hash function.
    pub hash: &'static str,
    /// Its seed, as 16 hex digits.
    pub seed: String,
    /// Near-duplicate settings; `null` when only exact duplicates are found.
    pub near_duplicates: Option<NearParameters>,
    /// Documents a paragraph shaped like page furniture must occur in to be
    /// `repeated-block`.
    pub repeat_min_documents: usize,
    /// The indexed corpus checked against (`--against`); `null` without one.
    pub against: Option<Against>,
}

/// The index a run checked against.
#[derive(Debug, Clone, Serialize)]
pub struct Against {
    /// The index file, as given.
    pub index: String,
    /// Documents in it.
    pub documents: usize,
    /// Paragraphs in it.
    pub paragraphs: usize,
}

/// The settings of near-duplicate matching.
#[derive(Debug, Clone, Serialize)]
pub struct NearParameters {
    /// Words per shingle.
    pub shingle_width: usize,
    /// Containment at which a paragraph is a near-duplicate.
    pub threshold: f64,
    /// Fewest shingles for containment matching.
    pub min_shingles: usize,
    /// Estimated Jaccard similarity at which documents are near-duplicates.
    pub document_threshold: f64,
    /// Whether near-duplicate documents are removed whole.
    pub drop_duplicate_documents: bool,
    /// Bins of a document's MinHash signature.
    pub minhash_bins: usize,
    /// LSH bands.
    pub lsh_bands: usize,
    /// Bins per LSH band.
    pub lsh_rows: usize,
}

/// Counts over the whole run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// Documents read and processed.
    pub documents: usize,
    /// Entries that failed.
    pub failed: usize,
    /// Paragraphs in all documents.
    pub paragraphs: usize,
    /// Paragraphs kept.
    pub kept: usize,
    /// Paragraphs removed as boilerplate.
    pub removed_boilerplate: usize,
    /// Boilerplate removals per rule.
    pub removed_by_rule: BTreeMap<&'static str, usize>,
    /// Paragraphs removed as copies of one in the same document.
    pub removed_duplicate_within: usize,
    /// Paragraphs removed as copies of one in an earlier document.
    pub removed_duplicate_across: usize,
    /// Paragraphs removed as near-duplicates of one in the same document.
    pub removed_near_duplicate_within: usize,
    /// Paragraphs removed as near-duplicates of one in an earlier document.
    pub removed_near_duplicate_across: usize,
    /// Paragraphs removed with their whole document (`--drop-duplicate-documents`).
    pub removed_duplicate_document: usize,
    /// Paragraphs removed as exact copies of the indexed corpus (`--against`).
    pub removed_duplicate_corpus: usize,
    /// Paragraphs removed as near-duplicates of the indexed corpus.
    pub removed_near_duplicate_corpus: usize,
    /// Documents that are near-duplicates of an earlier one.
    pub duplicate_documents: usize,
    /// Bytes of all documents read.
    pub bytes_in: u64,
    /// Bytes of their cleaned versions.
    pub bytes_out: u64,
}

impl Summary {
    /// A summary with every count at its largest and every rule of `rules`
    /// in `removed_by_rule`: the longest a run with those rules can write.
    fn largest(rules: &[&'static str]) -> Summary {
        let most = usize::MAX;
        Summary {
            documents: most,
            failed: most,
            paragraphs: most,
            kept: most,
            removed_boilerplate: most,
            removed_by_rule: rules.iter().map(|&rule| (rule, most)).collect(),
            removed_duplicate_within: most,
            removed_duplicate_across: most,
            removed_near_duplicate_within: most,
            removed_near_duplicate_across: most,
            removed_duplicate_document: most,
            removed_duplicate_corpus: most,
            removed_near_duplicate_corpus: most,
            duplicate_documents: most,
            bytes_in: u64::MAX,
            bytes_out: u64::MAX,
        }
    }

    /// Paragraphs removed for any reason.
    pub fn removed(&self) -> usize {
        self.removed_boilerplate + self.removed_duplicates()
    }

    /// Paragraphs removed as exact or near-duplicates, alone or with their
    /// document.
    pub fn removed_duplicates(&self) -> usize {
        self.removed_duplicate_within
            + self.removed_duplicate_across
            + self.removed_near_duplicate_within
            + self.removed_near_duplicate_across
            + self.removed_duplicate_document
            + self.removed_duplicate_corpus
            + self.removed_near_duplicate_corpus
    }
}

/// One document's entry.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentReport {
    /// Relative name.
    pub path: String,
    /// The encoding the file was decoded from, when it was not UTF-8 (see
    /// [`crate::read`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// Size of the input, in bytes of its text as UTF-8.
    pub bytes_in: u64,
    /// Size of the cleaned version.
    pub bytes_out: u64,
    /// Number of paragraphs.
    pub paragraphs: usize,
    /// Number kept.
    pub kept: usize,
    /// Every removed paragraph, in document order.
    pub removed: Vec<Removal>,
}

/// One removed paragraph.
#[derive(Debug, Clone, Serialize)]
pub struct Removal {
    /// Index of the paragraph in its document.
    pub paragraph: usize,
    /// First byte, in the input file.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// Why it was removed.
    pub reason: Reason,
    /// The start of its text, at most [`EXCERPT_CHARS`] characters.
    pub excerpt: String,
}

/// Why a paragraph was removed.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Reason {
    /// Matched a boilerplate rule or signal.
    Boilerplate {
        /// The rule's name.
        rule: &'static str,
    },
    /// A copy of an earlier paragraph.
    Duplicate {
        /// `within` the same document or `across` documents.
        scope: Scope,
        /// The shared fingerprint.
        fingerprint: String,
        /// The copy that was kept.
        of: ParagraphRef,
    },
    /// Most of its shingles occur in earlier kept text.
    NearDuplicate {
        /// Whether the best match is in the same document.
        scope: Scope,
        /// Share of its shingles found in earlier kept text.
        similarity: f64,
        /// The kept paragraph holding the most of them.
        of: ParagraphRef,
    },
    /// Removed with its whole document, a near-duplicate of an earlier one.
    DuplicateDocument {
        /// Estimated Jaccard similarity of the two documents.
        similarity: f64,
        /// The earlier document it matches.
        of: String,
    },
}

/// Whether a duplicate's kept copy is in the same document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// Same document.
    Within,
    /// An earlier document.
    Across,
    /// The indexed corpus (`--against`): `of.path` names a document of the
    /// corpus.
    Corpus,
}

/// A paragraph, named by document, index and span.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParagraphRef {
    /// The document's relative name.
    pub path: String,
    /// Index of the paragraph in it.
    pub paragraph: usize,
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// Paragraphs that share a fingerprint: the kept one and its removed copies.
#[derive(Debug, Clone, Serialize)]
pub struct DuplicateGroup {
    /// The shared fingerprint.
    pub fingerprint: String,
    /// The first copy, kept.
    pub kept: ParagraphRef,
    /// The later copies, removed, in input order.
    pub copies: Vec<ParagraphRef>,
}

/// A cluster of near-duplicate documents.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentGroup {
    /// The first document of the cluster, kept.
    pub kept: String,
    /// The later documents, in input order.
    pub members: Vec<DocumentMember>,
}

/// One near-duplicate document of a cluster.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentMember {
    /// Its relative name.
    pub path: String,
    /// Estimated Jaccard similarity to the document it matches.
    pub similarity: f64,
    /// The earlier document it matches best (the kept one or another member).
    pub matches: String,
}

impl DocumentReport {
    /// The entry as one line of compact JSON, for a [`DocumentSpool`]:
    /// byte for byte what serde_json makes of it (a test compares them),
    /// written without serde. Every document has one, and serde's string
    /// escaping goes a byte at a time; [`jsonl::write_str`] goes eight.
    pub fn to_json(&self) -> Vec<u8> {
        // Room for the usual entry, so that the buffer is not grown and
        // copied several times over as it is written.
        let mut out = Vec::with_capacity(ENTRY_BYTES + REMOVAL_BYTES * self.removed.len());
        out.extend_from_slice(b"{\"path\":");
        jsonl::write_str(&mut out, &self.path);
        if let Some(encoding) = &self.encoding {
            out.extend_from_slice(b",\"encoding\":");
            jsonl::write_str(&mut out, encoding);
        }
        number(&mut out, b",\"bytes_in\":", self.bytes_in);
        number(&mut out, b",\"bytes_out\":", self.bytes_out);
        number(&mut out, b",\"paragraphs\":", self.paragraphs);
        number(&mut out, b",\"kept\":", self.kept);
        out.extend_from_slice(b",\"removed\":[");
        for (i, removal) in self.removed.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            removal.write_json(&mut out);
        }
        out.extend_from_slice(b"]}");
        out
    }
}

impl Removal {
    /// What serde_json makes of it (see [`DocumentReport::to_json`]).
    fn write_json(&self, out: &mut Vec<u8>) {
        number(out, b"{\"paragraph\":", self.paragraph);
        number(out, b",\"start\":", self.start);
        number(out, b",\"end\":", self.end);
        out.extend_from_slice(b",\"reason\":{\"kind\":");
        match &self.reason {
            Reason::Boilerplate { rule } => {
                out.extend_from_slice(b"\"boilerplate\",\"rule\":");
                jsonl::write_str(out, rule);
            }
            Reason::Duplicate {
                scope,
                fingerprint,
                of,
            } => {
                out.extend_from_slice(b"\"duplicate\"");
                scope.write_json(out);
                out.extend_from_slice(b",\"fingerprint\":");
                jsonl::write_str(out, fingerprint);
                out.extend_from_slice(b",\"of\":");
                of.write_json(out);
            }
            Reason::NearDuplicate {
                scope,
                similarity,
                of,
            } => {
                out.extend_from_slice(b"\"near-duplicate\"");
                scope.write_json(out);
                share(out, b",\"similarity\":", *similarity);
                out.extend_from_slice(b",\"of\":");
                of.write_json(out);
            }
            Reason::DuplicateDocument { similarity, of } => {
                out.extend_from_slice(b"\"duplicate-document\"");
                share(out, b",\"similarity\":", *similarity);
                out.extend_from_slice(b",\"of\":");
                jsonl::write_str(out, of);
            }
        }
        out.extend_from_slice(b"},\"excerpt\":");
        jsonl::write_str(out, &self.excerpt);
        out.push(b'}');
    }
}

impl Scope {
    /// The `scope` member, with the comma before it.
    fn write_json(self, out: &mut Vec<u8>) {
        out.extend_from_slice(match self {
            Scope::Within => b",\"scope\":\"within\"",
            Scope::Across => b",\"scope\":\"across\"",
            Scope::Corpus => b",\"scope\":\"corpus\"",
        });
    }
}

impl ParagraphRef {
    /// What serde_json makes of it (see [`DocumentReport::to_json`]).
    fn write_json(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"{\"path\":");
        jsonl::write_str(out, &self.path);
        number(out, b",\"paragraph\":", self.paragraph);
        number(out, b",\"start\":", self.start);
        number(out, b",\"end\":", self.end);
        out.push(b'}');
    }
}

/// `name` (a member's comma, name and colon), then `value` in decimal.
fn number(out: &mut Vec<u8>, name: &[u8], value: impl itoa::Integer) {
    out.extend_from_slice(name);
    out.extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
}

/// `name`, then a share as serde_json writes an `f64` (shortest digits
/// that read back as the same number; `null` if not finite).
fn share(out: &mut Vec<u8>, name: &[u8], value: f64) {
    out.extend_from_slice(name);
    serde_json::to_writer(&mut *out, &value).expect("a Vec takes any write");
}

/// Bytes of a document entry without its removals, about (its path and
/// counts).
const ENTRY_BYTES: usize = 160;
/// Bytes of one removal in an entry, about (a span, the reason with the
/// source's path and span, and an excerpt of up to 80 characters).
const REMOVAL_BYTES: usize = 320;

/// A share rounded to four decimals, as the report writes them.
pub fn rounded(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// Longest excerpt, in characters.
pub const EXCERPT_CHARS: usize = 80;

/// The first [`EXCERPT_CHARS`] characters of `text`, on one line, with `…`
/// when cut.
pub fn excerpt(text: &str) -> String {
    // Made for every removed paragraph. Most start with ASCII, a byte a
    // character, where the white space is ASCII's own: the bytes are copied
    // with no decoding.
    let bytes = text.as_bytes();
    if bytes[..bytes.len().min(EXCERPT_CHARS + 1)].is_ascii() {
        let cut = bytes.len() > EXCERPT_CHARS;
        let head = &bytes[..bytes.len().min(EXCERPT_CHARS - usize::from(cut))];
        let mut out = Vec::with_capacity(head.len() + '…'.len_utf8());
        out.extend(head.iter().map(|&b| match b {
            b'\t'..=b'\r' | b' ' => b' ',
            b => b,
        }));
        if cut {
            out.extend_from_slice("…".as_bytes());
        }
        return String::from_utf8(out).expect("ASCII and an ellipsis are UTF-8");
    }
    // Otherwise one walk over its start, into a string made large enough
    // at once.
    let (head, cut) = match text.char_indices().nth(EXCERPT_CHARS) {
        Some((end, _)) => (&text[..end], true),
        None => (text, false),
    };
    let mut out = String::with_capacity(head.len() + '…'.len_utf8());
    for c in head.chars() {
        out.push(if c.is_whitespace() { ' ' } else { c });
    }
    if cut {
        out.pop();
        out.push('…');
    }
    out
}

/// Writes the report as JSON with a final newline: indented, except that
/// each entry of the arrays that grow with the corpus (`documents`,
/// `duplicate_groups`, `document_groups`, `errors`) is one line of compact
/// JSON. The documents' entries are copied from their spool as they are.
pub fn write_json(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut out = BufWriter::with_capacity(1 << 16, out);
    write_head(&report.tool, &report.parameters, &report.summary, &mut out)?;
    member(&mut out, "documents")?;
    report.documents.write_array(&mut out)?;
    write_tail(report, &mut out)?;
    out.flush()
}

/// The members of the report before `documents`, from its `{`.
fn write_head(
    tool: &Tool,
    parameters: &Parameters,
    summary: &Summary,
    out: &mut impl Write,
) -> io::Result<()> {
    write!(out, "{{\n  \"format_version\": {FORMAT_VERSION}")?;
    member(out, "tool")?;
    serde_json::to_writer_pretty(Indented(&mut *out), tool)?;
    member(out, "parameters")?;
    serde_json::to_writer_pretty(Indented(&mut *out), parameters)?;
    member(out, "summary")?;
    serde_json::to_writer_pretty(Indented(&mut *out), summary)?;
    Ok(())
}

/// The members of the report after `documents`, to its final line break.
fn write_tail(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    member(out, "duplicate_groups")?;
    entries(out, &report.duplicate_groups)?;
    member(out, "document_groups")?;
    entries(out, &report.document_groups)?;
    member(out, "errors")?;
    entries(out, &report.errors)?;
    out.write_all(b"\n}\n")
}

/// The start of a member of the report's top-level object after the first:
/// the comma after the one before, and its name.
fn member(out: &mut (impl Write + ?Sized), name: &str) -> io::Result<()> {
    write!(out, ",\n  \"{name}\": ")
}

/// An entry of an array of the report that grows with the corpus, as one
/// line of compact JSON: what serde_json makes of it.
trait Entry {
    fn write_entry(&self, out: &mut Vec<u8>) -> io::Result<()>;
}

/// A million of them at 1 GB, written without serde as a document's entry
/// is (see [`DocumentReport::to_json`]).
impl Entry for DuplicateGroup {
    fn write_entry(&self, out: &mut Vec<u8>) -> io::Result<()> {
        out.extend_from_slice(b"{\"fingerprint\":");
        jsonl::write_str(out, &self.fingerprint);
        out.extend_from_slice(b",\"kept\":");
        self.kept.write_json(out);
        out.extend_from_slice(b",\"copies\":[");
        for (i, copy) in self.copies.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            copy.write_json(out);
        }
        out.extend_from_slice(b"]}");
        Ok(())
    }
}

impl Entry for DocumentGroup {
    fn write_entry(&self, out: &mut Vec<u8>) -> io::Result<()> {
        serde_json::to_writer(out, self).map_err(io::Error::from)
    }
}

impl Entry for FileError {
    fn write_entry(&self, out: &mut Vec<u8>) -> io::Result<()> {
        serde_json::to_writer(out, self).map_err(io::Error::from)
    }
}

/// Entries of an array that one worker serialises together.
const ENTRIES_A_PART: usize = 1024;

/// Entries serialised before they are written: about 8 MB of duplicate
/// groups, held at once.
const ENTRIES_A_ROUND: usize = 16 * ENTRIES_A_PART;

/// An [`array`] of `items`, each as compact JSON. At 1 GB the duplicate
/// groups alone make 80 MB of it: written from a worker of a rayon pool (as
/// a run writes its report file), they are serialised in parts on the
/// pool's threads, a round at a time, and written in order.
fn entries<T: Entry + Sync>(out: &mut dyn Write, items: &[T]) -> io::Result<()> {
    use rayon::prelude::*;
    array(out, items.is_empty(), |out| {
        for (round, these) in items.chunks(ENTRIES_A_ROUND).enumerate() {
            let serialise = |(part, items): (usize, &[T])| -> io::Result<Vec<u8>> {
                let first = round * ENTRIES_A_ROUND + part * ENTRIES_A_PART;
                let mut json = Vec::new();
                for (number, item) in (first..).zip(items) {
                    entry_start(&mut json, number)?;
                    item.write_entry(&mut json)?;
                }
                Ok(json)
            };
            let parts: Vec<io::Result<Vec<u8>>> = match rayon::current_thread_index() {
                Some(_) => these
                    .par_chunks(ENTRIES_A_PART)
                    .enumerate()
                    .map(serialise)
                    .collect(),
                None => these
                    .chunks(ENTRIES_A_PART)
                    .enumerate()
                    .map(serialise)
                    .collect(),
            };
            for part in parts {
                out.write_all(&part?)?;
            }
        }
        Ok(())
    })
}

/// A writer that indents every line after the first by two spaces: a value
/// printed pretty on its own, so placed one level down. A JSON text's only
/// line breaks are its layout's: those in strings are escaped.
struct Indented<W: Write>(W);

impl<W: Write> Write for Indented<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut lines = buf.split(|&b| b == b'\n');
        if let Some(first) = lines.next() {
            self.0.write_all(first)?;
        }
        for line in lines {
            self.0.write_all(b"\n  ")?;
            self.0.write_all(line)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

/// Where the run's outputs went, for the human summary.
#[derive(Debug, Clone, Default)]
pub struct Destinations {
    /// The cleaned corpus, if one was written.
    pub corpus: Option<String>,
    /// The JSON report, if one was written.
    pub report: Option<String>,
    /// The HTML report, if one was written.
    pub html: Option<String>,
    /// The corpus index written, with the paragraphs it holds.
    pub index: Option<(String, usize)>,
}

/// Styles of the lines for people on stderr: the summary, error lines and
/// the details of `-v`. The default is plain text (every style empty); the
/// binary asks for colour ([`crate::config::Config::color`]) only when
/// stderr is a terminal and `NO_COLOR` is not set, or with `--color always`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Palette {
    /// The first line of the summary.
    pub heading: Style,
    /// `error:` in front of an error, and the summary's count of failures.
    pub error: Style,
    /// Paths of the outputs written.
    pub path: Style,
    /// Lines of detail (`-v`).
    pub detail: Style,
}

impl Palette {
    /// The colours used on a terminal, or plain text without `color`.
    pub fn new(color: bool) -> Palette {
        if !color {
            return Palette::default();
        }
        Palette {
            heading: Style::new().bold(),
            error: Style::new().bold().fg_color(Some(AnsiColor::Red.into())),
            path: Style::new().fg_color(Some(AnsiColor::Green.into())),
            detail: Style::new().dimmed(),
        }
    }
}

/// Writes the short human summary, in plain text.
pub fn write_summary(report: &Report, to: &Destinations, out: &mut dyn Write) -> io::Result<()> {
    write_styled_summary(report, to, &Palette::default(), out)
}

/// Writes the short human summary in the styles of `palette`.
pub fn write_styled_summary(
    report: &Report,
    to: &Destinations,
    palette: &Palette,
    out: &mut dyn Write,
) -> io::Result<()> {
    let s = &report.summary;
    let (heading, error, path) = (palette.heading, palette.error, palette.path);
    writeln!(
        out,
        "{heading}dedupe: {} documents, {} paragraphs: {} kept, {} removed{heading:#}",
        s.documents,
        s.paragraphs,
        s.kept,
        s.removed()
    )?;
    let rules: Vec<String> = s
        .removed_by_rule
        .iter()
        .map(|(r, n)| format!("{r} {n}"))
        .collect();
    let rules = if rules.is_empty() {
        String::new()
    } else {
        format!(" ({})", rules.join(", "))
    };
    writeln!(out, "  boilerplate: {}{rules}", s.removed_boilerplate)?;
    writeln!(
        out,
        "  duplicates:  {} ({} within a document, {} across documents)",
        s.removed_duplicate_within + s.removed_duplicate_across,
        s.removed_duplicate_within,
        s.removed_duplicate_across
    )?;
    if let Some(against) = &report.parameters.against {
        writeln!(
            out,
            "  in the corpus: {} ({} exact, {} near) of {} ({} documents)",
            s.removed_duplicate_corpus + s.removed_near_duplicate_corpus,
            s.removed_duplicate_corpus,
            s.removed_near_duplicate_corpus,
            against.index,
            against.documents
        )?;
    }
    if let Some(near) = &report.parameters.near_duplicates {
        writeln!(
            out,
            "  near-duplicates: {} ({} within a document, {} across documents)",
            s.removed_near_duplicate_within + s.removed_near_duplicate_across,
            s.removed_near_duplicate_within,
            s.removed_near_duplicate_across
        )?;
        let dropped = if near.drop_duplicate_documents {
            format!(
                ", {} paragraphs removed with them",
                s.removed_duplicate_document
            )
        } else {
            String::new()
        };
        writeln!(
            out,
            "  duplicate documents: {} in {} groups{dropped}",
            s.duplicate_documents,
            report.document_groups.len()
        )?;
    }
    let change = if s.bytes_in == 0 {
        0.0
    } else {
        100.0 * (s.bytes_in as f64 - s.bytes_out as f64) / s.bytes_in as f64
    };
    writeln!(
        out,
        "  bytes:       {} -> {} ({change:.1}% removed)",
        s.bytes_in, s.bytes_out
    )?;
    if s.failed > 0 {
        writeln!(
            out,
            "  {error}failed:{error:#}      {} (see the errors above and in the report)",
            s.failed
        )?;
    }
    if let Some(corpus) = &to.corpus {
        writeln!(out, "  cleaned corpus: {path}{corpus}{path:#}")?;
    }
    if let Some(report) = &to.report {
        writeln!(out, "  report:         {path}{report}{path:#}")?;
    }
    if let Some(html) = &to.html {
        writeln!(out, "  html report:    {path}{html}{path:#}")?;
    }
    if let Some((index, paragraphs)) = &to.index {
        writeln!(
            out,
            "  index:          {path}{index}{path:#} ({paragraphs} paragraphs)"
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_is_serdes_json_with_an_entry_a_line() {
        let entry = |path: &str, removed: Vec<Removal>| DocumentReport {
            path: path.to_string(),
            encoding: None,
            bytes_in: 10,
            bytes_out: 5,
            paragraphs: 2,
            kept: 1,
            removed,
        };
        let removal = Removal {
            paragraph: 1,
            start: 5,
            end: 10,
            reason: Reason::Boilerplate {
                rule: "share-buttons",
            },
            excerpt: "Share \"this\"\nnow".to_string(),
        };
        for documents in [0, 1, 3] {
            let mut spool = DocumentSpool::in_dir(&std::env::temp_dir()).unwrap();
            for i in 0..documents {
                let removed = if i == 1 {
                    vec![removal.clone()]
                } else {
                    vec![]
                };
                spool
                    .push(&entry(&format!("{i}.txt"), removed).to_json())
                    .unwrap();
            }
            spool.flush().unwrap();
            let report = sample_report(spool);
            let mut written = Vec::new();
            write_json(&report, &mut written).unwrap();
            let written = String::from_utf8(written).unwrap();
            let value: serde_json::Value = serde_json::from_str(&written).unwrap();
            assert_eq!(value, serde_json::to_value(&report).unwrap());
            assert!(
                written.starts_with("{\n  \"format_version\": 2,\n  \"tool\": {\n    \"name\"")
            );
            assert!(written.ends_with("\n}\n"));
            // Each entry of an array that grows with the corpus is a line of
            // its own, indented by four spaces.
            let entries: Vec<&str> = written
                .lines()
                .filter(|l| l.starts_with("    {\""))
                .collect();
            let expected = documents + 1 + 1 + 1;
            assert_eq!(entries.len(), expected, "{written}");
            for line in entries {
                let line = line.trim().trim_end_matches(',');
                assert!(
                    serde_json::from_str::<serde_json::Value>(line).is_ok(),
                    "{line}"
                );
            }
        }
    }

    #[test]
    fn entries_not_flushed_are_an_error_not_a_short_report() {
        let mut spool = DocumentSpool::in_dir(&std::env::temp_dir()).unwrap();
        spool.push(b"{\"path\":\"a.txt\"}").unwrap();
        let report = sample_report(spool);
        let err = write_json(&report, &mut Vec::new()).unwrap_err();
        assert!(err.to_string().contains("not flushed"), "{err}");
        let mut report = report;
        report.documents.flush().unwrap();
        let mut written = Vec::new();
        write_json(&report, &mut written).unwrap();
        assert!(
            String::from_utf8(written)
                .unwrap()
                .contains("    {\"path\":\"a.txt\"}\n  ]")
        );
    }

    #[test]
    fn entries_written_from_a_pool_are_the_entries_written_alone() {
        let mut report = sample_report(DocumentSpool::discard());
        let group = report.duplicate_groups[0].clone();
        // Rounds and parts of every size, the last ones short.
        report.duplicate_groups = (0..2 * ENTRIES_A_ROUND + ENTRIES_A_PART + 3)
            .map(|i| DuplicateGroup {
                fingerprint: format!("{i:016x}"),
                ..group.clone()
            })
            .collect();
        let mut alone = Vec::new();
        write_json(&report, &mut alone).unwrap();
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .unwrap();
        let mut pooled = Vec::new();
        pool.install(|| write_json(&report, &mut pooled)).unwrap();
        assert!(
            alone == pooled,
            "the report differs when written from a pool"
        );
        let value: serde_json::Value = serde_json::from_slice(&pooled).unwrap();
        let groups = value["duplicate_groups"].as_array().unwrap();
        assert_eq!(groups.len(), report.duplicate_groups.len());
        let last = report.duplicate_groups.len() - 1;
        assert_eq!(groups[last]["fingerprint"], format!("{last:016x}"));
    }

    /// Pushes the same entries into each spool and flushes them.
    fn push_entries(spools: &mut [&mut DocumentSpool], documents: usize) {
        for i in 0..documents {
            let json = format!("{{\"path\":\"{i}.txt\",\"removed\":[]}}");
            for spool in spools.iter_mut() {
                spool.push(json.as_bytes()).unwrap();
            }
        }
        for spool in spools {
            spool.flush().unwrap();
        }
    }

    #[test]
    fn a_report_written_in_place_is_write_json_with_a_line_of_spaces() {
        let dir = tempfile::tempdir().unwrap();
        for documents in [0, 1, 3] {
            let path = dir.path().join(format!("{documents}.json"));
            let mut report = sample_report(DocumentSpool::discard());
            report.summary.documents = documents;
            report.summary.removed_by_rule.insert("share-buttons", 12);
            let rules = report.parameters.rules.clone();
            let room = head_room(&report.tool, &report.parameters, &rules);
            let mut in_place = DocumentSpool::in_report(&path, room).unwrap();
            let mut spooled = DocumentSpool::in_dir(dir.path()).unwrap();
            push_entries(&mut [&mut in_place, &mut spooled], documents);
            report.documents = spooled;
            let mut expected = Vec::new();
            write_json(&report, &mut expected).unwrap();
            let staged = in_place.take_report().unwrap().finish(&report).unwrap();
            staged.commit().unwrap();
            let written = std::fs::read(&path).unwrap();

            let lines: Vec<&[u8]> = written.split(|&b| b == b'\n').collect();
            let spaces: Vec<usize> = (0..lines.len())
                .filter(|&i| !lines[i].is_empty() && lines[i].iter().all(|&b| b == b' '))
                .collect();
            assert_eq!(spaces.len(), 1, "{}", String::from_utf8_lossy(&written));
            let at = spaces[0];
            assert_eq!(lines[at - 1], b"  },");
            assert!(lines[at + 1].starts_with(b"  \"documents\": ["));
            let without: Vec<&[u8]> = (0..lines.len())
                .filter(|&i| i != at)
                .map(|i| lines[i])
                .collect();
            assert!(
                without.join(&b'\n') == expected,
                "{}",
                String::from_utf8_lossy(&written)
            );
            assert_eq!(
                serde_json::from_slice::<serde_json::Value>(&written).unwrap(),
                serde_json::to_value(&report).unwrap()
            );
        }
    }

    #[test]
    fn the_head_room_holds_the_largest_summary_exactly() {
        let report = sample_report(DocumentSpool::discard());
        let rules = ["comment-form", "share-buttons", "tags"];
        let room = head_room(&report.tool, &report.parameters, &rules);
        let mut summary = Summary::largest(&rules);
        let mut head = Vec::new();
        write_head(&report.tool, &report.parameters, &summary, &mut head).unwrap();
        fill_head(&mut head, room).unwrap();
        assert_eq!(head.len(), room);
        assert!(head.ends_with(b"},\n\n  \"documents\": ["));
        // A rule the room was not kept for does not fit: an error, not a
        // head written over the first entries.
        summary.removed_by_rule.insert("related-posts", usize::MAX);
        let mut head = Vec::new();
        write_head(&report.tool, &report.parameters, &summary, &mut head).unwrap();
        let err = fill_head(&mut head, room).unwrap_err();
        assert!(err.to_string().contains("more than the"), "{err}");
    }

    fn sample_report(documents: DocumentSpool) -> Report {
        let at = |path: &str, paragraph| ParagraphRef {
            path: path.to_string(),
            paragraph,
            start: 0,
            end: 4,
        };
        Report {
            format_version: FORMAT_VERSION,
            tool: Tool {
                name: "dedupe",
                version: "0.0.0",
            },
            parameters: Parameters {
                mode: "clean",
                extensions: vec!["txt".to_string(), "a\nb".to_string()],
                strip: true,
                rules: vec!["share-buttons"],
                normalization: vec!["nfkc"],
                hash: "xxh3-64",
                seed: "0".repeat(16),
                near_duplicates: None,
                repeat_min_documents: 3,
                against: None,
            },
            summary: Summary::default(),
            documents,
            duplicate_groups: vec![DuplicateGroup {
                fingerprint: "f".repeat(16),
                kept: at("0.txt", 0),
                copies: vec![at("1.txt", 0), at("2.txt", 1)],
            }],
            document_groups: vec![DocumentGroup {
                kept: "0.txt".to_string(),
                members: vec![DocumentMember {
                    path: "2.txt".to_string(),
                    similarity: 0.9,
                    matches: "0.txt".to_string(),
                }],
            }],
            errors: vec![FileError::new(
                "bad.txt",
                crate::error::Operation::Read,
                "no",
            )],
        }
    }

    #[test]
    fn excerpts_are_short_and_on_one_line() {
        assert_eq!(excerpt("a\nb"), "a b");
        let long = "x".repeat(100);
        let e = excerpt(&long);
        assert_eq!(e.chars().count(), EXCERPT_CHARS);
        assert!(e.ends_with('…'));
        assert_eq!(
            excerpt(&"y".repeat(EXCERPT_CHARS)),
            "y".repeat(EXCERPT_CHARS)
        );
    }

    /// Document entries of every shape: all four reasons and scopes, with
    /// and without an encoding, strings with quotes, escapes, control
    /// characters and characters of every width, any counts and shares.
    fn entries() -> impl proptest::strategy::Strategy<Value = DocumentReport> {
        use proptest::prelude::*;
        let text = || "(?s)[a-z \"\\\\/\n\t\u{0}\u{1f}\u{7f}é€\u{2028}🙂]{0,40}";
        let at = || {
            (text(), any::<usize>(), any::<usize>(), any::<usize>()).prop_map(
                |(path, paragraph, start, end)| ParagraphRef {
                    path,
                    paragraph,
                    start,
                    end,
                },
            )
        };
        let scope = || {
            prop_oneof![
                Just(Scope::Within),
                Just(Scope::Across),
                Just(Scope::Corpus)
            ]
        };
        let share = || prop_oneof![0.0..=1.0f64, any::<f64>()];
        let reason = prop_oneof![
            text().prop_map(|rule| Reason::Boilerplate {
                rule: Box::leak(rule.into_boxed_str())
            }),
            (scope(), text(), at()).prop_map(|(scope, fingerprint, of)| Reason::Duplicate {
                scope,
                fingerprint,
                of
            }),
            (scope(), share(), at()).prop_map(|(scope, similarity, of)| {
                Reason::NearDuplicate {
                    scope,
                    similarity,
                    of,
                }
            }),
            (share(), text())
                .prop_map(|(similarity, of)| Reason::DuplicateDocument { similarity, of }),
        ];
        let removal = (
            any::<usize>(),
            any::<usize>(),
            any::<usize>(),
            reason,
            text(),
        )
            .prop_map(|(paragraph, start, end, reason, excerpt)| Removal {
                paragraph,
                start,
                end,
                reason,
                excerpt,
            });
        (
            text(),
            proptest::option::of(text()),
            any::<u64>(),
            any::<u64>(),
            any::<(usize, usize)>(),
            proptest::collection::vec(removal, 0..4),
        )
            .prop_map(
                |(path, encoding, bytes_in, bytes_out, (paragraphs, kept), removed)| {
                    DocumentReport {
                        path,
                        encoding,
                        bytes_in,
                        bytes_out,
                        paragraphs,
                        kept,
                        removed,
                    }
                },
            )
    }

    proptest::proptest! {
        #[test]
        fn a_duplicate_group_is_what_serde_json_makes_of_it(
            entry in entries(),
            fingerprint in "[0-9a-f\"\\\\]{0,16}",
        ) {
            // The paragraphs of the entry's removals, as a group's.
            let refs: Vec<ParagraphRef> = entry
                .removed
                .iter()
                .map(|r| ParagraphRef {
                    path: r.excerpt.clone(),
                    paragraph: r.paragraph,
                    start: r.start,
                    end: r.end,
                })
                .collect();
            let group = DuplicateGroup {
                fingerprint,
                kept: ParagraphRef {
                    path: entry.path.clone(),
                    paragraph: entry.paragraphs,
                    start: entry.kept,
                    end: entry.bytes_in as usize,
                },
                copies: refs,
            };
            let mut ours = Vec::new();
            group.write_entry(&mut ours).unwrap();
            proptest::prop_assert!(
                ours == serde_json::to_vec(&group).unwrap(),
                "{}",
                String::from_utf8_lossy(&ours)
            );
        }

        #[test]
        fn an_entry_is_what_serde_json_makes_of_it(entry in entries()) {
            let serde = serde_json::to_vec(&entry).unwrap();
            let ours = entry.to_json();
            proptest::prop_assert!(
                ours == serde,
                "{}\n{}",
                String::from_utf8_lossy(&ours),
                String::from_utf8_lossy(&serde)
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn excerpts_are_the_first_characters_with_white_space_as_spaces(
            // Some all ASCII (with every ASCII white space, and control
            // characters that are not), some with a character of more
            // bytes anywhere.
            text in "(?s)[a é\n\t\u{b}\u{2003}中🙂]{0,100}|[a .\t\n\u{b}\u{c}\r\u{1c}\u{1f}\u{7f}]{0,100}|[a \t]{0,100}[é\u{2003}][a ]{0,20}"
        ) {
            let chars: Vec<char> = text.chars().collect();
            let mut expected: String = chars
                .iter()
                .take(EXCERPT_CHARS)
                .map(|&c| if c.is_whitespace() { ' ' } else { c })
                .collect();
            if chars.len() > EXCERPT_CHARS {
                expected.pop();
                expected.push('…');
            }
            proptest::prop_assert_eq!(excerpt(&text), expected);
        }
    }
}
