//! Matching by literal search and short checks, for the general patterns that an automaton would
//! otherwise read character by character.
//!
//! A star-free piece of a pattern is a sequence of literal runs and runs of `?` ([`Part`]). It
//! matches at a given place in as many ways as its `?` runs can take lengths (the product of
//! `n + 1` over its runs of `n`), and when that is small, trying each way is a few byte
//! comparisons. A pattern with `*` is `S0 * S1 * … * Sk` with star-free segments ([`Segments`]):
//! `S0` must match at the start of the text, `Sk` at its end and each of `S1`…`Sk-1` somewhere
//! in between, in order. Taking the earliest end for `S0`, the latest start for `Sk`, and for
//! each inner segment the occurrence that ends first is optimal, since the `*` after a segment
//! can absorb whatever lies before the next one. An inner segment is found through its longest
//! literal run (its anchor), searched for as a substring; only where the anchor occurs are the
//! runs on either side of it checked.
//!
//! Each anchor occurrence costs a bounded check, but a text can hold an occurrence at every byte.
//! So the checks draw on a budget proportional to the text's length; a text that exhausts it is
//! handed to the bit-parallel automaton ([`crate::nfa`]), which is linear in the text whatever
//! the pattern. Matching stays linear, and no pattern makes it blow up. The automaton is built
//! for that text, not kept: such texts are rare and already long, and a compiled pattern stays
//! plain data (no lazily filled cell), so it can be a hash key and is `Sync` without locks.

use crate::nfa::Nfa;
use crate::search::{Finder, same};
use crate::syntax::{Run, Token, runs};

/// The most ways a star-free part may match at one place for it to be checked by trying each.
pub(crate) const MAX_PATHS: usize = 16;

/// A star-free piece of a pattern: literal runs and runs of `?`.
///
/// Stored as its literals and the `?` runs around them: `gap(0)` is how many `?` come before the
/// first literal and `gap(i + 1)` how many follow literal `i`. Read forward, literal `i` may
/// start up to `gap(i)` characters after the end of the previous one; read backward, it may end
/// up to `gap(i + 1)` characters before the start of the next.
#[derive(Clone, Debug)]
pub(crate) struct Part {
    literals: Box<[Box<str>]>,
    /// `gap(0)`.
    lead: usize,
    /// `gap(1)` to `gap(k)`.
    gaps: Box<[usize]>,
    /// The bytes of its literals: the fewest bytes it matches.
    min_len: usize,
    /// The most comparisons one check at one place takes, roughly.
    cost: usize,
}

impl Part {
    /// The part of `tokens`, or `None` if they hold a `*` or match in more than [`MAX_PATHS`]
    /// ways.
    pub(crate) fn new(tokens: &[Token]) -> Option<Part> {
        Part::from_runs(runs(tokens)?)
    }

    fn from_runs(runs: Vec<Run>) -> Option<Part> {
        let mut literals: Vec<Box<str>> = Vec::new();
        let mut lead = 0usize;
        let mut gaps: Vec<usize> = Vec::new();
        let mut paths = 1usize;
        let mut len = 0usize;
        for run in runs {
            match run {
                Run::Literal(l) => {
                    len += l.len();
                    literals.push(l);
                    gaps.push(0);
                }
                Run::Opt(n) => {
                    *gaps.last_mut().unwrap_or(&mut lead) += n;
                    paths = paths.saturating_mul(n.saturating_add(1));
                    len = len.saturating_add(n);
                }
            }
        }
        let min_len = literals.iter().map(|l| l.len()).sum();
        (paths <= MAX_PATHS).then(|| Part {
            literals: literals.into(),
            lead,
            gaps: gaps.into(),
            min_len,
            cost: paths.saturating_mul(len + 1),
        })
    }

    fn is_empty(&self) -> bool {
        self.literals.is_empty() && self.gap(0) == 0
    }

    fn gap(&self, i: usize) -> usize {
        match i.checked_sub(1) {
            None => self.lead,
            Some(after) => self.gaps.get(after).copied().unwrap_or(0),
        }
    }

    /// Whether the part matches the whole of `text`, UTF-8 bytes.
    #[inline]
    pub(crate) fn matches(&self, text: &[u8]) -> bool {
        self.fits(text, 0, 0)
    }

    /// Whether `literals[i..]` and the gaps around them match `text[at..]` exactly.
    fn fits(&self, text: &[u8], i: usize, at: usize) -> bool {
        let gap = self.gap(i);
        let Some(literal) = self.literals.get(i).map(|l| l.as_bytes()) else {
            return text.get(at..).is_some_and(|rest| at_most_chars(rest, gap));
        };
        let mut at = at;
        for skipped in 0..=gap {
            if literal_at(text, at, literal, text.len())
                && self.fits(text, i + 1, at + literal.len())
            {
                return true;
            }
            match next_char(text, at, text.len()) {
                Some(next) if skipped < gap => at = next,
                _ => break,
            }
        }
        false
    }

    /// The earliest end `e <= limit` such that the part matches `text[at..e]`.
    #[inline(always)]
    fn first_end(&self, text: &[u8], at: usize, limit: usize) -> Option<usize> {
        match &*self.literals {
            [] => Some(at),
            // Later starts end later: the first place the literal fits is the answer.
            [literal] => scan_forward(text, at, self.gap(0), literal.as_bytes(), limit),
            _ => self.first_end_from(text, 0, at, limit),
        }
    }

    /// [`Part::first_end`] for `literals[i..]`, trying every way.
    #[inline(never)]
    fn first_end_from(&self, text: &[u8], i: usize, at: usize, limit: usize) -> Option<usize> {
        let Some(literal) = self.literals.get(i).map(|l| l.as_bytes()) else {
            // The trailing `?` run matches nothing.
            return Some(at);
        };
        let gap = self.gap(i);
        let mut best: Option<usize> = None;
        let mut at = at;
        for skipped in 0..=gap {
            if literal_at(text, at, literal, limit)
                && let Some(end) = self.first_end_from(text, i + 1, at + literal.len(), limit)
            {
                best = Some(best.map_or(end, |b| b.min(end)));
            }
            match next_char(text, at, limit) {
                Some(next) if skipped < gap => at = next,
                _ => break,
            }
        }
        best
    }

    /// The latest start `s >= floor` such that the part matches `text[s..end]`.
    #[inline(always)]
    fn last_start(&self, text: &[u8], end: usize, floor: usize) -> Option<usize> {
        match &*self.literals {
            [] => Some(end),
            // Earlier ends start earlier: the first place the literal fits is the answer.
            [literal] => scan_backward(text, end, self.gap(1), literal.as_bytes(), floor),
            _ => self.last_start_from(text, self.literals.len(), end, floor),
        }
    }

    /// [`Part::last_start`] for `literals[..n]`, trying every way.
    #[inline(never)]
    fn last_start_from(&self, text: &[u8], n: usize, end: usize, floor: usize) -> Option<usize> {
        let Some(i) = n.checked_sub(1) else {
            // The leading `?` run matches nothing.
            return Some(end);
        };
        let literal = self.literals.get(i)?.as_bytes();
        let gap = self.gap(n);
        let mut best: Option<usize> = None;
        let mut at = end;
        for skipped in 0..=gap {
            if let Some(start) = literal_before(text, at, literal, floor)
                && let Some(s) = self.last_start_from(text, i, start, floor)
            {
                best = Some(best.map_or(s, |b| b.max(s)));
            }
            match prev_char(text, at, floor) {
                Some(prev) if skipped < gap => at = prev,
                _ => break,
            }
        }
        best
    }

    /// Whether the part matches `text[s..end]` for some `s >= floor`.
    #[inline(always)]
    fn ends_at(&self, text: &[u8], end: usize, floor: usize) -> bool {
        match &*self.literals {
            [] => true,
            [literal] => scan_backward(text, end, self.gap(1), literal.as_bytes(), floor).is_some(),
            _ => self
                .last_start_from(text, self.literals.len(), end, floor)
                .is_some(),
        }
    }
}

/// Scanning forward from `at` over at most `gap` characters, the end of the first occurrence of
/// `literal` that starts there and ends by `limit`.
#[inline(always)]
fn scan_forward(text: &[u8], at: usize, gap: usize, literal: &[u8], limit: usize) -> Option<usize> {
    let mut at = at;
    let mut skipped = 0;
    loop {
        if literal_at(text, at, literal, limit) {
            return Some(at + literal.len());
        }
        if skipped == gap {
            return None;
        }
        skipped += 1;
        at = next_char(text, at, limit)?;
    }
}

/// Scanning backward from `end` over at most `gap` characters, the start of the first
/// occurrence of `literal` that ends there and starts at `floor` or later.
#[inline(always)]
fn scan_backward(
    text: &[u8],
    end: usize,
    gap: usize,
    literal: &[u8],
    floor: usize,
) -> Option<usize> {
    let mut at = end;
    let mut skipped = 0;
    loop {
        // Further left only starts earlier: past `floor` already, it is over.
        let start = at.checked_sub(literal.len()).filter(|&s| s >= floor)?;
        if text.get(start..at).is_some_and(|t| same(t, literal)) {
            return Some(start);
        }
        if skipped == gap {
            return None;
        }
        skipped += 1;
        // One character back; `at > floor` here, since `start >= floor` and literals are not
        // empty.
        at -= 1;
        while text.get(at).is_some_and(|&b| is_continuation(b)) {
            at -= 1;
        }
    }
}

/// Whether `b` continues a UTF-8 character rather than starting one.
#[inline]
fn is_continuation(b: u8) -> bool {
    b & 0xc0 == 0x80
}

/// Whether `literal` occurs in `text` at `at`, ending by `limit`.
#[inline]
fn literal_at(text: &[u8], at: usize, literal: &[u8], limit: usize) -> bool {
    let end = at + literal.len();
    end <= limit && text.get(at..end).is_some_and(|t| same(t, literal))
}

/// The start of `literal` if it occurs in `text` ending at `end` and starting at `floor` or
/// later.
#[inline]
fn literal_before(text: &[u8], end: usize, literal: &[u8], floor: usize) -> Option<usize> {
    let start = end.checked_sub(literal.len()).filter(|&s| s >= floor)?;
    text.get(start..end)
        .is_some_and(|t| same(t, literal))
        .then_some(start)
}

/// Whether the UTF-8 `text` holds at most `n` characters.
#[inline]
pub(crate) fn at_most_chars(text: &[u8], n: usize) -> bool {
    // A character takes one to four bytes.
    if text.len() <= n {
        return true;
    }
    if text.len() > n.saturating_mul(4) {
        return false;
    }
    let mut chars = 0;
    for &b in text {
        if !is_continuation(b) {
            chars += 1;
            if chars > n {
                return false;
            }
        }
    }
    true
}

/// The end of the character that starts at `at` in the UTF-8 `text`, if it ends by `limit`.
#[inline]
fn next_char(text: &[u8], at: usize, limit: usize) -> Option<usize> {
    let lead = *text.get(at)?;
    let len = match lead {
        0x00..=0x7f => 1,
        0x80..=0xdf => 2,
        0xe0..=0xef => 3,
        _ => 4,
    };
    Some(at + len).filter(|&end| end <= limit)
}

/// The start of the character that ends at `at` in the UTF-8 `text`, if it starts at `floor` or
/// later.
#[inline]
fn prev_char(text: &[u8], at: usize, floor: usize) -> Option<usize> {
    let mut start = at.checked_sub(1)?;
    while text.get(start).is_some_and(|&b| is_continuation(b)) {
        start = start.checked_sub(1)?;
    }
    Some(start).filter(|&start| start >= floor)
}

/// An inner segment: found through its anchor, then checked on either side.
#[derive(Clone, Debug)]
struct Inner {
    /// The segment's longest literal run.
    anchor: Finder,
    /// The runs before the anchor.
    left: Part,
    /// The runs after the anchor.
    right: Part,
    /// What checking one occurrence of the anchor costs.
    cost: usize,
}

/// How an inner segment's search ended.
enum Found {
    /// The earliest end of an occurrence.
    At(usize),
    /// There is none.
    Nowhere,
    /// The budget ran out.
    GaveUp,
}

impl Inner {
    fn new(tokens: &[Token]) -> Option<Inner> {
        let mut left = runs(tokens)?;
        // The longest literal run, the first of equally long ones.
        let (at, _) = left
            .iter()
            .enumerate()
            .filter_map(|(i, run)| match run {
                Run::Literal(l) => Some((i, l.len())),
                Run::Opt(_) => None,
            })
            .fold(None, |best: Option<(usize, usize)>, (i, len)| match best {
                Some((_, b)) if b >= len => best,
                _ => Some((i, len)),
            })?;
        let right = left.split_off(at + 1);
        let Some(Run::Literal(anchor)) = left.pop() else {
            return None;
        };
        let left = Part::from_runs(left)?;
        let right = Part::from_runs(right)?;
        let cost = left.cost + right.cost + anchor.len();
        Some(Inner {
            anchor: Finder::new(anchor.as_bytes()),
            left,
            right,
            cost,
        })
    }

    /// Whether the segment occurs in `text[from..limit]`, or `None` if the budget ran out.
    #[inline(always)]
    fn occurs(&self, text: &[u8], from: usize, limit: usize, budget: &mut usize) -> Option<bool> {
        let Some(anchor_limit) = limit.checked_sub(self.right.min_len) else {
            return Some(false);
        };
        let n = self.anchor.len();
        let mut at = from + self.left.min_len;
        while at + n <= anchor_limit {
            let Some(q) = self.anchor.find_in(text, at, anchor_limit) else {
                break;
            };
            *budget = budget.checked_sub(self.cost)?;
            if self.left.ends_at(text, q, from)
                && self.right.first_end(text, q + n, limit).is_some()
            {
                return Some(true);
            }
            at = q + 1;
        }
        Some(false)
    }

    /// The earliest end `e <= limit` of an occurrence of the segment in `text` that starts at
    /// `from` or later, spending `cost` from `budget` per anchor occurrence checked.
    #[inline]
    fn find(&self, text: &[u8], from: usize, limit: usize, budget: &mut usize) -> Found {
        let n = self.anchor.len();
        let Some(anchor_limit) = limit.checked_sub(self.right.min_len) else {
            return Found::Nowhere;
        };
        let mut at = from + self.left.min_len;
        let mut best: Option<usize> = None;
        while let Some(q) = self.anchor.find_in(text, at, anchor_limit) {
            if best.is_some_and(|b| q + n + self.right.min_len >= b) {
                // This occurrence, and any later one, ends no earlier.
                break;
            }
            let Some(left) = budget.checked_sub(self.cost) else {
                return Found::GaveUp;
            };
            *budget = left;
            if self.left.ends_at(text, q, from) {
                if self.right.literals.is_empty() {
                    // Nothing but `?` after the anchor: this occurrence ends first.
                    return Found::At(q + n);
                }
                if let Some(end) = self.right.first_end(text, q + n, limit) {
                    best = Some(best.map_or(end, |b| b.min(end)));
                }
            }
            at = q + 1;
        }
        best.map_or(Found::Nowhere, Found::At)
    }
}

/// A pattern `S0 * S1 * … * Sk` (at least one `*`) of star-free segments.
#[derive(Clone, Debug)]
pub(crate) struct Segments {
    /// `S0`, matched at the start (often empty).
    head: Part,
    /// `S1` to `Sk-1`.
    inner: Box<[Inner]>,
    /// `Sk`, matched at the end (often empty).
    tail: Part,
    /// Whether the pattern is `*S1*`: one inner segment, nothing before or after it.
    contains: bool,
    /// The budget per byte of text for checking anchor occurrences.
    budget_per_byte: usize,
    /// The pattern's tokens, for the automaton.
    tokens: Box<[Token]>,
}

impl Segments {
    /// The segments of a pattern's `tokens`, or `None` if they hold no `*` or a segment that
    /// matches in too many ways.
    pub(crate) fn new(tokens: &[Token]) -> Option<Segments> {
        let mut parts = tokens.split(|t| *t == Token::Star);
        let head = Part::new(parts.next()?)?;
        let mut parts: Vec<&[Token]> = parts.collect();
        let tail = Part::new(parts.pop()?)?;
        let inner = parts
            .into_iter()
            .map(Inner::new)
            .collect::<Option<Box<[Inner]>>>()?;
        Some(Segments {
            contains: inner.len() == 1 && head.is_empty() && tail.is_empty(),
            head,
            inner,
            tail,
            budget_per_byte: 4,
            tokens: tokens.into(),
        })
    }

    /// The same segments with `budget_per_byte`; 0 sends every text with an inner segment to
    /// the automaton.
    #[cfg(test)]
    pub(crate) fn with_budget(mut self, budget_per_byte: usize) -> Segments {
        self.budget_per_byte = budget_per_byte;
        self.contains &= budget_per_byte > 0;
        self
    }

    /// Whether the segments match the whole of `text`.
    ///
    /// Out of line: inlined, its registers and stack would weigh on every strategy's path.
    #[inline(never)]
    pub(crate) fn is_match(&self, text: &str) -> bool {
        let found = match self.inner.first() {
            // `*S*`, the usual shape: any occurrence of `S` will do.
            Some(only) if self.contains => {
                let mut budget = self.budget(text.len());
                only.occurs(text.as_bytes(), 0, text.len(), &mut budget)
            }
            _ => self.search(text.as_bytes()),
        };
        found.unwrap_or_else(|| self.automaton(text))
    }

    /// The budget for checking anchor occurrences in a text of `len` bytes.
    #[inline(always)]
    fn budget(&self, len: usize) -> usize {
        self.budget_per_byte.saturating_mul(len).saturating_add(256)
    }

    /// The automaton's answer, for a text that exhausted the budget.
    #[cold]
    fn automaton(&self, text: &str) -> bool {
        Nfa::new(&self.tokens).is_match(text)
    }

    /// Whether the segments match `text`, or `None` if the budget ran out.
    #[inline(always)]
    fn search(&self, text: &[u8]) -> Option<bool> {
        if self.budget_per_byte == 0 && !self.inner.is_empty() {
            return None;
        }
        let tail_start = if self.tail.is_empty() {
            text.len()
        } else {
            let Some(s) = self.tail.last_start(text, text.len(), 0) else {
                return Some(false);
            };
            s
        };
        let at = if self.head.is_empty() {
            0
        } else {
            let Some(e) = self.head.first_end(text, 0, tail_start) else {
                return Some(false);
            };
            e
        };
        let mut budget = self.budget(text.len());
        match &*self.inner {
            [] => Some(at <= tail_start),
            // One inner segment (`*S*`, the usual shape): any occurrence will do.
            [only] => only.occurs(text, at, tail_start, &mut budget),
            inner => Segments::search_each(inner, text, at, tail_start, &mut budget),
        }
    }

    /// Each of `inner` in turn, from `at` on, ending by `limit`.
    #[inline(never)]
    fn search_each(
        inner: &[Inner],
        text: &[u8],
        mut at: usize,
        limit: usize,
        budget: &mut usize,
    ) -> Option<bool> {
        for segment in inner {
            match segment.find(text, at, limit, budget) {
                Found::At(end) => at = end,
                Found::Nowhere => return Some(false),
                Found::GaveUp => return None,
            }
        }
        Some(at <= limit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::tokenize;

    fn part(pattern: &str) -> Part {
        Part::new(&tokenize(pattern)).unwrap()
    }

    #[test]
    fn parts_match_in_every_way_their_question_marks_allow() {
        let p = part("a?b??c");
        for text in ["abc", "axbc", "abxc", "axbyzc", "abyzc"] {
            assert!(p.matches(text.as_bytes()), "{text}");
        }
        for text in ["ac", "axybc", "abxyzc", "abcx", ""] {
            assert!(!p.matches(text.as_bytes()), "{text}");
        }
        assert!(part("?é?").matches("éé".as_bytes()));
        assert!(part("?é?").matches("xéy".as_bytes()));
        assert!(!part("?é?").matches(b"xyz"));
        assert!(part("").matches(b""));
        assert!(Part::new(&tokenize("????????????????")).is_none());
        assert!(Part::new(&tokenize("a*b")).is_none());
    }

    #[test]
    fn first_end_and_last_start_take_the_extremes() {
        let t = b"xxabyyab";
        let first_end = |p: &str, at, limit| part(p).first_end(t, at, limit);
        let last_start = |p: &str, end, floor| part(p).last_start(t, end, floor);
        let ends_at = |p: &str, end, floor| part(p).ends_at(t, end, floor);
        assert_eq!(first_end("?a", 1, t.len()), Some(3));
        assert_eq!(first_end("a?", 2, t.len()), Some(3));
        assert_eq!(first_end("?a??b", 1, t.len()), Some(4));
        assert_eq!(first_end("?a??b", 0, t.len()), None);
        assert_eq!(first_end("?y?a", 0, t.len()), None);
        assert_eq!(first_end("??y?a", 2, t.len()), Some(7));
        assert_eq!(first_end("??y?a", 2, 6), None);
        assert_eq!(last_start("??b", t.len(), 0), Some(7));
        assert_eq!(last_start("?a?b", t.len(), 0), Some(6));
        assert_eq!(last_start("?b", 4, 3), Some(3));
        assert_eq!(last_start("?b", 4, 4), None);
        assert!(ends_at("x?a", 3, 0));
        assert!(ends_at("x?a", 3, 1));
        assert!(!ends_at("x?a", 3, 2));
    }

    #[test]
    fn inner_segments_end_at_their_earliest_occurrence() {
        // `a?b` in `aab`: the anchor `a` first occurs at 0, but the occurrence ending first is
        // `ab` (0..2) whichever anchor it starts from.
        let segment = Inner::new(&tokenize("a?b")).unwrap();
        let mut budget = 1000;
        assert!(matches!(
            segment.find(b"aab", 0, 3, &mut budget),
            Found::At(3)
        ));
        let segment = Inner::new(&tokenize("x?yz")).unwrap();
        assert!(matches!(
            segment.find(b"xyzxqyz", 0, 7, &mut budget),
            Found::At(3)
        ));
        assert!(matches!(
            segment.find(b"xyzxqyz", 1, 7, &mut budget),
            Found::At(7)
        ));
        assert!(matches!(
            segment.find(b"xyzxqyz", 1, 6, &mut budget),
            Found::Nowhere
        ));
        let mut empty = 0;
        assert!(matches!(
            segment.find(b"xyzxqyz", 0, 7, &mut empty),
            Found::GaveUp
        ));
    }

    #[test]
    fn segments_follow_the_wildcard_rules_and_fall_back_when_the_budget_runs_out() {
        let cases = [
            ("*/Team?-Admin*", "eng/Team7-Admin", true),
            ("*/Team?-Admin*", "eng/eu/Team-AdminRole", true),
            ("*/Team?-Admin*", "Team7-Admin", false),
            ("*/Team?-Admin*", "eng/Team77-Admin", false),
            ("*/Team?-Admin*", "eng/Team7-Developer", false),
            ("?x*y?", "xy", true),
            ("?x*y?", "axyb", true),
            ("?x*y?", "aaxyb", false),
            ("?x*x?", "x", false),
            ("?x*x?", "xx", true),
            ("*a?a*", &"a".repeat(300), true),
            ("*a?b*", &"a".repeat(300), false),
        ];
        for (pattern, text, expected) in cases {
            let tokens = tokenize(pattern);
            let segments = Segments::new(&tokens).unwrap();
            assert_eq!(segments.is_match(text), expected, "{pattern} on {text}");
            let starved = Segments::new(&tokens).unwrap().with_budget(0);
            assert_eq!(starved.is_match(text), expected, "{pattern} on {text}");
            // With a literal prefix and suffix, which go into the first and last segments.
            let framed = tokenize(&format!("é{pattern}é"));
            let padded = format!("é{text}é");
            let segments = Segments::new(&framed).unwrap();
            assert_eq!(
                segments.is_match(&padded),
                expected,
                "é{pattern}é on {padded}"
            );
        }
    }
}
