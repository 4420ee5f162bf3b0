//! [`ProductStore`] for [`PostgresStore`]: not stored in PostgreSQL yet. Every method answers
//! [`StoreError::Unavailable`] saying so, which the service answers as `InternalFailure`; the
//! conformance suite's product checks run here too and fail until products are stored (issue 10,
//! PostgreSQL part).

use portcullis_model::{AccountId, PortfolioId, ProductId, Region};
use portcullis_store::{
    AssociateOutcome, CreatedProduct, NewProduct, Page, PageRequest, PortfolioRecord,
    ProductRecord, ProductStore, ProductUpdate, StoreError,
};

use crate::PostgresStore;

fn not_yet() -> StoreError {
    StoreError::Unavailable("products are not stored in PostgreSQL yet (issue 10)".into())
}

impl ProductStore for PostgresStore {
    fn create_product(&self, _new: NewProduct) -> Result<CreatedProduct, StoreError> {
        Err(not_yet())
    }

    fn product(&self, _id: &ProductId) -> Result<Option<ProductRecord>, StoreError> {
        Err(not_yet())
    }

    fn product_by_name(
        &self,
        _owner: &AccountId,
        _region: &Region,
        _name: &str,
    ) -> Result<Option<ProductRecord>, StoreError> {
        Err(not_yet())
    }

    fn update_product(
        &self,
        _id: &ProductId,
        _update: ProductUpdate,
    ) -> Result<ProductRecord, StoreError> {
        Err(not_yet())
    }

    fn delete_product(&self, _id: &ProductId) -> Result<ProductRecord, StoreError> {
        Err(not_yet())
    }

    fn list_products(
        &self,
        _owner: &AccountId,
        _region: &Region,
        _page: PageRequest,
    ) -> Result<Page<ProductRecord>, StoreError> {
        Err(not_yet())
    }

    fn associate_product(
        &self,
        _product: &ProductId,
        _portfolio: &PortfolioId,
    ) -> Result<AssociateOutcome, StoreError> {
        Err(not_yet())
    }

    fn disassociate_product(
        &self,
        _product: &ProductId,
        _portfolio: &PortfolioId,
    ) -> Result<(), StoreError> {
        Err(not_yet())
    }

    fn list_portfolios_for_product(
        &self,
        _product: &ProductId,
        _owner: &AccountId,
        _page: PageRequest,
    ) -> Result<Page<PortfolioRecord>, StoreError> {
        Err(not_yet())
    }

    fn list_products_for_portfolio(
        &self,
        _portfolio: &PortfolioId,
        _page: PageRequest,
    ) -> Result<Page<ProductRecord>, StoreError> {
        Err(not_yet())
    }
}
