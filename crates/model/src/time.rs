//! Timestamps as AWS's protocols put them on the wire: epoch seconds as a JSON number (AWS JSON
//! 1.1), or as CBOR tag 1 around the number (Smithy RPC v2 CBOR, with the `cbor` feature).

use std::time::{SystemTime, UNIX_EPOCH};

/// A point in time with millisecond precision. Serializes as epoch seconds (a JSON number with a
/// fraction), the AWS JSON 1.1 timestamp format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Timestamp(i64);

impl Timestamp {
    /// The current time (the Unix epoch if the clock reads earlier).
    pub fn now() -> Timestamp {
        let millis = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
            .unwrap_or(0);
        Timestamp(millis)
    }

    /// The time `millis` milliseconds after the Unix epoch.
    pub fn from_epoch_millis(millis: i64) -> Timestamp {
        Timestamp(millis)
    }

    /// Milliseconds since the Unix epoch.
    pub fn epoch_millis(self) -> i64 {
        self.0
    }

    /// Seconds since the Unix epoch, as on the wire.
    pub fn epoch_seconds(self) -> f64 {
        self.0 as f64 / 1000.0
    }

    /// The time `seconds` after the Unix epoch, rounded to the millisecond; `None` if not finite
    /// or out of range.
    pub fn from_epoch_seconds(seconds: f64) -> Option<Timestamp> {
        let millis = (seconds * 1000.0).round();
        // i64::MAX as f64 rounds up to 2^63, hence the strict upper bound.
        (millis.is_finite() && millis >= i64::MIN as f64 && millis < i64::MAX as f64)
            .then_some(Timestamp(millis as i64))
    }
}

impl Timestamp {
    /// The time in ISO 8601 UTC with milliseconds, `2024-05-01T12:30:00.123Z`: the timestamp
    /// format of the AWS Query protocol (IAM, STS).
    pub fn iso8601(self) -> String {
        let seconds = self.0.div_euclid(1000);
        let millis = self.0.rem_euclid(1000);
        let days = seconds.div_euclid(86_400);
        let in_day = seconds.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        format!(
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{millis:03}Z",
            in_day / 3600,
            in_day % 3600 / 60,
            in_day % 60
        )
    }
}

/// The proleptic Gregorian date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Serializes a [`Timestamp`] as [`Timestamp::iso8601`] (for `#[serde(serialize_with)]` in the
/// AWS Query shapes).
pub fn serialize_iso8601<S: serde::Serializer>(t: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&t.iso8601())
}

impl serde::Serialize for Timestamp {
    /// Epoch seconds; in a format that is not human-readable (CBOR), with the `cbor` feature, as
    /// CBOR tag 1 (epoch-based date/time) around them.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[cfg(feature = "cbor")]
        if !s.is_human_readable() {
            return serde::Serialize::serialize(
                &ciborium::tag::Required::<f64, 1>(self.epoch_seconds()),
                s,
            );
        }
        s.serialize_f64(self.epoch_seconds())
    }
}

impl<'de> serde::Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
        let seconds = f64::deserialize(d)?;
        Timestamp::from_epoch_seconds(seconds)
            .ok_or_else(|| serde::de::Error::custom("timestamp out of range"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_epoch_seconds_numbers_on_the_wire() {
        let t = Timestamp::from_epoch_millis(1_700_000_000_123);
        assert_eq!(serde_json::to_string(&t).unwrap(), "1700000000.123");
        assert_eq!(
            serde_json::from_str::<Timestamp>("1700000000.123").unwrap(),
            t
        );
        assert_eq!(
            serde_json::from_str::<Timestamp>("1700000000").unwrap(),
            Timestamp::from_epoch_millis(1_700_000_000_000)
        );
        assert!(serde_json::from_str::<Timestamp>("\"2024-01-01\"").is_err());
        assert!(serde_json::from_str::<Timestamp>("1e300").is_err());
    }

    #[cfg(feature = "cbor")]
    #[test]
    fn timestamps_are_tag_1_epoch_seconds_in_cbor() {
        let t = Timestamp::from_epoch_millis(1_700_000_000_123);
        let mut bytes = Vec::new();
        ciborium::ser::into_writer(&t, &mut bytes).unwrap();
        // 0xc1: tag 1; 0xfb: a double.
        let mut expected = vec![0xc1, 0xfb];
        expected.extend_from_slice(&1_700_000_000.123f64.to_be_bytes());
        assert_eq!(bytes, expected);
    }

    #[test]
    fn iso8601_is_utc_with_milliseconds() {
        assert_eq!(
            Timestamp::from_epoch_millis(0).iso8601(),
            "1970-01-01T00:00:00.000Z"
        );
        assert_eq!(
            Timestamp::from_epoch_millis(1_700_000_000_123).iso8601(),
            "2023-11-14T22:13:20.123Z"
        );
        assert_eq!(
            Timestamp::from_epoch_millis(951_782_400_000).iso8601(),
            "2000-02-29T00:00:00.000Z"
        );
    }

    #[test]
    fn now_is_after_2020() {
        assert!(Timestamp::now().epoch_seconds() > 1_577_836_800.0);
    }
}
