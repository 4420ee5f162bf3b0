//! Pages over the ordered indexes the memory store keeps.

use std::collections::BTreeMap;

use crate::types::{Page, PageRequest, Position};

/// The page of `index` described by `page`, resolving each entry with `resolve` and skipping
/// entries it rejects, so a page is filtered before it is cut. `next` is set only when a further
/// entry resolves.
pub(super) fn page_of<'a, K, T>(
    index: &'a BTreeMap<u64, K>,
    page: PageRequest,
    resolve: impl FnMut(&'a K) -> Option<T>,
) -> Page<T> {
    let start = page.after.map_or(0, |p| p.get().saturating_add(1));
    let entries = index.range(start..).map(|(seq, key)| (*seq, key));
    page_of_entries(entries, index.len(), page, resolve)
}

/// [`page_of`] over entries already copied out of an index, in position order; `len` bounds
/// how many there are (the page is allocated at most that large).
pub(super) fn page_of_entries<K, T>(
    entries: impl IntoIterator<Item = (u64, K)>,
    len: usize,
    page: PageRequest,
    mut resolve: impl FnMut(K) -> Option<T>,
) -> Page<T> {
    let limit = page.effective_limit();
    let start = page.after.map_or(0, |p| p.get().saturating_add(1));
    let mut items = Vec::with_capacity(limit.min(len));
    let mut last = None;
    for (seq, key) in entries.into_iter().filter(|(seq, _)| *seq >= start) {
        let Some(item) = resolve(key) else {
            continue;
        };
        if items.len() == limit {
            return Page {
                items,
                next: last.map(Position::new),
            };
        }
        items.push(item);
        last = Some(seq);
    }
    Page { items, next: None }
}

/// The positions and keys of the page described by `page`, copied out of `index` so that the
/// caller can drop the index guard before visiting slots; `next` is set when more entries follow.
pub(super) fn window<K: Clone>(
    index: &BTreeMap<u64, K>,
    page: PageRequest,
) -> (Vec<K>, Option<Position>) {
    let limit = page.effective_limit();
    let start = page.after.map_or(0, |p| p.get().saturating_add(1));
    let mut keys = Vec::new();
    let mut last = None;
    for (seq, key) in index.range(start..) {
        if keys.len() == limit {
            return (keys, last.map(Position::new));
        }
        keys.push(key.clone());
        last = Some(*seq);
    }
    (keys, None)
}
