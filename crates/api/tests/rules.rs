//! SPEC §3–§6 and §9, rule by rule: each test's name states the rule it pins.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::*;
use portcullis_model::*;

const IAM: &str = "IAM";
const PATTERN: &str = "IAM_PATTERN";

fn owner_role(name: &str) -> String {
    format!("arn:aws:iam::{OWNER}:role/{name}")
}

// ---- §3 field validation ---------------------------------------------------------------------

#[test]
fn missing_required_field_is_invalid_parameters() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    let e = assert_error(
        w.service.associate_principal_with_portfolio(
            &caller(OWNER),
            AssociatePrincipalWithPortfolioInput {
                portfolio_id: Some(id),
                principal_arn: Some(owner_role("a")),
                ..Default::default()
            },
        ),
        ErrorKind::InvalidParameters,
    );
    assert!(e.message().contains("PrincipalType"), "{}", e.message());
}

#[test]
fn portfolio_id_pattern_and_length_are_validated_before_lookup() {
    let w = World::new();
    for bad in ["", "port/../x", &"p".repeat(101)] {
        let e = assert_error(
            w.associate(OWNER, bad, &owner_role("a"), IAM),
            ErrorKind::InvalidParameters,
        );
        assert!(e.message().contains("PortfolioId"), "{}", e.message());
    }
}

#[test]
fn principal_type_must_be_iam_or_iam_pattern() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    assert_error(
        w.associate(OWNER, &id, &owner_role("a"), "iam"),
        ErrorKind::InvalidParameters,
    );
    assert_error(
        w.associate(OWNER, &id, &owner_role("a"), "ROLE"),
        ErrorKind::InvalidParameters,
    );
}

#[test]
fn principal_arn_longer_than_1000_characters_is_invalid_parameters() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    let long = format!("arn:aws:iam:::role/{}", "a".repeat(990));
    assert_error(
        w.associate(OWNER, &id, &long, PATTERN),
        ErrorKind::InvalidParameters,
    );
}

#[test]
fn accept_language_other_than_en_jp_zh_is_invalid_parameters_decision() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    for (language, ok) in [
        ("en", true),
        ("jp", true),
        ("zh", true),
        ("fr", false),
        ("EN", false),
    ] {
        let result = w.service.associate_principal_with_portfolio(
            &caller(OWNER),
            AssociatePrincipalWithPortfolioInput {
                accept_language: Some(language.into()),
                portfolio_id: Some(id.clone()),
                principal_arn: Some(owner_role("lang")),
                principal_type: Some(IAM.into()),
            },
        );
        assert_eq!(result.is_ok(), ok, "{language}");
    }
}

#[test]
fn generated_ids_have_the_aws_form() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    assert!(id.starts_with("port-") && id.len() == 18, "{id}");
    assert!(
        id[5..]
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    );
    let detail = w
        .service
        .describe_portfolio(
            &caller(OWNER),
            DescribePortfolioInput {
                id: Some(id.clone()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(
        detail.portfolio_detail.arn,
        format!("arn:aws:catalog:us-east-1:{OWNER}:portfolio/{id}")
    );
}

// ---- §2 callers: resources are per account and region -----------------------------------------

#[test]
fn portfolio_in_another_region_is_not_found() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    let elsewhere = caller_in(OWNER, "eu-west-1");
    assert_error(
        w.service.describe_portfolio(
            &elsewhere,
            DescribePortfolioInput {
                id: Some(id),
                ..Default::default()
            },
        ),
        ErrorKind::ResourceNotFound,
    );
}

// ---- §5.1 AssociatePrincipalWithPortfolio ------------------------------------------------------

#[test]
fn associate_unknown_portfolio_is_resource_not_found() {
    let w = World::new();
    assert_error(
        w.associate(OWNER, "port-doesnotexist", &owner_role("a"), IAM),
        ErrorKind::ResourceNotFound,
    );
}

#[test]
fn associate_on_another_accounts_portfolio_is_resource_not_found() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    assert_error(
        w.associate(OTHER, &id, &format!("arn:aws:iam::{OTHER}:role/a"), IAM),
        ErrorKind::ResourceNotFound,
    );
}

#[test]
fn associate_iam_principal_of_another_account_is_not_found_with_aws_message() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    let e = assert_error(
        w.associate(OWNER, &id, &format!("arn:aws:iam::{OTHER}:role/a"), IAM),
        ErrorKind::ResourceNotFound,
    );
    assert_eq!(
        e.message(),
        format!("caller account id ({OWNER}) does not match input account id ({OTHER})")
    );
}

#[test]
fn associate_pattern_sent_as_iam_is_not_found_for_its_missing_account() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    let e = assert_error(
        w.associate(OWNER, &id, "arn:aws:iam:::role/Dev*", IAM),
        ErrorKind::ResourceNotFound,
    );
    assert_eq!(
        e.message(),
        format!("caller account id ({OWNER}) does not match input account id ()")
    );
}

#[test]
fn associate_iam_account_check_comes_before_arn_validation() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    // Invalid name characters, but the wrong account is reported first.
    assert_error(
        w.associate(OWNER, &id, &format!("arn:aws:iam::{OTHER}:role/a!b"), IAM),
        ErrorKind::ResourceNotFound,
    );
    // Own account: now the ARN itself is validated.
    assert_error(
        w.associate(OWNER, &id, &format!("arn:aws:iam::{OWNER}:role/a!b"), IAM),
        ErrorKind::InvalidParameters,
    );
}

#[test]
fn associate_validates_the_arn_for_its_type() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    for bad in [
        "arn:aws:iam:::*/ResourceName",
        "arn:aws:iam::123456789012:role/Dev*",
        "arn:aws:iam:us-east-1::role/x",
        "arn:aws:s3:::role/x",
        "arn:aws:iam:::policy/x",
        "arn:*:iam:::role/x",
    ] {
        let e = assert_error(
            w.associate(OWNER, &id, bad, PATTERN),
            ErrorKind::InvalidParameters,
        );
        assert!(e.message().contains(bad), "{}", e.message());
    }
    for good in [
        "arn:aws:iam:::role/ResourceName_*",
        "arn:aws:iam:::role/*/ResourceName_?",
        "arn:aws:iam:::user/dev/*",
        "arn:aws:iam:::group/Admins",
    ] {
        w.associate(OWNER, &id, good, PATTERN).unwrap();
    }
}

#[test]
fn associate_eleventh_pattern_is_limit_exceeded() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    for i in 0..10 {
        w.associate(
            OWNER,
            &id,
            &format!("arn:aws:iam:::role/team{i}-*"),
            PATTERN,
        )
        .unwrap();
    }
    assert_error(
        w.associate(OWNER, &id, "arn:aws:iam:::role/team10-*", PATTERN),
        ErrorKind::LimitExceeded,
    );
    assert_eq!(w.principals(OWNER, &id).unwrap().len(), 10);
    // IAM associations have their own limit.
    w.associate(OWNER, &id, &owner_role("still-fine"), IAM)
        .unwrap();
}

#[test]
fn associate_iam_limit_is_1000_per_portfolio_and_account_decision() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    for i in 0..1000 {
        w.associate(OWNER, &id, &owner_role(&format!("r{i}")), IAM)
            .unwrap();
    }
    assert_error(
        w.associate(OWNER, &id, &owner_role("r1000"), IAM),
        ErrorKind::LimitExceeded,
    );
}

#[test]
fn associate_twice_is_idempotent_and_counts_once() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    for i in 0..10 {
        w.associate(OWNER, &id, &format!("arn:aws:iam:::role/t{i}*"), PATTERN)
            .unwrap();
    }
    // The same pattern again at the limit: success, nothing changes.
    w.associate(OWNER, &id, "arn:aws:iam:::role/t0*", PATTERN)
        .unwrap();
    w.associate(OWNER, &id, &owner_role("x"), IAM).unwrap();
    w.associate(OWNER, &id, &owner_role("x"), IAM).unwrap();
    assert_eq!(w.principals(OWNER, &id).unwrap().len(), 11);
}

#[test]
fn associate_on_imported_portfolio_belongs_to_the_recipient_account() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    w.share_with_account(OWNER, &id, OTHER).unwrap();
    w.accept(OTHER, &id, None).unwrap();
    let recipient_role = format!("arn:aws:iam::{OTHER}:role/builder");
    w.associate(OTHER, &id, &recipient_role, IAM).unwrap();
    assert_eq!(
        w.principals(OTHER, &id).unwrap(),
        vec![(recipient_role, PrincipalType::Iam)]
    );
    assert!(w.principals(OWNER, &id).unwrap().is_empty());
}

#[test]
fn associate_before_accepting_an_account_share_is_not_found() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    w.share_with_account(OWNER, &id, OTHER).unwrap();
    assert_error(
        w.associate(OTHER, &id, &format!("arn:aws:iam::{OTHER}:role/b"), IAM),
        ErrorKind::ResourceNotFound,
    );
}

// ---- §5.2 DisassociatePrincipalFromPortfolio -------------------------------------------------

#[test]
fn disassociate_type_must_match_the_association() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    let pattern = "arn:aws:iam:::role/Dev*";
    w.associate(OWNER, &id, pattern, PATTERN).unwrap();
    assert_error(
        w.disassociate(OWNER, &id, pattern, Some(IAM)),
        ErrorKind::ResourceNotFound,
    );
    w.disassociate(OWNER, &id, pattern, Some(PATTERN)).unwrap();
    assert!(w.principals(OWNER, &id).unwrap().is_empty());
}

#[test]
fn disassociate_omitted_type_means_iam() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    let pattern = "arn:aws:iam:::role/Dev*";
    w.associate(OWNER, &id, pattern, PATTERN).unwrap();
    assert_error(
        w.disassociate(OWNER, &id, pattern, None),
        ErrorKind::ResourceNotFound,
    );
    w.associate(OWNER, &id, &owner_role("x"), IAM).unwrap();
    w.disassociate(OWNER, &id, &owner_role("x"), None).unwrap();
}

#[test]
fn disassociate_unknown_association_is_resource_not_found() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    assert_error(
        w.disassociate(OWNER, &id, &owner_role("never"), None),
        ErrorKind::ResourceNotFound,
    );
    assert_error(
        w.disassociate(OWNER, "port-missing000000", &owner_role("never"), None),
        ErrorKind::ResourceNotFound,
    );
}

#[test]
fn disassociate_iam_leaves_access_a_pattern_still_grants() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    let dev = owner_role("DevOps");
    w.associate(OWNER, &id, &dev, IAM).unwrap();
    w.associate(OWNER, &id, "arn:aws:iam:::role/Dev*", PATTERN)
        .unwrap();
    w.disassociate(OWNER, &id, &dev, None).unwrap();
    assert!(w.allowed(OWNER, &id, &dev));
    let revoke = w
        .service
        .associations_to_revoke(&caller(OWNER), &id.parse().unwrap(), &principal(&dev))
        .unwrap();
    assert_eq!(revoke.len(), 1);
    assert_eq!(revoke[0].principal_arn, "arn:aws:iam:::role/Dev*");
    w.disassociate(OWNER, &id, "arn:aws:iam:::role/Dev*", Some(PATTERN))
        .unwrap();
    assert!(!w.allowed(OWNER, &id, &dev));
}

#[test]
fn disassociate_reaches_principal_sharing_recipients_at_once() {
    let w = World::new();
    let org = w.organization();
    let id = w.portfolio(OWNER);
    w.associate(OWNER, &id, "arn:aws:iam:::role/Builder*", PATTERN)
        .unwrap();
    w.share_with_node(OWNER, &id, "ORGANIZATION", &org.id, true)
        .unwrap();
    let member = &org.members[0];
    let builder = format!("arn:aws:iam::{member}:role/BuilderRole");
    assert!(w.allowed(member, &id, &builder));
    w.disassociate(OWNER, &id, "arn:aws:iam:::role/Builder*", Some(PATTERN))
        .unwrap();
    assert!(!w.allowed(member, &id, &builder));
}

// ---- §5.3 CreatePortfolioShare ---------------------------------------------------------------

#[test]
fn share_needs_exactly_one_of_account_id_and_organization_node() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    assert_error(
        w.service.create_portfolio_share(
            &caller(OWNER),
            CreatePortfolioShareInput {
                portfolio_id: Some(id.clone()),
                ..Default::default()
            },
        ),
        ErrorKind::InvalidParameters,
    );
    assert_error(
        w.service.create_portfolio_share(
            &caller(OWNER),
            CreatePortfolioShareInput {
                portfolio_id: Some(id),
                account_id: Some(OTHER.into()),
                organization_node: Some(OrganizationNodeInput {
                    node_type: Some("ACCOUNT".into()),
                    value: Some(OTHER.into()),
                }),
                ..Default::default()
            },
        ),
        ErrorKind::InvalidParameters,
    );
}

#[test]
fn share_of_portfolio_not_owned_is_not_found() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    assert_error(
        w.share_with_account(OTHER, &id, THIRD),
        ErrorKind::ResourceNotFound,
    );
}

#[test]
fn share_of_imported_portfolio_is_operation_not_supported() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    w.share_with_account(OWNER, &id, OTHER).unwrap();
    w.accept(OTHER, &id, None).unwrap();
    assert_error(
        w.share_with_account(OTHER, &id, THIRD),
        ErrorKind::OperationNotSupported,
    );
}

#[test]
fn share_with_own_account_is_invalid_parameters() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    assert_error(
        w.share_with_account(OWNER, &id, OWNER),
        ErrorKind::InvalidParameters,
    );
}

#[test]
fn share_account_id_must_be_twelve_digits() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    assert_error(
        w.share_with_account(OWNER, &id, "12345"),
        ErrorKind::InvalidParameters,
    );
}

#[test]
fn share_principals_only_with_organization_or_ou_node() {
    let w = World::new();
    let org = w.organization();
    let id = w.portfolio(OWNER);
    assert_error(
        w.service.create_portfolio_share(
            &caller(OWNER),
            CreatePortfolioShareInput {
                portfolio_id: Some(id.clone()),
                account_id: Some(OTHER.into()),
                share_principals: Some(true),
                ..Default::default()
            },
        ),
        ErrorKind::InvalidParameters,
    );
    assert_error(
        w.share_with_node(OWNER, &id, "ACCOUNT", &org.members[0], true),
        ErrorKind::InvalidParameters,
    );
    w.share_with_node(OWNER, &id, "ORGANIZATIONAL_UNIT", &org.ou, true)
        .unwrap();
}

#[test]
fn organization_share_by_member_is_operation_not_supported() {
    let w = World::new();
    let org = w.organization();
    let member = &org.members[0];
    let id = w.portfolio(member);
    assert_error(
        w.share_with_node(member, &id, "ORGANIZATION", &org.id, false),
        ErrorKind::OperationNotSupported,
    );
}

#[test]
fn organization_share_by_account_outside_any_organization_is_operation_not_supported() {
    let w = World::new();
    let id = w.portfolio(THIRD);
    assert_error(
        w.share_with_node(THIRD, &id, "ORGANIZATION", "o-abcdefghij", false),
        ErrorKind::OperationNotSupported,
    );
}

#[test]
fn organization_share_without_organizations_access_is_invalid_state() {
    let w = World::new();
    let org = w.organization();
    w.service
        .disable_aws_organizations_access(&caller(OWNER), DisableAwsOrganizationsAccessInput {})
        .unwrap();
    let id = w.portfolio(OWNER);
    assert_error(
        w.share_with_node(OWNER, &id, "ORGANIZATION", &org.id, false),
        ErrorKind::InvalidState,
    );
}

#[test]
fn organization_share_with_unknown_node_is_not_found() {
    let w = World::new();
    let org = w.organization();
    let id = w.portfolio(OWNER);
    assert_error(
        w.share_with_node(OWNER, &id, "ORGANIZATION", "o-zzzzzzzzzz", false),
        ErrorKind::ResourceNotFound,
    );
    assert_error(
        w.share_with_node(OWNER, &id, "ORGANIZATIONAL_UNIT", "ou-zzzz-zzzzzzzz", false),
        ErrorKind::ResourceNotFound,
    );
    assert_error(
        w.share_with_node(OWNER, &id, "ACCOUNT", THIRD, false),
        ErrorKind::ResourceNotFound,
    );
    w.share_with_node(OWNER, &id, "ACCOUNT", &org.members[1], false)
        .unwrap();
}

#[test]
fn organization_node_accepts_ids_and_arns() {
    let w = World::new();
    let org = w.organization();
    let id = w.portfolio(OWNER);
    let arn = format!("arn:aws:organizations::{OWNER}:organization/{}", org.id);
    let token = w
        .share_with_node(OWNER, &id, "ORGANIZATION", &arn, false)
        .unwrap()
        .portfolio_share_token;
    assert!(token.is_some());
}

#[test]
fn delegated_administrator_can_share_with_organization_nodes() {
    let w = World::new();
    let org = w.organization();
    let admin = org.members[0].clone();
    w.service
        .register_delegated_administrator(
            &caller(OWNER),
            RegisterDelegatedAdministratorRequest {
                account_id: Some(admin.clone()),
                service_principal: Some("servicecatalog.amazonaws.com".into()),
            },
        )
        .unwrap();
    let id = w.portfolio(&admin);
    w.share_with_node(&admin, &id, "ORGANIZATIONAL_UNIT", &org.ou, false)
        .unwrap();
}

#[test]
fn repeated_share_is_idempotent_and_keeps_its_flags_and_token() {
    let w = World::new();
    let org = w.organization();
    let id = w.portfolio(OWNER);
    let first = w
        .share_with_node(OWNER, &id, "ORGANIZATION", &org.id, false)
        .unwrap()
        .portfolio_share_token;
    let again = w
        .share_with_node(OWNER, &id, "ORGANIZATION", &org.id, true)
        .unwrap()
        .portfolio_share_token;
    assert_eq!(first, again);
    let shares = w
        .service
        .describe_portfolio_shares(
            &caller(OWNER),
            DescribePortfolioSharesInput {
                portfolio_id: Some(id.clone()),
                share_type: Some("ORGANIZATION".into()),
                ..Default::default()
            },
        )
        .unwrap()
        .portfolio_share_details;
    assert_eq!(shares.len(), 1);
    assert!(
        !shares[0].share_principals,
        "flags unchanged: use UpdatePortfolioShare"
    );
    assert!(
        w.share_with_account(OWNER, &id, OTHER)
            .unwrap()
            .portfolio_share_token
            .is_none()
    );
    assert!(
        w.share_with_account(OWNER, &id, OTHER)
            .unwrap()
            .portfolio_share_token
            .is_none()
    );
}

#[test]
fn organization_share_status_is_completed_with_every_covered_account_decision() {
    let w = World::new();
    let org = w.organization();
    let id = w.portfolio(OWNER);
    let token = w
        .share_with_node(OWNER, &id, "ORGANIZATION", &org.id, false)
        .unwrap()
        .portfolio_share_token
        .unwrap();
    let status = w
        .service
        .describe_portfolio_share_status(
            &caller(OWNER),
            DescribePortfolioShareStatusInput {
                portfolio_share_token: Some(token.to_string()),
            },
        )
        .unwrap();
    assert_eq!(status.status, ShareStatus::Completed);
    assert_eq!(status.organization_node_value, org.id);
    let mut accounts: Vec<String> = status
        .share_details
        .successful_shares
        .iter()
        .map(|a| a.to_string())
        .collect();
    accounts.sort();
    let mut expected = vec![
        OWNER.to_string(),
        org.members[0].clone(),
        org.members[1].clone(),
    ];
    expected.sort();
    assert_eq!(accounts, expected);
    assert!(token.as_str().starts_with("share-"));
}

#[test]
fn share_limit_is_1000_per_portfolio_decision() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    for i in 0..1000u64 {
        w.share_with_account(OWNER, &id, &format!("{:012}", 500_000_000_000 + i))
            .unwrap();
    }
    assert_error(
        w.share_with_account(OWNER, &id, "999999999999"),
        ErrorKind::LimitExceeded,
    );
}

// ---- §5.4 shares from both sides -------------------------------------------------------------

#[test]
fn account_share_is_unaccepted_until_the_recipient_accepts() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    w.share_with_account(OWNER, &id, OTHER).unwrap();
    let describe = |w: &World| {
        w.service
            .describe_portfolio_shares(
                &caller(OWNER),
                DescribePortfolioSharesInput {
                    portfolio_id: Some(id.clone()),
                    share_type: Some("ACCOUNT".into()),
                    ..Default::default()
                },
            )
            .unwrap()
            .portfolio_share_details
    };
    assert!(!describe(&w)[0].accepted);
    w.accept(OTHER, &id, None).unwrap();
    assert!(describe(&w)[0].accepted);
}

#[test]
fn reject_declines_an_account_share() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    w.share_with_account(OWNER, &id, OTHER).unwrap();
    w.accept(OTHER, &id, None).unwrap();
    w.service
        .reject_portfolio_share(
            &caller(OTHER),
            RejectPortfolioShareInput {
                portfolio_id: Some(id.clone()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_error(
        w.associate(OTHER, &id, &format!("arn:aws:iam::{OTHER}:role/b"), IAM),
        ErrorKind::ResourceNotFound,
    );
}

#[test]
fn accept_default_type_for_organization_only_share_is_portfolio_not_found() {
    let w = World::new();
    let org = w.organization();
    let id = w.portfolio(OWNER);
    w.share_with_node(OWNER, &id, "ORGANIZATION", &org.id, false)
        .unwrap();
    let e = assert_error(
        w.accept(&org.members[0], &id, None),
        ErrorKind::ResourceNotFound,
    );
    assert_eq!(e.message(), format!("Portfolio not found: {id}"));
    w.accept(&org.members[0], &id, Some("AWS_ORGANIZATIONS"))
        .unwrap();
}

#[test]
fn organization_share_covers_accounts_moved_in_later() {
    let w = World::new();
    let org = w.organization();
    let id = w.portfolio(OWNER);
    w.associate(OWNER, &id, "arn:aws:iam:::role/Ops*", PATTERN)
        .unwrap();
    w.share_with_node(OWNER, &id, "ORGANIZATIONAL_UNIT", &org.ou, true)
        .unwrap();
    let member = org.members[1].clone();
    let ops = format!("arn:aws:iam::{member}:role/OpsAdmin");
    assert!(!w.allowed(OWNER, &id, &ops));
    w.move_account(&member, &org.root, &org.ou);
    assert!(w.allowed(OWNER, &id, &ops));
    assert!(w.allowed(&member, &id, &ops));
}

#[test]
fn describe_portfolio_works_for_owner_and_recipients_only() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    let describe = |who: &str| {
        w.service.describe_portfolio(
            &caller(who),
            DescribePortfolioInput {
                id: Some(id.clone()),
                ..Default::default()
            },
        )
    };
    describe(OWNER).unwrap();
    assert_error(describe(OTHER), ErrorKind::ResourceNotFound);
    w.share_with_account(OWNER, &id, OTHER).unwrap();
    assert_error(describe(OTHER), ErrorKind::ResourceNotFound);
    w.accept(OTHER, &id, None).unwrap();
    describe(OTHER).unwrap();
}

#[test]
fn delete_portfolio_in_use_is_resource_in_use() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    let delete = |who: &str| {
        w.service.delete_portfolio(
            &caller(who),
            DeletePortfolioInput {
                id: Some(id.clone()),
                ..Default::default()
            },
        )
    };
    w.associate(OWNER, &id, &owner_role("x"), IAM).unwrap();
    assert_error(delete(OWNER), ErrorKind::ResourceInUse);
    w.disassociate(OWNER, &id, &owner_role("x"), None).unwrap();
    w.share_with_account(OWNER, &id, OTHER).unwrap();
    assert_error(delete(OWNER), ErrorKind::ResourceInUse);
    w.service
        .delete_portfolio_share(
            &caller(OWNER),
            DeletePortfolioShareInput {
                portfolio_id: Some(id.clone()),
                account_id: Some(OTHER.into()),
                ..Default::default()
            },
        )
        .unwrap();
    delete(OWNER).unwrap();
    assert_error(delete(OWNER), ErrorKind::ResourceNotFound);
}

#[test]
fn delete_portfolio_by_non_owner_is_not_found_decision() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    assert_error(
        w.service.delete_portfolio(
            &caller(OTHER),
            DeletePortfolioInput {
                id: Some(id),
                ..Default::default()
            },
        ),
        ErrorKind::ResourceNotFound,
    );
}

#[test]
fn deleted_portfolio_id_is_never_reused() {
    let w = World::new();
    let mut seen = std::collections::HashSet::new();
    for _ in 0..200 {
        let id = w.portfolio(OWNER);
        w.service
            .delete_portfolio(
                &caller(OWNER),
                DeletePortfolioInput {
                    id: Some(id.clone()),
                    ..Default::default()
                },
            )
            .unwrap();
        assert!(seen.insert(id));
    }
}

#[test]
fn delete_share_removes_recipient_access_at_once() {
    let w = World::new();
    let org = w.organization();
    let id = w.portfolio(OWNER);
    w.associate(OWNER, &id, "arn:aws:iam:::role/App*", PATTERN)
        .unwrap();
    w.share_with_node(OWNER, &id, "ORGANIZATION", &org.id, true)
        .unwrap();
    let member = &org.members[0];
    let app = format!("arn:aws:iam::{member}:role/AppRole");
    assert!(w.allowed(member, &id, &app));
    let node = OrganizationNodeInput {
        node_type: Some("ORGANIZATION".into()),
        value: Some(org.id.clone()),
    };
    w.service
        .delete_portfolio_share(
            &caller(OWNER),
            DeletePortfolioShareInput {
                portfolio_id: Some(id.clone()),
                organization_node: Some(node),
                ..Default::default()
            },
        )
        .unwrap();
    assert!(!w.allowed(OWNER, &id, &app));
}

#[test]
fn update_share_toggles_principal_sharing() {
    let w = World::new();
    let org = w.organization();
    let id = w.portfolio(OWNER);
    w.associate(OWNER, &id, "arn:aws:iam:::role/App*", PATTERN)
        .unwrap();
    w.share_with_node(OWNER, &id, "ORGANIZATION", &org.id, false)
        .unwrap();
    let app = format!("arn:aws:iam::{}:role/AppRole", org.members[0]);
    assert!(!w.allowed(OWNER, &id, &app));
    let node = OrganizationNodeInput {
        node_type: Some("ORGANIZATION".into()),
        value: Some(org.id.clone()),
    };
    let out = w
        .service
        .update_portfolio_share(
            &caller(OWNER),
            UpdatePortfolioShareInput {
                portfolio_id: Some(id.clone()),
                organization_node: Some(node),
                share_principals: Some(true),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(out.status, Some(ShareStatus::Completed));
    assert!(w.allowed(OWNER, &id, &app));
}

#[test]
fn list_portfolio_access_lists_account_shares_accepted_or_not_decision() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    w.share_with_account(OWNER, &id, OTHER).unwrap();
    w.share_with_account(OWNER, &id, THIRD).unwrap();
    w.accept(OTHER, &id, None).unwrap();
    let out = w
        .service
        .list_portfolio_access(
            &caller(OWNER),
            ListPortfolioAccessInput {
                portfolio_id: Some(id),
                ..Default::default()
            },
        )
        .unwrap();
    let ids: Vec<String> = out.account_ids.iter().map(|a| a.to_string()).collect();
    assert_eq!(ids, vec![OTHER.to_string(), THIRD.to_string()]);
}

#[test]
fn list_organization_portfolio_access_is_for_administrators_only() {
    let w = World::new();
    let org = w.organization();
    let id = w.portfolio(OWNER);
    w.share_with_node(OWNER, &id, "ORGANIZATIONAL_UNIT", &org.ou, false)
        .unwrap();
    let list = |who: &str| {
        w.service.list_organization_portfolio_access(
            &caller(who),
            ListOrganizationPortfolioAccessInput {
                portfolio_id: Some(id.clone()),
                organization_node_type: Some("ORGANIZATIONAL_UNIT".into()),
                ..Default::default()
            },
        )
    };
    assert_eq!(list(OWNER).unwrap().organization_nodes[0].value, org.ou);
    assert_error(list(&org.members[0]), ErrorKind::OperationNotSupported);
}

#[test]
fn pagination_walks_every_principal_once() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    for i in 0..25 {
        w.associate(OWNER, &id, &owner_role(&format!("r{i:02}")), IAM)
            .unwrap();
    }
    let mut seen = Vec::new();
    let mut token = None;
    loop {
        let out = w
            .service
            .list_principals_for_portfolio(
                &caller(OWNER),
                ListPrincipalsForPortfolioInput {
                    portfolio_id: Some(id.clone()),
                    page_size: Some(7),
                    page_token: token,
                    ..Default::default()
                },
            )
            .unwrap();
        assert!(out.principals.len() <= 7);
        seen.extend(out.principals.into_iter().map(|p| p.principal_arn));
        match out.next_page_token {
            Some(t) => token = Some(t.to_string()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 25);
    assert_error(
        w.service.list_principals_for_portfolio(
            &caller(OWNER),
            ListPrincipalsForPortfolioInput {
                portfolio_id: Some(id),
                page_size: Some(101),
                ..Default::default()
            },
        ),
        ErrorKind::InvalidParameters,
    );
}

// ---- §6 access evaluation --------------------------------------------------------------------

#[test]
fn access_owner_principal_by_iam_or_pattern() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    w.associate(OWNER, &id, &owner_role("Exact"), IAM).unwrap();
    w.associate(OWNER, &id, "arn:aws:iam:::role/*/Team?-Admin*", PATTERN)
        .unwrap();
    assert!(w.allowed(OWNER, &id, &owner_role("Exact")));
    assert!(w.allowed(OWNER, &id, &owner_role("ops/Team7-AdminRole")));
    assert!(!w.allowed(OWNER, &id, &owner_role("Team7-AdminRole")));
    assert!(!w.allowed(OWNER, &id, &owner_role("Other")));
}

#[test]
fn access_pattern_of_owner_does_not_reach_recipients_without_principal_sharing() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    w.associate(OWNER, &id, "arn:aws:iam:::role/Dev*", PATTERN)
        .unwrap();
    w.share_with_account(OWNER, &id, OTHER).unwrap();
    w.accept(OTHER, &id, None).unwrap();
    assert!(!w.allowed(OWNER, &id, &format!("arn:aws:iam::{OTHER}:role/DevOps")));
}

#[test]
fn access_recipient_needs_a_covering_share() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    w.associate(OWNER, &id, "arn:aws:iam:::role/Dev*", PATTERN)
        .unwrap();
    assert!(!w.allowed(OWNER, &id, &format!("arn:aws:iam::{OTHER}:role/DevOps")));
}

#[test]
fn access_recipient_association_on_imported_portfolio_grants_through_the_share() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    w.share_with_account(OWNER, &id, OTHER).unwrap();
    w.accept(OTHER, &id, None).unwrap();
    let role = format!("arn:aws:iam::{OTHER}:role/Builder");
    w.associate(OTHER, &id, &role, IAM).unwrap();
    let decision = w
        .service
        .check_access(&caller(OWNER), &id.parse().unwrap(), &principal(&role))
        .unwrap();
    assert_eq!(decision.grants.len(), 1);
    assert_eq!(decision.grants[0].account.as_str(), OTHER);
    assert!(matches!(
        decision.grants[0].via,
        portcullis_api::GrantVia::RecipientAssociation(_)
    ));
}

#[test]
fn access_principal_sharing_names_the_share_and_the_owner_pattern() {
    let w = World::new();
    let org = w.organization();
    let id = w.portfolio(OWNER);
    w.associate(OWNER, &id, "arn:aws:iam:::role/Deploy*", PATTERN)
        .unwrap();
    w.share_with_node(OWNER, &id, "ORGANIZATION", &org.id, true)
        .unwrap();
    let role = format!("arn:aws:iam::{}:role/DeployBot", org.members[0]);
    let out = w
        .service
        .check_portfolio_access(
            &caller(OWNER),
            CheckPortfolioAccessInput {
                portfolio_id: Some(id.clone()),
                principal_arn: Some(role),
                ..Default::default()
            },
        )
        .unwrap();
    assert!(out.allowed);
    assert_eq!(out.grants.len(), 1);
    assert_eq!(
        out.grants[0].association.principal_arn,
        "arn:aws:iam:::role/Deploy*"
    );
    assert_eq!(out.grants[0].association.account_id.as_str(), OWNER);
    let share = out.grants[0].share.as_ref().unwrap();
    assert_eq!(share.principal_id, org.id);
    assert!(share.share_principals);
}

#[test]
fn access_check_by_stranger_is_not_found() {
    let w = World::new();
    let id = w.portfolio(OWNER);
    assert_error(
        w.service.check_access(
            &caller(THIRD),
            &id.parse().unwrap(),
            &principal(&owner_role("x")),
        ),
        ErrorKind::ResourceNotFound,
    );
}

#[test]
fn reverse_query_lists_exactly_the_usable_portfolios() {
    let w = World::new();
    let org = w.organization();
    let member = org.members[0].clone();
    let a = w.portfolio(OWNER);
    let b = w.portfolio(OWNER);
    let c = w.portfolio(OWNER);
    w.associate(OWNER, &a, "arn:aws:iam:::role/Dev*", PATTERN)
        .unwrap();
    w.associate(OWNER, &b, "arn:aws:iam:::role/Dev*", PATTERN)
        .unwrap();
    w.associate(OWNER, &c, &owner_role("DevOps"), IAM).unwrap();
    w.share_with_node(OWNER, &a, "ORGANIZATION", &org.id, true)
        .unwrap();
    w.share_with_node(OWNER, &b, "ORGANIZATION", &org.id, false)
        .unwrap();
    let in_member = principal(&format!("arn:aws:iam::{member}:role/DevOps"));
    let in_owner = principal(&owner_role("DevOps"));
    // Ordered by creation time, then id: compare as sets.
    let ids = |p| -> Vec<String> {
        let mut ids: Vec<String> = w
            .service
            .portfolios_for_principal(&caller(OWNER), p)
            .iter()
            .map(|r| r.id.to_string())
            .collect();
        ids.sort();
        ids
    };
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    assert_eq!(ids(&in_member), vec![a.clone()]);
    assert_eq!(
        ids(&in_owner),
        sorted(vec![a.clone(), b.clone(), c.clone()])
    );
    // The index follows writes at once.
    w.disassociate(OWNER, &c, &owner_role("DevOps"), None)
        .unwrap();
    assert_eq!(ids(&in_owner), sorted(vec![a, b]));
}

#[test]
fn reverse_query_agrees_with_check_access() {
    let w = World::new();
    let org = w.organization();
    let mut ids = Vec::new();
    for i in 0..12 {
        let id = w.portfolio(OWNER);
        w.associate(
            OWNER,
            &id,
            &format!("arn:aws:iam:::role/*-{}", i % 3),
            PATTERN,
        )
        .unwrap();
        if i % 2 == 0 {
            w.share_with_node(OWNER, &id, "ORGANIZATION", &org.id, i % 4 == 0)
                .unwrap();
        }
        ids.push(id);
    }
    for account in [OWNER, org.members[0].as_str(), THIRD] {
        for name in ["a-0", "b-1", "x/c-2", "none"] {
            let p = principal(&format!("arn:aws:iam::{account}:role/{name}"));
            let mut found: Vec<String> = w
                .service
                .portfolios_for_principal(&caller(OWNER), &p)
                .iter()
                .map(|r| r.id.to_string())
                .collect();
            let mut expected: Vec<String> = ids
                .iter()
                .filter(|id| w.allowed(OWNER, id, p.as_str()))
                .cloned()
                .collect();
            found.sort();
            expected.sort();
            assert_eq!(found, expected, "{p}");
        }
    }
}

// ---- §9 organizations access -----------------------------------------------------------------

#[test]
fn organizations_access_is_changed_by_the_management_account_only() {
    let w = World::new();
    let org = w.organization();
    assert_error(
        w.service.enable_aws_organizations_access(
            &caller(&org.members[0]),
            EnableAwsOrganizationsAccessInput {},
        ),
        ErrorKind::OperationNotSupported,
    );
    assert_error(
        w.service
            .enable_aws_organizations_access(&caller(THIRD), EnableAwsOrganizationsAccessInput {}),
        ErrorKind::ResourceNotFound,
    );
    let status = w
        .service
        .get_aws_organizations_access_status(
            &caller(OWNER),
            GetAwsOrganizationsAccessStatusInput {},
        )
        .unwrap();
    assert_eq!(status.access_status, AccessStatus::Enabled);
}

#[test]
fn disabling_organizations_access_with_delegated_administrators_is_invalid_state() {
    let w = World::new();
    let org = w.organization();
    w.service
        .register_delegated_administrator(
            &caller(OWNER),
            RegisterDelegatedAdministratorRequest {
                account_id: Some(org.members[0].clone()),
                service_principal: Some("servicecatalog.amazonaws.com".into()),
            },
        )
        .unwrap();
    assert_error(
        w.service.disable_aws_organizations_access(
            &caller(OWNER),
            DisableAwsOrganizationsAccessInput {},
        ),
        ErrorKind::InvalidState,
    );
    // A delegated administrator reads the status.
    let status = w.service.get_aws_organizations_access_status(
        &caller(&org.members[0]),
        GetAwsOrganizationsAccessStatusInput {},
    );
    assert_eq!(status.unwrap().access_status, AccessStatus::Enabled);
}

#[test]
fn disabling_organizations_access_keeps_existing_shares() {
    let w = World::new();
    let org = w.organization();
    let id = w.portfolio(OWNER);
    w.associate(OWNER, &id, "arn:aws:iam:::role/Keep*", PATTERN)
        .unwrap();
    w.share_with_node(OWNER, &id, "ORGANIZATION", &org.id, true)
        .unwrap();
    w.service
        .disable_aws_organizations_access(&caller(OWNER), DisableAwsOrganizationsAccessInput {})
        .unwrap();
    assert!(w.allowed(
        OWNER,
        &id,
        &format!("arn:aws:iam::{}:role/KeepMe", org.members[0])
    ));
    let other = w.portfolio(OWNER);
    assert_error(
        w.share_with_node(OWNER, &other, "ORGANIZATION", &org.id, false),
        ErrorKind::InvalidState,
    );
}

#[test]
fn deregistering_delegated_administrator_removes_its_organization_shares() {
    let w = World::new();
    let org = w.organization();
    let admin = org.members[0].clone();
    let register = RegisterDelegatedAdministratorRequest {
        account_id: Some(admin.clone()),
        service_principal: Some("servicecatalog.amazonaws.com".into()),
    };
    w.service
        .register_delegated_administrator(&caller(OWNER), register.clone())
        .unwrap();
    let id = w.portfolio(&admin);
    w.share_with_node(&admin, &id, "ORGANIZATION", &org.id, false)
        .unwrap();
    w.share_with_account(&admin, &id, THIRD).unwrap();
    w.service
        .deregister_delegated_administrator(&caller(OWNER), register)
        .unwrap();
    let shares = |t: &str| {
        w.service
            .describe_portfolio_shares(
                &caller(&admin),
                DescribePortfolioSharesInput {
                    portfolio_id: Some(id.clone()),
                    share_type: Some(t.into()),
                    ..Default::default()
                },
            )
            .unwrap()
            .portfolio_share_details
            .len()
    };
    assert_eq!(shares("ORGANIZATION"), 0);
    assert_eq!(shares("ACCOUNT"), 1);
}

#[test]
fn reverse_query_follows_every_write_through_index_updates_and_rebuilds() {
    let w = World::new();
    let org = w.organization();
    let member = org.members[0].clone();
    let mut ids: Vec<String> = (0..30).map(|_| w.portfolio(OWNER)).collect();
    for (i, id) in ids.iter().enumerate() {
        w.associate(
            OWNER,
            id,
            &format!("arn:aws:iam:::role/*-{}", i % 4),
            PATTERN,
        )
        .unwrap();
    }
    let probes: Vec<String> = [OWNER, member.as_str(), THIRD]
        .iter()
        .flat_map(|a| ["x-0", "y-1", "p/z-2", "w-3"].map(|n| format!("arn:aws:iam::{a}:role/{n}")))
        .collect();
    let check = |w: &World, ids: &[String], step: &str| {
        for p in &probes {
            let mut found: Vec<String> = w
                .service
                .portfolios_for_principal(&caller(OWNER), &principal(p))
                .iter()
                .map(|r| r.id.to_string())
                .collect();
            let mut expected: Vec<String> = ids
                .iter()
                .filter(|id| w.allowed(OWNER, id, p))
                .cloned()
                .collect();
            found.sort();
            expected.sort();
            assert_eq!(found, expected, "after {step}, for {p}");
        }
    };
    check(&w, &ids, "the first build");
    // Portfolio changes: indexed over the base.
    w.associate(OWNER, &ids[3], &owner_role("x-0"), IAM)
        .unwrap();
    check(&w, &ids, "an IAM association");
    w.disassociate(OWNER, &ids[0], "arn:aws:iam:::role/*-0", Some(PATTERN))
        .unwrap();
    check(&w, &ids, "a disassociation");
    w.share_with_node(OWNER, &ids[1], "ORGANIZATION", &org.id, true)
        .unwrap();
    check(&w, &ids, "a share with principal sharing");
    w.disassociate(OWNER, &ids[2], "arn:aws:iam:::role/*-2", Some(PATTERN))
        .unwrap();
    w.service
        .delete_portfolio(
            &caller(OWNER),
            DeletePortfolioInput {
                id: Some(ids[2].clone()),
                ..Default::default()
            },
        )
        .unwrap();
    ids.remove(2);
    check(&w, &ids, "a deleted portfolio");
    let fresh = w.portfolio(OWNER);
    w.associate(OWNER, &fresh, "arn:aws:iam:::role/*-1", PATTERN)
        .unwrap();
    ids.push(fresh);
    check(&w, &ids, "a new portfolio");
    // A directory change can change what every share covers: rebuilt whole.
    w.share_with_node(OWNER, &ids[4], "ORGANIZATIONAL_UNIT", &org.ou, true)
        .unwrap();
    w.move_account(&member, &org.root, &org.ou);
    check(&w, &ids, "an account moved into a shared OU");
    // More changes than an update takes: rebuilt whole.
    for _ in 0..1100 {
        ids.push(w.portfolio(OWNER));
    }
    w.associate(
        OWNER,
        ids.last().unwrap(),
        "arn:aws:iam:::role/*-3",
        PATTERN,
    )
    .unwrap();
    check(&w, &ids, "1,100 new portfolios");
}
