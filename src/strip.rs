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
///
/// The patterns spell a word boundary after a word character out as
/// `([^\w\n].*)?` (the end, or a character that is not a word character)
/// rather than `\b.*`: the two match the same paragraphs, but the regex
/// engine's fast lazy DFA gives up on a Unicode `\b` as soon as the
/// paragraph holds a byte outside ASCII ("£", "é") and leaves the search to
/// a far slower engine.
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
        pattern: r"(for more (from|on|news|stories)[^\w\n](.*[^\w\n])?(visit|follow us)([^\w\n].*)?|(follow|like|join) us on (facebook|twitter|x|instagram|social media|linkedin|youtube|tiktok|telegram|whatsapp|threads|bluesky)([^\w\n].*)?|follow (us|@\S+)( on \S+)?[.!]?|(folgen sie uns|folge uns|suivez-nous|síguenos|seguici|siga-nos|volg ons|obserwuj nas)( (auf|sur|en|su|no|na|op) \S+( (und|et|y|e|en|i) \S+)?)?[.!]?)",
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
        pattern: r"(©.*|(copyright|\(c\)) (©|\(c\) )?\d{4}([^\w\n].*)?|copyright ©.*|.*(all rights reserved|alle rechte vorbehalten|tous droits réservés|todos los derechos reservados|tutti i diritti riservati|todos os direitos reservados|alle rechten voorbehouden|wszelkie prawa zastrzeżone)\.?)",
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

/// The rules tried on long paragraphs only, compiled on their own.
#[derive(Debug)]
struct LongRules {
    /// Paragraphs of more than this many words are tried against `set` only.
    words: usize,
    /// The patterns of `rules`, in the same order.
    set: RegexSet,
    rules: Vec<&'static Rule>,
}

/// The rules of one run, compiled.
#[derive(Debug)]
pub struct Stripper {
    rules: Vec<&'static Rule>,
    set: RegexSet,
    max_words: usize,
    /// The rules that alone apply to paragraphs of more than `long.words`
    /// words (those with the highest `max_words`), in their own set: most
    /// paragraphs of an article are that long, and no other rule has to be
    /// tried on them.
    long: Option<LongRules>,
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
        let compile = |rules: &[&'static Rule]| {
            RegexSet::new(rules.iter().map(|r| format!("^(?:{})$", r.pattern)))
                .map_err(|e| Fatal::new(format!("invalid rule pattern: {e}")))
        };
        let set = compile(&rules)?;
        let max_words = rules.iter().map(|r| r.max_words).max().unwrap_or(0);
        // The rules of the highest word limit, for the paragraphs too long
        // for every other rule.
        let next_limit = rules
            .iter()
            .map(|r| r.max_words)
            .filter(|&w| w < max_words)
            .max();
        let long = match next_limit {
            Some(words) => {
                let rules: Vec<&'static Rule> = rules
                    .iter()
                    .copied()
                    .filter(|r| r.max_words > words)
                    .collect();
                Some(LongRules {
                    words,
                    set: compile(&rules)?,
                    rules,
                })
            }
            None => None,
        };
        Ok(Stripper {
            rules,
            set,
            max_words,
            long,
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
        let words = words_up_to(key, self.max_words)?;
        let (set, rules) = match &self.long {
            Some(long) if words > long.words => (&long.set, &long.rules),
            _ => (&self.set, &self.rules),
        };
        // Most paragraphs match no rule; asking whether any matches is much
        // cheaper than asking which.
        if !set.is_match(key) {
            return None;
        }
        set.matches(key)
            .iter()
            .map(|i| rules[i])
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
    pub fn strip_normalized<S: AsRef<str>>(
        &self,
        paragraphs: &[&str],
        normalized: &[S],
    ) -> Vec<Option<&'static str>> {
        if !self.enabled {
            return vec![None; paragraphs.len()];
        }
        let matched: Vec<Option<&'static Rule>> = normalized
            .iter()
            .map(|p| self.match_normalized(p.as_ref()))
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
fn mark_short_line_runs<S: AsRef<str>>(
    paragraphs: &[&str],
    normalized: &[S],
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
        .filter(|&i| prose::reads_like_article(normalized[i].as_ref()))
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
    is_headline(text) && whitespace_words(text, 4) >= 4 && !text.starts_with("By ")
}

/// The number of words of `text` separated by white space, as
/// `text.split_whitespace().count()` counts them, but counting no further
/// than `limit`: the smaller of the two.
fn whitespace_words(text: &str, limit: usize) -> usize {
    // The white space of ASCII: tab, line feed, vertical tab, form feed,
    // carriage return and space.
    let is_space = |b: u8| (b == b' ') | (b.wrapping_sub(b'\t') < 5);
    let bytes = text.as_bytes();
    // 64 bytes at a time while they are ASCII: a word starts at each byte
    // that is not white space after one that is.
    let runs = crate::ascii::count_runs(bytes, limit, |c| !c.white);
    let (mut count, mut i) = (runs.count, runs.taken);
    if count >= limit {
        return limit;
    }
    // The rest a byte at a time, and a character at a time where it is
    // not ASCII.
    let mut after_space = !runs.in_run;
    while i < bytes.len() {
        let b = bytes[i];
        let space = if b < 0x80 {
            is_space(b)
        } else if matches!(b, 0xC2 | 0xE1 | 0xE2 | 0xE3) {
            // The first byte of every white space character outside ASCII
            // (U+0085, U+00A0, U+1680, U+2000 to U+205F, U+3000); continuation
            // bytes never take these values, so `i` is at a character here.
            let c = text[i..].chars().next().unwrap_or_default();
            i += c.len_utf8() - 1;
            c.is_whitespace()
        } else {
            false
        };
        if after_space && !space {
            count += 1;
            if count >= limit {
                return limit;
            }
        }
        after_space = space;
        i += 1;
    }
    count.min(limit)
}

/// The words of a normalised paragraph (one more than its spaces), or
/// `None` when there are more than `max`.
fn words_up_to(normalized: &str, max: usize) -> Option<usize> {
    let mut spaces = 0;
    // Blocks of bytes counted without a branch, in a byte, are counted with
    // vector instructions; between blocks, the count stops once it is too
    // high.
    for block in normalized.as_bytes().chunks(128) {
        let block_spaces = block
            .iter()
            .fold(0u8, |n, &b| n.wrapping_add(u8::from(b == b' ')));
        spaces += usize::from(block_spaces);
        if spaces >= max {
            break;
        }
    }
    Some(spaces + 1).filter(|&words| words <= max)
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
    !ends_like_sentence(text)
        && (1..=HEADLINE_MAX_WORDS).contains(&whitespace_words(text, HEADLINE_MAX_WORDS + 1))
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
    let words = whitespace_words(text, usize::MAX);
    if words >= PROSE_MIN_WORDS { words } else { 0 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use regex::Regex;
    use std::sync::OnceLock;

    fn stripper() -> &'static Stripper {
        static STRIPPER: OnceLock<Stripper> = OnceLock::new();
        STRIPPER.get_or_init(|| Stripper::new(&[], true).unwrap())
    }

    /// The patterns of the rules that spell their word boundaries out, as
    /// they were written with `\b`.
    const WITH_WORD_BOUNDARIES: &[(&str, &str)] = &[
        (
            "follow-prompt",
            r"(for more (from|on|news|stories)\b.*\b(visit|follow us)\b.*|(follow|like|join) us on (facebook|twitter|x|instagram|social media|linkedin|youtube|tiktok|telegram|whatsapp|threads|bluesky)\b.*|follow (us|@\S+)( on \S+)?[.!]?|(folgen sie uns|folge uns|suivez-nous|síguenos|seguici|siga-nos|volg ons|obserwuj nas)( (auf|sur|en|su|no|na|op) \S+( (und|et|y|e|en|i) \S+)?)?[.!]?)",
        ),
        (
            "copyright",
            r"(©.*|(copyright|\(c\)) (©|\(c\) )?\d{4}\b.*|copyright ©.*|.*(all rights reserved|alle rechte vorbehalten|tous droits réservés|todos los derechos reservados|tutti i diritti riservati|todos os direitos reservados|alle rechten voorbehouden|wszelkie prawa zastrzeżone)\.?)",
        ),
    ];

    /// The straightforward matcher: every rule on its own, in order, with
    /// its word limit, and the `\b` patterns as first written.
    struct Reference(Vec<(Regex, &'static Rule)>);

    impl Reference {
        fn get() -> &'static Reference {
            static REFERENCE: OnceLock<Reference> = OnceLock::new();
            REFERENCE.get_or_init(Reference::new)
        }

        fn new() -> Reference {
            Reference(
                RULES
                    .iter()
                    .map(|rule| {
                        let pattern = WITH_WORD_BOUNDARIES
                            .iter()
                            .find(|(name, _)| *name == rule.name)
                            .map_or(rule.pattern, |(_, pattern)| pattern);
                        (Regex::new(&format!("^(?:{pattern})$")).unwrap(), rule)
                    })
                    .collect(),
            )
        }

        fn matches(&self, normalized: &str) -> Option<&'static str> {
            self.matches_with(normalized, |rule| rule.max_words)
        }

        /// [`Reference::matches`] with other word limits.
        fn matches_with(
            &self,
            normalized: &str,
            max_words: impl Fn(&Rule) -> usize,
        ) -> Option<&'static str> {
            let key = strip_list_marker(normalized);
            if key.is_empty() {
                return None;
            }
            let words = key.split(' ').count();
            self.0
                .iter()
                .find(|(re, rule)| words <= max_words(rule) && re.is_match(key))
                .map(|(_, rule)| rule.name)
        }
    }

    /// Pieces of boilerplate and of its neighbourhood: word characters and
    /// digits outside ASCII next to the words the rules look for.
    const PIECES: &[&str] = &[
        "for more",
        "from",
        "news",
        "stories",
        "visit",
        "follow us",
        "follow",
        "us on",
        "like",
        "twitter",
        "x",
        "copyright",
        "(c)",
        "©",
        "2024",
        "١٢٣٤",
        "é",
        "ß",
        "_",
        "\u{301}",
        "£",
        ".",
        ":",
        "!",
        "-",
        "'",
        "\n",
        " ",
        " ",
        "all rights reserved",
        "we use cookies",
        "share",
        "tags:",
        "related posts",
        "comments",
        "subscribe",
        "the",
        "council",
        "12",
        "@bbc",
        "photo:",
        "- ",
    ];

    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            prop::collection::vec(prop::sample::select(PIECES), 0..100)
                .prop_map(|pieces| pieces.concat()),
            prop::collection::vec(prop::sample::select(PIECES), 0..12)
                .prop_map(|pieces| pieces.join(" ")),
            "[a-zé£_0-9@©().:! \n-]{0,60}",
            any::<String>(),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        #[test]
        fn spelt_out_word_boundaries_match_what_b_matched(text in text()) {
            for (name, pattern) in WITH_WORD_BOUNDARIES {
                let rule = RULES.iter().find(|r| r.name == *name).unwrap();
                let old = Regex::new(&format!("^(?:{pattern})$")).unwrap();
                let new = Regex::new(&format!("^(?:{})$", rule.pattern)).unwrap();
                prop_assert_eq!(old.is_match(&text), new.is_match(&text), "{}", name);
            }
        }

        #[test]
        fn the_compiled_sets_match_as_the_rules_one_by_one(text in text()) {
            let normalized = normalize(&text);
            prop_assert_eq!(
                stripper().match_normalized(&normalized).map(|r| r.name),
                Reference::get().matches(&normalized)
            );
        }

        #[test]
        fn whitespace_words_counts_as_split_whitespace(
            text in prop_oneof![
                "[a\u{85}\u{a0}\u{1680}\u{180e}\u{2000}\u{200a}\u{200b}\u{2028}\u{2029}\u{202f}\u{205f}\u{3000}£é—\u{b}\t\n\r ]{0,30}",
                "[a \t]{0,200}",
                // ASCII blocks, then the rest a character at a time.
                "[a \t\n]{0,70}[\u{a0}\u{3000}é]?[a \u{2000}]{0,40}",
                any::<String>(),
            ],
            limit in 0usize..40,
        ) {
            let count = text.split_whitespace().count();
            prop_assert_eq!(whitespace_words(&text, usize::MAX), count);
            prop_assert_eq!(whitespace_words(&text, limit), count.min(limit));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn the_compiled_sets_match_as_the_rules_one_by_one_under_any_word_limits(
            limits in prop::collection::vec(0usize..90, RULES.len()),
            texts in prop::collection::vec(text(), 1..20),
        ) {
            let user = UserRules {
                max_words: RULES.iter().zip(&limits).map(|(r, &w)| (r.name.to_string(), w)).collect(),
                ..UserRules::default()
            };
            let stripper = Stripper::with_user_rules(&[], true, Some(&user)).unwrap();
            let reference = Reference::get();
            let limit = |rule: &Rule| user.max_words[rule.name];
            for text in texts {
                let normalized = normalize(&text);
                prop_assert_eq!(
                    stripper.match_normalized(&normalized).map(|r| r.name),
                    reference.matches_with(&normalized, limit)
                );
            }
        }
    }

    #[test]
    fn a_word_boundary_is_a_character_that_is_not_a_word_character() {
        let (stripper, reference) = (stripper(), Reference::get());
        for (text, rule) in [
            ("for more news visit bbc.co.uk", Some("follow-prompt")),
            ("for more news, visit", Some("follow-prompt")),
            ("for more newsé visit bbc.co.uk", None),
            ("for more news évisit bbc.co.uk", None),
            ("for more news visitó", None),
            ("follow us on twitter", Some("follow-prompt")),
            ("like us on twitter_x", None),
            ("like us on twitter, daily", Some("follow-prompt")),
            ("follow us on twitter £", Some("follow-prompt")),
            ("copyright 2024 £ bbc", Some("copyright")),
            ("copyright 2024é", None),
            ("copyright 2024١", None),
            ("copyright 2024-2025 bbc", Some("copyright")),
        ] {
            assert_eq!(
                stripper.match_paragraph(text).map(|r| r.name),
                rule,
                "{text}"
            );
            assert_eq!(reference.matches(text), rule, "{text}");
        }
    }

    #[test]
    fn the_long_rules_are_those_of_the_highest_limit() {
        let stripper = stripper();
        let long = stripper.long.as_ref().unwrap();
        assert_eq!(long.words, 30);
        let names: Vec<&str> = long.rules.iter().map(|r| r.name).collect();
        assert_eq!(names, ["cookie-banner"]);
        let long_cookie_banner = format!("we use cookies {}", "to help us ".repeat(10));
        assert_eq!(
            stripper
                .match_paragraph(&long_cookie_banner)
                .map(|r| r.name),
            Some("cookie-banner")
        );
        assert_eq!(
            stripper
                .match_paragraph(&format!("{long_cookie_banner} {}", "and ".repeat(50)))
                .map(|r| r.name),
            None
        );
    }
}
