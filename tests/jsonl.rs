//! JSONL in and out through the real binary: plain, gzip, zstd and stdin;
//! every field but the text kept; attribute records; bad lines.

mod common;

use common::{Env, read_json, tree};
use serde_json::{Value, json};
use std::fs;
use std::io::Write;

/// The seeds as JSONL documents with extra fields, and the cleaned files of
/// a run on the seeds directory, by name.
fn seeds_jsonl(env: &Env) -> (String, Vec<(String, String)>) {
    env.copy_fixture("seeds", "seeds");
    env.run(&["seeds", "-o", "seeds-clean", "-q"]).expect(0);
    let cleaned = tree(&env.path("seeds-clean"));
    let mut lines = String::new();
    let mut expected = Vec::new();
    for (i, (name, bytes)) in tree(&env.path("seeds")).into_iter().enumerate() {
        let text = String::from_utf8(bytes).unwrap();
        let doc = json!({
            "id": name,
            "source": "seeds",
            "text": text,
            "metadata": {"n": i, "url": format!("https://example.org/{i}"), "text": "not this one"},
        });
        lines.push_str(&doc.to_string());
        lines.push('\n');
        let clean = String::from_utf8(cleaned[&name].clone()).unwrap();
        expected.push((name, clean));
    }
    (lines, expected)
}

fn parse_lines(bytes: &[u8]) -> Vec<Value> {
    String::from_utf8(bytes.to_vec())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Every output line is its input line with only the text replaced by the
/// cleaned text of the directory run.
fn assert_cleaned(input: &str, output: &[u8], expected: &[(String, String)]) {
    let inputs = parse_lines(input.as_bytes());
    let outputs = parse_lines(output);
    assert_eq!(outputs.len(), expected.len());
    for ((mut original, cleaned), (name, text)) in inputs.into_iter().zip(outputs).zip(expected) {
        assert_eq!(cleaned["id"], name.as_str());
        assert_eq!(cleaned["text"], text.as_str(), "text of {name}");
        original["text"] = json!(text);
        assert_eq!(cleaned, original, "every other field of {name} is kept");
    }
}

#[test]
fn zstd_on_stdin_to_stdout() {
    let env = Env::new();
    let (lines, expected) = seeds_jsonl(&env);
    let compressed = zstd::encode_all(lines.as_bytes(), 3).unwrap();
    let (run, stdout) = env.run_with_stdin(&["-"], &compressed);
    let run = run.expect(0);
    assert_cleaned(&lines, &stdout, &expected);
    assert!(
        run.stderr.contains("cleaned corpus: standard output"),
        "{}",
        run.stderr
    );
    // Plain JSONL on stdin too, and nothing but the corpus on stdout.
    let (run, stdout) = env.run_with_stdin(&["-", "-q"], lines.as_bytes());
    run.expect(0);
    assert_cleaned(&lines, &stdout, &expected);
}

#[test]
fn gzip_file_to_gzip_file_and_default_names() {
    let env = Env::new();
    let (lines, expected) = seeds_jsonl(&env);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(lines.as_bytes()).unwrap();
    env.write("corpus.jsonl.gz", gz.finish().unwrap());
    env.run(&["corpus.jsonl.gz", "-o", "clean.jsonl.gz"])
        .expect(0);
    let mut out = Vec::new();
    std::io::Read::read_to_end(
        &mut flate2::read::GzDecoder::new(fs::File::open(env.path("clean.jsonl.gz")).unwrap()),
        &mut out,
    )
    .unwrap();
    assert_cleaned(&lines, &out, &expected);
    let report = read_json(&env.path("clean.jsonl.gz.report.json"));
    assert_eq!(report["summary"]["documents"], 5);
    // Without -o: NAME-clean.jsonl beside the input, same compression.
    env.write("plain.jsonl", &lines);
    env.run(&["plain.jsonl"]).expect(0);
    assert_cleaned(
        &lines,
        &fs::read(env.path("plain-clean.jsonl")).unwrap(),
        &expected,
    );
    env.run(&["corpus.jsonl.gz"]).expect(0);
    let zst = env.path("corpus-clean.jsonl.gz");
    assert!(zst.exists());
    // A zstd file, written as zstd.
    env.write(
        "z.jsonl.zst",
        zstd::encode_all(lines.as_bytes(), 1).unwrap(),
    );
    env.run(&["z.jsonl.zst", "-o", "z-out.jsonl.zst"]).expect(0);
    let out = zstd::decode_all(fs::File::open(env.path("z-out.jsonl.zst")).unwrap()).unwrap();
    assert_cleaned(&lines, &out, &expected);
    // Existing output needs --force.
    let run = env.run(&["plain.jsonl"]).expect(2);
    assert!(run.stderr.contains("already exists"), "{}", run.stderr);
}

#[test]
fn text_files_can_be_written_as_jsonl() {
    let env = Env::new();
    let (_, expected) = seeds_jsonl(&env);
    env.run(&["seeds", "--output-format", "jsonl", "-o", "seeds.jsonl"])
        .expect(0);
    let out = parse_lines(&fs::read(env.path("seeds.jsonl")).unwrap());
    let got: Vec<(String, String)> = out
        .iter()
        .map(|d| {
            assert_eq!(d.as_object().unwrap().len(), 2);
            (
                d["id"].as_str().unwrap().into(),
                d["text"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(got, expected);
    let run = env.run(&["x.jsonl", "--output-format", "text"]).expect(2);
    assert!(
        run.stderr.contains("--output-format text"),
        "{}",
        run.stderr
    );
}

#[test]
fn bad_lines_cost_only_themselves() {
    let env = Env::new();
    let good = |id: &str, text: &str| json!({"id": id, "text": text}).to_string();
    let lines = [
        good(
            "a",
            "First article paragraph, long enough to be kept.\n\nShare on Facebook",
        ),
        "not json at all".to_string(),
        String::new(),
        r#"{"id": "n", "text": 42}"#.to_string(),
        r#"{"id": "m"}"#.to_string(),
        good("b", "Another article with a paragraph of its own."),
    ]
    .join("\n");
    env.write("in.jsonl", format!("{lines}\n"));
    let run = env.run(&["in.jsonl", "-o", "out.jsonl"]).expect(2);
    for expected in [
        "in.jsonl:2: decode failed: not a JSON object",
        "in.jsonl:4: decode failed: the \"text\" field is not a string",
        "in.jsonl:5: decode failed: no \"text\" field",
    ] {
        assert!(run.stderr.contains(expected), "{expected}\n{}", run.stderr);
    }
    let out = parse_lines(&fs::read(env.path("out.jsonl")).unwrap());
    let ids: Vec<&str> = out.iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["a", "b"]);
    assert_eq!(
        out[0]["text"],
        "First article paragraph, long enough to be kept.\n"
    );
    let report = read_json(&env.path("out.jsonl.report.json"));
    assert_eq!(report["summary"]["failed"], 3);
}

#[test]
fn field_names_and_attributes() {
    let env = Env::new();
    let text = "Größere Zeitung meldet heute etwas Neues über die Stadt.\n\n\
                Share on Facebook\n\n\
                Größere Zeitung meldet heute etwas Neues über die Stadt.\n";
    let line = json!({"doc_id": 7, "body": text, "text": "untouched"}).to_string();
    env.write("in.jsonl", format!("{line}\n"));
    let args = [
        "in.jsonl",
        "--id-field",
        "doc_id",
        "--text-field",
        "body",
        "-o",
        "out.jsonl",
        "--attributes",
        "attrs.jsonl",
    ];
    env.run(&args).expect(0);
    let out = parse_lines(&fs::read(env.path("out.jsonl")).unwrap());
    assert_eq!(out[0]["text"], "untouched");
    assert_eq!(out[0]["doc_id"], 7);
    assert_eq!(
        out[0]["body"],
        "Größere Zeitung meldet heute etwas Neues über die Stadt.\n"
    );
    let attrs = parse_lines(&fs::read(env.path("attrs.jsonl")).unwrap());
    let report = read_json(&env.path("out.jsonl.report.json"));
    assert_eq!(report["documents"][0]["path"], "7");
    assert_eq!(attrs[0]["id"], "7");
    let spans = |key: &str| attrs[0]["attributes"][key].clone();
    // Byte offsets, as in the report.
    let removed = &report["documents"][0]["removed"];
    assert_eq!(
        spans("dedupe__boilerplate"),
        json!([[removed[0]["start"], removed[0]["end"], 1.0]])
    );
    assert_eq!(
        spans("dedupe__duplicate"),
        json!([[removed[1]["start"], removed[1]["end"], 1.0]])
    );
    let start = removed[1]["start"].as_u64().unwrap() as usize;
    assert!(text[start..].starts_with("Größere"));
    // Character offsets count each of ö, ß and ü once.
    env.run(&[&args[..], &["--attribute-offsets", "chars", "--force"]].concat())
        .expect(0);
    let attrs = parse_lines(&fs::read(env.path("attrs.jsonl")).unwrap());
    let chars = &attrs[0]["attributes"]["dedupe__duplicate"][0];
    let char_start = chars[0].as_u64().unwrap() as usize;
    assert_eq!(char_start, start - 3);
    let copy: String = text.chars().skip(char_start).take(7).collect();
    assert_eq!(copy, "Größere");
}
