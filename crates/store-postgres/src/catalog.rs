//! [`CatalogStore`] for [`PostgresStore`]: every write one transaction that first locks the
//! portfolio's row (`SELECT … FOR UPDATE`), so that its checks (a limit, an existing share, an
//! association already there) and its change are one critical section across every node, as a
//! [`portcullis_store::MemoryStore`] slot's mutex makes them within one process.

use std::collections::BTreeMap;

use portcullis_model::{
    AccountId, DescribePortfolioShareType, PortfolioId, PortfolioShareToken, PrincipalType, Region,
};
use portcullis_store::{
    AssociateOutcome, Association, CatalogStore, Change, CreatedPortfolio, CreatedShare, Import,
    ImportKind, LimitKind, NewPortfolio, NewShare, Page, PageRequest, PortfolioRecord,
    PortfolioSnapshot, PortfolioUpdate, Position, ShareChange, ShareOperation, ShareOperationKind,
    ShareRecord, ShareTarget, ShareUpdate, StoreError, merge_tags,
};
use postgres::types::Json;
use postgres::{GenericClient, Transaction};

use crate::codec::{
    self, SHARE_COLUMNS, after, fetch, get, import_kind, operation_kind, target_columns,
};
use crate::pool::Fail;
use crate::sql::Sql;
use crate::{PostgresStore, record};

/// Locks the live portfolio `id`'s row for the rest of the transaction and answers its record.
pub(crate) fn lock(
    tx: &mut Sql<'_, Transaction<'_>>,
    id: &PortfolioId,
) -> Result<PortfolioRecord, Fail> {
    match tx.query_opt(
        "SELECT record FROM portfolios WHERE id = $1 FOR UPDATE",
        &[&id.as_str()],
    )? {
        Some(row) => codec::record(&row, "record"),
        None => Err(StoreError::PortfolioNotFound(id.clone()).into()),
    }
}

/// Whether the portfolio exists (for reads that answer "not found" as the memory store does).
pub(crate) fn exists(
    client: &mut Sql<'_, impl GenericClient>,
    id: &PortfolioId,
) -> Result<(), Fail> {
    let found = client.query_opt("SELECT 1 FROM portfolios WHERE id = $1", &[&id.as_str()])?;
    match found {
        Some(_) => Ok(()),
        None => Err(StoreError::PortfolioNotFound(id.clone()).into()),
    }
}

fn portfolio_changed(tx: &mut Sql<'_, Transaction<'_>>, id: &PortfolioId) -> Result<(), Fail> {
    record(tx, &Change::Portfolio(id.clone()))
}

/// Records a share operation under a fresh token.
fn record_operation(
    tx: &mut Sql<'_, Transaction<'_>>,
    portfolio: &PortfolioId,
    target: &ShareTarget,
    kind: ShareOperationKind,
) -> Result<PortfolioShareToken, Fail> {
    let (target_type, principal_id) = target_columns(target);
    loop {
        let token = PortfolioShareToken::generate(&mut rand::rng());
        let inserted = tx.execute(
            "INSERT INTO share_operations (token, portfolio, target_type, principal_id, kind)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
            &[
                &token.as_str(),
                &portfolio.as_str(),
                &target_type,
                &principal_id,
                &operation_kind(kind),
            ],
        )?;
        if inserted == 1 {
            return Ok(token);
        }
    }
}

fn add_import(
    tx: &mut Sql<'_, Transaction<'_>>,
    portfolio: &PortfolioId,
    account: &AccountId,
    kind: ImportKind,
) -> Result<bool, Fail> {
    let added = tx.execute(
        "INSERT INTO imports (portfolio, account, kind, seq)
         VALUES ($1, $2, $3, nextval('list_order')) ON CONFLICT DO NOTHING",
        &[&portfolio.as_str(), &account.as_str(), &import_kind(kind)],
    )?;
    Ok(added == 1)
}

fn remove_import(
    tx: &mut Sql<'_, Transaction<'_>>,
    portfolio: &PortfolioId,
    account: &AccountId,
    kind: ImportKind,
) -> Result<bool, Fail> {
    let removed = tx.execute(
        "DELETE FROM imports WHERE portfolio = $1 AND account = $2 AND kind = $3",
        &[&portfolio.as_str(), &account.as_str(), &import_kind(kind)],
    )?;
    Ok(removed == 1)
}

/// The share with `target`, if any.
fn find_share(
    client: &mut Sql<'_, impl GenericClient>,
    portfolio: &PortfolioId,
    target: &ShareTarget,
) -> Result<Option<ShareRecord>, Fail> {
    let (target_type, principal_id) = target_columns(target);
    client
        .query_opt(
            &format!(
                "SELECT {SHARE_COLUMNS} FROM shares s
                 WHERE s.portfolio = $1 AND s.target_type = $2 AND s.principal_id = $3"
            ),
            &[&portfolio.as_str(), &target_type, &principal_id],
        )?
        .map(|row| codec::share(&row))
        .transpose()
}

fn share_not_found(portfolio: &PortfolioId, target: &ShareTarget) -> Fail {
    Fail::Refused(StoreError::ShareNotFound {
        portfolio: portfolio.clone(),
        target: target.clone(),
    })
}

fn delete_share_row(
    tx: &mut Sql<'_, Transaction<'_>>,
    portfolio: &PortfolioId,
    target: &ShareTarget,
) -> Result<u64, Fail> {
    let (target_type, principal_id) = target_columns(target);
    let removed = tx.execute(
        "DELETE FROM shares WHERE portfolio = $1 AND target_type = $2 AND principal_id = $3",
        &[&portfolio.as_str(), &target_type, &principal_id],
    )?;
    if let ShareTarget::Account(recipient) = target {
        remove_import(tx, portfolio, recipient, ImportKind::AccountShare)?;
    }
    Ok(removed)
}

impl PostgresStore {
    /// Inserts a new portfolio with a fresh id, recording its change.
    fn insert_portfolio(
        tx: &mut Sql<'_, Transaction<'_>>,
        new: &NewPortfolio,
    ) -> Result<PortfolioRecord, Fail> {
        let id = loop {
            let id = PortfolioId::generate(&mut rand::rng());
            let fresh = tx.execute(
                "INSERT INTO portfolio_ids (id) VALUES ($1) ON CONFLICT DO NOTHING",
                &[&id.as_str()],
            )?;
            if fresh == 1 {
                break id;
            }
        };
        let mut record = PortfolioRecord {
            id,
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
        tx.execute(
            "INSERT INTO portfolios (id, seq, owner, region, record)
             VALUES ($1, nextval('list_order'), $2, $3, $4)",
            &[
                &record.id.as_str(),
                &record.owner.as_str(),
                &record.region.as_str(),
                &Json(&record),
            ],
        )?;
        portfolio_changed(tx, &record.id)?;
        Ok(record)
    }

    /// Sets an account share's `accepted` flag and adds or removes the recipient's import,
    /// recording a change when either moved.
    fn set_account_share_accepted(
        &self,
        portfolio: &PortfolioId,
        recipient: &AccountId,
        accepted: bool,
    ) -> Result<(), StoreError> {
        self.write(|tx| {
            lock(tx, portfolio)?;
            let target = ShareTarget::Account(recipient.clone());
            let share = find_share(tx, portfolio, &target)?
                .ok_or_else(|| share_not_found(portfolio, &target))?;
            let mut changed = share.accepted != accepted;
            if changed {
                let (target_type, principal_id) = target_columns(&target);
                tx.execute(
                    "UPDATE shares SET accepted = $4
                     WHERE portfolio = $1 AND target_type = $2 AND principal_id = $3",
                    &[&portfolio.as_str(), &target_type, &principal_id, &accepted],
                )?;
            }
            changed |= if accepted {
                add_import(tx, portfolio, recipient, ImportKind::AccountShare)?
            } else {
                remove_import(tx, portfolio, recipient, ImportKind::AccountShare)?
            };
            if changed {
                portfolio_changed(tx, portfolio)?;
            }
            Ok(())
        })
    }

    /// Snapshots of the portfolios `ids` (every live one when `None`), in creation order, all
    /// read in one transaction.
    fn snapshots(&self, one: Option<&PortfolioId>) -> Result<Vec<PortfolioSnapshot>, StoreError> {
        // One portfolio's rows by its key, or every row: two statements each, not one with an
        // optional filter, whose generic plan could not use the key.
        let id = one.map(PortfolioId::as_str);
        let only = |column: &str| match id {
            Some(_) => format!("WHERE {column} = $1"),
            None => String::new(),
        };
        let params: Vec<&(dyn postgres::types::ToSql + Sync)> = match &id {
            Some(id) => vec![id],
            None => Vec::new(),
        };
        self.pool.read(|client| {
            client.snapshot(|tx| {
                let mut snapshots: BTreeMap<String, (i64, PortfolioSnapshot)> = BTreeMap::new();
                for row in tx.query(
                    &format!("SELECT id, seq, record FROM portfolios {}", only("id")),
                    &params,
                )? {
                    let portfolio: PortfolioRecord = codec::record(&row, "record")?;
                    snapshots.insert(
                        get::<String>(&row, "id")?,
                        (
                            get(&row, "seq")?,
                            PortfolioSnapshot {
                                portfolio,
                                associations: Vec::new(),
                                shares: Vec::new(),
                                imports: Vec::new(),
                            },
                        ),
                    );
                }
                let mut associations: BTreeMap<(String, AccountId), Vec<(i64, Association)>> =
                    BTreeMap::new();
                for row in tx.query(
                    &format!(
                        "SELECT portfolio, account, principal_type, arn, seq FROM associations {}",
                        only("portfolio")
                    ),
                    &params,
                )? {
                    let association =
                        codec::association(get(&row, "principal_type")?, get(&row, "arn")?)?;
                    associations
                        .entry((get(&row, "portfolio")?, codec::id(&row, "account")?))
                        .or_default()
                        .push((get(&row, "seq")?, association));
                }
                for ((portfolio, account), mut held) in associations {
                    held.sort_by_key(|(seq, _)| *seq);
                    if let Some((_, snapshot)) = snapshots.get_mut(&portfolio) {
                        snapshot
                            .associations
                            .push((account, held.into_iter().map(|(_, a)| a).collect()));
                    }
                }
                for row in tx.query(
                    &format!(
                        "SELECT s.portfolio, {SHARE_COLUMNS} FROM shares s {} ORDER BY s.seq",
                        only("s.portfolio")
                    ),
                    &params,
                )? {
                    let share = codec::share(&row)?;
                    if let Some((_, snapshot)) = snapshots.get_mut(get::<&str>(&row, "portfolio")?)
                    {
                        snapshot.shares.push(share);
                    }
                }
                for row in tx.query(
                    &format!(
                        "SELECT portfolio, account, kind FROM imports {} ORDER BY seq",
                        only("portfolio")
                    ),
                    &params,
                )? {
                    let import = Import {
                        account: codec::id(&row, "account")?,
                        kind: codec::parse_import_kind(get(&row, "kind")?)?,
                    };
                    if let Some((_, snapshot)) = snapshots.get_mut(get::<&str>(&row, "portfolio")?)
                    {
                        snapshot.imports.push(import);
                    }
                }
                let mut ordered: Vec<(i64, PortfolioSnapshot)> = snapshots.into_values().collect();
                ordered.sort_by_key(|(seq, _)| *seq);
                Ok(ordered.into_iter().map(|(_, s)| s).collect())
            })
        })
    }
}

impl CatalogStore for PostgresStore {
    fn create_portfolio(&self, new: NewPortfolio) -> Result<CreatedPortfolio, StoreError> {
        self.write(|tx| {
            let key = (
                new.owner.as_str(),
                new.region.as_str(),
                new.idempotency_token.as_deref(),
            );
            let (portfolio, created) = crate::create_once(tx, "idempotency_tokens", key, |tx| {
                Self::insert_portfolio(tx, &new)
            })?;
            Ok(CreatedPortfolio { portfolio, created })
        })
    }

    fn portfolio(&self, id: &PortfolioId) -> Result<Option<PortfolioRecord>, StoreError> {
        self.pool.read(|client| {
            client
                .query_opt(
                    "SELECT record FROM portfolios WHERE id = $1",
                    &[&id.as_str()],
                )?
                .map(|row| codec::record(&row, "record"))
                .transpose()
        })
    }

    fn update_portfolio(
        &self,
        id: &PortfolioId,
        update: PortfolioUpdate,
    ) -> Result<PortfolioRecord, StoreError> {
        self.write(|tx| {
            let before = lock(tx, id)?;
            let mut record = before.clone();
            if let Some(name) = &update.display_name {
                record.display_name.clone_from(name);
            }
            if let Some(description) = &update.description {
                record.description = Some(description.clone());
            }
            if let Some(provider) = &update.provider_name {
                record.provider_name.clone_from(provider);
            }
            record.tags.retain(|t| !update.remove_tags.contains(&t.key));
            merge_tags(&mut record.tags, &update.add_tags);
            if record != before {
                tx.execute(
                    "UPDATE portfolios SET record = $2 WHERE id = $1",
                    &[&id.as_str(), &Json(&record)],
                )?;
                portfolio_changed(tx, id)?;
            }
            Ok(record)
        })
    }

    fn delete_portfolio(&self, id: &PortfolioId) -> Result<PortfolioRecord, StoreError> {
        self.write(|tx| {
            let record = lock(tx, id)?;
            // Products are associated under this row's lock too (`associate_product` locks the
            // product's row, then this one): none can be added before the delete commits.
            let row = tx.query_one(
                "SELECT (SELECT count(*) FROM associations WHERE portfolio = $1 AND account = $2)
                            AS associations,
                        (SELECT count(*) FROM shares WHERE portfolio = $1) AS shares,
                        (SELECT count(*) FROM product_portfolios WHERE portfolio = $1) AS products",
                &[&id.as_str(), &record.owner.as_str()],
            )?;
            let associations = count(&row, "associations")?;
            let shares = count(&row, "shares")?;
            if associations > 0 || shares > 0 {
                return Err(StoreError::PortfolioInUse {
                    portfolio: id.clone(),
                    associations,
                    shares,
                }
                .into());
            }
            let products = count(&row, "products")?;
            if products > 0 {
                return Err(StoreError::PortfolioHasProducts {
                    portfolio: id.clone(),
                    products,
                }
                .into());
            }
            // Recipients' associations and imports go with it (ON DELETE CASCADE); its id stays
            // in `portfolio_ids`, never to be handed out again.
            tx.execute("DELETE FROM portfolios WHERE id = $1", &[&id.as_str()])?;
            portfolio_changed(tx, id)?;
            Ok(record)
        })
    }

    fn list_portfolios(
        &self,
        owner: &AccountId,
        region: &Region,
        page: PageRequest,
    ) -> Result<Page<PortfolioRecord>, StoreError> {
        self.pool.read(|client| {
            let rows = client.query(
                "SELECT seq, record FROM portfolios
                 WHERE owner = $1 AND region = $2 AND seq > $3 ORDER BY seq LIMIT $4",
                &[
                    &owner.as_str(),
                    &region.as_str(),
                    &after(page),
                    &fetch(page),
                ],
            )?;
            codec::record_page(&rows, page)
        })
    }

    fn associate(
        &self,
        portfolio: &PortfolioId,
        account: &AccountId,
        association: Association,
        limit: usize,
    ) -> Result<AssociateOutcome, StoreError> {
        let principal_type = association.principal_type().as_str();
        let cap = i64::try_from(limit).unwrap_or(i64::MAX);
        self.write(|tx| {
            lock(tx, portfolio)?;
            // Checked and inserted in one statement, under the row lock: its snapshot is taken
            // once the lock is held, so it sees every association committed before.
            let row = tx.query_one(
                "WITH held AS (
                    SELECT EXISTS (SELECT 1 FROM associations
                                   WHERE portfolio = $1 AND account = $2
                                     AND principal_type = $3 AND arn = $4) AS present,
                           (SELECT count(*) FROM associations
                            WHERE portfolio = $1 AND account = $2
                              AND principal_type = $3) AS held
                 ), added AS (
                    INSERT INTO associations (portfolio, account, principal_type, arn, seq)
                    SELECT $1, $2, $3, $4, nextval('list_order') FROM held
                    WHERE NOT present AND held < $5
                    RETURNING portfolio
                 ), changed AS (
                    INSERT INTO changes (kind, portfolio) SELECT $6, portfolio FROM added
                 )
                 SELECT present, held FROM held",
                &[
                    &portfolio.as_str(),
                    &account.as_str(),
                    &principal_type,
                    &association.arn(),
                    &cap,
                    &codec::PORTFOLIO_CHANGE,
                ],
            )?;
            if get::<bool>(&row, "present")? {
                return Ok(AssociateOutcome::AlreadyPresent);
            }
            if count(&row, "held")? >= limit {
                return Err(StoreError::LimitExceeded {
                    kind: LimitKind::associations(association.principal_type()),
                    limit,
                }
                .into());
            }
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
        self.write(|tx| {
            lock(tx, portfolio)?;
            let row = tx.query_one(
                "WITH removed AS (
                    DELETE FROM associations
                    WHERE portfolio = $1 AND account = $2 AND principal_type = $3 AND arn = $4
                    RETURNING portfolio
                 ), changed AS (
                    INSERT INTO changes (kind, portfolio)
                    SELECT $5, portfolio FROM removed
                 )
                 SELECT count(*) AS removed FROM removed",
                &[
                    &portfolio.as_str(),
                    &account.as_str(),
                    &principal_type.as_str(),
                    &principal_arn,
                    &codec::PORTFOLIO_CHANGE,
                ],
            )?;
            let removed = count(&row, "removed")?;
            if removed == 0 {
                return Err(StoreError::AssociationNotFound {
                    portfolio: portfolio.clone(),
                    account: account.clone(),
                    principal_arn: principal_arn.to_owned(),
                    principal_type,
                }
                .into());
            }
            Ok(())
        })
    }

    fn list_associations(
        &self,
        portfolio: &PortfolioId,
        account: &AccountId,
        page: PageRequest,
    ) -> Result<Page<Association>, StoreError> {
        self.pool.read(|client| {
            exists(client, portfolio)?;
            let rows = client.query(
                "SELECT seq, principal_type, arn FROM associations
                 WHERE portfolio = $1 AND account = $2 AND seq > $3 ORDER BY seq LIMIT $4",
                &[
                    &portfolio.as_str(),
                    &account.as_str(),
                    &after(page),
                    &fetch(page),
                ],
            )?;
            let items = rows
                .iter()
                .map(|row| {
                    Ok((
                        codec::position(row, "seq")?,
                        codec::association(get(row, "principal_type")?, get(row, "arn")?)?,
                    ))
                })
                .collect::<Result<Vec<_>, Fail>>()?;
            Ok(codec::page(items, page))
        })
    }

    fn create_share(
        &self,
        portfolio: &PortfolioId,
        new: NewShare,
        max_shares: usize,
    ) -> Result<CreatedShare, StoreError> {
        self.write(|tx| {
            lock(tx, portfolio)?;
            if let Some(existing) = find_share(tx, portfolio, &new.target)? {
                return Ok(CreatedShare {
                    share: existing,
                    created: false,
                });
            }
            let row = tx.query_one(
                "SELECT count(*) AS shares FROM shares WHERE portfolio = $1",
                &[&portfolio.as_str()],
            )?;
            if count(&row, "shares")? >= max_shares {
                return Err(StoreError::LimitExceeded {
                    kind: LimitKind::Shares,
                    limit: max_shares,
                }
                .into());
            }
            let token = if new.track {
                Some(record_operation(
                    tx,
                    portfolio,
                    &new.target,
                    ShareOperationKind::Create,
                )?)
            } else {
                None
            };
            let share = ShareRecord {
                target: new.target.clone(),
                share_principals: new.share_principals,
                share_tag_options: new.share_tag_options,
                accepted: new.accepted,
                token,
                created_by: new.created_by.clone(),
            };
            let (target_type, principal_id) = target_columns(&share.target);
            tx.execute(
                "INSERT INTO shares (portfolio, target_type, principal_id, seq, share_principals,
                                     share_tag_options, accepted, token, created_by)
                 VALUES ($1, $2, $3, nextval('list_order'), $4, $5, $6, $7, $8)",
                &[
                    &portfolio.as_str(),
                    &target_type,
                    &principal_id,
                    &share.share_principals,
                    &share.share_tag_options,
                    &share.accepted,
                    &share.token.as_ref().map(PortfolioShareToken::as_str),
                    &share.created_by.as_str(),
                ],
            )?;
            portfolio_changed(tx, portfolio)?;
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
        self.pool.read(|client| {
            client.snapshot(|tx| {
                exists(tx, portfolio)?;
                find_share(tx, portfolio, target)
            })
        })
    }

    fn update_share(
        &self,
        portfolio: &PortfolioId,
        target: &ShareTarget,
        update: ShareUpdate,
    ) -> Result<ShareChange, StoreError> {
        self.write(|tx| {
            lock(tx, portfolio)?;
            let mut share = find_share(tx, portfolio, target)?
                .ok_or_else(|| share_not_found(portfolio, target))?;
            if let Some(v) = update.share_principals {
                share.share_principals = v;
            }
            if let Some(v) = update.share_tag_options {
                share.share_tag_options = v;
            }
            let (target_type, principal_id) = target_columns(target);
            tx.execute(
                "UPDATE shares SET share_principals = $4, share_tag_options = $5
                 WHERE portfolio = $1 AND target_type = $2 AND principal_id = $3",
                &[
                    &portfolio.as_str(),
                    &target_type,
                    &principal_id,
                    &share.share_principals,
                    &share.share_tag_options,
                ],
            )?;
            let token = record_operation(tx, portfolio, target, ShareOperationKind::Update)?;
            portfolio_changed(tx, portfolio)?;
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
        self.write(|tx| {
            lock(tx, portfolio)?;
            let share = find_share(tx, portfolio, target)?
                .ok_or_else(|| share_not_found(portfolio, target))?;
            delete_share_row(tx, portfolio, target)?;
            let token = if track {
                Some(record_operation(
                    tx,
                    portfolio,
                    target,
                    ShareOperationKind::Delete,
                )?)
            } else {
                None
            };
            portfolio_changed(tx, portfolio)?;
            Ok(ShareChange { share, token })
        })
    }

    fn list_shares(
        &self,
        portfolio: &PortfolioId,
        share_type: Option<DescribePortfolioShareType>,
        page: PageRequest,
    ) -> Result<Page<ShareRecord>, StoreError> {
        let share_type = share_type.map(DescribePortfolioShareType::as_str);
        self.pool.read(|client| {
            exists(client, portfolio)?;
            let rows = client.query(
                &format!(
                    "SELECT s.seq, {SHARE_COLUMNS} FROM shares s
                     WHERE s.portfolio = $1 AND ($2::text IS NULL OR s.target_type = $2)
                       AND s.seq > $3
                     ORDER BY s.seq LIMIT $4"
                ),
                &[&portfolio.as_str(), &share_type, &after(page), &fetch(page)],
            )?;
            let items = rows
                .iter()
                .map(|row| Ok((codec::position(row, "seq")?, codec::share(row)?)))
                .collect::<Result<Vec<_>, Fail>>()?;
            Ok(codec::page(items, page))
        })
    }

    fn share_operation(
        &self,
        token: &PortfolioShareToken,
    ) -> Result<Option<ShareOperation>, StoreError> {
        self.pool.read(|client| {
            client
                .query_opt(
                    "SELECT token, portfolio, target_type, principal_id, kind
                     FROM share_operations WHERE token = $1",
                    &[&token.as_str()],
                )?
                .map(|row| {
                    Ok(ShareOperation {
                        token: codec::id(&row, "token")?,
                        portfolio: codec::id(&row, "portfolio")?,
                        target: codec::target(&row, "target_type", "principal_id")?,
                        kind: codec::parse_operation_kind(get(&row, "kind")?)?,
                    })
                })
                .transpose()
        })
    }

    fn delete_shares_created_by(
        &self,
        creator: &AccountId,
        organization_nodes_only: bool,
    ) -> Result<Vec<(PortfolioId, ShareRecord)>, StoreError> {
        self.write(|tx| {
            // Every portfolio with such a share, locked in one order (by id), so two of these
            // never wait on each other; the shares are read again once the rows are locked.
            let filter = "created_by = $1 AND (NOT $2 OR target_type <> 'ACCOUNT')";
            let locked = tx.query(
                &format!(
                    "SELECT id FROM portfolios
                     WHERE id IN (SELECT portfolio FROM shares WHERE {filter})
                     ORDER BY id COLLATE \"C\" FOR UPDATE"
                ),
                &[&creator.as_str(), &organization_nodes_only],
            )?;
            let ids: Vec<String> = locked
                .iter()
                .map(|row| get(row, "id"))
                .collect::<Result<_, Fail>>()?;
            let rows = tx.query(
                &format!(
                    "SELECT s.portfolio, {SHARE_COLUMNS} FROM shares s
                     WHERE s.portfolio = ANY ($3) AND s.{filter}
                     ORDER BY s.portfolio COLLATE \"C\", s.seq"
                ),
                &[&creator.as_str(), &organization_nodes_only, &ids],
            )?;
            let mut removed = Vec::with_capacity(rows.len());
            for row in &rows {
                let portfolio: PortfolioId = codec::id(row, "portfolio")?;
                let share = codec::share(row)?;
                delete_share_row(tx, &portfolio, &share.target)?;
                portfolio_changed(tx, &portfolio)?;
                removed.push((portfolio, share));
            }
            Ok(removed)
        })
    }

    fn accept_account_share(
        &self,
        portfolio: &PortfolioId,
        recipient: &AccountId,
    ) -> Result<(), StoreError> {
        self.set_account_share_accepted(portfolio, recipient, true)
    }

    fn reject_account_share(
        &self,
        portfolio: &PortfolioId,
        recipient: &AccountId,
    ) -> Result<(), StoreError> {
        self.set_account_share_accepted(portfolio, recipient, false)
    }

    fn import_organization_share(
        &self,
        portfolio: &PortfolioId,
        recipient: &AccountId,
    ) -> Result<bool, StoreError> {
        self.write(|tx| {
            lock(tx, portfolio)?;
            let added = add_import(tx, portfolio, recipient, ImportKind::OrganizationShare)?;
            if added {
                portfolio_changed(tx, portfolio)?;
            }
            Ok(added)
        })
    }

    fn remove_organization_import(
        &self,
        portfolio: &PortfolioId,
        recipient: &AccountId,
    ) -> Result<bool, StoreError> {
        self.write(|tx| {
            lock(tx, portfolio)?;
            let removed = remove_import(tx, portfolio, recipient, ImportKind::OrganizationShare)?;
            if removed {
                portfolio_changed(tx, portfolio)?;
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
        self.pool.read(|client| {
            let row = client.query_one(
                "SELECT EXISTS (SELECT 1 FROM imports
                                WHERE portfolio = $1 AND account = $2 AND kind = $3) AS imported",
                &[&portfolio.as_str(), &recipient.as_str(), &import_kind(kind)],
            )?;
            get(&row, "imported")
        })
    }

    fn list_imports(
        &self,
        recipient: &AccountId,
        region: &Region,
        kind: ImportKind,
    ) -> Result<Vec<(Position, PortfolioRecord)>, StoreError> {
        self.pool.read(|client| {
            client
                .query(
                    "SELECT i.seq, p.record FROM imports i JOIN portfolios p ON p.id = i.portfolio
                     WHERE i.account = $1 AND i.kind = $2 AND p.region = $3
                     ORDER BY i.seq",
                    &[&recipient.as_str(), &import_kind(kind), &region.as_str()],
                )?
                .iter()
                .map(|row| Ok((codec::position(row, "seq")?, codec::record(row, "record")?)))
                .collect()
        })
    }

    fn portfolio_snapshot(
        &self,
        id: &PortfolioId,
    ) -> Result<Option<PortfolioSnapshot>, StoreError> {
        Ok(self.snapshots(Some(id))?.into_iter().next())
    }

    fn for_each_portfolio(&self, f: &mut dyn FnMut(PortfolioSnapshot)) -> Result<(), StoreError> {
        for snapshot in self.snapshots(None)? {
            f(snapshot);
        }
        Ok(())
    }
}

/// A `count(*)` column as a number of items.
pub(crate) fn count(row: &postgres::Row, idx: &str) -> Result<usize, Fail> {
    let n: i64 = get(row, idx)?;
    codec::parse(usize::try_from(n), idx)
}
