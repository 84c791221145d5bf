//! The user rules file (`--rules FILE`), through the real binary: rules it
//! adds remove paragraphs under their own names, rules it disables stop
//! removing, thresholds it sets take effect, and a bad file is an error that
//! names the file.

mod common;

use common::{Env, read_json, removals};

const ARTICLE: &str = "\
Council approves new bus routes

Photo: Jane Smith

The county council approved twelve new bus routes on Tuesday, connecting villages in the north with the hospital and the railway station in town.

Subscribe to continue reading our coverage of the county.

Share this article
";

fn check(env: &Env, rules: Option<(&str, &str)>) -> serde_json::Value {
    env.write("in/article.txt", ARTICLE);
    let mut args = vec!["check", "in", "--report", "r.json"];
    if let Some((name, contents)) = rules {
        env.write(name, contents);
        args.extend(["--rules", name]);
    }
    env.run(&args).expect(1);
    read_json(&env.path("r.json"))
}

#[test]
fn without_a_rules_file_the_built_in_rules_apply() {
    let env = Env::new();
    let report = check(&env, None);
    assert_eq!(
        removals(&report, "article.txt"),
        [
            (1, "credit-line".to_string()),
            (4, "share-buttons".to_string())
        ]
    );
}

#[test]
fn a_toml_file_adds_a_rule_and_disables_one() {
    let env = Env::new();
    let toml = r#"
disable = ["credit-line"]

[[rule]]
name = "paywall"
description = "paywall prompts"
pattern = "(subscribe|sign in) to (continue|keep) reading.*"
max_words = 20
"#;
    let report = check(&env, Some(("rules.toml", toml)));
    assert_eq!(
        removals(&report, "article.txt"),
        [(3, "paywall".to_string()), (4, "share-buttons".to_string())]
    );
    let rules = report["parameters"]["rules"].as_array().unwrap();
    assert_eq!(rules[0], "paywall");
    assert!(!rules.iter().any(|r| r == "credit-line"));
    assert_eq!(report["summary"]["removed_by_rule"]["paywall"], 1);
}

#[test]
fn a_json_file_works_the_same_and_tunes_max_words() {
    let env = Env::new();
    let json = r#"{
        "max_words": { "share-buttons": 1 },
        "rule": [ { "name": "paywall", "pattern": "subscribe to continue reading.*" } ]
    }"#;
    let report = check(&env, Some(("rules.json", json)));
    // "Share this article" has three words: too long for share-buttons now.
    assert_eq!(
        removals(&report, "article.txt"),
        [(1, "credit-line".to_string()), (3, "paywall".to_string())]
    );
}

#[test]
fn a_bad_rules_file_is_an_error_that_names_it() {
    let env = Env::new();
    env.write("in/article.txt", ARTICLE);
    for (name, contents, says) in [
        ("typo.toml", "disabel = [\"tags\"]\n", "unknown field"),
        (
            "unknown.toml",
            "disable = [\"no-such-rule\"]\n",
            "no-such-rule",
        ),
        (
            "regex.toml",
            "[[rule]]\nname = \"broken\"\npattern = \"(unclosed\"\n",
            "invalid pattern",
        ),
        (
            "twice.toml",
            "[[rule]]\nname = \"tags\"\npattern = \"x\"\n",
            "defined twice",
        ),
        (
            "case.toml",
            "[[rule]]\nname = \"Paywall\"\npattern = \"x\"\n",
            "kebab-case",
        ),
        ("syntax.json", "{ \"rule\": [ }", "syntax.json"),
    ] {
        env.write(name, contents);
        let run = env.run(&["check", "in", "--rules", name]).expect(2);
        assert!(run.stderr.contains(says), "{name}: {}", run.stderr);
        assert!(run.stderr.contains(name), "{name}: {}", run.stderr);
    }
    let run = env
        .run(&["check", "in", "--rules", "missing.toml"])
        .expect(2);
    assert!(run.stderr.contains("missing.toml"), "{}", run.stderr);
}
