//! The HTML report: where it is written, that it is self-contained and
//! deterministic, and what a person sees once headless Chromium has run its
//! script (summary numbers, highlighted paragraphs with their reasons, links
//! that reach the kept copy across pages, one page of documents at a time
//! for a large corpus).
//!
//! The browser tests need `/usr/bin/chromium` (Debian's `chromium`, which
//! `.ci/run` installs; `DEDUPE_CHROMIUM` names another binary). Without it
//! they print why and pass, so `cargo test` works on any machine; CI sets
//! `DEDUPE_REQUIRE_CHROMIUM`, which makes a missing browser a failure.

// A skipped browser test says so, and the large-corpus test prints its measures.
#![allow(clippy::print_stderr)]

mod common;

use common::{Env, read_json};
use regex::Regex;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn written_beside_the_json_report_unless_switched_off() {
    let env = Env::new();
    env.copy_fixture("seeds", "seeds");
    let run = env.run(&["seeds"]).expect(0);
    assert!(env.path("seeds-clean.report.html").is_file());
    assert!(
        run.stderr
            .contains("html report:    seeds-clean.report.html")
    );
    // An existing HTML report is replaced only with --force.
    fs::remove_file(env.path("seeds-clean.report.json")).unwrap();
    fs::remove_dir_all(env.path("seeds-clean")).unwrap();
    let run = env.run(&["seeds"]).expect(2);
    assert!(
        run.stderr
            .contains("seeds-clean.report.html already exists"),
        "{}",
        run.stderr
    );
    env.run(&["seeds", "-o", "plain", "--no-html"]).expect(0);
    assert!(env.path("plain.report.json").is_file());
    assert!(!env.path("plain.report.html").exists());
    // check: beside a --report FILE, never for stdout or no report.
    env.run(&["check", "seeds", "--report", "r.json"]).expect(1);
    assert!(env.path("r.html").is_file());
    env.run(&["check", "seeds", "--report", "r2.json", "--no-html"])
        .expect(1);
    assert!(!env.path("r2.html").exists());
    let files = fs::read_dir(env.dir.path()).unwrap().count();
    env.run(&["check", "seeds", "--report", "-"]).expect(1);
    env.run(&["check", "seeds"]).expect(1);
    assert_eq!(fs::read_dir(env.dir.path()).unwrap().count(), files);
}

#[test]
fn self_contained_and_deterministic() {
    let env = Env::new();
    env.copy_fixture("seeds", "seeds");
    env.write("seeds/zz-markup.txt", "<b>Bold</b> claims </script><script>alert(1)</script> made here today.\n\n<!-- a comment --> and more & more.\n");
    env.run(&["seeds", "-o", "a", "-j", "1"]).expect(0);
    env.run(&["seeds", "-o", "b", "-j", "4"]).expect(0);
    let a = fs::read_to_string(env.path("a.report.html")).unwrap();
    let b = fs::read_to_string(env.path("b.report.html")).unwrap();
    assert!(a == b, "same input, same bytes, any thread count");
    // Nothing is fetched: no URL, no external script, style or image.
    for needle in ["http:", "https:", "src=", "<link", "@import", "url("] {
        assert!(!a.contains(needle), "the page refers to {needle}");
    }
    // Every data block is JSON that no text can end early: exactly the
    // blocks the page declares, each parsed back whole.
    let blocks = Regex::new(r#"(?s)<script type="application/json"[^>]*>(.*?)</script>"#).unwrap();
    let mut documents = 0;
    for block in blocks.captures_iter(&a) {
        let value: serde_json::Value = serde_json::from_str(&block[1]).unwrap();
        if block[0].contains("dd-chunk") {
            documents += value.as_array().unwrap().len();
        }
    }
    assert_eq!(documents, 6);
    assert_eq!(
        a.matches("<script").count(),
        blocks.find_iter(&a).count() + 1
    );
    let text = r#"<b>Bold</b> claims </script><script>alert(1)</script> made here today."#;
    assert!(a.contains(&serde_json::to_string(text).unwrap().replace('<', "\\u003c")));
}

/// The page's data blocks: the document index and the documents.
fn page_data(html: &str) -> (Vec<serde_json::Value>, Vec<serde_json::Value>) {
    let blocks =
        Regex::new(r#"(?s)<script type="application/json" ([^>]*)>(.*?)</script>"#).unwrap();
    let (mut index, mut documents) = (Vec::new(), Vec::new());
    for block in blocks.captures_iter(html) {
        let value: serde_json::Value = serde_json::from_str(&block[2]).unwrap();
        let items = value.as_array().unwrap().clone();
        if &block[1] == r#"id="dd-index""# {
            index = items;
        } else if block[1].contains("dd-chunk") {
            documents.extend(items);
        }
    }
    (index, documents)
}

#[test]
fn the_page_shows_the_input_text_and_the_reports_verdicts() {
    let env = Env::new();
    env.copy_fixture("seeds", "corpus/seeds");
    env.copy_fixture("scenarios/near-duplicates", "corpus/near");
    env.copy_fixture("scenarios/cross-document", "corpus/cross");
    env.copy_fixture("scenarios/blank-lines", "corpus/blank");
    env.run(&["corpus", "-o", "out"]).expect(0);
    let report = read_json(&env.path("out.report.json"));
    let html = fs::read_to_string(env.path("out.report.html")).unwrap();
    let (index, documents) = page_data(&html);
    let reported = report["documents"].as_array().unwrap();
    assert_eq!(index.len(), reported.len());
    assert_eq!(documents.len(), reported.len());
    let path_of = |n: &serde_json::Value| {
        let row = index.iter().find(|r| &r["n"] == n).unwrap();
        row["path"].as_str().unwrap().to_string()
    };
    for ((row, doc), entry) in index.iter().zip(&documents).zip(reported) {
        assert_eq!(row["n"], doc["n"]);
        assert_eq!(row["path"], entry["path"]);
        assert_eq!(row["paras"], entry["paragraphs"]);
        assert_eq!(row["kept"], entry["kept"]);
        let file = fs::read(env.path("corpus").join(entry["path"].as_str().unwrap())).unwrap();
        let paras = doc["p"].as_array().unwrap();
        assert_eq!(paras.len() as u64, entry["paragraphs"].as_u64().unwrap());
        let mut removed = entry["removed"].as_array().unwrap().iter();
        for (k, p) in paras.iter().enumerate() {
            let (start, end) = (
                p[0].as_u64().unwrap() as usize,
                p[1].as_u64().unwrap() as usize,
            );
            // The text shown is the input's bytes at the paragraph's span.
            assert_eq!(p[2].as_str().unwrap().as_bytes(), &file[start..end]);
            let why = &p[3];
            if why.is_null() {
                continue;
            }
            // Each highlighted paragraph is a removal of the report, for the
            // same reason and pointing at the same kept copy.
            let r = removed.next().expect("a removal in the report");
            assert_eq!(
                (r["paragraph"].as_u64(), r["start"].as_u64()),
                (Some(k as u64), Some(start as u64))
            );
            let reason = &r["reason"];
            assert_eq!(why["k"], reason["kind"]);
            match why["k"].as_str().unwrap() {
                "boilerplate" => assert_eq!(why["rule"], reason["rule"]),
                "duplicate" | "near-duplicate" => {
                    assert_eq!(path_of(&why["doc"]), reason["of"]["path"].as_str().unwrap());
                    assert_eq!(why["para"], reason["of"]["paragraph"]);
                    if why["k"] == "near-duplicate" {
                        assert_eq!(why["sim"], reason["similarity"]);
                    }
                }
                other => panic!("unexpected {other}"),
            }
        }
        assert!(removed.next().is_none(), "every removal is highlighted");
    }
}

/// Chromium, if this machine has it.
fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("DEDUPE_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    if path.is_file() {
        Some(path)
    } else if std::env::var_os("DEDUPE_REQUIRE_CHROMIUM").is_some() {
        panic!(
            "no Chromium at {}, and DEDUPE_REQUIRE_CHROMIUM is set",
            path.display()
        );
    } else {
        eprintln!(
            "skipped: no Chromium at {} (install Debian's `chromium`, as .ci/run does, or set \
             DEDUPE_CHROMIUM)",
            path.display()
        );
        None
    }
}

/// The DOM of `page` (with `suffix`, a query and/or fragment) after its
/// script has run, from headless Chromium.
fn dump_dom(chromium: &Path, page: &Path, suffix: &str) -> String {
    let profile = tempfile::tempdir().unwrap();
    let url = format!("file://{}{suffix}", page.canonicalize().unwrap().display());
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--virtual-time-budget=5000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(&url)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A browser that hangs fails the test instead of stalling the suite;
    // its output is read meanwhile, so a large DOM cannot block it.
    let read = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            pipe.read_to_end(&mut bytes).map(|_| bytes)
        })
    };
    let stdout = read(Box::new(child.stdout.take().unwrap()));
    let stderr = read(Box::new(child.stderr.take().unwrap()));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("chromium took over 2 minutes on {url}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let (stdout, stderr) = (
        stdout.join().unwrap().unwrap(),
        stderr.join().unwrap().unwrap(),
    );
    assert!(status.success(), "chromium failed on {url}");
    let dom = String::from_utf8(stdout).unwrap();
    assert!(
        dom.contains("data-render-ms="),
        "the script did not finish on {url}:\n{}",
        String::from_utf8_lossy(&stderr)
    );
    dom
}

fn count(dom: &str, pattern: &str) -> usize {
    Regex::new(pattern).unwrap().find_iter(dom).count()
}

/// The value of summary card `name`.
fn card(dom: &str, name: &str) -> String {
    let re = format!(r#"<div class="card" id="card-{name}"><b class="value">([^<]*)</b>"#);
    Regex::new(&re).unwrap().captures(dom).unwrap()[1].to_string()
}

/// The class of the element with `id`.
fn class_of(dom: &str, id: &str) -> Option<String> {
    let re = format!(r#"class="([^"]*)" id="{id}""#);
    Regex::new(&re)
        .unwrap()
        .captures(dom)
        .map(|c| c[1].to_string())
}

#[test]
fn seeds_in_chromium() {
    let Some(chromium) = chromium() else { return };
    let env = Env::new();
    env.copy_fixture("seeds", "seeds");
    env.run(&["seeds"]).expect(0);
    let report = read_json(&env.path("seeds-clean.report.json"));
    let page = env.path("seeds-clean.report.html");
    let dom = dump_dom(&chromium, &page, "");

    // The summary a person reads.
    assert_eq!(card(&dom, "documents"), "5");
    assert_eq!(card(&dom, "paragraphs"), "68");
    assert_eq!(card(&dom, "kept"), "36");
    assert_eq!(card(&dom, "removed"), "32");
    assert_eq!(card(&dom, "bytes-removed"), "16.5%");
    assert!(dom.contains(r#"<span class="label">share-buttons</span>"#));

    // Every document on the first page, every removed paragraph highlighted
    // with its reason: as many marks per reason as the report has removals.
    assert_eq!(count(&dom, r#"<article class="doc" id="d\d+""#), 5);
    assert_eq!(count(&dom, r#"<mark class="text""#), 32);
    let by_rule = report["summary"]["removed_by_rule"].as_object().unwrap();
    for (rule, n) in by_rule {
        let marks = count(
            &dom,
            &format!(r#"<mark class="text" data-kind="boilerplate" data-reason="{rule}">"#),
        );
        assert_eq!(marks as u64, n.as_u64().unwrap(), "{rule}");
    }
    assert_eq!(count(&dom, r#"data-kind="duplicate""#), 5);
    // 002's ¶2 is a copy of its ¶1: highlighted, saying so, linked to ¶1,
    // which is on the page, kept, and links back.
    let doc = report["documents"]
        .as_array()
        .unwrap()
        .iter()
        .position(|d| d["path"] == "002_20252095dc0dbcfc.txt")
        .unwrap();
    assert_eq!(
        class_of(&dom, &format!("d{doc}-p2")).unwrap(),
        "para removed k-duplicate"
    );
    assert!(dom.contains(&format!(
        r##"<span class="reason">duplicate</span> of <a href="#d{doc}-p1" class="to-kept">¶1 of this document</a>"##
    )));
    assert_eq!(class_of(&dom, &format!("d{doc}-p1")).unwrap(), "para kept");
    // Every link into the documents lands on an element of the page.
    let links = Regex::new(r##"href="#(d\d+(?:-p\d+)?)""##).unwrap();
    let mut n = 0;
    for link in links.captures_iter(&dom) {
        assert!(
            dom.contains(&format!(r#"id="{}""#, &link[1])),
            "link to #{} leads nowhere",
            &link[1]
        );
        n += 1;
    }
    assert!(n >= 10, "{n} links");

    // The repeated paragraphs: each group names the kept copy, with its
    // text, and the copies removed, all linked.
    let dom = dump_dom(&chromium, &page, "?tab=groups");
    assert_eq!(count(&dom, r#"<div class="group">"#), 5);
    assert!(dom.contains(&format!(
        r##"kept: <a href="#d{doc}-p1" class="to-kept">002_20252095dc0dbcfc.txt ¶1</a> · 1 copy removed</div><div class="excerpt">Series of Coordinated Attacks Target Mali Military Posts</div>"##
    )));
    assert!(dom.contains(&format!(
        r##"<li>removed: <a href="#d{doc}-p2" class="to-kept">002_20252095dc0dbcfc.txt ¶2</a></li>"##
    )));

    // Filtering by reason: only the documents with that rule, its
    // paragraphs highlighted, the others dimmed.
    let dom = dump_dom(&chromium, &page, "?filter=boilerplate:cookie-banner");
    assert_eq!(count(&dom, r#"<article class="doc""#), 1);
    assert_eq!(count(&dom, r#"class="para removed k-boilerplate" id"#), 1);
    assert!(count(&dom, r#"class="para removed k-boilerplate dim""#) > 0);
}

#[test]
fn links_reach_the_kept_copy_on_another_page() {
    let Some(chromium) = chromium() else { return };
    let env = Env::new();
    env.copy_fixture("scenarios/near-duplicates", "near");
    env.run(&["near"]).expect(0);
    let page = env.path("near-clean.report.html");
    // One document a page: b-rewrites (document 1) is on page 2; its
    // near-duplicate ¶1 names its similarity and links to a-original ¶1,
    // which is not on this page.
    let dom = dump_dom(&chromium, &page, "?per=1&page=2");
    assert_eq!(count(&dom, r#"<article class="doc" id="d1""#), 1);
    assert_eq!(count(&dom, r#"<article class="doc""#), 1);
    assert_eq!(
        class_of(&dom, "d1-p1").unwrap(),
        "para removed k-near-duplicate"
    );
    assert!(dom.contains(
        r##"<span class="reason">near-duplicate</span> (similarity 0.963) of <a href="#d0-p1" class="to-kept">a-original.txt ¶1</a>"##
    ));
    assert!(!dom.contains(r#"id="d0-p1""#));
    assert!(dom.contains("page 2 of 4"));
    // Following the link: page 1 is shown and the kept paragraph marked.
    let dom = dump_dom(&chromium, &page, "?per=1&page=2#d0-p1");
    assert_eq!(count(&dom, r#"<article class="doc" id="d0""#), 1);
    assert_eq!(class_of(&dom, "d0-p1").unwrap(), "para kept target");
    assert!(dom.contains("page 1 of 4"));
    // The kept paragraph lists the copies removed, with links back.
    assert!(dom.contains(r##"<a href="#d3-p1" class="to-kept">d-copy.txt ¶1</a>"##));
    // d-copy is a near-duplicate document of a-original, and says so.
    let dom = dump_dom(&chromium, &page, "#d3");
    assert!(dom.contains(
        r##"Near-duplicate document (similarity 1) of <a href="#d0" class="to-kept">a-original.txt</a>"##
    ));
}

#[test]
fn a_large_corpus_renders_one_page() {
    let Some(chromium) = chromium() else { return };
    let env = Env::new();
    // 2,000 articles of about 2 KB of pseudo-random prose, each ending in a
    // share line, every tenth repeating a paragraph of an earlier one.
    for i in 0..2000 {
        let mut text = format!("{}\n\n", prose(i, 0, 8));
        for k in 1..=6 {
            text.push_str(&prose(i, k, 50));
            text.push_str("\n\n");
        }
        if i % 10 == 9 {
            text.push_str(&prose(i - 9, 2, 50));
            text.push_str("\n\n");
        }
        text.push_str("Share this article on Facebook\n");
        env.write(&format!("big/{i:04}.txt"), text);
    }
    env.run(&["-q", "big"]).expect(0);
    let page = env.path("big-clean.report.html");
    let size = fs::metadata(&page).unwrap().len();
    let started = Instant::now();
    let dom = dump_dom(&chromium, &page, "");
    let took = started.elapsed();
    let render = Regex::new(r#"data-render-ms="(\d+)""#)
        .unwrap()
        .captures(&dom)
        .unwrap()[1]
        .to_string();
    eprintln!(
        "2,000 documents: report.html {size} bytes, DOM {} bytes, script {render} ms, \
         Chromium run {took:?}",
        dom.len()
    );
    assert_eq!(card(&dom, "documents"), "2000");
    // One page of documents in the DOM, the rest waiting in data blocks.
    assert_eq!(count(&dom, r#"<article class="doc""#), 20);
    assert!(dom.contains("page 1 of 100 · 2000 documents"));
    // The last document is reachable: its page renders on demand.
    let dom = dump_dom(&chromium, &page, "#d1999-p1");
    assert!(class_of(&dom, "d1999-p1").unwrap().ends_with(" target"));
    assert!(dom.contains("page 100 of 100"));
    assert!(size < 8 << 20, "{size} bytes");
}

/// `words` words of made-up prose, the same for the same `(doc, para)`.
fn prose(doc: u64, para: u64, words: usize) -> String {
    const VOCABULARY: [&str; 48] = [
        "council", "river", "minister", "market", "season", "vote", "school", "budget", "storm",
        "harbour", "train", "farmers", "court", "museum", "police", "election", "bridge", "price",
        "report", "village", "hospital", "energy", "league", "festival", "the", "of", "and", "to",
        "in", "a", "was", "said", "on", "for", "with", "after", "new", "last", "week", "year",
        "city", "plan", "union", "talks", "record", "local", "night", "water",
    ];
    let mut state = (doc * 1_000 + para + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let mut out: Vec<&str> = Vec::with_capacity(words);
    for _ in 0..words {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        out.push(VOCABULARY[(state % VOCABULARY.len() as u64) as usize]);
    }
    let mut text = out.join(" ");
    text[..1].make_ascii_uppercase();
    text.push('.');
    text
}

#[test]
fn copies_of_an_indexed_corpus_in_chromium() {
    let Some(chromium) = chromium() else { return };
    let env = Env::new();
    let cross = env.copy_fixture("scenarios/cross-document", "all");
    fs::create_dir_all(env.path("corpus")).unwrap();
    fs::create_dir_all(env.path("drop")).unwrap();
    for (file, to) in [
        ("01-first-report.txt", "corpus"),
        ("02-follow-up.txt", "drop"),
    ] {
        fs::copy(cross.join(file), env.path(to).join(file)).unwrap();
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
    let dom = dump_dom(&chromium, &env.path("r.html"), "");
    assert_eq!(class_of(&dom, "d0-p2").unwrap(), "para removed k-duplicate");
    assert!(dom.contains(
        r#"<span class="reason">duplicate</span> of <code>01-first-report.txt ¶1</code> in the indexed corpus"#
    ));
    assert!(dom.contains(r#"<span class="label">duplicate, indexed corpus</span>"#));
}
