//! What each store refusal means on the wire: one AWS error, one wording, for every operation.

use portcullis_model::{ErrorKind, PortfolioId, ProductId, ServiceError};
use portcullis_store::{LimitKind, ShareTarget, StoreError};

/// `ResourceNotFoundException` for a portfolio, worded as AWS words it.
pub(crate) fn portfolio_not_found(id: &PortfolioId) -> ServiceError {
    ServiceError::not_found(format!("Portfolio not found: {id}"))
}

/// `ResourceNotFoundException` for a product (moto's words, which suites written for moto
/// compare; AWS documents none).
pub(crate) fn product_not_found(id: &ProductId) -> ServiceError {
    ServiceError::not_found(format!("Product with Id '{id}' not found."))
}

/// A share's recipient in words.
pub(crate) fn describe_target(target: &ShareTarget) -> String {
    match target {
        ShareTarget::Account(a) => format!("account `{a}`"),
        ShareTarget::Organization(o) => format!("organization `{o}`"),
        ShareTarget::OrganizationalUnit(ou) => format!("organizational unit `{ou}`"),
        ShareTarget::OrganizationMemberAccount(a) => {
            format!("organization member account `{a}`")
        }
    }
}

/// The AWS error for a store refusal. Every store error reaches the wire through here (a server
/// that waits for a store's sync after the call uses it too).
pub fn store_error(e: StoreError) -> ServiceError {
    use StoreError as E;
    match e {
        E::PortfolioNotFound(id) => portfolio_not_found(&id),
        E::AssociationNotFound {
            portfolio,
            principal_arn,
            principal_type,
            ..
        } => ServiceError::not_found(format!(
            "principal `{principal_arn}` of type `{principal_type}` is not associated with portfolio `{portfolio}`"
        )),
        E::ShareNotFound { portfolio, target } => ServiceError::not_found(format!(
            "portfolio `{portfolio}` is not shared with {}",
            describe_target(&target)
        )),
        E::LimitExceeded { kind, limit } => ServiceError::limit_exceeded(match kind {
            LimitKind::IamPatternAssociations => format!(
                "a portfolio can be associated with at most {limit} principals of type `IAM_PATTERN` per account"
            ),
            LimitKind::IamAssociations => format!(
                "a portfolio can be associated with at most {limit} principals of type `IAM` per account"
            ),
            LimitKind::Shares => format!("a portfolio can have at most {limit} shares"),
        }),
        E::PortfolioInUse {
            portfolio,
            associations,
            shares,
        } => ServiceError::resource_in_use(format!(
            "portfolio `{portfolio}` cannot be deleted while it has principal associations or shares: \
             {associations} associations, {shares} shares"
        )),
        // AWS: "you cannot delete a portfolio if it ... has associated ... products".
        E::PortfolioHasProducts {
            portfolio,
            products,
        } => ServiceError::resource_in_use(format!(
            "portfolio `{portfolio}` cannot be deleted while products are associated with it: \
             {products} products"
        )),
        E::ProductNotFound(id) => product_not_found(&id),
        E::ProductInUse {
            product,
            portfolios,
        } => ServiceError::resource_in_use(format!(
            "product `{product}` cannot be deleted while it is associated with portfolios: \
             {portfolios} portfolios"
        )),
        E::ProductAssociationNotFound { product, portfolio } => ServiceError::not_found(format!(
            "product `{product}` is not associated with portfolio `{portfolio}`"
        )),
        E::OrganizationNotFound(_) => crate::organizations::not_in_organization(),
        E::AlreadyInOrganization {
            account,
            organization,
        } => ServiceError::new(
            ErrorKind::AlreadyInOrganization,
            format!("account `{account}` is already in organization `{organization}`"),
        ),
        // AWS's words (the example answers of its API reference), which clients compare.
        E::AccountNotFound(_) => ServiceError::new(
            ErrorKind::AccountNotFound,
            "You specified an account that doesn't exist.",
        ),
        E::ParentNotFound(parent) => ServiceError::new(
            ErrorKind::ParentNotFound,
            format!("parent `{parent}` not found"),
        ),
        E::SourceParentNotFound(parent) => ServiceError::new(
            ErrorKind::SourceParentNotFound,
            format!("source parent `{parent}` not found"),
        ),
        E::DestinationParentNotFound(parent) => ServiceError::new(
            ErrorKind::DestinationParentNotFound,
            format!("destination parent `{parent}` not found"),
        ),
        E::DuplicateAccount { account, parent } => ServiceError::new(
            ErrorKind::DuplicateAccount,
            format!("account `{account}` is already in `{parent}`"),
        ),
        E::DuplicateOrganizationalUnit { parent, name } => ServiceError::new(
            ErrorKind::DuplicateOrganizationalUnit,
            format!("an organizational unit named `{name}` already exists in `{parent}`"),
        ),
        E::AccountAlreadyRegistered {
            account,
            service_principal,
        } => ServiceError::new(
            ErrorKind::AccountAlreadyRegistered,
            format!(
                "account `{account}` is already a delegated administrator for `{service_principal}`"
            ),
        ),
        E::AccountNotRegistered {
            account,
            service_principal,
        } => ServiceError::new(
            ErrorKind::AccountNotRegistered,
            format!(
                "account `{account}` is not a delegated administrator for `{service_principal}`"
            ),
        ),
        E::DelegatedAdministratorsRegistered {
            service_principal,
            count,
        } => ServiceError::invalid_state(format!(
            "`{service_principal}` has {count} delegated administrators registered: deregister them first"
        )),
        E::PrincipalExists {
            principal_type,
            name,
            ..
        } => ServiceError::new(
            ErrorKind::EntityAlreadyExists,
            format!(
                "{} with name {name} already exists.",
                crate::iam::title(principal_type)
            ),
        ),
        E::PrincipalNotFound {
            principal_type,
            name,
            ..
        } => ServiceError::new(
            ErrorKind::NoSuchEntity,
            format!("The {principal_type} with name {name} cannot be found."),
        ),
        E::Unavailable(reason) => {
            ServiceError::internal_failure(format!("the service's store is unavailable: {reason}"))
        }
        gap @ E::ChangesGap { .. } => ServiceError::internal_failure(gap.to_string()),
        // `StoreError` is non-exhaustive: a state this service does not know yet is a fault.
        other => ServiceError::internal_failure(format!("unexpected store state: {other}")),
    }
}
