//! The per-document path: decode, segment, normalise, strip, then write a
//! cleaned copy under verdicts chosen by the input. The cleaned copy is the
//! kept paragraphs, byte for byte and in order, with only white space (and a
//! byte-order mark) around them; with every paragraph kept it is the text.
#![no_main]

use dedupe::decide::{Location, Verdict};
use dedupe::fingerprint::normalize;
use dedupe::read::decode;
use dedupe::segment::segment;
use dedupe::strip::Stripper;
use dedupe::write::cleaned;
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static STRIPPER: LazyLock<Stripper> =
    LazyLock::new(|| Stripper::new(&[], true).expect("the built-in rules compile"));

fuzz_target!(|data: &[u8]| {
    let Some((&mask, bytes)) = data.split_first() else {
        return;
    };
    let Ok(text) = decode(bytes.to_vec()) else {
        return;
    };
    let (text, body) = (&text.text, text.body_start);
    let spans = segment(text, body);
    let paragraphs: Vec<&str> = spans.iter().map(|s| s.of(text)).collect();
    let normalized: Vec<String> = paragraphs.iter().map(|p| normalize(p)).collect();
    let stripped = STRIPPER.strip_normalized(&paragraphs, &normalized);
    assert_eq!(stripped.len(), spans.len());

    let all_kept = vec![Verdict::Kept; spans.len()];
    assert_eq!(cleaned(text, body, &spans, &all_kept), *text);

    // Boilerplate as stripped, and a duplicate wherever the mask says so.
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
        if *v != Verdict::Kept {
            continue;
        }
        let at = rest
            .find(p)
            .expect("a kept paragraph is in the cleaned copy");
        assert!(
            rest[..at].trim().is_empty(),
            "text that was not kept: {:?}",
            &rest[..at]
        );
        rest = &rest[at + p.len()..];
    }
    assert!(
        rest.trim().is_empty(),
        "text after the last kept paragraph: {rest:?}"
    );
});
