//! Boilerplate stripping of segmented paragraphs: one verdict per
//! paragraph, each naming a rule in force, the same on a second call.
#![no_main]

use dedupe::segment::segment;
use dedupe::strip::Stripper;
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static STRIPPER: LazyLock<Stripper> =
    LazyLock::new(|| Stripper::new(&[], true).expect("the built-in rules compile"));

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let spans = segment(&text, 0);
    let paragraphs: Vec<&str> = spans.iter().map(|s| s.of(&text)).collect();
    let verdicts = STRIPPER.strip(&paragraphs);
    assert_eq!(verdicts.len(), paragraphs.len());
    let names = STRIPPER.rule_names();
    for rule in verdicts.iter().flatten() {
        assert!(names.contains(rule), "unknown rule {rule}");
    }
    assert_eq!(verdicts, STRIPPER.strip(&paragraphs), "not deterministic");
});
