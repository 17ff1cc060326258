//! Opening hours of a place: the raw OSM value and a weekly schedule derived from it.

use serde::{Deserialize, Serialize};

/// A half-open range of minutes after midnight, `start..end`, with `0 <= start < end <= 1440`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MinuteRange {
    /// First minute inside the range.
    pub start: u16,
    /// First minute after the range (1440 = midnight at the end of the day).
    pub end: u16,
}

impl MinuteRange {
    /// Whether `minute` (after midnight) lies inside the range.
    pub fn contains(self, minute: u16) -> bool {
        self.start <= minute && minute < self.end
    }
}

/// When a place is open in a typical week: for each weekday (Monday = 0) sorted, disjoint ranges.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeeklySchedule {
    /// Open ranges per weekday, Monday first.
    pub days: [Vec<MinuteRange>; 7],
}

impl WeeklySchedule {
    /// A place open around the clock.
    pub fn always_open() -> Self {
        let all = vec![MinuteRange { start: 0, end: 1440 }];
        Self { days: std::array::from_fn(|_| all.clone()) }
    }

    /// Whether the place is open on `weekday` (Monday = 0) at `minute` after midnight.
    pub fn is_open(&self, weekday: usize, minute: u16) -> bool {
        self.days.get(weekday).is_some_and(|d| d.iter().any(|r| r.contains(minute)))
    }

    /// Total open minutes in the week.
    pub fn open_minutes(&self) -> u32 {
        self.days.iter().flatten().map(|r| u32::from(r.end - r.start)).sum()
    }
}

/// The `opening_hours` of a POI: the raw OSM string is always kept; `schedule` holds the
/// weekly schedule it describes when it could be parsed, `error` the parser's message when not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpeningHours {
    /// The tag value as written in OSM.
    pub raw: String,
    /// Open ranges for a reference week (see `tripsmith-osm`), `None` when unparseable.
    pub schedule: Option<WeeklySchedule>,
    /// Why the value could not be parsed, if it could not.
    pub error: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedule_queries() {
        let mut s = WeeklySchedule::default();
        s.days[0] = vec![MinuteRange { start: 540, end: 720 }, MinuteRange { start: 840, end: 1080 }];
        assert!(s.is_open(0, 540));
        assert!(!s.is_open(0, 720));
        assert!(s.is_open(0, 900));
        assert!(!s.is_open(1, 900));
        assert!(!s.is_open(9, 900));
        assert_eq!(s.open_minutes(), 180 + 240);
        assert_eq!(WeeklySchedule::always_open().open_minutes(), 7 * 1440);
    }
}
