//! The network-design problem (lane additions under a budget) and its exact fitness: the total
//! system travel time at the user equilibrium of the network with the chosen lanes.

use crate::candidates::Candidate;
use std::collections::HashMap;
use tripsmith_traffic::assign::{gradient_projection, AssignError, StopRule, WarmStart};
use tripsmith_traffic::network::Network;

/// Lanes every link is taken to have; a new lane multiplies its capacity by (lanes + 1) / lanes.
pub const LANES: f64 = 4.0;

/// A discrete lane-addition problem.
#[derive(Debug, Clone)]
pub struct Design {
    /// The base network with its demand.
    pub net: Network,
    /// The candidate links.
    pub candidates: Vec<Candidate>,
    /// Budget as a share of the candidates' total lane cost (0.25, 0.5, 0.75 in the literature).
    pub budget_share: f64,
}

impl Design {
    /// The budget in lane-cost units.
    pub fn budget(&self) -> f64 {
        self.budget_share * self.candidates.iter().map(|c| c.cost).sum::<f64>()
    }

    /// The lane cost of a choice.
    pub fn cost(&self, chosen: &[bool]) -> f64 {
        self.candidates.iter().zip(chosen).filter(|(_, on)| **on).map(|(c, _)| c.cost).sum()
    }

    /// Whether a choice is within the budget.
    pub fn affordable(&self, chosen: &[bool]) -> bool {
        self.cost(chosen) <= self.budget() * (1.0 + 1e-12)
    }

    /// The chosen candidate links, as [from, to].
    pub fn links(&self, chosen: &[bool]) -> Vec<[usize; 2]> {
        self.candidates.iter().zip(chosen).filter(|(_, on)| **on).map(|(c, _)| [c.from, c.to]).collect()
    }

    /// The network with a lane added on every chosen candidate.
    pub fn network_with(&self, chosen: &[bool]) -> Network {
        let mut links = self.net.links.clone();
        for (c, _) in self.candidates.iter().zip(chosen).filter(|(_, on)| **on) {
            links[c.link].capacity *= (LANES + 1.0) / LANES;
        }
        Network::new(
            self.net.nodes,
            self.net.zones,
            self.net.first_thru_node,
            links,
            self.net.fixed.clone(),
            self.net.demand.clone(),
        )
    }
}

/// Exact fitness: TSTT at equilibrium (gradient projection to `gap`), each choice solved once,
/// warm-started from the path flows of a related choice.
pub struct ExactFitness {
    /// Relative gap of each equilibrium.
    pub gap: f64,
    cache: HashMap<Vec<bool>, (f64, WarmStart)>,
    /// Equilibria solved.
    pub evaluations: usize,
}

impl ExactFitness {
    /// Solves equilibria to relative gap `gap`.
    pub fn new(gap: f64) -> Self {
        Self { gap, cache: HashMap::new(), evaluations: 0 }
    }

    /// Records an equilibrium solved elsewhere (its TSTT and paths) as the one of `chosen`.
    pub fn remember(&mut self, chosen: &[bool], tstt: f64, paths: WarmStart) {
        self.cache.insert(chosen.to_vec(), (tstt, paths));
    }

    /// The path flows of a choice solved before.
    pub fn paths(&self, chosen: &[bool]) -> Option<&WarmStart> {
        self.cache.get(chosen).map(|(_, w)| w)
    }

    /// TSTT of `chosen`, starting from the equilibrium of `parent` when it has been solved.
    pub fn tstt(&mut self, design: &Design, chosen: &[bool], parent: Option<&[bool]>) -> Result<f64, AssignError> {
        if let Some((t, _)) = self.cache.get(chosen) {
            return Ok(*t);
        }
        let warm = parent.and_then(|p| self.cache.get(p)).map(|(_, w)| w.clone());
        let net = design.network_with(chosen);
        let stop = StopRule { gap: self.gap, max_iterations: 100_000, deadline: None };
        let (a, w) = gradient_projection(&net, stop, None, &mut |_| {}, warm.as_ref())?;
        self.evaluations += 1;
        self.cache.insert(chosen.to_vec(), (a.tstt, w));
        Ok(a.tstt)
    }
}
