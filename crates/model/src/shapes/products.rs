//! Products, as far as portfolios need them (issue 10): `CreateProduct`, `DescribeProduct`,
//! `DescribeProductAsAdmin`, `UpdateProduct`, `DeleteProduct`, `AssociateProductWithPortfolio`,
//! `DisassociateProductFromPortfolio`, `ListPortfoliosForProduct`, `SearchProductsAsAdmin`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::catalog::{PortfolioDetailsPage, Tag, TagInput, TagOptionDetail};
use crate::{
    PageToken, ProductId, ProductType, ProductViewId, ProvisioningArtifactGuidance,
    ProvisioningArtifactId, ProvisioningArtifactType, Timestamp,
};

// ---- requests ------------------------------------------------------------------------------------

/// `ProvisioningArtifactProperties` as sent in `CreateProduct`: every member raw.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "PascalCase")]
pub struct ProvisioningArtifactPropertiesInput {
    /// `Name`: at most 8,192 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `Description`: at most 8,192 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `Info`: 1–100 entries (for example `LoadTemplateFromURL`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub info: Option<BTreeMap<String, String>>,
    /// `Type`
    #[serde(rename = "Type", skip_serializing_if = "Option::is_none")]
    pub artifact_type: Option<String>,
    /// `DisableTemplateValidation`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disable_template_validation: Option<bool>,
}

map_only_structure!(ProvisioningArtifactPropertiesInput);

/// `SourceConnection` as sent: read only to be refused (portcullis does not sync products from
/// a source repository).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "PascalCase")]
pub struct SourceConnectionInput {
    /// `Type`
    #[serde(rename = "Type", skip_serializing_if = "Option::is_none")]
    pub source_type: Option<String>,
}

map_only_structure!(SourceConnectionInput);

/// `CreateProduct` request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateProductInput {
    /// `AcceptLanguage`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accept_language: Option<String>,
    /// `Name` (required): at most 8,191 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `Owner` (required): at most 8,191 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// `Description`: at most 8,191 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `Distributor`: at most 8,191 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distributor: Option<String>,
    /// `SupportDescription`: at most 8,191 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub support_description: Option<String>,
    /// `SupportEmail`: at most 254 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub support_email: Option<String>,
    /// `SupportUrl`: at most 2,083 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub support_url: Option<String>,
    /// `ProductType` (required)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product_type: Option<String>,
    /// `Tags`: at most 20.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<TagInput>>,
    /// `ProvisioningArtifactParameters`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provisioning_artifact_parameters: Option<ProvisioningArtifactPropertiesInput>,
    /// `IdempotencyToken` (required; SDKs fill it in).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub idempotency_token: Option<String>,
    /// `SourceConnection`: not supported.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_connection: Option<SourceConnectionInput>,
}

/// `DescribeProduct` request: `Id` or `Name`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeProductInput {
    /// `AcceptLanguage`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accept_language: Option<String>,
    /// `Id`: the product id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `Name`: the product name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// `DescribeProductAsAdmin` request: `Id` or `Name`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeProductAsAdminInput {
    /// `AcceptLanguage`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accept_language: Option<String>,
    /// `Id`: the product id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `Name`: the product name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `SourcePortfolioId`: a shared portfolio the product is in (for shared TagOptions).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_portfolio_id: Option<String>,
}

/// `UpdateProduct` request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateProductInput {
    /// `AcceptLanguage`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accept_language: Option<String>,
    /// `Id` (required): the product id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `Name`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `Owner`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// `Description`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `Distributor`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distributor: Option<String>,
    /// `SupportDescription`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub support_description: Option<String>,
    /// `SupportEmail`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub support_email: Option<String>,
    /// `SupportUrl`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub support_url: Option<String>,
    /// `AddTags`: at most 20.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub add_tags: Option<Vec<TagInput>>,
    /// `RemoveTags`: tag keys.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remove_tags: Option<Vec<String>>,
    /// `SourceConnection`: not supported.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_connection: Option<SourceConnectionInput>,
}

/// `DeleteProduct` request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteProductInput {
    /// `AcceptLanguage`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accept_language: Option<String>,
    /// `Id` (required): the product id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

/// `AssociateProductWithPortfolio` request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AssociateProductWithPortfolioInput {
    /// `AcceptLanguage`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accept_language: Option<String>,
    /// `ProductId` (required)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product_id: Option<String>,
    /// `PortfolioId` (required)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub portfolio_id: Option<String>,
    /// `SourcePortfolioId`: the imported portfolio a recipient takes the product from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_portfolio_id: Option<String>,
}

/// `DisassociateProductFromPortfolio` request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DisassociateProductFromPortfolioInput {
    /// `AcceptLanguage`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accept_language: Option<String>,
    /// `ProductId` (required)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product_id: Option<String>,
    /// `PortfolioId` (required)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub portfolio_id: Option<String>,
}

/// `ListPortfoliosForProduct` request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListPortfoliosForProductInput {
    /// `AcceptLanguage`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accept_language: Option<String>,
    /// `ProductId` (required)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product_id: Option<String>,
    /// `PageToken`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_token: Option<String>,
    /// `PageSize`: 0–100.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_size: Option<i64>,
}

/// `SearchProductsAsAdmin` request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SearchProductsAsAdminInput {
    /// `AcceptLanguage`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accept_language: Option<String>,
    /// `PortfolioId`: only the products of this portfolio.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub portfolio_id: Option<String>,
    /// `Filters`: `FullTextSearch`, `Owner`, `ProductType`, `SourceProductId` to values.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filters: Option<BTreeMap<String, Vec<String>>>,
    /// `SortBy`: `Title`, `VersionCount` or `CreationDate`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sort_by: Option<String>,
    /// `SortOrder`: `ASCENDING` or `DESCENDING`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sort_order: Option<String>,
    /// `PageToken`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_token: Option<String>,
    /// `PageSize`: 0–20.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_size: Option<i64>,
    /// `ProductSource`: `ACCOUNT`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product_source: Option<String>,
}

// ---- responses -----------------------------------------------------------------------------------

/// A product as views summarize it (`ProductViewSummary`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ProductViewSummary {
    /// `Id`: the product view id (`prodview-…`).
    pub id: ProductViewId,
    /// `ProductId`
    pub product_id: ProductId,
    /// `Name`
    pub name: String,
    /// `Owner`
    pub owner: String,
    /// `ShortDescription`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub short_description: Option<String>,
    /// `Type`
    #[serde(rename = "Type")]
    pub product_type: ProductType,
    /// `Distributor`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distributor: Option<String>,
    /// `HasDefaultPath`
    pub has_default_path: bool,
    /// `SupportEmail`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub support_email: Option<String>,
    /// `SupportDescription`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub support_description: Option<String>,
    /// `SupportUrl`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub support_url: Option<String>,
}

/// A product with its status and ARN (`ProductViewDetail`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ProductViewDetail {
    /// `ProductViewSummary`
    pub product_view_summary: ProductViewSummary,
    /// `Status`: `AVAILABLE` (products are created at once).
    pub status: String,
    /// `ProductARN`: `arn:{partition}:catalog:{region}:{account}:product/{id}`.
    #[serde(rename = "ProductARN")]
    pub product_arn: String,
    /// `CreatedTime`
    pub created_time: Timestamp,
}

/// A provisioning artifact as `CreateProduct` answers it (`ProvisioningArtifactDetail`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ProvisioningArtifactDetail {
    /// `Id`
    pub id: ProvisioningArtifactId,
    /// `Name`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `Description`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `Type`
    #[serde(rename = "Type")]
    pub artifact_type: ProvisioningArtifactType,
    /// `CreatedTime`
    pub created_time: Timestamp,
    /// `Active`
    pub active: bool,
    /// `Guidance`
    pub guidance: ProvisioningArtifactGuidance,
}

/// A provisioning artifact as `DescribeProduct` lists it (`ProvisioningArtifact`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ProvisioningArtifact {
    /// `Id`
    pub id: ProvisioningArtifactId,
    /// `Name`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `Description`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `CreatedTime`
    pub created_time: Timestamp,
    /// `Guidance`
    pub guidance: ProvisioningArtifactGuidance,
}

/// A provisioning artifact as `DescribeProductAsAdmin` lists it (`ProvisioningArtifactSummary`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ProvisioningArtifactSummary {
    /// `Id`
    pub id: ProvisioningArtifactId,
    /// `Name`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `Description`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `CreatedTime`
    pub created_time: Timestamp,
    /// `ProvisioningArtifactMetadata`: the `Info` it was created with, when any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provisioning_artifact_metadata: Option<BTreeMap<String, String>>,
}

/// A way to launch a product (`LaunchPath`): here, a portfolio that holds it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct LaunchPath {
    /// `Id`
    pub id: String,
    /// `Name`: the portfolio's display name.
    pub name: String,
}

/// A budget (`BudgetDetail`). portcullis keeps none; the shape is here so that the describe
/// operations answer the member as AWS does.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct BudgetDetail {
    /// `BudgetName`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub budget_name: Option<String>,
}

/// `CreateProduct` response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateProductOutput {
    /// `ProductViewDetail`
    pub product_view_detail: ProductViewDetail,
    /// `ProvisioningArtifactDetail`: when `ProvisioningArtifactParameters` were given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provisioning_artifact_detail: Option<ProvisioningArtifactDetail>,
    /// `Tags`
    pub tags: Vec<Tag>,
}

/// `DescribeProduct` response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeProductOutput {
    /// `ProductViewSummary`
    pub product_view_summary: ProductViewSummary,
    /// `ProvisioningArtifacts`
    pub provisioning_artifacts: Vec<ProvisioningArtifact>,
    /// `Budgets`: always empty.
    pub budgets: Vec<BudgetDetail>,
    /// `LaunchPaths`
    pub launch_paths: Vec<LaunchPath>,
}

/// `DescribeProductAsAdmin` response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeProductAsAdminOutput {
    /// `ProductViewDetail`
    pub product_view_detail: ProductViewDetail,
    /// `ProvisioningArtifactSummaries`
    pub provisioning_artifact_summaries: Vec<ProvisioningArtifactSummary>,
    /// `Tags`
    pub tags: Vec<Tag>,
    /// `TagOptions`: always empty (portcullis keeps no TagOptions).
    pub tag_options: Vec<TagOptionDetail>,
    /// `Budgets`: always empty.
    pub budgets: Vec<BudgetDetail>,
}

/// `UpdateProduct` response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateProductOutput {
    /// `ProductViewDetail`
    pub product_view_detail: ProductViewDetail,
    /// `Tags`
    pub tags: Vec<Tag>,
}

/// `DeleteProduct` response: `{}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeleteProductOutput {}

/// `AssociateProductWithPortfolio` response: `{}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssociateProductWithPortfolioOutput {}

/// `DisassociateProductFromPortfolio` response: `{}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisassociateProductFromPortfolioOutput {}

/// `ListPortfoliosForProduct` response.
pub type ListPortfoliosForProductOutput = PortfolioDetailsPage;

/// `SearchProductsAsAdmin` response.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SearchProductsAsAdminOutput {
    /// `ProductViewDetails`
    pub product_view_details: Vec<ProductViewDetail>,
    /// `NextPageToken`: absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_page_token: Option<PageToken>,
}
