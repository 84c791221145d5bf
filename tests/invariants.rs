//! The invariants of DESIGN.md, checked through the real binary on every
//! fixture tree:
//!
//! 1. inputs are never modified;
//! 2. every paragraph gets exactly one verdict, and kept + removed spans plus
//!    the white space between them add back up to the input;
//! 3. each reported span, sliced out of the original file, is the text the
//!    report says it is;
//! 4. output is byte-identical across runs and thread counts;
//! 5. running on its own output removes nothing more.

mod common;

use common::{Env, read_json, tree};
use dedupe::fingerprint::{hash, hex, normalize};
use dedupe::report::excerpt;
use dedupe::segment::segment;
use serde_json::Value;
use std::fs;
use std::path::Path;

/// Every fixture tree with readable files only, as one corpus.
fn corpus(env: &Env) -> std::path::PathBuf {
    let root = env.path("corpus");
    for tree in [
        "seeds",
        "scenarios/exact-repeats",
        "scenarios/cross-document",
        "scenarios/blank-lines",
        "scenarios/empty",
        "scenarios/near-duplicates",
    ] {
        env.copy_fixture(tree, &format!("corpus/{}", tree.replace('/', "-")));
    }
    root
}

fn slice<'a>(text: &'a str, r: &Value) -> &'a str {
    &text[r["start"].as_u64().unwrap() as usize..r["end"].as_u64().unwrap() as usize]
}

#[test]
fn inputs_are_never_modified() {
    let env = Env::new();
    let input = corpus(&env);
    env.copy_fixture("scenarios/unreadable", "corpus/unreadable");
    let before = tree(&input);
    env.run(&["corpus"]).expect(2);
    env.run(&["corpus", "--force"]).expect(2);
    env.run(&["check", "corpus", "--report", "r.json"])
        .expect(2);
    assert_eq!(tree(&input), before);
}

#[test]
fn spans_partition_the_input_and_slice_to_the_reported_text() {
    let env = Env::new();
    let input = corpus(&env);
    env.run(&["corpus"]).expect(0);
    let report = read_json(&env.path("corpus-clean.report.json"));
    let read = |p: &str| fs::read_to_string(input.join(p)).unwrap();
    let mut checked = 0;
    for doc in report["documents"].as_array().unwrap() {
        let text = read(doc["path"].as_str().unwrap());
        let spans = segment(&text, 0);
        let removed = doc["removed"].as_array().unwrap();
        // One verdict per paragraph.
        assert_eq!(doc["paragraphs"].as_u64().unwrap() as usize, spans.len());
        assert_eq!(
            doc["kept"].as_u64().unwrap() as usize + removed.len(),
            spans.len()
        );
        // Paragraphs and the white space between them make up the file.
        let mut at = 0;
        for s in &spans {
            assert!(text[at..s.start].trim().is_empty());
            at = s.end;
        }
        assert!(text[at..].trim().is_empty());
        for r in removed {
            let para = r["paragraph"].as_u64().unwrap() as usize;
            let s = spans[para];
            assert_eq!(
                (s.start as u64, s.end as u64),
                (r["start"].as_u64().unwrap(), r["end"].as_u64().unwrap())
            );
            let removed_text = slice(&text, r);
            assert_eq!(excerpt(removed_text), r["excerpt"].as_str().unwrap());
            if r["reason"]["kind"] == "duplicate" {
                let of = &r["reason"]["of"];
                let original = read(of["path"].as_str().unwrap());
                let kept_text = slice(&original, of);
                assert_eq!(normalize(removed_text), normalize(kept_text));
                assert_eq!(
                    hex(hash(&normalize(removed_text))),
                    r["reason"]["fingerprint"].as_str().unwrap()
                );
            }
            if r["reason"]["kind"] == "near-duplicate" {
                let of = &r["reason"]["of"];
                let original = read(of["path"].as_str().unwrap());
                assert!(r["reason"]["similarity"].as_f64().unwrap() >= 0.8);
                // The named paragraph shares a run of five words with it.
                let words = |t: &str| -> Vec<String> {
                    normalize(t)
                        .split(|c: char| !c.is_alphanumeric())
                        .filter(|w| !w.is_empty())
                        .map(str::to_string)
                        .collect()
                };
                let (a, b) = (words(removed_text), words(slice(&original, of)));
                assert!(
                    a.windows(5).any(|w| b.windows(5).any(|v| v == w)),
                    "{removed_text:?} shares no five words with {of}"
                );
            }
            checked += 1;
        }
        // The cleaned copy is the kept paragraphs, byte for byte, in order.
        let out = fs::read_to_string(env.path("corpus-clean").join(doc["path"].as_str().unwrap()))
            .unwrap();
        let kept: Vec<&str> = spans
            .iter()
            .enumerate()
            .filter(|(i, _)| !removed.iter().any(|r| r["paragraph"] == *i))
            .map(|(_, s)| s.of(&text))
            .collect();
        let out_spans = segment(&out, 0);
        assert_eq!(
            out_spans.iter().map(|s| s.of(&out)).collect::<Vec<_>>(),
            kept
        );
    }
    let summary = &report["summary"];
    let removed = [
        "removed_boilerplate",
        "removed_duplicate_within",
        "removed_duplicate_across",
        "removed_near_duplicate_within",
        "removed_near_duplicate_across",
        "removed_duplicate_document",
    ]
    .iter()
    .map(|k| summary[k].as_u64().unwrap())
    .sum::<u64>();
    assert_eq!(checked as u64, removed);
    assert!(
        checked >= 53,
        "the fixtures have 53 removals, checked {checked}"
    );
}

#[test]
fn output_is_identical_across_runs_and_thread_counts() {
    let env = Env::new();
    corpus(&env);
    let mut outputs = Vec::new();
    for (out, threads) in [("o1", "1"), ("o2", "1"), ("o3", "2"), ("o4", "8")] {
        env.run(&["corpus", "-o", out, "-j", threads]).expect(0);
        let mut files = tree(&env.path(out));
        files.insert(
            "REPORT".into(),
            fs::read(env.path(&format!("{out}.report.json"))).unwrap(),
        );
        outputs.push(files);
    }
    assert!(outputs[0].len() > 10);
    for other in &outputs[1..] {
        assert!(&outputs[0] == other, "outputs differ");
    }
}

#[test]
fn running_on_its_own_output_removes_nothing_more() {
    let env = Env::new();
    corpus(&env);
    env.run(&["corpus"]).expect(0);
    let run = env
        .run(&["check", "corpus-clean", "--report", "again.json"])
        .expect(0);
    let report = read_json(&env.path("again.json"));
    assert_eq!(
        report["summary"]["kept"], report["summary"]["paragraphs"],
        "{}",
        run.stderr
    );
    env.run(&["corpus-clean", "-o", "twice"]).expect(0);
    assert_eq!(tree(&env.path("twice")), tree(&env.path("corpus-clean")));
    assert!(Path::new(&env.path("twice")).is_dir());
}
