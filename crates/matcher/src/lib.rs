#![doc = include_str!("../README.md")]

mod arn;
mod error;
mod nfa;
mod partition;
mod pattern;
mod principal;
mod search;
mod segments;
mod set;
mod syntax;
mod wildcard_set;

pub use arn::Arn;
pub use error::{ArnError, ArnErrorKind, ArnPart};
pub use partition::{ParsePartitionError, Partition};
pub use pattern::{Pattern, Strategy};
pub use principal::{MAX_PATH_LEN, PrincipalArn, PrincipalPattern, ResourceType};
pub use set::PatternSet;
pub use wildcard_set::WildcardSet;
