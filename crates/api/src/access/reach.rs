//! SPEC §5.4 and §6 in one place: which shares cover an account, and how an association reaches
//! a principal. `check_access`, the reverse query's index, the revoke view and every operation
//! that asks "is this portfolio shared with the caller" derive their answers from here.

use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use portcullis_matcher::PrincipalArn;
use portcullis_model::{AccountId, Partition, PrincipalId, PrincipalType};
use portcullis_store::{
    AccountPlacement, Association, ImportKind, PortfolioRecord, PortfolioSnapshot, ShareRecord,
    ShareTarget, Store, StoreError,
};

use super::{Grant, GrantVia};

/// How a recipient imports a portfolio that reaches it through `share`: by accepting an account
/// share, or by importing through an organization share.
pub(crate) fn import_kind_for(share: &ShareRecord) -> ImportKind {
    match share.target {
        ShareTarget::Account(_) => ImportKind::AccountShare,
        _ => ImportKind::OrganizationShare,
    }
}

/// Whether `share` covers `account` (SPEC §5.4): an accepted account share with it, or an
/// organization-node share whose node contains it, judged from where the account sits in its
/// organization (`None`: in no organization).
pub(crate) fn share_covers(
    share: &ShareRecord,
    account: &AccountId,
    placement: Option<&AccountPlacement>,
) -> bool {
    match &share.target {
        ShareTarget::Account(a) => a == account && share.accepted,
        ShareTarget::Organization(o) => placement.is_some_and(|p| p.organization == *o),
        ShareTarget::OrganizationalUnit(ou) => placement.is_some_and(|p| p.ous.contains(ou)),
        ShareTarget::OrganizationMemberAccount(a) => a == account && placement.is_some(),
    }
}

/// Whether an association grants `principal` (SPEC §4.3, §4.4): the identical ARN for an `IAM`
/// association bound to a name; the principal itself for one bound to a principal (`id` is the
/// unique id of the principal that holds the ARN now, if one exists); a match for
/// `IAM_PATTERN`.
pub(crate) fn association_matches(
    association: &Association,
    principal: &PrincipalArn,
    id: Option<&PrincipalId>,
) -> bool {
    match association {
        Association::Iam(arn) => arn.as_str() == principal.as_str(),
        Association::Principal(bound) => id == Some(bound),
        Association::Pattern(pattern) => pattern.matches(principal),
    }
}

/// How a portfolio reaches one account other than its owner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Recipient {
    /// The shares that cover the account (indexes into the portfolio's shares), in share order;
    /// never empty.
    covering: Vec<usize>,
    /// The first covering share through which the account imported the portfolio: while there
    /// is one, the account's own associations count.
    import: Option<usize>,
}

impl Recipient {
    /// How `shares` reach `account`, or `None` when no share covers it. `imported` says whether
    /// the account holds an import of a kind.
    pub(crate) fn of(
        shares: &[ShareRecord],
        account: &AccountId,
        placement: Option<&AccountPlacement>,
        imported: impl Fn(ImportKind) -> bool,
    ) -> Option<Recipient> {
        Recipient::among(shares, 0..shares.len(), account, placement, imported)
    }

    /// [`Recipient::of`], looking only at the shares `candidates` (indexes, in share order)
    /// names: the others are known not to cover the account.
    pub(crate) fn among(
        shares: &[ShareRecord],
        candidates: impl IntoIterator<Item = usize>,
        account: &AccountId,
        placement: Option<&AccountPlacement>,
        imported: impl Fn(ImportKind) -> bool,
    ) -> Option<Recipient> {
        let covering: Vec<usize> = candidates
            .into_iter()
            .filter(|i| {
                shares
                    .get(*i)
                    .is_some_and(|s| share_covers(s, account, placement))
            })
            .collect();
        if covering.is_empty() {
            return None;
        }
        let import = covering
            .iter()
            .copied()
            .find(|i| shares.get(*i).is_some_and(|s| imported(import_kind_for(s))));
        Some(Recipient { covering, import })
    }

    /// The covering shares.
    pub(crate) fn covering<'a>(
        &'a self,
        shares: &'a [ShareRecord],
    ) -> impl Iterator<Item = &'a ShareRecord> + 'a {
        self.covering.iter().filter_map(|i| shares.get(*i))
    }

    /// Whether the account imported the portfolio through a covering share.
    pub(crate) fn imported(&self) -> bool {
        self.import.is_some()
    }
}

/// One account's associations on a portfolio.
#[derive(Clone, Debug, Default)]
pub(crate) struct Holder {
    /// In association order.
    ordered: Vec<Association>,
    /// The `IAM` associations' keys (ARNs, and unique ids of principals they are bound to), to
    /// answer "is this principal associated" without a scan.
    iam: HashSet<Box<str>>,
}

impl Holder {
    fn new(ordered: Vec<Association>) -> Holder {
        let iam = ordered
            .iter()
            .filter(|a| a.principal_type() == PrincipalType::Iam)
            .map(|a| Box::from(a.arn()))
            .collect();
        Holder { ordered, iam }
    }

    /// The associations, in association order.
    pub(crate) fn associations(&self) -> &[Association] {
        &self.ordered
    }

    /// The associations that grant `principal` by its ARN, in association order.
    fn matching<'a>(
        &'a self,
        principal: &'a PrincipalArn,
        id: Option<&'a PrincipalId>,
    ) -> impl Iterator<Item = &'a Association> + 'a {
        self.ordered
            .iter()
            .filter(move |a| association_matches(a, principal, id))
    }

    /// Whether an association of `principal_type` grants `principal` (whose unique id is `id`).
    fn any_matching(
        &self,
        principal: &PrincipalArn,
        id: Option<&PrincipalId>,
        principal_type: PrincipalType,
    ) -> bool {
        match principal_type {
            PrincipalType::Iam => {
                self.iam.contains(principal.as_str())
                    || id.is_some_and(|id| self.iam.contains(id.as_str()))
            }
            PrincipalType::IamPattern => self
                .ordered
                .iter()
                .any(|a| matches!(a, Association::Pattern(p) if p.matches(principal))),
        }
    }
}

/// Where a principal's account sits: the account and, when it is in an organization, its
/// placement there. Coverage by organization-node shares is judged from this at query time, so
/// an account moving between OUs changes no portfolio's entry. The placement is read from the
/// directory only if a portfolio with an organization-node share asks for it.
pub(crate) struct Whereabouts<'a> {
    /// The account.
    pub(crate) account: &'a AccountId,
    /// The unique id of the principal asked about, when one holds its ARN now (SPEC §4.4).
    pub(crate) principal_id: Option<PrincipalId>,
    store: &'a dyn Store,
    placement: OnceCell<Option<Arc<AccountPlacement>>>,
    failed: OnceCell<StoreError>,
}

impl<'a> Whereabouts<'a> {
    /// `account`, placed by `store`'s directory when asked.
    pub(crate) fn new(account: &'a AccountId, store: &'a dyn Store) -> Whereabouts<'a> {
        Whereabouts {
            account,
            principal_id: None,
            store,
            placement: OnceCell::new(),
            failed: OnceCell::new(),
        }
    }

    /// The same, for the principal whose unique id is `id` (`None`: no principal holds the ARN).
    pub(crate) fn with_principal_id(self, id: Option<PrincipalId>) -> Whereabouts<'a> {
        Whereabouts {
            principal_id: id,
            ..self
        }
    }

    /// Where the account sits in its organization, if it is in one.
    fn placement(&self) -> Option<&AccountPlacement> {
        self.placement
            .get_or_init(|| match self.store.placement(self.account) {
                Ok(placement) => placement,
                Err(e) => {
                    // Reported by `finish`: the answer built meanwhile is thrown away.
                    let _ = self.failed.set(e);
                    None
                }
            })
            .as_deref()
    }

    /// `answer`, unless reading the placement failed.
    pub(crate) fn finish<T>(self, answer: T) -> Result<T, StoreError> {
        match self.failed.into_inner() {
            Some(e) => Err(e),
            None => Ok(answer),
        }
    }
}

/// One portfolio as access evaluation sees it: its record, its associations, its shares and
/// imports.
#[derive(Clone, Debug)]
pub(crate) struct PortfolioAccess {
    record: PortfolioRecord,
    holders: HashMap<AccountId, Holder>,
    shares: Vec<ShareRecord>,
    /// Account shares by recipient: (index into `shares`).
    account_shares: HashMap<AccountId, usize>,
    /// Organization-node shares (indexes into `shares`), in share order.
    node_shares: Vec<usize>,
    /// Each importing account's import kinds.
    imports: HashMap<AccountId, Vec<ImportKind>>,
}

impl PortfolioAccess {
    /// The portfolio of `snapshot`.
    pub(crate) fn new(snapshot: PortfolioSnapshot) -> PortfolioAccess {
        let mut account_shares = HashMap::new();
        let mut node_shares = Vec::new();
        for (i, share) in snapshot.shares.iter().enumerate() {
            match &share.target {
                ShareTarget::Account(a) => {
                    account_shares.insert(a.clone(), i);
                }
                _ => node_shares.push(i),
            }
        }
        PortfolioAccess {
            record: snapshot.portfolio,
            holders: snapshot
                .associations
                .into_iter()
                .map(|(account, list)| (account, Holder::new(list)))
                .collect(),
            shares: snapshot.shares,
            account_shares,
            node_shares,
            imports: snapshot
                .imports
                .into_iter()
                .fold(HashMap::new(), |mut by_account, import| {
                    by_account
                        .entry(import.account)
                        .or_insert_with(Vec::new)
                        .push(import.kind);
                    by_account
                }),
        }
    }

    /// The portfolio.
    pub(crate) fn record(&self) -> &PortfolioRecord {
        &self.record
    }

    /// Every account's associations.
    pub(crate) fn holders(&self) -> impl Iterator<Item = (&AccountId, &Holder)> {
        self.holders.iter()
    }

    /// How the portfolio's shares reach an account other than the owner (SPEC §5.4), when any
    /// covers it: [`Recipient::of`] over the shares that could.
    pub(crate) fn recipient(&self, at: &Whereabouts<'_>) -> Option<Recipient> {
        if *at.account == self.record.owner {
            return None;
        }
        let account_share = self.account_shares.get(at.account).copied();
        if account_share.is_none() && self.node_shares.is_empty() {
            return None;
        }
        let mut candidates: Vec<usize> = self.node_shares.clone();
        candidates.extend(account_share);
        candidates.sort_unstable();
        let placement = if self.node_shares.is_empty() {
            None
        } else {
            at.placement()
        };
        let imported = |kind| self.imported(at.account, kind);
        Recipient::among(&self.shares, candidates, at.account, placement, imported)
    }

    /// Whether `account` imported the portfolio this way.
    fn imported(&self, account: &AccountId, kind: ImportKind) -> bool {
        self.imports
            .get(account)
            .is_some_and(|kinds| kinds.contains(&kind))
    }

    /// The shares that cover `at.account`, in no particular order and without allocating:
    /// [`Recipient::of`]'s covering shares, for questions that need only "any".
    fn covering_any_order<'a>(
        &'a self,
        at: &'a Whereabouts<'a>,
    ) -> impl Iterator<Item = &'a ShareRecord> + 'a {
        self.account_shares
            .get(at.account)
            .into_iter()
            .chain(&self.node_shares)
            .filter_map(|i| self.shares.get(*i))
            .filter(move |s| {
                let placement = match s.target {
                    ShareTarget::Account(_) => None,
                    _ => at.placement(),
                };
                share_covers(s, at.account, placement)
            })
    }

    /// The ways an association of `principal_type` held by `holder` reaches a principal in
    /// `at.account`, given how the portfolio reaches that account (`recipient`, from
    /// [`PortfolioAccess::recipient`]) (SPEC §6):
    /// - the owner's own principals: the owner's associations;
    /// - a covered account's principals: its own associations on the portfolio it imported
    ///   through a covering share, and the owner's `IAM_PATTERN` associations through each
    ///   covering share with principal sharing on.
    pub(crate) fn vias(
        &self,
        holder: &AccountId,
        principal_type: PrincipalType,
        account: &AccountId,
        recipient: Option<&Recipient>,
    ) -> Vec<GrantVia> {
        let owner = &self.record.owner;
        if account == owner {
            return if holder == owner {
                vec![GrantVia::Owner]
            } else {
                Vec::new()
            };
        }
        let Some(recipient) = recipient else {
            return Vec::new();
        };
        let mut vias = Vec::new();
        if holder == account
            && let Some(share) = recipient.import.and_then(|i| self.shares.get(i))
        {
            vias.push(GrantVia::RecipientAssociation(share.clone()));
        }
        if holder == owner && principal_type == PrincipalType::IamPattern {
            vias.extend(
                recipient
                    .covering(&self.shares)
                    .filter(|s| s.share_principals)
                    .map(|s| GrantVia::PrincipalSharing(s.clone())),
            );
        }
        vias
    }

    /// Whether [`PortfolioAccess::vias`] names any way, answered without allocating: the same
    /// three cases, each asking only whether some covering share qualifies.
    pub(crate) fn reaches(
        &self,
        holder: &AccountId,
        principal_type: PrincipalType,
        at: &Whereabouts<'_>,
    ) -> bool {
        let owner = &self.record.owner;
        let account = at.account;
        if account == owner {
            return holder == owner;
        }
        (holder == account
            && self
                .covering_any_order(at)
                .any(|s| self.imported(account, import_kind_for(s))))
            || (holder == owner
                && principal_type == PrincipalType::IamPattern
                && self.covering_any_order(at).any(|s| s.share_principals))
    }

    /// The accounts whose associations could grant a principal in `account`.
    pub(crate) fn holders_for<'a>(
        &'a self,
        account: &'a AccountId,
    ) -> impl Iterator<Item = (&'a AccountId, &'a Holder)> + 'a {
        let owner = &self.record.owner;
        std::iter::once(owner)
            .chain((account != owner).then_some(account))
            .filter_map(|a| self.holders.get_key_value(a))
    }

    /// Every grant of `principal` (whose account is `at`) on this portfolio (SPEC §6), owner's
    /// associations first.
    pub(crate) fn grants(&self, principal: &PrincipalArn, at: &Whereabouts<'_>) -> Vec<Grant> {
        if !same_partition(&self.record.partition, principal) {
            return Vec::new();
        }
        let recipient = self.recipient(at);
        let mut grants = Vec::new();
        for (holder, associations) in self.holders_for(at.account) {
            for association in associations.matching(principal, at.principal_id.as_ref()) {
                let vias = self.vias(
                    holder,
                    association.principal_type(),
                    at.account,
                    recipient.as_ref(),
                );
                for via in vias {
                    grants.push(Grant {
                        account: holder.clone(),
                        // A binding grants only the principal that holds the ARN: show the ARN.
                        principal_arn: match association {
                            Association::Principal(_) => principal.as_str().to_owned(),
                            other => other.arn().to_owned(),
                        },
                        principal_type: association.principal_type(),
                        via,
                    });
                }
            }
        }
        grants
    }

    /// Whether any association grants `principal`: whether [`PortfolioAccess::grants`] is not
    /// empty, answered without building the grants.
    pub(crate) fn allows(&self, principal: &PrincipalArn, at: &Whereabouts<'_>) -> bool {
        if !same_partition(&self.record.partition, principal) {
            return false;
        }
        self.holders_for(at.account).any(|(holder, associations)| {
            [PrincipalType::Iam, PrincipalType::IamPattern]
                .into_iter()
                .any(|t| {
                    self.reaches(holder, t, at)
                        && associations.any_matching(principal, at.principal_id.as_ref(), t)
                })
        })
    }
}

/// Whether a principal lives in `partition`.
pub(crate) fn same_partition(partition: &Partition, principal: &PrincipalArn) -> bool {
    principal.partition() == *partition
}
