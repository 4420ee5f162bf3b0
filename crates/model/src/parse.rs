//! The error of every identifier and enum parser in this crate.

use std::fmt;

use crate::error::ServiceError;

/// The longest piece of user input quoted in an error message; longer input is cut.
const MAX_QUOTED_CHARS: usize = 100;

/// A value that is not a valid identifier or enum value: what was expected, the value (cut to a
/// readable length) and the rule it breaks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    what: &'static str,
    value: String,
    rule: String,
}

impl ParseError {
    pub(crate) fn new(what: &'static str, value: &str, rule: impl Into<String>) -> ParseError {
        ParseError {
            what,
            value: quote(value),
            rule: rule.into(),
        }
    }

    /// What the value should have been, for example `portfolio id`.
    pub fn what(&self) -> &'static str {
        self.what
    }

    /// The offending value, cut to 100 characters.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// The rule the value breaks, for example `must be 12 digits`.
    pub fn rule(&self) -> &str {
        &self.rule
    }

    /// The `InvalidParametersException` for this error in the request field `field`.
    pub fn for_field(&self, field: &str) -> ServiceError {
        ServiceError::invalid_parameters(format!(
            "invalid value `{}` for `{field}`: {}",
            self.value, self.rule
        ))
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {} `{}`: {}", self.what, self.value, self.rule)
    }
}

impl std::error::Error for ParseError {}

/// `value` cut to [`MAX_QUOTED_CHARS`] characters, with `...` when cut.
pub(crate) fn quote(value: &str) -> String {
    match value.char_indices().nth(MAX_QUOTED_CHARS) {
        Some((cut, _)) => format!("{}...", value.get(..cut).unwrap_or(value)),
        None => value.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn parse_error_names_field_value_and_rule() {
        let e = ParseError::new("account id", "12ab", "must be 12 digits");
        assert_eq!(
            e.to_string(),
            "invalid account id `12ab`: must be 12 digits"
        );
        let s = e.for_field("AccountId");
        assert_eq!(s.kind(), ErrorKind::InvalidParameters);
        assert_eq!(
            s.message(),
            "invalid value `12ab` for `AccountId`: must be 12 digits"
        );
    }

    #[test]
    fn long_values_are_cut_in_messages() {
        let long = "é".repeat(500);
        let e = ParseError::new("portfolio id", &long, "too long");
        assert_eq!(e.value().chars().count(), MAX_QUOTED_CHARS + 3);
        assert!(e.value().ends_with("..."));
    }
}
