//! Near copies: the edits that turn a base paragraph into a near-duplicate.
//!
//! Each edit stays inside bounds a reader would still call "the same
//! paragraph": a word edit replaces about one word in twenty and never more
//! than a tenth of the words; an insertion adds 3 to 8 words and at most
//! 15%; a deletion takes out 1 to 3 words or a short clause, at most 15%.
//! Case, punctuation, quote and white-space edits keep every word. A
//! reorder keeps every sentence; a merge joins the first half of one
//! paragraph's sentences to the second half of another's. Edits never add
//! or remove a sentence end inside a paragraph, so the sentences a reader
//! sees are the source's.
//!
//! A paragraph is a list of sentences; words are the blank-separated tokens
//! that hold a letter or digit. Every function returns `None` when the
//! source does not suit the edit (too short, no quotes), and the caller
//! picks another source or another kind.

use crate::rng::Rng;
use crate::truth::Kind;
use dedupe::fingerprint::normalize;

/// Fewest words for a word edit or an insertion: one edit in twenty words.
const MIN_WORDS_EDIT: usize = 20;
/// Fewest words for a deletion or punctuation edit: smaller paragraphs
/// change too much with one edit.
const MIN_WORDS_SMALL_EDIT: usize = 10;
/// Largest share of words an edit may replace.
const MAX_REPLACED: f64 = 0.10;
/// Largest share of words an insertion may add or a deletion remove.
const MAX_INSERTED: f64 = 0.15;

const CITIES: &[&str] = &[
    "LONDON",
    "NEW YORK",
    "WASHINGTON",
    "PARIS",
    "BRUSSELS",
    "BERLIN",
    "TOKYO",
    "SYDNEY",
    "JOHANNESBURG",
    "MUMBAI",
    "NAIROBI",
    "TORONTO",
];
const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const AGENCIES: &[&str] = &["Reuters", "AP", "AFP", "Bloomberg"];
/// Clauses of 3 to 8 words, without sentence ends.
const CLAUSES: &[&str] = &[
    "officials said on Monday",
    "according to a statement released late on Tuesday",
    "people familiar with the matter said",
    "it emerged this week",
    "a spokesman confirmed",
    "in a surprise move",
    "for the second year running",
    "analysts at several banks said",
    "as had been widely expected",
    "sources close to the talks said",
    "the report found",
    "despite strong opposition from campaigners",
];

/// Whether a token is a word: holds a letter or digit.
fn is_word(token: &str) -> bool {
    token.chars().any(char::is_alphanumeric)
}

/// The words of a text.
pub fn words(text: &str) -> usize {
    text.split_whitespace().filter(|t| is_word(t)).count()
}

/// A token of a paragraph and the sentence it is in.
struct Token {
    text: String,
    sentence: usize,
    first: bool,
    last: bool,
}

fn tokens(sentences: &[String]) -> Vec<Token> {
    let mut out = Vec::new();
    for (s, sentence) in sentences.iter().enumerate() {
        let parts: Vec<&str> = sentence.split_whitespace().collect();
        for (i, part) in parts.iter().enumerate() {
            out.push(Token {
                text: (*part).to_string(),
                sentence: s,
                first: i == 0,
                last: i + 1 == parts.len(),
            });
        }
    }
    out
}

fn join(tokens: &[Token]) -> String {
    tokens
        .iter()
        .map(|t| t.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Makes a near copy of kind `kind` from `a` (and `b`, the second source of
/// a merge); `substitutes` are the words a word edit may put in.
pub fn near_copy(
    kind: Kind,
    a: &[String],
    b: Option<&[String]>,
    substitutes: &[String],
    rng: &mut Rng,
) -> Option<String> {
    let out = match kind {
        Kind::WordEdit => word_edit(a, substitutes, rng),
        Kind::Insertion => insertion(a, rng),
        Kind::Deletion => deletion(a, rng),
        Kind::Case => case(a, rng),
        Kind::Punctuation => punctuation(a, rng),
        Kind::Quotes => quotes(&a.join(" ")),
        Kind::Whitespace => whitespace(a, rng),
        Kind::Reorder => reorder(a, rng),
        Kind::Merge => merge(a, b?),
        _ => None,
    }?;
    // Every near copy differs from its source in its bytes.
    (out != a.join(" ")).then_some(out)
}

fn word_edit(sentences: &[String], substitutes: &[String], rng: &mut Rng) -> Option<String> {
    let mut toks = tokens(sentences);
    let n = toks.iter().filter(|t| is_word(&t.text)).count();
    if n < MIN_WORDS_EDIT || substitutes.is_empty() {
        return None;
    }
    let k = (n / 20).max(1).min((n as f64 * MAX_REPLACED) as usize);
    // Words with letters: a number replaced by a word reads as noise.
    let candidates: Vec<usize> = (0..toks.len())
        .filter(|&i| toks[i].text.chars().any(char::is_alphabetic))
        .collect();
    for pick in rng.distinct(candidates.len(), k) {
        let token = &mut toks[candidates[pick]];
        token.text = replace_core(&token.text, substitutes, rng);
    }
    Some(join(&toks))
}

/// `token` with its word (from its first to its last letter or digit)
/// replaced by another word in the same capitals, punctuation kept.
fn replace_core(token: &str, substitutes: &[String], rng: &mut Rng) -> String {
    let start = token.find(char::is_alphanumeric).unwrap_or(0);
    let end = token
        .char_indices()
        .rfind(|(_, c)| c.is_alphanumeric())
        .map_or(token.len(), |(i, c)| i + c.len_utf8());
    let core = &token[start..end];
    let lower = core.to_lowercase();
    let mut word = rng.pick(substitutes).clone();
    while word == lower && substitutes.len() > 1 {
        word = rng.pick(substitutes).clone();
    }
    let upper = core.chars().filter(|c| c.is_alphabetic()).count() > 1
        && !core.chars().any(char::is_lowercase);
    let title = core.chars().next().is_some_and(char::is_uppercase);
    let word = if upper {
        word.to_ascii_uppercase()
    } else if title {
        capitalise(&word)
    } else {
        word
    };
    format!("{}{word}{}", &token[..start], &token[end..])
}

/// `text` with its first letter in upper case.
pub fn capitalise(text: &str) -> String {
    match text.char_indices().find(|(_, c)| c.is_alphabetic()) {
        Some((i, c)) if c.is_lowercase() => {
            format!(
                "{}{}{}",
                &text[..i],
                c.to_uppercase(),
                &text[i + c.len_utf8()..]
            )
        }
        _ => text.to_string(),
    }
}

fn insertion(sentences: &[String], rng: &mut Rng) -> Option<String> {
    let text = sentences.join(" ");
    let n = words(&text);
    if n < MIN_WORDS_EDIT {
        return None;
    }
    let allowed = (n as f64 * MAX_INSERTED) as usize;
    if rng.chance(0.4) {
        let dateline = format!(
            "{}, {} {} ({}) -",
            rng.pick(CITIES),
            rng.pick(MONTHS),
            rng.between(1, 28),
            rng.pick(AGENCIES)
        );
        if words(&dateline) <= allowed {
            return Some(format!("{dateline} {text}"));
        }
    }
    let fitting: Vec<&str> = CLAUSES
        .iter()
        .copied()
        .filter(|c| words(c) <= allowed)
        .collect();
    if fitting.is_empty() {
        return None;
    }
    let clause = *rng.pick(&fitting);
    let mut toks = tokens(sentences);
    // After a token inside a sentence that ends in a letter, digit or comma.
    let places: Vec<usize> = (0..toks.len())
        .filter(|&i| {
            let t = &toks[i].text;
            !toks[i].last && (t.ends_with(',') || t.ends_with(char::is_alphanumeric))
        })
        .collect();
    if places.is_empty() {
        return None;
    }
    let at = *rng.pick(&places);
    if !toks[at].text.ends_with(',') {
        toks[at].text.push(',');
    }
    let sentence = toks[at].sentence;
    let inserted: Vec<Token> = clause
        .split(' ')
        .map(|w| Token {
            text: w.to_string(),
            sentence,
            first: false,
            last: false,
        })
        .collect();
    let end = at + inserted.len();
    toks.splice(at + 1..at + 1, inserted);
    toks[end].text.push(',');
    Some(join(&toks))
}

fn deletion(sentences: &[String], rng: &mut Rng) -> Option<String> {
    let mut toks = tokens(sentences);
    let n = toks.iter().filter(|t| is_word(&t.text)).count();
    if n < MIN_WORDS_SMALL_EDIT {
        return None;
    }
    let allowed = ((n as f64 * MAX_INSERTED) as usize).max(1);
    let clauses = comma_clauses(&toks, allowed);
    if !clauses.is_empty() && rng.chance(0.5) {
        let (from, to) = *rng.pick(&clauses);
        // "The firm, which is new, said" -> "The firm said".
        toks.drain(from + 1..=to);
        let t = &mut toks[from].text;
        t.pop();
        return Some(join(&toks));
    }
    let k = rng.between(1, allowed.min(3));
    // A run of k words inside one sentence, not its first or last token.
    let starts: Vec<usize> = (0..toks.len())
        .filter(|&i| {
            !toks[i].first
                && i + k < toks.len()
                && toks[i..i + k]
                    .iter()
                    .all(|t| !t.last && t.sentence == toks[i].sentence)
                && toks[i..i + k].iter().all(|t| is_word(&t.text))
        })
        .collect();
    if starts.is_empty() {
        return None;
    }
    let at = *rng.pick(&starts);
    toks.drain(at..at + k);
    Some(join(&toks))
}

/// The clauses between two commas in one sentence, of 2 to `allowed`
/// words, not ending the sentence: `(token with the first comma, token with
/// the second)`.
fn comma_clauses(toks: &[Token], allowed: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for i in 0..toks.len() {
        if !toks[i].text.ends_with(',') || toks[i].last {
            continue;
        }
        for j in i + 2..toks.len().min(i + 1 + allowed) {
            if toks[j].sentence != toks[i].sentence || toks[j].last {
                break;
            }
            if toks[j].text.ends_with(',') {
                if toks[i + 1..=j].iter().all(|t| is_word(&t.text)) {
                    out.push((i, j));
                }
                break;
            }
        }
    }
    out
}

fn case(sentences: &[String], rng: &mut Rng) -> Option<String> {
    // ASCII case changes only, so lower-casing gives back the source's
    // normalised text exactly.
    let roll = rng.unit();
    if roll < 0.2 {
        return Some(sentences.join(" ").to_ascii_uppercase());
    }
    if roll < 0.4 {
        let mut out = sentences.to_vec();
        out[0] = out[0].to_ascii_uppercase();
        return Some(out.join(" "));
    }
    let mut toks = tokens(sentences);
    let words: Vec<usize> = (0..toks.len())
        .filter(|&i| toks[i].text.chars().any(|c| c.is_ascii_alphabetic()))
        .collect();
    if words.is_empty() {
        return None;
    }
    let k = rng.between(1, 3);
    for pick in rng.distinct(words.len(), k) {
        let t = &mut toks[words[pick]].text;
        // Only an ASCII first letter: "ß" upper-cases to "SS", which does
        // not lower-case back.
        let ascii_first = t
            .chars()
            .find(|c| c.is_alphabetic())
            .is_some_and(|c| c.is_ascii());
        let titled = if ascii_first {
            capitalise(t)
        } else {
            t.clone()
        };
        *t = if titled != *t && rng.chance(0.5) {
            titled
        } else if t.chars().any(|c| c.is_ascii_lowercase()) {
            t.to_ascii_uppercase()
        } else {
            t.to_ascii_lowercase()
        };
    }
    Some(join(&toks))
}

fn punctuation(sentences: &[String], rng: &mut Rng) -> Option<String> {
    let source = sentences.join(" ");
    if words(&source) < MIN_WORDS_SMALL_EDIT {
        return None;
    }
    for _ in 0..8 {
        let mut toks = tokens(sentences);
        for _ in 0..rng.between(1, 3) {
            punctuate_once(&mut toks, rng);
        }
        let out = join(&toks);
        // A dash swap alone folds away in normalisation; want a real change.
        if normalize(&out) != normalize(&source) {
            return Some(out);
        }
    }
    None
}

/// One punctuation edit: a comma added or removed, the final mark changed,
/// or a dash made long.
fn punctuate_once(toks: &mut [Token], rng: &mut Rng) {
    let n = toks.len();
    match rng.below(4) {
        0 => {
            let places: Vec<usize> = (0..n)
                .filter(|&i| !toks[i].last && toks[i].text.ends_with(char::is_alphanumeric))
                .collect();
            if !places.is_empty() {
                toks[*rng.pick(&places)].text.push(',');
            }
        }
        1 => {
            let commas: Vec<usize> = (0..n)
                .filter(|&i| !toks[i].last && toks[i].text.ends_with(','))
                .collect();
            if !commas.is_empty() {
                toks[*rng.pick(&commas)].text.pop();
            }
        }
        2 => {
            let last = &mut toks[n - 1].text;
            if let Some(i) = last.rfind(['.', '!', '?']) {
                let mark = if last[i..].starts_with('.') { "!" } else { "." };
                last.replace_range(i..i + 1, mark);
            }
        }
        _ => {
            for t in toks.iter_mut().filter(|t| t.text == "-") {
                t.text = "\u{2014}".to_string();
            }
        }
    }
}

fn quotes(text: &str) -> Option<String> {
    let straight = text.contains(['"', '\'']);
    let curly = text.contains(['\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}']);
    if !straight && !curly {
        return None;
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut prev: Option<char> = None;
    for c in text.chars() {
        let opening = prev.is_none_or(|p| p.is_whitespace() || p == '(' || p == '[');
        out.push(match c {
            '"' if straight => {
                if opening {
                    '\u{201C}'
                } else {
                    '\u{201D}'
                }
            }
            '\'' if straight => {
                if opening {
                    '\u{2018}'
                } else {
                    '\u{2019}'
                }
            }
            '\u{2018}' | '\u{2019}' if !straight => '\'',
            '\u{201C}' | '\u{201D}' if !straight => '"',
            other => other,
        });
        prev = Some(c);
    }
    Some(out)
}

fn whitespace(sentences: &[String], rng: &mut Rng) -> Option<String> {
    let toks = tokens(sentences);
    if toks.len() < 2 {
        return None;
    }
    let mut gaps = vec![" "; toks.len() - 1];
    // At least one change inside the paragraph: trailing blanks alone are
    // outside the paragraph's span.
    let k = rng.between(1, 3);
    for g in rng.distinct(gaps.len(), k) {
        gaps[g] = *rng.pick(&["  ", "   ", "\u{a0}", " \t"]);
    }
    let mut out = String::new();
    for (i, t) in toks.iter().enumerate() {
        out.push_str(&t.text);
        if let Some(gap) = gaps.get(i) {
            out.push_str(gap);
        }
    }
    if rng.chance(0.5) {
        out.push_str("  ");
    }
    Some(out)
}

fn reorder(sentences: &[String], rng: &mut Rng) -> Option<String> {
    if sentences.len() < 2 || sentences.iter().any(|s| words(s) < 5) {
        return None;
    }
    let mut order: Vec<usize> = (0..sentences.len()).collect();
    while order.windows(2).all(|w| w[0] < w[1]) {
        rng.shuffle(&mut order);
    }
    Some(
        order
            .iter()
            .map(|&i| sentences[i].as_str())
            .collect::<Vec<_>>()
            .join(" "),
    )
}

fn merge(a: &[String], b: &[String]) -> Option<String> {
    if a.len() < 2 || b.len() < 2 {
        return None;
    }
    let first = &a[..a.len().div_ceil(2)];
    let second = &b[b.len() / 2..];
    Some(
        first
            .iter()
            .chain(second)
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(" "),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(text: &str) -> Vec<String> {
        crate::markov::sentences(text)
            .into_iter()
            .map(|s| s.join(" "))
            .collect()
    }

    const P: &str = "The council voted on Tuesday to close three rural schools, citing falling numbers. \
                     Parents gathered outside the offices before the vote, holding banners and \"demanding\" a delay.";

    #[test]
    fn edits_stay_within_their_bounds() {
        let subs = vec!["river".to_string(), "market".to_string()];
        let src = para(P);
        let n = words(P);
        for seed in 0..200 {
            let mut rng = Rng::new(seed);
            let e = near_copy(Kind::WordEdit, &src, None, &subs, &mut rng).unwrap();
            assert_eq!(words(&e), n);
            let i = near_copy(Kind::Insertion, &src, None, &subs, &mut rng).unwrap();
            assert!((3..=(n * 15 / 100)).contains(&(words(&i) - n)), "{i}");
            let d = near_copy(Kind::Deletion, &src, None, &subs, &mut rng).unwrap();
            assert!((1..=(n * 15 / 100)).contains(&(n - words(&d))), "{d}");
            for k in [Kind::Case, Kind::Quotes, Kind::Whitespace] {
                let c = near_copy(k, &src, None, &subs, &mut rng).unwrap();
                assert_eq!(normalize(&c), normalize(P), "{k:?} {c}");
            }
            let p = near_copy(Kind::Punctuation, &src, None, &subs, &mut rng).unwrap();
            assert_ne!(normalize(&p), normalize(P));
            assert_eq!(words(&p), n);
        }
    }
}
