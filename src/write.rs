//! Stage 7, write: the cleaned corpus, atomically.
//!
//! A cleaned document is its kept paragraphs, each byte for byte as in the
//! input, joined by the white space that stood before each of them in the
//! input (so a blank-line file stays a blank-line file and a line-per-
//! paragraph file stays one). The line break after the last kept paragraph
//! is kept; a byte-order mark is kept.
//!
//! The corpus is written into a staging directory beside the destination
//! (`.NAME.dedupe-tmp-PID`) and renamed into place only when every file is
//! written, so a destination is either the complete output of a run or not
//! there at all. An existing destination is replaced only when asked
//! (`--force`), and then only after the new one is complete. Files are
//! written with the same atomic rename.

use crate::decide::Verdict;
use crate::error::{Fatal, join_relative};
use crate::segment::Span;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The cleaned text of one document (see the module doc).
pub fn cleaned(text: &str, body_start: usize, spans: &[Span], verdicts: &[Verdict]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last_kept = None;
    for (i, span) in spans.iter().enumerate() {
        if verdicts[i] != Verdict::Kept {
            continue;
        }
        let lead_start = match (last_kept, i) {
            (None, 0) => 0,
            (None, _) => {
                out.push_str(&text[..body_start]);
                span.start
            }
            (Some(_), _) => spans[i - 1].end,
        };
        out.push_str(&text[lead_start..span.end]);
        last_kept = Some(i);
    }
    match last_kept {
        Some(i) if i + 1 == spans.len() => out.push_str(&text[spans[i].end..]),
        Some(i) => out.push_str(line_break_after(text, spans[i].end)),
        None if spans.is_empty() => out.push_str(text),
        None => out.push_str(&text[..body_start]),
    }
    out
}

/// The white space from `at` to the end of its line, line break included.
fn line_break_after(text: &str, at: usize) -> &str {
    let rest = &text[at..];
    let end = rest
        .find('\n')
        .map(|i| i + 1)
        .or_else(|| rest.find('\r').map(|i| i + 1))
        .unwrap_or(rest.len());
    &rest[..end]
}

/// A directory being filled, renamed into place by [`Staging::commit`].
/// Dropped without a commit, it removes what it wrote.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    force: bool,
    committed: bool,
}

impl Staging {
    /// Prepares to write `target`. Fails if it exists and `force` is off, or
    /// if the staging directory cannot be made.
    pub fn create(target: &Path, force: bool) -> Result<Staging, Fatal> {
        if target.exists() && !force {
            return Err(Fatal::new(format!(
                "output {} already exists; use --force to replace it, or -o to choose another",
                target.display()
            )));
        }
        let dir = sibling(target, "dedupe-tmp");
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(|e| Fatal::io("remove stale", &dir, &e))?;
        }
        fs::create_dir_all(&dir).map_err(|e| Fatal::io("create output directory", &dir, &e))?;
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
            force,
            committed: false,
        })
    }

    /// Writes one cleaned document under its relative name.
    pub fn write(&self, name: &str, contents: &[u8]) -> io::Result<()> {
        let path = join_relative(&self.dir, name);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&path, contents)
    }

    /// Moves the finished directory into place, replacing an old one only now.
    pub fn commit(mut self) -> Result<(), Fatal> {
        let old = sibling(&self.target, "dedupe-old");
        let replacing = self.force && self.target.exists();
        if replacing {
            fs::rename(&self.target, &old)
                .map_err(|e| Fatal::io("move aside old output", &self.target, &e))?;
        }
        fs::rename(&self.dir, &self.target)
            .map_err(|e| Fatal::io("move into place output", &self.target, &e))?;
        self.committed = true;
        if replacing {
            let removed = if old.is_dir() {
                fs::remove_dir_all(&old)
            } else {
                fs::remove_file(&old)
            };
            removed.map_err(|e| Fatal::io("remove old output", &old, &e))?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Writes `contents` to `path` through a temporary file and a rename, so
/// `path` holds either its old contents or the new ones.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), Fatal> {
    write_atomic_with(path, |out| out.write_all(contents))
}

/// [`write_atomic`] for contents that `write` produces bit by bit into the
/// temporary file.
pub fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), Fatal> {
    let tmp = sibling(path, "dedupe-tmp");
    let written = fs::File::create(&tmp).and_then(|mut file| {
        write(&mut file)?;
        file.flush()
    });
    written.map_err(|e| {
        let _ = fs::remove_file(&tmp);
        Fatal::io("write", path, &e)
    })?;
    fs::rename(&tmp, path).map_err(|e| {
        let _ = fs::remove_file(&tmp);
        Fatal::io("write", path, &e)
    })
}

/// `.NAME.TAG-PID` beside `path`: hidden, so a walk of the parent skips it.
fn sibling(path: &Path, tag: &str) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".to_string());
    path.with_file_name(format!(".{name}.{tag}-{}", std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decide::Location;
    use crate::segment::segment;

    const DUP: Verdict = Verdict::Duplicate(Location { doc: 0, para: 0 });
    const BP: Verdict = Verdict::Boilerplate("x");

    fn clean(text: &str, verdicts: &[Verdict]) -> String {
        let spans = segment(text, 0);
        assert_eq!(spans.len(), verdicts.len());
        cleaned(text, 0, &spans, verdicts)
    }

    #[test]
    fn everything_kept_is_the_input() {
        let t = "  a\n\nb\r\nc\n\n";
        assert_eq!(clean(t, &[Verdict::Kept; 3]), t);
    }

    #[test]
    fn removals_keep_the_separator_style() {
        assert_eq!(
            clean("a\n\nb\n\nc\n", &[Verdict::Kept, BP, Verdict::Kept]),
            "a\n\nc\n"
        );
        assert_eq!(
            clean("a\nb\nc", &[Verdict::Kept, DUP, Verdict::Kept]),
            "a\nc"
        );
        assert_eq!(clean("a\nb\nc", &[BP, Verdict::Kept, BP]), "b\n");
        assert_eq!(clean("a\r\n\r\nb\r\n", &[Verdict::Kept, BP]), "a\r\n");
    }

    #[test]
    fn all_removed_leaves_empty_and_bom_survives() {
        assert_eq!(clean("a\nb\n", &[BP, BP]), "");
        let t = "\u{feff}a\nb\n";
        let spans = segment(t, 3);
        assert_eq!(cleaned(t, 3, &spans, &[BP, Verdict::Kept]), "\u{feff}b\n");
        assert_eq!(cleaned(t, 3, &spans, &[BP, BP]), "\u{feff}");
    }

    #[test]
    fn staging_is_all_or_nothing_and_respects_force() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        let s = Staging::create(&target, false).unwrap();
        s.write("a/b.txt", b"x").unwrap();
        drop(s);
        assert!(!target.exists());
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            0,
            "staging removed"
        );

        let s = Staging::create(&target, false).unwrap();
        s.write("a/b.txt", b"x").unwrap();
        s.commit().unwrap();
        assert_eq!(fs::read(target.join("a/b.txt")).unwrap(), b"x");

        assert!(Staging::create(&target, false).is_err());
        let s = Staging::create(&target, true).unwrap();
        s.write("c.txt", b"y").unwrap();
        s.commit().unwrap();
        assert!(!target.join("a").exists());
        assert_eq!(fs::read(target.join("c.txt")).unwrap(), b"y");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
