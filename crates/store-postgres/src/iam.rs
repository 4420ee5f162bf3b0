//! [`IamStore`] for [`PostgresStore`]: one row per principal ever created (deleted ones keep
//! their row, so a unique id is never handed out again), and a unique index over the existing
//! principals' names (ignoring case) that keeps two nodes from creating the same name.

use portcullis_matcher::ResourceType;
use portcullis_model::{AccountId, PrincipalId, Timestamp};
use portcullis_store::{
    Change, IamStore, NewPrincipal, PrincipalRecord, StoreError, principal_id_prefix,
    principal_name_key,
};
use postgres::GenericClient;
use postgres::types::Json;

use crate::codec;
use crate::pool::Fail;
use crate::sql::Sql;
use crate::{PostgresStore, record};

fn by_name(
    client: &mut Sql<'_, impl GenericClient>,
    account: &AccountId,
    principal_type: ResourceType,
    name: &str,
) -> Result<Option<PrincipalRecord>, Fail> {
    client
        .query_opt(
            "SELECT record FROM principals
             WHERE account = $1 AND principal_type = $2 AND name_key = $3 AND NOT deleted",
            &[
                &account.as_str(),
                &principal_type.as_str(),
                &principal_name_key(name),
            ],
        )?
        .map(|row| codec::record(&row, "record"))
        .transpose()
}

impl IamStore for PostgresStore {
    fn create_principal(&self, new: NewPrincipal) -> Result<PrincipalRecord, StoreError> {
        self.write(|tx| {
            // Serialises creators of the same name on every node; the unique index is the
            // backstop.
            tx.execute(
                "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
                &[&format!(
                    "principal/{}/{}/{}",
                    new.account,
                    new.principal_type,
                    principal_name_key(&new.name)
                )],
            )?;
            if by_name(tx, &new.account, new.principal_type, &new.name)?.is_some() {
                return Err(StoreError::PrincipalExists {
                    account: new.account.clone(),
                    principal_type: new.principal_type,
                    name: new.name.clone(),
                }
                .into());
            }
            let id = loop {
                let id = PrincipalId::generate(
                    &mut rand::rng(),
                    principal_id_prefix(new.principal_type),
                );
                let taken = tx
                    .query_opt("SELECT 1 FROM principals WHERE id = $1", &[&id.as_str()])?
                    .is_some();
                if !taken {
                    break id;
                }
            };
            let created = PrincipalRecord {
                id: id.clone(),
                account: new.account.clone(),
                principal_type: new.principal_type,
                path: new.path.clone(),
                name: new.name.clone(),
                arn: new.arn.clone(),
                created: new.created,
                role: new.role.clone(),
                deleted: None,
            };
            tx.execute(
                "INSERT INTO principals (id, account, principal_type, name_key, deleted, record)
                 VALUES ($1, $2, $3, $4, false, $5)",
                &[
                    &id.as_str(),
                    &created.account.as_str(),
                    &created.principal_type.as_str(),
                    &principal_name_key(&created.name),
                    &Json(&created),
                ],
            )?;
            record(tx, &Change::Principal(id))?;
            Ok(created)
        })
    }

    fn principal(
        &self,
        account: &AccountId,
        principal_type: ResourceType,
        name: &str,
    ) -> Result<Option<PrincipalRecord>, StoreError> {
        self.pool
            .read(|client| by_name(client, account, principal_type, name))
    }

    fn principal_by_id(&self, id: &PrincipalId) -> Result<Option<PrincipalRecord>, StoreError> {
        self.pool.read(|client| {
            client
                .query_opt(
                    "SELECT record FROM principals WHERE id = $1",
                    &[&id.as_str()],
                )?
                .map(|row| codec::record(&row, "record"))
                .transpose()
        })
    }

    fn delete_principal(
        &self,
        account: &AccountId,
        principal_type: ResourceType,
        name: &str,
        now: Timestamp,
    ) -> Result<PrincipalRecord, StoreError> {
        self.write(|tx| {
            let row = tx.query_opt(
                "SELECT record FROM principals
                 WHERE account = $1 AND principal_type = $2 AND name_key = $3 AND NOT deleted
                 FOR UPDATE",
                &[
                    &account.as_str(),
                    &principal_type.as_str(),
                    &principal_name_key(name),
                ],
            )?;
            let Some(row) = row else {
                return Err(StoreError::PrincipalNotFound {
                    account: account.clone(),
                    principal_type,
                    name: name.to_owned(),
                }
                .into());
            };
            let mut deleted: PrincipalRecord = codec::record(&row, "record")?;
            deleted.deleted = Some(now);
            tx.execute(
                "UPDATE principals SET deleted = true, record = $2 WHERE id = $1",
                &[&deleted.id.as_str(), &Json(&deleted)],
            )?;
            record(tx, &Change::Principal(deleted.id.clone()))?;
            Ok(deleted)
        })
    }

    fn list_principals(
        &self,
        account: &AccountId,
        principal_type: Option<ResourceType>,
    ) -> Result<Vec<PrincipalRecord>, StoreError> {
        let types: Vec<&str> = match principal_type {
            Some(t) => vec![t.as_str()],
            None => ResourceType::ALL.iter().map(|t| t.as_str()).collect(),
        };
        self.pool.read(|client| {
            let rows = client.query(
                "SELECT record FROM principals
                 WHERE account = $1 AND principal_type = ANY($2) AND NOT deleted",
                &[&account.as_str(), &types],
            )?;
            let mut out = rows
                .iter()
                .map(|row| codec::record::<PrincipalRecord>(row, "record"))
                .collect::<Result<Vec<_>, Fail>>()?;
            out.sort_by(|a, b| {
                (a.principal_type, principal_name_key(&a.name))
                    .cmp(&(b.principal_type, principal_name_key(&b.name)))
            });
            Ok(out)
        })
    }
}
