//! Removed spans as attribute records, for pipelines that mix their own
//! filters with ours (the Dolma convention).
//!
//! One JSONL line per document, in input order, beside the documents:
//!
//! ```text
//! {"id":"bbc-0001","attributes":{
//!   "dedupe__boilerplate":[[0,57,1.0]],
//!   "dedupe__duplicate":[[912,1130,1.0]],
//!   "dedupe__near_duplicate":[[1132,1410,0.9412]],
//!   "dedupe__duplicate_document":[]}}
//! ```
//!
//! Each span is `[start, end, score]`, half-open, in bytes of the UTF-8
//! text by default or in characters (Unicode scalar values, as Python
//! indexes a `str`) with `--attribute-offsets chars`. The score is 1.0 for
//! boilerplate and exact duplicates, and the similarity for near-duplicates
//! and duplicate documents. Copies of an indexed corpus (`--against`)
//! count as duplicates and near-duplicates. Every key is present on every line, empty when
//! nothing of its kind was removed. Exact and near duplicates include copies
//! within the document and across documents alike.

use crate::config::Offsets;
use crate::decide::Verdict;
use crate::segment::Span;
use serde::Serialize;

/// `[start, end, score]`.
type Triple = (usize, usize, f64);

#[derive(Serialize)]
struct Line<'a> {
    id: &'a str,
    attributes: Attributes,
}

#[derive(Serialize, Default)]
struct Attributes {
    #[serde(rename = "dedupe__boilerplate")]
    boilerplate: Vec<Triple>,
    #[serde(rename = "dedupe__duplicate")]
    duplicate: Vec<Triple>,
    #[serde(rename = "dedupe__near_duplicate")]
    near_duplicate: Vec<Triple>,
    #[serde(rename = "dedupe__duplicate_document")]
    duplicate_document: Vec<Triple>,
}

/// The attribute record of one document (without a line break).
pub fn line(
    id: &str,
    text: &str,
    spans: &[Span],
    verdicts: &[Verdict],
    offsets: Offsets,
) -> Vec<u8> {
    let mut attributes = Attributes::default();
    // Character offsets are counted as the spans go, which are in order.
    let mut chars = 0;
    let mut counted = 0;
    let mut at = |byte: usize| match offsets {
        Offsets::Bytes => byte,
        Offsets::Chars => {
            chars += text[counted..byte].chars().count();
            counted = byte;
            chars
        }
    };
    for (span, verdict) in spans.iter().zip(verdicts) {
        let (list, score) = match *verdict {
            Verdict::Kept => continue,
            Verdict::Boilerplate(_) => (&mut attributes.boilerplate, 1.0),
            Verdict::Duplicate(_) | Verdict::CorpusDuplicate(_) => (&mut attributes.duplicate, 1.0),
            Verdict::NearDuplicate { similarity, .. }
            | Verdict::CorpusNearDuplicate { similarity, .. } => {
                (&mut attributes.near_duplicate, f64::from(similarity))
            }
            Verdict::DocumentDuplicate { similarity, .. } => {
                (&mut attributes.duplicate_document, f64::from(similarity))
            }
        };
        let start = at(span.start);
        let end = at(span.end);
        list.push((start, end, crate::report::rounded(score)));
    }
    serde_json::to_vec(&Line { id, attributes }).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decide::Location;

    #[test]
    fn bytes_and_chars() {
        let text = "héllo\n\nwörld\n\nagain";
        let spans = [
            Span { start: 0, end: 6 },
            Span { start: 8, end: 14 },
            Span { start: 16, end: 21 },
        ];
        let verdicts = [
            Verdict::Boilerplate("x"),
            Verdict::Kept,
            Verdict::NearDuplicate {
                of: Location { doc: 0, para: 0 },
                similarity: 0.9,
            },
        ];
        let bytes = String::from_utf8(line("d", text, &spans, &verdicts, Offsets::Bytes)).unwrap();
        assert_eq!(
            bytes,
            r#"{"id":"d","attributes":{"dedupe__boilerplate":[[0,6,1.0]],"dedupe__duplicate":[],"dedupe__near_duplicate":[[16,21,0.9]],"dedupe__duplicate_document":[]}}"#
        );
        let chars = String::from_utf8(line("d", text, &spans, &verdicts, Offsets::Chars)).unwrap();
        assert!(
            chars.contains(r#""dedupe__boilerplate":[[0,5,1.0]]"#),
            "{chars}"
        );
        assert!(
            chars.contains(r#""dedupe__near_duplicate":[[14,19,0.9]]"#),
            "{chars}"
        );
        assert_eq!(text.chars().skip(14).take(5).collect::<String>(), "again");
    }
}
