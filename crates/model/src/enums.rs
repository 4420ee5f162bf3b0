//! Closed sets of wire values, with AWS's spellings.

wire_enum!(
    /// How a principal ARN is associated with a portfolio.
    PrincipalType, "principal type" {
        /// `IAM`: a fully defined IAM user, group or role ARN.
        Iam = "IAM",
        /// `IAM_PATTERN`: an IAM ARN without account id, possibly with `*` and `?` wildcards.
        IamPattern = "IAM_PATTERN",
    }
);

wire_enum!(
    /// The kind of an organization node a portfolio can be shared with.
    OrganizationNodeType, "organization node type" {
        /// `ORGANIZATION`: every account of the organization.
        Organization = "ORGANIZATION",
        /// `ORGANIZATIONAL_UNIT`: every account under the OU.
        OrganizationalUnit = "ORGANIZATIONAL_UNIT",
        /// `ACCOUNT`: one member account.
        Account = "ACCOUNT",
    }
);

wire_enum!(
    /// The kind of a portfolio share as `DescribePortfolioShares` reports it.
    DescribePortfolioShareType, "portfolio share type" {
        /// `ACCOUNT`: an account-to-account share (`AccountId`).
        Account = "ACCOUNT",
        /// `ORGANIZATION`: a share with a whole organization.
        Organization = "ORGANIZATION",
        /// `ORGANIZATIONAL_UNIT`: a share with an OU.
        OrganizationalUnit = "ORGANIZATIONAL_UNIT",
        /// `ORGANIZATION_MEMBER_ACCOUNT`: a share with an organization node of type `ACCOUNT`.
        OrganizationMemberAccount = "ORGANIZATION_MEMBER_ACCOUNT",
    }
);

wire_enum!(
    /// The type of a product (`ProductType`).
    ProductType, "product type" {
        /// `CLOUD_FORMATION_TEMPLATE`
        CloudFormationTemplate = "CLOUD_FORMATION_TEMPLATE",
        /// `MARKETPLACE`
        Marketplace = "MARKETPLACE",
        /// `TERRAFORM_OPEN_SOURCE`
        TerraformOpenSource = "TERRAFORM_OPEN_SOURCE",
        /// `TERRAFORM_CLOUD`
        TerraformCloud = "TERRAFORM_CLOUD",
        /// `EXTERNAL`
        External = "EXTERNAL",
    }
);

wire_enum!(
    /// The type of a provisioning artifact (`ProvisioningArtifactType`).
    ProvisioningArtifactType, "provisioning artifact type" {
        /// `CLOUD_FORMATION_TEMPLATE`
        CloudFormationTemplate = "CLOUD_FORMATION_TEMPLATE",
        /// `MARKETPLACE_AMI`
        MarketplaceAmi = "MARKETPLACE_AMI",
        /// `MARKETPLACE_CAR`
        MarketplaceCar = "MARKETPLACE_CAR",
        /// `TERRAFORM_OPEN_SOURCE`
        TerraformOpenSource = "TERRAFORM_OPEN_SOURCE",
        /// `TERRAFORM_CLOUD`
        TerraformCloud = "TERRAFORM_CLOUD",
        /// `EXTERNAL`
        External = "EXTERNAL",
    }
);

wire_enum!(
    /// What `SearchProductsAsAdmin` sorts by (`ProductViewSortBy`).
    ProductViewSortBy, "product view sort field" {
        /// `Title`: the product's name.
        Title = "Title",
        /// `VersionCount`: how many provisioning artifacts it has.
        VersionCount = "VersionCount",
        /// `CreationDate`
        CreationDate = "CreationDate",
    }
);

wire_enum!(
    /// A sort order (`SortOrder`).
    SortOrder, "sort order" {
        /// `ASCENDING`
        Ascending = "ASCENDING",
        /// `DESCENDING`
        Descending = "DESCENDING",
    }
);

wire_enum!(
    /// Where the products `SearchProductsAsAdmin` lists come from (`ProductSource`).
    ProductSource, "product source" {
        /// `ACCOUNT`
        Account = "ACCOUNT",
    }
);

wire_enum!(
    /// A filter of product views (`ProductViewFilterBy`).
    ProductViewFilterBy, "product view filter" {
        /// `FullTextSearch`
        FullTextSearch = "FullTextSearch",
        /// `Owner`
        Owner = "Owner",
        /// `ProductType`
        ProductType = "ProductType",
        /// `SourceProductId`
        SourceProductId = "SourceProductId",
    }
);

wire_enum!(
    /// How a provisioning artifact is offered (`ProvisioningArtifactGuidance`).
    ProvisioningArtifactGuidance, "provisioning artifact guidance" {
        /// `DEFAULT`
        Default = "DEFAULT",
        /// `DEPRECATED`
        Deprecated = "DEPRECATED",
    }
);

wire_enum!(
    /// The status of a portfolio share operation.
    ShareStatus, "share status" {
        /// `NOT_STARTED`
        NotStarted = "NOT_STARTED",
        /// `IN_PROGRESS`
        InProgress = "IN_PROGRESS",
        /// `COMPLETED`
        Completed = "COMPLETED",
        /// `COMPLETED_WITH_ERRORS`
        CompletedWithErrors = "COMPLETED_WITH_ERRORS",
        /// `ERROR`
        Error = "ERROR",
    }
);

wire_enum!(
    /// Which shares `AcceptPortfolioShare`, `RejectPortfolioShare` and
    /// `ListAcceptedPortfolioShares` act on.
    PortfolioShareType, "portfolio share type" {
        /// `IMPORTED`: account-to-account shares.
        Imported = "IMPORTED",
        /// `AWS_SERVICECATALOG`: account-to-account shares (the older name).
        AwsServicecatalog = "AWS_SERVICECATALOG",
        /// `AWS_ORGANIZATIONS`: shares with an organization node.
        AwsOrganizations = "AWS_ORGANIZATIONS",
    }
);

wire_enum!(
    /// Whether Service Catalog may use AWS Organizations for sharing.
    AccessStatus, "access status" {
        /// `ENABLED`
        Enabled = "ENABLED",
        /// `UNDER_CHANGE`
        UnderChange = "UNDER_CHANGE",
        /// `DISABLED`
        Disabled = "DISABLED",
    }
);

wire_enum!(
    /// The language of messages (`AcceptLanguage`). **Decision:** any value other than these three
    /// is `InvalidParametersException`.
    #[derive(Default)]
    AcceptLanguage, "accept language" {
        /// `en`: English, the default.
        #[default]
        En = "en",
        /// `jp`: Japanese.
        Jp = "jp",
        /// `zh`: Chinese.
        Zh = "zh",
    }
);

wire_enum!(
    /// An organization's feature set (Organizations).
    #[derive(Default)]
    OrganizationFeatureSet, "feature set" {
        /// `ALL`: every feature, the default.
        #[default]
        All = "ALL",
        /// `CONSOLIDATED_BILLING`
        ConsolidatedBilling = "CONSOLIDATED_BILLING",
    }
);

wire_enum!(
    /// The state of a `CreateAccount` request (Organizations).
    CreateAccountState, "create account state" {
        /// `IN_PROGRESS`
        InProgress = "IN_PROGRESS",
        /// `SUCCEEDED`
        Succeeded = "SUCCEEDED",
        /// `FAILED`
        Failed = "FAILED",
    }
);

wire_enum!(
    /// Why a `CreateAccount` request failed (the subset this project can produce).
    CreateAccountFailureReason, "create account failure reason" {
        /// `EMAIL_ALREADY_EXISTS`
        EmailAlreadyExists = "EMAIL_ALREADY_EXISTS",
        /// `INVALID_EMAIL`
        InvalidEmail = "INVALID_EMAIL",
        /// `INTERNAL_FAILURE`
        InternalFailure = "INTERNAL_FAILURE",
    }
);

wire_enum!(
    /// The status of a member account (Organizations).
    AccountStatus, "account status" {
        /// `ACTIVE`
        Active = "ACTIVE",
        /// `SUSPENDED`
        Suspended = "SUSPENDED",
        /// `PENDING_CLOSURE`
        PendingClosure = "PENDING_CLOSURE",
    }
);

wire_enum!(
    /// The state of a member account (Organizations' `AccountState`, which AWS's model carries
    /// beside the older `Status` in `Account` and `DelegatedAdministrator`).
    AccountState, "account state" {
        /// `PENDING_ACTIVATION`
        PendingActivation = "PENDING_ACTIVATION",
        /// `ACTIVE`
        Active = "ACTIVE",
        /// `SUSPENDED`
        Suspended = "SUSPENDED",
        /// `PENDING_CLOSURE`
        PendingClosure = "PENDING_CLOSURE",
        /// `CLOSED`
        Closed = "CLOSED",
    }
);

impl From<AccountStatus> for AccountState {
    /// The state an account with this status is in: the same word.
    fn from(status: AccountStatus) -> AccountState {
        match status {
            AccountStatus::Active => AccountState::Active,
            AccountStatus::Suspended => AccountState::Suspended,
            AccountStatus::PendingClosure => AccountState::PendingClosure,
        }
    }
}

wire_enum!(
    /// How an account joined its organization (Organizations).
    AccountJoinedMethod, "joined method" {
        /// `INVITED`
        Invited = "INVITED",
        /// `CREATED`
        Created = "CREATED",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trips<T>(all: &[T])
    where
        T: Copy + std::fmt::Debug + PartialEq + serde::Serialize + serde::de::DeserializeOwned,
        T: std::str::FromStr<Err = crate::ParseError> + std::fmt::Display,
    {
        for v in all {
            let json = serde_json::to_string(v).unwrap();
            assert_eq!(json, format!("\"{v}\""));
            assert_eq!(serde_json::from_str::<T>(&json).unwrap(), *v);
            assert_eq!(v.to_string().parse::<T>().unwrap(), *v);
        }
    }

    #[test]
    fn principal_type_wire_values_are_iam_and_iam_pattern() {
        assert_eq!(PrincipalType::Iam.as_str(), "IAM");
        assert_eq!(PrincipalType::IamPattern.as_str(), "IAM_PATTERN");
        assert!(PrincipalType::parse("iam").is_err());
        assert_eq!(
            PrincipalType::parse("ROLE").unwrap_err().rule(),
            "must be one of `IAM`, `IAM_PATTERN`"
        );
        round_trips(PrincipalType::ALL);
    }

    #[test]
    fn organization_node_type_wire_values() {
        let names: Vec<_> = OrganizationNodeType::ALL
            .iter()
            .map(|t| t.as_str())
            .collect();
        assert_eq!(names, ["ORGANIZATION", "ORGANIZATIONAL_UNIT", "ACCOUNT"]);
        assert!(OrganizationNodeType::parse("OU").is_err());
        round_trips(OrganizationNodeType::ALL);
    }

    #[test]
    fn describe_portfolio_share_type_wire_values() {
        let names: Vec<_> = DescribePortfolioShareType::ALL
            .iter()
            .map(|t| t.as_str())
            .collect();
        assert_eq!(
            names,
            [
                "ACCOUNT",
                "ORGANIZATION",
                "ORGANIZATIONAL_UNIT",
                "ORGANIZATION_MEMBER_ACCOUNT"
            ]
        );
        round_trips(DescribePortfolioShareType::ALL);
    }

    #[test]
    fn share_status_wire_values() {
        let names: Vec<_> = ShareStatus::ALL.iter().map(|t| t.as_str()).collect();
        assert_eq!(
            names,
            [
                "NOT_STARTED",
                "IN_PROGRESS",
                "COMPLETED",
                "COMPLETED_WITH_ERRORS",
                "ERROR"
            ]
        );
        round_trips(ShareStatus::ALL);
    }

    #[test]
    fn portfolio_share_type_and_access_status_wire_values() {
        let names: Vec<_> = PortfolioShareType::ALL.iter().map(|t| t.as_str()).collect();
        assert_eq!(
            names,
            ["IMPORTED", "AWS_SERVICECATALOG", "AWS_ORGANIZATIONS"]
        );
        round_trips(PortfolioShareType::ALL);
        let names: Vec<_> = AccessStatus::ALL.iter().map(|t| t.as_str()).collect();
        assert_eq!(names, ["ENABLED", "UNDER_CHANGE", "DISABLED"]);
        round_trips(AccessStatus::ALL);
    }

    #[test]
    fn accept_language_is_en_jp_or_zh_and_defaults_to_en() {
        assert_eq!(AcceptLanguage::default(), AcceptLanguage::En);
        for (s, l) in [
            ("en", AcceptLanguage::En),
            ("jp", AcceptLanguage::Jp),
            ("zh", AcceptLanguage::Zh),
        ] {
            assert_eq!(AcceptLanguage::parse(s).unwrap(), l);
        }
        // Decision (SPEC §3): any other value is invalid, including other casings and "".
        for s in ["", "EN", "fr", "ja", "en-US", &"e".repeat(101)] {
            assert!(AcceptLanguage::parse(s).is_err(), "{s}");
        }
        round_trips(AcceptLanguage::ALL);
    }

    #[test]
    fn organizations_enums_wire_values() {
        round_trips(OrganizationFeatureSet::ALL);
        round_trips(CreateAccountState::ALL);
        round_trips(CreateAccountFailureReason::ALL);
        round_trips(AccountStatus::ALL);
        round_trips(AccountState::ALL);
        round_trips(AccountJoinedMethod::ALL);
        assert_eq!(OrganizationFeatureSet::default().as_str(), "ALL");
        assert_eq!(CreateAccountState::Succeeded.as_str(), "SUCCEEDED");
        assert_eq!(AccountJoinedMethod::Created.as_str(), "CREATED");
    }
}
