//! Segmentation of any text: spans in bounds, in order, on character
//! boundaries, trimmed, and only white space between them.
#![no_main]

use dedupe::segment::segment;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // Start after a byte-order mark when there is one, as the reader does.
    let from = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let spans = segment(&text, from);
    let mut at = from;
    for span in &spans {
        assert!(span.start >= at && span.start < span.end && span.end <= text.len());
        assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
        assert!(
            text[at..span.start].trim().is_empty(),
            "non-space between spans"
        );
        let p = span.of(&text);
        assert_eq!(p, p.trim(), "span not trimmed: {p:?}");
        at = span.end;
    }
    assert!(text[at..].trim().is_empty(), "text after the last span");
    // Every non-blank line lies in some span.
    assert_eq!(spans.is_empty(), text[from..].trim().is_empty());
});
