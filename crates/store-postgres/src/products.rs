//! [`ProductStore`] for [`PostgresStore`]: products (schema version 3), each write one
//! transaction. A write to a product first locks its row (`SELECT … FOR UPDATE`); associating
//! and disassociating then lock the portfolio's row too, always in that order (product, then
//! portfolio, as the memory store takes its mutexes). A product delete counts the product's
//! associations under the product's lock and a portfolio delete counts the portfolio's under the
//! portfolio's lock, so on every node an association is never made with a product or portfolio
//! being deleted, and neither is deleted while an association exists.
//!
//! A product's record is JSON without its provisioning artifacts, which are rows of their own
//! read back in creation order. Associating and disassociating record a
//! [`Change::Portfolio`] of the portfolio; a product's creation, update and delete record
//! nothing, as in the memory store.

use portcullis_model::{
    AccountId, PortfolioId, ProductId, ProductViewId, ProvisioningArtifactId, Region,
};
use portcullis_store::{
    AssociateOutcome, Change, CreatedProduct, NewProduct, Page, PageRequest, PortfolioRecord,
    ProductRecord, ProductStore, ProductUpdate, StoreError, merge_tags,
};
use postgres::types::Json;
use postgres::{GenericClient, Row, Transaction};

use crate::catalog::{count, exists, lock};
use crate::codec::{self, after, fetch};
use crate::pool::Fail;
use crate::sql::Sql;
use crate::{PostgresStore, record};

/// The columns a [`ProductRecord`] is read from (`p` is the `products` row): its record and its
/// provisioning artifacts in creation order.
const PRODUCT_COLUMNS: &str = "p.record,
    coalesce((SELECT jsonb_agg(a.record ORDER BY a.seq) FROM provisioning_artifacts a
              WHERE a.product = p.id), '[]'::jsonb) AS artifacts";

/// A product read with [`PRODUCT_COLUMNS`].
fn product_record(row: &Row) -> Result<ProductRecord, Fail> {
    let mut product: ProductRecord = codec::record(row, "record")?;
    product.provisioning_artifacts = codec::record(row, "artifacts")?;
    Ok(product)
}

/// The record as `products.record` holds it: without its provisioning artifacts.
fn stored(product: &ProductRecord) -> ProductRecord {
    ProductRecord {
        provisioning_artifacts: Vec::new(),
        ..product.clone()
    }
}

fn not_found(id: &ProductId) -> Fail {
    Fail::Refused(StoreError::ProductNotFound(id.clone()))
}

/// Locks the live product `id`'s row for the rest of the transaction and answers its record.
fn lock_product(tx: &mut Sql<'_, Transaction<'_>>, id: &ProductId) -> Result<ProductRecord, Fail> {
    tx.query_opt(
        &format!("SELECT {PRODUCT_COLUMNS} FROM products p WHERE p.id = $1 FOR UPDATE OF p"),
        &[&id.as_str()],
    )?
    .map(|row| product_record(&row))
    .transpose()?
    .ok_or_else(|| not_found(id))
}

/// Locks the live product `id`'s row for the rest of the transaction, reading nothing.
fn lock_product_row(tx: &mut Sql<'_, Transaction<'_>>, id: &ProductId) -> Result<(), Fail> {
    match tx.query_opt(
        "SELECT 1 FROM products WHERE id = $1 FOR UPDATE",
        &[&id.as_str()],
    )? {
        Some(_) => Ok(()),
        None => Err(not_found(id)),
    }
}

/// Whether the product exists (for reads that answer "not found" as the memory store does).
fn product_exists(client: &mut Sql<'_, impl GenericClient>, id: &ProductId) -> Result<(), Fail> {
    match client.query_opt("SELECT 1 FROM products WHERE id = $1", &[&id.as_str()])? {
        Some(_) => Ok(()),
        None => Err(not_found(id)),
    }
}

/// Whether the product is associated with the portfolio.
fn associated(
    tx: &mut Sql<'_, Transaction<'_>>,
    product: &ProductId,
    portfolio: &PortfolioId,
) -> Result<bool, Fail> {
    Ok(tx
        .query_opt(
            "SELECT 1 FROM product_portfolios WHERE product = $1 AND portfolio = $2",
            &[&product.as_str(), &portfolio.as_str()],
        )?
        .is_some())
}

/// Products read with `p.seq` and [`PRODUCT_COLUMNS`] (a page's rows), with their positions.
fn positioned_products(
    rows: &[Row],
    seq: &str,
) -> Result<Vec<(portcullis_store::Position, ProductRecord)>, Fail> {
    rows.iter()
        .map(|row| Ok((codec::position(row, seq)?, product_record(row)?)))
        .collect()
}

impl PostgresStore {
    /// Inserts a new product with fresh ids (and its first provisioning artifact, when given).
    fn insert_product(
        tx: &mut Sql<'_, Transaction<'_>>,
        new: &NewProduct,
    ) -> Result<ProductRecord, Fail> {
        let (id, view_id) = loop {
            let mut rng = rand::rng();
            let id = ProductId::generate(&mut rng);
            let view_id = ProductViewId::generate(&mut rng);
            // A clash of either id (with any product ever created) draws both again.
            let fresh = tx.execute(
                "INSERT INTO product_ids (id, view_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                &[&id.as_str(), &view_id.as_str()],
            )?;
            if fresh == 1 {
                break (id, view_id);
            }
        };
        let mut product = new.record(id, view_id);
        tx.execute(
            "INSERT INTO products (id, seq, owner, region, name, record)
             VALUES ($1, nextval('list_order'), $2, $3, $4, $5)",
            &[
                &product.id.as_str(),
                &product.owner.as_str(),
                &product.region.as_str(),
                &product.name,
                &Json(&product),
            ],
        )?;
        if let Some(artifact) = &new.provisioning_artifact {
            let artifact_id = loop {
                let artifact_id = ProvisioningArtifactId::generate(&mut rand::rng());
                let fresh = tx.execute(
                    "INSERT INTO provisioning_artifact_ids (id) VALUES ($1)
                     ON CONFLICT DO NOTHING",
                    &[&artifact_id.as_str()],
                )?;
                if fresh == 1 {
                    break artifact_id;
                }
            };
            let artifact = artifact.record(artifact_id, new.created_time);
            tx.execute(
                "INSERT INTO provisioning_artifacts (id, product, seq, record)
                 VALUES ($1, $2, nextval('list_order'), $3)",
                &[
                    &artifact.id.as_str(),
                    &product.id.as_str(),
                    &Json(&artifact),
                ],
            )?;
            product.provisioning_artifacts.push(artifact);
        }
        Ok(product)
    }
}

impl ProductStore for PostgresStore {
    fn create_product(&self, new: NewProduct) -> Result<CreatedProduct, StoreError> {
        self.write(|tx| {
            let key = (
                new.owner.as_str(),
                new.region.as_str(),
                new.idempotency_token.as_deref(),
            );
            let (product, created) =
                crate::create_once(tx, "product_idempotency_tokens", key, |tx| {
                    Self::insert_product(tx, &new)
                })?;
            Ok(CreatedProduct { product, created })
        })
    }

    fn product(&self, id: &ProductId) -> Result<Option<ProductRecord>, StoreError> {
        self.pool.read(|client| {
            client
                .query_opt(
                    &format!("SELECT {PRODUCT_COLUMNS} FROM products p WHERE p.id = $1"),
                    &[&id.as_str()],
                )?
                .map(|row| product_record(&row))
                .transpose()
        })
    }

    fn product_by_name(
        &self,
        owner: &AccountId,
        region: &Region,
        name: &str,
    ) -> Result<Option<ProductRecord>, StoreError> {
        self.pool.read(|client| {
            client
                .query_opt(
                    &format!(
                        "SELECT {PRODUCT_COLUMNS} FROM products p
                         WHERE p.owner = $1 AND p.region = $2 AND p.name = $3
                         ORDER BY p.seq LIMIT 1"
                    ),
                    &[&owner.as_str(), &region.as_str(), &name],
                )?
                .map(|row| product_record(&row))
                .transpose()
        })
    }

    fn update_product(
        &self,
        id: &ProductId,
        update: ProductUpdate,
    ) -> Result<ProductRecord, StoreError> {
        self.write(|tx| {
            let before = lock_product(tx, id)?;
            let mut product = before.clone();
            if let Some(name) = &update.name {
                product.name.clone_from(name);
            }
            if let Some(owner) = &update.product_owner {
                product.product_owner.clone_from(owner);
            }
            if let Some(v) = &update.description {
                product.description = Some(v.clone());
            }
            if let Some(v) = &update.distributor {
                product.distributor = Some(v.clone());
            }
            if let Some(v) = &update.support_description {
                product.support_description = Some(v.clone());
            }
            if let Some(v) = &update.support_email {
                product.support_email = Some(v.clone());
            }
            if let Some(v) = &update.support_url {
                product.support_url = Some(v.clone());
            }
            product
                .tags
                .retain(|t| !update.remove_tags.contains(&t.key));
            merge_tags(&mut product.tags, &update.add_tags);
            if product != before {
                tx.execute(
                    "UPDATE products SET name = $2, record = $3 WHERE id = $1",
                    &[&id.as_str(), &product.name, &Json(&stored(&product))],
                )?;
            }
            Ok(product)
        })
    }

    fn delete_product(&self, id: &ProductId) -> Result<ProductRecord, StoreError> {
        self.write(|tx| {
            // Associations are made under this row's lock: none can appear before the delete
            // commits, and an associate waiting on the lock then finds no product.
            let product = lock_product(tx, id)?;
            let row = tx.query_one(
                "SELECT count(*) AS portfolios FROM product_portfolios WHERE product = $1",
                &[&id.as_str()],
            )?;
            let portfolios = count(&row, "portfolios")?;
            if portfolios > 0 {
                return Err(StoreError::ProductInUse {
                    product: id.clone(),
                    portfolios,
                }
                .into());
            }
            // Its provisioning artifacts go with it (ON DELETE CASCADE); its ids stay in
            // `product_ids` and `provisioning_artifact_ids`, never to be handed out again.
            tx.execute("DELETE FROM products WHERE id = $1", &[&id.as_str()])?;
            Ok(product)
        })
    }

    fn list_products(
        &self,
        owner: &AccountId,
        region: &Region,
        page: PageRequest,
    ) -> Result<Page<ProductRecord>, StoreError> {
        self.pool.read(|client| {
            let rows = client.query(
                &format!(
                    "SELECT p.seq, {PRODUCT_COLUMNS} FROM products p
                     WHERE p.owner = $1 AND p.region = $2 AND p.seq > $3
                     ORDER BY p.seq LIMIT $4"
                ),
                &[
                    &owner.as_str(),
                    &region.as_str(),
                    &after(page),
                    &fetch(page),
                ],
            )?;
            Ok(codec::page(positioned_products(&rows, "seq")?, page))
        })
    }

    fn associate_product(
        &self,
        product: &ProductId,
        portfolio: &PortfolioId,
    ) -> Result<AssociateOutcome, StoreError> {
        self.write(|tx| {
            // Product first, then portfolio: the one order in which both are ever locked.
            lock_product_row(tx, product)?;
            if associated(tx, product, portfolio)? {
                return Ok(AssociateOutcome::AlreadyPresent);
            }
            lock(tx, portfolio)?;
            tx.execute(
                "INSERT INTO product_portfolios (product, portfolio, seq)
                 VALUES ($1, $2, nextval('list_order'))",
                &[&product.as_str(), &portfolio.as_str()],
            )?;
            record(tx, &Change::Portfolio(portfolio.clone()))?;
            Ok(AssociateOutcome::Added)
        })
    }

    fn disassociate_product(
        &self,
        product: &ProductId,
        portfolio: &PortfolioId,
    ) -> Result<(), StoreError> {
        self.write(|tx| {
            lock_product_row(tx, product)?;
            if !associated(tx, product, portfolio)? {
                return Err(StoreError::ProductAssociationNotFound {
                    product: product.clone(),
                    portfolio: portfolio.clone(),
                }
                .into());
            }
            lock(tx, portfolio)?;
            tx.execute(
                "DELETE FROM product_portfolios WHERE product = $1 AND portfolio = $2",
                &[&product.as_str(), &portfolio.as_str()],
            )?;
            record(tx, &Change::Portfolio(portfolio.clone()))
        })
    }

    fn list_portfolios_for_product(
        &self,
        product: &ProductId,
        owner: &AccountId,
        page: PageRequest,
    ) -> Result<Page<PortfolioRecord>, StoreError> {
        self.pool.read(|client| {
            product_exists(client, product)?;
            // Filtered by owner before the page is cut.
            let rows = client.query(
                "SELECT pp.seq, p.record FROM product_portfolios pp
                 JOIN portfolios p ON p.id = pp.portfolio
                 WHERE pp.product = $1 AND p.owner = $2 AND pp.seq > $3
                 ORDER BY pp.seq LIMIT $4",
                &[
                    &product.as_str(),
                    &owner.as_str(),
                    &after(page),
                    &fetch(page),
                ],
            )?;
            codec::record_page(&rows, page)
        })
    }

    fn list_products_for_portfolio(
        &self,
        portfolio: &PortfolioId,
        page: PageRequest,
    ) -> Result<Page<ProductRecord>, StoreError> {
        self.pool.read(|client| {
            exists(client, portfolio)?;
            let rows = client.query(
                &format!(
                    "SELECT pp.seq AS association_seq, {PRODUCT_COLUMNS} FROM product_portfolios pp
                     JOIN products p ON p.id = pp.product
                     WHERE pp.portfolio = $1 AND pp.seq > $2
                     ORDER BY pp.seq LIMIT $3"
                ),
                &[&portfolio.as_str(), &after(page), &fetch(page)],
            )?;
            Ok(codec::page(
                positioned_products(&rows, "association_seq")?,
                page,
            ))
        })
    }
}
