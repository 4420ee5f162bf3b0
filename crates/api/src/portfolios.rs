//! Portfolios: create, describe, update, delete, list (SPEC §1 supporting operations, §5.4).

use portcullis_model::{
    Caller, CreatePortfolioInput, CreatePortfolioOutput, DeletePortfolioInput,
    DeletePortfolioOutput, DescribePortfolioInput, DescribePortfolioOutput, ListPortfoliosInput,
    ListPortfoliosOutput, PortfolioDetailsPage, PortfolioId, ServiceError, Tag, TagInput,
    Timestamp, UpdatePortfolioInput, UpdatePortfolioOutput, validate,
};
use portcullis_store::{NewPortfolio, PortfolioUpdate};

use crate::errors::{portfolio_not_found, store_error};
use crate::paging::ListScope;
use crate::{Service, catalog_page, page_token, wire};

/// AWS's limits on portfolio fields (API model: `PortfolioDisplayName`, `PortfolioDescription`,
/// `ProviderName`, `IdempotencyToken`, `TagKey`, `TagValue`, `AddTags`).
const DISPLAY_NAME_MAX: usize = 100;
const DESCRIPTION_MAX: usize = 2000;
const PROVIDER_NAME_MAX: usize = 50;
const IDEMPOTENCY_TOKEN_MAX: usize = 128;
const MAX_TAGS: usize = 20;

fn tags(field: &str, input: Option<Vec<TagInput>>) -> Result<Vec<Tag>, ServiceError> {
    let input = input.unwrap_or_default();
    if input.len() > MAX_TAGS {
        return Err(ServiceError::invalid_parameters(format!(
            "`{field}` holds at most {MAX_TAGS} tags"
        )));
    }
    input
        .into_iter()
        .map(|t| {
            let key = validate::present(&format!("{field}.Key"), t.key)?;
            let value = validate::present(&format!("{field}.Value"), t.value)?;
            validate::text(&format!("{field}.Key"), &key, 1, 128)?;
            validate::text(&format!("{field}.Value"), &value, 0, 256)?;
            Ok(Tag { key, value })
        })
        .collect()
}

fn tags_out(tags: Vec<Tag>) -> Option<Vec<Tag>> {
    Some(tags)
}

impl Service {
    /// `CreatePortfolio`: a new portfolio owned by the caller, in its region. With an
    /// `IdempotencyToken` seen before from the same account and region, answers the first
    /// creation.
    pub fn create_portfolio(
        &self,
        caller: &Caller,
        input: CreatePortfolioInput,
    ) -> Result<CreatePortfolioOutput, ServiceError> {
        let _gate = self.gate.read_recursive();
        validate::accept_language(input.accept_language.as_deref())?;
        let display_name = validate::present("DisplayName", input.display_name)?;
        validate::text("DisplayName", &display_name, 1, DISPLAY_NAME_MAX)?;
        let provider_name = validate::present("ProviderName", input.provider_name)?;
        validate::text("ProviderName", &provider_name, 1, PROVIDER_NAME_MAX)?;
        if let Some(d) = &input.description {
            validate::text("Description", d, 0, DESCRIPTION_MAX)?;
        }
        if let Some(t) = &input.idempotency_token {
            validate::text("IdempotencyToken", t, 1, IDEMPOTENCY_TOKEN_MAX)?;
        }
        let tags = tags("Tags", input.tags)?;
        let created = self.store.create_portfolio(NewPortfolio {
            owner: caller.account().clone(),
            partition: *caller.partition(),
            region: caller.region().clone(),
            display_name,
            description: input.description,
            provider_name,
            tags,
            created_time: Timestamp::now(),
            idempotency_token: input.idempotency_token,
        });
        let portfolio = created.map_err(store_error)?.portfolio;
        Ok(CreatePortfolioOutput {
            portfolio_detail: wire::portfolio_detail(&portfolio),
            tags: tags_out(portfolio.tags),
        })
    }

    /// `DescribePortfolio`: for the owner, and for a recipient that can use the portfolio
    /// (SPEC §5.4). Tags are shown to the owner only.
    pub fn describe_portfolio(
        &self,
        caller: &Caller,
        input: DescribePortfolioInput,
    ) -> Result<DescribePortfolioOutput, ServiceError> {
        let _gate = self.gate.read_recursive();
        validate::accept_language(input.accept_language.as_deref())?;
        let id: PortfolioId = validate::required("Id", input.id.as_deref())?;
        let (portfolio, relation) = self.visible_portfolio(caller, &id)?;
        let tags = match relation {
            crate::Relation::Owner => tags_out(portfolio.tags.clone()),
            crate::Relation::Recipient { .. } => None,
        };
        Ok(DescribePortfolioOutput {
            portfolio_detail: wire::portfolio_detail(&portfolio),
            tags,
            tag_options: Vec::new(),
        })
    }

    /// `UpdatePortfolio`: name, description, provider and tags; owner only.
    pub fn update_portfolio(
        &self,
        caller: &Caller,
        input: UpdatePortfolioInput,
    ) -> Result<UpdatePortfolioOutput, ServiceError> {
        let _gate = self.gate.read_recursive();
        validate::accept_language(input.accept_language.as_deref())?;
        let id: PortfolioId = validate::required("Id", input.id.as_deref())?;
        if let Some(name) = &input.display_name {
            validate::text("DisplayName", name, 1, DISPLAY_NAME_MAX)?;
        }
        if let Some(d) = &input.description {
            validate::text("Description", d, 0, DESCRIPTION_MAX)?;
        }
        if let Some(p) = &input.provider_name {
            validate::text("ProviderName", p, 1, PROVIDER_NAME_MAX)?;
        }
        let add_tags = tags("AddTags", input.add_tags)?;
        let remove_tags = input.remove_tags.unwrap_or_default();
        self.check_owned(caller, &id, || portfolio_not_found(&id))?;
        let update = PortfolioUpdate {
            display_name: input.display_name,
            description: input.description,
            provider_name: input.provider_name,
            add_tags,
            remove_tags,
        };
        let portfolio = self
            .store
            .update_portfolio(&id, update)
            .map_err(store_error)?;
        Ok(UpdatePortfolioOutput {
            portfolio_detail: wire::portfolio_detail(&portfolio),
            tags: tags_out(portfolio.tags),
        })
    }

    /// `DeletePortfolio`: owner only, and only while the portfolio has no principal
    /// associations and no shares (`ResourceInUseException`); anyone else gets
    /// `ResourceNotFoundException` (SPEC §5.4 Decision).
    pub fn delete_portfolio(
        &self,
        caller: &Caller,
        input: DeletePortfolioInput,
    ) -> Result<DeletePortfolioOutput, ServiceError> {
        let _gate = self.gate.read_recursive();
        validate::accept_language(input.accept_language.as_deref())?;
        let id: PortfolioId = validate::required("Id", input.id.as_deref())?;
        self.check_owned(caller, &id, || portfolio_not_found(&id))?;
        self.store.delete_portfolio(&id).map_err(store_error)?;
        Ok(DeletePortfolioOutput {})
    }

    /// `ListPortfolios`: the portfolios the caller owns in its region, in creation order.
    pub fn list_portfolios(
        &self,
        caller: &Caller,
        input: ListPortfoliosInput,
    ) -> Result<ListPortfoliosOutput, ServiceError> {
        let _gate = self.gate.read_recursive();
        validate::accept_language(input.accept_language.as_deref())?;
        let list = ListScope::new("ListPortfolios", caller, "", "PageToken");
        let page = catalog_page(
            &self.config,
            &list,
            input.page_token.as_deref(),
            input.page_size,
        )?;
        // A region belongs to one partition, so the caller's region names its partition too.
        let page = self
            .store
            .list_portfolios(caller.account(), caller.region(), page)
            .map_err(store_error)?;
        let next_page_token = page_token(&list, &page);
        let portfolio_details = page.items.iter().map(wire::portfolio_detail).collect();
        Ok(PortfolioDetailsPage {
            portfolio_details,
            next_page_token,
        })
    }
}
