//! Products end to end (issue 10, item 2): the official AWS SDK for Rust against the real
//! `portcullis` binary, for every product operation, and the same calls over RPC v2 CBOR and
//! AWS JSON 1.1 answering alike. The rules are pinned in `crates/api/tests/issue_10_products.rs`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use aws_sdk_servicecatalog::error::ProvideErrorMetadata;
use aws_sdk_servicecatalog::types::{
    ProductType, ProductViewFilterBy, ProductViewSortBy, ProvisioningArtifactProperties,
    ProvisioningArtifactType, SortOrder, Tag,
};
use common::sdk::{associate, create_portfolio};
use common::*;

#[tokio::test]
async fn every_product_operation_answers_the_sdk_as_aws_does() {
    let server = Server::start();
    let sc = server.catalog(MANAGEMENT).await;
    let created = sc
        .create_product()
        .name("web")
        .owner("Platform team")
        .product_type(ProductType::CloudFormationTemplate)
        .tags(
            Tag::builder()
                .key("team")
                .value("platform")
                .build()
                .unwrap(),
        )
        .provisioning_artifact_parameters(
            ProvisioningArtifactProperties::builder()
                .name("v1")
                .info("LoadTemplateFromURL", "https://example.com/t.json")
                .r#type(ProvisioningArtifactType::CloudFormationTemplate)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let detail = created.product_view_detail().unwrap();
    let summary = detail.product_view_summary().unwrap();
    let id = summary.product_id().unwrap().to_owned();
    assert!(id.starts_with("prod-"), "{id}");
    assert!(summary.id().unwrap().starts_with("prodview-"));
    assert_eq!(detail.status().unwrap().as_str(), "AVAILABLE");
    assert_eq!(
        detail.product_arn().unwrap(),
        format!("arn:aws:catalog:us-east-1:{MANAGEMENT}:product/{id}")
    );
    assert!(detail.created_time().is_some());
    let artifact = created.provisioning_artifact_detail().unwrap();
    assert!(artifact.id().unwrap().starts_with("pa-"));
    assert_eq!(created.tags().len(), 1);

    let described = sc.describe_product().id(&id).send().await.unwrap();
    assert_eq!(
        described.product_view_summary().unwrap().name(),
        Some("web")
    );
    assert_eq!(described.provisioning_artifacts().len(), 1);
    let by_name = sc.describe_product().name("web").send().await.unwrap();
    assert_eq!(
        by_name.product_view_summary().unwrap().product_id(),
        Some(id.as_str())
    );
    let admin = sc.describe_product_as_admin().id(&id).send().await.unwrap();
    assert_eq!(admin.provisioning_artifact_summaries().len(), 1);
    assert!(admin.tag_options().is_empty());

    let portfolio = create_portfolio(&sc, "p").await;
    sc.associate_product_with_portfolio()
        .product_id(&id)
        .portfolio_id(&portfolio)
        .send()
        .await
        .unwrap();
    let portfolios = sc
        .list_portfolios_for_product()
        .product_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(portfolios.portfolio_details().len(), 1);
    assert_eq!(
        sc.describe_product()
            .id(&id)
            .send()
            .await
            .unwrap()
            .launch_paths()
            .len(),
        1
    );

    let e = sc
        .delete_product()
        .id(&id)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(e.code(), Some("ResourceInUseException"));
    let e = sc
        .delete_portfolio()
        .id(&portfolio)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(e.code(), Some("ResourceInUseException"));

    let updated = sc
        .update_product()
        .id(&id)
        .name("web v2")
        .add_tags(Tag::builder().key("tier").value("1").build().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(updated.tags().len(), 2);

    for name in ["alpha", "zeta"] {
        sc.create_product()
            .name(name)
            .owner("Data team")
            .product_type(ProductType::External)
            .send()
            .await
            .unwrap();
    }
    let searched = sc
        .search_products_as_admin()
        .sort_by(ProductViewSortBy::Title)
        .sort_order(SortOrder::Descending)
        .filters(ProductViewFilterBy::Owner, vec!["Data team".to_owned()])
        .send()
        .await
        .unwrap();
    let names: Vec<&str> = searched
        .product_view_details()
        .iter()
        .filter_map(|d| d.product_view_summary().and_then(|s| s.name()))
        .collect();
    assert_eq!(names, ["zeta", "alpha"]);
    let of_portfolio = sc
        .search_products_as_admin()
        .portfolio_id(&portfolio)
        .send()
        .await
        .unwrap();
    assert_eq!(of_portfolio.product_view_details().len(), 1);

    sc.disassociate_product_from_portfolio()
        .product_id(&id)
        .portfolio_id(&portfolio)
        .send()
        .await
        .unwrap();
    sc.delete_product().id(&id).send().await.unwrap();
    let e = sc
        .describe_product()
        .id(&id)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(e.code(), Some("ResourceNotFoundException"));
    assert_eq!(
        e.message(),
        Some(format!("Product with Id '{id}' not found.").as_str())
    );
}

#[tokio::test]
async fn products_are_served_over_rpc_v2_cbor_as_over_json() {
    let server = Server::start();
    let create = serde_json::json!({
        "Name": "web", "Owner": "o", "ProductType": "CLOUD_FORMATION_TEMPLATE",
        "IdempotencyToken": "t1", "Tags": [{"Key": "k", "Value": "v"}]
    });
    let cbor = |value: &serde_json::Value| {
        let mut out = Vec::new();
        ciborium::ser::into_writer(value, &mut out).unwrap();
        out
    };
    let headers = vec![
        ("smithy-protocol".to_owned(), "rpc-v2-cbor".to_owned()),
        ("Content-Type".to_owned(), "application/cbor".to_owned()),
        ("Accept".to_owned(), "application/cbor".to_owned()),
        (
            "Authorization".to_owned(),
            authorization(MANAGEMENT, "us-east-1"),
        ),
    ];
    let path = "/service/AWS242ServiceCatalogService/operation/";
    let over_cbor = server
        .request_to(
            "POST",
            &format!("{path}CreateProduct"),
            &headers,
            &cbor(&create),
        )
        .await;
    assert_eq!(over_cbor.status, 200);
    let created: ciborium::Value = ciborium::de::from_reader(&over_cbor.body[..]).unwrap();
    let id = {
        let json = to_json(&created);
        json["ProductViewDetail"]["ProductViewSummary"]["ProductId"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    // The same product over JSON (the idempotency token names it) and over CBOR.
    let over_json = server
        .post(
            Some("AWS242ServiceCatalogService.CreateProduct"),
            Some(MANAGEMENT),
            create.to_string().as_bytes(),
        )
        .await
        .ok();
    assert_eq!(
        over_json["ProductViewDetail"]["ProductViewSummary"]["ProductId"],
        id.as_str()
    );
    let describe = serde_json::json!({ "Id": id });
    let described_cbor = server
        .request_to(
            "POST",
            &format!("{path}DescribeProduct"),
            &headers,
            &cbor(&describe),
        )
        .await;
    assert_eq!(described_cbor.status, 200);
    let from_cbor: ciborium::Value = ciborium::de::from_reader(&described_cbor.body[..]).unwrap();
    let from_cbor = to_json(&from_cbor);
    let from_json = server
        .post(
            Some("AWS242ServiceCatalogService.DescribeProduct"),
            Some(MANAGEMENT),
            describe.to_string().as_bytes(),
        )
        .await
        .ok();
    assert_eq!(
        from_cbor["ProductViewSummary"],
        from_json["ProductViewSummary"]
    );
    assert_eq!(from_cbor["Budgets"], serde_json::json!([]));
    let missing = server
        .request_to(
            "POST",
            &format!("{path}DescribeProduct"),
            &headers,
            &cbor(&serde_json::json!({})),
        )
        .await;
    assert_eq!(missing.status, 400);
}

/// A CBOR answer as JSON, timestamps (tag 1) as their epoch seconds.
fn to_json(value: &ciborium::Value) -> serde_json::Value {
    use ciborium::Value;
    match value {
        Value::Tag(_, inner) => to_json(inner),
        Value::Map(pairs) => serde_json::Value::Object(
            pairs
                .iter()
                .map(|(k, v)| (k.as_text().unwrap().to_owned(), to_json(v)))
                .collect(),
        ),
        Value::Array(items) => serde_json::Value::Array(items.iter().map(to_json).collect()),
        Value::Text(s) => serde_json::json!(s),
        Value::Bool(b) => serde_json::json!(b),
        Value::Integer(i) => serde_json::json!(i128::from(*i) as i64),
        Value::Float(f) => serde_json::json!(f),
        Value::Null => serde_json::Value::Null,
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn list_products_for_principal_is_served_as_a_portcullis_operation() {
    let server = Server::start();
    let sc = server.catalog(MANAGEMENT).await;
    let portfolio = create_portfolio(&sc, "p").await;
    associate(
        &sc,
        &portfolio,
        "arn:aws:iam:::role/Dev*",
        aws_sdk_servicecatalog::types::PrincipalType::IamPattern,
    )
    .await;
    let product = sc
        .create_product()
        .name("web")
        .owner("o")
        .product_type(ProductType::CloudFormationTemplate)
        .send()
        .await
        .unwrap()
        .product_view_detail()
        .unwrap()
        .product_view_summary()
        .unwrap()
        .product_id()
        .unwrap()
        .to_owned();
    sc.associate_product_with_portfolio()
        .product_id(&product)
        .portfolio_id(&portfolio)
        .send()
        .await
        .unwrap();
    let answer = server
        .portcullis(
            "ListProductsForPrincipal",
            MANAGEMENT,
            serde_json::json!({"PrincipalARN": format!("arn:aws:iam::{MANAGEMENT}:role/DevOps")}),
        )
        .await
        .ok();
    let access = &answer["ProductAccess"];
    assert_eq!(access.as_array().unwrap().len(), 1, "{answer}");
    assert_eq!(
        access[0]["ProductViewSummary"]["ProductId"],
        product.as_str()
    );
    assert_eq!(access[0]["PortfolioId"], portfolio.as_str());
    assert_eq!(
        access[0]["Grants"][0]["Association"]["PrincipalARN"],
        "arn:aws:iam:::role/Dev*"
    );
    let refused = server
        .portcullis(
            "ListProductsForPrincipal",
            MANAGEMENT,
            serde_json::json!({"PrincipalARN": "arn:aws:iam:::role/Dev*"}),
        )
        .await;
    refused.assert_error(400, "InvalidParametersException");
}
