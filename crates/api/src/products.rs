//! Products, as far as portfolios need them (SPEC §1, issue 10): create, describe (as an end
//! user and as an administrator), update, delete, associate with and disassociate from
//! portfolios, list a product's portfolios, search products as an administrator.
//!
//! Who sees a product: its owner account (in the product's partition and region), and an
//! account holding it through a portfolio *in its account* (SPEC §5.1: owned, or shared with
//! it and imported) — how AWS shows recipients the products of portfolios shared with them.
//! Only the owner changes or deletes a product.

use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use portcullis_model::{
    AssociateProductWithPortfolioInput, AssociateProductWithPortfolioOutput, Caller,
    CreateProductInput, CreateProductOutput, DeleteProductInput, DeleteProductOutput,
    DescribeProductAsAdminInput, DescribeProductAsAdminOutput, DescribeProductInput,
    DescribeProductOutput, DisassociateProductFromPortfolioInput,
    DisassociateProductFromPortfolioOutput, LaunchPath, ListPortfoliosForProductInput,
    ListPortfoliosForProductOutput, PageToken, PortfolioDetailsPage, PortfolioId, ProductId,
    ProductSource, ProductType, ProductViewDetail, ProductViewFilterBy, ProductViewSortBy,
    ProductViewSummary, ProvisioningArtifact, ProvisioningArtifactDetail,
    ProvisioningArtifactPropertiesInput, ProvisioningArtifactSummary, ProvisioningArtifactType,
    SearchProductsAsAdminInput, SearchProductsAsAdminOutput, ServiceError, SortOrder,
    SourceConnectionInput, Timestamp, UpdateProductInput, UpdateProductOutput, product_arn,
    validate,
};
use portcullis_store::{
    ImportKind, NewProduct, NewProvisioningArtifact, PageRequest, PortfolioRecord, Position,
    ProductRecord, ProductUpdate, ProvisioningArtifactRecord, StoreError,
};

use crate::errors::{portfolio_not_found, product_not_found, store_error};
use crate::paging::{ListScope, page_positioned};
use crate::{Service, catalog_page, page_token, wire};

/// AWS's limits on product fields (API model: `ProductViewName`, `ProductViewOwner`,
/// `ProductViewShortDescription`, `SupportDescription`, `SupportEmail`, `SupportUrl`,
/// `ProvisioningArtifactName`, `ProvisioningArtifactDescription`, `ProvisioningArtifactInfo`,
/// `AddTags`, `PageSize` of `SearchProductsAsAdmin`).
const TEXT_MAX: usize = 8191;
const SUPPORT_EMAIL_MAX: usize = 254;
const SUPPORT_URL_MAX: usize = 2083;
const ARTIFACT_TEXT_MAX: usize = 8192;
const INFO_MAX: usize = 100;
const MAX_TAGS: usize = 20;
const SEARCH_PAGE_MAX: i64 = 20;

/// `Status` of every product: created at once.
const AVAILABLE: &str = "AVAILABLE";

/// The `ResourceNotFoundException` for a product looked up by name (moto's words; AWS
/// documents none).
fn product_name_not_found(name: &str) -> ServiceError {
    ServiceError::not_found(format!("Product with Name '{name}' not found."))
}

fn optional_text(field: &str, value: Option<&String>, max: usize) -> Result<(), ServiceError> {
    if let Some(v) = value {
        validate::text(field, v, 0, max)?;
    }
    Ok(())
}

/// The optional detail members `CreateProduct` and `UpdateProduct` share, within the model's
/// lengths: `Description`, `Distributor`, `SupportDescription`, `SupportEmail`, `SupportUrl`.
fn product_details_within_limits(
    description: Option<&String>,
    distributor: Option<&String>,
    support_description: Option<&String>,
    support_email: Option<&String>,
    support_url: Option<&String>,
) -> Result<(), ServiceError> {
    optional_text("Description", description, TEXT_MAX)?;
    optional_text("Distributor", distributor, TEXT_MAX)?;
    optional_text("SupportDescription", support_description, TEXT_MAX)?;
    optional_text("SupportEmail", support_email, SUPPORT_EMAIL_MAX)?;
    optional_text("SupportUrl", support_url, SUPPORT_URL_MAX)
}

/// `SourceConnection` (syncing a product from a source repository) is not modelled: a request
/// carrying it is refused rather than half applied.
fn no_source_connection(value: Option<&SourceConnectionInput>) -> Result<(), ServiceError> {
    match value {
        None => Ok(()),
        Some(_) => Err(ServiceError::invalid_parameters(
            "`SourceConnection` is not supported: portcullis does not sync products from a \
             source repository",
        )),
    }
}

/// The provisioning artifact type a product's first artifact gets when none is given.
fn default_artifact_type(product_type: ProductType) -> ProvisioningArtifactType {
    match product_type {
        ProductType::CloudFormationTemplate => ProvisioningArtifactType::CloudFormationTemplate,
        ProductType::Marketplace => ProvisioningArtifactType::MarketplaceAmi,
        ProductType::TerraformOpenSource => ProvisioningArtifactType::TerraformOpenSource,
        ProductType::TerraformCloud => ProvisioningArtifactType::TerraformCloud,
        ProductType::External => ProvisioningArtifactType::External,
    }
}

fn artifact(
    input: ProvisioningArtifactPropertiesInput,
    product_type: ProductType,
) -> Result<NewProvisioningArtifact, ServiceError> {
    const FIELD: &str = "ProvisioningArtifactParameters";
    optional_text(
        &format!("{FIELD}.Name"),
        input.name.as_ref(),
        ARTIFACT_TEXT_MAX,
    )?;
    optional_text(
        &format!("{FIELD}.Description"),
        input.description.as_ref(),
        ARTIFACT_TEXT_MAX,
    )?;
    if let Some(info) = &input.info
        && !(1..=INFO_MAX).contains(&info.len())
    {
        return Err(ServiceError::invalid_parameters(format!(
            "invalid value for `{FIELD}.Info`: must hold 1 to {INFO_MAX} entries"
        )));
    }
    let artifact_type = validate::optional::<ProvisioningArtifactType>(
        &format!("{FIELD}.Type"),
        input.artifact_type.as_deref(),
    )?
    .unwrap_or_else(|| default_artifact_type(product_type));
    Ok(NewProvisioningArtifact {
        name: input.name,
        description: input.description,
        info: input.info.unwrap_or_default(),
        artifact_type: Some(artifact_type),
        disable_template_validation: input.disable_template_validation.unwrap_or(false),
    })
}

pub(crate) fn view_summary(p: &ProductRecord) -> ProductViewSummary {
    ProductViewSummary {
        id: p.view_id.clone(),
        product_id: p.id.clone(),
        name: p.name.clone(),
        owner: p.product_owner.clone(),
        short_description: p.description.clone(),
        product_type: p.product_type,
        distributor: p.distributor.clone(),
        has_default_path: false,
        support_email: p.support_email.clone(),
        support_description: p.support_description.clone(),
        support_url: p.support_url.clone(),
    }
}

pub(crate) fn view_detail(p: &ProductRecord) -> ProductViewDetail {
    ProductViewDetail {
        product_view_summary: view_summary(p),
        status: AVAILABLE.to_owned(),
        product_arn: product_arn(&p.partition, &p.region, &p.owner, &p.id),
        created_time: p.created_time,
    }
}

fn artifact_detail(a: &ProvisioningArtifactRecord) -> ProvisioningArtifactDetail {
    ProvisioningArtifactDetail {
        id: a.id.clone(),
        name: a.name.clone(),
        description: a.description.clone(),
        artifact_type: a.artifact_type,
        created_time: a.created_time,
        active: a.active,
        guidance: a.guidance,
    }
}

/// The portfolio a launch path goes through (**Decision**: its id is the portfolio's id).
fn launch_path(p: &PortfolioRecord) -> LaunchPath {
    LaunchPath {
        id: p.id.to_string(),
        name: p.display_name.clone(),
    }
}

/// `Id` or `Name` of the describe operations: `Id` when given (`Name` is then not consulted),
/// else `Name`; neither is `InvalidParametersException` in moto's words.
enum ProductKey {
    Id(ProductId),
    Name(String),
}

fn product_key(id: Option<&str>, name: Option<String>) -> Result<ProductKey, ServiceError> {
    match (id, name) {
        (Some(id), _) => Ok(ProductKey::Id(validate::parse("Id", id)?)),
        (None, Some(name)) => {
            validate::text("Name", &name, 0, TEXT_MAX)?;
            Ok(ProductKey::Name(name))
        }
        (None, None) => Err(ServiceError::invalid_parameters(
            "Either Id or Name must be specified.",
        )),
    }
}

/// A product the caller sees, with the portfolios in the caller's account that hold it.
struct Visible {
    product: ProductRecord,
    owned: bool,
    portfolios: Vec<PortfolioRecord>,
}

/// `Filters` of `SearchProductsAsAdmin`: every named filter must match (values of one filter:
/// any of them).
struct Filters(BTreeMap<ProductViewFilterBy, Vec<String>>);

impl Filters {
    fn parse(filters: Option<BTreeMap<String, Vec<String>>>) -> Result<Filters, ServiceError> {
        let mut parsed = BTreeMap::new();
        for (key, values) in filters.unwrap_or_default() {
            let key: ProductViewFilterBy = validate::parse("Filters", &key)?;
            parsed.insert(key, values);
        }
        Ok(Filters(parsed))
    }

    fn matches(&self, p: &ProductRecord) -> bool {
        self.0.iter().all(|(key, values)| {
            values.iter().any(|value| match key {
                // Case-insensitive, in the name, owner, description and distributor.
                ProductViewFilterBy::FullTextSearch => {
                    let needle = value.to_lowercase();
                    [
                        Some(&p.name),
                        Some(&p.product_owner),
                        p.description.as_ref(),
                        p.distributor.as_ref(),
                    ]
                    .into_iter()
                    .flatten()
                    .any(|text| text.to_lowercase().contains(&needle))
                }
                ProductViewFilterBy::Owner => p.product_owner == *value,
                ProductViewFilterBy::ProductType => p.product_type.as_str() == value,
                // No product here is a copy of another (there is no CopyProduct).
                ProductViewFilterBy::SourceProductId => false,
            })
        })
    }
}

impl Service {
    /// The product `id` if it lives in the caller's partition and region.
    fn product_in_region(
        &self,
        caller: &Caller,
        id: &ProductId,
    ) -> Result<Option<ProductRecord>, ServiceError> {
        Ok(self
            .store
            .product(id)
            .map_err(store_error)?
            .filter(|p| p.region == *caller.region() && p.partition == *caller.partition()))
    }

    /// Whether the portfolio is in the caller's account: owned, or shared with it and imported.
    fn in_callers_account(&self, caller: &Caller, id: &PortfolioId) -> Result<bool, ServiceError> {
        match self.portfolio_in_account(caller, id) {
            Ok(_) => Ok(true),
            Err(e) if e.kind() == portcullis_model::ErrorKind::ResourceNotFound => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// The portfolios in the caller's account that hold `product`: the caller's own, and the
    /// owner's that the caller imported. Associations are only ever made by a portfolio's owner,
    /// so no other account's portfolio can be in the caller's account.
    fn portfolios_holding(
        &self,
        caller: &Caller,
        product: &ProductRecord,
    ) -> Result<Vec<PortfolioRecord>, ServiceError> {
        let mut held = self
            .store
            .list_portfolios_for_product(&product.id, caller.account(), PageRequest::all())
            .map_err(store_error)?
            .items;
        if product.owner != *caller.account() {
            let shared = self
                .store
                .list_portfolios_for_product(&product.id, &product.owner, PageRequest::all())
                .map_err(store_error)?
                .items;
            for portfolio in shared {
                if self.in_callers_account(caller, &portfolio.id)? {
                    held.push(portfolio);
                }
            }
        }
        Ok(held)
    }

    /// A product the caller sees (see the module docs), else `ResourceNotFoundException`.
    fn visible_product(&self, caller: &Caller, id: &ProductId) -> Result<Visible, ServiceError> {
        let product = self
            .product_in_region(caller, id)?
            .ok_or_else(|| product_not_found(id))?;
        let portfolios = self.portfolios_holding(caller, &product)?;
        let owned = product.owner == *caller.account();
        if !owned && portfolios.is_empty() {
            return Err(product_not_found(id));
        }
        Ok(Visible {
            product,
            owned,
            portfolios,
        })
    }

    /// The product named `name` that the caller sees: its own first (the first created), else
    /// one held by a portfolio it imported.
    fn visible_product_by_name(
        &self,
        caller: &Caller,
        name: &str,
    ) -> Result<Visible, ServiceError> {
        if let Some(own) = self
            .store
            .product_by_name(caller.account(), caller.region(), name)
            .map_err(store_error)?
            .filter(|p| p.partition == *caller.partition())
        {
            return self.visible_product(caller, &own.id);
        }
        for kind in [ImportKind::AccountShare, ImportKind::OrganizationShare] {
            let imports = self
                .store
                .list_imports(caller.account(), caller.region(), kind)
                .map_err(store_error)?;
            for (_, portfolio) in imports {
                let products = match self
                    .store
                    .list_products_for_portfolio(&portfolio.id, PageRequest::all())
                {
                    Ok(page) => page.items,
                    Err(StoreError::PortfolioNotFound(_)) => continue,
                    Err(e) => return Err(store_error(e)),
                };
                for product in products.into_iter().filter(|p| p.name == name) {
                    if let Ok(visible) = self.visible_product(caller, &product.id) {
                        return Ok(visible);
                    }
                }
            }
        }
        Err(product_name_not_found(name))
    }

    fn find_product(&self, caller: &Caller, key: ProductKey) -> Result<Visible, ServiceError> {
        match key {
            ProductKey::Id(id) => self.visible_product(caller, &id),
            ProductKey::Name(name) => self.visible_product_by_name(caller, &name),
        }
    }

    /// A product the caller owns, else `ResourceNotFoundException` (a product shared with the
    /// caller cannot be changed or deleted by it).
    fn owned_product(
        &self,
        caller: &Caller,
        id: &ProductId,
    ) -> Result<ProductRecord, ServiceError> {
        self.product_in_region(caller, id)?
            .filter(|p| p.owner == *caller.account())
            .ok_or_else(|| product_not_found(id))
    }

    /// `CreateProduct`: a new product owned by the caller, in its region, with its first
    /// provisioning artifact when `ProvisioningArtifactParameters` are given. An
    /// `IdempotencyToken` seen before from the same account and region answers the first
    /// creation.
    pub fn create_product(
        &self,
        caller: &Caller,
        input: CreateProductInput,
    ) -> Result<CreateProductOutput, ServiceError> {
        let _gate = self.gate.read_recursive();
        validate::accept_language(input.accept_language.as_deref())?;
        let name = validate::present("Name", input.name)?;
        validate::text("Name", &name, 0, TEXT_MAX)?;
        let product_owner = validate::present("Owner", input.owner)?;
        validate::text("Owner", &product_owner, 0, TEXT_MAX)?;
        let product_type: ProductType =
            validate::required("ProductType", input.product_type.as_deref())?;
        let token = validate::present("IdempotencyToken", input.idempotency_token)?;
        validate::idempotency_token(&token)?;
        product_details_within_limits(
            input.description.as_ref(),
            input.distributor.as_ref(),
            input.support_description.as_ref(),
            input.support_email.as_ref(),
            input.support_url.as_ref(),
        )?;
        let tags = validate::tags("Tags", &input.tags.unwrap_or_default(), MAX_TAGS)?;
        no_source_connection(input.source_connection.as_ref())?;
        let provisioning_artifact = input
            .provisioning_artifact_parameters
            .map(|a| artifact(a, product_type))
            .transpose()?;
        let created = self
            .store
            .create_product(NewProduct {
                owner: caller.account().clone(),
                partition: *caller.partition(),
                region: caller.region().clone(),
                name,
                product_owner,
                description: input.description,
                distributor: input.distributor,
                support_description: input.support_description,
                support_email: input.support_email,
                support_url: input.support_url,
                product_type,
                tags,
                created_time: Timestamp::now(),
                provisioning_artifact,
                idempotency_token: Some(token),
            })
            .map_err(store_error)?;
        let product = created.product;
        Ok(CreateProductOutput {
            product_view_detail: view_detail(&product),
            provisioning_artifact_detail: product
                .provisioning_artifacts
                .first()
                .map(artifact_detail),
            tags: product.tags,
        })
    }

    /// `DescribeProduct`: the end user's view of a product the caller sees (its owner, or an
    /// account holding it through a portfolio in its account), by `Id` or `Name`, with its
    /// active provisioning artifacts and its launch paths (the portfolios in the caller's
    /// account holding it).
    pub fn describe_product(
        &self,
        caller: &Caller,
        input: DescribeProductInput,
    ) -> Result<DescribeProductOutput, ServiceError> {
        let _gate = self.gate.read_recursive();
        validate::accept_language(input.accept_language.as_deref())?;
        let key = product_key(input.id.as_deref(), input.name)?;
        let visible = self.find_product(caller, key)?;
        let product = &visible.product;
        Ok(DescribeProductOutput {
            product_view_summary: view_summary(product),
            provisioning_artifacts: product
                .provisioning_artifacts
                .iter()
                .filter(|a| a.active)
                .map(|a| ProvisioningArtifact {
                    id: a.id.clone(),
                    name: a.name.clone(),
                    description: a.description.clone(),
                    created_time: a.created_time,
                    guidance: a.guidance,
                })
                .collect(),
            budgets: Vec::new(),
            launch_paths: visible.portfolios.iter().map(launch_path).collect(),
        })
    }

    /// `DescribeProductAsAdmin`: the administrator's view, for the same products as
    /// `DescribeProduct`; tags are shown to the owner only. `SourcePortfolioId`, when given,
    /// must be a portfolio in the caller's account holding the product.
    pub fn describe_product_as_admin(
        &self,
        caller: &Caller,
        input: DescribeProductAsAdminInput,
    ) -> Result<DescribeProductAsAdminOutput, ServiceError> {
        let _gate = self.gate.read_recursive();
        validate::accept_language(input.accept_language.as_deref())?;
        let key = product_key(input.id.as_deref(), input.name)?;
        let source: Option<PortfolioId> =
            validate::optional("SourcePortfolioId", input.source_portfolio_id.as_deref())?;
        let visible = self.find_product(caller, key)?;
        if let Some(source) = &source
            && !visible.portfolios.iter().any(|p| p.id == *source)
        {
            return Err(portfolio_not_found(source));
        }
        let product = visible.product;
        Ok(DescribeProductAsAdminOutput {
            product_view_detail: view_detail(&product),
            provisioning_artifact_summaries: product
                .provisioning_artifacts
                .iter()
                .map(|a| ProvisioningArtifactSummary {
                    id: a.id.clone(),
                    name: a.name.clone(),
                    description: a.description.clone(),
                    created_time: a.created_time,
                    provisioning_artifact_metadata: (!a.info.is_empty()).then(|| a.info.clone()),
                })
                .collect(),
            tags: if visible.owned {
                product.tags
            } else {
                Vec::new()
            },
            tag_options: Vec::new(),
            budgets: Vec::new(),
        })
    }

    /// `UpdateProduct`: the owner changes names, descriptions, support fields and tags.
    pub fn update_product(
        &self,
        caller: &Caller,
        input: UpdateProductInput,
    ) -> Result<UpdateProductOutput, ServiceError> {
        let _gate = self.gate.read_recursive();
        validate::accept_language(input.accept_language.as_deref())?;
        let id: ProductId = validate::required("Id", input.id.as_deref())?;
        optional_text("Name", input.name.as_ref(), TEXT_MAX)?;
        optional_text("Owner", input.owner.as_ref(), TEXT_MAX)?;
        product_details_within_limits(
            input.description.as_ref(),
            input.distributor.as_ref(),
            input.support_description.as_ref(),
            input.support_email.as_ref(),
            input.support_url.as_ref(),
        )?;
        let add_tags = validate::tags("AddTags", &input.add_tags.unwrap_or_default(), MAX_TAGS)?;
        let remove_tags = input.remove_tags.unwrap_or_default();
        for (i, key) in remove_tags.iter().enumerate() {
            validate::text(&format!("RemoveTags[{i}]"), key, 1, 128)?;
        }
        no_source_connection(input.source_connection.as_ref())?;
        self.owned_product(caller, &id)?;
        let product = self
            .store
            .update_product(
                &id,
                ProductUpdate {
                    name: input.name,
                    product_owner: input.owner,
                    description: input.description,
                    distributor: input.distributor,
                    support_description: input.support_description,
                    support_email: input.support_email,
                    support_url: input.support_url,
                    add_tags,
                    remove_tags,
                },
            )
            .map_err(store_error)?;
        Ok(UpdateProductOutput {
            product_view_detail: view_detail(&product),
            tags: product.tags,
        })
    }

    /// `DeleteProduct`: owner only, and only while the product is in no portfolio
    /// (`ResourceInUseException`, AWS: "You cannot delete a product if it was shared with you
    /// or is associated with a portfolio").
    pub fn delete_product(
        &self,
        caller: &Caller,
        input: DeleteProductInput,
    ) -> Result<DeleteProductOutput, ServiceError> {
        let _gate = self.gate.read_recursive();
        validate::accept_language(input.accept_language.as_deref())?;
        let id: ProductId = validate::required("Id", input.id.as_deref())?;
        self.owned_product(caller, &id)?;
        self.store.delete_product(&id).map_err(store_error)?;
        Ok(DeleteProductOutput {})
    }

    /// `AssociateProductWithPortfolio`: into a portfolio the caller owns, a product it owns, or
    /// (with `SourcePortfolioId`) a product of a portfolio it imported. Idempotent.
    pub fn associate_product_with_portfolio(
        &self,
        caller: &Caller,
        input: AssociateProductWithPortfolioInput,
    ) -> Result<AssociateProductWithPortfolioOutput, ServiceError> {
        let _gate = self.gate.read_recursive();
        validate::accept_language(input.accept_language.as_deref())?;
        let product_id: ProductId = validate::required("ProductId", input.product_id.as_deref())?;
        let portfolio_id: PortfolioId =
            validate::required("PortfolioId", input.portfolio_id.as_deref())?;
        let source: Option<PortfolioId> =
            validate::optional("SourcePortfolioId", input.source_portfolio_id.as_deref())?;
        self.check_owned(caller, &portfolio_id, || portfolio_not_found(&portfolio_id))?;
        let visible = self.visible_product(caller, &product_id)?;
        match &source {
            // A product held through a portfolio in the caller's account: the source must be one.
            Some(source) if !visible.portfolios.iter().any(|p| p.id == *source) => {
                return Err(portfolio_not_found(source));
            }
            // Without a source, only the caller's own products.
            None if !visible.owned => return Err(product_not_found(&product_id)),
            _ => {}
        }
        self.store
            .associate_product(&product_id, &portfolio_id)
            .map_err(store_error)?;
        Ok(AssociateProductWithPortfolioOutput {})
    }

    /// `DisassociateProductFromPortfolio`: from a portfolio the caller owns;
    /// `ResourceNotFoundException` when the product is not in it.
    pub fn disassociate_product_from_portfolio(
        &self,
        caller: &Caller,
        input: DisassociateProductFromPortfolioInput,
    ) -> Result<DisassociateProductFromPortfolioOutput, ServiceError> {
        let _gate = self.gate.read_recursive();
        validate::accept_language(input.accept_language.as_deref())?;
        let product_id: ProductId = validate::required("ProductId", input.product_id.as_deref())?;
        let portfolio_id: PortfolioId =
            validate::required("PortfolioId", input.portfolio_id.as_deref())?;
        self.check_owned(caller, &portfolio_id, || portfolio_not_found(&portfolio_id))?;
        self.store
            .disassociate_product(&product_id, &portfolio_id)
            .map_err(store_error)?;
        Ok(DisassociateProductFromPortfolioOutput {})
    }

    /// `ListPortfoliosForProduct`: the caller's own portfolios holding a product it sees, in
    /// association order.
    pub fn list_portfolios_for_product(
        &self,
        caller: &Caller,
        input: ListPortfoliosForProductInput,
    ) -> Result<ListPortfoliosForProductOutput, ServiceError> {
        let _gate = self.gate.read_recursive();
        validate::accept_language(input.accept_language.as_deref())?;
        let product_id: ProductId = validate::required("ProductId", input.product_id.as_deref())?;
        let list = ListScope::new("ListPortfoliosForProduct", caller, &product_id, "PageToken");
        let page = catalog_page(
            &self.config,
            &list,
            input.page_token.as_deref(),
            input.page_size,
        )?;
        self.visible_product(caller, &product_id)?;
        let page = self
            .store
            .list_portfolios_for_product(&product_id, caller.account(), page)
            .map_err(store_error)?;
        Ok(PortfolioDetailsPage {
            next_page_token: page_token(&list, &page),
            portfolio_details: page.items.iter().map(wire::portfolio_detail).collect(),
        })
    }

    /// `SearchProductsAsAdmin`: the caller's products in its region, or the products of a
    /// portfolio in its account, filtered, then sorted (`SortBy`, `SortOrder`; unsorted is
    /// creation order, or association order for a portfolio), then paged.
    pub fn search_products_as_admin(
        &self,
        caller: &Caller,
        input: SearchProductsAsAdminInput,
    ) -> Result<SearchProductsAsAdminOutput, ServiceError> {
        let _gate = self.gate.read_recursive();
        validate::accept_language(input.accept_language.as_deref())?;
        let portfolio: Option<PortfolioId> =
            validate::optional("PortfolioId", input.portfolio_id.as_deref())?;
        let sort_by: Option<ProductViewSortBy> =
            validate::optional("SortBy", input.sort_by.as_deref())?;
        let descending = validate::optional::<SortOrder>("SortOrder", input.sort_order.as_deref())?
            == Some(SortOrder::Descending);
        // `ACCOUNT` (the only value) lists what the caller's account holds, as without it.
        let _source: Option<ProductSource> =
            validate::optional("ProductSource", input.product_source.as_deref())?;
        let filters = Filters::parse(input.filters)?;
        let size = match input.page_size {
            Some(n) if !(0..=SEARCH_PAGE_MAX).contains(&n) => {
                return Err(ServiceError::invalid_parameters(format!(
                    "invalid value `{n}` for `PageSize`: must be 0 to {SEARCH_PAGE_MAX}"
                )));
            }
            Some(n) if n > 0 => usize::try_from(n).unwrap_or(1),
            _ => self.config.default_page_size.min(SEARCH_PAGE_MAX as usize),
        };
        // The token is bound to the search: its portfolio, filters and order.
        let mut hasher = DefaultHasher::new();
        (&portfolio, sort_by, descending, &filters.0).hash(&mut hasher);
        let scope = format!("{:016x}", hasher.finish());
        let list = ListScope::new("SearchProductsAsAdmin", caller, scope, "PageToken");
        let after = list.position(input.page_token.as_deref())?;

        let products = match &portfolio {
            Some(id) => {
                self.check_in_account(caller, id)?;
                self.store
                    .list_products_for_portfolio(id, PageRequest::all())
                    .map_err(store_error)?
                    .items
            }
            None => {
                self.store
                    .list_products(caller.account(), caller.region(), PageRequest::all())
                    .map_err(store_error)?
                    .items
            }
        };
        let mut products: Vec<ProductRecord> = products
            .into_iter()
            .filter(|p| filters.matches(p))
            .collect();
        if let Some(sort_by) = sort_by {
            // Stable: equal keys keep the list's order.
            match sort_by {
                ProductViewSortBy::Title => products.sort_by(|a, b| a.name.cmp(&b.name)),
                ProductViewSortBy::VersionCount => {
                    products.sort_by_key(|p| p.provisioning_artifacts.len())
                }
                ProductViewSortBy::CreationDate => products.sort_by_key(|p| p.created_time),
            }
            if descending {
                products.reverse();
            }
        }
        let positioned = products
            .into_iter()
            .enumerate()
            .map(|(i, p)| (Position::new(i as u64 + 1), p))
            .collect();
        let page = page_positioned(positioned, PageRequest { after, limit: size });
        let next_page_token = list.next(&page).and_then(|t| PageToken::parse(&t).ok());
        Ok(SearchProductsAsAdminOutput {
            product_view_details: page.items.iter().map(view_detail).collect(),
            next_page_token,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_product_type_has_a_default_artifact_type_of_its_kind() {
        for t in ProductType::ALL {
            let a = default_artifact_type(*t);
            assert!(
                a.as_str().starts_with(t.as_str()) || *t == ProductType::Marketplace,
                "{t:?} -> {a:?}"
            );
        }
    }
}
