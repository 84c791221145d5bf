//! The CI gate: `dedupe check` decides whether a drop passes, and says why
//! in the form the reader needs.
//!
//! Every removal of a check run is a *finding* of one of three kinds:
//!
//! - `boilerplate`: a paragraph removed by a boilerplate rule or signal;
//! - `duplicate`: a copy (exact or near) of text elsewhere in the drop,
//!   within a document or across documents, or a whole duplicate document;
//! - `corpus`: a copy (exact or near) of a paragraph of the indexed corpus
//!   (`--against`), naming the corpus document and paragraph.
//!
//! The drop fails (exit 1) when a finding of a kind named by `--fail-on`
//! (all three by default) is not accepted by the baseline, or when more than
//! `--max-removal-rate` of its bytes would be removed. A file that cannot be
//! processed makes the exit 2 whatever else was found.
//!
//! # Baseline
//!
//! A baseline file lists findings that were reviewed and accepted, so that
//! they stop failing the gate, as ESLint and ruff do. A finding is
//! identified by its document, its kind and the fingerprint of its text
//! (xxh3 of the normalised paragraph), not by its position, so it stays
//! accepted when the document is edited around it. `--write-baseline`
//! writes every current finding to the baseline file (atomically).
//!
//! ```text
//! {"format_version": 1, "findings": [
//!   {"path": "drop/a.txt", "kind": "corpus", "fingerprint": "…16 hex…", "excerpt": "…"}]}
//! ```
//!
//! # Formats
//!
//! `--format human` (default) lists the failing findings on stdout, one a
//! line as `FILE:LINE: kind: what`; `json` writes one JSON object; `github`
//! writes workflow annotations (`::error file=…,line=…::…`) for the first
//! [`ANNOTATIONS`] failing findings and appends a markdown summary to the
//! file named by `GITHUB_STEP_SUMMARY` when it is set; `markdown` writes a
//! summary fit for a pull-request comment.

use crate::error::Fatal;
use crate::report::ParagraphRef;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Failing findings written as GitHub annotations; the rest are counted.
pub const ANNOTATIONS: usize = 50;
/// Findings listed in a markdown summary.
pub const MARKDOWN_ROWS: usize = 100;

/// The kind of a finding (see the module doc).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Removed as boilerplate.
    Boilerplate,
    /// A copy of text elsewhere in the drop.
    Duplicate,
    /// A copy of the indexed corpus.
    Corpus,
}

impl Kind {
    /// Every kind, for the default of `--fail-on`.
    pub const ALL: [Kind; 3] = [Kind::Boilerplate, Kind::Duplicate, Kind::Corpus];

    fn name(self) -> &'static str {
        match self {
            Kind::Boilerplate => "boilerplate",
            Kind::Duplicate => "duplicate",
            Kind::Corpus => "corpus",
        }
    }
}

/// How the gate's verdict is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Lines for people.
    Human,
    /// One JSON object.
    Json,
    /// GitHub workflow annotations and a step summary.
    Github,
    /// Markdown for a pull-request comment.
    Markdown,
}

/// The gate's settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Kinds of finding that fail the drop.
    pub fail_on: Vec<Kind>,
    /// Share of bytes removed above which the drop fails.
    pub max_removal_rate: Option<f64>,
    /// Findings reviewed and accepted.
    pub baseline: Option<PathBuf>,
    /// Write the current findings to the baseline instead of reading it.
    pub write_baseline: bool,
    /// How the verdict is written.
    pub format: Format,
    /// Where a markdown summary is appended in the `github` format
    /// (`GITHUB_STEP_SUMMARY`).
    pub step_summary: Option<PathBuf>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            fail_on: Kind::ALL.to_vec(),
            max_removal_rate: None,
            baseline: None,
            write_baseline: false,
            format: Format::Human,
            step_summary: None,
        }
    }
}

/// One finding of a check run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// The document's name (as in the report).
    pub path: String,
    /// The file it was read from, as given on the command line.
    pub file: String,
    /// Line of the file where the paragraph starts, from 1 (for a JSONL
    /// document, its line in the JSONL file).
    pub line: usize,
    /// Index of the paragraph in the document.
    pub paragraph: usize,
    /// What kind of finding.
    pub kind: Kind,
    /// What was found, in words: the rule, or the copy and where the kept
    /// one is.
    pub detail: String,
    /// The earlier copy, for duplicates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub of: Option<ParagraphRef>,
    /// xxh3 of the normalised paragraph, as 16 hex digits.
    pub fingerprint: String,
    /// The start of the paragraph.
    pub excerpt: String,
}

/// A finding as the baseline records it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
struct Accepted {
    path: String,
    kind: Kind,
    fingerprint: String,
    #[serde(default)]
    excerpt: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct Baseline {
    format_version: u32,
    findings: Vec<Accepted>,
}

/// The outcome of the gate.
#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    /// Whether the drop passes.
    pub passed: bool,
    /// Findings that fail the drop, in input order.
    pub failing: Vec<Finding>,
    /// Findings of a kind that `--fail-on` ignores.
    pub ignored: usize,
    /// Findings accepted by the baseline.
    pub accepted: usize,
    /// Share of the drop's bytes removed.
    pub removal_rate: f64,
    /// The limit, if one was set.
    pub max_removal_rate: Option<f64>,
    /// Whether the removal rate is above the limit.
    pub over_rate: bool,
    /// Where the baseline was written, with `--write-baseline`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline_written: Option<String>,
}

/// Judges the drop's findings under `settings`; writes the baseline when
/// asked to.
pub fn judge(
    settings: &Settings,
    findings: Vec<Finding>,
    bytes_in: u64,
    bytes_out: u64,
) -> Result<Verdict, Fatal> {
    let removal_rate = if bytes_in == 0 {
        0.0
    } else {
        (bytes_in - bytes_out.min(bytes_in)) as f64 / bytes_in as f64
    };
    let over_rate = settings
        .max_removal_rate
        .is_some_and(|max| removal_rate > max);
    let mut baseline_written = None;
    let accepted: BTreeSet<Key> = match &settings.baseline {
        Some(path) if settings.write_baseline => {
            write_baseline(path, &findings)?;
            baseline_written = Some(crate::error::display_path(path));
            findings.iter().map(key).collect()
        }
        Some(path) => read_baseline(path)?,
        None => BTreeSet::new(),
    };
    let (mut ignored, mut accepted_count) = (0, 0);
    let mut failing = Vec::new();
    for finding in findings {
        if !settings.fail_on.contains(&finding.kind) {
            ignored += 1;
        } else if accepted.contains(&key(&finding)) {
            accepted_count += 1;
        } else {
            failing.push(finding);
        }
    }
    Ok(Verdict {
        passed: failing.is_empty() && !over_rate,
        failing,
        ignored,
        accepted: accepted_count,
        removal_rate: crate::report::rounded(removal_rate),
        max_removal_rate: settings.max_removal_rate,
        over_rate,
        baseline_written,
    })
}

fn accepted(f: &Finding) -> Accepted {
    Accepted {
        path: f.path.clone(),
        kind: f.kind,
        fingerprint: f.fingerprint.clone(),
        excerpt: f.excerpt.clone(),
    }
}

/// What identifies a finding across runs: document, kind, fingerprint.
type Key = (String, Kind, String);

fn key(f: &Finding) -> Key {
    (f.path.clone(), f.kind, f.fingerprint.clone())
}

fn read_baseline(path: &Path) -> Result<BTreeSet<Key>, Fatal> {
    let bytes = std::fs::read(path).map_err(|e| Fatal::io("read baseline", path, &e))?;
    let baseline: Baseline = serde_json::from_slice(&bytes).map_err(|e| {
        Fatal::new(format!(
            "baseline {} is not a dedupe baseline: {e}",
            path.display()
        ))
    })?;
    // The excerpt is for people only.
    Ok(baseline
        .findings
        .into_iter()
        .map(|a| (a.path, a.kind, a.fingerprint))
        .collect())
}

fn write_baseline(path: &Path, findings: &[Finding]) -> Result<(), Fatal> {
    let mut listed: Vec<Accepted> = findings.iter().map(accepted).collect();
    listed.sort();
    listed.dedup_by(|a, b| (&a.path, a.kind, &a.fingerprint) == (&b.path, b.kind, &b.fingerprint));
    let baseline = Baseline {
        format_version: 1,
        findings: listed,
    };
    crate::write::write_atomic_with(path, |out| {
        serde_json::to_writer_pretty(&mut *out, &baseline)?;
        out.write_all(b"\n")
    })
}

impl Verdict {
    /// The verdict in one line.
    fn headline(&self) -> String {
        let mut parts = vec![format!(
            "{} finding{} fail{} the gate",
            self.failing.len(),
            if self.failing.len() == 1 { "" } else { "s" },
            if self.failing.len() == 1 { "s" } else { "" }
        )];
        if self.accepted > 0 {
            parts.push(format!("{} accepted by the baseline", self.accepted));
        }
        if self.ignored > 0 {
            parts.push(format!("{} not failing (--fail-on)", self.ignored));
        }
        let rate = match self.max_removal_rate {
            Some(max) => format!(
                "{:.1}% of bytes removed (limit {:.1}%{})",
                100.0 * self.removal_rate,
                100.0 * max,
                if self.over_rate { ", over" } else { "" }
            ),
            None => format!("{:.1}% of bytes removed", 100.0 * self.removal_rate),
        };
        parts.push(rate);
        format!(
            "dedupe check: {}: {}",
            if self.passed { "passed" } else { "FAILED" },
            parts.join("; ")
        )
    }
}

/// Writes the verdict in `format` to `out`, and the step summary when the
/// format is `github` and one is named.
pub fn write(verdict: &Verdict, settings: &Settings, out: &mut dyn Write) -> io::Result<()> {
    match settings.format {
        Format::Human => {
            for f in &verdict.failing {
                writeln!(
                    out,
                    "{}:{}: {}: {}",
                    f.file,
                    f.line,
                    f.kind.name(),
                    f.detail
                )?;
            }
            writeln!(out, "{}", verdict.headline())
        }
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, verdict)?;
            writeln!(out)
        }
        Format::Github => {
            for f in verdict.failing.iter().take(ANNOTATIONS) {
                writeln!(
                    out,
                    "::error file={},line={},title={}::{}",
                    escape_property(&f.file),
                    f.line,
                    escape_property(&format!("dedupe: {}", f.kind.name())),
                    escape_data(&f.detail)
                )?;
            }
            if verdict.failing.len() > ANNOTATIONS {
                writeln!(
                    out,
                    "::warning title=dedupe::{} more findings not annotated; see the step summary",
                    verdict.failing.len() - ANNOTATIONS
                )?;
            }
            writeln!(out, "{}", verdict.headline())?;
            if let Some(path) = &settings.step_summary {
                let mut file = std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(path)?;
                write_markdown(verdict, &mut file)?;
            }
            Ok(())
        }
        Format::Markdown => write_markdown(verdict, out),
    }
}

fn write_markdown(verdict: &Verdict, out: &mut dyn Write) -> io::Result<()> {
    let mark = if verdict.passed { "✅" } else { "❌" };
    writeln!(
        out,
        "### {mark} dedupe check {}",
        if verdict.passed { "passed" } else { "failed" }
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "{}",
        verdict.headline().trim_start_matches("dedupe check: ")
    )?;
    writeln!(out)?;
    if verdict.failing.is_empty() {
        return Ok(());
    }
    writeln!(out, "| file | line | kind | finding |")?;
    writeln!(out, "|---|---:|---|---|")?;
    for f in verdict.failing.iter().take(MARKDOWN_ROWS) {
        writeln!(
            out,
            "| `{}` | {} | {} | {} |",
            f.file.replace('`', "'"),
            f.line,
            f.kind.name(),
            escape_cell(&f.detail)
        )?;
    }
    if verdict.failing.len() > MARKDOWN_ROWS {
        writeln!(out)?;
        writeln!(
            out,
            "…and {} more; run `dedupe check --format human` for all.",
            verdict.failing.len() - MARKDOWN_ROWS
        )?;
    }
    Ok(())
}

fn escape_cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// Escapes a workflow command's message.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(path: &str, kind: Kind, fingerprint: &str) -> Finding {
        Finding {
            path: path.into(),
            file: format!("drop/{path}"),
            line: 3,
            paragraph: 1,
            kind,
            detail: "detail, with: 100% | pipes".into(),
            of: None,
            fingerprint: fingerprint.into(),
            excerpt: "text".into(),
        }
    }

    #[test]
    fn fail_on_and_rate() {
        let findings = vec![
            finding("a", Kind::Boilerplate, "1"),
            finding("b", Kind::Corpus, "2"),
        ];
        let all = judge(&Settings::default(), findings.clone(), 100, 90).unwrap();
        assert!(!all.passed);
        assert_eq!(all.failing.len(), 2);
        let corpus_only = Settings {
            fail_on: vec![Kind::Duplicate],
            ..Settings::default()
        };
        let v = judge(&corpus_only, findings.clone(), 100, 90).unwrap();
        assert!(v.passed);
        assert_eq!(v.ignored, 2);
        let rate = Settings {
            fail_on: vec![],
            max_removal_rate: Some(0.05),
            ..Settings::default()
        };
        let v = judge(&rate, findings, 100, 90).unwrap();
        assert!(!v.passed && v.over_rate);
        assert!(
            v.headline()
                .contains("10.0% of bytes removed (limit 5.0%, over)")
        );
    }

    #[test]
    fn baseline_accepts_by_document_kind_and_fingerprint() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("baseline.json");
        let write = Settings {
            baseline: Some(path.clone()),
            write_baseline: true,
            ..Settings::default()
        };
        let v = judge(&write, vec![finding("a", Kind::Corpus, "1")], 1, 1).unwrap();
        assert!(v.passed);
        let read = Settings {
            baseline: Some(path.clone()),
            ..Settings::default()
        };
        let mut moved = finding("a", Kind::Corpus, "1");
        moved.line = 40;
        moved.excerpt = "edited around".into();
        let v = judge(&read, vec![moved, finding("a", Kind::Corpus, "2")], 1, 1).unwrap();
        assert_eq!((v.accepted, v.failing.len()), (1, 1));
        assert_eq!(v.failing[0].fingerprint, "2");
        std::fs::write(&path, "{}").unwrap();
        let err = judge(&read, vec![], 1, 1).unwrap_err().to_string();
        assert!(err.contains("is not a dedupe baseline"), "{err}");
    }

    #[test]
    fn github_annotations_escape_their_fields() {
        let v = judge(
            &Settings::default(),
            vec![finding("a,b", Kind::Duplicate, "1")],
            1,
            1,
        )
        .unwrap();
        let settings = Settings {
            format: Format::Github,
            ..Settings::default()
        };
        let mut out = Vec::new();
        write(&v, &settings, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.starts_with(
                "::error file=drop/a%2Cb,line=3,title=dedupe%3A duplicate::detail, with: 100%25 | pipes\n"
            ),
            "{text}"
        );
        let mut md = Vec::new();
        write_markdown(&v, &mut md).unwrap();
        let md = String::from_utf8(md).unwrap();
        assert!(
            md.contains("| `drop/a,b` | 3 | duplicate | detail, with: 100% \\| pipes |"),
            "{md}"
        );
    }
}
