//! The TNTP text formats (Transportation Networks for Research): `_net.tntp` (links with BPR
//! parameters), `_trips.tntp` (origin blocks of `dest : flow;` pairs), `_flow.tntp`
//! (`From To Volume Cost`), `_node.tntp` (`Node X Y`). Metadata lines `<KEY> value` come first, up to `<END OF METADATA>`;
//! `~` starts a comment; rows end with `;`. The files' whitespace quirks (trailing tabs, a last
//! row `1;` without a tab) are accepted; anything else wrong is an error naming its line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Why a TNTP file cannot be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TntpError {
    /// The file cannot be opened.
    #[error("{file}: {reason}")]
    File {
        /// The file.
        file: PathBuf,
        /// What went wrong.
        reason: String,
    },
    /// A line is malformed.
    #[error("{file}:{line}: {reason}")]
    Line {
        /// The file.
        file: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        reason: String,
    },
}

/// One link as the net file gives it.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct LinkRow {
    /// Tail node (1-based).
    pub from: usize,
    /// Head node (1-based).
    pub to: usize,
    /// Capacity.
    pub capacity: f64,
    /// Length.
    pub length: f64,
    /// Free-flow travel time.
    pub free_flow_time: f64,
    /// BPR `b`.
    pub b: f64,
    /// BPR power.
    pub power: f64,
    /// Toll.
    pub toll: f64,
}

/// A net file.
#[derive(Debug, Clone, PartialEq)]
pub struct NetFile {
    /// `<NUMBER OF ZONES>`.
    pub zones: usize,
    /// `<NUMBER OF NODES>`.
    pub nodes: usize,
    /// `<FIRST THRU NODE>` (nodes below it are zones that may not be passed through).
    pub first_thru_node: usize,
    /// `<TOLL FACTOR>` (0 when absent).
    pub toll_factor: f64,
    /// `<DISTANCE FACTOR>` (0 when absent).
    pub distance_factor: f64,
    /// The links.
    pub links: Vec<LinkRow>,
}

/// One row of a flow file.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FlowRow {
    /// Tail node.
    pub from: usize,
    /// Head node.
    pub to: usize,
    /// Volume.
    pub volume: f64,
    /// Cost at that volume.
    pub cost: f64,
}

fn read(path: &Path) -> Result<String, TntpError> {
    std::fs::read_to_string(path).map_err(|e| TntpError::File { file: path.to_path_buf(), reason: e.to_string() })
}

/// Metadata and the numbered data lines after `<END OF METADATA>` (comments and blanks dropped).
struct Sections<'t> {
    meta: BTreeMap<String, (usize, String)>,
    rows: Vec<(usize, &'t str)>,
}

fn sections<'t>(path: &Path, text: &'t str, needs_end: bool) -> Result<Sections<'t>, TntpError> {
    let mut meta = BTreeMap::new();
    let mut rows = Vec::new();
    let mut in_meta = needs_end;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim_start_matches('\u{feff}').trim();
        if in_meta {
            if line.is_empty() || line.starts_with('~') {
                continue;
            }
            if line.eq_ignore_ascii_case("<END OF METADATA>") {
                in_meta = false;
                continue;
            }
            let Some(rest) = line.strip_prefix('<') else {
                return Err(TntpError::Line {
                    file: path.to_path_buf(),
                    line: i + 1,
                    reason: "expected a <KEY> value metadata line or <END OF METADATA>".into(),
                });
            };
            let (key, value) = rest.split_once('>').ok_or_else(|| TntpError::Line {
                file: path.to_path_buf(),
                line: i + 1,
                reason: "a metadata key without its closing '>'".into(),
            })?;
            meta.insert(key.trim().to_uppercase(), (i + 1, value.trim().to_string()));
            continue;
        }
        let line = line.split('~').next().unwrap_or("").trim();
        if !line.is_empty() {
            rows.push((i + 1, line));
        }
    }
    if in_meta {
        return Err(TntpError::File { file: path.to_path_buf(), reason: "no <END OF METADATA> line".into() });
    }
    Ok(Sections { meta, rows })
}

fn number<T: std::str::FromStr>(path: &Path, line: usize, what: &str, text: &str) -> Result<T, TntpError> {
    text.trim().parse::<T>().map_err(|_| TntpError::Line {
        file: path.to_path_buf(),
        line,
        reason: format!("{what}: {text:?} is not a number"),
    })
}

fn meta_number<T: std::str::FromStr>(path: &Path, s: &Sections, key: &str) -> Result<Option<T>, TntpError> {
    match s.meta.get(key) {
        // Some files pad values with tabs or add text after the number.
        Some((line, value)) => number(path, *line, key, value.split_whitespace().next().unwrap_or("")).map(Some),
        None => Ok(None),
    }
}

fn finite(path: &Path, line: usize, what: &str, x: f64, min: f64) -> Result<f64, TntpError> {
    if x.is_finite() && x >= min {
        Ok(x)
    } else {
        Err(TntpError::Line {
            file: path.to_path_buf(),
            line,
            reason: format!("{what} {x} must be finite and ≥ {min}"),
        })
    }
}

/// Reads a `_net.tntp` file.
pub fn read_net(path: &Path) -> Result<NetFile, TntpError> {
    let text = read(path)?;
    let s = sections(path, &text, true)?;
    let missing = |key: &str| TntpError::File { file: path.to_path_buf(), reason: format!("no <{key}> metadata") };
    let nodes: usize = meta_number(path, &s, "NUMBER OF NODES")?.ok_or_else(|| missing("NUMBER OF NODES"))?;
    let zones: usize = meta_number(path, &s, "NUMBER OF ZONES")?.ok_or_else(|| missing("NUMBER OF ZONES"))?;
    let declared: Option<usize> = meta_number(path, &s, "NUMBER OF LINKS")?;
    let first_thru_node: usize = meta_number(path, &s, "FIRST THRU NODE")?.unwrap_or(1);
    let toll_factor: f64 = meta_number(path, &s, "TOLL FACTOR")?.unwrap_or(0.0);
    let distance_factor: f64 = meta_number(path, &s, "DISTANCE FACTOR")?.unwrap_or(0.0);
    let mut links = Vec::new();
    for (line, row) in &s.rows {
        let fields: Vec<&str> = row.trim_end_matches(';').split_whitespace().filter(|f| *f != ";").collect();
        if fields.len() < 7 {
            return Err(TntpError::Line {
                file: path.to_path_buf(),
                line: *line,
                reason: format!(
                    "{} fields; a link needs at least init, term, capacity, length, time, b, power",
                    fields.len()
                ),
            });
        }
        let f = |i: usize, what: &str| -> Result<f64, TntpError> {
            number(path, *line, what, fields[i].trim_end_matches(';'))
        };
        let from: usize = number(path, *line, "init_node", fields[0])?;
        let to: usize = number(path, *line, "term_node", fields[1])?;
        for (what, node) in [("init_node", from), ("term_node", to)] {
            if node == 0 || node > nodes {
                return Err(TntpError::Line {
                    file: path.to_path_buf(),
                    line: *line,
                    reason: format!("{what} {node} is not between 1 and {nodes}"),
                });
            }
        }
        links.push(LinkRow {
            from,
            to,
            capacity: finite(path, *line, "capacity", f(2, "capacity")?, f64::MIN_POSITIVE)?,
            length: finite(path, *line, "length", f(3, "length")?, 0.0)?,
            free_flow_time: finite(path, *line, "free_flow_time", f(4, "free_flow_time")?, 0.0)?,
            b: finite(path, *line, "b", f(5, "b")?, 0.0)?,
            power: finite(path, *line, "power", f(6, "power")?, 0.0)?,
            toll: if fields.len() > 8 { finite(path, *line, "toll", f(8, "toll")?, 0.0)? } else { 0.0 },
        });
    }
    if let Some(n) = declared.filter(|n| *n != links.len()) {
        return Err(TntpError::File {
            file: path.to_path_buf(),
            reason: format!("<NUMBER OF LINKS> says {n}, the file has {}", links.len()),
        });
    }
    if zones == 0 || zones > nodes {
        return Err(TntpError::File { file: path.to_path_buf(), reason: format!("{zones} zones for {nodes} nodes") });
    }
    Ok(NetFile { zones, nodes, first_thru_node, toll_factor, distance_factor, links })
}

/// Reads a `_trips.tntp` file into a dense `zones × zones` matrix (row = origin, 0-based).
pub fn read_trips(path: &Path) -> Result<(usize, Vec<f64>), TntpError> {
    let text = read(path)?;
    let s = sections(path, &text, true)?;
    let zones: usize = meta_number(path, &s, "NUMBER OF ZONES")?
        .ok_or_else(|| TntpError::File { file: path.to_path_buf(), reason: "no <NUMBER OF ZONES> metadata".into() })?;
    if zones == 0 || zones > 100_000 {
        return Err(TntpError::File { file: path.to_path_buf(), reason: format!("{zones} zones") });
    }
    let mut demand = vec![0.0; zones * zones];
    let mut origin: Option<usize> = None;
    let zone = |line: usize, what: &str, text: &str| -> Result<usize, TntpError> {
        let z: usize = number(path, line, what, text)?;
        if z == 0 || z > zones {
            return Err(TntpError::Line {
                file: path.to_path_buf(),
                line,
                reason: format!("{what} {z} is not between 1 and {zones}"),
            });
        }
        Ok(z)
    };
    for (line, row) in &s.rows {
        if let Some(rest) = row.strip_prefix("Origin") {
            origin = Some(zone(*line, "origin", rest)?);
            continue;
        }
        let o = origin.ok_or_else(|| TntpError::Line {
            file: path.to_path_buf(),
            line: *line,
            reason: "demand before the first 'Origin' line".into(),
        })?;
        for pair in row.split(';').map(str::trim).filter(|p| !p.is_empty()) {
            let (d, flow) = pair.split_once(':').ok_or_else(|| TntpError::Line {
                file: path.to_path_buf(),
                line: *line,
                reason: format!("{pair:?} is not 'destination : flow'"),
            })?;
            let d = zone(*line, "destination", d)?;
            let flow = finite(path, *line, "flow", number(path, *line, "flow", flow)?, 0.0)?;
            demand[(o - 1) * zones + (d - 1)] += flow;
        }
    }
    Ok((zones, demand))
}

/// Reads a `_flow.tntp` file (a header line, then `From To Volume Cost` rows).
pub fn read_flows(path: &Path) -> Result<Vec<FlowRow>, TntpError> {
    let text = read(path)?;
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('~') || line.to_ascii_lowercase().starts_with("from") {
            continue;
        }
        let fields: Vec<&str> = line.trim_end_matches(';').split_whitespace().collect();
        if fields.len() < 4 {
            return Err(TntpError::Line {
                file: path.to_path_buf(),
                line: i + 1,
                reason: "expected From To Volume Cost".into(),
            });
        }
        out.push(FlowRow {
            from: number(path, i + 1, "From", fields[0])?,
            to: number(path, i + 1, "To", fields[1])?,
            volume: number(path, i + 1, "Volume", fields[2])?,
            cost: number(path, i + 1, "Cost", fields[3])?,
        });
    }
    Ok(out)
}

/// The `_net.tntp`, `_trips.tntp` and (optional) `_flow.tntp` files of a network folder.
pub fn find_files(dir: &Path) -> Result<(PathBuf, PathBuf, Option<PathBuf>), TntpError> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| TntpError::File { file: dir.to_path_buf(), reason: e.to_string() })?;
    let mut names: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    names.sort();
    let ending = |suffix: &str| names.iter().find(|p| p.to_string_lossy().to_lowercase().ends_with(suffix)).cloned();
    let net = ending("_net.tntp")
        .ok_or_else(|| TntpError::File { file: dir.to_path_buf(), reason: "no *_net.tntp file".into() })?;
    let trips = ending("_trips.tntp")
        .ok_or_else(|| TntpError::File { file: dir.to_path_buf(), reason: "no *_trips.tntp file".into() })?;
    Ok((net, trips, ending("_flow.tntp")))
}

/// One row of a node file.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NodeRow {
    /// The node (1-based).
    pub node: usize,
    /// X (the files use longitude-like, State Plane or local planar units).
    pub x: f64,
    /// Y.
    pub y: f64,
}

/// Reads a `_node.tntp` file (a header line, then `Node X Y ;` rows).
pub fn read_nodes(path: &Path) -> Result<Vec<NodeRow>, TntpError> {
    let text = read(path)?;
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim().trim_end_matches(';').trim();
        if line.is_empty() || line.starts_with('~') || line.to_ascii_lowercase().starts_with("node") {
            continue;
        }
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.len() < 3 {
            return Err(TntpError::Line { file: path.to_path_buf(), line: i + 1, reason: "expected Node X Y".into() });
        }
        out.push(NodeRow {
            node: number(path, i + 1, "Node", fields[0])?,
            x: number(path, i + 1, "X", fields[1])?,
            y: number(path, i + 1, "Y", fields[2])?,
        });
    }
    Ok(out)
}
