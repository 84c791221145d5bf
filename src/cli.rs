//! The command line: raw flags (clap), then one resolved [`Config`].

use clap::{Args, Parser, Subcommand};
use dedupe::config::{Config, Mode, ReportTarget};
use dedupe::error::Fatal;
use dedupe::explain::{self, Origin};
use std::path::{Component, Path, PathBuf};

const EXIT_CODES: &str = "\
Exit codes:
  0  success (check: nothing found)
  1  check only: boilerplate or duplicates found
  2  error: bad arguments, an input that cannot be read or decoded, a failed write
     (a file that fails is listed in the report; the other files are still processed)";

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
    /// Say why paragraphs of one document were removed and where their
    /// other copies are, from a JSON report.
    #[command(after_help = EXPLAIN_HELP)]
    Explain(ExplainArgs),
}

const EXPLAIN_HELP: &str = "\
The report read is --report FILE, else the report of --corpus DIR (DIR-clean.report.json),
else the report of the nearest directory above PATH that has one. When --corpus DIR has no
report, `dedupe check` runs on DIR first, with the options given here.

Exit codes:
  0  explained
  2  error: no report, PATH not in it, no such paragraph";

#[derive(Debug, Args)]
struct ExplainArgs {
    /// The document: a path to the file, or its name in the report.
    #[arg(value_name = "PATH")]
    document: PathBuf,

    /// Only paragraph N, numbered from 0 as in the report.
    #[arg(long, value_name = "N")]
    para: Option<usize>,

    /// The JSON report to read.
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,

    /// The corpus PATH belongs to: its report is read, or made by checking it.
    #[arg(long, value_name = "DIR")]
    corpus: Option<PathBuf>,

    #[command(flatten)]
    common: CommonArgs,
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
    /// An HTML report goes beside a report file (OUT.report.html).
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,

    /// Write no HTML report.
    #[arg(long)]
    no_html: bool,

    #[command(flatten)]
    common: CommonArgs,
}

#[derive(Debug, Args)]
struct CheckArgs {
    /// Directories or files to read.
    #[arg(value_name = "PATH", required = true)]
    paths: Vec<PathBuf>,

    /// Also write the JSON report to FILE, `-` for stdout, and an HTML
    /// report beside a FILE (FILE.json -> FILE.html).
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,

    /// Write no HTML report beside the --report FILE.
    #[arg(long)]
    no_html: bool,

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
    Run(Config),
    /// Print the rule table.
    ListRules,
    /// Explain the removals in one document.
    Explain(explain::Request),
}

impl Cli {
    /// Resolves the parsed flags into an action.
    pub fn resolve(self) -> Result<Action, Fatal> {
        match self.command {
            Some(Command::Rules) => Ok(Action::ListRules),
            Some(Command::Explain(args)) => explain_request(args).map(Action::Explain),
            Some(Command::Check(args)) => {
                let mut config = common_config(args.paths, args.common);
                config.mode = Mode::Check;
                config.report = report_target(args.report);
                config.html_report = html_target(&config.report, args.no_html);
                Ok(Action::Run(config))
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
                config.html_report = html_target(&config.report, args.no_html);
                config.mode = Mode::Clean;
                config.output = Some(out);
                config.force = args.force;
                Ok(Action::Run(config))
            }
        }
    }
}

fn explain_request(args: ExplainArgs) -> Result<explain::Request, Fatal> {
    let quiet = args.common.quiet;
    let origin = match (&args.report, &args.corpus) {
        (Some(report), _) => Origin::Report(report.clone()),
        (None, Some(corpus)) => {
            let report = with_suffix(&default_output(corpus)?, ".report.json");
            let config = common_config(vec![corpus.clone()], args.common);
            Origin::Corpus {
                report,
                config: Box::new(config),
            }
        }
        (None, None) => Origin::Search(reports_above(&args.document)),
    };
    let corpus = match &origin {
        Origin::Report(_) | Origin::Corpus { .. } => args.corpus,
        Origin::Search(_) => None,
    };
    Ok(explain::Request {
        document: args.document,
        paragraph: args.para,
        corpus,
        origin,
        quiet,
    })
}

/// The default reports of the directories above `document`, nearest first:
/// as written, then resolved.
fn reports_above(document: &Path) -> Vec<(PathBuf, PathBuf)> {
    let written = document.ancestors().skip(1);
    let resolved = document.canonicalize().ok();
    let resolved = resolved.iter().flat_map(|p| p.ancestors().skip(1));
    written
        .chain(resolved)
        .filter(|dir| !dir.as_os_str().is_empty() && dir.is_dir())
        .filter_map(|dir| {
            let report = with_suffix(&default_output(dir).ok()?, ".report.json");
            Some((dir.to_path_buf(), report))
        })
        .collect()
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
    config
}

fn report_target(arg: Option<PathBuf>) -> ReportTarget {
    match arg {
        None => ReportTarget::None,
        Some(p) if p.as_os_str() == "-" => ReportTarget::Stdout,
        Some(p) => ReportTarget::File(p),
    }
}

/// The HTML report beside a JSON report file, unless switched off.
fn html_target(report: &ReportTarget, no_html: bool) -> Option<PathBuf> {
    match report {
        ReportTarget::File(path) if !no_html => Some(dedupe::html::beside(path)),
        _ => None,
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
