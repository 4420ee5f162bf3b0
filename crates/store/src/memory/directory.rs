//! The organization directory: organizations, their trees and delegated administrators.
//!
//! A tree's invariants (an account has one parent in its own organization; OU names are unique
//! among siblings) span many entries, and writes are rare, so the whole directory sits behind
//! one reader-writer lock held by [`super::MemoryStore`]; this type itself is single-threaded.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use portcullis_model::{
    AccountId, AccountJoinedMethod, AccountStatus, CreateAccountFailureReason,
    CreateAccountRequestId, CreateAccountState, OrganizationId, OrganizationNodeValue, OuId,
    ParentId, RootId, ServicePrincipal, Timestamp,
};

use crate::error::StoreError;
use crate::types::{
    AccountPlacement, CreateAccountRecord, DelegatedAdministratorRecord, MemberAccount, NewAccount,
    NewMember, NewOrganization, OrganizationRecord, OuRecord, Page, PageRequest,
};

use super::MemoryStore;
use super::paging::page_of;
use crate::DirectoryStore;
use crate::rows::{DelegationRow, MemberRow, OrganizationRow, OuRow};
use crate::types::Change;

struct OrgState {
    record: OrganizationRecord,
    /// Member accounts in joining order.
    accounts: BTreeMap<u64, AccountId>,
    /// Registrations in order: (service, account, since).
    delegated: BTreeMap<u64, (ServicePrincipal, AccountId, Timestamp)>,
    service_access: BTreeSet<ServicePrincipal>,
}

#[derive(Default)]
struct Children {
    ous: BTreeMap<u64, OuId>,
    accounts: BTreeMap<u64, AccountId>,
}

struct Member {
    record: MemberAccount,
    seq: u64,
    /// Where it sits, kept with it (recomputed when it moves; OUs never move).
    placement: Option<Arc<AccountPlacement>>,
}

#[derive(Default)]
pub(super) struct Directory {
    organizations: HashMap<OrganizationId, OrgState>,
    roots: HashMap<RootId, OrganizationId>,
    ous: HashMap<OuId, (OuRecord, u64)>,
    members: HashMap<AccountId, Member>,
    children: HashMap<ParentId, Children>,
    /// Lower-cased e-mail address -> account.
    emails: HashMap<String, AccountId>,
    create_requests: HashMap<CreateAccountRequestId, CreateAccountRecord>,
    seq: u64,
}

impl Directory {
    fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    fn org(&self, id: &OrganizationId) -> Result<&OrgState, StoreError> {
        self.organizations
            .get(id)
            .ok_or_else(|| StoreError::OrganizationNotFound(id.clone()))
    }

    /// Whether `parent` is the root or an OU of `org`.
    fn is_parent_in(&self, org: &OrganizationId, parent: &ParentId) -> bool {
        match parent {
            ParentId::Root(root) => self.roots.get(root) == Some(org),
            ParentId::OrganizationalUnit(ou) => self
                .ous
                .get(ou)
                .is_some_and(|(record, _)| &record.organization == org),
        }
    }

    fn add_member(&mut self, record: MemberAccount) -> MemberAccount {
        let seq = self.next_seq();
        self.emails
            .entry(record.email.to_lowercase())
            .or_insert_with(|| record.id.clone());
        self.children
            .entry(record.parent.clone())
            .or_default()
            .accounts
            .insert(seq, record.id.clone());
        if let Some(org) = self.organizations.get_mut(&record.organization) {
            org.accounts.insert(seq, record.id.clone());
        }
        let placement = self
            .place(&record.organization, &record.parent)
            .map(Arc::new);
        self.members.insert(
            record.id.clone(),
            Member {
                record: record.clone(),
                seq,
                placement,
            },
        );
        record
    }

    /// The placement of an account of `organization` under `parent`.
    fn place(&self, organization: &OrganizationId, parent: &ParentId) -> Option<AccountPlacement> {
        let org = self.organizations.get(organization)?;
        let mut ous = self.ous_above(parent);
        ous.reverse();
        Some(AccountPlacement {
            organization: org.record.id.clone(),
            root: org.record.root.clone(),
            ous,
        })
    }

    pub(super) fn create_organization(
        &mut self,
        new: NewOrganization,
    ) -> Result<OrganizationRecord, StoreError> {
        if let Some(member) = self.members.get(&new.management_account) {
            return Err(StoreError::AlreadyInOrganization {
                account: new.management_account,
                organization: member.record.organization.clone(),
            });
        }
        let mut rng = rand::rng();
        let id = loop {
            let id = OrganizationId::generate(&mut rng);
            if !self.organizations.contains_key(&id) {
                break id;
            }
        };
        let root = loop {
            let root = RootId::generate(&mut rng);
            if !self.roots.contains_key(&root) {
                break root;
            }
        };
        let record = OrganizationRecord {
            id: id.clone(),
            management_account: new.management_account.clone(),
            management_email: new.management_email.clone(),
            feature_set: new.feature_set,
            root: root.clone(),
            created: new.now,
        };
        self.roots.insert(root.clone(), id.clone());
        self.organizations.insert(
            id.clone(),
            OrgState {
                record: record.clone(),
                accounts: BTreeMap::new(),
                delegated: BTreeMap::new(),
                service_access: BTreeSet::new(),
            },
        );
        self.add_member(MemberAccount {
            id: new.management_account,
            organization: id,
            parent: ParentId::Root(root),
            name: new.management_name,
            email: new.management_email,
            status: AccountStatus::Active,
            joined_method: AccountJoinedMethod::Created,
            joined_timestamp: new.now,
        });
        Ok(record)
    }

    pub(super) fn organization(&self, id: &OrganizationId) -> Option<OrganizationRecord> {
        self.organizations.get(id).map(|o| o.record.clone())
    }

    pub(super) fn organization_of(&self, account: &AccountId) -> Option<OrganizationRecord> {
        let member = self.members.get(account)?;
        self.organization(&member.record.organization)
    }

    pub(super) fn create_organizational_unit(
        &mut self,
        organization: &OrganizationId,
        parent: &ParentId,
        name: &str,
    ) -> Result<OuRecord, StoreError> {
        let root = self.org(organization)?.record.root.clone();
        if !self.is_parent_in(organization, parent) {
            return Err(StoreError::ParentNotFound(parent.clone()));
        }
        let duplicate = self.children.get(parent).is_some_and(|c| {
            c.ous.values().any(|ou| {
                self.ous
                    .get(ou)
                    .is_some_and(|(record, _)| record.name == name)
            })
        });
        if duplicate {
            return Err(StoreError::DuplicateOrganizationalUnit {
                parent: parent.clone(),
                name: name.to_owned(),
            });
        }
        let mut rng = rand::rng();
        let id = loop {
            let id = OuId::generate(&root, &mut rng);
            if !self.ous.contains_key(&id) {
                break id;
            }
        };
        let record = OuRecord {
            id: id.clone(),
            organization: organization.clone(),
            parent: parent.clone(),
            name: name.to_owned(),
        };
        let seq = self.next_seq();
        self.ous.insert(id.clone(), (record.clone(), seq));
        self.children
            .entry(parent.clone())
            .or_default()
            .ous
            .insert(seq, id);
        Ok(record)
    }

    pub(super) fn organizational_unit(&self, id: &OuId) -> Option<OuRecord> {
        self.ous.get(id).map(|(record, _)| record.clone())
    }

    pub(super) fn list_organizational_units(
        &self,
        organization: &OrganizationId,
        parent: &ParentId,
        page: PageRequest,
    ) -> Result<Page<OuRecord>, StoreError> {
        self.org(organization)?;
        if !self.is_parent_in(organization, parent) {
            return Err(StoreError::ParentNotFound(parent.clone()));
        }
        let Some(children) = self.children.get(parent) else {
            return Ok(Page::empty());
        };
        Ok(page_of(&children.ous, page, |id| {
            self.ous.get(id).map(|(record, _)| record.clone())
        }))
    }

    pub(super) fn create_account(
        &mut self,
        organization: &OrganizationId,
        new: NewAccount,
    ) -> Result<CreateAccountRecord, StoreError> {
        let root = self.org(organization)?.record.root.clone();
        let mut rng = rand::rng();
        let request = loop {
            let id = CreateAccountRequestId::generate(&mut rng);
            if !self.create_requests.contains_key(&id) {
                break id;
            }
        };
        let record = if self.emails.contains_key(&new.email.to_lowercase()) {
            CreateAccountRecord {
                id: request.clone(),
                organization: organization.clone(),
                account_name: new.name,
                state: CreateAccountState::Failed,
                requested: new.now,
                completed: new.now,
                account_id: None,
                failure_reason: Some(CreateAccountFailureReason::EmailAlreadyExists),
            }
        } else {
            let account = loop {
                let id = AccountId::generate(&mut rng);
                if !self.members.contains_key(&id) {
                    break id;
                }
            };
            self.add_member(MemberAccount {
                id: account.clone(),
                organization: organization.clone(),
                parent: ParentId::Root(root),
                name: new.name.clone(),
                email: new.email,
                status: AccountStatus::Active,
                joined_method: AccountJoinedMethod::Created,
                joined_timestamp: new.now,
            });
            CreateAccountRecord {
                id: request.clone(),
                organization: organization.clone(),
                account_name: new.name,
                state: CreateAccountState::Succeeded,
                requested: new.now,
                completed: new.now,
                account_id: Some(account),
                failure_reason: None,
            }
        };
        self.create_requests.insert(request, record.clone());
        Ok(record)
    }

    pub(super) fn create_account_status(
        &self,
        id: &CreateAccountRequestId,
    ) -> Option<CreateAccountRecord> {
        self.create_requests.get(id).cloned()
    }

    pub(super) fn add_member_account(
        &mut self,
        organization: &OrganizationId,
        new: NewMember,
    ) -> Result<MemberAccount, StoreError> {
        let root = self.org(organization)?.record.root.clone();
        if let Some(member) = self.members.get(&new.id) {
            return Err(StoreError::AlreadyInOrganization {
                account: new.id,
                organization: member.record.organization.clone(),
            });
        }
        Ok(self.add_member(MemberAccount {
            id: new.id,
            organization: organization.clone(),
            parent: ParentId::Root(root),
            name: new.name,
            email: new.email,
            status: AccountStatus::Active,
            joined_method: new.joined_method,
            joined_timestamp: new.now,
        }))
    }

    pub(super) fn member_account(&self, id: &AccountId) -> Option<MemberAccount> {
        self.members.get(id).map(|m| m.record.clone())
    }

    pub(super) fn list_accounts(
        &self,
        organization: &OrganizationId,
        page: PageRequest,
    ) -> Result<Page<MemberAccount>, StoreError> {
        let org = self.org(organization)?;
        Ok(page_of(&org.accounts, page, |id| self.member_account(id)))
    }

    pub(super) fn move_account(
        &mut self,
        account: &AccountId,
        source: &ParentId,
        destination: &ParentId,
    ) -> Result<(), StoreError> {
        let member = self
            .members
            .get(account)
            .ok_or_else(|| StoreError::AccountNotFound(account.clone()))?;
        let org = &member.record.organization;
        if !self.is_parent_in(org, source) || &member.record.parent != source {
            return Err(StoreError::SourceParentNotFound(source.clone()));
        }
        if !self.is_parent_in(org, destination) {
            return Err(StoreError::DestinationParentNotFound(destination.clone()));
        }
        if source == destination {
            return Err(StoreError::DuplicateAccount {
                account: account.clone(),
                parent: destination.clone(),
            });
        }
        let seq = member.seq;
        if let Some(children) = self.children.get_mut(source) {
            children.accounts.remove(&seq);
        }
        self.children
            .entry(destination.clone())
            .or_default()
            .accounts
            .insert(seq, account.clone());
        let placement = self
            .members
            .get(account)
            .and_then(|m| self.place(&m.record.organization, destination))
            .map(Arc::new);
        if let Some(member) = self.members.get_mut(account) {
            member.record.parent = destination.clone();
            member.placement = placement;
        }
        Ok(())
    }

    pub(super) fn register_delegated_administrator(
        &mut self,
        organization: &OrganizationId,
        account: &AccountId,
        service_principal: &ServicePrincipal,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.org(organization)?;
        let is_member = self
            .members
            .get(account)
            .is_some_and(|m| &m.record.organization == organization);
        if !is_member {
            return Err(StoreError::AccountNotFound(account.clone()));
        }
        let seq = self.next_seq();
        let org = self
            .organizations
            .get_mut(organization)
            .ok_or_else(|| StoreError::OrganizationNotFound(organization.clone()))?;
        if org
            .delegated
            .values()
            .any(|(sp, a, _)| sp == service_principal && a == account)
        {
            return Err(StoreError::AccountAlreadyRegistered {
                account: account.clone(),
                service_principal: service_principal.clone(),
            });
        }
        org.delegated
            .insert(seq, (service_principal.clone(), account.clone(), now));
        Ok(())
    }

    pub(super) fn deregister_delegated_administrator(
        &mut self,
        organization: &OrganizationId,
        account: &AccountId,
        service_principal: &ServicePrincipal,
    ) -> Result<(), StoreError> {
        let org = self
            .organizations
            .get_mut(organization)
            .ok_or_else(|| StoreError::OrganizationNotFound(organization.clone()))?;
        let found = org
            .delegated
            .iter()
            .find(|(_, (sp, a, _))| sp == service_principal && a == account)
            .map(|(seq, _)| *seq);
        match found {
            Some(seq) => {
                org.delegated.remove(&seq);
                Ok(())
            }
            None => Err(StoreError::AccountNotRegistered {
                account: account.clone(),
                service_principal: service_principal.clone(),
            }),
        }
    }

    pub(super) fn list_delegated_administrators(
        &self,
        organization: &OrganizationId,
        service_principal: Option<&ServicePrincipal>,
    ) -> Result<Vec<DelegatedAdministratorRecord>, StoreError> {
        let org = self.org(organization)?;
        Ok(org
            .delegated
            .values()
            .filter(|(sp, _, _)| service_principal.is_none_or(|want| want == sp))
            .filter_map(|(sp, account, since)| {
                Some(DelegatedAdministratorRecord {
                    account: self.member_account(account)?,
                    service_principal: sp.clone(),
                    delegation_enabled: *since,
                })
            })
            .collect())
    }

    pub(super) fn is_delegated_administrator(
        &self,
        account: &AccountId,
        service_principal: &ServicePrincipal,
    ) -> bool {
        self.members
            .get(account)
            .and_then(|m| self.organizations.get(&m.record.organization))
            .is_some_and(|org| {
                org.delegated
                    .values()
                    .any(|(sp, a, _)| sp == service_principal && a == account)
            })
    }

    pub(super) fn set_service_access(
        &mut self,
        organization: &OrganizationId,
        service_principal: &ServicePrincipal,
        enabled: bool,
    ) -> Result<bool, StoreError> {
        let org = self
            .organizations
            .get_mut(organization)
            .ok_or_else(|| StoreError::OrganizationNotFound(organization.clone()))?;
        if enabled {
            return Ok(org.service_access.insert(service_principal.clone()));
        }
        let count = org
            .delegated
            .values()
            .filter(|(sp, _, _)| sp == service_principal)
            .count();
        if count > 0 {
            return Err(StoreError::DelegatedAdministratorsRegistered {
                service_principal: service_principal.clone(),
                count,
            });
        }
        Ok(org.service_access.remove(service_principal))
    }

    pub(super) fn service_access(
        &self,
        organization: &OrganizationId,
        service_principal: &ServicePrincipal,
    ) -> bool {
        self.organizations
            .get(organization)
            .is_some_and(|org| org.service_access.contains(service_principal))
    }

    /// The chain of OUs from `parent` up to the root, nearest first.
    fn ous_above<'a>(&'a self, mut parent: &'a ParentId) -> Vec<OuId> {
        let mut chain = Vec::new();
        while let ParentId::OrganizationalUnit(ou) = parent {
            let Some((record, _)) = self.ous.get(ou) else {
                break;
            };
            chain.push(ou.clone());
            parent = &record.parent;
        }
        chain
    }

    pub(super) fn accounts_under(&self, node: &OrganizationNodeValue) -> Vec<AccountId> {
        match node {
            OrganizationNodeValue::Organization(org) => self
                .organizations
                .get(org)
                .map(|o| o.accounts.values().cloned().collect())
                .unwrap_or_default(),
            OrganizationNodeValue::Account(a) => {
                if self.members.contains_key(a) {
                    vec![a.clone()]
                } else {
                    Vec::new()
                }
            }
            OrganizationNodeValue::OrganizationalUnit(ou) => {
                if !self.ous.contains_key(ou) {
                    return Vec::new();
                }
                let mut found = Vec::new();
                let mut stack = vec![ParentId::OrganizationalUnit(ou.clone())];
                while let Some(parent) = stack.pop() {
                    if let Some(children) = self.children.get(&parent) {
                        found.extend(children.accounts.values().cloned());
                        stack.extend(
                            children
                                .ous
                                .values()
                                .map(|ou| ParentId::OrganizationalUnit(ou.clone())),
                        );
                    }
                }
                found
            }
        }
    }

    pub(super) fn placement(&self, account: &AccountId) -> Option<Arc<AccountPlacement>> {
        self.members.get(account)?.placement.clone()
    }
}

impl Directory {
    pub(super) fn organization_row(&self, id: &OrganizationId) -> Option<OrganizationRow> {
        let org = self.organizations.get(id)?;
        Some(OrganizationRow {
            record: org.record.clone(),
            delegated: org
                .delegated
                .iter()
                .map(|(seq, (sp, account, since))| DelegationRow {
                    seq: *seq,
                    service_principal: sp.clone(),
                    account: account.clone(),
                    since: *since,
                })
                .collect(),
            service_access: org.service_access.iter().cloned().collect(),
        })
    }

    pub(super) fn ou_row(&self, id: &OuId) -> Option<OuRow> {
        self.ous.get(id).map(|(record, seq)| OuRow {
            seq: *seq,
            record: record.clone(),
        })
    }

    pub(super) fn member_row(&self, id: &AccountId) -> Option<MemberRow> {
        self.members.get(id).map(|m| MemberRow {
            seq: m.seq,
            record: m.record.clone(),
        })
    }

    pub(super) fn organization_rows(&self) -> Vec<OrganizationRow> {
        self.organizations
            .keys()
            .filter_map(|id| self.organization_row(id))
            .collect()
    }

    pub(super) fn ou_rows(&self) -> Vec<OuRow> {
        self.ous.keys().filter_map(|id| self.ou_row(id)).collect()
    }

    pub(super) fn member_rows(&self) -> Vec<MemberRow> {
        self.members
            .keys()
            .filter_map(|id| self.member_row(id))
            .collect()
    }

    pub(super) fn create_request_rows(&self) -> Vec<CreateAccountRecord> {
        self.create_requests.values().cloned().collect()
    }

    /// The directory the rows describe. Every derived index (roots, children, e-mail
    /// addresses, placements) is rebuilt from them.
    pub(super) fn restore(
        organizations: Vec<OrganizationRow>,
        mut ous: Vec<OuRow>,
        mut members: Vec<MemberRow>,
        requests: Vec<CreateAccountRecord>,
    ) -> Directory {
        let mut d = Directory::default();
        for row in organizations {
            let mut delegated = BTreeMap::new();
            for r in row.delegated {
                d.seq = d.seq.max(r.seq);
                delegated.insert(r.seq, (r.service_principal, r.account, r.since));
            }
            d.roots
                .insert(row.record.root.clone(), row.record.id.clone());
            d.organizations.insert(
                row.record.id.clone(),
                OrgState {
                    record: row.record,
                    accounts: BTreeMap::new(),
                    delegated,
                    service_access: row.service_access.into_iter().collect(),
                },
            );
        }
        ous.sort_by_key(|r| r.seq);
        for row in ous {
            d.seq = d.seq.max(row.seq);
            d.children
                .entry(row.record.parent.clone())
                .or_default()
                .ous
                .insert(row.seq, row.record.id.clone());
            d.ous.insert(row.record.id.clone(), (row.record, row.seq));
        }
        members.sort_by_key(|r| r.seq);
        for row in members {
            d.seq = d.seq.max(row.seq);
            let record = row.record;
            d.emails
                .entry(record.email.to_lowercase())
                .or_insert_with(|| record.id.clone());
            d.children
                .entry(record.parent.clone())
                .or_default()
                .accounts
                .insert(row.seq, record.id.clone());
            if let Some(org) = d.organizations.get_mut(&record.organization) {
                org.accounts.insert(row.seq, record.id.clone());
            }
            let placement = d.place(&record.organization, &record.parent).map(Arc::new);
            d.members.insert(
                record.id.clone(),
                Member {
                    record,
                    seq: row.seq,
                    placement,
                },
            );
        }
        for request in requests {
            d.create_requests.insert(request.id.clone(), request);
        }
        d
    }
}

/// The change an account joining `organization` under its root makes.
fn joined(account: &AccountId, organization: &OrganizationRecord) -> Change {
    Change::AccountPlaced {
        account: account.clone(),
        organization: organization.id.clone(),
        from: None,
        to: ParentId::Root(organization.root.clone()),
    }
}

impl DirectoryStore for MemoryStore {
    fn create_organization(&self, new: NewOrganization) -> Result<OrganizationRecord, StoreError> {
        let _gate = self.gate.read();
        self.directory_write(|d| {
            let account = new.management_account.clone();
            let record = d.create_organization(new)?;
            let change = joined(&account, &record);
            Ok((record, change))
        })
    }

    fn organization(&self, id: &OrganizationId) -> Result<Option<OrganizationRecord>, StoreError> {
        let _gate = self.gate.read();
        Ok(self.directory.read().organization(id))
    }

    fn organization_of(
        &self,
        account: &AccountId,
    ) -> Result<Option<OrganizationRecord>, StoreError> {
        let _gate = self.gate.read();
        Ok(self.directory.read().organization_of(account))
    }

    fn create_organizational_unit(
        &self,
        organization: &OrganizationId,
        parent: &ParentId,
        name: &str,
    ) -> Result<OuRecord, StoreError> {
        let _gate = self.gate.read();
        self.directory_write(|d| {
            let ou = d.create_organizational_unit(organization, parent, name)?;
            Ok((ou, Change::Organization(organization.clone())))
        })
    }

    fn organizational_unit(&self, id: &OuId) -> Result<Option<OuRecord>, StoreError> {
        let _gate = self.gate.read();
        Ok(self.directory.read().organizational_unit(id))
    }

    fn list_organizational_units(
        &self,
        organization: &OrganizationId,
        parent: &ParentId,
        page: PageRequest,
    ) -> Result<Page<OuRecord>, StoreError> {
        let _gate = self.gate.read();
        self.directory
            .read()
            .list_organizational_units(organization, parent, page)
    }

    fn create_account(
        &self,
        organization: &OrganizationId,
        new: NewAccount,
    ) -> Result<CreateAccountRecord, StoreError> {
        let _gate = self.gate.read();
        self.directory_write(|d| {
            let request = d.create_account(organization, new)?;
            let change = match (&request.state, &request.account_id) {
                (CreateAccountState::Succeeded, Some(account)) => {
                    let org = d.org(organization)?;
                    joined(account, &org.record)
                }
                _ => Change::Organization(organization.clone()),
            };
            Ok((request, change))
        })
    }

    fn create_account_status(
        &self,
        id: &CreateAccountRequestId,
    ) -> Result<Option<CreateAccountRecord>, StoreError> {
        let _gate = self.gate.read();
        Ok(self.directory.read().create_account_status(id))
    }

    fn add_member_account(
        &self,
        organization: &OrganizationId,
        new: NewMember,
    ) -> Result<MemberAccount, StoreError> {
        let _gate = self.gate.read();
        self.directory_write(|d| {
            let member = d.add_member_account(organization, new)?;
            let org = d.org(organization)?;
            let change = joined(&member.id, &org.record);
            Ok((member, change))
        })
    }

    fn member_account(&self, id: &AccountId) -> Result<Option<MemberAccount>, StoreError> {
        let _gate = self.gate.read();
        Ok(self.directory.read().member_account(id))
    }

    fn list_accounts(
        &self,
        organization: &OrganizationId,
        page: PageRequest,
    ) -> Result<Page<MemberAccount>, StoreError> {
        let _gate = self.gate.read();
        self.directory.read().list_accounts(organization, page)
    }

    fn move_account(
        &self,
        account: &AccountId,
        source: &ParentId,
        destination: &ParentId,
    ) -> Result<(), StoreError> {
        let _gate = self.gate.read();
        self.directory_write(|d| {
            d.move_account(account, source, destination)?;
            let organization = d
                .member_account(account)
                .map(|m| m.organization)
                .ok_or_else(|| StoreError::AccountNotFound(account.clone()))?;
            Ok((
                (),
                Change::AccountPlaced {
                    account: account.clone(),
                    organization,
                    from: Some(source.clone()),
                    to: destination.clone(),
                },
            ))
        })
    }

    fn register_delegated_administrator(
        &self,
        organization: &OrganizationId,
        account: &AccountId,
        service_principal: &ServicePrincipal,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let _gate = self.gate.read();
        self.directory_write(|d| {
            d.register_delegated_administrator(organization, account, service_principal, now)?;
            Ok(((), Change::Organization(organization.clone())))
        })
    }

    fn deregister_delegated_administrator(
        &self,
        organization: &OrganizationId,
        account: &AccountId,
        service_principal: &ServicePrincipal,
    ) -> Result<(), StoreError> {
        let _gate = self.gate.read();
        self.directory_write(|d| {
            d.deregister_delegated_administrator(organization, account, service_principal)?;
            Ok(((), Change::Organization(organization.clone())))
        })
    }

    fn list_delegated_administrators(
        &self,
        organization: &OrganizationId,
        service_principal: Option<&ServicePrincipal>,
    ) -> Result<Vec<DelegatedAdministratorRecord>, StoreError> {
        let _gate = self.gate.read();
        self.directory
            .read()
            .list_delegated_administrators(organization, service_principal)
    }

    fn is_delegated_administrator(
        &self,
        account: &AccountId,
        service_principal: &ServicePrincipal,
    ) -> Result<bool, StoreError> {
        let _gate = self.gate.read();
        Ok(self
            .directory
            .read()
            .is_delegated_administrator(account, service_principal))
    }

    fn set_service_access(
        &self,
        organization: &OrganizationId,
        service_principal: &ServicePrincipal,
        enabled: bool,
    ) -> Result<bool, StoreError> {
        let _gate = self.gate.read();
        let mut directory = self.directory.write();
        let changed = directory.set_service_access(organization, service_principal, enabled)?;
        if changed {
            self.record(Change::Organization(organization.clone()));
        }
        Ok(changed)
    }

    fn service_access(
        &self,
        organization: &OrganizationId,
        service_principal: &ServicePrincipal,
    ) -> Result<bool, StoreError> {
        let _gate = self.gate.read();
        Ok(self
            .directory
            .read()
            .service_access(organization, service_principal))
    }

    fn accounts_under(&self, node: &OrganizationNodeValue) -> Result<Vec<AccountId>, StoreError> {
        let _gate = self.gate.read();
        Ok(self.directory.read().accounts_under(node))
    }

    fn placement(&self, account: &AccountId) -> Result<Option<Arc<AccountPlacement>>, StoreError> {
        let _gate = self.gate.read();
        Ok(self.directory.read().placement(account))
    }
}
