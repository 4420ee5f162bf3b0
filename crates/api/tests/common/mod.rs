//! A small world for the SPEC tests (`spec_*.rs`): a service, callers, and one-line helpers per
//! operation.

#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use portcullis_api::Service;
use portcullis_matcher::PrincipalArn;
use portcullis_model::*;

pub const OWNER: &str = "111111111111";
pub const OTHER: &str = "222222222222";
pub const THIRD: &str = "333333333333";

/// `PrincipalType` values as sent.
pub const IAM: &str = "IAM";
pub const PATTERN: &str = "IAM_PATTERN";

/// A role of `OWNER`.
pub fn owner_role(name: &str) -> String {
    format!("arn:aws:iam::{OWNER}:role/{name}")
}

pub fn caller(account: &str) -> Caller {
    caller_in(account, "us-east-1")
}

pub fn caller_in(account: &str, region: &str) -> Caller {
    Caller::new(
        "aws".parse().unwrap(),
        region.parse().unwrap(),
        account.parse().unwrap(),
    )
}

pub fn principal(s: &str) -> PrincipalArn {
    PrincipalArn::parse(s).unwrap()
}

pub struct World {
    pub service: Service,
}

impl World {
    pub fn new() -> World {
        World {
            service: Service::default(),
        }
    }

    pub fn portfolio(&self, owner: &str) -> String {
        self.service
            .create_portfolio(
                &caller(owner),
                CreatePortfolioInput {
                    display_name: Some("portfolio".into()),
                    provider_name: Some("provider".into()),
                    ..Default::default()
                },
            )
            .unwrap()
            .portfolio_detail
            .id
            .to_string()
    }

    pub fn associate(
        &self,
        who: &str,
        id: &str,
        arn: &str,
        principal_type: &str,
    ) -> Result<(), ServiceError> {
        // The SPEC §5 and §6 tests are about associations, not about which principals exist:
        // an `IAM` principal of the caller's own account is created first (SPEC §4.4 requires
        // it to exist), as a user of the IAM API would. `spec_4_4_principals.rs` tests what
        // happens when it does not.
        if principal_type == IAM {
            self.ensure_principal(who, arn);
        }
        self.service
            .associate_principal_with_portfolio(
                &caller(who),
                AssociatePrincipalWithPortfolioInput {
                    portfolio_id: Some(id.into()),
                    principal_arn: Some(arn.into()),
                    principal_type: Some(principal_type.into()),
                    ..Default::default()
                },
            )
            .map(drop)
    }

    /// Creates the principal `arn` names, through the IAM subset, if it is a valid principal ARN
    /// of `who`'s account and does not exist yet.
    pub fn ensure_principal(&self, who: &str, arn: &str) {
        let Ok(principal) = PrincipalArn::parse(arn) else {
            return;
        };
        if principal.account() != who {
            return;
        }
        let caller = caller(who);
        let path = Some(principal.path().to_owned());
        let name = Some(principal.name().to_owned());
        // An existing principal (`EntityAlreadyExists`) is fine.
        let _ = match principal.resource_type() {
            portcullis_matcher::ResourceType::User => self
                .service
                .create_user(
                    &caller,
                    CreateUserInput {
                        path,
                        user_name: name,
                    },
                )
                .map(drop),
            portcullis_matcher::ResourceType::Group => self
                .service
                .create_group(
                    &caller,
                    CreateGroupInput {
                        path,
                        group_name: name,
                    },
                )
                .map(drop),
            portcullis_matcher::ResourceType::Role => self
                .service
                .create_role(
                    &caller,
                    CreateRoleInput {
                        path,
                        role_name: name,
                        assume_role_policy_document: Some("{}".into()),
                        ..Default::default()
                    },
                )
                .map(drop),
        };
    }

    pub fn disassociate(
        &self,
        who: &str,
        id: &str,
        arn: &str,
        principal_type: Option<&str>,
    ) -> Result<(), ServiceError> {
        self.service
            .disassociate_principal_from_portfolio(
                &caller(who),
                DisassociatePrincipalFromPortfolioInput {
                    portfolio_id: Some(id.into()),
                    principal_arn: Some(arn.into()),
                    principal_type: principal_type.map(Into::into),
                    ..Default::default()
                },
            )
            .map(drop)
    }

    pub fn principals(
        &self,
        who: &str,
        id: &str,
    ) -> Result<Vec<(String, PrincipalType)>, ServiceError> {
        let out = self.service.list_principals_for_portfolio(
            &caller(who),
            ListPrincipalsForPortfolioInput {
                portfolio_id: Some(id.into()),
                page_size: Some(100),
                ..Default::default()
            },
        )?;
        Ok(out
            .principals
            .into_iter()
            .map(|p| (p.principal_arn, p.principal_type))
            .collect())
    }

    pub fn share_with_account(
        &self,
        who: &str,
        id: &str,
        account: &str,
    ) -> Result<CreatePortfolioShareOutput, ServiceError> {
        self.service.create_portfolio_share(
            &caller(who),
            CreatePortfolioShareInput {
                portfolio_id: Some(id.into()),
                account_id: Some(account.into()),
                ..Default::default()
            },
        )
    }

    pub fn share_with_node(
        &self,
        who: &str,
        id: &str,
        node_type: &str,
        value: &str,
        share_principals: bool,
    ) -> Result<CreatePortfolioShareOutput, ServiceError> {
        self.service.create_portfolio_share(
            &caller(who),
            CreatePortfolioShareInput {
                portfolio_id: Some(id.into()),
                organization_node: Some(OrganizationNodeInput {
                    node_type: Some(node_type.into()),
                    value: Some(value.into()),
                }),
                share_principals: Some(share_principals),
                ..Default::default()
            },
        )
    }

    pub fn accept(
        &self,
        who: &str,
        id: &str,
        share_type: Option<&str>,
    ) -> Result<(), ServiceError> {
        self.service
            .accept_portfolio_share(
                &caller(who),
                AcceptPortfolioShareInput {
                    portfolio_id: Some(id.into()),
                    portfolio_share_type: share_type.map(Into::into),
                    ..Default::default()
                },
            )
            .map(drop)
    }

    pub fn allowed(&self, asker: &str, id: &str, arn: &str) -> bool {
        self.service
            .check_access(&caller(asker), &id.parse().unwrap(), &principal(arn))
            .unwrap()
            .allowed()
    }

    /// An organization managed by `OWNER` with `OTHER` and `THIRD` created in it (their ids are
    /// generated, so they are returned), an OU, and Service Catalog access enabled.
    pub fn organization(&self) -> Org {
        let management = caller(OWNER);
        let org = self
            .service
            .create_organization(&management, CreateOrganizationRequest::default())
            .unwrap()
            .organization;
        let root = self
            .service
            .list_roots(&management, ListRootsRequest::default())
            .unwrap()
            .roots[0]
            .id
            .to_string();
        let ou = self
            .service
            .create_organizational_unit(
                &management,
                CreateOrganizationalUnitRequest {
                    parent_id: Some(root.clone()),
                    name: Some("dev".into()),
                    ..Default::default()
                },
            )
            .unwrap()
            .organizational_unit
            .id
            .to_string();
        let mut members = Vec::new();
        for name in ["alpha", "beta"] {
            let status = self
                .service
                .create_account(
                    &management,
                    CreateAccountRequest {
                        email: Some(format!("{name}@example.com")),
                        account_name: Some(name.into()),
                        ..Default::default()
                    },
                )
                .unwrap()
                .create_account_status;
            members.push(status.account_id.unwrap().to_string());
        }
        self.service
            .enable_aws_organizations_access(&management, EnableAwsOrganizationsAccessInput {})
            .unwrap();
        Org {
            id: org.id.to_string(),
            root,
            ou,
            members,
        }
    }

    pub fn move_account(&self, account: &str, from: &str, to: &str) {
        self.service
            .move_account(
                &caller(OWNER),
                MoveAccountRequest {
                    account_id: Some(account.into()),
                    source_parent_id: Some(from.into()),
                    destination_parent_id: Some(to.into()),
                },
            )
            .unwrap();
    }
}

pub struct Org {
    pub id: String,
    pub root: String,
    pub ou: String,
    pub members: Vec<String>,
}

/// Every item of a paged list, walking its pages: `page(token)` answers one page's items and
/// the token of the next page (none after the last).
pub fn every_page<T>(mut page: impl FnMut(Option<String>) -> (Vec<T>, Option<String>)) -> Vec<T> {
    let mut items = Vec::new();
    let mut token = None;
    loop {
        let (mut got, next) = page(token.take());
        items.append(&mut got);
        match next {
            Some(next) => token = Some(next),
            None => return items,
        }
    }
}

#[track_caller]
pub fn assert_error<T: std::fmt::Debug>(
    result: Result<T, ServiceError>,
    kind: ErrorKind,
) -> ServiceError {
    match result {
        Ok(v) => panic!("expected {}, got Ok({v:?})", kind.as_str()),
        Err(e) => {
            assert_eq!(e.kind(), kind, "{}", e.message());
            e
        }
    }
}
