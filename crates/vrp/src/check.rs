//! The independent checker: recomputes a solution's cost from the instance alone and lists
//! every broken rule (each required client served exactly once, or exactly one of each group;
//! capacity in every demand dimension at every point of the route; shipments on one route,
//! pickup first; the most clients and the most driving per vehicle; skills; visiting orders;
//! time windows with waiting allowed; return within the vehicle's shift; route length, travel
//! time and distance; the energy range between charges; fleet size; the quota collected by all
//! routes together) and the objective (total cost, the costliest route or the
//! longest leg, plus the prizes of optional clients left out; a route costs its vehicle's fixed
//! cost, its driving, distance alone by default, and what its visits cost, as a purchaser's
//! purchases). It shares nothing with any solver's move
//! evaluation.

use crate::instance::{Fleet, Instance, Objective, Vehicle};

/// A broken rule.
#[derive(Debug, Clone, PartialEq)]
pub enum Violation {
    /// A node number that is not a client.
    UnknownNode(usize),
    /// A client no route serves.
    Unserved(usize),
    /// A client served more than once.
    ServedTwice(usize),
    /// A route's load above its vehicle's capacity in one dimension, at its peak.
    Capacity {
        /// Route index.
        route: usize,
        /// The demand dimension (0-based).
        dimension: usize,
        /// Its highest load in that dimension.
        load: i64,
        /// The vehicle's capacity in it.
        capacity: i64,
    },
    /// A client needing a skill the route's vehicle lacks.
    Skills {
        /// Route index.
        route: usize,
        /// The client.
        client: usize,
    },
    /// Arrival after a client's last window has closed.
    Late {
        /// Route index.
        route: usize,
        /// The client.
        client: usize,
        /// Arrival time.
        arrival: f64,
    },
    /// Return to the end depot after the vehicle's shift ends.
    LateReturn {
        /// Route index.
        route: usize,
        /// Return time.
        arrival: f64,
    },
    /// Route distance plus service above the vehicle's limit.
    TooLong {
        /// Route index.
        route: usize,
        /// Its length.
        length: f64,
    },
    /// More non-empty routes than vehicles.
    TooManyRoutes(usize),
    /// A route driving longer (in travel time) than its vehicle may.
    TooMuchTravel {
        /// Route index.
        route: usize,
        /// Its travel time.
        travel: f64,
    },
    /// A route driving farther than its vehicle may.
    TooFar {
        /// Route index.
        route: usize,
        /// Its distance.
        distance: f64,
    },
    /// A route visiting more clients than its vehicle may.
    TooManyTasks {
        /// Route index.
        route: usize,
        /// Clients it visits.
        tasks: usize,
    },
    /// A client group of which no client, or more than one, is visited.
    Group {
        /// The group's index.
        group: usize,
        /// How many of its clients are visited.
        visited: usize,
    },
    /// A shipment whose pickup and delivery are not on one route in that order.
    Pair {
        /// The pickup client.
        pickup: usize,
        /// The delivery client.
        delivery: usize,
    },
    /// Two clients of a visiting order on one route the wrong way round.
    OutOfOrder {
        /// Route index.
        route: usize,
        /// The client the order puts first.
        first: usize,
        /// The client the order puts after it, visited before it.
        then: usize,
    },
    /// A vehicle reaching a node having driven farther than its range since its last charge
    /// (the first such node of the route).
    OutOfRange {
        /// Route index.
        route: usize,
        /// The node reached (a client, or the end depot).
        node: usize,
        /// Distance driven since the last charge on arrival.
        driven: f64,
    },
    /// Less collected by all vehicles together than the instance's quota in one dimension.
    Quota {
        /// The demand dimension (0-based).
        dimension: usize,
        /// What the routes collect in it.
        collected: i64,
        /// The least they must.
        quota: i64,
    },
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Violation::UnknownNode(c) => write!(f, "node {c} is not a client"),
            Violation::Unserved(c) => write!(f, "client {c} is not served"),
            Violation::ServedTwice(c) => write!(f, "client {c} is served more than once"),
            Violation::Capacity { route, dimension, load, capacity } => write!(
                f,
                "route {} carries {load} in demand dimension {}, over the capacity {capacity}",
                route + 1,
                dimension + 1
            ),
            Violation::Skills { route, client } => {
                write!(f, "route {}'s vehicle lacks a skill client {client} needs", route + 1)
            }
            Violation::Late { route, client, arrival } => {
                write!(f, "route {} reaches client {client} at {arrival}, after its window closes", route + 1)
            }
            Violation::LateReturn { route, arrival } => {
                write!(f, "route {} returns at {arrival}, after its vehicle's shift ends", route + 1)
            }
            Violation::TooLong { route, length } => write!(f, "route {} is {length} long, over the limit", route + 1),
            Violation::TooManyRoutes(k) => write!(f, "{k} routes, more than the vehicles"),
            Violation::TooMuchTravel { route, travel } => {
                write!(f, "route {} drives for {travel}, over its vehicle's travel-time limit", route + 1)
            }
            Violation::TooFar { route, distance } => {
                write!(f, "route {} drives a distance of {distance}, over its vehicle's limit", route + 1)
            }
            Violation::TooManyTasks { route, tasks } => {
                write!(f, "route {} visits {tasks} clients, more than its vehicle may", route + 1)
            }
            Violation::Group { group, visited } => {
                write!(f, "group {} has {visited} clients visited, not exactly one", group + 1)
            }
            Violation::Pair { pickup, delivery } => {
                write!(f, "pickup {pickup} and delivery {delivery} are not on one route in that order")
            }
            Violation::OutOfOrder { route, first, then } => {
                write!(f, "route {} visits client {then} before client {first}, against their order", route + 1)
            }
            Violation::OutOfRange { route, node, driven } => write!(
                f,
                "route {} reaches node {node} {driven} after its last charge, beyond its vehicle's range",
                route + 1
            ),
            Violation::Quota { dimension, collected, quota } => write!(
                f,
                "the routes collect {collected} in demand dimension {}, short of the quota {quota}",
                dimension + 1
            ),
        }
    }
}

/// What the checker found.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The instance's objective, recomputed: total cost, the costliest route's cost or the
    /// longest leg, plus the prizes of optional clients left out.
    pub cost: f64,
    /// Total distance of all routes.
    pub distance: f64,
    /// Total travel time of all routes (driving alone).
    pub travel_time: f64,
    /// Cost of the costliest route (its distance unless its vehicle has costs of its own).
    pub longest_route: f64,
    /// The longest single leg driven.
    pub longest_leg: f64,
    /// Prizes of the optional clients left out (part of `cost`).
    pub missed_prizes: f64,
    /// What serving the clients costs beyond driving (a travelling purchaser's purchases),
    /// part of each route's cost.
    pub visit_costs: f64,
    /// Non-empty routes.
    pub routes: usize,
    /// Every broken rule (empty: feasible).
    pub violations: Vec<Violation>,
}

impl Report {
    /// Whether no rule is broken.
    pub fn feasible(&self) -> bool {
        self.violations.is_empty()
    }
}

/// Times and distances are compared with this tolerance (decimal instance data).
const EPSILON: f64 = 1e-6;

/// Checks routes (client node numbers in visiting order) against an instance. With distinct
/// vehicles route `k` is vehicle `k`'s.
pub fn check(instance: &Instance, routes: &[Vec<usize>]) -> Report {
    let n = instance.nodes();
    let mut violations = Vec::new();
    let mut served = vec![0usize; n];
    let (mut total, mut longest_route, mut longest_leg) = (0.0, 0.0f64, 0.0f64);
    let (mut total_distance, mut total_travel, mut visit_costs) = (0.0, 0.0, 0.0);
    let mut collected_in_all = vec![0i64; instance.dimensions];
    let used: Vec<(usize, &Vec<usize>)> = routes.iter().enumerate().filter(|(_, r)| !r.is_empty()).collect();
    for &(k, route) in &used {
        if let Some(&bad) = route.iter().find(|&&c| !(1..=instance.clients).contains(&c)) {
            violations.push(Violation::UnknownNode(bad));
            continue;
        }
        let Some(vehicle) = instance.fleet.vehicle(k) else { continue };
        let visits = schedule(instance, vehicle, route);
        // The load on board: every delivery from the start, then at each client its delivery
        // off and what it collects on; the peak counts.
        let mut load = vec![0i64; instance.dimensions];
        for &c in route {
            load.iter_mut().zip(instance.demand(c)).for_each(|(l, d)| *l += d);
        }
        let mut peak = load.clone();
        for v in &visits[1..visits.len() - 1] {
            served[v.node] += 1;
            for ((l, g), d) in load.iter_mut().zip(instance.collected(v.node)).zip(instance.demand(v.node)) {
                *l += g - d;
            }
            peak.iter_mut().zip(&load).for_each(|(p, l)| *p = (*p).max(*l));
            if service_start(instance, v.node, v.arrival).is_none() {
                violations.push(Violation::Late { route: k, client: v.node, arrival: v.arrival });
            }
            if !instance.skills[v.node].iter().all(|s| vehicle.skills.contains(s)) {
                violations.push(Violation::Skills { route: k, client: v.node });
            }
            collected_in_all.iter_mut().zip(instance.collected(v.node)).for_each(|(t, g)| *t += g);
        }
        let back = visits.last().map_or(0.0, |v| v.arrival);
        let legs = route_legs(instance, vehicle, route);
        let distance: f64 = legs.iter().map(|l| l.0).sum();
        let travel: f64 = legs.iter().map(|l| l.1).sum();
        let length = distance + visits.iter().map(|v| v.setup + v.service).sum::<f64>();
        let visiting: f64 = route.iter().map(|&c| instance.visit_cost(c)).sum();
        let cost =
            vehicle.costs.fixed + vehicle.costs.per_distance * distance + vehicle.costs.per_time * travel + visiting;
        visit_costs += visiting;
        total += cost;
        total_distance += distance;
        total_travel += travel;
        longest_route = longest_route.max(cost);
        longest_leg = legs.iter().fold(longest_leg, |m, l| m.max(l.0));
        for (dimension, (&load, &capacity)) in peak.iter().zip(&vehicle.capacity).enumerate() {
            if load > capacity {
                violations.push(Violation::Capacity { route: k, dimension, load, capacity });
            }
        }
        if back > vehicle.shift.1 + EPSILON {
            violations.push(Violation::LateReturn { route: k, arrival: back });
        }
        if vehicle.max_length.is_some_and(|limit| length > limit + EPSILON) {
            violations.push(Violation::TooLong { route: k, length });
        }
        if vehicle.max_travel.is_some_and(|limit| travel > limit + EPSILON) {
            violations.push(Violation::TooMuchTravel { route: k, travel });
        }
        if vehicle.max_distance.is_some_and(|limit| distance > limit + EPSILON) {
            violations.push(Violation::TooFar { route: k, distance });
        }
        if let Some((node, driven)) = vehicle.range.and_then(|range| out_of_range(instance, vehicle, route, range)) {
            violations.push(Violation::OutOfRange { route: k, node, driven });
        }
        if vehicle.max_tasks.is_some_and(|most| route.len() > most) {
            violations.push(Violation::TooManyTasks { route: k, tasks: route.len() });
        }
        for order in &instance.orders {
            // The order's clients as this route visits them: each must come later in the order.
            let visited: Vec<usize> = route.iter().filter(|c| order.contains(c)).copied().collect();
            let rank = |c: usize| order.iter().position(|&x| x == c).unwrap_or(0);
            for pair in visited.windows(2) {
                if rank(pair[1]) < rank(pair[0]) {
                    violations.push(Violation::OutOfOrder { route: k, first: pair[1], then: pair[0] });
                }
            }
        }
    }
    // Where each client is visited (route, position), found once for every shipment.
    let mut place = vec![None; n];
    for (k, route) in routes.iter().enumerate() {
        for (p, &c) in route.iter().enumerate().filter(|&(_, &c)| c < n) {
            place[c].get_or_insert((k, p)); // the first visit, when one is repeated
        }
    }
    for &(pickup, delivery) in &instance.pairs {
        match (place[pickup], place[delivery]) {
            (Some((k, p)), Some((l, q))) if k != l || p > q => violations.push(Violation::Pair { pickup, delivery }),
            _ => {}
        }
    }
    let mut grouped = vec![false; n];
    for (group, members) in instance.groups.iter().enumerate() {
        let visited: usize = members.iter().map(|&c| served[c].min(1)).sum();
        if visited != 1 {
            violations.push(Violation::Group { group, visited });
        }
        members.iter().for_each(|&c| grouped[c] = true);
    }
    let mut missed_prizes = 0.0;
    for (c, &times) in served.iter().enumerate().take(instance.clients + 1).skip(1) {
        match times {
            0 if grouped[c] => {}
            0 => match instance.prize[c] {
                Some(prize) => missed_prizes += prize,
                None => violations.push(Violation::Unserved(c)),
            },
            1 => {}
            _ => violations.push(Violation::ServedTwice(c)),
        }
    }
    for (dimension, (&quota, &collected)) in instance.quota.iter().zip(&collected_in_all).enumerate() {
        if collected < quota {
            violations.push(Violation::Quota { dimension, collected, quota });
        }
    }
    let too_many = match &instance.fleet {
        Fleet::Identical { count, .. } => count.is_some_and(|v| used.len() > v),
        Fleet::Each(list) => used.last().is_some_and(|&(k, _)| k >= list.len()),
    };
    if too_many {
        violations.push(Violation::TooManyRoutes(used.len()));
    }
    let cost = missed_prizes
        + match instance.objective {
            Objective::TotalCost => total,
            Objective::LongestRoute => longest_route,
            Objective::LongestLeg => longest_leg,
        };
    Report {
        cost,
        distance: total_distance,
        travel_time: total_travel,
        longest_route,
        longest_leg,
        missed_prizes,
        visit_costs,
        routes: used.len(),
        violations,
    }
}

/// One stop of a route as driven: arrive, wait for the window to open, serve, leave.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Visit {
    /// The node (the vehicle's start and end depots at the ends).
    pub node: usize,
    /// Arrival time (for the first stop: when the vehicle leaves the depot).
    pub arrival: f64,
    /// Waiting before the window opens.
    pub waiting: f64,
    /// Setup time (none when coming from the same place), spent after service starts.
    pub setup: f64,
    /// Service time, after the setup.
    pub service: f64,
}

/// The stops of a route (client node numbers, all valid) driven by `vehicle` from its start
/// depot to its end depot (the nearest of its choices, when it may choose), leaving when its
/// shift starts and starting each stop as early as its window allows; setup (when coming from
/// another place), then service follow the start.
pub fn schedule(instance: &Instance, vehicle: &Vehicle, route: &[usize]) -> Vec<Visit> {
    let start = vehicle.shift.0;
    let mut visits = vec![Visit { node: vehicle.start, arrival: start, waiting: 0.0, setup: 0.0, service: 0.0 }];
    let (mut time, mut previous) = (start, vehicle.start);
    let end = instance.end_of(vehicle, route.last().copied().unwrap_or(vehicle.start));
    for (p, &c) in route.iter().chain(std::iter::once(&end)).enumerate() {
        let arrival = time + instance.t(previous, c);
        let (waiting, setup, service) = if p == route.len() {
            (0.0, 0.0, 0.0)
        } else {
            let waiting = service_start(instance, c, arrival).unwrap_or(arrival) - arrival;
            (waiting, instance.setup_after(previous, c), instance.service[c])
        };
        visits.push(Visit { node: c, arrival, waiting, setup, service });
        time = arrival + waiting + setup + service;
        previous = c;
    }
    visits
}

/// When service can start at `node` for a vehicle arriving at `arrival`: in the first window
/// that has not closed, waiting for it to open (`None`: every window has closed).
fn service_start(instance: &Instance, node: usize, arrival: f64) -> Option<f64> {
    instance.windows[node].iter().find(|w| arrival <= w.1 + EPSILON).map(|w| arrival.max(w.0))
}

/// The first node a route reaches beyond `range` since its last charge (its start, or a charger
/// it visited), with the distance driven since: `None` when every node is within range.
fn out_of_range(instance: &Instance, vehicle: &Vehicle, route: &[usize], range: f64) -> Option<(usize, f64)> {
    let end = instance.end_of(vehicle, route.last().copied().unwrap_or(vehicle.start));
    let (mut driven, mut previous) = (0.0, vehicle.start);
    for &node in route.iter().chain(std::iter::once(&end)) {
        driven += instance.d(previous, node);
        if driven > range + EPSILON {
            return Some((node, driven));
        }
        if instance.is_charger(node) {
            driven = 0.0;
        }
        previous = node;
    }
    None
}

/// The legs of one route from the vehicle's start depot to its end depot: (distance, travel
/// time) each.
fn route_legs(instance: &Instance, vehicle: &Vehicle, route: &[usize]) -> Vec<(f64, f64)> {
    let mut legs = Vec::with_capacity(route.len() + 1);
    let mut previous = vehicle.start;
    let end = instance.end_of(vehicle, route.last().copied().unwrap_or(vehicle.start));
    for &c in route.iter().chain(std::iter::once(&end)) {
        legs.push((instance.d(previous, c), instance.t(previous, c)));
        previous = c;
    }
    legs
}
