//! Page tokens and pages.
//!
//! A page token is opaque to clients and bound to the list it continues: the operation, the
//! caller's account and region, and the list's own scope (a portfolio, a share type). A token
//! that does not decode, or that another operation, caller or list issued, is
//! `InvalidParametersException`, never silently read as the first page.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use portcullis_model::{Caller, PageSize, ServiceError};
use portcullis_store::{Page, PageRequest, Position};

use crate::Config;

/// Separates the parts of a token's plain text (never part of an id, a region or a scope).
const SEP: char = '\u{1f}';
/// The first part of every token: the format's version.
const VERSION: &str = "v1";

/// The list a page token continues. Its key (`operation␟account␟region␟scope`) is written
/// only when a token is read or issued: most list requests do neither.
pub(crate) struct ListScope<'a, S> {
    operation: &'static str,
    caller: &'a Caller,
    scope: S,
    /// The request member that carries the token (`PageToken`, `NextToken`).
    field: &'static str,
}

/// A scope of two parts, `a/b` (a portfolio and a share type, ...).
pub(crate) struct Slash<A, B>(pub A, pub B);

impl<A: std::fmt::Display, B: std::fmt::Display> std::fmt::Display for Slash<A, B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.0, self.1)
    }
}

impl<'a, S: std::fmt::Display> ListScope<'a, S> {
    /// The list `operation` answers `caller`, narrowed by `scope` (empty when the operation
    /// takes nothing that narrows it).
    pub(crate) fn new(
        operation: &'static str,
        caller: &'a Caller,
        scope: S,
        field: &'static str,
    ) -> ListScope<'a, S> {
        ListScope {
            operation,
            caller,
            scope,
            field,
        }
    }

    /// `operation␟account␟region␟scope`
    fn key(&self) -> String {
        format!(
            "{VERSION}{SEP}{}{SEP}{}{SEP}{}{SEP}{}",
            self.operation,
            self.caller.account(),
            self.caller.region(),
            self.scope
        )
    }

    /// The token that continues after `position`.
    pub(crate) fn token(&self, position: Position) -> String {
        URL_SAFE_NO_PAD.encode(format!("{}{SEP}{}", self.key(), position.get()))
    }

    /// The token that continues after `page`, if there is more.
    pub(crate) fn next<T>(&self, page: &Page<T>) -> Option<String> {
        page.next.map(|p| self.token(p))
    }

    /// Where the page `token` asks for starts; the first page for no token or an empty one.
    pub(crate) fn position(&self, token: Option<&str>) -> Result<Option<Position>, ServiceError> {
        let token = match token {
            None | Some("") => return Ok(None),
            Some(token) => token,
        };
        let invalid = || {
            ServiceError::invalid_parameters(format!(
                "invalid `{}`: `{token}` is not a token this service issued for this request",
                self.field
            ))
        };
        let plain = URL_SAFE_NO_PAD
            .decode(token)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .ok_or_else(invalid)?;
        let (key, position) = plain.rsplit_once(SEP).ok_or_else(invalid)?;
        if key != self.key() {
            return Err(invalid());
        }
        let position = position.parse::<u64>().map_err(|_| invalid())?;
        Ok(Some(Position::new(position)))
    }

    /// The page a request asks for: its token decoded, its size or the default.
    pub(crate) fn request(
        &self,
        config: &Config,
        token: Option<&str>,
        size: Option<PageSize>,
    ) -> Result<PageRequest, ServiceError> {
        let limit = match size.map(|s| s.get() as usize) {
            None | Some(0) => config.default_page_size,
            Some(n) => n,
        };
        Ok(PageRequest {
            after: self.position(token)?,
            limit,
        })
    }
}

/// Pages over a list computed whole, where an item's position is its index (small lists:
/// account ids, organization nodes, delegated administrators).
pub(crate) fn page_of<T>(items: Vec<T>, request: PageRequest) -> Page<T> {
    page_positioned(
        items
            .into_iter()
            .enumerate()
            .map(|(i, item)| (Position::new(i as u64 + 1), item))
            .collect(),
        request,
    )
}

/// Pages over a list already filtered, each item with its position in increasing order: the
/// items after `request.after`, at most `request.limit`, and a next position only when an item
/// follows. No page comes back short or empty while there is more.
pub(crate) fn page_positioned<T>(items: Vec<(Position, T)>, request: PageRequest) -> Page<T> {
    let limit = request.limit.max(1);
    let mut rest = items
        .into_iter()
        .filter(|(p, _)| request.after.is_none_or(|after| *p > after))
        .peekable();
    let mut page = Vec::new();
    let mut last = None;
    while page.len() < limit {
        let Some((p, item)) = rest.next() else {
            break;
        };
        page.push(item);
        last = Some(p);
    }
    Page {
        items: page,
        next: if rest.peek().is_some() { last } else { None },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use portcullis_model::{AccountId, Partition, Region};

    fn caller(account: &str) -> Caller {
        Caller::new(
            Partition::default(),
            Region::parse("us-east-1").unwrap(),
            AccountId::parse(account).unwrap(),
        )
    }

    #[test]
    fn a_token_continues_only_the_list_that_issued_it() {
        let me = caller("111111111111");
        let list = ListScope::new("ListPortfolios", &me, "", "PageToken");
        let token = list.token(Position::new(7));
        assert_eq!(list.position(Some(&token)).unwrap(), Some(Position::new(7)));
        assert_eq!(list.position(None).unwrap(), None);
        assert_eq!(list.position(Some("")).unwrap(), None);
        let other_operation = ListScope::new("ListAcceptedPortfolioShares", &me, "", "PageToken");
        let other = caller("222222222222");
        let other_caller = ListScope::new("ListPortfolios", &other, "", "PageToken");
        let other_scope = ListScope::new("ListPortfolios", &me, "port-x", "PageToken");
        for list in [other_operation, other_caller, other_scope] {
            assert!(list.position(Some(&token)).is_err());
        }
        for garbage in ["7", "not base64!", &URL_SAFE_NO_PAD.encode("v1\u{1f}x")] {
            let e = list.position(Some(garbage)).unwrap_err();
            assert_eq!(e.kind(), portcullis_model::ErrorKind::InvalidParameters);
            assert!(e.message().contains("`PageToken`"), "{}", e.message());
        }
    }

    #[test]
    fn positioned_pages_are_cut_after_filtering_and_say_more_only_when_there_is_more() {
        let items = |v: &[u64]| {
            v.iter()
                .map(|p| (Position::new(*p), *p))
                .collect::<Vec<_>>()
        };
        let page = page_positioned(items(&[2, 5, 9]), PageRequest::first(2));
        assert_eq!(page.items, vec![2, 5]);
        assert_eq!(page.next, Some(Position::new(5)));
        let page = page_positioned(items(&[2, 5, 9]), PageRequest::after(Position::new(5), 2));
        assert_eq!(page.items, vec![9]);
        assert_eq!(page.next, None);
        let page = page_positioned(items(&[2, 5]), PageRequest::first(2));
        assert_eq!(page.next, None);
        assert_eq!(
            page_of(vec!['a', 'b', 'c'], PageRequest::first(3)).next,
            None
        );
    }
}
