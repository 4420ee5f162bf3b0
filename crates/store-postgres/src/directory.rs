//! [`DirectoryStore`] for [`PostgresStore`]. A tree's invariants (an account in at most one
//! organization, e-mail addresses unique in the directory, OU names unique among siblings, an
//! account under one parent) span many rows and writes are rare, so every directory write
//! takes one transaction-level advisory lock, as the memory store takes its directory's write
//! lock.

use std::collections::HashMap;
use std::sync::Arc;

use portcullis_model::{
    AccountId, AccountJoinedMethod, AccountStatus, CreateAccountFailureReason,
    CreateAccountRequestId, CreateAccountState, OrganizationId, OrganizationNodeValue, OuId,
    ParentId, RootId, ServicePrincipal, Timestamp,
};
use portcullis_store::{
    AccountPlacement, Change, CreateAccountRecord, DelegatedAdministratorRecord, DirectoryStore,
    MemberAccount, NewAccount, NewMember, NewOrganization, OrganizationRecord, OuRecord, Page,
    PageRequest, StoreError,
};
use postgres::types::Json;
use postgres::{GenericClient, Transaction};

use crate::codec::{self, after, fetch, get};
use crate::pool::Fail;
use crate::schema::DIRECTORY_LOCK;
use crate::sql::Sql;
use crate::{PostgresStore, record};

fn lock_directory(tx: &mut Sql<'_, Transaction<'_>>) -> Result<(), Fail> {
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&DIRECTORY_LOCK])?;
    Ok(())
}

fn organization(
    client: &mut Sql<'_, impl GenericClient>,
    id: &OrganizationId,
) -> Result<Option<OrganizationRecord>, Fail> {
    client
        .query_opt(
            "SELECT record FROM organizations WHERE id = $1",
            &[&id.as_str()],
        )?
        .map(|row| codec::record(&row, "record"))
        .transpose()
}

fn existing_organization(
    client: &mut Sql<'_, impl GenericClient>,
    id: &OrganizationId,
) -> Result<OrganizationRecord, Fail> {
    organization(client, id)?.ok_or_else(|| StoreError::OrganizationNotFound(id.clone()).into())
}

fn member(
    client: &mut Sql<'_, impl GenericClient>,
    id: &AccountId,
) -> Result<Option<MemberAccount>, Fail> {
    client
        .query_opt(
            "SELECT record FROM member_accounts WHERE id = $1",
            &[&id.as_str()],
        )?
        .map(|row| codec::record(&row, "record"))
        .transpose()
}

/// Whether `parent` is the root or an OU of `organization`.
fn is_parent_in(
    client: &mut Sql<'_, impl GenericClient>,
    organization: &OrganizationId,
    parent: &ParentId,
) -> Result<bool, Fail> {
    let row = match parent {
        ParentId::Root(root) => client.query_opt(
            "SELECT 1 FROM organizations WHERE id = $1 AND root = $2",
            &[&organization.as_str(), &root.as_str()],
        )?,
        ParentId::OrganizationalUnit(ou) => client.query_opt(
            "SELECT 1 FROM organizational_units WHERE organization = $1 AND id = $2",
            &[&organization.as_str(), &ou.as_str()],
        )?,
    };
    Ok(row.is_some())
}

fn add_member(tx: &mut Sql<'_, Transaction<'_>>, record: &MemberAccount) -> Result<(), Fail> {
    tx.execute(
        "INSERT INTO member_accounts (id, organization, parent, email_key, seq, record)
         VALUES ($1, $2, $3, $4, nextval('list_order'), $5)",
        &[
            &record.id.as_str(),
            &record.organization.as_str(),
            &record.parent.as_str(),
            &record.email.to_lowercase(),
            &Json(record),
        ],
    )?;
    Ok(())
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

fn already_in(account: &AccountId, member: &MemberAccount) -> Fail {
    Fail::Refused(StoreError::AlreadyInOrganization {
        account: account.clone(),
        organization: member.organization.clone(),
    })
}

/// Generates ids with `generate` until `taken` says one is free.
fn fresh<T>(
    mut generate: impl FnMut() -> T,
    mut taken: impl FnMut(&T) -> Result<bool, Fail>,
) -> Result<T, Fail> {
    loop {
        let id = generate();
        if !taken(&id)? {
            return Ok(id);
        }
    }
}

fn row_exists(tx: &mut Sql<'_, Transaction<'_>>, sql: &str, id: &str) -> Result<bool, Fail> {
    Ok(tx.query_opt(sql, &[&id])?.is_some())
}

impl PostgresStore {
    /// Runs `f` as a directory write under the directory's lock, recording the change it
    /// answers when it succeeds.
    fn directory_write<T>(
        &self,
        mut f: impl FnMut(&mut Sql<'_, Transaction<'_>>) -> Result<(T, Option<Change>), Fail>,
    ) -> Result<T, StoreError> {
        self.write(|tx| {
            lock_directory(tx)?;
            let (out, change) = f(tx)?;
            if let Some(change) = change {
                record(tx, &change)?;
            }
            Ok(out)
        })
    }
}

impl DirectoryStore for PostgresStore {
    fn create_organization(&self, new: NewOrganization) -> Result<OrganizationRecord, StoreError> {
        self.directory_write(|tx| {
            if let Some(member) = member(tx, &new.management_account)? {
                return Err(already_in(&new.management_account, &member));
            }
            let mut rng = rand::rng();
            let id = fresh(
                || OrganizationId::generate(&mut rng),
                |id| row_exists(tx, "SELECT 1 FROM organizations WHERE id = $1", id.as_str()),
            )?;
            let root = fresh(
                || RootId::generate(&mut rand::rng()),
                |root| {
                    row_exists(
                        tx,
                        "SELECT 1 FROM organizations WHERE root = $1",
                        root.as_str(),
                    )
                },
            )?;
            let record = OrganizationRecord {
                id: id.clone(),
                management_account: new.management_account.clone(),
                management_email: new.management_email.clone(),
                feature_set: new.feature_set,
                root: root.clone(),
                created: new.now,
            };
            tx.execute(
                "INSERT INTO organizations (id, root, record) VALUES ($1, $2, $3)",
                &[&id.as_str(), &root.as_str(), &Json(&record)],
            )?;
            add_member(
                tx,
                &MemberAccount {
                    id: new.management_account.clone(),
                    organization: id,
                    parent: ParentId::Root(root),
                    name: new.management_name.clone(),
                    email: new.management_email.clone(),
                    status: AccountStatus::Active,
                    joined_method: AccountJoinedMethod::Created,
                    joined_timestamp: new.now,
                },
            )?;
            let change = joined(&new.management_account, &record);
            Ok((record, Some(change)))
        })
    }

    fn organization(&self, id: &OrganizationId) -> Result<Option<OrganizationRecord>, StoreError> {
        self.pool.read(|client| organization(client, id))
    }

    fn organization_of(
        &self,
        account: &AccountId,
    ) -> Result<Option<OrganizationRecord>, StoreError> {
        self.pool.read(|client| {
            client
                .query_opt(
                    "SELECT o.record FROM member_accounts m
                     JOIN organizations o ON o.id = m.organization
                     WHERE m.id = $1",
                    &[&account.as_str()],
                )?
                .map(|row| codec::record(&row, "record"))
                .transpose()
        })
    }

    fn create_organizational_unit(
        &self,
        organization: &OrganizationId,
        parent: &ParentId,
        name: &str,
    ) -> Result<OuRecord, StoreError> {
        self.directory_write(|tx| {
            let root = existing_organization(tx, organization)?.root;
            if !is_parent_in(tx, organization, parent)? {
                return Err(StoreError::ParentNotFound(parent.clone()).into());
            }
            let duplicate = tx
                .query_opt(
                    "SELECT 1 FROM organizational_units WHERE parent = $1 AND name = $2",
                    &[&parent.as_str(), &name],
                )?
                .is_some();
            if duplicate {
                return Err(StoreError::DuplicateOrganizationalUnit {
                    parent: parent.clone(),
                    name: name.to_owned(),
                }
                .into());
            }
            let id = fresh(
                || OuId::generate(&root, &mut rand::rng()),
                |id| {
                    row_exists(
                        tx,
                        "SELECT 1 FROM organizational_units WHERE id = $1",
                        id.as_str(),
                    )
                },
            )?;
            tx.execute(
                "INSERT INTO organizational_units (id, organization, parent, name, seq)
                 VALUES ($1, $2, $3, $4, nextval('list_order'))",
                &[
                    &id.as_str(),
                    &organization.as_str(),
                    &parent.as_str(),
                    &name,
                ],
            )?;
            let ou = OuRecord {
                id,
                organization: organization.clone(),
                parent: parent.clone(),
                name: name.to_owned(),
            };
            Ok((ou, Some(Change::Organization(organization.clone()))))
        })
    }

    fn organizational_unit(&self, id: &OuId) -> Result<Option<OuRecord>, StoreError> {
        self.pool.read(|client| {
            client
                .query_opt(
                    "SELECT id, organization, parent, name FROM organizational_units
                     WHERE id = $1",
                    &[&id.as_str()],
                )?
                .map(|row| ou(&row))
                .transpose()
        })
    }

    fn list_organizational_units(
        &self,
        organization: &OrganizationId,
        parent: &ParentId,
        page: PageRequest,
    ) -> Result<Page<OuRecord>, StoreError> {
        self.pool.read(|client| {
            existing_organization(client, organization)?;
            if !is_parent_in(client, organization, parent)? {
                return Err(StoreError::ParentNotFound(parent.clone()).into());
            }
            let rows = client.query(
                "SELECT seq, id, organization, parent, name FROM organizational_units
                 WHERE parent = $1 AND seq > $2 ORDER BY seq LIMIT $3",
                &[&parent.as_str(), &after(page), &fetch(page)],
            )?;
            let items = rows
                .iter()
                .map(|row| Ok((codec::position(row, "seq")?, ou(row)?)))
                .collect::<Result<Vec<_>, Fail>>()?;
            Ok(codec::page(items, page))
        })
    }

    fn create_account(
        &self,
        organization: &OrganizationId,
        new: NewAccount,
    ) -> Result<CreateAccountRecord, StoreError> {
        self.directory_write(|tx| {
            let org = existing_organization(tx, organization)?;
            let request = fresh(
                || CreateAccountRequestId::generate(&mut rand::rng()),
                |id| {
                    row_exists(
                        tx,
                        "SELECT 1 FROM create_account_requests WHERE id = $1",
                        id.as_str(),
                    )
                },
            )?;
            let email_taken = tx
                .query_opt(
                    "SELECT 1 FROM member_accounts WHERE email_key = $1 LIMIT 1",
                    &[&new.email.to_lowercase()],
                )?
                .is_some();
            let (record, change) = if email_taken {
                (
                    CreateAccountRecord {
                        id: request.clone(),
                        organization: organization.clone(),
                        account_name: new.name.clone(),
                        state: CreateAccountState::Failed,
                        requested: new.now,
                        completed: new.now,
                        account_id: None,
                        failure_reason: Some(CreateAccountFailureReason::EmailAlreadyExists),
                    },
                    Change::Organization(organization.clone()),
                )
            } else {
                let account = fresh(
                    || AccountId::generate(&mut rand::rng()),
                    |id| {
                        row_exists(
                            tx,
                            "SELECT 1 FROM member_accounts WHERE id = $1",
                            id.as_str(),
                        )
                    },
                )?;
                add_member(
                    tx,
                    &MemberAccount {
                        id: account.clone(),
                        organization: organization.clone(),
                        parent: ParentId::Root(org.root.clone()),
                        name: new.name.clone(),
                        email: new.email.clone(),
                        status: AccountStatus::Active,
                        joined_method: AccountJoinedMethod::Created,
                        joined_timestamp: new.now,
                    },
                )?;
                let change = joined(&account, &org);
                (
                    CreateAccountRecord {
                        id: request.clone(),
                        organization: organization.clone(),
                        account_name: new.name.clone(),
                        state: CreateAccountState::Succeeded,
                        requested: new.now,
                        completed: new.now,
                        account_id: Some(account),
                        failure_reason: None,
                    },
                    change,
                )
            };
            tx.execute(
                "INSERT INTO create_account_requests (id, record) VALUES ($1, $2)",
                &[&request.as_str(), &Json(&record)],
            )?;
            Ok((record, Some(change)))
        })
    }

    fn create_account_status(
        &self,
        id: &CreateAccountRequestId,
    ) -> Result<Option<CreateAccountRecord>, StoreError> {
        self.pool.read(|client| {
            client
                .query_opt(
                    "SELECT record FROM create_account_requests WHERE id = $1",
                    &[&id.as_str()],
                )?
                .map(|row| codec::record(&row, "record"))
                .transpose()
        })
    }

    fn add_member_account(
        &self,
        organization: &OrganizationId,
        new: NewMember,
    ) -> Result<MemberAccount, StoreError> {
        self.directory_write(|tx| {
            let org = existing_organization(tx, organization)?;
            if let Some(member) = member(tx, &new.id)? {
                return Err(already_in(&new.id, &member));
            }
            let record = MemberAccount {
                id: new.id.clone(),
                organization: organization.clone(),
                parent: ParentId::Root(org.root.clone()),
                name: new.name.clone(),
                email: new.email.clone(),
                status: AccountStatus::Active,
                joined_method: new.joined_method,
                joined_timestamp: new.now,
            };
            add_member(tx, &record)?;
            let change = joined(&record.id, &org);
            Ok((record, Some(change)))
        })
    }

    fn member_account(&self, id: &AccountId) -> Result<Option<MemberAccount>, StoreError> {
        self.pool.read(|client| member(client, id))
    }

    fn list_accounts(
        &self,
        organization: &OrganizationId,
        page: PageRequest,
    ) -> Result<Page<MemberAccount>, StoreError> {
        self.pool.read(|client| {
            existing_organization(client, organization)?;
            let rows = client.query(
                "SELECT seq, record FROM member_accounts
                 WHERE organization = $1 AND seq > $2 ORDER BY seq LIMIT $3",
                &[&organization.as_str(), &after(page), &fetch(page)],
            )?;
            codec::record_page(&rows, page)
        })
    }

    fn move_account(
        &self,
        account: &AccountId,
        source: &ParentId,
        destination: &ParentId,
    ) -> Result<(), StoreError> {
        self.directory_write(|tx| {
            let mut record =
                member(tx, account)?.ok_or_else(|| StoreError::AccountNotFound(account.clone()))?;
            let org = record.organization.clone();
            if !is_parent_in(tx, &org, source)? || &record.parent != source {
                return Err(StoreError::SourceParentNotFound(source.clone()).into());
            }
            if !is_parent_in(tx, &org, destination)? {
                return Err(StoreError::DestinationParentNotFound(destination.clone()).into());
            }
            if source == destination {
                return Err(StoreError::DuplicateAccount {
                    account: account.clone(),
                    parent: destination.clone(),
                }
                .into());
            }
            record.parent = destination.clone();
            tx.execute(
                "UPDATE member_accounts SET parent = $2, record = $3 WHERE id = $1",
                &[&account.as_str(), &destination.as_str(), &Json(&record)],
            )?;
            let change = Change::AccountPlaced {
                account: account.clone(),
                organization: org,
                from: Some(source.clone()),
                to: destination.clone(),
            };
            Ok(((), Some(change)))
        })
    }

    fn register_delegated_administrator(
        &self,
        organization: &OrganizationId,
        account: &AccountId,
        service_principal: &ServicePrincipal,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.directory_write(|tx| {
            existing_organization(tx, organization)?;
            let is_member = member(tx, account)?.is_some_and(|m| &m.organization == organization);
            if !is_member {
                return Err(StoreError::AccountNotFound(account.clone()).into());
            }
            let added = tx.execute(
                "INSERT INTO delegated_administrators
                     (organization, service_principal, account, since_millis, seq)
                 VALUES ($1, $2, $3, $4, nextval('list_order')) ON CONFLICT DO NOTHING",
                &[
                    &organization.as_str(),
                    &service_principal.as_str(),
                    &account.as_str(),
                    &now.epoch_millis(),
                ],
            )?;
            if added == 0 {
                return Err(StoreError::AccountAlreadyRegistered {
                    account: account.clone(),
                    service_principal: service_principal.clone(),
                }
                .into());
            }
            Ok(((), Some(Change::Organization(organization.clone()))))
        })
    }

    fn deregister_delegated_administrator(
        &self,
        organization: &OrganizationId,
        account: &AccountId,
        service_principal: &ServicePrincipal,
    ) -> Result<(), StoreError> {
        self.directory_write(|tx| {
            existing_organization(tx, organization)?;
            let removed = tx.execute(
                "DELETE FROM delegated_administrators
                 WHERE organization = $1 AND service_principal = $2 AND account = $3",
                &[
                    &organization.as_str(),
                    &service_principal.as_str(),
                    &account.as_str(),
                ],
            )?;
            if removed == 0 {
                return Err(StoreError::AccountNotRegistered {
                    account: account.clone(),
                    service_principal: service_principal.clone(),
                }
                .into());
            }
            Ok(((), Some(Change::Organization(organization.clone()))))
        })
    }

    fn list_delegated_administrators(
        &self,
        organization: &OrganizationId,
        service_principal: Option<&ServicePrincipal>,
    ) -> Result<Vec<DelegatedAdministratorRecord>, StoreError> {
        let service_principal = service_principal.map(ServicePrincipal::as_str);
        self.pool.read(|client| {
            existing_organization(client, organization)?;
            client
                .query(
                    "SELECT d.service_principal, d.since_millis, m.record
                     FROM delegated_administrators d
                     JOIN member_accounts m ON m.id = d.account
                     WHERE d.organization = $1
                       AND ($2::text IS NULL OR d.service_principal = $2)
                     ORDER BY d.seq",
                    &[&organization.as_str(), &service_principal],
                )?
                .iter()
                .map(|row| {
                    Ok(DelegatedAdministratorRecord {
                        account: codec::record(row, "record")?,
                        service_principal: codec::service_principal(row, "service_principal")?,
                        delegation_enabled: Timestamp::from_epoch_millis(get(row, "since_millis")?),
                    })
                })
                .collect()
        })
    }

    fn is_delegated_administrator(
        &self,
        account: &AccountId,
        service_principal: &ServicePrincipal,
    ) -> Result<bool, StoreError> {
        self.pool.read(|client| {
            let row = client.query_one(
                "SELECT EXISTS (
                    SELECT 1 FROM member_accounts m
                    JOIN delegated_administrators d
                      ON d.organization = m.organization AND d.account = m.id
                    WHERE m.id = $1 AND d.service_principal = $2) AS registered",
                &[&account.as_str(), &service_principal.as_str()],
            )?;
            get(&row, "registered")
        })
    }

    fn set_service_access(
        &self,
        organization: &OrganizationId,
        service_principal: &ServicePrincipal,
        enabled: bool,
    ) -> Result<bool, StoreError> {
        self.directory_write(|tx| {
            existing_organization(tx, organization)?;
            let key = [organization.as_str(), service_principal.as_str()];
            let changed = if enabled {
                tx.execute(
                    "INSERT INTO service_access (organization, service_principal)
                     VALUES ($1, $2) ON CONFLICT DO NOTHING",
                    &[&key[0], &key[1]],
                )?
            } else {
                let row = tx.query_one(
                    "SELECT count(*) AS n FROM delegated_administrators
                     WHERE organization = $1 AND service_principal = $2",
                    &[&key[0], &key[1]],
                )?;
                let count: i64 = get(&row, "n")?;
                if count > 0 {
                    return Err(StoreError::DelegatedAdministratorsRegistered {
                        service_principal: service_principal.clone(),
                        count: codec::parse(usize::try_from(count), "count")?,
                    }
                    .into());
                }
                tx.execute(
                    "DELETE FROM service_access
                     WHERE organization = $1 AND service_principal = $2",
                    &[&key[0], &key[1]],
                )?
            } == 1;
            let change = changed.then(|| Change::Organization(organization.clone()));
            Ok((changed, change))
        })
    }

    fn service_access(
        &self,
        organization: &OrganizationId,
        service_principal: &ServicePrincipal,
    ) -> Result<bool, StoreError> {
        self.pool.read(|client| {
            let row = client.query_one(
                "SELECT EXISTS (SELECT 1 FROM service_access
                                WHERE organization = $1 AND service_principal = $2) AS enabled",
                &[&organization.as_str(), &service_principal.as_str()],
            )?;
            get(&row, "enabled")
        })
    }

    fn accounts_under(&self, node: &OrganizationNodeValue) -> Result<Vec<AccountId>, StoreError> {
        self.pool.read(|client| match node {
            OrganizationNodeValue::Organization(org) => client
                .query(
                    "SELECT id FROM member_accounts WHERE organization = $1 ORDER BY seq",
                    &[&org.as_str()],
                )?
                .iter()
                .map(|row| codec::id(row, "id"))
                .collect(),
            OrganizationNodeValue::Account(account) => {
                Ok(member(client, account)?.map(|m| m.id).into_iter().collect())
            }
            OrganizationNodeValue::OrganizationalUnit(ou) => accounts_under_ou(client, ou),
        })
    }

    fn placement(&self, account: &AccountId) -> Result<Option<Arc<AccountPlacement>>, StoreError> {
        self.pool.read(|client| {
            let Some(row) = client.query_opt(
                "SELECT m.organization, m.parent, o.root FROM member_accounts m
                 JOIN organizations o ON o.id = m.organization
                 WHERE m.id = $1",
                &[&account.as_str()],
            )?
            else {
                return Ok(None);
            };
            let organization: OrganizationId = codec::id(&row, "organization")?;
            let root: RootId = codec::id(&row, "root")?;
            let parent: ParentId = codec::id(&row, "parent")?;
            // The OUs from the account's parent up to the root, nearest first.
            let ous = client.query(
                "WITH RECURSIVE up (id, parent, depth) AS (
                    SELECT id, parent, 0 FROM organizational_units WHERE id = $1
                    UNION ALL
                    SELECT o.id, o.parent, up.depth + 1
                    FROM organizational_units o JOIN up ON o.id = up.parent
                 )
                 SELECT id FROM up ORDER BY depth DESC",
                &[&parent.as_str()],
            )?;
            let ous = ous
                .iter()
                .map(|row| codec::id(row, "id"))
                .collect::<Result<Vec<OuId>, Fail>>()?;
            Ok(Some(Arc::new(AccountPlacement {
                organization,
                root,
                ous,
            })))
        })
    }
}

fn ou(row: &postgres::Row) -> Result<OuRecord, Fail> {
    Ok(OuRecord {
        id: codec::id(row, "id")?,
        organization: codec::id(row, "organization")?,
        parent: codec::id(row, "parent")?,
        name: get(row, "name")?,
    })
}

/// Every member account under the OU, transitively, in the memory store's order: depth first,
/// each parent's accounts in joining order before its OUs, the last-created OU visited first.
fn accounts_under_ou(
    client: &mut Sql<'_, postgres::Client>,
    ou: &OuId,
) -> Result<Vec<AccountId>, Fail> {
    let subtree = client.query(
        "WITH RECURSIVE down (id, parent, seq) AS (
            SELECT id, parent, seq FROM organizational_units WHERE id = $1
            UNION ALL
            SELECT o.id, o.parent, o.seq FROM organizational_units o JOIN down ON o.parent = down.id
         )
         SELECT id, parent, seq FROM down",
        &[&ou.as_str()],
    )?;
    if subtree.is_empty() {
        return Ok(Vec::new());
    }
    let mut child_ous: HashMap<String, Vec<(i64, String)>> = HashMap::new();
    let mut ids: Vec<String> = Vec::with_capacity(subtree.len());
    for row in &subtree {
        let id: String = get(row, "id")?;
        child_ous
            .entry(get(row, "parent")?)
            .or_default()
            .push((get(row, "seq")?, id.clone()));
        ids.push(id);
    }
    let mut child_accounts: HashMap<String, Vec<(i64, String)>> = HashMap::new();
    for row in client.query(
        "SELECT id, parent, seq FROM member_accounts WHERE parent = ANY ($1)",
        &[&ids],
    )? {
        child_accounts
            .entry(get(&row, "parent")?)
            .or_default()
            .push((get(&row, "seq")?, get(&row, "id")?));
    }
    let mut found = Vec::new();
    let mut stack = vec![ou.as_str().to_owned()];
    while let Some(parent) = stack.pop() {
        if let Some(accounts) = child_accounts.get_mut(&parent) {
            accounts.sort_unstable();
            for (_, id) in accounts.iter() {
                found.push(codec::parse(AccountId::parse(id), "account")?);
            }
        }
        if let Some(ous) = child_ous.get_mut(&parent) {
            ous.sort_unstable();
            stack.extend(ous.iter().map(|(_, id)| id.clone()));
        }
    }
    Ok(found)
}
