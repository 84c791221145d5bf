//! Inputs on which a fuzz target (`fuzz/`) once failed, kept as tests.
//! Each file under `fixtures/fuzz/` is named after its target and the
//! libFuzzer artifact's hash, and is checked here with that target's
//! assertions.

mod common;

use common::{Env, read_json, tree};
use dedupe::decide::{Location, Verdict};
use dedupe::fingerprint::{Shingles, hash, normalize, shingles};
use dedupe::read::decode;
use dedupe::segment::segment;
use dedupe::strip::Stripper;
use dedupe::write::cleaned;
use std::fs;
use std::path::Path;

fn fixture(name: &str) -> Vec<u8> {
    fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/fuzz")
            .join(name),
    )
    .unwrap()
}

/// The assertions of the `fingerprint` fuzz target.
fn fingerprint_target(data: &[u8]) {
    let Some((&w, rest)) = data.split_first() else {
        return;
    };
    let width = usize::from(w % 8) + 1;
    let text = String::from_utf8_lossy(rest);
    let n = normalize(&text);
    assert_eq!(normalize(&n), n, "normalisation is not idempotent");
    assert_eq!(n, n.trim());
    assert!(!n.contains("  "));
    let mut out = Shingles::default();
    shingles(&n, width, &mut out);
    assert!(out.starts.windows(2).all(|w| w[0] < w[1]));
    assert!(out.starts.iter().all(|&s| s as usize + width <= out.words));
}

/// Lower-casing "Y" + U+030A COMBINING RING ABOVE (no composed capital
/// exists) gave "y" + ring, which NFKC composes to "ẙ": normalising twice
/// changed the text, and the two spellings had different fingerprints.
#[test]
fn fingerprint_99a27cb6_lower_case_after_nfkc() {
    fingerprint_target(&fixture("fingerprint-99a27cb6.bin"));
    for text in ["Y\u{30a}", "A Y\u{30a} b", "\u{1e99}", "y\u{30a}"] {
        let n = normalize(text);
        assert_eq!(normalize(&n), n, "{text:?}");
    }
    assert_eq!(
        hash(&normalize("Y\u{30a}es, Y\u{30a}")),
        hash(&normalize("\u{1e99}es, \u{1e99}"))
    );

    // Through the binary: the two spellings are one paragraph.
    let env = Env::new();
    env.write(
        "in/a.txt",
        "First\n\nThe Y\u{30a}stad harbour reopened on Monday after the storm.\n",
    );
    env.write(
        "in/b.txt",
        "Second\n\nThe \u{1e99}stad harbour reopened on Monday after the storm.\n",
    );
    env.run(&["check", "in", "--exact", "--report", "r.json"])
        .expect(1);
    let report = read_json(&env.path("r.json"));
    assert_eq!(report["summary"]["removed_duplicate_across"], 1);
}

/// The assertions of the `document` fuzz target.
fn document_target(data: &[u8]) {
    let Some((&mask, bytes)) = data.split_first() else {
        return;
    };
    let Ok(text) = decode(bytes.to_vec()) else {
        return;
    };
    let (text, body) = (&text.text, text.body_start);
    let stripper = Stripper::new(&[], true).unwrap();
    let spans = segment(text, body);
    let paragraphs: Vec<&str> = spans.iter().map(|s| s.of(text)).collect();
    let normalized: Vec<String> = paragraphs.iter().map(|p| normalize(p)).collect();
    let stripped = stripper.strip_normalized(&paragraphs, &normalized);
    let all_kept = vec![Verdict::Kept; spans.len()];
    assert_eq!(cleaned(text, body, &spans, &all_kept), *text);
    let verdicts: Vec<Verdict> = stripped
        .iter()
        .enumerate()
        .map(|(i, rule)| match rule {
            Some(rule) => Verdict::Boilerplate(rule),
            None if mask.rotate_left(i as u32) & 1 == 1 => {
                Verdict::Duplicate(Location { doc: 0, para: 0 })
            }
            None => Verdict::Kept,
        })
        .collect();
    let out = cleaned(text, body, &spans, &verdicts);
    // The file's own byte-order mark, if any, comes first (a U+FEFF
    // further on is text, and may be a paragraph of its own).
    let mut rest = &out[body..];
    for (p, v) in paragraphs.iter().zip(&verdicts) {
        if *v == Verdict::Kept {
            let at = rest
                .find(p)
                .expect("a kept paragraph is in the cleaned copy");
            assert!(rest[..at].trim().is_empty(), "{:?}", &rest[..at]);
            rest = &rest[at + p.len()..];
        }
    }
    assert!(
        rest.trim().is_empty(),
        "text after the last kept paragraph: {rest:?}"
    );
}

/// A lone CR after the last kept paragraph and a LF further on: the cleaned
/// copy ended "the line" at the LF, and so kept the removed paragraphs in
/// between.
#[test]
fn document_ff3c68bd_mixed_line_endings_leaked_removed_text() {
    document_target(&fixture("document-ff3c68bd.bin"));

    // Through the binary.
    let env = Env::new();
    let input = env.path("in");
    env.write(
        "in/mixed.txt",
        "Harbour reopens\rThe harbour reopened to ferries on Tuesday after the storm.\r\
         Share on Facebook\n",
    );
    let before = tree(&input);
    env.run(&["in", "-o", "out"]).expect(0);
    assert_eq!(
        fs::read_to_string(env.path("out/mixed.txt")).unwrap(),
        "Harbour reopens\rThe harbour reopened to ferries on Tuesday after the storm.\r"
    );
    assert_eq!(tree(&input), before);
}

/// Not a bug in `dedupe` but in the target: a U+FEFF that is not at the
/// start of the file is text (here a paragraph of its own), yet the target
/// took a cleaned copy starting with it for the file's byte-order mark.
#[test]
fn document_53fa0289_a_later_feff_is_text() {
    document_target(&fixture("document-53fa0289.bin"));
    let text = "#\n\t\u{feff}";
    let spans = segment(text, 0);
    assert_eq!(spans.len(), 2);
    assert_eq!(spans[1].of(text), "\u{feff}");
}
