//! Candidate links for lane additions: the file form (CSV `from,to`, one link per line, `#`
//! comments), and the documented rule that generated the shipped files (the links busiest
//! relative to their capacity at the base equilibrium).

use std::path::Path;
use tripsmith_traffic::network::Network;

/// Why candidates cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CandidateError {
    /// The file cannot be read.
    #[error("{file}: {reason}")]
    File {
        /// The file.
        file: String,
        /// What went wrong.
        reason: String,
    },
    /// A line is wrong.
    #[error("{file}:{line}: {reason}")]
    Line {
        /// The file.
        file: String,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        reason: String,
    },
}

/// A link where a lane may be added.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Candidate {
    /// Index of the link in the net file.
    pub link: usize,
    /// Tail node.
    pub from: usize,
    /// Head node.
    pub to: usize,
    /// Cost of the lane: free-flow time × capacity (Madadi & Correia's lane cost).
    pub cost: f64,
}

/// The candidate on link `a`.
pub fn candidate(net: &Network, a: usize) -> Candidate {
    let l = &net.links[a];
    Candidate { link: a, from: l.from, to: l.to, cost: l.free_flow_time * l.capacity }
}

/// The candidates on the links `pairs` (from, to) of `net`: each must be a link, listed once;
/// `Err((index, reason))` names the first pair that is not.
pub fn candidates_from_pairs(net: &Network, pairs: &[(usize, usize)]) -> Result<Vec<Candidate>, (usize, String)> {
    let mut out: Vec<Candidate> = Vec::new();
    for (i, &(from, to)) in pairs.iter().enumerate() {
        let a = net
            .links
            .iter()
            .position(|l| (l.from, l.to) == (from, to))
            .ok_or_else(|| (i, format!("no link {from} → {to} in the network")))?;
        if out.iter().any(|c| c.link == a) {
            return Err((i, format!("link {from} → {to} is listed twice")));
        }
        out.push(candidate(net, a));
    }
    Ok(out)
}

/// Reads a candidate file against `net`: every line `from,to` must name a link of it, once.
pub fn read_candidates(path: &Path, net: &Network) -> Result<Vec<Candidate>, CandidateError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| CandidateError::File { file: file.clone(), reason: e.to_string() })?;
    let mut pairs = Vec::new();
    let mut lines = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.split('#').next().unwrap_or("").trim();
        if line.is_empty() || line.eq_ignore_ascii_case("from,to") {
            continue;
        }
        let fail = |reason: String| CandidateError::Line { file: file.clone(), line: i + 1, reason };
        let (from, to) = line.split_once(',').ok_or_else(|| fail(format!("{line:?} is not 'from,to'")))?;
        let node =
            |s: &str| s.trim().parse::<usize>().map_err(|_| fail(format!("{:?} is not a node number", s.trim())));
        pairs.push((node(from)?, node(to)?));
        lines.push(i + 1);
    }
    if pairs.is_empty() {
        return Err(CandidateError::File { file, reason: "no candidate links".into() });
    }
    candidates_from_pairs(net, &pairs).map_err(|(i, reason)| CandidateError::Line { file, line: lines[i], reason })
}

/// The shipped files' rule: the `count` links with the highest volume / capacity ratio at the
/// base equilibrium `flows`, among links with a positive free-flow time (connectors excluded);
/// ties go to the lower link index.
pub fn busiest_links(net: &Network, flows: &[f64], count: usize) -> Vec<Candidate> {
    let mut order: Vec<usize> = (0..net.links.len()).filter(|&a| net.links[a].free_flow_time > 0.0).collect();
    let ratio = |a: usize| flows[a] / net.links[a].capacity;
    order.sort_by(|&a, &b| ratio(b).total_cmp(&ratio(a)).then(a.cmp(&b)));
    order.into_iter().take(count).map(|a| candidate(net, a)).collect()
}

/// The file form of candidates.
pub fn write_candidates(candidates: &[Candidate], comment: &str) -> String {
    let mut out = String::new();
    for line in comment.lines() {
        out += &format!("# {line}\n");
    }
    out += "from,to\n";
    for c in candidates {
        out += &format!("{},{}\n", c.from, c.to);
    }
    out
}
