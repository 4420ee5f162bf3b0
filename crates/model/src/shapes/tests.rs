//! Wire-name tests: each shape family serializes to exactly AWS's member names and reads back.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::json;

use super::access::*;
use super::catalog::*;
use super::organizations::*;
use crate::*;

/// `value` serializes to exactly `wire`, and `wire` deserializes to `value`.
fn check<T>(value: &T, wire: serde_json::Value)
where
    T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug,
{
    assert_eq!(serde_json::to_value(value).unwrap(), wire);
    assert_eq!(&serde_json::from_value::<T>(wire).unwrap(), value);
}

fn pid(s: &str) -> PortfolioId {
    PortfolioId::parse(s).unwrap()
}

fn acct(s: &str) -> AccountId {
    AccountId::parse(s).unwrap()
}

fn detail() -> PortfolioDetail {
    PortfolioDetail {
        id: pid("port-abcdefghijklm"),
        arn: "arn:aws:catalog:us-east-1:123456789012:portfolio/port-abcdefghijklm".into(),
        display_name: "Dev".into(),
        description: None,
        created_time: Timestamp::from_epoch_millis(1_700_000_000_500),
        provider_name: "IT".into(),
    }
}

fn detail_json() -> serde_json::Value {
    json!({
        "Id": "port-abcdefghijklm",
        "ARN": "arn:aws:catalog:us-east-1:123456789012:portfolio/port-abcdefghijklm",
        "DisplayName": "Dev",
        "CreatedTime": 1_700_000_000.5,
        "ProviderName": "IT"
    })
}

#[test]
fn principal_association_shapes_use_aws_member_names() {
    check(
        &AssociatePrincipalWithPortfolioInput {
            accept_language: Some("jp".into()),
            portfolio_id: Some("port-abcdefghijklm".into()),
            principal_arn: Some("arn:aws:iam:::role/Dev*".into()),
            principal_type: Some("IAM_PATTERN".into()),
        },
        json!({
            "AcceptLanguage": "jp",
            "PortfolioId": "port-abcdefghijklm",
            "PrincipalARN": "arn:aws:iam:::role/Dev*",
            "PrincipalType": "IAM_PATTERN"
        }),
    );
    check(&AssociatePrincipalWithPortfolioOutput {}, json!({}));
    check(
        &DisassociatePrincipalFromPortfolioInput {
            portfolio_id: Some("p".into()),
            principal_arn: Some("arn".into()),
            ..Default::default()
        },
        json!({"PortfolioId": "p", "PrincipalARN": "arn"}),
    );
    check(&DisassociatePrincipalFromPortfolioOutput {}, json!({}));
    check(
        &ListPrincipalsForPortfolioInput {
            portfolio_id: Some("p".into()),
            page_size: Some(5),
            page_token: Some("t".into()),
            ..Default::default()
        },
        json!({"PortfolioId": "p", "PageSize": 5, "PageToken": "t"}),
    );
    check(
        &ListPrincipalsForPortfolioOutput {
            principals: vec![Principal {
                principal_arn: "arn:aws:iam::123456789012:role/Dev".into(),
                principal_type: PrincipalType::Iam,
            }],
            next_page_token: Some(PageToken::parse("next").unwrap()),
        },
        json!({
            "Principals": [{"PrincipalARN": "arn:aws:iam::123456789012:role/Dev", "PrincipalType": "IAM"}],
            "NextPageToken": "next"
        }),
    );
}

#[test]
fn request_inputs_keep_raw_values_so_validation_can_name_the_field() {
    // Missing and invalid values deserialize; only wrong JSON types fail (SerializationException).
    let input: AssociatePrincipalWithPortfolioInput =
        serde_json::from_value(json!({"PortfolioId": "not valid!", "PrincipalType": "NOPE"}))
            .unwrap();
    assert_eq!(input.portfolio_id.as_deref(), Some("not valid!"));
    assert_eq!(input.principal_arn, None);
    assert_eq!(input.principal_type.as_deref(), Some("NOPE"));
    let input: ListPortfoliosInput = serde_json::from_value(json!({"PageSize": 100000})).unwrap();
    assert_eq!(input.page_size, Some(100_000));
    assert!(
        serde_json::from_value::<AssociatePrincipalWithPortfolioInput>(json!({"PortfolioId": 5}))
            .is_err()
    );
    assert!(
        serde_json::from_value::<CreatePortfolioShareInput>(json!({"SharePrincipals": "yes"}))
            .is_err()
    );
    // null is the same as absent; unknown members are ignored.
    let input: DescribePortfolioInput =
        serde_json::from_value(json!({"Id": null, "Unknown": 1})).unwrap();
    assert_eq!(input, DescribePortfolioInput::default());
}

#[test]
fn portfolio_shapes_use_aws_member_names() {
    check(
        &CreatePortfolioInput {
            accept_language: None,
            display_name: Some("Dev".into()),
            description: Some("d".into()),
            provider_name: Some("IT".into()),
            tags: Some(vec![TagInput {
                key: Some("k".into()),
                value: Some("v".into()),
            }]),
            idempotency_token: Some("tok".into()),
        },
        json!({
            "DisplayName": "Dev",
            "Description": "d",
            "ProviderName": "IT",
            "Tags": [{"Key": "k", "Value": "v"}],
            "IdempotencyToken": "tok"
        }),
    );
    check(
        &CreatePortfolioOutput {
            portfolio_detail: detail(),
            tags: Some(vec![Tag {
                key: "k".into(),
                value: "v".into(),
            }]),
        },
        json!({"PortfolioDetail": detail_json(), "Tags": [{"Key": "k", "Value": "v"}]}),
    );
    let mut with_description = detail();
    with_description.description = Some("about".into());
    let mut wire = detail_json();
    wire["Description"] = json!("about");
    check(&with_description, wire);
    check(
        &DescribePortfolioInput {
            accept_language: Some("en".into()),
            id: Some("p".into()),
        },
        json!({"AcceptLanguage": "en", "Id": "p"}),
    );
    check(
        &DescribePortfolioOutput {
            portfolio_detail: detail(),
            tags: None,
            tag_options: vec![],
        },
        json!({"PortfolioDetail": detail_json(), "TagOptions": []}),
    );
    check(
        &UpdatePortfolioInput {
            id: Some("p".into()),
            display_name: Some("n".into()),
            description: Some("d".into()),
            provider_name: Some("pr".into()),
            add_tags: Some(vec![]),
            remove_tags: Some(vec!["k".into()]),
            ..Default::default()
        },
        json!({
            "Id": "p", "DisplayName": "n", "Description": "d", "ProviderName": "pr",
            "AddTags": [], "RemoveTags": ["k"]
        }),
    );
    check(
        &UpdatePortfolioOutput {
            portfolio_detail: detail(),
            tags: Some(vec![]),
        },
        json!({"PortfolioDetail": detail_json(), "Tags": []}),
    );
    check(
        &DeletePortfolioInput {
            accept_language: None,
            id: Some("p".into()),
        },
        json!({"Id": "p"}),
    );
    check(&DeletePortfolioOutput {}, json!({}));
    check(
        &ListPortfoliosInput {
            accept_language: None,
            page_token: Some("t".into()),
            page_size: Some(20),
        },
        json!({"PageToken": "t", "PageSize": 20}),
    );
    check(
        &ListPortfoliosOutput {
            portfolio_details: vec![detail()],
            next_page_token: None,
        },
        json!({"PortfolioDetails": [detail_json()]}),
    );
}

#[test]
fn portfolio_share_shapes_use_aws_member_names() {
    check(
        &CreatePortfolioShareInput {
            accept_language: None,
            portfolio_id: Some("p".into()),
            account_id: None,
            organization_node: Some(OrganizationNodeInput {
                node_type: Some("ORGANIZATIONAL_UNIT".into()),
                value: Some("ou-ab12-abcdefgh".into()),
            }),
            share_tag_options: Some(false),
            share_principals: Some(true),
        },
        json!({
            "PortfolioId": "p",
            "OrganizationNode": {"Type": "ORGANIZATIONAL_UNIT", "Value": "ou-ab12-abcdefgh"},
            "ShareTagOptions": false,
            "SharePrincipals": true
        }),
    );
    check(
        &CreatePortfolioShareInput {
            portfolio_id: Some("p".into()),
            account_id: Some("210987654321".into()),
            ..Default::default()
        },
        json!({"PortfolioId": "p", "AccountId": "210987654321"}),
    );
    let token = PortfolioShareToken::parse("share-abcdefghijklm").unwrap();
    check(
        &CreatePortfolioShareOutput {
            portfolio_share_token: Some(token.clone()),
        },
        json!({"PortfolioShareToken": "share-abcdefghijklm"}),
    );
    check(&CreatePortfolioShareOutput::default(), json!({}));
    check(
        &DescribePortfolioSharesInput {
            portfolio_id: Some("p".into()),
            share_type: Some("ACCOUNT".into()),
            page_token: None,
            page_size: Some(10),
        },
        json!({"PortfolioId": "p", "Type": "ACCOUNT", "PageSize": 10}),
    );
    check(
        &DescribePortfolioSharesOutput {
            next_page_token: None,
            portfolio_share_details: vec![PortfolioShareDetail {
                principal_id: "210987654321".into(),
                share_type: DescribePortfolioShareType::Account,
                accepted: false,
                share_tag_options: true,
                share_principals: false,
            }],
        },
        json!({"PortfolioShareDetails": [{
            "PrincipalId": "210987654321",
            "Type": "ACCOUNT",
            "Accepted": false,
            "ShareTagOptions": true,
            "SharePrincipals": false
        }]}),
    );
    check(
        &DescribePortfolioShareStatusInput {
            portfolio_share_token: Some("share-x".into()),
        },
        json!({"PortfolioShareToken": "share-x"}),
    );
    check(
        &DescribePortfolioShareStatusOutput {
            portfolio_share_token: token.clone(),
            portfolio_id: pid("port-abcdefghijklm"),
            organization_node_value: "o-abcdefghij".into(),
            status: ShareStatus::Completed,
            share_details: ShareDetails {
                successful_shares: vec![acct("111111111111")],
                share_errors: vec![ShareError {
                    accounts: vec![acct("222222222222")],
                    message: "m".into(),
                    error: "e".into(),
                }],
            },
        },
        json!({
            "PortfolioShareToken": "share-abcdefghijklm",
            "PortfolioId": "port-abcdefghijklm",
            "OrganizationNodeValue": "o-abcdefghij",
            "Status": "COMPLETED",
            "ShareDetails": {
                "SuccessfulShares": ["111111111111"],
                "ShareErrors": [{"Accounts": ["222222222222"], "Message": "m", "Error": "e"}]
            }
        }),
    );
    check(
        &UpdatePortfolioShareInput {
            portfolio_id: Some("p".into()),
            account_id: Some("210987654321".into()),
            share_tag_options: Some(true),
            ..Default::default()
        },
        json!({"PortfolioId": "p", "AccountId": "210987654321", "ShareTagOptions": true}),
    );
    check(
        &UpdatePortfolioShareOutput {
            portfolio_share_token: Some(token.clone()),
            status: Some(ShareStatus::Completed),
        },
        json!({"PortfolioShareToken": "share-abcdefghijklm", "Status": "COMPLETED"}),
    );
    check(
        &DeletePortfolioShareInput {
            portfolio_id: Some("p".into()),
            organization_node: Some(OrganizationNodeInput {
                node_type: Some("ACCOUNT".into()),
                value: Some("210987654321".into()),
            }),
            ..Default::default()
        },
        json!({"PortfolioId": "p", "OrganizationNode": {"Type": "ACCOUNT", "Value": "210987654321"}}),
    );
    check(
        &DeletePortfolioShareOutput {
            portfolio_share_token: Some(token),
        },
        json!({"PortfolioShareToken": "share-abcdefghijklm"}),
    );
    check(
        &AcceptPortfolioShareInput {
            accept_language: None,
            portfolio_id: Some("p".into()),
            portfolio_share_type: Some("AWS_ORGANIZATIONS".into()),
        },
        json!({"PortfolioId": "p", "PortfolioShareType": "AWS_ORGANIZATIONS"}),
    );
    check(&AcceptPortfolioShareOutput {}, json!({}));
    check(
        &RejectPortfolioShareInput {
            portfolio_id: Some("p".into()),
            ..Default::default()
        },
        json!({"PortfolioId": "p"}),
    );
    check(&RejectPortfolioShareOutput {}, json!({}));
    check(
        &ListAcceptedPortfolioSharesInput {
            portfolio_share_type: Some("IMPORTED".into()),
            page_size: Some(1),
            ..Default::default()
        },
        json!({"PortfolioShareType": "IMPORTED", "PageSize": 1}),
    );
    check(
        &ListAcceptedPortfolioSharesOutput {
            portfolio_details: vec![],
            next_page_token: Some(PageToken::parse("n").unwrap()),
        },
        json!({"PortfolioDetails": [], "NextPageToken": "n"}),
    );
}

#[test]
fn portfolio_access_shapes_use_aws_member_names() {
    check(
        &ListPortfolioAccessInput {
            portfolio_id: Some("p".into()),
            organization_parent_id: Some("ou-ab12-abcdefgh".into()),
            page_size: Some(3),
            ..Default::default()
        },
        json!({"PortfolioId": "p", "OrganizationParentId": "ou-ab12-abcdefgh", "PageSize": 3}),
    );
    check(
        &ListPortfolioAccessOutput {
            account_ids: vec![acct("111111111111")],
            next_page_token: None,
        },
        json!({"AccountIds": ["111111111111"]}),
    );
    check(
        &ListOrganizationPortfolioAccessInput {
            portfolio_id: Some("p".into()),
            organization_node_type: Some("ORGANIZATION".into()),
            ..Default::default()
        },
        json!({"PortfolioId": "p", "OrganizationNodeType": "ORGANIZATION"}),
    );
    check(
        &ListOrganizationPortfolioAccessOutput {
            organization_nodes: vec![OrganizationNode {
                node_type: OrganizationNodeType::Organization,
                value: "o-abcdefghij".into(),
            }],
            next_page_token: None,
        },
        json!({"OrganizationNodes": [{"Type": "ORGANIZATION", "Value": "o-abcdefghij"}]}),
    );
    check(&EnableAwsOrganizationsAccessInput {}, json!({}));
    check(&EnableAwsOrganizationsAccessOutput {}, json!({}));
    check(&DisableAwsOrganizationsAccessInput {}, json!({}));
    check(&DisableAwsOrganizationsAccessOutput {}, json!({}));
    check(&GetAwsOrganizationsAccessStatusInput {}, json!({}));
    check(
        &GetAwsOrganizationsAccessStatusOutput {
            access_status: AccessStatus::Enabled,
        },
        json!({"AccessStatus": "ENABLED"}),
    );
}

#[test]
fn access_evaluation_shapes_use_project_member_names() {
    check(
        &CheckPortfolioAccessInput {
            accept_language: None,
            portfolio_id: Some("p".into()),
            principal_arn: Some("arn:aws:iam::111111111111:role/Dev".into()),
        },
        json!({"PortfolioId": "p", "PrincipalARN": "arn:aws:iam::111111111111:role/Dev"}),
    );
    check(
        &CheckPortfolioAccessOutput {
            allowed: true,
            grants: vec![
                AccessGrant {
                    association: GrantingAssociation {
                        account_id: acct("123456789012"),
                        principal_arn: "arn:aws:iam:::role/Dev*".into(),
                        principal_type: PrincipalType::IamPattern,
                    },
                    share: Some(PortfolioShareDetail {
                        principal_id: "ou-ab12-abcdefgh".into(),
                        share_type: DescribePortfolioShareType::OrganizationalUnit,
                        accepted: true,
                        share_tag_options: false,
                        share_principals: true,
                    }),
                },
                AccessGrant {
                    association: GrantingAssociation {
                        account_id: acct("111111111111"),
                        principal_arn: "arn:aws:iam::111111111111:role/Dev".into(),
                        principal_type: PrincipalType::Iam,
                    },
                    share: None,
                },
            ],
            unbound_associations: vec![],
        },
        json!({
            "Allowed": true,
            "Grants": [
                {
                    "Association": {
                        "AccountId": "123456789012",
                        "PrincipalARN": "arn:aws:iam:::role/Dev*",
                        "PrincipalType": "IAM_PATTERN"
                    },
                    "Share": {
                        "PrincipalId": "ou-ab12-abcdefgh",
                        "Type": "ORGANIZATIONAL_UNIT",
                        "Accepted": true,
                        "ShareTagOptions": false,
                        "SharePrincipals": true
                    }
                },
                {
                    "Association": {
                        "AccountId": "111111111111",
                        "PrincipalARN": "arn:aws:iam::111111111111:role/Dev",
                        "PrincipalType": "IAM"
                    }
                }
            ]
        }),
    );
    check(
        &CheckPortfolioAccessOutput::default(),
        json!({"Allowed": false, "Grants": []}),
    );
    check(
        &ListPortfoliosForPrincipalInput {
            accept_language: None,
            principal_arn: Some("arn:aws:iam::111111111111:role/Dev".into()),
            page_token: Some("t".into()),
            page_size: Some(50),
        },
        json!({"PrincipalARN": "arn:aws:iam::111111111111:role/Dev", "PageToken": "t", "PageSize": 50}),
    );
    check(
        &ListPortfoliosForPrincipalOutput {
            portfolio_details: vec![detail()],
            next_page_token: None,
        },
        json!({"PortfolioDetails": [detail_json()]}),
    );
}

#[test]
fn organizations_shapes_use_aws_member_names() {
    let org = Organization {
        id: OrganizationId::parse("o-abcdefghij").unwrap(),
        arn: "arn:aws:organizations::111111111111:organization/o-abcdefghij".into(),
        feature_set: OrganizationFeatureSet::All,
        master_account_arn: "arn:aws:organizations::111111111111:account/o-abcdefghij/111111111111"
            .into(),
        master_account_id: acct("111111111111"),
        master_account_email: Some("m@example.com".into()),
        available_policy_types: vec![PolicyTypeSummary {
            policy_type: "SERVICE_CONTROL_POLICY".into(),
            status: "ENABLED".into(),
        }],
    };
    let org_json = json!({
        "Id": "o-abcdefghij",
        "Arn": "arn:aws:organizations::111111111111:organization/o-abcdefghij",
        "FeatureSet": "ALL",
        "MasterAccountArn": "arn:aws:organizations::111111111111:account/o-abcdefghij/111111111111",
        "MasterAccountId": "111111111111",
        "MasterAccountEmail": "m@example.com",
        "AvailablePolicyTypes": [{"Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED"}]
    });
    check(
        &CreateOrganizationRequest {
            feature_set: Some("ALL".into()),
        },
        json!({"FeatureSet": "ALL"}),
    );
    check(
        &CreateOrganizationResponse {
            organization: org.clone(),
        },
        json!({"Organization": org_json.clone()}),
    );
    check(&DescribeOrganizationRequest {}, json!({}));
    check(
        &DescribeOrganizationResponse { organization: org },
        json!({"Organization": org_json}),
    );
    check(
        &ListRootsRequest {
            next_token: Some("n".into()),
            max_results: Some(20),
        },
        json!({"NextToken": "n", "MaxResults": 20}),
    );
    check(
        &ListRootsResponse {
            roots: vec![Root {
                id: RootId::parse("r-ab12").unwrap(),
                arn: "arn:aws:organizations::111111111111:root/o-abcdefghij/r-ab12".into(),
                name: "Root".into(),
                policy_types: vec![],
            }],
            next_token: None,
        },
        json!({"Roots": [{
            "Id": "r-ab12",
            "Arn": "arn:aws:organizations::111111111111:root/o-abcdefghij/r-ab12",
            "Name": "Root",
            "PolicyTypes": []
        }]}),
    );
    let ou = OrganizationalUnit {
        id: OuId::parse("ou-ab12-abcdefgh").unwrap(),
        arn: "arn:aws:organizations::111111111111:ou/o-abcdefghij/ou-ab12-abcdefgh".into(),
        name: "Dev".into(),
    };
    let ou_json = json!({
        "Id": "ou-ab12-abcdefgh",
        "Arn": "arn:aws:organizations::111111111111:ou/o-abcdefghij/ou-ab12-abcdefgh",
        "Name": "Dev"
    });
    check(
        &CreateOrganizationalUnitRequest {
            parent_id: Some("r-ab12".into()),
            name: Some("Dev".into()),
            tags: None,
        },
        json!({"ParentId": "r-ab12", "Name": "Dev"}),
    );
    check(
        &CreateOrganizationalUnitResponse {
            organizational_unit: ou.clone(),
        },
        json!({"OrganizationalUnit": ou_json.clone()}),
    );
    check(
        &ListOrganizationalUnitsForParentRequest {
            parent_id: Some("r-ab12".into()),
            next_token: None,
            max_results: Some(2),
        },
        json!({"ParentId": "r-ab12", "MaxResults": 2}),
    );
    check(
        &ListOrganizationalUnitsForParentResponse {
            organizational_units: vec![ou],
            next_token: Some("n".into()),
        },
        json!({"OrganizationalUnits": [ou_json], "NextToken": "n"}),
    );
    check(
        &CreateAccountRequest {
            email: Some("a@example.com".into()),
            account_name: Some("A".into()),
            role_name: Some("R".into()),
            iam_user_access_to_billing: Some("ALLOW".into()),
            tags: None,
        },
        json!({
            "Email": "a@example.com", "AccountName": "A", "RoleName": "R",
            "IamUserAccessToBilling": "ALLOW"
        }),
    );
    let status = CreateAccountStatus {
        id: CreateAccountRequestId::parse("car-abcdefgh").unwrap(),
        account_name: "A".into(),
        state: CreateAccountState::Succeeded,
        requested_timestamp: Timestamp::from_epoch_millis(1_000),
        completed_timestamp: Some(Timestamp::from_epoch_millis(2_000)),
        account_id: Some(acct("333333333333")),
        failure_reason: None,
    };
    let status_json = json!({
        "Id": "car-abcdefgh",
        "AccountName": "A",
        "State": "SUCCEEDED",
        "RequestedTimestamp": 1.0,
        "CompletedTimestamp": 2.0,
        "AccountId": "333333333333"
    });
    check(
        &CreateAccountResponse {
            create_account_status: status.clone(),
        },
        json!({"CreateAccountStatus": status_json.clone()}),
    );
    check(
        &DescribeCreateAccountStatusRequest {
            create_account_request_id: Some("car-abcdefgh".into()),
        },
        json!({"CreateAccountRequestId": "car-abcdefgh"}),
    );
    check(
        &DescribeCreateAccountStatusResponse {
            create_account_status: status,
        },
        json!({"CreateAccountStatus": status_json}),
    );
    check(&ListAccountsRequest::default(), json!({}));
    check(
        &ListAccountsResponse {
            accounts: vec![Account {
                id: acct("333333333333"),
                arn: "arn:aws:organizations::111111111111:account/o-abcdefghij/333333333333".into(),
                email: "a@example.com".into(),
                name: "A".into(),
                status: AccountStatus::Active,
                state: AccountState::Active,
                joined_method: AccountJoinedMethod::Created,
                joined_timestamp: Timestamp::from_epoch_millis(2_000),
            }],
            next_token: None,
        },
        json!({"Accounts": [{
            "Id": "333333333333",
            "Arn": "arn:aws:organizations::111111111111:account/o-abcdefghij/333333333333",
            "Email": "a@example.com",
            "Name": "A",
            "Status": "ACTIVE",
            "State": "ACTIVE",
            "JoinedMethod": "CREATED",
            "JoinedTimestamp": 2.0
        }]}),
    );
    check(
        &MoveAccountRequest {
            account_id: Some("333333333333".into()),
            source_parent_id: Some("r-ab12".into()),
            destination_parent_id: Some("ou-ab12-abcdefgh".into()),
        },
        json!({
            "AccountId": "333333333333",
            "SourceParentId": "r-ab12",
            "DestinationParentId": "ou-ab12-abcdefgh"
        }),
    );
    check(&MoveAccountResponse {}, json!({}));
    check(
        &RegisterDelegatedAdministratorRequest {
            account_id: Some("333333333333".into()),
            service_principal: Some("servicecatalog.amazonaws.com".into()),
        },
        json!({"AccountId": "333333333333", "ServicePrincipal": "servicecatalog.amazonaws.com"}),
    );
    check(&RegisterDelegatedAdministratorResponse {}, json!({}));
    check(
        &DeregisterDelegatedAdministratorRequest::default(),
        json!({}),
    );
    check(&DeregisterDelegatedAdministratorResponse {}, json!({}));
    check(
        &ListDelegatedAdministratorsRequest {
            service_principal: Some("servicecatalog.amazonaws.com".into()),
            next_token: None,
            max_results: None,
        },
        json!({"ServicePrincipal": "servicecatalog.amazonaws.com"}),
    );
    check(
        &ListDelegatedAdministratorsResponse {
            delegated_administrators: vec![DelegatedAdministrator {
                id: acct("333333333333"),
                arn: "arn:aws:organizations::111111111111:account/o-abcdefghij/333333333333".into(),
                email: "a@example.com".into(),
                name: "A".into(),
                status: AccountStatus::Active,
                state: AccountState::Active,
                joined_method: AccountJoinedMethod::Created,
                joined_timestamp: Timestamp::from_epoch_millis(2_000),
                delegation_enabled_date: Timestamp::from_epoch_millis(3_000),
            }],
            next_token: None,
        },
        json!({"DelegatedAdministrators": [{
            "Id": "333333333333",
            "Arn": "arn:aws:organizations::111111111111:account/o-abcdefghij/333333333333",
            "Email": "a@example.com",
            "Name": "A",
            "Status": "ACTIVE",
            "State": "ACTIVE",
            "JoinedMethod": "CREATED",
            "JoinedTimestamp": 2.0,
            "DelegationEnabledDate": 3.0
        }]}),
    );
}

#[test]
fn structures_are_maps_on_the_wire_never_arrays() {
    use crate::{Structure, deserialize_structure};
    // A nested structure given as an array of its members is a type error, not read in order.
    let positional =
        r#"{"PortfolioId": "port-abc", "OrganizationNode": ["ORGANIZATION", "o-abc"]}"#;
    let error = serde_json::from_str::<CreatePortfolioShareInput>(positional).unwrap_err();
    assert!(
        error.to_string().contains("expected a structure"),
        "{error}"
    );
    let tags = r#"{"DisplayName": "x", "ProviderName": "y", "Tags": [["k", "v"]]}"#;
    assert!(serde_json::from_str::<CreatePortfolioInput>(tags).is_err());
    // The top level, through `Structure`.
    let mut de = serde_json::Deserializer::from_str(r#"[null, "x", null, "y"]"#);
    assert!(deserialize_structure::<_, CreatePortfolioInput>(&mut de).is_err());
    assert!(serde_json::from_str::<Structure<CreatePortfolioInput>>("[]").is_err());
    // Maps still are read, nested ones included.
    let node = r#"{"PortfolioId": "port-abc", "OrganizationNode": {"Type": "ORGANIZATION", "Value": "o-abc"}}"#;
    let input = serde_json::from_str::<Structure<CreatePortfolioShareInput>>(node)
        .unwrap()
        .0;
    assert_eq!(
        input.organization_node,
        Some(OrganizationNodeInput {
            node_type: Some("ORGANIZATION".into()),
            value: Some("o-abc".into()),
        })
    );
    let back = serde_json::to_value(&input.organization_node).unwrap();
    assert_eq!(
        back,
        serde_json::json!({"Type": "ORGANIZATION", "Value": "o-abc"})
    );
}
