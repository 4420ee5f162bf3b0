//! Many wildcard patterns against one string, each with a value the caller chooses.

use std::collections::HashMap;
use std::fmt;
use std::ops::ControlFlow;

use aho_corasick::AhoCorasick;

use crate::pattern::Pattern;

/// A set of wildcard [`Pattern`]s, each with a value of the caller's choosing, that finds every
/// pattern matching a string without trying them all: what globset's `GlobSet` is to globs.
///
/// Patterns without wildcards go into a hash map keyed by their text (one lookup). Every other
/// pattern is indexed by its longest literal run, which any string it matches must contain, in
/// one Aho-Corasick automaton; a query runs the automaton once over the string and checks only
/// the patterns whose literal occurs in it. Patterns with no literal at all (such as `*` or `??`)
/// are checked on every query.
///
/// The patterns are anything that holds a compiled [`Pattern`] (`P: AsRef<Pattern>`): plain
/// patterns by default ([`WildcardSet::new`] compiles strings), or the caller's own type with
/// [`WildcardSet::from_patterns`]; [`crate::PatternSet`] keeps [`crate::PrincipalPattern`]s this
/// way. Indices are positions in the order the patterns were given.
///
/// ```
/// use portcullis_matcher::WildcardSet;
///
/// let set = WildcardSet::new([
///     ("Dev*", "developers"),
///     ("*/Team?-Admin*", "team admins"),
///     ("*", "everyone"),
///     ("ops/Deployer", "the deployer"),
/// ]);
/// assert_eq!(set.matches("eu/Team7-Admin"), vec![&"team admins", &"everyone"]);
/// assert_eq!(set.matches("ops/Deployer"), vec![&"everyone", &"the deployer"]);
/// assert!(set.is_match("anything"));
///
/// let mut found = Vec::new();
/// set.for_each_match("DevOps", |i| found.push(i));
/// found.sort();
/// assert_eq!(found, [0, 2]);
/// assert_eq!(set.get(0).map(|(p, v)| (p.as_str(), *v)), Some(("Dev*", "developers")));
/// ```
#[derive(Clone)]
pub struct WildcardSet<T, P = Pattern> {
    entries: Vec<(P, T)>,
    index: Index,
}

/// The index over a set's patterns, by their position.
#[derive(Clone, Debug, Default)]
struct Index {
    /// Patterns without wildcards, by their text.
    exact: HashMap<Box<str>, Vec<usize>>,
    /// The longest literal runs of the other patterns.
    literals: Option<AhoCorasick>,
    /// For each literal of `literals`, the patterns it indexes.
    by_literal: Vec<Vec<usize>>,
    /// Patterns with no literal to index, checked on every query.
    always: Vec<usize>,
}

/// How many distinct literals one query dedups on the stack before it spills to the heap.
const SEEN_INLINE: usize = 32;

impl<T> WildcardSet<T> {
    /// Compiles each pattern (see [`Pattern::new`]; every string is a valid pattern) and builds
    /// the set.
    pub fn new<S: AsRef<str>>(patterns: impl IntoIterator<Item = (S, T)>) -> WildcardSet<T> {
        WildcardSet::from_patterns(
            patterns
                .into_iter()
                .map(|(pattern, value)| (Pattern::new(pattern.as_ref()), value)),
        )
    }
}

impl<T, S: AsRef<str>> FromIterator<(S, T)> for WildcardSet<T> {
    fn from_iter<I: IntoIterator<Item = (S, T)>>(patterns: I) -> WildcardSet<T> {
        WildcardSet::new(patterns)
    }
}

impl<T, P: AsRef<Pattern>> WildcardSet<T, P> {
    /// Builds the set from already compiled patterns, or from values that hold one.
    pub fn from_patterns(patterns: impl IntoIterator<Item = (P, T)>) -> WildcardSet<T, P> {
        let entries: Vec<(P, T)> = patterns.into_iter().collect();
        let index = Index::new(entries.iter().map(|(p, _)| p.as_ref()));
        WildcardSet { entries, index }
    }

    /// The number of patterns.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the set holds no pattern.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The patterns and their values, in the order they were given.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&P, &T)> + DoubleEndedIterator {
        self.entries.iter().map(|(p, t)| (p, t))
    }

    /// The pattern and value at `index` (the order they were given in), as reported by
    /// [`WildcardSet::for_each_match`].
    pub fn get(&self, index: usize) -> Option<(&P, &T)> {
        self.entries.get(index).map(|(p, t)| (p, t))
    }

    /// Calls `f` with the index of every pattern that matches the whole of `text`, each once, in
    /// no particular order. Allocates nothing unless more than 32 distinct indexed literals
    /// occur in `text`.
    pub fn for_each_match(&self, text: &str, mut f: impl FnMut(usize)) {
        let _ = self.try_for_each_match(text, |i| {
            f(i);
            ControlFlow::Continue(())
        });
    }

    /// The values of every pattern that matches the whole of `text`, in the order the patterns
    /// were given.
    pub fn matches(&self, text: &str) -> Vec<&T> {
        let mut found = Vec::new();
        self.for_each_match(text, |i| found.push(i));
        found.sort_unstable();
        found
            .into_iter()
            .filter_map(|i| self.entries.get(i))
            .map(|(_, t)| t)
            .collect()
    }

    /// Whether any pattern matches the whole of `text`; stops at the first that does.
    pub fn is_match(&self, text: &str) -> bool {
        self.try_for_each_match(text, |_| ControlFlow::Break(()))
            .is_break()
    }

    /// [`WildcardSet::for_each_match`], stopping when `f` breaks.
    pub(crate) fn try_for_each_match(
        &self,
        text: &str,
        f: impl FnMut(usize) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        self.index.try_for_each_match(
            text,
            |i| {
                self.entries
                    .get(i)
                    .is_some_and(|(p, _)| p.as_ref().is_match(text))
            },
            f,
        )
    }
}

impl Index {
    fn new<'p>(patterns: impl Iterator<Item = &'p Pattern>) -> Index {
        let mut exact: HashMap<Box<str>, Vec<usize>> = HashMap::new();
        let mut literal_ids: HashMap<String, usize> = HashMap::new();
        let mut literals: Vec<String> = Vec::new();
        let mut by_literal: Vec<Vec<usize>> = Vec::new();
        let mut always = Vec::new();
        for (i, pattern) in patterns.enumerate() {
            if let Some(text) = pattern.exact_literal() {
                exact.entry(text.into()).or_default().push(i);
                continue;
            }
            let literal = pattern.longest_literal();
            if literal.is_empty() {
                always.push(i);
                continue;
            }
            let id = *literal_ids.entry(literal.clone()).or_insert_with(|| {
                literals.push(literal);
                by_literal.push(Vec::new());
                by_literal.len() - 1
            });
            if let Some(list) = by_literal.get_mut(id) {
                list.push(i);
            }
        }
        let automaton = if literals.is_empty() {
            None
        } else {
            // No prefilter: the strings are short (principal names are a few dozen bytes), and an
            // overlapping search restarts the prefilter after every match, so it costs more than
            // walking the automaton over every byte (about a third of a one-hit query).
            match AhoCorasick::builder().prefilter(false).build(&literals) {
                Ok(automaton) => Some(automaton),
                Err(_) => {
                    // Too large to index: check those patterns on every query instead.
                    always.extend(by_literal.drain(..).flatten());
                    None
                }
            }
        };
        Index {
            exact,
            literals: automaton,
            by_literal,
            always,
        }
    }

    /// Calls `f` with every pattern that matches `text`, each once: those of `exact` without a
    /// check, the others when `is_match` says so. Stops when `f` breaks.
    fn try_for_each_match(
        &self,
        text: &str,
        is_match: impl Fn(usize) -> bool,
        mut f: impl FnMut(usize) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        if let Some(ids) = self.exact.get(text) {
            for &i in ids {
                f(i)?;
            }
        }
        for &i in &self.always {
            if is_match(i) {
                f(i)?;
            }
        }
        let Some(automaton) = &self.literals else {
            return ControlFlow::Continue(());
        };
        // A literal can occur several times; its patterns are checked once.
        let mut seen_inline = [0usize; SEEN_INLINE];
        let mut seen_count = 0usize;
        let mut seen_heap: Vec<usize> = Vec::new();
        for found in automaton.find_overlapping_iter(text) {
            let literal = found.pattern().as_usize();
            let seen = seen_inline
                .get(..seen_count.min(SEEN_INLINE))
                .unwrap_or_default();
            if seen.contains(&literal) || seen_heap.contains(&literal) {
                continue;
            }
            match seen_inline.get_mut(seen_count) {
                Some(slot) => *slot = literal,
                None => seen_heap.push(literal),
            }
            seen_count += 1;
            for &i in self
                .by_literal
                .get(literal)
                .map(Vec::as_slice)
                .unwrap_or_default()
            {
                if is_match(i) {
                    f(i)?;
                }
            }
        }
        ControlFlow::Continue(())
    }
}

impl<T: fmt::Debug, P: fmt::Debug> fmt::Debug for WildcardSet<T, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.entries.iter().map(|(p, t)| (p, t)))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compiled_patterns_and_sets_are_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<Pattern>();
        check::<WildcardSet<String>>();
        check::<crate::PatternSet<String>>();
        check::<crate::PrincipalPattern>();
    }

    #[test]
    fn exact_indexed_and_unindexed_patterns_are_all_found() {
        let set = WildcardSet::new([
            ("ops/Deployer", 0),
            ("ops/Deployer", 1),
            ("*Deploy*", 2),
            ("??", 3),
            ("*", 4),
            ("*/Team?-Admin*", 5),
            ("", 6),
        ]);
        let found = |text: &str| set.matches(text).into_iter().copied().collect::<Vec<_>>();
        assert_eq!(found("ops/Deployer"), [0, 1, 2, 4]);
        assert_eq!(found("ab"), [3, 4]);
        assert_eq!(found(""), [3, 4, 6]);
        assert_eq!(found("eu/Team-Admins"), [4, 5]);
        assert!(WildcardSet::<()>::new::<&str>([]).matches("x").is_empty());
        assert!(!WildcardSet::new([("a", ())]).is_match("b"));
    }

    #[test]
    fn a_literal_occurring_twice_reports_its_patterns_once() {
        let set = WildcardSet::new([("*ab*", 'x'), ("*ab*ab*", 'y')]);
        let mut found = Vec::new();
        set.for_each_match("ab-ab-ab", |i| found.push(i));
        found.sort();
        assert_eq!(found, [0, 1]);
    }

    #[test]
    fn more_than_32_distinct_literals_in_one_text_spill_to_the_heap() {
        let patterns: Vec<String> = (0..40).map(|i| format!("*<{i:02}>*")).collect();
        let text: String = (0..40).map(|i| format!("<{i:02}>")).collect();
        let set: WildcardSet<usize> = patterns.iter().zip(0..).collect();
        assert_eq!(set.matches(&text).len(), 40);
        assert_eq!(set.len(), 40);
        assert!(!set.is_empty());
    }

    #[test]
    fn is_match_stops_at_the_first_match() {
        let set = WildcardSet::new([("*", ()), ("*a*", ()), ("a", ())]);
        let mut calls = 0;
        let _ = set.try_for_each_match("a", |_| {
            calls += 1;
            ControlFlow::Break(())
        });
        assert_eq!(calls, 1);
        assert!(set.is_match("a"));
    }
}
