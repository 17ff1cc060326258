//! The TravelPlanner sandbox database: accommodations, restaurants, attractions, driving
//! distances and the city → state table, read from the CSV and text files of
//! `../shared/data/travelplanner/database/` with their real quirks (an unnamed index column,
//! "1,144 km" distances, "1 day 2 hours" durations), and with the official sandbox's semantics:
//!
//! - The official tools read every table with pandas and `dropna()`: a row with any empty field
//!   (or any of pandas' missing-value words, [`PANDAS_NA`]) does not exist in the sandbox, e.g.
//!   the 710 accommodations without house rules. Such rows are skipped and listed in
//!   [`LoadReport`], as is a row that cannot be read.
//! - Driving (self-driving or taxi) between two cities is valid only when the distance matrix
//!   gives a distance and a duration without "day" in it; the official tool answers "no valid
//!   information" (no cost) otherwise, so such a pair is not a road here.
//! - A plan names a place `Name, City`; the official evaluator reads the **first** row of that
//!   city whose name contains `Name` ([`Database::restaurant_named`] and its siblings).

use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use tripsmith_planner::Money;

/// Why the database could not be loaded at all.
#[derive(Debug, thiserror::Error)]
pub enum DatabaseError {
    /// A file is missing or unreadable.
    #[error("{file}: {reason}")]
    File {
        /// The file.
        file: PathBuf,
        /// What went wrong.
        reason: String,
    },
    /// A file lacks a column the loader needs.
    #[error("{file}: no column {column:?} in the header")]
    MissingColumn {
        /// The file.
        file: PathBuf,
        /// The column.
        column: String,
    },
}

/// A row that was skipped, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedRow {
    /// The file, relative to the database folder.
    pub file: String,
    /// 1-based line number (the header is line 1).
    pub line: u64,
    /// Why it was skipped.
    pub reason: String,
}

/// What loading skipped.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LoadReport {
    /// Every skipped row.
    pub skipped: Vec<SkippedRow>,
}

/// The room types of the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum RoomType {
    /// "Entire home/apt".
    EntireHome,
    /// "Private room".
    PrivateRoom,
    /// "Shared room".
    SharedRoom,
}

impl RoomType {
    /// Parses the database's wording.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "Entire home/apt" => Some(Self::EntireHome),
            "Private room" => Some(Self::PrivateRoom),
            "Shared room" => Some(Self::SharedRoom),
            _ => None,
        }
    }
}

/// One accommodation offer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Accommodation {
    /// `NAME`.
    pub name: String,
    /// `city`.
    pub city: String,
    /// `room type`.
    pub room_type: RoomType,
    /// Price per night for one unit, USD.
    pub price: Money,
    /// Fewest consecutive nights.
    pub minimum_nights: u32,
    /// People one unit sleeps.
    pub maximum_occupancy: u32,
    /// The rules, lower case, without "No " (`smoking`, `pets`, `children under 10`...).
    pub forbidden: Vec<String>,
    /// `house_rules` as written (`No smoking & No pets`), which the official check reads.
    pub house_rules: String,
}

/// One restaurant.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Restaurant {
    /// `Name`.
    pub name: String,
    /// `City`.
    pub city: String,
    /// `Cuisines`, as written.
    pub cuisines: Vec<String>,
    /// Average cost per person, USD.
    pub average_cost: Money,
}

/// One attraction.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attraction {
    /// `Name`.
    pub name: String,
    /// `City`.
    pub city: String,
}

/// Driving between two cities.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Drive {
    /// Kilometres.
    pub km: f64,
    /// Minutes.
    pub minutes: u32,
}

impl Drive {
    /// Self-driving cost per car (the official tool: `int(km × 0.05)`, whole dollars).
    pub fn self_driving_cost(&self) -> Money {
        Money((self.km * 0.05).trunc() as i64 * 100)
    }

    /// Taxi cost per taxi (the official tool: `int(km × 1)`, whole dollars).
    pub fn taxi_cost(&self) -> Money {
        Money(self.km.trunc() as i64 * 100)
    }
}

/// The whole sandbox database.
#[derive(Debug, Clone, Default)]
pub struct Database {
    /// Accommodations.
    pub accommodations: Vec<Accommodation>,
    /// Restaurants.
    pub restaurants: Vec<Restaurant>,
    /// Attractions.
    pub attractions: Vec<Attraction>,
    /// Driving by (origin, destination); a missing pair means driving is not available.
    pub drives: HashMap<(String, String), Drive>,
    /// State of each city.
    pub states: HashMap<String, String>,
}

/// The words pandas' `read_csv` reads as a missing value by default (besides an empty field).
pub const PANDAS_NA: [&str; 18] = [
    "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>", "N/A", "NA", "NULL",
    "NaN", "None", "n/a", "nan", "null",
];

/// Whether pandas reads `field` as missing.
pub fn pandas_missing(field: &str) -> bool {
    field.is_empty() || PANDAS_NA.contains(&field)
}

/// The first of `rows` (in file order) whose city is `city` and whose name contains `name`:
/// the row the official evaluator reads for the entry `name, city`.
fn first_named<'a, T>(
    rows: &'a [T],
    name: &str,
    city: &str,
    key: impl Fn(&T) -> (&str, &str) + 'a,
) -> impl Iterator<Item = &'a T> + 'a {
    let (name, city) = (name.to_string(), city.to_string());
    rows.iter().filter(move |r| {
        let (n, c) = key(r);
        c == city && n.contains(name.as_str())
    })
}

impl Database {
    /// The restaurant the official evaluator reads for `name` in `city` (see the module doc).
    pub fn restaurant_named(&self, name: &str, city: &str) -> Option<&Restaurant> {
        first_named(&self.restaurants, name, city, |r| (&r.name, &r.city)).next()
    }

    /// Every accommodation of `city` whose name contains `name`, in file order: the official
    /// evaluator reads the first, and checks minimum nights only when there is exactly one.
    pub fn accommodations_named<'a>(&'a self, name: &str, city: &str) -> impl Iterator<Item = &'a Accommodation> + 'a {
        first_named(&self.accommodations, name, city, |a| (&a.name, &a.city))
    }

    /// Whether the official evaluator finds an attraction for `name` in `city`.
    pub fn has_attraction_named(&self, name: &str, city: &str) -> bool {
        first_named(&self.attractions, name, city, |a| (&a.name, &a.city)).next().is_some()
    }
}

/// Parses "1,144 km" (or "12.5 km") into kilometres.
pub fn parse_km(s: &str) -> Option<f64> {
    let number = s.trim().strip_suffix("km")?.trim().replace(',', "");
    number.parse::<f64>().ok().filter(|k| k.is_finite() && *k >= 0.0)
}

/// Parses "10 hours 55 mins", "1 day 2 hours", "45 mins" into minutes.
pub fn parse_duration(s: &str) -> Option<u32> {
    let words: Vec<&str> = s.split_whitespace().collect();
    if words.is_empty() || !words.len().is_multiple_of(2) {
        return None;
    }
    let mut minutes = 0u32;
    for pair in words.chunks(2) {
        let n: u32 = pair[0].replace(',', "").parse().ok()?;
        let unit = match pair[1].trim_end_matches('s') {
            "day" => 1440,
            "hour" => 60,
            "min" => 1,
            _ => return None,
        };
        minutes = minutes.checked_add(n.checked_mul(unit)?)?;
    }
    Some(minutes)
}

/// A CSV file with named columns, read row by row with unreadable rows reported.
pub(crate) struct Table {
    file: PathBuf,
    name: String,
    reader: csv::Reader<std::fs::File>,
    /// Column positions by header name.
    pub(crate) columns: HashMap<String, usize>,
}

impl Table {
    /// Opens `file`, reporting its rows under `name`.
    pub(crate) fn open(file: PathBuf, name: &str) -> Result<Self, DatabaseError> {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_path(&file)
            .map_err(|e| DatabaseError::File { file: file.clone(), reason: e.to_string() })?;
        let header = reader.headers().map_err(|e| DatabaseError::File { file: file.clone(), reason: e.to_string() })?;
        // A UTF-8 byte-order mark would otherwise stick to the first column name.
        let columns =
            header.iter().enumerate().map(|(i, h)| (h.trim_start_matches('\u{feff}').trim().to_string(), i)).collect();
        Ok(Self { file, name: name.to_string(), reader, columns })
    }

    /// The position of column `name`.
    pub(crate) fn column(&self, name: &str) -> Result<usize, DatabaseError> {
        self.columns
            .get(name)
            .copied()
            .ok_or_else(|| DatabaseError::MissingColumn { file: self.file.clone(), column: name.to_string() })
    }

    /// Calls `row` with each record and its line; a record it refuses (or cannot read) is
    /// reported. With `dropna`, a record with a missing field (as pandas reads it, or fewer
    /// fields than the header) is reported instead, as the official sandbox drops it.
    pub(crate) fn rows(
        mut self,
        report: &mut LoadReport,
        dropna: bool,
        mut row: impl FnMut(u64, &csv::StringRecord) -> Result<(), String>,
    ) -> Result<(), DatabaseError> {
        let mut names = vec![String::new(); self.columns.len()];
        for (name, &i) in &self.columns {
            names[i].clone_from(name);
        }
        for (i, record) in self.reader.records().enumerate() {
            let line = i as u64 + 2;
            let missing = |r: &csv::StringRecord| {
                (0..names.len()).find(|&c| r.get(c).is_none_or(pandas_missing)).map(|c| names[c].clone())
            };
            let outcome = match record {
                Ok(r) => match missing(&r).filter(|_| dropna) {
                    Some(column) => {
                        Err(format!("{column:?} is empty: the official sandbox (pandas dropna) has no such row"))
                    }
                    None => row(line, &r),
                },
                Err(e) => Err(e.to_string()),
            };
            if let Err(reason) = outcome {
                report.skipped.push(SkippedRow { file: self.name.clone(), line, reason });
            }
        }
        Ok(())
    }
}

fn field<'a>(r: &'a csv::StringRecord, i: usize, name: &str) -> Result<&'a str, String> {
    r.get(i).map(str::trim).filter(|s| !s.is_empty()).ok_or_else(|| format!("{name} is empty"))
}

fn money(r: &csv::StringRecord, i: usize, name: &str) -> Result<Money, String> {
    let text = field(r, i, name)?;
    text.parse::<Money>().ok().filter(|m| m.cents() >= 0).ok_or_else(|| format!("{name} {text:?} is not a price"))
}

fn number(r: &csv::StringRecord, i: usize, name: &str) -> Result<f64, String> {
    let text = field(r, i, name)?;
    text.parse::<f64>()
        .ok()
        .filter(|x| x.is_finite() && *x >= 0.0)
        .ok_or_else(|| format!("{name} {text:?} is not a number"))
}

impl Database {
    /// Loads the database folder (`accommodations/`, `restaurants/`, `attractions/`,
    /// `googleDistanceMatrix/`, `background/`).
    pub fn load(dir: &Path) -> Result<(Self, LoadReport), DatabaseError> {
        let mut db = Database::default();
        let mut report = LoadReport::default();

        let t = Table::open(
            dir.join("accommodations/clean_accommodations_2022.csv"),
            "accommodations/clean_accommodations_2022.csv",
        )?;
        let c = [
            t.column("NAME")?,
            t.column("city")?,
            t.column("room type")?,
            t.column("price")?,
            t.column("minimum nights")?,
            t.column("maximum occupancy")?,
            t.column("house_rules")?,
        ];
        t.rows(&mut report, true, |_, r| {
            let room = field(r, c[2], "room type")?;
            db.accommodations.push(Accommodation {
                name: field(r, c[0], "NAME")?.to_string(),
                city: field(r, c[1], "city")?.to_string(),
                room_type: RoomType::parse(room).ok_or_else(|| format!("unknown room type {room:?}"))?,
                price: money(r, c[3], "price")?,
                minimum_nights: number(r, c[4], "minimum nights")? as u32,
                maximum_occupancy: (number(r, c[5], "maximum occupancy")? as u32).max(1),
                forbidden: r
                    .get(c[6])
                    .unwrap_or("")
                    .split('&')
                    .filter_map(|rule| rule.trim().strip_prefix("No ").map(|x| x.trim().to_lowercase()))
                    .collect(),
                house_rules: r.get(c[6]).unwrap_or("").to_string(),
            });
            Ok(())
        })?;

        let t =
            Table::open(dir.join("restaurants/clean_restaurant_2022.csv"), "restaurants/clean_restaurant_2022.csv")?;
        let c = [t.column("Name")?, t.column("City")?, t.column("Cuisines")?, t.column("Average Cost")?];
        t.rows(&mut report, true, |_, r| {
            db.restaurants.push(Restaurant {
                name: field(r, c[0], "Name")?.to_string(),
                city: field(r, c[1], "City")?.to_string(),
                cuisines: r
                    .get(c[2])
                    .unwrap_or("")
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect(),
                average_cost: money(r, c[3], "Average Cost")?,
            });
            Ok(())
        })?;

        let t = Table::open(dir.join("attractions/attractions.csv"), "attractions/attractions.csv")?;
        let c = [t.column("Name")?, t.column("City")?];
        t.rows(&mut report, true, |_, r| {
            db.attractions.push(Attraction {
                name: field(r, c[0], "Name")?.to_string(),
                city: field(r, c[1], "City")?.to_string(),
            });
            Ok(())
        })?;

        let t = Table::open(dir.join("googleDistanceMatrix/distance.csv"), "googleDistanceMatrix/distance.csv")?;
        let c = [t.column("origin")?, t.column("destination")?, t.column("distance")?, t.column("duration")?];
        // The official tool reads the first row of a pair: 1,322 pairs appear more than once
        // (26 later rows differ, reported); a first row without a valid drive makes the pair
        // invalid whatever follows.
        let mut seen: std::collections::HashSet<(String, String)> = std::collections::HashSet::new();
        t.rows(&mut report, false, |_, r| {
            let (from, to) = (field(r, c[0], "origin")?, field(r, c[1], "destination")?);
            let pair = (from.to_string(), to.to_string());
            let first = seen.insert(pair.clone());
            // An empty distance is the data's way of saying "no route", and a duration of days
            // is "no valid information" to the official tool: driving is unavailable.
            let (Some(distance), Some(duration)) = (r.get(c[2]).filter(|s| !s.trim().is_empty()), r.get(c[3])) else {
                return Ok(());
            };
            if duration.contains("day") {
                return Ok(());
            }
            let km = parse_km(distance).ok_or_else(|| format!("distance {distance:?} is not like \"1,144 km\""))?;
            let minutes = parse_duration(duration)
                .ok_or_else(|| format!("duration {duration:?} is not like \"2 hours 5 mins\""))?;
            let drive = Drive { km, minutes };
            match db.drives.get(&pair) {
                None if first => {
                    db.drives.insert(pair, drive);
                    Ok(())
                }
                Some(used) if *used != drive => {
                    Err(format!("{from} → {to} again with other figures; the first row is used"))
                }
                _ => Ok(()),
            }
        })?;

        let file = dir.join("background/citySet_with_states.txt");
        let text = std::fs::read_to_string(&file)
            .map_err(|e| DatabaseError::File { file: file.clone(), reason: e.to_string() })?;
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            match line.split_once('\t') {
                Some((city, state)) => {
                    db.states.insert(city.trim().to_string(), state.trim().to_string());
                }
                None => report.skipped.push(SkippedRow {
                    file: "background/citySet_with_states.txt".into(),
                    line: i as u64 + 1,
                    reason: format!("expected CITY<TAB>STATE, got {line:?}"),
                }),
            }
        }
        Ok((db, report))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_and_durations_in_the_data_formats() {
        assert_eq!(parse_km("1,144 km"), Some(1144.0));
        assert_eq!(parse_km("12.5 km"), Some(12.5));
        assert_eq!(parse_km("12 miles"), None);
        assert_eq!(parse_duration("10 hours 55 mins"), Some(655));
        assert_eq!(parse_duration("1 day 2 hours"), Some(1560));
        assert_eq!(parse_duration("1 hour 1 min"), Some(61));
        assert_eq!(parse_duration("45 mins"), Some(45));
        assert_eq!(parse_duration("2 fortnights"), None);
        assert_eq!(parse_duration(""), None);
        let d = Drive { km: 1144.9, minutes: 655 };
        assert_eq!((d.self_driving_cost(), d.taxi_cost()), (Money(5700), Money(114_400)));
    }
}
