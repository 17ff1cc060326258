//! Solution files in the CVRPLIB form: `Route #k: c1 c2 ...` (client node numbers, the depot
//! left out) and `Cost value`. The Solomon best-known solutions use the same form. Route `#k`
//! is the `k`-th route of the solution (with distinct vehicles: vehicle `k`'s); numbers left
//! out are empty routes.

use crate::{number, FormatError};

/// Routes (client node numbers, 1..=n, in visiting order) and the cost the file states.
#[derive(Debug, Clone, PartialEq)]
pub struct Solution {
    /// One list of clients per route (`#k` at index `k - 1`).
    pub routes: Vec<Vec<usize>>,
    /// The `Cost` line, when there is one.
    pub cost: Option<f64>,
}

/// Highest route number a file may use.
pub const MAX_ROUTES: usize = 5_000;

/// Parses a solution file.
pub fn parse(text: &str) -> Result<Solution, FormatError> {
    let mut routes = Vec::new();
    let mut cost = None;
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let trimmed = raw.trim().trim_start_matches('\u{feff}');
        if trimmed.is_empty() {
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix("Route") {
            let shape = || FormatError::Line { line, reason: "a route line is: Route #k: clients".into() };
            let (number_part, clients) = rest.split_once(':').ok_or_else(shape)?;
            let k: usize = number_part.trim().trim_start_matches('#').trim().parse().map_err(|_| shape())?;
            if k == 0 || k > MAX_ROUTES {
                return Err(FormatError::Line { line, reason: format!("route number {k} is not in 1..={MAX_ROUTES}") });
            }
            let route = clients
                .split_whitespace()
                .map(|c| number::<usize>(c, "client", line))
                .collect::<Result<Vec<_>, _>>()?;
            if route.contains(&0) {
                return Err(FormatError::Line { line, reason: "client 0 is the depot".into() });
            }
            if routes.len() < k {
                routes.resize(k, Vec::new());
            }
            if !routes[k - 1].is_empty() {
                return Err(FormatError::Line { line, reason: format!("route #{k} is given twice") });
            }
            routes[k - 1] = route;
        } else if let Some(rest) = trimmed.strip_prefix("Cost") {
            cost = Some(number(rest, "cost", line)?);
        } else {
            return Err(FormatError::Line {
                line,
                reason: format!("expected a Route or Cost line, found {trimmed:?}"),
            });
        }
    }
    Ok(Solution { routes, cost })
}

/// Reads a solution file.
pub fn read(path: &std::path::Path) -> Result<Solution, FormatError> {
    crate::read_with(path, parse)
}

/// The solution file of routes with their cost (empty routes left out, the others keep their
/// numbers).
pub fn write(routes: &[Vec<usize>], cost: f64) -> String {
    let mut out = String::new();
    for (k, route) in routes.iter().enumerate().filter(|(_, r)| !r.is_empty()) {
        let clients: Vec<String> = route.iter().map(|c| c.to_string()).collect();
        out.push_str(&format!("Route #{}: {}\n", k + 1, clients.join(" ")));
    }
    out.push_str(&format!("Cost {cost}\n"));
    out
}
