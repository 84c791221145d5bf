//! Inputs on which a fuzz target (`fuzz/`) once failed, kept as tests.
//! Each file under `fixtures/fuzz/` is named after its target and the
//! libFuzzer artifact's hash, and is checked here with that target's
//! assertions.

mod common;

use common::{Env, read_json};
use dedupe::fingerprint::{Shingles, hash, normalize, shingles};
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
