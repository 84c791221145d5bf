//! Progress: how far a run has got, told to whoever drives it.
//!
//! [`crate::run_with_progress`] calls a [`Progress`] as it goes: a
//! [`Phase`] starts with the number of documents it will go through, the
//! documents done are counted off (from worker threads too), and the phase
//! finishes. Every phase counts off exactly its total, failed documents
//! included. The library draws nothing and never looks at a terminal: the
//! binary turns these calls into a progress bar when stderr is one, and
//! [`NoProgress`] ignores them. Progress never changes the output.
//!
//! The library writes nothing to stderr while a phase is under way, so a
//! bar cleared at [`Progress::finish`] never tangles with the lines that
//! follow.

use crate::report::Palette;
use std::io::Write;
use std::time::Instant;

/// A phase of a run, in the order they come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Pass 1: read, segment, strip and fingerprint each file. Its total is
    /// the number of files found, including those that fail.
    Read,
    /// The corpus step: near-duplicate documents and repeated blocks. Its
    /// documents are counted off at once when it ends.
    Compare,
    /// Pass 2: read each document again, decide its paragraphs and write
    /// its cleaned copy and report entry. Its total is the number of
    /// documents read in pass 1.
    Decide,
}

impl Phase {
    /// A short name for people, e.g. in front of a progress bar.
    pub fn label(self) -> &'static str {
        match self {
            Phase::Read => "reading",
            Phase::Compare => "comparing",
            Phase::Decide => "deciding",
        }
    }
}

/// Told how far a run has got. Every method does nothing by default.
pub trait Progress: Sync {
    /// `phase` starts and will count off `total` documents.
    fn phase(&self, phase: Phase, total: u64) {
        let _ = (phase, total);
    }

    /// `n` more documents of the current phase are done. Called from worker
    /// threads: keep it cheap.
    fn advance(&self, n: u64) {
        let _ = n;
    }

    /// The current phase has ended.
    fn finish(&self) {}
}

/// A [`Progress`] that ignores everything.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {}

/// The phases of one run as they pass: tells the [`Progress`], and with
/// `verbose` writes each phase's count and time once it has finished.
pub(crate) struct Phases<'a> {
    progress: &'a dyn Progress,
    verbose: bool,
    palette: Palette,
    current: Option<(Phase, u64, Instant)>,
}

impl<'a> Phases<'a> {
    pub(crate) fn new(progress: &'a dyn Progress, verbose: bool, palette: Palette) -> Phases<'a> {
        Phases {
            progress,
            verbose,
            palette,
            current: None,
        }
    }

    /// `phase` starts with `total` documents to go.
    pub(crate) fn start(&mut self, phase: Phase, total: usize) {
        let total = total as u64;
        self.progress.phase(phase, total);
        self.current = Some((phase, total, Instant::now()));
    }

    /// The current phase has ended; with `verbose`, say how long it took.
    pub(crate) fn end(&mut self, stderr: &mut dyn Write) {
        self.progress.finish();
        if let Some((phase, total, started)) = self.current.take()
            && self.verbose
        {
            let memory = match (memory("VmRSS:"), memory("VmHWM:")) {
                (Some(now), Some(peak)) => format!(", {now} MB in memory (peak {peak} MB)"),
                _ => String::new(),
            };
            let _ = writeln!(
                stderr,
                "{}dedupe: {:<10} {total} documents in {:.2} s{memory}{}",
                self.palette.detail,
                phase.label(),
                started.elapsed().as_secs_f64(),
                self.palette.detail.render_reset()
            );
        }
    }
}

/// A line of Linux's `/proc/self/status` in megabytes (`VmRSS:` the
/// process's memory now, `VmHWM:` its peak); `None` elsewhere.
fn memory(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kb: u64 = line[field.len()..]
        .trim()
        .strip_suffix("kB")?
        .trim()
        .parse()
        .ok()?;
    Some(kb / 1000)
}
