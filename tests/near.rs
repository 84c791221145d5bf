//! Near-duplicate paragraphs and documents through the real binary, on
//! `fixtures/scenarios/near-duplicates`: one original article, a document
//! that rewrites each of its paragraphs in a different way, a document with
//! a reordered and a partly copied paragraph, and a copy of the whole
//! article.

mod common;

use common::{Env, read_json, removals};

const ORIGINAL: &str = "a-original.txt";

fn near(para: u64) -> String {
    format!("near:across:{ORIGINAL}#{para}")
}

fn dup(para: u64) -> String {
    format!("dup:across:{ORIGINAL}#{para}")
}

fn run(env: &Env, extra: &[&str]) -> serde_json::Value {
    env.copy_fixture("scenarios/near-duplicates", "in");
    let mut args = vec!["check", "in", "--report", "r.json"];
    args.extend_from_slice(extra);
    env.run(&args).expect(1);
    read_json(&env.path("r.json"))
}

#[test]
fn each_kind_of_rewrite_is_found_and_names_the_original() {
    let env = Env::new();
    let report = run(&env, &[]);
    assert_eq!(removals(&report, ORIGINAL), []);
    assert_eq!(
        removals(&report, "b-rewrites.txt"),
        [
            (1, near(1)), // a word changed: "barriers" -> "walls"
            (2, near(2)), // a dateline inserted
            (3, near(3)), // a word deleted
            (4, dup(4)),  // upper case: equal after normalisation
            (5, near(5)), // punctuation changed
            (6, dup(3)),  // curly quotes: equal after normalisation
            (7, near(4)), // two paragraphs merged
        ]
    );
    // Para 8 copies one sentence and is otherwise new; para 9 is new.
    assert_eq!(report["documents"][1]["kept"], 3);
    // Sentences in another order keep every shingle.
    assert_eq!(removals(&report, "c-reordered.txt"), [(3, near(3))]);
}

#[test]
fn similarity_is_the_share_of_words_covered() {
    let env = Env::new();
    let report = run(&env, &[]);
    let removed = &report["documents"][1]["removed"];
    let similarity = |i: usize| removed[i]["reason"]["similarity"].as_f64().unwrap();
    // 27 words, one of them changed.
    assert_eq!(similarity(0), 0.963);
    // Punctuation does not count at all.
    assert_eq!(similarity(4), 1.0);
    assert_eq!(removed[0]["reason"]["scope"], "across");
    assert_eq!(removed[0]["reason"]["of"]["path"], ORIGINAL);
}

#[test]
fn a_copied_document_forms_a_group_with_the_original() {
    let env = Env::new();
    let report = run(&env, &[]);
    let groups = report["document_groups"].as_array().unwrap();
    assert_eq!(groups.len(), 1, "{groups:?}");
    assert_eq!(groups[0]["kept"], ORIGINAL);
    let member = &groups[0]["members"][0];
    assert_eq!(member["path"], "d-copy.txt");
    assert_eq!(member["matches"], ORIGINAL);
    assert_eq!(member["similarity"], 1.0);
    assert_eq!(report["summary"]["duplicate_documents"], 1);
    // Without the flag only its repeated paragraphs go.
    let copy = removals(&report, "d-copy.txt");
    assert_eq!(
        copy[..6],
        (0..6).map(|i| (i, dup(i))).collect::<Vec<_>>()[..]
    );
    assert_eq!(copy[6], (6, "share-buttons".to_string()));
}

#[test]
fn drop_duplicate_documents_removes_the_whole_copy() {
    let env = Env::new();
    let report = run(&env, &["--drop-duplicate-documents"]);
    let copy = removals(&report, "d-copy.txt");
    let mut expected: Vec<(u64, String)> = (0..6).map(|i| (i, format!("doc:{ORIGINAL}"))).collect();
    // Boilerplate is still named as boilerplate.
    expected.push((6, "share-buttons".to_string()));
    assert_eq!(copy, expected);
    assert_eq!(report["summary"]["removed_duplicate_document"], 6);
    // The other documents are decided as before.
    assert_eq!(removals(&report, "b-rewrites.txt").len(), 7);
}

#[test]
fn exact_mode_and_thresholds_change_what_is_found() {
    let env = Env::new();
    let exact = run(&env, &["--exact"]);
    assert_eq!(
        removals(&exact, "b-rewrites.txt"),
        [(4, dup(4)), (6, dup(3))]
    );
    assert_eq!(exact["document_groups"], serde_json::json!([]));
    assert_eq!(
        exact["parameters"]["near_duplicates"],
        serde_json::Value::Null
    );

    let env = Env::new();
    let strict = run(&env, &["--threshold", "0.97"]);
    let found: Vec<u64> = removals(&strict, "b-rewrites.txt")
        .into_iter()
        .map(|(p, _)| p)
        .collect();
    // The word edit (0.963), the dateline (0.931) and the deletion (0.917)
    // stay; copies that cover every word still go.
    assert_eq!(found, [4, 5, 6, 7]);
}

#[test]
fn bad_near_duplicate_settings_are_rejected() {
    let env = Env::new();
    env.copy_fixture("scenarios/near-duplicates", "in");
    for args in [
        ["--threshold", "0"],
        ["--threshold", "1.5"],
        ["--doc-threshold", "x"],
        ["--shingle-width", "0"],
    ] {
        let run = env
            .run(&[&["check", "in"][..], &args[..]].concat())
            .expect(2);
        assert!(run.stderr.contains(args[0]), "{}", run.stderr);
    }
}

#[test]
fn a_short_line_in_several_documents_is_the_template_everywhere() {
    let env = Env::new();
    let body = |lead: &str| format!("{lead}\n\nBack to top\n");
    let housing = "The housing committee met on Monday to approve four hundred new homes.";
    let transport = "Bus fares in the county will rise by ten pence from the start of April.";
    let schools = "Two primary schools in the valley are to merge after a consultation.";
    env.write("three/a.txt", body(housing));
    env.write("three/b.txt", body(transport));
    env.write("three/c.txt", body(schools));
    env.run(&["check", "three", "--report", "three.json"])
        .expect(1);
    let report = read_json(&env.path("three.json"));
    for doc in ["a.txt", "b.txt", "c.txt"] {
        assert_eq!(removals(&report, doc), [(1, "repeated-block".to_string())]);
    }

    // In two documents it is a duplicate: the first copy stays.
    env.write("two/a.txt", body(housing));
    env.write("two/b.txt", body(transport));
    env.run(&["check", "two", "--report", "two.json"]).expect(1);
    let report = read_json(&env.path("two.json"));
    assert_eq!(removals(&report, "a.txt"), []);
    assert_eq!(
        removals(&report, "b.txt"),
        [(1, "dup:across:a.txt#1".to_string())]
    );
    // The number of documents is a setting.
    env.run(&[
        "check",
        "two",
        "--repeat-min-docs",
        "2",
        "--report",
        "two2.json",
    ])
    .expect(1);
    let report = read_json(&env.path("two2.json"));
    assert_eq!(
        removals(&report, "a.txt"),
        [(1, "repeated-block".to_string())]
    );
}

#[test]
fn template_lines_repeat_and_prose_is_a_duplicate_first_copy_kept() {
    let env = Env::new();
    // A footer line of many words but no sentence end is the template; a
    // sentence of prose found in three documents (a syndicated paragraph)
    // is text, kept once.
    let footer = "Home | About us | Contact | Advertise with us | Terms of use | Privacy";
    let wire = "The agency said the talks would resume in Geneva next week, according to a statement released on Sunday evening.";
    let leads = [
        "The housing committee met on Monday to approve four hundred new homes.",
        "Bus fares in the county will rise by ten pence from the start of April.",
        "Two primary schools in the valley are to merge after a consultation.",
    ];
    for (name, lead) in ["a.txt", "b.txt", "c.txt"].iter().zip(leads) {
        env.write(
            &format!("drop/{name}"),
            format!("{lead}\n\n{wire}\n\n{footer}\n"),
        );
    }
    env.run(&["check", "drop", "--report", "drop.json"])
        .expect(1);
    let report = read_json(&env.path("drop.json"));
    assert_eq!(
        removals(&report, "a.txt"),
        [(2, "repeated-block".to_string())]
    );
    for doc in ["b.txt", "c.txt"] {
        assert_eq!(
            removals(&report, doc),
            [
                (1, "dup:across:a.txt#1".to_string()),
                (2, "repeated-block".to_string())
            ]
        );
    }
    // Switched off, the footer is an ordinary duplicate.
    env.run(&[
        "check",
        "drop",
        "--disable-rule",
        "repeated-block",
        "--report",
        "off.json",
    ])
    .expect(1);
    let report = read_json(&env.path("off.json"));
    assert_eq!(removals(&report, "a.txt"), []);
    assert_eq!(
        removals(&report, "c.txt"),
        [
            (1, "dup:across:a.txt#1".to_string()),
            (2, "dup:across:a.txt#2".to_string())
        ]
    );
}

#[test]
fn copies_of_one_article_count_once_for_the_template_signal() {
    let env = Env::new();
    let article = "Storm Closes Coastal Road\n\n\
        The coastal road between the two harbour towns was closed on Tuesday after the storm washed away part of the sea wall and left rocks across both lanes.\n\n\
        Engineers from the county council said the road would stay shut for at least a week while they checked the foundations of the wall and the bridge beyond it.\n\n\
        Buses will run on the inland route in the meantime, which adds about twenty minutes to the journey, the operator said in a statement on its website.\n";
    for name in ["a.txt", "b.txt", "c.txt"] {
        env.write(&format!("copies/{name}"), article);
    }
    env.run(&["check", "copies", "--report", "copies.json"])
        .expect(1);
    let report = read_json(&env.path("copies.json"));
    // The headline is a duplicate of the first copy, which keeps it.
    assert_eq!(removals(&report, "a.txt"), []);
    let b = removals(&report, "b.txt");
    assert_eq!(b[0], (0, "dup:across:a.txt#0".to_string()));
    assert!(
        b.iter().all(|(_, reason)| reason != "repeated-block"),
        "{b:?}"
    );
}
