//! Portfolio shares: `CreatePortfolioShare` (SPEC §5.3) and the share lifecycle seen from both
//! sides (SPEC §5.4).

use portcullis_model::{
    AcceptPortfolioShareInput, AcceptPortfolioShareOutput, AccountId, Caller,
    CreatePortfolioShareInput, CreatePortfolioShareOutput, DeletePortfolioShareInput,
    DeletePortfolioShareOutput, DescribePortfolioShareStatusInput,
    DescribePortfolioShareStatusOutput, DescribePortfolioShareType, DescribePortfolioSharesInput,
    DescribePortfolioSharesOutput, ListAcceptedPortfolioSharesInput,
    ListAcceptedPortfolioSharesOutput, ListOrganizationPortfolioAccessInput,
    ListOrganizationPortfolioAccessOutput, ListPortfolioAccessInput, ListPortfolioAccessOutput,
    OrganizationNode, OrganizationNodeInput, OrganizationNodeType, OrganizationNodeValue, ParentId,
    PortfolioDetailsPage, PortfolioId, PortfolioShareToken, PortfolioShareType,
    RejectPortfolioShareInput, RejectPortfolioShareOutput, ServiceError, ServicePrincipal,
    ShareDetails, ShareStatus, UpdatePortfolioShareInput, UpdatePortfolioShareOutput, validate,
};
use portcullis_store::{
    ImportKind, NewShare, PageRequest, ShareOperationKind, ShareTarget, ShareUpdate,
};

use crate::access::reach::share_covers;
use crate::errors::{portfolio_not_found, store_error};
use crate::paging::{ListScope, Slash, page_of, page_positioned};
use crate::{Service, catalog_page, page_token, wire};

/// The share's recipient from `AccountId` / `OrganizationNode`: exactly one must be given.
fn share_target(
    account_id: Option<&str>,
    node: Option<OrganizationNodeInput>,
) -> Result<ShareTarget, ServiceError> {
    match (account_id, node) {
        (Some(account), None) => Ok(ShareTarget::Account(validate::parse("AccountId", account)?)),
        (None, Some(node)) => {
            let node_type: OrganizationNodeType =
                validate::required("OrganizationNode.Type", node.node_type.as_deref())?;
            let value = validate::present("OrganizationNode.Value", node.value)?;
            let value = OrganizationNodeValue::parse(node_type, &value)
                .map_err(|e| e.for_field("OrganizationNode.Value"))?;
            Ok(ShareTarget::from_node(value))
        }
        (Some(_), Some(_)) => Err(ServiceError::invalid_parameters(
            "give exactly one of `AccountId` and `OrganizationNode`, not both",
        )),
        (None, None) => Err(ServiceError::invalid_parameters(
            "give exactly one of `AccountId` and `OrganizationNode`",
        )),
    }
}

/// `SharePrincipals` is only for organization and organizational unit shares (SPEC §5.3).
fn check_share_principals(
    target: &ShareTarget,
    share_principals: Option<bool>,
) -> Result<(), ServiceError> {
    let allowed = matches!(
        target,
        ShareTarget::Organization(_) | ShareTarget::OrganizationalUnit(_)
    );
    if share_principals == Some(true) && !allowed {
        return Err(ServiceError::invalid_parameters(
            "`SharePrincipals` can be true only for a share with an `OrganizationNode` of type \
             `ORGANIZATION` or `ORGANIZATIONAL_UNIT`",
        ));
    }
    Ok(())
}

fn cannot_share_imported(id: &PortfolioId) -> impl FnOnce() -> ServiceError + '_ {
    move || {
        ServiceError::operation_not_supported(format!(
            "portfolio `{id}` is shared with you: you can't share a shared resource"
        ))
    }
}

fn share_type_of(node_type: OrganizationNodeType) -> DescribePortfolioShareType {
    match node_type {
        OrganizationNodeType::Organization => DescribePortfolioShareType::Organization,
        OrganizationNodeType::OrganizationalUnit => DescribePortfolioShareType::OrganizationalUnit,
        OrganizationNodeType::Account => DescribePortfolioShareType::OrganizationMemberAccount,
    }
}

impl Service {
    /// The organization-node rules of SPEC §5.3: the caller administers an organization, which
    /// has Service Catalog access enabled, and the node is in it.
    fn check_organization_share(
        &self,
        caller: &Caller,
        node: &OrganizationNodeValue,
    ) -> Result<(), ServiceError> {
        let (organization, _) = self.administered_organization(caller)?.ok_or_else(|| {
            ServiceError::operation_not_supported(
                "sharing with an organization node needs the management account of an organization \
                 or a delegated administrator for Service Catalog",
            )
        })?;
        if !self
            .store
            .service_access(&organization, &ServicePrincipal::service_catalog())
            .map_err(store_error)?
        {
            return Err(ServiceError::invalid_state(
                "AWS Organizations access is not enabled for Service Catalog: call `EnableAWSOrganizationsAccess` first",
            ));
        }
        let exists = match node {
            OrganizationNodeValue::Organization(o) => *o == organization,
            OrganizationNodeValue::OrganizationalUnit(ou) => self
                .store
                .organizational_unit(ou)
                .map_err(store_error)?
                .is_some_and(|r| r.organization == organization),
            OrganizationNodeValue::Account(a) => self
                .store
                .member_account(a)
                .map_err(store_error)?
                .is_some_and(|m| m.organization == organization),
        };
        if !exists {
            return Err(ServiceError::not_found(format!(
                "organization node `{}` not found in organization `{organization}`",
                node.as_str()
            )));
        }
        Ok(())
    }

    /// Only administrators of an organization may change or list organization-node shares.
    fn check_organization_admin(&self, caller: &Caller) -> Result<(), ServiceError> {
        self.administered_organization(caller)?.map(drop).ok_or_else(|| {
            ServiceError::operation_not_supported(
                "organization-node shares are managed by the management account or a delegated administrator",
            )
        })
    }

    /// `CreatePortfolioShare` (SPEC §5.3).
    pub fn create_portfolio_share(
        &self,
        caller: &Caller,
        input: CreatePortfolioShareInput,
    ) -> Result<CreatePortfolioShareOutput, ServiceError> {
        let _gate = self.gate.read_recursive();
        validate::accept_language(input.accept_language.as_deref())?;
        let id: PortfolioId = validate::required("PortfolioId", input.portfolio_id.as_deref())?;
        let target = share_target(input.account_id.as_deref(), input.organization_node)?;
        self.check_owned(caller, &id, cannot_share_imported(&id))?;
        if target == ShareTarget::Account(caller.account().clone()) {
            return Err(ServiceError::invalid_parameters(
                "`AccountId` is the caller's own account: a portfolio can't be shared with its owner",
            ));
        }
        check_share_principals(&target, input.share_principals)?;
        if let Some(node) = target.organization_node() {
            self.check_organization_share(caller, &node)?;
        }
        // Organization-node shares need no acceptance (AWS imports them automatically) and are
        // tracked under a token for `DescribePortfolioShareStatus`; account shares start
        // unaccepted (SPEC §5.3, §5.4).
        let organization_node = target.is_organization_node();
        let new = NewShare {
            target,
            share_principals: input.share_principals.unwrap_or(false),
            share_tag_options: input.share_tag_options.unwrap_or(false),
            accepted: organization_node,
            track: organization_node,
            created_by: caller.account().clone(),
        };
        let created = self
            .store
            .create_share(&id, new, self.config.max_shares)
            .map_err(store_error)?;
        Ok(CreatePortfolioShareOutput {
            portfolio_share_token: created.share.token,
        })
    }

    /// `DescribePortfolioShares`: the owner's view of a portfolio's shares of one type.
    pub fn describe_portfolio_shares(
        &self,
        caller: &Caller,
        input: DescribePortfolioSharesInput,
    ) -> Result<DescribePortfolioSharesOutput, ServiceError> {
        let _gate = self.gate.read_recursive();
        let id: PortfolioId = validate::required("PortfolioId", input.portfolio_id.as_deref())?;
        let share_type: DescribePortfolioShareType =
            validate::required("Type", input.share_type.as_deref())?;
        let list = ListScope::new(
            "DescribePortfolioShares",
            caller,
            Slash(&id, share_type),
            "PageToken",
        );
        let page = catalog_page(
            &self.config,
            &list,
            input.page_token.as_deref(),
            input.page_size,
        )?;
        self.check_owned(caller, &id, || portfolio_not_found(&id))?;
        let mut items = Vec::with_capacity(page.limit.min(64));
        let next = self
            .store
            .visit_shares(&id, Some(share_type), page, &mut |share| {
                items.push(wire::share_detail(share));
            })
            .map_err(store_error)?;
        let page = portcullis_store::Page { items, next };
        Ok(DescribePortfolioSharesOutput {
            next_page_token: page_token(&list, &page),
            portfolio_share_details: page.items,
        })
    }

    /// `DescribePortfolioShareStatus`: shares complete synchronously, so every operation is
    /// `COMPLETED` with every covered account listed (SPEC §5.3 Decision).
    pub fn describe_portfolio_share_status(
        &self,
        caller: &Caller,
        input: DescribePortfolioShareStatusInput,
    ) -> Result<DescribePortfolioShareStatusOutput, ServiceError> {
        let _gate = self.gate.read_recursive();
        let token: PortfolioShareToken = validate::required(
            "PortfolioShareToken",
            input.portfolio_share_token.as_deref(),
        )?;
        let not_found = || ServiceError::not_found(format!("portfolio share `{token}` not found"));
        let operation = self
            .store
            .share_operation(&token)
            .map_err(store_error)?
            .ok_or_else(not_found)?;
        let owned = self
            .portfolio_in_region(caller, &operation.portfolio)?
            .is_some_and(|p| p.owner == *caller.account());
        let node = operation
            .target
            .organization_node()
            .filter(|_| owned)
            .ok_or_else(not_found)?;
        let successful_shares = match operation.kind {
            ShareOperationKind::Create
            | ShareOperationKind::Update
            | ShareOperationKind::Delete => {
                self.store.accounts_under(&node).map_err(store_error)?
            }
        };
        Ok(DescribePortfolioShareStatusOutput {
            portfolio_share_token: token,
            portfolio_id: operation.portfolio,
            organization_node_value: node.as_str().to_owned(),
            status: ShareStatus::Completed,
            share_details: ShareDetails {
                successful_shares,
                share_errors: Vec::new(),
            },
        })
    }

    /// `UpdatePortfolioShare`: changes `SharePrincipals` / `ShareTagOptions` of an existing
    /// share, under the same rules as creating it.
    pub fn update_portfolio_share(
        &self,
        caller: &Caller,
        input: UpdatePortfolioShareInput,
    ) -> Result<UpdatePortfolioShareOutput, ServiceError> {
        let _gate = self.gate.read_recursive();
        validate::accept_language(input.accept_language.as_deref())?;
        let id: PortfolioId = validate::required("PortfolioId", input.portfolio_id.as_deref())?;
        let target = share_target(input.account_id.as_deref(), input.organization_node)?;
        self.check_owned(caller, &id, cannot_share_imported(&id))?;
        check_share_principals(&target, input.share_principals)?;
        if target.is_organization_node() {
            self.check_organization_admin(caller)?;
        }
        let update = ShareUpdate {
            share_principals: input.share_principals,
            share_tag_options: input.share_tag_options,
        };
        let change = self
            .store
            .update_share(&id, &target, update)
            .map_err(store_error)?;
        let token = change.token.filter(|_| target.is_organization_node());
        Ok(UpdatePortfolioShareOutput {
            portfolio_share_token: token,
            status: Some(ShareStatus::Completed),
        })
    }

    /// `DeletePortfolioShare`: recipients lose access through the share at once.
    pub fn delete_portfolio_share(
        &self,
        caller: &Caller,
        input: DeletePortfolioShareInput,
    ) -> Result<DeletePortfolioShareOutput, ServiceError> {
        let _gate = self.gate.read_recursive();
        validate::accept_language(input.accept_language.as_deref())?;
        let id: PortfolioId = validate::required("PortfolioId", input.portfolio_id.as_deref())?;
        let target = share_target(input.account_id.as_deref(), input.organization_node)?;
        self.check_owned(caller, &id, cannot_share_imported(&id))?;
        if target.is_organization_node() {
            self.check_organization_admin(caller)?;
        }
        let track = target.is_organization_node();
        let change = self
            .store
            .delete_share(&id, &target, track)
            .map_err(store_error)?;
        Ok(DeletePortfolioShareOutput {
            portfolio_share_token: change.token,
        })
    }

    /// What `AcceptPortfolioShare` and `RejectPortfolioShare` act on: a portfolio in the
    /// caller's region owned by another account, and the share type (`AWS_SERVICECATALOG` by
    /// default).
    fn recipient_request(
        &self,
        caller: &Caller,
        input: AcceptPortfolioShareInput,
    ) -> Result<(PortfolioId, PortfolioShareType), ServiceError> {
        validate::accept_language(input.accept_language.as_deref())?;
        let id: PortfolioId = validate::required("PortfolioId", input.portfolio_id.as_deref())?;
        let share_type: PortfolioShareType =
            validate::optional("PortfolioShareType", input.portfolio_share_type.as_deref())?
                .unwrap_or(PortfolioShareType::AwsServicecatalog);
        let portfolio = self
            .portfolio_in_region(caller, &id)?
            .filter(|p| p.owner != *caller.account())
            .ok_or_else(|| portfolio_not_found(&id))?;
        Ok((portfolio.id, share_type))
    }

    /// The account share of `id` with `account` exists. A portfolio that reaches the account
    /// only through an organization share is not found this way: what AWS answers (SPEC §5.4).
    fn require_account_share(
        &self,
        id: &PortfolioId,
        account: &AccountId,
    ) -> Result<(), ServiceError> {
        self.store
            .share(id, &ShareTarget::Account(account.clone()))
            .map_err(store_error)?
            .map(drop)
            .ok_or_else(|| portfolio_not_found(id))
    }

    /// `AcceptPortfolioShare`: `AWS_SERVICECATALOG` (the default) or `IMPORTED` accepts an
    /// account share; `AWS_ORGANIZATIONS` imports a portfolio an organization share covers.
    pub fn accept_portfolio_share(
        &self,
        caller: &Caller,
        input: AcceptPortfolioShareInput,
    ) -> Result<AcceptPortfolioShareOutput, ServiceError> {
        let _gate = self.gate.read_recursive();
        let (id, share_type) = self.recipient_request(caller, input)?;
        let account = caller.account();
        match share_type {
            PortfolioShareType::AwsServicecatalog | PortfolioShareType::Imported => {
                self.require_account_share(&id, account)?;
                self.store
                    .accept_account_share(&id, account)
                    .map_err(store_error)?;
            }
            PortfolioShareType::AwsOrganizations => {
                let covered = self
                    .covering_shares(&id, account)?
                    .iter()
                    .any(|s| s.target.is_organization_node());
                if !covered {
                    return Err(portfolio_not_found(&id));
                }
                self.store
                    .import_organization_share(&id, account)
                    .map_err(store_error)?;
            }
        }
        Ok(AcceptPortfolioShareOutput {})
    }

    /// `RejectPortfolioShare`: declines an account share, or removes an organization import.
    pub fn reject_portfolio_share(
        &self,
        caller: &Caller,
        input: RejectPortfolioShareInput,
    ) -> Result<RejectPortfolioShareOutput, ServiceError> {
        let _gate = self.gate.read_recursive();
        let (id, share_type) = self.recipient_request(caller, input)?;
        let account = caller.account();
        match share_type {
            PortfolioShareType::AwsServicecatalog | PortfolioShareType::Imported => {
                self.require_account_share(&id, account)?;
                self.store
                    .reject_account_share(&id, account)
                    .map_err(store_error)?;
            }
            PortfolioShareType::AwsOrganizations => {
                if !self
                    .store
                    .remove_organization_import(&id, account)
                    .map_err(store_error)?
                {
                    return Err(portfolio_not_found(&id));
                }
            }
        }
        Ok(RejectPortfolioShareOutput {})
    }

    /// `ListAcceptedPortfolioShares`: imported portfolios by default (`IMPORTED`, and the
    /// deprecated `AWS_SERVICECATALOG`), or those imported through an organization share
    /// (`AWS_ORGANIZATIONS`) that still covers the caller.
    pub fn list_accepted_portfolio_shares(
        &self,
        caller: &Caller,
        input: ListAcceptedPortfolioSharesInput,
    ) -> Result<ListAcceptedPortfolioSharesOutput, ServiceError> {
        let _gate = self.gate.read_recursive();
        validate::accept_language(input.accept_language.as_deref())?;
        let share_type: Option<PortfolioShareType> =
            validate::optional("PortfolioShareType", input.portfolio_share_type.as_deref())?;
        let kind = match share_type {
            Some(PortfolioShareType::AwsOrganizations) => ImportKind::OrganizationShare,
            _ => ImportKind::AccountShare,
        };
        let list = ListScope::new(
            "ListAcceptedPortfolioShares",
            caller,
            // As `{kind:?}` wrote it: tokens already issued stay valid.
            match kind {
                ImportKind::AccountShare => "AccountShare",
                ImportKind::OrganizationShare => "OrganizationShare",
            },
            "PageToken",
        );
        let page = catalog_page(
            &self.config,
            &list,
            input.page_token.as_deref(),
            input.page_size,
        )?;
        // Filtered before the page is cut: an import whose share no longer covers the caller is
        // not listed, and never leaves a page short.
        let mut imports = Vec::new();
        for (position, p) in self
            .store
            .list_imports(caller.account(), caller.region(), kind)
            .map_err(store_error)?
        {
            if !self.covering_shares(&p.id, caller.account())?.is_empty() {
                imports.push((position, p));
            }
        }
        let page = page_positioned(imports, page);
        Ok(PortfolioDetailsPage {
            portfolio_details: page.items.iter().map(wire::portfolio_detail).collect(),
            next_page_token: page_token(&list, &page),
        })
    }

    /// `ListPortfolioAccess`: the accounts the portfolio is shared with through account shares
    /// (accepted or not, SPEC §5.4 Decision), or, with `OrganizationParentId`, the accounts under
    /// that root or OU that organization shares cover.
    pub fn list_portfolio_access(
        &self,
        caller: &Caller,
        input: ListPortfolioAccessInput,
    ) -> Result<ListPortfolioAccessOutput, ServiceError> {
        let _gate = self.gate.read_recursive();
        validate::accept_language(input.accept_language.as_deref())?;
        let id: PortfolioId = validate::required("PortfolioId", input.portfolio_id.as_deref())?;
        let parent: Option<ParentId> = validate::optional(
            "OrganizationParentId",
            input.organization_parent_id.as_deref(),
        )?;
        let list = ListScope::new(
            "ListPortfolioAccess",
            caller,
            Slash(&id, parent.as_ref().map_or("", |p| p.as_str())),
            "PageToken",
        );
        let page = catalog_page(
            &self.config,
            &list,
            input.page_token.as_deref(),
            input.page_size,
        )?;
        self.check_owned(caller, &id, || portfolio_not_found(&id))?;
        let shares = self
            .store
            .list_shares(&id, None, PageRequest::all())
            .map_err(store_error)?
            .items;
        let accounts: Vec<AccountId> = match &parent {
            None => shares
                .iter()
                .filter_map(|s| match &s.target {
                    ShareTarget::Account(a) => Some(a.clone()),
                    _ => None,
                })
                .collect(),
            Some(parent) => {
                let node = match parent {
                    ParentId::OrganizationalUnit(ou) => {
                        Some(OrganizationNodeValue::OrganizationalUnit(ou.clone()))
                    }
                    ParentId::Root(root) => self
                        .store
                        .organization_of(caller.account())
                        .map_err(store_error)?
                        .filter(|o| o.root == *root)
                        .map(|o| OrganizationNodeValue::Organization(o.id)),
                };
                let node = node.ok_or_else(|| {
                    ServiceError::not_found(format!(
                        "organization parent `{}` not found",
                        parent.as_str()
                    ))
                })?;
                let mut covered = Vec::new();
                for a in self.store.accounts_under(&node).map_err(store_error)? {
                    let placement = self.store.placement(&a).map_err(store_error)?;
                    if shares.iter().any(|s| {
                        s.target.is_organization_node() && share_covers(s, &a, placement.as_deref())
                    }) {
                        covered.push(a);
                    }
                }
                covered
            }
        };
        let page = page_of(accounts, page);
        Ok(ListPortfolioAccessOutput {
            next_page_token: page_token(&list, &page),
            account_ids: page.items,
        })
    }

    /// `ListOrganizationPortfolioAccess`: the organization nodes of one type the portfolio is
    /// shared with; for the management account and delegated administrators only.
    pub fn list_organization_portfolio_access(
        &self,
        caller: &Caller,
        input: ListOrganizationPortfolioAccessInput,
    ) -> Result<ListOrganizationPortfolioAccessOutput, ServiceError> {
        let _gate = self.gate.read_recursive();
        validate::accept_language(input.accept_language.as_deref())?;
        let id: PortfolioId = validate::required("PortfolioId", input.portfolio_id.as_deref())?;
        let node_type: OrganizationNodeType = validate::required(
            "OrganizationNodeType",
            input.organization_node_type.as_deref(),
        )?;
        let list = ListScope::new(
            "ListOrganizationPortfolioAccess",
            caller,
            Slash(&id, node_type),
            "PageToken",
        );
        let page = catalog_page(
            &self.config,
            &list,
            input.page_token.as_deref(),
            input.page_size,
        )?;
        self.check_organization_admin(caller)?;
        self.check_owned(caller, &id, || portfolio_not_found(&id))?;
        let page = self
            .store
            .list_shares(&id, Some(share_type_of(node_type)), page)
            .map_err(store_error)?;
        let organization_nodes = page
            .items
            .iter()
            .map(|s| OrganizationNode {
                node_type,
                value: s.target.principal_id().to_owned(),
            })
            .collect();
        Ok(ListOrganizationPortfolioAccessOutput {
            organization_nodes,
            next_page_token: page_token(&list, &page),
        })
    }
}
