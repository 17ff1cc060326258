//! The itinerary in the formats other tools read: GeoJSON (maps and web pages), GPX (GPS
//! devices and hiking apps) and iCalendar (calendars). One entry point, [`TripAnswer::export`],
//! serves the CLI's `plan --export FILE` and the API's report endpoint.

use crate::trip::TripAnswer;
use crate::Region;
use std::fmt::Write as _;
use std::str::FromStr;
use tripsmith_model::{LatLon, Profile};
use tripsmith_planner::{Activity, ClockTime, Itinerary, Problem};

/// A format the itinerary can be exported in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// A GeoJSON `FeatureCollection` (RFC 7946): stops and the lodging as points, legs as lines
    /// along the roads.
    GeoJson,
    /// GPX 1.1: the lodging and stops as waypoints, each day as a route through its stops and
    /// as a track along the roads.
    Gpx,
    /// iCalendar (RFC 5545): one event per stop and per break, at the stop's times.
    ICalendar,
}

impl ExportFormat {
    /// Every format, in the order help texts list them.
    pub const ALL: [ExportFormat; 3] = [ExportFormat::GeoJson, ExportFormat::Gpx, ExportFormat::ICalendar];

    /// Its file extension (without the dot).
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::GeoJson => "geojson",
            ExportFormat::Gpx => "gpx",
            ExportFormat::ICalendar => "ics",
        }
    }

    /// Its media type.
    pub fn media_type(self) -> &'static str {
        match self {
            ExportFormat::GeoJson => "application/geo+json",
            ExportFormat::Gpx => "application/gpx+xml",
            ExportFormat::ICalendar => "text/calendar; charset=utf-8",
        }
    }

    /// The format a file name's extension names (`.geojson`, `.gpx`, `.ics`), any case.
    pub fn from_path(path: &std::path::Path) -> Option<Self> {
        path.extension().and_then(|e| e.to_str()).and_then(|e| e.parse().ok())
    }
}

impl FromStr for ExportFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "geojson" => Ok(ExportFormat::GeoJson),
            "gpx" => Ok(ExportFormat::Gpx),
            "ics" | "ical" | "icalendar" => Ok(ExportFormat::ICalendar),
            _ => Err(format!("{s:?} is not an export format (geojson, gpx or ics)")),
        }
    }
}

/// Why an itinerary cannot be exported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExportError {
    /// The answer has no itinerary (infeasible, or no plan before the time limit).
    #[error("there is no itinerary to export")]
    NoItinerary,
    /// Calendar events need dates.
    #[error("calendar events need dates: the request has no start_date")]
    NoDates,
}

impl TripAnswer {
    /// The itinerary in `format`, as text.
    pub fn export(&self, region: &Region, format: ExportFormat) -> Result<String, ExportError> {
        let plan = self.outcome.plan().ok_or(ExportError::NoItinerary)?;
        match format {
            ExportFormat::GeoJson => Ok(format!("{}\n", geojson(region, &self.problem, plan))),
            ExportFormat::Gpx => Ok(gpx(region, &self.problem, plan, &self.title(region))),
            ExportFormat::ICalendar => icalendar(&self.problem, plan, &self.title(region)),
        }
    }
}

/// `[lon, lat]`, as GeoJSON writes a position.
fn position(p: LatLon) -> serde_json::Value {
    serde_json::json!([p.lon, p.lat])
}

fn activity_name(activity: Activity) -> &'static str {
    match activity {
        Activity::Visit => "visit",
        Activity::Meal(kind) => kind.as_str(),
    }
}

fn geojson(region: &Region, problem: &Problem, plan: &Itinerary) -> serde_json::Value {
    use serde_json::json;
    let mut features = Vec::new();
    if let Some(l) = plan.lodging {
        let c = &problem.candidates[l];
        features.push(json!({"type": "Feature", "geometry": {"type": "Point", "coordinates": position(c.location)},
            "properties": {"kind": "lodging", "id": c.id, "name": c.name}}));
    }
    let legs = leg_geometry(region, problem, plan);
    let from_base = plan.lodging.is_some() && problem.request.return_to_base;
    for (day, legs) in plan.days.iter().zip(legs) {
        for (order, s) in day.stops.iter().enumerate() {
            features.push(
                json!({"type": "Feature", "geometry": {"type": "Point", "coordinates": position(s.location)},
                "properties": {"kind": "stop", "day": day.day, "date": day.date.map(|d| d.to_string()),
                    "order": order + 1, "id": s.id, "name": s.name, "category": s.category.to_string(),
                    "activity": activity_name(s.activity), "arrive": s.arrive.to_string(), "start": s.start.to_string(),
                    "end": s.end.to_string(), "travel_minutes": s.travel_minutes, "travel_m": s.travel_m,
                    "mode": s.mode.map(|m| m.as_str()), "cost": s.cost.to_string(), "why": s.why}}),
            );
        }
        for (k, line) in legs.into_iter().enumerate() {
            // With a lodging the first leg leads to the first stop and the last back to the
            // lodging; without one, leg k leads from stop k to stop k + 1.
            let to = if from_base { k } else { k + 1 };
            let (name, mode) = match day.stops.get(to) {
                Some(s) => (s.name.clone(), s.mode.map(|m| m.as_str())),
                None => (plan.lodging_name.clone().unwrap_or_default(), None),
            };
            features.push(json!({"type": "Feature",
                "geometry": {"type": "LineString", "coordinates": line.into_iter().map(position).collect::<Vec<_>>()},
                "properties": {"kind": "leg", "day": day.day, "to": name, "mode": mode}}));
        }
    }
    json!({"type": "FeatureCollection", "features": features})
}

/// Road geometry of every leg of every day, by the mode the plan gives the leg (else the fastest
/// allowed; the straight line where none routes); a car leg with walking allowed walks to the
/// car, drives and walks on from where it parks ([`crate::planning::parking`]).
pub(crate) fn leg_geometry(region: &Region, problem: &Problem, plan: &Itinerary) -> Vec<Vec<Vec<LatLon>>> {
    let r = &problem.request;
    let base = plan.lodging.filter(|_| r.return_to_base).map(|l| problem.candidates[l].location);
    let walking = r.travel.modes.contains(&Profile::Foot);
    plan.days
        .iter()
        .map(|day| {
            let mut points: Vec<LatLon> = base.into_iter().collect();
            points.extend(day.stops.iter().map(|s| problem.candidates[s.candidate].location));
            // Without a lodging the day starts at its first stop: no leg leads there.
            let mut modes: Vec<Option<Profile>> =
                day.stops.iter().skip(usize::from(base.is_none())).map(|s| s.mode).collect();
            if !day.stops.is_empty() {
                points.extend(base);
                modes.extend(base.map(|_| day.back_mode));
            }
            points
                .windows(2)
                .zip(modes)
                .map(|(w, mode)| {
                    if let Some(line) =
                        mode.filter(|m| *m == Profile::Car && walking).and_then(|_| parked_leg(region, w))
                    {
                        return line;
                    }
                    let allowed = r.travel.modes.iter().filter(|m| mode.is_none_or(|mode| mode == **m));
                    allowed
                        .filter_map(|m: &Profile| region.router(*m).route(w[0], w[1]).ok())
                        .min_by(|a, b| a.duration_s.total_cmp(&b.duration_s))
                        .map_or_else(|| vec![w[0], w[1]], |route| route.geometry)
                })
                .collect()
        })
        .collect()
}

/// The line of a car leg from `w[0]` to `w[1]` that walks to where the car is parked for the
/// first place, drives to where it parks for the second and walks on; `None` when a piece
/// does not route.
fn parked_leg(region: &Region, w: &[LatLon]) -> Option<Vec<LatLon>> {
    let (from, to) = (crate::planning::parking(region, w[0])?, crate::planning::parking(region, w[1])?);
    let (foot, car) = (region.router(Profile::Foot), region.router(Profile::Car));
    let walk = |a: LatLon, b: LatLon| if a == b { Ok(vec![a]) } else { foot.route(a, b).map(|r| r.geometry) };
    let mut line = walk(w[0], from).ok()?;
    line.extend(car.route(from, to).ok()?.geometry);
    line.extend(walk(to, w[1]).ok()?);
    Some(line)
}

/// `text` with XML's special characters escaped.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

fn gpx(region: &Region, problem: &Problem, plan: &Itinerary, title: &str) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<gpx version=\"1.1\" creator=\"tripsmith\" xmlns=\"http://www.topografix.com/GPX/1/1\">\n");
    let _ = writeln!(out, "  <metadata><name>{}</name></metadata>", xml(title));
    let point = |tag: &str, p: LatLon| format!("<{tag} lat=\"{:.7}\" lon=\"{:.7}\">", p.lat, p.lon);
    if let Some(l) = plan.lodging {
        let c = &problem.candidates[l];
        let _ = writeln!(out, "  {}<name>{}</name><type>lodging</type></wpt>", point("wpt", c.location), xml(&c.name));
    }
    for day in &plan.days {
        for s in &day.stops {
            let when = format!("day {}, {}–{}", day.day, s.start, s.end);
            let _ = writeln!(
                out,
                "  {}<name>{}</name><desc>{}: {}</desc><type>{}</type></wpt>",
                point("wpt", s.location),
                xml(&s.name),
                xml(&when),
                xml(&s.why.join("; ")),
                xml(&s.category.to_string())
            );
        }
    }
    let day_name = |day: &tripsmith_planner::DayPlan| match day.date {
        Some(date) => format!("Day {} ({date})", day.day),
        None => format!("Day {}", day.day),
    };
    for day in &plan.days {
        let _ = writeln!(out, "  <rte><name>{}</name>", xml(&day_name(day)));
        for s in &day.stops {
            let _ = writeln!(out, "    {}<name>{}</name></rtept>", point("rtept", s.location), xml(&s.name));
        }
        out.push_str("  </rte>\n");
    }
    for (day, legs) in plan.days.iter().zip(leg_geometry(region, problem, plan)) {
        let _ = writeln!(out, "  <trk><name>{}</name><trkseg>", xml(&day_name(day)));
        let mut last: Option<LatLon> = None;
        for p in legs.into_iter().flatten() {
            // Consecutive legs share their end points: each point once.
            if last != Some(p) {
                let _ = writeln!(out, "    {}</trkpt>", point("trkpt", p));
            }
            last = Some(p);
        }
        out.push_str("  </trkseg></trk>\n");
    }
    out.push_str("</gpx>\n");
    out
}

/// `text` as an iCalendar TEXT value (backslash, semicolon, comma and newline escaped).
fn ical_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends one content line, folded at 75 octets as RFC 5545 asks (never inside a character),
/// ending in CRLF.
fn ical_line(out: &mut String, line: &str) {
    let mut used = 0;
    for c in line.chars() {
        if used + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += c.len_utf8();
    }
    out.push_str("\r\n");
}

/// A stable 64-bit FNV-1a hash, for event ids that stay the same across runs.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

fn icalendar(problem: &Problem, plan: &Itinerary, title: &str) -> Result<String, ExportError> {
    if problem.request.start_date.is_none() {
        return Err(ExportError::NoDates);
    }
    let zone = problem.timezone.as_deref();
    // UTC when the region's time zone is known, else the local ("floating") time.
    let stamp = |date: tripsmith_planner::Date, time: ClockTime| {
        let utc = zone.and_then(|z| tripsmith_planner::hours::utc_stamp(date, time.minutes(), z));
        utc.unwrap_or_else(|| {
            format!(
                "{:04}{:02}{:02}T{:02}{:02}00",
                date.year,
                date.month,
                date.day,
                time.minutes() / 60,
                time.minutes() % 60
            )
        })
    };
    let created = tripsmith_planner::hours::utc_stamp_now();
    let mut out = String::new();
    for line in ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//tripsmith//trip plan//EN", "CALSCALE:GREGORIAN"] {
        ical_line(&mut out, line);
    }
    ical_line(&mut out, &format!("X-WR-CALNAME:{}", ical_text(title)));
    let trip = fnv1a(&format!("{title}{plan:?}"));
    for day in &plan.days {
        let Some(date) = day.date else { continue };
        let mut events: Vec<(ClockTime, ClockTime, String, Option<LatLon>, String, String)> = day
            .stops
            .iter()
            .enumerate()
            .map(|(k, s)| {
                let summary = match s.activity {
                    Activity::Visit => s.name.clone(),
                    Activity::Meal(kind) => format!("{}: {}", capitalised(kind.as_str()), s.name),
                };
                let from = match (k, &plan.lodging_name) {
                    (0, Some(lodging)) if problem.request.return_to_base => lodging.as_str(),
                    (0, _) => "the start",
                    _ => day.stops[k - 1].name.as_str(),
                };
                let travel = match s.mode {
                    Some(_) if s.travel_minutes > 0 => format!("; {} min{} from {from}", s.travel_minutes, s.how()),
                    _ => String::new(),
                };
                let description = format!("{} ({}){travel}; cost {}", s.why.join("; "), s.id, s.cost);
                (s.start, s.end, summary, Some(s.location), description, s.category.to_string())
            })
            .collect();
        if let Some(rest) = day.rest {
            events.push((rest.start, rest.end, "Break (free time)".into(), None, String::new(), "break".into()));
            events.sort_by_key(|e| e.0);
        }
        for (k, (start, end, summary, location, description, category)) in events.into_iter().enumerate() {
            ical_line(&mut out, "BEGIN:VEVENT");
            ical_line(&mut out, &format!("UID:{trip:016x}-{}-{}@tripsmith", day.day, k + 1));
            ical_line(&mut out, &format!("DTSTAMP:{created}"));
            ical_line(&mut out, &format!("DTSTART:{}", stamp(date, start)));
            ical_line(&mut out, &format!("DTEND:{}", stamp(date, end)));
            ical_line(&mut out, &format!("SUMMARY:{}", ical_text(&summary)));
            if let Some(p) = location {
                ical_line(&mut out, &format!("LOCATION:{}", ical_text(&summary)));
                ical_line(&mut out, &format!("GEO:{:.6};{:.6}", p.lat, p.lon));
            } else {
                ical_line(&mut out, "TRANSP:TRANSPARENT");
            }
            if !description.is_empty() {
                ical_line(&mut out, &format!("DESCRIPTION:{}", ical_text(&description)));
            }
            ical_line(&mut out, &format!("CATEGORIES:{}", ical_text(&category)));
            ical_line(&mut out, "END:VEVENT");
        }
    }
    ical_line(&mut out, "END:VCALENDAR");
    Ok(out)
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_come_from_names_and_extensions() {
        assert_eq!(ExportFormat::from_path(std::path::Path::new("trip.GPX")), Some(ExportFormat::Gpx));
        assert_eq!(ExportFormat::from_path(std::path::Path::new("a/trip.ics")), Some(ExportFormat::ICalendar));
        assert_eq!(ExportFormat::from_path(std::path::Path::new("trip.kml")), None);
        for format in ExportFormat::ALL {
            assert_eq!(format.extension().parse::<ExportFormat>(), Ok(format));
        }
        assert!("kml".parse::<ExportFormat>().unwrap_err().contains("geojson, gpx or ics"));
    }

    #[test]
    fn calendar_lines_are_escaped_and_folded_at_75_octets() {
        assert_eq!(ical_text("a, b; c\\d\ne"), "a\\, b\\; c\\\\d\\ne");
        let mut out = String::new();
        let long = format!("SUMMARY:{}", "é".repeat(60));
        ical_line(&mut out, &long);
        let lines: Vec<&str> = out.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert!(lines.len() > 1 && lines.iter().all(|l| l.len() <= 75), "{lines:?}");
        assert!(lines[1..].iter().all(|l| l.starts_with(' ')));
        let unfolded: String = lines.iter().enumerate().map(|(k, l)| if k == 0 { *l } else { &l[1..] }).collect();
        assert_eq!(unfolded, long);
        assert_eq!(xml("Tom & Jerry's <b>"), "Tom &amp; Jerry&apos;s &lt;b&gt;");
    }
}
