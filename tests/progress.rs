//! The library's progress calls: every phase counts off exactly its total,
//! and telling a `Progress` changes no output.

mod common;

use common::Env;
use dedupe::config::{Config, Mode, ReportTarget};
use dedupe::progress::{Phase, Progress};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// A phase, its total and the documents counted off in it.
type Counted = (Phase, u64, u64);

/// Records the phases with their totals and the documents counted off in each.
#[derive(Default)]
struct Recorder {
    phases: Mutex<Vec<Counted>>,
    done: AtomicU64,
    open: Mutex<bool>,
}

impl Progress for Recorder {
    fn phase(&self, phase: Phase, total: u64) {
        let mut open = self.open.lock().unwrap();
        assert!(!*open, "{phase:?} starts before the last phase finished");
        *open = true;
        self.done.store(0, Ordering::SeqCst);
        self.phases.lock().unwrap().push((phase, total, 0));
    }

    fn advance(&self, n: u64) {
        assert!(*self.open.lock().unwrap(), "advance outside a phase");
        self.done.fetch_add(n, Ordering::SeqCst);
    }

    fn finish(&self) {
        *self.open.lock().unwrap() = false;
        let mut phases = self.phases.lock().unwrap();
        phases.last_mut().unwrap().2 = self.done.load(Ordering::SeqCst);
    }
}

impl Recorder {
    fn phases(&self) -> Vec<Counted> {
        assert!(!*self.open.lock().unwrap(), "the last phase finished");
        self.phases.lock().unwrap().clone()
    }
}

fn config(env: &Env, input: &str, threads: usize) -> Config {
    let mut config = Config::new(vec![env.path(input)]);
    config.mode = Mode::Check;
    config.report = ReportTarget::Stdout;
    config.threads = threads;
    config
}

/// Runs with a recorder; returns the phases, stdout and stderr.
fn record(config: &Config) -> (Vec<Counted>, Vec<u8>, Vec<u8>) {
    let recorder = Recorder::default();
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    dedupe::run_with_progress(config, &mut stdout, &mut stderr, &recorder).unwrap();
    (recorder.phases(), stdout, stderr)
}

#[test]
fn every_phase_counts_off_its_documents() {
    let env = Env::new();
    // More than one chunk of the second pass (256 documents).
    for i in 0..700 {
        env.write(
            &format!("many/{i:04}.txt"),
            format!(
                "Story {i}\n\nThe committee heard evidence on day {i} about the harbour.\n\n\
                 Share on Facebook\n"
            ),
        );
    }
    for threads in [1, 3] {
        let config = config(&env, "many", threads);
        let (phases, stdout, stderr) = record(&config);
        assert_eq!(
            phases,
            [
                (Phase::Read, 700, 700),
                (Phase::Compare, 700, 700),
                (Phase::Decide, 700, 700)
            ]
        );
        // The same bytes as a run without progress.
        let (mut out, mut err) = (Vec::new(), Vec::new());
        dedupe::run(&config, &mut out, &mut err).unwrap();
        assert_eq!(stdout, out);
        assert_eq!(stderr, err);
    }
}

#[test]
fn failed_files_are_counted_in_the_first_pass_only() {
    let env = Env::new();
    env.copy_fixture("scenarios/unreadable", "drop");
    let (phases, _, _) = record(&config(&env, "drop", 0));
    // Three files found, two of them fail: one document goes on.
    assert_eq!(
        phases,
        [
            (Phase::Read, 3, 3),
            (Phase::Compare, 1, 1),
            (Phase::Decide, 1, 1)
        ]
    );
}

#[test]
fn verbose_lines_follow_the_phases() {
    let env = Env::new();
    env.copy_fixture("seeds", "seeds");
    let mut config = config(&env, "seeds", 1);
    config.verbose = true;
    config.report = ReportTarget::None;
    let (phases, _, stderr) = record(&config);
    assert_eq!(phases.len(), 3);
    let stderr = String::from_utf8(stderr).unwrap();
    let lines: Vec<&str> = stderr.lines().take(4).collect();
    assert_eq!(lines[0], "dedupe: 1 worker thread");
    for (line, (phase, total, _)) in lines[1..].iter().zip(&phases) {
        let start = format!("dedupe: {:<10} {total} documents in ", phase.label());
        assert!(line.starts_with(&start), "{line}");
    }
}
