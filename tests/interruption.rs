//! Runs killed at random points never leave a partial output where a
//! finished one would be (issue #7).
//!
//! A generated corpus is cleaned once to a reference output. Then runs are
//! killed, with SIGTERM or SIGKILL in turn, at random moments from their
//! start to half as long again as the reference run. After each kill the
//! output directory is either absent or equal to the reference, file for
//! file, and so is the report; a SIGTERM run leaves nothing else behind,
//! and the hidden staging a SIGKILL run leaves is removed by the next run.

#![cfg(unix)]
// The seed and the outcome of the kills are printed for the test log.
#![allow(clippy::print_stderr)]

mod common;

use common::corpus::{Rng, generate};
use common::{Env, Run, tree};
use std::fs;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const KILLS: usize = 24;

fn hidden_leftovers(env: &Env) -> Vec<String> {
    fs::read_dir(env.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".dedupe-"))
        .collect()
}

#[test]
fn killed_runs_leave_a_complete_output_or_none() {
    let env = Env::new();
    let input = env.path("corpus");
    generate(&input, 600, 2026);
    let before = tree(&input);

    let start = Instant::now();
    env.run(&["corpus", "-o", "reference", "-j", "2"]).expect(0);
    let full = start.elapsed();
    let reference = tree(&env.path("reference"));
    let reference_report = fs::read(env.path("reference.report.json")).unwrap();
    assert_eq!(reference.len(), 600);

    // A seed from the clock, printed, so a failure can be replayed.
    let seed = std::env::var("DEDUPE_KILL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        });
    eprintln!("kill seed {seed} (set DEDUPE_KILL_SEED to replay); full run {full:?}");
    let mut rng = Rng::new(seed);
    let (mut complete, mut absent) = (0, 0);
    for k in 0..KILLS {
        let out = format!("out-{k}");
        let report = format!("{out}.report.json");
        let sigkill = k % 2 == 1;
        let child = Command::new(env!("CARGO_BIN_EXE_dedupe"))
            .args(["corpus", "-o", &out, "-j", "2"])
            .current_dir(env.dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let pid = child.id();
        let limit = full.as_micros() as usize * 3 / 2;
        let delay = Duration::from_micros(rng.range(0, limit.max(1)) as u64);
        std::thread::sleep(delay);
        let signal = if sigkill { "-KILL" } else { "-TERM" };
        // The run may have finished already; then there is nothing to kill.
        let _ = Command::new("kill")
            .args([signal, &pid.to_string()])
            .stderr(Stdio::null())
            .status();
        let run = Run::from(child.wait_with_output().unwrap());
        let context = format!(
            "kill {k} ({signal} after {delay:?}): exit {}\n{}",
            run.code, run.stderr
        );
        assert!(!run.stderr.contains("panicked"), "{context}");

        let out_path = env.path(&out);
        let report_path = env.path(&report);
        if out_path.exists() {
            assert!(tree(&out_path) == reference, "partial output: {context}");
            complete += 1;
        } else {
            absent += 1;
        }
        if report_path.exists() {
            assert!(
                fs::read(&report_path).unwrap() == reference_report,
                "partial report: {context}"
            );
        }
        match run.code {
            // Finished before the signal.
            0 => assert!(out_path.exists() && report_path.exists(), "{context}"),
            // Stopped by SIGTERM: nothing written, nothing left.
            143 => {
                assert!(
                    run.stderr.contains("interrupted by SIGTERM")
                        && run.stderr.contains("nothing was written"),
                    "{context}"
                );
                assert!(!out_path.exists() && !report_path.exists(), "{context}");
            }
            // SIGKILL (or SIGTERM before the handler was in place).
            -1 => {}
            other => panic!("unexpected exit {other}: {context}"),
        }
        if !sigkill {
            assert!(
                hidden_leftovers(&env)
                    .iter()
                    .all(|n| !n.starts_with(&format!(".{out}."))),
                "a stopped run left {:?}: {context}",
                hidden_leftovers(&env)
            );
        }
        // What a killed run left behind is hidden: never taken for output.
        assert!(hidden_leftovers(&env).iter().all(|n| n.starts_with('.')));
        // The next run to the same place cleans up and succeeds.
        if sigkill && !out_path.exists() && k % 4 == 1 {
            env.run(&["corpus", "-o", &out, "-j", "2", "-q", "--force"])
                .expect(0);
            assert!(tree(&out_path) == reference, "{context}");
            assert!(
                hidden_leftovers(&env)
                    .iter()
                    .all(|n| !n.starts_with(&format!(".{out}."))),
                "leftovers not cleaned up: {:?}",
                hidden_leftovers(&env)
            );
        }
    }
    eprintln!("{complete} complete, {absent} absent after {KILLS} kills");
    assert_eq!(tree(&input), before, "inputs unchanged");
}
