//! Regions: places grouped into areas of about a city's size, so that a trip has a
//! destination whose places are the candidates a recommender ranks.

use crate::trips::km;
use tripsmith_model::LatLon;

/// Places grouped into regions.
#[derive(Debug, Clone, PartialEq)]
pub struct Regions {
    /// The region of each place.
    pub of: Vec<usize>,
    /// The places of each region, by id.
    pub members: Vec<Vec<usize>>,
    /// Each region's leader: the place it was grown around.
    pub centres: Vec<LatLon>,
}

impl Regions {
    /// Groups places by leader clustering: in order of popularity (most check-ins first, then
    /// id), a place within `radius_km` of an existing leader joins the nearest; otherwise it
    /// leads a new region. Deterministic.
    pub fn cluster(pois: &[LatLon], popularity: &[usize], radius_km: f64) -> Self {
        let mut order: Vec<usize> = (0..pois.len()).collect();
        order.sort_by(|&a, &b| popularity.get(b).cmp(&popularity.get(a)).then(a.cmp(&b)));
        let (mut of, mut members, mut centres) = (vec![0; pois.len()], Vec::<Vec<usize>>::new(), Vec::new());
        for p in order {
            let nearest = centres
                .iter()
                .enumerate()
                .map(|(r, &c)| (r, km(c, pois[p])))
                .filter(|&(_, d)| d <= radius_km)
                .min_by(|a, b| a.1.total_cmp(&b.1));
            let region = match nearest {
                Some((r, _)) => r,
                None => {
                    centres.push(pois[p]);
                    members.push(Vec::new());
                    centres.len() - 1
                }
            };
            of[p] = region;
            members[region].push(p);
        }
        members.iter_mut().for_each(|m| m.sort_unstable());
        Regions { of, members, centres }
    }

    /// The region holding most of `pois` (the lowest-numbered of equals), if any.
    pub fn majority(&self, pois: impl IntoIterator<Item = usize>) -> Option<usize> {
        let mut counts = std::collections::BTreeMap::new();
        pois.into_iter().for_each(|p| *counts.entry(self.of[p]).or_insert(0usize) += 1);
        counts.into_iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0))).map(|(r, _)| r)
    }
}
