//! Clock times, calendar dates and money as they appear in trip requests.

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A time of day, written `HH:MM` (`24:00` = the end of the day), held as minutes after midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClockTime(pub u16);

impl ClockTime {
    /// Minutes after midnight.
    pub fn minutes(self) -> u16 {
        self.0
    }
}

impl fmt::Display for ClockTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

impl FromStr for ClockTime {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("{s:?} is not a time of day; write HH:MM, e.g. \"09:30\"");
        let (h, m) = s.trim().split_once(':').ok_or_else(bad)?;
        let (h, m): (u16, u16) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
        if m >= 60 || h > 24 || (h == 24 && m > 0) {
            return Err(bad());
        }
        Ok(ClockTime(h * 60 + m))
    }
}

impl Serialize for ClockTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ClockTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for ClockTime {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ClockTime".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$",
            "description": "time of day, HH:MM"
        })
    }
}

/// A calendar date, written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year.
    pub year: i32,
    /// Month, 1–12.
    pub month: u32,
    /// Day of the month, 1–31.
    pub day: u32,
}

impl Date {
    fn days_in_month(year: i32, month: u32) -> u32 {
        match month {
            4 | 6 | 9 | 11 => 30,
            2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
            2 => 28,
            _ => 31,
        }
    }

    /// Days since 1970-01-01 (proleptic Gregorian calendar).
    pub fn days_since_epoch(self) -> i64 {
        let (y, m) = if self.month <= 2 {
            (i64::from(self.year) - 1, self.month + 9)
        } else {
            (i64::from(self.year), self.month - 3)
        };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * i64::from(m) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// Day of the week, Monday = 0.
    pub fn weekday(self) -> usize {
        // 1970-01-01 was a Thursday (3).
        (self.days_since_epoch() + 3).rem_euclid(7) as usize
    }

    /// The date `n` days later.
    pub fn plus_days(self, n: u32) -> Date {
        let mut d = self;
        for _ in 0..n {
            if d.day < Self::days_in_month(d.year, d.month) {
                d.day += 1;
            } else if d.month < 12 {
                d = Date { year: d.year, month: d.month + 1, day: 1 };
            } else {
                d = Date { year: d.year + 1, month: 1, day: 1 };
            }
        }
        d
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("{s:?} is not a date; write YYYY-MM-DD, e.g. \"2026-06-05\"");
        let mut parts = s.trim().split('-');
        let (Some(y), Some(m), Some(d), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
            return Err(bad());
        };
        let (year, month, day): (i32, u32, u32) =
            (y.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?, d.parse().map_err(|_| bad())?);
        if !(1900..=2200).contains(&year)
            || !(1..=12).contains(&month)
            || day == 0
            || day > Self::days_in_month(year, month)
        {
            return Err(bad());
        }
        Ok(Date { year, month, day })
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "string", "format": "date", "description": "calendar date, YYYY-MM-DD"})
    }
}

/// An amount of money in minor units (cents). Written in files as a number of major units
/// (`12.5` = 12.50), rounded to the cent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(pub i64);

/// Largest amount a request may name (ten million).
pub const MAX_MONEY_CENTS: i64 = 1_000_000_000;

impl Money {
    /// Cents.
    pub fn cents(self) -> i64 {
        self.0
    }

    /// An amount given in major units (`12.5` = 12.50), rounded to the cent; `None` when it is
    /// not finite or beyond ten million either way.
    pub fn from_units(amount: f64) -> Option<Money> {
        (amount.is_finite() && amount.abs() * 100.0 <= MAX_MONEY_CENTS as f64)
            .then(|| Money((amount * 100.0).round() as i64))
    }

    /// In major units (for printing at a chosen precision, and for JSON).
    pub fn units(self) -> f64 {
        self.0 as f64 / 100.0
    }

    /// This amount `n` times (a price for a party, per room, per night).
    pub fn times(self, n: i64) -> Money {
        Money(self.0.saturating_mul(n))
    }

    /// Rounded up to whole units (a budget a plan of this cost fits in).
    pub fn round_up_to_units(self) -> Money {
        Money((self.0 + 99).div_euclid(100) * 100)
    }

    /// Whole units without decimals (`1500`), else with cents (`1234.50`).
    pub fn short(self) -> String {
        if self.0 % 100 == 0 {
            (self.0 / 100).to_string()
        } else {
            self.to_string()
        }
    }
}

impl std::ops::Add for Money {
    type Output = Money;

    fn add(self, other: Money) -> Money {
        Money(self.0.saturating_add(other.0))
    }
}

impl std::ops::AddAssign for Money {
    fn add_assign(&mut self, other: Money) {
        *self = *self + other;
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money(0), |a, b| a + b)
    }
}

impl FromStr for Money {
    type Err = String;

    /// An amount in major units (`1500`, `12.5`, `1,021.00`: thousands separators allowed).
    fn from_str(s: &str) -> Result<Self, String> {
        let plain = s.trim().replace(',', "");
        plain
            .parse::<f64>()
            .ok()
            .and_then(Money::from_units)
            .ok_or_else(|| format!("{s:?} is not an amount of money (at most 10,000,000)"))
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        write!(f, "{sign}{}.{:02}", self.0.abs() / 100, self.0.abs() % 100)
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.0 as f64 / 100.0)
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let amount = f64::deserialize(d)?;
        Money::from_units(amount).ok_or_else(|| {
            serde::de::Error::custom(format!("{amount} is not a usable amount of money (at most 10,000,000)"))
        })
    }
}

impl JsonSchema for Money {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Money".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "number", "description": "amount in major currency units, e.g. 12.5"})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_reads_adds_and_prints() {
        assert_eq!("1,021.0".parse::<Money>(), Ok(Money(102_100)));
        assert_eq!("12.5".parse::<Money>(), Ok(Money(1250)));
        assert!("ten".parse::<Money>().is_err());
        assert!("1e12".parse::<Money>().is_err());
        assert_eq!(Money::from_units(f64::NAN), None);
        assert_eq!([Money(150), Money(250)].into_iter().sum::<Money>(), Money(400));
        assert_eq!(Money(5700).times(3), Money(17_100));
        assert_eq!((Money(150_000).short(), Money(123_450).short()), ("1500".to_string(), "1234.50".to_string()));
        assert_eq!(Money(-5).to_string(), "-0.05");
    }

    #[test]
    fn clock_times() {
        assert_eq!("09:30".parse::<ClockTime>(), Ok(ClockTime(570)));
        assert_eq!("24:00".parse::<ClockTime>(), Ok(ClockTime(1440)));
        assert!("24:01".parse::<ClockTime>().is_err());
        assert!("9h30".parse::<ClockTime>().is_err());
        assert!("12:60".parse::<ClockTime>().is_err());
        assert_eq!(ClockTime(545).to_string(), "09:05");
    }

    #[test]
    fn dates_and_weekdays() {
        let d: Date = "2026-11-26".parse().unwrap();
        assert_eq!(d.weekday(), 3, "a Thursday");
        assert_eq!("2024-06-03".parse::<Date>().unwrap().weekday(), 0, "a Monday");
        assert_eq!("2024-02-28".parse::<Date>().unwrap().plus_days(2).to_string(), "2024-03-01");
        assert_eq!("2025-12-31".parse::<Date>().unwrap().plus_days(1).to_string(), "2026-01-01");
        assert!("2025-02-29".parse::<Date>().is_err());
        assert!("2025-13-01".parse::<Date>().is_err());
        assert!("yesterday".parse::<Date>().is_err());
    }

    #[test]
    fn money_in_cents() {
        let m: Money = serde_json::from_str("12.345").unwrap();
        assert_eq!(m, Money(1235));
        assert_eq!(m.to_string(), "12.35");
        assert!(serde_json::from_str::<Money>("1e12").is_err());
        assert_eq!(serde_json::to_string(&Money(250)).unwrap(), "2.5");
    }
}
