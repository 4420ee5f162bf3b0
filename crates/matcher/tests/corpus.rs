//! The data-driven corpora under `testdata/`, run against the chosen strategy and the regex
//! oracle, and through the sets: each row's pattern alone in a `WildcardSet` or `PatternSet`, and
//! among every other pattern of its corpus. (The unit tests in `src/pattern.rs` run the wildcard
//! corpus through every internal engine as well.)

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use portcullis_matcher::{
    Pattern, PatternSet, PrincipalArn, PrincipalPattern, ResourceType, WildcardSet,
};
use serde::Deserialize;

#[derive(Deserialize)]
struct Cases {
    case: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    pattern: String,
    #[serde(default)]
    matches: Vec<String>,
    #[serde(default)]
    rejects: Vec<String>,
}

fn load<T: for<'de> Deserialize<'de>>(file: &str) -> T {
    let path = format!("{}/testdata/{file}", env!("CARGO_MANIFEST_DIR"));
    toml::from_str(&std::fs::read_to_string(&path).unwrap())
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn expectations(case: &Case) -> impl Iterator<Item = (&str, bool)> {
    case.matches
        .iter()
        .map(|t| (t.as_str(), true))
        .chain(case.rejects.iter().map(|t| (t.as_str(), false)))
}

/// Every row against the chosen strategy and the regex oracle.
#[test]
fn wildcard_corpus_holds_for_the_chosen_strategy_and_the_oracle() {
    let cases: Cases = load("wildcards.toml");
    assert!(cases.case.len() >= 20);
    for case in &cases.case {
        let chosen = Pattern::new(&case.pattern);
        let oracle = common::oracle(&case.pattern);
        for (text, expected) in expectations(case) {
            let what = format!(
                "case `{}`: pattern `{}` on `{text}`",
                case.name, case.pattern
            );
            assert_eq!(
                chosen.is_match(text),
                expected,
                "{what} ({:?})",
                chosen.strategy()
            );
            assert_eq!(oracle.is_match(text), expected, "{what} (regex oracle)");
        }
    }
}

#[test]
fn principal_corpus_holds_for_the_chosen_strategy_and_the_oracle() {
    let cases: Cases = load("principals.toml");
    for case in &cases.case {
        let pattern = PrincipalPattern::parse(&case.pattern).unwrap();
        let oracle = common::oracle(pattern.resource_id());
        for (text, expected) in expectations(case) {
            let arn = PrincipalArn::parse(text).unwrap();
            let what = format!("case `{}`: `{}` against `{text}`", case.name, case.pattern);
            assert_eq!(pattern.matches(&arn), expected, "{what}");
            let same_kind = arn.partition() == pattern.partition()
                && arn.resource_type() == pattern.resource_type();
            assert_eq!(
                same_kind && oracle.is_match(arn.resource_id()),
                expected,
                "{what} (regex oracle)"
            );
        }
    }
}

/// Every row through a `WildcardSet`: the pattern alone, and among every pattern of the corpus,
/// where the set must report exactly the patterns whose regex oracle matches.
#[test]
fn wildcard_corpus_holds_through_wildcard_sets() {
    let cases: Cases = load("wildcards.toml");
    let patterns: Vec<&str> = cases.case.iter().map(|c| c.pattern.as_str()).collect();
    let oracles: Vec<regex::Regex> = patterns.iter().map(|p| common::oracle(p)).collect();
    let all: WildcardSet<usize> = patterns.iter().copied().zip(0..).collect();
    assert_eq!(all.len(), patterns.len());
    for (i, case) in cases.case.iter().enumerate() {
        let alone = WildcardSet::new([(case.pattern.as_str(), i)]);
        for (text, expected) in expectations(case) {
            let what = format!("case `{}`: `{}` on `{text}`", case.name, case.pattern);
            assert_eq!(alone.is_match(text), expected, "{what} (alone)");
            let found: Vec<usize> = alone.matches(text).into_iter().copied().collect();
            assert_eq!(
                found,
                if expected { vec![i] } else { vec![] },
                "{what} (alone)"
            );
            let want: Vec<usize> = (0..patterns.len())
                .filter(|&j| oracles[j].is_match(text))
                .collect();
            let found: Vec<usize> = all.matches(text).into_iter().copied().collect();
            assert_eq!(found, want, "{what} (among all)");
            assert_eq!(found.contains(&i), expected, "{what} (among all)");
            assert_eq!(all.is_match(text), !want.is_empty(), "{what} (among all)");
        }
    }
}

/// Every row through a `PatternSet`: the pattern alone, and among every pattern of the corpus
/// (several partitions and resource types), where the set must report exactly the patterns that
/// match one by one.
#[test]
fn principal_corpus_holds_through_pattern_sets() {
    let cases: Cases = load("principals.toml");
    let patterns: Vec<PrincipalPattern> = cases
        .case
        .iter()
        .map(|c| PrincipalPattern::parse(&c.pattern).unwrap())
        .collect();
    let all = PatternSet::new(patterns.iter().cloned().zip(0usize..));
    for (i, case) in cases.case.iter().enumerate() {
        let alone = PatternSet::new([(patterns[i].clone(), i)]);
        for (text, expected) in expectations(case) {
            let arn = PrincipalArn::parse(text).unwrap();
            let what = format!("case `{}`: `{}` against `{text}`", case.name, case.pattern);
            assert_eq!(alone.is_match(&arn), expected, "{what} (alone)");
            let found: Vec<usize> = alone.matches(&arn).into_iter().copied().collect();
            assert_eq!(
                found,
                if expected { vec![i] } else { vec![] },
                "{what} (alone)"
            );
            let want: Vec<usize> = (0..patterns.len())
                .filter(|&j| patterns[j].matches(&arn))
                .collect();
            let found: Vec<usize> = all.matches(&arn).into_iter().copied().collect();
            assert_eq!(found, want, "{what} (among all)");
            assert_eq!(found.contains(&i), expected, "{what} (among all)");
            assert_eq!(all.is_match(&arn), !want.is_empty(), "{what} (among all)");
        }
    }
}

#[derive(Deserialize)]
struct RealWorld {
    arn: Vec<RealArn>,
}

#[derive(Deserialize)]
struct RealArn {
    text: String,
    #[serde(rename = "type")]
    resource_type: String,
    path: String,
    name: String,
}

#[test]
fn real_world_principal_arns_parse_and_print_back_identically() {
    let corpus: RealWorld = load("real_world_arns.toml");
    assert!(corpus.arn.len() >= 15);
    for row in &corpus.arn {
        let arn = PrincipalArn::parse(&row.text).unwrap_or_else(|e| panic!("`{}`: {e}", row.text));
        assert_eq!(arn.to_string(), row.text);
        assert_eq!(arn.resource_type().as_str(), row.resource_type);
        assert_eq!(arn.path(), row.path, "{}", row.text);
        assert_eq!(arn.name(), row.name, "{}", row.text);
        assert_eq!(arn.account(), "123456789012");
        assert_eq!(PrincipalArn::parse(&arn.to_string()).unwrap(), arn);
        assert!(ResourceType::ALL.contains(&arn.resource_type()));
        // The pattern that names the principal exactly, in any account, matches it.
        let exact = format!(
            "arn:{}:iam:::{}/{}",
            arn.partition(),
            arn.resource_type(),
            arn.resource_id()
        );
        assert!(
            PrincipalPattern::parse(&exact).unwrap().matches(&arn),
            "{exact}"
        );
    }
}
