#![doc = include_str!("../README.md")]

mod database;
mod persister;

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use portcullis_model::{
    AccountId, CreateAccountRequestId, DescribePortfolioShareType, OrganizationId,
    OrganizationNodeValue, OuId, ParentId, PortfolioId, PortfolioShareToken, PrincipalId,
    PrincipalType, ProductId, Region, ServicePrincipal, Timestamp,
};
use portcullis_store::{
    AccountPlacement, AssociateOutcome, Association, CatalogStore, ChangeFeed, Changes,
    CreateAccountRecord, CreatedPortfolio, CreatedProduct, CreatedShare,
    DelegatedAdministratorRecord, DirectoryStore, IamStore, ImportKind, MemberAccount, MemoryStore,
    NewAccount, NewMember, NewOrganization, NewPortfolio, NewPrincipal, NewProduct, NewShare,
    OrganizationRecord, OuRecord, Page, PageRequest, PortfolioRecord, PortfolioSnapshot,
    PortfolioUpdate, Position, PrincipalRecord, ProductRecord, ProductStore, ProductUpdate,
    ShareChange, ShareOperation, ShareRecord, ShareTarget, ShareUpdate, StateReset, StoreError,
};

use portcullis_matcher::ResourceType;

use database::Database;
use persister::{Key, Persister};

/// The database file inside the data directory.
pub const DATABASE_FILE: &str = "portcullis.sqlite3";
/// The lock file inside the data directory: held (an OS file lock) while a store has it open.
pub const LOCK_FILE: &str = "portcullis.lock";

/// Why a data directory could not be opened. Each message names the file it is about.
#[derive(Debug)]
pub enum OpenError {
    /// The directory or a file in it could not be created or read.
    Io(PathBuf, std::io::Error),
    /// Another process holds the directory.
    InUse(PathBuf),
    /// The database was written by a newer portcullis.
    NewerFormat {
        /// The database file.
        file: PathBuf,
        /// Its format.
        found: i64,
        /// The newest format this build reads.
        supported: i64,
    },
    /// The database is not a portcullis database, or is damaged.
    Damaged(PathBuf, String),
}

impl std::fmt::Display for OpenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OpenError::Io(path, e) => write!(f, "cannot use `{}`: {e}", path.display()),
            OpenError::InUse(path) => write!(
                f,
                "the data directory is in use by another portcullis process (it holds `{}`); stop \
                 it, or give this one another `--data-dir`",
                path.display()
            ),
            OpenError::NewerFormat {
                file,
                found,
                supported,
            } => write!(
                f,
                "`{}` was written by a newer portcullis (format {found}; this one reads up to \
                 format {supported}); nothing was changed",
                file.display()
            ),
            OpenError::Damaged(file, reason) => write!(
                f,
                "`{}` is not a portcullis database or is damaged: {reason}; nothing was changed",
                file.display()
            ),
        }
    }
}

impl std::error::Error for OpenError {}

/// portcullis's embedded durable store.
///
/// Reads are answered by a [`MemoryStore`] holding the whole state. Every change is applied to
/// it and then written, as the rows it touched, to a SQLite database in write-ahead-log mode
/// with `synchronous=FULL`; a method that changes state returns only once that write is synced.
/// Writes of concurrent callers share one transaction and one sync (group commit). At open, the
/// database is read whole into memory. A second store cannot open the same data directory while
/// one holds it (an OS file lock).
pub struct SqliteStore {
    memory: Arc<MemoryStore>,
    persister: Persister,
    acknowledge: Acknowledge,
    /// Taken for reading by every change until it is durable, and for writing by a reset, so
    /// that the reset's clearing of the database is ordered after every change before it and
    /// before every change after it.
    gate: parking_lot::RwLock<()>,
    directory: PathBuf,
    /// Held for the store's lifetime; the OS releases it when the process ends, however it ends.
    _lock: File,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("directory", &self.directory)
            .finish_non_exhaustive()
    }
}

/// When a method that changes state returns.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Acknowledge {
    /// Once its change is synced ([`SqliteStore::open`]): the caller may acknowledge it at once.
    #[default]
    Synced,
    /// As soon as its change is queued for the next batch; the caller must wait for
    /// [`SqliteStore::synced_since`] before it acknowledges the change to anyone. For a server
    /// that waits without holding a thread: a request waiting for its sync is a suspended task,
    /// not a blocked thread, and thousands of them cost no context switches.
    Deferred,
}

/// A point in the sequence of changes queued for writing ([`SqliteStore::horizon`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Horizon(u64);

impl SqliteStore {
    /// Opens (creating it if needed) the store in `directory`; each method returns once its
    /// change is synced.
    pub fn open(directory: impl AsRef<Path>) -> Result<SqliteStore, OpenError> {
        SqliteStore::open_with(directory, Acknowledge::Synced)
    }

    /// Opens (creating it if needed) the store in `directory`, acknowledging changes as
    /// `acknowledge` says.
    pub fn open_with(
        directory: impl AsRef<Path>,
        acknowledge: Acknowledge,
    ) -> Result<SqliteStore, OpenError> {
        let directory = directory.as_ref().to_path_buf();
        std::fs::create_dir_all(&directory).map_err(|e| OpenError::Io(directory.clone(), e))?;
        let lock_path = directory.join(LOCK_FILE);
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| OpenError::Io(lock_path.clone(), e))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => return Err(OpenError::InUse(lock_path)),
            Err(std::fs::TryLockError::Error(e)) => return Err(OpenError::Io(lock_path, e)),
        }
        let mut database = Database::open(&directory.join(DATABASE_FILE))?;
        let state = database.load()?;
        let memory = MemoryStore::restore(state, MemoryStore::DEFAULT_CHANGE_LOG_CAPACITY)
            .map_err(|e| OpenError::Damaged(directory.join(DATABASE_FILE), e.to_string()))?;
        let memory = Arc::new(memory);
        let persister = Persister::start(database, Arc::clone(&memory))
            .map_err(|e| OpenError::Io(directory.join(DATABASE_FILE), e))?;
        Ok(SqliteStore {
            memory,
            persister,
            acknowledge,
            gate: parking_lot::RwLock::new(()),
            directory,
            _lock: lock,
        })
    }

    /// The data directory.
    pub fn directory(&self) -> &Path {
        &self.directory
    }

    /// Everything queued for writing so far: with [`Acknowledge::Deferred`], take it before a
    /// call and pass it to [`SqliteStore::synced_since`] after.
    pub fn horizon(&self) -> Horizon {
        Horizon(self.persister.horizon())
    }

    /// Waits, without blocking the thread, until every change queued so far is synced; fails
    /// with [`StoreError::Unavailable`] if a change queued after `before` could not be
    /// written. With [`Acknowledge::Deferred`], a change made between taking `before` and
    /// calling this may be acknowledged once this answers `Ok`; a call that changed nothing
    /// (an idempotent repeat) waits the same way, for the change it repeats.
    pub async fn synced_since(&self, before: Horizon) -> Result<(), StoreError> {
        let through = self.persister.horizon();
        self.persister.synced(before.0, through).await
    }

    /// Queues `keys` for writing; with [`Acknowledge::Synced`], waits until they, and
    /// everything queued before, are synced.
    fn durable(&self, keys: Vec<Key>) -> Result<(), StoreError> {
        match self.acknowledge {
            Acknowledge::Synced => self.persister.persist(keys),
            Acknowledge::Deferred => self.persister.enqueue(keys),
        }
    }

    /// `result`, once the keys it touched are durable; a refusal changed nothing and is
    /// answered at once.
    fn after<T>(
        &self,
        result: Result<T, StoreError>,
        keys: impl FnOnce(&T) -> Vec<Key>,
    ) -> Result<T, StoreError> {
        let _gate = self.gate.read();
        let value = result?;
        self.durable(keys(&value))?;
        Ok(value)
    }
}

impl StateReset for SqliteStore {
    fn reset(&self) -> Result<(), StoreError> {
        let _gate = self.gate.write();
        self.memory.reset()?;
        self.durable(vec![Key::Reset])
    }
}

impl ChangeFeed for SqliteStore {
    fn version(&self) -> u64 {
        self.memory.version()
    }

    fn changes_since(&self, version: u64) -> Result<Changes, StoreError> {
        self.memory.changes_since(version)
    }
}

fn portfolio(id: &PortfolioId) -> Key {
    Key::Portfolio(id.clone())
}

impl CatalogStore for SqliteStore {
    fn create_portfolio(&self, new: NewPortfolio) -> Result<CreatedPortfolio, StoreError> {
        let idempotency = new
            .idempotency_token
            .clone()
            .map(|token| Key::Idempotency(new.owner.clone(), new.region.clone(), token));
        self.after(self.memory.create_portfolio(new), |created| {
            let mut keys = vec![portfolio(&created.portfolio.id)];
            keys.extend(idempotency);
            keys
        })
    }

    fn portfolio(&self, id: &PortfolioId) -> Result<Option<PortfolioRecord>, StoreError> {
        self.memory.portfolio(id)
    }

    fn visit_portfolio(
        &self,
        id: &PortfolioId,
        visit: &mut dyn FnMut(&PortfolioRecord),
    ) -> Result<bool, StoreError> {
        self.memory.visit_portfolio(id, visit)
    }

    fn update_portfolio(
        &self,
        id: &PortfolioId,
        update: PortfolioUpdate,
    ) -> Result<PortfolioRecord, StoreError> {
        self.after(self.memory.update_portfolio(id, update), |_| {
            vec![portfolio(id)]
        })
    }

    fn delete_portfolio(&self, id: &PortfolioId) -> Result<PortfolioRecord, StoreError> {
        self.after(self.memory.delete_portfolio(id), |_| vec![portfolio(id)])
    }

    fn list_portfolios(
        &self,
        owner: &AccountId,
        region: &Region,
        page: PageRequest,
    ) -> Result<Page<PortfolioRecord>, StoreError> {
        self.memory.list_portfolios(owner, region, page)
    }

    fn associate(
        &self,
        portfolio_id: &PortfolioId,
        account: &AccountId,
        association: Association,
        limit: usize,
    ) -> Result<AssociateOutcome, StoreError> {
        self.after(
            self.memory
                .associate(portfolio_id, account, association, limit),
            |_| vec![portfolio(portfolio_id)],
        )
    }

    fn disassociate(
        &self,
        portfolio_id: &PortfolioId,
        account: &AccountId,
        principal_type: PrincipalType,
        principal_arn: &str,
    ) -> Result<(), StoreError> {
        self.after(
            self.memory
                .disassociate(portfolio_id, account, principal_type, principal_arn),
            |_| vec![portfolio(portfolio_id)],
        )
    }

    fn list_associations(
        &self,
        portfolio_id: &PortfolioId,
        account: &AccountId,
        page: PageRequest,
    ) -> Result<Page<Association>, StoreError> {
        self.memory.list_associations(portfolio_id, account, page)
    }

    fn create_share(
        &self,
        portfolio_id: &PortfolioId,
        new: NewShare,
        max_shares: usize,
    ) -> Result<CreatedShare, StoreError> {
        self.after(
            self.memory.create_share(portfolio_id, new, max_shares),
            |created| {
                let mut keys = vec![portfolio(portfolio_id)];
                keys.extend(created.share.token.clone().map(Key::ShareOperation));
                keys
            },
        )
    }

    fn share(
        &self,
        portfolio_id: &PortfolioId,
        target: &ShareTarget,
    ) -> Result<Option<ShareRecord>, StoreError> {
        self.memory.share(portfolio_id, target)
    }

    fn update_share(
        &self,
        portfolio_id: &PortfolioId,
        target: &ShareTarget,
        update: ShareUpdate,
    ) -> Result<ShareChange, StoreError> {
        self.after(
            self.memory.update_share(portfolio_id, target, update),
            |change| share_change_keys(portfolio_id, change),
        )
    }

    fn delete_share(
        &self,
        portfolio_id: &PortfolioId,
        target: &ShareTarget,
        track: bool,
    ) -> Result<ShareChange, StoreError> {
        self.after(
            self.memory.delete_share(portfolio_id, target, track),
            |change| share_change_keys(portfolio_id, change),
        )
    }

    fn list_shares(
        &self,
        portfolio_id: &PortfolioId,
        share_type: Option<DescribePortfolioShareType>,
        page: PageRequest,
    ) -> Result<Page<ShareRecord>, StoreError> {
        self.memory.list_shares(portfolio_id, share_type, page)
    }

    fn visit_shares(
        &self,
        portfolio_id: &PortfolioId,
        share_type: Option<DescribePortfolioShareType>,
        page: PageRequest,
        visit: &mut dyn FnMut(&ShareRecord),
    ) -> Result<Option<Position>, StoreError> {
        self.memory
            .visit_shares(portfolio_id, share_type, page, visit)
    }

    fn share_operation(
        &self,
        token: &PortfolioShareToken,
    ) -> Result<Option<ShareOperation>, StoreError> {
        self.memory.share_operation(token)
    }

    fn delete_shares_created_by(
        &self,
        creator: &AccountId,
        organization_nodes_only: bool,
    ) -> Result<Vec<(PortfolioId, ShareRecord)>, StoreError> {
        self.after(
            self.memory
                .delete_shares_created_by(creator, organization_nodes_only),
            |removed| removed.iter().map(|(id, _)| portfolio(id)).collect(),
        )
    }

    fn accept_account_share(
        &self,
        portfolio_id: &PortfolioId,
        recipient: &AccountId,
    ) -> Result<(), StoreError> {
        self.after(
            self.memory.accept_account_share(portfolio_id, recipient),
            |_| vec![portfolio(portfolio_id)],
        )
    }

    fn reject_account_share(
        &self,
        portfolio_id: &PortfolioId,
        recipient: &AccountId,
    ) -> Result<(), StoreError> {
        self.after(
            self.memory.reject_account_share(portfolio_id, recipient),
            |_| vec![portfolio(portfolio_id)],
        )
    }

    fn import_organization_share(
        &self,
        portfolio_id: &PortfolioId,
        recipient: &AccountId,
    ) -> Result<bool, StoreError> {
        self.after(
            self.memory
                .import_organization_share(portfolio_id, recipient),
            |_| vec![portfolio(portfolio_id)],
        )
    }

    fn remove_organization_import(
        &self,
        portfolio_id: &PortfolioId,
        recipient: &AccountId,
    ) -> Result<bool, StoreError> {
        self.after(
            self.memory
                .remove_organization_import(portfolio_id, recipient),
            |_| vec![portfolio(portfolio_id)],
        )
    }

    fn is_imported(
        &self,
        portfolio_id: &PortfolioId,
        recipient: &AccountId,
        kind: ImportKind,
    ) -> Result<bool, StoreError> {
        self.memory.is_imported(portfolio_id, recipient, kind)
    }

    fn list_imports(
        &self,
        recipient: &AccountId,
        region: &Region,
        kind: ImportKind,
    ) -> Result<Vec<(Position, PortfolioRecord)>, StoreError> {
        self.memory.list_imports(recipient, region, kind)
    }

    fn portfolio_snapshot(
        &self,
        id: &PortfolioId,
    ) -> Result<Option<PortfolioSnapshot>, StoreError> {
        self.memory.portfolio_snapshot(id)
    }

    fn for_each_portfolio(&self, f: &mut dyn FnMut(PortfolioSnapshot)) -> Result<(), StoreError> {
        self.memory.for_each_portfolio(f)
    }
}

fn share_change_keys(portfolio_id: &PortfolioId, change: &ShareChange) -> Vec<Key> {
    let mut keys = vec![portfolio(portfolio_id)];
    keys.extend(change.token.clone().map(Key::ShareOperation));
    keys
}

impl ProductStore for SqliteStore {
    fn create_product(&self, new: NewProduct) -> Result<CreatedProduct, StoreError> {
        let idempotency = new
            .idempotency_token
            .clone()
            .map(|token| Key::ProductIdempotency(new.owner.clone(), new.region.clone(), token));
        self.after(self.memory.create_product(new), |created| {
            let mut keys = vec![Key::Product(created.product.id.clone())];
            keys.extend(idempotency);
            keys
        })
    }

    fn product(&self, id: &ProductId) -> Result<Option<ProductRecord>, StoreError> {
        self.memory.product(id)
    }

    fn product_by_name(
        &self,
        owner: &AccountId,
        region: &Region,
        name: &str,
    ) -> Result<Option<ProductRecord>, StoreError> {
        self.memory.product_by_name(owner, region, name)
    }

    fn update_product(
        &self,
        id: &ProductId,
        update: ProductUpdate,
    ) -> Result<ProductRecord, StoreError> {
        self.after(self.memory.update_product(id, update), |_| {
            vec![Key::Product(id.clone())]
        })
    }

    fn delete_product(&self, id: &ProductId) -> Result<ProductRecord, StoreError> {
        self.after(self.memory.delete_product(id), |_| {
            vec![Key::Product(id.clone())]
        })
    }

    fn list_products(
        &self,
        owner: &AccountId,
        region: &Region,
        page: PageRequest,
    ) -> Result<Page<ProductRecord>, StoreError> {
        self.memory.list_products(owner, region, page)
    }

    /// The association is kept in the portfolio's row (restored onto the product's side at
    /// open), so only the portfolio's row is written.
    fn associate_product(
        &self,
        product: &ProductId,
        portfolio_id: &PortfolioId,
    ) -> Result<portcullis_store::AssociateOutcome, StoreError> {
        self.after(self.memory.associate_product(product, portfolio_id), |_| {
            vec![portfolio(portfolio_id)]
        })
    }

    fn disassociate_product(
        &self,
        product: &ProductId,
        portfolio_id: &PortfolioId,
    ) -> Result<(), StoreError> {
        self.after(
            self.memory.disassociate_product(product, portfolio_id),
            |_| vec![portfolio(portfolio_id)],
        )
    }

    fn list_portfolios_for_product(
        &self,
        product: &ProductId,
        owner: &AccountId,
        page: PageRequest,
    ) -> Result<Page<PortfolioRecord>, StoreError> {
        self.memory
            .list_portfolios_for_product(product, owner, page)
    }

    fn list_products_for_portfolio(
        &self,
        portfolio_id: &PortfolioId,
        page: PageRequest,
    ) -> Result<Page<ProductRecord>, StoreError> {
        self.memory.list_products_for_portfolio(portfolio_id, page)
    }

    fn visit_products_for_portfolio(
        &self,
        portfolio_id: &PortfolioId,
        f: &mut dyn FnMut(&ProductRecord),
    ) -> Result<(), StoreError> {
        self.memory.visit_products_for_portfolio(portfolio_id, f)
    }
}

impl IamStore for SqliteStore {
    fn create_principal(&self, new: NewPrincipal) -> Result<PrincipalRecord, StoreError> {
        self.after(self.memory.create_principal(new), |p| {
            vec![Key::Principal(p.id.clone())]
        })
    }

    fn principal(
        &self,
        account: &AccountId,
        principal_type: ResourceType,
        name: &str,
    ) -> Result<Option<PrincipalRecord>, StoreError> {
        self.memory.principal(account, principal_type, name)
    }

    fn principal_by_id(&self, id: &PrincipalId) -> Result<Option<PrincipalRecord>, StoreError> {
        self.memory.principal_by_id(id)
    }

    fn principal_id_by_arn(
        &self,
        arn: &portcullis_matcher::PrincipalArn,
    ) -> Result<Option<PrincipalId>, StoreError> {
        self.memory.principal_id_by_arn(arn)
    }

    fn delete_principal(
        &self,
        account: &AccountId,
        principal_type: ResourceType,
        name: &str,
        now: Timestamp,
    ) -> Result<PrincipalRecord, StoreError> {
        self.after(
            self.memory
                .delete_principal(account, principal_type, name, now),
            |p| vec![Key::Principal(p.id.clone())],
        )
    }

    fn list_principals(
        &self,
        account: &AccountId,
        principal_type: Option<ResourceType>,
    ) -> Result<Vec<PrincipalRecord>, StoreError> {
        self.memory.list_principals(account, principal_type)
    }
}

impl DirectoryStore for SqliteStore {
    fn create_organization(&self, new: NewOrganization) -> Result<OrganizationRecord, StoreError> {
        let management = new.management_account.clone();
        self.after(self.memory.create_organization(new), |org| {
            vec![
                Key::Organization(org.id.clone()),
                Key::Member(management.clone()),
            ]
        })
    }

    fn organization(&self, id: &OrganizationId) -> Result<Option<OrganizationRecord>, StoreError> {
        self.memory.organization(id)
    }

    fn organization_of(
        &self,
        account: &AccountId,
    ) -> Result<Option<OrganizationRecord>, StoreError> {
        self.memory.organization_of(account)
    }

    fn create_organizational_unit(
        &self,
        organization: &OrganizationId,
        parent: &ParentId,
        name: &str,
    ) -> Result<OuRecord, StoreError> {
        self.after(
            self.memory
                .create_organizational_unit(organization, parent, name),
            |ou| vec![Key::Ou(ou.id.clone())],
        )
    }

    fn organizational_unit(&self, id: &OuId) -> Result<Option<OuRecord>, StoreError> {
        self.memory.organizational_unit(id)
    }

    fn list_organizational_units(
        &self,
        organization: &OrganizationId,
        parent: &ParentId,
        page: PageRequest,
    ) -> Result<Page<OuRecord>, StoreError> {
        self.memory
            .list_organizational_units(organization, parent, page)
    }

    fn create_account(
        &self,
        organization: &OrganizationId,
        new: NewAccount,
    ) -> Result<CreateAccountRecord, StoreError> {
        self.after(self.memory.create_account(organization, new), |request| {
            let mut keys = vec![Key::CreateAccountRequest(request.id.clone())];
            keys.extend(request.account_id.clone().map(Key::Member));
            keys
        })
    }

    fn create_account_status(
        &self,
        id: &CreateAccountRequestId,
    ) -> Result<Option<CreateAccountRecord>, StoreError> {
        self.memory.create_account_status(id)
    }

    fn add_member_account(
        &self,
        organization: &OrganizationId,
        new: NewMember,
    ) -> Result<MemberAccount, StoreError> {
        self.after(self.memory.add_member_account(organization, new), |m| {
            vec![Key::Member(m.id.clone())]
        })
    }

    fn member_account(&self, id: &AccountId) -> Result<Option<MemberAccount>, StoreError> {
        self.memory.member_account(id)
    }

    fn list_accounts(
        &self,
        organization: &OrganizationId,
        page: PageRequest,
    ) -> Result<Page<MemberAccount>, StoreError> {
        self.memory.list_accounts(organization, page)
    }

    fn move_account(
        &self,
        account: &AccountId,
        source: &ParentId,
        destination: &ParentId,
    ) -> Result<(), StoreError> {
        self.after(
            self.memory.move_account(account, source, destination),
            |_| vec![Key::Member(account.clone())],
        )
    }

    fn register_delegated_administrator(
        &self,
        organization: &OrganizationId,
        account: &AccountId,
        service_principal: &ServicePrincipal,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.after(
            self.memory.register_delegated_administrator(
                organization,
                account,
                service_principal,
                now,
            ),
            |_| vec![Key::Organization(organization.clone())],
        )
    }

    fn deregister_delegated_administrator(
        &self,
        organization: &OrganizationId,
        account: &AccountId,
        service_principal: &ServicePrincipal,
    ) -> Result<(), StoreError> {
        self.after(
            self.memory.deregister_delegated_administrator(
                organization,
                account,
                service_principal,
            ),
            |_| vec![Key::Organization(organization.clone())],
        )
    }

    fn list_delegated_administrators(
        &self,
        organization: &OrganizationId,
        service_principal: Option<&ServicePrincipal>,
    ) -> Result<Vec<DelegatedAdministratorRecord>, StoreError> {
        self.memory
            .list_delegated_administrators(organization, service_principal)
    }

    fn is_delegated_administrator(
        &self,
        account: &AccountId,
        service_principal: &ServicePrincipal,
    ) -> Result<bool, StoreError> {
        self.memory
            .is_delegated_administrator(account, service_principal)
    }

    fn set_service_access(
        &self,
        organization: &OrganizationId,
        service_principal: &ServicePrincipal,
        enabled: bool,
    ) -> Result<bool, StoreError> {
        self.after(
            self.memory
                .set_service_access(organization, service_principal, enabled),
            |_| vec![Key::Organization(organization.clone())],
        )
    }

    fn service_access(
        &self,
        organization: &OrganizationId,
        service_principal: &ServicePrincipal,
    ) -> Result<bool, StoreError> {
        self.memory.service_access(organization, service_principal)
    }

    fn accounts_under(&self, node: &OrganizationNodeValue) -> Result<Vec<AccountId>, StoreError> {
        self.memory.accounts_under(node)
    }

    fn placement(&self, account: &AccountId) -> Result<Option<Arc<AccountPlacement>>, StoreError> {
        self.memory.placement(account)
    }
}
