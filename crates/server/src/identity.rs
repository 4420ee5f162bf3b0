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

/// The partition a region belongs to.
pub fn partition_of(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else if region.starts_with("us-isob-") {
        "aws-iso-b"
    } else if region.starts_with("us-iso-") {
        "aws-iso"
    } else if region.starts_with("eusc-") {
        "aws-eusc"
    } else {
        "aws"
    }
}

/// The caller of a request with this `Authorization` header value, if any.
///
/// `AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/servicecatalog/aws4_request, ...`: an
/// access key id of exactly 12 digits is the account id; the credential scope gives the region.
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
    let partition =
        Partition::parse(partition_of(region.as_str())).unwrap_or_else(|_| Partition::default());
    Caller::new(partition, region, account)
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
