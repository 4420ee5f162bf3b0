//! The sequential model: what the store must answer and hold, as plain `BTreeMap`s and `Vec`s
//! changed one operation at a time. Ids and tokens the store generates are learned from its
//! answers, each checked to be fresh.

use std::collections::{BTreeMap, BTreeSet};

use portcullis_model::{
    AccountId, AccountJoinedMethod, AccountStatus, CreateAccountFailureReason,
    CreateAccountRequestId, CreateAccountState, OrganizationFeatureSet, OrganizationId, OuId,
    ParentId, Partition, PortfolioId, PortfolioShareToken, Region, Tag, Timestamp,
};

use super::ops::*;
use crate::{
    AccountPlacement, AssociateOutcome, Association, Change, CreateAccountRecord, CreatedPortfolio,
    CreatedShare, Import, ImportKind, LimitKind, MemberAccount, OrganizationRecord, OuRecord,
    PortfolioRecord, PortfolioSnapshot, ShareChange, ShareOperation, ShareOperationKind,
    ShareRecord, ShareTarget, StoreError,
};

#[derive(Clone, Debug, PartialEq)]
pub(super) struct ModelPortfolio {
    pub(super) record: PortfolioRecord,
    pub(super) seq: u64,
    associations: BTreeMap<AccountId, Vec<Association>>,
    shares: Vec<ShareRecord>,
    imports: BTreeMap<Import, u64>,
}

impl ModelPortfolio {
    pub(super) fn snapshot(&self) -> PortfolioSnapshot {
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
pub(super) struct ModelOrganization {
    pub(super) record: OrganizationRecord,
    /// Members in joining order.
    pub(super) accounts: Vec<AccountId>,
    /// Service Catalog's access.
    pub(super) service_access: bool,
    /// Service Catalog's delegated administrators, in registration order.
    pub(super) administrators: Vec<AccountId>,
}

/// The organization directory.
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct ModelDirectory {
    /// In creation order.
    pub(super) organizations: Vec<ModelOrganization>,
    /// In creation order.
    pub(super) ous: Vec<OuRecord>,
    pub(super) members: BTreeMap<AccountId, MemberAccount>,
    /// Lower-cased.
    emails: BTreeSet<String>,
    /// The accounts `create_account` made, in order.
    pub(super) created: Vec<AccountId>,
    pub(super) requests: BTreeMap<CreateAccountRequestId, CreateAccountRecord>,
}

impl ModelDirectory {
    pub(super) fn organization(&self, id: &OrganizationId) -> Option<&ModelOrganization> {
        self.organizations.iter().find(|o| &o.record.id == id)
    }

    fn organization_mut(&mut self, id: &OrganizationId) -> Option<&mut ModelOrganization> {
        self.organizations.iter_mut().find(|o| &o.record.id == id)
    }

    /// An organization made so far, or one never made.
    pub(super) fn pick_organization(&self, i: usize) -> OrganizationId {
        match self.organizations.len() {
            n if n > 0 && i != 3 => self.organizations[i % n].record.id.clone(),
            _ => never_organization(),
        }
    }

    /// One of the fixed accounts, or one `create_account` made.
    pub(super) fn pick_account(&self, i: usize) -> AccountId {
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
    pub(super) fn pick_parent(&self, i: usize, context: Option<&OrganizationId>) -> ParentId {
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
    pub(super) fn move_inputs(
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
    pub(super) fn pick_administrator(
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

    pub(super) fn placement(&self, account: &AccountId) -> Option<AccountPlacement> {
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
    pub(super) fn accounts_under(&self, ou: &OuId) -> Vec<AccountId> {
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
pub(super) struct Model {
    pub(super) portfolios: BTreeMap<PortfolioId, ModelPortfolio>,
    pub(super) idempotency: BTreeMap<(AccountId, Region, String), PortfolioRecord>,
    pub(super) operations: BTreeMap<PortfolioShareToken, ShareOperation>,
    /// Order of insertions (portfolios, imports).
    tick: u64,
    pub(super) directory: ModelDirectory,
    /// Every change expected so far: the change at index `i` has version `i + 1`.
    pub(super) log: Vec<Change>,
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

    pub(super) fn list(&self, owner: &AccountId, region: &Region) -> Vec<PortfolioRecord> {
        let mut list: Vec<_> = self
            .portfolios
            .values()
            .filter(|p| &p.record.owner == owner && &p.record.region == region)
            .map(|p| (p.seq, p.record.clone()))
            .collect();
        list.sort_by_key(|(seq, _)| *seq);
        list.into_iter().map(|(_, r)| r).collect()
    }

    pub(super) fn imports(
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
    pub(super) fn apply(&mut self, op: &Op, id: &PortfolioId, real: &Out) -> Out {
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
            Op::Reopen => panic!("the check loop reopens the store, not `apply`"),
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
