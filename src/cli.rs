//! The command line: raw flags (clap), then one resolved [`Config`].

use clap::{Args, ColorChoice, CommandFactory, Parser, Subcommand};
use clap_complete::Shell;
use dedupe::config::{Config, Mode, ReportTarget};
use dedupe::error::Fatal;
use std::io::{self, Write};
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
    /// Print the shell completion script for SHELL (see the README).
    Completions {
        /// The shell to complete for.
        #[arg(value_name = "SHELL")]
        shell: Shell,
    },
    /// Print the man page: `dedupe man > dedupe.1`.
    Man {
        /// Print the page of this command instead, e.g. `dedupe man check >
        /// dedupe-check.1`.
        #[arg(value_name = "COMMAND")]
        command: Option<String>,
    },
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

    /// Say more on stderr: the worker threads, and each phase's documents
    /// and time.
    #[arg(short, long, conflicts_with = "quiet")]
    verbose: bool,

    /// Colour the messages on stderr; `auto` colours a terminal unless
    /// NO_COLOR is set.
    #[arg(long, value_name = "WHEN", default_value = "auto")]
    color: ColorChoice,

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
    /// Print a shell completion script.
    Completions(Shell),
    /// Print the man page of dedupe, or of one of its commands.
    Man(Option<String>),
}

impl Cli {
    /// Resolves the parsed flags into an action.
    pub fn resolve(self) -> Result<Action, Fatal> {
        match self.command {
            Some(Command::Rules) => Ok(Action::ListRules),
            Some(Command::Completions { shell }) => Ok(Action::Completions(shell)),
            Some(Command::Man { command }) => Ok(Action::Man(command)),
            Some(Command::Check(args)) => {
                let mut config = common_config(args.paths, args.common);
                config.mode = Mode::Check;
                config.report = report_target(args.report);
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
                config.mode = Mode::Clean;
                config.output = Some(out);
                config.force = args.force;
                Ok(Action::Run(config))
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
    config.verbose = common.verbose;
    config.color = stderr_color(common.color);
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

/// Writes the man page of dedupe, or of its subcommand `command`
/// (`dedupe-check(1)`), generated from the flags above.
pub fn man_page(command: Option<&str>, out: &mut dyn Write) -> io::Result<()> {
    // As clap_mangen's `generate_to` does: no page for `help`, and built so
    // that subcommands are named `dedupe-check`.
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    let cmd = match command {
        None => cmd,
        Some(name) => match cmd.find_subcommand(name) {
            Some(sub) if !sub.is_hide_set() => sub.clone(),
            _ => {
                let names: Vec<&str> = cmd.get_subcommands().map(|s| s.get_name()).collect();
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!(
                        "no command {name:?}; there is a page for {}",
                        names.join(", ")
                    ),
                ));
            }
        },
    };
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
