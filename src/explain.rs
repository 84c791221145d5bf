//! `dedupe explain`: why the paragraphs of one document were removed, and
//! where their other copies are, read back from a JSON report.
//!
//! The report is the one named with `--report`, else the default report of
//! the corpus named with `--corpus` (`DIR-clean.report.json`), else the
//! default report of the nearest directory above the document that has one.
//! When a corpus is named and has no report, the pipeline runs on it in
//! check mode into a temporary report first.
//!
//! For each removed paragraph the output gives its number (from 0, as in the
//! report), its byte span, the reason (the rule; the kept copy it
//! duplicates, with the similarity of a near-duplicate; the document it was
//! removed with), its excerpt, and the other copies of the same text: the
//! members of its duplicate group, the other paragraphs removed as copies of
//! the same kept paragraph, and for boilerplate the other documents where the
//! same rule removed a paragraph with the same excerpt. Then the document's
//! near-duplicate documents and its kept paragraphs that have copies
//! elsewhere. With a paragraph number, only that paragraph: why it was
//! removed, or that it was kept and which later copies point at it.

use crate::config::{Config, Mode, ReportTarget};
use crate::error::{Fatal, display_path};
use crate::{ExitStatus, run};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufReader, Write};
use std::path::{Path, PathBuf};

/// Where the report to explain from comes from.
#[derive(Debug, Clone)]
pub enum Origin {
    /// A report file named by the user; an error if it cannot be read.
    Report(PathBuf),
    /// A corpus: its default `report` if that exists, else a check run of
    /// `config` (whose inputs are the corpus) into a temporary report.
    Corpus {
        /// The corpus's default report.
        report: PathBuf,
        /// The run that makes a report when there is none.
        config: Box<Config>,
    },
    /// Default reports of the directories above the document, nearest
    /// first: `(directory, report)`; the first report that exists is read.
    Search(Vec<(PathBuf, PathBuf)>),
}

/// What to explain, resolved from the command line.
#[derive(Debug, Clone)]
pub struct Request {
    /// The document as the user named it: its name in the report, or a path
    /// to the file.
    pub document: PathBuf,
    /// Only this paragraph (from 0, as in the report).
    pub paragraph: Option<usize>,
    /// The directory the report's names are relative to, when known.
    pub corpus: Option<PathBuf>,
    /// Where the report comes from.
    pub origin: Origin,
    /// Say nothing on stderr but errors.
    pub quiet: bool,
}

/// The parts of a JSON report (format version 1 or 2) that `explain` reads.
#[derive(Debug, Deserialize)]
struct ReportFile {
    documents: Vec<Doc>,
    #[serde(default)]
    duplicate_groups: Vec<Group>,
    #[serde(default)]
    document_groups: Vec<DocGroup>,
    #[serde(default)]
    errors: Vec<Failure>,
}

#[derive(Debug, Deserialize)]
struct Doc {
    path: String,
    paragraphs: usize,
    kept: usize,
    removed: Vec<Removal>,
}

#[derive(Debug, Deserialize)]
struct Removal {
    paragraph: usize,
    start: usize,
    end: usize,
    reason: Reason,
    excerpt: String,
}

#[derive(Debug, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
enum Reason {
    Boilerplate {
        rule: String,
    },
    Duplicate {
        #[serde(default)]
        scope: String,
        of: Ref,
    },
    NearDuplicate {
        #[serde(default)]
        scope: String,
        similarity: f64,
        of: Ref,
    },
    DuplicateDocument {
        similarity: f64,
        of: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
struct Ref {
    path: String,
    paragraph: usize,
    start: usize,
    end: usize,
}

#[derive(Debug, Deserialize)]
struct Group {
    kept: Ref,
    copies: Vec<Ref>,
}

#[derive(Debug, Deserialize)]
struct DocGroup {
    kept: String,
    members: Vec<Member>,
}

#[derive(Debug, Deserialize)]
struct Member {
    path: String,
    similarity: f64,
    matches: String,
}

#[derive(Debug, Deserialize)]
struct Failure {
    path: String,
    operation: String,
    message: String,
}

/// Explains `request` on `stdout`; notes for people (which report was read)
/// go to `stderr`. A document that is not in the report, or a paragraph it
/// does not have, is an error.
pub fn explain(
    request: &Request,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<ExitStatus, Fatal> {
    let mut sink = io::sink();
    let notes: &mut dyn Write = if request.quiet { &mut sink } else { stderr };
    let (report, corpus) = load(request, notes)?;
    let name = resolve_name(&report, &request.document, corpus.as_deref())?;
    let mut text = String::new();
    match report.documents.iter().find(|d| d.path == name) {
        Some(doc) => {
            let index = Index::new(&report);
            match request.paragraph {
                Some(n) => explain_paragraph(&index, doc, n, &mut text)?,
                None => explain_document(&index, doc, &mut text),
            }
        }
        None => {
            return Err(match report.errors.iter().find(|e| e.path == name) {
                Some(failure) => Fatal::new(format!(
                    "{} was not processed: {} failed: {}",
                    failure.path, failure.operation, failure.message
                )),
                None => Fatal::new(format!("{name} is not in the report")),
            });
        }
    }
    match stdout.write_all(text.as_bytes()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            Err(Fatal::new(format!("cannot write to stdout: {e}")))
        }
        _ => Ok(ExitStatus::Success),
    }
}

/// Reads the report `request` names, or makes one; with the corpus
/// directory its names are relative to, when known.
fn load(request: &Request, stderr: &mut dyn Write) -> Result<(ReportFile, Option<PathBuf>), Fatal> {
    match &request.origin {
        Origin::Report(path) => Ok((read_report(path)?, request.corpus.clone())),
        Origin::Search(candidates) => {
            for (dir, report) in candidates {
                if report.is_file() {
                    let _ = writeln!(stderr, "explain: reading {}", display_path(report));
                    return Ok((read_report(report)?, Some(dir.clone())));
                }
            }
            Err(Fatal::new(format!(
                "no report found for {}: name it with --report FILE, or name the corpus with \
                 --corpus DIR to check it",
                request.document.display()
            )))
        }
        Origin::Corpus { report, config } => {
            let corpus = request.corpus.clone();
            if report.is_file() {
                let _ = writeln!(stderr, "explain: reading {}", display_path(report));
                return Ok((read_report(report)?, corpus));
            }
            let dir = tempfile::tempdir()
                .map_err(|e| Fatal::new(format!("cannot create a temporary directory: {e}")))?;
            let path = dir.path().join("report.json");
            let mut config = (**config).clone();
            config.mode = Mode::Check;
            config.output = None;
            config.report = ReportTarget::File(path.clone());
            config.html_report = None;
            config.quiet = true;
            let inputs: Vec<String> = config.inputs.iter().map(|p| display_path(p)).collect();
            let _ = writeln!(
                stderr,
                "explain: no report at {}; checking {}",
                display_path(report),
                inputs.join(" ")
            );
            run(&config, &mut io::sink(), stderr)?;
            Ok((read_report(&path)?, corpus))
        }
    }
}

fn read_report(path: &Path) -> Result<ReportFile, Fatal> {
    let file = File::open(path).map_err(|e| Fatal::io("read report", path, &e))?;
    serde_json::from_reader(BufReader::new(file)).map_err(|e| {
        Fatal::new(format!(
            "{} is not a dedupe JSON report: {e}",
            path.display()
        ))
    })
}

/// The report's name for `document`: the name itself, the path relative to
/// the corpus, or the longest report name the path ends with.
fn resolve_name(
    report: &ReportFile,
    document: &Path,
    corpus: Option<&Path>,
) -> Result<String, Fatal> {
    let names = report
        .documents
        .iter()
        .map(|d| d.path.as_str())
        .chain(report.errors.iter().map(|e| e.path.as_str()));
    let given = display_path(document);
    let relative = corpus.and_then(|dir| {
        let doc = document.canonicalize().ok()?;
        let dir = dir.canonicalize().ok()?;
        doc.strip_prefix(dir).ok().map(display_path)
    });
    let mut best: Option<&str> = None;
    for name in names {
        if name == given || Some(name) == relative.as_deref() {
            return Ok(name.to_string());
        }
        let longer = best.is_none_or(|b| name.len() > b.len());
        if document.ends_with(name) && longer {
            best = Some(name);
        }
    }
    if let Some(name) = best {
        return Ok(name.to_string());
    }
    let file_name = document
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let like: Vec<&str> = report
        .documents
        .iter()
        .map(|d| d.path.as_str())
        .filter(|name| !file_name.is_empty() && name.to_lowercase().contains(&file_name))
        .take(3)
        .collect();
    let hint = match (like.is_empty(), report.documents.first()) {
        (false, _) => format!("; did you mean {}?", like.join(", ")),
        (true, Some(first)) => format!("; names are relative to the corpus, like {}", first.path),
        (true, None) => String::new(),
    };
    Err(Fatal::new(format!(
        "{given} is not in the report ({} documents){hint}",
        report.documents.len()
    )))
}

/// Look-ups over the whole report: who points at a kept paragraph.
struct Index<'a> {
    report: &'a ReportFile,
    /// Kept paragraph → its exact duplicate group.
    groups: BTreeMap<(&'a str, usize), &'a Group>,
    /// Kept paragraph → the near-duplicates removed as copies of it, with
    /// their similarity.
    near: BTreeMap<(&'a str, usize), Vec<Copied<'a>>>,
}

impl<'a> Index<'a> {
    fn new(report: &'a ReportFile) -> Index<'a> {
        let groups = report
            .duplicate_groups
            .iter()
            .map(|g| ((g.kept.path.as_str(), g.kept.paragraph), g))
            .collect();
        let mut near: BTreeMap<_, Vec<_>> = BTreeMap::new();
        for doc in &report.documents {
            for r in &doc.removed {
                if let Reason::NearDuplicate {
                    similarity,
                    of,
                    scope,
                } = &r.reason
                    && scope != CORPUS
                {
                    near.entry((of.path.as_str(), of.paragraph))
                        .or_default()
                        .push(Copied {
                            path: &doc.path,
                            para: r.paragraph,
                            near: Some(*similarity),
                        });
                }
            }
        }
        Index {
            report,
            groups,
            near,
        }
    }

    /// Every removed copy of kept paragraph `para` of `path`, exact and near.
    fn copies_of(&self, path: &str, para: usize) -> Vec<Copied<'a>> {
        let mut out = Vec::new();
        if let Some(g) = self.groups.get(&(path, para)) {
            out.extend(g.copies.iter().map(|c| Copied {
                path: &c.path,
                para: c.paragraph,
                near: None,
            }));
        }
        if let Some(near) = self.near.get(&(path, para)) {
            out.extend(near.iter().copied());
        }
        out
    }

    /// The paragraphs of the report removed as copies of paragraph `of` of
    /// the indexed corpus.
    fn corpus_copies(&self, of: &Ref) -> Vec<Copied<'a>> {
        let mut out = Vec::new();
        for doc in &self.report.documents {
            for r in &doc.removed {
                let (o, near) = match &r.reason {
                    Reason::Duplicate { of, scope } if scope == CORPUS => (of, None),
                    Reason::NearDuplicate {
                        of,
                        scope,
                        similarity,
                    } if scope == CORPUS => (of, Some(*similarity)),
                    _ => continue,
                };
                if o == of {
                    out.push(Copied {
                        path: &doc.path,
                        para: r.paragraph,
                        near,
                    });
                }
            }
        }
        out
    }

    /// Other paragraphs the same rule removed with the same excerpt.
    fn same_boilerplate(&self, rule: &str, excerpt: &str, not: (&str, usize)) -> Vec<String> {
        let mut out = Vec::new();
        for doc in &self.report.documents {
            for r in &doc.removed {
                let same_rule = matches!(&r.reason, Reason::Boilerplate { rule: r2 } if r2 == rule);
                if same_rule && r.excerpt == excerpt && (doc.path.as_str(), r.paragraph) != not {
                    out.push(place(&doc.path, r.paragraph, not.0));
                }
            }
        }
        out
    }
}

/// A removed copy of a kept paragraph.
#[derive(Clone, Copy)]
struct Copied<'a> {
    path: &'a str,
    para: usize,
    /// The similarity, for a near-duplicate.
    near: Option<f64>,
}

impl Copied<'_> {
    /// The copy as seen from document `here`.
    fn show(&self, here: &str) -> String {
        let at = place(self.path, self.para, here);
        match self.near {
            Some(sim) => format!("{at} (near-duplicate, similarity {sim})"),
            None => at,
        }
    }
}

/// The `scope` of a copy of a paragraph of the indexed corpus (`--against`).
const CORPUS: &str = "corpus";

/// Where kept paragraph `of` is, seen from document `here`.
fn place_of(of: &Ref, scope: &str, here: &str) -> String {
    if scope == CORPUS {
        format!("{} ¶{} of the indexed corpus", of.path, of.paragraph)
    } else {
        place(&of.path, of.paragraph, here)
    }
}

/// `¶N` within document `here`, `PATH ¶N` elsewhere.
fn place(path: &str, para: usize, here: &str) -> String {
    if path == here {
        format!("¶{para}")
    } else {
        format!("{path} ¶{para}")
    }
}

/// At most `MAX_LISTED` items, then how many more.
fn listed(items: &[String]) -> String {
    const MAX_LISTED: usize = 8;
    let mut out = items
        .iter()
        .take(MAX_LISTED)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > MAX_LISTED {
        out.push_str(&format!(" and {} more", items.len() - MAX_LISTED));
    }
    out
}

fn explain_document(index: &Index, doc: &Doc, out: &mut String) {
    out.push_str(&format!(
        "{}: {} paragraphs, {} kept, {} removed\n",
        doc.path,
        doc.paragraphs,
        doc.kept,
        doc.removed.len()
    ));
    document_groups(index, doc, out);
    for r in &doc.removed {
        out.push('\n');
        removal(index, doc, r, out);
    }
    let mut kept_with_copies = Vec::new();
    for para in 0..doc.paragraphs {
        if doc.removed.iter().any(|r| r.paragraph == para) {
            continue;
        }
        let copies: Vec<String> = index
            .copies_of(&doc.path, para)
            .iter()
            .map(|c| c.show(&doc.path))
            .collect();
        if !copies.is_empty() {
            kept_with_copies.push(format!("  ¶{para}: {}\n", listed(&copies)));
        }
    }
    if !kept_with_copies.is_empty() {
        out.push_str("\nKept paragraphs whose copies were removed:\n");
        kept_with_copies.iter().for_each(|line| out.push_str(line));
    }
}

fn explain_paragraph(index: &Index, doc: &Doc, n: usize, out: &mut String) -> Result<(), Fatal> {
    if n >= doc.paragraphs {
        return Err(Fatal::new(match doc.paragraphs {
            0 => format!("{} has no paragraphs", doc.path),
            k => format!(
                "{} has {k} paragraphs, numbered from 0: ¶0 to ¶{}",
                doc.path,
                k - 1
            ),
        }));
    }
    match doc.removed.iter().find(|r| r.paragraph == n) {
        Some(r) => removal(index, doc, r, out),
        None => {
            out.push_str(&format!("{} ¶{n}: kept\n", doc.path));
            let copies: Vec<String> = index
                .copies_of(&doc.path, n)
                .iter()
                .map(|c| c.show(&doc.path))
                .collect();
            if copies.is_empty() {
                out.push_str("  no copy of it was removed\n");
            } else {
                out.push_str(&format!(
                    "  the first copy; removed as copies of it: {}\n",
                    listed(&copies)
                ));
            }
        }
    }
    Ok(())
}

/// One removed paragraph: where, why, what, and its other copies.
fn removal(index: &Index, doc: &Doc, r: &Removal, out: &mut String) {
    let here = doc.path.as_str();
    let why = match &r.reason {
        Reason::Boilerplate { rule } => format!("boilerplate, rule {rule}"),
        Reason::Duplicate { of, scope } => format!(
            "duplicate of {} (bytes {}..{})",
            place_of(of, scope, here),
            of.start,
            of.end
        ),
        Reason::NearDuplicate {
            similarity,
            of,
            scope,
        } => format!(
            "near-duplicate of {} (bytes {}..{}), similarity {similarity}",
            place_of(of, scope, here),
            of.start,
            of.end
        ),
        Reason::DuplicateDocument { similarity, of } => {
            format!("removed with the document, a near-duplicate of {of} (similarity {similarity})")
        }
    };
    out.push_str(&format!(
        "¶{} bytes {}..{}: {why}\n  \"{}\"\n",
        r.paragraph, r.start, r.end, r.excerpt
    ));
    let (label, others) = match &r.reason {
        Reason::Boilerplate { rule } => (
            "same text removed by this rule in",
            index.same_boilerplate(rule, &r.excerpt, (here, r.paragraph)),
        ),
        Reason::Duplicate { of, scope } | Reason::NearDuplicate { of, scope, .. } => {
            let mut others = vec![format!("{} (kept)", place_of(of, scope, here))];
            let copies = match scope.as_str() {
                CORPUS => index.corpus_copies(of),
                _ => index.copies_of(&of.path, of.paragraph),
            };
            others.extend(
                copies
                    .iter()
                    .filter(|c| (c.path, c.para) != (here, r.paragraph))
                    .map(|c| c.show(here)),
            );
            ("other copies", others)
        }
        Reason::DuplicateDocument { .. } => ("", Vec::new()),
    };
    if !others.is_empty() {
        out.push_str(&format!("  {label}: {}\n", listed(&others)));
    }
}

/// The document's near-duplicate documents, if any.
fn document_groups(index: &Index, doc: &Doc, out: &mut String) {
    for g in &index.report.document_groups {
        if g.kept == doc.path {
            let members: Vec<String> = g
                .members
                .iter()
                .map(|m| format!("{} (similarity {})", m.path, m.similarity))
                .collect();
            out.push_str(&format!(
                "  kept; near-duplicate documents: {}\n",
                listed(&members)
            ));
        }
        for m in &g.members {
            if m.path == doc.path {
                out.push_str(&format!(
                    "  a near-duplicate document of {} (similarity {}); group kept: {}\n",
                    m.matches, m.similarity, g.kept
                ));
            }
        }
    }
}
