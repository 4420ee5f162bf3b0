//! The store's side of the model-based check: each operation applied to the store under test,
//! and the whole organization directory read back from it.

use portcullis_model::{
    AccountJoinedMethod, OrganizationFeatureSet, OrganizationNodeValue, ParentId, Partition,
    PortfolioId, Timestamp,
};

use super::ops::*;
use super::sequential::ModelDirectory;
use crate::{
    DelegatedAdministratorRecord, MemberAccount, NewAccount, NewMember, NewOrganization,
    NewPortfolio, OuRecord, PageRequest, PortfolioUpdate, ShareUpdate, Store,
};

/// Applies `op` to the store; the directory's operations pick their inputs from what `model`
/// has learned so far.
pub(super) fn apply(store: &dyn Store, op: &Op, id: &PortfolioId, model: &ModelDirectory) -> Out {
    match op {
        Op::Create {
            owner,
            region: r,
            token,
            tags,
        } => Out::Created(
            store
                .create_portfolio(NewPortfolio {
                    owner: account(*owner),
                    partition: Partition::default(),
                    region: region(*r),
                    display_name: "name".into(),
                    description: None,
                    provider_name: "provider".into(),
                    tags: tags.iter().map(|(k, v)| tag(*k, *v)).collect(),
                    created_time: Timestamp::from_epoch_millis(1_000),
                    idempotency_token: token.map(|t| format!("token-{t}")),
                })
                .unwrap(),
        ),
        Op::Get { .. } => Out::Portfolio(store.portfolio(id).unwrap()),
        Op::Update {
            name,
            description,
            add_tag,
            remove_tag,
            ..
        } => Out::Record(store.update_portfolio(
            id,
            PortfolioUpdate {
                display_name: name.map(|n| format!("name-{n}")),
                description: description.map(|d| format!("description-{d}")),
                provider_name: None,
                add_tags: add_tag.iter().map(|(k, v)| tag(*k, *v)).collect(),
                remove_tags: remove_tag.iter().map(|k| format!("k{k}")).collect(),
            },
        )),
        Op::Delete { .. } => Out::Record(store.delete_portfolio(id)),
        Op::List {
            owner,
            region: r,
            page,
        } => Out::Portfolios(walk(
            |req| {
                store
                    .list_portfolios(&account(*owner), &region(*r), req)
                    .unwrap()
            },
            *page,
        )),
        Op::Associate {
            account: a,
            arn: n,
            pattern,
            ..
        } => Out::Associate(store.associate(
            id,
            &account(*a),
            association(*n, *pattern),
            limit(*pattern),
        )),
        Op::Disassociate {
            account: a,
            arn: n,
            pattern,
            cross,
            ..
        } => Out::Unit(store.disassociate(
            id,
            &account(*a),
            principal_type(*pattern),
            arn(*n, *pattern != *cross),
        )),
        Op::ListAssociations {
            account: a, page, ..
        } => Out::Associations(try_walk(
            |req| store.list_associations(id, &account(*a), req),
            *page,
        )),
        Op::CreateShare {
            target: t,
            principals,
            tags,
            creator,
            ..
        } => Out::CreatedShare(store.create_share(
            id,
            new_share(target(*t), *principals, *tags, *creator),
            MAX_SHARES,
        )),
        Op::GetShare { target: t, .. } => Out::Share(store.share(id, &target(*t))),
        Op::UpdateShare {
            target: t,
            principals,
            tags,
            ..
        } => Out::ShareChange(store.update_share(
            id,
            &target(*t),
            ShareUpdate {
                share_principals: *principals,
                share_tag_options: *tags,
            },
        )),
        Op::DeleteShare { target: t, .. } => {
            let target = target(*t);
            let track = target.is_organization_node();
            Out::ShareChange(store.delete_share(id, &target, track))
        }
        Op::ListShares { filter, page, .. } => Out::Shares(try_walk(
            |req| store.list_shares(id, filter.map(share_type), req),
            *page,
        )),
        Op::DeleteSharesCreatedBy {
            creator,
            organization_nodes_only,
        } => Out::Removed(
            store
                .delete_shares_created_by(&account(*creator), *organization_nodes_only)
                .unwrap(),
        ),
        Op::Accept { account: a, .. } => Out::Unit(store.accept_account_share(id, &account(*a))),
        Op::Reject { account: a, .. } => Out::Unit(store.reject_account_share(id, &account(*a))),
        Op::ImportOrg { account: a, .. } => {
            Out::Bool(store.import_organization_share(id, &account(*a)))
        }
        Op::RemoveOrgImport { account: a, .. } => {
            Out::Bool(store.remove_organization_import(id, &account(*a)))
        }
        Op::IsImported {
            account: a,
            organization,
            ..
        } => Out::Flag(
            store
                .is_imported(id, &account(*a), import_kind(*organization))
                .unwrap(),
        ),
        Op::ListImports {
            account: a,
            region: r,
            organization,
        } => {
            let imports = store
                .list_imports(&account(*a), &region(*r), import_kind(*organization))
                .unwrap();
            assert!(
                imports.windows(2).all(|w| w[0].0 < w[1].0),
                "imports come in import order, positions rising"
            );
            Out::Imports(imports.into_iter().map(|(_, record)| record).collect())
        }
        Op::CreateOrganization { management } => {
            let management = member_id(*management);
            Out::Organization(store.create_organization(NewOrganization {
                management_name: "management".into(),
                management_email: email_of(&management),
                management_account: management,
                feature_set: OrganizationFeatureSet::All,
                now: now(),
            }))
        }
        Op::AddMember { org, account: a } => {
            let id = model.pick_account(*a);
            Out::Member(store.add_member_account(
                &model.pick_organization(*org),
                NewMember {
                    name: id.to_string(),
                    email: email_of(&id),
                    id,
                    joined_method: AccountJoinedMethod::Invited,
                    now: now(),
                },
            ))
        }
        Op::CreateAccount { org, email } => Out::CreateAccount(store.create_account(
            &model.pick_organization(*org),
            NewAccount {
                name: "created".into(),
                email: CREATE_EMAILS[*email].into(),
                now: now(),
            },
        )),
        Op::CreateOu { org, parent, name } => {
            let organization = model.pick_organization(*org);
            let parent = model.pick_parent(*parent, Some(&organization));
            Out::Ou(store.create_organizational_unit(&organization, &parent, OU_NAMES[*name]))
        }
        Op::MoveAccount {
            account: a,
            source,
            destination,
        } => {
            let (id, source, destination) = model.move_inputs(*a, *source, *destination);
            Out::Unit(store.move_account(&id, &source, &destination))
        }
        Op::SetServiceAccess { org, enabled } => {
            Out::Bool(store.set_service_access(&model.pick_organization(*org), &sc(), *enabled))
        }
        Op::RegisterAdministrator { org, account: a } => {
            let organization = model.pick_organization(*org);
            Out::Unit(store.register_delegated_administrator(
                &organization,
                &model.pick_administrator(&organization, *a, false),
                &sc(),
                now(),
            ))
        }
        Op::DeregisterAdministrator { org, account: a } => {
            let organization = model.pick_organization(*org);
            Out::Unit(store.deregister_delegated_administrator(
                &organization,
                &model.pick_administrator(&organization, *a, true),
                &sc(),
            ))
        }
        Op::Reopen => panic!("the check loop reopens the store, not `apply`"),
    }
}

/// The portfolio an operation's index names: one of the ids created so far (deleted ones
/// included), or one never created.
pub(super) fn pick(ids: &[PortfolioId], op: &Op) -> PortfolioId {
    let p = match op {
        Op::Get { p }
        | Op::Update { p, .. }
        | Op::Delete { p }
        | Op::Associate { p, .. }
        | Op::Disassociate { p, .. }
        | Op::ListAssociations { p, .. }
        | Op::CreateShare { p, .. }
        | Op::GetShare { p, .. }
        | Op::UpdateShare { p, .. }
        | Op::DeleteShare { p, .. }
        | Op::ListShares { p, .. }
        | Op::Accept { p, .. }
        | Op::Reject { p, .. }
        | Op::ImportOrg { p, .. }
        | Op::RemoveOrgImport { p, .. }
        | Op::IsImported { p, .. } => *p,
        _ => 0,
    };
    // One index in eight names a portfolio that never existed.
    match ids.len() {
        0 => None,
        n if p != 7 => ids.get(p % n).cloned(),
        _ => None,
    }
    .unwrap_or_else(|| PortfolioId::parse("port-nevercreated0").unwrap())
}

/// The whole directory as the store answers it equals the model's.
pub(super) fn check_directory(store: &dyn Store, d: &ModelDirectory, step: usize, op: &Op) {
    let ctx = || format!("step {step}: after {op:?}");
    for o in &d.organizations {
        let id = &o.record.id;
        assert_eq!(
            store.organization(id).unwrap(),
            Some(o.record.clone()),
            "{}",
            ctx()
        );
        let members: Vec<MemberAccount> = o.accounts.iter().map(|a| d.members[a].clone()).collect();
        assert_eq!(
            store.list_accounts(id, PageRequest::all()).unwrap().items,
            members,
            "{}: members in joining order",
            ctx()
        );
        assert_eq!(
            store
                .accounts_under(&OrganizationNodeValue::Organization(id.clone()))
                .unwrap(),
            o.accounts,
            "{}",
            ctx()
        );
        assert_eq!(
            store.service_access(id, &sc()).unwrap(),
            o.service_access,
            "{}",
            ctx()
        );
        let administrators: Vec<DelegatedAdministratorRecord> = o
            .administrators
            .iter()
            .map(|a| DelegatedAdministratorRecord {
                account: d.members[a].clone(),
                service_principal: sc(),
                delegation_enabled: now(),
            })
            .collect();
        assert_eq!(
            store.list_delegated_administrators(id, None).unwrap(),
            administrators,
            "{}",
            ctx()
        );
        let parents = std::iter::once(ParentId::Root(o.record.root.clone())).chain(
            d.ous
                .iter()
                .filter(|x| &x.organization == id)
                .map(|x| ParentId::OrganizationalUnit(x.id.clone())),
        );
        for parent in parents {
            let children: Vec<OuRecord> = d
                .ous
                .iter()
                .filter(|x| x.parent == parent)
                .cloned()
                .collect();
            assert_eq!(
                store
                    .list_organizational_units(id, &parent, PageRequest::all())
                    .unwrap()
                    .items,
                children,
                "{}: OUs under {parent}",
                ctx()
            );
        }
    }
    for ou in &d.ous {
        assert_eq!(
            store.organizational_unit(&ou.id).unwrap(),
            Some(ou.clone()),
            "{}",
            ctx()
        );
        let mut under = store
            .accounts_under(&OrganizationNodeValue::OrganizationalUnit(ou.id.clone()))
            .unwrap();
        under.sort();
        assert_eq!(
            under,
            d.accounts_under(&ou.id),
            "{}: under {}",
            ctx(),
            ou.id
        );
    }
    let known = (0..4).map(member_id).chain(d.created.iter().cloned());
    for account in known {
        let member = d.members.get(&account);
        assert_eq!(
            store.member_account(&account).unwrap().as_ref(),
            member,
            "{}",
            ctx()
        );
        assert_eq!(
            store.placement(&account).unwrap().as_deref(),
            d.placement(&account).as_ref(),
            "{}",
            ctx()
        );
        assert_eq!(
            store.organization_of(&account).unwrap().map(|o| o.id),
            member.map(|m| m.organization.clone()),
            "{}",
            ctx()
        );
        assert_eq!(
            store
                .accounts_under(&OrganizationNodeValue::Account(account.clone()))
                .unwrap(),
            member.map(|m| m.id.clone()).into_iter().collect::<Vec<_>>(),
            "{}",
            ctx()
        );
        let administrator = member.is_some_and(|m| {
            d.organization(&m.organization)
                .is_some_and(|o| o.administrators.contains(&account))
        });
        assert_eq!(
            store.is_delegated_administrator(&account, &sc()).unwrap(),
            administrator,
            "{}",
            ctx()
        );
    }
    for (id, request) in &d.requests {
        assert_eq!(
            store.create_account_status(id).unwrap().as_ref(),
            Some(request),
            "{}",
            ctx()
        );
    }
}
