//! Does a paragraph read like article text? A measure in the spirit of
//! jusText's stop-word density, on plain text: running prose is full of
//! function words ("the", "of", "und", "que", …); menus, link lists, tag
//! clouds and navigation are made of names and nouns.

use std::collections::HashSet;
use std::sync::OnceLock;

/// Function words of English, German, French, Spanish, Italian, Portuguese,
/// Dutch and Polish: the most frequent words of running text in each, the
/// closed classes (articles, pronouns, prepositions, conjunctions, auxiliary
/// verbs). One list for all languages: the share of them in a paragraph is
/// what counts, and a word of one language is rare in another's prose.
const FUNCTION_WORDS: &[&str] = &[
    // English
    "a",
    "about",
    "after",
    "all",
    "also",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "for",
    "from",
    "had",
    "has",
    "have",
    "he",
    "her",
    "here",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "just",
    "may",
    "me",
    "might",
    "more",
    "most",
    "must",
    "my",
    "no",
    "not",
    "now",
    "of",
    "on",
    "one",
    "only",
    "or",
    "other",
    "our",
    "out",
    "over",
    "said",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "up",
    "us",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "will",
    "with",
    "would",
    "you",
    "your",
    // German
    "aber",
    "als",
    "am",
    "auch",
    "auf",
    "aus",
    "bei",
    "bis",
    "das",
    "dass",
    "dem",
    "den",
    "der",
    "des",
    "die",
    "durch",
    "ein",
    "eine",
    "einem",
    "einen",
    "einer",
    "er",
    "es",
    "für",
    "hat",
    "ich",
    "ist",
    "im",
    "mit",
    "nach",
    "nicht",
    "noch",
    "nur",
    "oder",
    "sich",
    "sie",
    "sind",
    "um",
    "und",
    "vom",
    "von",
    "vor",
    "war",
    "wenn",
    "werden",
    "wie",
    "wird",
    "wir",
    "zu",
    "zum",
    "zur",
    // French
    "au",
    "aux",
    "avec",
    "ce",
    "cette",
    "dans",
    "de",
    "des",
    "du",
    "elle",
    "en",
    "est",
    "et",
    "il",
    "ils",
    "la",
    "le",
    "les",
    "leur",
    "mais",
    "ne",
    "nous",
    "ou",
    "par",
    "pas",
    "plus",
    "pour",
    "qu",
    "que",
    "qui",
    "sa",
    "se",
    "ses",
    "son",
    "sont",
    "sur",
    "un",
    "une",
    "été",
    // Spanish
    "al",
    "como",
    "con",
    "del",
    "el",
    "ella",
    "entre",
    "es",
    "esta",
    "este",
    "fue",
    "ha",
    "las",
    "lo",
    "los",
    "muy",
    "para",
    "pero",
    "por",
    "se",
    "según",
    "sin",
    "sobre",
    "su",
    "sus",
    "también",
    "y",
    "ya",
    // Italian
    "anche",
    "che",
    "di",
    "gli",
    "ha",
    "il",
    "nel",
    "nella",
    "non",
    "per",
    "più",
    "sono",
    "una",
    "uno",
    // Portuguese
    "ao",
    "com",
    "da",
    "das",
    "do",
    "dos",
    "ele",
    "em",
    "foi",
    "mais",
    "na",
    "não",
    "nas",
    "no",
    "nos",
    "os",
    "ou",
    "pela",
    "pelo",
    "são",
    "seu",
    "sua",
    "um",
    "uma",
    // Dutch
    "bij",
    "dat",
    "door",
    "een",
    "heeft",
    "het",
    "hij",
    "ik",
    "is",
    "maar",
    "met",
    "naar",
    "niet",
    "om",
    "ook",
    "op",
    "te",
    "tot",
    "uit",
    "van",
    "voor",
    "was",
    "wordt",
    "ze",
    "zijn",
    // Polish
    "ale",
    "co",
    "do",
    "i",
    "jak",
    "jest",
    "jego",
    "już",
    "na",
    "nie",
    "o",
    "od",
    "po",
    "przez",
    "się",
    "są",
    "tak",
    "to",
    "w",
    "we",
    "z",
    "za",
    "ze",
    "że",
    "aby",
    "bez",
    "był",
    "była",
    "było",
    "być",
    "czy",
    "dla",
    "gdy",
    "ich",
    "jako",
    "jej",
    "jeszcze",
    "który",
    "która",
    "które",
    "lub",
    "może",
    "nad",
    "oraz",
    "pod",
    "ponieważ",
    "przed",
    "przy",
    "ta",
    "tego",
    "ten",
    "tylko",
    "tym",
];

/// A paragraph of article text has at least this many words…
pub const ARTICLE_MIN_WORDS: usize = 30;

/// …and at least this share of them are function words (jusText's
/// "stopwords high" threshold).
pub const ARTICLE_MIN_FUNCTION_WORDS: f64 = 0.32;

/// Words of a paragraph: runs of letters and digits.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// How many [`words`] the paragraph has, counting no further than `limit`:
/// the smaller of the two.
fn count_words(text: &str, limit: usize) -> usize {
    let bytes = text.as_bytes();
    // 64 bytes at a time while they are ASCII: a word starts at each
    // letter or digit after a byte that is neither.
    let runs = crate::ascii::count_runs(bytes, limit, |c| c.word);
    let (mut count, mut i) = (runs.count, runs.taken);
    if count >= limit {
        return limit;
    }
    // The rest a byte at a time, and a character at a time where it is
    // not ASCII.
    let mut in_word = runs.in_run;
    while i < bytes.len() {
        let letter = if bytes[i].is_ascii() {
            i += 1;
            bytes[i - 1].is_ascii_alphanumeric()
        } else {
            let c = text[i..].chars().next().unwrap_or_default();
            i += c.len_utf8();
            c.is_alphanumeric()
        };
        if letter && !in_word {
            count += 1;
            if count >= limit {
                return limit;
            }
        }
        in_word = letter;
    }
    count.min(limit)
}

fn is_function_word(word: &str) -> bool {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    let set = SET.get_or_init(|| FUNCTION_WORDS.iter().copied().collect());
    if word.chars().any(char::is_uppercase) {
        set.contains(word.to_lowercase().as_str())
    } else {
        set.contains(word)
    }
}

/// How many words the paragraph has (runs of letters and digits, so list
/// markers and punctuation do not count).
pub fn word_count(text: &str) -> usize {
    count_words(text, usize::MAX)
}

/// Whether the paragraph has at least `n` words, counting no further.
pub fn has_words(text: &str, n: usize) -> bool {
    n == 0 || count_words(text, n) >= n
}

/// The share of the paragraph's words that are function words.
pub fn function_word_density(text: &str) -> f64 {
    let (all, function) = count_function_words(text);
    if all == 0 {
        0.0
    } else {
        function as f64 / all as f64
    }
}

/// Words, and function words among them.
fn count_function_words(text: &str) -> (usize, usize) {
    let (mut all, mut function) = (0usize, 0usize);
    for word in words(text) {
        all += 1;
        if is_function_word(word) {
            function += 1;
        }
    }
    (all, function)
}

/// A paragraph that is certainly article text: long and dense in function
/// words, as running prose is and lists of names never are. Fastest on
/// normalised (lower-case) text.
pub fn reads_like_article(text: &str) -> bool {
    let (all, function) = count_function_words(text);
    all >= ARTICLE_MIN_WORDS && function as f64 / all as f64 >= ARTICLE_MIN_FUNCTION_WORDS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_is_dense_in_function_words_and_lists_are_not() {
        let prose = "The council said on Monday that it would not be able to open the new \
                     library before the end of the year, because the builders had found \
                     asbestos in the roof of the old town hall.";
        assert!(
            function_word_density(prose) > 0.4,
            "{}",
            function_word_density(prose)
        );
        assert!(reads_like_article(prose));
        let menu = "Home News Sport Business Technology Science Health Education \
                    Entertainment Arts Politics World Europe Asia Africa Americas \
                    Weather Travel Culture Future Reel Worklife Sounds Video Live";
        assert_eq!(function_word_density(menu), 0.0);
        assert!(!reads_like_article(menu));
    }

    #[test]
    fn other_languages_read_as_prose_too() {
        for prose in [
            "Der Stadtrat hat am Montag beschlossen, dass die neue Bibliothek erst im \
             nächsten Jahr eröffnet wird, weil die Bauarbeiter im Dach des alten Rathauses \
             Asbest gefunden haben und die Arbeiten nun ruhen.",
            "Le conseil municipal a annoncé lundi que la nouvelle bibliothèque ne pourra \
             pas ouvrir avant la fin de l'année, car les ouvriers ont trouvé de l'amiante \
             dans le toit de l'ancien hôtel de ville.",
            "El ayuntamiento anunció el lunes que la nueva biblioteca no podrá abrir antes \
             de que termine el año, porque los obreros encontraron amianto en el tejado del \
             antiguo edificio y las obras se han parado.",
            "Rada miasta ogłosiła w poniedziałek, że nowa biblioteka nie zostanie otwarta \
             przed końcem roku, ponieważ robotnicy znaleźli azbest w dachu starego ratusza \
             i prace są wstrzymane do odwołania, a to jest problem.",
        ] {
            assert!(reads_like_article(prose), "{prose}");
        }
    }

    proptest::proptest! {
        #[test]
        fn count_words_counts_as_words_did(
            text in proptest::prop_oneof![
                "[a1é£\u{301}\u{663}_ .,'-]{0,40}",
                // ASCII blocks, then the rest a character at a time.
                "[aZ1_ .,'-]{0,70}[é£\u{663}]?[a1é ]{0,30}",
                proptest::arbitrary::any::<String>(),
            ],
            limit in 0usize..40,
        ) {
            // Words as they were first found: ASCII text split at ASCII
            // letters and digits, other text at Unicode ones.
            let expected = if text.is_ascii() {
                text.split(|c: char| !c.is_ascii_alphanumeric())
                    .filter(|w| !w.is_empty())
                    .count()
            } else {
                text.split(|c: char| !c.is_alphanumeric())
                    .filter(|w| !w.is_empty())
                    .count()
            };
            proptest::prop_assert_eq!(words(&text).count(), expected);
            proptest::prop_assert_eq!(word_count(&text), expected);
            proptest::prop_assert_eq!(count_words(&text, limit), expected.min(limit));
            proptest::prop_assert_eq!(has_words(&text, limit), expected >= limit);
        }
    }

    #[test]
    fn short_paragraphs_never_count_as_article_text() {
        assert!(!reads_like_article(
            "It was the end of the day and we went home."
        ));
        assert_eq!(word_count("- Chat Center"), 2);
        assert_eq!(word_count(""), 0);
        assert_eq!(function_word_density(""), 0.0);
    }
}
