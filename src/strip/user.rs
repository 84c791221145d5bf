//! The user rules file: rules to add, built-in rules to switch off, and
//! thresholds to tune, in TOML (or JSON, for a file ending in `.json`).
//!
//! ```toml
//! # Built-in rules or signals to switch off (see `dedupe rules`).
//! disable = ["credit-line", "tail-teaser"]
//!
//! # Words of prose before an end marker cuts the rest of the page.
//! cut_min_prose_words = 150
//!
//! # The longest paragraph, in words, a built-in rule is tried on.
//! [max_words]
//! cookie-banner = 60
//!
//! # Rules of your own, tried before the built-in ones.
//! [[rule]]
//! name = "paywall"                      # kebab-case, reported with each removal
//! description = "paywall prompts"
//! pattern = "(subscribe|sign in) to (continue|keep) reading.*"
//! max_words = 20                        # default 30
//! kind = "line"                         # or "end-marker", "cut-tail", "soft-cut"
//! ```
//!
//! A pattern is a regular expression (the `regex` crate's syntax) over the
//! whole normalised paragraph: lower case, curly quotes and dashes folded,
//! white space collapsed, a leading list marker removed. It must match the
//! whole paragraph. Unknown keys, unknown rule names, duplicate names and
//! patterns that do not compile are errors that name the file.

use super::Kind;
use crate::error::Fatal;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// The contents of a rules file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserRules {
    /// Built-in rules and signals to switch off.
    #[serde(default)]
    pub disable: Vec<String>,
    /// Overrides [`super::CUT_MIN_PROSE_WORDS`].
    pub cut_min_prose_words: Option<usize>,
    /// Overrides of built-in rules' `max_words`, by rule name.
    #[serde(default)]
    pub max_words: BTreeMap<String, usize>,
    /// Rules to add.
    #[serde(default)]
    pub rule: Vec<UserRule>,
}

/// One rule of the user's.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserRule {
    /// Kebab-case name.
    pub name: String,
    /// What it removes.
    #[serde(default)]
    pub description: String,
    /// Regular expression over the whole normalised paragraph.
    pub pattern: String,
    /// Longest paragraph, in words, it is tried on.
    #[serde(default = "default_max_words")]
    pub max_words: usize,
    /// How it acts on the paragraphs after it.
    #[serde(default)]
    pub kind: UserKind,
}

/// [`Kind`] as the file spells it.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum UserKind {
    /// [`Kind::Line`].
    #[default]
    Line,
    /// [`Kind::EndMarker`].
    EndMarker,
    /// [`Kind::CutTail`].
    CutTail,
    /// [`Kind::SoftCut`].
    SoftCut,
}

impl From<UserKind> for Kind {
    fn from(kind: UserKind) -> Kind {
        match kind {
            UserKind::Line => Kind::Line,
            UserKind::EndMarker => Kind::EndMarker,
            UserKind::CutTail => Kind::CutTail,
            UserKind::SoftCut => Kind::SoftCut,
        }
    }
}

fn default_max_words() -> usize {
    30
}

/// Reads and parses a rules file.
pub fn load(path: &Path) -> Result<UserRules, Fatal> {
    let text = std::fs::read_to_string(path).map_err(|e| Fatal::io("read", path, &e))?;
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let rules: UserRules = if is_json {
        serde_json::from_str(&text).map_err(|e| e.to_string())
    } else {
        toml::from_str(&text).map_err(|e| e.to_string())
    }
    .map_err(|e| Fatal::new(format!("rules file {}: {}", path.display(), e.trim_end())))?;
    let fail = |what: String| Fatal::new(format!("rules file {}: {what}", path.display()));
    let builtin = super::builtin_names;
    let names = rules.disable.iter().chain(rules.max_words.keys());
    for name in names {
        if !builtin().any(|n| n == name) {
            return Err(fail(format!(
                "unknown rule {name:?}; the built-in rules are: {}",
                builtin().collect::<Vec<_>>().join(", ")
            )));
        }
    }
    for (i, rule) in rules.rule.iter().enumerate() {
        let problem = if !is_kebab_case(&rule.name) {
            Some("its name is not kebab-case (lower-case words joined by '-')".to_string())
        } else if builtin().any(|n| n == rule.name)
            || rules.rule[..i].iter().any(|r| r.name == rule.name)
        {
            Some("it is defined twice; give the new rule another name".to_string())
        } else if rule.max_words == 0 {
            Some("max_words is 0, so it could never match".to_string())
        } else {
            regex::Regex::new(&format!("^(?:{})$", rule.pattern))
                .err()
                .map(|e| format!("invalid pattern: {e}"))
        };
        if let Some(problem) = problem {
            return Err(fail(format!("rule {:?}: {problem}", rule.name)));
        }
    }
    Ok(rules)
}

/// Lower-case ASCII words and digits joined by single hyphens.
fn is_kebab_case(name: &str) -> bool {
    name.split('-').all(|part| {
        !part.is_empty()
            && part
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    })
}
