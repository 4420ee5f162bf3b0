//! The wildcard engine on plain strings: `*` matches any run of characters, `?` matches zero or
//! one character, everything else matches itself.

use std::fmt;

use crate::nfa::Nfa;
use crate::syntax::{Token, literal, literal_head, literal_tail, longest_literal, tokenize};

/// A compiled wildcard pattern.
///
/// `*` matches any run of characters (including none, and including `/`), `?` matches zero or one
/// character, and every other character matches itself, case-sensitively. There is no escape
/// character: IAM_PATTERN has none. Characters are Unicode scalar values, exactly as in the regex
/// `^(?s:…)$` where `*` becomes `.*` and `?` becomes `.?`.
///
/// The pattern is compiled once, choosing the cheapest strategy that decides it (see
/// [`Strategy`]); [`Pattern::is_match`] allocates nothing and runs in time linear in the text for
/// every strategy, so no pattern can make matching blow up.
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
    /// Anything else: literal prefix and suffix checks, then a bit-parallel automaton over the
    /// middle of the text (linear time, no backtracking). When the middle holds only `*` and
    /// literals (`*-prod-*`), its literals are searched for left to right instead, which is
    /// linear too.
    General,
}

#[derive(Clone)]
enum Matcher {
    Exact(Box<str>),
    Prefix(Box<str>),
    Suffix(Box<str>),
    PrefixSuffix(Box<str>, Box<str>),
    Contains(Box<memchr::memmem::Finder<'static>>),
    StarOnly,
    General(Box<General>),
}

#[derive(Clone)]
struct General {
    prefix: Box<str>,
    suffix: Box<str>,
    /// The longest literal run of an automaton middle, which every matching middle contains:
    /// one substring search rejects most texts that do not match before the automaton runs.
    required: Option<Box<memchr::memmem::Finder<'static>>>,
    middle: Middle,
}

/// How [`General`] matches what lies between the literal prefix and suffix.
#[derive(Clone)]
enum Middle {
    /// The bit-parallel automaton, for any middle.
    Nfa(Nfa),
    /// A middle `*L1*L2*…*Ln*` of stars and literals only: the literals must occur in order
    /// without overlapping, and finding each one leftmost after the previous is optimal, since
    /// the `*` after it can absorb whatever lies before the next.
    Literals(Box<[memchr::memmem::Finder<'static>]>),
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
                (Some(Token::Star), Some(Token::Star)) => {
                    tokens.get(1..tokens.len() - 1).and_then(literal).map(|l| {
                        Matcher::Contains(Box::new(
                            memchr::memmem::Finder::new(l.as_bytes()).into_owned(),
                        ))
                    })
                }
                _ => None,
            },
            _ => None,
        };
        let matcher =
            matcher.unwrap_or_else(|| Matcher::General(Box::new(General::new(&tokens, true))));
        Pattern {
            source: pattern.into(),
            matcher,
        }
    }

    /// Compiles a pattern with the [`Strategy::General`] engine whatever its shape, and always
    /// with its bit-parallel automaton. Matching gives the same answers as [`Pattern::new`]; this
    /// exists so that tests and benchmarks can compare the specialised strategies against the
    /// general one.
    pub fn new_general(pattern: &str) -> Pattern {
        let tokens = tokenize(pattern);
        Pattern {
            source: pattern.into(),
            matcher: Matcher::General(Box::new(General::new(&tokens, false))),
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
            Matcher::General(_) => Strategy::General,
        }
    }

    /// Whether the whole of `text` matches the pattern.
    #[inline]
    pub fn is_match(&self, text: &str) -> bool {
        match &self.matcher {
            Matcher::Exact(l) => text == &**l,
            Matcher::Prefix(p) => text.starts_with(&**p),
            Matcher::Suffix(s) => text.ends_with(&**s),
            Matcher::PrefixSuffix(p, s) => {
                text.len() >= p.len() + s.len() && text.starts_with(&**p) && text.ends_with(&**s)
            }
            Matcher::Contains(f) => f.find(text.as_bytes()).is_some(),
            Matcher::StarOnly => true,
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
    /// `literal_search`: whether a middle of only stars and literals may be matched by searching
    /// for the literals rather than by the automaton.
    fn new(tokens: &[Token], literal_search: bool) -> General {
        let head = literal_head(tokens);
        let rest = tokens.get(head..).unwrap_or_default();
        let tail = literal_tail(rest);
        let middle = rest.get(..rest.len() - tail).unwrap_or_default();
        General {
            prefix: literal(tokens.get(..head).unwrap_or_default())
                .unwrap_or_default()
                .into(),
            suffix: literal(rest.get(rest.len() - tail..).unwrap_or_default())
                .unwrap_or_default()
                .into(),
            required: None,
            middle: literal_search
                .then(|| Middle::literals(middle))
                .flatten()
                .unwrap_or_else(|| Middle::Nfa(Nfa::new(middle))),
        }
        .with_required_literal(middle, literal_search)
    }

    /// Adds the required-literal prefilter to an automaton middle (not to `new_general`, which
    /// stays the plain engine the other strategies are checked against).
    fn with_required_literal(mut self, middle: &[Token], enabled: bool) -> General {
        if enabled && matches!(self.middle, Middle::Nfa(_)) {
            let longest = Some(longest_literal(middle)).filter(|l| l.len() >= 2);
            self.required =
                longest.map(|l| Box::new(memchr::memmem::Finder::new(l.as_bytes()).into_owned()));
        }
        self
    }

    #[inline]
    fn is_match(&self, text: &str) -> bool {
        // An empty prefix or suffix is skipped rather than stripped: comparing against an empty
        // `Box<str>` still calls `memcmp` with its dangling pointer, and glibc's AVX-512 `memcmp`
        // does a masked load there that faults and is suppressed by a microcode assist costing
        // about 100 ns, several times the cost of the whole match.
        let rest = if self.prefix.is_empty() {
            text
        } else {
            let Some(rest) = text.strip_prefix(&*self.prefix) else {
                return false;
            };
            rest
        };
        let middle = if self.suffix.is_empty() {
            rest
        } else {
            let Some(middle) = rest.strip_suffix(&*self.suffix) else {
                return false;
            };
            middle
        };
        if let Some(required) = &self.required {
            if required.find(middle.as_bytes()).is_none() {
                return false;
            }
        }
        match &self.middle {
            Middle::Nfa(nfa) => nfa.is_match(middle),
            Middle::Literals(literals) => {
                let mut rest = middle.as_bytes();
                for literal in literals {
                    let Some(end) = literal.find(rest).map(|at| at + literal.needle().len()) else {
                        return false;
                    };
                    rest = rest.get(end..).unwrap_or_default();
                }
                true
            }
        }
    }
}

impl Middle {
    /// The literals of a middle `*L1*…*Ln*` (which starts and ends with `*` and holds no `?`), or
    /// `None` for any other middle.
    fn literals(middle: &[Token]) -> Option<Middle> {
        if middle.first() != Some(&Token::Star)
            || middle.last() != Some(&Token::Star)
            || middle.contains(&Token::Opt)
        {
            return None;
        }
        let literals = middle
            .split(|t| *t == Token::Star)
            .filter(|run| !run.is_empty())
            .map(|run| literal(run).map(|l| memchr::memmem::Finder::new(l.as_bytes()).into_owned()))
            .collect::<Option<Box<[_]>>>()?;
        Some(Middle::Literals(literals))
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
    use super::*;

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
    fn star_and_literal_middles_are_searched_and_agree_with_the_automaton() {
        let cases = [
            ("*aba*aba*", "ababa", false),
            ("*aba*aba*", "abaaba", true),
            ("x*ab*ab*y", "xababy", true),
            ("x*ab*ab*y", "xaby", false),
            ("*-prod-*-Reader", "eu/app-prod-db-Reader", true),
            ("*-prod-*-Reader", "app-production-Reader", false),
            ("a*é*b", "aéb", true),
            ("a*é*b", "ab", false),
        ];
        for (pattern, text, expected) in cases {
            let searched = Pattern::new(pattern);
            let Matcher::General(general) = &searched.matcher else {
                panic!("{pattern} is not General");
            };
            assert!(matches!(general.middle, Middle::Literals(_)), "{pattern}");
            assert_eq!(searched.is_match(text), expected, "{pattern} on {text}");
            assert_eq!(Pattern::new_general(pattern).is_match(text), expected);
        }
    }

    #[test]
    fn longest_literal_is_the_longest_wildcard_free_run() {
        assert_eq!(Pattern::new("*/Team?-Admin*").longest_literal(), "-Admin");
        assert_eq!(Pattern::new("Developer*").longest_literal(), "Developer");
        assert_eq!(Pattern::new("*?").longest_literal(), "");
    }
}
