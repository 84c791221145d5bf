//! The corpus index and the CI gate through the real binary: build an index
//! from one drop, check others against it, refuse other parameters, survive
//! a crash in the middle of `index add`.

mod common;

use common::{Env, read_json, tree};
use serde_json::Value;
use std::fs;
use std::process::{Command, Stdio};
use std::time::Instant;

/// Long paragraphs kept by a clean run on the seeds, with their document.
fn kept_paragraphs(env: &Env) -> Vec<(String, String)> {
    env.run(&["seeds", "-o", "seeds-clean", "-q"]).expect(0);
    let mut out = Vec::new();
    for (name, bytes) in tree(&env.path("seeds-clean")) {
        let text = String::from_utf8(bytes).unwrap();
        for line in text.lines().filter(|l| l.len() > 150) {
            out.push((name.clone(), line.to_string()));
        }
    }
    out
}

const NEW: &str = "The harbour authority opened a second ferry terminal on the east quay \
    this morning, after three years of delays caused by flooding and a dispute over the cost \
    of dredging the channel.\n\nLocal traders said the terminal would bring more visitors in \
    the summer months, although some residents worry about traffic on the coast road.\n";

const OTHER: &str = "Researchers at the botanical garden have catalogued more than two \
    hundred species of moss growing on the old city walls, including several that were \
    thought to have disappeared from the region decades ago.\n\nThe survey will be repeated \
    every spring to see how the mosses respond to cleaner air.\n";

/// A drop: one document that copies two corpus paragraphs (one edited) and
/// adds its own, and one new document.
fn repeating_drop(env: &Env, kept: &[(String, String)]) -> (String, String) {
    let (_, exact) = &kept[0];
    let (_, near) = &kept[3];
    let edited = near.replacen(' ', " indeed ", 1);
    env.write(
        "drop/copied.txt",
        format!("A new headline for an old story\n\n{exact}\n\n{edited}\n\n{NEW}"),
    );
    env.write("drop/fresh.txt", OTHER);
    (exact.clone(), near.clone())
}

fn findings(stdout: &str) -> Vec<Value> {
    let v: Value = serde_json::from_str(stdout).unwrap();
    v["failing"].as_array().unwrap().clone()
}

#[test]
fn a_drop_that_repeats_the_corpus_fails_and_names_the_earlier_paragraph() {
    let env = Env::new();
    env.copy_fixture("seeds", "seeds");
    let kept = kept_paragraphs(&env);
    let run = env
        .run(&["index", "build", "seeds", "-o", "corpus.idx"])
        .expect(0);
    assert!(
        run.stderr.contains("index:          corpus.idx ("),
        "{}",
        run.stderr
    );
    let (exact, near) = repeating_drop(&env, &kept);

    let args = [
        "check",
        "drop",
        "--against",
        "corpus.idx",
        "--fail-on",
        "corpus",
    ];
    let run = env
        .run(&[&args[..], &["--format", "json", "--report", "r.json"]].concat())
        .expect(1);
    let failing = findings(&run.stdout);
    assert_eq!(failing.len(), 2, "{}", run.stdout);
    // Each finding names the corpus document and paragraph; slicing that
    // document of the corpus with the named span gives the earlier copy.
    for (finding, text) in failing.iter().zip([&exact, &near]) {
        assert_eq!(finding["kind"], "corpus");
        assert_eq!(finding["path"], "copied.txt");
        let of = &finding["of"];
        let source =
            fs::read_to_string(env.path("seeds").join(of["path"].as_str().unwrap())).unwrap();
        let (start, end) = (
            of["start"].as_u64().unwrap() as usize,
            of["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&source[start..end], text.as_str());
        let detail = finding["detail"].as_str().unwrap();
        assert!(
            detail.contains(&format!(
                "{} paragraph {}",
                of["path"].as_str().unwrap(),
                of["paragraph"]
            )),
            "{detail}"
        );
    }
    assert_eq!(failing[0]["line"], 3);
    assert!(
        failing[1]["detail"]
            .as_str()
            .unwrap()
            .starts_with("near-duplicate (0."),
        "{}",
        failing[1]
    );
    // The report says the same, with scope "corpus".
    let report = read_json(&env.path("r.json"));
    assert_eq!(report["summary"]["removed_duplicate_corpus"], 1);
    assert_eq!(report["summary"]["removed_near_duplicate_corpus"], 1);
    assert_eq!(report["parameters"]["against"]["index"], "corpus.idx");
    let removed = &report["documents"][0]["removed"];
    assert_eq!(removed[0]["reason"]["scope"], "corpus");
    assert_eq!(removed[0]["reason"]["of"], failing[0]["of"]);

    // Human and GitHub formats name the file, the line and the corpus copy.
    let run = env.run(&args).expect(1);
    let first = run.stdout.lines().next().unwrap();
    let of = &failing[0]["of"];
    assert!(
        first.starts_with("drop/copied.txt:3: corpus: repeats the corpus: "),
        "{first}"
    );
    assert!(
        first.contains(&format!(
            "{} paragraph {}",
            of["path"].as_str().unwrap(),
            of["paragraph"]
        )),
        "{first}"
    );
    assert!(
        run.stdout.trim_end().ends_with("of bytes removed"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("dedupe check: FAILED: 2 findings fail the gate"),
        "{}",
        run.stdout
    );
    let summary = env.path("step-summary.md");
    let output = Command::new(env!("CARGO_BIN_EXE_dedupe"))
        .args([&args[..], &["--format", "github", "-q"]].concat())
        .env("GITHUB_STEP_SUMMARY", &summary)
        .current_dir(env.dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.starts_with(
            "::error file=drop/copied.txt,line=3,title=dedupe%3A corpus::repeats the corpus"
        ),
        "{stdout}"
    );
    let md = fs::read_to_string(&summary).unwrap();
    assert!(md.starts_with("### ❌ dedupe check failed"), "{md}");
    assert!(
        md.contains("| `drop/copied.txt` | 3 | corpus | repeats the corpus: "),
        "{md}"
    );
    let run = env
        .run(&[&args[..], &["--format", "markdown"]].concat())
        .expect(1);
    assert!(
        run.stdout.starts_with("### ❌ dedupe check failed"),
        "{}",
        run.stdout
    );

    // An unrelated drop passes, under every --fail-on kind.
    env.write("unrelated/a.txt", NEW);
    env.write("unrelated/b.txt", OTHER);
    let run = env
        .run(&["check", "unrelated", "--against", "corpus.idx"])
        .expect(0);
    assert!(
        run.stdout
            .contains("dedupe check: passed: 0 findings fail the gate"),
        "{}",
        run.stdout
    );
}

#[test]
fn baseline_removal_rate_and_fail_on() {
    let env = Env::new();
    env.copy_fixture("seeds", "seeds");
    let kept = kept_paragraphs(&env);
    env.run(&["index", "build", "seeds", "-o", "corpus.idx", "-q"])
        .expect(0);
    repeating_drop(&env, &kept);
    let args = ["check", "drop", "--against", "corpus.idx", "-q"];
    // Only within-drop duplicates fail: there are none.
    env.run(&[&args[..], &["--fail-on", "duplicate"]].concat())
        .expect(0);
    // A removal-rate limit fails on its own.
    let run = env
        .run(
            &[
                &args[..],
                &["--fail-on", "duplicate", "--max-removal-rate", "0.05"],
            ]
            .concat(),
        )
        .expect(1);
    assert!(run.stdout.contains("(limit 5.0%, over)"), "{}", run.stdout);
    env.run(
        &[
            &args[..],
            &["--fail-on", "duplicate", "--max-removal-rate", "0.9"],
        ]
        .concat(),
    )
    .expect(0);
    // Accepting the findings makes the drop pass; a new finding fails it.
    env.run(
        &[
            &args[..],
            &["--baseline", "accepted.json", "--write-baseline"],
        ]
        .concat(),
    )
    .expect(0);
    let run = env
        .run(&[&args[..], &["--baseline", "accepted.json"]].concat())
        .expect(0);
    assert!(
        run.stdout.contains("2 accepted by the baseline"),
        "{}",
        run.stdout
    );
    let (_, third) = &kept[5];
    let copied = fs::read_to_string(env.path("drop/copied.txt")).unwrap();
    env.write("drop/copied.txt", format!("{third}\n\n{copied}"));
    let run = env
        .run(&[&args[..], &["--baseline", "accepted.json"]].concat())
        .expect(1);
    assert!(
        run.stdout.starts_with("drop/copied.txt:1: corpus:"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("1 finding fails the gate; 2 accepted by the baseline"),
        "{}",
        run.stdout
    );
    // A damaged baseline is an error.
    env.write("bad.json", "[1, 2");
    let run = env
        .run(&[&args[..], &["--baseline", "bad.json"]].concat())
        .expect(2);
    assert!(
        run.stderr.contains("bad.json is not a dedupe baseline"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_index_with_other_parameters_is_refused() {
    let env = Env::new();
    env.copy_fixture("seeds", "seeds");
    env.run(&[
        "index",
        "build",
        "seeds",
        "-o",
        "w7.idx",
        "--shingle-width",
        "7",
        "-q",
    ])
    .expect(0);
    env.run(&[
        "index",
        "build",
        "seeds",
        "-o",
        "exact.idx",
        "--exact",
        "-q",
    ])
    .expect(0);
    env.write("drop/a.txt", NEW);
    let run = env.run(&["check", "drop", "--against", "w7.idx"]).expect(2);
    assert!(
        run.stderr.contains(
            "cannot check against w7.idx: it was built with --shingle-width 7 and this run uses 5"
        ),
        "{}",
        run.stderr
    );
    env.run(&[
        "check",
        "drop",
        "--against",
        "w7.idx",
        "--shingle-width",
        "7",
    ])
    .expect(0);
    let run = env
        .run(&["drop", "-o", "out", "--against", "exact.idx"])
        .expect(2);
    assert!(
        run.stderr.contains("it was built with --exact"),
        "{}",
        run.stderr
    );
    assert!(!env.path("out").exists(), "nothing written");
    env.run(&["check", "drop", "--against", "exact.idx", "--exact"])
        .expect(0);
    // Not an index at all; an existing index is not replaced by build.
    let run = env
        .run(&["check", "drop", "--against", "drop/a.txt"])
        .expect(2);
    assert!(
        run.stderr.contains("is not a usable dedupe index"),
        "{}",
        run.stderr
    );
    let run = env
        .run(&["index", "build", "seeds", "-o", "w7.idx"])
        .expect(2);
    assert!(run.stderr.contains("already exists"), "{}", run.stderr);
}

/// A drop of `n` documents of made-up sentences, none repeating another.
fn big_drop(env: &Env, dir: &str, n: usize, seed: u64) {
    let words = [
        "council", "river", "market", "school", "harbour", "minister", "winter", "budget",
        "station", "museum", "farmers", "league", "hospital", "bridge", "festival", "court",
    ];
    let mut x = seed;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    for d in 0..n {
        let mut text = String::new();
        for _ in 0..12 {
            for _ in 0..20 {
                text.push_str(words[(next() % 16) as usize]);
                text.push(' ');
            }
            text.push_str("end.\n\n");
        }
        env.write(&format!("{dir}/{d:04}.txt"), text);
    }
}

#[test]
fn index_add_is_atomic_under_kills() {
    let env = Env::new();
    env.copy_fixture("seeds", "seeds");
    env.run(&["index", "build", "seeds", "-o", "corpus.idx", "-q"])
        .expect(0);
    big_drop(&env, "drop", 600, 7);
    let old = fs::read(env.path("corpus.idx")).unwrap();
    // The finished result, from a copy.
    fs::copy(env.path("corpus.idx"), env.path("copy.idx")).unwrap();
    let started = Instant::now();
    env.run(&["index", "add", "drop", "--index", "copy.idx", "-q"])
        .expect(0);
    let full = started.elapsed();
    let new = fs::read(env.path("copy.idx")).unwrap();
    assert!(new.len() > old.len());

    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut saw_old = 0;
    for round in 0..12 {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let delay = full.mul_f64((x >> 11) as f64 / (1u64 << 53) as f64 * 1.1);
        let mut child = Command::new(env!("CARGO_BIN_EXE_dedupe"))
            .args(["index", "add", "drop", "--index", "corpus.idx", "-q"])
            .current_dir(env.dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL: no clean-up runs
        let _ = child.wait();
        let now = fs::read(env.path("corpus.idx")).unwrap();
        assert!(
            now == old || now == new,
            "round {round}: the index is neither the old nor the new one"
        );
        if now == old {
            saw_old += 1;
        } else {
            fs::write(env.path("corpus.idx"), &old).unwrap();
        }
        // And it is usable.
        let run = env.run(&[
            "check",
            "seeds",
            "--against",
            "corpus.idx",
            "--fail-on",
            "corpus",
            "-q",
        ]);
        assert_eq!(run.code, 1, "round {round}: {}", run.stderr);
    }
    assert!(saw_old > 0, "no kill landed before the rename");
    // After all that, a complete add gives the same index as before.
    env.run(&["index", "add", "drop", "--index", "corpus.idx", "-q"])
        .expect(0);
    assert_eq!(fs::read(env.path("corpus.idx")).unwrap(), new);
    // And the drop now repeats the corpus.
    let run = env
        .run(&[
            "check",
            "drop",
            "--against",
            "corpus.idx",
            "--fail-on",
            "corpus",
            "-q",
            "--format",
            "json",
        ])
        .expect(1);
    assert_eq!(findings(&run.stdout).len(), 600 * 12);
}
