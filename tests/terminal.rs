//! The real binary for people at a terminal: colour, `-v` and `-q`, no
//! progress drawn on a pipe, shell completions and the man page.

mod common;

use common::Env;
use std::process::Command;

const ESC: char = '\x1b';

/// `s` without ANSI escape sequences (`ESC [ ... letter`).
fn strip_ansi(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == ESC {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `n` small articles that share a closing line and a share row.
fn many_articles(env: &Env, n: usize) {
    for i in 0..n {
        env.write(
            &format!("many/{i:04}.txt"),
            format!(
                "Headline number {i} of the day\n\nThe council met on day {i} to discuss the \
                 budget for the coming year and the repairs to the bridge.\n\nShare on \
                 Facebook\n\nReporting by the news desk, with contributions from our staff.\n"
            ),
        );
    }
}

#[test]
fn piped_stderr_is_plain_and_no_color_is_honoured() {
    let env = Env::new();
    env.copy_fixture("scenarios/unreadable", "drop");
    for vars in [&[][..], &[("NO_COLOR", "1")][..]] {
        let run = env
            .run_with_env(&["check", "drop", "--color", "auto"], vars)
            .expect(2);
        assert!(!run.stderr.contains(ESC), "{vars:?}: {:?}", run.stderr);
        assert!(run.stderr.contains("error: "), "{}", run.stderr);
        assert!(run.stderr.contains("dedupe: 1 documents"), "{}", run.stderr);
    }
    // An empty NO_COLOR does not count (no-color.org), but a pipe is still
    // not a terminal.
    let run = env
        .run_with_env(&["check", "drop"], &[("NO_COLOR", "")])
        .expect(2);
    assert!(!run.stderr.contains(ESC), "{:?}", run.stderr);
    // CLICOLOR_FORCE asks for colour even on a pipe; NO_COLOR overrides it.
    let forced = env
        .run_with_env(&["check", "drop"], &[("CLICOLOR_FORCE", "1")])
        .expect(2);
    assert!(forced.stderr.contains(ESC), "{:?}", forced.stderr);
    let run = env
        .run_with_env(
            &["check", "drop"],
            &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")],
        )
        .expect(2);
    assert!(!run.stderr.contains(ESC), "{:?}", run.stderr);
}

#[test]
fn color_always_and_never() {
    let env = Env::new();
    env.copy_fixture("scenarios/unreadable", "drop");
    let plain = env
        .run_with_env(&["check", "drop", "--color", "never"], &[])
        .expect(2);
    assert!(!plain.stderr.contains(ESC));
    // An explicit --color always wins over NO_COLOR.
    let colored = env
        .run_with_env(
            &["check", "drop", "--color", "always"],
            &[("NO_COLOR", "1")],
        )
        .expect(2);
    assert!(
        colored.stderr.contains("\x1b[1mdedupe: 1 documents"),
        "{:?}",
        colored.stderr
    );
    let error_line = colored
        .stderr
        .lines()
        .find(|l| l.contains("image.txt"))
        .unwrap();
    assert!(error_line.starts_with(ESC), "{error_line:?}");
    // Colour changes no text.
    assert_eq!(strip_ansi(&colored.stderr), plain.stderr);
    // The binary's own error lines too.
    let run = env
        .run_with_env(&["no-such-input", "--color", "always"], &[])
        .expect(2);
    assert!(run.stderr.starts_with("dedupe: \x1b["), "{:?}", run.stderr);
    assert_eq!(
        strip_ansi(&run.stderr),
        env.run_with_env(&["no-such-input"], &[]).expect(2).stderr
    );
    let run = env
        .run_with_env(&["check", "drop", "--color", "sometimes"], &[])
        .expect(2);
    assert!(run.stderr.contains("possible values"), "{}", run.stderr);
}

#[test]
fn verbose_says_more_and_quiet_says_nothing() {
    let env = Env::new();
    env.copy_fixture("seeds", "seeds");
    let normal = env.run(&["check", "seeds", "-j", "2"]).expect(1);
    let verbose = env.run(&["check", "seeds", "-j", "2", "-v"]).expect(1);
    let extra: Vec<&str> = verbose
        .stderr
        .lines()
        .filter(|l| !normal.stderr.contains(l))
        .collect();
    assert_eq!(extra.len(), 4, "{}", verbose.stderr);
    assert_eq!(extra[0], "dedupe: 2 worker threads");
    for (line, label) in extra[1..].iter().zip(["reading", "comparing", "deciding"]) {
        let prefix = format!("dedupe: {label:<10} 5 documents in ");
        assert!(line.starts_with(&prefix), "{line}");
        let (time, memory) = match line[prefix.len()..].split_once(" s, ") {
            Some((time, memory)) => (time, Some(memory)),
            None => (line[prefix.len()..].strip_suffix(" s").unwrap_or(""), None),
        };
        assert!(time.parse::<f64>().is_ok(), "{line}");
        // On Linux, the memory now and the peak so far, from /proc.
        if cfg!(target_os = "linux") {
            let memory = memory.unwrap_or_else(|| panic!("no memory in {line}"));
            let numbers: Vec<u64> = memory
                .split(|c: char| !c.is_ascii_digit())
                .filter(|n| !n.is_empty())
                .map(|n| n.parse().unwrap())
                .collect();
            assert_eq!(
                memory,
                format!("{} MB in memory (peak {} MB)", numbers[0], numbers[1]),
                "{line}"
            );
            assert!(numbers[0] > 0 && numbers[0] <= numbers[1], "{line}");
        }
    }
    // The extra lines come first; the summary is unchanged after them.
    assert!(verbose.stderr.ends_with(&normal.stderr));
    let one = env
        .run(&["check", "seeds", "-j", "1", "--verbose"])
        .expect(1);
    assert!(
        one.stderr.starts_with("dedupe: 1 worker thread\n"),
        "{}",
        one.stderr
    );

    assert_eq!(env.run(&["check", "seeds", "-q"]).expect(1).stderr, "");
    for args in [
        &["check", "seeds", "-q", "-v"][..],
        &["seeds", "--quiet", "--verbose"],
    ] {
        let run = env.run(args).expect(2);
        assert!(run.stderr.contains("cannot be used with"), "{}", run.stderr);
    }
}

#[test]
fn no_progress_on_a_pipe() {
    let env = Env::new();
    many_articles(&env, 600);
    let run = env.run(&["many", "-v"]).expect(0);
    assert!(!run.stderr.contains('\r'), "{:?}", run.stderr);
    assert!(!run.stderr.contains(ESC), "{:?}", run.stderr);
    for line in run.stderr.lines() {
        assert!(
            line.starts_with("dedupe: ") || line.starts_with("  "),
            "{line:?}"
        );
    }
    assert!(
        run.stderr.contains("deciding   600 documents in"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty());
}

#[test]
fn bash_completions_name_the_commands_and_flags() {
    let env = Env::new();
    let run = env.run(&["completions", "bash"]).expect(0);
    let script = run.stdout;
    assert!(script.contains("complete -F _dedupe"), "{script}");
    for word in [
        "check",
        "rules",
        "completions",
        "man",
        "--out",
        "--force",
        "--report",
        "--disable-rule",
        "--threshold",
        "--quiet",
        "--verbose",
        "--color",
        "--threads",
    ] {
        assert!(script.contains(word), "{word} missing");
    }
    // The values of --color and of the completions' shell are offered.
    assert!(script.contains("auto always never"), "{script}");
    assert!(
        script.contains("bash elvish fish powershell zsh"),
        "{script}"
    );
    if let Ok(out) = Command::new("bash")
        .arg("-n")
        .arg("-c")
        .arg(&script)
        .output()
    {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn completions_for_every_shell() {
    let env = Env::new();
    for (shell, marker, verbose) in [
        ("zsh", "#compdef dedupe", "--verbose"),
        ("fish", "complete -c dedupe", "-l verbose"),
        (
            "elvish",
            "edit:completion:arg-completer[dedupe]",
            "--verbose",
        ),
        ("powershell", "Register-ArgumentCompleter", "--verbose"),
    ] {
        let run = env.run(&["completions", shell]).expect(0);
        assert!(run.stdout.contains(marker), "{shell}: {}", run.stdout);
        assert!(run.stdout.contains(verbose), "{shell}");
    }
    let run = env.run(&["completions", "tcsh"]).expect(2);
    assert!(run.stderr.contains("possible values"), "{}", run.stderr);
}

#[test]
fn man_page_is_roff_with_the_name_and_options() {
    let env = Env::new();
    let page = env.run(&["man"]).expect(0).stdout;
    assert!(page.contains(".TH dedupe 1"), "{page}");
    for section in [
        ".SH NAME",
        ".SH SYNOPSIS",
        ".SH DESCRIPTION",
        ".SH OPTIONS",
        ".SH SUBCOMMANDS",
        ".SH \"EXIT STATUS\"",
    ] {
        assert!(page.contains(section), "{section} missing");
    }
    assert!(page.contains("dedupe \\- Clean and deduplicate"), "{page}");
    for option in [
        "\\fB\\-o\\fR, \\fB\\-\\-out\\fR",
        "\\fB\\-\\-threshold\\fR",
        "\\fB\\-v\\fR, \\fB\\-\\-verbose\\fR",
        "\\fB\\-\\-color\\fR",
        "dedupe\\-check(1)",
    ] {
        assert!(page.contains(option), "{option} missing");
    }
    assert_roff(&page);

    let check = env.run(&["man", "check"]).expect(0).stdout;
    assert!(check.contains(".TH dedupe-check 1"), "{check}");
    assert!(check.contains("\\fB\\-\\-report\\fR"));
    assert!(!check.contains("\\-\\-force"), "clean-only flags stay off");
    assert_roff(&check);

    let build = env.run(&["man", "index", "build"]).expect(0).stdout;
    assert!(build.contains(".TH dedupe-index-build 1"), "{build}");
    assert!(page.contains("dedupe\\-index(1)"));
    assert_roff(&build);

    let run = env.run(&["man", "no-such-command"]).expect(2);
    assert!(
        run.stderr
            .contains("dedupe has no command \"no-such-command\"; it has check, rules"),
        "{}",
        run.stderr
    );
    let run = env.run(&["man", "index", "nope"]).expect(2);
    assert!(
        run.stderr.contains("dedupe-index has no command"),
        "{}",
        run.stderr
    );
}

/// Every line is a request, a comment or text that roff will not take for
/// one; with groff installed, it also formats the page without a warning.
fn assert_roff(page: &str) {
    for line in page.lines() {
        assert!(
            !line.starts_with('\'') && (!line.starts_with('.') || line.len() > 1),
            "{line:?}"
        );
    }
    let Ok(mut groff) = Command::new("groff")
        .args(["-man", "-Tutf8", "-ww", "-z"])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
    else {
        return; // no groff here
    };
    use std::io::Write;
    groff
        .stdin
        .take()
        .unwrap()
        .write_all(page.as_bytes())
        .unwrap();
    let out = groff.wait_with_output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stderr), "", "groff warnings");
}
