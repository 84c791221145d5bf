//! Stage 2, read: bytes to text.
//!
//! Policy, in this order:
//!
//! 1. Only regular files are read (a FIFO, socket or device named as an
//!    input would block or never end), and only up to a size limit
//!    (`--max-file-size`, [`DEFAULT_MAX_FILE_SIZE`] by default): a larger
//!    file is skipped with its size and the limit, without reading it, so
//!    one huge file or one huge line cannot exhaust memory.
//! 2. A file that starts with a UTF-16 byte-order mark (`FF FE` or `FE FF`)
//!    is UTF-16 and decoded as such, the mark left out. (Without a mark,
//!    UTF-16 text is full of NUL bytes and taken for binary by step 3.)
//! 3. A file with a NUL byte in its first 8 KiB is taken for binary and
//!    skipped, as git and grep do (a stray NUL further on, as scrapers
//!    sometimes leave, is kept as text). So is a file whose first 8 KiB are
//!    more than one byte in 32 other control characters (tab, line breaks,
//!    form feed and escape do not count).
//! 4. Valid UTF-8 is taken as it is. A leading UTF-8 byte-order mark is kept
//!    in the text and left out of every paragraph.
//! 5. Anything else is a legacy encoding (windows-1252 and latin-1 news
//!    archives, also the other encodings the chardetng detector knows:
//!    ISO-8859 and Windows code pages, KOI8, Shift_JIS, EUC-JP, EUC-KR, GBK,
//!    Big5), guessed from the whole file and decoded with encoding_rs. A file
//!    that is not valid in the guessed encoding either is skipped.
//!
//! The decision is recorded per document in the report (`"encoding"`, absent
//! for UTF-8). Decoding is a pure function of the bytes, so the second pass
//! reads the same text as the first. After decoding, the text is UTF-8, and
//! every byte offset in the report is into that decoded text: for a UTF-8
//! file that is the file itself; for a file in another encoding it is the
//! UTF-8 text the cleaned copy is written in.
//!
//! A file that fails any step becomes a per-file error: the run goes on, the
//! report lists it.
//!
//! Line endings are not changed here: `\n`, `\r\n` and a lone `\r` all end
//! a line for [`crate::segment`], and the cleaned copy keeps the file's own.

use crate::error::{FileError, Operation, display_path};
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE};
use std::fs::File;
use std::io::Read;
use std::path::Path;

const BOM: &str = "\u{feff}";
/// How far into a file a NUL byte marks it as binary.
const BINARY_PROBE: usize = 8 * 1024;
/// The largest file read when no limit is given: 256 MiB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 256 * 1024 * 1024;

/// The text of one input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    /// The whole file as UTF-8: unchanged when it was UTF-8, decoded
    /// otherwise.
    pub text: String,
    /// Where the content starts: 3 after a UTF-8 byte-order mark, else 0.
    pub body_start: usize,
    /// The encoding the file was decoded from; `None` for UTF-8.
    pub encoding: Option<&'static Encoding>,
}

/// Reads `path`, at most `max_bytes` of it, and decodes it; `name` is what
/// errors are reported under.
pub fn read(name: &str, path: &Path, max_bytes: u64) -> Result<Text, FileError> {
    let fail = |msg: String| FileError::new(name, Operation::Read, msg);
    let io_fail = |e: std::io::Error| fail(format!("{e} ({})", display_path(path)));
    let not_regular = |meta: &std::fs::Metadata| {
        fail(format!(
            "not a regular file ({}), skipped",
            kind(&meta.file_type())
        ))
    };
    // Opened without waiting (a named pipe would block until a writer
    // comes), then looked at through the open file: one look-up of the
    // path rather than two. A socket cannot be opened at all; the path
    // says what it is.
    let file = open_without_waiting(path).map_err(|e| match std::fs::metadata(path) {
        Ok(meta) if !meta.is_file() => not_regular(&meta),
        _ => io_fail(e),
    })?;
    let meta = file.metadata().map_err(io_fail)?;
    if !meta.is_file() {
        return Err(not_regular(&meta));
    }
    if meta.len() > max_bytes {
        return Err(too_large(name, meta.len(), max_bytes));
    }
    // The file may grow after the size was taken: never read past the limit.
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io_fail)?;
    if bytes.len() as u64 > max_bytes {
        return Err(too_large(name, bytes.len() as u64, max_bytes));
    }
    decode(bytes).map_err(|msg| FileError::new(name, Operation::Decode, msg))
}

/// `len` bytes of `file` from `offset`, in a vector made for them: the
/// lines of a JSONL input and the records of the shingle file, read again
/// by several threads at once. Unlike `read_exact_at` into a vector of
/// zeros, nothing is written twice: the bytes go into the vector's unused
/// room, gigabytes in a large run.
#[cfg(unix)]
pub fn bytes_at(file: &File, len: usize, offset: u64) -> std::io::Result<Vec<u8>> {
    use std::io::{Error, ErrorKind};
    use std::os::fd::AsRawFd;
    let mut bytes = Vec::with_capacity(len);
    while bytes.len() < len {
        let done = bytes.len();
        let at = libc::off_t::try_from(offset + done as u64)
            .map_err(|_| Error::new(ErrorKind::InvalidInput, "offset past the largest file"))?;
        let room = &mut bytes.spare_capacity_mut()[..len - done];
        // SAFETY: `pread` writes at most `room.len()` bytes, into `room`,
        // which is the vector's own unused capacity; the descriptor is
        // `file`'s, open for the whole call.
        let read =
            unsafe { libc::pread(file.as_raw_fd(), room.as_mut_ptr().cast(), room.len(), at) };
        match read {
            0 => {
                return Err(Error::new(
                    ErrorKind::UnexpectedEof,
                    "the file ended early (changed while dedupe was running?)",
                ));
            }
            n if n < 0 => {
                let e = Error::last_os_error();
                if e.kind() != ErrorKind::Interrupted {
                    return Err(e);
                }
            }
            // SAFETY: the kernel wrote these `n` bytes (at most the room
            // asked for), right after the vector's initialised ones.
            n => unsafe { bytes.set_len(done + n as usize) },
        }
    }
    Ok(bytes)
}

/// [`bytes_at`] where files are read through a position of their own.
#[cfg(not(unix))]
pub fn bytes_at(file: &File, len: usize, offset: u64) -> std::io::Result<Vec<u8>> {
    use std::io::{Seek, SeekFrom};
    let mut bytes = vec![0; len];
    let mut file = file;
    file.seek(SeekFrom::Start(offset))?;
    file.read_exact(&mut bytes)?;
    Ok(bytes)
}

/// Opens `path` for reading without waiting for a writer, should it be a
/// named pipe, and without making a terminal the controlling one.
fn open_without_waiting(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    options.open(path)
}

fn too_large(name: &str, size: u64, max_bytes: u64) -> FileError {
    let size = if size > max_bytes {
        format!("{size} bytes")
    } else {
        "more".to_string()
    };
    FileError::new(
        name,
        Operation::Read,
        format!(
            "{size}, over the limit of {max_bytes} bytes per file, skipped \
             (raise it with --max-file-size)"
        ),
    )
}

fn kind(t: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    if t.is_dir() { "a directory" } else { "special" }
}

/// Decodes file bytes under the policy in the module doc.
pub fn decode(bytes: Vec<u8>) -> Result<Text, String> {
    if let Some(encoding) = utf16_bom(&bytes) {
        return decode_utf16(&bytes[2..], encoding);
    }
    if let Some(at) = memchr::memchr(0, &bytes[..bytes.len().min(BINARY_PROBE)]) {
        return Err(format!("NUL byte at offset {at}: not a text file, skipped"));
    }
    control_bytes(&bytes)?;
    match String::from_utf8(bytes) {
        Ok(text) => {
            let body_start = if text.starts_with(BOM) { BOM.len() } else { 0 };
            Ok(Text {
                text,
                body_start,
                encoding: None,
            })
        }
        Err(e) => {
            let bad = e.utf8_error().valid_up_to();
            decode_legacy(&e.into_bytes(), bad)
        }
    }
}

fn utf16_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    match bytes {
        [0xFF, 0xFE, ..] => Some(UTF_16LE),
        [0xFE, 0xFF, ..] => Some(UTF_16BE),
        _ => None,
    }
}

fn decode_utf16(body: &[u8], encoding: &'static Encoding) -> Result<Text, String> {
    let name = encoding_name(encoding);
    let text = encoding
        .decode_without_bom_handling_and_without_replacement(body)
        .ok_or_else(|| format!("not valid {name} after its byte-order mark, skipped"))?;
    if let Some(at) = text.chars().take(BINARY_PROBE).position(|c| c == '\0') {
        return Err(format!(
            "NUL character at character {at} of the {name} text: not a text file, skipped"
        ));
    }
    Ok(Text {
        text: text.into_owned(),
        body_start: 0,
        encoding: Some(encoding),
    })
}

/// An error for bytes that start with more than one control byte in 32.
/// Text, in UTF-8 or any encoding the detector knows, has next to no C0
/// controls other than tab, line breaks, form feed and escape (used by
/// ISO-2022-JP).
fn control_bytes(bytes: &[u8]) -> Result<(), String> {
    let probe = &bytes[..bytes.len().min(BINARY_PROBE)];
    // Counted in blocks short enough for a byte counter, without branches,
    // so that the compiler can count many bytes at once.
    let controls: usize = probe
        .chunks(255)
        .map(|block| {
            block
                .iter()
                .map(|&b| u8::from(is_control(b)))
                .fold(0u8, u8::wrapping_add)
        })
        .map(usize::from)
        .sum();
    if controls * 32 > probe.len() {
        return Err(format!(
            "{controls} control bytes in the first {} bytes: not a text file, skipped",
            probe.len()
        ));
    }
    Ok(())
}

/// Whether a byte is a C0 control other than tab, the line breaks (line
/// feed, vertical tab, form feed, carriage return) and escape.
#[inline(always)]
fn is_control(b: u8) -> bool {
    (b < 0x20) & (b.wrapping_sub(b'\t') > 0x0D - b'\t') & (b != 0x1B)
}

/// Bytes that are not UTF-8: a legacy encoding, guessed, or binary.
fn decode_legacy(bytes: &[u8], first_bad: usize) -> Result<Text, String> {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Allow);
    detector.feed(bytes, true);
    let encoding = detector.guess(None, chardetng::Utf8Detection::Deny);
    let name = encoding_name(encoding);
    let text = encoding
        .decode_without_bom_handling_and_without_replacement(bytes)
        .ok_or_else(|| {
            format!(
                "not valid UTF-8 (first bad byte at offset {first_bad}) \
                 nor {name}, the likeliest other encoding, skipped"
            )
        })?;
    Ok(Text {
        text: text.into_owned(),
        body_start: 0,
        encoding: Some(encoding),
    })
}

/// The name the report gives an encoding: its WHATWG name in lower case
/// (`windows-1252`, `utf-16le`, `shift_jis`).
pub fn encoding_name(encoding: &'static Encoding) -> String {
    encoding.name().to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_at_reads_what_read_exact_at_reads_and_no_further() {
        use std::io::{ErrorKind, Write};
        let content: Vec<u8> = (0..70_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(&content).unwrap();
        for (len, offset) in [
            (0, 0),
            (1, 0),
            (10, 5),
            (65_536, 1),
            (70_000, 0),
            (3, 69_997),
        ] {
            let bytes = bytes_at(&file, len, offset).unwrap();
            assert_eq!(bytes, &content[offset as usize..offset as usize + len]);
        }
        for (len, offset) in [(2, 69_999), (70_001, 0), (1, 80_000)] {
            let err = bytes_at(&file, len, offset).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::UnexpectedEof, "{len} at {offset}");
        }
    }

    #[test]
    fn utf8_is_taken_as_is() {
        let t = decode("héllo\n".as_bytes().to_vec()).unwrap();
        assert_eq!(t.text, "héllo\n");
        assert_eq!(t.body_start, 0);
        assert_eq!(t.encoding, None);
    }

    #[test]
    fn bom_is_kept_but_skipped() {
        let t = decode(b"\xEF\xBB\xBFhi".to_vec()).unwrap();
        assert_eq!(t.body_start, 3);
        assert_eq!(&t.text[t.body_start..], "hi");
    }

    #[test]
    fn nul_bytes_mean_binary() {
        let err = decode(b"ab\0cd".to_vec()).unwrap_err();
        assert!(err.contains("NUL byte at offset 2"), "{err}");
    }

    #[test]
    fn a_late_nul_byte_is_text() {
        let mut bytes = vec![b'a'; BINARY_PROBE];
        bytes.extend_from_slice(b"\0b");
        assert!(decode(bytes).is_ok());
    }

    #[test]
    fn latin1_and_windows_1252_are_decoded() {
        let t = decode(b"caf\xe9 au lait \x93quoted\x94 \x80 5\n".to_vec()).unwrap();
        assert_eq!(t.text, "café au lait “quoted” € 5\n");
        assert_eq!(t.encoding, Some(encoding_rs::WINDOWS_1252));
    }

    #[test]
    fn utf16_with_a_bom_is_decoded() {
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Grüße\r\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("Grüße\r\n".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        for (bytes, name) in [(le, "utf-16le"), (be, "utf-16be")] {
            let t = decode(bytes).unwrap();
            assert_eq!(t.text, "Grüße\r\n");
            assert_eq!(t.body_start, 0);
            assert_eq!(encoding_name(t.encoding.unwrap()), name);
        }
        let err = decode(vec![0xFF, 0xFE, 0x00, 0xD8]).unwrap_err();
        assert!(err.contains("not valid utf-16le"), "{err}");
    }

    #[test]
    fn control_bytes_mean_binary() {
        let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
        bytes.extend((1..=255u8).cycle().filter(|&b| b != 0).take(500));
        let err = decode(bytes).unwrap_err();
        assert!(err.contains("not a text file"), "{err}");
    }

    #[test]
    fn control_bytes_are_counted_as_before() {
        for b in 0..=255u8 {
            let before = b < 0x20 && !matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | 0x1B);
            assert_eq!(is_control(b), before, "{b:#x}");
        }
        // Right at the limit of one control byte in 32, and over it, with
        // the probe's end and the counting blocks' ends in between.
        for len in [31, 32, 33, 255, 256, 1000, BINARY_PROBE, BINARY_PROBE + 100] {
            for extra in [0, 1] {
                let probe = len.min(BINARY_PROBE);
                let mut bytes = vec![b'a'; len];
                let controls = probe / 32 + extra;
                for k in 0..controls {
                    bytes[k * (probe / controls.max(1))] = 0x01;
                }
                let result = control_bytes(&bytes);
                assert_eq!(result.is_err(), controls * 32 > probe, "{len} {extra}");
                if let Err(e) = result {
                    assert_eq!(
                        e,
                        format!(
                            "{controls} control bytes in the first {probe} bytes: \
                             not a text file, skipped"
                        )
                    );
                }
            }
        }
    }

    #[test]
    fn legacy_decoding_is_deterministic() {
        let bytes = b"\xc4\xe5\xed\xfc \xe3\xee\xf0\xee\xe4\xe0\n".to_vec(); // windows-1251
        let a = decode(bytes.clone()).unwrap();
        assert_eq!(a, decode(bytes).unwrap());
        assert!(a.encoding.is_some());
    }

    #[cfg(unix)]
    #[test]
    fn limits_and_special_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        std::fs::write(&path, "0123456789").unwrap();
        assert!(read("a.txt", &path, 10).is_ok());
        let err = read("a.txt", &path, 9).unwrap_err();
        assert_eq!(err.operation, Operation::Read);
        assert!(
            err.message.starts_with("10 bytes, over the limit of 9"),
            "{err}"
        );
        let err = read("d", dir.path(), 100).unwrap_err();
        assert!(
            err.message.contains("not a regular file (a directory)"),
            "{err}"
        );
        let err = read("zero", Path::new("/dev/zero"), 100).unwrap_err();
        assert!(err.message.contains("a device"), "{err}");
        // A named pipe is opened without waiting for a writer, so the test
        // ends; a socket cannot be opened, and is named from its path.
        let fifo = dir.path().join("pipe.txt");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo");
        let err = read("pipe.txt", &fifo, 100).unwrap_err();
        assert!(err.message.contains("(a named pipe), skipped"), "{err}");
        let socket = dir.path().join("socket.txt");
        let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
        let err = read("socket.txt", &socket, 100).unwrap_err();
        assert!(err.message.contains("(a socket), skipped"), "{err}");
        let missing = read("gone.txt", &dir.path().join("gone.txt"), 100).unwrap_err();
        assert!(missing.message.contains("gone.txt)"), "{missing}");
    }
}
