//! SPEC §4, rule by rule: every accept, reject and match example is a test named after its rule.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use portcullis_matcher::{
    ArnErrorKind, ArnPart, Partition, PrincipalArn, PrincipalPattern, ResourceType,
};

fn arn(s: &str) -> PrincipalArn {
    PrincipalArn::parse(s).unwrap_or_else(|e| panic!("`{s}` should parse: {e}"))
}

fn pattern(s: &str) -> PrincipalPattern {
    PrincipalPattern::parse(s).unwrap_or_else(|e| panic!("`{s}` should parse: {e}"))
}

fn arn_error(s: &str) -> ArnErrorKind {
    PrincipalArn::parse(s).expect_err(s).kind()
}

fn pattern_error(s: &str) -> ArnErrorKind {
    PrincipalPattern::parse(s).expect_err(s).kind()
}

// §4.1 IAM: a fully defined principal.

#[test]
fn iam_arn_accepts_users_groups_and_roles_with_and_without_paths() {
    for s in [
        "arn:aws:iam::123456789012:user/Alice",
        "arn:aws:iam::123456789012:group/Admins",
        "arn:aws:iam::123456789012:role/Deployer",
        "arn:aws:iam::123456789012:role/a/b/c/Deployer",
    ] {
        assert_eq!(arn(s).to_string(), s);
    }
}

#[test]
fn iam_arn_accepts_every_partition() {
    for partition in Partition::ALL {
        let s = format!("arn:{partition}:iam::123456789012:role/R");
        assert_eq!(arn(&s).partition(), partition);
        let p = format!("arn:{partition}:iam:::role/R*");
        assert_eq!(pattern(&p).partition(), partition);
    }
    assert_eq!(
        arn_error("arn:aws-mars:iam::123456789012:role/R"),
        ArnErrorKind::UnknownPartition
    );
}

#[test]
fn iam_arn_region_must_be_empty() {
    assert_eq!(
        arn_error("arn:aws:iam:us-east-1:123456789012:role/R"),
        ArnErrorKind::RegionNotEmpty
    );
}

#[test]
fn iam_arn_service_must_be_iam() {
    assert_eq!(
        arn_error("arn:aws:s3::123456789012:role/R"),
        ArnErrorKind::NotIam
    );
}

#[test]
fn iam_arn_account_must_be_twelve_digits() {
    assert_eq!(
        arn_error("arn:aws:iam::12345678901:role/R"),
        ArnErrorKind::InvalidAccount
    );
    assert_eq!(
        arn_error("arn:aws:iam::1234567890123:role/R"),
        ArnErrorKind::InvalidAccount
    );
    assert_eq!(
        arn_error("arn:aws:iam::12345678901a:role/R"),
        ArnErrorKind::InvalidAccount
    );
    assert_eq!(
        arn_error("arn:aws:iam:::role/R"),
        ArnErrorKind::InvalidAccount
    );
}

#[test]
fn iam_arn_type_is_user_group_or_role() {
    assert_eq!(
        arn_error("arn:aws:iam::123456789012:policy/P"),
        ArnErrorKind::UnknownResourceType
    );
    assert_eq!(
        arn_error("arn:aws:iam::123456789012:Role/R"),
        ArnErrorKind::UnknownResourceType
    );
    assert_eq!(
        arn_error("arn:aws:iam::123456789012:role"),
        ArnErrorKind::MissingResourceId
    );
    assert_eq!(
        arn_error("arn:aws:iam::123456789012:role/"),
        ArnErrorKind::MissingResourceId
    );
}

#[test]
fn iam_arn_path_is_printable_ascii_up_to_512_characters() {
    let segment = "p".repeat(510);
    let longest = format!("arn:aws:iam::123456789012:role/{segment}/R");
    assert_eq!(arn(&longest).path().len(), 512);
    let too_long = format!("arn:aws:iam::123456789012:role/{segment}x/R");
    assert_eq!(arn_error(&too_long), ArnErrorKind::PathTooLong);
    assert_eq!(
        arn_error("arn:aws:iam::123456789012:role/a b/R"),
        ArnErrorKind::InvalidCharacter
    );
    assert_eq!(
        arn_error("arn:aws:iam::123456789012:role/é/R"),
        ArnErrorKind::InvalidCharacter
    );
    assert_eq!(arn("arn:aws:iam::123456789012:role/a!~/R").path(), "/a!~/");
}

#[test]
fn iam_arn_name_characters_and_lengths_follow_the_type() {
    assert_eq!(
        arn_error("arn:aws:iam::123456789012:role/a!b"),
        ArnErrorKind::InvalidNameCharacter
    );
    assert_eq!(
        arn_error("arn:aws:iam::123456789012:role/path/"),
        ArnErrorKind::InvalidNameLength { max: 64 }
    );
    assert_eq!(
        arn_error("arn:aws:iam::123456789012:role/path//"),
        ArnErrorKind::InvalidNameLength { max: 64 }
    );
    let name = |n| "n".repeat(n);
    arn(&format!("arn:aws:iam::123456789012:role/{}", name(64)));
    arn(&format!("arn:aws:iam::123456789012:user/{}", name(64)));
    arn(&format!("arn:aws:iam::123456789012:group/{}", name(128)));
    let too_long_role = format!("arn:aws:iam::123456789012:role/{}", name(65));
    assert_eq!(
        arn_error(&too_long_role),
        ArnErrorKind::InvalidNameLength { max: 64 }
    );
    let too_long_group = format!("arn:aws:iam::123456789012:group/{}", name(129));
    assert_eq!(
        arn_error(&too_long_group),
        ArnErrorKind::InvalidNameLength { max: 128 }
    );
}

#[test]
fn iam_arn_has_no_wildcard_anywhere() {
    for (s, part) in [
        ("arn:aws:iam::123456789012:role/Dev*", ArnPart::ResourceId),
        ("arn:aws:iam::123456789012:role/*/Dev", ArnPart::ResourceId),
        ("arn:aws:iam::123456789012:role/Dev?", ArnPart::ResourceId),
        ("arn:aws:iam::123456789012:r*le/Dev", ArnPart::ResourceType),
        ("arn:*:iam::123456789012:role/Dev", ArnPart::Partition),
        ("arn:aws:i?m::123456789012:role/Dev", ArnPart::Service),
        ("arn:aws:iam:*:123456789012:role/Dev", ArnPart::Region),
        ("arn:aws:iam::12345678901?:role/Dev", ArnPart::Account),
    ] {
        assert_eq!(
            arn_error(s),
            ArnErrorKind::WildcardInPrincipal { part },
            "{s}"
        );
    }
}

#[test]
fn iam_arn_sts_session_is_not_a_principal_arn() {
    assert_eq!(
        arn_error("arn:aws:sts::123456789012:assumed-role/Deployer/session"),
        ArnErrorKind::NotIam
    );
}

#[test]
fn iam_arn_parts_are_reported() {
    let a = arn("arn:aws-us-gov:iam::111122223333:group/x/y/Team");
    assert_eq!(
        (
            a.partition(),
            a.account(),
            a.resource_type(),
            a.path(),
            a.name(),
            a.resource_id()
        ),
        (
            Partition::AwsUsGov,
            "111122223333",
            ResourceType::Group,
            "/x/y/",
            "Team",
            "x/y/Team"
        )
    );
}

// §4.2 IAM_PATTERN.

#[test]
fn iam_pattern_spec_accepted_examples() {
    for s in [
        "arn:aws:iam:::role/ResourceName_*",
        "arn:aws:iam:::role/*/ResourceName_?",
        "arn:aws:iam:::user/dev/*",
        "arn:aws:iam:::group/Admins",
    ] {
        assert_eq!(pattern(s).to_string(), s);
    }
}

#[test]
fn iam_pattern_spec_rejected_examples() {
    let cases = [
        (
            "arn:aws:iam:::*/ResourceName",
            ArnErrorKind::Wildcard {
                part: ArnPart::ResourceType,
            },
        ),
        (
            "arn:aws:iam::123456789012:role/Dev*",
            ArnErrorKind::AccountNotAllowed,
        ),
        (
            "arn:aws:iam:us-east-1::role/x",
            ArnErrorKind::RegionNotEmpty,
        ),
        ("arn:aws:s3:::role/x", ArnErrorKind::NotIam),
        ("arn:aws:iam:::policy/x", ArnErrorKind::UnknownResourceType),
        (
            "arn:*:iam:::role/x",
            ArnErrorKind::Wildcard {
                part: ArnPart::Partition,
            },
        ),
    ];
    for (s, kind) in cases {
        assert_eq!(pattern_error(s), kind, "{s}");
    }
}

#[test]
fn iam_pattern_wildcards_outside_the_resource_id_name_their_part() {
    let cases = [
        ("arn:aws:i?m:::role/x", ArnPart::Service, 9),
        ("arn:aws:iam:*::role/x", ArnPart::Region, 12),
        ("arn:aws:iam::*:role/x", ArnPart::Account, 13),
        ("arn:aws:iam:::ro*le/x", ArnPart::ResourceType, 16),
    ];
    for (s, part, offset) in cases {
        let err = PrincipalPattern::parse(s).unwrap_err();
        assert_eq!(
            (err.kind(), err.offset()),
            (ArnErrorKind::Wildcard { part }, offset),
            "{s}"
        );
    }
}

#[test]
fn iam_pattern_resource_id_is_non_empty_printable_ascii() {
    assert_eq!(
        pattern_error("arn:aws:iam:::role/"),
        ArnErrorKind::MissingResourceId
    );
    assert_eq!(
        pattern_error("arn:aws:iam:::role"),
        ArnErrorKind::MissingResourceId
    );
    assert_eq!(
        pattern_error("arn:aws:iam:::role/a b"),
        ArnErrorKind::InvalidCharacter
    );
    assert_eq!(
        pattern_error("arn:aws:iam:::role/é*"),
        ArnErrorKind::InvalidCharacter
    );
}

#[test]
fn iam_pattern_allows_any_number_of_wildcards_anywhere_in_the_resource_id() {
    let p = pattern("arn:aws:iam:::role/**??*/?*?/*");
    assert!(p.has_wildcards());
    assert_eq!(p.resource_id(), "**??*/?*?/*");
    assert!(!pattern("arn:aws:iam:::role/exact-name").has_wildcards());
}

// §4.3 Matching.

#[test]
fn matching_spec_examples() {
    let p = pattern("arn:aws:iam:::role/*/ResourceName_?");
    assert!(p.matches(&arn(
        "arn:aws:iam::111122223333:role/pathA/pathB/ResourceName_1"
    )));
    assert!(p.matches(&arn("arn:aws:iam::111122223333:role/pathA/ResourceName_1")));
    assert!(p.matches(&arn("arn:aws:iam::111122223333:role/pathA/ResourceName_")));
    assert!(!p.matches(&arn("arn:aws:iam::111122223333:role/ResourceName_1")));
}

#[test]
fn matching_ignores_the_principal_account() {
    let p = pattern("arn:aws:iam:::user/dev/*");
    assert!(p.matches(&arn("arn:aws:iam::111122223333:user/dev/a")));
    assert!(p.matches(&arn("arn:aws:iam::444455556666:user/dev/a")));
}

#[test]
fn matching_requires_equal_partition_and_type() {
    let p = pattern("arn:aws:iam:::role/*");
    assert!(!p.matches(&arn("arn:aws-cn:iam::111122223333:role/a")));
    assert!(!p.matches(&arn("arn:aws:iam::111122223333:user/a")));
}

#[test]
fn matching_is_case_sensitive_decision() {
    // SPEC §4.3 Decision: AWS documents no case folding.
    let p = pattern("arn:aws:iam:::role/Admin*");
    assert!(p.matches(&arn("arn:aws:iam::111122223333:role/AdminRole")));
    assert!(!p.matches(&arn("arn:aws:iam::111122223333:role/adminrole")));
}

#[test]
fn question_mark_matches_zero_or_one_character() {
    let p = pattern("arn:aws:iam:::role/Team?");
    assert!(p.matches(&arn("arn:aws:iam::111122223333:role/Team")));
    assert!(p.matches(&arn("arn:aws:iam::111122223333:role/Team1")));
    assert!(!p.matches(&arn("arn:aws:iam::111122223333:role/Team12")));
}

#[test]
fn star_matches_runs_including_slash() {
    let p = pattern("arn:aws:iam:::role/app*");
    assert!(p.matches(&arn("arn:aws:iam::111122223333:role/app/x/y/z")));
}
