//! The boilerplate rule table, tested through the public API of
//! `dedupe::strip`: every rule against real news-page boilerplate it must
//! recognise, every family of rules against article prose it must leave
//! alone, the end markers and the `tail-teaser` signal on whole documents,
//! and the switches of `Stripper::new`.
//!
//! The examples come from the boilerplate of real news pages (the seed
//! fixtures and common WordPress, Blogger and news-site templates).

use dedupe::strip::{Kind, RULES, SHORT_LINE_RUN, SIGNALS, Stripper, TAIL_TEASER};

/// Lines each rule must match, and must be the rule that names the match.
/// Every rule in [`RULES`] needs an entry (see
/// `every_rule_has_positive_examples`).
const POSITIVES: &[(&str, &[&str])] = &[
    (
        "share-buttons",
        &[
            "Share this:",
            "Facebook Twitter WhatsApp Telegram",
            "Share This Story, Choose Your Platform!",
            "- Get link",
            "- X",
            "- Other Apps",
            "Share on Facebook",
            "Twitter",
            "Share",
            "Share:",
            "Share this article",
            "Share the story",
            "Share via Email",
            "Share on X",
            "• Share on WhatsApp",
            "* Twitter",
            "– Get link",
            "Copy link",
            "Facebook",
            "WhatsApp",
            "LinkedIn",
            "Telegram",
            "Pinterest",
            "Flipboard",
            "Print",
            "Email",
            "E-mail",
            "Tweet",
            "Pin it",
        ],
    ),
    (
        "cookie-banner",
        &[
            "This website uses Cookies to improve User experience. We assume this is OK...If not, please opt-out! Read More",
            "We use cookies to ensure that we give you the best experience on our website. If you continue to use this site we will assume that you are happy with it.",
            "This website uses cookies to improve your experience. We'll assume you're ok with this, but you can opt-out if you wish. Accept Read More",
            "Our site uses cookies.",
            "By continuing to use this site you agree to our use of cookies.",
            "By using our website, you agree to the use of cookies as described in our Cookie Policy.",
            "Accept All Cookies",
            "Reject all cookies",
            "Manage cookies",
            "Cookie Settings",
            "Cookie Policy",
        ],
    ),
    (
        "subscribe-prompt",
        &[
            "Get real time updates directly on you device, subscribe now.",
            "Get the latest news and updates, subscribe today.",
            "Subscribe",
            "Subscribe now!",
            "Subscribe here",
            "Subscribe to our newsletter",
            "Subscribe to the Sahel Security Brief",
            "Sign up for our newsletter",
            "Sign up to our daily newsletter for the latest updates.",
            "Enter your email address to subscribe to this blog and receive notifications of new posts by email.",
        ],
    ),
    (
        "related-posts",
        &[
            "Related posts",
            "Related Posts:",
            "Related",
            "Related Articles",
            "Related News",
            "You may also like",
            "You might also like:",
            "Recommended for you",
            "More stories",
            "Read next",
            "More from BBC Africa",
            "More from the author",
            "Most Read",
            "Popular Posts",
            "Trending Now",
        ],
    ),
    (
        "comment-form",
        &[
            "Leave a Reply Cancel reply",
            "Comments are closed.",
            "Comments (0)",
            "Leave A Reply",
            "Leave a comment",
            "Your email address will not be published.",
            "Your email address will not be published. Required fields are marked *",
            "Required fields are marked *",
            "Post a Comment",
            "Comments",
            "Comment:",
            "0 Comments",
            "12 Responses",
            "No comments yet.",
            "Cancel reply",
            "This site uses Akismet to reduce spam. Learn how your comment data is processed.",
            "Save my name, email, and website in this browser for the next time I comment.",
            "Notify me of follow-up comments by email.",
            "Notify me of new posts by email.",
            "You must be logged in to post a comment.",
        ],
    ),
    (
        "tags",
        &[
            "Tags: Mali, JNIM, Sahel",
            "Filed under: Africa",
            "Filed under Africa, Security",
            "Topics",
            "Categories: Politics",
            "Labels: Mali, Sahel",
            "Posted in: World News",
        ],
    ),
    (
        "see-also",
        &[
            "See also: USAID Cancelled Rape Survivor Kits in Congo Amid Escalating Conflict",
            "See Also: Mali Junta Extends Transition By Five Years",
            "Also Read: JNIM Claims Attack On Timbuktu Airport",
            "READ ALSO: Burkina Faso Suspends BBC And VOA",
            "Read more: Niger Expels French Ambassador",
            "Related: Wagner Fighters Leave Mali",
        ],
    ),
    (
        "follow-prompt",
        &[
            "For more from Africa, visit BBC Africa or follow us on social media.",
            "For more news, visit our website.",
            "For more stories like this, follow us on Facebook.",
            "Follow us on Twitter",
            "Follow us on X @TheVoiceAfrica",
            "Like us on Facebook",
            "Join us on Telegram",
            "Follow @AFP",
            "Follow us",
        ],
    ),
    (
        "credit-line",
        &[
            "Photo: Reuters",
            "@Zagazola Makama excluding headline",
            "@Zagazola Makama excluding headline.",
            "Photo credit: Reuters",
            "Photo Credit: AFP/Getty Images",
            "Image courtesy: Malian Armed Forces",
            "Picture courtesy of ORTM",
        ],
    ),
    (
        "copyright",
        &[
            "©2025 Sahara Reporters",
            "© 2025 The Voice of Africa. All Rights Reserved.",
            "Copyright © 2024 Sahara Reporters",
            "Copyright 2025 Zagazola Makama. All rights reserved.",
            "© Copyright 2025 - BBC",
            "(c) 2024 Reuters",
            "All rights reserved.",
            "All Rights Reserved",
        ],
    ),
    (
        "bare-counter",
        &["1.2K", "0", "12", "1,234", "4.5", "3:45", "80%", "1/5"],
    ),
];

/// Prose, headlines and bylines that mention what the rules look for, by
/// family. None of them may match any rule.
const NEGATIVES: &[(&str, &[&str])] = &[
    (
        "cookies",
        &[
            "Cookie policy changes announced by Google on Tuesday will affect advertisers across Europe.",
            "Cookie consent banners have become ubiquitous since the rules came into force in 2018, regulators said.",
            "Regulators said the broadcaster's website uses cookies to track readers without asking for their consent.",
            "The commission fined the company after finding that it had ignored requests to reject all cookies.",
            "Vendors at the Bamako market sold cookies and sweet tea to soldiers returning from Kayes.",
            "Cookies",
        ],
    ),
    (
        "comments",
        &[
            "Comments made by the minister on Tuesday angered the families of soldiers.",
            "No comments were made by the army about the casualties.",
            "A spokesperson for the military has yet to comment further on the situation.",
            "In a post on social media, he urged readers to leave a reply to the junta's letter.",
            "The army did not reply to a request for comment.",
            "Several comments under the video accused the army of abuses.",
        ],
    ),
    (
        "subscriptions",
        &[
            "Subscribe to the idea that the junta can win, and you ignore Boulkessi.",
            "Readers who subscribe to the newspaper's print edition will receive a weekly supplement on the Sahel.",
            "The junta has ordered mobile operators to stop selling subscriptions to satellite television services.",
            "Residents said they receive security updates only by radio, and few could afford to subscribe.",
            "Many people in the north now get their news from WhatsApp groups rather than the radio.",
            "Newsletter",
        ],
    ),
    (
        "sharing",
        &[
            "Share prices on the Bamako exchange fell 3% on Tuesday.",
            "X, formerly Twitter, suspended the account of the junta's spokesman on Tuesday.",
            "Videos shared on Facebook and WhatsApp showed smoke rising over the barracks.",
            "The group's statement was shared on Telegram.",
            "Print Media Suspended in Mali",
            "Telegram Channels Spread JNIM Propaganda",
            "Share of Votes",
        ],
    ),
    (
        "related",
        &[
            "Related posts on social media claimed the base had fallen.",
            "Officials said the attacks were related to a dispute over gold mining in the region.",
            "The most popular stories on state television this week concerned the transition.",
            "More stories of abuse emerged from the camps near Mopti.",
            "Related Killings Reported in Mopti",
            "Popular Uprising Feared in Bamako",
            "Most Wanted: Mali Issues Warrants for Coup Plotters",
        ],
    ),
    (
        "see-also",
        &[
            "See the map below for the towns that were attacked.",
            "Analysts see also a risk of spillover into coastal states.",
            "Read more carefully, the statement contradicts the army's earlier account.",
        ],
    ),
    (
        "following",
        &[
            "For more of the year, Fulani herders follow the rains south towards the Niger River.",
            "Join us on the streets on Friday, the opposition coalition urged its supporters in a statement read on state radio.",
            "Follow the money, investigators say, and the trail leads to illegal gold mines in the north.",
            "For more than a decade, Mali has been grappling with a violent Islamist insurgency.",
            "For over a decade, Mali has been grappling with a violent Islamist insurgency paired with separatist movements.",
            "Thousands of people follow the junta's spokesman on social media, where he posts daily videos.",
            "Residents were told to follow the instructions of the security forces.",
        ],
    ),
    (
        "credits",
        &[
            "Video courtesy of residents showed smoke rising over the barracks in Kayes on Tuesday morning.",
            "Photographs released by the army on Tuesday showed captured weapons, vehicles and motorcycles.",
            "The image, credited to a local resident, could not be independently verified.",
            "Zagazola Makama, a counter-insurgency expert, reported the fall of the barracks.",
        ],
    ),
    (
        "copyright",
        &[
            "Copyright infringement claims against the broadcaster were dismissed by a court in Bamako on Monday.",
            "(c) the release of all detained soldiers within 30 days;",
            "The broadcaster holds the copyright to the footage, its lawyers said.",
            "The footage, which the agency said was protected by copyright, was broadcast on Tuesday.",
            "Under the charter, all rights reserved to the state pass to the transitional council.",
        ],
    ),
    (
        "numbers",
        &[
            "At least 30 soldiers were killed.",
            "The army said it had neutralised over 80 militants during the latest skirmishes.",
            "80 militants neutralised",
            "30 killed",
            "Since a military junta took power in 2020, the country has been engaged in prolonged conflict.",
        ],
    ),
    (
        "headlines and bylines",
        &[
            "Tags on the crates showed the weapons had been shipped from Libya.",
            "Topics discussed at the summit included security and trade.",
            "Series of Coordinated Attacks Target Mali Military Posts",
            "By Zagazola Makama",
            "The Voice of Africa",
            "Mali Government Under Pressure After Base Lost to Jihadists",
            "Justice Long Overdue: UN Chief Calls For Global Action To Redress Colonial Wrongs",
            "JNIM Terror Group Seizes Control of Kayes Malian Armed Forces Barracks, Display Captured Equipment, Arms, Ammunition",
            "Miss South Africa Withdraws From Miss Universe Pageant",
            "Jihadist assaults raise concerns over rising insecurity in the Sahel region.",
            "- Kayes",
        ],
    ),
    (
        "long paragraphs with boilerplate phrases inside",
        &[
            // Seed 001, the lede with share buttons, comment and subscription phrases spliced in.
            "Mali's armed forces have reported coordinated assaults targeting multiple military positions across seven towns in the central and western regions of the country. Share on Facebook, one militant channel told its followers, and we use cookies, post a comment, subscribe now and follow us on Telegram were among the slogans pasted under the videos. The attacks occurred early Tuesday, though the army did not immediately provide casualty figures or full operational details. The towns targeted include Diboli, near the Senegalese border, as well as Kayes and Sandere in the west.",
            "The junta's information ministry said on Tuesday that foreign news sites would be blocked unless they complied with the new media law. One outlet told readers that it would not hand their data to the authorities, even though its website uses cookies; another added a notice that read \"Related posts\" above links to its coverage of the coup, and a third printed \"All rights reserved\" beneath every article it republished.",
            // Long paragraphs that *start* with a phrase a rule looks for: the
            // word limits of the rules keep them.
            "Copyright lawyers in Bamako say the ruling, which the court delivered on Monday after a hearing that lasted most of the day, will change how African broadcasters license footage of the conflict in the north.",
            "Cookie consent banners have become ubiquitous on West African news sites since data protection rules came into force, and regulators in Dakar, Abidjan and Bamako say that most of them do not comply with the law: they hide the option to refuse, they pre-tick boxes, and they load advertising trackers before the reader has made any choice at all. The regulators said on Tuesday that they would begin fining publishers next year, and that the fines would be published along with the names of the companies concerned.",
        ],
    ),
];

fn stripper() -> Stripper {
    Stripper::new(&[], true).expect("the built-in rules compile")
}

fn positives_of(name: &str) -> &'static [&'static str] {
    POSITIVES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, examples)| *examples)
        .unwrap_or_else(|| panic!("no positive examples for {name:?}"))
}

fn rule_of(stripper: &Stripper, text: &str) -> Option<&'static str> {
    stripper.match_paragraph(text).map(|r| r.name)
}

// Paragraphs of the seed fixtures, as `segment` cuts them.
const PROSE_1: &str = "The Jama’at Nusrat al-Islam wal Muslimeen (JNIM) armed group has taken control of the Kayes barracks in Mali.";
const PROSE_2: &str = "The JNIM, a prominent militant group in the Sahel, has been responsible for several attacks on military and civilian targets in recent years.";
const PROSE_3: &str = "This development comes amid rising tensions within the military junta, particularly between Goita and Camara, as well as between Diarra and Col. Sadio Camara and Col. Modibo Kone.";
const HEADLINE_1: &str = "Miss South Africa Withdraws From Miss Universe Pageant";
const HEADLINE_2: &str =
    "New Dawn For Anambra State PDP As Elected Executive Takes Charge, 24 Years After";
const HEADLINE_3: &str = "Angolan Prince Started Campaign To End Atlantic Slave Trade Long Before Europeans Did – New Book";

#[test]
fn every_rule_matches_its_positive_examples() {
    let s = stripper();
    let mut failures = Vec::new();
    for (name, examples) in POSITIVES {
        for example in *examples {
            let got = rule_of(&s, example);
            if got != Some(*name) {
                failures.push(format!("{example:?}: expected {name}, got {got:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn positive_examples_match_in_other_typography() {
    // Case, non-breaking and repeated spaces, surrounding white space and a
    // list marker do not change which rule matches.
    let s = stripper();
    let mut failures = Vec::new();
    for (name, examples) in POSITIVES {
        for example in *examples {
            let mut variants = vec![
                example.to_uppercase(),
                format!("  {}\t", example.replace(' ', "\u{a0} ")),
            ];
            if !["- ", "* ", "• ", "– "]
                .iter()
                .any(|m| example.starts_with(m))
            {
                variants.push(format!("• {example}"));
                variants.push(format!("- {example}"));
            }
            for variant in variants {
                let got = rule_of(&s, &variant);
                if got != Some(*name) {
                    failures.push(format!("{variant:?}: expected {name}, got {got:?}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_rule_has_positive_examples() {
    for rule in RULES {
        assert!(
            !positives_of(rule.name).is_empty(),
            "rule {:?} has an empty list of positive examples",
            rule.name
        );
    }
    for (name, _) in POSITIVES {
        assert!(
            RULES.iter().any(|r| r.name == *name),
            "positive examples for {name:?}, which is not a rule"
        );
    }
}

#[test]
fn rule_names_are_unique_kebab_case_and_not_the_signal() {
    for (i, rule) in RULES.iter().enumerate() {
        assert!(
            !rule.name.is_empty()
                && rule
                    .name
                    .split('-')
                    .all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase())),
            "rule name {:?} is not kebab-case",
            rule.name
        );
        assert_ne!(rule.name, TAIL_TEASER, "a rule takes the signal's name");
        assert!(
            RULES[..i].iter().all(|r| r.name != rule.name),
            "rule name {:?} is used twice",
            rule.name
        );
    }
}

#[test]
fn prose_headlines_and_bylines_match_no_rule() {
    let s = stripper();
    let mut failures = Vec::new();
    for (family, examples) in NEGATIVES {
        for example in *examples {
            if let Some(rule) = s.match_paragraph(example) {
                failures.push(format!("{family}: {example:?} matched {}", rule.name));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn related_posts_removes_the_headline_list_and_keeps_the_prose_after_it() {
    let s = stripper();
    let doc = [
        "JNIM Terror Group Seizes Control of Kayes Malian Armed Forces Barracks",
        PROSE_1,
        PROSE_2,
        "Related posts",
        HEADLINE_1,
        HEADLINE_2,
        HEADLINE_3,
        PROSE_3,
    ];
    let related = Some("related-posts");
    assert_eq!(
        s.strip(&doc),
        [None, None, None, related, related, related, related, None]
    );
}

#[test]
fn every_end_marker_removes_the_headlines_after_it() {
    let s = stripper();
    let mut end_markers = 0;
    for rule in RULES.iter().filter(|r| r.kind == Kind::EndMarker) {
        end_markers += 1;
        for marker in positives_of(rule.name) {
            let doc = [PROSE_1, marker, HEADLINE_1, HEADLINE_2, PROSE_2];
            let name = Some(rule.name);
            assert_eq!(
                s.strip(&doc),
                [None, name, name, name, None],
                "end marker {marker:?}"
            );
        }
    }
    assert!(end_markers > 0, "no end-marker rule in the table");
}

#[test]
fn line_rules_remove_only_the_matching_paragraph() {
    let s = stripper();
    for rule in RULES.iter().filter(|r| r.kind == Kind::Line) {
        for line in positives_of(rule.name) {
            let doc = [PROSE_1, line, HEADLINE_1, PROSE_2];
            assert_eq!(
                s.strip(&doc),
                [None, Some(rule.name), None, None],
                "line {line:?} of rule {}",
                rule.name
            );
        }
    }
}

#[test]
fn headline_list_skips_other_boilerplate_and_ends_at_the_first_non_headline() {
    let s = stripper();
    let doc = [
        PROSE_1,
        "You may also like",
        HEADLINE_1,
        "0",
        "Share on Facebook",
        HEADLINE_2,
        "The army said it repelled the attack.",
        HEADLINE_3,
        PROSE_2,
    ];
    let related = Some("related-posts");
    assert_eq!(
        s.strip(&doc),
        [
            None,
            related,
            related,
            Some("bare-counter"),
            Some("share-buttons"),
            related,
            None,
            None,
            None,
        ]
    );
}

#[test]
fn related_posts_mentioned_in_prose_keeps_everything() {
    let s = stripper();
    let doc = [
        "Facebook Removes Network of Fake Pages Targeting Mali",
        "The company said the network shared related posts praising the junta, using pages that posed as local news outlets in Bamako and Mopti.",
        "Pages Posed As Local News Outlets",
        "Related posts on social media claimed the base had fallen.",
        HEADLINE_1,
        PROSE_2,
    ];
    assert_eq!(s.strip(&doc), [None; 6]);
}

#[test]
fn seed_000_credit_line_related_posts_and_cookie_banner() {
    let s = stripper();
    let doc = [
        "JNIM Terror Group Seizes Control of Kayes Malian Armed Forces Barracks, Display Captured Equipment, Arms, Ammunition",
        "By Zagazola Makama",
        PROSE_1,
        "This development comes amid escalating tensions and violence in the region.",
        PROSE_2,
        PROSE_3,
        "@Zagazola Makama excluding headline",
        "Related posts",
        HEADLINE_1,
        HEADLINE_2,
        HEADLINE_3,
        "This website uses Cookies to improve User experience. We assume this is OK...If not, please opt-out! Read More",
    ];
    let related = Some("related-posts");
    assert_eq!(
        s.strip(&doc),
        [
            None,
            None,
            None,
            None,
            None,
            None,
            Some("credit-line"),
            related,
            related,
            related,
            related,
            Some("cookie-banner"),
        ]
    );
}

const SEED_001: &[&str] = &[
    "- Get link",
    "- X",
    "- Other Apps",
    "- Get link",
    "- X",
    "- Other Apps",
    "Mali's armed forces have reported coordinated assaults targeting multiple military positions across seven towns in the central and western regions of the country. The attacks occurred early Tuesday, though the army did not immediately provide casualty figures or full operational details.",
    "Mali’s latest wave of violence highlights the deepening security crisis in the Sahel, where government control continues to erode in the face of persistent jihadist insurgencies.",
    "See also: USAID Cancelled Rape Survivor Kits in Congo Amid Escalating Conflict",
    "- Get link",
    "- X",
    "- Other Apps",
    "Comments",
    "Post a Comment",
];

#[test]
fn seed_001_share_buttons_see_also_and_comments() {
    let s = stripper();
    let share = Some("share-buttons");
    let comment = Some("comment-form");
    assert_eq!(
        s.strip(SEED_001),
        [
            share,
            share,
            share,
            share,
            share,
            share,
            None,
            None,
            Some("see-also"),
            share,
            share,
            share,
            comment,
            comment,
        ]
    );
}

#[test]
fn seed_002_headline_between_prose_and_follow_prompt() {
    // The headline stands after the first prose paragraph but is followed by
    // prose: it is not a teaser.
    let s = stripper();
    let doc = [
        "In a troubling escalation of violence, jihadist fighters have launched multiple coordinated attacks on military installations across Mali, marking the third significant assault on the country's armed forces within the last month.",
        "Series of Coordinated Attacks Target Mali Military Posts",
        "Series of Coordinated Attacks Target Mali Military Posts",
        "Jihadist assaults raise concerns over rising insecurity in the Sahel region.",
        "The situation remains precarious, and as Mali's military continues its operations, the community and regional leaders are left to ponder the future safety and stability of the nation against a backdrop of persistent insurgency.",
        "For more from Africa, visit BBC Africa or follow us on social media.",
    ];
    assert_eq!(
        s.strip(&doc),
        [None, None, None, None, None, Some("follow-prompt")]
    );
}

const SEED_003: &[&str] = &[
    "The Voice of Africa",
    "Mali Government Under Pressure After Base Lost to Jihadists",
    "0",
    "Get real time updates directly on you device, subscribe now.",
    "An al-Qaeda-affiliated militant group, Jama’a Nusrat ul-Islam wa al-Muslimin (JNIM), has claimed responsibility for a major assault on a Malian army base, marking a serious escalation in the country’s long-standing conflict with jihadist insurgents.",
    "In the face of these escalating attacks, Mali’s transitional government is under pressure to strengthen its military response while also addressing the root causes of extremism, including poverty, marginalization, and weak state institutions in rural areas.",
    "Justice Long Overdue: UN Chief Calls For Global Action To Redress Colonial Wrongs",
    "Get real time updates directly on you device, subscribe now.",
    "Leave A Reply",
    "Your email address will not be published.",
    "This site uses Akismet to reduce spam. Learn how your comment data is processed.",
];

#[test]
fn seed_003_tail_teaser_is_removed_and_the_own_headline_kept() {
    let s = stripper();
    let subscribe = Some("subscribe-prompt");
    let comment = Some("comment-form");
    assert_eq!(
        s.strip(SEED_003),
        [
            None,
            None,
            Some("bare-counter"),
            subscribe,
            None,
            None,
            Some(TAIL_TEASER),
            subscribe,
            comment,
            comment,
            comment,
        ]
    );
}

#[test]
fn tail_teasers_after_the_last_prose_are_all_removed() {
    let s = stripper();
    let doc = [
        "Mali Government Under Pressure After Base Lost to Jihadists",
        PROSE_1,
        PROSE_2,
        HEADLINE_1,
        HEADLINE_2,
        "Share on Facebook",
        HEADLINE_3,
        "Comments",
    ];
    let teaser = Some(TAIL_TEASER);
    assert_eq!(
        s.strip(&doc),
        [
            None,
            None,
            None,
            teaser,
            teaser,
            Some("share-buttons"),
            teaser,
            Some("comment-form"),
        ]
    );
}

#[test]
fn headline_followed_by_prose_is_not_a_tail_teaser() {
    let s = stripper();
    let doc = [
        "Mali Government Under Pressure After Base Lost to Jihadists",
        PROSE_1,
        "Justice Long Overdue: UN Chief Calls For Global Action To Redress Colonial Wrongs",
        PROSE_2,
        "- Get link",
        "Comments",
    ];
    assert_eq!(
        s.strip(&doc),
        [
            None,
            None,
            None,
            None,
            Some("share-buttons"),
            Some("comment-form"),
        ]
    );
}

#[test]
fn headline_of_a_document_without_prose_is_kept() {
    let s = stripper();
    let doc = [
        "Mali Government Under Pressure After Base Lost to Jihadists",
        "Twitter",
        "Comments",
    ];
    assert_eq!(
        s.strip(&doc),
        [None, Some("share-buttons"), Some("comment-form")]
    );
}

#[test]
fn tail_teaser_can_be_switched_off() {
    let s = Stripper::new(&[TAIL_TEASER.into()], true).unwrap();
    let verdicts = s.strip(SEED_003);
    assert_eq!(verdicts[6], None, "{verdicts:?}");
    assert_eq!(verdicts[7], Some("subscribe-prompt"));
    assert!(!s.rule_names().contains(&TAIL_TEASER));
    assert!(stripper().rule_names().contains(&TAIL_TEASER));
}

#[test]
fn a_disabled_rule_matches_nothing_and_the_others_still_do() {
    let s = Stripper::new(&["share-buttons".into()], true).unwrap();
    for line in positives_of("share-buttons") {
        assert_eq!(rule_of(&s, line), None, "{line:?}");
    }
    for (name, examples) in POSITIVES.iter().filter(|(n, _)| *n != "share-buttons") {
        for example in *examples {
            assert_eq!(rule_of(&s, example), Some(*name), "{example:?}");
        }
    }
    let verdicts = s.strip(SEED_001);
    assert_eq!(verdicts[..6], [None; 6]);
    assert_eq!(verdicts[8], Some("see-also"));
    // (The trailing buttons, headline-shaped and followed only by comment
    // boilerplate, are still taken by the tail-teaser signal.)
    assert!(!verdicts.contains(&Some("share-buttons")), "{verdicts:?}");
    assert_eq!(verdicts[12..], [Some("comment-form"); 2]);

    let names = s.rule_names();
    assert!(!names.contains(&"share-buttons"), "{names:?}");
    // The other rules and the signals.
    assert_eq!(names.len(), RULES.len() - 1 + SIGNALS.len(), "{names:?}");
}

#[test]
fn an_unknown_rule_name_is_an_error_that_lists_the_rules() {
    let err = Stripper::new(&["share-button".into()], true).unwrap_err();
    let message = err.to_string();
    assert!(message.contains("share-button"), "{message}");
    for rule in RULES {
        assert!(message.contains(rule.name), "{message}");
    }
    for (signal, _) in SIGNALS {
        assert!(message.contains(signal), "{message}");
    }

    // A known name among unknown ones does not save the list.
    assert!(Stripper::new(&["copyright".into(), "cookies".into()], true).is_err());
}

#[test]
fn every_rule_name_and_the_signals_can_be_disabled() {
    let mut all: Vec<String> = RULES.iter().map(|r| r.name.to_string()).collect();
    all.extend(SIGNALS.iter().map(|s| s.0.to_string()));
    let s = Stripper::new(&all, true).unwrap();
    assert_eq!(s.rule_names(), Vec::<&str>::new());
    assert_eq!(s.strip(SEED_003), [None; 11]);
    assert_eq!(s.strip(SEED_001), [None; 14]);
}

#[test]
fn stripping_switched_off_removes_nothing() {
    let s = Stripper::new(&[], false).unwrap();
    assert_eq!(s.strip(SEED_001), [None; 14]);
    assert_eq!(s.strip(SEED_003), [None; 11]);
    assert_eq!(s.rule_names(), Vec::<&str>::new());
    for (_, examples) in POSITIVES {
        let verdicts = s.strip(examples);
        assert!(verdicts.iter().all(Option::is_none), "{verdicts:?}");
        assert_eq!(verdicts.len(), examples.len());
    }
}

#[test]
fn a_closing_byline_before_share_buttons_is_not_a_teaser() {
    let doc = [
        "Mali Government Under Pressure After Base Lost to Jihadists",
        "The Malian Armed Forces released a statement saying they defended their post and inflicted casualties on the attackers.",
        "By Zagazola Makama",
        "- Get link",
        "- X",
    ];
    let verdicts = stripper().strip(&doc);
    assert_eq!(
        verdicts,
        [
            None,
            None,
            None,
            Some("share-buttons"),
            Some("share-buttons")
        ]
    );
}

/// Prose long enough that an end marker after it closes the article.
const ARTICLE: [&str; 6] = [PROSE_1, PROSE_2, PROSE_3, PROSE_1, PROSE_2, PROSE_3];

#[test]
fn cut_tail_markers_after_the_article_remove_the_rest_of_the_page() {
    let words: usize = ARTICLE.iter().map(|p| p.split_whitespace().count()).sum();
    assert!(words >= dedupe::strip::CUT_MIN_PROSE_WORDS);
    let s = stripper();
    let comment = "Great article, thanks for writing it. I have been following the news from Mali for years and this is the best summary I have read.";
    for rule in RULES
        .iter()
        .filter(|r| matches!(r.kind, Kind::CutTail | Kind::SoftCut | Kind::EndMarker))
    {
        let marker = positives_of(rule.name)[0];
        let doc: Vec<&str> = ARTICLE
            .iter()
            .copied()
            .chain([marker, comment, HEADLINE_1, "- Other Apps"])
            .collect();
        let name = Some(rule.name);
        assert_eq!(
            s.strip(&doc),
            [
                None,
                None,
                None,
                None,
                None,
                None,
                name,
                name,
                name,
                Some("share-buttons")
            ],
            "marker {marker:?}"
        );
    }
}

#[test]
fn cut_tail_markers_before_the_article_remove_only_themselves() {
    let s = stripper();
    for rule in RULES
        .iter()
        .filter(|r| matches!(r.kind, Kind::CutTail | Kind::SoftCut))
    {
        let marker = positives_of(rule.name)[0];
        let doc = [HEADLINE_1, marker, PROSE_1, PROSE_2];
        assert_eq!(
            s.strip(&doc),
            [None, Some(rule.name), None, None],
            "marker {marker:?}"
        );
    }
}

/// A long paragraph of prose, as the next post on a blog's front page.
const NEXT_POST: &str = "The second post of the day covers the elections in the north, where turnout was low and several polling stations opened hours late because ballot papers had not arrived from the capital in time for the vote, observers from the regional bloc said on Monday.";

#[test]
fn a_soft_cut_does_not_end_the_page_before_another_post() {
    assert!(NEXT_POST.split_whitespace().count() >= dedupe::strip::SOFT_CUT_PROSE_WORDS);
    let s = stripper();
    let soft: Vec<&dedupe::strip::Rule> =
        RULES.iter().filter(|r| r.kind == Kind::SoftCut).collect();
    assert!(!soft.is_empty());
    for rule in soft {
        let marker = positives_of(rule.name)[0];
        let doc: Vec<&str> = ARTICLE
            .iter()
            .copied()
            .chain([marker, HEADLINE_1, NEXT_POST])
            .collect();
        let mut expected = vec![None; doc.len()];
        expected[6] = Some(rule.name);
        assert_eq!(s.strip(&doc), expected, "marker {marker:?}");

        // Behind a comment header the long paragraph is a comment: the tag
        // line cuts, and the comment header keeps its own name.
        let doc: Vec<&str> = ARTICLE
            .iter()
            .copied()
            .chain([marker, "Leave a Reply", NEXT_POST])
            .collect();
        let mut expected = vec![None; 6];
        expected.extend([Some(rule.name), Some("comment-form"), Some(rule.name)]);
        assert_eq!(s.strip(&doc), expected, "marker {marker:?}");
    }
}

// The `short-line-run` signal.

const MENU: [&str; 5] = ["Home", "News", "Sport", "Business", "Weather"];

#[test]
fn a_run_of_short_lines_before_the_article_is_a_menu() {
    assert!(dedupe::strip::prose::reads_like_article(NEXT_POST));
    let s = stripper();
    let doc: Vec<&str> = MENU
        .iter()
        .copied()
        .chain([HEADLINE_1, NEXT_POST])
        .collect();
    let mut expected = vec![Some(SHORT_LINE_RUN); MENU.len()];
    // The headline has more than three words: it is not part of the run.
    expected.extend([None, None]);
    assert_eq!(s.strip(&doc), expected);

    // Three lines are too few to be a menu before the article.
    let doc = ["Home", "News", "Sport", NEXT_POST];
    assert_eq!(s.strip(&doc), [None; 4]);
}

#[test]
fn short_lines_inside_the_article_stay() {
    let s = stripper();
    // Short headings and a short list between two paragraphs of article
    // text are part of it, however many there are.
    let mut doc = vec![NEXT_POST];
    doc.extend(["Background", "Timeline", "Reaction"]);
    doc.extend(MENU);
    doc.push(NEXT_POST);
    assert_eq!(s.strip(&doc), vec![None; doc.len()]);
}

#[test]
fn after_the_article_only_a_long_run_of_short_lines_is_removed() {
    let s = stripper();
    let archive = [
        "January 2024",
        "February 2024",
        "March 2024",
        "April 2024",
        "May 2024",
        "June 2024",
        "July 2024",
        "August 2024",
        "September 2024",
        "October 2024",
    ];
    assert_eq!(archive.len(), dedupe::strip::SHORT_LINE_RUN_MIN_LINES_AFTER);
    let doc: Vec<&str> = [NEXT_POST].into_iter().chain(archive).collect();
    let mut expected = vec![None];
    expected.extend(vec![Some(SHORT_LINE_RUN); archive.len()]);
    assert_eq!(s.strip(&doc), expected);

    // A short list after the text (sources, places) stays.
    let doc: Vec<&str> = [NEXT_POST].into_iter().chain(MENU).collect();
    assert_eq!(s.strip(&doc), vec![None; doc.len()]);
}

#[test]
fn a_page_without_article_text_keeps_its_lists() {
    let s = stripper();
    // A directory page: only short lines and short sentences.
    let mut doc = vec!["Towns served by the county library service:"];
    doc.extend(MENU);
    doc.extend(MENU);
    doc.push(PROSE_1);
    assert_eq!(s.strip(&doc), vec![None; doc.len()]);
}

#[test]
fn lines_with_sentence_ends_or_more_words_do_not_make_a_run() {
    let s = stripper();
    // Short sentences of a dialogue or a Q&A before the article.
    let doc = ["Yes.", "No!", "Why?", "Really.", NEXT_POST];
    assert_eq!(s.strip(&doc), [None; 5]);
    let doc = [
        "Ministers meet on Monday",
        "Talks resume in Geneva",
        "Markets rise again today",
        "Storm warning for the coast",
        NEXT_POST,
    ];
    assert_eq!(s.strip(&doc), [None; 5]);
}

#[test]
fn the_short_line_run_signal_can_be_switched_off() {
    let s = Stripper::new(&[SHORT_LINE_RUN.into()], true).unwrap();
    let doc: Vec<&str> = MENU.iter().copied().chain([NEXT_POST]).collect();
    assert_eq!(s.strip(&doc), vec![None; doc.len()]);
}
