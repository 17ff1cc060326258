//! Errors from reading OSM files: always one line naming the file and the problem.

/// A `.osm.pbf` file that could not be read. `Display` gives one line: `FILE: problem`.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {problem}")]
pub struct OsmError {
    /// The file (or in-memory source) name.
    pub file: String,
    /// What went wrong.
    pub problem: OsmProblem,
}

/// What was wrong with an OSM file.
#[derive(Debug, thiserror::Error)]
pub enum OsmProblem {
    /// The file could not be opened or read.
    #[error("cannot read file: {0}")]
    Io(#[from] std::io::Error),
    /// The file has no bytes.
    #[error("the file is empty, expected an .osm.pbf extract")]
    Empty,
    /// The file does not start with an OSM PBF header.
    #[error("not an OSM PBF file ({0})")]
    NotPbf(String),
    /// A blob could not be read or decoded: the file is truncated or corrupt.
    #[error("truncated or corrupt PBF data in block {block}: {detail}")]
    Corrupt {
        /// Index of the failing blob (0 = header).
        block: usize,
        /// The decoder's message.
        detail: String,
    },
    /// The header requires a feature this reader does not implement.
    #[error("unsupported PBF feature {0:?} (supported: OsmSchema-V0.6, DenseNodes, HistoricalInformation)")]
    UnsupportedFeature(String),
    /// The data contains no routable roads for a profile.
    #[error("no routable {0} roads in this extract")]
    NoRoads(tripsmith_model::Profile),
    /// The road graph could not be assembled.
    #[error("road graph: {0}")]
    Graph(#[from] tripsmith_model::RoadGraphError),
}
