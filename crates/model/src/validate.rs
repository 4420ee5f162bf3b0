//! Field validation for request inputs: each helper turns a raw wire value into a typed one, or
//! into the `InvalidParametersException` naming the field and the rule (SPEC §3).
//!
//! Request shapes keep raw strings so that these helpers, not serde, decide what is wrong:
//!
//! ```
//! use portcullis_model::{validate, AssociatePrincipalWithPortfolioInput, PortfolioId, PrincipalType};
//!
//! let input: AssociatePrincipalWithPortfolioInput = serde_json::from_str(
//!     r#"{"PortfolioId": "port-abc", "PrincipalARN": "arn:aws:iam:::role/x*"}"#,
//! )?;
//! let id: PortfolioId = validate::required("PortfolioId", input.portfolio_id.as_deref())?;
//! assert_eq!(id.as_str(), "port-abc");
//! let err = validate::required::<PrincipalType>("PrincipalType", input.principal_type.as_deref())
//!     .unwrap_err();
//! assert_eq!(err.message(), "missing required field `PrincipalType`");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::str::FromStr;

use crate::{
    AcceptLanguage, OrganizationNodeInput, OrganizationNodeType, OrganizationNodeValue, PageSize,
    ParseError, ServiceError, Tag, TagInput,
};

/// A required field parsed as `T`: missing or invalid is `InvalidParametersException`.
pub fn required<T>(field: &str, value: Option<&str>) -> Result<T, ServiceError>
where
    T: FromStr<Err = ParseError>,
{
    parse(field, present(field, value)?)
}

/// An optional field parsed as `T`: absent is `None`, invalid is `InvalidParametersException`.
pub fn optional<T>(field: &str, value: Option<&str>) -> Result<Option<T>, ServiceError>
where
    T: FromStr<Err = ParseError>,
{
    value.map(|v| parse(field, v)).transpose()
}

/// `value` parsed as `T`, or the `InvalidParametersException` naming `field`.
pub fn parse<T>(field: &str, value: &str) -> Result<T, ServiceError>
where
    T: FromStr<Err = ParseError>,
{
    value.parse::<T>().map_err(|e| e.for_field(field))
}

/// A required field of any type: absent is `InvalidParametersException`
/// (`missing required field ...`).
pub fn present<T>(field: &str, value: Option<T>) -> Result<T, ServiceError> {
    value.ok_or_else(|| ServiceError::missing_field(field))
}

/// A free-text field of `min..=max` characters (AWS counts characters, not bytes).
pub fn text<'a>(
    field: &str,
    value: &'a str,
    min: usize,
    max: usize,
) -> Result<&'a str, ServiceError> {
    if (min..=max).contains(&value.chars().count()) {
        Ok(value)
    } else {
        Err(ParseError::new(
            "text",
            value,
            format!("must be {min} to {max} characters long"),
        )
        .for_field(field))
    }
}

/// `AcceptLanguage`: absent is `en`; any value other than `en`, `jp`, `zh` is
/// `InvalidParametersException` (**Decision**, SPEC §3).
pub fn accept_language(value: Option<&str>) -> Result<AcceptLanguage, ServiceError> {
    Ok(optional("AcceptLanguage", value)?.unwrap_or_default())
}

/// A Service Catalog `PageSize` (0–100).
pub fn page_size(field: &str, value: Option<i64>) -> Result<Option<PageSize>, ServiceError> {
    value
        .map(|n| PageSize::new(n).map_err(|e| e.for_field(field)))
        .transpose()
}

/// An Organizations `MaxResults` (1–20).
pub fn max_results(field: &str, value: Option<i64>) -> Result<Option<PageSize>, ServiceError> {
    value
        .map(|n| PageSize::organizations(n).map_err(|e| e.for_field(field)))
        .transpose()
}

/// An e-mail address as Organizations accepts it: 6–64 characters matching
/// `[^\s@]+@[^\s@]+\.[^\s@]+`.
pub fn email<'a>(field: &str, value: &'a str) -> Result<&'a str, ServiceError> {
    let part_ok = |s: &str| !s.is_empty() && !s.chars().any(|c| c.is_whitespace() || c == '@');
    let shape_ok = value.split_once('@').is_some_and(|(local, domain)| {
        part_ok(local)
            && domain
                .rsplit_once('.')
                .is_some_and(|(host, tld)| part_ok(host) && part_ok(tld))
    });
    let len_ok = (6..=64).contains(&value.chars().count());
    if shape_ok && len_ok {
        Ok(value)
    } else {
        Err(ParseError::new(
            "email",
            value,
            "must be an e-mail address of 6 to 64 characters",
        )
        .for_field(field))
    }
}

/// `PrincipalARN`: 1–1,000 characters. Its form for each `PrincipalType` is the matcher's
/// business (SPEC §4).
pub fn principal_arn(value: Option<&str>) -> Result<&str, ServiceError> {
    text("PrincipalARN", present("PrincipalARN", value)?, 1, 1000)
}

/// `OrganizationNode`: `Type` and `Value` both required, `Value` of the form its `Type` asks for
/// (SPEC §3). Errors name `OrganizationNode.Type` or `OrganizationNode.Value`.
pub fn organization_node(
    node: &OrganizationNodeInput,
) -> Result<OrganizationNodeValue, ServiceError> {
    let node_type: OrganizationNodeType =
        required("OrganizationNode.Type", node.node_type.as_deref())?;
    let value = present("OrganizationNode.Value", node.value.as_deref())?;
    OrganizationNodeValue::parse(node_type, value)
        .map_err(|e| e.for_field("OrganizationNode.Value"))
}

/// `DisplayName`: 1–100 characters.
pub fn display_name(value: &str) -> Result<&str, ServiceError> {
    text("DisplayName", value, 1, 100)
}

/// `Description`: at most 2,000 characters.
pub fn description(value: &str) -> Result<&str, ServiceError> {
    text("Description", value, 0, 2000)
}

/// `ProviderName`: 1–50 characters.
pub fn provider_name(value: &str) -> Result<&str, ServiceError> {
    text("ProviderName", value, 1, 50)
}

/// `IdempotencyToken`: 1–128 characters of `[a-zA-Z0-9][a-zA-Z0-9_-]*`.
pub fn idempotency_token(value: &str) -> Result<&str, ServiceError> {
    let first_ok = value
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric());
    let rest_ok = value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if first_ok && rest_ok && value.chars().count() <= 128 {
        Ok(value)
    } else {
        Err(ParseError::new(
            "idempotency token",
            value,
            "must be 1 to 128 letters, digits, `_` and `-`, starting with a letter or digit",
        )
        .for_field("IdempotencyToken"))
    }
}

/// A tag key or value: letters, numbers, spaces and `_.:/=+-@` (AWS's
/// `^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$`).
fn tag_text<'a>(field: &str, value: &'a str, max: usize) -> Result<&'a str, ServiceError> {
    text(field, value, 1, max)?;
    let ok = |c: char| {
        c.is_alphanumeric() || (c.is_whitespace() && !c.is_control()) || "_.:/=+-@".contains(c)
    };
    if value.chars().all(ok) {
        Ok(value)
    } else {
        Err(ParseError::new(
            "tag",
            value,
            "must contain only letters, numbers, spaces and `_.:/=+-@`",
        )
        .for_field(field))
    }
}

/// A list of tags (`Tags`, `AddTags`): at most `max` tags, each with a `Key` of 1–128 and a
/// `Value` of 1–256 characters. Errors name the field as `Tags[2].Key`.
pub fn tags(field: &str, tags: &[TagInput], max: usize) -> Result<Vec<Tag>, ServiceError> {
    if tags.len() > max {
        return Err(ServiceError::invalid_parameters(format!(
            "invalid value for `{field}`: at most {max} tags are allowed"
        )));
    }
    tags.iter()
        .enumerate()
        .map(|(i, t)| {
            let key_field = format!("{field}[{i}].Key");
            let value_field = format!("{field}[{i}].Value");
            let key = tag_text(&key_field, present(&key_field, t.key.as_deref())?, 128)?;
            let value = tag_text(
                &value_field,
                present(&value_field, t.value.as_deref())?,
                256,
            )?;
            Ok(Tag {
                key: key.to_owned(),
                value: value.to_owned(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AccountId, ErrorKind, PortfolioId};

    #[test]
    fn principal_arn_is_required_and_1_to_1000_chars() {
        assert!(principal_arn(Some("arn:aws:iam:::role/x")).is_ok());
        assert!(principal_arn(Some(&"a".repeat(1000))).is_ok());
        assert_eq!(
            principal_arn(None).unwrap_err().message(),
            "missing required field `PrincipalARN`"
        );
        assert!(principal_arn(Some("")).is_err());
        let e = principal_arn(Some(&"a".repeat(1001))).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidParameters);
        assert!(e.message().ends_with("must be 1 to 1000 characters long"));
    }

    fn node(t: Option<&str>, v: Option<&str>) -> OrganizationNodeInput {
        OrganizationNodeInput {
            node_type: t.map(str::to_owned),
            value: v.map(str::to_owned),
        }
    }

    #[test]
    fn organization_node_needs_type_and_matching_value() {
        assert_eq!(
            organization_node(&node(Some("ORGANIZATION"), Some("o-abcdefghij")))
                .unwrap()
                .as_str(),
            "o-abcdefghij"
        );
        assert_eq!(
            organization_node(&node(None, Some("o-abcdefghij")))
                .unwrap_err()
                .message(),
            "missing required field `OrganizationNode.Type`"
        );
        assert_eq!(
            organization_node(&node(Some("ACCOUNT"), None))
                .unwrap_err()
                .message(),
            "missing required field `OrganizationNode.Value`"
        );
        let e = organization_node(&node(Some("OU"), Some("ou-ab12-abcdefgh"))).unwrap_err();
        assert!(
            e.message().contains("`OrganizationNode.Type`"),
            "{}",
            e.message()
        );
        let e = organization_node(&node(Some("ACCOUNT"), Some("o-abcdefghij"))).unwrap_err();
        assert!(
            e.message().contains("`OrganizationNode.Value`"),
            "{}",
            e.message()
        );
    }

    #[test]
    fn portfolio_text_fields_follow_the_model_lengths() {
        assert!(display_name("a").is_ok());
        assert!(display_name(&"a".repeat(100)).is_ok());
        assert!(display_name("").is_err());
        assert!(display_name(&"a".repeat(101)).is_err());
        assert!(description("").is_ok());
        assert!(description(&"d".repeat(2001)).is_err());
        assert!(provider_name(&"p".repeat(50)).is_ok());
        assert!(provider_name(&"p".repeat(51)).is_err());
        assert!(provider_name("").is_err());
    }

    #[test]
    fn idempotency_token_starts_alphanumeric() {
        for ok in ["a", "0-abc_def", &"t".repeat(128)] {
            assert!(idempotency_token(ok).is_ok(), "{ok}");
        }
        for bad in ["", "-abc", "_a", "a b", "a.b", &"t".repeat(129)] {
            assert!(idempotency_token(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn tags_have_bounded_keys_and_values_and_count() {
        let tag = |k: &str, v: &str| TagInput {
            key: Some(k.into()),
            value: Some(v.into()),
        };
        let ok = tags(
            "Tags",
            &[tag("team", "a b:c/d=e+f-g@h_i.j"), tag("ключ", "値")],
            20,
        )
        .unwrap();
        assert_eq!(ok.len(), 2);
        assert_eq!(ok[0].key, "team");
        let e = tags("Tags", &[tag("ok", "v"), tag("bad*", "v")], 20).unwrap_err();
        assert!(e.message().contains("`Tags[1].Key`"), "{}", e.message());
        assert!(tags("Tags", &[tag("k", "")], 20).is_err());
        assert!(tags("Tags", &[tag(&"k".repeat(129), "v")], 20).is_err());
        assert!(tags("Tags", &[tag("k", &"v".repeat(257))], 20).is_err());
        let missing = TagInput {
            key: Some("k".into()),
            value: None,
        };
        assert_eq!(
            tags("AddTags", &[missing], 20).unwrap_err().message(),
            "missing required field `AddTags[0].Value`"
        );
        assert!(tags("Tags", &vec![tag("k", "v"); 21], 20).is_err());
    }

    #[test]
    fn required_field_missing_is_invalid_parameters_naming_it() {
        let e = required::<PortfolioId>("PortfolioId", None).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidParameters);
        assert_eq!(e.message(), "missing required field `PortfolioId`");
    }

    #[test]
    fn required_field_invalid_is_invalid_parameters_naming_field_and_rule() {
        let e = required::<AccountId>("AccountId", Some("12")).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidParameters);
        assert_eq!(
            e.message(),
            "invalid value `12` for `AccountId`: must be exactly 12 digits"
        );
        let ok: AccountId = required("AccountId", Some("123456789012")).unwrap();
        assert_eq!(ok.as_str(), "123456789012");
    }

    #[test]
    fn optional_field_absent_is_none() {
        assert_eq!(optional::<AccountId>("AccountId", None).unwrap(), None);
        assert!(optional::<AccountId>("AccountId", Some("x")).is_err());
    }

    #[test]
    fn present_checks_any_type() {
        assert!(present("ShareTagOptions", Some(true)).unwrap());
        assert_eq!(
            present::<bool>("ShareTagOptions", None)
                .unwrap_err()
                .message(),
            "missing required field `ShareTagOptions`"
        );
    }

    #[test]
    fn text_length_counts_characters() {
        assert_eq!(text("DisplayName", "ab", 1, 2).unwrap(), "ab");
        assert!(text("DisplayName", "ééé", 1, 3).is_ok());
        let e = text("DisplayName", "", 1, 100).unwrap_err();
        assert_eq!(
            e.message(),
            "invalid value `` for `DisplayName`: must be 1 to 100 characters long"
        );
    }

    #[test]
    fn accept_language_defaults_to_en_and_rejects_others() {
        assert_eq!(accept_language(None).unwrap(), AcceptLanguage::En);
        assert_eq!(accept_language(Some("zh")).unwrap(), AcceptLanguage::Zh);
        let e = accept_language(Some("fr")).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidParameters);
        assert!(e.message().contains("`AcceptLanguage`"), "{}", e.message());
    }

    #[test]
    fn page_size_is_0_to_100() {
        assert_eq!(page_size("PageSize", None).unwrap(), None);
        assert_eq!(page_size("PageSize", Some(0)).unwrap().unwrap().get(), 0);
        assert_eq!(
            page_size("PageSize", Some(100)).unwrap().unwrap().get(),
            100
        );
        let e = page_size("PageSize", Some(101)).unwrap_err();
        assert_eq!(
            e.message(),
            "invalid value `101` for `PageSize`: must be between 0 and 100"
        );
        assert!(page_size("PageSize", Some(-1)).is_err());
    }

    #[test]
    fn max_results_is_1_to_20() {
        assert!(max_results("MaxResults", Some(0)).is_err());
        assert!(max_results("MaxResults", Some(21)).is_err());
        assert_eq!(
            max_results("MaxResults", Some(20)).unwrap().unwrap().get(),
            20
        );
    }

    #[test]
    fn email_needs_local_part_at_and_dotted_domain() {
        for ok in ["a@b.co", "dev+1@example.com"] {
            assert!(email("Email", ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "a@b",
            "ab.com",
            "a b@c.com",
            "a@@b.com",
            "@b.com",
            "a@b.",
            "a@.c",
        ] {
            assert!(email("Email", bad).is_err(), "{bad}");
        }
        assert!(email("Email", &format!("{}@b.com", "a".repeat(60))).is_err());
    }
}
