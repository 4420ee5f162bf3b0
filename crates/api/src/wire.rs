//! Stored records as AWS's responses describe them.

use portcullis_model::{PortfolioDetail, PortfolioShareDetail, Principal, portfolio_arn};
use portcullis_store::{Association, PortfolioRecord, ShareRecord};

/// The portfolio as responses describe it (`PortfolioDetail`).
pub(crate) fn portfolio_detail(p: &PortfolioRecord) -> PortfolioDetail {
    PortfolioDetail {
        id: p.id.clone(),
        arn: portfolio_arn(&p.partition, &p.region, &p.owner, &p.id),
        display_name: p.display_name.clone(),
        description: p.description.clone(),
        created_time: p.created_time,
        provider_name: p.provider_name.clone(),
    }
}

/// The share as `DescribePortfolioShares` reports it.
pub(crate) fn share_detail(s: &ShareRecord) -> PortfolioShareDetail {
    PortfolioShareDetail {
        principal_id: s.target.principal_id().to_owned(),
        share_type: s.target.share_type(),
        accepted: s.accepted,
        share_tag_options: s.share_tag_options,
        share_principals: s.share_principals,
    }
}

/// The association as `ListPrincipalsForPortfolio` reports it, `shown` being what its
/// `PrincipalARN` shows ([`crate::Service::shown_arn`]).
pub(crate) fn principal(a: &Association, shown: String) -> Principal {
    Principal {
        principal_arn: shown,
        principal_type: a.principal_type(),
    }
}
