//! Turn-by-turn steps of a route, as OSRM gives them: one step per stretch on one street, each
//! opening with a maneuver (depart, turn, new name, continue, roundabout, exit roundabout,
//! arrive) whose direction comes from the bearings before and after it, and the street names
//! from the OSM ways the route runs along.

use crate::Route;
use tripsmith_model::{LatLon, RoadGraph, Street};

/// What a maneuver does (OSRM's `maneuver.type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ManeuverKind {
    /// Leave the start.
    Depart,
    /// Turn onto another street.
    Turn,
    /// The street changes its name while going on in about the same direction.
    NewName,
    /// Stay on the same street through a turn at an intersection.
    Continue,
    /// Enter a roundabout (the step says which exit to take).
    Roundabout,
    /// Leave a roundabout.
    ExitRoundabout,
    /// Reach the end of the leg.
    Arrive,
}

impl ManeuverKind {
    /// OSRM's name for it.
    pub fn as_str(self) -> &'static str {
        match self {
            ManeuverKind::Depart => "depart",
            ManeuverKind::Turn => "turn",
            ManeuverKind::NewName => "new name",
            ManeuverKind::Continue => "continue",
            ManeuverKind::Roundabout => "roundabout",
            ManeuverKind::ExitRoundabout => "exit roundabout",
            ManeuverKind::Arrive => "arrive",
        }
    }
}

/// The direction of a maneuver (OSRM's `maneuver.modifier`), from the change of bearing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Modifier {
    /// About straight on (within 20°).
    Straight,
    /// 20° to 60° to the right.
    SlightRight,
    /// 60° to 140° to the right.
    Right,
    /// 140° to 170° to the right.
    SharpRight,
    /// Turn back (within 10° of a full reversal).
    UTurn,
    /// 140° to 170° to the left.
    SharpLeft,
    /// 60° to 140° to the left.
    Left,
    /// 20° to 60° to the left.
    SlightLeft,
}

impl Modifier {
    /// The direction of a turn from bearing `before` to bearing `after` (degrees clockwise
    /// from north).
    pub fn of_turn(before: u16, after: u16) -> Modifier {
        let turn = (i32::from(after) - i32::from(before)).rem_euclid(360);
        match turn {
            0..20 | 341..=359 => Modifier::Straight,
            20..=60 => Modifier::SlightRight,
            61..=140 => Modifier::Right,
            141..=170 => Modifier::SharpRight,
            171..=189 => Modifier::UTurn,
            190..=219 => Modifier::SharpLeft,
            220..=300 => Modifier::Left,
            _ => Modifier::SlightLeft,
        }
    }

    /// OSRM's name for it.
    pub fn as_str(self) -> &'static str {
        match self {
            Modifier::Straight => "straight",
            Modifier::SlightRight => "slight right",
            Modifier::Right => "right",
            Modifier::SharpRight => "sharp right",
            Modifier::UTurn => "uturn",
            Modifier::SharpLeft => "sharp left",
            Modifier::Left => "left",
            Modifier::SlightLeft => "slight left",
        }
    }

    /// Whether it is a real turn rather than going on about straight.
    fn turns(self) -> bool {
        !matches!(self, Modifier::Straight | Modifier::SlightLeft | Modifier::SlightRight)
    }
}

/// Where and how a step begins.
#[derive(Debug, Clone, PartialEq)]
pub struct Maneuver {
    /// What is done.
    pub kind: ManeuverKind,
    /// Its direction (none for depart and arrive).
    pub modifier: Option<Modifier>,
    /// Where it happens.
    pub location: LatLon,
    /// Bearing of travel just before it (0 at the start), degrees clockwise from north.
    pub bearing_before: u16,
    /// Bearing of travel just after it (0 at the end).
    pub bearing_after: u16,
    /// For a roundabout: the number of the exit to take, counting the roads that leave it.
    pub exit: Option<u32>,
}

/// The roads meeting where a maneuver happens (OSRM's `intersections` entry).
#[derive(Debug, Clone, PartialEq)]
pub struct Intersection {
    /// Its position.
    pub location: LatLon,
    /// Bearings of the roads leaving it, ascending, degrees clockwise from north.
    pub bearings: Vec<u16>,
    /// Whether each of them may be entered by this profile.
    pub entry: Vec<bool>,
    /// Index into `bearings` of the road the route arrives by (none at the start).
    pub arrive_by: Option<usize>,
    /// Index into `bearings` of the road the route leaves by (none at the end).
    pub leave_by: Option<usize>,
}

/// One step of a leg: a maneuver, then a stretch along one street.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// How it begins.
    pub maneuver: Maneuver,
    /// The street travelled (empty when unnamed).
    pub name: String,
    /// Its road number (empty when none).
    pub reference: String,
    /// Its OSM `highway` kind, which names an unnamed way in [`Step::instruction`].
    pub kind: String,
    /// Seconds from this maneuver to the next.
    pub duration_s: f64,
    /// Metres from this maneuver to the next.
    pub distance_m: f64,
    /// The stretch's points, from the maneuver to the next one.
    pub geometry: Vec<LatLon>,
    /// The roads meeting at the maneuver.
    pub intersection: Intersection,
}

impl Step {
    /// The step as a sentence ("Turn left onto Rue Grimaldi").
    pub fn instruction(&self) -> String {
        let street = match (self.name.as_str(), self.reference.as_str()) {
            ("", "") => unnamed(&self.kind).map(str::to_string),
            ("", r) => Some(r.to_string()),
            (n, "") => Some(n.to_string()),
            (n, r) => Some(format!("{n} ({r})")),
        };
        let onto = street.as_deref().map(|s| format!(" onto {s}")).unwrap_or_default();
        let direction = self.maneuver.modifier.map(Modifier::as_str).unwrap_or("straight");
        match self.maneuver.kind {
            ManeuverKind::Depart => {
                let on = street.map(|s| format!(" on {s}")).unwrap_or_default();
                format!("Head {}{on}", compass(self.maneuver.bearing_after))
            }
            ManeuverKind::Turn if self.maneuver.modifier == Some(Modifier::UTurn) => format!("Make a U-turn{onto}"),
            ManeuverKind::Turn => format!("Turn {direction}{onto}"),
            ManeuverKind::NewName if onto.is_empty() => "Continue straight".to_string(),
            ManeuverKind::NewName => format!("Continue{onto}"),
            // Only a named street is known to be the same one after the turn.
            ManeuverKind::Continue if self.name.is_empty() && self.reference.is_empty() => {
                format!("Turn {direction}{onto}")
            }
            ManeuverKind::Continue => format!("Turn {direction} to stay on{}", onto.trim_start_matches(" onto")),
            ManeuverKind::Roundabout => {
                let exit = self.maneuver.exit.unwrap_or(1);
                format!("At the roundabout, take the {} exit", ordinal(exit))
            }
            ManeuverKind::ExitRoundabout => format!("Leave the roundabout{onto}"),
            ManeuverKind::Arrive => "Arrive at the destination".to_string(),
        }
    }
}

/// How directions name an unnamed way of an OSM `highway` kind ("the footpath"), if they do.
fn unnamed(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "footway" | "path" | "bridleway" => "the footpath",
        "pedestrian" => "the pedestrian street",
        "steps" => "the steps",
        "cycleway" => "the cycle path",
        "track" => "the track",
        "service" => "the service road",
        "living_street" => "the lane",
        _ => return None,
    })
}

fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (1, x) if x != 11 => "st",
        (2, x) if x != 12 => "nd",
        (3, x) if x != 13 => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// The eight-point compass direction of a bearing.
fn compass(bearing: u16) -> &'static str {
    const NAMES: [&str; 8] = ["north", "northeast", "east", "southeast", "south", "southwest", "west", "northwest"];
    NAMES[((u32::from(bearing) * 2 + 45) / 90 % 8) as usize]
}

/// The initial bearing from `a` to `b`, whole degrees clockwise from north (0–359).
pub fn bearing(a: LatLon, b: LatLon) -> u16 {
    let (lat1, lat2) = (a.lat.to_radians(), b.lat.to_radians());
    let dlon = (b.lon - a.lon).to_radians();
    let y = dlon.sin() * lat2.cos();
    let x = lat1.cos() * lat2.sin() - lat1.sin() * lat2.cos() * dlon.cos();
    (y.atan2(x).to_degrees().rem_euclid(360.0).round() as u16) % 360
}

/// Pieces shorter than this (metres) have no direction of their own.
const NO_LENGTH_M: f64 = 0.05;

/// One piece of the route with what the steps need of it.
struct Piece<'a> {
    street: &'a Street,
    /// Bearing, or none for a piece of no length.
    bearing: Option<u16>,
    duration_s: f64,
    distance_m: f64,
    /// The graph node it ends at, when it ends at one.
    end_node: Option<u32>,
}

/// The turn-by-turn steps of one leg: a depart step, one step per stretch on one street (a new
/// step where the street changes, at a turn through an intersection, and at a roundabout's
/// entry and exit), and an arrive step of no length. The steps' durations and distances add up
/// to the leg's, and their geometries, joined, are the leg's.
pub fn steps(route: &Route, graph: &RoadGraph) -> Vec<Step> {
    let points = &route.geometry;
    let last_piece = route.segments.len().saturating_sub(1);
    let pieces: Vec<Piece> = route
        .segments
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let (a, b) = (points[i], points.get(i + 1).copied().unwrap_or(points[i]));
            Piece {
                street: graph.street(s.edge.map_or(usize::MAX, |e| e as usize)),
                bearing: (a.haversine_m(b) >= NO_LENGTH_M).then(|| bearing(a, b)),
                duration_s: s.duration_s,
                distance_m: s.distance_m,
                end_node: s.edge.filter(|_| i < last_piece).map(|e| graph.head[e as usize]),
            }
        })
        .collect();
    // The bearing of travel just before and just after each point (pieces of no length have
    // none), found once for the whole leg.
    let mut before_at = vec![0u16; pieces.len() + 1];
    for (i, p) in pieces.iter().enumerate() {
        before_at[i + 1] = p.bearing.unwrap_or(before_at[i]);
    }
    let mut after_at = vec![0u16; pieces.len() + 1];
    for (i, p) in pieces.iter().enumerate().rev() {
        after_at[i] = p.bearing.unwrap_or(after_at[i + 1]);
    }
    let (before, after) = (|i: usize| before_at[i], |i: usize| after_at[i]);
    let mut starts: Vec<(usize, ManeuverKind, Option<Modifier>)> = vec![(0, ManeuverKind::Depart, None)];
    for i in 1..pieces.len() {
        let (here, previous) = (pieces[i].street, pieces[i - 1].street);
        let modifier = Modifier::of_turn(before(i), after(i));
        let kind = match (previous.roundabout, here.roundabout) {
            (true, true) => None,
            (false, true) => Some(ManeuverKind::Roundabout),
            (true, false) => Some(ManeuverKind::ExitRoundabout),
            (false, false) if (&here.name, &here.reference) != (&previous.name, &previous.reference) => {
                Some(if modifier.turns() { ManeuverKind::Turn } else { ManeuverKind::NewName })
            }
            (false, false) => {
                let choice = pieces[i - 1].end_node.is_some_and(|n| straighter_way(graph, n, before(i), after(i)));
                (choice && modifier.turns()).then_some(ManeuverKind::Continue)
            }
        };
        if let Some(kind) = kind {
            starts.push((i, kind, Some(modifier)));
        }
    }
    let mut steps: Vec<Step> = starts
        .iter()
        .enumerate()
        .map(|(k, &(start, kind, modifier))| {
            let end = starts.get(k + 1).map_or(pieces.len(), |s| s.0);
            let stretch = &pieces[start..end];
            let exit = (kind == ManeuverKind::Roundabout).then(|| 1 + exits_passed(graph, &pieces[start..end]));
            let street = pieces[start].street;
            let location = points[start];
            let (bearing_before, bearing_after) = (if start == 0 { 0 } else { before(start) }, after(start));
            Step {
                maneuver: Maneuver { kind, modifier, location, bearing_before, bearing_after, exit },
                name: street.name.clone(),
                reference: street.reference.clone(),
                kind: street.kind.clone(),
                duration_s: stretch.iter().map(|p| p.duration_s).sum(),
                distance_m: stretch.iter().map(|p| p.distance_m).sum(),
                geometry: points[start..=end.min(points.len() - 1)].to_vec(),
                intersection: intersection(
                    graph,
                    location,
                    start.checked_sub(1).and_then(|i| pieces[i].end_node),
                    [(start > 0).then_some(bearing_before), Some(bearing_after)],
                ),
            }
        })
        .collect();
    let end = *points.last().unwrap_or(&LatLon { lat: 0.0, lon: 0.0 });
    let arrive_before = before(pieces.len());
    steps.push(Step {
        maneuver: Maneuver {
            kind: ManeuverKind::Arrive,
            modifier: None,
            location: end,
            bearing_before: arrive_before,
            bearing_after: 0,
            exit: None,
        },
        name: steps.last().map(|s| s.name.clone()).unwrap_or_default(),
        reference: steps.last().map(|s| s.reference.clone()).unwrap_or_default(),
        kind: steps.last().map(|s| s.kind.clone()).unwrap_or_default(),
        duration_s: 0.0,
        distance_m: 0.0,
        geometry: vec![end, end],
        intersection: intersection(graph, end, None, [Some(arrive_before), None]),
    });
    steps
}

/// How many roads leave the roundabout at the nodes a stretch on it passes before its end.
fn exits_passed(graph: &RoadGraph, stretch: &[Piece]) -> u32 {
    let on_ring = stretch.iter().take_while(|p| p.street.roundabout).count();
    stretch[..on_ring.saturating_sub(1)]
        .iter()
        .filter_map(|p| p.end_node)
        .filter(|&n| graph.out_edges(n).any(|e| !graph.street(e).roundabout))
        .count() as u32
}

/// Degrees between two bearings (0–180).
fn angle_between(a: u16, b: u16) -> u16 {
    let d = (i32::from(a) - i32::from(b)).rem_euclid(360) as u16;
    d.min(360 - d)
}

/// Whether, arriving at `node` on bearing `before` and leaving on `after`, another road leaves
/// it closer to straight on: only then is a turn along the same street worth a step (where the
/// way merely bends, there is nothing to choose).
fn straighter_way(graph: &RoadGraph, node: u32, before: u16, after: u16) -> bool {
    let back = (before + 180) % 360;
    let taken = angle_between(after, before);
    road_bearings(graph, node)
        .into_iter()
        .filter(|&b| angle_between(b, back) > 20 && angle_between(b, after) > 10)
        .any(|b| angle_between(b, before) < taken)
}

/// Bearings of the edges leaving `node`, ascending, without repeats.
fn road_bearings(graph: &RoadGraph, node: u32) -> Vec<u16> {
    let here = graph.coords[node as usize];
    let mut out: Vec<u16> = graph
        .out_edges(node)
        .map(|e| graph.coords[graph.head[e] as usize])
        .filter(|p| here.haversine_m(*p) >= NO_LENGTH_M)
        .map(|p| bearing(here, p))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The intersection at a maneuver: the roads leaving `node` (when it is a graph node) and the
/// route's own ways in (`[before, after]`: the travel bearings; the way in is the reverse of
/// `before`).
fn intersection(
    graph: &RoadGraph,
    location: LatLon,
    node: Option<u32>,
    [before, after]: [Option<u16>; 2],
) -> Intersection {
    let enterable = node.map(|n| road_bearings(graph, n)).unwrap_or_default();
    let back = before.map(|b| (b + 180) % 360);
    let mut bearings = enterable.clone();
    bearings.extend(back.iter().chain(after.iter()).filter(|b| !enterable.contains(b)));
    bearings.sort_unstable();
    bearings.dedup();
    let entry = bearings.iter().map(|b| enterable.contains(b) || Some(*b) == after).collect();
    let index = |b: Option<u16>| b.and_then(|b| bearings.iter().position(|x| *x == b));
    Intersection { location, arrive_by: index(back), leave_by: index(after), entry, bearings }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modifiers_follow_the_change_of_bearing() {
        assert_eq!(Modifier::of_turn(0, 0), Modifier::Straight);
        assert_eq!(Modifier::of_turn(350, 5), Modifier::Straight);
        assert_eq!(Modifier::of_turn(0, 90), Modifier::Right);
        assert_eq!(Modifier::of_turn(90, 0), Modifier::Left);
        assert_eq!(Modifier::of_turn(10, 50), Modifier::SlightRight);
        assert_eq!(Modifier::of_turn(50, 10), Modifier::SlightLeft);
        assert_eq!(Modifier::of_turn(0, 160), Modifier::SharpRight);
        assert_eq!(Modifier::of_turn(0, 200), Modifier::SharpLeft);
        assert_eq!(Modifier::of_turn(270, 90), Modifier::UTurn);
    }

    /// Rue A runs east from node 0 through 1 and 2 to 5, then bends north to 6; Rue B leaves
    /// node 2 northwards to 3. Two-way streets, 10 m/s.
    fn town() -> crate::Router {
        use tripsmith_model::{EdgeInput, Profile, Street};
        let at = |north: f64, east: f64| LatLon { lat: 45.0 + 0.001 * north, lon: 5.0 + 0.001 * east };
        let coords =
            vec![at(0.0, 0.0), at(0.0, 1.0), at(0.0, 2.0), at(1.0, 2.0), at(0.0, 3.0), at(0.0, 4.0), at(1.0, 4.0)];
        let mut edges = Vec::new();
        for (a, b, street) in [(0, 1, 1), (1, 2, 1), (2, 4, 1), (4, 5, 1), (5, 6, 1), (2, 3, 2)] {
            let metres = coords[a].haversine_m(coords[b]);
            let (length_dm, duration_ms) = ((metres * 10.0) as u32, (metres * 100.0) as u32);
            for (from, to) in [(a, b), (b, a)] {
                edges.push(EdgeInput { from: from as u32, to: to as u32, duration_ms, length_dm, street });
            }
        }
        let street = |name: &str| Street { name: name.into(), ..Street::default() };
        let streets = vec![Street::default(), street("Rue A"), street("Rue B")];
        let ids = (0..coords.len() as i64).collect();
        let graph = RoadGraph::from_named_edges(Profile::Car, coords, ids, edges, streets).unwrap();
        crate::Router::new(graph, &tripsmith_model::NoProgress)
    }

    #[test]
    fn a_turn_onto_another_street_is_a_step_and_a_bend_is_not() {
        let router = town();
        let g = router.graph();
        let kinds = |steps: &[Step]| -> Vec<(ManeuverKind, Option<Modifier>, String)> {
            steps.iter().map(|s| (s.maneuver.kind, s.maneuver.modifier, s.name.clone())).collect()
        };
        let route = router.route(g.coords[0], g.coords[3]).unwrap();
        let left = steps(&route, g);
        assert_eq!(
            kinds(&left),
            vec![
                (ManeuverKind::Depart, None, "Rue A".into()),
                (ManeuverKind::Turn, Some(Modifier::Left), "Rue B".into()),
                (ManeuverKind::Arrive, None, "Rue B".into()),
            ]
        );
        assert_eq!(left[1].maneuver.location, g.coords[2]);
        assert_eq!((left[1].maneuver.bearing_before, left[1].maneuver.bearing_after), (90, 0));
        assert_eq!(left[1].instruction(), "Turn left onto Rue B");
        assert_eq!(left[0].instruction(), "Head east on Rue A");
        // An unnamed way is named by its kind.
        let steps_way = Step { name: String::new(), kind: "steps".into(), ..left[1].clone() };
        assert_eq!(steps_way.instruction(), "Turn left onto the steps");
        let lane = Step { name: String::new(), kind: "tertiary".into(), ..left[1].clone() };
        assert_eq!(lane.instruction(), "Turn left");
        let mut again = Step { name: String::new(), kind: "footway".into(), ..left[1].clone() };
        again.maneuver.kind = ManeuverKind::Continue;
        assert_eq!(again.instruction(), "Turn left onto the footpath", "not the same footpath for sure");
        again.name = "Rue B".into();
        assert_eq!(again.instruction(), "Turn left to stay on Rue B");
        // The junction: Rue A on both sides, Rue B to the north; in from the west, out north.
        let x = &left[1].intersection;
        assert_eq!(x.bearings, vec![0, 90, 270]);
        assert_eq!((x.arrive_by, x.leave_by), (Some(2), Some(0)));
        // Straight on through the junction and round the bend: nothing to announce.
        let bend = steps(&router.route(g.coords[0], g.coords[6]).unwrap(), g);
        assert_eq!(kinds(&bend).iter().map(|k| k.0).collect::<Vec<_>>(), [ManeuverKind::Depart, ManeuverKind::Arrive]);
        let total: f64 = bend.iter().map(|s| s.distance_m).sum();
        assert!((total - 425.9).abs() < 1.0, "four blocks east, one north: {total}");
    }

    #[test]
    fn bearings_and_compass_points() {
        let o = LatLon { lat: 43.73, lon: 7.42 };
        assert_eq!(bearing(o, LatLon { lat: 43.74, lon: 7.42 }), 0);
        assert_eq!(bearing(o, LatLon { lat: 43.73, lon: 7.43 }), 90);
        assert_eq!(bearing(o, LatLon { lat: 43.72, lon: 7.42 }), 180);
        assert_eq!(bearing(o, LatLon { lat: 43.73, lon: 7.41 }), 270);
        assert_eq!(compass(0), "north");
        assert_eq!(compass(44), "northeast");
        assert_eq!(compass(359), "north");
        assert_eq!(compass(200), "south");
        assert_eq!(ordinal(1), "1st");
        assert_eq!(ordinal(12), "12th");
        assert_eq!(ordinal(23), "23rd");
    }
}
