//! Values the tests build their calls from.

use std::sync::Arc;

use portcullis_matcher::{PrincipalArn, PrincipalPattern};
use portcullis_model::{
    AccountId, OrganizationFeatureSet, Partition, PortfolioId, ProductId, ProductType, Region,
    Timestamp,
};
use portcullis_store::{
    Association, NewOrganization, NewPortfolio, NewProduct, NewProvisioningArtifact, NewShare,
    ShareTarget, Store,
};

pub fn acct(s: &str) -> AccountId {
    AccountId::parse(s).unwrap()
}

pub fn owner() -> AccountId {
    acct("111111111111")
}

pub fn region() -> Region {
    Region::parse("us-east-1").unwrap()
}

pub fn now() -> Timestamp {
    Timestamp::from_epoch_millis(1_700_000_000_000)
}

pub fn new_portfolio(name: &str, token: Option<&str>) -> NewPortfolio {
    NewPortfolio {
        owner: owner(),
        partition: Partition::default(),
        region: region(),
        display_name: name.into(),
        description: None,
        provider_name: "provider".into(),
        tags: vec![],
        created_time: now(),
        idempotency_token: token.map(str::to_owned),
    }
}

pub fn create(store: &dyn Store, name: &str) -> PortfolioId {
    store
        .create_portfolio(new_portfolio(name, None))
        .unwrap()
        .portfolio
        .id
}

pub fn new_product(name: &str, token: Option<&str>) -> NewProduct {
    NewProduct {
        owner: owner(),
        partition: Partition::default(),
        region: region(),
        name: name.into(),
        product_owner: "Platform team".into(),
        description: None,
        distributor: None,
        support_description: None,
        support_email: None,
        support_url: None,
        product_type: ProductType::CloudFormationTemplate,
        tags: vec![],
        created_time: now(),
        provisioning_artifact: Some(NewProvisioningArtifact {
            name: Some("v1".into()),
            ..NewProvisioningArtifact::default()
        }),
        idempotency_token: token.map(str::to_owned),
    }
}

pub fn create_product(store: &dyn Store, name: &str) -> ProductId {
    store
        .create_product(new_product(name, None))
        .unwrap()
        .product
        .id
}

pub fn pattern(s: &str) -> Association {
    Association::Pattern(Arc::new(PrincipalPattern::parse(s).unwrap()))
}

pub fn iam(s: &str) -> Association {
    Association::Iam(PrincipalArn::parse(s).unwrap())
}

pub fn account_share(recipient: &str) -> NewShare {
    NewShare {
        target: ShareTarget::Account(acct(recipient)),
        share_principals: false,
        share_tag_options: false,
        accepted: false,
        track: false,
        created_by: owner(),
    }
}

pub fn new_organization(management: &str) -> NewOrganization {
    NewOrganization {
        management_account: acct(management),
        management_name: "management".into(),
        management_email: format!("{management}@example.com"),
        feature_set: OrganizationFeatureSet::All,
        now: now(),
    }
}
