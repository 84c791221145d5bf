//! New text: sentences, paragraphs and headlines from the chains, each
//! checked to be new (see [`crate::novelty`]).
//!
//! A walk of the chain that repeats too much of what was already written is
//! drawn again. After a few failures the walk starts to jump: with a growing
//! probability each step goes to a random word instead of a likely one.
//! With a large source (the 2,225 BBC articles) jumps are rare; with the
//! five bundled seed articles the chain has few branches and most text
//! needs them. `generator.json` counts how many sentences needed them.

use crate::markov::Chain;
use crate::novelty::Seen;
use crate::rng::Rng;
use crate::source::Model;
use crate::variants::{capitalise, words};
use dedupe::strip::is_headline;
use serde::Serialize;

/// Largest share of a new sentence's words that may lie in shingles
/// already written.
const SENTENCE_MAX_COVERAGE: f64 = 0.3;
/// The same for a whole base paragraph or headline. In the BBC articles,
/// 94% of the paragraphs of seven words or more that are not copies of
/// earlier ones have less than 0.3 of their words in shingles of earlier
/// articles; `dedupe` needs 0.8 from at most two paragraphs to call a
/// paragraph a near-duplicate.
pub const BASE_MAX_COVERAGE: f64 = 0.3;
/// The same for a partial paragraph, whose borrowed sentence is at most
/// 40% of its words: still far below 0.8.
const PARTIAL_MAX_COVERAGE: f64 = 0.6;
/// Largest share of a partial paragraph's words its borrowed sentence has.
const PARTIAL_MAX_BORROWED: f64 = 0.4;
/// Sentence and headline lengths, in tokens.
const SENTENCE_TOKENS: (usize, usize) = (5, 35);
const HEADLINE_TOKENS: (usize, usize) = (5, 12);
/// Draws of a headline from the headline chain before turning to the
/// sentence chain.
const HEADLINE_CHAIN_DRAWS: usize = 40;
/// Draws before giving up on one sentence: only a source of a handful of
/// words could get there.
const MAX_DRAWS: usize = 400;

/// Counts of the text writer's work, for `generator.json`.
#[derive(Debug, Default, Serialize)]
pub struct TextStats {
    /// Sentences written.
    pub sentences: u64,
    /// Sentences written with random jumps.
    pub sentences_with_jumps: u64,
    /// Sentences drawn and thrown away as not new enough.
    pub sentences_rejected: u64,
    /// Paragraphs thrown away as not new enough.
    pub paragraphs_rejected: u64,
    /// Headlines written.
    pub headlines: u64,
    /// Headlines drawn and thrown away (not new, or the wrong shape).
    pub headlines_rejected: u64,
}

/// Writes new text from the chains.
pub struct Writer<'m> {
    model: &'m Model,
    /// Every shingle written so far.
    pub seen: Seen,
    /// What it did.
    pub stats: TextStats,
}

/// The chance of a random jump at each step on the `draw`-th try.
fn jump_rate(draw: usize) -> f64 {
    if draw < 3 {
        0.0
    } else {
        (0.05 * (draw - 2) as f64).min(0.5)
    }
}

/// Whether a token may end a sentence: a full stop, question or
/// exclamation mark, perhaps inside closing quotes or brackets.
fn ends_sentence(token: &str) -> bool {
    token
        .trim_end_matches(['"', '\'', ')', '\u{201D}', '\u{2019}'])
        .ends_with(['.', '!', '?'])
}

impl<'m> Writer<'m> {
    /// A writer that has written nothing, for about `expected_shingles`.
    pub fn new(model: &'m Model, expected_shingles: usize) -> Writer<'m> {
        Writer {
            model,
            seen: Seen::with_capacity(expected_shingles),
            stats: TextStats::default(),
        }
    }

    fn text(&self, ids: &[u32]) -> String {
        let words: Vec<&str> = ids.iter().map(|&t| self.model.vocab.word(t)).collect();
        capitalise(&words.join(" "))
    }

    /// One walk of `chain` of `min..=max` tokens that passes `shaped`, or
    /// `None` when the draw must be repeated.
    fn draw(
        &self,
        chain: &Chain,
        jumps: f64,
        (min, max): (usize, usize),
        rng: &mut Rng,
    ) -> Option<String> {
        let ids = chain.walk(&self.model.body, &self.model.body, jumps, max, rng)?;
        (ids.len() >= min).then(|| self.text(&ids))
    }

    /// A new sentence.
    pub fn sentence(&mut self, rng: &mut Rng) -> Result<String, String> {
        for draw in 0..MAX_DRAWS {
            let jumps = jump_rate(draw);
            let Some(s) = self.draw(&self.model.body, jumps, SENTENCE_TOKENS, rng) else {
                continue;
            };
            let last = s.split_whitespace().last().unwrap_or("");
            if !ends_sentence(last) || words(&s) < SENTENCE_TOKENS.0 {
                continue;
            }
            if self.seen.coverage(&s).0 > SENTENCE_MAX_COVERAGE {
                self.stats.sentences_rejected += 1;
                continue;
            }
            self.stats.sentences += 1;
            if jumps > 0.0 {
                self.stats.sentences_with_jumps += 1;
            }
            return Ok(s);
        }
        Err(too_small())
    }

    /// A new paragraph of `n` sentences, recorded as written.
    pub fn paragraph(&mut self, n: usize, rng: &mut Rng) -> Result<Vec<String>, String> {
        for _ in 0..MAX_DRAWS {
            let sentences = (0..n)
                .map(|_| self.sentence(rng))
                .collect::<Result<Vec<_>, _>>()?;
            let text = sentences.join(" ");
            // Sentences are checked one by one; the few shingles across
            // their ends are checked here.
            if self.seen.coverage(&text).0 <= BASE_MAX_COVERAGE {
                self.seen.add(&text);
                return Ok(sentences);
            }
            self.stats.paragraphs_rejected += 1;
        }
        Err(too_small())
    }

    /// A new headline, recorded as written. From the headline chain; when
    /// that keeps failing (a source with a handful of headlines), from the
    /// start of a sentence cut to headline length.
    pub fn headline(&mut self, rng: &mut Rng) -> Result<String, String> {
        for draw in 0..MAX_DRAWS {
            let h = if draw < HEADLINE_CHAIN_DRAWS {
                self.draw(&self.model.heads, jump_rate(draw), HEADLINE_TOKENS, rng)
            } else {
                self.headline_from_sentence(jump_rate(draw - HEADLINE_CHAIN_DRAWS), rng)
            };
            let Some(h) = h else { continue };
            if !is_headline(&h)
                || words(&h) < HEADLINE_TOKENS.0
                || self.seen.coverage(&h).0 > BASE_MAX_COVERAGE
            {
                self.stats.headlines_rejected += 1;
                continue;
            }
            self.seen.add(&h);
            self.stats.headlines += 1;
            return Ok(h);
        }
        Err(too_small())
    }

    /// The first 5 to 12 tokens of a sentence walk, without punctuation
    /// after the last word.
    fn headline_from_sentence(&self, jumps: f64, rng: &mut Rng) -> Option<String> {
        let body = &self.model.body;
        let ids = body.walk(body, body, jumps, SENTENCE_TOKENS.1, rng)?;
        let n = rng
            .between(HEADLINE_TOKENS.0, HEADLINE_TOKENS.1)
            .min(ids.len());
        let text = self.text(&ids[..n]);
        let end = text.rfind(char::is_alphanumeric)?;
        let last = text[end..].chars().next()?;
        Some(text[..end + last.len_utf8()].to_string())
    }

    /// A partial paragraph: `borrowed` (a sentence of an earlier paragraph)
    /// among new sentences that hold at least 60% of the words, recorded as
    /// written.
    pub fn partial(&mut self, borrowed: &str, rng: &mut Rng) -> Result<String, String> {
        let min_new = (words(borrowed) as f64 * (1.0 - PARTIAL_MAX_BORROWED) / PARTIAL_MAX_BORROWED)
            .ceil() as usize;
        for _ in 0..MAX_DRAWS {
            let mut sentences = Vec::new();
            let mut new_words = 0;
            while new_words < min_new {
                let s = self.sentence(rng)?;
                new_words += words(&s);
                sentences.push(s);
            }
            let at = rng.below(sentences.len() + 1);
            sentences.insert(at, borrowed.to_string());
            let text = sentences.join(" ");
            if self.seen.coverage(&text).0 <= PARTIAL_MAX_COVERAGE {
                self.seen.add(&text);
                return Ok(text);
            }
            self.stats.paragraphs_rejected += 1;
        }
        Err(too_small())
    }
}

fn too_small() -> String {
    "the sources are too small to write new text from; pass --source with more articles".to_string()
}
