//! Principal associations: the first two core operations (SPEC §5.1, §5.2) and
//! `ListPrincipalsForPortfolio`.

use portcullis_matcher::{Arn, PrincipalArn, PrincipalPattern};
use portcullis_model::{
    AssociatePrincipalWithPortfolioInput, AssociatePrincipalWithPortfolioOutput, Caller,
    DisassociatePrincipalFromPortfolioInput, DisassociatePrincipalFromPortfolioOutput,
    ListPrincipalsForPortfolioInput, ListPrincipalsForPortfolioOutput, PortfolioId, PrincipalId,
    PrincipalType, ServiceError, validate,
};
use std::sync::Arc;

use portcullis_store::{Association, PageRequest};

use crate::errors::store_error;
use crate::paging::ListScope;
use crate::{IamMode, Service, catalog_page, page_token, wire};

/// `PrincipalARN` is 1–1000 characters (API model).
const PRINCIPAL_ARN_MAX: usize = 1000;

/// The account id field of whatever was sent as an ARN: the fifth colon-separated part, or
/// nothing when it has none.
fn account_field(arn: &str) -> &str {
    match Arn::parse(arn) {
        Ok(arn) => arn.account(),
        Err(_) => arn.split(':').nth(4).unwrap_or(""),
    }
}

/// Parses `arn` for its principal type (SPEC §4) into the association to store, or
/// `InvalidParametersException`. This is the only place an association's ARN is parsed.
pub(crate) fn parse_association(
    arn: &str,
    principal_type: PrincipalType,
) -> Result<Association, ServiceError> {
    let result = match principal_type {
        PrincipalType::Iam => PrincipalArn::parse(arn).map(Association::Iam),
        PrincipalType::IamPattern => {
            PrincipalPattern::parse(arn).map(|p| Association::Pattern(Arc::new(p)))
        }
    };
    result.map_err(|e| {
        ServiceError::invalid_parameters(format!(
            "`PrincipalARN` `{arn}` is not a valid `{principal_type}` principal: {e}"
        ))
    })
}

impl Service {
    /// `AssociatePrincipalWithPortfolio` (SPEC §5.1).
    pub fn associate_principal_with_portfolio(
        &self,
        caller: &Caller,
        input: AssociatePrincipalWithPortfolioInput,
    ) -> Result<AssociatePrincipalWithPortfolioOutput, ServiceError> {
        let _gate = self.gate.read_recursive();
        // Every field first (SPEC §3).
        validate::accept_language(input.accept_language.as_deref())?;
        let id: PortfolioId = validate::required("PortfolioId", input.portfolio_id.as_deref())?;
        let arn = validate::present("PrincipalARN", input.principal_arn)?;
        validate::text("PrincipalARN", &arn, 1, PRINCIPAL_ARN_MAX)?;
        let principal_type: PrincipalType =
            validate::required("PrincipalType", input.principal_type.as_deref())?;
        // The portfolio, in the caller's account.
        self.check_in_account(caller, &id)?;
        // For IAM, the ARN's account is checked before the rest of the ARN (what AWS answers).
        if principal_type == PrincipalType::Iam {
            let given = account_field(&arn);
            if given != caller.account().as_str() {
                return Err(ServiceError::not_found(format!(
                    "caller account id ({}) does not match input account id ({given})",
                    caller.account()
                )));
            }
        }
        let association = match (
            parse_association(&arn, principal_type)?,
            self.config.iam_mode,
        ) {
            // AWS's behaviour (SPEC §4.4): the principal must exist, and the association is bound
            // to it.
            (Association::Iam(principal), IamMode::Principals) => {
                match self.principal_id(&principal)? {
                    Some(id) => Association::Principal(id),
                    None => return Err(principal_does_not_exist(&principal, caller)),
                }
            }
            (association, _) => association,
        };
        let limit = match principal_type {
            PrincipalType::Iam => self.config.max_iam_associations,
            PrincipalType::IamPattern => self.config.max_iam_pattern_associations,
        };
        self.store
            .associate(&id, caller.account(), association, limit)
            .map_err(store_error)?;
        Ok(AssociatePrincipalWithPortfolioOutput {})
    }

    /// `DisassociatePrincipalFromPortfolio` (SPEC §5.2). `PrincipalType` defaults to `IAM` and
    /// must be the association's type.
    pub fn disassociate_principal_from_portfolio(
        &self,
        caller: &Caller,
        input: DisassociatePrincipalFromPortfolioInput,
    ) -> Result<DisassociatePrincipalFromPortfolioOutput, ServiceError> {
        let _gate = self.gate.read_recursive();
        validate::accept_language(input.accept_language.as_deref())?;
        let id: PortfolioId = validate::required("PortfolioId", input.portfolio_id.as_deref())?;
        let arn = validate::present("PrincipalARN", input.principal_arn)?;
        validate::text("PrincipalARN", &arn, 1, PRINCIPAL_ARN_MAX)?;
        let principal_type: PrincipalType =
            validate::optional("PrincipalType", input.principal_type.as_deref())?
                .unwrap_or(PrincipalType::Iam);
        self.check_in_account(caller, &id)?;
        if principal_type == PrincipalType::Iam {
            for key in self.bound_keys(caller, &id, &arn)? {
                self.store
                    .disassociate(&id, caller.account(), principal_type, key.as_str())
                    .map_err(store_error)?;
            }
            return Ok(DisassociatePrincipalFromPortfolioOutput {});
        }
        self.store
            .disassociate(&id, caller.account(), principal_type, &arn)
            .map_err(store_error)?;
        Ok(DisassociatePrincipalFromPortfolioOutput {})
    }

    /// `ListPrincipalsForPortfolio`: the caller's associations on a portfolio in its account.
    pub fn list_principals_for_portfolio(
        &self,
        caller: &Caller,
        input: ListPrincipalsForPortfolioInput,
    ) -> Result<ListPrincipalsForPortfolioOutput, ServiceError> {
        let _gate = self.gate.read_recursive();
        validate::accept_language(input.accept_language.as_deref())?;
        let id: PortfolioId = validate::required("PortfolioId", input.portfolio_id.as_deref())?;
        let list = ListScope::new("ListPrincipalsForPortfolio", caller, &id, "PageToken");
        let page = catalog_page(
            &self.config,
            &list,
            input.page_token.as_deref(),
            input.page_size,
        )?;
        self.check_in_account(caller, &id)?;
        let page = self
            .store
            .list_associations(&id, caller.account(), page)
            .map_err(store_error)?;
        let mut principals = Vec::with_capacity(page.items.len());
        for association in &page.items {
            principals.push(wire::principal(association, self.shown_arn(association)?));
        }
        Ok(ListPrincipalsForPortfolioOutput {
            next_page_token: page_token(&list, &page),
            principals,
        })
    }

    /// What an association's `PrincipalARN` shows (SPEC §4.4): for one bound to a principal,
    /// the principal's ARN while it exists and its unique id once it is deleted (what AWS shows,
    /// aws-sdk-go issue 3920); otherwise the ARN or pattern as associated.
    pub(crate) fn shown_arn(&self, association: &Association) -> Result<String, ServiceError> {
        Ok(match association {
            Association::Principal(id) => {
                match self.directory.principal_by_id(id).map_err(store_error)? {
                    Some(p) if p.exists() => p.arn,
                    _ => id.to_string(),
                }
            }
            other => other.arn().to_owned(),
        })
    }

    /// The keys of the caller's `IAM` associations on the portfolio that
    /// `DisassociatePrincipalFromPortfolio` removes for `given` (docs/decisions.md, "Removing an
    /// association bound to a principal"):
    /// - a unique id: the association bound to that principal;
    /// - an ARN held by an existing principal that is associated: the association bound to it;
    /// - otherwise an ARN that associations bound to deleted principals were made with: every
    ///   one of them (they cannot be told apart by that ARN);
    /// - otherwise the ARN itself (an association bound to a name), which may not exist: then
    ///   the store answers that it is not associated.
    fn bound_keys(
        &self,
        caller: &Caller,
        portfolio: &PortfolioId,
        given: &str,
    ) -> Result<Vec<String>, ServiceError> {
        if PrincipalId::parse(given).is_ok() {
            return Ok(vec![given.to_owned()]);
        }
        let Ok(principal) = PrincipalArn::parse(given) else {
            return Ok(vec![given.to_owned()]);
        };
        let held = self
            .store
            .list_associations(portfolio, caller.account(), PageRequest::all())
            .map_err(store_error)?
            .items;
        let bound: Vec<&PrincipalId> = held
            .iter()
            .filter_map(|a| match a {
                Association::Principal(id) => Some(id),
                _ => None,
            })
            .collect();
        if let Some(current) = self.principal_id(&principal)?
            && bound.contains(&&current)
        {
            return Ok(vec![current.to_string()]);
        }
        let mut orphans = Vec::new();
        for id in bound {
            let record = self.directory.principal_by_id(id).map_err(store_error)?;
            if record.is_some_and(|p| !p.exists() && p.arn == given) {
                orphans.push(id.to_string());
            }
        }
        if orphans.is_empty() {
            orphans.push(given.to_owned());
        }
        Ok(orphans)
    }
}

/// `InvalidParametersException` for an `IAM` principal that does not exist (SPEC §4.4). AWS's
/// words first ("Invalid input parameter(s)", landing-zone-accelerator issue 132), then which
/// principal is missing (docs/decisions.md).
fn principal_does_not_exist(principal: &PrincipalArn, caller: &Caller) -> ServiceError {
    ServiceError::invalid_parameters(format!(
        "Invalid input parameter(s): principal `{principal}` does not exist in account `{}`; an \
         `IAM` principal must exist before it is associated",
        caller.account()
    ))
}
