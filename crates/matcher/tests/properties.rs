//! Property tests, 10,000 cases per property: the wildcard engine agrees with the regex oracle,
//! `WildcardSet` and `PatternSet` agree with checking each pattern alone, and parse → display →
//! parse round-trips.
//! (Each internal engine is checked against the oracle by the unit tests in `src/pattern.rs`.)

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use portcullis_matcher::{Arn, Pattern, PatternSet, PrincipalArn, PrincipalPattern, WildcardSet};
use proptest::prelude::*;
use proptest::test_runner::Config;

/// A small alphabet, so that literals collide and texts match often; `é` checks that `?`
/// counts characters, not bytes.
const ALPHABET: [char; 6] = ['a', 'b', '/', '-', 'é', '*'];

#[derive(Clone, Debug)]
enum Piece {
    Char(char),
    Star,
    Opt,
}

fn piece() -> impl Strategy<Value = Piece> {
    prop_oneof![
        4 => prop::sample::select(&ALPHABET[..5]).prop_map(Piece::Char),
        1 => Just(Piece::Star),
        1 => Just(Piece::Opt),
    ]
}

fn render(pieces: &[Piece]) -> String {
    pieces
        .iter()
        .map(|p| match p {
            Piece::Char(c) => *c,
            Piece::Star => '*',
            Piece::Opt => '?',
        })
        .collect()
}

fn any_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(&ALPHABET[..]), 0..16)
        .prop_map(|v| v.into_iter().collect())
}

/// A pattern and a text derived from it: each `*` replaced by a random run, each `?` by zero or
/// one character, then, half of the time, one random edit. About half of these texts match.
fn pattern_and_derived_text() -> impl Strategy<Value = (String, String)> {
    prop::collection::vec(piece(), 0..14).prop_flat_map(|pieces| {
        let n = pieces.len();
        (
            Just(pieces),
            prop::collection::vec(
                any_text().prop_map(|t| t.chars().take(4).collect::<String>()),
                n,
            ),
            prop::collection::vec(prop::option::of(prop::sample::select(&ALPHABET[..])), n),
            prop::option::of((
                any::<prop::sample::Index>(),
                prop::option::of(prop::sample::select(&ALPHABET[..])),
            )),
        )
            .prop_map(|(pieces, runs, opts, edit)| {
                let mut text: Vec<char> = Vec::new();
                for ((piece, run), opt) in pieces.iter().zip(&runs).zip(&opts) {
                    match piece {
                        Piece::Char(c) => text.push(*c),
                        Piece::Star => text.extend(run.chars()),
                        Piece::Opt => text.extend(opt.iter()),
                    }
                }
                if let Some((at, replacement)) = edit {
                    let at = at.index(text.len() + 1);
                    match replacement {
                        Some(c) if at < text.len() => text[at] = c,
                        Some(c) => text.push(c),
                        None if at < text.len() => {
                            text.remove(at);
                        }
                        None => text.insert(0, 'b'),
                    }
                }
                (render(&pieces), text.into_iter().collect())
            })
    })
}

fn config() -> Config {
    Config {
        cases: 10_000,
        failure_persistence: None,
        ..Config::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn pattern_agrees_with_regex_on_derived_texts((pattern, text) in pattern_and_derived_text()) {
        let expected = common::oracle(&pattern).is_match(&text);
        prop_assert_eq!(Pattern::new(&pattern).is_match(&text), expected);
    }

    #[test]
    fn wildcard_set_agrees_with_checking_each_pattern_alone(
        patterns in prop::collection::vec(prop::collection::vec(piece(), 0..8), 0..24),
        derived in pattern_and_derived_text(),
        texts in prop::collection::vec(any_text(), 1..6),
    ) {
        let (extra, derived_text) = derived;
        let mut patterns: Vec<String> = patterns.iter().map(|p| render(p)).collect();
        patterns.push(extra);
        let compiled: Vec<Pattern> = patterns.iter().map(|p| Pattern::new(p)).collect();
        let set: WildcardSet<usize> = patterns.iter().zip(0..).collect();
        for text in texts.iter().chain([&derived_text]) {
            let expected: Vec<usize> =
                (0..compiled.len()).filter(|&i| compiled[i].is_match(text)).collect();
            let found: Vec<usize> = set.matches(text).into_iter().copied().collect();
            prop_assert_eq!(&found, &expected, "{:?} on {:?}", &patterns, text);
            prop_assert_eq!(set.is_match(text), !expected.is_empty());
            let mut each = Vec::new();
            set.for_each_match(text, |i| each.push(i));
            each.sort_unstable();
            prop_assert_eq!(each, expected);
        }
    }

    #[test]
    fn pattern_agrees_with_regex_on_random_texts(pieces in prop::collection::vec(piece(), 0..10), text in any_text()) {
        let pattern = render(&pieces);
        prop_assert_eq!(Pattern::new(&pattern).is_match(&text), common::oracle(&pattern).is_match(&text));
    }
}

/// Resource ids for principal patterns and ARNs: printable ASCII, with the pattern side adding
/// wildcards.
fn resource_name() -> impl Strategy<Value = String> {
    "[a-c]{1,3}(/[a-c]{1,3}){0,2}"
}

fn principal_pattern() -> impl Strategy<Value = String> {
    (
        prop::sample::select(&["aws", "aws-cn"][..]),
        prop::sample::select(&["user", "role", "group"][..]),
        "[a-c/*?]{1,6}",
    )
        .prop_map(|(partition, kind, id)| format!("arn:{partition}:iam:::{kind}/{id}"))
}

fn principal_arn() -> impl Strategy<Value = String> {
    (
        prop::sample::select(&["aws", "aws-cn"][..]),
        "[0-9]{12}",
        prop::sample::select(&["user", "role", "group"][..]),
        resource_name(),
    )
        .prop_map(|(partition, account, kind, id)| {
            format!("arn:{partition}:iam::{account}:{kind}/{id}")
        })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn pattern_set_agrees_with_checking_each_pattern_alone(
        patterns in prop::collection::vec(principal_pattern(), 0..40),
        arns in prop::collection::vec(principal_arn(), 1..8),
    ) {
        let patterns: Vec<PrincipalPattern> = patterns.iter().map(|p| PrincipalPattern::parse(p).unwrap()).collect();
        let set = PatternSet::new(patterns.iter().cloned().enumerate().map(|(i, p)| (p, i)));
        for arn in &arns {
            let arn = PrincipalArn::parse(arn).unwrap();
            let expected: Vec<usize> = (0..patterns.len()).filter(|&i| patterns[i].matches(&arn)).collect();
            let found: Vec<usize> = set.matches(&arn).into_iter().copied().collect();
            prop_assert_eq!(&found, &expected, "{}", arn);
            prop_assert_eq!(set.is_match(&arn), !expected.is_empty());
        }
    }

    #[test]
    fn principal_arn_parse_display_parse_round_trips(s in principal_arn()) {
        let arn = PrincipalArn::parse(&s).unwrap();
        prop_assert_eq!(arn.to_string(), s.clone());
        prop_assert_eq!(PrincipalArn::parse(&arn.to_string()).unwrap(), arn.clone());
        let rebuilt = format!("arn:{}:iam::{}:{}{}{}", arn.partition(), arn.account(), arn.resource_type(), arn.path(), arn.name());
        prop_assert_eq!(rebuilt, s);
    }

    #[test]
    fn principal_pattern_parse_display_parse_round_trips(s in principal_pattern()) {
        let pattern = PrincipalPattern::parse(&s).unwrap();
        prop_assert_eq!(pattern.to_string(), s.clone());
        prop_assert_eq!(PrincipalPattern::parse(&pattern.to_string()).unwrap(), pattern.clone());
        let rebuilt = format!("arn:{}:iam:::{}/{}", pattern.partition(), pattern.resource_type(), pattern.resource_id());
        prop_assert_eq!(rebuilt, s);
    }

    #[test]
    fn arn_parse_display_round_trips_on_any_input(s in "(arn:)?[a-z*?:/-]{0,30}") {
        if let Ok(arn) = Arn::parse(&s) {
            prop_assert_eq!(arn.to_string(), s.clone());
            let rebuilt = format!("arn:{}:{}:{}:{}:{}", arn.partition(), arn.service(), arn.region(), arn.account(), arn.resource());
            prop_assert_eq!(rebuilt, s.clone());
        }
        // Never a panic, whatever the input, for the stricter parsers either.
        let _ = PrincipalArn::parse(&s);
        let _ = PrincipalPattern::parse(&s);
    }
}
