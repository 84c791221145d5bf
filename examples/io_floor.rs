//! The file work a `dedupe` run cannot avoid, with nothing else: every file
//! of a corpus read and hashed with xxh3 (the first pass), then read again
//! and written to an output directory under the same relative path (the
//! second pass). Its time is the floor under `dedupe`'s on the same corpus
//! and machine; `scripts/bench.sh --mode floor` runs it. With `--once`
//! there is no first pass: the floor of a run of one pass (`--exact
//! --no-strip`), `--mode floor1`.
//!
//! ```text
//! cargo run --release --example io_floor -- CORPUS OUT [-j THREADS] [--once]
//! ```

// A command-line tool: its report goes to stderr.
#![allow(clippy::print_stderr)]

use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::Instant;
use walkdir::WalkDir;
use xxhash_rust::xxh3::xxh3_64;

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let once = args.iter().any(|a| a == "--once");
    args.retain(|a| a != "--once");
    let (corpus, out, threads) = match args.as_slice() {
        [corpus, out] => (corpus, out, 0),
        [corpus, out, j, n] if j == "-j" => match n.parse() {
            Ok(n) => (corpus, out, n),
            Err(_) => usage(),
        },
        _ => usage(),
    };
    let (corpus, out) = (Path::new(corpus), Path::new(out));
    if out.exists() {
        eprintln!("io_floor: {} exists; give a new directory", out.display());
        std::process::exit(2);
    }
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build_global()
        .expect("a thread pool");

    let started = Instant::now();
    let mut files: Vec<PathBuf> = WalkDir::new(corpus)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    files.sort();
    let walked = started.elapsed();

    let hash = |path: &PathBuf| {
        let bytes = std::fs::read(path).unwrap_or_else(|e| fail(path, e));
        (bytes.len() as u64, xxh3_64(&bytes))
    };
    let sum = |a: (u64, u64), b: (u64, u64)| (a.0 + b.0, a.1 ^ b.1);
    let first: (u64, u64) = match once {
        true => (0, 0),
        false => files.par_iter().map(hash).reduce(|| (0, 0), sum),
    };
    let read = started.elapsed();

    let second = files
        .par_iter()
        .map(|path| {
            let bytes = std::fs::read(path).unwrap_or_else(|e| fail(path, e));
            let to = out.join(path.strip_prefix(corpus).expect("under the corpus"));
            if let Some(dir) = to.parent() {
                std::fs::create_dir_all(dir).unwrap_or_else(|e| fail(dir, e));
            }
            std::fs::write(&to, &bytes).unwrap_or_else(|e| fail(&to, e));
            (bytes.len() as u64, xxh3_64(&bytes))
        })
        .reduce(|| (0, 0), sum);
    let done = started.elapsed();
    let first = if once { second } else { first };

    let mb = first.0 as f64 / 1e6;
    let secs = |d: std::time::Duration| d.as_secs_f64();
    eprintln!(
        "io_floor: {} files, {:.0} MB (hashes {:016x}); walk {:.2} s, read {:.2} s, \
         read and write {:.2} s; {:.2} s in all, {:.1} MB/s",
        files.len(),
        mb,
        first.1,
        secs(walked),
        secs(read - walked),
        secs(done - read),
        secs(done),
        mb / secs(done),
    );
}

fn usage() -> ! {
    eprintln!("usage: io_floor CORPUS OUT [-j THREADS] [--once]");
    std::process::exit(2);
}

fn fail(path: &Path, e: std::io::Error) -> ! {
    eprintln!("io_floor: {}: {e}", path.display());
    std::process::exit(2);
}
