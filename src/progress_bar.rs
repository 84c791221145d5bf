//! The progress bar on stderr: the binary's [`Progress`], drawn with
//! indicatif.
//!
//! `main` makes one only when stderr is a terminal and `-q` is not given.
//! Even then nothing is drawn until the run has lasted [`DELAY`], so a short
//! run leaves no trace; from then on each phase gets a bar, cleared when the
//! phase ends so that the summary follows on a clean line.

use dedupe::progress::{Phase, Progress};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::sync::RwLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// How long a run goes before its progress is drawn.
const DELAY: Duration = Duration::from_secs(1);

const PLAIN: &str = "{prefix:>10} [{wide_bar}] {human_pos}/{human_len} ({eta} left)";
const COLOURED: &str =
    "{prefix:>10.bold} [{wide_bar:.cyan/blue}] {human_pos}/{human_len} ({eta} left)";

/// A progress bar for each phase of a run, on stderr.
pub struct Bar {
    started: Instant,
    style: ProgressStyle,
    /// Set once the run has lasted [`DELAY`]: every bar from then on is drawn.
    shown: AtomicBool,
    current: RwLock<Option<ProgressBar>>,
}

impl Bar {
    /// A bar for a run that starts now; `color` styles it.
    pub fn new(color: bool) -> Bar {
        let template = if color { COLOURED } else { PLAIN };
        let style = ProgressStyle::with_template(template)
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        Bar {
            started: Instant::now(),
            style,
            shown: AtomicBool::new(false),
            current: RwLock::new(None),
        }
    }

    /// Starts drawing `bar` if the run has become long enough.
    fn show_if_due(&self, bar: &ProgressBar) {
        if self.shown.load(Ordering::Relaxed) {
            return;
        }
        if self.started.elapsed() >= DELAY && !self.shown.swap(true, Ordering::Relaxed) {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    fn clear(&self) {
        let bar = self.current.write().map(|mut b| b.take());
        if let Ok(Some(bar)) = bar {
            bar.finish_and_clear();
        }
    }
}

impl Progress for Bar {
    fn phase(&self, phase: Phase, total: u64) {
        self.clear();
        let target = if self.shown.load(Ordering::Relaxed) {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        };
        let bar = ProgressBar::with_draw_target(Some(total), target)
            .with_style(self.style.clone())
            .with_prefix(phase.label());
        self.show_if_due(&bar);
        if let Ok(mut current) = self.current.write() {
            *current = Some(bar);
        }
    }

    fn advance(&self, n: u64) {
        if let Ok(current) = self.current.read()
            && let Some(bar) = current.as_ref()
        {
            bar.inc(n);
            self.show_if_due(bar);
        }
    }

    fn finish(&self) {
        self.clear();
    }
}

impl Drop for Bar {
    /// A run that ends with an error leaves no bar behind either.
    fn drop(&mut self) {
        self.clear();
    }
}
