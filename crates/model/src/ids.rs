//! Validated identifiers (SPEC §3) and their generators.

use std::fmt;

use rand::Rng;

use crate::ParseError;

/// `len` random characters of `[a-z0-9]`.
fn random_lower_alnum<R: Rng + ?Sized>(rng: &mut R, len: usize) -> String {
    (0..len)
        .map(|_| char::from_digit(rng.random_range(0..36), 36).unwrap_or('0'))
        .collect()
}

/// `len` random decimal digits.
fn random_digits<R: Rng + ?Sized>(rng: &mut R, len: usize) -> String {
    (0..len)
        .map(|_| char::from_digit(rng.random_range(0..10), 10).unwrap_or('0'))
        .collect()
}

fn is_lower_alnum(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

/// `s` is `min..=max` characters, each satisfying `ok`.
fn chars_in(s: &str, min: usize, max: usize, ok: fn(char) -> bool) -> bool {
    (min..=max).contains(&s.len()) && s.chars().all(ok)
}

/// AWS's `Id` shape: 1–100 characters of `[a-zA-Z0-9_-]`.
///
/// AWS's pattern `^[a-zA-Z0-9_\-]*` carries no `$`; we read it as anchored, so every character
/// must be in the class.
fn check_id(s: &str) -> Result<(), &'static str> {
    let len = s.chars().count();
    if !(1..=100).contains(&len) {
        return Err("must be 1 to 100 characters long");
    }
    if !s
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return Err("must contain only letters, digits, `_` and `-`");
    }
    Ok(())
}

string_id!(
    /// A portfolio identifier (AWS's `Id`): 1–100 characters of `[a-zA-Z0-9_-]`. Generated ids are
    /// `port-` followed by 13 lowercase letters and digits.
    PortfolioId,
    "portfolio id",
    check_id
);

impl PortfolioId {
    /// A fresh id in AWS's form: `port-` and 13 lowercase alphanumerics.
    pub fn generate<R: Rng + ?Sized>(rng: &mut R) -> PortfolioId {
        PortfolioId(format!("port-{}", random_lower_alnum(rng, 13)))
    }
}

string_id!(
    /// A product identifier (AWS's `Id`): 1–100 characters of `[a-zA-Z0-9_-]`. Generated ids are
    /// `prod-` followed by 13 lowercase letters and digits.
    ProductId,
    "product id",
    check_id
);

impl ProductId {
    /// A fresh id in AWS's form: `prod-` and 13 lowercase alphanumerics.
    pub fn generate<R: Rng + ?Sized>(rng: &mut R) -> ProductId {
        ProductId(format!("prod-{}", random_lower_alnum(rng, 13)))
    }
}

string_id!(
    /// A product view identifier (`ProductViewSummary.Id`): AWS answers a product's view id
    /// beside its product id. Generated ids are `prodview-` followed by 13 lowercase letters and
    /// digits.
    ProductViewId,
    "product view id",
    check_id
);

impl ProductViewId {
    /// A fresh id in AWS's form: `prodview-` and 13 lowercase alphanumerics.
    pub fn generate<R: Rng + ?Sized>(rng: &mut R) -> ProductViewId {
        ProductViewId(format!("prodview-{}", random_lower_alnum(rng, 13)))
    }
}

string_id!(
    /// A provisioning artifact (product version) identifier (AWS's `Id`). Generated ids are `pa-`
    /// followed by 13 lowercase letters and digits.
    ProvisioningArtifactId,
    "provisioning artifact id",
    check_id
);

impl ProvisioningArtifactId {
    /// A fresh id in AWS's form: `pa-` and 13 lowercase alphanumerics.
    pub fn generate<R: Rng + ?Sized>(rng: &mut R) -> ProvisioningArtifactId {
        ProvisioningArtifactId(format!("pa-{}", random_lower_alnum(rng, 13)))
    }
}

string_id!(
    /// The token of a portfolio share operation (AWS's `Id` shape). Generated tokens are `share-`
    /// followed by 13 lowercase letters and digits; parsing accepts anything AWS's `Id` accepts.
    PortfolioShareToken,
    "portfolio share token",
    check_id
);

impl PortfolioShareToken {
    /// A fresh token in AWS's form: `share-` and 13 lowercase alphanumerics.
    pub fn generate<R: Rng + ?Sized>(rng: &mut R) -> PortfolioShareToken {
        PortfolioShareToken(format!("share-{}", random_lower_alnum(rng, 13)))
    }
}

fn check_account_id(s: &str) -> Result<(), &'static str> {
    if s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err("must be exactly 12 digits")
    }
}

string_id!(
    /// An AWS account id: exactly 12 digits.
    AccountId,
    "account id",
    check_account_id
);

impl AccountId {
    /// A fresh random account id.
    pub fn generate<R: Rng + ?Sized>(rng: &mut R) -> AccountId {
        AccountId(random_digits(rng, 12))
    }
}

fn check_organization_id(s: &str) -> Result<(), &'static str> {
    match s.strip_prefix("o-") {
        Some(rest) if chars_in(rest, 10, 32, is_lower_alnum) => Ok(()),
        _ => Err("must be `o-` followed by 10 to 32 lowercase letters or digits"),
    }
}

string_id!(
    /// An organization id: `o-` and 10–32 lowercase letters or digits.
    OrganizationId,
    "organization id",
    check_organization_id
);

impl OrganizationId {
    /// A fresh id in AWS's form: `o-` and 10 lowercase alphanumerics.
    pub fn generate<R: Rng + ?Sized>(rng: &mut R) -> OrganizationId {
        OrganizationId(format!("o-{}", random_lower_alnum(rng, 10)))
    }
}

fn check_root_id(s: &str) -> Result<(), &'static str> {
    match s.strip_prefix("r-") {
        Some(rest) if chars_in(rest, 4, 32, is_lower_alnum) => Ok(()),
        _ => Err("must be `r-` followed by 4 to 32 lowercase letters or digits"),
    }
}

string_id!(
    /// The id of an organization's root: `r-` and 4–32 lowercase letters or digits.
    RootId,
    "root id",
    check_root_id
);

impl RootId {
    /// A fresh id in AWS's form: `r-` and 4 lowercase alphanumerics.
    pub fn generate<R: Rng + ?Sized>(rng: &mut R) -> RootId {
        RootId(format!("r-{}", random_lower_alnum(rng, 4)))
    }

    /// The part after `r-`, which AWS repeats in the ids of the organization's OUs.
    pub fn suffix(&self) -> &str {
        self.0.get(2..).unwrap_or_default()
    }
}

fn check_ou_id(s: &str) -> Result<(), &'static str> {
    const RULE: &str = "must be `ou-`, 4 to 32 lowercase letters or digits, `-`, \
                        then 8 to 32 lowercase letters or digits";
    let Some(rest) = s.strip_prefix("ou-") else {
        return Err(RULE);
    };
    match rest.split_once('-') {
        Some((root, unit))
            if chars_in(root, 4, 32, is_lower_alnum) && chars_in(unit, 8, 32, is_lower_alnum) =>
        {
            Ok(())
        }
        _ => Err(RULE),
    }
}

string_id!(
    /// An organizational unit id: `ou-`, 4–32 lowercase alphanumerics, `-`, 8–32 lowercase
    /// alphanumerics.
    OuId,
    "organizational unit id",
    check_ou_id
);

impl OuId {
    /// A fresh id in AWS's form: `ou-`, the root's suffix, `-` and 8 lowercase alphanumerics.
    pub fn generate<R: Rng + ?Sized>(root: &RootId, rng: &mut R) -> OuId {
        OuId(format!(
            "ou-{}-{}",
            root.suffix(),
            random_lower_alnum(rng, 8)
        ))
    }
}

fn check_create_account_request_id(s: &str) -> Result<(), &'static str> {
    match s.strip_prefix("car-") {
        Some(rest) if chars_in(rest, 8, 32, is_lower_alnum) => Ok(()),
        _ => Err("must be `car-` followed by 8 to 32 lowercase letters or digits"),
    }
}

string_id!(
    /// The id of a `CreateAccount` request: `car-` and 8–32 lowercase letters or digits.
    CreateAccountRequestId,
    "create account request id",
    check_create_account_request_id
);

impl CreateAccountRequestId {
    /// A fresh id: `car-` and 32 lowercase alphanumerics.
    pub fn generate<R: Rng + ?Sized>(rng: &mut R) -> CreateAccountRequestId {
        CreateAccountRequestId(format!("car-{}", random_lower_alnum(rng, 32)))
    }
}

fn check_region(s: &str) -> Result<(), &'static str> {
    let starts_alnum = s.chars().next().is_some_and(is_lower_alnum);
    if starts_alnum && chars_in(s, 1, 64, |c| is_lower_alnum(c) || c == '-') {
        Ok(())
    } else {
        Err("must be 1 to 64 lowercase letters, digits and `-`, starting with a letter or digit")
    }
}

string_id!(
    /// An AWS region name such as `us-east-1`: 1–64 lowercase letters, digits and `-`.
    ///
    /// **Decision:** any such name is accepted (local endpoints use names like `local`); resources
    /// are scoped by it all the same.
    Region,
    "region",
    check_region
);

/// An AWS partition: `aws` (the default), `aws-cn`, `aws-us-gov`, `aws-iso`, `aws-iso-b`,
/// `aws-iso-e`, `aws-iso-f` or `aws-eusc`. The one partition table is the matcher's, which also
/// says which partition a region belongs to ([`Partition::from_region`]); serde reads and writes
/// the ARN spelling.
pub use portcullis_matcher::Partition;

/// AWS's `PageToken` shape: at most 2,024 characters of `[\t\n\r\u{20}-\u{D7FF}\u{E000}-\u{FFFD}]`.
fn check_page_token(s: &str) -> Result<(), &'static str> {
    let ok =
        |c: char| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}');
    if s.chars().count() > 2024 {
        Err("must be at most 2024 characters long")
    } else if !s.chars().all(ok) {
        Err("must contain only printable characters")
    } else {
        Ok(())
    }
}

string_id!(
    /// An opaque pagination token (AWS's `PageToken`): at most 2,024 printable characters. What
    /// it encodes is the service's business.
    PageToken,
    "page token",
    check_page_token
);

fn check_service_principal(s: &str) -> Result<(), &'static str> {
    let ok = |c: char| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c);
    if chars_in(s, 1, 128, ok) {
        Ok(())
    } else {
        Err("must be 1 to 128 letters, digits and `_+=,.@-`")
    }
}

string_id!(
    /// An AWS service principal such as `servicecatalog.amazonaws.com` (Organizations'
    /// `ServicePrincipal`): 1–128 characters of `[\w+=,.@-]`.
    ServicePrincipal,
    "service principal",
    check_service_principal
);

impl ServicePrincipal {
    /// Service Catalog's service principal, `servicecatalog.amazonaws.com`.
    pub fn service_catalog() -> ServicePrincipal {
        ServicePrincipal("servicecatalog.amazonaws.com".to_owned())
    }
}

/// A page size: an integer in `0..=max`, where `max` is 100 for Service Catalog's `PageSize` and
/// `PageSizeMax100`, and 20 for Organizations' `MaxResults` (whose minimum is 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PageSize(u32);

impl PageSize {
    /// Service Catalog's largest page.
    pub const MAX: u32 = 100;
    /// Organizations' largest page (`MaxResults`).
    pub const MAX_ORGANIZATIONS: u32 = 20;

    /// A Service Catalog page size: `0..=100`.
    pub fn new(n: i64) -> Result<PageSize, ParseError> {
        PageSize::in_range(n, 0, PageSize::MAX)
    }

    /// An Organizations `MaxResults`: `1..=20`.
    pub fn organizations(n: i64) -> Result<PageSize, ParseError> {
        PageSize::in_range(n, 1, PageSize::MAX_ORGANIZATIONS)
    }

    fn in_range(n: i64, min: u32, max: u32) -> Result<PageSize, ParseError> {
        match u32::try_from(n) {
            Ok(v) if (min..=max).contains(&v) => Ok(PageSize(v)),
            _ => Err(ParseError::new(
                "page size",
                &n.to_string(),
                format!("must be between {min} and {max}"),
            )),
        }
    }

    /// The size.
    pub fn get(self) -> u32 {
        self.0
    }
}

impl fmt::Display for PageSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    fn accepts<T: std::str::FromStr<Err = ParseError> + fmt::Debug>(values: &[&str]) {
        for v in values {
            if let Err(e) = v.parse::<T>() {
                panic!("`{v}` should be accepted: {e}");
            }
        }
    }

    fn rejects<T: std::str::FromStr<Err = ParseError> + fmt::Debug>(values: &[&str]) {
        for v in values {
            if let Ok(t) = v.parse::<T>() {
                panic!("`{v}` should be rejected, got {t:?}");
            }
        }
    }

    #[test]
    fn portfolio_id_is_1_to_100_chars_of_alnum_underscore_dash() {
        accepts::<PortfolioId>(&["port-2qwzkwxt3y5fk", "a", "A_b-9", &"x".repeat(100)]);
        rejects::<PortfolioId>(&[
            "",
            &"x".repeat(101),
            "port 1",
            "port/1",
            "port.1",
            "pört",
            "port-1\n",
        ]);
    }

    #[test]
    fn portfolio_id_error_names_the_rule() {
        let e = PortfolioId::parse("a b").unwrap_err();
        assert_eq!(
            e.for_field("PortfolioId").message(),
            "invalid value `a b` for `PortfolioId`: must contain only letters, digits, `_` and `-`"
        );
        let e = PortfolioId::parse("").unwrap_err();
        assert_eq!(e.rule(), "must be 1 to 100 characters long");
    }

    #[test]
    fn generated_portfolio_ids_are_port_and_13_lowercase_alphanumerics() {
        let mut rng = StdRng::seed_from_u64(7);
        for _ in 0..200 {
            let id = PortfolioId::generate(&mut rng);
            let rest = id.as_str().strip_prefix("port-").unwrap();
            assert_eq!(rest.len(), 13);
            assert!(rest.chars().all(is_lower_alnum), "{id}");
            assert_eq!(PortfolioId::parse(id.as_str()).unwrap(), id);
        }
    }

    #[test]
    fn generated_product_and_artifact_ids_are_prod_and_pa_and_13_lowercase_alphanumerics() {
        let mut rng = rand::rng();
        for _ in 0..100 {
            let id = ProductId::generate(&mut rng);
            let tail = id.as_str().strip_prefix("prod-").unwrap();
            assert_eq!(tail.len(), 13);
            assert!(tail.chars().all(is_lower_alnum));
            assert_eq!(ProductId::parse(id.as_str()).unwrap(), id);
            let view = ProductViewId::generate(&mut rng);
            let tail = view.as_str().strip_prefix("prodview-").unwrap();
            assert_eq!(tail.len(), 13);
            let pa = ProvisioningArtifactId::generate(&mut rng);
            let tail = pa.as_str().strip_prefix("pa-").unwrap();
            assert_eq!(tail.len(), 13);
            assert!(tail.chars().all(is_lower_alnum));
        }
        assert!(ProductId::parse("prod a").is_err());
    }

    #[test]
    fn generated_share_tokens_are_share_and_13_lowercase_alphanumerics() {
        let mut rng = StdRng::seed_from_u64(7);
        for _ in 0..200 {
            let t = PortfolioShareToken::generate(&mut rng);
            let rest = t.as_str().strip_prefix("share-").unwrap();
            assert_eq!(rest.len(), 13);
            assert!(rest.chars().all(is_lower_alnum), "{t}");
            assert_eq!(PortfolioShareToken::parse(t.as_str()).unwrap(), t);
        }
    }

    #[test]
    fn share_token_accepts_what_the_aws_id_shape_accepts() {
        accepts::<PortfolioShareToken>(&["share-6v24abcdefghi", "anything_Else-1"]);
        rejects::<PortfolioShareToken>(&["", "share 1", &"s".repeat(101)]);
    }

    #[test]
    fn account_id_is_exactly_12_digits() {
        accepts::<AccountId>(&["123456789012", "000000000000"]);
        rejects::<AccountId>(&[
            "",
            "12345678901",
            "1234567890123",
            "12345678901a",
            " 123456789012",
            "１２３４５６７８９０１２",
        ]);
    }

    #[test]
    fn generated_account_ids_are_valid() {
        let mut rng = StdRng::seed_from_u64(1);
        for _ in 0..100 {
            let a = AccountId::generate(&mut rng);
            assert_eq!(AccountId::parse(a.as_str()).unwrap(), a);
        }
    }

    #[test]
    fn organization_id_is_o_and_10_to_32_lowercase_alphanumerics() {
        accepts::<OrganizationId>(&[
            "o-abcdefghij",
            "o-0123456789",
            &format!("o-{}", "a".repeat(32)),
        ]);
        rejects::<OrganizationId>(&[
            "o-abcdefghi",
            &format!("o-{}", "a".repeat(33)),
            "o-ABCDEFGHIJ",
            "abcdefghij",
            "o_abcdefghij",
            "o-abcde-ghij",
        ]);
    }

    #[test]
    fn ou_id_is_ou_root_part_and_unit_part() {
        accepts::<OuId>(&[
            "ou-ab12-abcdefgh",
            &format!("ou-{}-{}", "a".repeat(32), "0".repeat(32)),
        ]);
        rejects::<OuId>(&[
            "ou-abc-abcdefgh",
            "ou-ab12-abcdefg",
            "ou-ab12",
            "ou-ab12-abcdefgh-x",
            "ou-AB12-abcdefgh",
            "ab12-abcdefgh",
            &format!("ou-ab12-{}", "a".repeat(33)),
        ]);
    }

    #[test]
    fn root_id_is_r_and_4_to_32_lowercase_alphanumerics() {
        accepts::<RootId>(&["r-ab12", &format!("r-{}", "z".repeat(32))]);
        rejects::<RootId>(&["r-ab1", "r-AB12", "ab12", &format!("r-{}", "z".repeat(33))]);
    }

    #[test]
    fn generated_organization_ids_are_valid_and_ous_reuse_the_root_suffix() {
        let mut rng = StdRng::seed_from_u64(3);
        let org = OrganizationId::generate(&mut rng);
        assert_eq!(OrganizationId::parse(org.as_str()).unwrap(), org);
        let root = RootId::generate(&mut rng);
        assert_eq!(RootId::parse(root.as_str()).unwrap(), root);
        let ou = OuId::generate(&root, &mut rng);
        assert_eq!(OuId::parse(ou.as_str()).unwrap(), ou);
        assert!(ou.as_str().starts_with(&format!("ou-{}-", root.suffix())));
        let car = CreateAccountRequestId::generate(&mut rng);
        assert_eq!(CreateAccountRequestId::parse(car.as_str()).unwrap(), car);
    }

    #[test]
    fn create_account_request_id_is_car_and_8_to_32_lowercase_alphanumerics() {
        accepts::<CreateAccountRequestId>(&["car-abcdefgh", &format!("car-{}", "1".repeat(32))]);
        rejects::<CreateAccountRequestId>(&["car-abcdefg", "car-ABCDEFGH", "abcdefgh"]);
    }

    #[test]
    fn region_is_lowercase_letters_digits_and_dashes() {
        accepts::<Region>(&["us-east-1", "eu-central-2", "local"]);
        rejects::<Region>(&["", "US-EAST-1", "us east 1", "-us-east-1", &"a".repeat(65)]);
    }

    #[test]
    fn partition_is_one_of_the_aws_partitions_and_the_matchers_type() {
        // The spellings themselves are pinned by the matcher's tests.
        for partition in Partition::ALL {
            let s = partition.as_str();
            assert_eq!(s.parse::<Partition>().unwrap(), partition);
            let json = serde_json::to_string(&partition).unwrap();
            assert_eq!(json, format!("\"{s}\""));
            assert_eq!(serde_json::from_str::<Partition>(&json).unwrap(), partition);
        }
        for s in ["", "AWS", "aws-x", "*"] {
            assert!(s.parse::<Partition>().is_err(), "{s}");
            assert!(serde_json::from_str::<Partition>(&format!("\"{s}\"")).is_err());
        }
        assert_eq!(Partition::default().as_str(), "aws");
        let principal =
            portcullis_matcher::PrincipalArn::parse("arn:aws-cn:iam::123456789012:role/R").unwrap();
        assert_eq!(principal.partition(), Partition::AwsCn);
    }

    #[test]
    fn page_token_is_at_most_2024_printable_chars() {
        accepts::<PageToken>(&["", "abc", "p=10", &"t".repeat(2024)]);
        rejects::<PageToken>(&[&"t".repeat(2025), "a\u{0}b", "\u{FFFE}"]);
    }

    #[test]
    fn service_principal_is_1_to_128_word_chars() {
        accepts::<ServicePrincipal>(&["servicecatalog.amazonaws.com", "a+b=c,d@e-f_g"]);
        rejects::<ServicePrincipal>(&["", "a b", "a/b", &"s".repeat(129)]);
        assert_eq!(
            ServicePrincipal::service_catalog().as_str(),
            "servicecatalog.amazonaws.com"
        );
    }

    #[test]
    fn page_size_is_0_to_100_and_max_results_1_to_20() {
        assert_eq!(PageSize::new(0).unwrap().get(), 0);
        assert_eq!(PageSize::new(100).unwrap().get(), 100);
        assert!(PageSize::new(101).is_err());
        assert!(PageSize::new(-1).is_err());
        assert!(PageSize::new(i64::MAX).is_err());
        assert_eq!(
            PageSize::new(101).unwrap_err().rule(),
            "must be between 0 and 100"
        );
        assert!(PageSize::organizations(0).is_err());
        assert_eq!(PageSize::organizations(20).unwrap().get(), 20);
        assert!(PageSize::organizations(21).is_err());
    }

    #[test]
    fn identifiers_serialize_as_strings_and_deserialize_validating() {
        let id = PortfolioId::parse("port-abc").unwrap();
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"port-abc\"");
        let back: PortfolioId = serde_json::from_str("\"port-abc\"").unwrap();
        assert_eq!(back, id);
        assert!(serde_json::from_str::<PortfolioId>("\"port abc\"").is_err());
        assert!(serde_json::from_str::<AccountId>("\"12\"").is_err());
        assert!(serde_json::from_str::<AccountId>("123456789012").is_err());
    }

    #[test]
    fn try_from_and_display_agree_with_parse() {
        let a = AccountId::try_from("123456789012").unwrap();
        assert_eq!(a.to_string(), "123456789012");
        assert_eq!(
            AccountId::try_from(String::from("123456789012")).unwrap(),
            a
        );
        assert!(AccountId::try_from(String::from("x")).is_err());
        assert_eq!(a.clone().into_string(), "123456789012");
        assert_eq!(a.as_ref(), "123456789012");
    }
}

/// The four-character prefixes of IAM unique ids: users, groups, roles.
pub const PRINCIPAL_ID_PREFIXES: [&str; 3] = ["AIDA", "AGPA", "AROA"];

fn check_principal_id(s: &str) -> Result<(), &'static str> {
    let rest = PRINCIPAL_ID_PREFIXES
        .iter()
        .find_map(|prefix| s.strip_prefix(prefix));
    match rest {
        Some(rest)
            if rest.len() == 17
                && rest
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()) =>
        {
            Ok(())
        }
        _ => Err("must be `AIDA`, `AGPA` or `AROA` followed by 17 upper-case letters or digits"),
    }
}

string_id!(
    /// The unique id of an IAM user (`AIDA…`), group (`AGPA…`) or role (`AROA…`): the prefix and
    /// 17 upper-case letters or digits (SPEC §4.4). Never reused, even after the principal is
    /// deleted.
    PrincipalId,
    "IAM unique id",
    check_principal_id
);

impl PrincipalId {
    /// A fresh id with `prefix` (one of [`PRINCIPAL_ID_PREFIXES`]) and 17 random upper-case
    /// letters and digits.
    pub fn generate<R: Rng + ?Sized>(rng: &mut R, prefix: &str) -> PrincipalId {
        let tail: String = (0..17)
            .map(|_| {
                char::from_digit(rng.random_range(0..36), 36)
                    .unwrap_or('0')
                    .to_ascii_uppercase()
            })
            .collect();
        PrincipalId(format!("{prefix}{tail}"))
    }

    /// The four-character prefix (`AIDA`, `AGPA` or `AROA`).
    pub fn prefix(&self) -> &str {
        self.0.get(..4).unwrap_or_default()
    }
}

#[cfg(test)]
mod principal_id_tests {
    use super::*;

    #[test]
    fn principal_ids_are_a_prefix_and_17_upper_case_letters_or_digits() {
        let mut rng = rand::rng();
        for prefix in PRINCIPAL_ID_PREFIXES {
            let id = PrincipalId::generate(&mut rng, prefix);
            assert_eq!(id.as_str().len(), 21);
            assert_eq!(id.prefix(), prefix);
            assert_eq!(PrincipalId::parse(id.as_str()).unwrap(), id);
        }
        for bad in [
            "AIDA",
            "AKIAABCDEFGHIJKLMNOPQ",
            "AIDAabcdefghijklmnopq",
            "AIDAABCDEFGHIJKLMNOP",
            "AIDAABCDEFGHIJKLMNOPQR",
            "arn:aws:iam::111122223333:user/x",
        ] {
            assert!(PrincipalId::parse(bad).is_err(), "{bad}");
        }
    }
}
