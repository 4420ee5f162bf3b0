//! Substring search tuned for the short texts principal names are.
//!
//! `memchr`'s `memmem` is vectorised and wins on long texts, but below a few dozen bytes it
//! falls back to Rabin-Karp behind an indirect call, which measured 15 to 40 ns on resource ids
//! of 11 to 21 bytes, more than a whole match of most patterns. Short texts are searched with
//! Horspool's algorithm instead (compare the window's last byte, skip by a table), a handful of
//! probes on such texts; longer texts go to `memmem`.

use memchr::memmem;

/// Texts shorter than this are searched with Horspool's algorithm, longer ones with `memmem`.
/// Both take about the same time on 32 to 64 bytes.
const SHORT: usize = 48;

/// A compiled needle.
#[derive(Clone, Debug)]
pub(crate) struct Finder {
    needle: Box<[u8]>,
    /// For each byte, how far the window may move when it is the window's last byte: the
    /// distance from its last occurrence in the needle (its final byte excluded) to the end.
    shift: Box<[u8; 256]>,
    /// `memmem`'s searcher for long texts.
    long: Box<memmem::Finder<'static>>,
}

impl Finder {
    /// A finder for `needle`, which must not be empty.
    pub(crate) fn new(needle: &[u8]) -> Finder {
        let len = needle.len();
        let mut shift = Box::new([u8::try_from(len).unwrap_or(u8::MAX); 256]);
        for (i, &b) in needle.iter().enumerate().take(len.saturating_sub(1)) {
            if let Some(s) = shift.get_mut(usize::from(b)) {
                *s = u8::try_from(len - 1 - i).unwrap_or(u8::MAX);
            }
        }
        Finder {
            needle: needle.into(),
            shift,
            long: Box::new(memmem::Finder::new(needle).into_owned()),
        }
    }

    /// The needle's length.
    pub(crate) fn len(&self) -> usize {
        self.needle.len()
    }

    /// The start of the first occurrence of the needle in `haystack`.
    #[inline]
    pub(crate) fn find(&self, haystack: &[u8]) -> Option<usize> {
        self.find_in(haystack, 0, haystack.len())
    }

    /// The start of the first occurrence of the needle in `haystack[from..to]`, as an offset in
    /// `haystack`.
    #[inline(always)]
    pub(crate) fn find_in(&self, haystack: &[u8], from: usize, to: usize) -> Option<usize> {
        if to.saturating_sub(from) < SHORT {
            self.find_short(haystack, from, to)
        } else {
            self.find_long(haystack.get(from..to)?).map(|i| from + i)
        }
    }

    /// Out of line, so that the short path's callers keep their registers.
    #[inline(never)]
    fn find_long(&self, haystack: &[u8]) -> Option<usize> {
        self.long.find(haystack)
    }

    /// Horspool's algorithm on `haystack[from..to]`.
    #[inline(always)]
    fn find_short(&self, haystack: &[u8], from: usize, to: usize) -> Option<usize> {
        let (&last, head) = self.needle.split_last()?;
        let haystack = haystack.get(..to)?;
        let mut end = from + head.len(); // index of the window's last byte
        while let Some(&b) = haystack.get(end) {
            if b == last {
                let start = end - head.len();
                if haystack.get(start..end).is_some_and(|w| same(w, head)) {
                    return Some(start);
                }
            }
            // Every shift is at least 1: the table holds distances from before the needle's end.
            end += usize::from(self.shift.get(usize::from(b)).copied().unwrap_or(1));
        }
        None
    }
}

/// Byte equality without a call to `memcmp`, which costs more than the comparison itself on the
/// few bytes literals usually have: up to 16 bytes are compared as two overlapping words.
#[inline]
pub(crate) fn same(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    match n {
        0 => true,
        // The first, middle and last bytes are all of them.
        1..=3 => (a.first() == b.first()) & (a.get(n / 2) == b.get(n / 2)) & (a.last() == b.last()),
        // `&`, not `&&`: one branch on the outcome rather than two.
        4..=8 => {
            (word::<4>(a, 0) == word::<4>(b, 0)) & (word::<4>(a, n - 4) == word::<4>(b, n - 4))
        }
        9..=16 => {
            (word::<8>(a, 0) == word::<8>(b, 0)) & (word::<8>(a, n - 8) == word::<8>(b, n - 8))
        }
        _ => a == b,
    }
}

/// The `N` bytes of `s` at `at`, as an array (one load); zeros if `s` is too short, which the
/// callers rule out.
#[inline(always)]
fn word<const N: usize>(s: &[u8], at: usize) -> [u8; N] {
    s.get(at..at + N)
        .and_then(|w| <[u8; N]>::try_from(w).ok())
        .unwrap_or([0; N])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(haystack: &[u8], needle: &[u8]) -> Option<usize> {
        haystack.windows(needle.len()).position(|w| w == needle)
    }

    #[test]
    fn finds_the_first_occurrence_in_short_and_long_texts() {
        let needles: [&[u8]; 6] = [b"a", b"ab", b"aba", b"-Admin", "é/".as_bytes(), b"xyzzy"];
        let texts = [
            "".to_owned(),
            "a".to_owned(),
            "ababa".to_owned(),
            "eng/Team7-Admin".to_owned(),
            "eng/eu/Team-AdminRole".to_owned(),
            "é/é/é".to_owned(),
            "ab".repeat(40) + "-Admin" + &"aba".repeat(10),
            "b".repeat(100) + "xyzzy",
        ];
        for needle in needles {
            let finder = Finder::new(needle);
            for text in &texts {
                for start in 0..=text.len() {
                    let hay = &text.as_bytes()[start..];
                    assert_eq!(
                        finder.find(hay),
                        naive(hay, needle),
                        "{needle:?} in {hay:?}"
                    );
                    let short = finder.find_short(text.as_bytes(), start, text.len());
                    assert_eq!(short.map(|i| i - start), naive(hay, needle));
                    let long = finder.find_in(text.as_bytes(), start, text.len());
                    assert_eq!(long.map(|i| i - start), naive(hay, needle));
                }
            }
        }
    }

    #[test]
    fn same_compares_every_byte() {
        let a = b"0123456789abcdefXYZ";
        for len in 0..a.len() {
            assert!(same(&a[..len], &a[..len]));
            for i in 0..len {
                let mut b = a[..len].to_vec();
                b[i] ^= 1;
                assert!(!same(&a[..len], &b), "{len} {i}");
            }
        }
        assert!(!same(b"ab", b"abc"));
    }
}
