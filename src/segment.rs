//! Stage 3, segment: text to paragraphs, each with its byte span.
//!
//! News files come in two paragraph styles, often mixed in one file: one
//! paragraph per line, and blocks separated by blank lines. Both reduce to
//! the same rule here:
//!
//! * Lines end at `\n`, `\r\n` or a lone `\r`.
//! * A line that is empty or only white space separates blocks.
//! * Each non-blank line is a paragraph of its own, unless its block is
//!   *hard-wrapped* prose, in which case the whole block is one paragraph.
//!   A block counts as hard-wrapped when it has two or more lines, none
//!   longer than 100 characters, every line but the last at least 40
//!   characters, none starting like a list item, and at least one line that
//!   continues a sentence (starts with a lower-case letter). Headlines over a
//!   lede, menus and lists stay one paragraph per line.
//!
//! A paragraph's span is half-open `[start, end)` in bytes of the original
//! file, trimmed of white space at both ends, so slicing the file with it
//! gives the paragraph's text exactly. Spans are in order and never overlap;
//! what lies between them is white space and line breaks only.

/// A paragraph: a half-open byte range into the original file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// First byte of the paragraph.
    pub start: usize,
    /// One past its last byte.
    pub end: usize,
}

impl Span {
    /// The paragraph's text, sliced from the file it came from.
    pub fn of<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start..self.end]
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// True for an empty span (never produced by [`segment`]).
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
}

const WRAP_MAX_CHARS: usize = 100;
const WRAP_MIN_CHARS: usize = 40;

/// Splits `text[from..]` into paragraphs (see the module doc).
pub fn segment(text: &str, from: usize) -> Vec<Span> {
    let mut paragraphs = Vec::new();
    let mut block: Vec<Span> = Vec::new();
    for line in lines(text, from) {
        match trim(text, line) {
            Some(content) => block.push(content),
            None => flush(text, &mut block, &mut paragraphs),
        }
    }
    flush(text, &mut block, &mut paragraphs);
    paragraphs
}

fn flush(text: &str, block: &mut Vec<Span>, out: &mut Vec<Span>) {
    if is_wrapped(text, block) {
        out.push(Span {
            start: block[0].start,
            end: block[block.len() - 1].end,
        });
    } else {
        out.extend(block.iter().copied());
    }
    block.clear();
}

fn is_wrapped(text: &str, block: &[Span]) -> bool {
    if block.len() < 2 {
        return false;
    }
    let last = block.len() - 1;
    let shaped = block.iter().enumerate().all(|(i, line)| {
        let s = line.of(text);
        let chars = s.chars().count();
        chars <= WRAP_MAX_CHARS && (i == last || chars >= WRAP_MIN_CHARS) && !is_list_item(s)
    });
    let continues = block[1..]
        .iter()
        .any(|line| line.of(text).chars().next().is_some_and(char::is_lowercase));
    shaped && continues
}

/// True for lines that start like an item of a bulleted or numbered list.
pub fn is_list_item(line: &str) -> bool {
    let mut chars = line.chars();
    match chars.next() {
        Some('-' | '*' | '•' | '·' | '–' | '—' | '>') => chars.next() == Some(' '),
        Some(c) if c.is_ascii_digit() => {
            let rest = line.trim_start_matches(|c: char| c.is_ascii_digit());
            rest.starts_with(". ") || rest.starts_with(") ")
        }
        _ => false,
    }
}

/// The lines of `text[from..]`, without their terminators.
fn lines(text: &str, from: usize) -> impl Iterator<Item = Span> + '_ {
    let bytes = text.as_bytes();
    let mut pos = from;
    std::iter::from_fn(move || {
        if pos >= bytes.len() {
            return None;
        }
        let start = pos;
        let end = memchr::memchr2(b'\n', b'\r', &bytes[pos..]).map_or(bytes.len(), |at| pos + at);
        pos = end;
        if pos < bytes.len() {
            pos += if bytes[pos] == b'\r' && bytes.get(pos + 1) == Some(&b'\n') {
                2
            } else {
                1
            };
        }
        Some(Span { start, end })
    })
}

/// The line without surrounding white space, or `None` if nothing is left.
fn trim(text: &str, line: Span) -> Option<Span> {
    let s = line.of(text);
    let trimmed_start = s.trim_start();
    if trimmed_start.is_empty() {
        return None;
    }
    let start = line.start + (s.len() - trimmed_start.len());
    let end = start + trimmed_start.trim_end().len();
    Some(Span { start, end })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<&str> {
        segment(text, 0).iter().map(|s| s.of(text)).collect()
    }

    #[test]
    fn one_paragraph_per_line() {
        assert_eq!(
            texts("Headline\nFirst para.\nSecond para."),
            ["Headline", "First para.", "Second para."]
        );
    }

    #[test]
    fn blank_line_separated_blocks() {
        let t = "Headline\n\nBy Someone\u{a0}\n\nFirst para.\n\n\u{a0}\n\nLast.\n";
        assert_eq!(texts(t), ["Headline", "By Someone", "First para.", "Last."]);
    }

    #[test]
    fn crlf_and_lone_cr() {
        assert_eq!(texts("a\r\nb\r\n\r\nc\rd"), ["a", "b", "c", "d"]);
    }

    #[test]
    fn hard_wrapped_prose_is_one_paragraph() {
        let t = "The council met on Tuesday to discuss the budget for the\n\
                 coming year, and agreed after a long debate to raise the\n\
                 tax on fuel.\n\nNext paragraph.";
        assert_eq!(
            texts(t),
            [
                "The council met on Tuesday to discuss the budget for the\n\
                 coming year, and agreed after a long debate to raise the\n\
                 tax on fuel.",
                "Next paragraph."
            ]
        );
    }

    #[test]
    fn lists_and_headlines_over_ledes_are_not_merged() {
        let t = "Series of Coordinated Attacks Target Mali Military Posts\n\
                 Jihadist assaults raise concerns over rising insecurity in the Sahel region.\n\n\
                 - Home of the best stories about the world and more\n- and another item in the list";
        assert_eq!(texts(t).len(), 4);
    }

    #[test]
    fn spans_are_trimmed_ordered_and_leave_only_whitespace_between() {
        let t = "\u{feff}  a b \n\n\t c\r\n d  ";
        let spans = segment(t, 3);
        let mut prev = 3;
        for s in &spans {
            assert!(t[prev..s.start].trim().is_empty());
            assert_eq!(s.of(t), s.of(t).trim());
            prev = s.end;
        }
        assert!(t[prev..].trim().is_empty());
        assert_eq!(texts(&t[3..]), ["a b", "c", "d"]);
    }

    #[test]
    fn empty_and_blank_texts_have_no_paragraphs() {
        assert!(segment("", 0).is_empty());
        assert!(segment(" \n\r\n\t\u{a0}\n", 0).is_empty());
    }

    /// [`lines`] as it was first written, a byte at a time.
    fn reference_lines(text: &str, from: usize) -> Vec<Span> {
        let bytes = text.as_bytes();
        let mut pos = from;
        let mut out = Vec::new();
        while pos < bytes.len() {
            let start = pos;
            let mut end = pos;
            while end < bytes.len() && bytes[end] != b'\n' && bytes[end] != b'\r' {
                end += 1;
            }
            pos = end;
            if pos < bytes.len() {
                pos += if bytes[pos] == b'\r' && bytes.get(pos + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                };
            }
            out.push(Span { start, end });
        }
        out
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        #[test]
        fn lines_end_where_a_walk_of_each_byte_ends_them(
            text in "[ab \r\n\u{a0}é]{0,60}",
            from in 0usize..8,
        ) {
            // A start inside the text, on a character boundary.
            let from = (0..=from.min(text.len())).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
            proptest::prop_assert_eq!(
                lines(&text, from).collect::<Vec<_>>(),
                reference_lines(&text, from)
            );
        }
    }
}
