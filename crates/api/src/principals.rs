//! Principal associations: the first two core operations (SPEC §5.1, §5.2) and
//! `ListPrincipalsForPortfolio`.

use portcullis_matcher::{Arn, PrincipalArn, PrincipalPattern};
use portcullis_model::{
    AssociatePrincipalWithPortfolioInput, AssociatePrincipalWithPortfolioOutput, Caller,
    DisassociatePrincipalFromPortfolioInput, DisassociatePrincipalFromPortfolioOutput,
    ListPrincipalsForPortfolioInput, ListPrincipalsForPortfolioOutput, PortfolioId, PrincipalType,
    ServiceError, validate,
};
use std::sync::Arc;

use portcullis_store::Association;

use crate::errors::store_error;
use crate::paging::ListScope;
use crate::{Service, catalog_page, page_token, wire};

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
        self.portfolio_in_account(caller, &id)?;
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
        let association = parse_association(&arn, principal_type)?;
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
        self.portfolio_in_account(caller, &id)?;
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
        self.portfolio_in_account(caller, &id)?;
        let page = self
            .store
            .list_associations(&id, caller.account(), page)
            .map_err(store_error)?;
        Ok(ListPrincipalsForPortfolioOutput {
            next_page_token: page_token(&list, &page),
            principals: page.items.iter().map(wire::principal).collect(),
        })
    }
}
