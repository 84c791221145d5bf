//! Errors: fatal ones that end the run, and per-file ones that do not.
//!
//! A [`Fatal`] error stops the run before or after the corpus is processed
//! (bad arguments, an output that cannot be created) and becomes exit code 2
//! in `main`, or 128 plus the signal number for a run stopped by a signal
//! (see [`crate::interrupt`]). A [`FileError`] costs one file only: it is printed once on
//! stderr, listed in the report, counted in the summary, and the run goes on.

use serde::Serialize;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// An error that ends the run. The message names the path and what was done.
#[derive(Debug)]
pub struct Fatal {
    message: String,
    exit_code: u8,
}

impl Fatal {
    /// A fatal error with a complete, user-facing message.
    pub fn new(message: impl Into<String>) -> Fatal {
        Fatal::with_exit_code(message, 2)
    }

    /// A fatal error that ends the process with `exit_code` rather than 2.
    pub fn with_exit_code(message: impl Into<String>, exit_code: u8) -> Fatal {
        Fatal {
            message: message.into(),
            exit_code,
        }
    }

    /// The exit code of a process that ends with this error.
    pub fn exit_code(&self) -> u8 {
        self.exit_code
    }

    /// A fatal I/O error while doing `operation` on `path`.
    pub fn io(operation: &str, path: &Path, err: &io::Error) -> Fatal {
        Fatal::new(format!("cannot {operation} {}: {err}", path.display()))
    }
}

impl fmt::Display for Fatal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Fatal {}

/// The stage in which a per-file error happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Operation {
    /// Listing a directory or following a link.
    Walk,
    /// Reading the bytes of a file.
    Read,
    /// Turning bytes into text.
    Decode,
    /// Writing the cleaned copy.
    Write,
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Operation::Walk => "walk",
            Operation::Read => "read",
            Operation::Decode => "decode",
            Operation::Write => "write",
        })
    }
}

/// An error that costs one file: which file, in which stage, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileError {
    /// The path as the user would recognise it (input-relative where possible).
    pub path: String,
    /// The stage that failed.
    pub operation: Operation,
    /// What went wrong, in words.
    pub message: String,
}

impl FileError {
    /// A per-file error for `path`.
    pub fn new(path: impl Into<String>, operation: Operation, message: impl Into<String>) -> Self {
        FileError {
            path: path.into(),
            operation,
            message: message.into(),
        }
    }

    /// A per-file error from an I/O error.
    pub fn io(path: &Path, operation: Operation, err: &io::Error) -> Self {
        FileError::new(display_path(path), operation, err.to_string())
    }
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} failed: {}",
            self.path, self.operation, self.message
        )
    }
}

/// A path as text, with `/` separators on every platform.
pub fn display_path(path: &Path) -> String {
    let text = path.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' {
        text.into_owned()
    } else {
        text.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

/// Joins a base directory and a relative path given with `/` separators.
pub fn join_relative(base: &Path, relative: &str) -> PathBuf {
    relative
        .split('/')
        .fold(base.to_path_buf(), |p, c| p.join(c))
}
