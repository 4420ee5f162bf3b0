#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! SPEC §6 model-based property test: random operation sequences through the service
//! (portfolios, owner and recipient associations of both types, account shares accepted,
//! rejected and deleted, organization and OU shares with and without principal sharing,
//! principal-sharing flips, account moves between OUs, IAM principals created and deleted
//! through the IAM subset, so that `IAM` associations are bound to principals that come and go
//! (SPEC §4.4)), and after every step, for every
//! portfolio and a fixed set of principals in every account:
//! - `check_access` allows exactly when the reference evaluator below does;
//! - `portfolios_for_principal` lists exactly the portfolios the reference evaluator allows;
//! - `allowed` and the grants agree (a grant exists iff allowed).
//!
//! The reference evaluator is SPEC §6 read literally over the store's plain state, with its own
//! naive wildcard matcher. Each case picks a change-log capacity (tiny, so the index must start
//! over; or the default) and an index merge threshold (tiny, so background merges race the
//! queries; or the default), and whether to let background merges land between steps.

use std::sync::Arc;

use portcullis_api::{Config, Service};
use portcullis_matcher::PrincipalArn;
use portcullis_model::*;
use portcullis_store::{
    Association, ImportKind, MemoryStore, PortfolioSnapshot, ShareTarget, Store,
};
use proptest::prelude::*;

const OWNER: &str = "111111111111";
const OUTSIDER: &str = "222222222222";

fn caller(account: &str) -> Caller {
    Caller::new(
        Partition::default(),
        Region::parse("us-east-1").unwrap(),
        account.parse().unwrap(),
    )
}

/// `*` any run, `?` zero or one character: backtracking, obviously correct, slow.
fn wildcard(pattern: &[u8], text: &[u8]) -> bool {
    match pattern.split_first() {
        None => text.is_empty(),
        Some((b'*', rest)) => (0..=text.len()).any(|i| wildcard(rest, &text[i..])),
        Some((b'?', rest)) => {
            wildcard(rest, text) || (!text.is_empty() && wildcard(rest, &text[1..]))
        }
        Some((c, rest)) => text.first() == Some(c) && wildcard(rest, &text[1..]),
    }
}

/// SPEC §4.3 and §4.4, literally: an association bound to a principal grants the ARN while that
/// principal exists and holds it.
fn reference_matches(
    store: &dyn Store,
    association: &Association,
    principal: &PrincipalArn,
) -> bool {
    match association {
        Association::Iam(arn) => arn.as_str() == principal.as_str(),
        Association::Principal(id) => store
            .principal_by_id(id)
            .unwrap()
            .is_some_and(|p| p.exists() && p.arn == principal.as_str()),
        Association::Pattern(pattern) => {
            let text = format!(
                "{}{}",
                principal.path().trim_start_matches('/'),
                principal.name()
            );
            pattern.partition() == principal.partition()
                && pattern.resource_type() == principal.resource_type()
                && wildcard(pattern.resource_id().as_bytes(), text.as_bytes())
        }
    }
}

/// SPEC §6, literally.
fn reference_allows(store: &dyn Store, s: &PortfolioSnapshot, principal: &PrincipalArn) -> bool {
    if principal.partition() != s.portfolio.partition {
        return false;
    }
    let account: AccountId = principal.account().parse().unwrap();
    let owner = &s.portfolio.owner;
    let held_by = |who: &AccountId| -> Vec<Association> {
        s.associations
            .iter()
            .filter(|(a, _)| a == who)
            .flat_map(|(_, list)| list.clone())
            .collect()
    };
    if account == *owner {
        return held_by(owner)
            .iter()
            .any(|a| reference_matches(store, a, principal));
    }
    let member = store.member_account(&account).unwrap();
    let mut ancestors = Vec::new();
    if let Some(m) = &member {
        let mut parent = m.parent.clone();
        while let ParentId::OrganizationalUnit(ou) = parent {
            ancestors.push(ou.clone());
            parent = store.organizational_unit(&ou).unwrap().unwrap().parent;
        }
    }
    let covers = |target: &ShareTarget, accepted: bool| match target {
        ShareTarget::Account(a) => *a == account && accepted,
        ShareTarget::Organization(o) => member.as_ref().is_some_and(|m| m.organization == *o),
        ShareTarget::OrganizationalUnit(ou) => member.is_some() && ancestors.contains(ou),
        ShareTarget::OrganizationMemberAccount(a) => *a == account && member.is_some(),
    };
    let covering: Vec<_> = s
        .shares
        .iter()
        .filter(|share| covers(&share.target, share.accepted))
        .collect();
    let imported = covering.iter().any(|share| {
        let kind = match share.target {
            ShareTarget::Account(_) => ImportKind::AccountShare,
            _ => ImportKind::OrganizationShare,
        };
        s.imports
            .iter()
            .any(|i| i.account == account && i.kind == kind)
    });
    let own = imported
        && held_by(&account)
            .iter()
            .any(|a| reference_matches(store, a, principal));
    let shared = covering.iter().any(|share| share.share_principals)
        && held_by(owner).iter().any(|a| {
            a.principal_type() == PrincipalType::IamPattern
                && reference_matches(store, a, principal)
        });
    own || shared
}

const PATTERNS: [&str; 4] = [
    "arn:aws:iam:::role/Dev*",
    "arn:aws:iam:::role/*",
    "arn:aws:iam:::user/ops/?dmin",
    "arn:aws:iam:::role/*/Deploy?",
];

/// Principal names tried in every account, and associated by `IAM` in the association's
/// account.
const NAMES: [&str; 4] = [
    "role/DevOps",
    "user/ops/admin",
    "role/team/Deploy1",
    "role/Other",
];

#[derive(Clone, Debug)]
enum Op {
    CreatePortfolio {
        owner: usize,
    },
    DeletePortfolio {
        p: usize,
    },
    Associate {
        p: usize,
        who: usize,
        principal: usize,
        pattern: bool,
    },
    Disassociate {
        p: usize,
        who: usize,
        principal: usize,
        pattern: bool,
    },
    ShareAccount {
        p: usize,
        recipient: usize,
    },
    ShareNode {
        p: usize,
        node: usize,
        share_principals: bool,
    },
    UpdateShare {
        p: usize,
        node: usize,
        share_principals: bool,
    },
    DeleteShare {
        p: usize,
        target: usize,
    },
    Accept {
        p: usize,
        who: usize,
        organization: bool,
    },
    Reject {
        p: usize,
        who: usize,
        organization: bool,
    },
    Move {
        member: usize,
        to: usize,
    },
    CreatePrincipal {
        who: usize,
        principal: usize,
    },
    DeletePrincipal {
        who: usize,
        principal: usize,
    },
}

fn op() -> impl Strategy<Value = Op> {
    let p = 0..4usize;
    let who = 0..4usize;
    prop_oneof![
        (0..2usize).prop_map(|owner| Op::CreatePortfolio { owner }),
        p.clone().prop_map(|p| Op::DeletePortfolio { p }),
        (p.clone(), who.clone(), 0..4usize, any::<bool>()).prop_map(
            |(p, who, principal, pattern)| Op::Associate {
                p,
                who,
                principal,
                pattern
            }
        ),
        (p.clone(), who.clone(), 0..4usize, any::<bool>()).prop_map(
            |(p, who, principal, pattern)| Op::Disassociate {
                p,
                who,
                principal,
                pattern
            }
        ),
        (p.clone(), who.clone()).prop_map(|(p, recipient)| Op::ShareAccount { p, recipient }),
        (p.clone(), 0..4usize, any::<bool>()).prop_map(|(p, node, share_principals)| {
            Op::ShareNode {
                p,
                node,
                share_principals,
            }
        }),
        (p.clone(), 0..4usize, any::<bool>()).prop_map(|(p, node, share_principals)| {
            Op::UpdateShare {
                p,
                node,
                share_principals,
            }
        }),
        (p.clone(), 0..8usize).prop_map(|(p, target)| Op::DeleteShare { p, target }),
        (p.clone(), who.clone(), any::<bool>()).prop_map(|(p, who, organization)| Op::Accept {
            p,
            who,
            organization
        }),
        (p, who, any::<bool>()).prop_map(|(p, who, organization)| Op::Reject {
            p,
            who,
            organization
        }),
        (0..2usize, 0..3usize).prop_map(|(member, to)| Op::Move { member, to }),
        (0..4usize, 0..4usize).prop_map(|(who, principal)| Op::CreatePrincipal { who, principal }),
        (0..4usize, 0..4usize).prop_map(|(who, principal)| Op::DeletePrincipal { who, principal }),
    ]
}

/// The service, an organization managed by `OWNER` (root → `ou_a` → `ou_b`, two members), and
/// an account outside it.
struct World {
    service: Service,
    org: String,
    root: String,
    ous: [String; 2],
    members: [String; 2],
    portfolios: Vec<String>,
}

impl World {
    fn new(change_log: usize, merge: usize) -> World {
        let store = Arc::new(MemoryStore::with_change_log_capacity(change_log));
        let config = Config {
            index_merge_threshold: merge,
            ..Config::default()
        };
        let service = Service::new(store, config);
        let m = caller(OWNER);
        let org = service
            .create_organization(&m, CreateOrganizationRequest::default())
            .unwrap()
            .organization
            .id
            .to_string();
        let root = service
            .list_roots(&m, ListRootsRequest::default())
            .unwrap()
            .roots[0]
            .id
            .to_string();
        let ou = |parent: &str, name: &str| {
            service
                .create_organizational_unit(
                    &m,
                    CreateOrganizationalUnitRequest {
                        parent_id: Some(parent.into()),
                        name: Some(name.into()),
                        ..Default::default()
                    },
                )
                .unwrap()
                .organizational_unit
                .id
                .to_string()
        };
        let ou_a = ou(&root, "a");
        let ou_b = ou(&ou_a, "b");
        let member = |name: &str| {
            service
                .create_account(
                    &m,
                    CreateAccountRequest {
                        email: Some(format!("{name}@example.com")),
                        account_name: Some(name.into()),
                        ..Default::default()
                    },
                )
                .unwrap()
                .create_account_status
                .account_id
                .unwrap()
                .to_string()
        };
        let members = [member("m1"), member("m2")];
        service
            .enable_aws_organizations_access(&m, EnableAwsOrganizationsAccessInput {})
            .unwrap();
        World {
            service,
            org,
            root,
            ous: [ou_a, ou_b],
            members,
            portfolios: Vec::new(),
        }
    }

    /// Owner, outsider, the two members.
    fn account(&self, i: usize) -> String {
        match i {
            0 => OWNER.to_owned(),
            1 => OUTSIDER.to_owned(),
            i => self.members[(i - 2) % 2].clone(),
        }
    }

    fn portfolio(&self, p: usize) -> Option<String> {
        (!self.portfolios.is_empty()).then(|| self.portfolios[p % self.portfolios.len()].clone())
    }

    fn node(&self, i: usize) -> (&'static str, String) {
        match i {
            0 => ("ORGANIZATION", self.org.clone()),
            1 => ("ORGANIZATIONAL_UNIT", self.ous[0].clone()),
            2 => ("ORGANIZATIONAL_UNIT", self.ous[1].clone()),
            _ => ("ACCOUNT", self.members[0].clone()),
        }
    }

    fn parent(&self, i: usize) -> String {
        match i {
            0 => self.root.clone(),
            i => self.ous[(i - 1) % 2].clone(),
        }
    }

    /// The portfolio's owner; `OWNER` for a deleted one (whose operations must then be refused).
    fn owner_of(&self, id: &str) -> String {
        self.service
            .store()
            .portfolio(&id.parse().unwrap())
            .unwrap()
            .map_or_else(|| OWNER.to_owned(), |p| p.owner.to_string())
    }

    /// Applies `op`; refusals are part of the sequence (they must change nothing).
    fn apply(&mut self, op: &Op) {
        let s = &self.service;
        match *op {
            Op::CreatePrincipal { who, principal } | Op::DeletePrincipal { who, principal } => {
                let who = caller(&self.account(who));
                // `role/team/Deploy1` -> type `role`, path `/team/`, name `Deploy1`.
                let (kind, rest) = NAMES[principal].split_once('/').unwrap();
                let (path, name) = match rest.rsplit_once('/') {
                    Some((path, name)) => (format!("/{path}/"), name.to_owned()),
                    None => ("/".to_owned(), rest.to_owned()),
                };
                let create = matches!(op, Op::CreatePrincipal { .. });
                match (kind, create) {
                    ("user", true) => drop(s.create_user(
                        &who,
                        CreateUserInput {
                            path: Some(path),
                            user_name: Some(name),
                        },
                    )),
                    ("user", false) => drop(s.delete_user(
                        &who,
                        UserNameInput {
                            user_name: Some(name),
                        },
                    )),
                    (_, true) => drop(s.create_role(
                        &who,
                        CreateRoleInput {
                            path: Some(path),
                            role_name: Some(name),
                            assume_role_policy_document: Some("{}".into()),
                            ..Default::default()
                        },
                    )),
                    (_, false) => drop(s.delete_role(
                        &who,
                        RoleNameInput {
                            role_name: Some(name),
                        },
                    )),
                }
            }
            Op::CreatePortfolio { owner } => {
                let owner = if owner == 0 {
                    OWNER.to_owned()
                } else {
                    self.account(2)
                };
                let id = s
                    .create_portfolio(
                        &caller(&owner),
                        CreatePortfolioInput {
                            display_name: Some("p".into()),
                            provider_name: Some("q".into()),
                            ..Default::default()
                        },
                    )
                    .unwrap()
                    .portfolio_detail
                    .id
                    .to_string();
                self.portfolios.push(id);
            }
            Op::DeletePortfolio { p } => {
                let Some(id) = self.portfolio(p) else { return };
                let owner = self.owner_of(&id);
                let _ = s.delete_portfolio(
                    &caller(&owner),
                    DeletePortfolioInput {
                        id: Some(id.clone()),
                        ..Default::default()
                    },
                );
            }
            Op::Associate {
                p,
                who,
                principal,
                pattern,
            }
            | Op::Disassociate {
                p,
                who,
                principal,
                pattern,
            } => {
                let Some(id) = self.portfolio(p) else { return };
                let who = self.account(who);
                let (arn, principal_type) = if pattern {
                    (PATTERNS[principal].to_owned(), "IAM_PATTERN")
                } else {
                    (format!("arn:aws:iam::{who}:{}", NAMES[principal]), "IAM")
                };
                if matches!(op, Op::Associate { .. }) {
                    let _ = s.associate_principal_with_portfolio(
                        &caller(&who),
                        AssociatePrincipalWithPortfolioInput {
                            portfolio_id: Some(id),
                            principal_arn: Some(arn),
                            principal_type: Some(principal_type.into()),
                            ..Default::default()
                        },
                    );
                } else {
                    let _ = s.disassociate_principal_from_portfolio(
                        &caller(&who),
                        DisassociatePrincipalFromPortfolioInput {
                            portfolio_id: Some(id),
                            principal_arn: Some(arn),
                            principal_type: Some(principal_type.into()),
                            ..Default::default()
                        },
                    );
                }
            }
            Op::ShareAccount { p, recipient } => {
                let Some(id) = self.portfolio(p) else { return };
                let owner = self.owner_of(&id);
                let _ = s.create_portfolio_share(
                    &caller(&owner),
                    CreatePortfolioShareInput {
                        portfolio_id: Some(id),
                        account_id: Some(self.account(recipient)),
                        ..Default::default()
                    },
                );
            }
            Op::ShareNode {
                p,
                node,
                share_principals,
            }
            | Op::UpdateShare {
                p,
                node,
                share_principals,
            } => {
                let Some(id) = self.portfolio(p) else { return };
                let owner = self.owner_of(&id);
                let (node_type, value) = self.node(node);
                let organization_node = Some(OrganizationNodeInput {
                    node_type: Some(node_type.into()),
                    value: Some(value),
                });
                if matches!(op, Op::ShareNode { .. }) {
                    let _ = s.create_portfolio_share(
                        &caller(&owner),
                        CreatePortfolioShareInput {
                            portfolio_id: Some(id),
                            organization_node,
                            share_principals: Some(share_principals),
                            ..Default::default()
                        },
                    );
                } else {
                    let _ = s.update_portfolio_share(
                        &caller(&owner),
                        UpdatePortfolioShareInput {
                            portfolio_id: Some(id),
                            organization_node,
                            share_principals: Some(share_principals),
                            ..Default::default()
                        },
                    );
                }
            }
            Op::DeleteShare { p, target } => {
                let Some(id) = self.portfolio(p) else { return };
                let owner = self.owner_of(&id);
                let (account_id, organization_node) = if target < 4 {
                    (Some(self.account(target)), None)
                } else {
                    let (node_type, value) = self.node(target - 4);
                    (
                        None,
                        Some(OrganizationNodeInput {
                            node_type: Some(node_type.into()),
                            value: Some(value),
                        }),
                    )
                };
                let _ = s.delete_portfolio_share(
                    &caller(&owner),
                    DeletePortfolioShareInput {
                        portfolio_id: Some(id),
                        account_id,
                        organization_node,
                        ..Default::default()
                    },
                );
            }
            Op::Accept {
                p,
                who,
                organization,
            }
            | Op::Reject {
                p,
                who,
                organization,
            } => {
                let Some(id) = self.portfolio(p) else { return };
                let who = self.account(who);
                let share_type = organization.then(|| "AWS_ORGANIZATIONS".to_owned());
                if matches!(op, Op::Accept { .. }) {
                    let _ = s.accept_portfolio_share(
                        &caller(&who),
                        AcceptPortfolioShareInput {
                            portfolio_id: Some(id),
                            portfolio_share_type: share_type,
                            ..Default::default()
                        },
                    );
                } else {
                    let _ = s.reject_portfolio_share(
                        &caller(&who),
                        RejectPortfolioShareInput {
                            portfolio_id: Some(id),
                            portfolio_share_type: share_type,
                            ..Default::default()
                        },
                    );
                }
            }
            Op::Move { member, to } => {
                let account = self.members[member].clone();
                let from = s
                    .store()
                    .member_account(&account.parse().unwrap())
                    .unwrap()
                    .unwrap()
                    .parent
                    .as_str()
                    .to_owned();
                let _ = s.move_account(
                    &caller(OWNER),
                    MoveAccountRequest {
                        account_id: Some(account),
                        source_parent_id: Some(from),
                        destination_parent_id: Some(self.parent(to)),
                    },
                );
            }
        }
    }

    /// Every check of the module's doc comment.
    fn check(&self) -> Result<(), TestCaseError> {
        let store = &**self.service.store();
        let live: Vec<PortfolioSnapshot> = self
            .portfolios
            .iter()
            .filter_map(|id| store.portfolio_snapshot(&id.parse().unwrap()).unwrap())
            .collect();
        for account in (0..4).map(|i| self.account(i)) {
            for name in NAMES {
                let principal =
                    PrincipalArn::parse(&format!("arn:aws:iam::{account}:{name}")).unwrap();
                let mut expected = Vec::new();
                for snapshot in &live {
                    let allowed = reference_allows(store, snapshot, &principal);
                    let owner = caller(snapshot.portfolio.owner.as_str());
                    let decision = self
                        .service
                        .check_access(&owner, &snapshot.portfolio.id, &principal)
                        .unwrap();
                    prop_assert_eq!(
                        decision.allowed(),
                        allowed,
                        "check_access of {} on {}: {:?}\n{:#?}",
                        principal,
                        snapshot.portfolio.id,
                        decision,
                        snapshot
                    );
                    if allowed {
                        expected.push(snapshot.portfolio.id.clone());
                    }
                }
                let mut listed: Vec<PortfolioId> = self
                    .service
                    .portfolios_for_principal(&caller(OWNER), &principal)
                    .unwrap()
                    .into_iter()
                    .map(|p| p.id)
                    .collect();
                listed.sort();
                expected.sort();
                prop_assert_eq!(listed, expected, "portfolios_for_principal({})", principal);
            }
        }
        Ok(())
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, max_shrink_iters: 2000, ..ProptestConfig::default() })]

    #[test]
    fn check_access_and_the_reverse_query_agree_with_spec_6_after_every_step(
        ops in prop::collection::vec(op(), 1..28),
        tiny_log in any::<bool>(),
        eager_merge in any::<bool>(),
        settle in any::<bool>(),
        principals_first in any::<bool>(),
    ) {
        let mut world = World::new(if tiny_log { 3 } else { 1 << 16 }, if eager_merge { 1 } else { 128 });
        if principals_first {
            // Most `IAM` associations then find their principal; the sequence deletes and
            // creates them again.
            for who in 0..4 {
                for principal in 0..NAMES.len() {
                    world.apply(&Op::CreatePrincipal { who, principal });
                }
            }
        }
        // Start with two portfolios, one per possible owner, so most operations have a target.
        world.apply(&Op::CreatePortfolio { owner: 0 });
        world.apply(&Op::CreatePortfolio { owner: 1 });
        for op in &ops {
            world.apply(op);
            if settle {
                // Let a merge started by the last query land, so the next steps run against
                // a base that holds the changes (else merges race the queries).
                world.service.settle_index().unwrap();
            }
            world.check()?;
        }
    }
}
