//! The `dedupe` binary: parse the command line, resolve it into a
//! [`Config`](dedupe::config::Config), run the pipeline, turn the outcome
//! into an exit code. Everything else lives in the library.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod cli;
mod progress_bar;

use clap::Parser;
use dedupe::error::Fatal;
use dedupe::progress::{NoProgress, Progress};
use dedupe::report::Palette;
use dedupe::strip::{RULES, SIGNALS};
use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

/// mimalloc: a run makes and frees millions of small buffers (paragraph
/// texts, shingle vectors, report entries) across threads.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay`: the 16th option of `mi_option_e` in
/// its mimalloc.h, in versions 2 and 3 alike (the bindings name no
/// constant for it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> ExitCode {
    // Give freed memory back to the system 50 ms after it is freed. With no
    // delay every free of a page's last block unmapped it at once: at a
    // gigabyte of text that was 3 to 4 CPU-seconds of page clearing and of
    // the TLB flushes unmapping sends to the other core, for 10 MB less
    // peak memory. At 10 ms, much memory was still given back moments
    // before it was needed again: 2 to 3 s more system time at a
    // gigabyte, for the same peak. The large frees of the first pass (the
    // signatures, the grouping of documents) are still returned before
    // the decision's tables fill.
    // SAFETY: sets one of mimalloc's options to a documented value; it
    // reads no memory of ours.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 50) };
    let config = match cli::Cli::parse().resolve() {
        Ok(cli::Action::Run(config)) => config,
        Ok(cli::Action::Explain(request)) => return explain(&request),
        Ok(cli::Action::ListRules) => return list_rules(),
        Ok(cli::Action::Completions(shell)) => return print(|out| cli::completions(shell, out)),
        Ok(cli::Action::Man(command)) => {
            return print(|out| cli::man_page(&command, out));
        }
        Err(err) => return fail(&err),
    };
    if let Err(err) = dedupe::interrupt::install() {
        eprintln!("dedupe: warning: Ctrl-C will not stop the run cleanly: {err}");
    }
    let mut stdout = io::stdout().lock();
    // Not locked: the progress bar draws on stderr from the worker threads.
    let mut stderr = io::stderr();
    let bar = (!config.quiet && stderr.is_terminal()).then(|| progress_bar::Bar::new(config.color));
    let progress: &dyn Progress = bar.as_ref().map_or(&NoProgress, |b| b);
    let result = dedupe::run_with_progress(&config, &mut stdout, &mut stderr, progress);
    drop(bar); // cleared before an error is printed
    match result {
        Ok(status) => ExitCode::from(status as u8),
        Err(err) => fail(&err),
    }
}

fn explain(request: &dedupe::explain::Request) -> ExitCode {
    let mut stdout = io::stdout().lock();
    let mut stderr = io::stderr().lock();
    match dedupe::explain::explain(request, &mut stdout, &mut stderr) {
        Ok(status) => ExitCode::from(status as u8),
        Err(err) => fail(&err),
    }
}

fn list_rules() -> ExitCode {
    let mut out = io::stdout().lock();
    let rules = RULES.iter().map(|r| (r.name, r.description));
    for (name, description) in rules.chain(SIGNALS.iter().copied()) {
        if writeln!(out, "{name:<20} {description}").is_err() {
            return ExitCode::SUCCESS; // a closed pipe is not an error
        }
    }
    ExitCode::SUCCESS
}

/// Writes to stdout with `write`; a closed pipe is not an error.
fn print(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> ExitCode {
    let mut out = io::stdout().lock();
    match write(&mut out).and_then(|()| out.flush()) {
        Err(err) if err.kind() != io::ErrorKind::BrokenPipe => fail(&Fatal::new(err.to_string())),
        _ => ExitCode::SUCCESS,
    }
}

fn fail(err: &Fatal) -> ExitCode {
    let style = Palette::new(true).error;
    anstream::eprintln!("dedupe: {style}error:{style:#} {err}");
    ExitCode::from(err.exit_code())
}
