//! AWS partitions: the one table of them, and which partition a region belongs to.

use std::fmt;
use std::str::FromStr;

/// An AWS partition: the first field of every ARN, and the group of regions a resource lives in.
///
/// This is the one list of partitions: principal ARNs and patterns accept exactly these
/// ([`crate::ArnErrorKind::UnknownPartition`] otherwise), and the rest of portcullis uses this
/// type rather than strings. The default is [`Partition::Aws`].
///
/// ```
/// use portcullis_matcher::Partition;
///
/// let partition: Partition = "aws-us-gov".parse()?;
/// assert_eq!(partition, Partition::AwsUsGov);
/// assert_eq!(partition.to_string(), "aws-us-gov");
/// assert_eq!(Partition::from_region("cn-northwest-1"), Partition::AwsCn);
/// assert_eq!(Partition::from_region("eu-isoe-west-1"), Partition::AwsIsoE);
/// assert_eq!(Partition::from_region("local"), Partition::Aws);
/// assert!("aws-mars".parse::<Partition>().is_err());
/// # Ok::<(), portcullis_matcher::ParsePartitionError>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Partition {
    /// `aws`: the commercial regions.
    #[default]
    Aws,
    /// `aws-cn`: the China regions.
    AwsCn,
    /// `aws-us-gov`: AWS GovCloud (US).
    AwsUsGov,
    /// `aws-iso`: AWS ISO (US).
    AwsIso,
    /// `aws-iso-b`: AWS ISOB (US).
    AwsIsoB,
    /// `aws-iso-e`: AWS ISOE (Europe).
    AwsIsoE,
    /// `aws-iso-f`: AWS ISOF (US).
    AwsIsoF,
    /// `aws-eusc`: the AWS European Sovereign Cloud.
    AwsEusc,
}

/// The region-name prefix of each partition but `aws`, which holds every other region.
///
/// From the `regionRegex` of each partition in the endpoint data AWS's SDKs share (botocore's
/// `botocore/data/partitions.json`; aws-sdk-js-v3's
/// `packages/util-endpoints/src/lib/aws/partitions.json`, which also lists `aws-eusc`):
/// `^cn\-\w+\-\d+$`, `^us\-gov\-\w+\-\d+$`, `^us\-iso\-\w+\-\d+$`, `^us\-isob\-\w+\-\d+$`,
/// `^eu\-isoe\-\w+\-\d+$`, `^us\-isof\-\w+\-\d+$` and `^eusc\-(de)\-\w+\-\d+$`. No prefix is a
/// prefix of another (`us-iso-` does not start `us-isob-east-1`), so the order does not matter.
const REGION_PREFIXES: [(&str, Partition); 7] = [
    ("cn-", Partition::AwsCn),
    ("us-gov-", Partition::AwsUsGov),
    ("us-iso-", Partition::AwsIso),
    ("us-isob-", Partition::AwsIsoB),
    ("eu-isoe-", Partition::AwsIsoE),
    ("us-isof-", Partition::AwsIsoF),
    ("eusc-", Partition::AwsEusc),
];

impl Partition {
    /// Every partition, `aws` first.
    pub const ALL: [Partition; 8] = [
        Partition::Aws,
        Partition::AwsCn,
        Partition::AwsUsGov,
        Partition::AwsIso,
        Partition::AwsIsoB,
        Partition::AwsIsoE,
        Partition::AwsIsoF,
        Partition::AwsEusc,
    ];

    /// The partition as written in an ARN.
    pub const fn as_str(self) -> &'static str {
        match self {
            Partition::Aws => "aws",
            Partition::AwsCn => "aws-cn",
            Partition::AwsUsGov => "aws-us-gov",
            Partition::AwsIso => "aws-iso",
            Partition::AwsIsoB => "aws-iso-b",
            Partition::AwsIsoE => "aws-iso-e",
            Partition::AwsIsoF => "aws-iso-f",
            Partition::AwsEusc => "aws-eusc",
        }
    }

    /// The partition written `s` in an ARN, if it is one.
    pub fn parse(s: &str) -> Result<Partition, ParsePartitionError> {
        Partition::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| ParsePartitionError { input: s.into() })
    }

    /// The partition a region belongs to: `cn-*` → `aws-cn`, `us-gov-*` → `aws-us-gov`,
    /// `us-iso-*` → `aws-iso`, `us-isob-*` → `aws-iso-b`, `eu-isoe-*` → `aws-iso-e`,
    /// `us-isof-*` → `aws-iso-f`, `eusc-*` → `aws-eusc`, and anything else (including names that
    /// are not AWS regions, such as `local`) → `aws`. The SDKs' global pseudo-regions
    /// `{partition}-global` (`aws-cn-global`, ...) belong to their partition.
    ///
    /// The prefixes are those of AWS's endpoint data (see the table in the source).
    pub fn from_region(region: &str) -> Partition {
        if let Some(partition) = region
            .strip_suffix("-global")
            .and_then(|p| Partition::parse(p).ok())
        {
            return partition;
        }
        REGION_PREFIXES
            .into_iter()
            .find(|(prefix, _)| region.starts_with(prefix))
            .map_or(Partition::Aws, |(_, partition)| partition)
    }
}

impl fmt::Display for Partition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Partition {
    type Err = ParsePartitionError;

    fn from_str(s: &str) -> Result<Partition, ParsePartitionError> {
        Partition::parse(s)
    }
}

impl AsRef<str> for Partition {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

/// A string that names no [`Partition`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsePartitionError {
    input: Box<str>,
}

impl ParsePartitionError {
    /// The string that was rejected.
    pub fn input(&self) -> &str {
        &self.input
    }
}

/// The accepted partitions, for error messages: "`aws`, `aws-cn`, ... or `aws-eusc`".
pub(crate) struct PartitionList;

impl fmt::Display for PartitionList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let last = Partition::ALL.len() - 1;
        for (i, partition) in Partition::ALL.into_iter().enumerate() {
            let separator = match i {
                0 => "",
                i if i == last => " or ",
                _ => ", ",
            };
            write!(f, "{separator}`{partition}`")?;
        }
        Ok(())
    }
}

impl fmt::Display for ParsePartitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown partition `{}`: must be one of {PartitionList}",
            self.input
        )
    }
}

impl std::error::Error for ParsePartitionError {}

#[cfg(feature = "serde")]
impl serde::Serialize for Partition {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Partition {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Partition, D::Error> {
        struct Visitor;

        impl serde::de::Visitor<'_> for Visitor {
            type Value = Partition;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "one of {PartitionList}")
            }

            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Partition, E> {
                Partition::parse(s).map_err(E::custom)
            }
        }

        deserializer.deserialize_str(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_partition_parses_from_and_displays_as_its_arn_spelling() {
        let spellings = [
            "aws",
            "aws-cn",
            "aws-us-gov",
            "aws-iso",
            "aws-iso-b",
            "aws-iso-e",
            "aws-iso-f",
            "aws-eusc",
        ];
        assert_eq!(Partition::ALL.map(Partition::as_str), spellings);
        for partition in Partition::ALL {
            assert_eq!(partition.as_str().parse::<Partition>(), Ok(partition));
            assert_eq!(partition.to_string(), partition.as_str());
        }
        assert_eq!(Partition::default(), Partition::Aws);
    }

    #[test]
    fn unknown_partitions_are_rejected_with_the_accepted_list() {
        for s in ["", "AWS", "aws-x", "aws-iso-c", "*", "aws "] {
            let err = s.parse::<Partition>().unwrap_err();
            assert_eq!(err.input(), s);
        }
        assert_eq!(
            Partition::parse("aws-mars").unwrap_err().to_string(),
            "unknown partition `aws-mars`: must be one of `aws`, `aws-cn`, `aws-us-gov`, \
             `aws-iso`, `aws-iso-b`, `aws-iso-e`, `aws-iso-f` or `aws-eusc`"
        );
    }

    #[test]
    fn every_partition_has_regions_that_map_to_it() {
        // Real region names of each partition (AWS's endpoint data), and its global pseudo-region.
        let cases = [
            (
                Partition::Aws,
                &["us-east-1", "eu-central-2", "il-central-1", "mx-central-1"][..],
            ),
            (Partition::AwsCn, &["cn-north-1", "cn-northwest-1"]),
            (Partition::AwsUsGov, &["us-gov-east-1", "us-gov-west-1"]),
            (Partition::AwsIso, &["us-iso-east-1", "us-iso-west-1"]),
            (Partition::AwsIsoB, &["us-isob-east-1", "us-isob-west-1"]),
            (Partition::AwsIsoE, &["eu-isoe-west-1"]),
            (Partition::AwsIsoF, &["us-isof-east-1", "us-isof-south-1"]),
            (Partition::AwsEusc, &["eusc-de-east-1"]),
        ];
        assert_eq!(cases.map(|(p, _)| p), Partition::ALL);
        for (partition, regions) in cases {
            for region in regions {
                assert_eq!(Partition::from_region(region), partition, "{region}");
            }
            let global = format!("{partition}-global");
            assert_eq!(Partition::from_region(&global), partition, "{global}");
        }
    }

    #[cfg(feature = "serde")]
    #[test]
    fn serde_uses_the_arn_spelling() {
        use serde::Deserialize;
        use serde::de::value::{Error, StrDeserializer};

        for partition in Partition::ALL {
            let de = StrDeserializer::<Error>::new(partition.as_str());
            assert_eq!(Partition::deserialize(de), Ok(partition));
            let value = toml::Value::try_from(partition).unwrap();
            assert_eq!(value.as_str(), Some(partition.as_str()));
        }
        let err = Partition::deserialize(StrDeserializer::<Error>::new("aws-x")).unwrap_err();
        assert!(
            err.to_string().contains("unknown partition `aws-x`"),
            "{err}"
        );
    }

    #[test]
    fn regions_outside_every_other_partition_are_aws() {
        for region in [
            "local",
            "",
            "us-east-1",
            "eu-west-1",
            "eu-iso-west-1",
            "cn",
            "us-isoz-1",
        ] {
            assert_eq!(Partition::from_region(region), Partition::Aws, "{region}");
        }
    }
}
