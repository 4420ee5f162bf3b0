//! The bounded record of changes behind [`crate::ChangeFeed`].

use std::collections::VecDeque;

use crate::error::StoreError;
use crate::types::{Change, Changes};

/// Changes in version order, at most `capacity` of them: the oldest are dropped first, and a
/// reader asking from before them is told so ([`ChangesGap`]).
pub(super) struct ChangeLog {
    entries: VecDeque<(u64, Change)>,
    /// The version of the last change recorded.
    version: u64,
    capacity: usize,
}

impl ChangeLog {
    pub(super) fn new(capacity: usize) -> ChangeLog {
        ChangeLog {
            entries: VecDeque::new(),
            version: 0,
            capacity: capacity.max(1),
        }
    }

    /// Records a change under the next version and answers it.
    pub(super) fn record(&mut self, change: Change) -> u64 {
        self.version += 1;
        if self.entries.len() >= self.capacity {
            self.entries.pop_front();
        }
        self.entries.push_back((self.version, change));
        self.version
    }

    /// The changes after `version`.
    pub(super) fn since(&self, version: u64) -> Result<Changes, StoreError> {
        let oldest = self
            .entries
            .front()
            .map_or(self.version, |(v, _)| v.saturating_sub(1));
        if version < oldest {
            return Err(StoreError::ChangesGap {
                asked: version,
                oldest,
            });
        }
        let start = self.entries.partition_point(|(v, _)| *v <= version);
        Ok(Changes {
            version: self.version,
            changes: self.entries.range(start..).cloned().collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use portcullis_model::OrganizationId;

    fn change(i: usize) -> Change {
        Change::Organization(OrganizationId::parse(&format!("o-{i:010}")).unwrap())
    }

    #[test]
    fn the_record_is_bounded_and_says_when_it_no_longer_reaches_back() {
        let mut log = ChangeLog::new(3);
        assert_eq!(log.since(0).unwrap().changes, vec![]);
        for i in 1..=5 {
            assert_eq!(log.record(change(i)), i as u64);
        }
        assert_eq!(log.entries.len(), 3);
        let tail = log.since(2).unwrap();
        assert_eq!(tail.version, 5);
        assert_eq!(
            tail.changes,
            vec![(3, change(3)), (4, change(4)), (5, change(5))]
        );
        assert_eq!(log.since(4).unwrap().changes, vec![(5, change(5))]);
        assert!(log.since(5).unwrap().changes.is_empty());
        assert_eq!(
            log.since(1),
            Err(StoreError::ChangesGap {
                asked: 1,
                oldest: 2
            })
        );
    }
}
