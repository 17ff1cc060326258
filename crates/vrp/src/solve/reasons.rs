//! Why a job is left out, verified by the checker on a route of its own, and what an optional
//! client would cost.

use super::route::Route;
use super::timed::Timed;
use crate::check::{check, Violation};
use crate::instance::{Instance, Vehicle};
use std::rc::Rc;

/// The least cost inserting client `c` into `routes` adds, if it fits anywhere.
pub(super) fn cheapest_insertion(instance: &Timed, routes: &[Rc<Route>], c: usize) -> Option<f64> {
    routes
        .iter()
        .filter(|r| instance.fits(r.kind, &r.load, c) && r.clients.len() < r.max_tasks)
        .flat_map(|r| instance.allowed_positions(r, c).filter_map(move |p| r.insertion(instance, c, p)))
        .min_by(f64::total_cmp)
}

/// Why job `job` cannot be served: its client's reason, or for a group each client's.
pub(super) fn job_reason(instance: &Timed, job: usize) -> String {
    match instance.group_of[job] {
        Some(g) if instance.groups[g].len() > 1 => {
            let each: Vec<String> =
                instance.groups[g].iter().map(|&c| format!("client {c}: {}", reason(instance, &[c]))).collect();
            format!("no client of its group can be visited ({})", each.join("; "))
        }
        _ => reason(instance, &instance.job_clients(job)),
    }
}

/// Why client `c` cannot be served: the checker's finding on a route of its own, for each
/// vehicle kind (said once when every kind has the same reason).
pub(super) fn reason(instance: &Instance, clients: &[usize]) -> String {
    let kinds = instance.fleet.kinds();
    let mut reasons: Vec<String> = Vec::new();
    for (k, vehicle) in kinds.iter().enumerate() {
        // Route k is vehicle k's among distinct vehicles; any route will do for identical ones.
        let mut routes = vec![Vec::new(); k + 1];
        routes[k].extend_from_slice(clients);
        let found = check(instance, &routes)
            .violations
            .into_iter()
            .find_map(|v| alone_reason(instance, vehicle, clients[0], v));
        match found {
            Some(why) => reasons.push(why),
            // This vehicle could serve it alone: the others took its room or time.
            None => return "no vehicle has room or time left for it".into(),
        }
    }
    if reasons.iter().all(|r| *r == reasons[0]) {
        reasons.truncate(1);
    } else {
        reasons = reasons.iter().enumerate().map(|(k, r)| format!("vehicle {}: {r}", k + 1)).collect();
    }
    reasons.join("; ")
}

/// A checker finding on a single-client route in words, when it explains the client's absence.
pub(super) fn alone_reason(instance: &Instance, vehicle: &Vehicle, c: usize, v: Violation) -> Option<String> {
    match v {
        Violation::Capacity { load, capacity, .. } if instance.dimensions == 1 => {
            Some(format!("demand {load} exceeds the capacity {capacity}"))
        }
        Violation::Capacity { dimension, load, capacity, .. } => {
            Some(format!("demand {load} in dimension {} exceeds the capacity {capacity}", dimension + 1))
        }
        Violation::Skills { .. } => {
            Some(format!("it needs skills {:?}, the vehicle has {:?}", instance.skills[c], vehicle.skills))
        }
        Violation::Late { arrival, .. } => {
            Some(format!("its last time window closes at {} but the earliest arrival is {arrival}", instance.closes(c)))
        }
        Violation::LateReturn { arrival, .. } => {
            Some(format!("a vehicle serving it returns at {arrival}, after the shift ends at {}", vehicle.shift.1))
        }
        Violation::TooMuchTravel { travel, .. } => Some(format!(
            "its route alone drives for {travel}, over the vehicle's travel-time limit {}",
            vehicle.max_travel.unwrap_or(0.0)
        )),
        Violation::TooFar { distance, .. } => Some(format!(
            "its route alone drives a distance of {distance}, over the vehicle's limit {}",
            vehicle.max_distance.unwrap_or(0.0)
        )),
        Violation::OutOfRange { driven, .. } => Some(format!(
            "its route alone drives {driven} between charges, beyond the vehicle's range {}",
            vehicle.range.unwrap_or(0.0)
        )),
        Violation::TooManyTasks { .. } => {
            Some(format!("the vehicle may visit at most {} clients", vehicle.max_tasks.unwrap_or(0)))
        }
        Violation::TooLong { length, .. } => {
            Some(format!("its route alone is {length} long, over the limit {:?}", vehicle.max_length))
        }
        _ => None,
    }
}
