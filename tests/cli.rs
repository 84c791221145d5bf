//! The real binary on small trees: exit codes, outputs, errors, the report.

mod common;

use common::{Env, read_json, removals, tree};
use std::fs;

#[test]
fn exit_codes() {
    let env = Env::new();
    env.copy_fixture("seeds", "seeds");
    env.copy_fixture("scenarios", "scenarios");
    env.write(
        "clean/only.txt",
        "A headline\n\nOne paragraph of an article that has nothing to remove.\n",
    );

    // Clean mode: 0 even with removals.
    env.run(&["seeds"]).expect(0);
    // Check mode: 1 with findings, 0 without, and nothing written.
    let before = tree(env.dir.path());
    env.run(&["check", "seeds"]).expect(1);
    env.run(&["check", "clean"]).expect(0);
    assert_eq!(
        tree(env.dir.path()),
        before,
        "check writes nothing without --report"
    );
    // Errors: 2.
    env.run(&["check", "scenarios/unreadable"]).expect(2);
    env.run(&["scenarios/unreadable", "-o", "out-unreadable"])
        .expect(2);
    env.run(&["does-not-exist"]).expect(2);
    env.run(&["--no-such-flag", "seeds"]).expect(2);
    env.run(&[]).expect(2);
    env.run(&["seeds", "--disable-rule", "no-such-rule", "-o", "x"])
        .expect(2);
    // Help and version: 0.
    env.run(&["--help"]).expect(0);
    env.run(&["--version"]).expect(0);
    env.run(&["rules"]).expect(0);
}

#[test]
fn existing_output_needs_force() {
    let env = Env::new();
    env.copy_fixture("seeds", "seeds");
    env.run(&["seeds"]).expect(0);
    fs::write(env.path("seeds-clean/extra.txt"), "left over").unwrap();
    let run = env.run(&["seeds"]).expect(2);
    assert!(
        run.stderr.contains("already exists; use --force"),
        "{}",
        run.stderr
    );
    assert!(
        env.path("seeds-clean/extra.txt").exists(),
        "nothing replaced without --force"
    );
    env.run(&["seeds", "--force"]).expect(0);
    assert!(
        !env.path("seeds-clean/extra.txt").exists(),
        "--force replaces the whole output"
    );
}

#[test]
fn output_is_never_inside_the_input() {
    let env = Env::new();
    env.copy_fixture("seeds", "seeds");
    let run = env.run(&["seeds", "-o", "seeds/clean"]).expect(2);
    assert!(run.stderr.contains("inside input"), "{}", run.stderr);
    let run = env.run(&["seeds", "-o", "."]).expect(2);
    assert!(run.stderr.contains("inside output"), "{}", run.stderr);
    assert!(!env.path("seeds/clean").exists());
}

#[test]
fn bad_files_cost_only_themselves() {
    let env = Env::new();
    let input = env.copy_fixture("scenarios/unreadable", "drop");
    let before = tree(&input);
    let run = env.run(&["drop", "-o", "out"]).expect(2);
    for (file, why) in [
        ("dangling-link.txt", "broken link to does-not-exist.txt"),
        ("image.txt", "NUL byte at offset 7: not a text file"),
    ] {
        let line = run
            .stderr
            .lines()
            .find(|l| l.contains(file))
            .unwrap_or_else(|| panic!("{file} not named:\n{}", run.stderr));
        assert!(line.starts_with("error: ") && line.contains(why), "{line}");
        assert_eq!(run.stderr.matches(file).count(), 1, "{file} printed once");
    }
    // The good file was processed and written; inputs are untouched.
    assert_eq!(
        fs::read(env.path("out/good.txt")).unwrap(),
        before["good.txt"]
    );
    assert_eq!(tree(&input), before);
    let report = read_json(&env.path("out.report.json"));
    assert_eq!(report["summary"]["documents"], 1);
    assert_eq!(report["summary"]["failed"], 2);
    let errors: Vec<(&str, &str)> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["path"].as_str().unwrap(),
                e["operation"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        [("dangling-link.txt", "walk"), ("image.txt", "decode")]
    );
}

#[test]
fn empty_and_blank_files_pass_through() {
    let env = Env::new();
    env.copy_fixture("scenarios/empty", "empty");
    env.run(&["empty"]).expect(0);
    let out = tree(&env.path("empty-clean"));
    assert_eq!(out["empty.txt"], b"");
    assert_eq!(out["blank.txt"], b"  \n\n\t\n");
    let report = read_json(&env.path("empty-clean.report.json"));
    assert_eq!(report["summary"]["documents"], 3);
    assert_eq!(report["summary"]["paragraphs"], 2);
}

#[test]
fn first_copy_is_kept_across_documents() {
    let env = Env::new();
    env.copy_fixture("scenarios/cross-document", "news");
    env.run(&["news"]).expect(0);
    let report = read_json(&env.path("news-clean.report.json"));
    assert!(removals(&report, "01-first-report.txt").is_empty());
    assert!(removals(&report, "03-unrelated.txt").is_empty());
    // Curly vs straight apostrophe, em dash vs hyphen: still the same paragraph.
    assert_eq!(
        removals(&report, "02-follow-up.txt"),
        [
            (2, "dup:across:01-first-report.txt#1".to_string()),
            (3, "dup:across:01-first-report.txt#2".to_string())
        ]
    );
    let group = &report["duplicate_groups"][0];
    assert_eq!(group["kept"]["path"], "01-first-report.txt");
    assert_eq!(group["copies"][0]["path"], "02-follow-up.txt");
    assert_eq!(report["summary"]["removed_duplicate_across"], 2);
    let out = fs::read_to_string(env.path("news-clean/02-follow-up.txt")).unwrap();
    assert_eq!(
        out,
        "Port authority offers new talks\n\nThe port authority invited union leaders to a meeting on \
         Wednesday, a day earlier than planned.\n\nShipping companies said the delays were costing \
         them millions of dollars a day.\n"
    );
}

#[test]
fn repeats_within_a_document_after_normalisation() {
    let env = Env::new();
    env.copy_fixture("scenarios/exact-repeats", "wire");
    env.run(&["wire"]).expect(0);
    let report = read_json(&env.path("wire-clean.report.json"));
    let doc = "wire-story.txt";
    assert_eq!(
        removals(&report, doc),
        [
            (3, format!("dup:within:{doc}#1")),
            (5, format!("dup:within:{doc}#2")),
            (6, format!("dup:within:{doc}#4"))
        ]
    );
}

#[test]
fn both_paragraph_styles_and_crlf() {
    let env = Env::new();
    env.copy_fixture("scenarios/blank-lines", "b");
    env.run(&["b"]).expect(0);
    let out = tree(&env.path("b-clean"));
    assert_eq!(
        String::from_utf8_lossy(&out["crlf.txt"]),
        "Storm warning for the coast\r\n\r\nForecasters issued a storm warning for the whole coast on \
         Friday.\r\n\r\nFerries between the islands were cancelled until further notice.\r\n"
    );
    let report = read_json(&env.path("b-clean.report.json"));
    // The hard-wrapped paragraph is one paragraph (index 1), the share line goes.
    assert_eq!(
        removals(&report, "hard-wrapped.txt"),
        [(3, "share-buttons".to_string())]
    );
    let wrapped = fs::read_to_string(env.path("b-clean/hard-wrapped.txt")).unwrap();
    assert!(wrapped.contains("on Tuesday\nafter a debate"));
    assert!(wrapped.contains("roads.\n\nThe vote was 21 to 14.\n"));
}

#[test]
fn report_to_stdout_and_summary_to_stderr() {
    let env = Env::new();
    env.copy_fixture("seeds", "seeds");
    let run = env.run(&["check", "seeds", "--report", "-"]).expect(1);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["format_version"], 2);
    assert_eq!(report["parameters"]["mode"], "check");
    assert!(run.stderr.contains("dedupe: 5 documents"), "{}", run.stderr);
    let quiet = env.run(&["check", "-q", "seeds"]).expect(1);
    assert_eq!(quiet.stderr, "");
}

#[test]
fn no_strip_and_disabled_rules() {
    let env = Env::new();
    env.copy_fixture("seeds", "seeds");
    env.run(&["check", "seeds", "--no-strip", "--report", "r1.json"])
        .expect(1);
    let r = read_json(&env.path("r1.json"));
    assert_eq!(r["summary"]["removed_boilerplate"], 0);
    // Without stripping, repeated boilerplate is caught as duplicates: 001's
    // three share lines twice more (6), 002's headline, four paragraphs and
    // second "For more" line (6), 003's second subscribe prompt (1).
    assert_eq!(
        r["summary"]["removed_duplicate_within"], 13,
        "{}",
        r["summary"]
    );
    env.run(&[
        "check",
        "seeds",
        "--disable-rule",
        "share-buttons",
        "--report",
        "r2.json",
    ])
    .expect(1);
    let r = read_json(&env.path("r2.json"));
    assert!(
        r["summary"]["removed_by_rule"]
            .get("share-buttons")
            .is_none()
    );
    assert!(
        !r["parameters"]["rules"]
            .as_array()
            .unwrap()
            .contains(&"share-buttons".into())
    );
}

#[test]
fn extension_filter() {
    let env = Env::new();
    env.write("in/a.txt", "Alpha paragraph.\n");
    env.write("in/b.md", "Beta paragraph.\n");
    env.write("in/c.html", "<p>Gamma</p>\n");
    env.run(&["in", "-o", "o1"]).expect(0);
    assert_eq!(
        tree(&env.path("o1")).keys().collect::<Vec<_>>(),
        ["a.txt", "b.md"]
    );
    env.run(&["in", "-o", "o2", "--ext", "html"]).expect(0);
    assert_eq!(tree(&env.path("o2")).keys().collect::<Vec<_>>(), ["c.html"]);
}

#[test]
fn help_snapshot() {
    let env = Env::new();
    let run = env.run(&["--help"]).expect(0);
    insta::assert_snapshot!("help", run.stdout);
    let run = env.run(&["check", "--help"]).expect(0);
    insta::assert_snapshot!("check-help", run.stdout);
}

#[test]
fn report_snapshot() {
    let env = Env::new();
    env.copy_fixture("seeds", "seeds");
    let run = env.run(&["seeds"]).expect(0);
    let report = fs::read_to_string(env.path("seeds-clean.report.json")).unwrap();
    insta::assert_snapshot!("seeds-report", report);
    insta::assert_snapshot!("seeds-summary", run.stderr);
}
