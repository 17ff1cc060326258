//! Homes and trips: a user's home is where their check-ins cluster most densely; check-ins far
//! from it are out of town, and out-of-town check-ins close in time and place form trips.

use crate::checkins::{CheckIn, CheckIns};
use tripsmith_model::LatLon;

/// The thresholds that turn check-ins into homes and trips.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    /// Check-ins within this many km of one another count together when finding home.
    pub home_radius_km: f64,
    /// A check-in farther than this many km from home is out of town.
    pub away_km: f64,
    /// Out-of-town check-ins at most this many hours after the previous one, and within
    /// `trip_span_km` of it, continue its trip.
    pub trip_gap_hours: f64,
    /// See `trip_gap_hours`.
    pub trip_span_km: f64,
    /// Users kept: at least this many check-ins at home...
    pub min_home: usize,
    /// ...and at least this many trips.
    pub min_trips: usize,
}

impl Default for Thresholds {
    /// 50 km around home, out of town beyond 100 km, trips split by 72 h or 200 km, users with
    /// 5 home check-ins and 2 trips (one to train on, the last to test).
    fn default() -> Self {
        Thresholds {
            home_radius_km: 50.0,
            away_km: 100.0,
            trip_gap_hours: 72.0,
            trip_span_km: 200.0,
            min_home: 5,
            min_trips: 2,
        }
    }
}

/// A user with a home and trips away from it.
#[derive(Debug, Clone, PartialEq)]
pub struct Traveller {
    /// The user.
    pub user: usize,
    /// The centre of the densest cluster of their check-ins.
    pub home: LatLon,
    /// Their check-ins within `away_km` of home, in time order.
    pub at_home: Vec<CheckIn>,
    /// Their trips, each a run of out-of-town check-ins, in time order.
    pub trips: Vec<Vec<CheckIn>>,
}

/// Kilometres between two points.
pub fn km(a: LatLon, b: LatLon) -> f64 {
    a.haversine_m(b) / 1000.0
}

/// Where a user lives: of their check-ins, the one with the most others within `radius_km`
/// (the first of equals), and the mean position of those others.
pub fn home_of(places: &[LatLon], radius_km: f64) -> Option<LatLon> {
    let near = |p: LatLon| places.iter().filter(|&&q| km(p, q) <= radius_km).count();
    let (mut best, mut best_count) = (*places.first()?, 0);
    for &p in places {
        let count = near(p);
        if count > best_count {
            (best, best_count) = (p, count);
        }
    }
    let cluster: Vec<LatLon> = places.iter().copied().filter(|&q| km(best, q) <= radius_km).collect();
    let n = cluster.len() as f64;
    LatLon::new(cluster.iter().map(|p| p.lat).sum::<f64>() / n, cluster.iter().map(|p| p.lon).sum::<f64>() / n).ok()
}

/// Every user's home (`None` for users without check-ins).
pub fn homes(data: &CheckIns, thresholds: &Thresholds) -> Vec<Option<LatLon>> {
    data.by_user()
        .into_iter()
        .map(|events| home_of(&events.iter().map(|e| data.pois[e.poi]).collect::<Vec<_>>(), thresholds.home_radius_km))
        .collect()
}

/// Every user's trips away from their home (as [`homes`] found it), for the users with enough
/// check-ins at home and trips.
pub fn travellers(data: &CheckIns, homes: &[Option<LatLon>], thresholds: &Thresholds) -> Vec<Traveller> {
    data.by_user()
        .into_iter()
        .enumerate()
        .filter_map(|(user, events)| {
            let home = homes.get(user).copied().flatten()?;
            let (mut at_home, mut trips): (Vec<CheckIn>, Vec<Vec<CheckIn>>) = (Vec::new(), Vec::new());
            for &e in events {
                let here = data.pois[e.poi];
                if km(home, here) <= thresholds.away_km {
                    at_home.push(e);
                    continue;
                }
                let continues = trips.last().and_then(|t| t.last()).is_some_and(|last: &CheckIn| {
                    e.time - last.time <= thresholds.trip_gap_hours * 3600.0
                        && km(data.pois[last.poi], here) <= thresholds.trip_span_km
                });
                match trips.last_mut() {
                    Some(trip) if continues => trip.push(e),
                    _ => trips.push(vec![e]),
                }
            }
            (at_home.len() >= thresholds.min_home && trips.len() >= thresholds.min_trips).then_some(Traveller {
                user,
                home,
                at_home,
                trips,
            })
        })
        .collect()
}
