//! The organization directory (the AWS Organizations subset of SPEC §8) and Service Catalog's
//! organizations access (SPEC §9).

use portcullis_model::{
    AccessStatus, Account, Caller, CreateAccountRequest, CreateAccountResponse,
    CreateAccountStatus, CreateOrganizationRequest, CreateOrganizationResponse,
    CreateOrganizationalUnitRequest, CreateOrganizationalUnitResponse, DelegatedAdministrator,
    DeregisterDelegatedAdministratorRequest, DeregisterDelegatedAdministratorResponse,
    DescribeCreateAccountStatusRequest, DescribeCreateAccountStatusResponse,
    DescribeOrganizationRequest, DescribeOrganizationResponse, DisableAwsOrganizationsAccessInput,
    DisableAwsOrganizationsAccessOutput, EnableAwsOrganizationsAccessInput,
    EnableAwsOrganizationsAccessOutput, ErrorKind, GetAwsOrganizationsAccessStatusInput,
    GetAwsOrganizationsAccessStatusOutput, ListAccountsRequest, ListAccountsResponse,
    ListDelegatedAdministratorsRequest, ListDelegatedAdministratorsResponse,
    ListOrganizationalUnitsForParentRequest, ListOrganizationalUnitsForParentResponse,
    ListRootsRequest, ListRootsResponse, MoveAccountRequest, MoveAccountResponse, Organization,
    OrganizationFeatureSet, OrganizationalUnit, RegisterDelegatedAdministratorRequest,
    RegisterDelegatedAdministratorResponse, Root, ServiceError, ServicePrincipal, Timestamp,
    account_arn, organization_arn, ou_arn, root_arn, validate,
};
use portcullis_store::{
    MemberAccount, NewAccount, NewOrganization, OrganizationRecord, PageRequest,
};

use crate::Service;
use crate::errors::store_error;
use crate::paging::{ListScope, page_of};

/// `AWSOrganizationsNotInUseException`: the caller is in no organization. AWS's own words
/// (its API reference's example answers), which clients compare.
pub(crate) fn not_in_organization() -> ServiceError {
    ServiceError::new(
        ErrorKind::AwsOrganizationsNotInUse,
        "Your account is not a member of an organization.",
    )
}

/// `ConstraintViolationException`: the management account named as a delegated administrator
/// (to register or deregister), in AWS's words.
fn management_account_delegation() -> ServiceError {
    ServiceError::new(
        ErrorKind::ConstraintViolation,
        "You cannot register master account/yourself as delegated administrator for your organization.",
    )
}

/// The service principals of the AWS services that support delegated administration with AWS
/// Organizations, from AWS's list of services that work with Organizations
/// (<https://docs.aws.amazon.com/organizations/latest/userguide/orgs_integrate_services_list.html>).
pub(crate) const DELEGATABLE_SERVICE_PRINCIPALS: &[&str] = &[
    "access-analyzer.amazonaws.com",
    "account.amazonaws.com",
    "auditmanager.amazonaws.com",
    "backup.amazonaws.com",
    "cloudtrail.amazonaws.com",
    "compute-optimizer.amazonaws.com",
    "config.amazonaws.com",
    "config-multiaccountsetup.amazonaws.com",
    "detective.amazonaws.com",
    "devops-guru.amazonaws.com",
    "fms.amazonaws.com",
    "guardduty.amazonaws.com",
    "health.amazonaws.com",
    "inspector2.amazonaws.com",
    "ipam.amazonaws.com",
    "license-manager.amazonaws.com",
    "macie.amazonaws.com",
    "member.org.stacksets.cloudformation.amazonaws.com",
    "ram.amazonaws.com",
    "reachabilityanalyzer.networkinsights.amazonaws.com",
    "securityhub.amazonaws.com",
    "securitylake.amazonaws.com",
    "servicecatalog.amazonaws.com",
    "ssm.amazonaws.com",
    "sso.amazonaws.com",
    "storage-lens.s3.amazonaws.com",
    "wellarchitected.amazonaws.com",
];

/// `InvalidInputException` with reason `UNRECOGNIZED_SERVICE_PRINCIPAL` unless `service`
/// supports delegated administration (AWS's words).
fn recognized(service: &ServicePrincipal) -> Result<(), ServiceError> {
    if DELEGATABLE_SERVICE_PRINCIPALS.contains(&service.as_str()) {
        return Ok(());
    }
    Err(ServiceError::new(
        ErrorKind::InvalidInput,
        "You specified an unrecognized service principal.",
    )
    .with_reason("UNRECOGNIZED_SERVICE_PRINCIPAL"))
}

fn access_denied(what: &str) -> ServiceError {
    ServiceError::new(
        ErrorKind::AccessDenied,
        format!("only the management account of the organization can {what}"),
    )
}

/// The page an Organizations list request asks for (`MaxResults`, `NextToken`) in the list
/// `operation` answers `caller`, narrowed by `scope`.
fn organizations_page<'a, S: std::fmt::Display>(
    config: &crate::Config,
    operation: &'static str,
    caller: &'a Caller,
    scope: S,
    token: Option<&str>,
    max_results: Option<i64>,
) -> Result<(ListScope<'a, S>, PageRequest), ServiceError> {
    let size = validate::max_results("MaxResults", max_results)?;
    let list = ListScope::new(operation, caller, scope, "NextToken");
    let request = list.request(config, token, size)?;
    Ok((list, request))
}

fn account_shape(organization: &OrganizationRecord, m: MemberAccount) -> Account {
    Account {
        arn: account_arn(&organization.management_account, &organization.id, &m.id),
        id: m.id,
        email: m.email,
        name: m.name,
        status: m.status,
        state: m.status.into(),
        joined_method: m.joined_method,
        joined_timestamp: m.joined_timestamp,
    }
}

fn organization_shape(o: &OrganizationRecord) -> Organization {
    Organization {
        id: o.id.clone(),
        arn: organization_arn(&o.management_account, &o.id),
        feature_set: o.feature_set,
        master_account_arn: account_arn(&o.management_account, &o.id, &o.management_account),
        master_account_id: o.management_account.clone(),
        master_account_email: Some(o.management_email.clone()),
        available_policy_types: Vec::new(),
    }
}

impl Service {
    /// The caller's organization, whatever its role in it.
    fn organization(&self, caller: &Caller) -> Result<OrganizationRecord, ServiceError> {
        self.store
            .organization_of(caller.account())
            .map_err(store_error)?
            .ok_or_else(not_in_organization)
    }

    /// The caller's organization, when the caller is its management account.
    fn managed_organization(
        &self,
        caller: &Caller,
        what: &str,
    ) -> Result<OrganizationRecord, ServiceError> {
        let organization = self.organization(caller)?;
        if organization.management_account != *caller.account() {
            return Err(access_denied(what));
        }
        Ok(organization)
    }

    /// The caller's organization, when the caller is its management account or a delegated
    /// administrator for any service (who may read the directory).
    fn readable_organization(&self, caller: &Caller) -> Result<OrganizationRecord, ServiceError> {
        let organization = self.organization(caller)?;
        let delegated = self
            .store
            .list_delegated_administrators(&organization.id, None)
            .is_ok_and(|admins| admins.iter().any(|a| a.account.id == *caller.account()));
        if organization.management_account != *caller.account() && !delegated {
            return Err(access_denied("read the organization's structure"));
        }
        Ok(organization)
    }

    /// `CreateOrganization`: the caller becomes the management account.
    pub fn create_organization(
        &self,
        caller: &Caller,
        input: CreateOrganizationRequest,
    ) -> Result<CreateOrganizationResponse, ServiceError> {
        let _gate = self.gate.read_recursive();
        let feature_set: OrganizationFeatureSet =
            validate::optional("FeatureSet", input.feature_set.as_deref())?.unwrap_or_default();
        let account = caller.account();
        let organization = self
            .store
            .create_organization(NewOrganization {
                management_account: account.clone(),
                management_name: format!("management-{account}"),
                management_email: format!("management+{account}@example.com"),
                feature_set,
                now: Timestamp::now(),
            })
            .map_err(store_error)?;
        Ok(CreateOrganizationResponse {
            organization: organization_shape(&organization),
        })
    }

    /// `DescribeOrganization`: any member may describe its organization.
    pub fn describe_organization(
        &self,
        caller: &Caller,
        _input: DescribeOrganizationRequest,
    ) -> Result<DescribeOrganizationResponse, ServiceError> {
        let _gate = self.gate.read_recursive();
        Ok(CreateOrganizationResponse {
            organization: organization_shape(&self.organization(caller)?),
        })
    }

    /// `ListRoots`: the organization's one root.
    pub fn list_roots(
        &self,
        caller: &Caller,
        input: ListRootsRequest,
    ) -> Result<ListRootsResponse, ServiceError> {
        let _gate = self.gate.read_recursive();
        organizations_page(
            &self.config,
            "ListRoots",
            caller,
            "",
            input.next_token.as_deref(),
            input.max_results,
        )?;
        let o = self.readable_organization(caller)?;
        let root = Root {
            arn: root_arn(&o.management_account, &o.id, &o.root),
            id: o.root.clone(),
            name: "Root".to_owned(),
            policy_types: Vec::new(),
        };
        Ok(ListRootsResponse {
            roots: vec![root],
            next_token: None,
        })
    }

    /// `CreateOrganizationalUnit`, under a root or OU; management account only.
    pub fn create_organizational_unit(
        &self,
        caller: &Caller,
        input: CreateOrganizationalUnitRequest,
    ) -> Result<CreateOrganizationalUnitResponse, ServiceError> {
        let _gate = self.gate.read_recursive();
        let parent = validate::required("ParentId", input.parent_id.as_deref())?;
        let name = validate::present("Name", input.name)?;
        validate::text("Name", &name, 1, 128)?;
        let o = self.managed_organization(caller, "create organizational units")?;
        let ou = self
            .store
            .create_organizational_unit(&o.id, &parent, &name)
            .map_err(store_error)?;
        Ok(CreateOrganizationalUnitResponse {
            organizational_unit: OrganizationalUnit {
                arn: ou_arn(&o.management_account, &o.id, &ou.id),
                id: ou.id,
                name: ou.name,
            },
        })
    }

    /// `ListOrganizationalUnitsForParent`.
    pub fn list_organizational_units_for_parent(
        &self,
        caller: &Caller,
        input: ListOrganizationalUnitsForParentRequest,
    ) -> Result<ListOrganizationalUnitsForParentResponse, ServiceError> {
        let _gate = self.gate.read_recursive();
        let parent: portcullis_model::ParentId =
            validate::required("ParentId", input.parent_id.as_deref())?;
        let (list, page) = organizations_page(
            &self.config,
            "ListOrganizationalUnitsForParent",
            caller,
            parent.as_str(),
            input.next_token.as_deref(),
            input.max_results,
        )?;
        let o = self.readable_organization(caller)?;
        let page = self
            .store
            .list_organizational_units(&o.id, &parent, page)
            .map_err(store_error)?;
        Ok(ListOrganizationalUnitsForParentResponse {
            next_token: list.next(&page),
            organizational_units: page
                .items
                .into_iter()
                .map(|ou| OrganizationalUnit {
                    arn: ou_arn(&o.management_account, &o.id, &ou.id),
                    id: ou.id,
                    name: ou.name,
                })
                .collect(),
        })
    }

    /// `CreateAccount`: completes at once, under the root; management account only.
    pub fn create_account(
        &self,
        caller: &Caller,
        input: CreateAccountRequest,
    ) -> Result<CreateAccountResponse, ServiceError> {
        let _gate = self.gate.read_recursive();
        let email = validate::present("Email", input.email)?;
        validate::email("Email", &email)?;
        let name = validate::present("AccountName", input.account_name)?;
        validate::text("AccountName", &name, 1, 50)?;
        let o = self.managed_organization(caller, "create accounts")?;
        let record = self
            .store
            .create_account(
                &o.id,
                NewAccount {
                    name,
                    email,
                    now: Timestamp::now(),
                },
            )
            .map_err(store_error)?;
        Ok(CreateAccountResponse {
            create_account_status: create_account_status(record),
        })
    }

    /// `DescribeCreateAccountStatus`.
    pub fn describe_create_account_status(
        &self,
        caller: &Caller,
        input: DescribeCreateAccountStatusRequest,
    ) -> Result<DescribeCreateAccountStatusResponse, ServiceError> {
        let _gate = self.gate.read_recursive();
        let id = validate::required(
            "CreateAccountRequestId",
            input.create_account_request_id.as_deref(),
        )?;
        let o = self.managed_organization(caller, "describe account creation")?;
        let record = self
            .store
            .create_account_status(&id)
            .map_err(store_error)?
            .filter(|r| r.organization == o.id)
            .ok_or_else(|| {
                ServiceError::new(
                    ErrorKind::CreateAccountStatusNotFound,
                    format!("create account request `{id}` not found"),
                )
            })?;
        Ok(CreateAccountResponse {
            create_account_status: create_account_status(record),
        })
    }

    /// `ListAccounts`.
    pub fn list_accounts(
        &self,
        caller: &Caller,
        input: ListAccountsRequest,
    ) -> Result<ListAccountsResponse, ServiceError> {
        let _gate = self.gate.read_recursive();
        let (list, page) = organizations_page(
            &self.config,
            "ListAccounts",
            caller,
            "",
            input.next_token.as_deref(),
            input.max_results,
        )?;
        let o = self.readable_organization(caller)?;
        let page = self.store.list_accounts(&o.id, page).map_err(store_error)?;
        Ok(ListAccountsResponse {
            next_token: list.next(&page),
            accounts: page
                .items
                .into_iter()
                .map(|m| account_shape(&o, m))
                .collect(),
        })
    }

    /// `MoveAccount`: an account moved into an OU becomes covered by shares of that OU at once.
    pub fn move_account(
        &self,
        caller: &Caller,
        input: MoveAccountRequest,
    ) -> Result<MoveAccountResponse, ServiceError> {
        let _gate = self.gate.read_recursive();
        let account = validate::required("AccountId", input.account_id.as_deref())?;
        let source = validate::required("SourceParentId", input.source_parent_id.as_deref())?;
        let destination = validate::required(
            "DestinationParentId",
            input.destination_parent_id.as_deref(),
        )?;
        let o = self.managed_organization(caller, "move accounts")?;
        if self
            .store
            .member_account(&account)
            .map_err(store_error)?
            .is_none_or(|m| m.organization != o.id)
        {
            return Err(ServiceError::new(
                ErrorKind::AccountNotFound,
                format!("account `{account}` is not in the organization"),
            ));
        }
        self.store
            .move_account(&account, &source, &destination)
            .map_err(store_error)?;
        Ok(MoveAccountResponse {})
    }

    /// `RegisterDelegatedAdministrator`: a member account (not the management account).
    pub fn register_delegated_administrator(
        &self,
        caller: &Caller,
        input: RegisterDelegatedAdministratorRequest,
    ) -> Result<RegisterDelegatedAdministratorResponse, ServiceError> {
        let _gate = self.gate.read_recursive();
        let account = validate::required("AccountId", input.account_id.as_deref())?;
        let service: ServicePrincipal =
            validate::required("ServicePrincipal", input.service_principal.as_deref())?;
        recognized(&service)?;
        let o = self.managed_organization(caller, "register delegated administrators")?;
        if account == o.management_account {
            return Err(management_account_delegation());
        }
        self.store
            .register_delegated_administrator(&o.id, &account, &service, Timestamp::now())
            .map_err(store_error)?;
        Ok(RegisterDelegatedAdministratorResponse {})
    }

    /// `DeregisterDelegatedAdministrator`. For Service Catalog, the organization-node shares the
    /// account created go with it (SPEC §9).
    pub fn deregister_delegated_administrator(
        &self,
        caller: &Caller,
        input: DeregisterDelegatedAdministratorRequest,
    ) -> Result<DeregisterDelegatedAdministratorResponse, ServiceError> {
        let _gate = self.gate.read_recursive();
        let account = validate::required("AccountId", input.account_id.as_deref())?;
        let service: ServicePrincipal =
            validate::required("ServicePrincipal", input.service_principal.as_deref())?;
        recognized(&service)?;
        let o = self.managed_organization(caller, "deregister delegated administrators")?;
        if account == o.management_account {
            return Err(management_account_delegation());
        }
        // An account outside the organization is not found before it is found not registered.
        if self
            .store
            .member_account(&account)
            .map_err(store_error)?
            .is_none_or(|m| m.organization != o.id)
        {
            return Err(store_error(portcullis_store::StoreError::AccountNotFound(
                account,
            )));
        }
        self.store
            .deregister_delegated_administrator(&o.id, &account, &service)
            .map_err(store_error)?;
        if service == ServicePrincipal::service_catalog() {
            self.store
                .delete_shares_created_by(&account, true)
                .map_err(store_error)?;
        }
        Ok(DeregisterDelegatedAdministratorResponse {})
    }

    /// `ListDelegatedAdministrators`.
    pub fn list_delegated_administrators(
        &self,
        caller: &Caller,
        input: ListDelegatedAdministratorsRequest,
    ) -> Result<ListDelegatedAdministratorsResponse, ServiceError> {
        let _gate = self.gate.read_recursive();
        let service: Option<ServicePrincipal> =
            validate::optional("ServicePrincipal", input.service_principal.as_deref())?;
        if let Some(service) = &service {
            recognized(service)?;
        }
        let (list, page) = organizations_page(
            &self.config,
            "ListDelegatedAdministrators",
            caller,
            service.as_ref().map_or("", |s| s.as_str()),
            input.next_token.as_deref(),
            input.max_results,
        )?;
        let o = self.readable_organization(caller)?;
        let admins = self
            .store
            .list_delegated_administrators(&o.id, service.as_ref())
            .map_err(store_error)?;
        let admins: Vec<DelegatedAdministrator> = admins
            .into_iter()
            .map(|a| {
                let account = account_shape(&o, a.account);
                DelegatedAdministrator {
                    id: account.id,
                    arn: account.arn,
                    email: account.email,
                    name: account.name,
                    status: account.status,
                    state: account.state,
                    joined_method: account.joined_method,
                    joined_timestamp: account.joined_timestamp,
                    delegation_enabled_date: a.delegation_enabled,
                }
            })
            .collect();
        let page = page_of(admins, page);
        Ok(ListDelegatedAdministratorsResponse {
            next_token: list.next(&page),
            delegated_administrators: page.items,
        })
    }

    /// The caller's organization for `Enable`/`DisableAWSOrganizationsAccess`: management
    /// account only; delegated administrators and members get `OperationNotSupportedException`,
    /// an account in no organization `ResourceNotFoundException` (SPEC §9).
    fn organization_for_access_change(
        &self,
        caller: &Caller,
    ) -> Result<OrganizationRecord, ServiceError> {
        let o = self
            .store
            .organization_of(caller.account())
            .map_err(store_error)?
            .ok_or_else(|| {
                ServiceError::not_found("your account is not a member of an organization")
            })?;
        if o.management_account != *caller.account() {
            return Err(ServiceError::operation_not_supported(
                "only the management account can change Service Catalog's access to AWS Organizations",
            ));
        }
        Ok(o)
    }

    /// `EnableAWSOrganizationsAccess`.
    pub fn enable_aws_organizations_access(
        &self,
        caller: &Caller,
        _input: EnableAwsOrganizationsAccessInput,
    ) -> Result<EnableAwsOrganizationsAccessOutput, ServiceError> {
        let _gate = self.gate.read_recursive();
        let o = self.organization_for_access_change(caller)?;
        self.store
            .set_service_access(&o.id, &ServicePrincipal::service_catalog(), true)
            .map_err(store_error)?;
        Ok(EnableAwsOrganizationsAccessOutput {})
    }

    /// `DisableAWSOrganizationsAccess`: existing shares stay; new organization-node shares are
    /// refused; `InvalidStateException` while Service Catalog has delegated administrators.
    pub fn disable_aws_organizations_access(
        &self,
        caller: &Caller,
        _input: DisableAwsOrganizationsAccessInput,
    ) -> Result<DisableAwsOrganizationsAccessOutput, ServiceError> {
        let _gate = self.gate.read_recursive();
        let o = self.organization_for_access_change(caller)?;
        self.store
            .set_service_access(&o.id, &ServicePrincipal::service_catalog(), false)
            .map_err(|e| {
                ServiceError::invalid_state(format!(
                    "cannot disable AWS Organizations access: {e}; deregister them first"
                ))
            })?;
        Ok(DisableAwsOrganizationsAccessOutput {})
    }

    /// `GetAWSOrganizationsAccessStatus`: for the management account and delegated
    /// administrators.
    pub fn get_aws_organizations_access_status(
        &self,
        caller: &Caller,
        _input: GetAwsOrganizationsAccessStatusInput,
    ) -> Result<GetAwsOrganizationsAccessStatusOutput, ServiceError> {
        let _gate = self.gate.read_recursive();
        let in_organization = |s: &Self| {
            s.store
                .organization_of(caller.account())
                .map(|o| o.is_some())
                .map_err(store_error)
        };
        let (organization, _) = match self.administered_organization(caller)? {
            Some(found) => found,
            None if in_organization(self)? => {
                return Err(ServiceError::operation_not_supported(
                    "only the management account and delegated administrators can read the access status",
                ));
            }
            None => {
                return Err(ServiceError::not_found(
                    "your account is not a member of an organization",
                ));
            }
        };
        let enabled = self
            .store
            .service_access(&organization, &ServicePrincipal::service_catalog())
            .map_err(store_error)?;
        Ok(GetAwsOrganizationsAccessStatusOutput {
            access_status: if enabled {
                AccessStatus::Enabled
            } else {
                AccessStatus::Disabled
            },
        })
    }
}

fn create_account_status(r: portcullis_store::CreateAccountRecord) -> CreateAccountStatus {
    CreateAccountStatus {
        id: r.id,
        account_name: r.account_name,
        state: r.state,
        requested_timestamp: r.requested,
        completed_timestamp: Some(r.completed),
        account_id: r.account_id,
        failure_reason: r.failure_reason,
    }
}
