//! `dedupe explain` through the real binary: from the default report, a named
//! report, a fresh check of the corpus; one paragraph; the errors.

mod common;

use common::{Env, tree};

const DOC: &str = "002_20252095dc0dbcfc.txt";

#[test]
fn explains_a_document_from_the_default_report() {
    let env = Env::new();
    env.copy_fixture("seeds", "seeds");
    env.run(&["-q", "seeds"]).expect(0);
    let run = env.run(&["explain", &format!("seeds/{DOC}")]).expect(0);
    assert_eq!(run.stderr, "explain: reading seeds-clean.report.json\n");
    insta::assert_snapshot!("seeds-002", run.stdout);
    // The report's name works as well as the path, from inside the corpus too.
    let by_name = env.run(&["explain", DOC, "--report", "seeds-clean.report.json"]);
    assert_eq!(by_name.expect(0).stdout, run.stdout);
    let quiet = env
        .run(&["explain", "-q", &format!("seeds/{DOC}")])
        .expect(0);
    assert_eq!((quiet.stdout, quiet.stderr), (run.stdout, String::new()));
}

#[test]
fn one_paragraph_removed_or_kept() {
    let env = Env::new();
    env.copy_fixture("seeds", "seeds");
    env.run(&["-q", "seeds"]).expect(0);
    let path = format!("seeds/{DOC}");
    let removed = env.run(&["explain", &path, "--para", "2"]).expect(0);
    assert_eq!(
        removed.stdout,
        "¶2 bytes 288..344: duplicate of ¶1 (bytes 230..286)\n  \
         \"Series of Coordinated Attacks Target Mali Military Posts\"\n  \
         other copies: ¶1 (kept)\n"
    );
    let kept = env.run(&["explain", &path, "--para", "1"]).expect(0);
    assert_eq!(
        kept.stdout,
        format!("{DOC} ¶1: kept\n  the first copy; removed as copies of it: ¶2\n")
    );
    let alone = env.run(&["explain", &path, "--para", "0"]).expect(0);
    assert!(alone.stdout.contains("no copy of it was removed"));
    let boilerplate = env.run(&["explain", &path, "--para", "9"]).expect(0);
    assert!(
        boilerplate
            .stdout
            .contains(": boilerplate, rule follow-prompt\n"),
        "{}",
        boilerplate.stdout
    );
    assert!(
        boilerplate
            .stdout
            .contains("same text removed by this rule in: ¶14"),
        "{}",
        boilerplate.stdout
    );
}

#[test]
fn near_duplicates_name_the_kept_copy_and_the_other_copies() {
    let env = Env::new();
    env.copy_fixture("scenarios/near-duplicates", "near");
    env.run(&["check", "-q", "near", "--report", "near.json", "--no-html"])
        .expect(1);
    let run = env
        .run(&["explain", "b-rewrites.txt", "--report", "near.json"])
        .expect(0);
    let out = &run.stdout;
    assert!(
        out.starts_with("b-rewrites.txt: 10 paragraphs, 3 kept, 7 removed\n"),
        "{out}"
    );
    assert!(out.contains(
        "¶1 bytes 37..192: near-duplicate of a-original.txt ¶1 (bytes 52..210), similarity 0.963\n"
    ));
    assert!(out.contains("  other copies: a-original.txt ¶1 (kept), d-copy.txt ¶1\n"));
    // An exact copy whose kept paragraph also has near copies lists them all,
    // this document's own as ¶N.
    assert!(out.contains("¶6 bytes 889..1098: duplicate of a-original.txt ¶3 (bytes 370..571)\n"));
    assert!(out.contains("d-copy.txt ¶3, ¶3 (near-duplicate, similarity 0.9167)"));
    // The kept document lists its near-duplicate documents and the copies of
    // its paragraphs.
    let kept = env
        .run(&["explain", "a-original.txt", "--report", "near.json"])
        .expect(0);
    assert!(
        kept.stdout
            .contains("kept; near-duplicate documents: d-copy.txt (similarity 1)"),
        "{}",
        kept.stdout
    );
    assert!(
        kept.stdout.contains(
            "  ¶1: d-copy.txt ¶1, b-rewrites.txt ¶1 (near-duplicate, similarity 0.963)\n"
        )
    );
    let copy = env
        .run(&["explain", "d-copy.txt", "--report", "near.json"])
        .expect(0);
    assert!(copy.stdout.contains(
        "a near-duplicate document of a-original.txt (similarity 1); group kept: a-original.txt"
    ));
}

#[test]
fn checks_the_corpus_when_it_has_no_report() {
    let env = Env::new();
    env.copy_fixture("scenarios/near-duplicates", "near");
    let before = tree(env.dir.path());
    let fresh = env
        .run(&[
            "explain",
            "b-rewrites.txt",
            "--corpus",
            "near",
            "--para",
            "1",
        ])
        .expect(0);
    assert_eq!(
        fresh.stderr,
        "explain: no report at near-clean.report.json; checking near\n"
    );
    assert_eq!(tree(env.dir.path()), before, "nothing written");
    // The same answer as from a report of a clean run.
    env.run(&["-q", "near"]).expect(0);
    let from_report = env
        .run(&["explain", "near/b-rewrites.txt", "--para", "1"])
        .expect(0);
    assert_eq!(from_report.stdout, fresh.stdout);
    // Options of the check apply to the fresh run.
    let exact = env
        .run(&[
            "explain",
            "b-rewrites.txt",
            "--corpus",
            "near",
            "--para",
            "1",
            "--exact",
            "--report",
            "missing.json",
        ])
        .expect(2);
    assert!(exact.stderr.contains("cannot read report missing.json"));
}

#[test]
fn errors_exit_2_with_a_clear_message() {
    let env = Env::new();
    env.copy_fixture("seeds", "seeds");
    env.copy_fixture("scenarios/unreadable", "bad");
    // No report anywhere above the document.
    let run = env.run(&["explain", &format!("seeds/{DOC}")]).expect(2);
    assert!(
        run.stderr.contains("no report found for seeds/002_")
            && run.stderr.contains("--corpus DIR"),
        "{}",
        run.stderr
    );
    env.run(&["-q", "seeds"]).expect(0);
    let run = env.run(&["explain", "seeds/missing.txt"]).expect(2);
    assert!(
        run.stderr.contains(
            "dedupe: error: seeds/missing.txt is not in the report (5 documents); \
             names are relative to the corpus, like 000_b3ff15b0ddc21ea6.txt"
        ),
        "{}",
        run.stderr
    );
    let run = env
        .run(&["explain", "002", "--report", "seeds-clean.report.json"])
        .expect(2);
    assert!(
        run.stderr.contains(&format!("did you mean {DOC}?")),
        "{}",
        run.stderr
    );
    let run = env
        .run(&["explain", &format!("seeds/{DOC}"), "--para", "15"])
        .expect(2);
    assert!(
        run.stderr
            .contains("has 15 paragraphs, numbered from 0: ¶0 to ¶14"),
        "{}",
        run.stderr
    );
    // A file that failed is named with its error.
    env.run(&["-q", "bad", "-o", "bad-out"]).expect(2);
    let run = env
        .run(&["explain", "image.txt", "--report", "bad-out.report.json"])
        .expect(2);
    assert!(
        run.stderr
            .contains("image.txt was not processed: decode failed: NUL byte"),
        "{}",
        run.stderr
    );
    // Not a report.
    let run = env
        .run(&["explain", DOC, "--report", &format!("seeds/{DOC}")])
        .expect(2);
    assert!(
        run.stderr.contains("is not a dedupe JSON report"),
        "{}",
        run.stderr
    );
}

#[test]
fn help_snapshot() {
    let run = Env::new().run(&["explain", "--help"]).expect(0);
    insta::assert_snapshot!("explain-help", run.stdout);
}

#[test]
fn copies_of_an_indexed_corpus_name_it() {
    let env = Env::new();
    let cross = env.copy_fixture("scenarios/cross-document", "all");
    std::fs::create_dir_all(env.path("corpus")).unwrap();
    std::fs::create_dir_all(env.path("drop")).unwrap();
    for (file, to) in [
        ("01-first-report.txt", "corpus"),
        ("02-follow-up.txt", "drop"),
    ] {
        std::fs::copy(cross.join(file), env.path(to).join(file)).unwrap();
    }
    env.run(&["index", "build", "corpus", "-o", "corpus.idx", "-q"])
        .expect(0);
    env.run(&[
        "check",
        "drop",
        "--against",
        "corpus.idx",
        "--report",
        "r.json",
        "-q",
    ])
    .expect(1);
    let run = env
        .run(&["explain", "drop/02-follow-up.txt", "--report", "r.json"])
        .expect(0);
    assert!(
        run.stdout
            .contains(": duplicate of 01-first-report.txt ¶1 of the indexed corpus (bytes "),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("  other copies: 01-first-report.txt ¶1 of the indexed corpus (kept)\n"),
        "{}",
        run.stdout
    );
    // The page shows them as duplicates of the corpus paragraph.
    let html = std::fs::read_to_string(env.path("r.html")).unwrap();
    assert!(
        html.contains(r#"{"k":"corpus-duplicate","path":"01-first-report.txt","para":1}"#),
        "corpus duplicates in the page data"
    );
}
