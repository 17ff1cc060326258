//! Per-query reference information files (`train/train_ref_info.jsonl`: one JSON object per
//! query, in query order, keys like "Flight from A to B on DATE" → list of flight records).
//! Flights exist only here: the full flight table is not part of the data set.

use crate::database::SkippedRow;
use crate::query::{flight_from_row, Flight, QueryRecord};
use serde_json::Value;
use std::path::Path;

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
