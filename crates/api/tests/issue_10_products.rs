//! Products, as far as portfolios need them (issue 10, item 2): the nine product operations,
//! their validation and errors as AWS's model lists them, and what `docs/decisions.md` decides
//! where AWS is silent (tests named `..._decision`).
//!
//! Each test's name states the rule it pins.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::collections::BTreeMap;

use common::*;
use portcullis_model::*;

fn create_input(name: &str, token: &str) -> CreateProductInput {
    CreateProductInput {
        name: Some(name.into()),
        owner: Some("Platform team".into()),
        description: Some("web servers".into()),
        distributor: Some("ACME".into()),
        product_type: Some("CLOUD_FORMATION_TEMPLATE".into()),
        tags: Some(vec![TagInput {
            key: Some("team".into()),
            value: Some("platform".into()),
        }]),
        provisioning_artifact_parameters: Some(ProvisioningArtifactPropertiesInput {
            name: Some("v1".into()),
            description: Some("first".into()),
            info: Some(BTreeMap::from([(
                "LoadTemplateFromURL".to_owned(),
                "https://example.com/t.json".to_owned(),
            )])),
            artifact_type: None,
            disable_template_validation: Some(true),
        }),
        idempotency_token: Some(token.into()),
        ..Default::default()
    }
}

fn create(w: &World, who: &str, name: &str) -> CreateProductOutput {
    w.service
        .create_product(&caller(who), create_input(name, &format!("tok-{name}")))
        .unwrap()
}

fn product_id(out: &CreateProductOutput) -> String {
    out.product_view_detail
        .product_view_summary
        .product_id
        .to_string()
}

fn associate(w: &World, who: &str, product: &str, portfolio: &str) -> Result<(), ServiceError> {
    w.service
        .associate_product_with_portfolio(
            &caller(who),
            AssociateProductWithPortfolioInput {
                product_id: Some(product.into()),
                portfolio_id: Some(portfolio.into()),
                ..Default::default()
            },
        )
        .map(drop)
}

fn describe(w: &World, who: &str, id: &str) -> Result<DescribeProductOutput, ServiceError> {
    w.service.describe_product(
        &caller(who),
        DescribeProductInput {
            id: Some(id.into()),
            ..Default::default()
        },
    )
}

fn search(w: &World, who: &str, input: SearchProductsAsAdminInput) -> Vec<String> {
    w.service
        .search_products_as_admin(&caller(who), input)
        .unwrap()
        .product_view_details
        .into_iter()
        .map(|d| d.product_view_summary.name)
        .collect()
}

fn has_form(id: &str, prefix: &str) -> bool {
    id.strip_prefix(prefix).is_some_and(|tail| {
        tail.len() == 13
            && tail
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    })
}

#[test]
fn create_product_answers_a_product_view_detail_its_first_artifact_and_tags_as_aws() {
    let w = World::new();
    let out = create(&w, OWNER, "web");
    let detail = &out.product_view_detail;
    let summary = &detail.product_view_summary;
    assert!(has_form(summary.product_id.as_str(), "prod-"));
    assert!(has_form(summary.id.as_str(), "prodview-"));
    assert_eq!(detail.status, "AVAILABLE");
    assert_eq!(
        detail.product_arn,
        format!(
            "arn:aws:catalog:us-east-1:{OWNER}:product/{}",
            summary.product_id
        )
    );
    assert_eq!(summary.name, "web");
    assert_eq!(summary.owner, "Platform team");
    assert_eq!(summary.short_description.as_deref(), Some("web servers"));
    assert_eq!(summary.product_type, ProductType::CloudFormationTemplate);
    assert!(!summary.has_default_path);
    let artifact = out.provisioning_artifact_detail.as_ref().unwrap();
    assert!(has_form(artifact.id.as_str(), "pa-"));
    assert_eq!(artifact.name.as_deref(), Some("v1"));
    assert_eq!(
        artifact.artifact_type,
        ProvisioningArtifactType::CloudFormationTemplate
    );
    assert!(artifact.active);
    assert_eq!(artifact.guidance, ProvisioningArtifactGuidance::Default);
    assert_eq!(artifact.created_time, detail.created_time);
    assert_eq!(
        out.tags,
        vec![Tag {
            key: "team".into(),
            value: "platform".into()
        }]
    );
    let wire = serde_json::to_value(&out).unwrap();
    assert_eq!(wire["ProductViewDetail"]["Status"], "AVAILABLE");
    assert!(wire["ProductViewDetail"]["ProductARN"].is_string());
    assert_eq!(
        wire["ProductViewDetail"]["ProductViewSummary"]["Type"],
        "CLOUD_FORMATION_TEMPLATE"
    );
    assert_eq!(
        wire["ProvisioningArtifactDetail"]["Type"],
        "CLOUD_FORMATION_TEMPLATE"
    );
}

#[test]
fn create_product_without_artifact_parameters_answers_no_artifact_detail() {
    let w = World::new();
    let mut input = create_input("bare", "tok");
    input.provisioning_artifact_parameters = None;
    input.tags = None;
    let out = w.service.create_product(&caller(OWNER), input).unwrap();
    assert!(out.provisioning_artifact_detail.is_none());
    assert!(out.tags.is_empty());
    let wire = serde_json::to_value(&out).unwrap();
    assert_eq!(wire["Tags"], serde_json::json!([]));
}

#[test]
fn create_product_checks_required_members_lengths_and_enums_and_creates_nothing_when_refused() {
    let w = World::new();
    type Breaks = Box<dyn Fn(&mut CreateProductInput)>;
    let cases: Vec<(&str, Breaks)> = vec![
        ("`Name`", Box::new(|i| i.name = None)),
        ("`Owner`", Box::new(|i| i.owner = None)),
        ("`ProductType`", Box::new(|i| i.product_type = None)),
        (
            "`ProductType`",
            Box::new(|i| i.product_type = Some("ZIP".into())),
        ),
        (
            "`IdempotencyToken`",
            Box::new(|i| i.idempotency_token = None),
        ),
        (
            "`IdempotencyToken`",
            Box::new(|i| i.idempotency_token = Some("-starts-badly".into())),
        ),
        ("`Name`", Box::new(|i| i.name = Some("n".repeat(8192)))),
        (
            "`SupportEmail`",
            Box::new(|i| i.support_email = Some("e".repeat(255))),
        ),
        (
            "`SupportUrl`",
            Box::new(|i| i.support_url = Some("u".repeat(2084))),
        ),
        (
            "`Tags`",
            Box::new(|i| {
                i.tags = Some(
                    (0..21)
                        .map(|n| TagInput {
                            key: Some(format!("k{n}")),
                            value: Some("v".into()),
                        })
                        .collect(),
                )
            }),
        ),
        (
            "`ProvisioningArtifactParameters.Info`",
            Box::new(|i| {
                i.provisioning_artifact_parameters.as_mut().unwrap().info = Some(BTreeMap::new())
            }),
        ),
        (
            "`ProvisioningArtifactParameters.Type`",
            Box::new(|i| {
                i.provisioning_artifact_parameters
                    .as_mut()
                    .unwrap()
                    .artifact_type = Some("ZIP".into())
            }),
        ),
        (
            "`AcceptLanguage`",
            Box::new(|i| i.accept_language = Some("fr".into())),
        ),
    ];
    for (field, breaks) in cases {
        let mut input = create_input("web", "tok");
        breaks(&mut input);
        let e = assert_error(
            w.service.create_product(&caller(OWNER), input),
            ErrorKind::InvalidParameters,
        );
        assert!(e.message().contains(field), "{field}: {}", e.message());
    }
    let listed = w
        .service
        .search_products_as_admin(&caller(OWNER), SearchProductsAsAdminInput::default())
        .unwrap();
    assert!(
        listed.product_view_details.is_empty(),
        "a refusal created something"
    );
    for language in ["en", "jp", "zh"] {
        let mut input = create_input(language, language);
        input.accept_language = Some(language.into());
        w.service.create_product(&caller(OWNER), input).unwrap();
    }
}

#[test]
fn source_connection_is_invalid_parameters_as_portcullis_syncs_no_products_decision() {
    let w = World::new();
    let mut input = create_input("synced", "tok");
    input.source_connection = Some(SourceConnectionInput {
        source_type: Some("CODESTAR".into()),
    });
    let e = assert_error(
        w.service.create_product(&caller(OWNER), input),
        ErrorKind::InvalidParameters,
    );
    assert!(e.message().contains("`SourceConnection`"));
}

#[test]
fn an_idempotency_token_answers_the_first_product_per_account_and_region() {
    let w = World::new();
    let first = w
        .service
        .create_product(&caller(OWNER), create_input("web", "same"))
        .unwrap();
    let again = w
        .service
        .create_product(&caller(OWNER), create_input("other", "same"))
        .unwrap();
    assert_eq!(first, again);
    let elsewhere = w
        .service
        .create_product(&caller_in(OWNER, "eu-west-1"), create_input("web", "same"))
        .unwrap();
    assert_ne!(product_id(&elsewhere), product_id(&first));
    let other_account = w
        .service
        .create_product(&caller(OTHER), create_input("web", "same"))
        .unwrap();
    assert_ne!(product_id(&other_account), product_id(&first));
}

#[test]
fn describe_product_finds_by_id_or_name_and_neither_is_invalid_parameters_in_motos_words_decision()
{
    let w = World::new();
    let out = create(&w, OWNER, "web");
    let id = product_id(&out);
    let by_id = describe(&w, OWNER, &id).unwrap();
    assert_eq!(by_id.product_view_summary.product_id.as_str(), id);
    assert_eq!(by_id.provisioning_artifacts.len(), 1);
    assert!(by_id.budgets.is_empty());
    assert!(by_id.launch_paths.is_empty());
    let by_name = w
        .service
        .describe_product(
            &caller(OWNER),
            DescribeProductInput {
                name: Some("web".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(by_name, by_id);
    let e = assert_error(
        w.service
            .describe_product(&caller(OWNER), DescribeProductInput::default()),
        ErrorKind::InvalidParameters,
    );
    assert_eq!(e.message(), "Either Id or Name must be specified.");
    let e = assert_error(
        w.service
            .describe_product_as_admin(&caller(OWNER), DescribeProductAsAdminInput::default()),
        ErrorKind::InvalidParameters,
    );
    assert_eq!(e.message(), "Either Id or Name must be specified.");
    // Id wins over Name when both are given.
    let both = w
        .service
        .describe_product(
            &caller(OWNER),
            DescribeProductInput {
                id: Some(id.clone()),
                name: Some("no such name".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(both, by_id);
}

#[test]
fn an_unknown_foreign_or_other_region_product_is_not_found_in_motos_words_decision() {
    let w = World::new();
    let id = product_id(&create(&w, OWNER, "web"));
    let e = assert_error(
        describe(&w, OWNER, "NONEXISTENTID"),
        ErrorKind::ResourceNotFound,
    );
    assert_eq!(e.message(), "Product with Id 'NONEXISTENTID' not found.");
    let e = assert_error(describe(&w, OTHER, &id), ErrorKind::ResourceNotFound);
    assert_eq!(e.message(), format!("Product with Id '{id}' not found."));
    assert_error(
        w.service.describe_product(
            &caller_in(OWNER, "eu-west-1"),
            DescribeProductInput {
                id: Some(id.clone()),
                ..Default::default()
            },
        ),
        ErrorKind::ResourceNotFound,
    );
    let e = assert_error(
        w.service.describe_product(
            &caller(OWNER),
            DescribeProductInput {
                name: Some("NONEXISTENTNAME".into()),
                ..Default::default()
            },
        ),
        ErrorKind::ResourceNotFound,
    );
    assert_eq!(
        e.message(),
        "Product with Name 'NONEXISTENTNAME' not found."
    );
    assert_error(describe(&w, OWNER, "bad id!"), ErrorKind::InvalidParameters);
}

#[test]
fn describe_product_as_admin_answers_summaries_tags_and_empty_tag_options_and_budgets() {
    let w = World::new();
    let id = product_id(&create(&w, OWNER, "web"));
    let out = w
        .service
        .describe_product_as_admin(
            &caller(OWNER),
            DescribeProductAsAdminInput {
                id: Some(id.clone()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(out.product_view_detail.status, "AVAILABLE");
    assert_eq!(out.provisioning_artifact_summaries.len(), 1);
    assert_eq!(
        out.provisioning_artifact_summaries[0]
            .provisioning_artifact_metadata
            .as_ref()
            .and_then(|m| m.get("LoadTemplateFromURL"))
            .map(String::as_str),
        Some("https://example.com/t.json")
    );
    assert_eq!(out.tags.len(), 1);
    let wire = serde_json::to_value(&out).unwrap();
    assert_eq!(wire["TagOptions"], serde_json::json!([]));
    assert_eq!(wire["Budgets"], serde_json::json!([]));
}

#[test]
fn update_product_changes_what_is_given_and_only_for_the_owner() {
    let w = World::new();
    let id = product_id(&create(&w, OWNER, "web"));
    let out = w
        .service
        .update_product(
            &caller(OWNER),
            UpdateProductInput {
                id: Some(id.clone()),
                name: Some("web v2".into()),
                support_email: Some("help@example.com".into()),
                add_tags: Some(vec![TagInput {
                    key: Some("tier".into()),
                    value: Some("1".into()),
                }]),
                remove_tags: Some(vec!["team".into()]),
                ..Default::default()
            },
        )
        .unwrap();
    let summary = &out.product_view_detail.product_view_summary;
    assert_eq!(summary.name, "web v2");
    assert_eq!(summary.owner, "Platform team", "untouched fields stay");
    assert_eq!(summary.support_email.as_deref(), Some("help@example.com"));
    assert_eq!(
        out.tags,
        vec![Tag {
            key: "tier".into(),
            value: "1".into()
        }]
    );
    assert_error(
        w.service.update_product(
            &caller(OTHER),
            UpdateProductInput {
                id: Some(id.clone()),
                name: Some("stolen".into()),
                ..Default::default()
            },
        ),
        ErrorKind::ResourceNotFound,
    );
    assert_error(
        w.service
            .update_product(&caller(OWNER), UpdateProductInput::default()),
        ErrorKind::InvalidParameters,
    );
    assert_eq!(
        describe(&w, OWNER, &id).unwrap().product_view_summary.name,
        "web v2"
    );
}

#[test]
fn a_product_in_a_portfolio_cannot_be_deleted_nor_the_portfolio_while_it_holds_products() {
    let w = World::new();
    let id = product_id(&create(&w, OWNER, "web"));
    let portfolio = w.portfolio(OWNER);
    associate(&w, OWNER, &id, &portfolio).unwrap();
    associate(&w, OWNER, &id, &portfolio).unwrap(); // idempotent
    assert_error(
        w.service.delete_product(
            &caller(OWNER),
            DeleteProductInput {
                id: Some(id.clone()),
                ..Default::default()
            },
        ),
        ErrorKind::ResourceInUse,
    );
    assert_error(
        w.service.delete_portfolio(
            &caller(OWNER),
            DeletePortfolioInput {
                id: Some(portfolio.clone()),
                ..Default::default()
            },
        ),
        ErrorKind::ResourceInUse,
    );
    w.service
        .disassociate_product_from_portfolio(
            &caller(OWNER),
            DisassociateProductFromPortfolioInput {
                product_id: Some(id.clone()),
                portfolio_id: Some(portfolio.clone()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_error(
        w.service.disassociate_product_from_portfolio(
            &caller(OWNER),
            DisassociateProductFromPortfolioInput {
                product_id: Some(id.clone()),
                portfolio_id: Some(portfolio.clone()),
                ..Default::default()
            },
        ),
        ErrorKind::ResourceNotFound,
    );
    w.service
        .delete_product(
            &caller(OWNER),
            DeleteProductInput {
                id: Some(id.clone()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_error(describe(&w, OWNER, &id), ErrorKind::ResourceNotFound);
    w.service
        .delete_portfolio(
            &caller(OWNER),
            DeletePortfolioInput {
                id: Some(portfolio),
                ..Default::default()
            },
        )
        .unwrap();
}

#[test]
fn only_the_portfolio_owner_associates_and_only_its_own_products_without_a_source() {
    let w = World::new();
    let mine = product_id(&create(&w, OWNER, "web"));
    let theirs = product_id(&create(&w, OTHER, "db"));
    let portfolio = w.portfolio(OWNER);
    let foreign_portfolio = w.portfolio(OTHER);
    assert_error(
        associate(&w, OWNER, &mine, &foreign_portfolio),
        ErrorKind::ResourceNotFound,
    );
    assert_error(
        associate(&w, OWNER, &theirs, &portfolio),
        ErrorKind::ResourceNotFound,
    );
    assert_error(
        associate(&w, OWNER, "prod-nonexistent00", &portfolio),
        ErrorKind::ResourceNotFound,
    );
    assert_error(
        associate(&w, OWNER, &mine, ""),
        ErrorKind::InvalidParameters,
    );
    let e = assert_error(
        w.service.associate_product_with_portfolio(
            &caller(OWNER),
            AssociateProductWithPortfolioInput {
                portfolio_id: Some(portfolio.clone()),
                ..Default::default()
            },
        ),
        ErrorKind::InvalidParameters,
    );
    assert!(e.message().contains("`ProductId`"));
}

#[test]
fn a_recipient_sees_the_products_of_portfolios_it_imported_as_aws_shows_them() {
    let w = World::new();
    let out = create(&w, OWNER, "web");
    let id = product_id(&out);
    let portfolio = w.portfolio(OWNER);
    associate(&w, OWNER, &id, &portfolio).unwrap();
    w.share_with_account(OWNER, &portfolio, OTHER).unwrap();
    // Shared but not yet accepted: not in the recipient's account.
    assert_error(describe(&w, OTHER, &id), ErrorKind::ResourceNotFound);
    w.accept(OTHER, &portfolio, None).unwrap();
    let seen = describe(&w, OTHER, &id).unwrap();
    assert_eq!(
        seen.product_view_summary,
        out.product_view_detail.product_view_summary
    );
    assert_eq!(seen.launch_paths.len(), 1);
    assert_eq!(seen.launch_paths[0].name, "portfolio");
    let by_name = w
        .service
        .describe_product(
            &caller(OTHER),
            DescribeProductInput {
                name: Some("web".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(by_name, seen);
    let admin = w
        .service
        .describe_product_as_admin(
            &caller(OTHER),
            DescribeProductAsAdminInput {
                id: Some(id.clone()),
                source_portfolio_id: Some(portfolio.clone()),
                ..Default::default()
            },
        )
        .unwrap();
    assert!(admin.tags.is_empty(), "tags are the owner's");
    // A recipient neither changes nor deletes it.
    assert_error(
        w.service.delete_product(
            &caller(OTHER),
            DeleteProductInput {
                id: Some(id.clone()),
                ..Default::default()
            },
        ),
        ErrorKind::ResourceNotFound,
    );
    // Nor does a third account see it.
    assert_error(describe(&w, THIRD, &id), ErrorKind::ResourceNotFound);
    // Once the share is gone, neither does the recipient.
    w.service
        .delete_portfolio_share(
            &caller(OWNER),
            DeletePortfolioShareInput {
                portfolio_id: Some(portfolio.clone()),
                account_id: Some(OTHER.into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_error(describe(&w, OTHER, &id), ErrorKind::ResourceNotFound);
}

#[test]
fn launch_paths_are_the_portfolios_in_the_callers_account_named_by_portfolio_id_decision() {
    let w = World::new();
    let id = product_id(&create(&w, OWNER, "web"));
    let a = w.portfolio(OWNER);
    let b = w.portfolio(OWNER);
    associate(&w, OWNER, &id, &a).unwrap();
    associate(&w, OWNER, &id, &b).unwrap();
    let paths: Vec<String> = describe(&w, OWNER, &id)
        .unwrap()
        .launch_paths
        .into_iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(paths, vec![a, b]);
}

#[test]
fn a_recipient_adds_an_imported_product_to_its_own_portfolio_only_through_source_portfolio_id_decision()
 {
    let w = World::new();
    let id = product_id(&create(&w, OWNER, "web"));
    let shared = w.portfolio(OWNER);
    associate(&w, OWNER, &id, &shared).unwrap();
    w.share_with_account(OWNER, &shared, OTHER).unwrap();
    w.accept(OTHER, &shared, None).unwrap();
    let local = w.portfolio(OTHER);
    // Without the source portfolio: refused.
    assert_error(
        associate(&w, OTHER, &id, &local),
        ErrorKind::ResourceNotFound,
    );
    // With a source that does not hold it: refused.
    let unrelated = w.portfolio(OTHER);
    let with_source = |source: &str| {
        w.service.associate_product_with_portfolio(
            &caller(OTHER),
            AssociateProductWithPortfolioInput {
                product_id: Some(id.clone()),
                portfolio_id: Some(local.clone()),
                source_portfolio_id: Some(source.into()),
                ..Default::default()
            },
        )
    };
    assert_error(with_source(&unrelated), ErrorKind::ResourceNotFound);
    with_source(&shared).unwrap();
    // Into the imported portfolio itself: only its owner.
    assert_error(
        associate(&w, OTHER, &id, &shared),
        ErrorKind::ResourceNotFound,
    );
    let listed = w
        .service
        .list_portfolios_for_product(
            &caller(OTHER),
            ListPortfoliosForProductInput {
                product_id: Some(id.clone()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(
        listed
            .portfolio_details
            .iter()
            .map(|p| p.id.to_string())
            .collect::<Vec<_>>(),
        vec![local.clone()]
    );
    // Both portfolios are launch paths for the recipient; the owner sees only its own.
    assert_eq!(describe(&w, OTHER, &id).unwrap().launch_paths.len(), 2);
    assert_eq!(describe(&w, OWNER, &id).unwrap().launch_paths.len(), 1);
    // The owner cannot delete a product a recipient still holds.
    w.service
        .disassociate_product_from_portfolio(
            &caller(OWNER),
            DisassociateProductFromPortfolioInput {
                product_id: Some(id.clone()),
                portfolio_id: Some(shared.clone()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_error(
        w.service.delete_product(
            &caller(OWNER),
            DeleteProductInput {
                id: Some(id.clone()),
                ..Default::default()
            },
        ),
        ErrorKind::ResourceInUse,
    );
}

#[test]
fn list_portfolios_for_product_pages_the_callers_portfolios_holding_it() {
    let w = World::new();
    let id = product_id(&create(&w, OWNER, "web"));
    let portfolios: Vec<String> = (0..5).map(|_| w.portfolio(OWNER)).collect();
    for p in &portfolios {
        associate(&w, OWNER, &id, p).unwrap();
    }
    let seen = every_page(|token| {
        let page = w
            .service
            .list_portfolios_for_product(
                &caller(OWNER),
                ListPortfoliosForProductInput {
                    product_id: Some(id.clone()),
                    page_size: Some(2),
                    page_token: token,
                    ..Default::default()
                },
            )
            .unwrap();
        assert!(page.portfolio_details.len() <= 2);
        let ids = page.portfolio_details.iter().map(|p| p.id.to_string());
        (ids.collect(), page.next_page_token.map(|t| t.to_string()))
    });
    assert_eq!(seen, portfolios);
    assert_error(
        w.service.list_portfolios_for_product(
            &caller(OWNER),
            ListPortfoliosForProductInput {
                product_id: Some(id.clone()),
                page_size: Some(101),
                ..Default::default()
            },
        ),
        ErrorKind::InvalidParameters,
    );
    assert_error(
        w.service.list_portfolios_for_product(
            &caller(OTHER),
            ListPortfoliosForProductInput {
                product_id: Some(id),
                ..Default::default()
            },
        ),
        ErrorKind::ResourceNotFound,
    );
}

#[test]
fn search_products_as_admin_filters_then_sorts_then_pages_decision() {
    let w = World::new();
    for name in ["beta", "alpha", "gamma"] {
        create(&w, OWNER, name);
    }
    let mut other = create_input("delta", "tok-delta");
    other.owner = Some("Data team".into());
    other.product_type = Some("EXTERNAL".into());
    other.distributor = None;
    other.provisioning_artifact_parameters = None;
    w.service.create_product(&caller(OWNER), other).unwrap();

    // Unsorted: creation order.
    assert_eq!(
        search(&w, OWNER, SearchProductsAsAdminInput::default()),
        ["beta", "alpha", "gamma", "delta"]
    );
    assert_eq!(
        search(
            &w,
            OWNER,
            SearchProductsAsAdminInput {
                sort_by: Some("Title".into()),
                sort_order: Some("DESCENDING".into()),
                ..Default::default()
            }
        ),
        ["gamma", "delta", "beta", "alpha"]
    );
    assert_eq!(
        search(
            &w,
            OWNER,
            SearchProductsAsAdminInput {
                sort_by: Some("VersionCount".into()),
                ..Default::default()
            }
        ),
        ["delta", "beta", "alpha", "gamma"]
    );
    let filter = |key: &str, values: &[&str]| SearchProductsAsAdminInput {
        filters: Some(BTreeMap::from([(
            key.to_owned(),
            values.iter().map(|v| (*v).to_owned()).collect(),
        )])),
        product_source: Some("ACCOUNT".into()),
        ..Default::default()
    };
    assert_eq!(
        search(&w, OWNER, filter("FullTextSearch", &["ALP"])),
        ["alpha"]
    );
    assert_eq!(
        search(&w, OWNER, filter("FullTextSearch", &["acme"])),
        ["beta", "alpha", "gamma"],
        "the distributor is searched too"
    );
    assert_eq!(
        search(&w, OWNER, filter("Owner", &["Data team"])),
        ["delta"]
    );
    assert_eq!(
        search(&w, OWNER, filter("ProductType", &["EXTERNAL"])),
        ["delta"]
    );
    assert!(search(&w, OWNER, filter("SourceProductId", &["prod-x"])).is_empty());
    assert!(search(&w, OTHER, SearchProductsAsAdminInput::default()).is_empty());

    // Pages of 3, then the rest; a token of one search does not continue another.
    let first = w
        .service
        .search_products_as_admin(
            &caller(OWNER),
            SearchProductsAsAdminInput {
                page_size: Some(3),
                sort_by: Some("Title".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(first.product_view_details.len(), 3);
    let token = first.next_page_token.unwrap().to_string();
    let rest = w
        .service
        .search_products_as_admin(
            &caller(OWNER),
            SearchProductsAsAdminInput {
                page_size: Some(3),
                sort_by: Some("Title".into()),
                page_token: Some(token.clone()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(
        rest.product_view_details
            .iter()
            .map(|d| d.product_view_summary.name.as_str())
            .collect::<Vec<_>>(),
        ["gamma"]
    );
    assert!(rest.next_page_token.is_none());
    assert_error(
        w.service.search_products_as_admin(
            &caller(OWNER),
            SearchProductsAsAdminInput {
                page_token: Some(token),
                ..Default::default()
            },
        ),
        ErrorKind::InvalidParameters,
    );
    for bad in [
        SearchProductsAsAdminInput {
            page_size: Some(21),
            ..Default::default()
        },
        SearchProductsAsAdminInput {
            sort_by: Some("Name".into()),
            ..Default::default()
        },
        SearchProductsAsAdminInput {
            sort_order: Some("UP".into()),
            ..Default::default()
        },
        SearchProductsAsAdminInput {
            product_source: Some("SHARED".into()),
            ..Default::default()
        },
        filter("Color", &["red"]),
    ] {
        assert_error(
            w.service.search_products_as_admin(&caller(OWNER), bad),
            ErrorKind::InvalidParameters,
        );
    }
}

#[test]
fn search_products_as_admin_of_a_portfolio_lists_its_products_for_the_owner_and_importers() {
    let w = World::new();
    let web = product_id(&create(&w, OWNER, "web"));
    create(&w, OWNER, "db");
    let portfolio = w.portfolio(OWNER);
    associate(&w, OWNER, &web, &portfolio).unwrap();
    let of_portfolio = || SearchProductsAsAdminInput {
        portfolio_id: Some(portfolio.clone()),
        ..Default::default()
    };
    assert_eq!(search(&w, OWNER, of_portfolio()), ["web"]);
    assert_error(
        w.service
            .search_products_as_admin(&caller(OTHER), of_portfolio()),
        ErrorKind::ResourceNotFound,
    );
    w.share_with_account(OWNER, &portfolio, OTHER).unwrap();
    w.accept(OTHER, &portfolio, None).unwrap();
    assert_eq!(search(&w, OTHER, of_portfolio()), ["web"]);
}

#[test]
fn a_reset_removes_products() {
    let w = World::new();
    let id = product_id(&create(&w, OWNER, "web"));
    w.service.reset().unwrap();
    assert_error(describe(&w, OWNER, &id), ErrorKind::ResourceNotFound);
}

// ---- PortcullisService.ListProductsForPrincipal --------------------------------------------------

fn products_for(w: &World, who: &str, arn: &str) -> Vec<(String, String)> {
    w.service
        .products_for_principal(&caller(who), &principal(arn))
        .unwrap()
        .into_iter()
        .map(|a| (a.product.name, a.portfolio.to_string()))
        .collect()
}

#[test]
fn products_for_principal_are_the_products_of_the_portfolios_it_may_use_with_their_grants() {
    let w = World::new();
    let web = product_id(&create(&w, OWNER, "web"));
    let db = product_id(&create(&w, OWNER, "db"));
    let hidden = product_id(&create(&w, OWNER, "hidden"));
    let usable = w.portfolio(OWNER);
    let closed = w.portfolio(OWNER);
    w.associate(OWNER, &usable, "arn:aws:iam:::role/Dev*", PATTERN)
        .unwrap();
    associate(&w, OWNER, &web, &usable).unwrap();
    associate(&w, OWNER, &db, &usable).unwrap();
    associate(&w, OWNER, &hidden, &closed).unwrap();
    let devops = format!("arn:aws:iam::{OWNER}:role/DevOps");
    assert_eq!(
        products_for(&w, OWNER, &devops),
        vec![
            ("web".into(), usable.clone()),
            ("db".into(), usable.clone())
        ]
    );
    let found = w
        .service
        .products_for_principal(&caller(OWNER), &principal(&devops))
        .unwrap();
    let decision = w
        .service
        .check_access(
            &caller(OWNER),
            &usable.parse().unwrap(),
            &principal(&devops),
        )
        .unwrap();
    for access in &found {
        assert_eq!(
            &access.grants[..],
            &decision.grants[..],
            "the grants check_access names"
        );
    }
    assert!(products_for(&w, OWNER, &format!("arn:aws:iam::{OWNER}:role/Ops")).is_empty());

    // A recipient's principal, through its own association on the imported portfolio.
    w.share_with_account(OWNER, &usable, OTHER).unwrap();
    let recipient = format!("arn:aws:iam::{OTHER}:role/Builder");
    assert!(products_for(&w, OTHER, &recipient).is_empty());
    w.accept(OTHER, &usable, None).unwrap();
    w.associate(OTHER, &usable, "arn:aws:iam:::role/Build*", PATTERN)
        .unwrap();
    let found = w
        .service
        .products_for_principal(&caller(OTHER), &principal(&recipient))
        .unwrap();
    assert_eq!(found.len(), 2);
    assert!(found.iter().all(|a| a.grants.len() == 1
        && a.grants[0].account.as_str() == OTHER
        && a.grants[0].via.share().is_some()));

    // A product leaving the portfolio leaves the answer; the portfolio's access is unchanged.
    w.service
        .disassociate_product_from_portfolio(
            &caller(OWNER),
            DisassociateProductFromPortfolioInput {
                product_id: Some(db.clone()),
                portfolio_id: Some(usable.clone()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(
        products_for(&w, OWNER, &devops),
        vec![("web".into(), usable.clone())]
    );
    // Other regions see none of it.
    assert!(
        w.service
            .products_for_principal(&caller_in(OWNER, "eu-west-1"), &principal(&devops))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn products_for_principal_agree_with_the_reverse_query_and_each_portfolios_products() {
    let w = World::new();
    let mut portfolios = Vec::new();
    for i in 0..6 {
        let p = w.portfolio(OWNER);
        if i % 2 == 0 {
            w.associate(OWNER, &p, "arn:aws:iam:::role/App*", PATTERN)
                .unwrap();
        }
        for j in 0..i {
            let id = product_id(&create(&w, OWNER, &format!("p{i}-{j}")));
            associate(&w, OWNER, &id, &p).unwrap();
        }
        portfolios.push(p);
    }
    let arn = principal(&format!("arn:aws:iam::{OWNER}:role/AppServer"));
    let me = caller(OWNER);
    let mut expected = Vec::new();
    for portfolio in w.service.portfolios_for_principal(&me, &arn).unwrap() {
        let products = w
            .service
            .search_products_as_admin(
                &me,
                SearchProductsAsAdminInput {
                    portfolio_id: Some(portfolio.id.to_string()),
                    ..Default::default()
                },
            )
            .unwrap()
            .product_view_details;
        for p in products {
            expected.push((p.product_view_summary.name, portfolio.id.to_string()));
        }
    }
    assert_eq!(expected.len(), 2 + 4, "portfolios 2 and 4 (0 holds none)");
    assert_eq!(products_for(&w, OWNER, arn.as_str()), expected);
    // The wire's pages, of every size, walk the same list across portfolios.
    for size in 1..=7 {
        let paged = every_page(|token| {
            let page = w
                .service
                .list_products_for_principal(
                    &me,
                    ListProductsForPrincipalInput {
                        principal_arn: Some(arn.to_string()),
                        page_size: Some(size),
                        page_token: token,
                        ..Default::default()
                    },
                )
                .unwrap();
            assert!(page.product_access.len() <= size as usize);
            let items = page
                .product_access
                .into_iter()
                .map(|a| (a.product_view_summary.name, a.portfolio_id.to_string()));
            (items.collect(), page.next_page_token.map(|t| t.to_string()))
        });
        assert_eq!(paged, expected, "pages of {size}");
    }
}

#[test]
fn list_products_for_principal_pages_on_the_wire_and_refuses_what_is_not_a_principal_arn() {
    let w = World::new();
    let p = w.portfolio(OWNER);
    w.associate(OWNER, &p, "arn:aws:iam:::role/Dev*", PATTERN)
        .unwrap();
    for i in 0..5 {
        let id = product_id(&create(&w, OWNER, &format!("product-{i}")));
        associate(&w, OWNER, &id, &p).unwrap();
    }
    let arn = format!("arn:aws:iam::{OWNER}:role/DevOps");
    let names = every_page(|token| {
        let page = w
            .service
            .list_products_for_principal(
                &caller(OWNER),
                ListProductsForPrincipalInput {
                    principal_arn: Some(arn.clone()),
                    page_size: Some(2),
                    page_token: token,
                    ..Default::default()
                },
            )
            .unwrap();
        assert!(page.product_access.len() <= 2);
        for access in &page.product_access {
            assert_eq!(access.portfolio_id.as_str(), p);
            assert_eq!(
                access.grants[0].association.principal_arn,
                "arn:aws:iam:::role/Dev*"
            );
        }
        let names = page
            .product_access
            .into_iter()
            .map(|a| a.product_view_summary.name);
        (names.collect(), page.next_page_token.map(|t| t.to_string()))
    });
    assert_eq!(names.len(), 5);
    let wire = serde_json::to_value(
        w.service
            .list_products_for_principal(
                &caller(OWNER),
                ListProductsForPrincipalInput {
                    principal_arn: Some(arn),
                    page_size: Some(1),
                    ..Default::default()
                },
            )
            .unwrap(),
    )
    .unwrap();
    assert!(wire["ProductAccess"][0]["ProductViewSummary"]["ProductId"].is_string());
    assert!(wire["ProductAccess"][0]["Grants"][0]["Association"]["PrincipalARN"].is_string());
    assert!(wire["NextPageToken"].is_string());
    for bad in ["arn:aws:iam:::role/Dev*", "not an arn"] {
        assert_error(
            w.service.list_products_for_principal(
                &caller(OWNER),
                ListProductsForPrincipalInput {
                    principal_arn: Some(bad.into()),
                    ..Default::default()
                },
            ),
            ErrorKind::InvalidParameters,
        );
    }
    assert_error(
        w.service
            .list_products_for_principal(&caller(OWNER), ListProductsForPrincipalInput::default()),
        ErrorKind::InvalidParameters,
    );
}
