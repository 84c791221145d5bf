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
use crate::decide::{Location, Verdict};
use crate::error::{Fatal, FileError};
use crate::report::{self, Report};
use crate::segment::Span;
use serde::Serialize;
use std::collections::HashSet;
use std::fmt::Write as _;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Seek, Write};
use std::path::{Path, PathBuf};

const CSS: &str = include_str!("html/report.css");
const JS: &str = include_str!("html/report.js");

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
#[derive(Serialize)]
#[serde(tag = "k", rename_all = "kebab-case")]
enum Why {
    Boilerplate { rule: &'static str },
    Duplicate { doc: usize, para: usize },
    NearDuplicate { doc: usize, para: usize, sim: f64 },
    DuplicateDocument { doc: usize, sim: f64 },
}

/// A paragraph in the data: `[start, end, text, why or null]`.
#[derive(Serialize)]
struct Para<'a>(usize, usize, &'a str, Option<Why>);

#[derive(Serialize)]
struct DocData<'a> {
    n: usize,
    p: Vec<Para<'a>>,
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

impl Entry {
    /// The entry of document `index` (its name `path`, its `text` with the
    /// paragraph `spans` and their `verdicts`); the text is kept only when
    /// `want` is [`Want::Text`].
    pub fn new(
        index: usize,
        path: &str,
        text: &str,
        spans: &[Span],
        verdicts: &[Verdict],
        (bytes_in, bytes_out): (u64, u64),
        want: Want,
    ) -> Entry {
        let mut removed = [0; 4];
        let mut tags = Vec::new();
        let mut paras = Vec::with_capacity(spans.len());
        for (span, verdict) in spans.iter().zip(verdicts) {
            let why = why(verdict);
            if let Some(why) = &why {
                let (kind, tag) = match why {
                    Why::Boilerplate { rule } => (0, format!("boilerplate:{rule}")),
                    Why::Duplicate { .. } => (1, KINDS[1].to_string()),
                    Why::NearDuplicate { .. } => (2, KINDS[2].to_string()),
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
        let json = (want == Want::Text).then(|| {
            let data = DocData { n: index, p: paras };
            script_json(&serde_json::to_vec(&data).expect("document data serialises"))
        });
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

fn why(verdict: &Verdict) -> Option<Why> {
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
    })
}

/// JSON made safe inside `<script>`: `<` only occurs in strings, where
/// `\u003c` means the same.
fn script_json(json: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(json.len() + 16);
    for &b in json {
        if b == b'<' {
            out.extend_from_slice(b"\\u003c");
        } else {
            out.push(b);
        }
    }
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
                &serde_json::to_vec(&row).expect("a row serialises"),
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
/// `spool`, to `path`, atomically.
pub fn write(path: &Path, report: &Report, mut spool: Spool) -> Result<(), Fatal> {
    if let Some(file) = &mut spool.file {
        file.flush()
            .and_then(|()| file.get_mut().rewind())
            .map_err(|e| {
                Fatal::new(format!("cannot read the HTML report's temporary file: {e}"))
            })?;
    }
    crate::write::write_atomic_with(path, |out| {
        let mut out = BufWriter::new(out);
        render(report, &spool, &mut out)?;
        out.flush()
    })
}

/// The whole page.
fn render(report: &Report, spool: &Spool, out: &mut dyn Write) -> io::Result<()> {
    let s = &report.summary;
    write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>dedupe report: {} documents, {} removed</title>\n<style>\n{CSS}</style>\n</head>\n\
         <body data-chunk=\"{CHUNK_DOCUMENTS}\">\n",
        s.documents,
        s.removed()
    )?;
    out.write_all(header(report).as_bytes())?;
    out.write_all(summary(report, spool).as_bytes())?;
    out.write_all(sections(report, spool).as_bytes())?;
    // The data, then the script that renders it.
    out.write_all(b"<script type=\"application/json\" id=\"dd-index\">[")?;
    for (i, row) in spool.rows.iter().enumerate() {
        if i > 0 {
            out.write_all(b",\n")?;
        }
        out.write_all(row)?;
    }
    out.write_all(b"]</script>\n<script type=\"application/json\" id=\"dd-groups\">")?;
    let groups: Vec<_> = report
        .duplicate_groups
        .iter()
        .filter(|g| spool.shown.contains(&g.kept.path))
        .collect();
    out.write_all(&script_json(&serde_json::to_vec(&groups)?))?;
    out.write_all(b"</script>\n<script type=\"application/json\" id=\"dd-document-groups\">")?;
    out.write_all(&script_json(&serde_json::to_vec(&report.document_groups)?))?;
    out.write_all(b"</script>\n")?;
    if let Some(file) = &spool.file {
        let mut lines = BufReader::new(file.get_ref()).split(b'\n');
        for first in (0..spool.rows.len()).step_by(CHUNK_DOCUMENTS) {
            write!(
                out,
                "<script type=\"application/json\" class=\"dd-chunk\" data-first=\"{first}\">["
            )?;
            for k in 0..CHUNK_DOCUMENTS.min(spool.rows.len() - first) {
                let line = lines.next().ok_or_else(|| {
                    io::Error::new(io::ErrorKind::UnexpectedEof, "document data ended early")
                })??;
                if k > 0 {
                    out.write_all(b",\n")?;
                }
                out.write_all(&line)?;
            }
            out.write_all(b"]</script>\n")?;
        }
    }
    write!(out, "<script>\n{JS}</script>\n</body>\n</html>\n")
}

fn header(report: &Report) -> String {
    let p = &report.parameters;
    let mut meta = vec![
        format!("{} {}", report.tool.name, report.tool.version),
        format!("{} mode", p.mode),
    ];
    match &p.near_duplicates {
        Some(near) => meta.push(format!(
            "near-duplicates at {} (shingles of {} words), documents at {}",
            near.threshold, near.shingle_width, near.document_threshold
        )),
        None => meta.push("exact duplicates only".to_string()),
    }
    meta.push(if p.strip {
        format!("{} boilerplate rules", p.rules.len())
    } else {
        "no boilerplate stripping".to_string()
    });
    format!(
        "<header class=\"top\">\n<h1>dedupe report</h1>\n<p class=\"meta\">{}</p>\n</header>\n",
        escape(&meta.join(" · "))
    )
}

fn summary(report: &Report, spool: &Spool) -> String {
    let s = &report.summary;
    let mut h = String::from("<section id=\"summary\">\n<div class=\"cards\">\n");
    let share = |part: u64, whole: u64| {
        if whole == 0 {
            0.0
        } else {
            100.0 * part as f64 / whole as f64
        }
    };
    let cards = [
        ("documents", s.documents.to_string(), String::new()),
        ("paragraphs", s.paragraphs.to_string(), String::new()),
        ("kept", s.kept.to_string(), String::new()),
        (
            "removed",
            s.removed().to_string(),
            format!(
                "{:.1}% of paragraphs",
                share(s.removed() as u64, s.paragraphs as u64)
            ),
        ),
        (
            "bytes removed",
            format!(
                "{:.1}%",
                share(s.bytes_in.saturating_sub(s.bytes_out), s.bytes_in)
            ),
            format!("{} → {} bytes", s.bytes_in, s.bytes_out),
        ),
        (
            "duplicate documents",
            s.duplicate_documents.to_string(),
            format!("in {} groups", report.document_groups.len()),
        ),
        ("failed", s.failed.to_string(), String::new()),
    ];
    for (name, value, note) in cards {
        let id = name.replace(' ', "-");
        let _ = writeln!(
            h,
            "<div class=\"card\" id=\"card-{id}\"><b class=\"value\">{value}</b>\
             <span class=\"name\">{name}</span><span class=\"note\">{}</span></div>",
            escape(&note)
        );
    }
    h.push_str("</div>\n");
    if spool.left_out > 0 {
        let _ = writeln!(
            h,
            "<p class=\"note\" id=\"left-out\">This page shows the first {} documents; the {} after \
             them are counted above but left out of the page to keep it light \
             (see the JSON report, or <code>dedupe explain</code>).</p>",
            spool.rows.len(),
            spool.left_out
        );
    }
    h.push_str("<div class=\"charts\">\n");
    h.push_str(&reason_chart(s));
    h.push_str(&document_chart(spool));
    h.push_str("</div>\n</section>\n");
    h
}

/// Removals by reason: one bar per rule and per kind of duplicate.
fn reason_chart(s: &report::Summary) -> String {
    // (label, kind, filter tag, count)
    let mut rows: Vec<(String, &str, String, usize)> = s
        .removed_by_rule
        .iter()
        .map(|(rule, &n)| {
            (
                (*rule).to_string(),
                KINDS[0],
                format!("boilerplate:{rule}"),
                n,
            )
        })
        .collect();
    rows.sort_by(|a, b| b.3.cmp(&a.3).then_with(|| a.0.cmp(&b.0)));
    let duplicates = [
        (
            "duplicate, same document",
            KINDS[1],
            s.removed_duplicate_within,
        ),
        (
            "duplicate, earlier document",
            KINDS[1],
            s.removed_duplicate_across,
        ),
        (
            "near-duplicate, same document",
            KINDS[2],
            s.removed_near_duplicate_within,
        ),
        (
            "near-duplicate, earlier document",
            KINDS[2],
            s.removed_near_duplicate_across,
        ),
        (
            "with a duplicate document",
            KINDS[3],
            s.removed_duplicate_document,
        ),
    ];
    for (label, kind, n) in duplicates {
        if n > 0 {
            rows.push((label.to_string(), kind, kind.to_string(), n));
        }
    }
    let max = rows.iter().map(|r| r.3).max().unwrap_or(0).max(1);
    let mut h = String::from(
        "<figure class=\"chart\" id=\"chart-reasons\">\n<figcaption>Removed paragraphs by reason\
         </figcaption>\n<ul class=\"bars\">\n",
    );
    if rows.is_empty() {
        h.push_str("<li class=\"empty\">nothing removed</li>\n");
    }
    for (label, kind, filter, n) in &rows {
        let _ = writeln!(
            h,
            "<li><button type=\"button\" class=\"bar-row\" data-filter=\"{}\" title=\"show the documents\">\
             <span class=\"label\">{}</span><span class=\"track\"><span class=\"bar k-{kind}\" \
             style=\"width:{:.1}%\"></span></span><span class=\"count\">{n}</span></button></li>",
            escape(filter),
            escape(label),
            100.0 * *n as f64 / max as f64
        );
    }
    h.push_str("</ul>\n");
    h.push_str(&legend());
    h.push_str("</figure>\n");
    h
}

fn legend() -> String {
    let mut h = String::from("<p class=\"legend\">");
    for kind in KINDS {
        let _ = write!(h, "<span class=\"swatch k-{kind}\"></span>{kind} ");
    }
    h.push_str("</p>\n");
    h
}

/// Removals by document: how many documents lost what share of their
/// paragraphs, and the documents that lost the most.
fn document_chart(spool: &Spool) -> String {
    let mut h = String::from(
        "<figure class=\"chart\" id=\"chart-documents\">\n<figcaption>Documents by share of \
         paragraphs removed</figcaption>\n<ul class=\"bars\">\n",
    );
    let max = spool.bins.iter().copied().max().unwrap_or(0).max(1);
    for (label, &n) in SHARE_BINS.iter().zip(&spool.bins) {
        let _ = writeln!(
            h,
            "<li class=\"bar-row\"><span class=\"label\">{label}</span><span class=\"track\">\
             <span class=\"bar k-documents\" style=\"width:{:.1}%\"></span></span>\
             <span class=\"count\">{n}</span></li>",
            100.0 * n as f64 / max as f64
        );
    }
    h.push_str("</ul>\n");
    if !spool.top.is_empty() {
        h.push_str("<figcaption>Most paragraphs removed</figcaption>\n<ul class=\"bars\" id=\"top-documents\">\n");
        let max = spool
            .top
            .iter()
            .map(|t| t.paragraphs)
            .max()
            .unwrap_or(0)
            .max(1);
        for t in &spool.top {
            let name = if t.shown {
                format!(
                    "<a href=\"#d{}\" title=\"{}\">{}</a>",
                    t.index,
                    escape(&t.path),
                    escape(&t.path)
                )
            } else {
                format!("<span title=\"{0}\">{0}</span>", escape(&t.path))
            };
            let _ = write!(
                h,
                "<li class=\"bar-row\"><span class=\"label\">{name}</span><span class=\"track\">"
            );
            for (kind, &n) in KINDS.iter().zip(&t.removed) {
                if n > 0 {
                    let _ = write!(
                        h,
                        "<span class=\"bar k-{kind}\" style=\"width:{:.1}%\" title=\"{n} {kind}\"></span>",
                        100.0 * n as f64 / max as f64
                    );
                }
            }
            let _ = writeln!(
                h,
                "</span><span class=\"count\">{} of {}</span></li>",
                t.removed.iter().sum::<usize>(),
                t.paragraphs
            );
        }
        h.push_str("</ul>\n");
    }
    h.push_str("</figure>\n");
    h
}

/// The tabs and their sections; the script fills them.
fn sections(report: &Report, spool: &Spool) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<nav class=\"tabs\" role=\"tablist\">\
         <button type=\"button\" data-tab=\"documents\" class=\"active\">Documents ({})</button>\
         <button type=\"button\" data-tab=\"groups\">Repeated paragraphs ({})</button>\
         <button type=\"button\" data-tab=\"document-groups\">Duplicate documents ({})</button>\
         <button type=\"button\" data-tab=\"errors\">Failed files ({})</button></nav>\n",
        spool.rows.len(),
        report.duplicate_groups.len(),
        report.document_groups.len(),
        report.errors.len()
    );
    h.push_str(
        "<section id=\"documents\" class=\"tab\">\n<div class=\"controls\">\
         <label>Reason <select id=\"filter\"><option value=\"\">all documents</option>\
         <option value=\"removed\">with removals</option></select></label>\
         <label class=\"grow\">Search <input type=\"search\" id=\"search\" \
         placeholder=\"text or file name\"></label>\
         <label><input type=\"checkbox\" id=\"removed-only\"> removed paragraphs only</label>\
         </div>\n<div class=\"pager\" id=\"pager-top\"></div>\n\
         <div id=\"doc-list\"><noscript><p>The documents are shown by a script; \
         this browser runs none.</p></noscript></div>\n\
         <div class=\"pager\" id=\"pager-bottom\"></div>\n</section>\n",
    );
    h.push_str(
        "<section id=\"groups\" class=\"tab\" hidden>\n<p class=\"help\">Paragraphs found more \
         than once, exactly (after normalisation): the first copy, kept, and the copies removed.\
         </p>\n<div class=\"pager\" id=\"group-pager\"></div>\n<div id=\"group-list\"></div>\n\
         </section>\n",
    );
    h.push_str(
        "<section id=\"document-groups\" class=\"tab\" hidden>\n<p class=\"help\">Documents whose \
         word shingles are near-duplicates of an earlier document's (estimated Jaccard \
         similarity).</p>\n<div id=\"document-group-list\"></div>\n</section>\n",
    );
    h.push_str("<section id=\"errors\" class=\"tab\" hidden>\n");
    h.push_str(&errors(&report.errors));
    h.push_str("</section>\n");
    h
}

fn errors(errors: &[FileError]) -> String {
    if errors.is_empty() {
        return "<p class=\"help\">Every file was read.</p>\n".to_string();
    }
    let mut h =
        String::from("<table class=\"errors\"><tr><th>file</th><th>step</th><th>why</th></tr>\n");
    for e in errors {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&e.path),
            e.operation,
            escape(&e.message)
        );
    }
    h.push_str("</table>\n");
    h
}

/// Text made safe in HTML content and attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_data_cannot_close_its_block() {
        let text = "a </script><script>alert(1)</script> <!-- b";
        let spans = [Span {
            start: 0,
            end: text.len(),
        }];
        let e = Entry::new(
            0,
            "x.txt",
            text,
            &spans,
            &[Verdict::Kept],
            (1, 1),
            Want::Text,
        );
        let json = String::from_utf8(e.json.unwrap()).unwrap();
        assert!(!json.contains('<'), "{json}");
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(back["p"][0][2], text);
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
        let e = Entry::new(3, "x.txt", text, &spans, &verdicts, (7, 1), Want::Text);
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
        let counts = Entry::new(3, "x.txt", text, &spans, &verdicts, (7, 1), Want::Counts);
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
            spool
                .push(Entry::new(
                    i,
                    &format!("{i}.txt"),
                    &big,
                    &spans,
                    &verdicts,
                    (1, 0),
                    want,
                ))
                .unwrap();
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

    #[test]
    fn escaping() {
        assert_eq!(escape("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&#39;");
    }
}
