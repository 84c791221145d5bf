//! The `dedupe` binary: parse the command line, resolve it into a
//! [`Config`](dedupe::config::Config), run the pipeline, turn the outcome
//! into an exit code. Everything else lives in the library.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod cli;

use clap::Parser;
use dedupe::ExitStatus;
use dedupe::strip::{RULES, SIGNALS};
use std::io::{self, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut stdout = io::stdout().lock();
    let mut stderr = io::stderr().lock();
    let outcome = match cli::Cli::parse().resolve() {
        Ok(cli::Action::Run(config)) => dedupe::run(&config, &mut stdout, &mut stderr),
        Ok(cli::Action::Explain(request)) => {
            dedupe::explain::explain(&request, &mut stdout, &mut stderr)
        }
        Ok(cli::Action::ListRules) => return list_rules(),
        Err(err) => return fail(&err),
    };
    match outcome {
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

fn fail(err: &dyn std::error::Error) -> ExitCode {
    eprintln!("dedupe: error: {err}");
    ExitCode::from(ExitStatus::Error as u8)
}
