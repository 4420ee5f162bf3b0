#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! SPEC §6, escalation audit: `AuditPortfolioSharing` findings, named scenarios for every
//! guessability rating and for reach through organization and OU shares, and a property test
//! that every grant through principal sharing is covered by a finding.

mod common;

use common::*;
use portcullis_api::GrantVia;
use portcullis_model::*;
use proptest::prelude::*;

fn audit(w: &World, who: &str, id: Option<&str>) -> Result<Vec<AuditFinding>, ServiceError> {
    w.service
        .audit_portfolio_sharing(
            &caller(who),
            AuditPortfolioSharingInput {
                portfolio_id: id.map(Into::into),
                ..Default::default()
            },
        )
        .map(|out| out.findings)
}

fn create_role(w: &World, who: &str, name: &str) -> Role {
    w.service
        .create_role(
            &caller(who),
            CreateRoleInput {
                role_name: Some(name.into()),
                assume_role_policy_document: Some("{}".into()),
                ..Default::default()
            },
        )
        .unwrap()
        .role
}

/// An organization (OWNER manages it; `alpha` and `beta` under the root, an OU `dev`), a
/// portfolio of OWNER with `patterns` associated.
fn world(patterns: &[&str]) -> (World, Org, String) {
    let w = World::new();
    let org = w.organization();
    let id = w.portfolio(OWNER);
    for pattern in patterns {
        w.associate(OWNER, &id, pattern, PATTERN).unwrap();
    }
    (w, org, id)
}

fn accounts(finding: &AuditFinding) -> Vec<String> {
    finding
        .reached_accounts
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn account_shares_carry_no_principal_sharing_and_yield_no_finding() {
    let (w, _org, id) = world(&["arn:aws:iam:::role/*"]);
    w.share_with_account(OWNER, &id, OTHER).unwrap();
    w.accept(OTHER, &id, None).unwrap();
    assert_eq!(audit(&w, OWNER, None).unwrap(), vec![]);
}

#[test]
fn a_share_without_principal_sharing_yields_no_finding() {
    let (w, org, id) = world(&["arn:aws:iam:::role/*"]);
    w.share_with_node(OWNER, &id, "ORGANIZATION", &org.id, false)
        .unwrap();
    assert_eq!(audit(&w, OWNER, Some(&id)).unwrap(), vec![]);
}

#[test]
fn an_organization_share_reaches_every_member_account_but_the_owner() {
    let (w, org, id) = world(&["arn:aws:iam:::role/Dev*", "arn:aws:iam:::user/ops/*"]);
    w.share_with_node(OWNER, &id, "ORGANIZATION", &org.id, true)
        .unwrap();
    let findings = audit(&w, OWNER, None).unwrap();
    assert_eq!(findings.len(), 2, "one finding per pattern: {findings:#?}");
    let mut members = org.members.clone();
    members.sort();
    for finding in &findings {
        assert_eq!(finding.portfolio_id, id);
        assert_eq!(finding.share.principal_id, org.id);
        assert!(finding.share.share_principals);
        assert_eq!(accounts(finding), members);
        assert!(finding.remedy.contains("`IAM`"), "{}", finding.remedy);
        assert!(
            finding.remedy.contains("principal sharing off"),
            "{}",
            finding.remedy
        );
    }
}

#[test]
fn an_ou_share_reaches_the_accounts_under_it_including_one_moved_in_after_the_share() {
    let (w, org, id) = world(&["arn:aws:iam:::role/Payments-Batch-*"]);
    w.share_with_node(OWNER, &id, "ORGANIZATIONAL_UNIT", &org.ou, true)
        .unwrap();
    let findings = audit(&w, OWNER, Some(&id)).unwrap();
    assert_eq!(findings.len(), 1);
    assert!(findings[0].reached_accounts.is_empty(), "the OU is empty");
    w.move_account(&org.members[0], &org.root, &org.ou);
    let findings = audit(&w, OWNER, Some(&id)).unwrap();
    assert_eq!(accounts(&findings[0]), [org.members[0].clone()]);
    assert_eq!(
        findings[0].share.share_type,
        DescribePortfolioShareType::OrganizationalUnit
    );
}

#[test]
fn matching_principals_are_those_that_exist_in_reached_accounts_and_match_today() {
    let (w, org, id) = world(&["arn:aws:iam:::role/Dev*"]);
    w.share_with_node(OWNER, &id, "ORGANIZATION", &org.id, true)
        .unwrap();
    let alpha = &org.members[0];
    let devops = create_role(&w, alpha, "DevOps");
    create_role(&w, alpha, "Finance");
    // Outside the organization: not reached.
    create_role(&w, OTHER, "DevOutside");
    // The owner's own role: not reached through the share.
    create_role(&w, OWNER, "DevLead");
    let findings = audit(&w, OWNER, None).unwrap();
    assert_eq!(
        findings[0].matching_principals,
        vec![MatchingPrincipal {
            account_id: alpha.parse().unwrap(),
            principal_arn: devops.arn.clone(),
            principal_id: devops.role_id.to_string(),
        }]
    );
    w.service
        .delete_role(
            &caller(alpha),
            RoleNameInput {
                role_name: Some("DevOps".into()),
            },
        )
        .unwrap();
    assert!(
        audit(&w, OWNER, None).unwrap()[0]
            .matching_principals
            .is_empty()
    );
}

fn rated(pattern: &str) -> AuditFinding {
    let (w, org, id) = world(&[pattern]);
    w.share_with_node(OWNER, &id, "ORGANIZATION", &org.id, true)
        .unwrap();
    let mut findings = audit(&w, OWNER, Some(&id)).unwrap();
    assert_eq!(findings.len(), 1);
    findings.remove(0)
}

#[test]
fn a_name_part_of_only_wildcards_is_critical() {
    let finding = rated("arn:aws:iam:::role/*");
    assert_eq!(finding.guessability, Guessability::Critical);
    assert!(
        finding.reasons[0].contains("only wildcards"),
        "{:?}",
        finding.reasons
    );
    assert_eq!(
        rated("arn:aws:iam:::role/deploy/?*").guessability,
        Guessability::Critical
    );
}

#[test]
fn short_literal_parts_are_high() {
    let finding = rated("arn:aws:iam:::role/x*");
    assert_eq!(finding.guessability, Guessability::High);
    assert!(
        finding
            .reasons
            .iter()
            .any(|r| r.contains("only 1 literal character")),
        "{:?}",
        finding.reasons
    );
}

#[test]
fn a_pattern_matching_a_commonly_used_name_is_high() {
    let finding = rated("arn:aws:iam:::role/Admin*");
    assert_eq!(finding.guessability, Guessability::High);
    assert!(
        finding.reasons.iter().any(|r| r.contains("`Admin`")),
        "{:?}",
        finding.reasons
    );
}

#[test]
fn an_iam_identity_center_shape_is_high() {
    let finding =
        rated("arn:aws:iam:::role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Payments_*");
    assert_eq!(finding.guessability, Guessability::High);
    assert!(
        finding
            .reasons
            .iter()
            .any(|r| r.contains("IAM Identity Center")),
        "{:?}",
        finding.reasons
    );
}

#[test]
fn a_long_uncommon_wildcard_pattern_is_medium() {
    assert_eq!(
        rated("arn:aws:iam:::role/Payments-Batch-*").guessability,
        Guessability::Medium
    );
}

#[test]
fn a_pattern_without_wildcards_is_low() {
    let finding = rated("arn:aws:iam:::role/Payments-Batch-7");
    assert_eq!(finding.guessability, Guessability::Low);
    assert!(
        finding.reasons[0].contains("no wildcard"),
        "{:?}",
        finding.reasons
    );
}

#[test]
fn findings_are_ordered_most_guessable_first() {
    let (w, org, id) = world(&[
        "arn:aws:iam:::role/Payments-Batch-7",
        "arn:aws:iam:::role/*",
        "arn:aws:iam:::role/Payments-Batch-*",
    ]);
    w.share_with_node(OWNER, &id, "ORGANIZATION", &org.id, true)
        .unwrap();
    let ratings: Vec<Guessability> = audit(&w, OWNER, None)
        .unwrap()
        .iter()
        .map(|f| f.guessability)
        .collect();
    assert_eq!(
        ratings,
        [
            Guessability::Critical,
            Guessability::Medium,
            Guessability::Low
        ]
    );
}

#[test]
fn only_the_owner_audits_a_portfolio() {
    let (w, org, id) = world(&["arn:aws:iam:::role/*"]);
    w.share_with_node(OWNER, &id, "ORGANIZATION", &org.id, true)
        .unwrap();
    // A recipient that can see the portfolio is not its owner.
    assert_error(
        audit(&w, &org.members[0], Some(&id)),
        ErrorKind::ResourceNotFound,
    );
    assert_error(audit(&w, OTHER, Some(&id)), ErrorKind::ResourceNotFound);
    // Without a portfolio id, another account has nothing to audit.
    assert_eq!(audit(&w, OTHER, None).unwrap(), vec![]);
}

// ---- property: every grant through principal sharing is covered by a finding ---------------

/// Role names tried in every member account.
const NAMES: [&str; 4] = ["DevOps", "Admin", "team/Deploy1", "Payments-Batch-7"];
const PATTERNS: [&str; 5] = [
    "arn:aws:iam:::role/Dev*",
    "arn:aws:iam:::role/*",
    "arn:aws:iam:::role/*/Deploy?",
    "arn:aws:iam:::role/Payments-Batch-7",
    "arn:aws:iam:::role/Admin",
];

#[derive(Clone, Debug)]
enum Op {
    Share { node: usize, share_principals: bool },
    Update { node: usize, share_principals: bool },
    Unshare { node: usize },
    Move { member: usize, into_ou: bool },
    Role { member: usize, name: usize },
    Disassociate { pattern: usize },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..2usize, any::<bool>()).prop_map(|(node, share_principals)| Op::Share {
            node,
            share_principals
        }),
        (0..2usize, any::<bool>()).prop_map(|(node, share_principals)| Op::Update {
            node,
            share_principals
        }),
        (0..2usize).prop_map(|node| Op::Unshare { node }),
        (0..2usize, any::<bool>()).prop_map(|(member, into_ou)| Op::Move { member, into_ou }),
        (0..2usize, 0..4usize).prop_map(|(member, name)| Op::Role { member, name }),
        (0..5usize).prop_map(|pattern| Op::Disassociate { pattern }),
    ]
}

fn apply(w: &World, org: &Org, id: &str, op: &Op) {
    let node = |i: usize| {
        if i == 0 {
            ("ORGANIZATION", org.id.clone())
        } else {
            ("ORGANIZATIONAL_UNIT", org.ou.clone())
        }
    };
    let node_input = |i: usize| {
        let (node_type, value) = node(i);
        Some(OrganizationNodeInput {
            node_type: Some(node_type.into()),
            value: Some(value),
        })
    };
    let me = caller(OWNER);
    match *op {
        Op::Share {
            node: i,
            share_principals,
        } => {
            let (t, v) = node(i);
            let _ = w.share_with_node(OWNER, id, t, &v, share_principals);
        }
        Op::Update {
            node: i,
            share_principals,
        } => {
            let _ = w.service.update_portfolio_share(
                &me,
                UpdatePortfolioShareInput {
                    portfolio_id: Some(id.into()),
                    organization_node: node_input(i),
                    share_principals: Some(share_principals),
                    ..Default::default()
                },
            );
        }
        Op::Unshare { node: i } => {
            let _ = w.service.delete_portfolio_share(
                &me,
                DeletePortfolioShareInput {
                    portfolio_id: Some(id.into()),
                    organization_node: node_input(i),
                    ..Default::default()
                },
            );
        }
        Op::Move { member, into_ou } => {
            let account = &org.members[member];
            let (from, to) = if into_ou {
                (&org.root, &org.ou)
            } else {
                (&org.ou, &org.root)
            };
            let _ = w.service.move_account(
                &me,
                MoveAccountRequest {
                    account_id: Some(account.clone()),
                    source_parent_id: Some(from.clone()),
                    destination_parent_id: Some(to.clone()),
                },
            );
        }
        Op::Role { member, name } => {
            let arn = format!("arn:aws:iam::{}:role/{}", org.members[member], NAMES[name]);
            w.ensure_principal(&org.members[member], &arn);
        }
        Op::Disassociate { pattern } => {
            let _ = w.disassociate(OWNER, id, PATTERNS[pattern], Some(PATTERN));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn every_principal_allowed_through_principal_sharing_is_covered_by_a_finding(
        ops in prop::collection::vec(op(), 1..16),
    ) {
        let (w, org, id) = world(&PATTERNS);
        for op in &ops {
            apply(&w, &org, &id, op);
        }
        let findings = audit(&w, OWNER, None).unwrap();
        let portfolio: PortfolioId = id.parse().unwrap();
        for member in &org.members {
            for name in NAMES {
                let arn = format!("arn:aws:iam::{member}:role/{name}");
                let exists = w
                    .service
                    .directory()
                    .principal_id(&principal(&arn))
                    .unwrap()
                    .is_some();
                let decision = w
                    .service
                    .check_access(&caller(OWNER), &portfolio, &principal(&arn))
                    .unwrap();
                for grant in &decision.grants {
                    let GrantVia::PrincipalSharing(share) = &grant.via else {
                        continue;
                    };
                    let covered = findings.iter().any(|f| {
                        f.principal_arn == grant.principal_arn
                            && f.share.principal_id == share.target.principal_id()
                            && f.reached_accounts.iter().any(|a| a.as_str() == member)
                            && (!exists
                                || f.matching_principals.iter().any(|m| m.principal_arn == arn))
                    });
                    prop_assert!(
                        covered,
                        "{} allowed by {} through {:?}, not covered by {:#?}",
                        arn,
                        grant.principal_arn,
                        share.target,
                        findings
                    );
                }
            }
        }
    }
}
