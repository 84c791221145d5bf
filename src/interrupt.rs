//! Interruption: Ctrl-C (SIGINT) and SIGTERM stop a run cleanly.
//!
//! The binary calls [`install`] once. A first signal only raises a flag;
//! the pipeline looks at it between documents and between chunks
//! ([`requested`]) and, once it is raised, stops, removes everything it had
//! staged and returns a [`Fatal`] error that says so, with the exit code of
//! the signal (130 for SIGINT, 143 for SIGTERM). Nothing half-written is
//! left where output would be: the cleaned corpus and the report are staged
//! under hidden names and renamed into place only at the very end, and a
//! signal that comes after that point changes nothing. A second signal ends
//! the process at once, with the same exit code; what it had staged is then
//! removed by the next run (see [`crate::write`]).
//!
//! Without [`install`] (the library used on its own, the tests) no signal is
//! caught and [`requested`] is always `None`.

use crate::error::Fatal;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// The number of the first signal received, 0 for none.
static RECEIVED: AtomicUsize = AtomicUsize::new(0);
/// Raised by the first signal: the next one ends the process.
static ARMED: AtomicBool = AtomicBool::new(false);

/// A termination signal that asked the run to stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signal(i32);

impl Signal {
    /// `SIGINT` or `SIGTERM`.
    pub fn name(self) -> &'static str {
        match self.0 {
            signal_hook::consts::SIGINT => "SIGINT",
            _ => "SIGTERM",
        }
    }

    /// The exit code of a process ended by this signal, as shells report it:
    /// 128 plus the signal number.
    pub fn exit_code(self) -> u8 {
        128 + self.0 as u8
    }
}

/// Catches SIGINT and SIGTERM for the rest of the process (see the module
/// doc).
pub fn install() -> std::io::Result<()> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    use signal_hook::flag;
    for signal in [SIGINT, SIGTERM] {
        // Registered first, so that it sees ARMED as the signal before left it.
        flag::register_conditional_shutdown(signal, 128 + signal, &ARMED)?;
        flag::register_usize(signal, &RECEIVED, signal as usize)?;
        flag::register(signal, &ARMED)?;
    }
    Ok(())
}

/// The signal that asked the run to stop, if one did.
pub fn requested() -> Option<Signal> {
    match RECEIVED.load(Ordering::SeqCst) {
        0 => None,
        n => Some(Signal(n as i32)),
    }
}

/// `Err` with the fatal error of an interrupted run, when a signal came:
/// `unwritten` says what was not written.
pub fn check(unwritten: &str) -> Result<(), Fatal> {
    match requested() {
        None => Ok(()),
        Some(signal) => Err(Fatal::with_exit_code(
            format!("interrupted by {}: {unwritten}", signal.name()),
            signal.exit_code(),
        )),
    }
}
