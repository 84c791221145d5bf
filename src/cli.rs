//! The command line: raw flags (clap), then one resolved [`Config`].

use clap::{Args, Parser, Subcommand};
use dedupe::config::{Config, Mode, ReportTarget};
use dedupe::error::Fatal;
use std::path::{Component, Path, PathBuf};

const EXIT_CODES: &str = "\
Exit codes:
  0  success (check: nothing found)
  1  check only: boilerplate or duplicates found
  2  error: bad arguments, an input that cannot be read or decoded, a failed write
     (a file that fails is listed in the report; the other files are still processed;
     a failed write leaves no output)
  130, 143  stopped by Ctrl-C (SIGINT) or SIGTERM: nothing was written";

/// Clean and deduplicate a corpus of news articles, explaining every removal.
///
/// Reads every .txt and .md file under each PATH (a directory, walked in sorted
/// order, or a file), strips boilerplate (share buttons, cookie banners,
/// related-post lists, subscribe prompts, comment forms, ...), removes repeated
/// paragraphs within and across documents (the first copy in input order is
/// kept), and writes a cleaned copy of the corpus plus a JSON report that names
/// the reason for every removal.
#[derive(Debug, Parser)]
#[command(
    name = "dedupe",
    version,
    after_help = EXIT_CODES,
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true
)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,

    #[command(flatten)]
    clean: CleanArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Report boilerplate and duplicates without writing a cleaned corpus;
    /// exit 1 when anything is found.
    #[command(after_help = EXIT_CODES)]
    Check(CheckArgs),
    /// List the boilerplate rules: name and what each removes.
    Rules,
}

#[derive(Debug, Args)]
struct CleanArgs {
    /// Directories or files to read.
    #[arg(value_name = "PATH", required = true)]
    paths: Vec<PathBuf>,

    /// Directory for the cleaned corpus [default: PATH-clean next to the
    /// first PATH]. Never inside an input.
    #[arg(short, long, value_name = "DIR")]
    out: Option<PathBuf>,

    /// Replace an existing output directory and report.
    #[arg(long)]
    force: bool,

    /// Where to write the JSON report, `-` for stdout [default: OUT.report.json].
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,

    #[command(flatten)]
    common: CommonArgs,
}

#[derive(Debug, Args)]
struct CheckArgs {
    /// Directories or files to read.
    #[arg(value_name = "PATH", required = true)]
    paths: Vec<PathBuf>,

    /// Also write the JSON report to FILE, `-` for stdout.
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,

    #[command(flatten)]
    common: CommonArgs,
}

#[derive(Debug, Args)]
struct CommonArgs {
    /// File extensions to read in directories, comma-separated.
    #[arg(
        long,
        value_name = "EXT,...",
        value_delimiter = ',',
        default_value = "txt,md"
    )]
    ext: Vec<String>,

    /// Switch off one boilerplate rule by name (repeatable; see `dedupe rules`).
    #[arg(long, value_name = "RULE")]
    disable_rule: Vec<String>,

    /// Do not strip boilerplate; only remove duplicates.
    #[arg(long)]
    no_strip: bool,

    /// A rules file (TOML, or JSON when it ends in .json) that adds rules,
    /// switches built-in ones off and tunes thresholds; see the README.
    #[arg(long, value_name = "FILE")]
    rules: Option<PathBuf>,

    /// Print nothing on stderr but errors.
    #[arg(short, long)]
    quiet: bool,

    /// Worker threads [default: one per core]. The output does not depend on it.
    #[arg(short = 'j', long, value_name = "N")]
    threads: Option<usize>,

    /// Find exact duplicates only: no near-duplicate paragraphs or documents.
    #[arg(long, help_heading = "Near-duplicates")]
    exact: bool,

    /// Share of a paragraph's words that must lie in word shingles of earlier
    /// kept text for it to be a near-duplicate.
    #[arg(long, value_name = "SHARE", default_value_t = 0.8, value_parser = share, help_heading = "Near-duplicates")]
    threshold: f64,

    /// Words per shingle.
    #[arg(long, value_name = "WORDS", default_value_t = 5, value_parser = clap::value_parser!(u16).range(1..=64), help_heading = "Near-duplicates")]
    shingle_width: u16,

    /// Estimated Jaccard similarity of two documents' shingles at which the
    /// later one is a near-duplicate document.
    #[arg(long, value_name = "SHARE", default_value_t = 0.8, value_parser = share, help_heading = "Near-duplicates")]
    doc_threshold: f64,

    /// Remove every paragraph of a near-duplicate document, not only its
    /// repeated ones.
    #[arg(long, help_heading = "Near-duplicates")]
    drop_duplicate_documents: bool,

    /// Documents a paragraph without a sentence end, or of under five words,
    /// must occur in to be removed everywhere as
    /// `repeated-block` boilerplate.
    #[arg(long, value_name = "N", default_value_t = 3, value_parser = clap::value_parser!(u32).range(2..))]
    repeat_min_docs: u32,

    /// Skip files larger than this, with an error (bytes, or with a suffix:
    /// K, M, G for KiB, MiB, GiB).
    #[arg(long, value_name = "N", default_value = "256M", value_parser = size)]
    max_file_size: u64,
}

/// Parses a size: a number of bytes, or of KiB, MiB or GiB with a suffix
/// `K`, `M` or `G` (`KiB`, `MiB`, `GiB` and a trailing `B` are accepted too).
fn size(arg: &str) -> Result<u64, String> {
    let upper = arg.trim().to_ascii_uppercase();
    let digits = upper.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let unit = match &upper[digits.len()..] {
        "" | "B" => 1,
        "K" | "KB" | "KIB" => 1 << 10,
        "M" | "MB" | "MIB" => 1 << 20,
        "G" | "GB" | "GIB" => 1 << 30,
        other => return Err(format!("unknown unit {other:?}; use K, M or G")),
    };
    digits
        .trim()
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(unit))
        .ok_or_else(|| format!("{arg:?} is not a size"))
}

/// Parses a share: a number above 0 and at most 1.
fn share(arg: &str) -> Result<f64, String> {
    let x: f64 = arg
        .parse()
        .map_err(|_| format!("{arg:?} is not a number"))?;
    if x > 0.0 && x <= 1.0 {
        Ok(x)
    } else {
        Err(format!("{arg} is not above 0 and at most 1"))
    }
}

/// What `main` is asked to do.
pub enum Action {
    /// Run the pipeline.
    Run(Box<Config>),
    /// Print the rule table.
    ListRules,
}

impl Cli {
    /// Resolves the parsed flags into an action.
    pub fn resolve(self) -> Result<Action, Fatal> {
        match self.command {
            Some(Command::Rules) => Ok(Action::ListRules),
            Some(Command::Check(args)) => {
                let mut config = common_config(args.paths, args.common);
                config.mode = Mode::Check;
                config.report = report_target(args.report);
                Ok(Action::Run(Box::new(config)))
            }
            None => {
                let args = self.clean;
                let mut config = common_config(args.paths, args.common);
                let out = match args.out {
                    Some(out) => out,
                    None => default_output(&config.inputs[0])?,
                };
                config.report = match args.report {
                    Some(r) => report_target(Some(r)),
                    None => ReportTarget::File(with_suffix(&out, ".report.json")),
                };
                config.mode = Mode::Clean;
                config.output = Some(out);
                config.force = args.force;
                Ok(Action::Run(Box::new(config)))
            }
        }
    }
}

fn common_config(paths: Vec<PathBuf>, common: CommonArgs) -> Config {
    let mut config = Config::new(paths);
    config.extensions = common
        .ext
        .iter()
        .map(|e| e.trim().trim_start_matches('.').to_lowercase())
        .filter(|e| !e.is_empty())
        .collect();
    config.disabled_rules = common.disable_rule;
    config.no_strip = common.no_strip;
    config.rules_file = common.rules;
    config.quiet = common.quiet;
    config.threads = common.threads.unwrap_or(0);
    config.near_duplicates = !common.exact;
    config.near_threshold = common.threshold;
    config.shingle_width = usize::from(common.shingle_width);
    config.document_threshold = common.doc_threshold;
    config.drop_duplicate_documents = common.drop_duplicate_documents;
    config.repeat_min_documents = common.repeat_min_docs as usize;
    config.max_file_size = common.max_file_size;
    config
}

fn report_target(arg: Option<PathBuf>) -> ReportTarget {
    match arg {
        None => ReportTarget::None,
        Some(p) if p.as_os_str() == "-" => ReportTarget::Stdout,
        Some(p) => ReportTarget::File(p),
    }
}

/// `NAME-clean` beside the input (for a file, NAME is its stem).
fn default_output(input: &Path) -> Result<PathBuf, Fatal> {
    // Keep the path as the user wrote it, for messages; resolve `.` and `..`.
    let named = matches!(input.components().next_back(), Some(Component::Normal(_)));
    let base = if named {
        input.to_path_buf()
    } else {
        input
            .canonicalize()
            .map_err(|e| Fatal::io("resolve", input, &e))?
    };
    let stem = if base.is_dir() {
        base.file_name()
    } else {
        base.file_stem()
    };
    match (base.parent(), stem) {
        (Some(parent), Some(stem)) => Ok(parent.join(format!("{}-clean", stem.to_string_lossy()))),
        _ => Err(Fatal::new(format!(
            "cannot place an output next to {}; choose one with -o",
            input.display()
        ))),
    }
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_os_string();
    s.push(suffix);
    PathBuf::from(s)
}
