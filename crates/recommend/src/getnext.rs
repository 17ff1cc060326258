//! Check-ins with venue categories in the GETNext split files of the Foursquare NYC data set:
//! a folder with `<name>_val.csv` (the earlier check-ins) and `<name>_test.csv` (the later
//! ones), each with a header naming `user_id`, `POI_id`, `POI_catname`, `latitude` and
//! `longitude` (other columns are ignored).

use crate::checkins::{CheckIn, MAX_IDS};
use crate::DataError;
use std::collections::HashMap;
use std::path::Path;
use tripsmith_model::LatLon;

/// Check-ins at categorised venues, in two periods.
#[derive(Debug, Clone)]
pub struct VenueCheckIns {
    /// The data set's name (the files' prefix).
    pub name: String,
    /// Where each place is (dense ids, in order of first appearance).
    pub places: Vec<LatLon>,
    /// Each place's venue category name.
    pub categories: Vec<String>,
    /// How many users there are (dense ids, in order of first appearance).
    pub users: usize,
    /// The earlier period's check-ins (`<name>_val.csv`), `time` = row number.
    pub before: Vec<CheckIn>,
    /// The later period's (`<name>_test.csv`), numbered on after the earlier rows.
    pub after: Vec<CheckIn>,
}

/// Whether `dir` holds GETNext split files (a `*_val.csv` and a `*_test.csv`).
pub fn is_getnext(dir: &Path) -> bool {
    prefix(dir).is_some()
}

/// The prefix shared by a `*_val.csv` and a `*_test.csv` in `dir`.
fn prefix(dir: &Path) -> Option<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok()?.file_name().to_str()?.strip_suffix("_val.csv").map(str::to_string))
        .filter(|p| dir.join(format!("{p}_test.csv")).is_file())
        .collect();
    names.sort();
    names.into_iter().next()
}

/// Reads the GETNext split files in `dir`.
pub fn read_getnext(dir: &Path) -> Result<VenueCheckIns, DataError> {
    let name = prefix(dir).ok_or_else(|| {
        DataError::Data(format!("{}: no <name>_val.csv with a <name>_test.csv in this folder", dir.display()))
    })?;
    let mut data = VenueCheckIns {
        name: name.clone(),
        places: Vec::new(),
        categories: Vec::new(),
        users: 0,
        before: Vec::new(),
        after: Vec::new(),
    };
    let mut ids = Ids::default();
    for later in [false, true] {
        let path = dir.join(format!("{name}_{}.csv", if later { "test" } else { "val" }));
        let text = std::fs::read_to_string(&path)
            .map_err(|source| DataError::Io { path: path.display().to_string(), source })?;
        let rows = parse_rows(&text).map_err(|(line, reason)| DataError::Line {
            path: path.display().to_string(),
            line,
            reason,
        })?;
        for row in rows {
            let user = ids.user(&row.user);
            let place = match ids.places.get(&row.venue) {
                Some(&p) => p,
                None => {
                    let p = data.places.len();
                    ids.places.insert(row.venue, p);
                    data.places.push(row.location);
                    data.categories.push(row.category);
                    p
                }
            };
            if data.places.len() > MAX_IDS || ids.users.len() > MAX_IDS {
                return Err(DataError::Data(format!("{}: more than {MAX_IDS} places or users", path.display())));
            }
            let time = (data.before.len() + data.after.len()) as f64;
            let list = if later { &mut data.after } else { &mut data.before };
            list.push(CheckIn { user, poi: place, time });
        }
    }
    data.users = ids.users.len();
    Ok(data)
}

/// Dense ids of users and venues.
#[derive(Default)]
struct Ids {
    users: HashMap<String, usize>,
    places: HashMap<String, usize>,
}

impl Ids {
    fn user(&mut self, name: &str) -> usize {
        let next = self.users.len();
        *self.users.entry(name.to_string()).or_insert(next)
    }
}

/// One check-in row.
struct Row {
    user: String,
    venue: String,
    category: String,
    location: LatLon,
}

/// The rows of one file, or the 1-based line and reason of the first that does not parse.
fn parse_rows(text: &str) -> Result<Vec<Row>, (usize, String)> {
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let header = reader.headers().map_err(|e| (1, e.to_string()))?.clone();
    let column = |name: &str| {
        header.iter().position(|h| h.trim().eq_ignore_ascii_case(name)).ok_or((1, format!("no {name} column")))
    };
    let [user, venue, category, lat, lon] =
        [column("user_id")?, column("POI_id")?, column("POI_catname")?, column("latitude")?, column("longitude")?];
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.map_err(|e| (line, e.to_string()))?;
        let field = |c: usize, what: &str| {
            record.get(c).map(str::trim).filter(|v| !v.is_empty()).ok_or((line, format!("no {what}")))
        };
        let number = |c: usize, what: &str| {
            field(c, what)?.parse::<f64>().map_err(|_| (line, format!("{what} is not a number")))
        };
        let location =
            LatLon::new(number(lat, "latitude")?, number(lon, "longitude")?).map_err(|e| (line, e.to_string()))?;
        rows.push(Row {
            user: field(user, "user_id")?.to_string(),
            venue: field(venue, "POI_id")?.to_string(),
            category: field(category, "POI_catname")?.to_string(),
            location,
        });
    }
    Ok(rows)
}
