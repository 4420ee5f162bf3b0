//! Everything a store answers about what a run wrote, read through the `Store` trait alone: the
//! same reads before a store is closed and after it is opened again must answer the same.

use std::fmt::Debug;

use portcullis_model::{DescribePortfolioShareType, OrganizationNodeValue, ParentId};

use super::Run;
use super::ops::{account, import_kind, member_id, region, sc};
use crate::{Page, PageRequest, Store, StoreError};

/// Each read (the call, written out) with its answer (`Debug`).
pub(super) type View = Vec<(String, String)>;

/// The page size lists are read with, so that positions between pages are read too.
const PAGE: usize = 2;

/// Every page of a list, with the positions between them.
fn pages<T>(
    mut read: impl FnMut(PageRequest) -> Result<Page<T>, StoreError>,
) -> Result<Vec<Page<T>>, StoreError> {
    let mut pages = Vec::new();
    let mut request = PageRequest::first(PAGE);
    loop {
        let page = read(request)?;
        let next = page.next;
        pages.push(page);
        assert!(pages.len() <= 10_000, "a list that never ends");
        match next {
            Some(next) => request = PageRequest::after(next, PAGE),
            None => return Ok(pages),
        }
    }
}

struct Reads(View);

impl Reads {
    fn read(&mut self, what: String, answer: impl Debug) {
        self.0.push((what, format!("{answer:?}")));
    }
}

/// What `store` answers about every portfolio, share operation, list and directory entry `run`
/// has touched.
pub(super) fn read(store: &dyn Store, run: &Run) -> View {
    let mut reads = Reads(Vec::new());
    let model = &run.model;

    let mut snapshots = Vec::new();
    let visited = store.for_each_portfolio(&mut |s| snapshots.push(s));
    reads.read("for_each_portfolio".into(), (visited, snapshots));
    for id in &run.ids {
        let portfolio = store.portfolio(id);
        let mut lent = None;
        let visited = store.visit_portfolio(id, &mut |p| lent = Some(p.clone()));
        assert_eq!(
            format!("{:?}", visited.map(|found| found.then_some(lent).flatten())),
            format!("{portfolio:?}"),
            "visit_portfolio({id}) lends what portfolio answers"
        );
        reads.read(format!("portfolio({id})"), portfolio);
        reads.read(
            format!("portfolio_snapshot({id})"),
            store.portfolio_snapshot(id),
        );
        for a in 0..3 {
            let who = account(a);
            reads.read(
                format!("list_associations({id}, {who})"),
                pages(|page| store.list_associations(id, &who, page)),
            );
            for organization in [false, true] {
                let kind = import_kind(organization);
                reads.read(
                    format!("is_imported({id}, {who}, {kind:?})"),
                    store.is_imported(id, &who, kind),
                );
            }
        }
        let filters =
            std::iter::once(None).chain(DescribePortfolioShareType::ALL.iter().copied().map(Some));
        for filter in filters {
            let listed = pages(|page| store.list_shares(id, filter, page));
            let visited = pages(|page| {
                let mut items = Vec::new();
                let next = store.visit_shares(id, filter, page, &mut |s| items.push(s.clone()))?;
                Ok(Page { items, next })
            });
            assert_eq!(
                format!("{visited:?}"),
                format!("{listed:?}"),
                "visit_shares({id}, {filter:?}) visits what list_shares lists"
            );
            reads.read(format!("list_shares({id}, {filter:?})"), listed);
        }
    }
    for a in 0..3 {
        let who = account(a);
        for r in 0..2 {
            let at = region(r);
            reads.read(
                format!("list_portfolios({who}, {at})"),
                pages(|page| store.list_portfolios(&who, &at, page)),
            );
            for organization in [false, true] {
                let kind = import_kind(organization);
                reads.read(
                    format!("list_imports({who}, {at}, {kind:?})"),
                    store.list_imports(&who, &at, kind),
                );
            }
        }
    }
    for token in model.operations.keys() {
        reads.read(
            format!("share_operation({token})"),
            store.share_operation(token),
        );
    }

    let directory = &model.directory;
    for o in &directory.organizations {
        let id = &o.record.id;
        reads.read(format!("organization({id})"), store.organization(id));
        reads.read(
            format!("list_accounts({id})"),
            pages(|page| store.list_accounts(id, page)),
        );
        reads.read(
            format!("service_access({id})"),
            store.service_access(id, &sc()),
        );
        reads.read(
            format!("list_delegated_administrators({id}, None)"),
            store.list_delegated_administrators(id, None),
        );
        reads.read(
            format!("list_delegated_administrators({id}, Some)"),
            store.list_delegated_administrators(id, Some(&sc())),
        );
        reads.read(
            format!("accounts_under({id})"),
            store.accounts_under(&OrganizationNodeValue::Organization(id.clone())),
        );
        let parents = std::iter::once(ParentId::Root(o.record.root.clone())).chain(
            directory
                .ous
                .iter()
                .map(|ou| ParentId::OrganizationalUnit(ou.id.clone())),
        );
        for parent in parents {
            reads.read(
                format!("list_organizational_units({id}, {parent})"),
                pages(|page| store.list_organizational_units(id, &parent, page)),
            );
        }
    }
    for ou in &directory.ous {
        reads.read(
            format!("organizational_unit({})", ou.id),
            store.organizational_unit(&ou.id),
        );
        reads.read(
            format!("accounts_under({})", ou.id),
            store.accounts_under(&OrganizationNodeValue::OrganizationalUnit(ou.id.clone())),
        );
    }
    let accounts = (0..4)
        .map(member_id)
        .chain(directory.created.iter().cloned());
    for who in accounts {
        reads.read(format!("member_account({who})"), store.member_account(&who));
        reads.read(
            format!("organization_of({who})"),
            store.organization_of(&who),
        );
        reads.read(format!("placement({who})"), store.placement(&who));
        reads.read(
            format!("is_delegated_administrator({who})"),
            store.is_delegated_administrator(&who, &sc()),
        );
        reads.read(
            format!("accounts_under({who})"),
            store.accounts_under(&OrganizationNodeValue::Account(who.clone())),
        );
    }
    for request in directory.requests.keys() {
        reads.read(
            format!("create_account_status({request})"),
            store.create_account_status(request),
        );
    }
    reads.0
}

/// Every read answers after the reopening as it did before.
pub(super) fn assert_same(before: &View, after: &View, step: usize) {
    assert_eq!(before.len(), after.len(), "step {step}: the same reads");
    for ((what, was), (again, is)) in before.iter().zip(after) {
        assert_eq!(what, again, "step {step}: the same reads");
        assert_eq!(
            is, was,
            "step {step}: after the store was closed and opened again, `{what}` answers \
             differently"
        );
    }
}
