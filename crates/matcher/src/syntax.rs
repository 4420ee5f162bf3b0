//! The wildcard syntax, read once: the automaton ([`crate::nfa`]) and the choice of a strategy
//! ([`crate::pattern`]) both work on its output, so neither depends on the other.
//!
//! A pattern is read character by character: `*` is [`Token::Star`], `?` is [`Token::Opt`],
//! anything else a [`Token::Char`] that matches itself. Every run of wildcards that holds a `*` is
//! then collapsed to one `Star` (`.*` absorbs any `.?` and `.*` beside it, so `?*`, `*?` and `**`
//! all mean `*`). After that, a `Star` is never next to another wildcard, and the tokens split
//! into literal runs, runs of `?` and single stars ([`Run`]).

/// One element of a normalised pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Token {
    /// A character that matches itself.
    Char(char),
    /// `?`: any one character, or nothing.
    Opt,
    /// `*`: any run of characters. Never adjacent to another `Star` or to an `Opt`.
    Star,
}

impl Token {
    /// `?` or `*`.
    pub(crate) fn is_wildcard(self) -> bool {
        matches!(self, Token::Opt | Token::Star)
    }
}

/// Splits a pattern into tokens and collapses every run of wildcards that holds a `*` into one
/// `Star`.
pub(crate) fn tokenize(pattern: &str) -> Vec<Token> {
    let mut tokens: Vec<Token> = Vec::with_capacity(pattern.len());
    let mut run_start = 0usize; // index in `tokens` where the current wildcard run starts
    let mut run_has_star = false;
    for c in pattern.chars() {
        match c {
            '*' | '?' => {
                if !tokens.last().is_some_and(|t| t.is_wildcard()) {
                    run_start = tokens.len();
                    run_has_star = false;
                }
                if c == '*' && !run_has_star {
                    tokens.truncate(run_start);
                    tokens.push(Token::Star);
                    run_has_star = true;
                } else if c == '?' && !run_has_star {
                    tokens.push(Token::Opt);
                }
            }
            c => tokens.push(Token::Char(c)),
        }
    }
    tokens
}

/// The text `tokens` stand for if they hold no wildcard.
pub(crate) fn literal(tokens: &[Token]) -> Option<String> {
    tokens
        .iter()
        .map(|t| match t {
            Token::Char(c) => Some(*c),
            Token::Opt | Token::Star => None,
        })
        .collect()
}

/// The longest run of literal characters in `tokens` (empty if there is none): every text the
/// tokens match contains it. The first of equally long runs wins.
pub(crate) fn longest_literal(tokens: &[Token]) -> String {
    tokens
        .split(|t| t.is_wildcard())
        .filter_map(literal)
        .fold(String::new(), |best, run| {
            if run.len() > best.len() { run } else { best }
        })
}

/// How many leading tokens are characters: the literal prefix every match starts with.
pub(crate) fn literal_head(tokens: &[Token]) -> usize {
    tokens
        .iter()
        .take_while(|t| matches!(t, Token::Char(_)))
        .count()
}

/// How many trailing tokens are characters: the literal suffix every match ends with.
pub(crate) fn literal_tail(tokens: &[Token]) -> usize {
    tokens
        .iter()
        .rev()
        .take_while(|t| matches!(t, Token::Char(_)))
        .count()
}

/// A maximal run of tokens of one kind, in a part of a pattern without `*`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Run {
    /// Characters that match themselves.
    Literal(Box<str>),
    /// `n` consecutive `?`: any zero to `n` characters.
    Opt(usize),
}

/// The runs of a star-free part of a pattern; `None` if it holds a `*`.
pub(crate) fn runs(tokens: &[Token]) -> Option<Vec<Run>> {
    let mut runs: Vec<Run> = Vec::new();
    let mut text = String::new();
    let mut opts = 0usize;
    for token in tokens {
        match token {
            Token::Char(c) => {
                if opts > 0 {
                    runs.push(Run::Opt(opts));
                    opts = 0;
                }
                text.push(*c);
            }
            Token::Opt => {
                if !text.is_empty() {
                    runs.push(Run::Literal(std::mem::take(&mut text).into()));
                }
                opts += 1;
            }
            Token::Star => return None,
        }
    }
    if opts > 0 {
        runs.push(Run::Opt(opts));
    }
    if !text.is_empty() {
        runs.push(Run::Literal(text.into()));
    }
    Some(runs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn star_runs_collapse_and_absorb_question_marks() {
        let (a, b) = (Token::Char('a'), Token::Char('b'));
        assert_eq!(tokenize("a*?*?b"), vec![a, Token::Star, b]);
        assert_eq!(tokenize("a??*b"), vec![a, Token::Star, b]);
        assert_eq!(tokenize("a?*?b"), vec![a, Token::Star, b]);
        assert_eq!(tokenize("a??b"), vec![a, Token::Opt, Token::Opt, b]);
        assert_eq!(tokenize("*?*?*?*?"), vec![Token::Star]);
        assert_eq!(tokenize("é?"), vec![Token::Char('é'), Token::Opt]);
        assert_eq!(tokenize(""), vec![]);
    }

    #[test]
    fn literal_pieces_are_read_off_the_tokens() {
        let tokens = tokenize("ab*/Team?-Admin*xyz");
        assert_eq!(literal(&tokens), None);
        assert_eq!(literal(&tokenize("abc")).as_deref(), Some("abc"));
        assert_eq!(longest_literal(&tokens), "-Admin");
        assert_eq!(longest_literal(&tokenize("ab?cd")), "ab");
        assert_eq!(longest_literal(&tokenize("*?")), "");
        assert_eq!((literal_head(&tokens), literal_tail(&tokens)), (2, 3));
        assert_eq!(literal_head(&tokenize("abc")), 3);
    }

    #[test]
    fn star_free_parts_split_into_runs() {
        let lit = |s: &str| Run::Literal(s.into());
        assert_eq!(
            runs(&tokenize("/Team?-Admin")),
            Some(vec![lit("/Team"), Run::Opt(1), lit("-Admin")])
        );
        assert_eq!(
            runs(&tokenize("??a???")),
            Some(vec![Run::Opt(2), lit("a"), Run::Opt(3)])
        );
        assert_eq!(runs(&[]), Some(vec![]));
        assert_eq!(runs(&tokenize("a*b")), None);
    }
}
