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

use crate::pattern::Token;

/// State words kept on the stack; longer patterns (more than 2,047 positions) use a heap buffer.
const STACK_WORDS: usize = 32;

#[derive(Clone, Debug)]
pub(crate) struct Nfa {
    words: usize,
    /// `128 * words` masks: for each ASCII character, the positions that accept it.
    ascii: Box<[u64]>,
    /// Masks for the non-ASCII characters of the pattern, sorted by character.
    other: Box<[(char, Box<[u64]>)]>,
    /// Positions that accept any character (`?` and `*`): the mask of every other character.
    any: Box<[u64]>,
    /// `*` positions: they stay set when a character is read.
    star: Box<[u64]>,
    /// Skippable positions (`?` and `*`).
    skippable: Box<[u64]>,
    /// For each block of skippable positions `[s, e]`, bit `s - 1`.
    block_before: Box<[u64]>,
    /// For each block of skippable positions `[s, e]`, bit `e`.
    block_last: Box<[u64]>,
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
        let mut nfa = Nfa {
            words,
            ascii,
            other: other.into_boxed_slice(),
            any,
            star,
            skippable,
            block_before,
            block_last,
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

    /// Epsilon closure: fill every block of skippable positions from its first reached position.
    #[inline]
    fn close(&self, state: &mut [u64]) {
        let mut borrow = 0u64;
        for (w, d) in state.iter_mut().enumerate() {
            let (Some(last), Some(before), Some(skip)) = (
                self.block_last.get(w),
                self.block_before.get(w),
                self.skippable.get(w),
            ) else {
                return;
            };
            let filled = *d | last;
            let (t, b1) = filled.overflowing_sub(*before);
            let (t, b2) = t.overflowing_sub(borrow);
            borrow = u64::from(b1 || b2);
            *d |= skip & (!t ^ filled);
        }
    }

    /// Reads one character: shift along accepting positions, keep `*` positions.
    #[inline]
    fn step(&self, state: &mut [u64], mask: &[u64]) -> bool {
        let mut carry = 0u64;
        let mut alive = 0u64;
        for ((d, m), s) in state.iter_mut().zip(mask).zip(self.star.iter()) {
            let old = *d;
            *d = (((old << 1) | carry) & m) | (old & s);
            carry = old >> 63;
            alive |= *d;
        }
        self.close(state);
        alive != 0
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
        for c in text.chars() {
            if !self.step(state, self.mask_of(c)) {
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
        let (star, skip, before, last) = (
            first(&self.star),
            first(&self.skippable),
            first(&self.block_before),
            first(&self.block_last),
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
            d |= skip & (!filled.wrapping_sub(before) ^ filled);
        }
        d & self.accept_bit != 0
    }
}
