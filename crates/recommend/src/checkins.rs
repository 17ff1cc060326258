//! Check-in data sets: users visiting places at times. Reads the LBSN evaluation sets
//! (Foursquare_3, Gowalla_2: `<prefix>_checkins.txt` with `user poi unix-time` and
//! `<prefix>_poi_coos.txt` with `poi latitude longitude`, tab-separated, ids from 0).

use crate::DataError;
use std::path::Path;
use tripsmith_model::LatLon;

/// One visit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CheckIn {
    /// The user (dense index).
    pub user: usize,
    /// The place (dense index).
    pub poi: usize,
    /// Unix time in seconds.
    pub time: f64,
}

/// A data set: places with coordinates and the users' check-ins, each user's in time order.
#[derive(Debug, Clone)]
pub struct CheckIns {
    /// Its name (the file prefix).
    pub name: String,
    /// Where each place is.
    pub pois: Vec<LatLon>,
    /// How many users there are.
    pub users: usize,
    /// Every check-in, by user, then time.
    pub events: Vec<CheckIn>,
}

/// Most ids a data set may hold (places or users): far above the sets in use, low enough to
/// refuse a corrupt id before allocating for it.
pub const MAX_IDS: usize = 10_000_000;

impl CheckIns {
    /// Builds a data set from places and check-ins (any order), checking every id.
    pub fn new(name: String, pois: Vec<LatLon>, mut events: Vec<CheckIn>) -> Result<Self, DataError> {
        if let Some(e) = events.iter().find(|e| e.poi >= pois.len()) {
            return Err(DataError::Data(format!("a check-in names place {}, which has no coordinates", e.poi)));
        }
        events.sort_by(|a, b| a.user.cmp(&b.user).then(a.time.total_cmp(&b.time)).then(a.poi.cmp(&b.poi)));
        let users = events.last().map_or(0, |e| e.user + 1);
        Ok(CheckIns { name, pois, users, events })
    }

    /// Each user's check-ins, in time order (empty slices for users without any).
    pub fn by_user(&self) -> Vec<&[CheckIn]> {
        let mut out = vec![&self.events[..0]; self.users];
        let mut start = 0;
        while start < self.events.len() {
            let user = self.events[start].user;
            let end = start + self.events[start..].iter().take_while(|e| e.user == user).count();
            out[user] = &self.events[start..end];
            start = end;
        }
        out
    }
}

/// Reads the LBSN data set in `dir`: the one `<prefix>_checkins.txt` there names it (a folder
/// with none or several is refused).
pub fn read_lbsn_dir(dir: &Path) -> Result<CheckIns, DataError> {
    let entries = std::fs::read_dir(dir).map_err(|source| DataError::Io { path: dir.display().to_string(), source })?;
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.strip_suffix("_checkins.txt").map(str::to_string))
        .collect();
    names.sort();
    match names.as_slice() {
        [one] => read_lbsn(dir, one),
        [] => Err(DataError::Data(format!("{}: no <name>_checkins.txt file in this folder", dir.display()))),
        _ => Err(DataError::Data(format!(
            "{}: several check-in files ({}); give a folder with one",
            dir.display(),
            names.join(", ")
        ))),
    }
}

/// Reads an LBSN data set from `dir`, whose files start with `prefix` (e.g. `Foursquare`).
pub fn read_lbsn(dir: &Path, prefix: &str) -> Result<CheckIns, DataError> {
    let read = |suffix: &str| {
        let path = dir.join(format!("{prefix}_{suffix}"));
        std::fs::read_to_string(&path)
            .map(|text| (path.display().to_string(), text))
            .map_err(|source| DataError::Io { path: path.display().to_string(), source })
    };
    let (path, text) = read("poi_coos.txt")?;
    let pois = parse_places(&path, &text)?;
    let (path, text) = read("checkins.txt")?;
    let events = parse_checkins(&path, &text)?;
    CheckIns::new(prefix.to_string(), pois, events)
}

/// The fields of each non-empty line, with its 1-based number.
fn rows(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()).map(|(i, l)| (i + 1, l.split_whitespace().collect()))
}

/// A dense id below [`MAX_IDS`].
fn id(field: &str, what: &str, path: &str, line: usize) -> Result<usize, DataError> {
    let bad = |reason: String| DataError::Line { path: path.to_string(), line, reason };
    let v: usize = field.parse().map_err(|_| bad(format!("{what} {field:?} is not a whole number")))?;
    if v >= MAX_IDS {
        return Err(bad(format!("{what} {v} is over {MAX_IDS}")));
    }
    Ok(v)
}

/// `poi latitude longitude` lines: each place's coordinates (every id from 0 up must appear).
pub fn parse_places(path: &str, text: &str) -> Result<Vec<LatLon>, DataError> {
    let mut pois: Vec<Option<LatLon>> = Vec::new();
    for (line, fields) in rows(text) {
        let bad = |reason: String| DataError::Line { path: path.to_string(), line, reason };
        let [poi, lat, lon] = fields[..] else { return Err(bad("a place line is: id latitude longitude".into())) };
        let poi = id(poi, "place", path, line)?;
        let (lat, lon): (f64, f64) = match (lat.parse(), lon.parse()) {
            (Ok(a), Ok(b)) => (a, b),
            _ => return Err(bad(format!("coordinates {lat} {lon} are not numbers"))),
        };
        let at = LatLon::new(lat, lon).map_err(|e| bad(e.to_string()))?;
        if poi >= pois.len() {
            pois.resize(poi + 1, None);
        }
        if pois[poi].replace(at).is_some() {
            return Err(bad(format!("place {poi} is listed twice")));
        }
    }
    pois.iter()
        .enumerate()
        .map(|(i, p)| p.ok_or_else(|| DataError::Data(format!("{path}: place {i} has no coordinates"))))
        .collect()
}

/// `user poi unix-time` lines.
pub fn parse_checkins(path: &str, text: &str) -> Result<Vec<CheckIn>, DataError> {
    rows(text)
        .map(|(line, fields)| {
            let bad = |reason: String| DataError::Line { path: path.to_string(), line, reason };
            let [user, poi, time] = fields[..] else { return Err(bad("a check-in line is: user place time".into())) };
            let time: f64 = time.parse().map_err(|_| bad(format!("time {time:?} is not a number")))?;
            if !time.is_finite() {
                return Err(bad(format!("time {time} is not finite")));
            }
            Ok(CheckIn { user: id(user, "user", path, line)?, poi: id(poi, "place", path, line)?, time })
        })
        .collect()
}
