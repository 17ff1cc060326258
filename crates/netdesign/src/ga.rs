//! The upper level: a seeded genetic algorithm over lane choices (tournament selection, uniform
//! crossover, bit-flip mutation, a budget repair that drops random lanes, elitism), and an
//! exhaustive search for small candidate sets as the exact reference.

use crate::design::Design;
use tripsmith_model::SeededRng;

/// Settings of the genetic algorithm.
#[derive(Debug, Clone, Copy)]
pub struct GaSettings {
    /// Individuals per generation.
    pub population: usize,
    /// Generations.
    pub generations: usize,
    /// Probability of flipping each gene.
    pub mutation: f64,
    /// Share of the best individuals kept unchanged.
    pub elite: f64,
    /// Seed: the same seed gives the same answer.
    pub seed: u64,
}

impl Default for GaSettings {
    fn default() -> Self {
        Self { population: 32, generations: 40, mutation: 0.05, elite: 0.25, seed: 1 }
    }
}

/// A choice and its fitness (TSTT, lower is better).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Scored {
    /// Lane added on each candidate.
    pub chosen: Vec<bool>,
    /// Its TSTT.
    pub tstt: f64,
}

/// A fitness function: the TSTT of a choice, given the choice it came from (for warm starts).
pub type Fitness<'f, E> = dyn FnMut(&[bool], Option<&[bool]>) -> Result<f64, E> + 'f;

/// The choice each choice of a batch came from (for warm starts).
pub type Parents<'a> = [Option<&'a [bool]>];

/// A fitness function over a batch: the TSTT of each choice, given the choice each came from.
/// A batch lets a surrogate predict a whole generation at once.
pub type BatchFitness<'f, E> = dyn FnMut(&[Vec<bool>], &Parents<'_>) -> Result<Vec<f64>, E> + 'f;

/// A batch fitness that evaluates one choice after another.
pub fn one_by_one<E>(
    mut fitness: impl FnMut(&[bool], Option<&[bool]>) -> Result<f64, E>,
) -> impl FnMut(&[Vec<bool>], &Parents<'_>) -> Result<Vec<f64>, E> {
    move |choices, parents| choices.iter().zip(parents).map(|(c, p)| fitness(c, *p)).collect()
}

/// Drops random chosen lanes until the choice fits the budget.
pub fn repair(design: &Design, chosen: &mut [bool], rng: &mut SeededRng) {
    while !design.affordable(chosen) {
        let on: Vec<usize> = (0..chosen.len()).filter(|&i| chosen[i]).collect();
        chosen[on[rng.below(on.len())]] = false;
    }
}

/// Runs the GA; `fitness(children, parents)` evaluates each generation's new choices (with
/// the parents for warm starts). `progress(generation, best)` hears of each generation. The
/// best choice found, by `fitness`, and every generation's best.
pub fn run_ga<E>(
    design: &Design,
    settings: GaSettings,
    fitness: &mut BatchFitness<'_, E>,
    progress: &mut dyn FnMut(usize, &Scored),
) -> Result<(Scored, Vec<Scored>), E> {
    let n = design.candidates.len();
    let mut rng = SeededRng::new(settings.seed);
    let size = settings.population.max(4);
    // The empty choice, then random affordable ones started from it.
    let empty = vec![false; n];
    let first = fitness(std::slice::from_ref(&empty), &[None])?;
    let mut population = vec![Scored { tstt: first.first().copied().unwrap_or(f64::INFINITY), chosen: empty.clone() }];
    let randoms: Vec<Vec<bool>> = (1..size)
        .map(|_| {
            let mut chosen: Vec<bool> = (0..n).map(|_| rng.next_f64() < 0.5).collect();
            repair(design, &mut chosen, &mut rng);
            chosen
        })
        .collect();
    let tstts = fitness(&randoms, &vec![Some(empty.as_slice()); randoms.len()])?;
    population.extend(randoms.into_iter().zip(tstts).map(|(chosen, tstt)| Scored { chosen, tstt }));
    let mut history = Vec::new();
    for generation in 0..settings.generations {
        population.sort_by(|a, b| a.tstt.total_cmp(&b.tstt));
        progress(generation, &population[0]);
        history.push(population[0].clone());
        let keep = ((size as f64 * settings.elite).ceil() as usize).clamp(1, size);
        let pick = |rng: &mut SeededRng, pop: &[Scored]| -> usize {
            let (a, b) = (rng.below(pop.len()), rng.below(pop.len()));
            if pop[a].tstt <= pop[b].tstt {
                a
            } else {
                b
            }
        };
        let mut children = Vec::with_capacity(size - keep);
        let mut parents = Vec::with_capacity(size - keep);
        while keep + children.len() < size {
            let (p, q) = (pick(&mut rng, &population), pick(&mut rng, &population));
            let mut child: Vec<bool> = (0..n)
                .map(|i| if rng.next_f64() < 0.5 { population[p].chosen[i] } else { population[q].chosen[i] })
                .collect();
            for gene in child.iter_mut() {
                if rng.next_f64() < settings.mutation {
                    *gene = !*gene;
                }
            }
            repair(design, &mut child, &mut rng);
            children.push(child);
            parents.push(p);
        }
        let parent_choices: Vec<Option<&[bool]>> =
            parents.iter().map(|&p| Some(population[p].chosen.as_slice())).collect();
        let tstts = fitness(&children, &parent_choices)?;
        let mut next: Vec<Scored> = population[..keep].to_vec();
        next.extend(children.into_iter().zip(tstts).map(|(chosen, tstt)| Scored { chosen, tstt }));
        population = next;
    }
    population.sort_by(|a, b| a.tstt.total_cmp(&b.tstt));
    history.push(population[0].clone());
    Ok((population[0].clone(), history))
}

/// Most candidates the exhaustive search takes (2^n choices).
pub const MAX_EXHAUSTIVE: usize = 16;

/// Every affordable choice, in Gray-code order (each differs from the previous by one lane,
/// which the previous one's equilibrium warm-starts); the best by `fitness`.
pub fn exhaustive<E>(design: &Design, fitness: &mut Fitness<'_, E>) -> Result<Option<Scored>, E> {
    let n = design.candidates.len().min(MAX_EXHAUSTIVE);
    let mut best: Option<Scored> = None;
    let mut previous: Option<Vec<bool>> = None;
    for k in 0u64..(1u64 << n) {
        let gray = k ^ (k >> 1);
        let chosen: Vec<bool> = (0..design.candidates.len()).map(|i| i < n && gray & (1 << i) != 0).collect();
        if !design.affordable(&chosen) {
            continue;
        }
        let tstt = fitness(&chosen, previous.as_deref())?;
        if best.as_ref().is_none_or(|b| tstt < b.tstt) {
            best = Some(Scored { chosen: chosen.clone(), tstt });
        }
        previous = Some(chosen);
    }
    Ok(best)
}
