//! Boilerplate lines, phrased the way `dedupe`'s rules match them.
//!
//! Where a line goes matters as much as what it says: share rows, comment
//! forms, tag lists and "Related posts" end the article once 100 words of
//! prose have gone by (`dedupe rules`), so they go only above the first
//! paragraph or at the very end. Cookie banners and newsletter or follow
//! prompts remove only themselves and may stand anywhere. [`check_phrasings`]
//! runs every phrasing through `dedupe`'s stripper at start-up, so a rule
//! change that stops matching one is an error, not a silently wrong truth.

use crate::rng::Rng;
use dedupe::strip::Stripper;

const SHARE_ROWS: &[&[&str]] = &[
    &["Share this article"],
    &["Share this story", "Facebook", "Twitter", "Email"],
    &["Share on Facebook", "Share on Twitter"],
    &["Facebook Twitter WhatsApp Email"],
    &["Share", "Copy link"],
    &[
        "Get link",
        "Facebook",
        "X",
        "Pinterest",
        "Email",
        "Other Apps",
    ],
];

const COOKIE_BANNERS: &[&str] = &[
    "We use cookies to give you the best experience on our website. By continuing to browse the site you agree to our use of cookies.",
    "This website uses cookies to improve your experience. We'll assume you're ok with this, but you can opt-out if you wish.",
    "By using this site you agree to our use of cookies for analytics and personalised content.",
    "Accept all cookies",
    "Cookie settings",
];

const PROMPTS: &[&str] = &[
    "Sign up for our daily newsletter to get the latest updates straight to your inbox.",
    "Subscribe to our weekly newsletter.",
    "Get the latest news and updates delivered to your inbox. Subscribe now!",
    "Enter your email address to subscribe to this blog and receive notifications of new posts by email.",
    "Follow us on Twitter and Facebook for the latest news.",
    "For more news from our reporters, visit our homepage or follow us on social media.",
];

const RELATED_HEADINGS: &[&str] = &[
    "Related posts",
    "You may also like",
    "Read next",
    "More stories",
    "Recommended for you",
    "Most read",
];

const TAG_LINES: &[&str] = &[
    "Tags: politics, economy, elections",
    "Filed under: Business",
    "Topics: sport, football",
    "Categories: World News",
];

const COMMENT_FORMS: &[&[&str]] = &[
    &[
        "Leave a Reply",
        "Your email address will not be published. Required fields are marked *",
        "Save my name, email, and website in this browser for the next time I comment.",
    ],
    &["Post a Comment", "No comments yet."],
    &[
        "Comments are closed.",
        "This site uses Akismet to reduce spam. Learn how your comment data is processed.",
    ],
];

const PUBLISHERS: &[&str] = &[
    "The Daily Ledger",
    "Northern Courier",
    "Metro Herald",
    "Evening Post",
];

/// One boilerplate line and whether a near copy of its document may add or
/// drop it without disturbing the lines around it.
pub struct Line {
    /// The text.
    pub text: String,
    /// A line that stands alone (cookie banner, prompt, copyright).
    pub standalone: bool,
}

fn lines(texts: &[&str], standalone: bool) -> Vec<Line> {
    texts
        .iter()
        .map(|t| Line {
            text: (*t).to_string(),
            standalone,
        })
        .collect()
}

/// Lines to put under the headline, before any prose.
pub fn top(rng: &mut Rng) -> Vec<Line> {
    if rng.chance(0.5) {
        lines(pick_group(rng, SHARE_ROWS), false)
    } else {
        standalone_line(rng, COOKIE_BANNERS)
    }
}

/// A line to put between two paragraphs.
pub fn middle(rng: &mut Rng) -> Vec<Line> {
    standalone_line(rng, PROMPTS)
}

/// A cookie banner, for a near copy that gains one.
pub fn banner(rng: &mut Rng) -> Vec<Line> {
    standalone_line(rng, COOKIE_BANNERS)
}

fn pick_group(rng: &mut Rng, groups: &[&'static [&'static str]]) -> &'static [&'static str] {
    groups[rng.below(groups.len())]
}

fn standalone_line(rng: &mut Rng, from: &[&str]) -> Vec<Line> {
    lines(&[*rng.pick(from)], true)
}

/// Lines to put after the last paragraph: some of a share row, a tag list,
/// a "Related posts" heading over `related` (headlines of earlier
/// articles), a comment form and a copyright line, in the order pages put
/// them. Never empty.
pub fn tail(rng: &mut Rng, related: Vec<String>) -> Vec<Line> {
    let mut out = Vec::new();
    if rng.chance(0.4) {
        out.extend(lines(pick_group(rng, SHARE_ROWS), false));
    }
    if rng.chance(0.3) {
        out.extend(lines(&[*rng.pick(TAG_LINES)], false));
    }
    if related.len() >= 2 && rng.chance(0.5) {
        out.extend(lines(&[*rng.pick(RELATED_HEADINGS)], false));
        out.extend(related.into_iter().map(|text| Line {
            text,
            standalone: false,
        }));
    }
    if rng.chance(0.4) {
        out.extend(lines(pick_group(rng, COMMENT_FORMS), false));
    }
    if out.is_empty() || rng.chance(0.3) {
        let year = rng.between(2015, 2025);
        out.push(Line {
            text: format!(
                "Copyright {year} {}. All rights reserved.",
                rng.pick(PUBLISHERS)
            ),
            standalone: true,
        });
    }
    out
}

/// Checks that `dedupe`'s rules match every phrasing on its own.
pub fn check_phrasings(stripper: &Stripper) -> Result<(), String> {
    let singles = COOKIE_BANNERS
        .iter()
        .chain(PROMPTS)
        .chain(RELATED_HEADINGS)
        .chain(TAG_LINES);
    let groups = SHARE_ROWS
        .iter()
        .chain(COMMENT_FORMS)
        .flat_map(|g| g.iter());
    let copyright = format!("Copyright 2020 {}. All rights reserved.", PUBLISHERS[0]);
    for line in singles.chain(groups).copied().chain([copyright.as_str()]) {
        if stripper.match_paragraph(line).is_none() {
            return Err(format!(
                "no dedupe rule matches the boilerplate line {line:?} any more; \
                 update examples/gen_corpus/boilerplate.rs to the rules of `dedupe rules`"
            ));
        }
    }
    Ok(())
}
