//! Bad input, faults and interruptions, through the real binary (issue #7).
//!
//! Each bad-input case is put in a drop beside good files; each test checks
//! the message, the exit code, that every other file was processed, and that
//! every input is byte-identical afterwards.

// A skipped case says so in the test log.
#![allow(clippy::print_stderr)]

mod common;

use common::{Env, Run, read_json, tree};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const GOOD: &[(&str, &str)] = &[
    (
        "a-good.txt",
        "Market report\n\nShares rose on Monday after the central bank held rates steady.\n",
    ),
    (
        "z-good.txt",
        "Harbour reopens\n\nThe harbour reopened to ferries on Tuesday after the storm.\n\nShare on Facebook\n",
    ),
];

/// A drop of good files in `env` at `name`.
fn drop_with_good_files(env: &Env, name: &str) -> PathBuf {
    for (file, text) in GOOD {
        env.write(&format!("{name}/{file}"), text);
    }
    env.path(name)
}

/// The stderr line that names `file`, which must be an `error:` line and
/// contain `why`, printed once.
fn error_line<'a>(run: &'a Run, file: &str, why: &str) -> &'a str {
    let lines: Vec<&str> = run.stderr.lines().filter(|l| l.contains(file)).collect();
    assert_eq!(lines.len(), 1, "{file} printed once:\n{}", run.stderr);
    assert!(
        lines[0].starts_with("error: ") && lines[0].contains(why),
        "{file}: expected {why:?} in {:?}",
        lines[0]
    );
    lines[0]
}

/// The report's errors as (path, operation).
fn errors(report: &Value) -> Vec<(String, String)> {
    report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["path"].as_str().unwrap().to_string(),
                e["operation"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The good files were cleaned and written; the summary counts `documents`.
fn good_files_processed(env: &Env, out: &str, documents: u64) {
    let report = read_json(&env.path(&format!("{out}.report.json")));
    assert_eq!(report["summary"]["documents"], documents);
    assert_eq!(
        fs::read_to_string(env.path(&format!("{out}/a-good.txt"))).unwrap(),
        GOOD[0].1
    );
    assert_eq!(
        fs::read_to_string(env.path(&format!("{out}/z-good.txt"))).unwrap(),
        "Harbour reopens\n\nThe harbour reopened to ferries on Tuesday after the storm.\n"
    );
}

/// Hidden leftovers (staging) beside the outputs in `dir`.
fn leftovers(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".dedupe-"))
        .collect()
}

#[test]
fn encodings_are_decoded_and_recorded() {
    let env = Env::new();
    let input = env.copy_fixture("scenarios/encodings", "enc");
    let before = tree(&input);
    env.run(&["enc"]).expect(0);
    let report = read_json(&env.path("enc-clean.report.json"));
    let encodings: BTreeMap<&str, &str> = report["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap(),
                d["encoding"].as_str().unwrap_or("utf-8 (absent)"),
            )
        })
        .collect();
    assert_eq!(
        encodings,
        BTreeMap::from([
            ("latin1.txt", "windows-1252"),
            ("lone-cr.txt", "utf-8 (absent)"),
            ("utf-16be.txt", "utf-16be"),
            ("utf-16le.txt", "utf-16le"),
            ("utf-8-bom.txt", "utf-8 (absent)"),
            ("windows-1252.txt", "windows-1252"),
        ])
    );
    // Cleaned copies are the decoded text, in UTF-8, line endings kept.
    let out = |name: &str| fs::read_to_string(env.path("enc-clean").join(name)).unwrap();
    assert_eq!(
        out("windows-1252.txt"),
        "Mayor\u{2019}s \u{201c}green\u{201d} budget costs \u{20ac}4m\r\n\r\nThe mayor\u{2019}s \
         plan \u{2013} announced on Monday \u{2013} sets aside \u{20ac}4m for cycle lanes and \
         trees.\r\n"
    );
    assert_eq!(
        out("latin1.txt"),
        "Café owners protest new tax\n\nOwners of cafés marched on the town hall.\n"
    );
    assert_eq!(
        out("utf-16be.txt"),
        "Überschwemmung in der Altstadt\n\nDie Feuerwehr pumpte am Samstag die Keller von mehr \
         als dreißig Häusern aus.\n"
    );
    // The same headline in UTF-16LE is a duplicate of the UTF-16BE one.
    assert!(out("utf-16le.txt").starts_with("Die Feuerwehr"));
    assert!(out("utf-8-bom.txt").starts_with('\u{feff}'));
    assert_eq!(
        out("lone-cr.txt"),
        "Old Mac line endings\r\rThis file ends its lines with a carriage return alone, as \
         classic Mac OS did.\r"
    );
    // Offsets are into the decoded text: every removed span slices out the
    // paragraph the report names.
    for doc in report["documents"].as_array().unwrap() {
        let name = doc["path"].as_str().unwrap();
        let text = dedupe::read::decode(before[name].clone()).unwrap().text;
        for r in doc["removed"].as_array().unwrap() {
            let span =
                &text[r["start"].as_u64().unwrap() as usize..r["end"].as_u64().unwrap() as usize];
            assert_eq!(
                dedupe::report::excerpt(span),
                r["excerpt"].as_str().unwrap()
            );
        }
    }
    assert_eq!(tree(&input), before, "inputs unchanged");

    // Idempotent: the output, now UTF-8, loses nothing more.
    env.run(&["check", "enc-clean", "--report", "again.json"])
        .expect(0);
    let again = read_json(&env.path("again.json"));
    assert_eq!(again["summary"]["kept"], again["summary"]["paragraphs"]);
    assert!(
        again["documents"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d.get("encoding").is_none())
    );
}

#[test]
fn binary_files_are_skipped_with_a_reason() {
    let env = Env::new();
    let input = drop_with_good_files(&env, "in");
    fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/scenarios/unreadable/image.txt"),
        input.join("image.txt"),
    )
    .unwrap();
    // No NUL byte, but mostly control bytes: an executable-like blob.
    let blob: Vec<u8> = (0..4096u32).map(|i| (i % 31 + 1) as u8).collect();
    env.write("in/blob.txt", blob);
    // UTF-16 by its byte-order mark, then an unpaired surrogate.
    env.write(
        "in/broken-utf16.txt",
        [0xFF, 0xFE, b'h', 0, 0x00, 0xD8, b'i', 0],
    );
    let before = tree(&input);
    let run = env.run(&["in", "-o", "out"]).expect(2);
    error_line(
        &run,
        "image.txt",
        "decode failed: NUL byte at offset 7: not a text file, skipped",
    );
    error_line(
        &run,
        "blob.txt",
        "control bytes in the first 4096 bytes: not a text file",
    );
    error_line(
        &run,
        "broken-utf16.txt",
        "not valid utf-16le after its byte-order mark",
    );
    good_files_processed(&env, "out", 2);
    assert_eq!(
        errors(&read_json(&env.path("out.report.json"))),
        [
            ("blob.txt".into(), "decode".into()),
            ("broken-utf16.txt".into(), "decode".into()),
            ("image.txt".into(), "decode".into())
        ]
    );
    assert!(!env.path("out/image.txt").exists());
    assert_eq!(tree(&input), before);
}

#[test]
fn empty_and_whitespace_only_files_are_documents() {
    let env = Env::new();
    let input = drop_with_good_files(&env, "in");
    env.write("in/empty.txt", "");
    env.write("in/spaces.txt", " \t\r\n\r\n \u{a0}\n");
    env.write("in/bom-only.txt", "\u{feff}");
    env.write("in/utf16-bom-only.txt", [0xFF, 0xFE]);
    let before = tree(&input);
    env.run(&["in", "-o", "out"]).expect(0);
    good_files_processed(&env, "out", 6);
    let out = tree(&env.path("out"));
    assert_eq!(out["empty.txt"], b"");
    assert_eq!(out["spaces.txt"], before["spaces.txt"]);
    assert_eq!(out["bom-only.txt"], "\u{feff}".as_bytes());
    assert_eq!(out["utf16-bom-only.txt"], b"");
    assert_eq!(tree(&input), before);
}

#[test]
fn files_over_the_size_limit_are_refused() {
    let env = Env::new();
    let input = drop_with_good_files(&env, "in");
    // A sparse file over the default limit of 256 MiB: never read.
    let huge = fs::File::create(input.join("huge.txt")).unwrap();
    huge.set_len(300 << 20).unwrap();
    drop(huge);
    // One line of 3 MiB, no line break: under the limit, kept whole.
    let line = "word ".repeat(600_000) + "end.";
    env.write("in/one-line.txt", &line);
    let run = env.run(&["in", "-o", "out"]).expect(2);
    error_line(
        &run,
        "huge.txt",
        "read failed: 314572800 bytes, over the limit of 268435456 bytes per file, skipped \
         (raise it with --max-file-size)",
    );
    good_files_processed(&env, "out", 3);
    assert_eq!(
        fs::read_to_string(env.path("out/one-line.txt")).unwrap(),
        line
    );

    // A smaller limit, with a suffix.
    let run = env
        .run(&["in", "-o", "out2", "--max-file-size", "2K"])
        .expect(2);
    error_line(
        &run,
        "one-line.txt",
        "over the limit of 2048 bytes per file",
    );
    good_files_processed(&env, "out2", 2);
    let run = env
        .run(&["in", "-o", "out3", "--max-file-size", "2X"])
        .expect(2);
    assert!(run.stderr.contains("unknown unit \"X\""), "{}", run.stderr);
    assert_eq!(
        fs::metadata(input.join("huge.txt")).unwrap().len(),
        300 << 20
    );
}

#[cfg(unix)]
#[test]
fn links_loops_and_unreadable_entries_cost_one_entry_each() {
    use std::os::unix::fs::symlink;
    let env = Env::new();
    let input = drop_with_good_files(&env, "in");
    fs::create_dir(input.join("sub")).unwrap();
    env.write("in/sub/nested.txt", "A nested article about the weather.\n");
    symlink("..", input.join("sub/loop")).unwrap();
    symlink("gone.txt", input.join("dangling.txt")).unwrap();
    let fifo = input.join("pipe.txt");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success(),
        "mkfifo"
    );
    // A file that cannot be read. Permissions do not stop root, so on
    // Linux use a file no one can read from the start: /proc/self/mem.
    let unreadable = input.join("unreadable.txt");
    let (unreadable_why, privileged) = {
        fs::write(&unreadable, "secret\n").unwrap();
        set_mode(&unreadable, 0o000);
        if fs::read(&unreadable).is_err() {
            ("Permission denied", false)
        } else {
            fs::remove_file(&unreadable).unwrap();
            symlink("/proc/self/mem", &unreadable).unwrap();
            ("Input/output error", true)
        }
    };
    if privileged && !cfg!(target_os = "linux") {
        fs::remove_file(&unreadable).unwrap();
    }
    let before = tree(&input);
    let run = env.run(&["in", "-o", "out"]).expect(2);
    error_line(&run, "sub/loop", "walk failed: link loop back to");
    error_line(&run, "dangling.txt", "walk failed: broken link to gone.txt");
    error_line(
        &run,
        "pipe.txt",
        "read failed: not a regular file (a named pipe), skipped",
    );
    if unreadable.symlink_metadata().is_ok() {
        error_line(&run, "unreadable.txt", unreadable_why);
    }
    good_files_processed(&env, "out", 3);
    assert_eq!(
        fs::read_to_string(env.path("out/sub/nested.txt")).unwrap(),
        "A nested article about the weather.\n"
    );
    assert_eq!(tree(&input), before);
    if !privileged {
        set_mode(&unreadable, 0o644);
    }
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

/// Files deleted or changed while a run is under way: each costs itself,
/// named with what happened. The run is caught between its two passes:
/// once the first cleaned file appears in the staging directory, the first
/// pass (which read every file) is over, and the last chunk of the second
/// pass has not been read yet.
#[test]
fn files_that_vanish_or_change_mid_run_are_per_file_errors() {
    let env = Env::new();
    let input = env.path("big");
    common::corpus::generate(&input, 1400, 7);
    let gone = input.join("06/01399.txt");
    let changed = input.join("05/01398.txt");
    let mut before = tree(&input);
    let child = Command::new(env!("CARGO_BIN_EXE_dedupe"))
        .args(["big", "-o", "out", "-j", "1"])
        .current_dir(env.dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let staging = env.path(&format!(".out.dedupe-tmp-{}", child.id()));
    let start = Instant::now();
    let mut seen = false;
    while !seen && start.elapsed() < Duration::from_secs(120) {
        seen = fs::read_dir(&staging)
            .map(|mut d| d.next().is_some())
            .unwrap_or(false);
        std::thread::sleep(Duration::from_millis(1));
    }
    assert!(seen, "the run wrote nothing to {}", staging.display());
    fs::remove_file(&gone).unwrap();
    fs::write(&changed, "Changed under the run.\n").unwrap();
    let run = Run::from(child.wait_with_output().unwrap()).expect(2);
    error_line(
        &run,
        "06/01399.txt",
        "read failed: No such file or directory",
    );
    error_line(
        &run,
        "05/01398.txt",
        "read failed: the file changed while dedupe was running; run again",
    );
    let report = read_json(&env.path("out.report.json"));
    assert_eq!(report["summary"]["documents"], 1398);
    assert_eq!(
        errors(&report),
        [
            ("05/01398.txt".into(), "read".into()),
            ("06/01399.txt".into(), "read".into())
        ]
    );
    assert_eq!(tree(&env.path("out")).len(), 1398);
    // Every other input is as it was.
    before.remove("06/01399.txt");
    before.insert("05/01398.txt".into(), b"Changed under the run.\n".to_vec());
    assert_eq!(tree(&input), before);
}

#[test]
fn outputs_never_overlap_the_input() {
    let env = Env::new();
    let input = drop_with_good_files(&env, "in");
    let before = tree(&input);
    #[cfg(unix)]
    {
        // Through a link to the input.
        std::os::unix::fs::symlink("in", env.path("link")).unwrap();
        let run = env.run(&["in", "-o", "link/out"]).expect(2);
        assert!(run.stderr.contains("is inside input in"), "{}", run.stderr);
    }
    let run = env
        .run(&["in", "-o", "out", "--report", "in/r.json"])
        .expect(2);
    assert!(
        run.stderr.contains("output in/r.json is inside input in"),
        "{}",
        run.stderr
    );
    let run = env.run(&["in/a-good.txt", "-o", "in/a-good.txt"]).expect(2);
    assert!(run.stderr.contains("inside"), "{}", run.stderr);
    let run = env.run(&["in", "-o", "."]).expect(2);
    assert!(
        run.stderr.contains("input in is inside output ."),
        "{}",
        run.stderr
    );
    assert_eq!(tree(&input), before);
    assert!(!env.path("out").exists() && !env.path("out.report.json").exists());
}

#[test]
fn existing_report_needs_force_and_is_replaced_whole() {
    let env = Env::new();
    drop_with_good_files(&env, "in");
    env.write("r.json", "old report");
    let run = env
        .run(&["in", "-o", "out", "--report", "r.json"])
        .expect(2);
    assert!(
        run.stderr
            .contains("report r.json already exists; use --force"),
        "{}",
        run.stderr
    );
    assert_eq!(fs::read(env.path("r.json")).unwrap(), b"old report");
    assert!(!env.path("out").exists(), "nothing written");
    env.run(&["in", "-o", "out", "--report", "r.json", "--force"])
        .expect(0);
    assert_eq!(read_json(&env.path("r.json"))["summary"]["documents"], 2);
    assert!(leftovers(env.dir.path()).is_empty());
}

/// A write that fails for want of space ends the run with exit 2 and the
/// path named, leaving no output and no staging behind.
#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_ends_in_exit_2_with_the_path_named() {
    let env = Env::new();
    let input = drop_with_good_files(&env, "in");
    let before = tree(&input);

    // The report into a device that is always full.
    let run = env
        .run(&["in", "-o", "out", "--report", "/dev/full"])
        .expect(2);
    assert!(
        run.stderr
            .contains("cannot write /dev/full: No space left on device"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert!(!env.path("out").exists(), "no corpus without its report");
    assert!(leftovers(env.dir.path()).is_empty());
    assert!(Path::new("/dev/full").exists());

    // The corpus onto a file system that fills up (needs the right to mount,
    // as root has in CI; skipped otherwise).
    let small = env.path("small");
    fs::create_dir(&small).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
        .arg(&small)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("skipped the full file system: cannot mount a tmpfs here");
        return;
    }
    let unmount = Unmount(small.clone());
    common::corpus::generate(&env.path("bigger"), 200, 3);
    for args in [
        &["bigger", "-o", "small/out"][..],
        &["bigger", "-o", "small/out", "--report", "r.json"][..],
    ] {
        let run = env.run(args).expect(2);
        assert!(
            run.stderr.contains("No space left on device") && run.stderr.contains("small/"),
            "{}",
            run.stderr
        );
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
        assert!(!small.join("out").exists());
        assert_eq!(fs::read_dir(&small).unwrap().count(), 0, "nothing left");
    }
    drop(unmount);
    assert_eq!(tree(&input), before);
}

#[cfg(target_os = "linux")]
struct Unmount(PathBuf);

#[cfg(target_os = "linux")]
impl Drop for Unmount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// Stopped with SIGINT or SIGTERM, a run exits 130 or 143, says that
/// nothing was written, and leaves nothing behind, not even staging.
#[cfg(unix)]
#[test]
fn a_signal_stops_the_run_and_nothing_is_written() {
    let env = Env::new();
    let input = env.path("big");
    common::corpus::generate(&input, 1500, 11);
    let before = tree(&input);
    for (signal, code) in [("INT", 130), ("TERM", 143)] {
        let child = Command::new(env!("CARGO_BIN_EXE_dedupe"))
            .args(["big", "-o", "out", "-j", "2"])
            .current_dir(env.dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Once the staging directory exists the handlers are in place.
        let staging = env.path(&format!(".out.dedupe-tmp-{}", child.id()));
        let start = Instant::now();
        while !staging.exists() && start.elapsed() < Duration::from_secs(60) {
            std::thread::sleep(Duration::from_millis(1));
        }
        std::thread::sleep(Duration::from_millis(50));
        let sent = Command::new("kill")
            .args([format!("-{signal}"), child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
        let run = Run::from(child.wait_with_output().unwrap()).expect(code);
        assert!(
            run.stderr
                .contains(&format!("interrupted by SIG{signal}: "))
                && run.stderr.contains(
                    "inputs had been cleaned; nothing was written (out and out.report.json \
                     left as they were)"
                ),
            "{}",
            run.stderr
        );
        assert!(!env.path("out").exists() && !env.path("out.report.json").exists());
        assert!(
            leftovers(env.dir.path()).is_empty(),
            "{:?}",
            leftovers(env.dir.path())
        );
    }
    assert_eq!(tree(&input), before);
}
