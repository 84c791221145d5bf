//! The five seed articles come out exactly as the foundation issue says:
//! every headline and article paragraph kept, and precisely these removed.

mod common;

use common::{Env, read_json};
use dedupe::segment::segment;
use std::fs;

const D000: &str = "000_b3ff15b0ddc21ea6.txt";
const D001: &str = "001_c608147bd16f49d8.txt";
const D002: &str = "002_20252095dc0dbcfc.txt";
const D003: &str = "003_10df87ef625c28d4.txt";
const D004: &str = "004_cccec71aff28f8ef.txt";

/// (start of the removed paragraph's text, reason) in document order.
fn expected(doc: &str) -> Vec<(&'static str, String)> {
    let rows = |rows: &[(&'static str, &str)]| -> Vec<(&'static str, String)> {
        rows.iter().map(|(t, r)| (*t, r.to_string())).collect()
    };
    let share = [
        ("- Get link", "share-buttons"),
        ("- X", "share-buttons"),
        ("- Other Apps", "share-buttons"),
    ];
    match doc {
        D000 => rows(&[
            ("@Zagazola Makama excluding headline", "credit-line"),
            ("Related posts", "related-posts"),
            ("Miss South Africa Withdraws", "related-posts"),
            ("New Dawn For Anambra State PDP", "related-posts"),
            ("Angolan Prince Started Campaign", "related-posts"),
            ("This website uses Cookies", "cookie-banner"),
        ]),
        D001 => [
            &share[..],
            &share[..],
            &[("See also: USAID Cancelled", "see-also")],
            &share[..],
            &[
                ("Comments", "comment-form"),
                ("Post a Comment", "comment-form"),
            ],
        ]
        .iter()
        .flat_map(|r| rows(r))
        .collect(),
        D002 => {
            let dup = |para: u32| format!("dup:within:{D002}#{para}");
            let follow = || "follow-prompt".to_string();
            vec![
                ("Series of Coordinated Attacks", dup(1)),
                ("For more from Africa, visit BBC Africa", follow()),
                ("However, the al-Qaeda-linked group", dup(5)),
                ("JNIM characterized the attacks", dup(6)),
                ("The U.S. Africa Command", dup(7)),
                ("The situation remains precarious", dup(8)),
                ("For more from Africa, visit BBC Africa", follow()),
            ]
        }
        D003 => rows(&[
            ("0", "bare-counter"),
            (
                "Get real time updates directly on you device",
                "subscribe-prompt",
            ),
            ("Justice Long Overdue: UN Chief", "tail-teaser"),
            (
                "Get real time updates directly on you device",
                "subscribe-prompt",
            ),
            ("Leave A Reply", "comment-form"),
            ("Your email address will not be published.", "comment-form"),
            ("This site uses Akismet to reduce spam.", "comment-form"),
        ]),
        D004 => vec![],
        _ => unreachable!(),
    }
}

#[test]
fn seeds_lose_exactly_their_boilerplate_and_repeats() {
    let env = Env::new();
    let seeds = env.copy_fixture("seeds", "seeds");
    env.run(&["seeds"]).expect(0);
    let report = read_json(&env.path("seeds-clean.report.json"));

    for doc in [D000, D001, D002, D003, D004] {
        let input = fs::read_to_string(seeds.join(doc)).unwrap();
        let spans = segment(&input, 0);
        let removed = common::removals(&report, doc);
        let got: Vec<(String, String)> = removed
            .iter()
            .map(|(para, why)| (spans[*para as usize].of(&input).to_string(), why.clone()))
            .collect();
        let want = expected(doc);
        assert_eq!(got.len(), want.len(), "{doc}: removals {got:#?}");
        for ((text, why), (prefix, want_why)) in got.iter().zip(&want) {
            assert!(
                text.starts_with(prefix),
                "{doc}: removed {text:?}, expected {prefix:?}"
            );
            assert_eq!(why, want_why, "{doc}: reason for {text:?}");
        }

        // Everything else is in the cleaned copy, byte for byte and in order.
        let output = fs::read_to_string(env.path("seeds-clean").join(doc)).unwrap();
        let removed_paras: Vec<usize> = removed.iter().map(|(p, _)| *p as usize).collect();
        let kept: Vec<&str> = spans
            .iter()
            .enumerate()
            .filter(|(i, _)| !removed_paras.contains(i))
            .map(|(_, s)| s.of(&input))
            .collect();
        let out_paras: Vec<&str> = segment(&output, 0).iter().map(|s| s.of(&output)).collect();
        assert_eq!(out_paras, kept, "{doc}: cleaned paragraphs");
    }

    // 004 is unchanged, to the byte.
    assert_eq!(
        fs::read(seeds.join(D004)).unwrap(),
        fs::read(env.path("seeds-clean").join(D004)).unwrap()
    );
}

#[test]
fn seed_headlines_and_bylines_survive() {
    let env = Env::new();
    env.copy_fixture("seeds", "seeds");
    env.run(&["seeds"]).expect(0);
    let out = |doc: &str| fs::read_to_string(env.path("seeds-clean").join(doc)).unwrap();
    assert!(out(D000).starts_with("JNIM Terror Group Seizes Control of Kayes"));
    assert!(out(D000).contains("By Zagazola Makama"));
    assert!(
        out(D002).contains(
            "Series of Coordinated Attacks Target Mali Military Posts\nJihadist assaults"
        )
    );
    assert!(out(D003).starts_with(
        "The Voice of Africa\n\nMali Government Under Pressure After Base Lost to Jihadists"
    ));
}
