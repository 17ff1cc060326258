//! `opening_hours` values: parsed with the `opening-hours` crate and reduced to a weekly schedule.
//!
//! The schedule is the evaluation of the expression over a fixed reference week,
//! [`REFERENCE_WEEK_MONDAY`] (a June week: seasonal rules give their summer hours; public-holiday
//! rules do not apply because no country is known). Overnight ranges are split at midnight.

use opening_hours::{OpeningHours as OhExpression, RuleKind};
use reference_week::{day_start, reference_week_range};
use tripsmith_model::{MinuteRange, OpeningHours, WeeklySchedule};

/// The Monday that starts the reference week, `(year, month, day)`.
pub const REFERENCE_WEEK_MONDAY: (i32, u32, u32) = (2024, 6, 3);

/// Parses an `opening_hours` value; unparseable values keep their raw text and the parser's message.
pub fn parse_opening_hours(raw: &str) -> OpeningHours {
    let parsed = std::panic::catch_unwind(|| raw.parse::<OhExpression>().map(|oh| weekly_schedule(&oh)));
    let (schedule, error) = match parsed {
        Ok(Ok(Some(s))) => (Some(s), None),
        Ok(Ok(None)) => (None, Some("could not evaluate over the reference week".to_string())),
        Ok(Err(e)) => (None, Some(one_line(&e.to_string()))),
        Err(_) => (None, Some("the opening-hours parser failed on this value".to_string())),
    };
    OpeningHours { raw: raw.to_string(), schedule, error }
}

/// The parser's (multi-line, pest-formatted) message as one line: where, and what was expected.
fn one_line(message: &str) -> String {
    let lines: Vec<&str> = message.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let location = lines.iter().find_map(|l| l.strip_prefix("-->")).map(str::trim);
    let expected = lines.iter().find_map(|l| l.strip_prefix('=')).map(str::trim);
    match (location, expected) {
        (Some(at), Some(what)) => format!("syntax error at line:column {at}: {what}"),
        _ => lines.join(" "),
    }
}

fn weekly_schedule(oh: &OhExpression) -> Option<WeeklySchedule> {
    let (from, to) = reference_week_range()?;
    let mut week = WeeklySchedule::default();
    for range in oh.iter_range(from, to) {
        if range.kind != RuleKind::Open {
            continue;
        }
        let (mut start, end) = (range.range.start, range.range.end);
        while start < end {
            let day_begin = day_start(start);
            let next_day = day_begin + chrono::Duration::days(1);
            let piece_end = end.min(next_day);
            let weekday = (start - from).num_days();
            let to_minute = |t: chrono::NaiveDateTime| (t - day_begin).num_minutes().clamp(0, 1440) as u16;
            let (a, b) = (to_minute(start), to_minute(piece_end));
            if let (Ok(d), true) = (usize::try_from(weekday), a < b) {
                if let Some(day) = week.days.get_mut(d) {
                    push_merged(day, MinuteRange { start: a, end: b });
                }
            }
            start = piece_end;
        }
    }
    Some(week)
}

fn push_merged(day: &mut Vec<MinuteRange>, r: MinuteRange) {
    match day.last_mut() {
        Some(last) if last.end >= r.start => last.end = last.end.max(r.end),
        _ => day.push(r),
    }
}

/// Date arithmetic for the reference week (chrono is what the `opening-hours` crate speaks).
mod reference_week {
    use super::REFERENCE_WEEK_MONDAY;
    use chrono::{NaiveDate, NaiveDateTime};

    pub fn reference_week_range() -> Option<(NaiveDateTime, NaiveDateTime)> {
        let (y, m, d) = REFERENCE_WEEK_MONDAY;
        let monday = NaiveDate::from_ymd_opt(y, m, d)?.and_hms_opt(0, 0, 0)?;
        Some((monday, monday + chrono::Duration::days(7)))
    }

    pub fn day_start(t: NaiveDateTime) -> NaiveDateTime {
        t.date().and_time(chrono::NaiveTime::MIN)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekly_ranges() {
        let oh = parse_opening_hours("Mo-Fr 09:00-12:00,14:00-18:00; Sa 10:00-16:00");
        let s = oh.schedule.expect("parsed");
        assert_eq!(s.days[0], vec![MinuteRange { start: 540, end: 720 }, MinuteRange { start: 840, end: 1080 }]);
        assert_eq!(s.days[5], vec![MinuteRange { start: 600, end: 960 }]);
        assert!(s.days[6].is_empty());
        assert_eq!(oh.error, None);
    }

    #[test]
    fn always_open_and_overnight() {
        let s = parse_opening_hours("24/7").schedule.unwrap();
        assert_eq!(s, WeeklySchedule::always_open());
        let s = parse_opening_hours("Fr 20:00-02:00").schedule.unwrap();
        assert_eq!(s.days[4], vec![MinuteRange { start: 1200, end: 1440 }]);
        assert_eq!(s.days[5], vec![MinuteRange { start: 0, end: 120 }]);
    }

    #[test]
    fn unparseable_values_are_kept_with_a_reason() {
        let oh = parse_opening_hours("ask the owner please");
        assert_eq!(oh.raw, "ask the owner please");
        assert!(oh.schedule.is_none());
        let reason = oh.error.unwrap();
        assert!(reason.starts_with("syntax error at line:column 1:"), "{reason}");
        assert!(!reason.contains('\n'));
    }
}
