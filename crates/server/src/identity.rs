//! Who is calling: the caller's account, region and partition, from the SigV4 `Authorization`
//! header (SPEC §2). Signatures are not verified.

use portcullis_model::{AccountId, Caller, Partition, Region};

/// Where callers come from when a request does not say.
#[derive(Clone, Debug)]
pub struct IdentityDefaults {
    /// The account of an access key id that is not 12 digits (moto's and LocalStack's
    /// convention), and of a request with no usable `Authorization` header.
    pub account: AccountId,
    /// The region of a request with no credential scope.
    pub region: Region,
}

/// The caller of a request with this `Authorization` header value, if any.
///
/// `AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/servicecatalog/aws4_request, ...`: an
/// access key id of exactly 12 digits is the account id; the credential scope gives the region,
/// and the region the partition ([`Partition::from_region`]).
pub fn caller_from_authorization(header: Option<&str>, defaults: &IdentityDefaults) -> Caller {
    let credential = header.and_then(|h| {
        h.split([',', ' '])
            .find_map(|part| part.trim().strip_prefix("Credential="))
            .map(|c| c.split('/').collect::<Vec<_>>())
    });
    let key = credential.as_ref().and_then(|c| c.first().copied());
    let region = credential.as_ref().and_then(|c| c.get(2).copied());
    let account = key
        .filter(|k| k.len() == 12 && k.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|k| AccountId::parse(k).ok())
        .unwrap_or_else(|| defaults.account.clone());
    let region = region
        .and_then(|r| Region::parse(r).ok())
        .unwrap_or_else(|| defaults.region.clone());
    Caller::new(Partition::from_region(region.as_str()), region, account)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller(header: Option<&str>) -> (String, String, String) {
        let defaults = IdentityDefaults {
            account: AccountId::parse("123456789012").unwrap(),
            region: Region::parse("us-east-1").unwrap(),
        };
        let c = caller_from_authorization(header, &defaults);
        (
            c.partition().to_string(),
            c.region().to_string(),
            c.account().to_string(),
        )
    }

    #[test]
    fn twelve_digit_access_key_is_the_account_and_scope_gives_the_region() {
        let h = "AWS4-HMAC-SHA256 Credential=111122223333/20250101/eu-west-1/servicecatalog/aws4_request, SignedHeaders=host, Signature=abc";
        assert_eq!(
            caller(Some(h)),
            ("aws".into(), "eu-west-1".into(), "111122223333".into())
        );
    }

    #[test]
    fn other_access_keys_map_to_the_default_account() {
        let h = "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20250101/cn-north-1/servicecatalog/aws4_request, SignedHeaders=host, Signature=abc";
        assert_eq!(
            caller(Some(h)),
            ("aws-cn".into(), "cn-north-1".into(), "123456789012".into())
        );
    }

    #[test]
    fn the_partition_follows_the_credential_scope_region() {
        for (region, partition) in [
            ("us-gov-west-1", "aws-us-gov"),
            ("us-iso-east-1", "aws-iso"),
            ("us-isob-east-1", "aws-iso-b"),
            ("eu-isoe-west-1", "aws-iso-e"),
            ("us-isof-south-1", "aws-iso-f"),
            ("eusc-de-east-1", "aws-eusc"),
            ("local", "aws"),
        ] {
            let h = format!(
                "AWS4-HMAC-SHA256 Credential=111122223333/20250101/{region}/servicecatalog/aws4_request"
            );
            assert_eq!(caller(Some(&h)).0, partition, "{region}");
        }
    }

    #[test]
    fn missing_or_garbled_header_gives_the_defaults() {
        let defaults = (
            "aws".to_string(),
            "us-east-1".to_string(),
            "123456789012".to_string(),
        );
        assert_eq!(caller(None), defaults);
        assert_eq!(caller(Some("Basic dXNlcjpwYXNz")), defaults);
        assert_eq!(caller(Some("AWS4-HMAC-SHA256 Credential=")), defaults);
    }
}
