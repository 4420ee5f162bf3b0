#![doc = include_str!("../README.md")]

#[macro_use]
mod macros;

mod caller;
mod enums;
mod error;
mod ids;
mod node;
mod parse;
pub mod shapes;
mod time;
pub mod validate;

pub use caller::{
    Caller, account_arn, organization_arn, ou_arn, portfolio_arn, product_arn, root_arn,
};
pub use enums::{
    AcceptLanguage, AccessStatus, AccountJoinedMethod, AccountState, AccountStatus,
    CreateAccountFailureReason, CreateAccountState, DescribePortfolioShareType,
    OrganizationFeatureSet, OrganizationNodeType, PortfolioShareType, PrincipalType, ProductSource,
    ProductType, ProductViewFilterBy, ProductViewSortBy, ProvisioningArtifactGuidance,
    ProvisioningArtifactType, ShareStatus, SortOrder,
};
pub use error::{ErrorKind, ServiceError};
pub use ids::{
    AccountId, CreateAccountRequestId, OrganizationId, OuId, PRINCIPAL_ID_PREFIXES, PageSize,
    PageToken, Partition, PortfolioId, PortfolioShareToken, PrincipalId, ProductId, ProductViewId,
    ProvisioningArtifactId, Region, RootId, ServicePrincipal,
};
pub use node::{OrganizationNodeValue, ParentId};
pub use parse::ParseError;
pub use shapes::access::*;
pub use shapes::catalog::*;
pub use shapes::iam::*;
pub use shapes::organizations::*;
pub use shapes::products::*;
pub use shapes::structure::{Structure, deserialize_structure};
pub use time::Timestamp;
