//! Criterion benchmarks for `portcullis-matcher`, each next to its baseline in the same run:
//!
//! * `is_match/{ours,regex}/{shape}/{hit,miss}`: one compiled pattern against the resource ids of
//!   the corpus' principals (all of them per iteration), ours with the strategy `Pattern::new`
//!   picks, and a precompiled `regex::Regex`.
//! * `compile/{ours,regex}/{shape}`: `Pattern::new` against `Regex::new` on the same pattern.
//! * `adversarial/{ours,regex}/{case}`: 1,000-character patterns and texts.
//! * `set_query/{ours,regex_set,linear}/{n}`: which of `n` patterns match one principal ARN that
//!   exactly one matches: `PatternSet::for_each_match`, `RegexSet::matches`, and a scan calling
//!   `PrincipalPattern::matches` on every pattern.
//! * `set_build/{ours,regex_set}/{n}`: building the set.
//!
//! Run with `cargo bench -p portcullis-benches --bench matcher`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BatchSize, BenchmarkId, Criterion, criterion_group, criterion_main};
use portcullis_benches::{
    SET_SIZES, SHAPES, adversarial, pattern_set_regex, principal_key, set_patterns, set_probe,
    set_probe_target, to_regex,
};
use portcullis_matcher::{Pattern, PatternSet, PrincipalArn, PrincipalPattern};
use regex::{Regex, RegexSet, RegexSetBuilder};

/// Building a `RegexSet` that takes longer than this (or fails) is not attempted at larger sizes.
const REGEX_SET_BUILD_BUDGET: Duration = Duration::from_secs(10);

/// The `RegexSet`'s compiled-size limit, raised from regex's default of 10 MiB (which a set of
/// about 3,500 of these patterns already exceeds) to give the baseline every chance.
const REGEX_SET_SIZE_LIMIT: usize = 256 << 20;

/// The `RegexSet`'s lazy DFA cache, raised from regex's default of 2 MiB for the same reason.
const REGEX_SET_DFA_SIZE_LIMIT: usize = 64 << 20;

fn build_regex_set(sources: &[String]) -> Result<RegexSet, regex::Error> {
    RegexSetBuilder::new(sources)
        .size_limit(REGEX_SET_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SET_DFA_SIZE_LIMIT)
        .build()
}

fn fast_group<'a>(
    c: &'a mut Criterion,
    name: &str,
) -> criterion::BenchmarkGroup<'a, criterion::measurement::WallTime> {
    let mut group = c.benchmark_group(name);
    group
        .sample_size(50)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2));
    group
}

fn is_match(c: &mut Criterion) {
    let mut group = fast_group(c, "is_match");
    for shape in SHAPES {
        let pattern = PrincipalPattern::parse(shape.pattern).unwrap();
        let source = pattern.resource_id();
        let ours = Pattern::new(source);
        let regex = Regex::new(&to_regex(source)).unwrap();
        for (kind, arns, expected) in [("hit", shape.hits, true), ("miss", shape.misses, false)] {
            let texts: Vec<String> = arns
                .iter()
                .map(|a| PrincipalArn::parse(a).unwrap().resource_id().to_owned())
                .collect();
            for t in &texts {
                assert_eq!(ours.is_match(t), expected, "{} {t}", shape.name);
                assert_eq!(regex.is_match(t), expected, "{} {t}", shape.name);
            }
            let id = format!("{}/{kind}", shape.name);
            group.bench_with_input(BenchmarkId::new("ours", &id), &texts, |b, texts| {
                b.iter(|| texts.iter().filter(|t| ours.is_match(black_box(t))).count());
            });
            group.bench_with_input(BenchmarkId::new("regex", &id), &texts, |b, texts| {
                b.iter(|| {
                    texts
                        .iter()
                        .filter(|t| regex.is_match(black_box(t)))
                        .count()
                });
            });
        }
    }
    group.finish();
}

fn compile(c: &mut Criterion) {
    let mut group = fast_group(c, "compile");
    for shape in SHAPES {
        let pattern = PrincipalPattern::parse(shape.pattern).unwrap();
        let source = pattern.resource_id().to_owned();
        let regex_source = to_regex(&source);
        group.bench_with_input(BenchmarkId::new("ours", shape.name), &source, |b, s| {
            b.iter(|| Pattern::new(black_box(s)));
        });
        group.bench_with_input(
            BenchmarkId::new("regex", shape.name),
            &regex_source,
            |b, s| b.iter(|| Regex::new(black_box(s)).unwrap()),
        );
    }
    group.finish();
}

fn adversarial_cases(c: &mut Criterion) {
    let mut group = c.benchmark_group("adversarial");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2));
    for case in adversarial() {
        let ours = Pattern::new(&case.pattern);
        assert_eq!(ours.is_match(&case.text), case.expected, "{}", case.name);
        eprintln!(
            "adversarial/{}: Pattern::new strategy {:?}",
            case.name,
            ours.strategy()
        );
        group.bench_with_input(BenchmarkId::new("ours", case.name), &case.text, |b, t| {
            b.iter(|| ours.is_match(black_box(t)));
        });
        let started = Instant::now();
        match Regex::new(&to_regex(&case.pattern)) {
            Ok(regex) => {
                eprintln!(
                    "adversarial/{}: Regex::new took {:?}",
                    case.name,
                    started.elapsed()
                );
                assert_eq!(regex.is_match(&case.text), case.expected, "{}", case.name);
                group.bench_with_input(BenchmarkId::new("regex", case.name), &case.text, |b, t| {
                    b.iter(|| regex.is_match(black_box(t)));
                });
            }
            Err(e) => eprintln!("adversarial/{}: Regex::new failed: {e}", case.name),
        }
    }
    group.finish();
}

/// The corpus for one set size: parsed patterns, the probe, and its `RegexSet` form.
struct SetCorpus {
    n: usize,
    patterns: Vec<PrincipalPattern>,
    regex_sources: Vec<String>,
    probe: PrincipalArn,
    probe_key: String,
}

fn set_corpus(n: usize) -> SetCorpus {
    let patterns: Vec<PrincipalPattern> = set_patterns(n)
        .iter()
        .map(|p| PrincipalPattern::parse(p).unwrap())
        .collect();
    let regex_sources = patterns
        .iter()
        .map(|p| {
            pattern_set_regex(
                p.partition().as_str(),
                p.resource_type().as_str(),
                p.resource_id(),
            )
        })
        .collect();
    let probe = PrincipalArn::parse(&set_probe(n)).unwrap();
    let probe_key = principal_key(
        probe.partition().as_str(),
        probe.resource_type().as_str(),
        probe.resource_id(),
    );
    SetCorpus {
        n,
        patterns,
        regex_sources,
        probe,
        probe_key,
    }
}

fn pattern_sets(c: &mut Criterion) {
    let corpora: Vec<SetCorpus> = SET_SIZES.iter().map(|&n| set_corpus(n)).collect();

    // Build the RegexSets up front, from the smallest, and stop at the first size that fails or
    // blows the time budget.
    let mut regex_sets: Vec<Option<(RegexSet, Duration)>> = Vec::new();
    let mut gave_up = false;
    for corpus in &corpora {
        if gave_up {
            eprintln!(
                "set/regex_set/{}: skipped (a smaller size failed)",
                corpus.n
            );
            regex_sets.push(None);
            continue;
        }
        let started = Instant::now();
        let built = build_regex_set(&corpus.regex_sources);
        let took = started.elapsed();
        match built {
            Ok(set) if took <= REGEX_SET_BUILD_BUDGET => {
                eprintln!("set/regex_set/{}: built in {took:?}", corpus.n);
                regex_sets.push(Some((set, took)));
            }
            Ok(_) => {
                eprintln!(
                    "set/regex_set/{}: built in {took:?}, over the {REGEX_SET_BUILD_BUDGET:?} budget; skipped",
                    corpus.n
                );
                gave_up = true;
                regex_sets.push(None);
            }
            Err(e) => {
                let e = e.to_string();
                let e = e.lines().next().unwrap_or_default();
                eprintln!(
                    "set/regex_set/{}: RegexSet::new failed after {took:?}: {e}",
                    corpus.n
                );
                gave_up = true;
                regex_sets.push(None);
            }
        }
    }

    let mut group = fast_group(c, "set_query");
    for (corpus, regex_set) in corpora.iter().zip(&regex_sets) {
        let target = set_probe_target(corpus.n);
        let set = PatternSet::new(corpus.patterns.iter().cloned().zip(0usize..));
        let mut found = Vec::new();
        set.for_each_match(&corpus.probe, |i| found.push(i));
        assert_eq!(found, vec![target]);
        let linear: Vec<usize> = (0..corpus.n)
            .filter(|&i| corpus.patterns[i].matches(&corpus.probe))
            .collect();
        assert_eq!(linear, vec![target]);

        let probe = &corpus.probe;
        group.bench_with_input(BenchmarkId::new("ours", corpus.n), probe, |b, probe| {
            b.iter(|| {
                let mut sum = 0usize;
                set.for_each_match(black_box(probe), |i| sum += i);
                sum
            });
        });
        if let Some((regex_set, _)) = regex_set {
            let hits: Vec<usize> = regex_set.matches(&corpus.probe_key).iter().collect();
            assert_eq!(hits, vec![target]);
            group.bench_with_input(
                BenchmarkId::new("regex_set", corpus.n),
                &corpus.probe_key,
                |b, key| b.iter(|| regex_set.matches(black_box(key)).iter().sum::<usize>()),
            );
        }
        group.bench_with_input(BenchmarkId::new("linear", corpus.n), probe, |b, probe| {
            b.iter(|| {
                let probe = black_box(probe);
                corpus
                    .patterns
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| p.matches(probe))
                    .map(|(i, _)| i)
                    .sum::<usize>()
            });
        });
    }
    group.finish();

    let mut group = c.benchmark_group("set_build");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    for (corpus, regex_set) in corpora.iter().zip(&regex_sets) {
        group.bench_with_input(
            BenchmarkId::new("ours", corpus.n),
            &corpus.patterns,
            |b, patterns| {
                b.iter_batched(
                    || patterns.clone(),
                    |patterns| PatternSet::new(patterns.into_iter().zip(0usize..)),
                    BatchSize::LargeInput,
                );
            },
        );
        // Benchmark the RegexSet build only where one build is quick enough to repeat.
        let quick = regex_set
            .as_ref()
            .is_some_and(|(_, took)| *took < Duration::from_millis(500));
        if quick {
            group.bench_with_input(
                BenchmarkId::new("regex_set", corpus.n),
                &corpus.regex_sources,
                |b, sources| b.iter(|| build_regex_set(sources).unwrap()),
            );
        }
    }
    group.finish();
}

criterion_group!(benches, is_match, compile, adversarial_cases, pattern_sets);
criterion_main!(benches);
