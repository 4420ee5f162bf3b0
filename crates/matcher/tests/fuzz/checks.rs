//! The properties the fuzz targets check, shared by the cargo-fuzz targets in `fuzz/fuzz_targets/`
//! (which `#[path]`-include this file) and by the stable replay test `tests/fuzz_replay.rs`.
//!
//! Each `check_*` function takes the raw fuzz input and panics (through `assert!`) when a property
//! is violated; it returns normally for inputs it has nothing to say about. Keep these functions
//! free of anything but `portcullis_matcher`, `regex` and `std`: both crates that include this file
//! depend on exactly those.

use portcullis_matcher::{
    Arn, ArnError, Pattern, PatternSet, PrincipalArn, PrincipalPattern, WildcardSet,
};

/// The fuzz targets, by name; each has a directory of seeds in `fuzz/seeds/<target>/` and of
/// regression inputs in `crates/matcher/tests/fuzz/testdata/<target>/`.
pub const TARGETS: [&str; 3] = ["arn_parse", "principal_pattern_parse", "pattern_vs_regex"];

/// Runs the checks of the target called `target` on `data`.
pub fn check(target: &str, data: &[u8]) {
    match target {
        "arn_parse" => check_arn_parse(data),
        "principal_pattern_parse" => check_principal_pattern_parse(data),
        "pattern_vs_regex" => check_pattern_vs_regex(data),
        other => panic!("unknown fuzz target {other:?}"),
    }
}

/// Patterns longer than this (in chars) are skipped by the regex differential: the oracle's
/// compile time grows with the pattern, and longer patterns add nothing the engine's multi-word
/// state (more than 63 tokens) does not already exercise.
pub const MAX_PATTERN_CHARS: usize = 512;

/// Separates the wildcard pattern from the text in `pattern_vs_regex` inputs. `0xFF` never occurs
/// in UTF-8, so both halves can hold any character.
pub const PATTERN_TEXT_SEPARATOR: u8 = 0xff;

/// Separates the patterns and the principal ARN in `principal_pattern_parse` inputs. `\n` is not
/// printable ASCII, so no valid pattern or principal ARN loses anything by not holding one.
pub const LINE_SEPARATOR: char = '\n';

/// At most this many patterns are taken from one `principal_pattern_parse` input.
pub const MAX_PATTERNS: usize = 8;

/// An error's offset must point into the input, at a char boundary, and its message must say so.
fn check_error(input: &str, err: &ArnError, what: &str) {
    assert!(
        err.offset() <= input.len(),
        "{what} error offset {} past the end of {input:?} ({} bytes): {err}",
        err.offset(),
        input.len()
    );
    assert!(
        input.is_char_boundary(err.offset()),
        "{what} error offset {} is inside a char of {input:?}: {err}",
        err.offset()
    );
    let message = err.to_string();
    assert!(
        message.ends_with(&format!(" at byte {}", err.offset())),
        "{what} error message {message:?} does not end with its offset"
    );
}

/// `arn_parse`: the three parsers never panic on any UTF-8 input; what parses displays back to
/// the input exactly and re-parses to an equal value; every error points at a char boundary
/// inside the input.
pub fn check_arn_parse(data: &[u8]) {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };

    let arn = Arn::parse(input);
    match &arn {
        Ok(arn) => {
            assert_eq!(arn.to_string(), input, "Arn display");
            assert_eq!(arn.as_str(), input, "Arn::as_str");
            let again = arn.to_string();
            assert_eq!(Arn::parse(&again).as_ref(), Ok(arn), "Arn re-parse");
            assert_eq!(
                format!(
                    "arn:{}:{}:{}:{}:{}",
                    arn.partition(),
                    arn.service(),
                    arn.region(),
                    arn.account(),
                    arn.resource()
                ),
                input,
                "Arn accessors reassemble the input"
            );
            assert!(!arn.partition().is_empty(), "empty partition accepted");
            assert!(!arn.service().is_empty(), "empty service accepted");
            assert!(!arn.resource().is_empty(), "empty resource accepted");
            for part in [arn.partition(), arn.service(), arn.region(), arn.account()] {
                assert!(!part.contains(':'), "{part:?} holds a colon in {input:?}");
            }
        }
        Err(err) => check_error(input, err, "Arn"),
    }

    match PrincipalArn::parse(input) {
        Ok(principal) => {
            assert!(arn.is_ok(), "PrincipalArn accepted {input:?}, Arn did not");
            check_principal_arn(input, &principal);
        }
        Err(err) => check_error(input, &err, "PrincipalArn"),
    }

    match PrincipalPattern::parse(input) {
        Ok(pattern) => {
            assert!(
                arn.is_ok(),
                "PrincipalPattern accepted {input:?}, Arn did not"
            );
            check_principal_pattern(input, &pattern);
        }
        Err(err) => check_error(input, &err, "PrincipalPattern"),
    }
}

/// The invariants of a principal ARN parsed from `input`.
fn check_principal_arn(input: &str, principal: &PrincipalArn) {
    assert_eq!(principal.to_string(), input, "PrincipalArn display");
    assert_eq!(principal.as_str(), input, "PrincipalArn::as_str");
    let again = PrincipalArn::parse(&principal.to_string());
    assert_eq!(again.as_ref(), Ok(principal), "PrincipalArn re-parse");
    assert_eq!(
        format!(
            "arn:{}:iam::{}:{}{}{}",
            principal.partition(),
            principal.account(),
            principal.resource_type(),
            principal.path(),
            principal.name()
        ),
        input,
        "PrincipalArn accessors reassemble the input"
    );
    let path = principal.path();
    assert!(
        path.starts_with('/') && path.ends_with('/'),
        "path {path:?} of {input:?}"
    );
    assert!(
        !principal.name().is_empty() && !principal.name().contains('/'),
        "name {:?} of {input:?}",
        principal.name()
    );
    assert_eq!(
        principal.account().len(),
        12,
        "account of {input:?} is not 12 digits"
    );
    assert!(principal.account().bytes().all(|b| b.is_ascii_digit()));
    assert!(!input.contains(['*', '?']), "wildcard in a principal ARN");
    let resource_id = format!("{}{}", path.get(1..).unwrap_or_default(), principal.name());
    assert_eq!(
        principal.resource_id(),
        resource_id,
        "PrincipalArn::resource_id"
    );
}

/// The invariants of a principal pattern parsed from `input`.
fn check_principal_pattern(input: &str, pattern: &PrincipalPattern) {
    assert_eq!(pattern.to_string(), input, "PrincipalPattern display");
    assert_eq!(pattern.as_str(), input, "PrincipalPattern::as_str");
    let again = PrincipalPattern::parse(&pattern.to_string());
    assert_eq!(again.as_ref(), Ok(pattern), "PrincipalPattern re-parse");
    let fields = RawPrincipal::split(input).expect("a parsed pattern has six fields");
    assert_eq!(
        pattern.partition().as_str(),
        fields.partition,
        "pattern partition"
    );
    assert_eq!(pattern.resource_type().as_str(), fields.resource_type);
    assert_eq!(
        pattern.resource_id(),
        fields.resource_id,
        "pattern resource id"
    );
    assert_eq!(
        pattern.pattern().as_str(),
        fields.resource_id,
        "Pattern::as_str"
    );
    assert_eq!(
        pattern.pattern().to_string(),
        fields.resource_id,
        "Pattern display"
    );
    assert_eq!(
        pattern.has_wildcards(),
        fields.resource_id.contains(['*', '?'])
    );
    assert_eq!(
        format!(
            "arn:{}:iam:::{}/{}",
            pattern.partition(),
            pattern.resource_type(),
            pattern.resource_id()
        ),
        input,
        "PrincipalPattern accessors reassemble the input"
    );
}

/// The fields of a principal ARN or pattern, cut from the text without the crate's parser, so
/// the oracle does not trust what it checks.
struct RawPrincipal<'a> {
    partition: &'a str,
    resource_type: &'a str,
    resource_id: &'a str,
}

impl<'a> RawPrincipal<'a> {
    fn split(input: &'a str) -> Option<RawPrincipal<'a>> {
        let mut parts = input.splitn(6, ':');
        let (_arn, partition, _service, _region, _account, resource) = (
            parts.next()?,
            parts.next()?,
            parts.next()?,
            parts.next()?,
            parts.next()?,
            parts.next()?,
        );
        let (resource_type, resource_id) = resource.split_once('/')?;
        Some(RawPrincipal {
            partition,
            resource_type,
            resource_id,
        })
    }
}

/// Translates a wildcard pattern to the regex it is documented to mean: `^(?s:…)$` with `*` →
/// `.*`, `?` → `.?` and every other character literal.
pub fn regex_translation(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() * 2 + 8);
    out.push_str("^(?s:");
    for c in pattern.chars() {
        match c {
            '*' => out.push_str(".*"),
            '?' => out.push_str(".?"),
            c => out.push_str(&regex::escape(c.encode_utf8(&mut [0; 4]))),
        }
    }
    out.push_str(")$");
    out
}

/// How many compiled oracles [`regex_oracle`] keeps. Compiling the regex is most of the cost of
/// an execution, and the fuzzer's mutations often keep a pattern while changing the text.
const ORACLE_CACHE: usize = 1024;

thread_local! {
    static ORACLES: std::cell::RefCell<std::collections::HashMap<String, Option<regex::Regex>>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// The regex oracle for `pattern`, or `None` if it is too large for the regex crate to build.
pub fn regex_oracle(pattern: &str) -> Option<regex::Regex> {
    if let Some(cached) = ORACLES.with(|cache| cache.borrow().get(pattern).cloned()) {
        return cached;
    }
    let oracle = match regex::RegexBuilder::new(&regex_translation(pattern))
        .size_limit(1 << 30)
        .dfa_size_limit(1 << 30)
        .build()
    {
        Ok(re) => Some(re),
        Err(regex::Error::CompiledTooBig(_)) => None,
        Err(err) => panic!("translation of {pattern:?} is not a valid regex: {err}"),
    };
    ORACLES.with(|cache| {
        let mut cache = cache.borrow_mut();
        if cache.len() >= ORACLE_CACHE {
            cache.clear();
        }
        cache.insert(pattern.to_owned(), oracle.clone());
    });
    oracle
}

/// `principal_pattern_parse`: the input is lines; the last is a principal ARN, the ones before it
/// (at most [`MAX_PATTERNS`]) principal patterns. Parsing never panics; each parsed pattern
/// matches the principal exactly when the partitions and resource types are equal and the regex
/// translation of its resource id matches the principal's resource id; and a [`PatternSet`] of the
/// parsed patterns finds exactly the patterns that match one by one.
pub fn check_principal_pattern_parse(data: &[u8]) {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let mut lines: Vec<&str> = input.split(LINE_SEPARATOR).collect();
    let Some(principal_text) = lines.pop() else {
        return;
    };
    lines.truncate(MAX_PATTERNS);

    let principal = match PrincipalArn::parse(principal_text) {
        Ok(principal) => {
            check_principal_arn(principal_text, &principal);
            Some(principal)
        }
        Err(err) => {
            check_error(principal_text, &err, "PrincipalArn");
            None
        }
    };

    let mut patterns = Vec::new();
    for text in lines {
        match PrincipalPattern::parse(text) {
            Ok(pattern) => {
                check_principal_pattern(text, &pattern);
                patterns.push(pattern);
            }
            Err(err) => check_error(text, &err, "PrincipalPattern"),
        }
    }

    let Some(principal) = principal else {
        return;
    };
    let arn = RawPrincipal::split(principal_text).expect("a parsed principal has six fields");
    let mut expected = Vec::new();
    for (i, pattern) in patterns.iter().enumerate() {
        let raw = RawPrincipal::split(pattern.as_str()).expect("a parsed pattern has six fields");
        let matched = pattern.matches(&principal);
        let same_kind = raw.partition == arn.partition && raw.resource_type == arn.resource_type;
        // `None`: the regex is too large to build, so only the kind comparison is checked.
        let oracle = if same_kind {
            regex_oracle(raw.resource_id).map(|re| re.is_match(arn.resource_id))
        } else {
            Some(false)
        };
        if let Some(oracle) = oracle {
            assert_eq!(
                matched,
                oracle,
                "{pattern} matches {principal}: got {matched}, regex {:?} says {oracle}",
                regex_translation(raw.resource_id)
            );
        }
        if matched {
            expected.push(i);
        }
    }

    let set = PatternSet::new(patterns.iter().cloned().enumerate().map(|(i, p)| (p, i)));
    let found: Vec<usize> = set.matches(&principal).into_iter().copied().collect();
    assert_eq!(
        found, expected,
        "PatternSet of {patterns:?} against {principal}"
    );
    assert_eq!(set.is_match(&principal), !expected.is_empty());
}

/// At most this many texts are taken from one `pattern_vs_regex` input.
pub const MAX_TEXTS: usize = 8;

/// Texts of at most this many chars are also checked with every prefix of theirs.
pub const MAX_PREFIX_CHECKED_CHARS: usize = 128;

/// A text the pattern must match: the pattern's literal chars in order, each `*` replaced by the
/// next `n % 4` chars of `source` (where `n` is the code of the char read before them) and each
/// `?` by the next char of `source` if its code is odd, by nothing if it is even. A fuzzed text
/// rarely matches a pattern with many literals; this one always does, so the match side of
/// every engine is exercised as well as the reject side.
pub fn instantiate(pattern: &str, source: &str) -> String {
    let mut source = source.chars();
    let mut out = String::with_capacity(pattern.len() * 2);
    for c in pattern.chars() {
        match c {
            '*' => {
                let n = source.next().map_or(0, |n| u32::from(n) % 4);
                out.extend(source.by_ref().take(n as usize));
            }
            '?' => {
                if let Some(x) = source.next().filter(|x| u32::from(*x) % 2 == 1) {
                    out.push(x);
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// `pattern_vs_regex`: the input is a pattern then texts, each separated by
/// [`PATTERN_TEXT_SEPARATOR`] (each part decoded lossily, so any char can occur). For each text,
/// each prefix of a short text, and a text [`instantiate`]d from the pattern and the first text,
/// `Pattern::new`, the regex translation and a `WildcardSet` (the pattern alone, and among fixed
/// patterns of every strategy) agree on whether it matches; and the instantiated text does
/// match.
pub fn check_pattern_vs_regex(data: &[u8]) {
    let mut parts = data
        .split(|&b| b == PATTERN_TEXT_SEPARATOR)
        .map(String::from_utf8_lossy);
    let pattern = parts.next().unwrap_or_default();
    if pattern.chars().count() > MAX_PATTERN_CHARS {
        return;
    }
    let mut texts: Vec<String> = parts.take(MAX_TEXTS).map(|t| t.into_owned()).collect();
    let instantiated = instantiate(&pattern, texts.first().map_or("", String::as_str));
    texts.push(instantiated.clone());

    let specialised = Pattern::new(&pattern);
    assert_eq!(specialised.as_str(), pattern, "Pattern::as_str");
    assert_eq!(specialised.to_string(), pattern, "Pattern display");
    let oracle = regex_oracle(&pattern);
    // The pattern alone in a set, and among fixed patterns of every strategy (the pattern's index
    // is 0 in both).
    let alone = WildcardSet::new([(&*pattern, 0usize)]);
    let others = [
        "*", "?", "", "a*", "*a", "a*b", "*a*", "*a?b*", "a?b", "*/*",
    ];
    let among: WildcardSet<usize> = std::iter::once(&*pattern).chain(others).zip(0..).collect();
    let others: Vec<Pattern> = others.iter().map(|p| Pattern::new(p)).collect();

    let check_text = |text: &str| {
        let got = specialised.is_match(text);
        assert_eq!(
            alone.is_match(text),
            got,
            "{pattern:?} alone in a set on {text:?}"
        );
        let expected: Vec<usize> = std::iter::once(got)
            .chain(others.iter().map(|p| p.is_match(text)))
            .enumerate()
            .filter_map(|(i, m)| m.then_some(i))
            .collect();
        let found: Vec<usize> = among.matches(text).into_iter().copied().collect();
        assert_eq!(
            found, expected,
            "{pattern:?} among others in a set on {text:?}"
        );
        if let Some(re) = &oracle {
            let want = re.is_match(text);
            assert_eq!(
                got,
                want,
                "{pattern:?} ({:?}) on {text:?}: Pattern says {got}, regex {:?} says {want}",
                specialised.strategy(),
                re.as_str()
            );
        }
        got
    };

    for text in &texts {
        check_text(text);
        if text.chars().count() <= MAX_PREFIX_CHECKED_CHARS {
            for (end, _) in text.char_indices() {
                check_text(text.get(..end).unwrap_or_default());
            }
        }
        // A text always matches itself as a pattern unless it holds a wildcard char; `*`
        // matches everything.
        if !text.contains(['*', '?']) {
            assert!(Pattern::new(text).is_match(text), "{text:?} on itself");
        }
        assert!(Pattern::new("*").is_match(text));
    }
    assert!(
        check_text(&instantiated),
        "{pattern:?} ({:?}) does not match its instantiation {instantiated:?}",
        specialised.strategy()
    );
}
