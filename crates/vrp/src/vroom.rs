//! VROOM's input JSON (`jobs`, `vehicles`, `matrices`), so VROOM users can switch: the part of
//! it the instance model holds is read, and every field beyond it is refused by name rather
//! than ignored. Held: jobs with `id`, `location_index` or `location` ([lon, lat]), `service`,
//! a `delivery` (or `amount`) in any number of dimensions, `skills` and any number of time
//! windows; vehicles each with their own `start` and `end` places, `capacity`, `skills` and
//! `time_window`; a `matrices.{profile}.durations` matrix (or the older top-level `matrix`),
//! which is both the travel time and the cost, as in VROOM by default. Jobs given by coordinates without a matrix
//! need travel times from elsewhere (the CLI computes them on a road network with `--region`).

use crate::export::Ids;
use crate::instance::{tidy_windows, Fleet, Instance, Objective, Vehicle};
use crate::FormatError;
use serde_json::Value;

/// Most jobs a file may hold (the matrix is dense).
pub const MAX_JOBS: usize = 4_999;

/// Most vehicles a file may hold.
pub const MAX_VEHICLES: usize = 1_000;

/// Largest amount or capacity (sums of thousands of them stay far from overflowing).
pub const MAX_AMOUNT: u64 = 1_000_000_000_000;

/// A VROOM problem read into an instance: node `k` is the `k`-th job (from 1); node 0 and the
/// nodes after the jobs are the vehicles' distinct start and end places; vehicle `k` is the
/// fleet's `k`-th.
#[derive(Debug, Clone, PartialEq)]
pub struct VroomProblem {
    /// The instance.
    pub instance: Instance,
    /// The names the file gave.
    pub names: VroomNames,
}

/// The names a VROOM file gives the instance's nodes and vehicles.
#[derive(Debug, Clone, PartialEq)]
pub struct VroomNames {
    /// The VROOM id of each node's job (depots hold 0).
    pub job_ids: Vec<u64>,
    /// The VROOM id of each vehicle.
    pub vehicle_ids: Vec<u64>,
    /// Each node's `location_index` in the file (`None` where it gave coordinates).
    pub location_indices: Vec<Option<usize>>,
}

impl VroomNames {
    /// The ids for VROOM-shaped output.
    pub fn ids(&self) -> Ids<'_> {
        Ids { jobs: &self.job_ids, vehicles: &self.vehicle_ids, locations: &self.location_indices }
    }

    /// A node's job id.
    pub fn job(&self, node: usize) -> u64 {
        self.job_ids.get(node).copied().unwrap_or(node as u64)
    }
}

/// A location: a matrix index or coordinates.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Place {
    Index(usize),
    Coordinates(f64, f64),
}

fn bad(path: &str, reason: impl Into<String>) -> FormatError {
    FormatError::File(format!("{path}: {}", reason.into()))
}

fn unsupported(path: &str, what: &str) -> FormatError {
    bad(path, format!("{what} is not supported yet (the VROOM fields tripsmith reads are listed in its README)"))
}

fn number(v: &Value, path: &str) -> Result<f64, FormatError> {
    v.as_f64().filter(|x| x.is_finite()).ok_or_else(|| bad(path, "must be a number"))
}

fn whole(v: &Value, path: &str) -> Result<u64, FormatError> {
    v.as_u64().ok_or_else(|| bad(path, "must be a whole number ≥ 0"))
}

/// An amount in each dimension (`[]` or absent: none given).
fn amounts(v: Option<&Value>, path: &str) -> Result<Vec<i64>, FormatError> {
    let Some(v) = v else { return Ok(Vec::new()) };
    let items = v.as_array().ok_or_else(|| bad(path, "must be an array of amounts"))?;
    items
        .iter()
        .enumerate()
        .map(|(k, q)| {
            let q = whole(q, &format!("{path}[{k}]"))?;
            if q > MAX_AMOUNT {
                return Err(bad(&format!("{path}[{k}]"), format!("{q} is over {MAX_AMOUNT}")));
            }
            Ok(q as i64)
        })
        .collect()
}

/// Skills, sorted and without repeats.
fn skills(object: &Value, path: &str) -> Result<Vec<u64>, FormatError> {
    let Some(list) = object.get("skills").filter(|v| !v.is_null()) else { return Ok(Vec::new()) };
    let list = list.as_array().ok_or_else(|| bad(&format!("{path}.skills"), "must be an array of whole numbers"))?;
    let mut out = list
        .iter()
        .enumerate()
        .map(|(k, s)| whole(s, &format!("{path}.skills[{k}]")))
        .collect::<Result<Vec<_>, _>>()?;
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

/// Amounts of one size: those given must all have `dimensions` values; absent or empty ones
/// are zero (`unlimited` stands for a vehicle without a capacity).
fn sized(
    given: Vec<(String, Vec<i64>)>,
    unlimited: i64,
    capacity_count: usize,
) -> Result<(usize, Vec<Vec<i64>>), FormatError> {
    let dimensions = given.iter().map(|(_, a)| a.len()).find(|&l| l > 0).unwrap_or(1);
    let mut out = Vec::with_capacity(given.len());
    for (k, (path, a)) in given.into_iter().enumerate() {
        out.push(match a.len() {
            0 if k < capacity_count => vec![unlimited; dimensions],
            0 => vec![0; dimensions],
            l if l == dimensions => a,
            l => return Err(bad(&path, format!("has {l} amounts where the others have {dimensions}"))),
        });
    }
    Ok((dimensions, out))
}

/// A `[start, end]` window.
fn window(v: &Value, path: &str) -> Result<(f64, f64), FormatError> {
    match v.as_array().map(Vec::as_slice) {
        Some([a, b]) => {
            let (a, b) = (number(a, &format!("{path}[0]"))?, number(b, &format!("{path}[1]"))?);
            if a > b {
                return Err(bad(path, format!("starts at {a} after it ends at {b}")));
            }
            Ok((a, b))
        }
        _ => Err(bad(path, "a time window is [start, end]")),
    }
}

fn place(object: &Value, index_key: &str, coordinates_key: &str, path: &str) -> Result<Option<Place>, FormatError> {
    if let Some(i) = object.get(index_key) {
        return Ok(Some(Place::Index(whole(i, &format!("{path}.{index_key}"))? as usize)));
    }
    match object.get(coordinates_key) {
        None => Ok(None),
        Some(c) => match c.as_array().map(Vec::as_slice) {
            Some([lon, lat]) => {
                let p = format!("{path}.{coordinates_key}");
                let (lon, lat) = (number(lon, &p)?, number(lat, &p)?);
                if !((-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat)) {
                    return Err(bad(&p, format!("[{lon}, {lat}] is not a [longitude, latitude]")));
                }
                Ok(Some(Place::Coordinates(lon, lat)))
            }
            _ => Err(bad(&format!("{path}.{coordinates_key}"), "must be [longitude, latitude]")),
        },
    }
}

/// Refuses keys the model does not hold, when present with a non-trivial value.
fn refuse(object: &Value, path: &str, keys: &[&str]) -> Result<(), FormatError> {
    for key in keys {
        let trivial = match object.get(*key) {
            None | Some(Value::Null) => true,
            Some(Value::Array(a)) => a.is_empty(),
            Some(Value::Number(n)) => n.as_f64() == Some(0.0),
            Some(_) => false,
        };
        if !trivial {
            return Err(unsupported(&format!("{path}.{key}"), &format!("`{key}`")));
        }
    }
    Ok(())
}

/// The one duration matrix of the file, if it has one.
fn matrix(root: &Value) -> Result<Option<Vec<Vec<f64>>>, FormatError> {
    let (rows, path) = match (root.get("matrices"), root.get("matrix")) {
        (Some(m), _) => {
            let profiles = m.as_object().ok_or_else(|| bad("matrices", "must be an object of profiles"))?;
            let [(name, profile)] = profiles.iter().collect::<Vec<_>>()[..] else {
                return Err(unsupported("matrices", "more than one profile"));
            };
            if profile.get("costs").is_some() || profile.get("distances").is_some() {
                return Err(unsupported(&format!("matrices.{name}"), "a cost or distance matrix apart from durations"));
            }
            let rows = profile.get("durations").ok_or_else(|| bad(&format!("matrices.{name}"), "needs durations"))?;
            (rows, format!("matrices.{name}.durations"))
        }
        (None, Some(m)) => (m, "matrix".to_string()),
        (None, None) => return Ok(None),
    };
    let rows = rows.as_array().ok_or_else(|| bad(&path, "must be an array of rows"))?;
    if rows.len() > MAX_JOBS + 1 {
        return Err(bad(&path, format!("{} rows, over {}", rows.len(), MAX_JOBS + 1)));
    }
    let mut out = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let row = row.as_array().filter(|r| r.len() == rows.len()).ok_or_else(|| {
            bad(&format!("{path}[{i}]"), format!("must be a row of {} numbers (a square matrix)", rows.len()))
        })?;
        let values = row
            .iter()
            .enumerate()
            .map(|(j, v)| {
                number(v, &format!("{path}[{i}][{j}]")).and_then(|x| {
                    if x < 0.0 {
                        Err(bad(&format!("{path}[{i}][{j}]"), "is negative"))
                    } else {
                        Ok(x)
                    }
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        out.push(values);
    }
    Ok(Some(out))
}

/// Travel times (row-major, seconds) between [lon, lat] places, or why there are none.
pub type TravelTimes<'a> = dyn FnMut(&[(f64, f64)]) -> Result<Vec<f64>, String> + 'a;

/// Parses VROOM input JSON. `travel_times` is asked for the travel-time matrix between the
/// places when the file gives coordinates and no matrix.
pub fn parse(text: &str, travel_times: &mut TravelTimes) -> Result<VroomProblem, FormatError> {
    let root: Value = serde_json::from_str(text)
        .map_err(|e| FormatError::Line { line: e.line(), reason: format!("not valid JSON: {e}") })?;
    refuse(&root, "input", &["shipments"])?;
    let jobs = root.get("jobs").and_then(Value::as_array).ok_or_else(|| bad("jobs", "needs an array of jobs"))?;
    let vehicles =
        root.get("vehicles").and_then(Value::as_array).ok_or_else(|| bad("vehicles", "needs an array of vehicles"))?;
    if jobs.is_empty() || jobs.len() > MAX_JOBS {
        return Err(bad("jobs", format!("give 1 to {MAX_JOBS} jobs")));
    }
    if vehicles.is_empty() || vehicles.len() > MAX_VEHICLES {
        return Err(bad("vehicles", format!("give 1 to {MAX_VEHICLES} vehicles")));
    }
    // Vehicles: each with its start and end place (depots), capacity, shift and skills.
    let mut depots: Vec<Place> = Vec::new();
    let mut depot_of = |p: Place| match depots.iter().position(|&d| d == p) {
        Some(k) => k,
        None => {
            depots.push(p);
            depots.len() - 1
        }
    };
    let mut vehicle_ids = Vec::new();
    let mut fleet = Vec::new();
    let mut given: Vec<(String, Vec<i64>)> = Vec::new();
    for (k, v) in vehicles.iter().enumerate() {
        let path = format!("vehicles[{k}]");
        refuse(v, &path, &["breaks", "max_tasks", "max_travel_time", "max_distance", "steps", "costs"])?;
        let id = whole(v.get("id").unwrap_or(&Value::Null), &format!("{path}.id"))?;
        if vehicle_ids.contains(&id) {
            return Err(bad(&format!("{path}.id"), format!("vehicle id {id} is used twice")));
        }
        vehicle_ids.push(id);
        let start = place(v, "start_index", "start", &path)?;
        let end = place(v, "end_index", "end", &path)?;
        let (Some(start), Some(end)) = (start, end) else {
            return Err(unsupported(&path, "an open trip (no start or no end)"));
        };
        let shift = v.get("time_window").map(|w| window(w, &format!("{path}.time_window"))).transpose()?;
        given.push((format!("{path}.capacity"), amounts(v.get("capacity"), &format!("{path}.capacity"))?));
        fleet.push(Vehicle {
            start: depot_of(start),
            end: depot_of(end),
            capacity: Vec::new(),
            shift: shift.unwrap_or((0.0, f64::INFINITY)),
            max_length: None,
            skills: skills(v, &path)?,
        });
    }
    // Jobs: node k for the k-th job; depots are node 0 and the nodes after the jobs.
    let clients = jobs.len();
    let mut places = vec![depots[0]];
    let mut job_ids = vec![0];
    let (mut service, mut windows, mut needs) = (vec![0.0], vec![vec![(0.0, f64::INFINITY)]], vec![Vec::new()]);
    for (k, job) in jobs.iter().enumerate() {
        let path = format!("jobs[{k}]");
        refuse(job, &path, &["priority", "setup", "pickup"])?;
        let id = whole(job.get("id").unwrap_or(&Value::Null), &format!("{path}.id"))?;
        if job_ids[1..].contains(&id) {
            return Err(bad(&format!("{path}.id"), format!("job id {id} is used twice")));
        }
        job_ids.push(id);
        places.push(place(job, "location_index", "location", &path)?.ok_or_else(|| bad(&path, "needs a location"))?);
        let key = if job.get("delivery").is_some() { "delivery" } else { "amount" };
        given.push((format!("{path}.{key}"), amounts(job.get(key), &format!("{path}.{key}"))?));
        service.push(job.get("service").map(|s| number(s, &format!("{path}.service"))).transpose()?.unwrap_or(0.0));
        needs.push(skills(job, &path)?);
        let given = match job.get("time_windows") {
            None | Some(Value::Null) => vec![(0.0, f64::INFINITY)],
            Some(list) => list
                .as_array()
                .ok_or_else(|| bad(&format!("{path}.time_windows"), "must be an array of [start, end]"))?
                .iter()
                .enumerate()
                .map(|(k, w)| window(w, &format!("{path}.time_windows[{k}]")))
                .collect::<Result<Vec<_>, _>>()?,
        };
        let given = if given.is_empty() { vec![(0.0, f64::INFINITY)] } else { given };
        windows.push(tidy_windows(given).map_err(|e| bad(&format!("{path}.time_windows"), e))?);
    }
    for &p in &depots[1..] {
        places.push(p);
        job_ids.push(0);
        service.push(0.0);
        windows.push(vec![(0.0, f64::INFINITY)]);
        needs.push(Vec::new());
    }
    // Depot k is node 0 for k = 0, else the node after the jobs.
    let node_of_depot = |k: usize| if k == 0 { 0 } else { clients + k };
    for v in &mut fleet {
        (v.start, v.end) = (node_of_depot(v.start), node_of_depot(v.end));
    }
    let (dimensions, mut sized) = sized(given, MAX_AMOUNT as i64 * (MAX_JOBS as i64 + 1), fleet.len())?;
    let job_demand = sized.split_off(fleet.len());
    for (v, capacity) in fleet.iter_mut().zip(sized) {
        v.capacity = capacity;
    }
    let n = places.len();
    let mut demand = vec![0; n * dimensions];
    for (k, d) in job_demand.iter().enumerate() {
        demand[(k + 1) * dimensions..(k + 2) * dimensions].copy_from_slice(d);
    }
    // Travel times between the nodes.
    let distance = match matrix(&root)? {
        Some(m) => {
            let mut d = vec![0.0; n * n];
            let index = |p: &Place, what: &str| match *p {
                Place::Index(i) if i < m.len() => Ok(i),
                Place::Index(i) => Err(bad(what, format!("location index {i} is outside the {}-row matrix", m.len()))),
                Place::Coordinates(..) => Err(unsupported(what, "mixing coordinates with a matrix")),
            };
            let rows: Vec<usize> = places
                .iter()
                .enumerate()
                .map(|(v, p)| {
                    index(p, &if (1..=clients).contains(&v) { format!("jobs[{}]", v - 1) } else { "vehicles".into() })
                })
                .collect::<Result<_, _>>()?;
            for (a, &i) in rows.iter().enumerate() {
                for (b, &j) in rows.iter().enumerate() {
                    d[a * n + b] = m[i][j];
                }
            }
            d
        }
        None => {
            let coordinates: Vec<(f64, f64)> = places
                .iter()
                .map(|p| match *p {
                    Place::Coordinates(lon, lat) => Ok((lon, lat)),
                    Place::Index(_) => Err(bad("matrices", "location indices need a matrix")),
                })
                .collect::<Result<_, _>>()?;
            let d = travel_times(&coordinates).map_err(FormatError::File)?;
            if d.len() != n * n {
                return Err(FormatError::File(format!("travel times: {} values for {n} places", d.len())));
            }
            d
        }
    };
    let location_indices = places
        .iter()
        .map(|p| match *p {
            Place::Index(i) => Some(i),
            Place::Coordinates(..) => None,
        })
        .collect();
    let coordinates = places
        .iter()
        .map(|p| match *p {
            Place::Coordinates(lon, lat) => Some((lon, lat)),
            Place::Index(_) => None,
        })
        .collect();
    let instance = Instance {
        name: "vroom".into(),
        coordinates,
        clients,
        dimensions,
        demand,
        service,
        windows,
        skills: needs,
        fleet: Fleet::Each(fleet),
        objective: Objective::TotalDistance,
        groups: Vec::new(),
        orders: Vec::new(),
        distance,
    };
    Ok(VroomProblem { instance, names: VroomNames { job_ids, vehicle_ids, location_indices } })
}
