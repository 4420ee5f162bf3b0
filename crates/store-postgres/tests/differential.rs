//! `PostgresStore` against the reference `MemoryStore`: one scripted sequence calling every
//! operation of the `Store` trait (successes, refusals, idempotent repeats, pages, deletes and
//! the directory), run on both; every answer, and the changes each step recorded, must be the
//! same. Generated values (ids, tokens, positions) differ between stores, so each is replaced
//! by its type and the order in which it first appeared before the answers are compared.

mod common;

use std::collections::HashMap;

use common::fixtures::*;
use portcullis_model::{
    AccountJoinedMethod, DescribePortfolioShareType, OrganizationId, OrganizationNodeValue, OuId,
    ParentId, PortfolioId, PrincipalType, ProductId, Region, ServicePrincipal, Tag,
};
use portcullis_store::{
    Change, ImportKind, MemoryStore, NewAccount, NewMember, NewShare, PageRequest, PortfolioUpdate,
    ProductUpdate, ShareRecord, ShareTarget, ShareUpdate, Store, StoreError,
};
use portcullis_store_postgres::PostgresStore;

/// Records each step's answer, and the changes it recorded, as text.
struct Transcript<'a> {
    store: &'a dyn Store,
    version: u64,
    lines: Vec<String>,
}

#[expect(
    clippy::unwrap_used,
    reason = "test helper: an unexpected answer fails the test"
)]
impl Transcript<'_> {
    fn step(&mut self, what: &str, answer: impl std::fmt::Debug) {
        let changes = self.store.changes_since(self.version).unwrap();
        self.version = changes.version;
        self.lines
            .push(format!("{what}: {answer:?}; changes {:?}", changes.changes));
    }

    /// A step removing shares from several portfolios, which a store visits in no particular
    /// order: its answer and changes are put in the order of `portfolios`, each portfolio's
    /// shares kept in the order the store removed them.
    fn removal(
        &mut self,
        what: &str,
        answer: Result<Vec<(PortfolioId, ShareRecord)>, StoreError>,
        portfolios: &[&PortfolioId],
    ) {
        let place = |id: &PortfolioId| portfolios.iter().position(|p| *p == id);
        let mut changes = self.store.changes_since(self.version).unwrap();
        self.version = changes.version;
        let answer = answer.map(|mut removed| {
            removed.sort_by_key(|(id, _)| place(id));
            removed
        });
        changes.changes.sort_by_key(|(_, change)| match change {
            Change::Portfolio(id) => place(id),
            _ => None,
        });
        let changes: Vec<&Change> = changes.changes.iter().map(|(_, c)| c).collect();
        self.lines
            .push(format!("{what}: {answer:?}; changes {changes:?}"));
    }
}

/// The generated values in a transcript line replaced by `Type#n`, numbered in order of first
/// appearance across the whole transcript.
struct Normalizer {
    seen: HashMap<String, String>,
    counts: HashMap<&'static str, usize>,
}

const GENERATED: &[&str] = &[
    "PortfolioId",
    "PortfolioShareToken",
    "OrganizationId",
    "RootId",
    "OuId",
    "CreateAccountRequestId",
    "AccountId",
    "ProductId",
    "ProductViewId",
    "ProvisioningArtifactId",
    "Position",
];

#[expect(
    clippy::unwrap_used,
    reason = "test helper: an unexpected answer fails the test"
)]
impl Normalizer {
    fn new() -> Normalizer {
        Normalizer {
            seen: HashMap::new(),
            counts: HashMap::new(),
        }
    }

    fn line(&mut self, line: &str) -> String {
        let mut out = String::new();
        let mut rest = line;
        'scan: while !rest.is_empty() {
            for ty in GENERATED {
                let open = format!("{ty}(");
                if rest.starts_with(&open)
                    && let Some(close) = rest[open.len()..].find(')')
                {
                    let value = &rest[open.len()..open.len() + close];
                    let key = format!("{ty}({value})");
                    let name = match self.seen.get(&key) {
                        Some(name) => name.clone(),
                        None => {
                            let n = self.counts.entry(ty).or_default();
                            *n += 1;
                            let name = format!("{ty}#{n}");
                            self.seen.insert(key, name.clone());
                            name
                        }
                    };
                    out.push_str(&name);
                    rest = &rest[open.len() + close + 1..];
                    continue 'scan;
                }
            }
            let c = rest.chars().next().unwrap();
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
        out
    }
}

fn tag(key: &str, value: &str) -> Tag {
    Tag {
        key: key.into(),
        value: value.into(),
    }
}

/// Every operation, on `store`.
#[expect(
    clippy::unwrap_used,
    reason = "test helper: an unexpected answer fails the test"
)]
fn script(store: &dyn Store) -> Vec<String> {
    let mut t = Transcript {
        store,
        version: store.version(),
        lines: Vec::new(),
    };
    let other_region = Region::parse("eu-west-1").unwrap();

    // ---- portfolios ----
    let mut first = new_portfolio("first", Some("token-1"));
    first.tags = vec![tag("a", "1"), tag("b", "2"), tag("a", "3")];
    let created = store.create_portfolio(first.clone()).unwrap();
    let p1 = created.portfolio.id.clone();
    t.step("create with a token", &created);
    t.step(
        "create again with the token",
        store.create_portfolio(first.clone()),
    );
    let mut elsewhere = first.clone();
    elsewhere.region = other_region.clone();
    t.step(
        "the token in another region",
        store.create_portfolio(elsewhere),
    );
    let p2 = create(store, "second");
    let p3 = create(store, "third");
    t.step("portfolio", store.portfolio(&p1));
    let page = store
        .list_portfolios(&owner(), &region(), PageRequest::first(2))
        .unwrap();
    t.step("list page 1", &page);
    t.step(
        "list page 2",
        store.list_portfolios(
            &owner(),
            &region(),
            PageRequest::after(page.next.unwrap(), 2),
        ),
    );
    t.step(
        "list with limit 0",
        store.list_portfolios(&owner(), &region(), PageRequest::first(0)),
    );
    t.step(
        "list another owner",
        store.list_portfolios(&acct("999999999999"), &region(), PageRequest::all()),
    );
    t.step(
        "update",
        store.update_portfolio(
            &p1,
            PortfolioUpdate {
                display_name: Some("renamed".into()),
                description: Some("described".into()),
                provider_name: None,
                add_tags: vec![tag("c", "4"), tag("b", "5")],
                remove_tags: vec!["a".into()],
            },
        ),
    );
    t.step(
        "update changing nothing",
        store.update_portfolio(&p1, PortfolioUpdate::default()),
    );
    t.step(
        "the token answers the first record",
        store.create_portfolio(first),
    );

    // ---- associations ----
    for (i, arn) in [
        "arn:aws:iam:::role/Dev*",
        "arn:aws:iam:::role/Ops?",
        "arn:aws:iam:::user/team/*",
    ]
    .iter()
    .enumerate()
    {
        t.step(
            &format!("associate pattern {i}"),
            store.associate(&p1, &owner(), pattern(arn), 3),
        );
    }
    t.step(
        "a fourth pattern beyond the limit of 3",
        store.associate(&p1, &owner(), pattern("arn:aws:iam:::role/Fourth*"), 3),
    );
    t.step(
        "a pattern again at the limit",
        store.associate(&p1, &owner(), pattern("arn:aws:iam:::role/Dev*"), 3),
    );
    t.step(
        "IAM",
        store.associate(
            &p1,
            &owner(),
            iam("arn:aws:iam::111111111111:role/Admin"),
            1000,
        ),
    );
    t.step(
        "disassociate with the wrong type",
        store.disassociate(&p1, &owner(), PrincipalType::Iam, "arn:aws:iam:::role/Dev*"),
    );
    t.step(
        "disassociate",
        store.disassociate(
            &p1,
            &owner(),
            PrincipalType::IamPattern,
            "arn:aws:iam:::role/Dev*",
        ),
    );
    t.step(
        "associate again, now last",
        store.associate(&p1, &owner(), pattern("arn:aws:iam:::role/Dev*"), 3),
    );
    let page = store
        .list_associations(&p1, &owner(), PageRequest::first(2))
        .unwrap();
    t.step("associations page 1", &page);
    t.step(
        "associations page 2",
        store.list_associations(&p1, &owner(), PageRequest::after(page.next.unwrap(), 2)),
    );
    t.step(
        "associations of an account with none",
        store.list_associations(&p1, &acct("222222222222"), PageRequest::all()),
    );

    // ---- shares and imports ----
    t.step(
        "account share",
        store.create_share(&p1, account_share("222222222222"), 4),
    );
    t.step(
        "account share again, other flags",
        store.create_share(
            &p1,
            NewShare {
                share_tag_options: true,
                ..account_share("222222222222")
            },
            4,
        ),
    );
    let org = store
        .create_organization(new_organization("111111111111"))
        .unwrap();
    t.step("organization", &org);
    let root = ParentId::Root(org.root.clone());
    let ou = store
        .create_organizational_unit(&org.id, &root, "engineering")
        .unwrap();
    t.step("OU", &ou);
    let org_share = |target: ShareTarget| NewShare {
        target,
        share_principals: true,
        share_tag_options: false,
        accepted: true,
        track: true,
        created_by: acct("333333333333"),
    };
    let created = store
        .create_share(&p1, org_share(ShareTarget::Organization(org.id.clone())), 4)
        .unwrap();
    t.step("organization share", &created);
    t.step(
        "OU share",
        store.create_share(
            &p1,
            org_share(ShareTarget::OrganizationalUnit(ou.id.clone())),
            4,
        ),
    );
    t.step(
        "member account share",
        store.create_share(
            &p1,
            org_share(ShareTarget::OrganizationMemberAccount(acct("444444444444"))),
            4,
        ),
    );
    t.step(
        "a fifth share beyond the limit of 4",
        store.create_share(&p1, account_share("555555555555"), 4),
    );
    t.step(
        "share",
        store.share(&p1, &ShareTarget::Organization(org.id.clone())),
    );
    t.step(
        "no such share",
        store.share(&p1, &ShareTarget::Account(acct("555555555555"))),
    );
    t.step(
        "share operation",
        store.share_operation(created.share.token.as_ref().unwrap()),
    );
    let updated = store
        .update_share(
            &p1,
            &ShareTarget::Organization(org.id.clone()),
            ShareUpdate {
                share_principals: Some(false),
                share_tag_options: Some(true),
            },
        )
        .unwrap();
    t.step("update share", &updated);
    t.step(
        "its operation",
        store.share_operation(updated.token.as_ref().unwrap()),
    );
    t.step(
        "update a missing share",
        store.update_share(
            &p1,
            &ShareTarget::Account(acct("555555555555")),
            ShareUpdate::default(),
        ),
    );
    let page = store.list_shares(&p1, None, PageRequest::first(3)).unwrap();
    t.step("shares page 1", &page);
    t.step(
        "shares page 2",
        store.list_shares(&p1, None, PageRequest::after(page.next.unwrap(), 3)),
    );
    t.step(
        "account shares",
        store.list_shares(
            &p1,
            Some(DescribePortfolioShareType::Account),
            PageRequest::all(),
        ),
    );
    let recipient = acct("222222222222");
    t.step("accept", store.accept_account_share(&p1, &recipient));
    t.step("accept again", store.accept_account_share(&p1, &recipient));
    t.step(
        "accept a share that is not there",
        store.accept_account_share(&p2, &recipient),
    );
    t.step(
        "imported",
        store.is_imported(&p1, &recipient, ImportKind::AccountShare),
    );
    t.step(
        "recipient associates",
        store.associate(&p1, &recipient, pattern("arn:aws:iam:::role/Guest*"), 10),
    );
    t.step(
        "import through the organization",
        store.import_organization_share(&p2, &recipient),
    );
    t.step(
        "and again",
        store.import_organization_share(&p2, &recipient),
    );
    t.step(
        "account imports",
        store.list_imports(&recipient, &region(), ImportKind::AccountShare),
    );
    t.step(
        "organization imports",
        store.list_imports(&recipient, &region(), ImportKind::OrganizationShare),
    );
    t.step(
        "imports elsewhere",
        store.list_imports(&recipient, &other_region, ImportKind::AccountShare),
    );
    t.step(
        "remove the organization import",
        store.remove_organization_import(&p2, &recipient),
    );
    t.step(
        "remove it again",
        store.remove_organization_import(&p2, &recipient),
    );
    t.step("reject", store.reject_account_share(&p1, &recipient));
    t.step("reject again", store.reject_account_share(&p1, &recipient));
    t.step(
        "accept once more",
        store.accept_account_share(&p1, &recipient),
    );
    t.step("snapshot", store.portfolio_snapshot(&p1));

    // ---- deletes ----
    t.step("delete in use", store.delete_portfolio(&p1));
    t.step(
        "delete the account share untracked",
        store.delete_share(&p1, &ShareTarget::Account(recipient.clone()), false),
    );
    t.step(
        "the recipient's import went with it",
        store.is_imported(&p1, &recipient, ImportKind::AccountShare),
    );
    t.step(
        "delete the OU share tracked",
        store.delete_share(&p1, &ShareTarget::OrganizationalUnit(ou.id.clone()), true),
    );
    t.step(
        "delete it again",
        store.delete_share(&p1, &ShareTarget::OrganizationalUnit(ou.id.clone()), true),
    );
    store
        .create_share(&p3, org_share(ShareTarget::Organization(org.id.clone())), 4)
        .unwrap();
    store
        .create_share(&p3, account_share("666666666666"), 4)
        .unwrap();
    t.removal(
        "delete the organization-node shares one account created",
        store.delete_shares_created_by(&acct("333333333333"), true),
        &[&p1, &p2, &p3],
    );
    t.removal(
        "nothing left to delete",
        store.delete_shares_created_by(&acct("333333333333"), false),
        &[&p1, &p2, &p3],
    );
    t.removal(
        "delete every share the owner created",
        store.delete_shares_created_by(&owner(), false),
        &[&p1, &p2, &p3],
    );
    for arn in [
        "arn:aws:iam:::role/Ops?",
        "arn:aws:iam:::user/team/*",
        "arn:aws:iam:::role/Dev*",
    ] {
        store
            .disassociate(&p1, &owner(), PrincipalType::IamPattern, arn)
            .unwrap();
    }
    t.step("still in use by IAM", store.delete_portfolio(&p1));
    store
        .disassociate(
            &p1,
            &owner(),
            PrincipalType::Iam,
            "arn:aws:iam::111111111111:role/Admin",
        )
        .unwrap();
    t.step(
        "delete, the recipient's association going with it",
        store.delete_portfolio(&p1),
    );
    t.step("delete again", store.delete_portfolio(&p1));
    t.step("gone", store.portfolio(&p1));
    t.step(
        "snapshot of a deleted portfolio",
        store.portfolio_snapshot(&p1),
    );
    t.step(
        "associate on a deleted portfolio",
        store.associate(&p1, &owner(), pattern("arn:aws:iam:::role/X*"), 10),
    );
    t.step(
        "list associations of a deleted portfolio",
        store.list_associations(&p1, &owner(), PageRequest::all()),
    );
    t.step(
        "shares of a deleted portfolio",
        store.list_shares(&p1, None, PageRequest::all()),
    );
    t.step(
        "share of a deleted portfolio",
        store.share(&p1, &ShareTarget::Account(recipient.clone())),
    );
    t.step(
        "imported on a deleted portfolio",
        store.is_imported(&p1, &recipient, ImportKind::AccountShare),
    );
    t.step(
        "the token still answers the first record",
        store.create_portfolio(new_portfolio("first", Some("token-1"))),
    );
    let mut all = Vec::new();
    store.for_each_portfolio(&mut |s| all.push(s)).unwrap();
    t.step("every portfolio", &all);

    // ---- the directory ----
    t.step(
        "a second organization for the same account",
        store.create_organization(new_organization("111111111111")),
    );
    t.step("organization", store.organization(&org.id));
    t.step(
        "no such organization",
        store.organization(&OrganizationId::parse("o-aaaaaaaaaa").unwrap()),
    );
    t.step("organization of", store.organization_of(&owner()));
    t.step(
        "organization of a stranger",
        store.organization_of(&acct("999999999999")),
    );
    let nested = store
        .create_organizational_unit(&org.id, &ParentId::OrganizationalUnit(ou.id.clone()), "web")
        .unwrap();
    t.step("nested OU", &nested);
    t.step(
        "a sibling with the same name",
        store.create_organizational_unit(&org.id, &root, "engineering"),
    );
    t.step(
        "the same name elsewhere",
        store.create_organizational_unit(
            &org.id,
            &ParentId::OrganizationalUnit(nested.id.clone()),
            "engineering",
        ),
    );
    let stranger_ou = OuId::parse("ou-aaaa-aaaaaaaa").unwrap();
    t.step(
        "under a missing parent",
        store.create_organizational_unit(
            &org.id,
            &ParentId::OrganizationalUnit(stranger_ou.clone()),
            "x",
        ),
    );
    store
        .create_organizational_unit(&org.id, &root, "finance")
        .unwrap();
    let page = store
        .list_organizational_units(&org.id, &root, PageRequest::first(1))
        .unwrap();
    t.step("OUs page 1", &page);
    t.step(
        "OUs page 2",
        store.list_organizational_units(&org.id, &root, PageRequest::after(page.next.unwrap(), 1)),
    );
    t.step("OU", store.organizational_unit(&nested.id));
    t.step("no such OU", store.organizational_unit(&stranger_ou));
    let made = store
        .create_account(
            &org.id,
            NewAccount {
                name: "made".into(),
                email: "Made@Example.com".into(),
                now: now(),
            },
        )
        .unwrap();
    t.step("create account", &made);
    t.step(
        "an e-mail address already known, in other case",
        store.create_account(
            &org.id,
            NewAccount {
                name: "again".into(),
                email: "made@example.COM".into(),
                now: now(),
            },
        ),
    );
    t.step("its status", store.create_account_status(&made.id));
    let member = NewMember {
        id: acct("777777777777"),
        name: "invited".into(),
        email: "invited@example.com".into(),
        joined_method: AccountJoinedMethod::Invited,
        now: now(),
    };
    t.step(
        "add a member",
        store.add_member_account(&org.id, member.clone()),
    );
    t.step(
        "add it again",
        store.add_member_account(&org.id, member.clone()),
    );
    t.step(
        "a second organization",
        store.create_organization(new_organization("888888888888")),
    );
    t.step("member", store.member_account(&member.id));
    let page = store.list_accounts(&org.id, PageRequest::first(2)).unwrap();
    t.step("accounts page 1", &page);
    t.step(
        "accounts page 2",
        store.list_accounts(&org.id, PageRequest::after(page.next.unwrap(), 2)),
    );
    let to_ou = ParentId::OrganizationalUnit(nested.id.clone());
    t.step(
        "move from the wrong source",
        store.move_account(&member.id, &to_ou, &root),
    );
    t.step(
        "move to a missing destination",
        store.move_account(
            &member.id,
            &root,
            &ParentId::OrganizationalUnit(stranger_ou.clone()),
        ),
    );
    t.step(
        "move where it is",
        store.move_account(&member.id, &root, &root),
    );
    t.step("move", store.move_account(&member.id, &root, &to_ou));
    t.step(
        "move a stranger",
        store.move_account(&acct("999999999999"), &root, &to_ou),
    );
    t.step("placement", store.placement(&member.id));
    t.step("placement at the root", store.placement(&owner()));
    t.step("no placement", store.placement(&acct("999999999999")));
    t.step(
        "accounts under the organization",
        store.accounts_under(&OrganizationNodeValue::Organization(org.id.clone())),
    );
    t.step(
        "accounts under the OU",
        store.accounts_under(&OrganizationNodeValue::OrganizationalUnit(ou.id.clone())),
    );
    t.step(
        "accounts under an account",
        store.accounts_under(&OrganizationNodeValue::Account(member.id.clone())),
    );
    t.step(
        "accounts under a missing OU",
        store.accounts_under(&OrganizationNodeValue::OrganizationalUnit(stranger_ou)),
    );
    let sc = ServicePrincipal::service_catalog();
    t.step(
        "enable service access",
        store.set_service_access(&org.id, &sc, true),
    );
    t.step(
        "enable it again",
        store.set_service_access(&org.id, &sc, true),
    );
    t.step(
        "register",
        store.register_delegated_administrator(&org.id, &member.id, &sc, now()),
    );
    t.step(
        "register again",
        store.register_delegated_administrator(&org.id, &member.id, &sc, now()),
    );
    t.step(
        "register a stranger",
        store.register_delegated_administrator(&org.id, &acct("999999999999"), &sc, now()),
    );
    let other_service =
        ServicePrincipal::parse("member.org.stacksets.cloudformation.amazonaws.com").unwrap();
    store
        .register_delegated_administrator(&org.id, &owner(), &other_service, now())
        .unwrap();
    t.step(
        "delegated administrators",
        store.list_delegated_administrators(&org.id, None),
    );
    t.step(
        "for one service",
        store.list_delegated_administrators(&org.id, Some(&sc)),
    );
    t.step(
        "is delegated administrator",
        store.is_delegated_administrator(&member.id, &sc),
    );
    t.step(
        "not for another service",
        store.is_delegated_administrator(&member.id, &other_service),
    );
    t.step(
        "disable while registered",
        store.set_service_access(&org.id, &sc, false),
    );
    t.step(
        "deregister",
        store.deregister_delegated_administrator(&org.id, &member.id, &sc),
    );
    t.step(
        "deregister again",
        store.deregister_delegated_administrator(&org.id, &member.id, &sc),
    );
    t.step("disable", store.set_service_access(&org.id, &sc, false));
    t.step("disabled", store.service_access(&org.id, &sc));
    t.step(
        "disable again",
        store.set_service_access(&org.id, &sc, false),
    );

    // ---- products ----
    let mut web = new_product("web", Some("product-token"));
    web.tags = vec![tag("a", "1"), tag("b", "2"), tag("a", "3")];
    let created = store.create_product(web.clone()).unwrap();
    let web_id = created.product.id.clone();
    t.step("create a product with a token", &created);
    t.step(
        "create it again with the token",
        store.create_product(web.clone()),
    );
    let mut web_elsewhere = web.clone();
    web_elsewhere.region = other_region.clone();
    t.step(
        "the product token in another region",
        store.create_product(web_elsewhere),
    );
    let mut bare = new_product("db", None);
    bare.provisioning_artifact = None;
    let created = store.create_product(bare).unwrap();
    let db_id = created.product.id.clone();
    t.step("create a product without an artifact", &created);
    let queue_id = create_product(store, "web");
    t.step("product", store.product(&web_id));
    t.step(
        "product by name (the first created)",
        store.product_by_name(&owner(), &region(), "web"),
    );
    t.step(
        "product by name in another case",
        store.product_by_name(&owner(), &region(), "WEB"),
    );
    let page = store
        .list_products(&owner(), &region(), PageRequest::first(2))
        .unwrap();
    t.step("list products page 1", &page);
    t.step(
        "list products page 2",
        store.list_products(
            &owner(),
            &region(),
            PageRequest::after(page.next.unwrap(), 2),
        ),
    );
    t.step(
        "update a product",
        store.update_product(
            &db_id,
            ProductUpdate {
                name: Some("database".into()),
                description: Some("described".into()),
                add_tags: vec![tag("c", "4")],
                remove_tags: vec!["a".into()],
                ..ProductUpdate::default()
            },
        ),
    );
    let missing_product = ProductId::parse("prod-doesnotexist1").unwrap();
    let missing = PortfolioId::parse("port-doesnotexist1").unwrap();
    t.step(
        "update a missing product",
        store.update_product(&missing_product, ProductUpdate::default()),
    );
    let shelf = create(store, "shelf");
    let rack = create(store, "rack");
    t.step(
        "associate a product",
        store.associate_product(&web_id, &shelf),
    );
    t.step(
        "associate it again",
        store.associate_product(&web_id, &shelf),
    );
    t.step(
        "associate another product",
        store.associate_product(&queue_id, &shelf),
    );
    t.step(
        "associate with another portfolio",
        store.associate_product(&web_id, &rack),
    );
    t.step(
        "associate a missing product",
        store.associate_product(&missing_product, &shelf),
    );
    t.step(
        "associate with a missing portfolio",
        store.associate_product(&web_id, &missing),
    );
    let page = store
        .list_products_for_portfolio(&shelf, PageRequest::first(1))
        .unwrap();
    t.step("products of a portfolio page 1", &page);
    t.step(
        "products of a portfolio page 2",
        store.list_products_for_portfolio(&shelf, PageRequest::after(page.next.unwrap(), 1)),
    );
    t.step(
        "products of a missing portfolio",
        store.list_products_for_portfolio(&missing, PageRequest::all()),
    );
    t.step(
        "portfolios of a product",
        store.list_portfolios_for_product(&web_id, &owner(), PageRequest::all()),
    );
    t.step(
        "portfolios of a product for another owner",
        store.list_portfolios_for_product(&web_id, &acct("999999999999"), PageRequest::all()),
    );
    t.step(
        "portfolios of a missing product",
        store.list_portfolios_for_product(&missing_product, &owner(), PageRequest::all()),
    );
    t.step(
        "delete an associated product",
        store.delete_product(&web_id),
    );
    store
        .associate(&shelf, &owner(), pattern("arn:aws:iam:::role/Shelf*"), 10)
        .unwrap();
    t.step(
        "delete a portfolio with principals and products",
        store.delete_portfolio(&shelf),
    );
    store
        .disassociate(
            &shelf,
            &owner(),
            PrincipalType::IamPattern,
            "arn:aws:iam:::role/Shelf*",
        )
        .unwrap();
    t.step(
        "delete a portfolio with products",
        store.delete_portfolio(&shelf),
    );
    t.step(
        "disassociate a product",
        store.disassociate_product(&web_id, &shelf),
    );
    t.step(
        "disassociate it again",
        store.disassociate_product(&web_id, &shelf),
    );
    t.step(
        "disassociate a missing product",
        store.disassociate_product(&missing_product, &shelf),
    );
    store.disassociate_product(&web_id, &rack).unwrap();
    t.step("delete a product", store.delete_product(&web_id));
    t.step("delete it again", store.delete_product(&web_id));
    t.step("a deleted product", store.product(&web_id));
    t.step(
        "the token after the delete",
        store.create_product(web.clone()),
    );
    t.step(
        "products left",
        store.list_products(&owner(), &region(), PageRequest::all()),
    );
    t.lines
}

#[test]
fn every_operation_answers_and_records_as_the_memory_store_does() {
    let memory = MemoryStore::new();
    let postgres = PostgresStore::connect(&common::shared().fresh_database()).unwrap();
    let expected = script(&memory);
    let actual = script(&postgres);
    let (mut m, mut p) = (Normalizer::new(), Normalizer::new());
    assert_eq!(expected.len(), actual.len());
    for (want, got) in expected.iter().zip(&actual) {
        assert_eq!(m.line(want), p.line(got));
    }
}
