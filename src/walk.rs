//! Stage 1, walk: the inputs, in a fixed order.
//!
//! Each input path is either a file (read as it is, whatever its extension)
//! or a directory, walked recursively with entries sorted by file name, so
//! the order is the sorted order of relative paths on every platform and
//! every run. Hidden entries (names starting with `.`) below an input are
//! skipped. Links are followed; a loop or a dangling link becomes a per-file
//! error, never the end of the run.
//!
//! Every document gets a *relative name*: its path relative to the input
//! directory (with one input), or prefixed with the input's own name (with
//! several), always with `/` separators. The cleaned corpus mirrors these
//! names, and the report uses them, so no absolute path reaches the output.

use crate::error::{Fatal, FileError, Operation, display_path};
use crate::jsonl::{self, Fields, Record};
use std::borrow::Cow;
use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use walkdir::WalkDir;

/// One input document found by the walk.
///
/// A run holds one for every document until its end, so it is kept small:
/// the path of a file found under a directory is not stored but made from
/// the directory's path and the end of the name, which spells it (about
/// 80 bytes a document, 30 MB at a gigabyte of news).
#[derive(Debug, Clone)]
pub struct Source {
    /// Name relative to the input, with `/` separators (see the module doc);
    /// for a JSONL document, its id (see [`crate::jsonl`]).
    pub name: String,
    /// Where to read it (see [`Source::path`]).
    at: At,
    /// The line of a JSONL document; `None` for a document that is a file.
    pub record: Option<Box<Record>>,
}

/// Where a document is read from.
#[derive(Debug, Clone)]
enum At {
    /// This path: a file given as an input, or a JSONL input.
    Path(Arc<Path>),
    /// `root` joined with the name from byte `from` on.
    Under { root: Arc<Path>, from: u32 },
}

impl Source {
    /// A document that is the file at `path`.
    pub fn file(name: String, path: &Path) -> Source {
        Source {
            name,
            at: At::Path(Arc::from(path)),
            record: None,
        }
    }

    /// A document that is the file at `path`, found under `root`: its path
    /// is made again from `root` and the end of `name` when they spell it
    /// exactly.
    fn under(name: String, root: &Arc<Path>, path: &Path) -> Source {
        let from = spelled_below(root, path)
            .and_then(|rel| rel.to_str())
            .and_then(|rel| name.strip_suffix(rel))
            .and_then(|head| u32::try_from(head.len()).ok());
        let at = match from {
            Some(from) => At::Under {
                root: Arc::clone(root),
                from,
            },
            None => At::Path(Arc::from(path)),
        };
        Source {
            name,
            at,
            record: None,
        }
    }

    /// A JSONL document: line `record` of the input at `path`.
    pub fn record(name: String, path: &Arc<Path>, record: Record) -> Source {
        Source {
            name,
            at: At::Path(Arc::clone(path)),
            record: Some(Box::new(record)),
        }
    }

    /// Where to read it: the file, or the JSONL input holding the record.
    pub fn path(&self) -> Cow<'_, Path> {
        match &self.at {
            At::Path(path) => Cow::Borrowed(path),
            At::Under { root, from } => Cow::Owned(root.join(&self.name[*from as usize..])),
        }
    }
}

/// What the walk yields, in order: a document, or an error that costs one entry.
pub type Entry = Result<Source, FileError>;

/// Walks every input and returns the entries in their fixed order.
///
/// Fails only when the inputs themselves are unusable: an input that does not
/// exist, or two inputs whose relative names would collide.
pub fn walk(
    inputs: &[PathBuf],
    extensions: &[String],
    fields: &Fields,
) -> Result<Vec<Entry>, Fatal> {
    let prefixed = inputs.len() > 1;
    let mut prefixes = BTreeSet::new();
    let mut entries = Vec::new();
    for input in inputs {
        if jsonl::is_stdio(input) {
            jsonl::scan_into(input, "stdin", fields, &mut entries)?;
            continue;
        }
        let meta = std::fs::metadata(input).map_err(|e| Fatal::io("read input", input, &e))?;
        let prefix = if prefixed {
            let name = input_name(input);
            if !prefixes.insert(name.clone()) {
                return Err(Fatal::new(format!(
                    "two inputs are named {name:?}: their cleaned copies would collide; \
                     run them separately"
                )));
            }
            Some(name)
        } else {
            None
        };
        if meta.is_dir() {
            walk_dir(input, prefix.as_deref(), extensions, fields, &mut entries);
        } else if jsonl::is_jsonl(input) {
            jsonl::scan_into(input, &input_name(input), fields, &mut entries)?;
        } else {
            let name = prefix.unwrap_or_else(|| input_name(input));
            entries.push(Ok(Source::file(name, input)));
        }
    }
    Ok(entries)
}

fn walk_dir(
    root: &Path,
    prefix: Option<&str>,
    extensions: &[String],
    fields: &Fields,
    out: &mut Vec<Entry>,
) {
    let shared: Arc<Path> = Arc::from(root);
    let walker = WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
    for item in walker {
        match item {
            Ok(entry) => {
                if entry.file_type().is_dir() || !has_extension(entry.path(), extensions) {
                    continue;
                }
                let Some(rel) = spelled_below(root, entry.path())
                    .or_else(|| entry.path().strip_prefix(root).ok())
                else {
                    continue;
                };
                // A JSONL file picked by --ext holds documents, one a line.
                if jsonl::is_jsonl(entry.path()) {
                    let name = relative_name(prefix, rel);
                    match jsonl::scan_into(entry.path(), &name, fields, out) {
                        Ok(()) => {}
                        Err(e) => {
                            out.push(Err(FileError::new(name, Operation::Read, e.to_string())))
                        }
                    }
                    continue;
                }
                out.push(Ok(Source::under(
                    relative_name(prefix, rel),
                    &shared,
                    entry.path(),
                )));
            }
            Err(err) => {
                let path = err.path().unwrap_or(root).to_path_buf();
                let rel = path.strip_prefix(root).unwrap_or(&path);
                let cause = err
                    .io_error()
                    .map(|e| e.to_string())
                    .unwrap_or_else(|| err.to_string());
                let message = match (err.loop_ancestor(), std::fs::read_link(&path)) {
                    (Some(ancestor), _) => format!("link loop back to {}", display_path(ancestor)),
                    (None, Ok(target)) => {
                        format!("broken link to {}: {cause}", display_path(&target))
                    }
                    (None, Err(_)) => cause,
                };
                out.push(Err(FileError::new(
                    relative_name(prefix, rel),
                    Operation::Walk,
                    message,
                )));
            }
        }
    }
}

/// The end of `path` that `root.join` makes it from: its bytes after
/// those of `root` and a separator, as the walk spells the paths below its
/// root; `None` when `path` is not spelled so. `root.join(end)` is then
/// `path`, byte for byte.
///
/// A byte comparison: `Path::strip_prefix`, which compares component by
/// component, took a third of the walk's time on a directory of 364,438
/// files.
#[cfg(unix)]
fn spelled_below<'p>(root: &Path, path: &'p Path) -> Option<&'p Path> {
    use std::os::unix::ffi::OsStrExt;
    let root = root.as_os_str().as_bytes();
    let rest = path.as_os_str().as_bytes().strip_prefix(root)?;
    let end = match root.ends_with(b"/") {
        true => rest,
        false => rest.strip_prefix(b"/")?,
    };
    (!end.is_empty() && !end.starts_with(b"/")).then(|| Path::new(OsStr::from_bytes(end)))
}

/// [`spelled_below`] where paths are not plain bytes: `Path::strip_prefix`,
/// checked by joining again.
#[cfg(not(unix))]
fn spelled_below<'p>(root: &Path, path: &'p Path) -> Option<&'p Path> {
    path.strip_prefix(root)
        .ok()
        .filter(|end| !end.as_os_str().is_empty() && root.join(end).as_os_str() == path.as_os_str())
}

fn relative_name(prefix: Option<&str>, rel: &Path) -> String {
    let rel = display_path(rel);
    match prefix {
        Some(p) if rel.is_empty() => p.to_string(),
        Some(p) => format!("{p}/{rel}"),
        None => rel,
    }
}

/// The last component of an input path, or the whole path if it has none
/// (such as `.` or `/`).
fn input_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| display_path(path))
}

fn is_hidden(name: &OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

/// Whether `path` has one of `extensions`; a compressed JSONL file
/// (`a.jsonl.gz`) counts as `jsonl`.
fn has_extension(path: &Path, extensions: &[String]) -> bool {
    let ext = |p: &Path| p.extension().map(|e| e.to_string_lossy().to_lowercase());
    let compressed = jsonl::Compression::of(path) != jsonl::Compression::None;
    let inner = (compressed && jsonl::is_jsonl(path))
        .then(|| path.file_stem().and_then(|s| ext(Path::new(s))))
        .flatten();
    ext(path)
        .into_iter()
        .chain(inner)
        .any(|e| extensions.contains(&e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn names(entries: &[Entry]) -> Vec<String> {
        entries
            .iter()
            .map(|e| match e {
                Ok(s) => s.name.clone(),
                Err(e) => format!("ERR {}", e.path),
            })
            .collect()
    }

    #[test]
    fn spelled_below_is_what_join_made() {
        // Roots as a user types them, and names below them as the walk
        // joins them on.
        let roots = [
            "corpus", "corpus/", "./corpus", "a/./b", "/", "/tmp/x", "x//y",
        ];
        let ends = ["f.txt", "sub/f.txt", "a b/c.md", ".hidden/f"];
        for root in roots.map(Path::new) {
            for end in ends.map(Path::new) {
                let path = root.join(end);
                let got = spelled_below(root, &path);
                assert_eq!(got, Some(end), "{root:?} {path:?}");
                assert_eq!(got, path.strip_prefix(root).ok(), "{root:?} {path:?}");
            }
        }
        // Not spelled as root, a separator and a name: left to
        // `strip_prefix`, or to the path itself.
        for (root, path) in [
            ("corpus", "corpus"),
            ("corpus", "corpus2/f.txt"),
            ("corpus", "corpus//f.txt"),
            ("corpus", "other/f.txt"),
            ("corpus/", "corpus/"),
        ] {
            assert_eq!(
                spelled_below(Path::new(root), Path::new(path)),
                None,
                "{root} {path}"
            );
        }
    }

    #[test]
    fn every_document_knows_its_path_stored_or_made_from_its_name() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("in");
        fs::create_dir_all(root.join("b")).unwrap();
        let mut files = vec![root.join("b/a.txt"), root.join("z.txt")];
        // A name that is not UTF-8 is not spelled by its relative name: its
        // path is stored.
        #[cfg(unix)]
        files.push(
            root.join(<OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(
                b"caf\xe9.txt",
            )),
        );
        for (i, f) in files.iter().enumerate() {
            fs::write(f, format!("document {i}")).unwrap();
        }
        let txt = ["txt".to_string()];
        let mut expected = files.clone();
        expected.sort();
        // One input, also spelled with a trailing separator, and two
        // inputs, whose names are prefixed with the inputs' names.
        let with_slash = PathBuf::from(format!("{}/", root.display()));
        let other = dir.path().join("other");
        fs::create_dir_all(&other).unwrap();
        for inputs in [
            vec![root.clone()],
            vec![with_slash],
            vec![root.clone(), other],
        ] {
            let entries = walk(&inputs, &txt, &Fields::default()).unwrap();
            let sources: Vec<&Source> = entries.iter().map(|e| e.as_ref().unwrap()).collect();
            let mut paths: Vec<PathBuf> = sources.iter().map(|s| s.path().into_owned()).collect();
            paths.sort();
            assert_eq!(paths.len(), expected.len());
            for (path, file) in paths.iter().zip(&expected) {
                assert_eq!(path.file_name(), file.file_name());
                assert_eq!(fs::read(path).unwrap(), fs::read(file).unwrap());
            }
            let prefixed = inputs.len() > 1;
            let a = sources
                .iter()
                .find(|s| s.name.ends_with("b/a.txt"))
                .unwrap();
            assert_eq!(a.name, if prefixed { "in/b/a.txt" } else { "b/a.txt" });
            assert!(matches!(a.at, At::Under { .. }), "{a:?}");
            #[cfg(unix)]
            {
                let odd = sources
                    .iter()
                    .find(|s| s.name.contains('\u{FFFD}'))
                    .unwrap();
                assert!(matches!(odd.at, At::Path(_)), "{odd:?}");
            }
        }
    }

    #[test]
    fn sorted_recursive_hidden_skipped_extensions_filtered() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("b/sub")).unwrap();
        fs::create_dir_all(root.join(".git")).unwrap();
        for f in [
            "z.txt",
            "a.md",
            "b/sub/c.txt",
            "b/a.txt",
            ".hidden.txt",
            ".git/x.txt",
            "n.json",
        ] {
            fs::write(root.join(f), "x").unwrap();
        }
        let entries = walk(
            &[root.to_path_buf()],
            &crate::config::default_extensions(),
            &Fields::default(),
        )
        .unwrap();
        assert_eq!(names(&entries), ["a.md", "b/a.txt", "b/sub/c.txt", "z.txt"]);
    }

    #[test]
    fn several_inputs_are_prefixed_and_files_taken_as_given() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("one")).unwrap();
        fs::write(root.join("one/a.txt"), "x").unwrap();
        fs::write(root.join("single.dat"), "x").unwrap();
        let inputs = [root.join("one"), root.join("single.dat")];
        let entries = walk(
            &inputs,
            &crate::config::default_extensions(),
            &Fields::default(),
        )
        .unwrap();
        assert_eq!(names(&entries), ["one/a.txt", "single.dat"]);
    }

    #[test]
    fn colliding_input_names_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("x/data")).unwrap();
        fs::create_dir_all(root.join("y/data")).unwrap();
        let err = walk(
            &[root.join("x/data"), root.join("y/data")],
            &[],
            &Fields::default(),
        )
        .unwrap_err();
        assert!(err.to_string().contains("two inputs are named \"data\""));
    }

    #[test]
    fn missing_input_is_fatal() {
        let err = walk(&[PathBuf::from("/no/such/dir")], &[], &Fields::default()).unwrap_err();
        assert!(err.to_string().contains("/no/such/dir"));
    }

    #[test]
    fn jsonl_files_picked_by_extension_hold_documents() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::write(root.join("a.txt"), "x").unwrap();
        fs::write(root.join("b.jsonl"), "{\"id\":\"b1\",\"text\":\"x\"}\n").unwrap();
        let gz = {
            use std::io::Write;
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(b"{\"text\":\"y\"}\n").unwrap();
            e.finish().unwrap()
        };
        fs::write(root.join("c.jsonl.gz"), gz).unwrap();
        let exts = ["txt".to_string(), "jsonl".to_string()];
        let entries = walk(&[root.to_path_buf()], &exts, &Fields::default()).unwrap();
        // JSONL documents are named by their line until it is parsed.
        assert_eq!(names(&entries), ["a.txt", "b.jsonl:1", "c.jsonl.gz:1"]);
        let txt_only = walk(&[root.to_path_buf()], &exts[..1], &Fields::default()).unwrap();
        assert_eq!(names(&txt_only), ["a.txt"]);
    }

    #[cfg(unix)]
    #[test]
    fn dangling_link_is_a_per_file_error() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::write(root.join("a.txt"), "x").unwrap();
        std::os::unix::fs::symlink(root.join("gone.txt"), root.join("b.txt")).unwrap();
        let entries = walk(
            &[root.to_path_buf()],
            &crate::config::default_extensions(),
            &Fields::default(),
        )
        .unwrap();
        assert_eq!(names(&entries), ["a.txt", "ERR b.txt"]);
    }
}
