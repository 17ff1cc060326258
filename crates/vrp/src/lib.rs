//! Vehicle routing for tripsmith. Reads the benchmark formats (VRPLIB, TSPLIB, Solomon) and
//! VROOM input into one instance description ([`instance::Instance`]: clients with demand in
//! one or more dimensions, service time, time windows and skills; interchangeable or distinct
//! vehicles with depots, capacities, shifts, limits and costs; a distance matrix whose rounding
//! convention is explicit, and travel times apart when the input gives them), solves it by
//! ruin and recreate ([`solve`]; every instance) or hybrid genetic search ([`hgs`];
//! capacity-only instances) and, for small capacity-only instances, to proven optimality by
//! MILP ([`exact`]), reads and writes solution files, and checks any solution independently of
//! how it was found ([`check::check`]).

pub mod answer;
pub mod check;
pub mod exact;
pub mod export;
pub mod hgs;
pub mod instance;
pub mod solomon;
pub mod solution;
pub mod solve;
pub mod toptw;
pub mod vroom;
pub mod vrplib;

/// Why a file could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FormatError {
    /// The file could not be opened or read.
    #[error("{path}: {reason}")]
    Io {
        /// The file.
        path: String,
        /// What went wrong.
        reason: String,
    },
    /// A line that does not fit the format.
    #[error("line {line}: {reason}")]
    Line {
        /// 1-based line number.
        line: usize,
        /// What is wrong with it.
        reason: String,
    },
    /// Something missing or inconsistent in the file as a whole.
    #[error("{0}")]
    File(String),
    /// An error in a named file.
    #[error("{path}: {error}")]
    In {
        /// The file.
        path: String,
        /// The error.
        error: Box<FormatError>,
    },
}

/// Instance formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Told by content: JSON is VROOM input, a file whose second non-empty line is `VEHICLE`
    /// is Solomon, anything else is read as VRPLIB/TSPLIB.
    Auto,
    /// VRPLIB CVRP or TSPLIB95 (A)TSP.
    Vrplib,
    /// Solomon VRPTW.
    Solomon,
    /// VROOM input JSON.
    Vroom,
}

/// An instance read from any format, with the names a VROOM input gives its nodes.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedInstance {
    /// The instance.
    pub instance: instance::Instance,
    /// Job, vehicle and location ids (VROOM input only).
    pub names: Option<vroom::VroomNames>,
}

impl ParsedInstance {
    /// A node's name: its VROOM job id, else its node number.
    pub fn name(&self, node: usize) -> u64 {
        self.names.as_ref().map_or(node as u64, |n| n.job(node))
    }
}

/// Parses an instance; `rounding` overrides the format's own convention (nearest integer for
/// VRPLIB/TSPLIB, one decimal truncated for Solomon); `travel_times` answers for VROOM places
/// given by coordinates without a matrix.
pub fn parse_instance(
    text: &str,
    format: Format,
    rounding: Option<instance::Rounding>,
    travel_times: &mut vroom::TravelTimes,
) -> Result<ParsedInstance, FormatError> {
    let format = match format {
        Format::Auto if text.trim_start().starts_with('{') => Format::Vroom,
        Format::Auto => {
            let second = text.lines().map(str::trim).filter(|l| !l.is_empty()).nth(1);
            if second.is_some_and(|l| l.to_ascii_uppercase().starts_with("VEHICLE")) {
                Format::Solomon
            } else {
                Format::Vrplib
            }
        }
        other => other,
    };
    let instance = match format {
        Format::Vroom => {
            let p = vroom::parse(text, travel_times)?;
            return Ok(ParsedInstance { instance: p.instance, names: Some(p.names) });
        }
        Format::Solomon => solomon::parse(text, rounding.unwrap_or(instance::Rounding::TruncateOneDecimal))?,
        _ => vrplib::parse(text, rounding.unwrap_or(instance::Rounding::Nearest))?,
    };
    Ok(ParsedInstance { instance, names: None })
}

/// Reads and parses a file, naming it in any error.
pub fn read_with<T>(
    path: &std::path::Path,
    parse: impl FnOnce(&str) -> Result<T, FormatError>,
) -> Result<T, FormatError> {
    parse(&read_text(path)?).map_err(|e| FormatError::In { path: path.display().to_string(), error: Box::new(e) })
}

/// Reads a file to text, naming it in the error.
fn read_text(path: &std::path::Path) -> Result<String, FormatError> {
    std::fs::read_to_string(path)
        .map_err(|e| FormatError::Io { path: path.display().to_string(), reason: e.to_string() })
}

/// Parses one number of line `line`, naming what it is when it is not one.
pub(crate) fn number<T: std::str::FromStr>(text: &str, what: &str, line: usize) -> Result<T, FormatError> {
    text.trim()
        .parse::<T>()
        .map_err(|_| FormatError::Line { line, reason: format!("{what}: {text:?} is not a number") })
}
