//! Per-query reference information files (`train/train_ref_info.jsonl`: one JSON object per
//! query, in query order, keys like "Flight from A to B on DATE" → list of flight records).
//! Flights exist only here: the full flight table is not part of the data set.

use crate::database::SkippedRow;
use crate::query::{flight_from_row, Flight, QueryRecord};
use serde_json::Value;
use std::path::Path;
use tripsmith_planner::Money;

/// The flights of each line's reference information (a line that cannot be read gives none and
/// is reported).
pub fn load_reference_flights(path: &Path) -> Result<(Vec<Vec<Flight>>, Vec<SkippedRow>), std::io::Error> {
    let mut all = Vec::new();
    let skipped = crate::jsonl::for_each_line(path, |_, line| {
        // A line that cannot be read still stands for its query: it gives no flights.
        all.push(Vec::new());
        let v = serde_json::from_str::<Value>(line).map_err(|e| format!("not JSON: {e}"))?;
        let flights = all.last_mut().ok_or("no entry")?;
        for (key, records) in v.as_object().ok_or("not an object")? {
            if !key.starts_with("Flight from") {
                continue;
            }
            for record in records.as_array().map(Vec::as_slice).unwrap_or_default() {
                flights.push(flight_from_row(record.as_object().ok_or(format!("{key}: a record is not an object"))?)?);
            }
        }
        Ok(())
    })?;
    Ok((all, skipped))
}

/// Adds each line's flights to the query at the same position (flights it already has are kept once).
pub fn attach_flights(records: &mut [QueryRecord], flights: Vec<Vec<Flight>>) {
    for (r, list) in records.iter_mut().zip(flights) {
        for flight in list {
            if !r.flights.iter().any(|f| f.number == flight.number) {
                r.flights.push(flight);
            }
        }
    }
}

/// The flights of a reference-information string as the Hugging Face files give it (a
/// Python-literal list of `{'Description': 'Flight from A to B on DATE', 'Content': <table>}`,
/// the table as pandas prints it: number, price, departure, arrival, "H hours M minutes",
/// date, the two cities, distance). Entries that say there is no flight give none.
pub fn flights_from_reference_text(text: &str) -> Result<Vec<Flight>, String> {
    let entries = crate::pyliteral::parse(text).map_err(|e| format!("reference_information: {e}"))?;
    let mut out = Vec::new();
    for entry in entries.as_array().ok_or("reference_information: not a list")? {
        let description = entry.get("Description").and_then(Value::as_str).unwrap_or_default();
        let Some(rest) = description.strip_prefix("Flight from ") else { continue };
        let (route, date) = rest.rsplit_once(" on ").ok_or(format!("{description:?}: no date"))?;
        let (origin, destination) = route.split_once(" to ").ok_or(format!("{description:?}: no route"))?;
        let content = entry.get("Content").and_then(Value::as_str).unwrap_or_default();
        for row in content.lines().skip(1) {
            let t: Vec<&str> = row.split_whitespace().collect();
            if t.len() < 9 || !t[0].starts_with('F') {
                continue;
            }
            let price = t[1].parse::<Money>().map_err(|_| format!("{description:?}: price {:?}", t[1]))?;
            out.push(Flight {
                number: t[0].to_string(),
                price,
                origin: origin.trim().to_string(),
                destination: destination.trim().to_string(),
                date: date.trim().to_string(),
                departure: t[2].to_string(),
                arrival: t[3].to_string(),
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::flights_from_reference_text;
    use tripsmith_planner::Money;

    #[test]
    fn flights_are_read_from_pandas_text_tables() {
        let text = r#"[{'Description': 'Attractions in Appleton', 'Content': 'Name City\nX Appleton'}, {'Description': 'Flight from St. Petersburg to Appleton on 2022-03-19', 'Content': 'Flight Number  Price DepTime ArrTime  ActualElapsedTime FlightDate OriginCityName DestCityName  Distance\n     F3574992    542   22:51   00:42 2 hours 51 minutes 2022-03-19 St. Petersburg     Appleton    1173.0'}, {'Description': 'Flight from Appleton to St. Petersburg on 2022-03-21', 'Content': 'There is no flight from Appleton to St. Petersburg on 2022-03-21.'}]"#;
        let flights = flights_from_reference_text(text).unwrap();
        assert_eq!(flights.len(), 1);
        let f = &flights[0];
        assert_eq!(
            (f.number.as_str(), f.price, f.origin.as_str(), f.destination.as_str()),
            ("F3574992", Money(54_200), "St. Petersburg", "Appleton")
        );
        assert_eq!((f.date.as_str(), f.departure.as_str(), f.arrival.as_str()), ("2022-03-19", "22:51", "00:42"));
        let bad = r#"[{'Description': 'Flight from A to B on 2022-03-19', 'Content': 'h\n F1 cheap 1:00 2:00 1 hours 0 minutes 2022-03-19 A B 1.0'}]"#;
        assert!(flights_from_reference_text(bad).unwrap_err().contains("price"));
        assert!(flights_from_reference_text("not a list").is_err());
    }
}
