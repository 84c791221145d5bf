//! `gen_corpus`: a synthetic news corpus with a known ground truth, to
//! measure how well `dedupe` finds boilerplate, duplicate paragraphs and
//! duplicate documents.
//!
//! ```text
//! cargo run --release --example gen_corpus -- --out DIR (--docs N | --size 100M)
//!     [--seed S] [--source DIR]...
//! dedupe check DIR/corpus --report DIR/report.json
//! cargo run --release --example score_corpus -- DIR/truth.tsv DIR/report.json
//! ```
//!
//! # The corpus
//!
//! Text is learnt from real articles (`--source`, default `fixtures/seeds`;
//! `../shared/eval/news/bbc` holds 2,225 BBC articles) by two word Markov
//! chains of order 1, one for sentences and one for headlines (see
//! `source.rs` and `markov.rs`). The chains keep the vocabulary and the
//! phrase statistics of real news while every paragraph they write is new.
//! "New" is checked, not hoped for: no base paragraph has more than 0.3 of
//! its words in 5-word shingles of anything written before it (see
//! `novelty.rs`), so none can be a near-duplicate by accident. A walk that
//! keeps repeating old text is drawn again with random jumps between words
//! (see `text.rs`); `generator.json` counts the sentences that needed them:
//! about 4% for 20,000 documents learnt from the BBC articles, 19% for
//! 1 GB, nearly all with the five seed articles.
//!
//! The generator calls `dedupe`'s library for what must agree with it
//! exactly: reading and segmenting the sources, the boilerplate rules, and
//! normalisation and shingles for the novelty check.
//!
//! Each document is a headline, a blank line, and paragraphs each on one
//! line separated by blank lines, so `dedupe` reads every line as one
//! paragraph and the headline is paragraph 0. Documents learnt from the BBC
//! articles average about 2.8 KB (`--size 1G` gives about 360,000); from
//! the five seed articles, whose chain needs more random jumps and walks
//! longer sentences, about 3.8 KB. A new article has 5 to 17 body
//! paragraphs of 1 to 5 sentences (two thirds of 25 to 80 words, a quarter
//! shorter); of its body paragraphs about
//!
//! * 5% are exact copies of an earlier base paragraph (`exact`);
//! * 8% are near copies (see `variants.rs` for the bounds of each edit):
//!   `word-edit`, `insertion`, `deletion`, `case`, `punctuation`, `quotes`,
//!   `whitespace`, `reorder`, `merge` (two sources);
//! * 2% are `partial`: new text that borrows one sentence (at most 40% of
//!   its words) of an earlier paragraph. Not a copy: a test of precision;
//! * the rest are new (base) paragraphs.
//!
//! Copies take their source from the same document (a fifth of them, when
//! it has a base paragraph) or uniformly from every base paragraph emitted
//! before. Some articles carry boilerplate that `dedupe`'s rules remove
//! (share rows, cookie banners, newsletter and follow prompts, "Related
//! posts" with headlines of earlier articles, comment forms, tags,
//! copyright; see `boilerplate.rs`). 2% of documents are byte-identical
//! copies of an earlier article (`doc-exact`) and 2% near copies
//! (`doc-near`: one or two paragraphs edited by a near kind other than
//! `merge`, perhaps a short paragraph dropped or a cookie banner added or
//! dropped).
//!
//! # Output
//!
//! * `DIR/corpus/NNN/DDDDDD.txt`: the documents, document `d` in directory
//!   `d / 1000`, zero-padded so that sorted order (the order `dedupe`
//!   reads) is generation order. `dedupe check DIR/corpus` names them by
//!   these paths relative to `DIR/corpus`.
//! * `DIR/truth.tsv`: a header line, then one row for every paragraph that
//!   is not base text and one for every copied document:
//!
//!   ```text
//!   kind  path  paragraph  source_path  source_paragraph  source2_path  source2_paragraph
//!   ```
//!
//!   `kind` is `exact`, a near kind, `partial`, `boilerplate`, `doc-exact`
//!   or `doc-near`. Paragraphs are numbered from 0 in `dedupe`'s
//!   segmentation (the headline is 0); document rows have `-` for the
//!   paragraphs. Sources are empty where they do not apply (boilerplate)
//!   and `source2` is set only for `merge`; the source of a `partial` row
//!   is the paragraph its borrowed sentence comes from. A "Related posts"
//!   list repeats headlines of earlier articles; its lines are
//!   `boilerplate`, not copies. Every paragraph of a copied
//!   document has its own row: `exact` (its source is the paragraph it
//!   copies, which may itself be a copy), its near kind, or `boilerplate`.
//!   A paragraph without a row is base text.
//! * `DIR/generator.json`: seed, sources, sizes, rows per kind, and the
//!   generator's own checks.
//!
//! The same arguments and sources give byte-identical output: all
//! randomness comes from one seeded splitmix64 (`rng.rs`), nothing depends
//! on hash-map order, and no timing reaches the files.

// An example program: its output is for people.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod boilerplate;
mod document;
mod markov;
mod novelty;
mod rng;
mod source;
mod text;
mod truth;
mod variants;

use clap::{ArgGroup, Parser};
use dedupe::strip::Stripper;
use document::{Builder, Document};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;
use text::{TextStats, Writer};
use truth::{At, Kind, Paths};

/// Generate a synthetic news corpus with a ground truth of its duplicates.
#[derive(Debug, Parser)]
#[command(group(ArgGroup::new("amount").required(true).args(["docs", "size"])))]
struct Args {
    /// Directory to write `corpus/`, `truth.tsv` and `generator.json` into.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Number of documents.
    #[arg(long, value_name = "N")]
    docs: Option<usize>,
    /// Stop once the documents hold this many bytes (K, M, G are powers
    /// of 1000).
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    size: Option<u64>,
    /// Seed of the random numbers.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Directory of article .txt files to learn from (repeatable)
    /// [default: fixtures/seeds].
    #[arg(long, value_name = "DIR")]
    source: Vec<PathBuf>,
}

fn parse_size(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let (digits, unit) = match s
        .char_indices()
        .find(|(_, c)| !c.is_ascii_digit() && *c != '.')
    {
        Some((i, _)) => s.split_at(i),
        None => (s, ""),
    };
    let scale = match unit.to_ascii_uppercase().trim_end_matches('B') {
        "" => 1.0,
        "K" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        other => return Err(format!("unknown unit {other:?}: use K, M or G")),
    };
    let n: f64 = digits.parse().map_err(|_| format!("not a size: {s:?}"))?;
    Ok((n * scale) as u64)
}

/// What `generator.json` says.
#[derive(Serialize)]
struct Manifest<'a> {
    generator: &'static str,
    seed: u64,
    sources: Vec<String>,
    source_files: usize,
    source_checksum: String,
    source_sentences: usize,
    source_headlines: usize,
    documents: usize,
    paragraphs: u64,
    bytes: u64,
    truth_rows: BTreeMap<&'static str, u64>,
    text: &'a TextStats,
    novelty: Novelty,
    strip_check: &'a StripCheck,
}

/// The novelty filter's state at the end.
#[derive(Serialize)]
struct Novelty {
    base_max_coverage: f64,
    filter_bytes: usize,
    filter_fill: f64,
    false_positive_rate: f64,
}

/// `dedupe`'s stripper run on every document, against the truth.
#[derive(Debug, Default, Serialize)]
struct StripCheck {
    /// Boilerplate lines the rules did not remove: a generator bug.
    boilerplate_not_stripped: u64,
    /// Other paragraphs the rules removed: rules firing on generated prose.
    text_stripped: u64,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen_corpus: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &Args) -> Result<(), String> {
    let started = Instant::now();
    let corpus = args.out.join("corpus");
    if corpus.exists() {
        return Err(format!(
            "{} exists; remove it or choose another --out",
            corpus.display()
        ));
    }
    let stripper = Stripper::new(&[], true).map_err(|e| e.to_string())?;
    boilerplate::check_phrasings(&stripper)?;
    let (source_dirs, source_names) = sources(args);
    let model = source::learn(&source_dirs, &stripper)?;

    // Sizes only guide the path width and the novelty filter; a corpus that
    // outgrows them is still right, the filter only a little stricter.
    let expected_docs = args
        .docs
        .unwrap_or_else(|| (args.size.unwrap_or(0) / 2_000) as usize);
    let expected_shingles = match args.docs {
        Some(n) => n * 500,
        None => (args.size.unwrap_or(0) / 6) as usize,
    };
    let paths = Paths::new(expected_docs.max(1));
    let writer = Writer::new(&model, expected_shingles);
    let mut builder = Builder::new(writer, &model.substitutes, args.seed);

    let written = write_corpus(args, &stripper, &mut builder, &paths)?;
    write_manifest(args, &model, &builder, &written, source_names)?;

    eprintln!(
        "gen_corpus: {} documents, {} bytes, {} truth rows in {:.1}s -> {}",
        written.documents,
        written.bytes,
        builder.counts.values().sum::<u64>(),
        started.elapsed().as_secs_f64(),
        args.out.display()
    );
    if written.check.boilerplate_not_stripped > 0 {
        eprintln!(
            "gen_corpus: warning: {} boilerplate lines are not removed by dedupe's rules (see generator.json)",
            written.check.boilerplate_not_stripped
        );
    }
    Ok(())
}

/// What [`write_corpus`] wrote.
struct Written {
    documents: usize,
    bytes: u64,
    check: StripCheck,
}

/// Builds and writes the documents and `truth.tsv`, until `--docs` or
/// `--size` is reached.
fn write_corpus(
    args: &Args,
    stripper: &Stripper,
    builder: &mut Builder,
    paths: &Paths,
) -> Result<Written, String> {
    let corpus = args.out.join("corpus");
    fs::create_dir_all(&corpus).map_err(|e| io_error("create", &corpus, &e))?;
    let truth_path = args.out.join("truth.tsv");
    let truth_file = File::create(&truth_path).map_err(|e| io_error("create", &truth_path, &e))?;
    let mut truth = BufWriter::new(truth_file);
    writeln!(truth, "{}", truth::HEADER).map_err(|e| io_error("write", &truth_path, &e))?;

    let progress = std::io::stderr().is_terminal();
    let mut written = Written {
        documents: 0,
        bytes: 0,
        check: StripCheck::default(),
    };
    while args.docs.is_some_and(|n| written.documents < n)
        || args.size.is_some_and(|s| written.bytes < s)
    {
        let doc = written.documents;
        let document = builder.document(doc)?;
        check_strip(stripper, &document, &mut written.check);
        written.bytes += write_document(&corpus, paths, doc, &document)?;
        write_truth(&mut truth, paths, doc, &document)
            .map_err(|e| io_error("write", &truth_path, &e))?;
        written.documents += 1;
        if progress && written.documents.is_multiple_of(10_000) {
            eprint!(
                "\rgen_corpus: {} documents, {} MB",
                written.documents,
                written.bytes / 1_000_000
            );
        }
    }
    truth
        .flush()
        .map_err(|e| io_error("write", &truth_path, &e))?;
    if progress {
        eprintln!();
    }
    Ok(written)
}

/// Writes `generator.json`.
fn write_manifest(
    args: &Args,
    model: &source::Model,
    builder: &Builder,
    written: &Written,
    sources: Vec<String>,
) -> Result<(), String> {
    let fill = builder.writer.seen.fill();
    let manifest = Manifest {
        generator: "dedupe examples/gen_corpus",
        seed: args.seed,
        sources,
        source_files: model.files,
        source_checksum: format!("{:016x}", model.checksum),
        source_sentences: model.body.sentences,
        source_headlines: model.heads.sentences,
        documents: written.documents,
        paragraphs: builder.paragraphs,
        bytes: written.bytes,
        truth_rows: builder.counts.iter().map(|(k, n)| (k.name(), *n)).collect(),
        text: &builder.writer.stats,
        novelty: Novelty {
            base_max_coverage: text::BASE_MAX_COVERAGE,
            filter_bytes: builder.writer.seen.bytes(),
            filter_fill: round4(fill),
            false_positive_rate: round4(fill.powi(3)),
        },
        strip_check: &written.check,
    };
    let path = args.out.join("generator.json");
    let mut json = serde_json::to_string_pretty(&manifest).map_err(|e| e.to_string())?;
    json.push('\n');
    fs::write(&path, json).map_err(|e| io_error("write", &path, &e))
}

/// The source directories to read, and how to name them in
/// `generator.json` (as given, so no absolute path gets in).
fn sources(args: &Args) -> (Vec<PathBuf>, Vec<String>) {
    if args.source.is_empty() {
        let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/seeds");
        return (vec![seeds], vec!["fixtures/seeds".to_string()]);
    }
    let names = args
        .source
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    (args.source.clone(), names)
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

fn io_error(op: &str, path: &Path, e: &std::io::Error) -> String {
    format!("cannot {op} {}: {e}", path.display())
}

/// Writes document `doc`; returns its size in bytes.
fn write_document(
    corpus: &Path,
    paths: &Paths,
    doc: usize,
    document: &Document,
) -> Result<u64, String> {
    if doc.is_multiple_of(1000) {
        let dir = corpus.join(paths.dir(doc));
        fs::create_dir_all(&dir).map_err(|e| io_error("create", &dir, &e))?;
    }
    let mut text = String::with_capacity(4096);
    for (i, p) in document.paras.iter().enumerate() {
        if i > 0 {
            text.push_str("\n\n");
        }
        text.push_str(&p.text);
    }
    text.push('\n');
    let path = corpus.join(paths.path(doc));
    fs::write(&path, &text).map_err(|e| io_error("write", &path, &e))?;
    Ok(text.len() as u64)
}

fn write_truth(
    out: &mut dyn Write,
    paths: &Paths,
    doc: usize,
    document: &Document,
) -> std::io::Result<()> {
    if let Some((kind, source)) = document.copy_of {
        truth::write_document(out, paths, kind, doc, source)?;
    }
    for (para, p) in document.paras.iter().enumerate() {
        if let Some(t) = &p.truth {
            truth::write_paragraph(out, paths, At { doc, para }, t)?;
        }
    }
    Ok(())
}

/// Runs `dedupe`'s stripper on a document and counts where it disagrees
/// with the truth.
fn check_strip(stripper: &Stripper, document: &Document, check: &mut StripCheck) {
    // Trimmed, as `dedupe`'s segmenter gives them.
    let texts: Vec<&str> = document.paras.iter().map(|p| p.text.trim()).collect();
    for (p, verdict) in document.paras.iter().zip(stripper.strip(&texts)) {
        let boilerplate = p.truth.is_some_and(|t| t.kind == Kind::Boilerplate);
        match (boilerplate, verdict.is_some()) {
            (true, false) => check.boilerplate_not_stripped += 1,
            (false, true) => check.text_stripped += 1,
            _ => {}
        }
    }
}
