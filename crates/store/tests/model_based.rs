#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! Model-based property test: random operation sequences applied to [`MemoryStore`] and to a
//! plain sequential model built on `BTreeMap`s must give identical results at every step, leave
//! identical state (every portfolio's snapshot compared after every step) and move
//! `Store::version` by one exactly when the model's state changed.
//!
//! The store generates ids and tokens at random; the model learns each one from the store's
//! answer, checking that it is fresh, so every later comparison is exact.

use std::collections::{BTreeMap, BTreeSet};

use portcullis_model::{
    AccountId, DescribePortfolioShareType, OrganizationId, OuId, Partition, PortfolioId,
    PortfolioShareToken, Principal, PrincipalType, Region, Tag, Timestamp,
};
use portcullis_store::*;
use proptest::prelude::*;

const LIMITS: AssociationLimits = AssociationLimits {
    max_iam_patterns: 1,
    max_iam: 2,
};
const MAX_SHARES: usize = 2;

fn account(i: usize) -> AccountId {
    AccountId::parse(["111111111111", "222222222222", "333333333333"][i]).unwrap()
}

fn region(i: usize) -> Region {
    Region::parse(["us-east-1", "eu-west-1"][i]).unwrap()
}

fn arn(i: usize) -> &'static str {
    [
        "arn:aws:iam:::role/a*",
        "arn:aws:iam:::role/b",
        "arn:aws:iam::111111111111:role/c",
        "arn:aws:iam::222222222222:user/d",
    ][i]
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
    Disassociate {
        p: usize,
        account: usize,
        arn: usize,
        pattern: bool,
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
        page: usize,
    },
}

fn op_strategy() -> impl Strategy<Value = Op> {
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
        4 => (p.clone(), 0..2usize, 0..4usize, any::<bool>())
            .prop_map(|(p, account, arn, pattern)| Op::Disassociate { p, account, arn, pattern }),
        1 => (p.clone(), acct.clone(), 0..4usize).prop_map(|(p, account, page)| Op::ListAssociations { p, account, page }),
        4 => (p.clone(), 0..5usize, any::<bool>(), any::<bool>(), acct.clone())
            .prop_map(|(p, target, principals, tags, creator)| Op::CreateShare { p, target, principals, tags, creator }),
        1 => (p.clone(), 0..5usize).prop_map(|(p, target)| Op::GetShare { p, target }),
        2 => (p.clone(), 0..5usize, proptest::option::of(any::<bool>()), proptest::option::of(any::<bool>()))
            .prop_map(|(p, target, principals, tags)| Op::UpdateShare { p, target, principals, tags }),
        2 => (p.clone(), 0..5usize).prop_map(|(p, target)| Op::DeleteShare { p, target }),
        1 => (p.clone(), proptest::option::of(0..4usize), 0..4usize)
            .prop_map(|(p, filter, page)| Op::ListShares { p, filter, page }),
        2 => (p.clone(), acct.clone()).prop_map(|(p, account)| Op::Accept { p, account }),
        1 => (p.clone(), acct.clone()).prop_map(|(p, account)| Op::Reject { p, account }),
        1 => (p.clone(), acct.clone()).prop_map(|(p, account)| Op::ImportOrg { p, account }),
        1 => (p.clone(), acct.clone()).prop_map(|(p, account)| Op::RemoveOrgImport { p, account }),
        1 => (p.clone(), acct.clone(), any::<bool>())
            .prop_map(|(p, account, organization)| Op::IsImported { p, account, organization }),
        1 => (acct, 0..2usize, any::<bool>(), 0..4usize)
            .prop_map(|(account, region, organization, page)| Op::ListImports { account, region, organization, page }),
    ]
}

/// What an operation answered, for comparison.
#[derive(Debug, PartialEq)]
enum Out {
    Created(CreatedPortfolio),
    Portfolio(Option<PortfolioRecord>),
    Record(Result<PortfolioRecord, StoreError>),
    Portfolios(Vec<Vec<PortfolioRecord>>),
    Associate(Result<AssociateOutcome, StoreError>),
    Unit(Result<(), StoreError>),
    Principals(Result<Vec<Vec<Principal>>, StoreError>),
    CreatedShare(Result<CreatedShare, StoreError>),
    Share(Result<Option<ShareRecord>, StoreError>),
    ShareChange(Result<ShareChange, StoreError>),
    Shares(Result<Vec<Vec<ShareRecord>>, StoreError>),
    Bool(Result<bool, StoreError>),
    Flag(bool),
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

#[derive(Clone, Debug, PartialEq)]
struct ModelPortfolio {
    record: PortfolioRecord,
    seq: u64,
    associations: BTreeMap<AccountId, Vec<Principal>>,
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

/// The sequential model.
#[derive(Clone, Debug, Default, PartialEq)]
struct Model {
    portfolios: BTreeMap<PortfolioId, ModelPortfolio>,
    idempotency: BTreeMap<(AccountId, Region, String), PortfolioRecord>,
    operations: BTreeMap<PortfolioShareToken, ShareOperation>,
    /// Order of insertions (portfolios, imports).
    tick: u64,
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

    /// Applies `op` to the model; `real` is the store's answer, from which generated ids and
    /// tokens are learned.
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
            } => Out::Record(self.live(id).map(|p| {
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
                p.record.clone()
            })),
            Op::Delete { .. } => Out::Record((|| {
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
            })()),
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
            } => Out::Associate(self.live(id).and_then(|p| {
                let principal_type = principal_type(*pattern);
                let principal = Principal {
                    principal_arn: arn(*n).to_owned(),
                    principal_type,
                };
                let list = p.associations.get(&account(*a));
                if list.is_some_and(|l| l.contains(&principal)) {
                    return Ok(AssociateOutcome::AlreadyPresent);
                }
                let (limit, kind) = if *pattern {
                    (LIMITS.max_iam_patterns, LimitKind::IamPatternAssociations)
                } else {
                    (LIMITS.max_iam, LimitKind::IamAssociations)
                };
                let count = list.map_or(0, |l| {
                    l.iter()
                        .filter(|x| x.principal_type == principal_type)
                        .count()
                });
                if count >= limit {
                    return Err(StoreError::LimitExceeded { kind, limit });
                }
                p.associations
                    .entry(account(*a))
                    .or_default()
                    .push(principal);
                Ok(AssociateOutcome::Added)
            })),
            Op::Disassociate {
                account: a,
                arn: n,
                pattern,
                ..
            } => Out::Unit(self.live(id).and_then(|p| {
                let principal = Principal {
                    principal_arn: arn(*n).to_owned(),
                    principal_type: principal_type(*pattern),
                };
                let not_found = StoreError::AssociationNotFound {
                    portfolio: id.clone(),
                    account: account(*a),
                    principal_arn: arn(*n).to_owned(),
                    principal_type: principal_type(*pattern),
                };
                let list = p
                    .associations
                    .get_mut(&account(*a))
                    .ok_or(not_found.clone())?;
                let at = list.iter().position(|x| x == &principal).ok_or(not_found)?;
                list.remove(at);
                if list.is_empty() {
                    p.associations.remove(&account(*a));
                }
                Ok(())
            })),
            Op::ListAssociations {
                account: a, page, ..
            } => Out::Principals(self.live(id).map(|p| {
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
            Op::Accept { account: a, .. } => {
                let tick = self.tick + 1;
                let mut ticked = false;
                let result = self.live(id).and_then(|p| {
                    let target = ShareTarget::Account(account(*a));
                    let i = p.share_index(&target).ok_or(p.share_not_found(&target))?;
                    p.shares[i].accepted = true;
                    ticked = Self::add_import(p, tick, &account(*a), ImportKind::AccountShare);
                    Ok(())
                });
                if ticked {
                    self.next_tick();
                }
                Out::Unit(result)
            }
            Op::Reject { account: a, .. } => Out::Unit(self.live(id).and_then(|p| {
                let target = ShareTarget::Account(account(*a));
                let i = p.share_index(&target).ok_or(p.share_not_found(&target))?;
                p.shares[i].accepted = false;
                Self::remove_import(p, &account(*a), ImportKind::AccountShare);
                Ok(())
            })),
            Op::ImportOrg { account: a, .. } => {
                let tick = self.tick + 1;
                let result = self.live(id).map(|p| {
                    Self::add_import(p, tick, &account(*a), ImportKind::OrganizationShare)
                });
                if result == Ok(true) {
                    self.next_tick();
                }
                Out::Bool(result)
            }
            Op::RemoveOrgImport { account: a, .. } => Out::Bool(
                self.live(id)
                    .map(|p| Self::remove_import(p, &account(*a), ImportKind::OrganizationShare)),
            ),
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
                page,
            } => Out::Portfolios(chunks(
                &self.imports(&account(*a), &region(*r), import_kind(*organization)),
                *page,
            )),
        }
    }
}

fn principal_type(pattern: bool) -> PrincipalType {
    if pattern {
        PrincipalType::IamPattern
    } else {
        PrincipalType::Iam
    }
}

/// Applies `op` to the store.
fn apply(store: &MemoryStore, op: &Op, id: &PortfolioId) -> Out {
    match op {
        Op::Create {
            owner,
            region: r,
            token,
            tags,
        } => Out::Created(store.create_portfolio(NewPortfolio {
            owner: account(*owner),
            partition: Partition::default(),
            region: region(*r),
            display_name: "name".into(),
            description: None,
            provider_name: "provider".into(),
            tags: tags.iter().map(|(k, v)| tag(*k, *v)).collect(),
            created_time: Timestamp::from_epoch_millis(1_000),
            idempotency_token: token.map(|t| format!("token-{t}")),
        })),
        Op::Get { .. } => Out::Portfolio(store.portfolio(id)),
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
            |req| store.list_portfolios(&account(*owner), &region(*r), req),
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
            arn(*n),
            principal_type(*pattern),
            LIMITS,
        )),
        Op::Disassociate {
            account: a,
            arn: n,
            pattern,
            ..
        } => Out::Unit(store.disassociate(id, &account(*a), arn(*n), principal_type(*pattern))),
        Op::ListAssociations {
            account: a, page, ..
        } => Out::Principals(try_walk(
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
            NewShare {
                target: target(*t),
                share_principals: *principals,
                share_tag_options: *tags,
                created_by: account(*creator),
            },
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
        Op::DeleteShare { target: t, .. } => Out::ShareChange(store.delete_share(id, &target(*t))),
        Op::ListShares { filter, page, .. } => Out::Shares(try_walk(
            |req| store.list_shares(id, filter.map(share_type), req),
            *page,
        )),
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
        } => Out::Flag(store.is_imported(id, &account(*a), import_kind(*organization))),
        Op::ListImports {
            account: a,
            region: r,
            organization,
            page,
        } => Out::Portfolios(walk(
            |req| store.list_imports(&account(*a), &region(*r), import_kind(*organization), req),
            *page,
        )),
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
        Op::Create { .. } | Op::List { .. } | Op::ListImports { .. } => 0,
    };
    // One index in eight names a portfolio that never existed.
    match ids.len() {
        0 => None,
        n if p != 7 => ids.get(p % n).cloned(),
        _ => None,
    }
    .unwrap_or_else(|| PortfolioId::parse("port-nevercreated0").unwrap())
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
        let real = apply(&store, op, &id);
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
        let changed = model != before;
        assert_eq!(
            store.version(),
            version + u64::from(changed),
            "step {step}: version must move by one exactly when state changes: {op:?}"
        );
        for id in &ids {
            assert_eq!(
                store.portfolio_snapshot(id),
                model.portfolios.get(id).map(ModelPortfolio::snapshot),
                "step {step}: state of {id} after {op:?}"
            );
        }
        for (token, operation) in &model.operations {
            assert_eq!(store.share_operation(token).as_ref(), Some(operation));
        }
    }
    let mut seen = Vec::new();
    store.for_each_portfolio(&mut |s| seen.push(s));
    let mut expected: Vec<_> = model.portfolios.values().collect();
    expected.sort_by_key(|p| p.seq);
    let expected: Vec<_> = expected.into_iter().map(ModelPortfolio::snapshot).collect();
    assert_eq!(
        seen, expected,
        "for_each_portfolio visits every live portfolio in creation order"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn store_matches_sequential_model(ops in proptest::collection::vec(op_strategy(), 1..50)) {
        check(&ops);
    }
}
