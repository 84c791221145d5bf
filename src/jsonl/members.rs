//! A JSONL line of the usual shape read without serde_json, its text
//! decoded on the way.
//!
//! The first reading of a line used to go over its text four times:
//! serde_json checked the line as a JSON object, then checked the text's
//! bytes as UTF-8, and the text was then decoded ([`super::unescape`]) and
//! checked as UTF-8 again. Most lines are an object whose members are all
//! strings, its keys without escapes: [`read`] takes those alone, checks
//! what serde_json checks, and decodes the text member as it goes, so its
//! bytes are gone over twice (decoded, then the result checked as UTF-8).
//! Anything else (a number, `null`, a nested value, an escape in a key, an
//! escape it does not decode, any error) it leaves to serde_json, which
//! reads it or says what is wrong. A test holds the two to the same
//! results.

use super::escape::next_to_escape;
use super::unescape::unescape;
use std::ops::Range;

/// What [`read`] found in a line.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Members {
    /// The text member's value, as a JSON string with its quotes, where it
    /// lies in the line, and the text decoded; the last when the key comes
    /// more than once (as serde_json's map keeps it).
    pub text: Option<(Range<usize>, String)>,
    /// Where the id member's value lies, as a JSON string with its quotes.
    pub id: Option<Range<usize>>,
}

/// The members of `line` named `text_key` and `id_key`, when the line is a
/// JSON object with only string members and keys without escapes; `None`
/// when it is anything else (see the module doc).
pub(super) fn read(line: &[u8], text_key: &[u8], id_key: &[u8]) -> Option<Members> {
    let mut members = Members {
        text: None,
        id: None,
    };
    let mut at = after_space(line, 0);
    if line.get(at) != Some(&b'{') {
        return None;
    }
    at = after_space(line, at + 1);
    loop {
        // The key: a string without escapes.
        if line.get(at) != Some(&b'"') {
            return None;
        }
        let key_end = next_to_escape(line, at + 1);
        if line.get(key_end) != Some(&b'"') {
            return None;
        }
        let key = &line[at + 1..key_end];
        std::str::from_utf8(key).ok()?;
        at = after_space(line, key_end + 1);
        if line.get(at) != Some(&b':') {
            return None;
        }
        at = after_space(line, at + 1);
        // The value: a string.
        if line.get(at) != Some(&b'"') {
            return None;
        }
        let start = at;
        at = match key == text_key {
            true => {
                let (end, text) = decoded(line, start)?;
                members.text = Some((start..end, text));
                end
            }
            false => checked(line, start)?,
        };
        if key == id_key {
            members.id = Some(start..at);
        }
        at = after_space(line, at);
        match line.get(at) {
            Some(b',') => at = after_space(line, at + 1),
            Some(b'}') => break,
            _ => return None,
        }
    }
    match after_space(line, at + 1) == line.len() {
        true => Some(members),
        false => None,
    }
}

/// The first place from `at` on that is not JSON white space.
fn after_space(line: &[u8], mut at: usize) -> usize {
    while let Some(b' ' | b'\t' | b'\n' | b'\r') = line.get(at) {
        at += 1;
    }
    at
}

/// The end (past its closing quote) of the JSON string that starts at
/// `start`, checked as serde_json checks one it does not decode: no
/// control characters, known escapes, four hex digits after `\u`, UTF-8.
fn checked(line: &[u8], start: usize) -> Option<usize> {
    let mut at = start + 1;
    loop {
        at = next_to_escape(line, at);
        match line.get(at)? {
            b'"' => break,
            b'\\' => match line.get(at + 1)? {
                b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => at += 2,
                b'u' => {
                    let digits = line.get(at + 2..at + 6)?;
                    if !digits.iter().all(u8::is_ascii_hexdigit) {
                        return None;
                    }
                    at += 6;
                }
                _ => return None,
            },
            // A control character.
            _ => return None,
        }
    }
    std::str::from_utf8(&line[start + 1..at]).ok()?;
    Some(at + 1)
}

/// The end (past its closing quote) of the JSON string that starts at
/// `start`, and the string it stands for, decoded as
/// [`super::unescape::read_str`] decodes one.
fn decoded(line: &[u8], start: usize) -> Option<(usize, String)> {
    let mut out = Vec::with_capacity(line.len() - start);
    let mut at = start + 1;
    loop {
        let next = next_to_escape(line, at);
        out.extend_from_slice(&line[at..next.min(line.len())]);
        match line.get(next)? {
            b'"' => {
                at = next;
                break;
            }
            b'\\' => at = next + unescape(&line[next..], &mut out)?,
            // A control character.
            _ => return None,
        }
    }
    // Bytes that are not UTF-8 stay so when escapes (whole characters)
    // come between them: checking the result checks the raw bytes.
    let text = String::from_utf8(out).ok()?;
    Some((at + 1, text))
}
