//! The inputs of the model-based check: the operations, drawn from small fixed sets of
//! accounts, ARNs, targets and names so that random sequences collide often, and what each
//! answers.

use std::sync::Arc;

use portcullis_matcher::{PrincipalArn, PrincipalPattern};
use portcullis_model::{
    AccountId, DescribePortfolioShareType, OrganizationId, OuId, ParentId, PortfolioId,
    PrincipalType, Region, ServicePrincipal, Tag, Timestamp,
};
use proptest::prelude::*;

use crate::{
    AssociateOutcome, Association, CreateAccountRecord, CreatedPortfolio, CreatedShare, ImportKind,
    MemberAccount, NewShare, OrganizationRecord, OuRecord, Page, PageRequest, PortfolioRecord,
    ShareChange, ShareRecord, ShareTarget, StoreError,
};

/// The limits passed in: `IAM_PATTERN` and `IAM` associations per portfolio and account, and
/// shares per portfolio.
pub(super) const MAX_PATTERNS: usize = 1;
pub(super) const MAX_IAM: usize = 2;
pub(super) const MAX_SHARES: usize = 2;

pub(super) fn account(i: usize) -> AccountId {
    AccountId::parse(["111111111111", "222222222222", "333333333333"][i]).unwrap()
}

pub(super) fn region(i: usize) -> Region {
    Region::parse(["us-east-1", "eu-west-1"][i]).unwrap()
}

/// `IAM_PATTERN` associations. A pattern never names an account and a principal ARN always
/// does, so no text is valid as both types.
pub(super) const PATTERNS: [&str; 4] = [
    "arn:aws:iam:::role/a*",
    "arn:aws:iam:::role/b",
    "arn:aws:iam:::user/c?",
    "arn:aws:iam:::group/d/*",
];

/// `IAM` associations.
pub(super) const IAMS: [&str; 4] = [
    "arn:aws:iam::111111111111:role/a",
    "arn:aws:iam::111111111111:role/b",
    "arn:aws:iam::111111111111:user/c",
    "arn:aws:iam::222222222222:group/d/e",
];

pub(super) fn arn(i: usize, pattern: bool) -> &'static str {
    if pattern { PATTERNS[i] } else { IAMS[i] }
}

pub(super) fn association(i: usize, pattern: bool) -> Association {
    if pattern {
        Association::Pattern(Arc::new(PrincipalPattern::parse(PATTERNS[i]).unwrap()))
    } else {
        Association::Iam(PrincipalArn::parse(IAMS[i]).unwrap())
    }
}

pub(super) fn principal_type(pattern: bool) -> PrincipalType {
    if pattern {
        PrincipalType::IamPattern
    } else {
        PrincipalType::Iam
    }
}

pub(super) fn limit(pattern: bool) -> usize {
    if pattern { MAX_PATTERNS } else { MAX_IAM }
}

pub(super) fn target(i: usize) -> ShareTarget {
    match i {
        0 => ShareTarget::Account(account(1)),
        1 => ShareTarget::Account(account(2)),
        2 => ShareTarget::Organization(OrganizationId::parse("o-aaaaaaaaaa").unwrap()),
        3 => ShareTarget::OrganizationalUnit(OuId::parse("ou-aaaa-aaaaaaaa").unwrap()),
        _ => ShareTarget::OrganizationMemberAccount(account(2)),
    }
}

pub(super) fn share_type(i: usize) -> DescribePortfolioShareType {
    DescribePortfolioShareType::ALL[i]
}

pub(super) fn import_kind(organization: bool) -> ImportKind {
    if organization {
        ImportKind::OrganizationShare
    } else {
        ImportKind::AccountShare
    }
}

pub(super) fn tag(k: usize, v: usize) -> Tag {
    Tag {
        key: format!("k{k}"),
        value: format!("v{v}"),
    }
}

// ---- the directory's inputs ---------------------------------------------------------------------

/// The accounts directory operations name, besides those `create_account` makes.
pub(super) fn member_id(i: usize) -> AccountId {
    AccountId::parse(
        [
            "111111111111",
            "222222222222",
            "333333333333",
            "444444444444",
        ][i],
    )
    .unwrap()
}

pub(super) fn email_of(id: &AccountId) -> String {
    format!("{id}@example.com")
}

/// The addresses `create_account` asks for: one an invited account may hold already, and one
/// twice in different case.
pub(super) const CREATE_EMAILS: [&str; 4] = [
    "222222222222@example.com",
    "new@example.com",
    "NEW@example.com",
    "other@example.com",
];

pub(super) const OU_NAMES: [&str; 2] = ["dev", "ops"];

pub(super) fn now() -> Timestamp {
    Timestamp::from_epoch_millis(5_000)
}

pub(super) fn sc() -> ServicePrincipal {
    ServicePrincipal::service_catalog()
}

pub(super) fn never_organization() -> OrganizationId {
    OrganizationId::parse("o-zzzzzzzzzz").unwrap()
}

pub(super) fn never_parent() -> ParentId {
    ParentId::parse("ou-zzzz-zzzzzzzz").unwrap()
}

// ---- operations ---------------------------------------------------------------------------------

#[derive(Clone, Debug)]
pub(super) enum Op {
    Create {
        owner: usize,
        region: usize,
        token: Option<usize>,
        tags: Vec<(usize, usize)>,
    },
    Get {
        p: usize,
    },
    Update {
        p: usize,
        name: Option<usize>,
        description: Option<usize>,
        add_tag: Option<(usize, usize)>,
        remove_tag: Option<usize>,
    },
    Delete {
        p: usize,
    },
    List {
        owner: usize,
        region: usize,
        page: usize,
    },
    Associate {
        p: usize,
        account: usize,
        arn: usize,
        pattern: bool,
    },
    /// `cross`: name the ARN of the other type, which is never associated with this one.
    Disassociate {
        p: usize,
        account: usize,
        arn: usize,
        pattern: bool,
        cross: bool,
    },
    ListAssociations {
        p: usize,
        account: usize,
        page: usize,
    },
    CreateShare {
        p: usize,
        target: usize,
        principals: bool,
        tags: bool,
        creator: usize,
    },
    GetShare {
        p: usize,
        target: usize,
    },
    UpdateShare {
        p: usize,
        target: usize,
        principals: Option<bool>,
        tags: Option<bool>,
    },
    DeleteShare {
        p: usize,
        target: usize,
    },
    ListShares {
        p: usize,
        filter: Option<usize>,
        page: usize,
    },
    DeleteSharesCreatedBy {
        creator: usize,
        organization_nodes_only: bool,
    },
    Accept {
        p: usize,
        account: usize,
    },
    Reject {
        p: usize,
        account: usize,
    },
    ImportOrg {
        p: usize,
        account: usize,
    },
    RemoveOrgImport {
        p: usize,
        account: usize,
    },
    IsImported {
        p: usize,
        account: usize,
        organization: bool,
    },
    ListImports {
        account: usize,
        region: usize,
        organization: bool,
    },
    // ---- the directory ----
    CreateOrganization {
        management: usize,
    },
    AddMember {
        org: usize,
        account: usize,
    },
    CreateAccount {
        org: usize,
        email: usize,
    },
    CreateOu {
        org: usize,
        parent: usize,
        name: usize,
    },
    /// See `ModelDirectory::move_inputs`.
    MoveAccount {
        account: usize,
        source: usize,
        destination: usize,
    },
    SetServiceAccess {
        org: usize,
        enabled: bool,
    },
    RegisterAdministrator {
        org: usize,
        account: usize,
    },
    DeregisterAdministrator {
        org: usize,
        account: usize,
    },
    /// Close the store and open it again on the same state: only in
    /// [`crate::conformance::reopened_store_matches_sequential_model`], where the check loop does
    /// it, never through `apply`.
    Reopen,
}

pub(super) fn catalog_op() -> impl Strategy<Value = Op> {
    let p = 0..8usize;
    let acct = 0..3usize;
    prop_oneof![
        4 => (0..2usize, 0..2usize, proptest::option::of(0..2usize), proptest::collection::vec((0..3usize, 0..2usize), 0..3))
            .prop_map(|(owner, region, token, tags)| Op::Create { owner, region, token, tags }),
        1 => p.clone().prop_map(|p| Op::Get { p }),
        1 => (p.clone(), proptest::option::of(0..2usize), proptest::option::of(0..2usize),
              proptest::option::of((0..3usize, 0..2usize)), proptest::option::of(0..3usize))
            .prop_map(|(p, name, description, add_tag, remove_tag)| Op::Update { p, name, description, add_tag, remove_tag }),
        2 => p.clone().prop_map(|p| Op::Delete { p }),
        1 => (0..2usize, 0..2usize, 0..4usize).prop_map(|(owner, region, page)| Op::List { owner, region, page }),
        10 => (p.clone(), 0..2usize, 0..4usize, any::<bool>())
            .prop_map(|(p, account, arn, pattern)| Op::Associate { p, account, arn, pattern }),
        4 => (p.clone(), 0..2usize, 0..4usize, any::<bool>(), proptest::bool::weighted(0.15))
            .prop_map(|(p, account, arn, pattern, cross)| Op::Disassociate { p, account, arn, pattern, cross }),
        1 => (p.clone(), acct.clone(), 0..4usize).prop_map(|(p, account, page)| Op::ListAssociations { p, account, page }),
        4 => (p.clone(), 0..5usize, any::<bool>(), any::<bool>(), acct.clone())
            .prop_map(|(p, target, principals, tags, creator)| Op::CreateShare { p, target, principals, tags, creator }),
        1 => (p.clone(), 0..5usize).prop_map(|(p, target)| Op::GetShare { p, target }),
        2 => (p.clone(), 0..5usize, proptest::option::of(any::<bool>()), proptest::option::of(any::<bool>()))
            .prop_map(|(p, target, principals, tags)| Op::UpdateShare { p, target, principals, tags }),
        2 => (p.clone(), 0..5usize).prop_map(|(p, target)| Op::DeleteShare { p, target }),
        1 => (p.clone(), proptest::option::of(0..4usize), 0..4usize)
            .prop_map(|(p, filter, page)| Op::ListShares { p, filter, page }),
        1 => (acct.clone(), any::<bool>())
            .prop_map(|(creator, organization_nodes_only)| Op::DeleteSharesCreatedBy { creator, organization_nodes_only }),
        // Accounts 1 and 2 are the account shares' recipients.
        2 => (p.clone(), 1..3usize).prop_map(|(p, account)| Op::Accept { p, account }),
        1 => (p.clone(), 1..3usize).prop_map(|(p, account)| Op::Reject { p, account }),
        1 => (p.clone(), acct.clone()).prop_map(|(p, account)| Op::ImportOrg { p, account }),
        1 => (p.clone(), acct.clone()).prop_map(|(p, account)| Op::RemoveOrgImport { p, account }),
        1 => (p.clone(), acct.clone(), any::<bool>())
            .prop_map(|(p, account, organization)| Op::IsImported { p, account, organization }),
        1 => (acct, 0..2usize, any::<bool>())
            .prop_map(|(account, region, organization)| Op::ListImports { account, region, organization }),
    ]
}

pub(super) fn directory_op() -> impl Strategy<Value = Op> {
    let org = 0..4usize;
    let acct = 0..6usize;
    prop_oneof![
        2 => (0..4usize).prop_map(|management| Op::CreateOrganization { management }),
        2 => (org.clone(), acct.clone()).prop_map(|(org, account)| Op::AddMember { org, account }),
        1 => (org.clone(), 0..4usize).prop_map(|(org, email)| Op::CreateAccount { org, email }),
        2 => (org.clone(), 0..6usize, 0..2usize).prop_map(|(org, parent, name)| Op::CreateOu { org, parent, name }),
        3 => (acct.clone(), 0..8usize, 0..6usize)
            .prop_map(|(account, source, destination)| Op::MoveAccount { account, source, destination }),
        1 => (org.clone(), any::<bool>()).prop_map(|(org, enabled)| Op::SetServiceAccess { org, enabled }),
        1 => (org.clone(), acct.clone()).prop_map(|(org, account)| Op::RegisterAdministrator { org, account }),
        1 => (org, acct).prop_map(|(org, account)| Op::DeregisterAdministrator { org, account }),
    ]
}

pub(super) fn op_strategy() -> impl Strategy<Value = Op> {
    prop_oneof![2 => catalog_op(), 1 => directory_op()]
}

/// The operations, with a reopening of the store about once in 25 steps.
pub(super) fn op_or_reopen_strategy() -> impl Strategy<Value = Op> {
    prop_oneof![24 => op_strategy(), 1 => Just(Op::Reopen)]
}

/// What an operation answered, for comparison.
#[derive(Debug, PartialEq)]
pub(super) enum Out {
    Created(CreatedPortfolio),
    Portfolio(Option<PortfolioRecord>),
    Record(Result<PortfolioRecord, StoreError>),
    Portfolios(Vec<Vec<PortfolioRecord>>),
    Imports(Vec<PortfolioRecord>),
    Associate(Result<AssociateOutcome, StoreError>),
    Unit(Result<(), StoreError>),
    Associations(Result<Vec<Vec<Association>>, StoreError>),
    CreatedShare(Result<CreatedShare, StoreError>),
    Share(Result<Option<ShareRecord>, StoreError>),
    ShareChange(Result<ShareChange, StoreError>),
    Shares(Result<Vec<Vec<ShareRecord>>, StoreError>),
    Removed(Vec<(PortfolioId, ShareRecord)>),
    Bool(Result<bool, StoreError>),
    Flag(bool),
    Organization(Result<OrganizationRecord, StoreError>),
    Member(Result<MemberAccount, StoreError>),
    CreateAccount(Result<CreateAccountRecord, StoreError>),
    Ou(Result<OuRecord, StoreError>),
}

/// Walks every page of a list.
pub(super) fn walk<T>(mut read: impl FnMut(PageRequest) -> Page<T>, size: usize) -> Vec<Vec<T>> {
    let mut pages = Vec::new();
    let mut request = PageRequest::first(size);
    loop {
        let page = read(request);
        assert!(
            page.items.len() <= size.max(1),
            "page larger than requested"
        );
        pages.push(page.items);
        match page.next {
            Some(next) => request = PageRequest::after(next, size),
            None => return pages,
        }
    }
}

pub(super) fn try_walk<T>(
    mut read: impl FnMut(PageRequest) -> Result<Page<T>, StoreError>,
    size: usize,
) -> Result<Vec<Vec<T>>, StoreError> {
    read(PageRequest::first(size))?;
    Ok(walk(|r| read(r).unwrap(), size))
}

/// How the model pages a full list: what the store must answer.
pub(super) fn chunks<T: Clone>(items: &[T], size: usize) -> Vec<Vec<T>> {
    if items.is_empty() {
        vec![vec![]]
    } else {
        items.chunks(size.max(1)).map(<[T]>::to_vec).collect()
    }
}
/// A share as the service asks for it: organization-node shares are tracked and start accepted,
/// account shares neither.
pub(super) fn new_share(
    target: ShareTarget,
    principals: bool,
    tags: bool,
    creator: usize,
) -> NewShare {
    let organization_node = target.is_organization_node();
    NewShare {
        target,
        share_principals: principals,
        share_tag_options: tags,
        accepted: organization_node,
        track: organization_node,
        created_by: account(creator),
    }
}
