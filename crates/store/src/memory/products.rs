//! [`ProductStore`] for [`MemoryStore`]: products as slots of their own, and their associations
//! with portfolios held on both sides (see the module docs of `memory` for the lock order:
//! product, then portfolio).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use dashmap::DashMap;
use dashmap::mapref::entry::Entry;
use parking_lot::Mutex;
use portcullis_model::{
    AccountId, PortfolioId, ProductId, ProductViewId, ProvisioningArtifactId, Region,
};

use super::MemoryStore;
use super::paging::{page_of, page_of_entries, window};
use crate::error::StoreError;
use crate::products::{
    CreatedProduct, NewProduct, ProductRecord, ProductUpdate, ProvisioningArtifactRecord,
};
use crate::types::{AssociateOutcome, Page, PageRequest, PortfolioRecord};
use crate::{ProductStore, merge_tags};

/// Everything about one product, guarded by one mutex.
pub(super) struct ProductState {
    pub(super) record: ProductRecord,
    /// Creation order, the position in `products_by_owner`.
    pub(super) seq: u64,
    /// Set under the mutex by a delete, before the slot leaves the map.
    pub(super) deleted: bool,
    /// Association order -> portfolio (the same positions as the portfolios' `products`).
    pub(super) portfolios: BTreeMap<u64, PortfolioId>,
    /// Portfolio -> its position in `portfolios`.
    pub(super) portfolio_index: HashMap<PortfolioId, u64>,
}

pub(super) type ProductSlot = Arc<Mutex<ProductState>>;

/// (owner, region, idempotency token) -> the product first created with it.
pub(super) type ProductStateIdempotency = DashMap<(AccountId, Region, String), ProductRecord>;

impl ProductState {
    pub(super) fn new(record: ProductRecord, seq: u64) -> ProductState {
        ProductState {
            record,
            seq,
            deleted: false,
            portfolios: BTreeMap::new(),
            portfolio_index: HashMap::new(),
        }
    }
}

impl MemoryStore {
    fn product_slot(&self, id: &ProductId) -> Result<ProductSlot, StoreError> {
        self.products
            .get(id)
            .map(|r| Arc::clone(r.value()))
            .ok_or_else(|| StoreError::ProductNotFound(id.clone()))
    }

    /// Runs `f` on the live product `id` under its mutex.
    fn with_product<T>(
        &self,
        id: &ProductId,
        f: impl FnOnce(&mut ProductState) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let slot = self.product_slot(id)?;
        let mut state = slot.lock();
        if state.deleted {
            return Err(StoreError::ProductNotFound(id.clone()));
        }
        f(&mut state)
    }

    fn live_product(&self, id: &ProductId) -> Option<ProductRecord> {
        let slot = self.product_slot(id).ok()?;
        let state = slot.lock();
        (!state.deleted).then(|| state.record.clone())
    }

    fn insert_product(&self, new: NewProduct) -> ProductRecord {
        let seq = self.next_seq();
        let mut rng = rand::rng();
        let provisioning_artifacts: Vec<ProvisioningArtifactRecord> = new
            .provisioning_artifact
            .iter()
            .map(|artifact| {
                artifact.record(ProvisioningArtifactId::generate(&mut rng), new.created_time)
            })
            .collect();
        loop {
            let mut record = new.record(
                ProductId::generate(&mut rng),
                ProductViewId::generate(&mut rng),
            );
            record
                .provisioning_artifacts
                .clone_from(&provisioning_artifacts);
            let slot: ProductSlot = Arc::new(Mutex::new(ProductState::new(record.clone(), seq)));
            // The fresh slot is locked before it is published (mutex before map).
            let _guard = slot.lock();
            match self.products.entry(record.id.clone()) {
                Entry::Occupied(_) => continue,
                Entry::Vacant(vacant) => {
                    // A delete retires the id before it leaves the map.
                    if self.retired_products.contains_key(&record.id) {
                        continue;
                    }
                    drop(vacant.insert(Arc::clone(&slot)));
                }
            }
            self.products_by_owner
                .entry((record.owner.clone(), record.region.clone()))
                .or_default()
                .insert(seq, record.id.clone());
            return record;
        }
    }
}

impl ProductStore for MemoryStore {
    fn create_product(&self, new: NewProduct) -> Result<CreatedProduct, StoreError> {
        let _gate = self.gate.read();
        let Some(token) = new.idempotency_token.clone() else {
            return Ok(CreatedProduct {
                product: self.insert_product(new),
                created: true,
            });
        };
        // The token's shard lock is held across the creation: one product per token.
        Ok(
            match self
                .product_idempotency
                .entry((new.owner.clone(), new.region.clone(), token))
            {
                Entry::Occupied(first) => CreatedProduct {
                    product: first.get().clone(),
                    created: false,
                },
                Entry::Vacant(vacant) => {
                    let product = self.insert_product(new);
                    drop(vacant.insert(product.clone()));
                    CreatedProduct {
                        product,
                        created: true,
                    }
                }
            },
        )
    }

    fn product(&self, id: &ProductId) -> Result<Option<ProductRecord>, StoreError> {
        let _gate = self.gate.read();
        Ok(self.live_product(id))
    }

    fn product_by_name(
        &self,
        owner: &AccountId,
        region: &Region,
        name: &str,
    ) -> Result<Option<ProductRecord>, StoreError> {
        let _gate = self.gate.read();
        let ids: Vec<ProductId> = match self.products_by_owner.get(&(owner.clone(), region.clone()))
        {
            Some(index) => index.values().cloned().collect(),
            None => return Ok(None),
        };
        Ok(ids
            .iter()
            .filter_map(|id| self.live_product(id))
            .find(|p| p.name == name))
    }

    fn update_product(
        &self,
        id: &ProductId,
        update: ProductUpdate,
    ) -> Result<ProductRecord, StoreError> {
        let _gate = self.gate.read();
        self.with_product(id, |state| {
            let record = &mut state.record;
            if let Some(name) = update.name {
                record.name = name;
            }
            if let Some(owner) = update.product_owner {
                record.product_owner = owner;
            }
            if let Some(v) = update.description {
                record.description = Some(v);
            }
            if let Some(v) = update.distributor {
                record.distributor = Some(v);
            }
            if let Some(v) = update.support_description {
                record.support_description = Some(v);
            }
            if let Some(v) = update.support_email {
                record.support_email = Some(v);
            }
            if let Some(v) = update.support_url {
                record.support_url = Some(v);
            }
            record.tags.retain(|t| !update.remove_tags.contains(&t.key));
            merge_tags(&mut record.tags, &update.add_tags);
            Ok(record.clone())
        })
    }

    fn delete_product(&self, id: &ProductId) -> Result<ProductRecord, StoreError> {
        let _gate = self.gate.read();
        self.with_product(id, |state| {
            // Associations are made under this mutex: none can appear before the slot is gone.
            if !state.portfolios.is_empty() {
                return Err(StoreError::ProductInUse {
                    product: id.clone(),
                    portfolios: state.portfolios.len(),
                });
            }
            state.deleted = true;
            // Retire before removing: see `insert_product`.
            self.retired_products.insert(
                id.clone(),
                crate::rows::ProductRow {
                    seq: state.seq,
                    record: state.record.clone(),
                    deleted: true,
                },
            );
            self.products.remove(id);
            let owner_key = (state.record.owner.clone(), state.record.region.clone());
            if let Some(mut index) = self.products_by_owner.get_mut(&owner_key) {
                index.remove(&state.seq);
            }
            Ok(state.record.clone())
        })
    }

    fn list_products(
        &self,
        owner: &AccountId,
        region: &Region,
        page: PageRequest,
    ) -> Result<Page<ProductRecord>, StoreError> {
        let _gate = self.gate.read();
        let (ids, next) = match self.products_by_owner.get(&(owner.clone(), region.clone())) {
            Some(index) => window(&index, page),
            None => return Ok(Page::empty()),
        };
        Ok(Page {
            items: ids.iter().filter_map(|id| self.live_product(id)).collect(),
            next,
        })
    }

    fn associate_product(
        &self,
        product: &ProductId,
        portfolio: &PortfolioId,
    ) -> Result<AssociateOutcome, StoreError> {
        let _gate = self.gate.read();
        // Product first, then portfolio: the one order in which both are ever held.
        let slot = self.product_slot(product)?;
        let mut product_state = slot.lock();
        if product_state.deleted {
            return Err(StoreError::ProductNotFound(product.clone()));
        }
        if product_state.portfolio_index.contains_key(portfolio) {
            return Ok(AssociateOutcome::AlreadyPresent);
        }
        self.with_portfolio(portfolio, |portfolio_state| {
            let seq = self.next_seq();
            portfolio_state
                .products
                .insert(seq, (product.clone(), Arc::clone(&slot)));
            portfolio_state.product_index.insert(product.clone(), seq);
            product_state.portfolios.insert(seq, portfolio.clone());
            product_state.portfolio_index.insert(portfolio.clone(), seq);
            self.record_portfolio(portfolio_state);
            Ok(AssociateOutcome::Added)
        })
    }

    fn disassociate_product(
        &self,
        product: &ProductId,
        portfolio: &PortfolioId,
    ) -> Result<(), StoreError> {
        let _gate = self.gate.read();
        self.with_product(product, |product_state| {
            let not_found = || StoreError::ProductAssociationNotFound {
                product: product.clone(),
                portfolio: portfolio.clone(),
            };
            let Some(seq) = product_state.portfolio_index.get(portfolio).copied() else {
                return Err(not_found());
            };
            self.with_portfolio(portfolio, |portfolio_state| {
                portfolio_state.products.remove(&seq);
                portfolio_state.product_index.remove(product);
                product_state.portfolios.remove(&seq);
                product_state.portfolio_index.remove(portfolio);
                self.record_portfolio(portfolio_state);
                Ok(())
            })
        })
    }

    fn list_portfolios_for_product(
        &self,
        product: &ProductId,
        owner: &AccountId,
        page: PageRequest,
    ) -> Result<Page<PortfolioRecord>, StoreError> {
        let _gate = self.gate.read();
        // Copied out under the product's mutex, resolved after it is released (no portfolio
        // mutex is taken while a product's is held, outside associate and disassociate).
        let associated = self.with_product(product, |state| Ok(state.portfolios.clone()))?;
        Ok(page_of(&associated, page, |id| {
            self.live_record(id).filter(|p| &p.owner == owner)
        }))
    }

    fn list_products_for_portfolio(
        &self,
        portfolio: &PortfolioId,
        page: PageRequest,
    ) -> Result<Page<ProductRecord>, StoreError> {
        let _gate = self.gate.read();
        let associated: Vec<(u64, ProductSlot)> = self.with_portfolio(portfolio, |state| {
            Ok(state
                .products
                .iter()
                .map(|(seq, (_, slot))| (*seq, Arc::clone(slot)))
                .collect())
        })?;
        // Product mutexes are taken only after the portfolio's is released.
        let len = associated.len();
        Ok(page_of_entries(associated, len, page, |slot| {
            let state = slot.lock();
            (!state.deleted).then(|| state.record.clone())
        }))
    }

    fn visit_products_for_portfolio(
        &self,
        portfolio: &PortfolioId,
        f: &mut dyn FnMut(&ProductRecord),
    ) -> Result<(), StoreError> {
        let _gate = self.gate.read();
        let associated: Vec<ProductSlot> = self.with_portfolio(portfolio, |state| {
            Ok(state
                .products
                .values()
                .map(|(_, slot)| Arc::clone(slot))
                .collect())
        })?;
        // Product mutexes are taken only after the portfolio's is released; `f` runs under one
        // product's mutex at a time (it must not call into the store).
        for slot in associated {
            let state = slot.lock();
            if !state.deleted {
                f(&state.record);
            }
        }
        Ok(())
    }
}
