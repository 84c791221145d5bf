//! The ground truth: what each paragraph and document of the corpus is.

use std::io::{self, Write};

/// What a non-base paragraph or a copied document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// A byte-identical copy of an earlier paragraph.
    Exact,
    /// About one word in twenty replaced.
    WordEdit,
    /// A dateline or a clause added.
    Insertion,
    /// A few words or a short clause left out.
    Deletion,
    /// Some words, a sentence or all of it in other capitals.
    Case,
    /// Commas added or removed, the final mark changed, dashes.
    Punctuation,
    /// Straight quotes made curly or curly ones straight.
    Quotes,
    /// Doubled, non-breaking or trailing spaces.
    Whitespace,
    /// The same sentences in another order.
    Reorder,
    /// The first half of one paragraph and the second half of another.
    Merge,
    /// New text that borrows one sentence: not a copy.
    Partial,
    /// A line `dedupe`'s rules remove.
    Boilerplate,
    /// A byte-identical copy of an earlier document.
    DocExact,
    /// An earlier document with a few edits.
    DocNear,
}

impl Kind {
    /// The name the truth file uses.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Exact => "exact",
            Kind::WordEdit => "word-edit",
            Kind::Insertion => "insertion",
            Kind::Deletion => "deletion",
            Kind::Case => "case",
            Kind::Punctuation => "punctuation",
            Kind::Quotes => "quotes",
            Kind::Whitespace => "whitespace",
            Kind::Reorder => "reorder",
            Kind::Merge => "merge",
            Kind::Partial => "partial",
            Kind::Boilerplate => "boilerplate",
            Kind::DocExact => "doc-exact",
            Kind::DocNear => "doc-near",
        }
    }
}

/// A paragraph of the corpus: document index (corpus order) and paragraph
/// index in `dedupe`'s segmentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct At {
    /// Index of the document.
    pub doc: usize,
    /// Index of the paragraph in it, the headline being 0.
    pub para: usize,
}

/// The truth about one paragraph that is not base text.
#[derive(Debug, Clone, Copy)]
pub struct Truth {
    /// What it is.
    pub kind: Kind,
    /// What it copies (for `partial`: where its borrowed sentence is from).
    pub source: Option<At>,
    /// The second source of a `merge`.
    pub source2: Option<At>,
}

/// The header line of `truth.tsv`.
pub const HEADER: &str =
    "kind\tpath\tparagraph\tsource_path\tsource_paragraph\tsource2_path\tsource2_paragraph";

/// Document paths: `NNN/DDDDDD.txt`, at most 1000 files per directory,
/// zero-padded so that sorted order is corpus order.
#[derive(Debug, Clone, Copy)]
pub struct Paths {
    dir_width: usize,
    file_width: usize,
}

impl Paths {
    /// Paths wide enough for `max_docs` documents.
    pub fn new(max_docs: usize) -> Paths {
        let digits = |n: usize| n.max(1).to_string().len();
        Paths {
            dir_width: digits(max_docs.saturating_sub(1) / 1000).max(3),
            file_width: digits(max_docs.saturating_sub(1)).max(6),
        }
    }

    /// The directory of document `doc`, relative to the corpus.
    pub fn dir(&self, doc: usize) -> String {
        format!("{:0w$}", doc / 1000, w = self.dir_width)
    }

    /// The path of document `doc`, relative to the corpus.
    pub fn path(&self, doc: usize) -> String {
        format!("{}/{:0w$}.txt", self.dir(doc), doc, w = self.file_width)
    }
}

/// Writes one paragraph row.
pub fn write_paragraph(
    out: &mut dyn Write,
    paths: &Paths,
    at: At,
    truth: &Truth,
) -> io::Result<()> {
    let place = |a: Option<At>| match a {
        Some(a) => format!("{}\t{}", paths.path(a.doc), a.para),
        None => "\t".to_string(),
    };
    writeln!(
        out,
        "{}\t{}\t{}\t{}\t{}",
        truth.kind.name(),
        paths.path(at.doc),
        at.para,
        place(truth.source),
        place(truth.source2)
    )
}

/// Writes one document row.
pub fn write_document(
    out: &mut dyn Write,
    paths: &Paths,
    kind: Kind,
    doc: usize,
    source: usize,
) -> io::Result<()> {
    writeln!(
        out,
        "{}\t{}\t-\t{}\t-\t\t",
        kind.name(),
        paths.path(doc),
        paths.path(source)
    )
}
