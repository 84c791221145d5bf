//! Property tests over generated corpora: the decision does not depend on
//! the number of threads, and near-duplicate findings are well formed.

use dedupe::config::{Config, ReportTarget};
use proptest::prelude::*;
use std::fs;
use std::path::Path;

/// Sentences to build documents from; copies and edits of them make exact
/// and near-duplicates across and within documents.
const SENTENCES: &[&str] = &[
    "The council approved the new budget after a long debate on Tuesday evening.",
    "Local businesses say the road closures have cut their takings by half this month.",
    "Police are asking anyone who saw the collision on the ring road to come forward.",
    "The hospital trust said waiting times had improved for the third quarter in a row.",
    "Volunteers planted more than two thousand trees along the river bank at the weekend.",
    "A spokesperson for the company declined to comment on the reports of job losses.",
    "Students at the college staged a walkout in protest at the planned fee increases.",
    "The festival will return next summer with a larger stage and more local acts.",
    "Share this article",
    "Subscribe to our newsletter",
];

/// A document: a list of paragraphs, each a list of sentence indices, with
/// an optional word dropped to make a near-duplicate.
fn document() -> impl Strategy<Value = Vec<(Vec<usize>, Option<usize>)>> {
    prop::collection::vec(
        (
            prop::collection::vec(0..SENTENCES.len(), 1..4),
            prop::option::of(0usize..12),
        ),
        0..7,
    )
}

fn render(doc: &[(Vec<usize>, Option<usize>)]) -> String {
    let mut out = String::new();
    for (sentences, drop) in doc {
        let text: Vec<&str> = sentences.iter().map(|&i| SENTENCES[i]).collect();
        let text = text.join(" ");
        let mut words: Vec<&str> = text.split(' ').collect();
        if let Some(d) = drop
            && *d < words.len()
            && words.len() > 12
        {
            words.remove(*d);
        }
        out.push_str(&words.join(" "));
        out.push_str("\n\n");
    }
    out
}

fn report_for(dir: &Path, threads: usize) -> Vec<u8> {
    let mut config = Config::new(vec![dir.to_path_buf()]);
    config.report = ReportTarget::Stdout;
    config.threads = threads;
    let (mut out, mut err) = (Vec::new(), Vec::new());
    dedupe::run(&config, &mut out, &mut err).expect("the run succeeds");
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn the_report_does_not_depend_on_the_thread_count(
        docs in prop::collection::vec(document(), 1..12)
    ) {
        let dir = tempfile::tempdir().unwrap();
        for (i, doc) in docs.iter().enumerate() {
            fs::write(dir.path().join(format!("{i:03}.txt")), render(doc)).unwrap();
        }
        let one = report_for(dir.path(), 1);
        prop_assert_eq!(&one, &report_for(dir.path(), 2));
        prop_assert_eq!(&one, &report_for(dir.path(), 5));

        // Every near-duplicate names an earlier, kept paragraph.
        let report: serde_json::Value = serde_json::from_slice(&one).unwrap();
        let docs = report["documents"].as_array().unwrap();
        let position = |path: &str| docs.iter().position(|d| d["path"] == path).unwrap();
        for (i, doc) in docs.iter().enumerate() {
            for r in doc["removed"].as_array().unwrap() {
                if r["reason"]["kind"] != "near-duplicate" {
                    continue;
                }
                let of = &r["reason"]["of"];
                let j = position(of["path"].as_str().unwrap());
                prop_assert!((j, of["paragraph"].as_u64().unwrap()) < (i, r["paragraph"].as_u64().unwrap()));
                let removed_there = docs[j]["removed"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|x| x["paragraph"] == of["paragraph"]);
                prop_assert!(!removed_there, "{} names a removed paragraph", r);
            }
        }
    }
}
