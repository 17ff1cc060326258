//! Query files in the Hugging Face CSV form (`validation/selected_validation.csv`): one row per
//! query with the structured fields as Python literals and the `reference_information`
//! string, whose flight tables are the query's flights.

use crate::database::SkippedRow;
use crate::query::{query_from_value, QueryRecord};
use crate::reference::flights_from_reference_text;
use crate::unsat::{csv_items, row_fields};
use serde_json::Value;
use std::path::Path;

/// Loads the queries of a Hugging Face-style CSV with their flights.
pub fn load_validation(path: &Path) -> Result<(Vec<QueryRecord>, Vec<SkippedRow>), String> {
    csv_items(path, |get, line| {
        let fields = row_fields(get, &["query", "level"])?;
        let query = query_from_value(&Value::Object(fields), line)?;
        let flights = match get("reference_information") {
            Some(text) if !text.trim().is_empty() => flights_from_reference_text(&text)?,
            _ => Vec::new(),
        };
        Ok(QueryRecord { query, plan: None, flights })
    })
}
