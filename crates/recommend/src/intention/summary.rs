//! A trained [`IntentionModel`]'s intentions in a form to list: the share of users each one
//! leads for and its most characteristic places.

use super::IntentionModel;
use crate::checkins::CheckIns;
use schemars::JsonSchema;
use serde::Serialize;

/// One learned intention.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct IntentionSummary {
    /// Its number, from 1.
    pub intention: usize,
    /// Share of the users (with any check-in) whose mixture weighs it most.
    pub users_share: f64,
    /// Its most characteristic places, best first.
    pub places: Vec<PlaceWeight>,
}

/// A place with its weight in an intention.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct PlaceWeight {
    /// The place's id in the data set.
    pub id: usize,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// Its weight in the intention (the intention's weights over places sum to 1).
    pub weight: f32,
}

impl IntentionModel {
    /// Every intention with its `top` most characteristic places, for the data set `data` the
    /// model was trained on.
    pub fn summaries(&self, data: &CheckIns, top: usize) -> Vec<IntentionSummary> {
        let k = self.intentions;
        let mut leading = vec![0usize; k];
        let by_user = data.by_user();
        let active = by_user.iter().filter(|u| !u.is_empty()).count().max(1);
        for (user, events) in by_user.iter().enumerate() {
            let row = &self.mixtures[user * k..(user + 1) * k];
            if let (false, Some((best, _))) =
                (events.is_empty(), row.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)))
            {
                leading[best] += 1;
            }
        }
        let places = data.pois.len();
        (0..k)
            .map(|i| {
                let weights = &self.topics[i * places..(i + 1) * places];
                IntentionSummary {
                    intention: i + 1,
                    users_share: leading[i] as f64 / active as f64,
                    places: self
                        .characteristic_places(i, top)
                        .into_iter()
                        .map(|p| PlaceWeight {
                            id: p,
                            lat: data.pois[p].lat,
                            lon: data.pois[p].lon,
                            weight: weights[p],
                        })
                        .collect(),
                }
            })
            .collect()
    }
}
