//! IAM principals (SPEC §4.4): the principal directory the service consults, and the IAM subset
//! and STS `GetCallerIdentity` that feed and show the built-in one.
//!
//! Names, paths and ARNs follow SPEC §4.1 (the ARN is parsed by the matcher, the one place its
//! rules live); errors are IAM's: `ValidationError` (400), `EntityAlreadyExists` (409),
//! `NoSuchEntity` (404), worded as IAM words them.

use std::sync::Arc;

use portcullis_matcher::{PrincipalArn, ResourceType};
use portcullis_model::{
    AccountId, Caller, CreateGroupInput, CreateRoleInput, CreateUserInput, EmptyOutput, ErrorKind,
    GetCallerIdentityInput, GetCallerIdentityOutput, GetGroupInput, GetGroupOutput, Group,
    GroupNameInput, GroupOutput, ListGroupsOutput, ListPrincipalsInput, ListRolesOutput,
    ListUsersOutput, Members, PrincipalId, Role, RoleNameInput, RoleOutput, ServiceError,
    Timestamp, User, UserNameInput, UserOutput,
};
use portcullis_store::{
    NewPrincipal, PrincipalRecord, RoleDetails, Store, StoreError, principal_name_key,
};

use crate::Service;
use crate::errors::store_error;

/// Where the service learns which IAM principals exist (SPEC §4.4): an `IAM` association is bound
/// to the principal an ARN names when it is made, and grants it only while it exists.
///
/// The built-in directory ([`StoreDirectory`]) is the service's own store, fed by the IAM subset
/// (`CreateUser`, `CreateRole`, …). An embedder may back it with something else, real IAM for
/// instance, through [`Service::with_directory`]; the IAM subset still writes to the store.
pub trait PrincipalDirectory: Send + Sync {
    /// The unique id of the existing principal whose ARN is exactly `arn`, if there is one.
    fn principal_id(&self, arn: &PrincipalArn) -> Result<Option<PrincipalId>, StoreError>;

    /// The principal with this unique id, existing or deleted (a directory that forgets deleted
    /// principals answers `None` for them).
    fn principal_by_id(&self, id: &PrincipalId) -> Result<Option<PrincipalRecord>, StoreError>;

    /// The existing principals of `account`.
    fn principals_in(&self, account: &AccountId) -> Result<Vec<PrincipalRecord>, StoreError>;
}

/// The built-in [`PrincipalDirectory`]: the principals in the service's store.
#[derive(Clone)]
pub struct StoreDirectory {
    store: Arc<dyn Store>,
}

impl StoreDirectory {
    /// The directory of the principals in `store`.
    pub fn new(store: Arc<dyn Store>) -> StoreDirectory {
        StoreDirectory { store }
    }
}

impl std::fmt::Debug for StoreDirectory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoreDirectory").finish_non_exhaustive()
    }
}

impl PrincipalDirectory for StoreDirectory {
    fn principal_id(&self, arn: &PrincipalArn) -> Result<Option<PrincipalId>, StoreError> {
        self.store.principal_id_by_arn(arn)
    }

    fn principal_by_id(&self, id: &PrincipalId) -> Result<Option<PrincipalRecord>, StoreError> {
        self.store.principal_by_id(id)
    }

    fn principals_in(&self, account: &AccountId) -> Result<Vec<PrincipalRecord>, StoreError> {
        self.store.list_principals(account, None)
    }
}

/// "User", "Group" or "Role", as IAM's messages begin.
pub(crate) fn title(principal_type: ResourceType) -> &'static str {
    match principal_type {
        ResourceType::User => "User",
        ResourceType::Group => "Group",
        ResourceType::Role => "Role",
    }
}

/// The parameter name IAM's validation messages use (`userName`, …).
fn name_member(principal_type: ResourceType) -> &'static str {
    match principal_type {
        ResourceType::User => "userName",
        ResourceType::Group => "groupName",
        ResourceType::Role => "roleName",
    }
}

/// IAM's `ValidationError`, worded as IAM words one broken constraint.
fn invalid(value: Option<&str>, member: &str, constraint: &str) -> ServiceError {
    let value = match value {
        Some(v) => format!("'{v}'"),
        None => "null".to_owned(),
    };
    ServiceError::new(
        ErrorKind::ValidationError,
        format!(
            "1 validation error detected: Value {value} at '{member}' failed to satisfy constraint: {constraint}"
        ),
    )
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "+=,.@_-".contains(c)
}

/// A principal name (SPEC §4.1): `[\w+=,.@-]+`, at most 64 characters (128 for groups).
fn check_name(principal_type: ResourceType, name: Option<&str>) -> Result<String, ServiceError> {
    let member = name_member(principal_type);
    let name = name.ok_or_else(|| invalid(None, member, "Member must not be null"))?;
    let max = principal_type.max_name_len();
    if name.is_empty() {
        return Err(invalid(
            Some(name),
            member,
            "Member must have length greater than or equal to 1",
        ));
    }
    if name.len() > max {
        return Err(invalid(
            Some(name),
            member,
            &format!("Member must have length less than or equal to {max}"),
        ));
    }
    if !name.chars().all(is_name_char) {
        return Err(invalid(
            Some(name),
            member,
            r"Member must satisfy regular expression pattern: [\w+=,.@-]+",
        ));
    }
    Ok(name.to_owned())
}

fn is_printable(c: char) -> bool {
    ('\u{21}'..='\u{7e}').contains(&c)
}

/// A path (SPEC §4.1): `/`, or `/` + printable ASCII + `/`, at most 512 characters; `/` when
/// absent.
fn check_path(path: Option<&str>) -> Result<String, ServiceError> {
    let Some(path) = path else {
        return Ok("/".to_owned());
    };
    if path.is_empty() || path.len() > portcullis_matcher::MAX_PATH_LEN {
        return Err(invalid(
            Some(path),
            "path",
            "Member must have length between 1 and 512",
        ));
    }
    let well_formed = path == "/"
        || (path.len() >= 3
            && path.starts_with('/')
            && path.ends_with('/')
            && path.chars().all(is_printable));
    if !well_formed {
        return Err(invalid(
            Some(path),
            "path",
            r"Member must satisfy regular expression pattern: (\u002F)|(\u002F[\u0021-\u007E]+\u002F)",
        ));
    }
    Ok(path.to_owned())
}

/// `MaxItems`: 1–1000, 100 when absent.
fn check_max_items(max_items: Option<&str>) -> Result<usize, ServiceError> {
    let Some(text) = max_items else {
        return Ok(100);
    };
    match text.parse::<usize>() {
        Ok(n) if (1..=1000).contains(&n) => Ok(n),
        Ok(0) => Err(invalid(
            Some(text),
            "maxItems",
            "Member must have value greater than or equal to 1",
        )),
        Ok(_) => Err(invalid(
            Some(text),
            "maxItems",
            "Member must have value less than or equal to 1000",
        )),
        Err(_) => Err(invalid(Some(text), "maxItems", "Member must be a number")),
    }
}

/// `Marker`: 1–320 characters, as a previous page answered it.
fn check_marker(marker: Option<&str>) -> Result<Option<String>, ServiceError> {
    match marker {
        None => Ok(None),
        Some(m) if !m.is_empty() && m.len() <= 320 => Ok(Some(m.to_owned())),
        Some(m) => Err(invalid(
            Some(m),
            "marker",
            "Member must have length between 1 and 320",
        )),
    }
}

/// `PathPrefix`: `/` followed by printable ASCII, at most 512 characters; `/` when absent.
fn check_path_prefix(prefix: Option<&str>) -> Result<String, ServiceError> {
    let Some(prefix) = prefix else {
        return Ok("/".to_owned());
    };
    if prefix.is_empty()
        || prefix.len() > portcullis_matcher::MAX_PATH_LEN
        || !prefix.starts_with('/')
        || !prefix.chars().all(is_printable)
    {
        return Err(invalid(
            Some(prefix),
            "pathPrefix",
            r"Member must satisfy regular expression pattern: \u002F[\u0021-\u007F]*",
        ));
    }
    Ok(prefix.to_owned())
}

/// One page of `records` (ordered by name ignoring case) from `marker` on: the page and the
/// marker of the next one. A marker is the name (lower-cased) the next page starts at.
fn page_by_name(
    records: Vec<PrincipalRecord>,
    path_prefix: &str,
    marker: Option<&str>,
    max_items: usize,
) -> (Vec<PrincipalRecord>, Option<String>) {
    let mut rest = records
        .into_iter()
        .filter(|p| p.path.starts_with(path_prefix))
        .filter(|p| marker.is_none_or(|m| principal_name_key(&p.name).as_str() >= m));
    let page: Vec<PrincipalRecord> = rest.by_ref().take(max_items).collect();
    let next = rest.next().map(|p| principal_name_key(&p.name));
    (page, next)
}

fn user(p: PrincipalRecord) -> User {
    User {
        path: p.path,
        user_name: p.name,
        user_id: p.id,
        arn: p.arn,
        create_date: p.created,
    }
}

fn group(p: PrincipalRecord) -> Group {
    Group {
        path: p.path,
        group_name: p.name,
        group_id: p.id,
        arn: p.arn,
        create_date: p.created,
    }
}

fn role(p: PrincipalRecord) -> Role {
    let details = p.role.unwrap_or_default();
    Role {
        path: p.path,
        role_name: p.name,
        role_id: p.id,
        arn: p.arn,
        create_date: p.created,
        assume_role_policy_document: Some(details.assume_role_policy_document),
        description: details.description,
        max_session_duration: Some(details.max_session_duration),
    }
}

impl Service {
    /// Creates a principal in the caller's account after checking its name and path.
    fn create_principal(
        &self,
        caller: &Caller,
        principal_type: ResourceType,
        name: Option<&str>,
        path: Option<&str>,
        role: Option<RoleDetails>,
    ) -> Result<PrincipalRecord, ServiceError> {
        let name = check_name(principal_type, name)?;
        let path = check_path(path)?;
        let arn = format!(
            "arn:{}:iam::{}:{principal_type}{path}{name}",
            caller.partition(),
            caller.account()
        );
        // The ARN's rules (SPEC §4.1) live in the matcher: a principal whose ARN would not be a
        // valid `IAM` principal is not created.
        PrincipalArn::parse(&arn).map_err(|e| {
            ServiceError::new(
                ErrorKind::ValidationError,
                format!("the principal's ARN `{arn}` would not be valid: {e}"),
            )
        })?;
        self.store
            .create_principal(NewPrincipal {
                account: caller.account().clone(),
                principal_type,
                path,
                name,
                arn,
                created: Timestamp::now(),
                role,
            })
            .map_err(store_error)
    }

    fn existing_principal(
        &self,
        caller: &Caller,
        principal_type: ResourceType,
        name: Option<&str>,
    ) -> Result<PrincipalRecord, ServiceError> {
        let name = check_name(principal_type, name)?;
        self.store
            .principal(caller.account(), principal_type, &name)
            .map_err(store_error)?
            .ok_or_else(|| {
                store_error(StoreError::PrincipalNotFound {
                    account: caller.account().clone(),
                    principal_type,
                    name,
                })
            })
    }

    fn delete_principal(
        &self,
        caller: &Caller,
        principal_type: ResourceType,
        name: Option<&str>,
    ) -> Result<EmptyOutput, ServiceError> {
        let name = check_name(principal_type, name)?;
        self.store
            .delete_principal(caller.account(), principal_type, &name, Timestamp::now())
            .map_err(store_error)?;
        Ok(EmptyOutput {})
    }

    fn list_of(
        &self,
        caller: &Caller,
        principal_type: ResourceType,
        input: &ListPrincipalsInput,
    ) -> Result<(Vec<PrincipalRecord>, Option<String>), ServiceError> {
        let prefix = check_path_prefix(input.path_prefix.as_deref())?;
        let marker = check_marker(input.marker.as_deref())?;
        let max_items = check_max_items(input.max_items.as_deref())?;
        let all = self
            .store
            .list_principals(caller.account(), Some(principal_type))
            .map_err(store_error)?;
        Ok(page_by_name(all, &prefix, marker.as_deref(), max_items))
    }

    /// IAM `CreateUser`.
    pub fn create_user(
        &self,
        caller: &Caller,
        input: CreateUserInput,
    ) -> Result<UserOutput, ServiceError> {
        let p = self.create_principal(
            caller,
            ResourceType::User,
            input.user_name.as_deref(),
            input.path.as_deref(),
            None,
        )?;
        Ok(UserOutput { user: user(p) })
    }

    /// IAM `GetUser`. `UserName` is required: the server maps access keys to accounts, not to
    /// users (docs/decisions.md).
    pub fn get_user(
        &self,
        caller: &Caller,
        input: UserNameInput,
    ) -> Result<UserOutput, ServiceError> {
        let p = self.existing_principal(caller, ResourceType::User, input.user_name.as_deref())?;
        Ok(UserOutput { user: user(p) })
    }

    /// IAM `DeleteUser`.
    pub fn delete_user(
        &self,
        caller: &Caller,
        input: UserNameInput,
    ) -> Result<EmptyOutput, ServiceError> {
        self.delete_principal(caller, ResourceType::User, input.user_name.as_deref())
    }

    /// IAM `ListUsers`.
    pub fn list_users(
        &self,
        caller: &Caller,
        input: ListPrincipalsInput,
    ) -> Result<ListUsersOutput, ServiceError> {
        let (page, marker) = self.list_of(caller, ResourceType::User, &input)?;
        Ok(ListUsersOutput {
            users: Members::from(page.into_iter().map(user).collect::<Vec<_>>()),
            is_truncated: marker.is_some(),
            marker,
        })
    }

    /// IAM `CreateRole`.
    pub fn create_role(
        &self,
        caller: &Caller,
        input: CreateRoleInput,
    ) -> Result<RoleOutput, ServiceError> {
        let document = input
            .assume_role_policy_document
            .ok_or_else(|| invalid(None, "assumeRolePolicyDocument", "Member must not be null"))?;
        if document.is_empty() || document.len() > 131_072 {
            return Err(invalid(
                Some(&document),
                "assumeRolePolicyDocument",
                "Member must have length between 1 and 131072",
            ));
        }
        if let Some(description) = &input.description
            && description.chars().count() > 1000
        {
            return Err(invalid(
                Some(description),
                "description",
                "Member must have length less than or equal to 1000",
            ));
        }
        let max_session_duration = match input.max_session_duration.as_deref() {
            None => 3600,
            Some(text) => match text.parse::<i64>() {
                Ok(n) if (3600..=43_200).contains(&n) => n,
                _ => {
                    return Err(invalid(
                        Some(text),
                        "maxSessionDuration",
                        "Member must have value between 3600 and 43200",
                    ));
                }
            },
        };
        let p = self.create_principal(
            caller,
            ResourceType::Role,
            input.role_name.as_deref(),
            input.path.as_deref(),
            Some(RoleDetails {
                assume_role_policy_document: document,
                description: input.description,
                max_session_duration,
            }),
        )?;
        Ok(RoleOutput { role: role(p) })
    }

    /// IAM `GetRole`.
    pub fn get_role(
        &self,
        caller: &Caller,
        input: RoleNameInput,
    ) -> Result<RoleOutput, ServiceError> {
        let p = self.existing_principal(caller, ResourceType::Role, input.role_name.as_deref())?;
        Ok(RoleOutput { role: role(p) })
    }

    /// IAM `DeleteRole`.
    pub fn delete_role(
        &self,
        caller: &Caller,
        input: RoleNameInput,
    ) -> Result<EmptyOutput, ServiceError> {
        self.delete_principal(caller, ResourceType::Role, input.role_name.as_deref())
    }

    /// IAM `ListRoles`.
    pub fn list_roles(
        &self,
        caller: &Caller,
        input: ListPrincipalsInput,
    ) -> Result<ListRolesOutput, ServiceError> {
        let (page, marker) = self.list_of(caller, ResourceType::Role, &input)?;
        Ok(ListRolesOutput {
            roles: Members::from(page.into_iter().map(role).collect::<Vec<_>>()),
            is_truncated: marker.is_some(),
            marker,
        })
    }

    /// IAM `CreateGroup`.
    pub fn create_group(
        &self,
        caller: &Caller,
        input: CreateGroupInput,
    ) -> Result<GroupOutput, ServiceError> {
        let p = self.create_principal(
            caller,
            ResourceType::Group,
            input.group_name.as_deref(),
            input.path.as_deref(),
            None,
        )?;
        Ok(GroupOutput { group: group(p) })
    }

    /// IAM `GetGroup`. Group membership is not modelled: the group has no users.
    pub fn get_group(
        &self,
        caller: &Caller,
        input: GetGroupInput,
    ) -> Result<GetGroupOutput, ServiceError> {
        check_marker(input.marker.as_deref())?;
        check_max_items(input.max_items.as_deref())?;
        let p =
            self.existing_principal(caller, ResourceType::Group, input.group_name.as_deref())?;
        Ok(GetGroupOutput {
            group: group(p),
            users: Members::from(Vec::new()),
            is_truncated: false,
        })
    }

    /// IAM `DeleteGroup`.
    pub fn delete_group(
        &self,
        caller: &Caller,
        input: GroupNameInput,
    ) -> Result<EmptyOutput, ServiceError> {
        self.delete_principal(caller, ResourceType::Group, input.group_name.as_deref())
    }

    /// IAM `ListGroups`.
    pub fn list_groups(
        &self,
        caller: &Caller,
        input: ListPrincipalsInput,
    ) -> Result<ListGroupsOutput, ServiceError> {
        let (page, marker) = self.list_of(caller, ResourceType::Group, &input)?;
        Ok(ListGroupsOutput {
            groups: Members::from(page.into_iter().map(group).collect::<Vec<_>>()),
            is_truncated: marker.is_some(),
            marker,
        })
    }

    /// STS `GetCallerIdentity`: the caller's account, as its root (the server maps access keys
    /// to accounts, not to users; docs/decisions.md).
    pub fn get_caller_identity(
        &self,
        caller: &Caller,
        _input: GetCallerIdentityInput,
    ) -> Result<GetCallerIdentityOutput, ServiceError> {
        Ok(GetCallerIdentityOutput {
            user_id: caller.account().to_string(),
            account: caller.account().clone(),
            arn: format!("arn:{}:iam::{}:root", caller.partition(), caller.account()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_paths_follow_spec_4_1() {
        assert!(check_name(ResourceType::User, Some("dev+ops=1,.@_-")).is_ok());
        assert!(check_name(ResourceType::User, Some("has space")).is_err());
        assert!(check_name(ResourceType::User, Some(&"a".repeat(65))).is_err());
        assert!(check_name(ResourceType::Group, Some(&"a".repeat(128))).is_ok());
        assert!(check_name(ResourceType::Role, None).is_err());
        assert_eq!(check_path(None).unwrap(), "/");
        assert!(check_path(Some("/a/b/")).is_ok());
        for bad in ["", "a/", "/a", "//x", "/a b/"] {
            // `//x` is not closed by a `/`; `/a b/` holds a space.
            assert!(check_path(Some(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn max_items_is_1_to_1000() {
        assert_eq!(check_max_items(None).unwrap(), 100);
        assert_eq!(check_max_items(Some("1000")).unwrap(), 1000);
        for bad in ["0", "1001", "x", "-1"] {
            assert_eq!(
                check_max_items(Some(bad)).unwrap_err().kind(),
                ErrorKind::ValidationError
            );
        }
    }
}
