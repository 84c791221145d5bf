//! The files that take the finished documents in input order (the JSONL
//! output file, the attribute records and the report's entries), written
//! on a thread of their own.
//!
//! The deciding thread is the slowest step of the second pass on the
//! largest corpora: at 5 GB the workers wait for it. Copying every cleaned
//! line and report entry into these files took a tenth of its time, and
//! none of it depends on the decision's state, so it is handed on in
//! batches, in order, through a bounded channel. If no thread can be
//! started, the files are written where they were before.
//!
//! A run with no JSONL lines to write (its output is a directory) keeps
//! the report's entries on the deciding thread ([`Writer::here`]): on two
//! cores a fourth busy thread cost the exact-only run at 1 GB more than
//! the entries saved (10.04 against 9.50 s, medians of three).

use crate::error::{Fatal, display_path};
use crate::jsonl;
use crate::report::DocumentSpool;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

/// Batches handed on and not yet written, at most: enough that a slow
/// write does not stop the decision at once, few enough to hold little.
const AHEAD: usize = 64;

/// What a finished document leaves for the files written in input order.
#[derive(Debug, Default)]
pub(crate) struct Lines {
    /// Its JSONL output line, when the output is a JSONL file.
    pub line: Option<Vec<u8>>,
    /// Its attribute record.
    pub attributes: Option<Vec<u8>>,
    /// Its report entry, as compact JSON.
    pub json: Option<Vec<u8>>,
}

/// The files themselves.
#[derive(Debug)]
pub(crate) struct Files {
    /// The JSONL output file.
    pub output: Option<jsonl::Sink>,
    pub attributes: Option<jsonl::Sink>,
    /// The report's entries, and the directory of their temporary file
    /// (for messages).
    pub entries: DocumentSpool,
    pub entries_dir: PathBuf,
}

impl Files {
    fn write(&mut self, doc: &Lines) -> Result<(), Fatal> {
        if let (Some(sink), Some(line)) = (&mut self.output, &doc.line) {
            sink.write_line(line)?;
        }
        if let (Some(sink), Some(line)) = (&mut self.attributes, &doc.attributes) {
            sink.write_line(line)?;
        }
        if let Some(json) = &doc.json {
            self.entries
                .push(json)
                .map_err(|e| entries_error(&self.entries_dir, &e))?;
        }
        Ok(())
    }

    fn write_all(&mut self, batch: &[Lines]) -> Result<(), Fatal> {
        batch.iter().try_for_each(|doc| self.write(doc))
    }
}

/// The error of a failed write to the temporary file of the report's
/// entries, in `dir`.
pub(crate) fn entries_error(dir: &Path, e: &std::io::Error) -> Fatal {
    Fatal::new(format!(
        "cannot write the report's temporary file in {}: {e}",
        display_path(dir)
    ))
}

/// Writes [`Files`] on a thread of its own when one can be started, else
/// on the calling thread. Dropped unfinished (a run that stops early), it
/// still waits for the thread, so that the files' temporary copies are gone
/// when the run returns.
pub(crate) struct Writer(State);

enum State {
    Thread {
        send: SyncSender<Vec<Lines>>,
        thread: JoinHandle<Result<Files, Fatal>>,
    },
    Here(Files),
    Finished,
}

impl Writer {
    /// Starts writing `files`.
    pub fn start(files: Files) -> Writer {
        let (send, batches) = sync_channel::<Vec<Lines>>(AHEAD);
        // The files go to the thread only once it has started; if it cannot
        // be, they are still here.
        let (hand, files_in) = sync_channel::<Files>(1);
        let started = std::thread::Builder::new()
            .name("dedupe-write".into())
            .spawn(move || write_until_closed(files_in, batches));
        Writer(match started {
            Ok(thread) => match hand.send(files) {
                Ok(()) => State::Thread { send, thread },
                // The thread ended before taking them: it cannot have.
                Err(returned) => State::Here(returned.0),
            },
            Err(_) => State::Here(files),
        })
    }

    /// Writes `files` on the calling thread.
    pub fn here(files: Files) -> Writer {
        Writer(State::Here(files))
    }

    /// Whether the files are written on a thread of their own.
    #[cfg(test)]
    fn on_a_thread(&self) -> bool {
        matches!(self.0, State::Thread { .. })
    }

    /// Writes the lines of a batch of documents, the next in input order.
    /// An error means the files can take nothing more; [`Writer::finish`]
    /// gives the reason.
    pub fn write(&mut self, batch: Vec<Lines>) -> Result<(), Fatal> {
        match &mut self.0 {
            State::Thread { send, .. } => send
                .send(batch)
                .map_err(|_| Fatal::new("the writing thread stopped")),
            State::Here(files) => files.write_all(&batch),
            State::Finished => Err(Fatal::new("the files were already finished")),
        }
    }

    /// Waits until everything handed on is written, and gives the files
    /// back, or the first error writing them.
    pub fn finish(mut self) -> Result<Files, Fatal> {
        match std::mem::replace(&mut self.0, State::Finished) {
            State::Thread { send, thread } => {
                drop(send);
                thread
                    .join()
                    .unwrap_or_else(|_| Err(Fatal::new("the writing thread panicked")))
            }
            State::Here(files) => Ok(files),
            State::Finished => Err(Fatal::new("the files were already finished")),
        }
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        if let State::Thread { send, thread } = std::mem::replace(&mut self.0, State::Finished) {
            drop(send);
            let _ = thread.join();
        }
    }
}

/// The writing thread: takes the files, then writes batches until the
/// sender is dropped or a write fails.
fn write_until_closed(
    files: Receiver<Files>,
    batches: Receiver<Vec<Lines>>,
) -> Result<Files, Fatal> {
    let mut files = files
        .recv()
        .map_err(|_| Fatal::new("the writing thread was given no files"))?;
    for batch in batches {
        files.write_all(&batch)?;
        // Freed here, not on the deciding thread.
        drop(batch);
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(dir: &std::path::Path) -> Files {
        Files {
            output: Some(jsonl::Sink::create(&dir.join("out.jsonl"), false).expect("a sink")),
            attributes: None,
            entries: DocumentSpool::discard(),
            entries_dir: dir.to_path_buf(),
        }
    }

    fn batch(from: usize) -> Vec<Lines> {
        (from..from + 3)
            .map(|i| Lines {
                line: Some(format!("{{\"n\":{i}}}").into_bytes()),
                ..Lines::default()
            })
            .collect()
    }

    #[test]
    fn batches_are_written_in_the_order_they_were_handed_on() {
        let dir = tempfile::tempdir().expect("a directory");
        let mut writer = Writer::start(files(dir.path()));
        assert!(writer.on_a_thread());
        for b in 0..200 {
            writer.write(batch(b * 3)).expect("handed on");
        }
        let written = writer.finish();
        let sink = written.expect("written").output.expect("the output");
        sink.commit().expect("committed");
        let text = std::fs::read_to_string(dir.path().join("out.jsonl")).expect("read");
        let expected: String = (0..600).map(|i| format!("{{\"n\":{i}}}\n")).collect();
        assert_eq!(text, expected);
    }

    #[test]
    fn written_here_the_files_take_the_same_lines() {
        let dir = tempfile::tempdir().expect("a directory");
        let mut writer = Writer::here(files(dir.path()));
        writer.write(batch(0)).expect("written");
        let sink = writer.finish().expect("files").output.expect("the output");
        sink.commit().expect("committed");
        let text = std::fs::read_to_string(dir.path().join("out.jsonl")).expect("read");
        assert_eq!(text, "{\"n\":0}\n{\"n\":1}\n{\"n\":2}\n");
    }

    #[test]
    fn a_writer_dropped_unfinished_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().expect("a directory");
        let mut writer = Writer::start(files(dir.path()));
        writer.write(batch(0)).expect("handed on");
        drop(writer);
        let left: Vec<_> = std::fs::read_dir(dir.path()).expect("listed").collect();
        assert!(left.is_empty(), "{left:?}");
    }
}
