//! Solution files in the CVRPLIB form: `Route #k: c1 c2 ...` (client node numbers, the depot
//! left out) and `Cost value`. The Solomon best-known solutions use the same form.

use crate::{number, FormatError};

/// Routes (client node numbers, 1..=n, in visiting order) and the cost the file states.
#[derive(Debug, Clone, PartialEq)]
pub struct Solution {
    /// One list of clients per vehicle.
    pub routes: Vec<Vec<usize>>,
    /// The `Cost` line, when there is one.
    pub cost: Option<f64>,
}

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
            let (_, clients) = rest
                .split_once(':')
                .ok_or_else(|| FormatError::Line { line, reason: "a route line is: Route #k: clients".into() })?;
            let route = clients
                .split_whitespace()
                .map(|c| number::<usize>(c, "client", line))
                .collect::<Result<Vec<_>, _>>()?;
            if route.contains(&0) {
                return Err(FormatError::Line { line, reason: "client 0 is the depot".into() });
            }
            routes.push(route);
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

/// The solution file of routes with their cost (empty routes left out).
pub fn write(routes: &[Vec<usize>], cost: f64) -> String {
    let mut out = String::new();
    for (k, route) in routes.iter().filter(|r| !r.is_empty()).enumerate() {
        let clients: Vec<String> = route.iter().map(|c| c.to_string()).collect();
        out.push_str(&format!("Route #{}: {}\n", k + 1, clients.join(" ")));
    }
    out.push_str(&format!("Cost {cost}\n"));
    out
}
