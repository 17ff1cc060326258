//! Solutions in other tools' shapes: VROOM's output JSON (so VROOM users can read our answers
//! with the code they have) and GeoJSON (routes as lines over the instance's coordinates).
//! Times come from the checker's [`schedule`]: leave when the vehicle's shift starts, serve
//! each client as early as its window allows.

use crate::check::{schedule, Visit};
use crate::instance::{Fleet, Instance};
use crate::solve::Unassigned;
use crate::vroom::Task;
use serde_json::{json, Value};

/// Why a solution cannot be written as GeoJSON.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("the instance has no coordinates (an explicit matrix), so its routes cannot be drawn")]
pub struct NoCoordinates;

/// The ids a VROOM input gave its jobs (by node; index 0 is the depot), vehicles and places;
/// without them jobs are named by node number, vehicles from 1, places by node number.
#[derive(Debug, Clone, Copy)]
pub struct Ids<'a> {
    /// Job id of each node.
    pub jobs: &'a [u64],
    /// Id of each vehicle.
    pub vehicles: &'a [u64],
    /// Each node's matrix index in the input (`None`: it gave coordinates).
    pub locations: &'a [Option<usize>],
    /// What each node is (a job, a shipment's pickup or delivery).
    pub tasks: &'a [Task],
}

impl Ids<'_> {
    fn job(ids: Option<Ids>, node: usize) -> u64 {
        ids.and_then(|i| i.jobs.get(node).copied()).unwrap_or(node as u64)
    }

    fn vehicle(ids: Option<Ids>, k: usize) -> u64 {
        ids.and_then(|i| i.vehicles.get(k).copied()).unwrap_or(k as u64 + 1)
    }

    fn task(ids: Option<Ids>, node: usize) -> &'static str {
        ids.and_then(|i| i.tasks.get(node)).map_or("job", |t| t.name())
    }
}

/// One VROOM step, with the travel time and distance driven so far.
fn step(
    instance: &Instance,
    kind: &str,
    visit: &Visit,
    (duration, distance): (f64, f64),
    load: &[i64],
    ids: Option<Ids>,
) -> Value {
    let mut s = json!({
        "type": kind,
        "arrival": visit.arrival,
        "duration": duration,
        "distance": distance,
        "setup": visit.setup,
        "service": visit.service,
        "waiting_time": visit.waiting,
        "load": load,
    });
    match ids.map_or(Some(visit.node), |i| i.locations.get(visit.node).copied().flatten()) {
        Some(index) => s["location_index"] = json!(index),
        None => {
            if let Some(&(x, y)) = instance.coordinates.as_ref().and_then(|c| c.get(visit.node)) {
                s["location"] = json!([x, y]);
            }
        }
    }
    if kind != "start" && kind != "end" {
        s["id"] = json!(Ids::job(ids, visit.node));
        s["job"] = json!(Ids::job(ids, visit.node));
    }
    s
}

/// The routes in VROOM's output shape: `code`, `summary` (`cost`, `routes`, `unassigned`,
/// `delivery`, `setup`, `service`, `duration`, `waiting_time`, `distance`), `unassigned` (`id`, `type`,
/// and tripsmith's `reason`) and `routes` (`vehicle`, `cost` (the vehicle's fixed cost,
/// its driving and what its visits cost), `delivery`, `steps` from `start` through each `job` to `end`, with
/// `location_index` (or `location` for places given by coordinates), `arrival`, `duration` =
/// travel time so far, `distance` so far, `setup`, `service`, `waiting_time` and the `load`
/// on board).
pub fn vroom_json(instance: &Instance, routes: &[Vec<usize>], unassigned: &[Unassigned], ids: Option<Ids>) -> Value {
    let dimensions = instance.dimensions;
    let mut out_routes = Vec::new();
    let (mut total_cost, mut total_service, mut total_wait, mut total_priority) = (0.0, 0.0, 0.0, 0u64);
    let (mut total_duration, mut total_distance, mut total_setup) = (0.0, 0.0, 0.0);
    let (mut total_delivery, mut total_picked) = (vec![0i64; dimensions], vec![0i64; dimensions]);
    let distinct = matches!(instance.fleet, Fleet::Each(_));
    let deliveries: std::collections::HashSet<usize> = instance.pairs.iter().map(|&(_, d)| d).collect();
    for (used, (k, route)) in routes.iter().enumerate().filter(|(_, r)| !r.is_empty()).enumerate() {
        let Some(vehicle) = instance.fleet.vehicle(k) else { continue };
        let visits = schedule(instance, vehicle, route);
        let mut delivery = vec![0i64; dimensions];
        for &c in route {
            delivery.iter_mut().zip(instance.demand(c)).for_each(|(t, d)| *t += d);
        }
        let (mut load, mut previous) = (delivery.clone(), vehicle.start);
        let (mut duration, mut distance) = (0.0, 0.0);
        let mut picked = vec![0i64; dimensions];
        let mut steps = vec![step(instance, "start", &visits[0], (0.0, 0.0), &load, ids)];
        for (p, visit) in visits.iter().enumerate().skip(1) {
            duration += instance.t(previous, visit.node);
            distance += instance.d(previous, visit.node);
            previous = visit.node;
            let kind = if p == visits.len() - 1 { "end" } else { Ids::task(ids, visit.node) };
            if kind != "end" {
                let change = instance.collected(visit.node).iter().zip(instance.demand(visit.node));
                load.iter_mut().zip(change).for_each(|(l, (g, d))| *l += g - d);
                picked.iter_mut().zip(instance.collected(visit.node)).for_each(|(t, g)| *t += g.max(&0));
            }
            steps.push(step(instance, kind, visit, (duration, distance), &load, ids));
        }
        let service: f64 = visits.iter().map(|v| v.service).sum();
        let setup: f64 = visits.iter().map(|v| v.setup).sum();
        total_setup += setup;
        // A shipment's priority counts once, at its pickup.
        let priority: u64 =
            route.iter().filter(|&&c| !deliveries.contains(&c)).map(|&c| u64::from(instance.priority[c])).sum();
        total_priority += priority;
        let waiting: f64 = visits.iter().map(|v| v.waiting).sum();
        // What visits cost beyond driving (a purchaser's purchases) is part of the route's cost.
        let visiting: f64 = route.iter().map(|&c| instance.visit_cost(c)).sum();
        let cost = vehicle.costs.fixed + vehicle.costs.driving(distance, duration) + visiting;
        total_cost += cost;
        total_duration += duration;
        total_distance += distance;
        total_service += service;
        total_wait += waiting;
        total_delivery.iter_mut().zip(&delivery).for_each(|(t, d)| *t += d);
        total_picked.iter_mut().zip(&picked).for_each(|(t, g)| *t += g);
        out_routes.push(json!({
            "vehicle": Ids::vehicle(ids, if distinct { k } else { used }),
            "cost": cost,
            "delivery": delivery,
            "amount": delivery,
            "pickup": picked,
            "setup": setup,
            "service": service,
            "duration": duration,
            "distance": distance,
            "waiting_time": waiting,
            "priority": priority,
            "steps": steps,
        }));
    }
    json!({
        "code": 0,
        "summary": {
            "cost": total_cost,
            "routes": out_routes.len(),
            "unassigned": unassigned.len(),
            "delivery": total_delivery,
            "amount": total_delivery,
            "pickup": total_picked,
            "setup": total_setup,
            "service": total_service,
            "duration": total_duration,
            "distance": total_distance,
            "waiting_time": total_wait,
            "priority": total_priority,
        },
        "unassigned": unassigned
            .iter()
            .map(|u| json!({"id": Ids::job(ids, u.client), "type": Ids::task(ids, u.client), "reason": u.reason}))
            .collect::<Vec<_>>(),
        "routes": out_routes,
    })
}

/// The routes as a GeoJSON FeatureCollection over the instance's coordinates as the file gives
/// them (benchmark coordinates are planar, not longitude/latitude): one LineString per route
/// (start depot to end depot; properties `vehicle` (from 1), `clients`, `distance`), one
/// Point per node (`node`, `depot`, `demand` in each dimension).
pub fn geojson(instance: &Instance, routes: &[Vec<usize>]) -> Result<Value, NoCoordinates> {
    let points = instance.coordinates.as_ref().ok_or(NoCoordinates)?;
    let mut features = Vec::new();
    let distinct = matches!(instance.fleet, Fleet::Each(_));
    for (used, (k, route)) in routes.iter().enumerate().filter(|(_, r)| !r.is_empty()).enumerate() {
        let Some(v) = instance.fleet.vehicle(k) else { continue };
        let vehicle = if distinct { k } else { used };
        let end = instance.end_of(v, route.last().copied().unwrap_or(v.start));
        let nodes: Vec<usize> =
            std::iter::once(v.start).chain(route.iter().copied()).chain(std::iter::once(end)).collect();
        let line: Vec<[f64; 2]> = nodes.iter().map(|&v| [points[v].0, points[v].1]).collect();
        let distance: f64 = nodes.windows(2).map(|w| instance.d(w[0], w[1])).sum();
        features.push(json!({
            "type": "Feature",
            "geometry": {"type": "LineString", "coordinates": line},
            "properties": {"vehicle": vehicle + 1, "clients": route, "distance": distance},
        }));
    }
    // Nodes standing for a choice of end are no places of their own.
    let stand_ins: Vec<usize> = instance.fleet.kinds().iter().filter(|v| !v.ends.is_empty()).map(|v| v.end).collect();
    for (node, p) in points.iter().enumerate().filter(|(node, _)| !stand_ins.contains(node)) {
        features.push(json!({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [p.0, p.1]},
            "properties": {"node": node, "depot": !instance.is_client(node), "demand": instance.demand(node)},
        }));
    }
    Ok(json!({"type": "FeatureCollection", "features": features}))
}
