//! Learning from real articles: the text the chains are trained on.
//!
//! Each source directory is read recursively in sorted order (`.txt` files
//! only), each file is cut into paragraphs and stripped of boilerplate with
//! `dedupe`'s own segmenter and rules, so the chains never learn a share
//! row or a cookie banner. The first paragraph of a file, when it is shaped
//! like a headline, trains the headline chain; every other paragraph of at
//! least [`MIN_LEARN_WORDS`] words trains the sentence chain.

use crate::markov::{self, Chain, Vocab};
use dedupe::strip::{Stripper, is_headline};
use std::path::{Path, PathBuf};
use xxhash_rust::xxh3::Xxh3;

/// Shorter paragraphs are bylines, captions and furniture, not prose.
const MIN_LEARN_WORDS: usize = 6;

/// What the sources taught.
pub struct Model {
    /// Every token of both chains.
    pub vocab: Vocab,
    /// Sentences of article text.
    pub body: Chain,
    /// Headlines.
    pub heads: Chain,
    /// Lower-case words for word substitutions, sorted.
    pub substitutes: Vec<String>,
    /// Files read.
    pub files: usize,
    /// xxh3 of every file's path (relative to its source) and bytes, in
    /// order: names the training data in `generator.json`.
    pub checksum: u64,
}

/// Reads every source directory and trains the chains.
pub fn learn(dirs: &[PathBuf], stripper: &Stripper) -> Result<Model, String> {
    let mut vocab = Vocab::new();
    let mut body = Chain::default();
    let mut heads = Chain::default();
    let mut hasher = Xxh3::new();
    let mut files = 0;
    for dir in dirs {
        let mut paths = Vec::new();
        collect_txt(dir, &mut paths)?;
        for path in paths {
            let rel = path.strip_prefix(dir).unwrap_or(&path);
            let name = rel.to_string_lossy().replace('\\', "/");
            let text = dedupe::read::read(&name, &path, dedupe::read::DEFAULT_MAX_FILE_SIZE)
                .map_err(|e| format!("cannot learn from {}: {e}", path.display()))?;
            hasher.update(name.as_bytes());
            hasher.update(text.text.as_bytes());
            files += 1;
            learn_file(
                &text.text,
                text.body_start,
                stripper,
                &mut vocab,
                &mut body,
                &mut heads,
            );
        }
    }
    body.freeze(&vocab);
    heads.freeze(&vocab);
    if body.is_empty() || heads.is_empty() {
        return Err(format!(
            "the sources ({} files) hold no usable {}; pass --source with a directory of article .txt files",
            files,
            if body.is_empty() {
                "sentences"
            } else {
                "headlines"
            }
        ));
    }
    let substitutes = substitutes(&vocab);
    Ok(Model {
        vocab,
        body,
        heads,
        substitutes,
        files,
        checksum: hasher.digest(),
    })
}

fn learn_file(
    text: &str,
    body_start: usize,
    stripper: &Stripper,
    vocab: &mut Vocab,
    body: &mut Chain,
    heads: &mut Chain,
) {
    let spans = dedupe::segment::segment(text, body_start);
    let paragraphs: Vec<&str> = spans.iter().map(|s| s.of(text)).collect();
    let verdicts = stripper.strip(&paragraphs);
    for (i, (paragraph, verdict)) in paragraphs.iter().zip(verdicts).enumerate() {
        if verdict.is_some() {
            continue;
        }
        let words = paragraph.split_whitespace().count();
        if i == 0 && is_headline(paragraph) && (3..=20).contains(&words) {
            let tokens: Vec<&str> = paragraph.split_whitespace().collect();
            heads.learn(vocab, &tokens);
        } else if words >= MIN_LEARN_WORDS {
            for sentence in markov::sentences(paragraph) {
                body.learn(vocab, &sentence);
            }
        }
    }
}

/// The `.txt` files under `dir`, recursively, in sorted path order.
fn collect_txt(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read source directory {}: {e}", dir.display()))?;
    let mut paths = Vec::new();
    for entry in entries {
        let entry =
            entry.map_err(|e| format!("cannot read source directory {}: {e}", dir.display()))?;
        paths.push(entry.path());
    }
    paths.sort();
    for path in paths {
        if path.is_dir() {
            collect_txt(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "txt") {
            out.push(path);
        }
    }
    Ok(())
}

/// Plain lower-case words of at least three letters: what a word edit may
/// put in place of another word.
fn substitutes(vocab: &Vocab) -> Vec<String> {
    let mut words: Vec<String> = (1..vocab.len() as u32)
        .map(|id| vocab.word(id))
        .filter(|w| w.len() >= 3 && w.chars().all(|c| c.is_ascii_lowercase()))
        .map(str::to_string)
        .collect();
    words.sort_unstable();
    words.dedup();
    words
}
