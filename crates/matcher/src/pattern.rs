//! The wildcard engine on plain strings: `*` matches any run of characters, `?` matches zero or
//! one character, everything else matches itself.

use std::fmt;

use crate::nfa::Nfa;
use crate::search::{Finder, same};
use crate::segments::{Part, Segments, at_most_chars};
use crate::syntax::{Token, literal, literal_head, literal_tail, longest_literal, tokenize};

/// A compiled wildcard pattern.
///
/// `*` matches any run of characters (including none, and including `/`), `?` matches zero or one
/// character, and every other character matches itself, case-sensitively. There is no escape
/// character: IAM_PATTERN has none. Characters are Unicode scalar values, exactly as in the regex
/// `^(?s:…)$` where `*` becomes `.*` and `?` becomes `.?`.
///
/// The pattern is compiled once, choosing the cheapest strategy that decides it (see
/// [`Strategy`]); [`Pattern::is_match`] runs in time linear in the text for every strategy, so no
/// pattern can make matching blow up, and allocates nothing on all but pathological texts (see
/// the crate documentation).
///
/// ```
/// use portcullis_matcher::{Pattern, Strategy};
///
/// let p = Pattern::new("*/Team?-Admin*");
/// assert_eq!(p.strategy(), Strategy::General);
/// assert!(p.is_match("ops/Team7-Admin"));
/// assert!(p.is_match("ops/eu/Team-AdminRole"));
/// assert!(!p.is_match("Team7-Admin"));
///
/// assert_eq!(Pattern::new("Dev*").strategy(), Strategy::Prefix);
/// ```
#[derive(Clone)]
pub struct Pattern {
    source: Box<str>,
    matcher: Matcher,
}

/// How a compiled [`Pattern`] decides a match, chosen once at compile time.
///
/// Runs of wildcards that hold at least one `*` are first collapsed to a single `*` (they match
/// exactly what `*` matches), then the shape of what remains picks the strategy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Strategy {
    /// No wildcard: the text must equal the pattern.
    Exact,
    /// `literal*`: the text must start with the literal.
    Prefix,
    /// `*literal`: the text must end with the literal.
    Suffix,
    /// `prefix*suffix`: both, without the two overlapping.
    PrefixSuffix,
    /// `*literal*`: the text must contain the literal.
    Contains,
    /// `*` alone: every text matches.
    StarOnly,
    /// Anything else: the literal prefix and suffix are checked, then what lies between them
    /// in the text (the middle). A middle of `?` alone is checked by its length; otherwise the
    /// pattern's middle is split at its `*`s into segments of literals and `?`, and each segment
    /// is found by searching for its longest literal and checking the few characters around
    /// it. Patterns whose segments could match in too many ways, and texts that would take too
    /// many such checks, go to a bit-parallel automaton. Every path is linear in the text.
    General,
}

#[derive(Clone)]
enum Matcher {
    Exact(Box<str>),
    Prefix(Box<str>),
    Suffix(Box<str>),
    PrefixSuffix(Box<str>, Box<str>),
    Contains(Box<Finder>),
    StarOnly,
    /// `prefix` then at most `n` characters then `suffix`: a general pattern whose middle is `?`
    /// alone (`App?Role`), checked as a prefix and a suffix and a length.
    Bounded(Box<str>, Box<str>, usize),
    /// A general pattern with `*`, its segments each matching in few ways (`*/Team?-Admin*`).
    Segments(Box<Segments>),
    General(Box<General>),
}

#[derive(Clone)]
struct General {
    prefix: Box<str>,
    suffix: Box<str>,
    middle: Middle,
}

/// How [`General`] matches what lies between the literal prefix and suffix.
#[derive(Clone)]
enum Middle {
    /// A star-free middle of literals and `?` runs that matches in few ways: each is tried.
    Part(Part),
    /// The bit-parallel automaton, for any middle. `required` is its longest literal run, which
    /// every matching middle contains: one substring search rejects most texts that do not
    /// match before the automaton runs.
    Nfa {
        nfa: Nfa,
        required: Option<Box<Finder>>,
    },
}

impl Pattern {
    /// Compiles a pattern, choosing its [`Strategy`]. Every string is a valid pattern.
    pub fn new(pattern: &str) -> Pattern {
        let tokens = tokenize(pattern);
        let stars = tokens.iter().filter(|t| **t == Token::Star).count();
        let has_opt = tokens.contains(&Token::Opt);
        let matcher = match (stars, has_opt) {
            (0, false) => literal(&tokens).map(|l| Matcher::Exact(l.into())),
            (1, false) => single_star(&tokens),
            (2, false) => match (tokens.first(), tokens.last()) {
                (Some(Token::Star), Some(Token::Star)) => tokens
                    .get(1..tokens.len() - 1)
                    .and_then(literal)
                    .map(|l| Matcher::Contains(Box::new(Finder::new(l.as_bytes())))),
                _ => None,
            },
            _ => None,
        };
        let matcher = matcher.unwrap_or_else(|| General::matcher(&tokens));
        Pattern {
            source: pattern.into(),
            matcher,
        }
    }

    /// Compiles a pattern with the [`Strategy::General`] engine whatever its shape, and always
    /// with its bit-parallel automaton and no prefilter: the plain engine the others are tested
    /// against.
    #[cfg(test)]
    pub(crate) fn new_general(pattern: &str) -> Pattern {
        let tokens = tokenize(pattern);
        let head = literal_head(&tokens);
        let tail = literal_tail(tokens.get(head..).unwrap_or_default());
        let middle = tokens.get(head..tokens.len() - tail).unwrap_or_default();
        Pattern {
            source: pattern.into(),
            matcher: Matcher::General(Box::new(General {
                prefix: literal(tokens.get(..head).unwrap_or_default())
                    .unwrap_or_default()
                    .into(),
                suffix: literal(tokens.get(tokens.len() - tail..).unwrap_or_default())
                    .unwrap_or_default()
                    .into(),
                middle: Middle::Nfa {
                    nfa: Nfa::new(middle),
                    required: None,
                },
            })),
        }
    }

    /// The pattern as it was written.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// The strategy chosen at compile time.
    pub fn strategy(&self) -> Strategy {
        match self.matcher {
            Matcher::Exact(_) => Strategy::Exact,
            Matcher::Prefix(_) => Strategy::Prefix,
            Matcher::Suffix(_) => Strategy::Suffix,
            Matcher::PrefixSuffix(..) => Strategy::PrefixSuffix,
            Matcher::Contains(_) => Strategy::Contains,
            Matcher::StarOnly => Strategy::StarOnly,
            Matcher::Bounded(..) | Matcher::Segments(_) | Matcher::General(_) => Strategy::General,
        }
    }

    /// Whether the whole of `text` matches the pattern.
    #[inline]
    pub fn is_match(&self, text: &str) -> bool {
        match &self.matcher {
            Matcher::Exact(l) => same(text.as_bytes(), l.as_bytes()),
            Matcher::Prefix(p) => starts_with(text, p),
            Matcher::Suffix(s) => ends_with(text, s),
            Matcher::PrefixSuffix(p, s) => {
                (text.len() >= p.len() + s.len()) & starts_with(text, p) & ends_with(text, s)
            }
            Matcher::Contains(f) => contains(f, text),
            Matcher::StarOnly => true,
            Matcher::Bounded(p, s, n) => {
                // The middle's length first: `n` characters take at most `4 * n` bytes. Then both
                // ends, with one branch for the two.
                let (lp, ls) = (p.len(), s.len());
                let middle = text.len().wrapping_sub(lp + ls);
                if middle > n.saturating_mul(4) || !(starts_with(text, p) & ends_with(text, s)) {
                    return false;
                }
                middle <= *n
                    || text
                        .as_bytes()
                        .get(lp..lp + middle)
                        .is_some_and(|middle| at_most_chars(middle, *n))
            }
            Matcher::Segments(s) => s.is_match(text),
            Matcher::General(g) => g.is_match(text),
        }
    }

    /// The longest run of literal characters in the pattern, the part every matching text must
    /// contain. [`crate::PatternSet`] indexes it.
    pub(crate) fn longest_literal(&self) -> String {
        longest_literal(&tokenize(&self.source))
    }

    /// The literal the text must equal, if the pattern has no wildcard.
    pub(crate) fn exact_literal(&self) -> Option<&str> {
        match &self.matcher {
            Matcher::Exact(l) => Some(l),
            _ => None,
        }
    }
}

/// [`Strategy::Contains`]: out of line, so that the simple strategies inlined into callers keep
/// their registers.
#[inline(never)]
fn contains(finder: &Finder, text: &str) -> bool {
    finder.find(text.as_bytes()).is_some()
}

/// `text.starts_with(prefix)`, without a call to `memcmp`.
#[inline]
fn starts_with(text: &str, prefix: &str) -> bool {
    text.as_bytes()
        .get(..prefix.len())
        .is_some_and(|head| same(head, prefix.as_bytes()))
}

/// `text.ends_with(suffix)`, without a call to `memcmp`.
#[inline]
fn ends_with(text: &str, suffix: &str) -> bool {
    text.len()
        .checked_sub(suffix.len())
        .and_then(|start| text.as_bytes().get(start..))
        .is_some_and(|tail| same(tail, suffix.as_bytes()))
}

/// `prefix*suffix` with either side possibly empty.
fn single_star(tokens: &[Token]) -> Option<Matcher> {
    let star = tokens.iter().position(|t| *t == Token::Star)?;
    let prefix = literal(tokens.get(..star)?)?;
    let suffix = literal(tokens.get(star + 1..)?)?;
    Some(match (prefix.is_empty(), suffix.is_empty()) {
        (true, true) => Matcher::StarOnly,
        (false, true) => Matcher::Prefix(prefix.into()),
        (true, false) => Matcher::Suffix(suffix.into()),
        (false, false) => Matcher::PrefixSuffix(prefix.into(), suffix.into()),
    })
}

impl General {
    /// The matcher for a pattern of any shape: its literal prefix and suffix, and the cheapest
    /// engine that decides the middle between them, which holds a wildcard.
    fn matcher(tokens: &[Token]) -> Matcher {
        let head = literal_head(tokens);
        let rest = tokens.get(head..).unwrap_or_default();
        let tail = literal_tail(rest);
        let middle = rest.get(..rest.len() - tail).unwrap_or_default();
        let prefix: Box<str> = literal(tokens.get(..head).unwrap_or_default())
            .unwrap_or_default()
            .into();
        let suffix: Box<str> = literal(rest.get(rest.len() - tail..).unwrap_or_default())
            .unwrap_or_default()
            .into();
        if middle.iter().all(|t| *t == Token::Opt) {
            return Matcher::Bounded(prefix, suffix, middle.len());
        }
        if middle.contains(&Token::Star) {
            // The segments take the literal prefix and suffix in their first and last one.
            if let Some(segments) = Segments::new(tokens) {
                return Matcher::Segments(Box::new(segments));
            }
        }
        Matcher::General(Box::new(General {
            prefix,
            suffix,
            middle: Middle::new(middle),
        }))
    }

    /// Out of line, like [`contains`], so that the simple strategies inlined into callers keep
    /// their registers.
    #[inline(never)]
    fn is_match(&self, text: &str) -> bool {
        // No `memcmp` here (see `same`): besides its call, comparing against an empty `Box<str>`
        // passes it a dangling pointer, and glibc's AVX-512 `memcmp` does a masked load there
        // that faults and is suppressed by a microcode assist of about 100 ns.
        let (p, s) = (self.prefix.len(), self.suffix.len());
        // `&`, not `||`: texts that fail on either end cost one branch, not two.
        if !((text.len() >= p + s)
            & starts_with(text, &self.prefix)
            & ends_with(text, &self.suffix))
        {
            return false;
        }
        // Both ends are characters of the pattern, so both cuts are on character boundaries.
        self.middle.is_match(text, p, text.len() - s)
    }
}

impl Middle {
    /// The cheapest engine that decides `middle`, which holds a wildcard and not only `?`.
    fn new(middle: &[Token]) -> Middle {
        Part::new(middle).map(Middle::Part).unwrap_or_else(|| {
            let required = Some(longest_literal(middle))
                .filter(|l| l.len() >= 2)
                .map(|l| Box::new(Finder::new(l.as_bytes())));
            Middle::Nfa {
                nfa: Nfa::new(middle),
                required,
            }
        })
    }

    /// Whether `text[start..end]`, between two character boundaries, matches the middle.
    #[inline]
    fn is_match(&self, text: &str, start: usize, end: usize) -> bool {
        let middle = || text.as_bytes().get(start..end).unwrap_or_default();
        match self {
            Middle::Part(part) => part.matches(middle()),
            Middle::Nfa { nfa, required } => {
                required.as_ref().is_none_or(|r| r.find(middle()).is_some())
                    && text.get(start..end).is_some_and(|m| nfa.is_match(m))
            }
        }
    }
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pattern")
            .field("source", &self.source)
            .field("strategy", &self.strategy())
            .finish()
    }
}

impl AsRef<Pattern> for Pattern {
    fn as_ref(&self) -> &Pattern {
        self
    }
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Pattern) -> bool {
        self.source == other.source
    }
}

impl Eq for Pattern {}

impl std::hash::Hash for Pattern {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.source.hash(state);
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::{Just, any, prop, prop_assert_eq, prop_oneof, proptest};
    use proptest::strategy::Strategy as _;
    use proptest::test_runner::Config;
    use serde::Deserialize;

    use super::*;

    impl Pattern {
        /// Like [`Pattern::new`], but a middle of segments sends every text with an inner segment
        /// to the automaton, as when its budget runs out.
        fn new_starved(pattern: &str) -> Pattern {
            let mut compiled = Pattern::new(pattern);
            if let Matcher::Segments(segments) = &mut compiled.matcher {
                **segments = (**segments).clone().with_budget(0);
            }
            compiled
        }

        /// The engine `Pattern::new` picked for a general pattern's middle.
        fn middle_engine(&self) -> Option<&'static str> {
            match &self.matcher {
                Matcher::Bounded(..) => Some("at most"),
                Matcher::Segments(_) => Some("segments"),
                Matcher::General(general) => Some(match general.middle {
                    Middle::Part(_) => "part",
                    Middle::Nfa { .. } => "automaton",
                }),
                _ => None,
            }
        }
    }

    /// Every engine that can decide `pattern`: the one `Pattern::new` picks, the automaton, and
    /// the segments' fallback to it.
    fn engines(pattern: &str) -> [(&'static str, Pattern); 3] {
        [
            ("chosen", Pattern::new(pattern)),
            ("automaton", Pattern::new_general(pattern)),
            ("starved", Pattern::new_starved(pattern)),
        ]
    }

    /// The regex AWS documents for a pattern: `*` → `.*`, `?` → `.?`, anchored.
    fn oracle(pattern: &str) -> regex::Regex {
        let mut re = String::from("^(?s:");
        for c in pattern.chars() {
            match c {
                '*' => re.push_str(".*"),
                '?' => re.push_str(".?"),
                c => re.push_str(&regex::escape(c.encode_utf8(&mut [0; 4]))),
            }
        }
        re.push_str(")$");
        regex::RegexBuilder::new(&re)
            .size_limit(1 << 28)
            .build()
            .unwrap()
    }

    fn check(pattern: &str, text: &str, expected: bool) {
        for (engine, compiled) in engines(pattern) {
            assert_eq!(
                compiled.is_match(text),
                expected,
                "{pattern:?} on {text:?} with the {engine} engine ({:?}, middle {:?})",
                compiled.strategy(),
                compiled.middle_engine()
            );
        }
    }

    #[test]
    fn strategies_are_chosen_by_shape() {
        let cases = [
            ("", Strategy::Exact),
            ("abc", Strategy::Exact),
            ("abc*", Strategy::Prefix),
            ("*abc", Strategy::Suffix),
            ("ab*c", Strategy::PrefixSuffix),
            ("*abc*", Strategy::Contains),
            ("*", Strategy::StarOnly),
            ("*?**", Strategy::StarOnly),
            ("a?c", Strategy::General),
            ("*a*b*", Strategy::General),
            ("a*b*c", Strategy::General),
        ];
        for (pattern, strategy) in cases {
            assert_eq!(Pattern::new(pattern).strategy(), strategy, "{pattern}");
        }
    }

    #[test]
    fn general_middles_get_the_cheapest_engine_that_decides_them() {
        let cases = [
            ("App?Role", "at most"),
            ("a???", "at most"),
            ("a?b?c", "part"),
            ("?x?", "part"),
            ("*/Team?-Admin*", "segments"),
            ("*-prod-*-Reader", "segments"),
            ("x*ab*ab*y", "segments"),
            ("a?b*c", "segments"),
            ("a?b*", "segments"),
            ("a?b?c?d?e", "part"),
            ("a?b?c?d?e?f", "automaton"),
            ("*a?b?c?d?e*", "segments"),
            ("*a?b?c?d?e?f*", "automaton"),
        ];
        for (pattern, engine) in cases {
            assert_eq!(
                Pattern::new(pattern).middle_engine(),
                Some(engine),
                "{pattern}"
            );
        }
    }

    #[test]
    fn segment_middles_agree_with_the_automaton() {
        let cases = [
            ("*aba*aba*", "ababa", false),
            ("*aba*aba*", "abaaba", true),
            ("x*ab*ab*y", "xababy", true),
            ("x*ab*ab*y", "xaby", false),
            ("*-prod-*-Reader", "eu/app-prod-db-Reader", true),
            ("*-prod-*-Reader", "app-production-Reader", false),
            ("a*é*b", "aéb", true),
            ("a*é*b", "ab", false),
            ("*/Team?-Admin*", "ops/Team7-Admin", true),
            ("*/Team?-Admin*", "ops/Team77-Admin", false),
            ("*a?b*", "aab", true),
            ("*a?b*c", "aabc", true),
            ("*a?b*c", "aacb", false),
            ("?é*é?", "é", false),
            ("?é*é?", "éé", true),
            ("?é*é?", "xééx", true),
            ("App?Role", "AppéRole", true),
            ("App?Role", "AppééRole", false),
        ];
        for (pattern, text, expected) in cases {
            assert_eq!(
                oracle(pattern).is_match(text),
                expected,
                "{pattern} on {text}"
            );
            check(pattern, text, expected);
        }
    }

    #[derive(Deserialize)]
    struct Corpus {
        case: Vec<Case>,
    }

    #[derive(Deserialize)]
    struct Case {
        pattern: String,
        #[serde(default)]
        matches: Vec<String>,
        #[serde(default)]
        rejects: Vec<String>,
    }

    /// The shared corpus (`tests/corpus.rs` runs it through the public API) through every
    /// engine, which the public API does not reach.
    #[test]
    fn wildcard_corpus_holds_for_every_engine() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/wildcards.toml");
        let corpus: Corpus = toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        for case in &corpus.case {
            for text in &case.matches {
                check(&case.pattern, text, true);
            }
            for text in &case.rejects {
                check(&case.pattern, text, false);
            }
        }
    }

    #[test]
    fn longest_literal_is_the_longest_wildcard_free_run() {
        assert_eq!(Pattern::new("*/Team?-Admin*").longest_literal(), "-Admin");
        assert_eq!(Pattern::new("Developer*").longest_literal(), "Developer");
        assert_eq!(Pattern::new("*?").longest_literal(), "");
    }

    /// A small alphabet, so that literals collide and texts match often; `é` and `€` check that
    /// `?` counts characters, not bytes.
    const ALPHABET: [char; 6] = ['a', 'b', '/', 'é', '€', '-'];

    fn pattern() -> impl proptest::strategy::Strategy<Value = String> {
        prop::collection::vec(
            prop_oneof![
                5 => prop::sample::select(&ALPHABET[..]),
                2 => Just('*'),
                2 => Just('?'),
            ],
            0..16,
        )
        .prop_map(|v| v.into_iter().collect())
    }

    fn text() -> impl proptest::strategy::Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(&ALPHABET[..]), 0..20)
            .prop_map(|v| v.into_iter().collect())
    }

    /// A text the pattern matches, then, half of the time, one random edit: about half match.
    fn derived(pattern: &str) -> impl proptest::strategy::Strategy<Value = String> + use<> {
        let pattern: Vec<char> = pattern.chars().collect();
        let n = pattern.len();
        (
            prop::collection::vec(
                text().prop_map(|t| t.chars().take(5).collect::<String>()),
                n,
            ),
            prop::collection::vec(prop::option::of(prop::sample::select(&ALPHABET[..])), n),
            prop::option::of((
                any::<prop::sample::Index>(),
                prop::option::of(prop::sample::select(&ALPHABET[..])),
            )),
        )
            .prop_map(move |(runs, opts, edit)| {
                let mut out: Vec<char> = Vec::new();
                for ((c, run), opt) in pattern.iter().zip(&runs).zip(&opts) {
                    match c {
                        '*' => out.extend(run.chars()),
                        '?' => out.extend(opt.iter()),
                        c => out.push(*c),
                    }
                }
                if let Some((at, replacement)) = edit {
                    let at = at.index(out.len() + 1);
                    match replacement {
                        Some(c) if at < out.len() => out[at] = c,
                        Some(c) => out.push(c),
                        None if at < out.len() => {
                            out.remove(at);
                        }
                        None => out.insert(0, 'b'),
                    }
                }
                out.into_iter().collect()
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
        fn every_engine_agrees_with_the_regex_oracle(
            (pattern, text) in pattern().prop_flat_map(|p| (Just(p.clone()), derived(&p))),
            other in text(),
        ) {
            let oracle = oracle(&pattern);
            for text in [&text, &other] {
                let expected = oracle.is_match(text);
                for (engine, compiled) in engines(&pattern) {
                    prop_assert_eq!(
                        compiled.is_match(text),
                        expected,
                        "{:?} on {:?} with the {} engine (middle {:?})",
                        pattern, text, engine, compiled.middle_engine()
                    );
                }
            }
        }
    }
}
