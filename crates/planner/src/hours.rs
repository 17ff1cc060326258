//! Opening hours on the trip's own dates.
//!
//! A place's hours are an OSM `opening_hours` expression: its own tag, or, when it has none that
//! parses, the documented default of its kind ([`default_hours`]). The expression is evaluated
//! on each date of the trip with the public holidays of the region's country (`PH off` and dated
//! rules such as `Dec 25 off` apply), giving the open intervals the solvers plan with
//! ([`TripHours`]). A request without a start date is planned on the reference week
//! ([`REFERENCE_MONDAY`], a June week) without public holidays.
//!
//! The checker asks the same expression a different question ([`open_throughout`]: is the
//! place open at the start, and does its state not change before the end?), through the
//! parser's state queries rather than the interval listing the solvers use.

use crate::time::Date;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
pub use opening_hours::localization::Country;
use opening_hours::{Context, OpeningHours, RuleKind};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use tripsmith_model::{Category, MinuteRange};

/// The Monday of the week a request without a start date is planned on.
pub const REFERENCE_MONDAY: Date = Date { year: 2026, month: 6, day: 8 };

/// The open intervals of one place on each day of the trip (index 0 = day 1), minutes after
/// midnight, sorted and disjoint.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TripHours {
    /// Intervals per trip day.
    pub days: Vec<Vec<MinuteRange>>,
}

impl TripHours {
    /// The intervals of day `d` (0-based); none past the trip's end.
    pub fn on(&self, d: usize) -> &[MinuteRange] {
        self.days.get(d).map(Vec::as_slice).unwrap_or_default()
    }

    /// Whether the place is open from `start` to `end` (minutes) on day `d`.
    pub fn open_during(&self, d: usize, start: u16, end: u16) -> bool {
        self.on(d).iter().any(|r| r.start <= start && end <= r.end)
    }
}

/// Where a place's hours come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum HoursOrigin {
    /// Its own `opening_hours` tag.
    Tagged,
    /// The default of its kind (no tag, or one that does not parse).
    Default,
}

/// OSM tags of places visited for a performance (a show, a concert): in the evening.
pub const PERFORMANCE_VENUES: [&str; 2] = ["amenity=theatre", "amenity=concert_hall"];

/// The hours a place is planned with when OSM gives none: an `opening_hours` expression by
/// category (and, for performance venues, by their OSM `tag`), or `None` for places without
/// hours (lodgings, services). The same table is in the README ("Opening hours on the trip's
/// dates").
pub fn default_hours(category: Category, tag: &str) -> Option<&'static str> {
    if PERFORMANCE_VENUES.contains(&tag) {
        return Some("19:00-23:00");
    }
    Some(match category {
        Category::Museum | Category::Art | Category::Attraction => "10:00-18:00; Jan 1,Dec 25 off",
        Category::Historic | Category::Religion => "09:00-18:00",
        Category::Park | Category::Nature | Category::Viewpoint => "Apr-Sep 08:00-20:00; Oct-Mar 08:00-18:00",
        Category::Culture => "10:00-23:00",
        Category::Shopping => "Mo-Sa 10:00-19:00; PH off",
        Category::Sport => "09:00-21:00",
        Category::Restaurant => "12:00-14:30,19:00-22:30",
        Category::Cafe => "08:00-18:00",
        Category::FastFood => "11:00-22:00",
        Category::Bar => "17:00-24:00",
        Category::Nightlife => "22:00-04:00",
        Category::Lodging
        | Category::Information
        | Category::Transport
        | Category::Health
        | Category::Service
        | Category::Education => return None,
    })
}

/// The dates of a trip of `days` days from `start` (or the reference week without one).
pub fn trip_dates(start: Option<Date>, days: u32) -> Vec<Date> {
    let first = start.unwrap_or(REFERENCE_MONDAY);
    (0..days).map(|d| first.plus_days(d)).collect()
}

fn naive(date: Date) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(date.year, date.month, date.day)
}

/// Parses an expression with the public holidays of `country` (ISO code) when the trip has
/// real dates; `None` when it does not parse.
pub fn parse(expression: &str, country: Option<&str>, dated: bool) -> Option<OpeningHours> {
    let parsed = std::panic::catch_unwind(|| expression.parse::<OpeningHours>()).ok()?.ok()?;
    let holidays = country.filter(|_| dated).and_then(|c| c.parse::<Country>().ok()).map(Country::holidays);
    Some(match holidays {
        Some(h) => parsed.with_context(Context::default().with_holidays(h)),
        None => parsed,
    })
}

/// The open intervals of `hours` on each of `dates`.
pub fn trip_hours(hours: &OpeningHours, dates: &[Date]) -> TripHours {
    TripHours { days: dates.iter().map(|&d| open_intervals(hours, d)).collect() }
}

fn open_intervals(hours: &OpeningHours, date: Date) -> Vec<MinuteRange> {
    let Some(day) = naive(date).map(|d| d.and_time(NaiveTime::MIN)) else { return Vec::new() };
    let next = day + chrono::Duration::days(1);
    let mut out: Vec<MinuteRange> = Vec::new();
    let ranges = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        hours.iter_range(day, next).filter(|r| r.kind == RuleKind::Open).map(|r| r.range).collect::<Vec<_>>()
    }));
    for range in ranges.unwrap_or_default() {
        let minute = |t: NaiveDateTime| (t - day).num_minutes().clamp(0, 1440) as u16;
        let (start, end) = (minute(range.start.max(day)), minute(range.end.min(next)));
        if start >= end {
            continue;
        }
        match out.last_mut() {
            Some(last) if last.end >= start => last.end = last.end.max(end),
            _ => out.push(MinuteRange { start, end }),
        }
    }
    out
}

/// Whether a place with `hours` is open on `date` from minute `start` to minute `end`
/// (the checker's question: open at the start, and no change of state before the end).
pub fn open_throughout(hours: &OpeningHours, date: Date, start: u16, end: u16) -> bool {
    let Some(day) = naive(date).map(|d| d.and_time(NaiveTime::MIN)) else { return false };
    let at = day + chrono::Duration::minutes(i64::from(start));
    let until = day + chrono::Duration::minutes(i64::from(end));
    let answer = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        hours.is_open(at) && hours.next_change(at).is_none_or(|change| change >= until)
    }));
    answer.unwrap_or(false)
}

/// Categories of outdoor sights, visited only between sunrise and sunset.
pub const OUTDOOR: [Category; 3] = [Category::Park, Category::Nature, Category::Viewpoint];

/// Sunrise to sunset at `location` on `date`, in minutes after local midnight in `timezone` (an
/// IANA name such as `Europe/Monaco`); `None` for an unknown time zone, or when the sun does not
/// rise or set that day (polar day or night).
pub fn daylight(location: tripsmith_model::LatLon, date: Date, timezone: &str) -> Option<MinuteRange> {
    use chrono::{Offset, TimeZone};
    let zone: chrono_tz::Tz = timezone.parse().ok()?;
    let day = naive(date)?;
    let coordinates = sunrise::Coordinates::new(location.lat, location.lon)?;
    let solar = sunrise::SolarDay::new(coordinates, day);
    let local = |event: sunrise::SolarEvent| -> Option<u16> {
        let utc = solar.event_time(event)?;
        let offset = zone.offset_from_utc_datetime(&utc.naive_utc()).fix().local_minus_utc();
        let local = utc.naive_utc() + chrono::Duration::seconds(i64::from(offset));
        let minutes = (local - day.and_time(NaiveTime::MIN)).num_minutes();
        (0..=1440).contains(&minutes).then_some(minutes as u16)
    };
    let (rise, set) = (local(sunrise::SolarEvent::Sunrise)?, local(sunrise::SolarEvent::Sunset)?);
    (rise < set).then_some(MinuteRange { start: rise, end: set })
}

/// iCalendar's UTC date-time form, `YYYYMMDDTHHMMSSZ`.
const UTC_STAMP: &str = "%Y%m%dT%H%M%SZ";

/// `minute` (after local midnight) of `date` in `timezone` (an IANA name) as UTC, written
/// `YYYYMMDDTHHMMSSZ` (iCalendar's UTC form); `None` for an unknown time zone or a local time
/// the clocks skip. An hour the clocks repeat reads as its first occurrence.
pub fn utc_stamp(date: Date, minute: u16, timezone: &str) -> Option<String> {
    use chrono::TimeZone;
    let zone: chrono_tz::Tz = timezone.parse().ok()?;
    let local = naive(date)?.and_time(NaiveTime::MIN) + chrono::Duration::minutes(i64::from(minute));
    let utc = zone.from_local_datetime(&local).earliest()?.naive_utc();
    Some(utc.format(UTC_STAMP).to_string())
}

/// Now, written as [`utc_stamp`] writes (an iCalendar `DTSTAMP`).
pub fn utc_stamp_now() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    chrono::DateTime::from_timestamp(secs as i64, 0).unwrap_or_default().format(UTC_STAMP).to_string()
}

/// `hours` cut to daylight on each date (for an outdoor sight).
pub fn within_daylight(
    hours: TripHours,
    location: tripsmith_model::LatLon,
    dates: &[Date],
    timezone: &str,
) -> TripHours {
    let days = hours
        .days
        .into_iter()
        .zip(dates)
        .map(|(ranges, &date)| match daylight(location, date, timezone) {
            None => ranges,
            Some(sun) => ranges
                .into_iter()
                .filter_map(|r| {
                    let (start, end) = (r.start.max(sun.start), r.end.min(sun.end));
                    (start < end).then_some(MinuteRange { start, end })
                })
                .collect(),
        })
        .collect();
    TripHours { days }
}

/// A date in words: `25 December 2026`.
pub fn date_in_words(date: Date) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    format!("{} {} {}", date.day, MONTHS[(date.month as usize).clamp(1, 12) - 1], date.year)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn dated_rules_and_holidays_close_a_place() {
        let museum = "Oct-Mar 10:00-18:00; Apr-Jun,Sep 10:00-19:00; Jul-Aug 10:00-20:00; Dec 25 off";
        let h = parse(museum, Some("MC"), true).unwrap();
        let days = trip_hours(&h, &trip_dates(Some(date("2026-12-24")), 3));
        assert_eq!(days.on(0), [MinuteRange { start: 600, end: 1080 }]);
        assert!(days.on(1).is_empty(), "closed on Christmas day");
        assert!(!open_throughout(&h, date("2026-12-25"), 660, 720));
        assert!(open_throughout(&h, date("2026-12-26"), 660, 720));
        assert!(!open_throughout(&h, date("2026-12-26"), 1000, 1100), "closes at 18:00 in winter");
        let summer = trip_hours(&h, &trip_dates(Some(date("2026-07-14")), 1));
        assert_eq!(summer.on(0), [MinuteRange { start: 600, end: 1200 }]);
    }

    #[test]
    fn a_theatre_without_hours_is_a_performance_in_the_evening() {
        assert_eq!(default_hours(Category::Culture, "amenity=theatre"), Some("19:00-23:00"));
        assert_eq!(default_hours(Category::Culture, "amenity=concert_hall"), Some("19:00-23:00"));
        assert_eq!(default_hours(Category::Culture, "amenity=arts_centre"), Some("10:00-23:00"));
        assert_eq!(default_hours(Category::Service, "amenity=theatre"), Some("19:00-23:00"));
        assert_eq!(default_hours(Category::Service, "amenity=toilets"), None);
    }

    #[test]
    fn local_times_become_utc_across_summer_time() {
        // Monaco: UTC+2 in summer, UTC+1 in winter; 02:30 on 29 March 2026 does not exist.
        assert_eq!(utc_stamp(date("2026-09-16"), 9 * 60 + 23, "Europe/Monaco").as_deref(), Some("20260916T072300Z"));
        assert_eq!(utc_stamp(date("2026-12-24"), 0, "Europe/Monaco").as_deref(), Some("20261223T230000Z"));
        assert_eq!(utc_stamp(date("2026-03-29"), 150, "Europe/Monaco"), None);
        assert_eq!(utc_stamp(date("2026-09-16"), 60, "Mars/Olympus"), None);
        let now = utc_stamp_now();
        assert!(now.len() == 16 && now.starts_with("20") && now.ends_with('Z'), "{now}");
    }

    #[test]
    fn public_holidays_come_from_the_country() {
        let shop = parse(default_hours(Category::Shopping, "shop=clothes").unwrap(), Some("MC"), true).unwrap();
        // 19 November is Monaco's national day, a Thursday in 2026.
        assert!(trip_hours(&shop, &[date("2026-11-19")]).on(0).is_empty());
        assert!(!trip_hours(&shop, &[date("2026-11-18")]).on(0).is_empty());
        // Without real dates no holiday applies.
        let undated = parse(default_hours(Category::Shopping, "shop=clothes").unwrap(), Some("MC"), false).unwrap();
        assert!(!trip_hours(&undated, &[date("2026-11-19")]).on(0).is_empty());
    }

    #[test]
    fn daylight_in_monaco_follows_the_seasons_and_summer_time() {
        let monaco = tripsmith_model::LatLon { lat: 43.7384, lon: 7.4246 };
        // Monaco: about 05:50–21:15 on 21 June (summer time, UTC+2) and about 08:00–16:45 on 21
        // December (UTC+1), within ten minutes (refraction and elevation conventions differ).
        let june = daylight(monaco, date("2026-06-21"), "Europe/Monaco").unwrap();
        assert!((340..=360).contains(&june.start) && (1265..=1285).contains(&june.end), "{june:?}");
        let december = daylight(monaco, date("2026-12-21"), "Europe/Monaco").unwrap();
        assert!((470..=490).contains(&december.start) && (995..=1015).contains(&december.end), "{december:?}");
        assert_eq!(daylight(monaco, date("2026-06-21"), "Mars/Olympus"), None);
        // A park open 08:00-20:00 closes at dusk in winter.
        let park = TripHours { days: vec![vec![MinuteRange { start: 480, end: 1200 }]] };
        let cut = within_daylight(park, monaco, &[date("2026-12-21")], "Europe/Monaco");
        assert_eq!(cut.on(0), [MinuteRange { start: december.start, end: december.end }]);
    }

    #[test]
    fn overnight_hours_split_at_midnight() {
        let casino = parse("14:00-04:00", None, true).unwrap();
        let days = trip_hours(&casino, &trip_dates(Some(date("2026-06-08")), 2));
        assert_eq!(days.on(1), [MinuteRange { start: 0, end: 240 }, MinuteRange { start: 840, end: 1440 }]);
        assert!(parse("whenever", None, true).is_none());
        assert_eq!(date_in_words(date("2026-12-25")), "25 December 2026");
        assert_eq!(REFERENCE_MONDAY.weekday(), 0);
    }
}
