//! Which ways each routing profile may use, in which directions, and how fast.
//!
//! Car: the highway classes of [`CAR_SPEEDS_KMH`]; `maxspeed` (km/h, `mph`, `none`, `walk`)
//! overrides the class default; `oneway=yes|true|1|-1|reverse`, and motorways and roundabouts
//! are one-way unless tagged otherwise; `access`, `vehicle`, `motor_vehicle` and `motorcar`
//! restrictions (`no`, `private`, `agricultural`, `forestry`, `delivery`, `emergency`) are honoured,
//! the most specific tag winning.
//! Foot: the classes of [`FOOT_SPEEDS_KMH`] in both directions (`oneway:foot` honoured), plus any
//! way tagged `foot=yes|designated|permissive`; `access` and `foot` restrictions as for cars.

use tripsmith_model::Profile;

/// Car speeds by `highway` class when no usable `maxspeed` is tagged.
pub const CAR_SPEEDS_KMH: &[(&str, f64)] = &[
    ("motorway", 110.0),
    ("motorway_link", 60.0),
    ("trunk", 90.0),
    ("trunk_link", 50.0),
    ("primary", 65.0),
    ("primary_link", 45.0),
    ("secondary", 55.0),
    ("secondary_link", 40.0),
    ("tertiary", 45.0),
    ("tertiary_link", 35.0),
    ("unclassified", 35.0),
    ("residential", 30.0),
    ("road", 30.0),
    ("living_street", 10.0),
    ("service", 15.0),
];

/// Walking speeds by `highway` class.
pub const FOOT_SPEEDS_KMH: &[(&str, f64)] = &[
    ("footway", 5.0),
    ("pedestrian", 5.0),
    ("path", 4.5),
    ("steps", 2.5),
    ("corridor", 5.0),
    ("living_street", 5.0),
    ("residential", 5.0),
    ("service", 5.0),
    ("track", 4.5),
    ("unclassified", 5.0),
    ("road", 5.0),
    ("tertiary", 5.0),
    ("tertiary_link", 5.0),
    ("secondary", 5.0),
    ("secondary_link", 5.0),
    ("primary", 5.0),
    ("primary_link", 5.0),
    ("trunk", 5.0),
    ("trunk_link", 5.0),
    ("bridleway", 4.5),
    ("cycleway", 5.0),
];

/// How a profile may use one way.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WayAccess {
    /// Travel allowed in the direction of the way's nodes.
    pub forward: bool,
    /// Travel allowed against it.
    pub backward: bool,
    /// Speed in km/h.
    pub speed_kmh: f64,
}

const RESTRICTED: [&str; 7] = ["no", "private", "agricultural", "forestry", "delivery", "emergency", "military"];
const ALLOWED: [&str; 5] = ["yes", "designated", "permissive", "destination", "customers"];

/// Access of `profile` to a way with these tags, or `None` when it may not use it.
pub fn way_access<'a>(profile: Profile, tags: impl Fn(&str) -> Option<&'a str>) -> Option<WayAccess> {
    let highway = tags("highway")?;
    if tags("area") == Some("yes") {
        return None;
    }
    match profile {
        Profile::Car => car_access(highway, &tags),
        Profile::Foot => foot_access(highway, &tags),
    }
}

/// The most specific access tag present decides; `true` = allowed, `false` = restricted.
fn access_verdict<'a>(keys: &[&str], tags: &impl Fn(&str) -> Option<&'a str>) -> Option<bool> {
    keys.iter().rev().find_map(|k| {
        let v = tags(k)?;
        if RESTRICTED.contains(&v) {
            Some(false)
        } else if ALLOWED.contains(&v) {
            Some(true)
        } else {
            None
        }
    })
}

fn car_access<'a>(highway: &str, tags: &impl Fn(&str) -> Option<&'a str>) -> Option<WayAccess> {
    let default_speed = CAR_SPEEDS_KMH.iter().find(|(h, _)| *h == highway).map(|(_, s)| *s)?;
    if access_verdict(&["access", "vehicle", "motor_vehicle", "motorcar"], tags) == Some(false) {
        return None;
    }
    let speed_kmh = tags("maxspeed").and_then(parse_maxspeed).unwrap_or(default_speed).clamp(5.0, 130.0);
    let implied_oneway = highway == "motorway"
        || highway == "motorway_link"
        || matches!(tags("junction"), Some("roundabout" | "circular"));
    let (forward, backward) = match tags("oneway") {
        Some("yes" | "true" | "1") => (true, false),
        Some("-1" | "reverse") => (false, true),
        Some("no" | "false" | "0") => (true, true),
        _ if implied_oneway => (true, false),
        _ => (true, true),
    };
    Some(WayAccess { forward, backward, speed_kmh })
}

fn foot_access<'a>(highway: &str, tags: &impl Fn(&str) -> Option<&'a str>) -> Option<WayAccess> {
    let class_speed = FOOT_SPEEDS_KMH.iter().find(|(h, _)| *h == highway).map(|(_, s)| *s);
    let verdict = access_verdict(&["access", "foot"], tags);
    let speed_kmh = match (class_speed, verdict) {
        (_, Some(false)) => return None,
        (Some(s), _) => s,
        (None, Some(true)) => 5.0,
        (None, None) => return None,
    };
    if tags("foot") == Some("use_sidepath") {
        return None;
    }
    let (forward, backward) = match tags("oneway:foot") {
        Some("yes" | "true" | "1") => (true, false),
        Some("-1") => (false, true),
        _ => (true, true),
    };
    Some(WayAccess { forward, backward, speed_kmh })
}

/// Parses an OSM `maxspeed` value into km/h (`50`, `30 mph`, `walk`); `None` for `none`,
/// `signals`, zone codes and anything else without a number.
pub fn parse_maxspeed(raw: &str) -> Option<f64> {
    let v = raw.trim();
    if v == "walk" {
        return Some(6.0);
    }
    let (number, mph) = match v.strip_suffix("mph") {
        Some(n) => (n.trim(), true),
        None => (v.strip_suffix("km/h").unwrap_or(v).trim(), false),
    };
    let n: f64 = number.parse().ok().filter(|n: &f64| n.is_finite() && *n > 0.0)?;
    Some(if mph { n * 1.609_344 } else { n })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn access(profile: Profile, pairs: &[(&'static str, &'static str)]) -> Option<WayAccess> {
        way_access(profile, |k| pairs.iter().find(|(key, _)| *key == k).map(|(_, v)| *v))
    }

    #[test]
    fn car_rules() {
        let a = access(Profile::Car, &[("highway", "residential")]).unwrap();
        assert_eq!((a.forward, a.backward, a.speed_kmh), (true, true, 30.0));
        let a = access(Profile::Car, &[("highway", "primary"), ("oneway", "yes"), ("maxspeed", "50")]).unwrap();
        assert_eq!((a.forward, a.backward, a.speed_kmh), (true, false, 50.0));
        let a = access(Profile::Car, &[("highway", "primary"), ("oneway", "-1")]).unwrap();
        assert_eq!((a.forward, a.backward), (false, true));
        let a = access(Profile::Car, &[("highway", "motorway")]).unwrap();
        assert_eq!((a.forward, a.backward), (true, false));
        let a = access(Profile::Car, &[("highway", "tertiary"), ("junction", "roundabout")]).unwrap();
        assert_eq!((a.forward, a.backward), (true, false));
        assert!(access(Profile::Car, &[("highway", "footway")]).is_none());
        assert!(access(Profile::Car, &[("highway", "service"), ("access", "private")]).is_none());
        assert!(access(Profile::Car, &[("highway", "service"), ("access", "no"), ("motor_vehicle", "yes")]).is_some());
        assert!(access(Profile::Car, &[("highway", "residential"), ("motor_vehicle", "no")]).is_none());
        assert!(access(Profile::Car, &[("highway", "pedestrian")]).is_none());
        assert!(access(Profile::Car, &[("building", "yes")]).is_none());
    }

    #[test]
    fn foot_rules() {
        let a = access(Profile::Foot, &[("highway", "footway"), ("oneway", "yes")]).unwrap();
        assert_eq!((a.forward, a.backward), (true, true));
        assert!(access(Profile::Foot, &[("highway", "motorway")]).is_none());
        assert!(access(Profile::Foot, &[("highway", "motorway"), ("foot", "yes")]).is_some());
        assert!(access(Profile::Foot, &[("highway", "path"), ("foot", "no")]).is_none());
        assert!(access(Profile::Foot, &[("highway", "service"), ("access", "private")]).is_none());
        assert!(access(Profile::Foot, &[("highway", "service"), ("access", "private"), ("foot", "yes")]).is_some());
        assert!(access(Profile::Foot, &[("highway", "pedestrian"), ("area", "yes")]).is_none());
        assert_eq!(access(Profile::Foot, &[("highway", "steps")]).unwrap().speed_kmh, 2.5);
    }

    #[test]
    fn maxspeed_values() {
        assert_eq!(parse_maxspeed("50"), Some(50.0));
        assert_eq!(parse_maxspeed("50 km/h"), Some(50.0));
        assert!((parse_maxspeed("30 mph").unwrap() - 48.28).abs() < 0.01);
        assert_eq!(parse_maxspeed("none"), None);
        assert_eq!(parse_maxspeed("FR:urban"), None);
        assert_eq!(parse_maxspeed("-5"), None);
        assert_eq!(parse_maxspeed("walk"), Some(6.0));
    }
}
