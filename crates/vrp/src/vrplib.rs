//! The VRPLIB / TSPLIB95 format, for CVRP and (A)TSP files: `KEY : VALUE` lines (`NAME`, `TYPE`
//! `CVRP`, `TSP` or `ATSP`, `DIMENSION`, `CAPACITY`, `EDGE_WEIGHT_TYPE` `EUC_2D`, `CEIL_2D`,
//! `ATT`, `GEO` or `EXPLICIT` with `EDGE_WEIGHT_FORMAT` `LOWER_ROW`, `UPPER_ROW`,
//! `LOWER_DIAG_ROW`, `UPPER_DIAG_ROW` or `FULL_MATRIX`, optional `DISTANCE`, `SERVICE_TIME`,
//! `VEHICLES`, or `SALESMEN` as LKH-3 names them for a multiple TSP, and tripsmith's
//! `MAX_TASKS`, the most clients one vehicle may visit), then `NODE_COORD_SECTION`,
//! `DEMAND_SECTION`, `DEPOT_SECTION` (one depot, node 1, ended by `-1`), `EDGE_WEIGHT_SECTION`,
//! `GTSP_SET_SECTION` (GTSP files, `TYPE` `GTSP` or `AGTSP`: `set-id node... -1` per line;
//! exactly one node of each set is visited) `ORDER_SECTION` (tripsmith's own extension,
//! `node... -1` per line: the listed nodes one route visits appear in that order),
//! `PRIZE_SECTION` (`id prize` per line, as PyVRP reads prize-collecting instances: the node
//! becomes optional, and leaving it out costs its prize), `END_SECTION` (tripsmith's extension,
//! `node... -1` on one line: each vehicle ends at whichever listed node is nearest its last
//! stop, node 1 among them or not), `CHARGER_SECTION` (tripsmith's, one line `node... -1`:
//! where a vehicle with a `RANGE`, the most distance it drives between charges, recharges),
//! `PURCHASE_SECTION` (tripsmith's, `id units price` per line: an optional market selling
//! `units` at `price` each, all bought when visited, with `QUOTA`, the units to buy in all),
//! `VEHICLE_CAPACITY_SECTION` (tripsmith's, `vehicle capacity` per line: vehicles that differ
//! in capacity alone), `EOF`. A TSP is one vehicle (or the
//! stated number) without a capacity leaving node 1 and visiting every other node.

use crate::instance::{euclidean_matrix, Fleet, Instance, Rounding, Vehicle};
use crate::{number, FormatError};

/// Most nodes an instance may have: the distance matrix is dense (5,000 nodes: 200 MB), and the
/// largest benchmark instances have about 1,000.
pub const MAX_NODES: usize = 5_000;

/// Most units one market may sell (sums of them stay far from overflow).
pub const MAX_UNITS: i64 = 1_000_000_000;

#[derive(Clone, Copy, PartialEq)]
enum Section {
    Header,
    Coordinates,
    Demands,
    Depots,
    Weights,
    Sets,
    Orders,
    Prizes,
    Ends,
    Chargers,
    Purchases,
    Capacities,
    Ignored,
}

/// A node list (0-based) from one line of 1-based ids ended by `-1` (a set or an order).
fn node_list(fields: &[&str], line: usize, n: usize) -> Result<Vec<usize>, FormatError> {
    let Some((&last, ids)) = fields.split_last() else { return Err(line_error(line, "an empty list")) };
    if last != "-1" {
        return Err(line_error(line, "a list ends with -1 on its line"));
    }
    let mut nodes = Vec::with_capacity(ids.len());
    for id in ids {
        let v: usize = number(id, "node id", line)?;
        if v == 0 || v > n {
            return Err(line_error(line, format!("node {v} is outside 1..={n}")));
        }
        if nodes.contains(&(v - 1)) {
            return Err(line_error(line, format!("node {v} is listed twice")));
        }
        nodes.push(v - 1);
    }
    if nodes.is_empty() {
        return Err(line_error(line, "an empty list"));
    }
    Ok(nodes)
}

/// Checks that no node is in two of `lists` and that the depot (node 1) is in none, except
/// alone (GTSP files put every node in a set, the depot's set holding just it).
fn disjoint(lists: Vec<(usize, Vec<usize>)>, what: &str) -> Result<Vec<Vec<usize>>, FormatError> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for (line, nodes) in lists {
        if nodes == [0] && what == "set" {
            continue;
        }
        if nodes.contains(&0) {
            return Err(line_error(line, format!("node 1 is the depot and cannot be in a {what} with others")));
        }
        if let Some(v) = nodes.iter().find(|&&v| !seen.insert(v)) {
            return Err(line_error(line, format!("node {} is in two {what}s", v + 1)));
        }
        out.push(nodes);
    }
    Ok(out)
}

fn line_error(line: usize, reason: impl Into<String>) -> FormatError {
    FormatError::Line { line, reason: reason.into() }
}

/// The matrix from an explicit weight list in a TSPLIB edge-weight format.
fn explicit_matrix(format: &str, values: &[f64], n: usize) -> Result<Vec<f64>, FormatError> {
    let mut cells: Vec<(usize, usize)> = Vec::new();
    match format {
        "FULL_MATRIX" => cells.extend((0..n).flat_map(|i| (0..n).map(move |j| (i, j)))),
        "LOWER_ROW" => cells.extend((1..n).flat_map(|i| (0..i).map(move |j| (i, j)))),
        "LOWER_DIAG_ROW" => cells.extend((0..n).flat_map(|i| (0..=i).map(move |j| (i, j)))),
        "UPPER_ROW" => cells.extend((0..n).flat_map(|i| (i + 1..n).map(move |j| (i, j)))),
        "UPPER_DIAG_ROW" => cells.extend((0..n).flat_map(|i| (i..n).map(move |j| (i, j)))),
        other => return Err(FormatError::File(format!("EDGE_WEIGHT_FORMAT {other} is not supported"))),
    }
    if values.len() != cells.len() {
        return Err(FormatError::File(format!(
            "EDGE_WEIGHT_SECTION has {} values; {format} of {n} nodes needs {}",
            values.len(),
            cells.len()
        )));
    }
    let mut m = vec![0.0; n * n];
    for (&(i, j), &v) in cells.iter().zip(values) {
        m[i * n + j] = v;
        if format != "FULL_MATRIX" {
            m[j * n + i] = v;
        }
    }
    Ok(m)
}

/// TSPLIB95's `GEO` distance: coordinates are degrees.minutes (latitude, longitude); the
/// great-circle distance in km on TSPLIB's sphere, truncated plus one as the format defines.
fn geo_distance(p: (f64, f64), q: (f64, f64)) -> f64 {
    // TSPLIB95 defines GEO with this truncated value of π; the published optima depend on it.
    #[allow(clippy::approx_constant)]
    const PI: f64 = 3.141592;
    const RADIUS: f64 = 6378.388;
    let radians = |v: f64| {
        let degrees = v.trunc();
        PI * (degrees + 5.0 * (v - degrees) / 3.0) / 180.0
    };
    let (lat_p, lon_p, lat_q, lon_q) = (radians(p.0), radians(p.1), radians(q.0), radians(q.1));
    let q1 = (lon_p - lon_q).cos();
    let q2 = (lat_p - lat_q).cos();
    let q3 = (lat_p + lat_q).cos();
    (RADIUS * (0.5 * ((1.0 + q1) * q2 - (1.0 - q1) * q3)).acos() + 1.0).trunc()
}

/// TSPLIB95's `ATT` (pseudo-Euclidean) distance.
fn att_distance(p: (f64, f64), q: (f64, f64)) -> f64 {
    let r = (((p.0 - q.0).powi(2) + (p.1 - q.1).powi(2)) / 10.0).sqrt();
    let t = r.round();
    if t < r {
        t + 1.0
    } else {
        t
    }
}

/// The matrix of a coordinate-based edge-weight type.
fn coordinate_matrix(kind: &str, points: &[(f64, f64)], rounding: Rounding) -> Result<Vec<f64>, FormatError> {
    let distance: fn((f64, f64), (f64, f64)) -> f64 = match kind {
        "EUC_2D" => return Ok(euclidean_matrix(points, rounding)),
        "CEIL_2D" => |p, q| ((p.0 - q.0).powi(2) + (p.1 - q.1).powi(2)).sqrt().ceil(),
        "ATT" => att_distance,
        "GEO" => geo_distance,
        other => return Err(FormatError::File(format!("EDGE_WEIGHT_TYPE {other} is not supported"))),
    };
    let n = points.len();
    let mut m = vec![0.0; n * n];
    for (i, &p) in points.iter().enumerate() {
        for (j, &q) in points.iter().enumerate() {
            if i != j {
                m[i * n + j] = distance(p, q);
            }
        }
    }
    Ok(m)
}

/// Parses a VRPLIB CVRP or TSPLIB (A)TSP file; `EUC_2D` distances follow `rounding` (CVRPLIB
/// and TSPLIB: nearest integer).
pub fn parse(text: &str, rounding: Rounding) -> Result<Instance, FormatError> {
    let mut name = String::new();
    let mut dimension: Option<usize> = None;
    let mut capacity: Option<i64> = None;
    let mut max_route_length: Option<f64> = None;
    let mut service_time = 0.0;
    let mut vehicles: Option<usize> = None;
    let mut max_tasks: Option<usize> = None;
    let mut weight_type = String::from("EUC_2D");
    let mut weight_format = String::new();
    let mut tsp = false;
    let mut coordinates: Vec<Option<(f64, f64)>> = Vec::new();
    let mut demand: Vec<Option<i64>> = Vec::new();
    let mut depots: Vec<usize> = Vec::new();
    let mut weights: Vec<f64> = Vec::new();
    let mut sets: Vec<(usize, Vec<usize>)> = Vec::new();
    let mut orders: Vec<(usize, Vec<usize>)> = Vec::new();
    let mut prizes: Vec<(usize, usize, f64)> = Vec::new();
    let mut ends: Option<Vec<usize>> = None;
    let mut range: Option<f64> = None;
    let mut chargers: Option<Vec<usize>> = None;
    let mut quota: Option<(usize, i64)> = None;
    let mut purchases: Vec<(usize, usize, i64, f64)> = Vec::new();
    let mut capacities: Vec<(usize, usize, i64)> = Vec::new();
    let mut section = Section::Header;
    let node_of = |id: &str, line: usize, dimension: Option<usize>| -> Result<usize, FormatError> {
        let n = dimension.ok_or_else(|| line_error(line, "a section before DIMENSION"))?;
        let id: usize = number(id, "node id", line)?;
        if id == 0 || id > n {
            return Err(line_error(line, format!("node {id} is outside 1..={n}")));
        }
        Ok(id - 1)
    };
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let trimmed = raw.trim().trim_start_matches('\u{feff}');
        if trimmed.is_empty() {
            continue;
        }
        let first = trimmed.split(|c: char| c.is_whitespace() || c == ':').next().unwrap_or("");
        if first.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) {
            let key = first.to_ascii_uppercase();
            let value = trimmed.split_once(':').map(|(_, v)| v.trim().to_string()).unwrap_or_default();
            section = Section::Header;
            match key.as_str() {
                "EOF" => break,
                "NAME" => name = value,
                "COMMENT" | "DISPLAY_DATA_TYPE" | "NODE_COORD_TYPE" | "GTSP_SETS" => {}
                "TYPE" => match value.to_ascii_uppercase().as_str() {
                    "CVRP" => tsp = false,
                    "TSP" | "ATSP" | "GTSP" | "AGTSP" => tsp = true,
                    other => return Err(line_error(line, format!("TYPE {other}: give CVRP, TSP, ATSP or GTSP"))),
                },
                "DIMENSION" => {
                    let n: usize = number(&value, "DIMENSION", line)?;
                    if !(2..=MAX_NODES).contains(&n) {
                        return Err(line_error(line, format!("DIMENSION {n}: give 2 to {MAX_NODES} nodes")));
                    }
                    dimension = Some(n);
                    coordinates = vec![None; n];
                    demand = vec![None; n];
                }
                "CAPACITY" => capacity = Some(number(&value, "CAPACITY", line)?),
                "DISTANCE" => max_route_length = Some(number(&value, "DISTANCE", line)?),
                "SERVICE_TIME" => service_time = number(&value, "SERVICE_TIME", line)?,
                // SALESMEN: LKH-3's name for the vehicles of a multiple TSP.
                "VEHICLES" | "SALESMEN" => {
                    let v: usize = number(&value, &key, line)?;
                    if v == 0 {
                        return Err(line_error(line, format!("{key} 0: give at least one vehicle")));
                    }
                    vehicles = Some(v);
                }
                "MAX_TASKS" => max_tasks = Some(number(&value, "MAX_TASKS", line)?),
                "RANGE" => {
                    let r: f64 = number(&value, "RANGE", line)?;
                    if !(r.is_finite() && r > 0.0) {
                        return Err(line_error(line, format!("RANGE {r}: give a positive distance")));
                    }
                    range = Some(r);
                }
                "QUOTA" => {
                    let q: i64 = number(&value, "QUOTA", line)?;
                    if q < 0 {
                        return Err(line_error(line, format!("QUOTA {q} is negative")));
                    }
                    quota = Some((line, q));
                }
                "EDGE_WEIGHT_TYPE" => weight_type = value.to_ascii_uppercase(),
                "EDGE_WEIGHT_FORMAT" => weight_format = value.to_ascii_uppercase(),
                "NODE_COORD_SECTION" => section = Section::Coordinates,
                "DEMAND_SECTION" => section = Section::Demands,
                "DEPOT_SECTION" => section = Section::Depots,
                "EDGE_WEIGHT_SECTION" => section = Section::Weights,
                "GTSP_SET_SECTION" => section = Section::Sets,
                "ORDER_SECTION" => section = Section::Orders,
                "PRIZE_SECTION" => section = Section::Prizes,
                "END_SECTION" => section = Section::Ends,
                "CHARGER_SECTION" => section = Section::Chargers,
                "PURCHASE_SECTION" => section = Section::Purchases,
                "VEHICLE_CAPACITY_SECTION" => section = Section::Capacities,
                k if k.ends_with("_SECTION") => section = Section::Ignored,
                other => return Err(line_error(line, format!("unknown keyword {other}"))),
            }
            continue;
        }
        let fields: Vec<&str> = trimmed.split_whitespace().collect();
        match section {
            Section::Header => return Err(line_error(line, "numbers outside any section")),
            Section::Ignored => {}
            Section::Coordinates => {
                let [id, x, y] = fields[..] else {
                    return Err(line_error(line, "a coordinate line is: id x y"));
                };
                let v = node_of(id, line, dimension)?;
                coordinates[v] = Some((number(x, "x", line)?, number(y, "y", line)?));
            }
            Section::Demands => {
                let [id, q] = fields[..] else {
                    return Err(line_error(line, "a demand line is: id demand"));
                };
                let v = node_of(id, line, dimension)?;
                let q: i64 = number(q, "demand", line)?;
                if q < 0 {
                    return Err(line_error(line, format!("demand {q} is negative")));
                }
                demand[v] = Some(q);
            }
            Section::Depots => {
                for f in fields {
                    let id: i64 = number(f, "depot", line)?;
                    if id == -1 {
                        section = Section::Ignored;
                        break;
                    }
                    depots.push(node_of(f, line, dimension)?);
                }
            }
            Section::Sets => {
                let n = dimension.ok_or_else(|| line_error(line, "a section before DIMENSION"))?;
                let Some((id, members)) = fields.split_first() else { continue };
                number::<usize>(id, "set id", line)?;
                sets.push((line, node_list(members, line, n)?));
            }
            Section::Orders => {
                let n = dimension.ok_or_else(|| line_error(line, "a section before DIMENSION"))?;
                orders.push((line, node_list(&fields, line, n)?));
            }
            Section::Ends => {
                let n = dimension.ok_or_else(|| line_error(line, "a section before DIMENSION"))?;
                if ends.is_some() {
                    return Err(line_error(line, "END_SECTION holds one line: node... -1"));
                }
                ends = Some(node_list(&fields, line, n)?);
            }
            Section::Chargers => {
                let n = dimension.ok_or_else(|| line_error(line, "a section before DIMENSION"))?;
                if chargers.is_some() {
                    return Err(line_error(line, "CHARGER_SECTION holds one line: node... -1"));
                }
                chargers = Some(node_list(&fields, line, n)?);
            }
            Section::Purchases => {
                let [id, units, price] = fields[..] else {
                    return Err(line_error(line, "a purchase line is: id units price"));
                };
                let v = node_of(id, line, dimension)?;
                let units: i64 = number(units, "units", line)?;
                let price: f64 = number(price, "price", line)?;
                if v == 0 || !(1..=MAX_UNITS).contains(&units) || !price.is_finite() || price < 0.0 {
                    return Err(line_error(
                        line,
                        format!(
                            "a market is a node other than the depot selling 1 to {MAX_UNITS} units at a price ≥ 0"
                        ),
                    ));
                }
                if purchases.iter().any(|p| p.1 == v) {
                    return Err(line_error(line, format!("node {} sells twice", v + 1)));
                }
                purchases.push((line, v, units, price));
            }
            Section::Capacities => {
                let [vehicle, q] = fields[..] else {
                    return Err(line_error(line, "a vehicle capacity line is: vehicle capacity"));
                };
                let vehicle: usize = number(vehicle, "vehicle", line)?;
                let q: i64 = number(q, "capacity", line)?;
                if q <= 0 {
                    return Err(line_error(line, format!("capacity {q} must be positive")));
                }
                capacities.push((line, vehicle, q));
            }
            Section::Prizes => {
                let [id, prize] = fields[..] else {
                    return Err(line_error(line, "a prize line is: id prize"));
                };
                let v = node_of(id, line, dimension)?;
                let prize: f64 = number(prize, "prize", line)?;
                if v == 0 || !prize.is_finite() || prize < 0.0 {
                    return Err(line_error(line, "a prize is a number ≥ 0 for a node other than the depot"));
                }
                prizes.push((line, v, prize));
            }
            Section::Weights => {
                for f in fields {
                    weights.push(number(f, "edge weight", line)?);
                }
                if weights.len() > MAX_NODES * MAX_NODES {
                    return Err(line_error(line, "too many edge weights"));
                }
            }
        }
    }
    let n = dimension.ok_or_else(|| FormatError::File("no DIMENSION".into()))?;
    // A TSP is one vehicle (or the stated number of salesmen), which nothing fills.
    if tsp {
        demand.iter_mut().for_each(|q| *q = Some(q.unwrap_or(0)));
        vehicles = Some(vehicles.unwrap_or(1));
    }
    // What the markets sell in all: a TSP's vehicle carries all of it.
    let sold: i64 = purchases.iter().map(|p| p.2).sum();
    let capacity = match (capacity, tsp) {
        (Some(c), _) => c,
        (None, true) => sold.max(1),
        (None, false) => return Err(FormatError::File("no CAPACITY".into())),
    };
    if capacity <= 0 {
        return Err(FormatError::File(format!("CAPACITY {capacity} must be positive")));
    }
    if !depots.is_empty() && depots != [0] {
        return Err(FormatError::File("only one depot, node 1, is supported".into()));
    }
    let demand: Vec<i64> = demand
        .iter()
        .enumerate()
        .map(|(v, q)| q.ok_or_else(|| FormatError::File(format!("node {} has no demand", v + 1))))
        .collect::<Result<_, _>>()?;
    if demand[0] != 0 {
        return Err(FormatError::File(format!("the depot (node 1) has demand {}", demand[0])));
    }
    let points: Option<Vec<(f64, f64)>> = coordinates.iter().copied().collect();
    let distance = match weight_type.as_str() {
        "EXPLICIT" => explicit_matrix(&weight_format, &weights, n)?,
        kind => {
            let points =
                points.as_ref().ok_or_else(|| FormatError::File(format!("{kind} needs every node's coordinates")))?;
            coordinate_matrix(kind, points, rounding)?
        }
    };
    if distance.iter().any(|d| !d.is_finite() || *d < 0.0) {
        return Err(FormatError::File("distances must be finite and not negative".into()));
    }
    let mut service = vec![service_time; n];
    service[0] = 0.0;
    let vehicle = Vehicle { max_tasks, range, ..Vehicle::from_depot(capacity, (0.0, f64::INFINITY), max_route_length) };
    let fleet = if capacities.is_empty() {
        Fleet::Identical { vehicle, count: vehicles }
    } else {
        Fleet::Each(each_capacity(&vehicle, &capacities, vehicles)?)
    };
    let windows = vec![vec![(0.0, f64::INFINITY)]; n];
    let mut instance = Instance::single_depot(name, points, demand, service, windows, fleet, distance);
    instance.groups = disjoint(sets, "set")?;
    instance.orders = disjoint(orders, "order")?;
    for (line, v, prize) in prizes {
        if instance.groups.iter().flatten().any(|&c| c == v) {
            return Err(line_error(line, format!("node {} is in a set: a set is visited, so it has no prize", v + 1)));
        }
        instance.prize[v] = Some(prize);
    }
    purchase(&mut instance, &purchases, quota, sold)?;
    if let Some(mut chargers) = chargers {
        if range.is_none() {
            return Err(FormatError::File("CHARGER_SECTION needs a RANGE".into()));
        }
        chargers.sort_unstable();
        instance.chargers = chargers;
    }
    if let Some(choices) = ends {
        let end = instance.add_free_end(&choices);
        let vehicles = match &mut instance.fleet {
            Fleet::Identical { vehicle, .. } => std::slice::from_mut(vehicle),
            Fleet::Each(list) => list.as_mut_slice(),
        };
        for vehicle in vehicles {
            (vehicle.end, vehicle.ends) = (end, choices.clone());
        }
    }
    Ok(instance)
}

/// One vehicle per line of `VEHICLE_CAPACITY_SECTION` (`(line, vehicle, capacity)`), each
/// `vehicle` of 1..=`count` once, otherwise alike.
fn each_capacity(
    vehicle: &Vehicle,
    capacities: &[(usize, usize, i64)],
    count: Option<usize>,
) -> Result<Vec<Vehicle>, FormatError> {
    let count = count.unwrap_or(capacities.len());
    let mut each: Vec<Option<Vehicle>> = vec![None; count];
    for &(line, k, q) in capacities {
        let slot = each
            .get_mut(k.wrapping_sub(1))
            .ok_or_else(|| line_error(line, format!("vehicle {k} is outside 1..={count}")))?;
        if slot.is_some() {
            return Err(line_error(line, format!("vehicle {k} has two capacities")));
        }
        *slot = Some(Vehicle { capacity: vec![q], ..vehicle.clone() });
    }
    each.into_iter()
        .enumerate()
        .map(|(k, v)| v.ok_or_else(|| FormatError::File(format!("vehicle {} has no capacity", k + 1))))
        .collect()
}

/// Makes each market of `PURCHASE_SECTION` (`(line, node, units, price)`) an optional client
/// collecting its units at a visit cost of units × price, and sets the quota.
fn purchase(
    instance: &mut Instance,
    purchases: &[(usize, usize, i64, f64)],
    quota: Option<(usize, i64)>,
    sold: i64,
) -> Result<(), FormatError> {
    if purchases.is_empty() {
        return match quota {
            Some((line, _)) => Err(line_error(line, "QUOTA needs a PURCHASE_SECTION of markets")),
            None => Ok(()),
        };
    }
    instance.visit_cost = vec![0.0; instance.nodes()];
    for &(line, v, units, price) in purchases {
        if instance.groups.iter().flatten().any(|&c| c == v) || instance.prize[v].is_some() {
            return Err(line_error(line, format!("node {} is a market: it cannot be in a set or have a prize", v + 1)));
        }
        instance.prize[v] = Some(0.0);
        instance.collected[v] = units;
        instance.visit_cost[v] = units as f64 * price;
    }
    if let Some((line, q)) = quota {
        if q > sold {
            return Err(line_error(line, format!("QUOTA {q}, but the markets sell {sold} units in all")));
        }
        instance.quota = vec![q];
    }
    Ok(())
}

/// Reads a VRPLIB file.
pub fn read(path: &std::path::Path, rounding: Rounding) -> Result<Instance, FormatError> {
    crate::read_with(path, |text| parse(text, rounding))
}
