//! VROOM's input JSON (`jobs`, `shipments`, `vehicles`, `matrices`), so VROOM users can
//! switch: the part of it the instance model holds is read, and every field beyond it is
//! refused by name rather than ignored. Held: jobs with `id`, `location_index` or `location`
//! ([lon, lat]), `setup` (skipped when coming from the same place), `service`, a `delivery`
//! (or `amount`) and a `pickup` in any number of
//! dimensions, `skills`, `priority` and any number of time windows; shipments (an `amount`
//! from a `pickup` step to a `delivery` step, each with its own `id`, place, `service` and
//! time windows; `skills`, `priority`); vehicles each with their own `start` and `end` places
//! (either may be left out: an open trip), `capacity`, `skills`, `time_window`, `max_tasks`,
//! `max_travel_time`, `max_distance` and `costs` (`fixed`, `per_hour`, `per_km`); a
//! `matrices.{profile}.durations` matrix (or the older top-level `matrix`) of travel times and,
//! when given, `matrices.{profile}.distances` (without it the durations stand for distances
//! too, priced by `per_hour` as VROOM does by default). Jobs given by coordinates without a
//! matrix need road travel times and distances from elsewhere (the CLI computes them on a road
//! network with `--region`).

use crate::export::Ids;
use crate::instance::{tidy_windows, Costs, Fleet, Instance, Objective, Vehicle};
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
    /// What each node is in the file.
    pub tasks: Vec<Task>,
}

/// What a node is in a VROOM file: its step type in VROOM's output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Task {
    /// A vehicle's start or end place.
    Depot,
    /// A job.
    Job,
    /// A shipment's pickup.
    Pickup,
    /// A shipment's delivery.
    Delivery,
}

impl Task {
    /// VROOM's name for it (`job`, `pickup`, `delivery`; depots are `start`/`end` steps).
    pub fn name(self) -> &'static str {
        match self {
            Task::Depot => "depot",
            Task::Job => "job",
            Task::Pickup => "pickup",
            Task::Delivery => "delivery",
        }
    }
}

/// The clients read so far, node by node from node 1 (index 0 holds node 0, the first depot).
struct Clients {
    places: Vec<Place>,
    ids: Vec<u64>,
    tasks: Vec<Task>,
    /// Where each node is in the file, for errors.
    paths: Vec<String>,
    service: Vec<f64>,
    setup: Vec<f64>,
    windows: Vec<Vec<(f64, f64)>>,
    needs: Vec<Vec<u64>>,
    /// Two amounts per client: what it takes from the start depot, what it collects.
    given: Vec<(String, Vec<i64>)>,
    /// Whether a client's collected amount leaves the vehicle (a shipment's delivery).
    negated: Vec<bool>,
    /// Each node's `priority` (node 0 holds 0).
    priority: Vec<u32>,
    /// The (kind, id) pairs used so far.
    seen: std::collections::HashSet<(Task, u64)>,
}

impl Clients {
    /// No clients yet; node 0 is the first depot, at `depot`.
    fn new(depot: Place) -> Self {
        Clients {
            places: vec![depot],
            ids: vec![0],
            tasks: vec![Task::Depot],
            paths: vec!["vehicles".into()],
            service: vec![0.0],
            setup: vec![0.0],
            windows: vec![vec![(0.0, f64::INFINITY)]],
            needs: vec![Vec::new()],
            given: Vec::new(),
            negated: Vec::new(),
            priority: vec![0],
            seen: std::collections::HashSet::new(),
        }
    }

    /// Adds a job or shipment step: `id`, place, `service`, `time_windows`; ids are unique
    /// within each kind of task, as in VROOM.
    fn add(
        &mut self,
        step: &Value,
        path: &str,
        task: Task,
        (needs, priority): (Vec<u64>, u32),
        amounts: [(String, Vec<i64>); 2],
        negated: bool,
    ) -> Result<(), FormatError> {
        let id = whole(step.get("id").unwrap_or(&Value::Null), &format!("{path}.id"))?;
        if !self.seen.insert((task, id)) {
            return Err(bad(&format!("{path}.id"), format!("{} id {id} is used twice", task.name())));
        }
        self.priority.push(priority);
        self.ids.push(id);
        self.tasks.push(task);
        self.paths.push(path.to_string());
        self.places
            .push(place(step, "location_index", "location", path)?.ok_or_else(|| bad(path, "needs a location"))?);
        let time = |key: &str| -> Result<f64, FormatError> {
            let value = step.get(key).map(|s| number(s, &format!("{path}.{key}"))).transpose()?.unwrap_or(0.0);
            if value < 0.0 {
                return Err(bad(&format!("{path}.{key}"), "is negative"));
            }
            Ok(value)
        };
        self.service.push(time("service")?);
        self.setup.push(time("setup")?);
        self.needs.push(needs);
        let windows = match step.get("time_windows") {
            None | Some(Value::Null) => vec![(0.0, f64::INFINITY)],
            Some(list) => list
                .as_array()
                .ok_or_else(|| bad(&format!("{path}.time_windows"), "must be an array of [start, end]"))?
                .iter()
                .enumerate()
                .map(|(k, w)| window(w, &format!("{path}.time_windows[{k}]")))
                .collect::<Result<Vec<_>, _>>()?,
        };
        let windows = if windows.is_empty() { vec![(0.0, f64::INFINITY)] } else { windows };
        self.windows.push(tidy_windows(windows).map_err(|e| bad(&format!("{path}.time_windows"), e))?);
        self.given.extend(amounts);
        self.negated.push(negated);
        Ok(())
    }
}

impl VroomNames {
    /// The ids for VROOM-shaped output.
    pub fn ids(&self) -> Ids<'_> {
        Ids { jobs: &self.job_ids, vehicles: &self.vehicle_ids, locations: &self.location_indices, tasks: &self.tasks }
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
    /// Where an open trip starts or ends: wherever its first or last job is (no travel).
    Anywhere,
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

/// A job's or shipment's `priority`, 0 to 100 as in VROOM (default 0).
fn priority(object: &Value, path: &str) -> Result<u32, FormatError> {
    match object.get("priority") {
        None | Some(Value::Null) => Ok(0),
        Some(v) => match v.as_u64() {
            Some(p) if p <= 100 => Ok(p as u32),
            _ => Err(bad(&format!("{path}.priority"), "must be a whole number from 0 to 100")),
        },
    }
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

/// The matrices of the file's one profile: travel times, and distances when it gives them.
struct Matrices {
    durations: Vec<Vec<f64>>,
    distances: Option<Vec<Vec<f64>>>,
}

/// The file's matrices, if it has them (`matrices.{profile}` or the older top-level `matrix`).
fn matrices(root: &Value) -> Result<Option<Matrices>, FormatError> {
    match (root.get("matrices"), root.get("matrix")) {
        (Some(m), _) => {
            let profiles = m.as_object().ok_or_else(|| bad("matrices", "must be an object of profiles"))?;
            let [(name, profile)] = profiles.iter().collect::<Vec<_>>()[..] else {
                return Err(unsupported("matrices", "more than one profile"));
            };
            let path = format!("matrices.{name}");
            if profile.get("costs").is_some() {
                return Err(unsupported(&format!("{path}.costs"), "a cost matrix (vehicle `costs` are read)"));
            }
            let rows = profile.get("durations").ok_or_else(|| bad(&path, "needs durations"))?;
            let durations = square(rows, &format!("{path}.durations"))?;
            let distances = match profile.get("distances") {
                None | Some(Value::Null) => None,
                Some(rows) => {
                    let at = format!("{path}.distances");
                    let distances = square(rows, &at)?;
                    if distances.len() != durations.len() {
                        return Err(bad(
                            &at,
                            format!("has {} rows, the durations {}", distances.len(), durations.len()),
                        ));
                    }
                    Some(distances)
                }
            };
            Ok(Some(Matrices { durations, distances }))
        }
        (None, Some(m)) => Ok(Some(Matrices { durations: square(m, "matrix")?, distances: None })),
        (None, None) => Ok(None),
    }
}

/// A square matrix of numbers ≥ 0.
fn square(rows: &Value, path: &str) -> Result<Vec<Vec<f64>>, FormatError> {
    let rows = rows.as_array().ok_or_else(|| bad(path, "must be an array of rows"))?;
    if rows.len() > MAX_JOBS + 1 {
        return Err(bad(path, format!("{} rows, over {}", rows.len(), MAX_JOBS + 1)));
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
    Ok(out)
}

/// A vehicle's `costs` (`fixed`, `per_hour` of travel time, `per_km` of distance; VROOM's
/// defaults 0, 3600 and 0: a second of travel costs 1), as costs per unit of the matrices
/// (seconds, metres).
fn vehicle_costs(v: &Value, path: &str) -> Result<Costs, FormatError> {
    let Some(c) = v.get("costs").filter(|c| !c.is_null()) else {
        return Ok(Costs { fixed: 0.0, per_distance: 0.0, per_time: 1.0 });
    };
    let path = format!("{path}.costs");
    let object = c.as_object().ok_or_else(|| bad(&path, "must be an object with fixed, per_hour and per_km"))?;
    if let Some(key) = object.keys().find(|k| !["fixed", "per_hour", "per_km"].contains(&k.as_str())) {
        return Err(unsupported(&format!("{path}.{key}"), &format!("`{key}`")));
    }
    let get = |key: &str, default: f64| {
        object.get(key).map_or(Ok(default), |x| {
            number(x, &format!("{path}.{key}")).and_then(|x| {
                if x < 0.0 {
                    Err(bad(&format!("{path}.{key}"), "is negative"))
                } else {
                    Ok(x)
                }
            })
        })
    };
    Ok(Costs {
        fixed: get("fixed", 0.0)?,
        per_distance: get("per_km", 0.0)? / 1000.0,
        per_time: get("per_hour", 3600.0)? / 3600.0,
    })
}

/// A number for each node's place: its matrix index, one per distinct pair of coordinates,
/// and its own for an open trip's free end (setups are skipped between nodes sharing one).
fn place_numbers(places: &[Place]) -> Vec<usize> {
    let offset = places.len() + MAX_JOBS + 1;
    places
        .iter()
        .enumerate()
        .map(|(k, p)| match *p {
            Place::Index(i) => i,
            Place::Coordinates(..) => offset + places.iter().position(|q| q == p).unwrap_or(k),
            Place::Anywhere => offset + places.len() + k,
        })
        .collect()
}

/// Travel times and distances between places on roads, each row-major.
#[derive(Debug, Clone, PartialEq)]
pub struct RoadMatrices {
    /// Seconds.
    pub durations: Vec<f64>,
    /// Metres.
    pub distances: Vec<f64>,
}

/// Road travel times and distances between [lon, lat] places, or why there are none.
pub type TravelTimes<'a> = dyn FnMut(&[(f64, f64)]) -> Result<RoadMatrices, String> + 'a;

/// Parses VROOM input JSON. `travel_times` is asked for the travel-time matrix between the
/// places when the file gives coordinates and no matrix.
pub fn parse(text: &str, travel_times: &mut TravelTimes) -> Result<VroomProblem, FormatError> {
    let root: Value = serde_json::from_str(text)
        .map_err(|e| FormatError::Line { line: e.line(), reason: format!("not valid JSON: {e}") })?;
    let list = |key: &str| match root.get(key) {
        None | Some(Value::Null) => Ok(&[][..]),
        Some(v) => v.as_array().map(Vec::as_slice).ok_or_else(|| bad(key, "must be an array")),
    };
    let (jobs, shipments) = (list("jobs")?, list("shipments")?);
    let vehicles =
        root.get("vehicles").and_then(Value::as_array).ok_or_else(|| bad("vehicles", "needs an array of vehicles"))?;
    if jobs.is_empty() && shipments.is_empty() {
        return Err(bad("jobs", "give at least one job or shipment"));
    }
    if jobs.len() + 2 * shipments.len() > MAX_JOBS {
        return Err(bad("jobs", format!("more than {MAX_JOBS} jobs and shipment steps")));
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
    let mut vehicle_capacities: Vec<(String, Vec<i64>)> = Vec::new();
    for (k, v) in vehicles.iter().enumerate() {
        let path = format!("vehicles[{k}]");
        refuse(v, &path, &["breaks", "steps"])?;
        if v.get("speed_factor").is_some_and(|f| f.as_f64() != Some(1.0)) {
            return Err(unsupported(&format!("{path}.speed_factor"), "a `speed_factor` other than 1"));
        }
        let id = whole(v.get("id").unwrap_or(&Value::Null), &format!("{path}.id"))?;
        if vehicle_ids.contains(&id) {
            return Err(bad(&format!("{path}.id"), format!("vehicle id {id} is used twice")));
        }
        vehicle_ids.push(id);
        let start = place(v, "start_index", "start", &path)?;
        let end = place(v, "end_index", "end", &path)?;
        if start.is_none() && end.is_none() {
            return Err(bad(&path, "needs a start or an end"));
        }
        // An open trip starts or ends where its first or last job is.
        let (start, end) = (start.unwrap_or(Place::Anywhere), end.unwrap_or(Place::Anywhere));
        let shift = v.get("time_window").map(|w| window(w, &format!("{path}.time_window"))).transpose()?;
        vehicle_capacities.push((format!("{path}.capacity"), amounts(v.get("capacity"), &format!("{path}.capacity"))?));
        fleet.push(Vehicle {
            start: depot_of(start),
            end: depot_of(end),
            ends: Vec::new(),
            capacity: Vec::new(),
            shift: shift.unwrap_or((0.0, f64::INFINITY)),
            max_length: None,
            skills: skills(v, &path)?,
            max_tasks: v
                .get("max_tasks")
                .map(|m| whole(m, &format!("{path}.max_tasks")))
                .transpose()?
                .map(|m| m as usize),
            max_travel: v.get("max_travel_time").map(|m| number(m, &format!("{path}.max_travel_time"))).transpose()?,
            max_distance: v.get("max_distance").map(|m| number(m, &format!("{path}.max_distance"))).transpose()?,
            range: None,
            costs: vehicle_costs(v, &path)?,
        });
    }
    // Clients: node k for the k-th job (from 1), then each shipment's pickup and delivery;
    // depots are node 0 and the nodes after the clients.
    let mut clients = Clients::new(depots[0]);
    for (k, job) in jobs.iter().enumerate() {
        let path = format!("jobs[{k}]");
        let key = if job.get("delivery").is_some() { "delivery" } else { "amount" };
        let delivery = amounts(job.get(key), &format!("{path}.{key}"))?;
        let pickup = amounts(job.get("pickup"), &format!("{path}.pickup"))?;
        let amounts = [(format!("{path}.{key}"), delivery), (format!("{path}.pickup"), pickup)];
        clients.add(job, &path, Task::Job, (skills(job, &path)?, priority(job, &path)?), amounts, false)?;
    }
    let mut pairs = Vec::new();
    for (k, shipment) in shipments.iter().enumerate() {
        let path = format!("shipments[{k}]");
        let rank = priority(shipment, &path)?;
        let amount = amounts(shipment.get("amount"), &format!("{path}.amount"))?;
        let needs = skills(shipment, &path)?;
        let first = clients.places.len();
        for (task, key) in [(Task::Pickup, "pickup"), (Task::Delivery, "delivery")] {
            let step = shipment.get(key).ok_or_else(|| bad(&path, format!("needs a {key} step")))?;
            let step_path = format!("{path}.{key}");
            let amounts = [(format!("{path}.amount"), Vec::new()), (format!("{path}.amount"), amount.clone())];
            clients.add(step, &step_path, task, (needs.clone(), rank), amounts, task == Task::Delivery)?;
        }
        pairs.push((first, first + 1));
    }
    let Clients {
        mut places,
        mut ids,
        mut tasks,
        mut paths,
        mut service,
        mut setup,
        mut windows,
        mut needs,
        mut given,
        negated,
        mut priority,
        ..
    } = clients;
    let count = places.len() - 1;
    for &p in &depots[1..] {
        places.push(p);
        ids.push(0);
        tasks.push(Task::Depot);
        paths.push("vehicles".into());
        service.push(0.0);
        setup.push(0.0);
        windows.push(vec![(0.0, f64::INFINITY)]);
        needs.push(Vec::new());
        priority.push(0);
    }
    // Depot k is node 0 for k = 0, else the node after the clients.
    let node_of_depot = |k: usize| if k == 0 { 0 } else { count + k };
    for v in &mut fleet {
        (v.start, v.end) = (node_of_depot(v.start), node_of_depot(v.end));
    }
    let capacities: Vec<(String, Vec<i64>)> = std::mem::take(&mut vehicle_capacities);
    let vehicles_given = capacities.len();
    let (dimensions, mut sized) = sized(
        capacities.into_iter().chain(given.drain(..)).collect(),
        MAX_AMOUNT as i64 * (MAX_JOBS as i64 + 1),
        vehicles_given,
    )?;
    let per_client = sized.split_off(vehicles_given);
    for (v, capacity) in fleet.iter_mut().zip(sized) {
        v.capacity = capacity;
    }
    let n = places.len();
    let (mut demand, mut collected) = (vec![0; n * dimensions], vec![0; n * dimensions]);
    for (k, two) in per_client.chunks(2).enumerate() {
        let node = k + 1;
        demand[node * dimensions..(node + 1) * dimensions].copy_from_slice(&two[0]);
        let sign = if negated[k] { -1 } else { 1 };
        for (x, &q) in two[1].iter().enumerate() {
            collected[node * dimensions + x] = sign * q;
        }
    }
    // Travel times between the nodes, and distances where the file gives them.
    let (distance, travel) = match matrices(&root)? {
        Some(m) => {
            let index = |p: &Place, what: &str| match *p {
                Place::Index(i) if i < m.durations.len() => Ok(Some(i)),
                Place::Index(i) => {
                    Err(bad(what, format!("location index {i} is outside the {}-row matrix", m.durations.len())))
                }
                Place::Coordinates(..) => Err(unsupported(what, "mixing coordinates with a matrix")),
                Place::Anywhere => Ok(None),
            };
            let rows: Vec<Option<usize>> =
                places.iter().enumerate().map(|(v, p)| index(p, &paths[v])).collect::<Result<_, _>>()?;
            let spread = |m: &[Vec<f64>]| {
                let mut d = vec![0.0; n * n];
                for (a, &i) in rows.iter().enumerate() {
                    for (b, &j) in rows.iter().enumerate() {
                        if let (Some(i), Some(j)) = (i, j) {
                            d[a * n + b] = m[i][j];
                        }
                    }
                }
                d
            };
            match &m.distances {
                Some(distances) => (spread(distances), spread(&m.durations)),
                None => (spread(&m.durations), Vec::new()),
            }
        }
        None => {
            // Real places only; an open trip's free end is no travel from or to anywhere.
            let mut real = Vec::new();
            let mut coordinates: Vec<(f64, f64)> = Vec::new();
            for (v, p) in places.iter().enumerate() {
                match *p {
                    Place::Coordinates(lon, lat) => {
                        real.push(v);
                        coordinates.push((lon, lat));
                    }
                    Place::Index(_) => return Err(bad("matrices", "location indices need a matrix")),
                    Place::Anywhere => {}
                }
            }
            let m = real.len();
            let roads = travel_times(&coordinates).map_err(FormatError::File)?;
            let spread = |values: &[f64], what: &str| {
                if values.len() != m * m {
                    return Err(FormatError::File(format!("road {what}: {} values for {m} places", values.len())));
                }
                let mut d = vec![0.0; n * n];
                for (a, &i) in real.iter().enumerate() {
                    for (b, &j) in real.iter().enumerate() {
                        d[i * n + j] = values[a * m + b];
                    }
                }
                Ok(d)
            };
            (spread(&roads.distances, "distances")?, spread(&roads.durations, "travel times")?)
        }
    };
    // Without distances the one matrix is travel time (`Instance::t` reads it, and its cost is
    // `per_hour`'s): distance limits and prices need them.
    if travel.is_empty() {
        for (k, v) in fleet.iter().enumerate() {
            if v.max_distance.is_some() {
                return Err(bad(&format!("vehicles[{k}].max_distance"), "needs a distances matrix"));
            }
            if v.costs.per_distance > 0.0 {
                return Err(bad(&format!("vehicles[{k}].costs.per_km"), "needs a distances matrix"));
            }
        }
    }
    let location_indices = places
        .iter()
        .map(|p| match *p {
            Place::Index(i) => Some(i),
            Place::Coordinates(..) | Place::Anywhere => None,
        })
        .collect();
    let coordinates = places
        .iter()
        .map(|p| match *p {
            Place::Coordinates(lon, lat) => Some((lon, lat)),
            Place::Index(_) | Place::Anywhere => None,
        })
        .collect();
    let instance = Instance {
        name: "vroom".into(),
        coordinates,
        clients: count,
        dimensions,
        collected,
        demand,
        service,
        place: if setup.iter().any(|&s| s > 0.0) { place_numbers(&places) } else { Vec::new() },
        setup: if setup.iter().any(|&s| s > 0.0) { setup } else { Vec::new() },
        windows,
        prize: vec![None; needs.len()],
        priority,
        skills: needs,
        fleet: Fleet::Each(fleet),
        objective: Objective::TotalCost,
        groups: Vec::new(),
        orders: Vec::new(),
        pairs,
        distance,
        travel,
        chargers: Vec::new(),
        visit_cost: Vec::new(),
        quota: Vec::new(),
    };
    Ok(VroomProblem { instance, names: VroomNames { job_ids: ids, vehicle_ids, location_indices, tasks } })
}
