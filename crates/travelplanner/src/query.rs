//! TravelPlanner queries and plans: the structured query fields (origin, destination city or
//! state, days, dates, party, budget, local constraints) and the submission format (one record
//! per day), read from JSONL files like `train/train_data_list.jsonl`. A line that cannot be
//! read is reported with its number and the reason; the others load.

use crate::database::SkippedRow;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::path::Path;
use tripsmith_planner::Money;

/// The local constraints of a query (each absent when the query does not set it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalConstraints {
    /// A house rule the accommodation must allow (`pets`, `smoking`, `parties`, `visitors`, `children under 10`).
    pub house_rule: Option<String>,
    /// Cuisines that must each be eaten at least once outside the origin city.
    pub cuisine: Vec<String>,
    /// `not shared room`, `shared room`, `private room` or `entire room`.
    pub room_type: Option<String>,
    /// `no flight` or `no self-driving`.
    pub transportation: Option<String>,
    /// UnsatChristmas: `non-stop` flights only.
    pub flight_rule: Option<String>,
    /// UnsatChristmas: allowed airlines (empty: any).
    pub airlines: Vec<String>,
    /// UnsatChristmas: attraction categories that must be visited.
    pub attraction_category: Vec<String>,
}

/// One structured query.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Query {
    /// Its id in the file (`original_data_index`, or the line number).
    pub id: String,
    /// Origin city.
    pub org: String,
    /// Destination city, or state when more than one city is visited (for a list of cities,
    /// the list joined by ", ").
    pub dest: String,
    /// The destination cities, when the query lists them (UnsatChristmas).
    pub destinations: Vec<String>,
    /// Trip length in days (3, 5 or 7).
    pub days: u32,
    /// Cities to visit (origin excluded).
    pub visiting_city_number: u32,
    /// The dates, `YYYY-MM-DD`, one per day.
    pub dates: Vec<String>,
    /// Travellers.
    pub people: u32,
    /// Budget for the whole group, USD.
    pub budget: Money,
    /// Local constraints.
    pub local: LocalConstraints,
    /// easy, medium or hard.
    pub level: Option<String>,
    /// The query in words.
    pub text: String,
}

/// One day of a plan in TravelPlanner's submission format; `"-"` marks an empty field, and a
/// missing field reads as empty (the completeness check then judges it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default)]
#[schemars(rename = "TravelPlannerDay")]
pub struct DayRecord {
    /// Day number, 1-based.
    pub days: u32,
    /// `City` or `from A to B`.
    pub current_city: String,
    /// `Flight Number: F..., from A to B, ...`, `Self-driving, from A to B, ...`, `Taxi, ...` or `-`.
    pub transportation: String,
    /// `Name, City` or `-`.
    pub breakfast: String,
    /// `Name, City;Name, City;` or `-`.
    pub attraction: String,
    /// `Name, City` or `-`.
    pub lunch: String,
    /// `Name, City` or `-`.
    pub dinner: String,
    /// `Name, City` or `-`.
    pub accommodation: String,
}

/// One flight of a query's reference information (the only source of flights).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Flight {
    /// `F3573659`.
    pub number: String,
    /// Price per person, USD.
    pub price: Money,
    /// Origin city.
    pub origin: String,
    /// Destination city.
    pub destination: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Departure, `HH:MM`.
    pub departure: String,
    /// Arrival, `HH:MM`.
    pub arrival: String,
}

/// A query with the plan the file gives for it (the human-annotated one in the train file).
#[derive(Debug, Clone, PartialEq)]
pub struct QueryRecord {
    /// The query.
    pub query: Query,
    /// The plan in the file, if any.
    pub plan: Option<Vec<DayRecord>>,
    /// The flights of its reference information.
    pub flights: Vec<Flight>,
}

/// A flight from one record (`Flight Number`, `Price`, `OriginCityName`, ... as in the data).
pub fn flight_from_row(row: &serde_json::Map<String, Value>) -> Result<Flight, String> {
    let text =
        |name: &str| row.get(name).and_then(Value::as_str).map(str::to_string).ok_or(format!("flight: no {name}"));
    Ok(Flight {
        number: text("Flight Number")?,
        price: row.get("Price").and_then(Value::as_f64).and_then(Money::from_units).ok_or("flight: no Price")?,
        origin: text("OriginCityName")?,
        destination: text("DestCityName")?,
        date: text("FlightDate")?,
        departure: text("DepTime")?,
        arrival: text("ArrTime")?,
    })
}

/// Flights from `structured_ref_info` (`Info Type: Flight`, columns as `{"0": value, ...}`).
fn flights(v: &Value) -> Result<Vec<Flight>, String> {
    let mut out = Vec::new();
    let entries = v.get("structured_ref_info").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    for entry in entries.iter().filter(|e| e.get("Info Type").and_then(Value::as_str) == Some("Flight")) {
        let Some(table) = entry.get("Structured Content").and_then(Value::as_object) else { continue };
        let numbers =
            table.get("Flight Number").and_then(Value::as_object).ok_or("a flight table has no Flight Number")?;
        for row in numbers.keys() {
            let record: serde_json::Map<String, Value> = table
                .iter()
                .filter_map(|(column, cells)| cells.get(row).map(|cell| (column.clone(), cell.clone())))
                .collect();
            out.push(flight_from_row(&record)?);
        }
    }
    Ok(out)
}

fn text(v: &Value, key: &str) -> Result<String, String> {
    v.get(key).and_then(Value::as_str).map(str::to_string).ok_or_else(|| format!("{key}: missing or not a string"))
}

fn count(v: &Value, key: &str) -> Result<u32, String> {
    v.get(key)
        .and_then(Value::as_u64)
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| format!("{key}: missing or not a whole number"))
}

fn optional_text(v: &Value) -> Option<String> {
    v.as_str().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

/// A list of names that may be written as a list, one comma-separated string or null.
fn names(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(items)) => items.iter().filter_map(optional_text).collect(),
        Some(Value::String(s)) => s.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect(),
        _ => Vec::new(),
    }
}

/// Reads the local constraints.
fn local_constraints(v: Option<&Value>) -> LocalConstraints {
    let Some(v) = v else { return LocalConstraints::default() };
    LocalConstraints {
        house_rule: v.get("house rule").and_then(optional_text),
        cuisine: names(v.get("cuisine")),
        room_type: v.get("room type").and_then(optional_text),
        transportation: v.get("transportation").and_then(optional_text),
        flight_rule: v.get("flight rule").and_then(optional_text),
        airlines: names(v.get("airlines")),
        attraction_category: names(v.get("attraction_category")),
    }
}

/// Reads one line of a `train_data_list.jsonl`-style file.
pub fn parse_query_line(line: &str, line_number: u64) -> Result<QueryRecord, String> {
    let v: Value = serde_json::from_str(line).map_err(|e| format!("not JSON: {e}"))?;
    let query = query_from_value(&v, line_number)?;
    let annotated = v.get("annotated_plan").and_then(Value::as_array);
    let plan = match annotated.and_then(|a| a.get(1)).and_then(Value::as_array) {
        Some(days) => Some(day_records(days).map_err(|e| format!("annotated_plan: {e}"))?),
        None => None,
    };
    Ok(QueryRecord { query, plan, flights: flights(&v)? })
}

/// The day records of a plan; the files pad plans to seven entries with empty objects, which
/// are dropped.
pub fn day_records(days: &[Value]) -> Result<Vec<DayRecord>, String> {
    days.iter()
        .filter(|d| d.as_object().is_none_or(|o| !o.is_empty()))
        .map(|d| serde_json::from_value::<DayRecord>(d.clone()).map_err(|e| e.to_string()))
        .collect()
}

/// A query from its fields as a JSON object (whatever file form they came in).
pub fn query_from_value(v: &Value, number: u64) -> Result<Query, String> {
    // `visiting_city_number` is at the top level in some files and in the annotated query in others.
    let annotated = v.get("annotated_plan").and_then(Value::as_array);
    let annotated_query = annotated.and_then(|a| a.first());
    let cities = v
        .get("visiting_city_number")
        .or_else(|| annotated_query.and_then(|q| q.get("visiting_city_number")))
        .and_then(Value::as_u64)
        .ok_or("visiting_city_number: missing or not a whole number")?;
    let dates: Vec<String> = v
        .get("date")
        .and_then(Value::as_array)
        .ok_or("date: missing or not a list")?
        .iter()
        .map(|d| d.as_str().map(str::to_string).ok_or("date: an entry is not a string"))
        .collect::<Result<_, _>>()?;
    let id = v
        .get("original_data_index")
        .or_else(|| v.get("index"))
        .map_or_else(|| number.to_string(), |i| i.as_str().map_or_else(|| i.to_string(), str::to_string));
    let destinations = match v.get("dest") {
        Some(Value::Array(_)) => names(v.get("dest")),
        _ => Vec::new(),
    };
    let dest = if destinations.is_empty() { text(v, "dest")? } else { destinations.join(", ") };
    let query = Query {
        id,
        org: text(v, "org")?,
        dest,
        destinations,
        days: count(v, "days")?,
        visiting_city_number: u32::try_from(cities).map_err(|_| "visiting_city_number: too large")?,
        dates,
        people: count(v, "people_number")?,
        budget: v
            .get("budget")
            .and_then(Value::as_f64)
            .and_then(Money::from_units)
            .ok_or("budget: missing or not an amount of money")?,
        local: local_constraints(v.get("local_constraint")),
        level: v.get("level").and_then(optional_text),
        text: v.get("query").and_then(optional_text).unwrap_or_default(),
    };
    if query.days == 0 || query.dates.len() != query.days as usize {
        return Err(format!("{} dates for {} days", query.dates.len(), query.days));
    }
    Ok(query)
}

/// Reads a JSONL query file; unreadable lines are returned as skipped rows.
pub fn load_queries(path: &Path) -> Result<(Vec<QueryRecord>, Vec<SkippedRow>), std::io::Error> {
    let mut records = Vec::new();
    let skipped = crate::jsonl::for_each_line(path, |number, line| {
        records.push(parse_query_line(line, number)?);
        Ok(())
    })?;
    Ok((records, skipped))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_with_cuisines_and_an_annotated_plan() {
        let line = r#"{"original_data_index": 7, "org": "A", "dest": "Texas", "days": 3,
            "date": ["2022-03-01", "2022-03-02", "2022-03-03"], "people_number": 2, "budget": 1500,
            "local_constraint": {"house rule": "pets", "cuisine": ["Mexican", "Indian"], "room type": null, "transportation": "no flight"},
            "annotated_plan": [{"visiting_city_number": 1}, [{"days": 1, "current_city": "from A to B", "transportation": "-",
              "breakfast": "-", "attraction": "-", "lunch": "-", "dinner": "-", "accommodation": "-"}]]}"#;
        let r = parse_query_line(&line.replace('\n', " "), 1).unwrap();
        assert_eq!(r.query.id, "7");
        assert_eq!(r.query.visiting_city_number, 1);
        assert_eq!(r.query.local.cuisine, ["Mexican", "Indian"]);
        assert_eq!(r.query.local.house_rule.as_deref(), Some("pets"));
        assert_eq!(r.plan.unwrap()[0].current_city, "from A to B");
    }

    #[test]
    fn bad_lines_say_what_is_wrong() {
        assert!(parse_query_line("{", 1).unwrap_err().starts_with("not JSON"));
        let no_days =
            r#"{"org": "A", "dest": "B", "date": [], "people_number": 1, "budget": 1, "visiting_city_number": 1}"#;
        assert!(parse_query_line(no_days, 1).unwrap_err().starts_with("days"));
        let wrong_dates = r#"{"org": "A", "dest": "B", "days": 3, "date": ["2022-03-01"], "people_number": 1, "budget": 1, "visiting_city_number": 1}"#;
        assert_eq!(parse_query_line(wrong_dates, 1).unwrap_err(), "1 dates for 3 days");
    }
}
