//! A test environment: copies of fixture trees in a temp dir, and the real
//! binary run on them.
#![allow(dead_code)]

pub mod corpus;

use serde_json::Value;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A temp dir holding copies of fixture trees.
pub struct Env {
    pub dir: tempfile::TempDir,
}

impl Env {
    pub fn new() -> Env {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Copies `fixtures/<fixture>` to `<tmp>/<name>` (links kept as links).
    pub fn copy_fixture(&self, fixture: &str, name: &str) -> PathBuf {
        let from = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures")
            .join(fixture);
        let to = self.path(name);
        copy_tree(&from, &to);
        to
    }

    /// Writes a file, creating parent directories.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, contents).unwrap();
        path
    }

    /// Runs `dedupe` with `args` in the temp dir.
    pub fn run(&self, args: &[&str]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_dedupe"))
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .unwrap();
        Run::from(output)
    }

    /// Runs `dedupe` with `args` in the temp dir, the colour variables
    /// (`NO_COLOR`, `CLICOLOR`, `CLICOLOR_FORCE`) removed from the
    /// environment and `vars` set.
    pub fn run_with_env(&self, args: &[&str], vars: &[(&str, &str)]) -> Run {
        let mut command = Command::new(env!("CARGO_BIN_EXE_dedupe"));
        command.args(args).current_dir(self.dir.path());
        for var in ["NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE"] {
            command.env_remove(var);
        }
        command.envs(vars.iter().copied());
        Run::from(command.output().unwrap())
    }
}

impl Env {
    /// Runs `dedupe` with `args` in the temp dir, `stdin` on its standard
    /// input; stdout is returned as bytes.
    pub fn run_with_stdin(&self, args: &[&str], stdin: &[u8]) -> (Run, Vec<u8>) {
        use std::io::Write;
        use std::process::Stdio;
        let mut child = Command::new(env!("CARGO_BIN_EXE_dedupe"))
            .args(args)
            .current_dir(self.dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut input = child.stdin.take().unwrap();
        let bytes = stdin.to_vec();
        let writer = std::thread::spawn(move || input.write_all(&bytes));
        let output = child.wait_with_output().unwrap();
        writer.join().unwrap().unwrap();
        let stdout = output.stdout.clone();
        (Run::from(output), stdout)
    }
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        let kind = entry.file_type().unwrap();
        if kind.is_symlink() {
            #[cfg(unix)]
            std::os::unix::fs::symlink(fs::read_link(entry.path()).unwrap(), &target).unwrap();
        } else if kind.is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The outcome of one run of the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

impl Run {
    pub fn expect(self, code: i32) -> Run {
        assert_eq!(
            self.code, code,
            "exit code\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

/// Every regular file under `dir`, by relative path, with its bytes.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).unwrap();
            files.insert(
                rel.to_string_lossy().into_owned(),
                fs::read(entry.path()).unwrap(),
            );
        }
    }
    files
}

pub fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&fs::read(path).unwrap()).unwrap()
}

/// (paragraph index, reason) for every removal of document `path`, where the
/// reason is the rule name, `dup:<scope>:<path>#<paragraph>`,
/// `near:<scope>:<path>#<paragraph>` or `doc:<path>`.
pub fn removals(report: &Value, path: &str) -> Vec<(u64, String)> {
    let doc = report["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["path"] == path)
        .unwrap_or_else(|| panic!("no document {path} in the report"));
    doc["removed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let reason = &r["reason"];
            let why = match reason["kind"].as_str().unwrap() {
                "boilerplate" => reason["rule"].as_str().unwrap().to_string(),
                "duplicate" => format!(
                    "dup:{}:{}#{}",
                    reason["scope"].as_str().unwrap(),
                    reason["of"]["path"].as_str().unwrap(),
                    reason["of"]["paragraph"]
                ),
                "near-duplicate" => format!(
                    "near:{}:{}#{}",
                    reason["scope"].as_str().unwrap(),
                    reason["of"]["path"].as_str().unwrap(),
                    reason["of"]["paragraph"]
                ),
                "duplicate-document" => format!("doc:{}", reason["of"].as_str().unwrap()),
                other => panic!("unknown reason {other}"),
            };
            (r["paragraph"].as_u64().unwrap(), why)
        })
        .collect()
}
