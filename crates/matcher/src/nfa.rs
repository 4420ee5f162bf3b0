//! A bit-parallel position automaton (Shift-And with `*` self-loops and optional characters), the
//! engine behind [`crate::Strategy::General`].
//!
//! Position `j` of the state is set when the first `j` tokens of the pattern can match the text
//! read so far; position 0 is the empty prefix. Reading one character shifts every set position
//! forward where the next token accepts the character, and keeps `*` positions set (their
//! self-loop). Then `*` and `?` positions, which may match nothing, are filled in by the
//! epsilon-closure trick for optional characters of Navarro and Raffinot ("Flexible Pattern
//! Matching in Strings", §4.5): for each block of consecutive skippable positions `[s, e]`, every
//! position after the first set one in `[s-1, e]` becomes set, with one subtraction over the whole
//! state. Each character costs a handful of word operations per 64 positions, so matching is
//! linear in the text whatever the pattern, with no backtracking.
//!
//! Patterns of more than 63 tokens keep the state in several words and visit only the live ones:
//! the words between the lowest and the highest set position, plus those the shift or the
//! closure reaches. A set `*` position makes every position below it redundant (any run from
//! there passes through the `*` later, and could have waited on it), so those are cleared, which
//! keeps the live range short on long patterns full of `*`.

use crate::syntax::Token;

/// State words kept on the stack; longer patterns (more than 2,047 positions) use a heap buffer.
const STACK_WORDS: usize = 32;

/// The masks of one 64-position word of the state that do not depend on the character read,
/// kept together so that one pass over the state reads them from one place.
#[derive(Clone, Copy, Debug, Default)]
struct WordMasks {
    /// `*` positions: they stay set when a character is read.
    star: u64,
    /// Skippable positions (`?` and `*`).
    skippable: u64,
    /// For each block of skippable positions `[s, e]`, bit `s - 1`.
    block_before: u64,
    /// For each block of skippable positions `[s, e]`, bit `e`.
    block_last: u64,
    /// The closure's borrow into this word when no position at all is set (1 inside a block of
    /// skippable positions that starts in an earlier word). A word that holds no position, whose
    /// lower neighbour had no bit 63 and whose borrow in is this one stays empty: [`Nfa::step`]
    /// skips such words at both ends of the state.
    zero_borrow_in: u64,
}

#[derive(Clone, Debug)]
pub(crate) struct Nfa {
    words: usize,
    /// `128 * words` masks: for each ASCII character, the positions that accept it.
    ascii: Box<[u64]>,
    /// Masks for the non-ASCII characters of the pattern, sorted by character.
    other: Box<[(char, Box<[u64]>)]>,
    /// Positions that accept any character (`?` and `*`): the mask of every other character.
    any: Box<[u64]>,
    /// `*` positions, skippable positions and block boundaries, word by word.
    per_word: Box<[WordMasks]>,
    /// The state before any character is read: position 0 and its closure.
    start: Box<[u64]>,
    accept_word: usize,
    accept_bit: u64,
}

fn set(mask: &mut [u64], position: usize) {
    if let Some(word) = mask.get_mut(position / 64) {
        *word |= 1 << (position % 64);
    }
}

impl Nfa {
    pub(crate) fn new(tokens: &[Token]) -> Nfa {
        let positions = tokens.len() + 1;
        let words = positions.div_ceil(64);
        let zero = || vec![0u64; words].into_boxed_slice();
        let (mut any, mut star, mut skippable, mut block_before, mut block_last) =
            (zero(), zero(), zero(), zero(), zero());
        let mut ascii = vec![0u64; 128 * words].into_boxed_slice();
        let mut other: Vec<(char, Box<[u64]>)> = Vec::new();
        for (i, token) in tokens.iter().enumerate() {
            let position = i + 1;
            match token {
                Token::Char(c) => {
                    if c.is_ascii() {
                        let base = (*c as usize) * words;
                        if let Some(mask) = ascii.get_mut(base..base + words) {
                            set(mask, position);
                        }
                    } else {
                        let at = match other.binary_search_by_key(c, |(k, _)| *k) {
                            Ok(at) => at,
                            Err(at) => {
                                other.insert(at, (*c, zero()));
                                at
                            }
                        };
                        if let Some((_, mask)) = other.get_mut(at) {
                            set(mask, position);
                        }
                    }
                }
                Token::Opt | Token::Star => {
                    set(&mut any, position);
                    set(&mut skippable, position);
                    if *token == Token::Star {
                        set(&mut star, position);
                    }
                    let prev_skippable =
                        i > 0 && matches!(tokens.get(i - 1), Some(Token::Opt | Token::Star));
                    let next_skippable =
                        matches!(tokens.get(i + 1), Some(Token::Opt | Token::Star));
                    if !prev_skippable {
                        set(&mut block_before, position - 1);
                    }
                    if !next_skippable {
                        set(&mut block_last, position);
                    }
                }
            }
        }
        for chunk in ascii.chunks_exact_mut(words) {
            for (w, a) in chunk.iter_mut().zip(any.iter()) {
                *w |= a;
            }
        }
        for (_, mask) in &mut other {
            for (w, a) in mask.iter_mut().zip(any.iter()) {
                *w |= a;
            }
        }
        let mut per_word = star
            .iter()
            .zip(skippable.iter())
            .zip(block_before.iter().zip(block_last.iter()))
            .map(
                |((&star, &skippable), (&block_before, &block_last))| WordMasks {
                    star,
                    skippable,
                    block_before,
                    block_last,
                    zero_borrow_in: 0,
                },
            )
            .collect::<Box<[WordMasks]>>();
        let mut borrow = 0u64;
        for masks in per_word.iter_mut() {
            masks.zero_borrow_in = borrow;
            Nfa::close_word(0, masks, &mut borrow);
        }
        let mut nfa = Nfa {
            words,
            ascii,
            other: other.into_boxed_slice(),
            any,
            per_word,
            start: zero(),
            accept_word: tokens.len() / 64,
            accept_bit: 1 << (tokens.len() % 64),
        };
        let mut start = zero();
        set(&mut start, 0);
        nfa.close(&mut start);
        nfa.start = start;
        nfa
    }

    #[inline]
    fn mask_of(&self, c: char) -> &[u64] {
        if c.is_ascii() {
            let base = (c as usize) * self.words;
            self.ascii.get(base..base + self.words).unwrap_or(&self.any)
        } else {
            match self.other.binary_search_by_key(&c, |(k, _)| *k) {
                Ok(at) => self.other.get(at).map_or(&*self.any, |(_, m)| m),
                Err(_) => &self.any,
            }
        }
    }

    /// Epsilon closure of one word: fill every block of skippable positions from its first
    /// reached position. `borrow` carries the subtraction from the word below to the word above.
    #[inline(always)]
    fn close_word(d: u64, masks: &WordMasks, borrow: &mut u64) -> u64 {
        let filled = d | masks.block_last;
        // `filled - block_before - borrow` with the borrow out in the high half (one `sub`/`sbb`).
        let wide = u128::from(filled)
            .wrapping_sub(u128::from(masks.block_before))
            .wrapping_sub(u128::from(*borrow));
        let t = wide as u64;
        *borrow = (wide >> 127) as u64;
        // `skippable & !(t ^ filled)`, with `filled ^ skippable` computed beside the subtraction.
        d | (masks.skippable & (t ^ (filled ^ masks.skippable)))
    }

    /// Epsilon closure of the whole state.
    fn close(&self, state: &mut [u64]) {
        let mut borrow = 0u64;
        for (d, masks) in state.iter_mut().zip(self.per_word.iter()) {
            *d = Nfa::close_word(*d, masks, &mut borrow);
        }
    }

    /// Reads one character: shift along accepting positions, keep `*` positions, then take the
    /// epsilon closure, all in one pass over the state (the shift's carry and the closure's
    /// borrow both run from the low words to the high ones).
    ///
    /// Only the words `lo..` are visited, and the pass stops above `hi` as soon as the rest of
    /// the state must stay empty. Every word outside `lo..=hi` is zero on entry, and the empty
    /// state's closure is empty, so a word below `lo` stays zero (the pass starts at `lo` with
    /// the empty state's borrow), and so does a word above `hi` reached with no shift carry and
    /// the empty state's borrow, and every word after it. `lo` and `hi` are then narrowed to the
    /// words left non-zero, after the positions below the highest set `*` are cleared (they
    /// can add no match). Returns whether any position is still set.
    #[inline]
    fn step(&self, state: &mut [u64], mask: &[u64], lo: &mut usize, hi: &mut usize) -> bool {
        let start = *lo;
        // Words up to `hi + 1` may receive the shift's carry; above that only the closure's
        // borrow can reach.
        let end = (*hi + 2).min(self.words);
        let (Some(state), Some(mask), Some(per_word)) = (
            state.get_mut(start..),
            mask.get(start..end),
            self.per_word.get(start..),
        ) else {
            return false;
        };
        let mut carry = 0u64;
        let mut borrow = per_word.first().map_or(0, |m| m.zero_borrow_in);
        let mut words = state.iter_mut().zip(per_word);
        // `mask` first: a zip polls its left side first, so `words` is not advanced past `end`.
        for (m, (d, masks)) in mask.iter().zip(words.by_ref()) {
            let old = *d;
            let shifted = (((old << 1) | carry) & m) | (old & masks.star);
            carry = old >> 63;
            *d = Nfa::close_word(shifted, masks, &mut borrow);
        }
        let mut visited = mask.len();
        for (d, masks) in words {
            if borrow == masks.zero_borrow_in {
                break;
            }
            *d = Nfa::close_word(0, masks, &mut borrow);
            visited += 1;
        }
        let visited = state.get_mut(..visited).unwrap_or_default();
        // A set `*` position dominates every position below it: a run from a lower position
        // reaches the accepting position only through it, and could have waited there on the
        // `*`. Clearing the lower positions changes no answer and keeps the live range short.
        if let Some(k) = visited
            .iter()
            .zip(per_word)
            .rposition(|(d, m)| d & m.star != 0)
        {
            let (below, at) = visited.split_at_mut(k);
            below.fill(0);
            if let (Some(d), Some(m)) = (at.first_mut(), per_word.get(k))
                && let Some(top) = (*d & m.star).checked_ilog2()
            {
                *d &= !0u64 << top;
            }
        }
        match (
            visited.iter().position(|&w| w != 0),
            visited.iter().rposition(|&w| w != 0),
        ) {
            (Some(first), Some(last)) => {
                *lo = start + first;
                *hi = start + last;
                true
            }
            _ => false,
        }
    }

    pub(crate) fn is_match(&self, text: &str) -> bool {
        if self.words == 1 {
            return self.is_match_one_word(text);
        }
        let mut stack = [0u64; STACK_WORDS];
        let mut heap = Vec::new();
        let state: &mut [u64] = if self.words <= STACK_WORDS {
            stack.get_mut(..self.words).unwrap_or_default()
        } else {
            heap.resize(self.words, 0);
            &mut heap
        };
        state.copy_from_slice(&self.start);
        let mut lo = state.iter().position(|&w| w != 0).unwrap_or(0);
        let mut hi = state.iter().rposition(|&w| w != 0).unwrap_or(0);
        for c in text.chars() {
            if !self.step(state, self.mask_of(c), &mut lo, &mut hi) {
                return false;
            }
        }
        state
            .get(self.accept_word)
            .is_some_and(|w| w & self.accept_bit != 0)
    }

    /// The common case, patterns of at most 63 tokens, with the state in one register.
    #[inline]
    fn is_match_one_word(&self, text: &str) -> bool {
        let first = |mask: &[u64]| mask.first().copied().unwrap_or(0);
        let masks = self.per_word.first().copied().unwrap_or_default();
        let (star, skip, before, last) = (
            masks.star,
            masks.skippable,
            masks.block_before,
            masks.block_last,
        );
        let mut d = first(&self.start);
        let bytes = text.as_bytes();
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            let mask = if b < 0x80 {
                i += 1;
                self.ascii.get(usize::from(b)).copied().unwrap_or(0)
            } else {
                let c = text
                    .get(i..)
                    .and_then(|rest| rest.chars().next())
                    .unwrap_or('\u{fffd}');
                i += c.len_utf8().max(1);
                first(self.mask_of(c))
            };
            d = ((d << 1) & mask) | (d & star);
            if d == 0 {
                return false;
            }
            let filled = d | last;
            d |= skip & (filled.wrapping_sub(before) ^ (filled ^ skip));
        }
        d & self.accept_bit != 0
    }
}

#[cfg(test)]
mod tests {
    use crate::pattern::Pattern;
    use crate::syntax::tokenize;

    use super::Nfa;

    /// The textbook dynamic program, as the oracle: `reach[j]` is whether the first `j` pattern
    /// characters match the text read so far.
    fn oracle(pattern: &str, text: &str) -> bool {
        let pattern: Vec<char> = pattern.chars().collect();
        let close = |reach: &mut Vec<bool>| {
            for j in 1..=pattern.len() {
                if matches!(pattern[j - 1], '*' | '?') && reach[j - 1] {
                    reach[j] = true;
                }
            }
        };
        let mut reach = vec![false; pattern.len() + 1];
        reach[0] = true;
        close(&mut reach);
        for c in text.chars() {
            let mut next = vec![false; pattern.len() + 1];
            for j in 0..pattern.len() {
                if !reach[j] {
                    continue;
                }
                match pattern[j] {
                    '*' => {
                        next[j] = true;
                        next[j + 1] = true;
                    }
                    '?' => next[j + 1] = true,
                    p => next[j + 1] |= p == c,
                }
                if j > 0 && pattern[j - 1] == '*' {
                    next[j] = true;
                }
            }
            if reach[pattern.len()] && pattern.last() == Some(&'*') {
                next[pattern.len()] = true;
            }
            close(&mut next);
            reach = next;
        }
        reach[pattern.len()]
    }

    /// A deterministic xorshift generator, so the test needs no seed and no dependency.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }

        fn pick(&mut self, from: &[char]) -> char {
            from[self.below(from.len())]
        }
    }

    /// Patterns of 60 to 300 tokens, so that the state spans several words, some with runs of
    /// `?` long enough for a block of skippable positions to cross word boundaries, against texts
    /// built from the pattern: the live-range tracking and the `*` dominance of the multi-word
    /// path must change no answer.
    #[test]
    fn multi_word_states_agree_with_the_dynamic_program() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for case in 0..200 {
            let len = 60 + rng.below(240);
            let mut pattern = String::new();
            for _ in 0..len {
                pattern.push(match rng.below(10) {
                    0..=4 => rng.pick(&['a', 'b']),
                    5..=7 => '?',
                    _ => '*',
                });
                if rng.below(40) == 0 {
                    pattern.push_str(&"?".repeat(rng.below(150)));
                }
            }
            let nfa = Nfa::new(&tokenize(&pattern));
            let general = Pattern::new_general(&pattern);
            for _ in 0..6 {
                let mut text: Vec<char> = Vec::new();
                for c in pattern.chars() {
                    match c {
                        '*' => (0..rng.below(4)).for_each(|_| text.push(rng.pick(&['a', 'b']))),
                        '?' if rng.below(2) == 0 => text.push(rng.pick(&['a', 'b'])),
                        '?' => {}
                        c => text.push(c),
                    }
                }
                if rng.below(2) == 0 && !text.is_empty() {
                    let at = rng.below(text.len());
                    text[at] = rng.pick(&['a', 'b', 'c']);
                }
                let text: String = text.into_iter().collect();
                let expected = oracle(&pattern, &text);
                assert_eq!(
                    nfa.is_match(&text),
                    expected,
                    "case {case}: {pattern} on {text}"
                );
                assert_eq!(general.is_match(&text), expected, "case {case}: {pattern}");
            }
        }
    }
}
