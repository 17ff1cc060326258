//! The Solomon VRPTW format: a name line; `VEHICLE` then `NUMBER CAPACITY` and their values;
//! `CUSTOMER`, a column-title line, then one row per node `id x y demand ready due service`,
//! the depot (row 0) first, its due date the horizon. Node ids must run 0, 1, 2, ...

use crate::instance::{euclidean_matrix, Fleet, Instance, Rounding, Vehicle};
use crate::vrplib::MAX_NODES;
use crate::{number, FormatError};

/// Parses a Solomon file; distances (= travel times) follow `rounding` (the best-known costs
/// shipped with the instances truncate to one decimal).
pub fn parse(text: &str, rounding: Rounding) -> Result<Instance, FormatError> {
    let mut nonempty = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim().trim_start_matches('\u{feff}')))
        .filter(|(_, l)| !l.is_empty());
    let (_, name) = nonempty.next().ok_or_else(|| FormatError::File("empty file".into()))?;
    let name = name.to_string();
    fn expect<'a>(lines: &mut impl Iterator<Item = (usize, &'a str)>, word: &str) -> Result<(), FormatError> {
        match lines.next() {
            Some((_, l)) if l.to_ascii_uppercase().starts_with(word) => Ok(()),
            Some((line, l)) => Err(FormatError::Line { line, reason: format!("expected {word}, found {l:?}") }),
            None => Err(FormatError::File(format!("ends before {word}"))),
        }
    }
    expect(&mut nonempty, "VEHICLE")?;
    expect(&mut nonempty, "NUMBER")?;
    let (line, fleet) = nonempty.next().ok_or_else(|| FormatError::File("no vehicle numbers".into()))?;
    let [count, capacity] = fleet.split_whitespace().collect::<Vec<_>>()[..] else {
        return Err(FormatError::Line { line, reason: "the fleet line is: number capacity".into() });
    };
    let vehicles: usize = number(count, "vehicle number", line)?;
    let capacity: i64 = number(capacity, "capacity", line)?;
    if capacity <= 0 {
        return Err(FormatError::Line { line, reason: format!("capacity {capacity} must be positive") });
    }
    expect(&mut nonempty, "CUSTOMER")?;
    expect(&mut nonempty, "CUST")?;
    let (mut points, mut demand, mut service, mut window) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (line, row) in nonempty {
        let fields: Vec<&str> = row.split_whitespace().collect();
        let [id, x, y, q, ready, due, s] = fields[..] else {
            return Err(FormatError::Line {
                line,
                reason: "a customer row is: id x y demand ready due service".into(),
            });
        };
        let id: usize = number(id, "customer number", line)?;
        if id != points.len() {
            return Err(FormatError::Line {
                line,
                reason: format!("customer {id} where {} was expected", points.len()),
            });
        }
        if points.len() >= MAX_NODES {
            return Err(FormatError::Line { line, reason: format!("more than {MAX_NODES} nodes") });
        }
        points.push((number(x, "x", line)?, number(y, "y", line)?));
        let q: i64 = number(q, "demand", line)?;
        let (r, d, s): (f64, f64, f64) =
            (number(ready, "ready time", line)?, number(due, "due date", line)?, number(s, "service time", line)?);
        if q < 0 || !(r.is_finite() && d.is_finite() && s.is_finite()) || r > d || s < 0.0 {
            return Err(FormatError::Line {
                line,
                reason: "demand and service must not be negative, ready ≤ due".into(),
            });
        }
        demand.push(q);
        window.push(vec![(r, d)]);
        service.push(s);
    }
    if points.len() < 2 {
        return Err(FormatError::File("no customers".into()));
    }
    if demand[0] != 0 {
        return Err(FormatError::File(format!("the depot (row 0) has demand {}", demand[0])));
    }
    let distance = euclidean_matrix(&points, rounding);
    let shift = window[0][0];
    let vehicle = Vehicle::from_depot(capacity, shift, None);
    let fleet = Fleet::Identical { vehicle, count: Some(vehicles) };
    Ok(Instance::single_depot(name, Some(points), demand, service, window, fleet, distance))
}

/// Reads a Solomon file.
pub fn read(path: &std::path::Path, rounding: Rounding) -> Result<Instance, FormatError> {
    crate::read_with(path, |text| parse(text, rounding))
}
