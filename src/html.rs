//! The visual report: one self-contained HTML file beside the JSON report.
//!
//! The page needs no network and no other file: its style sheet and script
//! are compiled in (`src/html/report.css`, `src/html/report.js`) and its data
//! is embedded as JSON in `<script type="application/json">` blocks, with
//! every `<` written as `\u003c` so no text can end a block early.
//!
//! What a reader sees:
//!
//! - the summary of the run (counts, bytes, parameters) and two charts,
//!   removals by reason and by document, rendered here as plain HTML so the
//!   numbers show even with scripts off;
//! - the documents, a page at a time, each paragraph in a block: kept ones
//!   plain, removed ones highlighted by kind (boilerplate with its rule,
//!   duplicate, near-duplicate with its similarity, removed with its
//!   document), every duplicate linked to the kept copy (`#d<doc>-p<para>`,
//!   `doc` being the document's index in input order and `para` its
//!   paragraph number in the report, from 0); a filter by reason and a
//!   search box;
//! - the repeated paragraphs (the report's `duplicate_groups`), the groups
//!   of near-duplicate documents and the files that failed.
//!
//! The script renders one page of documents at a time from blocks of
//! [`CHUNK_DOCUMENTS`] documents, each parsed only when first shown (a
//! search parses them all), so a report of thousands of documents opens as
//! fast as a small one. Following a link to a paragraph on another page
//! turns to that page, scrolls to the paragraph and marks it.
//!
//! The page holds the text of the documents in input order up to
//! [`TEXT_BUDGET`] bytes of embedded data; the documents after that are
//! counted in the summary and the charts and named in a note, and are
//! found in the JSON report. The same input gives the same bytes: no
//! timestamps, no absolute paths, data in input order.

use crate::config::Config;
use crate::corpus;
use crate::decide::{Location, Verdict};
use crate::error::Fatal;
use crate::jsonl;
use crate::report::{self, Report};
use crate::segment::Span;
use crate::write::StagedFile;
use serde::Serialize;
use std::collections::HashSet;
use std::fs::File;
use std::io::{self, BufWriter, Seek, Write};
use std::path::{Path, PathBuf};

mod page;

/// Most bytes of embedded document data (text and verdicts, as JSON) a page
/// holds, about 5,000 news articles; later documents are left out of it.
pub const TEXT_BUDGET: u64 = 20 << 20;

/// Documents per embedded data block, the unit the page parses lazily.
pub const CHUNK_DOCUMENTS: usize = 50;

/// Documents listed in the "most removed" chart.
const TOP_DOCUMENTS: usize = 10;

/// The kinds of removal, in the order the page shows them.
const KINDS: [&str; 4] = [
    "boilerplate",
    "duplicate",
    "near-duplicate",
    "duplicate-document",
];

/// How much of a document the HTML report wants, decided before the
/// document is finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want {
    /// No HTML report.
    Nothing,
    /// Counts for the charts only: the page is full.
    Counts,
    /// Counts and the text with its verdicts.
    Text,
}

/// What the HTML report keeps of one finished document.
#[derive(Debug)]
pub struct Entry {
    /// Index of the document in input order.
    index: usize,
    path: String,
    bytes_in: u64,
    bytes_out: u64,
    paragraphs: usize,
    kept: usize,
    /// Removed paragraphs per kind, in the order of [`KINDS`].
    removed: [usize; 4],
    /// Filter tags: `boilerplate:<rule>` and the other kinds, sorted.
    tags: Vec<String>,
    /// The document's data block entry (compact, `<`-escaped JSON).
    json: Option<Vec<u8>>,
}

/// Why a paragraph was removed, as the page's data says it.
#[derive(Clone, Serialize)]
#[serde(tag = "k", rename_all = "kebab-case")]
enum Why {
    Boilerplate {
        rule: &'static str,
    },
    Duplicate {
        doc: usize,
        para: usize,
    },
    NearDuplicate {
        doc: usize,
        para: usize,
        sim: f64,
    },
    DuplicateDocument {
        doc: usize,
        sim: f64,
    },
    /// A copy of a paragraph of the indexed corpus (`--against`).
    CorpusDuplicate {
        path: String,
        para: usize,
    },
    CorpusNearDuplicate {
        path: String,
        para: usize,
        sim: f64,
    },
}

/// A paragraph in the data: `[start, end, text, why or null]`.
#[derive(Serialize)]
struct Para<'a>(usize, usize, &'a str, Option<Why>);

/// A document's data for the page, `{"n":index,"p":[paragraphs]}`,
/// written as serde_json would write it, byte for byte, with the texts
/// escaped eight bytes at a time ([`jsonl::write_str`]): serde_json
/// looks up every byte of them, and the page holds up to
/// [`TEXT_BUDGET`] of text.
fn document_data(n: usize, paras: &[Para], text: &str) -> Vec<u8> {
    // Room for the text and a few dozen bytes a paragraph.
    let mut out = Vec::with_capacity(text.len() + 64 * paras.len() + 32);
    // Writing to a vector cannot fail.
    let _ = write!(out, "{{\"n\":{n},\"p\":[");
    for (i, Para(start, end, own, why)) in paras.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let _ = write!(out, "[{start},{end},");
        jsonl::write_str(&mut out, own);
        out.push(b',');
        serde_json::to_writer(&mut out, why).expect("a verdict serialises");
        out.push(b']');
    }
    out.extend_from_slice(b"]}");
    out
}

/// A row of the page's document index.
#[derive(Serialize)]
struct Row<'a> {
    n: usize,
    path: &'a str,
    #[serde(rename = "in")]
    bytes_in: u64,
    out: u64,
    paras: usize,
    kept: usize,
    tags: &'a [String],
}

/// A finished document, as [`Entry::new`] reads it.
#[derive(Debug, Clone, Copy)]
pub struct Document<'a> {
    /// Index of the document in input order.
    pub index: usize,
    /// Its relative name.
    pub path: &'a str,
    /// Its text.
    pub text: &'a str,
    /// Its paragraphs.
    pub spans: &'a [Span],
    /// The verdict on each paragraph.
    pub verdicts: &'a [Verdict],
    /// Bytes in and out.
    pub bytes: (u64, u64),
    /// The indexed corpus checked against, to name its paragraphs.
    pub corpus: Option<&'a corpus::Index>,
}

impl Entry {
    /// The entry of `doc`; the text is kept only when `want` is
    /// [`Want::Text`].
    pub fn new(doc: &Document, want: Want) -> Entry {
        let Document {
            index,
            path,
            text,
            spans,
            verdicts,
            bytes: (bytes_in, bytes_out),
            corpus,
        } = *doc;
        let mut removed = [0; 4];
        let mut tags = Vec::new();
        let mut paras = Vec::with_capacity(spans.len());
        for (span, verdict) in spans.iter().zip(verdicts) {
            let why = why(verdict, corpus);
            if let Some(why) = &why {
                let (kind, tag) = match why {
                    Why::Boilerplate { rule } => (0, format!("boilerplate:{rule}")),
                    Why::Duplicate { .. } | Why::CorpusDuplicate { .. } => {
                        (1, KINDS[1].to_string())
                    }
                    Why::NearDuplicate { .. } | Why::CorpusNearDuplicate { .. } => {
                        (2, KINDS[2].to_string())
                    }
                    Why::DuplicateDocument { .. } => (3, KINDS[3].to_string()),
                };
                removed[kind] += 1;
                tags.push(tag);
            }
            if want == Want::Text {
                paras.push(Para(span.start, span.end, span.of(text), why));
            }
        }
        tags.sort();
        tags.dedup();
        let json = (want == Want::Text).then(|| script_json(document_data(index, &paras, text)));
        Entry {
            index,
            path: path.to_string(),
            bytes_in,
            bytes_out,
            paragraphs: spans.len(),
            kept: verdicts.iter().filter(|v| **v == Verdict::Kept).count(),
            removed,
            tags,
            json,
        }
    }

    fn removed_total(&self) -> usize {
        self.removed.iter().sum()
    }
}

fn why(verdict: &Verdict, corpus: Option<&corpus::Index>) -> Option<Why> {
    let share = |x: f32| report::rounded(f64::from(x));
    Some(match *verdict {
        Verdict::Kept => return None,
        Verdict::Boilerplate(rule) => Why::Boilerplate { rule },
        Verdict::Duplicate(Location { doc, para }) => Why::Duplicate { doc, para },
        Verdict::NearDuplicate { of, similarity } => Why::NearDuplicate {
            doc: of.doc,
            para: of.para,
            sim: share(similarity),
        },
        Verdict::DocumentDuplicate { of, similarity } => Why::DuplicateDocument {
            doc: of,
            sim: share(similarity),
        },
        Verdict::CorpusDuplicate(number) => {
            let (path, para) = corpus_paragraph(corpus, number);
            Why::CorpusDuplicate { path, para }
        }
        Verdict::CorpusNearDuplicate { of, similarity } => {
            let (path, para) = corpus_paragraph(corpus, of);
            Why::CorpusNearDuplicate {
                path,
                para,
                sim: share(similarity),
            }
        }
    })
}

/// Document and paragraph number of paragraph `number` of the indexed corpus.
fn corpus_paragraph(corpus: Option<&corpus::Index>, number: u32) -> (String, usize) {
    match corpus.map(|c| c.paragraph(number)) {
        Some(p) => (p.document.to_string(), p.paragraph),
        None => ("?".to_string(), 0),
    }
}

/// JSON made safe inside `<script>`: `<` only occurs in strings, where
/// `\u003c` means the same.
fn script_json(json: Vec<u8>) -> Vec<u8> {
    if memchr::memchr(b'<', &json).is_none() {
        return json;
    }
    let mut out = Vec::with_capacity(json.len() + 16);
    let mut from = 0;
    for at in memchr::memchr_iter(b'<', &json) {
        out.extend_from_slice(&json[from..at]);
        out.extend_from_slice(b"\\u003c");
        from = at + 1;
    }
    out.extend_from_slice(&json[from..]);
    out
}

/// A document of the "most removed" chart.
#[derive(Debug)]
struct Top {
    index: usize,
    path: String,
    paragraphs: usize,
    removed: [usize; 4],
    shown: bool,
}

/// Bins of the "share of paragraphs removed" chart.
const SHARE_BINS: [&str; 7] = [
    "none",
    "under 10%",
    "10–25%",
    "25–50%",
    "50–75%",
    "75–99%",
    "all",
];

fn share_bin(removed: usize, paragraphs: usize) -> usize {
    if removed == 0 {
        return 0;
    }
    if removed >= paragraphs {
        return 6;
    }
    let share = removed as f64 / paragraphs as f64;
    match share {
        s if s < 0.10 => 1,
        s if s < 0.25 => 2,
        s if s < 0.50 => 3,
        s if s < 0.75 => 4,
        _ => 5,
    }
}

/// The HTML report's data, gathered as documents finish: the documents'
/// data blocks in an unnamed temporary file (up to [`TEXT_BUDGET`] bytes),
/// their index rows, and the counts of the charts for every document.
#[derive(Debug)]
pub struct Spool {
    file: Option<BufWriter<File>>,
    written: u64,
    /// Index rows of the documents in the page, as JSON.
    rows: Vec<Vec<u8>>,
    /// Paths of the documents in the page.
    shown: HashSet<String>,
    /// Documents finished after the page was full.
    left_out: usize,
    bins: [usize; 7],
    top: Vec<Top>,
}

impl Spool {
    /// A spool in a temporary file in `dir`, deleted when the spool is.
    pub fn in_dir(dir: &Path) -> io::Result<Spool> {
        let mut spool = Spool::discard();
        spool.file = Some(BufWriter::new(tempfile::tempfile_in(dir)?));
        Ok(spool)
    }

    /// The spool for a run: in the directory of `config.html_report`, or
    /// one that keeps nothing when there is no HTML report.
    pub fn for_config(config: &Config) -> Result<Spool, Fatal> {
        match &config.html_report {
            None => Ok(Spool::discard()),
            Some(path) => {
                let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
                Spool::in_dir(dir.unwrap_or(Path::new(".")))
                    .map_err(|e| Fatal::io("write", path, &e))
            }
        }
    }

    /// A spool that keeps nothing, for a run without an HTML report.
    pub fn discard() -> Spool {
        Spool {
            file: None,
            written: 0,
            rows: Vec::new(),
            shown: HashSet::new(),
            left_out: 0,
            bins: [0; 7],
            top: Vec::new(),
        }
    }

    /// What the next documents should bring.
    pub fn want(&self) -> Want {
        match &self.file {
            None => Want::Nothing,
            Some(_) if self.left_out > 0 => Want::Counts,
            Some(_) => Want::Text,
        }
    }

    /// Adds one finished document, in input order.
    pub fn push(&mut self, entry: Entry) -> io::Result<()> {
        let Some(file) = &mut self.file else {
            return Ok(());
        };
        self.bins[share_bin(entry.removed_total(), entry.paragraphs)] += 1;
        let fits = match &entry.json {
            Some(json) => {
                self.left_out == 0
                    && (self.rows.is_empty() || self.written + json.len() as u64 <= TEXT_BUDGET)
            }
            None => false,
        };
        if let (true, Some(json)) = (fits, &entry.json) {
            file.write_all(json)?;
            file.write_all(b"\n")?;
            self.written += json.len() as u64 + 1;
            let row = Row {
                n: entry.index,
                path: &entry.path,
                bytes_in: entry.bytes_in,
                out: entry.bytes_out,
                paras: entry.paragraphs,
                kept: entry.kept,
                tags: &entry.tags,
            };
            self.rows.push(script_json(
                serde_json::to_vec(&row).expect("a row serialises"),
            ));
            self.shown.insert(entry.path.clone());
        } else {
            self.left_out += 1;
        }
        if entry.removed_total() > 0 {
            let at = self
                .top
                .partition_point(|t| t.removed.iter().sum::<usize>() >= entry.removed_total());
            if at < TOP_DOCUMENTS {
                self.top.insert(
                    at,
                    Top {
                        index: entry.index,
                        path: entry.path,
                        paragraphs: entry.paragraphs,
                        removed: entry.removed,
                        shown: fits,
                    },
                );
                self.top.truncate(TOP_DOCUMENTS);
            }
        }
        Ok(())
    }
}

/// Where the HTML report goes beside the JSON report `json`: `NAME.html`
/// for `NAME.json`, else the name with `.html` added.
pub fn beside(json: &Path) -> PathBuf {
    if json.extension().is_some_and(|e| e == "json") {
        json.with_extension("html")
    } else {
        let mut name = json.as_os_str().to_os_string();
        name.push(".html");
        PathBuf::from(name)
    }
}

/// Writes the HTML report of `report`, with the documents gathered in
/// `spool`, beside `path`, to be renamed into place by
/// [`StagedFile::commit`](crate::write::StagedFile::commit).
pub fn stage(path: &Path, report: &Report, mut spool: Spool) -> Result<StagedFile, Fatal> {
    if let Some(file) = &mut spool.file {
        file.flush()
            .and_then(|()| file.get_mut().rewind())
            .map_err(|e| {
                Fatal::new(format!("cannot read the HTML report's temporary file: {e}"))
            })?;
    }
    crate::write::stage_file(path, |out| {
        let mut out = BufWriter::new(out);
        page::render(report, &spool, &mut out)?;
        out.flush()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc<'a>(
        index: usize,
        text: &'a str,
        spans: &'a [Span],
        verdicts: &'a [Verdict],
    ) -> Document<'a> {
        Document {
            index,
            path: "x.txt",
            text,
            spans,
            verdicts,
            bytes: (text.len() as u64, 0),
            corpus: None,
        }
    }

    #[test]
    fn script_data_cannot_close_its_block() {
        let text = "a </script><script>alert(1)</script> <!-- b";
        let spans = [Span {
            start: 0,
            end: text.len(),
        }];
        let e = Entry::new(&doc(0, text, &spans, &[Verdict::Kept]), Want::Text);
        let json = String::from_utf8(e.json.unwrap()).unwrap();
        assert!(!json.contains('<'), "{json}");
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(back["p"][0][2], text);
    }

    /// A document's data as serde_json writes it.
    #[derive(Serialize)]
    struct DocData<'a> {
        n: usize,
        p: &'a [Para<'a>],
    }

    #[test]
    fn document_data_is_what_serde_json_writes() {
        let texts = [
            "plain words",
            "quotes \" and \\ back\tslash\nnew line \u{1} \u{1f} \u{7f} <b>",
            "é – “curly” 日本語 🙂 and a long run of text with no escape at all, past eight bytes",
            "",
        ];
        let whys = [
            None,
            Some(Why::Boilerplate {
                rule: "share-buttons",
            }),
            Some(Why::NearDuplicate {
                doc: 2,
                para: 7,
                sim: 0.8125,
            }),
            Some(Why::CorpusDuplicate {
                path: "a \"b\".txt".to_string(),
                para: 1,
            }),
        ];
        for n in [0, 1, 12_345] {
            let paras: Vec<Para> = texts
                .iter()
                .zip(whys.iter().cycle().skip(n % 3))
                .enumerate()
                .map(|(i, (t, why))| Para(i * 10, i * 10 + t.len(), t, why.clone()))
                .collect();
            let expected = serde_json::to_vec(&DocData { n, p: &paras }).unwrap();
            assert_eq!(document_data(n, &paras, "some text"), expected);
            assert_eq!(
                document_data(n, &[], ""),
                serde_json::to_vec(&DocData { n, p: &[] }).unwrap()
            );
        }
    }

    #[test]
    fn entries_count_and_tag_removals() {
        let text = "a\nb\nc\nd";
        let spans: Vec<Span> = (0..4)
            .map(|i| Span {
                start: 2 * i,
                end: 2 * i + 1,
            })
            .collect();
        let verdicts = [
            Verdict::Kept,
            Verdict::Boilerplate("share-buttons"),
            Verdict::Duplicate(Location { doc: 0, para: 0 }),
            Verdict::NearDuplicate {
                of: Location { doc: 0, para: 0 },
                similarity: 0.9,
            },
        ];
        let e = Entry::new(&doc(3, text, &spans, &verdicts), Want::Text);
        assert_eq!(e.removed, [1, 1, 1, 0]);
        assert_eq!(e.kept, 1);
        assert_eq!(
            e.tags,
            ["boilerplate:share-buttons", "duplicate", "near-duplicate"]
        );
        let data: serde_json::Value = serde_json::from_slice(&e.json.unwrap()).unwrap();
        assert_eq!(data["n"], 3);
        assert_eq!(data["p"][0], serde_json::json!([0, 1, "a", null]));
        assert_eq!(
            data["p"][2][3],
            serde_json::json!({"k": "duplicate", "doc": 0, "para": 0})
        );
        assert_eq!(data["p"][3][3]["sim"], 0.9);
        let counts = Entry::new(&doc(3, text, &spans, &verdicts), Want::Counts);
        assert!(counts.json.is_none());
        assert_eq!(counts.removed, [1, 1, 1, 0]);
    }

    #[test]
    fn share_bins() {
        assert_eq!(share_bin(0, 0), 0);
        assert_eq!(share_bin(0, 5), 0);
        assert_eq!(share_bin(1, 20), 1);
        assert_eq!(share_bin(1, 4), 3);
        assert_eq!(share_bin(3, 4), 5);
        assert_eq!(share_bin(4, 4), 6);
    }

    #[test]
    fn the_page_stops_at_the_budget_and_keeps_counting() {
        let dir = tempfile::tempdir().unwrap();
        let mut spool = Spool::in_dir(dir.path()).unwrap();
        let big = "x".repeat((TEXT_BUDGET / 2) as usize);
        let spans = [Span {
            start: 0,
            end: big.len(),
        }];
        for i in 0..4 {
            let want = spool.want();
            let verdicts = [Verdict::Boilerplate("ad")];
            let path = format!("{i}.txt");
            let doc = Document {
                path: &path,
                ..doc(i, &big, &spans, &verdicts)
            };
            spool.push(Entry::new(&doc, want)).unwrap();
        }
        assert_eq!(spool.rows.len(), 1);
        assert_eq!(spool.left_out, 3);
        assert_eq!(spool.want(), Want::Counts);
        assert_eq!(spool.bins[6], 4);
        assert_eq!(spool.top.len(), 4);
        assert!(spool.top[0].shown && !spool.top[1].shown);
        assert_eq!(spool.top[1].index, 1, "ties keep input order");
    }

    #[test]
    fn beside_the_json_report() {
        assert_eq!(
            beside(Path::new("out.report.json")),
            Path::new("out.report.html")
        );
        assert_eq!(beside(Path::new("dir/r")), Path::new("dir/r.html"));
    }
}
