//! The memory store's state as rows ([`crate::rows`]): read one key at a time by a durable
//! store after each change, and restored whole at start.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use parking_lot::{Mutex, RwLock};
use portcullis_model::{AccountId, OrganizationId, OuId, PortfolioId, ProductId, Region};

use super::directory::Directory;
use super::iam::Principals;
use super::products::ProductState;
use super::state::PortfolioState;
use super::{MemoryStore, Slot};
use crate::error::StoreError;
use crate::iam::PrincipalRecord;
use crate::rows::{
    AssociationRow, IdempotencyRow, MemberRow, OrganizationRow, OuRow, PortfolioRow,
    ProductIdempotencyRow, ProductRow, StoredState,
};
use crate::types::Association;

impl MemoryStore {
    /// The row of a live portfolio; `None` when there is none with this id (deleted, or never
    /// created).
    pub fn portfolio_row(&self, id: &PortfolioId) -> Option<PortfolioRow> {
        let slot = self.slot(id).ok()?;
        let state = slot.lock();
        if state.deleted {
            return None;
        }
        let mut imports: Vec<_> = state
            .imports
            .iter()
            .map(|(import, seq)| (*seq, import.clone()))
            .collect();
        imports.sort_unstable();
        Some(PortfolioRow {
            seq: state.seq,
            record: state.record.clone(),
            associations: state
                .associations
                .iter()
                .flat_map(|(account, held)| {
                    held.ordered.iter().map(move |(seq, a)| AssociationRow {
                        account: account.clone(),
                        seq: *seq,
                        principal_type: a.principal_type(),
                        arn: a.arn().to_owned(),
                    })
                })
                .collect(),
            shares: state
                .shares
                .iter()
                .map(|(seq, share)| (*seq, share.clone()))
                .collect(),
            imports,
            products: state
                .products
                .iter()
                .map(|(seq, (product, _))| (*seq, product.clone()))
                .collect(),
        })
    }

    /// The row of a product, live or deleted; `None` when no product ever had this id (or the
    /// state was reset since).
    pub fn product_row(&self, id: &ProductId) -> Option<ProductRow> {
        if let Some(row) = self.retired_products.get(id) {
            return Some(row.value().clone());
        }
        let slot = self.products.get(id).map(|r| Arc::clone(r.value()))?;
        let state = slot.lock();
        // A slot marked deleted is retired (and found above) before it leaves the map.
        Some(ProductRow {
            seq: state.seq,
            record: state.record.clone(),
            deleted: state.deleted,
        })
    }

    /// The product a `CreateProduct` idempotency token first created.
    pub fn product_idempotency_row(
        &self,
        owner: &AccountId,
        region: &Region,
        token: &str,
    ) -> Option<ProductIdempotencyRow> {
        let key = (owner.clone(), region.clone(), token.to_owned());
        self.product_idempotency
            .get(&key)
            .map(|first| ProductIdempotencyRow {
                owner: owner.clone(),
                region: region.clone(),
                token: token.to_owned(),
                product: first.value().clone(),
            })
    }

    /// Whether `id` belonged to a portfolio that was deleted.
    pub fn is_retired(&self, id: &PortfolioId) -> bool {
        self.retired.contains(id)
    }

    /// The portfolio a `CreatePortfolio` idempotency token first created.
    pub fn idempotency_row(
        &self,
        owner: &AccountId,
        region: &Region,
        token: &str,
    ) -> Option<IdempotencyRow> {
        let key = (owner.clone(), region.clone(), token.to_owned());
        self.idempotency.get(&key).map(|first| IdempotencyRow {
            owner: owner.clone(),
            region: region.clone(),
            token: token.to_owned(),
            portfolio: first.value().clone(),
        })
    }

    /// The row of an organization.
    pub fn organization_row(&self, id: &OrganizationId) -> Option<OrganizationRow> {
        self.directory.read().organization_row(id)
    }

    /// The row of an OU.
    pub fn ou_row(&self, id: &OuId) -> Option<OuRow> {
        self.directory.read().ou_row(id)
    }

    /// The row of a member account.
    pub fn member_row(&self, id: &AccountId) -> Option<MemberRow> {
        self.directory.read().member_row(id)
    }

    /// The record of an IAM principal, deleted or not.
    pub fn principal_row(&self, id: &portcullis_model::PrincipalId) -> Option<PrincipalRecord> {
        self.principals.read().row(id)
    }

    /// Everything the store holds, as rows (in no particular order).
    pub fn stored_state(&self) -> StoredState {
        let ids: Vec<PortfolioId> = self.portfolios.iter().map(|r| r.key().clone()).collect();
        let portfolios = ids.iter().filter_map(|id| self.portfolio_row(id)).collect();
        // No slot is locked while the directory is (see the module's locking discipline).
        let directory = self.directory.read();
        StoredState {
            portfolios,
            retired: self.retired.iter().map(|id| id.key().clone()).collect(),
            idempotency: self
                .idempotency
                .iter()
                .map(|r| {
                    let (owner, region, token) = r.key().clone();
                    IdempotencyRow {
                        owner,
                        region,
                        token,
                        portfolio: r.value().clone(),
                    }
                })
                .collect(),
            share_operations: self
                .share_operations
                .iter()
                .map(|r| r.value().clone())
                .collect(),
            organizations: directory.organization_rows(),
            ous: directory.ou_rows(),
            members: directory.member_rows(),
            create_requests: directory.create_request_rows(),
            principals: self.principals.read().rows(),
            products: {
                let ids: Vec<ProductId> = self
                    .products
                    .iter()
                    .map(|r| r.key().clone())
                    .chain(self.retired_products.iter().map(|r| r.key().clone()))
                    .collect();
                ids.iter().filter_map(|id| self.product_row(id)).collect()
            },
            product_idempotency: self
                .product_idempotency
                .iter()
                .map(|r| {
                    let (owner, region, token) = r.key().clone();
                    ProductIdempotencyRow {
                        owner,
                        region,
                        token,
                        product: r.value().clone(),
                    }
                })
                .collect(),
        }
    }

    /// A store holding `state`, with a change log of `change_log_capacity` starting at version
    /// 0. Every association is parsed again; one that does not parse is
    /// [`StoreError::Unavailable`] naming the portfolio: the state is damaged, and nothing of it
    /// is silently dropped.
    pub fn restore(
        state: StoredState,
        change_log_capacity: usize,
    ) -> Result<MemoryStore, StoreError> {
        let store = MemoryStore::with_change_log_capacity(change_log_capacity);
        let mut max_seq = 0;
        // Each portfolio's products, tied to both sides once the products are restored.
        let mut held_products = Vec::new();
        for row in state.portfolios {
            let id = row.record.id.clone();
            let mut portfolio = PortfolioState::new(row.record, row.seq);
            max_seq = max_seq.max(row.seq);
            for a in row.associations {
                max_seq = max_seq.max(a.seq);
                let association = parse_association(&a).map_err(|reason| {
                    StoreError::Unavailable(format!(
                        "stored association `{}` of portfolio `{id}` is damaged: {reason}",
                        a.arn
                    ))
                })?;
                portfolio
                    .associations
                    .entry(a.account)
                    .or_default()
                    .restore(a.seq, association);
            }
            for (seq, share) in row.shares {
                max_seq = max_seq.max(seq);
                portfolio.share_index.insert(share.target.clone(), seq);
                portfolio.shares.insert(seq, share);
            }
            for (seq, import) in row.imports {
                max_seq = max_seq.max(seq);
                store
                    .imports_by_recipient
                    .entry((
                        import.account.clone(),
                        portfolio.record.region.clone(),
                        import.kind,
                    ))
                    .or_default()
                    .insert(seq, id.clone());
                portfolio.imports.insert(import, seq);
            }
            for (seq, _) in &row.products {
                max_seq = max_seq.max(*seq);
            }
            if !row.products.is_empty() {
                held_products.push((id.clone(), row.products));
            }
            store
                .by_owner
                .entry((
                    portfolio.record.owner.clone(),
                    portfolio.record.region.clone(),
                ))
                .or_default()
                .insert(portfolio.seq, id.clone());
            let slot: Slot = Arc::new(Mutex::new(portfolio));
            store.portfolios.insert(id, slot);
        }
        for id in state.retired {
            store.retired.insert(id);
        }
        for row in state.idempotency {
            store
                .idempotency
                .insert((row.owner, row.region, row.token), row.portfolio);
        }
        for operation in state.share_operations {
            store
                .share_operations
                .insert(operation.token.clone(), operation);
        }
        // Products, then each association on the product's side as the portfolios hold it.
        for row in state.products {
            max_seq = max_seq.max(row.seq);
            let id = row.record.id.clone();
            if row.deleted {
                store.retired_products.insert(id, row);
                continue;
            }
            store
                .products_by_owner
                .entry((row.record.owner.clone(), row.record.region.clone()))
                .or_default()
                .insert(row.seq, id.clone());
            store.products.insert(
                id,
                Arc::new(Mutex::new(ProductState::new(row.record, row.seq))),
            );
        }
        for (portfolio_id, products) in held_products {
            let portfolio_slot = store
                .portfolios
                .get(&portfolio_id)
                .map(|r| Arc::clone(r.value()));
            let Some(portfolio_slot) = portfolio_slot else {
                continue;
            };
            for (seq, product) in products {
                let slot = store.products.get(&product).map(|r| Arc::clone(r.value()));
                let Some(slot) = slot else {
                    return Err(StoreError::Unavailable(format!(
                        "portfolio `{portfolio_id}` is associated with product `{product}`, which \
                         is not stored"
                    )));
                };
                // Product, then portfolio, as everywhere (nothing else runs during a restore).
                let mut product_state = slot.lock();
                let mut portfolio_state = portfolio_slot.lock();
                product_state.portfolios.insert(seq, portfolio_id.clone());
                product_state
                    .portfolio_index
                    .insert(portfolio_id.clone(), seq);
                portfolio_state.product_index.insert(product.clone(), seq);
                portfolio_state
                    .products
                    .insert(seq, (product, Arc::clone(&slot)));
            }
        }
        for row in state.product_idempotency {
            store
                .product_idempotency
                .insert((row.owner, row.region, row.token), row.product);
        }
        store.seq.store(max_seq, Ordering::Relaxed);
        let directory = Directory::restore(
            state.organizations,
            state.ous,
            state.members,
            state.create_requests,
        );
        Ok(MemoryStore {
            directory: RwLock::new(directory),
            principals: RwLock::new(Principals::restore(state.principals)),
            ..store
        })
    }
}

fn parse_association(row: &AssociationRow) -> Result<Association, String> {
    Association::from_stored(row.principal_type, &row.arn)
}
