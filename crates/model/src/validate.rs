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

use crate::{AcceptLanguage, PageSize, ParseError, ServiceError};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AccountId, ErrorKind, PortfolioId};

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
