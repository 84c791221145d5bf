//! Normalisation, hashing and shingles: normalisation is idempotent and
//! leaves no white space at the ends or doubled, shingles are well formed.
#![no_main]

use dedupe::fingerprint::{Shingles, hash, normalize, shingles};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (width, text) = match data.split_first() {
        Some((&w, rest)) => (usize::from(w % 8) + 1, String::from_utf8_lossy(rest)),
        None => return,
    };
    let n = normalize(&text);
    assert_eq!(
        normalize(&n),
        n,
        "normalisation is not idempotent on {text:?}"
    );
    assert_eq!(n, n.trim(), "white space at an end");
    assert!(!n.contains("  "), "doubled space");
    assert!(
        !n.chars().any(|c| c.is_whitespace() && c != ' '),
        "white space other than ' '"
    );
    assert_eq!(hash(&n), hash(&normalize(&text)));

    let mut out = Shingles::default();
    shingles(&n, width, &mut out);
    assert_eq!(out.hashes.len(), out.starts.len());
    assert_eq!(out.width, width);
    assert!(
        out.starts.windows(2).all(|w| w[0] < w[1]),
        "starts out of order"
    );
    for &s in &out.starts {
        assert!(
            s as usize + width <= out.words,
            "shingle past the last word"
        );
    }
    if out.words < width {
        assert!(out.is_empty());
    }
    let mut again = Shingles::default();
    shingles(&n, width, &mut again);
    assert_eq!(out, again);
    let c = out.coverage(|h| h % 2 == 0);
    assert!((0.0..=1.0).contains(&c), "coverage {c}");
    let all = out.coverage(|_| true);
    assert!(out.is_empty() || all > 0.0);
});
