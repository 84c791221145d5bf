//! The resolved configuration of one run.
//!
//! The command line is parsed by the binary (`src/cli.rs`) and resolved once
//! into this plain struct; the library never sees clap. Every field is a
//! decision already made: paths are absolute where it matters, defaults are
//! filled in, and conflicting flags have been rejected.

use crate::jsonl::Fields;
use std::path::PathBuf;

/// How the cleaned corpus is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// A directory that mirrors the input tree, one cleaned file a document.
    Text,
    /// One JSONL file (or standard output), one line a document (see
    /// [`crate::jsonl`]).
    Jsonl,
}

/// What the offsets of attribute records count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Offsets {
    /// Bytes of the UTF-8 text.
    Bytes,
    /// Unicode scalar values (characters, as Python's `str` indexes them).
    Chars,
}

/// What the run produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Write the cleaned corpus and the report; exit 0 unless a file failed.
    Clean,
    /// Write nothing but the report (if one was asked for); exit 1 when any
    /// boilerplate or duplicate is found.
    Check,
    /// Write nothing but a corpus index ([`IndexTask`]) and the report (if
    /// one was asked for); exit 0 unless a file failed.
    Index,
}

/// Building or extending a corpus index (see [`crate::corpus`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexTask {
    /// The index file to write.
    pub path: PathBuf,
    /// Add to the index at `path` (which is also checked against) instead
    /// of building a new one.
    pub add: bool,
}

/// Where the JSON report goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportTarget {
    /// No JSON report.
    None,
    /// Standard output (`--report -`).
    Stdout,
    /// A file, written atomically.
    File(PathBuf),
}

/// Everything one run needs to know, resolved from the command line.
#[derive(Debug, Clone)]
pub struct Config {
    /// Input paths as given: directories are walked, files are read as they are.
    pub inputs: Vec<PathBuf>,
    /// File extensions (without the dot, lower case) that a directory walk
    /// picks up. Files named directly on the command line are always read.
    pub extensions: Vec<String>,
    /// Clean (write the corpus) or check (report only).
    pub mode: Mode,
    /// Where the cleaned corpus goes: a directory (text), a file or `-` for
    /// standard output (JSONL); `None` in check mode.
    pub output: Option<PathBuf>,
    /// How the cleaned corpus is written.
    pub output_format: OutputFormat,
    /// Field names of JSONL documents.
    pub fields: Fields,
    /// Where to write the removed spans as attribute records, one JSONL line
    /// a document (see [`crate::attributes`]).
    pub attributes: Option<PathBuf>,
    /// What the offsets in attribute records count.
    pub attribute_offsets: Offsets,
    /// Replace an existing output directory or report file.
    pub force: bool,
    /// Where the JSON report is written.
    pub report: ReportTarget,
    /// Where the HTML report is written, if anywhere (see [`crate::html`]).
    pub html_report: Option<PathBuf>,
    /// Names of built-in boilerplate rules switched off for this run.
    pub disabled_rules: Vec<String>,
    /// Switch boilerplate stripping off entirely.
    pub no_strip: bool,
    /// A user rules file (TOML or JSON) that adds rules, switches built-in
    /// ones off and tunes thresholds (see [`crate::strip::user`]).
    pub rules_file: Option<PathBuf>,
    /// Print nothing on stderr except errors.
    pub quiet: bool,
    /// Say more on stderr: the worker threads, and each phase's documents
    /// and time.
    pub verbose: bool,
    /// Colour the lines for people on stderr with ANSI escape codes (see
    /// [`crate::report::Palette`]). The library never looks at a terminal:
    /// the binary decides.
    pub color: bool,
    /// Worker threads for the per-document stages; 0 means one per core.
    /// The output does not depend on it.
    pub threads: usize,
    /// Words per shingle.
    pub shingle_width: usize,
    /// Find near-duplicate paragraphs and documents; `false` leaves exact
    /// duplicates only.
    pub near_duplicates: bool,
    /// Share of a paragraph's shingles found in earlier kept text at which it
    /// is a near-duplicate.
    pub near_threshold: f64,
    /// Fewest shingles a paragraph needs to be matched as a near-duplicate;
    /// shorter ones are matched exactly only.
    pub min_shingles: usize,
    /// Estimated Jaccard similarity at which two documents are
    /// near-duplicates.
    pub document_threshold: f64,
    /// Remove every paragraph of a document that is a near-duplicate of an
    /// earlier one, not only its repeated paragraphs.
    pub drop_duplicate_documents: bool,
    /// An index of an earlier corpus: paragraphs that repeat it are
    /// duplicates of the corpus (see [`crate::corpus`]).
    pub against: Option<PathBuf>,
    /// Write the run's kept paragraphs to a corpus index.
    pub index: Option<IndexTask>,
    /// How check mode judges and reports the drop (see [`crate::gate`]).
    pub gate: crate::gate::Settings,
    /// Documents a paragraph shaped like page furniture (no sentence end, or
    /// under five words) must occur in to be removed everywhere as the `repeated-block` signal.
    pub repeat_min_documents: usize,
    /// The largest file read, in bytes; a larger one is skipped with a
    /// per-file error.
    pub max_file_size: u64,
}

impl Config {
    /// A configuration with the defaults of the command line, for `inputs`,
    /// in check mode with no report. Callers set the fields they need.
    pub fn new(inputs: Vec<PathBuf>) -> Config {
        Config {
            inputs,
            extensions: default_extensions(),
            mode: Mode::Check,
            output: None,
            output_format: OutputFormat::Text,
            fields: Fields::default(),
            attributes: None,
            attribute_offsets: Offsets::Bytes,
            force: false,
            report: ReportTarget::None,
            html_report: None,
            disabled_rules: Vec::new(),
            no_strip: false,
            rules_file: None,
            quiet: false,
            verbose: false,
            color: false,
            threads: 0,
            shingle_width: 5,
            near_duplicates: true,
            near_threshold: 0.8,
            min_shingles: 3,
            document_threshold: 0.8,
            drop_duplicate_documents: false,
            repeat_min_documents: 3,
            against: None,
            index: None,
            gate: crate::gate::Settings::default(),
            max_file_size: crate::read::DEFAULT_MAX_FILE_SIZE,
        }
    }
}

/// The file types a directory walk reads when `--ext` is not given.
pub fn default_extensions() -> Vec<String> {
    vec!["txt".to_string(), "md".to_string()]
}
