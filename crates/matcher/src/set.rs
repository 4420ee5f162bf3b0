//! Many principal patterns against one principal ARN.

use std::collections::HashMap;

use aho_corasick::AhoCorasick;

use crate::principal::{PrincipalArn, PrincipalPattern, ResourceType};

/// A set of [`PrincipalPattern`]s, each with an id, that finds every pattern matching a
/// [`PrincipalArn`] without scanning them all.
///
/// Patterns are grouped by partition and resource type, since a pattern can only match principals
/// of its own. In each group, patterns without wildcards go into a hash map keyed by their
/// resource id (one lookup); every other pattern is indexed by its longest literal run, which any
/// matching resource id must contain, in one Aho-Corasick automaton. A query runs the automaton
/// once over the principal's resource id and verifies only the patterns whose literal occurs in
/// it. Patterns with no literal at all (such as `*` or `??`) are always verified.
///
/// ```
/// use portcullis_matcher::{PatternSet, PrincipalArn, PrincipalPattern};
///
/// let set = PatternSet::new([
///     (PrincipalPattern::parse("arn:aws:iam:::role/Dev*")?, "developers"),
///     (PrincipalPattern::parse("arn:aws:iam:::role/*/Team?-Admin*")?, "team admins"),
///     (PrincipalPattern::parse("arn:aws:iam:::user/dev/*")?, "dev users"),
/// ]);
/// let arn = PrincipalArn::parse("arn:aws:iam::123456789012:role/DevOps")?;
/// assert_eq!(set.matches(&arn), vec![&"developers"]);
/// # Ok::<(), portcullis_matcher::ArnError>(())
/// ```
#[derive(Clone, Debug)]
pub struct PatternSet<T> {
    entries: Vec<(PrincipalPattern, T)>,
    groups: Vec<Group>,
}

#[derive(Clone, Debug)]
struct Group {
    partition: Box<str>,
    resource_type: ResourceType,
    /// Patterns without wildcards, by resource id.
    exact: HashMap<Box<str>, Vec<usize>>,
    /// The literals of the other patterns, and for each literal the patterns it indexes.
    literals: Option<AhoCorasick>,
    by_literal: Vec<Vec<usize>>,
    /// Patterns with no literal to index.
    always: Vec<usize>,
}

/// How many distinct literals one query dedups on the stack before it spills to the heap.
const SEEN_INLINE: usize = 32;

impl<T> PatternSet<T> {
    /// Builds the set.
    pub fn new(patterns: impl IntoIterator<Item = (PrincipalPattern, T)>) -> PatternSet<T> {
        let entries: Vec<(PrincipalPattern, T)> = patterns.into_iter().collect();
        let mut keys: Vec<(&str, ResourceType)> = entries
            .iter()
            .map(|(p, _)| (p.partition(), p.resource_type()))
            .collect();
        keys.sort_unstable();
        keys.dedup();
        let groups = keys
            .into_iter()
            .map(|(partition, resource_type)| {
                let members = entries
                    .iter()
                    .enumerate()
                    .filter(|(_, (p, _))| {
                        p.partition() == partition && p.resource_type() == resource_type
                    })
                    .map(|(i, (p, _))| (i, p));
                Group::new(partition, resource_type, members)
            })
            .collect();
        PatternSet { entries, groups }
    }

    /// The number of patterns.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the set holds no pattern.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The patterns and their ids, in the order they were given.
    pub fn iter(&self) -> impl Iterator<Item = (&PrincipalPattern, &T)> {
        self.entries.iter().map(|(p, t)| (p, t))
    }

    /// The pattern and id at `index` (the order given to [`PatternSet::new`]), as reported by
    /// [`PatternSet::for_each_match`].
    pub fn get(&self, index: usize) -> Option<(&PrincipalPattern, &T)> {
        self.entries.get(index).map(|(p, t)| (p, t))
    }

    /// Calls `f` with the index (in the order given to [`PatternSet::new`]) of every pattern that
    /// matches `principal`, each once, in no particular order. Allocates nothing unless more than
    /// 32 distinct indexed literals occur in the principal's resource id.
    pub fn for_each_match(&self, principal: &PrincipalArn, mut f: impl FnMut(usize)) {
        let Some(group) = self.groups.iter().find(|g| {
            g.resource_type == principal.resource_type() && *g.partition == *principal.partition()
        }) else {
            return;
        };
        let text = principal.resource_id();
        if let Some(ids) = group.exact.get(text) {
            ids.iter().copied().for_each(&mut f);
        }
        let verify = |i: usize, f: &mut dyn FnMut(usize)| {
            if self
                .entries
                .get(i)
                .is_some_and(|(p, _)| p.pattern().is_match(text))
            {
                f(i);
            }
        };
        for &i in &group.always {
            verify(i, &mut f);
        }
        let Some(automaton) = &group.literals else {
            return;
        };
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
            for &i in group
                .by_literal
                .get(literal)
                .map(Vec::as_slice)
                .unwrap_or_default()
            {
                verify(i, &mut f);
            }
        }
    }

    /// The ids of every pattern that matches `principal`, in the order the patterns were given.
    pub fn matches(&self, principal: &PrincipalArn) -> Vec<&T> {
        let mut found = Vec::new();
        self.for_each_match(principal, |i| found.push(i));
        found.sort_unstable();
        found
            .iter()
            .filter_map(|&i| self.entries.get(i))
            .map(|(_, t)| t)
            .collect()
    }

    /// Whether any pattern matches `principal`.
    pub fn is_match(&self, principal: &PrincipalArn) -> bool {
        let mut any = false;
        self.for_each_match(principal, |_| any = true);
        any
    }
}

impl Group {
    fn new<'p>(
        partition: &str,
        resource_type: ResourceType,
        members: impl Iterator<Item = (usize, &'p PrincipalPattern)>,
    ) -> Group {
        let mut exact: HashMap<Box<str>, Vec<usize>> = HashMap::new();
        let mut literal_ids: HashMap<String, usize> = HashMap::new();
        let mut literals: Vec<String> = Vec::new();
        let mut by_literal: Vec<Vec<usize>> = Vec::new();
        let mut always = Vec::new();
        for (i, pattern) in members {
            if let Some(name) = pattern.pattern().exact_literal() {
                exact.entry(name.into()).or_default().push(i);
                continue;
            }
            let literal = pattern.pattern().longest_literal();
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
            // No prefilter: resource ids are short (a few dozen bytes), and an overlapping search
            // restarts the prefilter after every match, so it costs more than walking the
            // automaton over every byte (about a third of a one-hit query).
            match AhoCorasick::builder().prefilter(false).build(&literals) {
                Ok(automaton) => Some(automaton),
                Err(_) => {
                    // Too large to index: verify those patterns on every query instead.
                    always.extend(by_literal.drain(..).flatten());
                    None
                }
            }
        };
        Group {
            partition: partition.into(),
            resource_type,
            exact,
            literals: automaton,
            by_literal,
            always,
        }
    }
}
