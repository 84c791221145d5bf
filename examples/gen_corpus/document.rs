//! Documents: new articles with injected copies, and copies of whole
//! articles.
//!
//! Sources of copies are drawn uniformly from everything emitted so far by
//! reservoir sampling (a fixed-size uniform sample that a stream updates
//! one item at a time), so memory stays flat however large the corpus.
//! Only base paragraphs are ever sources of paragraph copies and only new
//! articles are sources of document copies: never a copy, never
//! boilerplate.

use crate::boilerplate;
use crate::rng::Rng;
use crate::text::Writer;
use crate::truth::{At, Kind, Truth};
use crate::variants::{near_copy, words};
use std::collections::BTreeMap;

/// Share of body paragraphs of a new article that are exact copies.
const EXACT_SHARE: f64 = 0.05;
/// Share of body paragraphs of each near kind (8% in all); `merge` last.
const NEAR_SHARES: [(Kind, f64); 9] = [
    (Kind::WordEdit, 0.015),
    (Kind::Insertion, 0.010),
    (Kind::Deletion, 0.010),
    (Kind::Case, 0.0075),
    (Kind::Punctuation, 0.010),
    (Kind::Quotes, 0.0075),
    (Kind::Whitespace, 0.005),
    (Kind::Reorder, 0.0075),
    (Kind::Merge, 0.0075),
];
/// Share of body paragraphs that are partial (hard negatives).
const PARTIAL_SHARE: f64 = 0.02;
/// Share of copies whose source is in the same document, when it has one.
const WITHIN_SHARE: f64 = 0.2;
/// Shares of documents that are exact and near copies of earlier ones.
const DOC_EXACT_SHARE: f64 = 0.02;
const DOC_NEAR_SHARE: f64 = 0.02;
/// Shares of new articles with boilerplate under the headline, between
/// paragraphs, and after the last paragraph.
const TOP_SHARE: f64 = 0.15;
const MIDDLE_SHARE: f64 = 0.10;
const TAIL_SHARE: f64 = 0.25;
/// Body paragraphs of a new article.
const BODY_PARAGRAPHS: (usize, usize) = (5, 17);
/// Weights of 1 to 5 sentences per body paragraph.
const SENTENCE_WEIGHTS: [f64; 5] = [0.22, 0.30, 0.24, 0.14, 0.10];
/// Sizes of the reservoirs of base paragraphs and of new articles.
const PARAGRAPH_RESERVOIR: usize = 20_000;
const DOCUMENT_RESERVOIR: usize = 2_000;
/// Tries to find a source that suits an edit before falling back.
const SOURCE_TRIES: usize = 12;

/// Where a paragraph came from, as much as later copies need to know.
#[derive(Debug, Clone)]
pub enum Origin {
    /// The article's headline.
    Headline,
    /// A new body paragraph, with its sentences (edits work on them).
    Base(Vec<String>),
    /// Any other text: a partial paragraph or a copy.
    Other,
    /// A boilerplate line; a standalone one may be added or dropped.
    Boilerplate {
        /// Whether it stands alone.
        standalone: bool,
    },
}

/// One paragraph of a document.
#[derive(Debug, Clone)]
pub struct Para {
    /// Its text, on one line.
    pub text: String,
    /// Where it came from.
    pub origin: Origin,
    /// The truth about it, `None` for base text.
    pub truth: Option<Truth>,
}

/// A finished document.
pub struct Document {
    /// Its paragraphs, in order; the headline first.
    pub paras: Vec<Para>,
    /// For a copy of an earlier document: its kind and that document.
    pub copy_of: Option<(Kind, usize)>,
}

/// A base paragraph that may be copied.
#[derive(Debug, Clone)]
struct BaseRef {
    at: At,
    sentences: Vec<String>,
}

/// A new article that may be copied whole.
#[derive(Debug, Clone)]
struct Stored {
    doc: usize,
    paras: Vec<(String, Origin)>,
}

/// A uniform sample of fixed size from a stream (Vitter's algorithm R).
struct Reservoir<T> {
    items: Vec<T>,
    seen: u64,
    capacity: usize,
}

impl<T> Reservoir<T> {
    fn new(capacity: usize) -> Reservoir<T> {
        Reservoir {
            items: Vec::new(),
            seen: 0,
            capacity,
        }
    }

    /// Offers the next item of the stream, made only if it is kept.
    fn offer(&mut self, rng: &mut Rng, make: impl FnOnce() -> T) {
        self.seen += 1;
        if self.items.len() < self.capacity {
            self.items.push(make());
        } else {
            let j = rng.below(self.seen as usize);
            if j < self.capacity {
                self.items[j] = make();
            }
        }
    }

    fn pick(&self, rng: &mut Rng) -> Option<&T> {
        (!self.items.is_empty()).then(|| rng.pick(&self.items))
    }
}

/// Builds documents one after another, in corpus order.
pub struct Builder<'m> {
    /// The text writer (and its record of what was written).
    pub writer: Writer<'m>,
    substitutes: &'m [String],
    rng: Rng,
    bases: Reservoir<BaseRef>,
    docs: Reservoir<Stored>,
    /// Truth rows per kind, documents included.
    pub counts: BTreeMap<Kind, u64>,
    /// Paragraphs in all documents.
    pub paragraphs: u64,
}

impl<'m> Builder<'m> {
    /// A builder that has built nothing.
    pub fn new(writer: Writer<'m>, substitutes: &'m [String], seed: u64) -> Builder<'m> {
        Builder {
            writer,
            substitutes,
            rng: Rng::new(seed),
            bases: Reservoir::new(PARAGRAPH_RESERVOIR),
            docs: Reservoir::new(DOCUMENT_RESERVOIR),
            counts: BTreeMap::new(),
            paragraphs: 0,
        }
    }

    /// Document number `doc`.
    pub fn document(&mut self, doc: usize) -> Result<Document, String> {
        let roll = self.rng.unit();
        let copy = if roll < DOC_EXACT_SHARE {
            self.exact_copy()
        } else if roll < DOC_EXACT_SHARE + DOC_NEAR_SHARE {
            self.near_copy_of_document()
        } else {
            None
        };
        let document = match copy {
            Some(d) => d,
            None => {
                let paras = self.article(doc)?;
                let stored = || Stored {
                    doc,
                    paras: paras
                        .iter()
                        .map(|p| (p.text.clone(), p.origin.clone()))
                        .collect(),
                };
                self.docs.offer(&mut self.rng, stored);
                Document {
                    paras,
                    copy_of: None,
                }
            }
        };
        for p in &document.paras {
            if let Some(t) = &p.truth {
                *self.counts.entry(t.kind).or_insert(0) += 1;
            }
        }
        if let Some((kind, _)) = document.copy_of {
            *self.counts.entry(kind).or_insert(0) += 1;
        }
        self.paragraphs += document.paras.len() as u64;
        Ok(document)
    }

    /// A new article: headline, perhaps boilerplate, body paragraphs (some
    /// of them copies), perhaps a boilerplate tail.
    fn article(&mut self, doc: usize) -> Result<Vec<Para>, String> {
        let mut paras = vec![Para {
            text: self.writer.headline(&mut self.rng)?,
            origin: Origin::Headline,
            truth: None,
        }];
        if self.rng.chance(TOP_SHARE) {
            push_boilerplate(&mut paras, boilerplate::top(&mut self.rng));
        }
        let body = self.rng.between(BODY_PARAGRAPHS.0, BODY_PARAGRAPHS.1);
        let middle = self
            .rng
            .chance(MIDDLE_SHARE)
            .then(|| self.rng.between(1, body - 1));
        for i in 0..body {
            if middle == Some(i) {
                push_boilerplate(&mut paras, boilerplate::middle(&mut self.rng));
            }
            let para = self.body_paragraph(doc, &paras)?;
            if let Origin::Base(sentences) = &para.origin {
                let base = BaseRef {
                    at: At {
                        doc,
                        para: paras.len(),
                    },
                    sentences: sentences.clone(),
                };
                self.bases.offer(&mut self.rng, || base);
            }
            paras.push(para);
        }
        if self.rng.chance(TAIL_SHARE) {
            let related = self.related_headlines();
            push_boilerplate(&mut paras, boilerplate::tail(&mut self.rng, related));
        }
        Ok(paras)
    }

    /// Two to five headlines of earlier articles, for a "Related posts" list.
    fn related_headlines(&mut self) -> Vec<String> {
        let n = self.rng.between(2, 5);
        let mut out: Vec<String> = Vec::new();
        for _ in 0..n {
            if let Some(d) = self.docs.pick(&mut self.rng)
                && !out.contains(&d.paras[0].0)
            {
                out.push(d.paras[0].0.clone());
            }
        }
        out
    }

    /// One body paragraph of document `doc`, whose paragraphs so far are
    /// `paras`: new text or, by the shares above, a copy or a partial.
    fn body_paragraph(&mut self, doc: usize, paras: &[Para]) -> Result<Para, String> {
        let mut weights = vec![EXACT_SHARE, PARTIAL_SHARE];
        weights.extend(NEAR_SHARES.iter().map(|&(_, s)| s));
        let copies: f64 = weights.iter().sum();
        weights.push(1.0 - copies);
        let kind = match self.rng.weighted(&weights) {
            0 => Some(Kind::Exact),
            1 => Some(Kind::Partial),
            i if i < weights.len() - 1 => Some(NEAR_SHARES[i - 2].0),
            _ => None,
        };
        if let Some(kind) = kind
            && let Some(para) = self.copy(kind, doc, paras)?
        {
            return Ok(para);
        }
        let n = 1 + self.rng.weighted(&SENTENCE_WEIGHTS);
        let sentences = self.writer.paragraph(n, &mut self.rng)?;
        Ok(Para {
            text: sentences.join(" "),
            origin: Origin::Base(sentences),
            truth: None,
        })
    }

    /// A base paragraph to copy: one of this document's, or one from the
    /// reservoir of everything emitted before.
    fn source(&mut self, doc: usize, paras: &[Para]) -> Option<BaseRef> {
        let own: Vec<BaseRef> = paras
            .iter()
            .enumerate()
            .filter_map(|(i, p)| match &p.origin {
                Origin::Base(s) => Some(BaseRef {
                    at: At { doc, para: i },
                    sentences: s.clone(),
                }),
                _ => None,
            })
            .collect();
        if !own.is_empty() && self.rng.chance(WITHIN_SHARE) {
            return Some(self.rng.pick(&own).clone());
        }
        self.bases.pick(&mut self.rng).cloned()
    }

    /// A copy of kind `kind` (exact, a near kind or partial) of an earlier
    /// base paragraph, or `None` when no suitable source turns up.
    fn copy(&mut self, kind: Kind, doc: usize, paras: &[Para]) -> Result<Option<Para>, String> {
        for _ in 0..SOURCE_TRIES {
            let Some(a) = self.source(doc, paras) else {
                return Ok(None);
            };
            let (text, source2) = match kind {
                Kind::Exact => (Some(a.sentences.join(" ")), None),
                Kind::Partial => {
                    let borrowed = self.rng.pick(&a.sentences).clone();
                    (Some(self.writer.partial(&borrowed, &mut self.rng)?), None)
                }
                Kind::Merge => match self.source(doc, paras) {
                    Some(b) if b.at != a.at => (
                        near_copy(
                            kind,
                            &a.sentences,
                            Some(&b.sentences),
                            self.substitutes,
                            &mut self.rng,
                        ),
                        Some(b.at),
                    ),
                    _ => (None, None),
                },
                _ => (
                    near_copy(kind, &a.sentences, None, self.substitutes, &mut self.rng),
                    None,
                ),
            };
            if let Some(text) = text {
                self.writer.seen.add(&text);
                return Ok(Some(Para {
                    text,
                    origin: Origin::Other,
                    truth: Some(Truth {
                        kind,
                        source: Some(a.at),
                        source2,
                    }),
                }));
            }
        }
        Ok(None)
    }

    /// A byte-identical copy of an earlier article.
    fn exact_copy(&mut self) -> Option<Document> {
        let src = self.docs.pick(&mut self.rng)?.clone();
        let paras = src
            .paras
            .iter()
            .enumerate()
            .map(|(i, (text, origin))| copied(text.clone(), origin, src.doc, i))
            .collect();
        Some(Document {
            paras,
            copy_of: Some((Kind::DocExact, src.doc)),
        })
    }

    /// An earlier article with one or two paragraphs edited by a near kind
    /// (any but `merge`), and perhaps a short paragraph dropped or a banner added or dropped.
    fn near_copy_of_document(&mut self) -> Option<Document> {
        let src = self.docs.pick(&mut self.rng)?.clone();
        let mut paras: Vec<Para> = src
            .paras
            .iter()
            .enumerate()
            .map(|(i, (text, origin))| copied(text.clone(), origin, src.doc, i))
            .collect();
        let edited = self.edit_paragraphs(&src, &mut paras);
        if edited.is_empty() {
            return None;
        }
        if self.rng.chance(0.3) {
            drop_short_paragraph(&mut paras, &edited, &mut self.rng);
        }
        if self.rng.chance(0.3) {
            self.change_banner(&mut paras);
        }
        Some(Document {
            paras,
            copy_of: Some((Kind::DocNear, src.doc)),
        })
    }

    /// Edits one or two base paragraphs of a copied article in place;
    /// returns their indices.
    fn edit_paragraphs(&mut self, src: &Stored, paras: &mut [Para]) -> Vec<usize> {
        let mut candidates: Vec<usize> = (0..paras.len())
            .filter(|&i| matches!(src.paras[i].1, Origin::Base(_)))
            .collect();
        self.rng.shuffle(&mut candidates);
        let want = self.rng.between(1, 2);
        let mut edited = Vec::new();
        for i in candidates {
            if edited.len() == want {
                break;
            }
            let Origin::Base(sentences) = &src.paras[i].1 else {
                continue;
            };
            // Not a merge: half a paragraph of other text is more than a
            // light edit of a short article (Jaccard similarity fell to
            // 0.6-0.8 in trials).
            let kinds = &NEAR_SHARES[..NEAR_SHARES.len() - 1];
            let kind = kinds[self
                .rng
                .weighted(&kinds.iter().map(|(_, s)| *s).collect::<Vec<_>>())]
            .0;
            if let Some(text) = near_copy(kind, sentences, None, self.substitutes, &mut self.rng) {
                self.writer.seen.add(&text);
                paras[i].text = text;
                paras[i].truth = Some(Truth {
                    kind,
                    source: Some(At {
                        doc: src.doc,
                        para: i,
                    }),
                    source2: None,
                });
                edited.push(i);
            }
        }
        edited
    }

    /// Drops a standalone boilerplate line, or adds a cookie banner under
    /// the headline when there is none.
    fn change_banner(&mut self, paras: &mut Vec<Para>) {
        let standalone: Vec<usize> = (0..paras.len())
            .filter(|&i| matches!(paras[i].origin, Origin::Boilerplate { standalone: true }))
            .collect();
        if standalone.is_empty() {
            let mut banner = Vec::new();
            push_boilerplate(&mut banner, boilerplate::banner(&mut self.rng));
            paras.splice(1..1, banner);
        } else {
            paras.remove(*self.rng.pick(&standalone));
        }
    }
}

/// Paragraph `i` of document `doc`, copied unchanged into another
/// document: an exact copy, or boilerplate still.
fn copied(text: String, origin: &Origin, doc: usize, i: usize) -> Para {
    let truth = match origin {
        Origin::Boilerplate { .. } => Truth {
            kind: Kind::Boilerplate,
            source: None,
            source2: None,
        },
        _ => Truth {
            kind: Kind::Exact,
            source: Some(At { doc, para: i }),
            source2: None,
        },
    };
    Para {
        text,
        origin: origin.clone(),
        truth: Some(truth),
    }
}

/// Drops one unedited body paragraph of at most a tenth of the words of
/// the article (boilerplate not counted), when it has at least five body
/// paragraphs.
fn drop_short_paragraph(paras: &mut Vec<Para>, edited: &[usize], rng: &mut Rng) {
    let body: Vec<usize> = (1..paras.len())
        .filter(|&i| !matches!(paras[i].origin, Origin::Boilerplate { .. }))
        .collect();
    let total: usize =
        body.iter().map(|&i| words(&paras[i].text)).sum::<usize>() + words(&paras[0].text);
    let small: Vec<usize> = body
        .iter()
        .copied()
        .filter(|i| !edited.contains(i) && words(&paras[*i].text) * 10 <= total)
        .collect();
    if body.len() >= 5 && !small.is_empty() {
        paras.remove(*rng.pick(&small));
    }
}

fn push_boilerplate(paras: &mut Vec<Para>, lines: Vec<boilerplate::Line>) {
    paras.extend(lines.into_iter().map(|line| Para {
        text: line.text,
        origin: Origin::Boilerplate {
            standalone: line.standalone,
        },
        truth: Some(Truth {
            kind: Kind::Boilerplate,
            source: None,
            source2: None,
        }),
    }));
}
