//! The command line: raw flags (clap), then one resolved [`Config`].

use clap::ValueEnum;
use clap::{Args, ColorChoice, CommandFactory, Parser, Subcommand};
use clap_complete::Shell;
use dedupe::config::{Config, IndexTask, Mode, Offsets, OutputFormat, ReportTarget};
use dedupe::error::Fatal;
use dedupe::explain::{self, Origin};
use dedupe::{gate, jsonl};
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

const EXIT_CODES: &str = "\
Exit codes:
  0  success (check: nothing found)
  1  check only: the drop fails the gate (findings of a --fail-on kind that the
     --baseline does not accept, or more removed than --max-removal-rate)
  2  error: bad arguments, an input that cannot be read or decoded, a failed write
     (a file that fails is listed in the report; the other files are still processed;
     a failed write leaves no output)
  130, 143  stopped by Ctrl-C (SIGINT) or SIGTERM: nothing was written";

/// Clean and deduplicate a corpus of news articles, explaining every removal.
///
/// Reads every .txt and .md file under each PATH (a directory, walked in sorted
/// order, or a file; a .jsonl, .jsonl.gz or .jsonl.zst file, or - for stdin, is
/// read as one JSON document a line), strips boilerplate (share buttons, cookie banners,
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
    /// Check a drop: report boilerplate and duplicates (of the drop, and of
    /// an indexed corpus with --against) without writing a cleaned corpus;
    /// exit 1 when the drop fails the gate.
    #[command(after_help = EXIT_CODES)]
    Check(Box<CheckArgs>),
    /// List the boilerplate rules: name and what each removes.
    Rules,
    /// Say why paragraphs of one document were removed and where their
    /// other copies are, from a JSON report.
    #[command(after_help = EXPLAIN_HELP)]
    Explain(Box<ExplainArgs>),
    /// Build or extend a fingerprint index of a corpus, for --against.
    #[command(subcommand)]
    Index(IndexCommand),
    /// Print the shell completion script for SHELL (see the README).
    Completions {
        /// The shell to complete for.
        #[arg(value_name = "SHELL")]
        shell: Shell,
    },
    /// Print the man page: `dedupe man > dedupe.1`.
    Man {
        /// Print the page of this command instead, e.g. `dedupe man check >
        /// dedupe-check.1`, `dedupe man index build > dedupe-index-build.1`.
        #[arg(value_name = "COMMAND")]
        command: Vec<String>,
    },
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

#[derive(Debug, Subcommand)]
enum IndexCommand {
    /// Index the paragraphs a run on CORPUS keeps (what a later drop is
    /// checked against with --against).
    Build(Box<IndexBuildArgs>),
    /// Add the paragraphs of an accepted drop that the index does not hold
    /// yet. The index is replaced atomically: a crash leaves the old one.
    Add(Box<IndexAddArgs>),
}

#[derive(Debug, Args)]
struct IndexBuildArgs {
    /// Directories or files of the corpus.
    #[arg(value_name = "CORPUS", required = true)]
    paths: Vec<PathBuf>,

    /// The index file to write.
    #[arg(short, long, value_name = "FILE")]
    out: PathBuf,

    /// Replace an existing index.
    #[arg(long)]
    force: bool,

    /// Also write the JSON report of the run to FILE, `-` for stdout.
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,

    #[command(flatten)]
    common: CommonArgs,
}

#[derive(Debug, Args)]
struct IndexAddArgs {
    /// Directories or files of the drop to add.
    #[arg(value_name = "PATH", required = true)]
    paths: Vec<PathBuf>,

    /// The index to add to.
    #[arg(long, value_name = "FILE")]
    index: PathBuf,

    /// Also write the JSON report of the run to FILE, `-` for stdout.
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,

    #[command(flatten)]
    common: CommonArgs,
}

#[derive(Debug, Args)]
struct CleanArgs {
    /// Directories or files to read.
    #[arg(value_name = "PATH", required = true)]
    paths: Vec<PathBuf>,

    /// Where the cleaned corpus goes: a directory, or for JSONL a file
    /// (.jsonl, .jsonl.gz, .jsonl.zst) or - for stdout [default: PATH-clean
    /// next to the first PATH; stdout when PATH is -]. Never inside an input.
    #[arg(short, long, value_name = "DIR|FILE")]
    out: Option<PathBuf>,

    /// Write the cleaned corpus as a directory of text files or as JSONL
    /// [default: JSONL when an input is JSONL, else text].
    #[arg(long, value_name = "FORMAT")]
    output_format: Option<Format>,

    /// Also write the removed spans as attribute records, one JSON line a
    /// document: {"id", "attributes": {"dedupe__boilerplate": [[start, end,
    /// score], ...], ...}}.
    #[arg(long, value_name = "FILE")]
    attributes: Option<PathBuf>,

    /// What the offsets of attribute records count: bytes of the UTF-8 text,
    /// or characters (as Python indexes a str).
    #[arg(
        long,
        value_name = "UNIT",
        default_value = "bytes",
        requires = "attributes"
    )]
    attribute_offsets: OffsetUnit,

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

    /// Which findings fail the check, comma-separated: boilerplate,
    /// duplicate (copies within the drop), corpus (copies of the --against
    /// index).
    #[arg(
        long,
        value_name = "KIND,...",
        value_delimiter = ',',
        default_value = "boilerplate,duplicate,corpus",
        help_heading = "Gate"
    )]
    fail_on: Vec<FailOn>,

    /// Fail when more than this share of the drop's bytes would be removed.
    #[arg(long, value_name = "SHARE", value_parser = share, help_heading = "Gate")]
    max_removal_rate: Option<f64>,

    /// Findings listed in this file were reviewed and accepted: they do not
    /// fail the check.
    #[arg(long, value_name = "FILE", help_heading = "Gate")]
    baseline: Option<PathBuf>,

    /// Write every current finding to the --baseline file (accepting them all).
    #[arg(long, requires = "baseline", help_heading = "Gate")]
    write_baseline: bool,

    /// How to write the verdict on stdout: human, json, github (workflow
    /// annotations, plus a summary in $GITHUB_STEP_SUMMARY), markdown.
    #[arg(
        long,
        value_name = "FORMAT",
        default_value = "human",
        help_heading = "Gate"
    )]
    format: VerdictFormat,

    #[command(flatten)]
    common: CommonArgs,
}

/// A kind of finding, for --fail-on.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum FailOn {
    /// Boilerplate removed.
    Boilerplate,
    /// Copies within the drop.
    Duplicate,
    /// Copies of the indexed corpus.
    Corpus,
}

/// How check writes its verdict.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum VerdictFormat {
    /// One finding a line, then the verdict.
    Human,
    /// One JSON object.
    Json,
    /// GitHub workflow annotations.
    Github,
    /// Markdown for a pull-request comment.
    Markdown,
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

    /// Say more on stderr: the worker threads, and each phase's documents
    /// and time.
    #[arg(short, long, conflicts_with = "quiet")]
    verbose: bool,

    /// Colour the messages on stderr; `auto` colours a terminal unless
    /// NO_COLOR is set.
    #[arg(long, value_name = "WHEN", default_value = "auto")]
    color: ColorChoice,

    /// JSONL: the field that holds a document's id.
    #[arg(
        long,
        value_name = "NAME",
        default_value = "id",
        help_heading = "JSONL"
    )]
    id_field: String,

    /// JSONL: the field that holds a document's text.
    #[arg(
        long,
        value_name = "NAME",
        default_value = "text",
        help_heading = "JSONL"
    )]
    text_field: String,

    /// A corpus index (`dedupe index build`): paragraphs that repeat the
    /// corpus are duplicates of it, named by document and paragraph.
    #[arg(long, value_name = "INDEX")]
    against: Option<PathBuf>,

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

    /// Skip files, and JSONL lines, larger than this, with an error (bytes,
    /// or with a suffix: K, M, G for KiB, MiB, GiB).
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

/// How the cleaned corpus is written.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    /// A directory of text files, mirroring the input.
    Text,
    /// One JSON document a line.
    Jsonl,
}

/// What attribute offsets count.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum OffsetUnit {
    /// Bytes of the UTF-8 text.
    Bytes,
    /// Characters (Unicode scalar values).
    Chars,
}

/// What `main` is asked to do.
pub enum Action {
    /// Run the pipeline.
    Run(Box<Config>),
    /// Print the rule table.
    ListRules,
    /// Explain the removals in one document.
    Explain(explain::Request),
    /// Print a shell completion script.
    Completions(Shell),
    /// Print the man page of dedupe, or of one of its commands (a path
    /// of subcommand names).
    Man(Vec<String>),
}

impl Cli {
    /// Resolves the parsed flags into an action.
    pub fn resolve(self) -> Result<Action, Fatal> {
        match self.command {
            Some(Command::Rules) => Ok(Action::ListRules),
            Some(Command::Explain(args)) => explain_request(*args).map(Action::Explain),
            Some(Command::Completions { shell }) => Ok(Action::Completions(shell)),
            Some(Command::Man { command }) => Ok(Action::Man(command)),
            Some(Command::Index(IndexCommand::Build(args))) => {
                let args = *args;
                let mut config = common_config(args.paths, args.common);
                config.mode = Mode::Index;
                config.report = report_target(args.report);
                if args.out.exists() && !args.force {
                    return Err(Fatal::new(format!(
                        "index {} already exists; use --force to replace it, or `dedupe index add` to add to it",
                        args.out.display()
                    )));
                }
                config.index = Some(IndexTask {
                    path: args.out,
                    add: false,
                });
                Ok(Action::Run(Box::new(config)))
            }
            Some(Command::Index(IndexCommand::Add(args))) => {
                let args = *args;
                let mut config = common_config(args.paths, args.common);
                config.mode = Mode::Index;
                config.report = report_target(args.report);
                if config.against.as_ref().is_some_and(|a| *a != args.index) {
                    return Err(Fatal::new(
                        "index add checks against the index it adds to; drop --against",
                    ));
                }
                config.against = Some(args.index.clone());
                config.index = Some(IndexTask {
                    path: args.index,
                    add: true,
                });
                Ok(Action::Run(Box::new(config)))
            }
            Some(Command::Check(args)) => {
                let args = *args;
                let mut config = common_config(args.paths, args.common);
                config.mode = Mode::Check;
                config.report = report_target(args.report);
                config.html_report = html_target(&config.report, args.no_html);
                config.gate = gate::Settings {
                    fail_on: args
                        .fail_on
                        .iter()
                        .map(|k| match k {
                            FailOn::Boilerplate => gate::Kind::Boilerplate,
                            FailOn::Duplicate => gate::Kind::Duplicate,
                            FailOn::Corpus => gate::Kind::Corpus,
                        })
                        .collect(),
                    max_removal_rate: args.max_removal_rate,
                    baseline: args.baseline,
                    write_baseline: args.write_baseline,
                    format: match args.format {
                        VerdictFormat::Human => gate::Format::Human,
                        VerdictFormat::Json => gate::Format::Json,
                        VerdictFormat::Github => gate::Format::Github,
                        VerdictFormat::Markdown => gate::Format::Markdown,
                    },
                    step_summary: std::env::var_os("GITHUB_STEP_SUMMARY")
                        .filter(|v| !v.is_empty())
                        .map(PathBuf::from),
                };
                Ok(Action::Run(Box::new(config)))
            }
            None => {
                let args = self.clean;
                let mut config = common_config(args.paths, args.common);
                let any_jsonl = config.inputs.iter().any(|p| jsonl::is_jsonl(p));
                config.output_format = match args.output_format {
                    Some(Format::Jsonl) => OutputFormat::Jsonl,
                    Some(Format::Text) if any_jsonl => {
                        return Err(Fatal::new(
                            "JSONL input is written as JSONL; --output-format text needs text files",
                        ));
                    }
                    Some(Format::Text) => OutputFormat::Text,
                    None if any_jsonl => OutputFormat::Jsonl,
                    None => OutputFormat::Text,
                };
                let jsonl_out = config.output_format == OutputFormat::Jsonl;
                let out = match args.out {
                    Some(out) => out,
                    None if jsonl::is_stdio(&config.inputs[0]) => PathBuf::from("-"),
                    None => default_output(&config.inputs[0], jsonl_out)?,
                };
                if jsonl::is_stdio(&out) && !jsonl_out {
                    return Err(Fatal::new(
                        "-o - writes JSONL to stdout; add --output-format jsonl",
                    ));
                }
                config.report = match args.report {
                    Some(r) => report_target(Some(r)),
                    None if jsonl::is_stdio(&out) => ReportTarget::None,
                    None => ReportTarget::File(with_suffix(&out, ".report.json")),
                };
                if jsonl::is_stdio(&out) && config.report == ReportTarget::Stdout {
                    return Err(Fatal::new(
                        "the cleaned corpus goes to stdout: write the report to a file with --report FILE",
                    ));
                }
                config.attributes = args.attributes;
                config.attribute_offsets = match args.attribute_offsets {
                    OffsetUnit::Bytes => Offsets::Bytes,
                    OffsetUnit::Chars => Offsets::Chars,
                };
                config.html_report = html_target(&config.report, args.no_html);
                config.mode = Mode::Clean;
                config.output = Some(out);
                config.force = args.force;
                Ok(Action::Run(Box::new(config)))
            }
        }
    }
}

fn explain_request(args: ExplainArgs) -> Result<explain::Request, Fatal> {
    let quiet = args.common.quiet;
    let origin = match (&args.report, &args.corpus) {
        (Some(report), _) => Origin::Report(report.clone()),
        (None, Some(corpus)) => {
            let out = default_output(corpus, jsonl::is_jsonl(corpus))?;
            let config = common_config(vec![corpus.clone()], args.common);
            Origin::Corpus {
                report: with_suffix(&out, ".report.json"),
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
            let report = with_suffix(&default_output(dir, false).ok()?, ".report.json");
            Some((dir.to_path_buf(), report))
        })
        .collect()
}

/// The HTML report beside a JSON report file, unless switched off.
fn html_target(report: &ReportTarget, no_html: bool) -> Option<PathBuf> {
    match report {
        ReportTarget::File(path) if !no_html => Some(dedupe::html::beside(path)),
        _ => None,
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
    config.fields = jsonl::Fields {
        id: common.id_field,
        text: common.text_field,
        max_line: common.max_file_size,
    };
    config.against = common.against;
    config.disabled_rules = common.disable_rule;
    config.no_strip = common.no_strip;
    config.rules_file = common.rules;
    config.quiet = common.quiet;
    config.verbose = common.verbose;
    config.color = stderr_color(common.color);
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

/// `NAME-clean` beside the input (for a file, NAME is its stem); for JSONL,
/// `NAME-clean.jsonl` with the input's compression.
fn default_output(input: &Path, jsonl_out: bool) -> Result<PathBuf, Fatal> {
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
    let compression = match jsonl::Compression::of(&base) {
        jsonl::Compression::None => "",
        jsonl::Compression::Gzip => ".gz",
        jsonl::Compression::Zstd => ".zst",
    };
    match (base.parent(), stem) {
        (Some(parent), Some(stem)) if jsonl_out => {
            let stem = stem.to_string_lossy();
            let stem = stem.strip_suffix(".jsonl").unwrap_or(&stem);
            let stem = stem.strip_suffix(".ndjson").unwrap_or(stem);
            Ok(parent.join(format!("{stem}-clean.jsonl{compression}")))
        }
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

/// Whether the lines on stderr are coloured. `auto` colours a terminal
/// unless `NO_COLOR` is set (and honours `CLICOLOR` and `CLICOLOR_FORCE`).
/// The choice is also made global, for the binary's own error lines.
fn stderr_color(when: ColorChoice) -> bool {
    let choice = match when {
        ColorChoice::Auto => anstream::ColorChoice::Auto,
        ColorChoice::Always => anstream::ColorChoice::Always,
        ColorChoice::Never => anstream::ColorChoice::Never,
    };
    choice.write_global();
    anstream::AutoStream::choice(&io::stderr()) != anstream::ColorChoice::Never
}

/// Writes the completion script for `shell`, generated from the flags above.
pub fn completions(shell: Shell, out: &mut dyn Write) -> io::Result<()> {
    // `generate` panics on a failed write; a closed pipe is not worth one.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "dedupe", &mut script);
    out.write_all(&script)
}

/// Writes the man page of dedupe, or of the subcommand at the path
/// `command` (`["check"]`: `dedupe-check(1)`; `["index", "build"]`:
/// `dedupe-index-build(1)`), generated from the flags above.
pub fn man_page(command: &[String], out: &mut dyn Write) -> io::Result<()> {
    // As clap_mangen's `generate_to` does: no page for `help`, and built so
    // that subcommands are named `dedupe-check`.
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    for name in command {
        cmd = match cmd.find_subcommand(name) {
            Some(sub) if !sub.is_hide_set() => sub.clone(),
            _ => {
                let names: Vec<&str> = cmd.get_subcommands().map(|s| s.get_name()).collect();
                let of = cmd.get_display_name().unwrap_or(cmd.get_name());
                let message = if names.is_empty() {
                    format!("{of} has no command {name:?}")
                } else {
                    format!("{of} has no command {name:?}; it has {}", names.join(", "))
                };
                return Err(io::Error::new(io::ErrorKind::InvalidInput, message));
            }
        };
    }
    let has_subcommands = cmd.has_subcommands();
    let has_version = cmd.get_version().is_some();
    let man = clap_mangen::Man::new(cmd).source(concat!("dedupe ", env!("CARGO_PKG_VERSION")));
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    man.render_options_section(out)?;
    if has_subcommands {
        man.render_subcommands_section(out)?;
    }
    // The exit codes under their usual heading rather than "EXTRA".
    writeln!(out, ".SH \"EXIT STATUS\"\n.nf")?;
    for line in EXIT_CODES.lines().skip(1) {
        writeln!(out, "{}", line.replace('\\', "\\e").replace('-', "\\-"))?;
    }
    writeln!(out, ".fi")?;
    if has_version {
        man.render_version_section(out)?;
    }
    Ok(())
}
