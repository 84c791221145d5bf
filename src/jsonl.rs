//! JSONL documents, in and out: the read and write stages for pipelines.
//!
//! # Input
//!
//! One document a line, a JSON object in the conventions of LLM data tools:
//!
//! ```text
//! {"id": "bbc-0001", "text": "Headline\n\nFirst paragraph…", "source": "bbc", "metadata": {…}}
//! ```
//!
//! `id` and `text` are the field names by default (`--id-field`,
//! `--text-field`); every other field is carried through untouched. A file
//! is JSONL when its name ends in `.jsonl` or `.ndjson`, optionally followed
//! by `.gz` or `.zst`; `-` is standard input (plain, or compressed when it
//! starts with the gzip or zstd magic bytes).
//!
//! A document's name in the report is its `id` (a string as it is, a number
//! as written); a line without one is named `FILE:LINE`. Byte offsets in
//! the report are into the UTF-8 bytes of the `text` value, decoded.
//!
//! A line that is not a JSON object, or has no string `text`, costs only
//! itself: it becomes a per-document error named `FILE:LINE`, is left out of
//! the output, and the run exits 2. Blank lines are skipped.
//!
//! Like files, records are read twice (see [`crate`]): the scan only finds
//! the lines, and the worker that reads a document first parses its line,
//! names the document by its id and notes where its text field's value is
//! ([`Record::identify`]), decoding the text on the way when the line is
//! an object of string members (`jsonl::members`); the second pass reads
//! it again from there: the text field alone, or the whole line when the
//! output is JSONL and needs every other byte of it. Only the text's
//! string is decoded again, never the whole line. A plain file is read in
//! place; compressed input and standard input are decompressed once into
//! an unnamed temporary file (in `TMPDIR`), which holds the lines until
//! the run ends.
//!
//! # Output
//!
//! Each document's line is written again with only the value of its `text`
//! field replaced by the cleaned text; every other byte of the line, field
//! order and spacing included, is the input's. Documents come out in input
//! order, one line each, also when every paragraph was removed (the text is
//! then empty), so ids stay aligned with the input. The output file is
//! compressed when its name ends in `.gz` or `.zst`, and written to a
//! temporary name and renamed, like every output of `dedupe`.

mod escape;
mod members;
mod unescape;

pub use escape::write_str;

use crate::error::{Fatal, FileError, Operation, display_path};
use crate::walk::{Entry, Source};
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The names of the fields `dedupe` reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fields {
    /// The document's identifier (`id`).
    pub id: String,
    /// The document's text (`text`).
    pub text: String,
    /// The longest line taken as a document, in bytes (`--max-file-size`):
    /// a longer line is skipped with an error, without being held.
    pub max_line: u64,
}

impl Default for Fields {
    fn default() -> Fields {
        Fields {
            id: "id".to_string(),
            text: "text".to_string(),
            max_line: crate::read::DEFAULT_MAX_FILE_SIZE,
        }
    }
}

/// How a file's bytes are compressed, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// Plain bytes.
    None,
    /// gzip (`.gz`).
    Gzip,
    /// Zstandard (`.zst`).
    Zstd,
}

impl Compression {
    /// The compression a file name asks for.
    pub fn of(path: &Path) -> Compression {
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("gz") => Compression::Gzip,
            Some(e) if e.eq_ignore_ascii_case("zst") => Compression::Zstd,
            _ => Compression::None,
        }
    }
}

/// Whether `path` names a JSONL file: `.jsonl` or `.ndjson`, optionally
/// compressed, or `-` for standard input.
pub fn is_jsonl(path: &Path) -> bool {
    if is_stdio(path) {
        return true;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let name = name
        .strip_suffix(".gz")
        .or_else(|| name.strip_suffix(".zst"))
        .unwrap_or(&name);
    name.ends_with(".jsonl") || name.ends_with(".ndjson")
}

/// Whether `path` is `-`: standard input or output.
pub fn is_stdio(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// The file a record's line is read from: the input itself, or the
/// temporary copy of a compressed input or of standard input.
#[derive(Debug)]
pub struct Store {
    file: File,
}

/// Where one JSONL document is: its line in a [`Store`], and its text
/// field's value in the line.
#[derive(Debug, Clone)]
pub struct Record {
    store: Arc<Store>,
    offset: u64,
    len: usize,
    /// Where the text field's value, a JSON string with its quotes, lies
    /// in the line: found once when the line is first parsed
    /// ([`Record::identify`]), so that the second pass reads and decodes
    /// that string alone instead of parsing the whole line again.
    text: Option<Range<usize>>,
    /// Line number in the input, from 1.
    pub line: u64,
}

impl Record {
    /// The line's bytes, without its line break.
    pub fn read_line(&self) -> io::Result<Vec<u8>> {
        crate::read::bytes_at(&self.store.file, self.len, self.offset)
    }

    /// Parses `line`, this record's line as [`Record::read_line`] gave it,
    /// and notes where its text field is; gives the document's id (""
    /// when it has none) and, for a line of the usual shape, its text,
    /// decoded on the way (see `jsonl::members`); or why the line is no
    /// document.
    pub fn identify(&mut self, line: &[u8], fields: &Fields) -> Result<Identity, String> {
        let (identity, text) = identify_decoding(line, fields)?;
        self.text = Some(text);
        Ok(identity)
    }

    /// Whether [`Record::identify`] has found the text field.
    pub fn identified(&self) -> bool {
        self.text.is_some()
    }

    /// Where the text field's value is in `line`: as noted, or found now.
    fn text_in(&self, line: &[u8], fields: &Fields) -> Result<Range<usize>, String> {
        match &self.text {
            Some(text) => Ok(text.clone()),
            None => identify(line, fields).map(|(_, text)| text),
        }
    }

    /// The text, read alone from the line's text field once it has been
    /// found, else from the whole line.
    pub fn read_text(&self, fields: &Fields) -> Result<Result<String, String>, io::Error> {
        let Some(text) = &self.text else {
            return Ok(self.text_of(&self.read_line()?, fields));
        };
        let raw = crate::read::bytes_at(
            &self.store.file,
            text.len(),
            self.offset + text.start as u64,
        )?;
        Ok(decode_text(&raw, fields))
    }

    /// The text of `line`, this record's line as [`Record::read_line`]
    /// gave it.
    pub fn text_of(&self, line: &[u8], fields: &Fields) -> Result<String, String> {
        let text = self.text_in(line, fields)?;
        decode_text(line.get(text).unwrap_or_default(), fields)
    }

    /// `line`, this record's line, with the value of its text field
    /// replaced by `text` (see the module doc), without a line break.
    pub fn replace_text(
        &self,
        line: &[u8],
        fields: &Fields,
        text: &str,
    ) -> Result<Vec<u8>, String> {
        let field = self.text_in(line, fields)?;
        if !line.get(field.clone()).is_some_and(is_string) {
            return Err(changed(fields));
        }
        let (before, after) = (&line[..field.start], &line[field.end..]);
        let mut out = Vec::with_capacity(line.len() + 16);
        out.extend_from_slice(before);
        escape::write_str(&mut out, text);
        out.extend_from_slice(after);
        Ok(out)
    }
}

/// The text of a text field's raw value, a JSON string with its quotes.
/// The line's parse found a string there; anything else means the file
/// changed.
fn decode_text(raw: &[u8], fields: &Fields) -> Result<String, String> {
    if !is_string(raw) {
        return Err(changed(fields));
    }
    match unescape::read_str(raw) {
        Some(text) => Ok(text),
        None => {
            serde_json::from_slice(raw).map_err(|e| format!("bad {:?} string: {e}", fields.text))
        }
    }
}

/// Whether `raw` has the quotes of a JSON string at both ends.
fn is_string(raw: &[u8]) -> bool {
    raw.len() >= 2 && raw.starts_with(b"\"") && raw.ends_with(b"\"")
}

fn changed(fields: &Fields) -> String {
    format!(
        "the line's {:?} field moved: the file changed while dedupe was running; run again",
        fields.text
    )
}

/// [`scan_into`] a list of its own.
#[cfg(test)]
pub fn scan(input: &Path, name: &str, fields: &Fields) -> Result<Vec<Entry>, Fatal> {
    let mut entries = Vec::new();
    scan_into(input, name, fields, &mut entries)?;
    Ok(entries)
}

/// Reads the JSONL input `input` (a file or `-`) and lists its documents in
/// line order, onto the end of `out`; `name` is what the input is called in
/// messages. `out` is left as it was when the input cannot be read. A large
/// input's entries go straight into the walk's list, without a list of
/// their own to copy from (at a gigabyte of news, tens of megabytes of
/// memory touched for the first time, while no other thread has work).
pub fn scan_into(
    input: &Path,
    name: &str,
    fields: &Fields,
    out: &mut Vec<Entry>,
) -> Result<(), Fatal> {
    let before = out.len();
    let scanned = scan_lines(input, name, fields, out);
    if scanned.is_err() {
        out.truncate(before);
    }
    scanned
}

fn scan_lines(
    input: &Path,
    name: &str,
    fields: &Fields,
    out: &mut Vec<Entry>,
) -> Result<(), Fatal> {
    let cannot = |e: io::Error| Fatal::io("read", input, &e);
    // Records read their lines from the store by offset, so it can be
    // opened before the lines are found; a copy is complete before any
    // record is read.
    let (reader, spool, store): (Box<dyn Read>, Option<File>, File) = if is_stdio(input) {
        let stdin = Box::new(io::stdin().lock());
        let copy = temp(input)?;
        let store = copy.try_clone().map_err(|e| spool_error(input, e))?;
        (
            decompress_sniffed(stdin).map_err(cannot)?,
            Some(copy),
            store,
        )
    } else {
        let file = File::open(input).map_err(cannot)?;
        match Compression::of(input) {
            #[cfg(unix)]
            Compression::None if file.metadata().is_ok_and(|m| m.is_file()) => {
                return scan_in_place(input, name, fields, file, SCAN_PIECE, out);
            }
            Compression::None => {
                let reader = file.try_clone().map_err(cannot)?;
                (Box::new(reader), None, file)
            }
            c => {
                let copy = temp(input)?;
                let store = copy.try_clone().map_err(|e| spool_error(input, e))?;
                (
                    decompress(Box::new(file), c).map_err(cannot)?,
                    Some(copy),
                    store,
                )
            }
        }
    };
    let store = Arc::new(Store { file: store });
    let path: Arc<Path> = Arc::from(input);
    let mut reader = BufReader::with_capacity(1 << 20, reader);
    let mut spool = spool.map(|f| io::BufWriter::with_capacity(1 << 20, f));
    // Lines are read here once to find them. Each line is parsed later, by
    // the worker that reads its document first (see [`Record::identify`]).
    let mut line = Vec::new();
    let mut offset = 0u64;
    let mut number = 0u64;
    loop {
        line.clear();
        let (read, whole) = read_line(&mut reader, &mut line, fields.max_line).map_err(cannot)?;
        if read == 0 {
            break;
        }
        number += 1;
        // Named by its place until its id is read.
        let at = || format!("{name}:{number}");
        if !whole {
            // Too long to hold: skipped unread, and not copied.
            let message = format!(
                "line of {read} bytes is over the limit of {} bytes (--max-file-size), skipped",
                fields.max_line
            );
            out.push(Err(FileError::new(at(), Operation::Decode, message)));
            offset += if spool.is_some() { 0 } else { read };
            continue;
        }
        if let Some(spool) = &mut spool {
            spool.write_all(&line).map_err(|e| spool_error(input, e))?;
        }
        let body = trim_line_break(&line);
        if !body.iter().all(u8::is_ascii_whitespace) {
            let record = Record {
                store: Arc::clone(&store),
                offset,
                len: body.len(),
                text: None,
                line: number,
            };
            out.push(Ok(Source::record(at(), &path, record)));
        }
        offset += read;
    }
    if let Some(spool) = spool {
        let mut file = spool
            .into_inner()
            .map_err(|e| spool_error(input, e.into_error()))?;
        file.flush().map_err(|e| spool_error(input, e))?;
    }
    Ok(())
}

/// Reads one line, its line break included, into `line` when it has at
/// most `max` bytes; a longer one is consumed without being kept. Gives the
/// bytes consumed and whether the line was kept.
fn read_line(reader: &mut impl BufRead, line: &mut Vec<u8>, max: u64) -> io::Result<(u64, bool)> {
    let mut read = 0u64;
    loop {
        let buf = fill(reader)?;
        if buf.is_empty() {
            break;
        }
        let (take, done) = through_break(buf);
        if read + (take as u64) <= max.saturating_add(1) {
            line.extend_from_slice(&buf[..take]);
        }
        read += take as u64;
        reader.consume(take);
        if done {
            break;
        }
    }
    let body = read - u64::from(line.ends_with(b"\n"));
    Ok((read, read == line.len() as u64 && body <= max))
}

/// Bytes of a plain JSONL file whose lines one task of the scan finds
/// ([`scan_in_place`]).
#[cfg(unix)]
const SCAN_PIECE: u64 = 4 << 20;

/// Finds the lines of `file`, the plain JSONL file `input` (a regular
/// file, read in place), and lists its documents as [`scan_lines`] does,
/// onto the end of `out`. The file is cut into pieces of `piece` bytes
/// whose lines are found at once on the rayon pool it is called in: found
/// in one thread, a gigabyte of news took 0.2 to 0.4 s before any other
/// work could start. A line belongs to the piece it starts in; the line
/// numbers are counted once every piece is done.
#[cfg(unix)]
fn scan_in_place(
    input: &Path,
    name: &str,
    fields: &Fields,
    file: File,
    piece: u64,
    out: &mut Vec<Entry>,
) -> Result<(), Fatal> {
    use rayon::prelude::*;
    let cannot = |e: io::Error| Fatal::io("read", input, &e);
    let len = file.metadata().map_err(cannot)?.len();
    let piece = piece.max(1);
    let starts: Vec<u64> = (0..len.div_ceil(piece)).map(|k| k * piece).collect();
    let found: Vec<Vec<Found>> = starts
        .par_iter()
        .map(|&start| lines_starting_in(&file, start, (start + piece).min(len)))
        .collect::<io::Result<_>>()
        .map_err(cannot)?;
    let store = Arc::new(Store { file });
    let path: Arc<Path> = Arc::from(input);
    let mut number = 0;
    let firsts: Vec<u64> = found
        .iter()
        .map(|lines| {
            let first = number + 1;
            number += lines.len() as u64;
            first
        })
        .collect();
    let listed: Vec<Vec<Entry>> = found
        .par_iter()
        .zip(firsts)
        .map(|(lines, first)| {
            (first..)
                .zip(lines)
                .filter_map(|(number, line)| {
                    line.entry(name, number, fields.max_line, &store, &path)
                })
                .collect()
        })
        .collect();
    out.reserve(listed.iter().map(Vec::len).sum());
    for entries in listed {
        out.extend(entries);
    }
    Ok(())
}

/// One line of a plain JSONL file, as [`lines_starting_in`] found it.
#[cfg(unix)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Found {
    /// Where it starts in the file.
    offset: u64,
    /// Its bytes, its line break included.
    read: u64,
    /// Its bytes without the `\n` that ends it: what the limit is on.
    body: u64,
    /// Its bytes without the line break (`\n` or `\r\n`, or a `\r` at the
    /// file's end), as [`trim_line_break`] leaves it.
    len: u64,
    /// Whether it is white space only.
    blank: bool,
}

#[cfg(unix)]
impl Found {
    /// The line's entry, line `number` of the input: its document, the
    /// error of a line over the limit `max`, or `None` for a blank line.
    fn entry(
        &self,
        name: &str,
        number: u64,
        max: u64,
        store: &Arc<Store>,
        path: &Arc<Path>,
    ) -> Option<Entry> {
        let at = format!("{name}:{number}");
        if self.body > max {
            let message = format!(
                "line of {} bytes is over the limit of {max} bytes (--max-file-size), skipped",
                self.read
            );
            return Some(Err(FileError::new(at, Operation::Decode, message)));
        }
        if self.blank {
            return None;
        }
        let record = Record {
            store: Arc::clone(store),
            offset: self.offset,
            // Under the limit, which is under the address space.
            len: self.len as usize,
            text: None,
            line: number,
        };
        Some(Ok(Source::record(at, path, record)))
    }
}

/// The lines of `file` that start at or after byte `start` and before
/// byte `end`, the last read to its end wherever that is. A line starts
/// at the file's start and after each `\n`; no more than the piece is read
/// to find the first.
#[cfg(unix)]
fn lines_starting_in(file: &File, start: u64, end: u64) -> io::Result<Vec<Found>> {
    // Read from the piece's own start, a multiple of the page size, not
    // from the byte before it: with every read one byte off the page
    // cache's pages, copying the file out took three times as long.
    let mut reader = BufReader::with_capacity(
        1 << 18,
        ReadAt {
            file,
            offset: start,
        },
    );
    let mut offset = start;
    if start > 0 && byte_at(file, start - 1)? != Some(b'\n') {
        // In a line that started before: past its `\n`.
        loop {
            let buf = fill(&mut reader)?;
            if buf.is_empty() {
                return Ok(Vec::new());
            }
            let (take, done) = through_break(buf);
            reader.consume(take);
            offset += take as u64;
            if done || offset >= end {
                break;
            }
        }
    }
    let mut found = Vec::new();
    while offset < end {
        let line = skip_line(&mut reader, offset)?;
        if line.read == 0 {
            break;
        }
        offset += line.read;
        found.push(line);
    }
    Ok(found)
}

/// The byte of `file` at `offset`; `None` past its end.
#[cfg(unix)]
fn byte_at(file: &File, offset: u64) -> io::Result<Option<u8>> {
    use std::os::unix::fs::FileExt;
    let mut byte = [0];
    loop {
        match file.read_at(&mut byte, offset) {
            Ok(0) => return Ok(None),
            Ok(_) => return Ok(Some(byte[0])),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// Reads past the line at `offset`, the reader's place, without keeping
/// it.
#[cfg(unix)]
fn skip_line(reader: &mut impl BufRead, offset: u64) -> io::Result<Found> {
    let (mut read, mut blank, mut ended) = (0u64, true, false);
    // The line's last byte before any `\n`.
    let mut last = None;
    loop {
        let buf = fill(reader)?;
        if buf.is_empty() {
            break;
        }
        let (take, done) = through_break(buf);
        let body = &buf[..take - usize::from(done)];
        blank = blank && body.iter().all(u8::is_ascii_whitespace);
        last = body.last().copied().or(last);
        read += take as u64;
        reader.consume(take);
        if done {
            ended = true;
            break;
        }
    }
    let body = read - u64::from(ended);
    Ok(Found {
        offset,
        read,
        body,
        len: body - u64::from(last == Some(b'\r')),
        blank,
    })
}

/// How many of `buf`'s bytes belong to the line being read, its `\n`
/// included, and whether that `\n` is among them.
fn through_break(buf: &[u8]) -> (usize, bool) {
    match memchr::memchr(b'\n', buf) {
        Some(i) => (i + 1, true),
        None => (buf.len(), false),
    }
}

/// The reader's next bytes, after any interrupted read.
fn fill(reader: &mut impl BufRead) -> io::Result<&[u8]> {
    loop {
        match reader.fill_buf() {
            Ok(_) => break,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    reader.fill_buf()
}

/// Reads `file` from `offset` on, through a place of its own: the pieces
/// of one file are read by several threads at once.
#[cfg(unix)]
struct ReadAt<'f> {
    file: &'f File,
    offset: u64,
}

#[cfg(unix)]
impl Read for ReadAt<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        use std::os::unix::fs::FileExt;
        let n = self.file.read_at(buf, self.offset)?;
        self.offset += n as u64;
        Ok(n)
    }
}

fn temp(input: &Path) -> Result<File, Fatal> {
    tempfile::tempfile().map_err(|e| {
        Fatal::new(format!(
            "cannot create a temporary file for the lines of {}: {e}",
            display_path(input)
        ))
    })
}

fn spool_error(input: &Path, e: io::Error) -> Fatal {
    Fatal::new(format!(
        "cannot copy the lines of {} to a temporary file: {e}",
        display_path(input)
    ))
}

fn decompress(reader: Box<dyn Read>, compression: Compression) -> io::Result<Box<dyn Read>> {
    Ok(match compression {
        Compression::None => reader,
        Compression::Gzip => Box::new(flate2::read::MultiGzDecoder::new(reader)),
        Compression::Zstd => Box::new(zstd::Decoder::new(reader)?),
    })
}

/// Decompresses a stream that starts with the gzip or zstd magic bytes.
fn decompress_sniffed(reader: Box<dyn Read>) -> io::Result<Box<dyn Read>> {
    let mut reader = BufReader::new(reader);
    let head = reader.fill_buf()?;
    let compression = if head.starts_with(&[0x1f, 0x8b]) {
        Compression::Gzip
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Compression::Zstd
    } else {
        Compression::None
    };
    decompress(Box::new(reader), compression)
}

fn trim_line_break(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// The fields of one line, values unparsed.
type Object<'a> = HashMap<Cow<'a, str>, &'a RawValue>;

fn parse(line: &[u8]) -> Result<Object<'_>, String> {
    serde_json::from_slice(line).map_err(|e| format!("not a JSON object: {e}"))
}

/// A line's document id, and where its text field's value is in the line.
type Identified = (String, Range<usize>);

/// What the first reading of a line gives: the document's id ("" when it
/// has none), and its text when it was decoded on the way.
#[derive(Debug, PartialEq, Eq)]
pub struct Identity {
    pub id: String,
    pub text: Option<String>,
}

/// [`identify`], with the text decoded on the way for a line of the usual
/// shape (see [`members`]): the same id and place, and the text that
/// [`decode_text`] would give.
fn identify_decoding(line: &[u8], fields: &Fields) -> Result<(Identity, Range<usize>), String> {
    let found = members::read(line, fields.text.as_bytes(), fields.id.as_bytes());
    if let Some(members::Members {
        text: Some((place, text)),
        id,
    }) = found
    {
        let id = match id {
            // A string that `members` checked as UTF-8.
            Some(id) => id_of(std::str::from_utf8(&line[id]).unwrap_or_default()),
            None => String::new(),
        };
        let text = Some(text);
        return Ok((Identity { id, text }, place));
    }
    let (id, place) = identify(line, fields)?;
    Ok((Identity { id, text: None }, place))
}

/// A document's name from its id member's value, a JSON text: a string
/// decoded, `null` as none, anything else as it is written.
fn id_of(raw: &str) -> String {
    match serde_json::from_str::<String>(raw) {
        Ok(s) => s,
        Err(_) if raw == "null" => String::new(),
        Err(_) => raw.to_string(),
    }
}

/// The document's id ("" when it has none) and where its text field's value
/// lies in `line`, or why the line is no document.
fn identify(line: &[u8], fields: &Fields) -> Result<Identified, String> {
    let object = parse(line)?;
    let raw = text_value(&object, fields)?.get();
    // The raw value borrows from `line`: its position is the field's.
    let start = raw.as_ptr() as usize - line.as_ptr() as usize;
    let text = start..start + raw.len();
    let id = object
        .get(fields.id.as_str())
        .map_or_else(String::new, |raw| id_of(raw.get()));
    Ok((id, text))
}

fn text_value<'a>(object: &Object<'a>, fields: &Fields) -> Result<&'a RawValue, String> {
    let raw = object
        .get(fields.text.as_str())
        .ok_or_else(|| format!("no {:?} field", fields.text))?;
    if !raw.get().starts_with('"') {
        return Err(format!("the {:?} field is not a string", fields.text));
    }
    Ok(raw)
}

/// A line for a document read from a text file: `{"id": NAME, "text": TEXT}`,
/// the fields in the order of their names (one `text` field when both
/// have the same name).
pub fn new_line(fields: &Fields, name: &str, text: &str) -> Vec<u8> {
    let (id, text) = ((fields.id.as_str(), name), (fields.text.as_str(), text));
    let members = match fields.id.cmp(&fields.text) {
        std::cmp::Ordering::Less => vec![id, text],
        std::cmp::Ordering::Equal => vec![text],
        std::cmp::Ordering::Greater => vec![text, id],
    };
    let mut out = Vec::with_capacity(text.1.len() + name.len() + 32);
    out.push(b'{');
    for (number, (key, value)) in members.into_iter().enumerate() {
        if number > 0 {
            out.push(b',');
        }
        escape::write_str(&mut out, key);
        out.push(b':');
        escape::write_str(&mut out, value);
    }
    out.push(b'}');
    out
}

/// A JSONL output file being written, renamed into place by
/// [`Sink::commit`]. Dropped without a commit, it leaves nothing behind.
pub struct Sink {
    target: PathBuf,
    temp: tempfile::NamedTempFile,
    writer: Box<dyn Write + Send>,
}

impl std::fmt::Debug for Sink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sink")
            .field("target", &self.target)
            .finish()
    }
}

impl Sink {
    /// Prepares to write `target`, compressed as its name says. Fails if it
    /// exists and `force` is off.
    pub fn create(target: &Path, force: bool) -> Result<Sink, Fatal> {
        crate::corpus::refuse_special(target)?;
        if target.exists() && !force {
            return Err(Fatal::new(format!(
                "output {} already exists; use --force to replace it, or -o to choose another",
                target.display()
            )));
        }
        let dir = target
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let temp = tempfile::Builder::new()
            .prefix(".dedupe-tmp-")
            .permissions(crate::corpus::readable())
            .tempfile_in(dir)
            .map_err(|e| Fatal::io("create a temporary file in", dir, &e))?;
        let file = temp
            .reopen()
            .map_err(|e| Fatal::io("open", temp.path(), &e))?;
        let buffered = io::BufWriter::with_capacity(1 << 20, crate::write::Streamed::new(file));
        let writer: Box<dyn Write + Send> = match Compression::of(target) {
            Compression::None => Box::new(buffered),
            Compression::Gzip => Box::new(flate2::write::GzEncoder::new(
                buffered,
                flate2::Compression::default(),
            )),
            Compression::Zstd => Box::new(
                zstd::Encoder::new(buffered, 3)
                    .map_err(|e| Fatal::io("compress", target, &e))?
                    .auto_finish(),
            ),
        };
        Ok(Sink {
            target: target.to_path_buf(),
            temp,
            writer,
        })
    }

    /// Appends one line (a line break is added).
    pub fn write_line(&mut self, line: &[u8]) -> Result<(), Fatal> {
        self.writer
            .write_all(line)
            .and_then(|()| self.writer.write_all(b"\n"))
            .map_err(|e| Fatal::io("write", &self.target, &e))
    }

    /// Finishes the file and renames it into place.
    pub fn commit(self) -> Result<(), Fatal> {
        let Sink {
            target,
            temp,
            writer,
        } = self;
        // Dropping the writer finishes the compressed stream and flushes.
        let mut writer = writer;
        writer
            .flush()
            .map_err(|e| Fatal::io("write", &target, &e))?;
        drop(writer);
        temp.as_file()
            .sync_all()
            .map_err(|e| Fatal::io("write", &target, &e))?;
        temp.persist(&target)
            .map_err(|e| Fatal::io("move into place output", &target, &e.error))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fields() -> Fields {
        Fields::default()
    }

    /// A line read as before the reading without serde_json: serde_json's
    /// parse, then the text decoded from its place.
    fn by_serde(line: &[u8]) -> Result<(String, Range<usize>, String), String> {
        let (id, place) = identify(line, &fields())?;
        let text = decode_text(&line[place.clone()], &fields())?;
        Ok((id, place, text))
    }

    /// The same, as a run reads it now.
    fn as_read(line: &[u8]) -> Result<(String, Range<usize>, String), String> {
        let (identity, place) = identify_decoding(line, &fields())?;
        let text = match identity.text {
            Some(text) => text,
            None => decode_text(&line[place.clone()], &fields())?,
        };
        Ok((identity.id, place, text))
    }

    /// Lines of JSON objects, most well formed, with members of every kind
    /// and strings with every kind of escape, bad ones too, raw control
    /// characters and bytes that are not UTF-8; and some broken.
    fn lines() -> impl Strategy<Value = Vec<u8>> {
        let space = prop::sample::select(vec!["", "", " ", "\t", "\r", "  \n"]);
        let piece = prop::sample::select(vec![
            "words and more words ",
            "é中🙂",
            "\\n",
            "\\\"",
            "\\\\",
            "\\/",
            "\\b\\f\\r\\t",
            "\\u00e9",
            "\\u00E9",
            "\\uD83D\\uDE00",
            "\\ud800",
            "\\udc00x",
            "\\x",
            "\\u12",
            "\\u12g4",
            "\u{1}",
            "\t",
            "\u{7f}",
            "\\",
            "\"",
        ]);
        let bad_byte = prop::sample::select(vec![0xffu8, 0xc3, 0x80]);
        let string = (
            prop::collection::vec(piece, 0..5),
            prop::option::weighted(0.1, bad_byte),
        )
            .prop_map(|(pieces, bad)| {
                let mut s = b"\"".to_vec();
                for p in pieces {
                    s.extend_from_slice(p.as_bytes());
                }
                s.extend(bad);
                s.push(b'"');
                s
            });
        let other = prop::sample::select(vec![
            "12",
            "-1.5e3",
            "null",
            "true",
            "{\"a\":\"b\"}",
            "[1,\"x\"]",
            "\"open",
            "",
        ])
        .prop_map(|v| v.as_bytes().to_vec());
        let value = prop_oneof![6 => string, 1 => other];
        let key = prop_oneof![
            4 => prop::sample::select(vec!["id", "text", "url", "tëxt", "te\\u0078t", "i\\\"d", "te\u{1}xt"])
                .prop_map(|k| k.to_string()),
            1 => "[a-z]{0,3}",
        ];
        let member = (key, space.clone(), space.clone(), value).prop_map(|(k, a, b, v)| {
            let mut m = format!("\"{k}\"{a}:{b}").into_bytes();
            m.extend(v);
            m
        });
        let ending = prop::sample::select(vec!["}", "}", "}", "} ", "}\r", "", "}x", ",}", "}}"]);
        (
            space.clone(),
            prop::collection::vec((member, space), 0..5),
            ending,
            any::<bool>(),
        )
            .prop_map(|(lead, members, end, open)| {
                let mut line = lead.as_bytes().to_vec();
                if open {
                    line.push(b'{');
                }
                for (i, (m, after)) in members.into_iter().enumerate() {
                    if i > 0 {
                        line.push(b',');
                    }
                    line.extend(m);
                    line.extend_from_slice(after.as_bytes());
                }
                line.extend_from_slice(end.as_bytes());
                line
            })
    }

    proptest::proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]
        #[test]
        fn lines_are_read_as_serde_json_reads_them(line in lines()) {
            prop_assert_eq!(as_read(&line), by_serde(&line), "{}", String::from_utf8_lossy(&line));
        }
    }

    #[test]
    fn usual_lines_are_read_without_serde_json() {
        for line in [
            &br#"{"id": "a", "text": "one\n\ntwo"}"#[..],
            br#"{"text":"caf\u00e9 \ud83d\ude00 \"q\"","id":"b","url":"https:\/\/x"}"#,
            "{\"text\": \"déjà vu\" , \"source\" : \"bbc\" }\r".as_bytes(),
        ] {
            let found = members::read(line, b"text", b"id");
            assert!(
                matches!(found, Some(members::Members { text: Some(_), .. })),
                "{line:?}"
            );
            let (identity, _) = identify_decoding(line, &fields()).unwrap();
            assert!(identity.text.is_some());
            assert_eq!(as_read(line), by_serde(line));
        }
        // Left to serde_json: a number, a nested value, an escaped key.
        for line in [
            &br#"{"id": 7, "text": "x"}"#[..],
            br#"{"text": "x", "meta": {"a": "b"}}"#,
            br#"{"te\u0078t": "x"}"#,
        ] {
            let (identity, _) = identify_decoding(line, &fields()).unwrap();
            assert_eq!(identity.text, None, "{line:?}");
            assert_eq!(as_read(line), by_serde(line));
        }
    }

    #[test]
    fn jsonl_names() {
        for yes in ["a.jsonl", "b.JSONL.gz", "c.ndjson.zst", "-"] {
            assert!(is_jsonl(Path::new(yes)), "{yes}");
        }
        for no in ["a.json", "a.txt", "jsonl", "a.gz"] {
            assert!(!is_jsonl(Path::new(no)), "{no}");
        }
    }

    /// The only record of a JSONL file holding `line`.
    fn record_of(dir: &Path, line: &[u8]) -> Record {
        let path = dir.join("one.jsonl");
        std::fs::write(&path, line).unwrap();
        let mut entries = scan(&path, "one", &fields()).unwrap();
        assert_eq!(entries.len(), 1);
        // Parsed, as by the first worker to read it.
        let mut record = *entries.remove(0).unwrap().record.unwrap();
        let line = record.read_line().unwrap();
        record.identify(&line, &fields()).unwrap();
        record
    }

    #[test]
    fn new_lines_are_serde_json_s_map() {
        for (id, text) in [
            ("id", "text"),
            ("zz", "text"),
            ("body", "body"),
            ("i\"d", "t\n"),
        ] {
            let fields = Fields {
                id: id.to_string(),
                text: text.to_string(),
                ..fields()
            };
            let mut object = serde_json::Map::new();
            object.insert(id.to_string(), "dir/a \"b\".txt".into());
            object.insert(text.to_string(), "Héllo\n\n\"x\"\u{1}".into());
            assert_eq!(
                new_line(&fields, "dir/a \"b\".txt", "Héllo\n\n\"x\"\u{1}"),
                serde_json::to_vec(&object).unwrap(),
                "{id:?} {text:?}"
            );
        }
    }

    #[test]
    fn replacing_the_text_keeps_every_other_byte() {
        let dir = tempfile::tempdir().unwrap();
        let line = br#"{"id": 7, "text":"a\nb",  "meta": {"text": "x"}, "z": 1.50}"#;
        let record = record_of(dir.path(), line);
        let out = record
            .replace_text(line, &fields(), "a \"quoted\"")
            .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            r#"{"id": 7, "text":"a \"quoted\"",  "meta": {"text": "x"}, "z": 1.50}"#
        );
        assert_eq!(record.text_of(line, &fields()).unwrap(), "a\nb");
        assert_eq!(record.read_text(&fields()).unwrap().unwrap(), "a\nb");
    }

    #[test]
    fn a_text_field_that_moved_is_an_error_not_other_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let record = record_of(dir.path(), br#"{"id":"a","text":"one two"}"#);
        // The line as it was scanned reads back.
        assert_eq!(record.read_text(&fields()).unwrap().unwrap(), "one two");
        // Rewritten in place with the field somewhere else: the scanned
        // position no longer holds a string, or the line is shorter.
        for changed in [&br#"{"text":"one two","id":"a"}"#[..], br#"{"text":"x"}"#] {
            std::fs::write(dir.path().join("one.jsonl"), changed).unwrap();
            let err = match record.read_text(&fields()) {
                Ok(decoded) => decoded.unwrap_err(),
                Err(io) => io.to_string(),
            };
            assert!(err.contains("changed") || err.contains("fill"), "{err}");
            let err = record.text_of(changed, &fields()).unwrap_err();
            assert!(err.contains("changed"), "{err}");
            let err = record.replace_text(changed, &fields(), "t").unwrap_err();
            assert!(err.contains("changed"), "{err}");
        }
    }

    #[test]
    fn ids_and_bad_lines() {
        assert_eq!(
            identify(br#"{"id":"x","text":""}"#, &fields()).unwrap(),
            ("x".to_string(), 17..19)
        );
        assert_eq!(
            identify(br#"{"id":12,"text": "t" }"#, &fields()).unwrap(),
            ("12".to_string(), 17..20)
        );
        assert_eq!(
            identify(br#"{"text":""}"#, &fields()).unwrap(),
            (String::new(), 8..10)
        );
        let no_text = identify(br#"{"id":1}"#, &fields()).unwrap_err();
        assert!(no_text.contains("no \"text\" field"), "{no_text}");
        let number = identify(br#"{"text":3}"#, &fields()).unwrap_err();
        assert!(number.contains("not a string"), "{number}");
        let broken = identify(b"{\"text\":", &fields()).unwrap_err();
        assert!(broken.contains("not a JSON object"), "{broken}");
        let custom = Fields {
            id: "doc_id".into(),
            text: "body".into(),
            ..Fields::default()
        };
        assert_eq!(
            identify(br#"{"doc_id":"d","body":"t"}"#, &custom)
                .unwrap()
                .0,
            "d"
        );
    }

    #[test]
    fn scan_finds_lines_in_plain_and_compressed_files() {
        let dir = tempfile::tempdir().unwrap();
        let lines = "{\"id\":\"a\",\"text\":\"one\"}\n\n{\"text\":\"two\"}\r\nnot json\n";
        let plain = dir.path().join("c.jsonl");
        std::fs::write(&plain, lines).unwrap();
        let gz = dir.path().join("c.jsonl.gz");
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(lines.as_bytes()).unwrap();
        std::fs::write(&gz, enc.finish().unwrap()).unwrap();
        let zst = dir.path().join("c.jsonl.zst");
        std::fs::write(&zst, zstd::encode_all(lines.as_bytes(), 1).unwrap()).unwrap();
        for input in [plain, gz, zst] {
            // Lines are found, named by their place, and parsed later.
            let entries = scan(&input, "c", &fields()).unwrap();
            let names: Vec<_> = entries.iter().map(|e| &e.as_ref().unwrap().name).collect();
            assert_eq!(names, ["c:1", "c:3", "c:4"]);
            let record = |i: usize| -> Record {
                let source = entries[i].as_ref().unwrap();
                source.record.as_deref().unwrap().clone()
            };
            let mut a = record(0);
            // Read whole before it is parsed, by its text field after.
            assert_eq!(a.read_text(&fields()).unwrap().unwrap(), "one");
            let line = a.read_line().unwrap();
            assert!(!a.identified());
            assert_eq!(a.identify(&line, &fields()).unwrap().id, "a");
            assert!(a.identified());
            assert_eq!(a.text_of(&line, &fields()).unwrap(), "one");
            assert_eq!(a.read_text(&fields()).unwrap().unwrap(), "one");
            let mut b = record(1);
            let line = b.read_line().unwrap();
            assert_eq!(line, br#"{"text":"two"}"#);
            assert_eq!(b.identify(&line, &fields()).unwrap().id, "");
            let mut c = record(2);
            let line = c.read_line().unwrap();
            let err = c.identify(&line, &fields()).unwrap_err();
            assert!(err.contains("not a JSON object"), "{err}");
        }
    }

    /// An entry as a run sees it: the document's name, line number and
    /// line, or the error's path and message.
    type Listed = Result<(String, u64, Vec<u8>), (String, String)>;

    /// What a scan listed, entry by entry.
    fn listed(entries: &[Entry]) -> Vec<Listed> {
        entries
            .iter()
            .map(|entry| match entry {
                Ok(source) => {
                    let record = source.record.as_deref().expect("a record");
                    let line = record.read_line().expect("its line");
                    Ok((source.name.clone(), record.line, line))
                }
                Err(e) => Err((e.path.clone(), e.message.clone())),
            })
            .collect()
    }

    proptest::proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        /// Found in pieces of any size, from several threads, the lines are
        /// those that reading the file from its start finds (here through
        /// gzip, which takes that path): blank lines, `\r\n`, a last line
        /// without a break and lines over the limit included.
        #[test]
        fn a_file_scanned_in_pieces_lists_what_one_reading_lists(
            bytes in proptest::collection::vec(
                proptest::sample::select(&b"{}x \r\n\n"[..]), 0..80),
            piece in 1u64..24,
            max in 0u64..12,
        ) {
            let dir = tempfile::tempdir().unwrap();
            let plain = dir.path().join("c.jsonl");
            std::fs::write(&plain, &bytes).unwrap();
            let gz = dir.path().join("c.jsonl.gz");
            let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            enc.write_all(&bytes).unwrap();
            std::fs::write(&gz, enc.finish().unwrap()).unwrap();
            let fields = Fields { max_line: max, ..Fields::default() };
            let mut in_pieces = Vec::new();
            let file = File::open(&plain).unwrap();
            scan_in_place(&plain, "c", &fields, file, piece, &mut in_pieces).unwrap();
            let whole = scan(&gz, "c", &fields).unwrap();
            prop_assert_eq!(listed(&in_pieces), listed(&whole));
        }
    }

    #[test]
    fn an_input_that_fails_midway_leaves_the_list_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let lines: String = (0..40_000)
            .map(|i| format!("{{\"id\":\"{i}\",\"text\":\"line {i} of the input\"}}\n"))
            .collect();
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(lines.as_bytes()).unwrap();
        let mut gz = enc.finish().unwrap();
        // Cut off where thousands of its lines have been found.
        gz.truncate(gz.len() * 2 / 3);
        let input = dir.path().join("c.jsonl.gz");
        std::fs::write(&input, &gz).unwrap();
        let before = FileError::new("before", Operation::Read, "an earlier entry");
        let mut out: Vec<Entry> = vec![Err(before)];
        let err = scan_into(&input, "c", &fields(), &mut out).unwrap_err();
        assert!(err.to_string().contains("c.jsonl.gz"), "{err}");
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].as_ref().unwrap_err().path, "before");
    }

    #[test]
    fn a_line_over_the_limit_is_skipped_unheld() {
        let dir = tempfile::tempdir().unwrap();
        let long = format!("{{\"id\":\"big\",\"text\":\"{}\"}}", "x".repeat(200));
        let lines = format!(
            "{{\"id\":\"a\",\"text\":\"one\"}}\n{long}\n{{\"id\":\"c\",\"text\":\"three\"}}"
        );
        let plain = dir.path().join("c.jsonl");
        std::fs::write(&plain, &lines).unwrap();
        let gz = dir.path().join("c.jsonl.gz");
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(lines.as_bytes()).unwrap();
        std::fs::write(&gz, enc.finish().unwrap()).unwrap();
        let fields = Fields {
            max_line: 100,
            ..Fields::default()
        };
        for input in [plain, gz] {
            let entries = scan(&input, "c", &fields).unwrap();
            assert_eq!(entries.len(), 3);
            let err = entries[1].as_ref().unwrap_err();
            assert_eq!(err.path, "c:2");
            assert!(
                err.message.contains("over the limit of 100 bytes"),
                "{}",
                err.message
            );
            let c = entries[2].as_ref().unwrap();
            let record = c.record.as_ref().unwrap();
            let line = record.read_line().unwrap();
            assert_eq!(record.text_of(&line, &fields).unwrap(), "three");
        }
        // The limit is on the line without its break.
        let mut exact = BufReader::new(&b"abc\nd"[..]);
        let mut line = Vec::new();
        assert_eq!(read_line(&mut exact, &mut line, 3).unwrap(), (4, true));
        line.clear();
        assert_eq!(read_line(&mut exact, &mut line, 0).unwrap(), (1, false));
    }

    #[cfg(unix)]
    #[test]
    fn a_device_is_never_replaced() {
        use std::os::unix::fs::FileTypeExt;
        let null = Path::new("/dev/null");
        let is_device = || std::fs::metadata(null).is_ok_and(|m| m.file_type().is_char_device());
        if !is_device() {
            return;
        }
        let err = Sink::create(null, true).unwrap_err().to_string();
        assert!(err.contains("is not a regular file"), "{err}");
        let builder = crate::corpus::Builder::new(crate::corpus::Parameters::current(5, true));
        assert!(builder.write(null).is_err());
        assert!(is_device());
    }

    #[test]
    fn sink_writes_compressed_output_atomically() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.jsonl.zst");
        let mut sink = Sink::create(&target, false).unwrap();
        sink.write_line(b"{}").unwrap();
        assert!(!target.exists());
        sink.commit().unwrap();
        let bytes = zstd::decode_all(File::open(&target).unwrap()).unwrap();
        assert_eq!(bytes, b"{}\n");
        assert!(Sink::create(&target, false).is_err());
        drop(Sink::create(&target, true).unwrap());
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "a dropped sink leaves nothing");
    }
}
