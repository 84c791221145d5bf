//! Property tests over generated corpora: the decision does not depend on
//! the number of threads or on whether the run takes one pass or two,
//! near-duplicate findings are well formed, and the invariants of DESIGN.md
//! hold for documents in any paragraph style, line ending and encoding.

use dedupe::config::{Config, Mode, ReportTarget};
use dedupe::fingerprint::normalize;
use dedupe::read::decode;
use dedupe::report::excerpt;
use dedupe::segment::segment;
use dedupe::strip::{REPEATED_BLOCK, Stripper};
use proptest::prelude::*;
use serde_json::Value;
use std::collections::BTreeMap;
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
    "The café on the square reopened with a new menu and longer hours.",
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

/// Cleans `input` into `out` with exact matching only and nothing stripped;
/// returns the report without its parameters. A run without stripping
/// reads each document once; with `two_passes`, stripping is on with every
/// rule switched off and the `repeated-block` signal out of reach, which
/// removes nothing either but counts paragraphs over the corpus in a first
/// pass.
fn clean_exact(input: &Path, out: &Path, two_passes: bool) -> Value {
    let mut config = Config::new(vec![input.to_path_buf()]);
    config.mode = Mode::Clean;
    config.output = Some(out.to_path_buf());
    config.report = ReportTarget::Stdout;
    config.threads = 2;
    config.quiet = true;
    config.near_duplicates = false;
    config.no_strip = !two_passes;
    if two_passes {
        let all = Stripper::new(&[], true).unwrap().rule_names();
        config.disabled_rules = all
            .into_iter()
            .filter(|&name| name != REPEATED_BLOCK)
            .map(String::from)
            .collect();
        config.repeat_min_documents = usize::MAX;
    }
    let (mut report, mut err) = (Vec::new(), Vec::new());
    let status = dedupe::run(&config, &mut report, &mut err).expect("the run succeeds");
    assert_eq!(status, dedupe::ExitStatus::Success);
    let mut report: Value = serde_json::from_slice(&report).unwrap();
    report.as_object_mut().unwrap().remove("parameters");
    report
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn one_pass_decides_as_two_passes_do(
        docs in prop::collection::vec(document(), 1..40)
    ) {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in");
        fs::create_dir(&input).unwrap();
        for (i, doc) in docs.iter().enumerate() {
            fs::write(input.join(format!("{i:03}.txt")), render(doc)).unwrap();
        }
        let (one, two) = (dir.path().join("one"), dir.path().join("two"));
        let report = clean_exact(&input, &one, false);
        prop_assert_eq!(&report, &clean_exact(&input, &two, true));
        prop_assert_eq!(files(&one), files(&two));
        prop_assert_eq!(files(&one).len(), docs.len());
    }

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

/// Documents drawn from [`document`] with a fixed seed: the same every run.
fn fixed_documents(count: usize) -> Vec<Vec<(Vec<usize>, Option<usize>)>> {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{RngAlgorithm, TestRng, TestRunner};
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]);
    let mut runner = TestRunner::new_with_rng(ProptestConfig::default(), rng);
    (0..count)
        .map(|_| document().new_tree(&mut runner).unwrap().current())
        .collect()
}

/// A corpus of several hundred documents goes through the second pass in
/// many batches, read ahead, decided and written out of step with each
/// other: the report and the cleaned files are those of one thread, and of
/// one pass and two.
#[test]
fn many_batches_decide_as_one_thread_does() {
    let docs = fixed_documents(700);
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    fs::create_dir(&input).unwrap();
    for (i, doc) in docs.iter().enumerate() {
        fs::write(input.join(format!("{i:04}.txt")), render(doc)).unwrap();
    }
    let one = report_for(&input, 1);
    assert_eq!(one, report_for(&input, 2));
    assert_eq!(one, report_for(&input, 5));
    let (once, twice) = (dir.path().join("once"), dir.path().join("twice"));
    let report = clean_exact(&input, &once, false);
    assert_eq!(report, clean_exact(&input, &twice, true));
    assert_eq!(files(&once), files(&twice));
    assert_eq!(files(&once).len(), docs.len());
    // The corpus has copies to decide: the comparison is not of empty
    // reports.
    let report: Value = serde_json::from_slice(&one).unwrap();
    assert!(
        report["summary"]["removed_duplicate_across"]
            .as_u64()
            .unwrap()
            > 100
    );
    assert!(
        report["summary"]["removed_near_duplicate_across"]
            .as_u64()
            .unwrap()
            > 10
    );
}

/// How a document is laid out on disk.
#[derive(Debug, Clone, Copy)]
struct Layout {
    /// What separates paragraphs, in turn (several: mixed line endings).
    separators: &'static [&'static str],
    /// A UTF-8 byte-order mark first.
    bom: bool,
    /// Written in windows-1252 rather than UTF-8.
    legacy: bool,
}

fn layout() -> impl Strategy<Value = Layout> {
    (
        prop::sample::select(vec![
            &["\n\n"][..],
            &["\n"],
            &["\r\n\r\n"],
            &["\r\n"],
            &["\r"],
            &["\n \n\t\n"],
            &["\r", "\n"],
            &["\r\n", "\r", "\n\n", "\r\r"],
        ]),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(separators, bom, legacy)| Layout {
            separators,
            bom: bom && !legacy,
            legacy,
        })
}

fn render_as(doc: &[(Vec<usize>, Option<usize>)], layout: Layout) -> Vec<u8> {
    let paragraphs: Vec<String> = render(doc)
        .split("\n\n")
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect();
    let mut text = String::new();
    for (i, p) in paragraphs.iter().enumerate() {
        text.push_str(p);
        text.push_str(layout.separators[i % layout.separators.len()]);
    }
    if layout.legacy {
        // Every character of SENTENCES is in windows-1252.
        text.chars()
            .map(|c| match c {
                'é' => 0xE9,
                c => u8::try_from(c).expect("ASCII or é"),
            })
            .collect()
    } else if layout.bom {
        [&b"\xEF\xBB\xBF"[..], text.as_bytes()].concat()
    } else {
        text.into_bytes()
    }
}

/// Cleans `input` into `out` with `threads`; returns the report.
fn clean(input: &Path, out: &Path, threads: usize) -> Vec<u8> {
    let mut config = Config::new(vec![input.to_path_buf()]);
    config.mode = Mode::Clean;
    config.output = Some(out.to_path_buf());
    config.report = ReportTarget::Stdout;
    config.threads = threads;
    config.quiet = true;
    let (mut report, mut err) = (Vec::new(), Vec::new());
    let status = dedupe::run(&config, &mut report, &mut err).expect("the run succeeds");
    assert_eq!(status, dedupe::ExitStatus::Success);
    report
}

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn span<'a>(text: &'a str, at: &Value) -> &'a str {
    &text[at["start"].as_u64().unwrap() as usize..at["end"].as_u64().unwrap() as usize]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    /// DESIGN.md's invariants: inputs unchanged; one verdict per paragraph;
    /// spans that slice out what the report says, into the decoded text; the
    /// cleaned copy is the kept paragraphs in order, nothing else but white
    /// space; every duplicate names an earlier copy that was kept; output
    /// identical for 1 and 3 threads; a second run removes nothing more.
    #[test]
    fn the_invariants_hold_in_every_layout(
        docs in prop::collection::vec((document(), layout()), 1..10)
    ) {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in");
        fs::create_dir(&input).unwrap();
        for (i, (doc, layout)) in docs.iter().enumerate() {
            fs::write(input.join(format!("{i:03}.txt")), render_as(doc, *layout)).unwrap();
        }
        let before = files(&input);
        let report_bytes = clean(&input, &dir.path().join("out"), 1);
        prop_assert_eq!(&files(&input), &before);
        let out = files(&dir.path().join("out"));

        let report: Value = serde_json::from_slice(&report_bytes).unwrap();
        let entries = report["documents"].as_array().unwrap();
        prop_assert_eq!(entries.len(), docs.len());
        let texts: BTreeMap<&str, dedupe::read::Text> = entries
            .iter()
            .map(|d| {
                let path = d["path"].as_str().unwrap();
                (path, decode(before[path].clone()).unwrap())
            })
            .collect();
        let removed_at = |path: &str, para: u64| {
            entries
                .iter()
                .find(|d| d["path"] == path)
                .unwrap()["removed"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["paragraph"] == para)
        };
        for (i, entry) in entries.iter().enumerate() {
            let path = entry["path"].as_str().unwrap();
            let t = &texts[path];
            // An encoding is recorded exactly for the files that are not UTF-8.
            prop_assert_eq!(
                entry.get("encoding").is_some(),
                std::str::from_utf8(&before[path]).is_err()
            );
            let spans = segment(&t.text, t.body_start);
            let removed = entry["removed"].as_array().unwrap();
            prop_assert_eq!(entry["paragraphs"].as_u64().unwrap() as usize, spans.len());
            prop_assert_eq!(
                entry["kept"].as_u64().unwrap() as usize + removed.len(),
                spans.len()
            );
            for r in removed {
                let p = r["paragraph"].as_u64().unwrap() as usize;
                let text = span(&t.text, r);
                prop_assert_eq!(text, spans[p].of(&t.text));
                prop_assert_eq!(excerpt(text), r["excerpt"].as_str().unwrap());
                if r["reason"]["kind"] == "duplicate" {
                    let of = &r["reason"]["of"];
                    let of_path = of["path"].as_str().unwrap();
                    let j = entries.iter().position(|d| d["path"] == of_path).unwrap();
                    let of_para = of["paragraph"].as_u64().unwrap();
                    prop_assert!((j, of_para) < (i, p as u64), "{} names a later copy", r);
                    prop_assert!(!removed_at(of_path, of_para), "{} names a removed copy", r);
                    prop_assert_eq!(normalize(span(&texts[of_path].text, of)), normalize(text));
                }
            }
            // The cleaned copy: the kept paragraphs, in order, with only
            // white space (and a byte-order mark) around them.
            let cleaned = String::from_utf8(out[path].clone()).unwrap();
            let mut rest = cleaned.strip_prefix('\u{feff}').unwrap_or(&cleaned);
            for (p, s) in spans.iter().enumerate() {
                if removed.iter().any(|r| r["paragraph"] == p) {
                    continue;
                }
                let kept = s.of(&t.text);
                let at = rest.find(kept).expect("a kept paragraph is in the cleaned copy");
                prop_assert!(rest[..at].trim().is_empty(), "{:?} is not white space", &rest[..at]);
                rest = &rest[at + kept.len()..];
            }
            prop_assert!(rest.trim().is_empty(), "{:?} after the last kept paragraph", rest);
        }

        // Deterministic: the same bytes with three threads.
        prop_assert_eq!(&report_bytes, &clean(&input, &dir.path().join("out3"), 3));
        prop_assert_eq!(&out, &files(&dir.path().join("out3")));

        // Idempotent: cleaning the output again removes nothing.
        let again: Value = serde_json::from_slice(
            &clean(&dir.path().join("out"), &dir.path().join("twice"), 1),
        )
        .unwrap();
        prop_assert_eq!(&again["summary"]["kept"], &again["summary"]["paragraphs"], "{}", again["summary"]);
        prop_assert_eq!(&files(&dir.path().join("twice")), &out);
    }
}
