//! [`CatalogStore`] for [`MemoryStore`]: portfolios, associations, shares and imports, each
//! operation under the portfolio's slot mutex.

use std::sync::Arc;

use dashmap::mapref::entry::Entry;
use parking_lot::Mutex;
use portcullis_model::{
    AccountId, DescribePortfolioShareType, PortfolioId, PortfolioShareToken, PrincipalType, Region,
};

use super::paging::{page_of, window};
use super::state::PortfolioState;
use super::{MemoryStore, Slot};
use crate::CatalogStore;
use crate::error::StoreError;
use crate::merge_tags;
use crate::types::*;

impl MemoryStore {
    fn insert_portfolio(&self, new: NewPortfolio) -> PortfolioRecord {
        let seq = self.next_seq();
        let mut rng = rand::rng();
        loop {
            let mut record = PortfolioRecord {
                id: PortfolioId::generate(&mut rng),
                owner: new.owner.clone(),
                partition: new.partition,
                region: new.region.clone(),
                display_name: new.display_name.clone(),
                description: new.description.clone(),
                provider_name: new.provider_name.clone(),
                tags: Vec::new(),
                created_time: new.created_time,
            };
            merge_tags(&mut record.tags, &new.tags);
            let slot: Slot = Arc::new(Mutex::new(PortfolioState::new(record.clone(), seq)));
            // Lock the fresh slot first (mutex before map, as everywhere), so that no one can
            // see it before its index entries exist.
            let guard = slot.lock();
            match self.portfolios.entry(record.id.clone()) {
                Entry::Occupied(_) => continue,
                Entry::Vacant(vacant) => {
                    // Checked under the map's shard lock: a delete retires the id before it
                    // removes it from the map, so a vacant, unretired id was never used.
                    if self.retired.contains(&record.id) {
                        continue;
                    }
                    drop(vacant.insert(Arc::clone(&slot)));
                }
            }
            self.by_owner
                .entry((record.owner.clone(), record.region.clone()))
                .or_default()
                .insert(seq, record.id.clone());
            self.record_portfolio(&guard);
            return record;
        }
    }

    fn add_import(
        &self,
        state: &mut PortfolioState,
        account: &AccountId,
        kind: ImportKind,
    ) -> bool {
        let import = Import {
            account: account.clone(),
            kind,
        };
        if state.imports.contains_key(&import) {
            return false;
        }
        let seq = self.next_seq();
        self.imports_by_recipient
            .entry((account.clone(), state.record.region.clone(), kind))
            .or_default()
            .insert(seq, state.record.id.clone());
        state.imports.insert(import, seq);
        true
    }

    fn remove_import(
        &self,
        state: &mut PortfolioState,
        account: &AccountId,
        kind: ImportKind,
    ) -> bool {
        let import = Import {
            account: account.clone(),
            kind,
        };
        let Some(seq) = state.imports.remove(&import) else {
            return false;
        };
        let key = (account.clone(), state.record.region.clone(), kind);
        if let Some(mut index) = self.imports_by_recipient.get_mut(&key) {
            index.remove(&seq);
        }
        true
    }

    /// Records a share operation under a fresh token.
    fn record_operation(
        &self,
        portfolio: &PortfolioId,
        target: &ShareTarget,
        kind: ShareOperationKind,
    ) -> PortfolioShareToken {
        let mut rng = rand::rng();
        loop {
            let token = PortfolioShareToken::generate(&mut rng);
            if let Entry::Vacant(vacant) = self.share_operations.entry(token.clone()) {
                drop(vacant.insert(ShareOperation {
                    token: token.clone(),
                    portfolio: portfolio.clone(),
                    target: target.clone(),
                    kind,
                }));
                return token;
            }
        }
    }

    /// Removes the share at `seq` and the recipient's account-share import it carried.
    fn remove_share(&self, state: &mut PortfolioState, seq: u64) -> Option<ShareRecord> {
        let share = state.shares.remove(&seq)?;
        state.share_index.remove(&share.target);
        if let ShareTarget::Account(recipient) = &share.target {
            self.remove_import(state, recipient, ImportKind::AccountShare);
        }
        Some(share)
    }

    fn share_not_found(state: &PortfolioState, target: &ShareTarget) -> StoreError {
        StoreError::ShareNotFound {
            portfolio: state.record.id.clone(),
            target: target.clone(),
        }
    }

    fn find_share(state: &PortfolioState, target: &ShareTarget) -> Result<u64, StoreError> {
        state
            .share_index
            .get(target)
            .copied()
            .ok_or_else(|| Self::share_not_found(state, target))
    }

    /// Sets an account share's `accepted` flag and adds or removes the recipient's import,
    /// recording a change when either moved.
    fn set_account_share_accepted(
        &self,
        portfolio: &PortfolioId,
        recipient: &AccountId,
        accepted: bool,
    ) -> Result<(), StoreError> {
        self.with_portfolio(portfolio, |state| {
            let seq = Self::find_share(state, &ShareTarget::Account(recipient.clone()))?;
            let mut changed = false;
            if let Some(share) = state.shares.get_mut(&seq) {
                changed |= share.accepted != accepted;
                share.accepted = accepted;
            }
            changed |= if accepted {
                self.add_import(state, recipient, ImportKind::AccountShare)
            } else {
                self.remove_import(state, recipient, ImportKind::AccountShare)
            };
            if changed {
                self.record_portfolio(state);
            }
            Ok(())
        })
    }
}

impl CatalogStore for MemoryStore {
    fn create_portfolio(&self, new: NewPortfolio) -> Result<CreatedPortfolio, StoreError> {
        let _gate = self.gate.read();
        let Some(token) = new.idempotency_token.clone() else {
            return Ok(CreatedPortfolio {
                portfolio: self.insert_portfolio(new),
                created: true,
            });
        };
        // The token's shard lock is held across the creation, so concurrent creates with one
        // token make one portfolio.
        Ok(
            match self
                .idempotency
                .entry((new.owner.clone(), new.region.clone(), token))
            {
                Entry::Occupied(first) => CreatedPortfolio {
                    portfolio: first.get().clone(),
                    created: false,
                },
                Entry::Vacant(vacant) => {
                    let portfolio = self.insert_portfolio(new);
                    drop(vacant.insert(portfolio.clone()));
                    CreatedPortfolio {
                        portfolio,
                        created: true,
                    }
                }
            },
        )
    }

    fn portfolio(&self, id: &PortfolioId) -> Result<Option<PortfolioRecord>, StoreError> {
        let _gate = self.gate.read();
        Ok(self.live_record(id))
    }

    fn visit_portfolio(
        &self,
        id: &PortfolioId,
        visit: &mut dyn FnMut(&PortfolioRecord),
    ) -> Result<bool, StoreError> {
        let _gate = self.gate.read();
        let Ok(slot) = self.slot(id) else {
            return Ok(false);
        };
        let state = slot.lock();
        if state.deleted {
            return Ok(false);
        }
        visit(&state.record);
        Ok(true)
    }

    fn update_portfolio(
        &self,
        id: &PortfolioId,
        update: PortfolioUpdate,
    ) -> Result<PortfolioRecord, StoreError> {
        let _gate = self.gate.read();
        self.with_portfolio(id, |state| {
            let before = state.record.clone();
            let record = &mut state.record;
            if let Some(name) = update.display_name {
                record.display_name = name;
            }
            if let Some(description) = update.description {
                record.description = Some(description);
            }
            if let Some(provider) = update.provider_name {
                record.provider_name = provider;
            }
            record.tags.retain(|t| !update.remove_tags.contains(&t.key));
            merge_tags(&mut record.tags, &update.add_tags);
            let changed = *record != before;
            let record = record.clone();
            if changed {
                self.record_portfolio(state);
            }
            Ok(record)
        })
    }

    fn delete_portfolio(&self, id: &PortfolioId) -> Result<PortfolioRecord, StoreError> {
        let _gate = self.gate.read();
        self.with_portfolio(id, |state| {
            let associations = state
                .associations
                .get(&state.record.owner)
                .map_or(0, |a| a.ordered.len());
            if associations > 0 || !state.shares.is_empty() {
                return Err(StoreError::PortfolioInUse {
                    portfolio: id.clone(),
                    associations,
                    shares: state.shares.len(),
                });
            }
            // Associations are added under this mutex (see `ProductStore::associate_product`),
            // so a portfolio seen here without products gets none before it is gone.
            if !state.products.is_empty() {
                return Err(StoreError::PortfolioHasProducts {
                    portfolio: id.clone(),
                    products: state.products.len(),
                });
            }
            state.deleted = true;
            // Retire before removing: see `insert_portfolio`.
            self.retired.insert(id.clone());
            self.portfolios.remove(id);
            let owner_key = (state.record.owner.clone(), state.record.region.clone());
            if let Some(mut index) = self.by_owner.get_mut(&owner_key) {
                index.remove(&state.seq);
            }
            let imports: Vec<Import> = state.imports.keys().cloned().collect();
            for import in imports {
                self.remove_import(state, &import.account, import.kind);
            }
            self.record_portfolio(state);
            Ok(state.record.clone())
        })
    }

    fn list_portfolios(
        &self,
        owner: &AccountId,
        region: &Region,
        page: PageRequest,
    ) -> Result<Page<PortfolioRecord>, StoreError> {
        let _gate = self.gate.read();
        let (ids, next) = match self.by_owner.get(&(owner.clone(), region.clone())) {
            Some(index) => window(&index, page),
            None => return Ok(Page::empty()),
        };
        Ok(self.records(ids, next))
    }

    fn associate(
        &self,
        portfolio: &PortfolioId,
        account: &AccountId,
        association: Association,
        limit: usize,
    ) -> Result<AssociateOutcome, StoreError> {
        let _gate = self.gate.read();
        self.with_portfolio(portfolio, |state| {
            let principal_type = association.principal_type();
            let key = (principal_type, Box::<str>::from(association.arn()));
            let existing = state.associations.get(account);
            if existing.is_some_and(|a| a.index.contains_key(&key)) {
                return Ok(AssociateOutcome::AlreadyPresent);
            }
            if existing.map_or(0, |a| a.count(principal_type)) >= limit {
                return Err(StoreError::LimitExceeded {
                    kind: LimitKind::associations(principal_type),
                    limit,
                });
            }
            let associations = state.associations.entry(account.clone()).or_default();
            *associations.count_mut(principal_type) += 1;
            let seq = self.next_seq();
            associations.index.insert(key, seq);
            associations.ordered.insert(seq, association);
            self.record_portfolio(state);
            Ok(AssociateOutcome::Added)
        })
    }

    fn disassociate(
        &self,
        portfolio: &PortfolioId,
        account: &AccountId,
        principal_type: PrincipalType,
        principal_arn: &str,
    ) -> Result<(), StoreError> {
        let _gate = self.gate.read();
        self.with_portfolio(portfolio, |state| {
            let key = (principal_type, Box::<str>::from(principal_arn));
            let removed = state.associations.get_mut(account).and_then(|a| {
                let seq = a.index.remove(&key)?;
                a.ordered.remove(&seq);
                *a.count_mut(principal_type) -= 1;
                Some(a.ordered.is_empty())
            });
            match removed {
                None => Err(StoreError::AssociationNotFound {
                    portfolio: portfolio.clone(),
                    account: account.clone(),
                    principal_arn: principal_arn.to_owned(),
                    principal_type,
                }),
                Some(now_empty) => {
                    if now_empty {
                        state.associations.remove(account);
                    }
                    self.record_portfolio(state);
                    Ok(())
                }
            }
        })
    }

    fn list_associations(
        &self,
        portfolio: &PortfolioId,
        account: &AccountId,
        page: PageRequest,
    ) -> Result<Page<Association>, StoreError> {
        let _gate = self.gate.read();
        self.with_portfolio(portfolio, |state| {
            Ok(match state.associations.get(account) {
                Some(a) => page_of(&a.ordered, page, |p| Some(p.clone())),
                None => Page::empty(),
            })
        })
    }

    fn create_share(
        &self,
        portfolio: &PortfolioId,
        new: NewShare,
        max_shares: usize,
    ) -> Result<CreatedShare, StoreError> {
        let _gate = self.gate.read();
        self.with_portfolio(portfolio, |state| {
            if let Some(existing) = state
                .share_index
                .get(&new.target)
                .and_then(|seq| state.shares.get(seq))
            {
                return Ok(CreatedShare {
                    share: existing.clone(),
                    created: false,
                });
            }
            if state.shares.len() >= max_shares {
                return Err(StoreError::LimitExceeded {
                    kind: LimitKind::Shares,
                    limit: max_shares,
                });
            }
            let token = new
                .track
                .then(|| self.record_operation(portfolio, &new.target, ShareOperationKind::Create));
            let share = ShareRecord {
                target: new.target,
                share_principals: new.share_principals,
                share_tag_options: new.share_tag_options,
                accepted: new.accepted,
                token,
                created_by: new.created_by,
            };
            let seq = self.next_seq();
            state.share_index.insert(share.target.clone(), seq);
            state.shares.insert(seq, share.clone());
            self.record_portfolio(state);
            Ok(CreatedShare {
                share,
                created: true,
            })
        })
    }

    fn share(
        &self,
        portfolio: &PortfolioId,
        target: &ShareTarget,
    ) -> Result<Option<ShareRecord>, StoreError> {
        let _gate = self.gate.read();
        self.with_portfolio(portfolio, |state| {
            Ok(state
                .share_index
                .get(target)
                .and_then(|seq| state.shares.get(seq))
                .cloned())
        })
    }

    fn update_share(
        &self,
        portfolio: &PortfolioId,
        target: &ShareTarget,
        update: ShareUpdate,
    ) -> Result<ShareChange, StoreError> {
        let _gate = self.gate.read();
        self.with_portfolio(portfolio, |state| {
            let seq = Self::find_share(state, target)?;
            let not_found = Self::share_not_found(state, target);
            let share = state.shares.get_mut(&seq).ok_or(not_found)?;
            if let Some(v) = update.share_principals {
                share.share_principals = v;
            }
            if let Some(v) = update.share_tag_options {
                share.share_tag_options = v;
            }
            let share = share.clone();
            let token = self.record_operation(portfolio, target, ShareOperationKind::Update);
            self.record_portfolio(state);
            Ok(ShareChange {
                share,
                token: Some(token),
            })
        })
    }

    fn delete_share(
        &self,
        portfolio: &PortfolioId,
        target: &ShareTarget,
        track: bool,
    ) -> Result<ShareChange, StoreError> {
        let _gate = self.gate.read();
        self.with_portfolio(portfolio, |state| {
            let seq = Self::find_share(state, target)?;
            let not_found = Self::share_not_found(state, target);
            let share = self.remove_share(state, seq).ok_or(not_found)?;
            let token =
                track.then(|| self.record_operation(portfolio, target, ShareOperationKind::Delete));
            self.record_portfolio(state);
            Ok(ShareChange { share, token })
        })
    }

    fn list_shares(
        &self,
        portfolio: &PortfolioId,
        share_type: Option<DescribePortfolioShareType>,
        page: PageRequest,
    ) -> Result<Page<ShareRecord>, StoreError> {
        let _gate = self.gate.read();
        self.with_portfolio(portfolio, |state| {
            Ok(page_of(&state.shares, page, |share| {
                share_type
                    .is_none_or(|t| share.target.share_type() == t)
                    .then(|| share.clone())
            }))
        })
    }

    fn visit_shares(
        &self,
        portfolio: &PortfolioId,
        share_type: Option<DescribePortfolioShareType>,
        page: PageRequest,
        visit: &mut dyn FnMut(&ShareRecord),
    ) -> Result<Option<Position>, StoreError> {
        let _gate = self.gate.read();
        self.with_portfolio(portfolio, |state| {
            let page = page_of(&state.shares, page, |share| {
                share_type
                    .is_none_or(|t| share.target.share_type() == t)
                    .then_some(share)
            });
            page.items.into_iter().for_each(visit);
            Ok(page.next)
        })
    }

    fn share_operation(
        &self,
        token: &PortfolioShareToken,
    ) -> Result<Option<ShareOperation>, StoreError> {
        let _gate = self.gate.read();
        Ok(self
            .share_operations
            .get(token)
            .map(|op| op.value().clone()))
    }

    fn delete_shares_created_by(
        &self,
        creator: &AccountId,
        organization_nodes_only: bool,
    ) -> Result<Vec<(PortfolioId, ShareRecord)>, StoreError> {
        let _gate = self.gate.read();
        let mut removed = Vec::new();
        for slot in self.slots() {
            let mut state = slot.lock();
            if state.deleted {
                continue;
            }
            let doomed: Vec<u64> = state
                .shares
                .iter()
                .filter(|(_, s)| {
                    &s.created_by == creator
                        && (!organization_nodes_only || s.target.is_organization_node())
                })
                .map(|(seq, _)| *seq)
                .collect();
            for seq in doomed {
                if let Some(share) = self.remove_share(&mut state, seq) {
                    removed.push((state.record.id.clone(), share));
                    self.record_portfolio(&state);
                }
            }
        }
        Ok(removed)
    }

    fn accept_account_share(
        &self,
        portfolio: &PortfolioId,
        recipient: &AccountId,
    ) -> Result<(), StoreError> {
        let _gate = self.gate.read();
        self.set_account_share_accepted(portfolio, recipient, true)
    }

    fn reject_account_share(
        &self,
        portfolio: &PortfolioId,
        recipient: &AccountId,
    ) -> Result<(), StoreError> {
        let _gate = self.gate.read();
        self.set_account_share_accepted(portfolio, recipient, false)
    }

    fn import_organization_share(
        &self,
        portfolio: &PortfolioId,
        recipient: &AccountId,
    ) -> Result<bool, StoreError> {
        let _gate = self.gate.read();
        self.with_portfolio(portfolio, |state| {
            let added = self.add_import(state, recipient, ImportKind::OrganizationShare);
            if added {
                self.record_portfolio(state);
            }
            Ok(added)
        })
    }

    fn remove_organization_import(
        &self,
        portfolio: &PortfolioId,
        recipient: &AccountId,
    ) -> Result<bool, StoreError> {
        let _gate = self.gate.read();
        self.with_portfolio(portfolio, |state| {
            let removed = self.remove_import(state, recipient, ImportKind::OrganizationShare);
            if removed {
                self.record_portfolio(state);
            }
            Ok(removed)
        })
    }

    fn is_imported(
        &self,
        portfolio: &PortfolioId,
        recipient: &AccountId,
        kind: ImportKind,
    ) -> Result<bool, StoreError> {
        let _gate = self.gate.read();
        let import = Import {
            account: recipient.clone(),
            kind,
        };
        Ok(self
            .with_portfolio(portfolio, |state| Ok(state.imports.contains_key(&import)))
            .unwrap_or(false))
    }

    fn list_imports(
        &self,
        recipient: &AccountId,
        region: &Region,
        kind: ImportKind,
    ) -> Result<Vec<(Position, PortfolioRecord)>, StoreError> {
        let _gate = self.gate.read();
        let key = (recipient.clone(), region.clone(), kind);
        let entries: Vec<(u64, PortfolioId)> = match self.imports_by_recipient.get(&key) {
            Some(index) => index.iter().map(|(s, id)| (*s, id.clone())).collect(),
            None => return Ok(Vec::new()),
        };
        Ok(entries
            .into_iter()
            .filter_map(|(seq, id)| Some((Position::new(seq), self.live_record(&id)?)))
            .collect())
    }

    fn portfolio_snapshot(
        &self,
        id: &PortfolioId,
    ) -> Result<Option<PortfolioSnapshot>, StoreError> {
        let _gate = self.gate.read();
        let Ok(slot) = self.slot(id) else {
            return Ok(None);
        };
        let state = slot.lock();
        Ok((!state.deleted).then(|| state.snapshot()))
    }

    fn for_each_portfolio(&self, f: &mut dyn FnMut(PortfolioSnapshot)) -> Result<(), StoreError> {
        // The gate is released before `f` runs, so `f` may call into the store.
        let gate = self.gate.read();
        let mut snapshots: Vec<(u64, PortfolioSnapshot)> = self
            .slots()
            .iter()
            .filter_map(|slot| {
                let state = slot.lock();
                (!state.deleted).then(|| (state.seq, state.snapshot()))
            })
            .collect();
        drop(gate);
        snapshots.sort_unstable_by_key(|(seq, _)| *seq);
        for (_, snapshot) in snapshots {
            f(snapshot);
        }
        Ok(())
    }
}
