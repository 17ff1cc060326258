//! Minimal unsatisfiable cores over any set of constraints, given a feasibility oracle: one
//! minimal core by deletion ([`minimal_core`], a check per constraint), or every minimal core and
//! every maximal satisfiable subset by exploring the subsets smallest first ([`every_minimal_core`],
//! for the handful of constraints a query states). The trip planner and the TravelPlanner
//! benchmark both find their cores here; each brings its own oracle (its solver) and labels.

use std::collections::{BTreeSet, VecDeque};

/// At most this many constraints are explored as a lattice (2^n subsets).
pub const MAX_LATTICE: usize = 12;

/// Deletion-based core minimisation over `labels` (all of them together infeasible) with a
/// feasibility oracle taking the relaxed labels: each member whose removal leaves the rest still
/// infeasible is dropped. A member whose check gives no answer (`None`: time limit) is kept, so
/// the result is a core, and minimal when every check answered.
pub fn minimal_core<L: Clone + PartialEq>(labels: Vec<L>, mut feasible: impl FnMut(&[L]) -> Option<bool>) -> Vec<L> {
    let mut core = labels.clone();
    let mut i = 0;
    while i < core.len() {
        let relaxed: Vec<L> = labels.iter().filter(|l| !core.contains(l) || **l == core[i]).cloned().collect();
        if feasible(&relaxed) == Some(false) {
            core.remove(i);
        } else {
            i += 1;
        }
    }
    core
}

/// Every minimal core (up to `most`), for constraint sets too large for the lattice: Reiter's
/// hitting-set tree. From `first` (a minimal core, as [`minimal_core`] finds), each node relaxes
/// one more member of a core found so far and, if the rest is still infeasible, minimises a new
/// core there (reusing a found core that avoids the relaxed set instead of asking the solver);
/// a relaxed set found feasible ends its branch, and so does any set containing one. Complete
/// when it returns fewer than `most` and every check answered; a check without an answer
/// (`None`: time) ends that branch, so the result is then every core found in time. The oracle
/// takes the relaxed labels, as in [`minimal_core`].
pub fn every_core<L: Clone + Ord>(
    labels: &[L],
    first: Vec<L>,
    most: usize,
    mut feasible: impl FnMut(&[L]) -> Option<bool>,
) -> Vec<Vec<L>> {
    let mut open: VecDeque<Vec<L>> = VecDeque::new();
    let mut seen: BTreeSet<Vec<L>> = BTreeSet::new();
    let mut diagnoses: Vec<Vec<L>> = Vec::new();
    grow(&[], &first, &mut open, &mut seen);
    let mut cores: Vec<Vec<L>> = vec![first];
    while let Some(path) = open.pop_front() {
        if cores.len() >= most {
            break;
        }
        if diagnoses.iter().any(|d| d.iter().all(|l| path.contains(l))) {
            continue;
        }
        let core = match cores.iter().find(|c| c.iter().all(|l| !path.contains(l))) {
            Some(core) => core.clone(),
            None => match feasible(&path) {
                Some(false) => {
                    let rest: Vec<L> = labels.iter().filter(|l| !path.contains(l)).cloned().collect();
                    let mut core = minimal_core(rest, |relaxed| {
                        let all: Vec<L> = path.iter().chain(relaxed).cloned().collect();
                        feasible(&all)
                    });
                    core.sort();
                    cores.push(core.clone());
                    core
                }
                Some(true) => {
                    diagnoses.push(path);
                    continue;
                }
                None => continue,
            },
        };
        grow(&path, &core, &mut open, &mut seen);
    }
    cores
}

/// Queues each one-label extension of `path` by a member of `core` not queued before.
fn grow<L: Clone + Ord>(path: &[L], core: &[L], open: &mut VecDeque<Vec<L>>, seen: &mut BTreeSet<Vec<L>>) {
    for l in core {
        let mut next = path.to_vec();
        next.push(l.clone());
        next.sort();
        if seen.insert(next.clone()) {
            open.push_back(next);
        }
    }
}

/// What exploring every subset of a few constraints found, as sets of constraint indices.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Lattice {
    /// Every minimal unsatisfiable subset (each a minimal core), smallest first. One empty core
    /// means nothing is feasible even without the constraints.
    pub cores: Vec<Vec<usize>>,
    /// Every maximal satisfiable subset; the complement of each is a minimal set of constraints
    /// to give up.
    pub satisfiable: Vec<Vec<usize>>,
}

impl Lattice {
    /// The minimal sets of constraints (indices below `n`) whose removal leaves a satisfiable
    /// rest, smallest first; sets of one size in the order of their bit masks (constraint i
    /// weighs 2^i).
    pub fn to_give_up(&self, n: usize) -> Vec<Vec<usize>> {
        let mut out: Vec<Vec<usize>> =
            self.satisfiable.iter().map(|s| (0..n).filter(|i| !s.contains(i)).collect()).collect();
        out.sort_by_key(|set| (set.len(), set.iter().map(|i| 1u64 << i).sum::<u64>()));
        out
    }

    /// Every constraint that takes part in some minimal core, in index order.
    pub fn in_some_core(&self) -> Vec<usize> {
        let mut all: Vec<usize> = self.cores.iter().flatten().copied().collect();
        all.sort_unstable();
        all.dedup();
        all
    }
}

fn members(mask: u32, n: usize) -> Vec<usize> {
    (0..n).filter(|i| mask & (1 << i) != 0).collect()
}

/// Explores the subsets of `n` constraints (at most [`MAX_LATTICE`]; more is an error of the
/// caller and is cut to that many) smallest first with `feasible(active)`, `active[i]` telling
/// whether constraint `i` holds. A subset containing a known conflict is infeasible and one inside
/// a known satisfiable subset is feasible without asking, so each minimal core and maximal
/// satisfiable subset costs about one check. The oracle's error stops the search.
pub fn every_minimal_core<E>(n: usize, mut feasible: impl FnMut(&[bool]) -> Result<bool, E>) -> Result<Lattice, E> {
    let n = n.min(MAX_LATTICE);
    let mut masks: Vec<u32> = (0..1u32 << n).collect();
    masks.sort_by_key(|m| (m.count_ones(), *m));
    let mut conflicts: Vec<u32> = Vec::new();
    let mut satisfiable: Vec<u32> = Vec::new();
    for mask in masks {
        if conflicts.iter().any(|c| c & mask == *c) || satisfiable.iter().any(|f| mask & f == mask) {
            continue;
        }
        let active: Vec<bool> = (0..n).map(|i| mask & (1 << i) != 0).collect();
        if feasible(&active)? {
            satisfiable.retain(|f| f & mask != *f);
            satisfiable.push(mask);
        } else {
            conflicts.push(mask);
        }
    }
    Ok(Lattice {
        cores: conflicts.iter().map(|m| members(*m, n)).collect(),
        satisfiable: satisfiable.iter().map(|m| members(*m, n)).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::convert::Infallible;

    /// Feasible when no hidden conflict lies inside the active set.
    fn holds(conflicts: &[u32], active: u32) -> bool {
        !conflicts.iter().any(|c| c & active == *c)
    }

    fn mask(indices: &[usize]) -> u32 {
        indices.iter().map(|i| 1u32 << i).sum()
    }

    proptest! {
        /// Against brute force: the lattice's cores are exactly the minimal infeasible subsets and
        /// its satisfiable sets exactly the maximal feasible ones; deletion finds one of the cores.
        #[test]
        fn cores_match_brute_force(n in 1usize..7, raw in proptest::collection::vec(0u32..128, 0..5)) {
            let conflicts: Vec<u32> = raw.iter().map(|c| c & ((1 << n) - 1)).collect();
            let all = 0..1u32 << n;
            let minimal: Vec<u32> = all.clone()
                .filter(|&m| !holds(&conflicts, m) && members(m, n).iter().all(|i| holds(&conflicts, m & !(1 << i))))
                .collect();
            let maximal: Vec<u32> = all
                .filter(|&m| holds(&conflicts, m) && (0..n).all(|i| m & (1 << i) != 0 || !holds(&conflicts, m | 1 << i)))
                .collect();
            let lattice = every_minimal_core(n, |active| {
                Ok::<_, Infallible>(holds(&conflicts, mask(&(0..n).filter(|&i| active[i]).collect::<Vec<_>>())))
            }).unwrap();
            let mut found: Vec<u32> = lattice.cores.iter().map(|c| mask(c)).collect();
            found.sort_unstable();
            prop_assert_eq!(&found, &minimal);
            let mut sat: Vec<u32> = lattice.satisfiable.iter().map(|s| mask(s)).collect();
            sat.sort_unstable();
            prop_assert_eq!(sat, maximal);
            if !holds(&conflicts, (1 << n) - 1) {
                let labels: Vec<usize> = (0..n).collect();
                let oracle = |relaxed: &[usize]| Some(holds(&conflicts, ((1 << n) - 1) & !mask(relaxed)));
                let mut first = minimal_core(labels.clone(), oracle);
                first.sort();
                let mut every: Vec<u32> = every_core(&labels, first, usize::MAX, oracle).iter().map(|c| mask(c)).collect();
                every.sort_unstable();
                prop_assert_eq!(&every, &found, "the hitting-set tree finds every minimal core");
            }
            if !holds(&conflicts, (1 << n) - 1) {
                let labels: Vec<usize> = (0..n).collect();
                let core = minimal_core(labels, |relaxed| {
                    Some(holds(&conflicts, ((1 << n) - 1) & !mask(relaxed)))
                });
                prop_assert!(found.contains(&mask(&core)), "{:?} is not minimal", core);
            }
        }
    }

    #[test]
    fn what_to_give_up_complements_the_satisfiable_sets() {
        // Constraints 0 and 1 conflict; 2 holds with either.
        let lattice = every_minimal_core(3, |a| Ok::<_, Infallible>(!(a[0] && a[1]))).unwrap();
        assert_eq!(lattice.cores, vec![vec![0, 1]]);
        assert_eq!(lattice.to_give_up(3), vec![vec![0], vec![1]]);
        assert_eq!(lattice.in_some_core(), vec![0, 1]);
    }

    #[test]
    fn an_unanswered_check_keeps_the_constraint_in_the_core() {
        let core = minimal_core(vec!["a", "b", "c"], |relaxed| (!relaxed.contains(&"a")).then_some(false));
        assert_eq!(core, vec!["a"]);
    }
}
