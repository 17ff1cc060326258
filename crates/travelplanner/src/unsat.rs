//! The unsatisfiable-query sets: `unsat/travelplanner_unsat.csv` (12 TravelPlanner queries made
//! impossible, one Python-literal dict per row) and UnsatChristmas
//! (`unsat/unsat_christmas/queries/query.csv`: one column per field, lists and dicts as Python
//! literals, with the `unsat_reason` labels of the constraints that make each impossible).

use crate::database::{LoadReport, SkippedRow, Table};
use crate::pyliteral;
use crate::query::{query_from_value, Query};
use serde_json::{Map, Value};
use std::path::Path;

/// An impossible query and the constraints the data set says make it so.
#[derive(Debug, Clone, PartialEq)]
pub struct UnsatQuery {
    /// The query.
    pub query: Query,
    /// The `unsat_reason` labels (`non-stop`, `airlines`, `attraction`, `budget`); empty when
    /// the file gives none.
    pub reasons: Vec<String>,
}

/// Reads a CSV of queries: `to_item` turns a row (a column getter and the line number) into
/// an item; rows it refuses are reported with their line.
pub(crate) fn csv_items<T>(
    path: &Path,
    to_item: impl Fn(&dyn Fn(&str) -> Option<String>, u64) -> Result<T, String>,
) -> Result<(Vec<T>, Vec<SkippedRow>), String> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let table = Table::open(path.to_path_buf(), &name).map_err(|e| e.to_string())?;
    let columns = table.columns.clone();
    let mut out = Vec::new();
    let mut report = LoadReport::default();
    table
        .rows(&mut report, false, |line, r| {
            let get = |name: &str| columns.get(name).and_then(|i| r.get(*i)).map(str::to_string);
            out.push(to_item(&get, line)?);
            Ok(())
        })
        .map_err(|e| e.to_string())?;
    Ok((out, report.skipped))
}

/// The columns of a query's structured fields in the CSV files.
const QUERY_COLUMNS: [&str; 8] =
    ["org", "dest", "days", "visiting_city_number", "date", "people_number", "local_constraint", "budget"];

/// A row's query fields ([`QUERY_COLUMNS`] and `extra`): lists, dicts and numbers are Python
/// literals, anything else (a city, the query in words) is text.
pub(crate) fn row_fields(get: &dyn Fn(&str) -> Option<String>, extra: &[&str]) -> Result<Map<String, Value>, String> {
    let mut fields = Map::new();
    for name in QUERY_COLUMNS.iter().chain(extra) {
        let raw = get(name).ok_or(format!("no {name} column"))?;
        let literal = matches!(raw.trim_start().chars().next(), Some('[' | '{' | '(' | '\'' | '"' | '0'..='9' | '-'));
        let value = match literal.then(|| pyliteral::parse(&raw)) {
            Some(Ok(v)) => v,
            Some(Err(e)) if matches!(*name, "days" | "visiting_city_number" | "people_number" | "budget" | "date") => {
                return Err(format!("{name}: {e}"))
            }
            _ => Value::String(raw.trim().to_string()),
        };
        fields.insert(name.to_string(), value);
    }
    Ok(fields)
}

/// Loads `travelplanner_unsat.csv` (column `query`: a Python-literal dict of the query fields).
pub fn load_travelplanner_unsat(path: &Path) -> Result<(Vec<UnsatQuery>, Vec<SkippedRow>), String> {
    csv_items(path, |get, line| {
        let text = get("query").ok_or("no query column")?;
        let value = pyliteral::parse(&text).map_err(|e| e.to_string())?;
        Ok(UnsatQuery { query: query_from_value(&value, line)?, reasons: Vec::new() })
    })
}

/// Loads UnsatChristmas `query.csv`.
pub fn load_christmas(path: &Path) -> Result<(Vec<UnsatQuery>, Vec<SkippedRow>), String> {
    csv_items(path, |get, line| {
        let fields = row_fields(get, &["index"])?;
        let reasons = pyliteral::parse(&get("unsat_reason").ok_or("no unsat_reason column")?)
            .map_err(|e| format!("unsat_reason: {e}"))?;
        let reasons = reasons
            .as_array()
            .ok_or("unsat_reason: not a list")?
            .iter()
            .map(|r| r.as_str().map(|s| s.trim().to_string()).ok_or("unsat_reason: not a list of names"))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(UnsatQuery { query: query_from_value(&Value::Object(fields), line)?, reasons })
    })
}
