#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! Model-based property test: random operation sequences applied to [`MemoryStore`] and to a
//! plain sequential model built on `BTreeMap`s and `Vec`s must give identical results at every
//! step, leave identical state (every portfolio's snapshot and the whole organization directory
//! compared after every step) and record identical changes: after every step the store's
//! `changes_since` the previous version is exactly the list of `Change`s the model expects,
//! under consecutive versions, and it is empty exactly when the model's state did not change.
//!
//! The store generates ids and tokens at random; the model learns each one from the store's
//! answer, checking that it is fresh, so every later comparison is exact.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use portcullis_matcher::{PrincipalArn, PrincipalPattern};
use portcullis_model::{
    AccountId, AccountJoinedMethod, AccountStatus, CreateAccountFailureReason,
    CreateAccountRequestId, CreateAccountState, DescribePortfolioShareType, OrganizationFeatureSet,
    OrganizationId, OrganizationNodeValue, OuId, ParentId, Partition, PortfolioId,
    PortfolioShareToken, PrincipalType, Region, ServicePrincipal, Tag, Timestamp,
};
use portcullis_store::*;
use proptest::prelude::*;

/// The limits passed in: `IAM_PATTERN` and `IAM` associations per portfolio and account, and
/// shares per portfolio.
const MAX_PATTERNS: usize = 1;
const MAX_IAM: usize = 2;
const MAX_SHARES: usize = 2;

fn account(i: usize) -> AccountId {
    AccountId::parse(["111111111111", "222222222222", "333333333333"][i]).unwrap()
}

fn region(i: usize) -> Region {
    Region::parse(["us-east-1", "eu-west-1"][i]).unwrap()
}

/// `IAM_PATTERN` associations. A pattern never names an account and a principal ARN always
/// does, so no text is valid as both types.
const PATTERNS: [&str; 4] = [
    "arn:aws:iam:::role/a*",
    "arn:aws:iam:::role/b",
    "arn:aws:iam:::user/c?",
    "arn:aws:iam:::group/d/*",
];

/// `IAM` associations.
const IAMS: [&str; 4] = [
    "arn:aws:iam::111111111111:role/a",
    "arn:aws:iam::111111111111:role/b",
    "arn:aws:iam::111111111111:user/c",
    "arn:aws:iam::222222222222:group/d/e",
];

fn arn(i: usize, pattern: bool) -> &'static str {
    if pattern { PATTERNS[i] } else { IAMS[i] }
}

fn association(i: usize, pattern: bool) -> Association {
    if pattern {
        Association::Pattern(Arc::new(PrincipalPattern::parse(PATTERNS[i]).unwrap()))
    } else {
        Association::Iam(PrincipalArn::parse(IAMS[i]).unwrap())
    }
}

fn principal_type(pattern: bool) -> PrincipalType {
    if pattern {
        PrincipalType::IamPattern
    } else {
        PrincipalType::Iam
    }
}

fn limit(pattern: bool) -> usize {
    if pattern { MAX_PATTERNS } else { MAX_IAM }
}

fn target(i: usize) -> ShareTarget {
    match i {
        0 => ShareTarget::Account(account(1)),
        1 => ShareTarget::Account(account(2)),
        2 => ShareTarget::Organization(OrganizationId::parse("o-aaaaaaaaaa").unwrap()),
        3 => ShareTarget::OrganizationalUnit(OuId::parse("ou-aaaa-aaaaaaaa").unwrap()),
        _ => ShareTarget::OrganizationMemberAccount(account(2)),
    }
}

fn share_type(i: usize) -> DescribePortfolioShareType {
    DescribePortfolioShareType::ALL[i]
}

fn import_kind(organization: bool) -> ImportKind {
    if organization {
        ImportKind::OrganizationShare
    } else {
        ImportKind::AccountShare
    }
}

fn tag(k: usize, v: usize) -> Tag {
    Tag {
        key: format!("k{k}"),
        value: format!("v{v}"),
    }
}

// ---- the directory's inputs ---------------------------------------------------------------------

/// The accounts directory operations name, besides those `create_account` makes.
fn member_id(i: usize) -> AccountId {
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

fn email_of(id: &AccountId) -> String {
    format!("{id}@example.com")
}

/// The addresses `create_account` asks for: one an invited account may hold already, and one
/// twice in different case.
const CREATE_EMAILS: [&str; 4] = [
    "222222222222@example.com",
    "new@example.com",
    "NEW@example.com",
    "other@example.com",
];

const OU_NAMES: [&str; 2] = ["dev", "ops"];

fn now() -> Timestamp {
    Timestamp::from_epoch_millis(5_000)
}

fn sc() -> ServicePrincipal {
    ServicePrincipal::service_catalog()
}

fn never_organization() -> OrganizationId {
    OrganizationId::parse("o-zzzzzzzzzz").unwrap()
}

fn never_parent() -> ParentId {
    ParentId::parse("ou-zzzz-zzzzzzzz").unwrap()
}

// ---- operations ---------------------------------------------------------------------------------

#[derive(Clone, Debug)]
enum Op {
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
}

fn catalog_op() -> impl Strategy<Value = Op> {
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

fn directory_op() -> impl Strategy<Value = Op> {
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

fn op_strategy() -> impl Strategy<Value = Op> {
    prop_oneof![2 => catalog_op(), 1 => directory_op()]
}

/// What an operation answered, for comparison.
#[derive(Debug, PartialEq)]
enum Out {
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
fn walk<T>(mut read: impl FnMut(PageRequest) -> Page<T>, size: usize) -> Vec<Vec<T>> {
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

fn try_walk<T>(
    mut read: impl FnMut(PageRequest) -> Result<Page<T>, StoreError>,
    size: usize,
) -> Result<Vec<Vec<T>>, StoreError> {
    read(PageRequest::first(size))?;
    Ok(walk(|r| read(r).unwrap(), size))
}

/// How the model pages a full list: what the store must answer.
fn chunks<T: Clone>(items: &[T], size: usize) -> Vec<Vec<T>> {
    if items.is_empty() {
        vec![vec![]]
    } else {
        items.chunks(size.max(1)).map(<[T]>::to_vec).collect()
    }
}

// ---- the model ----------------------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq)]
struct ModelPortfolio {
    record: PortfolioRecord,
    seq: u64,
    associations: BTreeMap<AccountId, Vec<Association>>,
    shares: Vec<ShareRecord>,
    imports: BTreeMap<Import, u64>,
}

impl ModelPortfolio {
    fn snapshot(&self) -> PortfolioSnapshot {
        let mut imports: Vec<(u64, Import)> =
            self.imports.iter().map(|(i, s)| (*s, i.clone())).collect();
        imports.sort();
        PortfolioSnapshot {
            portfolio: self.record.clone(),
            associations: self
                .associations
                .iter()
                .map(|(a, p)| (a.clone(), p.clone()))
                .collect(),
            shares: self.shares.clone(),
            imports: imports.into_iter().map(|(_, i)| i).collect(),
        }
    }

    fn share_index(&self, target: &ShareTarget) -> Option<usize> {
        self.shares.iter().position(|s| &s.target == target)
    }

    fn share_not_found(&self, target: &ShareTarget) -> StoreError {
        StoreError::ShareNotFound {
            portfolio: self.record.id.clone(),
            target: target.clone(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
struct ModelOrganization {
    record: OrganizationRecord,
    /// Members in joining order.
    accounts: Vec<AccountId>,
    /// Service Catalog's access.
    service_access: bool,
    /// Service Catalog's delegated administrators, in registration order.
    administrators: Vec<AccountId>,
}

/// The organization directory.
#[derive(Clone, Debug, Default, PartialEq)]
struct ModelDirectory {
    /// In creation order.
    organizations: Vec<ModelOrganization>,
    /// In creation order.
    ous: Vec<OuRecord>,
    members: BTreeMap<AccountId, MemberAccount>,
    /// Lower-cased.
    emails: BTreeSet<String>,
    /// The accounts `create_account` made, in order.
    created: Vec<AccountId>,
    requests: BTreeMap<CreateAccountRequestId, CreateAccountRecord>,
}

impl ModelDirectory {
    fn organization(&self, id: &OrganizationId) -> Option<&ModelOrganization> {
        self.organizations.iter().find(|o| &o.record.id == id)
    }

    fn organization_mut(&mut self, id: &OrganizationId) -> Option<&mut ModelOrganization> {
        self.organizations.iter_mut().find(|o| &o.record.id == id)
    }

    /// An organization made so far, or one never made.
    fn pick_organization(&self, i: usize) -> OrganizationId {
        match self.organizations.len() {
            n if n > 0 && i != 3 => self.organizations[i % n].record.id.clone(),
            _ => never_organization(),
        }
    }

    /// One of the fixed accounts, or one `create_account` made.
    fn pick_account(&self, i: usize) -> AccountId {
        match self.created.len() {
            n if n > 0 && i >= 4 => self.created[(i - 4) % n].clone(),
            _ => member_id(i % 4),
        }
    }

    /// Mostly a member account, else any account.
    fn pick_member(&self, i: usize) -> AccountId {
        match self.members.len() {
            n if n > 0 && i < 4 => self.members.keys().nth(i % n).unwrap().clone(),
            _ => self.pick_account(i),
        }
    }

    /// A root or OU (0 to 5): `context`'s root, one of its OUs (or another's when it has
    /// none), the last organization's root, or a parent that does not exist.
    fn pick_parent(&self, i: usize, context: Option<&OrganizationId>) -> ParentId {
        let root = |o: &ModelOrganization| ParentId::Root(o.record.root.clone());
        let context = context
            .and_then(|o| self.organization(o))
            .or(self.organizations.first());
        let own: Vec<&OuRecord> = self
            .ous
            .iter()
            .filter(|x| context.is_some_and(|o| o.record.id == x.organization))
            .collect();
        match i {
            0 => context.map_or_else(never_parent, root),
            1..=3 if !own.is_empty() => {
                ParentId::OrganizationalUnit(own[(i - 1) % own.len()].id.clone())
            }
            1..=3 if !self.ous.is_empty() => {
                ParentId::OrganizationalUnit(self.ous[(i - 1) % self.ous.len()].id.clone())
            }
            1..=3 => context.map_or_else(never_parent, root),
            4 => self.organizations.last().map_or_else(never_parent, root),
            _ => never_parent(),
        }
    }

    /// What `MoveAccount` moves, from where, to where: a `source` below 5 is the account's
    /// current parent, one above is picked like any parent.
    fn move_inputs(
        &self,
        account: usize,
        source: usize,
        destination: usize,
    ) -> (AccountId, ParentId, ParentId) {
        let id = self.pick_member(account);
        let member = self.members.get(&id);
        let context = member.map(|m| m.organization.clone());
        let source = match member {
            Some(m) if source < 5 => m.parent.clone(),
            _ => self.pick_parent(source.saturating_sub(5) * 2, context.as_ref()),
        };
        let destination = self.pick_parent(destination, context.as_ref());
        (id, source, destination)
    }

    /// The account a delegated administrator operation names: mostly one of the organization's
    /// administrators (`registered`) or members, else any account.
    fn pick_administrator(
        &self,
        organization: &OrganizationId,
        i: usize,
        registered: bool,
    ) -> AccountId {
        let candidates = self.organization(organization).map_or(&[][..], |o| {
            if registered {
                o.administrators.as_slice()
            } else {
                o.accounts.as_slice()
            }
        });
        match candidates.len() {
            n if n > 0 && i < 4 => candidates[i % n].clone(),
            _ => self.pick_account(i),
        }
    }

    fn is_parent_in(&self, organization: &OrganizationId, parent: &ParentId) -> bool {
        match parent {
            ParentId::Root(root) => self
                .organizations
                .iter()
                .any(|o| &o.record.root == root && &o.record.id == organization),
            ParentId::OrganizationalUnit(ou) => self
                .ous
                .iter()
                .any(|x| &x.id == ou && &x.organization == organization),
        }
    }

    fn placement(&self, account: &AccountId) -> Option<AccountPlacement> {
        let member = self.members.get(account)?;
        let organization = self.organization(&member.organization)?;
        let mut ous = Vec::new();
        let mut parent = &member.parent;
        while let ParentId::OrganizationalUnit(ou) = parent {
            let record = self.ous.iter().find(|x| &x.id == ou)?;
            ous.push(ou.clone());
            parent = &record.parent;
        }
        ous.reverse();
        Some(AccountPlacement {
            organization: organization.record.id.clone(),
            root: organization.record.root.clone(),
            ous,
        })
    }

    /// The accounts anywhere under `ou`, sorted.
    fn accounts_under(&self, ou: &OuId) -> Vec<AccountId> {
        self.members
            .keys()
            .filter(|a| self.placement(a).is_some_and(|p| p.ous.contains(ou)))
            .cloned()
            .collect()
    }

    /// An account joins its organization under the root; answers the change that records.
    fn join(&mut self, member: MemberAccount) -> Change {
        let organization = self
            .organization_mut(&member.organization)
            .expect("joins an existing organization");
        organization.accounts.push(member.id.clone());
        let change = Change::AccountPlaced {
            account: member.id.clone(),
            organization: member.organization.clone(),
            from: None,
            to: ParentId::Root(organization.record.root.clone()),
        };
        assert_eq!(
            member.parent,
            ParentId::Root(organization.record.root.clone())
        );
        self.emails.insert(member.email.to_lowercase());
        self.members.insert(member.id.clone(), member);
        change
    }
}

/// The sequential model.
#[derive(Clone, Debug, Default, PartialEq)]
struct Model {
    portfolios: BTreeMap<PortfolioId, ModelPortfolio>,
    idempotency: BTreeMap<(AccountId, Region, String), PortfolioRecord>,
    operations: BTreeMap<PortfolioShareToken, ShareOperation>,
    /// Order of insertions (portfolios, imports).
    tick: u64,
    directory: ModelDirectory,
    /// Every change expected so far: the change at index `i` has version `i + 1`.
    log: Vec<Change>,
}

impl Model {
    fn next_tick(&mut self) -> u64 {
        self.tick += 1;
        self.tick
    }

    fn live(&mut self, id: &PortfolioId) -> Result<&mut ModelPortfolio, StoreError> {
        self.portfolios
            .get_mut(id)
            .ok_or_else(|| StoreError::PortfolioNotFound(id.clone()))
    }

    /// Expects a change of the portfolio `id` when `changed`.
    fn changed(&mut self, id: &PortfolioId, changed: bool) {
        if changed {
            self.log.push(Change::Portfolio(id.clone()));
        }
    }

    /// Learns a token the store generated: it must be fresh.
    fn learn_operation(
        &mut self,
        token: &Option<PortfolioShareToken>,
        portfolio: &PortfolioId,
        target: &ShareTarget,
        kind: ShareOperationKind,
    ) -> Option<PortfolioShareToken> {
        let token = token.clone().expect("the store must answer a token");
        assert!(token.as_str().starts_with("share-"), "{token}");
        let op = ShareOperation {
            token: token.clone(),
            portfolio: portfolio.clone(),
            target: target.clone(),
            kind,
        };
        assert!(
            self.operations.insert(token.clone(), op).is_none(),
            "token {token} reused"
        );
        Some(token)
    }

    fn list(&self, owner: &AccountId, region: &Region) -> Vec<PortfolioRecord> {
        let mut list: Vec<_> = self
            .portfolios
            .values()
            .filter(|p| &p.record.owner == owner && &p.record.region == region)
            .map(|p| (p.seq, p.record.clone()))
            .collect();
        list.sort_by_key(|(seq, _)| *seq);
        list.into_iter().map(|(_, r)| r).collect()
    }

    fn imports(
        &self,
        recipient: &AccountId,
        region: &Region,
        kind: ImportKind,
    ) -> Vec<PortfolioRecord> {
        let import = Import {
            account: recipient.clone(),
            kind,
        };
        let mut list: Vec<_> = self
            .portfolios
            .values()
            .filter(|p| &p.record.region == region)
            .filter_map(|p| p.imports.get(&import).map(|seq| (*seq, p.record.clone())))
            .collect();
        list.sort_by_key(|(seq, _)| *seq);
        list.into_iter().map(|(_, r)| r).collect()
    }

    fn add_import(
        p: &mut ModelPortfolio,
        tick: u64,
        account: &AccountId,
        kind: ImportKind,
    ) -> bool {
        let import = Import {
            account: account.clone(),
            kind,
        };
        if p.imports.contains_key(&import) {
            return false;
        }
        p.imports.insert(import, tick);
        true
    }

    fn remove_import(p: &mut ModelPortfolio, account: &AccountId, kind: ImportKind) -> bool {
        p.imports
            .remove(&Import {
                account: account.clone(),
                kind,
            })
            .is_some()
    }

    /// Applies `op` to the model, expecting the changes it makes in `self.log`; `real` is the
    /// store's answer, from which generated ids and tokens are learned.
    fn apply(&mut self, op: &Op, id: &PortfolioId, real: &Out) -> Out {
        match op {
            Op::Create {
                owner,
                region: r,
                token,
                tags,
            } => {
                let key = token.map(|t| (account(*owner), region(*r), format!("token-{t}")));
                if let Some(first) = key.as_ref().and_then(|k| self.idempotency.get(k)) {
                    return Out::Created(CreatedPortfolio {
                        portfolio: first.clone(),
                        created: false,
                    });
                }
                let Out::Created(created) = real else {
                    panic!("unexpected answer {real:?}")
                };
                let new_id = created.portfolio.id.clone();
                let mut record_tags: Vec<Tag> = Vec::new();
                for (k, v) in tags {
                    let t = tag(*k, *v);
                    match record_tags.iter_mut().find(|x| x.key == t.key) {
                        Some(x) => x.value = t.value,
                        None => record_tags.push(t),
                    }
                }
                let record = PortfolioRecord {
                    id: new_id.clone(),
                    owner: account(*owner),
                    partition: Partition::default(),
                    region: region(*r),
                    display_name: "name".into(),
                    description: None,
                    provider_name: "provider".into(),
                    tags: record_tags,
                    created_time: Timestamp::from_epoch_millis(1_000),
                };
                let seq = self.next_tick();
                self.portfolios.insert(
                    new_id.clone(),
                    ModelPortfolio {
                        record: record.clone(),
                        seq,
                        associations: BTreeMap::new(),
                        shares: Vec::new(),
                        imports: BTreeMap::new(),
                    },
                );
                if let Some(key) = key {
                    self.idempotency.insert(key, record.clone());
                }
                self.changed(&new_id, true);
                Out::Created(CreatedPortfolio {
                    portfolio: record,
                    created: true,
                })
            }
            Op::Get { .. } => Out::Portfolio(self.portfolios.get(id).map(|p| p.record.clone())),
            Op::Update {
                name,
                description,
                add_tag,
                remove_tag,
                ..
            } => {
                let result = self.live(id).map(|p| {
                    let before = p.record.clone();
                    if let Some(n) = name {
                        p.record.display_name = format!("name-{n}");
                    }
                    if let Some(d) = description {
                        p.record.description = Some(format!("description-{d}"));
                    }
                    if let Some(k) = remove_tag {
                        p.record.tags.retain(|t| t.key != format!("k{k}"));
                    }
                    if let Some((k, v)) = add_tag {
                        let t = tag(*k, *v);
                        match p.record.tags.iter_mut().find(|x| x.key == t.key) {
                            Some(x) => x.value = t.value,
                            None => p.record.tags.push(t),
                        }
                    }
                    (p.record.clone(), p.record != before)
                });
                Out::Record(result.map(|(record, changed)| {
                    // Setting the values a portfolio already has changes nothing.
                    self.changed(id, changed);
                    record
                }))
            }
            Op::Delete { .. } => {
                let result = (|| {
                    let p = self.live(id)?;
                    let associations = p.associations.get(&p.record.owner).map_or(0, Vec::len);
                    if associations > 0 || !p.shares.is_empty() {
                        return Err(StoreError::PortfolioInUse {
                            portfolio: id.clone(),
                            associations,
                            shares: p.shares.len(),
                        });
                    }
                    Ok(self.portfolios.remove(id).unwrap().record)
                })();
                self.changed(id, result.is_ok());
                Out::Record(result)
            }
            Op::List {
                owner,
                region: r,
                page,
            } => Out::Portfolios(chunks(&self.list(&account(*owner), &region(*r)), *page)),
            Op::Associate {
                account: a,
                arn: n,
                pattern,
                ..
            } => {
                let result = self.live(id).and_then(|p| {
                    let association = association(*n, *pattern);
                    let list = p.associations.get(&account(*a));
                    if list.is_some_and(|l| l.contains(&association)) {
                        return Ok(AssociateOutcome::AlreadyPresent);
                    }
                    let count = list.map_or(0, |l| {
                        l.iter()
                            .filter(|x| x.principal_type() == principal_type(*pattern))
                            .count()
                    });
                    if count >= limit(*pattern) {
                        return Err(StoreError::LimitExceeded {
                            kind: LimitKind::associations(principal_type(*pattern)),
                            limit: limit(*pattern),
                        });
                    }
                    p.associations
                        .entry(account(*a))
                        .or_default()
                        .push(association);
                    Ok(AssociateOutcome::Added)
                });
                self.changed(id, result == Ok(AssociateOutcome::Added));
                Out::Associate(result)
            }
            Op::Disassociate {
                account: a,
                arn: n,
                pattern,
                cross,
                ..
            } => {
                let principal_type = principal_type(*pattern);
                let text = arn(*n, *pattern != *cross);
                let result = self.live(id).and_then(|p| {
                    let not_found = StoreError::AssociationNotFound {
                        portfolio: id.clone(),
                        account: account(*a),
                        principal_arn: text.to_owned(),
                        principal_type,
                    };
                    let list = p
                        .associations
                        .get_mut(&account(*a))
                        .ok_or(not_found.clone())?;
                    let at = list
                        .iter()
                        .position(|x| x.principal_type() == principal_type && x.arn() == text)
                        .ok_or(not_found)?;
                    list.remove(at);
                    if list.is_empty() {
                        p.associations.remove(&account(*a));
                    }
                    Ok(())
                });
                self.changed(id, result.is_ok());
                Out::Unit(result)
            }
            Op::ListAssociations {
                account: a, page, ..
            } => Out::Associations(self.live(id).map(|p| {
                chunks(
                    p.associations
                        .get(&account(*a))
                        .map_or(&[][..], Vec::as_slice),
                    *page,
                )
            })),
            Op::CreateShare {
                target: t,
                principals,
                tags,
                creator,
                ..
            } => {
                let target = target(*t);
                let result = (|| {
                    let p = self.live(id)?;
                    if let Some(i) = p.share_index(&target) {
                        return Ok(CreatedShare {
                            share: p.shares[i].clone(),
                            created: false,
                        });
                    }
                    if p.shares.len() >= MAX_SHARES {
                        return Err(StoreError::LimitExceeded {
                            kind: LimitKind::Shares,
                            limit: MAX_SHARES,
                        });
                    }
                    let Out::CreatedShare(Ok(created)) = real else {
                        panic!("unexpected answer {real:?}")
                    };
                    // As the service asks: organization-node shares are tracked and accepted.
                    let token = if target.is_organization_node() {
                        self.learn_operation(
                            &created.share.token,
                            id,
                            &target,
                            ShareOperationKind::Create,
                        )
                    } else {
                        None
                    };
                    let share = ShareRecord {
                        target: target.clone(),
                        share_principals: *principals,
                        share_tag_options: *tags,
                        accepted: target.is_organization_node(),
                        token,
                        created_by: account(*creator),
                    };
                    self.live(id)?.shares.push(share.clone());
                    Ok(CreatedShare {
                        share,
                        created: true,
                    })
                })();
                self.changed(id, result.as_ref().is_ok_and(|c| c.created));
                Out::CreatedShare(result)
            }
            Op::GetShare { target: t, .. } => Out::Share(
                self.live(id)
                    .map(|p| p.share_index(&target(*t)).map(|i| p.shares[i].clone())),
            ),
            Op::UpdateShare {
                target: t,
                principals,
                tags,
                ..
            } => {
                let target = target(*t);
                let result = (|| {
                    let p = self.live(id)?;
                    let i = p.share_index(&target).ok_or(p.share_not_found(&target))?;
                    if let Some(v) = principals {
                        p.shares[i].share_principals = *v;
                    }
                    if let Some(v) = tags {
                        p.shares[i].share_tag_options = *v;
                    }
                    let share = p.shares[i].clone();
                    let Out::ShareChange(Ok(change)) = real else {
                        panic!("unexpected answer {real:?}")
                    };
                    let token = self.learn_operation(
                        &change.token,
                        id,
                        &target,
                        ShareOperationKind::Update,
                    );
                    Ok(ShareChange { share, token })
                })();
                // Even an update that leaves the flags records an operation: a change.
                self.changed(id, result.is_ok());
                Out::ShareChange(result)
            }
            Op::DeleteShare { target: t, .. } => {
                let target = target(*t);
                let result = (|| {
                    let p = self.live(id)?;
                    let i = p.share_index(&target).ok_or(p.share_not_found(&target))?;
                    let share = p.shares.remove(i);
                    if let ShareTarget::Account(recipient) = &target {
                        Self::remove_import(p, recipient, ImportKind::AccountShare);
                    }
                    let token = if target.is_organization_node() {
                        let Out::ShareChange(Ok(change)) = real else {
                            panic!("unexpected answer {real:?}")
                        };
                        self.learn_operation(&change.token, id, &target, ShareOperationKind::Delete)
                    } else {
                        None
                    };
                    Ok(ShareChange { share, token })
                })();
                self.changed(id, result.is_ok());
                Out::ShareChange(result)
            }
            Op::ListShares { filter, page, .. } => Out::Shares(self.live(id).map(|p| {
                let shares: Vec<ShareRecord> = p
                    .shares
                    .iter()
                    .filter(|s| filter.is_none_or(|f| s.target.share_type() == share_type(f)))
                    .cloned()
                    .collect();
                chunks(&shares, *page)
            })),
            Op::DeleteSharesCreatedBy {
                creator,
                organization_nodes_only,
            } => {
                let creator = account(*creator);
                // Portfolio by portfolio, each one's shares in creation order.
                let mut removed = Vec::new();
                for p in self.portfolios.values_mut() {
                    let (gone, kept): (Vec<ShareRecord>, Vec<ShareRecord>) =
                        p.shares.drain(..).partition(|s| {
                            s.created_by == creator
                                && (!organization_nodes_only || s.target.is_organization_node())
                        });
                    p.shares = kept;
                    for share in gone {
                        if let ShareTarget::Account(recipient) = &share.target {
                            Self::remove_import(p, recipient, ImportKind::AccountShare);
                        }
                        removed.push((p.record.id.clone(), share));
                    }
                }
                // The store visits portfolios in no particular order: take its order when it
                // removed the same shares, portfolio by portfolio in the same order.
                let Out::Removed(answered) = real else {
                    panic!("unexpected answer {real:?}")
                };
                let mut by_portfolio = answered.clone();
                by_portfolio.sort_by(|a, b| a.0.cmp(&b.0));
                let removed = if by_portfolio == removed {
                    answered.clone()
                } else {
                    removed
                };
                // One change per share removed.
                for (portfolio, _) in &removed {
                    self.changed(portfolio, true);
                }
                Out::Removed(removed)
            }
            Op::Accept { account: a, .. } => {
                let tick = self.tick + 1;
                let result = self.live(id).and_then(|p| {
                    let target = ShareTarget::Account(account(*a));
                    let i = p.share_index(&target).ok_or(p.share_not_found(&target))?;
                    let flipped = !p.shares[i].accepted;
                    p.shares[i].accepted = true;
                    let imported =
                        Self::add_import(p, tick, &account(*a), ImportKind::AccountShare);
                    Ok((flipped, imported))
                });
                if let Ok((_, true)) = result {
                    self.next_tick();
                }
                // Accepting again changes nothing.
                self.changed(
                    id,
                    matches!(result, Ok((flipped, imported)) if flipped || imported),
                );
                Out::Unit(result.map(|_| ()))
            }
            Op::Reject { account: a, .. } => {
                let result = self.live(id).and_then(|p| {
                    let target = ShareTarget::Account(account(*a));
                    let i = p.share_index(&target).ok_or(p.share_not_found(&target))?;
                    let flipped = p.shares[i].accepted;
                    p.shares[i].accepted = false;
                    Ok(flipped | Self::remove_import(p, &account(*a), ImportKind::AccountShare))
                });
                self.changed(id, result == Ok(true));
                Out::Unit(result.map(|_| ()))
            }
            Op::ImportOrg { account: a, .. } => {
                let tick = self.tick + 1;
                let result = self.live(id).map(|p| {
                    Self::add_import(p, tick, &account(*a), ImportKind::OrganizationShare)
                });
                if result == Ok(true) {
                    self.next_tick();
                }
                self.changed(id, result == Ok(true));
                Out::Bool(result)
            }
            Op::RemoveOrgImport { account: a, .. } => {
                let result = self
                    .live(id)
                    .map(|p| Self::remove_import(p, &account(*a), ImportKind::OrganizationShare));
                self.changed(id, result == Ok(true));
                Out::Bool(result)
            }
            Op::IsImported {
                account: a,
                organization,
                ..
            } => Out::Flag(self.portfolios.get(id).is_some_and(|p| {
                p.imports.contains_key(&Import {
                    account: account(*a),
                    kind: import_kind(*organization),
                })
            })),
            Op::ListImports {
                account: a,
                region: r,
                organization,
            } => Out::Imports(self.imports(&account(*a), &region(*r), import_kind(*organization))),
            Op::CreateOrganization { .. }
            | Op::AddMember { .. }
            | Op::CreateAccount { .. }
            | Op::CreateOu { .. }
            | Op::MoveAccount { .. }
            | Op::SetServiceAccess { .. }
            | Op::RegisterAdministrator { .. }
            | Op::DeregisterAdministrator { .. } => self.apply_directory(op, real),
        }
    }

    /// Applies a directory operation to the model.
    fn apply_directory(&mut self, op: &Op, real: &Out) -> Out {
        let d = &mut self.directory;
        match op {
            Op::CreateOrganization { management } => {
                let management = member_id(*management);
                if let Some(member) = d.members.get(&management) {
                    return Out::Organization(Err(StoreError::AlreadyInOrganization {
                        account: management,
                        organization: member.organization.clone(),
                    }));
                }
                let Out::Organization(Ok(created)) = real else {
                    panic!("unexpected answer {real:?}")
                };
                assert!(created.id.as_str().starts_with("o-"), "{}", created.id);
                assert!(created.root.as_str().starts_with("r-"), "{}", created.root);
                assert!(
                    d.organizations
                        .iter()
                        .all(|o| o.record.id != created.id && o.record.root != created.root),
                    "organization or root id reused"
                );
                let record = OrganizationRecord {
                    id: created.id.clone(),
                    management_account: management.clone(),
                    management_email: email_of(&management),
                    feature_set: OrganizationFeatureSet::All,
                    root: created.root.clone(),
                    created: now(),
                };
                d.organizations.push(ModelOrganization {
                    record: record.clone(),
                    accounts: Vec::new(),
                    service_access: false,
                    administrators: Vec::new(),
                });
                let change = d.join(MemberAccount {
                    id: management.clone(),
                    organization: record.id.clone(),
                    parent: ParentId::Root(record.root.clone()),
                    name: "management".into(),
                    email: email_of(&management),
                    status: AccountStatus::Active,
                    joined_method: AccountJoinedMethod::Created,
                    joined_timestamp: now(),
                });
                self.log.push(change);
                Out::Organization(Ok(record))
            }
            Op::AddMember { org, account: a } => {
                let organization = d.pick_organization(*org);
                let id = d.pick_account(*a);
                let Some(root) = d.organization(&organization).map(|o| o.record.root.clone())
                else {
                    return Out::Member(Err(StoreError::OrganizationNotFound(organization)));
                };
                if let Some(member) = d.members.get(&id) {
                    return Out::Member(Err(StoreError::AlreadyInOrganization {
                        account: id,
                        organization: member.organization.clone(),
                    }));
                }
                let member = MemberAccount {
                    id: id.clone(),
                    organization,
                    parent: ParentId::Root(root),
                    name: id.to_string(),
                    email: email_of(&id),
                    status: AccountStatus::Active,
                    joined_method: AccountJoinedMethod::Invited,
                    joined_timestamp: now(),
                };
                let change = d.join(member.clone());
                self.log.push(change);
                Out::Member(Ok(member))
            }
            Op::CreateAccount { org, email } => {
                let organization = d.pick_organization(*org);
                let Some(root) = d.organization(&organization).map(|o| o.record.root.clone())
                else {
                    return Out::CreateAccount(Err(StoreError::OrganizationNotFound(organization)));
                };
                let Out::CreateAccount(Ok(answered)) = real else {
                    panic!("unexpected answer {real:?}")
                };
                assert!(answered.id.as_str().starts_with("car-"), "{}", answered.id);
                assert!(
                    !d.requests.contains_key(&answered.id),
                    "request id {} reused",
                    answered.id
                );
                let email = CREATE_EMAILS[*email];
                let mut record = CreateAccountRecord {
                    id: answered.id.clone(),
                    organization: organization.clone(),
                    account_name: "created".into(),
                    state: CreateAccountState::Failed,
                    requested: now(),
                    completed: now(),
                    account_id: None,
                    failure_reason: Some(CreateAccountFailureReason::EmailAlreadyExists),
                };
                if d.emails.contains(&email.to_lowercase()) {
                    // A failed request changes the organization; no account joins.
                    self.log.push(Change::Organization(organization));
                } else {
                    let new_id = answered.account_id.clone().expect("a new account's id");
                    assert!(
                        !d.members.contains_key(&new_id),
                        "account id {new_id} reused"
                    );
                    let change = d.join(MemberAccount {
                        id: new_id.clone(),
                        organization,
                        parent: ParentId::Root(root),
                        name: "created".into(),
                        email: email.into(),
                        status: AccountStatus::Active,
                        joined_method: AccountJoinedMethod::Created,
                        joined_timestamp: now(),
                    });
                    d.created.push(new_id.clone());
                    record.state = CreateAccountState::Succeeded;
                    record.account_id = Some(new_id);
                    record.failure_reason = None;
                    self.log.push(change);
                }
                d.requests.insert(record.id.clone(), record.clone());
                Out::CreateAccount(Ok(record))
            }
            Op::CreateOu { org, parent, name } => {
                let organization = d.pick_organization(*org);
                let Some(root) = d.organization(&organization).map(|o| o.record.root.clone())
                else {
                    return Out::Ou(Err(StoreError::OrganizationNotFound(organization)));
                };
                let parent = d.pick_parent(*parent, Some(&organization));
                if !d.is_parent_in(&organization, &parent) {
                    return Out::Ou(Err(StoreError::ParentNotFound(parent)));
                }
                let name = OU_NAMES[*name];
                if d.ous.iter().any(|x| x.parent == parent && x.name == name) {
                    return Out::Ou(Err(StoreError::DuplicateOrganizationalUnit {
                        parent,
                        name: name.into(),
                    }));
                }
                let Out::Ou(Ok(created)) = real else {
                    panic!("unexpected answer {real:?}")
                };
                assert!(
                    created
                        .id
                        .as_str()
                        .starts_with(&format!("ou-{}-", root.suffix())),
                    "{}",
                    created.id
                );
                assert!(
                    d.ous.iter().all(|x| x.id != created.id),
                    "OU id {} reused",
                    created.id
                );
                let record = OuRecord {
                    id: created.id.clone(),
                    organization: organization.clone(),
                    parent,
                    name: name.into(),
                };
                d.ous.push(record.clone());
                self.log.push(Change::Organization(organization));
                Out::Ou(Ok(record))
            }
            Op::MoveAccount {
                account: a,
                source,
                destination,
            } => {
                let (id, source, destination) = d.move_inputs(*a, *source, *destination);
                let member = d.members.get(&id).cloned();
                let result = (|| {
                    let member = member.ok_or_else(|| StoreError::AccountNotFound(id.clone()))?;
                    let organization = member.organization;
                    if !d.is_parent_in(&organization, &source) || member.parent != source {
                        return Err(StoreError::SourceParentNotFound(source.clone()));
                    }
                    if !d.is_parent_in(&organization, &destination) {
                        return Err(StoreError::DestinationParentNotFound(destination.clone()));
                    }
                    if source == destination {
                        return Err(StoreError::DuplicateAccount {
                            account: id.clone(),
                            parent: destination.clone(),
                        });
                    }
                    Ok(organization)
                })();
                let result = result.map(|organization| {
                    d.members.get_mut(&id).unwrap().parent = destination.clone();
                    self.log.push(Change::AccountPlaced {
                        account: id.clone(),
                        organization,
                        from: Some(source),
                        to: destination,
                    });
                });
                Out::Unit(result)
            }
            Op::SetServiceAccess { org, enabled } => {
                let organization = d.pick_organization(*org);
                let result = match d.organization_mut(&organization) {
                    None => Err(StoreError::OrganizationNotFound(organization.clone())),
                    Some(o) if *enabled => Ok(!std::mem::replace(&mut o.service_access, true)),
                    Some(o) if !o.administrators.is_empty() => {
                        Err(StoreError::DelegatedAdministratorsRegistered {
                            service_principal: sc(),
                            count: o.administrators.len(),
                        })
                    }
                    Some(o) => Ok(std::mem::replace(&mut o.service_access, false)),
                };
                // Only a flip is a change.
                if result == Ok(true) {
                    self.log.push(Change::Organization(organization));
                }
                Out::Bool(result)
            }
            Op::RegisterAdministrator { org, account: a } => {
                let organization = d.pick_organization(*org);
                let id = d.pick_administrator(&organization, *a, false);
                let is_member = d
                    .members
                    .get(&id)
                    .is_some_and(|m| m.organization == organization);
                let result = match d.organization_mut(&organization) {
                    None => Err(StoreError::OrganizationNotFound(organization.clone())),
                    Some(_) if !is_member => Err(StoreError::AccountNotFound(id)),
                    Some(o) if o.administrators.contains(&id) => {
                        Err(StoreError::AccountAlreadyRegistered {
                            account: id,
                            service_principal: sc(),
                        })
                    }
                    Some(o) => {
                        o.administrators.push(id);
                        Ok(())
                    }
                };
                if result.is_ok() {
                    self.log.push(Change::Organization(organization));
                }
                Out::Unit(result)
            }
            Op::DeregisterAdministrator { org, account: a } => {
                let organization = d.pick_organization(*org);
                let id = d.pick_administrator(&organization, *a, true);
                let result = match d.organization_mut(&organization) {
                    None => Err(StoreError::OrganizationNotFound(organization.clone())),
                    Some(o) => match o.administrators.iter().position(|x| x == &id) {
                        Some(at) => {
                            o.administrators.remove(at);
                            Ok(())
                        }
                        None => Err(StoreError::AccountNotRegistered {
                            account: id,
                            service_principal: sc(),
                        }),
                    },
                };
                if result.is_ok() {
                    self.log.push(Change::Organization(organization));
                }
                Out::Unit(result)
            }
            _ => panic!("not a directory operation: {op:?}"),
        }
    }
}

/// A share as the service asks for it: organization-node shares are tracked and start accepted,
/// account shares neither.
fn new_share(target: ShareTarget, principals: bool, tags: bool, creator: usize) -> NewShare {
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

/// Applies `op` to the store; the directory's operations pick their inputs from what `model`
/// has learned so far.
fn apply(store: &MemoryStore, op: &Op, id: &PortfolioId, model: &ModelDirectory) -> Out {
    match op {
        Op::Create {
            owner,
            region: r,
            token,
            tags,
        } => Out::Created(
            store
                .create_portfolio(NewPortfolio {
                    owner: account(*owner),
                    partition: Partition::default(),
                    region: region(*r),
                    display_name: "name".into(),
                    description: None,
                    provider_name: "provider".into(),
                    tags: tags.iter().map(|(k, v)| tag(*k, *v)).collect(),
                    created_time: Timestamp::from_epoch_millis(1_000),
                    idempotency_token: token.map(|t| format!("token-{t}")),
                })
                .unwrap(),
        ),
        Op::Get { .. } => Out::Portfolio(store.portfolio(id).unwrap()),
        Op::Update {
            name,
            description,
            add_tag,
            remove_tag,
            ..
        } => Out::Record(store.update_portfolio(
            id,
            PortfolioUpdate {
                display_name: name.map(|n| format!("name-{n}")),
                description: description.map(|d| format!("description-{d}")),
                provider_name: None,
                add_tags: add_tag.iter().map(|(k, v)| tag(*k, *v)).collect(),
                remove_tags: remove_tag.iter().map(|k| format!("k{k}")).collect(),
            },
        )),
        Op::Delete { .. } => Out::Record(store.delete_portfolio(id)),
        Op::List {
            owner,
            region: r,
            page,
        } => Out::Portfolios(walk(
            |req| {
                store
                    .list_portfolios(&account(*owner), &region(*r), req)
                    .unwrap()
            },
            *page,
        )),
        Op::Associate {
            account: a,
            arn: n,
            pattern,
            ..
        } => Out::Associate(store.associate(
            id,
            &account(*a),
            association(*n, *pattern),
            limit(*pattern),
        )),
        Op::Disassociate {
            account: a,
            arn: n,
            pattern,
            cross,
            ..
        } => Out::Unit(store.disassociate(
            id,
            &account(*a),
            principal_type(*pattern),
            arn(*n, *pattern != *cross),
        )),
        Op::ListAssociations {
            account: a, page, ..
        } => Out::Associations(try_walk(
            |req| store.list_associations(id, &account(*a), req),
            *page,
        )),
        Op::CreateShare {
            target: t,
            principals,
            tags,
            creator,
            ..
        } => Out::CreatedShare(store.create_share(
            id,
            new_share(target(*t), *principals, *tags, *creator),
            MAX_SHARES,
        )),
        Op::GetShare { target: t, .. } => Out::Share(store.share(id, &target(*t))),
        Op::UpdateShare {
            target: t,
            principals,
            tags,
            ..
        } => Out::ShareChange(store.update_share(
            id,
            &target(*t),
            ShareUpdate {
                share_principals: *principals,
                share_tag_options: *tags,
            },
        )),
        Op::DeleteShare { target: t, .. } => {
            let target = target(*t);
            let track = target.is_organization_node();
            Out::ShareChange(store.delete_share(id, &target, track))
        }
        Op::ListShares { filter, page, .. } => Out::Shares(try_walk(
            |req| store.list_shares(id, filter.map(share_type), req),
            *page,
        )),
        Op::DeleteSharesCreatedBy {
            creator,
            organization_nodes_only,
        } => Out::Removed(
            store
                .delete_shares_created_by(&account(*creator), *organization_nodes_only)
                .unwrap(),
        ),
        Op::Accept { account: a, .. } => Out::Unit(store.accept_account_share(id, &account(*a))),
        Op::Reject { account: a, .. } => Out::Unit(store.reject_account_share(id, &account(*a))),
        Op::ImportOrg { account: a, .. } => {
            Out::Bool(store.import_organization_share(id, &account(*a)))
        }
        Op::RemoveOrgImport { account: a, .. } => {
            Out::Bool(store.remove_organization_import(id, &account(*a)))
        }
        Op::IsImported {
            account: a,
            organization,
            ..
        } => Out::Flag(
            store
                .is_imported(id, &account(*a), import_kind(*organization))
                .unwrap(),
        ),
        Op::ListImports {
            account: a,
            region: r,
            organization,
        } => {
            let imports = store
                .list_imports(&account(*a), &region(*r), import_kind(*organization))
                .unwrap();
            assert!(
                imports.windows(2).all(|w| w[0].0 < w[1].0),
                "imports come in import order, positions rising"
            );
            Out::Imports(imports.into_iter().map(|(_, record)| record).collect())
        }
        Op::CreateOrganization { management } => {
            let management = member_id(*management);
            Out::Organization(store.create_organization(NewOrganization {
                management_name: "management".into(),
                management_email: email_of(&management),
                management_account: management,
                feature_set: OrganizationFeatureSet::All,
                now: now(),
            }))
        }
        Op::AddMember { org, account: a } => {
            let id = model.pick_account(*a);
            Out::Member(store.add_member_account(
                &model.pick_organization(*org),
                NewMember {
                    name: id.to_string(),
                    email: email_of(&id),
                    id,
                    joined_method: AccountJoinedMethod::Invited,
                    now: now(),
                },
            ))
        }
        Op::CreateAccount { org, email } => Out::CreateAccount(store.create_account(
            &model.pick_organization(*org),
            NewAccount {
                name: "created".into(),
                email: CREATE_EMAILS[*email].into(),
                now: now(),
            },
        )),
        Op::CreateOu { org, parent, name } => {
            let organization = model.pick_organization(*org);
            let parent = model.pick_parent(*parent, Some(&organization));
            Out::Ou(store.create_organizational_unit(&organization, &parent, OU_NAMES[*name]))
        }
        Op::MoveAccount {
            account: a,
            source,
            destination,
        } => {
            let (id, source, destination) = model.move_inputs(*a, *source, *destination);
            Out::Unit(store.move_account(&id, &source, &destination))
        }
        Op::SetServiceAccess { org, enabled } => {
            Out::Bool(store.set_service_access(&model.pick_organization(*org), &sc(), *enabled))
        }
        Op::RegisterAdministrator { org, account: a } => {
            let organization = model.pick_organization(*org);
            Out::Unit(store.register_delegated_administrator(
                &organization,
                &model.pick_administrator(&organization, *a, false),
                &sc(),
                now(),
            ))
        }
        Op::DeregisterAdministrator { org, account: a } => {
            let organization = model.pick_organization(*org);
            Out::Unit(store.deregister_delegated_administrator(
                &organization,
                &model.pick_administrator(&organization, *a, true),
                &sc(),
            ))
        }
    }
}

/// The portfolio an operation's index names: one of the ids created so far (deleted ones
/// included), or one never created.
fn pick(ids: &[PortfolioId], op: &Op) -> PortfolioId {
    let p = match op {
        Op::Get { p }
        | Op::Update { p, .. }
        | Op::Delete { p }
        | Op::Associate { p, .. }
        | Op::Disassociate { p, .. }
        | Op::ListAssociations { p, .. }
        | Op::CreateShare { p, .. }
        | Op::GetShare { p, .. }
        | Op::UpdateShare { p, .. }
        | Op::DeleteShare { p, .. }
        | Op::ListShares { p, .. }
        | Op::Accept { p, .. }
        | Op::Reject { p, .. }
        | Op::ImportOrg { p, .. }
        | Op::RemoveOrgImport { p, .. }
        | Op::IsImported { p, .. } => *p,
        _ => 0,
    };
    // One index in eight names a portfolio that never existed.
    match ids.len() {
        0 => None,
        n if p != 7 => ids.get(p % n).cloned(),
        _ => None,
    }
    .unwrap_or_else(|| PortfolioId::parse("port-nevercreated0").unwrap())
}

/// The whole directory as the store answers it equals the model's.
fn check_directory(store: &MemoryStore, d: &ModelDirectory, step: usize, op: &Op) {
    let ctx = || format!("step {step}: after {op:?}");
    for o in &d.organizations {
        let id = &o.record.id;
        assert_eq!(
            store.organization(id).unwrap(),
            Some(o.record.clone()),
            "{}",
            ctx()
        );
        let members: Vec<MemberAccount> = o.accounts.iter().map(|a| d.members[a].clone()).collect();
        assert_eq!(
            store.list_accounts(id, PageRequest::all()).unwrap().items,
            members,
            "{}: members in joining order",
            ctx()
        );
        assert_eq!(
            store
                .accounts_under(&OrganizationNodeValue::Organization(id.clone()))
                .unwrap(),
            o.accounts,
            "{}",
            ctx()
        );
        assert_eq!(
            store.service_access(id, &sc()).unwrap(),
            o.service_access,
            "{}",
            ctx()
        );
        let administrators: Vec<DelegatedAdministratorRecord> = o
            .administrators
            .iter()
            .map(|a| DelegatedAdministratorRecord {
                account: d.members[a].clone(),
                service_principal: sc(),
                delegation_enabled: now(),
            })
            .collect();
        assert_eq!(
            store.list_delegated_administrators(id, None).unwrap(),
            administrators,
            "{}",
            ctx()
        );
        let parents = std::iter::once(ParentId::Root(o.record.root.clone())).chain(
            d.ous
                .iter()
                .filter(|x| &x.organization == id)
                .map(|x| ParentId::OrganizationalUnit(x.id.clone())),
        );
        for parent in parents {
            let children: Vec<OuRecord> = d
                .ous
                .iter()
                .filter(|x| x.parent == parent)
                .cloned()
                .collect();
            assert_eq!(
                store
                    .list_organizational_units(id, &parent, PageRequest::all())
                    .unwrap()
                    .items,
                children,
                "{}: OUs under {parent}",
                ctx()
            );
        }
    }
    for ou in &d.ous {
        assert_eq!(
            store.organizational_unit(&ou.id).unwrap(),
            Some(ou.clone()),
            "{}",
            ctx()
        );
        let mut under = store
            .accounts_under(&OrganizationNodeValue::OrganizationalUnit(ou.id.clone()))
            .unwrap();
        under.sort();
        assert_eq!(
            under,
            d.accounts_under(&ou.id),
            "{}: under {}",
            ctx(),
            ou.id
        );
    }
    let known = (0..4).map(member_id).chain(d.created.iter().cloned());
    for account in known {
        let member = d.members.get(&account);
        assert_eq!(
            store.member_account(&account).unwrap().as_ref(),
            member,
            "{}",
            ctx()
        );
        assert_eq!(
            store.placement(&account).unwrap().as_deref(),
            d.placement(&account).as_ref(),
            "{}",
            ctx()
        );
        assert_eq!(
            store.organization_of(&account).unwrap().map(|o| o.id),
            member.map(|m| m.organization.clone()),
            "{}",
            ctx()
        );
        assert_eq!(
            store
                .accounts_under(&OrganizationNodeValue::Account(account.clone()))
                .unwrap(),
            member.map(|m| m.id.clone()).into_iter().collect::<Vec<_>>(),
            "{}",
            ctx()
        );
        let administrator = member.is_some_and(|m| {
            d.organization(&m.organization)
                .is_some_and(|o| o.administrators.contains(&account))
        });
        assert_eq!(
            store.is_delegated_administrator(&account, &sc()).unwrap(),
            administrator,
            "{}",
            ctx()
        );
    }
    for (id, request) in &d.requests {
        assert_eq!(
            store.create_account_status(id).unwrap().as_ref(),
            Some(request),
            "{}",
            ctx()
        );
    }
}

/// The changes with versions `from + 1 ..`, as the store should answer them.
fn versioned(from: u64, changes: &[Change]) -> Vec<(u64, Change)> {
    changes
        .iter()
        .enumerate()
        .map(|(i, c)| (from + 1 + i as u64, c.clone()))
        .collect()
}

fn check(ops: &[Op]) {
    let store = MemoryStore::new();
    let mut model = Model::default();
    let mut ids: Vec<PortfolioId> = Vec::new();
    let mut ever: BTreeSet<PortfolioId> = BTreeSet::new();
    for (step, op) in ops.iter().enumerate() {
        let id = pick(&ids, op);
        let before = model.clone();
        let version = store.version();
        assert_eq!(version, model.log.len() as u64);
        let real = apply(&store, op, &id, &model.directory);
        let expected = model.apply(op, &id, &real);
        assert_eq!(real, expected, "step {step}: {op:?}");
        if let Out::Created(CreatedPortfolio {
            portfolio,
            created: true,
        }) = &real
        {
            assert!(
                ever.insert(portfolio.id.clone()),
                "portfolio id {} reused",
                portfolio.id
            );
            ids.push(portfolio.id.clone());
        }

        // The change feed: exactly the expected changes, under the next versions.
        let recorded = &model.log[before.log.len()..];
        let changed = {
            let mut after = model.clone();
            after.log.clone_from(&before.log);
            after != before
        };
        if matches!(op, Op::DeleteSharesCreatedBy { .. }) {
            // One change per share removed.
            assert_eq!(changed, !recorded.is_empty(), "step {step}: {op:?}");
        } else {
            assert_eq!(
                recorded.len(),
                usize::from(changed),
                "step {step}: one change exactly when the state changes: {op:?}"
            );
        }
        assert_eq!(
            store.changes_since(version),
            Ok(Changes {
                version: model.log.len() as u64,
                changes: versioned(version, recorded),
            }),
            "step {step}: the changes {op:?} recorded"
        );
        assert_eq!(store.version(), model.log.len() as u64, "step {step}");

        for id in &ids {
            assert_eq!(
                store.portfolio_snapshot(id).unwrap(),
                model.portfolios.get(id).map(ModelPortfolio::snapshot),
                "step {step}: state of {id} after {op:?}"
            );
        }
        for (token, operation) in &model.operations {
            assert_eq!(
                store.share_operation(token).unwrap().as_ref(),
                Some(operation)
            );
        }
        check_directory(&store, &model.directory, step, op);
    }
    let mut seen = Vec::new();
    store.for_each_portfolio(&mut |s| seen.push(s)).unwrap();
    let mut expected: Vec<_> = model.portfolios.values().collect();
    expected.sort_by_key(|p| p.seq);
    let expected: Vec<_> = expected.into_iter().map(ModelPortfolio::snapshot).collect();
    assert_eq!(
        seen, expected,
        "for_each_portfolio visits every live portfolio in creation order"
    );
    assert_eq!(
        store.changes_since(0).map(|c| c.changes),
        Ok(versioned(0, &model.log)),
        "the whole record, from the start"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn store_matches_sequential_model(ops in proptest::collection::vec(op_strategy(), 1..80)) {
        check(&ops);
    }
}
