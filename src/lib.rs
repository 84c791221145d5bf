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
//! [`run`] drives it in two passes over the files and a corpus step between
//! them, or in one pass when nothing needs the whole corpus first (no
//! near-duplicates and no `repeated-block` signal: step 2 has nothing to do,
//! and step 3 reads each file for the first time):
//!
//! 1. Per document, in parallel: read, segment, strip and fingerprint each
//!    file, keeping only paragraph spans, fingerprints, boilerplate verdicts,
//!    shingle counts and a 512-byte MinHash signature.
//! 2. Over the corpus, in input order: near-duplicate documents are
//!    clustered from their signatures (which are then freed), and
//!    paragraphs shaped like page furniture that repeat across documents
//!    become boilerplate.
//! 3. Per chunk of documents: read each file again and shingle its
//!    paragraphs (in parallel), decide exact and near-duplicate paragraphs
//!    document by document in input order (the only sequential step), then
//!    write each cleaned copy and build its report entry (in parallel). The
//!    workers read chunk k + 1 and write chunk k - 1 while chunk k is
//!    decided.
//!
//! Documents are files from a directory walk or lines of a JSONL input
//! ([`jsonl`]); the cleaned corpus is a directory ([`write`](mod@write)) or JSONL. With
//! an index of an earlier corpus ([`corpus`], `--against`), the decision
//! treats that corpus as coming before the first document. In check mode
//! the removals become findings that [`gate`] judges.
//!
//! Text is held for one chunk of documents at a time, never for the corpus.
//! The shingles the first pass makes go to a temporary file, where the
//! second pass reads them back (see [`fingerprint::spool`]).
//! Output goes only to the writers handed in; nothing here prints.
//!
//! A run asked to stop by a signal ([`interrupt`]) stops between documents
//! or chunks and writes nothing; the cleaned corpus and the report are
//! renamed into place together at the very end.

mod ascii;
pub mod attributes;
pub mod config;
pub mod corpus;
pub mod decide;
pub mod error;
pub mod explain;
pub mod fingerprint;
pub mod gate;
pub mod html;
pub mod interrupt;
pub mod jsonl;
mod ordered;
pub mod progress;
pub mod read;
pub mod report;
pub mod segment;
pub mod strip;
pub mod walk;
pub mod write;

use config::{Config, Mode, Offsets, OutputFormat, ReportTarget};
use decide::documents::{self, DocumentMatch};
use decide::{Candidate, Decider, Location, NearParams, Shingled, Verdict};
use error::{Fatal, FileError, Operation, display_path};
use fingerprint::minhash::{Signature, Sketch};
use fingerprint::spool::{self, Spool};
use progress::{Phase, Phases, Progress};
use rayon::prelude::*;
use report::{
    Destinations, DocumentGroup, DocumentMember, DocumentReport, DocumentSpool, DuplicateGroup,
    Palette, ParagraphRef, Reason, Removal, Report, Scope, Summary,
};
use segment::Span;
use std::collections::{BTreeMap, VecDeque};
use std::io::Write;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
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

/// Documents read, decided and written together in the second pass.
const BATCH_DOCUMENTS: usize = 64;

/// Batches of the second pass in flight at once: read ahead of the
/// decision, or decided and not yet written. Bounds the text in memory.
const BATCHES_AHEAD: usize = 16;

/// What the first pass keeps of a document: enough to decide and to find
/// the text again, not the text itself.
struct Analysis {
    source: Source,
    bytes: u64,
    /// xxh3 of the file's decoded text, to notice a file that changes
    /// during the run.
    checksum: u64,
    body_start: usize,
    /// The encoding the file was decoded from; `None` for UTF-8.
    encoding: Option<&'static encoding_rs::Encoding>,
    paragraphs: Box<[Para]>,
    /// The anchors ([`decide::index`]) of its paragraphs that near-duplicate
    /// matching looks at: what the decision's anchor table is sized for.
    anchors: u32,
    /// Where the first pass left the shingles of its paragraphs, for the
    /// second (see [`fingerprint::spool`]); `None` when it could not, and
    /// the second pass makes them again.
    spooled: Option<spool::Place>,
}

impl Analysis {
    fn span(&self, para: usize) -> Span {
        self.paragraphs[para].span()
    }

    fn spans(&self) -> Vec<Span> {
        self.paragraphs.iter().map(Para::span).collect()
    }
}

/// The documents of a run by number, in input order: all of them after the
/// first pass, or each as the decision reaches it in a run of one pass. A
/// document is looked up only once it is in: the decision goes in input
/// order, and what it decides for a document names only that document and
/// earlier ones.
struct Docs(Vec<OnceLock<Analysis>>);

impl Docs {
    /// How many documents there are room for.
    fn len(&self) -> usize {
        self.0.len()
    }

    /// The documents that are in, in input order.
    fn iter(&self) -> impl Iterator<Item = &Analysis> {
        self.0.iter().filter_map(OnceLock::get)
    }

    /// Room for `count` documents, to come one by one.
    fn to_come(count: usize) -> Docs {
        Docs((0..count).map(|_| OnceLock::new()).collect())
    }

    /// Document `number`, which has just been reached.
    fn put(&self, number: usize, doc: Analysis) {
        // Each number is given out once (by the deciding thread, in order).
        if self.0[number].set(doc).is_err() {
            unreachable!("document {number} came twice");
        }
    }

    /// Asks the processor to fetch, ahead of their use, the records of the
    /// earlier paragraphs that `verdicts` name: the report entry of a
    /// removed copy gives the earlier copy's document and place, whose
    /// records lie anywhere in memory. Fetched one by one as each entry is
    /// made, each took two to three reads from memory in turn; here all
    /// the documents' records are asked for at once, then all their
    /// paragraphs' and names'.
    fn prefetch_named<'v>(&self, verdicts: impl Iterator<Item = &'v Verdict> + Clone) {
        let named = verdicts.filter_map(|v| match *v {
            Verdict::Duplicate(of) | Verdict::NearDuplicate { of, .. } => Some(of),
            _ => None,
        });
        for of in named.clone() {
            if let Some(slot) = self.0.get(of.doc) {
                prefetch(std::ptr::from_ref(slot));
            }
        }
        for of in named {
            if let Some(doc) = self.0.get(of.doc).and_then(OnceLock::get) {
                prefetch(doc.paragraphs.as_ptr().wrapping_add(of.para));
                prefetch(doc.source.name.as_ptr());
            }
        }
    }
}

/// Asks the processor to bring the cache line of `address` in, without
/// waiting for it (nothing where there is no such instruction).
pub(crate) fn prefetch<T>(address: *const T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch reads nothing into the program and cannot fault,
    // whatever the address.
    unsafe {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        _mm_prefetch::<_MM_HINT_T0>(address.cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = address;
}

impl std::ops::Index<usize> for Docs {
    type Output = Analysis;

    fn index(&self, number: usize) -> &Analysis {
        match self.0[number].get() {
            Some(doc) => doc,
            None => unreachable!("document {number} looked up before it came"),
        }
    }
}

/// Whether a run can go through its documents in one pass: when nothing
/// needs the whole corpus before the first verdict. Near-duplicate
/// documents are found from the signatures of all of them, and the
/// `repeated-block` signal counts a paragraph's documents over the corpus;
/// without both, each document is read once, decided and written.
fn one_pass(config: &Config, stripper: &Stripper) -> bool {
    !config.near_duplicates && !stripper.signal(strip::REPEATED_BLOCK)
}

/// What the first pass keeps of one paragraph, in 24 bytes: a gigabyte of
/// news has about five million paragraphs, and this is held for each until
/// the end of the run.
#[derive(Debug, Clone, Copy)]
struct Para {
    /// Its span in the decoded text (documents are under 4 GiB).
    start: u32,
    end: u32,
    /// Fingerprint of its normalised text; 0 for boilerplate.
    fingerprint: u64,
    /// How many shingles it has, for a paragraph that the first pass did
    /// not strip (0 when near-duplicates are off: exact matching needs no
    /// shingles). Kept when the `repeated-block` signal removes the
    /// paragraph later, so that the count still finds the paragraphs after
    /// it in the spool.
    shingles: u32,
    /// 0 for text; for boilerplate, 1 + the rule's index in [`RuleNames`].
    rule: u16,
    /// Whether it is shaped like page furniture rather than prose
    /// ([`strip::is_template_shaped`]), for the `repeated-block` signal.
    template_shaped: bool,
}

impl Para {
    fn span(&self) -> Span {
        Span {
            start: self.start as usize,
            end: self.end as usize,
        }
    }

    fn is_text(&self) -> bool {
        self.rule == 0
    }

    /// Whether the first pass stored its shingles in the spool: those of
    /// every paragraph long enough to be matched as a near-duplicate.
    fn spooled(&self, config: &Config) -> bool {
        self.shingles as usize >= config.min_shingles.max(1)
    }

    fn candidate(&self, names: &RuleNames) -> Candidate {
        match self.rule {
            0 => Candidate::Text(self.fingerprint),
            rule => Candidate::Boilerplate(names.0[usize::from(rule) - 1]),
        }
    }
}

/// The names of the rules and signals of a run, so that a paragraph's
/// record holds a number rather than a name.
struct RuleNames(Vec<&'static str>);

impl RuleNames {
    fn new(stripper: &Stripper) -> RuleNames {
        let mut names = stripper.rule_names();
        if !names.contains(&strip::REPEATED_BLOCK) {
            names.push(strip::REPEATED_BLOCK);
        }
        RuleNames(names)
    }

    /// The record's number for a rule name (see [`Para::rule`]).
    fn number(&self, name: &str) -> u16 {
        let at = self.0.iter().position(|&n| n == name);
        // Every name a stripper gives is among its rule names.
        let at = at.unwrap_or_else(|| unreachable!("rule {name} is not among the run's rules"));
        at as u16 + 1
    }
}

/// A decided document of the second pass: its index, text, JSONL line and
/// verdicts, and its shingles, to be freed by the worker that writes it
/// rather than by the deciding thread.
type Decided = (usize, String, Option<Vec<u8>>, Vec<Verdict>, Shingled);

/// What a worker of the second pass sends back: a batch read, or written,
/// by its number, or word that a worker panicked.
enum Event {
    Prepared(usize, Vec<Result<Prepared, FileError>>),
    Finished(usize, Vec<Result<Finished, Fatal>>),
    Panicked,
}

/// Batches that arrive in any order, taken in order.
struct InOrder<T> {
    /// The number of the next batch to take.
    next: usize,
    /// Batches `next..`, those that have arrived.
    waiting: VecDeque<Option<T>>,
}

impl<T> Default for InOrder<T> {
    fn default() -> InOrder<T> {
        InOrder {
            next: 0,
            waiting: VecDeque::new(),
        }
    }
}

impl<T> InOrder<T> {
    /// Batch `number`, arrived.
    fn put(&mut self, number: usize, batch: T) {
        let at = number - self.next;
        if self.waiting.len() <= at {
            self.waiting.resize_with(at + 1, || None);
        }
        self.waiting[at] = Some(batch);
    }

    /// The next batch, if it has arrived.
    fn take(&mut self) -> Option<T> {
        let batch = self.waiting.front_mut()?.take()?;
        self.waiting.pop_front();
        self.next += 1;
        Some(batch)
    }
}

/// Runs `job` on a worker of `scope` when `overlap`, else here and now;
/// either way its event goes to `events`.
fn dispatch<'s>(
    scope: &rayon::Scope<'s>,
    overlap: bool,
    events: &std::sync::mpsc::Sender<Event>,
    job: impl FnOnce() -> Event + Send + 's,
) {
    if !overlap {
        let _ = events.send(job());
        return;
    }
    let events = events.clone();
    scope.spawn(move |_| {
        // A panic is reported as one, not left to stall the run.
        let event =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(job)).unwrap_or(Event::Panicked);
        let _ = events.send(event);
    });
}

/// The documents decided so far, as the decision sees them (see
/// [`decide::Earlier`]).
struct DecidedSoFar<'a> {
    docs: &'a Docs,
    config: &'a Config,
    spool: Option<&'a Spool>,
    before: SpooledBefore,
}

impl decide::Earlier for DecidedSoFar<'_> {
    fn fingerprint(&self, at: Location) -> u64 {
        self.docs[at.doc].paragraphs[at.para].fingerprint
    }

    fn shingles(&mut self, at: Location) -> Vec<u64> {
        let doc = &self.docs[at.doc];
        let before = || self.before.get(at.doc, doc, at.para, self.config);
        read_shingles(doc, at.para, before, self.config, self.spool)
    }
}

/// A document read again for the second pass, or read for the first time
/// in a run of one pass.
struct Prepared {
    text: String,
    /// The JSONL line of a record (see [`jsonl`]), to write it again.
    line: Option<Vec<u8>>,
    /// Shingles of each paragraph (empty when not needed).
    shingles: Shingled,
    /// In a run of one pass, what the pass made of the document; it becomes
    /// the next document when its turn to be decided comes.
    fresh: Option<Analysis>,
}

/// What reading a document for the first time makes of it.
struct Analyzed {
    doc: Analysis,
    /// Its MinHash signature, when near-duplicates are on.
    signature: Option<Signature>,
    text: String,
    line: Option<Vec<u8>>,
}

/// Runs the pipeline for `config`, writing the JSON report to `stdout` when
/// asked to and everything meant for people to `stderr`.
pub fn run(
    config: &Config,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<ExitStatus, Fatal> {
    run_with_progress(config, stdout, stderr, &progress::NoProgress)
}

/// [`run`], telling `progress` how far it has got (see [`progress`]).
pub fn run_with_progress(
    config: &Config,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
    progress: &dyn Progress,
) -> Result<ExitStatus, Fatal> {
    let palette = Palette::new(config.color);
    let mut phases = Phases::new(progress, config.verbose, palette);
    check_parameters(config)?;
    let user_rules = match &config.rules_file {
        Some(path) => Some(strip::user::load(path)?),
        None => None,
    };
    let stripper = Stripper::with_user_rules(
        &config.disabled_rules,
        !config.no_strip,
        user_rules.as_ref(),
    )?;
    let names = RuleNames::new(&stripper);
    check_output_paths(config)?;
    let corpus = match &config.against {
        Some(path) => {
            let index = corpus::Index::open(path)?;
            index.check(&corpus::Parameters::current(
                config.shingle_width,
                config.near_duplicates,
            ))?;
            Some(index)
        }
        None => None,
    };
    let mut builder = match (&config.index, &corpus) {
        (Some(task), Some(corpus)) if task.add => Some(corpus::Builder::from_index(corpus)),
        (Some(_), _) => Some(corpus::Builder::new(corpus::Parameters::current(
            config.shingle_width,
            config.near_duplicates,
        ))),
        (None, _) => None,
    };
    // The directory is written by the workers; JSONL lines to a file by
    // the writing thread ([`ordered`]), to standard output by this one.
    let output = Output::create(config)?;
    let lines = match output {
        Output::None | Output::Dir(_) => None,
        Output::File(_) | Output::Stdout => Some(&config.fields),
    };
    let to_stdout = matches!(output, Output::Stdout);
    let (staging, output_file) = match output {
        Output::Dir(staging) => (Some(staging), None),
        Output::File(sink) => (None, Some(sink)),
        Output::None | Output::Stdout => (None, None),
    };
    let attributes = match &config.attributes {
        Some(path) => Some(jsonl::Sink::create(path, config.force)?),
        None => None,
    };
    let attribute_offsets = config
        .attributes
        .is_some()
        .then_some(config.attribute_offsets);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.threads)
        .build()
        .map_err(|e| Fatal::new(format!("cannot start worker threads: {e}")))?;
    if config.verbose {
        let threads = pool.current_num_threads();
        let s = if threads == 1 { "" } else { "s" };
        let _ = writeln!(
            stderr,
            "{0}dedupe: {threads} worker thread{s}{0:#}",
            palette.detail
        );
    }

    // The report's entries wait beside it, or in the temporary directory
    // when it goes to stdout or a device; so do the shingles the first pass
    // makes for the second. Without that file, the second pass makes them
    // again.
    let spool_dir = match &config.report {
        ReportTarget::File(path) if !is_special(path) => path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf(),
        _ => std::env::temp_dir(),
    };
    let shingle_file = match config.near_duplicates {
        // A file for each worker (see `Spool`).
        true => (0..pool.current_num_threads().max(1))
            .map(|_| tempfile::tempfile_in(&spool_dir))
            .collect::<Result<Vec<_>, _>>()
            .ok()
            .map(Spool::in_files),
        false => None,
    };
    let shingle_spool = shingle_file.as_ref();
    // What the run no longer needs is freed on other threads while it
    // writes its outputs: closing a temporary file of gigabytes, or freeing
    // millions of document records, takes seconds at the largest sizes.
    let mut freeing = Vec::new();

    // A JSONL file's lines are found by the run's workers.
    let entries =
        pool.install(|| walk::walk(&config.inputs, &config.extensions, &config.fields))?;
    let total = entries.len();
    let mut errors = Vec::new();
    // In a run of one pass, each entry is read when its batch comes round
    // in the second (below), and the documents come one by one.
    let one_pass = one_pass(config, &stripper);
    let mut fresh_entries = Vec::new().into_iter();
    // The documents and what the corpus step found of them, the number of
    // text paragraphs and of their anchors, and how many items the second
    // pass goes through: the entries, or the documents of the first pass.
    let (docs, doc_matches, (texts, anchors), count) = if one_pass {
        fresh_entries = entries.into_iter();
        (Docs::to_come(total), Vec::new(), (0, 0), total)
    } else {
        // Pass 1, per document.
        phases.start(Phase::Read, total);
        // Signatures go to a vector of their own, one block that is freed
        // whole once documents are compared. The documents go straight
        // into the list the second pass reads, each in its place, and the
        // places of those that failed are closed up after: a list of
        // results copied into another list touched a hundred megabytes of
        // fresh memory at a gigabyte of news, while no other thread had
        // work.
        type Result1 = (
            OnceLock<Analysis>,
            (Option<Box<FileError>>, Option<Signature>),
        );
        type Results = (
            Vec<OnceLock<Analysis>>,
            (Vec<Option<Box<FileError>>>, Vec<Option<Signature>>),
        );
        let (mut analyses, (failed, signatures)): Results = pool.install(|| {
            entries
                .into_par_iter()
                .map(|entry| -> Result1 {
                    let analysis = match interrupt::requested() {
                        // Stopping: the result is thrown away below.
                        Some(_) => Err(FileError::new("", Operation::Read, "interrupted")),
                        None => entry.and_then(|source| {
                            analyze(source, &stripper, &names, config, shingle_spool, false)
                        }),
                    };
                    progress.advance(1);
                    match analysis {
                        Ok(analyzed) => (OnceLock::from(analyzed.doc), (None, analyzed.signature)),
                        Err(err) => (OnceLock::new(), (Some(Box::new(err)), None)),
                    }
                })
                .unzip()
        });
        phases.end(stderr);
        interrupt::check(&not_written(config, 0, total))?;
        errors.extend(failed.into_iter().flatten().map(|err| *err));
        let signed: Vec<Option<&Signature>> = analyses
            .iter()
            .zip(&signatures)
            .filter(|(doc, _)| doc.get().is_some())
            .map(|(_, signature)| signature.as_ref())
            .collect();
        analyses.retain(|doc| doc.get().is_some());
        let mut docs = Docs(analyses);

        // The corpus step.
        phases.start(Phase::Compare, docs.len());
        let doc_matches = pool.install(|| documents::cluster(&signed, config.document_threshold));
        // Signatures are needed for clustering only: free them before the
        // second pass builds its index.
        drop(signed);
        drop(signatures);
        give_back_memory();
        if stripper.signal(strip::REPEATED_BLOCK) {
            pool.install(|| {
                mark_repeated_blocks(&mut docs, &doc_matches, config.repeat_min_documents, &names);
            });
        }
        progress.advance(docs.len() as u64);
        phases.end(stderr);
        // Every paragraph that is not boilerplate may be a first copy.
        let texts = docs
            .iter()
            .flat_map(|d| d.paragraphs.iter())
            .filter(|p| p.is_text())
            .count();
        // Counted before the `repeated-block` signal: at most as many.
        let anchors = docs.iter().map(|d| d.anchors as usize).sum();
        let count = docs.len();
        (docs, doc_matches, (texts, anchors), count)
    };

    // Pass 2, chunk by chunk.
    let near = config.near_duplicates.then_some(NearParams {
        threshold: config.near_threshold,
        min_shingles: config.min_shingles,
    });
    // A run of one pass does not know how many paragraphs will come.
    let mut decider = match one_pass {
        true => Decider::new(near),
        false => Decider::with_capacity(near, texts, anchors),
    };
    if let Some(corpus) = &corpus {
        decider = decider.against(corpus);
    }
    let mut tally = Tally::default();
    let want_findings = config.mode == Mode::Check;
    let mut findings: Vec<gate::Finding> = Vec::new();
    let parameters = parameters(config, &stripper, corpus.as_ref());
    // A report file takes the entries as they come, after room for its
    // head, written last; one for standard output or a device has them
    // spooled.
    let spool = match &config.report {
        ReportTarget::None => DocumentSpool::discard(),
        ReportTarget::File(path) if !is_special(path) => {
            // Every rule a removal can name, those in force and more.
            let room = report::head_room(&report::Tool::THIS, &parameters, &names.0);
            DocumentSpool::in_report(path, room)?
        }
        _ => {
            DocumentSpool::in_dir(&spool_dir).map_err(|e| ordered::entries_error(&spool_dir, &e))?
        }
    };
    let files = ordered::Files {
        output: output_file,
        attributes,
        entries: spool,
        entries_dir: spool_dir.clone(),
    };
    let want_entries = config.report != ReportTarget::None;
    let mut html_spool = html::Spool::for_config(config)?;
    // Documents go through the second pass in batches of BATCH_DOCUMENTS:
    // the workers read and shingle batches ahead, this thread decides them
    // in input order, the workers write the decided ones, and this thread
    // takes what they made in input order again. No step waits for a whole
    // round of the others: a batch is decided as soon as it and those
    // before it are read.
    let batches: Vec<Range<usize>> = (0..count)
        .step_by(BATCH_DOCUMENTS)
        .map(|start| start..(start + BATCH_DOCUMENTS).min(count))
        .collect();
    let doc_match = |i: usize| doc_matches.get(i).copied().flatten();
    // A batch of the documents of the first pass, or of entries read now.
    let prepare_batch = |b: usize, fresh: Vec<Result<Source, FileError>>| -> Event {
        let prepared = match one_pass {
            true => fresh
                .into_iter()
                .map(|entry| entry.and_then(|source| read_fresh(source, &stripper, &names, config)))
                .collect(),
            false => batches[b]
                .clone()
                .map(|i| prepare(&docs[i], doc_match(i), config, shingle_spool))
                .collect(),
        };
        Event::Prepared(b, prepared)
    };
    let finish_batch = |b: usize, ready: Vec<Decided>, want_html: html::Want| -> Event {
        if want_entries || want_findings {
            docs.prefetch_named(ready.iter().flat_map(|d| &d.3));
        }
        let finished = ready
            .into_iter()
            .map(|(i, text, line, verdicts, shingles)| {
                drop(shingles);
                let wanted = Wanted {
                    staging: staging.as_ref(),
                    lines,
                    line: line.as_deref(),
                    attributes: attribute_offsets,
                    entry: want_entries,
                    corpus: corpus.as_ref(),
                    findings: want_findings,
                    html: want_html,
                };
                finish(i, &text, &docs, &verdicts, &wanted)
            })
            .collect();
        Event::Finished(b, finished)
    };
    // With one thread, every batch is read, decided and written in turn on
    // this thread.
    let overlap = pool.current_num_threads() > 1;
    phases.start(Phase::Decide, count);
    // The decision asks for fingerprints and shingles of kept paragraphs
    // that it does not hold.
    let mut earlier = DecidedSoFar {
        docs: &docs,
        config,
        spool: shingle_spool,
        before: SpooledBefore::default(),
    };
    let (events, arrived) = std::sync::mpsc::channel::<Event>();
    let mut writer = match files.output.is_some() || files.attributes.is_some() {
        true => ordered::Writer::start(files),
        false => ordered::Writer::here(files),
    };
    let looped = pool.in_place_scope(|scope| -> Result<(), Fatal> {
        let (mut read_next, mut decided, mut taken) = (0, 0, 0);
        // Documents that have come in a run of one pass.
        let mut arrived_docs = 0;
        let mut candidates: Vec<Candidate> = Vec::new();
        let mut prepared: InOrder<Vec<Result<Prepared, FileError>>> = InOrder::default();
        let mut finished: InOrder<Vec<Result<Finished, Fatal>>> = InOrder::default();
        while taken < batches.len() {
            if interrupt::requested().is_some() {
                interrupt::check(&not_written(config, tally.summary.documents, total))?;
            }
            while read_next < batches.len() && read_next < taken + BATCHES_AHEAD {
                let b = read_next;
                let fresh = fresh_entries.by_ref().take(batches[b].len()).collect();
                dispatch(scope, overlap, &events, move || prepare_batch(b, fresh));
                read_next += 1;
            }
            // Wait for whatever comes next, then take everything that has
            // come.
            let mut event = arrived.recv().ok();
            while let Some(e) = event.take().or_else(|| arrived.try_recv().ok()) {
                match e {
                    Event::Prepared(b, batch) => prepared.put(b, batch),
                    Event::Finished(b, batch) => finished.put(b, batch),
                    Event::Panicked => return Err(Fatal::new("a worker thread panicked")),
                }
            }
            while let Some(batch) = prepared.take() {
                let mut ready: Vec<Decided> = Vec::with_capacity(batch.len());
                for (i, result) in batches[decided].clone().zip(batch) {
                    match result {
                        Ok(doc) => {
                            let Prepared {
                                text,
                                line,
                                shingles,
                                fresh,
                            } = doc;
                            // A document read in this pass is the next one.
                            let i = match fresh {
                                Some(doc) => {
                                    docs.put(arrived_docs, doc);
                                    arrived_docs += 1;
                                    arrived_docs - 1
                                }
                                None => i,
                            };
                            candidates.clear();
                            candidates
                                .extend(docs[i].paragraphs.iter().map(|p| p.candidate(&names)));
                            let verdicts = match doc_match(i) {
                                Some(m) if config.drop_duplicate_documents => {
                                    Decider::drop_document(&candidates, m.of, m.similarity as f32)
                                }
                                _ => decider.decide(i, &candidates, &shingles, &mut earlier),
                            };
                            tally.add(i, &verdicts);
                            if let Some(builder) = &mut builder {
                                add_to_index(builder, &docs[i], &verdicts, &shingles);
                            }
                            ready.push((i, text, line, verdicts, shingles));
                        }
                        Err(err) => {
                            errors.push(err);
                            progress.advance(1);
                        }
                    }
                }
                // Whether the HTML report still takes text depends on what
                // the batches before took; one that took text it turns out
                // to have no room for is left out when it comes back, as it
                // would have been.
                let want_html = html_spool.want();
                let b = decided;
                dispatch(scope, overlap, &events, move || {
                    finish_batch(b, ready, want_html)
                });
                decided += 1;
            }
            while let Some(batch) = finished.take() {
                let count = batch.len();
                let mut lines = Vec::with_capacity(count);
                // Lines for standard output go in one write a batch: it is
                // line-buffered, a write a line otherwise.
                let mut for_stdout = Vec::new();
                for result in batch {
                    let mut doc = result?;
                    tally.finished(&doc);
                    findings.append(&mut doc.findings);
                    if to_stdout && let Some(line) = doc.line.take() {
                        for_stdout.extend_from_slice(&line);
                        for_stdout.push(b'\n');
                    }
                    lines.push(ordered::Lines {
                        line: doc.line,
                        attributes: doc.attributes,
                        json: doc.json,
                    });
                    if let Some(entry) = doc.html {
                        html_spool.push(entry).map_err(|e| {
                            let beside = config.html_report.as_deref().unwrap_or(Path::new("."));
                            Fatal::new(format!(
                                "cannot write the HTML report's temporary file beside {}: {e}",
                                display_path(beside)
                            ))
                        })?;
                    }
                }
                if !for_stdout.is_empty() {
                    stdout
                        .write_all(&for_stdout)
                        .map_err(|e| Fatal::new(format!("cannot write to standard output: {e}")))?;
                }
                writer.write(lines)?;
                progress.advance(count as u64);
                taken += 1;
            }
        }
        Ok(())
    });
    // An error of the writing thread is why the loop stopped, if it did.
    let files = writer.finish()?;
    looped?;
    let ordered::Files {
        output: output_file,
        attributes,
        entries: spool,
        ..
    } = files;
    // The decision's tables are the largest thing in memory; the report is
    // built without them.
    drop(decider);
    freeing.push(free_elsewhere(shingle_file));
    phases.end(stderr);
    errors.sort_by(|a, b| a.path.cmp(&b.path));
    for err in &errors {
        let _ = writeln!(stderr, "{0}error:{0:#} {err}", palette.error);
    }

    let documents_done = tally.summary.documents;
    interrupt::check(&not_written(config, documents_done, total))?;
    // The report is built and written with the run's workers.
    let mut report =
        pool.install(|| build_report(parameters, &docs, tally, &doc_matches, spool, errors));
    freeing.push(free_elsewhere(docs));
    report
        .documents
        .flush()
        .map_err(|e| ordered::entries_error(&spool_dir, &e))?;
    let in_report = report.documents.take_report();
    let mut to = Destinations::default();
    let (staged_report, staged_html) =
        pool.install(|| stage_reports(config, &report, in_report, html_spool));
    let (staged_report, staged_html) = (staged_report?, staged_html?);
    // The last moment to stop; past it the outputs are moved into place.
    interrupt::check(&not_written(config, documents_done, total))?;
    if let (Some(builder), Some(task)) = (builder, &config.index) {
        // The old index stays mapped until here; the new one replaces it
        // by a rename.
        drop(corpus);
        let paragraphs = builder.paragraphs();
        builder.write(&task.path)?;
        to.index = Some((display_path(&task.path), paragraphs));
    }
    if let Some(sink) = attributes {
        sink.commit()?;
    }
    if let Some(out) = &config.output {
        let committed = match (staging, output_file) {
            (Some(staging), _) => staging.commit().map(|()| true)?,
            (None, Some(sink)) => sink.commit().map(|()| true)?,
            (None, None) if to_stdout => stdout
                .flush()
                .map(|()| true)
                .map_err(|e| Fatal::new(format!("cannot write to standard output: {e}")))?,
            (None, None) => false,
        };
        to.corpus = committed.then(|| match jsonl::is_stdio(out) {
            true => "standard output".to_string(),
            false => display_path(out),
        });
    }
    if let (Some(staged), ReportTarget::File(path)) = (staged_report, &config.report) {
        staged.commit()?;
        to.report = Some(display_path(path));
    }
    if config.report == ReportTarget::Stdout {
        match report::write_json(&report, stdout) {
            // A reader that stops early (`| head`) is not an error.
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                return Err(Fatal::new(format!(
                    "cannot write the report to stdout: {e}"
                )));
            }
            _ => {}
        }
    }
    // The documents' entries are in the report now.
    let entries = std::mem::replace(&mut report.documents, DocumentSpool::discard());
    freeing.push(free_elsewhere(entries));
    if let (Some(staged), Some(path)) = (staged_html, &config.html_report) {
        staged.commit()?;
        to.html = Some(display_path(path));
    }
    if !config.quiet {
        let _ = report::write_styled_summary(&report, &to, &palette, stderr);
    }

    let mut passed = true;
    if config.mode == Mode::Check {
        let s = &report.summary;
        let verdict = gate::judge(&config.gate, findings, s.bytes_in, s.bytes_out)?;
        passed = verdict.passed;
        // The verdict goes to stdout, unless the report is there.
        let out: &mut dyn Write = match config.report {
            ReportTarget::Stdout => stderr,
            _ => stdout,
        };
        gate::write(&verdict, &config.gate, out)
            .map_err(|e| Fatal::new(format!("cannot write the check's verdict: {e}")))?;
    }
    for thread in freeing.into_iter().flatten() {
        let _ = thread.join();
    }
    Ok(if !report.errors.is_empty() {
        ExitStatus::Error
    } else if !passed {
        ExitStatus::Findings
    } else {
        ExitStatus::Success
    })
}

/// Writes the JSON report (when it goes to a file) and the HTML report
/// under temporary names, at once: each is a sequential copy of hundreds of
/// megabytes at the largest sizes, the HTML report on a thread of its own.
fn stage_reports(
    config: &Config,
    report: &Report,
    in_report: Option<report::InReport>,
    html_spool: html::Spool,
) -> (
    Result<Option<write::StagedFile>, Fatal>,
    Result<Option<write::StagedFile>, Fatal>,
) {
    // The spool goes to the thread that writes the page; it stays here
    // when no thread can be started.
    let spool = std::sync::Mutex::new(Some(html_spool));
    let stage_html = |path: &Path| match spool.lock().ok().and_then(|mut s| s.take()) {
        Some(spool) => html::stage(path, report, spool).map(Some),
        None => Ok(None),
    };
    std::thread::scope(|scope| {
        let thread = config.html_report.as_deref().and_then(|path| {
            std::thread::Builder::new()
                .name("dedupe-html".to_string())
                .spawn_scoped(scope, move || stage_html(path))
                .ok()
        });
        let json = match (&config.report, in_report) {
            (ReportTarget::File(path), Some(in_report)) => in_report
                .finish(report)
                .map(Some)
                .map_err(|e| Fatal::io("write", path, &e)),
            (ReportTarget::File(path), None) => {
                write::stage_file(path, |out| report::write_json(report, out)).map(Some)
            }
            _ => Ok(None),
        };
        let html = match (thread, config.html_report.as_deref()) {
            (Some(thread), _) => thread
                .join()
                .unwrap_or_else(|_| Err(Fatal::new("the thread writing the HTML report panicked"))),
            (None, Some(path)) => stage_html(path),
            (None, None) => Ok(None),
        };
        (json, html)
    })
}

/// Hands freed memory back to the system now. The allocator returns what is
/// freed after a short delay, and only when it is next called on the thread
/// that freed it: after the corpus step's large frees (the signatures, the
/// grouping of documents) that could be too late, with the second pass's
/// tables already grown beside memory no longer used.
fn give_back_memory() {
    // SAFETY: `mi_collect` takes no pointers; it frees and purges only
    // memory that mimalloc itself holds as free, whichever allocator the
    // program uses.
    unsafe { libmimalloc_sys::mi_collect(true) };
}

/// Drops `value` on a thread of its own, to be joined before the run ends;
/// here and now when no thread can be started.
fn free_elsewhere<T: Send + 'static>(value: T) -> Option<std::thread::JoinHandle<()>> {
    std::thread::Builder::new()
        .name("dedupe-free".to_string())
        .spawn(move || drop(value))
        .ok()
}

/// Where the cleaned corpus goes.
enum Output {
    /// Nowhere (check mode).
    None,
    /// A directory of cleaned files.
    Dir(write::Staging),
    /// A JSONL file.
    File(jsonl::Sink),
    /// JSONL on standard output.
    Stdout,
}

impl Output {
    fn create(config: &Config) -> Result<Output, Fatal> {
        let (Mode::Clean, Some(out)) = (config.mode, &config.output) else {
            return Ok(Output::None);
        };
        Ok(match config.output_format {
            OutputFormat::Text => Output::Dir(write::Staging::create(out, config.force)?),
            OutputFormat::Jsonl if jsonl::is_stdio(out) => Output::Stdout,
            OutputFormat::Jsonl => Output::File(jsonl::Sink::create(out, config.force)?),
        })
    }
}

/// What an interrupted run says: how far it got, and that its outputs were
/// not written.
fn not_written(config: &Config, cleaned: usize, total: usize) -> String {
    let mut outputs = Vec::new();
    if let Some(out) = &config.output {
        outputs.push(display_path(out));
    }
    if let ReportTarget::File(path) = &config.report {
        outputs.push(display_path(path));
    }
    let outputs = if outputs.is_empty() {
        String::new()
    } else {
        format!(" ({} left as they were)", outputs.join(" and "))
    };
    format!("{cleaned} of {total} inputs had been cleaned; nothing was written{outputs}")
}

/// Rejects parameters no run can use.
fn check_parameters(config: &Config) -> Result<(), Fatal> {
    let share = |name: &str, x: f64| {
        if x > 0.0 && x <= 1.0 {
            Ok(())
        } else {
            Err(Fatal::new(format!(
                "{name} must be above 0 and at most 1, not {x}"
            )))
        }
    };
    share("the near-duplicate threshold", config.near_threshold)?;
    share("the document threshold", config.document_threshold)?;
    if config.shingle_width == 0 {
        return Err(Fatal::new("the shingle width must be at least 1 word"));
    }
    Ok(())
}

// Buffers of [`analyze`], their room kept on each worker from one
// document to the next (up to [`KEPT_ROOM`] bytes each).
thread_local! {
    /// A paragraph's normalised text.
    static NORMALIZED: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    /// A paragraph's shingles.
    static SHINGLES: std::cell::RefCell<fingerprint::Shingles> = std::cell::RefCell::default();
    /// A document's spool record.
    static RECORD: std::cell::RefCell<spool::Record> = std::cell::RefCell::default();
    /// A paragraph's anchors, counted.
    static ANCHORS: std::cell::RefCell<Vec<u32>> = std::cell::RefCell::default();
}

/// Bytes of room a worker keeps in each buffer of [`analyze`] for the next
/// document: the room a very long document took is let go.
const KEPT_ROOM: usize = 1 << 20;

/// First pass, one document: read, segment, strip, fingerprint.
fn analyze(
    mut source: Source,
    stripper: &Stripper,
    names: &RuleNames,
    config: &Config,
    spool: Option<&Spool>,
    with_line: bool,
) -> Result<Analyzed, FileError> {
    let read = identify(&mut source, config)?;
    let (text, line) = read_document(&source, config, with_line, read)?;
    if u32::try_from(text.text.len()).is_err() {
        return Err(FileError::new(
            source.name.clone(),
            Operation::Read,
            "a document of 4 GiB or more, skipped",
        ));
    }
    let spans = segment::segment(&text.text, text.body_start);
    let paragraphs: Vec<&str> = spans.iter().map(|s| s.of(&text.text)).collect();
    // The normalised paragraphs, one after another in one buffer: one
    // allocation a document rather than one a paragraph.
    let mut all = String::with_capacity(text.text.len());
    let mut ends = Vec::with_capacity(paragraphs.len());
    NORMALIZED.with_borrow_mut(|one| {
        for p in &paragraphs {
            fingerprint::normalize_into(p, one);
            all.push_str(one);
            ends.push(all.len());
        }
        if one.capacity() > KEPT_ROOM {
            *one = String::new();
        }
    });
    let normalized: Vec<&str> = ends
        .iter()
        .scan(0, |start, &end| {
            Some(&all[std::mem::replace(start, end)..end])
        })
        .collect();
    let stripped = stripper.strip_normalized(&paragraphs, &normalized);
    let repeated_block = stripper.signal(strip::REPEATED_BLOCK);
    let mut sketch = Sketch::default();
    let mut shingles = SHINGLES.take();
    let mut stored = RECORD.take();
    let mut anchors = ANCHORS.take();
    let mut anchor_count = 0usize;
    let mut records = Vec::with_capacity(paragraphs.len());
    for (((span, paragraph), normalized), rule) in
        spans.iter().zip(&paragraphs).zip(&normalized).zip(stripped)
    {
        let mut record = Para {
            // The text is under 4 GiB (checked above).
            start: span.start as u32,
            end: span.end as u32,
            fingerprint: 0,
            shingles: 0,
            rule: 0,
            template_shaped: repeated_block && strip::is_template_shaped(paragraph),
        };
        match rule {
            Some(rule) => record.rule = names.number(rule),
            None => {
                record.fingerprint = fingerprint::hash(normalized);
                // Exact matching needs no shingles.
                if config.near_duplicates {
                    fingerprint::shingles(normalized, config.shingle_width, &mut shingles);
                    sketch.add(&shingles.hashes);
                    record.shingles = shingles.len() as u32;
                    if record.spooled(config) {
                        anchors.clear();
                        decide::index::append_anchor_positions(
                            &shingles.hashes,
                            &shingles.starts,
                            &mut anchors,
                        );
                        anchor_count += anchors.len();
                        if spool.is_some() {
                            stored.add(&shingles, &anchors);
                        }
                    }
                }
            }
        }
        records.push(record);
    }
    let analysis = Analysis {
        bytes: text.text.len() as u64,
        checksum: xxh3_64(text.text.as_bytes()),
        body_start: text.body_start,
        encoding: text.encoding,
        paragraphs: records.into_boxed_slice(),
        // No more anchors than shingles, and fewer shingles than bytes.
        anchors: anchor_count as u32,
        source,
        // A record that cannot be written costs its document the time of
        // making its shingles again, nothing more.
        spooled: match spool {
            Some(spool) if !stored.is_empty() => spool.append(stored.finish()).ok(),
            _ => None,
        },
    };
    // 8 bytes of hash and 4 of first word a shingle.
    if shingles.hashes.capacity() * 12 <= KEPT_ROOM {
        SHINGLES.set(shingles);
    }
    if stored.room() <= KEPT_ROOM {
        stored.clear();
        RECORD.set(stored);
    }
    if anchors.capacity() * 4 <= KEPT_ROOM {
        ANCHORS.set(anchors);
    }
    Ok(Analyzed {
        doc: analysis,
        signature: config.near_duplicates.then(|| sketch.finish()),
        text: text.text,
        line,
    })
}

/// A run of one pass, one document: what the first pass makes of it, and
/// its text for the decision and the writing, read once.
fn read_fresh(
    source: Source,
    stripper: &Stripper,
    names: &RuleNames,
    config: &Config,
) -> Result<Prepared, FileError> {
    let analyzed = analyze(source, stripper, names, config, None, writes_lines(config))?;
    Ok(Prepared {
        text: analyzed.text,
        line: analyzed.line,
        // Exact matching needs no shingles: the decision takes a paragraph
        // missing from them as one without any.
        shingles: Shingled::default(),
        fresh: Some(analyzed.doc),
    })
}

/// The `repeated-block` signal: a paragraph shaped like page furniture
/// (no sentence end, or fewer than five words) whose fingerprint occurs in at
/// least `min_documents` documents is boilerplate in every one of them, the
/// first included: a menu line or footer found across the corpus is the
/// site's template, not text to keep once. Prose repeated across documents
/// is left to duplicate detection, which keeps the first copy. Copies of
/// one article (a group of near-duplicate documents) count as one document:
/// the headline of an article published three times is not a template.
fn mark_repeated_blocks(
    docs: &mut Docs,
    doc_matches: &[Option<DocumentMatch>],
    min_documents: usize,
    names: &RuleNames,
) {
    // (fingerprint, document or group) pairs, each pair once. Made, sorted
    // and marked on the rayon pool it is called in (the run's workers): on
    // one thread, the walks over every paragraph record (120 MB at a
    // gigabyte of news) took 0.11 s with no other work to do.
    let mut pairs: Vec<(u64, usize)> = docs
        .0
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, doc)| {
            let group = doc_matches[i].map_or(i, |m| m.kept);
            doc.get()
                .into_iter()
                .flat_map(|doc| doc.paragraphs.iter())
                .filter(|p| p.is_text() && p.template_shaped)
                .map(move |p| (p.fingerprint, group))
        })
        .collect();
    pairs.par_sort_unstable();
    pairs.dedup();
    // The fingerprints found in enough documents or groups, in order.
    let repeated: Vec<u64> = pairs
        .chunk_by(|a, b| a.0 == b.0)
        .filter(|pairs| pairs.len() >= min_documents.max(2))
        .map(|pairs| pairs[0].0)
        .collect();
    drop(pairs);
    let rule = names.number(strip::REPEATED_BLOCK);
    docs.0
        .par_iter_mut()
        .filter_map(OnceLock::get_mut)
        .for_each(|doc| {
            for p in doc.paragraphs.iter_mut() {
                if p.is_text()
                    && p.template_shaped
                    && repeated.binary_search(&p.fingerprint).is_ok()
                {
                    p.rule = rule;
                    p.fingerprint = 0;
                }
            }
        });
}

/// Second pass, one document: read it again, and take the shingles of the
/// paragraphs that near-duplicate matching will look at from the spool (or
/// make them again).
fn prepare(
    doc: &Analysis,
    doc_match: Option<DocumentMatch>,
    config: &Config,
    spool: Option<&Spool>,
) -> Result<Prepared, FileError> {
    let (text, line) = read_again(doc, config, writes_lines(config))?;
    let dropped = doc_match.is_some() && config.drop_duplicate_documents;
    let mut shingles = Shingled::default();
    if config.near_duplicates && !dropped {
        let counts: Vec<usize> = doc
            .paragraphs
            .iter()
            .filter(|p| p.spooled(config))
            .map(|p| p.shingles as usize)
            .collect();
        let record = match (spool, doc.spooled) {
            (Some(spool), Some(place)) => spool.record(place).ok(),
            _ => None,
        };
        // None when the record cannot be read whole: each is made again.
        let mut stored = record
            .as_deref()
            .and_then(|record| spool::paragraphs(record, &counts).ok())
            .unwrap_or_default()
            .into_iter();
        let width = config.shingle_width.max(1);
        shingles.reserve(doc.paragraphs.len(), counts.iter().sum());
        let mut made = fingerprint::Shingles::default();
        let mut chosen = Vec::new();
        for p in doc.paragraphs.iter() {
            let from_spool = match p.spooled(config) {
                true => stored.next(),
                false => {
                    shingles.push_none();
                    continue;
                }
            };
            if !p.is_text() {
                shingles.push_none();
                continue;
            }
            match from_spool {
                Some(own) => shingles.push_chosen(own.words, width, |hashes, starts, anchors| {
                    own.append_hashes(hashes);
                    own.append_starts(starts);
                    own.append_anchors(anchors);
                }),
                None => {
                    shingle_paragraph(&text, p.span(), config, &mut made);
                    // As the spool would give them: anchors chosen on the
                    // whole hashes, hashes compared by their low bits.
                    chosen.clear();
                    decide::index::append_anchor_positions(&made.hashes, &made.starts, &mut chosen);
                    shingles.push_chosen(made.words, width, |hashes, starts, anchors| {
                        hashes.extend(made.hashes.iter().map(|&h| spool::kept_bits(h)));
                        starts.extend_from_slice(&made.starts);
                        anchors.extend_from_slice(&chosen);
                    });
                }
            }
        }
    }
    Ok(Prepared {
        text,
        line,
        shingles,
        fresh: None,
    })
}

/// The shingle hashes ([`spool::kept_bits`]) of paragraph `para` of
/// `doc`: a candidate source of a near-duplicate that is no longer in the
/// decision's memory. Read from the spool, or else again from its
/// document; a document that cannot be read again, or changed, gives none.
///
/// `before` gives how many shingles its record holds before the
/// paragraph's ([`spooled_before`]).
fn read_shingles(
    doc: &Analysis,
    para: usize,
    before: impl FnOnce() -> usize,
    config: &Config,
    spool: Option<&Spool>,
) -> Vec<u64> {
    if let (Some(spool), Some(place)) = (spool, doc.spooled) {
        let before = before();
        let count = doc.paragraphs[para].shingles as usize;
        if let Ok(hashes) = spool.hashes(place, before, count) {
            return hashes;
        }
    }
    let Ok((text, _)) = read_again(doc, config, false) else {
        return Vec::new();
    };
    let mut shingles = fingerprint::Shingles::default();
    shingle_paragraph(&text, doc.span(para), config, &mut shingles);
    // As the spool would give them.
    shingles.hashes.into_iter().map(spool::kept_bits).collect()
}

/// How many shingles the spool record of `doc` holds before those of
/// paragraph `para`: the counts of the stored paragraphs before it.
fn spooled_before(doc: &Analysis, para: usize, config: &Config) -> usize {
    doc.paragraphs[..para]
        .iter()
        .filter(|p| p.spooled(config))
        .map(|p| p.shingles as usize)
        .sum()
}

/// [`spooled_before`] of every paragraph, for the long documents that
/// candidate sources came from last. Summed afresh on each look-up, a
/// document of n paragraphs costs up to n steps a candidate, and a long
/// document can be the source of as many candidates as it has paragraphs.
#[derive(Default)]
struct SpooledBefore {
    /// (document, the count before each of its paragraphs), the most
    /// recently made last.
    held: Vec<(usize, Vec<u32>)>,
}

impl SpooledBefore {
    /// Documents with fewer paragraphs are summed on each look-up.
    const LONG: usize = 64;
    /// How many documents' counts are held at most.
    const HELD: usize = 8;

    /// [`spooled_before`] of paragraph `para` of `doc`, document number
    /// `number`.
    fn get(&mut self, number: usize, doc: &Analysis, para: usize, config: &Config) -> usize {
        if doc.paragraphs.len() < Self::LONG {
            return spooled_before(doc, para, config);
        }
        if let Some((_, counts)) = self.held.iter().find(|(n, _)| *n == number) {
            return counts[para] as usize;
        }
        // A record is shorter than 4 GiB (`spool::Place`), so it holds
        // fewer than 2^32 shingles.
        let mut sum = 0u32;
        let counts: Vec<u32> = doc
            .paragraphs
            .iter()
            .map(|p| {
                let here = sum;
                if p.spooled(config) {
                    sum = sum.saturating_add(p.shingles);
                }
                here
            })
            .collect();
        let before = counts[para] as usize;
        if self.held.len() == Self::HELD {
            self.held.remove(0);
        }
        self.held.push((number, counts));
        before
    }
}

/// Whether the cleaned corpus is JSONL, whose lines are the input's lines
/// with their text replaced (see [`jsonl`]).
fn writes_lines(config: &Config) -> bool {
    config.mode == Mode::Clean
        && config.output.is_some()
        && config.output_format == OutputFormat::Jsonl
}

/// Parses the line of a JSONL record the first time its document is read,
/// on the worker that reads it: the document takes its id as its name
/// (see [`jsonl`]). Gives the line, read for it, and the text if parsing
/// decoded it; `None` for a file, or a record parsed before.
fn identify(source: &mut Source, config: &Config) -> Result<Option<LineRead>, FileError> {
    let Some(record) = source.record.as_deref().filter(|r| !r.identified()) else {
        return Ok(None);
    };
    let line = record
        .read_line()
        .map_err(|e| record_error(source, record, &e))?;
    let parsed = source
        .record
        .as_deref_mut()
        .map(|record| record.identify(&line, &config.fields));
    let text = match parsed {
        Some(Ok(identity)) => {
            if !identity.id.is_empty() {
                source.name = identity.id;
            }
            identity.text
        }
        Some(Err(message)) => {
            return Err(FileError::new(
                source.name.clone(),
                Operation::Decode,
                message,
            ));
        }
        None => None,
    };
    Ok(Some(LineRead { line, text }))
}

/// A JSONL document's line as its first reading left it, and its text when
/// that reading decoded it.
struct LineRead {
    line: Vec<u8>,
    text: Option<String>,
}

/// A failed read of the line of `record`, the record of `source`.
fn record_error(source: &Source, record: &jsonl::Record, e: &std::io::Error) -> FileError {
    let at = format!("line {} of {}", record.line, display_path(&source.path()));
    FileError::new(source.name.clone(), Operation::Read, format!("{e} ({at})"))
}

/// Reads one document: a file, or the text of a JSONL record, with its
/// line when `with_line` (for a JSONL output). `read` is the record's line
/// when [`identify`] has just read it.
fn read_document(
    source: &Source,
    config: &Config,
    with_line: bool,
    read: Option<LineRead>,
) -> Result<(read::Text, Option<Vec<u8>>), FileError> {
    let Some(record) = &source.record else {
        return Ok((
            read::read(&source.name, &source.path(), config.max_file_size)?,
            None,
        ));
    };
    let read_error = |e: std::io::Error| record_error(source, record, &e);
    let (text, line) = match read {
        Some(LineRead { line, text }) => (
            text.map_or_else(|| record.text_of(&line, &config.fields), Ok),
            with_line.then_some(line),
        ),
        None if with_line => {
            let line = record.read_line().map_err(read_error)?;
            (record.text_of(&line, &config.fields), Some(line))
        }
        None => (record.read_text(&config.fields).map_err(read_error)?, None),
    };
    let text = read::Text {
        text: text.map_err(|m| FileError::new(source.name.clone(), Operation::Decode, m))?,
        body_start: 0,
        encoding: None,
    };
    Ok((text, line))
}

/// A document's text (and JSONL line), read again after the first pass; an
/// error if the file changed in between (its spans and fingerprints would
/// not fit).
fn read_again(
    doc: &Analysis,
    config: &Config,
    with_line: bool,
) -> Result<(String, Option<Vec<u8>>), FileError> {
    let (text, line) = read_document(&doc.source, config, with_line, None)?;
    if xxh3_64(text.text.as_bytes()) != doc.checksum {
        return Err(FileError::new(
            doc.source.name.clone(),
            Operation::Read,
            "the file changed while dedupe was running; run again",
        ));
    }
    Ok((text.text, line))
}

/// The shingles of one paragraph of `text`, into `out`.
fn shingle_paragraph(text: &str, span: Span, config: &Config, out: &mut fingerprint::Shingles) {
    thread_local! {
        static NORMALIZED: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    }
    NORMALIZED.with_borrow_mut(|normalized| {
        fingerprint::normalize_into(span.of(text), normalized);
        fingerprint::shingles(normalized, config.shingle_width, out);
    });
}

/// A document written by the second pass.
struct Finished {
    index: usize,
    bytes_in: u64,
    bytes_out: u64,
    /// Its JSONL output line, when the output is JSONL.
    line: Option<Vec<u8>>,
    /// Its attribute record, when one is written.
    attributes: Option<Vec<u8>>,
    /// Its findings, in check mode.
    findings: Vec<gate::Finding>,
    /// Its report entry as compact JSON, when a report is written.
    json: Option<Vec<u8>>,
    /// Its entry in the HTML report, when one is written.
    html: Option<html::Entry>,
}

/// Counts and duplicate groups of the run, gathered document by document as
/// the second pass decides them.
#[derive(Default)]
struct Tally {
    summary: Summary,
    /// (kept paragraph, exact copy of it) for every copy, in the order the
    /// copies were decided: input order. Grouped by kept paragraph at the
    /// end ([`build_report`]).
    copies: Vec<(Location, Location)>,
    /// Whether each document was written, by number.
    finished: Vec<bool>,
}

impl Tally {
    fn add(&mut self, doc_index: usize, verdicts: &[Verdict]) {
        let summary = &mut self.summary;
        for (para, verdict) in verdicts.iter().enumerate() {
            summary.paragraphs += 1;
            match *verdict {
                Verdict::Kept => summary.kept += 1,
                Verdict::Boilerplate(rule) => {
                    summary.removed_boilerplate += 1;
                    *summary.removed_by_rule.entry(rule).or_default() += 1;
                }
                Verdict::Duplicate(of) => {
                    let copy = Location {
                        doc: doc_index,
                        para,
                    };
                    self.copies.push((of, copy));
                    if of.doc == doc_index {
                        summary.removed_duplicate_within += 1;
                    } else {
                        summary.removed_duplicate_across += 1;
                    }
                }
                Verdict::NearDuplicate { of, .. } if of.doc == doc_index => {
                    summary.removed_near_duplicate_within += 1;
                }
                Verdict::NearDuplicate { .. } => summary.removed_near_duplicate_across += 1,
                Verdict::DocumentDuplicate { .. } => summary.removed_duplicate_document += 1,
                Verdict::CorpusDuplicate(_) => summary.removed_duplicate_corpus += 1,
                Verdict::CorpusNearDuplicate { .. } => summary.removed_near_duplicate_corpus += 1,
            }
        }
    }

    fn finished(&mut self, doc: &Finished) {
        self.summary.documents += 1;
        self.summary.bytes_in += doc.bytes_in;
        self.summary.bytes_out += doc.bytes_out;
        if self.finished.len() <= doc.index {
            self.finished.resize(doc.index + 1, false);
        }
        self.finished[doc.index] = true;
    }
}

/// What the second pass makes of a decided document.
struct Wanted<'a> {
    /// Write the cleaned copy into this directory.
    staging: Option<&'a write::Staging>,
    /// Make its JSONL line, with these field names.
    lines: Option<&'a jsonl::Fields>,
    /// The input line of a JSONL document.
    line: Option<&'a [u8]>,
    /// Make its attribute record, with these offsets.
    attributes: Option<Offsets>,
    /// Make its report entry.
    entry: bool,
    /// The indexed corpus, to name the copies found in it.
    corpus: Option<&'a corpus::Index>,
    /// Make its findings for the gate.
    findings: bool,
    /// What the HTML report wants of it.
    html: html::Want,
}

/// Second pass, one decided document: write its cleaned copy, build its
/// report entries (JSON and HTML, as wanted).
fn finish(
    index: usize,
    text: &str,
    docs: &Docs,
    verdicts: &[Verdict],
    wanted: &Wanted,
) -> Result<Finished, Fatal> {
    let doc = &docs[index];
    let name = &doc.source.name;
    let spans = doc.spans();
    let cleaned = write::cleaned(text, doc.body_start, &spans, verdicts);
    if let Some(staging) = wanted.staging {
        // A failed write ends the run: a corpus with a file missing is not
        // an output (the staged files are removed).
        staging
            .write(&doc.source.name, cleaned.as_bytes())
            .map_err(|e| Fatal::io("write", &staging.destination(&doc.source.name), &e))?;
    }
    // A line is read only for a JSONL record.
    let line = match (wanted.lines, wanted.line, &doc.source.record) {
        (None, _, _) => None,
        (Some(fields), Some(line), Some(record)) => Some(
            record
                .replace_text(line, fields, &cleaned)
                .map_err(|m| Fatal::new(format!("{name}: cannot write its JSONL line: {m}")))?,
        ),
        (Some(fields), _, _) => Some(jsonl::new_line(fields, name, &cleaned)),
    };
    let attributes = wanted
        .attributes
        .map(|offsets| attributes::line(name, text, &spans, verdicts, offsets));
    let bytes_out = cleaned.len() as u64;
    let findings = if wanted.findings {
        findings_of(index, text, docs, verdicts, wanted.corpus)
    } else {
        Vec::new()
    };
    let html = (wanted.html != html::Want::Nothing).then(|| {
        let document = html::Document {
            index,
            path: name,
            text,
            spans: &spans,
            verdicts,
            bytes: (doc.bytes, bytes_out),
            corpus: wanted.corpus,
        };
        html::Entry::new(&document, wanted.html)
    });
    let json = wanted
        .entry
        .then(|| report_entry(index, text, docs, verdicts, bytes_out, wanted.corpus).to_json());
    Ok(Finished {
        index,
        bytes_in: doc.bytes,
        bytes_out,
        line,
        attributes,
        findings,
        json,
        html,
    })
}

/// The JSON report's entry for a decided document.
fn report_entry(
    index: usize,
    text: &str,
    docs: &Docs,
    verdicts: &[Verdict],
    bytes_out: u64,
    corpus: Option<&corpus::Index>,
) -> DocumentReport {
    let doc = &docs[index];
    let scope = |of: Location| {
        if of.doc == index {
            Scope::Within
        } else {
            Scope::Across
        }
    };
    let removed = verdicts
        .iter()
        .enumerate()
        .filter_map(|(para, verdict)| {
            let span = doc.span(para);
            let reason = match *verdict {
                Verdict::Kept => return None,
                Verdict::Boilerplate(rule) => Reason::Boilerplate { rule },
                Verdict::Duplicate(of) => Reason::Duplicate {
                    scope: scope(of),
                    fingerprint: fingerprint_of(docs, Location { doc: index, para }),
                    of: paragraph_ref(docs, of),
                },
                Verdict::NearDuplicate { of, similarity } => Reason::NearDuplicate {
                    scope: scope(of),
                    similarity: report::rounded(f64::from(similarity)),
                    of: paragraph_ref(docs, of),
                },
                Verdict::DocumentDuplicate { of, similarity } => Reason::DuplicateDocument {
                    similarity: report::rounded(f64::from(similarity)),
                    of: docs[of].source.name.clone(),
                },
                Verdict::CorpusDuplicate(number) => Reason::Duplicate {
                    scope: Scope::Corpus,
                    fingerprint: fingerprint_of(docs, Location { doc: index, para }),
                    of: corpus_ref(corpus, number),
                },
                Verdict::CorpusNearDuplicate { of, similarity } => Reason::NearDuplicate {
                    scope: Scope::Corpus,
                    similarity: report::rounded(f64::from(similarity)),
                    of: corpus_ref(corpus, of),
                },
            };
            Some(Removal {
                paragraph: para,
                start: span.start,
                end: span.end,
                reason,
                excerpt: report::excerpt(span.of(text)),
            })
        })
        .collect();
    DocumentReport {
        path: doc.source.name.clone(),
        encoding: doc.encoding.map(read::encoding_name),
        bytes_in: doc.bytes,
        bytes_out,
        paragraphs: doc.paragraphs.len(),
        kept: verdicts.iter().filter(|v| **v == Verdict::Kept).count(),
        removed,
    }
}

/// The gate's findings in a decided document: one per removed paragraph.
fn findings_of(
    index: usize,
    text: &str,
    docs: &Docs,
    verdicts: &[Verdict],
    corpus: Option<&corpus::Index>,
) -> Vec<gate::Finding> {
    let doc = &docs[index];
    let mut findings = Vec::new();
    // Lines are counted as the spans go, which are in order.
    let (mut line, mut counted) = (1, 0);
    for (para, verdict) in verdicts.iter().enumerate() {
        let span = doc.span(para);
        let at = |of: Location| match of.doc == index {
            true => format!("paragraph {} of the same document", of.para),
            false => format!("{} paragraph {}", docs[of.doc].source.name, of.para),
        };
        let (kind, detail, of) = match *verdict {
            Verdict::Kept => continue,
            Verdict::Boilerplate(rule) => (
                gate::Kind::Boilerplate,
                format!("boilerplate ({rule})"),
                None,
            ),
            Verdict::Duplicate(of) => (
                gate::Kind::Duplicate,
                format!("repeats {}", at(of)),
                Some(paragraph_ref(docs, of)),
            ),
            Verdict::NearDuplicate { of, similarity } => (
                gate::Kind::Duplicate,
                format!("near-duplicate ({similarity:.2}) of {}", at(of)),
                Some(paragraph_ref(docs, of)),
            ),
            Verdict::DocumentDuplicate { of, similarity } => (
                gate::Kind::Duplicate,
                format!(
                    "its document is a near-duplicate ({similarity:.2}) of {}",
                    docs[of].source.name
                ),
                None,
            ),
            Verdict::CorpusDuplicate(number) => {
                let of = corpus_ref(corpus, number);
                let detail = format!("repeats the corpus: {} paragraph {}", of.path, of.paragraph);
                (gate::Kind::Corpus, detail, Some(of))
            }
            Verdict::CorpusNearDuplicate { of, similarity } => {
                let of = corpus_ref(corpus, of);
                let detail = format!(
                    "near-duplicate ({similarity:.2}) of the corpus: {} paragraph {}",
                    of.path, of.paragraph
                );
                (gate::Kind::Corpus, detail, Some(of))
            }
        };
        line += text.as_bytes()[counted..span.start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        counted = span.start;
        let paragraph = span.of(text);
        let excerpt = report::excerpt(paragraph);
        findings.push(gate::Finding {
            path: doc.source.name.clone(),
            file: display_path(&doc.source.path()),
            line: doc.source.record.as_ref().map_or(line, |r| r.line as usize),
            paragraph: para,
            kind,
            detail: format!("{detail}: \"{excerpt}\""),
            of,
            fingerprint: fingerprint::hex(fingerprint::hash(&fingerprint::normalize(paragraph))),
            excerpt,
        });
    }
    findings
}

/// A paragraph of the indexed corpus, by its number in the index.
fn corpus_ref(corpus: Option<&corpus::Index>, number: u32) -> ParagraphRef {
    let found = corpus.map(|c| c.paragraph(number));
    ParagraphRef {
        path: found.as_ref().map_or("?", |p| p.document).to_string(),
        paragraph: found.as_ref().map_or(0, |p| p.paragraph),
        start: found.as_ref().map_or(0, |p| p.start),
        end: found.as_ref().map_or(0, |p| p.end),
    }
}

/// Adds the kept paragraphs of a decided document to the index being built.
fn add_to_index(
    builder: &mut corpus::Builder,
    doc: &Analysis,
    verdicts: &[Verdict],
    shingles: &Shingled,
) {
    let mut number = None;
    for ((para, verdict), p) in verdicts.iter().enumerate().zip(doc.paragraphs.iter()) {
        if *verdict == Verdict::Kept && p.is_text() {
            let doc_number = *number.get_or_insert_with(|| builder.add_document(&doc.source.name));
            let own = shingles.paragraph(para);
            builder.add_paragraph(doc_number, para, p.span(), p.fingerprint, own);
        }
    }
}

fn paragraph_ref(docs: &Docs, at: Location) -> ParagraphRef {
    let span = docs[at.doc].span(at.para);
    ParagraphRef {
        path: docs[at.doc].source.name.clone(),
        paragraph: at.para,
        start: span.start,
        end: span.end,
    }
}

fn fingerprint_of(docs: &Docs, at: Location) -> String {
    let p = docs[at.doc].paragraphs[at.para];
    match p.is_text() {
        true => fingerprint::hex(p.fingerprint),
        false => String::new(),
    }
}

fn build_report(
    parameters: report::Parameters,
    docs: &Docs,
    tally: Tally,
    doc_matches: &[Option<DocumentMatch>],
    documents: DocumentSpool,
    errors: Vec<FileError>,
) -> Report {
    let Tally {
        mut summary,
        mut copies,
        finished,
    } = tally;
    summary.failed = errors.len();
    // By kept paragraph; a stable sort keeps each one's copies in input
    // order.
    copies.par_sort_by_key(|&(kept, _)| kept);
    let duplicate_groups = copies
        .par_chunk_by(|a, b| a.0 == b.0)
        .map(|group| DuplicateGroup {
            fingerprint: fingerprint_of(docs, group[0].0),
            kept: paragraph_ref(docs, group[0].0),
            copies: group.iter().map(|&(_, c)| paragraph_ref(docs, c)).collect(),
        })
        .collect();
    let mut clusters: BTreeMap<usize, Vec<DocumentMember>> = BTreeMap::new();
    for (doc_index, m) in doc_matches.iter().enumerate() {
        if let Some(m) = m
            && finished.get(doc_index).copied().unwrap_or(false)
        {
            clusters.entry(m.kept).or_default().push(DocumentMember {
                path: docs[doc_index].source.name.clone(),
                similarity: report::rounded(m.similarity),
                matches: docs[m.of].source.name.clone(),
            });
        }
    }
    summary.duplicate_documents = clusters.values().map(Vec::len).sum();
    let document_groups = clusters
        .into_iter()
        .map(|(kept, members)| DocumentGroup {
            kept: docs[kept].source.name.clone(),
            members,
        })
        .collect();
    Report {
        format_version: report::FORMAT_VERSION,
        tool: report::Tool::THIS,
        parameters,
        summary,
        documents,
        duplicate_groups,
        document_groups,
        errors,
    }
}

/// The parameters of a run, as its report gives them.
fn parameters(
    config: &Config,
    stripper: &Stripper,
    corpus: Option<&corpus::Index>,
) -> report::Parameters {
    report::Parameters {
        mode: match config.mode {
            Mode::Clean => "clean",
            Mode::Check => "check",
            Mode::Index => "index",
        },
        extensions: config.extensions.clone(),
        strip: !config.no_strip,
        rules: stripper.rule_names(),
        normalization: fingerprint::NORMALIZATION.to_vec(),
        hash: "xxh3-64",
        seed: fingerprint::hex(fingerprint::SEED),
        near_duplicates: config.near_duplicates.then_some(report::NearParameters {
            shingle_width: config.shingle_width,
            threshold: config.near_threshold,
            min_shingles: config.min_shingles,
            document_threshold: config.document_threshold,
            drop_duplicate_documents: config.drop_duplicate_documents,
            minhash_bins: fingerprint::minhash::BINS,
            lsh_bands: fingerprint::minhash::BANDS,
            lsh_rows: fingerprint::minhash::ROWS,
        }),
        repeat_min_documents: config.repeat_min_documents,
        against: corpus.map(|c| report::Against {
            index: display_path(c.path()),
            documents: c.documents(),
            paragraphs: c.paragraphs(),
        }),
    }
}

/// Refuses an output that lies inside an input, or an input inside the output.
fn check_output_paths(config: &Config) -> Result<(), Fatal> {
    let mut outputs: Vec<&Path> = Vec::new();
    if let Some(out) = config.output.as_deref().filter(|o| !jsonl::is_stdio(o)) {
        outputs.push(out);
    }
    if let Some(attributes) = &config.attributes {
        outputs.push(attributes);
    }
    let json_report = match &config.report {
        ReportTarget::File(path) => Some(path),
        _ => None,
    };
    for path in json_report.into_iter().chain(&config.html_report) {
        outputs.push(path);
        if path.exists() && !is_special(path) && !config.force && config.mode == Mode::Clean {
            return Err(Fatal::new(format!(
                "report {} already exists; use --force to replace it, or --report to choose another",
                path.display()
            )));
        }
    }
    for out in outputs {
        let out_abs = absolute(out);
        for input in config.inputs.iter().filter(|i| !jsonl::is_stdio(i)) {
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

/// Whether `path` exists and is neither a regular file nor a directory
/// (`/dev/null`, a named pipe): written into, never replaced.
fn is_special(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
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

// A paragraph's record stays at 24 bytes (see [`Para`]).
const _: () = assert!(std::mem::size_of::<Para>() == 24);

#[cfg(test)]
mod tests {
    use super::*;

    /// Each seed analysed twice, with its shingles spooled and without.
    fn seeds_both_ways(config: &Config, spool: &Spool) -> Vec<(Analysis, Analysis)> {
        let stripper = Stripper::new(&[], true).expect("the built-in rules");
        let names = RuleNames::new(&stripper);
        let entries = walk::walk(&config.inputs, &config.extensions, &config.fields)
            .expect("the seeds are there");
        entries
            .into_iter()
            .map(|entry| {
                let source = entry.expect("a seed");
                let analyse =
                    |spool| analyze(source.clone(), &stripper, &names, config, spool, false);
                let with = analyse(Some(spool)).expect("analysed").doc;
                let without = analyse(None).expect("analysed").doc;
                assert!(with.spooled.is_some() && without.spooled.is_none());
                (with, without)
            })
            .collect()
    }

    #[test]
    fn held_counts_before_a_paragraph_are_the_counts_summed() {
        let config = Config::new(vec![PathBuf::from("fixtures/seeds")]);
        let spool = Spool::new(tempfile::tempfile().expect("a temporary file"));
        let seed = || seeds_both_ways(&config, &spool).remove(0).0;
        // Long documents of different lengths and mixes of stored and
        // unstored paragraphs, more of them than are held, and a short one.
        let docs: Vec<Analysis> = (0..SpooledBefore::HELD + 3)
            .map(|n| {
                let mut doc = seed();
                doc.paragraphs = doc.paragraphs.repeat(SpooledBefore::LONG / 4 + n).into();
                let shift = n % doc.paragraphs.len();
                doc.paragraphs.rotate_left(shift);
                doc
            })
            .chain([seed()])
            .collect();
        assert!(
            docs.iter()
                .any(|d| d.paragraphs.iter().any(|p| !p.spooled(&config)))
        );
        let mut held = SpooledBefore::default();
        let mut checked = 0;
        // Round and round the documents, so that each is dropped and made
        // again.
        for round in 0..3 {
            for (number, doc) in docs.iter().enumerate() {
                for para in (round..doc.paragraphs.len()).step_by(7) {
                    let summed = spooled_before(doc, para, &config);
                    assert_eq!(held.get(number, doc, para, &config), summed);
                    checked += usize::from(summed > 0);
                }
            }
        }
        assert!(checked > 100, "{checked} non-zero counts compared");
        assert!(held.held.len() <= SpooledBefore::HELD);
    }

    #[test]
    fn spooled_shingles_are_the_shingles_made_again() {
        let config = Config::new(vec![PathBuf::from("fixtures/seeds")]);
        let spool = Spool::new(tempfile::tempfile().expect("a temporary file"));
        let mut sources = 0;
        for (mut with, mut without) in seeds_both_ways(&config, &spool) {
            // A paragraph removed after the first pass (as the
            // repeated-block signal does) keeps its place in the spool.
            if let Some(p) = with.paragraphs.iter().position(|p| p.spooled(&config)) {
                with.paragraphs[p].rule = 1;
                without.paragraphs[p].rule = 1;
            }
            let spooled = prepare(&with, None, &config, Some(&spool)).expect("read again");
            let made = prepare(&without, None, &config, None).expect("read again");
            assert_eq!(spooled.shingles, made.shingles);
            let shingled = &spooled.shingles;
            assert_eq!(shingled.len(), with.paragraphs.len());
            assert!((0..shingled.len()).any(|p| !shingled.paragraph(p).is_empty()));
            for (para, p) in with.paragraphs.iter().enumerate() {
                if p.spooled(&config) {
                    let before = || spooled_before(&with, para, &config);
                    let hashes = read_shingles(&with, para, before, &config, Some(&spool));
                    assert_eq!(hashes.len(), p.shingles as usize);
                    let made = read_shingles(&without, para, || 0, &config, None);
                    assert_eq!(hashes, made);
                    sources += 1;
                }
            }
        }
        assert!(sources > 20, "{sources} paragraphs compared");
    }
}
