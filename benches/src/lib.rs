//! Shared corpora for the criterion benches in `benches/`.
//!
//! Everything here is deterministic: the same call always returns the same strings, so two bench
//! runs (or a bench and a test) see the same input.
//!
//! * [`SHAPES`]: hand-written `IAM_PATTERN`s of every shape the matcher specialises (exact,
//!   prefix, suffix, prefix and suffix, contains, general), each with principal ARNs it matches
//!   and principal ARNs it does not, with and without paths.
//! * [`set_patterns`] and [`set_probe`]: `n` distinct, realistic patterns for pattern-set
//!   benchmarks, and a principal ARN that exactly one of them matches.
//! * [`adversarial`]: long wildcard patterns and texts that are worst cases for backtracking and
//!   for the bit-parallel engine.
//! * [`to_regex`]: the documented regex translation of a wildcard pattern, the baseline.

/// One pattern shape of the single-pattern corpus.
#[derive(Clone, Copy, Debug)]
pub struct Shape {
    /// A short name for bench ids, such as `prefix` or `general`.
    pub name: &'static str,
    /// The `IAM_PATTERN`.
    pub pattern: &'static str,
    /// Principal ARNs the pattern matches.
    pub hits: &'static [&'static str],
    /// Principal ARNs of the same partition and type that the pattern does not match.
    pub misses: &'static [&'static str],
}

/// The single-pattern corpus: one entry per shape, in the order the benches report them.
///
/// The comment on each entry names the `Strategy` `Pattern::new` picks for its resource id.
pub const SHAPES: &[Shape] = &[
    // Exact
    Shape {
        name: "exact",
        pattern: "arn:aws:iam:::role/DeployRole",
        hits: &[
            "arn:aws:iam::111122223333:role/DeployRole",
            "arn:aws:iam::444455556666:role/DeployRole",
        ],
        misses: &[
            "arn:aws:iam::111122223333:role/DeployRole2",
            "arn:aws:iam::111122223333:role/DeployRolf",
            "arn:aws:iam::111122223333:role/ops/DeployRole",
        ],
    },
    // Prefix
    Shape {
        name: "prefix",
        pattern: "arn:aws:iam:::role/Dev*",
        hits: &[
            "arn:aws:iam::111122223333:role/Developer",
            "arn:aws:iam::111122223333:role/DevOps-Admin",
            "arn:aws:iam::111122223333:role/Dev",
        ],
        misses: &[
            "arn:aws:iam::111122223333:role/ops/Developer",
            "arn:aws:iam::111122223333:role/QA-Dev",
            "arn:aws:iam::111122223333:role/Admin",
        ],
    },
    // Prefix, on a path
    Shape {
        name: "prefix_path",
        pattern: "arn:aws:iam:::role/service-role/*",
        hits: &[
            "arn:aws:iam::111122223333:role/service-role/AWSCodePipelineServiceRole-us-east-1",
            "arn:aws:iam::111122223333:role/service-role/lambda-exec",
        ],
        misses: &[
            "arn:aws:iam::111122223333:role/Admin",
            "arn:aws:iam::111122223333:role/service-roles/lambda-exec",
            "arn:aws:iam::111122223333:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS",
        ],
    },
    // Prefix, users under a path
    Shape {
        name: "user_path",
        pattern: "arn:aws:iam:::user/dev/*",
        hits: &[
            "arn:aws:iam::111122223333:user/dev/alice",
            "arn:aws:iam::111122223333:user/dev/backend/bob",
        ],
        misses: &[
            "arn:aws:iam::111122223333:user/alice",
            "arn:aws:iam::111122223333:user/devops/carol",
            "arn:aws:iam::111122223333:user/prod/dev/dave",
        ],
    },
    // Suffix
    Shape {
        name: "suffix",
        pattern: "arn:aws:iam:::group/*-Admins",
        hits: &[
            "arn:aws:iam::111122223333:group/Platform-Admins",
            "arn:aws:iam::111122223333:group/eu/Data-Admins",
        ],
        misses: &[
            "arn:aws:iam::111122223333:group/Admins",
            "arn:aws:iam::111122223333:group/Platform-Admin",
            "arn:aws:iam::111122223333:group/eu/Platform-Users",
        ],
    },
    // PrefixSuffix
    Shape {
        name: "prefix_suffix",
        pattern: "arn:aws:iam:::role/ops/*-Deployer",
        hits: &[
            "arn:aws:iam::111122223333:role/ops/prod-Deployer",
            "arn:aws:iam::111122223333:role/ops/eu/staging-Deployer",
        ],
        misses: &[
            "arn:aws:iam::111122223333:role/ops/Deployer",
            "arn:aws:iam::111122223333:role/dev/prod-Deployer",
            "arn:aws:iam::111122223333:role/ops/prod-Deployers",
        ],
    },
    // Contains
    Shape {
        name: "contains",
        pattern: "arn:aws:iam:::role/*Audit*",
        hits: &[
            "arn:aws:iam::111122223333:role/SecurityAuditor",
            "arn:aws:iam::111122223333:role/compliance/AuditReadOnly",
        ],
        misses: &[
            "arn:aws:iam::111122223333:role/SecurityAdmin",
            "arn:aws:iam::111122223333:role/audit/ReadOnly",
            "arn:aws:iam::111122223333:role/compliance/eu-west-1/LogReader",
        ],
    },
    // General: `*`, literal, `?`, literal, `*`
    Shape {
        name: "general",
        pattern: "arn:aws:iam:::role/*/Team?-Admin*",
        hits: &[
            "arn:aws:iam::111122223333:role/eng/Team7-Admin",
            "arn:aws:iam::111122223333:role/eng/eu/Team-AdminRole",
        ],
        misses: &[
            "arn:aws:iam::111122223333:role/Team7-Admin",
            "arn:aws:iam::111122223333:role/eng/Team77-Admin",
            "arn:aws:iam::111122223333:role/eng/Team7-Developer",
        ],
    },
    // General: one `?` between a literal prefix and suffix
    Shape {
        name: "general_opt",
        pattern: "arn:aws:iam:::role/App?Role",
        hits: &[
            "arn:aws:iam::111122223333:role/AppRole",
            "arn:aws:iam::111122223333:role/App1Role",
        ],
        misses: &[
            "arn:aws:iam::111122223333:role/App12Role",
            "arn:aws:iam::111122223333:role/ops/App1Role",
            "arn:aws:iam::111122223333:role/AppXRoles",
        ],
    },
    // General: two inner stars and a literal suffix
    Shape {
        name: "general_stars",
        pattern: "arn:aws:iam:::role/*-prod-*-Reader",
        hits: &[
            "arn:aws:iam::111122223333:role/data-prod-s3-Reader",
            "arn:aws:iam::111122223333:role/eu/app-prod-db-Reader",
        ],
        misses: &[
            "arn:aws:iam::111122223333:role/data-dev-s3-Reader",
            "arn:aws:iam::111122223333:role/data-prod-s3-Writer",
            "arn:aws:iam::111122223333:role/eu/app-production-Reader",
        ],
    },
];

/// The pattern shapes [`set_patterns`] cycles through, in order; `{i}` is the pattern's index.
pub const SET_TEMPLATES: [&str; 6] = [
    "arn:aws:iam:::role/Team{i}-Dev*",
    "arn:aws:iam:::role/*/svc-{i}-?",
    "arn:aws:iam:::role/App{i}Role",
    "arn:aws:iam:::user/team{i}/*",
    "arn:aws:iam:::group/*-Team{i}-Admins",
    "arn:aws:iam:::role/*Project{i}Audit*",
];

/// The set sizes the pattern-set benches run at.
pub const SET_SIZES: [usize; 5] = [10, 100, 1_000, 10_000, 100_000];

/// `n` distinct, realistic `IAM_PATTERN`s: pattern `i` is [`SET_TEMPLATES`]`[i % 6]` with `{i}`
/// replaced by `i`, so a set mixes per-team prefixes (`role/Team{i}-Dev*`), general patterns
/// (`role/*/svc-{i}-?`), exact names (`role/App{i}Role`), user paths (`user/team{i}/*`),
/// group suffixes (`group/*-Team{i}-Admins`) and contains patterns (`role/*Project{i}Audit*`).
///
/// Every number sits between a letter or `-` on one side and a non-digit on the other, so no
/// pattern's literal occurs inside another's: a principal built for pattern `i` matches only it.
pub fn set_patterns(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            let template = SET_TEMPLATES
                .get(i % SET_TEMPLATES.len())
                .copied()
                .unwrap_or_default();
            template.replace("{i}", &i.to_string())
        })
        .collect()
}

/// The index, in [`set_patterns`]`(n)`, of the pattern [`set_probe`]`(n)` matches: the general
/// pattern `role/*/svc-{i}-?` nearest the middle of the set.
pub fn set_probe_target(n: usize) -> usize {
    let templates = SET_TEMPLATES.len();
    (n / 2) / templates * templates + 1
}

/// A principal ARN, with a path, that exactly one pattern of [`set_patterns`]`(n)` matches (for
/// `n >= 2`): the one at [`set_probe_target`]`(n)`.
pub fn set_probe(n: usize) -> String {
    format!(
        "arn:aws:iam::123456789012:role/prod/eu-west-1/svc-{}-a",
        set_probe_target(n)
    )
}

/// One adversarial case: a long pattern and a long text.
#[derive(Clone, Debug)]
pub struct Adversarial {
    /// A short name for bench ids.
    pub name: &'static str,
    /// The wildcard pattern (a plain pattern, not an ARN).
    pub pattern: String,
    /// The text to match.
    pub text: String,
    /// Whether the pattern matches the text.
    pub expected: bool,
}

/// The adversarial cases, all on 1,000-character texts:
///
/// * `star_opt_500`: `"*?" × 500` (1,000 characters) against `"a" × 1,000`;
/// * `opt_a_500_a_500`: `"a?" × 500 + "a" × 500` against `"a" × 1,000` (the general engine's
///   worst case: 500 optional positions live at once);
/// * `star_a_250_b`: `"*a" × 250 + "b"` against `"a" × 1,000` (a classic backtracking blow-up;
///   the literal suffix `b` rejects it at once);
/// * `star_a_250_b_tail`: the same pattern against `"a" × 999 + "b"`, so that the suffix check
///   passes and the automaton has to run over 999 characters with 250 `*` positions.
pub fn adversarial() -> Vec<Adversarial> {
    let a = |n: usize| "a".repeat(n);
    vec![
        Adversarial {
            name: "star_opt_500",
            pattern: "*?".repeat(500),
            text: a(1000),
            expected: true,
        },
        Adversarial {
            name: "opt_a_500_a_500",
            pattern: "a?".repeat(500) + &a(500),
            text: a(1000),
            expected: true,
        },
        Adversarial {
            name: "star_a_250_b",
            pattern: "*a".repeat(250) + "b",
            text: a(1000),
            expected: false,
        },
        Adversarial {
            name: "star_a_250_b_tail",
            pattern: "*a".repeat(250) + "b",
            text: a(999) + "b",
            expected: true,
        },
    ]
}

/// Whether `c` has to be escaped to stand for itself in a regex (the characters
/// `regex_syntax::is_meta_character` lists).
fn is_regex_meta(c: char) -> bool {
    matches!(
        c,
        '\\' | '.'
            | '+'
            | '*'
            | '?'
            | '('
            | ')'
            | '|'
            | '['
            | ']'
            | '{'
            | '}'
            | '^'
            | '$'
            | '#'
            | '&'
            | '-'
            | '~'
    )
}

/// The body of the regex for a wildcard pattern: `*` becomes `.*`, `?` becomes `.?`, and every
/// other character is escaped to match itself.
pub fn to_regex_body(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() * 2);
    for c in pattern.chars() {
        match c {
            '*' => out.push_str(".*"),
            '?' => out.push_str(".?"),
            c => {
                if is_regex_meta(c) {
                    out.push('\\');
                }
                out.push(c);
            }
        }
    }
    out
}

/// The regex a wildcard pattern is documented to mean: `^(?s:…)$` around [`to_regex_body`].
pub fn to_regex(pattern: &str) -> String {
    format!("^(?s:{})$", to_regex_body(pattern))
}

/// The regex for a whole `IAM_PATTERN`, to run against [`principal_key`]: partition and type
/// must be equal, the resource id must match.
pub fn pattern_set_regex(partition: &str, resource_type: &str, resource_id: &str) -> String {
    format!(
        "^(?s:{}:{}/{})$",
        to_regex_body(partition),
        resource_type,
        to_regex_body(resource_id)
    )
}

/// The text a [`pattern_set_regex`] runs against for a principal: `partition:type/resource-id`.
pub fn principal_key(partition: &str, resource_type: &str, resource_id: &str) -> String {
    format!("{partition}:{resource_type}/{resource_id}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use portcullis_matcher::{Pattern, PatternSet, PrincipalArn, PrincipalPattern};

    #[test]
    fn shapes_hit_and_miss_as_labelled_and_agree_with_regex() {
        for shape in SHAPES {
            let pattern = PrincipalPattern::parse(shape.pattern).unwrap();
            let regex = regex::Regex::new(&to_regex(pattern.resource_id())).unwrap();
            for (arns, expected) in [(shape.hits, true), (shape.misses, false)] {
                for arn in arns {
                    let arn = PrincipalArn::parse(arn).unwrap();
                    assert_eq!(pattern.matches(&arn), expected, "{} {arn}", shape.name);
                    assert_eq!(regex.is_match(arn.resource_id()), expected, "{arn}");
                }
            }
        }
    }

    #[test]
    fn set_probe_hits_exactly_one_pattern() {
        for n in [10, 100, 1_000, 10_000] {
            let patterns: Vec<PrincipalPattern> = set_patterns(n)
                .iter()
                .map(|p| PrincipalPattern::parse(p).unwrap())
                .collect();
            let distinct: std::collections::HashSet<&str> =
                patterns.iter().map(PrincipalPattern::as_str).collect();
            assert_eq!(distinct.len(), n);
            let probe = PrincipalArn::parse(&set_probe(n)).unwrap();
            let hits: Vec<usize> = (0..n).filter(|&i| patterns[i].matches(&probe)).collect();
            assert_eq!(hits, vec![set_probe_target(n)], "n = {n}");
            let set = PatternSet::new(patterns.into_iter().zip(0..));
            assert_eq!(set.matches(&probe), vec![&set_probe_target(n)]);
        }
    }

    #[test]
    fn adversarial_cases_have_the_expected_answer() {
        for case in adversarial() {
            assert_eq!(case.text.len(), 1000);
            assert_eq!(
                Pattern::new(&case.pattern).is_match(&case.text),
                case.expected
            );
        }
    }

    #[test]
    fn regex_translation_escapes_literals() {
        assert_eq!(to_regex("a.b*c?"), r"^(?s:a\.b.*c.?)$");
        let re = regex::Regex::new(&to_regex("x+(y)|[z]{1}^$#&-~\\")).unwrap();
        assert!(re.is_match("x+(y)|[z]{1}^$#&-~\\"));
    }
}
