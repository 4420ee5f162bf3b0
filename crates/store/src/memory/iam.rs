//! The IAM principal directory ([`crate::IamStore`]) of the memory store.

use std::collections::{BTreeMap, HashMap};

use portcullis_matcher::{PrincipalArn, ResourceType};
use portcullis_model::{AccountId, PrincipalId, Timestamp};

use super::MemoryStore;
use crate::IamStore;
use crate::error::StoreError;
use crate::iam::{NewPrincipal, PrincipalRecord, name_key, principal_id_prefix};
use crate::types::Change;

/// (account, type, name ignoring case).
type NameKey = (AccountId, ResourceType, String);

/// Every principal ever created, and the existing ones by name.
#[derive(Default)]
pub(super) struct Principals {
    /// Every id handed out, deleted principals' included.
    by_id: HashMap<PrincipalId, PrincipalRecord>,
    /// Existing principals, ordered by account, type and name ignoring case.
    live: BTreeMap<NameKey, PrincipalId>,
    /// Existing principals by ARN: the check path's lookup, without allocating.
    by_arn: HashMap<Box<str>, PrincipalId>,
}

impl Principals {
    /// Every record, deleted ones included (for the durable stores).
    pub(super) fn rows(&self) -> Vec<PrincipalRecord> {
        self.by_id.values().cloned().collect()
    }

    pub(super) fn row(&self, id: &PrincipalId) -> Option<PrincipalRecord> {
        self.by_id.get(id).cloned()
    }

    /// The directory holding `records`.
    pub(super) fn restore(records: Vec<PrincipalRecord>) -> Principals {
        let mut principals = Principals::default();
        for record in records {
            if record.exists() {
                principals
                    .by_arn
                    .insert(Box::from(record.arn.as_str()), record.id.clone());
                principals.live.insert(
                    (
                        record.account.clone(),
                        record.principal_type,
                        name_key(&record.name),
                    ),
                    record.id.clone(),
                );
            }
            principals.by_id.insert(record.id.clone(), record);
        }
        principals
    }

    fn live(&self, key: &NameKey) -> Option<&PrincipalRecord> {
        self.live.get(key).and_then(|id| self.by_id.get(id))
    }
}

fn key(account: &AccountId, principal_type: ResourceType, name: &str) -> NameKey {
    (account.clone(), principal_type, name_key(name))
}

impl IamStore for MemoryStore {
    fn create_principal(&self, new: NewPrincipal) -> Result<PrincipalRecord, StoreError> {
        let _gate = self.gate.read();
        let mut principals = self.principals.write();
        let at = key(&new.account, new.principal_type, &new.name);
        if principals.live.contains_key(&at) {
            return Err(StoreError::PrincipalExists {
                account: new.account,
                principal_type: new.principal_type,
                name: new.name,
            });
        }
        let mut rng = rand::rng();
        let id = loop {
            let id = PrincipalId::generate(&mut rng, principal_id_prefix(new.principal_type));
            if !principals.by_id.contains_key(&id) {
                break id;
            }
        };
        let record = PrincipalRecord {
            id: id.clone(),
            account: new.account,
            principal_type: new.principal_type,
            path: new.path,
            name: new.name,
            arn: new.arn,
            created: new.created,
            role: new.role,
            deleted: None,
        };
        principals.live.insert(at, id.clone());
        principals
            .by_arn
            .insert(Box::from(record.arn.as_str()), id.clone());
        principals.by_id.insert(id.clone(), record.clone());
        self.record(Change::Principal(id));
        Ok(record)
    }

    fn principal(
        &self,
        account: &AccountId,
        principal_type: ResourceType,
        name: &str,
    ) -> Result<Option<PrincipalRecord>, StoreError> {
        Ok(self
            .principals
            .read()
            .live(&key(account, principal_type, name))
            .cloned())
    }

    fn principal_by_id(&self, id: &PrincipalId) -> Result<Option<PrincipalRecord>, StoreError> {
        let _gate = self.gate.read();
        Ok(self.principals.read().row(id))
    }

    fn principal_id_by_arn(&self, arn: &PrincipalArn) -> Result<Option<PrincipalId>, StoreError> {
        let _gate = self.gate.read();
        Ok(self.principals.read().by_arn.get(arn.as_str()).cloned())
    }

    fn delete_principal(
        &self,
        account: &AccountId,
        principal_type: ResourceType,
        name: &str,
        now: Timestamp,
    ) -> Result<PrincipalRecord, StoreError> {
        let _gate = self.gate.read();
        let mut principals = self.principals.write();
        let not_found = || StoreError::PrincipalNotFound {
            account: account.clone(),
            principal_type,
            name: name.to_owned(),
        };
        let id = principals
            .live
            .remove(&key(account, principal_type, name))
            .ok_or_else(not_found)?;
        let record = principals.by_id.get_mut(&id).ok_or_else(not_found)?;
        record.deleted = Some(now);
        let record = record.clone();
        principals.by_arn.remove(record.arn.as_str());
        self.record(Change::Principal(id));
        Ok(record)
    }

    fn list_principals(
        &self,
        account: &AccountId,
        principal_type: Option<ResourceType>,
    ) -> Result<Vec<PrincipalRecord>, StoreError> {
        let principals = self.principals.read();
        let types: Vec<ResourceType> = match principal_type {
            Some(t) => vec![t],
            None => ResourceType::ALL.to_vec(),
        };
        let mut out = Vec::new();
        for t in types {
            let from = (account.clone(), t, String::new());
            out.extend(
                principals
                    .live
                    .range(from..)
                    .take_while(|((a, pt, _), _)| a == account && *pt == t)
                    .filter_map(|(_, id)| principals.by_id.get(id).cloned()),
            );
        }
        Ok(out)
    }
}
