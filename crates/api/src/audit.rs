//! The escalation audit (SPEC §6; AWS has none): which `IAM_PATTERN` associations reach other
//! accounts through shares with principal sharing on, whom they match there today, and how
//! guessable each pattern is.
//!
//! Which accounts a share reaches is [`share_covers`], the one rule every access answer uses;
//! which principals match is the matcher's [`PrincipalPattern::matches`]. The guessability rating
//! ([`rate`]) is deterministic and documented in docs/decisions.md.

use std::collections::BTreeSet;

use portcullis_matcher::{Pattern, PrincipalArn, PrincipalPattern};
use portcullis_model::{
    AccountId, AuditFinding, AuditPortfolioSharingInput, AuditPortfolioSharingOutput, Caller,
    Guessability, MatchingPrincipal, PortfolioId, ServiceError, validate,
};
use portcullis_store::{Association, PageRequest, PortfolioRecord, ShareRecord, ShareTarget};

use crate::access::reach::share_covers;
use crate::errors::{portfolio_not_found, store_error};
use crate::{Service, wire};

/// Role and user names commonly found in AWS accounts (`data/common_principal_names.txt`).
const COMMON_NAMES: &str = include_str!("../data/common_principal_names.txt");

/// Literal characters in a name below which a pattern is rated [`Guessability::High`].
pub const SHORT_LITERAL: usize = 4;

/// The prefix IAM Identity Center gives the roles it creates for permission sets in every
/// assigned account (`AWSReservedSSO_<permission set>_<hash>`).
const IDENTITY_CENTER_PREFIX: &str = "AWSReservedSSO_";

/// The names in the shipped list of commonly used role and user names.
pub fn common_names() -> impl Iterator<Item = &'static str> {
    COMMON_NAMES
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// How guessable `pattern` is, and why, one reason per rule that applies (docs/decisions.md,
/// "Guessability"). The rating is the highest any rule gives:
/// - [`Guessability::Critical`]: the name (what follows the last `/` of the resource id) is only
///   wildcards;
/// - [`Guessability::High`]: the name's literal characters are fewer than [`SHORT_LITERAL`]; or
///   the name matches a name of the shipped list of common names; or the pattern has an IAM
///   Identity Center shape (`AWSReservedSSO_` in the resource id);
/// - [`Guessability::Medium`]: any other pattern with a wildcard;
/// - [`Guessability::Low`]: no wildcard (one name, in every reached account).
pub fn rate(pattern: &PrincipalPattern) -> (Guessability, Vec<String>) {
    let resource_id = pattern.resource_id();
    let name = resource_id
        .rsplit_once('/')
        .map_or(resource_id, |(_, name)| name);
    let literal = name.chars().filter(|c| *c != '*' && *c != '?').count();
    let kind = pattern.resource_type();
    let mut reasons: Vec<(Guessability, String)> = Vec::new();
    if !name.is_empty() && literal == 0 {
        reasons.push((
            Guessability::Critical,
            format!(
                "the name part `{name}` is only wildcards: every {kind} {} in a reached account \
                 matches",
                if resource_id.contains('/') {
                    "under the path"
                } else {
                    "of any name"
                }
            ),
        ));
    } else if name.is_empty() {
        // `role/team/`: the name is empty, only a `*` before the last `/` could match; the
        // pattern then names paths, which any account may create.
        reasons.push((
            Guessability::Critical,
            "the pattern ends with `/`: its name part is empty, so only the path constrains it"
                .to_owned(),
        ));
    } else if literal < SHORT_LITERAL && pattern.has_wildcards() {
        reasons.push((
            Guessability::High,
            format!(
                "the name part `{name}` has only {literal} literal character{} besides its \
                 wildcards (fewer than {SHORT_LITERAL})",
                if literal == 1 { "" } else { "s" }
            ),
        ));
    }
    if resource_id.contains(IDENTITY_CENTER_PREFIX) {
        reasons.push((
            Guessability::High,
            "it has the shape of IAM Identity Center roles (`AWSReservedSSO_<permission \
             set>_<hash>`), which exist in every account a permission set is assigned to"
                .to_owned(),
        ));
    }
    let name_pattern = Pattern::new(name);
    let common: Vec<&str> = common_names()
        .filter(|n| name_pattern.is_match(n))
        .take(3)
        .collect();
    if !common.is_empty() {
        reasons.push((
            Guessability::High,
            format!(
                "the name part `{name}` matches commonly used {kind} names ({})",
                common
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    if reasons.is_empty() {
        reasons.push(if pattern.has_wildcards() {
            (
                Guessability::Medium,
                format!(
                    "the name part `{name}` has {literal} literal characters and matches no \
                     commonly used name, but any account it reaches may create a {kind} that \
                     matches"
                ),
            )
        } else {
            (
                Guessability::Low,
                format!(
                    "no wildcard: it names the {kind} `{resource_id}` in every account it \
                     reaches"
                ),
            )
        });
    }
    let rating = reasons
        .iter()
        .map(|(g, _)| *g)
        .max()
        .unwrap_or(Guessability::Low);
    (rating, reasons.into_iter().map(|(_, r)| r).collect())
}

/// The seeds' remedy, for `pattern` through `share`, with the AWS CLI call that turns principal
/// sharing off.
fn remedy(portfolio: &PortfolioId, pattern: &str, share: &ShareRecord) -> String {
    let node = share
        .target
        .organization_node()
        .map(|node| {
            format!(
                " --organization-node Type={},Value={}",
                node.node_type(),
                node.as_str()
            )
        })
        .unwrap_or_default();
    format!(
        "associate the principals that need access by `IAM` (their full ARNs, in their own \
         accounts) instead of `{pattern}`, or turn principal sharing off for the share with {} \
         (aws servicecatalog update-portfolio-share --portfolio-id {portfolio}{node} \
         --no-share-principals)",
        crate::errors::describe_target(&share.target)
    )
}

impl Service {
    /// `PortcullisService.AuditPortfolioSharing`: one finding per `IAM_PATTERN` association of
    /// the owner and share with principal sharing on (SPEC §6, escalation audit), most guessable
    /// first.
    pub fn audit_portfolio_sharing(
        &self,
        caller: &Caller,
        input: AuditPortfolioSharingInput,
    ) -> Result<AuditPortfolioSharingOutput, ServiceError> {
        validate::accept_language(input.accept_language.as_deref())?;
        let id: Option<PortfolioId> =
            validate::optional("PortfolioId", input.portfolio_id.as_deref())?;
        let portfolios: Vec<PortfolioRecord> = match id {
            Some(id) => {
                let portfolio = self.owned_portfolio(caller, &id, || portfolio_not_found(&id))?;
                vec![portfolio]
            }
            None => {
                self.store
                    .list_portfolios(caller.account(), caller.region(), PageRequest::all())
                    .map_err(store_error)?
                    .items
            }
        };
        let mut findings = Vec::new();
        for portfolio in portfolios
            .iter()
            .filter(|p| p.partition == *caller.partition())
        {
            findings.extend(self.portfolio_findings(portfolio)?);
        }
        findings.sort_by(|a, b| {
            b.guessability
                .cmp(&a.guessability)
                .then_with(|| a.portfolio_id.cmp(&b.portfolio_id))
                .then_with(|| a.principal_arn.cmp(&b.principal_arn))
                .then_with(|| a.share.principal_id.cmp(&b.share.principal_id))
        });
        Ok(AuditPortfolioSharingOutput { findings })
    }

    fn portfolio_findings(
        &self,
        portfolio: &PortfolioRecord,
    ) -> Result<Vec<AuditFinding>, ServiceError> {
        let Some(snapshot) = self
            .store
            .portfolio_snapshot(&portfolio.id)
            .map_err(store_error)?
        else {
            return Ok(Vec::new());
        };
        let patterns: Vec<&PrincipalPattern> = snapshot
            .associations
            .iter()
            .filter(|(account, _)| *account == portfolio.owner)
            .flat_map(|(_, held)| held)
            .filter_map(|a| match a {
                Association::Pattern(p) => Some(&**p),
                _ => None,
            })
            .collect();
        let mut findings = Vec::new();
        if patterns.is_empty() {
            return Ok(findings);
        }
        for share in snapshot.shares.iter().filter(|s| s.share_principals) {
            let reached = self.reached_accounts(portfolio, share)?;
            // Principals of the reached accounts, read once per share.
            let mut existing = Vec::new();
            for account in &reached {
                for principal in self.directory.principals_in(account).map_err(store_error)? {
                    if let Ok(arn) = PrincipalArn::parse(&principal.arn) {
                        existing.push((account.clone(), arn, principal.id));
                    }
                }
            }
            for pattern in &patterns {
                let (guessability, reasons) = rate(pattern);
                let matching_principals: Vec<MatchingPrincipal> = existing
                    .iter()
                    .filter(|(_, arn, _)| pattern.matches(arn))
                    .map(|(account, arn, id)| MatchingPrincipal {
                        account_id: account.clone(),
                        principal_arn: arn.to_string(),
                        principal_id: id.to_string(),
                    })
                    .collect();
                findings.push(AuditFinding {
                    portfolio_id: portfolio.id.to_string(),
                    principal_arn: pattern.as_str().to_owned(),
                    share: wire::share_detail(share),
                    reached_accounts: reached.clone(),
                    matching_principals,
                    guessability,
                    reasons,
                    remedy: remedy(&portfolio.id, pattern.as_str(), share),
                });
            }
        }
        Ok(findings)
    }

    /// The accounts `share` covers now, the owner's excluded, in order: an organization-node
    /// share expanded to its accounts (SPEC §5.4), each judged by [`share_covers`].
    fn reached_accounts(
        &self,
        portfolio: &PortfolioRecord,
        share: &ShareRecord,
    ) -> Result<Vec<AccountId>, ServiceError> {
        let candidates: Vec<AccountId> = match share.target.organization_node() {
            Some(node) => self.store.accounts_under(&node).map_err(store_error)?,
            None => match &share.target {
                ShareTarget::Account(a) => vec![a.clone()],
                _ => Vec::new(),
            },
        };
        let mut reached = BTreeSet::new();
        for account in candidates {
            if account == portfolio.owner {
                continue;
            }
            let placement = self.store.placement(&account).map_err(store_error)?;
            if share_covers(share, &account, placement.as_deref()) {
                reached.insert(account);
            }
        }
        Ok(reached.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rating(pattern: &str) -> Guessability {
        rate(&PrincipalPattern::parse(pattern).unwrap()).0
    }

    #[test]
    fn the_shipped_list_is_not_empty_and_has_no_wildcards() {
        assert!(common_names().count() > 50);
        assert!(common_names().all(|n| !n.contains(['*', '?', '/', ' '])));
    }

    #[test]
    fn ratings_follow_the_documented_rules() {
        assert_eq!(rating("arn:aws:iam:::role/*"), Guessability::Critical);
        assert_eq!(rating("arn:aws:iam:::role/team/*"), Guessability::Critical);
        assert_eq!(rating("arn:aws:iam:::user/??*"), Guessability::Critical);
        assert_eq!(rating("arn:aws:iam:::role/a*"), Guessability::High);
        assert_eq!(rating("arn:aws:iam:::role/Dev*"), Guessability::High);
        assert_eq!(rating("arn:aws:iam:::role/Admin"), Guessability::High);
        assert_eq!(
            rating("arn:aws:iam:::role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Billing_*"),
            Guessability::High
        );
        assert_eq!(
            rating("arn:aws:iam:::role/Payments-Batch-*"),
            Guessability::Medium
        );
        assert_eq!(
            rating("arn:aws:iam:::role/Payments-Batch-7"),
            Guessability::Low
        );
    }
}
