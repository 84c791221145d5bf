//! The `dedupe` binary: parse the command line, resolve it into a
//! [`Config`](dedupe::config::Config), run the pipeline, turn the outcome
//! into an exit code. Everything else lives in the library.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod cli;

use clap::Parser;
use dedupe::error::Fatal;
use dedupe::strip::{RULES, SIGNALS};
use std::io::{self, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let config = match cli::Cli::parse().resolve() {
        Ok(cli::Action::Run(config)) => config,
        Ok(cli::Action::ListRules) => return list_rules(),
        Err(err) => return fail(&err),
    };
    if let Err(err) = dedupe::interrupt::install() {
        eprintln!("dedupe: warning: Ctrl-C will not stop the run cleanly: {err}");
    }
    let mut stdout = io::stdout().lock();
    let mut stderr = io::stderr().lock();
    match dedupe::run(&config, &mut stdout, &mut stderr) {
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

fn fail(err: &Fatal) -> ExitCode {
    eprintln!("dedupe: error: {err}");
    ExitCode::from(err.exit_code())
}
