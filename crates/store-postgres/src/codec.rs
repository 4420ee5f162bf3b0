//! Values as the tables hold them, and back: share targets, associations, changes, positions.
//! A value that does not decode is a damaged row ([`Fail::Damaged`]), never a default.

use portcullis_model::{
    AccountId, DescribePortfolioShareType, OrganizationId, OuId, ParentId, PortfolioId,
    PortfolioShareToken, PrincipalId, PrincipalType, ServicePrincipal,
};
use portcullis_store::{
    Association, Change, ImportKind, Page, PageRequest, Position, ShareOperationKind, ShareRecord,
    ShareTarget,
};
use postgres::Row;
use postgres::types::{FromSql, Json};
use serde::de::DeserializeOwned;

use crate::pool::Fail;

/// Column `idx` of `row`.
pub(crate) fn get<'a, T: FromSql<'a>>(row: &'a Row, idx: &str) -> Result<T, Fail> {
    row.try_get(idx)
        .map_err(|e| Fail::Damaged(format!("column `{idx}`: {e}")))
}

/// A JSON record in column `idx`.
pub(crate) fn record<T: DeserializeOwned>(row: &Row, idx: &str) -> Result<T, Fail> {
    let Json(value) = get::<Json<T>>(row, idx)?;
    Ok(value)
}

/// Parses a stored identifier or enum value.
pub(crate) fn parse<T, E: std::fmt::Display>(parsed: Result<T, E>, what: &str) -> Result<T, Fail> {
    parsed.map_err(|e| Fail::Damaged(format!("{what}: {e}")))
}

pub(crate) fn id<T: std::str::FromStr<Err = E>, E: std::fmt::Display>(
    row: &Row,
    idx: &str,
) -> Result<T, Fail> {
    parse(get::<&str>(row, idx)?.parse::<T>(), idx)
}

pub(crate) fn opt_id<T: std::str::FromStr<Err = E>, E: std::fmt::Display>(
    row: &Row,
    idx: &str,
) -> Result<Option<T>, Fail> {
    get::<Option<&str>>(row, idx)?
        .map(|s| parse(s.parse::<T>(), idx))
        .transpose()
}

/// A position (a value of the `list_order` sequence) as stored.
pub(crate) fn position(row: &Row, idx: &str) -> Result<Position, Fail> {
    let n: i64 = get(row, idx)?;
    Ok(Position::new(parse(u64::try_from(n), idx)?))
}

/// Where a page starts: the position after which items are read.
pub(crate) fn after(page: PageRequest) -> i64 {
    page.after
        .map_or(0, |p| i64::try_from(p.get()).unwrap_or(i64::MAX))
}

/// How many rows to read for a page: one more than it holds, to learn whether another follows.
pub(crate) fn fetch(page: PageRequest) -> i64 {
    i64::try_from(page.limit.max(1))
        .unwrap_or(i64::MAX - 1)
        .saturating_add(1)
}

/// The page of `rows` (read with [`after`] and [`fetch`], each with its position).
/// The page of `rows` selected as `seq, record … ORDER BY seq LIMIT` [`fetch`]`(page)`: each
/// row's JSON `record` at its `seq`.
pub(crate) fn record_page<T: DeserializeOwned>(
    rows: &[Row],
    page: PageRequest,
) -> Result<Page<T>, Fail> {
    let items = rows
        .iter()
        .map(|row| Ok((position(row, "seq")?, record(row, "record")?)))
        .collect::<Result<Vec<_>, Fail>>()?;
    Ok(self::page(items, page))
}

pub(crate) fn page<T>(mut rows: Vec<(Position, T)>, page: PageRequest) -> Page<T> {
    let limit = page.limit.max(1);
    let next = if rows.len() > limit {
        rows.truncate(limit);
        rows.last().map(|(p, _)| *p)
    } else {
        None
    };
    Page {
        items: rows.into_iter().map(|(_, item)| item).collect(),
        next,
    }
}

// ---- share targets -----------------------------------------------------------------------------

/// A share target as two columns: its type and the recipient's id.
pub(crate) fn target_columns(target: &ShareTarget) -> (&'static str, &str) {
    (target.share_type().as_str(), target.principal_id())
}

pub(crate) fn target(row: &Row, type_idx: &str, id_idx: &str) -> Result<ShareTarget, Fail> {
    let kind = parse(
        DescribePortfolioShareType::parse(get::<&str>(row, type_idx)?),
        type_idx,
    )?;
    Ok(match kind {
        DescribePortfolioShareType::Account => ShareTarget::Account(id(row, id_idx)?),
        DescribePortfolioShareType::Organization => {
            ShareTarget::Organization(id::<OrganizationId, _>(row, id_idx)?)
        }
        DescribePortfolioShareType::OrganizationalUnit => {
            ShareTarget::OrganizationalUnit(id::<OuId, _>(row, id_idx)?)
        }
        DescribePortfolioShareType::OrganizationMemberAccount => {
            ShareTarget::OrganizationMemberAccount(id(row, id_idx)?)
        }
    })
}

/// The columns of `shares` a [`ShareRecord`] is read from.
pub(crate) const SHARE_COLUMNS: &str = "s.target_type, s.principal_id, s.share_principals, \
     s.share_tag_options, s.accepted, s.token, s.created_by";

pub(crate) fn share(row: &Row) -> Result<ShareRecord, Fail> {
    Ok(ShareRecord {
        target: target(row, "target_type", "principal_id")?,
        share_principals: get(row, "share_principals")?,
        share_tag_options: get(row, "share_tag_options")?,
        accepted: get(row, "accepted")?,
        token: opt_id::<PortfolioShareToken, _>(row, "token")?,
        created_by: id(row, "created_by")?,
    })
}

pub(crate) fn operation_kind(kind: ShareOperationKind) -> &'static str {
    match kind {
        ShareOperationKind::Create => "CREATE",
        ShareOperationKind::Update => "UPDATE",
        ShareOperationKind::Delete => "DELETE",
    }
}

pub(crate) fn parse_operation_kind(s: &str) -> Result<ShareOperationKind, Fail> {
    match s {
        "CREATE" => Ok(ShareOperationKind::Create),
        "UPDATE" => Ok(ShareOperationKind::Update),
        "DELETE" => Ok(ShareOperationKind::Delete),
        other => Err(Fail::Damaged(format!("share operation kind `{other}`"))),
    }
}

pub(crate) fn import_kind(kind: ImportKind) -> &'static str {
    match kind {
        ImportKind::AccountShare => "ACCOUNT_SHARE",
        ImportKind::OrganizationShare => "ORGANIZATION_SHARE",
    }
}

pub(crate) fn parse_import_kind(s: &str) -> Result<ImportKind, Fail> {
    match s {
        "ACCOUNT_SHARE" => Ok(ImportKind::AccountShare),
        "ORGANIZATION_SHARE" => Ok(ImportKind::OrganizationShare),
        other => Err(Fail::Damaged(format!("import kind `{other}`"))),
    }
}

// ---- associations ------------------------------------------------------------------------------

/// An association read back: the ARN parsed again for its type, as when it was associated.
pub(crate) fn association(principal_type: &str, arn: &str) -> Result<Association, Fail> {
    let principal_type = parse(PrincipalType::parse(principal_type), "principal type")?;
    Association::from_stored(principal_type, arn)
        .map_err(|e| Fail::Damaged(format!("association `{arn}`: {e}")))
}

// ---- changes -----------------------------------------------------------------------------------

/// The `kind` of a [`Change::Portfolio`] row.
pub(crate) const PORTFOLIO_CHANGE: &str = "PORTFOLIO";

/// A change as the columns of the `changes` table: kind, portfolio, account, organization, the
/// parent moved from, the parent moved to and the principal.
pub(crate) struct ChangeColumns<'a> {
    pub(crate) kind: &'static str,
    pub(crate) portfolio: Option<&'a str>,
    pub(crate) account: Option<&'a str>,
    pub(crate) organization: Option<&'a str>,
    pub(crate) from: Option<&'a str>,
    pub(crate) to: Option<&'a str>,
    pub(crate) principal: Option<&'a str>,
}

pub(crate) fn change_columns(change: &Change) -> ChangeColumns<'_> {
    let none = ChangeColumns {
        kind: "",
        portfolio: None,
        account: None,
        organization: None,
        from: None,
        to: None,
        principal: None,
    };
    match change {
        Change::Portfolio(id) => ChangeColumns {
            kind: PORTFOLIO_CHANGE,
            portfolio: Some(id.as_str()),
            ..none
        },
        Change::AccountPlaced {
            account,
            organization,
            from,
            to,
        } => ChangeColumns {
            kind: "ACCOUNT_PLACED",
            account: Some(account.as_str()),
            organization: Some(organization.as_str()),
            from: from.as_ref().map(ParentId::as_str),
            to: Some(to.as_str()),
            ..none
        },
        Change::Organization(id) => ChangeColumns {
            kind: "ORGANIZATION",
            organization: Some(id.as_str()),
            ..none
        },
        Change::Reset => ChangeColumns {
            kind: "RESET",
            ..none
        },
        Change::Principal(id) => ChangeColumns {
            kind: "PRINCIPAL",
            principal: Some(id.as_str()),
            ..none
        },
    }
}

/// A change read from the `changes` table.
pub(crate) fn change(row: &Row) -> Result<Change, Fail> {
    let required = |idx: &str| -> Result<&str, Fail> {
        get::<Option<&str>>(row, idx)?
            .ok_or_else(|| Fail::Damaged(format!("change without `{idx}`")))
    };
    match get::<&str>(row, "kind")? {
        PORTFOLIO_CHANGE => Ok(Change::Portfolio(parse(
            PortfolioId::parse(required("portfolio")?),
            "portfolio",
        )?)),
        "ACCOUNT_PLACED" => Ok(Change::AccountPlaced {
            account: parse(AccountId::parse(required("account")?), "account")?,
            organization: parse(
                OrganizationId::parse(required("organization")?),
                "organization",
            )?,
            from: opt_id::<ParentId, _>(row, "from_parent")?,
            to: parse(ParentId::parse(required("to_parent")?), "to_parent")?,
        }),
        "ORGANIZATION" => Ok(Change::Organization(parse(
            OrganizationId::parse(required("organization")?),
            "organization",
        )?)),
        "RESET" => Ok(Change::Reset),
        "PRINCIPAL" => Ok(Change::Principal(parse(
            PrincipalId::parse(required("principal")?),
            "principal",
        )?)),
        other => Err(Fail::Damaged(format!("change kind `{other}`"))),
    }
}

/// A service principal as stored.
pub(crate) fn service_principal(row: &Row, idx: &str) -> Result<ServicePrincipal, Fail> {
    id(row, idx)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(positions: &[u64]) -> Vec<(Position, u64)> {
        positions.iter().map(|p| (Position::new(*p), *p)).collect()
    }

    #[test]
    fn a_page_reads_one_row_more_than_it_holds_to_learn_whether_another_follows() {
        let request = PageRequest::first(2);
        assert_eq!(fetch(request), 3);
        assert_eq!(after(request), 0);
        let page = super::page(rows(&[5, 9, 12]), request);
        assert_eq!(page.items, vec![5, 9]);
        assert_eq!(page.next, Some(Position::new(9)));
        let last = super::page(rows(&[12]), PageRequest::after(Position::new(9), 2));
        assert_eq!((last.items, last.next), (vec![12], None));
    }

    #[test]
    fn a_limit_of_zero_reads_one_item_and_every_item_fits_in_bigint() {
        assert_eq!(fetch(PageRequest::first(0)), 2);
        let page = super::page(rows(&[1, 2]), PageRequest::first(0));
        assert_eq!((page.items, page.next), (vec![1], Some(Position::new(1))));
        assert_eq!(fetch(PageRequest::all()), i64::MAX);
        assert_eq!(
            after(PageRequest::after(Position::new(u64::MAX), 1)),
            i64::MAX
        );
    }

    #[test]
    fn every_change_has_columns_of_its_kind() {
        let org = OrganizationId::parse("o-abcdefghij").unwrap();
        let change = Change::Organization(org.clone());
        let columns = change_columns(&change);
        assert_eq!(columns.kind, "ORGANIZATION");
        assert_eq!(columns.organization, Some(org.as_str()));
        assert_eq!(columns.portfolio, None);
    }
}
