//! Stage 2, read: bytes to text.
//!
//! Policy: a file must be UTF-8. A leading byte-order mark is accepted and
//! left out of every paragraph (offsets still count it, since every offset in
//! `dedupe` is into the original bytes). A file with a NUL byte in its first
//! 8 KiB is taken for binary and skipped, as git and grep do (a stray NUL
//! further on, as scrapers sometimes leave, is kept as text); a file that is
//! not valid UTF-8 is skipped with the offset of the first bad byte. Both become per-file errors: the run goes
//! on, the report lists them.

use crate::error::{FileError, Operation, display_path};
use std::path::Path;

const BOM: &str = "\u{feff}";
/// How far into a file a NUL byte marks it as binary.
const BINARY_PROBE: usize = 8 * 1024;

/// The text of one input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    /// The whole file, unchanged.
    pub text: String,
    /// Where the content starts: 3 after a byte-order mark, else 0.
    pub body_start: usize,
}

/// Reads `path` and decodes it; `name` is what errors are reported under.
pub fn read(name: &str, path: &Path) -> Result<Text, FileError> {
    let bytes = std::fs::read(path).map_err(|e| {
        FileError::new(
            name,
            Operation::Read,
            format!("{e} ({})", display_path(path)),
        )
    })?;
    decode(bytes).map_err(|msg| FileError::new(name, Operation::Decode, msg))
}

/// Decodes file bytes under the policy in the module doc.
pub fn decode(bytes: Vec<u8>) -> Result<Text, String> {
    if let Some(at) = bytes.iter().take(BINARY_PROBE).position(|&b| b == 0) {
        return Err(format!("NUL byte at offset {at}: not a text file, skipped"));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "not valid UTF-8 (first bad byte at offset {}), skipped",
            e.utf8_error().valid_up_to()
        )
    })?;
    let body_start = if text.starts_with(BOM) { BOM.len() } else { 0 };
    Ok(Text { text, body_start })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_is_taken_as_is() {
        let t = decode("héllo\n".as_bytes().to_vec()).unwrap();
        assert_eq!(t.text, "héllo\n");
        assert_eq!(t.body_start, 0);
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
    fn invalid_utf8_names_the_offset() {
        let err = decode(b"caf\xe9 au lait".to_vec()).unwrap_err();
        assert!(err.contains("offset 3"), "{err}");
    }
}
