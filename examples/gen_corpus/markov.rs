//! Word Markov chains of order 1, learnt from real sentences.
//!
//! A token is a run of non-blank characters as it stands in the source
//! ("profit.", "(SEC),", "\"Our"), so punctuation, quotes and capitals come
//! out where real text puts them. The chain goes from a sentence start
//! through each token to a sentence end; generating walks it from the start
//! until it reaches the end. Everything is kept in vectors in the order the
//! tokens were first seen, so the same sources give the same chain.

use crate::rng::Rng;
use std::collections::HashMap;

/// The token that stands for both a sentence's start and its end.
const BOUNDARY: u32 = 0;

/// Tokens, each stored once and named by its index.
#[derive(Debug)]
pub struct Vocab {
    words: Vec<String>,
    ids: HashMap<String, u32>,
}

impl Vocab {
    /// A vocabulary holding only the boundary token.
    pub fn new() -> Vocab {
        Vocab {
            words: vec![String::new()],
            ids: HashMap::new(),
        }
    }

    /// The id of `word`, adding it if new.
    fn intern(&mut self, word: &str) -> u32 {
        if let Some(&id) = self.ids.get(word) {
            return id;
        }
        let id = self.words.len() as u32;
        self.words.push(word.to_string());
        self.ids.insert(word.to_string(), id);
        id
    }

    /// The text of token `id`.
    pub fn word(&self, id: u32) -> &str {
        &self.words[id as usize]
    }

    /// How many tokens there are, the boundary included.
    pub fn len(&self) -> usize {
        self.words.len()
    }
}

/// An order-1 chain over a [`Vocab`].
#[derive(Debug, Default)]
pub struct Chain {
    /// Transition counts while learning, `(from, to) -> count`.
    counts: HashMap<(u32, u32), u32>,
    /// After [`Chain::freeze`]: for each token, its successors with
    /// cumulative counts, in token order.
    next: Vec<Vec<(u32, u32)>>,
    /// Tokens that can continue a sentence (have a successor other than
    /// the end), in token order: where a random jump may land.
    interior: Vec<u32>,
    /// Sentences learnt.
    pub sentences: usize,
}

impl Chain {
    /// Learns one sentence, given as its tokens.
    pub fn learn(&mut self, vocab: &mut Vocab, tokens: &[&str]) {
        let mut from = BOUNDARY;
        for token in tokens {
            let to = vocab.intern(token);
            *self.counts.entry((from, to)).or_insert(0) += 1;
            from = to;
        }
        *self.counts.entry((from, BOUNDARY)).or_insert(0) += 1;
        self.sentences += 1;
    }

    /// Turns the counts into sampling tables. Sorting the pairs first makes
    /// the tables independent of hash-map order.
    pub fn freeze(&mut self, vocab: &Vocab) {
        let mut pairs: Vec<((u32, u32), u32)> = self.counts.drain().collect();
        pairs.sort_unstable();
        self.next = vec![Vec::new(); vocab.len()];
        for ((from, to), count) in pairs {
            let row = &mut self.next[from as usize];
            let cumulative = row.last().map_or(0, |&(_, c)| c) + count;
            row.push((to, cumulative));
        }
        self.interior = (1..vocab.len() as u32)
            .filter(|&t| self.next[t as usize].iter().any(|&(to, _)| to != BOUNDARY))
            .collect();
    }

    /// Whether the chain learnt anything.
    pub fn is_empty(&self) -> bool {
        self.interior.is_empty()
    }

    /// A successor of `from`, drawn by count, or `None` if it has none.
    fn step(&self, from: u32, rng: &mut Rng) -> Option<u32> {
        let row = self.next.get(from as usize)?;
        let total = row.last()?.1;
        let x = rng.below(total as usize) as u32;
        let at = row.partition_point(|&(_, c)| c <= x);
        Some(row[at].0)
    }

    /// A random token that can continue a sentence.
    fn jump(&self, rng: &mut Rng) -> u32 {
        *rng.pick(&self.interior)
    }

    /// One walk from the start to the end of a sentence, at most `max`
    /// tokens, or `None` when it runs longer. With probability `mutation`
    /// each step jumps to a random token of `jumps` instead of following
    /// the chain: a small source has few branches, and the jumps let it
    /// still say new things (see the crate doc). A token this chain cannot
    /// continue from is continued by `fallback`.
    pub fn walk(
        &self,
        fallback: &Chain,
        jumps: &Chain,
        mutation: f64,
        max: usize,
        rng: &mut Rng,
    ) -> Option<Vec<u32>> {
        let mut tokens = Vec::new();
        let mut at = BOUNDARY;
        loop {
            let next = if at != BOUNDARY && mutation > 0.0 && rng.chance(mutation) {
                jumps.jump(rng)
            } else {
                self.step(at, rng)
                    .or_else(|| fallback.step(at, rng))
                    .unwrap_or(BOUNDARY)
            };
            if next == BOUNDARY {
                return Some(tokens);
            }
            tokens.push(next);
            if tokens.len() > max {
                return None;
            }
            at = next;
        }
    }
}

/// Abbreviations whose full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "prof", "gen", "col", "lt", "sgt", "capt", "rev", "sen", "rep",
    "gov", "no", "vs", "jan", "feb", "mar", "apr", "aug", "sept", "sep", "oct", "nov", "dec",
    "inc", "ltd", "co", "corp", "jr", "sr", "mt", "ft", "approx", "est", "dept", "univ",
];

/// Whether `token` ends a sentence when followed by `next`: it ends in a
/// full stop, question or exclamation mark (perhaps inside closing quotes
/// or brackets), is not an abbreviation or an initial, and the next token
/// starts like a sentence.
fn ends_sentence(token: &str, next: Option<&str>) -> bool {
    let core = token.trim_end_matches(['"', '\'', ')', '\u{201D}', '\u{2019}']);
    if !core.ends_with(['.', '!', '?']) {
        return false;
    }
    let word = core
        .trim_end_matches(['.', '!', '?'])
        .trim_start_matches(|c: char| !c.is_alphanumeric());
    let lower = word.to_lowercase();
    if core.ends_with('.')
        && (word.chars().count() == 1
            || word.contains('.')
            || ABBREVIATIONS.contains(&lower.as_str()))
    {
        return false;
    }
    match next {
        None => true,
        Some(n) => n
            .chars()
            .find(|c| c.is_alphanumeric())
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit()),
    }
}

/// The sentences of a paragraph, as tokens. A sentence that does not end
/// in `.`, `?` or `!` (a paragraph cut short, a list) is left out, so every
/// learnt sentence end is a real one.
pub fn sentences(paragraph: &str) -> Vec<Vec<&str>> {
    let tokens: Vec<&str> = paragraph.split_whitespace().collect();
    let mut out = Vec::new();
    let mut start = 0;
    for i in 0..tokens.len() {
        if ends_sentence(tokens[i], tokens.get(i + 1).copied()) {
            out.push(tokens[start..=i].to_vec());
            start = i + 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_split_at_real_ends_only() {
        let s = sentences(
            "Mr. Smith met Dr. J. Jones in the U.S. on Monday. \"It went well,\" he said. And then",
        );
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].last(), Some(&"Monday."));
        assert_eq!(s[1].last(), Some(&"said."));
    }

    #[test]
    fn chain_walks_learnt_sentences() {
        let mut vocab = Vocab::new();
        let mut chain = Chain::default();
        chain.learn(&mut vocab, &["The", "cat", "sat."]);
        chain.freeze(&vocab);
        let mut rng = Rng::new(1);
        let walk = chain.walk(&chain, &chain, 0.0, 10, &mut rng).unwrap();
        let words: Vec<&str> = walk.iter().map(|&t| vocab.word(t)).collect();
        assert_eq!(words, ["The", "cat", "sat."]);
    }
}
