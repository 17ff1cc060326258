//! Travellers between two cities (the UPTDNet Foursquare file of Washington and Baltimore): one
//! CSV with a header naming `userid`, `placeid`, `time` (`Tue Apr 03 22:43:56 +0000 2012`),
//! `lng`, `lat`, `spot_categ` (the Foursquare venue category) and `cross_city_mode` (`A_B`: a
//! user living in city A checking in in city B).
//!
//! A *traveller* is a user with one home city (a user who appears with two homes is two
//! travellers, as the data set counts them). Their check-ins in the other city fall into
//! *visits*: a gap of more than [`VISIT_GAP_HOURS`] starts a new one.

use crate::checkins::{CheckIn, CheckIns, MAX_IDS};
use crate::DataError;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use tripsmith_model::LatLon;

/// A gap longer than this between two check-ins in the other city starts a new visit.
pub const VISIT_GAP_HOURS: f64 = 72.0;

/// The columns a cross-city file must have.
pub const COLUMNS: [&str; 7] = ["userid", "placeid", "time", "lng", "lat", "spot_categ", "cross_city_mode"];

/// A cross-city data set: places with their category and city, travellers with their home city.
#[derive(Debug, Clone)]
pub struct CrossCity {
    /// Places (dense ids in order of first appearance) and check-ins (dense traveller ids).
    pub data: CheckIns,
    /// Each place's Foursquare category name.
    pub categories: Vec<String>,
    /// Each place's id in the file.
    pub place_ids: Vec<String>,
    /// The cities, in order of first appearance.
    pub cities: Vec<String>,
    /// Each place's city (index into `cities`).
    pub city_of_place: Vec<usize>,
    /// Each traveller's home city.
    pub home_city: Vec<usize>,
    /// Each traveller's user id in the file.
    pub user_ids: Vec<String>,
}

/// Whether `path` is, or is a folder holding exactly one, CSV file whose header has
/// `cross_city_mode`.
pub fn find_cross_city(path: &Path) -> Option<PathBuf> {
    let has_mode = |p: &Path| {
        let text = std::fs::read(p).ok()?;
        let first = text.split(|&b| b == b'\n').next()?;
        String::from_utf8_lossy(first).contains("cross_city_mode").then_some(())
    };
    if path.is_file() {
        return has_mode(path).map(|()| path.to_path_buf());
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir(path)
        .ok()?
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "csv") && has_mode(p).is_some())
        .collect();
    (found.len() == 1).then(|| found.remove(0))
}

/// Seconds since 1970 of a Twitter-style time, `Tue Apr 03 22:43:56 +0000 2012` (the offset
/// applied).
pub fn parse_time(text: &str) -> Option<f64> {
    let parts: Vec<&str> = text.split_whitespace().collect();
    let [_, month, day, clock, offset, year] = parts[..] else { return None };
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let month = MONTHS.iter().position(|m| *m == month)? as i64 + 1;
    let (day, year): (i64, i64) = (day.parse().ok()?, year.parse().ok()?);
    if !(1..=31).contains(&day) {
        return None;
    }
    let hms: Vec<i64> = clock.split(':').map(|x| x.parse().ok()).collect::<Option<_>>()?;
    let [h, m, s] = hms[..] else { return None };
    if !(0..24).contains(&h) || !(0..60).contains(&m) || !(0..61).contains(&s) {
        return None;
    }
    let sign = match offset.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: i64 = offset.get(1..)?.parse().ok()?;
    let offset_s = sign * (digits / 100 * 3600 + digits % 100 * 60);
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some((days * 86_400 + h * 3600 + m * 60 + s - offset_s) as f64)
}

/// Reads a cross-city CSV file.
pub fn read_cross_city(path: &Path) -> Result<CrossCity, DataError> {
    let text =
        std::fs::read_to_string(path).map_err(|source| DataError::Io { path: path.display().to_string(), source })?;
    let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or("cross-city").to_string();
    parse_cross_city(&name, &path.display().to_string(), &text)
}

/// [`read_cross_city`] on text; `path` names it in errors.
pub fn parse_cross_city(name: &str, path: &str, text: &str) -> Result<CrossCity, DataError> {
    let line_error = |line: usize, reason: String| DataError::Line { path: path.to_string(), line, reason };
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(text.as_bytes());
    let header = reader.headers().map_err(|e| line_error(1, e.to_string()))?.clone();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h.trim() == name)
            .ok_or_else(|| line_error(1, format!("no {name} column: the header needs {}", COLUMNS.join(", "))))
    };
    let at: Vec<usize> = COLUMNS.iter().map(|c| column(c)).collect::<Result<_, _>>()?;
    let mut out = CrossCity {
        data: CheckIns { name: name.to_string(), pois: Vec::new(), users: 0, events: Vec::new() },
        categories: Vec::new(),
        place_ids: Vec::new(),
        cities: Vec::new(),
        city_of_place: Vec::new(),
        home_city: Vec::new(),
        user_ids: Vec::new(),
    };
    let (mut places, mut travellers, mut cities) = (HashMap::new(), HashMap::new(), HashMap::new());
    let mut events = Vec::new();
    for (i, row) in reader.records().enumerate() {
        let line = i + 2;
        let row = row.map_err(|e| line_error(line, e.to_string()))?;
        let field = |k: usize| row.get(at[k]).map(str::trim).unwrap_or_default();
        let (user, place, category, mode) = (field(0), field(1), field(5), field(6));
        let time = parse_time(field(2)).ok_or_else(|| {
            line_error(line, format!("time {:?} is not like Tue Apr 03 22:43:56 +0000 2012", field(2)))
        })?;
        let (lon, lat): (f64, f64) = match (field(3).parse(), field(4).parse()) {
            (Ok(a), Ok(b)) => (a, b),
            _ => return Err(line_error(line, format!("coordinates {} {} are not numbers", field(3), field(4)))),
        };
        let position = LatLon::new(lat, lon).map_err(|e| line_error(line, e.to_string()))?;
        let (home, here) = mode
            .split_once('_')
            .filter(|(a, b)| !a.is_empty() && !b.is_empty())
            .ok_or_else(|| line_error(line, format!("cross_city_mode {mode:?} is not CITY_CITY")))?;
        if user.is_empty() || place.is_empty() || category.is_empty() {
            return Err(line_error(line, "an empty userid, placeid or spot_categ".into()));
        }
        let mut city = |name: &str| {
            let next = cities.len();
            *cities.entry(name.to_string()).or_insert_with(|| {
                out.cities.push(name.to_string());
                next
            })
        };
        let (home, here) = (city(home), city(here));
        let next = travellers.len();
        let traveller = *travellers.entry((user.to_string(), home)).or_insert_with(|| {
            out.user_ids.push(user.to_string());
            out.home_city.push(home);
            next
        });
        let next = places.len();
        let poi = *places.entry(place.to_string()).or_insert_with(|| {
            out.data.pois.push(position);
            out.categories.push(category.to_string());
            out.place_ids.push(place.to_string());
            out.city_of_place.push(here);
            next
        });
        if out.city_of_place[poi] != here {
            return Err(line_error(
                line,
                format!("place {place} is in {} and in {}", out.cities[out.city_of_place[poi]], out.cities[here]),
            ));
        }
        if places.len() >= MAX_IDS || travellers.len() >= MAX_IDS {
            return Err(line_error(line, format!("more than {MAX_IDS} places or travellers")));
        }
        events.push(CheckIn { user: traveller, poi, time });
    }
    if out.cities.len() != 2 {
        return Err(DataError::Data(format!(
            "{path}: a cross-city file has two cities; this one has {} ({})",
            out.cities.len(),
            out.cities.join(", ")
        )));
    }
    let pois = std::mem::take(&mut out.data.pois);
    out.data = CheckIns::new(name.to_string(), pois, events)?;
    out.data.users = out.user_ids.len();
    Ok(out)
}

impl CrossCity {
    /// The city other than `city`.
    pub fn other(&self, city: usize) -> usize {
        1 - city
    }

    /// Each traveller's visits to the other city: runs of check-ins there, a gap of more than
    /// [`VISIT_GAP_HOURS`] starting the next; in time order.
    pub fn visits(&self) -> Vec<Vec<Vec<CheckIn>>> {
        self.data
            .by_user()
            .into_iter()
            .enumerate()
            .map(|(t, events)| {
                let mut visits: Vec<Vec<CheckIn>> = Vec::new();
                for &e in events.iter().filter(|e| self.city_of_place[e.poi] != self.home_city[t]) {
                    match visits.last_mut() {
                        Some(v) if v.last().is_some_and(|l| e.time - l.time <= VISIT_GAP_HOURS * 3600.0) => v.push(e),
                        _ => visits.push(vec![e]),
                    }
                }
                visits
            })
            .collect()
    }

    /// Each traveller's home: the mean position of their check-ins in their home city.
    pub fn homes(&self) -> Vec<Option<LatLon>> {
        let mut sums = vec![(0.0, 0.0, 0usize); self.data.users];
        for e in &self.data.events {
            if self.city_of_place[e.poi] == self.home_city[e.user] {
                let p = self.data.pois[e.poi];
                let s = &mut sums[e.user];
                *s = (s.0 + p.lat, s.1 + p.lon, s.2 + 1);
            }
        }
        sums.iter().map(|&(lat, lon, n)| (n > 0).then(|| LatLon { lat: lat / n as f64, lon: lon / n as f64 })).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_as_utc_seconds() {
        assert_eq!(parse_time("Thu Jan 01 00:00:00 +0000 1970"), Some(0.0));
        // 2012-04-03 22:43:56 UTC.
        assert_eq!(parse_time("Tue Apr 03 22:43:56 +0000 2012"), Some(1_333_493_036.0));
        assert_eq!(parse_time("Tue Apr 03 18:43:56 -0400 2012"), Some(1_333_493_036.0));
        assert_eq!(parse_time("Wed Feb 29 12:00:00 +0000 2012"), Some(1_330_516_800.0));
        for bad in ["", "Tue Apr 03 22:43:56 2012", "Tue Foo 03 22:43:56 +0000 2012", "Tue Apr 03 25:00:00 +0000 2012"]
        {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
    }

    const FILE: &str = "userid,placeid,time,timeoffset,lng,lat,spot_categ,cross_city_mode
1,a,Mon Apr 02 10:00:00 +0000 2012,-240,-77.0,38.9,Museum,Washington_Washington
1,b,Tue Apr 03 10:00:00 +0000 2012,-240,-76.6,39.3,Park,Washington_Baltimore
1,c,Tue Apr 10 10:00:00 +0000 2012,-240,-76.6,39.29,Bar,Washington_Baltimore
1,b,Tue Apr 10 12:00:00 +0000 2012,-240,-76.6,39.3,Park,Washington_Baltimore
2,b,Tue Apr 10 12:00:00 +0000 2012,-240,-76.6,39.3,Park,Baltimore_Baltimore
2,a,Tue Apr 11 12:00:00 +0000 2012,-240,-77.0,38.9,Museum,Baltimore_Washington
1,a,Tue Apr 12 12:00:00 +0000 2012,-240,-77.0,38.9,Museum,Baltimore_Washington
";

    #[test]
    fn travellers_visits_and_cities() {
        let cc = parse_cross_city("t", "t.csv", FILE).unwrap();
        assert_eq!(cc.cities, ["Washington", "Baltimore"]);
        assert_eq!((cc.data.pois.len(), cc.data.users, cc.data.events.len()), (3, 3, 7));
        // User 1 lives in both cities: two travellers.
        assert_eq!(cc.user_ids, ["1", "2", "1"]);
        assert_eq!(cc.home_city, [0, 1, 1]);
        assert_eq!(cc.categories, ["Museum", "Park", "Bar"]);
        let visits = cc.visits();
        // Washingtonian 1: Baltimore on the 3rd, then again a week later (two check-ins).
        assert_eq!(visits[0].iter().map(Vec::len).collect::<Vec<_>>(), [1, 2]);
        assert_eq!(visits[1].len(), 1);
        assert_eq!(visits[2].len(), 1, "the Baltimorean user 1 visited Washington once");
        let homes = cc.homes();
        assert_eq!(homes[0], Some(LatLon { lat: 38.9, lon: -77.0 }));
        assert_eq!(homes[2], None, "no check-in at home in Baltimore");
    }

    #[test]
    fn bad_rows_name_their_line() {
        let bad = FILE.replace("Washington_Baltimore\n1,c", "Washington-Baltimore\n1,c");
        let e = parse_cross_city("t", "t.csv", &bad).unwrap_err().to_string();
        assert!(e.contains("t.csv, line 3") && e.contains("CITY_CITY"), "{e}");
        let e = parse_cross_city("t", "t.csv", "userid,placeid\n1,a\n").unwrap_err().to_string();
        assert!(e.contains("no time column"), "{e}");
        let moved = FILE.replace(
            "2,a,Tue Apr 11 12:00:00 +0000 2012,-240,-77.0,38.9,Museum,Baltimore_Washington",
            "2,a,Tue Apr 11 12:00:00 +0000 2012,-240,-77.0,38.9,Museum,Baltimore_Baltimore",
        );
        let e = parse_cross_city("t", "t.csv", &moved).unwrap_err().to_string();
        assert!(e.contains("line 7") && e.contains("place a is in Washington and in Baltimore"), "{e}");
    }
}
