//! Many principal patterns against one principal ARN.

use std::fmt;

use crate::partition::Partition;
use crate::principal::{PrincipalArn, PrincipalPattern, ResourceType};
use crate::wildcard_set::WildcardSet;

/// A set of [`PrincipalPattern`]s, each with a value, that finds every pattern matching a
/// [`PrincipalArn`] without trying them all.
///
/// A pattern can only match principals of its own partition and resource type, so the patterns
/// are grouped by both, and each group is a [`WildcardSet`] over resource ids: a query picks its
/// principal's group and runs that set on the principal's resource id (SPEC §4.3).
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
#[derive(Clone)]
pub struct PatternSet<T> {
    groups: Vec<Group<T>>,
    /// For each pattern, in the order given: its group and its index there.
    order: Vec<(usize, usize)>,
}

/// The patterns of one partition and resource type, each with its index in the whole set.
#[derive(Clone)]
struct Group<T> {
    partition: Partition,
    resource_type: ResourceType,
    set: Members<T>,
}

/// A group's patterns, each with its index in the whole set and its value.
type Members<T> = WildcardSet<(usize, T), PrincipalPattern>;

impl<T> PatternSet<T> {
    /// Builds the set.
    pub fn new(patterns: impl IntoIterator<Item = (PrincipalPattern, T)>) -> PatternSet<T> {
        let mut groups: Vec<(Partition, ResourceType, Vec<_>)> = Vec::new();
        let mut order = Vec::new();
        for (i, (pattern, value)) in patterns.into_iter().enumerate() {
            let group = match groups.iter().position(|(partition, resource_type, _)| {
                *partition == pattern.partition() && *resource_type == pattern.resource_type()
            }) {
                Some(group) => group,
                None => {
                    groups.push((pattern.partition(), pattern.resource_type(), Vec::new()));
                    groups.len() - 1
                }
            };
            if let Some((_, _, members)) = groups.get_mut(group) {
                order.push((group, members.len()));
                members.push((pattern, (i, value)));
            }
        }
        let groups = groups
            .into_iter()
            .map(|(partition, resource_type, members)| Group {
                partition,
                resource_type,
                set: WildcardSet::from_patterns(members),
            })
            .collect();
        PatternSet { groups, order }
    }

    /// The number of patterns.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// Whether the set holds no pattern.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// The patterns and their values, in the order they were given.
    pub fn iter(&self) -> impl Iterator<Item = (&PrincipalPattern, &T)> {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    /// The pattern and value at `index` (the order given to [`PatternSet::new`]), as reported by
    /// [`PatternSet::for_each_match`].
    pub fn get(&self, index: usize) -> Option<(&PrincipalPattern, &T)> {
        let &(group, at) = self.order.get(index)?;
        let (pattern, (_, value)) = self.groups.get(group)?.set.get(at)?;
        Some((pattern, value))
    }

    /// The set of patterns of `principal`'s partition and resource type.
    fn group_of(
        &self,
        principal: &PrincipalArn,
    ) -> Option<&WildcardSet<(usize, T), PrincipalPattern>> {
        self.groups
            .iter()
            .find(|g| {
                g.resource_type == principal.resource_type() && g.partition == principal.partition()
            })
            .map(|g| &g.set)
    }

    /// Calls `f` with the index (in the order given to [`PatternSet::new`]) of every pattern that
    /// matches `principal`, each once, in no particular order. Allocates nothing unless more than
    /// 32 distinct indexed literals occur in the principal's resource id.
    pub fn for_each_match(&self, principal: &PrincipalArn, mut f: impl FnMut(usize)) {
        let Some(set) = self.group_of(principal) else {
            return;
        };
        set.for_each_match(principal.resource_id(), |at| {
            if let Some((_, &(i, _))) = set.get(at) {
                f(i);
            }
        });
    }

    /// The values of every pattern that matches `principal`, in the order the patterns were
    /// given.
    pub fn matches(&self, principal: &PrincipalArn) -> Vec<&T> {
        let mut found = Vec::new();
        self.for_each_match(principal, |i| found.push(i));
        found.sort_unstable();
        found
            .into_iter()
            .filter_map(|i| self.get(i))
            .map(|(_, value)| value)
            .collect()
    }

    /// Whether any pattern matches `principal`; stops at the first that does.
    pub fn is_match(&self, principal: &PrincipalArn) -> bool {
        self.group_of(principal)
            .is_some_and(|set| set.is_match(principal.resource_id()))
    }
}

impl<T: fmt::Debug> fmt::Debug for PatternSet<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}
