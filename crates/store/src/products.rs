//! Products as the store keeps them: the product side of portfolios (issue 10). What a product
//! may be called and who may change it is the service's; the store keeps ids unique forever,
//! idempotency tokens per owner and region, and the product–portfolio associations consistent
//! with deletes on both sides.

use std::collections::BTreeMap;

use portcullis_model::{
    AccountId, Partition, ProductId, ProductType, ProductViewId, ProvisioningArtifactGuidance,
    ProvisioningArtifactId, ProvisioningArtifactType, Region, Tag, Timestamp,
};
use serde::{Deserialize, Serialize};

/// A provisioning artifact (a product version) as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProvisioningArtifactRecord {
    /// `pa-` and 13 lowercase alphanumerics, drawn by the store.
    pub id: ProvisioningArtifactId,
    /// `Name`
    pub name: Option<String>,
    /// `Description`
    pub description: Option<String>,
    /// `Info` as given (for example `LoadTemplateFromURL`).
    pub info: BTreeMap<String, String>,
    /// `Type`
    pub artifact_type: ProvisioningArtifactType,
    /// `DisableTemplateValidation`
    pub disable_template_validation: bool,
    /// When it was created.
    pub created_time: Timestamp,
    /// `Active`
    pub active: bool,
    /// `Guidance`
    pub guidance: ProvisioningArtifactGuidance,
}

/// A product as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductRecord {
    /// `prod-` and 13 lowercase alphanumerics, drawn by the store and never reused.
    pub id: ProductId,
    /// `ProductViewSummary.Id`: `prodview-` and 13 lowercase alphanumerics, drawn with the
    /// product.
    pub view_id: ProductViewId,
    /// The account that created it.
    pub owner: AccountId,
    /// The owner's partition.
    pub partition: Partition,
    /// The region it lives in.
    pub region: Region,
    /// `Name`
    pub name: String,
    /// `Owner`: the product's owner as its creator names it (not an account).
    pub product_owner: String,
    /// `Description`
    pub description: Option<String>,
    /// `Distributor`
    pub distributor: Option<String>,
    /// `SupportDescription`
    pub support_description: Option<String>,
    /// `SupportEmail`
    pub support_email: Option<String>,
    /// `SupportUrl`
    pub support_url: Option<String>,
    /// `ProductType`
    pub product_type: ProductType,
    /// Tags, in the order first added; keys are unique.
    pub tags: Vec<Tag>,
    /// When it was created.
    pub created_time: Timestamp,
    /// Its provisioning artifacts, in creation order.
    pub provisioning_artifacts: Vec<ProvisioningArtifactRecord>,
}

/// A provisioning artifact to create with a product (`ProvisioningArtifactParameters`); the
/// store draws its id and gives it the product's creation time.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewProvisioningArtifact {
    /// `Name`
    pub name: Option<String>,
    /// `Description`
    pub description: Option<String>,
    /// `Info`
    pub info: BTreeMap<String, String>,
    /// `Type` (the service fills in its default).
    pub artifact_type: Option<ProvisioningArtifactType>,
    /// `DisableTemplateValidation`
    pub disable_template_validation: bool,
}

/// What `create_product` needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewProduct {
    /// The owning account.
    pub owner: AccountId,
    /// The owner's partition.
    pub partition: Partition,
    /// The region.
    pub region: Region,
    /// `Name`
    pub name: String,
    /// `Owner`
    pub product_owner: String,
    /// `Description`
    pub description: Option<String>,
    /// `Distributor`
    pub distributor: Option<String>,
    /// `SupportDescription`
    pub support_description: Option<String>,
    /// `SupportEmail`
    pub support_email: Option<String>,
    /// `SupportUrl`
    pub support_url: Option<String>,
    /// `ProductType`
    pub product_type: ProductType,
    /// Tags (later duplicates of a key replace earlier ones).
    pub tags: Vec<Tag>,
    /// The creation time to record.
    pub created_time: Timestamp,
    /// The initial provisioning artifact, when one is given.
    pub provisioning_artifact: Option<NewProvisioningArtifact>,
    /// `IdempotencyToken`: a second create with the same token by the same owner in the same
    /// region creates nothing and answers the first creation's record.
    pub idempotency_token: Option<String>,
}

impl NewProvisioningArtifact {
    /// The record of this artifact under `id`, created at `created_time`: active, with the
    /// default guidance, and a CloudFormation template unless another type is given.
    pub fn record(
        &self,
        id: ProvisioningArtifactId,
        created_time: Timestamp,
    ) -> ProvisioningArtifactRecord {
        ProvisioningArtifactRecord {
            id,
            name: self.name.clone(),
            description: self.description.clone(),
            info: self.info.clone(),
            artifact_type: self
                .artifact_type
                .unwrap_or(ProvisioningArtifactType::CloudFormationTemplate),
            disable_template_validation: self.disable_template_validation,
            created_time,
            active: true,
            guidance: ProvisioningArtifactGuidance::Default,
        }
    }
}

impl NewProduct {
    /// The record of this product under `id` and `view_id`, its tags merged
    /// ([`crate::merge_tags`]), without provisioning artifacts (each store records the first
    /// one under an id it draws: [`NewProvisioningArtifact::record`]).
    pub fn record(&self, id: ProductId, view_id: ProductViewId) -> ProductRecord {
        let mut record = ProductRecord {
            id,
            view_id,
            owner: self.owner.clone(),
            partition: self.partition,
            region: self.region.clone(),
            name: self.name.clone(),
            product_owner: self.product_owner.clone(),
            description: self.description.clone(),
            distributor: self.distributor.clone(),
            support_description: self.support_description.clone(),
            support_email: self.support_email.clone(),
            support_url: self.support_url.clone(),
            product_type: self.product_type,
            tags: Vec::new(),
            created_time: self.created_time,
            provisioning_artifacts: Vec::new(),
        };
        crate::merge_tags(&mut record.tags, &self.tags);
        record
    }
}

/// The outcome of `create_product`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreatedProduct {
    /// The product: new, or as first created when the idempotency token was seen before.
    pub product: ProductRecord,
    /// False when the idempotency token was seen before and nothing was created.
    pub created: bool,
}

/// A change to a product's attributes; `None` leaves a field as it is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProductUpdate {
    /// New `Name`.
    pub name: Option<String>,
    /// New `Owner`.
    pub product_owner: Option<String>,
    /// New `Description`.
    pub description: Option<String>,
    /// New `Distributor`.
    pub distributor: Option<String>,
    /// New `SupportDescription`.
    pub support_description: Option<String>,
    /// New `SupportEmail`.
    pub support_email: Option<String>,
    /// New `SupportUrl`.
    pub support_url: Option<String>,
    /// Tags to add or replace (by key).
    pub add_tags: Vec<Tag>,
    /// Tag keys to remove (applied before `add_tags`).
    pub remove_tags: Vec<String>,
}
