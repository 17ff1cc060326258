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

/// Reads a CSV of queries: `to_value` turns a row (by column name) into the query's fields.
fn load(
    path: &Path,
    to_value: impl Fn(&dyn Fn(&str) -> Option<String>) -> Result<(Value, Vec<String>), String>,
) -> Result<(Vec<UnsatQuery>, Vec<SkippedRow>), String> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let table = Table::open(path.to_path_buf(), &name).map_err(|e| e.to_string())?;
    let columns = table.columns.clone();
    let mut out = Vec::new();
    let mut report = LoadReport::default();
    table
        .rows(&mut report, |line, r| {
            let get = |name: &str| columns.get(name).and_then(|i| r.get(*i)).map(str::to_string);
            let (value, reasons) = to_value(&get)?;
            out.push(UnsatQuery { query: query_from_value(&value, line)?, reasons });
            Ok(())
        })
        .map_err(|e| e.to_string())?;
    Ok((out, report.skipped))
}

/// Loads `travelplanner_unsat.csv` (column `query`: a Python-literal dict of the query fields).
pub fn load_travelplanner_unsat(path: &Path) -> Result<(Vec<UnsatQuery>, Vec<SkippedRow>), String> {
    load(path, |get| {
        let text = get("query").ok_or("no query column")?;
        Ok((pyliteral::parse(&text).map_err(|e| e.to_string())?, Vec::new()))
    })
}

/// Loads UnsatChristmas `query.csv`.
pub fn load_christmas(path: &Path) -> Result<(Vec<UnsatQuery>, Vec<SkippedRow>), String> {
    load(path, |get| {
        let mut fields = Map::new();
        for name in [
            "index",
            "org",
            "dest",
            "days",
            "visiting_city_number",
            "date",
            "people_number",
            "local_constraint",
            "budget",
        ] {
            let raw = get(name).ok_or(format!("no {name} column"))?;
            // Lists, dicts and numbers are Python literals; bare words are strings.
            let value = match raw.trim_start().chars().next() {
                Some('[' | '{' | '(' | '\'' | '"' | '0'..='9' | '-') => {
                    pyliteral::parse(&raw).map_err(|e| format!("{name}: {e}"))?
                }
                _ => Value::String(raw.trim().to_string()),
            };
            fields.insert(name.to_string(), value);
        }
        let reasons = pyliteral::parse(&get("unsat_reason").ok_or("no unsat_reason column")?)
            .map_err(|e| format!("unsat_reason: {e}"))?;
        let reasons = reasons
            .as_array()
            .ok_or("unsat_reason: not a list")?
            .iter()
            .map(|r| r.as_str().map(|s| s.trim().to_string()).ok_or("unsat_reason: not a list of names"))
            .collect::<Result<Vec<_>, _>>()?;
        Ok((Value::Object(fields), reasons))
    })
}
