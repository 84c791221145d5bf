//! Benchmarks of the stages that run once per byte or per paragraph of the
//! corpus: segmentation, normalisation, shingling and the boilerplate
//! rules, with xxh3 over the whole text as the floor no stage can go below.
//!
//! ```text
//! cargo bench --bench hot_paths                      # all of them
//! cargo bench --bench hot_paths -- strip             # those whose name matches
//! cargo bench --bench hot_paths -- --quick           # a quick look
//! ```
//!
//! The input is the real articles in `fixtures/seeds` (news text with share
//! rows, comment forms and repeated paragraphs), repeated until it holds
//! about 1 MB, so each measurement covers some 4,500 paragraphs rather than
//! one lucky string. Each benchmark reports throughput in bytes of the text
//! it is given: whole documents for `segment` and the floor, paragraphs for
//! the rules and `normalize`, normalised paragraphs for `shingles`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use dedupe::config::Config;
use dedupe::fingerprint::{self, Shingles};
use dedupe::segment::segment;
use dedupe::strip::Stripper;
use std::hint::black_box;
use std::path::Path;
use xxhash_rust::xxh3::xxh3_64_with_seed;

/// About how many bytes of text each benchmark goes through.
const TARGET_BYTES: usize = 1_000_000;

/// The benchmark input, read once.
struct Corpus {
    /// Documents: the seed articles in sorted order, repeated.
    documents: Vec<String>,
    /// The paragraphs of each document, as `dedupe` segments them.
    paragraphs: Vec<Vec<String>>,
    /// Every paragraph normalised, in order.
    normalized: Vec<String>,
}

impl Corpus {
    fn load() -> Corpus {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/seeds");
        let mut paths: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
            .map(|entry| {
                entry
                    .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
                    .path()
            })
            .filter(|p| p.extension().is_some_and(|ext| ext == "txt"))
            .collect();
        paths.sort();
        let seeds: Vec<String> = paths
            .iter()
            .map(|p| {
                let name = p.display().to_string();
                let text = dedupe::read::read(&name, p, dedupe::read::DEFAULT_MAX_FILE_SIZE)
                    .unwrap_or_else(|e| panic!("{e}"));
                text.text[text.body_start..].to_string()
            })
            .collect();
        assert!(!seeds.is_empty(), "no .txt files in {}", dir.display());

        let mut documents = Vec::new();
        let mut bytes = 0;
        for seed in seeds.iter().cycle() {
            if bytes >= TARGET_BYTES {
                break;
            }
            bytes += seed.len();
            documents.push(seed.clone());
        }
        let paragraphs: Vec<Vec<String>> = documents
            .iter()
            .map(|d| segment(d, 0).iter().map(|s| s.of(d).to_string()).collect())
            .collect();
        let normalized = paragraphs
            .iter()
            .flatten()
            .map(|p| fingerprint::normalize(p))
            .collect();
        Corpus {
            documents,
            paragraphs,
            normalized,
        }
    }

    fn document_bytes(&self) -> u64 {
        self.documents.iter().map(|d| d.len() as u64).sum()
    }

    fn paragraph_bytes(&self) -> u64 {
        self.paragraphs
            .iter()
            .flatten()
            .map(|p| p.len() as u64)
            .sum()
    }

    fn normalized_bytes(&self) -> u64 {
        self.normalized.iter().map(|p| p.len() as u64).sum()
    }
}

fn hot_paths(c: &mut Criterion) {
    let corpus = Corpus::load();
    let stripper = Stripper::new(&[], true).unwrap_or_else(|e| panic!("{e}"));
    let width = Config::new(Vec::new()).shingle_width;
    let whole: String = corpus.documents.concat();
    let paragraphs: Vec<&str> = corpus
        .paragraphs
        .iter()
        .flatten()
        .map(String::as_str)
        .collect();
    let per_document: Vec<Vec<&str>> = corpus
        .paragraphs
        .iter()
        .map(|doc| doc.iter().map(String::as_str).collect())
        .collect();

    let mut group = c.benchmark_group("hot_paths");

    group.throughput(Throughput::Bytes(whole.len() as u64));
    group.bench_function("xxh3_floor", |b| {
        b.iter(|| xxh3_64_with_seed(black_box(whole.as_bytes()), fingerprint::SEED))
    });

    group.throughput(Throughput::Bytes(corpus.document_bytes()));
    group.bench_function("segment", |b| {
        b.iter(|| {
            corpus
                .documents
                .iter()
                .map(|d| segment(black_box(d), 0).len())
                .sum::<usize>()
        })
    });

    group.throughput(Throughput::Bytes(corpus.paragraph_bytes()));
    group.bench_function("normalize", |b| {
        b.iter(|| {
            paragraphs
                .iter()
                .map(|p| fingerprint::normalize(black_box(p)).len())
                .sum::<usize>()
        })
    });

    group.throughput(Throughput::Bytes(corpus.normalized_bytes()));
    group.bench_function("shingles", |b| {
        let mut out = Shingles::default();
        b.iter(|| {
            let mut n = 0;
            for p in &corpus.normalized {
                fingerprint::shingles(black_box(p), width, &mut out);
                n += out.len();
            }
            n
        })
    });

    group.throughput(Throughput::Bytes(corpus.paragraph_bytes()));
    group.bench_function("strip", |b| {
        b.iter(|| {
            per_document
                .iter()
                .map(|doc| stripper.strip(black_box(doc)).iter().flatten().count())
                .sum::<usize>()
        })
    });
    group.bench_function("match_paragraph", |b| {
        b.iter(|| {
            paragraphs
                .iter()
                .filter(|p| stripper.match_paragraph(black_box(p)).is_some())
                .count()
        })
    });

    group.finish();
}

criterion_group!(benches, hot_paths);
criterion_main!(benches);
