//! Out-of-town POI recommendation: a traveller's check-ins at home and on earlier trips say
//! which places they will visit in a region they have not been to. This crate reads check-in
//! data sets (`checkins`), finds each user's home and trips (`trips`), groups places into
//! regions (`regions`), holds out each user's last trip (`split`), ranks a destination's
//! places with baseline models (`baselines`) and the intention-aware model (`intention`),
//! and measures rankings (`metrics`, `eval`, `experiment`). For OSM places of any region it
//! reads a traveller's check-in history (`history`), maps its venue categories to tripsmith's
//! (`bridge`) and ranks the region's places by the traveller's taste (`taste`); that taste is
//! measured on the categorised NYC check-ins (`getnext`) by visits to new neighbourhoods
//! (`neighbourhoods`). Travellers between two cities with venue categories (`crosscity`, the
//! UPTDNet file) are evaluated on the new venues of their last visit (`outoftown`).

pub mod baselines;
pub mod bridge;
pub mod checkins;
pub mod crosscity;
pub mod eval;
pub mod experiment;
pub mod getnext;
pub mod history;
pub mod intention;
pub mod metrics;
pub mod neighbourhoods;
pub mod outoftown;
pub mod regions;
pub mod split;
pub mod taste;
pub mod trips;

/// Why a data set could not be read.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    /// The file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The reason.
        source: std::io::Error,
    },
    /// A line that does not parse.
    #[error("{path}, line {line}: {reason}")]
    Line {
        /// The file.
        path: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// The data set as a whole is unusable.
    #[error("{0}")]
    Data(String),
}
