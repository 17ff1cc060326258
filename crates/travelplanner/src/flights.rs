//! Every flight at hand. The full flight table is not part of the data set: flights come only
//! from the reference information (the train JSONL, the validation CSV's text tables, and any
//! further reference file), and a query may take any of them on its dates.

use crate::database::SkippedRow;
use crate::query::{Flight, Query, QueryRecord};
use crate::reference::load_reference_flights;
use crate::validation::load_validation;
use std::collections::HashSet;
use std::path::Path;

/// The flights of all reference information at hand, each once.
#[derive(Debug, Clone, Default)]
pub struct FlightPool {
    /// The flights.
    pub flights: Vec<Flight>,
}

impl FlightPool {
    /// Reads the train file's and the validation file's flights under the data folder `data`
    /// (those present) and those of `extra` (a reference JSONL, which must exist).
    pub fn load(data: &Path, extra: Option<&Path>) -> Result<(Self, Vec<SkippedRow>), String> {
        let mut pool = Self::default();
        let mut skipped = Vec::new();
        let train = data.join("train").join("train_ref_info.jsonl");
        let files = [Some(train.as_path()).filter(|p| p.exists()), extra];
        for path in files.into_iter().flatten() {
            let (lines, more) = load_reference_flights(path).map_err(|e| format!("{}: {e}", path.display()))?;
            skipped.extend(more);
            pool.add(lines.into_iter().flatten());
        }
        let validation = data.join("validation").join("selected_validation.csv");
        if validation.exists() {
            let (records, more) = load_validation(&validation).map_err(|e| format!("{}: {e}", validation.display()))?;
            skipped.extend(more);
            pool.add(records.into_iter().flat_map(|r| r.flights));
        }
        Ok((pool, skipped))
    }

    fn add(&mut self, flights: impl Iterator<Item = Flight>) {
        let mut seen: HashSet<String> = self.flights.iter().map(|f| f.number.clone()).collect();
        self.flights.extend(flights.filter(|f| seen.insert(f.number.clone())));
    }

    /// The flights on the query's dates.
    pub fn for_query(&self, q: &Query) -> Vec<Flight> {
        self.flights.iter().filter(|f| q.dates.contains(&f.date)).cloned().collect()
    }

    /// Gives each query the pool's flights on its dates (flights it already has kept once).
    pub fn attach(&self, records: &mut [QueryRecord]) {
        for r in records {
            let mut seen: HashSet<String> = r.flights.iter().map(|f| f.number.clone()).collect();
            let more: Vec<Flight> =
                self.for_query(&r.query).into_iter().filter(|f| seen.insert(f.number.clone())).collect();
            r.flights.extend(more);
        }
    }
}
