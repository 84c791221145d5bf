//! `score_corpus`: scores a `dedupe` report against the ground truth of a
//! corpus made by `gen_corpus`.
//!
//! ```text
//! dedupe check DIR/corpus --report DIR/report.json
//! cargo run --release --example score_corpus -- DIR/truth.tsv DIR/report.json [--json]
//! ```
//!
//! The truth (see `examples/gen_corpus/main.rs`) has a row for every
//! paragraph that is not base text; a paragraph without a row is base text.
//! The report (format version 2) lists every removed paragraph with its
//! reason, and the clusters of near-duplicate documents. The scores:
//!
//! * **Exact copies.** Recall: the share of `exact` rows removed as
//!   `duplicate` (or as `duplicate-document` under
//!   `--drop-duplicate-documents`). Counted only for copies of text that `dedupe` keeps (a
//!   base or partial paragraph, through any chain of copies that normalise
//!   to the same text). An exact copy of a near copy (a paragraph of a
//!   copied document that was itself a near copy) is listed apart, with
//!   any removal counting: its twin was removed as a near-duplicate and
//!   never kept, so `dedupe` rightly calls it a `near-duplicate` of the
//!   original instead. False positives: base or partial paragraphs
//!   removed as `duplicate`.
//! * **Near-duplicate paragraphs.** Precision: the share of paragraphs
//!   removed as `near-duplicate` that the truth calls a copy (exact or any
//!   near kind). Recall: the share of near-kind rows removed as `duplicate`,
//!   `near-duplicate` or `duplicate-document` (case, quote and white-space
//!   edits normalise to their source, so `dedupe` rightly calls them
//!   duplicates), overall and per kind. *Source named*: the share of
//!   removed near copies whose `of` is right. Right means a source of the
//!   row (either one for `merge`), a source's own source when the source is
//!   a copy, or another copy of one of those. Kept simple: `of` is usually
//!   the source itself, but a copy in a copied document reaches back
//!   through a chain and may name any link of it, and a copy made by the
//!   same edit as an earlier copy that `dedupe` kept is rightly a duplicate
//!   of that sibling.
//! * **Documents.** Truth pairs are the `doc-exact` and `doc-near` rows
//!   (copy, source); the truth clusters are their connected groups.
//!   Reported pairs are each member of a `document_groups` entry with the
//!   document it `matches` and with the group's `kept` document. Recall:
//!   truth pairs whose two documents share a reported group. Precision:
//!   reported pairs whose two documents share a truth cluster.
//! * **Boilerplate.** Truth `boilerplate` rows removed as boilerplate, and,
//!   apart from duplicate precision, *false boilerplate*: base, partial or
//!   copied paragraphs removed by a boilerplate rule.
//!
//! Exits 0 whatever the scores, 2 when an input cannot be read.

// An example program: its output is for people.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use clap::Parser;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Score a dedupe report against a gen_corpus truth.
#[derive(Debug, Parser)]
struct Args {
    /// The corpus's truth.tsv.
    truth: PathBuf,
    /// The JSON report of `dedupe check DIR/corpus --report FILE`.
    report: PathBuf,
    /// Print the scores as JSON.
    #[arg(long)]
    json: bool,
}

/// A paragraph: document id and paragraph index.
type Loc = (u32, u32);

/// The near-duplicate kinds of the truth, in table order.
const NEAR_KINDS: [&str; 9] = [
    "word-edit",
    "insertion",
    "deletion",
    "case",
    "punctuation",
    "quotes",
    "whitespace",
    "reorder",
    "merge",
];
/// Kinds whose text normalises to their source's.
const SAME_NORMALISED: [&str; 4] = ["exact", "case", "quotes", "whitespace"];

/// Whether a truth kind is a copy: exact or a near kind.
fn is_copy(kind: &str) -> bool {
    kind == "exact" || NEAR_KINDS.contains(&kind)
}

/// Document paths as small ids.
#[derive(Default)]
struct Docs {
    ids: HashMap<String, u32>,
}

impl Docs {
    fn id(&mut self, path: &str) -> u32 {
        let next = self.ids.len() as u32;
        *self.ids.entry(path.to_string()).or_insert(next)
    }
}

/// One paragraph row of the truth.
#[derive(Debug, Clone)]
struct Row {
    kind: String,
    source: Option<Loc>,
    source2: Option<Loc>,
}

/// The truth, read.
#[derive(Default)]
struct Truth {
    rows: HashMap<Loc, Row>,
    /// (kind, copy, source) of each copied document.
    documents: Vec<(String, u32, u32)>,
    /// For each paragraph, the paragraphs that copy it (exact or near).
    copies: HashMap<Loc, Vec<Loc>>,
}

impl Truth {
    fn kind(&self, at: Loc) -> &str {
        self.rows.get(&at).map_or("base", |r| r.kind.as_str())
    }

    /// Whether `at` normalises to the text of a base or partial paragraph,
    /// which `dedupe` keeps.
    fn twin_of_kept(&self, mut at: Loc) -> bool {
        for _ in 0..16 {
            match self.rows.get(&at) {
                None => return true,
                Some(r) if r.kind == "partial" => return true,
                Some(r) if SAME_NORMALISED.contains(&r.kind.as_str()) => match r.source {
                    Some(s) => at = s,
                    None => return false,
                },
                Some(_) => return false,
            }
        }
        false
    }

    /// The paragraphs a removal of the copy `row` may rightly name (see
    /// the module doc).
    fn acceptable(&self, row: &Row) -> HashSet<Loc> {
        let mut out = HashSet::new();
        let mut todo: Vec<Loc> = row.source.into_iter().chain(row.source2).collect();
        while let Some(at) = todo.pop() {
            if !out.insert(at) || out.len() > 64 {
                continue;
            }
            if let Some(r) = self.rows.get(&at).filter(|r| r.kind != "partial") {
                todo.extend(r.source.into_iter().chain(r.source2));
            }
        }
        let siblings: Vec<Loc> = out
            .iter()
            .flat_map(|at| self.copies.get(at).into_iter().flatten().copied())
            .collect();
        out.extend(siblings);
        out
    }
}

fn read_truth(path: &Path, docs: &mut Docs) -> Result<Truth, String> {
    let file = File::open(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    let mut truth = Truth::default();
    for (n, line) in BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        if n == 0 {
            if !line.starts_with("kind\tpath\tparagraph") {
                return Err(format!("{} is not a gen_corpus truth.tsv", path.display()));
            }
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() != 7 {
            return Err(format!("{}:{}: expected 7 fields", path.display(), n + 1));
        }
        let bad = || format!("{}:{}: bad paragraph index", path.display(), n + 1);
        if f[2] == "-" {
            let (copy, source) = (docs.id(f[1]), docs.id(f[3]));
            truth.documents.push((f[0].to_string(), copy, source));
            continue;
        }
        let mut loc = |p: &str, i: &str| -> Result<Option<Loc>, String> {
            if p.is_empty() {
                return Ok(None);
            }
            Ok(Some((docs.id(p), i.parse().map_err(|_| bad())?)))
        };
        let at = loc(f[1], f[2])?.ok_or_else(bad)?;
        let row = Row {
            kind: f[0].to_string(),
            source: loc(f[3], f[4])?,
            source2: loc(f[5], f[6])?,
        };
        if is_copy(&row.kind) {
            for s in row.source.into_iter().chain(row.source2) {
                truth.copies.entry(s).or_default().push(at);
            }
        }
        truth.rows.insert(at, row);
    }
    Ok(truth)
}

// The parts of the report (format version 2) the scores need.

#[derive(Deserialize)]
struct Report {
    format_version: u32,
    documents: Vec<DocumentEntry>,
    document_groups: Vec<Group>,
}

#[derive(Deserialize)]
struct DocumentEntry {
    path: String,
    paragraphs: u32,
    removed: Vec<Removal>,
}

#[derive(Deserialize)]
struct Removal {
    paragraph: u32,
    reason: Reason,
}

#[derive(Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
enum Reason {
    Boilerplate,
    Duplicate {
        of: ParagraphRef,
    },
    NearDuplicate {
        of: ParagraphRef,
    },
    DuplicateDocument,
    #[serde(other)]
    Other,
}

#[derive(Deserialize)]
struct ParagraphRef {
    path: String,
    paragraph: u32,
}

#[derive(Deserialize)]
struct Group {
    kept: String,
    members: Vec<Member>,
}

#[derive(Deserialize)]
struct Member {
    path: String,
    matches: String,
}

/// What `dedupe` did with a removed paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Boilerplate,
    Duplicate(Loc),
    Near(Loc),
    Document,
}

fn read_report(path: &Path) -> Result<Report, String> {
    let file = File::open(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    let report: Report = serde_json::from_reader(BufReader::with_capacity(1 << 20, file))
        .map_err(|e| format!("cannot read the report {}: {e}", path.display()))?;
    if report.format_version != 2 {
        eprintln!(
            "score_corpus: warning: report format version {} (this scorer reads version 2)",
            report.format_version
        );
    }
    Ok(report)
}

/// A count and the part of it that passed.
#[derive(Debug, Default, Clone, Copy, Serialize)]
struct Share {
    of: u64,
    hit: u64,
}

impl Share {
    fn add(&mut self, hit: bool) {
        self.of += 1;
        self.hit += u64::from(hit);
    }

    fn value(&self) -> Option<f64> {
        (self.of > 0).then(|| self.hit as f64 / self.of as f64)
    }
}

/// Scores of one near kind.
#[derive(Debug, Default, Clone, Serialize)]
struct KindScore {
    kind: &'static str,
    rows: u64,
    as_duplicate: u64,
    as_near_duplicate: u64,
    as_document: u64,
    as_boilerplate: u64,
    kept: u64,
    recall: Option<f64>,
}

/// Every score, as `--json` prints it.
#[derive(Debug, Default, Serialize)]
struct Scores {
    documents: u64,
    paragraphs: u64,
    truth_rows: u64,
    /// Exact copies of kept text removed as `duplicate` (or with their
    /// document).
    exact_recall: Share,
    /// Exact copies of near copies removed in any way.
    exact_of_near_copies: Share,
    /// Base or partial paragraphs removed as `duplicate`.
    exact_false_positives: u64,
    /// Removed as `near-duplicate` and a copy.
    near_precision: Share,
    /// Base paragraphs removed as `near-duplicate`.
    near_false_base: u64,
    /// Partial paragraphs removed as `near-duplicate`.
    near_false_partial: u64,
    /// Boilerplate removed as `near-duplicate`.
    near_false_boilerplate: u64,
    /// Near copies removed in any way as duplicates.
    near_recall: Share,
    near_kinds: Vec<KindScore>,
    /// Removed copies (near kinds) whose `of` is right.
    source_named: Share,
    /// Truth document pairs in one reported group.
    document_recall: Share,
    document_recall_exact: Share,
    document_recall_near: Share,
    /// Reported document pairs in one truth cluster.
    document_precision: Share,
    /// Base or partial paragraphs removed with their document
    /// (`--drop-duplicate-documents`).
    document_false_removals: u64,
    /// Truth boilerplate removed as boilerplate.
    boilerplate_recall: Share,
    false_boilerplate_base: u64,
    false_boilerplate_partial: u64,
    false_boilerplate_copies: u64,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let mut docs = Docs::default();
    let loaded =
        read_truth(&args.truth, &mut docs).and_then(|t| Ok((t, read_report(&args.report)?)));
    let (truth, report) = match loaded {
        Ok(x) => x,
        Err(e) => {
            eprintln!("score_corpus: {e}");
            return ExitCode::from(2);
        }
    };
    let scores = score(&truth, &report, &mut docs);
    if args.json {
        match serde_json::to_string_pretty(&scores) {
            Ok(json) => println!("{json}"),
            Err(e) => {
                eprintln!("score_corpus: {e}");
                return ExitCode::from(2);
            }
        }
    } else {
        print!("{}", table(&scores));
    }
    ExitCode::SUCCESS
}

fn score(truth: &Truth, report: &Report, docs: &mut Docs) -> Scores {
    let mut s = Scores {
        truth_rows: (truth.rows.len() + truth.documents.len()) as u64,
        near_kinds: NEAR_KINDS
            .iter()
            .map(|&kind| KindScore {
                kind,
                ..KindScore::default()
            })
            .collect(),
        ..Scores::default()
    };
    let mut verdicts: HashMap<Loc, Verdict> = HashMap::new();
    let mut all: Vec<Loc> = Vec::new();
    for d in &report.documents {
        let id = docs.id(&d.path);
        s.documents += 1;
        s.paragraphs += u64::from(d.paragraphs);
        all.extend((0..d.paragraphs).map(|p| (id, p)));
        for r in &d.removed {
            let v = match &r.reason {
                Reason::Boilerplate => Verdict::Boilerplate,
                Reason::Duplicate { of } => Verdict::Duplicate((docs.id(&of.path), of.paragraph)),
                Reason::NearDuplicate { of } => Verdict::Near((docs.id(&of.path), of.paragraph)),
                Reason::DuplicateDocument => Verdict::Document,
                Reason::Other => continue,
            };
            verdicts.insert((id, r.paragraph), v);
        }
    }
    for at in all {
        score_paragraph(truth, at, verdicts.get(&at).copied(), &mut s);
    }
    score_documents(truth, report, docs, &mut s);
    for k in &mut s.near_kinds {
        let removed = k.as_duplicate + k.as_near_duplicate + k.as_document;
        k.recall = (k.rows > 0).then(|| removed as f64 / k.rows as f64);
    }
    s
}

fn score_paragraph(truth: &Truth, at: Loc, verdict: Option<Verdict>, s: &mut Scores) {
    let row = truth.rows.get(&at);
    let kind = truth.kind(at);
    let removed_as_copy = matches!(
        verdict,
        Some(Verdict::Duplicate(_) | Verdict::Near(_) | Verdict::Document)
    );
    match verdict {
        Some(Verdict::Duplicate(_)) if matches!(kind, "base" | "partial") => {
            s.exact_false_positives += 1
        }
        Some(Verdict::Near(_)) => {
            s.near_precision.add(is_copy(kind));
            match kind {
                "base" => s.near_false_base += 1,
                "partial" => s.near_false_partial += 1,
                "boilerplate" => s.near_false_boilerplate += 1,
                _ => {}
            }
        }
        Some(Verdict::Document) if matches!(kind, "base" | "partial") => {
            s.document_false_removals += 1;
        }
        Some(Verdict::Boilerplate) => match kind {
            "base" => s.false_boilerplate_base += 1,
            "partial" => s.false_boilerplate_partial += 1,
            "boilerplate" => {}
            _ => s.false_boilerplate_copies += 1,
        },
        _ => {}
    }
    let Some(row) = row else { return };
    match kind {
        "boilerplate" => s
            .boilerplate_recall
            .add(verdict == Some(Verdict::Boilerplate)),
        "exact" => match row.source {
            Some(src) if truth.twin_of_kept(src) => {
                let removed = matches!(verdict, Some(Verdict::Duplicate(_) | Verdict::Document));
                s.exact_recall.add(removed);
            }
            _ => s.exact_of_near_copies.add(removed_as_copy),
        },
        k if NEAR_KINDS.contains(&k) => {
            s.near_recall.add(removed_as_copy);
            let i = NEAR_KINDS.iter().position(|&n| n == k).unwrap_or(0);
            let ks = &mut s.near_kinds[i];
            ks.rows += 1;
            match verdict {
                Some(Verdict::Duplicate(_)) => ks.as_duplicate += 1,
                Some(Verdict::Near(_)) => ks.as_near_duplicate += 1,
                Some(Verdict::Document) => ks.as_document += 1,
                Some(Verdict::Boilerplate) => ks.as_boilerplate += 1,
                None => ks.kept += 1,
            }
            if let Some(Verdict::Duplicate(of) | Verdict::Near(of)) = verdict {
                s.source_named.add(truth.acceptable(row).contains(&of));
            }
        }
        _ => {}
    }
}

/// Union-find root, with path halving.
fn root(parent: &mut HashMap<u32, u32>, mut x: u32) -> u32 {
    while let Some(&p) = parent.get(&x) {
        if p == x {
            break;
        }
        let gp = parent.get(&p).copied().unwrap_or(p);
        parent.insert(x, gp);
        x = gp;
    }
    x
}

fn union(parent: &mut HashMap<u32, u32>, a: u32, b: u32) {
    let (ra, rb) = (root(parent, a), root(parent, b));
    if ra != rb {
        parent.insert(ra.max(rb), ra.min(rb));
        parent.entry(ra.min(rb)).or_insert(ra.min(rb));
    }
}

fn score_documents(truth: &Truth, report: &Report, docs: &mut Docs, s: &mut Scores) {
    let mut reported_pairs: Vec<(u32, u32)> = Vec::new();
    let mut reported: HashMap<u32, u32> = HashMap::new();
    for g in &report.document_groups {
        let kept = docs.id(&g.kept);
        for m in &g.members {
            let (member, matches) = (docs.id(&m.path), docs.id(&m.matches));
            union(&mut reported, member, kept);
            union(&mut reported, member, matches);
            reported_pairs.push((member.min(matches), member.max(matches)));
            reported_pairs.push((member.min(kept), member.max(kept)));
        }
    }
    reported_pairs.sort_unstable();
    reported_pairs.dedup();
    let mut clusters: HashMap<u32, u32> = HashMap::new();
    for (_, copy, source) in &truth.documents {
        union(&mut clusters, *copy, *source);
    }
    for (kind, copy, source) in &truth.documents {
        let found = root(&mut reported, *copy) == root(&mut reported, *source);
        s.document_recall.add(found);
        match kind.as_str() {
            "doc-exact" => s.document_recall_exact.add(found),
            _ => s.document_recall_near.add(found),
        }
    }
    for (a, b) in reported_pairs {
        let right = root(&mut clusters, a) == root(&mut clusters, b);
        s.document_precision.add(right);
    }
}

fn fmt(x: Option<f64>) -> String {
    x.map_or("-".to_string(), |v| format!("{v:.4}"))
}

fn table(s: &Scores) -> String {
    let mut o = String::new();
    let mut line = |text: String| {
        o.push_str(&text);
        o.push('\n');
    };
    line(format!(
        "{} documents, {} paragraphs, {} truth rows",
        s.documents, s.paragraphs, s.truth_rows
    ));
    line(String::new());
    line("exact paragraph copies".to_string());
    line(format!(
        "  recall (removed as duplicate)   {}  ({} of {})",
        fmt(s.exact_recall.value()),
        s.exact_recall.hit,
        s.exact_recall.of
    ));
    line(format!(
        "  copies of near copies removed   {}  ({} of {})",
        fmt(s.exact_of_near_copies.value()),
        s.exact_of_near_copies.hit,
        s.exact_of_near_copies.of
    ));
    line(format!(
        "  false positives                 {}  (base or partial removed as duplicate)",
        s.exact_false_positives
    ));
    line(String::new());
    line("near-duplicate paragraphs".to_string());
    line(format!(
        "  precision   {}  ({} of {} removed as near-duplicate are copies; not: {} base, {} partial, {} boilerplate)",
        fmt(s.near_precision.value()),
        s.near_precision.hit,
        s.near_precision.of,
        s.near_false_base,
        s.near_false_partial,
        s.near_false_boilerplate
    ));
    line(format!(
        "  recall      {}  ({} of {} near copies removed)",
        fmt(s.near_recall.value()),
        s.near_recall.hit,
        s.near_recall.of
    ));
    line(format!(
        "  source named right  {}  ({} of {} removed)",
        fmt(s.source_named.value()),
        s.source_named.hit,
        s.source_named.of
    ));
    line(format!(
        "  {:<12} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7}",
        "kind", "rows", "dup", "near", "doc", "boiler", "kept", "recall"
    ));
    for k in &s.near_kinds {
        line(format!(
            "  {:<12} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7}",
            k.kind,
            k.rows,
            k.as_duplicate,
            k.as_near_duplicate,
            k.as_document,
            k.as_boilerplate,
            k.kept,
            fmt(k.recall)
        ));
    }
    line(String::new());
    line("documents".to_string());
    line(format!(
        "  pair recall     {}  ({} of {}; doc-exact {}, doc-near {})",
        fmt(s.document_recall.value()),
        s.document_recall.hit,
        s.document_recall.of,
        fmt(s.document_recall_exact.value()),
        fmt(s.document_recall_near.value())
    ));
    line(format!(
        "  pair precision  {}  ({} of {} reported pairs)",
        fmt(s.document_precision.value()),
        s.document_precision.hit,
        s.document_precision.of
    ));
    if s.document_false_removals > 0 {
        line(format!(
            "  base or partial paragraphs removed with their document: {}",
            s.document_false_removals
        ));
    }
    line(String::new());
    line("boilerplate".to_string());
    line(format!(
        "  recall          {}  ({} of {} lines)",
        fmt(s.boilerplate_recall.value()),
        s.boilerplate_recall.hit,
        s.boilerplate_recall.of
    ));
    line(format!(
        "  false boilerplate: {} base, {} partial, {} copies",
        s.false_boilerplate_base, s.false_boilerplate_partial, s.false_boilerplate_copies
    ));
    o
}
