//! SPEC §5.4 and §6 in one place: which shares cover an account, and how an association reaches
//! a principal. `check_access`, the reverse query's index, the revoke view and every operation
//! that asks "is this portfolio shared with the caller" derive their answers from here.

use std::collections::{HashMap, HashSet};

use portcullis_matcher::PrincipalArn;
use portcullis_model::{AccountId, Partition, PrincipalType};
use portcullis_store::{
    AccountPlacement, Association, Import, ImportKind, PortfolioRecord, PortfolioSnapshot,
    ShareRecord, ShareTarget, Store, StoreError,
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

/// Whether an association grants `principal` by its ARN (SPEC §4.3): the identical ARN for `IAM`,
/// a match for `IAM_PATTERN`.
pub(crate) fn association_matches(association: &Association, principal: &PrincipalArn) -> bool {
    match association {
        Association::Iam(arn) => arn.as_str() == principal.as_str(),
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
        let covering: Vec<usize> = shares
            .iter()
            .enumerate()
            .filter(|(_, s)| share_covers(s, account, placement))
            .map(|(i, _)| i)
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

fn imported_by<'a>(
    imports: &'a [Import],
    account: &'a AccountId,
) -> impl Fn(ImportKind) -> bool + 'a {
    move |kind| {
        imports
            .iter()
            .any(|i| i.account == *account && i.kind == kind)
    }
}

/// One account's associations on a portfolio.
#[derive(Clone, Debug, Default)]
pub(crate) struct Holder {
    /// In association order.
    ordered: Vec<Association>,
    /// The `IAM` ARNs, to answer "is this principal associated" without a scan.
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
    ) -> impl Iterator<Item = &'a Association> + 'a {
        self.ordered
            .iter()
            .filter(move |a| association_matches(a, principal))
    }

    /// Whether an association of `principal_type` grants `principal` by its ARN.
    fn any_matching(&self, principal: &PrincipalArn, principal_type: PrincipalType) -> bool {
        match principal_type {
            PrincipalType::Iam => self.iam.contains(principal.as_str()),
            PrincipalType::IamPattern => self
                .ordered
                .iter()
                .any(|a| matches!(a, Association::Pattern(p) if p.matches(principal))),
        }
    }
}

/// One portfolio as access evaluation sees it: its record, its associations, its shares and the
/// accounts they reach.
#[derive(Clone, Debug)]
pub(crate) struct PortfolioAccess {
    record: PortfolioRecord,
    holders: HashMap<AccountId, Holder>,
    shares: Vec<ShareRecord>,
    /// Every account other than the owner that a share covers; for a view built for one
    /// account, at most that one.
    recipients: HashMap<AccountId, Recipient>,
}

impl PortfolioAccess {
    fn new(snapshot: PortfolioSnapshot, recipients: HashMap<AccountId, Recipient>) -> Self {
        PortfolioAccess {
            record: snapshot.portfolio,
            holders: snapshot
                .associations
                .into_iter()
                .map(|(account, list)| (account, Holder::new(list)))
                .collect(),
            shares: snapshot.shares,
            recipients,
        }
    }

    /// The whole reach of a portfolio: every account its shares cover. Organization-node shares
    /// are expanded to the accounts under their node, each judged by [`share_covers`].
    pub(crate) fn whole(
        store: &dyn Store,
        snapshot: PortfolioSnapshot,
    ) -> Result<PortfolioAccess, StoreError> {
        let owner = &snapshot.portfolio.owner;
        let mut candidates: Vec<AccountId> = Vec::new();
        for share in &snapshot.shares {
            match (&share.target, share.target.organization_node()) {
                (ShareTarget::Account(a), _) => candidates.push(a.clone()),
                (_, Some(node)) => candidates.extend(store.accounts_under(&node)?),
                (_, None) => {}
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        let mut recipients = HashMap::new();
        for account in candidates.into_iter().filter(|a| a != owner) {
            let placement = store.placement(&account)?;
            let imported = imported_by(&snapshot.imports, &account);
            if let Some(recipient) =
                Recipient::of(&snapshot.shares, &account, placement.as_ref(), imported)
            {
                recipients.insert(account, recipient);
            }
        }
        Ok(PortfolioAccess::new(snapshot, recipients))
    }

    /// The reach of a portfolio as far as one account is concerned.
    pub(crate) fn for_account(
        store: &dyn Store,
        snapshot: PortfolioSnapshot,
        account: &AccountId,
    ) -> Result<PortfolioAccess, StoreError> {
        let mut recipients = HashMap::new();
        if *account != snapshot.portfolio.owner {
            let placement = store.placement(account)?;
            let imported = imported_by(&snapshot.imports, account);
            if let Some(r) = Recipient::of(&snapshot.shares, account, placement.as_ref(), imported)
            {
                recipients.insert(account.clone(), r);
            }
        }
        Ok(PortfolioAccess::new(snapshot, recipients))
    }

    /// The portfolio.
    pub(crate) fn record(&self) -> &PortfolioRecord {
        &self.record
    }

    /// The portfolio's shares, in creation order.
    pub(crate) fn shares(&self) -> &[ShareRecord] {
        &self.shares
    }

    /// Every account's associations.
    pub(crate) fn holders(&self) -> impl Iterator<Item = (&AccountId, &Holder)> {
        self.holders.iter()
    }

    /// The ways an association of `principal_type` held by `holder` reaches a principal in
    /// `account` (SPEC §6):
    /// - the owner's own principals: the owner's associations;
    /// - a covered account's principals: its own associations on the portfolio it imported
    ///   through a covering share, and the owner's `IAM_PATTERN` associations through each
    ///   covering share with principal sharing on.
    pub(crate) fn vias(
        &self,
        holder: &AccountId,
        principal_type: PrincipalType,
        account: &AccountId,
    ) -> Vec<GrantVia> {
        let owner = &self.record.owner;
        if account == owner {
            return if holder == owner {
                vec![GrantVia::Owner]
            } else {
                Vec::new()
            };
        }
        let Some(recipient) = self.recipients.get(account) else {
            return Vec::new();
        };
        let mut vias = Vec::new();
        if holder == account {
            if let Some(share) = recipient.import.and_then(|i| self.shares.get(i)) {
                vias.push(GrantVia::RecipientAssociation(share.clone()));
            }
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

    /// Whether the association held by `holder` reaches a principal in `account`: whether
    /// [`PortfolioAccess::vias`] names any way.
    pub(crate) fn reaches(
        &self,
        holder: &AccountId,
        principal_type: PrincipalType,
        account: &AccountId,
    ) -> bool {
        let owner = &self.record.owner;
        if account == owner {
            return holder == owner;
        }
        let Some(recipient) = self.recipients.get(account) else {
            return false;
        };
        (holder == account && recipient.imported())
            || (holder == owner
                && principal_type == PrincipalType::IamPattern
                && recipient.covering(&self.shares).any(|s| s.share_principals))
    }

    /// The accounts whose associations could grant a principal in `account`.
    fn holders_for<'a>(
        &'a self,
        account: &'a AccountId,
    ) -> impl Iterator<Item = (&'a AccountId, &'a Holder)> + 'a {
        let owner = &self.record.owner;
        std::iter::once(owner)
            .chain((account != owner).then_some(account))
            .filter_map(|a| self.holders.get_key_value(a))
    }

    /// Every grant of `principal` on this portfolio (SPEC §6), owner's associations first.
    pub(crate) fn grants(&self, principal: &PrincipalArn) -> Vec<Grant> {
        let Some(account) = self.principal_account(principal) else {
            return Vec::new();
        };
        let mut grants = Vec::new();
        for (holder, associations) in self.holders_for(&account) {
            for association in associations.matching(principal) {
                for via in self.vias(holder, association.principal_type(), &account) {
                    grants.push(Grant {
                        account: holder.clone(),
                        principal_arn: association.arn().to_owned(),
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
    #[cfg(test)]
    pub(crate) fn allows(&self, principal: &PrincipalArn) -> bool {
        match principal.account().parse::<AccountId>() {
            Ok(account) => self.allows_in(principal, &account),
            Err(_) => false,
        }
    }

    /// [`PortfolioAccess::allows`] for a principal whose account the caller parsed already.
    pub(crate) fn allows_in(&self, principal: &PrincipalArn, account: &AccountId) -> bool {
        if !same_partition(&self.record.partition, principal) {
            return false;
        }
        self.holders_for(account).any(|(holder, associations)| {
            [PrincipalType::Iam, PrincipalType::IamPattern]
                .into_iter()
                .any(|t| {
                    self.reaches(holder, t, account) && associations.any_matching(principal, t)
                })
        })
    }

    /// The principal's account, when the principal is in the portfolio's partition (a
    /// principal of another partition is denied everywhere).
    fn principal_account(&self, principal: &PrincipalArn) -> Option<AccountId> {
        if !same_partition(&self.record.partition, principal) {
            return None;
        }
        principal.account().parse::<AccountId>().ok()
    }
}

/// Whether a principal lives in `partition`.
pub(crate) fn same_partition(partition: &Partition, principal: &PrincipalArn) -> bool {
    principal.partition() == partition.as_str()
}
