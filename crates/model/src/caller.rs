//! The identity an operation runs as (SPEC §2) and the ARNs built from it.

use crate::{AccountId, OrganizationId, OuId, Partition, PortfolioId, Region, RootId};

/// Who calls an operation: partition, region and account. Resources are scoped by account and
/// region.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Caller {
    partition: Partition,
    region: Region,
    account: AccountId,
}

impl Caller {
    /// A caller in `partition`, `region` and `account`.
    pub fn new(partition: Partition, region: Region, account: AccountId) -> Caller {
        Caller {
            partition,
            region,
            account,
        }
    }

    /// The caller's partition.
    pub fn partition(&self) -> &Partition {
        &self.partition
    }

    /// The caller's region.
    pub fn region(&self) -> &Region {
        &self.region
    }

    /// The caller's account.
    pub fn account(&self) -> &AccountId {
        &self.account
    }

    /// The ARN of the portfolio `id` owned by this caller.
    pub fn portfolio_arn(&self, id: &PortfolioId) -> String {
        portfolio_arn(&self.partition, &self.region, &self.account, id)
    }
}

/// A product's ARN: `arn:{partition}:catalog:{region}:{account}:product/{id}`, as AWS answers
/// in `ProductViewDetail.ProductARN`.
pub fn product_arn(
    partition: &Partition,
    region: &Region,
    owner: &AccountId,
    id: &crate::ProductId,
) -> String {
    format!("arn:{partition}:catalog:{region}:{owner}:product/{id}")
}

/// A portfolio's ARN: `arn:{partition}:catalog:{region}:{account}:portfolio/{id}` (SPEC §3).
pub fn portfolio_arn(
    partition: &Partition,
    region: &Region,
    owner: &AccountId,
    id: &PortfolioId,
) -> String {
    format!("arn:{partition}:catalog:{region}:{owner}:portfolio/{id}")
}

/// An organization's ARN: `arn:aws:organizations::{management}:organization/{org}`.
pub fn organization_arn(management: &AccountId, org: &OrganizationId) -> String {
    format!("arn:aws:organizations::{management}:organization/{org}")
}

/// A root's ARN: `arn:aws:organizations::{management}:root/{org}/{root}`.
pub fn root_arn(management: &AccountId, org: &OrganizationId, root: &RootId) -> String {
    format!("arn:aws:organizations::{management}:root/{org}/{root}")
}

/// An OU's ARN: `arn:aws:organizations::{management}:ou/{org}/{ou}`.
pub fn ou_arn(management: &AccountId, org: &OrganizationId, ou: &OuId) -> String {
    format!("arn:aws:organizations::{management}:ou/{org}/{ou}")
}

/// A member account's ARN: `arn:aws:organizations::{management}:account/{org}/{account}`.
pub fn account_arn(management: &AccountId, org: &OrganizationId, account: &AccountId) -> String {
    format!("arn:aws:organizations::{management}:account/{org}/{account}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn portfolio_arn_is_catalog_arn_of_owner_and_region() {
        let caller = Caller::new(
            Partition::default(),
            Region::parse("us-east-1").unwrap(),
            AccountId::parse("123456789012").unwrap(),
        );
        let id = PortfolioId::parse("port-abcdefghijklm").unwrap();
        assert_eq!(
            caller.portfolio_arn(&id),
            "arn:aws:catalog:us-east-1:123456789012:portfolio/port-abcdefghijklm"
        );
        assert_eq!(caller.account().as_str(), "123456789012");
        assert_eq!(caller.region().as_str(), "us-east-1");
        assert_eq!(caller.partition().as_str(), "aws");
    }

    #[test]
    fn organizations_arns_follow_aws_forms() {
        let m = AccountId::parse("111111111111").unwrap();
        let o = OrganizationId::parse("o-abcdefghij").unwrap();
        let r = RootId::parse("r-ab12").unwrap();
        let ou = OuId::parse("ou-ab12-abcdefgh").unwrap();
        let a = AccountId::parse("222222222222").unwrap();
        assert_eq!(
            organization_arn(&m, &o),
            "arn:aws:organizations::111111111111:organization/o-abcdefghij"
        );
        assert_eq!(
            root_arn(&m, &o, &r),
            "arn:aws:organizations::111111111111:root/o-abcdefghij/r-ab12"
        );
        assert_eq!(
            ou_arn(&m, &o, &ou),
            "arn:aws:organizations::111111111111:ou/o-abcdefghij/ou-ab12-abcdefgh"
        );
        assert_eq!(
            account_arn(&m, &o, &a),
            "arn:aws:organizations::111111111111:account/o-abcdefghij/222222222222"
        );
    }
}
