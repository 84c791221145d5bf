//! Stage 4, strip: boilerplate, by a table of named rules.
//!
//! Every rule in [`RULES`] has a stable kebab-case name that travels with each
//! removal into the report, the way a linter's diagnostics carry a code. A
//! rule is a regular expression matched against the *whole* normalised
//! paragraph (see [`crate::fingerprint::normalize`]), with a leading list
//! marker (`- `, `* `, `• `) taken off, and only on paragraphs of at most
//! `max_words` words: rules recognise short blocks and block shapes, never a
//! keyword inside a long paragraph, so article prose that mentions cookies,
//! comments or subscriptions is not touched.
//!
//! Some rules look at the neighbours of a paragraph too:
//!
//! * An **end marker** ([`Kind::EndMarker`], such as "Related posts") also
//!   removes the headline list that follows it: every following paragraph
//!   that is shaped like a headline, until the first one that reads like
//!   prose. Paragraphs that other rules already removed do not end the list.
//! * A **tail cut** ([`Kind::CutTail`] and end markers): the first such
//!   marker (a comment header or form, a share row, a tag list, a related
//!   heading) that comes after at least [`CUT_MIN_PROSE_WORDS`] words of
//!   prose ends the article; it and everything after it are removed under
//!   its name, except paragraphs another rule already named. Before that
//!   much prose, the marker removes only itself (or its headline list), so
//!   a share bar under the headline does not cut the article. A tag list
//!   ([`Kind::SoftCut`]) does not cut when a long paragraph of prose follows
//!   it before the next marker: on a blog's front page the next post comes
//!   after it.
//! * The **`tail-teaser`** signal removes a headline-shaped paragraph that
//!   stands after the last prose paragraph of the document when everything
//!   after it is boilerplate: the teaser of another article in the page's
//!   footer. The article's own headline, which comes before the prose, is
//!   never touched.
//! * The **`short-line-run`** signal removes runs of very short lines
//!   (menus, month archives, tag clouds) that lie outside the article text,
//!   where article text is found by length and function-word density
//!   ([`prose`], in the spirit of jusText). A heading between paragraphs of
//!   the article is inside it and stays, and a page with no article text
//!   keeps all its lines.
//! * The **`repeated-block`** signal, decided over the whole corpus in
//!   [`crate::run`], removes every copy of a paragraph shaped like page furniture
//!   ([`is_template_shaped`]) and occurs in several documents: the site's
//!   template.
//!
//! Users add rules, switch built-in ones off and tune thresholds with a rules
//! file (see [`user`]); their rules are tried before the built-in ones.
//!
//! Stripping looks at one document at a time and depends on nothing else, so
//! it runs in parallel across documents.

pub mod prose;
pub mod user;

use crate::error::Fatal;
use crate::fingerprint::normalize;
use regex::RegexSet;
use user::UserRules;

/// How a rule acts on the paragraphs around the one it matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Removes the matching paragraph only.
    Line,
    /// Removes the matching paragraph and the headline list after it; after
    /// the article (see [`Kind::CutTail`]) also everything after it.
    EndMarker,
    /// After at least [`CUT_MIN_PROSE_WORDS`] words of prose, removes the
    /// matching paragraph and everything after it: the page below the
    /// article. Before that, removes the matching paragraph only.
    CutTail,
    /// Like [`Kind::CutTail`], unless a long paragraph of prose
    /// ([`SOFT_CUT_PROSE_WORDS`] words or more) follows before the next
    /// marker: a tag line between two posts of a blog's front page does not
    /// end the page, a tag line above a comment section does.
    SoftCut,
}

/// One named boilerplate rule.
#[derive(Debug)]
pub struct Rule {
    /// Stable kebab-case name, reported with every removal.
    pub name: &'static str,
    /// What the rule removes, in words.
    pub description: &'static str,
    /// Regular expression over the whole normalised paragraph (anchored).
    pub pattern: &'static str,
    /// The rule is not tried on paragraphs longer than this many words.
    pub max_words: usize,
    /// Line or end marker.
    pub kind: Kind,
}

/// The name reported for the `tail-teaser` signal (see the module doc).
pub const TAIL_TEASER: &str = "tail-teaser";

/// The name reported for the `short-line-run` signal (see the module doc).
pub const SHORT_LINE_RUN: &str = "short-line-run";

/// The name reported for the `repeated-block` signal: a paragraph that does
/// not read like prose (see [`is_template_shaped`]) and occurs in several
/// documents of the corpus (decided over the whole corpus, in
/// [`crate::run`]).
pub const REPEATED_BLOCK: &str = "repeated-block";

/// The signals: boilerplate found from a paragraph's context in the document
/// or the corpus rather than from its text alone. Name and description.
pub const SIGNALS: &[(&str, &str)] = &[
    (
        TAIL_TEASER,
        "a headline after the article's last paragraph, followed only by boilerplate",
    ),
    (
        SHORT_LINE_RUN,
        "a run of lines of at most three words without a sentence end, before the article text (4 or more) or after it (10 or more): menus, archives, tag clouds",
    ),
    (
        REPEATED_BLOCK,
        "a paragraph without a sentence end, or of fewer than five words, found in several documents: site templates, menus, footers",
    ),
];

/// The built-in rules, tried in this order; the first that matches names the removal.
pub const RULES: &[Rule] = &[
    Rule {
        name: "share-buttons",
        description: "share and social buttons rendered as text: \"Get link\", \"X\", \"Other Apps\", \"Share on Facebook\"",
        pattern: r"(get link|copy link|other apps|share( this| it)?|share (this|the) (article|story|post|page)(, choose your platform)?|share (on|via|to) \S+|(artikel |beitrag )?teilen|(auf|via) \S+ teilen|partager( (cet|l') ?article)?|partager (sur|par) \S+|compartir( (en|por) \S+| (este|el) artículo)?|compartilh(ar|e)( (no|na|por) \S+)?|partilh(ar|e)( (no|na|por) \S+)?|condividi( su \S+| (questo|l') ?articolo)?|delen|deel (dit )?(artikel|bericht)|(deel|delen) (op|via) \S+|udostępnij( na \S+)?|((x|facebook|twitter|whatsapp|linkedin|pinterest|reddit|telegram|tumblr|flipboard|messenger|pocket|e-?mail|print|tweet|pin it)[ ,|]*)+)\s*[:!]?",
        max_words: 8,
        kind: Kind::CutTail,
    },
    Rule {
        name: "cookie-banner",
        description: "cookie and consent banners",
        pattern: r"(((this|our) (web ?)?site uses cookies|we use cookies|by (continuing|using) (to (use|browse) )?(this|our) (web ?)?site|(wir verwenden|wir nutzen|diese (web)?seite (verwendet|nutzt)) cookies|(nous utilisons|ce site utilise) (des )?cookies|(utilizamos|usamos|este (sitio( web)?|site) utiliza) cookies|(utilizziamo|questo sito utilizza) (i )?cookie|(wij gebruiken|deze (web)?site gebruikt) cookies|(używamy|ta strona (używa|wykorzystuje)) (plików )?(cookies?|ciasteczek)).*|((accept|reject|manage) (all )?cookies|cookie (policy|settings|preferences|consent)|(alle )?cookies (akzeptieren|ablehnen|accepteren|weigeren)|cookie-einstellungen|cookie-richtlinie|accepter (tous )?les cookies|(paramètres|politique) (des|de) cookies|aceptar (todas las )?cookies|(política|configuración) de cookies|aceitar (todos os )?cookies|accetta (tutti i )?cookie|informativa (sui )?cookie|cookiebeleid|cookie-instellingen|akceptuj(ę)? (wszystkie )?(pliki )?cookies?|polityka (plików )?cookies?)\s*[.!]?)",
        max_words: 80,
        kind: Kind::Line,
    },
    Rule {
        name: "subscribe-prompt",
        description: "newsletter and subscription prompts",
        pattern: r"((get|receive) .*(updates|news|alerts|stories).*subscribe( now| today)?[.!]?|subscribe( now| today| here)?[.!]?|subscribe to (our|the) ([^ ,;]+ ?){1,5}[.!]?|sign up (for|to) (our|the) .*(newsletter|updates|alerts).*|(enter|provide) your e-?mail( address)? to .*|(newsletter|jetzt|hier) abonnieren[.!]?|abonnieren sie (unseren|den) newsletter.*|(abonnez-vous|inscrivez-vous)( à (notre|la) newsletter.*)?[.!]?|suscr[ií]bete( a (nuestro|nuestra|la) (boletín|newsletter).*)?[.!]?|iscriviti( alla (nostra )?newsletter.*)?[.!]?|(assine|subscreva)( a (nossa )?newsletter.*)?[.!]?|inscreva-se( na (nossa )?newsletter.*)?[.!]?|schrijf (je|u) in( voor (onze|de) nieuwsbrief.*)?[.!]?|abonneer( je| nu)?[.!]?|zapisz się( do (naszego )?newslettera.*)?[.!]?|(subskrybuj|zaprenumeruj)[.!]?)",
        max_words: 30,
        kind: Kind::Line,
    },
    Rule {
        name: "related-posts",
        description: "\"Related posts\", \"You may also like\" and similar headings, with the headline list after them",
        pattern: r"(related( posts| articles| stories| news| content| coverage| reading)?|you (may|might) (also )?like|recommended( for you| stories| articles| reading)?|more stories|read next|more from (the |our )?\S+( \S+)?|(most )?popular (posts|stories|articles)|most (read|popular|viewed)|trending( now| stories)?|ähnliche artikel|verwandte (artikel|themen)|das könnte (sie|dich) auch interessieren|mehr zum thema|weitere artikel|meistgelesen(e artikel)?|articles (similaires|liés)|(à|a) lire aussi|sur le même sujet|les plus lus|(artículos|noticias) relacionad[oa]s|te puede interesar|lo más leído|articoli correlati|potrebbe interessarti( anche)?|i più letti|(artigos|notícias) relacionad[oa]s|lei?a também|mais lid[oa]s|gerelateerde (artikelen|berichten)|meest gelezen|lees ook|powiązane artykuły|najczęściej czytane|(czytaj|zobacz) (też|także))\s*:?",
        max_words: 6,
        kind: Kind::EndMarker,
    },
    Rule {
        name: "comment-form",
        description: "comment sections and forms: \"Leave a Reply\", \"Post a Comment\", the e-mail notice, the Akismet notice",
        pattern: r"(leave a (reply|comment)( cancel reply)?|post a comment|add (a )?comment|comments?( \(\d+\))?|comments are closed\.?|\d+ (comments?|responses?|replies)|no comments( yet)?\.?|cancel reply|your e-?mail address will not be published\..*|required fields are marked.*|this site uses akismet to reduce spam\..*|notify me of (follow-?up comments|new posts|new comments).*|save my name, e-?mail.*|you must be logged in to post a comment\.?|kommentare?( \(\d+\))?|(schreibe|schreiben sie) einen kommentar|kommentar (schreiben|verfassen|hinterlassen)|ihre e-?mail-adresse wird nicht veröffentlicht\..*|laisser un commentaire|commentaires?( \(\d+\))?|votre adresse (e-?mail|de messagerie) ne sera pas publiée\..*|deja (un|tu) comentario|comentarios?( \(\d+\))?|tu (dirección de )?correo electrónico no será publicad[oa]\..*|lascia un commento|commenti( \(\d+\))?|il tuo indirizzo email non sarà pubblicato\..*|deixe (um|o seu|seu) comentário|comentários?( \(\d+\))?|o seu (endereço de )?e-?mail não será publicado\..*|laat een (reactie|bericht) achter|reacties?( \(\d+\))?|je e-?mailadres wordt niet gepubliceerd\..*|dodaj komentarz|komentarze?( \(\d+\))?|twój adres e-?mail nie zostanie opublikowany\..*)\s*:?",
        max_words: 25,
        kind: Kind::CutTail,
    },
    Rule {
        name: "tags",
        description: "tag, topic and category lists: \"Tags: ...\", \"Filed under ...\"",
        pattern: r"((tags?|topics?|tagged( with| as)?|filed (under|in)|posted in|categories|category|labels|schlagw(ö|o)rte?r?|stichw(ö|o)rter|themen|étiquettes|mots[- ]clés|catégories|etiquetas|temas|argomenti|categorie|trefwoorden|onderwerpen|tagi|tematy|kategorie)\s*:.*|tags|topics|labels|categories|filed under .*)",
        max_words: 30,
        kind: Kind::SoftCut,
    },
    Rule {
        name: "see-also",
        description: "\"See also: ...\" and \"Read more: ...\" teasers of other articles",
        pattern: r"(see also|also see|also read|read also|read more|more on this|related|siehe auch|lesen sie (auch|mehr)|mehr dazu|voir aussi|(à |a )?lire aussi|lee también|ver también|leggi anche|vedi anche|lei?a também|veja também|lees ook|zie ook|(czytaj|zobacz) (też|także))\s*:.*",
        max_words: 30,
        kind: Kind::Line,
    },
    Rule {
        name: "follow-prompt",
        description: "\"For more from ..., visit ... or follow us on social media\" and \"Follow us on ...\"",
        pattern: r"(for more (from|on|news|stories)\b.*\b(visit|follow us)\b.*|(follow|like|join) us on (facebook|twitter|x|instagram|social media|linkedin|youtube|tiktok|telegram|whatsapp|threads|bluesky)\b.*|follow (us|@\S+)( on \S+)?[.!]?|(folgen sie uns|folge uns|suivez-nous|síguenos|seguici|siga-nos|volg ons|obserwuj nas)( (auf|sur|en|su|no|na|op) \S+( (und|et|y|e|en|i) \S+)?)?[.!]?)",
        max_words: 30,
        kind: Kind::Line,
    },
    Rule {
        name: "credit-line",
        description: "credit lines of the source or author, such as \"@Name excluding headline\"",
        pattern: r"(@\S+( \S+){0,4} excluding headline\.?|(photo|image|picture|video|foto|bild|imagen|immagine|zdjęcie|fot\.)s?( credits?| courtesy)?\s*:\s*\S.*|(photo|image|picture|video) courtesy( of)? \S+( \S+){0,3})",
        max_words: 10,
        kind: Kind::Line,
    },
    Rule {
        name: "copyright",
        description: "copyright notices",
        pattern: r"(©.*|(copyright|\(c\)) (©|\(c\) )?\d{4}\b.*|copyright ©.*|.*(all rights reserved|alle rechte vorbehalten|tous droits réservés|todos los derechos reservados|tutti i diritti riservati|todos os direitos reservados|alle rechten voorbehouden|wszelkie prawa zastrzeżone)\.?)",
        max_words: 25,
        kind: Kind::Line,
    },
    Rule {
        name: "bare-counter",
        description: "lines that are only a number: like, view and comment counters",
        pattern: r"[0-9][0-9.,:/%+]*[km]?",
        max_words: 1,
        kind: Kind::Line,
    },
];

/// Words of a prose paragraph after a [`Kind::SoftCut`] marker that keep
/// it from cutting.
pub const SOFT_CUT_PROSE_WORDS: usize = 40;

/// Words of prose that must come before an end marker for it to cut the
/// rest of the document: the article has been read by then.
pub const CUT_MIN_PROSE_WORDS: usize = 100;

/// A `short-line-run` before the article is at least this many lines…
pub const SHORT_LINE_RUN_MIN_LINES: usize = 4;

/// …after the article, where short lists that belong to the text (sources,
/// contacts, a list of places) are more common, at least this many…
pub const SHORT_LINE_RUN_MIN_LINES_AFTER: usize = 10;

/// …of at most this many words each.
pub const SHORT_LINE_MAX_WORDS: usize = 3;

/// Most words a headline-shaped paragraph has (see [`is_headline`]).
const HEADLINE_MAX_WORDS: usize = 20;
/// Fewest words a paragraph has to count as prose.
const PROSE_MIN_WORDS: usize = 10;

/// The names of the built-in rules and the signals, in table order.
pub fn builtin_names() -> impl Iterator<Item = &'static str> {
    RULES
        .iter()
        .map(|r| r.name)
        .chain(SIGNALS.iter().map(|s| s.0))
}

/// The rules of one run, compiled.
#[derive(Debug)]
pub struct Stripper {
    rules: Vec<&'static Rule>,
    set: RegexSet,
    max_words: usize,
    enabled: bool,
    signals: Vec<&'static str>,
    cut_min_prose_words: usize,
}

impl Stripper {
    /// Compiles the built-in rules less the `disabled` ones; `enabled: false`
    /// switches stripping off. An unknown rule name is an error.
    pub fn new(disabled: &[String], enabled: bool) -> Result<Stripper, Fatal> {
        Stripper::with_user_rules(disabled, enabled, None)
    }

    /// Like [`Stripper::new`], with the additions, switches and thresholds
    /// of a user rules file (see [`user`]). User rules are tried first.
    pub fn with_user_rules(
        disabled: &[String],
        enabled: bool,
        user: Option<&UserRules>,
    ) -> Result<Stripper, Fatal> {
        let empty = UserRules::default();
        let user = user.unwrap_or(&empty);
        let disabled: Vec<&str> = disabled
            .iter()
            .chain(&user.disable)
            .map(String::as_str)
            .collect();
        let known = |name: &str| builtin_names().any(|n| n == name);
        let named = disabled
            .iter()
            .copied()
            .chain(user.max_words.keys().map(String::as_str));
        if let Some(name) = named.into_iter().find(|name| !known(name)) {
            return Err(Fatal::new(format!(
                "unknown rule {name:?}; the rules are: {}",
                builtin_names().collect::<Vec<_>>().join(", ")
            )));
        }
        let mut rules: Vec<&'static Rule> = Vec::new();
        for added in &user.rule {
            if known(&added.name) || rules.iter().any(|r| r.name == added.name) {
                return Err(Fatal::new(format!(
                    "rule {:?} is defined twice; give the new rule another name",
                    added.name
                )));
            }
            // Rules live for the whole run; leaking the few the user adds
            // lets every verdict carry a `&'static str` name.
            rules.push(Box::leak(Box::new(Rule {
                name: Box::leak(added.name.clone().into_boxed_str()),
                description: Box::leak(added.description.clone().into_boxed_str()),
                pattern: Box::leak(added.pattern.clone().into_boxed_str()),
                max_words: added.max_words,
                kind: added.kind.into(),
            })));
        }
        for rule in RULES.iter().filter(|r| !disabled.contains(&r.name)) {
            match user.max_words.get(rule.name) {
                Some(&max_words) => rules.push(Box::leak(Box::new(Rule { max_words, ..*rule }))),
                None => rules.push(rule),
            }
        }
        let set = RegexSet::new(rules.iter().map(|r| format!("^(?:{})$", r.pattern)))
            .map_err(|e| Fatal::new(format!("invalid rule pattern: {e}")))?;
        let max_words = rules.iter().map(|r| r.max_words).max().unwrap_or(0);
        Ok(Stripper {
            rules,
            set,
            max_words,
            enabled,
            signals: SIGNALS
                .iter()
                .map(|s| s.0)
                .filter(|name| enabled && !disabled.contains(name))
                .collect(),
            cut_min_prose_words: user.cut_min_prose_words.unwrap_or(CUT_MIN_PROSE_WORDS),
        })
    }

    /// The names of the rules and signals in force, in table order.
    pub fn rule_names(&self) -> Vec<&'static str> {
        if !self.enabled {
            return Vec::new();
        }
        let mut names: Vec<&'static str> = self.rules.iter().map(|r| r.name).collect();
        names.extend(&self.signals);
        names
    }

    /// Whether the named signal is in force.
    pub fn signal(&self, name: &str) -> bool {
        self.signals.contains(&name)
    }

    /// The rule matching one paragraph on its own, if any.
    pub fn match_paragraph(&self, text: &str) -> Option<&'static Rule> {
        self.match_normalized(&normalize(text))
    }

    /// [`Stripper::match_paragraph`] for a paragraph already normalised
    /// ([`crate::fingerprint::normalize`]).
    pub fn match_normalized(&self, normalized: &str) -> Option<&'static Rule> {
        let key = strip_list_marker(normalized);
        if key.is_empty() {
            return None;
        }
        // Normalised text has one space between words.
        let words = key.bytes().filter(|&b| b == b' ').count() + 1;
        // Most paragraphs match no rule; asking whether any matches is much
        // cheaper than asking which.
        if words > self.max_words || !self.set.is_match(key) {
            return None;
        }
        self.set
            .matches(key)
            .iter()
            .map(|i| self.rules[i])
            .find(|r| words <= r.max_words)
    }

    /// The verdict for every paragraph of one document: `Some(rule name)`
    /// for boilerplate, `None` for a paragraph that stays.
    pub fn strip(&self, paragraphs: &[&str]) -> Vec<Option<&'static str>> {
        let normalized: Vec<String> = if self.enabled {
            paragraphs.iter().map(|p| normalize(p)).collect()
        } else {
            Vec::new()
        };
        self.strip_normalized(paragraphs, &normalized)
    }

    /// [`Stripper::strip`] given the normalised text of each paragraph as
    /// well (the pipeline normalises once, for stripping and fingerprints).
    pub fn strip_normalized(
        &self,
        paragraphs: &[&str],
        normalized: &[String],
    ) -> Vec<Option<&'static str>> {
        if !self.enabled {
            return vec![None; paragraphs.len()];
        }
        let matched: Vec<Option<&'static Rule>> = normalized
            .iter()
            .map(|p| self.match_normalized(p))
            .collect();
        let mut verdicts: Vec<Option<&'static str>> =
            matched.iter().map(|m| m.map(|r| r.name)).collect();
        for (i, rule) in matched.iter().enumerate() {
            if let Some(rule) = rule.filter(|r| r.kind == Kind::EndMarker) {
                mark_headline_list(paragraphs, &mut verdicts, i + 1, rule.name);
            }
        }
        // Words of each paragraph that reads like prose, 0 for the others.
        let prose: Vec<usize> = paragraphs.iter().map(|p| prose_words(p)).collect();
        if let Some((at, name)) = tail_cut(&prose, &matched, self.cut_min_prose_words) {
            for verdict in verdicts[at + 1..].iter_mut().filter(|v| v.is_none()) {
                *verdict = Some(name);
            }
        }
        if self.signal(TAIL_TEASER) {
            mark_tail_teasers(paragraphs, &prose, &mut verdicts);
        }
        if self.signal(SHORT_LINE_RUN) {
            mark_short_line_runs(paragraphs, normalized, &mut verdicts);
        }
        verdicts
    }
}

/// The first end marker that follows enough prose: where the page below the
/// article begins, and the rule that says so.
fn tail_cut(
    prose: &[usize],
    matched: &[Option<&'static Rule>],
    min_prose_words: usize,
) -> Option<(usize, &'static str)> {
    let mut prose_words = 0;
    for (i, (&words, rule)) in prose.iter().zip(matched).enumerate() {
        match rule {
            Some(rule)
                if rule.kind == Kind::SoftCut
                    && prose_follows(&prose[i + 1..], &matched[i + 1..]) => {}
            Some(rule) if rule.kind != Kind::Line && prose_words >= min_prose_words => {
                return Some((i, rule.name));
            }
            Some(_) => {}
            None => prose_words += words,
        }
    }
    None
}

/// Whether a long prose paragraph comes before the next marker.
fn prose_follows(prose: &[usize], matched: &[Option<&'static Rule>]) -> bool {
    for (&words, rule) in prose.iter().zip(matched) {
        match rule {
            Some(rule) if rule.kind != Kind::Line => return false,
            Some(_) => {}
            None if words >= SOFT_CUT_PROSE_WORDS => return true,
            None => {}
        }
    }
    false
}

fn mark_headline_list(
    paragraphs: &[&str],
    verdicts: &mut [Option<&'static str>],
    from: usize,
    name: &'static str,
) {
    for i in from..paragraphs.len() {
        if verdicts[i].is_some() {
            continue;
        }
        if !is_headline(paragraphs[i]) {
            break;
        }
        verdicts[i] = Some(name);
    }
}

fn mark_tail_teasers(paragraphs: &[&str], prose: &[usize], verdicts: &mut [Option<&'static str>]) {
    let Some(last_prose) = (0..paragraphs.len())
        .rev()
        .find(|&i| verdicts[i].is_none() && prose[i] > 0)
    else {
        return;
    };
    // Walk back from the end: a teaser is a headline after the last prose
    // paragraph with only boilerplate (or other teasers) after it.
    let mut seen_boilerplate = false;
    for i in (last_prose + 1..paragraphs.len()).rev() {
        match verdicts[i] {
            Some(_) => seen_boilerplate = true,
            None if seen_boilerplate && is_teaser(paragraphs[i]) => {
                verdicts[i] = Some(TAIL_TEASER);
            }
            None => return,
        }
    }
}

/// The `short-line-run` signal: runs of very short lines (at most
/// [`SHORT_LINE_MAX_WORDS`] words, no sentence end) that lie wholly before
/// the first paragraph of article text ([`prose::reads_like_article`]), at
/// least [`SHORT_LINE_RUN_MIN_LINES`] of them, or after the last, at least
/// [`SHORT_LINE_RUN_MIN_LINES_AFTER`]. Paragraphs already removed
/// do not break a run. A heading or a short list between paragraphs of the
/// article is inside it and stays; so does every line of a page with no
/// article text at all (a directory, a list of places), which has no
/// "outside".
fn mark_short_line_runs(
    paragraphs: &[&str],
    normalized: &[String],
    verdicts: &mut [Option<&'static str>],
) {
    let remaining: Vec<usize> = (0..paragraphs.len())
        .filter(|&i| verdicts[i].is_none())
        .collect();
    // Looking for the article only pays when there is a run long enough to
    // remove: keeping the article's lines out can only shorten runs.
    let shortest = SHORT_LINE_RUN_MIN_LINES.min(SHORT_LINE_RUN_MIN_LINES_AFTER);
    let is_short: Vec<bool> = remaining
        .iter()
        .map(|&i| is_short_line(paragraphs[i]))
        .collect();
    if !is_short
        .chunk_by(|a, b| a == b)
        .any(|run| run[0] && run.len() >= shortest)
    {
        return;
    }
    let article: Vec<usize> = remaining
        .iter()
        .copied()
        .filter(|&i| prose::reads_like_article(&normalized[i]))
        .collect();
    let (Some(&first), Some(&last)) = (article.first(), article.last()) else {
        return;
    };
    let short = |i: usize| is_short_line(paragraphs[i]) && (i < first || i > last);
    for run in remaining.chunk_by(|&a, &b| short(a) == short(b)) {
        let min = if run[0] > last {
            SHORT_LINE_RUN_MIN_LINES_AFTER
        } else {
            SHORT_LINE_RUN_MIN_LINES
        };
        if short(run[0]) && run.len() >= min {
            for &i in run {
                verdicts[i] = Some(SHORT_LINE_RUN);
            }
        }
    }
}

/// A line of at most [`SHORT_LINE_MAX_WORDS`] words that does not end like a
/// sentence: a menu entry, an archive month, a tag.
fn is_short_line(text: &str) -> bool {
    !ends_like_sentence(text)
        && prose::has_words(text, 1)
        && !prose::has_words(text, SHORT_LINE_MAX_WORDS + 1)
}

/// A paragraph shaped like page furniture rather than text: no sentence
/// end, or fewer than [`TEMPLATE_SENTENCE_MIN_WORDS`] words. When such a paragraph
/// occurs in several documents it is the site's template (the
/// `repeated-block` signal).
pub fn is_template_shaped(text: &str) -> bool {
    !ends_like_sentence(text) || !prose::has_words(text, TEMPLATE_SENTENCE_MIN_WORDS)
}

/// A sentence shorter than this many words found in several documents is
/// part of the site's template ("Advertisement.", "All rights reserved.");
/// a longer one is text, however short: a quote or a wire-service line.
pub const TEMPLATE_SENTENCE_MIN_WORDS: usize = 5;

/// A headline that could be another article's: four words or more, and
/// not a byline.
fn is_teaser(text: &str) -> bool {
    is_headline(text) && text.split_whitespace().count() >= 4 && !text.starts_with("By ")
}

fn strip_list_marker(key: &str) -> &str {
    for marker in ["- ", "* ", "• ", "· ", "> "] {
        if let Some(rest) = key.strip_prefix(marker) {
            return rest.trim_start();
        }
    }
    key
}

fn ends_like_sentence(text: &str) -> bool {
    let t = text.trim_end_matches(['"', '\'', '\u{201D}', '\u{2019}', ')']);
    t.ends_with(['.', '!', '?', '…', ':', ';'])
}

/// A short paragraph that does not end like a sentence: a title, a headline,
/// a menu entry.
pub fn is_headline(text: &str) -> bool {
    let words = text.split_whitespace().count();
    (1..=HEADLINE_MAX_WORDS).contains(&words) && !ends_like_sentence(text)
}

/// A paragraph that reads like article text: long enough and ending like a
/// sentence.
pub fn is_prose(text: &str) -> bool {
    prose_words(text) > 0
}

/// The words of a paragraph that reads like prose ([`is_prose`]), 0 for any
/// other.
fn prose_words(text: &str) -> usize {
    if !ends_like_sentence(text) {
        return 0;
    }
    let words = text.split_whitespace().count();
    if words >= PROSE_MIN_WORDS { words } else { 0 }
}
