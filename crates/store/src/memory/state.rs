//! One portfolio's state: everything whose invariants must hold together, under one mutex.

use std::collections::{BTreeMap, HashMap};

use portcullis_model::{AccountId, PrincipalType, ProductId};

use crate::types::{
    Association, Import, PortfolioRecord, PortfolioSnapshot, ShareRecord, ShareTarget,
};

/// One account's principal associations on one portfolio.
#[derive(Default)]
pub(super) struct AccountAssociations {
    /// Association order -> association.
    pub(super) ordered: BTreeMap<u64, Association>,
    /// (type, ARN) -> position in `ordered`.
    pub(super) index: HashMap<(PrincipalType, Box<str>), u64>,
    patterns: usize,
    iams: usize,
}

impl AccountAssociations {
    pub(super) fn count(&self, principal_type: PrincipalType) -> usize {
        match principal_type {
            PrincipalType::Iam => self.iams,
            PrincipalType::IamPattern => self.patterns,
        }
    }

    pub(super) fn count_mut(&mut self, principal_type: PrincipalType) -> &mut usize {
        match principal_type {
            PrincipalType::Iam => &mut self.iams,
            PrincipalType::IamPattern => &mut self.patterns,
        }
    }
}

/// Everything about one portfolio, guarded by one mutex.
pub(super) struct PortfolioState {
    pub(super) record: PortfolioRecord,
    /// Creation order, the position in `by_owner`.
    pub(super) seq: u64,
    /// Set under the mutex by a delete, before the slot leaves the map.
    pub(super) deleted: bool,
    pub(super) associations: BTreeMap<AccountId, AccountAssociations>,
    /// Creation order -> share.
    pub(super) shares: BTreeMap<u64, ShareRecord>,
    pub(super) share_index: HashMap<ShareTarget, u64>,
    /// Import -> its position in `imports_by_recipient`.
    pub(super) imports: HashMap<Import, u64>,
    /// Association order -> product associated with the portfolio, with its slot, so that
    /// listing them needs no lookup by id (the same positions as the products' own
    /// `portfolios`). A product is never deleted while it is here.
    pub(super) products: BTreeMap<u64, (ProductId, super::products::ProductSlot)>,
    /// Product -> its position in `products`.
    pub(super) product_index: HashMap<ProductId, u64>,
}

impl PortfolioState {
    pub(super) fn new(record: PortfolioRecord, seq: u64) -> PortfolioState {
        PortfolioState {
            record,
            seq,
            deleted: false,
            associations: BTreeMap::new(),
            shares: BTreeMap::new(),
            share_index: HashMap::new(),
            imports: HashMap::new(),
            products: BTreeMap::new(),
            product_index: HashMap::new(),
        }
    }

    pub(super) fn snapshot(&self) -> PortfolioSnapshot {
        let mut imports: Vec<(u64, Import)> =
            self.imports.iter().map(|(i, s)| (*s, i.clone())).collect();
        imports.sort_unstable();
        PortfolioSnapshot {
            portfolio: self.record.clone(),
            associations: self
                .associations
                .iter()
                .map(|(a, assoc)| (a.clone(), assoc.ordered.values().cloned().collect()))
                .collect(),
            shares: self.shares.values().cloned().collect(),
            imports: imports.into_iter().map(|(_, i)| i).collect(),
        }
    }
}

impl AccountAssociations {
    /// Adds an association at `seq` (restoring a stored state).
    pub(super) fn restore(&mut self, seq: u64, association: Association) {
        let principal_type = association.principal_type();
        self.index
            .insert((principal_type, Box::from(association.arn())), seq);
        *self.count_mut(principal_type) += 1;
        self.ordered.insert(seq, association);
    }
}
