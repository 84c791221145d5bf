//! `dedupe` cleans and deduplicates corpora of news articles and explains
//! every removal.
//!
//! The library is the pipeline, one module per stage:
//!
//! ```text
//! walk → read → segment → strip → fingerprint → decide → write
//!                                                   └──→ report
//! ```
//!
//! [`run`] drives it in three passes. The first is per document and runs in
//! parallel: read, segment, strip and fingerprint each file, keeping only
//! paragraph spans, fingerprints and boilerplate verdicts. The second decides
//! duplicates in input order, the only step that needs to see the corpus as
//! a whole. The third, per document again, reads each file once more, writes
//! its cleaned copy and builds its report entry. Text is never held for the
//! whole corpus at once.
//!
//! Output goes only to the writers handed in; nothing here prints.

pub mod config;
pub mod decide;
pub mod error;
pub mod fingerprint;
pub mod read;
pub mod report;
pub mod segment;
pub mod strip;
pub mod walk;
pub mod write;

use config::{Config, Mode, ReportTarget};
use decide::{Candidate, Decider, Location, Verdict};
use error::{Fatal, FileError, Operation, display_path};
use rayon::prelude::*;
use report::{
    Destinations, DocumentReport, DuplicateGroup, ParagraphRef, Reason, Removal, Report, Scope,
    Summary,
};
use segment::Span;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use strip::Stripper;
use walk::Source;
use xxhash_rust::xxh3::xxh3_64;

/// How a run ended, as the process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// 0: the run finished and nothing failed (in check mode: nothing found).
    Success = 0,
    /// 1: check mode found boilerplate or duplicates.
    Findings = 1,
    /// 2: an error: bad arguments, an unreadable input, a failed write.
    Error = 2,
}

/// What the first pass keeps of a document: enough to decide and to find
/// the text again, not the text itself.
struct Analysis {
    source: Source,
    bytes: u64,
    /// xxh3 of the file's bytes, to notice a file that changes during the run.
    checksum: u64,
    body_start: usize,
    spans: Vec<Span>,
    candidates: Vec<Candidate>,
}

/// Runs the pipeline for `config`, writing the JSON report to `stdout` when
/// asked to and everything meant for people to `stderr`.
pub fn run(
    config: &Config,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<ExitStatus, Fatal> {
    let stripper = Stripper::new(&config.disabled_rules, !config.no_strip)?;
    check_output_paths(config)?;
    let staging = match (&config.mode, &config.output) {
        (Mode::Clean, Some(out)) => Some(write::Staging::create(out, config.force)?),
        _ => None,
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.threads)
        .build()
        .map_err(|e| Fatal::new(format!("cannot start worker threads: {e}")))?;

    let entries = walk::walk(&config.inputs, &config.extensions)?;
    let mut errors = Vec::new();
    let analyses: Vec<Result<Analysis, FileError>> = pool.install(|| {
        entries
            .into_par_iter()
            .map(|entry| entry.and_then(|source| analyze(source, &stripper)))
            .collect()
    });
    let mut docs = Vec::with_capacity(analyses.len());
    for result in analyses {
        match result {
            Ok(doc) => docs.push(doc),
            Err(err) => errors.push(err),
        }
    }

    let mut decider = Decider::new();
    let verdicts: Vec<Vec<Verdict>> = docs
        .iter()
        .enumerate()
        .map(|(i, doc)| decider.decide(i, &doc.candidates))
        .collect();

    let finished: Vec<Result<DocumentReport, FileError>> = pool.install(|| {
        (0..docs.len())
            .into_par_iter()
            .map(|i| finish(i, &docs, &verdicts, staging.as_ref()))
            .collect()
    });
    let mut documents = Vec::with_capacity(finished.len());
    for result in finished {
        match result {
            Ok(doc) => documents.push(doc),
            Err(err) if err.operation == Operation::Write => {
                return Err(Fatal::new(err.to_string()));
            }
            Err(err) => errors.push(err),
        }
    }
    errors.sort_by(|a, b| a.path.cmp(&b.path));
    for err in &errors {
        let _ = writeln!(stderr, "error: {err}");
    }

    let report = build_report(config, &stripper, &docs, &verdicts, documents, errors);
    let mut to = Destinations::default();
    match &config.report {
        ReportTarget::None => {}
        ReportTarget::Stdout => match report::write_json(&report, stdout) {
            // A reader that stops early (`| head`) is not an error.
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                return Err(Fatal::new(format!(
                    "cannot write the report to stdout: {e}"
                )));
            }
            _ => {}
        },
        ReportTarget::File(path) => {
            let mut json = Vec::new();
            report::write_json(&report, &mut json).map_err(|e| Fatal::io("write", path, &e))?;
            write::write_atomic(path, &json)?;
            to.report = Some(display_path(path));
        }
    }
    if let (Some(staging), Some(out)) = (staging, &config.output) {
        staging.commit()?;
        to.corpus = Some(display_path(out));
    }
    if !config.quiet {
        let _ = report::write_summary(&report, &to, stderr);
    }

    Ok(if !report.errors.is_empty() {
        ExitStatus::Error
    } else if config.mode == Mode::Check && report.summary.removed() > 0 {
        ExitStatus::Findings
    } else {
        ExitStatus::Success
    })
}

/// First pass, one document: read, segment, strip, fingerprint.
fn analyze(source: Source, stripper: &Stripper) -> Result<Analysis, FileError> {
    let text = read::read(&source.name, &source.path)?;
    let spans = segment::segment(&text.text, text.body_start);
    let paragraphs: Vec<&str> = spans.iter().map(|s| s.of(&text.text)).collect();
    let stripped = stripper.strip(&paragraphs);
    let candidates = paragraphs
        .iter()
        .zip(stripped)
        .map(|(p, rule)| match rule {
            Some(rule) => Candidate::Boilerplate(rule),
            None => Candidate::Text(fingerprint::hash(&fingerprint::normalize(p))),
        })
        .collect();
    Ok(Analysis {
        bytes: text.text.len() as u64,
        checksum: xxh3_64(text.text.as_bytes()),
        body_start: text.body_start,
        spans,
        candidates,
        source,
    })
}

/// Third pass, one document: read it again, write its cleaned copy, build
/// its report entry.
fn finish(
    index: usize,
    docs: &[Analysis],
    verdicts: &[Vec<Verdict>],
    staging: Option<&write::Staging>,
) -> Result<DocumentReport, FileError> {
    let doc = &docs[index];
    let text = read::read(&doc.source.name, &doc.source.path)?;
    if xxh3_64(text.text.as_bytes()) != doc.checksum {
        return Err(FileError::new(
            doc.source.name.clone(),
            Operation::Read,
            "the file changed while dedupe was running; run again",
        ));
    }
    let verdicts = &verdicts[index];
    let cleaned = write::cleaned(&text.text, doc.body_start, &doc.spans, verdicts);
    if let Some(staging) = staging {
        staging
            .write(&doc.source.name, cleaned.as_bytes())
            .map_err(|e| {
                FileError::new(doc.source.name.clone(), Operation::Write, e.to_string())
            })?;
    }
    let removed = verdicts
        .iter()
        .enumerate()
        .filter_map(|(para, verdict)| {
            let span = doc.spans[para];
            let reason = match *verdict {
                Verdict::Kept => return None,
                Verdict::Boilerplate(rule) => Reason::Boilerplate { rule },
                Verdict::Duplicate(of) => Reason::Duplicate {
                    scope: if of.doc == index {
                        Scope::Within
                    } else {
                        Scope::Across
                    },
                    fingerprint: fingerprint_of(docs, Location { doc: index, para }),
                    of: paragraph_ref(docs, of),
                },
            };
            Some(Removal {
                paragraph: para,
                start: span.start,
                end: span.end,
                reason,
                excerpt: report::excerpt(span.of(&text.text)),
            })
        })
        .collect();
    Ok(DocumentReport {
        path: doc.source.name.clone(),
        bytes_in: doc.bytes,
        bytes_out: cleaned.len() as u64,
        paragraphs: doc.spans.len(),
        kept: verdicts.iter().filter(|v| **v == Verdict::Kept).count(),
        removed,
    })
}

fn paragraph_ref(docs: &[Analysis], at: Location) -> ParagraphRef {
    let span = docs[at.doc].spans[at.para];
    ParagraphRef {
        path: docs[at.doc].source.name.clone(),
        paragraph: at.para,
        start: span.start,
        end: span.end,
    }
}

fn fingerprint_of(docs: &[Analysis], at: Location) -> String {
    match docs[at.doc].candidates[at.para] {
        Candidate::Text(hash) => fingerprint::hex(hash),
        Candidate::Boilerplate(_) => String::new(),
    }
}

fn build_report(
    config: &Config,
    stripper: &Stripper,
    docs: &[Analysis],
    verdicts: &[Vec<Verdict>],
    documents: Vec<DocumentReport>,
    errors: Vec<FileError>,
) -> Report {
    let mut summary = Summary {
        documents: documents.len(),
        failed: errors.len(),
        ..Summary::default()
    };
    // A document whose second read failed is reported as an error only, so
    // the counts leave it out; its paragraphs can still be a kept copy.
    let finished: std::collections::BTreeSet<&str> =
        documents.iter().map(|d| d.path.as_str()).collect();
    let mut groups: BTreeMap<Location, Vec<Location>> = BTreeMap::new();
    for (doc_index, doc_verdicts) in verdicts.iter().enumerate() {
        let counted = finished.contains(docs[doc_index].source.name.as_str());
        for (para, verdict) in doc_verdicts.iter().enumerate() {
            if let Verdict::Duplicate(of) = *verdict {
                groups.entry(of).or_default().push(Location {
                    doc: doc_index,
                    para,
                });
            }
            if !counted {
                continue;
            }
            summary.paragraphs += 1;
            match *verdict {
                Verdict::Kept => summary.kept += 1,
                Verdict::Boilerplate(rule) => {
                    summary.removed_boilerplate += 1;
                    *summary.removed_by_rule.entry(rule).or_default() += 1;
                }
                Verdict::Duplicate(of) if of.doc == doc_index => {
                    summary.removed_duplicate_within += 1;
                }
                Verdict::Duplicate(_) => summary.removed_duplicate_across += 1,
            }
        }
    }
    summary.bytes_in = documents.iter().map(|d| d.bytes_in).sum();
    summary.bytes_out = documents.iter().map(|d| d.bytes_out).sum();
    let duplicate_groups = groups
        .into_iter()
        .map(|(kept, copies)| DuplicateGroup {
            fingerprint: fingerprint_of(docs, kept),
            kept: paragraph_ref(docs, kept),
            copies: copies.into_iter().map(|c| paragraph_ref(docs, c)).collect(),
        })
        .collect();
    Report {
        format_version: report::FORMAT_VERSION,
        tool: report::Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        },
        parameters: report::Parameters {
            mode: match config.mode {
                Mode::Clean => "clean",
                Mode::Check => "check",
            },
            extensions: config.extensions.clone(),
            strip: !config.no_strip,
            rules: stripper.rule_names(),
            normalization: fingerprint::NORMALIZATION.to_vec(),
            hash: "xxh3-64",
            seed: fingerprint::hex(fingerprint::SEED),
        },
        summary,
        documents,
        duplicate_groups,
        errors,
    }
}

/// Refuses an output that lies inside an input, or an input inside the output.
fn check_output_paths(config: &Config) -> Result<(), Fatal> {
    let mut outputs: Vec<&Path> = Vec::new();
    if let Some(out) = &config.output {
        outputs.push(out);
    }
    if let ReportTarget::File(path) = &config.report {
        outputs.push(path);
        if path.exists() && !config.force && config.mode == Mode::Clean {
            return Err(Fatal::new(format!(
                "report {} already exists; use --force to replace it, or --report to choose another",
                path.display()
            )));
        }
    }
    for out in outputs {
        let out_abs = absolute(out);
        for input in &config.inputs {
            let input_abs = absolute(input);
            if out_abs.starts_with(&input_abs) && input_abs.is_dir() {
                return Err(Fatal::new(format!(
                    "output {} is inside input {}; choose an output outside it with -o",
                    out.display(),
                    input.display()
                )));
            }
            if input_abs.starts_with(&out_abs) {
                return Err(Fatal::new(format!(
                    "input {} is inside output {}; choose another output with -o",
                    input.display(),
                    out.display()
                )));
            }
        }
    }
    Ok(())
}

/// An absolute form of `path` with links resolved as far as the path exists.
fn absolute(path: &Path) -> PathBuf {
    if let Ok(p) = path.canonicalize() {
        return p;
    }
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) if !parent.as_os_str().is_empty() => absolute(parent).join(name),
        (_, Some(name)) => std::env::current_dir()
            .map(|d| d.join(name))
            .unwrap_or_else(|_| path.to_path_buf()),
        _ => path.to_path_buf(),
    }
}
