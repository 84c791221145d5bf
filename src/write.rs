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
//! (`--force`), and then only after the new one is complete. Files (the
//! report) are written the same way: into `.NAME.dedupe-tmp-PID`, renamed
//! into place by [`StagedFile::commit`]. A destination that exists and is
//! not a regular file or directory (`/dev/null`, a named pipe) is written
//! into directly: renaming over it would replace it.
//!
//! A run that is stopped (an error, Ctrl-C, SIGTERM) removes what it
//! staged. One that is killed outright (SIGKILL, a power cut) cannot; the
//! hidden leftovers of a run whose process is gone are removed by the next
//! run that writes the same destination (on Linux, where `/proc` tells
//! which processes are alive; elsewhere they are left, hidden, and never
//! read as input).

use crate::decide::Verdict;
use crate::error::{Fatal, join_relative};
use crate::segment::Span;
use std::collections::HashSet;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

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

/// The white space from `at` to the end of its line, line break included:
/// the first `\n`, `\r\n` or lone `\r`, as [`crate::segment`] ends lines.
fn line_break_after(text: &str, at: usize) -> &str {
    let rest = &text[at..];
    let end = match rest.find(['\n', '\r']) {
        Some(i) if rest[i..].starts_with("\r\n") => i + 2,
        Some(i) => i + 1,
        None => rest.len(),
    };
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
    /// Directories of the staged tree made so far: a corpus of many files
    /// in few directories makes each once, not once a file.
    made: Mutex<HashSet<PathBuf>>,
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
        remove_stale(target);
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
            made: Mutex::default(),
        })
    }

    /// Where the document named `name` will be once the output is in place
    /// (for messages).
    pub fn destination(&self, name: &str) -> PathBuf {
        join_relative(&self.target, name)
    }

    /// Writes one cleaned document under its relative name.
    pub fn write(&self, name: &str, contents: &[u8]) -> io::Result<()> {
        let path = join_relative(&self.dir, name);
        if let Some(parent) = path.parent().filter(|&p| p != self.dir) {
            // A poisoned lock (a worker panicked) only costs the shortcut.
            let known = self.made.lock().is_ok_and(|made| made.contains(parent));
            if !known {
                fs::create_dir_all(parent)?;
                if let Ok(mut made) = self.made.lock() {
                    made.insert(parent.to_path_buf());
                }
            }
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

/// A file written once from start to end and not read back by the run (a
/// JSONL output, the report): every [`Streamed::STEP`] bytes, the step just
/// written is handed to the disk, and the one before it, written by then,
/// is dropped from the page cache. Left in the cache, gigabytes of output
/// push out what the run still reads, the first pass's shingles above all,
/// and reading those from the disk again made a 5 GB run a tenth slower.
///
/// Only on Linux; elsewhere the file is written as it is.
#[derive(Debug)]
pub struct Streamed {
    file: fs::File,
    /// Bytes written.
    written: u64,
    /// Where the step not yet handed to the disk starts.
    handed: u64,
    /// Bytes handed over at a time: [`Streamed::STEP`].
    step: u64,
}

impl Streamed {
    /// Bytes handed to the disk at a time.
    pub const STEP: u64 = 32 << 20;

    /// Writes into `file` from its start.
    pub fn new(file: fs::File) -> Streamed {
        Streamed::with_step(file, Streamed::STEP)
    }

    fn with_step(file: fs::File, step: u64) -> Streamed {
        Streamed {
            file,
            written: 0,
            handed: 0,
            step,
        }
    }

    /// Hands the step that starts at `handed` to the disk and drops the
    /// one before it from the page cache. Advice only: a failure changes
    /// nothing that is written.
    #[cfg(target_os = "linux")]
    fn hand_over(&mut self) {
        use std::os::fd::AsRawFd;
        let fd = self.file.as_raw_fd();
        let (Ok(step), Ok(here)) = (i64::try_from(self.step), i64::try_from(self.handed)) else {
            return;
        };
        // SAFETY: plain system calls on a file descriptor this value owns,
        // with no pointers.
        unsafe {
            libc::sync_file_range(fd, here, step, libc::SYNC_FILE_RANGE_WRITE);
        }
        if here < step {
            return;
        }
        let before = here - step;
        // SAFETY: as above.
        unsafe {
            libc::sync_file_range(
                fd,
                before,
                step,
                libc::SYNC_FILE_RANGE_WAIT_BEFORE
                    | libc::SYNC_FILE_RANGE_WRITE
                    | libc::SYNC_FILE_RANGE_WAIT_AFTER,
            );
        }
        drop_from_cache(fd, before, step);
    }

    #[cfg(not(target_os = "linux"))]
    fn hand_over(&mut self) {}

    /// Waits until everything written is on the disk.
    pub fn sync_all(&self) -> io::Result<()> {
        self.file.sync_all()
    }

    /// The file itself, for a write at a place of the caller's choosing
    /// (which is not handed to the disk early).
    pub fn file(&self) -> &fs::File {
        &self.file
    }
}

/// Drops bytes `start..start + len` of the file `fd` from the page cache,
/// as advice. `off_t` is 32 bits on some systems: past its range, nothing
/// is done (where it is 64 bits, the conversion cannot fail).
#[cfg(target_os = "linux")]
#[allow(irrefutable_let_patterns, clippy::useless_conversion)]
fn drop_from_cache(fd: std::os::fd::RawFd, start: i64, len: i64) {
    if let (Ok(start), Ok(len)) = (libc::off_t::try_from(start), libc::off_t::try_from(len)) {
        // SAFETY: a plain system call on a file descriptor, with no
        // pointers.
        unsafe {
            libc::posix_fadvise(fd, start, len, libc::POSIX_FADV_DONTNEED);
        }
    }
}

impl Write for Streamed {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.file.write(buf)?;
        self.written += n as u64;
        while self.written - self.handed >= self.step {
            self.hand_over();
            self.handed += self.step;
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
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
    stage_file(path, write)?.commit()
}

/// A file written under a temporary name, renamed to its destination by
/// [`StagedFile::commit`]. Dropped without a commit, it is removed.
#[derive(Debug)]
pub struct StagedFile {
    /// `None` when the destination was written directly (see the module doc).
    tmp: Option<PathBuf>,
    path: PathBuf,
}

/// Writes what `write` produces to a temporary file beside `path`, synced
/// to disk, ready to be renamed into place.
pub fn stage_file(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<StagedFile, Fatal> {
    let special = fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir());
    if special {
        let mut file = fs::OpenOptions::new()
            .write(true)
            .open(path)
            .map_err(|e| Fatal::io("write", path, &e))?;
        write(&mut file)
            .and_then(|()| file.flush())
            .map_err(|e| Fatal::io("write", path, &e))?;
        return Ok(StagedFile {
            tmp: None,
            path: path.to_path_buf(),
        });
    }
    let (staged, file) = stage_open(path)?;
    let written = {
        let mut out = io::BufWriter::new(Streamed::new(file));
        write(&mut out)
            .and_then(|()| out.into_inner().map_err(io::IntoInnerError::into_error))
            .and_then(|out| out.sync_all())
    };
    written.map_err(|e| Fatal::io("write", path, &e))?;
    Ok(staged)
}

/// A temporary file beside `path`, a regular file or none yet, opened for
/// the caller to write; renamed into place by [`StagedFile::commit`],
/// removed when dropped without one.
pub fn stage_open(path: &Path) -> Result<(StagedFile, fs::File), Fatal> {
    remove_stale(path);
    let tmp = sibling(path, "dedupe-tmp");
    let file = fs::File::create(&tmp).map_err(|e| Fatal::io("write", path, &e))?;
    let staged = StagedFile {
        tmp: Some(tmp),
        path: path.to_path_buf(),
    };
    Ok((staged, file))
}

impl StagedFile {
    /// Moves the file into place.
    pub fn commit(mut self) -> Result<(), Fatal> {
        match self.tmp.take() {
            Some(tmp) => fs::rename(&tmp, &self.path).map_err(|e| {
                let _ = fs::remove_file(&tmp);
                Fatal::io("write", &self.path, &e)
            }),
            None => Ok(()),
        }
    }
}

impl Drop for StagedFile {
    fn drop(&mut self) {
        if let Some(tmp) = &self.tmp {
            let _ = fs::remove_file(tmp);
        }
    }
}

/// Removes the leftovers beside `path` of runs that were killed before they
/// could clean up: `.NAME.dedupe-tmp-PID` and `.NAME.dedupe-old-PID` whose
/// process is gone. Best effort: what cannot be removed stays, hidden.
fn remove_stale(path: &Path) {
    let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return;
    };
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let pid = ["dedupe-tmp-", "dedupe-old-"].iter().find_map(|tag| {
            file_name
                .strip_prefix(&format!(".{name}.{tag}"))
                .and_then(|pid| pid.parse::<u32>().ok())
        });
        if let Some(pid) = pid
            && pid != std::process::id()
            && process_is_gone(pid)
        {
            let leftover = entry.path();
            let _ = if entry.file_type().is_ok_and(|t| t.is_dir()) {
                fs::remove_dir_all(&leftover)
            } else {
                fs::remove_file(&leftover)
            };
        }
    }
}

/// Whether no process `pid` is running. Only Linux can tell (through
/// `/proc`); elsewhere every process counts as running.
fn process_is_gone(pid: u32) -> bool {
    cfg!(target_os = "linux")
        && Path::new("/proc/self").exists()
        && !Path::new("/proc").join(pid.to_string()).exists()
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

    /// Found by the `document` fuzz target: with a lone `\r` before a
    /// removed last paragraph and a `\n` after it, the removed paragraph
    /// was written out as the "line break" after the last kept one.
    #[test]
    fn mixed_line_endings_end_the_line_at_the_first_break() {
        assert_eq!(clean("a\rb\rc\n", &[Verdict::Kept, BP, BP]), "a\r");
        assert_eq!(clean("a\r\nb\n", &[Verdict::Kept, BP]), "a\r\n");
        assert_eq!(clean("a \t\nb\rc", &[Verdict::Kept, BP, BP]), "a \t\n");
        assert_eq!(clean("a\n\rb", &[Verdict::Kept, BP]), "a\n");
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

    #[test]
    fn staged_files_appear_only_on_commit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.json");
        let staged = stage_file(&path, |out| out.write_all(b"{}")).unwrap();
        assert!(!path.exists());
        drop(staged);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0, "tmp removed");
        let err = stage_file(&path, |_| Err(io::Error::other("disk full"))).unwrap_err();
        assert!(err.to_string().contains("r.json: disk full"), "{err}");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0, "tmp removed");
        stage_file(&path, |out| out.write_all(b"{}"))
            .unwrap()
            .commit()
            .unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"{}");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn leftovers_of_dead_runs_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        // No process has a pid this large (the Linux maximum is 2^22).
        let dead = dir.path().join(".out.dedupe-tmp-99999999");
        let old = dir.path().join(".out.dedupe-old-99999999");
        let alive = dir.path().join(format!(".out.dedupe-tmp-{}", 1));
        let other = dir.path().join(".other.dedupe-tmp-99999999");
        for d in [&dead, &old, &alive, &other] {
            fs::create_dir_all(d.join("sub")).unwrap();
        }
        let s = Staging::create(&target, false).unwrap();
        assert!(!dead.exists() && !old.exists());
        assert!(
            alive.exists() && other.exists(),
            "only this output's dead runs"
        );
        drop(s);
    }

    #[cfg(unix)]
    #[test]
    fn special_files_are_written_into() {
        use std::os::unix::fs::FileTypeExt;
        let null = Path::new("/dev/null");
        let is_device = || fs::metadata(null).is_ok_and(|m| m.file_type().is_char_device());
        if !is_device() {
            return; // nothing to check on a system without the device
        }
        stage_file(null, |out| out.write_all(b"x"))
            .unwrap()
            .commit()
            .unwrap();
        assert!(is_device(), "/dev/null is still the device");
    }

    #[test]
    fn a_streamed_file_holds_every_byte_written_across_many_steps() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.jsonl");
        let mut out = Streamed::with_step(fs::File::create(&path).unwrap(), 4096);
        // Writes of odd sizes that cross step boundaries at odd places.
        let mut expected = Vec::new();
        for i in 0..600u32 {
            let chunk: Vec<u8> = (0..(i % 977)).map(|j| (i * 31 + j) as u8).collect();
            out.write_all(&chunk).unwrap();
            expected.extend_from_slice(&chunk);
        }
        out.flush().unwrap();
        out.sync_all().unwrap();
        assert!(out.handed > 20 * 4096, "{} handed over", out.handed);
        assert_eq!(out.handed, expected.len() as u64 / 4096 * 4096);
        drop(out);
        assert_eq!(fs::read(&path).unwrap(), expected);
    }
}
