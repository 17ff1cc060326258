//! A traveller's check-in history from a CSV file with a header: one row per check-in, the
//! venue's category name in a column called `category`, `venue_category` or `POI_catname`
//! (the Foursquare NYC files), and optionally the user in `user_id` (any case), so a file of
//! many users can be read for one of them.

use crate::DataError;
use std::path::Path;

/// Most rows a history file may hold: far more than any one person's check-ins, low enough to
/// refuse a wrong file before holding all of it.
pub const MAX_ROWS: usize = 1_000_000;

/// The column names that hold a venue's category, in the order they are looked for.
pub const CATEGORY_COLUMNS: [&str; 3] = ["category", "venue_category", "poi_catname"];

/// Reads the venue category names of the check-ins in `path`: of `user` when given (the file
/// must then have a `user_id` column), else of the file's only user (a file naming several
/// users without `user` is refused, listing a few of them).
pub fn read_history(path: &Path, user: Option<&str>) -> Result<Vec<String>, DataError> {
    let text =
        std::fs::read_to_string(path).map_err(|source| DataError::Io { path: path.display().to_string(), source })?;
    parse_history(&text, user).map_err(|e| match e {
        DataError::Line { line, reason, .. } => DataError::Line { path: path.display().to_string(), line, reason },
        DataError::Data(reason) => DataError::Data(format!("{}: {reason}", path.display())),
        other => other,
    })
}

/// [`read_history`] on text (errors name the file as `history`).
pub fn parse_history(text: &str, user: Option<&str>) -> Result<Vec<String>, DataError> {
    let line_error = |line: usize, reason: String| DataError::Line { path: "history".into(), line, reason };
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(text.as_bytes());
    let header = reader.headers().map_err(|e| line_error(1, e.to_string()))?.clone();
    let find = |name: &str| header.iter().position(|h| h.trim().eq_ignore_ascii_case(name));
    let category = CATEGORY_COLUMNS.iter().find_map(|c| find(c)).ok_or_else(|| {
        line_error(1, format!("no category column: the header needs one of {}", CATEGORY_COLUMNS.join(", ")))
    })?;
    let user_column = find("user_id");
    if user.is_some() && user_column.is_none() {
        return Err(line_error(1, "no user_id column to choose a user by".into()));
    }
    let mut names = Vec::new();
    // Distinct users when none is chosen, and the first few of them in file order.
    let (mut users, mut first_users) = (std::collections::HashSet::new(), Vec::new());
    for (i, row) in reader.records().enumerate() {
        let line = i + 2;
        let row = row.map_err(|e| line_error(line, e.to_string()))?;
        if names.len() >= MAX_ROWS {
            return Err(line_error(line, format!("more than {MAX_ROWS} check-ins")));
        }
        let who = user_column.and_then(|c| row.get(c)).map(str::trim);
        if let (Some(wanted), Some(who)) = (user, who) {
            if who != wanted {
                continue;
            }
        }
        if let Some(who) = who.filter(|w| user.is_none() && !users.contains(*w)) {
            users.insert(who.to_string());
            if first_users.len() < 5 {
                first_users.push(who.to_string());
            }
        }
        let name = row.get(category).map(str::trim).unwrap_or_default();
        if name.is_empty() {
            return Err(line_error(line, "empty category".into()));
        }
        names.push(name.to_string());
    }
    if users.len() > 1 {
        return Err(DataError::Data(format!(
            "the file holds the check-ins of {} users ({}{}); choose one",
            users.len(),
            first_users.join(", "),
            if users.len() > 5 { ", ..." } else { "" }
        )));
    }
    if names.is_empty() {
        return Err(DataError::Data(match user {
            Some(u) => format!("no check-ins of user {u}"),
            None => "no check-ins".into(),
        }));
    }
    Ok(names)
}
